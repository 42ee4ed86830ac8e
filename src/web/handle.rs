//! The one handle exported to JavaScript: the worker drives it; options come in as serde
//! structs and errors go out as JS errors.

use crate::analysis::{Dataset, Filter, RowRef, SummaryOptions};
use crate::formats::FormatOptions;
use crate::inputs::{InputOptions, PushInput};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Analyses CDR files pushed in chunks and answers summaries and row pages.
#[wasm_bindgen]
pub struct WebHandle {
    dataset: Dataset,
    /// The input being pushed (text, gzip, zip, Excel or API JSON).
    input: Option<PushInput>,
    /// How many inputs (dropped files) were started.
    inputs: u16,
    /// For each data-set file: the dropped file it came from, and whether its row offsets are
    /// offsets in that file (plain text) or in a decoded stream (gzip, zip entry, Excel, JSON).
    sources: Vec<(u16, bool)>,
    /// Data-set files before the current input started.
    files_before: usize,
    /// While a file is read in parts: the lines before the next part to absorb.
    part_lines: u64,
    /// While a file is read in parts: the rows each part worker has read so far (for the
    /// progress bar), by part.
    part_rows: Vec<crate::summary::RowTotals>,
}

#[wasm_bindgen]
impl WebHandle {
    /// Creates an empty handle.
    #[wasm_bindgen(constructor)]
    pub fn new() -> WebHandle {
        set_panic_hook();
        let mut dataset = Dataset::new();
        dataset.set_max_calls(Some(MAX_CALLS));
        // Chains and fees are marked when a summary, a page or an export needs them
        // (`seal`), once, not after every file of a folder or zip entry.
        dataset.defer_marks(true);
        WebHandle {
            dataset,
            input: None,
            inputs: 0,
            sources: Vec::new(),
            files_before: 0,
            part_lines: 0,
            part_rows: Vec::new(),
        }
    }

    /// cdrscope's version.
    pub fn version() -> String {
        env!("CARGO_PKG_VERSION").to_string()
    }

    /// Starts a dropped file (CSV/text, .gz, .zip, .xlsx/.xls or VOS3000 API JSON); `options`
    /// is a `FormatOptions` object or undefined. Returns the file's index among the inputs.
    pub fn start_file(
        &mut self,
        name: &str,
        bytes: f64,
        options: JsValue,
    ) -> Result<usize, JsError> {
        let format: FormatOptions = from_js_or_default(options)?;
        // The worker finishes every file; an unfinished one is closed here, its error already
        // recorded in its file entry.
        let _ = self.finish_input();
        self.files_before = self.dataset.files().len();
        self.input = Some(PushInput::start(
            &self.dataset,
            name,
            bytes as u64,
            InputOptions {
                format,
                ..InputOptions::default()
            },
        ));
        self.inputs = self.inputs.saturating_add(1);
        Ok(usize::from(self.inputs - 1))
    }

    /// The container kind (`text`, `gzip`, `zip`, `xlsx`, `xls`, `json`) of a file named
    /// `name` that starts with `prefix` (its first KiB): the worker pushes text itself and
    /// hands every other kind to [`WebHandle::read_input`].
    pub fn input_kind(name: &str, prefix: &[u8]) -> String {
        crate::inputs::detect(name, prefix).name().to_string()
    }

    /// Caps the calls held (the page's default is [`MAX_CALLS`]); the file that passes the
    /// cap ends with an error saying so. For tests.
    pub fn set_max_calls(&mut self, max: f64) {
        self.dataset.set_max_calls(Some(max as usize));
    }

    /// Reads a whole dropped file of any kind from its `File` (synchronously: workers may
    /// block), as the command line reads a file: gzip inflated a MiB at a time, zip entries one
    /// by one, Excel and JSON streamed, so memory stays bounded whatever the file holds.
    /// `options` is a `FormatOptions` object or undefined; `progress` is called with the bytes
    /// read so far, at most every 200 ms. A file-level error is recorded against the file
    /// (and returned).
    pub fn read_input(
        &mut self,
        file: web_sys::File,
        options: JsValue,
        progress: js_sys::Function,
    ) -> Result<(), JsError> {
        let format: FormatOptions = from_js_or_default(options)?;
        let _ = self.finish_input();
        self.files_before = self.dataset.files().len();
        self.inputs = self.inputs.saturating_add(1);
        let Some(blob) = crate::web::row_text::BlobReader::new(&file) else {
            return Err(JsError::new("files can only be read in a worker"));
        };
        let reader = Progress {
            inner: blob,
            seen: 0,
            last: 0.0,
            report: progress,
        };
        let options = InputOptions {
            format,
            ..InputOptions::default()
        };
        let result = crate::inputs::read_into(&mut self.dataset, &file.name(), reader, &options);
        let source = self.inputs.saturating_sub(1);
        for f in &self.dataset.files()[self.files_before.min(self.dataset.files().len())..] {
            let raw = f.container.is_empty() || f.container == "text";
            self.sources.push((source, raw));
        }
        result.map(|_| ()).map_err(|e| JsError::new(&e.message))
    }

