//! `.zip`: read entry by entry, each entry a file of the data set (`archive.zip/entry.csv`).

use super::{excel, Ctx, InputKind};
use crate::ingest::IngestError;
use std::io::{Read, Seek, SeekFrom};

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
    let mut archive = match ::zip::ZipArchive::new(src) {
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
