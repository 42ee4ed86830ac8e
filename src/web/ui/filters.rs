//! The filter bar: time range, egress, ingress, destination, code, class, answered, and the
//! conditions only findings set (talk time, fee, failover chain) as removable chips. Changing a
//! control recomputes the summary in the worker from the stored calls (no re-parse).

use crate::analysis::Filter;
use crate::web::app::App;
use crate::web::dom::{self, add, attr, el, el_class, el_text};
use crate::web::i18n::t;
use crate::web::ui::fmt;

/// How many choices a filter select lists; a search box beside it finds the others (65,000
/// gateways made 68,000 options, seconds of layout on every render).
const OPTIONS_SHOWN: usize = 300;

fn select(
    key: &str,
    label: &str,
    current: Option<&str>,
    options: &[(String, String)],
) -> web_sys::Element {
    let l = el_class("label", "filter");
    add(&l, &el_text("span", "filter-label", label));
    let s = el("select");
    attr(&s, "id", &format!("filter-{key}"));
    attr(&s, "data-change", "filter");
    attr(&s, "data-key", key);
    fill_options(&s, current, options, "");
    add(&l, &s);
    if options.len() > OPTIONS_SHOWN {
        let search = el("input");
        attr(&search, "type", "search");
        attr(&search, "class", "filter-search");
        attr(&search, "id", &format!("filter-search-{key}"));
        attr(&search, "data-input", "filter-search");
        attr(&search, "data-key", key);
        attr(&search, "placeholder", t("search"));
        attr(&search, "aria-label", &format!("{label}: {}", t("search")));
        add(&l, &search);
    }
    l
}

/// Lists "any", the current choice, and the first [`OPTIONS_SHOWN`] options whose text
/// contains `query` (ignoring case), then one disabled line saying how many more there are.
fn fill_options(
    s: &web_sys::Element,
    current: Option<&str>,
    options: &[(String, String)],
    query: &str,
) {
    dom::clear(s);
    let any = el_text("option", "", t("any"));
    attr(&any, "value", "");
    add(s, &any);
    let q = query.trim().to_lowercase();
    let mut matching = options.iter().filter(|(v, text)| {
        current == Some(v.as_str()) || q.is_empty() || text.to_lowercase().contains(&q)
    });
    for (value, text) in matching.by_ref().take(OPTIONS_SHOWN) {
        let o = el_text("option", "", text);
        attr(&o, "value", value);
        if current == Some(value.as_str()) {
            attr(&o, "selected", "");
        }
        add(s, &o);
    }
    let more = matching.count();
    if more > 0 {
        let o = el_text(
            "option",
            "",
            &format!("… {} {}", fmt::int(more as u64), t("more_options")),
        );
        attr(&o, "disabled", "");
        attr(&o, "value", "");
        attr(&o, "data-more", &more.to_string());
        add(s, &o);
    }
}

/// Lists the options of filter `key` that match the search box beside it.
pub fn search(app: &App, key: &str, query: &str) {
    let Some(base) = app.base.as_ref() else {
        return;
    };
    let groups = match key {
        "egress" => &base.by_egress_gateway,
        "ingress" => &base.by_ingress_gateway,
        "prefix" => &base.by_destination,
        _ => return,
    };
    let current = match key {
        "egress" => app.filter.egress.first(),
        "ingress" => app.filter.ingress.first(),
        _ => app.filter.prefix.first(),
    };
    if let Some(s) = dom::doc().get_element_by_id(&format!("filter-{key}")) {
        fill_options(&s, current.map(String::as_str), &group_names(groups), query);
    }
}

/// The choices of a group select: value and "name (attempts)".
fn group_names(groups: &[crate::summary::GroupKpis]) -> Vec<(String, String)> {
    groups
        .iter()
        .map(|g| (g.name.clone(), format!("{} ({})", g.name, g.kpis.attempts)))
        .collect()
}

fn time_input(key: &str, label: &str, value: Option<i64>) -> web_sys::Element {
    let l = el_class("label", "filter");
    add(&l, &el_text("span", "filter-label", label));
    let i = el("input");
    attr(&i, "type", "datetime-local");
    attr(&i, "id", &format!("filter-{key}"));
    attr(&i, "data-change", "filter");
    attr(&i, "data-key", key);
    if let Some(v) = value {
        attr(&i, "value", &fmt::input_local(v));
    }
    add(&l, &i);
    l
}

