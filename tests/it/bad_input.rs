//! Hostile and broken input (issue 8): one test per file of `tests/fixtures/bad/` (written by
//! `make_bad.py` there), each asserting which rows are accepted, which are rejected with which
//! reason on which line, and the message a user sees when the whole file is refused.
//!
//! Every file is read whole and in chunks of 1, 7, 4096 and 65,537 bytes, and the outcomes
//! must be identical; every outcome must satisfy accepted + rejected == data rows.

use cdrscope::ingest::{Reader, Reject, RejectReason, RowCounts, Sink, MAX_FIELDS, MAX_ROW_BYTES};
use cdrscope::{Call, Dataset, Filter, FormatOptions, SummaryOptions};
use std::process::Command;

/// What a file gave: accepted calls, rejects and notes, by line.
#[derive(Debug, Default, PartialEq)]
struct Seen {
    calls: Vec<SeenCall>,
    rejects: Vec<(u64, RejectReason)>,
    notes: Vec<(u64, RejectReason)>,
}

#[derive(Debug, PartialEq)]
struct SeenCall {
    line: u64,
    caller: String,
    callee: String,
    egress: String,
    hold_s: u32,
}

impl Sink for Seen {
    fn call(&mut self, c: &Call<'_>) {
        self.calls.push(SeenCall {
            line: c.line,
            caller: c.caller.to_string(),
            callee: c.callee.to_string(),
            egress: c.egress.to_string(),
            hold_s: c.hold_s,
        });
    }

    fn reject(&mut self, r: Reject) {
        self.rejects.push((r.line, r.reason));
    }

    fn note(&mut self, r: Reject) {
        self.notes.push((r.line, r.reason));
    }
}

/// The whole outcome of reading a file.
#[derive(Debug, PartialEq)]
struct Outcome {
    result: Result<RowCounts, String>,
    seen: Seen,
}

fn read_chunked(bytes: &[u8], chunk: usize) -> Outcome {
    let mut seen = Seen::default();
    let mut reader = Reader::new(FormatOptions::default());
    let mut result = Ok(());
    for piece in bytes.chunks(chunk.max(1)) {
        result = reader.push(piece, &mut seen);
        if result.is_err() {
            break;
        }
    }
    if result.is_ok() {
        result = reader.finish(&mut seen);
    }
    Outcome {
        result: result.map(|_| reader.counts()).map_err(|e| e.message),
        seen,
    }
}

/// Reads `bytes` in chunks cycling through `sizes`, detecting on the first `sniff` bytes.
fn read_sized(bytes: &[u8], sizes: &[usize], sniff: usize) -> Outcome {
    let mut seen = Seen::default();
    let mut reader = Reader::with_sniff_bytes(FormatOptions::default(), sniff);
    let mut result = Ok(());
    let (mut rest, mut i) = (bytes, 0);
    while !rest.is_empty() && result.is_ok() {
        let n = sizes[i % sizes.len()].clamp(1, rest.len());
        i += 1;
        result = reader.push(&rest[..n], &mut seen);
        rest = &rest[n..];
    }
    if result.is_ok() {
        result = reader.finish(&mut seen);
    }
    Outcome {
        result: result.map(|_| reader.counts()).map_err(|e| e.message),
        seen,
    }
}

/// Reads `bytes` whole and chunked, checks the outcomes agree and the row invariant holds.
fn read(bytes: &[u8]) -> Outcome {
    let whole = read_chunked(bytes, bytes.len());
    for chunk in [1, 7, 4096, 65_537] {
        assert_eq!(read_chunked(bytes, chunk), whole, "chunks of {chunk} bytes");
    }
    if let Ok(c) = &whole.result {
        assert_eq!(
            c.accepted + c.rejected,
            c.data_rows,
            "accepted + rejected == data rows"
        );
        assert_eq!(whole.seen.calls.len() as u64, c.accepted);
        assert_eq!(whole.seen.rejects.len() as u64, c.rejected);
        assert_eq!(whole.seen.notes.len() as u64, c.flagged);
    }
    whole
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("tests/fixtures/bad/{name}")).expect("fixture exists")
}

