//! `.xls` (Excel 97–2003, BIFF8) workbooks: the `Workbook` stream of the compound file
//! ([`super::cfb`]) read record by record; the globals (sheets, number formats, the shared
//! string table) first, then the chosen sheet's cells row by row.
//!
//! What the workbook declares about itself is not trusted: the sheet's `DIMENSIONS` record is
//! ignored (a 1.7 KB file claiming 1048576 × 16384 cells sized the previous reader's table
//! to terabytes), the shared-string table's counts are ignored (strings are read until its
//! bytes end), a record's length is at most 65,535 bytes, and a sheet's position must lie in
//! the stream. Cells are expected in row order, as Excel writes them; a cell of an earlier
//! row than the one being read starts a new row of its own (its line number then does not
//! follow the sheet).

use super::cfb::{Cfb, Stream};
use super::excel::{
    self, bool_text, NumFormat, RowsTo, Shared, SharedStrings, SheetInfo, SheetRow,
};
use crate::reject::{IngestError, MAX_ROW_BYTES};
use rustc_hash::FxHashMap as HashMap;
use std::io::{Read, Seek, SeekFrom};

/// The most bytes of one record with its `CONTINUE` records (the shared-string table is the
/// only large one; its text is capped by [`excel::MAX_SHARED_BYTES`] anyway).
const MAX_RECORD: usize = 2 * excel::MAX_SHARED_BYTES;

fn err(why: impl std::fmt::Display) -> IngestError {
    IngestError {
        message: format!("not a readable xls workbook: {why}"),
    }
}

/// Reads sheet `wanted` (see [`excel::choose_sheet`]) of a workbook and hands its rows on.
pub(crate) fn read<R: Read + Seek>(
    src: R,
    wanted: Option<&str>,
    rows_to: &mut RowsTo<'_>,
) -> Result<SheetInfo, IngestError> {
    let cfb = Cfb::open(src).map_err(|message| IngestError { message })?;
    let encrypted = cfb
        .stream_names()
        .any(|n| n.eq_ignore_ascii_case("EncryptedPackage"));
    let Some(stream) = cfb
        .stream(&["Workbook", "Book"])
        .map_err(|message| IngestError { message })?
    else {
        return Err(if encrypted {
            IngestError {
                message: "the workbook is password-protected".into(),
            }
        } else {
            err("it has no Workbook stream")
        });
    };
    let mut records = Records::new(stream);
    let globals = read_globals(&mut records)?;
    let names: Vec<String> = globals.sheets.iter().map(|(n, _)| n.clone()).collect();
    let chosen = excel::choose_sheet(&names, wanted)?;
    let at = u64::from(globals.sheets[chosen].1);
    if at >= records.src.len() {
        return Err(err(format!(
            "sheet {:?} lies beyond the stream",
            names[chosen]
        )));
    }
    records.seek(at)?;
    match records.next()? {
        Some(r) if r.kind == BOF => {}
        _ => {
            return Err(err(format!(
                "sheet {:?} does not start where it says",
                names[chosen]
            )))
        }
    }
    let mut cells = Cells {
        records,
        globals: &globals,
        depth: 1,
        pending: Vec::new(),
        formula_cell: None,
        done: false,
    };
    rows_to(names[chosen].clone(), &mut || cells.next_row())
}

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const CONTINUE: u16 = 0x003C;

/// One record with its `CONTINUE` records joined; `breaks` are where each one started (a
/// string cut there starts again with a flags byte).
struct Record {
    kind: u16,
    data: Vec<u8>,
    breaks: Vec<usize>,
}

/// The records of the workbook stream.
struct Records<R> {
    src: Stream<R>,
    /// A header read ahead while looking for `CONTINUE` records.
    ahead: Option<(u16, usize)>,
}

impl<R: Read + Seek> Records<R> {
    fn new(src: Stream<R>) -> Self {
        Records { src, ahead: None }
    }

    fn seek(&mut self, at: u64) -> Result<(), IngestError> {
        self.ahead = None;
        self.src
            .seek(SeekFrom::Start(at))
            .map(|_| ())
            .map_err(|e| err(format!("read error: {e}")))
    }

