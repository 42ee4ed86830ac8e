//! In the worker: the text of drill-down rows that came out of a container (`.gz`, a zip
//! entry, Excel, API JSON), whose bytes cannot be sliced out of the dropped File. The File is
//! read again with `FileReaderSync` (a worker may block) through [`BlobReader`], and
//! [`crate::inputs::row_bytes`] decodes it up to the page's last row, keeping only those rows:
//! memory stays bounded for a 1 GB `.gz`, work is bounded by where the page's rows are.

use crate::analysis::{Dataset, RowRef};
use crate::display::{row_shown, utf8_start, ROW_SHOWN};
use crate::inputs::row_text::row_bytes_capped;
use crate::inputs::{InputOptions, RowSpan};
use js_sys::{Array, Uint8Array};
use std::io::{Read, Seek, SeekFrom};
use wasm_bindgen::JsCast;
use web_sys::{Blob, File, FileReaderSync};

/// Bytes fetched from the File per read.
const BLOCK: u64 = 1 << 20;

/// The texts of `rows` (data-set file indices, before they are pointed at dropped files):
/// for each row of a container file, its decoded line; `None` for rows of plain files (the
/// page slices those itself) and when the File cannot be read. `sources` gives each data-set
/// file's dropped file and whether its offsets are offsets in that file.
pub fn container_texts(
    dataset: &Dataset,
    sources: &[(u16, bool)],
    files: &Array,
    rows: &[RowRef],
) -> Vec<Option<String>> {
    let mut texts: Vec<Option<String>> = vec![None; rows.len()];
    let mut inputs: Vec<u16> = rows
        .iter()
        .filter_map(|r| sources.get(usize::from(r.file)))
        .filter(|(_, raw)| !raw)
        .map(|(s, _)| *s)
        .collect();
    inputs.sort_unstable();
    inputs.dedup();
    for input in inputs {
        let Some(first) = sources.iter().position(|(s, _)| *s == input) else {
            continue;
        };
        let Some(file) = files.get(u32::from(input)).dyn_into::<File>().ok() else {
            continue;
        };
        let picked: Vec<usize> = (0..rows.len())
            .filter(|&i| sources.get(usize::from(rows[i].file)).map(|s| s.0) == Some(input))
            .collect();
        let spans: Vec<RowSpan> = picked
            .iter()
            .map(|&i| RowSpan {
                file: usize::from(rows[i].file) - first,
                offset: rows[i].offset,
                len: rows[i].len,
            })
            .collect();
        let Some(reader) = BlobReader::new(&file) else {
            continue;
        };
        let got = row_bytes_capped(
            &file.name(),
            reader,
            &InputOptions::default(),
            &spans,
            ROW_SHOWN,
        );
        for (i, bytes) in picked.into_iter().zip(got) {
            let encoding = dataset
                .files()
                .get(usize::from(rows[i].file))
                .map_or("utf-8", |f| f.encoding.as_str());
            texts[i] = bytes.map(|b| {
                let cut = (b.len() as u64) < u64::from(rows[i].len);
                let kept = if cut { utf8_start(&b) } else { &b[..] };
                row_shown(decode(kept, encoding), kept.len(), u64::from(rows[i].len))
            });
        }
    }
    texts
}

/// A row's bytes as text in the file's encoding, without its line break.
fn decode(bytes: &[u8], encoding: &str) -> String {
    let enc = encoding_rs::Encoding::for_label(encoding.as_bytes()).unwrap_or(encoding_rs::UTF_8);
    let (text, _, _) = enc.decode(bytes);
    text.trim_end_matches(['\r', '\n']).to_string()
}

/// Reads a Blob synchronously (workers only), a block at a time.
pub struct BlobReader {
    blob: Blob,
    reader: FileReaderSync,
    size: u64,
    pos: u64,
    block: Vec<u8>,
    block_start: u64,
}

impl BlobReader {
    /// A reader at the start of `blob`; `None` where `FileReaderSync` does not exist (the
    /// main thread).
    pub fn new(blob: &Blob) -> Option<BlobReader> {
        Some(BlobReader {
            blob: blob.clone(),
            reader: FileReaderSync::new().ok()?,
            size: blob.size() as u64,
            pos: 0,
            block: Vec::new(),
            block_start: 0,
        })
    }

    fn fetch(&mut self) -> std::io::Result<()> {
        let end = (self.pos + BLOCK).min(self.size);
        let part = self
            .blob
            .slice_with_f64_and_f64(self.pos as f64, end as f64)
            .map_err(|e| std::io::Error::other(format!("{e:?}")))?;
        let buf = self
            .reader
            .read_as_array_buffer(&part)
            .map_err(|e| std::io::Error::other(format!("{e:?}")))?;
        self.block = Uint8Array::new(&buf).to_vec();
        self.block_start = self.pos;
        Ok(())
    }
}

impl Read for BlobReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos >= self.size || buf.is_empty() {
            return Ok(0);
        }
        let in_block =
            self.pos >= self.block_start && self.pos < self.block_start + self.block.len() as u64;
        if !in_block {
            self.fetch()?;
        }
        let from = (self.pos - self.block_start) as usize;
        let n = buf.len().min(self.block.len() - from);
        buf[..n].copy_from_slice(&self.block[from..from + n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for BlobReader {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        let pos = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.size.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = pos.ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "seek before the start")
        })?;
        Ok(self.pos)
    }
}
