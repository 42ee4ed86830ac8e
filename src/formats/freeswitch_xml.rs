//! FreeSWITCH `mod_xml_cdr`: one XML document per call (`<cdr><channel_data>…<variables>…
//! </variables><app_log>…<callflow><caller_profile>…`), written one file per call; a folder or
//! a zip of them is read as one data set, each file one call.
//!
//! The document is read with the bounded tokenizer of [`crate::inputs::xml`] (no DTD, no entity
//! definitions: only the predefined entities and character references are expanded; tags,
//! values, nesting and the whole record are capped) into the same two cells a mod_json_cdr
//! document gives: `variables` (the channel variables, URL-decoded, as mod_xml_cdr encodes
//! them; a repeated name keeps its first value) and `callflow` (the first `<callflow>`'s
//! `<caller_profile>`, the current profile). The FreeSWITCH per-call reader
//! ([`super::freeswitch_json`]) then reads them.

use crate::inputs::csv_out::{CsvOut, CsvSink};
use crate::inputs::xml::{Event, XmlReader};
use crate::reject::{IngestError, RejectReason, MAX_FIELDS, MAX_ROW_BYTES};
use serde_json::{Map, Value};
use std::io::Read;

/// The deepest element nesting read (a CDR document nests six or seven levels).
pub const MAX_DEPTH: usize = 32;
/// The longest value kept; a longer one is cut.
const MAX_VALUE: usize = 64 * 1024;

/// Whether a file's first bytes are a mod_xml_cdr document: XML (it starts with `<`) whose
/// prolog is followed by a `<cdr>` root element within the bytes given.
pub fn looks_like(prefix: &[u8]) -> bool {
    let text = prefix.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(prefix);
    if text.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'<') {
        return false;
    }
    text.windows(5).any(|w| w == b"<cdr>" || w == b"<cdr ")
}

/// `%XX` sequences decoded (as `urllib.parse.unquote` does; `+` stays `+`), invalid UTF-8
/// replaced.
fn url_decode(v: &[u8]) -> String {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(v.len());
    let mut i = 0;
    while i < v.len() {
        if v[i] == b'%' && i + 2 < v.len() {
            if let (Some(h), Some(l)) = (hex(v[i + 1]), hex(v[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(v[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads one mod_xml_cdr document and writes it as CSV text: a `callflow,variables` header and
/// one row (or, when the record is larger than a row may be, a reject).
pub fn read_document(src: &mut dyn Read, out: &mut dyn CsvSink) -> Result<(), IngestError> {
    let err = |m: String| IngestError {
        message: format!("not a readable mod_xml_cdr document: {m}"),
    };
    let mut xml = XmlReader::new(src);
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut text = Vec::new();
    let mut vars = Map::new();
    let mut profile = Map::new();
    let mut callflows = 0usize;
    let mut bytes = 0usize;
    let mut too_big = false;
    loop {
        match xml.next(&mut text, MAX_VALUE).map_err(err)? {
            Event::Start => {
                if stack.len() >= MAX_DEPTH {
                    return Err(err(format!("elements nested more than {MAX_DEPTH} deep")));
                }
                stack.push(xml.name().to_vec());
                if stack.len() == 2 && stack[1] == b"callflow" {
                    callflows += 1;
                }
                text.clear();
            }
            Event::Empty => text.clear(),
            Event::Text(_) => {}
            Event::End => {
                let held = vars.len() + profile.len();
                let path: Vec<&[u8]> = stack.iter().map(Vec::as_slice).collect();
                let target = match path.as_slice() {
                    [b"cdr", b"variables", _] => Some((&mut vars, true)),
                    [b"cdr", b"callflow", b"caller_profile", _] if callflows == 1 => {
                        Some((&mut profile, false))
                    }
                    _ => None,
                };
                if let (Some((map, decode)), Some(key)) = (target, stack.last()) {
                    let raw = text.trim_ascii();
                    let value = if decode {
                        url_decode(raw)
                    } else {
                        String::from_utf8_lossy(raw).into_owned()
                    };
                    let key = String::from_utf8_lossy(key).into_owned();
                    bytes += key.len() + value.len() + 8;
                    if bytes > MAX_ROW_BYTES || held >= MAX_FIELDS {
                        too_big = true;
                    } else if !map.contains_key(&key) {
                        map.insert(key, Value::String(value));
                    }
                }
                stack.pop();
                text.clear();
            }
            Event::Eof => break,
        }
    }
    if vars.is_empty() {
        return Err(err("no <variables> in a <cdr> document".into()));
    }
    let mut csv = CsvOut::new(out);
    csv.record(&["callflow", "variables"])?;
    if too_big {
        csv.reject(RejectReason::TooLong {
            limit: MAX_ROW_BYTES,
        })?;
        return csv.flush();
    }
    let mut flow = Map::new();
    flow.insert("caller_profile".into(), Value::Object(profile));
    let cells = [
        Value::Object(flow).to_string(),
        Value::Object(vars).to_string(),
    ];
    csv.record(&cells)?;
    csv.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_percent_escapes_only() {
        assert_eq!(url_decode(b"a%40b%3A5060+x%2"), "a@b:5060+x%2");
    }

    #[test]
    fn knows_a_cdr_document_by_its_root() {
        assert!(looks_like(
            b"<?xml version=\"1.0\"?>\n<cdr core-uuid=\"x\">"
        ));
        assert!(looks_like(b"\xEF\xBB\xBF  <cdr>"));
        assert!(!looks_like(b"<?xml version=\"1.0\"?><workbook>"));
        assert!(!looks_like(b"<cdrs>"));
    }
}
