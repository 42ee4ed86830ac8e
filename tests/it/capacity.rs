//! Concurrency and the capacity rule on generated traffic: an injected channel limit is found
//! within ±5 %, and ordinary traffic alone raises nothing.

use crate::traffic;

use cdrscope::analysis::{Filter, SummaryOptions};
use cdrscope::summary::Summary;

fn summary(rows: &[traffic::Row]) -> Summary {
    traffic::dataset(rows).summary(&Filter::default(), &SummaryOptions::default())
}

#[test]
fn injected_channel_limit_is_found() {
    let mut rows = traffic::ordinary(7, 0, 3 * 3600, 3.2);
    traffic::limit_channels(&mut rows, "GW_B", 120);
    let s = summary(&rows);
    let caps: Vec<_> = s
        .findings
        .iter()
        .filter(|f| f.rule == "capacity_limit")
        .collect();
    assert_eq!(caps.len(), 1, "{caps:#?}");
    let f = caps[0];
    assert_eq!(f.subject, "GW_B");
    let limit: f64 = f
        .params
        .iter()
        .find(|p| p.0 == "limit")
        .unwrap()
        .1
        .parse()
        .unwrap();
    assert!((114.0..=126.0).contains(&limit), "limit {limit}");
    assert!(
        f.title
            .starts_with("GW_B refuses with 503 whenever it carries ≥ "),
        "{}",
        f.title
    );
    assert!(f
        .text("es")
        .unwrap()
        .title
        .starts_with("GW_B rechaza con 503"));
    let load = s.load.as_ref().unwrap();
    assert_eq!(load.overall.calls, rows.len() as u64);
    // The chart's series: one value per timeline bucket, its highest the per-second peak, and
    // every 503 of GW_B marked once in the bucket of its start.
    let series = &load.series;
    assert_eq!(series.peak.len(), s.timeline.points.len());
    assert_eq!(
        series.peak.iter().max().copied(),
        Some(load.overall.peak_concurrent)
    );
    assert_eq!(series.refusals.len(), 1);
    assert_eq!(series.refusals[0].gateway, "GW_B");
    assert_eq!(series.refusals[0].codes, "503");
    let refused = rows
        .iter()
        .filter(|r| r.egress == "GW_B" && r.code == "503")
        .count();
    assert_eq!(
        series.refusals[0].per_bucket.iter().sum::<u32>() as usize,
        refused
    );
    println!("{}\n{}\n{}", f.title, f.evidence, f.action);
}

#[test]
fn ordinary_traffic_has_no_limit() {
    let rows = traffic::ordinary(7, 0, 3 * 3600, 3.2);
    let s = summary(&rows);
    let load = s.load.as_ref().unwrap();
    let b = load
        .by_egress_gateway
        .iter()
        .find(|g| g.name == "GW_B")
        .unwrap();
    // Unlimited, GW_B goes well past the 120 of the other test.
    assert!(b.peak_concurrent > 140, "{b:?}");
    assert!(b.p95_concurrent < b.peak_concurrent);
    assert!(load.overall.peak_cps >= load.overall.p95_cps);
    let rules: Vec<&str> = s.findings.iter().map(|f| f.rule.as_str()).collect();
    for r in ["capacity_limit", "scanner", "toll_fraud"] {
        assert!(!rules.contains(&r), "{rules:?}");
    }
}

/// A call of the small constructed set: start (s after 09:58:00 UTC), talk time, egress, code.
fn call(start_s: i64, hold_s: i64, egress: &str, code: &str) -> traffic::Row {
    traffic::Row {
        caller: "8613800000000".into(),
        callee: "8613900000000".into(),
        ingress: "CUST".into(),
        egress: egress.into(),
        // 2026-01-05 09:58:00 UTC.
        start_ms: 1_767_607_080_000 + start_s * 1000,
        pdd_ms: 0,
        hold_s,
        code: code.into(),
    }
}

