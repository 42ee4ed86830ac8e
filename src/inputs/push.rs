//! Any input pushed in chunks (the page reads a `File` slice by slice): text and gzipped text
//! stream straight into the data set; zip, Excel and JSON, which need the whole input (random
//! access, or a parser that cannot pause), are collected and read at [`PushInput::finish`].

use super::{detect, read_into, InputKind, InputOptions, PREFIX_BYTES};
use crate::analysis::Dataset;
use crate::reject::IngestError;
use flate2::write::MultiGzDecoder;
use std::io::{Cursor, Write};
use std::ops::Range;

/// Compressed bytes fed to the gzip decoder at a time.
const GZIP_STEP: usize = 4096;

/// One input being pushed into a data set.
///
/// ```
/// use cdrscope::analysis::Dataset;
/// use cdrscope::inputs::{InputOptions, PushInput};
///
/// let mut data = Dataset::new();
/// let mut input = PushInput::start(&data, "cdr.csv", 0, InputOptions::default());
/// for chunk in [&b"flowno,starttime,stoptime,holdtime,endreason,calleegatewayid\n"[..],
///               &b"1,1741536123749,1741536126674,2,-9,GW_A\n"[..]] {
///     input.push(&mut data, chunk).unwrap();
/// }
/// assert_eq!(input.finish(&mut data).unwrap(), 0..1);
/// assert_eq!(data.store().calls.len(), 1);
/// ```
pub struct PushInput {
    name: String,
    size: u64,
    options: InputOptions,
    first_file: usize,
    state: State,
}

enum State {
    /// Holding the first bytes until the kind is known.
    Sniffing(Vec<u8>),
    /// Text, pushed through as it comes.
    Text,
    /// Gzip whose inner kind is not known yet: the compressed bytes are kept as well, in case
    /// the inside is not text and has to be read whole after all.
    GzipSniffing {
        decoder: Box<MultiGzDecoder<Vec<u8>>>,
        compressed: Vec<u8>,
    },
    /// Gzipped text, decompressed and pushed through as it comes.
    GzipText(Box<MultiGzDecoder<Vec<u8>>>),
    /// Anything else, read at the end.
    Whole(Vec<u8>),
    /// Failed or finished.
    Done,
}

impl PushInput {
    /// Starts an input named `name` of `size` bytes (0 when unknown).
    pub fn start(dataset: &Dataset, name: &str, size: u64, options: InputOptions) -> PushInput {
        PushInput {
            name: name.to_string(),
            size,
            options,
            first_file: dataset.files().len(),
            state: State::Sniffing(Vec::new()),
        }
    }

    /// Feeds the next chunk.
    pub fn push(&mut self, dataset: &mut Dataset, chunk: &[u8]) -> Result<(), IngestError> {
        let r = self.feed(dataset, chunk, false);
        if r.is_err() {
            self.state = State::Done;
        }
        r
    }

    /// Ends the input; returns the indices of the data-set files it added.
    pub fn finish(mut self, dataset: &mut Dataset) -> Result<Range<usize>, IngestError> {
        self.feed(dataset, &[], true)?;
        match std::mem::replace(&mut self.state, State::Done) {
            State::Text => dataset.finish_file()?,
            State::GzipText(mut decoder) => {
                let out = decoder
                    .try_finish()
                    .map(|()| std::mem::take(decoder.get_mut()));
                match out {
                    Ok(rest) => {
                        dataset.push(&rest)?;
                        dataset.finish_file()?;
                    }
                    Err(e) => return Err(fail(dataset, &e)),
                }
            }
            State::Whole(bytes) => {
                read_into(dataset, &self.name, Cursor::new(bytes), &self.options)?;
            }
            State::Sniffing(_) | State::GzipSniffing { .. } | State::Done => {}
        }
        Ok(self.first_file..dataset.files().len())
    }

