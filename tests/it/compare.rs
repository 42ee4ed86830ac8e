//! `compare` on generated traffic: an injected change is found and ranked first; two halves of
//! unchanged traffic report none; the command prints the same.

use crate::traffic;

use cdrscope::analysis::compare::{compare, compare_at, compare_since};
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
        assert!(c
            .groups
            .iter()
            .all(|g| !g.asr_significant && g.moved_to.is_none()));
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

/// After: GW_A answers 408 to a third of its attempts, and half of its other attempts go to GW_C
/// instead, where a third of them fail with 503 (a route change onto a weaker vendor). Returns
/// how many attempts moved.
fn shift_gw_a_to_gw_c(rows: &mut [traffic::Row]) -> usize {
    break_gw_a(rows);
    let mut moved = 0;
    for (i, r) in rows.iter_mut().filter(|r| r.egress == "GW_A").enumerate() {
        if i % 3 != 0 && i % 2 == 1 {
            r.egress = "GW_C".into();
            moved += 1;
            if moved % 3 == 0 {
                r.code = "503".into();
                r.hold_s = 0;
                r.pdd_ms = 0;
            }
        }
    }
    moved
}

#[test]
fn moved_traffic_is_named_with_the_gainer_asr() {
    let before = traffic::ordinary(21, 0, 2 * 3600, 2.0);
    let mut after = traffic::ordinary(22, 2 * 3600, 4 * 3600, 2.0);
    let moved = shift_gw_a_to_gw_c(&mut after);
    assert_eq!(moved, 1235);
    let c = compare_since(
        &summary(&before),
        &summary(&after),
        Some("2025-03-10 02:00"),
    );
    assert_eq!(
        (c.groups[0].dimension, c.groups[0].name.as_str()),
        ("egress", "GW_A")
    );
    let a = &c.groups[0];
    let m = a.moved_to.as_ref().expect("a move from GW_A");
    // Counted at after's volume from before's shares: 1100 of the 1235 really moved (GW_A
    // carried a little less of each destination before than the generator's average).
    assert_eq!((m.to.as_str(), m.attempts), ("GW_C", 1100));
    assert!((m.attempts as f64 - moved as f64).abs() < 0.15 * moved as f64);
    assert_eq!(m.destinations, ["86", "49", "1", "63", "44"]);
    assert_eq!(
        c.statements[0].en,
        "after 2025-03-10 02:00, gateway GW_A: ASR went from 51.4% to 24.5% (3541 → 2469 \
         attempts; 664 answered calls lost); its traffic moved to GW_C (about 1100 attempts to 86, \
         49, 1, …), whose ASR fell from 50.2% to 46.1%"
    );
    assert_eq!(
        c.statements[0].es,
        "desde 2025-03-10 02:00, gateway GW_A: el ASR pasó de 51.4% a 24.5% (3541 → 2469 \
         intentos; 664 llamadas contestadas perdidas); su tráfico pasó a GW_C (unos 1100 intentos \
         a 86, 49, 1, …), cuyo ASR bajó de 50.2% a 46.1%"
    );
    assert_eq!(
        c.statements[1].en,
        "after 2025-03-10 02:00, gateway GW_A: the 408 share went from 0.0% to 50.0% (0 → 1235 calls)"
    );
    // The timeout outcome moved exactly as 408 did: counted, not said twice.
    let timeout = a.outcomes.iter().find(|o| o.code == "timeout").unwrap();
    assert_eq!((timeout.before_count, timeout.after_count), (0, 1235));
    assert!(timeout.significant);
    assert!(!c.statements.iter().any(|s| s.en.contains("timeout share")));
    // GW_C gained, so it has no move of its own; its 503s are stated.
    let gw_c = c
        .groups
        .iter()
        .find(|g| g.dimension == "egress" && g.name == "GW_C")
        .unwrap();
    assert_eq!(gw_c.moved_to, None);
    assert!(c.statements.iter().any(|s| s.en
        == "after 2025-03-10 02:00, gateway GW_C: the 503 share went from 0.4% to 8.7% (13 → 423 calls)"));
}

