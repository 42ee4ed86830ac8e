//! Row-text decoding: a record's bytes as the text the mappers read, in the file's encoding
//! (UTF-8, GB18030, a row of one in a file of the other), borrowed whenever it can be.

use super::TextEncoding;
use crate::formats::Row;

/// Decodes a prefix of the file for sniffing, invalid bytes as U+FFFD.
pub(crate) fn decode_lossy(encoding: TextEncoding, bytes: &[u8]) -> String {
    let (text, _) = encoding.encoding_rs().decode_without_bom_handling(bytes);
    text.into_owned()
}

/// A record as text: borrowed when it is valid UTF-8, decoded field by field otherwise (GB18030,
/// or UTF-8 with invalid bytes, which become U+FFFD). CSV structure is ASCII in both.
///
/// `ascii` says the scanner saw only ASCII bytes in `bytes` (a raw line, `sep == 1`), which is
/// the same text in every ASCII-compatible encoding.
pub(crate) fn row_text<'a>(
    encoding: TextEncoding,
    bytes: &'a [u8],
    ends: &'a [usize],
    sep: usize,
    ascii: bool,
    text: &'a mut String,
    text_ends: &'a mut Vec<usize>,
) -> Row<'a> {
    if ascii && sep == 1 {
        debug_assert!(bytes.is_ascii());
        // SAFETY: the line scanner checked every byte of the line (`bytes` is a prefix of it)
        // to be below 0x80, and ASCII is valid UTF-8. This saves a second pass over the row.
        let t = unsafe { std::str::from_utf8_unchecked(bytes) };
        return Row::from_line(t, ends);
    }
    let mut enc = encoding_rs::UTF_8;
    if encoding == TextEncoding::Gb18030 {
        enc = encoding_rs::GB18030;
    } else {
        if let Ok(t) = std::str::from_utf8(bytes) {
            // Valid as a whole is not enough when the fields are joined without their
            // delimiters (csv-core's output, `sep == 0`): a character may straddle two fields.
            // Each field must be valid on its own, as it is in a line read with its delimiters,
            // or the result would depend on which path (and so which chunking) read the row.
            if sep == 1 || ends.iter().all(|&e| t.is_char_boundary(e)) {
                return if sep == 0 {
                    Row::new(t, ends)
                } else {
                    Row::from_line(t, ends)
                };
            }
        }
        // Files concatenated from a Chinese client export and a UTF-8 one mix encodings row by
        // row: a row that is not UTF-8 but whose every field is clean GB18030 is read as such.
        let mut start = 0;
        let clean_gb18030 = ends.iter().all(|&e| {
            let field = bytes.get(start..e).unwrap_or(&[]);
            start = e + sep;
            encoding_rs::GB18030
                .decode_without_bom_handling_and_without_replacement(field)
                .is_some()
        });
        if clean_gb18030 {
            enc = encoding_rs::GB18030;
        }
    }
    text.clear();
    text_ends.clear();
    let mut start = 0;
    for &e in ends {
        let (field, _) = enc.decode_without_bom_handling(&bytes[start..e]);
        text.push_str(&field);
        text_ends.push(text.len());
        start = e + sep;
    }
    Row::new(text, text_ends)
}
