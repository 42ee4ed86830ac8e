//! Compare mode: the loaded calls (under the current filter) split at a time the user picks,
//! before → after per gateway, customer and destination, most lost answered calls first, with
//! the significant changes in words. The work is `analysis::compare::compare_at` in the worker;
//! this panel only asks and draws. A second file set (chosen or dropped on the panel) is the
//! after side of the other comparison: the worker reads it into a second handle and compares
//! it with the loaded one (`analysis::compare::compare_sets`, as `cdrscope compare BEFORE AFTER`).

use crate::summary::Summary;
use crate::web::app::{get, js, set, App};
use crate::web::dom::{self, add, attr, el, el_class, el_text};
use crate::web::i18n::{lang, Lang};
use js_sys::Object;
use wasm_bindgen::{JsCast, JsValue};

/// Groups shown in the table (the rest are the unchanged tail).
const MAX_ROWS: usize = 30;

/// The panel's words: English or Spanish.
fn tr(en: &'static str, es: &'static str) -> &'static str {
    match lang() {
        Lang::Es => es,
        _ => en,
    }
}

/// A number field of a plain object from the worker.
fn f(o: &JsValue, key: &str) -> Option<f64> {
    get(o, key).as_f64()
}

/// A text field of a plain object from the worker.
fn text(o: &JsValue, key: &str) -> String {
    get(o, key).as_string().unwrap_or_default()
}

/// An array field of a plain object from the worker. The reply is read with `JSON.parse` and
/// plain property reads, not serde: deserializers for these types cost the single-file build
/// more than its budget allows.
fn list(o: &JsValue, key: &str) -> Vec<JsValue> {
    get(o, key)
        .dyn_into::<js_sys::Array>()
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

/// `YYYY-MM-DDTHH:MM` of local ms, the value a `datetime-local` input takes.
fn input_value(ms: i64) -> String {
    crate::formats::values::format_ms(ms)
        .get(..16)
        .unwrap_or_default()
        .replacen(' ', "T", 1)
}

/// Draws the panel's form: a split time (kept if it is still inside the data, else the middle
/// of the data's time range) and the button; the previous result is cleared (it followed
/// another filter).
pub fn render(app: &App, s: &Summary) {
    let Some(r) = &s.time_range else {
        dom::show(&dom::by_id("compare"), false);
        return;
    };
    let old = dom::doc()
        .get_element_by_id("compare-at")
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|e| e.value())
        .unwrap_or_default();
    let inside = parse_input(&old).filter(|&t| t > r.first_ms && t <= r.last_ms);
    let at = inside.unwrap_or(r.first_ms + (r.last_ms - r.first_ms) / 2);
    let p = super::panel(
        "compare",
        tr("Compare before / after", "Comparar antes / después"),
    );
    dom::show(&p, true);
    add(
        &p,
        &el_text(
            "p",
            "muted",
            tr(
                "Splits the calls of the current filter at a time: before is earlier, after is from then on. Changes are significant at |z| ≥ 5 and at least 3 points.",
                "Divide las llamadas del filtro actual en un momento: antes es lo anterior, después desde entonces. Un cambio es significativo con |z| ≥ 5 y al menos 3 puntos.",
            ),
        ),
    );
    let form = el_class("div", "compare-form");
    let label = el_text("label", "", tr("Split at", "Dividir en"));
    attr(&label, "for", "compare-at");
    add(&form, &label);
    let input = el("input");
    attr(&input, "id", "compare-at");
    attr(&input, "type", "datetime-local");
    attr(&input, "step", "60");
    if let Some(i) = input.dyn_ref::<web_sys::HtmlInputElement>() {
        i.set_value(&input_value(at));
    }
    add(&form, &input);
    add(&form, &dom::button(tr("Compare", "Comparar"), "compare"));
    add(&p, &form);
    // The other comparison: the loaded files (before) with other files (after).
    let sets = el_class("div", "compare-form");
    attr(&sets, "id", "compare-sets");
    add(
        &sets,
        &el_text(
            "span",
            "",
            tr(
                "Or with other files as after:",
                "O con otros archivos como después:",
            ),
        ),
    );
    for (id, label_en, label_es, dir) in [
        ("compare-files", "Choose files…", "Elegir archivos…", false),
        ("compare-folder", "Choose folder…", "Elegir carpeta…", true),
    ] {
        let input = el("input");
        attr(&input, "id", id);
        attr(&input, "type", "file");
        attr(&input, "hidden", "");
        attr(&input, "data-change", id);
        attr(&input, if dir { "webkitdirectory" } else { "multiple" }, "");
        add(&sets, &input);
        let b = dom::button(tr(label_en, label_es), "compare-pick");
        attr(&b, "data-target", id);
        add(&sets, &b);
    }
    if !app.after_names.is_empty() {
        add(
            &sets,
            &dom::button(tr("Compare again", "Comparar de nuevo"), "compare-sets"),
        );
    }
    add(&p, &sets);
    add(
        &p,
        &el_text(
            "p",
            "muted",
            tr(
                "The loaded files are before, the chosen ones (or files and folders dropped on this panel) after: the same tables as cdrscope compare BEFORE AFTER. The filter applies to both, without its time window.",
                "Los archivos cargados son antes, los elegidos (o archivos y carpetas soltados en este panel) después: las mismas tablas que cdrscope compare ANTES DESPUÉS. El filtro se aplica a ambos, sin su intervalo de tiempo.",
            ),
        ),
    );
    let out = el_class("div", "compare-result");
    attr(&out, "id", "compare-result");
    add(&p, &out);
}