/// GW_B fails 2 % of its attempts with each of 500, 502 and 503: no code moves by 3 points,
/// but the "vendor unavailable" outcome moves by 6.
#[test]
fn outcome_share_change_is_found_when_no_single_code_is() {
    let before = traffic::ordinary(21, 0, 2 * 3600, 2.0);
    let mut after = traffic::ordinary(22, 2 * 3600, 4 * 3600, 2.0);
    let mut n = [0u64; 3];
    for (i, r) in after.iter_mut().filter(|r| r.egress == "GW_B").enumerate() {
        if i % 50 < 3 {
            r.code = ["500", "502", "503"][i % 50].into();
            n[i % 50] += 1;
            r.hold_s = 0;
            r.pdd_ms = 0;
        }
    }
    let c = compare(&summary(&before), &summary(&after));
    let b = c
        .groups
        .iter()
        .find(|g| g.dimension == "egress" && g.name == "GW_B")
        .unwrap();
    assert!(b.codes.iter().all(|s| !s.significant), "{:?}", b.codes);
    let u = b.outcomes.iter().find(|o| o.code == "unavailable").unwrap();
    assert!(u.significant);
    assert_eq!(n, [143, 143, 143]);
    assert_eq!((u.before_count, u.after_count), (19, 441));
    assert_eq!(
        c.statements[1].en,
        "gateway GW_B: the vendor unavailable share went from 0.3% to 6.2% (19 → 441 calls)"
    );
    assert_eq!(
        c.statements[1].es,
        "gateway GW_B: la proporción de proveedor no disponible pasó de 0.3% a 6.2% (19 → 441 llamadas)"
    );
}