#[test]
fn concurrency_series_exact() {
    // Seconds after 09:58:00: A 0..150 (began two minutes before the first call time, 10:00:00),
    // B 110..120 (its end is the first call time), C 130..230, G 140..145, D a 503 at 180
    // (holds its second), E 239..240 (ends on the 10:02 bucket edge), F 240..245 on GW_2.
    let rows = vec![
        call(0, 150, "GW_1", "-8"),
        call(110, 10, "GW_1", "-8"),
        call(130, 100, "GW_1", "-8"),
        call(140, 5, "GW_1", "-8"),
        call(180, 0, "GW_1", "503"),
        call(239, 1, "GW_1", "-8"),
        call(240, 5, "GW_2", "-8"),
    ];
    let s = summary(&rows);
    assert_eq!(s.timeline.bucket_min, 1);
    let labels: Vec<&str> = s.timeline.points.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "2026-01-05 10:00:00",
            "2026-01-05 10:01:00",
            "2026-01-05 10:02:00"
        ]
    );
    let load = s.load.as_ref().unwrap();
    // 10:00 bucket: 2 before it (A+B at 09:59:50), 3 at 10:00:20 (A+C+G); 10:01: C and D at
    // 10:01:00; 10:02: E ended as F began, 1.
    assert_eq!(load.series.peak, [3, 2, 1]);
    assert!(load.series.refusals.is_empty());
    // Per second from 09:58:00 to 10:02:05 (245 s): level 0 for 9 s, 1 for 205, 2 for 26, 3 for
    // 5; the 233rd second in order is at level 2.
    assert_eq!(load.overall.peak_concurrent, 3);
    assert_eq!(load.overall.p95_concurrent, 2);
    assert_eq!(
        load.overall.peak_concurrent_at_ms,
        Some(1_767_607_080_000 + 140_000)
    );
    // Narrowed to one egress gateway: its calls only.
    let gw2 = Filter {
        egress: vec!["GW_2".into()],
        ..Filter::default()
    };
    let s2 = traffic::dataset(&rows).summary(&gw2, &SummaryOptions::default());
    assert_eq!(s2.load.unwrap().series.peak, [1]);
}

fn cps_findings(rows: &[traffic::Row]) -> Vec<cdrscope::analysis::findings::Finding> {
    summary(rows)
        .findings
        .into_iter()
        .filter(|f| f.rule == "cps_limit")
        .collect()
}

fn param<'a>(f: &'a cdrscope::analysis::findings::Finding, key: &str) -> &'a str {
    &f.params.iter().find(|p| p.0 == key).unwrap().1
}

#[test]
fn injected_cps_limit_is_found() {
    // 30 attempts/s on average, half of them to GW_B (about 15/s, up to 24/s at the peaks).
    let mut rows = traffic::ordinary(9, 0, 1800, 30.0);
    traffic::limit_cps(&mut rows, "GW_B", 18);
    let cps = cps_findings(&rows);
    assert_eq!(cps.len(), 1, "{cps:#?}");
    let f = &cps[0];
    assert_eq!(f.subject, "GW_B");
    assert_eq!(
        f.title,
        "GW_B refuses with 503 whenever it receives more than 18 attempts/s: its CPS limit is about 18"
    );
    assert_eq!(
        f.evidence,
        "In 828 of the 917 seconds in which GW_B received clearly more than 18 attempts, some were \
         refused with 503: 6069 of 27929 attempts in seconds above 18, against 29 of 5085 in \
         seconds with at most 16 (first at 2025-03-10 00:00); in the seconds with refusals it \
         accepted 18 attempts (median)."
    );
    assert!(f
        .text("es")
        .unwrap()
        .title
        .starts_with("GW_B rechaza con 503 siempre que recibe más de 18 intentos/s"));
    // "show these calls": GW_B's 503s.
    assert_eq!(f.filter.egress, ["GW_B"]);
    // A higher limit on a busier gateway, within ±5 %.
    let mut rows = traffic::ordinary(10, 0, 1800, 60.0);
    traffic::limit_cps(&mut rows, "GW_B", 33);
    let cps = cps_findings(&rows);
    assert_eq!(cps.len(), 1, "{cps:#?}");
    let limit: f64 = param(&cps[0], "limit").parse().unwrap();
    assert!((31.35..=34.65).contains(&limit), "limit {limit}");
}

#[test]
fn no_cps_limit_without_one() {
    // Busy ordinary traffic: 503s only at the background 0.3 %.
    let rows = traffic::ordinary(9, 0, 1800, 30.0);
    assert_eq!(cps_findings(&rows), []);
    // 503 on a fifth of GW_B's attempts whatever the rate: refusals at every rate.
    let mut rows = traffic::ordinary(9, 0, 1800, 30.0);
    for (i, r) in rows.iter_mut().filter(|r| r.egress == "GW_B").enumerate() {
        if i % 5 == 0 {
            r.code = "503".into();
            r.pdd_ms = 0;
            r.hold_s = 0;
        }
    }
    assert_eq!(cps_findings(&rows), []);
    // A channel limit is not a CPS limit.
    let mut rows = traffic::ordinary(7, 0, 3 * 3600, 3.2);
    traffic::limit_channels(&mut rows, "GW_B", 120);
    assert_eq!(cps_findings(&rows), []);
}
