//! Excel workbooks, `.xlsx` ([`super::xlsx`]) and `.xls` ([`super::xls`]), read row by row by
//! readers of their own, the rows written as CSV text into the reader (see [`super::csv_out`]
//! for why).
//!
//! Cells become text the way the export meant them:
//! - a number that is a whole number is written as an integer, so `8613800138000` stays that
//!   and never becomes `8.6138E+12` or `8613800138000.0`; other numbers use the shortest text
//!   that reads back to the same value, never an exponent;
//! - text cells are kept as they are, so numbers stored as text keep their leading zeros;
//! - date cells (Excel serial dates) become `YYYY-MM-DD HH:MM:SS[.mmm]` local wall-clock text,
//!   durations (`[h]:mm:ss`) whole or decimal seconds.
//!
//! The header row is found among the first rows (client exports put a title above it), and
//! rows keep their sheet row number as their line number.
//!
//! Never trusting the file (issue 22): no size written in the workbook (the shared-string
//! count, the sheet's dimensions, a zip entry's size) sizes anything. Memory is bounded by what
//! is really there and by the limits here: a row is held until it is complete, and one whose
//! cells hold more than [`MAX_ROW_BYTES`] of text, or that reaches past column
//! [`MAX_FIELDS`], is rejected as the CSV reader rejects such a row, without its text being
//! kept; the shared strings (which a cell may point at from anywhere, so they are held) are
//! refused beyond [`MAX_SHARED_BYTES`] of text or [`MAX_SHARED_STRINGS`] strings.

use super::csv_out::{CsvOut, CsvSink};
use super::{Ctx, InputKind};
use crate::formats::{self, FormatOptions};
use crate::reject::{IngestError, RejectReason, MAX_FIELDS, MAX_ROW_BYTES};
use std::io::{Read, Seek};

/// How many leading non-empty rows are searched for the header row.
const HEADER_SEARCH_ROWS: usize = 30;
/// The most text the shared strings of a workbook may hold.
pub const MAX_SHARED_BYTES: usize = 256 << 20;
/// The most shared strings a workbook may hold.
pub const MAX_SHARED_STRINGS: usize = 16 << 20;
/// Excel's last row: a row number beyond it is a broken (or hostile) file, and would cost a
/// blank line per missing row.
pub const MAX_ROWS: u32 = 1 << 20;

/// Reads the chosen (or first) sheet of a workbook into the data set as one file.
pub(crate) fn read<R: Read + Seek>(
    ctx: &mut Ctx<'_>,
    name: &str,
    container: &str,
    src: R,
    size: u64,
    kind: InputKind,
) -> Result<(), IngestError> {
    ctx.start_converted(name, container, size);
    let sheet = ctx.options.sheet.clone();
    let format = ctx.options.format.clone();
    let mut sink = super::OutSink(&mut *ctx.out);
    let result = read_sheet(src, kind, sheet.as_deref(), &format, &mut sink).map(|_| ());
    ctx.end_converted(result)
}

/// What was read from a workbook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetInfo {
    /// The sheet read.
    pub sheet: String,
    /// The 1-based row number of the header row, when one was found.
    pub header_row: Option<u32>,
    /// Records written (the header included).
    pub records: u64,
    /// Rows refused as too long or too wide (see [`CsvSink::reject`]).
    pub rejected: u64,
}

/// Writes the rows of sheet `sheet` (a name or a 1-based position; the first sheet when
/// `None`) of an xlsx or xls workbook as UTF-8 CSV text to `out`.
pub fn read_sheet<R: Read + Seek>(
    src: R,
    kind: InputKind,
    sheet: Option<&str>,
    format: &FormatOptions,
    out: &mut dyn CsvSink,
) -> Result<SheetInfo, IngestError> {
    let mut csv = CsvOut::new(out);
    let result = match kind {
        InputKind::Xls => super::xls::read(src, sheet, &mut |sheet, next| {
            write_rows(next, format, &mut csv, sheet)
        }),
        _ => super::xlsx::read(src, sheet, &mut |sheet, next| {
            write_rows(next, format, &mut csv, sheet)
        }),
    };
    // Rows converted before an error stay in the data set.
    let _ = csv.flush();
    result
}

