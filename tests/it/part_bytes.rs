//! A part handed over as bytes (`Dataset::part_bytes` → `absorb_part_bytes`, what the page's
//! second worker does) gives exactly what absorbing the in-memory part gives, and equals reading
//! the file whole; malformed bytes give an error, never a panic.

use cdrscope::analysis::{Dataset, Filter, SummaryOptions};
use cdrscope::FormatOptions;
use proptest::prelude::*;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The VOS3000 fixture three times over with some rows broken: a bad holdtime (rejected) and a
/// callee in Excel's scientific notation (accepted with a note), in both halves of the file.
fn dirty_vos3000() -> Vec<u8> {
    let text = String::from_utf8(fixture("vos3000_cdr_en.csv")).unwrap();
    let mut lines = text.lines();
    let mut out = String::from(lines.next().unwrap());
    out.push('\n');
    let body: Vec<&str> = lines.collect();
    for round in 0..3 {
        for (i, l) in body.iter().enumerate() {
            let mut f: Vec<String> = l.split(',').map(str::to_string).collect();
            let k = round * body.len() + i;
            if k % 97 == 5 {
                f[23] = "abc".into();
            }
            if k % 89 == 3 {
                f[3] = "8.80469E+12".into();
            }
            if round > 0 {
                // Another flowno, so the copies are not the same calls.
                f[41] = format!("{}{round}", f[41]);
            }
            out.push_str(&f.join(","));
            out.push('\n');
        }
    }
    out.into_bytes()
}

fn files() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("vos3000_cdr_en.csv", fixture("vos3000_cdr_en.csv")),
        (
            "vos3000_cdr_zh_gb18030.csv",
            fixture("vos3000_cdr_zh_gb18030.csv"),
        ),
        ("asterisk_Master.csv", fixture("asterisk_Master.csv")),
        (
            "freeswitch_custom_Master.csv",
            fixture("freeswitch_custom_Master.csv"),
        ),
        ("dirty_vos3000.csv", dirty_vos3000()),
    ]
}

/// The first line start at or after `at`.
fn line_start(bytes: &[u8], at: usize) -> usize {
    bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| at + p + 1)
}

/// The head of the file up to `cut` (not finished) and its line count, as the main worker has it.
fn head(name: &str, bytes: &[u8], cut: usize) -> (Dataset, u64) {
    let mut d = Dataset::new();
    d.start_file(name, bytes.len() as u64, FormatOptions::default());
    d.push(&bytes[..cut]).unwrap();
    assert!(d.at_row_boundary());
    let lines = d.lines_read();
    d.finish_file().unwrap();
    (d, lines)
}

/// The part from `cut` to the end, finished, as the second worker has it.
fn part(name: &str, bytes: &[u8], cut: usize) -> Dataset {
    let mut probe = Dataset::new();
    probe.start_file(name, bytes.len() as u64, FormatOptions::default());
    probe.push(&bytes[..cut]).unwrap();
    let plan = probe.plan().expect("the head gives a plan");
    let mut p = Dataset::new();
    p.start_part(name, bytes.len() as u64, &plan, cut as u64)
        .unwrap();
    for chunk in bytes[cut..].chunks(5_000) {
        p.push(chunk).unwrap();
    }
    p.finish_file().unwrap();
    p
}

fn json(d: &Dataset) -> String {
    let opts = SummaryOptions::default();
    let mut s = d.summary(&Filter::default(), &opts);
    s.files.clear();
    // The first pages and the last ones, which come from the absorbed part.
    let last = (d.store().calls.len() / 40).max(3);
    let pages: Vec<_> = (0..4)
        .chain(last - 3..=last)
        .map(|p| d.rows(&Filter::default(), &opts, p, 40))
        .collect();
    serde_json::to_string(&(s, pages)).unwrap()
}

/// Checks one cut: bytes and in-memory absorb agree with each other and with the whole file.
/// The cut is past the first 64 KiB, as in the page and the CLI (the plan comes from them).
fn check_cut(name: &str, bytes: &[u8], at: usize) {
    let cut = line_start(bytes, at.max(70_000));
    if cut >= bytes.len() {
        return;
    }
    let p = part(name, bytes, cut);
    let encoded = p.part_bytes();
    let (mut by_value, lines) = head(name, bytes, cut);
    by_value.absorb_part(&p, lines);
    let (mut by_bytes, _) = head(name, bytes, cut);
    by_bytes.absorb_part_bytes(&encoded, lines).unwrap();
    assert_eq!(
        by_bytes.store().calls,
        by_value.store().calls,
        "{name} @ {cut}"
    );
    assert_eq!(
        by_bytes.store().money,
        by_value.store().money,
        "{name} @ {cut}"
    );
    assert_eq!(
        by_bytes.store().codes,
        by_value.store().codes,
        "{name} @ {cut}"
    );
    assert_eq!(json(&by_bytes), json(&by_value), "{name} @ {cut}");
    let mut whole = Dataset::new();
    whole
        .read_bytes(name, bytes, FormatOptions::default())
        .unwrap();
    assert_eq!(json(&by_bytes), json(&whole), "{name} @ {cut} vs whole");
}

#[test]
fn bytes_absorb_like_the_part_at_the_middle() {
    for (name, bytes) in files() {
        check_cut(name, &bytes, bytes.len() / 2);
    }
}

