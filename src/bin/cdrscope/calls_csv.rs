//! `report --calls-csv FILE`: the calls passing the filter as the page's calls CSV, with caller,
//! callee and Call-ID read again from each call's row on disk
//! ([`cdrscope::analysis::call_view::calls_csv`]).

use cdrscope::analysis::call_view::calls_csv;
use cdrscope::analysis::{Dataset, Filter, RowRef, SummaryOptions};
use cdrscope::inputs::row_text::row_bytes_capped;
use cdrscope::inputs::{InputOptions, RowSpan};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// The longest row read again to map it (as the page: a longer one gives no caller).
const ROW_MAX: u32 = 64 << 10;

/// Each input read and the index of the first data-set file it added.
pub type Inputs = Vec<(PathBuf, usize)>;

/// Writes the calls CSV of `data` to `out`.
pub fn write(
    out: &Path,
    data: &Dataset,
    inputs: &Inputs,
    options: &InputOptions,
    filter: &Filter,
    opts: &SummaryOptions,
) -> Result<(), String> {
    let mut texts = |rows: &[RowRef]| row_texts(data, inputs, options, rows);
    let csv = calls_csv(data, filter, opts, &mut texts);
    std::fs::write(out, csv).map_err(|e| format!("--calls-csv {}: {e}", out.display()))
}

/// The decoded text of each row: sliced out of a plain file, or decoded again from its
/// container (`.gz`, zip entry, Excel, JSON) up to the last row asked.
fn row_texts(
    data: &Dataset,
    inputs: &Inputs,
    options: &InputOptions,
    rows: &[RowRef],
) -> Vec<Option<String>> {
    let files = data.files();
    let mut texts = vec![None; rows.len()];
    for (k, (path, first)) in inputs.iter().enumerate() {
        let end = inputs.get(k + 1).map_or(files.len(), |n| n.1);
        let mine: Vec<usize> = (0..rows.len())
            .filter(|&i| (*first..end).contains(&usize::from(rows[i].file)))
            .filter(|&i| rows[i].len <= ROW_MAX)
            .collect();
        if mine.is_empty() {
            continue;
        }
        let Ok(mut file) = std::fs::File::open(path) else {
            continue;
        };
        let plain = files
            .get(*first)
            .is_some_and(|f| f.container.is_empty() || f.container == "text");
        let got: Vec<Option<Vec<u8>>> = if plain {
            mine.iter()
                .map(|&i| {
                    let mut b = vec![0; rows[i].len as usize];
                    file.seek(SeekFrom::Start(rows[i].offset)).ok()?;
                    file.read_exact(&mut b).ok()?;
                    Some(b)
                })
                .collect()
        } else {
            let spans: Vec<RowSpan> = mine
                .iter()
                .map(|&i| RowSpan {
                    file: usize::from(rows[i].file) - first,
                    offset: rows[i].offset,
                    len: rows[i].len,
                })
                .collect();
            let name = path.display().to_string();
            row_bytes_capped(&name, file, options, &spans, ROW_MAX as usize)
        };
        for (i, bytes) in mine.into_iter().zip(got) {
            let encoding = files
                .get(usize::from(rows[i].file))
                .map_or("utf-8", |f| f.encoding.as_str());
            let enc =
                encoding_rs::Encoding::for_label(encoding.as_bytes()).unwrap_or(encoding_rs::UTF_8);
            texts[i] = bytes.map(|b| enc.decode(&b).0.trim_end_matches(['\r', '\n']).to_string());
        }
    }
    texts
}
