//! "Map columns by hand": under "Wrong format?", one select per field the generic mapping
//! reads, listing the first file's columns (header names, or column numbers) with the first
//! data row's values as examples, and the few options the generic mapping has. "Apply" reruns
//! the analysis with that mapping; "Reset" returns to automatic detection.
//!
//! Header names and example values are CDR text: they only go in as option text (textContent).

use crate::call::TimeBasis;
use crate::formats::generic::{
    AnsweredRule, ColumnMapping, ColumnRef, DateOrder, FlagColumn, Unit,
};
use crate::formats::mapping_suggest::{header_key, suggest_mapping};
use crate::formats::norm_header;
use crate::formats::preview::ColumnPreview;
use crate::web::app::App;
use crate::web::dom::{self, add, add_text, attr, el, el_class, el_text};
use crate::web::i18n::{lang, t};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement};

/// The id of the editor's root element.
const ROOT: &str = "mapping-editor";

/// The fields the generic mapping reads from a column, in the order shown.
pub const FIELDS: [&str; 14] = [
    "start", "answer", "end", "duration", "pdd", "caller", "callee", "ingress", "egress",
    "account", "call_id", "code", "fee", "cost",
];

fn slot<'m>(m: &'m mut ColumnMapping, field: &str) -> Option<&'m mut Option<ColumnRef>> {
    Some(match field {
        "start" => &mut m.start,
        "answer" => &mut m.answer,
        "end" => &mut m.end,
        "duration" => &mut m.duration,
        "pdd" => &mut m.pdd,
        "caller" => &mut m.caller,
        "callee" => &mut m.callee,
        "ingress" => &mut m.ingress,
        "egress" => &mut m.egress,
        "account" => &mut m.account,
        "call_id" => &mut m.call_id,
        "code" => &mut m.code,
        "fee" => &mut m.fee,
        "cost" => &mut m.cost,
        _ => return None,
    })
}

/// The 0-based column a reference points at in the previewed file, if it has one.
fn index_of(r: &ColumnRef, p: &ColumnPreview, header: bool) -> Option<usize> {
    match r {
        ColumnRef::Index(i) => Some(*i),
        ColumnRef::Name(n) if header => p
            .first
            .iter()
            .position(|c| norm_header(c) == norm_header(n)),
        ColumnRef::Name(_) => None,
    }
}

/// Puts the editor into `parent`: the one already on screen (`kept`) when it belongs to the
/// same load and language, so a re-render never loses what the user is choosing; after a
/// language switch, a new one showing the same choices (`draft`, read before the re-render).
pub fn render(
    app: &App,
    columns: Option<&ColumnPreview>,
    parent: &Element,
    kept: Option<Element>,
    draft: Option<ColumnMapping>,
) {
    let Some(p) = columns else {
        return;
    };
    let job = format!("{}|", app.job);
    let key = format!("{job}{}", lang().code());
    let kept_key = kept.as_ref().and_then(|k| k.get_attribute("data-key"));
    if let Some(old) = kept.filter(|_| kept_key.as_deref() == Some(key.as_str())) {
        add(parent, &old);
        return;
    }
    let same_load = kept_key.is_some_and(|k| k.starts_with(&job));
    // What the user chose, else what the format read, else the mapping last applied to a file
    // with this header, else a guess from the header names and values.
    let start = draft
        .filter(|_| same_load)
        .or_else(|| app.mapping.clone())
        .or_else(|| p.mapping.clone())
        .or_else(|| remembered(p))
        .or_else(|| {
            p.header
                .then(|| suggest_mapping(&[p.first.clone(), p.example.clone()]))
        })
        .unwrap_or_default();
    let header = start.header.unwrap_or(p.header);
    let editor = build(p, &start, header);
    attr(&editor, "data-key", &key);
    add(parent, &editor);
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The mapping last applied to a file with the same header, if any.
fn remembered(p: &ColumnPreview) -> Option<ColumnMapping> {
    if !p.header {
        return None;
    }
    let json = storage()?.get_item(&header_key(&p.first)).ok()??;
    serde_json::from_str(&json).ok()
}

/// Remembers `m` for files with the header of the editor's file (applied from the editor).
pub fn remember(app: &App, m: &ColumnMapping) {
    let Some(p) = app.summary.as_ref().and_then(|s| s.columns.as_ref()) else {
        return;
    };
    if !m.header.unwrap_or(p.header) {
        return;
    }
    if let (Some(st), Ok(json)) = (storage(), serde_json::to_string(m)) {
        let _ = st.set_item(&header_key(&p.first), &json);
    }
}

/// Rebuilds the editor from what is chosen in it (after "first row is a header" changed, so
/// the column names follow).
pub fn rebuild(app: &App) {
    let Some(p) = app.summary.as_ref().and_then(|s| s.columns.as_ref()) else {
        return;
    };
    let Some(old) = dom::doc().get_element_by_id(ROOT) else {
        return;
    };
    let m = read();
    let editor = build(p, &m, m.header.unwrap_or(p.header));
    if let Some(k) = old.get_attribute("data-key") {
        attr(&editor, "data-key", &k);
    }
    let _ = old.replace_with_with_node_1(&editor);
    if let Some(h) = dom::doc()
        .get_element_by_id("map-header")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = h.focus();
    }
}

