//! OpenSIPS acc written through db_flatstore: header-less lines, the answered INVITE carrying
//! the CDR values (setuptime, created, duration, ms_duration) after `time`. Real lines pasted
//! in OpenSIPS issues #1780 and #1853 (tests/fixtures/real/opensips/SOURCES.md).

use crate::common;

use common::*;

#[test]
fn flatstore_cdr_values_give_the_talk_time() {
    let s = summarize_fixture("real/opensips/issue1853-flatstore-acc-excerpt.csv");
    assert_eq!(s.format, "kamailio");
    assert!(
        s.format_reason
            .contains("OpenSIPS CDR values (setuptime, created, duration, ms_duration)"),
        "{}",
        s.format_reason
    );
    assert_eq!(s.time_basis, "utc");
    assert_eq!((s.rows.data, s.rows.accepted, s.rows.rejected), (2, 2, 0));
    assert_eq!((s.overall.attempts, s.overall.answered), (2, 1));
    // duration 19 (ms_duration 19102).
    assert_eq!(s.overall.total_hold_s, 19);
    // The answered call starts at `created` (1570705606), is answered at `time` and ends 19 s
    // later; the 480 is placed at its own time (1570705435).
    let range = s.time_range.as_ref().unwrap();
    assert_eq!(
        (range.first_ms, range.last_ms),
        (1_570_705_435_000, 1_570_705_630_000)
    );
}

#[test]
fn flatstore_duration_is_the_rounded_seconds_not_truncated_ms() {
    let s = summarize_fixture("real/opensips/issue1780-flatstore-acc-excerpt.csv");
    assert_eq!(s.format, "kamailio");
    assert_eq!((s.overall.attempts, s.overall.answered), (2, 1));
    // duration 28 where ms_duration is 27531: OpenSIPS' own seconds are kept.
    assert_eq!(s.overall.total_hold_s, 28);
    let mut o: Vec<(String, u64)> = s
        .by_outcome
        .iter()
        .map(|c| (c.name.clone(), c.count))
        .collect();
    o.sort();
    assert_eq!(
        o,
        [("answered".to_string(), 1), ("unavailable".to_string(), 1)]
    );
}