    /// Feeds a chunk of the current file.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), JsError> {
        let Some(input) = self.input.as_mut() else {
            return Err(JsError::new("no file is being read"));
        };
        input
            .push(&mut self.dataset, chunk)
            .map_err(|e| JsError::new(&e.message))
    }

    /// Ends the current file.
    pub fn finish_file(&mut self) -> Result<(), JsError> {
        self.finish_input().map_err(|e| JsError::new(&e))
    }

    /// Row counts so far (a `RowTotals` object), for the progress bar: with the rows the part
    /// workers of the file being read have reported ([`WebHandle::part_progress`]).
    pub fn row_totals(&self) -> Result<JsValue, JsError> {
        let own = self.dataset.row_totals();
        to_js(&self.part_rows.iter().fold(own, |a, b| a.plus(b)))
    }

    /// The summary under a filter (a `Filter` object or undefined) and options.
    pub fn summary(&mut self, filter: JsValue, options: JsValue) -> Result<JsValue, JsError> {
        self.dataset.seal();
        let filter: Filter = from_js_or_default(filter)?;
        let options: SummaryOptions = from_js_or_default(options)?;
        to_js(&self.dataset.summary(&filter, &options))
    }

    /// The same summary as JSON text: what the page's worker posts (the page parses text
    /// faster than it walks a structured object from wasm).
    pub fn summary_json(&mut self, filter: JsValue, options: JsValue) -> Result<String, JsError> {
        self.dataset.seal();
        let filter: Filter = from_js_or_default(filter)?;
        let options: SummaryOptions = from_js_or_default(options)?;
        serde_json::to_string(&self.dataset.summary(&filter, &options))
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// Two windows of the loaded calls under a filter compared, split at `split_ms` (local
    /// ms), as JSON text (`analysis::compare::Comparison`).
    pub fn compare_json(
        &mut self,
        filter: JsValue,
        options: JsValue,
        split_ms: f64,
    ) -> Result<String, JsError> {
        self.dataset.seal();
        let filter: Filter = from_js_or_default(filter)?;
        let options: SummaryOptions = from_js_or_default(options)?;
        let c =
            crate::analysis::compare::compare_at(&self.dataset, &filter, &options, split_ms as i64);
        serde_json::to_string(&c).map_err(|e| JsError::new(&e.to_string()))
    }

    /// This load (before) compared with another handle's (after, a second file set) under a
    /// filter less its time window, as JSON text: what `cdrscope compare BEFORE AFTER` prints
    /// with `--json`.
    pub fn compare_sets_json(
        &mut self,
        after: &mut WebHandle,
        filter: JsValue,
        options: JsValue,
    ) -> Result<String, JsError> {
        self.dataset.seal();
        after.dataset.seal();
        let filter: Filter = from_js_or_default(filter)?;
        let options: SummaryOptions = from_js_or_default(options)?;
        let c = crate::analysis::compare::compare_sets(
            &self.dataset,
            &after.dataset,
            &filter,
            &options,
        );
        serde_json::to_string(&c).map_err(|e| JsError::new(&e.to_string()))
    }

    /// One page (0-based) of the rows passing a filter: `{total, rows: [{file, line, offset,
    /// len}], texts, names}` (`names`: each row's data-set file name). Given the dropped `files` (an array of File, in a worker), `texts` holds
    /// the decoded text of each row that came out of a container, read again from its File.
    pub fn rows(
        &mut self,
        filter: JsValue,
        options: JsValue,
        page: usize,
        page_size: usize,
        files: JsValue,
        sort: JsValue,
    ) -> Result<JsValue, JsError> {
        self.dataset.seal();
        let filter: Filter = from_js_or_default(filter)?;
        let sort: Option<crate::analysis::call_sort::RowSort> = if sort.is_object() {
            Some(serde_wasm_bindgen::from_value(sort)?)
        } else {
            None
        };
        let options: SummaryOptions = from_js_or_default(options)?;
        let page_size = page_size.clamp(1, 1000);
        // The rows' texts serve twice: caller, callee and Call-ID are mapped from them, and a
        // container row's text is what the page shows as its row in the file.
        let mut read: Vec<Option<String>> = Vec::new();
        let files = files.dyn_ref::<js_sys::Array>();
        let sources = &self.sources;
        let dataset = &self.dataset;
        let mut texts_of = |rows: &[RowRef]| {
            read = match files {
                Some(files) => crate::web::calls_csv::row_texts(dataset, sources, files, rows),
                None => vec![None; rows.len()],
            };
            read.clone()
        };
        let page = crate::analysis::call_view::view_page(
            dataset,
            &filter,
            &options,
            (page, page_size),
            sort,
            &mut texts_of,
        );
        let mut rows = crate::analysis::RowPage {
            total: page.total,
            rows: page.rows,
        };
        // Only a container row's text goes to the page: it slices a plain file's rows itself.
        let texts: Vec<Option<String>> = rows
            .rows
            .iter()
            .zip(read)
            .map(|(r, t)| {
                let plain = self.sources.get(usize::from(r.file)).is_some_and(|s| s.1);
                if plain {
                    None
                } else {
                    t
                }
            })
            .collect();
        let names: Vec<String> = rows
            .rows
            .iter()
            .map(|r| {
                let files = self.dataset.files();
                files
                    .get(usize::from(r.file))
                    .map_or_else(String::new, |f| f.name.clone())
            })
            .collect();
        // Point rows at the dropped file; rows of a decoded stream cannot be read back raw.
        for r in &mut rows.rows {
            if let Some(&(source, raw)) = self.sources.get(usize::from(r.file)) {
                r.file = source;
                if !raw {
                    r.len = 0;
                }
            }
        }
        to_js(&PageOut {
            total: rows.total,
            rows: &rows.rows,
            texts,
            names,
            views: &page.views,
        })
    }

    /// The decoded text of rows of files that came out of a container (rejected rows listed
    /// by the page): `rows` is `[{file, offset, len}]` with `file` a data-set file name as in
    /// `Summary.rejects`, `files` the dropped Files. Returns a text or null per row.
    pub fn container_texts(&self, rows: JsValue, files: JsValue) -> Result<JsValue, JsError> {
        #[derive(serde::Deserialize)]
        struct Wanted {
            file: String,
            offset: u64,
            len: u32,
        }
        let wanted: Vec<Wanted> = from_js_or_default(rows)?;
        let Some(files) = files.dyn_ref::<js_sys::Array>() else {
            return to_js(&vec![None::<String>; wanted.len()]);
        };
        let names = self.dataset.files();
        let refs: Vec<RowRef> = wanted
            .iter()
            .map(|w| RowRef {
                // An unknown name points past the files: no text.
                file: names
                    .iter()
                    .position(|f| f.name == w.file)
                    .and_then(|i| u16::try_from(i).ok())
                    .unwrap_or(u16::MAX),
                line: 0,
                offset: w.offset,
                len: w.len,
            })
            .collect();
        to_js(&crate::web::row_text::container_texts(
            &self.dataset,
            &self.sources,
            files,
            &refs,
        ))
    }

    /// The calls passing a filter as CSV text (formula injection neutralised); given the
    /// dropped `files` (an array of File), with each call's caller, callee and Call-ID read
    /// again from its row.
    pub fn calls_csv(
        &mut self,
        filter: JsValue,
        options: JsValue,
        files: JsValue,
    ) -> Result<String, JsError> {
        self.dataset.seal();
        let filter: Filter = from_js_or_default(filter)?;
        let options: SummaryOptions = from_js_or_default(options)?;
        let files = files.dyn_ref::<js_sys::Array>();
        let (dataset, sources) = (&self.dataset, &self.sources);
        let mut texts_of = |rows: &[RowRef]| match files {
            Some(files) => crate::web::calls_csv::row_texts(dataset, sources, files, rows),
            None => vec![None; rows.len()],
        };
        Ok(crate::analysis::call_view::calls_csv(
            dataset,
            &filter,
            &options,
            &mut texts_of,
        ))
    }

    /// The plan (JSON) for a second worker to read a later part of the file being read, once its
    /// head is in: only for the first file of a load, in plain text that can be split (an
    /// ASCII-compatible encoding, rows independent of each other); otherwise `undefined`.
    pub fn plan(&mut self) -> Option<String> {
        let plain = self.input.is_some()
            && self.files_before == 0
            && self.dataset.files().len() == 1
            && self.dataset.files()[0].container == "text";
        if !plain {
            return None;
        }
        // Asking for the plan keeps this part's rows to check the second part's for repeats.
        let plan = self.dataset.plan()?;
        plan.can_split()
            .then(|| serde_json::to_string(&plan).ok())
            .flatten()
    }

    /// Whether the file being read stopped at a row boundary (not inside a quoted field).
    pub fn at_row_boundary(&self) -> bool {
        self.dataset.at_row_boundary()
    }

    /// Whether the part this worker reads must read on past its end `to` (see
    /// [`crate::ingest::plan::read_on_from`]): the offset to read on from, or `undefined` to merge
    /// the later parts.
    pub fn read_on_from(&self, to: f64, size: f64) -> Option<f64> {
        crate::ingest::plan::read_on_from(to as u64, size as u64, self.at_row_boundary())
            .map(|v| v as f64)
    }

    /// Rows read so far by the worker of part `k` (a `RowTotals` object), counted in
    /// [`WebHandle::row_totals`] until the part is absorbed or dropped.
    pub fn part_progress(&mut self, k: usize, rows: JsValue) -> Result<(), JsError> {
        let rows: crate::summary::RowTotals = from_js_or_default(rows)?;
        if k < 64 {
            if self.part_rows.len() <= k {
                self.part_rows.resize(k + 1, Default::default());
            }
            self.part_rows[k] = rows;
        }
        Ok(())
    }

    /// Ends the first part of a file read in parts (this worker's), before the later parts
    /// are absorbed ([`WebHandle::absorb_next_part`]).
    pub fn finish_head(&mut self) -> Result<(), JsError> {
        self.part_lines = self.dataset.lines_read();
        self.finish_file()
    }

    /// Appends the next part of the last file, part `k`, read by a part worker
    /// (`PartReader::finish`), `part_lines` lines long (`PartReader::lines_read`).
    pub fn absorb_next_part(
        &mut self,
        k: usize,
        part: &[u8],
        part_lines: f64,
    ) -> Result<(), JsError> {
        if let Some(r) = self.part_rows.get_mut(k) {
            *r = Default::default();
        }
        let lines = self.part_lines;
        self.part_lines = lines.saturating_add(part_lines as u64);
        self.dataset
            .absorb_part_bytes(part, lines)
            .map_err(|e| JsError::new(&e.message))
    }

    /// Ends a read in parts (merged, or dropped for a sequential read of the rest): the rows
    /// kept to find repeats across parts are let go.
    pub fn parts_done(&mut self) {
        self.part_rows.clear();
        self.dataset.parts_done();
    }

    /// Searches the code reference; `lang` is `en` or `es`. Returns `[{system, code, label}]`.
    pub fn search_codes(query: &str, lang: &str) -> Result<JsValue, JsError> {
        to_js(&crate::web::reference::search(query, lang))
    }
}

