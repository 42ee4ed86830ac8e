//! Asterisk: `Master.csv` and the SQL `cdr` table reproduce expected.json's figures.

mod common;

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
