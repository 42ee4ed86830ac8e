//! The code knowledge base: concrete entries, mapping tables, search ranking, completeness of
//! every language, and the functions the parsers and KPIs call.

use cdrscope::codes::{
    self, card, lookup, lookup_ref, mapping,
    reference::{outcomes, Field},
    search, search_cards, text, Billable, Class, Confidence, Failover, MappingDirection,
    MappingSource, RefSystem,
};
use cdrscope::outcome::CodeOutcome;
use cdrscope::{CodeSystem, Outcome};

fn sip(code: &str) -> &'static codes::Entry {
    lookup(CodeSystem::Sip, code).unwrap_or_else(|| panic!("SIP {code} missing"))
}

#[test]
fn sip_503_is_an_unavailable_vendor_that_fails_over() {
    let e = sip("503");
    assert_eq!(e.name, "Service Unavailable");
    assert_eq!(e.class, Class::ServerFailure);
    assert_eq!(outcomes(e), [Outcome::Unavailable]);
    assert_eq!(e.billable, Billable::No);
    assert_eq!(e.failover, Failover::Continue);
    assert_eq!(e.reference, "RFC 3261");
    assert_eq!(e.q850, Some(41));
    let c = card(e, "en");
    assert_eq!(c.class_label, "5xx Server failure");
    assert_eq!(c.failover_label, "Next gateway is tried");
    assert!(
        c.action.starts_with("Route to an alternate gateway"),
        "{}",
        c.action
    );
    assert!(c.action.contains("Replace Failed Reason"));
    // RFC 3261 §21.5.4: a 503 may say when to come back.
    assert!(c.cause.contains("Retry-After"), "{}", c.cause);
    assert!(c.action.contains("Retry-After"), "{}", c.action);
    let es = card(e, "es");
    assert_eq!(es.title, "Servicio no disponible");
    assert_eq!(es.outcome_label, "Proveedor no disponible");
    assert!(es.action.starts_with("Enrute a un gateway alternativo"));
    assert!(es.cause.contains("Retry-After"), "{}", es.cause);
}

#[test]
fn q850_17_and_sip_486_map_to_each_other() {
    assert_eq!(mapping::isup_to_sip(17), Some(486));
    assert_eq!(mapping::sip_to_isup(486), Some(17));
    assert_eq!(codes::q850_to_sip(17), Some(486));
    let q17 = lookup(CodeSystem::Q850, "17").unwrap();
    assert_eq!(q17.name, "User busy");
    assert_eq!(q17.sip, Some(486));
    assert_eq!(outcomes(q17), [Outcome::Busy]);
    assert_eq!(q17.failover, Failover::ContinueUnlessBusyStop);
    let s486 = sip("486");
    assert_eq!(s486.q850, Some(17));
    assert_eq!(s486.failover, Failover::ContinueUnlessBusyStop);
    // The cards show both directions, and RFC 3398, FreeSWITCH and Asterisk agree on them.
    let c = card(q17, "en");
    assert!(c
        .mappings
        .iter()
        .map(|m| &m.mapping)
        .any(|m| m.row.source == MappingSource::Rfc3398 && m.row.to == Some(486) && !m.disputed));
    let c = card(s486, "en");
    assert!(c
        .mappings
        .iter()
        .map(|m| &m.mapping)
        .all(|m| m.row.to == Some(17) && !m.disputed));
    assert!(c
        .mapped_from
        .iter()
        .any(|m| m.mapping.row.from == 17 && m.mapping.row.source == MappingSource::FreeSwitch));
}

#[test]
fn six_hundreds_stop_gateway_switching() {
    for code in ["600", "603", "604", "606", "607", "608"] {
        assert_eq!(sip(code).failover, Failover::Stop, "{code}");
        assert_eq!(sip(code).class, Class::GlobalFailure, "{code}");
    }
    // A VOS3000 endreason of 600 is the SIP code and follows the same rule.
    assert_eq!(
        lookup(CodeSystem::Vos3000, "600").unwrap().failover,
        Failover::Stop
    );
    assert_eq!(sip("486").failover, Failover::ContinueUnlessBusyStop);
    for code in ["404", "408", "480", "500", "502", "503", "504"] {
        assert_eq!(sip(code).failover, Failover::Continue, "{code}");
    }
    assert_eq!(sip("200").failover, Failover::NotApplicable);
    let es = card(sip("600"), "es");
    assert_eq!(
        es.failover_label,
        "Se detiene la conmutación de gateways (6xx)"
    );
}

#[test]
fn request_terminated_is_not_billable() {
    let e = sip("487");
    assert_eq!(e.billable, Billable::No);
    assert_eq!(outcomes(e), [Outcome::Cancelled]);
    assert_eq!(e.failover, Failover::NotApplicable);
    let fs = lookup(CodeSystem::FreeSwitch, "ORIGINATOR_CANCEL").unwrap();
    assert_eq!((fs.q850, fs.sip), (Some(487), Some(487)));
    assert_eq!(fs.billable, Billable::No);
    assert_eq!(outcomes(fs), [Outcome::Cancelled]);
    assert_eq!(sip("200").billable, Billable::Yes);
    assert_eq!(
        lookup(CodeSystem::Vos3000, "-8").unwrap().billable,
        Billable::IfTalkTime
    );
}

