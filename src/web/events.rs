//! Event wiring: drops anywhere on the window (files or folders), the file and folder pickers,
//! the demo, and one delegated listener per event type for every `data-action` /
//! `data-change` / `data-input` control.

use crate::analysis::Filter;
use crate::formats::FormatId;
use crate::web::app::{with_app, App};
use crate::web::dom::{self, on};
use crate::web::i18n::{self, Lang};
use crate::web::ui::{self, export, filters, prefs};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DragEvent, Element, Event, File, HtmlInputElement, HtmlSelectElement, MouseEvent};

/// The name of the demo file shipped in www/.
const DEMO: &str = "demo_vos3000_cdr.csv";

/// Attaches every listener once.
pub fn wire() {
    let d = dom::doc();
    let overlay = dom::by_id("drop-overlay");
    // The whole window accepts drops; dragover must call preventDefault or drop never fires.
    {
        let o = overlay.clone();
        on(&d, "dragenter", move |e| {
            e.prevent_default();
            dom::show(&o, true);
        });
    }
    {
        // Over the compare panel a drop is the after side of a comparison: the panel is
        // outlined instead of the whole-window overlay.
        let o = overlay.clone();
        on(&d, "dragover", move |e| {
            e.prevent_default();
            let over = closest(&e, "#compare").is_some();
            dom::show(&o, !over);
            mark_compare_drop(over);
        });
    }
    {
        let o = overlay.clone();
        on(&d, "dragleave", move |e| {
            let leaving_window = e
                .dyn_ref::<MouseEvent>()
                .is_some_and(|m| m.client_x() <= 0 && m.client_y() <= 0);
            if leaving_window || e.target().is_some_and(|t| t == o.clone().into()) {
                dom::show(&o, false);
            }
            if leaving_window {
                mark_compare_drop(false);
            }
        });
    }
    {
        let o = overlay.clone();
        on(&d, "drop", move |e| {
            e.prevent_default();
            dom::show(&o, false);
            mark_compare_drop(false);
            if let Some(dt) = e.dyn_ref::<DragEvent>().and_then(|d| d.data_transfer()) {
                // Onto the compare panel: the after side of a comparison.
                let target = if closest(&e, "#compare").is_some() {
                    crate::web::folder::Target::After
                } else {
                    crate::web::folder::Target::Load
                };
                crate::web::folder::load_drop(&dt, target);
            }
        });
    }
    {
        // `toggle` does not bubble: listened to while it goes down to the box.
        let cb = Closure::<dyn FnMut(Event)>::new(|e: Event| {
            if let Some(el) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            {
                with_app(|a| ui::header::on_toggle(a, &el));
            }
        });
        let _ = dom::by_id("detected").add_event_listener_with_callback_and_bool(
            "toggle",
            cb.as_ref().unchecked_ref(),
            true,
        );
        cb.forget();
    }
    let input = dom::by_id("file-input");
    on(&dom::by_id("btn-open"), "click", {
        let input = input.clone();
        move |_| open_picker(&input)
    });
    on(&input, "change", |e| {
        let files = take_picked(&e);
        if !files.is_empty() {
            with_app(|a| a.load(files));
        }
    });
    // The empty page's drop box opens the file chooser on click, Enter or Space.
    let drop_box = dom::by_id("drop-box");
    on(&drop_box, "click", {
        let input = input.clone();
        move |_| open_picker(&input)
    });
    on(&drop_box, "keydown", {
        let input = input.clone();
        move |e| {
            let key = e
                .dyn_ref::<web_sys::KeyboardEvent>()
                .map(|k| k.key())
                .unwrap_or_default();
            if key == "Enter" || key == " " {
                e.prevent_default();
                open_picker(&input);
            }
        }
    });
    let folder_input = dom::by_id("folder-input");
    on(&dom::by_id("btn-folder"), "click", {
        let input = folder_input.clone();
        move |_| open_picker(&input)
    });
    on(&folder_input, "change", |e| {
        let files = take_picked(&e);
        if !files.is_empty() {
            crate::web::folder::load_picked(files, crate::web::folder::Target::Load);
        }
    });
    // The phone top bar's menu: the button opens and closes it, an action chosen in it closes it.
    on(&dom::by_id("btn-menu"), "click", |_| {
        let open = dom::by_id("actions").class_list().contains("open");
        set_menu(!open);
    });
    on(&dom::by_id("more"), "click", |e| {
        if closest(&e, "button").is_some() {
            set_menu(false);
        }
    });
    on(&dom::by_id("btn-demo"), "click", |_| {
        // The fetch takes a moment: the dashboard must not look finished (with the previous
        // numbers) meanwhile.
        let dash = dom::by_id("dashboard");
        let before = dash.get_attribute("data-state").unwrap_or_default();
        dom::attr(&dash, "data-state", "loading");
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = load_demo().await {
                dom::attr(&dom::by_id("dashboard"), "data-state", &before);
                crate::web::app::show_error(&format!("{DEMO}: {e:?}"));
            }
        })
    });
    on(&dom::by_id("btn-cancel"), "click", |_| {
        with_app(|a| a.cancel());
    });
    on(&dom::by_id("btn-theme"), "click", |_| {
        with_app(|a| {
            a.dark = !a.dark;
            prefs::save_dark(a.dark);
            apply_theme(a.dark);
            ui::render_all(a);
        });
    });
    on(&dom::by_id("btn-print"), "click", |_| print());
    // A printout carries every finding: collapsed ones open before printing.
    if let Some(w) = web_sys::window() {
        on(&w, "beforeprint", |_| {
            if let Ok(list) = dom::doc().query_selector_all("#findings details") {
                for i in 0..list.length() {
                    if let Some(d) = list
                        .item(i)
                        .and_then(|n| n.dyn_into::<web_sys::HtmlDetailsElement>().ok())
                    {
                        d.set_open(true);
                    }
                }
            }
        });
    }
    on(&dom::by_id("lang"), "change", |e| {
        let v = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
            .map(|s| s.value())
            .unwrap_or_default();
        let l = Lang::parse(&v);
        i18n::set_lang(l);
        prefs::save_lang(l);
        ui::apply_static_text();
        with_app(|a| {
            ui::settings::render(a);
            ui::reference::render(a);
            ui::render_all(a);
        });
    });
    on(&d, "click", on_click);
    // Escape closes the drill-down and returns focus to what opened it.
    on(&d, "keydown", |e| {
        let key = e
            .dyn_ref::<web_sys::KeyboardEvent>()
            .map(|k| k.key())
            .unwrap_or_default();
        if let Some(b) = closest(&e, ".chart-keys > button") {
            if move_key_focus(&b, &key) {
                e.prevent_default();
            }
            return;
        }
        if key == "Escape" {
            with_app(|a| {
                if a.drill.is_some() {
                    ui::drill::close(a);
                }
            });
        }
    });
    on(&d, "change", on_change);
    on(&d, "input", on_input);
}

