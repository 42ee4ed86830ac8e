//! Streaming reading: push bytes in chunks of any size, get calls and rejects out.
//!
//! The [`Reader`] first holds back a prefix of the file to decide the encoding, the delimiter
//! and the format, then parses rows with `csv-core` as bytes arrive. The result does not depend
//! on how the input is cut into chunks.
//!
//! Hostile input (issue 8): memory is bounded ([`MAX_ROW_BYTES`], [`MAX_FIELDS`]); a quote that
//! never closes costs one rejected line ([`RejectReason::UnclosedQuote`]) instead of the rest of
//! the file (see `Active::parse`); rows that are not UTF-8 in a UTF-8 file are tried as GB18030;
//! and every mapped call passes [`plausibility::check`].

pub mod encoding;
pub mod explain;
pub mod plan;
pub mod plausibility;
pub mod scan;
pub mod sniff;

pub use encoding::TextEncoding;
pub use plan::ReadPlan;
// Rows refused, their limits and the file-stopping error live in the leaf `crate::reject`, which
// the format mappers and input readers import without reaching back into the reader.
pub use crate::reject::{
    IngestError, Reject, RejectReason, MAX_FIELDS, MAX_RECORD_LINES, MAX_ROW_BYTES,
};

use crate::call::{Call, TimeBasis};
use crate::formats::preview::ColumnPreview;
use crate::formats::{self, Detection, FormatOptions, Mapped, Row, RowMapper};
use serde::Serialize;

/// How much of the file is held back to detect its encoding, dialect and format.
const SNIFF_BYTES: usize = 64 * 1024;
/// How many records of the prefix format detection looks at.
const SNIFF_RECORDS: usize = 40;
/// Receives what the reader produces.
pub trait Sink {
    /// Takes one accepted call; its text borrows the reader's buffers for this call only.
    fn call(&mut self, call: &Call<'_>);
    /// Takes one rejected row.
    fn reject(&mut self, reject: Reject);
    /// Takes a note on an accepted row: a value that looks damaged (e.g. a phone number Excel
    /// turned into `8.61E+12`); the row's call was or will be passed to [`Sink::call`] too.
    fn note(&mut self, _note: Reject) {}
    /// Takes what was detected about the file, once, before its first call or reject: a sink
    /// that writes every call (`cdrscope export`) needs the format and time basis per row.
    fn dialect(&mut self, _dialect: &Dialect) {}
}

/// What the reader found out about the file's text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Dialect {
    /// The text encoding.
    pub encoding: TextEncoding,
    /// The field delimiter byte, as a one-character string.
    pub delimiter: String,
    /// The format and why it was chosen.
    pub detection: Detection,
    /// How the file's times are to be read.
    pub time_basis: TimeBasis,
}

/// Row counts; `accepted + rejected` always equals `data_rows`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RowCounts {
    /// Header rows skipped, and lines that are no record such as a report's totals footer (not
    /// data).
    pub header: u64,
    /// Data rows seen.
    pub data_rows: u64,
    /// Rows accepted (as a call, or folded into one).
    pub accepted: u64,
    /// Rows rejected.
    pub rejected: u64,
    /// Notes on accepted rows (see [`Sink::note`]).
    pub flagged: u64,
}

/// The streaming CDR reader.
pub struct Reader {
    options: FormatOptions,
    sniff_bytes: usize,
    state: State,
    counts: RowCounts,
    /// What was detected, kept once the reader is finished.
    finished: Option<Dialect>,
    /// What another reader needs to read a later part of this file.
    plan: Option<ReadPlan>,
    /// The first rows and what the format read from them, for mapping columns by hand (kept
    /// even when no format fits: that is when it is needed most).
    preview: Option<ColumnPreview>,
    /// Blank-line bytes (`\r`, `\n`) at the start of the file (after a UTF-8 byte-order mark)
    /// and the line breaks among them: skipped while sniffing instead of filling the 64 KiB
    /// window (a file opening with 64 KiB of blank lines read as "no rows"), and counted so
    /// offsets and line numbers stay those of the file.
    lead: (u64, u64),
    /// Whether the file's first bytes are still being skipped as blank lines.
    lead_open: bool,
}

enum State {
    Sniffing(Vec<u8>),
    Reading(Box<Active>),
    Done,
}

impl Reader {
    /// Creates a reader; `options` may force a format or give a generic column mapping.
    pub fn new(options: FormatOptions) -> Self {
        Reader::with_sniff_bytes(options, SNIFF_BYTES)
    }

    /// Creates a reader that detects the file from its first `sniff_bytes` bytes (at least 1)
    /// instead of 64 KiB; tests and fuzzing use it to reach the streaming path with small files.
    pub fn with_sniff_bytes(options: FormatOptions, sniff_bytes: usize) -> Self {
        Reader {
            options,
            sniff_bytes: sniff_bytes.max(1),
            state: State::Sniffing(Vec::new()),
            counts: RowCounts::default(),
            finished: None,
            plan: None,
            preview: None,
            lead: (0, 0),
            lead_open: true,
        }
    }

