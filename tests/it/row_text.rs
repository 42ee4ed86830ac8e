//! Drill-down text of rows that came out of a container: `inputs::row_bytes` reads the input
//! again and gives back each chosen row as the CSV twin has it, stopping once it has them.

use cdrscope::analysis::{Dataset, Filter, RowRef, SummaryOptions};
use cdrscope::inputs::{self, row_bytes, InputOptions, RowSpan};
use std::io::{Cursor, Read, Seek, SeekFrom, Write};

const DIR: &str = "tests/fixtures/inputs/";

/// The CSV twin's lines (header first), line `n` at index `n - 1`.
fn twin_lines() -> Vec<String> {
    std::fs::read_to_string("tests/fixtures/vos3000_cdr_en.csv")
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// Every call's row of `bytes` read as `name`, in data-set order.
fn all_rows(name: &str, bytes: &[u8]) -> (Dataset, Vec<RowRef>) {
    let mut ds = Dataset::new();
    inputs::read_bytes_into(&mut ds, name, bytes, &InputOptions::default()).unwrap();
    let page = ds.rows(&Filter::default(), &SummaryOptions::default(), 0, 10_000);
    assert_eq!(page.total as usize, page.rows.len());
    (ds, page.rows)
}

/// The text of each row read back, without its line break.
fn texts(name: &str, bytes: &[u8], rows: &[RowRef]) -> Vec<String> {
    let spans: Vec<RowSpan> = rows
        .iter()
        .map(|r| RowSpan {
            file: usize::from(r.file),
            offset: r.offset,
            len: r.len,
        })
        .collect();
    row_bytes(name, Cursor::new(bytes), &InputOptions::default(), &spans)
        .into_iter()
        .zip(rows)
        .map(|(b, r)| {
            let b = b.unwrap_or_else(|| panic!("{name}: row {r:?} not read back"));
            String::from_utf8(b)
                .unwrap()
                .trim_end_matches(['\r', '\n'])
                .to_string()
        })
        .collect()
}

#[test]
fn gzip_excel_and_zip_rows_come_back_as_the_csv_twin_lines() {
    let twin = twin_lines();
    // (fixture, data-set file → lines of the twin before that file's first data row)
    for (file, before) in [
        ("vos3000_cdr_en.csv.gz", &[0usize][..]),
        ("vos3000_cdr_en.xlsx", &[0]),
        ("vos3000_cdr_en.xls", &[0]),
        ("vos3000_cdr_en_halves.zip", &[0, 1000]),
        ("vos3000_cdr_en_mixed.zip", &[0, 500, 1000]),
    ] {
        let bytes = std::fs::read(format!("{DIR}{file}")).unwrap();
        let (_, mut rows) = all_rows(file, &bytes);
        // The mixed zip's JSON quarter has the API's columns, not the twin's (tested below).
        rows.retain(|r| usize::from(r.file) < before.len());
        assert!(rows.len() >= 1500, "{file}: {}", rows.len());
        let got = texts(file, &bytes, &rows);
        for (r, text) in rows.iter().zip(&got) {
            let twin_line = before[usize::from(r.file)] + r.line as usize;
            assert_eq!(
                text,
                &twin[twin_line - 1],
                "{file} file {} line {}",
                r.file,
                r.line
            );
        }
    }
}

#[test]
fn api_json_rows_come_back_as_the_csv_line_written_for_the_record() {
    let bytes = std::fs::read(format!("{DIR}vos3000_getcdr.json")).unwrap();
    let (_, rows) = all_rows("vos3000_getcdr.json", &bytes);
    let got = texts("vos3000_getcdr.json", &bytes, &rows[..3]);
    let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    for (i, text) in got.iter().enumerate() {
        let rec = &doc["infoCdrs"][i];
        // The record's own values, in the converter's column order.
        let flow = rec["flowNo"].to_string();
        let callee = rec["calleeAccessE164"].as_str().unwrap();
        assert!(text.split(',').any(|c| c == flow), "{text}");
        assert!(text.split(',').any(|c| c == callee), "{text}");
        assert_eq!(rows[i].line, i as u64 + 2);
    }
}

#[test]
fn rows_of_a_later_zip_entry_and_out_of_order_rows() {
    let bytes = std::fs::read(format!("{DIR}vos3000_cdr_en_halves.zip")).unwrap();
    let (_, rows) = all_rows("h.zip", &bytes);
    let twin = twin_lines();
    // Last row of the second entry, then the first of the first entry.
    let last = rows.iter().rev().find(|r| r.file == 1).unwrap().clone();
    let first = rows.iter().find(|r| r.file == 0).unwrap().clone();
    let got = texts("h.zip", &bytes, &[last.clone(), first.clone()]);
    assert_eq!(got[0], twin[2000]);
    assert_eq!(got[1], twin[1]);
    assert_eq!((last.line, first.line), (1001, 2));
}

#[test]
fn a_span_the_input_does_not_reach_is_none() {
    let gz = std::fs::read(format!("{DIR}vos3000_cdr_en.csv.gz")).unwrap();
    let spans = [
        RowSpan {
            file: 0,
            offset: 10_000_000,
            len: 10,
        },
        RowSpan {
            file: 3,
            offset: 0,
            len: 10,
        },
        RowSpan {
            file: 0,
            offset: 0,
            len: 9,
        },
    ];
    let got = row_bytes(
        "a.csv.gz",
        Cursor::new(&gz),
        &InputOptions::default(),
        &spans,
    );
    assert_eq!(got, vec![None, None, Some(b"callere16".to_vec())]);
}

/// A source that counts the bytes read from it.
struct Counting<R> {
    inner: R,
    read: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

impl<R: Seek> Seek for Counting<R> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

#[test]
fn a_large_gzip_is_decoded_only_up_to_the_rows_asked_for() {
    // 16 copies of the twin (~13 MB of text), each later copy's callers with their own first
    // digit (a repeated row counts once): the rows asked for are in the first copy.
    let csv = std::fs::read("tests/fixtures/vos3000_cdr_en.csv").unwrap();
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(&csv).unwrap();
    let body_start = csv.iter().position(|&b| b == b'\n').unwrap() + 1;
    let body = std::str::from_utf8(&csv[body_start..]).unwrap();
    for k in 1..16 {
        for row in body.lines() {
            enc.write_all(format!("{k}{row}\n").as_bytes()).unwrap();
        }
    }
    let gz = enc.finish().unwrap();
    let mut ds = Dataset::new();
    inputs::read_bytes_into(&mut ds, "big.csv.gz", &gz, &InputOptions::default()).unwrap();
    let page = ds.rows(&Filter::default(), &SummaryOptions::default(), 0, 100);
    assert_eq!(page.total, 32_000);
    let rows = page.rows;
    let twin = twin_lines();
    let mut src = Counting {
        inner: Cursor::new(&gz),
        read: 0,
    };
    let spans: Vec<RowSpan> = rows[10..60]
        .iter()
        .map(|r| RowSpan {
            file: 0,
            offset: r.offset,
            len: r.len,
        })
        .collect();
    let got = row_bytes("big.csv.gz", &mut src, &InputOptions::default(), &spans);
    for (i, b) in got.iter().enumerate() {
        let text = String::from_utf8(b.clone().unwrap()).unwrap();
        assert_eq!(text.trim_end(), twin[11 + i]);
    }
    assert!(
        src.read < gz.len() as u64 / 8,
        "read {} of {} compressed bytes",
        src.read,
        gz.len()
    );
}
