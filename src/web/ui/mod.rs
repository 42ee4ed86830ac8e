//! The dashboard, one file per panel. Every panel renders from the current [`App`] state.

pub mod charts;
pub mod compare;
pub mod drill;
pub mod drill_calls;
pub mod error_card;
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
pub mod settings;
pub mod tables;

use crate::web::app::{with_app, App, Phase};
use crate::web::dom;
use crate::web::i18n::{lang, t};
use wasm_bindgen::JsCast;

/// Re-renders every panel from the current summary.
pub fn render_all(app: &mut App) {
    let Some(s) = app.summary.as_ref() else {
        return;
    };
    // A load that read no call is an error card (a language switch redraws it), never a
    // dashboard of zeros.
    if s.rows.accepted == 0 && app.phase == Phase::Done {
        let s = s.clone();
        error_card::no_calls(app, &s);
        return;
    }
    // Steps still pending from an earlier rendering would draw an older summary.
    app.render_gen = app.render_gen.wrapping_add(1);
    for step in 0..STEPS {
        render_step(app, step);
    }
}

/// Re-renders every panel with the work cut into tasks, each after the current one: the
/// header, filters, findings and KPI tiles, then one chart per task, then the tables. A load's
/// final rendering is the longest main-thread work of the page (about 100 ms at a million
/// calls); in steps, no task blocks input for long. The dashboard's `data-state` changes only
/// with the last step.
pub fn render_all_in_steps(app: &mut App) {
    if app.summary.is_none() {
        return;
    }
    app.render_gen = app.render_gen.wrapping_add(1);
    let gen = app.render_gen;
    wasm_bindgen_futures::spawn_local(async move {
        for step in 0..STEPS {
            crate::web::next_task::next_task().await;
            let current = with_app(|a| {
                if a.render_gen != gen {
                    return false;
                }
                render_step(a, step);
                true
            });
            if current != Some(true) {
                break;
            }
        }
    });
}

/// How many steps [`render_step`] has: the head, each chart, the rest.
const STEPS: usize = charts::KEYS.len() + 2;

/// One step of rendering every panel.
fn render_step(app: &mut App, step: usize) {
    let Some(s) = app.summary.clone() else {
        return;
    };
    let dash = dom::by_id("dashboard");
    match step {
        0 => {
            dom::show(&dom::by_id("welcome"), false);
            dom::show(&dash, true);
            header::render(app, &s);
            filters::render(app);
            // Findings describe the whole file: they stay put while the user filters and drills.
            findings::render(&app.base_js);
            kpis::render(&s);
            charts::begin(app);
        }
        n if n <= charts::KEYS.len() => charts::draw(app, &s, n - 1),
        _ => {
            tables::render(app, &s);
            compare::render(app, &s);
            files::render(app, &s);
            drill::render(app);
            rejects::render(app, &s);
            rejects::request_texts(app, &s);
            reference::render(app);
            export::render();
            if !app.finish_msg.is_null() {
                // Before `data-state` turns done, as when the page rendered in one task: the
                // embedding bridge sees the load finished before any error it shows.
                let m = std::mem::replace(&mut app.finish_msg, wasm_bindgen::JsValue::NULL);
                progress::finish(app, &m);
            }
            dom::attr(
                &dash,
                "data-state",
                if app.phase == Phase::Done {
                    "done"
                } else {
                    "loading"
                },
            );
            app.resolve_waiters();
        }
    }
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
