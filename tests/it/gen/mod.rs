//! Generators of hostile inputs (issue 22): each writes the file an attacker would, small
//! ones in memory, large ones into a temporary folder at test time (nothing big is kept in
//! git). Shared by `tests/hostile_inputs.rs` (the library) and `tests/hostile_cli.rs` (the
//! command line, with time and memory limits) and by the browser tests' fixtures
//! (`cargo test --test hostile_inputs write_browser_fixtures -- --ignored`).

#![allow(dead_code)]

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// A minimal VOS3000 header the format detection recognises.
pub const HEADER: &str = "flowno,starttime,stoptime,holdtime,endreason,calleegatewayid";

/// One VOS3000 data row: call `i`, answered with 2 s of talk on `gw`.
pub fn row(i: u64, gw: &str) -> String {
    let start = 1_741_536_123_749 + i * 10_000;
    format!("{i},{start},{},2,-9,{gw}", start + 2_925)
}

/// A CSV of `n` rows on gateway `gw`.
pub fn csv(n: u64, gw: &str) -> String {
    let mut s = format!("{HEADER}\n");
    for i in 1..=n {
        s.push_str(&row(i, gw));
        s.push('\n');
    }
    s
}

/// A fresh temporary folder for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cdrscope-hostile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A zip archive of `(name, bytes)` entries, deflated.
pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Writes a zip entry whose content is `parts` repeated `times` times (never held whole).
fn entry_repeated(
    w: &mut ZipWriter<Cursor<Vec<u8>>>,
    name: &str,
    head: &str,
    part: &str,
    times: u64,
    tail: &str,
) {
    let opts = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .large_file(true);
    w.start_file(name, opts).unwrap();
    w.write_all(head.as_bytes()).unwrap();
    let block = part.repeat(1 + (64 * 1024) / part.len().max(1));
    let per_block = (block.len() / part.len()) as u64;
    let mut left = times;
    while left >= per_block {
        w.write_all(block.as_bytes()).unwrap();
        left -= per_block;
    }
    for _ in 0..left {
        w.write_all(part.as_bytes()).unwrap();
    }
    w.write_all(tail.as_bytes()).unwrap();
}

/// The fixed parts of a one-sheet workbook, with a shared-string part when `shared` is set.
fn xlsx_frame(w: &mut ZipWriter<Cursor<Vec<u8>>>, shared: bool) {
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let mut put = |name: &str, text: &str| {
        w.start_file(name, opts).unwrap();
        w.write_all(text.as_bytes()).unwrap();
    };
    put(
        "[Content_Types].xml",
        r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#,
    );
    put(
        "_rels/.rels",
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    put(
        "xl/workbook.xml",
        r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="CDR" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    );
    let ss = if shared {
        r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#
    } else {
        ""
    };
    put(
        "xl/_rels/workbook.xml.rels",
        &format!(
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>{ss}</Relationships>"#
        ),
    );
}

const SHEET_HEAD: &str = r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>"#;
const SHEET_TAIL: &str = "</sheetData></worksheet>";

/// Cells of one sheet row: inline strings for text, numbers for numbers.
fn row_xml(r: u64, cells: &[String], extra: &str) -> String {
    let mut x = format!("<row r=\"{r}\">");
    for (i, v) in cells.iter().enumerate() {
        let col = (b'A' + i as u8) as char;
        if v.parse::<f64>().is_ok() {
            x.push_str(&format!("<c r=\"{col}{r}\"><v>{v}</v></c>"));
        } else {
            x.push_str(&format!(
                "<c r=\"{col}{r}\" t=\"inlineStr\"><is><t>{v}</t></is></c>"
            ));
        }
    }
    x.push_str(extra);
    x.push_str("</row>");
    x
}

/// The rows of `csv(n, gw)` as sheet XML, `extra` appended to every row (a stray cell).
fn sheet_rows(n: u64, gw: &str, extra: impl Fn(u64) -> String) -> String {
    let mut x = String::new();
    let header: Vec<String> = HEADER.split(',').map(String::from).collect();
    x.push_str(&row_xml(1, &header, ""));
    for i in 1..=n {
        let cells: Vec<String> = row(i, gw).split(',').map(String::from).collect();
        x.push_str(&row_xml(i + 1, &cells, &extra(i + 1)));
    }
    x
}

/// A workbook of `n` rows whose gateway name is a shared string, its table declaring
/// `unique_count` strings (1,000,000,000,000 or u64::MAX: the old reader reserved that many).
pub fn xlsx_lying_unique_count(n: u64, unique_count: &str) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    xlsx_frame(&mut w, true);
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    w.start_file("xl/sharedStrings.xml", opts).unwrap();
    write!(
        w,
        r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{unique_count}" uniqueCount="{unique_count}"><si><t>GW_SHARED</t></si></sst>"#
    )
    .unwrap();
    let mut x = SHEET_HEAD.to_string();
    let header: Vec<String> = HEADER.split(',').map(String::from).collect();
    x.push_str(&row_xml(1, &header, ""));
    for i in 1..=n {
        let cells: Vec<String> = row(i, "X").split(',').map(String::from).collect();
        let mut r = row_xml(i + 1, &cells[..5], "");
        r.insert_str(
            r.len() - "</row>".len(),
            &format!("<c r=\"F{}\" t=\"s\"><v>0</v></c>", i + 1),
        );
        x.push_str(&r);
    }
    x.push_str(SHEET_TAIL);
    w.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    w.write_all(x.as_bytes()).unwrap();
    w.finish().unwrap().into_inner()
}

