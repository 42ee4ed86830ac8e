//! VOS3000 fixtures (English `e_cdr` names, Chinese GB18030 client export) reproduce the
//! independently computed figures in tests/fixtures/expected.json.

use cdrscope::analysis::{Dataset, Filter, SummaryOptions};
use cdrscope::summary::{GroupKpis, Kpis, Summary};
use cdrscope::FormatOptions;
use serde_json::Value;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn expected() -> Value {
    serde_json::from_slice(&fixture("expected.json")).unwrap()
}

fn summarize(name: &str, opts: &SummaryOptions) -> Summary {
    let mut d = Dataset::new();
    d.read_bytes(name, &fixture(name), FormatOptions::default())
        .unwrap();
    d.summary(&Filter::default(), opts)
}

/// Asserts `actual` equals `expected` at the precision expected.json rounds to.
fn close(what: &str, actual: Option<f64>, expected: &Value) {
    match (actual, expected.as_f64()) {
        (None, None) => {}
        (Some(a), Some(e)) => {
            let text = expected.to_string();
            let decimals = text.split_once('.').map_or(0, |(_, f)| f.len()) as i32;
            let tol = 0.5 * 10f64.powi(-decimals) + 1e-9;
            assert!((a - e).abs() <= tol, "{what}: {a} vs expected {e}");
        }
        (a, _) => panic!("{what}: {a:?} vs expected {expected}"),
    }
}

fn check_kpis(what: &str, k: &Kpis, e: &Value) {
    assert_eq!(
        k.attempts,
        e["attempts"].as_u64().unwrap(),
        "{what} attempts"
    );
    assert_eq!(
        k.answered,
        e["answered"].as_u64().unwrap(),
        "{what} answered"
    );
    assert_eq!(
        k.total_hold_s,
        e["total_hold_s"].as_u64().unwrap(),
        "{what} hold"
    );
    assert_eq!(
        k.pdd_rows,
        e["pdd_rows"].as_u64().unwrap(),
        "{what} pdd rows"
    );
    assert_eq!(
        k.short_calls,
        e["short_lt_6s"].as_u64().unwrap(),
        "{what} short calls"
    );
    close(&format!("{what} asr"), k.asr, &e["asr"]);
    close(&format!("{what} acd"), k.acd_s, &e["acd_s"]);
    close(&format!("{what} pdd avg"), k.pdd_avg_ms, &e["pdd_avg_ms"]);
    close(
        &format!("{what} pdd median"),
        k.pdd_p50_ms,
        &e["pdd_median_ms"],
    );
    close(&format!("{what} ner"), k.ner, &e["ner"]);
    close(
        &format!("{what} ner487"),
        k.ner_incl_487,
        &e["ner_incl_487"],
    );
    close(&format!("{what} sdr"), k.sdr, &e["sdr_lt_6s"]);
    assert_eq!(
        k.ner_effective,
        e["ner_effective"].as_u64(),
        "{what} ner effective"
    );
}

fn check_codes(what: &str, g: &[cdrscope::summary::CodeCount], e: &Value) {
    let e = e.as_object().unwrap();
    assert_eq!(g.len(), e.len(), "{what}: number of distinct codes");
    for c in g {
        assert_eq!(
            Some(c.count),
            e[&c.code].as_u64(),
            "{what}: code {}",
            c.code
        );
    }
}

fn check_groups(what: &str, groups: &[GroupKpis], e: &Value) {
    let e = e.as_object().unwrap();
    assert_eq!(groups.len(), e.len(), "{what}: number of groups");
    for g in groups {
        let eg = &e[&g.name];
        check_kpis(&format!("{what} {}", g.name), &g.kpis, eg);
        check_codes(&format!("{what} {}", g.name), &g.codes, &eg["code_counts"]);
    }
}