fn read_fixture(name: &str) -> Outcome {
    read(&fixture(name))
}

fn counts(header: u64, accepted: u64, rejected: u64, flagged: u64) -> Result<RowCounts, String> {
    Ok(RowCounts {
        header,
        data_rows: accepted + rejected,
        accepted,
        rejected,
        flagged,
    })
}

fn lines_of(seen: &Seen) -> Vec<u64> {
    seen.calls.iter().map(|c| c.line).collect()
}

/// The one-line message `cdrscope report` prints for a refused file, and its exit code.
fn cli_error(name: &str) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cdrscope"))
        .args(["report", &format!("tests/fixtures/bad/{name}")])
        .output()
        .expect("cdrscope runs");
    let stderr = String::from_utf8(out.stderr).expect("utf-8 message");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr:?}");
    (
        out.status.code().unwrap_or(-1),
        stderr.trim_end().to_string(),
    )
}

fn error_of(name: &str) -> String {
    let o = read_fixture(name);
    assert_eq!(o.seen, Seen::default(), "a refused file yields nothing");
    o.result.expect_err("the file is refused")
}

#[test]
fn empty_file_is_refused_with_a_clear_message() {
    assert_eq!(error_of("empty.csv"), "the file is empty");
    assert_eq!(
        cli_error("empty.csv"),
        (
            2,
            "cdrscope: tests/fixtures/bad/empty.csv: the file is empty".to_string()
        )
    );
}

#[test]
fn header_only_file_reads_as_zero_rows() {
    let o = read_fixture("header_only.csv");
    assert_eq!(o.result, counts(1, 0, 0, 0));
    assert_eq!(o.seen, Seen::default());
}

#[test]
fn png_passed_as_csv_is_refused() {
    assert_eq!(
        error_of("image.png"),
        "this is a PNG image, not a CSV/text CDR export"
    );
    assert_eq!(
        cli_error("image.png"),
        (
            2,
            "cdrscope: tests/fixtures/bad/image.png: this is a PNG image, not a CSV/text CDR export"
                .to_string()
        )
    );
}

#[test]
fn zip_passed_as_csv_is_refused() {
    assert_eq!(
        error_of("archive.zip"),
        "this is a ZIP archive (or XLSX workbook), not a CSV/text CDR export"
    );
}

#[test]
fn xlsx_passed_as_csv_is_refused() {
    assert_eq!(
        error_of("workbook.xlsx"),
        "this is a ZIP archive (or XLSX workbook), not a CSV/text CDR export"
    );
    assert_eq!(cli_error("workbook.xlsx").0, 2);
}

#[test]
fn truncated_last_line_is_rejected_alone() {
    let o = read_fixture("truncated_last_line.csv");
    assert_eq!(o.result, counts(1, 2, 1, 0));
    assert_eq!(lines_of(&o.seen), [2, 3]);
    assert_eq!(
        o.seen.rejects,
        [(
            4,
            RejectReason::FieldCount {
                expected: 13,
                found: 6
            }
        )]
    );
}

#[test]
fn unclosed_quote_costs_one_line_not_the_rest_of_the_file() {
    let o = read_fixture("unclosed_quote.csv");
    // 103 data rows: line 4 opens a quote that never closes; the 100 rows after it survive.
    assert_eq!(o.result, counts(1, 102, 1, 0));
    assert_eq!(o.seen.rejects, [(4, RejectReason::UnclosedQuote)]);
    let expected: Vec<u64> = [2, 3].into_iter().chain(5..=104).collect();
    assert_eq!(lines_of(&o.seen), expected);
    assert_eq!(o.seen.calls[2].caller, "8613800000004");
    assert_eq!(o.seen.calls[101].caller, "8613800000103");
}

