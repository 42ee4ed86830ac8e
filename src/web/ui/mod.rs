//! The dashboard, one file per panel. Every panel renders from the current [`App`] state.

pub mod charts;
pub mod drill;
pub mod export;
pub mod files;
pub mod filters;
pub mod findings;
pub mod fmt;
pub mod header;
pub mod kpis;
pub mod mapping;
pub mod prefs;
pub mod progress;
pub mod reference;
pub mod rejects;
pub mod tables;

use crate::web::app::{App, Phase};
use crate::web::dom;
use crate::web::i18n::{lang, t};
use wasm_bindgen::JsCast;

/// Re-renders every panel from the current summary.
pub fn render_all(app: &mut App) {
    let dash = dom::by_id("dashboard");
    let Some(s) = app.summary.clone() else {
        return;
    };
    dom::show(&dom::by_id("welcome"), false);
    dom::show(&dash, true);
    header::render(app, &s);
    filters::render(app);
    // Findings describe the whole file: they stay put while the user filters and drills.
    findings::render(&app.base_js);
    kpis::render(&s);
    charts::render(app, &s);
    tables::render(app, &s);
    files::render(app, &s);
    drill::render(app);
    rejects::render(app, &s);
    rejects::request_texts(app, &s);
    reference::render(app);
    export::render();
    dom::attr(
        &dash,
        "data-state",
        if app.phase == Phase::Done {
            "done"
        } else {
            "loading"
        },
    );
}

/// While reading: the header and the KPI tiles only (charts wait for the end).
pub fn render_partial(app: &mut App) {
    let Some(s) = app.summary.clone() else {
        return;
    };
    dom::show(&dom::by_id("welcome"), false);
    let dash = dom::by_id("dashboard");
    dom::show(&dash, true);
    dom::attr(&dash, "data-state", "loading");
    header::render(app, &s);
    kpis::render(&s);
}

/// Applies the language to the static texts of index.html (`data-i18n` keys).
pub fn apply_static_text() {
    let d = dom::doc();
    if let Some(h) = d.document_element() {
        dom::attr(&h, "lang", lang().code());
    }
    if let Ok(list) = d.query_selector_all("[data-i18n]") {
        for i in 0..list.length() {
            if let Some(e) = list
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                if let Some(key) = e.get_attribute("data-i18n") {
                    e.set_text_content(Some(t(&key)));
                }
            }
        }
    }
}

/// A titled panel section: clears `id` and gives it a heading.
pub fn panel(id: &str, title: &str) -> web_sys::Element {
    let p = dom::by_id(id);
    dom::clear(&p);
    dom::add(&p, &dom::el_text("h2", "", title));
    p
}