/// A workbook whose shared strings hold `mib` MiB of text (in 1 KiB strings) and whose sheet
/// has `n` good rows: a few MB of file, hundreds of MB of strings.
pub fn xlsx_shared_strings_bomb(mib: u64, n: u64) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    xlsx_frame(&mut w, true);
    let s = format!("<si><t>{}</t></si>", "s".repeat(1024));
    entry_repeated(
        &mut w,
        "xl/sharedStrings.xml",
        r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
        &s,
        mib * 1024,
        "</sst>",
    );
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    w.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    w.write_all(SHEET_HEAD.as_bytes()).unwrap();
    w.write_all(sheet_rows(n, "GW_A", |_| String::new()).as_bytes())
        .unwrap();
    w.write_all(SHEET_TAIL.as_bytes()).unwrap();
    w.finish().unwrap().into_inner()
}

/// A workbook with `n` good rows and, at row `at`, one inline-string cell of `mib` MiB.
pub fn xlsx_huge_cell(n: u64, at: u64, mib: u64) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    xlsx_frame(&mut w, false);
    let head = format!(
        "{SHEET_HEAD}{}<row r=\"{at}\"><c r=\"A{at}\" t=\"inlineStr\"><is><t>",
        sheet_rows(at - 2, "GW_A", |_| String::new())
    );
    let mut tail = "</t></is></c></row>".to_string();
    for i in at - 1..=n {
        let cells: Vec<String> = row(i, "GW_A").split(',').map(String::from).collect();
        tail.push_str(&row_xml(i + 2, &cells, ""));
    }
    tail.push_str(SHEET_TAIL);
    entry_repeated(
        &mut w,
        "xl/worksheets/sheet1.xml",
        &head,
        "x",
        mib << 20,
        &tail,
    );
    w.finish().unwrap().into_inner()
}

/// A workbook of `n` rows, each with one more cell in column XFD (Excel's last).
pub fn xlsx_far_column(n: u64) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    xlsx_frame(&mut w, false);
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    w.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    w.write_all(SHEET_HEAD.as_bytes()).unwrap();
    let rows = sheet_rows(n, "GW_A", |r| format!("<c r=\"XFD{r}\"><v>1</v></c>"));
    w.write_all(rows.as_bytes()).unwrap();
    w.write_all(SHEET_TAIL.as_bytes()).unwrap();
    w.finish().unwrap().into_inner()
}

