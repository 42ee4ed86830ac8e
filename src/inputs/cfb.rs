//! The compound file (CFB, "OLE2") a legacy `.xls` is stored in: just enough to find one
//! stream by name and read it as a byte stream, without holding the file.
//!
//! Every number the file declares is checked against the bytes it has: sector ids must lie
//! in the file, the tables of sector chains (FAT, mini FAT) must not loop (a chain linked back
//! onto itself made the previous reader loop forever while its memory grew), and a stream's
//! declared size is cut to what its chain really holds.

use std::io::{self, Read, Seek, SeekFrom};

/// Sector ids at or above this are markers (end of chain, free, FAT or DIFAT sector).
const MAX_REGULAR_SECTOR: u32 = 0xFFFF_FFFA;
/// How many FAT sector ids the header itself holds.
const HEADER_DIFAT_ENTRIES: usize = 109;

fn corrupt(why: &str) -> String {
    format!("the workbook's file structure is damaged ({why})")
}

/// An open compound file: its allocation tables and directory.
pub struct Cfb<R> {
    src: R,
    shift: u16,
    sectors_in_file: u64,
    /// Next sector of each sector (the FAT).
    fat: Vec<u32>,
    /// Next mini sector of each mini sector (the mini FAT).
    mini_fat: Vec<u32>,
    mini_shift: u16,
    mini_cutoff: u64,
    /// The root entry's chain: where the mini stream lives.
    root_start: u32,
    root_size: u64,
    /// Directory entries: (name, kind, start sector, size).
    entries: Vec<(String, u8, u32, u64)>,
}

