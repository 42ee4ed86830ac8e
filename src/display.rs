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

/// An integer as the page and its charts write it in `lang`: thousands grouped with a comma in
/// English (`240,000`) and a full stop in Spanish (`240.000`), the usage of Spanish-speaking
/// operators' own spreadsheets; one function, so tiles, tables and charts never disagree.
///
/// ```
/// use cdrscope::display::int;
/// assert_eq!(int(240_000, "en"), "240,000");
/// assert_eq!(int(240_000, "es"), "240.000");
/// ```
pub fn int(n: u64, lang: &str) -> String {
    group(&n.to_string(), seps(lang).0)
}

/// A number with `places` decimals in `lang`: `182,853.5` in English, `182.853,5` in Spanish
/// (decimal comma, thousands full stop); a dash for a value that is not finite.
///
/// ```
/// use cdrscope::display::dec;
/// assert_eq!(dec(182_853.46, 1, "en"), "182,853.5");
/// assert_eq!(dec(182_853.46, 1, "es"), "182.853,5");
/// ```
pub fn dec(x: f64, places: usize, lang: &str) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let (thousands, point) = seps(lang);
    let text = format!("{:.*}", places, x.abs());
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    // "-0.0" after rounding is zero: no sign.
    let negative = x < 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b));
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&group(whole, thousands));
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    out
}

/// An exact decimal written with a full stop (money: `-12345.6789`) as `lang` writes numbers,
/// every digit kept: thousands grouped and the language's decimal mark (`-12,345.6789`,
/// `-12.345,6789`); any other text unchanged.
///
/// ```
/// use cdrscope::display::decimal;
/// assert_eq!(decimal("-12345.6789", "en"), "-12,345.6789");
/// assert_eq!(decimal("-12345.6789", "es"), "-12.345,6789");
/// assert_eq!(decimal("44.3314", "es"), "44,3314");
/// assert_eq!(decimal("n/a", "es"), "n/a");
/// ```
pub fn decimal(text: &str, lang: &str) -> String {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", text),
    };
    let (int_part, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int_part) || frac.is_some_and(|f| !digits(f)) {
        return text.to_string();
    }
    let (thousands, mark) = seps(lang);
    let mut out = format!("{sign}{}", group(int_part, thousands));
    if let Some(f) = frac {
        out.push(mark);
        out.push_str(f);
    }
    out
}

/// A 0..1 ratio as a percentage with one decimal in `lang` (`37.2%`, `37,2%`), or a dash.
pub fn percent(ratio: Option<f64>, lang: &str) -> String {
    ratio.map_or_else(|| "–".into(), |r| format!("{}%", dec(r * 100.0, 1, lang)))
}

/// The thousands separator and the decimal mark of `lang`.
fn seps(lang: &str) -> (char, char) {
    if lang == "es" {
        ('.', ',')
    } else {
        (',', '.')
    }
}

/// Digits grouped by three from the right with `sep`.
fn group(digits: &str, sep: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

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
    fn one_number_format_per_language() {
        let ints = [0, 7, 999, 1_000, 25_736, 240_000, 1_234_567];
        assert_eq!(
            ints.map(|n| int(n, "en")),
            ["0", "7", "999", "1,000", "25,736", "240,000", "1,234,567"]
        );
        assert_eq!(
            ints.map(|n| int(n, "es")),
            ["0", "7", "999", "1.000", "25.736", "240.000", "1.234.567"]
        );
        assert_eq!(dec(182_853.5, 1, "en"), "182,853.5");
        assert_eq!(dec(182_853.5, 1, "es"), "182.853,5");
        assert_eq!(dec(1_000_000.0, 2, "es"), "1.000.000,00");
        assert_eq!(dec(-1234.56, 1, "en"), "-1,234.6");
        assert_eq!(dec(-0.04, 1, "es"), "0,0");
        assert_eq!(dec(12.0, 0, "es"), "12");
        assert_eq!(dec(f64::NAN, 1, "en"), "–");
        assert_eq!(percent(Some(0.372), "en"), "37.2%");
        assert_eq!(percent(Some(0.372), "es"), "37,2%");
        assert_eq!(percent(None, "es"), "–");
    }

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
