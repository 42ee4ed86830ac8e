//! Rows written as CSV text for the streaming [`crate::ingest::Reader`].
//!
//! Excel sheets and API JSON are turned into CSV bytes rather than fed as rows to the format
//! mappers directly: the reader then does everything it does for a CSV file (format detection
//! from the header, header repeats, field counts, the row accounting with a line number for
//! every reject) with no second code path to keep in step. The cost is one encode and one parse
//! per cell, which is small next to reading the workbook or the JSON.

use crate::reject::{IngestError, RejectReason};

/// How many bytes are collected before they are handed on.
const CHUNK: usize = 64 * 1024;

/// Where converted rows go: the CSV text, and the rows the converter refused itself (a cell
/// too long to hold, a row too wide) before they could become text.
pub trait CsvSink {
    /// Takes the next chunk of UTF-8 CSV text.
    fn bytes(&mut self, chunk: &[u8]) -> Result<(), IngestError>;
    /// Takes a row refused by the converter, at `line` of the CSV text (a blank line there
    /// keeps later line numbers) and byte `offset` of it.
    fn reject(&mut self, line: u64, offset: u64, reason: RejectReason);
}

/// A plain closure takes the text; refused rows leave only their blank line.
impl<F: FnMut(&[u8]) -> Result<(), IngestError>> CsvSink for F {
    fn bytes(&mut self, chunk: &[u8]) -> Result<(), IngestError> {
        self(chunk)
    }
    fn reject(&mut self, _line: u64, _offset: u64, _reason: RejectReason) {}
}

/// Builds CSV records and hands them on in chunks.
pub struct CsvOut<'a> {
    buf: Vec<u8>,
    out: &'a mut dyn CsvSink,
    records: u64,
    rejected: u64,
    /// Lines and bytes handed on or buffered so far.
    lines: u64,
    offset: u64,
}

impl<'a> CsvOut<'a> {
    /// Writes to `out`, which receives chunks of UTF-8 CSV text.
    pub fn new(out: &'a mut dyn CsvSink) -> Self {
        CsvOut {
            buf: Vec::with_capacity(CHUNK + 4096),
            out,
            records: 0,
            rejected: 0,
            lines: 0,
            offset: 0,
        }
    }

    /// Refuses the next row: the text so far is handed on first (so the reader's rows and
    /// this one stay in order), then the row is reported and a blank line takes its place.
    pub fn reject(&mut self, reason: RejectReason) -> Result<(), IngestError> {
        self.flush()?;
        self.out.reject(self.lines + 1, self.offset, reason);
        self.rejected += 1;
        self.blank_line()
    }

    /// Rows refused so far.
    pub fn rejected(&self) -> u64 {
        self.rejected
    }

    /// Writes one record.
    pub fn record<S: AsRef<str>>(&mut self, fields: &[S]) -> Result<(), IngestError> {
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                self.buf.push(b',');
            }
            push_field(&mut self.buf, f.as_ref());
        }
        if fields.len() == 1 && fields[0].as_ref().is_empty() {
            // A lone empty field would read back as a blank line, which the reader skips.
            self.buf.extend_from_slice(b"\"\"");
        }
        self.buf.push(b'\n');
        self.records += 1;
        self.lines += 1;
        self.flush_if_full()
    }

    /// Writes an empty line: the reader skips it but counts it, so line numbers can follow
    /// the source's rows (Excel row numbers).
    pub fn blank_line(&mut self) -> Result<(), IngestError> {
        self.buf.push(b'\n');
        self.lines += 1;
        self.flush_if_full()
    }

    /// Records written so far.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Hands on what is left.
    pub fn flush(&mut self) -> Result<(), IngestError> {
        if !self.buf.is_empty() {
            self.offset += self.buf.len() as u64;
            // Cleared first: after an error the same bytes must not be handed on again.
            let r = self.out.bytes(&self.buf);
            self.buf.clear();
            r?;
        }
        Ok(())
    }

    fn flush_if_full(&mut self) -> Result<(), IngestError> {
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(())
    }
}

/// Appends one field, quoted when it holds a quote, a line break, surrounding spaces or any
/// byte the reader's delimiter sniffing considers (`,` `;` tab `|`): quoting all of them keeps
/// the sniffed delimiter the comma whatever the cells hold.
fn push_field(buf: &mut Vec<u8>, field: &str) {
    let needs_quotes = field
        .bytes()
        .any(|b| matches!(b, b',' | b';' | b'\t' | b'|' | b'"' | b'\r' | b'\n'))
        || field.starts_with(' ')
        || field.ends_with(' ');
    if !needs_quotes {
        buf.extend_from_slice(field.as_bytes());
        return;
    }
    buf.push(b'"');
    for b in field.bytes() {
        if b == b'"' {
            buf.push(b'"');
        }
        buf.push(b);
    }
    buf.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_what_needs_it() {
        let mut got = Vec::new();
        let mut sink = |b: &[u8]| {
            got.extend_from_slice(b);
            Ok(())
        };
        let mut w = CsvOut::new(&mut sink);
        w.record(&["a", "b,c", "say \"hi\"", "x|y", "", " pad"])
            .unwrap();
        w.blank_line().unwrap();
        w.record(&[""]).unwrap();
        w.flush().unwrap();
        assert_eq!(w.records(), 2);
        assert_eq!(
            String::from_utf8(got).unwrap(),
            "a,\"b,c\",\"say \"\"hi\"\"\",\"x|y\",,\" pad\"\n\n\"\"\n"
        );
    }
}
