//! Drill-down: the calls behind a number, paginated, as a call table (`drill_calls`); each
//! call expands to its file, line and the original row read back from the File with
//! `File.slice(offset, offset + len)`, or for a row from inside a container (`.gz`, zip, Excel,
//! JSON) the decoded line the worker sends with the page.

use crate::analysis::RowRef;
use crate::display::{row_shown, utf8_start, ROW_SHOWN};
use crate::web::app::{with_app, App, PAGE_SIZE};
use crate::web::dom::{self, add, attr, el_class, el_text};
use crate::web::i18n::t;
use crate::web::ui::{drill_calls as calls, filters, fmt};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, Element, File};

thread_local! {
    /// The control that opened the drill-down: focus returns there when it closes.
    static OPENER: std::cell::RefCell<Option<Element>> = const { std::cell::RefCell::new(None) };
}

/// Moves focus into the freshly opened drill-down (its title), remembering `opener`.
pub fn focus_in(opener: &Element) {
    OPENER.with(|o| *o.borrow_mut() = Some(opener.clone()));
    if let Some(h) = dom::doc()
        .query_selector("#drill h2")
        .ok()
        .flatten()
        .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = h.focus();
    }
}

/// Closes the drill-down and gives focus back to the control that opened it.
pub fn close(app: &mut App) {
    app.drill = None;
    render(app);
    if let Some(o) = OPENER.with(|o| o.borrow_mut().take()) {
        if let Some(h) = o.dyn_ref::<web_sys::HtmlElement>() {
            let _ = h.focus();
        }
    }
}

/// Renders the drill-down panel (hidden when none is open).
pub fn render(app: &App) {
    let p = dom::by_id("drill");
    let Some(d) = app.drill.as_ref() else {
        dom::show(&p, false);
        return;
    };
    // Rows arriving rebuild the panel: focus on its title stays on the new title.
    let had_focus = dom::doc()
        .active_element()
        .is_some_and(|a| a.tag_name() == "H2" && a.closest("#drill").ok().flatten().is_some());
    dom::clear(&p);
    dom::show(&p, true);
    let head = el_class("div", "drill-head");
    let title = el_text("h2", "", t("drill"));
    attr(&title, "tabindex", "-1");
    add(&head, &title);
    if had_focus {
        if let Some(h) = title.dyn_ref::<web_sys::HtmlElement>() {
            // Focused once it is in the document (below).
            let h = h.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let _ = h.focus();
            });
        }
    }
    let desc = el_text("p", "drill-filter", &filters::describe(&d.filter));
    add(&head, &desc);
    add(&head, &dom::button(t("drill_close"), "drill-close"));
    add(&p, &head);
    let Some(rows) = d.rows.as_ref() else {
        let _ = p.remove_attribute("data-state");
        add(&p, &el_text("p", "muted", "…"));
        return;
    };
    let pages = (rows.total as usize).div_ceil(PAGE_SIZE).max(1);
    let info = el_text(
        "p",
        "drill-count",
        &format!(
            "{} · {} {} / {}",
            fmt::int(rows.total),
            t("page"),
            d.page + 1,
            pages
        ),
    );
    attr(&info, "data-total", &rows.total.to_string());
    add(&p, &info);
    let file_names: Vec<String> = app.files.iter().map(|f| f.name()).collect();
    let names: Vec<String> = rows
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            d.names
                .get(i)
                .filter(|n| !n.is_empty())
                .or_else(|| file_names.get(r.file as usize))
                .map_or_else(|| "?".to_string(), String::clone)
        })
        .collect();
    let tbl = calls::table(&d.views, &rows.rows, &names, &d.raw);
    let scroll = el_class("div", "table-scroll");
    // A scrolling region the keyboard can reach and a screen reader can name.
    attr(&scroll, "tabindex", "0");
    attr(&scroll, "role", "region");
    attr(&scroll, "aria-label", t("drill"));
    add(&scroll, &tbl);
    add(&p, &scroll);
    // Where a copy button says it copied, for a screen reader.
    let live = el_class("p", "sr-only");
    attr(&live, "id", "drill-copied");
    attr(&live, "role", "status");
    add(&p, &live);
    let nav = el_class("div", "pager");
    let prev = dom::button(t("prev"), "drill-page");
    attr(&prev, "data-page", &d.page.saturating_sub(1).to_string());
    if d.page == 0 {
        attr(&prev, "disabled", "");
    }
    let next = dom::button(t("next"), "drill-page");
    attr(&next, "data-page", &(d.page + 1).to_string());
    if d.page + 1 >= pages {
        attr(&next, "disabled", "");
    }
    add(&nav, &prev);
    add(&nav, &next);
    add(&p, &nav);
    calls::refocus();
}

/// Reads the start of a row back from its file (at most [`ROW_SHOWN`] bytes: a rejected
/// row can be hundreds of megabytes) and decodes it, saying how much is not shown.
pub async fn read_row(blob: &Blob, offset: u64, len: u32, encoding: &str) -> String {
    let shown = u64::from(len).min(ROW_SHOWN as u64);
    let part = match blob.slice_with_f64_and_f64(offset as f64, (offset + shown) as f64) {
        Ok(p) => p,
        Err(_) => return String::new(),
    };
    let Ok(buf) = JsFuture::from(part.array_buffer()).await else {
        return String::new();
    };
    decode_row(
        &js_sys::Uint8Array::new(&buf).to_vec(),
        u64::from(len),
        encoding,
    )
}

