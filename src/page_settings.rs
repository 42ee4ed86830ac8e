//! The page's settings panel in the core: health thresholds (the `--health FILE.json` shape),
//! home country, short-number length and a user prefix list, read from the form's text,
//! checked, and kept as JSON across visits. The page only moves text in and out.

use crate::analysis::health::{HealthPreset, SHARES};
use crate::numbers::{parse_prefix_list, region, PlanSettings};
use serde::{Deserialize, Serialize};

/// The form fields, as the page names its inputs: two thresholds (percent) per health share,
/// then the home country, the short-number length and the prefix list.
pub const FIELDS: [&str; 11] = [
    "ok_200.healthy",
    "ok_200.degraded",
    "sip_4xx.healthy",
    "sip_4xx.degraded",
    "sip_5xx.healthy",
    "sip_5xx.degraded",
    "busy_486.healthy",
    "busy_486.degraded",
    "country",
    "short_digits",
    "prefixes",
];

/// The longest short-number length the page accepts (E.164 numbers have at most 15 digits).
pub const MAX_SHORT_DIGITS: u8 = 15;

/// What the settings say, as stored in the browser (`health` is exactly a `--health` file).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PageSettings {
    /// The health thresholds.
    pub health: HealthPreset,
    /// The home country as an ISO 3166 region (`ES`), none when unset.
    pub country: Option<String>,
    /// Numbers of at most this many digits are internal.
    pub short_digits: u8,
    /// The user prefix list as the user typed it (CSV `prefix,name`).
    pub prefixes: String,
}

impl Default for PageSettings {
    fn default() -> Self {
        PageSettings {
            health: HealthPreset::VOS3000_GUIDELINE,
            country: None,
            short_digits: 6,
            prefixes: String::new(),
        }
    }
}

/// Why a field of the form was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldProblem {
    /// A threshold that is not a number from 0 to 100.
    NotPercent,
    /// A share's healthy threshold on the wrong side of its degraded one.
    Order,
    /// A home country that is no ISO 3166 region.
    UnknownCountry,
    /// A short-number length that is not a whole number from 0 to [`MAX_SHORT_DIGITS`].
    ShortDigits,
    /// A prefix list line that cannot be read (the detail names the line).
    Prefixes,
}

/// One refused field: which, why, and the detail in English (the page translates `problem`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field, one of [`FIELDS`].
    pub field: String,
    /// Why it was refused.
    pub problem: FieldProblem,
    /// The refused text or the parser's message.
    pub detail: String,
}

/// Reads a percentage ("70", "70 %", "12,5") as a share 0..1, or none.
pub fn parse_percent(text: &str) -> Option<f64> {
    let t = text.trim().trim_end_matches('%').trim().replace(',', ".");
    let v: f64 = t.parse().ok()?;
    (v.is_finite() && (0.0..=100.0).contains(&v)).then_some(v / 100.0)
}

/// A share 0..1 as the form shows it: percent with at most one decimal ("70", "12.5").
pub fn format_percent(share: f64) -> String {
    let v = (share * 1000.0).round() / 10.0;
    format!("{v}")
}

impl PageSettings {
    /// The settings a form gives, as `(field, text)` pairs; a missing field keeps its default.
    /// Every refused field is listed.
    pub fn from_form(values: &[(String, String)]) -> Result<PageSettings, Vec<FieldError>> {
        let get = |name: &str| {
            values
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let mut s = PageSettings::default();
        let mut errors = Vec::new();
        let mut refuse = |field: &str, problem, detail: String| {
            errors.push(FieldError {
                field: field.to_string(),
                problem,
                detail,
            })
        };
        let mut bands = s.health.bands().map(|(_, b, _)| b);
        for (i, band) in bands.iter_mut().enumerate() {
            for (end, slot) in [
                ("healthy", &mut band.healthy),
                ("degraded", &mut band.degraded),
            ] {
                let field = format!("{}.{end}", SHARES[i]);
                if let Some(text) = get(&field) {
                    match parse_percent(text) {
                        Some(v) => *slot = v,
                        None => refuse(&field, FieldProblem::NotPercent, text.trim().to_string()),
                    }
                }
            }
        }
        [
            s.health.ok_200,
            s.health.sip_4xx,
            s.health.sip_5xx,
            s.health.busy_486,
        ] = bands;
        for (name, band, higher) in s.health.bands() {
            let ordered = if higher {
                band.healthy >= band.degraded
            } else {
                band.healthy <= band.degraded
            };
            if !ordered {
                refuse(
                    &format!("{name}.healthy"),
                    FieldProblem::Order,
                    format!(
                        "{} {} {}",
                        format_percent(band.healthy),
                        if higher { "<" } else { ">" },
                        format_percent(band.degraded)
                    ),
                );
            }
        }
        if let Some(text) = get("country") {
            let iso = text.trim().to_ascii_uppercase();
            if iso.is_empty() {
                s.country = None;
            } else if region(&iso).is_some() {
                s.country = Some(iso);
            } else {
                refuse("country", FieldProblem::UnknownCountry, text.trim().into());
            }
        }
        if let Some(text) = get("short_digits") {
            match text.trim().parse::<u8>() {
                Ok(n) if n <= MAX_SHORT_DIGITS => s.short_digits = n,
                _ => refuse(
                    "short_digits",
                    FieldProblem::ShortDigits,
                    text.trim().into(),
                ),
            }
        }
        if let Some(text) = get("prefixes") {
            match parse_prefix_list(text) {
                Ok(_) => s.prefixes = text.to_string(),
                Err(e) => refuse("prefixes", FieldProblem::Prefixes, e),
            }
        }
        if errors.is_empty() {
            Ok(s)
        } else {
            Err(errors)
        }
    }

    /// The form's text for every field of [`FIELDS`], in that order.
    pub fn form_values(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::with_capacity(FIELDS.len());
        let mut i = 0;
        for (_, band, _) in self.health.bands() {
            for v in [band.healthy, band.degraded] {
                out.push((FIELDS[i], format_percent(v)));
                i += 1;
            }
        }
        out.push(("country", self.country.clone().unwrap_or_default()));
        out.push(("short_digits", self.short_digits.to_string()));
        out.push(("prefixes", self.prefixes.clone()));
        out
    }

    /// Reads stored settings, checking them as the form does; an error says what is wrong.
    pub fn from_json(text: &str) -> Result<PageSettings, String> {
        let s: PageSettings = serde_json::from_str(text).map_err(|e| e.to_string())?;
        s.health.check()?;
        if let Some(c) = &s.country {
            region(c).ok_or_else(|| format!("unknown region {c:?}"))?;
        }
        if s.short_digits > MAX_SHORT_DIGITS {
            return Err(format!("short_digits: {} is above 15", s.short_digits));
        }
        parse_prefix_list(&s.prefixes)?;
        Ok(s)
    }

    /// The settings as stored JSON (one line).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The health thresholds as a `--health FILE.json` for the CLI (indented).
    pub fn health_json(&self) -> String {
        serde_json::to_string_pretty(&self.health).unwrap_or_default()
    }

    /// How called numbers are read under these settings (the format options' `numbers`).
    pub fn plan(&self) -> PlanSettings {
        PlanSettings {
            home: self.country.clone(),
            short_max_digits: Some(self.short_digits),
            prefixes: parse_prefix_list(&self.prefixes).unwrap_or_default(),
        }
    }

    /// Whether reading numbers differs between two settings (the files must be read again).
    pub fn plan_differs(&self, other: &PageSettings) -> bool {
        self.plan() != other.plan()
    }
}
