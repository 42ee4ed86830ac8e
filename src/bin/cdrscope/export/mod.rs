//! `cdrscope export`: every input read as `report` reads it, written as the normalized calls in
//! Parquet, partitioned by day (docs/normalized-calls.md).
//!
//! Threads: the reading thread (one per part of a large file with `--jobs`) turns calls into
//! rows and collects them per day into batches of [`ROWS_PER_GROUP`] rows; encoder threads
//! write each batch as a row group of a temporary file. Whether a row is a duplicate is known
//! only at the end (a later part of a file may repeat it), so each row's fingerprint and key
//! go to an external sort ([`spill`]); once every row is read, the duplicates are decided and
//! the temporary files are copied into the final ones, chunk by chunk, with the flags added.
//! Memory stays bounded by the batches in flight and the sort's runs, whatever the input size.

mod parquet_io;
mod spill;

use cdrscope::export::{
    day_name, duplicate_keys, Duplicate, Normalizer, Value, COLUMNS, SCHEMA_VERSION,
};
use cdrscope::formats::FormatOptions;
use cdrscope::ingest::plan::{Cuts, PartPolicy};
use cdrscope::ingest::{Dialect, IngestError, ReadPlan, Reader, Reject, RejectReason, Sink};
use cdrscope::inputs::{self, InputOptions, Out};
use cdrscope::numbers::NumberPlan;
use cdrscope::Call;
use parquet_io::{Batch, FileWriter, RejectWriter, RowFlags};
use serde_json::json;
use spill::{pack, unpack, Flags, Sorted, Sorter};
use std::collections::{HashMap, HashSet};
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::{Arc, Mutex};

/// Rows per row group: large enough for the engines' scans, small enough that the batches in
/// flight stay in tens of megabytes.
const ROWS_PER_GROUP: usize = 1 << 16;
/// Days with an unfinished batch at once: a file spanning more days flushes the oldest.
const OPEN_DAYS: usize = 8;
/// Temporary files an encoder keeps open.
const OPEN_FILES: usize = 32;
/// The partition of rows without any time (Hive's name for a null partition value).
pub const NULL_PARTITION: &str = "__HIVE_DEFAULT_PARTITION__";

/// What `cdrscope export` was asked.
pub struct ExportArgs {
    /// Inputs: files or folders.
    pub files: Vec<PathBuf>,
    /// The output folder.
    pub to: PathBuf,
    /// How to read the inputs.
    pub input: InputOptions,
    /// Minutes east of UTC of local times and days.
    pub tz_offset_min: i32,
    /// Reading threads for a large file (already resolved from 0).
    pub jobs: usize,
}

/// A file as the manifest describes it.
#[derive(Clone, Debug, Default)]
struct FileRecord {
    name: String,
    container: String,
    format: String,
    encoding: String,
    time_basis: String,
    header_rows: u64,
    data_rows: u64,
    accepted: u64,
    rejected: u64,
    calls: u64,
    error: Option<String>,
}

/// What every producer shares.
struct Shared {
    tmp: PathBuf,
    tx: SyncSender<Batch>,
    plan: NumberPlan,
    tz_offset_min: i32,
}

/// The sink side of a producer: rows into batches, fingerprints and keys into the sorters,
/// rejects into a temporary list.
struct Rows {
    normalizer: Normalizer,
    /// Where full batches go; dropped when the producer is done, so the encoders can end.
    tx: Option<SyncSender<Batch>>,
    file: u32,
    part: u8,
    row: u64,
    open: Vec<(Batch, u64)>,
    tick: u64,
    fingerprints: Sorter,
    keys: Sorter,
    rejects: BufWriter<std::fs::File>,
    calls: u64,
    rejected: u64,
    error: Option<String>,
    /// Rows read per (file, part), once the part is over.
    part_rows: Vec<((u32, u8), u64)>,
}

impl Rows {
    /// Ends the rows of the current file part: its batches are sent and its row count kept.
    fn close_part(&mut self) {
        self.flush();
        if self.row > 0 {
            self.part_rows.push(((self.file, self.part), self.row));
            self.row = 0;
        }
    }

    fn fail(&mut self, e: impl ToString) {
        if self.error.is_none() {
            self.error = Some(e.to_string());
        }
    }

