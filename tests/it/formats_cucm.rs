//! Cisco CUCM CDR: two header lines, epoch-second UTC times, Q.850 causes per side.
//!
//! `cucm_cdr.csv` (82 CUCM 8+ columns, CRLF, strings quoted) was written by a one-off seeded
//! script that computed the figures below from its own call list, with the final-cause rule
//! documented in `src/formats/cucm.rs`: 70 calls from four phones through three trunks.

use crate::common;

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
1,5,1741597500,0,0,1741597510,9x,\"2001\",\"12125550104\",0,\"SEP1\",\"TRUNK\"\n";
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
            (6, "destCause_value is not a valid number: \"9x\""),
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

/// The text of a file of the real-file corpus.
fn real(rel: &str) -> String {
    let path = format!("{}/tests/fixtures/real/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The corpus expectation of a real file (tests/real/expect.py).
fn real_expected(rel: &str) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_str(&real("expected.json")).expect("expected.json");
    v[rel].clone()
}

/// The text without its first `n` lines.
fn without_lines(text: &str, n: usize) -> String {
    text.splitn(n + 1, '\n').nth(n).unwrap_or("").to_string()
}

/// The figures the corpus expectation holds, as cdrscope gives them for `s`.
fn corpus_figures(s: &cdrscope::Summary) -> serde_json::Value {
    let counts =
        |v: &[cdrscope::summary::NamedCount]| -> serde_json::Map<String, serde_json::Value> {
            v.iter().map(|c| (c.name.clone(), c.count.into())).collect()
        };
    let dests: serde_json::Map<String, serde_json::Value> = s
        .by_destination
        .iter()
        .map(|g| (g.name.clone(), g.kpis.attempts.into()))
        .collect();
    serde_json::json!({
        "rows": s.rows.data,
        "rejected": s.rows.rejected,
        "duplicates": s.rows.duplicates,
        "attempts": s.overall.attempts,
        "answered": s.overall.answered,
        "talk_s": s.overall.total_hold_s,
        "outcomes": counts(&s.by_outcome),
        "destinations": dests,
    })
}

#[test]
fn headerless_records_read_like_the_same_file_with_its_header_lines() {
    // (corpus file, its header lines, words the reason must contain).
    let files: [(&str, usize, &[&str]); 2] = [
        (
            "cucm/cucm_cdr_quoted_header_types_2025.txt",
            2,
            &["no header", "133 fields", "CUCM 12.5 or later"],
        ),
        (
            "cucm/cucm10_cdr_unquoted_header_no_types_lab.txt",
            1,
            &[
                "no header",
                "123 fields",
                "not one of Cisco's documented layouts",
            ],
        ),
    ];
    for (rel, header_lines, words) in files {
        let want = real_expected(rel);
        assert_eq!(want["header_rows"], header_lines, "{rel}");
        let text = without_lines(&real(rel), header_lines);
        assert!(text.starts_with("1,"), "{rel}: {}", &text[..20]);
        let s = summarize("cdr_headerless", text.as_bytes(), Default::default());
        assert_eq!(s.format, "cucm", "{rel}: {}", s.format_reason);
        assert_eq!(s.rows.header, 0, "{rel}");
        for w in words {
            assert!(s.format_reason.contains(w), "{rel}: {}", s.format_reason);
        }
        assert!(s.format_confidence >= 0.9, "{rel}: {}", s.format_confidence);
        let got = corpus_figures(&s);
        for key in [
            "rows",
            "rejected",
            "duplicates",
            "attempts",
            "answered",
            "talk_s",
            "outcomes",
            "destinations",
        ] {
            assert_eq!(got[key], want[key], "{rel}: {key}");
        }
    }
}

#[test]
fn headerless_records_between_cmr_rows_and_of_two_releases() {
    // A 12.5 file, then the 10.x lab rows and a CMR row pasted after it: one header-less
    // concatenation. Positions are read the same in both layouts; the CMR row is no call.
    let a = without_lines(&real("cucm/cucm_cdr_quoted_header_types_2025.txt"), 2);
    let b = without_lines(&real("cucm/cucm10_cdr_unquoted_header_no_types_lab.txt"), 1);
    let cmr = without_lines(&real("cucm/cucm_cmr_quoted_header_types_2025.txt"), 2);
    let cmr_row = cmr.lines().next().unwrap();
    let text = format!("{a}\n{cmr_row}\n{b}");
    let s = summarize("cdr_concat", text.as_bytes(), Default::default());
    assert_eq!(s.format, "cucm", "{}", s.format_reason);
    assert_eq!((s.rows.data, s.rows.rejected), (3 + 1 + 203, 0));
    assert_eq!((s.overall.attempts, s.overall.answered), (3 + 203, 1 + 2));
    assert_eq!(s.overall.total_hold_s, 11 + 2);
}

#[test]
fn a_cmr_file_is_refused_as_such_with_or_without_its_header() {
    let text = real("cucm/cucm_cmr_quoted_header_types_2025.txt");
    for (what, bytes) in [
        ("with header", text.clone()),
        ("without header", without_lines(&text, 2)),
    ] {
        let mut d = cdrscope::Dataset::new();
        let err = d
            .read_bytes(
                "cmr_StandAloneCluster_02.txt",
                bytes.as_bytes(),
                Default::default(),
            )
            .unwrap_err();
        for w in [
            "CMR",
            "call management records",
            "jitter",
            "latency",
            "lost packets",
            "export the CDR file",
        ] {
            assert!(
                err.message.contains(w),
                "{what}: {w:?} not in {}",
                err.message
            );
        }
    }
}

#[test]
fn cisco_cause_values_above_q850_are_kept_as_their_number() {
    let text = "\"cdrRecordType\",\"globalCallID_callId\",\"dateTimeOrigination\",\"origCause_value\",\"dateTimeConnect\",\"dateTimeDisconnect\",\"destCause_value\",\"callingPartyNumber\",\"finalCalledPartyNumber\",\"duration\",\"origDeviceName\",\"destDeviceName\"\n\
1,1,1741597200,0,0,1741597210,1459617833,\"2001\",\"5030079981\",0,\"SEP1\",\"TRUNK\"\n\
1,2,1741597300,0,0,1741597310,393216,\"2001\",\"5030079982\",0,\"SEP1\",\"TRUNK\"\n\
1,3,1741597400,0,0,1741597410,3000000000,\"2001\",\"5030079983\",0,\"SEP1\",\"TRUNK\"\n\
1,4,1741597500,0,0,1741597510,17,\"2001\",\"5030079984\",0,\"SEP1\",\"TRUNK\"\n\
1,5,1741597600,0,0,1741597610,4294967296,\"2001\",\"5030079985\",0,\"SEP1\",\"TRUNK\"\n\
1,6,1741597700,4294967295,0,1741597710,0,\"2001\",\"5030079986\",0,\"SEP1\",\"TRUNK\"\n";
    let s = summarize("cdr.csv", text.as_bytes(), Default::default());
    assert_eq!((s.rows.accepted, s.rows.rejected), (5, 1));
    assert_eq!(
        s.rejects[0].reason,
        "destCause_value is not a valid number: \"4294967296\""
    );
    let mut codes: Vec<(&str, u64)> = s
        .by_code
        .iter()
        .map(|c| (c.code.as_str(), c.count))
        .collect();
    codes.sort_unstable();
    assert_eq!(
        codes,
        [
            ("1459617833", 1),
            ("17", 1),
            ("3000000000", 1),
            ("393216", 1),
            ("4294967295", 1)
        ]
    );
    assert!(s
        .by_code
        .iter()
        .all(|c| c.system.as_deref() == Some("q850")));
    // Above 127 a cause is Cisco's own, not Q.850: the outcome model has nothing to say.
    assert_eq!(pairs(&s.by_outcome), [("busy", 1), ("other", 4)]);
}

#[test]
fn wide_numeric_rows_that_are_not_cucm_are_not_claimed() {
    use cdrscope::formats::cucm;
    // A CDR-shaped row (from the corpus) and the same with one documented position broken.
    let good = without_lines(&real("cucm/cucm_cdr_quoted_header_types_2025.txt"), 2);
    let row = common::records(&good, ',', 1).remove(0);
    assert!(cucm::detect(std::slice::from_ref(&row)).is_some());
    for (i, bad) in [
        (0, "3"),          // cdrRecordType 1 (or 2 for a CMR)
        (4, "2025-04-18"), // dateTimeOrigination in epoch seconds
        (48, "0"),         // dateTimeDisconnect is always set
        (55, "-1"),        // duration
        (33, "cause"),     // destCause_value
    ] {
        let mut r = row.clone();
        r[i] = bad.to_string();
        assert_eq!(cucm::detect(&[r]), None, "field {i} = {bad}");
    }
    // Too few fields for any CDR layout (and too many for a CMR).
    assert_eq!(cucm::detect(&[row[..77].to_vec()]), None);
    // A wide export of counters: integers everywhere, but no epoch times where CUCM has them.
    let counters: Vec<String> = (0..133).map(|i| (i % 7 + 1).to_string()).collect();
    assert_eq!(cucm::detect(&[counters.clone(), counters]), None);
}

#[test]
fn a_cmr_file_alongside_its_cdr_file_leaves_the_calls_counted() {
    let mut d = cdrscope::Dataset::new();
    let cdr = real("cucm/cucm_cdr_quoted_header_types_2025.txt");
    let cmr = real("cucm/cucm_cmr_quoted_header_types_2025.txt");
    d.read_bytes(
        "cdr_cucmOHSUtest_02.txt",
        cdr.as_bytes(),
        Default::default(),
    )
    .unwrap();
    assert!(d
        .read_bytes(
            "cmr_cucmOHSUtest_02.txt",
            cmr.as_bytes(),
            Default::default()
        )
        .is_err());
    let s = d.summary(&cdrscope::Filter::default(), &all_codes());
    assert_eq!((s.overall.attempts, s.overall.answered), (3, 1));
    assert_eq!(s.files.len(), 2);
    assert!(s.files[0].error.is_none());
    assert!(s.files[1]
        .error
        .as_deref()
        .is_some_and(|e| e.contains("CMR")));
}
