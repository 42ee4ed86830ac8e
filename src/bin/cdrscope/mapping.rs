//! `cdrscope mapping suggest FILE`: a starter column mapping, in the JSON `--mapping` takes.

use cdrscope::formats::mapping_suggest::suggest_mapping;
use cdrscope::ingest::sample_of_text;
use clap::Subcommand;
use std::io::Read;
use std::path::PathBuf;

/// How many bytes of the file the guess looks at.
const SAMPLE_BYTES: u64 = 256 << 10;

/// What `cdrscope mapping` does.
#[derive(Subcommand)]
pub enum MappingAction {
    /// Prints a starter mapping (JSON, as `report --mapping` takes) guessed from the header
    /// names and first values of a CSV/text file (Start, Dest, Secs, Duration, Disposition,
    /// Status…); check it, then pass it with --mapping.
    Suggest {
        /// The CSV/text file.
        file: PathBuf,
    },
}

/// Runs a mapping action.
pub fn run(action: MappingAction) -> Result<(), String> {
    match action {
        MappingAction::Suggest { file } => {
            let shown = file.display();
            let mut bytes = Vec::new();
            std::fs::File::open(&file)
                .and_then(|f| f.take(SAMPLE_BYTES).read_to_end(&mut bytes))
                .map_err(|e| format!("{shown}: {e}"))?;
            let cut = bytes.len() as u64 == SAMPLE_BYTES;
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
            let text = String::from_utf8_lossy(bytes);
            let sample = sample_of_text(&text, cut);
            if sample.len() < 2 {
                return Err(format!(
                    "{shown}: a header and at least one data row are needed to guess a mapping"
                ));
            }
            let mapping = suggest_mapping(&sample);
            // Keys left unset are left out, so the starter mapping shows only what was found.
            let mut value = serde_json::to_value(&mapping).map_err(|e| e.to_string())?;
            if let Some(obj) = value.as_object_mut() {
                obj.retain(|_, v| !v.is_null());
            }
            let text = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?;
            println!("{text}");
            Ok(())
        }
    }
}
