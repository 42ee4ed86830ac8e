//! The code knowledge base: SIP responses, Q.850 causes, Cisco CUCM cause values, FreeSWITCH
//! hangup causes, Asterisk dispositions and DIALSTATUS values, and VOS3000 end reasons, with their
//! mappings, the SIP timers that explain them, texts in several languages and a search over all
//! of them.
//!
//! Entry points for the rest of cdrscope:
//! - [`lookup`]: the entry of a final code as a call record carries it; its outcome comes from
//!   `crate::outcome` ([`Entry::failure_rule`]), the only place codes are classified.
//! - [`equivalent_sip`], [`q850_to_sip`], [`short_label`]: what the KPIs and tables use.
//! - [`search`] / [`search_cards`]: the reference (CLI `codes` and the page's panel).
//! - [`card`]: everything about one entry in one language, serializable for the page.
//! - [`mapping`]: RFC 3398 and vendor ISUP↔SIP tables, with disputed rows marked.
//!
//! Facts (class, billing, failover, mappings) are Rust tables; every text is in
//! `text/<lang>.txt`, so adding a language is adding a data file (see [`text`]).

mod asterisk;
mod cisco;
mod entry;
mod freeswitch;
pub mod mapping;
mod q850;
pub mod reference;
pub mod search;
mod sip;
mod sip_timer;
pub mod text;
mod vos3000;

pub use entry::{Billable, Class, Confidence, Entry, Failover, RefSystem};
pub use mapping::{Mapping, MappingDirection, MappingRow, MappingSource};
pub use reference::{card, Card, CardMapping};
pub use search::{search, search_cards, warm_up, Hit};
pub use sip::registry_codes as sip_registry_codes;

use crate::call::CodeSystem;
use std::collections::HashMap;
use std::sync::OnceLock;

struct Kb {
    entries: Vec<Entry>,
    index: HashMap<(RefSystem, String), usize>,
}

fn kb() -> &'static Kb {
    static KB: OnceLock<Kb> = OnceLock::new();
    KB.get_or_init(|| {
        let q = q850::entries();
        let mut entries = sip::entries();
        entries.extend(freeswitch::entries(&q));
        entries.extend(q);
        entries.extend(vos3000::entries());
        entries.extend(vos3000::direction_entries());
        entries.extend(asterisk::entries());
        entries.extend(sip_timer::entries());
        entries.extend(cisco::entries());
        // Keep the reference order stable: by system, then as the tables list them.
        entries.sort_by_key(|e| e.system);
        let mut index = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            index.insert((e.system, e.code.to_ascii_uppercase()), i);
        }
        // Aliases find their entry too, but never shadow a real code.
        for (i, e) in entries.iter().enumerate() {
            for a in e.aliases {
                index.entry((e.system, a.to_ascii_uppercase())).or_insert(i);
            }
        }
        Kb { entries, index }
    })
}

/// Every entry of the knowledge base, grouped by system.
pub fn entries() -> &'static [Entry] {
    &kb().entries
}

/// The entry of `code` in a knowledge-base table, matched case-insensitively (`code` is
/// trimmed; VOS3000 reasons also match their aliases such as `被叫挂断`).
pub fn lookup_ref(system: RefSystem, code: &str) -> Option<&'static Entry> {
    let code = code.trim();
    let code = match system {
        RefSystem::Vos3000 => vos3000::canonical(code).unwrap_or(code),
        // Records write Q.850 causes and SIP codes as plain numbers; "034" is 34.
        RefSystem::Q850 | RefSystem::Sip => {
            return code
                .parse::<u16>()
                .ok()
                .and_then(|n| kb().index.get(&(system, n.to_string())))
                .map(|&i| &kb().entries[i]);
        }
        // Cisco values are 32-bit; some exports print them signed (the aliases).
        RefSystem::Cisco => {
            return code
                .parse::<i64>()
                .ok()
                .and_then(|n| kb().index.get(&(system, n.to_string())))
                .map(|&i| &kb().entries[i]);
        }
        _ => code,
    };
    let k = kb();
    k.index
        .get(&(system, code.to_ascii_uppercase()))
        .map(|&i| &k.entries[i])
}

