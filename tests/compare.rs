//! `compare` on generated traffic: an injected change is found and ranked first; two halves of
//! unchanged traffic report none; the command prints the same.

mod traffic;

use cdrscope::analysis::compare::compare;
use cdrscope::analysis::{Filter, SummaryOptions};
use cdrscope::summary::Summary;

fn summary(rows: &[traffic::Row]) -> Summary {
    traffic::dataset(rows).summary(&Filter::default(), &SummaryOptions::default())
}

/// GW_A answers 408 (no PDD) to every third of its attempts that would otherwise ring.
fn break_gw_a(rows: &mut [traffic::Row]) {
    for (i, r) in rows.iter_mut().filter(|r| r.egress == "GW_A").enumerate() {
        if i % 3 == 0 {
            r.code = "408".into();
            r.hold_s = 0;
            r.pdd_ms = 0;
        }
    }
}

#[test]
fn injected_change_is_found_first() {
    let before = traffic::ordinary(21, 0, 2 * 3600, 2.0);
    let mut after = traffic::ordinary(22, 2 * 3600, 4 * 3600, 2.0);
    break_gw_a(&mut after);
    let c = compare(&summary(&before), &summary(&after));
    let top = &c.groups[0];
    assert_eq!((top.dimension, top.name.as_str()), ("egress", "GW_A"));
    assert!(top.asr_significant && top.asr_z < -5.0, "{top:?}");
    let c408 = top.codes.iter().find(|s| s.code == "408").unwrap();
    assert_eq!(c408.before_count, 0);
    assert!(c408.significant);
    let en: Vec<&str> = c.statements.iter().map(|s| s.en.as_str()).collect();
    assert!(
        en.iter()
            .any(|s| s.starts_with("gateway GW_A: ASR went from ")),
        "{en:?}"
    );
    assert!(
        en.iter()
            .any(|s| s.starts_with("gateway GW_A: the 408 share went from 0.0% to 3")),
        "{en:?}"
    );
    assert!(c.statements.iter().any(|s| s
        .es
        .starts_with("gateway GW_A: la proporción de 408 pasó de 0.0% a 3")));
    // The other gateways did not change.
    assert!(
        !en.iter().any(|s| s.contains("GW_B") || s.contains("GW_C")),
        "{en:?}"
    );
}

#[test]
fn unchanged_halves_report_nothing() {
    for seed in [31, 41] {
        let before = traffic::ordinary(seed, 0, 2 * 3600, 2.0);
        let after = traffic::ordinary(seed + 1, 2 * 3600, 4 * 3600, 2.0);
        let c = compare(&summary(&before), &summary(&after));
        assert!(c.statements.is_empty(), "seed {seed}: {:?}", c.statements);
        assert!(c.groups.iter().all(|g| !g.asr_significant));
        assert_eq!(c.groups.len(), 3 + 4 + 5);
    }
}

#[test]
fn command_prints_the_comparison() {
    let dir = std::env::temp_dir().join(format!("cdrscope-compare-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let before = traffic::ordinary(21, 0, 2 * 3600, 2.0);
    let mut after = traffic::ordinary(22, 2 * 3600, 4 * 3600, 2.0);
    break_gw_a(&mut after);
    std::fs::write(dir.join("before.csv"), traffic::csv(&before)).unwrap();
    std::fs::write(dir.join("after.csv"), traffic::csv(&after)).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cdrscope"))
        .arg("compare")
        .arg(dir.join("before.csv"))
        .arg(dir.join("after.csv"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("significant changes:\n  gateway GW_A: ASR went from "),
        "{text}"
    );
    let json = std::process::Command::new(env!("CARGO_BIN_EXE_cdrscope"))
        .arg("compare")
        .arg(dir.join("before.csv"))
        .arg(&dir)
        .arg("--json")
        .output()
        .unwrap();
    // A folder holds both files: after = before + after, still a change.
    assert!(json.status.success());
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["groups"][0]["name"], "GW_A");
    let report = std::process::Command::new(env!("CARGO_BIN_EXE_cdrscope"))
        .arg("report")
        .arg(dir.join("before.csv"))
        .output()
        .unwrap();
    let text = String::from_utf8(report.stdout).unwrap();
    assert!(text.contains("\nconcurrent calls: peak "), "{text}");
    assert!(text.contains("\n  egress GW_B "), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}
