//! VOS3000 web API JSON (`POST /external/server/GetCdr` → `{retCode, infoCdrs:[…]}`), its
//! records written as CSV text with their camelCase names as the header, which the VOS3000
//! mapper reads by name. Carrier call-log API pages are read the same way: Twilio's `calls`,
//! Plivo's `objects` and Vonage's `_embedded.calls` lists, or one call object.
//!
//! Accepted shapes, in any mix: one document; documents one after another (concatenated, or
//! one per line); a bare array of records or of documents; bare records, one per line (JSON
//! lines).
//!
//! The input is read as a stream by a small tokenizer of its own, one record at a time, with
//! memory bounded whatever the file holds: a value is never held whole beyond
//! [`MAX_ROW_BYTES`] (a longer string or number is skipped as it is read, and its record
//! rejected as too long), a record with more than [`MAX_FIELDS`] keys is rejected as too
//! wide, and nesting deeper than [`MAX_NESTING`] ends the file with an error. A generic JSON
//! parser would build the whole value first: a 1 GB string, or one record holding a 200 MB
//! array, took gigabytes before a single check could run.

use super::csv_out::{CsvOut, CsvSink};
use super::Ctx;
use crate::reject::{IngestError, RejectReason, MAX_FIELDS, MAX_ROW_BYTES};
use rustc_hash::FxHashMap as HashMap;
use std::io::Read;

/// How many records are looked at to choose the columns.
const HEADER_RECORDS: usize = 100;
/// How many bytes of records are held back, at most, while the columns are chosen.
const HEADER_BYTES: usize = 8 << 20;
/// The deepest nesting of arrays and objects read; deeper is refused (each level is a frame
/// of the recursive reader, and no CDR export nests more than a few levels).
pub const MAX_NESTING: usize = 64;
/// How many API error answers are quoted in the file's error.
const API_ERRORS_SHOWN: usize = 5;

/// Reads a JSON input into the data set as one file.
pub(crate) fn read(
    ctx: &mut Ctx<'_>,
    name: &str,
    container: &str,
    src: &mut dyn Read,
    size: u64,
) -> Result<(), IngestError> {
    ctx.start_converted(name, container, size);
    let mut sink = super::OutSink(&mut *ctx.out);
    let result = read_records(src, &mut sink).map(|_| ());
    ctx.end_converted(result)
}

/// What was read from a JSON input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JsonInfo {
    /// Top-level JSON values read (documents or bare records).
    pub documents: u64,
    /// Records written.
    pub records: u64,
    /// Records refused as too long or too wide.
    pub rejected: u64,
    /// The columns written, in order.
    pub columns: Vec<String>,
}

/// Writes the CDR records of a JSON input as UTF-8 CSV text to `out`: a header of the field
/// names of the first records, then one line per record. A record that is not an object is
/// written as a single field, so the reader rejects it (with its line) like a short CSV row;
/// a record too long or too wide to hold is refused through [`CsvSink::reject`].
pub fn read_records(src: &mut dyn Read, out: &mut dyn CsvSink) -> Result<JsonInfo, IngestError> {
    let mut records = Records {
        csv: CsvOut::new(out),
        pending: Vec::new(),
        pending_bytes: 0,
        columns: None,
        index: HashMap::default(),
        api_errors: Vec::new(),
        api_error_count: 0,
    };
    let mut lex = Lexer::new(src);
    let mut documents = 0u64;
    let result = (|| {
        lex.skip_bom()?;
        while lex.peek()?.is_some() {
            top(&mut lex, &mut records)?;
            documents += 1;
        }
        Ok(())
    })();
    if let Err(e) = result {
        // The records before the error stay in the data set.
        let _ = records.fix_columns();
        let _ = records.csv.flush();
        return Err(match e {
            Fail::Out(e) => e,
            Fail::Syntax(what) => IngestError {
                message: format!(
                    "not valid JSON at line {} column {}: {what}",
                    lex.line, lex.column
                ),
            },
        });
    }
    if documents == 0 {
        return Err(IngestError {
            message: "the file is empty".into(),
        });
    }
    records.fix_columns()?;
    records.csv.flush()?;
    let written = records.csv.records();
    let rejected = records.csv.rejected();
    let columns = records.columns.take().unwrap_or_default();
    if written <= 1 && rejected == 0 {
        return Err(IngestError {
            message: if records.api_errors.is_empty() {
                "the JSON holds no CDR record".into()
            } else {
                let more = records.api_error_count - records.api_errors.len() as u64;
                format!(
                    "the API answered with no CDR: {}{}",
                    records.api_errors.join("; "),
                    if more > 0 {
                        format!(" (and {more} more)")
                    } else {
                        String::new()
                    }
                )
            },
        });
    }
    Ok(JsonInfo {
        documents,
        records: written.saturating_sub(1),
        rejected,
        columns,
    })
}

