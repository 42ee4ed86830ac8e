//! Reading field values: integers, decimal seconds, epoch stamps and datetime strings.

use serde::{Deserialize, Serialize};

// The calendar lives in the leaf `crate::calendar` (analysis, ingest, export and the page format
// times too); re-exported here because the formats read dates with it and `web` imports
// `format_ms` from this path.
pub use crate::calendar::{civil_from_days, days_from_civil, format_ms};

/// Parses a non-negative integer that fits in `u32`, allowing a `.0…` fraction Excel adds.
pub fn parse_u32(text: &str) -> Option<u32> {
    let t = text.trim_ascii().as_bytes();
    // A byte search, not `split_once('.')`: the char searcher costs more than the parse.
    let t = match t.iter().position(|&b| b == b'.') {
        Some(dot) if t[dot + 1..].iter().all(|&b| b == b'0') => &t[..dot],
        Some(_) => return None,
        None => t,
    };
    if t.is_empty() || t.len() > 10 {
        return None;
    }
    let mut v: u64 = 0;
    for &b in t {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + u64::from(d);
    }
    u32::try_from(v).ok()
}

/// Parses a signed integer that fits in `i64`.
pub fn parse_i64(text: &str) -> Option<i64> {
    let t = text.trim_ascii().as_bytes();
    let (neg, digits) = match t.first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty() || digits.len() > 19 {
        return None;
    }
    // Eighteen digits cannot overflow: plain arithmetic, as `checked_mul` on i64 becomes a
    // 128-bit multiply call per digit in wasm32. Only a 19-digit number needs the check.
    let mut v: u64 = 0;
    for &b in digits {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v.wrapping_mul(10).wrapping_add(u64::from(d));
    }
    // Nineteen digits stay below 10^19 < 2^64, so `v` is exact; it may not fit in i64.
    let v = i64::try_from(v).ok()?;
    Some(if neg { -v } else { v })
}

