//! Findings engine: each rule on a fixture that triggers it, the healthy fixture that must not,
//! the VOS3000 sample's scenario, and that every number is reproducible from its filter.

use cdrscope::analysis::findings::{Finding, Severity};
use cdrscope::analysis::{Dataset, Filter, SummaryOptions};
use cdrscope::formats::FormatOptions;
use cdrscope::summary::Summary;

fn opts() -> SummaryOptions {
    SummaryOptions {
        tz_offset_min: 480,
        ..SummaryOptions::default()
    }
}

fn load(path: &str) -> Dataset {
    let bytes = std::fs::read(path).unwrap();
    let mut ds = Dataset::new();
    ds.read_bytes(path, &bytes, FormatOptions::default())
        .unwrap();
    assert_eq!(ds.row_totals().rejected, 0, "{path} has rejects");
    ds
}

fn fixture(name: &str) -> (Dataset, Summary) {
    let ds = load(&format!("tests/fixtures/findings/{name}.csv"));
    let s = ds.summary(&Filter::default(), &opts());
    assert_reproducible(&ds, &s);
    (ds, s)
}

/// Parameters of the texts that are not evidence numbers: names, codes and times.
const LABELS: &[&str] = &["gw", "subject", "prefix", "code", "codes", "time", "until"];

/// Every number a finding states is one of its `numbers`, and every one of those equals the
/// summary figure of its filter (shares and ratios: divided by the number they name). No
/// exceptions: rule constants are checked against the rule and the filter, line numbers
/// against the first row of the finding's rows.
fn assert_reproducible(ds: &Dataset, s: &Summary) {
    for f in &s.findings {
        assert!(!f.numbers.is_empty(), "{} has no numbers", f.rule);
        for n in &f.numbers {
            let again = ds.summary(n.filter_or(&f.filter), &opts());
            let mut got = n.measure.read(&again).unwrap_or(f64::NAN);
            if let Some(per) = &n.per {
                let d = f
                    .numbers
                    .iter()
                    .find(|m| &m.key == per)
                    .unwrap_or_else(|| panic!("{} {}: no number {per}", f.rule, n.key));
                got = if d.value == 0.0 { 0.0 } else { got / d.value };
            }
            assert!(
                (got - n.value).abs() <= 1e-9 * n.value.abs().max(1.0),
                "{} {}: {} ({:?}) is {} under its filter, evidence says {}",
                f.rule,
                f.subject,
                n.key,
                n.measure,
                got,
                n.value
            );
            assert_states(f, &n.key, &n.text, n.value);
            assert!(
                f.params.iter().any(|(k, v)| k == &n.key && v == &n.text),
                "{}: number {} is not what the texts show",
                f.rule,
                n.key
            );
        }
        for (k, v) in &f.params {
            let k = k.as_str();
            if LABELS.contains(&k) {
                // A code named with its count (`-69 ×40`): the count is a number too.
                for part in v.split(", ").filter(|p| p.contains(" ×")) {
                    let (name, count) = part.rsplit_once(" ×").unwrap();
                    assert!(
                        f.numbers
                            .iter()
                            .any(|n| n.key == format!("code:{name}") && n.text == count),
                        "{}: {part} has no number",
                        f.rule
                    );
                }
                continue;
            }
            match k {
                "t" => assert_eq!(v, &opts().short_call_s.to_string()),
                "w" => assert_eq!(v, "30"),
                "k" => {
                    assert_eq!(v, "3");
                    assert_eq!(f.filter.chain_min, Some(3), "{}", f.rule);
                }
                "d" => assert_eq!(v, &ds.store().fee_decimals.to_string()),
                "line" => {
                    let first = ds.rows(&f.rows, &opts(), 0, 1);
                    assert_eq!(
                        first.rows.first().map(|r| r.line.to_string()).as_deref(),
                        Some(v.as_str()),
                        "{}: the first row at fault",
                        f.rule
                    );
                }
                // Nothing to compare with (the group is alone in the view).
                _ if v == "-" => assert!(
                    ["bx", "bn", "base", "pdd", "bpdd"].contains(&k),
                    "{}: {k} is not stated",
                    f.rule
                ),
                _ => assert!(
                    f.numbers.iter().any(|n| n.key == k),
                    "{}: {k} = {v} is stated without a number",
                    f.rule
                ),
            }
        }
        assert_eq!(f.texts.len(), 2, "{} needs en and es", f.rule);
        assert_eq!(f.texts[0].lang, "en");
        assert_eq!(f.texts[0].title, f.title);
        assert_eq!(f.texts[1].lang, "es");
        assert_ne!(
            f.texts[1].action, f.action,
            "{} es action untranslated",
            f.rule
        );
        for t in &f.texts {
            assert!(
                !t.title.contains('{') && !t.evidence.contains('{') && !t.action.contains('{'),
                "{} has an unfilled placeholder: {t:?}",
                f.rule
            );
        }
    }
}