/// Why reading stopped.
enum Fail {
    /// The JSON is broken (the message says how; the lexer knows where).
    Syntax(String),
    /// The output refused the data.
    Out(IngestError),
}

impl From<IngestError> for Fail {
    fn from(e: IngestError) -> Self {
        Fail::Out(e)
    }
}

type Res<T> = Result<T, Fail>;

fn syntax<T>(what: impl Into<String>) -> Res<T> {
    Err(Fail::Syntax(what.into()))
}

/// Bytes of the input, read a buffer at a time, with the position for messages.
struct Lexer<'r> {
    src: &'r mut dyn Read,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    at_end: bool,
    /// Bytes consumed before `buf[0]`, whitespace included.
    consumed: u64,
    line: u64,
    column: u64,
}

impl<'r> Lexer<'r> {
    fn new(src: &'r mut dyn Read) -> Self {
        Lexer {
            src,
            buf: vec![0; 64 * 1024],
            pos: 0,
            end: 0,
            at_end: false,
            consumed: 0,
            line: 1,
            column: 0,
        }
    }

    /// Makes at least one byte available; false at the end of the input.
    fn fill(&mut self) -> Res<bool> {
        if self.pos < self.end {
            return Ok(true);
        }
        if self.at_end {
            return Ok(false);
        }
        self.consumed += self.end as u64;
        self.pos = 0;
        self.end = 0;
        loop {
            match self.src.read(&mut self.buf) {
                Ok(0) => {
                    self.at_end = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.end = n;
                    return Ok(true);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    return Err(Fail::Out(IngestError {
                        message: format!("read error: {e}"),
                    }))
                }
            }
        }
    }

    /// The next byte, consumed.
    fn byte(&mut self) -> Res<Option<u8>> {
        if !self.fill()? {
            return Ok(None);
        }
        let b = self.buf[self.pos];
        self.pos += 1;
        if b == b'\n' {
            self.line += 1;
            self.column = 0;
        } else {
            self.column += 1;
        }
        Ok(Some(b))
    }

    /// The next byte that is not whitespace, not consumed.
    fn peek(&mut self) -> Res<Option<u8>> {
        loop {
            if !self.fill()? {
                return Ok(None);
            }
            match self.buf[self.pos] {
                b' ' | b'\t' | b'\r' | b'\n' => {
                    self.byte()?;
                }
                b => return Ok(Some(b)),
            }
        }
    }

    /// Consumes `want` (after whitespace), or fails saying what was expected.
    fn expect(&mut self, want: u8, what: &str) -> Res<()> {
        match self.peek()? {
            Some(b) if b == want => {
                self.byte()?;
                Ok(())
            }
            Some(_) => syntax(format!("expected {what}")),
            None => syntax("the file ends inside a value"),
        }
    }

    /// After a member of an array (`close` is `]`) or an object (`}`): consumes the `,` and
    /// says `true` (another member follows) or consumes `close` and says `false`.
    fn next_member(&mut self, close: u8) -> Res<bool> {
        match self.peek()? {
            Some(b',') => {
                self.byte()?;
                Ok(true)
            }
            Some(b) if b == close => {
                self.byte()?;
                Ok(false)
            }
            Some(_) => syntax(format!("expected ',' or '{}'", char::from(close))),
            None if close == b']' => syntax("the file ends inside an array"),
            None => syntax("the file ends inside an object"),
        }
    }

    /// Drops a UTF-8 byte order mark, which JSON does not allow but Windows tools write.
    fn skip_bom(&mut self) -> Res<()> {
        if self.fill()? && self.buf[self.pos] == 0xEF {
            for want in [0xEF, 0xBB, 0xBF] {
                match self.byte()? {
                    Some(b) if b == want => {}
                    _ => return syntax("not JSON text"),
                }
            }
            self.column = 0;
        }
        Ok(())
    }

