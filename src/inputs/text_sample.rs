//! The first decoded text of an input of any kind (a `.gz`, a zip's first entry, an Excel
//! sheet or JSON records written as CSV), for guessing a column mapping from what the reader
//! would see rather than from the container's raw bytes.

use super::{read_into_out, InputOptions, Out};
use crate::formats::FormatOptions;
use crate::ingest::{IngestError, RejectReason};
use std::io::{Read, Seek};

/// What was collected: the first file's decoded text and whether it was cut short.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TextSample {
    /// The decoded text, at most the requested number of bytes.
    pub text: String,
    /// Whether the file went on past the sample (its last line may be cut).
    pub cut: bool,
}

/// Collects the first file's decoded stream and stops the readers once `limit` bytes are in.
struct Collect {
    bytes: Vec<u8>,
    limit: usize,
    files: usize,
    cut: bool,
    failed: Option<String>,
}

/// The message that stops reading once the sample is full (never shown).
const ENOUGH: &str = "sample complete";

impl Out for Collect {
    fn start_file(&mut self, _name: &str, _bytes: u64, _options: FormatOptions) {
        self.files += 1;
    }
    fn set_container(&mut self, _container: &str) {}
    fn push(&mut self, chunk: &[u8]) -> Result<(), IngestError> {
        let room = self.limit - self.bytes.len();
        if chunk.len() >= room {
            self.cut = chunk.len() > room;
            self.bytes.extend_from_slice(&chunk[..room]);
            return Err(IngestError {
                message: ENOUGH.into(),
            });
        }
        self.bytes.extend_from_slice(chunk);
        Ok(())
    }
    fn finish_file(&mut self) -> Result<(), IngestError> {
        // Only the first file is sampled: later zip entries may have other columns.
        Err(IngestError {
            message: ENOUGH.into(),
        })
    }
    fn fail_file(&mut self, message: &str) {
        self.failed.get_or_insert_with(|| message.to_string());
    }
    fn reject_row(&mut self, _line: u64, _offset: u64, _reason: RejectReason) {}
    fn files(&self) -> usize {
        self.files
    }
}

/// The first `limit` decoded bytes of the input `name` read from `source`, as text (a UTF-8
/// byte-order mark dropped, invalid bytes replaced), or the reason the input cannot be read.
pub fn text_sample<R: Read + Seek>(
    name: &str,
    source: R,
    options: &InputOptions,
    limit: usize,
) -> Result<TextSample, String> {
    let mut out = Collect {
        bytes: Vec::new(),
        limit,
        files: 0,
        cut: false,
        failed: None,
    };
    let r = read_into_out(&mut out, name, source, options);
    if out.bytes.is_empty() {
        if let Some(m) = out.failed {
            return Err(m);
        }
        if let Err(e) = r {
            if e.message != ENOUGH {
                return Err(e.message);
            }
        }
    }
    let bytes = out
        .bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&out.bytes);
    Ok(TextSample {
        text: String::from_utf8_lossy(bytes).into_owned(),
        cut: out.cut,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn gzip_text_is_decoded_and_cut_at_the_limit() {
        let csv = b"\xEF\xBB\xBFStart,Dest,Secs\n2024-01-01 10:00:00,4420,12\n";
        let s = text_sample(
            "a.csv.gz",
            Cursor::new(gz(csv)),
            &InputOptions::default(),
            1 << 20,
        );
        assert_eq!(
            s,
            Ok(TextSample {
                text: "Start,Dest,Secs\n2024-01-01 10:00:00,4420,12\n".into(),
                cut: false
            })
        );
        let s = text_sample(
            "a.csv.gz",
            Cursor::new(gz(csv)),
            &InputOptions::default(),
            19,
        );
        assert_eq!(
            s,
            Ok(TextSample {
                text: "Start,Dest,Secs\n".into(),
                cut: true
            })
        );
    }

    #[test]
    fn json_records_come_out_as_csv_with_their_keys_in_order() {
        let json = br#"[{"start":"2024-01-01 10:00:00","to":"4420","secs":12}]"#;
        let s = text_sample(
            "calls.json",
            Cursor::new(&json[..]),
            &InputOptions::default(),
            1 << 20,
        )
        .unwrap();
        let mut lines = s.text.lines();
        assert_eq!(lines.next(), Some("secs,start,to"));
        assert_eq!(lines.next(), Some("12,2024-01-01 10:00:00,4420"));
    }
}