#[test]
fn unclosed_quote_near_the_end_of_the_file_is_caught_at_the_end() {
    let o = read_fixture("unclosed_quote_at_end.csv");
    assert_eq!(o.result, counts(1, 4, 1, 0));
    assert_eq!(o.seen.rejects, [(4, RejectReason::UnclosedQuote)]);
    assert_eq!(lines_of(&o.seen), [2, 3, 5, 6]);
}

#[test]
fn unclosed_quote_on_the_last_line_alone() {
    let mut bytes = fixture("header_only.csv");
    bytes.extend_from_slice(
        b"8613800000001,442079460001,CUST_A,GW_A,1741536183749,1741536183749,2500,0,0,0.01,1,486,1001\n\"86,1",
    );
    let o = read(&bytes);
    assert_eq!(o.result, counts(1, 1, 1, 0));
    assert_eq!(o.seen.rejects, [(3, RejectReason::UnclosedQuote)]);
}

#[test]
fn stray_quotes_that_happen_to_pair_up_do_not_merge_rows() {
    // Line 3 opens a quote at the start of a field, line 5 has a quote inside a field: parsed
    // naively, lines 3–5 are one record with the right field count.
    let o = read_fixture("stray_quotes.csv");
    assert_eq!(o.result, counts(1, 4, 1, 0));
    assert_eq!(o.seen.rejects, [(3, RejectReason::UnclosedQuote)]);
    assert_eq!(lines_of(&o.seen), [2, 4, 5, 6]);
    assert_eq!(o.seen.calls[2].egress, "GW_\"B");
}

#[test]
fn legitimate_multi_line_quoted_field_is_kept() {
    let mut bytes = fixture("header_only.csv");
    bytes.extend_from_slice(
        b"8613800000001,442079460001,CUST_A,\"GW\nA\",1741536183749,1741536183749,2500,0,0,0.01,1,486,1001\n\
          8613800000002,442079460002,CUST_A,GW_A,1741536243749,1741536275749,2500,32,32,0.01,1,-9,1002\n",
    );
    let o = read(&bytes);
    assert_eq!(o.result, counts(1, 2, 0, 0));
    assert_eq!(lines_of(&o.seen), [2, 4]);
    assert_eq!(o.seen.calls[0].egress, "GW\nA");
}

/// VmHWM (peak resident memory) of this process in KiB, on Linux.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn fifty_megabyte_field_is_rejected_with_bounded_memory() {
    if std::env::var_os("BAD_INPUT_ALONE").is_none() {
        // Peak memory is per process: measure in a process that runs only this test.
        // The test's path in the one test crate (`bad_input::…`), and a check that the child ran
        // it: an exact filter that matches nothing would pass with 0 tests.
        let name = format!(
            "{}::fifty_megabyte_field_is_rejected_with_bounded_memory",
            module_path!().split_once("::").map_or("", |m| m.1)
        );
        let out = Command::new(std::env::current_exe().unwrap())
            .args([name.as_str(), "--exact", "--test-threads=1"])
            .env("BAD_INPUT_ALONE", "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "the test failed in its own process: {stdout}"
        );
        assert!(
            stdout.contains("1 passed"),
            "the test did not run: {stdout}"
        );
        return;
    }
    const FIELD: usize = 50 << 20;
    let head = fixture("header_only.csv");
    let good = |i: u32| {
        format!("8613800000{i:03},44207946{i:04},CUST_A,GW_A,1741536183749,1741536213749,2500,30,30,0.01,1,-9,{i}\n")
    };
    // Streamed in 1 MiB pieces so the test itself holds no 50 MB buffer.
    let piece = vec![b'7'; 1 << 20];
    let run = |chunk_split: usize| {
        let mut seen = Seen::default();
        let mut r = Reader::new(FormatOptions::default());
        r.push(&head, &mut seen).unwrap();
        r.push(good(1).as_bytes(), &mut seen).unwrap();
        r.push(b"8613800000002,", &mut seen).unwrap();
        for _ in 0..FIELD / piece.len() {
            let (a, b) = piece.split_at(chunk_split);
            r.push(a, &mut seen).unwrap();
            r.push(b, &mut seen).unwrap();
        }
        r.push(
            b",CUST_A,GW_A,1741536183749,1741536213749,2500,30,30,0.01,1,-9,2\n",
            &mut seen,
        )
        .unwrap();
        r.push(good(3).as_bytes(), &mut seen).unwrap();
        r.finish(&mut seen).unwrap();
        (r.counts(), seen)
    };
    let before = peak_rss_kib();
    let (c, seen) = run(1 << 19);
    let after = peak_rss_kib();
    assert_eq!(c, counts(1, 2, 1, 0).unwrap());
    assert_eq!(
        seen.rejects,
        [(
            3,
            RejectReason::TooLong {
                limit: MAX_ROW_BYTES
            }
        )]
    );
    assert_eq!(lines_of(&seen), [2, 4]);
    assert_eq!(run(12_345), (c, seen), "another chunking, the same outcome");
    if let (Some(b), Some(a)) = (before, after) {
        // The row buffer stops at MAX_ROW_BYTES (1 MiB); 50 MB buffered would show here.
        assert!(
            a.saturating_sub(b) < 24 * 1024,
            "peak RSS grew by {} KiB",
            a - b
        );
    }
}

