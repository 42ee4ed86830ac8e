//! Panels without data: an Asterisk export has no post-dial delay and no hang-up side, the
//! VOS3000 demo has both; a summary of no call lacks nothing (the page shows an error card).

use cdrscope::page_panels::{missing, MissingData};
use cdrscope::{Dataset, Filter, FormatOptions, Summary, SummaryOptions};

fn summary(path: &str) -> Summary {
    let bytes = std::fs::read(path).unwrap();
    let mut d = Dataset::new();
    d.read_bytes(path, &bytes, FormatOptions::default())
        .unwrap();
    d.summary(&Filter::default(), &SummaryOptions::default())
}

#[test]
fn asterisk_has_no_pdd_and_no_hangup_side() {
    let s = summary("tests/fixtures/asterisk_Master.csv");
    assert_eq!(s.overall.attempts, 400);
    assert_eq!(missing("pdd", &s), Some(MissingData::PostDialDelay));
    assert_eq!(missing("direction", &s), Some(MissingData::HangupSide));
    assert_eq!(missing("codes", &s), None);
    assert_eq!(MissingData::PostDialDelay.text_key(), "no_pdd");
}

#[test]
fn the_vos3000_demo_has_every_panel() {
    let s = summary("www/demo_vos3000_cdr.csv");
    assert_eq!(s.overall.attempts, 2000);
    for key in ["pdd", "direction", "codes", "timeline"] {
        assert_eq!(missing(key, &s), None, "{key}");
    }
}

#[test]
fn no_call_lacks_nothing() {
    let s = summary("tests/fixtures/bad/header_only.csv");
    assert_eq!(s.overall.attempts, 0);
    assert_eq!(missing("pdd", &s), None);
}
