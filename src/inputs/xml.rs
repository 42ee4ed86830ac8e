//! A small streaming XML tokenizer for the parts of an xlsx workbook, with bounded memory.
//!
//! It reads start and end tags and text, nothing more: no DTD, no entity definitions (only the
//! five predefined entities and character references are expanded, so an "entity bomb" has
//! nothing to expand), namespaces reduced to local names. A tag longer than [`MAX_TAG`] ends
//! the part with an error; text is handed to the caller up to a limit it chooses, and the rest
//! of a longer text is skipped as it is read, never held.

use std::io::Read;

/// The longest start or end tag read (attributes included); workbook tags are a few hundred
/// bytes at most.
pub const MAX_TAG: usize = 64 * 1024;

/// What the tokenizer read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// A start tag (`<c r="A1">`); see [`XmlReader::name`] and [`XmlReader::attr`].
    Start,
    /// A self-closing tag (`<c r="A1"/>`).
    Empty,
    /// An end tag (`</c>`); see [`XmlReader::name`].
    End,
    /// Text, appended to the caller's buffer; `true` when some of it did not fit the limit.
    Text(bool),
    /// The end of the part.
    Eof,
}

/// Reads XML events from a byte stream.
pub struct XmlReader<R> {
    src: R,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    at_end: bool,
    /// The bytes of the last tag, between `<` and `>`.
    tag: Vec<u8>,
    /// The local name of the last tag, as a range of `tag`.
    name: (usize, usize),
}

impl<R: Read> XmlReader<R> {
    /// A tokenizer over `src`.
    pub fn new(src: R) -> Self {
        XmlReader {
            src,
            buf: vec![0; 64 * 1024],
            pos: 0,
            end: 0,
            at_end: false,
            tag: Vec::new(),
            name: (0, 0),
        }
    }