#[test]
fn quote_left_open_over_many_lines_is_not_buffered() {
    // A quote opened and never closed, followed by 100,000 short lines: the reader rejects the
    // opening line and reads every line after it as a row of its own.
    const LINES: u64 = 100_000;
    let mut bytes = fixture("header_only.csv");
    bytes.extend_from_slice(b"\"8613800000001,1\n");
    bytes.extend_from_slice(&b"x\n".repeat(LINES as usize));
    let mut seen = Seen::default();
    let mut r = Reader::new(FormatOptions::default());
    for piece in bytes.chunks(1 << 16) {
        r.push(piece, &mut seen).unwrap();
    }
    r.finish(&mut seen).unwrap();
    let c = r.counts();
    assert_eq!(c, counts(1, 0, 1 + LINES, 0).unwrap());
    assert_eq!(seen.rejects[0], (2, RejectReason::UnclosedQuote));
    let short = RejectReason::FieldCount {
        expected: 13,
        found: 1,
    };
    assert_eq!(seen.rejects[1], (3, short.clone()));
    assert_eq!(seen.rejects.last().unwrap(), &(2 + LINES, short));
}

#[test]
fn line_with_ten_thousand_fields_is_rejected() {
    let o = read_fixture("ten_thousand_fields.csv");
    assert_eq!(o.result, counts(1, 2, 1, 0));
    assert_eq!(
        o.seen.rejects,
        [(3, RejectReason::TooManyFields { limit: MAX_FIELDS })]
    );
    assert_eq!(lines_of(&o.seen), [2, 4]);
}

#[test]
fn mixed_encodings_are_decoded_row_by_row() {
    let bytes = fixture("mixed_encodings.csv");
    let o = read(&bytes);
    assert_eq!(o.result, counts(1, 3, 0, 0));
    let gateways: Vec<&str> = o.seen.calls.iter().map(|c| c.egress.as_str()).collect();
    assert_eq!(gateways, ["联通网关", "电信网关", "联通网关"]);
    let mut d = Dataset::new();
    d.read_bytes("mixed_encodings.csv", &bytes, FormatOptions::default())
        .unwrap();
    let s = d.summary(&Filter::default(), &SummaryOptions::default());
    assert_eq!(s.encoding, "utf-8");
    let names: Vec<(&str, u64)> = s
        .by_egress_gateway
        .iter()
        .map(|g| (g.name.as_str(), g.kpis.attempts))
        .collect();
    assert_eq!(names, [("联通网关", 2), ("电信网关", 1)]);
}