/// The text of a number shows its value (to the text's precision).
fn assert_states(f: &Finding, key: &str, text: &str, value: f64) {
    let (digits, shown) = match text.strip_suffix('%') {
        Some(p) => (p, value * 100.0),
        None => (text, value),
    };
    let decimals = digits.split_once('.').map_or(0, |(_, d)| d.len()) as i32;
    let parsed: f64 = digits
        .parse()
        .unwrap_or_else(|_| panic!("{} {key}: {text} is not a number", f.rule));
    assert!(
        (parsed - shown).abs() <= 0.5 * 10f64.powi(-decimals) + 1e-9,
        "{} {key}: text {text} for value {value}",
        f.rule
    );
}

fn above_info(s: &Summary) -> Vec<&Finding> {
    s.findings
        .iter()
        .filter(|f| f.severity > Severity::Info)
        .collect()
}

fn only<'a>(s: &'a Summary, rule: &str) -> &'a Finding {
    let v: Vec<&Finding> = s.findings.iter().filter(|f| f.rule == rule).collect();
    assert_eq!(v.len(), 1, "expected one {rule}: {:#?}", titles(s));
    v[0]
}

fn titles(s: &Summary) -> Vec<String> {
    s.findings
        .iter()
        .map(|f| format!("[{:?}] {} ({})", f.severity, f.title, f.rule))
        .collect()
}

fn value(f: &Finding, i: usize) -> f64 {
    f.numbers[i].value
}

#[test]
fn healthy_file_has_nothing_above_info() {
    let (_, s) = fixture("healthy");
    assert_eq!(s.overall.attempts, 600);
    assert!(s.findings.is_empty(), "{:#?}", titles(&s));
}

