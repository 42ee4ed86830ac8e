//! Native tests of the charts: real figures from the VOS3000 fixture, and hostile names escaped.

use super::*;
use crate::analysis::{Dataset, SummaryOptions};
use crate::formats::FormatOptions;
use crate::summary::{GroupKpis, Summary};

fn fixture_summary() -> Summary {
    let mut d = Dataset::new();
    d.read_bytes(
        "vos3000_cdr_en.csv",
        include_bytes!("../../tests/fixtures/vos3000_cdr_en.csv"),
        FormatOptions::default(),
    )
    .expect("fixture reads");
    d.summary(&Filter::default(), &SummaryOptions::default())
}

const LIGHT: Palette = Palette { dark: false };

#[test]
fn gateway_names_are_escaped_in_the_svg() {
    let mut s = Summary::default();
    s.by_egress_gateway.push(GroupKpis {
        name: "<script>x</script>&\"GW\"".to_string(),
        ..GroupKpis::default()
    });
    let c = gateway_health(&s, &LIGHT, "ASR per gateway", &Words::default(), 12);
    assert!(
        c.svg.contains("&lt;script&gt;x&lt;/script&gt;&amp;"),
        "{}",
        c.svg
    );
    assert!(!c.svg.contains("<script>"));
    assert_eq!(c.hits.len(), 1);
    assert_eq!(
        c.hits[0].filter.egress,
        vec!["<script>x</script>&\"GW\"".to_string()]
    );
}

#[test]
fn code_distribution_has_top_codes_and_other() {
    let s = fixture_summary();
    let c = code_distribution(
        &s,
        &LIGHT,
        "Why attempts failed",
        &Words::default(),
        8,
        CodeSide::Failed,
    );
    // 10 failure codes in the fixture: the 8 most frequent, then one "other" bar for the last
    // 2; the hang-ups -9/-8 of answered calls are not among them.
    assert_eq!(c.hits.len(), 9);
    assert_eq!(c.hits[0].filter.code, vec!["503".to_string()]);
    assert_eq!(c.hits[0].filter.answered, Some(false));
    assert!(c.svg.contains("503 Service Unavailable"));
    assert!(c.svg.contains("294 · 14.7%"), "503 share missing");
    assert!(
        !c.svg.contains(">-9") && !c.svg.contains(">-8"),
        "{}",
        c.svg
    );
    assert_eq!(c.hits[8].label, "other (2)");
    assert_eq!(c.hits[8].filter.code, vec!["500", "484"]);
    let ended = code_distribution(
        &s,
        &LIGHT,
        "How answered calls ended",
        &Words::default(),
        8,
        CodeSide::Answered,
    );
    assert_eq!(ended.hits.len(), 2);
    assert_eq!(ended.hits[0].filter.code, vec!["-9".to_string()]);
    assert_eq!(ended.hits[0].filter.answered, Some(true));
    assert!(ended.svg.contains("411 · 20.5%"), "{}", ended.svg);
    assert!(c.svg.starts_with("<svg"));
    // Class colours: the 503 bar (5xx) is drawn red.
    assert!(c.svg.contains("fill=\"#D63B3B\""));
}

#[test]
fn gateway_health_lists_every_egress_gateway_with_asr() {
    let s = fixture_summary();
    let c = gateway_health(&s, &LIGHT, "ASR per gateway", &Words::default(), 12);
    assert_eq!(c.hits.len(), s.by_egress_gateway.len().min(12));
    let sg = s
        .by_egress_gateway
        .iter()
        .position(|g| g.name == "GW_SG_CHEAP")
        .expect("GW_SG_CHEAP present");
    assert_eq!(c.hits[sg].filter.egress, vec!["GW_SG_CHEAP".to_string()]);
    // 94 answered of 471 attempts.
    assert!(
        c.svg.contains("20.0% · ✕503 52% · ACD 115s · PDD 4.4s"),
        "GW_SG_CHEAP note missing"
    );
    assert!(c.hits[0].contains(10.0, f64::from(c.hits[0].y0 + 2)));
}

#[test]
fn timeline_buckets_are_clickable_time_ranges() {
    let s = fixture_summary();
    let c = attempts_over_time(&s, &LIGHT, "Attempts and ASR", &Words::default());
    assert_eq!(c.hits.len(), s.timeline.points.len());
    let first = &s.timeline.points[0];
    assert_eq!(c.hits[0].filter.from_ms, Some(first.start_ms));
    assert_eq!(
        c.hits[0].filter.to_ms,
        Some(first.start_ms + i64::from(s.timeline.bucket_min) * 60_000)
    );
    assert!(c.hits[0].x1 > c.hits[0].x0);
}

