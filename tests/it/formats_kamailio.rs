//! Kamailio/OpenSIPS acc: INVITE/BYE pairing, challenges, re-INVITEs, CDR mode, no header.
//!
//! `kamailio_acc.csv` was written by a one-off script (seeded) that also computed the figures
//! asserted here from its own list of calls: 90 calls over one hour through three gateways,
//! 10 of them challenged with 407 first, one 407 never retried, one long call refreshed by a
//! re-INVITE, one answered call whose BYE is after the end of the export, and one BYE of a
//! call set up before the export began.

use crate::common;

use cdrscope::formats::FormatOptions;
use cdrscope::{Dataset, Filter};
use common::*;

#[test]
fn acc_export_pairs_invites_with_byes() {
    let s = summarize_fixture("kamailio_acc.csv");
    assert_eq!(s.format, "kamailio");
    assert!(
        s.format_reason.contains("acc columns") && s.format_reason.contains("7 of 7"),
        "{}",
        s.format_reason
    );
    assert_eq!(s.time_basis, "naive_local");
    // 102 INVITE rows + 30 BYE rows, all accepted; 91 of them are attempts.
    assert_eq!(
        (s.rows.data, s.rows.accepted, s.rows.rejected),
        (132, 132, 0)
    );
    assert_eq!(s.rows.in_filter, 91);
    let o = &s.overall;
    assert_eq!((o.attempts, o.answered), (91, 30));
    assert_eq!(o.total_hold_s, 4533);
    assert_eq!(o.asr, Some(30.0 / 91.0));
    assert_eq!(o.acd_s, Some(151.1));
    assert_eq!(o.ner_effective, Some(51));
    assert_eq!(o.ner, Some(51.0 / 91.0));
    assert_eq!(o.ner_incl_487, Some(54.0 / 91.0));
    // The call without its BYE is answered with zero talk time, hence a short call too.
    assert_eq!(o.zero_duration_answered, 1);
    assert_eq!(o.short_calls, 2);
    let codes: Vec<(String, u64)> = [
        ("200", 30),
        ("503", 17),
        ("408", 16),
        ("486", 11),
        ("480", 10),
        ("404", 3),
        ("487", 3),
        ("407", 1),
    ]
    .iter()
    .map(|(c, n)| (c.to_string(), *n))
    .collect();
    assert_eq!(code_counts(&s.by_code), codes);
    assert!(s.by_code.iter().all(|c| c.system.as_deref() == Some("sip")));
    let gw: Vec<(&str, u64, u64, u64, Option<u64>)> = s
        .by_egress_gateway
        .iter()
        .map(|g| {
            (
                g.name.as_str(),
                g.kpis.attempts,
                g.kpis.answered,
                g.kpis.total_hold_s,
                g.kpis.ner_effective,
            )
        })
        .collect();
    assert_eq!(
        gw,
        vec![
            ("gw2.carrier-b.net", 31, 7, 284, Some(13)),
            ("gw1.carrier-a.net", 30, 19, 3969, Some(26)),
            ("198.51.100.20", 26, 4, 280, Some(12)),
            ("(none)", 4, 0, 0, Some(0)),
        ]
    );
    let gw2 = group(&s.by_egress_gateway, "gw2.carrier-b.net");
    assert_eq!(
        gw2.top_failure.as_ref().map(|c| (c.code.as_str(), c.count)),
        Some(("503", 13))
    );
    let dirs: Vec<(&str, u64)> = s
        .by_end_direction
        .iter()
        .map(|d| (d.name.as_str(), d.count))
        .collect();
    assert_eq!(
        dirs,
        vec![("(none)", 1), ("caller", 17), ("callee", 72), ("server", 1)]
    );
    let mut ingress: Vec<(&str, u64)> = s
        .by_ingress_gateway
        .iter()
        .map(|g| (g.name.as_str(), g.kpis.attempts))
        .collect();
    ingress.sort_unstable();
    assert_eq!(
        ingress,
        vec![("192.0.2.44", 30), ("203.0.113.5", 27), ("203.0.113.9", 34)]
    );
}

