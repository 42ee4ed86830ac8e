//! FreeSWITCH mod_cdr_csv: the `example` template, the 20-column custom template without a
//! header, and a custom template with a header row reproduce expected.json's figures.

use crate::common;

use common::*;
use serde_json::json;

const CAUSES: [(&str, u64); 10] = [
    ("NORMAL_CLEARING", 141),
    ("NORMAL_TEMPORARY_FAILURE", 58),
    ("USER_BUSY", 47),
    ("ORIGINATOR_CANCEL", 46),
    ("NO_USER_RESPONSE", 39),
    ("RECOVERY_ON_TIMER_EXPIRE", 39),
    ("UNALLOCATED_NUMBER", 17),
    ("NO_ROUTE_DESTINATION", 9),
    ("CALL_REJECTED", 3),
    ("INVALID_NUMBER_FORMAT", 1),
];

fn causes() -> Vec<(String, u64)> {
    CAUSES.iter().map(|(c, n)| (c.to_string(), *n)).collect()
}

/// The figures every rendering of the 400 sample calls shares.
fn assert_common(s: &cdrscope::Summary) {
    let e = expected("freeswitch_Master.csv");
    assert_eq!(s.format, "freeswitch");
    assert_eq!(
        (s.rows.data, s.rows.accepted, s.rows.rejected),
        (400, 400, 0)
    );
    let o = &s.overall;
    assert_eq!((o.attempts, o.answered), (400, 141));
    assert_eq!(o.asr, Some(0.3525));
    assert_eq!(o.total_hold_s, 16300);
    assert_rounded("acd", o.acd_s, &json!(115.6), 2);
    assert_eq!(o.short_calls, 12);
    assert_kpis("overall", o, &e["overall"], false);
    assert_eq!(code_counts(&s.by_code), causes());
    assert_eq!(code_counts(&s.by_code), expected_codes(&e["overall"]));
    assert!(s
        .by_code
        .iter()
        .all(|c| c.system.as_deref() == Some("freeswitch")));
}

#[test]
fn example_template_reproduces_expected_figures() {
    let s = summarize_fixture("freeswitch_Master.csv");
    assert!(
        s.format_reason.contains("example template")
            && s.format_reason.contains("15 columns")
            && s.format_reason.contains("NORMAL_CLEARING"),
        "{}",
        s.format_reason
    );
    assert_eq!(s.rows.header, 0);
    assert_common(&s);
    // The example template has no gateway, no SIP status and no progress time.
    assert_eq!(names(&s.by_egress_gateway), vec!["(none)"]);
    assert_eq!(s.overall.ner, None);
    assert_eq!(s.overall.pdd_rows, 0);
    // Ingress is the account code (the customer).
    let mut ingress: Vec<&str> = names(&s.by_ingress_gateway);
    ingress.sort_unstable();
    assert_eq!(ingress, vec!["10001", "10002", "10003"]);
}