    /// Creates a reader for the part of a file that starts at byte `start_offset` (a line
    /// start), for a file whose first part was read with the reader that gave `plan`.
    ///
    /// Row offsets are absolute; line numbers count from 1 at `start_offset` (the caller adds
    /// the lines before it when merging). The part has no header row and no byte-order mark.
    pub fn resume(plan: &ReadPlan, start_offset: u64) -> Result<Reader, IngestError> {
        if !plan.can_split() {
            return Err(IngestError::new("this file cannot be read in parts"));
        }
        let mapper = formats::build_mapper(&plan.detection, &plan.sample, &plan.options)
            .map_err(IngestError::new)?;
        let header = (plan.detection.header_rows > 0)
            .then(|| plan.sample.first().cloned())
            .flatten();
        let time_basis = mapper.time_basis();
        let mut active = Box::new(Active::new(
            Dialect {
                encoding: plan.encoding,
                delimiter: (plan.delimiter as char).to_string(),
                detection: plan.detection.clone(),
                time_basis,
            },
            plan.delimiter,
            primed_csv(plan.delimiter),
            header,
            plan.sample.first().map(Vec::len),
            mapper,
        ));
        active.header_left = 0;
        active.bom_left = 0;
        active.base_offset = start_offset;
        Ok(Reader {
            options: plan.options.clone(),
            sniff_bytes: SNIFF_BYTES,
            state: State::Reading(active),
            counts: RowCounts::default(),
            finished: None,
            plan: Some(plan.clone()),
            preview: None,
            lead: (0, 0),
            lead_open: false,
        })
    }

    /// The plan for reading later parts of this file, once the format is known.
    pub fn plan(&self) -> Option<&ReadPlan> {
        self.plan.as_ref()
    }

    /// Whether everything pushed so far ended at a row boundary (not inside a quoted field).
    pub fn at_row_boundary(&self) -> bool {
        match &self.state {
            State::Reading(a) => !a.in_record,
            _ => true,
        }
    }

    /// How many line breaks the reader has consumed (lines before the next part's start).
    pub fn lines_read(&self) -> u64 {
        match &self.state {
            State::Reading(a) => a.newlines,
            _ => 0,
        }
    }

    /// Feeds the next chunk of the file.
    pub fn push<S: Sink>(&mut self, bytes: &[u8], sink: &mut S) -> Result<(), IngestError> {
        if bytes.is_empty() {
            // csv-core takes empty input as the end of the file: it would close the open row.
            return Ok(());
        }
        match &mut self.state {
            State::Sniffing(prefix) => {
                let bytes = if self.lead_open {
                    let rest = skip_lead(prefix, bytes, &mut self.lead);
                    if rest.is_empty() {
                        return Ok(());
                    }
                    self.lead_open = false;
                    rest
                } else {
                    bytes
                };
                let take = (self.sniff_bytes.saturating_sub(prefix.len())).min(bytes.len());
                prefix.extend_from_slice(&bytes[..take]);
                if prefix.len() >= self.sniff_bytes {
                    self.start(false, sink)?;
                    self.push(&bytes[take..], sink)?;
                }
                Ok(())
            }
            State::Reading(active) => {
                active.feed_raw(bytes, false, &mut self.counts, sink);
                Ok(())
            }
            State::Done => Err(IngestError::new("the reader was already finished")),
        }
    }

    /// Signals the end of the file and flushes the last row.
    pub fn finish<S: Sink>(&mut self, sink: &mut S) -> Result<(), IngestError> {
        if let State::Sniffing(_) = self.state {
            self.start(true, sink)?;
        }
        if let State::Reading(active) = &mut self.state {
            active.feed_raw(&[], true, &mut self.counts, sink);
            active.mapper.finish(&mut |c| sink.call(c));
            self.finished = Some(active.dialect.clone());
        }
        self.state = State::Done;
        Ok(())
    }

    /// What was detected, once enough of the file has been seen.
    pub fn dialect(&self) -> Option<&Dialect> {
        match &self.state {
            State::Reading(a) => Some(&a.dialect),
            State::Done => self.finished.as_ref(),
            State::Sniffing(_) => None,
        }
    }

    /// The file's first rows and what the format read from which column, once seen.
    pub fn preview(&self) -> Option<&ColumnPreview> {
        self.preview.as_ref()
    }

    /// Row counts so far.
    pub fn counts(&self) -> RowCounts {
        self.counts
    }