    fn send(&mut self, batch: Batch) {
        if batch.rows == 0 {
            return;
        }
        let sent = self.tx.as_ref().is_some_and(|tx| tx.send(batch).is_ok());
        if !sent {
            self.fail("an encoder thread stopped");
        }
    }

    /// Sends every unfinished batch (a file or part ends: a batch never mixes two).
    fn flush(&mut self) {
        for (b, _) in std::mem::take(&mut self.open) {
            self.send(b);
        }
    }
}

impl Sink for Rows {
    fn call(&mut self, call: &Call<'_>) {
        let pos = pack(self.file, self.part, self.row);
        self.row += 1;
        self.calls += 1;
        let (fp, key) = duplicate_keys(call);
        // The report's table stores a fingerprint of 0 as 1.
        if let Err(e) = self.fingerprints.push(fp.max(1), pos) {
            self.fail(e);
        }
        if let Some(k) = key {
            if let Err(e) = self.keys.push(k, pos) {
                self.fail(e);
            }
        }
        self.tick += 1;
        let tick = self.tick;
        let row = self.normalizer.row(call, Duplicate::No);
        let day = row.local_day;
        let at = match self.open.iter().position(|(b, _)| b.day == day) {
            Some(i) => i,
            None => {
                if self.open.len() >= OPEN_DAYS {
                    let oldest = (0..self.open.len())
                        .min_by_key(|&i| self.open[i].1)
                        .unwrap_or(0);
                    let (b, _) = self.open.swap_remove(oldest);
                    let sent = self.tx.as_ref().is_some_and(|tx| tx.send(b).is_ok());
                    if !sent {
                        self.error
                            .get_or_insert_with(|| "an encoder thread stopped".into());
                    }
                }
                let b = Batch::new(day, row.source_file, row.format);
                self.open.push((b, tick));
                self.open.len() - 1
            }
        };
        let slot = &mut self.open[at];
        slot.0.push(&row, pos);
        slot.1 = tick;
        if slot.0.rows >= ROWS_PER_GROUP {
            let (b, _) = self.open.swap_remove(at);
            self.send(b);
        }
    }

    fn reject(&mut self, r: Reject) {
        self.rejected += 1;
        let line = json!({
            "pos": pack(self.file, self.part, 0),
            "file": self.normalizer.file(),
            "line": r.line,
            "kind": reason_kind(&r),
            "reason": r.reason.to_string(),
            "offset": r.offset,
            "len": r.len,
        });
        if let Err(e) = writeln!(self.rejects, "{line}") {
            self.fail(e);
        }
    }

    fn dialect(&mut self, d: &Dialect) {
        self.normalizer.set_format(d.detection.format, d.time_basis);
    }
}

/// The machine name of a reject's reason (its serde tag).
fn reason_kind(r: &Reject) -> String {
    serde_json::to_value(&r.reason)
        .ok()
        .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_string))
        .unwrap_or_else(|| "other".into())
}

/// One reading thread: a reader and its sink, and the files it read.
struct Producer {
    reader: Option<Reader>,
    rows: Rows,
    files: Vec<FileRecord>,
    /// The next file index (producers of parts read one given file).
    next_file: u32,
}

impl Producer {
    fn new(shared: &Shared, name: &str) -> Result<Self, String> {
        let rejects_path = shared.tmp.join(format!("{name}.rejects.jsonl"));
        let rejects = std::fs::File::create(&rejects_path)
            .map_err(|e| format!("{}: {e}", rejects_path.display()))?;
        Ok(Producer {
            reader: None,
            rows: Rows {
                normalizer: Normalizer::new(shared.plan.clone(), shared.tz_offset_min),
                tx: Some(shared.tx.clone()),
                file: 0,
                part: 0,
                row: 0,
                open: Vec::new(),
                tick: 0,
                fingerprints: Sorter::new(&shared.tmp, &format!("{name}.fp"), spill::RUN_RECORDS),
                keys: Sorter::new(&shared.tmp, &format!("{name}.key"), spill::RUN_RECORDS),
                rejects: BufWriter::new(rejects),
                calls: 0,
                rejected: 0,
                error: None,
                part_rows: Vec::new(),
            },
            files: Vec::new(),
            next_file: 0,
        })
    }

