//! TelcoBridges ProSBC text CDRs: `<time>,BEG|UPD|END,Key='value',…` lines, a BEG and an END
//! per call leg, the legs of one call folded into one attempt by SessionId.
//!
//! The corpus file is `tests/fixtures/real/prosbc/constructed/` (built from the documentation's
//! example, see SOURCES.md there); the other lines below are written for these tests, the
//! figures counted by hand.

use crate::common;

use cdrscope::formats::prosbc;
use common::*;

fn pairs(v: &[cdrscope::summary::NamedCount]) -> Vec<(&str, u64)> {
    v.iter().map(|d| (d.name.as_str(), d.count)).collect()
}

const CORPUS: &str =
    "tests/fixtures/real/prosbc/constructed/text_cdr_one_answered_call_two_legs.log";

#[test]
fn the_documented_call_is_one_answered_attempt() {
    let bytes = std::fs::read(CORPUS).unwrap();
    let s = summarize("cdr.log", &bytes, Default::default());
    assert_eq!(s.format, "prosbc");
    assert!(
        s.format_reason.contains("ProSBC") && s.format_reason.contains("SessionId"),
        "{}",
        s.format_reason
    );
    assert!(s.format_confidence >= 0.9);
    assert_eq!(s.time_basis, "utc");
    // Four lines (BEG and END of each leg), all accepted, one attempt.
    assert_eq!((s.rows.header, s.rows.data, s.rows.accepted), (0, 4, 4));
    let o = &s.overall;
    assert_eq!((o.attempts, o.answered, o.total_hold_s), (1, 1, 4));
    assert_eq!(names(&s.by_ingress_gateway), ["NAP_SIP_FS5062"]);
    assert_eq!(names(&s.by_egress_gateway), ["NAP_ISDN_SN4950E1_0"]);
    assert_eq!(names(&s.by_destination), ["internal"]);
    assert_eq!(code_counts(&s.by_code), [("NORMAL".to_string(), 1)]);
    let r = s.time_range.as_ref().unwrap();
    // EndTime 1431447641 = 2015-05-12 16:20:41 UTC (the line stamps say 18:20:41+0200).
    assert_eq!(
        (r.first.as_str(), r.last.as_str()),
        ("2015-05-12 16:20:41", "2015-05-12 16:20:41")
    );
}

#[test]
fn sessions_interleaved_retried_unanswered_and_cut() {
    let l = |t: &str, ev: &str, sid: &str, rest: &str| {
        format!(
            "2015-05-12 {t}.000+0200,{ev},SessionId='{sid} 00000000 00000000 00000000',{rest}\n"
        )
    };
    let orig = "Direction='originate',NAP='NAP_SIP_A'";
    let mut text = String::new();
    // Session 1: answered after a route retry; the first answer leg fails, the second
    // connects, so the egress is the second NAP. Its caller name holds a comma.
    text += &l(
        "18:00:00",
        "BEG",
        "00000001",
        &format!(
            "LegId='0x1',StartTime='1431446400',Calling='Smith, John',Called='33144556677',{orig}"
        ),
    );
    text += &l("18:00:00", "BEG", "00000001", "LegId='0x2',StartTime='1431446400',Called='33144556677',NAP='NAP_SIP_B',Direction='answer'");
    // Session 2 starts between them: unanswered, the callee busy.
    text += &l(
        "18:00:01",
        "BEG",
        "00000002",
        &format!("LegId='0x5',StartTime='1431446401',Calling='2000',Called='447700900123',{orig}"),
    );
    text += &l("18:00:02", "END", "00000001", "LegId='0x2',StartTime='1431446400',EndTime='1431446402',TerminationCause='USER_BUSY',NAP='NAP_SIP_B',Direction='answer'");
    text += &l("18:00:02", "BEG", "00000001", "LegId='0x3',StartTime='1431446402',ConnectedTime='1431446405',NAP='NAP_SIP_C',Direction='answer'");
    text += &l("18:00:03", "END", "00000002", &format!("LegId='0x5',StartTime='1431446401',ConnectedTime='0',EndTime='1431446403',TerminationCause='USER_BUSY',{orig}"));
    text += &l("18:01:05", "END", "00000001", &format!("LegId='0x1',StartTime='1431446400',ConnectedTime='1431446405',EndTime='1431446465',TerminationCause='NORMAL',Calling='Smith, John',Called='33144556677',{orig}"));
    // The answer leg's END after the call was counted: folded, no new attempt.
    text += &l("18:01:05", "END", "00000001", "LegId='0x3',StartTime='1431446402',ConnectedTime='1431446405',EndTime='1431446465',NAP='NAP_SIP_C',Direction='answer'");
    // A line without SessionId, and one with a damaged time, are rejected.
    text += "2015-05-12 18:02:00.000+0200,END,LegId='0x9',Direction='originate'\n";
    text += &l(
        "18:02:01",
        "END",
        "00000004",
        &format!("LegId='0x9',StartTime='soon',{orig}"),
    );
    // Session 3: its originate END is not in the file (cut): counted at the end, unanswered.
    text += &l(
        "18:03:00",
        "BEG",
        "00000003",
        &format!("LegId='0x7',StartTime='1431446580',Calling='2000',Called='6001',{orig}"),
    );
    let s = summarize("cdr.log", text.as_bytes(), Default::default());
    assert_eq!(s.format, "prosbc", "{}", s.format_reason);
    assert_eq!((s.rows.data, s.rows.accepted, s.rows.rejected), (11, 9, 2));
    let rejects: Vec<(u64, &str)> = s
        .rejects
        .iter()
        .map(|r| (r.line, r.reason.as_str()))
        .collect();
    assert_eq!(
        rejects,
        [
            (9, "SessionId is empty"),
            (10, "StartTime is not a time: \"soon\"")
        ]
    );
    let o = &s.overall;
    assert_eq!((o.attempts, o.answered, o.total_hold_s), (3, 1, 60));
    assert_eq!(pairs(&s.by_outcome), [("answered", 1), ("other", 2)]);
    let mut egress: Vec<(&str, u64)> = s
        .by_egress_gateway
        .iter()
        .map(|g| (g.name.as_str(), g.kpis.attempts))
        .collect();
    egress.sort_unstable();
    assert_eq!(egress, [("(none)", 2), ("NAP_SIP_C", 1)]);
    let mut dest: Vec<(&str, u64)> = s
        .by_destination
        .iter()
        .map(|g| (g.name.as_str(), g.kpis.attempts))
        .collect();
    dest.sort_unstable();
    assert_eq!(dest, [("internal", 1), ("national", 2)]);
}

#[test]
fn other_lines_are_not_claimed() {
    for text in [
        // A log with BEG/END words but no SessionId pairs.
        "2015-05-12 18:20:37,BEG,call 1 from 1000\n2015-05-12 18:20:41,END,call 1 from 1000\n",
        // Pairs, but no BEG/UPD/END event.
        "2015-05-12 18:20:37,CALL,SessionId='a1ef6a38 00000000 00000000 00000000'\n",
    ] {
        assert_eq!(prosbc::detect(&records(text, ',', 40)), None, "{text}");
    }
}