    /// Reads a string (the opening quote is next) into `out` (replaced), unescaped; only the
    /// first `limit` bytes are kept. Returns whether it was longer.
    fn string(&mut self, out: &mut Vec<u8>, limit: usize) -> Res<bool> {
        out.clear();
        self.expect(b'"', "a string")?;
        let mut long = false;
        let mut put = |out: &mut Vec<u8>, bytes: &[u8]| {
            if out.len() + bytes.len() > limit {
                long = true;
            } else {
                out.extend_from_slice(bytes);
            }
        };
        loop {
            if !self.fill()? {
                return syntax("the file ends inside a string");
            }
            // Plain bytes up to the next quote or backslash in one step.
            let chunk = &self.buf[self.pos..self.end];
            let n = memchr::memchr3(b'"', b'\\', b'\n', chunk).unwrap_or(chunk.len());
            put(out, &chunk[..n]);
            self.pos += n;
            self.column += n as u64;
            if n == chunk.len() {
                continue;
            }
            match self.byte()? {
                Some(b'"') => break,
                Some(b'\n') => put(out, b"\n"),
                Some(b'\\') => {
                    let c = match self.byte()? {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => self.unicode_escape()?,
                        Some(_) => return syntax("invalid escape in a string"),
                        None => return syntax("the file ends inside a string"),
                    };
                    put(out, c.encode_utf8(&mut [0; 4]).as_bytes());
                }
                _ => unreachable!("memchr3 stopped at one of these bytes"),
            }
        }
        Ok(long)
    }

    /// The character of a `\u` escape (the `\u` is read), with a surrogate pair's second half;
    /// a lone surrogate becomes U+FFFD.
    fn unicode_escape(&mut self) -> Res<char> {
        let first = self.hex4()?;
        if !(0xD800..0xDC00).contains(&first) {
            return Ok(char::from_u32(first).unwrap_or('\u{FFFD}'));
        }
        if self.fill()? && self.buf[self.pos] == b'\\' {
            self.byte()?;
            if self.byte()? != Some(b'u') {
                return syntax("invalid escape in a string");
            }
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Ok(char::from_u32(c).unwrap_or('\u{FFFD}'));
            }
        }
        Ok('\u{FFFD}')
    }

    fn hex4(&mut self) -> Res<u32> {
        let mut v = 0;
        for _ in 0..4 {
            let d = match self.byte()? {
                Some(b) => (b as char).to_digit(16),
                None => None,
            };
            let Some(d) = d else {
                return syntax("invalid \\u escape in a string");
            };
            v = v * 16 + d;
        }
        Ok(v)
    }

    /// Reads a number's text into `out` (replaced), at most `limit` bytes kept; returns
    /// whether it was longer.
    fn number(&mut self, out: &mut Vec<u8>, limit: usize) -> Res<bool> {
        out.clear();
        let mut long = false;
        while self.fill()? {
            let b = self.buf[self.pos];
            if !matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
                break;
            }
            self.byte()?;
            if out.len() < limit {
                out.push(b);
            } else {
                long = true;
            }
        }
        if !long && number_text(out).is_none() {
            return syntax("invalid number");
        }
        Ok(long)
    }

    /// Reads `true`, `false` or `null` (its first letter is next).
    fn literal(&mut self) -> Res<&'static str> {
        let (word, text): (&[u8], &str) = match self.peek()? {
            Some(b't') => (b"true", "true"),
            Some(b'f') => (b"false", "false"),
            Some(b'n') => (b"null", ""),
            Some(_) => return syntax("expected a value"),
            None => return syntax("the file ends inside a value"),
        };
        for &want in word {
            if self.byte()? != Some(want) {
                return syntax("expected a value");
            }
        }
        Ok(text)
    }
}

/// A JSON number's text as a CSV field: integers as they are written (within 64 bits),
/// other numbers as the shortest decimal without exponent; `None` when it is not a number.
fn number_text(raw: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(raw).ok()?;
    let body = text.strip_prefix('-').unwrap_or(text);
    let json_int = !body.is_empty()
        && body.bytes().all(|b| b.is_ascii_digit())
        && (body == "0" || !body.starts_with('0'));
    if json_int {
        if let Ok(i) = text.parse::<i64>() {
            return Some(i.to_string());
        }
        if let Ok(u) = text.parse::<u64>() {
            return Some(u.to_string());
        }
    }
    // JSON's grammar, which Rust's float parser is laxer than (`1.`, `.5`, `+1`, `inf`).
    let (int, rest) = body.split_at(body.find(['.', 'e', 'E']).unwrap_or(body.len()));
    let valid_int = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && (int == "0" || !int.starts_with('0'));
    let (frac, exp) = match rest.strip_prefix('.') {
        Some(r) => r.split_at(r.find(['e', 'E']).unwrap_or(r.len())),
        None => ("", rest),
    };
    let valid_frac =
        !rest.starts_with('.') || (!frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit()));
    let valid_exp = exp.is_empty() || {
        let e = &exp[1..];
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
    };
    if !(valid_int && valid_frac && valid_exp) {
        return None;
    }
    let f: f64 = text.parse().ok()?;
    Some(super::excel::float_text(f))
}

