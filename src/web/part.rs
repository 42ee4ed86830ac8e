//! Reading one large text file in parts on the page: [`SplitPlan`] (how many parts, the head,
//! the cuts; the rules are [`crate::ingest::plan`]'s, `www/worker.js` only reads the bytes it
//! asks for) and [`PartReader`], a part worker's reader: one later part (from a line start),
//! read with the plan of the main worker's reader and handed back as bytes
//! ([`crate::analysis::Dataset::part_bytes`]) for
//! [`crate::web::handle::WebHandle::absorb_next_part`].

use crate::analysis::Dataset;
use crate::ingest::plan::{self, CutSearch, PartPolicy};
use crate::ingest::ReadPlan;
use wasm_bindgen::prelude::*;

/// How the page reads one plain-text file: in how many parts, the head the first worker reads
/// before the plan is known, and where the later parts start.
#[wasm_bindgen]
pub struct SplitPlan {
    parts: usize,
    head: u64,
    search: CutSearch,
}

#[wasm_bindgen]
impl SplitPlan {
    /// The plan for a plain-text file of `size` bytes on a machine of `cores` cores
    /// ([`plan::page_readers`]); `split` (`window.cdrscopeSplit`: `true` = two parts, `false`
    /// = one, a number = that many) forces the number of readers, `split_min`
    /// (`window.cdrscopeSplitMin`, for tests) lowers the smallest file split.
    #[wasm_bindgen(constructor)]
    pub fn new(size: f64, cores: f64, split: JsValue, split_min: JsValue) -> SplitPlan {
        let forced = match split.as_bool() {
            Some(b) => Some(if b { 2 } else { 1 }),
            None => split.as_f64().map(|n| n.clamp(0.0, 64.0) as u32),
        };
        let readers = plan::page_readers(cores.clamp(0.0, 1024.0) as u32, forced);
        let policy = match split_min.as_f64() {
            Some(min) if min >= 1.0 => PartPolicy::PAGE.with_min_bytes(min as u64),
            _ => PartPolicy::PAGE,
        };
        let size = size.max(0.0) as u64;
        let parts = policy.parts(size, readers, true);
        let head = policy.head(size, parts);
        let targets = if parts > 1 {
            policy.targets(size, parts)
        } else {
            Vec::new()
        };
        SplitPlan {
            parts,
            head,
            search: CutSearch::new(size, head, &targets),
        }
    }

    /// How many parts are planned (1: the file is read whole by this worker).
    pub fn parts(&self) -> usize {
        self.parts
    }

    /// The bytes this worker reads before the read plan is known (the whole file for one part).
    pub fn head(&self) -> f64 {
        self.head as f64
    }

    /// The bytes to read next for the cut search, `[from, to]`, or `undefined` when done.
    pub fn window(&self) -> Option<Vec<f64>> {
        self.search
            .window()
            .map(|(from, to)| vec![from as f64, to as f64])
    }

    /// The bytes of the window last given.
    pub fn feed(&mut self, bytes: &[u8]) {
        self.search.feed(bytes);
    }

    /// The cuts found: `[head, c1, …, size]`, part `k` is `cuts[k]..cuts[k + 1]` (part 0 read
    /// by this worker on from its head). Fewer parts than planned when cuts coincide.
    pub fn cuts(&self) -> Vec<f64> {
        self.search
            .cuts()
            .points()
            .iter()
            .map(|&p| p as f64)
            .collect()
    }
}

/// Reads one later part of a file in chunks and exports it as bytes.
#[wasm_bindgen]
pub struct PartReader {
    dataset: Dataset,
    /// Where the part ends and the file's size, for [`PartReader::read_on_from`].
    end: u64,
    size: u64,
}

#[wasm_bindgen]
impl PartReader {
    /// Starts the part `start_offset..end_offset` (from a line start) of file `name` (`bytes`
    /// long), with the plan JSON from [`crate::web::handle::WebHandle::plan`].
    #[wasm_bindgen(constructor)]
    pub fn new(
        name: &str,
        bytes: f64,
        plan: &str,
        start_offset: f64,
        end_offset: f64,
    ) -> Result<PartReader, JsError> {
        crate::web::handle::set_panic_hook();
        let plan: ReadPlan =
            serde_json::from_str(plan).map_err(|e| JsError::new(&e.to_string()))?;
        let mut dataset = Dataset::new();
        dataset
            .start_part(name, bytes as u64, &plan, start_offset as u64)
            .map_err(|e| JsError::new(&e.message))?;
        Ok(PartReader {
            dataset,
            end: end_offset as u64,
            size: bytes as u64,
        })
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

    /// Once the part is read to its end: the offset to read on from to the end of the file
    /// when its last row continues past the end (a quoted field spans the next cut;
    /// [`plan::read_on_from`]), else `undefined`.
    pub fn read_on_from(&self) -> Option<f64> {
        plan::read_on_from(self.end, self.size, self.dataset.at_row_boundary()).map(|v| v as f64)
    }

    /// Line breaks read so far (the part's lines, for the parts after it).
    pub fn lines_read(&self) -> f64 {
        self.dataset.lines_read() as f64
    }

    /// Ends the part and returns it as bytes (a fresh `Uint8Array`, transferable).
    pub fn finish(&mut self) -> Result<Vec<u8>, JsError> {
        self.dataset
            .finish_file()
            .map_err(|e| JsError::new(&e.message))?;
        Ok(self.dataset.part_bytes())
    }
}
