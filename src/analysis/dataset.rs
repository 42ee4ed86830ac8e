//! A data set: one or more files read into one call store, with their rejects, and the
//! summaries and row pages computed from it.

use crate::analysis::dedupe::CrossFileDedupe;
use crate::analysis::filter::{CompiledFilter, Filter};
use crate::analysis::groups::{self, SummaryOptions};
use crate::analysis::part_bytes;
use crate::analysis::repeats::{self, RepeatedRows};
use crate::analysis::store::{CallStore, StoredCall};
use crate::call::{Call, TimeBasis};
use crate::formats::preview::ColumnPreview;
use crate::formats::FormatOptions;
use crate::ingest::{ReadPlan, Reader, RowCounts, Sink};
use crate::numbers::NumberPlan;
use crate::reject::{IngestError, Reject, RejectReason};
use crate::summary::{FileInfo, RejectInfo, RowTotals, Summary};
use serde::{Deserialize, Serialize};

/// The most files one data set holds: file indices are 16-bit, and `u16::MAX` stands for
/// "no file". Containers and folders list what they could not add as one skipped entry.
pub const MAX_FILES: usize = 65_000;

/// Collects what a reader produces.
struct Collector {
    store: CallStore,
    rejects: Vec<(u16, Reject)>,
    rejects_total: u64,
    reject_cap: usize,
    /// Calls already read from an earlier file are counted once (issue 9).
    dedupe: CrossFileDedupe,
    /// Rows repeated within one file are counted once.
    repeats: RepeatedRows,
    /// The repeated-row fingerprint of every stored call, kept only while reading a later part
    /// of a file, so the data set absorbing it can find repeats across the parts.
    fingerprints: Option<Vec<u64>>,
    notes: Vec<(u16, Reject)>,
    notes_total: u64,
    /// Sum of the absolute fees and costs stored, in micro-units: while it fits in an `i64`,
    /// no sum of fees, costs or margins over any group of calls can overflow.
    money_abs: u64,
    /// Rows of the current file the reader accepted but the collector refused (their money
    /// would overflow the totals): counted as rejected instead.
    demoted: u64,
}

impl Collector {
    /// Notes that call `c` of a part (lines counted from the part's start) repeats an earlier
    /// row of its file.
    fn note_repeat(&mut self, file: u16, c: &StoredCall, lines_before: u64) {
        self.notes_total += 1;
        if self.notes.len() < self.reject_cap {
            self.notes.push((
                file,
                Reject {
                    line: u64::from(c.line) + lines_before,
                    offset: c.offset,
                    len: c.row_len(),
                    reason: RejectReason::RepeatedRow,
                },
            ));
        }
    }

    /// Adds a rejected row of the current file.
    fn add_reject(&mut self, reject: Reject) {
        self.rejects_total += 1;
        if self.rejects.len() < self.reject_cap {
            self.rejects.push((self.store.current_file, reject));
        }
    }
}

impl Sink for Collector {
    fn call(&mut self, call: &Call<'_>) {
        let fp = repeats::fingerprint(call);
        if self.repeats.is_repeat_fingerprint(fp) {
            self.note(Reject {
                line: call.line,
                offset: call.offset,
                len: call.len,
                reason: RejectReason::RepeatedRow,
            });
            return;
        }
        let abs = |m: Option<crate::money::Money>| m.map_or(0, |m| m.0.unsigned_abs());
        let total = self
            .money_abs
            .checked_add(abs(call.fee))
            .and_then(|t| t.checked_add(abs(call.cost)))
            .filter(|&t| t <= i64::MAX as u64);
        let Some(total) = total else {
            // Saturated sums would print a wrong total as if it were right: the row is refused.
            self.demoted += 1;
            self.add_reject(Reject {
                line: call.line,
                offset: call.offset,
                len: call.len,
                reason: RejectReason::MoneyOverflow,
            });
            return;
        };
        if self.dedupe.is_duplicate(call, self.store.current_file) {
            return;
        }
        if let Some(f) = &mut self.fingerprints {
            f.push(fp);
        }
        self.money_abs = total;
        self.store.push(call);
    }

