//! Reading one file in parts: what a later part's reader needs ([`ReadPlan`]), whether the file
//! can be split at all, where to cut it, and how the parts are merged.
//!
//! One place for what the command line (`--jobs`) and the page's second worker used to decide
//! each on their own: a part starts at a line start found by [`line_start_in`]; a file is split
//! only when [`ReadPlan::can_split`]; and a part whose reader ended inside a quoted field makes
//! the merge read on sequentially from its end ([`Cuts::read_on_from`]), so the result is always
//! that of one sequential read. Platform-free: the caller does the reading.

use super::TextEncoding;
use crate::formats::{Detection, FormatOptions};
use serde::{Deserialize, Serialize};

/// Files smaller than this are read in one part by the command line.
pub const CLI_MIN_BYTES: u64 = 16 << 20;
/// Files smaller than this are read by one worker in the page (`www/worker.js` `SPLIT_MIN`).
pub const PAGE_MIN_BYTES: u64 = 32 << 20;
/// Bytes the first reader takes before the plan for the other parts is known (the format is
/// detected from the first 64 KiB, so 1 MiB always holds the plan).
pub const HEAD_BYTES: u64 = 1 << 20;

/// Everything a second reader needs to read a later part of the same file, so a large file
/// can be read in parallel parts (see [`super::Reader::resume`]).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReadPlan {
    /// The options the file is read with.
    pub options: FormatOptions,
    /// The text encoding.
    pub encoding: TextEncoding,
    /// The delimiter byte.
    pub delimiter: u8,
    /// The chosen format.
    pub detection: Detection,
    /// The first records of the file (the header among them), which the mapper is built from.
    pub sample: Vec<Vec<String>>,
    /// Whether rows map independently of each other (false for formats that pair rows).
    pub splittable: bool,
}

impl ReadPlan {
    /// Whether a later part can be read on its own: rows map independently and a `\n` byte is
    /// always a line break (not so in UTF-16, where it can be half of another character).
    pub fn can_split(&self) -> bool {
        self.splittable && self.encoding.is_ascii_compatible()
    }
}

/// Whether a file of `size` bytes is worth reading in `parts` parts, given the smallest size
/// (`min_bytes`, e.g. [`CLI_MIN_BYTES`]) and whether it is plain text: a gzip, zip or workbook
/// has no line starts to cut at.
pub fn worth_splitting(size: u64, parts: usize, min_bytes: u64, plain_text: bool) -> bool {
    plain_text && parts > 1 && size >= min_bytes
}

/// The offset just after the first `\n` in `bytes` (a line start), if there is one. CRLF ends
/// in `\n` too; a file with CR-only line ends has none and is not split.
pub fn line_start_in(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n').map(|i| i + 1)
}

/// Where a file is cut: the first reader's head, then one offset per later part, then the end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cuts {
    /// Ascending offsets: `[head, c1, …, size]`; part `k` is `points[k]..points[k + 1]`.
    points: Vec<u64>,
}

impl Cuts {
    /// Plans `parts` parts of a file of `size` bytes whose first `head` bytes are read before
    /// the plan is known: cut `k` is the line start after the first `\n` at or after
    /// `size × k / parts` (never inside the head), given by `line_start_at` (an offset → that
    /// line start, or `size` when no `\n` follows). Cuts that coincide or reach the end are dropped, so a file with too few
    /// line breaks has fewer parts.
    pub fn plan<E>(
        size: u64,
        head: u64,
        parts: usize,
        mut line_start_at: impl FnMut(u64) -> Result<u64, E>,
    ) -> Result<Cuts, E> {
        let mut points = vec![head.min(size)];
        let parts = parts.max(1) as u64;
        for k in 1..parts {
            // u128: `size × k` passes u64 for no real file, but costs nothing to rule out.
            let at = (u128::from(size) * u128::from(k) / u128::from(parts)) as u64;
            let c = line_start_at(at.max(head))?;
            if c > *points.last().unwrap_or(&0) && c < size {
                points.push(c);
            }
        }
        points.push(size);
        Ok(Cuts { points })
    }

    /// [`Cuts::plan`] over a file held in memory.
    pub fn plan_in(bytes: &[u8], head: u64, parts: usize) -> Cuts {
        let size = bytes.len() as u64;
        let found: Result<Cuts, std::convert::Infallible> = Cuts::plan(size, head, parts, |at| {
            let from = at.min(size) as usize;
            Ok(line_start_in(&bytes[from..]).map_or(size, |i| (from + i) as u64))
        });
        match found {
            Ok(c) => c,
            Err(never) => match never {},
        }
    }

    /// The offsets `[head, c1, …, size]`.
    pub fn points(&self) -> &[u64] {
        &self.points
    }

    /// The bytes the first reader takes before the plan is known.
    pub fn head(&self) -> u64 {
        self.points[0]
    }