#[test]
fn vos_sample_names_the_scenario_first() {
    let ds = load("tests/fixtures/vos3000_cdr_en.csv");
    let s = ds.summary(&Filter::default(), &opts());
    assert_reproducible(&ds, &s);
    let top: Vec<(&str, &str)> = s.findings[..4]
        .iter()
        .map(|f| (f.rule.as_str(), f.subject.as_str()))
        .collect();
    assert_eq!(
        top,
        [
            ("gw_unavailable", "GW_SG_CHEAP"),
            ("gw_timeout_unreachable", "GW_US_TIER2"),
            ("gw_sdr", "GW_CN_MOBILE"),
            ("unrouted", "(none)"),
        ]
    );
    let f = &s.findings;
    assert_eq!(
        f[0].title,
        "GW_SG_CHEAP: 55.2% of attempts get 500, 503 (other gateways 3.5%)"
    );
    assert_eq!(f[0].severity, Severity::Critical);
    assert_eq!((value(&f[0], 0), value(&f[0], 1)), (471.0, 260.0));
    assert_eq!(f[0].filter.egress, ["GW_SG_CHEAP"]);
    // Drill-down: the rows at fault are the gateway's 500s and 503s.
    assert_eq!(f[0].rows.code, ["500", "503"]);
    assert_eq!(ds.rows(&f[0].rows, &opts(), 0, 10).total, 260);
    assert_eq!(ds.rows(&f[3].rows, &opts(), 0, 10).total, 64);
    assert_eq!(
        f[1].evidence,
        "161 of 377 attempts on GW_US_TIER2 ended 408 (42.7%; other gateways 0.6%); 161 of those 161 had no PDD: nothing ever rang."
    );
    assert_eq!(
        f[2].title,
        "GW_CN_MOBILE: 26.8% of answered calls last under 6 s (SDR)"
    );
    assert_eq!((value(&f[2], 0), value(&f[2], 1)), (209.0, 56.0));
    assert_eq!(
        f[3].title,
        "64 calls (3.2%) refused by the switch before any gateway (-69)"
    );
    assert_eq!(f[3].severity, Severity::Warning);
    assert_eq!(f[3].filter.egress, ["(none)"]);
    // Ranked by impact: the 503s cost the most answered calls.
    assert!(f[0].impact > f[1].impact && f[1].impact > f[2].impact);
    // The healthy gateway gets nothing, not even at 10.5 % 486 (not significantly above 10 %).
    assert!(
        !f.iter().any(|x| x.subject == "GW_HK_PRIME"),
        "{:#?}",
        titles(&s)
    );
    assert_eq!(
        titles(&s)[4..],
        [
            "[Warning] GW_CN_MOBILE: 16.7% of attempts are 486 Busy Here (gw_busy)",
            "[Warning] GW_US_TIER2: PDD p95 8935 ms, 1.6× the other gateways (5705 ms) (gw_pdd)",
        ]
    );
    // Spanish writes the same figures with its decimal comma and thousands full stop, as the
    // page's tiles do.
    let es = f[0].text("es").unwrap();
    assert_eq!(
        es.title,
        "GW_SG_CHEAP: el 55,2% de los intentos recibe 500, 503 (otros gateways 3,5%)"
    );
    assert_eq!(
        f[5].text("es").unwrap().title,
        "GW_US_TIER2: PDD p95 8.935 ms, 1,6× los demás gateways (5.705 ms)"
    );
    assert_eq!(f[0].text("xx").unwrap().lang, "en");
}

#[test]
fn findings_follow_the_summary_filter() {
    let ds = load("tests/fixtures/vos3000_cdr_en.csv");
    let hk = Filter {
        egress: vec!["GW_HK_PRIME".into()],
        ..Filter::default()
    };
    let s = ds.summary(&hk, &opts());
    assert!(above_info(&s).is_empty(), "{:#?}", titles(&s));
    let sg = Filter {
        egress: vec!["GW_SG_CHEAP".into()],
        ..Filter::default()
    };
    let s = ds.summary(&sg, &opts());
    assert_reproducible(&ds, &s);
    let f = only(&s, "gw_unavailable");
    // Alone in the view, judged on the absolute threshold: no "other gateways" number.
    assert_eq!(keys(f), ["n", "x", "pct"]);
    assert!(
        f.evidence.ends_with("on the other gateways - of - (-)."),
        "{}",
        f.evidence
    );
    assert_eq!(f.filter.egress, ["GW_SG_CHEAP"]);
}

#[test]
fn gateway_503_share() {
    let (_, s) = fixture("gw_503");
    assert_eq!(
        titles(&s),
        ["[Critical] GW_BRAVO: 40.7% of attempts get 503, 500 (other gateways 5.4%) (gw_unavailable)"]
    );
    let f = only(&s, "gw_unavailable");
    assert_eq!(keys(f), ["n", "x", "bn", "bx", "pct", "base"]);
    assert_eq!(
        f.numbers
            .iter()
            .map(|n| n.text.as_str())
            .collect::<Vec<_>>(),
        ["312", "127", "408", "22", "40.7%", "5.4%"]
    );
    assert_eq!(f.numbers[4].per.as_deref(), Some("n"));
}

fn keys(f: &Finding) -> Vec<&str> {
    f.numbers.iter().map(|n| n.key.as_str()).collect()
}

