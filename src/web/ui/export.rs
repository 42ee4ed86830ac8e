//! Exports: the summary as JSON and CSV, the filtered calls as CSV (built in the worker), each
//! chart as SVG and PNG. Cells that a spreadsheet would run as a formula are neutralised.

use crate::summary::{GroupKpis, Summary};
use crate::web::csv::row;
use crate::web::dom::{self, add, attr};
use crate::web::i18n::t;
use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// Renders the export buttons.
pub fn render() {
    let p = super::panel("exports", t("exports"));
    for (label, action) in [
        (t("exp_json"), "export-json"),
        (t("exp_csv"), "export-csv"),
        (t("exp_calls"), "export-calls"),
        (t("print"), "print"),
    ] {
        let b = dom::button(label, action);
        attr(&b, "id", action);
        add(&p, &b);
    }
}

/// Offers `data` as a download named `name`.
pub fn download(name: &str, mime: &str, data: &JsValue) {
    let parts = Array::of1(data);
    let bag = BlobPropertyBag::new();
    bag.set_type(mime);
    let Ok(blob) = Blob::new_with_str_sequence_and_options(&parts, &bag) else {
        return;
    };
    download_blob(name, &blob);
}

/// Offers a Blob as a download.
pub fn download_blob(name: &str, blob: &Blob) {
    let Ok(url) = Url::create_object_url_with_blob(blob) else {
        return;
    };
    if let Ok(a) = dom::el("a").dyn_into::<HtmlAnchorElement>() {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    // Revoke later: the download starts asynchronously.
    let revoke = Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    if let Some(w) = web_sys::window() {
        let _ =
            w.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
    }
}

/// The summary as pretty JSON (the shape of `cdrscope report --json`).
pub fn summary_json(s: &Summary) -> String {
    serde_json::to_string_pretty(s).unwrap_or_default()
}

fn group_rows(out: &mut String, section: &str, groups: &[GroupKpis]) {
    for g in groups {
        let k = &g.kpis;
        let opt = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v}"));
        out.push_str(&row(&[
            section.to_string(),
            g.name.clone(),
            k.attempts.to_string(),
            k.answered.to_string(),
            opt(k.asr),
            opt(k.acd_s),
            opt(k.pdd_avg_ms),
            opt(k.pdd_p95_ms),
            opt(k.ner),
            opt(k.sdr),
            format!("{}", k.minutes),
            g.top_failure
                .as_ref()
                .map_or(String::new(), |f| f.code.clone()),
            g.top_failure
                .as_ref()
                .map_or(String::new(), |f| f.count.to_string()),
        ]));
    }
}

/// The summary as CSV: overall, then one row per group, then the code counts.
pub fn summary_csv(s: &Summary) -> String {
    let mut out = row(&[
        "section",
        "name",
        "attempts",
        "answered",
        "asr",
        "acd_s",
        "pdd_avg_ms",
        "pdd_p95_ms",
        "ner",
        "sdr",
        "minutes",
        "top_failure_code",
        "top_failure_count",
    ]
    .map(String::from));
    group_rows(
        &mut out,
        "overall",
        &[GroupKpis {
            name: "all".into(),
            kpis: s.overall.clone(),
            ..GroupKpis::default()
        }],
    );
    group_rows(&mut out, "egress_gateway", &s.by_egress_gateway);
    group_rows(&mut out, "ingress_gateway", &s.by_ingress_gateway);
    group_rows(&mut out, "destination", &s.by_destination);
    group_rows(&mut out, "hour", &s.by_hour);
    out.push('\n');
    out.push_str(&row(
        &["code", "label", "class", "count", "share"].map(String::from)
    ));
    for c in &s.by_code {
        out.push_str(&row(&[
            c.code.clone(),
            c.label.clone(),
            c.class.clone(),
            c.count.to_string(),
            format!("{}", c.share),
        ]));
    }
    out
}

/// Saves chart `svg` as PNG (drawn at twice its size on a canvas).
pub fn chart_png(name: String, svg: &str, width: u32, height: u32) {
    let parts = Array::of1(&JsValue::from_str(svg));
    let bag = BlobPropertyBag::new();
    bag.set_type("image/svg+xml");
    let Ok(blob) = Blob::new_with_str_sequence_and_options(&parts, &bag) else {
        return;
    };
    let Ok(url) = Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let Ok(img) = web_sys::HtmlImageElement::new() else {
        return;
    };
    let img2 = img.clone();
    let url2 = url.clone();
    let onload = Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url2);
        let Ok(canvas) = dom::el("canvas").dyn_into::<web_sys::HtmlCanvasElement>() else {
            return;
        };
        canvas.set_width(width * 2);
        canvas.set_height(height * 2);
        if let Some(ctx) = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        {
            let dark = dom::doc()
                .body()
                .is_some_and(|b| b.class_list().contains("dark"));
            ctx.set_fill_style_str(if dark { "#14181f" } else { "#ffffff" });
            ctx.fill_rect(0.0, 0.0, f64::from(width * 2), f64::from(height * 2));
            let _ = ctx.draw_image_with_html_image_element_and_dw_and_dh(
                &img2,
                0.0,
                0.0,
                f64::from(width * 2),
                f64::from(height * 2),
            );
        }
        let cb = Closure::once_into_js(move |b: JsValue| {
            if let Ok(b) = b.dyn_into::<Blob>() {
                download_blob(&name, &b);
            }
        });
        let _ = canvas.to_blob(cb.unchecked_ref());
    });
    img.set_onload(Some(onload.unchecked_ref()));
    img.set_src(&url);
}
