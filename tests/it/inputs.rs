//! Every input kind gives the same KPIs as its CSV twin (tests/fixtures/expected.json), and
//! several files are one data set with duplicates counted once.

use cdrscope::analysis::{Dataset, Filter, SummaryOptions};
use cdrscope::formats::FormatOptions;
use cdrscope::ingest::{self, Reject, Sink};
use cdrscope::inputs::{self, InputKind, InputOptions};
use cdrscope::{Call, Summary};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{Cursor, Write};

const DIR: &str = "tests/fixtures/inputs/";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("tests/fixtures/{name}")).unwrap()
}

fn expected() -> Value {
    serde_json::from_slice(&fixture("expected.json")).unwrap()
}

fn opts() -> SummaryOptions {
    SummaryOptions {
        tz_offset_min: 480,
        codes_per_group: 100,
        ..SummaryOptions::default()
    }
}

/// Reads inputs (name, bytes) into one data set.
fn dataset(inputs: &[(&str, &[u8])], options: &InputOptions) -> Dataset {
    let mut ds = Dataset::new();
    for (name, bytes) in inputs {
        inputs::read_bytes_into(&mut ds, name, bytes, options).unwrap();
    }
    ds
}

fn summary_of(path: &str) -> Summary {
    let bytes = std::fs::read(path).unwrap();
    let ds = dataset(&[(path, &bytes)], &InputOptions::default());
    ds.summary(&Filter::default(), &opts())
}

fn code_counts(s: &Summary) -> BTreeMap<String, u64> {
    s.by_code
        .iter()
        .map(|c| (c.code.clone(), c.count))
        .collect()
}

