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
    if s.files.len() > SHOWN {
        // 100,000 zip entries made 800,000 nodes: the table shows a page, a search finds the rest.
        let search = el("input");
        attr(&search, "type", "search");
        attr(&search, "id", "files-search");
        attr(&search, "data-input", "files-search");
        attr(&search, "placeholder", t("search"));
        attr(&search, "aria-label", t("search"));
        add(&p, &search);
    }
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
    attr(&body, "id", "files-body");
    fill_rows(&body, s, "");
    add(&tbl, &body);
    let scroll = el_class("div", "table-scroll");
    // A scrolling region the keyboard can reach and a screen reader can name.
    attr(&scroll, "tabindex", "0");
    attr(&scroll, "role", "region");
    attr(&scroll, "aria-label", t("files_title"));
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
        let shown = app.skipped.len().min(SHOWN);
        for (i, name) in app.skipped.iter().take(SHOWN).enumerate() {
            let c = el_text("code", "", name);
            attr(&c, "data-skipped", name);
            add(&box_, &c);
            if i + 1 < shown {
                dom::add_text(&box_, ", ");
            }
        }
        if app.skipped.len() > SHOWN {
            dom::add_text(
                &box_,
                &format!(
                    " … {} {}",
                    fmt::int((app.skipped.len() - SHOWN) as u64),
                    t("more_files")
                ),
            );
        }
        add(&p, &box_);
    }
}

/// How many files the table (and the list of files not read) shows at once.
const SHOWN: usize = 200;

/// Fills the table body with the files whose name contains `query` (ignoring case): the first
/// [`SHOWN`], then a row saying how many more match.
fn fill_rows(body: &web_sys::Element, s: &Summary, query: &str) {
    dom::clear(body);
    let q = query.trim().to_lowercase();
    let mut matching = s
        .files
        .iter()
        .filter(|f| q.is_empty() || f.name.to_lowercase().contains(&q));
    for f in matching.by_ref().take(SHOWN) {
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
        // A file whose every row was rejected read no call, as much as a refused one.
        let all_rejected = (f.error.is_none() && f.accepted == 0 && f.rejected > 0)
            .then(|| t("file_all_rejected"));
        add(
            &tr,
            &el_text("td", "", f.error.as_deref().or(all_rejected).unwrap_or("")),
        );
        add(body, &tr);
    }
    let more = matching.count();
    if more > 0 {
        let tr = el_class("tr", "more");
        attr(&tr, "data-more", &more.to_string());
        let td = el_text(
            "td",
            "muted",
            &format!("… {} {}", fmt::int(more as u64), t("more_files")),
        );
        attr(&td, "colspan", "7");
        add(&tr, &td);
        add(body, &tr);
    }
}

/// Shows the files matching the search box.
pub fn search(app: &App, query: &str) {
    if let (Some(s), Some(body)) = (
        app.summary.as_ref(),
        dom::doc().get_element_by_id("files-body"),
    ) {
        fill_rows(&body, s, query);
    }
}
