//! The browser layer (wasm32 only): the exported handle (driven by the worker) and the page
//! (built by the start function on the main thread).

pub mod app;
pub mod calls_csv;
pub mod csv;
pub mod dom;
pub mod events;
pub mod folder;
pub mod handle;
pub mod i18n;
pub mod next_task;
pub mod part;
pub mod reference;
pub mod row_text;
pub mod ui;
pub mod warm_up;

use wasm_bindgen::prelude::*;

/// Builds the page on the main thread; does nothing inside the worker (no `window` there).
#[wasm_bindgen(start)]
pub fn start() {
    if web_sys::window().is_none() {
        return;
    }
    console_error_panic_hook::set_once();
    dom::by_id("version").set_text_content(Some(&format!("v{}", env!("CARGO_PKG_VERSION"))));
    let lang = ui::prefs::load_lang();
    i18n::set_lang(lang);
    if let Ok(s) = dom::by_id("lang").dyn_into::<web_sys::HtmlSelectElement>() {
        s.set_value(lang.code());
    }
    ui::apply_static_text();
    if let Err(e) = app::init() {
        app::show_error(&format!("cdrscope: {e:?}"));
        return;
    }
    events::apply_theme(app::with_app(|a| a.dark).unwrap_or(false));
    events::wire();
    app::with_app(|a| {
        ui::settings::render(a);
        // The code reference works before any file: a support page's first use.
        ui::reference::render(a);
    });
    dom::attr(&dom::by_id("drop-zone"), "data-ready", "true");
    wasm_bindgen_futures::spawn_local(async {
        next_task::next_task().await;
        warm_up::warm_up();
    });
}
