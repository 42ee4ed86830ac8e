//! Helpers the header-driven mappers share: finding a column by name and reading a field
//! into a number or a time with a precise reject reason.

use super::values::{parse_seconds_to_ms, parse_time_ms, parse_u32};
use super::{norm_header, Row};
use crate::reject::RejectReason;

/// A column the mapper reads: its index and the name it is reported under in rejects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Col {
    /// 0-based field index.
    pub index: usize,
    /// The column name as the header (or the format's fixed layout) calls it.
    pub name: String,
}

impl Col {
    /// A column at `index` called `name`.
    pub fn new(index: usize, name: &str) -> Self {
        Col {
            index,
            name: name.to_string(),
        }
    }
}

/// Refuses a row that has not exactly `width` fields (when the format fixes it), or fewer than
/// `min_width`.
pub fn check_width(
    row: &Row<'_>,
    width: Option<usize>,
    min_width: usize,
) -> Result<(), RejectReason> {
    match width {
        Some(w) if row.len() != w => Err(RejectReason::FieldCount {
            expected: w,
            found: row.len(),
        }),
        None if row.len() < min_width => Err(RejectReason::FieldCount {
            expected: min_width,
            found: row.len(),
        }),
        _ => Ok(()),
    }
}

/// Checks that `header` has every required column (each given as its accepted normalized
/// names and the name to show), naming all the missing ones at once: "the acc header has no
/// method, callid or time column". `what` names the header ("the acc header").
pub fn require(header: &[String], required: &[(&[&str], &str)], what: &str) -> Result<(), String> {
    let missing: Vec<&str> = required
        .iter()
        .filter(|(names, _)| find(header, names).is_none())
        .map(|(_, shown)| *shown)
        .collect();
    match missing.as_slice() {
        [] => Ok(()),
        [one] => Err(format!("{what} has no {one} column")),
        [init @ .., last] => Err(format!(
            "{what} has no {} or {last} columns",
            init.join(", ")
        )),
    }
}

/// Finds the first header column whose normalized name is one of `names` (given normalized:
/// lowercase, without `_`, `-` or spaces). FreeSWITCH-style `${var}` headers match `var`.
pub fn find(header: &[String], names: &[&str]) -> Option<Col> {
    names.iter().find_map(|want| {
        header.iter().enumerate().find_map(|(i, h)| {
            let n = norm_header(h);
            let n = n
                .strip_prefix("${")
                .and_then(|x| x.strip_suffix('}'))
                .unwrap_or(&n);
            (n == *want).then(|| Col::new(i, h.trim()))
        })
    })
}

/// How many of `names` (normalized) the header contains.
pub fn count_known(header: &[String], names: &[&str]) -> usize {
    names
        .iter()
        .filter(|n| find(header, &[**n]).is_some())
        .count()
}

/// The trimmed text of an optional column, or `""`.
pub fn text<'r>(row: &Row<'r>, col: &Option<Col>) -> &'r str {
    col.as_ref().map_or("", |c| row.trimmed(c.index))
}

/// A whole non-negative number of an optional column; `None` when absent or empty.
pub fn uint(row: &Row<'_>, col: &Option<Col>) -> Result<Option<u32>, RejectReason> {
    let Some(c) = col else { return Ok(None) };
    let v = row.trimmed(c.index);
    if v.is_empty() {
        return Ok(None);
    }
    parse_u32(v)
        .map(Some)
        .ok_or_else(|| RejectReason::bad_number(&c.name, v))
}

/// Decimal seconds of an optional column, in milliseconds; `None` when absent or empty.
pub fn seconds_ms(row: &Row<'_>, col: &Option<Col>) -> Result<Option<u64>, RejectReason> {
    let Some(c) = col else { return Ok(None) };
    let v = row.trimmed(c.index);
    if v.is_empty() {
        return Ok(None);
    }
    parse_seconds_to_ms(v)
        .map(Some)
        .ok_or_else(|| RejectReason::bad_number(&c.name, v))
}

/// A time of an optional column (epoch stamp or datetime string) in ms, and whether it was an
/// epoch stamp; `None` when absent, empty or zero.
pub fn time(row: &Row<'_>, col: &Option<Col>) -> Result<Option<(i64, bool)>, RejectReason> {
    let Some(c) = col else { return Ok(None) };
    let v = row.trimmed(c.index);
    match parse_time_ms(v) {
        Some((Some(t), epoch)) => Ok(Some((t, epoch))),
        Some((None, _)) => Ok(None),
        None => Err(RejectReason::bad_time(&c.name, v)),
    }
}

/// Whether a field looks like a local datetime (`YYYY-MM-DD HH:MM:SS`).
pub fn is_datetime(v: &str) -> bool {
    super::values::parse_datetime_ms(v).is_some()
}

/// Whether a field is empty or a local datetime.
pub fn is_datetime_or_empty(v: &str) -> bool {
    v.trim().is_empty() || is_datetime(v)
}

/// Whether a field is a whole non-negative number.
pub fn is_uint(v: &str) -> bool {
    parse_u32(v).is_some()
}

/// The share of sample rows for which `test` holds, and how many rows were looked at.
pub fn share(rows: &[Vec<String>], test: impl Fn(&[String]) -> bool) -> (f32, usize) {
    if rows.is_empty() {
        return (0.0, 0);
    }
    let ok = rows.iter().filter(|r| test(r)).count();
    (ok as f32 / rows.len() as f32, rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_columns_by_normalized_name() {
        let h: Vec<String> = ["Start_Stamp", "${hangup_cause}", "sip-term-status"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(find(&h, &["startstamp"]), Some(Col::new(0, "Start_Stamp")));
        assert_eq!(find(&h, &["hangupcause"]).map(|c| c.index), Some(1));
        assert_eq!(find(&h, &["x", "siptermstatus"]).map(|c| c.index), Some(2));
        assert_eq!(count_known(&h, &["startstamp", "nope", "hangupcause"]), 2);
    }

    #[test]
    fn require_names_every_missing_column() {
        let h: Vec<String> = ["method", "time"].iter().map(|s| s.to_string()).collect();
        let req: [(&[&str], &str); 4] = [
            (&["method"], "method"),
            (&["callid"], "callid"),
            (&["sipcode"], "sip_code"),
            (&["time"], "time"),
        ];
        assert_eq!(
            require(&h, &req, "the acc header"),
            Err("the acc header has no callid or sip_code columns".to_string())
        );
        assert_eq!(require(&h, &req[..1], "the acc header"), Ok(()));
        assert_eq!(
            require(&h[..1], &req[3..], "the acc header"),
            Err("the acc header has no time column".to_string())
        );
    }
}