    fn start<S: Sink>(&mut self, at_eof: bool, sink: &mut S) -> Result<(), IngestError> {
        let prefix = match std::mem::replace(&mut self.state, State::Done) {
            State::Sniffing(p) => p,
            other => {
                self.state = other;
                return Ok(());
            }
        };
        let without_bom = prefix.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&prefix);
        if without_bom.is_empty() && self.lead.0 > 0 {
            return Err(IngestError::new("the file has no rows"));
        }
        if prefix.is_empty() {
            return Err(IngestError::new("the file is empty"));
        }
        if let Some(kind) = binary_kind(&prefix) {
            return Err(IngestError::new(format!(
                "this is a {kind}, not a CSV/text CDR export"
            )));
        }
        let encoding = encoding::sniff_encoding(&prefix, at_eof);
        let text = decode_lossy(encoding, &prefix[encoding.bom_len()..]);
        if text.bytes().filter(|&b| b == 0).count() * 20 > text.len().max(1) {
            return Err(IngestError::new(
                "this is a binary file, not a CSV/text CDR export",
            ));
        }
        let delimiter = self
            .options
            .mapping
            .as_ref()
            .and_then(|m| m.delimiter_byte())
            .unwrap_or_else(|| sniff::sniff_delimiter(&text));
        let (sample, mut csv) = sample_records(&text, delimiter, !at_eof);
        // The sampling reader, restarted, reads the file: building a csv-core reader (its DFA)
        // was a third of the time of a zip of 65,000 small entries.
        restart_csv(&mut csv);
        if sample.is_empty() {
            return Err(IngestError::new("the file has no rows"));
        }
        let detection = formats::detect(&sample, &self.options);
        let mapper = match &detection {
            Ok(d) => formats::build_mapper(d, &sample, &self.options)
                .map_err(|e| explain::forced_format_error(e, &sample, &self.options)),
            Err(e) => Err(e.clone()),
        };
        self.preview = Some(ColumnPreview::of(
            &sample,
            detection.as_ref().ok(),
            mapper.as_ref().ok().and_then(|m| m.generic_mapping()),
        ));
        let detection = detection.map_err(|e| {
            // Unforced and unfit: say what the file looks like, when its shape tells.
            let free = self.options.format.is_none() && self.options.mapping.is_none();
            IngestError::new(
                free.then(|| explain::unrecognised_text(&text, &sample))
                    .flatten()
                    .unwrap_or(e),
            )
        })?;
        let mapper = mapper.map_err(IngestError::new)?;
        let header: Option<Vec<String>> = if detection.header_rows > 0 {
            sample.first().cloned()
        } else {
            None
        };
        let expected_fields = sample.first().map(Vec::len);
        let time_basis = mapper.time_basis();
        self.plan = Some(ReadPlan {
            options: self.options.clone(),
            encoding,
            delimiter,
            detection: detection.clone(),
            sample: sample.clone(),
            splittable: mapper.splittable(),
        });
        let mut active = Box::new(Active::new(
            Dialect {
                encoding,
                delimiter: (delimiter as char).to_string(),
                detection,
                time_basis,
            },
            delimiter,
            csv,
            header,
            expected_fields,
            mapper,
        ));
        sink.dialect(&active.dialect);
        if self.lead.0 > 0 {
            // The blank lines skipped while sniffing: the rows after them keep their offsets
            // and line numbers in the file.
            active.base_offset = encoding.bom_len() as u64 + self.lead.0;
            active.newlines = self.lead.1;
            active.record_line = self.lead.1 + 1;
        }
        // Never the end here, even at EOF: `finish` signals it once, and a UTF-16 decoder must
        // not be told twice.
        active.feed_raw(&prefix, false, &mut self.counts, sink);
        self.state = State::Reading(active);
        Ok(())
    }
}

/// Moves the start of a file into `prefix` while it is a UTF-8 byte-order mark, and skips the
/// blank-line bytes after it, counting them in `lead` (bytes, line breaks); returns the rest.
/// Byte by byte, so the outcome never depends on how the file is cut into chunks.
fn skip_lead<'b>(prefix: &mut Vec<u8>, bytes: &'b [u8], lead: &mut (u64, u64)) -> &'b [u8] {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if lead.0 == 0
            && prefix.len() < BOM.len()
            && BOM.starts_with(prefix)
            && b == BOM[prefix.len()]
        {
            prefix.push(b);
        } else if (prefix.is_empty() || prefix == BOM) && (b == b'\n' || b == b'\r') {
            lead.0 += 1;
            lead.1 += u64::from(b == b'\n');
        } else {
            break;
        }
        i += 1;
    }
    &bytes[i..]
}

/// Reads a whole in-memory file in one go (a convenience for tests and small inputs).
pub fn read_all<S: Sink>(
    bytes: &[u8],
    options: FormatOptions,
    sink: &mut S,
) -> Result<Reader, IngestError> {
    let mut r = Reader::new(options);
    r.push(bytes, sink)?;
    r.finish(sink)?;
    Ok(r)
}

/// Names a well-known binary file type from its magic bytes.
fn binary_kind(prefix: &[u8]) -> Option<&'static str> {
    const MAGIC: [(&[u8], &str); 8] = [
        (b"\x89PNG", "PNG image"),
        (b"PK\x03\x04", "ZIP archive (or XLSX workbook)"),
        (b"\x1F\x8B", "gzip archive"),
        (b"\xD0\xCF\x11\xE0", "legacy Excel/Office file"),
        (b"%PDF", "PDF document"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"GIF8", "GIF image"),
        (b"\x7FELF", "program binary"),
    ];
    MAGIC
        .iter()
        .find(|(m, _)| prefix.starts_with(m))
        .map(|(_, k)| *k)
}

fn decode_lossy(encoding: TextEncoding, bytes: &[u8]) -> String {
    let (text, _) = encoding.encoding_rs().decode_without_bom_handling(bytes);
    text.into_owned()
}

/// The first records of a text prefix (its delimiter sniffed), for guessing a column mapping;
/// the last record is dropped when `may_be_cut`.
pub fn sample_of_text(text: &str, may_be_cut: bool) -> Vec<Vec<String>> {
    sample_records(text, sniff::sniff_delimiter(text), may_be_cut).0
}

