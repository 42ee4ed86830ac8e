//! CDR text made safe to show: control characters, bidirectional overrides and invisible
//! characters written as escapes.
//!
//! A gateway name is attacker-controlled text. On a terminal its control characters are
//! commands (clear the screen, set the window title, write the clipboard); on the page a
//! right-to-left override (U+202E) makes `684` display as `486`, zero-width characters make two
//! different names look the same, and a control character is invalid XML that breaks an SVG
//! chart. [`visible`] writes each such character as an escape (`\x1b`, `\u{202e}`), so what is
//! shown is what the file holds, and nothing else happens.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` is shown escaped: C0 and C1 control characters and DEL, the bidirectional
/// embedding, override and isolate controls and marks, zero-width and other invisible
/// formatting characters, and Unicode tag characters.
pub fn is_hidden(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{ad}'
        | '\u{61c}'
        | '\u{180e}'
        | '\u{200b}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}'
        | '\u{feff}'
        | '\u{fff9}'..='\u{fffb}'
        | '\u{e0000}'..='\u{e007f}')
}

/// `text` with every [`is_hidden`] character written as an escape: `\x1b` below U+0100,
/// `\u{202e}` above; borrowed when there is none (the common case).
///
/// ```
/// use cdrscope::display::visible;
/// assert_eq!(visible("GW_A"), "GW_A");
/// assert_eq!(visible("GW\u{1b}]0;pwned\u{7}"), "GW\\x1b]0;pwned\\x07");
/// assert_eq!(visible("\u{202e}486"), "\\u{202e}486");
/// ```
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !is_hidden(c) {
            out.push(c);
        } else if (c as u32) < 0x100 {
            let _ = write!(out, "\\x{:02x}", c as u32);
        } else {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
    Cow::Owned(out)
}

/// How many bytes of a row the page shows (a rejected row can be hundreds of megabytes).
pub const ROW_SHOWN: usize = 4096;

/// A row's text as shown: the decoded start of it, and when the row is longer than what was
/// read (`shown` bytes of `full`), how many bytes are not shown.
///
/// ```
/// use cdrscope::display::row_shown;
/// assert_eq!(row_shown("1,503".into(), 5, 5), "1,503");
/// assert_eq!(row_shown("xxxx".into(), 4, 1_000_000), "xxxx … (+999996 bytes)");
/// ```
pub fn row_shown(text: String, shown: usize, full: u64) -> String {
    let rest = full.saturating_sub(shown as u64);
    if rest == 0 {
        text
    } else {
        format!("{text} … (+{rest} bytes)")
    }
}

/// The longest start of `bytes` that does not end inside a UTF-8 character (a row cut at
/// [`ROW_SHOWN`] may cut one).
pub fn utf8_start(bytes: &[u8]) -> &[u8] {
    match std::str::from_utf8(bytes) {
        Err(e) if e.error_len().is_none() => &bytes[..e.valid_up_to()],
        _ => bytes,
    }
}

/// Whether a spreadsheet could run a cell starting like `value` as a formula: `=`, `+`, `-`,
/// `@`, their full-width forms (`＝＋－＠`, which spreadsheets in East Asian locales take as
/// the ASCII ones), a tab or a carriage return first.
pub fn is_formula_like(value: &str) -> bool {
    value.starts_with([
        '=', '+', '-', '@', '\t', '\r', '\u{ff1d}', '\u{ff0b}', '\u{ff0d}', '\u{ff20}',
    ])
}

/// One CSV cell for an export: a formula-like start ([`is_formula_like`]) neutralised with a
/// leading `'`, then quoted when it holds a delimiter, quote or line break.
///
/// ```
/// use cdrscope::display::csv_cell;
/// assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
/// assert_eq!(csv_cell("＝1+1"), "'＝1+1");
/// assert_eq!(csv_cell("GW_A"), "GW_A");
/// ```
pub fn csv_cell(value: &str) -> String {
    let mut v = String::with_capacity(value.len() + 2);
    if is_formula_like(value) {
        v.push('\'');
    }
    v.push_str(value);
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises_ascii_and_full_width_formula_starts() {
        for v in [
            "=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx", "＝1", "＋1", "－1", "＠x",
        ] {
            assert!(
                csv_cell(v).trim_start_matches('"').starts_with('\''),
                "{v:?}"
            );
        }
        for v in ["1=1", "GW＝", "ＧＷ", "", "a-b"] {
            assert!(!csv_cell(v).contains('\''), "{v:?}");
        }
    }

    #[test]
    fn escapes_controls_bidi_and_invisibles_only() {
        assert_eq!(
            visible("a\u{0}b\tc\nd\u{9b}2J\u{200b}e\u{2066}f\u{feff}"),
            "a\\x00b\\x09c\\x0ad\\x9b2J\\u{200b}e\\u{2066}f\\u{feff}"
        );
        for plain in ["GW_北京", "Ñandú 12", "emoji 📞", "ＧＷ＝", "", "\\x1b"] {
            assert!(matches!(visible(plain), Cow::Borrowed(_)), "{plain}");
        }
    }
}
