//! Every export an operator has: plain CSV/text, `.gz`, `.zip` (of CSV, Excel, JSON or more
//! `.gz`), Excel `.xlsx`/`.xls` and VOS3000 `GetCdr` API JSON, read into one [`Dataset`].
//!
//! The container is told from the magic bytes first and the file name second ([`detect`]).
//! Whatever the container, the rows end up as a byte stream for the same streaming
//! [`crate::ingest::Reader`] a CSV goes through, so the summary, rejects and findings are the
//! same as for the CSV twin:
//! - text is pushed as it is read;
//! - `.gz` is decompressed chunk by chunk (several members, as `cat a.gz b.gz` makes, are read
//!   as one stream) and the inner file is dispatched again by name and magic;
//! - `.zip` is read entry by entry, each entry becoming its own file of the data set named
//!   `archive.zip/entry.csv`; only one entry is ever decompressed at a time;
//! - Excel and JSON rows are written as CSV text ([`csv_out`]) into the reader.
//!
//! Kinds that need random access (zip, xlsx, xls) are read from a seekable source; met inside
//! another container (an xlsx in a zip) their bytes are buffered, up to
//! [`InputOptions::max_buffered_bytes`].
//!
//! Row positions: a reject's line is the line of the decoded stream, which for `.gz` and zip
//! entries is the line of the inner file, for Excel the sheet's row number, and for JSON the
//! record's number plus one (line 1 being the column names). Byte offsets of calls are offsets
//! in that decoded stream, not in the file on disk: drill-down that re-reads raw bytes must
//! only do so for files whose [`crate::summary::FileInfo::container`] is `text`.
//!
//! Entry points:
//! - [`read_into`]: any `Read + Seek` (a file for the CLI, a `std::io::Cursor` over bytes, or a
//!   reader over a browser `Blob` in a worker); [`read_bytes_into`] is the in-memory shorthand;
//! - [`PushInput`]: the same, fed chunk by chunk (`start`, `push`…, `finish`), for the page's
//!   existing chunked upload: text and gzipped text stream, the other kinds are collected and
//!   read at the end.

pub mod cfb;
pub mod csv_out;
pub mod excel;
pub mod folder;
pub mod gzip;
pub mod json;
pub mod push;
pub mod row_text;
pub mod text_sample;
pub mod xls;
pub mod xlsx;
pub mod xml;
pub mod zip;

pub use push::PushInput;
pub use row_text::{row_bytes, RowSpan};

use crate::analysis::Dataset;
use crate::formats::FormatOptions;
use crate::reject::{IngestError, RejectReason};
use serde::{Deserialize, Serialize};
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::ops::Range;

/// How many leading bytes [`detect`] is given.
pub const PREFIX_BYTES: usize = 1024;
/// The size of the chunks pushed into the data set: at least the CLI's 1 MiB read buffer, so
/// a `BufReader` hands reads straight through instead of copying every byte once more.
const CHUNK: usize = 1 << 20;
/// Containers inside containers deeper than this are refused (zip bombs nest).
const MAX_DEPTH: u8 = 4;
/// The default for [`InputOptions::max_buffered_bytes`].
pub const DEFAULT_MAX_BUFFERED: u64 = 512 << 20;

/// The container kind of an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    /// Delimited text (CSV, TSV, pipe), handed to the reader as it is.
    Text,
    /// A gzip stream.
    Gzip,
    /// A zip archive of one or more files.
    Zip,
    /// An Excel 2007+ workbook.
    Xlsx,
    /// A legacy Excel 97–2003 workbook.
    Xls,
    /// VOS3000 `GetCdr` JSON: documents, concatenated documents or JSON lines.
    Json,
    /// A FreeSWITCH mod_xml_cdr document (one call).
    Xml,
}

impl InputKind {
    /// The short name used in [`crate::summary::FileInfo::container`].
    pub fn name(self) -> &'static str {
        match self {
            InputKind::Text => "text",
            InputKind::Gzip => "gzip",
            InputKind::Zip => "zip",
            InputKind::Xlsx => "xlsx",
            InputKind::Xls => "xls",
            InputKind::Json => "json",
            InputKind::Xml => "xml",
        }
    }
}

