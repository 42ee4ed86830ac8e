//! Duplicates decided with bounded memory: every row's repeated-row fingerprint and cross-file
//! key go into sorted runs on disk (an external sort), and one merge of the runs at the end
//! decides which rows the report counts once. Memory is one run buffer per producer and one
//! bit per row, whatever the input size; an in-memory table of every fingerprint and key (the
//! report's way) would grow by about 20 bytes a row.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// Records a run buffer holds before it is sorted and written (16 MB).
pub const RUN_RECORDS: usize = 1 << 20;

/// Bits of a row position given to the row within its part.
const ROW_BITS: u32 = 36;
/// Bits given to the part within its file.
const PART_BITS: u32 = 8;

/// A row's position: its file, the part of the file it was read in, and its index in the part.
/// Positions order rows as a sequential read meets them.
pub fn pack(file: u32, part: u8, row: u64) -> u64 {
    (u64::from(file) << (ROW_BITS + PART_BITS)) | (u64::from(part) << ROW_BITS) | row
}

/// The (file, part, row) of a position.
pub fn unpack(pos: u64) -> (u32, u8, u64) {
    (
        (pos >> (ROW_BITS + PART_BITS)) as u32,
        ((pos >> ROW_BITS) & ((1 << PART_BITS) - 1)) as u8,
        pos & ((1 << ROW_BITS) - 1),
    )
}

/// (key, position) records, sorted in runs of at most `cap` records.
pub struct Sorter {
    dir: PathBuf,
    name: String,
    cap: usize,
    buf: Vec<(u64, u64)>,
    runs: Vec<PathBuf>,
}

impl Sorter {
    /// A sorter writing its runs into `dir` as `name-N.run`.
    pub fn new(dir: &Path, name: &str, cap: usize) -> Self {
        Sorter {
            dir: dir.to_path_buf(),
            name: name.to_string(),
            cap: cap.max(1),
            buf: Vec::new(),
            runs: Vec::new(),
        }
    }

    /// Adds one record.
    #[inline]
    pub fn push(&mut self, key: u64, pos: u64) -> std::io::Result<()> {
        if self.buf.len() >= self.cap {
            self.spill()?;
        }
        self.buf.push((key, pos));
        Ok(())
    }

    fn spill(&mut self) -> std::io::Result<()> {
        self.buf.sort_unstable();
        let path = self
            .dir
            .join(format!("{}-{}.run", self.name, self.runs.len()));
        let mut w = BufWriter::with_capacity(1 << 16, File::create(&path)?);
        for &(k, p) in &self.buf {
            w.write_all(&k.to_le_bytes())?;
            w.write_all(&p.to_le_bytes())?;
        }
        w.flush()?;
        self.runs.push(path);
        self.buf.clear();
        Ok(())
    }

    /// The records sorted so far: the runs on disk and the sorted remainder in memory.
    pub fn finish(mut self) -> Sorted {
        self.buf.sort_unstable();
        Sorted {
            runs: self.runs,
            memory: vec![self.buf],
        }
    }
}

/// Sorted records of one or more sorters, to be merged.
#[derive(Default)]
pub struct Sorted {
    runs: Vec<PathBuf>,
    memory: Vec<Vec<(u64, u64)>>,
}

impl Sorted {
    /// Adds the records of another sorter.
    pub fn extend(&mut self, other: Sorted) {
        self.runs.extend(other.runs);
        self.memory.extend(other.memory);
    }

    /// Visits every record in ascending (key, position) order.
    pub fn merge(self, mut visit: impl FnMut(u64, u64)) -> std::io::Result<()> {
        let mut sources: Vec<Source> = Vec::new();
        for v in self.memory {
            sources.push(Source::Memory(v.into_iter()));
        }
        for p in &self.runs {
            sources.push(Source::Run(BufReader::with_capacity(
                1 << 16,
                File::open(p)?,
            )));
        }
        let mut heap = BinaryHeap::new();
        for (i, s) in sources.iter_mut().enumerate() {
            if let Some((k, p)) = s.next()? {
                heap.push(Reverse((k, p, i)));
            }
        }
        while let Some(Reverse((k, p, i))) = heap.pop() {
            visit(k, p);
            if let Some((k, p)) = sources[i].next()? {
                heap.push(Reverse((k, p, i)));
            }
        }
        for p in &self.runs {
            let _ = std::fs::remove_file(p);
        }
        Ok(())
    }
}