#[test]
fn rfc3398_isup_to_sip_table() {
    let expected: &[(u16, Option<u16>)] = &[
        (1, Some(404)),
        (2, Some(404)),
        (3, Some(404)),
        (16, None),
        (17, Some(486)),
        (18, Some(408)),
        (19, Some(480)),
        (20, Some(480)),
        (21, Some(403)),
        (22, Some(410)),
        (23, Some(410)),
        (26, Some(404)),
        (27, Some(502)),
        (28, Some(484)),
        (29, Some(501)),
        (31, Some(480)),
        (34, Some(503)),
        (38, Some(503)),
        (41, Some(503)),
        (42, Some(503)),
        (47, Some(503)),
        (55, Some(403)),
        (57, Some(403)),
        (58, Some(503)),
        (65, Some(488)),
        (70, Some(488)),
        (79, Some(501)),
        (87, Some(403)),
        (88, Some(503)),
        (102, Some(504)),
        (111, Some(500)),
        (127, Some(500)),
    ];
    let rows: Vec<(u16, Option<u16>)> = mapping::MAPPINGS
        .iter()
        .filter(|m| {
            m.source == MappingSource::Rfc3398 && m.direction == MappingDirection::Q850ToSip
        })
        .map(|m| (m.from, m.to))
        .collect();
    assert_eq!(rows, expected);
    for &(cause, to) in expected {
        assert_eq!(mapping::isup_to_sip(cause), to, "cause {cause}");
    }
    assert_eq!(mapping::isup_to_sip(4), None);
}

#[test]
fn rfc3398_sip_to_isup_table() {
    let expected: &[(u16, Option<u16>)] = &[
        (400, Some(41)),
        (401, Some(21)),
        (402, Some(21)),
        (403, Some(21)),
        (404, Some(1)),
        (405, Some(63)),
        (406, Some(79)),
        (407, Some(21)),
        (408, Some(102)),
        (410, Some(22)),
        (413, Some(127)),
        (414, Some(127)),
        (415, Some(79)),
        (416, Some(127)),
        (420, Some(127)),
        (421, Some(127)),
        (423, Some(127)),
        (480, Some(18)),
        (481, Some(41)),
        (482, Some(25)),
        (483, Some(25)),
        (484, Some(28)),
        (485, Some(1)),
        (486, Some(17)),
        (487, None),
        (488, None),
        (500, Some(41)),
        (501, Some(79)),
        (502, Some(38)),
        (503, Some(41)),
        (504, Some(102)),
        (505, Some(127)),
        (513, Some(127)),
        (600, Some(17)),
        (603, Some(21)),
        (604, Some(1)),
        (606, None),
    ];
    let rows: Vec<(u16, Option<u16>)> = mapping::MAPPINGS
        .iter()
        .filter(|m| {
            m.source == MappingSource::Rfc3398 && m.direction == MappingDirection::SipToQ850
        })
        .map(|m| (m.from, m.to))
        .collect();
    assert_eq!(rows, expected);
    for &(code, to) in expected {
        assert_eq!(mapping::sip_to_isup(code), to, "SIP {code}");
    }
}

#[test]
fn vendor_deviations_are_marked_disputed() {
    // SIP 480: RFC 3398 says 18, Asterisk 19, Oracle 20.
    let m = mapping::mappings_from(MappingDirection::SipToQ850, 480);
    let got: Vec<(MappingSource, Option<u16>, bool)> = m
        .iter()
        .map(|m| (m.row.source, m.row.to, m.disputed))
        .collect();
    assert_eq!(
        got,
        [
            (MappingSource::Rfc3398, Some(18), true),
            (MappingSource::Asterisk, Some(19), true),
            (MappingSource::Oracle, Some(20), true),
        ]
    );
    // Q.850 21: RFC 3398 sends 403, FreeSWITCH 603.
    let m = mapping::mappings_from(MappingDirection::Q850ToSip, 21);
    assert!(m.iter().all(|m| m.disputed));
    assert_eq!(
        mapping::map(MappingSource::FreeSwitch, MappingDirection::Q850ToSip, 21)
            .unwrap()
            .to,
        Some(603)
    );
    // SIP 503: Asterisk's 34 against RFC 3398 and Oracle's 41.
    let m = mapping::mappings_from(MappingDirection::SipToQ850, 503);
    assert_eq!(m.len(), 3);
    assert!(m.iter().all(|m| m.disputed));
    // SIP 404 → 1 everywhere: not disputed.
    let m = mapping::mappings_from(MappingDirection::SipToQ850, 404);
    assert_eq!(m.len(), 2);
    assert!(m.iter().all(|m| !m.disputed && m.row.to == Some(1)));
    // The reverse look-up lists every cause RFC 3398 turns into 503.
    let into_503: Vec<u16> = mapping::mappings_to(MappingDirection::Q850ToSip, 503)
        .iter()
        .filter(|m| m.row.source == MappingSource::Rfc3398)
        .map(|m| m.row.from)
        .collect();
    assert_eq!(into_503, [34, 38, 41, 42, 47, 58, 88]);
}

