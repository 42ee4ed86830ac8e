//! Text encoding detection: byte-order marks, UTF-16, and GB18030 for Chinese client exports.

use serde::{Deserialize, Serialize};

/// The text encoding of an input file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextEncoding {
    /// UTF-8 without a byte-order mark (plain ASCII included).
    Utf8,
    /// UTF-8 with a byte-order mark.
    Utf8Bom,
    /// UTF-16 little-endian with a byte-order mark.
    Utf16Le,
    /// UTF-16 big-endian with a byte-order mark.
    Utf16Be,
    /// GB18030 (a superset of GBK and GB2312), as written by Chinese Windows clients.
    Gb18030,
}

impl TextEncoding {
    /// The name shown to users and written in JSON.
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Utf8Bom => "utf-8-bom",
            TextEncoding::Utf16Le => "utf-16le",
            TextEncoding::Utf16Be => "utf-16be",
            TextEncoding::Gb18030 => "gb18030",
        }
    }

    /// Length of the byte-order mark this encoding starts with.
    pub fn bom_len(self) -> usize {
        match self {
            TextEncoding::Utf8Bom => 3,
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => 2,
            _ => 0,
        }
    }

    /// Whether CSV structure bytes (quotes, delimiters, newlines) can be read on the raw bytes.
    ///
    /// True for UTF-8 and GB18030: neither uses bytes below 0x40 inside multi-byte characters
    /// except GB18030's four-byte digits, which are never delimiters, quotes or newlines.
    pub fn is_ascii_compatible(self) -> bool {
        !matches!(self, TextEncoding::Utf16Le | TextEncoding::Utf16Be)
    }

    /// The `encoding_rs` encoding behind this one.
    pub fn encoding_rs(self) -> &'static encoding_rs::Encoding {
        match self {
            TextEncoding::Utf8 | TextEncoding::Utf8Bom => encoding_rs::UTF_8,
            TextEncoding::Utf16Le => encoding_rs::UTF_16LE,
            TextEncoding::Utf16Be => encoding_rs::UTF_16BE,
            TextEncoding::Gb18030 => encoding_rs::GB18030,
        }
    }
}

/// Decides the encoding of a file from its first bytes.
///
/// A BOM wins. Otherwise valid UTF-8 is UTF-8 (a character cut at the end of the prefix is
/// allowed), and anything else that decodes as GB18030 is taken as GB18030: that is what a
/// Chinese Windows VOS3000 client writes.
pub fn sniff_encoding(prefix: &[u8], at_eof: bool) -> TextEncoding {
    if prefix.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return TextEncoding::Utf8Bom;
    }
    if prefix.starts_with(&[0xFF, 0xFE]) {
        return TextEncoding::Utf16Le;
    }
    if prefix.starts_with(&[0xFE, 0xFF]) {
        return TextEncoding::Utf16Be;
    }
    // UTF-16 without BOM: every other byte is NUL in ASCII-heavy text.
    if prefix.len() >= 8 {
        let n = prefix.len().min(512) & !1;
        let even_nul = prefix[..n].iter().step_by(2).filter(|&&b| b == 0).count();
        let odd_nul = prefix[1..n].iter().step_by(2).filter(|&&b| b == 0).count();
        if odd_nul * 10 > n * 4 && even_nul == 0 {
            return TextEncoding::Utf16Le;
        }
        if even_nul * 10 > n * 4 && odd_nul == 0 {
            return TextEncoding::Utf16Be;
        }
    }
    match std::str::from_utf8(prefix) {
        Ok(_) => TextEncoding::Utf8,
        Err(e) if e.error_len().is_none() && !at_eof => TextEncoding::Utf8,
        Err(_) if has_utf8_text_line(prefix) => {
            // Some lines are clearly UTF-8 (non-ASCII and valid), others are not: a file
            // concatenated from exports in two encodings. UTF-8 it is; the reader tries the
            // other rows as GB18030 one by one.
            TextEncoding::Utf8
        }
        Err(_) => {
            let (_, had_errors) =
                encoding_rs::GB18030.decode_without_bom_handling(trim_cut_char(prefix));
            if had_errors {
                // Neither decodes cleanly: treat as UTF-8 and let bad bytes become U+FFFD.
                TextEncoding::Utf8
            } else {
                TextEncoding::Gb18030
            }
        }
    }
}

/// Whether a line of the prefix is valid UTF-8 with at least two non-ASCII characters (text a
/// GB18030 writer would almost never produce by accident). The last, possibly cut line is
/// not looked at.
fn has_utf8_text_line(prefix: &[u8]) -> bool {
    let mut lines = prefix.split(|&b| b == b'\n');
    lines.next_back();
    lines.any(|line| {
        std::str::from_utf8(line).is_ok_and(|t| t.chars().filter(|c| !c.is_ascii()).count() >= 2)
    })
}

/// Drops a possibly cut multi-byte character at the end of a prefix.
fn trim_cut_char(prefix: &[u8]) -> &[u8] {
    let mut end = prefix.len();
    while end > 0 && prefix.len() - end < 4 && prefix[end - 1] >= 0x80 {
        end -= 1;
    }
    if end == 0 {
        prefix
    } else {
        &prefix[..end]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_boms_and_gb18030() {
        assert_eq!(
            sniff_encoding(b"\xEF\xBB\xBFa,b", true),
            TextEncoding::Utf8Bom
        );
        assert_eq!(
            sniff_encoding(b"\xFF\xFEa\0,\0", true),
            TextEncoding::Utf16Le
        );
        assert_eq!(
            sniff_encoding(b"\xFE\xFF\0a\0,", true),
            TextEncoding::Utf16Be
        );
        assert_eq!(
            sniff_encoding("主叫号码,a".as_bytes(), true),
            TextEncoding::Utf8
        );
        let (gb, _, _) = encoding_rs::GB18030.encode("主叫号码,被叫号码\n");
        assert_eq!(sniff_encoding(&gb, true), TextEncoding::Gb18030);
        // UTF-8 lines and a GB18030 line in one file: UTF-8, whatever GB18030 makes of it.
        let mut mixed = "主叫号码,被叫号码\n".as_bytes().to_vec();
        mixed.extend_from_slice(&gb);
        assert_eq!(sniff_encoding(&mixed, true), TextEncoding::Utf8);
        // A UTF-8 character cut at the end of the prefix is still UTF-8.
        let s = "a,主".as_bytes();
        assert_eq!(sniff_encoding(&s[..s.len() - 1], false), TextEncoding::Utf8);
    }
}