fn number<'a>(f: &'a Finding, key: &str) -> &'a cdrscope::analysis::findings::Number {
    f.numbers
        .iter()
        .find(|n| n.key == key)
        .unwrap_or_else(|| panic!("{} has no number {key}", f.rule))
}

#[test]
fn unrouted_server_reasons() {
    let (_, s) = fixture("unrouted");
    let f = only(&s, "unrouted");
    assert_eq!(f.severity, Severity::Critical);
    assert_eq!(
        f.title,
        "50 calls (7.7%) refused by the switch before any gateway (-69 ×40, NoAvailableRouter ×6, AccountBalanceNotEnough ×4)"
    );
    assert!(f.action.contains("VOS3000 -69"), "{}", f.action);
    assert_eq!(above_info(&s).len(), 1, "{:#?}", titles(&s));
}

/// Two unrouted calls of three (a real CUCM lab export) are worth knowing, not critical.
#[test]
fn a_handful_of_unrouted_calls_is_info() {
    let ds = load("tests/fixtures/real/cucm/cucm_cdr_quoted_header_types_2025.txt");
    let s = ds.summary(&Filter::default(), &opts());
    let f = only(&s, "unrouted");
    assert_eq!(f.severity, Severity::Info);
    assert!(f.title.starts_with("2 calls (66.7%)"), "{}", f.title);
    assert!(above_info(&s).is_empty(), "{:#?}", titles(&s));
}

/// On a PBX the same finding speaks of dial plans and trunks, not of VOS3000's reasons.
#[test]
fn unrouted_on_a_pbx_gets_pbx_advice() {
    let ds = load("tests/fixtures/asterisk_Master.csv");
    let s = ds.summary(&Filter::default(), &opts());
    let f = only(&s, "unrouted");
    assert_eq!(
        f.title,
        "17 calls (4.2%) refused by the switch before any gateway (FAILED)"
    );
    assert_eq!(
        f.action,
        "No vendor was even tried: check the dial plan or routing for these numbers (a pattern that matches no trunk), trunks or channels all in use, and the caller's permissions (class of service, calling search space); the rows' code says which."
    );
    assert!(f
        .text("es")
        .unwrap()
        .action
        .starts_with("No se intentó ningún proveedor: revise el plan de marcación"));
}

#[test]
fn timeouts_with_pdd_zero() {
    let (_, s) = fixture("gw_408_pdd0");
    assert_eq!(above_info(&s).len(), 1, "{:#?}", titles(&s));
    let f = only(&s, "gw_timeout_unreachable");
    assert_eq!(f.subject, "GW_CHARLIE");
    assert_eq!(f.severity, Severity::Critical);
    assert_eq!(value(f, 1), 111.0);
    // All 111 timeouts came without a PDD: counted on the gateway's 408s.
    let z = number(f, "z");
    assert_eq!(z.value, 111.0);
    assert_eq!(z.filter.as_ref().unwrap().code, ["408"]);
    assert_eq!(z.filter.as_ref().unwrap().egress, ["GW_CHARLIE"]);
}

#[test]
fn routing_failures_on_a_prefix() {
    let (_, s) = fixture("prefix_404");
    assert_eq!(above_info(&s).len(), 1, "{:#?}", titles(&s));
    let f = only(&s, "prefix_routing");
    assert_eq!(f.subject, "44");
    assert_eq!(f.filter.prefix, ["44"]);
    assert_eq!(
        f.evidence,
        "73 of 188 attempts to 44 ended 484, 404 (38.8%); other destinations 15 of 482 (3.1%)."
    );
}

#[test]
fn authentication_refusals() {
    let (_, s) = fixture("gw_403");
    assert_eq!(above_info(&s).len(), 1, "{:#?}", titles(&s));
    let f = only(&s, "gw_auth");
    assert_eq!(
        f.title,
        "GW_ALPHA: 19.7% of attempts refused with 403, 407 (authentication or authorization)"
    );
    assert_eq!(f.severity, Severity::Warning);
}