#[test]
fn every_sip_code_and_q850_cause_has_text_in_every_language() {
    let sip_codes: Vec<u16> = codes::sip_registry_codes().collect();
    assert_eq!(sip_codes.len(), 75);
    for lang in text::language_ids() {
        assert!(
            text::malformed_lines(lang).is_empty(),
            "{lang}: {:?}",
            text::malformed_lines(lang)
        );
        for &c in &sip_codes {
            let e = lookup_ref(RefSystem::Sip, &c.to_string()).unwrap();
            for f in Field::ALL {
                let t = codes::reference::field_text_exact(e, f, lang);
                assert!(t.is_some_and(|t| !t.is_empty()), "{lang} SIP {c} {f:?}");
            }
            // SIP texts are written per code, never borrowed from a class.
            for f in [Field::Cause, Field::Action] {
                assert!(
                    text::get_exact(lang, &format!("sip.{c}.{}", f.as_str())).is_some(),
                    "{lang} SIP {c} {f:?}"
                );
            }
        }
        for cause in 1..=127u16 {
            let e = lookup(CodeSystem::Q850, &cause.to_string())
                .unwrap_or_else(|| panic!("Q.850 {cause} missing"));
            for f in Field::ALL {
                let t = codes::reference::field_text_exact(e, f, lang);
                assert!(
                    t.is_some_and(|t| !t.is_empty()),
                    "{lang} Q.850 {cause} {f:?}"
                );
            }
        }
    }
    // Unassigned values are entries too, marked as such.
    let q11 = lookup(CodeSystem::Q850, "11").unwrap();
    assert!(!q11.assigned);
    assert_eq!(q11.class, Class::NormalEvent);
    assert_eq!(card(q11, "en").title, "Unassigned cause 11");
    assert_eq!(card(q11, "es").title, "Causa no asignada 11");
    assert_eq!(
        codes::entries()
            .iter()
            .filter(|e| e.system == RefSystem::Q850)
            .count(),
        127
    );
}

#[test]
fn every_text_key_exists_in_every_language() {
    // Each language file translates the same keys as English, so a card never mixes languages.
    let en = include_str!("../../src/codes/text/en.txt");
    for lang in text::language_ids() {
        for line in en
            .lines()
            .filter(|l| l.contains(" = ") && !l.starts_with('#'))
        {
            let key = line.split(" = ").next().unwrap().trim();
            assert!(text::get_exact(lang, key).is_some(), "{lang} lacks {key}");
        }
    }
    // Every note of the mapping tables is written in every language.
    for m in mapping::MAPPINGS.iter().filter(|m| !m.note.is_empty()) {
        for lang in text::language_ids() {
            assert!(
                text::get_exact(lang, &format!("note.{}", m.note)).is_some(),
                "{lang} note {}",
                m.note
            );
        }
    }
    // Every entry of every system has its texts in every language.
    for e in codes::entries() {
        for lang in text::language_ids() {
            for f in Field::ALL {
                assert!(
                    codes::reference::field_text_exact(e, f, lang).is_some(),
                    "{lang} {} {} {f:?}",
                    e.system.as_str(),
                    e.code
                );
            }
        }
    }
}

fn top(query: &str, n: usize) -> Vec<(RefSystem, String)> {
    search(query, n)
        .iter()
        .map(|h| (h.entry.system, h.entry.code.clone()))
        .collect()
}

fn first(query: &str) -> (RefSystem, String) {
    top(query, 1)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no result for {query:?}"))
}

#[test]
fn search_ranks_the_exact_number_first() {
    use RefSystem::*;
    let cases: &[(&str, RefSystem, &str)] = &[
        ("503", Sip, "503"),
        ("sip 503", Sip, "503"),
        ("cause 34", Q850, "34"),
        ("q850 17", Q850, "17"),
        ("Q.850 102", Q850, "102"),
        ("-69", Vos3000, "-69"),
        ("-8", Vos3000, "-8"),
        ("17", Q850, "17"),
        ("487", Sip, "487"),
        ("NORMAL_CLEARING", FreeSwitch, "NORMAL_CLEARING"),
        ("normal clearing", FreeSwitch, "NORMAL_CLEARING"),
        ("call clearing", Q850, "16"),
        ("no answer", Asterisk, "NO ANSWER"),
        ("NoAvailableRouter", Vos3000, "NoAvailableRouter"),
        ("被叫挂断", Vos3000, "-8"),
        ("主叫", Vos3000EndDirection, "0"),
        ("主叫挂断", Vos3000, "-9"),
        ("busy", Sip, "486"),
        ("bsuy", Sip, "486"),
        ("BUSY", Asterisk, "BUSY"),
        ("ocupado", Sip, "486"),
        ("balance", Vos3000, "AccountBalanceNotEnough"),
        ("saldo", Vos3000, "AccountBalanceNotEnough"),
        ("timeout", Sip, "408"),
        ("tiemout", Sip, "408"),
        ("enddirection 2", Vos3000EndDirection, "2"),
        ("dirección 0", Vos3000EndDirection, "0"),
        ("5xx", Sip, "500"),
    ];
    for (q, sys, code) in cases {
        assert_eq!(first(q), (*sys, code.to_string()), "query {q:?}");
    }
    // The related entries follow the exact match: causes RFC 3398 maps to 503, the VOS names.
    let r = top("503", 40);
    assert_eq!(r[0], (Sip, "503".to_string()));
    for want in [
        (Q850, "34"),
        (Q850, "41"),
        (Vos3000, "NoAvailableRouter"),
        (Vos3000, "AllGatewayBusy"),
        (FreeSwitch, "NORMAL_CIRCUIT_CONGESTION"),
        (Asterisk, "CONGESTION"),
    ] {
        assert!(
            r.contains(&(want.0, want.1.to_string())),
            "503 lacks {want:?}"
        );
    }
    // "cause 34" also finds the FreeSWITCH name of cause 34, second.
    assert_eq!(
        top("cause 34", 2)[1],
        (FreeSwitch, "NORMAL_CIRCUIT_CONGESTION".to_string())
    );
    // Every busy code answers "busy" before anything that only mentions it in a text.
    let busy = top("busy", 7);
    for want in [
        (Sip, "486"),
        (Sip, "600"),
        (Q850, "17"),
        (Asterisk, "BUSY"),
        (FreeSwitch, "USER_BUSY"),
    ] {
        assert!(
            busy.contains(&(want.0, want.1.to_string())),
            "busy lacks {want:?}"
        );
    }
    assert_eq!(top("5xx", 20).len(), 9);
    assert!(search("zzzzqqq", 10).is_empty());
    assert!(search("", 10).is_empty());
    assert!(search("503", 0).is_empty());
}