/// One record as read: its fields in the order written, or a value that is not an object.
enum Rec {
    Fields(Vec<(String, String)>),
    Scalar(String),
    Refused(RejectReason),
}

/// Collects records and writes them once the columns are known.
struct Records<'a> {
    csv: CsvOut<'a>,
    pending: Vec<Rec>,
    pending_bytes: usize,
    columns: Option<Vec<String>>,
    /// Column name → position, once the columns are fixed.
    index: HashMap<String, usize>,
    /// Documents with a non-zero `retCode` and no records (the first few).
    api_errors: Vec<String>,
    api_error_count: u64,
}

impl Records<'_> {
    fn record(&mut self, rec: Rec) -> Result<(), IngestError> {
        if self.columns.is_none() {
            self.pending_bytes += match &rec {
                Rec::Fields(f) => f.iter().map(|(k, v)| k.len() + v.len() + 16).sum(),
                Rec::Scalar(s) => s.len(),
                Rec::Refused(_) => 0,
            };
            self.pending.push(rec);
            if self.pending.len() >= HEADER_RECORDS || self.pending_bytes >= HEADER_BYTES {
                self.fix_columns()?;
            }
            return Ok(());
        }
        self.write(&rec)
    }

    /// Chooses the columns from the records seen so far (the union of the keys of the first
    /// [`HEADER_RECORDS`] records, each record's keys in name order, at most [`MAX_FIELDS`])
    /// and writes the header and the records held back. A key that first appears later is
    /// not a column: the `GetCdr` records of one answer share one shape.
    fn fix_columns(&mut self) -> Result<(), IngestError> {
        if self.columns.is_some() || self.pending.is_empty() {
            return Ok(());
        }
        let mut columns: Vec<String> = Vec::new();
        for rec in &self.pending {
            if let Rec::Fields(fields) = rec {
                let mut keys: Vec<&String> = fields.iter().map(|(k, _)| k).collect();
                keys.sort_unstable();
                keys.dedup();
                for k in keys {
                    if columns.len() < MAX_FIELDS && !self.index.contains_key(k) {
                        self.index.insert(k.clone(), columns.len());
                        columns.push(k.clone());
                    }
                }
            }
        }
        self.csv.record(&columns)?;
        self.columns = Some(columns);
        for rec in std::mem::take(&mut self.pending) {
            self.write(&rec)?;
        }
        Ok(())
    }

    fn write(&mut self, rec: &Rec) -> Result<(), IngestError> {
        match rec {
            Rec::Fields(fields) => {
                let width = self.columns.as_ref().map_or(0, Vec::len);
                let mut row: Vec<Option<&str>> = vec![None; width];
                for (k, v) in fields {
                    // A repeated key keeps its first value: document order is meaningful where
                    // keys repeat (FreeSWITCH mod_json_cdr writes one `callflow` per caller
                    // profile, the current one first).
                    if let Some(&i) = self.index.get(k) {
                        row[i].get_or_insert(v);
                    }
                }
                let row: Vec<&str> = row.into_iter().map(Option::unwrap_or_default).collect();
                self.csv.record(&row)
            }
            Rec::Scalar(s) => self.csv.record(&[s]),
            Rec::Refused(reason) => self.csv.reject(reason.clone()),
        }
    }

    fn api_error(&mut self, fields: &[(String, String)]) {
        let get = |key: &str| {
            fields
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        };
        let code = get("retCode").unwrap_or_default();
        if code != "0" {
            self.api_error_count += 1;
            if self.api_errors.len() < API_ERRORS_SHOWN {
                let why = get("exception")
                    .or_else(|| get("message"))
                    .unwrap_or_default();
                let text: String = format!("retCode {code} {why}")
                    .trim()
                    .chars()
                    .take(200)
                    .collect();
                self.api_errors.push(text);
            }
        }
    }
}

