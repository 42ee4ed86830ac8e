//! One call as the drill-down table and the calls export show it: what the store keeps
//! (time, gateways, destination, outcome, code, talk, PDD, fee) and what it does not (caller,
//! callee, Call-ID), read again from the call's row through the mapper its file was read with.
//!
//! The store stays at its compact row per call: caller, callee and Call-ID are only needed for
//! the few rows on screen or for an export, and re-mapping a row costs less than keeping three
//! strings for ten million calls.

use crate::analysis::call_sort::{sort_calls, RowSort};
use crate::analysis::filter::{CompiledFilter, NONE_NAME};
use crate::analysis::{Dataset, Filter, RowRef, SummaryOptions};
use crate::call::{Call, TimeBasis};
use crate::codes;
use crate::formats::values::format_ms;
use crate::ingest::encoding::TextEncoding;
use crate::ingest::{ReadPlan, Reader, Reject, Sink};
use serde::{Deserialize, Serialize};

/// Records of a file's first rows kept to build its mapper again: the header and a few data
/// rows, enough for every mapper (they read names from the header and the layout from the
/// first rows), bounded for folders of thousands of files.
pub const PLAN_RECORDS: usize = 9;

/// How each file of a data set was read, sharing one plan between files that read alike (a
/// folder of daily exports with the same header keeps one).
#[derive(Clone, Debug, Default)]
pub struct FilePlans {
    /// The distinct plans.
    unique: Vec<ReadPlan>,
    /// Each file's plan in `unique`; `u32::MAX` for a file without one.
    of_file: Vec<u32>,
}

impl FilePlans {
    /// Records the plan of file `file` (its first records cut to [`PLAN_RECORDS`]).
    pub fn note(&mut self, file: usize, plan: &ReadPlan) {
        if self.of_file.len() <= file {
            self.of_file.resize(file + 1, u32::MAX);
        }
        if self.of_file[file] != u32::MAX {
            return;
        }
        let same = |p: &ReadPlan| {
            p.detection.format == plan.detection.format
                && p.detection.header_rows == plan.detection.header_rows
                && p.delimiter == plan.delimiter
                && p.encoding == plan.encoding
                && same_options(&p.options, &plan.options)
                && p.sample.first().map(Vec::len) == plan.sample.first().map(Vec::len)
                && (plan.detection.header_rows == 0 || p.sample.first() == plan.sample.first())
        };
        let at = match self.unique.iter().rposition(same) {
            Some(i) => i,
            None => {
                let mut kept = plan.clone();
                kept.sample.truncate(PLAN_RECORDS);
                self.unique.push(kept);
                self.unique.len() - 1
            }
        };
        self.of_file[file] = u32::try_from(at).unwrap_or(u32::MAX);
    }

    /// The plan of file `file`, if it has one.
    pub fn get(&self, file: usize) -> Option<&ReadPlan> {
        let i = *self.of_file.get(file)?;
        self.unique.get(i as usize)
    }
}

/// Whether two files were read with the same options (`FormatOptions` has no equality: its
/// JSON form is compared, once per file).
fn same_options(a: &crate::formats::FormatOptions, b: &crate::formats::FormatOptions) -> bool {
    serde_json::to_string(a).ok() == serde_json::to_string(b).ok()
}

/// Who called whom, and the call's id, as its row gives them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parties {
    /// The calling number.
    pub caller: String,
    /// The called number.
    pub callee: String,
    /// The SIP Call-ID or the system's unique id.
    pub call_id: String,
}

/// Keeps the first call a reader gives.
struct FirstCall(Option<Parties>);

impl Sink for FirstCall {
    fn call(&mut self, call: &Call<'_>) {
        if self.0.is_none() {
            self.0 = Some(Parties {
                caller: call.caller.to_string(),
                callee: call.callee.to_string(),
                call_id: call.call_id.to_string(),
            });
        }
    }

    fn reject(&mut self, _reject: Reject) {}
}

/// Maps the decoded text of one row (at byte `offset` of its file) again through the mapper
/// of its file's `plan`; `None` when the row alone gives no call (a row folded into another,
/// such as an Asterisk AMI line, or a row cut for display).
pub fn remap_row(plan: &ReadPlan, offset: u64, text: &str) -> Option<Parties> {
    // The text is already decoded: read as UTF-8 whatever the file's encoding was.
    let mut plan = plan.clone();
    plan.encoding = TextEncoding::Utf8;
    let mut reader = Reader::resume_any(&plan, offset).ok()?;
    let mut sink = FirstCall(None);
    reader.push(text.as_bytes(), &mut sink).ok()?;
    reader.push(b"\n", &mut sink).ok()?;
    reader.finish(&mut sink).ok()?;
    sink.0
}

