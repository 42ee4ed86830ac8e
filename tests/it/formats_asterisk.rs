//! Asterisk: `Master.csv` and the SQL `cdr` table reproduce expected.json's figures, and every
//! variant of the real-file corpus (cdr_csv with 16 to 21 columns, cdr_custom, FreePBX table
//! dumps and reduced exports with D/M/Y dates) is read with exact values.

use crate::common;

use cdrscope::formats::{DateOrder, FormatOptions};
use common::*;

/// Checks a summary of the sample's 400 calls against expected.json (`asterisk_Master.csv`).
fn assert_asterisk_sample(s: &cdrscope::Summary) {
    let e = expected("asterisk_Master.csv");
    assert_eq!(s.format, "asterisk");
    assert_eq!(s.rows.data, 400);
    assert_eq!(s.rows.accepted, 400);
    assert_eq!(s.rows.rejected, 0);
    assert_eq!(s.time_basis, "naive_local");
    let o = &s.overall;
    assert_eq!(o.attempts, 400);
    assert_eq!(o.answered, 148);
    assert_eq!(o.asr, Some(0.37));
    assert_eq!(o.total_hold_s, 14978);
    assert_rounded("acd", o.acd_s, &serde_json::json!(101.2), 2);
    assert_eq!(o.short_calls, 19);
    // cdr_csv has no SIP code and no PDD column: both stay unknown, as in expected.json.
    assert_eq!(o.ner, None);
    assert_eq!(o.pdd_rows, 0);
    assert_eq!(o.pdd_avg_ms, None);
    assert_kpis("overall", o, &e["overall"], false);
    assert_eq!(
        code_counts(&s.by_code),
        vec![
            ("ANSWERED".to_string(), 148),
            ("NO ANSWER".to_string(), 119),
            ("CONGESTION".to_string(), 51),
            ("FAILED".to_string(), 43),
            ("BUSY".to_string(), 39),
        ]
    );
    assert!(s
        .by_code
        .iter()
        .all(|c| c.system.as_deref() == Some("asterisk")));
    let trunks = e["per_dstchannel_trunk"].as_object().unwrap();
    let mut got: Vec<&str> = names(&s.by_egress_gateway);
    got.sort_unstable();
    assert_eq!(
        got,
        vec!["(none)", "trunk_cn", "trunk_hk", "trunk_sg", "trunk_us"]
    );
    for (name, want) in trunks {
        let g = group(&s.by_egress_gateway, name);
        assert_kpis(name, &g.kpis, want, false);
        assert_eq!(code_counts(&g.codes), expected_codes(want), "{name}: codes");
    }
    let sg = group(&s.by_egress_gateway, "trunk_sg");
    assert_eq!((sg.kpis.attempts, sg.kpis.answered), (89, 14));
    assert_eq!(
        sg.top_failure.as_ref().map(|c| c.code.as_str()),
        Some("CONGESTION")
    );
    // Ingress is the peer of the inbound channel (`PJSIP/cust_bravo-00000001`).
    let mut ingress: Vec<(&str, u64)> = s
        .by_ingress_gateway
        .iter()
        .map(|g| (g.name.as_str(), g.kpis.attempts))
        .collect();
    ingress.sort_unstable();
    assert_eq!(
        ingress,
        vec![
            ("cust_alpha", 178),
            ("cust_bravo", 145),
            ("cust_charlie", 77)
        ]
    );
}

#[test]
fn master_csv_reproduces_expected_figures() {
    let s = summarize_fixture("asterisk_Master.csv");
    assert_eq!(s.rows.header, 0);
    assert!(
        s.format_reason.contains("Master.csv") && s.format_reason.contains("disposition"),
        "{}",
        s.format_reason
    );
    assert_asterisk_sample(&s);
}

