//! Detection: every fixture is recognised as its own format, for the reason it should be, and
//! no other format's `detect` claims it.

use crate::common;

use cdrscope::formats::{
    asterisk, cucm, freeswitch, kamailio, prosbc, threecx, vos3000, Candidate,
};
use common::*;

/// (fixture, format id, delimiter, words the reason must contain).
const FIXTURES: [(&str, &str, char, &[&str]); 9] = [
    (
        "vos3000_cdr_en.csv",
        "vos3000",
        ',',
        &["e_cdr column names", "endreason"],
    ),
    (
        "vos3000_cdr_zh_gb18030.csv",
        "vos3000",
        ',',
        &["Chinese client labels"],
    ),
    (
        "asterisk_Master.csv",
        "asterisk",
        ',',
        &["Master.csv", "18 columns", "disposition"],
    ),
    (
        "asterisk_cdr_table.tsv",
        "asterisk",
        '\t',
        &["SQL cdr table", "calldate"],
    ),
    (
        "freeswitch_Master.csv",
        "freeswitch",
        ',',
        &["example template", "15 columns", "NORMAL_CLEARING"],
    ),
    (
        "freeswitch_custom_Master.csv",
        "freeswitch",
        ',',
        &["example template", "sip_term_status", "progress_mediasec"],
    ),
    (
        "freeswitch_custom_header.csv",
        "freeswitch",
        ',',
        &["FreeSWITCH channel variables", "hangup_cause"],
    ),
    (
        "kamailio_acc.csv",
        "kamailio",
        ',',
        &["Kamailio/OpenSIPS acc columns", "callid", "sip_code"],
    ),
    (
        "cucm_cdr.csv",
        "cucm",
        ',',
        &["Cisco CUCM", "origCause_value", "column types"],
    ),
];

fn text_of(name: &str) -> String {
    let bytes = fixture(name);
    if name.contains("gb18030") {
        encoding_rs::GB18030.decode(&bytes).0.into_owned()
    } else {
        String::from_utf8(bytes).unwrap()
    }
}

type Detect = fn(&[Vec<String>]) -> Option<Candidate>;

const DETECTORS: [(&str, Detect); 7] = [
    ("vos3000", vos3000::detect),
    ("asterisk", asterisk::detect),
    ("freeswitch", freeswitch::detect),
    ("kamailio", kamailio::detect),
    ("cucm", cucm::detect),
    ("threecx", threecx::detect),
    ("prosbc", prosbc::detect),
];

#[test]
fn every_fixture_is_detected_as_its_own_format() {
    for (name, id, _, words) in FIXTURES {
        let s = summarize_fixture(name);
        assert_eq!(s.format, id, "{name}: {}", s.format_reason);
        for w in words {
            assert!(
                s.format_reason.contains(w),
                "{name}: {:?} lacks {w:?}",
                s.format_reason
            );
        }
        assert!(
            s.format_confidence >= 0.9,
            "{name}: {}",
            s.format_confidence
        );
        assert_eq!(s.rows.rejected, 0, "{name}");
    }
}

#[test]
fn no_format_claims_another_formats_sample() {
    for (name, id, delimiter, _) in FIXTURES {
        let sample = records(&text_of(name), delimiter, 40);
        assert_eq!(sample.len(), 40, "{name}");
        for (other, detect) in DETECTORS {
            let c = detect(&sample);
            if other == id {
                assert!(c.is_some(), "{name}: {other} does not claim its own sample");
            } else {
                assert_eq!(c, None, "{name}: {other} claims it");
            }
        }
    }
}

#[test]
fn the_generic_sample_needs_a_mapping() {
    let mut d = cdrscope::Dataset::new();
    let err = d
        .read_bytes("g.csv", &fixture("generic_carrier.csv"), Default::default())
        .unwrap_err();
    assert!(
        err.message
            .starts_with("not a recognised CDR format (first row starts [\"Fecha Inicio\""),
        "{}",
        err.message
    );
    let sample = records(&text_of("generic_carrier.csv"), ';', 40);
    for (other, detect) in DETECTORS {
        assert_eq!(detect(&sample), None, "{other} claims the generic sample");
    }
}
