//! Findings at the top of the dashboard: severity, title, evidence, action, in the page's
//! language; a click applies the finding's filter and shows the rows at fault.

use crate::analysis::health::{Health, Verdict};
use crate::analysis::Filter;
use crate::web::app::get;
use crate::web::dom::{self, add, attr, el_class, el_text};
use crate::web::i18n::{lang, t};
use serde::Deserialize;
use wasm_bindgen::JsValue;

/// A finding's words in one language (as the worker sends them).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TextView {
    lang: String,
    title: String,
    evidence: String,
    action: String,
}

/// The parts of a finding the page shows (read from the summary's plain object).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FindingView {
    rule: String,
    severity: String,
    subject: String,
    title: String,
    evidence: String,
    action: String,
    texts: Vec<TextView>,
    filter: Filter,
    rows: Filter,
}

/// Renders the findings of the summary object; hidden when there are none.
pub fn render(summary: &JsValue) {
    let list: Vec<FindingView> =
        serde_wasm_bindgen::from_value(get(summary, "findings")).unwrap_or_default();
    let p = super::panel("findings", t("findings"));
    let overall = get(summary, "overall");
    let attempts = get(&overall, "attempts").as_f64().unwrap_or(0.0);
    let health: Health =
        serde_wasm_bindgen::from_value(get(&overall, "health")).unwrap_or_default();
    dom::show(&p, !list.is_empty() || attempts > 0.0);
    if list.is_empty() {
        // "Nothing stands out" next to an amber or red badge must say why the two differ:
        // the findings compare groups with each other, the verdict compares shares with fixed
        // thresholds.
        add(&p, &el_text("p", "no-findings", t("no_findings")));
        if health.verdict != Verdict::Healthy {
            let why = format!(
                "{} ({})",
                t("verdict_vs_findings"),
                super::kpis::verdict_words(&health)
            );
            add(&p, &el_text("p", "no-findings-why", &why));
        }
        return;
    }
    // The three with most impact stay in view; the rest fold away so the numbers stay on screen.
    const SHOWN: usize = 3;
    let ol = el_class("ol", "finding-list");
    let more = el_class("details", "more-findings");
    add(
        &more,
        &el_text(
            "summary",
            "",
            &format!(
                "{} ({})",
                t("more_findings"),
                list.len().saturating_sub(SHOWN)
            ),
        ),
    );
    let more_ol = el_class("ol", "finding-list");
    for (i, f) in list.iter().enumerate() {
        let text = f.texts.iter().find(|x| x.lang == lang().code());
        let (title, evidence, action) = match text {
            Some(x) => (&x.title, &x.evidence, &x.action),
            None => (&f.title, &f.evidence, &f.action),
        };
        let sev = match f.severity.as_str() {
            "critical" => "critical",
            "warning" => "warning",
            _ => "info",
        };
        let li = el_class("li", &format!("finding {sev}"));
        attr(&li, "data-rule", &f.rule);
        attr(&li, "data-subject", &f.subject);
        let head = el_class("div", "finding-head");
        add(&head, &el_text("span", &format!("sev {sev}"), t(sev)));
        add(&head, &el_text("strong", "finding-title", title));
        let b = dom::button(t("show_calls"), "finding");
        let json = |f: &Filter| serde_json::to_string(f).unwrap_or_default();
        attr(&b, "data-filter", &json(&f.filter));
        attr(&b, "data-rows", &json(&f.rows));
        add(&head, &b);
        add(&li, &head);
        add(&li, &el_text("p", "finding-evidence", evidence));
        add(&li, &el_text("p", "finding-action", action));
        add(if i < SHOWN { &ol } else { &more_ol }, &li);
    }
    add(&p, &ol);
    if list.len() > SHOWN {
        add(&more, &more_ol);
        add(&p, &more);
    }
}