    fn header(&mut self) -> Result<Option<(u16, usize)>, IngestError> {
        if let Some(h) = self.ahead.take() {
            return Ok(Some(h));
        }
        let mut h = [0u8; 4];
        match self.src.read_exact(&mut h) {
            Ok(()) => Ok(Some((
                u16::from_le_bytes([h[0], h[1]]),
                usize::from(u16::from_le_bytes([h[2], h[3]])),
            ))),
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
            Err(e) => Err(err(format!("read error: {e}"))),
        }
    }

    /// The next record, `None` at the end of the stream.
    fn next(&mut self) -> Result<Option<Record>, IngestError> {
        let Some((kind, len)) = self.header()? else {
            return Ok(None);
        };
        let mut data = vec![0u8; len];
        self.src
            .read_exact(&mut data)
            .map_err(|_| err("a record is cut"))?;
        let mut breaks = Vec::new();
        // Only records that hold strings continue; others end at their own length.
        if matches!(kind, 0x00FC | 0x0207 | 0x0204 | 0x00D6 | 0x041E) {
            while let Some((next, len)) = self.header()? {
                if next != CONTINUE {
                    self.ahead = Some((next, len));
                    break;
                }
                if data.len() + len > MAX_RECORD {
                    return Err(err("a record with its continuations is too large"));
                }
                breaks.push(data.len());
                let from = data.len();
                data.resize(from + len, 0);
                self.src
                    .read_exact(&mut data[from..])
                    .map_err(|_| err("a record is cut"))?;
            }
        }
        Ok(Some(Record { kind, data, breaks }))
    }
}

/// What the globals say.
struct Globals {
    /// (name, position of its BOF in the stream).
    sheets: Vec<(String, u32)>,
    is_1904: bool,
    /// The number format of each cell format (XF).
    xfs: Vec<NumFormat>,
    strings: SharedStrings,
}

fn read_globals<R: Read + Seek>(records: &mut Records<R>) -> Result<Globals, IngestError> {
    match records.next()? {
        Some(r) if r.kind == BOF && r.data.len() >= 4 => {
            let version = u16::from_le_bytes([r.data[0], r.data[1]]);
            if version != 0x0600 {
                return Err(IngestError {
                    message: "an Excel 5.0/95 (or older) workbook: cdrscope reads Excel 97 and later; save it as .xlsx or CSV".into(),
                });
            }
        }
        _ => return Err(err("it does not start with a BOF record")),
    }
    let mut g = Globals {
        sheets: Vec::new(),
        is_1904: false,
        xfs: Vec::new(),
        strings: SharedStrings::default(),
    };
    let mut formats: HashMap<u16, NumFormat> = HashMap::default();
    let mut xf_formats: Vec<u16> = Vec::new();
    while let Some(r) = records.next()? {
        let d = &r.data;
        match r.kind {
            EOF => break,
            0x002F => {
                return Err(IngestError {
                    message: "the workbook is password-protected".into(),
                })
            }
            0x0085 if d.len() >= 8 => {
                let at = u32::from_le_bytes([d[0], d[1], d[2], d[3]]);
                let mut pos = 6;
                let name = short_string(d, &mut pos).unwrap_or_default();
                g.sheets.push((name, at));
            }
            0x0022 if d.len() >= 2 => g.is_1904 = d[0] != 0 || d[1] != 0,
            0x041E if d.len() >= 2 => {
                let id = u16::from_le_bytes([d[0], d[1]]);
                let mut pos = 2;
                if let Some(code) = unicode_string(&r, &mut pos, 2) {
                    formats.insert(id, excel::custom_format(&code));
                }
            }
            0x00E0 if d.len() >= 4 => xf_formats.push(u16::from_le_bytes([d[2], d[3]])),
            0x00FC => read_sst(&r, &mut g.strings)?,
            _ => {}
        }
    }
    g.xfs = xf_formats
        .into_iter()
        .map(|id| {
            formats
                .get(&id)
                .copied()
                .unwrap_or_else(|| excel::builtin_format(u32::from(id)))
        })
        .collect();
    Ok(g)
}

