//! Findings: what looks wrong, where, since when, and what to do.

use crate::analysis::filter::Filter;
use serde::{Deserialize, Serialize};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing.
    #[default]
    Info,
    /// Needs a look.
    Warning,
    /// Costs calls now.
    Critical,
}

/// One diagnosis with its evidence and the action to take.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule that fired (stable id).
    pub rule: String,
    /// How serious it is.
    pub severity: Severity,
    /// One-line title.
    pub title: String,
    /// The numbers behind it.
    pub evidence: String,
    /// What to do.
    pub action: String,
    /// The filter that reproduces the evidence on the page.
    pub filter: Filter,
    /// Estimated impact (lost answered calls), for ranking.
    pub impact: f64,
}