#[test]
fn failover_after_6xx_and_busy_chains() {
    let (ds, s) = fixture("failover");
    let f = only(&s, "failover_6xx");
    assert_eq!(f.subject, "GW_ALPHA");
    assert_eq!(
        f.evidence,
        "25 of 30 603 answers from GW_ALPHA were followed by another attempt for the same caller and callee within 30 s."
    );
    // The retried 603s are the rows at fault, by a filter of their own.
    assert_eq!(f.rows.chain_role.as_deref(), Some("retried"));
    assert_eq!(f.rows.code, ["603"]);
    assert_eq!(ds.rows(&f.rows, &opts(), 0, 1).total, 25);
    let c = only(&s, "failover_chain");
    assert_eq!(
        c.title,
        "486 triggers long failover chains: 20 calls took 3 or more attempts"
    );
    assert!(c.action.contains("busy-stop"));
    assert_eq!(c.filter.code, ["486"]);
    assert_eq!(
        (c.filter.chain_min, c.filter.chain_role.as_deref()),
        (Some(3), Some("first"))
    );
    let view = ds.summary(&c.filter, &opts());
    assert_eq!(view.overall.attempts, 20);
    assert_eq!(
        view.overall.failover_retries as f64,
        number(c, "extra").value
    );
    assert!(
        c.evidence.contains(&format!(
            "{} extra attempts in all",
            view.overall.failover_retries
        )),
        "{}",
        c.evidence
    );
    // Nothing of the kind where no call is retried.
    let (_, h) = fixture("gw_486");
    assert!(!h.findings.iter().any(|f| f.rule.starts_with("failover")));
}

#[test]
fn busy_share_thresholds() {
    let (_, s) = fixture("gw_486");
    assert_eq!(
        titles(&s),
        ["[Critical] GW_BRAVO: 33.2% of attempts are 486 Busy Here (gw_busy)"]
    );
}

#[test]
fn cancels_with_long_pdd() {
    let (_, s) = fixture("gw_487_pdd");
    assert_eq!(
        titles(&s),
        [
            "[Critical] GW_CHARLIE: 45.3% of attempts cancelled by the caller (487); PDD p95 15671 ms (gw_cancel)",
            "[Warning] GW_CHARLIE: PDD p95 15671 ms, 3.0× the other gateways (5148 ms) (gw_pdd)",
        ]
    );
}

#[test]
fn short_calls_on_a_gateway() {
    let (_, s) = fixture("gw_sdr");
    assert_eq!(
        titles(&s),
        ["[Critical] GW_ALPHA: 42.2% of answered calls last under 6 s (SDR) (gw_sdr)"]
    );
}

#[test]
fn codec_failures() {
    let (_, s) = fixture("gw_media");
    assert_eq!(above_info(&s).len(), 1, "{:#?}", titles(&s));
    let f = only(&s, "gw_media");
    assert_eq!(
        f.title,
        "GW_BRAVO: 18 calls ended by media trouble (488, 606)"
    );
}

#[test]
fn code_starting_at_a_time() {
    let (_, s) = fixture("change_408");
    let f = only(&s, "change_code");
    // The time of day carries the zone it is shown in (the fixture's times are UTC instants).
    assert_eq!(f.title, "GW_CHARLIE: 408s start at 14:05 UTC+08:00");
    // 2025-03-10 14:05 local.
    assert_eq!(f.since_ms, Some(1_741_615_500_000));
    assert_eq!(f.filter.from_ms, Some(1_741_615_500_000));
    assert_eq!(
        f.evidence,
        "From 14:05 UTC+08:00: 48 of 77 attempts via GW_CHARLIE ended 408 (62.3%); before: 0 of 120 (0.0%)."
    );
    assert_eq!(
        f.text("es").unwrap().title,
        "GW_CHARLIE: los 408 empiezan a las 14:05 UTC+08:00"
    );
    // The static view of the same gateway sees the timeouts too; nothing else fires.
    assert_eq!(above_info(&s).len(), 2, "{:#?}", titles(&s));
    only(&s, "gw_timeout_unreachable");
}

