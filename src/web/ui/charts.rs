//! The chart grid: plotters SVG drawn here on the main thread, clicks drill into the calls.

use crate::chart::{self, Chart, CodeSide, Palette, Words};
use crate::outcome::Outcome;
use crate::summary::Summary;
use crate::web::app::App;
use crate::web::dom::{self, add, attr, el_class, el_text};
use crate::web::i18n::{lang, t};

/// The charts of the grid, in order.
pub const KEYS: [&str; 10] = [
    "gateways",
    "codes",
    "outcomes",
    "ended",
    "timeline",
    "concurrency",
    "destinations",
    "direction",
    "pdd",
    "duration",
];

/// Prepares the grid for drawing the charts in order with [`draw`]. The figures stay in place,
/// with their previous drawing until redrawn, so the page does not jump while charts are drawn
/// one per task.
pub fn begin(app: &mut App) {
    app.charts.clear();
    let grid = dom::by_id("charts");
    if grid.child_element_count() as usize != KEYS.len() {
        dom::clear(&grid);
        for (i, key) in KEYS.iter().enumerate() {
            let fig = el_class("figure", "chart");
            attr(&fig, "data-chart", key);
            attr(&fig, "data-index", &i.to_string());
            add(&grid, &fig);
        }
    }
}

/// The words charts print, in the page's language.
pub fn words() -> Words {
    Words {
        lang: lang().code(),
        other: t("other"),
        answered: t("w_answered"),
        attempts: t("w_attempts"),
        caller: t("w_caller"),
        callee: t("w_callee"),
        server: t("w_server"),
        none: t("w_none"),
        asr_key: t("w_asr_key"),
        peak: t("w_peak"),
        refused: t("w_refused"),
        bucket_max: t("w_bucket_max"),
        cps: t("w_cps"),
        outcomes: Outcome::ALL.map(|o| t(&format!("o_{}", o.as_str()))),
    }
}

/// The chart `key` of `s`.
fn make(key: &str, s: &Summary, pal: &Palette) -> Chart {
    let words = words();
    match key {
        "gateways" => chart::gateway_health(s, pal, t("ch_gateways"), &words, 15),
        "codes" => chart::code_distribution(s, pal, t("ch_codes"), &words, 10, CodeSide::Failed),
        "ended" => chart::code_distribution(s, pal, t("ch_ended"), &words, 10, CodeSide::Answered),
        "outcomes" => chart::outcome_donut(s, pal, t("ch_outcomes"), &words),
        "timeline" => chart::attempts_over_time(s, pal, t("ch_timeline"), &words),
        "concurrency" => chart::concurrency_over_time(s, pal, t("ch_concurrency"), &words),
        "destinations" => chart::failing_destinations(s, pal, t("ch_dest"), &words, 10),
        "direction" => chart::direction_split(s, pal, t("ch_direction"), &words),
        "pdd" => chart::pdd_histogram(s, pal, t("ch_pdd"), &words),
        _ => chart::duration_histogram(s, pal, t("ch_duration"), &words),
    }
}

/// Draws chart `i` of [`KEYS`] into its figure; call in order after [`begin`].
pub fn draw(app: &mut App, s: &Summary, i: usize) {
    let Some(key) = KEYS.get(i) else {
        return;
    };
    if app.charts.len() != i {
        return;
    }
    let c = make(key, s, &Palette { dark: app.dark });
    let Ok(Some(fig)) =
        dom::by_id("charts").query_selector(&format!(":scope > figure[data-index=\"{i}\"]"))
    else {
        return;
    };
    dom::clear(&fig);
    // Data the format does not carry: one line instead of empty axes.
    if let Some(m) = crate::page_panels::missing(key, s) {
        let line = el_class("p", "no-data");
        dom::set_text(&line, &t(m.text_key()).replace("{}", &s.format_name));
        attr(&line, "data-missing", m.text_key());
        add(&fig, &el_text("h3", "", &chart_title(key)));
        add(&fig, &line);
        app.charts.push((key.to_string(), c));
        return;
    }
    let area = el_class("div", "chart-svg");
    attr(&area, "data-action", "chart-click");
    attr(&area, "data-index", &i.to_string());
    if let Some(svg) = dom::svg_element(&c.svg) {
        attr(&svg, "role", "img");
        attr(&svg, "aria-label", &chart_title(key));
        attr(&svg, "preserveAspectRatio", "xMinYMin meet");
        svg.remove_attribute("width").ok();
        svg.remove_attribute("height").ok();
        add(&area, &svg);
    }
    add(&fig, &area);
    // The clickable regions as buttons too, so the keyboard reaches every drill-down
    // (visually hidden until one has focus).
    if !c.hits.is_empty() {
        // One tab stop per chart: the first key; arrows move between keys (events.rs).
        let keys = el_class("div", "chart-keys");
        attr(&keys, "role", "toolbar");
        attr(&keys, "aria-label", &chart_title(key));
        for (n, hit) in c.hits.iter().enumerate() {
            let label = if hit.label == crate::analysis::filter::NONE_NAME {
                t("w_none")
            } else {
                hit.label.as_str()
            };
            let b = dom::button(label, "drill");
            attr(&b, "tabindex", if n == 0 { "0" } else { "-1" });
            attr(
                &b,
                "data-filter",
                &serde_json::to_string(&hit.filter).unwrap_or_default(),
            );
            add(&keys, &b);
        }
        add(&fig, &keys);
    }
    let tools = el_class("figcaption", "chart-tools");
    let b1 = dom::button(t("svg"), "chart-svg");
    attr(&b1, "data-index", &i.to_string());
    let b2 = dom::button(t("png"), "chart-png");
    attr(&b2, "data-index", &i.to_string());
    add(&tools, &b1);
    add(&tools, &b2);
    add(&fig, &tools);
    app.charts.push((key.to_string(), c));
}

/// The localized title of a chart key, for screen readers.
fn chart_title(key: &str) -> String {
    let k = match key {
        "codes" => "ch_codes",
        "ended" => "ch_ended",
        "outcomes" => "ch_outcomes",
        "timeline" => "ch_timeline",
        "concurrency" => "ch_concurrency",
        "gateways" => "ch_gateways",
        "destinations" => "ch_dest",
        "direction" => "ch_direction",
        "pdd" => "ch_pdd",
        _ => "ch_duration",
    };
    t(k).to_string()
}

/// The chart hit under a click at (`x`, `y`) given in the rendered element's pixels.
pub fn hit_at(
    app: &App,
    index: usize,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
) -> Option<crate::analysis::Filter> {
    let (_, c) = app.charts.get(index)?;
    if w <= 0.0 || h <= 0.0 {
        return None;
    }
    // The SVG keeps its aspect ratio and sits at the top left (xMinYMin meet).
    let scale = (w / f64::from(c.width)).min(h / f64::from(c.height));
    let (sx, sy) = (x / scale, y / scale);
    c.hits
        .iter()
        .find(|hit| hit.contains(sx, sy))
        .map(|hit| hit.filter.clone())
}