    /// Ends the current reader, if any, recording its counts.
    fn end_reader(&mut self) {
        if let Some(reader) = self.reader.take() {
            let c = reader.counts();
            if let Some(f) = self.files.last_mut() {
                f.header_rows += c.header;
                f.data_rows += c.data_rows;
                f.accepted += c.accepted;
                f.rejected += c.rejected;
            }
        }
        self.rows.flush();
        if let Some(f) = self.files.last_mut() {
            f.calls += std::mem::take(&mut self.rows.calls);
        }
    }

    fn note_dialect(&mut self) {
        let (Some(r), Some(f)) = (self.reader.as_ref(), self.files.last_mut()) else {
            return;
        };
        if let (true, Some(d)) = (f.format.is_empty(), r.dialect()) {
            f.format = d.detection.format.id().to_string();
            f.encoding = d.encoding.name().to_string();
            f.time_basis = match d.time_basis {
                cdrscope::call::TimeBasis::Utc => "utc".into(),
                cdrscope::call::TimeBasis::NaiveLocal => "naive_local".into(),
            };
        }
    }

    /// Starts a later part of file `file`, read from byte `start` with the plan of its first part.
    fn start_part(
        &mut self,
        name: &str,
        file: u32,
        part: u8,
        plan: &ReadPlan,
        basis: cdrscope::call::TimeBasis,
        start: u64,
    ) -> Result<(), String> {
        let reader = Reader::resume(plan, start).map_err(|e| format!("{name}: {e}"))?;
        self.rows.close_part();
        self.rows.normalizer.start_file(name);
        self.rows
            .normalizer
            .set_format(plan.detection.format, basis);
        self.rows.file = file;
        self.rows.part = part;
        self.files.push(FileRecord {
            name: name.to_string(),
            ..FileRecord::default()
        });
        self.reader = Some(reader);
        Ok(())
    }

    fn at_row_boundary(&self) -> bool {
        self.reader.as_ref().is_none_or(|r| r.at_row_boundary())
    }

    fn lines_read(&self) -> u64 {
        self.reader.as_ref().map_or(0, |r| r.lines_read())
    }
}

impl Out for Producer {
    fn start_file(&mut self, name: &str, _bytes: u64, options: FormatOptions) {
        self.end_reader();
        self.rows.close_part();
        self.rows.file = self.next_file;
        self.next_file += 1;
        self.rows.part = 0;
        self.rows.normalizer.start_file(name);
        self.files.push(FileRecord {
            name: name.to_string(),
            ..FileRecord::default()
        });
        self.reader = Some(Reader::new(options));
    }

    fn set_container(&mut self, container: &str) {
        if let Some(f) = self.files.last_mut() {
            f.container = container.to_string();
        }
    }

    fn push(&mut self, chunk: &[u8]) -> Result<(), IngestError> {
        let Some(reader) = self.reader.as_mut() else {
            return Err(IngestError {
                message: "no file is being read".into(),
            });
        };
        let r = reader.push(chunk, &mut self.rows);
        self.note_dialect();
        if let Err(e) = &r {
            // As the report's data set: the reader is dropped, the rows it gave stay.
            self.record_failure(&e.message);
        }
        r
    }

    fn finish_file(&mut self) -> Result<(), IngestError> {
        let Some(reader) = self.reader.as_mut() else {
            return Ok(());
        };
        let r = reader.finish(&mut self.rows);
        self.note_dialect();
        match &r {
            Ok(()) => self.end_reader(),
            Err(e) => self.record_failure(&e.message),
        }
        r
    }

    fn reject_row(&mut self, line: u64, offset: u64, reason: RejectReason) {
        // A row a container reader refused before it became text: a data row, rejected.
        if let Some(f) = self.files.last_mut() {
            f.data_rows += 1;
            f.rejected += 1;
        }
        self.rows.reject(Reject {
            line,
            offset,
            len: 0,
            reason,
        });
    }

    fn files(&self) -> usize {
        self.files.len()
    }

    fn fail_file(&mut self, message: &str) {
        if let Some(reader) = self.reader.as_mut() {
            // The rows already read stay, as in the report.
            if reader.finish(&mut self.rows).is_ok() {
                self.note_dialect();
            }
        }
        self.record_failure(message);
    }
}