#[test]
fn nul_bytes_stay_text_or_fail_the_number() {
    let o = read_fixture("nul_bytes.csv");
    assert_eq!(o.result, counts(1, 2, 1, 0));
    assert_eq!(lines_of(&o.seen), [2, 4]);
    assert_eq!(o.seen.calls[0].caller, "86138\0\0\0");
    assert_eq!(
        o.seen.rejects,
        [(
            3,
            RejectReason::BadNumber {
                column: "holdtime".into(),
                value: "3\u{0}0".into()
            }
        )]
    );
}

#[test]
fn mostly_nul_file_is_refused_as_binary() {
    let mut bytes = fixture("header_only.csv");
    bytes.extend_from_slice(&[0u8; 4096]);
    let o = read(&bytes);
    assert_eq!(
        o.result,
        Err("this is a binary file, not a CSV/text CDR export".to_string())
    );
}

/// Bytes from a fixed linear congruential generator: "random" yet the same on every run.
fn noise(len: usize, mut seed: u32) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (seed >> 24) as u8
        })
        .collect()
}

#[test]
fn random_bytes_are_refused_as_binary_never_quoted_as_a_first_row() {
    // No magic number names these bytes: the share of control and undecodable characters does.
    for seed in [1, 7, 2026] {
        let bytes = noise(3000, seed);
        assert_eq!(
            read(&bytes).result,
            Err("this is a binary file, not a CSV/text CDR export".to_string()),
            "seed {seed}"
        );
    }
    // Text with a few stray control characters and bad bytes stays text.
    let mut text = fixture("invalid_utf8.csv");
    text.extend_from_slice(b"\x07\x1b");
    assert!(read(&text).result.is_ok());
    assert!(!cdrscope::ingest::looks_binary(
        "caller,callee\n1\u{7}2,\u{FFFD}34\n5678,9012\n"
    ));
    assert!(cdrscope::ingest::looks_binary(
        "a\u{1}b\u{2}c\u{FFFD}d\u{3}"
    ));
}

#[test]
fn invalid_utf8_becomes_replacement_characters() {
    let o = read_fixture("invalid_utf8.csv");
    assert_eq!(o.result, counts(1, 3, 0, 0));
    assert_eq!(o.seen.calls[1].egress, "GW_\u{FFFD}\u{FFFD}X");
}

#[test]
fn wrong_delimiter_is_not_a_recognised_format() {
    assert_eq!(
        error_of("wrong_delimiter.csv"),
        "not a recognised CDR format (first row starts [\"callere164,calleee164,callergatewayid,\
         calleegatewayid,starttime,stoptime,callerpdd,holdtime,feetime,fee,enddirection,endreason,\
         flowno\"]); choose a format or map the columns by hand"
    );
}

#[test]
fn semicolon_delimiter_is_sniffed() {
    let o = read_fixture("semicolon.csv");
    assert_eq!(o.result, counts(1, 2, 0, 0));
    assert_eq!(o.seen.calls[1].hold_s, 32);
}

#[test]
fn csv_of_another_kind_is_not_a_recognised_cdr_format() {
    let message =
        "not a recognised CDR format (first row starts [\"sku\", \"product\", \"price\", \
                   \"stock\"]); choose a format or map the columns by hand";
    assert_eq!(error_of("not_cdr.csv"), message);
    assert_eq!(
        cli_error("not_cdr.csv"),
        (
            2,
            format!("cdrscope: tests/fixtures/bad/not_cdr.csv: {message}")
        )
    );
}