/// Parses a non-negative decimal number of seconds (`4.962`) into whole milliseconds.
pub fn parse_seconds_to_ms(text: &str) -> Option<u64> {
    let t = text.trim_ascii();
    let (int, frac) = t.split_once(['.', ',']).unwrap_or((t, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let secs: u64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut ms = 0u64;
    let mut place = 100;
    let mut round = false;
    for (i, b) in frac.bytes().enumerate() {
        if i < 3 {
            ms += u64::from(b - b'0') * place;
            place /= 10;
        } else if i == 3 {
            round = b >= b'5';
        }
    }
    secs.checked_mul(1000)?.checked_add(ms + u64::from(round))
}

/// Parses a duration written `h:mm:ss` (any number of hour digits), `mm:ss` or plain seconds,
/// as 3CX writes talk and ring times, into whole seconds.
pub fn parse_hms(text: &str) -> Option<u32> {
    let t = text.trim_ascii();
    let mut secs: u32 = 0;
    let mut count = 0;
    for (i, part) in t.split(':').enumerate() {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // Minutes and seconds after the first part are two digits below 60.
        let v: u32 = part.parse().ok()?;
        if i > 0 && (part.len() > 2 || v > 59) {
            return None;
        }
        secs = secs.checked_mul(60)?.checked_add(v)?;
        count += 1;
    }
    (1..=3).contains(&count).then_some(secs)
}

/// Parses `YYYY-MM-DD HH:MM:SS[.fff]` (also `/` date separators and a `T`) into milliseconds
/// since the epoch, reading the wall clock as if it were UTC; also the same date as a
/// spreadsheet re-saves it, without zero padding or seconds (`2020/2/10 22:41`).
pub fn parse_datetime_ms(text: &str) -> Option<i64> {
    parse_padded_datetime_ms(text).or_else(|| parse_unpadded_year_first_ms(text))
}

/// A year-first date without zero padding, with an optional clock time (`2020/2/10 22:41`,
/// `2020-2-3 4:05:06`): how Excel writes a FreeSWITCH `start_stamp` back when it re-saves a
/// `Master.csv` (tests/fixtures/real/freeswitch/kxingyunliushui-master-excel-resaved.csv).
/// Only reached when the padded form does not parse, so the common case costs nothing more.
fn parse_unpadded_year_first_ms(text: &str) -> Option<i64> {
    let b = text.trim_ascii().as_bytes();
    let end = b
        .iter()
        .position(|&c| c == b' ' || c == b'T')
        .unwrap_or(b.len());
    let (date, rest) = b.split_at(end);
    let sep = *date.get(4)?;
    if !matches!(sep, b'-' | b'/') {
        return None;
    }
    let y = i64::from(digits_value(&date[..4])?);
    let mut parts = date[5..].split(|&c| c == sep);
    let (m, d) = (parts.next()?, parts.next()?);
    if parts.next().is_some() || !(1..=2).contains(&m.len()) || !(1..=2).contains(&d.len()) {
        return None;
    }
    let (mo, d) = (digits_value(m)?, digits_value(d)?);
    if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) {
        return None;
    }
    let day_ms = days_from_civil(y, mo, d) * 86_400_000;
    let rest = rest.strip_prefix(b"T").unwrap_or(rest).trim_ascii();
    if rest.is_empty() {
        return Some(day_ms);
    }
    Some(day_ms + clock_ms(rest)?)
}

/// The zero-padded form of [`parse_datetime_ms`], read at fixed positions.
#[inline]
fn parse_padded_datetime_ms(text: &str) -> Option<i64> {
    let t = text.trim_ascii();
    let b = t.as_bytes();
    if b.len() < 10 {
        return None;
    }
    let num = |s: &[u8]| -> Option<u32> {
        if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(s).ok()?.parse().ok()
    };
    let sep = b[4];
    if !(sep == b'-' || sep == b'/') || b[7] != sep {
        return None;
    }
    let y = num(&b[0..4])?;
    let mo = num(&b[5..7])?;
    let d = num(&b[8..10])?;
    if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(i64::from(y), mo) {
        return None;
    }
    let mut ms = days_from_civil(i64::from(y), mo, d) * 86_400_000;
    if b.len() == 10 {
        return Some(ms);
    }
    if !(b[10] == b' ' || b[10] == b'T') || b.len() < 16 {
        return None;
    }
    let h = num(&b[11..13])?;
    let mi = num(&b[14..16])?;
    if b[13] != b':' || h > 23 || mi > 59 {
        return None;
    }
    let mut s = 0;
    let mut rest = &b[16..];
    if rest.first() == Some(&b':') {
        if rest.len() < 3 {
            return None;
        }
        s = num(&rest[1..3])?;
        if s > 60 {
            return None;
        }
        rest = &rest[3..];
    }
    let mut frac_ms = 0;
    if let Some(r) = rest.strip_prefix(b".") {
        let digits: Vec<u8> = r
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .copied()
            .collect();
        if digits.is_empty() || digits.len() != r.len() {
            return None;
        }
        let mut place = 100;
        for &c in digits.iter().take(3) {
            frac_ms += u32::from(c - b'0') * place;
            place /= 10;
        }
    } else if !rest.is_empty() {
        return None;
    }
    ms += i64::from(h) * 3_600_000
        + i64::from(mi) * 60_000
        + i64::from(s) * 1000
        + i64::from(frac_ms);
    Some(ms)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Which of the first two numbers of a numeric date (`1/9/2017`) is the day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// Decided from the file: a first number above 12 makes it D/M/Y, a second one M/D/Y.
    #[default]
    Auto,
    /// Day first: `24/08/17` is 24 August 2017.
    Dmy,
    /// Month first: `08/24/17` is 24 August 2017.
    Mdy,
}

impl DateOrder {
    /// Parses `auto`, `dmy` or `mdy` (any case; `d/m/y` and `m/d/y` too).
    pub fn parse(text: &str) -> Option<DateOrder> {
        match text
            .trim()
            .to_ascii_lowercase()
            .replace(['/', '-', '.'], "")
            .as_str()
        {
            "auto" => Some(DateOrder::Auto),
            "dmy" => Some(DateOrder::Dmy),
            "mdy" => Some(DateOrder::Mdy),
            _ => None,
        }
    }
}

/// The first two numbers of a numeric date written with the year last (`1/9/2017 16:33:01`,
/// `24/08/17 09:32`, `9.1.2017`), as they are written; `None` for anything else (ISO dates
/// included). Which one is the day is for the caller to decide.
pub fn numeric_date_fields(text: &str) -> Option<(u32, u32)> {
    numeric_date(text.trim_ascii().as_bytes()).map(|(a, b, _, _)| (a, b))
}

/// Splits `A/B/Y[ rest]` (one separator among `/`, `.`, `-`, used twice; A and B of one or two
/// digits, Y of two or four) into A, B, the full year and the rest after the date.
fn numeric_date(b: &[u8]) -> Option<(u32, u32, i64, &[u8])> {
    let end = b
        .iter()
        .position(|&c| c == b' ' || c == b'T')
        .unwrap_or(b.len());
    let (date, rest) = b.split_at(end);
    let sep = *date.iter().find(|c| !c.is_ascii_digit())?;
    if !matches!(sep, b'/' | b'.' | b'-') {
        return None;
    }
    let mut parts = date.split(|&c| c == sep);
    let (a, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || !(1..=2).contains(&a.len())
        || !(1..=2).contains(&m.len())
        || !(y.len() == 2 || y.len() == 4)
    {
        return None;
    }
    let year = i64::from(digits_value(y)?);
    // Two-digit years as POSIX strptime's %y reads them: 69–99 are 1969–1999, 00–68 2000–2068.
    let year = match y.len() {
        2 if year >= 69 => 1900 + year,
        2 => 2000 + year,
        _ => year,
    };
    Some((digits_value(a)?, digits_value(m)?, year, rest))
}

fn digits_value(s: &[u8]) -> Option<u32> {
    if s.is_empty() || s.len() > 9 || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0, |v, &c| v * 10 + u32::from(c - b'0')))
}