impl Producer {
    /// Ends the current file with an error: recorded in the manifest and as a reject.
    fn record_failure(&mut self, message: &str) {
        self.end_reader();
        let name = self
            .files
            .last()
            .map_or("", |f| f.name.as_str())
            .to_string();
        if let Some(f) = self.files.last_mut() {
            f.error = Some(message.to_string());
        }
        // A file that could not be read is a reject too, so nothing is lost silently.
        let line = json!({
            "pos": pack(self.rows.file, self.rows.part, 0),
            "file": name,
            "line": null,
            "kind": "unreadable_file",
            "reason": message,
            "offset": null,
            "len": null,
        });
        if let Err(e) = writeln!(self.rows.rejects, "{line}") {
            self.rows.fail(e);
        }
    }
}

/// An encoder thread: writes each batch as a row group of its temporary file for the day.
fn encoder(
    id: usize,
    rx: Arc<Mutex<Receiver<Batch>>>,
    tmp: PathBuf,
) -> Result<Vec<(Option<i64>, PathBuf)>, String> {
    let mut open: Vec<(Option<i64>, FileWriter, PathBuf, u64)> = Vec::new();
    let mut done = Vec::new();
    let mut tick = 0u64;
    let mut made = 0usize;
    loop {
        // The lock is held only to take the next batch.
        let next = rx.lock().map_err(|_| "an encoder lock failed")?.recv();
        let Ok(batch) = next else { break };
        tick += 1;
        let at = match open.iter().position(|(d, ..)| *d == batch.day) {
            Some(i) => i,
            None => {
                if open.len() >= OPEN_FILES {
                    let oldest = (0..open.len()).min_by_key(|&i| open[i].3).unwrap_or(0);
                    let (d, w, p, _) = open.swap_remove(oldest);
                    w.close().map_err(parquet_io::perr)?;
                    done.push((d, p));
                }
                let path = tmp.join(format!("e{id}-{made}.parquet"));
                made += 1;
                open.push((
                    batch.day,
                    parquet_io::create(&path, &COLUMNS, true)?,
                    path,
                    tick,
                ));
                open.len() - 1
            }
        };
        open[at].3 = tick;
        batch.write(&mut open[at].1)?;
    }
    for (d, w, p, _) in open {
        w.close().map_err(parquet_io::perr)?;
        done.push((d, p));
    }
    Ok(done)
}

/// Runs `cdrscope export`.
pub fn run(args: ExportArgs) -> Result<(), String> {
    let started = std::time::Instant::now();
    let to = &args.to;
    if to.exists()
        && std::fs::read_dir(to)
            .map_err(|e| format!("{}: {e}", to.display()))?
            .next()
            .is_some()
    {
        return Err(format!(
            "{}: the folder is not empty (export into a new or empty folder)",
            to.display()
        ));
    }
    let tmp = to.join(format!(".cdrscope-tmp-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
    let r = export(&args, &tmp, started);
    // The temporary files go whatever happened; a failed export leaves no half data set.
    let _ = std::fs::remove_dir_all(&tmp);
    if r.is_err() {
        let _ = std::fs::remove_dir_all(to);
    }
    r
}

/// Which parts were dropped and the lines before each kept part.
#[derive(Default)]
struct Parts {
    dropped: HashSet<(u32, u8)>,
    lines_before: HashMap<(u32, u8), u64>,
}

struct Decided<'a> {
    parts: &'a Parts,
    flags: &'a Flags,
}

impl RowFlags for Decided<'_> {
    fn keep(&self, pos: u64) -> bool {
        let (f, p, _) = unpack(pos);
        !self.parts.dropped.contains(&(f, p))
    }
    fn lines_before(&self, pos: u64) -> u64 {
        let (f, p, _) = unpack(pos);
        self.parts.lines_before.get(&(f, p)).copied().unwrap_or(0)
    }
    fn duplicate(&self, pos: u64) -> (bool, bool) {
        (self.flags.repeated(pos), self.flags.earlier_file(pos))
    }
}