/// Local ms of an input value (`YYYY-MM-DDTHH:MM`, seconds optional).
fn parse_input(v: &str) -> Option<i64> {
    let v = v.trim();
    let full = if v.len() == 16 {
        format!("{v}:00")
    } else {
        v.to_string()
    };
    crate::formats::values::parse_datetime_ms(&full)
}

/// Asks the worker for the comparison at the chosen time (the reply carries the summary
/// request's generation, so a filter change in between voids it).
pub fn request(app: &mut App) {
    let value = dom::doc()
        .get_element_by_id("compare-at")
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|e| e.value())
        .unwrap_or_default();
    let out = dom::by_id("compare-result");
    dom::clear(&out);
    let Some(at) = parse_input(&value) else {
        add(
            &out,
            &el_text(
                "p",
                "error",
                tr("Choose a date and time.", "Elija una fecha y hora."),
            ),
        );
        return;
    };
    attr(&out, "data-state", "busy");
    add(
        &out,
        &el_text("p", "muted", tr("Comparing…", "Comparando…")),
    );
    let msg = Object::new();
    set(&msg, "type", &"compare".into());
    set(&msg, "job", &app.req.into());
    set(&msg, "filter", &js(&app.filter));
    set(&msg, "options", &js(&app.options()));
    set(&msg, "at", &(at as f64).into());
    let _ = app.worker.post_message(&msg);
}

/// Asks the worker to compare the loaded files with a second set: `files` are read as after
/// (replacing the previous after), `None` compares again with the after already read.
pub fn request_sets(app: &mut App, files: Option<Vec<web_sys::File>>) {
    let out = dom::by_id("compare-result");
    dom::clear(&out);
    attr(&out, "data-state", "busy");
    add(
        &out,
        &el_text(
            "p",
            "muted",
            tr("Reading and comparing…", "Leyendo y comparando…"),
        ),
    );
    let msg = Object::new();
    set(&msg, "type", &"compare_sets".into());
    set(&msg, "job", &app.req.into());
    set(&msg, "filter", &js(&app.filter));
    set(&msg, "options", &js(&app.options()));
    set(&msg, "format", &app.format_js());
    if let Some(files) = files {
        let list = js_sys::Array::new();
        for f in &files {
            list.push(f);
        }
        app.after_names = files.iter().map(|f| f.name()).collect();
        set(&msg, "files", &list);
    }
    let _ = app.worker.post_message(&msg);
}

/// A share as `41.0%`, or `–`.
fn pct(v: Option<f64>) -> String {
    v.map_or("–".into(), |x| format!("{:.1}%", x * 100.0))
}

