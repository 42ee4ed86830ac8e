//! VOS3000 web API JSON (`POST /external/server/GetCdr` → `{retCode, infoCdrs:[…]}`), its
//! records written as CSV text with their camelCase names as the header, which the VOS3000
//! mapper reads by name.
//!
//! Accepted shapes, in any mix: one document; documents one after another (concatenated, or
//! one per line); a bare array of records or of documents; bare records, one per line (JSON
//! lines). The `infoCdrs` array is read record by record, never held whole.

use super::csv_out::CsvOut;
use super::Ctx;
use crate::ingest::IngestError;
use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;
use std::io::{BufReader, Read};

/// How many records are looked at to choose the columns.
const HEADER_RECORDS: usize = 100;

/// Reads a JSON input into the data set as one file.
pub(crate) fn read(
    ctx: &mut Ctx<'_>,
    name: &str,
    container: &str,
    src: &mut dyn Read,
    size: u64,
) -> Result<(), IngestError> {
    ctx.start_converted(name, container, size);
    let out = &mut *ctx.out;
    let mut push = |bytes: &[u8]| out.push(bytes);
    let result = read_records(src, &mut push).map(|_| ());
    ctx.end_converted(result)
}

/// What was read from a JSON input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JsonInfo {
    /// Top-level JSON values read (documents or bare records).
    pub documents: u64,
    /// Records written.
    pub records: u64,
    /// The columns written, in order.
    pub columns: Vec<String>,
}

/// Writes the CDR records of a JSON input as UTF-8 CSV text to `out`: a header of the field
/// names of the first records, then one line per record. A record that is not an object is
/// written as a single field, so the reader rejects it (with its line) like a short CSV row.
pub fn read_records(
    src: &mut dyn Read,
    out: &mut dyn FnMut(&[u8]) -> Result<(), IngestError>,
) -> Result<JsonInfo, IngestError> {
    let mut records = Records {
        csv: CsvOut::new(out),
        pending: Vec::new(),
        columns: None,
        failure: None,
        api_errors: Vec::new(),
    };
    let mut de = serde_json::Deserializer::from_reader(BufReader::new(SkipBom::new(src)));
    let mut documents = 0u64;
    loop {
        if let Err(e) = (Top(&mut records)).deserialize(&mut de) {
            if let Some(f) = records.failure.take() {
                return Err(f);
            }
            // The records before a syntax error stay in the data set.
            let _ = records.fix_columns();
            let _ = records.csv.flush();
            return Err(syntax_error(&e, documents));
        }
        documents += 1;
        // `end` only peeks: anything but trailing whitespace is the next document.
        if de.end().is_ok() {
            break;
        }
    }
    records.fix_columns()?;
    records.csv.flush()?;
    let written = records.csv.records();
    let columns = records.columns.take().unwrap_or_default();
    if written <= 1 {
        return Err(IngestError {
            message: if records.api_errors.is_empty() {
                "the JSON holds no CDR record".into()
            } else {
                format!(
                    "the API answered with no CDR: {}",
                    records.api_errors.join("; ")
                )
            },
        });
    }
    Ok(JsonInfo {
        documents,
        records: written.saturating_sub(1),
        columns,
    })
}

fn syntax_error(e: &serde_json::Error, documents: u64) -> IngestError {
    IngestError {
        message: if e.is_eof() && documents == 0 && e.line() <= 1 && e.column() == 0 {
            "the file is empty".into()
        } else {
            format!(
                "not valid JSON at line {} column {}: {e}",
                e.line(),
                e.column()
            )
        },
    }
}

/// Drops a UTF-8 byte order mark, which `serde_json` does not accept.
struct SkipBom<'a> {
    inner: &'a mut dyn Read,
    checked: bool,
    held: Vec<u8>,
}

impl<'a> SkipBom<'a> {
    fn new(inner: &'a mut dyn Read) -> Self {
        SkipBom {
            inner,
            checked: false,
            held: Vec::new(),
        }
    }
}

impl Read for SkipBom<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if !self.checked {
            self.checked = true;
            let mut first = Vec::with_capacity(3);
            (&mut *self.inner).take(3).read_to_end(&mut first)?;
            if first != b"\xEF\xBB\xBF" {
                self.held = first;
            }
        }
        if !self.held.is_empty() {
            let n = self.held.len().min(buf.len());
            buf[..n].copy_from_slice(&self.held[..n]);
            self.held.drain(..n);
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

/// Collects records and writes them once the columns are known.
struct Records<'a> {
    csv: CsvOut<'a>,
    pending: Vec<Value>,
    columns: Option<Vec<String>>,
    /// An error of the output (the reader refused the data), kept across serde's error type.
    failure: Option<IngestError>,
    /// Documents with a non-zero `retCode` and no records.
    api_errors: Vec<String>,
}

