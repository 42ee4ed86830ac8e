//! The drill-down's call table: one row per call (time, caller, callee, gateways, destination,
//! outcome, code, talk, PDD, fee; built by the worker, [`crate::analysis::call_view`]), sortable
//! by its column headers, each row expanding to the row as it is in the file with its file and
//! line; caller, callee and Call-ID have a copy button. Narrow screens keep time, callee,
//! outcome and talk in the row and show the rest, and the copy buttons, in the expansion.

use crate::analysis::call_sort::{RowSort, SortKey};
use crate::analysis::call_view::CallView;
use crate::analysis::RowRef;
use crate::money::Money;
use crate::web::app::App;
use crate::web::dom::{self, add, attr, el, el_class, el_text};
use crate::web::i18n::{lang, t};
use crate::web::ui::fmt;
use std::cell::RefCell;
use std::cmp::Ordering;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use web_sys::Element;

/// The table's columns: key, text key, and whether the column stays on a narrow screen.
const COLUMNS: [(&str, &str, bool); 11] = [
    ("time", "dc_time", true),
    ("caller", "dc_caller", false),
    ("callee", "dc_callee", true),
    ("ingress", "dc_ingress", false),
    ("egress", "dc_egress", false),
    ("destination", "dc_destination", false),
    ("outcome", "dc_outcome", true),
    ("code", "dc_code", false),
    ("talk", "dc_talk", true),
    ("pdd", "dc_pdd", false),
    ("fee", "dc_fee", false),
];

/// The table's state across renderings: the sort, and which rows are expanded.
#[derive(Default)]
struct State {
    /// The column sorted by and whether descending; `None` keeps the file's order.
    sort: Option<(String, bool)>,
    /// Expanded rows, by their index on the page.
    open: Vec<usize>,
    /// The page the expanded rows belong to (its first row's file, offset and line).
    page: Option<(u16, u64, u64)>,
    /// The sort button to give focus back to once its table is rebuilt.
    refocus: Option<String>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

/// A click on the header button `button`: sorts by its column. A column the store keeps is
/// sorted over every matching call by the worker (page 1 of the new order is asked for);
/// caller and callee, read again per row, sort the page on screen. Focus goes back to the
/// header (it is rebuilt), so the keyboard can click it again.
pub fn sort_click(app: &mut App, button: &Element) {
    let key = button.get_attribute("data-key").unwrap_or_default();
    sort_by(&key);
    STATE.with(|s| s.borrow_mut().refocus = Some(key));
    match (core_sort(), app.drill.as_ref().map(|d| d.filter.clone())) {
        (Some(_), Some(filter)) => app.request_rows(filter, 0),
        _ => crate::web::ui::drill::render(app),
    }
    refocus();
}

/// Puts focus back on the sort button last clicked when a rebuilt table took it away (focus
/// on nothing, or on the page's body).
pub fn refocus() {
    let Some(key) = STATE.with(|s| s.borrow().refocus.clone()) else {
        return;
    };
    let doc = dom::doc();
    let lost = doc
        .active_element()
        .is_none_or(|e| e.tag_name().eq_ignore_ascii_case("body"));
    if !lost {
        return;
    }
    let again = doc.get_element_by_id("drill-table").and_then(|t| {
        let all = t.query_selector_all("[data-action=\"drill-sort\"]").ok()?;
        (0..all.length())
            .filter_map(|i| all.item(i)?.dyn_into::<web_sys::HtmlElement>().ok())
            .find(|b| b.get_attribute("data-key").as_deref() == Some(key.as_str()))
    });
    if let Some(b) = again {
        let _ = b.focus();
    }
}

/// The sort the worker applies to every matching call: the current one when its column is
/// kept in the store, else none (the file's order, sorted on screen).
pub fn core_sort() -> Option<RowSort> {
    let (key, descending) = STATE.with(|s| s.borrow().sort.clone())?;
    let key = match key.as_str() {
        "time" => SortKey::Time,
        "ingress" => SortKey::Ingress,
        "egress" => SortKey::Egress,
        "destination" => SortKey::Destination,
        "outcome" => SortKey::Outcome,
        "code" => SortKey::Code,
        "talk" => SortKey::Talk,
        "pdd" => SortKey::Pdd,
        "fee" => SortKey::Fee,
        _ => return None,
    };
    Some(RowSort { key, descending })
}

/// Sorts by `key` (ascending first, then the other way), keeping expanded rows expanded.
pub fn sort_by(key: &str) {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.sort = match s.sort.take() {
            Some((k, desc)) if k == key => Some((k, !desc)),
            _ => Some((key.to_string(), false)),
        };
    });
}

