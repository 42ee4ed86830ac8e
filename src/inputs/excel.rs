//! Excel workbooks (`.xlsx` streamed cell by cell, `.xls` sheet by sheet) read with calamine,
//! their rows written as CSV text into the reader (see [`super::csv_out`] for why).
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

use super::csv_out::CsvOut;
use super::{Ctx, InputKind};
use crate::formats::{self, FormatOptions};
use crate::ingest::IngestError;
use calamine::{Data, DataRef, ExcelDateTime, Reader as _};
use std::io::{Read, Seek};

/// How many leading non-empty rows are searched for the header row.
const HEADER_SEARCH_ROWS: usize = 30;
/// The most columns a row may have (Excel's own limit).
const MAX_COLUMNS: u32 = 16_384;

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
    let out = &mut *ctx.out;
    let mut push = |bytes: &[u8]| out.push(bytes);
    let result = read_sheet(src, kind, sheet.as_deref(), &format, &mut push).map(|_| ());
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
}

/// Writes the rows of sheet `sheet` (a name or a 1-based position; the first sheet when
/// `None`) of an xlsx or xls workbook as UTF-8 CSV text to `out`.
pub fn read_sheet<R: Read + Seek>(
    src: R,
    kind: InputKind,
    sheet: Option<&str>,
    format: &FormatOptions,
    out: &mut dyn FnMut(&[u8]) -> Result<(), IngestError>,
) -> Result<SheetInfo, IngestError> {
    let err = |e: &dyn std::fmt::Display| IngestError {
        message: format!("not a readable {} workbook: {e}", kind.name()),
    };
    let mut csv = CsvOut::new(out);
    match kind {
        InputKind::Xls => {
            let mut src = src;
            super::cfb_check::check_chains(&mut src).map_err(|message| IngestError { message })?;
            let mut wb = calamine::Xls::new(src).map_err(|e| err(&e))?;
            let sheet = choose_sheet(&wb.sheet_names(), sheet)?;
            let range = wb.worksheet_range(&sheet).map_err(|e| err(&e))?;
            let (row0, col0) = range.start().unwrap_or((0, 0));
            let mut rows = range.rows().enumerate().map(|(i, cells)| {
                let mut text: Vec<String> = vec![String::new(); col0 as usize];
                text.extend(cells.iter().map(data_text));
                Ok(Some((row0 + i as u32, text)))
            });
            let mut next = || rows.next().unwrap_or(Ok(None));
            write_rows(&mut next, format, &mut csv, sheet).inspect_err(|_| {
                // Rows converted before the error stay in the data set.
                let _ = csv.flush();
            })
        }
        _ => {
            let mut wb = calamine::Xlsx::new(src).map_err(|e| err(&e))?;
            let sheet = choose_sheet(&wb.sheet_names(), sheet)?;
            let mut cells = wb.worksheet_cells_reader(&sheet).map_err(|e| err(&e))?;
            let mut pending: Option<(u32, u32, String)> = None;
            // calamine's cell reader must not be asked again once it said the sheet ended: it
            // would read on past `</sheetData>` and fail.
            let mut ended = false;
            // Cells come in row order; a row is complete when the next row's first cell shows.
            let mut next = || -> Result<Option<(u32, Vec<String>)>, IngestError> {
                let mut row: Option<(u32, Vec<String>)> = None;
                loop {
                    let cell = match pending.take() {
                        Some(c) => Some(c),
                        None if ended => None,
                        None => cells.next_cell().map_err(|e| err(&e))?.map(|c| {
                            let (r, col) = c.get_position();
                            (r, col, data_ref_text(c.get_value()))
                        }),
                    };
                    let Some((r, col, text)) = cell else {
                        ended = true;
                        return Ok(row);
                    };
                    match &mut row {
                        Some((cur, _)) if *cur != r => {
                            pending = Some((r, col, text));
                            return Ok(row);
                        }
                        Some((_, cells)) => place(cells, col, text)?,
                        None => {
                            let mut cells = Vec::new();
                            place(&mut cells, col, text)?;
                            row = Some((r, cells));
                        }
                    }
                }
            };
            write_rows(&mut next, format, &mut csv, sheet).inspect_err(|_| {
                let _ = csv.flush();
            })
        }
    }
}

