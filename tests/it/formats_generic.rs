//! Generic CSV through a JSON column mapping.
//!
//! `generic_carrier.csv` is a carrier billing export (semicolon, CRLF, Spanish UTF-8 headers,
//! day-first dates, decimal-comma money, one quoted field holding the delimiter) written by a
//! one-off seeded script that computed the figures below from its own call list (money summed
//! with Python's Decimal).

use crate::common;

use cdrscope::formats::generic::{AnsweredRule, ColumnMapping, ColumnRef};
use cdrscope::formats::{FormatId, FormatOptions};
use common::*;

fn mapping() -> ColumnMapping {
    serde_json::from_slice(&fixture("generic_carrier.mapping.json")).expect("mapping json")
}

fn with_mapping(m: ColumnMapping) -> FormatOptions {
    FormatOptions {
        format: None,
        mapping: Some(m),
        ..FormatOptions::default()
    }
}

#[test]
fn carrier_export_through_the_mapping() {
    let s = summarize(
        "generic_carrier.csv",
        &fixture("generic_carrier.csv"),
        with_mapping(mapping()),
    );
    assert_eq!(s.format, "generic");
    assert!(
        s.format_reason.contains("column mapping was given")
            && s.format_reason.contains("12 of 12 named columns found"),
        "{}",
        s.format_reason
    );
    assert_eq!(s.delimiter, "semicolon");
    assert_eq!(s.time_basis, "naive_local");
    assert_eq!(
        (s.rows.header, s.rows.data, s.rows.accepted, s.rows.rejected),
        (1, 65, 65, 0)
    );
    let r = s.time_range.as_ref().unwrap();
    assert_eq!(
        (r.first.as_str(), r.last.as_str()),
        ("2025-03-10 08:00:17", "2025-03-10 12:26:40")
    );
    let o = &s.overall;
    assert_eq!((o.attempts, o.answered, o.total_hold_s), (65, 34, 3997));
    assert_eq!(o.acd_s, Some(3997.0 / 34.0));
    assert_eq!(o.short_calls, 3);
    assert_eq!(o.ner_effective, Some(48));
    assert_eq!((o.pdd_rows, o.pdd_avg_ms), (54, Some(204_949.0 / 54.0)));
    assert_eq!((o.pdd_p50_ms, o.pdd_p95_ms), (Some(3469.5), Some(6546.0)));
    assert_eq!(
        (o.fee.as_deref(), o.cost.as_deref(), o.margin.as_deref()),
        (Some("1.6470"), Some("1.1790"), Some("0.4680"))
    );
    let codes: Vec<(String, u64)> = [
        ("200", 34),
        ("486", 10),
        ("503", 8),
        ("487", 6),
        ("480", 3),
        ("408", 2),
        ("404", 1),
        ("603", 1),
    ]
    .iter()
    .map(|(c, n)| (c.to_string(), *n))
    .collect();
    assert_eq!(code_counts(&s.by_code), codes);
    type Row<'a> = (&'a str, u64, u64, u64, u64, Option<u64>, Option<&'a str>);
    let gw: Vec<Row> = s
        .by_egress_gateway
        .iter()
        .map(|g| {
            let k = &g.kpis;
            (
                g.name.as_str(),
                k.attempts,
                k.answered,
                k.total_hold_s,
                k.pdd_rows,
                k.ner_effective,
                k.fee.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        gw,
        vec![
            ("Movistar_PE", 24, 15, 1974, 24, Some(21), Some("0.8820")),
            ("Tigo_MX", 21, 6, 680, 13, Some(11), Some("0.2100")),
            ("Claro_CO", 19, 13, 1343, 17, Some(16), Some("0.5550")),
            ("(none)", 1, 0, 0, 0, Some(0), Some("0.0000")),
        ]
    );
    let mut ingress: Vec<(&str, u64)> = s
        .by_ingress_gateway
        .iter()
        .map(|g| (g.name.as_str(), g.kpis.attempts))
        .collect();
    ingress.sort_unstable();
    assert_eq!(ingress, vec![("ACME Telecom", 38), ("Voz Andina SAC", 27)]);
}

#[test]
fn other_answered_rules_give_the_same_answers() {
    let bytes = fixture("generic_carrier.csv");
    for rule in [
        AnsweredRule::Auto,
        AnsweredRule::Duration,
        AnsweredRule::Code(vec!["200".into()]),
    ] {
        let m = ColumnMapping {
            answered: rule.clone(),
            ..mapping()
        };
        let s = summarize("g.csv", &bytes, with_mapping(m));
        assert_eq!(s.overall.answered, 34, "{rule:?}");
    }
}

#[test]
fn index_mapping_without_header_and_epoch_times() {
    // Columns: epoch start, epoch end, billsec in ms, Q.850 cause, vendor, callee, status.
    let text = "1741600800|1741600865|60400|16|carrier-x|442071234567|OK\n\
1741600900|1741600910|0|17|carrier-x|442071234568|FAIL\n\
1741601000|1741601004|0|34|carrier-y|4420712345|FAIL\n\
1741601100|nope|0|34|carrier-y|4420712345|FAIL\n";
    let m: ColumnMapping = serde_json::from_str(
        r#"{"start": 0, "end": 1, "duration": 2, "duration_unit": "ms", "code": 3,
            "code_system": "q850", "egress": 4, "callee": 5,
            "answered": {"flag": {"column": 6, "values": ["ok"]}}}"#,
    )
    .unwrap();
    assert_eq!(m.start, Some(ColumnRef::Index(0)));
    let s = summarize("x.txt", text.as_bytes(), with_mapping(m));
    assert_eq!(s.rows.header, 0);
    assert_eq!(s.delimiter, "pipe");
    assert_eq!(s.time_basis, "utc");
    assert_eq!((s.rows.accepted, s.rows.rejected), (3, 1));
    assert_eq!(
        (s.rejects[0].line, s.rejects[0].reason.as_str()),
        (4, "end is not a time: \"nope\"")
    );
    // 60.4 s rounds to 60.
    assert_eq!((s.overall.answered, s.overall.total_hold_s), (1, 60));
    assert!(s
        .by_code
        .iter()
        .all(|c| c.system.as_deref() == Some("q850")));
    assert_eq!(s.overall.ner, None);
}

#[test]
fn a_missing_named_column_is_a_file_error_naming_it() {
    let m = ColumnMapping {
        egress: Some(ColumnRef::Name("Carrier".into())),
        ..mapping()
    };
    let mut d = cdrscope::Dataset::new();
    let err = d
        .read_bytes("g.csv", &fixture("generic_carrier.csv"), with_mapping(m))
        .unwrap_err();
    assert!(
        err.message.starts_with("the mapping names column \"Carrier\" for egress, which the header does not have (it has: Fecha Inicio, "),
        "{}",
        err.message
    );
}

#[test]
fn forcing_a_format_keeps_its_reason() {
    let opts = FormatOptions {
        format: Some(FormatId::Asterisk),
        mapping: None,
        ..FormatOptions::default()
    };
    let s = summarize("a.csv", &fixture("asterisk_Master.csv"), opts);
    assert!(
        s.format_reason
            .starts_with("Asterisk was chosen by the user; no header;"),
        "{}",
        s.format_reason
    );
    assert_eq!(s.overall.answered, 148);
}
