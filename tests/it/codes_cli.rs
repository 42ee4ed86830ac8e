//! The `cdrscope codes` subcommand.

use std::process::Command;

fn codes(args: &[&str]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_cdrscope"))
        .arg("codes")
        .args(args)
        .output()
        .expect("run cdrscope");
    (
        String::from_utf8(out.stdout).expect("utf-8"),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn codes_prints_cards_as_json() {
    let (out, rc) = codes(&["503", "--json", "--limit", "3"]);
    assert_eq!(rc, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let cards = v.as_array().unwrap();
    assert_eq!(cards.len(), 3);
    assert_eq!(cards[0]["system"], "sip");
    assert_eq!(cards[0]["code"], "503");
    assert_eq!(cards[0]["outcomes"], serde_json::json!(["unavailable"]));
    assert_eq!(cards[0]["failover"], "continue");
}

#[test]
fn codes_prints_spanish_text() {
    let (out, rc) = codes(&["cause", "34", "--lang", "es", "--limit", "1"]);
    assert_eq!(rc, 0);
    assert!(
        out.starts_with("Q.850 34 — Sin circuito/canal disponible\n"),
        "{out}"
    );
    assert!(
        out.contains("Si no contesta Proveedor no disponible\n"),
        "{out}"
    );
    assert!(out.contains("Acción         Pase a otro gateway;"), "{out}");
}

#[test]
fn codes_accepts_negative_vos_codes_and_reports_no_match() {
    let (out, rc) = codes(&["-69", "--limit", "1"]);
    assert_eq!(rc, 0);
    assert!(
        out.starts_with("VOS3000 -69 — Server-side failure before any gateway\n"),
        "{out}"
    );
    let (out, rc) = codes(&["qqqqzzzz"]);
    assert_eq!(rc, 0);
    assert_eq!(out, "No code matches: qqqqzzzz\n");
}

#[test]
fn codes_shows_what_the_caller_gets_and_the_new_tables() {
    let (out, rc) = codes(&["NoAvailableRouter", "--limit", "1"]);
    assert_eq!(rc, 0);
    assert!(out.contains("If unanswered  No route\n"), "{out}");
    assert!(
        out.contains("Sent to the caller as SIP 503 Service Unavailable\n"),
        "{out}"
    );
    let (out, _) = codes(&["CHANUNAVAIL", "--limit", "1"]);
    assert!(
        out.starts_with("Asterisk CHANUNAVAIL — Channel unavailable\n"),
        "{out}"
    );
    let (out, _) = codes(&["timer", "b", "--limit", "1"]);
    assert!(
        out.starts_with("RFC 3261 Timer B — INVITE transaction timeout (Timer B)\n"),
        "{out}"
    );
    let (out, _) = codes(&["393216", "--json", "--limit", "1"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["system"], "cisco");
    assert_eq!(v[0]["outcomes"], serde_json::json!(["other"]));
}
