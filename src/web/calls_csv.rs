//! In the worker: the texts of stored calls' rows, read again from the dropped Files, for the
//! drill-down table and the calls CSV export (both built in the core,
//! [`crate::analysis::call_view`]).

use crate::analysis::{Dataset, RowRef};
use crate::web::row_text::{container_texts, BlobReader};
use js_sys::Array;
use std::io::{Read, Seek, SeekFrom};
use wasm_bindgen::JsCast;
use web_sys::File;

/// The longest row read again to map it (a longer one is mapped from its start only, which
/// gives no call: its caller, callee and Call-ID stay empty).
const ROW_MAX: u32 = 64 << 10;

/// The decoded text of each row (data-set file indices): rows of plain files sliced out of
/// their File, rows from inside a container decoded again ([`container_texts`]); `None` when
/// the File cannot be read.
pub fn row_texts(
    dataset: &Dataset,
    sources: &[(u16, bool)],
    files: &Array,
    rows: &[RowRef],
) -> Vec<Option<String>> {
    let mut texts = container_texts(dataset, sources, files, rows);
    // One reader per dropped file: consecutive rows come from its cached 1 MiB block.
    let mut readers: Vec<(u16, Option<BlobReader>)> = Vec::new();
    for (r, text) in rows.iter().zip(texts.iter_mut()) {
        let Some(&(source, true)) = sources.get(usize::from(r.file)) else {
            continue;
        };
        if r.len == 0 || r.len > ROW_MAX {
            continue;
        }
        let at = match readers.iter().position(|(s, _)| *s == source) {
            Some(at) => at,
            None => {
                let reader = files
                    .get(u32::from(source))
                    .dyn_into::<File>()
                    .ok()
                    .and_then(|f| BlobReader::new(&f));
                readers.push((source, reader));
                readers.len() - 1
            }
        };
        let Some(reader) = readers[at].1.as_mut() else {
            continue;
        };
        let mut bytes = vec![0; r.len as usize];
        if reader.seek(SeekFrom::Start(r.offset)).is_err() || reader.read_exact(&mut bytes).is_err()
        {
            continue;
        }
        let encoding = dataset
            .files()
            .get(usize::from(r.file))
            .map_or("utf-8", |f| f.encoding.as_str());
        let enc =
            encoding_rs::Encoding::for_label(encoding.as_bytes()).unwrap_or(encoding_rs::UTF_8);
        let (decoded, _, _) = enc.decode(&bytes);
        *text = Some(decoded.trim_end_matches(['\r', '\n']).to_string());
    }
    texts
}