/// Expands or collapses row `index` of the page, in place.
pub fn toggle(button: &Element, index: usize) {
    let open = STATE.with(|s| {
        let mut s = s.borrow_mut();
        if let Some(at) = s.open.iter().position(|&i| i == index) {
            s.open.remove(at);
            false
        } else {
            s.open.push(index);
            true
        }
    });
    attr(button, "aria-expanded", if open { "true" } else { "false" });
    if let Some(row) = dom::doc().get_element_by_id(&format!("drill-raw-{index}")) {
        dom::show(&row, open);
    }
}

/// Copies the button's value to the clipboard (the Clipboard API, else a selected text area
/// and `execCommand("copy")`, which a page from `file://` may need) and says so on the button.
pub fn copy(button: &Element) {
    let value = button.get_attribute("data-copy").unwrap_or_default();
    let copied = clipboard_api(&value) || copy_by_selection(&value);
    attr(button, "data-copied", if copied { "true" } else { "false" });
    let said = if copied {
        t("dc_copied")
    } else {
        t("dc_not_copied")
    };
    attr(button, "title", said);
    // Said where the eye is (a tick after the icon) and to a screen reader (the live region).
    if let Ok(Some(old)) = button.query_selector(".copied") {
        old.remove();
    }
    add(
        button,
        &el_text("span", "copied", if copied { "✓" } else { "✗" }),
    );
    if let Some(live) = dom::doc().get_element_by_id("drill-copied") {
        dom::set_text(&live, said);
    }
}

/// `navigator.clipboard.writeText(value)` when the page may use it.
fn clipboard_api(value: &str) -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    let secure = js_sys::Reflect::get(&w, &"isSecureContext".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let clip = js_sys::Reflect::get(&w.navigator(), &"clipboard".into()).unwrap_or(JsValue::NULL);
    if !secure || clip.is_undefined() || clip.is_null() {
        return false;
    }
    let Some(write) = js_sys::Reflect::get(&clip, &"writeText".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return false;
    };
    match write.call1(&clip, &value.into()) {
        Ok(p) => {
            // A refusal (no permission, page not focused) falls back to the selection.
            if let Ok(p) = p.dyn_into::<js_sys::Promise>() {
                let value = value.to_string();
                wasm_bindgen_futures::spawn_local(async move {
                    if wasm_bindgen_futures::JsFuture::from(p).await.is_err() {
                        copy_by_selection(&value);
                    }
                });
            }
            true
        }
        Err(_) => false,
    }
}