/// Parses a numeric date with the year last and an optional clock time (`1/9/2017 16:33:01`,
/// `24/08/17 09:32`, `8/24/2017 4:33:01 PM`) into milliseconds since the epoch, reading the wall
/// clock as if it were UTC; `day_first` says whether the first number is the day (D/M/Y) or the
/// month (M/D/Y). Spreadsheets re-saving CDRs in a local format write dates this way.
pub fn parse_numeric_datetime_ms(text: &str, day_first: bool) -> Option<i64> {
    let (a, b, y, rest) = numeric_date(text.trim_ascii().as_bytes())?;
    let (d, mo) = if day_first { (a, b) } else { (b, a) };
    if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) {
        return None;
    }
    let day_ms = days_from_civil(y, mo, d) * 86_400_000;
    let rest = rest.trim_ascii();
    if rest.is_empty() {
        return Some(day_ms);
    }
    let rest = rest.strip_prefix(b"T").unwrap_or(rest);
    Some(day_ms + clock_ms(rest)?)
}

/// Milliseconds since midnight of `H:MM[:SS[.fff]]`, with an optional `AM`/`PM` after it.
fn clock_ms(t: &[u8]) -> Option<i64> {
    let lower = t.to_ascii_lowercase();
    let (t, pm) = match lower.strip_suffix(b"am").or(lower.strip_suffix(b"a.m.")) {
        Some(x) => (x.trim_ascii(), Some(false)),
        None => match lower.strip_suffix(b"pm").or(lower.strip_suffix(b"p.m.")) {
            Some(x) => (x.trim_ascii(), Some(true)),
            None => (t, None),
        },
    };
    let mut parts = t.split(|&c| c == b':');
    let (h, mi) = (parts.next()?, parts.next()?);
    let s = parts.next();
    if parts.next().is_some() || !(1..=2).contains(&h.len()) || mi.len() != 2 {
        return None;
    }
    let (h, mi) = (digits_value(h)?, digits_value(mi)?);
    let (s, frac_ms) = match s {
        None => (0, 0),
        Some(s) => {
            let (whole, frac) = match s.iter().position(|&c| c == b'.') {
                Some(i) => (&s[..i], &s[i + 1..]),
                None => (s, &[][..]),
            };
            if whole.len() != 2 || (s.len() > 2 && frac.is_empty()) {
                return None;
            }
            let mut ms = 0;
            let mut place = 100;
            for &c in frac {
                if !c.is_ascii_digit() {
                    return None;
                }
                ms += u32::from(c - b'0') * place;
                place /= 10;
            }
            (digits_value(whole)?, ms)
        }
    };
    let h = match pm {
        None if h <= 23 => h,
        Some(pm) if (1..=12).contains(&h) => h % 12 + if pm { 12 } else { 0 },
        _ => return None,
    };
    if mi > 59 || s > 60 {
        return None;
    }
    Some(
        i64::from(h) * 3_600_000
            + i64::from(mi) * 60_000
            + i64::from(s) * 1000
            + i64::from(frac_ms),
    )
}