fn export(args: &ExportArgs, tmp: &Path, started: std::time::Instant) -> Result<(), String> {
    let encoders = args.jobs.max(1);
    let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(encoders);
    let rx = Arc::new(Mutex::new(rx));
    let shared = Shared {
        tmp: tmp.to_path_buf(),
        tx,
        plan: NumberPlan::from_settings(&args.input.format.numbers).unwrap_or_default(),
        tz_offset_min: args.tz_offset_min,
    };
    let handles: Vec<_> = (0..encoders)
        .map(|i| {
            let (rx, tmp) = (rx.clone(), tmp.to_path_buf());
            std::thread::spawn(move || encoder(i, rx, tmp))
        })
        .collect();
    let read = read_all(args, &shared);
    // Closing the last sender ends the encoders once they have written every batch.
    let Shared { tx, .. } = shared;
    drop(tx);
    let mut temp_files = Vec::new();
    let mut encode_error = None;
    for h in handles {
        match h.join() {
            Ok(Ok(files)) => temp_files.extend(files),
            Ok(Err(e)) => encode_error = Some(e),
            Err(_) => encode_error = Some("an encoder thread failed".into()),
        }
    }
    let (producers, parts) = read?;
    if let Some(e) = encode_error {
        return Err(e);
    }
    let read_s = started.elapsed().as_secs_f64();
    // For benchmarks: where the time goes, on stderr (as `report` does).
    let timing = std::env::var_os("CDRSCOPE_TIMING").is_some();
    let stage = |what: &str| {
        if timing {
            eprintln!(
                "timing: {what} done at {:.3} s",
                started.elapsed().as_secs_f64()
            );
        }
    };
    stage("reading and encoding");

    // Every row is read: decide the duplicates.
    let mut rows_per_part: HashMap<(u32, u8), u64> = HashMap::new();
    let mut fingerprints = Sorted::default();
    let mut keys = Sorted::default();
    let mut files: Vec<FileRecord> = Vec::new();
    let mut reject_lists = Vec::new();
    for p in producers {
        if let Some(e) = p.rows.error {
            return Err(e);
        }
        for (k, n) in p.part_rows {
            *rows_per_part.entry(k).or_default() += n;
        }
        fingerprints.extend(p.rows.fingerprints.finish());
        keys.extend(p.rows.keys.finish());
        files.extend(p.files);
        reject_lists.push(p.rejects_path);
    }
    let keep = |pos: u64| {
        let (f, p, _) = unpack(pos);
        !parts.dropped.contains(&(f, p))
    };
    let mut flags = Flags::new(rows_per_part.into_iter().collect());
    let io = |e: std::io::Error| format!("sorting duplicates: {e}");
    let repeated = flags.mark_repeats(fingerprints, &keep).map_err(io)?;
    let earlier = flags.mark_earlier_files(keys, &keep).map_err(io)?;
    stage("deciding duplicates");

    // The final files: one per temporary file, in its day's folder.
    let decided = Decided {
        parts: &parts,
        flags: &flags,
    };
    let mut per_day: HashMap<Option<i64>, usize> = HashMap::new();
    let mut jobs: Vec<(PathBuf, PathBuf)> = Vec::new();
    temp_files.sort();
    for (day, path) in temp_files {
        let folder = args.to.join(format!(
            "day={}",
            day.map_or(NULL_PARTITION.to_string(), day_name)
        ));
        std::fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
        let n = per_day.entry(day).or_default();
        jobs.push((path, folder.join(format!("part-{n}.parquet"))));
        *n += 1;
    }
    let written = finalize_all(&jobs, &decided, args.jobs.max(1))?;
    stage("final files");
    for (from, _) in &jobs {
        let _ = std::fs::remove_file(from);
    }
    // Day folders whose rows all belonged to a dropped part are left empty: remove them.
    for day in per_day.keys() {
        let folder = args.to.join(format!(
            "day={}",
            day.map_or(NULL_PARTITION.to_string(), day_name)
        ));
        let _ = std::fs::remove_dir(folder);
    }
    let rejects = write_rejects(&args.to.join("rejects.parquet"), &reject_lists, &decided)?;

    // Per-file duplicate counts for the manifest, and the totals.
    let total_calls: u64 = files.iter().map(|f| f.calls).sum();
    let manifest = json!({
        "schema_version": SCHEMA_VERSION,
        "cdrscope_version": env!("CARGO_PKG_VERSION"),
        "tz_offset_min": args.tz_offset_min,
        "partitioning": "day = the local day (tz_offset_min) of the call's end, else its start; __HIVE_DEFAULT_PARTITION__ when it has no time",
        "rows": written,
        "duplicates": { "repeated_row": repeated, "earlier_file": earlier },
        "rejects": rejects,
        "files": files.iter().map(|f| json!({
            "name": f.name,
            "container": f.container,
            "format": f.format,
            "encoding": f.encoding,
            "time_basis": f.time_basis,
            "header_rows": f.header_rows,
            "data_rows": f.data_rows,
            "accepted": f.accepted,
            "rejected": f.rejected,
            "calls": f.calls,
            "error": f.error,
        })).collect::<Vec<_>>(),
    });
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())? + "\n";
    std::fs::write(args.to.join("_cdrscope.json"), text)
        .map_err(|e| format!("{}: {e}", args.to.display()))?;
    if written != total_calls {
        return Err(format!(
            "wrote {written} rows of {total_calls} calls: the export is incomplete"
        ));
    }
    for f in &files {
        if let Some(e) = &f.error {
            eprintln!("cdrscope: warning: {}: {e}", f.name);
        }
    }
    eprintln!(
        "cdrscope: exported {written} calls ({} duplicates flagged) and {rejects} rejected rows from {} files into {} ({} days) in {:.2} s (read {:.2} s)",
        repeated + earlier,
        files.len(),
        args.to.display(),
        per_day.len(),
        started.elapsed().as_secs_f64(),
        read_s,
    );
    Ok(())
}