/// Asserts the KPIs of expected.json's `vos3000_cdr_en.csv` entry; `with_pdd` is false for
/// the API JSON, which has no PDD field.
fn assert_en_kpis(s: &Summary, with_pdd: bool) {
    let exp = &expected()["files"]["vos3000_cdr_en.csv"];
    let o = &exp["overall"];
    assert_eq!(s.rows.rejected, 0, "rejects: {:?}", s.rejects);
    assert!(s.files.iter().all(|f| f.error.is_none()), "{:?}", s.files);
    assert_eq!(s.format, "vos3000");
    assert_eq!(s.overall.attempts, o["attempts"].as_u64().unwrap());
    assert_eq!(s.overall.answered, o["answered"].as_u64().unwrap());
    assert_eq!(s.overall.total_hold_s, o["total_hold_s"].as_u64().unwrap());
    assert_eq!(s.overall.ner_effective, o["ner_effective"].as_u64());
    if with_pdd {
        assert_eq!(s.overall.pdd_rows, o["pdd_rows"].as_u64().unwrap());
    } else {
        assert_eq!(s.overall.pdd_rows, 0);
    }
    let want: BTreeMap<String, u64> = o["code_counts"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect();
    assert_eq!(code_counts(s), want);
    for (groups, key) in [
        (&s.by_egress_gateway, "per_calleegatewayid"),
        (&s.by_ingress_gateway, "per_callergatewayid"),
    ] {
        let want = exp[key].as_object().unwrap();
        assert_eq!(groups.len(), want.len(), "{key}");
        for g in groups.iter() {
            let w = &want[&g.name];
            assert_eq!(
                g.kpis.attempts,
                w["attempts"].as_u64().unwrap(),
                "{key} {}",
                g.name
            );
            assert_eq!(
                g.kpis.answered,
                w["answered"].as_u64().unwrap(),
                "{key} {}",
                g.name
            );
            let codes: BTreeMap<String, u64> =
                g.codes.iter().map(|c| (c.code.clone(), c.count)).collect();
            let want_codes: BTreeMap<String, u64> = w["code_counts"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
                .collect();
            if key == "per_calleegatewayid" {
                assert_eq!(codes, want_codes, "{key} {}", g.name);
            }
        }
    }
}

/// The figures that must not depend on the container: everything but the file list, the
/// row totals (header counts differ) and the detection wording.
fn figures(s: &Summary) -> Value {
    let mut v = serde_json::to_value(s).unwrap();
    let m = v.as_object_mut().unwrap();
    for k in [
        "files",
        "rows",
        "format_reason",
        "format_confidence",
        "encoding",
    ] {
        m.remove(k);
    }
    v
}

/// Asserts two summaries have the same figures, naming the first differing part.
fn assert_same_figures(a: &Summary, b: &Summary) {
    let (a, b) = (figures(a), figures(b));
    for (k, v) in a.as_object().unwrap() {
        if Some(v) != b.get(k) {
            let (x, y) = (v.to_string(), b[k].to_string());
            let at = x.bytes().zip(y.bytes()).take_while(|(p, q)| p == q).count();
            let lo = at.saturating_sub(200);
            panic!(
                "{k} differs at byte {at}:\n  {}\n  {}",
                &x[lo..(at + 100).min(x.len())],
                &y[lo..(at + 100).min(y.len())]
            );
        }
    }
}

#[test]
fn csv_twin_itself_matches_expected() {
    assert_en_kpis(&summary_of("tests/fixtures/vos3000_cdr_en.csv"), true);
}

#[test]
fn gzip_matches_csv_twin() {
    let s = summary_of(&format!("{DIR}vos3000_cdr_en.csv.gz"));
    assert_en_kpis(&s, true);
    assert_eq!(s.files[0].container, "gzip");
    assert_same_figures(&s, &summary_of("tests/fixtures/vos3000_cdr_en.csv"));
}

#[test]
fn xlsx_matches_csv_twin() {
    let s = summary_of(&format!("{DIR}vos3000_cdr_en.xlsx"));
    assert_en_kpis(&s, true);
    assert_eq!(s.files[0].container, "xlsx");
    assert_same_figures(&s, &summary_of("tests/fixtures/vos3000_cdr_en.csv"));
}

#[test]
fn xls_matches_csv_twin() {
    let s = summary_of(&format!("{DIR}vos3000_cdr_en.xls"));
    assert_en_kpis(&s, true);
    assert_eq!(s.files[0].container, "xls");
    assert_same_figures(&s, &summary_of("tests/fixtures/vos3000_cdr_en.csv"));
}

#[test]
fn zh_client_xlsx_with_title_row_and_date_cells_matches_its_csv_twin() {
    let s = summary_of(&format!("{DIR}vos3000_cdr_zh.xlsx"));
    assert_eq!(s.time_basis, "naive_local");
    assert_eq!(s.overall.attempts, 2000);
    assert_eq!(s.overall.answered, 745);
    assert_same_figures(&s, &summary_of("tests/fixtures/vos3000_cdr_zh_gb18030.csv"));
    // The header is on sheet row 3 under a title and a blank row; data lines keep row numbers.
    let mut csv = Vec::new();
    let mut sink = |b: &[u8]| {
        csv.extend_from_slice(b);
        Ok(())
    };
    let bytes = std::fs::read(format!("{DIR}vos3000_cdr_zh.xlsx")).unwrap();
    let info = inputs::excel::read_sheet(
        Cursor::new(bytes),
        InputKind::Xlsx,
        None,
        &FormatOptions::default(),
        &mut sink,
    )
    .unwrap();
    assert_eq!(info.sheet, "话单");
    assert_eq!(info.header_row, Some(3));
    assert_eq!(info.records, 2001);
    let text = String::from_utf8(csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(&lines[..2], &["", ""]);
    assert!(lines[2].starts_with("主叫号码,被叫号码,起始时间,终止时间,"));
    // Date cells come back as the wall-clock text the client showed.
    assert!(
        lines[3].starts_with("2455096001,7778804694738104,2025-03-10 00:02:03,2025-03-10 00:02:06,2,6,0.003,0.0017,主叫挂断,主叫,"),
        "{}",
        lines[3]
    );
}

#[test]
fn getcdr_json_single_document_matches_csv_twin() {
    let s = summary_of(&format!("{DIR}vos3000_getcdr.json"));
    assert_en_kpis(&s, false);
    assert_eq!(s.files[0].container, "json");
    assert!(
        s.format_reason.contains("web-API field names"),
        "{}",
        s.format_reason
    );
}

#[test]
fn getcdr_json_lines_match_csv_twin() {
    let s = summary_of(&format!("{DIR}vos3000_getcdr.jsonl"));
    assert_en_kpis(&s, false);
}

#[test]
fn getcdr_concatenated_pages_in_gzip_match_csv_twin() {
    let s = summary_of(&format!("{DIR}vos3000_getcdr_pages.json.gz"));
    assert_en_kpis(&s, false);
    assert_eq!(s.files[0].container, "gzip+json");
}

#[test]
fn zip_of_two_halves_equals_the_whole() {
    let s = summary_of(&format!("{DIR}vos3000_cdr_en_halves.zip"));
    assert_en_kpis(&s, true);
    let names: Vec<(&str, u64, &str)> = s
        .files
        .iter()
        .map(|f| (f.name.as_str(), f.accepted, f.container.as_str()))
        .collect();
    // The __MACOSX resource fork and the folder entry are skipped.
    assert_eq!(
        names,
        [
            (
                "tests/fixtures/inputs/vos3000_cdr_en_halves.zip/e_cdr_20250310_part1.csv",
                1000,
                "zip"
            ),
            (
                "tests/fixtures/inputs/vos3000_cdr_en_halves.zip/e_cdr_20250310_part2.csv",
                1000,
                "zip"
            ),
        ]
    );
    assert_eq!(s.rows.header, 2);
    assert_same_figures(&s, &summary_of("tests/fixtures/vos3000_cdr_en.csv"));
}

#[test]
fn zip_of_mixed_kinds_reads_every_entry() {
    let s = summary_of(&format!("{DIR}vos3000_cdr_en_mixed.zip"));
    let files: Vec<(String, &str, u64)> = s
        .files
        .iter()
        .map(|f| {
            (
                f.name.rsplit('/').next().unwrap().to_string(),
                f.container.as_str(),
                f.accepted,
            )
        })
        .collect();
    assert_eq!(
        files,
        [
            ("q1.csv".to_string(), "zip", 500),
            ("q2.csv.gz".to_string(), "zip+gzip", 500),
            ("q3.xlsx".to_string(), "zip+xlsx", 500),
            ("q4.json".to_string(), "zip+json", 500),
        ]
    );
    assert_eq!(s.overall.attempts, 2000);
    assert_eq!(s.overall.answered, 745);
    let base = summary_of("tests/fixtures/vos3000_cdr_en.csv");
    assert_eq!(code_counts(&s), code_counts(&base));
    // The JSON quarter has no PDD: 1147 PDD rows in all, less those of the last 500 calls.
    assert!(s.overall.pdd_rows < base.overall.pdd_rows);
}

/// The CSV twin cut into rows `from..to` (0-based data rows), with its header.
fn csv_slice(from: usize, to: usize) -> Vec<u8> {
    let text = String::from_utf8(fixture("vos3000_cdr_en.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let mut out = format!("{header}\n");
    for l in lines.skip(from).take(to - from) {
        out.push_str(l);
        out.push('\n');
    }
    out.into_bytes()
}

#[test]
fn overlapping_files_count_shared_calls_once() {
    let a = csv_slice(0, 1200);
    let b = csv_slice(800, 2000);
    let ds = dataset(
        &[("day_a.csv", &a), ("day_b.csv", &b)],
        &InputOptions::default(),
    );
    let s = ds.summary(&Filter::default(), &opts());
    assert_eq!(s.rows.accepted, 2400);
    assert_eq!(s.rows.duplicates, 400);
    let dups: Vec<u64> = s.files.iter().map(|f| f.duplicates).collect();
    assert_eq!(dups, [0, 400]);
    assert_en_kpis(&s, true);
    assert_same_figures(&s, &summary_of("tests/fixtures/vos3000_cdr_en.csv"));
}

#[test]
fn same_calls_from_csv_and_api_json_are_counted_once() {
    let csv = fixture("vos3000_cdr_en.csv");
    let json = std::fs::read(format!("{DIR}vos3000_getcdr.jsonl")).unwrap();
    let ds = dataset(
        &[("cdr.csv", &csv), ("cdr.jsonl", &json)],
        &InputOptions::default(),
    );
    let s = ds.summary(&Filter::default(), &opts());
    assert_eq!(s.overall.attempts, 2000);
    assert_eq!(s.overall.answered, 745);
    assert_eq!(s.files[1].duplicates, 2000);
    assert_eq!(s.files[1].accepted, 2000);
}

#[test]
fn a_repeated_row_inside_one_file_counts_once_and_a_reused_id_is_kept() {
    let mut text = String::from_utf8(csv_slice(0, 10)).unwrap();
    let first_row = text.lines().nth(1).unwrap().to_string();
    // The same row again: one call, noted as a repeat on its own line (12).
    text.push_str(&first_row);
    text.push('\n');
    // The same flowno with another talk time (within its span): another record, kept.
    let fields: Vec<&str> = first_row.split(',').collect();
    let mut other = fields.clone();
    assert_ne!(other[23], "1");
    other[23] = "1";
    text.push_str(&other.join(","));
    text.push('\n');
    let ds = dataset(&[("one.csv", text.as_bytes())], &InputOptions::default());
    let s = ds.summary(&Filter::default(), &opts());
    assert_eq!(s.overall.attempts, 11);
    assert_eq!((s.rows.accepted, s.rows.duplicates), (12, 1));
    assert_eq!(s.files[0].duplicates, 1);
    let notes: Vec<(u64, &str)> = s
        .notes
        .iter()
        .map(|n| (n.line, n.reason.as_str()))
        .collect();
    assert_eq!(
        notes,
        [(
            12,
            "repeats an earlier row of this file: the call is counted once"
        )]
    );
}

/// Collects (caller, callee, call id) of every call.
#[derive(Default)]
struct Numbers(Vec<(String, String, String)>);

impl Sink for Numbers {
    fn call(&mut self, c: &Call<'_>) {
        self.0
            .push((c.caller.into(), c.callee.into(), c.call_id.into()));
    }
    fn reject(&mut self, r: Reject) {
        panic!("unexpected reject {r:?}");
    }
}

fn numbers_of_csv(bytes: &[u8]) -> Vec<(String, String, String)> {
    let mut n = Numbers::default();
    ingest::read_all(bytes, FormatOptions::default(), &mut n).unwrap();
    n.0
}

fn numbers_of_workbook(file: &str, kind: InputKind) -> Vec<(String, String, String)> {
    let mut csv = Vec::new();
    let mut sink = |b: &[u8]| {
        csv.extend_from_slice(b);
        Ok(())
    };
    let bytes = std::fs::read(format!("{DIR}{file}")).unwrap();
    inputs::excel::read_sheet(
        Cursor::new(bytes),
        kind,
        None,
        &FormatOptions::default(),
        &mut sink,
    )
    .unwrap();
    numbers_of_csv(&csv)
}

#[test]
fn excel_phone_numbers_keep_leading_zeros_and_all_digits() {
    let want = numbers_of_csv(&fixture("vos3000_cdr_en.csv"));
    let leading_zero = want.iter().filter(|(a, _, _)| a.starts_with('0')).count();
    assert_eq!(leading_zero, 361);
    for (file, kind) in [
        ("vos3000_cdr_en.xlsx", InputKind::Xlsx),
        ("vos3000_cdr_en.xls", InputKind::Xls),
    ] {
        let got = numbers_of_workbook(file, kind);
        assert_eq!(got.len(), 2000, "{file}");
        // Text cells keep their zeros; number cells (the other E164s, flowno) come back as
        // integers, never 1.23E+12 or 123.0.
        assert_eq!(got, want, "{file}");
        assert!(got.iter().all(|(a, b, id)| !a.contains(['E', '.'])
            && !b.contains(['E', '.'])
            && !id.contains('.')));
    }
}

#[test]
fn excel_sheet_can_be_chosen_and_a_missing_one_is_named() {
    let bytes = std::fs::read(format!("{DIR}vos3000_cdr_en.xlsx")).unwrap();
    let mut ds = Dataset::new();
    let by_number = InputOptions {
        sheet: Some("1".into()),
        ..InputOptions::default()
    };
    inputs::read_bytes_into(&mut ds, "cdr.xlsx", &bytes, &by_number).unwrap();
    assert_eq!(ds.store().calls.len(), 2000);
    let missing = InputOptions {
        sheet: Some("Rates".into()),
        ..InputOptions::default()
    };
    let err = inputs::read_bytes_into(&mut ds, "cdr.xlsx", &bytes, &missing).unwrap_err();
    assert_eq!(
        err.message,
        "the workbook has no sheet \"Rates\" (sheets: CDR, Notes)"
    );
    let notes = InputOptions {
        sheet: Some("Notes".into()),
        ..InputOptions::default()
    };
    let err = inputs::read_bytes_into(&mut ds, "cdr.xlsx", &bytes, &notes).unwrap_err();
    assert_eq!(
        err.message,
        "not a recognised CDR format (first row starts [\"exported by the fixture generator\"]); choose a format or map the columns by hand"
    );
    let errors: Vec<Option<&str>> = ds.files().iter().map(|f| f.error.as_deref()).collect();
    assert_eq!(errors.len(), 3);
    assert_eq!(errors[0], None);
    assert_eq!(
        errors[1],
        Some("the workbook has no sheet \"Rates\" (sheets: CDR, Notes)")
    );
    assert_eq!(errors[2], Some(err.message.as_str()));
    assert_eq!(ds.store().calls.len(), 2000);
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(*name, o).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn a_bad_zip_entry_is_recorded_and_the_others_are_read() {
    let good = csv_slice(0, 100);
    let z = zip_of(&[
        ("a.csv", &good),
        ("readme.txt", b"These are the March exports.\nCall us.\n"),
        ("b.xlsx", b"PK\x03\x04 not really a workbook"),
    ]);
    let mut ds = Dataset::new();
    let added =
        inputs::read_bytes_into(&mut ds, "month.zip", &z, &InputOptions::default()).unwrap();
    assert_eq!(added, 0..3);
    let files: Vec<(&str, u64, bool)> = ds
        .files()
        .iter()
        .map(|f| (f.name.as_str(), f.accepted, f.error.is_some()))
        .collect();
    assert_eq!(
        files,
        [
            ("month.zip/a.csv", 100, false),
            ("month.zip/b.xlsx", 0, true),
            ("month.zip/readme.txt", 0, true)
        ]
    );
    assert!(ds.files()[1]
        .error
        .as_deref()
        .unwrap()
        .starts_with("not a readable xlsx workbook"));
    assert_eq!(ds.store().calls.len(), 100);
}

#[test]
fn a_cut_gzip_keeps_the_rows_before_the_cut_and_says_so() {
    let gz = std::fs::read(format!("{DIR}vos3000_cdr_en.csv.gz")).unwrap();
    let cut = &gz[..gz.len() / 2];
    let mut ds = Dataset::new();
    let err =
        inputs::read_bytes_into(&mut ds, "cut.csv.gz", cut, &InputOptions::default()).unwrap_err();
    assert!(err.message.starts_with("read error:"), "{}", err.message);
    let f = &ds.files()[0];
    assert_eq!(f.error.as_deref(), Some(err.message.as_str()));
    assert!(f.accepted > 500 && f.accepted < 2000, "{}", f.accepted);
    assert_eq!(ds.store().calls.len() as u64, f.accepted);
}

#[test]
fn broken_json_keeps_the_records_before_the_error() {
    let json = std::fs::read(format!("{DIR}vos3000_getcdr.jsonl")).unwrap();
    let text = String::from_utf8(json).unwrap();
    let mut lines: Vec<&str> = text.lines().take(300).collect();
    lines.insert(250, "{\"flowNo\": 1, oops}");
    let bad = lines.join("\n");
    let mut ds = Dataset::new();
    let err = inputs::read_bytes_into(
        &mut ds,
        "api.jsonl",
        bad.as_bytes(),
        &InputOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        err.message,
        "not valid JSON at line 251 column 14: expected a string"
    );
    assert_eq!(ds.files()[0].accepted, 250);
    assert_eq!(ds.store().calls.len(), 250);
}

#[test]
fn a_log_whose_lines_begin_with_a_bracket_is_text_not_json() {
    let log = "[2024-06-17 05:59:49] INFO call 288831 from 10016 to +46703014082\n\
[2024-06-17 06:00:23] INFO call 288831 ended after 00:00:25\n";
    let mut ds = Dataset::new();
    let err = inputs::read_bytes_into(&mut ds, "3cx.log", log.as_bytes(), &InputOptions::default())
        .unwrap_err();
    assert!(
        err.message.starts_with(
            "this is a log file whose lines begin with `[` (the first: \"[2024-06-17 05:59:49] INFO call"
        ),
        "{}",
        err.message
    );
    assert_eq!(ds.files()[0].container, "text");
}

#[test]
fn api_error_answer_is_a_file_error() {
    let mut ds = Dataset::new();
    let err = inputs::read_bytes_into(
        &mut ds,
        "GetCdr.json",
        br#"{"retCode":-1,"exception":"account not found"}"#,
        &InputOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        err.message,
        "the API answered with no CDR: retCode -1 account not found"
    );
    assert_eq!(ds.files()[0].error.as_deref(), Some(err.message.as_str()));
}

#[test]
fn cli_reads_a_folder_as_one_data_set() {
    let dir = std::env::temp_dir().join(format!("cdrscope-inputs-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    for (from, to) in [
        ("vos3000_cdr_en.csv.gz", "a.csv.gz"),
        ("vos3000_cdr_en_halves.zip", "sub/b.zip"),
        ("vos3000_getcdr.json", "c.json"),
    ] {
        std::fs::copy(format!("{DIR}{from}"), dir.join(to)).unwrap();
    }
    std::fs::write(dir.join(".hidden.csv"), b"not read").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cdrscope"))
        .args(["report", "--json", "--tz", "+08:00"])
        .arg(&dir)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["overall"]["attempts"], 2000);
    assert_eq!(s["overall"]["answered"], 745);
    assert_eq!(s["rows"]["accepted"], 6000);
    assert_eq!(s["rows"]["duplicates"], 4000);
    let files: Vec<(String, u64, u64)> = s["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"]
                    .as_str()
                    .unwrap()
                    .rsplit(['/', '\\'])
                    .take(2)
                    .collect::<Vec<_>>()
                    .join("<"),
                f["accepted"].as_u64().unwrap(),
                f["duplicates"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        files,
        [
            ("a.csv.gz<".to_string() + &dir_name(&dir), 2000, 0),
            ("c.json<".to_string() + &dir_name(&dir), 2000, 2000),
            ("e_cdr_20250310_part1.csv<b.zip".to_string(), 1000, 1000),
            ("e_cdr_20250310_part2.csv<b.zip".to_string(), 1000, 1000),
        ]
    );
}

fn dir_name(dir: &std::path::Path) -> String {
    dir.file_name().unwrap().to_string_lossy().into_owned()
}

/// Pushes a file in chunks of `chunk` bytes.
fn pushed(
    path: &str,
    chunk: usize,
) -> (
    Dataset,
    Result<std::ops::Range<usize>, cdrscope::IngestError>,
) {
    let bytes = std::fs::read(path).unwrap();
    let mut ds = Dataset::new();
    let mut input =
        inputs::PushInput::start(&ds, path, bytes.len() as u64, InputOptions::default());
    for c in bytes.chunks(chunk) {
        if let Err(e) = input.push(&mut ds, c) {
            return (ds, Err(e));
        }
    }
    let r = input.finish(&mut ds);
    (ds, r)
}

#[test]
fn pushed_in_chunks_every_kind_equals_read_whole() {
    for (file, chunk, files) in [
        ("vos3000_cdr_en.csv.gz", 13, 1),
        ("vos3000_cdr_en.csv.gz", 65_536, 1),
        ("vos3000_cdr_en_halves.zip", 4096, 2),
        ("vos3000_cdr_en_mixed.zip", 100_000, 4),
        ("vos3000_cdr_en.xlsx", 4096, 1),
        ("vos3000_cdr_en.xls", 4096, 1),
        ("vos3000_getcdr.json", 777, 1),
        ("vos3000_getcdr_pages.json.gz", 500, 1),
    ] {
        let path = format!("{DIR}{file}");
        let (ds, r) = pushed(&path, chunk);
        assert_eq!(r.unwrap(), 0..files, "{file}");
        let s = ds.summary(&Filter::default(), &opts());
        let whole = summary_of(&path);
        assert_eq!(s.overall.attempts, 2000, "{file} in chunks of {chunk}");
        assert_same_figures(&s, &whole);
        let containers: Vec<&str> = s.files.iter().map(|f| f.container.as_str()).collect();
        let want: Vec<&str> = whole.files.iter().map(|f| f.container.as_str()).collect();
        assert_eq!(containers, want, "{file}");
    }
    let (ds, r) = pushed("tests/fixtures/vos3000_cdr_en.csv", 1000);
    assert_eq!(r.unwrap(), 0..1);
    assert_eq!(ds.files()[0].container, "text");
    assert_en_kpis(&ds.summary(&Filter::default(), &opts()), true);
}

#[test]
fn a_cut_gzip_pushed_in_chunks_is_a_file_error() {
    let gz = std::fs::read(format!("{DIR}vos3000_cdr_en.csv.gz")).unwrap();
    let cut = &gz[..gz.len() / 2];
    let mut ds = Dataset::new();
    let mut input = inputs::PushInput::start(&ds, "cut.csv.gz", 0, InputOptions::default());
    for c in cut.chunks(10_000) {
        input.push(&mut ds, c).unwrap();
    }
    let err = input.finish(&mut ds).unwrap_err();
    assert!(err.message.starts_with("read error:"), "{}", err.message);
    let f = &ds.files()[0];
    assert_eq!(f.error.as_deref(), Some(err.message.as_str()));
    assert!(f.accepted > 500 && f.accepted < 2000, "{}", f.accepted);
}

#[test]
fn empty_chunks_between_bytes_of_a_row_do_not_cut_it() {
    // Decompression hands on empty chunks; the reader must not take one as the end of input.
    // (past the reader's 64 KiB sniffing prefix, where rows are parsed as bytes arrive).
    let csv = csv_slice(0, 400);
    assert!(csv.len() > 100_000);
    let mut ds = Dataset::new();
    ds.start_file("a.csv", csv.len() as u64, FormatOptions::default());
    for b in csv.chunks(97) {
        ds.push(b).unwrap();
        ds.push(&[]).unwrap();
    }
    ds.finish_file().unwrap();
    assert_eq!(ds.files()[0].accepted, 400);
    assert_eq!(ds.files()[0].rejected, 0);
}

#[test]
fn archives_nest_four_deep_and_no_deeper() {
    let csv = csv_slice(0, 10);
    let mut four = zip_of(&[("cdr.csv", &csv)]);
    for i in 0..3 {
        four = zip_of(&[(&format!("level{i}.zip"), &four)]);
    }
    let five = zip_of(&[("level3.zip", &four)]);
    let mut ds = Dataset::new();
    inputs::read_bytes_into(&mut ds, "four.zip", &four, &InputOptions::default()).unwrap();
    assert_eq!(ds.store().calls.len(), 10);
    assert_eq!(ds.files()[0].container, "zip+zip+zip+zip");
    let mut ds = Dataset::new();
    let err =
        inputs::read_bytes_into(&mut ds, "five.zip", &five, &InputOptions::default()).unwrap_err();
    assert!(
        err.message
            .contains("containers are nested more than 4 deep"),
        "{}",
        err.message
    );
    assert_eq!(ds.store().calls.len(), 0);
    let f = &ds.files()[0];
    assert_eq!(
        f.name,
        "five.zip/level3.zip/level2.zip/level1.zip/level0.zip"
    );
    assert_eq!(f.container, "zip+zip+zip+zip+zip");
}