#[test]
fn sql_cdr_table_export_reproduces_the_same_figures() {
    // The same 400 calls as `mysql -B -e 'SELECT * FROM cdr'` prints them (FreePBX columns,
    // tab-separated, header row, calldate only: answer and end come from the durations).
    let s = summarize_fixture("asterisk_cdr_table.tsv");
    assert_eq!(s.rows.header, 1);
    assert_eq!(s.delimiter, "tab");
    assert!(
        s.format_reason.contains("SQL cdr table") && s.format_reason.contains("calldate"),
        "{}",
        s.format_reason
    );
    assert_asterisk_sample(&s);
    let r = s.time_range.as_ref().expect("times");
    assert_eq!(r.first, "2025-03-10 00:07:18");
}

#[test]
fn bad_rows_are_rejected_with_their_reason() {
    let good = "\"10001\",\"100\",\"200\",\"ctx\",\"\"\"A\"\" <100>\",\"SIP/a-00000001\",\"SIP/gw1-00000002\",\"Dial\",\"SIP/200@gw1\",\"2025-03-10 10:00:00\",\"2025-03-10 10:00:05\",\"2025-03-10 10:01:05\",65,60,\"ANSWERED\",\"DOCUMENTATION\"\n";
    // Seven calls from seven extensions (the same row seven times would be one call).
    let mut text: String = (0..7)
        .map(|i| good.replace("\"100\"", &format!("\"10{i}\"")))
        .collect();
    // Line 8: billsec is not a number; line 9: a bad end time; line 10: 15 fields.
    text.push_str(&good.replace(",60,", ",6x0,"));
    text.push_str(&good.replace("2025-03-10 10:01:05", "2025-13-10 10:01:05"));
    text.push_str(&good.replace(",\"DOCUMENTATION\"", ""));
    let s = summarize("bad.csv", text.as_bytes(), Default::default());
    assert_eq!(s.format, "asterisk");
    assert_eq!((s.rows.accepted, s.rows.rejected), (7, 3));
    let rejects: Vec<(u64, String)> = s
        .rejects
        .iter()
        .map(|r| (r.line, r.reason.clone()))
        .collect();
    assert_eq!(
        rejects,
        vec![
            (8, "billsec is not a valid number: \"6x0\"".to_string()),
            (9, "end is not a time: \"2025-13-10 10:01:05\"".to_string()),
            (10, "expected 16 fields, found 15".to_string()),
        ]
    );
    assert_eq!(group(&s.by_egress_gateway, "gw1").kpis.answered, 7);
    assert_eq!(s.overall.acd_s, Some(60.0));
}