    fn fill(&mut self) -> Result<bool, String> {
        if self.pos < self.end {
            return Ok(true);
        }
        if self.at_end {
            return Ok(false);
        }
        self.pos = 0;
        self.end = 0;
        loop {
            match self.src.read(&mut self.buf) {
                Ok(0) => {
                    self.at_end = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.end = n;
                    return Ok(true);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(format!("read error: {e}")),
            }
        }
    }

    /// The next event; text is appended to `text` as long as `text` stays within `limit`
    /// bytes (pass 0 to skip text unread).
    pub fn next(&mut self, text: &mut Vec<u8>, limit: usize) -> Result<Event, String> {
        loop {
            if !self.fill()? {
                return Ok(Event::Eof);
            }
            if self.buf[self.pos] != b'<' {
                return self.text(text, limit);
            }
            self.pos += 1;
            if !self.fill()? {
                return Err("the XML ends inside a tag".into());
            }
            match self.buf[self.pos] {
                b'?' => self.skip_until(b"?>")?,
                b'!' => {
                    self.pos += 1;
                    if self.starts_with(b"--")? {
                        self.skip_until(b"-->")?;
                    } else if self.starts_with(b"[CDATA[")? {
                        return self.cdata(text, limit);
                    } else {
                        self.skip_declaration()?;
                    }
                }
                _ => return self.tag(),
            }
        }
    }

    /// Whether the input continues with `word` (consumed if so).
    fn starts_with(&mut self, word: &[u8]) -> Result<bool, String> {
        for &w in word {
            if !self.fill()? {
                return Ok(false);
            }
            if self.buf[self.pos] != w {
                // After a partial match the rest is skipped as a malformed declaration.
                return Ok(false);
            }
            self.pos += 1;
        }
        Ok(true)
    }

    /// Skips past `end` (a comment, a processing instruction).
    fn skip_until(&mut self, end: &[u8]) -> Result<(), String> {
        let mut matched = 0;
        loop {
            if !self.fill()? {
                return Err("the XML ends inside a comment or declaration".into());
            }
            let b = self.buf[self.pos];
            self.pos += 1;
            if b == end[matched] {
                matched += 1;
                if matched == end.len() {
                    return Ok(());
                }
            } else {
                matched = usize::from(b == end[0]);
            }
        }
    }

    /// Skips a `<!DOCTYPE …>` or other declaration, with its bracketed internal subset.
    fn skip_declaration(&mut self) -> Result<(), String> {
        let mut depth = 0u32;
        loop {
            if !self.fill()? {
                return Err("the XML ends inside a declaration".into());
            }
            let b = self.buf[self.pos];
            self.pos += 1;
            match b {
                b'[' => depth += 1,
                b']' => depth = depth.saturating_sub(1),
                b'>' if depth == 0 => return Ok(()),
                _ => {}
            }
        }
    }

    /// Reads a tag after its `<`.
    fn tag(&mut self) -> Result<Event, String> {
        self.tag.clear();
        let mut quote = 0u8;
        loop {
            if !self.fill()? {
                return Err("the XML ends inside a tag".into());
            }
            let chunk = &self.buf[self.pos..self.end];
            let mut i = 0;
            let mut done = false;
            while i < chunk.len() {
                let b = chunk[i];
                i += 1;
                if quote != 0 {
                    if b == quote {
                        quote = 0;
                    }
                } else if b == b'"' || b == b'\'' {
                    quote = b;
                } else if b == b'>' {
                    done = true;
                    break;
                }
            }
            let take = if done { i - 1 } else { i };
            if self.tag.len() + take > MAX_TAG {
                return Err(format!("an XML tag is longer than {MAX_TAG} bytes"));
            }
            self.tag.extend_from_slice(&chunk[..take]);
            self.pos += i;
            if done {
                break;
            }
        }
        let (kind, body_start) = if self.tag.first() == Some(&b'/') {
            (Event::End, 1)
        } else if self.tag.last() == Some(&b'/') {
            self.tag.pop();
            (Event::Empty, 0)
        } else {
            (Event::Start, 0)
        };
        let name_end = self.tag[body_start..]
            .iter()
            .position(|b| b.is_ascii_whitespace())
            .map_or(self.tag.len(), |p| body_start + p);
        let full = &self.tag[body_start..name_end];
        let local = full.iter().rposition(|&b| b == b':').map_or(0, |p| p + 1);
        self.name = (body_start + local, name_end);
        Ok(kind)
    }

    /// The local name (without namespace prefix) of the last tag.
    pub fn name(&self) -> &[u8] {
        &self.tag[self.name.0..self.name.1]
    }

    /// The value of the last start tag's attribute with local name `want`, unescaped.
    pub fn attr(&self, want: &[u8]) -> Option<String> {
        let mut rest = &self.tag[self.name.1..];
        loop {
            let start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
            rest = &rest[start..];
            let eq = rest.iter().position(|&b| b == b'=')?;
            let key = rest[..eq].trim_ascii();
            let after = rest[eq + 1..].trim_ascii_start();
            let q = *after.first()?;
            if q != b'"' && q != b'\'' {
                return None;
            }
            let close = after[1..].iter().position(|&b| b == q)?;
            let value = &after[1..1 + close];
            let local = key
                .iter()
                .rposition(|&b| b == b':')
                .map_or(key, |p| &key[p + 1..]);
            if local == want {
                let mut out = Vec::with_capacity(value.len());
                unescape_into(value, &mut out);
                return Some(String::from_utf8_lossy(&out).into_owned());
            }
            rest = &after[2 + close..];
        }
    }

    /// Reads text up to the next `<`, unescaped, into `out` within `limit`.
    fn text(&mut self, out: &mut Vec<u8>, limit: usize) -> Result<Event, String> {
        let mut long = false;
        let mut entity: Vec<u8> = Vec::new();
        let mut in_entity = false;
        loop {
            if !self.fill()? {
                break;
            }
            let chunk = &self.buf[self.pos..self.end];
            if in_entity {
                let stop = chunk.iter().position(|&b| b == b';' || b == b'<');
                let n = stop.unwrap_or(chunk.len());
                if entity.len() + n <= 12 {
                    entity.extend_from_slice(&chunk[..n]);
                } else {
                    entity.truncate(13);
                }
                self.pos += n;
                if let Some(p) = stop {
                    in_entity = false;
                    let mut piece = Vec::new();
                    if chunk[p] == b';' {
                        self.pos += 1;
                        entity.push(b';');
                    }
                    unescape_into(&entity, &mut piece);
                    put(out, &piece, limit, &mut long);
                    entity.clear();
                }
                continue;
            }
            let n = memchr::memchr2(b'<', b'&', chunk).unwrap_or(chunk.len());
            put(out, &chunk[..n], limit, &mut long);
            self.pos += n;
            if n == chunk.len() {
                continue;
            }
            if chunk[n] == b'<' {
                break;
            }
            in_entity = true;
        }
        if !entity.is_empty() {
            put(out, &entity, limit, &mut long);
        }
        Ok(Event::Text(long))
    }

    /// Reads a CDATA section's text (after `<![CDATA[`) as it is.
    fn cdata(&mut self, out: &mut Vec<u8>, limit: usize) -> Result<Event, String> {
        let mut long = false;
        let mut held = 0usize;
        loop {
            if !self.fill()? {
                return Err("the XML ends inside a CDATA section".into());
            }
            let b = self.buf[self.pos];
            self.pos += 1;
            if b == b']' {
                held += 1;
                continue;
            }
            if b == b'>' && held >= 2 {
                let brackets = vec![b']'; held - 2];
                put(out, &brackets, limit, &mut long);
                return Ok(Event::Text(long));
            }
            let brackets = vec![b']'; held];
            put(out, &brackets, limit, &mut long);
            held = 0;
            put(out, &[b], limit, &mut long);
        }
    }
}

/// Appends `bytes` to `out` if the whole fits within `limit`, else marks `long`.
fn put(out: &mut Vec<u8>, bytes: &[u8], limit: usize, long: &mut bool) {
    if bytes.is_empty() {
        return;
    }
    if *long || out.len() + bytes.len() > limit {
        *long = true;
    } else {
        out.extend_from_slice(bytes);
    }
}

/// Expands the predefined entities and character references of `raw` into `out`; anything
/// else is kept as written.
fn unescape_into(raw: &[u8], out: &mut Vec<u8>) {
    let mut rest = raw;
    while let Some(amp) = memchr::memchr(b'&', rest) {
        out.extend_from_slice(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.iter().take(12).position(|&b| b == b';') else {
            out.push(b'&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..semi];
        let c = match name {
            b"lt" => Some('<'),
            b"gt" => Some('>'),
            b"amp" => Some('&'),
            b"quot" => Some('"'),
            b"apos" => Some('\''),
            [b'#', b'x' | b'X', hex @ ..] => std::str::from_utf8(hex)
                .ok()
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .map(|v| char::from_u32(v).unwrap_or('\u{FFFD}')),
            [b'#', dec @ ..] => std::str::from_utf8(dec)
                .ok()
                .and_then(|d| d.parse::<u32>().ok())
                .map(|v| char::from_u32(v).unwrap_or('\u{FFFD}')),
            _ => None,
        };
        match c {
            Some(c) => {
                out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                rest = &rest[semi + 1..];
            }
            None => {
                out.push(b'&');
                rest = &rest[1..];
            }
        }
    }
    out.extend_from_slice(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every event of `xml` as text, read through a one-byte reader (every boundary).
    fn events(xml: &str, limit: usize) -> Vec<String> {
        struct OneByte<'a>(&'a [u8]);
        impl Read for OneByte<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut r = XmlReader::new(OneByte(xml.as_bytes()));
        let mut out = Vec::new();
        loop {
            let mut text = Vec::new();
            let e = r.next(&mut text, limit).unwrap();
            let name = String::from_utf8_lossy(r.name()).into_owned();
            out.push(match e {
                Event::Start => format!("<{name} r={:?}>", r.attr(b"r")),
                Event::Empty => format!("<{name}/>"),
                Event::End => format!("</{name}>"),
                Event::Text(long) => format!(
                    "{:?}{}",
                    String::from_utf8_lossy(&text),
                    if long { "…" } else { "" }
                ),
                Event::Eof => break,
            });
        }
        out
    }

    #[test]
    fn reads_tags_attributes_text_and_entities() {
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><!-- c > d --><x:row r='1&amp;2'><c r=\"a>b\" t=\"s\"/><t>a &lt;&#x41;&#66;&amp;&bad; <![CDATA[<raw>]]]></t></x:row>";
        assert_eq!(
            events(xml, 100),
            [
                "<row r=Some(\"1&2\")>",
                "<c/>",
                "<t r=None>",
                "\"a <AB&&bad; \"",
                "\"<raw>]\"",
                "</t>",
                "</row>"
            ]
        );
        // Text beyond the limit is skipped, and said so.
        assert_eq!(
            events("<t>abcdef</t>", 3),
            ["<t r=None>", "\"abc\"…", "</t>"]
        );
    }

    #[test]
    fn refuses_a_huge_tag() {
        let xml = format!("<c r=\"{}\"/>", "A".repeat(MAX_TAG));
        let mut r = XmlReader::new(xml.as_bytes());
        assert_eq!(
            r.next(&mut Vec::new(), 0),
            Err("an XML tag is longer than 65536 bytes".to_string())
        );
    }
}
