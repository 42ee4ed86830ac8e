//! Sortable tables per egress gateway, ingress gateway and destination, with the dominant
//! failure code of each row. Names and counts drill into the calls; codes open their card.

use crate::analysis::Filter;
use crate::summary::{GroupKpis, Summary};
use crate::web::app::App;
use crate::web::dom::{self, add, attr, el, el_class, el_text};
use crate::web::i18n::{lang, t, Lang};
use crate::web::ui::{fmt, kpis::verdict_class};
use std::cmp::Ordering;

const MAX_ROWS: usize = 100;

/// Sortable columns: key and header text key.
const COLUMNS: [(&str, &str); 10] = [
    ("name", "name"),
    ("attempts", "attempts"),
    ("answered", "answered"),
    ("asr", "asr"),
    ("acd_s", "acd_s"),
    ("pdd_avg_ms", "pdd_avg_ms"),
    ("pdd_p95_ms", "pdd_p95_ms"),
    ("ner", "ner"),
    ("sdr", "sdr"),
    ("top_failure", "top_failure"),
];

fn num(g: &GroupKpis, key: &str) -> Option<f64> {
    let k = &g.kpis;
    match key {
        "attempts" => Some(k.attempts as f64),
        "answered" => Some(k.answered as f64),
        "asr" => k.asr,
        "acd_s" => k.acd_s,
        "pdd_avg_ms" => k.pdd_avg_ms,
        "pdd_p95_ms" => k.pdd_p95_ms,
        "ner" => k.ner,
        "sdr" => k.sdr,
        "top_failure" => g.top_failure.as_ref().map(|f| f.count as f64),
        _ => None,
    }
}

fn compare(a: &GroupKpis, b: &GroupKpis, key: &str) -> Ordering {
    if key == "name" {
        return a.name.cmp(&b.name);
    }
    let (x, y) = (num(a, key), num(b, key));
    x.partial_cmp(&y).unwrap_or(Ordering::Equal)
}

/// Renders the three tables.
pub fn render(app: &App, s: &Summary) {
    let p = dom::by_id("tables");
    dom::clear(&p);
    for (id, title, groups, dim) in [
        ("egress", t("tbl_egress"), &s.by_egress_gateway, "egress"),
        (
            "ingress",
            t("tbl_ingress"),
            &s.by_ingress_gateway,
            "ingress",
        ),
        ("dest", t("tbl_dest"), &s.by_destination, "prefix"),
    ] {
        let (key, desc) = app
            .sorts
            .iter()
            .find(|(tbl, _, _)| tbl == id)
            .map(|(_, k, d)| (k.clone(), *d))
            .unwrap_or(("attempts".into(), true));
        let mut rows: Vec<&GroupKpis> = groups.iter().collect();
        rows.sort_by(|a, b| {
            let o = compare(a, b, &key);
            if desc {
                o.reverse()
            } else {
                o
            }
        });
        add(&p, &table(id, title, &rows, dim, &key, desc));
    }
}

fn drill_button(label: &str, filter: &Filter) -> web_sys::Element {
    // The group of calls without the value: its name in the page's language.
    let label = if label == crate::analysis::filter::NONE_NAME {
        t("w_none")
    } else {
        label
    };
    let b = dom::button(label, "drill");
    attr(&b, "class", "link");
    attr(
        &b,
        "data-filter",
        &serde_json::to_string(filter).unwrap_or_default(),
    );
    b
}

fn group_filter(dim: &str, name: &str) -> Filter {
    let v = vec![name.to_string()];
    match dim {
        "egress" => Filter {
            egress: v,
            ..Filter::default()
        },
        "ingress" => Filter {
            ingress: v,
            ..Filter::default()
        },
        _ => Filter {
            prefix: v,
            ..Filter::default()
        },
    }
}

