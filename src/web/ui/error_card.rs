//! One error card instead of a dashboard of zeros: for a load that yields no call, or a file
//! refused outright, it says what the file looks like, why it was refused and what to do.

use crate::display::visible;
use crate::summary::{top_reject_reasons, Summary};
use crate::web::app::App;
use crate::web::dom::{self, add, attr, el, el_class, el_text};
use crate::web::i18n::t;
use crate::web::ui::fmt;

/// How many kinds of reject reason the card lists.
const REASONS_SHOWN: usize = 3;

/// The card for a load that read no call: the files, the top reasons with their counts and
/// first line, what to do; for a file no format fits, the "wrong format?" box open on the
/// column editor.
pub fn no_calls(app: &App, s: &Summary) {
    // Every file refused outright (not a CDR, an image): the same title as a refused load.
    let all_refused = !s.files.is_empty() && s.files.iter().all(|f| f.error.is_some());
    let card = begin(t(if all_refused {
        "err_refused"
    } else {
        "err_no_calls"
    }));
    add(&card, &el_text("h3", "", t("err_looks")));
    let files = el("ul");
    for f in &s.files {
        let format = if f.format.is_empty() {
            s.format_name.as_str()
        } else {
            f.format.as_str()
        };
        let mut parts = vec![f.name.clone(), fmt::size(f.bytes)];
        // A refused file has no format and no rows to count: its error says it all.
        if !format.is_empty() {
            parts.push(format.to_string());
        }
        if f.error.is_none() || f.accepted + f.rejected > 0 {
            parts.push(format!(
                "{} {}",
                fmt::int(f.accepted + f.rejected),
                t("rows_lower")
            ));
            parts.push(format!(
                "{} {}",
                fmt::int(f.rejected),
                t("err_refused_rows")
            ));
        }
        if let Some(e) = &f.error {
            parts.push(e.clone());
        }
        let line = parts.join(" · ");
        add(&files, &el_text("li", "", &line));
    }
    add(&card, &files);
    add(&card, &el_text("h3", "", t("err_why")));
    // The reasons, one per item: what an embedding host gets as the error's message.
    let why = el_class("ul", "err-why");
    if s.rows.data == 0 && s.files.iter().all(|f| f.error.is_none()) {
        add(&why, &el_text("li", "", t("err_no_data_rows")));
    }
    // Grouped by kind: a thousand rows with one bad date are one cause, said once with its count.
    for r in top_reject_reasons(&s.rejects, REASONS_SHOWN) {
        add(
            &why,
            &el_text(
                "li",
                "",
                &format!(
                    "{} × {} ({} {}:{}: {})",
                    fmt::int(r.count),
                    visible(&r.kind),
                    t("err_first_at"),
                    visible(&r.file),
                    r.line,
                    visible(&r.reason)
                ),
            ),
        );
    }
    for f in s
        .files
        .iter()
        .filter(|f| f.error.is_some())
        .take(REASONS_SHOWN)
    {
        add(
            &why,
            &el_text(
                "li",
                "",
                &format!("{}: {}", f.name, f.error.as_deref().unwrap_or_default()),
            ),
        );
    }
    add(&card, &why);
    what_to_do(&card);
    if s.columns.is_some() {
        // The header line's copy would share the editor's ids: only the card's stays.
        dom::clear(&dom::by_id("detected"));
        let wf = crate::web::ui::header::wrong_format_box(app, s, true, None, None);
        add(&card, &wf);
    }
}

/// The card for a file the reader refused (its message says which file and why).
pub fn refused(msg: &str) {
    let card = begin(t("err_refused"));
    add(&card, &el_text("h3", "", t("err_why")));
    add(&card, &el_text("p", "err-message", msg));
    what_to_do(&card);
}

/// Clears the card, shows it with its title and brings back the empty page under it.
fn begin(title: &str) -> web_sys::Element {
    let card = dom::by_id("error");
    dom::clear(&card);
    attr(&card, "class", "error error-card");
    add(&card, &el_text("h2", "", title));
    dom::show(&card, true);
    dom::show(&dom::by_id("dashboard"), false);
    dom::show(&dom::by_id("progress"), false);
    dom::show(&dom::by_id("welcome"), true);
    card
}

fn what_to_do(card: &web_sys::Element) {
    add(card, &el_text("h3", "", t("err_todo")));
    let list = el_class("ul", "err-todo");
    for k in ["err_todo_csv", "err_todo_map", "err_todo_ref"] {
        add(&list, &el_text("li", "", t(k)));
    }
    add(card, &list);
}