/// Tells the container kind from the first bytes (magic numbers win) and the file name.
pub fn detect(name: &str, prefix: &[u8]) -> InputKind {
    // The stream inside `x.json.gz` keeps the archive's name: look through the `.gz`.
    let lower = name.to_ascii_lowercase();
    let lower = lower
        .strip_suffix(".gz")
        .or_else(|| lower.strip_suffix(".gzip"))
        .unwrap_or(&lower);
    let ends = |exts: &[&str]| exts.iter().any(|e| lower.ends_with(e));
    if prefix.starts_with(b"\x1F\x8B") {
        return InputKind::Gzip;
    }
    if prefix.starts_with(b"PK\x03\x04") || prefix.starts_with(b"PK\x05\x06") {
        // An xlsx is a zip; the zip reader also recognises a workbook by its parts.
        return if ends(&[".xlsx", ".xlsm"]) {
            InputKind::Xlsx
        } else {
            InputKind::Zip
        };
    }
    if prefix.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return InputKind::Xls;
    }
    if crate::formats::freeswitch_xml::looks_like(prefix) {
        return InputKind::Xml;
    }
    let text = prefix.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(prefix);
    match text.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') | Some(b'[') if starts_as_json(text) => InputKind::Json,
        None if ends(&[".json", ".jsonl", ".ndjson"]) => InputKind::Json,
        _ => InputKind::Text,
    }
}

/// Whether a prefix starts with a JSON value: its first value parses, or the prefix ends
/// before the value does. A log whose lines begin `[2024-06-17 05:59:49]` starts with `[` but is
/// not JSON (a number followed by `-`), so it goes to the text reader.
fn starts_as_json(prefix: &[u8]) -> bool {
    let mut values =
        serde_json::Deserializer::from_slice(prefix).into_iter::<serde::de::IgnoredAny>();
    match values.next() {
        Some(Ok(_)) => true,
        Some(Err(e)) => e.is_eof(),
        None => false,
    }
}

/// What the user may impose on reading any input.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct InputOptions {
    /// The CDR format options every file is read with.
    pub format: FormatOptions,
    /// The Excel sheet to read: its name, or its 1-based position; the first sheet when unset.
    pub sheet: Option<String>,
    /// The most bytes held in memory for a zip, xlsx or xls found inside another container;
    /// [`DEFAULT_MAX_BUFFERED`] when unset.
    pub max_buffered_bytes: Option<u64>,
}

/// Reads one input of any supported kind into `dataset`.
///
/// `name` is the file name (its extension helps detection and names zip entries), `source`
/// any seekable byte source positioned at the start of the input. Returns the indices of the
/// data-set files it added (one, or one per zip entry). An entry of an archive that fails is
/// recorded with its error in [`Dataset::files`] and skipped; the call fails when the input,
/// or every entry of an archive, failed.
pub fn read_into<R: Read + Seek>(
    dataset: &mut Dataset,
    name: &str,
    source: R,
    options: &InputOptions,
) -> Result<Range<usize>, IngestError> {
    let first = dataset.files().len();
    // An archive's entries are marked once at the end, not after each entry.
    let deferred = dataset.defer_marks(true);
    let r = Ctx {
        out: &mut *dataset,
        options,
        depth: 0,
    }
    .seekable(name, "", source);
    dataset.defer_marks(deferred);
    if !deferred {
        dataset.seal();
    }
    r.map(|()| first..dataset.files().len())
}

/// Reads one input of any supported kind into any [`Out`] (see [`read_into`]): the same
/// containers, names and decoded streams as for a [`Dataset`].
pub fn read_into_out<R: Read + Seek>(
    out: &mut dyn Out,
    name: &str,
    source: R,
    options: &InputOptions,
) -> Result<(), IngestError> {
    Ctx {
        out,
        options,
        depth: 0,
    }
    .seekable(name, "", source)
}

/// Reads one in-memory input of any supported kind into `dataset` (see [`read_into`]).
///
/// ```
/// use cdrscope::analysis::{Dataset, Filter, SummaryOptions};
/// use cdrscope::inputs::{read_bytes_into, InputOptions};
///
/// let api = br#"{"retCode":0,"infoCdrs":[
///   {"flowNo":7,"callerE164":"0085212345678","calleeAccessE164":"8613800138000",
///    "calleeGateway":"GW_HK","start":1741536278136,"stop":1741536278136,
///    "holdTime":0,"endDirection":1,"endReason":503}]}"#;
/// let mut data = Dataset::new();
/// assert_eq!(read_bytes_into(&mut data, "GetCdr.json", api, &InputOptions::default()).unwrap(), 0..1);
/// let s = data.summary(&Filter::default(), &SummaryOptions::default());
/// assert_eq!((s.overall.attempts, s.files[0].container.as_str()), (1, "json"));
/// assert_eq!(s.by_code[0].code, "503");
/// ```
pub fn read_bytes_into(
    dataset: &mut Dataset,
    name: &str,
    bytes: &[u8],
    options: &InputOptions,
) -> Result<Range<usize>, IngestError> {
    read_into(dataset, name, Cursor::new(bytes), options)
}