fn table(
    id: &str,
    title: &str,
    rows: &[&GroupKpis],
    dim: &str,
    key: &str,
    desc: bool,
) -> web_sys::Element {
    let wrap = el_class("div", "table-wrap");
    add(&wrap, &el_text("h3", "", title));
    let tbl = el("table");
    attr(&tbl, "id", &format!("table-{id}"));
    attr(&tbl, "data-table", id);
    let head = el("thead");
    let tr = el("tr");
    for (col, label) in COLUMNS {
        let th = el("th");
        attr(&th, "scope", "col");
        if col == key {
            attr(
                &th,
                "aria-sort",
                if desc { "descending" } else { "ascending" },
            );
        }
        let b = dom::button(
            &format!(
                "{}{}",
                t(label),
                if col == key {
                    if desc {
                        " ▼"
                    } else {
                        " ▲"
                    }
                } else {
                    ""
                }
            ),
            "sort",
        );
        attr(&b, "data-table", id);
        attr(&b, "data-key", col);
        add(&th, &b);
        add(&tr, &th);
    }
    add(&head, &tr);
    add(&tbl, &head);
    let body = el("tbody");
    for g in rows.iter().take(MAX_ROWS) {
        let k = &g.kpis;
        let tr = el_class("tr", verdict_class(k.health.verdict));
        attr(&tr, "data-name", &g.name);
        let name = el_class("th", "name");
        attr(&name, "scope", "row");
        let dot = el_class("span", &format!("dot {}", verdict_class(k.health.verdict)));
        // The colour alone says nothing to a screen reader or a colour-blind operator.
        let words = crate::web::ui::kpis::verdict_words(&k.health);
        attr(&dot, "title", &words);
        attr(&dot, "aria-label", &words);
        attr(&dot, "role", "img");
        add(&name, &dot);
        // And a word beside the colour for everyone ("degraded"); the dot's label has the share.
        let short = words.split(" · ").next().unwrap_or_default();
        // Drawn by CSS from the attribute: the name cell's text stays the name.
        let word = el_class(
            "span",
            &format!("verdict-word {}", verdict_class(k.health.verdict)),
        );
        attr(&word, "data-word", short);
        attr(&word, "aria-hidden", "true");
        add(&name, &word);
        add(&name, &drill_button(&g.name, &group_filter(dim, &g.name)));
        // A destination's country (or own prefix's) name next to its code: "86 China".
        let label = if lang() == Lang::Es {
            &g.label_es
        } else {
            &g.label
        };
        if !label.is_empty() && *label != g.name {
            add(&name, &el_text("span", "group-label", label));
        }
        add(&tr, &name);
        let f = group_filter(dim, &g.name);
        let cell = |text: String, class: &str| el_text("td", class, &text);
        add(&tr, &{
            let td = el_class("td", "num");
            add(&td, &drill_button(&fmt::int(k.attempts), &f));
            td
        });
        add(&tr, &{
            let td = el_class("td", "num");
            add(
                &td,
                &drill_button(
                    &fmt::int(k.answered),
                    &Filter {
                        answered: Some(true),
                        ..f.clone()
                    },
                ),
            );
            td
        });
        add(
            &tr,
            &cell(
                fmt::pct(k.asr),
                &format!("num asr {}", verdict_class(k.health.ok_200)),
            ),
        );
        add(&tr, &cell(fmt::secs(k.acd_s), "num"));
        add(&tr, &cell(fmt::ms_as_s(k.pdd_avg_ms), "num"));
        add(&tr, &cell(fmt::ms_as_s(k.pdd_p95_ms), "num"));
        add(&tr, &cell(fmt::pct(k.ner), "num"));
        add(&tr, &cell(fmt::pct(k.sdr), "num"));
        let td = el_class("td", "failure");
        if let Some(tf) = &g.top_failure {
            let code = dom::button(&tf.code, "code");
            attr(&code, "class", &format!("code-chip c{}", tf.class));
            attr(&code, "data-code", &tf.code);
            attr(&code, "title", &tf.label);
            add(&td, &code);
            add(
                &td,
                &drill_button(
                    &format!("× {} ({})", fmt::int(tf.count), fmt::pct(Some(tf.share))),
                    &Filter {
                        code: vec![tf.code.clone()],
                        answered: Some(false),
                        ..f.clone()
                    },
                ),
            );
        }
        add(&tr, &td);
        add(&body, &tr);
    }
    add(&tbl, &body);
    let scroller = el_class("div", "table-scroll");
    add(&scroller, &tbl);
    add(&wrap, &scroller);
    wrap
}