impl<R: Read + Seek> Cfb<R> {
    /// Opens a compound file, checking its tables.
    pub fn open(mut src: R) -> Result<Self, String> {
        let io = |e: io::Error| format!("read error: {e}");
        let len = src.seek(SeekFrom::End(0)).map_err(io)?;
        let mut header = [0u8; 512];
        src.seek(SeekFrom::Start(0)).map_err(io)?;
        src.read_exact(&mut header)
            .map_err(|_| corrupt("the header is cut"))?;
        if header[..8] != *b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" {
            return Err(corrupt("not a compound file"));
        }
        let shift = u16_at(&header, 0x1E);
        if !(7..=16).contains(&shift) {
            return Err(corrupt("bad sector size"));
        }
        let mini_shift = u16_at(&header, 0x20);
        if !(2..shift).contains(&mini_shift) {
            return Err(corrupt("bad mini sector size"));
        }
        let sector = 1usize << shift;
        let sectors_in_file = (len >> shift).saturating_sub(1);
        let mut cfb = Cfb {
            src,
            shift,
            sectors_in_file,
            fat: Vec::new(),
            mini_fat: Vec::new(),
            mini_shift,
            mini_cutoff: u64::from(u32_at(&header, 0x38)),
            root_start: u32::MAX,
            root_size: 0,
            entries: Vec::new(),
        };
        let fat_sectors = u64::from(u32_at(&header, 0x2C));
        if fat_sectors > sectors_in_file {
            return Err(corrupt("more FAT sectors than the file holds"));
        }
        // The FAT sector ids: 109 in the header, the rest along the DIFAT chain.
        let mut fat_ids: Vec<u32> = (0..HEADER_DIFAT_ENTRIES)
            .map(|i| u32_at(&header, 0x4C + 4 * i))
            .filter(|&id| id < MAX_REGULAR_SECTOR)
            .collect();
        let mut difat = u32_at(&header, 0x44);
        let mut buf = vec![0u8; sector];
        let mut steps = 0u64;
        while difat < MAX_REGULAR_SECTOR && (fat_ids.len() as u64) < fat_sectors {
            steps += 1;
            if steps > sectors_in_file {
                return Err(corrupt("the DIFAT chain loops"));
            }
            cfb.read_sector(difat, &mut buf)?;
            let per = sector / 4 - 1;
            fat_ids.extend(
                (0..per)
                    .map(|i| u32_at(&buf, 4 * i))
                    .filter(|&id| id < MAX_REGULAR_SECTOR),
            );
            difat = u32_at(&buf, 4 * per);
        }
        fat_ids.truncate(fat_sectors as usize);
        let mut fat = Vec::with_capacity(fat_ids.len() * sector / 4);
        for id in fat_ids {
            cfb.read_sector(id, &mut buf)?;
            fat.extend((0..sector / 4).map(|i| u32_at(&buf, 4 * i)));
        }
        if has_cycle(&fat) {
            return Err(corrupt("a sector chain loops"));
        }
        cfb.fat = fat;
        // The mini FAT is a chain of the FAT, now known to end.
        let mut mini_fat = Vec::new();
        for id in cfb.chain(u32_at(&header, 0x3C))? {
            cfb.read_sector(id, &mut buf)?;
            mini_fat.extend((0..sector / 4).map(|i| u32_at(&buf, 4 * i)));
        }
        if has_cycle(&mini_fat) {
            return Err(corrupt("a mini-sector chain loops"));
        }
        cfb.mini_fat = mini_fat;
        // The directory: 128-byte entries along its chain.
        let major = u16_at(&header, 0x1A);
        for id in cfb.chain(u32_at(&header, 0x30))? {
            cfb.read_sector(id, &mut buf)?;
            for e in buf.chunks_exact(128) {
                let name_len = usize::from(u16_at(e, 0x40)).min(64);
                let units: Vec<u16> = e[..name_len]
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .take_while(|&u| u != 0)
                    .collect();
                let name = String::from_utf16_lossy(&units);
                let kind = e[0x42];
                let start = u32_at(e, 0x74);
                let mut size = u64::from(u32_at(e, 0x78));
                if major >= 4 {
                    size |= u64::from(u32_at(e, 0x7C)) << 32;
                }
                if kind == 5 && cfb.root_start == u32::MAX {
                    cfb.root_start = start;
                    cfb.root_size = size;
                }
                cfb.entries.push((name, kind, start, size));
            }
        }
        Ok(cfb)
    }

    fn read_sector(&mut self, id: u32, buf: &mut [u8]) -> Result<(), String> {
        if u64::from(id) >= self.sectors_in_file {
            return Err(corrupt("a sector lies beyond the end of the file"));
        }
        self.src
            .seek(SeekFrom::Start((u64::from(id) + 1) << self.shift))
            .and_then(|_| self.src.read_exact(buf))
            .map_err(|_| corrupt("a sector is cut"))
    }

    /// The sectors of the chain starting at `start` (the FAT is known not to loop).
    fn chain(&self, start: u32) -> Result<Vec<u32>, String> {
        let mut out = Vec::new();
        let mut at = start;
        while at < MAX_REGULAR_SECTOR {
            if u64::from(at) >= self.sectors_in_file {
                return Err(corrupt("a sector lies beyond the end of the file"));
            }
            out.push(at);
            at = self.fat.get(at as usize).copied().unwrap_or(u32::MAX);
        }
        Ok(out)
    }

    /// The names of the streams in the file.
    pub fn stream_names(&self) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .filter(|e| e.1 == 2)
            .map(|e| e.0.as_str())
    }

    /// Opens the first stream named one of `names` (ignoring case), `None` when there is none.
    pub fn stream(mut self, names: &[&str]) -> Result<Option<Stream<R>>, String> {
        let Some(&(_, _, start, size)) = self
            .entries
            .iter()
            .find(|e| e.1 == 2 && names.iter().any(|n| e.0.eq_ignore_ascii_case(n)))
        else {
            return Ok(None);
        };
        if size < self.mini_cutoff {
            // A small stream lives in the mini stream: read it whole (it is under the cutoff,
            // 4 KiB in every real file, and at most its chain's length).
            let mini = 1usize << self.mini_shift;
            let root = self.chain(self.root_start)?;
            let mut data = Vec::new();
            let mut at = start;
            let mut sector = vec![0u8; 1 << self.shift];
            let per_sector = 1u64 << (self.shift - self.mini_shift);
            while at < MAX_REGULAR_SECTOR && (data.len() as u64) < size {
                let pos = u64::from(at) << self.mini_shift;
                if pos >= self.root_size {
                    return Err(corrupt("a mini sector lies beyond the mini stream"));
                }
                let big = root
                    .get((u64::from(at) / per_sector) as usize)
                    .copied()
                    .ok_or_else(|| corrupt("a mini sector lies beyond the mini stream"))?;
                self.read_sector(big, &mut sector)?;
                let from = ((u64::from(at) % per_sector) as usize) * mini;
                data.extend_from_slice(&sector[from..from + mini]);
                at = self.mini_fat.get(at as usize).copied().unwrap_or(u32::MAX);
            }
            data.truncate(size as usize);
            return Ok(Some(Stream {
                src: Source::Memory(data),
                shift: self.shift,
                sectors: Vec::new(),
                len: 0,
                pos: 0,
            }));
        }
        let sectors = self.chain(start)?;
        let len = size.min((sectors.len() as u64) << self.shift);
        Ok(Some(Stream {
            src: Source::File(self.src),
            shift: self.shift,
            sectors,
            len,
            pos: 0,
        }))
    }
}

