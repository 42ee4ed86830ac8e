//! The user's prefix list (`prefix,name`): reading it from CSV and its longest-prefix match.

use super::csv_line;

/// No child or no value in a [`UserPrefixes`] trie node.
const NIL: u32 = u32::MAX;

/// The trie slot of a prefix byte (`0`–`9`, `*`, `#`), `None` for any other byte.
#[inline]
fn slot(b: u8) -> Option<usize> {
    match b {
        b'0'..=b'9' => Some(usize::from(b - b'0')),
        b'*' => Some(10),
        b'#' => Some(11),
        _ => None,
    }
}

/// A user prefix list with a trie for the longest-prefix match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserPrefixes {
    /// The `(prefix, name)` pairs as given.
    list: Vec<(String, String)>,
    /// The trie's children, one row of 12 slots per node; node 0 is the root.
    children: Vec<[u32; 12]>,
    /// Per node, the index in `list` of the prefix that ends there.
    values: Vec<u32>,
}

impl UserPrefixes {
    /// A list of `(prefix, name)` pairs; of a repeated prefix the first wins, and a prefix with a
    /// byte other than a digit, `*` or `#` never matches.
    pub fn new(list: Vec<(String, String)>) -> Self {
        let mut children = vec![[NIL; 12]];
        let mut values = vec![NIL];
        for (i, (prefix, _)) in list.iter().enumerate() {
            if prefix.is_empty() || !prefix.bytes().all(|b| slot(b).is_some()) {
                continue;
            }
            let mut node = 0usize;
            for b in prefix.bytes() {
                let s = slot(b).expect("checked");
                if children[node][s] == NIL {
                    children[node][s] = children.len() as u32;
                    children.push([NIL; 12]);
                    values.push(NIL);
                }
                node = children[node][s] as usize;
            }
            if values[node] == NIL {
                values[node] = i as u32;
            }
        }
        UserPrefixes {
            list,
            children,
            values,
        }
    }

    /// The `(prefix, name)` pairs as given.
    pub fn list(&self) -> &[(String, String)] {
        &self.list
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The index of the longest prefix of the concatenation `head` + `tail`.
    #[inline]
    pub fn longest_match(&self, head: &[u8], tail: &[u8]) -> Option<usize> {
        if self.list.is_empty() {
            return None;
        }
        let mut node = 0usize;
        let mut best = NIL;
        for &b in head.iter().chain(tail) {
            let Some(s) = slot(b) else { break };
            let next = self.children[node][s];
            if next == NIL {
                break;
            }
            node = next as usize;
            if self.values[node] != NIL {
                best = self.values[node];
            }
        }
        (best != NIL).then_some(best as usize)
    }
}

/// Reads a user prefix list of `prefix,name` lines into pairs, or an error that names the line.
//
// `;` or a tab also delimit; a first line whose prefix has no digit is a header; `#` lines are
// comments and further columns are ignored. A prefix is digits (and `*`, `#`), with or without a
// leading `+`, with spaces or `-` `.` `(` `)` between them; an empty name takes the prefix's.
pub fn parse_prefix_list(csv_text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut seen: Vec<usize> = Vec::new();
    let mut delimiter = None;
    for (n, (line_no, line)) in csv_line::lines(csv_text).enumerate() {
        let d = *delimiter.get_or_insert_with(|| {
            [b'\t', b';', b',']
                .into_iter()
                .find(|&d| line.as_bytes().contains(&d))
                .unwrap_or(b',')
        });
        let fields = csv_line::fields(line, d).map_err(|e| format!("line {line_no}: {e}"))?;
        let raw = fields[0].trim();
        if n == 0 && !raw.bytes().any(|b| b.is_ascii_digit()) {
            continue; // the header
        }
        let mut prefix: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
            .collect();
        if prefix.starts_with('+') {
            prefix.remove(0);
        }
        if prefix.is_empty() {
            return Err(format!("line {line_no}: the prefix is empty"));
        }
        if !prefix.bytes().all(|b| slot(b).is_some()) {
            return Err(format!(
                "line {line_no}: the prefix {raw:?} is not digits (0-9, *, #)"
            ));
        }
        if let Some(first) = out.iter().position(|(p, _)| *p == prefix) {
            return Err(format!(
                "line {line_no}: the prefix {prefix} is already on line {}",
                seen[first]
            ));
        }
        let name = fields.get(1).map(|s| s.trim()).unwrap_or("");
        let name = if name.is_empty() {
            prefix.clone()
        } else {
            name.to_string()
        };
        out.push((prefix, name));
        seen.push(line_no);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn reads_lists_with_or_without_header() {
        let with = "prefix,name\n+44,UK\n4420,London\n\n86 ,\"China, mobile\"\n";
        assert_eq!(
            parse_prefix_list(with).unwrap(),
            pairs(&[("44", "UK"), ("4420", "London"), ("86", "China, mobile")])
        );
        assert_eq!(
            parse_prefix_list("34;España;0.01\r\n1 (800);Toll free\r\n").unwrap(),
            pairs(&[("34", "España"), ("1800", "Toll free")])
        );
        assert_eq!(
            parse_prefix_list("\u{feff}7\n").unwrap(),
            pairs(&[("7", "7")])
        );
        assert_eq!(parse_prefix_list("").unwrap(), pairs(&[]));
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse_prefix_list("prefix,name\n44,UK\nabc,X\n").unwrap_err();
        assert!(e.starts_with("line 3:"), "{e}");
        let e = parse_prefix_list("44,UK\n\n44,Again\n").unwrap_err();
        assert!(e.starts_with("line 3:") && e.contains("line 1"), "{e}");
        let e = parse_prefix_list("44,UK\n,X\n").unwrap_err();
        assert!(e.starts_with("line 2:"), "{e}");
        let e = parse_prefix_list("44,\"UK\n").unwrap_err();
        assert!(e.starts_with("line 1:"), "{e}");
    }

    #[test]
    fn longest_prefix_wins() {
        let u = UserPrefixes::new(pairs(&[("44", "UK"), ("4420", "London"), ("*9", "svc")]));
        assert_eq!(u.longest_match(b"442079460000", b""), Some(1));
        assert_eq!(u.longest_match(b"44", b"2079460000"), Some(1));
        assert_eq!(u.longest_match(b"4", b"42179460000"), Some(0));
        assert_eq!(u.longest_match(b"4", b""), None);
        assert_eq!(u.longest_match(b"*97", b""), Some(2));
        assert_eq!(u.longest_match(b"33", b"1"), None);
        assert_eq!(UserPrefixes::default().longest_match(b"44", b""), None);
    }
}
