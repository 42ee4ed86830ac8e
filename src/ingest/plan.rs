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
/// Files smaller than this are read by one worker in the page ([`PartPolicy::PAGE`], which
/// `www/worker.js` asks through `SplitPlan` in `web/part.rs`).
pub const PAGE_MIN_BYTES: u64 = 32 << 20;
/// Bytes the first reader takes before the plan for the other parts is known (the format is
/// detected from the first 64 KiB, so 1 MiB always holds the plan).
pub const HEAD_BYTES: u64 = 1 << 20;
/// Most parts the page reads one file in (the first read by its own worker, each other by a
/// part worker).
pub const PAGE_MAX_PARTS: usize = 8;
/// Bytes read at a time when looking for the line start after a cut target.
pub const CUT_WINDOW: u64 = 64 << 10;
/// How far after its target a cut's line start is looked for; a cut with no `\n` that close
/// is dropped (one part fewer).
pub const CUT_SEARCH_MAX: u64 = 4 << 20;

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

/// How a reader splits files: the smallest file split, the smallest part, the head read before
/// the plan is known and the first part's share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartPolicy {
    /// Files smaller than this are read in one part.
    pub min_bytes: u64,
    /// Each part holds at least this many bytes (fewer parts for a file too small for all).
    pub min_part_bytes: u64,
    /// The most bytes the first reader takes before the plan is known.
    pub head_bytes: u64,
    /// The first part's size relative to each other part's: `(first, other)`, `(1, 1)` for
    /// equal parts.
    pub shares: (u64, u64),
}

impl PartPolicy {
    /// The command line (`--jobs`): from 16 MiB on, equal parts of at least 8 MiB.
    pub const CLI: PartPolicy = PartPolicy {
        min_bytes: CLI_MIN_BYTES,
        min_part_bytes: CLI_MIN_BYTES / 2,
        head_bytes: HEAD_BYTES,
        shares: (1, 1),
    };
    /// The page: from 32 MiB on, parts of at least 16 MiB; the first worker's part is smaller
    /// (47 : 53), since that worker also computes the partial summaries (up to a tenth of its
    /// time), so all parts end at about the same time. Its head is one 8 MiB slice at most.
    pub const PAGE: PartPolicy = PartPolicy {
        min_bytes: PAGE_MIN_BYTES,
        min_part_bytes: PAGE_MIN_BYTES / 2,
        head_bytes: 8 << 20,
        shares: (47, 53),
    };

    /// This policy with another smallest file (tests lower it; parts then hold at least half
    /// of it).
    pub fn with_min_bytes(self, min_bytes: u64) -> PartPolicy {
        PartPolicy {
            min_bytes,
            min_part_bytes: min_bytes / 2,
            ..self
        }
    }

    /// How many parts a file of `size` bytes is read in by up to `readers` readers: 1 when it is
    /// not plain text (a gzip, zip or workbook has no line starts to cut at) or smaller than
    /// [`PartPolicy::min_bytes`]; else as many as there are readers, but no part smaller than
    /// [`PartPolicy::min_part_bytes`].
    pub fn parts(&self, size: u64, readers: usize, plain_text: bool) -> usize {
        if !plain_text || readers < 2 || size < self.min_bytes {
            return 1;
        }
        let fit = size / self.min_part_bytes.max(1);
        (readers as u64).min(fit).max(2) as usize
    }

    /// The bytes the first reader takes before the plan is known, for a file cut in `parts`:
    /// at most [`PartPolicy::head_bytes`] and half of the first part, so no cut target falls
    /// inside it.
    pub fn head(&self, size: u64, parts: usize) -> u64 {
        if parts < 2 {
            return size;
        }
        let first = self.targets(size, parts).first().copied().unwrap_or(size);
        self.head_bytes.min(first / 2).max(1).min(size)
    }

    /// Where the parts after the first should start, before the line starts are looked for:
    /// `parts − 1` ascending offsets, the first part and each other in the ratio
    /// [`PartPolicy::shares`] (47 : 53 in two parts: the first cut at 47 % of the file).
    pub fn targets(&self, size: u64, parts: usize) -> Vec<u64> {
        let parts = parts.max(1) as u128;
        let (w0, w) = (u128::from(self.shares.0), u128::from(self.shares.1.max(1)));
        let total = w0 + (parts - 1) * w;
        // u128: `size × weight` passes u64 for no real file, but costs nothing to rule out.
        (1..parts)
            .map(|k| (u128::from(size) * (w0 + (k - 1) * w) / total) as u64)
            .collect()
    }
}

