//! Helpers shared by the format tests: reading a fixture through `Dataset` and comparing KPIs
//! with the rounded figures of `expected.json`.

#![allow(dead_code)]

use cdrscope::formats::FormatOptions;
use cdrscope::summary::{GroupKpis, Kpis};
use cdrscope::{Dataset, Filter, Summary, SummaryOptions};
use serde_json::Value;

/// The bytes of a fixture.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Summary options that list every code of every group.
pub fn all_codes() -> SummaryOptions {
    SummaryOptions {
        codes_per_group: usize::MAX,
        ..SummaryOptions::default()
    }
}

/// Reads `bytes` in one go and returns the unfiltered summary.
pub fn summarize(name: &str, bytes: &[u8], options: FormatOptions) -> Summary {
    let mut d = Dataset::new();
    d.read_bytes(name, bytes, options)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    d.summary(&Filter::default(), &all_codes())
}

/// Reads a fixture with format detection.
pub fn summarize_fixture(name: &str) -> Summary {
    summarize(name, &fixture(name), FormatOptions::default())
}

/// `expected.json`'s entry for a sample file.
pub fn expected(file: &str) -> Value {
    let v: Value = serde_json::from_slice(&fixture("expected.json")).expect("expected.json");
    v["files"][file].clone()
}

/// Asserts `actual` equals `expected` once rounded to `places` decimals (as expected.json
/// rounds with Python's `round`), or that both are absent.
pub fn assert_rounded(what: &str, actual: Option<f64>, expected: &Value, places: i32) {
    match (actual, expected.as_f64()) {
        (None, None) => {}
        (Some(a), Some(e)) => {
            let tol = 0.5 * 10f64.powi(-places) + 1e-9;
            assert!(
                (a - e).abs() <= tol,
                "{what}: {a} does not round to {e} ({places} places)"
            );
        }
        (a, _) => panic!("{what}: got {a:?}, expected {expected}"),
    }
}

/// Asserts one group's KPIs against an expected.json accumulator result; PDD and NER only when
/// asked (the files that cannot reproduce them say why in the caller).
pub fn assert_kpis(what: &str, k: &Kpis, e: &Value, check_ner: bool) {
    assert_eq!(
        k.attempts,
        e["attempts"].as_u64().unwrap(),
        "{what}: attempts"
    );
    assert_eq!(
        k.answered,
        e["answered"].as_u64().unwrap(),
        "{what}: answered"
    );
    assert_eq!(
        k.total_hold_s,
        e["total_hold_s"].as_u64().unwrap(),
        "{what}: total_hold_s"
    );
    assert_rounded(&format!("{what}: asr"), k.asr, &e["asr"], 4);
    assert_rounded(&format!("{what}: acd_s"), k.acd_s, &e["acd_s"], 2);
    assert_eq!(
        k.short_calls,
        e["short_lt_6s"].as_u64().unwrap(),
        "{what}: short calls"
    );
    assert_rounded(&format!("{what}: sdr"), k.sdr, &e["sdr_lt_6s"], 4);
    if check_ner {
        assert_eq!(
            k.ner_effective,
            e["ner_effective"].as_u64(),
            "{what}: ner_effective"
        );
        assert_rounded(&format!("{what}: ner"), k.ner, &e["ner"], 4);
        assert_rounded(
            &format!("{what}: ner_incl_487"),
            k.ner_incl_487,
            &e["ner_incl_487"],
            4,
        );
    }
}

/// The code counts of a group as (code, count), in expected.json's order.
pub fn code_counts(codes: &[cdrscope::summary::CodeCount]) -> Vec<(String, u64)> {
    codes.iter().map(|c| (c.code.clone(), c.count)).collect()
}

/// expected.json's `code_counts` as (code, count), most frequent first, then by name.
pub fn expected_codes(e: &Value) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = e["code_counts"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, n)| (k.clone(), n.as_u64().unwrap()))
        .collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// The group called `name`.
pub fn group<'a>(groups: &'a [GroupKpis], name: &str) -> &'a GroupKpis {
    groups
        .iter()
        .find(|g| g.name == name)
        .unwrap_or_else(|| panic!("no group {name:?} in {:?}", names(groups)))
}

/// The names of the groups, in order.
pub fn names(groups: &[GroupKpis]) -> Vec<&str> {
    groups.iter().map(|g| g.name.as_str()).collect()
}

/// Splits text into CSV records (quotes, doubled quotes and quoted newlines handled), at most
/// `limit` of them: the detection sample, built independently of the reader.
pub fn records(text: &str, delimiter: char, limit: usize) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == delimiter && !quoted => row.push(std::mem::take(&mut field)),
            '\r' if !quoted => {}
            '\n' if !quoted => {
                row.push(std::mem::take(&mut field));
                out.push(std::mem::take(&mut row));
                if out.len() >= limit {
                    return out;
                }
            }
            c => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        out.push(row);
    }
    out
}
