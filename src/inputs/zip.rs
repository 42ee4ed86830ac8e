//! `.zip`: read entry by entry, each entry a file of the data set (`archive.zip/entry.csv`).
//!
//! The archive's own counts are checked against its size before the zip reader sees them
//! ([`open`]): an end-of-central-directory record claiming more entries than the archive has
//! bytes for is refused, and so is an archive of more than [`MAX_ENTRIES`] entries (the zip
//! reader keeps an index entry for each). Entries are read up to the data set's
//! [`MAX_FILES`]; the rest are listed as one entry that says how many were not read.

use super::{excel, Ctx, InputKind};
use crate::analysis::MAX_FILES;
use crate::reject::IngestError;
use std::io::{Read, Seek, SeekFrom};
use zip::ZipArchive;

/// The most entries an archive may list.
pub const MAX_ENTRIES: u64 = 200_000;
/// The smallest central-directory entry: its fixed part, with an empty name.
const MIN_ENTRY_BYTES: u64 = 46;

/// Opens a zip archive (or xlsx workbook) after checking the entry count its directory
/// declares against the bytes it has and [`MAX_ENTRIES`].
pub(crate) fn open<R: Read + Seek>(mut src: R) -> Result<ZipArchive<R>, String> {
    if let Some(entries) = declared_entries(&mut src).map_err(|e| format!("read error: {e}"))? {
        let size = src
            .seek(SeekFrom::End(0))
            .map_err(|e| format!("read error: {e}"))?;
        if entries > size / MIN_ENTRY_BYTES {
            return Err(format!(
                "the archive claims {entries} entries, more than its {size} bytes can hold"
            ));
        }
        if entries > MAX_ENTRIES {
            return Err(format!(
                "the archive holds {entries} entries, more than the {MAX_ENTRIES} cdrscope reads"
            ));
        }
    }
    src.seek(SeekFrom::Start(0))
        .map_err(|e| format!("read error: {e}"))?;
    ZipArchive::new(src).map_err(|e| e.to_string())
}

/// The entry count of the archive's end-of-central-directory record (its ZIP64 form when
/// it has one); `None` when no such record is found (the zip reader then says why).
fn declared_entries<R: Read + Seek>(src: &mut R) -> std::io::Result<Option<u64>> {
    let size = src.seek(SeekFrom::End(0))?;
    // The record is 22 bytes and its comment at most 65,535.
    let tail_len = size.min(22 + 65_535 + 20);
    src.seek(SeekFrom::Start(size - tail_len))?;
    let mut tail = vec![0u8; tail_len as usize];
    src.read_exact(&mut tail)?;
    let Some(at) = tail
        .windows(4)
        .rposition(|w| w == b"PK\x05\x06")
        .filter(|&at| at + 22 <= tail.len())
    else {
        return Ok(None);
    };
    let u16_at = |b: &[u8], i: usize| u64::from(u16::from_le_bytes([b[i], b[i + 1]]));
    let entries = u16_at(&tail, at + 10);
    if entries != 0xFFFF {
        return Ok(Some(entries));
    }
    // ZIP64: the locator just before the record gives where the ZIP64 record is.
    let Some(loc) = at
        .checked_sub(20)
        .filter(|&l| &tail[l..l + 4] == b"PK\x06\x07")
    else {
        return Ok(Some(entries));
    };
    let mut off = [0u8; 8];
    off.copy_from_slice(&tail[loc + 8..loc + 16]);
    let record = u64::from_le_bytes(off);
    if record.saturating_add(56) > size {
        return Ok(Some(u64::MAX));
    }
    src.seek(SeekFrom::Start(record))?;
    let mut rec = [0u8; 56];
    src.read_exact(&mut rec)?;
    if &rec[..4] != b"PK\x06\x06" {
        return Ok(Some(entries));
    }
    let mut n = [0u8; 8];
    n.copy_from_slice(&rec[32..40]);
    Ok(Some(u64::from_le_bytes(n)))
}

/// Reads every file of a zip archive, in name order (daily exports then come in date order),
/// one entry decompressed at a time. Folders and the clutter archivers add (`__MACOSX/`,
/// dot files) are skipped. An archive that is really an xlsx workbook is read as one.
pub(crate) fn read<R: Read + Seek>(
    ctx: &mut Ctx<'_>,
    name: &str,
    container: &str,
    src: R,
    size: u64,
) -> Result<(), IngestError> {
    let mut archive = match open(src) {
        Ok(a) => a,
        Err(e) => {
            let message = format!("not a readable zip archive: {e}");
            return Err(ctx.skip_file(name, container, size, message));
        }
    };
    if archive.index_for_name("xl/workbook.xml").is_some() {
        let mut src = archive.into_inner();
        if let Err(e) = src.seek(SeekFrom::Start(0)) {
            let message = format!("read error: {e}");
            return Err(ctx.skip_file(name, container, size, message));
        }
        let container = container
            .strip_suffix("zip")
            .map(|p| format!("{p}xlsx"))
            .unwrap_or_else(|| "xlsx".into());
        return excel::read(ctx, name, &container, src, size, InputKind::Xlsx);
    }
    let mut entries: Vec<(String, usize)> = (0..archive.len())
        .filter_map(|i| {
            let entry = archive.name_for_index(i)?.ok()?.into_owned();
            (!is_clutter(&entry)).then_some((entry, i))
        })
        .collect();
    entries.sort();
    if entries.is_empty() {
        let message = "the zip archive holds no file".to_string();
        return Err(ctx.skip_file(name, container, size, message));
    }
    // One entry is kept for the line that lists what is not read.
    let room = MAX_FILES.saturating_sub(ctx.out.files() + 1).max(1);
    let more = entries.len().saturating_sub(room);
    entries.truncate(room);
    let mut read_one = false;
    let mut last_error = None;
    for (entry, i) in entries {
        let full = format!("{name}/{entry}");
        let result = match archive.by_index(i) {
            Ok(mut file) => {
                let bytes = file.size();
                ctx.stream(&full, container, &mut file, bytes)
            }
            Err(e) => {
                let message = format!("cannot read this zip entry: {e}");
                Err(ctx.skip_file(&full, container, 0, message))
            }
        };
        match result {
            Ok(()) => read_one = true,
            Err(e) => last_error = Some(e),
        }
    }
    if more > 0 {
        let message = format!("not read: a data set holds at most {MAX_FILES} files");
        let _ = ctx.skip_file(
            &format!("{name}/… {more} more entries"),
            container,
            0,
            message,
        );
    }
    match (read_one, last_error) {
        (false, Some(e)) => Err(IngestError {
            message: format!("no file of the archive could be read (last error: {e})"),
        }),
        _ => Ok(()),
    }
}

/// Folders, macOS resource forks, hidden and system files.
fn is_clutter(entry: &str) -> bool {
    entry.ends_with('/') || super::folder::is_clutter(entry)
}

#[cfg(test)]
mod tests {
    use super::is_clutter;

    #[test]
    fn skips_clutter_only() {
        assert!(is_clutter("day1/"));
        assert!(is_clutter("__MACOSX/._a.csv"));
        assert!(is_clutter("x/.DS_Store"));
        assert!(!is_clutter("day1/e_cdr_20250310.csv"));
        assert!(!is_clutter("e_cdr_20250310.csv.gz"));
    }
}