/// How many parts the page reads a large file in, on a machine of `cores` logical cores:
/// `min(cores − 1, 8)` (one core stays with the page), so one on two cores, where reading the
/// File already takes most of a core and a second parser only added memory (bench/PROFILE.md).
/// `forced` (the tests' and the benchmark's `window.cdrscopeSplit`) overrides it: `Some(n)`
/// reads in `n` parts (1 to 8).
pub fn page_readers(cores: u32, forced: Option<u32>) -> usize {
    let n = forced.unwrap_or_else(|| cores.saturating_sub(1));
    (n as usize).clamp(1, PAGE_MAX_PARTS)
}

/// The offset just after the first `\n` in `bytes` (a line start), if there is one. CRLF ends
/// in `\n` too; a file with CR-only line ends has none and is not split.
pub fn line_start_in(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n').map(|i| i + 1)
}

/// Whether a part that ended at byte `end` of a `size`-byte file must read on to the end of the
/// file instead of being merged as it is: its reader ended inside a quoted field
/// (`!at_row_boundary`) before the end of the file, so its last row continues in the next part.
/// The offset to read on from, if so.
pub fn read_on_from(end: u64, size: u64, at_row_boundary: bool) -> Option<u64> {
    (!at_row_boundary && end < size).then_some(end)
}

/// Finds the cuts of a file from the bytes around each target, for a caller that reads the
/// file itself (the page's worker from a File, the command line from disk): ask
/// [`CutSearch::window`] which bytes to read, hand them to [`CutSearch::feed`], until there is
/// no window left; then [`CutSearch::cuts`].
#[derive(Clone, Debug)]
pub struct CutSearch {
    size: u64,
    points: Vec<u64>,
    /// Targets not yet searched, last first.
    targets: Vec<u64>,
    /// The start of the next window of the current target and where its search ends.
    pos: u64,
    stop: u64,
}

impl CutSearch {
    /// A search for the line starts after `targets` (ascending) in a file of `size` bytes whose
    /// first `head` bytes are read before the plan is known (no cut falls inside them).
    pub fn new(size: u64, head: u64, targets: &[u64]) -> CutSearch {
        let mut s = CutSearch {
            size,
            points: vec![head.min(size)],
            targets: targets.iter().rev().copied().collect(),
            pos: 0,
            stop: 0,
        };
        s.next_target();
        s
    }

    fn next_target(&mut self) {
        match self.targets.pop() {
            Some(t) => {
                self.pos = t.max(self.points[0]).min(self.size);
                self.stop = self.pos.saturating_add(CUT_SEARCH_MAX).min(self.size);
            }
            None => {
                self.pos = self.size;
                self.stop = self.size;
            }
        }
    }

    /// The bytes to read next, `(from, to)`; `None` once every cut is found.
    pub fn window(&self) -> Option<(u64, u64)> {
        (self.pos < self.stop).then(|| (self.pos, (self.pos + CUT_WINDOW).min(self.stop)))
    }

    /// The bytes of the window last given (fewer are taken as the end of the file).
    pub fn feed(&mut self, bytes: &[u8]) {
        if self.pos >= self.stop {
            return;
        }
        let take = bytes.len().min((self.stop - self.pos) as usize);
        if let Some(i) = line_start_in(&bytes[..take]) {
            self.found(self.pos + i as u64);
        } else if take == 0 {
            self.found(self.size);
        } else {
            self.pos += take as u64;
            if self.pos >= self.stop {
                // No line start close enough (or none before the end): no cut here.
                self.found(self.size);
            }
        }
    }

    /// Records a cut (dropped when it coincides with the one before or reaches the end).
    fn found(&mut self, cut: u64) {
        if cut > *self.points.last().unwrap_or(&0) && cut < self.size {
            self.points.push(cut);
        }
        self.next_target();
    }

    /// The cuts found (see [`Cuts`]); the targets not searched yet are dropped.
    pub fn cuts(&self) -> Cuts {
        let mut points = self.points.clone();
        points.push(self.size);
        Cuts { points }
    }
}

/// Where a file is cut: the first reader's head, then one offset per later part, then the end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cuts {
    /// Ascending offsets: `[head, c1, …, size]`; part `k` is `points[k]..points[k + 1]`.
    points: Vec<u64>,
}