    /// The parts after the head as `(from, to)`: the first is read by the first reader (on
    /// from its head), each later one by a reader of its own ([`super::Reader::resume`]).
    pub fn parts(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.points.windows(2).map(|w| (w[0], w[1]))
    }

    /// How part `k` (see [`Cuts::parts`]) is merged, once read: `None` to take it as it is;
    /// `Some(end)` when its reader ended inside a quoted field before the end of the file,
    /// so the row at the cut continues: that reader reads on from `end` to the end of the file
    /// and the later parts are dropped.
    pub fn read_on_from(&self, k: usize, at_row_boundary: bool) -> Option<u64> {
        let end = self.points[k + 1];
        let size = *self.points.last().unwrap_or(&0);
        (!at_row_boundary && end < size).then_some(end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_fall_on_the_byte_after_a_line_feed() {
        // Lines of 10 bytes: "row 00000\n", …; 100 bytes in all.
        let text: Vec<u8> = (0..10)
            .flat_map(|i| format!("row {i:05}\n").into_bytes())
            .collect();
        assert_eq!(Cuts::plan_in(&text, 5, 2).points(), &[5, 60, 100]);
        assert_eq!(Cuts::plan_in(&text, 5, 3).points(), &[5, 40, 70, 100]);
        // The cut is the line start after the first line feed at or after `size × k / parts`
        // (50 → 60: a line start itself is passed over, as the command line always did).
        assert_eq!(Cuts::plan_in(&text, 0, 3).points(), &[0, 40, 70, 100]);
        // A cut never falls inside the head.
        assert_eq!(Cuts::plan_in(&text, 65, 4).points(), &[65, 70, 80, 100]);
        // One part: only the head and the end.
        assert_eq!(Cuts::plan_in(&text, 5, 1).points(), &[5, 100]);
        assert_eq!(
            Cuts::plan_in(&text, 5, 2).parts().collect::<Vec<_>>(),
            vec![(5, 60), (60, 100)]
        );
    }

    #[test]
    fn crlf_cuts_after_the_line_feed_and_cr_only_is_not_cut() {
        let crlf = b"a,b\r\nc,d\r\ne,f\r\ng,h\r\n";
        assert_eq!(Cuts::plan_in(crlf, 0, 2).points(), &[0, 15, 20]);
        let cr = b"a,b\rc,d\re,f\rg,h\r";
        assert_eq!(Cuts::plan_in(cr, 0, 2).points(), &[0, 16]);
        assert_eq!(line_start_in(b"x\r\ny"), Some(3));
        assert_eq!(line_start_in(b"x\ry"), None);
    }

    #[test]
    fn a_quoted_newline_can_take_a_cut_and_the_merge_reads_on() {
        // The cut lands after the newline inside the quoted note: the plan cannot know (it
        // reads no quotes); the first part's reader ends inside the field, so it reads on.
        let text = b"id,note\n1,plain\n2,\"two\nlines\"\n3,x\n";
        let cuts = Cuts::plan_in(text, 0, 2);
        assert_eq!(cuts.points(), &[0, 23, 34]);
        assert_eq!(&text[23..], b"lines\"\n3,x\n");
        assert_eq!(cuts.read_on_from(0, false), Some(23));
        assert_eq!(cuts.read_on_from(0, true), None);
        // The last part ends at the end of the file: nothing to read on into.
        assert_eq!(cuts.read_on_from(1, false), None);
    }

    #[test]
    fn only_plain_text_of_the_minimum_size_in_two_or_more_parts_is_split() {
        assert!(worth_splitting(CLI_MIN_BYTES, 2, CLI_MIN_BYTES, true));
        assert!(!worth_splitting(CLI_MIN_BYTES - 1, 2, CLI_MIN_BYTES, true));
        assert!(!worth_splitting(CLI_MIN_BYTES, 1, CLI_MIN_BYTES, true));
        // gzip, zip, workbooks: not plain text.
        assert!(!worth_splitting(1 << 30, 8, CLI_MIN_BYTES, false));
        assert!(!worth_splitting(
            PAGE_MIN_BYTES - 1,
            2,
            PAGE_MIN_BYTES,
            true
        ));
    }

    #[test]
    fn utf16_and_paired_rows_are_not_split() {
        let plan = |encoding, splittable| ReadPlan {
            options: FormatOptions::default(),
            encoding,
            delimiter: b',',
            detection: Detection {
                format: crate::formats::FormatId::Vos3000,
                confidence: 1.0,
                reason: String::new(),
                header_rows: 1,
            },
            sample: Vec::new(),
            splittable,
        };
        assert!(plan(TextEncoding::Utf8, true).can_split());
        assert!(plan(TextEncoding::Gb18030, true).can_split());
        assert!(!plan(TextEncoding::Utf16Le, true).can_split());
        assert!(!plan(TextEncoding::Utf16Be, true).can_split());
        assert!(!plan(TextEncoding::Utf8, false).can_split());
    }
}