/// One call as a row of the drill-down table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallView {
    /// The data-set file the call's row is in.
    pub file: String,
    /// The row's 1-based line.
    pub line: u64,
    /// When the call ended (or started), `YYYY-MM-DD HH:MM:SS` in the chosen zone; empty
    /// when the row has no time.
    pub time: String,
    /// The same time in ms (in the chosen zone), for sorting.
    pub time_ms: Option<i64>,
    /// The calling number (empty when the row could not be read again).
    pub caller: String,
    /// The called number.
    pub callee: String,
    /// The Call-ID or unique id.
    pub call_id: String,
    /// The ingress gateway (`(none)` when the row names none).
    pub ingress: String,
    /// The egress gateway (`(none)` when the call was never routed).
    pub egress: String,
    /// The destination prefix.
    pub destination: String,
    /// The outcome's machine name (`answered`, `busy`, `no_answer`…).
    pub outcome: String,
    /// The final code as the row writes it.
    pub code: String,
    /// The code's short label (reason phrase or cause name), empty when unknown.
    pub code_label: String,
    /// The code's system, so the page can show the label in its language
    /// ([`crate::codes::short_label_in`]).
    #[serde(default)]
    pub code_system: Option<crate::call::CodeSystem>,
    /// Whether the call was answered.
    pub answered: bool,
    /// Talk time in seconds.
    pub talk_s: u32,
    /// Post-dial delay in ms, when known.
    pub pdd_ms: Option<u32>,
    /// The fee charged, fixed-point with the file's decimals, when the row has one.
    pub fee: Option<String>,
}

impl CallView {
    /// The view of stored call `i` of `d`, times shifted by `offset_ms`; caller, callee and
    /// Call-ID are left empty (see [`remap_row`]).
    pub fn of(d: &Dataset, i: usize, offset_ms: i64) -> CallView {
        let store = d.store();
        let c = &store.calls[i];
        let name = |id: u16| {
            let n = store.names.name(u32::from(id));
            if n.is_empty() { NONE_NAME } else { n }.to_string()
        };
        let key = store.codes.get(c.code as usize);
        let time_ms = c.time().map(|t| t + offset_ms);
        CallView {
            file: d
                .files()
                .get(usize::from(store.file_of(i)))
                .map(|f| f.name.clone())
                .unwrap_or_default(),
            line: u64::from(c.line),
            time: time_ms.map(format_ms).unwrap_or_default(),
            time_ms,
            caller: String::new(),
            callee: String::new(),
            call_id: String::new(),
            ingress: name(c.ingress),
            egress: name(c.egress),
            destination: store.prefixes.name(u32::from(c.prefix)).to_string(),
            outcome: c.outcome().as_str().to_string(),
            code: key.map(|k| k.code.clone()).unwrap_or_default(),
            code_label: key
                .map(|k| codes::short_label(k.system, &k.code))
                .unwrap_or_default(),
            code_system: key.and_then(|k| k.system),
            answered: c.answered(),
            talk_s: c.hold_s,
            pdd_ms: (c.pdd_ms > 0).then_some(u32::from(c.pdd_ms)),
            fee: store
                .money_of(i)
                .and_then(|(fee, _)| fee)
                .map(|m| m.to_string_with(store.fee_decimals)),
        }
    }

    /// Fills caller, callee and Call-ID.
    pub fn set_parties(&mut self, p: Parties) {
        self.caller = p.caller;
        self.callee = p.callee;
        self.call_id = p.call_id;
    }
}

/// A page of the drill-down table: the rows (where to read each again) and their views.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewPage {
    /// How many calls match in all.
    pub total: u64,
    /// The page's rows (data-set file indices).
    pub rows: Vec<RowRef>,
    /// The page's calls, in the same order.
    pub views: Vec<CallView>,
}

/// The texts of rows, decoded, without their line end (`None` when a row cannot be read):
/// from the files on disk (command line) or the dropped Files (page worker).
pub type RowTexts<'a> = dyn FnMut(&[RowRef]) -> Vec<Option<String>> + 'a;

/// The offset in ms added to stored times to show them in the chosen zone (UTC times only:
/// local wall-clock times are shown as written).
pub fn display_offset_ms(d: &Dataset, opts: &SummaryOptions) -> i64 {
    match d.time_basis() {
        TimeBasis::Utc => i64::from(opts.tz_offset_min) * 60_000,
        TimeBasis::NaiveLocal => 0,
    }
}

/// Where stored call `i` is, for reading its row again.
fn row_ref(d: &Dataset, i: usize) -> RowRef {
    let store = d.store();
    let c = &store.calls[i];
    RowRef {
        file: store.file_of(i),
        line: u64::from(c.line),
        offset: c.offset,
        len: c.row_len(),
    }
}

/// Fills the parties of `views` from the texts of their `rows`.
fn fill_parties(d: &Dataset, rows: &[RowRef], views: &mut [CallView], texts: &mut RowTexts<'_>) {
    let got = texts(rows);
    for ((r, v), text) in rows.iter().zip(views.iter_mut()).zip(got) {
        let parties = text
            .zip(d.plan_of(r.file))
            .and_then(|(t, plan)| remap_row(plan, r.offset, &t));
        if let Some(p) = parties {
            v.set_parties(p);
        }
    }
}

