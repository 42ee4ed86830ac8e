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
    dom::clear(&h);
    item(&h, t("format"), &s.format_name, "format");
    attr(&h, "title", &s.format_reason);
    item(&h, t("encoding"), &s.encoding, "encoding");
    item(&h, t("delimiter"), &s.delimiter, "delimiter");
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
    let wf = el_class("details", "wrong-format");
    add(&wf, &el_text("summary", "", t("wrong_format")));
    let fsel = el("select");
    attr(&fsel, "id", "force-format");
    attr(&fsel, "aria-label", t("format"));
    let auto = el_text("option", "", t("auto_detect"));
    attr(&auto, "value", "");
    add(&fsel, &auto);
    for f in FormatId::ALL {
        if f == FormatId::Generic {
            continue; // needs a column mapping; the CLI's --mapping covers it for now
        }
        let o = el_text("option", "", f.name());
        attr(&o, "value", f.id());
        if app.format == Some(f) {
            attr(&o, "selected", "");
        }
        add(&fsel, &o);
    }
    add(&wf, &fsel);
    add_text(&wf, " ");
    add(&wf, &dom::button(t("rerun"), "rerun"));
    add(&h, &wf);
}