fn check_vos(s: &Summary) {
    let e = &expected()["files"]["vos3000_cdr_en.csv"];
    assert_eq!(s.format, "vos3000");
    assert_eq!(s.rows.accepted, 2000);
    assert_eq!(s.rows.rejected, 0);
    assert_eq!(s.rows.header, 1);
    check_kpis("overall", &s.overall, &e["overall"]);
    check_codes("overall", &s.by_code, &e["overall"]["code_counts"]);
    check_groups("egress", &s.by_egress_gateway, &e["per_calleegatewayid"]);
    check_groups("ingress", &s.by_ingress_gateway, &e["per_callergatewayid"]);
    check_groups("prefix", &s.by_destination, &e["per_destination_prefix"]);
    check_groups(
        "gateway|prefix",
        &s.by_gateway_destination,
        &e["per_gateway_and_prefix"],
    );
    let dirs = e["enddirection_counts"].as_object().unwrap();
    let name = |k: &str| match k {
        "0" => "caller",
        "1" => "callee",
        _ => "server",
    };
    assert_eq!(s.by_end_direction.len(), dirs.len());
    for (k, v) in dirs {
        let got = s
            .by_end_direction
            .iter()
            .find(|d| d.name == name(k))
            .unwrap();
        assert_eq!(Some(got.count), v.as_u64(), "end direction {k}");
    }
    let hours: Vec<u64> = e["rows_per_local_hour_of_stoptime_utc+8"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    let got: Vec<u64> = (0..24)
        .map(|h| {
            s.by_hour
                .iter()
                .find(|g| g.name == format!("{h:02}"))
                .map_or(0, |g| g.kpis.attempts)
        })
        .collect();
    assert_eq!(got, hours, "attempts per local hour (UTC+8)");
}

#[test]
fn vos3000_english_matches_expected() {
    let opts = SummaryOptions {
        tz_offset_min: 480,
        codes_per_group: usize::MAX,
        ..SummaryOptions::default()
    };
    let s = summarize("vos3000_cdr_en.csv", &opts);
    assert_eq!(s.encoding, "utf-8");
    assert_eq!(s.time_basis, "utc");
    assert!(
        s.format_reason.contains("e_cdr column names"),
        "{}",
        s.format_reason
    );
    check_vos(&s);
    // Money is summed in fixed point at the file's precision.
    assert_eq!(s.overall.fee.as_deref(), Some("44.3314"));
    assert_eq!(s.overall.cost.as_deref(), Some("32.4289"));
    assert_eq!(s.overall.margin.as_deref(), Some("11.9025"));
}

#[test]
fn vos3000_chinese_gb18030_matches_expected() {
    // The client export has local (UTC+8) wall-clock times, so no offset is applied.
    let opts = SummaryOptions {
        tz_offset_min: -300,
        codes_per_group: usize::MAX,
        ..SummaryOptions::default()
    };
    let s = summarize("vos3000_cdr_zh_gb18030.csv", &opts);
    assert_eq!(s.encoding, "gb18030");
    assert_eq!(s.time_basis, "naive_local");
    assert!(
        s.format_reason.contains("Chinese client labels"),
        "{}",
        s.format_reason
    );
    check_vos(&s);
    let en = summarize(
        "vos3000_cdr_en.csv",
        &SummaryOptions {
            tz_offset_min: 480,
            codes_per_group: usize::MAX,
            ..SummaryOptions::default()
        },
    );
    assert_eq!(
        s.time_range.as_ref().unwrap().first,
        en.time_range.as_ref().unwrap().first
    );
    assert_eq!(s.overall.fee, en.overall.fee);
}

#[test]
fn filters_narrow_the_figures() {
    let mut d = Dataset::new();
    d.read_bytes(
        "vos",
        &fixture("vos3000_cdr_en.csv"),
        FormatOptions::default(),
    )
    .unwrap();
    let opts = SummaryOptions::default();
    let f = Filter {
        egress: vec!["GW_SG_CHEAP".into()],
        ..Filter::default()
    };
    let s = d.summary(&f, &opts);
    assert_eq!((s.overall.attempts, s.overall.answered), (471, 94));
    assert_eq!(s.by_code[0].code, "503");
    assert_eq!(s.by_code[0].count, 243);
    assert_eq!(s.rows.in_filter, 471);
    let f = Filter {
        code: vec!["503".into()],
        ..Filter::default()
    };
    assert_eq!(d.summary(&f, &opts).overall.attempts, 294);
    let page = d.rows(&f, &opts, 0, 10);
    assert_eq!(page.total, 294);
    assert_eq!(page.rows.len(), 10);
    // The rows point back at the original lines of the file.
    let bytes = fixture("vos3000_cdr_en.csv");
    for r in &page.rows {
        let raw =
            std::str::from_utf8(&bytes[r.offset as usize..(r.offset + u64::from(r.len)) as usize])
                .unwrap();
        let raw = raw.trim_end();
        assert_eq!(
            raw.split(',').nth(48),
            Some("503"),
            "line {}: {raw}",
            r.line
        );
        let line_text = std::str::from_utf8(&bytes)
            .unwrap()
            .lines()
            .nth(r.line as usize - 1)
            .unwrap();
        assert_eq!(line_text, raw);
    }
    let f = Filter {
        egress: vec!["(none)".into()],
        ..Filter::default()
    };
    assert_eq!(d.summary(&f, &opts).overall.attempts, 64);
    let f = Filter {
        answered: Some(true),
        class: vec!["2xx".into()],
        ..Filter::default()
    };
    // Answered VOS rows end with -8/-9, yet they are answered: their class is 2xx.
    assert_eq!(d.summary(&f, &opts).overall.attempts, 745);
    let f = Filter {
        outcome: vec!["timeout".into(), "no_route".into()],
        ..Filter::default()
    };
    // The 170 408s without PDD (nothing rang) and the 64 -69s refused by the switch.
    assert_eq!(d.summary(&f, &opts).overall.attempts, 170 + 64);
    let f = Filter {
        class: vec!["5xx".into()],
        ..Filter::default()
    };
    assert_eq!(d.summary(&f, &opts).overall.attempts, 294 + 17);
}

#[test]
fn cli_errors_name_the_file_and_exit_2() {
    let bin = env!("CARGO_BIN_EXE_cdrscope");
    let dir = std::env::temp_dir().join(format!("cdrscope-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let empty = dir.join("empty.csv");
    std::fs::write(&empty, b"").unwrap();
    let png = dir.join("logo.csv");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let other = dir.join("people.csv");
    std::fs::write(&other, "name,age\nann,31\nbob,42\n").unwrap();
    let cases = [
        (
            dir.join("missing.csv"),
            "missing.csv: cannot open: no such file",
        ),
        (empty.clone(), "empty.csv: the file is empty"),
        (
            png.clone(),
            "logo.csv: this is a PNG image, not a CSV/text CDR export",
        ),
        (other.clone(), "people.csv: not a recognised CDR format"),
    ];
    for (path, msg) in cases {
        let out = std::process::Command::new(bin)
            .args(["report", path.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{msg}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(msg), "{err:?} should contain {msg:?}");
    }
    let out = std::process::Command::new(bin)
        .args([
            "report",
            "--json",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/vos3000_cdr_en.csv"
            ),
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["format"], "vos3000");
    assert_eq!(v["encoding"], "utf-8");
    assert_eq!(v["rows"]["accepted"], 2000);
    assert_eq!(v["rows"]["rejected"], 0);
    assert_eq!(v["overall"]["attempts"], 2000);
    assert_eq!(v["overall"]["answered"], 745);
    assert_eq!(v["overall"]["asr"], 0.3725);
    assert!((v["overall"]["acd_s"].as_f64().unwrap() - 102.57).abs() < 0.005);
    assert!((v["overall"]["pdd_avg_ms"].as_f64().unwrap() - 3521.5).abs() < 0.05);
    assert_eq!(v["overall"]["ner"], 0.578);
    let gw = v["by_egress_gateway"].as_array().unwrap();
    let sg = gw.iter().find(|g| g["name"] == "GW_SG_CHEAP").unwrap();
    assert_eq!(
        (sg["attempts"].as_u64(), sg["answered"].as_u64()),
        (Some(471), Some(94))
    );
    assert_eq!(v["by_code"][0]["code"], "-9");
    assert_eq!(v["by_code"][0]["count"], 411);
    assert_eq!(v["rejects"].as_array().unwrap().len(), 0);
    assert_eq!(v["rejects_total"], 0);
}

/// The progress summary (no groups, no findings) has the full summary's overall KPIs, rows
/// and time range, and nothing it skipped.
#[test]
fn progress_summary_keeps_the_overall_figures() {
    let name = "vos3000_cdr_en.csv";
    let mut d = Dataset::new();
    d.read_bytes(name, &fixture(name), FormatOptions::default())
        .unwrap();
    let full = d.summary(&Filter::default(), &SummaryOptions::default());
    let light = d.summary(
        &Filter::default(),
        &SummaryOptions {
            groups: false,
            findings: false,
            ..SummaryOptions::default()
        },
    );
    assert_eq!(light.overall, full.overall);
    assert_eq!(light.overall.attempts, 2000);
    assert_eq!(light.overall.answered, 745);
    assert_eq!(light.rows, full.rows);
    let range = |s: &Summary| s.time_range.as_ref().map(|r| (r.first_ms, r.last_ms));
    assert_eq!(range(&light), range(&full));
    assert!(range(&light).is_some());
    assert_eq!(light.by_code, full.by_code);
    assert!(light.by_egress_gateway.is_empty() && !full.by_egress_gateway.is_empty());
    assert!(light.timeline.points.is_empty() && light.findings.is_empty());
}