#[test]
fn sixteen_column_master_csv_gives_the_same_figures() {
    // Without loguniqueid/loguserfield Master.csv has 16 columns.
    let text = String::from_utf8(fixture("asterisk_Master.csv")).unwrap();
    let mut out = String::new();
    for r in records(&text, ',', usize::MAX) {
        let fields: Vec<String> = r[..16]
            .iter()
            .map(|f| format!("\"{}\"", f.replace('"', "\"\"")))
            .collect();
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    let s = summarize("Master.csv", out.as_bytes(), Default::default());
    assert!(
        s.format_reason.contains("16 columns"),
        "{}",
        s.format_reason
    );
    assert_asterisk_sample(&s);
}

/// A real file of the corpus (`tests/fixtures/real/`).
fn real(path: &str) -> Vec<u8> {
    fixture(&format!("real/{path}"))
}

/// Reads a real file with format detection.
fn summarize_real(path: &str) -> cdrscope::Summary {
    summarize(path, &real(path), Default::default())
}

/// Reads a real file with the dates read in `order`.
fn summarize_real_dated(path: &str, order: DateOrder) -> cdrscope::Summary {
    let options = FormatOptions {
        date_order: order,
        ..FormatOptions::default()
    };
    summarize(path, &real(path), options)
}

/// Row counts as (data, accepted, rejected, duplicates).
fn rows(s: &cdrscope::Summary) -> (u64, u64, u64, u64) {
    (
        s.rows.data,
        s.rows.accepted,
        s.rows.rejected,
        s.rows.duplicates,
    )
}

/// Group names with their attempts and answered calls, in the summary's order.
fn groups(g: &[cdrscope::summary::GroupKpis]) -> Vec<(&str, u64, u64)> {
    g.iter()
        .map(|g| (g.name.as_str(), g.kpis.attempts, g.kpis.answered))
        .collect()
}

/// Outcome counts as (outcome, count).
fn outcomes(s: &cdrscope::Summary) -> Vec<(&str, u64)> {
    s.by_outcome
        .iter()
        .map(|c| (c.name.as_str(), c.count))
        .collect()
}

/// Writes records as CSV with every field quoted.
fn quoted_csv(records: &[Vec<String>]) -> String {
    let mut out = String::new();
    for r in records {
        let fields: Vec<String> = r
            .iter()
            .map(|f| format!("\"{}\"", f.replace('"', "\"\"")))
            .collect();
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

const NEWCDR: &str = "asterisk/mineevburyat-master-21col-newcdrcolumns.csv";

/// The figures of the 84 records of the newcdrcolumns `Master.csv`, whatever columns of it
/// are logged (as long as `sequence` is).
fn assert_newcdr_figures(s: &cdrscope::Summary) {
    assert_eq!(s.format, "asterisk");
    assert_eq!(rows(s), (84, 84, 0, 0));
    assert_eq!(s.rows.header, 0);
    let o = &s.overall;
    assert_eq!((o.attempts, o.answered, o.total_hold_s), (84, 37, 884));
    assert_eq!(o.short_calls, 7);
    assert_eq!(
        code_counts(&s.by_code),
        vec![
            ("NO ANSWER".to_string(), 46),
            ("ANSWERED".to_string(), 37),
            ("BUSY".to_string(), 1),
        ]
    );
    assert_eq!(
        outcomes(s),
        vec![("answered", 37), ("busy", 1), ("no_answer", 46)]
    );
    // A Dial of three Local channels (`Local/ch1@TimeDelay&…`) writes three records with the
    // same uniqueid and times; `sequence` keeps them apart, so none is taken for a repeat.
    assert_eq!(
        groups(&s.by_egress_gateway),
        vec![
            ("301", 31, 22),
            ("stadionpbx", 31, 5),
            ("TimeDelay", 15, 3),
            ("(none)", 7, 7),
        ]
    );
    assert_eq!(
        groups(&s.by_ingress_gateway),
        vec![("211553", 61, 26), ("211474", 12, 8), ("TimeDelay", 11, 3)]
    );
    assert_eq!(groups(&s.by_destination), vec![("internal", 84, 37)]);
    let r = s.time_range.as_ref().expect("times");
    assert_eq!(
        (r.first.as_str(), r.last.as_str()),
        ("2024-01-27 15:07:51", "2024-01-28 12:38:00")
    );
}

#[test]
fn newcdrcolumns_master_csv_of_21_columns_is_read() {
    // Not UTF-8: some clid values hold raw 0xA5 bytes; the row is read all the same.
    let bytes = real(NEWCDR);
    assert!(std::str::from_utf8(&bytes).is_err());
    let s = summarize_real(NEWCDR);
    assert!(
        s.format_reason.contains("Master.csv layout of cdr_csv (21 columns (with uniqueid, userfield, peeraccount, linkedid and sequence: newcdrcolumns)"),
        "{}",
        s.format_reason
    );
    assert!(s.format_confidence >= 0.9, "{}", s.format_confidence);
    assert_newcdr_figures(&s);
}

/// The newcdrcolumns file without the columns in `drop` (0-based), quoted again.
fn newcdr_without(drop: &[usize]) -> Vec<u8> {
    let text = String::from_utf8_lossy(&real(NEWCDR)).into_owned();
    let kept: Vec<Vec<String>> = records(&text, ',', usize::MAX)
        .into_iter()
        .map(|r| {
            assert_eq!(r.len(), 21);
            r.into_iter()
                .enumerate()
                .filter(|(i, _)| !drop.contains(i))
                .map(|(_, f)| f)
                .collect()
        })
        .collect();
    quoted_csv(&kept).into_bytes()
}

#[test]
fn newcdrcolumns_with_19_and_20_columns_give_the_same_figures() {
    // loguniqueid and loguserfield off: 19 columns; one of them on: 20.
    for (drop, what) in [
        (
            &[16, 17][..],
            "19 columns (with peeraccount, linkedid and sequence: newcdrcolumns)",
        ),
        (
            &[17][..],
            "20 columns (with uniqueid, peeraccount, linkedid and sequence: newcdrcolumns)",
        ),
        (
            &[16][..],
            "20 columns (with userfield, peeraccount, linkedid and sequence: newcdrcolumns)",
        ),
    ] {
        let s = summarize("Master.csv", &newcdr_without(drop), Default::default());
        assert!(
            s.format_reason.contains(what),
            "{drop:?}: {}",
            s.format_reason
        );
        assert_newcdr_figures(&s);
    }
}

#[test]
fn seventeen_column_master_csv_gives_the_same_figures() {
    // loguniqueid on, loguserfield off: 17 columns.
    let text = String::from_utf8(fixture("asterisk_Master.csv")).unwrap();
    let kept: Vec<Vec<String>> = records(&text, ',', usize::MAX)
        .into_iter()
        .map(|r| r[..17].to_vec())
        .collect();
    let s = summarize(
        "Master.csv",
        quoted_csv(&kept).as_bytes(),
        Default::default(),
    );
    assert!(
        s.format_reason.contains("17 columns (with uniqueid)"),
        "{}",
        s.format_reason
    );
    assert_asterisk_sample(&s);
}

#[test]
fn master_csv_rows_of_22_columns_are_rejected() {
    let text = String::from_utf8(fixture("asterisk_Master.csv")).unwrap();
    let mut recs = records(&text, ',', usize::MAX);
    recs[5].extend(["a", "b", "c", "d"].map(String::from));
    let s = summarize(
        "Master.csv",
        quoted_csv(&recs).as_bytes(),
        Default::default(),
    );
    assert_eq!((s.rows.accepted, s.rows.rejected), (399, 1));
    assert_eq!(s.rejects[0].line, 6);
    assert_eq!(s.rejects[0].reason, "expected 21 fields, found 22");
}

#[test]
fn cdr_custom_with_the_stock_mapping_is_read() {
    let s = summarize_real("asterisk/kelysaina-cdr-custom-master.csv");
    assert_eq!(s.format, "asterisk");
    assert!(
        s.format_reason
            .contains("Asterisk cdr_custom's stock Master.csv mapping (19 columns, clid first"),
        "{}",
        s.format_reason
    );
    assert!(s.format_confidence >= 0.9, "{}", s.format_confidence);
    assert_eq!(rows(&s), (14, 14, 0, 0));
    let o = &s.overall;
    assert_eq!((o.attempts, o.answered, o.total_hold_s), (14, 11, 78));
    assert_eq!(o.short_calls, 5);
    assert_rounded("acd", o.acd_s, &serde_json::json!(7.09), 2);
    assert_eq!(
        code_counts(&s.by_code),
        vec![("ANSWERED".to_string(), 11), ("NO ANSWER".to_string(), 3)]
    );
    assert_eq!(outcomes(&s), vec![("answered", 11), ("no_answer", 3)]);
    // PJSIP/client1-00000002 → client1: channel is column 5, dstchannel 6 (not 6 and 7 as in
    // cdr_csv).
    assert_eq!(
        groups(&s.by_egress_gateway),
        vec![("client2", 9, 8), ("client1", 5, 3)]
    );
    assert_eq!(
        groups(&s.by_ingress_gateway),
        vec![("client1", 9, 8), ("client2", 5, 3)]
    );
    let r = s.time_range.as_ref().expect("times");
    assert_eq!(
        (r.first.as_str(), r.last.as_str()),
        ("2023-07-26 01:52:04", "2023-07-26 09:25:04")
    );
}

const TABLE_DUMP: &str = "freepbx/apspoliveira-cdr-table-dmy-noheader.csv";

#[test]
fn freepbx_cdr_table_dump_without_header_is_read() {
    let s = summarize_real(TABLE_DUMP);
    assert_eq!(s.format, "asterisk");
    assert!(
        s.format_reason.contains(
            "column order of the Asterisk SQL cdr table as FreePBX stores it (25 columns, calldate first"
        ),
        "{}",
        s.format_reason
    );
    // 1/9/2017 … 9/9/2017: no day above 12, but the first rows span a day read as D/M/Y and
    // two months as M/D/Y.
    assert!(
        s.format_reason.contains(
            "dates read as D/M/Y, assumed: no day above 12 in the first rows, whose dates span 1 day read so and 58 days as M/D/Y; set the date order to M/D/Y (--date-order mdy) if that is wrong"
        ),
        "{}",
        s.format_reason
    );
    assert_eq!(rows(&s), (856, 856, 0, 0));
    let o = &s.overall;
    assert_eq!((o.attempts, o.answered, o.total_hold_s), (856, 747, 154105));
    assert_eq!(
        code_counts(&s.by_code),
        vec![
            ("ANSWERED".to_string(), 747),
            ("NO ANSWER".to_string(), 64),
            ("FAILED".to_string(), 44),
            ("BUSY".to_string(), 1),
        ]
    );
    assert_eq!(
        outcomes(&s),
        vec![
            ("answered", 747),
            ("busy", 1),
            ("no_answer", 64),
            ("other", 44)
        ]
    );
    assert_eq!(
        groups(&s.by_destination),
        vec![("internal", 840, 745), ("national", 15, 2), ("351", 1, 0)]
    );
    // Not in time order; the range is the data's, read day first.
    let r = s.time_range.as_ref().expect("times");
    assert_eq!(
        (r.first.as_str(), r.last.as_str()),
        ("2017-09-01 16:33:28", "2017-09-09 18:24:55")
    );
    // Read month first as the user says: January to September, the same calls.
    let m = summarize_real_dated(TABLE_DUMP, DateOrder::Mdy);
    assert!(
        m.format_reason.ends_with("; dates read as M/D/Y, as set"),
        "{}",
        m.format_reason
    );
    assert_eq!(rows(&m), (856, 856, 0, 0));
    let r = m.time_range.as_ref().expect("times");
    assert_eq!(
        (r.first.as_str(), r.last.as_str()),
        ("2017-01-09 16:33:28", "2017-09-09 18:24:55")
    );
}

const SIX_COLUMNS: &str = "freepbx/apspoliveira-cdr-6col-ddmmyy-cr-only.csv";
const SIX_COLUMNS_G9: &str = "freepbx/apspoliveira-g9telecom-6col-ddmmyy-cr-only.csv";

#[test]
fn six_column_exports_with_cr_line_ends_are_read() {
    let bytes = real(SIX_COLUMNS);
    assert!(!bytes.contains(&b'\n') && bytes.contains(&b'\r'));
    let s = summarize_real(SIX_COLUMNS);
    assert_eq!(s.format, "asterisk");
    assert!(
        s.format_reason.starts_with(
            "the header names Asterisk CDR columns of the SQL cdr table (3 of 6: calldate, dcontext, dstchannel, lastapp, billsec, disposition), and 100% of the rows have a disposition such as ANSWERED or NO ANSWER"
        ),
        "{}",
        s.format_reason
    );
    assert!(
        s.format_reason
            .ends_with("; dates are D/M/Y (\"24/08/17 09:32\" has its day first)"),
        "{}",
        s.format_reason
    );
    assert_eq!(s.rows.header, 1);
    assert_eq!(rows(&s), (25, 25, 0, 0));
    let o = &s.overall;
    assert_eq!((o.attempts, o.answered, o.total_hold_s), (25, 19, 4352));
    assert_eq!(
        outcomes(&s),
        vec![("answered", 19), ("busy", 2), ("no_answer", 4)]
    );
    assert_eq!(
        groups(&s.by_destination),
        vec![("internal", 17, 12), ("national", 8, 7)]
    );
    // DD/MM/YY HH:MM, no seconds; the end is calldate + duration.
    let r = s.time_range.as_ref().expect("times");
    assert_eq!(
        (r.first.as_str(), r.last.as_str()),
        ("2017-08-24 09:32:20", "2017-08-24 12:39:09")
    );
    // Read month first, 24/08/17 is no date: every row says so.
    let m = summarize_real_dated(SIX_COLUMNS, DateOrder::Mdy);
    assert_eq!((m.rows.accepted, m.rows.rejected), (0, 25));
    assert_eq!(
        m.rejects[0].reason,
        "calldate is not a time: \"24/08/17 09:32\""
    );

    let g = summarize_real(SIX_COLUMNS_G9);
    assert_eq!(g.format, "asterisk");
    // Every row is of 04/09/17: nothing tells the order, D/M/Y is assumed and said.
    assert!(
        g.format_reason.ends_with(
            "; dates read as D/M/Y, assumed: no date of the first rows tells D/M/Y from M/D/Y; set the date order to M/D/Y (--date-order mdy) if that is wrong"
        ),
        "{}",
        g.format_reason
    );
    assert_eq!(rows(&g), (100, 100, 0, 0));
    let o = &g.overall;
    // ANSWERED rows with billsec 0 are answered; rows with billsec > duration are kept.
    assert_eq!((o.attempts, o.answered, o.total_hold_s), (100, 99, 729));
    assert_eq!(o.zero_duration_answered, 6);
    assert_eq!(outcomes(&g), vec![("answered", 99), ("no_answer", 1)]);
    let r = g.time_range.as_ref().expect("times");
    assert_eq!(r.first, "2017-09-04 12:08:06");
    let m = summarize_real_dated(SIX_COLUMNS_G9, DateOrder::Mdy);
    assert_eq!(
        m.time_range.as_ref().expect("times").first,
        "2017-04-09 12:08:06"
    );
}

#[test]
fn month_first_dates_are_recognised() {
    let text = "calldate,src,dst,duration,billsec,disposition\n\
                08/24/2017 9:32:05 AM,41000,4502,20,0,NO ANSWER\n\
                08/24/2017 1:05:00 PM,4003,300010001,331,328,ANSWERED\n";
    let s = summarize("cdr.csv", text.as_bytes(), Default::default());
    assert_eq!(s.format, "asterisk");
    assert!(
        s.format_reason
            .ends_with("; dates are M/D/Y (\"08/24/2017 9:32:05 AM\" has its day second)"),
        "{}",
        s.format_reason
    );
    let r = s.time_range.as_ref().expect("times");
    assert_eq!(
        (r.first.as_str(), r.last.as_str()),
        ("2017-08-24 09:32:25", "2017-08-24 13:10:31")
    );
}

#[test]
fn the_date_order_option_is_serialized_in_lowercase() {
    let o: FormatOptions = serde_json::from_str(r#"{"date_order": "mdy"}"#).unwrap();
    assert_eq!(o.date_order, DateOrder::Mdy);
    let o: FormatOptions = serde_json::from_str("{}").unwrap();
    assert_eq!(o.date_order, DateOrder::Auto);
    assert_eq!(
        serde_json::to_value(DateOrder::Dmy).unwrap(),
        serde_json::json!("dmy")
    );
}

#[test]
fn the_command_line_takes_a_date_order() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_cdrscope"))
            .arg("report")
            .arg(format!(
                "{}/tests/fixtures/real/{SIX_COLUMNS_G9}",
                env!("CARGO_MANIFEST_DIR")
            ))
            .args(args)
            .output()
            .expect("run cdrscope")
    };
    let out = run(&["--json", "--date-order", "mdy"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["time_range"]["first"], "2017-04-09 12:08:06");
    let out = run(&["--date-order", "ymd"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "cdrscope: unknown date order \"ymd\" (use dmy, mdy or auto)\n"
    );
}

#[test]
fn other_formats_are_not_taken_for_asterisk() {
    use cdrscope::formats::{asterisk, cucm, freeswitch, kamailio, vos3000};
    // The same header as the reduced FreePBX export, but a carrier's statuses: not Asterisk.
    let text = "calldate,src,dst,duration,billsec,disposition\n\
                24/08/17 09:32,41000,4502,20,0,no-answer\n\
                24/08/17 09:28,4003,300010001,331,328,completed\n";
    assert_eq!(asterisk::detect(&records(text, ',', 40)), None);
    // Other systems' files, real and sample.
    for (path, delimiter) in [
        ("real/freeswitch/legiangk62-master.csv", ','),
        ("real/freeswitch/spicyramen-master.csv", ','),
        ("real/cdr_stats/cdrimport_2015-10-26.csv", ','),
        ("real/cucm/cucm10_cdr_unquoted_header_no_types_lab.txt", ','),
        ("real/threecx/v20_call_report_inbound_calls.csv", ','),
        ("freeswitch_Master.csv", ','),
        ("freeswitch_custom_header.csv", ','),
        ("kamailio_acc.csv", ','),
        ("vos3000_cdr_en.csv", ','),
        ("generic_carrier.csv", ';'),
    ] {
        let text = String::from_utf8_lossy(&fixture(path)).into_owned();
        let sample = records(&text, delimiter, 40);
        assert_eq!(asterisk::detect(&sample), None, "{path}");
    }
    // And Asterisk's new variants are no other format's.
    for path in [
        NEWCDR,
        "asterisk/kelysaina-cdr-custom-master.csv",
        TABLE_DUMP,
    ] {
        let text = String::from_utf8_lossy(&real(path)).into_owned();
        let sample = records(&text, ',', 40);
        assert!(asterisk::detect(&sample).is_some(), "{path}");
        for (name, detect) in [
            ("vos3000", vos3000::detect as fn(&[Vec<String>]) -> _),
            ("freeswitch", freeswitch::detect),
            ("kamailio", kamailio::detect),
            ("cucm", cucm::detect),
        ] {
            assert_eq!(detect(&sample), None, "{path}: {name} claims it");
        }
    }
}

const AMI: &str = "asterisk/constructed/ami-cdr-events-from-docs.txt";

#[test]
fn ami_cdr_events_are_read() {
    let s = summarize_real(AMI);
    assert_eq!(s.format, "asterisk");
    assert_eq!(
        s.format_reason,
        "Asterisk AMI Cdr events (cdr_manager): 40 of the first 40 lines are Key: Value lines, 3 of them Event: Cdr, with BillableSeconds and Disposition"
    );
    // Every line is a row, folded into its event; each event is one call.
    assert_eq!(rows(&s), (95, 95, 0, 0));
    let o = &s.overall;
    assert_eq!((o.attempts, o.answered, o.total_hold_s), (5, 2, 180));
    assert_eq!(
        code_counts(&s.by_code),
        vec![
            ("ANSWERED".to_string(), 2),
            ("BUSY".to_string(), 1),
            ("FAILED".to_string(), 1),
            ("NO ANSWER".to_string(), 1),
        ]
    );
    assert_eq!(
        outcomes(&s),
        vec![("answered", 2), ("busy", 1), ("no_answer", 1), ("other", 1)]
    );
    assert_eq!(
        groups(&s.by_egress_gateway),
        vec![
            ("trunk_es", 2, 1),
            ("(none)", 1, 0),
            ("1001", 1, 1),
            ("2000", 1, 0)
        ]
    );
    assert_eq!(
        groups(&s.by_ingress_gateway),
        vec![("1001", 2, 1), ("1002", 2, 0), ("trunk_es", 1, 1)]
    );
    assert_eq!(
        groups(&s.by_destination),
        vec![
            ("internal", 2, 1),
            ("34", 1, 1),
            ("44", 1, 0),
            ("national", 1, 0)
        ]
    );
    let r = s.time_range.as_ref().expect("times");
    assert_eq!(
        (r.first.as_str(), r.last.as_str()),
        ("2025-03-10 10:01:05", "2025-03-10 10:10:00")
    );
}

#[test]
fn ami_captures_with_other_packets_bad_values_and_a_cut_end() {
    let event = |id: u32, billsec: &str, disposition: &str| {
        format!(
            "Event: Cdr\r\nPrivilege: cdr,all\r\nAccountCode: \r\nSource: 100{id}\r\nDestination: 200{id}\r\n\
             Channel: SIP/100{id}-0000000{id}\r\nDestinationChannel: SIP/gw-0000001{id}\r\n\
             LastData: SIP/gw/200{id},30,tT\r\nStartTime: 2025-03-10 10:0{id}:00\r\n\
             AnswerTime: 2025-03-10 10:0{id}:05\r\nEndTime: 2025-03-10 10:0{id}:35\r\nDuration: 35\r\n\
             BillableSeconds: {billsec}\r\nDisposition: {disposition}\r\nAMAFlags: DOCUMENTATION\r\n\
             UniqueID: 1741600800.{id}\r\nUserField: \r\n\r\n"
        )
    };
    let mut text = String::from("Asterisk Call Manager/5.0.1\r\nResponse: Success\r\nMessage: Authentication accepted\r\n\r\n");
    text += &event(1, "30", "ANSWERED");
    text +=
        "Event: Hangup\r\nPrivilege: call,all\r\nChannel: SIP/1001-00000001\r\nCause: 16\r\n\r\n";
    text += &event(2, "3x", "ANSWERED");
    text += &event(3, "0", "");
    text += &event(4, "30", "ANSWERED");
    // The capture ends inside an event, before its Disposition.
    text += "Event: Cdr\r\nPrivilege: cdr,all\r\nSource: 1005\r\n";
    let s = summarize("ami.log", text.as_bytes(), Default::default());
    assert_eq!(s.format, "asterisk");
    assert_eq!(
        s.rows.data,
        text.lines().filter(|l| !l.is_empty()).count() as u64
    );
    assert_eq!(s.rows.rejected, 2);
    let rejects: Vec<(u64, &str)> = s
        .rejects
        .iter()
        .map(|r| (r.line, r.reason.as_str()))
        .collect();
    // Lines are counted from 1 with the empty lines between packets.
    assert_eq!(
        rejects,
        vec![
            (40, "BillableSeconds is not a valid number: \"3x\""),
            (59, "Disposition is empty"),
        ]
    );
    let o = &s.overall;
    assert_eq!((o.attempts, o.answered, o.total_hold_s), (2, 2, 60));
    assert_eq!(groups(&s.by_egress_gateway), vec![("gw", 2, 2)]);
}

/// Reads an input of any container kind (JSON here) with format detection.
fn summarize_input(name: &str, bytes: &[u8]) -> cdrscope::Summary {
    let mut d = cdrscope::analysis::Dataset::new();
    cdrscope::inputs::read_bytes_into(&mut d, name, bytes, &Default::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    d.summary(&cdrscope::analysis::Filter::default(), &all_codes())
}

#[test]
fn ami_cdr_events_kept_as_json_lines_give_the_figures_of_the_raw_events() {
    let raw = summarize_real(AMI);
    let path = "asterisk/constructed/ami-cdr-events-from-docs.jsonl";
    let bytes = real(path);
    let s = summarize_input(path, &bytes);
    assert_eq!(s.format, "asterisk");
    assert_eq!(
        s.format_reason,
        "the records have the keys of Asterisk AMI Cdr events (StartTime, AnswerTime, EndTime, BillableSeconds, Disposition, Destination): Cdr events kept as JSON"
    );
    // One record per event, after the column-names line the JSON reader writes.
    assert_eq!(rows(&s), (5, 5, 0, 0));
    assert_eq!(s.rows.header, 1);
    assert_eq!(code_counts(&s.by_code), code_counts(&raw.by_code));
    assert_eq!(outcomes(&s), outcomes(&raw));
    assert_eq!(groups(&s.by_egress_gateway), groups(&raw.by_egress_gateway));
    assert_eq!(
        groups(&s.by_ingress_gateway),
        groups(&raw.by_ingress_gateway)
    );
    assert_eq!(groups(&s.by_destination), groups(&raw.by_destination));
    assert_eq!(s.overall.total_hold_s, 180);

    // A stream of every manager event: the others (a Hangup here) are not calls, and not lost.
    let text = String::from_utf8(bytes).unwrap();
    let (first, rest) = text.split_once('\n').unwrap();
    let mixed = format!(
        "{first}\n{{\"Event\": \"Hangup\", \"Channel\": \"PJSIP/1001-00000001\", \"Cause\": \"16\"}}\n{rest}"
    );
    let m = summarize_input("events.jsonl", mixed.as_bytes());
    assert_eq!((rows(&m), m.rows.header), ((5, 5, 0, 0), 2));
    assert_eq!(outcomes(&m), outcomes(&raw));
}
