//! One line of a small CSV table: fields split on a delimiter, `"quoted"` fields with `""` inside.

/// The fields of one line (without its line end), or why it is not CSV.
pub(crate) fn fields(line: &str, delimiter: u8) -> Result<Vec<String>, &'static str> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        let mut field = String::new();
        if b.get(i) == Some(&b'"') {
            i += 1;
            let mut start = i;
            loop {
                match b.get(i) {
                    None => return Err("a quoted field is not closed"),
                    Some(b'"') if b.get(i + 1) == Some(&b'"') => {
                        field.push_str(&line[start..=i]);
                        i += 2;
                        start = i;
                    }
                    Some(b'"') => {
                        field.push_str(&line[start..i]);
                        i += 1;
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
            match b.get(i) {
                None => {}
                Some(&c) if c == delimiter => {}
                Some(_) => return Err("text after a quoted field"),
            }
        } else {
            let end = b[i..]
                .iter()
                .position(|&c| c == delimiter)
                .map_or(b.len(), |p| i + p);
            field.push_str(&line[i..end]);
            i = end;
        }
        out.push(field);
        if i >= b.len() {
            return Ok(out);
        }
        i += 1; // the delimiter
    }
}

/// The lines of a text with their 1-based numbers, without line ends, blank lines and `#` comments.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_plain_and_quoted_fields() {
        assert_eq!(fields("a,b,,c", b',').unwrap(), ["a", "b", "", "c"]);
        assert_eq!(
            fields(r#"1,"A, B","say ""hi""","#, b',').unwrap(),
            ["1", "A, B", "say \"hi\"", ""]
        );
        assert_eq!(fields("x;y", b';').unwrap(), ["x", "y"]);
        assert!(fields(r#""open"#, b',').is_err());
        assert!(fields(r#""a"b,c"#, b',').is_err());
    }
}