#[test]
fn the_dirty_file_keeps_rejects_and_notes_of_both_halves() {
    let bytes = dirty_vos3000();
    let mut whole = Dataset::new();
    whole
        .read_bytes("d.csv", &bytes, FormatOptions::default())
        .unwrap();
    let w = whole.summary(&Filter::default(), &SummaryOptions::default());
    let cut = line_start(&bytes, bytes.len() / 2);
    let (mut d, lines) = head("d.csv", &bytes, cut);
    d.absorb_part_bytes(&part("d.csv", &bytes, cut).part_bytes(), lines)
        .unwrap();
    let s = d.summary(&Filter::default(), &SummaryOptions::default());
    // 6000 rows: every 97th from the 6th has a bad holdtime, every 89th from the 4th a
    // scientific callee (accepted, noted) unless it is also rejected.
    assert_eq!((s.rows.data, s.rows.rejected), (6000, 62));
    assert_eq!(s.rejects_total, 62);
    assert_eq!(s.notes_total, w.notes_total);
    assert!(s.notes_total > 60, "notes: {}", s.notes_total);
    let last = s.rejects.last().unwrap();
    assert_eq!(
        last.line,
        1 + 5 + 97 * 61 + 1,
        "line numbers continue across the cut"
    );
    assert_eq!(last.reason, "holdtime is not a valid number: \"abc\"");
    assert_eq!(
        serde_json::to_string(&s.notes).unwrap(),
        serde_json::to_string(&w.notes).unwrap()
    );
}

#[test]
fn a_later_file_finds_the_calls_of_an_absorbed_part_as_duplicates() {
    let bytes = fixture("vos3000_cdr_en.csv");
    let cut = line_start(&bytes, bytes.len() / 2);
    let (mut d, lines) = head("a.csv", &bytes, cut);
    d.absorb_part_bytes(&part("a.csv", &bytes, cut).part_bytes(), lines)
        .unwrap();
    d.read_bytes("b.csv", &bytes, FormatOptions::default())
        .unwrap();
    let s = d.summary(&Filter::default(), &SummaryOptions::default());
    assert_eq!((s.rows.accepted, s.rows.duplicates), (4000, 2000));
    assert_eq!(s.overall.attempts, 2000);
}

#[test]
fn malformed_bytes_are_refused_without_panic() {
    let bytes = dirty_vos3000();
    let cut = line_start(&bytes, bytes.len() / 2);
    let encoded = part("d.csv", &bytes, cut).part_bytes();
    let (mut d, lines) = head("d.csv", &bytes, cut);
    let calls = d.store().calls.len();
    // Every cut-short prefix (sampled) fails and leaves the data set as it was.
    for n in (0..encoded.len()).step_by(97).chain([encoded.len() - 1]) {
        let e = d.absorb_part_bytes(&encoded[..n], lines).unwrap_err();
        assert!(e.message.starts_with("broken part data"), "{}", e.message);
    }
    assert_eq!(d.store().calls.len(), calls);
    let mut longer = encoded.clone();
    longer.push(0);
    assert_eq!(
        d.absorb_part_bytes(&longer, lines).unwrap_err().message,
        "broken part data: trailing bytes after the part"
    );
    assert_eq!(
        d.absorb_part_bytes(b"not a part at all", lines)
            .unwrap_err()
            .message,
        "broken part data: not a cdrscope part"
    );
    // A bogus call count right after the codes: refused before any allocation.
    let mut huge = encoded.clone();
    let at = calls_count_offset(&encoded);
    huge[at..at + 8].copy_from_slice(&u64::MAX.to_le_bytes());
    assert_eq!(
        d.absorb_part_bytes(&huge, lines).unwrap_err().message,
        "broken part data: a count is larger than the data"
    );
    // A call pointing at an egress name that does not exist.
    let mut bad_id = encoded.clone();
    bad_id[at + 8 + 30..at + 8 + 32].copy_from_slice(&60_000u16.to_le_bytes());
    assert_eq!(
        d.absorb_part_bytes(&bad_id, lines).unwrap_err().message,
        "broken part data: a call refers to an unknown name, prefix or code"
    );
    assert_eq!(d.store().calls.len(), calls);
    d.absorb_part_bytes(&encoded, lines).unwrap();
    assert_eq!(d.store().calls.len(), 5938);
}

/// Where the u64 call count sits: after magic, version, counts, flags, names, prefixes, codes.
fn calls_count_offset(b: &[u8]) -> usize {
    let u32_at = |i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap()) as usize;
    let mut at = 8 + 4 + 24 + 3;
    for _ in 0..2 {
        let n = u32_at(at);
        at += 4;
        for _ in 0..n {
            at += 4 + u32_at(at);
        }
    }
    let n = u32_at(at);
    at += 4;
    for _ in 0..n {
        at += 1;
        at += 4 + u32_at(at);
        at += 6;
    }
    at
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn bytes_absorb_like_the_part_at_any_cut(file in 0usize..5, at in 0.05f64..0.95) {
        let (name, bytes) = files().swap_remove(file);
        check_cut(name, &bytes, (bytes.len() as f64 * at) as usize);
    }

    #[test]
    fn flipped_bytes_never_panic(flips in proptest::collection::vec((0usize..1_000_000, any::<u8>()), 1..6)) {
        let bytes = fixture("asterisk_Master.csv");
        let cut = line_start(&bytes, 80_000);
        let mut encoded = part("a.csv", &bytes, cut).part_bytes();
        for (at, v) in flips {
            let n = encoded.len();
            encoded[at % n] = v;
        }
        let (mut d, lines) = head("a.csv", &bytes, cut);
        let _ = d.absorb_part_bytes(&encoded, lines);
        let _ = d.summary(&Filter::default(), &SummaryOptions::default());
    }
}
