//! Rejected rows: line, reason and the raw line read back from the file (for a file from
//! inside a container, decoded again by the worker). Never silently dropped.

use crate::summary::Summary;
use crate::web::app::{set, App, Phase};
use crate::web::dom::{self, add, attr, el, el_class, el_text};
use crate::web::i18n::t;
use crate::web::ui::{drill::read_row, fmt};
use js_sys::{Array, Object};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;

const SHOWN: usize = 200;

/// Renders the rejects table and reads their raw lines.
pub fn render(app: &App, s: &Summary) {
    let p = super::panel(
        "rejects",
        &format!("{} ({})", t("rejects"), fmt::int(s.rejects_total)),
    );
    attr(&p, "data-total", &s.rejects_total.to_string());
    render_notes(&p, s);
    if s.rejects.is_empty() {
        add(&p, &el_text("p", "muted", t("no_rejects")));
        return;
    }
    let tbl = el("table");
    attr(&tbl, "id", "rejects-table");
    let head = el("tr");
    for h in [t("file"), t("line"), t("reason"), t("raw_row")] {
        add(&head, &el_text("th", "", h));
    }
    let thead = el("thead");
    add(&thead, &head);
    add(&tbl, &thead);
    let body = el("tbody");
    let mut jobs = Vec::new();
    for r in s.rejects.iter().take(SHOWN) {
        let tr = el("tr");
        attr(&tr, "data-line", &r.line.to_string());
        add(&tr, &el_text("td", "", &r.file));
        add(&tr, &el_text("td", "num", &r.line.to_string()));
        add(&tr, &el_text("td", "", &r.reason));
        let raw = el_text("td", "raw", "…");
        add(&tr, &raw);
        add(&body, &tr);
        // Only a plain file's offsets are offsets in the dropped File (a `.gz` row's are in
        // the decoded stream: slicing the File there would show compressed bytes).
        let info = s.files.iter().find(|f| f.name == r.file);
        let plain = info.filter(|f| f.container.is_empty() || f.container == "text");
        let idx = app.files.iter().position(|f| f.name() == r.file);
        if let (Some(i), Some(info)) = (idx, plain) {
            jobs.push((
                app.files[i].clone(),
                r.offset,
                r.len,
                info.encoding.clone(),
                raw,
            ));
        } else {
            // A container row's text comes from the worker ([`request_texts`]).
            let key = text_key(&r.file, r.offset);
            let cached = app.container_texts.get(&key).cloned().flatten();
            dom::set_text(&raw, cached.as_deref().unwrap_or(""));
            attr(&raw, "data-text-key", &key);
        }
    }
    add(&tbl, &body);
    let scroll = el_class("div", "table-scroll");
    // A scrolling region the keyboard can reach and a screen reader can name.
    attr(&scroll, "tabindex", "0");
    attr(&scroll, "role", "region");
    attr(&scroll, "aria-label", t("rejects"));
    add(&scroll, &tbl);
    add(&p, &scroll);
    wasm_bindgen_futures::spawn_local(async move {
        for (file, offset, len, enc, cell) in jobs {
            let text = read_row(&file, offset, len, &enc).await;
            dom::set_text(&cell, &text);
        }
    });
}

/// The key of a row's text in [`App::container_texts`] and on its cell.
pub fn text_key(file: &str, offset: u64) -> String {
    format!("{offset}@{file}")
}

/// Once the files are read, asks the worker for the text of the listed rejected rows that came
/// out of a container (decoded again from their File; remembered for the load).
pub fn request_texts(app: &mut App, s: &Summary) {
    if app.phase != Phase::Done {
        return;
    }
    let rows = Array::new();
    let keys = Array::new();
    for r in s.rejects.iter().take(SHOWN) {
        let plain = s
            .files
            .iter()
            .find(|f| f.name == r.file)
            .is_none_or(|f| f.container.is_empty() || f.container == "text");
        let key = text_key(&r.file, r.offset);
        if plain || app.container_texts.contains_key(&key) {
            continue;
        }
        // Asked once: an unanswerable row stays empty.
        app.container_texts.insert(key.clone(), None);
        keys.push(&key.as_str().into());
        let o = Object::new();
        set(&o, "file", &r.file.as_str().into());
        set(&o, "offset", &(r.offset as f64).into());
        set(&o, "len", &r.len.into());
        rows.push(&o);
    }
    if rows.length() > 0 {
        let msg = Object::new();
        set(&msg, "type", &"texts".into());
        set(&msg, "job", &app.job.into());
        set(&msg, "rows", &rows);
        set(&msg, "keys", &keys);
        let _ = app.worker.post_message(&msg);
    }
}

/// The worker's answer to [`request_texts`] (`keys` echoed back with the `texts`):
/// remembers the texts and fills their cells.
pub fn fill_texts(app: &mut App, keys: &JsValue, texts: &JsValue) {
    let keys: Vec<String> = serde_wasm_bindgen::from_value(keys.clone()).unwrap_or_default();
    let texts: Vec<Option<String>> =
        serde_wasm_bindgen::from_value(texts.clone()).unwrap_or_default();
    for (k, t) in keys.into_iter().zip(texts) {
        app.container_texts.insert(k, t);
    }
    let Ok(cells) = dom::by_id("rejects").query_selector_all("[data-text-key]") else {
        return;
    };
    for i in 0..cells.length() {
        let Some(c) = cells.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let key = c.get_attribute("data-text-key").unwrap_or_default();
        if let Some(Some(text)) = app.container_texts.get(&key) {
            dom::set_text(&c, text);
        }
    }
    dom::attr(&dom::by_id("rejects"), "data-texts", "done");
}

/// Lists accepted rows that carry a doubtful value (an Excel-mangled number, …).
fn render_notes(p: &web_sys::Element, s: &Summary) {
    if s.notes_total == 0 {
        return;
    }
    let box_ = el_class("div", "notes");
    attr(&box_, "id", "notes");
    attr(&box_, "data-total", &s.notes_total.to_string());
    add(
        &box_,
        &el_text(
            "p",
            "",
            &format!("{} ({})", t("notes"), fmt::int(s.notes_total)),
        ),
    );
    let list = el("ul");
    for n in s.notes.iter().take(SHOWN) {
        add(
            &list,
            &el_text("li", "", &format!("{}:{}: {}", n.file, n.line, n.reason)),
        );
    }
    add(&box_, &list);
    add(p, &box_);
}