/// Parses the first records of the prefix; the last one is dropped when it may be cut.
fn sample_records(
    text: &str,
    delimiter: u8,
    may_be_cut: bool,
) -> (Vec<Vec<String>>, csv_core::Reader) {
    let mut rdr = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let mut input = text.as_bytes();
    let mut out = vec![0u8; text.len() + 1];
    let mut ends = vec![0usize; MAX_FIELDS];
    let mut records = Vec::new();
    // What csv-core wrote of the current record so far: a last record without a line break
    // comes back in two calls (the text, then the end of input), and its field ends count
    // from the start of the record across them.
    let (mut nout, mut nend) = (0, 0);
    loop {
        // Skip blank lines, as the main reader does.
        let skip = input
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        input = &input[skip..];
        let (res, nin, n_out, n_end) = rdr.read_record(input, &mut out[nout..], &mut ends[nend..]);
        (nout, nend) = (nout + n_out, nend + n_end);
        let consumed_all = nin == input.len();
        input = &input[nin..];
        match res {
            csv_core::ReadRecordResult::Record => {
                if consumed_all && may_be_cut {
                    break;
                }
                let mut fields = Vec::with_capacity(nend);
                let mut start = 0;
                for &e in &ends[..nend] {
                    fields.push(String::from_utf8_lossy(&out[start..e]).into_owned());
                    start = e;
                }
                (nout, nend) = (0, 0);
                records.push(fields);
                if records.len() >= SNIFF_RECORDS {
                    break;
                }
            }
            csv_core::ReadRecordResult::InputEmpty => {
                if input.is_empty() && may_be_cut {
                    break;
                }
            }
            csv_core::ReadRecordResult::End => break,
            _ => break,
        }
    }
    (records, rdr)
}

/// Where the current row's fields are.
enum RowSource<'a> {
    /// In csv-core's output buffer.
    Parsed,
    /// In a raw line without quotes, with the end of each field and whether it is all ASCII.
    Line(&'a [u8], &'a [usize], bool),
}

/// Where the working stream stands: bytes, UTF-16 units and line breaks consumed.
#[derive(Clone, Copy, Debug, Default)]
struct Position {
    consumed: u64,
    utf16_units: u64,
    newlines: u64,
}

/// What parsing one piece of the working stream ended with.
enum Parsed {
    /// The piece was consumed.
    Done,
    /// A record turned out to open a quote that never closes: its first line was rejected, the
    /// rest of the record is in `queue`, and the piece must be read again from this index.
    Replay(usize),
}

/// The reader's state once the dialect is known.
struct Active {
    /// Where in the file this reader's part starts (0 for a whole file).
    base_offset: u64,
    delimiter: u8,
    fast_ends: Vec<usize>,
    dialect: Dialect,
    header: Option<Vec<String>>,
    header_left: usize,
    mapper: Box<dyn RowMapper>,
    csv: csv_core::Reader,
    /// UTF-16 input is transcoded to UTF-8 first.
    transcoder: Option<encoding_rs::Decoder>,
    /// Whether the input is UTF-16 (the transcoder is taken out while it runs, so offsets
    /// cannot ask it).
    utf16: bool,
    transcoded: Vec<u8>,
    bom_left: usize,
    /// Bytes of the working (ASCII-compatible) stream consumed so far.
    consumed: u64,
    /// UTF-16 code units consumed so far (UTF-16 input only).
    utf16_units: u64,
    newlines: u64,
    in_record: bool,
    record_offset: u64,
    record_line: u64,
    out: Vec<u8>,
    nout: usize,
    ends: Vec<usize>,
    nend: usize,
    too_long: bool,
    too_many: bool,
    /// Line-terminator bytes at the end of what the current record consumed so far.
    terminator: u64,
    text: String,
    text_ends: Vec<usize>,
    /// Fields of the header (or of the first record when there is none): a record spanning
    /// several lines with another field count is taken as an unclosed quote.
    expected_fields: Option<usize>,
    /// Line breaks inside the current record so far (newlines within a quoted field).
    rec_breaks: u32,
    /// The current record's bytes after its first line break, kept (up to
    /// [`MAX_ROW_BYTES`]) so they can be read again as rows of their own.
    replay: Vec<u8>,
    /// The stream position just after the current record's first line break.
    after_first_break: Position,
    /// Length in the original file of the current record's first line.
    first_line_len: u32,
    /// Bytes to read before any further input: the lines after an unclosed quote.
    queue: Vec<u8>,
}

/// A csv-core reader that has already read once.
///
/// csv-core strips a UTF-8 BOM on its very first read only, and only when the first slice holds
/// all three bytes; a reader restarted in the middle of a file must not do that, or the result
/// would depend on where a chunk happens to begin. The file's own BOM is removed before parsing.
/// (Readers are reset, never cloned: csv-core 0.1.13's `Clone` loses part of the DFA.)
fn primed_csv(delimiter: u8) -> csv_core::Reader {
    let mut csv = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    restart_csv(&mut csv);
    csv
}