#[test]
fn split_at_compares_two_windows_of_one_load() {
    let dir = std::env::temp_dir().join(format!("cdrscope-split-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut rows = traffic::ordinary(21, 0, 2 * 3600, 2.0);
    let mut after = traffic::ordinary(22, 2 * 3600, 4 * 3600, 2.0);
    shift_gw_a_to_gw_c(&mut after);
    rows.extend(after);
    let file = dir.join("day.csv");
    std::fs::write(&file, traffic::csv(&rows)).unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_cdrscope"))
            .arg("compare")
            .arg(&file)
            .args(args)
            .output()
            .unwrap()
    };
    // 02:00 UTC is 10:00 at +08:00.
    let out = run(&[
        "--split-at",
        "2025-03-10T10:00",
        "--tz",
        "+08:00",
        "--format",
        "vos3000",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    // Calls are placed by their end, so the windows differ a little from the two halves.
    assert!(
        text.starts_with(
            "significant changes:\n  after 2025-03-10 10:00, gateway GW_A: ASR went from 51.2% to \
             25.1% (3511 → 2499 attempts; 653 answered calls lost); its traffic moved to GW_C \
             (about 1093 attempts to 86, 1, 49, …), whose ASR fell from 50.0% to 46.3%\n  after \
             2025-03-10 10:00, gateway GW_A: the 408 share went from 0.0% to 49.4% (0 → 1235 calls)\n"
        ),
        "{text}"
    );
    assert!(text.contains(
        "\negress      GW_A                     3511 → 2499     51.2% → 25.1%       88 → 89   \
         10671 → 11300   78.4% → 40.5%  -20.4    653 *\n"
    ));
    let out = run(&["--split-at", "2025-03-10T10:00", "--tz", "+08:00", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["since"], "2025-03-10 10:00");
    assert_eq!(v["groups"][0]["moved_to"]["to"], "GW_C");
    assert_eq!(v["groups"][0]["moved_to"]["attempts"], 1093);
    let timeout = &v["groups"][0]["outcomes"][0];
    assert_eq!(
        (&timeout["code"], &timeout["after_count"]),
        (&"timeout".into(), &1235.into())
    );
    // The same moment in UTC, written with seconds, splits the same.
    let out = run(&["--split-at", "2025-03-10 02:00:00", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["since"], "2025-03-10 02:00");
    assert_eq!(v["groups"][0]["moved_to"]["attempts"], 1093);
    // At +08:00, 02:00 local is before the first call: nothing before, so nothing is significant.
    let out = run(&["--split-at", "2025-03-10T02:00", "--tz", "+08:00", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["statements"], serde_json::json!([]));
    let err = |args: &[&str]| {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2));
        String::from_utf8(out.stderr).unwrap()
    };
    assert_eq!(
        err(&["--split-at", "10:00"]),
        "cdrscope: bad --split-at \"10:00\": use 2026-01-05T14:00 (local time)\n"
    );
    assert_eq!(
        err(&[]),
        "cdrscope: compare takes BEFORE and AFTER (1 given), or FILES with --split-at\n"
    );
    assert!(err(&["--split-at", "2025-03-10T10:00", "--format", "nope"])
        .starts_with("cdrscope: unknown format \"nope\""));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn compare_at_keeps_the_filter_and_splits_by_time() {
    let mut rows = traffic::ordinary(21, 0, 2 * 3600, 2.0);
    let mut after = traffic::ordinary(22, 2 * 3600, 4 * 3600, 2.0);
    shift_gw_a_to_gw_c(&mut after);
    rows.extend(after);
    let data = traffic::dataset(&rows);
    let split = traffic::T0 + 2 * 3600 * 1000;
    let all = compare_at(&data, &Filter::default(), &SummaryOptions::default(), split);
    assert_eq!(all.since.as_deref(), Some("2025-03-10 02:00"));
    let a = &all.groups[0];
    assert_eq!(
        (a.name.as_str(), a.before.attempts, a.after.attempts),
        ("GW_A", 3511, 2499)
    );
    // Only CUST_A's calls: the same change, on a quarter of the traffic.
    let cust_a = Filter {
        ingress: vec!["CUST_A".into()],
        ..Filter::default()
    };
    let c = compare_at(&data, &cust_a, &SummaryOptions::default(), split);
    assert!(c
        .groups
        .iter()
        .filter(|g| g.dimension == "ingress")
        .all(|g| g.name == "CUST_A"));
    let a = c.groups.iter().find(|g| g.name == "GW_A").unwrap();
    assert!(a.asr_significant);
    assert_eq!((a.before.attempts, a.after.attempts), (912, 631));
    // A time filter ending before the split leaves nothing after.
    let early = Filter {
        to_ms: Some(traffic::T0 + 3600 * 1000),
        ..Filter::default()
    };
    let c = compare_at(&data, &early, &SummaryOptions::default(), split);
    assert!(c.groups.iter().all(|g| g.after.attempts == 0));
    assert!(c.statements.is_empty());
}

/// A call on `egress` starting `start_s` after 2026-01-05 09:58:00 UTC: answered (`-8`, 30 s) or
/// refused with `code`.
fn set_call(start_s: i64, egress: &str, code: &str) -> traffic::Row {
    traffic::Row {
        caller: "8613800000000".into(),
        callee: "8613900000000".into(),
        ingress: "CUST".into(),
        egress: egress.into(),
        start_ms: 1_767_607_080_000 + start_s * 1000,
        pdd_ms: 0,
        hold_s: if code == "-8" { 30 } else { 0 },
        code: code.into(),
    }
}

#[test]
fn two_file_sets_compare_under_the_filter_without_its_times() {
    use cdrscope::analysis::compare::compare_sets;
    // Before: GW_1 2 of 4 answered, GW_2 1 of 1. After, a day later: GW_1 1 of 5, GW_2 1 of 1.
    let before = [
        set_call(0, "GW_1", "-8"),
        set_call(10, "GW_1", "-8"),
        set_call(20, "GW_1", "503"),
        set_call(30, "GW_1", "486"),
        set_call(40, "GW_2", "-8"),
    ];
    let after: Vec<traffic::Row> = [
        set_call(0, "GW_1", "-8"),
        set_call(10, "GW_1", "503"),
        set_call(20, "GW_1", "503"),
        set_call(30, "GW_1", "503"),
        set_call(40, "GW_1", "486"),
        set_call(50, "GW_2", "-8"),
    ]
    .into_iter()
    .map(|mut r| {
        r.start_ms += 86_400_000;
        r
    })
    .collect();
    let (b, a) = (traffic::dataset(&before), traffic::dataset(&after));
    let opts = SummaryOptions::default();
    // A time window of before's day only: dropped, or after would be empty.
    let filter = Filter {
        egress: vec!["GW_1".into()],
        from_ms: Some(1_767_607_080_000),
        to_ms: Some(1_767_607_080_000 + 3_600_000),
        ..Filter::default()
    };
    let c = compare_sets(&b, &a, &filter, &opts);
    let gw1 = c
        .groups
        .iter()
        .find(|g| g.dimension == "egress" && g.name == "GW_1")
        .unwrap();
    assert_eq!((gw1.before.attempts, gw1.after.attempts), (4, 5));
    assert_eq!((gw1.before.asr, gw1.after.asr), (Some(0.5), Some(0.2)));
    // The egress filter holds: GW_2 is in neither side.
    assert!(!c.groups.iter().any(|g| g.name == "GW_2"));
    // With no filter it is the command's comparison of the two sets.
    let all = compare_sets(&b, &a, &Filter::default(), &opts);
    let no_findings = SummaryOptions {
        findings: false,
        ..opts
    };
    assert_eq!(
        all,
        compare(
            &b.summary(&Filter::default(), &no_findings),
            &a.summary(&Filter::default(), &no_findings)
        )
    );
}