/// A number with no decimals, or `–`.
fn num(v: Option<f64>) -> String {
    v.map_or("–".into(), |x| format!("{x:.0}"))
}

/// The largest change of a list of shares as `name a → b`, marked `*` when significant.
fn top_share(v: &[JsValue], words: impl Fn(&str) -> String) -> String {
    v.first().map_or(String::new(), |s| {
        format!(
            "{} {} → {}{}",
            words(&text(s, "code")),
            pct(f(s, "before")),
            pct(f(s, "after")),
            if get(s, "significant").as_bool() == Some(true) {
                " *"
            } else {
                ""
            }
        )
    })
}

/// An outcome's name in the page's language.
fn outcome_word(name: &str) -> String {
    crate::outcome::Outcome::parse(name).map_or(name.to_string(), |o| {
        crate::web::i18n::t(&format!("o_{}", o.as_str())).to_string()
    })
}

/// Draws the worker's reply (`compare_json`), if it answers the current request.
pub fn show(app: &App, data: &JsValue) {
    if get(data, "job").as_f64() != Some(f64::from(app.req)) {
        return;
    }
    let out = dom::by_id("compare-result");
    dom::clear(&out);
    let c = js_sys::JSON::parse(&text(data, "compare_json")).unwrap_or(JsValue::NULL);
    let es = lang() == Lang::Es;
    let since = text(&c, "since");
    let head = tr("Before → after", "Antes → después");
    add(&out, &el_text("h3", "", &format!("{head} {since}")));
    // Two file sets: which files are after, and how many of their rows were read.
    let rows = get(data, "after_rows");
    if !rows.is_undefined() {
        let n = |k: &str| crate::display::int(f(&rows, k).unwrap_or(0.0) as u64, lang().code());
        let line = el_text(
            "p",
            "compare-after",
            &format!(
                "{} {} · {} {} — {} {}, {} {}",
                tr("Before:", "Antes:"),
                app.files
                    .iter()
                    .map(|f| f.name())
                    .collect::<Vec<_>>()
                    .join(", "),
                tr("after:", "después:"),
                app.after_names.join(", "),
                n("accepted"),
                tr("rows read", "filas leídas"),
                n("rejected"),
                tr("rejected", "rechazadas"),
            ),
        );
        add(&out, &line);
    }
    let statements = list(&c, "statements");
    if statements.is_empty() {
        add(
            &out,
            &el_text(
                "p",
                "compare-none",
                tr(
                    "No significant change (|z| ≥ 5 and at least 3 points).",
                    "Ningún cambio significativo (|z| ≥ 5 y al menos 3 puntos).",
                ),
            ),
        );
    } else {
        let ul = el_class("ul", "compare-statements");
        for s in &statements {
            add(
                &ul,
                &el_text("li", "", &text(s, if es { "es" } else { "en" })),
            );
        }
        add(&out, &ul);
    }
    add(&out, &paired_chart(&list(&c, "groups"), es, app.dark));
    let scroller = el_class("div", "table-scroll");
    let tbl = el("table");
    attr(&tbl, "id", "table-compare");
    let thead = el("thead");
    let tr_head = el("tr");
    // Impact first: the table is sorted by lost answered calls, so they stay in view.
    let cols: [(&str, &str); 12] = [
        ("group", "grupo"),
        ("name", "nombre"),
        ("attempts", "intentos"),
        ("ASR", "ASR"),
        ("answered lost", "contestadas perdidas"),
        ("z (ASR)", "z (ASR)"),
        ("ACD s", "ACD s"),
        ("PDD ms", "PDD ms"),
        ("NER", "NER"),
        ("outcome share", "proporción por resultado"),
        ("code share", "proporción por código"),
        ("significant", "significativo"),
    ];
    for (en, es_word) in cols {
        let th = el_text("th", "", if es { es_word } else { en });
        attr(&th, "scope", "col");
        add(&tr_head, &th);
    }
    add(&thead, &tr_head);
    add(&tbl, &thead);
    let body = el("tbody");
    let arrow = |a: String, b: String| format!("{a} → {b}");
    for g in list(&c, "groups").iter().take(MAX_ROWS) {
        let (codes, outcomes) = (list(g, "codes"), list(g, "outcomes"));
        let sig = |v: &[JsValue]| {
            v.iter()
                .any(|s| get(s, "significant").as_bool() == Some(true))
        };
        let significant =
            get(g, "asr_significant").as_bool() == Some(true) || sig(&codes) || sig(&outcomes);
        let row = el_class("tr", if significant { "changed" } else { "" });
        let dim = match (text(g, "dimension").as_str(), es) {
            ("egress", _) => "gateway",
            ("ingress", false) => "customer",
            ("ingress", true) => "cliente",
            (_, false) => "destination",
            (_, true) => "destino",
        };
        add(&row, &el_text("td", "", dim));
        let name = el_text("th", "name", &text(g, "name"));
        attr(&name, "scope", "row");
        // A destination's country name next to its code: "86 China".
        let label = text(g, if es { "label_es" } else { "label" });
        if !label.is_empty() {
            add(&name, &el_text("span", "group-label", &label));
        }
        add(&row, &name);
        let (b, a) = (get(g, "before"), get(g, "after"));
        let both = |key: &str, show: &dyn Fn(Option<f64>) -> String| {
            arrow(show(f(&b, key)), show(f(&a, key)))
        };
        let cells = [
            both("attempts", &num),
            both("asr", &pct),
            num(f(g, "lost_answered")),
            f(g, "asr_z").map_or("–".into(), |z| format!("{z:.1}")),
            both("acd_s", &num),
            both("pdd_avg_ms", &num),
            both("ner", &pct),
        ];
        for cell in cells {
            add(&row, &el_text("td", "num", &cell));
        }
        add(
            &row,
            &el_text("td", "", &top_share(&outcomes, outcome_word)),
        );
        add(&row, &el_text("td", "", &top_share(&codes, str::to_string)));
        add(
            &row,
            &el_text(
                "td",
                "",
                if significant {
                    tr("yes", "sí")
                } else {
                    tr("no", "no")
                },
            ),
        );
        add(&body, &row);
    }
    add(&tbl, &body);
    add(&scroller, &tbl);
    add(&out, &scroller);
    attr(&out, "data-state", "done");
}

