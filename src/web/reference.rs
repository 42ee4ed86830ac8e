//! The code reference search behind the reference panel.
//!
//! Placeholder until the codes knowledge base (src/codes search + EN/ES entries) is merged: it
//! searches the short labels `codes::short_label` knows. The lead swaps the body for the real search.

use crate::call::CodeSystem;
use crate::codes;
use serde::Serialize;

/// One search result: a code, its system and its label.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CodeHit {
    /// The code system id (`sip`, `vos3000`, …).
    pub system: String,
    /// The code as printed.
    pub code: String,
    /// The short label.
    pub label: String,
}

/// Searches codes whose number or label contains `query` (case-insensitive); `lang` is unused
/// until the knowledge base has Spanish text.
pub fn search(query: &str, _lang: &str) -> Vec<CodeHit> {
    let q = query.trim().to_lowercase();
    let mut out = Vec::new();
    let candidates = (100..700)
        .map(|c| (CodeSystem::Sip, c.to_string()))
        .chain((-100..0).map(|c| (CodeSystem::Vos3000, c.to_string())));
    for (system, code) in candidates {
        let label = codes::short_label(Some(system), &code);
        if label.is_empty() {
            continue;
        }
        if q.is_empty() || code.contains(&q) || label.to_lowercase().contains(&q) {
            out.push(CodeHit {
                system: format!("{system:?}").to_lowercase(),
                code,
                label,
            });
        }
    }
    out
}