#[test]
fn held_back_calls_point_at_their_invite_row() {
    let bytes = fixture("kamailio_acc.csv");
    let text = String::from_utf8(bytes.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut d = Dataset::new();
    d.read_bytes("acc.csv", &bytes, FormatOptions::default())
        .unwrap();
    let answered = Filter {
        answered: Some(true),
        ..Filter::default()
    };
    let page = d.rows(&answered, &all_codes(), 0, 100);
    assert_eq!(page.total, 30);
    for r in &page.rows {
        let row = lines[(r.line - 1) as usize];
        let fields: Vec<&str> = row.split(',').collect();
        assert_eq!((fields[1], fields[5]), ("INVITE", "200"), "line {}", r.line);
        assert_eq!(
            &bytes[r.offset as usize..r.offset as usize + r.len as usize],
            row.as_bytes()
        );
    }
    // The first answered call: 407 on line 3, INVITE 200 on line 4, BYE from the callee
    // (tags swapped) one second later on line 5.
    assert!(page.rows.iter().any(|r| r.line == 4));
}

#[test]
fn opensips_cdr_mode_uses_the_duration_column() {
    let text = "method,from_tag,to_tag,callid,sip_code,sip_reason,time,duration,ms_duration,setuptime,created\n\
INVITE,a1,b1,c1@x,200,OK,2025-03-10 10:00:05,65,,5,2025-03-10 10:00:00\n\
INVITE,a2,b2,c2@x,486,Busy Here,2025-03-10 10:01:03,0,,3,2025-03-10 10:01:00\n\
INVITE,a3,b3,c3@x,200,OK,2025-03-10 10:02:10,,7250,10,2025-03-10 10:02:00\n\
INVITE,a4,b4,c4@x,603,Decline,2025-03-10 10:03:01,x,,1,2025-03-10 10:03:00\n";
    let s = summarize("cdr.csv", text.as_bytes(), FormatOptions::default());
    assert_eq!(s.format, "kamailio");
    assert_eq!((s.rows.accepted, s.rows.rejected), (3, 1));
    assert_eq!(s.rejects[0].line, 5);
    assert_eq!(s.rejects[0].reason, "duration is not a valid number: \"x\"");
    assert_eq!((s.overall.attempts, s.overall.answered), (3, 2));
    // 65 s, and 7250 ms → 7 s.
    assert_eq!(s.overall.total_hold_s, 72);
    assert_eq!(s.overall.ner, Some(1.0));
    // Calls are placed at their end: the busy one at 10:01:03, the last at 10:02:10 + 7.25 s.
    let range = s.time_range.as_ref().unwrap();
    assert_eq!(
        (range.first.as_str(), range.last.as_str()),
        ("2025-03-10 10:01:03", "2025-03-10 10:02:17")
    );
}

#[test]
fn headerless_acc_rows_with_an_id_column() {
    let text = "1,INVITE,t1,u1,call-1,200,OK,2025-03-10 10:00:00\n\
2,INVITE,t2,u2,call-2,503,Service Unavailable,2025-03-10 10:00:01\n\
3,ACK,t1,u1,call-1,200,OK,2025-03-10 10:00:01\n\
4,INVITE,t3,u3,call-3,487,Request Terminated,2025-03-10 10:00:02\n\
5,BYE,t1,u1,call-1,200,OK,2025-03-10 10:00:42\n\
6,INVITE,t4,u4,call-4,2OO,OK,2025-03-10 10:00:43\n";
    let s = summarize("acc.txt", text.as_bytes(), FormatOptions::default());
    assert_eq!(s.format, "kamailio");
    assert!(s.format_reason.contains("no header"), "{}", s.format_reason);
    assert_eq!((s.rows.accepted, s.rows.rejected), (5, 1));
    assert_eq!(
        (s.rejects[0].line, s.rejects[0].reason.as_str()),
        (6, "sip_code is not a valid number: \"2OO\"")
    );
    assert_eq!((s.overall.attempts, s.overall.answered), (3, 1));
    assert_eq!(s.overall.total_hold_s, 42);
    let dirs: Vec<(&str, u64)> = s
        .by_end_direction
        .iter()
        .map(|d| (d.name.as_str(), d.count))
        .collect();
    assert_eq!(dirs, vec![("caller", 2), ("callee", 1)]);
}

/// The outcome counts of a summary, by name.
fn outcomes(s: &cdrscope::Summary) -> Vec<(String, u64)> {
    s.by_outcome
        .iter()
        .map(|c| (c.name.clone(), c.count))
        .collect()
}

#[test]
fn acc_lines_in_syslog_fold_like_acc_rows() {
    // Constructed from the acc module's documentation (tests/fixtures/real/kamailio/SOURCES.md):
    // INVITE 200 + its BYE 8 s later, then 408, 486 and 487 "call missed" lines.
    let s = summarize_fixture("real/kamailio/constructed/acc-syslog-from-docs.log");
    assert_eq!(s.format, "kamailio");
    assert!(
        s.format_reason
            .starts_with("5 of 5 lines are Kamailio/OpenSIPS acc records in syslog"),
        "{}",
        s.format_reason
    );
    assert_eq!(s.time_basis, "utc");
    assert_eq!(
        (s.rows.header, s.rows.data, s.rows.accepted, s.rows.rejected),
        (0, 5, 5, 0)
    );
    assert_eq!((s.overall.attempts, s.overall.answered), (4, 1));
    assert_eq!(s.overall.total_hold_s, 8);
    let mut o = outcomes(&s);
    o.sort();
    assert_eq!(
        o,
        [
            ("answered".to_string(), 1),
            ("busy".to_string(), 1),
            ("cancelled".to_string(), 1),
            ("timeout".to_string(), 1)
        ]
    );
    // log_extra's dst_domain is the egress; the +49 request user is international.
    assert_eq!(
        names(&s.by_egress_gateway),
        [
            "192.168.178.47",
            "192.168.178.48",
            "192.168.178.49",
            "gw.kamailio.lab"
        ]
    );
    let range = s.time_range.as_ref().unwrap();
    assert_eq!(
        (range.first_ms, range.last_ms),
        (1_374_493_805_000, 1_374_494_102_000)
    );
}

#[test]
fn other_log_lines_are_counted_as_no_record() {
    // dSIPRouter issue 464: one answered INVITE line and three database error lines.
    let s = summarize_fixture("real/kamailio/dsiprouter-issue464-acc-syslog-excerpt.log");
    assert_eq!(s.format, "kamailio");
    assert!(
        s.format_reason
            .starts_with("1 of 4 lines are Kamailio/OpenSIPS acc records"),
        "{}",
        s.format_reason
    );
    assert_eq!(
        (s.rows.header, s.rows.data, s.rows.accepted, s.rows.rejected),
        (3, 1, 1, 0)
    );
    // Its BYE is not in the excerpt: answered with zero talk time.
    assert_eq!((s.overall.attempts, s.overall.answered), (1, 1));
    assert_eq!(s.overall.total_hold_s, 0);
    assert_eq!(
        names(&s.by_egress_gateway),
        ["us-west-or.sip.flowroute.com"]
    );
    // Kamailio 5.5: error lines carry `{2 2 INVITE <call-id>}`; only the BYE's ACC line is a
    // record, and a BYE without its INVITE is no attempt.
    let s = summarize_fixture("real/kamailio/os11k-dispatcher-issue4-acc-syslog-excerpt.log");
    assert_eq!(
        (s.rows.header, s.rows.data, s.rows.accepted, s.rows.rejected),
        (4, 1, 1, 0)
    );
    assert_eq!(s.overall.attempts, 0);
}

#[test]
fn an_acc_line_without_a_call_id_is_rejected_with_its_line() {
    let text = "Jul 22 13:49:57 h kamailio[1]: NOTICE: acc [acc.c:275]: ACC: transaction answered: timestamp=1374493797;method=INVITE;from_tag=a;to_tag=b;call_id=c1;code=200;reason=OK\n\
Jul 22 13:49:58 h kamailio[1]: NOTICE: acc [acc.c:275]: ACC: call missed: timestamp=1374493798;method=INVITE;from_tag=a;to_tag=;call_id=;code=486;reason=Busy Here\n\
Jul 22 13:49:59 h kamailio[1]: NOTICE: acc [acc.c:275]: ACC: call missed: timestamp=1374493799;method=INVITE;from_tag=a;to_tag=;call_id=c3;code=4x6;reason=Busy Here\n";
    let s = summarize("acc.log", text.as_bytes(), FormatOptions::default());
    assert_eq!(s.format, "kamailio");
    assert_eq!((s.rows.accepted, s.rows.rejected), (1, 2));
    let rejects: Vec<(u64, &str)> = s
        .rejects
        .iter()
        .map(|r| (r.line, r.reason.as_str()))
        .collect();
    assert_eq!(
        rejects,
        [
            (2, "call_id is empty"),
            (3, "code is not a valid number: \"4x6\"")
        ]
    );
}