#[test]
fn donut_outcomes_add_up_to_attempts() {
    use crate::outcome::Outcome::*;
    let s = fixture_summary();
    let counts = donut::outcome_counts(&s);
    assert_eq!(counts.iter().map(|c| c.1).sum::<u64>(), 2000);
    // The 745 answered calls are answered whatever their -9/-8 hang-up code; 503 and 500 are
    // the vendors' unavailability, the 408s without PDD timeouts, -69 the switch's no route.
    assert_eq!(
        counts,
        vec![
            (Answered, 745),
            (Busy, 195),
            (NoAnswer, 180),
            (Cancelled, 222),
            (Rejected, 36),
            (NumberError, 77),
            (NoRoute, 64),
            (Unavailable, 311),
            (Timeout, 170),
        ]
    );
    let c = outcome_donut(&s, &LIGHT, "Outcomes", &Words::default());
    assert_eq!(c.hits.len(), counts.len());
    assert_eq!(c.hits[0].filter.outcome, vec!["answered".to_string()]);
    assert_eq!(c.hits[7].filter.outcome, vec!["unavailable".to_string()]);
    assert!(c.svg.contains("ASR 37.2%"), "{}", c.svg);
    assert!(
        c.svg.contains("vendor unavailable   311   (15.6%)"),
        "{}",
        c.svg
    );
}

#[test]
fn ring_slices_cover_the_ring_in_proportion() {
    let slices = donut::ring_slices((100, 100), 50.0, 30.0, &[1.0, 3.0]);
    assert_eq!(slices.len(), 2);
    for s in &slices {
        for &(x, y) in s {
            let r = f64::from((x - 100).pow(2) + (y - 100).pow(2)).sqrt();
            assert!((29.0..=51.0).contains(&r), "({x}, {y}) at {r}");
        }
    }
    // The first slice starts at the top and ends a quarter turn later, at the right; the second
    // starts there.
    assert_eq!(slices[0][0], (100, 50));
    let outer_end = slices[0].len() / 2 - 1;
    assert_eq!(slices[0][outer_end], (150, 100));
    assert_eq!(slices[1][0], (150, 100));
    assert!(donut::ring_slices((0, 0), 10.0, 5.0, &[0.0, 0.0]).is_empty());
}

#[test]
fn histograms_and_direction_draw_without_panicking_on_empty_summary() {
    let s = Summary::default();
    for c in [
        pdd_histogram(&s, &LIGHT, "PDD", &Words::default()),
        duration_histogram(&s, &Palette { dark: true }, "Talk time", &Words::default()),
        direction_split(&s, &LIGHT, "Who hung up", &Words::default()),
        failing_destinations(&s, &LIGHT, "Failing destinations", &Words::default(), 10),
        outcome_donut(&s, &LIGHT, "Outcomes", &Words::default()),
        attempts_over_time(&s, &LIGHT, "Attempts", &Words::default()),
    ] {
        assert!(c.svg.starts_with("<svg"), "{}", c.svg);
        assert!(c.svg.trim_end().ends_with("</svg>"));
    }
}

#[test]
fn failing_destinations_pair_prefix_and_code() {
    let s = fixture_summary();
    let c = failing_destinations(&s, &LIGHT, "Failing destinations", &Words::default(), 10);
    assert!(!c.hits.is_empty());
    let h = &c.hits[0];
    assert_eq!(h.filter.prefix.len(), 1);
    assert_eq!(h.filter.code.len(), 1);
    let d = s
        .by_destination
        .iter()
        .find(|d| d.name == h.filter.prefix[0])
        .expect("destination");
    assert_eq!(
        d.top_failure.as_ref().map(|f| f.code.clone()),
        Some(h.filter.code[0].clone())
    );
}

/// Spanish words as the page passes them.
const SPANISH: Words = Words {
    lang: "es",
    other: "otros",
    answered: "contestadas",
    attempts: "intentos",
    caller: "llamante",
    callee: "llamado",
    server: "servidor",
    none: "(sin dato)",
    asr_key: "ASR % (≥ 10 llamadas)",
    peak: "pico",
    refused: "rechazadas",
    bucket_max: "máximo simultáneo en cada intervalo",
    cps: "intentos por segundo",
    outcomes: [
        "contestadas",
        "ocupado",
        "sin respuesta",
        "canceladas",
        "rechazadas",
        "número erróneo",
        "sin ruta",
        "proveedor no disponible",
        "tiempo agotado",
        "medios / códec",
        "autenticación / cuenta",
        "otros",
    ],
};

#[test]
fn charts_print_the_words_they_are_given() {
    let s = fixture_summary();
    let c = code_distribution(&s, &LIGHT, "Códigos", &SPANISH, 8, CodeSide::Failed);
    // The 503 bar takes the reference's Spanish title; the rest bar is "otros".
    assert!(c.svg.contains("503 Servicio no disponible"), "{}", c.svg);
    assert!(!c.svg.contains("Service Unavailable"));
    assert_eq!(c.hits[8].label, "otros (2)");
    let donut = outcome_donut(&s, &LIGHT, "Resultados", &SPANISH);
    assert!(donut.svg.contains("contestadas"));
    assert!(!donut.svg.contains("answered"));
    let t = attempts_over_time(&s, &LIGHT, "Intentos", &SPANISH);
    assert!(t.svg.contains("intentos") && t.svg.contains("contestadas"));
    assert!(!t.svg.contains("attempts"));
    let d = direction_split(&s, &LIGHT, "Quién colgó", &SPANISH);
    assert!(d.svg.contains("llamante") && d.svg.contains("llamado"));
    // The filter behind a bar keeps the machine name.
    assert!(d
        .hits
        .iter()
        .any(|h| h.filter.direction == [crate::analysis::filter::EndedBy::Caller]));
}

