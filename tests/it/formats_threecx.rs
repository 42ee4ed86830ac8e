//! 3CX: the CDR service's records (no header, `Call <historyid>` first, 3CX's documented field
//! order) and the v20 web client's call report export (a header, a `Totals` footer).
//!
//! The corpus files are `tests/fixtures/real/threecx/` (see SOURCES.md there); the figures
//! below were counted from them by hand and with Python's `csv` module.

use crate::common;

use cdrscope::formats::threecx;
use common::*;

fn real(rel: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/real/threecx/{rel}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn pairs(v: &[cdrscope::summary::NamedCount]) -> Vec<(&str, u64)> {
    v.iter().map(|d| (d.name.as_str(), d.count)).collect()
}

#[test]
fn cdr_service_single_call_file() {
    let s = summarize(
        "cdr-240617055949.288831.log",
        &real("cdr_single_call_file_2024-06-17.log"),
        Default::default(),
    );
    assert_eq!(s.format, "threecx");
    assert!(
        s.format_reason.contains("no header") && s.format_reason.contains("3CX CDR service"),
        "{}",
        s.format_reason
    );
    assert_eq!(s.time_basis, "naive_local");
    assert_eq!((s.rows.header, s.rows.data, s.rows.rejected), (0, 1, 0));
    let o = &s.overall;
    assert_eq!((o.attempts, o.answered, o.total_hold_s), (1, 1, 25));
    assert_eq!(o.fee.as_deref(), Some("0.43"));
    // TerminatedBySrc ends an answered call: how it ended, not why it failed.
    assert_eq!(
        code_counts(&s.by_code),
        [("TerminatedBySrc".to_string(), 1)]
    );
    assert_eq!(s.by_code[0].system.as_deref(), Some("threecx"));
    assert!(s.by_code[0].answered);
    assert_eq!(pairs(&s.by_outcome), [("answered", 1)]);
    // Dialled +46…: Sweden; the call left by the trunk (type Line) with DN 10020.
    assert_eq!(names(&s.by_destination), ["46"]);
    assert_eq!(names(&s.by_egress_gateway), ["10020"]);
    let r = s.time_range.as_ref().unwrap();
    assert_eq!(
        (r.first.as_str(), r.last.as_str()),
        ("2024-06-17 06:00:23", "2024-06-17 06:00:23")
    );
}

#[test]
fn cdr_service_unanswered_reasons() {
    // The corpus record, then unanswered calls with each mapped reason (docs/outcomes.md 1.5).
    let base = String::from_utf8(real("cdr_single_call_file_2024-06-17.log")).unwrap();
    let base = base.trim_end();
    let mut text = format!("{base}\n");
    for (i, reason) in [
        "Failed_Cancelled",
        "TerminatedBySrc",
        "NoRouteExists",
        "RouteBusy",
        "NotAvailable",
        "TerminatedByDst",
        "Failed",
    ]
    .iter()
    .enumerate()
    {
        text.push_str(&format!(
            "Call {n},00000{n}_1,00:00:00,2024/06/17 07:0{i}:00,,2024/06/17 07:0{i}:09,{reason},Ext.10016,+4670301408{i},10016,10020,+4670301408{i},,,,,,,,,Extension,Line,Line,,,,,\n",
            n = 300 + i
        ));
    }
    // A damaged duration and a missing start are rejected with their field's name.
    text.push_str("Call 400,x,0:0x:00,2024/06/17 08:00:00,,2024/06/17 08:00:09,Failed,1,2,3,4,5,,,,,,,,,,,,,,,,\n");
    text.push_str("Call 401,x,00:00:00,,,2024/06/17 08:00:09,Failed,1,2,3,4,5,,,,,,,,,,,,,,,,\n");
    let s = summarize("cdr.log", text.as_bytes(), Default::default());
    assert_eq!(s.format, "threecx", "{}", s.format_reason);
    assert_eq!((s.rows.data, s.rows.accepted, s.rows.rejected), (10, 8, 2));
    let rejects: Vec<(u64, &str)> = s
        .rejects
        .iter()
        .map(|r| (r.line, r.reason.as_str()))
        .collect();
    assert_eq!(
        rejects,
        [
            (9, "duration is not a valid number: \"0:0x:00\""),
            (10, "time-start is empty"),
        ]
    );
    let mut outcomes = pairs(&s.by_outcome);
    outcomes.sort_unstable();
    assert_eq!(
        outcomes,
        [
            ("answered", 1),
            ("busy", 1),
            ("cancelled", 2),
            ("no_route", 1),
            ("other", 2),
            ("unavailable", 1)
        ]
    );
}

#[test]
fn v20_call_report_export() {
    let s = summarize(
        "inbound_calls.csv",
        &real("v20_call_report_inbound_calls.csv"),
        Default::default(),
    );
    assert_eq!(s.format, "threecx");
    assert!(
        s.format_reason.contains("3CX call report") && s.format_reason.contains("10 of 10"),
        "{}",
        s.format_reason
    );
    // The header and the Totals footer are no data: 52 calls.
    assert_eq!((s.rows.header, s.rows.data, s.rows.rejected), (2, 52, 0));
    let o = &s.overall;
    assert_eq!((o.attempts, o.answered, o.total_hold_s), (52, 36, 516));
    // Eight Unanswered queue rows show Talking time: Status decides, not talk > 0.
    assert_eq!(
        pairs(&s.by_outcome),
        [("answered", 36), ("no_answer", 14), ("other", 2)]
    );
    let mut codes = code_counts(&s.by_code);
    codes.sort_unstable();
    assert_eq!(
        codes,
        [
            ("Answered".to_string(), 36),
            ("Redirected".to_string(), 2),
            ("Unanswered".to_string(), 14)
        ]
    );
    assert_eq!(
        names(&s.by_egress_gateway),
        ["42468538 In Call Trunk (Per Minute)"]
    );
    assert_eq!(pairs_of_destinations(&s), [("national", 52)]);
    let r = s.time_range.as_ref().unwrap();
    assert_eq!(
        (r.first.as_str(), r.last.as_str()),
        ("2025-08-16 00:00:35", "2025-08-16 01:37:10")
    );
    // With the BOM and CRLF line ends of the original export, the same figures.
    let crlf = String::from_utf8(real("v20_call_report_inbound_calls.csv"))
        .unwrap()
        .replace('\n', "\r\n");
    let t = summarize(
        "inbound_calls.csv",
        format!("\u{feff}{crlf}").as_bytes(),
        Default::default(),
    );
    assert_eq!((t.rows.header, t.rows.data, t.rows.rejected), (2, 52, 0));
    assert_eq!(pairs(&t.by_outcome), pairs(&s.by_outcome));
    assert_eq!(t.overall.total_hold_s, 516);
}

fn pairs_of_destinations(s: &cdrscope::Summary) -> Vec<(&str, u64)> {
    s.by_destination
        .iter()
        .map(|g| (g.name.as_str(), g.kpis.attempts))
        .collect()
}

#[test]
fn other_formats_and_logs_are_not_claimed() {
    // A CDR service record whose fields are not in the documented order, a call log with a
    // "Call" word first, and a report without its Status column.
    let samples: [&str; 3] = [
        "Call 288831,2024/06/17 05:59:49,00:00:25,4cc2c72490010000_26808,,2024/06/17 06:00:23,TerminatedBySrc,Ext.10016,+46703014082,10016,10020,+46703014082\n",
        "Call started,2024-06-17 05:59:49,00:00:25,2024-06-17 05:59:49,,2024-06-17 06:00:23,x,1,2,3,4,5\n",
        "Call Time,Caller ID,Destination,Trunk,Did,Ringing,Talking\n2025-08-16T01:37:00,6825545533,PR (801),T,14247246319,0:00:00,0:00:10\n",
    ];
    for text in samples {
        let sample = records(text, ',', 40);
        assert_eq!(threecx::detect(&sample), None, "{text}");
    }
}