/// Copies the temporary files into the final ones on `threads` threads.
fn finalize_all(
    jobs: &[(PathBuf, PathBuf)],
    flags: &(dyn RowFlags + Sync),
    threads: usize,
) -> Result<u64, String> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Result<u64, String>> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..threads.min(jobs.len()).max(1))
            .map(|_| {
                s.spawn(|| {
                    let mut n = 0;
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((from, to)) = jobs.get(i) else {
                            return Ok(n);
                        };
                        n += parquet_io::finalize(from, to, flags)?;
                    }
                })
            })
            .collect();
        hs.into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("a writer thread failed".into()))
            })
            .collect()
    });
    results.into_iter().sum()
}

/// Writes `rejects.parquet` from the producers' temporary lists, in file order.
fn write_rejects(path: &Path, lists: &[PathBuf], flags: &dyn RowFlags) -> Result<u64, String> {
    use std::io::BufRead;
    let mut w = RejectWriter::create(path, ROWS_PER_GROUP)?;
    let mut n = 0;
    for list in lists {
        let f = std::fs::File::open(list).map_err(|e| format!("{}: {e}", list.display()))?;
        for line in std::io::BufReader::new(f).lines() {
            let line = line.map_err(|e| e.to_string())?;
            let v: serde_json::Value = serde_json::from_str(&line).map_err(|e| e.to_string())?;
            let pos = v["pos"].as_u64().unwrap_or(0);
            if !flags.keep(pos) {
                continue;
            }
            let int = |k: &str| v[k].as_i64().map_or(Value::Null, Value::Int);
            let line_no = v["line"].as_u64().map_or(Value::Null, |l| {
                Value::Int((l + flags.lines_before(pos)) as i64)
            });
            w.push(&[
                Value::Text(v["file"].as_str().unwrap_or("")),
                line_no,
                Value::Text(v["kind"].as_str().unwrap_or("other")),
                Value::Text(v["reason"].as_str().unwrap_or("")),
                int("offset"),
                int("len"),
            ])?;
            n += 1;
        }
    }
    w.close()?;
    Ok(n)
}

/// A finished producer with what the decision needs.
struct Done {
    rows: Rows,
    files: Vec<FileRecord>,
    part_rows: Vec<((u32, u8), u64)>,
    rejects_path: PathBuf,
}

