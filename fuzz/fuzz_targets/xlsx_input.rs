//! Fuzzes the xlsx reader: the data split into a sheet, shared strings and styles and zipped
//! as a workbook (so the XML tokenizer and the sheet reader get the bytes), or read itself as
//! a (mostly broken) workbook.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

const FRAME: [(&str, &str); 4] = [
    ("[Content_Types].xml", r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#),
    ("_rels/.rels", r#"<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
    ("xl/workbook.xml", r#"<workbook><workbookPr date1904="0"/><sheets><sheet name="CDR" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
    ("xl/_rels/workbook.xml.rels", r#"<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="x/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="x/styles" Target="/xl/styles.xml"/></Relationships>"#),
];

fuzz_target!(|data: &[u8]| {
    let Some((&knob, rest)) = data.split_first() else {
        return;
    };
    let bytes = if knob & 1 == 0 {
        let p = common::parts(rest, 0xFF, 3);
        let mut entries: Vec<(String, &[u8])> = FRAME
            .iter()
            .map(|(n, t)| (n.to_string(), t.as_bytes()))
            .collect();
        let names = ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml"];
        for (n, part) in names.iter().zip(p) {
            entries.push((n.to_string(), part));
        }
        common::zip_of(&entries, knob & 2 != 0)
    } else {
        rest.to_vec()
    };
    common::read_and_check("fuzz.xlsx", &bytes);
});
