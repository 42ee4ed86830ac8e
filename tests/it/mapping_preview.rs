//! What the page's "map columns by hand" editor is built from: the first rows of the first file
//! (even when no format fits) and the mapping the detected format used, which must read the
//! file as a generic mapping.

use crate::common;

use cdrscope::formats::generic::{AnsweredRule, ColumnMapping, ColumnRef, Unit};
use cdrscope::formats::FormatOptions;
use cdrscope::{Dataset, Filter, Summary};
use common::{all_codes, fixture, summarize, summarize_fixture};

fn with_mapping(name: &str, mapping: ColumnMapping) -> Summary {
    summarize(
        name,
        &fixture(name),
        FormatOptions {
            format: None,
            mapping: Some(mapping),
            ..FormatOptions::default()
        },
    )
}

#[test]
fn an_unrecognised_file_still_shows_its_header_and_first_row() {
    let mut d = Dataset::new();
    let err = d
        .read_bytes(
            "billing_export.csv",
            &fixture("billing_export.csv"),
            FormatOptions::default(),
        )
        .unwrap_err();
    assert!(err.message.contains("not a recognised CDR format"), "{err}");
    let s = d.summary(&Filter::default(), &all_codes());
    assert_eq!(s.rows.accepted, 0);
    let p = s.columns.expect("a preview");
    assert!(p.header);
    assert_eq!(p.first, ["Start", "Dest", "Route", "Result", "Secs"]);
    assert_eq!(
        p.example,
        ["2025-03-10 08:01:30", "1202321629", "CARRIER-A", "503", "0"]
    );
    assert_eq!(p.mapping, None);
}

#[test]
fn the_editor_mapping_by_index_reads_like_the_cli_mapping_by_name() {
    let by_name: ColumnMapping =
        serde_json::from_slice(&fixture("billing_export.mapping.json")).unwrap();
    let by_index = ColumnMapping {
        header: Some(true),
        start: Some(ColumnRef::Index(0)),
        callee: Some(ColumnRef::Index(1)),
        egress: Some(ColumnRef::Index(2)),
        code: Some(ColumnRef::Index(3)),
        duration: Some(ColumnRef::Index(4)),
        pdd_unit: Some(Unit::Ms),
        code_system: Some("sip".into()),
        ..ColumnMapping::default()
    };
    let a = with_mapping("billing_export.csv", by_name);
    let b = with_mapping("billing_export.csv", by_index);
    assert_eq!(a.format, "generic");
    assert_eq!(a.overall.attempts, 60);
    assert_eq!(a.rows.rejected, 1);
    assert_eq!(a.rejects[0].line, 31);
    assert_eq!(a.overall, b.overall);
    assert_eq!(a.by_code, b.by_code);
    assert_eq!(a.by_egress_gateway, b.by_egress_gateway);
    assert_eq!(a.rows, b.rows);
}

#[test]
fn vos3000_offers_its_columns_and_they_read_the_same_calls() {
    let s = summarize_fixture("vos3000_cdr_en.csv");
    let p = s.columns.clone().expect("a preview");
    assert!(p.header);
    let m = p.mapping.expect("VOS3000 says what it read");
    let col =
        |name: &str| ColumnRef::Index(p.first.iter().position(|c| c == name).unwrap_or(usize::MAX));
    assert_eq!(m.code, Some(col("endreason")));
    assert_eq!(m.duration, Some(col("holdtime")));
    assert_eq!(m.egress, Some(col("calleegatewayid")));
    assert_eq!(m.code_system.as_deref(), Some("vos3000"));
    assert_eq!(m.answered, AnsweredRule::Duration);
    let g = with_mapping(
        "vos3000_cdr_en.csv",
        ColumnMapping {
            header: Some(true),
            ..m
        },
    );
    assert_eq!(g.format, "generic");
    assert_eq!(g.overall.attempts, s.overall.attempts);
    assert_eq!(g.overall.answered, s.overall.answered);
    assert_eq!(g.overall.total_hold_s, s.overall.total_hold_s);
}

#[test]
fn asterisk_master_has_no_header_and_offers_its_fixed_columns() {
    let s = summarize_fixture("asterisk_Master.csv");
    let p = s.columns.clone().expect("a preview");
    assert!(!p.header);
    assert_eq!(p.example[14], "ANSWERED");
    let m = p.mapping.expect("Asterisk says what it read");
    assert_eq!(m.code, Some(ColumnRef::Index(14)));
    assert_eq!(m.duration, Some(ColumnRef::Index(13)));
    assert_eq!(m.code_system.as_deref(), Some("asterisk"));
    let g = with_mapping(
        "asterisk_Master.csv",
        ColumnMapping {
            header: Some(false),
            ..m
        },
    );
    assert_eq!(g.overall.attempts, s.overall.attempts);
    assert_eq!(g.overall.answered, s.overall.answered);
}