/// Whether an object is an API answer (it has `retCode` and no CDR field) rather than a record.
fn is_api_answer(fields: &[(String, String)]) -> bool {
    let has = |key: &str| fields.iter().any(|(k, _)| k == key);
    has("retCode") && !has("flowNo") && !has("callerE164")
}

/// One top-level value: a document, an array of records or documents, or a record.
fn top(lex: &mut Lexer<'_>, records: &mut Records<'_>) -> Res<()> {
    match lex.peek()? {
        Some(b'{') => object(lex, records, 1),
        Some(b'[') => array_of_values(lex, records, 1),
        _ => {
            let rec = scalar_record(lex)?;
            Ok(records.record(rec)?)
        }
    }
}

/// An array at the top or inside one: each element a document, a record or an array again.
fn array_of_values(lex: &mut Lexer<'_>, records: &mut Records<'_>, depth: usize) -> Res<()> {
    if depth > MAX_NESTING {
        return syntax(format!(
            "arrays and objects nested more than {MAX_NESTING} deep"
        ));
    }
    lex.expect(b'[', "an array")?;
    if lex.peek()? == Some(b']') {
        lex.byte()?;
        return Ok(());
    }
    loop {
        match lex.peek()? {
            Some(b'{') => object(lex, records, depth + 1)?,
            Some(b'[') => array_of_values(lex, records, depth + 1)?,
            _ => {
                let rec = scalar_record(lex)?;
                records.record(rec)?;
            }
        }
        if !lex.next_member(b']')? {
            return Ok(());
        }
    }
}

/// A value that is not an object, as a record of one field holding its JSON text (so the
/// reader rejects it, and the rejected row shows what it was).
fn scalar_record(lex: &mut Lexer<'_>) -> Res<Rec> {
    let mut text = Vec::new();
    let long = match lex.peek()? {
        Some(b'"') => {
            let long = lex.string(&mut text, MAX_ROW_BYTES)?;
            text = serde_json::to_string(&String::from_utf8_lossy(&text))
                .unwrap_or_default()
                .into_bytes();
            long
        }
        Some(b'-' | b'0'..=b'9') => lex.number(&mut text, MAX_ROW_BYTES)?,
        Some(_) => {
            let t = lex.literal()?;
            text.extend_from_slice(if t.is_empty() { b"null" } else { t.as_bytes() });
            false
        }
        None => return syntax("the file ends inside a value"),
    };
    if long {
        return Ok(Rec::Refused(RejectReason::TooLong {
            limit: MAX_ROW_BYTES,
        }));
    }
    Ok(Rec::Scalar(String::from_utf8_lossy(&text).into_owned()))
}

/// An object: a document when it has `infoCdrs` or a carrier page's list (its records streamed
/// one by one), else a record, or an API answer without records.
fn object(lex: &mut Lexer<'_>, records: &mut Records<'_>, depth: usize) -> Res<()> {
    if depth > MAX_NESTING {
        return syntax(format!(
            "arrays and objects nested more than {MAX_NESTING} deep"
        ));
    }
    lex.expect(b'{', "an object")?;
    let mut fields = Fields::default();
    let mut saw_cdrs = false;
    let mut saw_vos = false;
    let mut key = Vec::new();
    if lex.peek()? == Some(b'}') {
        lex.byte()?;
    } else {
        loop {
            let key_long = lex.string(&mut key, MAX_ROW_BYTES)?;
            lex.expect(b':', "':' after a key")?;
            let next = lex.peek()?;
            if !key_long && carrier_list_key(&key, next) && !saw_cdrs {
                // A carrier API page: its records are the array (or `_embedded.calls`).
                saw_cdrs = true;
                match next {
                    Some(b'[') => cdr_list(lex, records, depth + 1)?,
                    _ => object(lex, records, depth + 1)?,
                }
            } else if !key_long && key == b"infoCdrs" && !saw_cdrs {
                saw_cdrs = true;
                saw_vos = true;
                match lex.peek()? {
                    Some(b'[') => cdr_list(lex, records, depth + 1)?,
                    Some(b'n') => {
                        lex.literal()?;
                    }
                    Some(_) => return syntax("infoCdrs is not an array of records"),
                    None => return syntax("the file ends inside an object"),
                }
            } else {
                fields.member(lex, &key, key_long, depth)?;
            }
            if !lex.next_member(b'}')? {
                break;
            }
        }
    }
    match fields.into_rec() {
        Rec::Fields(f) if saw_vos || is_api_answer(&f) => {
            records.api_error(&f);
            Ok(())
        }
        // A carrier page's envelope (paging, links) is no record.
        Rec::Fields(_) if saw_cdrs => Ok(()),
        rec => Ok(records.record(rec)?),
    }
}