#[test]
fn search_is_fast_enough_for_typing() {
    // 1000 searches of every kind; the assertions are on results, timing is for benchmarks.
    let queries = [
        "503",
        "cause 34",
        "q850 17",
        "-69",
        "busy",
        "timeout",
        "balance",
        "ocupado",
        "tiemout",
        "no route",
        "codec",
        "Dirección",
        "4xx",
        "NORMAL_CLEARING",
        "被叫挂断",
    ];
    let mut found = 0;
    for i in 0..1000 {
        let q = queries[i % queries.len()];
        let hits = search(q, 10);
        assert!(!hits.is_empty(), "{q}");
        assert!(hits.windows(2).all(|w| w[0].score >= w[1].score), "{q}");
        found += hits.len();
    }
    assert!(found >= 1000);
}

#[test]
fn cards_serialize_for_the_page() {
    let cards = search_cards("503", "es", 1);
    let v = serde_json::to_value(&cards[0]).unwrap();
    assert_eq!(v["system"], "sip");
    assert_eq!(v["code"], "503");
    assert_eq!(v["lang"], "es");
    assert_eq!(v["title"], "Servicio no disponible");
    assert_eq!(v["outcomes"], serde_json::json!(["unavailable"]));
    assert_eq!(v["outcome_label"], "Proveedor no disponible");
    assert_eq!(v["failover"], "continue");
    assert_eq!(v["billable"], "no");
    assert_eq!(v["q850"], 41);
    assert_eq!(v["mappings"][0]["source"], "rfc3398");
    assert_eq!(v["mappings"][0]["direction"], "sip_to_q850");
    assert_eq!(v["mappings"][0]["to"], 41);
    assert_eq!(v["mappings"][0]["disputed"], true);
    assert_eq!(v["mappings"][0]["note_text"], "");
    // Notes are translated like every other text.
    let q16 = card(lookup(CodeSystem::Q850, "16").unwrap(), "es");
    assert_eq!(q16.mappings[0].mapping.row.note, "bye_or_cancel");
    assert_eq!(
        q16.mappings[0].note_text,
        "la liberación normal termina la llamada con BYE o CANCEL, no con una respuesta"
    );
    let v = serde_json::to_value(&q16).unwrap();
    assert_eq!(v["mappings"][1]["source"], "freeswitch");
    assert_eq!(v["mappings"][1]["to"], 480);
    assert_eq!(v["mappings"][1]["disputed"], true);
    // An unknown language falls back to English; a regional tag uses its base language.
    assert_eq!(search_cards("503", "xx", 1)[0].lang, "en");
    assert_eq!(search_cards("503", "es-MX", 1)[0].lang, "es");
    let fs = card(lookup(CodeSystem::FreeSwitch, "USER_BUSY").unwrap(), "en");
    assert_eq!(fs.title, "User busy");
    let v = serde_json::to_value(&fs).unwrap();
    assert_eq!(v["system"], "freeswitch");
}

#[test]
fn vos3000_end_reasons_and_directions() {
    let e = lookup(CodeSystem::Vos3000, "-9").unwrap();
    assert_eq!(e.name, "Caller hung up");
    assert_eq!(e.confidence, Confidence::Low);
    assert_eq!(
        lookup(CodeSystem::Vos3000, "-8").unwrap().confidence,
        Confidence::Medium
    );
    let e = lookup(CodeSystem::Vos3000, "-69").unwrap();
    assert_eq!(outcomes(e), [Outcome::NoRoute]);
    assert_eq!(e.billable, Billable::No);
    for (name, sip, outcome) in [
        ("NoAvailableRouter", 503, Outcome::NoRoute),
        ("AllGatewayBusy", 503, Outcome::NoRoute),
        ("GatewayTimeout", 408, Outcome::Timeout),
        ("InviteTimeout", 408, Outcome::Timeout),
        ("AccountBalanceNotEnough", 503, Outcome::Auth),
    ] {
        let e = lookup(CodeSystem::Vos3000, name).unwrap();
        assert_eq!((e.sip, outcomes(e)), (Some(sip), vec![outcome]), "{name}");
        assert_eq!(codes::equivalent_sip(CodeSystem::Vos3000, name), Some(sip));
    }
    assert_eq!(
        lookup(CodeSystem::Vos3000, "无可用路由").unwrap().code,
        "NoAvailableRouter"
    );
    // What gateway switching did: the route-wide reasons end it, timeouts move on, the balance
    // and -69 refusals come before any gateway (all low confidence, see vos3000.rs).
    for (name, failover) in [
        ("NoAvailableRouter", Failover::Exhausted),
        ("AllGatewayBusy", Failover::Exhausted),
        ("GatewayTimeout", Failover::Continue),
        ("InviteTimeout", Failover::Continue),
        ("AccountBalanceNotEnough", Failover::Refused),
        ("-69", Failover::Refused),
        ("-8", Failover::NotApplicable),
    ] {
        assert_eq!(
            lookup(CodeSystem::Vos3000, name).unwrap().failover,
            failover,
            "{name}"
        );
    }
    assert_eq!(lookup(CodeSystem::Vos3000, "被叫挂断").unwrap().code, "-8");
    // Positive end reasons are the far end's SIP response.
    assert_eq!(
        lookup(CodeSystem::Vos3000, "503").unwrap().system,
        RefSystem::Sip
    );
    let d = lookup_ref(RefSystem::Vos3000EndDirection, "2").unwrap();
    assert_eq!(d.name, "Server ended the call");
    assert_eq!(card(d, "es").title, "El servidor terminó la llamada");
    assert_eq!(lookup_ref(RefSystem::Vos3000EndDirection, "3"), None);
}

