//! Hostile input, round two (issue 22), through the library: every case gives the right
//! result or one clear message naming the reason, with bounded memory. The command line's
//! time and memory on the large ones are in `tests/hostile_cli.rs`.

use crate::gen;

use cdrscope::analysis::{Dataset, Filter, SummaryOptions, MAX_FILES};
use cdrscope::ingest::{RejectReason, MAX_FIELDS, MAX_ROW_BYTES};
use cdrscope::inputs::{self, InputOptions, PushInput};
use cdrscope::Summary;
use std::process::Command;

fn read(name: &str, bytes: &[u8]) -> (Dataset, Result<(), String>) {
    let mut d = Dataset::new();
    let r = inputs::read_bytes_into(&mut d, name, bytes, &InputOptions::default())
        .map(|_| ())
        .map_err(|e| e.message);
    (d, r)
}

fn summary(d: &Dataset) -> Summary {
    d.summary(&Filter::default(), &SummaryOptions::default())
}

/// (accepted, rejected) of a summary.
fn counts(s: &Summary) -> (u64, u64) {
    (s.rows.accepted, s.rows.rejected)
}

/// Peak resident memory of this process so far, in MiB (Linux).
fn peak_rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

/// Runs test `name` alone in a new process (peak memory is per process) and returns whether
/// it passed; inside that process `alone` is true.
fn in_own_process(name: &str) -> bool {
    if std::env::var_os("HOSTILE_ALONE").is_some() {
        return true;
    }
    // The test's path in the one test crate (`hostile_inputs::…`), and a check that the child
    // ran it: an exact filter that matches nothing would pass with 0 tests.
    let path = format!(
        "{}::{name}",
        module_path!().split_once("::").map_or("", |m| m.1)
    );
    let out = Command::new(std::env::current_exe().unwrap())
        .args([path.as_str(), "--exact", "--test-threads=1", "--nocapture"])
        .env("HOSTILE_ALONE", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{name} failed in its own process: {stdout}"
    );
    assert!(stdout.contains("1 passed"), "{name} did not run: {stdout}");
    false
}

#[test]
fn xlsx_shared_string_counts_are_not_trusted() {
    // The old reader reserved uniqueCount strings: 10^12 aborted (24 TB), u64::MAX panicked.
    for count in ["1000000000000", "18446744073709551615", "-1", "x"] {
        let file = gen::xlsx_lying_unique_count(3, count);
        assert!(file.len() < 4096, "{}", file.len());
        let (d, r) = read("lying.xlsx", &file);
        assert_eq!(r, Ok(()));
        let s = summary(&d);
        assert_eq!(counts(&s), (3, 0), "{count}");
        assert_eq!(s.by_egress_gateway[0].name, "GW_SHARED");
        assert_eq!(s.files[0].container, "xlsx");
    }
}

#[test]
fn xls_dimensions_are_not_trusted() {
    // 1048576 × 16384 cells declared: the old reader sized its table from it and aborted.
    let file = gen::xls_lying_dimensions(3, 1_048_576, 16_384);
    assert!(file.len() < 8192, "{}", file.len());
    let (d, r) = read("lying.xls", &file);
    assert_eq!(r, Ok(()));
    let s = summary(&d);
    assert_eq!(counts(&s), (3, 0));
    assert_eq!(s.by_egress_gateway[0].name, "GW_XLS");
    assert_eq!(s.files[0].container, "xls");
}

#[test]
fn a_cell_longer_than_a_row_may_be_rejects_its_row_only() {
    let file = gen::xlsx_huge_cell(20, 10, 3);
    assert!(file.len() < 100_000, "{}", file.len());
    let (d, r) = read("huge_cell.xlsx", &file);
    assert_eq!(r, Ok(()));
    let s = summary(&d);
    assert_eq!(counts(&s), (20, 1));
    assert_eq!(s.rejects[0].line, 10);
    assert_eq!(
        s.rejects[0].detail,
        RejectReason::TooLong {
            limit: MAX_ROW_BYTES
        }
    );
}

#[test]
fn a_cell_in_the_last_column_rejects_its_row_without_16384_fields() {
    let file = gen::xlsx_far_column(2000);
    let t = std::time::Instant::now();
    let (d, r) = read("far.xlsx", &file);
    assert_eq!(r, Ok(()));
    let s = summary(&d);
    assert_eq!(counts(&s), (0, 2000));
    assert_eq!(s.rejects_total, 2000);
    assert_eq!(s.rejects[0].line, 2);
    assert_eq!(
        s.rejects[0].reason,
        format!("row has more than {MAX_FIELDS} fields")
    );
    // Was 84 s for a 5 MB file; loosely bounded, not a speed test.
    assert!(t.elapsed().as_secs() < 60, "{:?}", t.elapsed());
}

