//! The settings panel: health thresholds, home country, short-number length and a user prefix
//! list. The core ([`crate::page_settings`]) reads and checks the form; this file moves text
//! between the form, localStorage and the app.

use crate::numbers::Lang as PlanLang;
use crate::page_settings::{FieldError, FieldProblem, PageSettings, FIELDS};
use crate::web::app::App;
use crate::web::dom::{self, add, attr, el, el_class, el_text};
use crate::web::i18n::{lang, t, Lang};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

/// The localStorage key of the settings.
const KEY: &str = "cdrscope.settings";

/// The stored settings, or the defaults when none are stored or they no longer read.
pub fn load() -> PageSettings {
    web_sys::window()
        .and_then(|w| w.local_storage().ok()?)
        .and_then(|s| s.get_item(KEY).ok()?)
        .and_then(|text| PageSettings::from_json(&text).ok())
        .unwrap_or_default()
}

/// Stores the settings (the defaults are stored as no entry).
fn save(s: &PageSettings) {
    if let Some(st) = web_sys::window().and_then(|w| w.local_storage().ok()?) {
        let _ = if *s == PageSettings::default() {
            st.remove_item(KEY)
        } else {
            st.set_item(KEY, &s.to_json())
        };
    }
}

/// Builds the panel's form from the app's settings.
pub fn render(app: &App) {
    let body = dom::by_id("settings-body");
    dom::clear(&body);
    add(&body, &el_text("p", "muted", t("set_note")));
    let table = el_class("table", "settings-health");
    let head = el("tr");
    for k in ["set_share", "set_healthy", "set_degraded"] {
        add(&head, &el_text("th", "", t(k)));
    }
    add(&table, &head);
    let values = app.settings.form_values();
    for (row, share) in ["ok_200", "sip_4xx", "sip_5xx", "busy_486"]
        .iter()
        .enumerate()
    {
        let tr = el("tr");
        let label_key = format!("set_{share}");
        add(&tr, &el_text("th", "", t(&label_key)));
        for (col, end) in ["set_healthy", "set_degraded"].iter().enumerate() {
            let td = el("td");
            let input = el("input");
            let (name, value) = &values[row * 2 + col];
            attr(&input, "name", name);
            attr(&input, "id", &format!("set-{name}"));
            attr(&input, "inputmode", "decimal");
            attr(&input, "size", "5");
            attr(&input, "value", value);
            attr(
                &input,
                "aria-label",
                &format!("{} – {} (%)", t(&label_key), t(end)),
            );
            add(&td, &input);
            add(&td, &el_text("span", "muted", " %"));
            add(&tr, &td);
        }
        add(&table, &tr);
    }
    add(&body, &table);

    let country = el("select");
    attr(&country, "name", "country");
    attr(&country, "id", "set-country");
    let none = el_text("option", "", t("set_no_country"));
    attr(&none, "value", "");
    add(&country, &none);
    let plan_lang = if lang() == Lang::Es {
        PlanLang::Es
    } else {
        PlanLang::En
    };
    let mut regions: Vec<_> = crate::numbers::calling_codes::regions().collect();
    regions.sort_by(|a, b| a.name(plan_lang).cmp(b.name(plan_lang)));
    for r in regions {
        let o = el_text(
            "option",
            "",
            &format!("{} ({}, +{})", r.name(plan_lang), r.iso, r.code),
        );
        attr(&o, "value", r.iso);
        add(&country, &o);
    }
    add(&body, &labelled("set-country", t("set_country"), &country));
    if let Some(s) = country.dyn_ref::<HtmlSelectElement>() {
        s.set_value(&values[8].1);
    }

    let digits = el("input");
    attr(&digits, "name", "short_digits");
    attr(&digits, "id", "set-short_digits");
    attr(&digits, "inputmode", "numeric");
    attr(&digits, "size", "3");
    attr(&digits, "value", &values[9].1);
    add(
        &body,
        &labelled("set-short_digits", t("set_short"), &digits),
    );

    let prefixes = el("textarea");
    attr(&prefixes, "name", "prefixes");
    attr(&prefixes, "id", "set-prefixes");
    attr(&prefixes, "rows", "4");
    attr(&prefixes, "placeholder", "prefix,name\n34600,Mobile A");
    attr(&prefixes, "spellcheck", "false");
    add(
        &body,
        &labelled("set-prefixes", t("set_prefixes"), &prefixes),
    );
    // The user's own list, as a value (never markup), its line breaks kept.
    if let Some(ta) = prefixes.dyn_ref::<HtmlTextAreaElement>() {
        ta.set_value(&values[10].1);
    }

    let errors = el_class("ul", "settings-errors");
    attr(&errors, "id", "settings-errors");
    attr(&errors, "role", "alert");
    add(&body, &errors);
    let buttons = el_class("div", "settings-buttons");
    add(&buttons, &dom::button(t("set_apply"), "settings-apply"));
    add(&buttons, &dom::button(t("set_reset"), "settings-reset"));
    add(&body, &buttons);
    add(&body, &el_text("p", "muted", t("set_cli")));
    // Numbers the core wrote (not CDR text): set as plain text, its line breaks kept.
    let json = el_class("pre", "settings-json");
    json.set_text_content(Some(&app.settings.health_json()));
    attr(&json, "id", "settings-health-json");
    attr(&json, "tabindex", "0");
    attr(&json, "aria-label", t("set_cli"));
    add(&body, &json);
}