/// Opens or closes the phone top bar's menu of actions.
fn set_menu(open: bool) {
    let _ = dom::by_id("actions")
        .class_list()
        .toggle_with_force("open", open);
    dom::attr(
        &dom::by_id("btn-menu"),
        "aria-expanded",
        if open { "true" } else { "false" },
    );
}

/// Arrow keys among a chart's keys: focus moves to the next or previous key, which becomes the
/// chart's one tab stop. Whether the key was an arrow.
fn move_key_focus(b: &Element, key: &str) -> bool {
    let next = match key {
        "ArrowRight" | "ArrowDown" => b.next_element_sibling(),
        "ArrowLeft" | "ArrowUp" => b.previous_element_sibling(),
        "Home" => b.parent_element().and_then(|p| p.first_element_child()),
        "End" => b.parent_element().and_then(|p| p.last_element_child()),
        _ => return false,
    };
    if let Some(n) = next.and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) {
        dom::attr(b, "tabindex", "-1");
        dom::attr(&n, "tabindex", "0");
        let _ = n.focus();
    }
    true
}

/// Sets the theme class on the body.
pub fn apply_theme(dark: bool) {
    if let Some(b) = dom::doc().body() {
        let _ = if dark {
            b.class_list().add_1("dark")
        } else {
            b.class_list().remove_1("dark")
        };
    }
}

fn print() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

/// Outlines the compare panel while files are dragged over it.
fn mark_compare_drop(on: bool) {
    if let Some(p) = dom::doc().get_element_by_id("compare") {
        if on {
            dom::attr(&p, "data-drop", "");
        } else {
            p.remove_attribute("data-drop").ok();
        }
    }
}

/// Opens a hidden file input's picker from its visible button.
fn open_picker(input: &Element) {
    if let Some(i) = input.dyn_ref::<HtmlInputElement>() {
        i.click();
    }
}

