//! KPI tiles (each with `data-kpi` and a machine-readable `data-value`) and the health badge
//! with the code-share thresholds next to the actual shares.

use crate::analysis::health::HealthPreset;
use crate::analysis::health::{Health, Verdict};
use crate::summary::{Kpis, Summary};
use crate::web::dom::{self, add, attr, el_class, el_text};
use crate::web::i18n::t;
use crate::web::ui::fmt;

fn tile(parent: &web_sys::Element, key: &str, value: &str, raw: &str, class: &str) {
    let d = el_class("div", &format!("kpi {class}"));
    attr(&d, "data-kpi", key);
    attr(&d, "data-value", raw);
    add(&d, &el_text("div", "kpi-label", t(key)));
    add(&d, &el_text("div", "kpi-value", value));
    add(parent, &d);
}

/// The CSS class of a verdict.
pub fn verdict_class(v: Verdict) -> &'static str {
    v.as_str()
}

/// A verdict in words, with the share that decided it: "degraded · 5xx share 21.0%", "not
/// enough calls", "borderline · 4xx share 15.0%".
pub fn verdict_words(h: &Health) -> String {
    let word = match h.verdict {
        Verdict::Unsure if h.few_calls => t("few_calls"),
        Verdict::Unsure => t("borderline"),
        v => t(v.as_str()),
    };
    match (&h.deciding, h.deciding_share) {
        (Some(share), Some(value)) if !(h.verdict == Verdict::Unsure && h.few_calls) => {
            format!("{word} · {} {}", t(share), fmt::pct(Some(value)))
        }
        _ => word.to_string(),
    }
}

/// Renders the tiles and the health panel.
pub fn render(s: &Summary) {
    let k = &s.overall;
    let p = dom::by_id("kpis");
    dom::clear(&p);
    let v = if k.attempts > 0 {
        verdict_class(k.health.verdict)
    } else {
        ""
    };
    tile(
        &p,
        "attempts",
        &fmt::int(k.attempts),
        &k.attempts.to_string(),
        "",
    );
    tile(
        &p,
        "answered",
        &fmt::int(k.answered),
        &k.answered.to_string(),
        "",
    );
    tile(
        &p,
        "asr",
        &fmt::pct(k.asr),
        &fmt::raw(k.asr),
        &format!("big {v}"),
    );
    tile(&p, "acd_s", &fmt::secs(k.acd_s), &fmt::raw(k.acd_s), "");
    tile(
        &p,
        "pdd_avg_ms",
        &fmt::ms_as_s(k.pdd_avg_ms),
        &fmt::raw(k.pdd_avg_ms),
        "",
    );
    tile(
        &p,
        "pdd_p95_ms",
        &fmt::ms_as_s(k.pdd_p95_ms),
        &fmt::raw(k.pdd_p95_ms),
        "",
    );
    tile(&p, "ner", &fmt::pct(k.ner), &fmt::raw(k.ner), "");
    tile(&p, "sdr", &fmt::pct(k.sdr), &fmt::raw(k.sdr), "");
    tile(
        &p,
        "minutes",
        &fmt::dec(k.minutes, 1),
        &format!("{}", k.minutes),
        "",
    );
    for (key, val) in [("fee", &k.fee), ("cost", &k.cost), ("margin", &k.margin)] {
        if let Some(val) = val {
            let shown = crate::display::decimal(val, crate::web::i18n::lang().code());
            tile(&p, key, &shown, val, "money");
        }
    }
    render_health(k, &s.health_preset);
}

fn render_health(k: &Kpis, preset: &HealthPreset) {
    let p = dom::by_id("health");
    dom::clear(&p);
    // No calls is no verdict: shares of nothing would read as "degraded".
    let v = (k.attempts > 0).then_some(k.health.verdict);
    let class = v.map_or("no-calls", verdict_class);
    let text = if v.is_some() {
        verdict_words(&k.health)
    } else {
        t(class).to_string()
    };
    let badge = el_text("div", &format!("badge {class}"), &text);
    attr(&badge, "data-health", class);
    attr(&badge, "role", "status");
    add(&p, &el_text("span", "health-title", t("health")));
    add(&p, &badge);
    let shares = [
        (k.shares.ok_200, k.health.ok_200),
        (k.shares.sip_4xx, k.health.sip_4xx),
        (k.shares.sip_5xx, k.health.sip_5xx),
        (k.shares.busy_486, k.health.busy_486),
    ];
    let list = el_class("div", "shares");
    for ((name, band, higher), (value, verdict)) in preset.bands().into_iter().zip(shares) {
        let class = v.map_or("no-calls", |_| verdict_class(verdict));
        let row = el_class("div", &format!("share {class}"));
        attr(&row, "data-share", name);
        attr(&row, "data-value", &format!("{value}"));
        add(&row, &el_text("span", "share-name", t(name)));
        add(
            &row,
            &el_text("strong", "share-value", &fmt::pct(Some(value))),
        );
        // The verdict in words next to its colour.
        add(
            &row,
            &el_text("span", "share-verdict", t(verdict_class(verdict))),
        );
        let (better, worse) = if higher { (">", "<") } else { ("<", ">") };
        let rule = format!(
            "{} {better} {:.0}% · {} {worse} {:.0}%",
            t("healthy"),
            band.healthy * 100.0,
            t("degraded"),
            band.degraded * 100.0
        );
        add(&row, &el_text("span", "share-rule", &rule));
        add(&list, &row);
    }
    add(&p, &list);
}