/// Where a stream's bytes are.
enum Source<R> {
    File(R),
    Memory(Vec<u8>),
}

/// One stream of a compound file, readable and seekable.
pub struct Stream<R> {
    src: Source<R>,
    shift: u16,
    sectors: Vec<u32>,
    len: u64,
    pos: u64,
}

impl<R> Stream<R> {
    /// Whether the stream holds no byte.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The stream's length (its declared size, cut to what its chain holds).
    pub fn len(&self) -> u64 {
        match &self.src {
            Source::File(_) => self.len,
            Source::Memory(d) => d.len() as u64,
        }
    }
}

impl<R: Read + Seek> Read for Stream<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let len = self.len();
        if self.pos >= len || buf.is_empty() {
            return Ok(0);
        }
        match &mut self.src {
            Source::Memory(d) => {
                let from = self.pos as usize;
                let n = buf.len().min(d.len() - from);
                buf[..n].copy_from_slice(&d[from..from + n]);
                self.pos += n as u64;
                Ok(n)
            }
            Source::File(src) => {
                let sector = 1u64 << self.shift;
                let k = (self.pos >> self.shift) as usize;
                let within = self.pos & (sector - 1);
                let n = (sector - within).min(len - self.pos).min(buf.len() as u64) as usize;
                let at = ((u64::from(self.sectors[k]) + 1) << self.shift) + within;
                src.seek(SeekFrom::Start(at))?;
                src.read_exact(&mut buf[..n])?;
                self.pos += n as u64;
                Ok(n)
            }
        }
    }
}

impl<R: Read + Seek> Seek for Stream<R> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let pos = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.len().checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = pos
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
        Ok(self.pos)
    }
}

