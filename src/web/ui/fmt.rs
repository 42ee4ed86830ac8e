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

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses `YYYY-MM-DD HH:MM[:SS]` (or with a `T`) as local ms, the page's time scale.
pub fn parse_local(s: &str) -> Option<i64> {
    let s = s.trim();
    let num = |a: usize, b: usize| s.get(a..b).and_then(|x| x.parse::<i64>().ok());
    let (y, mo, d, h, mi) = (
        num(0, 4)?,
        num(5, 7)?,
        num(8, 10)?,
        num(11, 13)?,
        num(14, 16)?,
    );
    let sec = num(17, 19).unwrap_or(0);
    Some(((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60_000 + sec * 1000)
}

/// Local ms as `YYYY-MM-DDTHH:MM` for a datetime-local input.
pub fn input_local(ms: i64) -> String {
    let s = crate::formats::values::format_ms(ms);
    format!(
        "{}T{}",
        s.get(..10).unwrap_or(""),
        s.get(11..16).unwrap_or("")
    )
}
