//! Concurrency and the capacity rule on generated traffic: an injected channel limit is found
//! within ±5 %, and ordinary traffic alone raises nothing.

mod traffic;

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