impl Records<'_> {
    fn record(&mut self, v: Value) -> Result<(), IngestError> {
        if self.columns.is_none() {
            self.pending.push(v);
            if self.pending.len() >= HEADER_RECORDS {
                self.fix_columns()?;
            }
            return Ok(());
        }
        self.write(&v)
    }

    /// Chooses the columns from the records seen so far (the union of the keys of the first
    /// [`HEADER_RECORDS`] records) and writes the header and the records held back. A key that
    /// first appears later is not a column: the `GetCdr` records of one answer share one shape.
    fn fix_columns(&mut self) -> Result<(), IngestError> {
        if self.columns.is_some() {
            return Ok(());
        }
        let mut columns: Vec<String> = Vec::new();
        for v in &self.pending {
            if let Value::Object(m) = v {
                for k in m.keys() {
                    if !columns.contains(k) {
                        columns.push(k.clone());
                    }
                }
            }
        }
        if columns.is_empty() && self.pending.is_empty() {
            return Ok(());
        }
        self.csv.record(&columns)?;
        self.columns = Some(columns);
        for v in std::mem::take(&mut self.pending) {
            self.write(&v)?;
        }
        Ok(())
    }

    fn write(&mut self, v: &Value) -> Result<(), IngestError> {
        let columns = self.columns.as_deref().unwrap_or(&[]);
        match v {
            Value::Object(m) => {
                let fields: Vec<String> = columns
                    .iter()
                    .map(|c| m.get(c).map(value_text).unwrap_or_default())
                    .collect();
                self.csv.record(&fields)
            }
            other => self.csv.record(&[other.to_string()]),
        }
    }

    /// Handles one value that is a document, a record or an array of either.
    fn value(&mut self, v: Value) -> Result<(), IngestError> {
        match v {
            Value::Array(items) => items.into_iter().try_for_each(|i| self.value(i)),
            Value::Object(mut m) => match m.remove("infoCdrs") {
                Some(Value::Array(cdrs)) => cdrs.into_iter().try_for_each(|c| self.record(c)),
                Some(Value::Null) | None if is_api_answer(&m) => {
                    self.api_error(&m);
                    Ok(())
                }
                Some(_) | None => self.record(Value::Object(m)),
            },
            other => self.record(other),
        }
    }

    fn api_error(&mut self, m: &Map<String, Value>) {
        let code = m.get("retCode").map(value_text).unwrap_or_default();
        if code != "0" {
            let why = m
                .get("exception")
                .or_else(|| m.get("message"))
                .map(value_text)
                .unwrap_or_default();
            self.api_errors
                .push(format!("retCode {code} {why}").trim().to_string());
        }
    }
}

/// Whether an object is an API answer (it has `retCode` and no CDR field) rather than a record.
fn is_api_answer(m: &Map<String, Value>) -> bool {
    m.contains_key("retCode") && !m.contains_key("flowNo") && !m.contains_key("callerE164")
}

/// A JSON value as the text of a CSV field: strings as they are, numbers without exponent,
/// `null` empty, objects and arrays as compact JSON.
fn value_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => {
            if n.is_i64() || n.is_u64() {
                n.to_string()
            } else {
                n.as_f64()
                    .map_or_else(|| n.to_string(), super::excel::float_text)
            }
        }
        other => other.to_string(),
    }
}

/// One top-level JSON value, streamed: a document's `infoCdrs` array is visited record by
/// record; everything else is small and read whole.
struct Top<'r, 'a>(&'r mut Records<'a>);

impl<'de> DeserializeSeed<'de> for Top<'_, '_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a GetCdr document, an array or a CDR record")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut rest = Map::new();
        let mut saw_cdrs = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "infoCdrs" {
                saw_cdrs = true;
                map.next_value_seed(CdrList(self.0))?;
            } else {
                let v: Value = map.next_value()?;
                rest.insert(key, v);
            }
        }
        let r = if saw_cdrs {
            self.0.api_error(&rest);
            Ok(())
        } else {
            self.0.value(Value::Object(rest))
        };
        r.map_err(|e| fail(self.0, e))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(v) = seq.next_element::<Value>()? {
            let records = &mut *self.0;
            records.value(v).map_err(|e| fail(records, e))?;
        }
        Ok(())
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
        self.scalar(Value::String(v.to_string()))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<(), E> {
        self.scalar(Value::from(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<(), E> {
        self.scalar(Value::from(v))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<(), E> {
        self.scalar(Value::from(v))
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<(), E> {
        self.scalar(Value::Bool(v))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.scalar(Value::Null)
    }
}

impl Top<'_, '_> {
    /// A top-level scalar is a record that is not an object: written so it is rejected.
    fn scalar<E: serde::de::Error>(self, v: Value) -> Result<(), E> {
        let records = self.0;
        records.record(v).map_err(|e| fail(records, e))
    }
}

/// Keeps an output error for the caller and turns it into serde's error type.
fn fail<E: serde::de::Error>(records: &mut Records<'_>, e: IngestError) -> E {
    let msg = e.message.clone();
    records.failure = Some(e);
    E::custom(msg)
}

/// The `infoCdrs` array, visited record by record.
struct CdrList<'r, 'a>(&'r mut Records<'a>);

impl<'de> DeserializeSeed<'de> for CdrList<'_, '_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CdrList<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of CDR records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(v) = seq.next_element::<Value>()? {
            let records = &mut *self.0;
            records.record(v).map_err(|e| fail(records, e))?;
        }
        Ok(())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, _map: A) -> Result<(), A::Error> {
        Err(A::Error::custom("infoCdrs is an object, not an array"))
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

        let array = "[{\"flowNo\":1},7,{\"flowNo\":3,\"x\":{\"a\":[1]}}]";
        let (csv, _) = csv_of(array).unwrap();
        assert_eq!(csv, "flowNo,x\n1,\n7\n3,\"{\"\"a\"\":[1]}\"\n");
    }

    #[test]
    fn reports_bad_input() {
        assert_eq!(csv_of("").unwrap_err().message, "the file is empty");
        assert_eq!(
            csv_of("{\"retCode\":0,\"infoCdrs\":[{\"flowNo\":1},")
                .unwrap_err()
                .message,
            "not valid JSON at line 1 column 38: EOF while parsing a value at line 1 column 38"
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
    }
}
