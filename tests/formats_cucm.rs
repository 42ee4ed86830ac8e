//! Cisco CUCM CDR: two header lines, epoch-second UTC times, Q.850 causes per side.
//!
//! `cucm_cdr.csv` (82 CUCM 8+ columns, CRLF, strings quoted) was written by a one-off seeded
//! script that computed the figures below from its own call list, with the final-cause rule
//! documented in `src/formats/cucm.rs`: 70 calls from four phones through three trunks.

mod common;

use common::*;

fn pairs(v: &[cdrscope::summary::NamedCount]) -> Vec<(&str, u64)> {
    v.iter().map(|d| (d.name.as_str(), d.count)).collect()
}

#[test]
fn cucm_cdr_file_figures() {
    let s = summarize_fixture("cucm_cdr.csv");
    assert_eq!(s.format, "cucm");
    assert!(
        s.format_reason.contains("CUCM")
            && s.format_reason.contains("origCause_value")
            && s.format_reason.contains("column types"),
        "{}",
        s.format_reason
    );
    assert_eq!(s.rows.header, 2);
    assert_eq!((s.rows.data, s.rows.accepted, s.rows.rejected), (70, 70, 0));
    assert_eq!(s.time_basis, "utc");
    let r = s.time_range.as_ref().unwrap();
    assert_eq!(
        (r.first.as_str(), r.last.as_str()),
        ("2025-03-10 09:01:09", "2025-03-10 10:56:01")
    );
    let o = &s.overall;
    assert_eq!((o.attempts, o.answered, o.total_hold_s), (70, 41, 5609));
    assert_eq!(o.asr, Some(41.0 / 70.0));
    assert_eq!(o.acd_s, Some(5609.0 / 41.0));
    // No SIP status in CUCM CDRs: NER is not computed.
    assert_eq!(o.ner, None);
    // The 41 answered calls ended with 16 (how they ended); the 4 unanswered 16s are callers
    // who gave up (why they failed), counted apart.
    let codes: Vec<(String, u64)> = [
        ("16", 41),
        ("17", 8),
        ("34", 6),
        ("19", 5),
        ("41", 5),
        ("16", 4),
        ("1", 1),
    ]
    .iter()
    .map(|(c, n)| (c.to_string(), *n))
    .collect();
    assert_eq!(code_counts(&s.by_code), codes);
    assert_eq!(
        s.by_code.iter().map(|c| c.answered).collect::<Vec<_>>(),
        [true, false, false, false, false, false, false]
    );
    assert_eq!(
        pairs(&s.by_outcome),
        [
            ("answered", 41),
            ("busy", 8),
            ("no_answer", 5),
            ("cancelled", 4),
            ("number_error", 1),
            ("unavailable", 11),
        ]
    );
    assert!(s
        .by_code
        .iter()
        .all(|c| c.system.as_deref() == Some("q850")));
    let gw: Vec<(&str, u64, u64, u64)> = s
        .by_egress_gateway
        .iter()
        .map(|g| {
            (
                g.name.as_str(),
                g.kpis.attempts,
                g.kpis.answered,
                g.kpis.total_hold_s,
            )
        })
        .collect();
    assert_eq!(
        gw,
        vec![
            ("H323_GW_BR1", 26, 14, 2101),
            ("SIPTrunk_PSTN_A", 24, 20, 2558),
            ("SIPTrunk_ITSP_B", 20, 7, 950),
        ]
    );
    let itsp = group(&s.by_egress_gateway, "SIPTrunk_ITSP_B");
    assert_eq!(
        code_counts(&itsp.codes),
        vec![
            ("16".to_string(), 7),
            ("34".to_string(), 6),
            ("41".to_string(), 4),
            ("17".to_string(), 2),
            ("16".to_string(), 1)
        ]
    );
    // Its top failure is its most frequent code among unanswered attempts, never the 16 that
    // ended its answered calls.
    assert_eq!(
        itsp.top_failure
            .as_ref()
            .map(|f| (f.code.as_str(), f.count)),
        Some(("34", 6))
    );
    assert_eq!(
        pairs(&s.by_end_direction),
        vec![("caller", 26), ("callee", 44)]
    );
    // Four unanswered calls the caller cleared with 16 are abandons.
    assert!(pairs(&s.by_outcome).contains(&("cancelled", 4)));
    let mut ingress: Vec<(&str, u64)> = s
        .by_ingress_gateway
        .iter()
        .map(|g| (g.name.as_str(), g.kpis.attempts))
        .collect();
    ingress.sort_unstable();
    assert_eq!(
        ingress,
        vec![
            ("CSFJDOE", 22),
            ("SEP00AABBCC0011", 17),
            ("SEP00AABBCC0022", 19),
            ("SEP00AABBCC0033", 12)
        ]
    );
}

#[test]
fn names_only_header_other_record_types_and_bad_rows() {
    let text = "\"cdrRecordType\",\"globalCallID_callId\",\"dateTimeOrigination\",\"origCause_value\",\"dateTimeConnect\",\"dateTimeDisconnect\",\"destCause_value\",\"callingPartyNumber\",\"finalCalledPartyNumber\",\"duration\",\"origDeviceName\",\"destDeviceName\"\n\
1,1,1741597200,16,1741597205,1741597265,0,\"2001\",\"12125550100\",60,\"SEP1\",\"TRUNK\"\n\
1,2,1741597300,0,0,1741597310,17,\"2001\",\"12125550101\",0,\"SEP1\",\"TRUNK\"\n\
2,3,1741597400,0,0,1741597410,0,\"2001\",\"12125550102\",0,\"SEP1\",\"TRUNK\"\n\
1,4,17415974x0,0,0,1741597410,0,\"2001\",\"12125550103\",0,\"SEP1\",\"TRUNK\"\n\
1,5,1741597500,0,0,1741597510,99999,\"2001\",\"12125550104\",0,\"SEP1\",\"TRUNK\"\n";
    let s = summarize("cdr.csv", text.as_bytes(), Default::default());
    assert_eq!(s.format, "cucm");
    assert_eq!(s.rows.header, 1);
    // The type-2 row is accepted but is not a call.
    assert_eq!(
        (s.rows.accepted, s.rows.rejected, s.rows.in_filter),
        (3, 2, 2)
    );
    let rejects: Vec<(u64, &str)> = s
        .rejects
        .iter()
        .map(|r| (r.line, r.reason.as_str()))
        .collect();
    assert_eq!(
        rejects,
        vec![
            (5, "dateTimeOrigination is not a time: \"17415974x0\""),
            (6, "destCause_value is not a valid number: \"99999\""),
        ]
    );
    assert_eq!(
        (
            s.overall.attempts,
            s.overall.answered,
            s.overall.total_hold_s
        ),
        (2, 1, 60)
    );
}
