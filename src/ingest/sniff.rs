//! Dialect sniffing: whether the file is a known binary, and which delimiter it uses, read
//! from its first lines.

/// Names a well-known binary file type from its magic bytes.
pub(crate) fn binary_kind(prefix: &[u8]) -> Option<&'static str> {
    const MAGIC: [(&[u8], &str); 8] = [
        (b"\x89PNG", "PNG image"),
        (b"PK\x03\x04", "ZIP archive (or XLSX workbook)"),
        (b"\x1F\x8B", "gzip archive"),
        (b"\xD0\xCF\x11\xE0", "legacy Excel/Office file"),
        (b"%PDF", "PDF document"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"GIF8", "GIF image"),
        (b"\x7FELF", "program binary"),
    ];
    MAGIC
        .iter()
        .find(|(m, _)| prefix.starts_with(m))
        .map(|(_, k)| *k)
}

/// Delimiters a CDR export may use, in order of preference on a tie.
pub const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Picks the delimiter whose per-line count (outside quotes) is the most consistent and
/// non-zero over the first lines of `text`.
pub fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = logical_lines(text).take(30).collect();
    let mut best = (b',', 0usize, 0usize); // (delimiter, lines agreeing with the mode, mode)
    for &d in &DELIMITERS {
        let counts: Vec<usize> = lines.iter().map(|l| count_outside_quotes(l, d)).collect();
        let mode = mode_of(&counts);
        if mode == 0 {
            continue;
        }
        let agreeing = counts.iter().filter(|&&c| c == mode).count();
        if agreeing > best.1 || (agreeing == best.1 && mode > best.2) {
            best = (d, agreeing, mode);
        }
    }
    best.0
}

/// The printable name of a delimiter.
pub fn delimiter_name(d: u8) -> &'static str {
    match d {
        b',' => "comma",
        b';' => "semicolon",
        b'\t' => "tab",
        b'|' => "pipe",
        _ => "other",
    }
}

fn mode_of(counts: &[usize]) -> usize {
    let mut best = (0usize, 0usize);
    for &c in counts {
        let n = counts.iter().filter(|&&x| x == c).count();
        if n > best.1 || (n == best.1 && c > best.0) {
            best = (c, n);
        }
    }
    best.0
}

/// Splits text into lines, keeping quoted newlines inside their line; the last, possibly cut
/// line is dropped when there is more than one.
fn logical_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut out = Vec::new();
    let mut in_quotes = false;
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => {
                let line = text[start..i].trim_end_matches('\r');
                if !line.is_empty() {
                    out.push(line);
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    if out.is_empty() && start < text.len() {
        out.push(&text[start..]);
    }
    out.into_iter()
}

fn count_outside_quotes(line: &str, d: u8) -> usize {
    let mut in_quotes = false;
    let mut n = 0;
    for b in line.bytes() {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if b == d && !in_quotes {
            n += 1;
        }
    }
    n
}

/// Whether a decoded sample is binary rather than text: more than 5 % NUL bytes (what UTF-16
/// without a BOM or a zeroed file gives), or more than 10 % characters no text file holds
/// (control characters other than tab, line feed, carriage return and form feed, and the
/// replacement character of bytes the encoding could not decode). A text CDR export, even one
/// with a stray bad byte per line, stays far below; random bytes are at a third or more. Quoting
/// such a sample as a "first row" only showed the user garbage.
pub fn looks_binary(text: &str) -> bool {
    let nul = text.bytes().filter(|&b| b == 0).count();
    if nul * 20 > text.len().max(1) {
        return true;
    }
    let (mut chars, mut odd) = (0usize, 0usize);
    for c in text.chars() {
        chars += 1;
        if c == '\u{FFFD}' || (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c')) {
            odd += 1;
        }
    }
    odd * 10 > chars
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_consistent_delimiter() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n4,5,6\n"), b',');
        assert_eq!(sniff_delimiter("a;b;c\n1,5;2;3\n4;5;6\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), b'\t');
        assert_eq!(sniff_delimiter("a|b|c\n\"x|y\"|2|3\n"), b'|');
        assert_eq!(sniff_delimiter("\"a,b\";c\n\"1,2\";3\n"), b';');
    }
}