/// The paired chart: ASR before and after of the groups that lost most answered calls (the
/// first of `groups`, which come in that order).
fn paired_chart(groups: &[JsValue], es: bool, dark: bool) -> web_sys::Element {
    const SHOWN: usize = 8;
    let pairs: Vec<crate::chart::AsrPair> = groups
        .iter()
        .take(SHOWN)
        .map(|g| {
            let name = text(g, "name");
            let country = text(g, if es { "label_es" } else { "label" });
            let mut filter = crate::analysis::Filter::default();
            match text(g, "dimension").as_str() {
                "egress" => filter.egress = vec![name.clone()],
                "ingress" => filter.ingress = vec![name.clone()],
                _ => filter.prefix = vec![name.clone()],
            }
            crate::chart::AsrPair {
                label: if country.is_empty() {
                    name
                } else {
                    format!("{name} {country}")
                },
                before: f(&get(g, "before"), "asr"),
                after: f(&get(g, "after"), "asr"),
                significant: get(g, "asr_significant").as_bool() == Some(true),
                filter,
            }
        })
        .collect();
    let title = tr(
        "ASR before → after, most lost answered calls first",
        "ASR antes → después, primero los que más llamadas contestadas perdieron",
    );
    let chart = crate::chart::compare_asr(
        &pairs,
        &crate::chart::Palette { dark },
        title,
        &crate::web::ui::charts::words(),
        (tr("before", "antes"), tr("after", "después")),
    );
    let fig = el_class("figure", "chart compare-chart");
    attr(&fig, "id", "compare-chart");
    if let Some(svg) = dom::svg_element(&chart.svg) {
        attr(&svg, "role", "img");
        attr(&svg, "aria-label", title);
        attr(&svg, "preserveAspectRatio", "xMinYMin meet");
        svg.remove_attribute("width").ok();
        svg.remove_attribute("height").ok();
        add(&fig, &svg);
    }
    fig
}
