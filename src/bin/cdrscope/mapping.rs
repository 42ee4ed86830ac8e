//! `cdrscope mapping suggest FILE`: a starter column mapping, in the JSON `--mapping` takes.

use cdrscope::formats::mapping_suggest::suggest_mapping;
use cdrscope::ingest::sample_of_text;
use cdrscope::inputs::text_sample::text_sample;
use cdrscope::inputs::InputOptions;
use clap::Subcommand;
use std::path::PathBuf;

/// How many bytes of the file the guess looks at.
const SAMPLE_BYTES: usize = 256 << 10;

/// What `cdrscope mapping` does.
#[derive(Subcommand)]
pub enum MappingAction {
    /// Prints a starter mapping (JSON, as `report --mapping` takes) guessed from the header
    /// names and first values of a file (Start, Dest, Secs, Duration, Disposition, Status…):
    /// CSV/text, .gz, the first entry of a .zip, an Excel sheet or JSON records, read as
    /// `report` reads them; check it, then pass it with --mapping.
    Suggest {
        /// The file (CSV/text, .gz, .zip, .xlsx, .xls or JSON).
        file: PathBuf,
    },
}

/// Runs a mapping action.
pub fn run(action: MappingAction) -> Result<(), String> {
    match action {
        MappingAction::Suggest { file } => {
            let shown = file.display();
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let source = std::fs::File::open(&file).map_err(|e| format!("{shown}: {e}"))?;
            let got = text_sample(
                &name,
                std::io::BufReader::new(source),
                &InputOptions::default(),
                SAMPLE_BYTES,
            )
            .map_err(|e| format!("{shown}: {e}"))?;
            let sample = sample_of_text(&got.text, got.cut);
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