#[test]
fn implausible_times_durations_and_pdd_are_rejected_with_their_reason() {
    let o = read_fixture("implausible.csv");
    assert_eq!(o.result, counts(1, 2, 6, 0));
    assert_eq!(lines_of(&o.seen), [2, 9]);
    assert_eq!(
        o.seen.rejects,
        [
            (
                3,
                RejectReason::TimeOutOfRange {
                    column: "start".into(),
                    value: "2100-01-01 00:00:00".into()
                }
            ),
            (
                4,
                RejectReason::EndBeforeStart {
                    start: "2025-03-09 16:02:03".into(),
                    end: "2025-03-09 16:01:58".into()
                }
            ),
            (
                5,
                RejectReason::BadNumber {
                    column: "holdtime".into(),
                    value: "-5".into()
                }
            ),
            (
                6,
                RejectReason::ImplausiblePdd {
                    pdd_ms: 400_000,
                    limit_ms: 300_000
                }
            ),
            (
                7,
                RejectReason::BadNumber {
                    column: "callerpdd".into(),
                    value: "-20".into()
                }
            ),
            (
                8,
                RejectReason::TimeOutOfRange {
                    column: "start".into(),
                    value: "3000-01-01 00:00:00".into()
                }
            ),
        ]
    );
    // What the page and the JSON show for them.
    let texts: Vec<String> = o.seen.rejects.iter().map(|(_, r)| r.to_string()).collect();
    assert_eq!(
        texts[0],
        "start time 2100-01-01 00:00:00 is outside 1990–2099 (clock or export fault)"
    );
    assert_eq!(
        texts[1],
        "the call ends (2025-03-09 16:01:58) before it starts (2025-03-09 16:02:03)"
    );
    assert_eq!(
        texts[3],
        "PDD of 400000 ms is longer than the call allows (300000 ms)"
    );
}

#[test]
fn repeated_header_rows_are_rejected_and_the_rest_accepted() {
    let o = read_fixture("repeated_header.csv");
    assert_eq!(o.result, counts(1, 4, 1, 0));
    assert_eq!(o.seen.rejects, [(4, RejectReason::RepeatedHeader)]);
    assert_eq!(lines_of(&o.seen), [2, 3, 5, 6]);
}

#[test]
fn excel_mangled_numbers_are_accepted_but_flagged() {
    let bytes = fixture("excel_mangled.csv");
    let o = read(&bytes);
    assert_eq!(o.result, counts(1, 4, 1, 2));
    assert_eq!(lines_of(&o.seen), [2, 3, 5, 6]);
    assert_eq!(
        o.seen.notes,
        [
            (
                2,
                RejectReason::ExcelNumber {
                    column: "callee".into(),
                    value: "4.42079E+11".into()
                }
            ),
            (
                3,
                RejectReason::ExcelNumber {
                    column: "caller".into(),
                    value: "8.61381E+12".into()
                }
            ),
        ]
    );
    // A time stamp Excel rounded cannot be read back: rejected.
    assert_eq!(
        o.seen.rejects,
        [(
            4,
            RejectReason::BadTime {
                column: "starttime".into(),
                value: "1.74154E+12".into()
            }
        )]
    );
    // `34.0` is still 34 seconds; a number that lost its leading 0 cannot be told apart.
    assert_eq!(o.seen.calls[2].hold_s, 34);
    assert_eq!(o.seen.calls[3].callee, "2079460005");
    // The notes reach the summary the page and `--json` show.
    let mut d = Dataset::new();
    d.read_bytes("excel_mangled.csv", &bytes, FormatOptions::default())
        .unwrap();
    let s = d.summary(&Filter::default(), &SummaryOptions::default());
    assert_eq!(s.notes_total, 2);
    assert_eq!(
        s.notes[0].reason,
        "callee \"4.42079E+11\" was mangled by a spreadsheet (scientific notation, digits lost)"
    );
    assert_eq!(s.rows.accepted + s.rows.rejected, s.rows.data);
}

