//! The code reference panel: a search box and result cards. Every code chip on the page opens
//! its card here, with how many calls of the current view have it and a link to them.

use crate::analysis::Filter;
use crate::web::app::App;
use crate::web::dom::{self, add, attr, el, el_class, el_text};
use crate::web::i18n::{lang, t};
use crate::web::reference::search;
use crate::web::ui::fmt;

/// Renders the panel for the current query.
pub fn render(app: &App) {
    let p = super::panel("reference", t("reference"));
    attr(&p, "data-panel", "code-reference");
    add(&p, &el_text("p", "muted", t("ref_note")));
    let input = el("input");
    attr(&input, "type", "search");
    attr(&input, "id", "ref-search");
    attr(&input, "data-input", "ref-search");
    attr(&input, "placeholder", t("search"));
    attr(&input, "aria-label", t("search"));
    attr(&input, "value", &app.ref_query);
    add(&p, &input);
    let results = el_class("div", "ref-results");
    attr(&results, "id", "ref-results");
    add(&p, &results);
    render_results(app);
}

/// Renders the result cards of the current query.
pub fn render_results(app: &App) {
    let results = dom::by_id("ref-results");
    dom::clear(&results);
    let q = app.ref_query.trim();
    if q.is_empty() {
        return;
    }
    for card_data in search(q, lang().code()) {
        let card = el_class("article", "ref-card");
        attr(&card, "data-code", &card_data.code);
        attr(&card, "data-system", card_data.system.as_str());
        add(
            &card,
            &el_text(
                "h3",
                "",
                &format!("{} — {}", card_data.code, card_data.title),
            ),
        );
        let joined = |parts: &[&str]| {
            parts
                .iter()
                .filter(|p| !p.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" · ")
        };
        add(
            &card,
            &el_text(
                "p",
                "muted",
                &joined(&[
                    &card_data.system_label,
                    &card_data.class_label,
                    &card_data.outcome_label,
                ]),
            ),
        );
        add(
            &card,
            &el_text(
                "p",
                "",
                &joined(&[&card_data.billable_label, &card_data.failover_label]),
            ),
        );
        if !card_data.sent_to_caller_label.is_empty() {
            add(&card, &el_text("p", "", &card_data.sent_to_caller_label));
        }
        if !card_data.cause.is_empty() {
            add(&card, &el_text("p", "ref-cause", &card_data.cause));
        }
        if !card_data.action.is_empty() {
            add(
                &card,
                &el_text("p", "ref-action", &format!("→ {}", card_data.action)),
            );
        }
        let maps: Vec<String> = card_data
            .mappings
            .iter()
            .map(|m| {
                let row = &m.mapping.row;
                let to = row.to.map_or("—".to_string(), |v| v.to_string());
                let disputed = if m.mapping.disputed { " ≠" } else { "" };
                format!("{} {to}{disputed}", row.source.as_str())
            })
            .collect();
        if !maps.is_empty() {
            add(
                &card,
                &el_text("p", "muted", &format!("↔ {}", maps.join(", "))),
            );
        }
        // With no file loaded the reference stands alone: no "0 calls in this view".
        let Some(summary) = app.summary.as_ref() else {
            add(&results, &card);
            continue;
        };
        let count = summary
            .by_code
            .iter()
            .find(|c| c.code == card_data.code)
            .map_or(0, |c| c.count);
        let line = el_class("p", "");
        add(&line, &el_text("strong", "", &fmt::int(count)));
        add(
            &line,
            &el_text("span", "", &format!(" {}", t("in_this_file"))),
        );
        add(&card, &line);
        if count > 0 {
            let b = dom::button(t("show_calls"), "drill");
            attr(
                &b,
                "data-filter",
                &serde_json::to_string(&Filter {
                    code: vec![card_data.code.clone()],
                    ..Filter::default()
                })
                .unwrap_or_default(),
            );
            add(&card, &b);
        }
        add(&results, &card);
    }
}