/// A workbook whose first row is no CDR header and whose second row has a cell in the last
/// column: the row is refused before the sheet is found to be no CDR at all (found by fuzzing).
pub fn xlsx_unknown_with_far_column() -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    xlsx_frame(&mut w, false);
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    w.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    w.write_all(SHEET_HEAD.as_bytes()).unwrap();
    let first: Vec<String> = vec!["GW_A".into(), "ab".into()];
    w.write_all(row_xml(1, &first, "").as_bytes()).unwrap();
    let second: Vec<String> = vec!["45726.5".into()];
    w.write_all(row_xml(2, &second, r#"<c r="XFD2"><v>1</v></c>"#).as_bytes())
        .unwrap();
    w.write_all(SHEET_TAIL.as_bytes()).unwrap();
    w.finish().unwrap().into_inner()
}

/// A BIFF8 record.
fn rec(kind: u16, data: &[u8]) -> Vec<u8> {
    let mut r = kind.to_le_bytes().to_vec();
    r.extend_from_slice(&(data.len() as u16).to_le_bytes());
    r.extend_from_slice(data);
    r
}

/// A `LABEL` cell (8-bit text).
fn label(row: u16, col: u16, text: &str) -> Vec<u8> {
    let mut d = Vec::new();
    d.extend_from_slice(&row.to_le_bytes());
    d.extend_from_slice(&col.to_le_bytes());
    d.extend_from_slice(&15u16.to_le_bytes());
    d.extend_from_slice(&(text.len() as u16).to_le_bytes());
    d.push(0);
    d.extend_from_slice(text.as_bytes());
    rec(0x0204, &d)
}

/// A `NUMBER` cell.
fn number(row: u16, col: u16, v: f64) -> Vec<u8> {
    let mut d = Vec::new();
    d.extend_from_slice(&row.to_le_bytes());
    d.extend_from_slice(&col.to_le_bytes());
    d.extend_from_slice(&15u16.to_le_bytes());
    d.extend_from_slice(&v.to_le_bytes());
    rec(0x0203, &d)
}

/// A BIFF8 `BOF` record of substream type `dt` (5 the globals, 0x10 a sheet).
fn xls_bof(dt: u16) -> Vec<u8> {
    let mut d = vec![0u8; 16];
    d[..2].copy_from_slice(&0x0600u16.to_le_bytes());
    d[2..4].copy_from_slice(&dt.to_le_bytes());
    rec(0x0809, &d)
}

/// A `Workbook` stream: `globals` (from its BOF on), one BOUNDSHEET naming the sheet "CDR",
/// the globals' EOF, then `sheet`.
fn xls_stream(mut globals: Vec<u8>, sheet: &[u8]) -> Vec<u8> {
    // BOUNDSHEET: position, visibility, kind, then the name (8-bit length, flags, text).
    let bound = |at: u32| {
        let mut b = at.to_le_bytes().to_vec();
        b.extend_from_slice(&[0, 0, 3, 0]);
        b.extend_from_slice(b"CDR");
        rec(0x0085, &b)
    };
    let sheet_at = (globals.len() + bound(0).len() + rec(0x000A, &[]).len()) as u32;
    globals.extend(bound(sheet_at));
    globals.extend(rec(0x000A, &[]));
    assert_eq!(globals.len() as u32, sheet_at);
    globals.extend_from_slice(sheet);
    globals
}

/// An Excel 97 workbook of `n` rows whose sheet's `DIMENSIONS` record claims `rows` × `cols`
/// cells (the old reader sized its cell table from it).
pub fn xls_lying_dimensions(n: u16, rows: u32, cols: u16) -> Vec<u8> {
    let mut sheet = xls_bof(0x0010);
    let mut dims = Vec::new();
    dims.extend_from_slice(&0u32.to_le_bytes());
    dims.extend_from_slice(&rows.to_le_bytes());
    dims.extend_from_slice(&0u16.to_le_bytes());
    dims.extend_from_slice(&cols.to_le_bytes());
    dims.extend_from_slice(&0u16.to_le_bytes());
    sheet.extend(rec(0x0200, &dims));
    for (c, h) in HEADER.split(',').enumerate() {
        sheet.extend(label(0, c as u16, h));
    }
    for i in 1..=n {
        for (c, v) in row(u64::from(i), "GW_XLS").split(',').enumerate() {
            sheet.extend(match v.parse::<f64>() {
                Ok(f) => number(i, c as u16, f),
                Err(_) => label(i, c as u16, v),
            });
        }
    }
    sheet.extend(rec(0x000A, &[]));
    cfb_with_stream("Workbook", &xls_stream(xls_bof(0x0005), &sheet))
}

/// The `Workbook` stream of an Excel 97 workbook with a cell record of every kind the reader
/// knows: shared strings split by a `CONTINUE` that switches to UTF-16, a custom date format
/// (cell format 15, format 164), `NUMBER`, `RK`, `MULRK`, `LABELSST`, `LABEL`, `BOOLERR` and a
/// `FORMULA` whose text is in the next `STRING` record.
pub fn xls_every_record() -> Vec<u8> {
    let cell = |row: u16, col: u16, xf: u16| {
        let mut d = Vec::new();
        d.extend_from_slice(&row.to_le_bytes());
        d.extend_from_slice(&col.to_le_bytes());
        d.extend_from_slice(&xf.to_le_bytes());
        d
    };
    let rk_int = |v: i32| ((v << 2) | 2) as u32;
    let mut sheet = xls_bof(0x0010);
    // Row 0: the header from the shared strings.
    for c in 0..3u16 {
        let mut d = cell(0, c, 16);
        d.extend_from_slice(&u32::from(c).to_le_bytes());
        sheet.extend(rec(0x00FD, &d));
    }
    // Row 1: a date NUMBER, an RK of 45726.50 (hundredths) in the date format, LABELSST 3.
    let mut d = cell(1, 0, 15);
    d.extend_from_slice(&1.0f64.to_le_bytes());
    sheet.extend(rec(0x0203, &d));
    let mut d = cell(1, 1, 15);
    d.extend_from_slice(&((4_572_650u32 << 2) | 3).to_le_bytes());
    sheet.extend(rec(0x027E, &d));
    let mut d = cell(1, 2, 16);
    d.extend_from_slice(&3u32.to_le_bytes());
    sheet.extend(rec(0x00FD, &d));
    // Row 2: one MULRK of three cells, the last one plain.
    let mut d = Vec::new();
    d.extend_from_slice(&2u16.to_le_bytes());
    d.extend_from_slice(&0u16.to_le_bytes());
    for (xf, v) in [(15u16, 2), (15, 1), (16, 45726)] {
        d.extend_from_slice(&xf.to_le_bytes());
        d.extend_from_slice(&rk_int(v).to_le_bytes());
    }
    d.extend_from_slice(&2u16.to_le_bytes());
    sheet.extend(rec(0x00BD, &d));
    // Row 3: LABEL, a boolean and an error.
    let mut d = cell(3, 0, 16);
    d.extend_from_slice(&3u16.to_le_bytes());
    d.push(0);
    d.extend_from_slice(b"abc");
    sheet.extend(rec(0x0204, &d));
    let mut d = cell(3, 1, 16);
    d.extend_from_slice(&[1, 0]);
    sheet.extend(rec(0x0205, &d));
    let mut d = cell(3, 2, 16);
    d.extend_from_slice(&[0x2A, 1]);
    sheet.extend(rec(0x0205, &d));
    // Row 4: a FORMULA with a text result, the text in the STRING after it.
    let mut d = cell(4, 0, 16);
    d.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0xFF, 0xFF]);
    d.extend_from_slice(&[0; 8]);
    sheet.extend(rec(0x0006, &d));
    let mut d = 5u16.to_le_bytes().to_vec();
    d.push(0);
    d.extend_from_slice(b"label");
    sheet.extend(rec(0x0207, &d));
    sheet.extend(rec(0x000A, &[]));

    let mut globals = xls_bof(0x0005);
    let mut fmt = 164u16.to_le_bytes().to_vec();
    let code = "yyyy-mm-dd hh:mm:ss";
    fmt.extend_from_slice(&(code.len() as u16).to_le_bytes());
    fmt.push(0);
    fmt.extend_from_slice(code.as_bytes());
    globals.extend(rec(0x041E, &fmt));
    for i in 0..17u16 {
        let id: u16 = if i == 15 { 164 } else { 0 };
        let mut xf = vec![0u8; 20];
        xf[2..4].copy_from_slice(&id.to_le_bytes());
        globals.extend(rec(0x00E0, &xf));
    }
    // SST: three 8-bit strings, then "GW_" cut by a CONTINUE whose flags switch to UTF-16.
    let mut sst = Vec::new();
    sst.extend_from_slice(&4u32.to_le_bytes());
    sst.extend_from_slice(&4u32.to_le_bytes());
    for s in ["flowno", "starttime", "calleegatewayid"] {
        sst.extend_from_slice(&(s.len() as u16).to_le_bytes());
        sst.push(0);
        sst.extend_from_slice(s.as_bytes());
    }
    sst.extend_from_slice(&4u16.to_le_bytes());
    sst.push(0);
    sst.extend_from_slice(b"GW_");
    globals.extend(rec(0x00FC, &sst));
    globals.extend(rec(0x003C, &[1, 0xE9, 0]));
    xls_stream(globals, &sheet)
}