#[test]
fn freeswitch_causes_include_the_vendor_values() {
    for (name, value) in [
        ("NONE", 0),
        ("UNSPECIFIED", 0),
        ("NORMAL_CLEARING", 16),
        ("RECOVERY_ON_TIMER_EXPIRE", 102),
        ("SUCCESS", 142),
        ("ORIGINATOR_CANCEL", 487),
        ("LOSE_RACE", 702),
        ("MEDIA_TIMEOUT", 804),
        ("PICKED_OFF", 805),
        ("GATEWAY_DOWN", 809),
        ("REJECT_ALL", 825),
    ] {
        assert_eq!(codes::freeswitch_cause_q850(name), Some(value), "{name}");
    }
    assert_eq!(codes::freeswitch_cause_q850("user_busy"), Some(17));
    assert_eq!(
        lookup(CodeSystem::FreeSwitch, "UNSPECIFIED").unwrap().code,
        "NONE"
    );
    assert_eq!(
        lookup(CodeSystem::Asterisk, "NO_ANSWER").unwrap().code,
        "NO ANSWER"
    );
    assert_eq!(codes::freeswitch_cause_q850("NOT_A_CAUSE"), None);
    assert_eq!(
        codes::entries()
            .iter()
            .filter(|e| e.system == RefSystem::FreeSwitch)
            .count(),
        82
    );
    let m = lookup(CodeSystem::FreeSwitch, "MEDIA_TIMEOUT").unwrap();
    assert_eq!(
        (m.class, outcomes(m)),
        (Class::VendorInternal, vec![Outcome::Media])
    );
    // Names of Q.850 causes share the cause's class and outcome.
    let n = lookup(CodeSystem::FreeSwitch, "NORMAL_CIRCUIT_CONGESTION").unwrap();
    assert_eq!(
        (n.class, outcomes(n)),
        (Class::ResourceUnavailable, vec![Outcome::Unavailable])
    );
}

#[test]
fn functions_the_parsers_and_kpis_call_keep_their_behaviour() {
    assert_eq!(codes::vos_end_reason_from_text("主叫挂断"), Some(-9));
    assert_eq!(codes::vos_end_reason_from_text(" 被叫挂断 "), Some(-8));
    assert_eq!(codes::vos_end_reason_from_text("CallerHangup"), Some(-9));
    assert_eq!(codes::vos_end_reason_from_text("Callee hang up"), Some(-8));
    assert_eq!(codes::vos_end_reason_from_text("NoAvailableRouter"), None);
    assert_eq!(codes::vos_end_reason_from_text("503"), None);

    assert_eq!(codes::equivalent_sip(CodeSystem::Sip, "503"), Some(503));
    assert_eq!(codes::equivalent_sip(CodeSystem::Sip, "99"), None);
    assert_eq!(codes::equivalent_sip(CodeSystem::Vos3000, "486"), Some(486));
    assert_eq!(codes::equivalent_sip(CodeSystem::Vos3000, "-8"), None);
    assert_eq!(codes::equivalent_sip(CodeSystem::Vos3000, "-69"), None);
    assert_eq!(codes::equivalent_sip(CodeSystem::Q850, "34"), Some(503));
    assert_eq!(codes::equivalent_sip(CodeSystem::Q850, "16"), Some(200));
    assert_eq!(
        codes::equivalent_sip(CodeSystem::FreeSwitch, "NORMAL_CLEARING"),
        Some(200)
    );
    assert_eq!(
        codes::equivalent_sip(CodeSystem::FreeSwitch, "USER_BUSY"),
        Some(486)
    );
    assert_eq!(
        codes::equivalent_sip(CodeSystem::FreeSwitch, "CALL_REJECTED"),
        Some(403)
    );
    assert_eq!(
        codes::equivalent_sip(CodeSystem::FreeSwitch, "ORIGINATOR_CANCEL"),
        Some(487)
    );
    assert_eq!(
        codes::equivalent_sip(CodeSystem::FreeSwitch, "GATEWAY_DOWN"),
        Some(503)
    );
    assert_eq!(
        codes::equivalent_sip(CodeSystem::Asterisk, "ANSWERED"),
        Some(200)
    );
    assert_eq!(
        codes::equivalent_sip(CodeSystem::Asterisk, "NO ANSWER"),
        Some(480)
    );
    assert_eq!(
        codes::equivalent_sip(CodeSystem::Asterisk, "CONGESTION"),
        Some(503)
    );
    assert_eq!(codes::equivalent_sip(CodeSystem::Asterisk, "FAILED"), None);

    assert_eq!(codes::q850_to_sip(16), Some(200));
    assert_eq!(codes::q850_to_sip(18), Some(408));
    assert_eq!(codes::q850_to_sip(487), Some(487));
    assert_eq!(codes::q850_to_sip(4), None);

    assert_eq!(
        codes::short_label(Some(CodeSystem::Sip), "486"),
        "Busy Here"
    );
    assert_eq!(
        codes::short_label(Some(CodeSystem::Vos3000), "504"),
        "Server Time-out"
    );
    assert_eq!(
        codes::short_label(Some(CodeSystem::Vos3000), "-8"),
        "Callee hung up"
    );
    assert_eq!(
        codes::short_label(Some(CodeSystem::Vos3000), "-9"),
        "Caller hung up"
    );
    assert_eq!(
        codes::short_label(Some(CodeSystem::Q850), "34"),
        "No circuit/channel available"
    );
    assert_eq!(
        codes::short_label(Some(CodeSystem::FreeSwitch), "USER_BUSY"),
        "User busy"
    );
    assert_eq!(
        codes::short_label(Some(CodeSystem::FreeSwitch), "MEDIA_TIMEOUT"),
        ""
    );
    assert_eq!(codes::short_label(Some(CodeSystem::Asterisk), "BUSY"), "");
    assert_eq!(codes::short_label(None, "486"), "");
    assert_eq!(codes::short_label(Some(CodeSystem::Sip), "999"), "");
}

