//! The proleptic Gregorian calendar and the one way a time is written (`YYYY-MM-DD HH:MM:SS`).
//!
//! A leaf module: format mappers read dates with it, and analysis, ingest, export and the page
//! write times with it, so none of them has to reach into another for a date.

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Parses `YYYY-MM-DD HH:MM[:SS]` (or with a `T`, as a `datetime-local` input writes it) as ms
/// on the same scale as [`format_ms`]; `None` when it is not such a time.
///
/// ```
/// use cdrscope::calendar::{format_ms, parse_local};
/// let ms = parse_local("2025-03-10T14:05").unwrap();
/// assert_eq!(format_ms(ms), "2025-03-10 14:05:00");
/// assert_eq!(parse_local("2025-03-10 14:05:09").map(format_ms).as_deref(), Some("2025-03-10 14:05:09"));
/// assert_eq!(parse_local("yesterday"), None);
/// ```
pub fn parse_local(s: &str) -> Option<i64> {
    let s = s.trim();
    let num = |a: usize, b: usize| s.get(a..b).and_then(|x| x.parse::<u32>().ok());
    let (y, mo, d, h, mi) = (
        num(0, 4)?,
        num(5, 7)?,
        num(8, 10)?,
        num(11, 13)?,
        num(14, 16)?,
    );
    let sec = num(17, 19).unwrap_or(0);
    let day = days_from_civil(i64::from(y), mo, d);
    Some(((day * 24 + i64::from(h)) * 60 + i64::from(mi)) * 60_000 + i64::from(sec) * 1000)
}

/// Formats milliseconds since the epoch as `YYYY-MM-DD HH:MM:SS`.
pub fn format_ms(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000) / 1000;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_and_times_are_written_in_one_shape() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2025, 3, 10), 20_157);
        assert_eq!(civil_from_days(20_157), (2025, 3, 10));
        assert_eq!(format_ms(1_741_564_923_000), "2025-03-10 00:02:03");
        assert_eq!(format_ms(-1_000), "1969-12-31 23:59:59");
    }
}
