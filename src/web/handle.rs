//! The one handle exported to JavaScript.

use crate::analysis::{Dataset, Filter, SummaryOptions};
use crate::formats::FormatOptions;
use wasm_bindgen::prelude::*;

/// Analyses CDR files pushed in chunks and answers summaries.
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
        let options: FormatOptions = if options.is_undefined() || options.is_null() {
            FormatOptions::default()
        } else {
            serde_wasm_bindgen::from_value(options).map_err(|e| JsError::new(&e.to_string()))?
        };
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

    /// The summary under a filter (a `Filter` object or undefined) and options.
    pub fn summary(&self, filter: JsValue, options: JsValue) -> Result<JsValue, JsError> {
        let filter: Filter = from_js_or_default(filter)?;
        let options: SummaryOptions = from_js_or_default(options)?;
        let s = self.dataset.summary(&filter, &options);
        s.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .map_err(|e| JsError::new(&e.to_string()))
    }
}

impl Default for WebHandle {
    fn default() -> Self {
        WebHandle::new()
    }
}

fn from_js_or_default<T: serde::de::DeserializeOwned + Default>(v: JsValue) -> Result<T, JsError> {
    if v.is_undefined() || v.is_null() {
        Ok(T::default())
    } else {
        serde_wasm_bindgen::from_value(v).map_err(|e| JsError::new(&e.to_string()))
    }
}

use serde::Serialize;