#[test]
fn cards_show_the_outcome_src_outcome_gives() {
    let out = |system, code: &str| outcomes(lookup(system, code).unwrap());
    use Outcome::*;
    assert_eq!(out(CodeSystem::Sip, "503"), [Unavailable]);
    assert_eq!(out(CodeSystem::Sip, " 404 "), [NumberError]);
    assert_eq!(out(CodeSystem::Sip, "403"), [Auth]);
    assert_eq!(out(CodeSystem::Sip, "408"), [NoAnswer, Timeout]);
    assert_eq!(out(CodeSystem::Sip, "488"), [Media]);
    assert_eq!(out(CodeSystem::Sip, "606"), [Media]);
    assert_eq!(out(CodeSystem::Q850, "034"), [Unavailable]);
    assert_eq!(out(CodeSystem::Q850, "16"), [Cancelled, Other]);
    assert_eq!(out(CodeSystem::Asterisk, "congestion"), [Unavailable]);
    assert_eq!(
        out(CodeSystem::FreeSwitch, "NO_ROUTE_DESTINATION"),
        [NoRoute]
    );
    assert_eq!(out(CodeSystem::Vos3000, "-69"), [NoRoute]);
    assert_eq!(
        lookup(CodeSystem::FreeSwitch, "487").unwrap().code,
        "ORIGINATOR_CANCEL"
    );
    assert!(lookup(CodeSystem::Sip, "999").is_none());
    assert!(lookup(CodeSystem::Q850, "0").is_none());
    assert!(lookup(CodeSystem::Vos3000, "-12345").is_none());
    // The labels say when the outcome depends on the call.
    let c408 = card(lookup(CodeSystem::Sip, "408").unwrap(), "en");
    assert_eq!(c408.outcome_label, "No answer when it rang, else timeout");
    let c16 = card(lookup(CodeSystem::Q850, "16").unwrap(), "es");
    assert_eq!(
        c16.outcome_label,
        "Cancelada si colgó el llamante, si no otro"
    );
    // One classification: every card's outcome is src/outcome's for the code alone.
    for e in codes::entries() {
        let Some(system) = e.code_system() else {
            assert!(outcomes(e).is_empty());
            continue;
        };
        let sip = (system == CodeSystem::Sip).then(|| e.code.parse().unwrap());
        let rule = CodeOutcome::of(Some(system), &e.code, sip, None).failure;
        let got = outcomes(e);
        assert_eq!(
            got[0],
            rule.resolve(true, true),
            "{:?} {}",
            e.system,
            e.code
        );
        assert_eq!(
            *got.last().unwrap(),
            rule.resolve(false, false),
            "{:?} {}",
            e.system,
            e.code
        );
    }
}

#[test]
fn sip_timers_explain_timeouts() {
    use RefSystem::SipTimer;
    // RFC 3261 Table 4 (Appendix A): every timer, searchable by name and by its value.
    let timers: Vec<&str> = codes::entries()
        .iter()
        .filter(|e| e.system == SipTimer)
        .map(|e| e.code.as_str())
        .collect();
    assert_eq!(
        timers,
        [
            "T1", "T2", "T4", "Timer A", "Timer B", "Timer C", "Timer D", "Timer E", "Timer F",
            "Timer G", "Timer H", "Timer I", "Timer J", "Timer K"
        ]
    );
    for (q, want) in [
        ("timer b", "Timer B"),
        ("Timer B", "Timer B"),
        ("timerb", "Timer B"),
        ("t1", "T1"),
        ("T2", "T2"),
        ("timer c", "Timer C"),
        ("32 s", "Timer B"),
        ("32s", "Timer B"),
        ("32 segundos", "Timer B"),
        ("500 ms", "T1"),
        ("4 s", "T2"),
        ("3 min", "Timer C"),
        ("temporizador b", "Timer B"),
    ] {
        assert_eq!(first(q), (SipTimer, want.to_string()), "query {q:?}");
    }
    let b = lookup_ref(SipTimer, "timer b").unwrap();
    assert_eq!(b.reference, "RFC 3261 §17.1.1.2");
    let c = card(b, "en");
    assert!(c.cause.contains("64×T1 = 32 s"), "{}", c.cause);
    assert!(c.cause.contains("408"), "{}", c.cause);
    // A timer is not a code: no outcome, billing or failover on its card.
    assert!(c.outcomes.is_empty() && c.outcome_label.is_empty());
    assert_eq!((c.billable, c.failover), (None, None));
    assert!(c.billable_label.is_empty() && c.failover_label.is_empty());
    assert_eq!(c.system_label, "RFC 3261");
    assert_eq!(
        lookup_ref(SipTimer, "T1").map(|e| card(e, "es").title),
        Some("Estimación del tiempo de ida y vuelta (T1)".to_string())
    );
    // The 408 card says what a 408 at 32 s is.
    let s408 = card(sip("408"), "en");
    assert!(s408.cause.contains("Timer B"), "{}", s408.cause);
    assert!(s408.cause.contains("32 s"), "{}", s408.cause);
    assert!(card(sip("408"), "es").cause.contains("temporizador B"));
}