    fn reject(&mut self, reject: Reject) {
        self.add_reject(reject);
    }

    fn note(&mut self, note: Reject) {
        self.notes_total += 1;
        if self.notes.len() < self.reject_cap {
            self.notes.push((self.store.current_file, note));
        }
    }
}

/// Where a call's row is, for drill-down.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowRef {
    /// Index of the file in the data set.
    pub file: u16,
    /// 1-based line.
    pub line: u64,
    /// Byte offset of the row.
    pub offset: u64,
    /// Length of the row in bytes.
    pub len: u32,
}

/// One page of matching rows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowPage {
    /// How many calls match in all.
    pub total: u64,
    /// The page's rows.
    pub rows: Vec<RowRef>,
}

/// One or more CDR files analysed together.
pub struct Dataset {
    collector: Collector,
    reader: Option<Reader>,
    files: Vec<FileInfo>,
    first_dialect: Option<crate::ingest::Dialect>,
    /// The first file's first rows, for mapping columns by hand.
    preview: Option<ColumnPreview>,
    mixed: bool,
    counts: RowTotals,
    /// Later parts of the current file will be absorbed (see [`Dataset::expect_parts`]).
    expect_parts: bool,
    /// Bytes pushed into the current file, and the store size when it started, to size the
    /// store once from the first rows instead of letting it double (wasm memory never shrinks,
    /// and a doubling copy needs old and new at once).
    pushed: u64,
    calls_at_start: usize,
    sized: bool,
    /// Whether this data set reads a later part of a file for another one (which marks the
    /// chains and fees once it has absorbed the part).
    part: bool,
    /// Whether marking chains and fees waits for [`Dataset::seal`] instead of following every
    /// file: marking walks every stored call, so doing it per file made many files quadratic.
    defer_marks: bool,
    /// Calls were added or files finished since the chains and fees were last marked.
    marks_stale: bool,
    /// Rows of the current file rejected outside its reader (a converter refused them).
    extra: RowCounts,
    /// The most calls the data set stores; the file that passes it ends with an error.
    max_calls: Option<usize>,
    /// How each file was read, to map one of its rows again (see [`Dataset::plan_of`]).
    plans: crate::analysis::call_view::FilePlans,
    /// The overall totals of the last progress summary (see [`groups::RunningTotals`]);
    /// dropped whenever a stored call changes.
    running: std::sync::Mutex<Option<groups::RunningTotals>>,
}

impl Default for Dataset {
    fn default() -> Self {
        Dataset::new()
    }
}

impl Dataset {
    /// An empty data set.
    pub fn new() -> Self {
        Dataset {
            collector: Collector {
                store: CallStore::new(),
                rejects: Vec::new(),
                rejects_total: 0,
                reject_cap: 10_000,
                dedupe: CrossFileDedupe::default(),
                repeats: RepeatedRows::default(),
                fingerprints: None,
                notes: Vec::new(),
                notes_total: 0,
                money_abs: 0,
                demoted: 0,
            },
            reader: None,
            defer_marks: false,
            marks_stale: false,
            extra: RowCounts::default(),
            max_calls: None,
            plans: Default::default(),
            running: Default::default(),
            pushed: 0,
            calls_at_start: 0,
            sized: false,
            part: false,
            files: Vec::new(),
            first_dialect: None,
            preview: None,
            mixed: false,
            counts: RowTotals::default(),
            expect_parts: false,
        }
    }

    /// Says that later parts of the current file, read by other data sets, will be absorbed
    /// ([`Dataset::absorb_part`]): the rows seen are kept to find repeats across the parts
    /// until [`Dataset::parts_done`].
    pub fn expect_parts(&mut self) {
        self.expect_parts = true;
    }

