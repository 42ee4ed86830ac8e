//! The page's settings panel logic: form text in, checked settings out, stored JSON round trip.

use cdrscope::analysis::health::HealthPreset;
use cdrscope::page_settings::{format_percent, parse_percent, FieldProblem, PageSettings, FIELDS};

fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn defaults_are_the_vos3000_guideline_and_fill_the_form() {
    let s = PageSettings::default();
    assert_eq!(s.health, HealthPreset::VOS3000_GUIDELINE);
    let v = s.form_values();
    assert_eq!(v.len(), FIELDS.len());
    let text: Vec<&str> = v.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(
        text,
        ["70", "50", "15", "30", "10", "20", "10", "20", "", "6", ""]
    );
    // The form's own values read back to the defaults.
    let back: Vec<(String, String)> = v.into_iter().map(|(k, t)| (k.to_string(), t)).collect();
    assert_eq!(PageSettings::from_form(&back).unwrap(), s);
}

#[test]
fn percentages_accept_signs_and_commas_and_refuse_the_rest() {
    assert_eq!(parse_percent(" 12,5 %"), Some(0.125));
    assert_eq!(parse_percent("100"), Some(1.0));
    assert_eq!(parse_percent("0"), Some(0.0));
    assert_eq!(parse_percent("101"), None);
    assert_eq!(parse_percent("-1"), None);
    assert_eq!(parse_percent("abc"), None);
    assert_eq!(parse_percent("NaN"), None);
    assert_eq!(format_percent(0.7), "70");
    assert_eq!(format_percent(0.125), "12.5");
}

#[test]
fn a_valid_form_gives_settings_and_the_cli_health_json() {
    let s = PageSettings::from_form(&form(&[
        ("sip_5xx.healthy", "5"),
        ("sip_5xx.degraded", "8"),
        ("country", " es "),
        ("short_digits", "4"),
        ("prefixes", "prefix,name\n34600,Spain mobile A\n"),
    ]))
    .unwrap();
    assert_eq!(s.health.sip_5xx.healthy, 0.05);
    assert_eq!(s.health.sip_5xx.degraded, 0.08);
    assert_eq!(s.health.ok_200, HealthPreset::VOS3000_GUIDELINE.ok_200);
    assert_eq!(s.country.as_deref(), Some("ES"));
    let plan = s.plan();
    assert_eq!(plan.home.as_deref(), Some("ES"));
    assert_eq!(plan.short_max_digits, Some(4));
    assert_eq!(
        plan.prefixes,
        vec![("34600".to_string(), "Spain mobile A".to_string())]
    );
    // The health part is exactly what `cdrscope report --health FILE.json` reads.
    let cli = HealthPreset::from_json(&s.health_json()).unwrap();
    assert_eq!(cli, s.health);
    assert!(s
        .health_json()
        .contains("\"sip_5xx\": {\n    \"healthy\": 0.05,"));
    // Stored and read back.
    assert_eq!(PageSettings::from_json(&s.to_json()).unwrap(), s);
    assert!(s.plan_differs(&PageSettings::default()));
}

#[test]
fn every_refused_field_is_listed_with_its_reason() {
    let errs = PageSettings::from_form(&form(&[
        ("ok_200.healthy", "40"),
        ("sip_4xx.degraded", "lots"),
        ("country", "XX"),
        ("short_digits", "16"),
        ("prefixes", "34,Spain\nabc,Bad\n"),
    ]))
    .unwrap_err();
    let got: Vec<(&str, FieldProblem, &str)> = errs
        .iter()
        .map(|e| (e.field.as_str(), e.problem, e.detail.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("sip_4xx.degraded", FieldProblem::NotPercent, "lots"),
            ("ok_200.healthy", FieldProblem::Order, "40 < 50"),
            ("country", FieldProblem::UnknownCountry, "XX"),
            ("short_digits", FieldProblem::ShortDigits, "16"),
            (
                "prefixes",
                FieldProblem::Prefixes,
                "line 2: the prefix \"abc\" is not digits (0-9, *, #)"
            ),
        ]
    );
}

#[test]
fn stored_json_that_is_broken_or_out_of_bounds_is_refused() {
    assert!(PageSettings::from_json("{").is_err());
    assert_eq!(
        PageSettings::from_json(r#"{"short_digits": 20}"#).unwrap_err(),
        "short_digits: 20 is above 15"
    );
    assert_eq!(
        PageSettings::from_json(r#"{"country": "ZZ"}"#).unwrap_err(),
        "unknown region \"ZZ\""
    );
    assert!(PageSettings::from_json(
        r#"{"health": {"sip_5xx": {"healthy": 0.3, "degraded": 0.1}}}"#
    )
    .is_err());
    assert!(PageSettings::from_json(r#"{"colour": 1}"#).is_err());
    // Keys left out keep their defaults.
    assert_eq!(
        PageSettings::from_json("{}").unwrap(),
        PageSettings::default()
    );
}