#[test]
fn asterisk_dialstatus_values_are_codes_too() {
    // docs.asterisk.org, Dial application: every DIALSTATUS value has an entry, and its outcome
    // is the one src/outcome/tables.rs gives it.
    for (status, outcome, failover) in [
        ("CHANUNAVAIL", Outcome::Unavailable, Failover::Continue),
        ("CONGESTION", Outcome::Unavailable, Failover::Continue),
        ("NOANSWER", Outcome::NoAnswer, Failover::Continue),
        ("BUSY", Outcome::Busy, Failover::ContinueUnlessBusyStop),
        ("CANCEL", Outcome::Cancelled, Failover::NotApplicable),
        ("DONTCALL", Outcome::Rejected, Failover::Stop),
        ("TORTURE", Outcome::Rejected, Failover::Stop),
        ("INVALIDARGS", Outcome::Other, Failover::Refused),
    ] {
        let e = lookup(CodeSystem::Asterisk, status).unwrap_or_else(|| panic!("{status}"));
        assert_eq!(e.code, status);
        assert_eq!(outcomes(e), [outcome], "{status}");
        assert_eq!(e.failover, failover, "{status}");
        assert_eq!(first(status), (RefSystem::Asterisk, status.to_string()));
    }
    let e = lookup(CodeSystem::Asterisk, "ANSWER").unwrap();
    assert_eq!((e.class, e.billable), (Class::DialStatus, Billable::Yes));
    let c = card(lookup(CodeSystem::Asterisk, "chanunavail").unwrap(), "en");
    assert_eq!(c.title, "Channel unavailable");
    assert_eq!(c.class_label, "Asterisk DIALSTATUS");
    assert!(c.cause.contains("not registered"), "{}", c.cause);
    assert_eq!(
        card(lookup(CodeSystem::Asterisk, "CHANUNAVAIL").unwrap(), "es").title,
        "Canal no disponible"
    );
    // The SIP equivalents the KPIs use stay as they were for the dispositions.
    assert_eq!(
        codes::equivalent_sip(CodeSystem::Asterisk, "NOANSWER"),
        Some(480)
    );
    assert_eq!(
        codes::equivalent_sip(CodeSystem::Asterisk, "CHANUNAVAIL"),
        None
    );
}

#[test]
fn cisco_cucm_cause_values_are_found_as_q850_system_numbers() {
    use RefSystem::Cisco;
    // CUCM records write Cisco's own values where Q.850 causes go (CDR Administration Guide,
    // Call Termination Cause Codes).
    for (value, name) in [
        ("262144", "Conference Full"),
        ("393216", "Call split"),
        (
            "458752",
            "Conference drop any party/Conference drop last party",
        ),
        ("16777257", "CCM_SIP_400_BAD_REQUEST"),
        ("419430421", "CCM_SIP_424_BAD_LOCATION_INFO"),
        ("1459617833", "CCM_SIP_503_SERVICE_UNAVAILABLE"),
        ("2751463455", "CCM_SIP_606_NOT_ACCEPTABLE"),
        ("125", "Out of bandwidth"),
    ] {
        let e = lookup(CodeSystem::Q850, value).unwrap_or_else(|| panic!("{value}"));
        assert_eq!((e.system, e.name), (Cisco, name), "{value}");
    }
    // The signed form some exports print, and the decimal the guide misprints for 420.
    assert_eq!(
        lookup(CodeSystem::Q850, "-1493172161").unwrap().code,
        "2801795135"
    );
    let e420 = lookup(CodeSystem::Q850, "83886207").unwrap();
    assert_eq!((e420.code.as_str(), e420.sip), ("352321663", Some(420)));
    // Q.850's own causes are untouched; unknown values stay unknown.
    assert_eq!(
        lookup(CodeSystem::Q850, "17").unwrap().system,
        RefSystem::Q850
    );
    assert_eq!(
        lookup(CodeSystem::Q850, "11").unwrap().system,
        RefSystem::Q850
    );
    assert!(lookup(CodeSystem::Q850, "999999").is_none());
    assert!(lookup(CodeSystem::Q850, "128").is_none());
    // A CCM_SIP value is its SIP status with the Q.850 cause in its low byte.
    let busy = lookup(CodeSystem::Q850, "1174405137").unwrap();
    assert_eq!((busy.sip, busy.q850), (Some(486), Some(17)));
    let c = card(busy, "en");
    assert_eq!(c.title, "Busy Here (SIP 486 via CUCM)");
    assert_eq!(c.cause, card(sip("486"), "en").cause);
    assert_eq!(card(busy, "es").title, "Ocupado aquí (SIP 486 vía CUCM)");
    // Their outcome is src/outcome's for a Q.850 system number it does not know: other.
    assert_eq!(outcomes(busy), [Outcome::Other]);
    let split = card(lookup(CodeSystem::Q850, "393216").unwrap(), "en");
    assert_eq!(split.outcomes, [Outcome::Other]);
    assert_eq!(split.billable, Some(Billable::IfTalkTime));
    assert!(split.cause.contains("transfer"), "{}", split.cause);
    assert_eq!(
        card(lookup(CodeSystem::Q850, "393216").unwrap(), "es").title,
        "Llamada separada"
    );
    for (q, code) in [
        ("393216", "393216"),
        ("call split", "393216"),
        ("cause 125", "125"),
        ("CCM_SIP_424_BAD_LOCATION_INFO", "419430421"),
        ("-1493172161", "2801795135"),
    ] {
        assert_eq!(first(q), (Cisco, code.to_string()), "query {q:?}");
    }
    assert!(!codes::short_label(Some(CodeSystem::Q850), "393216").is_empty());
}