/// The older way: a hidden text area selected and copied.
fn copy_by_selection(value: &str) -> bool {
    let doc = dom::doc();
    let area = el("textarea");
    attr(&area, "readonly", "");
    attr(&area, "class", "copy-area");
    let Ok(area) = area.dyn_into::<web_sys::HtmlTextAreaElement>() else {
        return false;
    };
    area.set_value(value);
    let Some(body) = doc.body() else {
        return false;
    };
    let _ = body.append_child(&area);
    area.select();
    let ok = js_sys::Reflect::get(&doc, &"execCommand".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call1(&doc, &"copy".into()).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    area.remove();
    ok
}

/// How two calls compare on column `key`.
fn compare(a: &CallView, b: &CallView, key: &str) -> Ordering {
    // Unknown values (no PDD, no fee) sort after known ones either way round.
    fn known<T: Ord>(a: Option<T>, b: Option<T>) -> Ordering {
        match (a, b) {
            (Some(a), Some(b)) => a.cmp(&b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
    // Codes are numbers (503, -9) or names (USER_BUSY): numbers in numeric order first.
    let code = |v: &CallView| (v.code.parse::<i64>().ok(), v.code.clone());
    let money = |v: &CallView| v.fee.as_deref().and_then(Money::parse).map(|m| m.0 .0);
    match key {
        "time" => known(a.time_ms, b.time_ms),
        "caller" => a.caller.cmp(&b.caller),
        "callee" => a.callee.cmp(&b.callee),
        "ingress" => a.ingress.cmp(&b.ingress),
        "egress" => a.egress.cmp(&b.egress),
        "destination" => a.destination.cmp(&b.destination),
        "outcome" => t(&format!("co_{}", a.outcome)).cmp(t(&format!("co_{}", b.outcome))),
        "code" => {
            let (x, y) = (code(a), code(b));
            known(x.0, y.0).then(x.1.cmp(&y.1))
        }
        "talk" => a.talk_s.cmp(&b.talk_s),
        "pdd" => known(a.pdd_ms, b.pdd_ms),
        "fee" => known(money(a), money(b)),
        _ => Ordering::Equal,
    }
}

/// The page's row indices in the order shown: as the worker sent them, sorted here only by
/// caller or callee (see [`sort_click`]).
fn order(views: &[CallView]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..views.len()).collect();
    if core_sort().is_some() {
        return idx;
    }
    if let Some((key, desc)) = STATE.with(|s| s.borrow().sort.clone()) {
        idx.sort_by(|&a, &b| {
            let o = compare(&views[a], &views[b], &key);
            let o = if desc { o.reverse() } else { o };
            // Equal values keep the file's order.
            o.then(a.cmp(&b))
        });
    }
    idx
}

/// A text with a button that copies it (`what` names it for a screen reader).
fn copyable(cell: &Element, value: &str, what: &str) {
    add(cell, &el_text("span", "copy-text", value));
    if value.is_empty() {
        return;
    }
    let b = dom::button("", "drill-copy");
    attr(&b, "class", "copy");
    add(&b, &copy_icon());
    attr(&b, "data-copy", value);
    attr(&b, "aria-label", &format!("{} {what}", t("dc_copy")));
    attr(&b, "title", &format!("{} {what}", t("dc_copy")));
    add(cell, &b);
}

/// Two overlapping sheets, drawn (a copy glyph is missing from many fonts).
fn copy_icon() -> Element {
    const SVG: &str = "http://www.w3.org/2000/svg";
    let doc = dom::doc();
    let make = |tag: &str| doc.create_element_ns(Some(SVG), tag).ok();
    let Some(svg) = make("svg") else {
        return el("span");
    };
    attr(&svg, "viewBox", "0 0 12 12");
    attr(&svg, "width", "11");
    attr(&svg, "height", "11");
    attr(&svg, "aria-hidden", "true");
    for (x, y) in [(3, 0), (0, 3)] {
        if let Some(r) = make("rect") {
            attr(&r, "x", &format!("{x}.5"));
            attr(&r, "y", &format!("{y}.5"));
            attr(&r, "width", "8");
            attr(&r, "height", "8");
            attr(&r, "rx", "1");
            attr(&r, "fill", "var(--panel)");
            attr(&r, "stroke", "currentColor");
            add(&svg, &r);
        }
    }
    svg
}

/// The text of a call's column.
fn text(v: &CallView, key: &str) -> String {
    match key {
        "time" => v.time.clone(),
        "ingress" => v.ingress.clone(),
        "egress" => v.egress.clone(),
        "destination" => v.destination.clone(),
        "outcome" => t(&format!("co_{}", v.outcome)).to_string(),
        "code" => {
            let label = crate::codes::short_label_in(v.code_system, &v.code, lang().code());
            if label.is_empty() {
                v.code.clone()
            } else {
                format!("{} {label}", v.code)
            }
        }
        "talk" => format!("{} s", fmt::int(u64::from(v.talk_s))),
        "pdd" => v
            .pdd_ms
            .map_or_else(|| "–".into(), |p| fmt::ms_as_s(Some(f64::from(p)))),
        // Exact decimals as the file wrote them, as the language writes numbers.
        "fee" => v
            .fee
            .as_deref()
            .map_or_else(|| "–".into(), |f| crate::display::decimal(f, lang().code())),
        _ => String::new(),
    }
}

/// The call table of a drill-down page: `views` (may be empty while an older worker answers),
/// `rows` where each call is, `names` each row's file name and `raw` each row's text so far.
pub fn table(views: &[CallView], rows: &[RowRef], names: &[String], raw: &[String]) -> Element {
    let page = rows.first().map(|r| (r.file, r.offset, r.line));
    let (sort, open) = STATE.with(|s| {
        let mut s = s.borrow_mut();
        if s.page != page {
            s.page = page;
            s.open.clear();
        }
        (s.sort.clone(), s.open.clone())
    });
    let tbl = el_class("table", "drill-calls");
    attr(&tbl, "id", "drill-table");
    let head = el("thead");
    let tr = el("tr");
    let th = el_class("th", "expand-col");
    attr(&th, "scope", "col");
    add(&th, &el_text("span", "sr-only", t("dc_details")));
    add(&tr, &th);
    for (key, label, keep) in COLUMNS {
        let th = el_class("th", if keep { "" } else { "lo" });
        attr(&th, "scope", "col");
        attr(&th, "data-col", key);
        let mark = match &sort {
            Some((k, desc)) if k == key => {
                attr(
                    &th,
                    "aria-sort",
                    if *desc { "descending" } else { "ascending" },
                );
                if *desc {
                    " ▼"
                } else {
                    " ▲"
                }
            }
            _ => "",
        };
        let b = dom::button(&format!("{}{mark}", t(label)), "drill-sort");
        attr(&b, "data-key", key);
        add(&th, &b);
        add(&tr, &th);
    }
    add(&head, &tr);
    add(&tbl, &head);
    let body = el("tbody");
    let empty = CallView::default();
    for i in order(views).into_iter().chain(views.len()..rows.len()) {
        let Some(r) = rows.get(i) else {
            continue;
        };
        let v = views.get(i).unwrap_or(&empty);
        let name = names.get(i).map_or("?", String::as_str);
        let tr = el_class("tr", &format!("call o-{}", v.outcome));
        attr(&tr, "data-line", &r.line.to_string());
        attr(&tr, "data-file", name);
        attr(&tr, "data-index", &i.to_string());
        let is_open = open.contains(&i);
        let cell = el_class("td", "expand-col");
        let b = dom::button("▸", "drill-expand");
        attr(&b, "data-index", &i.to_string());
        attr(&b, "aria-expanded", if is_open { "true" } else { "false" });
        attr(&b, "aria-controls", &format!("drill-raw-{i}"));
        attr(
            &b,
            "aria-label",
            &format!("{} {name}:{}", t("raw_row"), r.line),
        );
        add(&cell, &b);
        add(&tr, &cell);
        for (key, _, keep) in COLUMNS {
            let class = match (keep, key) {
                (_, "talk" | "pdd" | "fee") if keep => "num",
                (_, "talk" | "pdd" | "fee") => "num lo",
                (true, _) => "",
                (false, _) => "lo",
            };
            let td = el_class("td", class);
            attr(&td, "data-col", key);
            match key {
                "caller" => copyable(&td, &v.caller, t("dc_caller")),
                "callee" => copyable(&td, &v.callee, t("dc_callee")),
                // Date and time apart: a narrow screen puts the time under the date.
                "time" => match v.time.split_once(' ') {
                    Some((day, clock)) => {
                        add(&td, &el_text("span", "day", day));
                        dom::add_text(&td, " ");
                        add(&td, &el_text("span", "clock", clock));
                    }
                    None => dom::set_text(&td, &v.time),
                },
                _ => dom::set_text(&td, &text(v, key)),
            }
            add(&tr, &td);
        }
        add(&body, &tr);
        add(&body, &detail(v, r, i, name, raw.get(i), is_open));
    }
    add(&tbl, &body);
    tbl
}

/// The expansion of row `i`: its file and line, the row as it is in the file, the Call-ID,
/// and on a narrow screen the columns the row leaves out.
fn detail(
    v: &CallView,
    r: &RowRef,
    i: usize,
    name: &str,
    raw: Option<&String>,
    open: bool,
) -> Element {
    let tr = el_class("tr", "raw-row");
    attr(&tr, "id", &format!("drill-raw-{i}"));
    dom::show(&tr, open);
    let td = el("td");
    attr(&td, "colspan", &(COLUMNS.len() + 1).to_string());
    let dl = el_class("dl", "call-detail");
    let item = |key: &str, class: &str| {
        let dt = el_text("dt", class, t(key));
        let dd = el_class("dd", class);
        add(&dl, &dt);
        add(&dl, &dd);
        dd
    };
    let where_ = item("dc_where", "");
    attr(&where_, "class", "raw-where");
    dom::set_text(&where_, &format!("{name}:{}", r.line));
    copyable(&item("dc_call_id", ""), &v.call_id, t("dc_call_id"));
    copyable(&item("dc_caller", "narrow"), &v.caller, t("dc_caller"));
    copyable(&item("dc_callee", "narrow"), &v.callee, t("dc_callee"));
    for key in ["ingress", "egress", "destination", "code", "pdd", "fee"] {
        dom::set_text(&item(&format!("dc_{key}"), "narrow"), &text(v, key));
    }
    add(&td, &dl);
    add(&td, &el_text("p", "raw-label", t("raw_row")));
    let pre = el_text("pre", "raw", raw.map_or("…", String::as_str));
    attr(&pre, "data-raw", &i.to_string());
    add(&td, &pre);
    add(&tr, &td);
    tr
}