/// One row of a sheet as read: its 0-based row number and its non-empty cells (0-based
/// column, text), or why it is refused.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct SheetRow {
    /// 0-based row number.
    pub row: u32,
    /// Cells with text, in the order read.
    pub cells: Vec<(u32, String)>,
    /// Text bytes held.
    pub bytes: usize,
    /// Set once the row is refused: its cells are no longer kept.
    pub refused: Option<RejectReason>,
}

impl SheetRow {
    /// A new, empty row.
    pub fn new(row: u32) -> Self {
        SheetRow {
            row,
            ..SheetRow::default()
        }
    }

    /// How many more text bytes the row may take.
    pub fn room(&self) -> usize {
        if self.refused.is_some() {
            0
        } else {
            MAX_ROW_BYTES.saturating_sub(self.bytes)
        }
    }

    /// Adds a cell; `long` when its text did not fit [`SheetRow::room`]. Blank cells are
    /// dropped: they neither widen the row nor hold text.
    pub fn add(&mut self, col: u32, text: String, long: bool) {
        if self.refused.is_some() {
            return;
        }
        if long || self.bytes + text.len() > MAX_ROW_BYTES {
            self.refuse(RejectReason::TooLong {
                limit: MAX_ROW_BYTES,
            });
            return;
        }
        if text.is_empty() {
            return;
        }
        if col as usize >= MAX_FIELDS && !text.trim().is_empty() {
            self.refuse(RejectReason::TooManyFields { limit: MAX_FIELDS });
            return;
        }
        self.bytes += text.len();
        self.cells.push((col, text));
    }

    fn refuse(&mut self, reason: RejectReason) {
        self.refused = Some(reason);
        self.cells = Vec::new();
        self.bytes = 0;
    }

    /// The cells as a dense list (a later cell of the same column wins), trailing blank
    /// cells dropped.
    pub fn dense(&self) -> Vec<String> {
        let width = self
            .cells
            .iter()
            .filter(|(_, t)| !t.trim().is_empty())
            .map(|&(c, _)| c as usize + 1)
            .max()
            .unwrap_or(0);
        let mut out = vec![String::new(); width];
        for (c, t) in &self.cells {
            if let Some(slot) = out.get_mut(*c as usize) {
                slot.clone_from(t);
            }
        }
        out
    }
}

/// Gives the next row of the sheet, `None` after the last.
pub(crate) type NextRow<'a> = dyn FnMut() -> Result<Option<SheetRow>, IngestError> + 'a;

