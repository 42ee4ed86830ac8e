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
