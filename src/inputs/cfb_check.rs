//! A guard run before calamine opens a legacy `.xls`: its compound-file (CFB) sector chains
//! must not loop.
//!
//! calamine follows a sector chain until its end marker; a damaged or hostile file whose file
//! allocation table (FAT) links a chain back onto itself makes it loop forever while its memory
//! grows (found by mutating the fixtures). Checking the FAT for cycles first costs one pass.

use std::io::{Read, Seek, SeekFrom};

/// Sector ids at or above this are markers (end of chain, free, FAT or DIFAT sector).
const MAX_REGULAR_SECTOR: u32 = 0xFFFF_FFFA;
/// How many FAT sector ids the header itself holds.
const HEADER_DIFAT_ENTRIES: usize = 109;

/// Checks that no chain of the file's FAT (nor its DIFAT chain) loops; the source is left at
/// its start. Returns why the file is refused.
pub fn check_chains<R: Read + Seek>(src: &mut R) -> Result<(), String> {
    let corrupt = |why: &str| format!("the workbook's file structure is damaged ({why})");
    let len = src.seek(SeekFrom::End(0)).map_err(|e| e.to_string())?;
    let mut header = [0u8; 512];
    src.seek(SeekFrom::Start(0)).map_err(|e| e.to_string())?;
    src.read_exact(&mut header)
        .map_err(|_| corrupt("the header is cut"))?;
    let u16_at = |b: &[u8], i: usize| u16::from_le_bytes([b[i], b[i + 1]]);
    let u32_at = |b: &[u8], i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    let shift = u16_at(&header, 0x1E);
    if !(7..=16).contains(&shift) {
        return Err(corrupt("bad sector size"));
    }
    let sector = 1usize << shift;
    let sectors_in_file = (len / sector as u64).saturating_sub(1);
    let fat_sectors = u64::from(u32_at(&header, 0x2C));
    if fat_sectors > sectors_in_file {
        return Err(corrupt("more FAT sectors than the file holds"));
    }
    let mut read_sector = |id: u32, buf: &mut Vec<u8>| -> Result<(), String> {
        if u64::from(id) >= sectors_in_file {
            return Err(corrupt("a sector lies beyond the end of the file"));
        }
        buf.resize(sector, 0);
        src.seek(SeekFrom::Start((u64::from(id) + 1) << shift))
            .and_then(|_| src.read_exact(buf))
            .map_err(|_| corrupt("a sector is cut"))
    };
    // The FAT sector ids: 109 in the header, the rest along the DIFAT chain.
    let mut fat_ids: Vec<u32> = (0..HEADER_DIFAT_ENTRIES)
        .map(|i| u32_at(&header, 0x4C + 4 * i))
        .filter(|&id| id < MAX_REGULAR_SECTOR)
        .collect();
    let mut difat = u32_at(&header, 0x44);
    let mut buf = Vec::new();
    let mut difat_steps = 0u64;
    while difat < MAX_REGULAR_SECTOR && (fat_ids.len() as u64) < fat_sectors {
        difat_steps += 1;
        if difat_steps > sectors_in_file {
            return Err(corrupt("the DIFAT chain loops"));
        }
        read_sector(difat, &mut buf)?;
        let per = sector / 4 - 1;
        fat_ids.extend(
            (0..per)
                .map(|i| u32_at(&buf, 4 * i))
                .filter(|&id| id < MAX_REGULAR_SECTOR),
        );
        difat = u32_at(&buf, 4 * per);
    }
    fat_ids.truncate(fat_sectors as usize);
    let mut next: Vec<u32> = Vec::with_capacity(fat_ids.len() * sector / 4);
    for id in fat_ids {
        read_sector(id, &mut buf)?;
        next.extend((0..sector / 4).map(|i| u32_at(&buf, 4 * i)));
    }
    if has_cycle(&next) {
        return Err(corrupt("a sector chain loops"));
    }
    // The mini FAT (chains of the small streams) is itself a chain of the FAT, now known to end.
    let mut mini_next: Vec<u32> = Vec::new();
    let mut at = u32_at(&header, 0x3C);
    while at < MAX_REGULAR_SECTOR {
        read_sector(at, &mut buf)?;
        mini_next.extend((0..sector / 4).map(|i| u32_at(&buf, 4 * i)));
        at = next.get(at as usize).copied().unwrap_or(u32::MAX);
    }
    if has_cycle(&mini_next) {
        return Err(corrupt("a mini-sector chain loops"));
    }
    src.seek(SeekFrom::Start(0)).map_err(|e| e.to_string())?;
    Ok(())
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
    use super::{check_chains, has_cycle};
    use std::io::Cursor;

    /// A 512-byte-sector compound file: header, one FAT sector (sector 0), three more sectors.
    fn cfb_with_fat(fat: &[u32]) -> Vec<u8> {
        let mut f = vec![0u8; 512 * 5];
        f[..8].copy_from_slice(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
        f[0x1E..0x20].copy_from_slice(&9u16.to_le_bytes());
        f[0x2C..0x30].copy_from_slice(&1u32.to_le_bytes());
        f[0x3C..0x40].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
        f[0x44..0x48].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
        for i in 0..109 {
            let id: u32 = if i == 0 { 0 } else { 0xFFFF_FFFF };
            f[0x4C + 4 * i..0x50 + 4 * i].copy_from_slice(&id.to_le_bytes());
        }
        let mut fat_sector = vec![0xFFu8; 512];
        for (i, v) in fat.iter().enumerate() {
            fat_sector[4 * i..4 * i + 4].copy_from_slice(&v.to_le_bytes());
        }
        f[512..1024].copy_from_slice(&fat_sector);
        f
    }

    #[test]
    fn refuses_a_looping_chain_and_keeps_a_sound_one() {
        const FATSECT: u32 = 0xFFFF_FFFD;
        const END: u32 = 0xFFFF_FFFE;
        let sound = cfb_with_fat(&[FATSECT, 2, 3, END]);
        assert_eq!(check_chains(&mut Cursor::new(sound)), Ok(()));
        let looping = cfb_with_fat(&[FATSECT, 2, 3, 1]);
        assert_eq!(
            check_chains(&mut Cursor::new(looping)),
            Err("the workbook's file structure is damaged (a sector chain loops)".into())
        );
        let cut = cfb_with_fat(&[FATSECT, END])[..300].to_vec();
        assert_eq!(
            check_chains(&mut Cursor::new(cut)),
            Err("the workbook's file structure is damaged (the header is cut)".into())
        );
    }

    #[test]
    fn finds_loops_only() {
        const END: u32 = 0xFFFF_FFFE;
        assert!(!has_cycle(&[1, 2, END, END, 0xFFFF_FFFF]));
        assert!(!has_cycle(&[1, 2, 3, 3 + 100]));
        assert!(has_cycle(&[1, 2, 0]));
        assert!(has_cycle(&[END, 2, 2]));
        assert!(!has_cycle(&[]));
    }
}
