//! Scanner and toll-fraud findings: attacks injected into ordinary generated traffic are
//! found, in English and Spanish, with their rows; ordinary traffic alone raises nothing.

use crate::traffic;

use cdrscope::analysis::{Filter, SummaryOptions};
use cdrscope::summary::Summary;

fn summary(rows: &[traffic::Row]) -> Summary {
    traffic::dataset(rows).summary(&Filter::default(), &SummaryOptions::default())
}

fn rules(s: &Summary) -> Vec<&str> {
    s.findings.iter().map(|f| f.rule.as_str()).collect()
}

#[test]
fn injected_scanner_is_found() {
    let mut rows = traffic::ordinary(11, 0, 2 * 3600, 2.0);
    rows.extend(traffic::scanner("45.9.1.2", 1800, 300, 600));
    let s = summary(&rows);
    let f: Vec<_> = s.findings.iter().filter(|f| f.rule == "scanner").collect();
    assert_eq!(f.len(), 1, "{:?}", rules(&s));
    let f = f[0];
    // The attack leads the list: its refusals also show as symptoms (calls refused before any
    // gateway, a failing prefix), which rank after their cause.
    assert_eq!(s.findings[0].rule, "scanner", "{:?}", rules(&s));
    assert_eq!(f.subject, "45.9.1.2");
    assert_eq!(
        f.title,
        "45.9.1.2: SIP scanner or INVITE flood, 100.0% of attempts refused with 403/404"
    );
    assert!(f.evidence.starts_with("600 of 600 attempts from 45.9.1.2 were refused with 403/404 (100.0%), to 600 different caller–callee pairs, 0 answered; up to 120 attempts in one minute"), "{}", f.evidence);
    assert!(f.action.contains("iptables"));
    assert!(f
        .text("es")
        .unwrap()
        .title
        .starts_with("45.9.1.2: escáner SIP"));
    assert_eq!(f.rows.ingress, vec!["45.9.1.2".to_string()]);
    assert_eq!(f.rows.code, vec!["403".to_string(), "404".to_string()]);
}

#[test]
fn injected_toll_fraud_is_found() {
    let mut rows = traffic::ordinary(13, 0, 3 * 3600, 2.0);
    rows.extend(traffic::fraud("CUST_C", "88216", 9000, 60));
    let s = summary(&rows);
    let f: Vec<_> = s
        .findings
        .iter()
        .filter(|f| f.rule == "toll_fraud")
        .collect();
    let dests: Vec<&str> = s.by_destination.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(f.len(), 1, "{:?} {dests:?}", rules(&s));
    let f = f[0];
    assert_eq!(f.subject, "CUST_C");
    assert_eq!(
        f.title,
        "CUST_C: possible toll fraud, 60 answered calls to new destinations 882"
    );
    assert!(
        f.evidence.contains("sent 60 calls (60 answered) to 882"),
        "{}",
        f.evidence
    );
    assert!(
        f.evidence.contains("up to 11 of them at once")
            || f.evidence.contains("up to 10 of them at once"),
        "{}",
        f.evidence
    );
    assert_eq!(format!("{:?}", f.severity), "Critical");
    assert!(f
        .text("es")
        .unwrap()
        .title
        .starts_with("CUST_C: posible fraude"));
    assert_eq!(f.filter.prefix, vec!["882".to_string()]);
}

#[test]
fn ordinary_traffic_raises_no_alarm() {
    for seed in [11, 13, 17] {
        let s = summary(&traffic::ordinary(seed, 0, 3 * 3600, 2.0));
        let r = rules(&s);
        for rule in ["scanner", "toll_fraud", "capacity_limit"] {
            assert!(!r.contains(&rule), "seed {seed}: {r:?}");
        }
    }
}