/// The files chosen in a file input's `change` event, clearing the input so that choosing
/// the same files again fires again.
fn take_picked(e: &Event) -> Vec<File> {
    let Some(i) = e
        .target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
    else {
        return Vec::new();
    };
    let files = i
        .files()
        .map(|l| (0..l.length()).filter_map(|k| l.item(k)).collect())
        .unwrap_or_default();
    i.set_value("");
    files
}

async fn load_demo() -> Result<(), JsValue> {
    let w = web_sys::window().ok_or("no window")?;
    let resp: web_sys::Response = JsFuture::from(w.fetch_with_str(DEMO)).await?.dyn_into()?;
    if !resp.ok() {
        return Err(format!("HTTP {}", resp.status()).into());
    }
    let blob: web_sys::Blob = JsFuture::from(resp.blob()?).await?.dyn_into()?;
    let parts = js_sys::Array::of1(&blob);
    let file = File::new_with_blob_sequence(&parts, DEMO)?;
    with_app(|a| a.load(vec![file]));
    Ok(())
}

fn closest(e: &Event, selector: &str) -> Option<Element> {
    e.target()?
        .dyn_into::<Element>()
        .ok()?
        .closest(selector)
        .ok()?
}

fn filter_attr(el: &Element) -> Filter {
    el.get_attribute("data-filter")
        .and_then(|f| serde_json::from_str(&f).ok())
        .unwrap_or_default()
}

fn on_click(e: Event) {
    let Some(el) = closest(&e, "[data-action]") else {
        return;
    };
    let action = el.get_attribute("data-action").unwrap_or_default();
    let index: usize = el
        .get_attribute("data-index")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    // Clicks on a chart: find the region under the pointer.
    let chart_filter = if action == "chart-click" {
        e.dyn_ref::<MouseEvent>().and_then(|m| {
            let svg = el.query_selector("svg").ok()??;
            let r = svg.get_bounding_client_rect();
            with_app(|a| {
                ui::charts::hit_at(
                    a,
                    index,
                    f64::from(m.client_x()) - r.left(),
                    f64::from(m.client_y()) - r.top(),
                    r.width(),
                    r.height(),
                )
            })
            .flatten()
        })
    } else {
        None
    };
    with_app(|a: &mut App| match action.as_str() {
        "drill" => {
            let f = a.filter.narrowed_by(&filter_attr(&el));
            a.request_rows(f, 0);
            ui::drill::render(a);
            scroll_to("drill");
            ui::drill::focus_in(&el);
        }
        "chart-click" => {
            if let Some(f) = chart_filter {
                let f = a.filter.narrowed_by(&f);
                a.request_rows(f, 0);
                ui::drill::render(a);
                scroll_to("drill");
                ui::drill::focus_in(&el);
            }
        }
        "finding" => {
            // The finding's view becomes the filter; the drill-down shows the rows at fault.
            let view = filter_attr(&el);
            let rows: Filter = el
                .get_attribute("data-rows")
                .and_then(|f| serde_json::from_str(&f).ok())
                .unwrap_or_else(|| view.clone());
            a.apply_filter(view.clone());
            a.request_rows(view.narrowed_by(&rows), 0);
            ui::drill::render(a);
            scroll_to("drill");
            ui::drill::focus_in(&el);
        }
        "drill-page" => {
            let page = el
                .get_attribute("data-page")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            if let Some(f) = a.drill.as_ref().map(|d| d.filter.clone()) {
                a.request_rows(f, page);
            }
        }
        "drill-close" => ui::drill::close(a),
        "drill-sort" => ui::drill_calls::sort_click(a, &el),
        "drill-expand" => ui::drill_calls::toggle(&el, index),
        "drill-copy" => ui::drill_calls::copy(&el),
        "sort" => {
            let table = el.get_attribute("data-table").unwrap_or_default();
            let key = el.get_attribute("data-key").unwrap_or_default();
            let desc = match a.sorts.iter().find(|(t, _, _)| *t == table) {
                Some((_, k, d)) if *k == key => !*d,
                _ => key != "name",
            };
            a.sorts.retain(|(t, _, _)| *t != table);
            a.sorts.push((table, key, desc));
            if let Some(s) = a.summary.clone() {
                ui::tables::render(a, &s);
            }
        }
        "clear-filter" => a.apply_filter(Filter::default()),
        "settings-apply" => ui::settings::apply_form(a),
        "settings-reset" => ui::settings::reset(a),
        "unfilter" => {
            // A filter chip's ×: drop that one condition.
            let mut f = a.filter.clone();
            f.set(&el.get_attribute("data-key").unwrap_or_default(), "");
            a.apply_filter(f);
        }
        "code" => {
            a.ref_query = el.get_attribute("data-code").unwrap_or_default();
            ui::reference::render(a);
            scroll_to("reference");
        }
        "rerun" => {
            let v = dom::by_id("force-format")
                .dyn_into::<HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            a.format = FormatId::parse(&v);
            a.mapping = None;
            a.reload();
        }
        "map-apply" => {
            let m = ui::mapping::read();
            match ui::mapping::problem(&m) {
                Some(p) => ui::mapping::message(p),
                None => {
                    ui::mapping::remember(a, &m);
                    a.mapping = Some(m);
                    a.format = None;
                    a.reload();
                }
            }
        }
        "map-reset" => {
            a.mapping = None;
            a.format = None;
            a.reload();
        }
        "export-json" => {
            if let Some(s) = &a.summary {
                export::download(
                    "cdrscope-summary.json",
                    "application/json",
                    &export::summary_json(s).into(),
                );
            }
        }
        "export-csv" => {
            if let Some(s) = &a.summary {
                export::download(
                    "cdrscope-summary.csv",
                    "text/csv",
                    &export::summary_csv(s).into(),
                );
            }
        }
        "export-calls" => a.request_calls_csv(),
        "compare" => ui::compare::request(a),
        "compare-sets" => ui::compare::request_sets(a, None),
        "compare-pick" => {
            if let Some(input) = el
                .get_attribute("data-target")
                .and_then(|id| dom::doc().get_element_by_id(&id))
            {
                open_picker(&input);
            }
        }
        "chart-svg" => {
            if let Some((key, c)) = a.charts.get(index) {
                export::download(
                    &format!("cdrscope-{key}.svg"),
                    "image/svg+xml",
                    &c.svg.clone().into(),
                );
            }
        }
        "chart-png" => {
            if let Some((key, c)) = a.charts.get(index) {
                export::chart_png(format!("cdrscope-{key}.png"), &c.svg, c.width, c.height);
            }
        }
        "print" => print(),
        _ => {}
    });
}