/// The queries operators typed when the reference misled them (issue #16), each with the answer
/// it must give first.
#[test]
fn operator_queries_get_their_answer_first() {
    use RefSystem::*;
    let cases: &[(&str, RefSystem, &str)] = &[
        ("NoAvailableRouter", Vos3000, "NoAvailableRouter"),
        ("AllGatewayBusy", Vos3000, "AllGatewayBusy"),
        (
            "AccountBalanceNotEnough",
            Vos3000,
            "AccountBalanceNotEnough",
        ),
        ("GatewayTimeout", Vos3000, "GatewayTimeout"),
        ("InviteTimeout", Vos3000, "InviteTimeout"),
        ("timer b", SipTimer, "Timer B"),
        ("t1", SipTimer, "T1"),
        ("32 s", SipTimer, "Timer B"),
        ("CHANUNAVAIL", Asterisk, "CHANUNAVAIL"),
        ("CONGESTION", Asterisk, "CONGESTION"),
        ("NOANSWER", Asterisk, "NOANSWER"),
        ("BUSY", Asterisk, "BUSY"),
        ("CANCEL", Asterisk, "CANCEL"),
        ("DONTCALL", Asterisk, "DONTCALL"),
        ("TORTURE", Asterisk, "TORTURE"),
        ("INVALIDARGS", Asterisk, "INVALIDARGS"),
        ("FAILED", Asterisk, "FAILED"),
        ("503", Sip, "503"),
        ("408", Sip, "408"),
        ("393216", Cisco, "393216"),
    ];
    for (q, sys, code) in cases {
        assert_eq!(first(q), (*sys, code.to_string()), "query {q:?}");
    }
    // "FAILED" before the SIP codes that merely contain the word.
    let failed = top("FAILED", 3);
    assert_eq!(failed[0], (Asterisk, "FAILED".to_string()));
    assert!(failed.contains(&(Sip, "412".to_string())));
    // Spanish: "tiempo de espera" finds 408 among the first three.
    let es: Vec<String> = search_cards("tiempo de espera", "es", 3)
        .iter()
        .map(|c| format!("{} {}", c.system.as_str(), c.code))
        .collect();
    assert!(es.contains(&"sip 408".to_string()), "{es:?}");
    // 503 mentions Retry-After; 408 says what a 408 at 32 s is.
    let c503 = &search_cards("503", "en", 1)[0];
    assert!(c503.cause.contains("Retry-After"), "{}", c503.cause);
    let c408 = &search_cards("408", "en", 1)[0];
    assert!(c408.cause.contains("Timer B"), "{}", c408.cause);
    // 393216 is Cisco's call split.
    let split = &search_cards("393216", "en", 1)[0];
    assert_eq!(split.title, "Call split");
    // NoAvailableRouter: the SIP code sent to the caller, and that the switch tries the next
    // gateway while one is left (EN and ES).
    let nar = &search_cards("NoAvailableRouter", "en", 1)[0];
    assert_eq!(nar.sent_to_caller, Some(503));
    assert_eq!(
        nar.sent_to_caller_label,
        "Sent to the caller as SIP 503 Service Unavailable"
    );
    assert_eq!(nar.failover, Some(Failover::Exhausted));
    assert!(
        nar.failover_label
            .contains("tries the next gateway while one is left"),
        "{}",
        nar.failover_label
    );
    assert_eq!(nar.confidence, Confidence::Low);
    let nar_es = &search_cards("NoAvailableRouter", "es", 1)[0];
    assert_eq!(
        nar_es.sent_to_caller_label,
        "Enviado al llamante como SIP 503 Servicio no disponible"
    );
    assert!(nar_es.failover_label.contains("siguiente gateway"));
    // None of the five VOS3000 reasons says "no failover" any more; each shows its SIP code.
    for (name, sip) in [
        ("AllGatewayBusy", 503),
        ("AccountBalanceNotEnough", 503),
        ("GatewayTimeout", 408),
        ("InviteTimeout", 408),
    ] {
        let c = &search_cards(name, "en", 1)[0];
        assert_ne!(c.failover, Some(Failover::NotApplicable), "{name}");
        assert_eq!(c.sent_to_caller, Some(sip), "{name}");
        assert!(c.sent_to_caller_label.contains(&format!("SIP {sip}")));
    }
    // The CLI prints it too.
    let text = codes::reference::render_text(nar);
    assert!(
        text.contains("Sent to the caller as SIP 503 Service Unavailable"),
        "{text}"
    );
}