#[test]
fn custom_template_without_header_gives_gateways_ner_and_pdd() {
    let s = summarize_fixture("freeswitch_custom_Master.csv");
    assert!(
        s.format_reason.contains("sip_term_status")
            && s.format_reason.contains("progress_mediasec"),
        "{}",
        s.format_reason
    );
    assert_eq!(s.rows.header, 0);
    assert_common(&s);
    let o = &s.overall;
    // NER from sip_term_status: expected.json overall_ner_from_sip_term_status.
    let ner = &expected("freeswitch_custom_Master.csv")["overall_ner_from_sip_term_status"];
    assert_eq!(o.ner_effective, Some(230));
    assert_eq!(o.ner_effective, ner["ner_effective"].as_u64());
    assert_eq!(o.ner, Some(0.575));
    assert_eq!(o.ner_incl_487, Some(0.69));
    // PDD: the generator's figures are in ms (pdd_avg_ms 3644.9), but the file carries
    // progress_mediasec in whole seconds (truncated), so it cannot reproduce them. These are
    // the file's own figures (226 rows with progress, as expected.json's pdd_rows).
    assert_eq!(o.pdd_rows, 226);
    assert_eq!(
        o.pdd_rows,
        expected("freeswitch_Master.csv")["overall"]["pdd_rows"]
            .as_u64()
            .unwrap()
    );
    assert_rounded("pdd avg", o.pdd_avg_ms, &json!(3137.168), 3);
    assert_eq!(o.pdd_p50_ms, Some(3000.0));
    assert_eq!(o.pdd_p95_ms, Some(6000.0));
    // Per gateway (sip_gateway_name): expected.json's per_sip_gateway_name, NER included.
    let e = expected("freeswitch_Master.csv");
    let gws = e["per_sip_gateway_name"].as_object().unwrap();
    let mut got = names(&s.by_egress_gateway);
    got.sort_unstable();
    assert_eq!(
        got,
        vec!["(none)", "cn_mobile", "hk_prime", "sg_cheap", "us_tier2"]
    );
    for (name, want) in gws {
        let g = group(&s.by_egress_gateway, name);
        assert_kpis(name, &g.kpis, want, true);
        assert_eq!(code_counts(&g.codes), expected_codes(want), "{name}: codes");
        assert_eq!(
            g.kpis.pdd_rows,
            want["pdd_rows"].as_u64().unwrap(),
            "{name}: pdd rows"
        );
    }
    let sg = group(&s.by_egress_gateway, "sg_cheap");
    assert_eq!((sg.kpis.attempts, sg.kpis.answered), (108, 22));
    assert_eq!(sg.kpis.ner, Some(40.0 / 108.0));
    assert_rounded(
        "hk pdd",
        group(&s.by_egress_gateway, "hk_prime").kpis.pdd_avg_ms,
        &json!(2244.2),
        1,
    );
    // End direction from sip_hangup_disposition on the A leg: recv_bye 55 + recv_cancel 46 are
    // the caller; send_bye 86 + send_refuse with a gateway 204 the callee; send_refuse without
    // a gateway (no route) 9 the switch.
    let dirs: Vec<(&str, u64)> = s
        .by_end_direction
        .iter()
        .map(|d| (d.name.as_str(), d.count))
        .collect();
    assert_eq!(dirs, vec![("caller", 101), ("callee", 290), ("server", 9)]);
}

#[test]
fn custom_template_with_header_is_matched_by_name() {
    // The same calls, columns reordered under a header row, plus progresssec (ringing), which
    // comes before early media on some calls: PDD is the earlier of the two.
    let s = summarize_fixture("freeswitch_custom_header.csv");
    assert_eq!(s.rows.header, 1);
    assert!(
        s.format_reason
            .contains("header names FreeSWITCH channel variables"),
        "{}",
        s.format_reason
    );
    assert_common(&s);
    assert_eq!(s.overall.ner, Some(0.575));
    assert_eq!(s.overall.pdd_rows, 226);
    // Figures computed with a one-off script from the fixture: sum 634000 ms, median 2500.
    assert_eq!(s.overall.pdd_avg_ms, Some(634_000.0 / 226.0));
    assert_eq!(s.overall.pdd_p50_ms, Some(2500.0));
    let e = expected("freeswitch_Master.csv");
    for (name, want) in e["per_sip_gateway_name"].as_object().unwrap() {
        assert_kpis(name, &group(&s.by_egress_gateway, name).kpis, want, true);
    }
}

#[test]
fn bad_values_are_rejected_with_their_reason() {
    let head = "start_stamp,answer_stamp,end_stamp,billsec,hangup_cause,sip_term_status,hangup_cause_q850\n";
    let rows = [
        "2025-03-10 10:00:00,2025-03-10 10:00:04,2025-03-10 10:01:04,60,NORMAL_CLEARING,200,16",
        "2025-03-10 10:02:00,,2025-03-10 10:02:09,0,USER_BUSY,486,17",
        "2025-03-10 10:03:00,,2025-03-10 10:03:09,0,USER_BUSY,4x6,17",
        "2025-03-10 10:04:00,,2025-03-10 10:04:09,0,USER_BUSY,486,seventeen",
        "2025-03-10 10:05:00,,yesterday,0,USER_BUSY,486,17",
        "2025-03-10 10:06:00,,2025-03-10 10:06:09,0,USER_BUSY,486",
    ];
    let text = format!("{head}{}\n", rows.join("\n"));
    let s = summarize("fs.csv", text.as_bytes(), Default::default());
    assert_eq!(s.format, "freeswitch");
    assert_eq!((s.rows.accepted, s.rows.rejected), (2, 4));
    let rejects: Vec<(u64, String)> = s
        .rejects
        .iter()
        .map(|r| (r.line, r.reason.clone()))
        .collect();
    assert_eq!(
        rejects,
        vec![
            (
                4,
                "sip_term_status is not a valid number: \"4x6\"".to_string()
            ),
            (
                5,
                "hangup_cause_q850 is not a valid number: \"seventeen\"".to_string()
            ),
            (6, "end_stamp is not a time: \"yesterday\"".to_string()),
            (7, "expected 7 fields, found 6".to_string()),
        ]
    );
    assert_eq!(s.overall.ner, Some(1.0));
}