fn u16_at(b: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([b[i], b[i + 1]])
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

/// Whether following `next` from any sector comes back to a sector already on the path.
fn has_cycle(next: &[u32]) -> bool {
    // 0 unvisited, 1 on the current path, 2 known to end.
    let mut state = vec![0u8; next.len()];
    let mut path = Vec::new();
    for start in 0..next.len() {
        let mut at = start;
        path.clear();
        loop {
            match state[at] {
                2 => break,
                1 => return true,
                _ => {}
            }
            state[at] = 1;
            path.push(at);
            let n = next[at];
            if n >= MAX_REGULAR_SECTOR || n as usize >= next.len() {
                break;
            }
            at = n as usize;
        }
        for &p in &path {
            state[p] = 2;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::{has_cycle, Cfb};
    use std::io::{Cursor, Read};

    const FATSECT: u32 = 0xFFFF_FFFD;
    const END: u32 = 0xFFFF_FFFE;

    /// A 512-byte-sector compound file: header, one FAT sector (sector 0), a directory
    /// (sector 1) with a root and one stream "Workbook" of `size` bytes on sectors 2 and 3.
    fn cfb_with_fat(fat: &[u32], size: u32) -> Vec<u8> {
        let mut f = vec![0u8; 512 * 5];
        f[..8].copy_from_slice(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
        f[0x1A..0x1C].copy_from_slice(&3u16.to_le_bytes());
        f[0x1E..0x20].copy_from_slice(&9u16.to_le_bytes());
        f[0x20..0x22].copy_from_slice(&6u16.to_le_bytes());
        f[0x2C..0x30].copy_from_slice(&1u32.to_le_bytes());
        f[0x30..0x34].copy_from_slice(&1u32.to_le_bytes());
        f[0x38..0x3C].copy_from_slice(&4096u32.to_le_bytes());
        f[0x3C..0x40].copy_from_slice(&END.to_le_bytes());
        f[0x44..0x48].copy_from_slice(&END.to_le_bytes());
        for i in 0..109 {
            let id: u32 = if i == 0 { 0 } else { 0xFFFF_FFFF };
            f[0x4C + 4 * i..0x50 + 4 * i].copy_from_slice(&id.to_le_bytes());
        }
        let mut fat_sector = vec![0xFFu8; 512];
        for (i, v) in fat.iter().enumerate() {
            fat_sector[4 * i..4 * i + 4].copy_from_slice(&v.to_le_bytes());
        }
        f[512..1024].copy_from_slice(&fat_sector);
        let entry = |name: &str, kind: u8, start: u32, size: u32| {
            let mut e = vec![0u8; 128];
            let units: Vec<u16> = name.encode_utf16().chain([0]).collect();
            for (i, u) in units.iter().enumerate() {
                e[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
            }
            e[0x40..0x42].copy_from_slice(&((units.len() * 2) as u16).to_le_bytes());
            e[0x42] = kind;
            e[0x74..0x78].copy_from_slice(&start.to_le_bytes());
            e[0x78..0x7C].copy_from_slice(&size.to_le_bytes());
            e
        };
        f[1024..1152].copy_from_slice(&entry("Root Entry", 5, END, 0));
        f[1152..1280].copy_from_slice(&entry("Workbook", 2, 2, size));
        for (i, b) in f[1536..2560].iter_mut().enumerate() {
            *b = (i % 251) as u8;
        }
        f
    }

    #[test]
    fn reads_a_stream_along_its_chain_cut_to_what_it_holds() {
        let sound = cfb_with_fat(&[FATSECT, END, 3, END], 5000);
        let cfb = Cfb::open(Cursor::new(sound)).unwrap();
        assert_eq!(cfb.stream_names().collect::<Vec<_>>(), ["Workbook"]);
        let mut s = cfb.stream(&["workbook"]).unwrap().unwrap();
        // 5000 bytes declared; the chain holds two sectors.
        assert_eq!(s.len(), 1024);
        let mut all = Vec::new();
        s.read_to_end(&mut all).unwrap();
        assert_eq!(all.len(), 1024);
        assert_eq!(all[600], (600 % 251) as u8);
    }

    #[test]
    fn refuses_a_looping_chain_and_a_cut_file() {
        let looping = cfb_with_fat(&[FATSECT, END, 3, 2], 5000);
        assert_eq!(
            Cfb::open(Cursor::new(looping)).err(),
            Some("the workbook's file structure is damaged (a sector chain loops)".into())
        );
        let cut = cfb_with_fat(&[FATSECT, END], 5000)[..300].to_vec();
        assert_eq!(
            Cfb::open(Cursor::new(cut)).err(),
            Some("the workbook's file structure is damaged (the header is cut)".into())
        );
    }

    #[test]
    fn finds_loops_only() {
        assert!(!has_cycle(&[1, 2, END, END, 0xFFFF_FFFF]));
        assert!(!has_cycle(&[1, 2, 3, 3 + 100]));
        assert!(has_cycle(&[1, 2, 0]));
        assert!(has_cycle(&[END, 2, 2]));
        assert!(!has_cycle(&[]));
    }
}