/// Whether a member holds the records of a carrier API page: Twilio's `calls` and Plivo's
/// `objects` arrays, Vonage's `_embedded` object (whose `calls` array holds them).
fn carrier_list_key(key: &[u8], next: Option<u8>) -> bool {
    matches!(
        (key, next),
        (b"calls" | b"objects", Some(b'[')) | (b"_embedded", Some(b'{'))
    )
}

/// The `infoCdrs` array, read record by record.
fn cdr_list(lex: &mut Lexer<'_>, records: &mut Records<'_>, depth: usize) -> Res<()> {
    lex.expect(b'[', "an array")?;
    if lex.peek()? == Some(b']') {
        lex.byte()?;
        return Ok(());
    }
    loop {
        match lex.peek()? {
            Some(b'{') => record_object(lex, records, depth + 1)?,
            Some(b'[') => {
                let mut text = Vec::new();
                let long = nested_text(lex, &mut text, MAX_ROW_BYTES, depth + 1)?;
                records.record(if long {
                    Rec::Refused(RejectReason::TooLong {
                        limit: MAX_ROW_BYTES,
                    })
                } else {
                    Rec::Scalar(String::from_utf8_lossy(&text).into_owned())
                })?;
            }
            _ => {
                let rec = scalar_record(lex)?;
                records.record(rec)?;
            }
        }
        if !lex.next_member(b']')? {
            return Ok(());
        }
    }
}

/// A record inside `infoCdrs`: an object whose members are its fields.
fn record_object(lex: &mut Lexer<'_>, records: &mut Records<'_>, depth: usize) -> Res<()> {
    if depth > MAX_NESTING {
        return syntax(format!(
            "arrays and objects nested more than {MAX_NESTING} deep"
        ));
    }
    lex.expect(b'{', "an object")?;
    let mut fields = Fields::default();
    let mut key = Vec::new();
    if lex.peek()? == Some(b'}') {
        lex.byte()?;
    } else {
        loop {
            let key_long = lex.string(&mut key, MAX_ROW_BYTES)?;
            lex.expect(b':', "':' after a key")?;
            fields.member(lex, &key, key_long, depth)?;
            if !lex.next_member(b'}')? {
                break;
            }
        }
    }
    Ok(records.record(fields.into_rec())?)
}

/// A record's fields as they are read, with the limits applied.
#[derive(Default)]
struct Fields {
    list: Vec<(String, String)>,
    /// Bytes held (keys and values).
    bytes: usize,
    refused: Option<RejectReason>,
    text: Vec<u8>,
}

impl Fields {
    /// Reads one member's value (its key is read) into the record, or skips it once the
    /// record is refused.
    fn member(&mut self, lex: &mut Lexer<'_>, key: &[u8], key_long: bool, depth: usize) -> Res<()> {
        let room = if self.refused.is_some() {
            0
        } else {
            MAX_ROW_BYTES.saturating_sub(self.bytes + key.len())
        };
        let long = match lex.peek()? {
            Some(b'"') => lex.string(&mut self.text, room)?,
            Some(b'-' | b'0'..=b'9') => {
                let long = lex.number(&mut self.text, room)?;
                if !long {
                    // Validated by `number`.
                    let t = number_text(&self.text).unwrap_or_default();
                    self.text = t.into_bytes();
                }
                long
            }
            Some(b'{' | b'[') => nested_text(lex, &mut self.text, room, depth + 1)?,
            Some(_) => {
                let t = lex.literal()?;
                self.text.clear();
                self.text.extend_from_slice(t.as_bytes());
                t.len() > room
            }
            None => return syntax("the file ends inside an object"),
        };
        if self.refused.is_some() {
            return Ok(());
        }
        if key_long || long || self.bytes + key.len() + self.text.len() > MAX_ROW_BYTES {
            self.refused = Some(RejectReason::TooLong {
                limit: MAX_ROW_BYTES,
            });
            self.list = Vec::new();
            return Ok(());
        }
        if self.list.len() >= MAX_FIELDS {
            self.refused = Some(RejectReason::TooManyFields { limit: MAX_FIELDS });
            self.list = Vec::new();
            return Ok(());
        }
        self.bytes += key.len() + self.text.len();
        self.list.push((
            String::from_utf8_lossy(key).into_owned(),
            String::from_utf8_lossy(&self.text).into_owned(),
        ));
        Ok(())
    }

