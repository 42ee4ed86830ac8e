//! The one handle exported to JavaScript: the worker drives it; options come in as serde
//! structs and errors go out as JS errors.

use crate::analysis::{Dataset, Filter, SummaryOptions};
use crate::formats::FormatOptions;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Analyses CDR files pushed in chunks and answers summaries and row pages.
#[wasm_bindgen]
pub struct WebHandle {
    dataset: Dataset,
}

#[wasm_bindgen]
impl WebHandle {
    /// Creates an empty handle.
    #[wasm_bindgen(constructor)]
    pub fn new() -> WebHandle {
        console_error_panic_hook::set_once();
        WebHandle {
            dataset: Dataset::new(),
        }
    }

    /// cdrscope's version.
    pub fn version() -> String {
        env!("CARGO_PKG_VERSION").to_string()
    }

    /// Starts a file; `options` is a `FormatOptions` object or undefined.
    pub fn start_file(
        &mut self,
        name: &str,
        bytes: f64,
        options: JsValue,
    ) -> Result<usize, JsError> {
        let options: FormatOptions = from_js_or_default(options)?;
        Ok(self.dataset.start_file(name, bytes as u64, options))
    }

    /// Feeds a chunk of the current file.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), JsError> {
        self.dataset
            .push(chunk)
            .map_err(|e| JsError::new(&e.message))
    }

    /// Ends the current file.
    pub fn finish_file(&mut self) -> Result<(), JsError> {
        self.dataset
            .finish_file()
            .map_err(|e| JsError::new(&e.message))
    }

    /// Row counts so far (a `RowTotals` object), for the progress bar.
    pub fn row_totals(&self) -> Result<JsValue, JsError> {
        to_js(&self.dataset.row_totals())
    }

    /// The summary under a filter (a `Filter` object or undefined) and options.
    pub fn summary(&self, filter: JsValue, options: JsValue) -> Result<JsValue, JsError> {
        let filter: Filter = from_js_or_default(filter)?;
        let options: SummaryOptions = from_js_or_default(options)?;
        to_js(&self.dataset.summary(&filter, &options))
    }

    /// One page (0-based) of the rows passing a filter: `{total, rows: [{file, line, offset, len}]}`.
    pub fn rows(
        &self,
        filter: JsValue,
        options: JsValue,
        page: usize,
        page_size: usize,
    ) -> Result<JsValue, JsError> {
        let filter: Filter = from_js_or_default(filter)?;
        let options: SummaryOptions = from_js_or_default(options)?;
        let page_size = page_size.clamp(1, 1000);
        to_js(&self.dataset.rows(&filter, &options, page, page_size))
    }

    /// The calls passing a filter as CSV text (formula injection neutralised).
    pub fn calls_csv(&self, filter: JsValue, options: JsValue) -> Result<String, JsError> {
        let filter: Filter = from_js_or_default(filter)?;
        let options: SummaryOptions = from_js_or_default(options)?;
        Ok(crate::web::calls_csv::calls_csv(
            &self.dataset,
            &filter,
            &options,
        ))
    }

    /// Searches the code reference; `lang` is `en` or `es`. Returns `[{system, code, label}]`.
    pub fn search_codes(query: &str, lang: &str) -> Result<JsValue, JsError> {
        to_js(&crate::web::reference::search(query, lang))
    }
}

impl Default for WebHandle {
    fn default() -> Self {
        WebHandle::new()
    }
}

/// Converts a value to a plain JS object (maps as objects, 64-bit integers as numbers).
pub(crate) fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsError> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// Reads a serde struct from JS; undefined or null give the default.
pub(crate) fn from_js_or_default<T: serde::de::DeserializeOwned + Default>(
    v: JsValue,
) -> Result<T, JsError> {
    if v.is_undefined() || v.is_null() {
        Ok(T::default())
    } else {
        serde_wasm_bindgen::from_value(v).map_err(|e| JsError::new(&e.to_string()))
    }
}