/// The container chain of a file: `parent+kind`, or `parent` alone for text inside one.
fn chain(parent: &str, kind: InputKind) -> String {
    match (parent.is_empty(), kind) {
        (true, k) => k.name().to_string(),
        (false, InputKind::Text) => parent.to_string(),
        (false, k) => format!("{parent}+{}", k.name()),
    }
}

fn io_error(what: &str, e: &std::io::Error) -> IngestError {
    IngestError {
        message: format!("{what}: {e}"),
    }
}

/// Reads up to `PREFIX_BYTES` from `src`.
fn read_prefix(src: &mut dyn Read) -> Result<Vec<u8>, IngestError> {
    let mut prefix = Vec::with_capacity(PREFIX_BYTES);
    src.take(PREFIX_BYTES as u64)
        .read_to_end(&mut prefix)
        .map_err(|e| io_error("read error", &e))?;
    Ok(prefix)
}

/// A byte source that reads and seeks.
pub(crate) trait ReadSeek: Read + Seek {}

impl<T: Read + Seek + ?Sized> ReadSeek for T {}

/// Where the container readers write the files they find: the [`Dataset`], a capture of
/// chosen rows' bytes ([`row_text`]) that reads the same input again the same way, or the
/// CLI's Parquet export ([`read_into_out`]).
pub trait Out {
    /// Starts the next file.
    fn start_file(&mut self, name: &str, bytes: u64, options: FormatOptions);
    /// Names the current file's container chain.
    fn set_container(&mut self, container: &str);
    /// Feeds the next decoded chunk of the current file.
    fn push(&mut self, chunk: &[u8]) -> Result<(), IngestError>;
    /// Ends the current file.
    fn finish_file(&mut self) -> Result<(), IngestError>;
    /// Ends the current file with a file-level error.
    fn fail_file(&mut self, message: &str);
    /// Rejects a row a converter refused before it became text (see [`csv_out::CsvSink`]).
    fn reject_row(&mut self, line: u64, offset: u64, reason: RejectReason);
    /// How many files were started so far.
    fn files(&self) -> usize;
}

/// A converter's output into an [`Out`]: text is pushed, refused rows rejected.
struct OutSink<'o>(&'o mut dyn Out);

impl csv_out::CsvSink for OutSink<'_> {
    fn bytes(&mut self, chunk: &[u8]) -> Result<(), IngestError> {
        self.0.push(chunk)
    }
    fn reject(&mut self, line: u64, offset: u64, reason: RejectReason) {
        self.0.reject_row(line, offset, reason);
    }
}

impl Out for Dataset {
    fn start_file(&mut self, name: &str, bytes: u64, options: FormatOptions) {
        Dataset::start_file(self, name, bytes, options);
    }
    fn set_container(&mut self, container: &str) {
        Dataset::set_container(self, container);
    }
    fn push(&mut self, chunk: &[u8]) -> Result<(), IngestError> {
        Dataset::push(self, chunk)
    }
    fn finish_file(&mut self) -> Result<(), IngestError> {
        Dataset::finish_file(self)
    }
    fn fail_file(&mut self, message: &str) {
        Dataset::fail_file(self, message);
    }
    fn reject_row(&mut self, line: u64, offset: u64, reason: RejectReason) {
        Dataset::reject_row(self, line, offset, reason);
    }
    fn files(&self) -> usize {
        Dataset::files(self).len()
    }
}

/// Reading state shared by the container readers.
pub(crate) struct Ctx<'d> {
    out: &'d mut dyn Out,
    options: &'d InputOptions,
    depth: u8,
}