    fn into_rec(self) -> Rec {
        match self.refused {
            Some(r) => Rec::Refused(r),
            None => Rec::Fields(self.list),
        }
    }
}

/// An object or array inside a record, as compact JSON text (members in the order written);
/// only the first `limit` bytes are kept. Returns whether it was longer.
fn nested_text(lex: &mut Lexer<'_>, out: &mut Vec<u8>, limit: usize, depth: usize) -> Res<bool> {
    out.clear();
    let mut long = false;
    nested_into(lex, out, limit, depth, &mut long)?;
    Ok(long)
}

fn nested_into(
    lex: &mut Lexer<'_>,
    out: &mut Vec<u8>,
    limit: usize,
    depth: usize,
    long: &mut bool,
) -> Res<()> {
    if depth > MAX_NESTING {
        return syntax(format!(
            "arrays and objects nested more than {MAX_NESTING} deep"
        ));
    }
    let put = |out: &mut Vec<u8>, bytes: &[u8], long: &mut bool| {
        if out.len() + bytes.len() > limit {
            *long = true;
        } else {
            out.extend_from_slice(bytes);
        }
    };
    let mut scratch = Vec::new();
    let (open, close) = match lex.peek()? {
        Some(b'{') => (b'{', b'}'),
        Some(b'[') => (b'[', b']'),
        Some(b'"') => {
            let l = lex.string(&mut scratch, limit)?;
            *long |= l;
            let quoted =
                serde_json::to_string(&String::from_utf8_lossy(&scratch)).unwrap_or_default();
            put(out, quoted.as_bytes(), long);
            return Ok(());
        }
        Some(b'-' | b'0'..=b'9') => {
            let l = lex.number(&mut scratch, limit)?;
            *long |= l;
            put(out, &scratch, long);
            return Ok(());
        }
        Some(_) => {
            let t = lex.literal()?;
            put(out, if t.is_empty() { b"null" } else { t.as_bytes() }, long);
            return Ok(());
        }
        None => return syntax("the file ends inside a value"),
    };
    lex.byte()?;
    put(out, &[open], long);
    if lex.peek()? == Some(close) {
        lex.byte()?;
        put(out, &[close], long);
        return Ok(());
    }
    let mut first = true;
    loop {
        if !first {
            put(out, b",", long);
        }
        first = false;
        if open == b'{' {
            let l = lex.string(&mut scratch, limit)?;
            *long |= l;
            let quoted =
                serde_json::to_string(&String::from_utf8_lossy(&scratch)).unwrap_or_default();
            put(out, quoted.as_bytes(), long);
            lex.expect(b':', "':' after a key")?;
            put(out, b":", long);
        }
        // Once too long, the rest is still read (to find the end); what is kept no longer
        // matters, the record is refused.
        nested_into(lex, out, limit, depth + 1, long)?;
        match lex.peek()? {
            Some(b',') => {
                lex.byte()?;
            }
            Some(b) if b == close => {
                lex.byte()?;
                put(out, &[close], long);
                return Ok(());
            }
            Some(_) => return syntax("expected ',' or the end of the object or array"),
            None => return syntax("the file ends inside a value"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv_of(json: &str) -> Result<(String, JsonInfo), IngestError> {
        let mut got = Vec::new();
        let mut sink = |b: &[u8]| {
            got.extend_from_slice(b);
            Ok(())
        };
        let info = read_records(&mut json.as_bytes(), &mut sink)?;
        Ok((String::from_utf8(got).unwrap(), info))
    }

    #[test]
    fn reads_every_shape() {
        let doc = r#"{"retCode":0,"infoCdrs":[{"flowNo":1,"fee":0.0017,"calleeE164":"0085"},{"flowNo":2,"fee":1e-7,"calleeE164":null}]}"#;
        let (csv, info) = csv_of(doc).unwrap();
        assert_eq!(csv, "calleeE164,fee,flowNo\n0085,0.0017,1\n,0.0000001,2\n");
        assert_eq!((info.documents, info.records), (1, 2));

        let concat = format!("\u{feff}{doc}\n{doc} {doc}");
        let (_, info) = csv_of(&concat).unwrap();
        assert_eq!((info.documents, info.records), (3, 6));

        let lines = "{\"flowNo\":1,\"endReason\":-9}\n{\"flowNo\":2,\"endReason\":503}\n\n";
        let (csv, info) = csv_of(lines).unwrap();
        assert_eq!(csv, "endReason,flowNo\n-9,1\n503,2\n");
        assert_eq!((info.documents, info.records), (2, 2));

        let array = "[{\"flowNo\":1},7,{\"flowNo\":3,\"x\":{\"a\":[1, \"b\\\"\"]}}]";
        let (csv, _) = csv_of(array).unwrap();
        assert_eq!(
            csv,
            "flowNo,x\n1,\n7\n3,\"{\"\"a\"\":[1,\"\"b\\\"\"\"\"]}\"\n"
        );

        let escapes = r#"[{"a":"\u00e9\ud83d\udcde\n","b":true,"c":-0,"d":12345678901234567890}]"#;
        let (csv, _) = csv_of(escapes).unwrap();
        assert_eq!(csv, "a,b,c,d\n\"é📞\n\",true,0,12345678901234567890\n");
    }

    #[test]
    fn reports_bad_input() {
        assert_eq!(csv_of("").unwrap_err().message, "the file is empty");
        assert_eq!(csv_of(" \n ").unwrap_err().message, "the file is empty");
        assert_eq!(
            csv_of("{\"retCode\":0,\"infoCdrs\":[{\"flowNo\":1},")
                .unwrap_err()
                .message,
            "not valid JSON at line 1 column 38: the file ends inside a value"
        );
        assert_eq!(
            csv_of("[{\"flowNo\":01}]").unwrap_err().message,
            "not valid JSON at line 1 column 13: invalid number"
        );
        assert_eq!(
            csv_of("{\"retCode\":-1,\"exception\":\"bad account\"}")
                .unwrap_err()
                .message,
            "the API answered with no CDR: retCode -1 bad account"
        );
        assert_eq!(
            csv_of("{\"retCode\":0,\"infoCdrs\":[]}")
                .unwrap_err()
                .message,
            "the JSON holds no CDR record"
        );
        let deep = format!("[{}]", "[".repeat(100));
        assert_eq!(
            csv_of(&deep).unwrap_err().message,
            "not valid JSON at line 1 column 64: arrays and objects nested more than 64 deep"
        );
    }

    /// Collects the text and the refused rows.
    #[derive(Default)]
    struct Both {
        text: Vec<u8>,
        refused: Vec<(u64, RejectReason)>,
    }

    impl CsvSink for Both {
        fn bytes(&mut self, chunk: &[u8]) -> Result<(), IngestError> {
            self.text.extend_from_slice(chunk);
            Ok(())
        }
        fn reject(&mut self, line: u64, _offset: u64, reason: RejectReason) {
            self.refused.push((line, reason));
        }
    }

    #[test]
    fn refuses_records_too_long_or_too_wide_without_holding_them() {
        let long = "x".repeat(MAX_ROW_BYTES + 1);
        let wide: String = (0..=MAX_FIELDS)
            .map(|i| format!("\"k{i}\":{i}"))
            .collect::<Vec<_>>()
            .join(",");
        let json = format!(
            "{{\"flowNo\":1}}\n{{\"flowNo\":\"{long}\"}}\n{{{wide}}}\n{{\"flowNo\":{}\"{long}\"{}}}\n{{\"flowNo\":4}}\n\"{long}\"\n",
            "[".repeat(10),
            "]".repeat(10)
        );
        let mut both = Both::default();
        let info = read_records(&mut json.as_bytes(), &mut both).unwrap();
        let too_long = RejectReason::TooLong {
            limit: MAX_ROW_BYTES,
        };
        assert_eq!(
            both.refused,
            [
                (3, too_long.clone()),
                (4, RejectReason::TooManyFields { limit: MAX_FIELDS }),
                (5, too_long.clone()),
                (7, too_long)
            ]
        );
        assert_eq!((info.records, info.rejected), (2, 4));
        assert_eq!(
            String::from_utf8(both.text).unwrap(),
            "flowNo\n1\n\n\n\n4\n\n"
        );
    }
}