/// Puts a csv-core reader back in its start state, marked as used (see [`primed_csv`]);
/// cheaper than building a new one, which builds its DFA again.
fn restart_csv(csv: &mut csv_core::Reader) {
    csv.reset();
    let (mut out, mut ends) = ([0u8; 4], [0usize; 4]);
    let _ = csv.read_record(b"\n", &mut out, &mut ends);
}

impl Active {
    fn new(
        dialect: Dialect,
        delimiter: u8,
        csv: csv_core::Reader,
        header: Option<Vec<String>>,
        expected_fields: Option<usize>,
        mapper: Box<dyn RowMapper>,
    ) -> Self {
        let encoding = dialect.encoding;
        let header_left = dialect.detection.header_rows;
        Active {
            base_offset: 0,
            delimiter,
            fast_ends: Vec::with_capacity(64),
            utf16: !encoding.is_ascii_compatible(),
            transcoder: (!encoding.is_ascii_compatible())
                .then(|| encoding.encoding_rs().new_decoder_without_bom_handling()),
            bom_left: encoding.bom_len(),
            dialect,
            header,
            header_left,
            mapper,
            csv,
            transcoded: Vec::new(),
            consumed: 0,
            utf16_units: 0,
            newlines: 0,
            in_record: false,
            record_offset: 0,
            record_line: 1,
            out: vec![0; 4096],
            nout: 0,
            ends: vec![0; 64],
            nend: 0,
            too_long: false,
            too_many: false,
            terminator: 0,
            text: String::new(),
            text_ends: Vec::new(),
            expected_fields,
            rec_breaks: 0,
            replay: Vec::new(),
            after_first_break: Position::default(),
            first_line_len: 0,
            queue: Vec::new(),
        }
    }

    /// Offset in the original file of a position in the working stream.
    fn original_offset(&self, working_pos: u64, units: u64) -> u64 {
        if self.utf16 {
            self.dialect.encoding.bom_len() as u64 + 2 * units
        } else if self.base_offset > 0 {
            self.base_offset + working_pos
        } else {
            self.dialect.encoding.bom_len() as u64 + working_pos
        }
    }

    fn feed_raw<S: Sink>(
        &mut self,
        mut bytes: &[u8],
        eof: bool,
        counts: &mut RowCounts,
        sink: &mut S,
    ) {
        if self.bom_left > 0 {
            let n = self.bom_left.min(bytes.len());
            bytes = &bytes[n..];
            self.bom_left -= n;
        }
        match self.transcoder.take() {
            None => self.feed_working(bytes, eof, counts, sink),
            Some(mut dec) => {
                let mut buf = std::mem::take(&mut self.transcoded);
                loop {
                    buf.clear();
                    buf.reserve(
                        dec.max_utf8_buffer_length(bytes.len())
                            .unwrap_or(bytes.len() * 3)
                            .min(1 << 22)
                            + 16,
                    );
                    let cap = buf.capacity();
                    buf.resize(cap, 0);
                    let (_, read, written, _) = dec.decode_to_utf8(bytes, &mut buf, eof);
                    buf.truncate(written);
                    bytes = &bytes[read..];
                    let last = bytes.is_empty();
                    self.feed_working(&buf, eof && last, counts, sink);
                    if last {
                        break;
                    }
                }
                self.transcoded = buf;
                self.transcoder = Some(dec);
            }
        }
    }

    fn position(&self) -> Position {
        Position {
            consumed: self.consumed,
            utf16_units: self.utf16_units,
            newlines: self.newlines,
        }
    }

    fn advance(&mut self, consumed: &[u8]) {
        self.consumed += consumed.len() as u64;
        self.newlines += memchr::memchr_iter(b'\n', consumed).count() as u64;
        if self.utf16 {
            let units = consumed.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
                + consumed.iter().filter(|&&b| b >= 0xF0).count();
            self.utf16_units += units as u64;
        }
    }

    /// Parses working-stream bytes, first any lines queued for a second reading.
    fn feed_working<S: Sink>(
        &mut self,
        mut input: &[u8],
        eof: bool,
        counts: &mut RowCounts,
        sink: &mut S,
    ) {
        // A loop, not recursion: a file of unclosed quotes must not grow the stack.
        loop {
            if !self.queue.is_empty() {
                let queue = std::mem::take(&mut self.queue);
                if let Parsed::Replay(at) = self.parse(&queue, false, counts, sink) {
                    self.queue.extend_from_slice(&queue[at..]);
                }
                continue;
            }
            match self.parse(input, eof, counts, sink) {
                Parsed::Done => return,
                Parsed::Replay(at) => input = &input[at..],
            }
        }
    }