/// A row's bytes (its start, when `full` is longer) as text in the file's encoding, without
/// its line end.
fn decode_row(bytes: &[u8], full: u64, encoding: &str) -> String {
    let enc = encoding_rs::Encoding::for_label(encoding.as_bytes()).unwrap_or(encoding_rs::UTF_8);
    let cut = (bytes.len() as u64) < full;
    let kept = if cut && enc == encoding_rs::UTF_8 {
        utf8_start(bytes)
    } else {
        bytes
    };
    let (text, _, _) = enc.decode(kept);
    row_shown(
        text.trim_end_matches(['\r', '\n']).to_string(),
        kept.len(),
        if cut { full } else { kept.len() as u64 },
    )
}

/// The most bytes one read may span to serve several rows of a page.
const WINDOW_MAX: u64 = 1 << 20;

/// The texts of `rows` read from `files` (empty for a row without a file). Rows close together
/// are served by one read, and all reads run at once: a page of 50 rows read one after another
/// waited for 50 round trips to the browser's file reader.
async fn read_rows(files: &[File], encodings: &[String], rows: &[RowRef]) -> Vec<String> {
    // (file, start, end) of each read, and which read serves each row.
    let mut windows: Vec<(usize, u64, u64)> = Vec::new();
    let mut served: Vec<Option<usize>> = Vec::with_capacity(rows.len());
    for r in rows {
        let file = r.file as usize;
        if r.len == 0 || file >= files.len() {
            served.push(None);
            continue;
        }
        let end = r.offset + u64::from(r.len).min(ROW_SHOWN as u64);
        match windows.last_mut() {
            Some((f, start, e))
                if *f == file && r.offset >= *start && end - *start <= WINDOW_MAX =>
            {
                *e = (*e).max(end);
            }
            _ => windows.push((file, r.offset, end)),
        }
        served.push(Some(windows.len() - 1));
    }
    let reads: Vec<Option<js_sys::Promise>> = windows
        .iter()
        .map(|&(f, start, end)| {
            files[f]
                .slice_with_f64_and_f64(start as f64, end as f64)
                .ok()
                .map(|b| b.array_buffer())
        })
        .collect();
    let mut bytes: Vec<Vec<u8>> = Vec::with_capacity(reads.len());
    for read in reads {
        bytes.push(match read {
            Some(p) => JsFuture::from(p)
                .await
                .map(|buf| js_sys::Uint8Array::new(&buf).to_vec())
                .unwrap_or_default(),
            None => Vec::new(),
        });
    }
    rows.iter()
        .zip(served)
        .map(|(r, w)| {
            let Some(w) = w else {
                return String::new();
            };
            let (f, start, _) = windows[w];
            let from = (r.offset - start) as usize;
            let to = from + (r.len as usize).min(ROW_SHOWN);
            let enc = encodings.get(f).map_or("utf-8", |s| s.as_str());
            bytes[w]
                .get(from..to)
                .map_or_else(String::new, |b| decode_row(b, u64::from(r.len), enc))
        })
        .collect()
}

/// Starts reading the raw rows of the drill page; fills the cells when done.
pub fn read_raw_rows(app: &App) {
    let Some(rows) = app.drill.as_ref().and_then(|d| d.rows.clone()) else {
        return;
    };
    let req = app.drill_req;
    let texts = app
        .drill
        .as_ref()
        .map(|d| d.texts.clone())
        .unwrap_or_default();
    let files = app.files.clone();
    // A plain file's entry in the summary has its name (a zip before it may have added several
    // entries, so positions differ).
    let encodings: Vec<String> = files
        .iter()
        .map(|f| {
            let name = f.name();
            app.summary
                .iter()
                .flat_map(|s| s.files.iter())
                .find(|i| i.name == name)
                .map_or_else(|| "utf-8".to_string(), |i| i.encoding.clone())
        })
        .collect();
    wasm_bindgen_futures::spawn_local(async move {
        // Rows from inside a container come decoded by the worker; the others are sliced.
        let mut raw = read_rows(&files, &encodings, &rows.rows).await;
        for (i, r) in rows.rows.iter().enumerate() {
            if r.len == 0 {
                raw[i] = texts.get(i).cloned().flatten().unwrap_or_default();
            }
        }
        let still = with_app(|a| a.drill_req == req).unwrap_or(false);
        if !still {
            return;
        }
        let cells = dom::by_id("drill").query_selector_all("[data-raw]");
        if let Ok(cells) = cells {
            for i in 0..cells.length() {
                if let Some(c) = cells.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                    let idx: usize = c
                        .get_attribute("data-raw")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(usize::MAX);
                    if let Some(text) = raw.get(idx) {
                        dom::set_text(&c, text);
                    }
                }
            }
        }
        dom::attr(&dom::by_id("drill"), "data-state", "done");
        with_app(|a| {
            if let Some(d) = a.drill.as_mut() {
                d.raw = raw;
            }
        });
    });
}
