//! `.xlsx` (Office Open XML) workbooks, read with the zip reader and [`super::xml`]: the
//! workbook's sheet list, its number formats (to tell date cells), its shared strings, then
//! the chosen sheet streamed row by row.
//!
//! Nothing the workbook declares about its own size is used: the shared-string table's
//! `count`/`uniqueCount`, the sheet's `<dimension>` and the zip entries' sizes are ignored;
//! what is held is what was read, within the limits of [`super::excel`].

use super::excel::{
    self, bool_text, column_of, custom_format, NumFormat, RowsTo, Shared, SharedStrings, SheetInfo,
    SheetRow, MAX_ROWS,
};
use super::xml::{Event, XmlReader};
use crate::reject::{IngestError, MAX_ROW_BYTES};
use rustc_hash::FxHashMap as HashMap;
use std::io::{Read, Seek};
use zip::ZipArchive;

/// The most cell formats (`<xf>` of `cellXfs`) kept; Excel itself allows 64,000.
const MAX_XFS: usize = 1 << 20;

fn err(why: impl std::fmt::Display) -> IngestError {
    IngestError {
        message: format!("not a readable xlsx workbook: {why}"),
    }
}

/// Reads sheet `wanted` (see [`excel::choose_sheet`]) of a workbook and hands its rows on.
pub(crate) fn read<R: Read + Seek>(
    src: R,
    wanted: Option<&str>,
    rows_to: &mut RowsTo<'_>,
) -> Result<SheetInfo, IngestError> {
    let mut zip = super::zip::open(src).map_err(err)?;
    let workbook = relationships(&mut zip, "_rels/.rels")?
        .into_iter()
        .find(|r| r.kind == "officeDocument")
        .map_or_else(|| "xl/workbook.xml".to_string(), |r| resolve("", &r.target));
    let dir = workbook
        .rfind('/')
        .map_or(String::new(), |i| workbook[..=i].to_string());
    let rels_path = format!("{dir}_rels/{}.rels", &workbook[dir.len()..]);
    let rels = relationships(&mut zip, &rels_path)?;
    let (sheets, is_1904) = read_workbook(&mut zip, &workbook)?;
    let names: Vec<String> = sheets.iter().map(|(n, _)| n.clone()).collect();
    let chosen = excel::choose_sheet(&names, wanted)?;
    let target_of = |kind: &str, default: &str| {
        rels.iter()
            .find(|r| r.kind == kind)
            .map_or_else(|| format!("{dir}{default}"), |r| resolve(&dir, &r.target))
    };
    let sheet_path = rels
        .iter()
        .find(|r| r.id == sheets[chosen].1)
        .map(|r| resolve(&dir, &r.target))
        .ok_or_else(|| err(format!("sheet {:?} has no part", names[chosen])))?;
    let formats = read_styles(&mut zip, &target_of("styles", "styles.xml"))?;
    let strings = read_shared_strings(&mut zip, &target_of("sharedStrings", "sharedStrings.xml"))?;
    let part = open_part(&mut zip, &sheet_path)?
        .ok_or_else(|| err(format!("the sheet part {sheet_path} is missing")))?;
    let mut cells = Cells {
        xml: XmlReader::new(part),
        strings: &strings,
        formats: &formats,
        is_1904,
        in_data: false,
        done: false,
        next_row: 0,
        text: Vec::new(),
    };
    rows_to(names[chosen].clone(), &mut || cells.next_row())
}

/// One relationship of a `.rels` part.
struct Rel {
    id: String,
    /// The last segment of the relationship type (`officeDocument`, `worksheet`, …).
    kind: String,
    target: String,
}

/// Opens a part by name, ignoring case as the format allows; `None` when it is absent.
fn open_part<'z, R: Read + Seek>(
    zip: &'z mut ZipArchive<R>,
    path: &str,
) -> Result<Option<zip::read::ZipFile<'z, R>>, IngestError> {
    let index = zip.index_for_name(path).or_else(|| {
        zip.file_names()
            .position(|n| n.is_ok_and(|n| n.eq_ignore_ascii_case(path)))
    });
    match index {
        Some(i) => zip.by_index(i).map(Some).map_err(err),
        None => Ok(None),
    }
}

