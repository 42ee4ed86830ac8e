//! The record machine: the working stream (UTF-8 or GB18030 bytes, UTF-16 transcoded) cut into
//! records, plain lines by the fast scanner and the rest by csv-core, each record counted and
//! handed to the mapper, the sink told of calls, rejects and notes.

use super::decode::row_text;
use super::{plausibility, scan, Dialect, RowCounts, Sink};
use crate::formats::{Mapped, RowMapper};
use crate::reject::{Reject, RejectReason, MAX_FIELDS, MAX_RECORD_LINES, MAX_ROW_BYTES};

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
    pub(super) newlines: u64,
}

/// What parsing one piece of the working stream ended with.
enum Parsed {
    /// The piece was consumed.
    Done,
    /// A record turned out to open a quote that never closes: its first line was rejected, the
    /// rest of the record is in `queue`, and the piece must be read again from this index.
    Replay(usize),
}

/// Where the record machine stands between two bytes of the working stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RecordState {
    /// Between records: blank-line bytes are skipped, any other byte starts a record.
    Between,
    /// Inside a record, `breaks` line breaks into it (newlines within a quoted field): from
    /// the first on, its bytes are kept to be read again if the quote turns out never to close.
    Open {
        /// Line breaks inside the record so far.
        breaks: u32,
    },
}

/// Whether the current record outgrew the reader's limits; ordered so that a record over both
/// is refused for its length, as it always was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Overflow {
    /// Within both limits.
    None,
    /// More than [`MAX_FIELDS`] fields (their bytes dropped).
    TooManyFields,
    /// Longer than [`MAX_ROW_BYTES`] (its bytes dropped).
    TooLong,
}

/// The reader's state once the dialect is known.
pub(super) struct Active {
    /// Where in the file this reader's part starts (0 for a whole file).
    pub(super) base_offset: u64,
    delimiter: u8,
    fast_ends: Vec<usize>,
    pub(super) dialect: Dialect,
    header: Option<Vec<String>>,
    pub(super) header_left: usize,
    pub(super) mapper: Box<dyn RowMapper>,
    csv: csv_core::Reader,
    /// UTF-16 input is transcoded to UTF-8 first.
    transcoder: Option<encoding_rs::Decoder>,
    /// Whether the input is UTF-16 (the transcoder is taken out while it runs, so offsets
    /// cannot ask it).
    utf16: bool,
    transcoded: Vec<u8>,
    pub(super) bom_left: usize,
    /// Bytes of the working (ASCII-compatible) stream consumed so far.
    consumed: u64,
    /// UTF-16 code units consumed so far (UTF-16 input only).
    utf16_units: u64,
    pub(super) newlines: u64,
    /// Between records or inside one (and how many line breaks into it).
    state: RecordState,
    record_offset: u64,
    pub(super) record_line: u64,
    out: Vec<u8>,
    nout: usize,
    ends: Vec<usize>,
    nend: usize,
    /// Whether the current record outgrew the reader's limits.
    overflow: Overflow,
    /// Line-terminator bytes at the end of what the current record consumed so far.
    terminator: u64,
    text: String,
    text_ends: Vec<usize>,
    /// Fields of the header (or of the first record when there is none): a record spanning
    /// several lines with another field count is taken as an unclosed quote.
    expected_fields: Option<usize>,
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
pub(super) fn primed_csv(delimiter: u8) -> csv_core::Reader {
    let mut csv = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    restart_csv(&mut csv);
    csv
}

/// Puts a csv-core reader back in its start state, marked as used (see [`primed_csv`]);
/// cheaper than building a new one, which builds its DFA again.
pub(super) fn restart_csv(csv: &mut csv_core::Reader) {
    csv.reset();
    let (mut out, mut ends) = ([0u8; 4], [0usize; 4]);
    let _ = csv.read_record(b"\n", &mut out, &mut ends);
}

impl Active {
    /// Whether everything fed so far ended at a record boundary (not inside a quoted field).
    pub(super) fn at_row_boundary(&self) -> bool {
        self.state == RecordState::Between
    }

    /// Line breaks inside the current record so far (0 between records).
    fn breaks(&self) -> u32 {
        match self.state {
            RecordState::Open { breaks } => breaks,
            RecordState::Between => 0,
        }
    }

    pub(super) fn new(
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
            state: RecordState::Between,
            record_offset: 0,
            record_line: 1,
            out: vec![0; 4096],
            nout: 0,
            ends: vec![0; 64],
            nend: 0,
            overflow: Overflow::None,
            terminator: 0,
            text: String::new(),
            text_ends: Vec::new(),
            expected_fields,
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

    pub(super) fn feed_raw<S: Sink>(
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
            if self.state == RecordState::Between {
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
                self.state = RecordState::Open { breaks: 0 };
                self.terminator = 0;
                self.record_offset = self.original_offset(self.consumed, self.utf16_units);
                self.record_line = self.newlines + 1;
                self.nout = 0;
                self.nend = 0;
                self.overflow = Overflow::None;
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
                    if self.breaks() > 0 {
                        return self.unclosed(counts, sink, total);
                    }
                    restart_csv(&mut self.csv);
                    self.state = RecordState::Between;
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
                if self.breaks() > 0 && self.replay.len() + seg_len > MAX_ROW_BYTES {
                    return self.unclosed(counts, sink, total - input.len());
                }
                let seg = &input[..seg_len];
                let (ended, left) = self.feed_segment(seg);
                input = &input[seg_len - left..];
                if !ended && left == 0 && seg.last() == Some(&b'\n') {
                    // The newline did not end the record: it is inside a quoted field.
                    let breaks = self.breaks() + 1;
                    self.state = RecordState::Open { breaks };
                    if breaks == 1 {
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
                    if breaks > MAX_RECORD_LINES {
                        return self.unclosed(counts, sink, total - input.len());
                    }
                }
                ended
            };
            if ended {
                let breaks = self.breaks();
                self.state = RecordState::Between;
                if breaks > 0 && self.looks_unclosed() {
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
            if self.breaks() > 0 {
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
        if self.overflow != Overflow::None {
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
            self.overflow = Overflow::TooLong;
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
            self.overflow = self.overflow.max(Overflow::TooManyFields);
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
        self.state = RecordState::Between;
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
        self.overflow = if body.len() - (ends.len() - 1) > MAX_ROW_BYTES {
            Overflow::TooLong
        } else if ends.len() > MAX_FIELDS {
            Overflow::TooManyFields
        } else {
            Overflow::None
        };
        self.consumed += (nl + 1) as u64;
        self.newlines += 1;
        self.terminator = (nl + 1 - body.len()) as u64;
        self.state = RecordState::Between;
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
        // A row over a limit is refused as such; over both, for its length.
        let refused = match self.overflow {
            Overflow::None => None,
            Overflow::TooLong => Some(RejectReason::TooLong {
                limit: MAX_ROW_BYTES,
            }),
            Overflow::TooManyFields => Some(RejectReason::TooManyFields { limit: MAX_FIELDS }),
        };
        if let Some(reason) = refused {
            counts.rejected += 1;
            sink.reject(reject(reason));
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
