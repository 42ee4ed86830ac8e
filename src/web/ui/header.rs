//! The header line: what was detected (format, encoding, delimiter, rows, time range), the
//! timezone selector and the "wrong format?" control.

use crate::formats::FormatId;
use crate::summary::Summary;
use crate::web::app::App;
use crate::web::dom::{self, add, add_text, attr, el, el_class, el_text};
use crate::web::i18n::t;
use crate::web::ui::fmt;

fn item(parent: &web_sys::Element, label: &str, value: &str, key: &str) {
    let s = el_class("span", "det");
    attr(&s, "data-det", key);
    add(&s, &el_text("span", "det-label", label));
    add(&s, &el_text("strong", "", value));
    add(parent, &s);
}

/// Renders the header line.
pub fn render(app: &App, s: &Summary) {
    let h = dom::by_id("detected");
    // The "wrong format?" box stays open, and the mapping editor keeps what is being chosen,
    // across re-renders (filters, theme, progress).
    let d = dom::doc();
    let was_open = d
        .query_selector("#detected details.wrong-format")
        .ok()
        .flatten()
        .map(|e| e.has_attribute("open"));
    let kept_editor = d.get_element_by_id("mapping-editor");
    let draft = kept_editor
        .as_ref()
        .map(|_| crate::web::ui::mapping::read());
    dom::clear(&h);
    item(&h, t("format"), &s.format_name, "format");
    attr(&h, "title", &s.format_reason);
    item(&h, t("encoding"), &s.encoding, "encoding");
    // The summary names the delimiter in English ("comma"): the page says it in its language.
    let delimiter = match s.delimiter.as_str() {
        d @ ("comma" | "semicolon" | "tab" | "pipe" | "other") => t(&format!("delim_{d}")),
        d => d,
    };
    item(&h, t("delimiter"), delimiter, "delimiter");
    item(
        &h,
        t("rows"),
        &format!(
            "{} {} · {} {}",
            fmt::int(s.rows.accepted),
            t("accepted"),
            fmt::int(s.rows.rejected),
            t("rejected")
        ),
        "rows",
    );
    if let Some(r) = &s.time_range {
        item(
            &h,
            t("time_range"),
            &format!("{} → {}", r.first, r.last),
            "range",
        );
    }
    if s.files.len() > 1 {
        item(&h, t("files"), &s.files.len().to_string(), "files");
    }
    if app.mapping.is_some() && s.format == FormatId::Generic.id() {
        item(&h, t("map_label"), t("map_in_use"), "mapping");
    }

    // Timezone: UTC instants (VOS3000 epoch ms) are shown at the chosen offset; naive times as written.
    let tz = el_class("label", "det");
    add(&tz, &el_text("span", "det-label", t("timezone")));
    let sel = el("select");
    attr(&sel, "id", "tz");
    attr(&sel, "data-change", "tz");
    if s.time_basis == "naive_local" {
        attr(&sel, "disabled", "");
        let o = el_text("option", "", t("tz_naive"));
        add(&sel, &o);
    } else {
        let mut offsets: Vec<i32> = (-24..=28).map(|h| h * 30).collect();
        offsets.extend([345, 525, 765]);
        if !offsets.contains(&app.tz_offset_min) {
            offsets.push(app.tz_offset_min);
        }
        offsets.sort_unstable();
        for m in offsets {
            let o = el_text("option", "", &fmt::offset(m));
            attr(&o, "value", &m.to_string());
            if m == app.tz_offset_min {
                attr(&o, "selected", "");
            }
            add(&sel, &o);
        }
    }
    add(&tz, &sel);
    add(&h, &tz);

    // Wrong format? Force one and read the files again.
    let open = was_open == Some(true);
    let wf = wrong_format_box(app, s, open, kept_editor, draft);
    add(&h, &wf);
}

/// The "Wrong format?" box: force a format, or map the columns by hand (the editor is built
/// when the box is open or was already built). The error card holds it open when no call was
/// read; the header line holds it closed once a file reads.
pub fn wrong_format_box(
    app: &App,
    s: &Summary,
    open: bool,
    kept_editor: Option<web_sys::Element>,
    draft: Option<crate::formats::generic::ColumnMapping>,
) -> web_sys::Element {
    let wf = el_class("details", "wrong-format");
    if open {
        attr(&wf, "open", "");
    }
    add(&wf, &el_text("summary", "", t("wrong_format")));
    let force = el_class("div", "force-format");
    let fsel = el("select");
    attr(&fsel, "id", "force-format");
    attr(&fsel, "aria-label", t("format"));
    let auto = el_text("option", "", t("auto_detect"));
    attr(&auto, "value", "");
    add(&fsel, &auto);
    for f in FormatId::ALL {
        if f == FormatId::Generic {
            continue; // needs a column mapping: the editor below gives one
        }
        let o = el_text("option", "", f.name());
        attr(&o, "value", f.id());
        if app.format == Some(f) && app.mapping.is_none() {
            attr(&o, "selected", "");
        }
        add(&fsel, &o);
    }
    add(&force, &fsel);
    add_text(&force, " ");
    add(&force, &dom::button(t("rerun"), "rerun"));
    add(&wf, &force);
    // The editor (a select per field, an option per column: ~50 ms of DOM at the first
    // rendering) is built when the box is first opened, unless it is open or already built.
    if open || kept_editor.is_some() {
        crate::web::ui::mapping::render(app, s.columns.as_ref(), &wf, kept_editor, draft);
    }
    wf
}

/// Builds the mapping editor in the "Wrong format?" box when it is opened (`toggle` on it).
pub fn on_toggle(app: &App, target: &web_sys::Element) {
    if target.matches("details.wrong-format").unwrap_or(false)
        && target.has_attribute("open")
        && dom::doc().get_element_by_id("mapping-editor").is_none()
    {
        let columns = app.summary.as_ref().and_then(|s| s.columns.as_ref());
        crate::web::ui::mapping::render(app, columns, target, None, None);
    }
}
