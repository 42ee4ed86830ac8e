//! Number and time formatting for the dashboard.

use crate::display;
use crate::web::i18n::lang;

/// A 0..1 ratio as a percentage, in the page's language (`display::percent`).
pub fn pct(v: Option<f64>) -> String {
    display::percent(v, lang().code())
}

/// An integer with the page language's thousands separator (`display::int`).
pub fn int(n: u64) -> String {
    display::int(n, lang().code())
}

/// A number with `places` decimals in the page's language (`display::dec`).
pub fn dec(v: f64, places: usize) -> String {
    display::dec(v, places, lang().code())
}

/// Seconds with one decimal, or a dash.
pub fn secs(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{} s", dec(v, 1)))
}

/// Milliseconds shown as seconds, or a dash.
pub fn ms_as_s(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{} s", dec(v / 1000.0, 2)))
}

/// A machine-readable number for `data-value` (empty when unknown).
pub fn raw(v: Option<f64>) -> String {
    v.map_or_else(String::new, |v| format!("{v}"))
}

/// Megabytes with one decimal.
pub fn mb(bytes: f64) -> String {
    format!("{} MB", dec(bytes / 1_048_576.0, 1))
}

/// A file's size: bytes under 1 KB, KB (one decimal) under 1 MB, else [`mb`] (a 200-byte file
/// read "0.0 MB").
pub fn size(bytes: u64) -> String {
    match bytes {
        0..=1023 => format!("{bytes} B"),
        1024..=1_048_575 => format!("{} KB", dec(bytes as f64 / 1024.0, 1)),
        _ => mb(bytes as f64),
    }
}

/// A UTC offset in minutes as `+HH:MM`.
pub fn offset(min: i32) -> String {
    let sign = if min < 0 { '-' } else { '+' };
    let a = min.abs();
    format!("UTC{sign}{:02}:{:02}", a / 60, a % 60)
}

/// Parses a local time as the page's inputs write it (see [`crate::calendar::parse_local`]).
pub use crate::calendar::parse_local;

/// Local ms as `YYYY-MM-DDTHH:MM` for a datetime-local input.
pub fn input_local(ms: i64) -> String {
    let s = crate::formats::values::format_ms(ms);
    format!(
        "{}T{}",
        s.get(..10).unwrap_or(""),
        s.get(11..16).unwrap_or("")
    )
}
