//! The progress bar while files are read: MB done, rows/s, Cancel.

use crate::web::app::{get, show_error, App};
use crate::web::dom;
use crate::web::i18n::t;
use crate::web::ui::fmt;
use wasm_bindgen::{JsCast, JsValue};

/// How many file errors the message under the bar quotes.
const ERRORS_SHOWN: usize = 5;

/// Shows the bar at zero.
pub fn start(app: &App) {
    show_error("");
    let total: f64 = app.files.iter().map(|f| f.size()).sum();
    set(
        0.0,
        total,
        &format!("{} 0 / {}", t("reading"), fmt::mb(total)),
    );
    dom::show(&dom::by_id("progress"), true);
    dom::attr(&dom::by_id("dashboard"), "data-state", "loading");
    let mut names: Vec<String> = app
        .files
        .iter()
        .take(ERRORS_SHOWN)
        .map(|f| f.name())
        .collect();
    if app.files.len() > ERRORS_SHOWN {
        names.push(format!(
            "… {} {}",
            fmt::int((app.files.len() - ERRORS_SHOWN) as u64),
            t("more_files")
        ));
    }
    dom::set_text(&dom::by_id("status"), &names.join(", "));
}

fn set(done: f64, total: f64, text: &str) {
    if let Ok(p) = dom::by_id("progress-bar").dyn_into::<web_sys::HtmlProgressElement>() {
        p.set_max(total.max(1.0));
        p.set_value(done);
    }
    dom::by_id("progress-text").set_text_content(Some(text));
}

/// Updates from a worker progress message.
pub fn update(_app: &App, m: &JsValue) {
    let done = get(m, "done").as_f64().unwrap_or(0.0);
    let total = get(m, "total").as_f64().unwrap_or(0.0);
    let elapsed = get(m, "elapsed_ms").as_f64().unwrap_or(0.0).max(1.0);
    let rows = get(&get(m, "rows"), "data").as_f64().unwrap_or(0.0);
    set(
        done,
        total,
        &format!(
            "{} {} / {} · {} {} · {} {}",
            t("reading"),
            fmt::mb(done),
            fmt::mb(total),
            fmt::int(rows as u64),
            t("rows"),
            fmt::int((rows / elapsed * 1000.0) as u64),
            t("rows_s")
        ),
    );
}

/// Hides the bar after the last file.
pub fn finish(app: &App, m: &JsValue) {
    dom::show(&dom::by_id("progress"), false);
    let elapsed = get(m, "elapsed_ms").as_f64().unwrap_or(0.0);
    let rows = app.summary.as_ref().map_or(0, |s| s.rows.data);
    let total: f64 = app.files.iter().map(|f| f.size()).sum();
    dom::by_id("status").set_text_content(Some(&format!(
        "{} · {} {} · {:.2} s",
        fmt::mb(total),
        fmt::int(rows),
        t("rows"),
        elapsed / 1000.0
    )));
    // The first few errors; the files table lists them all (100,000 failed zip entries made
    // one line of 100,000 messages).
    let errors = app
        .summary
        .iter()
        .flat_map(|s| s.files.iter())
        .filter_map(|f| match &f.error {
            Some(e) => Some(format!("{}: {e}", f.name)),
            // A file whose every row was rejected is as unread as a refused one: named here
            // next to the dashboard of the files that read.
            None if f.accepted == 0 && f.rejected > 0 => Some(format!(
                "{}: {} ({} {})",
                f.name,
                t("file_all_rejected"),
                fmt::int(f.rejected),
                t("rows_lower")
            )),
            None => None,
        });
    let mut failed: Vec<String> = errors.clone().take(ERRORS_SHOWN).collect();
    let more = errors.count().saturating_sub(ERRORS_SHOWN);
    if more > 0 {
        failed.push(format!("… {} {}", fmt::int(more as u64), t("more_errors")));
    }
    if app.summary.as_ref().is_some_and(|s| s.rows.accepted == 0) {
        show_error(&format!("{} {}", t("error_no_rows"), failed.join(" · ")));
    } else if !failed.is_empty() {
        show_error(&failed.join(" · "));
    }
}

/// After Cancel.
pub fn cancelled(app: &App) {
    dom::show(&dom::by_id("progress"), false);
    dom::attr(&dom::by_id("dashboard"), "data-state", "cancelled");
    dom::by_id("status").set_text_content(Some(t("cancelled")));
    // Nothing from the partial read stays on screen; the banner says how far it got.
    if app.base.is_none() {
        dom::show(&dom::by_id("welcome"), true);
    }
    let total: f64 = app.files.iter().map(|f| f.size()).sum();
    let banner = dom::by_id("banner");
    dom::set_text(
        &banner,
        &format!(
            "{} {} / {}. {}",
            t("cancelled_at"),
            fmt::mb(app.read_bytes),
            fmt::mb(total),
            t("cancelled_note")
        ),
    );
    dom::show(&banner, true);
}

/// A worker error.
pub fn error(_app: &App, msg: &str) {
    dom::show(&dom::by_id("progress"), false);
    show_error(msg);
}