fn scroll_to(id: &str) {
    if let Some(h) = dom::by_id(id).dyn_ref::<web_sys::HtmlElement>() {
        h.scroll_into_view();
    }
}

fn on_change(e: Event) {
    let Some(el) = closest(&e, "[data-change]") else {
        return;
    };
    let kind = el.get_attribute("data-change").unwrap_or_default();
    // The compare panel's file and folder choosers: the after side of a comparison.
    if kind == "compare-files" || kind == "compare-folder" {
        let files = take_picked(&e);
        if !files.is_empty() {
            crate::web::folder::load_picked(files, crate::web::folder::Target::After);
        }
        return;
    }
    let value = el
        .dyn_ref::<HtmlSelectElement>()
        .map(|s| s.value())
        .or_else(|| el.dyn_ref::<HtmlInputElement>().map(|i| i.value()))
        .unwrap_or_default();
    with_app(|a| match kind.as_str() {
        "filter" => {
            let key = el.get_attribute("data-key").unwrap_or_default();
            let mut f = a.filter.clone();
            f.set(&key, &value);
            a.apply_filter(f);
        }
        "map-header" => ui::mapping::rebuild(a),
        "map-answered" => ui::mapping::answered_rule_changed(),
        "map-edit" => ui::mapping::message(""),
        "tz" => {
            if let Ok(m) = value.parse() {
                a.tz_offset_min = m;
                a.request_summary();
                // The drill-down's times are shown in the zone too.
                if let Some((f, page)) = a.drill.as_ref().map(|d| (d.filter.clone(), d.page)) {
                    a.request_rows(f, page);
                }
            }
        }
        _ => {}
    });
}

fn on_input(e: Event) {
    let Some(el) = closest(&e, "[data-input]") else {
        return;
    };
    let v = el
        .dyn_ref::<HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default();
    match el.get_attribute("data-input").as_deref() {
        Some("ref-search") => {
            with_app(|a| {
                a.ref_query = v;
                ui::reference::render_results(a);
            });
        }
        Some("files-search") => {
            with_app(|a| ui::files::search(a, &v));
        }
        Some("filter-search") => {
            let key = el.get_attribute("data-key").unwrap_or_default();
            with_app(|a| filters::search(a, &key, &v));
        }
        _ => {}
    }
}