    /// Parses a piece of the working stream line by line.
    ///
    /// Input is handed to csv-core one line (up to and including `\r` or `\n`) at a time, so
    /// the reader knows when a record runs on past a line break (a quoted newline) and can keep
    /// the bytes after it. A record whose quote never closes is caught when it spans more than
    /// [`MAX_RECORD_LINES`] lines or [`MAX_ROW_BYTES`] bytes, when it ends with a field count
    /// other than the header's, or when the file ends inside the quote. Each test depends only
    /// on the record's bytes, so the result is the same for any chunking.
    fn parse<S: Sink>(
        &mut self,
        mut input: &[u8],
        eof: bool,
        counts: &mut RowCounts,
        sink: &mut S,
    ) -> Parsed {
        let total = input.len();
        loop {
            if !self.in_record {
                let skip = input
                    .iter()
                    .take_while(|&&b| b == b'\r' || b == b'\n')
                    .count();
                let (skipped, rest) = input.split_at(skip);
                self.advance(skipped);
                input = rest;
                if input.is_empty() {
                    if eof {
                        // Let csv-core see the end once so it is in its final state.
                        let _ = self.csv.read_record(&[], &mut self.out, &mut self.ends);
                    }
                    return Parsed::Done;
                }
                self.in_record = true;
                self.terminator = 0;
                self.record_offset = self.original_offset(self.consumed, self.utf16_units);
                self.record_line = self.newlines + 1;
                self.nout = 0;
                self.nend = 0;
                self.too_long = false;
                self.too_many = false;
                self.rec_breaks = 0;
                self.replay.clear();
                // Plain lines (no quote, no stray CR) never span lines: the fast scanner.
                if let Some(rest) = self.fast_line(input, counts, sink) {
                    input = rest;
                    continue;
                }
            }
            let ended = if input.is_empty() {
                if !eof {
                    return Parsed::Done;
                }
                if !self.end_at_eof() {
                    // The file ends inside a quoted field.
                    if self.rec_breaks > 0 {
                        return self.unclosed(counts, sink, total);
                    }
                    restart_csv(&mut self.csv);
                    self.in_record = false;
                    let (line, offset, len) = self.record_span();
                    self.reject_row(line, offset, len, RejectReason::UnclosedQuote, counts, sink);
                    continue;
                }
                true
            } else {
                let seg_len = match memchr::memchr2(b'\n', b'\r', input) {
                    Some(i) => i + 1,
                    None => input.len(),
                };
                if self.rec_breaks > 0 && self.replay.len() + seg_len > MAX_ROW_BYTES {
                    return self.unclosed(counts, sink, total - input.len());
                }
                let seg = &input[..seg_len];
                let (ended, left) = self.feed_segment(seg);
                input = &input[seg_len - left..];
                if !ended && left == 0 && seg.last() == Some(&b'\n') {
                    // The newline did not end the record: it is inside a quoted field.
                    self.rec_breaks += 1;
                    if self.rec_breaks == 1 {
                        self.after_first_break = self.position();
                        // Without the line break, as row lengths are.
                        let here = self.original_offset(
                            self.consumed - self.terminator,
                            self.utf16_units.saturating_sub(self.terminator),
                        );
                        self.first_line_len =
                            u32::try_from(here.saturating_sub(self.record_offset))
                                .unwrap_or(u32::MAX);
                    }
                    if self.rec_breaks > MAX_RECORD_LINES {
                        return self.unclosed(counts, sink, total - input.len());
                    }
                }
                ended
            };
            if ended {
                self.in_record = false;
                if self.rec_breaks > 0 && self.looks_unclosed() {
                    return self.unclosed(counts, sink, total - input.len());
                }
                self.emit_row(RowSource::Parsed, counts, sink);
            }
        }
    }

    /// Feeds one line (or the part of it at hand) to csv-core; says whether the record ended
    /// and how many bytes of `seg` were left unread.
    fn feed_segment(&mut self, mut seg: &[u8]) -> (bool, usize) {
        use csv_core::ReadRecordResult as R;
        loop {
            let (res, nin, nout, nend) =
                self.csv
                    .read_record(seg, &mut self.out[self.nout..], &mut self.ends[self.nend..]);
            let (used, rest) = seg.split_at(nin);
            self.advance(used);
            if self.rec_breaks > 0 {
                self.replay.extend_from_slice(used);
            }
            // Trailing CR/LF of a record is always its terminator (a quoted newline is
            // followed by a quote); count it across calls so `len` excludes it.
            let trailing = used
                .iter()
                .rev()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count() as u64;
            self.terminator = if trailing == used.len() as u64 {
                self.terminator + trailing
            } else {
                trailing
            };
            seg = rest;
            // csv-core's field ends count from the start of the record, across calls.
            self.nout += nout;
            self.nend += nend;
            match res {
                R::InputEmpty => {
                    if seg.is_empty() {
                        return (false, 0);
                    }
                }
                R::OutputFull => self.grow_out(),
                R::OutputEndsFull => self.grow_ends(),
                R::Record | R::End => return (true, seg.len()),
            }
        }
    }

    /// Whether a record that spans lines is really a stray quote that swallowed other rows: it
    /// was too long or too wide, its field count is not the header's, or its multi-line field
    /// holds as many delimiters as a whole row (the rows it swallowed).
    fn looks_unclosed(&self) -> bool {
        if self.too_long || self.too_many {
            return true;
        }
        let Some(expected) = self.expected_fields else {
            return false;
        };
        if expected != self.nend {
            return true;
        }
        let mut start = 0;
        let mut delimiters = 0;
        for &end in &self.ends[..self.nend] {
            let field = self.out.get(start..end).unwrap_or(&[]);
            if memchr::memchr(b'\n', field).is_some() {
                delimiters += memchr::memchr_iter(self.delimiter, field).count();
            }
            start = end;
        }
        delimiters + 1 >= expected
    }