/// The shared-string table: strings one after another until its bytes end.
fn read_sst(r: &Record, strings: &mut SharedStrings) -> Result<(), IngestError> {
    let mut pos = 8;
    while pos < r.data.len() {
        let start = pos;
        let (text, long) = match rich_string(r, &mut pos) {
            Some(s) => s,
            None => break,
        };
        strings.push(&text, long)?;
        if pos <= start {
            break;
        }
    }
    Ok(())
}

/// A `ShortXLUnicodeString` (8-bit length) of a record without continuations.
fn short_string(d: &[u8], pos: &mut usize) -> Option<String> {
    let cch = usize::from(*d.get(*pos)?);
    let high = d.get(*pos + 1)? & 1 != 0;
    *pos += 2;
    let bytes = if high { cch * 2 } else { cch };
    let s = d.get(*pos..*pos + bytes)?;
    *pos += bytes;
    Some(decode(s, high))
}

/// An `XLUnicodeString` with a 1- or 2-byte length, across continuations.
fn unicode_string(r: &Record, pos: &mut usize, len_bytes: usize) -> Option<String> {
    let d = &r.data;
    let cch = if len_bytes == 1 {
        usize::from(*d.get(*pos)?)
    } else {
        usize::from(u16::from_le_bytes([*d.get(*pos)?, *d.get(*pos + 1)?]))
    };
    *pos += len_bytes;
    let flags = *d.get(*pos)?;
    *pos += 1;
    let (s, _) = chars(r, pos, cch, flags & 1 != 0, usize::MAX);
    Some(s)
}

/// An `XLUnicodeRichExtendedString` (shared strings, `LABEL` of BIFF8): its text and whether
/// it was longer than a row may be (the text is then not kept). `None` when the bytes end.
fn rich_string(r: &Record, pos: &mut usize) -> Option<(String, bool)> {
    let d = &r.data;
    let cch = usize::from(u16::from_le_bytes([*d.get(*pos)?, *d.get(*pos + 1)?]));
    let flags = *d.get(*pos + 2)?;
    *pos += 3;
    let mut runs = 0usize;
    let mut ext = 0usize;
    if flags & 8 != 0 {
        runs = usize::from(u16::from_le_bytes([*d.get(*pos)?, *d.get(*pos + 1)?]));
        *pos += 2;
    }
    if flags & 4 != 0 {
        ext = u32::from_le_bytes([
            *d.get(*pos)?,
            *d.get(*pos + 1)?,
            *d.get(*pos + 2)?,
            *d.get(*pos + 3)?,
        ]) as usize;
        *pos += 4;
    }
    let (s, long) = chars(r, pos, cch, flags & 1 != 0, MAX_ROW_BYTES);
    *pos = pos.saturating_add(4 * runs).saturating_add(ext);
    Some((s, long))
}

/// `cch` characters from `pos`, 8-bit or UTF-16 as `high` says, switching at each
/// continuation (which starts with its own flags byte); at most `limit` bytes of text kept.
fn chars(r: &Record, pos: &mut usize, cch: usize, mut high: bool, limit: usize) -> (String, bool) {
    let d = &r.data;
    let mut out = String::new();
    let mut long = false;
    let mut left = cch;
    while left > 0 && *pos < d.len() {
        let seg_end = r
            .breaks
            .iter()
            .copied()
            .find(|&b| b > *pos)
            .unwrap_or(d.len());
        let size = if high { 2 } else { 1 };
        let n = left.min((seg_end - *pos) / size);
        let piece = &d[*pos..*pos + n * size];
        if !long {
            let text = decode(piece, high);
            if out.len() + text.len() > limit {
                long = true;
                out = String::new();
            } else {
                out.push_str(&text);
            }
        }
        *pos += n * size;
        left -= n;
        if left > 0 {
            if *pos != seg_end || seg_end >= d.len() {
                // A character cut by the record's end: the string is broken here.
                *pos = seg_end;
                break;
            }
            high = d[*pos] & 1 != 0;
            *pos += 1;
        }
    }
    (out, long)
}