/// A relationship target as a part name: absolute (`/xl/…`) or relative to `dir`, with `..`
/// segments applied.
fn resolve(dir: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("{dir}{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The relationships of a `.rels` part (none when it is absent).
fn relationships<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    path: &str,
) -> Result<Vec<Rel>, IngestError> {
    let Some(part) = open_part(zip, path)? else {
        return Ok(Vec::new());
    };
    let mut xml = XmlReader::new(part);
    let mut out = Vec::new();
    loop {
        match xml.next(&mut Vec::new(), 0).map_err(err)? {
            Event::Eof => break,
            Event::Start | Event::Empty if xml.name() == b"Relationship" => {
                let kind = xml.attr(b"Type").unwrap_or_default();
                out.push(Rel {
                    id: xml.attr(b"Id").unwrap_or_default(),
                    kind: kind.rsplit('/').next().unwrap_or_default().to_string(),
                    target: xml.attr(b"Target").unwrap_or_default(),
                });
                // A workbook has a handful; thousands would be a hostile file.
                if out.len() > 100_000 {
                    return Err(err("too many relationships"));
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The sheets (name, relationship id) and whether dates count from 1904.
fn read_workbook<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    path: &str,
) -> Result<(Vec<(String, String)>, bool), IngestError> {
    let part = open_part(zip, path)?.ok_or_else(|| err("it has no workbook part"))?;
    let mut xml = XmlReader::new(part);
    let mut sheets = Vec::new();
    let mut is_1904 = false;
    loop {
        match xml.next(&mut Vec::new(), 0).map_err(err)? {
            Event::Eof => break,
            Event::Start | Event::Empty => match xml.name() {
                b"workbookPr" => {
                    is_1904 = matches!(xml.attr(b"date1904").as_deref(), Some("1" | "true"));
                }
                b"sheet" => {
                    let name = xml.attr(b"name").unwrap_or_default();
                    sheets.push((name, xml.attr(b"id").unwrap_or_default()));
                    if sheets.len() > 100_000 {
                        return Err(err("too many sheets"));
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    Ok((sheets, is_1904))
}

/// How each cell format (`s` of a cell) shows numbers.
fn read_styles<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    path: &str,
) -> Result<Vec<NumFormat>, IngestError> {
    let Some(part) = open_part(zip, path)? else {
        return Ok(Vec::new());
    };
    let mut xml = XmlReader::new(part);
    let mut custom: HashMap<u32, NumFormat> = HashMap::default();
    let mut xfs = Vec::new();
    let mut in_cell_xfs = false;
    loop {
        match xml.next(&mut Vec::new(), 0).map_err(err)? {
            Event::Eof => break,
            Event::Start | Event::Empty => match xml.name() {
                b"numFmt" => {
                    let id = xml.attr(b"numFmtId").and_then(|v| v.parse().ok());
                    if let (Some(id), Some(code)) = (id, xml.attr(b"formatCode")) {
                        if custom.len() < MAX_XFS {
                            custom.insert(id, custom_format(&code));
                        }
                    }
                }
                b"cellXfs" => in_cell_xfs = true,
                b"xf" if in_cell_xfs && xfs.len() < MAX_XFS => {
                    let id: u32 = xml
                        .attr(b"numFmtId")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0);
                    xfs.push(
                        custom
                            .get(&id)
                            .copied()
                            .unwrap_or_else(|| excel::builtin_format(id)),
                    );
                }
                _ => {}
            },
            Event::End if xml.name() == b"cellXfs" => in_cell_xfs = false,
            _ => {}
        }
    }
    Ok(xfs)
}

/// The shared strings: each `<si>`'s text, its runs (`<r><t>`) joined, phonetic hints
/// (`<rPh>`) left out.
fn read_shared_strings<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    path: &str,
) -> Result<SharedStrings, IngestError> {
    let mut strings = SharedStrings::default();
    let Some(part) = open_part(zip, path)? else {
        return Ok(strings);
    };
    let mut xml = XmlReader::new(part);
    let mut text = Vec::new();
    let (mut in_si, mut in_t, mut in_rph, mut long) = (false, false, false, false);
    loop {
        let limit = if in_si && in_t && !in_rph {
            MAX_ROW_BYTES
        } else {
            0
        };
        match xml.next(&mut text, limit).map_err(err)? {
            Event::Eof => break,
            Event::Start => match xml.name() {
                b"si" => {
                    in_si = true;
                    long = false;
                    text.clear();
                }
                b"t" => in_t = true,
                b"rPh" => in_rph = true,
                _ => {}
            },
            Event::Empty if xml.name() == b"si" => strings.push("", false)?,
            Event::End => match xml.name() {
                b"si" => {
                    in_si = false;
                    strings.push(&ooxml_unescape(&String::from_utf8_lossy(&text)), long)?;
                    text.clear();
                }
                b"t" => in_t = false,
                b"rPh" => in_rph = false,
                _ => {}
            },
            Event::Text(l) => long |= l && limit > 0,
            Event::Empty => {}
        }
    }
    Ok(strings)
}

/// Undoes OOXML's `_xHHHH_` escapes of characters XML cannot hold (`_x000D_` for a CR).
fn ooxml_unescape(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains("_x") {
        return s.into();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("_x") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let code = tail
            .get(2..6)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .filter(|_| tail.as_bytes().get(6) == Some(&b'_'))
            .and_then(|h| u32::from_str_radix(h, 16).ok());
        match code {
            Some(c) => {
                out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                rest = &tail[7..];
            }
            None => {
                out.push_str("_x");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

/// The sheet part, read row by row.
struct Cells<'s, R: Read> {
    xml: XmlReader<R>,
    strings: &'s SharedStrings,
    formats: &'s [NumFormat],
    is_1904: bool,
    /// Inside `<sheetData>`.
    in_data: bool,
    done: bool,
    /// The row number a row without `r` gets.
    next_row: u32,
    text: Vec<u8>,
}

/// A cell being read.
struct Cell {
    col: u32,
    kind: Vec<u8>,
    style: usize,
    value: Option<String>,
    long: bool,
}

impl<R: Read> Cells<'_, R> {
    /// The next row with its cells, `None` after `</sheetData>`.
    fn next_row(&mut self) -> Result<Option<SheetRow>, IngestError> {
        if self.done {
            return Ok(None);
        }
        let mut row: Option<SheetRow> = None;
        let mut cell: Option<Cell> = None;
        let mut next_col = 0u32;
        // In `<v>` or in an inline string's `<t>` (not a phonetic hint).
        let (mut in_value, mut in_inline, mut in_rph) = (false, false, false);
        loop {
            let room = row.as_ref().map_or(0, SheetRow::room);
            let limit = if in_value && !in_rph { room } else { 0 };
            let before = self.text.len();
            let event = self.xml.next(&mut self.text, limit).map_err(err)?;
            match event {
                Event::Eof => {
                    self.done = true;
                    return Ok(row);
                }
                Event::Start | Event::Empty => {
                    let empty = event == Event::Empty;
                    match self.xml.name() {
                        b"sheetData" if !empty => self.in_data = true,
                        b"row" if self.in_data => {
                            let r = match self.xml.attr(b"r") {
                                Some(v) => v
                                    .trim()
                                    .parse::<u32>()
                                    .ok()
                                    .filter(|&r| (1..=MAX_ROWS).contains(&r))
                                    .ok_or_else(|| {
                                        err(format!(
                                            "row number {v:?} is not between 1 and Excel's {MAX_ROWS}"
                                        ))
                                    })?,
                                None => self.next_row + 1,
                            };
                            self.next_row = r;
                            next_col = 0;
                            if !empty {
                                row = Some(SheetRow::new(r - 1));
                            }
                        }
                        b"c" if row.is_some() => {
                            let col = self
                                .xml
                                .attr(b"r")
                                .and_then(|r| column_of(&r))
                                .unwrap_or(next_col);
                            next_col = col.saturating_add(1);
                            if !empty {
                                cell = Some(Cell {
                                    col,
                                    kind: self.xml.attr(b"t").unwrap_or_default().into_bytes(),
                                    style: self
                                        .xml
                                        .attr(b"s")
                                        .and_then(|s| s.parse().ok())
                                        .unwrap_or(0),
                                    value: None,
                                    long: false,
                                });
                            }
                        }
                        b"v" if cell.is_some() && !empty => {
                            in_value = true;
                            self.text.clear();
                        }
                        b"is" if cell.is_some() && !empty => {
                            in_inline = true;
                            self.text.clear();
                        }
                        b"t" if in_inline && !empty => in_value = true,
                        b"rPh" if !empty => in_rph = true,
                        _ => {}
                    }
                }
                Event::End => match self.xml.name() {
                    b"v" if in_value && !in_inline => {
                        in_value = false;
                        if let Some(c) = cell.as_mut() {
                            c.value = Some(String::from_utf8_lossy(&self.text).into_owned());
                        }
                    }
                    b"t" if in_inline => in_value = false,
                    b"rPh" => in_rph = false,
                    b"is" if in_inline => {
                        in_inline = false;
                        if let Some(c) = cell.as_mut() {
                            let t = String::from_utf8_lossy(&self.text);
                            c.value = Some(ooxml_unescape(&t).into_owned());
                        }
                    }
                    b"c" => {
                        if let (Some(c), Some(r)) = (cell.take(), row.as_mut()) {
                            self.finish_cell(c, r);
                        }
                    }
                    b"row" => {
                        if let Some(r) = row.take() {
                            return Ok(Some(r));
                        }
                    }
                    b"sheetData" => {
                        self.done = true;
                        return Ok(row);
                    }
                    _ => {}
                },
                Event::Text(long) => {
                    if in_value && !in_rph {
                        if let Some(c) = cell.as_mut() {
                            c.long |= long;
                        }
                    } else {
                        // Text outside a value (whitespace between tags) is not kept.
                        self.text.truncate(before);
                    }
                }
            }
        }
    }

    /// Adds a finished cell's text to its row.
    fn finish_cell(&self, c: Cell, row: &mut SheetRow) {
        if c.long {
            row.add(c.col, String::new(), true);
            return;
        }
        let Some(v) = c.value else {
            return;
        };
        let text = match c.kind.as_slice() {
            b"s" => match v.trim().parse::<usize>().map(|i| self.strings.get(i)) {
                Ok(Shared::Text(s)) => s.to_string(),
                Ok(Shared::TooLong) => {
                    row.add(c.col, String::new(), true);
                    return;
                }
                // A broken index: the cell is empty, as Excel shows it.
                Ok(Shared::Missing) | Err(_) => return,
            },
            b"b" => bool_text(v.trim() == "1").to_string(),
            b"str" | b"inlineStr" | b"e" | b"d" => v,
            _ => match v.trim().parse::<f64>() {
                Ok(f) => {
                    let format = self
                        .formats
                        .get(c.style)
                        .copied()
                        .unwrap_or(NumFormat::Plain);
                    excel::number_text(f, format, self.is_1904)
                }
                Err(_) => v,
            },
        };
        row.add(c.col, text, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_targets_and_unescapes() {
        assert_eq!(
            resolve("xl/", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl/", "/xl/worksheets/s.xml"),
            "xl/worksheets/s.xml"
        );
        assert_eq!(resolve("xl/", "../x/./y.xml"), "x/y.xml");
        assert_eq!(ooxml_unescape("a_x000D_b_x00_"), "a\rb_x00_");
    }
}