#[test]
fn a_row_refused_before_the_file_is_found_unreadable_stays_counted_on_the_file() {
    let (d, r) = read("unknown_far.xlsx", &gen::xlsx_unknown_with_far_column());
    // The refused row is listed below; what remains is a header (the row that was refused
    // is the "data row that could be read" the message denies).
    assert_eq!(
        r.unwrap_err(),
        "this file holds a header only (GW_A, ab) and no data row that could be read"
    );
    let s = summary(&d);
    assert_eq!(counts(&s), (0, 1));
    assert_eq!((s.files[0].accepted, s.files[0].rejected), (0, 1));
    assert_eq!(
        s.rejects[0].reason,
        format!("row has more than {MAX_FIELDS} fields")
    );
}

#[test]
fn json_values_too_long_reject_their_record_with_bounded_memory() {
    if !in_own_process("json_values_too_long_reject_their_record_with_bounded_memory") {
        return;
    }
    let dir = gen::temp_dir("json-long");
    let long = dir.join("long_string.json");
    gen::json_huge_string(&long, 50, 64);
    let before = peak_rss_mib();
    let mut d = Dataset::new();
    let f = std::io::BufReader::new(std::fs::File::open(&long).unwrap());
    inputs::read_into(&mut d, "long_string.json", f, &InputOptions::default()).unwrap();
    let s = summary(&d);
    assert_eq!(counts(&s), (100, 1));
    assert_eq!(s.rejects[0].line, 52);
    assert_eq!(s.rejects[0].reason, "row longer than 1048576 bytes");
    let array = dir.join("long_array.json");
    gen::json_huge_array(&array, 50, 5_000_000);
    let mut d = Dataset::new();
    let f = std::io::BufReader::new(std::fs::File::open(&array).unwrap());
    inputs::read_into(&mut d, "long_array.json", f, &InputOptions::default()).unwrap();
    assert_eq!(counts(&summary(&d)), (50, 1));
    let grown = peak_rss_mib().saturating_sub(before);
    // A 64 MiB string and a 19 MB array, neither held: a few MiB of buffers.
    assert!(grown < 40, "peak RSS grew by {grown} MiB");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_json_record_with_250k_keys_is_rejected_in_linear_time() {
    let json = gen::json_wide_record(250_000);
    let t = std::time::Instant::now();
    let (d, r) = read("wide.json", json.as_bytes());
    assert_eq!(r, Ok(()));
    let s = summary(&d);
    assert_eq!(counts(&s), (1, 1));
    assert_eq!(s.rejects[0].line, 3);
    assert_eq!(
        s.rejects[0].detail,
        RejectReason::TooManyFields { limit: MAX_FIELDS }
    );
    // Was 103 s (quadratic column collection).
    assert!(t.elapsed().as_secs() < 30, "{:?}", t.elapsed());
}

#[test]
fn a_gzip_of_zeros_is_refused_at_once_when_pushed_in_pieces() {
    if !in_own_process("a_gzip_of_zeros_is_refused_at_once_when_pushed_in_pieces") {
        return;
    }
    // 2 GiB of zeros in about 2 MB: pushed as the page pushed it (1 MB chunks), every chunk
    // was inflated whole (about 1 GB) and the worker panicked at 2.1 GB.
    let dir = gen::temp_dir("gz-zeros");
    let path = dir.join("zeros.csv.gz");
    gen::gzip_zeros(&path, 2048);
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() < 4 << 20, "{}", bytes.len());
    let before = peak_rss_mib();
    let mut d = Dataset::new();
    let mut input = PushInput::start(
        &d,
        "zeros.csv.gz",
        bytes.len() as u64,
        InputOptions::default(),
    );
    let mut err = None;
    for chunk in bytes.chunks(1 << 20) {
        if let Err(e) = input.push(&mut d, chunk) {
            err = Some(e.message);
            break;
        }
    }
    assert_eq!(
        err.as_deref(),
        Some("this is a binary file, not a CSV/text CDR export")
    );
    assert_eq!(
        d.files()[0].error.as_deref(),
        Some("this is a binary file, not a CSV/text CDR export")
    );
    let grown = peak_rss_mib().saturating_sub(before);
    assert!(grown < 64, "peak RSS grew by {grown} MiB");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn gzip_of_rows_pushed_in_pieces_equals_reading_it_whole() {
    let dir = gen::temp_dir("gz-rows");
    let path = dir.join("rows.csv.gz");
    gen::gzip_rows(&path, 20_000);
    let bytes = std::fs::read(&path).unwrap();
    let mut pushed = Dataset::new();
    let mut input = PushInput::start(
        &pushed,
        "rows.csv.gz",
        bytes.len() as u64,
        InputOptions::default(),
    );
    for chunk in bytes.chunks(1 << 20) {
        input.push(&mut pushed, chunk).unwrap();
    }
    input.finish(&mut pushed).unwrap();
    let (whole, r) = read("rows.csv.gz", &bytes);
    assert_eq!(r, Ok(()));
    assert_eq!(counts(&summary(&pushed)), (20_000, 0));
    assert_eq!(
        serde_json::to_value(summary(&pushed).overall).unwrap(),
        serde_json::to_value(summary(&whole).overall).unwrap()
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_page_call_cap_ends_the_file_with_a_message() {
    let dir = gen::temp_dir("cap");
    let path = dir.join("rows.csv.gz");
    gen::gzip_rows(&path, 300_000);
    let mut d = Dataset::new();
    d.set_max_calls(Some(100_000));
    let f = std::fs::File::open(&path).unwrap();
    let err = inputs::read_into(&mut d, "rows.csv.gz", f, &InputOptions::default()).unwrap_err();
    assert_eq!(
        err.message,
        "stopped after 100000 calls, the most this page holds: the rest of the file was not read (the cdrscope command line has no such limit)"
    );
    let s = summary(&d);
    // The rows read before the cap are counted, each accepted or rejected.
    assert!(
        s.rows.accepted > 100_000 && s.rows.accepted < 200_000,
        "{}",
        s.rows.accepted
    );
    assert_eq!(s.rows.data, s.rows.accepted + s.rows.rejected);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn many_files_are_linear_in_files() {
    // 200 files of 500 rows against one file of the same 100,000 rows: marking chains and
    // fees after every file made this quadratic (720 × 2,000 rows took 47 s, as one file 0.9 s).
    let files: Vec<String> = (0..200)
        .map(|f| {
            let mut s = format!("{}\n", gen::HEADER);
            for i in 0..500 {
                s.push_str(&gen::row(f * 500 + i + 1, "GW_A"));
                s.push('\n');
            }
            s
        })
        .collect();
    let one: String = std::iter::once(format!("{}\n", gen::HEADER))
        .chain(
            files
                .iter()
                .map(|f| f.split_once('\n').unwrap().1.to_string()),
        )
        .collect();
    let t = std::time::Instant::now();
    let mut single = Dataset::new();
    inputs::read_bytes_into(
        &mut single,
        "all.csv",
        one.as_bytes(),
        &InputOptions::default(),
    )
    .unwrap();
    let s1 = summary(&single);
    let one_file = t.elapsed();
    let t = std::time::Instant::now();
    let mut many = Dataset::new();
    many.defer_marks(true);
    for (i, f) in files.iter().enumerate() {
        inputs::read_bytes_into(
            &mut many,
            &format!("h{i:03}.csv"),
            f.as_bytes(),
            &InputOptions::default(),
        )
        .unwrap();
    }
    many.seal();
    let s2 = summary(&many);
    let many_files = t.elapsed();
    assert_eq!(counts(&s1), (100_000, 0));
    assert_eq!(counts(&s2), (100_000, 0));
    assert_eq!(s1.overall.attempts, s2.overall.attempts);
    assert!(
        many_files < one_file * 10 + std::time::Duration::from_secs(2),
        "{many_files:?} for 200 files against {one_file:?} for one"
    );
}

#[test]
fn a_zip_of_100k_empty_entries_lists_what_it_cannot_hold() {
    let file = gen::zip_many(100_000, 0);
    let t = std::time::Instant::now();
    let (d, r) = read("many.zip", &file);
    // Every entry read is empty: the archive as a whole has no readable file.
    assert!(r.is_err());
    assert_eq!(d.files().len(), MAX_FILES);
    let last = d.files().last().unwrap();
    assert_eq!(last.name, "many.zip/… 35001 more entries");
    assert_eq!(
        last.error.as_deref(),
        Some("not read: a data set holds at most 65000 files")
    );
    assert_eq!(d.files()[0].error.as_deref(), Some("the file is empty"));
    // Was killed at 180 s (40,000 entries: 54 s).
    assert!(t.elapsed().as_secs() < 60, "{:?}", t.elapsed());
}

#[test]
fn a_zip_claiming_more_entries_than_it_has_bytes_for_is_refused() {
    let mut file = gen::zip_of(&[("a.csv", gen::csv(2, "GW_A").as_bytes())]);
    let eocd = file.windows(4).rposition(|w| w == b"PK\x05\x06").unwrap();
    file[eocd + 8..eocd + 12].copy_from_slice(&[0xFE, 0xFF, 0xFE, 0xFF]);
    let (d, r) = read("lying.zip", &file);
    assert_eq!(
        r,
        Err(format!(
            "not a readable zip archive: the archive claims 65534 entries, more than its {} bytes can hold",
            file.len()
        ))
    );
    assert_eq!(d.files()[0].error, r.err());
}

#[test]
fn a_talk_time_longer_than_the_call_is_rejected() {
    let text = format!(
        "{}\n{}\n1000,1741536123749,1741536126674,4294967295,-9,GW_A\n",
        gen::HEADER,
        gen::row(1, "GW_A")
    );
    let (d, r) = read("talk.csv", text.as_bytes());
    assert_eq!(r, Ok(()));
    let s = summary(&d);
    assert_eq!(counts(&s), (1, 1));
    assert_eq!(
        s.rejects[0].reason,
        "talk time of 4294967295 s is longer than the call itself (2 s from start to end)"
    );
    assert_eq!(s.overall.acd_s, Some(2.0));
}

#[test]
fn fees_whose_total_would_overflow_reject_their_row() {
    // 9,223,372,036,854.775807 is i64::MAX micro-units: two such fees cannot be added.
    let text = format!(
        "{},fee\n{},9223372036854\n{},9223372036854\n{},0.5\n",
        gen::HEADER,
        gen::row(1, "GW_A"),
        gen::row(2, "GW_A"),
        gen::row(3, "GW_A")
    );
    let (d, r) = read("fees.csv", text.as_bytes());
    assert_eq!(r, Ok(()));
    let s = summary(&d);
    assert_eq!(counts(&s), (2, 1));
    assert_eq!(s.files[0].rejected, 1);
    assert_eq!(s.rejects[0].line, 3);
    assert_eq!(s.rejects[0].detail, RejectReason::MoneyOverflow);
    assert_eq!(s.overall.fee.as_deref(), Some("9223372036854.5"));
}

#[test]
fn leading_blank_lines_beyond_the_sniff_window_are_skipped() {
    let blank = "\n".repeat(70_000);
    let body = format!("{}\n{}\nbad row\n", gen::HEADER, gen::row(1, "GW_A"));
    let (d, r) = read("blank.csv", format!("\u{feff}{blank}{body}").as_bytes());
    assert_eq!(r, Ok(()));
    let s = summary(&d);
    assert_eq!(counts(&s), (1, 1));
    // The rejected row keeps its line and offset in the file.
    assert_eq!(s.rejects[0].line, 70_003);
    let offset = 3 + blank.len() + body.find("bad row").unwrap();
    assert_eq!(s.rejects[0].offset, offset as u64);
    let (_, r) = read("only_blank.csv", blank.as_bytes());
    assert_eq!(r, Err("the file has no rows".into()));
}

#[test]
fn control_characters_stay_in_the_data_and_are_shown_escaped() {
    let text = format!(
        "{}\n{}\n",
        gen::HEADER,
        gen::row(1, "GW\u{1b}]0;owned\u{7}\u{202e}684")
    );
    let (d, _) = read("esc.csv", text.as_bytes());
    let s = summary(&d);
    let name = &s.by_egress_gateway[0].name;
    assert_eq!(name, "GW\u{1b}]0;owned\u{7}\u{202e}684");
    assert_eq!(
        cdrscope::display::visible(name),
        "GW\\x1b]0;owned\\x07\\u{202e}684"
    );
    // The gateway chart still draws (a control character made its SVG invalid XML).
    let c = cdrscope::chart::gateway_health(
        &s,
        &cdrscope::chart::Palette { dark: false },
        "ASR",
        &cdrscope::chart::Words::default(),
        12,
    );
    assert!(!c.svg.contains('\u{1b}') && !c.svg.contains('\u{202e}'));
    // Shown escaped (and clipped to the label's width).
    assert!(c.svg.contains("GW\\x1b]0;owned\\x07"), "{}", c.svg);
}

#[test]
fn xls_cell_records_of_every_kind_are_read() {
    let file = gen::cfb_with_stream("Workbook", &gen::xls_every_record());
    let mut csv = Vec::new();
    let mut sink = |b: &[u8]| {
        csv.extend_from_slice(b);
        Ok(())
    };
    let info = inputs::excel::read_sheet(
        std::io::Cursor::new(file),
        inputs::InputKind::Xls,
        None,
        &cdrscope::FormatOptions::default(),
        &mut sink,
    )
    .unwrap();
    assert_eq!(info.sheet, "CDR");
    // Cell format 15 is the date format 164 (the serial 1.0 is 1900-01-01), 16 is plain.
    assert_eq!(
        String::from_utf8(csv).unwrap(),
        "flowno,starttime,calleegatewayid\n\
         1900-01-01 00:00:00,2025-03-10 12:00:00,GW_é\n\
         1900-01-02 00:00:00,1900-01-01 00:00:00,45726\n\
         abc,TRUE,#N/A\n\
         label,,\n"
    );
}

#[test]
fn more_gateways_than_ids_share_one_named_bucket_and_every_call_is_counted() {
    // 70,000 gateways, one call each (a 28 MB file of 65,534 names once panicked in groups.rs).
    let n = 70_000u64;
    let mut text = format!("{}\n", gen::HEADER);
    for i in 1..=n {
        text.push_str(&gen::row(i, &format!("GW{i}")));
        text.push('\n');
    }
    let (d, r) = read("many.csv", text.as_bytes());
    r.unwrap();
    let s = summary(&d);
    assert_eq!(counts(&s), (n, 0));
    assert_eq!(s.overall.attempts, n);
    let gws = &s.by_egress_gateway;
    let total: u64 = gws.iter().map(|g| g.kpis.attempts).sum();
    assert_eq!(total, n);
    // Id 0 is the empty name, 1..=65,534 are GW1..GW65534; the 4,466 later names share the
    // last id, named for how many they are.
    let other: Vec<_> = gws
        .iter()
        .filter(|g| g.name.starts_with("(other"))
        .collect();
    assert_eq!(other.len(), 1, "one shared bucket");
    assert_eq!(other[0].name, "(other names: 4466 more)");
    assert_eq!(other[0].kpis.attempts, 4_466);
    assert_eq!(gws.len(), 65_535);
    assert!(gws.iter().any(|g| g.name == "GW65534"));
    assert!(!gws.iter().any(|g| g.name == "GW65535"));
    let rows = d.rows(&Filter::default(), &SummaryOptions::default(), 0, 5);
    assert_eq!(rows.total, n);
    // The bucket filters like any gateway.
    let only = |name: &str| Filter {
        egress: vec![name.to_string()],
        ..Filter::default()
    };
    let bucket = d.summary(
        &only("(other names: 4466 more)"),
        &SummaryOptions::default(),
    );
    assert_eq!(bucket.overall.attempts, 4_466);
    let one = d.summary(&only("GW65534"), &SummaryOptions::default());
    assert_eq!(one.overall.attempts, 1);
}

#[test]
fn more_distinct_codes_than_ids_are_counted_without_a_panic() {
    // 70,000 distinct end reasons on unanswered calls.
    let n = 70_000u64;
    let mut text = format!("{}\n", gen::HEADER);
    for i in 1..=n {
        let r = gen::row(i, "GW_A").replace(",2,-9,", &format!(",0,{},", 100_000 + i));
        text.push_str(&r);
        text.push('\n');
    }
    let (d, r) = read("codes.csv", text.as_bytes());
    r.unwrap();
    let s = summary(&d);
    assert_eq!(counts(&s), (n, 0));
    assert_eq!(s.overall.attempts, n);
    assert_eq!(s.overall.answered, 0);
    let total: u64 = s.by_code.iter().map(|c| c.count).sum();
    assert_eq!(total, n);
    // Ids 0..65,533 are codes (the first 65,534 end reasons); the rest share one bucket.
    let other: Vec<_> = s
        .by_code
        .iter()
        .filter(|c| c.code == "(other codes)")
        .collect();
    assert_eq!(other.len(), 1);
    assert_eq!((other[0].count, other[0].answered), (n - 65_534, false));
}