/// The knowledge-base entry for a final code as a call record carries it.
///
/// - `Sip`: `"503"` → SIP 503.
/// - `Q850`: `"34"` → Q.850 34; a value Q.850 does not assign that Cisco CUCM does
///   (`"393216"`, `"125"`) → the Cisco entry.
/// - `Vos3000`: 100–699 → the SIP entry (VOS writes the far end's SIP response); negative codes,
///   reason names and their Chinese labels → the VOS3000 entry (`"-69"`, `"NoAvailableRouter"`,
///   `"被叫挂断"`).
/// - `FreeSwitch`: a hangup cause name (`"ORIGINATOR_CANCEL"`), or its number (`"487"`).
/// - `Asterisk`: a disposition (`"NO ANSWER"`).
///
/// Returns `None` for codes the knowledge base does not know. Matching is case-insensitive.
pub fn lookup(system: CodeSystem, code: &str) -> Option<&'static Entry> {
    let code = code.trim();
    match system {
        CodeSystem::Sip => lookup_ref(RefSystem::Sip, code),
        CodeSystem::Q850 => {
            let q = lookup_ref(RefSystem::Q850, code).filter(|e| e.assigned);
            q.or_else(|| lookup_ref(RefSystem::Cisco, code))
                .or_else(|| lookup_ref(RefSystem::Q850, code))
        }
        CodeSystem::Vos3000 => match code.parse::<i32>() {
            Ok(n) if (100..700).contains(&n) => lookup_ref(RefSystem::Sip, code),
            _ => lookup_ref(RefSystem::Vos3000, code),
        },
        CodeSystem::FreeSwitch => lookup_ref(RefSystem::FreeSwitch, code).or_else(|| {
            let n: u16 = code.parse().ok()?;
            entries()
                .iter()
                .find(|e| e.system == RefSystem::FreeSwitch && e.q850 == Some(n))
        }),
        CodeSystem::Asterisk => lookup_ref(RefSystem::Asterisk, code),
        // The reference has no 3CX entries (yet): its reasons are explained by the outcome.
        CodeSystem::ThreeCx | CodeSystem::Text => None,
    }
}

/// Parses a VOS3000 end reason written as text (English names or Chinese client labels) into
/// its integer form.
pub fn vos_end_reason_from_text(text: &str) -> Option<i32> {
    vos3000::reason_number(text)
}

/// Returns the Q.850 cause value of a FreeSWITCH hangup cause name.
pub fn freeswitch_cause_q850(name: &str) -> Option<u16> {
    lookup_ref(RefSystem::FreeSwitch, name).and_then(|e| e.q850)
}

/// Returns the SIP status a final code is equivalent to, for code-share health (RFC 3398
/// where the code is a Q.850 cause; the vendor's own mapping otherwise).
pub fn equivalent_sip(system: CodeSystem, code: &str) -> Option<u16> {
    let code = code.trim();
    match system {
        CodeSystem::Sip => code.parse().ok().filter(|c| (100..700).contains(c)),
        CodeSystem::Vos3000 => match code.parse::<i32>() {
            Ok(c) if (100..700).contains(&c) => Some(c as u16),
            Ok(_) => None,
            Err(_) => lookup_ref(RefSystem::Vos3000, code).and_then(|e| e.sip),
        },
        CodeSystem::Q850 => code.parse().ok().and_then(q850_to_sip),
        CodeSystem::FreeSwitch => {
            let e = lookup_ref(RefSystem::FreeSwitch, code)?;
            e.q850
                .and_then(q850_to_sip)
                .or(if e.class == Class::VendorInternal {
                    e.sip
                } else {
                    None
                })
        }
        CodeSystem::Asterisk => lookup_ref(RefSystem::Asterisk, code).and_then(|e| e.sip),
        CodeSystem::ThreeCx | CodeSystem::Text => None,
    }
}

/// Maps a Q.850 cause to a SIP status per RFC 3398 §7.2.4.1, for code-share health.
///
/// Two additions to the RFC table: 16 (normal clearing) counts as 200, since it ends answered
/// calls, and 487 (FreeSWITCH ORIGINATOR_CANCEL) as 487.
pub fn q850_to_sip(cause: u16) -> Option<u16> {
    match cause {
        16 => Some(200),
        487 => Some(487),
        _ => mapping::isup_to_sip(cause),
    }
}

/// A code's short label in `lang`: the reference card's title when it has one in that language,
/// else [`short_label`] (English); the page's charts and drill-down show the same words.
pub fn short_label_in(system: Option<CodeSystem>, code: &str, lang: &str) -> String {
    let english = short_label(system, code);
    if english.is_empty() || lang == "en" {
        return english;
    }
    system
        .and_then(|s| lookup(s, code))
        .and_then(|e| reference::field_text_exact(e, reference::Field::Title, lang))
        .unwrap_or(english)
}

/// A short label for a code (SIP reason phrase, cause or reason name), or `""` when unknown.
pub fn short_label(system: Option<CodeSystem>, code: &str) -> String {
    let Some(e) = system.and_then(|s| lookup(s, code)) else {
        return String::new();
    };
    if !e.name.eq_ignore_ascii_case(code.trim()) {
        return e.name.to_string();
    }
    if e.system != RefSystem::FreeSwitch {
        return String::new();
    }
    // A FreeSWITCH name is its own label; say what it means instead, when Q.850 does.
    e.q850
        .and_then(q850::name)
        .map_or(String::new(), str::to_string)
}