fn place(cells: &mut Vec<String>, col: u32, text: String) -> Result<(), IngestError> {
    if col >= MAX_COLUMNS {
        return Err(IngestError {
            message: format!("a cell lies beyond Excel's {MAX_COLUMNS} columns"),
        });
    }
    let col = col as usize;
    if cells.len() <= col {
        cells.resize(col + 1, String::new());
    }
    cells[col] = text;
    Ok(())
}

/// Picks the sheet by exact name, then by name ignoring case, then by 1-based position.
fn choose_sheet(names: &[String], wanted: Option<&str>) -> Result<String, IngestError> {
    let found = match wanted.map(str::trim) {
        None | Some("") => names.first(),
        Some(w) => names
            .iter()
            .find(|n| n.as_str() == w)
            .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(w)))
            .or_else(|| {
                w.parse::<usize>()
                    .ok()
                    .and_then(|i| i.checked_sub(1))
                    .and_then(|i| names.get(i))
            }),
    };
    found.cloned().ok_or_else(|| IngestError {
        message: match wanted {
            Some(w) => format!(
                "the workbook has no sheet {w:?} (sheets: {})",
                names.join(", ")
            ),
            None => "the workbook has no sheet".into(),
        },
    })
}

type NextRow<'a> = dyn FnMut() -> Result<Option<(u32, Vec<String>)>, IngestError> + 'a;

/// Finds the header row, then writes it and every later row, each on its sheet row's line.
fn write_rows(
    next: &mut NextRow<'_>,
    format: &FormatOptions,
    csv: &mut CsvOut<'_>,
    sheet: String,
) -> Result<SheetInfo, IngestError> {
    let mut head: Vec<(u32, Vec<String>)> = Vec::new();
    let mut exhausted = false;
    while head.len() < HEADER_SEARCH_ROWS {
        match next()? {
            Some((r, mut cells)) => {
                trim_end(&mut cells);
                if !cells.is_empty() {
                    head.push((r, cells));
                }
            }
            None => {
                exhausted = true;
                break;
            }
        }
    }
    let start = header_index(&head, format);
    let header_row = head.get(start).map(|(r, _)| *r + 1);
    let width = head.get(start).map_or(0, |(_, c)| c.len());
    let mut line: u32 = 1;
    let mut write = |r: u32, mut cells: Vec<String>, csv: &mut CsvOut<'_>| {
        trim_end(&mut cells);
        if cells.is_empty() {
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
        csv.record(&cells)?;
        line = line.saturating_add(1);
        Ok::<(), IngestError>(())
    };
    for (r, cells) in head.into_iter().skip(start) {
        write(r, cells, csv)?;
    }
    if !exhausted {
        while let Some((r, cells)) = next()? {
            write(r, cells, csv)?;
        }
    }
    csv.flush()?;
    Ok(SheetInfo {
        sheet,
        header_row,
        records: csv.records(),
    })
}

fn trim_end(cells: &mut Vec<String>) {
    while cells.last().is_some_and(|c| c.trim().is_empty()) {
        cells.pop();
    }
}

/// The index (in `head`) of the row the data starts at: the first row from which a CDR format
/// is recognised, else the first row at least half as wide as the widest row (titles and
/// notes above a header are one or two cells), else the first row.
fn header_index(head: &[(u32, Vec<String>)], format: &FormatOptions) -> usize {
    let detect_opts = FormatOptions {
        format: None,
        mapping: format.mapping.clone(),
        ..FormatOptions::default()
    };
    let rows: Vec<Vec<String>> = head.iter().map(|(_, c)| c.clone()).collect();
    if let Some(i) = (0..rows.len()).find(|&i| formats::detect(&rows[i..], &detect_opts).is_ok()) {
        return i;
    }
    let widest = rows.iter().map(Vec::len).max().unwrap_or(0);
    let filled = |r: &Vec<String>| r.iter().filter(|c| !c.trim().is_empty()).count();
    rows.iter()
        .position(|r| filled(r) >= 3 && filled(r) * 2 >= widest)
        .unwrap_or(0)
}