fn select(id: &str, options: &[(&str, &str)], selected: &str) -> Element {
    let s = el("select");
    attr(&s, "id", id);
    for (value, label) in options {
        let o = el_text("option", "", label);
        attr(&o, "value", value);
        if *value == selected {
            attr(&o, "selected", "");
        }
        add(&s, &o);
    }
    s
}

fn labelled(label: &str, control: &Element) -> Element {
    let l = el_class("label", "map-field");
    add(&l, &el_text("span", "map-label", label));
    add(&l, control);
    l
}

/// One select listing every column, `selected` chosen.
fn column_select(id: &str, p: &ColumnPreview, header: bool, selected: Option<usize>) -> Element {
    let width = p.first.len().max(p.example.len());
    let s = el("select");
    attr(&s, "id", id);
    let none = el_text("option", "", t("map_unused"));
    attr(&none, "value", "");
    add(&s, &none);
    let examples = if header { &p.example } else { &p.first };
    for i in 0..width {
        let example = examples.get(i).map_or("", |v| v.as_str());
        let name = if header {
            format!("{}. {}", i + 1, p.first.get(i).map_or("", |v| v.as_str()))
        } else {
            format!("{} {}", t("map_column"), i + 1)
        };
        let label = if example.is_empty() {
            name
        } else {
            format!("{name} — {example}")
        };
        let o = el_text("option", "", &label);
        attr(&o, "value", &i.to_string());
        if selected == Some(i) {
            attr(&o, "selected", "");
        }
        add(&s, &o);
    }
    s
}

