//! The second worker's reader: one later part of a large text file (from a line start to the
//! end), read with the plan of the main worker's reader and handed back as bytes
//! ([`crate::analysis::Dataset::part_bytes`]) for [`crate::web::handle::WebHandle::absorb_part`].

use crate::analysis::Dataset;
use crate::ingest::ReadPlan;
use wasm_bindgen::prelude::*;

/// Reads one later part of a file in chunks and exports it as bytes.
#[wasm_bindgen]
pub struct PartReader {
    dataset: Dataset,
}

#[wasm_bindgen]
impl PartReader {
    /// Starts the part of file `name` (`bytes` long) that begins at byte `start_offset` (a line
    /// start), with the plan JSON from [`crate::web::handle::WebHandle::plan`].
    #[wasm_bindgen(constructor)]
    pub fn new(
        name: &str,
        bytes: f64,
        plan: &str,
        start_offset: f64,
    ) -> Result<PartReader, JsError> {
        crate::web::handle::set_panic_hook();
        let plan: ReadPlan =
            serde_json::from_str(plan).map_err(|e| JsError::new(&e.to_string()))?;
        let mut dataset = Dataset::new();
        dataset
            .start_part(name, bytes as u64, &plan, start_offset as u64)
            .map_err(|e| JsError::new(&e.message))?;
        Ok(PartReader { dataset })
    }

    /// Feeds the next chunk of the part.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), JsError> {
        self.dataset
            .push(chunk)
            .map_err(|e| JsError::new(&e.message))
    }

    /// Row counts so far (a `RowTotals` object), for the progress bar.
    pub fn row_totals(&self) -> Result<JsValue, JsError> {
        crate::web::handle::to_js(&self.dataset.row_totals())
    }

    /// Ends the part and returns it as bytes (a fresh `Uint8Array`, transferable).
    pub fn finish(&mut self) -> Result<Vec<u8>, JsError> {
        self.dataset
            .finish_file()
            .map_err(|e| JsError::new(&e.message))?;
        Ok(self.dataset.part_bytes())
    }
}