/// One page (0-based) of the calls passing `filter` as table rows, in the file's order or
/// sorted over every matching call by `sort`; caller, callee and Call-ID read again from the
/// rows `texts` gives.
pub fn view_page(
    d: &Dataset,
    filter: &Filter,
    opts: &SummaryOptions,
    (page, page_size): (usize, usize),
    sort: Option<RowSort>,
    texts: &mut RowTexts<'_>,
) -> ViewPage {
    let store = d.store();
    let offset = display_offset_ms(d, opts);
    let cf = CompiledFilter::new(filter, store, offset);
    let skip = page.saturating_mul(page_size);
    let mut total = 0u64;
    let mut picked = Vec::new();
    if let Some(sort) = sort {
        let mut all: Vec<u32> = (0..store.calls.len() as u32)
            .filter(|&i| cf.matches(&store.calls[i as usize]))
            .collect();
        total = all.len() as u64;
        sort_calls(store, &mut all, sort);
        picked.extend(all.iter().skip(skip).take(page_size).map(|&i| i as usize));
    } else {
        for (i, c) in store.calls.iter().enumerate() {
            if cf.matches(c) {
                if total as usize >= skip && picked.len() < page_size {
                    picked.push(i);
                }
                total += 1;
            }
        }
    }
    let rows: Vec<RowRef> = picked.iter().map(|&i| row_ref(d, i)).collect();
    let mut views: Vec<CallView> = picked.iter().map(|&i| CallView::of(d, i, offset)).collect();
    fill_parties(d, &rows, &mut views, texts);
    ViewPage { total, rows, views }
}

/// At most this many calls are exported (a spreadsheet's row limit).
pub const MAX_EXPORT_CALLS: usize = 1_000_000;

/// Calls whose rows are read again at a time while exporting: memory stays bounded by this
/// many row texts whatever the export's size.
const EXPORT_BATCH: usize = 2048;

/// The columns of the calls CSV: the first thirteen as before caller, callee and Call-ID were
/// added (scripts reading them by position keep working), the new ones after them.
pub const CSV_COLUMNS: [&str; 17] = [
    "file",
    "line",
    "time",
    "egress_gateway",
    "ingress_gateway",
    "destination",
    "code",
    "code_label",
    "answered",
    "talk_s",
    "pdd_ms",
    "end_direction",
    "outcome",
    "caller",
    "callee",
    "call_id",
    "fee",
];

/// One CSV cell: formula injection neutralised, quoted when needed; numbers as they are
/// (`-9` is a VOS3000 end reason, not a formula).
fn csv_cell(v: &str) -> String {
    if !v.is_empty() && v.parse::<f64>().is_ok() {
        v.to_string()
    } else {
        crate::display::csv_cell(v)
    }
}

/// One CSV line, `\n`-terminated.
pub fn csv_row(cells: &[String]) -> String {
    let mut out = cells
        .iter()
        .map(|c| csv_cell(c))
        .collect::<Vec<_>>()
        .join(",");
    out.push('\n');
    out
}

/// The calls passing `filter` as CSV (at most [`MAX_EXPORT_CALLS`]), with caller, callee and
/// Call-ID read again from the rows `texts` gives, [`EXPORT_BATCH`] calls at a time.
pub fn calls_csv(
    d: &Dataset,
    filter: &Filter,
    opts: &SummaryOptions,
    texts: &mut RowTexts<'_>,
) -> String {
    let store = d.store();
    let offset = display_offset_ms(d, opts);
    let cf = CompiledFilter::new(filter, store, offset);
    let mut out = csv_row(&CSV_COLUMNS.map(String::from));
    let matching: Vec<usize> = store
        .calls
        .iter()
        .enumerate()
        .filter(|(_, c)| cf.matches(c))
        .map(|(i, _)| i)
        .take(MAX_EXPORT_CALLS)
        .collect();
    for batch in matching.chunks(EXPORT_BATCH) {
        let rows: Vec<RowRef> = batch.iter().map(|&i| row_ref(d, i)).collect();
        let mut views: Vec<CallView> = batch.iter().map(|&i| CallView::of(d, i, offset)).collect();
        fill_parties(d, &rows, &mut views, texts);
        for (&i, v) in batch.iter().zip(views) {
            let c = &store.calls[i];
            out.push_str(&csv_row(&[
                v.file,
                v.line.to_string(),
                v.time,
                v.egress,
                v.ingress,
                v.destination,
                v.code,
                v.code_label,
                if v.answered { "yes" } else { "no" }.to_string(),
                v.talk_s.to_string(),
                v.pdd_ms.map(|p| p.to_string()).unwrap_or_default(),
                c.end_direction()
                    .map(|e| e.as_str().to_string())
                    .unwrap_or_default(),
                // As the export always wrote it (`noanswer`), for scripts that read it.
                format!("{:?}", c.outcome()).to_lowercase(),
                v.caller,
                v.callee,
                v.call_id,
                v.fee.unwrap_or_default(),
            ]));
        }
    }
    out
}