#[test]
fn asr_dropping_at_a_time() {
    let (_, s) = fixture("change_asr");
    assert_eq!(
        titles(&s),
        ["[Critical] GW_ALPHA: ASR falls from 70.7% to 13.3% at 09:40 UTC+08:00 (change_asr)"]
    );
}

#[test]
fn billing_sanity() {
    let (ds, s) = fixture("billing");
    assert_eq!(
        titles(&s),
        [
            "[Warning] 12 answered calls charged nothing (billing_zero_fee)",
            "[Warning] 6 unanswered calls were charged (0.3000 in all) (billing_fee_unanswered)",
            "[Warning] 9 fees differ from billed seconds × rate (billing_drift)",
        ]
    );
    let d = only(&s, "billing_drift");
    assert_eq!(
        d.evidence,
        "9 of 380 charged answered calls differ from billed seconds × the rate of their customer and destination by more than half a unit at 4 decimals (first at line 40)."
    );
    // Each count is the calls of a fee filter.
    let count = |fee: &str, answered: bool| {
        let f = Filter {
            fee: Some(fee.into()),
            answered: Some(answered),
            ..Filter::default()
        };
        ds.summary(&f, &opts()).overall.attempts
    };
    assert_eq!(count("zero", true), 12);
    assert_eq!(count("nonzero", false), 6);
    assert_eq!(count("mismatch", true), 9);
    assert_eq!(count("nonzero", true), 380);
    assert_eq!(d.rows.fee.as_deref(), Some("mismatch"));
    assert_eq!(
        only(&s, "billing_zero_fee").rows.fee.as_deref(),
        Some("zero")
    );
    // The sample's fees (3 and 4 decimals, rates per customer and destination) all add up.
    let ds = load("tests/fixtures/vos3000_cdr_en.csv");
    let v = ds.summary(&Filter::default(), &opts());
    assert!(!v.findings.iter().any(|f| f.rule.starts_with("billing")));
}

#[test]
fn short_calls_on_a_destination() {
    let (_, s) = fixture("prefix_sdr");
    assert_eq!(
        titles(&s),
        ["[Critical] Destination 234: 56.4% of answered calls last under 6 s (SDR) (prefix_sdr)"]
    );
    assert_eq!(only(&s, "prefix_sdr").filter.prefix, ["234"]);
    // On the sample, destination 86's short calls come from GW_CN_MOBILE, already reported.
    let ds = load("tests/fixtures/vos3000_cdr_en.csv");
    let v = ds.summary(&Filter::default(), &opts());
    assert!(!v.findings.iter().any(|f| f.rule == "prefix_sdr"));
}

#[test]
fn timeouts_after_ringing_are_not_unreachable() {
    let (_, s) = fixture("gw_408_ringing");
    assert_eq!(
        titles(&s),
        ["[Critical] GW_BRAVO: 31.1% of attempts time out (408) (gw_timeout)"]
    );
    let f = only(&s, "gw_timeout");
    assert!(
        f.evidence.ends_with("1 of those 91 had no PDD."),
        "{}",
        f.evidence
    );
    assert!(f.action.contains("INVITE or no-answer timer"));
}

#[test]
fn redials_are_not_failover() {
    // 603 then the same call 2 minutes later; 486 seconds after an answered call.
    let (_, s) = fixture("redial");
    assert!(s.findings.is_empty(), "{:#?}", titles(&s));
}