impl Ctx<'_> {
    /// Adds a file that could not be read at all, and returns its error.
    fn skip_file(
        &mut self,
        name: &str,
        container: &str,
        bytes: u64,
        message: String,
    ) -> IngestError {
        self.out
            .start_file(name, bytes, self.options.format.clone());
        self.out.set_container(container);
        self.out.fail_file(&message);
        IngestError { message }
    }

    /// Reads an input that allows seeking (a file, bytes in memory).
    fn seekable<R: Read + Seek>(
        &mut self,
        name: &str,
        parent: &str,
        mut src: R,
    ) -> Result<(), IngestError> {
        self.seekable_dyn(name, parent, &mut src)
    }

    /// [`Ctx::seekable`] behind one source type, so that the zip and workbook readers (large
    /// generic code) are compiled once whatever the caller reads from (a file, a buffer, the
    /// page's File reader).
    fn seekable_dyn(
        &mut self,
        name: &str,
        parent: &str,
        mut src: &mut dyn ReadSeek,
    ) -> Result<(), IngestError> {
        let start = src
            .stream_position()
            .map_err(|e| io_error("read error", &e))?;
        let size = src
            .seek(SeekFrom::End(0))
            .map_err(|e| io_error("read error", &e))?
            .saturating_sub(start);
        src.seek(SeekFrom::Start(start))
            .map_err(|e| io_error("read error", &e))?;
        let prefix = read_prefix(&mut src)?;
        src.seek(SeekFrom::Start(start))
            .map_err(|e| io_error("read error", &e))?;
        let kind = detect(name, &prefix);
        match kind {
            InputKind::Zip => {
                let container = chain(parent, kind);
                self.nested(name, &container, size, |ctx| {
                    zip::read(ctx, name, &container, src, size)
                })
            }
            InputKind::Xlsx | InputKind::Xls => {
                excel::read(self, name, &chain(parent, kind), src, size, kind)
            }
            _ => self.stream(name, parent, &mut src, size),
        }
    }

    /// Reads an input that can only be read forward (a zip entry, a decompressed stream).
    fn stream(
        &mut self,
        name: &str,
        parent: &str,
        src: &mut dyn Read,
        size: u64,
    ) -> Result<(), IngestError> {
        let prefix = match read_prefix(src) {
            Ok(p) => p,
            Err(e) => {
                let container = chain(parent, InputKind::Text);
                return Err(self.skip_file(name, &container, size, e.message));
            }
        };
        let kind = detect(name, &prefix);
        let container = chain(parent, kind);
        let mut whole = Cursor::new(prefix).chain(src);
        match kind {
            InputKind::Text => self.text(name, &container, &mut whole, size),
            InputKind::Json => json::read(self, name, &container, &mut whole, size),
            InputKind::Xml => {
                self.start_converted(name, &container, size);
                let mut sink = OutSink(&mut *self.out);
                let result = crate::formats::freeswitch_xml::read_document(&mut whole, &mut sink);
                self.end_converted(result)
            }
            InputKind::Gzip => self.nested(name, &container, size, |ctx| {
                gzip::read(ctx, name, &container, &mut whole, size)
            }),
            InputKind::Zip | InputKind::Xlsx | InputKind::Xls => {
                let limit = self
                    .options
                    .max_buffered_bytes
                    .unwrap_or(DEFAULT_MAX_BUFFERED);
                let mut bytes = Vec::new();
                let read = (&mut whole)
                    .take(limit.saturating_add(1))
                    .read_to_end(&mut bytes);
                if let Err(e) = read {
                    let message = format!("read error: {e}");
                    return Err(self.skip_file(name, &container, size, message));
                }
                if bytes.len() as u64 > limit {
                    let message = format!(
                        "this {} inside {parent} is larger than the {limit}-byte limit for archives and workbooks read from inside another container",
                        kind.name()
                    );
                    return Err(self.skip_file(name, &container, size, message));
                }
                self.seekable(name, parent, Cursor::new(bytes))
            }
        }
    }

    /// Runs a container reader one level deeper, refusing too deep nesting.
    fn nested(
        &mut self,
        name: &str,
        container: &str,
        size: u64,
        f: impl FnOnce(&mut Self) -> Result<(), IngestError>,
    ) -> Result<(), IngestError> {
        if self.depth >= MAX_DEPTH {
            let message = format!("containers are nested more than {MAX_DEPTH} deep");
            return Err(self.skip_file(name, container, size, message));
        }
        self.depth += 1;
        let r = f(self);
        self.depth -= 1;
        r
    }

    /// Pushes a text file through the reader as it is read.
    fn text(
        &mut self,
        name: &str,
        container: &str,
        src: &mut dyn Read,
        size: u64,
    ) -> Result<(), IngestError> {
        self.out.start_file(name, size, self.options.format.clone());
        self.out.set_container(container);
        // A small file gets a small buffer: a MiB zeroed for each of 65,000 small zip entries
        // was a sixth of their time.
        let want = usize::try_from(size).unwrap_or(CHUNK).saturating_add(1);
        let mut buf = vec![
            0u8;
            if size == 0 {
                CHUNK
            } else {
                want.clamp(64 << 10, CHUNK)
            }
        ];
        loop {
            let n = match src.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let err = io_error("read error", &e);
                    self.out.fail_file(&err.message);
                    return Err(err);
                }
            };
            // On error the data set has already recorded it against the file.
            self.out.push(&buf[..n])?;
        }
        self.out.finish_file()
    }

    /// Starts a file whose rows a converter (Excel, JSON) writes as CSV text.
    fn start_converted(&mut self, name: &str, container: &str, size: u64) {
        self.out.start_file(name, size, self.options.format.clone());
        self.out.set_container(container);
    }

    /// Ends a converted file: finished when `result` is Ok, failed with its error otherwise
    /// (the rows written before the error stay).
    fn end_converted(&mut self, result: Result<(), IngestError>) -> Result<(), IngestError> {
        match result {
            Ok(()) => self.out.finish_file(),
            Err(e) => {
                self.out.fail_file(&e.message);
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_magic_then_name() {
        assert_eq!(detect("a.csv", b"\x1F\x8B\x08\x00"), InputKind::Gzip);
        assert_eq!(detect("a.csv.gz", b"\x1F\x8B\x08\x00"), InputKind::Gzip);
        assert_eq!(detect("a.zip", b"PK\x03\x04\x14"), InputKind::Zip);
        assert_eq!(detect("a.XLSX", b"PK\x03\x04\x14"), InputKind::Xlsx);
        assert_eq!(detect("export", b"PK\x03\x04\x14"), InputKind::Zip);
        assert_eq!(
            detect("a.xls", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00"),
            InputKind::Xls
        );
        assert_eq!(
            detect("a.txt", b"\xEF\xBB\xBF \n {\"retCode\""),
            InputKind::Json
        );
        assert_eq!(detect("a.json", b"[{"), InputKind::Json);
        assert_eq!(detect("a.json", b""), InputKind::Json);
        assert_eq!(detect("a.json", b"flowno,starttime"), InputKind::Text);
        assert_eq!(detect("a.json.gz", b""), InputKind::Json);
        assert_eq!(detect("a.csv", b"callere164,calleee164"), InputKind::Text);
        assert_eq!(detect("a.xlsx", b"callere164"), InputKind::Text);
    }

    #[test]
    fn json_only_when_it_parses_at_its_start() {
        // A document cut by the end of the prefix is still JSON.
        assert_eq!(
            detect("a", b"{\"retCode\":0,\"infoCdrs\":[{\"flowNo\":7,\"cal"),
            InputKind::Json
        );
        assert_eq!(detect("a", b"[{\"a\":1}]\n[{\"a\":2}]"), InputKind::Json);
        assert_eq!(detect("a", b"{\"a\":1}\n{\"a\":2}\n"), InputKind::Json);
        assert_eq!(detect("a.log", b"  [\n  {\"a\": \"\xC3"), InputKind::Json);
        // Logs whose lines begin with `[` are text.
        for log in [
            &b"[2024-06-17 05:59:49] INFO call 288831 started\n"[..],
            b"[Jun 17 05:59:49] NOTICE[1234] chan_sip.c: Registration\n",
            b"[ERROR] no route\n",
            b"{retCode: 0}\n",
        ] {
            assert_eq!(
                detect("app.log", log),
                InputKind::Text,
                "{:?}",
                String::from_utf8_lossy(log)
            );
        }
    }

    #[test]
    fn chains_containers() {
        assert_eq!(chain("", InputKind::Text), "text");
        assert_eq!(chain("", InputKind::Gzip), "gzip");
        assert_eq!(chain("zip", InputKind::Text), "zip");
        assert_eq!(chain("zip", InputKind::Gzip), "zip+gzip");
        assert_eq!(chain("zip+gzip", InputKind::Json), "zip+gzip+json");
    }
}
