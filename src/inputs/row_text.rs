//! The original bytes of chosen rows of an input, read again: for files that came out of a
//! container (`.gz`, a zip entry, Excel, JSON) a row's offset is an offset in the decoded
//! stream, so the bytes cannot be sliced out of the file on disk; instead the input is read
//! once more the same way, and only the chosen rows' bytes are kept.
//!
//! Memory stays bounded whatever the input size: one decoding chunk plus the chosen rows
//! (a gzip stream is decoded, never held). Work is bounded by the position of the last chosen
//! row: reading stops as soon as every chosen row is complete, and a file holding none of them
//! (another zip entry) is left after its first chunk. For Excel and JSON the decoded stream is
//! the CSV text the converter wrote ([`super::csv_out`]), so a row comes back as its cells
//! written as one CSV line.

use super::{Ctx, InputOptions, Out};
use crate::formats::FormatOptions;
use crate::reject::{IngestError, RejectReason};
use std::io::{Read, Seek};

/// One row to read back: which file of the input, and where in its decoded stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowSpan {
    /// Index of the file among the files the input added to the data set (0 for the input
    /// itself; the entry's position for a zip, failed entries included).
    pub file: usize,
    /// Byte offset of the row in the file's decoded stream.
    pub offset: u64,
    /// Length of the row in bytes.
    pub len: u32,
}

/// Reads `source` (the input named `name`, as [`super::read_into`] would) again and returns
/// the bytes of each span, in order; `None` for a span the input does not reach (the input
/// changed, or its reading fails before it).
///
/// ```
/// use cdrscope::inputs::{row_bytes, InputOptions, RowSpan};
/// use std::io::Cursor;
///
/// let csv = b"flowno,endreason\n1,503\n2,480\n";
/// let span = RowSpan { file: 0, offset: 23, len: 6 };
/// let rows = row_bytes("cdr.csv", Cursor::new(&csv[..]), &InputOptions::default(), &[span]);
/// assert_eq!(rows, vec![Some(b"2,480\n".to_vec())]);
/// ```
pub fn row_bytes<R: Read + Seek>(
    name: &str,
    source: R,
    options: &InputOptions,
    spans: &[RowSpan],
) -> Vec<Option<Vec<u8>>> {
    row_bytes_capped(name, source, options, spans, usize::MAX)
}

/// [`row_bytes`], keeping at most the first `limit` bytes of each row: a rejected row can be
/// hundreds of megabytes long, and only its start is shown.
pub fn row_bytes_capped<R: Read + Seek>(
    name: &str,
    source: R,
    options: &InputOptions,
    spans: &[RowSpan],
    limit: usize,
) -> Vec<Option<Vec<u8>>> {
    let mut capture = Capture {
        spans,
        found: spans.iter().map(|_| Vec::new()).collect(),
        passed: vec![0; spans.len()],
        limit,
        missing: spans.iter().filter(|s| s.len > 0).count(),
        files: 0,
        pos: 0,
    };
    if capture.missing > 0 {
        // Errors end the reading early on purpose (every row found, or a file not needed):
        // what was captured is the answer either way.
        let _ = Ctx {
            out: &mut capture,
            options,
            depth: 0,
        }
        .seekable(name, "", source);
    }
    capture
        .found
        .into_iter()
        .zip(capture.passed)
        .zip(spans)
        .map(|((bytes, passed), s)| (passed == u64::from(s.len)).then_some(bytes))
        .collect()
}

/// Collects the spans' bytes as the files of an input are decoded.
struct Capture<'s> {
    spans: &'s [RowSpan],
    found: Vec<Vec<u8>>,
    /// Bytes of each span seen so far (kept or not).
    passed: Vec<u64>,
    /// The most bytes kept of a span.
    limit: usize,
    /// Spans not complete yet.
    missing: usize,
    /// Files started so far; the current file is `files - 1`.
    files: usize,
    /// Decoded bytes of the current file seen so far.
    pos: u64,
}

/// Stops the reading: nothing more is needed from the current file.
fn enough() -> IngestError {
    IngestError {
        message: "the rows asked for are read".into(),
    }
}

impl Out for Capture<'_> {
    fn start_file(&mut self, _name: &str, _bytes: u64, _options: FormatOptions) {
        self.files += 1;
        self.pos = 0;
    }

    fn set_container(&mut self, _container: &str) {}

    fn push(&mut self, chunk: &[u8]) -> Result<(), IngestError> {
        let Some(file) = self.files.checked_sub(1) else {
            return Err(enough());
        };
        let (start, end) = (self.pos, self.pos + chunk.len() as u64);
        let mut wanted_later = false;
        for ((s, got), passed) in self
            .spans
            .iter()
            .zip(self.found.iter_mut())
            .zip(self.passed.iter_mut())
        {
            let s_end = s.offset + u64::from(s.len);
            if s.file != file || *passed == u64::from(s.len) || s_end <= start {
                continue;
            }
            if s.offset < end {
                let from = s.offset.max(start) - start;
                let to = s_end.min(end) - start;
                let piece = &chunk[from as usize..to as usize];
                let keep = piece.len().min(self.limit.saturating_sub(got.len()));
                got.extend_from_slice(&piece[..keep]);
                *passed += piece.len() as u64;
                if *passed == u64::from(s.len) {
                    self.missing -= 1;
                }
            }
            wanted_later |= s_end > end;
        }
        self.pos = end;
        if self.missing == 0 || !wanted_later {
            return Err(enough());
        }
        Ok(())
    }

    fn finish_file(&mut self) -> Result<(), IngestError> {
        Ok(())
    }

    fn fail_file(&mut self, _message: &str) {}

    fn reject_row(&mut self, _line: u64, _offset: u64, _reason: RejectReason) {}

    fn files(&self) -> usize {
        self.files
    }
}
