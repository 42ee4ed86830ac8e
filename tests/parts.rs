//! Reading a file in parallel parts gives the same summary as reading it whole, and a quoted
//! field that spans a cut is detected so the caller can fall back.

use cdrscope::analysis::{Dataset, Filter, SummaryOptions};
use cdrscope::FormatOptions;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The first line start at or after `at`.
fn line_start(bytes: &[u8], at: usize) -> usize {
    bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| at + p + 1)
}

/// Reads `bytes` in `n` parts the way the CLI and the page do; `None` when a cut fell inside a
/// row (the caller must read on sequentially).
fn read_in_parts(name: &str, bytes: &[u8], n: usize) -> Option<Dataset> {
    let first_chunk = 70_000.min(bytes.len());
    let mut cuts = vec![0];
    for k in 1..n {
        let c = line_start(bytes, (bytes.len() * k / n).max(first_chunk));
        if c > *cuts.last().unwrap() && c < bytes.len() {
            cuts.push(c);
        }
    }
    cuts.push(bytes.len());
    let mut head = Dataset::new();
    head.start_file(name, bytes.len() as u64, FormatOptions::default());
    head.push(&bytes[..first_chunk]).unwrap();
    let plan = head.plan().unwrap();
    head.push(&bytes[first_chunk..cuts[1]]).unwrap();
    let mut lines = head.lines_read();
    if !head.at_row_boundary() {
        return None;
    }
    head.finish_file().unwrap();
    for w in cuts[1..].windows(2) {
        let mut part = Dataset::new();
        part.start_part(name, bytes.len() as u64, &plan, w[0] as u64)
            .unwrap();
        for chunk in bytes[w[0]..w[1]].chunks(7_777) {
            part.push(chunk).unwrap();
        }
        let at_boundary = part.at_row_boundary();
        let part_lines = part.lines_read();
        part.finish_file().unwrap();
        head.absorb_part(&part, lines);
        lines += part_lines;
        if !at_boundary && w[1] != bytes.len() {
            return None;
        }
    }
    Some(head)
}

fn json(d: &Dataset) -> String {
    let opts = SummaryOptions::default();
    let mut s = d.summary(&Filter::default(), &opts);
    s.files.clear();
    let page = d.rows(&Filter::default(), &opts, 3, 50);
    serde_json::to_string(&(s, page)).unwrap()
}

#[test]
fn parts_equal_whole() {
    for name in [
        "vos3000_cdr_en.csv",
        "vos3000_cdr_zh_gb18030.csv",
        "asterisk_Master.csv",
        "freeswitch_custom_Master.csv",
        // 303 of its 711 rows are written twice, some across the cuts: a repeat in a later
        // part of a row of an earlier part is counted once, as in a sequential read.
        "real/freeswitch/powermedia-master-repeated-rows.csv",
    ] {
        let bytes = fixture(name);
        let mut whole = Dataset::new();
        whole
            .read_bytes(name, &bytes, FormatOptions::default())
            .unwrap();
        for n in [2, 3, 5] {
            let parts = read_in_parts(name, &bytes, n).unwrap();
            assert_eq!(json(&parts), json(&whole), "{name} in {n} parts");
        }
        if name.contains("powermedia") {
            let s = whole.summary(&Filter::default(), &SummaryOptions::default());
            assert_eq!(
                (s.rows.data, s.rows.duplicates, s.overall.attempts),
                (711, 303, 408)
            );
            assert_eq!(s.files[0].duplicates, 303);
        }
    }
}

#[test]
fn a_quoted_newline_across_the_cut_is_detected() {
    // A row whose quoted device-name field spans three lines, right where a cut falls.
    let body = String::from_utf8(fixture("vos3000_cdr_en.csv")).unwrap();
    let lines: Vec<&str> = body.lines().collect();
    let mut text = String::new();
    for (i, l) in lines.iter().enumerate() {
        if i == lines.len() / 2 {
            text.push_str(&l.replacen(",softswitch,", ",\"soft\nswi\ntch\",", 1));
        } else {
            text.push_str(l);
        }
        text.push('\n');
    }
    let bytes = text.as_bytes();
    let cut = line_start(bytes, text.find("soft\nswi").unwrap());
    let mut head = Dataset::new();
    head.start_file("q.csv", bytes.len() as u64, FormatOptions::default());
    head.push(&bytes[..cut]).unwrap();
    assert!(!head.at_row_boundary(), "the cut is inside a quoted field");
    head.push(&bytes[cut..]).unwrap();
    head.finish_file().unwrap();
    let s = head.summary(&Filter::default(), &SummaryOptions::default());
    assert_eq!((s.rows.accepted, s.rows.rejected), (2000, 0));
}