/// Builds the editor for a file previewed as `p`, showing mapping `m`.
fn build(p: &ColumnPreview, m: &ColumnMapping, header: bool) -> Element {
    let root = el_class("div", "mapping");
    attr(&root, "id", ROOT);
    // Any change clears the last message (see `events`).
    attr(&root, "data-change", "map-edit");
    attr(&root, "role", "group");
    attr(&root, "aria-labelledby", "map-title");
    let h = el_text("h3", "", t("map_title"));
    attr(&h, "id", "map-title");
    add(&root, &h);
    add(&root, &el_text("p", "muted", t("map_help")));

    let hl = el_class("label", "map-check");
    let cb = el("input");
    attr(&cb, "type", "checkbox");
    attr(&cb, "id", "map-header");
    attr(&cb, "data-change", "map-header");
    if header {
        attr(&cb, "checked", "");
    }
    add(&hl, &cb);
    add_text(&hl, " ");
    add_text(&hl, t("map_header"));
    add(&root, &hl);

    let grid = el_class("div", "map-grid");
    let mut m2 = m.clone();
    for f in FIELDS {
        let chosen = slot(&mut m2, f)
            .and_then(|r| r.clone())
            .and_then(|r| index_of(&r, p, header));
        let s = column_select(&format!("map-{f}"), p, header, chosen);
        attr(&s, "data-field", f);
        add(&grid, &labelled(t(&format!("f_{f}")), &s));
    }
    add(&root, &grid);

    let opts = el_class("div", "map-grid map-options");
    let date = match m.date_order {
        DateOrder::Ymd => "ymd",
        DateOrder::Dmy => "dmy",
        DateOrder::Mdy => "mdy",
    };
    add(
        &opts,
        &labelled(
            t("map_date_order"),
            &select(
                "map-date_order",
                &[
                    ("ymd", t("map_ymd")),
                    ("dmy", t("map_dmy")),
                    ("mdy", t("map_mdy")),
                ],
                date,
            ),
        ),
    );
    let basis = match m.time_basis {
        None => "",
        Some(TimeBasis::Utc) => "utc",
        Some(TimeBasis::NaiveLocal) => "naive_local",
    };
    add(
        &opts,
        &labelled(
            t("map_time_basis"),
            &select(
                "map-time_basis",
                &[
                    ("", t("map_auto")),
                    ("utc", t("map_utc")),
                    ("naive_local", t("map_local")),
                ],
                basis,
            ),
        ),
    );
    let unit = |u: Unit| match u {
        Unit::S => "s",
        Unit::Ms => "ms",
    };
    let units = [("s", t("map_seconds")), ("ms", t("map_ms"))];
    add(
        &opts,
        &labelled(
            t("map_duration_unit"),
            &select("map-duration_unit", &units, unit(m.duration_unit)),
        ),
    );
    add(
        &opts,
        &labelled(
            t("map_pdd_unit"),
            &select("map-pdd_unit", &units, unit(m.pdd_unit.unwrap_or(Unit::Ms))),
        ),
    );
    add(
        &opts,
        &labelled(
            t("map_code_system"),
            &select(
                "map-code_system",
                &[
                    ("sip", "SIP"),
                    ("q850", "Q.850"),
                    ("vos3000", "VOS3000"),
                    ("freeswitch", "FreeSWITCH"),
                    ("asterisk", "Asterisk"),
                ],
                m.code_system.as_deref().unwrap_or("sip"),
            ),
        ),
    );
    let (rule, values, flag_col) = match &m.answered {
        AnsweredRule::Auto => ("auto", String::new(), None),
        AnsweredRule::Duration => ("duration", String::new(), None),
        AnsweredRule::AnswerTime => ("answer_time", String::new(), None),
        AnsweredRule::Code(v) => ("code", v.join(", "), None),
        AnsweredRule::Flag(f) => ("flag", f.values.join(", "), index_of(&f.column, p, header)),
    };
    let answered = select(
        "map-answered",
        &[
            ("auto", t("map_ans_auto")),
            ("duration", t("map_ans_duration")),
            ("answer_time", t("map_ans_answer")),
            ("code", t("map_ans_code")),
            ("flag", t("map_ans_flag")),
        ],
        rule,
    );
    attr(&answered, "data-change", "map-answered");
    add(&opts, &labelled(t("map_answered"), &answered));
    // The flag column and the values only matter for the rules that read them.
    let flag = labelled(
        t("map_flag_column"),
        &column_select("map-flag_column", p, header, flag_col),
    );
    attr(&flag, "id", "map-flag-field");
    dom::show(&flag, rule == "flag");
    add(&opts, &flag);
    let vals = el("input");
    attr(&vals, "type", "text");
    attr(&vals, "id", "map-answered_values");
    attr(&vals, "placeholder", "200, ANSWERED");
    if let Some(i) = vals.dyn_ref::<HtmlInputElement>() {
        i.set_value(&values);
    }
    let vals = labelled(t("map_values"), &vals);
    attr(&vals, "id", "map-values-field");
    dom::show(&vals, rule == "code" || rule == "flag");
    add(&opts, &vals);
    let delim = match m.delimiter_byte() {
        Some(b',') => "comma",
        Some(b';') => "semicolon",
        Some(b'\t') => "tab",
        Some(b'|') => "pipe",
        _ => "",
    };
    add(
        &opts,
        &labelled(
            t("delimiter"),
            &select(
                "map-delimiter",
                &[
                    ("", t("map_auto")),
                    ("comma", ", (comma)"),
                    ("semicolon", "; (semicolon)"),
                    ("tab", "tab"),
                    ("pipe", "| (pipe)"),
                ],
                delim,
            ),
        ),
    );
    add(&root, &opts);

    let msg = el_class("p", "map-msg");
    attr(&msg, "id", "map-msg");
    attr(&msg, "role", "alert");
    add(&root, &msg);
    let actions = el_class("div", "map-actions");
    let apply = dom::button(t("map_apply"), "map-apply");
    apply.set_class_name("primary");
    add(&actions, &apply);
    add(&actions, &dom::button(t("map_reset"), "map-reset"));
    add(&root, &actions);
    root
}