    /// Ends the current record at the end of the file; false when the file ends inside a
    /// quoted field.
    ///
    /// csv-core would close an open quote silently at the end of input, so the record is ended
    /// with a newline instead: outside quotes that ends it exactly as the end of input would;
    /// inside quotes it does not, which is how an unclosed quote is told apart. The newline is
    /// not part of the file, so it is not counted in the stream position.
    fn end_at_eof(&mut self) -> bool {
        use csv_core::ReadRecordResult as R;
        loop {
            let (res, _, nout, nend) = self.csv.read_record(
                b"\n",
                &mut self.out[self.nout..],
                &mut self.ends[self.nend..],
            );
            self.nout += nout;
            self.nend += nend;
            match res {
                R::Record => return true,
                R::OutputFull => self.grow_out(),
                R::OutputEndsFull => self.grow_ends(),
                R::InputEmpty | R::End => return false,
            }
        }
    }

    /// Makes room for more row bytes, or drops the row's bytes once it is too long.
    fn grow_out(&mut self) {
        if self.out.len() >= MAX_ROW_BYTES {
            // Keep parsing to find the row's end, but drop its bytes.
            self.too_long = true;
            self.nout = 0;
            self.nend = 0;
        } else {
            let n = (self.out.len() * 2).min(MAX_ROW_BYTES);
            self.out.resize(n, 0);
        }
    }

    /// Makes room for more field ends, or drops the row's fields once it has too many.
    fn grow_ends(&mut self) {
        if self.ends.len() >= MAX_FIELDS {
            self.too_many = true;
            self.nout = 0;
            self.nend = 0;
        } else {
            let n = (self.ends.len() * 2).min(MAX_FIELDS);
            self.ends.resize(n, 0);
        }
    }

    /// Rejects the current record's first line as an unclosed quote and queues the bytes after
    /// that line to be read again as rows of their own.
    fn unclosed<S: Sink>(&mut self, counts: &mut RowCounts, sink: &mut S, at: usize) -> Parsed {
        let (line, offset, len) = (self.record_line, self.record_offset, self.first_line_len);
        self.in_record = false;
        restart_csv(&mut self.csv);
        let p = self.after_first_break;
        self.consumed = p.consumed;
        self.utf16_units = p.utf16_units;
        self.newlines = p.newlines;
        self.queue = std::mem::take(&mut self.replay);
        self.reject_row(line, offset, len, RejectReason::UnclosedQuote, counts, sink);
        Parsed::Replay(at)
    }

    /// Line, offset and length of the record that just ended.
    fn record_span(&self) -> (u64, u64, u32) {
        // Terminator bytes are ASCII: one working byte and one UTF-16 unit each.
        let end = self.original_offset(
            self.consumed - self.terminator,
            self.utf16_units.saturating_sub(self.terminator),
        );
        let len = u32::try_from(end.saturating_sub(self.record_offset)).unwrap_or(u32::MAX);
        (self.record_line, self.record_offset, len)
    }

    /// Counts and reports a rejected row (or skips it when the header is not read yet).
    fn reject_row<S: Sink>(
        &mut self,
        line: u64,
        offset: u64,
        len: u32,
        reason: RejectReason,
        counts: &mut RowCounts,
        sink: &mut S,
    ) {
        if self.header_left > 0 {
            self.header_left -= 1;
            counts.header += 1;
            return;
        }
        counts.data_rows += 1;
        counts.rejected += 1;
        sink.reject(Reject {
            line,
            offset,
            len,
            reason,
        });
    }