/// What a sheet reader hands its rows to: the sheet's name and its rows.
pub(crate) type RowsTo<'a> =
    dyn FnMut(String, &mut NextRow<'_>) -> Result<SheetInfo, IngestError> + 'a;

/// Picks the sheet by exact name, then by name ignoring case, then by 1-based position.
pub(crate) fn choose_sheet(names: &[String], wanted: Option<&str>) -> Result<usize, IngestError> {
    let found = match wanted.map(str::trim) {
        None | Some("") => (!names.is_empty()).then_some(0),
        Some(w) => names
            .iter()
            .position(|n| n.as_str() == w)
            .or_else(|| names.iter().position(|n| n.eq_ignore_ascii_case(w)))
            .or_else(|| {
                w.parse::<usize>()
                    .ok()
                    .and_then(|i| i.checked_sub(1))
                    .filter(|&i| i < names.len())
            }),
    };
    found.ok_or_else(|| IngestError {
        message: match wanted {
            Some(w) => format!(
                "the workbook has no sheet {w:?} (sheets: {})",
                names.join(", ")
            ),
            None => "the workbook has no sheet".into(),
        },
    })
}

/// Finds the header row, then writes it and every later row, each on its sheet row's line.
fn write_rows(
    next: &mut NextRow<'_>,
    format: &FormatOptions,
    csv: &mut CsvOut<'_>,
    sheet: String,
) -> Result<SheetInfo, IngestError> {
    // Rows before the header search ends; refused rows are kept in place (without text).
    let mut head: Vec<(u32, Option<RejectReason>, Vec<String>)> = Vec::new();
    let mut exhausted = false;
    while head.len() < HEADER_SEARCH_ROWS {
        match next()? {
            Some(row) => {
                let cells = row.dense();
                if row.refused.is_some() || !cells.is_empty() {
                    head.push((row.row, row.refused, cells));
                }
            }
            None => {
                exhausted = true;
                break;
            }
        }
    }
    let dense: Vec<Vec<String>> = head
        .iter()
        .filter(|(_, refused, _)| refused.is_none())
        .map(|(_, _, c)| c.clone())
        .collect();
    let start_dense = header_index(&dense, format);
    // The header's position among all head rows (refused rows are never the header).
    let start = head
        .iter()
        .enumerate()
        .filter(|(_, (_, refused, _))| refused.is_none())
        .nth(start_dense)
        .map_or(0, |(i, _)| i);
    let header_row = head.get(start).map(|(r, _, _)| *r + 1);
    let width = head.get(start).map_or(0, |(_, _, c)| c.len());
    let mut line: u32 = 1;
    let mut write =
        |r: u32, refused: Option<RejectReason>, mut cells: Vec<String>, csv: &mut CsvOut<'_>| {
            if refused.is_none() && cells.is_empty() {
                return Ok(());
            }
            if cells.len() < width {
                cells.resize(width, String::new());
            }
            // Blank lines up to the sheet row keep line numbers equal to Excel row numbers.
            while line < r.saturating_add(1) {
                csv.blank_line()?;
                line += 1;
            }
            match refused {
                Some(reason) => csv.reject(reason)?,
                None => csv.record(&cells)?,
            }
            line = line.saturating_add(1);
            Ok::<(), IngestError>(())
        };
    for (r, refused, cells) in head.into_iter().skip(start) {
        write(r, refused, cells, csv)?;
    }
    if !exhausted {
        while let Some(row) = next()? {
            let cells = if row.refused.is_some() {
                Vec::new()
            } else {
                row.dense()
            };
            write(row.row, row.refused, cells, csv)?;
        }
    }
    csv.flush()?;
    Ok(SheetInfo {
        sheet,
        header_row,
        records: csv.records(),
        rejected: csv.rejected(),
    })
}

/// The index (in `head`) of the row the data starts at: the first row from which a CDR format
/// is recognised, else the first row at least half as wide as the widest row (titles and
/// notes above a header are one or two cells), else the first row.
fn header_index(rows: &[Vec<String>], format: &FormatOptions) -> usize {
    let detect_opts = FormatOptions {
        format: None,
        mapping: format.mapping.clone(),
        ..FormatOptions::default()
    };
    if let Some(i) = (0..rows.len()).find(|&i| formats::detect(&rows[i..], &detect_opts).is_ok()) {
        return i;
    }
    let widest = rows.iter().map(Vec::len).max().unwrap_or(0);
    let filled = |r: &Vec<String>| r.iter().filter(|c| !c.trim().is_empty()).count();
    rows.iter()
        .position(|r| filled(r) >= 3 && filled(r) * 2 >= widest)
        .unwrap_or(0)
}

/// The shared strings of a workbook, held compactly (one text buffer and an end offset per
/// string) within [`MAX_SHARED_BYTES`] and [`MAX_SHARED_STRINGS`]; a string longer than a
/// row may be is remembered as too long, without its text.
#[derive(Default)]
pub(crate) struct SharedStrings {
    text: String,
    /// End of each string in `text`; the top bit marks a string too long to keep.
    ends: Vec<u32>,
}

/// The flag of [`SharedStrings::ends`] for a string too long to keep.
const TOO_LONG: u32 = 1 << 31;

/// A shared string as a cell sees it.
pub(crate) enum Shared<'a> {
    Text(&'a str),
    TooLong,
    Missing,
}

