//! The reference card: everything about one entry in one language, ready to serialize for the
//! page or print on the CLI.

use super::entry::{Billable, Class, Confidence, Entry, Failover, RefSystem};
use super::mapping::{self, Mapping, MappingDirection};
use super::text;
use crate::outcome::Outcome;
use serde::Serialize;

/// The fields of an entry that have text in the language tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// The localized name.
    Title,
    /// What usually causes the code on a softswitch.
    Cause,
    /// What the operator should do.
    Action,
}

impl Field {
    /// Every field.
    pub const ALL: [Field; 3] = [Field::Title, Field::Cause, Field::Action];

    /// The key suffix in the language tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Cause => "cause",
            Field::Action => "action",
        }
    }
}

/// The keys to try, in order, for a field of an entry within one language: its own text, then
/// what it delegates to (a FreeSWITCH cause to its Q.850 cause, an unassigned Q.850 value to the
/// "unassigned" template, a Q.850 cause to its class).
fn keys(e: &Entry, field: Field) -> Vec<String> {
    let f = field.as_str();
    let mut keys = vec![format!("{}.{f}", e.text_key())];
    match e.system {
        RefSystem::FreeSwitch => {
            if let Some(q) = e.q850.filter(|q| (1..=127).contains(q)) {
                let qe = super::lookup_ref(RefSystem::Q850, &q.to_string());
                if let Some(qe) = qe.filter(|qe| qe.assigned) {
                    keys.extend(self::keys(qe, field));
                }
            }
        }
        // A CCM_SIP_* value is a SIP status: its texts are the SIP code's.
        RefSystem::Cisco => match (e.sip, super::cisco::group(e)) {
            (Some(s), _) if field != Field::Title => keys.push(format!("sip.{s}.{f}")),
            (None, Some(g)) if field != Field::Title => keys.push(format!("cisco.{g}.{f}")),
            _ => {}
        },
        RefSystem::Q850 if !e.assigned => keys.push(format!("q850.unassigned.{f}")),
        RefSystem::Q850 if field != Field::Title => {
            keys.push(format!("class.{}.{f}", e.class.as_str()))
        }
        _ => {}
    }
    keys
}

/// The text of a field in exactly `lang` (no English fallback), with `{code}` filled in; `None`
/// when the language has no text for it. Tests use this to prove a language is complete.
///
/// English titles of SIP codes, Q.850 causes and vendor names are the official names kept with
/// the tables, so English needs no title keys for them.
pub fn field_text_exact(e: &Entry, field: Field, lang: &str) -> Option<String> {
    if let (RefSystem::Cisco, Some(sip), Field::Title) = (e.system, e.sip, field) {
        // "Busy Here (SIP 486 via CUCM)": the SIP code's title in this language.
        if let Some(s) = super::lookup_ref(RefSystem::Sip, &sip.to_string()) {
            let title = field_text_exact(s, Field::Title, lang)?;
            return text::get_exact(lang, "cisco.sip_title").map(|t| {
                t.replace("{title}", &title)
                    .replace("{sip}", &sip.to_string())
            });
        }
    }
    keys(e, field)
        .iter()
        .find_map(|k| text::get_exact(lang, k))
        .map(|t| t.replace("{code}", &e.code))
        .or_else(|| {
            (field == Field::Title && lang == text::DEFAULT_LANG && e.assigned)
                .then(|| official_title(e).to_string())
        })
}

/// The text of a field in `lang`, else English, else (for titles) the official name.
pub fn field_text(e: &Entry, field: Field, lang: &str) -> String {
    field_text_exact(e, field, lang)
        .or_else(|| field_text_exact(e, field, text::DEFAULT_LANG))
        .unwrap_or_default()
}

/// The English title when the language tables have none: a FreeSWITCH cause takes its Q.850
/// name ("USER_BUSY" → "User busy"), everything else its own official name.
fn official_title(e: &Entry) -> &'static str {
    match (e.system, e.q850) {
        (RefSystem::FreeSwitch, Some(q)) if (1..=127).contains(&q) => {
            super::q850::name(q).unwrap_or(e.name)
        }
        _ => e.name,
    }
}

/// Every outcome `crate::outcome` can give an unanswered call that ends with this code: one, or
/// two when the rule depends on whether the call rang (SIP 408) or who hung up (Q.850 16, 31).
/// Empty for entries that are not final codes.
pub fn outcomes(e: &Entry) -> Vec<Outcome> {
    let Some(rule) = e.failure_rule() else {
        return Vec::new();
    };
    let mut v = if rule.needs_ringing() {
        vec![rule.resolve(true, false), rule.resolve(false, false)]
    } else if rule.needs_direction() {
        vec![rule.resolve(false, true), rule.resolve(false, false)]
    } else {
        vec![rule.resolve(false, false)]
    };
    v.dedup();
    v
}