/// The real mod_json_cdr documents of the corpus (tests/fixtures/real/freeswitch/SOURCES.md).
const JSON_CDRS: [&str; 3] = [
    "fs-2013-08-04_844715f9_redirect-answered.json",
    "fs-2015-07-07_651a8db2_cgrdev1-answered.json",
    "fs-2018-03-14_63e2315b_callflow-array-answered.json",
];

/// Reads any input (JSON, zip…) into one data set and returns its unfiltered summary.
fn summarize_input(name: &str, bytes: &[u8]) -> cdrscope::Summary {
    let mut d = cdrscope::Dataset::new();
    cdrscope::inputs::read_bytes_into(
        &mut d,
        name,
        bytes,
        &cdrscope::inputs::InputOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"));
    d.summary(&cdrscope::Filter::default(), &all_codes())
}

#[test]
fn mod_json_cdr_documents_are_one_call_each() {
    // (talk s, destination, end epoch s) of each document.
    let want = [
        (4, "internal", 1_375_609_860_i64),
        (66, "internal", 1_436_280_794),
        (21, "internal", 1_521_025_788),
    ];
    for (file, (talk, dest, end)) in JSON_CDRS.iter().zip(want) {
        let name = format!("real/freeswitch/cgrates-json-cdr-excerpts/{file}");
        let s = summarize_input(file, &fixture(&name));
        assert_eq!(s.format, "freeswitch", "{file}");
        assert!(
            s.format_reason.contains("mod_json_cdr"),
            "{file}: {}",
            s.format_reason
        );
        assert_eq!(s.time_basis, "utc", "{file}");
        assert_eq!(
            (s.rows.data, s.rows.accepted, s.rows.rejected),
            (1, 1, 0),
            "{file}"
        );
        assert_eq!(
            (
                s.overall.attempts,
                s.overall.answered,
                s.overall.total_hold_s
            ),
            (1, 1, talk),
            "{file}"
        );
        // The first caller profile's destination: `dan` in the redirected call, not the
        // +49… the caller dialled (the second `callflow` key).
        assert_eq!(names(&s.by_destination), [dest], "{file}");
        assert_eq!(s.time_range.as_ref().unwrap().last_ms, end * 1000, "{file}");
    }
}

#[test]
fn a_zip_of_json_cdrs_is_one_data_set() {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for file in JSON_CDRS {
        w.start_file(file, o).unwrap();
        let bytes = fixture(&format!("real/freeswitch/cgrates-json-cdr-excerpts/{file}"));
        w.write_all(&bytes).unwrap();
    }
    let z = w.finish().unwrap().into_inner();
    let s = summarize_input("json_cdr.zip", &z);
    assert_eq!(s.files.len(), 3);
    assert!(s.files.iter().all(|f| f.error.is_none()));
    assert_eq!(
        (
            s.overall.attempts,
            s.overall.answered,
            s.overall.total_hold_s
        ),
        (3, 3, 91)
    );
}

#[test]
fn master_csv_re_saved_by_excel() {
    // Quotes stripped, dates as `2020/2/10 22:41` (no padding, no seconds).
    let s = summarize_fixture("real/freeswitch/kxingyunliushui-master-excel-resaved.csv");
    assert_eq!(s.format, "freeswitch");
    assert_eq!(
        (
            s.rows.data,
            s.rows.accepted,
            s.rows.rejected,
            s.rows.duplicates
        ),
        (10, 10, 0, 1)
    );
    assert_eq!(
        (
            s.overall.attempts,
            s.overall.answered,
            s.overall.total_hold_s
        ),
        (9, 8, 510)
    );
    let range = s.time_range.as_ref().unwrap();
    assert_eq!(range.first.get(..10), Some("2020-02-10"));
}

#[test]
fn mod_xml_cdr_documents_are_one_call_each() {
    // (file, talk s); both calls to 915121007938 (the first callflow's destination), national.
    for (file, talk) in [
        ("a_4b3b36af-3d98-4670-bc14-0ee08890d7d6.cdr.xml", 11),
        ("a_6a7ccd66-6d2f-46c4-abd9-07cf37fc161e.cdr.xml", 6),
    ] {
        let s = summarize_input(
            file,
            &fixture(&format!("real/freeswitch/zhouhailin-xml-cdr/{file}")),
        );
        assert_eq!(s.format, "freeswitch", "{file}");
        assert!(
            s.format_reason.contains("mod_xml_cdr"),
            "{file}: {}",
            s.format_reason
        );
        assert_eq!(s.files[0].container, "xml", "{file}");
        assert_eq!(
            (s.rows.data, s.rows.accepted, s.rows.rejected),
            (1, 1, 0),
            "{file}"
        );
        assert_eq!(
            (
                s.overall.attempts,
                s.overall.answered,
                s.overall.total_hold_s
            ),
            (1, 1, talk),
            "{file}"
        );
        assert_eq!(names(&s.by_destination), ["national"], "{file}");
        // The A leg has no sip_gateway_name: the gateway its bridge dialled
        // (`last_arg` sofia/gateway/avaya/915121007938).
        assert_eq!(names(&s.by_egress_gateway), ["avaya"], "{file}");
    }
}

#[test]
fn an_xml_cdr_with_an_entity_definition_expands_nothing() {
    let doc = b"<?xml version=\"1.0\"?>\n<!DOCTYPE cdr [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>\n<cdr><variables><uuid>u1</uuid><hangup_cause>USER_BUSY</hangup_cause><billsec>0</billsec><sip_term_status>486</sip_term_status></variables><callflow><caller_profile><destination_number>&b;</destination_number></caller_profile></callflow></cdr>";
    let s = summarize_input("bomb.cdr.xml", doc);
    assert_eq!(s.format, "freeswitch");
    assert_eq!((s.overall.attempts, s.overall.answered), (1, 0));
    let outcomes: Vec<(&str, u64)> = s
        .by_outcome
        .iter()
        .map(|c| (c.name.as_str(), c.count))
        .collect();
    assert_eq!(outcomes, [("busy", 1)]);
}

#[test]
fn a_zip_and_a_folder_of_xml_cdrs_are_one_data_set() {
    use std::io::Write;
    const XML: [&str; 2] = [
        "a_4b3b36af-3d98-4670-bc14-0ee08890d7d6.cdr.xml",
        "a_6a7ccd66-6d2f-46c4-abd9-07cf37fc161e.cdr.xml",
    ];
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for file in XML {
        w.start_file(format!("xml_cdr/{file}"), o).unwrap();
        w.write_all(&fixture(&format!(
            "real/freeswitch/zhouhailin-xml-cdr/{file}"
        )))
        .unwrap();
    }
    let z = w.finish().unwrap().into_inner();
    let s = summarize_input("xml_cdr.zip", &z);
    assert_eq!(s.files.len(), 2);
    assert!(s.files.iter().all(|f| f.error.is_none()));
    assert!(
        s.files.iter().all(|f| f.container == "zip+xml"),
        "{:?}",
        s.files[0].container
    );
    let o = &s.overall;
    assert_eq!((o.attempts, o.answered, o.total_hold_s), (2, 2, 17));

    // The folder mod_xml_cdr writes them to, given to the CLI as it is.
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/real/freeswitch/zhouhailin-xml-cdr"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cdrscope"))
        .args(["report", "--json", dir])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["files"].as_array().map(Vec::len), Some(2));
    let o = &j["overall"];
    assert_eq!(
        (
            o["attempts"].as_u64(),
            o["answered"].as_u64(),
            o["total_hold_s"].as_u64()
        ),
        (Some(2), Some(2), Some(17))
    );
}