impl SharedStrings {
    /// Adds the next string (`long` when it was longer than a row may be).
    pub fn push(&mut self, s: &str, long: bool) -> Result<(), IngestError> {
        if self.ends.len() >= MAX_SHARED_STRINGS {
            return Err(IngestError {
                message: format!(
                    "the workbook holds more than {MAX_SHARED_STRINGS} shared strings, more than cdrscope reads (save the sheet as CSV)"
                ),
            });
        }
        if !long && self.text.len() + s.len() > MAX_SHARED_BYTES {
            return Err(IngestError {
                message: format!(
                    "the workbook's shared strings hold more than {} MiB of text, more than cdrscope reads (save the sheet as CSV)",
                    MAX_SHARED_BYTES >> 20
                ),
            });
        }
        if long {
            self.ends.push(self.text.len() as u32 | TOO_LONG);
        } else {
            self.text.push_str(s);
            self.ends.push(self.text.len() as u32);
        }
        Ok(())
    }

    /// String `i`.
    pub fn get(&self, i: usize) -> Shared<'_> {
        let Some(&end) = self.ends.get(i) else {
            return Shared::Missing;
        };
        if end & TOO_LONG != 0 {
            return Shared::TooLong;
        }
        let start = match i.checked_sub(1).map(|p| self.ends[p]) {
            Some(prev) => (prev & !TOO_LONG) as usize,
            None => 0,
        };
        self.text
            .get(start..end as usize)
            .map_or(Shared::Missing, Shared::Text)
    }
}

/// How a number cell is shown, from its number format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumFormat {
    /// As a number.
    Plain,
    /// As a date and time.
    Date,
    /// As a duration (`[h]:mm:ss`).
    Duration,
}

/// The kind of a built-in number format (ECMA-376 18.8.30; the East Asian date formats
/// 27–36 and 50–58 too).
pub(crate) fn builtin_format(id: u32) -> NumFormat {
    match id {
        14..=22 | 27..=36 | 45 | 47 | 50..=58 => NumFormat::Date,
        46 => NumFormat::Duration,
        _ => NumFormat::Plain,
    }
}