/// A compound file (512-byte sectors) holding one stream, padded past the 4 KiB mini-stream
/// cutoff so it lives in regular sectors.
pub fn cfb_with_stream(name: &str, data: &[u8]) -> Vec<u8> {
    const END: u32 = 0xFFFF_FFFE;
    const FREE: u32 = 0xFFFF_FFFF;
    let mut data = data.to_vec();
    data.resize(data.len().max(4096).div_ceil(512) * 512, 0);
    let n = (data.len() / 512) as u32;
    // Sectors: 0 the FAT, 1 the directory, 2.. the stream. One FAT sector holds 128 entries.
    assert!(n + 2 <= 128, "the generator writes one FAT sector");
    let mut f = vec![0u8; 512];
    f[..8].copy_from_slice(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    f[0x18..0x1A].copy_from_slice(&0x3Eu16.to_le_bytes());
    f[0x1A..0x1C].copy_from_slice(&3u16.to_le_bytes());
    f[0x1C..0x1E].copy_from_slice(&0xFFFEu16.to_le_bytes());
    f[0x1E..0x20].copy_from_slice(&9u16.to_le_bytes());
    f[0x20..0x22].copy_from_slice(&6u16.to_le_bytes());
    f[0x2C..0x30].copy_from_slice(&1u32.to_le_bytes());
    f[0x30..0x34].copy_from_slice(&1u32.to_le_bytes());
    f[0x38..0x3C].copy_from_slice(&4096u32.to_le_bytes());
    f[0x3C..0x40].copy_from_slice(&END.to_le_bytes());
    f[0x44..0x48].copy_from_slice(&END.to_le_bytes());
    for i in 0..109 {
        let id = if i == 0 { 0 } else { FREE };
        f[0x4C + 4 * i..0x50 + 4 * i].copy_from_slice(&id.to_le_bytes());
    }
    let mut fat = vec![0xFFu8; 512];
    let mut put = |i: usize, v: u32| fat[4 * i..4 * i + 4].copy_from_slice(&v.to_le_bytes());
    put(0, 0xFFFF_FFFD);
    put(1, END);
    for k in 0..n {
        put(2 + k as usize, if k + 1 == n { END } else { 3 + k });
    }
    f.extend(fat);
    let entry = |name: &str, kind: u8, child: u32, start: u32, size: u32| {
        let mut e = vec![0u8; 128];
        let units: Vec<u16> = name.encode_utf16().chain([0]).collect();
        for (i, u) in units.iter().enumerate() {
            e[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
        }
        e[0x40..0x42].copy_from_slice(&((units.len() * 2) as u16).to_le_bytes());
        e[0x42] = kind;
        e[0x43] = 1;
        e[0x44..0x48].copy_from_slice(&FREE.to_le_bytes());
        e[0x48..0x4C].copy_from_slice(&FREE.to_le_bytes());
        e[0x4C..0x50].copy_from_slice(&child.to_le_bytes());
        e[0x74..0x78].copy_from_slice(&start.to_le_bytes());
        e[0x78..0x7C].copy_from_slice(&size.to_le_bytes());
        e
    };
    let mut dir = entry("Root Entry", 5, 1, END, 0);
    dir.extend(entry(name, 2, FREE, 2, data.len() as u32));
    dir.resize(512, 0);
    f.extend(dir);
    f.extend(data);
    f
}

/// A JSON array of `n` records, each written by `record(i)`.
pub fn json_records(n: u64, record: impl Fn(u64) -> String) -> String {
    let mut s = String::from("[");
    for i in 1..=n {
        if i > 1 {
            s.push(',');
        }
        s.push_str(&record(i));
    }
    s.push(']');
    s
}

/// A `GetCdr` record of call `i` on gateway `gw`.
pub fn api_record(i: u64, gw: &str) -> String {
    let start = 1_741_536_123_749 + i * 10_000;
    format!(
        r#"{{"flowNo":{i},"start":{start},"stop":{},"holdTime":2,"endReason":-9,"calleeGateway":"{gw}"}}"#,
        start + 2_925
    )
}

/// Writes a JSON file: `n` good records, then one record whose gateway holds a string of
/// `mib` MiB, then `n` more; streamed to disk, never held.
pub fn json_huge_string(path: &Path, n: u64, mib: u64) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    write!(f, "[").unwrap();
    for i in 1..=n {
        write!(f, "{},", api_record(i, "GW_A")).unwrap();
    }
    write!(f, r#"{{"flowNo":0,"calleeGateway":""#).unwrap();
    let block = "y".repeat(1 << 20);
    for _ in 0..mib {
        f.write_all(block.as_bytes()).unwrap();
    }
    write!(f, r#""}}"#).unwrap();
    for i in n + 1..=2 * n {
        write!(f, ",{}", api_record(i, "GW_A")).unwrap();
    }
    write!(f, "]").unwrap();
}

/// Writes a JSON file of `n` good records, then one record holding an array of `count`
/// numbers (a 200 MB array made 3.5 GB of parsed values before).
pub fn json_huge_array(path: &Path, n: u64, count: u64) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    write!(f, "[").unwrap();
    for i in 1..=n {
        write!(f, "{},", api_record(i, "GW_A")).unwrap();
    }
    write!(f, r#"{{"flowNo":0,"extra":["#).unwrap();
    for k in 0..count {
        if k > 0 {
            f.write_all(b",").unwrap();
        }
        write!(f, "{}", k % 1000).unwrap();
    }
    write!(f, "]}}]").unwrap();
}

/// A good record, then one with `keys` more keys (column collection was quadratic in them).
pub fn json_wide_record(keys: u64) -> String {
    let mut s = format!("[{},", api_record(1, "GW_A"));
    s.push_str(r#"{"flowNo":2,"start":1741536123749,"stop":1741536126674,"holdTime":2,"endReason":-9,"calleeGateway":"GW_A""#);
    for k in 0..keys {
        s.push_str(&format!(",\"k{k}\":{k}"));
    }
    s.push_str("}]");
    s
}

/// Writes a gzip of `n_mib` MiB of zeros: one gzip member of 1 MiB of zeros written `n_mib`
/// times (members one after another are one stream, as `cat a.gz b.gz` makes), so making a
/// 10 GB bomb costs compressing 1 MiB once.
pub fn gzip_zeros(path: &Path, n_mib: u64) {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&vec![0u8; 1 << 20]).unwrap();
    let member = gz.finish().unwrap();
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for _ in 0..n_mib {
        f.write_all(&member).unwrap();
    }
}

/// Writes a gzip of a CSV of `n` rows, streamed.
pub fn gzip_rows(path: &Path, n: u64) {
    let f = std::fs::File::create(path).unwrap();
    let mut gz = flate2::write::GzEncoder::new(f, flate2::Compression::fast());
    writeln!(gz, "{HEADER}").unwrap();
    for i in 1..=n {
        writeln!(gz, "{}", row(i, "GW_A")).unwrap();
    }
    gz.finish().unwrap();
}

/// A zip of `n` entries, every `every`-th a 2-row CSV (distinct calls), the others empty.
pub fn zip_many(n: usize, every: usize) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for i in 0..n {
        w.start_file(format!("e{i:06}.csv"), opts).unwrap();
        if every > 0 && i % every == 0 {
            let k = 2 * i as u64;
            let body = format!("{HEADER}\n{}\n{}\n", row(k + 1, "GW_Z"), row(k + 2, "GW_Z"));
            w.write_all(body.as_bytes()).unwrap();
        }
    }
    w.finish().unwrap().into_inner()
}
