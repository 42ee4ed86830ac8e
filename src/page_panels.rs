//! Which dashboard panels a summary has no data for: a panel whose data the format does not
//! carry is replaced on the page by one line saying so, instead of empty axes.

use crate::analysis::filter::NONE_NAME;
use crate::summary::Summary;

/// What a panel lacks, when it lacks its data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MissingData {
    /// No call has a post-dial delay (Asterisk, many PBX exports).
    PostDialDelay,
    /// No call says which side hung up.
    HangupSide,
}

impl MissingData {
    /// The text key of the line that replaces the panel.
    pub fn text_key(self) -> &'static str {
        match self {
            MissingData::PostDialDelay => "no_pdd",
            MissingData::HangupSide => "no_hangup_side",
        }
    }
}

/// What the panel `key` (the page's chart keys: `pdd`, `direction`, …) lacks in `s`, if anything.
/// Only calls are judged: a summary of no call lacks nothing here (the page shows an error card).
pub fn missing(key: &str, s: &Summary) -> Option<MissingData> {
    if s.overall.attempts == 0 {
        return None;
    }
    match key {
        "pdd" if s.overall.pdd_rows == 0 => Some(MissingData::PostDialDelay),
        "direction"
            if s.by_end_direction
                .iter()
                .all(|d| d.name == NONE_NAME || d.count == 0) =>
        {
            Some(MissingData::HangupSide)
        }
        _ => None,
    }
}