fn value(id: &str) -> String {
    let Some(e) = dom::doc().get_element_by_id(id) else {
        return String::new();
    };
    e.dyn_ref::<HtmlSelectElement>()
        .map(|s| s.value())
        .or_else(|| e.dyn_ref::<HtmlInputElement>().map(|i| i.value()))
        .unwrap_or_default()
}

fn column(id: &str) -> Option<ColumnRef> {
    value(id).parse().ok().map(ColumnRef::Index)
}

/// The mapping chosen in the editor (columns by 0-based index, the header flag explicit).
pub fn read() -> ColumnMapping {
    let mut m = ColumnMapping {
        header: Some(
            dom::doc()
                .get_element_by_id("map-header")
                .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
                .is_some_and(|i| i.checked()),
        ),
        ..ColumnMapping::default()
    };
    for f in FIELDS {
        if let Some(s) = slot(&mut m, f) {
            *s = column(&format!("map-{f}"));
        }
    }
    let d = value("map-delimiter");
    m.delimiter = (!d.is_empty()).then_some(d);
    m.date_order = match value("map-date_order").as_str() {
        "dmy" => DateOrder::Dmy,
        "mdy" => DateOrder::Mdy,
        _ => DateOrder::Ymd,
    };
    m.time_basis = match value("map-time_basis").as_str() {
        "utc" => Some(TimeBasis::Utc),
        "naive_local" => Some(TimeBasis::NaiveLocal),
        _ => None,
    };
    let unit = |id: &str| {
        if value(id) == "ms" {
            Unit::Ms
        } else {
            Unit::S
        }
    };
    m.duration_unit = unit("map-duration_unit");
    m.pdd_unit = Some(unit("map-pdd_unit"));
    let cs = value("map-code_system");
    m.code_system = Some(if cs.is_empty() { "sip".into() } else { cs });
    let values: Vec<String> = value("map-answered_values")
        .split(',')
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect();
    m.answered = match value("map-answered").as_str() {
        "duration" => AnsweredRule::Duration,
        "answer_time" => AnsweredRule::AnswerTime,
        "code" if !values.is_empty() => AnsweredRule::Code(values),
        "flag" => match column("map-flag_column") {
            Some(column) if !values.is_empty() => AnsweredRule::Flag(FlagColumn { column, values }),
            _ => AnsweredRule::Auto,
        },
        _ => AnsweredRule::Auto,
    };
    m
}

/// What is missing for the mapping to read calls, as a message; `None` when it can run.
pub fn problem(m: &ColumnMapping) -> Option<&'static str> {
    if m.start.is_none() && m.end.is_none() && m.duration.is_none() && m.code.is_none() {
        return Some(t("map_need"));
    }
    let values_needed = value("map-answered");
    if (values_needed == "code" || values_needed == "flag")
        && matches!(m.answered, AnsweredRule::Auto)
    {
        return Some(t("map_need_values"));
    }
    None
}

/// Shows the flag column and the values when the answered rule reads them.
pub fn answered_rule_changed() {
    let rule = value("map-answered");
    let d = dom::doc();
    if let Some(e) = d.get_element_by_id("map-flag-field") {
        dom::show(&e, rule == "flag");
    }
    if let Some(e) = d.get_element_by_id("map-values-field") {
        dom::show(&e, rule == "code" || rule == "flag");
    }
    message("");
}

/// Shows a message under the editor (empty hides it).
pub fn message(text: &str) {
    if let Some(e) = dom::doc().get_element_by_id("map-msg") {
        e.set_text_content(Some(text));
    }
}