    /// Reads a whole line without quotes or stray CRs directly, without csv-core: the common
    /// case, and several times faster. Returns the input after the line, or `None` to let
    /// csv-core read the record (quotes, a line cut by the chunk end, UTF-16 input).
    fn fast_line<'i, S: Sink>(
        &mut self,
        input: &'i [u8],
        counts: &mut RowCounts,
        sink: &mut S,
    ) -> Option<&'i [u8]> {
        if self.utf16 {
            return None;
        }
        let mut ends = std::mem::take(&mut self.fast_ends);
        ends.clear();
        let (nl, ascii) = match scan::scan_line(input, self.delimiter, &mut ends) {
            scan::LineScan::Plain(nl, ascii) => (nl, ascii),
            _ => {
                self.fast_ends = ends;
                return None;
            }
        };
        let line = &input[..nl];
        let body = line.strip_suffix(b"\r").unwrap_or(line);
        ends.push(body.len());
        // The same limits as the csv-core path, counted the same way (field bytes only).
        self.too_many = ends.len() > MAX_FIELDS;
        self.too_long = body.len() - (ends.len() - 1) > MAX_ROW_BYTES;
        self.consumed += (nl + 1) as u64;
        self.newlines += 1;
        self.terminator = (nl + 1 - body.len()) as u64;
        self.in_record = false;
        self.emit_row(RowSource::Line(body, &ends, ascii), counts, sink);
        self.fast_ends = ends;
        Some(&input[nl + 1..])
    }

    fn emit_row<S: Sink>(&mut self, source: RowSource<'_>, counts: &mut RowCounts, sink: &mut S) {
        let (line, offset, len) = self.record_span();
        if self.header_left > 0 {
            self.header_left -= 1;
            counts.header += 1;
            return;
        }
        counts.data_rows += 1;
        let reject = |reason| Reject {
            line,
            offset,
            len,
            reason,
        };
        if self.too_long {
            counts.rejected += 1;
            sink.reject(reject(RejectReason::TooLong {
                limit: MAX_ROW_BYTES,
            }));
            return;
        }
        if self.too_many {
            counts.rejected += 1;
            sink.reject(reject(RejectReason::TooManyFields { limit: MAX_FIELDS }));
            return;
        }
        let row = match source {
            RowSource::Parsed => row_text(
                self.dialect.encoding,
                &self.out[..self.nout],
                &self.ends[..self.nend],
                0,
                false,
                &mut self.text,
                &mut self.text_ends,
            ),
            RowSource::Line(body, ends, ascii) => row_text(
                self.dialect.encoding,
                body,
                ends,
                1,
                ascii,
                &mut self.text,
                &mut self.text_ends,
            ),
        }
        .with_position(line, offset, len);
        if let Some(h) = &self.header {
            if row.len() == h.len()
                && row.get(0) == h[0]
                && (0..h.len()).all(|i| row.get(i) == h[i])
            {
                counts.rejected += 1;
                sink.reject(reject(RejectReason::RepeatedHeader));
                return;
            }
        }
        match self.mapper.map(&row) {
            Ok(Mapped::Call(mut call)) => {
                call.line = line;
                call.offset = offset;
                call.len = len;
                match plausibility::check(&call) {
                    Ok(notes) => {
                        counts.accepted += 1;
                        for note in notes {
                            counts.flagged += 1;
                            sink.note(reject(note));
                        }
                        sink.call(&call);
                    }
                    Err(reason) => {
                        counts.rejected += 1;
                        sink.reject(reject(reason));
                    }
                }
            }
            Ok(Mapped::Folded) => counts.accepted += 1,
            Ok(Mapped::NotData) => {
                counts.data_rows -= 1;
                counts.header += 1;
            }
            Err(reason) => {
                counts.rejected += 1;
                sink.reject(reject(reason));
            }
        }
        self.mapper.drain(&mut |c| sink.call(c));
    }
}

/// A record as text: borrowed when it is valid UTF-8, decoded field by field otherwise (GB18030,
/// or UTF-8 with invalid bytes, which become U+FFFD). CSV structure is ASCII in both.
///
/// `ascii` says the scanner saw only ASCII bytes in `bytes` (a raw line, `sep == 1`), which is
/// the same text in every ASCII-compatible encoding.
fn row_text<'a>(
    encoding: TextEncoding,
    bytes: &'a [u8],
    ends: &'a [usize],
    sep: usize,
    ascii: bool,
    text: &'a mut String,
    text_ends: &'a mut Vec<usize>,
) -> Row<'a> {
    if ascii && sep == 1 {
        debug_assert!(bytes.is_ascii());
        // SAFETY: the line scanner checked every byte of the line (`bytes` is a prefix of it)
        // to be below 0x80, and ASCII is valid UTF-8. This saves a second pass over the row.
        let t = unsafe { std::str::from_utf8_unchecked(bytes) };
        return Row::from_line(t, ends);
    }
    let mut enc = encoding_rs::UTF_8;
    if encoding == TextEncoding::Gb18030 {
        enc = encoding_rs::GB18030;
    } else {
        if let Ok(t) = std::str::from_utf8(bytes) {
            // Valid as a whole is not enough when the fields are joined without their
            // delimiters (csv-core's output, `sep == 0`): a character may straddle two fields.
            // Each field must be valid on its own, as it is in a line read with its delimiters,
            // or the result would depend on which path (and so which chunking) read the row.
            if sep == 1 || ends.iter().all(|&e| t.is_char_boundary(e)) {
                return if sep == 0 {
                    Row::new(t, ends)
                } else {
                    Row::from_line(t, ends)
                };
            }
        }
        // Files concatenated from a Chinese client export and a UTF-8 one mix encodings row by
        // row: a row that is not UTF-8 but whose every field is clean GB18030 is read as such.
        let mut start = 0;
        let clean_gb18030 = ends.iter().all(|&e| {
            let field = bytes.get(start..e).unwrap_or(&[]);
            start = e + sep;
            encoding_rs::GB18030
                .decode_without_bom_handling_and_without_replacement(field)
                .is_some()
        });
        if clean_gb18030 {
            enc = encoding_rs::GB18030;
        }
    }
    text.clear();
    text_ends.clear();
    let mut start = 0;
    for &e in ends {
        let (field, _) = enc.decode_without_bom_handling(&bytes[start..e]);
        text.push_str(&field);
        text_ends.push(text.len());
        start = e + sep;
    }
    Row::new(text, text_ends)
}

#[cfg(test)]
mod tests {
    use super::sample_records;

    #[test]
    fn the_last_sample_record_without_a_line_break_keeps_its_fields() {
        let (records, _) = sample_records("a,b,c\r\n1,\"2\",3\n4,\"5,5\",6", b',', false);
        assert_eq!(
            records,
            [["a", "b", "c"], ["1", "2", "3"], ["4", "5,5", "6"]]
        );
        // A prefix that may be cut drops its last record instead.
        assert_eq!(sample_records("a,b\n1,2", b',', true).0.len(), 1);
    }
}