enum Source {
    Memory(std::vec::IntoIter<(u64, u64)>),
    Run(BufReader<File>),
}

impl Source {
    fn next(&mut self) -> std::io::Result<Option<(u64, u64)>> {
        match self {
            Source::Memory(it) => Ok(it.next()),
            Source::Run(r) => {
                let mut b = [0u8; 16];
                match r.read_exact(&mut b) {
                    Ok(()) => {
                        let (k, p) = b.split_at(8);
                        let word = |s: &[u8]| u64::from_le_bytes(s.try_into().unwrap_or([0; 8]));
                        Ok(Some((word(k), word(p))))
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
                    Err(e) => Err(e),
                }
            }
        }
    }
}

/// One bit per row, indexed densely by position (see [`Flags::index`]).
pub struct Flags {
    /// The first dense index of each (file, part) that produced rows, sorted.
    bases: Vec<((u32, u8), u64)>,
    repeated: Vec<u64>,
    earlier: Vec<u64>,
}

impl Flags {
    /// Flags for the given rows per (file, part).
    pub fn new(mut rows: Vec<((u32, u8), u64)>) -> Self {
        rows.sort_unstable();
        let mut bases = Vec::with_capacity(rows.len());
        let mut next = 0u64;
        for (fp, n) in rows {
            bases.push((fp, next));
            next += n;
        }
        let words = next.div_ceil(64) as usize;
        Flags {
            bases,
            repeated: vec![0; words],
            earlier: vec![0; words],
        }
    }

    /// The dense index of a position, when its (file, part) is known.
    pub fn index(&self, pos: u64) -> Option<u64> {
        let (file, part, row) = unpack(pos);
        let i = self
            .bases
            .binary_search_by(|(k, _)| k.cmp(&(file, part)))
            .ok()?;
        Some(self.bases[i].1 + row)
    }