    /// Moves the state machine on with `chunk`; `end` once the input is complete.
    fn feed(&mut self, dataset: &mut Dataset, chunk: &[u8], end: bool) -> Result<(), IngestError> {
        match &mut self.state {
            State::Sniffing(prefix) => {
                prefix.extend_from_slice(chunk);
                if prefix.len() < PREFIX_BYTES && !end {
                    return Ok(());
                }
                let prefix = std::mem::take(prefix);
                match detect(&self.name, &prefix) {
                    InputKind::Text => {
                        dataset.start_file(&self.name, self.size, self.options.format.clone());
                        dataset.set_container(InputKind::Text.name());
                        self.state = State::Text;
                        dataset.push(&prefix)
                    }
                    InputKind::Gzip => {
                        self.state = State::GzipSniffing {
                            decoder: Box::new(MultiGzDecoder::new(Vec::new())),
                            compressed: Vec::new(),
                        };
                        self.feed(dataset, &prefix, end)
                    }
                    _ => {
                        self.state = State::Whole(prefix);
                        Ok(())
                    }
                }
            }
            State::Text => dataset.push(chunk),
            State::GzipSniffing {
                decoder,
                compressed,
            } => {
                compressed.extend_from_slice(chunk);
                // Only enough is decoded to see the inner file's first bytes; the rest of the
                // chunk goes through the text path below once the kind is known.
                let mut wrote = Ok(());
                let mut fed = 0;
                for piece in chunk.chunks(GZIP_STEP) {
                    wrote = decoder.write_all(piece).and_then(|()| decoder.flush());
                    fed += piece.len();
                    if wrote.is_err() || decoder.get_ref().len() >= PREFIX_BYTES {
                        break;
                    }
                }
                let rest = &chunk[fed..];
                let end_now = end && rest.is_empty();
                let wrote = if end_now {
                    wrote.and_then(|()| decoder.try_finish())
                } else {
                    wrote
                };
                if wrote.is_err() || decoder.get_ref().len() >= PREFIX_BYTES || end_now {
                    let inner = detect(&self.name, decoder.get_ref());
                    if wrote.is_ok() && inner == InputKind::Text {
                        let decoded = std::mem::take(decoder.get_mut());
                        let State::GzipSniffing { decoder, .. } =
                            std::mem::replace(&mut self.state, State::Done)
                        else {
                            unreachable!("matched above")
                        };
                        dataset.start_file(&self.name, self.size, self.options.format.clone());
                        dataset.set_container(InputKind::Gzip.name());
                        self.state = State::GzipText(decoder);
                        dataset.push(&decoded)?;
                        return self.feed(dataset, rest, end);
                    }
                    // JSON, an archive or a workbook inside, or a broken stream: read it whole,
                    // so the error (if any) is reported against the file as for `read_into`.
                    self.state = State::Whole(std::mem::take(compressed));
                }
                Ok(())
            }
            State::GzipText(decoder) => {
                // A few KiB of input at a time: deflate inflates at most about 1032:1, so the
                // decoded bytes held at once stay a few MiB whatever the chunk holds (a 1 MB
                // chunk of a zeros bomb inflated whole was a gigabyte).
                for piece in chunk.chunks(GZIP_STEP) {
                    if let Err(e) = decoder.write_all(piece).and_then(|()| decoder.flush()) {
                        return Err(fail(dataset, &e));
                    }
                    let decoded = std::mem::take(decoder.get_mut());
                    dataset.push(&decoded)?;
                }
                Ok(())
            }
            State::Whole(bytes) => {
                let limit = self
                    .options
                    .max_buffered_bytes
                    .unwrap_or(super::DEFAULT_MAX_BUFFERED);
                if (bytes.len() + chunk.len()) as u64 > limit {
                    let message = format!(
                        "this file is larger than the {limit}-byte limit for archives, workbooks and JSON read in pieces"
                    );
                    dataset.start_file(&self.name, self.size, self.options.format.clone());
                    dataset.fail_file(&message);
                    *bytes = Vec::new();
                    return Err(IngestError { message });
                }
                bytes.extend_from_slice(chunk);
                Ok(())
            }
            State::Done => Err(IngestError {
                message: "the input already failed or was finished".into(),
            }),
        }
    }
}

/// Ends the current file with a decompression error, keeping the rows before it.
fn fail(dataset: &mut Dataset, e: &std::io::Error) -> IngestError {
    let message = format!("read error: {e}");
    dataset.fail_file(&message);
    IngestError { message }
}
