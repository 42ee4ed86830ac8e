//! Rejected rows: line, reason and the raw line read back from the file. Never silently dropped.

use crate::summary::Summary;
use crate::web::app::App;
use crate::web::dom::{add, attr, el, el_class, el_text};
use crate::web::i18n::t;
use crate::web::ui::{drill::read_row, fmt};

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
            raw.set_text_content(Some(""));
        }
    }
    add(&tbl, &body);
    let scroll = el_class("div", "table-scroll");
    add(&scroll, &tbl);
    add(&p, &scroll);
    wasm_bindgen_futures::spawn_local(async move {
        for (file, offset, len, enc, cell) in jobs {
            let text = read_row(&file, offset, len, &enc).await;
            cell.set_text_content(Some(&text));
        }
    });
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