    /// Says that every part of the current file was absorbed: frees what finding repeats
    /// across the parts took.
    pub fn parts_done(&mut self) {
        self.expect_parts = false;
        self.collector.repeats.forget_rows();
    }

    /// Starts reading a file; returns its index.
    pub fn start_file(&mut self, name: &str, bytes: u64, options: FormatOptions) -> usize {
        self.finish_reader_counts();
        self.parts_done();
        self.extra = RowCounts::default();
        self.collector.demoted = 0;
        self.pushed = 0;
        self.calls_at_start = self.collector.store.calls.len();
        self.sized = false;
        let idx = self.files.len();
        self.files.push(FileInfo {
            name: name.to_string(),
            bytes,
            ..FileInfo::default()
        });
        self.collector
            .store
            .set_file(u16::try_from(idx).unwrap_or(u16::MAX));
        // The CLI and the page check the settings before reading; a bad home country here
        // reads numbers as if none were set rather than failing the file.
        self.collector.store.plan = NumberPlan::from_settings(&options.numbers).unwrap_or_default();
        self.reader = Some(Reader::new(options));
        idx
    }

    /// Feeds the next chunk of the current file.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), IngestError> {
        if self.reader.is_none() {
            return Err(IngestError {
                message: "no file is being read".into(),
            });
        }
        self.grow_for(chunk.len());
        let Some(reader) = self.reader.as_mut() else {
            return Ok(());
        };
        let r = reader.push(chunk, &mut self.collector);
        self.note_dialect();
        if let Err(e) = &r {
            self.fail_current(e);
        }
        self.pushed += chunk.len() as u64;
        self.reserve_for_file();
        if let Some(max) = self
            .max_calls
            .filter(|&m| self.collector.store.calls.len() > m)
        {
            let e = IngestError {
                message: format!(
                    "stopped after {max} calls, the most this page holds: the rest of the file was not read (the cdrscope command line has no such limit)"
                ),
            };
            self.fail_file(&e.message);
            return Err(e);
        }
        r
    }

    /// Caps the calls the data set stores (the page: wasm memory is at most 4 GB, and the
    /// calls' tables grow with copies); `None` for no cap.
    pub fn set_max_calls(&mut self, max: Option<usize>) {
        self.max_calls = max;
    }

    /// Makes room for the calls a chunk can add when the file's size did not size the store
    /// (a decompressed stream is larger than its file): growing by a quarter instead of
    /// doubling keeps the slack and the copy (old and new table at once) small.
    fn grow_for(&mut self, chunk: usize) {
        let calls = &mut self.collector.store.calls;
        // A call takes a row of at least a few bytes.
        let room = chunk / 8 + 1;
        // A store sized from the file's own size (`reserve_for_file`) is left to that estimate.
        if self.sized || calls.capacity() - calls.len() >= room || calls.len() < 1 << 16 {
            return;
        }
        let more = (calls.len() / 4).max(room);
        calls.reserve_exact(more);
        let money = &mut self.collector.store.money;
        if !money.is_empty() && money.capacity() - money.len() < more {
            money.reserve_exact(more);
        }
    }

    /// Reserves room for the current file's calls once its first rows show their average size.
    fn reserve_for_file(&mut self) {
        let store = &mut self.collector.store;
        let seen = store.calls.len() - self.calls_at_start.min(store.calls.len());
        let size = self.files.last().map_or(0, |f| f.bytes);
        if self.sized || seen < 256 || self.pushed == 0 || size <= self.pushed {
            return;
        }
        self.sized = true;
        let expected = (size as f64 * seen as f64 / self.pushed as f64 * 1.02) as usize;
        let more = expected
            .saturating_sub(store.calls.len() - self.calls_at_start)
            .min(200_000_000);
        store.calls.reserve_exact(more);
        // The tables that grow with the calls are sized once too: at each doubling a multi-GB
        // file's table was copied, and wasm memory (it never shrinks) kept the doubling slack.
        if !store.money.is_empty() {
            store.money.reserve_exact(more);
        }
        self.collector.dedupe.reserve(more);
        self.collector.repeats.reserve(more);
    }

    /// Ends the current file.
    pub fn finish_file(&mut self) -> Result<(), IngestError> {
        let Some(reader) = self.reader.as_mut() else {
            return Ok(());
        };
        let r = reader.finish(&mut self.collector);
        self.note_dialect();
        match &r {
            Ok(()) => self.finish_reader_counts(),
            Err(e) => self.fail_current(e),
        }
        self.mark_calls();
        r
    }

    /// Marks what needs every call at once: failover chains (ordered by caller, callee and
    /// time across files) and fees against the rates. Runs when a file is finished, failed or
    /// a part absorbed, so it always sees the final store, unless marks are deferred (then
    /// [`Dataset::seal`] does it once); parts skip it.
    fn mark_calls(&mut self) {
        if self.part {
            return;
        }
        self.marks_stale = true;
        if !self.defer_marks {
            self.seal();
        }
    }

    /// Defers marking chains and fees until [`Dataset::seal`] (`true`) or marks after every
    /// file again (`false`); returns the previous setting. Reading many files or zip entries
    /// with marks deferred is linear in the files; the summary, row pages and exports of a
    /// data set with deferred marks need a [`Dataset::seal`] first.
    pub fn defer_marks(&mut self, defer: bool) -> bool {
        std::mem::replace(&mut self.defer_marks, defer)
    }

    /// Forgets the progress summaries' running totals (a stored call is about to change).
    fn drop_running(&mut self) {
        *self
            .running
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }

    /// Marks failover chains and fees over every stored call, if anything changed since the
    /// last time.
    pub fn seal(&mut self) {
        if !self.marks_stale || self.part {
            return;
        }
        self.marks_stale = false;
        self.drop_running();
        let store = &mut self.collector.store;
        crate::analysis::chains::mark(store);
        store.fee_decimals = crate::analysis::fee_check::mark(store);
    }

    /// Rejects a row of the current file that a converter (Excel, JSON) refused before it
    /// reached the reader: it is counted as a data row and rejected, at `line`.
    pub fn reject_row(&mut self, line: u64, offset: u64, reason: RejectReason) {
        self.extra.data_rows += 1;
        self.extra.rejected += 1;
        self.collector.add_reject(Reject {
            line,
            offset,
            len: 0,
            reason,
        });
    }

    /// Starts reading a later part of a file, beginning at byte `start_offset` (a line start),
    /// with the plan of the reader of its first part.
    pub fn start_part(
        &mut self,
        name: &str,
        bytes: u64,
        plan: &ReadPlan,
        start_offset: u64,
    ) -> Result<(), IngestError> {
        self.finish_reader_counts();
        // The size given is the whole file's: do not size the store from it.
        self.sized = true;
        self.part = true;
        self.collector.fingerprints = Some(Vec::new());
        self.collector.store.plan =
            NumberPlan::from_settings(&plan.options.numbers).unwrap_or_default();
        self.files.push(FileInfo {
            name: name.to_string(),
            bytes,
            ..FileInfo::default()
        });
        self.collector
            .store
            .set_file(u16::try_from(self.files.len() - 1).unwrap_or(u16::MAX));
        self.reader = Some(Reader::resume(plan, start_offset)?);
        self.note_dialect();
        Ok(())
    }

    /// The plan for reading later parts of the current file in parallel, once known. Asking
    /// for it says parts will be absorbed (see [`Dataset::expect_parts`]).
    pub fn plan(&mut self) -> Option<ReadPlan> {
        let plan = self.reader.as_ref().and_then(|r| r.plan()).cloned();
        if plan.is_some() {
            self.expect_parts();
        }
        plan
    }

    /// Whether the current file's reader stopped at a row boundary (not inside a quoted field).
    pub fn at_row_boundary(&self) -> bool {
        self.reader.as_ref().is_none_or(|r| r.at_row_boundary())
    }

    /// Line breaks the current file's reader has consumed.
    pub fn lines_read(&self) -> u64 {
        self.reader.as_ref().map_or(0, |r| r.lines_read())
    }

    /// Appends a finished later part of the current (last) file, read by another data set;
    /// `lines_before` is the number of lines in the file before the part's start.
    pub fn absorb_part(&mut self, part: &Dataset, lines_before: u64) {
        self.drop_running();
        self.finish_reader_counts();
        let file = self.collector.store.current_file;
        // A row of the part may repeat a row of an earlier part: it is counted once, as a
        // sequential read would.
        let keep: Vec<bool> = match &part.collector.fingerprints {
            Some(fps) => fps
                .iter()
                .zip(&part.collector.store.calls)
                .map(|(&fp, c)| {
                    let repeat = self.collector.repeats.is_repeat_fingerprint(fp);
                    if repeat {
                        self.collector.note_repeat(file, c, lines_before);
                    }
                    !repeat
                })
                .collect(),
            None => vec![true; part.collector.store.calls.len()],
        };
        // The part's own repeats join those just found against earlier parts (the counts
        // before the part were taken by `finish_reader_counts`): each counted once.
        self.collector.repeats.add(part.collector.repeats.total());
        let repeats = self.collector.repeats.take_current();
        if let Some(f) = self.files.last_mut() {
            f.duplicates += repeats;
        }
        self.collector
            .store
            .append_where(&part.collector.store, lines_before, &keep);
        for (_, r) in &part.collector.rejects {
            if self.collector.rejects.len() < self.collector.reject_cap {
                let mut r = r.clone();
                r.line = r.line.saturating_add(lines_before);
                self.collector.rejects.push((file, r));
            }
        }
        self.collector.rejects_total += part.collector.rejects_total;
        for (_, n) in &part.collector.notes {
            if self.collector.notes.len() < self.collector.reject_cap {
                let mut n = n.clone();
                n.line = n.line.saturating_add(lines_before);
                self.collector.notes.push((file, n));
            }
        }
        self.collector.notes_total += part.collector.notes_total;
        let part_abs = part.collector.store.money.iter().fold(0u64, |t, m| {
            let abs = |v: i64| if v == i64::MIN { 0 } else { v.unsigned_abs() };
            t.saturating_add(abs(m.fee)).saturating_add(abs(m.cost))
        });
        self.collector.money_abs = self.collector.money_abs.saturating_add(part_abs);
        if self.collector.money_abs > i64::MAX as u64 {
            // Each part checked its own rows; only their sum is too large.
            if let Some(f) = self.files.last_mut() {
                f.error = Some(RejectReason::MoneyOverflow.to_string());
            }
        }
        self.collector
            .dedupe
            .remember(&part.collector.dedupe.keys(), file);
        let c = part.counts;
        self.counts.data += c.data;
        self.counts.accepted += c.accepted;
        self.counts.rejected += c.rejected;
        if let Some(f) = self.files.last_mut() {
            f.accepted += c.accepted;
            f.rejected += c.rejected;
        }
        self.mark_calls();
    }

    /// A finished part (see [`Dataset::start_part`]) as bytes for [`Dataset::absorb_part_bytes`],
    /// so a part read by another worker can be handed over.
    pub fn part_bytes(&self) -> Vec<u8> {
        let strip =
            |list: &[(u16, Reject)]| list.iter().map(|(_, r)| r.clone()).collect::<Vec<_>>();
        let (rejects, notes) = (strip(&self.collector.rejects), strip(&self.collector.notes));
        part_bytes::encode(&part_bytes::PartView {
            store: &self.collector.store,
            rejects: &rejects,
            rejects_total: self.collector.rejects_total,
            notes: &notes,
            notes_total: self.collector.notes_total,
            counts: self.row_totals(),
            keys: &self.collector.dedupe.keys(),
            fingerprints: self.collector.fingerprints.as_deref().unwrap_or_default(),
            repeats: self.collector.repeats.total(),
        })
    }

    /// Appends a finished later part given as [`Dataset::part_bytes`] (as [`Dataset::absorb_part`]
    /// does); malformed bytes give an error and change nothing.
    pub fn absorb_part_bytes(
        &mut self,
        bytes: &[u8],
        lines_before: u64,
    ) -> Result<(), IngestError> {
        let p = part_bytes::decode(bytes)?;
        let mut part = Dataset::new();
        part.collector.store = p.store;
        part.collector.rejects = p.rejects.into_iter().map(|r| (0, r)).collect();
        part.collector.rejects_total = p.rejects_total;
        part.collector.notes = p.notes.into_iter().map(|r| (0, r)).collect();
        part.collector.notes_total = p.notes_total;
        part.collector.dedupe.remember(&p.keys, 0);
        part.collector.repeats.add(p.repeats);
        part.collector.fingerprints = Some(p.fingerprints);
        part.counts = p.counts;
        self.absorb_part(&part, lines_before);
        Ok(())
    }

    /// Reads a whole in-memory file.
    pub fn read_bytes(
        &mut self,
        name: &str,
        bytes: &[u8],
        options: FormatOptions,
    ) -> Result<(), IngestError> {
        self.start_file(name, bytes.len() as u64, options);
        self.push(bytes)?;
        self.finish_file()
    }

    /// Ends the current file early with a file-level error (e.g. a broken archive or JSON
    /// document found by `inputs`), keeping the rows read before it.
    pub fn fail_file(&mut self, message: &str) {
        if let Some(reader) = self.reader.as_mut() {
            // The rows already pushed stay; a reader that saw no byte yet has nothing to flush.
            if reader.finish(&mut self.collector).is_ok() {
                self.note_dialect();
            }
        }
        let message = self.explained(message);
        self.finish_reader_counts();
        if let Some(f) = self.files.last_mut() {
            f.error = Some(message);
        }
        self.mark_calls();
    }

    /// Names the container the current file came in (`gzip`, `zip+xlsx`, …; see `inputs`).
    pub fn set_container(&mut self, container: &str) {
        if let Some(f) = self.files.last_mut() {
            f.container = container.to_string();
        }
    }

    fn fail_current(&mut self, e: &IngestError) {
        // The rows read or refused before the error stay counted on the file (an Excel row
        // refused as too wide, then a sheet no format recognises, is still one rejected row).
        let message = self.explained(&e.message);
        self.finish_reader_counts();
        if let Some(f) = self.files.last_mut() {
            f.error = Some(message);
        }
    }

    /// A file's error, said better when it is JSON records no format fits that look like a
    /// log (the text reader saw only the CSV they were written as).
    fn explained(&self, message: &str) -> String {
        let first = self
            .reader
            .as_ref()
            .and_then(|r| r.preview())
            .map(|p| p.first.clone());
        let json = self
            .files
            .last()
            .is_some_and(|f| f.container.contains("json"));
        (json && message.starts_with("not a recognised CDR format"))
            .then(|| first.and_then(|h| crate::ingest::explain::unrecognised_json(&h)))
            .flatten()
            .unwrap_or_else(|| message.to_string())
    }

    fn note_dialect(&mut self) {
        self.note_plan();
        if self.preview.is_none() {
            self.preview = self.reader.as_ref().and_then(|r| r.preview()).cloned();
        }
        let Some(d) = self.reader.as_ref().and_then(|r| r.dialect()) else {
            return;
        };
        if let Some(f) = self.files.last_mut() {
            if f.format.is_empty() {
                f.format = d.detection.format.id().to_string();
                f.encoding = d.encoding.name().to_string();
                match &self.first_dialect {
                    None => self.first_dialect = Some(d.clone()),
                    Some(first) => self.mixed |= first.detection.format != d.detection.format,
                }
            }
        }
    }

    /// Keeps how the current file is read (once its format is known), to map its rows again.
    fn note_plan(&mut self) {
        let Some(plan) = self.reader.as_ref().and_then(|r| r.plan()) else {
            return;
        };
        if self.part {
            return;
        }
        self.plans.note(self.files.len().saturating_sub(1), plan);
    }

    /// How file `file` of the data set was read (its format, delimiter, encoding and first
    /// records), to map one of its rows again; `None` for a file no format was found for.
    pub fn plan_of(&self, file: u16) -> Option<&ReadPlan> {
        self.plans.get(usize::from(file))
    }

    /// The current file's row counts: its reader's, with the rows refused outside it.
    fn current_counts(&self) -> RowCounts {
        let mut c = self.reader.as_ref().map(Reader::counts).unwrap_or_default();
        c.data_rows += self.extra.data_rows;
        c.rejected += self.extra.rejected + self.collector.demoted;
        c.accepted -= self.collector.demoted.min(c.accepted);
        c
    }

    fn finish_reader_counts(&mut self) {
        let c = self.current_counts();
        if self.reader.take().is_none() && c == RowCounts::default() {
            return;
        }
        self.extra = RowCounts::default();
        self.collector.demoted = 0;
        let duplicates =
            self.collector.dedupe.take_current() + self.collector.repeats.take_current();
        if !self.expect_parts {
            self.collector.repeats.forget_rows();
        }
        if let Some(f) = self.files.last_mut() {
            f.accepted += c.accepted;
            f.rejected += c.rejected;
            f.duplicates += duplicates;
        }
        self.counts.header += c.header;
        self.counts.data += c.data_rows;
        self.counts.accepted += c.accepted;
        self.counts.rejected += c.rejected;
    }

    /// Row counts so far, the current file included.
    pub fn row_totals(&self) -> RowTotals {
        let mut t = self.counts;
        let c = self.current_counts();
        t.header += c.header;
        t.data += c.data_rows;
        t.accepted += c.accepted;
        t.rejected += c.rejected;
        t.duplicates = self.collector.dedupe.total() + self.collector.repeats.total();
        t
    }

    /// The call store.
    pub fn store(&self) -> &CallStore {
        &self.collector.store
    }

    /// The files read so far.
    pub fn files(&self) -> &[FileInfo] {
        &self.files
    }

    /// The time basis of the data (UTC unless the first file had naive local times).
    pub fn time_basis(&self) -> TimeBasis {
        self.first_dialect
            .as_ref()
            .map_or(TimeBasis::Utc, |d| d.time_basis)
    }

    /// The offset that turns stored times into local times.
    fn offset_ms(&self, opts: &SummaryOptions) -> i64 {
        match self.time_basis() {
            TimeBasis::Utc => i64::from(opts.tz_offset_min) * 60_000,
            TimeBasis::NaiveLocal => 0,
        }
    }

    /// Computes the summary of the calls passing `filter`.
    pub fn summary(&self, filter: &Filter, opts: &SummaryOptions) -> Summary {
        let store = &self.collector.store;
        let offset = self.offset_ms(opts);
        let mut running = self
            .running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut g = groups::group_running(store, filter, opts, offset, Some(&mut running));
        drop(running);
        let accs = g.accs.take();
        let (format, format_name, reason, confidence, encoding, delimiter) =
            match &self.first_dialect {
                Some(d) => (
                    if self.mixed {
                        "mixed".to_string()
                    } else {
                        d.detection.format.id().to_string()
                    },
                    if self.mixed {
                        "Several formats".to_string()
                    } else {
                        d.detection.format.name().to_string()
                    },
                    d.detection.reason.clone(),
                    d.detection.confidence,
                    d.encoding.name().to_string(),
                    crate::ingest::sniff::delimiter_name(
                        d.delimiter.as_bytes().first().copied().unwrap_or(b','),
                    )
                    .to_string(),
                ),
                None => Default::default(),
            };
        let mut rows = self.row_totals();
        rows.in_filter = g.matching;
        let file_name = |i: u16| {
            self.files
                .get(i as usize)
                .map(|f| f.name.clone())
                .unwrap_or_default()
        };
        let mut summary = Summary {
            version: env!("CARGO_PKG_VERSION").to_string(),
            format,
            format_name,
            format_reason: reason,
            format_confidence: confidence,
            encoding,
            delimiter,
            time_basis: match self.time_basis() {
                TimeBasis::Utc => "utc".into(),
                TimeBasis::NaiveLocal => "naive_local".into(),
            },
            tz_offset_min: opts.tz_offset_min,
            health_preset: opts.health,
            files: self.files.clone(),
            rows,
            time_range: g.time_range,
            filter: filter.clone(),
            overall: g.overall,
            by_egress_gateway: g.by_egress,
            by_ingress_gateway: g.by_ingress,
            by_destination: g.by_destination,
            by_gateway_destination: g.by_gateway_destination,
            by_hour: g.by_hour,
            timeline: g.timeline,
            by_code: g.by_code,
            by_end_direction: g.by_end_direction,
            by_outcome: g.by_outcome,
            pdd_histogram: g.pdd_histogram,
            duration_histogram: g.duration_histogram,
            findings: Vec::new(),
            load: None,
            rejects: to_infos(&self.collector.rejects, opts.reject_cap, &file_name),
            rejects_total: self.collector.rejects_total,
            notes: to_infos(&self.collector.notes, opts.reject_cap, &file_name),
            notes_total: self.collector.notes_total,
            columns: self.preview.clone(),
        };
        // Concurrency with the groups (the page's filtered summaries draw its chart too); the
        // chart's refusal ticks come from the findings, when they are computed.
        if opts.groups || opts.findings {
            summary.load = Some(crate::analysis::concurrency::load(store, filter, offset));
        }
        if opts.findings {
            summary.findings = crate::analysis::findings::find(
                store,
                &summary.filter,
                summary.time_range.as_ref(),
                &summary.time_basis,
                opts,
                offset,
                accs.as_ref(),
            );
        }
        if let Some(l) = summary.load.as_mut() {
            l.series = crate::analysis::concurrency::series(
                store,
                filter,
                offset,
                &summary.timeline,
                &summary.findings,
            );
        }
        summary
    }

    /// One page of the rows passing `filter` (page 0 first).
    pub fn rows(
        &self,
        filter: &Filter,
        opts: &SummaryOptions,
        page: usize,
        page_size: usize,
    ) -> RowPage {
        let store = &self.collector.store;
        let cf = CompiledFilter::new(filter, store, self.offset_ms(opts));
        let skip = page.saturating_mul(page_size);
        let mut total = 0u64;
        let mut rows = Vec::new();
        for (i, c) in store.calls.iter().enumerate() {
            if cf.matches(c) {
                if total as usize >= skip && rows.len() < page_size {
                    rows.push(RowRef {
                        file: store.file_of(i),
                        line: u64::from(c.line),
                        offset: c.offset,
                        len: c.row_len(),
                    });
                }
                total += 1;
            }
        }
        RowPage { total, rows }
    }
}

/// Rejected or noted rows for display, at most `cap`, with their file names.
fn to_infos(
    list: &[(u16, Reject)],
    cap: usize,
    file_name: &dyn Fn(u16) -> String,
) -> Vec<RejectInfo> {
    list.iter()
        .take(cap)
        .map(|(f, r)| RejectInfo {
            file: file_name(*f),
            line: r.line,
            offset: r.offset,
            len: r.len,
            reason: r.reason.to_string(),
            detail: r.reason.clone(),
        })
        .collect()
}