impl Cuts {
    /// Plans `parts` equal parts of a file of `size` bytes whose first `head` bytes are read
    /// before the plan is known ([`PartPolicy::CLI`]'s shares): `read(from, to)` gives the
    /// file's bytes there (fewer at its end). See [`CutSearch`].
    pub fn plan<E>(
        size: u64,
        head: u64,
        parts: usize,
        read: impl FnMut(u64, u64) -> Result<Vec<u8>, E>,
    ) -> Result<Cuts, E> {
        Cuts::search(size, head, &PartPolicy::CLI.targets(size, parts), read)
    }

    /// Finds the cuts after `targets` (see [`CutSearch`]), reading through `read(from, to)`.
    pub fn search<E>(
        size: u64,
        head: u64,
        targets: &[u64],
        mut read: impl FnMut(u64, u64) -> Result<Vec<u8>, E>,
    ) -> Result<Cuts, E> {
        let mut search = CutSearch::new(size, head, targets);
        while let Some((from, to)) = search.window() {
            let bytes = read(from, to)?;
            search.feed(&bytes);
        }
        Ok(search.cuts())
    }

    /// [`Cuts::plan`] over a file held in memory.
    pub fn plan_in(bytes: &[u8], head: u64, parts: usize) -> Cuts {
        Cuts::search_in(
            bytes,
            head,
            &PartPolicy::CLI.targets(bytes.len() as u64, parts),
        )
    }

