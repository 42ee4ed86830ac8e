//! The real-file corpus: every public CDR file in `tests/fixtures/real/` is auto-detected and
//! gives exactly the figures that `tests/real/expect.py` computes independently (standard-library
//! Python from the systems' documentation and docs/outcomes.md, never from cdrscope).
//!
//! `PENDING` lists the files cdrscope does not read right yet, each with why; the test fails
//! when a listed file starts to match (take it off the list) and when any other file does not.

use cdrscope::analysis::{Dataset, Filter, SummaryOptions};
use cdrscope::inputs::{self, InputOptions};
use serde_json::Value;
use std::collections::BTreeMap;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/real");

/// Files not read right yet, and why.
const PENDING: &[(&str, &str)] = &[];

/// cdrscope's format id for the expectation's `expected_format` (the script names variants).
fn format_id(expected: &str) -> &str {
    match expected {
        "asterisk_custom" | "asterisk_cdr_table" | "asterisk_ami" => "asterisk",
        "freeswitch_xml" | "freeswitch_json" | "cdr_stats_import" => "freeswitch",
        "carrier_log" => "carrier",
        // One reader for Kamailio and OpenSIPS acc records, whatever the backend wrote them.
        "opensips_flatstore" => "kamailio",
        other => other,
    }
}

/// What cdrscope makes of one file, as the same figures the script writes.
fn figures(rel: &str) -> Result<Value, String> {
    let path = format!("{CORPUS}/{rel}");
    let bytes = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
    let mut data = Dataset::new();
    let name = rel.rsplit('/').next().unwrap_or(rel);
    inputs::read_bytes_into(&mut data, name, &bytes, &InputOptions::default())
        .map_err(|e| e.to_string())?;
    let s = data.summary(&Filter::default(), &SummaryOptions::default());
    if let Some(e) = s.files.iter().find_map(|f| f.error.clone()) {
        return Err(e);
    }
    let counts = |v: &[cdrscope::summary::NamedCount]| -> BTreeMap<String, u64> {
        v.iter().map(|c| (c.name.clone(), c.count)).collect()
    };
    let dests: BTreeMap<String, u64> = s
        .by_destination
        .iter()
        .map(|g| (g.name.clone(), g.kpis.attempts))
        .collect();
    let o = &s.overall;
    Ok(serde_json::json!({
        "format": s.format,
        "rows": s.rows.data,
        "rejected": s.rows.rejected,
        "duplicates": s.rows.duplicates,
        "attempts": o.attempts,
        "answered": o.answered,
        "talk_s": o.total_hold_s,
        "outcomes": counts(&s.by_outcome),
        "destinations": dests,
    }))
}

/// The differences between cdrscope's figures and the script's, in words.
fn differences(rel: &str, want: &Value) -> Vec<String> {
    let expected_format = want["expected_format"].as_str().unwrap_or("");
    let got = match figures(rel) {
        Ok(v) => v,
        Err(e) if expected_format == "cucm_cmr" && e.contains("CMR") => return Vec::new(),
        Err(e) => return vec![format!("not read: {e}")],
    };
    if expected_format == "cucm_cmr" {
        return vec!["a CMR file must be refused as such, not read as calls".into()];
    }
    let mut out = Vec::new();
    if got["format"] != format_id(expected_format) {
        out.push(format!(
            "format {} (want {})",
            got["format"],
            format_id(expected_format)
        ));
    }
    for key in [
        "rows",
        "rejected",
        "duplicates",
        "attempts",
        "answered",
        "talk_s",
        "outcomes",
        "destinations",
    ] {
        if got[key] != want[key] {
            out.push(format!("{key} {} (want {})", got[key], want[key]));
        }
    }
    out
}

#[test]
fn every_real_file_matches_its_independent_figures() {
    let expected: BTreeMap<String, Value> = serde_json::from_slice(
        &std::fs::read(format!("{CORPUS}/expected.json")).expect("expected.json"),
    )
    .expect("expected.json parses");
    assert!(expected.len() >= 30, "{} files", expected.len());
    let mut failing = Vec::new();
    let mut fixed = Vec::new();
    for (rel, want) in &expected {
        let diff = differences(rel, want);
        let pending = PENDING.iter().any(|(p, _)| p == rel);
        match (diff.is_empty(), pending) {
            (false, false) => failing.push(format!("{rel}: {}", diff.join("; "))),
            (true, true) => fixed.push(rel.clone()),
            _ => {}
        }
    }
    for (p, _) in PENDING {
        assert!(
            expected.contains_key(*p),
            "PENDING names {p}, not in the corpus"
        );
    }
    assert!(
        failing.is_empty() && fixed.is_empty(),
        "\nfiles that do not match:\n  {}\nfiles that match now (take them off PENDING):\n  {}\n",
        failing.join("\n  "),
        fixed.join("\n  ")
    );
}

/// The corpus's expectations are what the script writes today (run `tests/real/expect.py`
/// after changing a reader or the rules).
#[test]
fn the_expectations_are_up_to_date() {
    let out = std::process::Command::new("python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/real/expect.py"))
        .arg("--check")
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
