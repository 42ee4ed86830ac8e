//! Placeholder: the cucm format is being written.

use super::{Candidate, RowMapper};

/// Scores a sample.
pub fn detect(_sample: &[Vec<String>]) -> Option<Candidate> {
    None
}

/// Builds the mapper.
pub fn mapper(_header: Option<&[String]>) -> Result<Box<dyn RowMapper>, String> {
    Err("not yet supported".into())
}