#[test]
fn the_asr_line_skips_buckets_of_fewer_than_ten_attempts() {
    use crate::chart::{asr_segments, ASR_MIN_ATTEMPTS};
    use crate::summary::TimePoint;
    let point = |attempts: u64, answered: u64| TimePoint {
        attempts,
        answered,
        asr: (attempts > 0).then(|| answered as f64 / attempts as f64),
        ..TimePoint::default()
    };
    assert_eq!(ASR_MIN_ATTEMPTS, 10);
    // 1 of 2 and 0 of 1 would swing the line to 50 % and 0 %; 9 calls are still too few.
    let points = [
        point(40, 20),
        point(10, 6),
        point(2, 1),
        point(1, 0),
        point(20, 5),
        point(9, 9),
        point(0, 0),
        point(50, 25),
        point(10, 4),
    ];
    assert_eq!(
        asr_segments(&points),
        vec![
            vec![(0.5, 50.0), (1.5, 60.0)],
            vec![(4.5, 25.0)],
            vec![(7.5, 50.0), (8.5, 40.0)],
        ]
    );
    // The key says the rule, in the chart's language.
    let s = fixture_summary();
    let svg = attempts_over_time(&s, &LIGHT, "Intentos", &SPANISH).svg;
    assert!(svg.contains("ASR % (≥ 10 llamadas)"), "{svg}");
    let svg = attempts_over_time(&s, &LIGHT, "Attempts", &Words::default()).svg;
    assert!(svg.contains("ASR % (≥ 10 calls)"));
}

#[test]
fn calls_without_a_name_are_named_in_the_chart_language() {
    let mut s = fixture_summary();
    s.by_egress_gateway[0].name = "(none)".into();
    let es = gateway_health(&s, &LIGHT, "ASR por gateway", &SPANISH, 12);
    assert!(es.svg.contains("(sin dato)"), "{}", es.svg);
    assert!(!es.svg.contains("(none)"));
    assert_eq!(es.hits[0].label, "(sin dato)");
    // The filter behind the bar keeps the machine name.
    assert_eq!(es.hits[0].filter.egress, vec!["(none)".to_string()]);
    let en = gateway_health(&s, &LIGHT, "ASR per gateway", &Words::default(), 12);
    assert!(en.svg.contains("(none)"));
}

#[test]
fn concurrency_chart_labels_peak_and_p95() {
    let s = fixture_summary();
    let l = s.load.as_ref().expect("load computed with the findings");
    assert_eq!(l.series.peak.len(), s.timeline.points.len());
    let c = concurrency_over_time(&s, &LIGHT, "Concurrent calls", &Words::default());
    let (peak, p95) = (l.overall.peak_concurrent, l.overall.p95_concurrent);
    assert!(
        c.svg.contains(&format!("peak {peak} · p95 {p95}")),
        "{}",
        c.svg
    );
    assert!(c.svg.contains(&format!("\npeak {peak}\n")), "{}", c.svg);
    assert!(c.svg.contains(&format!("\np95 {p95}\n")), "{}", c.svg);
    assert_eq!(c.hits.len(), s.timeline.points.len());
    // Attempts per second on a line of their own.
    let (cps, cps95) = (l.overall.peak_cps, l.overall.p95_cps);
    assert!(cps >= 1 && cps >= cps95, "{cps} {cps95}");
    assert!(
        c.svg
            .contains(&format!("attempts per second: peak {cps} · p95 {cps95}")),
        "{}",
        c.svg
    );
    let es = concurrency_over_time(&s, &LIGHT, "Llamadas simultáneas", &SPANISH);
    assert!(es.svg.contains(&format!("pico {peak} · p95 {p95}")));
    assert!(es
        .svg
        .contains(&format!("intentos por segundo: pico {cps} · p95 {cps95}")));
    // Narrowed to one egress gateway, the title names it.
    let mut one = s.clone();
    one.filter.egress = vec!["GW<1>".into()];
    assert_eq!(
        concurrency_title(&one, "Concurrent calls"),
        format!("Concurrent calls: GW<1> ({} min)", s.timeline.bucket_min)
    );
    // Without the load (a partial summary), an empty chart rather than a false zero line.
    let mut none = s.clone();
    none.load = None;
    let c = concurrency_over_time(&none, &LIGHT, "Concurrent calls", &Words::default());
    assert!(!c.svg.contains("\npeak 0\n"));
}