/// Inputs found by fuzzing (or written to look like them), in the form the `ingest_reader`
/// fuzz target takes: two knob bytes, then the file. Each must read the same in any chunking,
/// keep the row invariant, and analyse without panicking.
#[test]
fn fuzz_regressions_read_cleanly() {
    let mut n = 0;
    for entry in std::fs::read_dir("tests/fixtures/bad/fuzz").expect("the fuzz corpus exists") {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let file = data.get(2..).unwrap_or(&[]);
        let o = read(file);
        // As the fuzz target reads it: detection on a short prefix, chunks from the knobs.
        if let [k0, k1, ..] = data[..] {
            let sniff = usize::from(k0) * 8 + 64;
            let sizes = [
                usize::from(k0) + 1,
                usize::from(k1) * 3 + 1,
                1,
                usize::from(k0 ^ k1) * 17 + 2,
            ];
            assert_eq!(
                read_sized(file, &[file.len().max(1)], sniff),
                read_sized(file, &sizes, sniff),
                "{path:?}"
            );
        }
        let mut d = Dataset::new();
        if d.read_bytes("fuzz", file, FormatOptions::default()).is_ok() {
            let s = d.summary(&Filter::default(), &SummaryOptions::default());
            assert_eq!(s.rows.accepted + s.rows.rejected, s.rows.data, "{path:?}");
            assert_eq!(
                s.rows.accepted,
                o.result.as_ref().map_or(0, |c| c.accepted),
                "{path:?}"
            );
        }
        n += 1;
    }
    assert!(n >= 3, "the fuzz regression corpus is in place");
}

#[test]
fn quotes_on_every_line_cost_one_rejected_line_each() {
    let data = fixture("fuzz/quotes_everywhere");
    let o = read(&data[2..]);
    // 5000 lines holding a lone quote: each opens a quote that never closes.
    assert_eq!(o.result, counts(1, 0, 5000, 0));
    assert!(o
        .seen
        .rejects
        .iter()
        .enumerate()
        .all(|(i, r)| *r == (i as u64 + 2, RejectReason::UnclosedQuote)));
}

#[test]
fn carriage_return_line_ends_are_rows() {
    let data = fixture("fuzz/cr_only_lines");
    let o = read(&data[2..]);
    assert_eq!(o.result, counts(1, 3, 0, 0));
}

#[test]
fn calls_spanning_millennia_give_a_small_timeline() {
    // The reader rejects such times, but a mapper that pairs rows (Kamailio) emits calls after
    // the check; the analysis must stay bounded on its own.
    use cdrscope::analysis::groups::group;
    use cdrscope::analysis::store::CallStore;
    let mut store = CallStore::new();
    for t in [-62_000_000_000_000i64, 0, 250_000_000_000_000] {
        store.push(&Call {
            start_ms: Some(t),
            end_ms: Some(t),
            ..Call::default()
        });
    }
    let opts = SummaryOptions {
        tz_offset_min: i32::MAX,
        ..SummaryOptions::default()
    };
    let g = group(
        &store,
        &Filter::default(),
        &opts,
        i64::from(i32::MAX) * 60_000,
    );
    assert!(g.timeline.points.len() <= 97, "{}", g.timeline.points.len());
    // The store keeps times it can represent; every call is still counted.
    assert!(g.timeline.points.iter().map(|p| p.attempts).sum::<u64>() <= 3);
    assert_eq!(g.overall.attempts, 3);
}

#[test]
fn sixty_six_thousand_distinct_codes_are_all_counted() {
    // A hostile file with a new end reason on every row: 16-bit code ids run out, every row
    // is still accepted and counted, and adding codes stays linear.
    let mut text = String::from_utf8(fixture("header_only.csv")).unwrap();
    for i in 0..66_000u32 {
        text.push_str(&format!(
            "8613800000001,442079460001,CUST_A,GW_A,1741536183749,1741536183749,2500,0,0,0.01,1,REASON_{i},{i}\n"
        ));
    }
    let mut d = Dataset::new();
    d.read_bytes("codes.csv", text.as_bytes(), FormatOptions::default())
        .unwrap();
    let s = d.summary(&Filter::default(), &SummaryOptions::default());
    assert_eq!(s.rows.accepted, 66_000);
    assert_eq!(s.overall.attempts, 66_000);
    assert_eq!(s.by_egress_gateway[0].kpis.attempts, 66_000);
}
