//! What a person needs to map a file's columns by hand: the first record (the header, when
//! there is one), the first data row as examples, and what the chosen format read from which
//! column, as a generic mapping to start the correction from.

use super::generic::ColumnMapping;
use super::values::{parse_i64, parse_seconds_to_ms, parse_time_ms};
use super::Detection;
use serde::{Deserialize, Serialize};

/// At most this many columns are kept: a wider file is not mapped by hand column by column.
const MAX_COLUMNS: usize = 200;
/// Each cell is cut to this many characters: enough to recognise a column.
const MAX_CELL_CHARS: usize = 48;

/// The first rows of a file, for the column-mapping editor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ColumnPreview {
    /// The first record's fields, trimmed and cut short.
    pub first: Vec<String>,
    /// The first data row's fields (the record after the header, or the first record).
    pub example: Vec<String>,
    /// Whether the first record is a header: as detected, else guessed from its cells.
    pub header: bool,
    /// What the detected format read from which column (0-based indexes), when it says.
    pub mapping: Option<ColumnMapping>,
}

impl ColumnPreview {
    /// The preview of a sample of records, knowing the detection when there was one.
    pub fn of(
        sample: &[Vec<String>],
        detection: Option<&Detection>,
        mapping: Option<ColumnMapping>,
    ) -> ColumnPreview {
        let first = sample.first().map(Vec::as_slice).unwrap_or_default();
        let second = sample.get(1).map(Vec::as_slice);
        let header = match detection {
            Some(d) => d.header_rows > 0,
            None => looks_like_header(first, second),
        };
        let example = if header {
            second.unwrap_or_default()
        } else {
            first
        };
        ColumnPreview {
            first: cut(first),
            example: cut(example),
            header,
            mapping,
        }
    }
}

fn cut(cells: &[String]) -> Vec<String> {
    cells
        .iter()
        .take(MAX_COLUMNS)
        .map(|c| {
            let c = c.trim();
            if c.chars().count() > MAX_CELL_CHARS {
                let mut s: String = c.chars().take(MAX_CELL_CHARS - 1).collect();
                s.push('…');
                s
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A cell holding a number or a time (data, not a column name).
fn is_value(cell: &str) -> bool {
    let c = cell.trim();
    !c.is_empty()
        && (parse_i64(c).is_some()
            || parse_seconds_to_ms(c).is_some()
            || matches!(parse_time_ms(c), Some((Some(_), _))))
}

/// A header has no number or time in it, while the row after it (if any) has one.
fn looks_like_header(first: &[String], second: Option<&[String]>) -> bool {
    !first.iter().any(|c| is_value(c)) && second.is_none_or(|r| r.iter().any(|c| is_value(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<Vec<String>> {
        text.lines()
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn guesses_a_header_from_names_over_values() {
        let s = rows("Start,Dest,Secs\n2025-03-10 08:00:02,5215550001,42");
        let p = ColumnPreview::of(&s, None, None);
        assert!(p.header);
        assert_eq!(p.first, ["Start", "Dest", "Secs"]);
        assert_eq!(p.example, ["2025-03-10 08:00:02", "5215550001", "42"]);
        let s = rows("2025-03-10 08:00:02,5215550001,42\n2025-03-10 08:01:00,5215550002,0");
        let p = ColumnPreview::of(&s, None, None);
        assert!(!p.header);
        assert_eq!(p.example, ["2025-03-10 08:00:02", "5215550001", "42"]);
    }

    #[test]
    fn cuts_long_cells() {
        let long = "x".repeat(100);
        let p = ColumnPreview::of(&[vec![long]], None, None);
        assert_eq!(p.first[0].chars().count(), MAX_CELL_CHARS);
        assert!(p.first[0].ends_with('…'));
    }
}
