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

mod decode;
pub mod encoding;
pub mod explain;
pub mod plan;
pub mod plausibility;
mod record;
mod sample;
pub mod scan;
pub mod sniff;

pub use encoding::TextEncoding;
pub use plan::ReadPlan;
pub use sample::sample_of_text;
pub use sniff::looks_binary;
// Rows refused, their limits and the file-stopping error live in the leaf `crate::reject`, which
// the format mappers and input readers import without reaching back into the reader.
pub use crate::reject::{
    IngestError, Reject, RejectReason, MAX_FIELDS, MAX_RECORD_LINES, MAX_ROW_BYTES,
};

use crate::call::{Call, TimeBasis};
use crate::formats::preview::ColumnPreview;
use crate::formats::{self, Detection, FormatOptions};
use serde::Serialize;

/// How much of the file is held back to detect its encoding, dialect and format.
const SNIFF_BYTES: usize = 64 * 1024;
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
    Reading(Box<record::Active>),
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
        Reader::resume_any(plan, start_offset)
    }

    /// A reader for rows taken out of a file whose plan is known, starting at byte
    /// `start_offset`, also for formats that pair rows: a row read alone again (the drill-down
    /// and the calls export re-map single rows) maps as the first reader mapped it, whatever
    /// another row would have added.
    pub fn resume_any(plan: &ReadPlan, start_offset: u64) -> Result<Reader, IngestError> {
        let mapper = formats::build_mapper(&plan.detection, &plan.sample, &plan.options)
            .map_err(IngestError::new)?;
        let header = (plan.detection.header_rows > 0)
            .then(|| plan.sample.first().cloned())
            .flatten();
        let time_basis = mapper.time_basis();
        let mut active = Box::new(record::Active::new(
            Dialect {
                encoding: plan.encoding,
                delimiter: (plan.delimiter as char).to_string(),
                detection: plan.detection.clone(),
                time_basis,
            },
            plan.delimiter,
            record::primed_csv(plan.delimiter),
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
            State::Reading(a) => a.at_row_boundary(),
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
        if let Some(kind) = sniff::binary_kind(&prefix) {
            return Err(IngestError::new(format!(
                "this is a {kind}, not a CSV/text CDR export"
            )));
        }
        let encoding = encoding::sniff_encoding(&prefix, at_eof);
        let text = decode::decode_lossy(encoding, &prefix[encoding.bom_len()..]);
        if sniff::looks_binary(&text) {
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
        let (sample, mut csv) = sample::sample_records(&text, delimiter, !at_eof);
        // The sampling reader, restarted, reads the file: building a csv-core reader (its DFA)
        // was a third of the time of a zip of 65,000 small entries.
        record::restart_csv(&mut csv);
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
        let mut active = Box::new(record::Active::new(
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

#[cfg(test)]
mod tests {
    use super::sample::sample_records;

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
