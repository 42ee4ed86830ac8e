//! One error card instead of a dashboard of zeros: for a load that yields no call, or a file
//! refused outright, it says what the file looks like, why it was refused and what to do.

use crate::summary::Summary;
use crate::web::dom::{self, add, attr, el, el_class, el_text};
use crate::web::i18n::t;
use crate::web::ui::fmt;

/// How many rejected lines the card quotes.
const REASONS_SHOWN: usize = 3;

/// The card for a load that read no call: the files, the first reasons, what to do.
pub fn no_calls(s: &Summary) {
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
        let mut line = format!(
            "{} · {} · {} · {} {} · {} {}",
            f.name,
            fmt::size(f.bytes),
            if f.format.is_empty() {
                s.format_name.as_str()
            } else {
                f.format.as_str()
            },
            fmt::int(f.accepted + f.rejected),
            t("rows_lower"),
            fmt::int(f.rejected),
            t("err_refused_rows"),
        );
        if let Some(e) = &f.error {
            line.push_str(&format!(" · {e}"));
        }
        add(&files, &el_text("li", "", &line));
    }
    add(&card, &files);
    add(&card, &el_text("h3", "", t("err_why")));
    // The reasons, one per item: what an embedding host gets as the error's message.
    let why = el_class("ul", "err-why");
    if s.rows.data == 0 && s.files.iter().all(|f| f.error.is_none()) {
        add(&why, &el_text("li", "", t("err_no_data_rows")));
    }
    for r in s.rejects.iter().take(REASONS_SHOWN) {
        add(
            &why,
            &el_text("li", "", &format!("{}:{}: {}", r.file, r.line, r.reason)),
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