/// A label above its control.
fn labelled(id: &str, text: &str, control: &web_sys::Element) -> web_sys::Element {
    let wrap = el_class("div", "settings-field");
    let label = el_text("label", "", text);
    attr(&label, "for", id);
    add(&wrap, &label);
    add(&wrap, control);
    wrap
}

/// The form's text as `(field, text)` pairs.
fn read_form() -> Vec<(String, String)> {
    FIELDS
        .iter()
        .filter_map(|name| {
            let e = dom::doc().get_element_by_id(&format!("set-{name}"))?;
            let v = if let Some(i) = e.dyn_ref::<HtmlInputElement>() {
                i.value()
            } else if let Some(s) = e.dyn_ref::<HtmlSelectElement>() {
                s.value()
            } else {
                e.dyn_ref::<HtmlTextAreaElement>()?.value()
            };
            Some((name.to_string(), v))
        })
        .collect()
}

/// Applies the form: refused fields are listed (and marked), else the settings are stored and
/// the loaded data recomputed (read again when numbers are read differently).
pub fn apply_form(app: &mut App) {
    for name in FIELDS {
        if let Some(e) = dom::doc().get_element_by_id(&format!("set-{name}")) {
            let _ = e.remove_attribute("aria-invalid");
        }
    }
    match PageSettings::from_form(&read_form()) {
        Ok(s) => {
            show_errors(&[]);
            set(app, s);
        }
        Err(errors) => show_errors(&errors),
    }
}

/// Back to the defaults (the VOS3000 guideline, no country, 6 digits, no prefixes).
pub fn reset(app: &mut App) {
    set(app, PageSettings::default());
}

fn set(app: &mut App, s: PageSettings) {
    let replan = s.plan_differs(&app.settings);
    let changed = s != app.settings;
    app.settings = s;
    save(&app.settings);
    render(app);
    dom::attr(
        &dom::by_id("settings"),
        "data-applied",
        &app.settings.to_json(),
    );
    if changed {
        app.settings_changed(replan);
    }
}

fn show_errors(errors: &[FieldError]) {
    let list = dom::by_id("settings-errors");
    dom::clear(&list);
    for e in errors {
        let key = match e.problem {
            FieldProblem::NotPercent => "set_err_percent",
            FieldProblem::Order => "set_err_order",
            FieldProblem::UnknownCountry => "set_err_country",
            FieldProblem::ShortDigits => "set_err_short",
            FieldProblem::Prefixes => "set_err_prefixes",
        };
        let li = el_text("li", "", &format!("{}: {} ({})", e.field, t(key), e.detail));
        attr(&li, "data-field", &e.field);
        add(&list, &li);
        if let Some(input) = dom::doc().get_element_by_id(&format!("set-{}", e.field)) {
            attr(&input, "aria-invalid", "true");
        }
    }
}