/// 8-bit (Latin-1: each byte is the character of that code) or UTF-16LE text.
fn decode(bytes: &[u8], high: bool) -> String {
    if high {
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        bytes.iter().map(|&b| char::from(b)).collect()
    }
}

/// An `RK` number: a 30-bit integer or the top of a double, maybe divided by 100.
fn rk(v: u32) -> f64 {
    let f = if v & 2 != 0 {
        f64::from((v as i32) >> 2)
    } else {
        f64::from_bits(u64::from(v & 0xFFFF_FFFC) << 32)
    };
    if v & 1 != 0 {
        f / 100.0
    } else {
        f
    }
}

/// The text of an error cell's code.
fn error_text(code: u8) -> &'static str {
    match code {
        0x00 => "#NULL!",
        0x07 => "#DIV/0!",
        0x0F => "#VALUE!",
        0x17 => "#REF!",
        0x1D => "#NAME?",
        0x24 => "#NUM!",
        0x2A => "#N/A",
        _ => "#GETTING_DATA",
    }
}

/// The chosen sheet's cell records, read row by row.
struct Cells<'g, R> {
    records: Records<R>,
    globals: &'g Globals,
    /// BOF/EOF nesting (a chart inside the sheet has its own).
    depth: u32,
    /// Cells read but not yet placed (one record's, all in one row): (row, col, text, too
    /// long).
    pending: Vec<(u32, u32, String, bool)>,
    /// A formula cell whose text comes in the next `STRING` record.
    formula_cell: Option<(u32, u32)>,
    done: bool,
}