/// Renders the bar with the current filter selected.
pub fn render(app: &App) {
    let bar = dom::by_id("filters");
    dom::clear(&bar);
    let Some(base) = app.base.as_ref() else {
        return;
    };
    let f = &app.filter;
    let names = group_names;
    add(&bar, &time_input("from", t("from"), f.from_ms));
    add(&bar, &time_input("to", t("to"), f.to_ms));
    add(
        &bar,
        &select(
            "egress",
            t("egress"),
            f.egress.first().map(String::as_str),
            &names(&base.by_egress_gateway),
        ),
    );
    add(
        &bar,
        &select(
            "ingress",
            t("ingress"),
            f.ingress.first().map(String::as_str),
            &names(&base.by_ingress_gateway),
        ),
    );
    add(
        &bar,
        &select(
            "prefix",
            t("prefix"),
            f.prefix.first().map(String::as_str),
            &names(&base.by_destination),
        ),
    );
    let codes: Vec<(String, String)> = base
        .by_code
        .iter()
        .map(|c| {
            (
                c.code.clone(),
                format!("{} {} ({})", c.code, c.label, c.count),
            )
        })
        .collect();
    let code_current = (f.code.len() == 1).then(|| f.code[0].as_str());
    add(&bar, &select("code", t("code"), code_current, &codes));
    let classes: Vec<(String, String)> = ["2xx", "3xx", "4xx", "5xx", "6xx", "other"]
        .iter()
        // The value stays the filter's word; the label is in the page's language.
        .map(|c| {
            let label = if *c == "other" { t("other") } else { c };
            (c.to_string(), label.to_string())
        })
        .collect();
    add(
        &bar,
        &select(
            "class",
            t("class"),
            f.class.first().map(|c| c.as_str()),
            &classes,
        ),
    );
    let answered = [
        ("yes".to_string(), t("only_answered").to_string()),
        ("no".to_string(), t("only_failed").to_string()),
    ];
    let ans_current = f.answered.map(|a| if a { "yes" } else { "no" });
    add(
        &bar,
        &select("answered", t("answered"), ans_current, &answered),
    );
    // Conditions a finding set that have no control of their own: shown, and removable, so
    // the user sees why the numbers changed.
    for (key, label) in chips(f) {
        let b = dom::button(&format!("{label} ×"), "unfilter");
        attr(&b, "class", "chip");
        attr(&b, "data-key", key);
        attr(&b, "title", t("remove_condition"));
        add(&bar, &b);
    }
    add(&bar, &dom::button(t("clear"), "clear-filter"));
    if !f.is_empty() {
        if let Some(s) = app.summary.as_ref() {
            let note = el_text(
                "p",
                "filter-note",
                &format!(
                    "{}: {} {} {}",
                    t("filtered"),
                    fmt::int(s.rows.in_filter),
                    t("of_total"),
                    fmt::int(s.rows.accepted)
                ),
            );
            attr(&note, "id", "filter-note");
            add(&bar, &note);
        }
    }
}

/// The talk-time, fee and chain conditions of a filter, as (key, label) pairs.
fn chips(f: &Filter) -> Vec<(&'static str, String)> {
    let mut v = Vec::new();
    if let Some(s) = f.min_duration_s {
        v.push(("min_duration_s", format!("{} {s} s", t("talk_min"))));
    }
    if let Some(s) = f.max_duration_s {
        v.push(("max_duration_s", format!("{} {s} s", t("talk_max"))));
    }
    if let Some(fee) = f.fee.as_deref() {
        let label = match fee {
            "zero" => t("fee_zero").to_string(),
            "nonzero" => t("fee_nonzero").to_string(),
            "mismatch" => t("fee_mismatch").to_string(),
            other => format!("fee: {other}"),
        };
        v.push(("fee", label));
    }
    if let Some(n) = f.chain_min {
        v.push(("chain_min", format!("{} {n}", t("chain_min"))));
    }
    if let Some(r) = f.chain_role.as_deref() {
        let label = match r {
            "first" => t("chain_first").to_string(),
            "retried" => t("chain_retried").to_string(),
            other => format!("chain: {other}"),
        };
        v.push(("chain_role", label));
    }
    v
}

/// A one-line description of a filter, for the drill-down title.
pub fn describe(f: &Filter) -> String {
    let mut parts = Vec::new();
    if let Some(v) = f.from_ms {
        parts.push(format!("≥ {}", crate::formats::values::format_ms(v)));
    }
    if let Some(v) = f.to_ms {
        parts.push(format!("< {}", crate::formats::values::format_ms(v)));
    }
    for (label, v) in [
        (t("egress"), &f.egress),
        (t("ingress"), &f.ingress),
        (t("prefix"), &f.prefix),
        (t("code"), &f.code),
    ] {
        if !v.is_empty() {
            parts.push(format!("{label}: {}", v.join(", ")));
        }
    }
    if !f.class.is_empty() {
        let classes: Vec<&str> = f.class.iter().map(|c| c.as_str()).collect();
        parts.push(format!("{}: {}", t("class"), classes.join(", ")));
    }
    if !f.direction.is_empty() {
        let d: Vec<&str> = f.direction.iter().map(|d| d.as_str()).collect();
        parts.push(d.join(", "));
    }
    if let Some(a) = f.answered {
        parts.push(
            if a {
                t("only_answered")
            } else {
                t("only_failed")
            }
            .to_string(),
        );
    }
    parts.extend(chips(f).into_iter().map(|(_, label)| label));
    if parts.is_empty() {
        t("any").to_string()
    } else {
        parts.join(" · ")
    }
}