/// The outcome line of a card in `lang`: "Busy", or "No answer when it rang, else Timeout".
fn outcome_label(e: &Entry, lang: &str) -> String {
    let name = |o: &Outcome| text::label(lang, &format!("outcome.{}", o.as_str()));
    let rule = e.failure_rule();
    match (outcomes(e).as_slice(), rule) {
        ([], _) | (_, None) => String::new(),
        ([a, b], Some(r)) => {
            let key = if r.needs_ringing() {
                "outcome.if_rang"
            } else {
                "outcome.if_caller"
            };
            text::label(lang, key)
                .replace("{a}", &name(a))
                .replace("{b}", &name(b).to_lowercase())
        }
        (v, _) => name(&v[0]),
    }
}

/// A mapping row on a card, with its note in the card's language.
#[derive(Clone, Debug, Serialize)]
pub struct CardMapping {
    /// The row and whether it is disputed.
    #[serde(flatten)]
    pub mapping: Mapping,
    /// The note's text, empty when the row has none.
    pub note_text: String,
}

fn localize(rows: Vec<Mapping>, lang: &str) -> Vec<CardMapping> {
    rows.into_iter()
        .map(|m| CardMapping {
            note_text: if m.row.note.is_empty() {
                String::new()
            } else {
                text::label(lang, &format!("note.{}", m.row.note))
            },
            mapping: m,
        })
        .collect()
}

/// A code's reference card in one language.
#[derive(Clone, Debug, Serialize)]
pub struct Card {
    /// The language the texts are in.
    pub lang: &'static str,
    /// The system the code belongs to.
    pub system: RefSystem,
    /// The system's display name.
    pub system_label: String,
    /// The code as records carry it.
    pub code: String,
    /// The official (English) name.
    pub name: &'static str,
    /// The name in the card's language.
    pub title: String,
    /// The class within the system.
    pub class: Class,
    /// The class's display name.
    pub class_label: String,
    /// What the class means in a call record.
    pub class_meaning: String,
    /// The outcomes `crate::outcome` gives an unanswered call that ends with this code (see
    /// [`outcomes`]).
    pub outcomes: Vec<Outcome>,
    /// Those outcomes in the card's language.
    pub outcome_label: String,
    /// Whether the call is billed; `None` for entries that are not codes (SIP timers).
    pub billable: Option<Billable>,
    /// The billing display text.
    pub billable_label: String,
    /// What gateway failover does; `None` for entries that are not codes (SIP timers).
    pub failover: Option<Failover>,
    /// The failover display text.
    pub failover_label: String,
    /// The SIP status the switch sends to the caller when a call ends with this vendor code
    /// (VOS3000 reasons, FreeSWITCH causes), when the vendor maps one.
    pub sent_to_caller: Option<u16>,
    /// That status as a sentence in the card's language; empty when there is none.
    pub sent_to_caller_label: String,
    /// The typical cause on a softswitch.
    pub cause: String,
    /// The concrete action.
    pub action: String,
    /// The SIP response this code corresponds to.
    pub sip: Option<u16>,
    /// The Q.850 cause this code corresponds to.
    pub q850: Option<u16>,
    /// Mapping rows from this code to the other system (RFC 3398 and vendor tables).
    pub mappings: Vec<CardMapping>,
    /// Mapping rows from the other system to this code (which causes become this 503).
    pub mapped_from: Vec<CardMapping>,
    /// Where the code is defined.
    pub reference: &'static str,
    /// How sure the meaning is.
    pub confidence: Confidence,
    /// The confidence display text.
    pub confidence_label: String,
    /// Other spellings records use.
    pub aliases: &'static [&'static str],
}

/// The SIP status a vendor's switch answers the caller with for this code: VOS3000 reasons and
/// FreeSWITCH causes carry it; other systems' `sip` is an equivalence, not what is sent.
fn sent_to_caller(e: &Entry) -> Option<u16> {
    match e.system {
        RefSystem::Vos3000 | RefSystem::FreeSwitch => e.sip,
        _ => None,
    }
}

/// "Sent to the caller as SIP 503 Service Unavailable" in `lang`, or empty.
fn sent_to_caller_label(e: &Entry, lang: &str) -> String {
    let Some(sip) = sent_to_caller(e) else {
        return String::new();
    };
    let title = super::lookup_ref(RefSystem::Sip, &sip.to_string())
        .map(|s| field_text(s, Field::Title, lang))
        .unwrap_or_default();
    text::label(lang, "ui.sent_to_caller")
        .replace("{sip}", &sip.to_string())
        .replace("{title}", &title)
}