impl<R: Read + Seek> Cells<'_, R> {
    fn number(&self, xf: u16, v: f64) -> String {
        let format = self
            .globals
            .xfs
            .get(usize::from(xf))
            .copied()
            .unwrap_or(NumFormat::Plain);
        excel::number_text(v, format, self.globals.is_1904)
    }

    /// The cells a record holds: (row, col, text, too long).
    fn cells_of(&mut self, r: &Record, out: &mut Vec<(u32, u32, String, bool)>) {
        let d = &r.data;
        let u16_at = |i: usize| d.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
        let (Some(row), Some(col)) = (u16_at(0), u16_at(2)) else {
            return;
        };
        let (row, col) = (u32::from(row), u32::from(col));
        let xf = u16_at(4).unwrap_or(0);
        match r.kind {
            // LABELSST
            0x00FD if d.len() >= 10 => {
                let i = u32::from_le_bytes([d[6], d[7], d[8], d[9]]) as usize;
                match self.globals.strings.get(i) {
                    Shared::Text(s) => out.push((row, col, s.to_string(), false)),
                    Shared::TooLong => out.push((row, col, String::new(), true)),
                    Shared::Missing => {}
                }
            }
            // LABEL, RSTRING
            0x0204 | 0x00D6 => {
                let mut pos = 6;
                if let Some((s, long)) = label(r, &mut pos) {
                    out.push((row, col, s, long));
                }
            }
            // NUMBER
            0x0203 if d.len() >= 14 => {
                let mut b = [0u8; 8];
                b.copy_from_slice(&d[6..14]);
                out.push((row, col, self.number(xf, f64::from_le_bytes(b)), false));
            }
            // RK
            0x027E if d.len() >= 10 => {
                let v = u32::from_le_bytes([d[6], d[7], d[8], d[9]]);
                out.push((row, col, self.number(xf, rk(v)), false));
            }
            // MULRK: (xf, rk) pairs from `col` on, the last column at the end.
            0x00BD => {
                let mut pos = 4;
                let mut c = col;
                while pos + 6 + 2 <= d.len() {
                    let xf = u16::from_le_bytes([d[pos], d[pos + 1]]);
                    let v = u32::from_le_bytes([d[pos + 2], d[pos + 3], d[pos + 4], d[pos + 5]]);
                    out.push((row, c, self.number(xf, rk(v)), false));
                    c = c.saturating_add(1);
                    pos += 6;
                }
            }
            // BOOLERR
            0x0205 if d.len() >= 8 => {
                let text = if d[7] != 0 {
                    error_text(d[6])
                } else {
                    bool_text(d[6] != 0)
                };
                out.push((row, col, text.to_string(), false));
            }
            // FORMULA: its cached result.
            0x0006 if d.len() >= 14 => {
                if d[12] == 0xFF && d[13] == 0xFF {
                    match d[6] {
                        0 => self.formula_cell = Some((row, col)),
                        1 => out.push((row, col, bool_text(d[8] != 0).to_string(), false)),
                        2 => out.push((row, col, error_text(d[8]).to_string(), false)),
                        _ => {}
                    }
                } else {
                    let mut b = [0u8; 8];
                    b.copy_from_slice(&d[6..14]);
                    out.push((row, col, self.number(xf, f64::from_le_bytes(b)), false));
                }
            }
            _ => {}
        }
    }

    /// The next row, `None` after the sheet's `EOF`.
    fn next_row(&mut self) -> Result<Option<SheetRow>, IngestError> {
        let mut row: Option<SheetRow> = None;
        loop {
            if let Some(&(r, ..)) = self.pending.first() {
                if row.as_ref().is_some_and(|cur| cur.row != r) {
                    return Ok(row);
                }
                let cur = row.get_or_insert_with(|| SheetRow::new(r));
                for (_, c, text, long) in self.pending.drain(..) {
                    cur.add(c, text, long);
                }
                continue;
            }
            if self.done {
                return Ok(row);
            }
            let Some(rec) = self.records.next()? else {
                self.done = true;
                continue;
            };
            match rec.kind {
                BOF => self.depth += 1,
                EOF => {
                    self.depth -= 1;
                    if self.depth == 0 {
                        self.done = true;
                    }
                }
                // STRING: the text of the formula cell just read.
                0x0207 => {
                    if let Some((r, c)) = self.formula_cell.take() {
                        let mut pos = 0;
                        if let Some((text, long)) = label(&rec, &mut pos) {
                            self.pending.push((r, c, text, long));
                        }
                    }
                }
                _ if self.depth == 1 => {
                    // A record's cells are all in one row.
                    let mut found = std::mem::take(&mut self.pending);
                    self.cells_of(&rec, &mut found);
                    self.pending = found;
                }
                _ => {}
            }
        }
    }
}

/// A `LABEL`/`RSTRING`/`STRING` text: an `XLUnicodeString` with a 16-bit length.
fn label(r: &Record, pos: &mut usize) -> Option<(String, bool)> {
    let d = &r.data;
    let cch = usize::from(u16::from_le_bytes([*d.get(*pos)?, *d.get(*pos + 1)?]));
    let flags = *d.get(*pos + 2)?;
    *pos += 3;
    Some(chars(r, pos, cch, flags & 1 != 0, MAX_ROW_BYTES))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_rk_numbers() {
        assert_eq!(rk(0x3FF0_0000), 1.0);
        assert_eq!(rk((1234 << 2) | 2), 1234.0);
        assert_eq!(rk((1234 << 2) | 3), 12.34);
        assert_eq!(rk(((-5i32) << 2) as u32 | 2), -5.0);
    }

    #[test]
    fn strings_continue_across_records_with_their_own_flags() {
        // "abc" 8-bit, cut after "ab"; the continuation switches to UTF-16 for "c" and "é".
        let mut data = vec![4, 0, 0, b'a', b'b'];
        let cut = data.len();
        data.extend_from_slice(&[1, b'c', 0, 0xE9, 0]);
        let r = Record {
            kind: 0x00FC,
            data,
            breaks: vec![cut],
        };
        let mut pos = 0;
        assert_eq!(rich_string(&r, &mut pos), Some(("abcé".to_string(), false)));
        assert_eq!(pos, r.data.len());
    }
}