/// Reads every input, in order; returns the finished producers and the parts.
fn read_all(args: &ExportArgs, shared: &Shared) -> Result<(Vec<Done>, Parts), String> {
    let mut main = Producer::new(shared, "main")?;
    let mut others: Vec<Done> = Vec::new();
    let mut parts = Parts::default();
    let several = args.files.len() > 1 || args.files.iter().any(|p| p.is_dir());
    for path in &args.files {
        let list = if path.is_dir() {
            let (files, skipped) = crate::cli::files_in(path)?;
            for s in skipped {
                // Not regular files, or folders that cannot be listed: said, not read.
                eprintln!("cdrscope: warning: {}: {}", s.path.display(), s.why);
            }
            files
        } else {
            vec![path.clone()]
        };
        for file in list {
            let r = read_input(
                &mut main,
                shared,
                &file,
                args,
                several,
                &mut others,
                &mut parts,
            );
            // As `report`: one unreadable file in a folder does not stop the others.
            if !path.is_dir() {
                r?;
            }
        }
    }
    main.end_reader();
    main.rows.close_part();
    main.rows.tx = None;
    let rejects_path = shared.tmp.join("main.rejects.jsonl");
    main.rows
        .rejects
        .flush()
        .map_err(|e| format!("{}: {e}", rejects_path.display()))?;
    let mut done = vec![Done {
        part_rows: std::mem::take(&mut main.rows.part_rows),
        files: main.files,
        rows: main.rows,
        rejects_path,
    }];
    done.extend(others);
    Ok((done, parts))
}

/// Reads one input into `main`; a large plain-text file is read in parallel parts when jobs > 1.
fn read_input(
    main: &mut Producer,
    shared: &Shared,
    path: &Path,
    args: &ExportArgs,
    several: bool,
    others: &mut Vec<Done>,
    parts: &mut Parts,
) -> Result<(), String> {
    let name = path.display().to_string();
    let io = |e: std::io::Error| format!("{name}: {}", crate::cli::io_reason(&e));
    let mut file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    // As `report`: parts bypass nothing here (duplicates are decided at the end), but several
    // inputs are read one after the other like the report reads them.
    // Parts as `report` cuts them ([`PartPolicy::CLI`]), at most 255 (a part's id is a byte).
    let policy = PartPolicy::CLI;
    let jobs = args.jobs.min(255);
    if !several && policy.parts(size, jobs, true) > 1 {
        let mut prefix = Vec::new();
        (&mut file)
            .take(inputs::PREFIX_BYTES as u64)
            .read_to_end(&mut prefix)
            .map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        let text = inputs::detect(&name, &prefix) == inputs::InputKind::Text;
        let n = policy.parts(size, jobs, text);
        if n > 1 {
            main.start_file(&name, size, args.input.format.clone());
            main.set_container(inputs::InputKind::Text.name());
            return read_parallel(main, shared, &name, &mut file, size, n, others, parts);
        }
    }
    let reader = std::io::BufReader::with_capacity(1 << 20, file);
    inputs::read_into_out(main, &name, reader, &args.input).map_err(|e| format!("{name}: {e}"))
}

/// Pushes bytes `from..to` of `file` into a producer.
fn push_range(
    p: &mut Producer,
    name: &str,
    file: &mut std::fs::File,
    from: u64,
    to: u64,
) -> Result<(), String> {
    file.seek(SeekFrom::Start(from))
        .map_err(|e| format!("{name}: {e}"))?;
    let mut buf = vec![0u8; 4 << 20];
    let mut left = to - from;
    while left > 0 {
        let want = buf.len().min(left as usize);
        let n = match file.read(&mut buf[..want]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("{name}: read error: {e}")),
        };
        p.push(&buf[..n]).map_err(|e| format!("{name}: {e}"))?;
        left -= n as u64;
    }
    Ok(())
}