#[test]
fn subset_filters_are_backwards_compatible_and_exact() {
    // A filter saved before these fields existed still reads, and means the same.
    let old: Filter =
        serde_json::from_str(r#"{"egress":["GW_SG_CHEAP"],"answered":true}"#).unwrap();
    assert_eq!(
        (
            old.min_duration_s,
            old.max_duration_s,
            old.fee.as_deref(),
            old.chain_min,
            old.chain_role.as_deref()
        ),
        (None, None, None, None, None)
    );
    let ds = load("tests/fixtures/vos3000_cdr_en.csv");
    let all = ds.summary(&Filter::default(), &opts()).overall;
    let with = |f: Filter| ds.summary(&f, &opts()).overall;
    // Talk time: answered calls of at most 5 s are the short calls (threshold 6 s).
    let short = with(Filter {
        answered: Some(true),
        max_duration_s: Some(5),
        ..Filter::default()
    });
    assert_eq!(short.attempts, all.short_calls);
    let long = with(Filter {
        answered: Some(true),
        min_duration_s: Some(6),
        ..Filter::default()
    });
    assert_eq!(long.attempts + short.attempts, all.answered);
    let band = with(Filter {
        min_duration_s: Some(60),
        max_duration_s: Some(59),
        ..Filter::default()
    });
    assert_eq!(band.attempts, 0);
    // The sample's fees all add up: nothing mismatched, every answered call charged.
    let fee = |w: &str| {
        with(Filter {
            fee: Some(w.into()),
            ..Filter::default()
        })
        .attempts
    };
    assert_eq!(fee("mismatch"), 0);
    assert_eq!(fee("zero") + fee("nonzero"), all.attempts);
    // Unknown words match nothing.
    assert_eq!(
        with(Filter {
            chain_role: Some("middle".into()),
            ..Filter::default()
        })
        .attempts,
        0
    );
}

#[test]
fn chains_are_marked_after_parts_are_absorbed() {
    let path = "tests/fixtures/findings/failover.csv";
    // The fixture's rows three times, each copy with its own callers (repeated rows would be
    // counted once): large enough for the reader to know its plan before the cut.
    let text = std::fs::read_to_string(path).unwrap();
    let body = text.split_once('\n').unwrap().1;
    let copy = |k: u8| -> String { body.lines().map(|l| format!("{k}{l}\n")).collect() };
    let bytes = format!("{text}{}{}", copy(1), copy(2)).into_bytes();
    let mut whole = Dataset::new();
    whole
        .read_bytes(path, &bytes, FormatOptions::default())
        .unwrap();
    let chains = Filter {
        code: vec!["486".into()],
        chain_min: Some(3),
        chain_role: Some("first".into()),
        ..Filter::default()
    };
    let want = whole.summary(&chains, &opts()).overall;
    assert!(want.attempts >= 20, "{}", want.attempts);
    // The same bytes read as two parts (as the CLI's --jobs and the page's two workers do):
    // chains that cross the cut are found once the second part is absorbed.
    let half = bytes.len() / 2;
    let cut = half + bytes[half..].iter().position(|&b| b == b'\n').unwrap() + 1;
    let mut head = Dataset::new();
    head.start_file(path, bytes.len() as u64, FormatOptions::default());
    head.push(&bytes[..70_000]).unwrap();
    let plan = head.plan().expect("plan known after the head").clone();
    head.push(&bytes[70_000..cut]).unwrap();
    let mut tail = Dataset::new();
    tail.start_part(path, bytes.len() as u64, &plan, cut as u64)
        .unwrap();
    tail.push(&bytes[cut..]).unwrap();
    tail.finish_file().unwrap();
    let lines = head.lines_read();
    head.finish_file().unwrap();
    let before = head.summary(&chains, &opts()).overall.attempts;
    head.absorb_part(&tail, lines);
    let got = head.summary(&chains, &opts()).overall;
    assert_eq!(
        (got.attempts, got.failover_retries),
        (want.attempts, want.failover_retries)
    );
    assert!(
        before < want.attempts,
        "the head alone has fewer chains ({before})"
    );
    assert_eq!(
        head.summary(&Filter::default(), &opts()).findings,
        whole.summary(&Filter::default(), &opts()).findings
    );
}

#[test]
fn finding_times_carry_the_zone_only_when_the_file_has_instants() {
    use cdrscope::analysis::findings::zone_suffix;
    assert_eq!(zone_suffix("utc", 480), " UTC+08:00");
    assert_eq!(zone_suffix("utc", -330), " UTC-05:30");
    assert_eq!(zone_suffix("utc", 0), " UTC+00:00");
    // Wall-clock times as written: the file does not say their zone, so none is claimed.
    assert_eq!(zone_suffix("naive_local", 480), "");
}
