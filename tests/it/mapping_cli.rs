//! When no format fits: every row rejected exits 2 with the top reasons, errors say what the
//! file is, text code columns and `h:mm:ss` durations in the generic mapping, and
//! `cdrscope mapping` (its key list and `suggest`).

use cdrscope::analysis::{Dataset, Filter, SummaryOptions};
use cdrscope::formats::generic::ColumnMapping;
use cdrscope::formats::mapping_keys::MAPPING_KEYS;
use cdrscope::inputs::{self, InputOptions};
use std::collections::BTreeMap;
use std::process::Command;

const REAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/real");

/// Runs the CLI; returns exit code, stdout and stderr.
fn cli(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cdrscope"))
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A temporary file with `bytes`, named `name`.
fn temp(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cdrscope-mapping-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// The error the core gives a file, read on its own.
fn file_error(name: &str, bytes: &[u8]) -> String {
    let mut data = Dataset::new();
    let _ = inputs::read_bytes_into(&mut data, name, bytes, &InputOptions::default());
    let s = data.summary(&Filter::default(), &SummaryOptions::default());
    s.files[0].error.clone().unwrap_or_default()
}

const THREE_CX_LIKE: &str = "Start,Dest,Secs,Status\n\
2025-03-10 10:00:00,34911000111,0:42,TerminatedByDst\n\
2025-03-10 10:01:00,34911000112,1:02:03,ANSWERED\n\
2025-03-10 10:02:00,34911000113,0:00,busy\n\
2025-03-10 10:03:00,34911000114,0:00,TerminatedBySrc\n\
2025-03-10 10:04:00,34911000115,0:00,Besetzt\n";

#[test]
fn every_row_rejected_exits_2_with_the_top_reasons() {
    let csv = temp("all-rejected.csv", THREE_CX_LIKE.as_bytes());
    let map = temp(
        "sip.json",
        br#"{"start":"Start","callee":"Dest","duration":"Secs","code":"Status"}"#,
    );
    let (code, _, err) = cli(&[
        "report",
        "--mapping",
        map.to_str().unwrap(),
        csv.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    let f = csv.display();
    assert_eq!(
        err,
        format!(
            "cdrscope: all 5 rows were rejected, no call was read; top reasons:\n  \
             5 × Status is not a valid number (first at {f}:2: Status is not a valid number: \"TerminatedByDst\")\n\
             choose another --format, or map the columns with --mapping (cdrscope mapping suggest FILE)\n"
        )
    );
}

#[test]
fn text_codes_and_hms_durations_map_to_outcomes() {
    let mapping: ColumnMapping = serde_json::from_str(
        r#"{"start":"Start","callee":"Dest","duration":"Secs","code":"Status",
            "code_system":"text",
            "code_words":{"TerminatedByDst":"answered","TerminatedBySrc":"cancelled","Besetzt":"busy"}}"#,
    )
    .unwrap();
    let mut data = Dataset::new();
    let mut opts = InputOptions::default();
    opts.format.mapping = Some(mapping);
    inputs::read_bytes_into(&mut data, "t.csv", THREE_CX_LIKE.as_bytes(), &opts).unwrap();
    let s = data.summary(&Filter::default(), &SummaryOptions::default());
    assert_eq!((s.rows.accepted, s.rows.rejected), (5, 0));
    assert_eq!(s.overall.answered, 2);
    // 0:42 and 1:02:03 of talk.
    assert_eq!(s.overall.total_hold_s, 42 + 3723);
    let outcomes: BTreeMap<String, u64> = s
        .by_outcome
        .iter()
        .map(|c| (c.name.clone(), c.count))
        .collect();
    let want: BTreeMap<String, u64> = [("answered", 2), ("busy", 2), ("cancelled", 1)]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    assert_eq!(outcomes, want);
}

#[test]
fn an_unknown_outcome_in_code_words_is_refused_with_the_list() {
    let csv = temp("words.csv", THREE_CX_LIKE.as_bytes());
    let map = temp(
        "bad-words.json",
        br#"{"code":"Status","code_system":"text","code_words":{"Besetzt":"engaged"}}"#,
    );
    let (code, _, err) = cli(&[
        "report",
        "--mapping",
        map.to_str().unwrap(),
        csv.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("code_words: \"Besetzt\" means \"engaged\", which is no outcome (use answered, busy, no_answer, cancelled, rejected, number_error, no_route, unavailable, timeout, media, auth, other)"),
        "{err}"
    );
}

#[test]
fn a_json_log_is_named_as_such() {
    assert_eq!(
        file_error(
            "app.log",
            b"{\"level\":\"info\",\"msg\":\"started\"}\n{\"level\":\"warn\",\"msg\":\"slow\"}\n"
        ),
        "this is a log file with JSON lines (keys level, msg), not CDRs: export the call records themselves, or map the columns by hand"
    );
}

#[test]
fn a_mysqldump_says_to_export_with_mysql_b() {
    assert_eq!(
        file_error(
            "cdr.sql",
            b"-- MySQL dump 10.13  Distrib 5.7.42\n--\nINSERT INTO `cdr` VALUES ('2017-09-04 17:23:11','113');\n"
        ),
        "this is a mysqldump SQL file, not a CDR export: export the table as CSV with `mysql -B` (e.g. `mysql -B -e 'SELECT * FROM cdr' asteriskcdrdb > cdr.tsv`) and read that"
    );
}

#[test]
fn a_log_with_bracketed_lines_is_not_read_as_json() {
    assert_eq!(
        file_error(
            "full.log",
            b"[2024-06-17 05:59:49] VERBOSE[123] pbx.c: Executing Dial\n[2024-06-17 05:59:50] NOTICE[123] chan_sip.c: Call rejected\n"
        ),
        "this is a log file whose lines begin with `[` (the first: \"[2024-06-17 05:59:49] VERBOSE[123] pbx.c: Executing Dial\"), not CDRs: export the call records themselves, or map the columns by hand"
    );
}

#[test]
fn a_header_only_file_says_it_has_no_rows() {
    assert_eq!(
        file_error("empty.csv", b"calldate,src,dst,duration,billsec,disposition\n"),
        "this file holds a header only (calldate, src, dst, duration, billsec, disposition) and no data row that could be read"
    );
}

#[test]
fn a_png_is_named_as_an_image() {
    assert_eq!(
        file_error("chart.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        "this is a PNG image, not a CSV/text CDR export"
    );
}

#[test]
fn a_cucm_cmr_file_is_named_as_diagnostics_not_cdrs() {
    let bytes =
        std::fs::read(format!("{REAL}/cucm/cucm_cmr_quoted_header_types_2025.txt")).unwrap();
    assert_eq!(
        file_error("cmr.txt", &bytes),
        "this is a Cisco CUCM CMR file (call management records: per-call-leg voice quality diagnostics such as jitter, latency and lost packets), not CDRs, so it holds no calls to count; export the CDR file (cdr_…) for the same period from the CDR Repository or CAR instead, or alongside it"
    );
}

#[test]
fn mapping_suggest_guesses_a_real_freepbx_export() {
    let file = format!("{REAL}/freepbx/apspoliveira-cdr-export-header.csv");
    let (code, out, err) = cli(&["mapping", "suggest", &file]);
    assert_eq!(code, 0, "{err}");
    let got: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        got,
        serde_json::json!({
            "account": "accountcode",
            "answered": "auto",
            "call_id": "uniqueid",
            "callee": "dst",
            "caller": "src",
            "code": "disposition",
            "code_system": "text",
            "date_order": "ymd",
            "duration": "billsec",
            "duration_unit": "s",
            "start": "calldate"
        })
    );
    // The suggestion is a mapping `--mapping` takes, and it reads every row of the file.
    let map = temp("suggested.json", out.as_bytes());
    let (code, out, err) = cli(&[
        "report",
        "--json",
        "--mapping",
        map.to_str().unwrap(),
        &file,
    ]);
    assert_eq!(code, 0, "{err}");
    let s: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(s["rows"]["rejected"], 0);
    assert_eq!(s["rows"]["accepted"], s["rows"]["data"]);
}

#[test]
fn mapping_help_and_the_docs_list_every_key_with_its_example() {
    let (code, out, _) = cli(&["mapping", "--help"]);
    assert_eq!(code, 0);
    let docs =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/mapping.md")).unwrap();
    for (key, _, example) in MAPPING_KEYS {
        assert!(out.contains(&format!("  {key}: ")), "help lacks {key}");
        assert!(out.contains(example), "help lacks the example of {key}");
        assert!(docs.contains(&format!("`{key}`")), "docs lack {key}");
        assert!(docs.contains(example), "docs lack the example of {key}");
    }
}

#[test]
fn a_forced_format_names_the_missing_column_and_what_the_file_looks_like() {
    let file = format!("{REAL}/freepbx/apspoliveira-cdr-export-header.csv");
    let (code, _, err) = cli(&["report", "--format", "cucm", &file]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with(&format!(
            "cdrscope: {file}: the CUCM header has no dateTimeOrigination column; the file looks like Asterisk ("
        )),
        "{err}"
    );
    assert!(err.ends_with("): read it without --format cucm\n"), "{err}");
}

#[test]
fn a_forced_format_names_every_column_it_lacks() {
    let file = format!("{REAL}/freepbx/apspoliveira-cdr-export-header.csv");
    let (code, _, err) = cli(&["report", "--format", "kamailio", &file]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with(&format!(
            "cdrscope: {file}: the acc header has no method, callid, sip_code or time columns; the file looks like Asterisk ("
        )),
        "{err}"
    );
}

#[test]
fn mapping_suggest_reads_a_gzip_as_report_does() {
    use std::io::Write;
    let file = format!("{REAL}/freepbx/apspoliveira-cdr-export-header.csv");
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(&std::fs::read(&file).unwrap()).unwrap();
    let gz = temp("export.csv.gz", &e.finish().unwrap());
    let (code, plain, err) = cli(&["mapping", "suggest", &file]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = cli(&["mapping", "suggest", gz.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, plain);
}

#[test]
fn mapping_suggest_reads_json_records_by_their_keys() {
    let json =
        br#"{"Start":"2024-03-01 10:00:00","Dest":"442071234567","Secs":"35","Status":"ANSWERED"}
{"Start":"2024-03-01 10:01:00","Dest":"442071234568","Secs":"0","Status":"BUSY"}
"#;
    let f = temp("calls.jsonl", json);
    let (code, out, err) = cli(&["mapping", "suggest", f.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let got: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        got,
        serde_json::json!({
            "answered": "auto",
            "callee": "Dest",
            "code": "Status",
            "code_system": "text",
            "date_order": "ymd",
            "duration": "Secs",
            "duration_unit": "s",
            "start": "Start"
        })
    );
    // `report` reads the JSON records with that mapping: two attempts, one answered.
    let map = temp("suggested-json.json", out.as_bytes());
    let (code, out, err) = cli(&[
        "report",
        "--json",
        "--mapping",
        map.to_str().unwrap(),
        f.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let s: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (
            s["overall"]["attempts"].as_u64(),
            s["overall"]["answered"].as_u64()
        ),
        (Some(2), Some(1))
    );
}
