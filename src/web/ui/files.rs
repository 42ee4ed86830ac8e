//! The files read together (several files, a folder, a zip's entries): each one's path, format,
//! container, rows accepted / rejected / counted once as duplicates of another file, and its
//! error; then what a folder held that was not read. Shown only when there is more than one
//! plain file to tell apart.

use crate::summary::Summary;
use crate::web::app::App;
use crate::web::dom::{self, add, attr, el, el_class, el_text};
use crate::web::i18n::t;
use crate::web::ui::fmt;

/// Renders the per-file table (hidden for a single plain file).
pub fn render(app: &App, s: &Summary) {
    let p = dom::by_id("files");
    let single = s.files.len() == 1
        && matches!(s.files[0].container.as_str(), "" | "text")
        && app.skipped.is_empty();
    dom::show(&p, !single && !s.files.is_empty());
    if single {
        dom::clear(&p);
        return;
    }
    let p = super::panel("files", t("files_title"));
    let tbl = el("table");
    attr(&tbl, "id", "files-table");
    let thead = el("thead");
    let head = el("tr");
    for h in [
        t("file"),
        t("format"),
        t("container"),
        t("rows_accepted"),
        t("rows_rejected"),
        t("rows_duplicates"),
        t("file_error"),
    ] {
        add(&head, &el_text("th", "", h));
    }
    add(&thead, &head);
    add(&tbl, &thead);
    let body = el("tbody");
    for f in &s.files {
        let tr = el("tr");
        attr(&tr, "data-file", &f.name);
        attr(&tr, "data-accepted", &f.accepted.to_string());
        attr(&tr, "data-rejected", &f.rejected.to_string());
        attr(&tr, "data-duplicates", &f.duplicates.to_string());
        add(&tr, &el_text("td", "", &f.name));
        add(&tr, &el_text("td", "", &f.format));
        add(&tr, &el_text("td", "", &f.container));
        add(&tr, &el_text("td", "num", &fmt::int(f.accepted)));
        add(&tr, &el_text("td", "num", &fmt::int(f.rejected)));
        add(&tr, &el_text("td", "num", &fmt::int(f.duplicates)));
        add(&tr, &el_text("td", "", f.error.as_deref().unwrap_or("")));
        add(&body, &tr);
    }
    add(&tbl, &body);
    let scroll = el_class("div", "table-scroll");
    add(&scroll, &tbl);
    add(&p, &scroll);
    if !app.skipped.is_empty() {
        let box_ = el_class("p", "muted");
        attr(&box_, "id", "skipped-files");
        attr(&box_, "data-count", &app.skipped.len().to_string());
        add(
            &box_,
            &el_text("span", "", &format!("{} ", t("skipped_files"))),
        );
        for (i, name) in app.skipped.iter().enumerate() {
            let c = el_text("code", "", name);
            attr(&c, "data-skipped", name);
            add(&box_, &c);
            if i + 1 < app.skipped.len() {
                dom::add_text(&box_, ", ");
            }
        }
        add(&p, &box_);
    }
}