/// The kind of a custom number format code: a date when its first section has a date or time
/// letter outside quotes, escapes and brackets; a duration when it has `[h]`, `[m]` or `[s]`.
pub(crate) fn custom_format(code: &str) -> NumFormat {
    let mut escaped = false;
    let mut quoted = false;
    let mut brackets = 0u8;
    let mut prev = ' ';
    let mut hms = false;
    let mut ap = false;
    for c in code.chars() {
        if escaped {
            escaped = false;
        } else if matches!(c, '_' | '\\' | '*') {
            // The next character is a literal (a width, an escape, a fill).
            escaped = true;
        } else if quoted {
            quoted = c != '"';
        } else {
            match c {
                '"' => quoted = true,
                ';' => return NumFormat::Plain,
                '[' => brackets = brackets.saturating_add(1),
                ']' if brackets == 1 && hms => return NumFormat::Duration,
                ']' => brackets = brackets.saturating_sub(1),
                'a' | 'A' if !ap && brackets == 0 => ap = true,
                'p' | 'm' | '/' | 'P' | 'M' if ap && brackets == 0 => return NumFormat::Date,
                'd' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S'
                    if !ap && brackets == 0 =>
                {
                    return NumFormat::Date
                }
                _ => {
                    if !(hms && c.eq_ignore_ascii_case(&prev)) {
                        hms = prev == '[' && matches!(c, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                    }
                }
            }
        }
        prev = c;
    }
    NumFormat::Plain
}

/// A number cell's text under its format.
pub(crate) fn number_text(v: f64, format: NumFormat, is_1904: bool) -> String {
    match format {
        NumFormat::Plain => float_text(v),
        NumFormat::Duration => {
            let ms = (v * 86_400_000.0).round();
            if ms % 1000.0 == 0.0 {
                float_text(ms / 1000.0)
            } else {
                format!("{:.3}", ms / 1000.0)
            }
        }
        NumFormat::Date => serial_text(v, is_1904),
    }
}

/// A number as an export meant it: whole numbers as integers (phone numbers, epoch stamps,
/// ids), others as the shortest decimal that reads back the same, never in exponent form.
pub fn float_text(f: f64) -> String {
    // 2^63 bounds what i64 holds; every f64 that large is a whole number anyway.
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.2e18 {
        (f as i64).to_string()
    } else {
        // Rust's `Display` for f64 prints the shortest round-trip digits without an exponent.
        f.to_string()
    }
}

/// The last serial day read as a date (9999-12-31); later ones are shown as that day.
const MAX_SERIAL_DAY: f64 = 2_958_465.0;

/// An Excel serial date as local wall-clock text `YYYY-MM-DD HH:MM:SS[.mmm]`. Serial 1 is
/// 1900-01-01 in the 1900 system, whose day 60 is the 1900-02-29 Excel has and the calendar
/// has not; in the 1904 system serial 0 is 1904-01-01.
pub(crate) fn serial_text(v: f64, is_1904: bool) -> String {
    let v = if v.is_nan() {
        0.0
    } else {
        v.clamp(0.0, MAX_SERIAL_DAY + 0.999_999)
    };
    let mut day = v.floor() as i64;
    let time = v.fract();
    let mut milli = ((time * 86_400.0).fract() * 1000.0).round() as i64;
    let mut secs = (time * 86_400.0) as i64;
    if milli == 1000 {
        secs += 1;
        milli = 0;
    }
    if secs == 86_400 {
        day += 1;
        secs = 0;
    }
    let days_since_1970 = if is_1904 {
        crate::calendar::days_from_civil(1904, 1, 1) + day
    } else if day == 60 {
        // Excel's 1900-02-29, which no calendar has: shown as Excel shows it.
        let (h, mi, s) = (secs / 3600, secs / 60 % 60, secs % 60);
        return format!("1900-02-29 {h:02}:{mi:02}:{s:02}");
    } else {
        // Days since 1899-12-30 from serial 61 on; before Excel's false leap day, since
        // 1899-12-31.
        day - 25_569 + i64::from(day < 60)
    };
    let (y, m, d) = crate::calendar::civil_from_days(days_since_1970);
    let (h, mi, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if milli == 0 {
        format!("{y:04}-{m:02}-{d:02} {h:02}:{mi:02}:{s:02}")
    } else {
        format!("{y:04}-{m:02}-{d:02} {h:02}:{mi:02}:{s:02}.{milli:03}")
    }
}

/// The text of a boolean cell.
pub(crate) fn bool_text(b: bool) -> &'static str {
    if b {
        "TRUE"
    } else {
        "FALSE"
    }
}

/// A 0-based column from a cell reference such as `AB12` (its letters); columns past
/// Excel's last (XFD) come back as 16384.
pub(crate) fn column_of(reference: &str) -> Option<u32> {
    let letters = reference
        .bytes()
        .take_while(u8::is_ascii_alphabetic)
        .take(4)
        .try_fold(0u32, |n, b| {
            Some(n * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1)
        })?;
    letters.checked_sub(1).map(|c| c.min(16_384))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_digits() {
        assert_eq!(float_text(8_613_800_138_000.0), "8613800138000");
        assert_eq!(float_text(1_741_536_123_749.0), "1741536123749");
        assert_eq!(float_text(7_778_804_694_738_104.0), "7778804694738104");
        assert_eq!(float_text(0.0017), "0.0017");
        assert_eq!(float_text(4.962), "4.962");
        assert_eq!(float_text(1e-7), "0.0000001");
        assert_eq!(float_text(-9.0), "-9");
        assert_eq!(float_text(0.0), "0");
    }

    #[test]
    fn dates_and_durations() {
        // 2025-03-10 00:02:03 is serial 45726 + 123/86400.
        let v = 45726.0 + 123.0 / 86_400.0;
        assert_eq!(
            number_text(v, NumFormat::Date, false),
            "2025-03-10 00:02:03"
        );
        let v = 45726.5 + 0.25 / 86_400.0;
        assert_eq!(
            number_text(v, NumFormat::Date, false),
            "2025-03-10 12:00:00.250"
        );
        assert_eq!(
            number_text(1.0, NumFormat::Date, false),
            "1900-01-01 00:00:00"
        );
        assert_eq!(
            number_text(59.0, NumFormat::Date, false),
            "1900-02-28 00:00:00"
        );
        assert_eq!(
            number_text(61.0, NumFormat::Date, false),
            "1900-03-01 00:00:00"
        );
        assert_eq!(
            number_text(0.0, NumFormat::Date, true),
            "1904-01-01 00:00:00"
        );
        assert_eq!(
            number_text(44_264.0, NumFormat::Date, true),
            "2025-03-10 00:00:00"
        );
        assert_eq!(number_text(1e300, NumFormat::Date, false).len(), 23);
        assert_eq!(
            number_text(-5.0, NumFormat::Date, false),
            "1899-12-31 00:00:00"
        );
        assert_eq!(
            number_text(102.0 / 86_400.0, NumFormat::Duration, false),
            "102"
        );
    }

    #[test]
    fn tells_date_formats() {
        for (code, want) in [
            ("yyyy-mm-dd hh:mm:ss", NumFormat::Date),
            ("DD/MM/YY", NumFormat::Date),
            ("H:MM:SS;@", NumFormat::Date),
            ("[h]:mm:ss", NumFormat::Duration),
            ("[ss]", NumFormat::Duration),
            ("#,##0.00", NumFormat::Plain),
            ("\"$\"#,##0_);[Red](\"$\"#,##0)", NumFormat::Plain),
            ("#,##0*y", NumFormat::Plain),
            ("[>=100][Magenta].00", NumFormat::Plain),
            ("@", NumFormat::Plain),
        ] {
            assert_eq!(custom_format(code), want, "{code}");
        }
        assert_eq!(builtin_format(14), NumFormat::Date);
        assert_eq!(builtin_format(46), NumFormat::Duration);
        assert_eq!(builtin_format(49), NumFormat::Plain);
    }

    #[test]
    fn chooses_sheets() {
        let names = vec!["CDR".to_string(), "Summary".to_string()];
        assert_eq!(choose_sheet(&names, None).unwrap(), 0);
        assert_eq!(choose_sheet(&names, Some("summary")).unwrap(), 1);
        assert_eq!(choose_sheet(&names, Some("2")).unwrap(), 1);
        assert_eq!(
            choose_sheet(&names, Some("Rates")).unwrap_err().message,
            "the workbook has no sheet \"Rates\" (sheets: CDR, Summary)"
        );
        assert_eq!(
            choose_sheet(&[], None).unwrap_err().message,
            "the workbook has no sheet"
        );
    }

    #[test]
    fn columns_from_references() {
        assert_eq!(column_of("A1"), Some(0));
        assert_eq!(column_of("AB12"), Some(27));
        assert_eq!(column_of("XFD1048576"), Some(16_383));
        assert_eq!(column_of("ZZZZ1"), Some(16_384));
        assert_eq!(column_of("12"), None);
    }

    #[test]
    fn rows_refuse_too_much_text_or_width_without_keeping_it() {
        let mut r = SheetRow::new(4);
        r.add(0, "a".into(), false);
        r.add(5, "  ".into(), false);
        r.add(2, "c".into(), false);
        assert_eq!(r.dense(), ["a", "", "c"]);
        r.add(MAX_FIELDS as u32, "far".into(), false);
        assert_eq!(
            r.refused,
            Some(RejectReason::TooManyFields { limit: MAX_FIELDS })
        );
        assert!(r.cells.is_empty());
        let mut r = SheetRow::new(0);
        r.add(0, "x".repeat(MAX_ROW_BYTES - 1), false);
        r.add(1, "yy".into(), false);
        assert_eq!(
            r.refused,
            Some(RejectReason::TooLong {
                limit: MAX_ROW_BYTES
            })
        );
    }

    #[test]
    fn header_is_found_below_a_title() {
        let row = |cells: &[&str]| cells.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let head = vec![
            row(&["话单查询 2025-03-10"]),
            row(&[
                "主叫号码",
                "被叫号码",
                "起始时间",
                "终止时间",
                "通话时长",
                "终止原因",
                "被叫经由网关",
            ]),
            row(&[
                "0085212345678",
                "13800138000",
                "2025-03-10 00:02:03",
                "2025-03-10 00:02:06",
                "2",
                "-9",
                "GW_A",
            ]),
        ];
        assert_eq!(header_index(&head, &FormatOptions::default()), 1);
        let plain = vec![
            row(&["Report"]),
            row(&["a", "b", "c", "d"]),
            row(&["1", "2", "3", "4"]),
        ];
        assert_eq!(header_index(&plain, &FormatOptions::default()), 1);
    }
}
