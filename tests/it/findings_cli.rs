//! `cdrscope report` prints each finding's filter, and `--filter` takes it back: the summary of
//! that filter states the finding's numbers.

use std::process::Command;

fn report(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_cdrscope"))
        .arg("report")
        .args(args)
        .output()
        .expect("run cdrscope");
    (
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
        out.status.code().unwrap_or(-1),
    )
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["--json", "--tz", "+08:00"]);
    let (out, err, code) = report(&all);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).expect("json summary")
}

/// The `filter:` or `rows:` line printed under the finding whose title starts with `title`.
fn printed(text: &str, title: &str, which: &str) -> String {
    let mut lines = text.lines().skip_while(|l| !l.contains(title));
    lines
        .next()
        .unwrap_or_else(|| panic!("no finding {title}:\n{text}"));
    lines
        .take_while(|l| !l.starts_with("  ["))
        .find_map(|l| l.trim().strip_prefix(which).map(|x| x.trim().to_string()))
        .unwrap_or_else(|| panic!("no {which} line under {title}"))
}

#[test]
fn a_findings_printed_filter_reproduces_its_numbers() {
    let file = "tests/fixtures/findings/failover.csv";
    let (text, _, code) = report(&[file, "--tz", "+08:00"]);
    assert_eq!(code, 0);
    // The chains begun by a 486: 20 chains, 40 attempts after their first.
    let chains = printed(&text, "[Warning] 486 triggers", "filter:");
    assert_eq!(
        chains,
        r#"{"chain_min":3,"chain_role":"first","code":["486"]}"#
    );
    let s = json(&[file, "--filter", &chains]);
    assert_eq!(s["overall"]["attempts"], 20);
    assert_eq!(s["overall"]["failover_retries"], 40);
    assert!(text.contains("20 calls (same caller and callee, attempts within 30 s) took 3 or more attempts after a 486, 40 extra attempts in all; 95 attempts ended 486."));
    // The 603s retried elsewhere: the rows at fault of the 6xx finding.
    let retried = printed(&text, "[Warning] GW_ALPHA: 25 calls retried", "rows:");
    let s = json(&[file, "--filter", &retried]);
    assert_eq!(s["overall"]["attempts"], 25);
    assert_eq!(s["filter"]["chain_role"], "retried");
    // The text report says which filter it follows.
    let (text, _, _) = report(&[file, "--tz", "+08:00", "--filter", &retried]);
    assert!(
        text.contains(&format!("filter: {retried} (25 of 710 calls)")),
        "{text}"
    );
}

#[test]
fn fee_and_duration_filters_from_the_command_line() {
    let file = "tests/fixtures/findings/billing.csv";
    let (text, _, _) = report(&[file, "--tz", "+08:00"]);
    let zero = printed(
        &text,
        "[Warning] 12 answered calls charged nothing",
        "rows:",
    );
    assert_eq!(zero, r#"{"answered":true,"fee":"zero"}"#);
    assert_eq!(json(&[file, "--filter", &zero])["overall"]["attempts"], 12);
    let s = json(&[file, "--filter", r#"{"answered":false,"fee":"nonzero"}"#]);
    assert_eq!(s["overall"]["attempts"], 6);
    assert_eq!(s["overall"]["fee"], "0.3000");
    let s = json(&[file, "--filter", r#"{"fee":"mismatch"}"#]);
    assert_eq!(s["overall"]["attempts"], 9);
    // Short calls of the SDR finding: answered, at most 5 s.
    let file = "tests/fixtures/findings/gw_sdr.csv";
    let (text, _, _) = report(&[file, "--tz", "+08:00"]);
    let short = printed(&text, "[Critical] GW_ALPHA: 42.2%", "rows:");
    assert_eq!(
        short,
        r#"{"answered":true,"egress":["GW_ALPHA"],"max_duration_s":5}"#
    );
    let s = json(&[file, "--filter", &short]);
    let whole = json(&[file, "--filter", r#"{"egress":["GW_ALPHA"]}"#]);
    assert_eq!(s["overall"]["attempts"], whole["overall"]["short_calls"]);
    assert!(text.contains(&format!(
        "{} of {} answered calls via GW_ALPHA lasted under 6 s (42.2%)",
        whole["overall"]["short_calls"], whole["overall"]["answered"]
    )));
}

#[test]
fn a_bad_filter_is_an_error() {
    let (_, err, code) = report(&[
        "tests/fixtures/findings/billing.csv",
        "--filter",
        "{\"fee\":",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("cdrscope: --filter: not a filter:"),
        "{err}"
    );
    // An unknown fee word matches nothing rather than everything.
    let s = json(&[
        "tests/fixtures/findings/billing.csv",
        "--filter",
        r#"{"fee":"free"}"#,
    ]);
    assert_eq!(s["overall"]["attempts"], 0);
}
