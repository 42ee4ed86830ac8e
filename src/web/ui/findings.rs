//! Findings at the top of the dashboard: severity, title, evidence, action; a click applies the
//! finding's filter and shows its calls.

use crate::analysis::findings::Severity;
use crate::summary::Summary;
use crate::web::dom::{self, add, attr, el_class, el_text};
use crate::web::i18n::t;

/// Renders the findings list.
pub fn render(s: &Summary) {
    let p = super::panel("findings", t("findings"));
    // An empty list next to a degraded badge would read as "all clear": show the panel only
    // when there is something to say.
    dom::show(&p, !s.findings.is_empty());
    if s.findings.is_empty() {
        return;
    }
    let list = el_class("ol", "finding-list");
    for f in &s.findings {
        let sev = match f.severity {
            Severity::Critical => "critical",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        let li = el_class("li", &format!("finding {sev}"));
        attr(&li, "data-rule", &f.rule);
        add(&li, &el_text("span", &format!("sev {sev}"), sev));
        add(&li, &el_text("strong", "finding-title", &f.title));
        let ev = el_text("p", "finding-evidence", &f.evidence);
        add(&li, &ev);
        add(&li, &el_text("p", "finding-action", &f.action));
        let b = dom::button(t("show_calls"), "finding");
        attr(
            &b,
            "data-filter",
            &serde_json::to_string(&f.filter).unwrap_or_default(),
        );
        add(&li, &b);
        add(&list, &li);
    }
    add(&p, &list);
}
