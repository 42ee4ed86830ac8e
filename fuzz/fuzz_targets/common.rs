//! Shared by the container targets: building containers around fuzzed bytes, and the checks
//! every outcome must pass.
#![allow(dead_code)]

use cdrscope::inputs::{self, InputOptions, PushInput};
use cdrscope::{Dataset, Filter, SummaryOptions};
use std::io::{Cursor, Write};

/// Reads `bytes` named `name` and checks the invariants: no panic, every data row accepted or
/// rejected (per file and in all), and the analysis of what was read does not panic.
pub fn read_and_check(name: &str, bytes: &[u8]) -> Dataset {
    let mut d = Dataset::new();
    let _ = inputs::read_bytes_into(&mut d, name, bytes, &InputOptions::default());
    check(&d);
    d
}

/// The invariants of a data set, whatever its files gave.
pub fn check(d: &Dataset) {
    let s = d.summary(&Filter::default(), &SummaryOptions::default());
    assert_eq!(s.rows.data, s.rows.accepted + s.rows.rejected);
    let (acc, rej): (u64, u64) = s
        .files
        .iter()
        .fold((0, 0), |(a, r), f| (a + f.accepted, r + f.rejected));
    assert_eq!((acc, rej), (s.rows.accepted, s.rows.rejected));
    assert!(s.rejects_total >= s.rejects.len() as u64);
    assert_eq!(s.rejects_total, s.rows.rejected);
    assert!(s.overall.answered <= s.overall.attempts);
    let _ = d.rows(&Filter::default(), &SummaryOptions::default(), 0, 10);
}

/// Pushes `bytes` in chunks of the given sizes, as the page pushes a file.
pub fn push_in_pieces(name: &str, bytes: &[u8], sizes: &[usize]) -> Dataset {
    let mut d = Dataset::new();
    let mut input = PushInput::start(&d, name, bytes.len() as u64, InputOptions::default());
    let mut rest = bytes;
    let mut i = 0;
    let mut ok = true;
    while !rest.is_empty() && ok {
        let n = sizes[i % sizes.len()].clamp(1, rest.len());
        i += 1;
        let (chunk, tail) = rest.split_at(n);
        rest = tail;
        ok = input.push(&mut d, chunk).is_ok();
    }
    if ok {
        let _ = input.finish(&mut d);
    }
    check(&d);
    d
}

/// A zip of `(name, bytes)` entries, deflated or stored.
pub fn zip_of(entries: &[(String, &[u8])], deflate: bool) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let method = if deflate {
        zip::CompressionMethod::Deflated
    } else {
        zip::CompressionMethod::Stored
    };
    let opts = SimpleFileOptions::default().compression_method(method);
    for (name, bytes) in entries {
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// `data` gzipped.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(data).unwrap();
    gz.finish().unwrap()
}

/// Splits `data` at `sep` bytes into at most `n` parts.
pub fn parts(data: &[u8], sep: u8, n: usize) -> Vec<&[u8]> {
    data.splitn(n, |&b| b == sep).collect()
}

/// A compound file (512-byte sectors) holding one stream named `name`; the stream may be
/// under the mini-stream cutoff (then it lives in the mini stream) or not.
pub fn cfb_with_stream(name: &str, data: &[u8]) -> Vec<u8> {
    const END: u32 = 0xFFFF_FFFE;
    const FREE: u32 = 0xFFFF_FFFF;
    let mut data = data.to_vec();
    // Regular sectors only: padded past the 4 KiB cutoff.
    data.resize(data.len().max(4096).div_ceil(512) * 512, 0);
    let n = (data.len() / 512) as u32;
    let fat_sectors = (n + 2 + 127) / 128 + 1;
    let total = fat_sectors + 1 + n;
    let mut f = vec![0u8; 512];
    f[..8].copy_from_slice(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    f[0x1A..0x1C].copy_from_slice(&3u16.to_le_bytes());
    f[0x1C..0x1E].copy_from_slice(&0xFFFEu16.to_le_bytes());
    f[0x1E..0x20].copy_from_slice(&9u16.to_le_bytes());
    f[0x20..0x22].copy_from_slice(&6u16.to_le_bytes());
    f[0x2C..0x30].copy_from_slice(&fat_sectors.to_le_bytes());
    f[0x30..0x34].copy_from_slice(&fat_sectors.to_le_bytes());
    f[0x38..0x3C].copy_from_slice(&4096u32.to_le_bytes());
    f[0x3C..0x40].copy_from_slice(&END.to_le_bytes());
    f[0x44..0x48].copy_from_slice(&END.to_le_bytes());
    for i in 0..109u32 {
        let id = if i < fat_sectors { i } else { FREE };
        let at = 0x4C + 4 * i as usize;
        f[at..at + 4].copy_from_slice(&id.to_le_bytes());
    }
    let mut fat = vec![0xFFu8; 512 * fat_sectors as usize];
    let mut put = |i: u32, v: u32| {
        let at = 4 * i as usize;
        fat[at..at + 4].copy_from_slice(&v.to_le_bytes());
    };
    for i in 0..fat_sectors {
        put(i, 0xFFFF_FFFD);
    }
    put(fat_sectors, END);
    let first = fat_sectors + 1;
    for k in 0..n {
        put(first + k, if k + 1 == n { END } else { first + k + 1 });
    }
    let _ = total;
    f.extend(fat);
    let entry = |name: &str, kind: u8, child: u32, start: u32, size: u32| {
        let mut e = vec![0u8; 128];
        let units: Vec<u16> = name.encode_utf16().chain([0]).collect();
        for (i, u) in units.iter().enumerate() {
            e[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
        }
        e[0x40..0x42].copy_from_slice(&((units.len() * 2) as u16).to_le_bytes());
        e[0x42] = kind;
        e[0x44..0x48].copy_from_slice(&FREE.to_le_bytes());
        e[0x48..0x4C].copy_from_slice(&FREE.to_le_bytes());
        e[0x4C..0x50].copy_from_slice(&child.to_le_bytes());
        e[0x74..0x78].copy_from_slice(&start.to_le_bytes());
        e[0x78..0x7C].copy_from_slice(&size.to_le_bytes());
        e
    };
    let mut dir = entry("Root Entry", 5, 1, END, 0);
    dir.extend(entry(name, 2, FREE, first, data.len() as u32));
    dir.resize(512, 0);
    f.extend(dir);
    f.extend(data);
    f
}