/// Reads one file in `jobs` parts on as many threads, as `report --jobs` does: a part whose
/// predecessor ended inside a quoted field is read on sequentially and the later parts are
/// dropped (their rows never reach the final files).
#[allow(clippy::too_many_arguments)]
fn read_parallel(
    main: &mut Producer,
    shared: &Shared,
    name: &str,
    file: &mut std::fs::File,
    size: u64,
    jobs: usize,
    others: &mut Vec<Done>,
    parts: &mut Parts,
) -> Result<(), String> {
    let io = |e: std::io::Error| format!("{name}: {e}");
    let head = PartPolicy::CLI.head(size, jobs);
    push_range(main, name, file, 0, head)?;
    let file_idx = main.rows.file;
    let plan = main
        .reader
        .as_ref()
        .and_then(|r| Some((r.plan()?.clone(), r.dialect()?.time_basis)))
        .filter(|(p, _)| p.can_split());
    let Some((plan, basis)) = plan else {
        push_range(main, name, file, head, size)?;
        return main.finish_file().map_err(|e| format!("{name}: {e}"));
    };
    let cuts = Cuts::plan(size, head, jobs, |from, to| {
        crate::cli::read_range(file, from, to)
    })
    .map_err(io)?;
    let plan_cuts = cuts;
    let cuts = plan_cuts.points();
    let results = std::thread::scope(|scope| {
        let handles: Vec<_> = cuts[1..]
            .windows(2)
            .enumerate()
            .map(|(k, w)| {
                let (from, to, plan) = (w[0], w[1], plan.clone());
                let part = (k + 1) as u8;
                scope.spawn(move || -> Result<(Producer, bool, u64), String> {
                    let mut f = std::fs::File::open(name).map_err(|e| format!("{name}: {e}"))?;
                    let mut p = Producer::new(shared, &format!("f{file_idx}p{part}"))?;
                    p.start_part(name, file_idx, part, &plan, basis, from)?;
                    push_range(&mut p, name, &mut f, from, to)?;
                    let (at_boundary, lines) = (p.at_row_boundary(), p.lines_read());
                    Ok((p, at_boundary, lines))
                })
            })
            .collect();
        let head = push_range(main, name, file, cuts[0], cuts[1]);
        let done: Vec<_> = handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(format!("{name}: a reading thread failed")))
            })
            .collect();
        (head, done)
    });
    results.0?;
    let n_parts = results.1.len();
    let drop_from = |parts: &mut Parts, first: usize| {
        for k in first..=n_parts {
            parts.dropped.insert((file_idx, k as u8));
        }
    };
    let mut lines = main.lines_read();
    let mut finished: Vec<Producer> = Vec::new();
    if let Some(from) = plan_cuts.read_on_from(0, main.at_row_boundary()) {
        // A row spans the first cut: the first part reads on alone.
        push_range(main, name, file, from, size)?;
        drop_from(parts, 1);
        for p in results.1.into_iter().flatten() {
            finished.push(p.0);
        }
        let r = main.finish_file().map_err(|e| format!("{name}: {e}"));
        for p in finished {
            others.push(p.into_done(shared)?);
        }
        return r;
    }
    main.finish_file().map_err(|e| format!("{name}: {e}"))?;
    let mut stop = false;
    for (k, part) in results.1.into_iter().enumerate() {
        let (mut p, at_boundary, part_lines) = part?;
        let key = (file_idx, (k + 1) as u8);
        if stop {
            finished.push(p);
            continue;
        }
        parts.lines_before.insert(key, lines);
        if let Some(from) = plan_cuts.read_on_from(k + 1, at_boundary) {
            // The row at the cut continues: this part reads on to the end, the rest is dropped.
            push_range(&mut p, name, file, from, size)?;
            drop_from(parts, k + 2);
            stop = true;
        }
        p.finish_file().map_err(|e| format!("{name}: {e}"))?;
        lines += part_lines;
        // The part's counts are the file's: add them to the main record.
        if let (Some(f), Some(pf)) = (main.files.last_mut(), p.files.last()) {
            f.header_rows += pf.header_rows;
            f.data_rows += pf.data_rows;
            f.accepted += pf.accepted;
            f.rejected += pf.rejected;
            f.calls += pf.calls;
        }
        finished.push(p);
    }
    for p in finished {
        others.push(p.into_done(shared)?);
    }
    Ok(())
}

impl Producer {
    /// A finished part producer: its rows per part, without a file record of its own (its
    /// counts were added to the file's).
    fn into_done(mut self, shared: &Shared) -> Result<Done, String> {
        self.end_reader();
        self.rows.close_part();
        self.rows.tx = None;
        let key = (self.rows.file, self.rows.part);
        let part_rows = std::mem::take(&mut self.rows.part_rows);
        let rejects_path = shared
            .tmp
            .join(format!("f{}p{}.rejects.jsonl", key.0, key.1));
        self.rows
            .rejects
            .flush()
            .map_err(|e| format!("{}: {e}", rejects_path.display()))?;
        Ok(Done {
            rows: self.rows,
            files: Vec::new(),
            part_rows,
            rejects_path,
        })
    }
}