/// Parses a local datetime written either way: `YYYY-MM-DD HH:MM:SS` (see
/// [`parse_datetime_ms`]) or a numeric date with the year last in the given order (see
/// [`parse_numeric_datetime_ms`]).
pub fn parse_local_datetime_ms(text: &str, day_first: bool) -> Option<i64> {
    parse_datetime_ms(text).or_else(|| parse_numeric_datetime_ms(text, day_first))
}

/// Parses an epoch stamp: 13 digits are milliseconds, 9–10 digits seconds; `0` is "no time".
pub fn parse_epoch_ms(text: &str) -> Option<Option<i64>> {
    if let Some(v) = digits13(text.trim_ascii().as_bytes()) {
        // The common case (VOS3000 `e_cdr` milliseconds): the result the general path below
        // gives for 13 digits.
        return Some((v != 0).then_some(v));
    }
    let v = parse_i64(text)?;
    if v == 0 {
        return Some(None);
    }
    if v < 0 {
        return None;
    }
    let digits = text.trim_ascii().trim_start_matches('+').len();
    match digits {
        11..=14 => Some(Some(v)),
        9 | 10 => Some(Some(v * 1000)),
        _ => None,
    }
}

/// The value of eight ASCII digits, or `None` when a byte is not a digit (SWAR: the digits
/// are checked and combined in a few word operations instead of eight dependent steps).
fn digits8(b: [u8; 8]) -> Option<u64> {
    let w = u64::from_le_bytes(b);
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    // Every byte is 0x30..=0x39: its high nibble is 3, and adding 6 keeps it 3.
    if w & 0xF0F0_F0F0_F0F0_F0F0 != ZEROS
        || (w.wrapping_add(0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) != ZEROS
    {
        return None;
    }
    let d = w - ZEROS;
    // Little-endian: the first digit is the lowest byte; pair, then quad, then all eight.
    let d = (d.wrapping_mul(10) + (d >> 8)) & 0x00FF_00FF_00FF_00FF;
    let d = (d.wrapping_mul(100) + (d >> 16)) & 0x0000_FFFF_0000_FFFF;
    Some((d.wrapping_mul(10_000) + (d >> 32)) & 0xFFFF_FFFF)
}

/// The value of exactly 13 ASCII digits (an epoch in milliseconds), else `None`.
fn digits13(t: &[u8]) -> Option<i64> {
    let t: &[u8; 13] = t.try_into().ok()?;
    let head = digits8(t[..8].try_into().ok()?)?;
    // Bytes 5..13 overlap the head; their last five digits are bytes 8..13.
    let tail = digits8(t[5..].try_into().ok()?)? % 100_000;
    i64::try_from(head * 100_000 + tail).ok()
}

/// Parses a time that is either an epoch stamp or a datetime string; the flag says whether it
/// was an epoch (a UTC instant).
pub fn parse_time_ms(text: &str) -> Option<(Option<i64>, bool)> {
    let t = text.trim_ascii();
    if t.is_empty() {
        return Some((None, false));
    }
    if let Some(v) = digits13(t.as_bytes()) {
        return Some(((v != 0).then_some(v), true));
    }
    if t.as_bytes().iter().all(u8::is_ascii_digit) {
        return parse_epoch_ms(t).map(|v| (v, true));
    }
    parse_datetime_ms(t).map(|v| (Some(v), false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_year_first_dates_a_spreadsheet_unpadded() {
        assert_eq!(
            parse_datetime_ms("2020/2/10 22:41"),
            parse_datetime_ms("2020-02-10 22:41:00")
        );
        assert_eq!(
            parse_datetime_ms("2020-2-3 4:05:06"),
            parse_datetime_ms("2020-02-03 04:05:06")
        );
        assert_eq!(parse_datetime_ms("2020/2/30 22:41"), None);
        assert_eq!(parse_datetime_ms("2020/2/10 22:4"), None);
        assert_eq!(parse_datetime_ms("20/2/10 22:41"), None);
    }

    #[test]
    fn integers_at_the_edge_of_i64() {
        assert_eq!(parse_i64("9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_i64("-9223372036854775807"), Some(-i64::MAX));
        assert_eq!(parse_i64("9223372036854775808"), None);
        assert_eq!(parse_i64("-9223372036854775808"), None);
        assert_eq!(parse_i64("9999999999999999999"), None);
        assert_eq!(parse_i64("10000000000000000000"), None);
        assert_eq!(parse_i64("+000000000000000042"), Some(42));
        assert_eq!(parse_i64("-69"), Some(-69));
        assert_eq!(parse_i64("4x"), None);
        assert_eq!(parse_i64("-"), None);
    }

    #[test]
    fn thirteen_digits_read_like_the_general_path() {
        let general = |t: &str| {
            let v = parse_i64(t)?;
            Some((v != 0).then_some(v))
        };
        for t in [
            "1741536123749",
            "0000000000000",
            "0000000000001",
            "9999999999999",
            "1000000000000",
            "0123456789012",
            "9876543210987",
        ] {
            assert_eq!(digits13(t.as_bytes()), parse_i64(t), "{t}");
            assert_eq!(parse_epoch_ms(t), general(t), "{t}");
            assert_eq!(parse_time_ms(t), general(t).map(|v| (v, true)), "{t}");
        }
        // Every position holding each kind of non-digit byte is refused by the fast path.
        for pos in 0..13 {
            for bad in [b'/', b':', b'a', b' ', b'-', 0x00, 0xB0, 0x3A, 0x2F] {
                let mut t = *b"1741536123749";
                t[pos] = bad;
                assert_eq!(digits13(&t), None, "{pos} {bad}");
            }
        }
        assert_eq!(digits13(b"174153612374"), None);
        assert_eq!(digits8(*b"12345678"), Some(12_345_678));
        assert_eq!(digits8(*b"00000009"), Some(9));
    }

    #[test]
    fn reads_numeric_dates_in_either_order() {
        let at = |y, m, d, h: i64, mi: i64, s: i64| {
            days_from_civil(y, m, d) * 86_400_000 + (h * 3600 + mi * 60 + s) * 1000
        };
        assert_eq!(
            parse_numeric_datetime_ms("1/9/2017 16:33:01", true),
            Some(at(2017, 9, 1, 16, 33, 1))
        );
        assert_eq!(
            parse_numeric_datetime_ms("1/9/2017 16:33:01", false),
            Some(at(2017, 1, 9, 16, 33, 1))
        );
        assert_eq!(
            parse_numeric_datetime_ms("24/08/17 09:32", true),
            Some(at(2017, 8, 24, 9, 32, 0))
        );
        assert_eq!(parse_numeric_datetime_ms("24/08/17 09:32", false), None);
        assert_eq!(
            parse_numeric_datetime_ms("8/24/2017 4:33:01 PM", false),
            Some(at(2017, 8, 24, 16, 33, 1))
        );
        assert_eq!(
            parse_numeric_datetime_ms("8/24/2017 12:05 am", false),
            Some(at(2017, 8, 24, 0, 5, 0))
        );
        assert_eq!(
            parse_numeric_datetime_ms("24.08.2017 09:32:05.25", true),
            Some(at(2017, 8, 24, 9, 32, 5) + 250)
        );
        assert_eq!(
            parse_numeric_datetime_ms("31/12/99", true),
            Some(at(1999, 12, 31, 0, 0, 0))
        );
        assert_eq!(
            parse_numeric_datetime_ms("1/1/68", true),
            Some(at(2068, 1, 1, 0, 0, 0))
        );
        for bad in [
            "2017-09-01 10:00:00",
            "31/2/2017",
            "1/9/2017 24:00",
            "1/9/2017 13:00 PM",
            "1/9/201",
            "1/9-2017",
            "123/9/2017",
            "1/9/2017 10:0",
            "1/9/2017 10:00:",
            "",
        ] {
            assert_eq!(parse_numeric_datetime_ms(bad, true), None, "{bad}");
        }
        assert_eq!(numeric_date_fields(" 24/08/17 09:32"), Some((24, 8)));
        assert_eq!(numeric_date_fields("2017-08-24 09:32:00"), None);
        assert_eq!(
            parse_local_datetime_ms("2017-09-01 16:33:01", false),
            Some(at(2017, 9, 1, 16, 33, 1))
        );
        assert_eq!(DateOrder::parse("D/M/Y"), Some(DateOrder::Dmy));
        assert_eq!(DateOrder::parse("mdy"), Some(DateOrder::Mdy));
        assert_eq!(DateOrder::parse("ymd"), None);
    }

    #[test]
    fn reads_times_and_numbers() {
        assert_eq!(parse_datetime_ms("1970-01-02 00:00:01"), Some(86_401_000));
        assert_eq!(
            parse_datetime_ms("2025-03-10 00:02:03"),
            Some(1_741_564_923_000)
        );
        assert_eq!(
            parse_datetime_ms("2025/03/10T00:02:03.5"),
            Some(1_741_564_923_500)
        );
        assert_eq!(parse_datetime_ms("2025-02-30 00:00:00"), None);
        assert_eq!(parse_datetime_ms("2025-03-10 24:00:00"), None);
        assert_eq!(
            parse_epoch_ms("1741536123749"),
            Some(Some(1_741_536_123_749))
        );
        assert_eq!(parse_epoch_ms("1741536123"), Some(Some(1_741_536_123_000)));
        assert_eq!(parse_epoch_ms("0"), Some(None));
        assert_eq!(parse_epoch_ms("12"), None);
        assert_eq!(parse_seconds_to_ms("4.962"), Some(4962));
        assert_eq!(parse_seconds_to_ms("0.0005"), Some(1));
        assert_eq!(parse_seconds_to_ms("x"), None);
        assert_eq!(parse_u32("12.0"), Some(12));
        assert_eq!(parse_u32("-1"), None);
        assert_eq!(parse_i64("-69"), Some(-69));
        assert_eq!(format_ms(1_741_564_923_000), "2025-03-10 00:02:03");
        assert_eq!(parse_hms("00:00:25"), Some(25));
        assert_eq!(parse_hms("0:09:11"), Some(551));
        assert_eq!(parse_hms("125:00:01"), Some(450_001));
        assert_eq!(parse_hms("1:05"), Some(65));
        assert_eq!(parse_hms("42"), Some(42));
        for bad in ["", "1:60", "1:2:3:4", "a:00", "1::2", "-1:00", "1:005"] {
            assert_eq!(parse_hms(bad), None, "{bad}");
        }
        for d in [-800_000, -1, 0, 1, 20_000, 3_000_000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }
}