    fn get(bits: &[u64], i: u64) -> bool {
        bits.get((i / 64) as usize)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    fn set(bits: &mut [u64], i: u64) {
        if let Some(w) = bits.get_mut((i / 64) as usize) {
            *w |= 1 << (i % 64);
        }
    }

    /// Whether the row at `pos` repeats an earlier row of its file.
    pub fn repeated(&self, pos: u64) -> bool {
        self.index(pos)
            .is_some_and(|i| Flags::get(&self.repeated, i))
    }

    /// Whether the row at `pos` is a call already read from an earlier file.
    pub fn earlier_file(&self, pos: u64) -> bool {
        self.index(pos)
            .is_some_and(|i| Flags::get(&self.earlier, i))
    }

    /// Decides the repeated rows from (fingerprint, position) records (a fingerprint of 0
    /// pushed as 1, as the report's table stores it): within one file, every
    /// row whose fingerprint an earlier row had (the report's `RepeatedRows`). `keep` says
    /// whether a position's part was kept (a part read again sequentially is dropped).
    pub fn mark_repeats(
        &mut self,
        fingerprints: Sorted,
        keep: &dyn Fn(u64) -> bool,
    ) -> std::io::Result<u64> {
        let mut prev: Option<(u64, u32)> = None;
        let mut n = 0;
        fingerprints.merge(|fp, pos| {
            if !keep(pos) {
                return;
            }
            let file = unpack(pos).0;
            if prev == Some((fp, file)) {
                if let Some(i) = self.index(pos) {
                    Flags::set(&mut self.repeated, i);
                    n += 1;
                }
            }
            prev = Some((fp, file));
        })?;
        Ok(n)
    }

    /// Decides the calls already read from an earlier file from (key, position) records: a
    /// key's first file is that of its first row that is not a repeat, and its rows (not
    /// repeats) in any other file are duplicates (the report's `CrossFileDedupe`).
    pub fn mark_earlier_files(
        &mut self,
        keys: Sorted,
        keep: &dyn Fn(u64) -> bool,
    ) -> std::io::Result<u64> {
        let mut current: Option<(u64, u32)> = None;
        let mut n = 0;
        keys.merge(|key, pos| {
            if !keep(pos) || self.repeated(pos) {
                return;
            }
            let file = unpack(pos).0;
            match current {
                Some((k, first)) if k == key => {
                    if file != first {
                        if let Some(i) = self.index(pos) {
                            Flags::set(&mut self.earlier, i);
                            n += 1;
                        }
                    }
                }
                _ => current = Some((key, file)),
            }
        })?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_round_trip_and_order_as_read() {
        assert_eq!(unpack(pack(7, 3, 123_456)), (7, 3, 123_456));
        assert!(pack(0, 1, 0) > pack(0, 0, (1 << 36) - 1));
        assert!(pack(1, 0, 0) > pack(0, 255, 5));
    }

    /// The merge of runs on disk and in memory gives every record in order.
    #[test]
    fn runs_merge_in_order() {
        let dir = std::env::temp_dir().join(format!("cdrscope-spill-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut a = Sorter::new(&dir, "a", 3);
        let mut b = Sorter::new(&dir, "b", 1000);
        let mut want = Vec::new();
        let mut x: u64 = 1;
        for i in 0..100u64 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let k = x >> 58;
            want.push((k, i));
            if i % 2 == 0 {
                a.push(k, i).unwrap();
            } else {
                b.push(k, i).unwrap();
            }
        }
        want.sort_unstable();
        let mut s = a.finish();
        s.extend(b.finish());
        let mut got = Vec::new();
        s.merge(|k, p| got.push((k, p))).unwrap();
        assert_eq!(got, want);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "runs removed");
        std::fs::remove_dir(&dir).unwrap();
    }

    /// Repeats are per file and the first row stays; a key's later files are duplicates, its
    /// repeats are not looked up, and rows of dropped parts count for nothing.
    #[test]
    fn flags_follow_the_report_rules() {
        let dir = std::env::temp_dir().join(format!("cdrscope-flags-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // File 0: rows 0,1,2 (row 2 repeats row 0); file 1: rows 0,1 (row 0 repeats file 0's
        // row 0 byte for byte: not a repeat, a call of an earlier file); file 1 part 1 dropped.
        let mut fps = Sorter::new(&dir, "fp", 2);
        let mut keys = Sorter::new(&dir, "key", 2);
        let rows = [
            (pack(0, 0, 0), 10, Some(100)),
            (pack(0, 0, 1), 11, Some(101)),
            (pack(0, 0, 2), 10, Some(100)),
            (pack(1, 0, 0), 10, Some(100)),
            (pack(1, 0, 1), 12, None),
            (pack(1, 1, 0), 12, Some(101)),
        ];
        for &(pos, fp, key) in &rows {
            fps.push(fp, pos).unwrap();
            if let Some(k) = key {
                keys.push(k, pos).unwrap();
            }
        }
        let mut flags = Flags::new(vec![((0, 0), 3), ((1, 0), 2), ((1, 1), 1)]);
        let keep = |pos: u64| unpack(pos).1 == 0;
        assert_eq!(flags.mark_repeats(fps.finish(), &keep).unwrap(), 1);
        assert_eq!(flags.mark_earlier_files(keys.finish(), &keep).unwrap(), 1);
        let flag = |pos| (flags.repeated(pos), flags.earlier_file(pos));
        assert_eq!(flag(pack(0, 0, 0)), (false, false));
        assert_eq!(flag(pack(0, 0, 2)), (true, false));
        assert_eq!(flag(pack(1, 0, 0)), (false, true));
        assert_eq!(flag(pack(1, 0, 1)), (false, false));
        assert_eq!(flag(pack(1, 1, 0)), (false, false));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