/// The text of a cell of an in-memory range (xls).
fn data_text(d: &Data) -> String {
    match d {
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::String(s) => s.clone(),
        Data::Bool(b) => bool_text(*b).into(),
        Data::DateTime(dt) => datetime_text(dt),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
        Data::Empty => String::new(),
    }
}

/// The text of a streamed cell (xlsx).
fn data_ref_text(d: &DataRef<'_>) -> String {
    match d {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => float_text(*f),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Bool(b) => bool_text(*b).into(),
        DataRef::DateTime(dt) => datetime_text(dt),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

fn bool_text(b: bool) -> &'static str {
    if b {
        "TRUE"
    } else {
        "FALSE"
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

/// A date cell as local wall-clock text; a duration cell as seconds.
fn datetime_text(dt: &ExcelDateTime) -> String {
    if dt.is_duration() {
        let ms = (dt.as_f64() * 86_400_000.0).round();
        return if ms % 1000.0 == 0.0 {
            float_text(ms / 1000.0)
        } else {
            format!("{:.3}", ms / 1000.0)
        };
    }
    let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
    if ms == 0 {
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
    } else {
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}.{ms:03}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;

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
        let dt = ExcelDateTime::new(
            45726.0 + 123.0 / 86_400.0,
            ExcelDateTimeType::DateTime,
            false,
        );
        assert_eq!(datetime_text(&dt), "2025-03-10 00:02:03");
        let dt = ExcelDateTime::new(
            45726.5 + 0.25 / 86_400.0,
            ExcelDateTimeType::DateTime,
            false,
        );
        assert_eq!(datetime_text(&dt), "2025-03-10 12:00:00.250");
        let d = ExcelDateTime::new(102.0 / 86_400.0, ExcelDateTimeType::TimeDelta, false);
        assert_eq!(datetime_text(&d), "102");
    }

    #[test]
    fn chooses_sheets() {
        let names = vec!["CDR".to_string(), "Summary".to_string()];
        assert_eq!(choose_sheet(&names, None).unwrap(), "CDR");
        assert_eq!(choose_sheet(&names, Some("summary")).unwrap(), "Summary");
        assert_eq!(choose_sheet(&names, Some("2")).unwrap(), "Summary");
        assert_eq!(
            choose_sheet(&names, Some("Rates")).unwrap_err().message,
            "the workbook has no sheet \"Rates\" (sheets: CDR, Summary)"
        );
    }

    #[test]
    fn header_is_found_below_a_title() {
        let row = |cells: &[&str]| cells.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let head = vec![
            (0, row(&["话单查询 2025-03-10"])),
            (
                2,
                row(&[
                    "主叫号码",
                    "被叫号码",
                    "起始时间",
                    "终止时间",
                    "通话时长",
                    "终止原因",
                    "被叫经由网关",
                ]),
            ),
            (
                3,
                row(&[
                    "0085212345678",
                    "13800138000",
                    "2025-03-10 00:02:03",
                    "2025-03-10 00:02:06",
                    "2",
                    "-9",
                    "GW_A",
                ]),
            ),
        ];
        assert_eq!(header_index(&head, &FormatOptions::default()), 1);
        let plain = vec![
            (0, row(&["Report"])),
            (1, row(&["a", "b", "c", "d"])),
            (2, row(&["1", "2", "3", "4"])),
        ];
        assert_eq!(header_index(&plain, &FormatOptions::default()), 1);
    }
}
