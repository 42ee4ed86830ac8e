//! The texts of the knowledge base, one data file per language (`text/<lang>.txt`).
//!
//! Each line is `key = text`; `#` starts a comment line. Entry keys are
//! `<system>.<code>.<field>` (e.g. `sip.503.action`); labels are `outcome.busy`,
//! `class.client_error.title` and so on. Adding a language means adding a file and a row to
//! [`LANGUAGES`]; no code changes. A missing key falls back to English.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The languages the knowledge base is written in: (id, name in that language, data file).
/// English must stay first: it is the fallback.
pub const LANGUAGES: &[(&str, &str, &str)] = &[
    ("en", "English", include_str!("text/en.txt")),
    ("es", "Español", include_str!("text/es.txt")),
];

/// The fallback language.
pub const DEFAULT_LANG: &str = "en";

type Table = HashMap<&'static str, &'static str>;

fn tables() -> &'static Vec<(&'static str, Table)> {
    static TABLES: OnceLock<Vec<(&'static str, Table)>> = OnceLock::new();
    TABLES.get_or_init(|| {
        LANGUAGES
            .iter()
            .map(|&(id, _, data)| (id, parse(data)))
            .collect()
    })
}

/// Parses one language file; malformed lines are skipped (a test checks there are none).
fn parse(data: &'static str) -> Table {
    data.lines()
        .filter_map(|line| {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                return None;
            }
            let (k, v) = line.split_once(" = ")?;
            Some((k.trim(), v.trim()))
        })
        .collect()
}

/// Lines of a language file that are neither comments, blank, nor `key = text`.
pub fn malformed_lines(lang: &str) -> Vec<String> {
    LANGUAGES
        .iter()
        .filter(|l| l.0 == lang)
        .flat_map(|l| l.2.lines())
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter(|l| l.split_once(" = ").is_none_or(|(_, v)| v.trim().is_empty()))
        .map(str::to_string)
        .collect()
}

/// Every language as (id, name in that language), for a language picker.
pub fn languages() -> impl Iterator<Item = (&'static str, &'static str)> {
    LANGUAGES.iter().map(|l| (l.0, l.1))
}

/// The ids of every language, in table order.
pub fn language_ids() -> impl Iterator<Item = &'static str> {
    LANGUAGES.iter().map(|l| l.0)
}

/// Normalises a requested language (`es-MX` → `es`), falling back to English when unknown.
pub fn resolve_lang(lang: &str) -> &'static str {
    let base = lang
        .trim()
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    LANGUAGES
        .iter()
        .find(|l| l.0 == base)
        .map_or(DEFAULT_LANG, |l| l.0)
}

/// The text for `key` in exactly `lang`, without falling back.
pub fn get_exact(lang: &str, key: &str) -> Option<&'static str> {
    tables()
        .iter()
        .find(|t| t.0 == lang)
        .and_then(|t| t.1.get(key).copied())
}

/// The text for `key` in `lang`, else in English.
pub fn get(lang: &str, key: &str) -> Option<&'static str> {
    get_exact(lang, key).or_else(|| get_exact(DEFAULT_LANG, key))
}

/// The text for `key` in `lang` (else English), or the key itself so a gap is visible.
pub fn label(lang: &str, key: &str) -> String {
    get(lang, key).unwrap_or(key).to_string()
}