/// Builds the card of an entry in `lang` (an unknown language gives English).
pub fn card(e: &Entry, lang: &str) -> Card {
    let lang = text::resolve_lang(lang);
    let l = |k: String| text::label(lang, &k);
    let is_code = e.system != RefSystem::SipTimer;
    let (mappings, mapped_from) = match (e.system, e.code.parse::<u16>()) {
        (RefSystem::Sip, Ok(n)) => (
            mapping::mappings_from(MappingDirection::SipToQ850, n),
            mapping::mappings_to(MappingDirection::Q850ToSip, n),
        ),
        (RefSystem::Q850, Ok(n)) => (
            mapping::mappings_from(MappingDirection::Q850ToSip, n),
            mapping::mappings_to(MappingDirection::SipToQ850, n),
        ),
        (RefSystem::FreeSwitch, _) => match e.q850 {
            Some(q) => (
                mapping::mappings_from(MappingDirection::Q850ToSip, q),
                Vec::new(),
            ),
            None => (Vec::new(), Vec::new()),
        },
        _ => (Vec::new(), Vec::new()),
    };
    Card {
        lang,
        system: e.system,
        system_label: l(format!("system.{}", e.system.as_str())),
        code: e.code.clone(),
        name: e.name,
        title: field_text(e, Field::Title, lang),
        class: e.class,
        class_label: l(format!("class.{}.title", e.class.as_str())),
        class_meaning: l(format!("class.{}.meaning", e.class.as_str())),
        outcomes: outcomes(e),
        outcome_label: outcome_label(e, lang),
        billable: is_code.then_some(e.billable),
        billable_label: if is_code {
            l(format!("billable.{}", e.billable.as_str()))
        } else {
            String::new()
        },
        failover: is_code.then_some(e.failover),
        failover_label: if is_code {
            l(format!("failover.{}", e.failover.as_str()))
        } else {
            String::new()
        },
        sent_to_caller: sent_to_caller(e),
        sent_to_caller_label: sent_to_caller_label(e, lang),
        cause: field_text(e, Field::Cause, lang),
        action: field_text(e, Field::Action, lang),
        sip: e.sip,
        q850: e.q850,
        mappings: localize(mappings, lang),
        mapped_from: localize(mapped_from, lang),
        reference: e.reference,
        confidence: e.confidence,
        confidence_label: l(format!("confidence.{}", e.confidence.as_str())),
        aliases: e.aliases,
    }
}

/// Renders a card as plain text for a terminal.
pub fn render_text(c: &Card) -> String {
    let l = |k: &str| text::label(c.lang, k);
    let mut o = String::new();
    let head = if c.title.eq_ignore_ascii_case(&c.code) {
        format!("{} {}", c.system_label, c.code)
    } else {
        format!("{} {} — {}", c.system_label, c.code, c.title)
    };
    o.push_str(&head);
    o.push('\n');
    if c.name != c.title && !c.name.eq_ignore_ascii_case(&c.code) {
        o.push_str(&format!("  ({})\n", c.name));
    }
    let mut row = |k: &str, v: &str| {
        if !v.is_empty() {
            // Continuation lines of a list have no label.
            let label = if k.is_empty() { String::new() } else { l(k) };
            o.push_str(&format!("  {label:<14} {v}\n"));
        }
    };
    row("ui.class", &c.class_label);
    row("ui.outcome", &c.outcome_label);
    row("ui.billable", &c.billable_label);
    row("ui.failover", &c.failover_label);
    row("", &c.sent_to_caller_label);
    row("ui.cause", &c.cause);
    row("ui.action", &c.action);
    let maps: Vec<String> = c
        .mappings
        .iter()
        .chain(&c.mapped_from)
        .map(|cm| {
            let m = &cm.mapping;
            let to = m.row.to.map_or("—".to_string(), |t| t.to_string());
            let (a, b) = match m.row.direction {
                MappingDirection::Q850ToSip => ("Q.850", "SIP"),
                MappingDirection::SipToQ850 => ("SIP", "Q.850"),
            };
            format!(
                "{} {a} {} → {b} {to}{}{}",
                l(&format!("source.{}", m.row.source.as_str())),
                m.row.from,
                if m.disputed {
                    format!(" ({})", l("ui.disputed"))
                } else {
                    String::new()
                },
                if cm.note_text.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", cm.note_text)
                }
            )
        })
        .collect();
    for (i, m) in maps.iter().enumerate() {
        row(if i == 0 { "ui.mappings" } else { "" }, m);
    }
    if !c.aliases.is_empty() {
        row("ui.aliases", &c.aliases.join(", "));
    }
    row(
        "ui.source",
        &format!("{} ({})", c.reference, c.confidence_label),
    );
    o
}