impl WebHandle {
    /// Finishes the input being pushed, if any, and records where its data-set files came from.
    fn finish_input(&mut self) -> Result<(), String> {
        let Some(input) = self.input.take() else {
            return Ok(());
        };
        let before = self.files_before;
        let result = input.finish(&mut self.dataset);
        let source = self.inputs.saturating_sub(1);
        for f in &self.dataset.files()[before.min(self.dataset.files().len())..] {
            let raw = f.container.is_empty() || f.container == "text";
            self.sources.push((source, raw));
        }
        result.map(|_| ()).map_err(|e| e.message)
    }
}

/// The most calls the page holds: their tables (about 90 bytes a call with fees and the
/// duplicate keys, plus the failover-chain pass) then stay near 1 GB of the tab's memory,
/// within wasm's 4 GB even while a table grows; the command line has no such cap.
pub const MAX_CALLS: usize = 10_000_000;

/// A byte source that reports how far it was read.
struct Progress<R> {
    inner: R,
    /// The furthest position read.
    seen: u64,
    /// When progress was last reported (ms since the epoch).
    last: f64,
    report: js_sys::Function,
}

impl<R: std::io::Read + std::io::Seek> std::io::Read for Progress<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let pos = self.inner.stream_position()?;
        self.seen = self.seen.max(pos);
        let now = js_sys::Date::now();
        if now - self.last > 200.0 {
            self.last = now;
            let _ = self
                .report
                .call1(&JsValue::NULL, &(self.seen as f64).into());
        }
        Ok(n)
    }
}

impl<R: std::io::Seek> std::io::Seek for Progress<R> {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(to)
    }
}

/// Logs a panic to the console as before, and keeps its message in the worker's global
/// `cdrscopePanic`: after a panic the worker only sees a wasm trap ("unreachable"), and the
/// page is to say what went wrong, in which file, at which step.
pub(crate) fn set_panic_hook() {
    static SET: std::sync::Once = std::sync::Once::new();
    SET.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            console_error_panic_hook::hook(info);
            let global = js_sys::global();
            let _ =
                js_sys::Reflect::set(&global, &"cdrscopePanic".into(), &info.to_string().into());
        }));
    });
}

/// A drill-down page as the worker sends it.
#[derive(Serialize)]
struct PageOut<'a> {
    total: u64,
    rows: &'a [RowRef],
    texts: Vec<Option<String>>,
    /// Each row's data-set file name (a zip entry is `archive.zip/entry.csv`).
    names: Vec<String>,
    /// Each row as a call of the drill-down table.
    views: &'a [crate::analysis::call_view::CallView],
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