    /// [`Cuts::search`] over a file held in memory.
    pub fn search_in(bytes: &[u8], head: u64, targets: &[u64]) -> Cuts {
        let found: Result<Cuts, std::convert::Infallible> =
            Cuts::search(bytes.len() as u64, head, targets, |from, to| {
                Ok(bytes[from as usize..to as usize].to_vec())
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
        let end = self.points.get(k + 1).copied().unwrap_or(0);
        read_on_from(end, self.size(), at_row_boundary)
    }

    /// The file's size (the last point).
    pub fn size(&self) -> u64 {
        *self.points.last().unwrap_or(&0)
    }

    /// How many parts there are after the head (the first one read by the first reader).
    pub fn len(&self) -> usize {
        self.points.len() - 1
    }

    /// Whether there is no part after the head (an empty file read whole in its head).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
        let cli = PartPolicy::CLI;
        assert_eq!(cli.parts(CLI_MIN_BYTES, 2, true), 2);
        assert_eq!(cli.parts(CLI_MIN_BYTES - 1, 2, true), 1);
        assert_eq!(cli.parts(CLI_MIN_BYTES, 1, true), 1);
        // gzip, zip, workbooks: not plain text.
        assert_eq!(cli.parts(1 << 30, 8, false), 1);
        assert_eq!(PartPolicy::PAGE.parts(PAGE_MIN_BYTES - 1, 2, true), 1);
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

    /// Lines of 10 bytes, `n` of them.
    fn rows(n: usize) -> Vec<u8> {
        (0..n)
            .flat_map(|i| format!("row {i:05}\n").into_bytes())
            .collect()
    }

    #[test]
    fn one_to_eight_parts_cover_the_file_in_ascending_line_starts() {
        let text = rows(10_000);
        for policy in [PartPolicy::CLI, PartPolicy::PAGE] {
            for n in 1..=8 {
                let targets = policy.targets(text.len() as u64, n);
                assert_eq!(targets.len(), n - 1);
                let cuts = Cuts::search_in(&text, 1000, &targets);
                let p = cuts.points();
                assert_eq!(cuts.len(), n, "{policy:?} {n}: {p:?}");
                assert_eq!((p[0], *p.last().unwrap()), (1000, 100_000));
                assert!(p.windows(2).all(|w| w[0] < w[1]));
                // Every cut is a line start, the first after its target.
                for (c, t) in p[1..n].iter().zip(&targets) {
                    assert_eq!(text[*c as usize - 1], b'\n');
                    assert!(*c > *t && *c - *t <= 10, "{c} after {t}");
                }
            }
        }
        // The page's first part is 47 % of two, and smaller than the others for more.
        assert_eq!(PartPolicy::PAGE.targets(100_000, 2), vec![47_000]);
        let t = PartPolicy::PAGE.targets(100_000, 4);
        assert!(t[0] < t[1] - t[0] && t[1] - t[0] == t[2] - t[1], "{t:?}");
        assert_eq!(PartPolicy::CLI.targets(100, 4), vec![25, 50, 75]);
    }

    #[test]
    fn how_many_parts_for_a_size_and_readers() {
        let page = PartPolicy::PAGE;
        const MB: u64 = 1 << 20;
        // Below 32 MB, or one reader, or not plain text: one part.
        assert_eq!(page.parts(32 * MB - 1, 8, true), 1);
        assert_eq!(page.parts(1 << 40, 1, true), 1);
        assert_eq!(page.parts(1 << 40, 8, false), 1);
        // From 32 MB: as many as readers, no part under 16 MB.
        assert_eq!(page.parts(32 * MB, 2, true), 2);
        assert_eq!(page.parts(32 * MB, 8, true), 2);
        assert_eq!(page.parts(48 * MB, 8, true), 3);
        assert_eq!(page.parts(1 << 30, 8, true), 8);
        assert_eq!(page.parts(1 << 30, 3, true), 3);
        // Tests lower the threshold: a 4 MB file in 4 parts of at least 512 KB.
        let low = page.with_min_bytes(MB);
        assert_eq!(low.parts(4 * MB, 4, true), 4);
        assert_eq!(low.parts(MB - 1, 4, true), 1);
        assert_eq!(PartPolicy::CLI.parts(16 * MB, 8, true), 2);
        assert_eq!(PartPolicy::CLI.parts(16 * MB - 1, 8, true), 1);
        // The head is one 8 MB slice at most and half the first part at most.
        assert_eq!(page.head(1 << 30, 2), 8 * MB);
        assert_eq!(
            low.head(4 * MB, 8),
            PartPolicy::PAGE.targets(4 * MB, 8)[0] / 2
        );
        assert_eq!(page.head(1000, 1), 1000);
        // Readers on the page: cores − 1, at most 8; forced 1 to 8.
        assert_eq!(page_readers(2, None), 1);
        assert_eq!(page_readers(3, None), 2);
        assert_eq!(page_readers(4, None), 3);
        assert_eq!(page_readers(64, None), 8);
        assert_eq!(page_readers(0, None), 1);
        assert_eq!(page_readers(2, Some(4)), 4);
        assert_eq!(page_readers(16, Some(1)), 1);
        assert_eq!(page_readers(2, Some(99)), 8);
    }

    #[test]
    fn odd_files_tiny_no_newline_bom_and_a_long_line() {
        // Tiny: fewer line starts than parts, so fewer parts.
        let tiny = b"a,b\n1,2\n";
        let cuts = Cuts::plan_in(tiny, 0, 8);
        assert_eq!(cuts.points(), &[0, 4, 8]);
        assert_eq!(cuts.len(), 2);
        // Empty and one-line files: one part.
        assert_eq!(Cuts::plan_in(b"", 0, 4).points(), &[0, 0]);
        assert_eq!(Cuts::plan_in(b"a,b,c", 0, 4).points(), &[0, 5]);
        // No line feed at all (CR-only line ends): one part.
        assert_eq!(Cuts::plan_in(b"a\rb\rc\rd\r", 0, 3).points(), &[0, 8]);
        // A UTF-8 BOM is in the head, never cut.
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend(rows(10));
        assert_eq!(Cuts::plan_in(&bom, 3, 2).points(), &[3, 53, 103]);
        // A line longer than the search distance: that cut is dropped.
        let mut long = rows(2);
        long.extend(std::iter::repeat_n(
            b'x',
            (CUT_SEARCH_MAX + CUT_WINDOW) as usize,
        ));
        long.extend(b"\nlast\n");
        let size = long.len() as u64;
        let cuts = Cuts::search_in(&long, 0, &[5, 30]);
        assert_eq!(cuts.points(), &[0, 10, size]);
        // The windows asked for: 64 KiB at most, never past the search distance.
        let mut s = CutSearch::new(size, 0, &[30]);
        let mut asked = 0;
        while let Some((from, to)) = s.window() {
            assert!(to - from <= CUT_WINDOW && to <= 30 + CUT_SEARCH_MAX);
            s.feed(&long[from as usize..to as usize]);
            asked += 1;
        }
        assert_eq!(asked, (CUT_SEARCH_MAX / CUT_WINDOW) as usize);
        assert_eq!(s.cuts().points(), &[0, size]);
    }

    #[test]
    fn read_on_only_inside_a_quoted_field_before_the_end() {
        assert_eq!(read_on_from(50, 100, false), Some(50));
        assert_eq!(read_on_from(50, 100, true), None);
        assert_eq!(read_on_from(100, 100, false), None);
    }
}
