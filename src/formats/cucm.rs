//! Cisco CUCM CDR flat files: a line of column names, a line of column types (`INTEGER`,
//! `VARCHAR(50)`, …), then one row per call, columns matched by name; or the same rows without
//! the two header lines (files concatenated from the CDR repository, or pushed to a billing
//! server), columns read by the positions Cisco documents.
//!
//! Times (`dateTimeOrigination`, `dateTimeConnect`, `dateTimeDisconnect`) are UTC epoch
//! seconds; `dateTimeConnect` = 0 means the call never connected. `duration` is connect →
//! disconnect in seconds. `origCause_value` and `destCause_value` are the causes of the
//! originating and the destination side's release; 0 means that side did not clear the call.
//! They are Q.850 causes up to 127, and Cisco-specific 32-bit values above it (e.g. 262144
//! conference full, 393216 call split, 1459617833 on the recording legs of the corpus file;
//! "Call Termination Cause Codes", Cisco-specific table, in Cisco's Call Reporting and Billing
//! Administration Guide, Release 15): those are kept as their number, with no Q.850 cause, so
//! the outcome model reads them as vendor values (`other`).
//!
//! The final code is the cause that explains the call: a destination cause other than 16
//! (normal clearing) first, then an originating cause other than 16, then 16 from whichever
//! side hung up. Its side is the end direction. An unanswered call the caller cleared with 16
//! is a caller abandon (`cancelled`, see `crate::outcome`). CUCM CDRs carry no SIP status, so NER is not
//! computed from them.
//!
//! Field positions without a header. Cisco's guides list the CDR fields "in the order in which
//! they appear in the CDR" (Call Detail Records Administration Guide, Release 11.0(1), and the
//! Call Reporting and Billing Administration Guide, Release 15, chapter "CDR Field
//! Descriptions"). Releases add fields after the ones cdrscope reads, so their positions are
//! the same in every layout since 7.1: by the fields each release added (CDR Administration
//! Guides, "New and Changed Information"; listed release by release in the devopsgeek CUCM
//! handbook, github.com/LiveStalker/devopsgeek `_handbooks/cucm/…call-detail-records.md`), a
//! CDR has 78 fields in 5.x–6.x, 94 in 7.x, 103 in 8.0, 104 in 8.5–8.6, 110 in 9.x, 125 in 10.x,
//! 129 in 11.x–12.0 and 133 from 12.5 on (origDeviceType … destDeviceSessionID, as in
//! `tests/fixtures/real/cucm/cucm_cdr_quoted_header_types_2025.txt`). A header-less file is
//! recognised by that shape: a row of at least 78 fields with cdrRecordType 1 first, integer
//! call ids, epoch-second origination and disconnect times and an integer duration at their
//! documented positions. Exports made by other tools may have other counts (the 10.x lab file
//! of the corpus has 123); their first fields are the same, so they are read too, and the
//! reason says the count is not one of Cisco's.
//!
//! CMR files (call management records, `cdrRecordType` 2: packets, jitter, latency and the
//! voice quality metrics of each call leg; "CMR Field Descriptions" in the same guides) are
//! diagnostics, not calls: such a file is recognised, with or without its header lines, and
//! refused with a message that says what it is and to export the CDR file instead.

use super::fields::{self, Col};
use super::values::parse_i64;
use super::{Candidate, Mapped, Row, RowMapper};
use crate::call::{Call, CodeSystem, EndDirection, RawCode, TimeBasis};
use crate::reject::RejectReason;

/// Header names (normalized) that identify a CUCM CDR file.
const HEADER_KEYS: [&str; 12] = [
    "cdrrecordtype",
    "globalcallidcallid",
    "datetimeorigination",
    "datetimeconnect",
    "datetimedisconnect",
    "origcausevalue",
    "destcausevalue",
    "callingpartynumber",
    "finalcalledpartynumber",
    "origdevicename",
    "destdevicename",
    "duration",
];

/// Header names (normalized) of the diagnostic fields only a CMR has.
const CMR_KEYS: [&str; 8] = [
    "numberpacketssent",
    "numberpacketsreceived",
    "numberpacketslost",
    "jitter",
    "latency",
    "varvqmetrics",
    "directorynum",
    "datetimestamp",
];

/// The file-level error for a CMR file; it names it "CMR" and says what to export instead.
pub const CMR_MESSAGE: &str = "this is a Cisco CUCM CMR file (call management records: per-call-leg voice quality diagnostics such as jitter, latency and lost packets), not CDRs, so it holds no calls to count; export the CDR file (cdr_…) for the same period from the CDR Repository or CAR instead, or alongside it";

/// The CDR field counts of Cisco's documented layouts, by release (see the module notes).
const LAYOUTS: [(usize, &str); 8] = [
    (78, "CUCM 5.x–6.x"),
    (94, "CUCM 7.x"),
    (103, "CUCM 8.0"),
    (104, "CUCM 8.5–8.6"),
    (110, "CUCM 9.x"),
    (125, "CUCM 10.x"),
    (129, "CUCM 11.x–12.0"),
    (133, "CUCM 12.5 or later"),
];

/// The fewest fields of a CDR layout (5.x–6.x).
const MIN_CDR_FIELDS: usize = 78;

/// The 0-based position of every field the mapper reads, the same in every CDR layout (Cisco's
/// "CDR Field Descriptions" order); the IP addresses exist from 7.1 on.
const POSITIONS: [(usize, &str); 16] = [
    (0, "cdrRecordType"),
    (2, "globalCallID_callId"),
    (4, "dateTimeOrigination"),
    (8, "callingPartyNumber"),
    (11, "origCause_value"),
    (29, "originalCalledPartyNumber"),
    (30, "finalCalledPartyNumber"),
    (33, "destCause_value"),
    (47, "dateTimeConnect"),
    (48, "dateTimeDisconnect"),
    (50, "pkid"),
    (55, "duration"),
    (56, "origDeviceName"),
    (57, "destDeviceName"),
    (80, "origIpv4v6Addr"),
    (81, "destIpv4v6Addr"),
];

/// Whether a row is CUCM's second header line, the column types.
fn is_types_row(r: &[String]) -> bool {
    let typed = r
        .iter()
        .filter(|v| {
            let v = v.trim().to_ascii_uppercase();
            v == "INTEGER" || v.starts_with("VARCHAR") || v == "UNIQUEIDENTIFIER" || v == "BIT"
        })
        .count();
    typed * 2 > r.len()
}

/// Whether a field is an epoch time in seconds as CUCM writes it (ten digits, not zero).
fn is_epoch_s(v: &str) -> bool {
    let v = v.trim();
    v.len() == 10 && fields::is_uint(v) && v != "0000000000"
}

/// Whether a field is an epoch time in seconds or 0 (no time).
fn is_epoch_s_or_zero(v: &str) -> bool {
    v.trim() == "0" || is_epoch_s(v)
}

/// Whether a header-less row has the shape of a CUCM CDR (see the module notes).
fn is_cdr_row(r: &[String]) -> bool {
    r.len() >= MIN_CDR_FIELDS
        && r[0].trim() == "1"
        && [1, 2, 3, 55].iter().all(|&i| fields::is_uint(&r[i]))
        && is_epoch_s(&r[4])
        && is_epoch_s_or_zero(&r[47])
        && is_epoch_s(&r[48])
        && [11, 33].iter().all(|&i| cause_value(&r[i]).is_some())
}

/// Whether a header-less row has the shape of a CUCM CMR: cdrRecordType 2, integer ids and an
/// epoch-second `dateTimeStamp` (field 7), packet counters after it ("CMR Field Descriptions").
fn is_cmr_row(r: &[String]) -> bool {
    r.len() >= 14
        && r.len() < MIN_CDR_FIELDS
        && r[0].trim() == "2"
        && [1, 2, 3].iter().all(|&i| fields::is_uint(&r[i]))
        && is_epoch_s(&r[6])
        && (7..14).all(|i| r[i].trim().is_empty() || fields::is_uint(&r[i]))
}

/// The most common field count among rows for which `test` holds.
fn common_width(sample: &[Vec<String>], test: fn(&[String]) -> bool) -> Option<usize> {
    let widths: Vec<usize> = sample.iter().filter(|r| test(r)).map(Vec::len).collect();
    widths
        .iter()
        .max_by_key(|w| (widths.iter().filter(|x| x == w).count(), **w))
        .copied()
}

/// Whether a header names CMR fields rather than CDR ones.
fn is_cmr_header(h: &[String]) -> bool {
    fields::find(h, &["cdrrecordtype"]).is_some()
        && fields::find(h, &["datetimeorigination"]).is_none()
        && fields::count_known(h, &CMR_KEYS) >= 4
}

/// Scores a sample: CUCM when the first row names its key columns (CDR or CMR), or when the
/// rows have the shape of header-less CUCM CDRs or CMRs.
pub fn detect(sample: &[Vec<String>]) -> Option<Candidate> {
    let first = sample.first()?;
    let types = sample.get(1).is_some_and(|r| is_types_row(r));
    let header_rows = if types { 2 } else { 1 };
    let types_note = if types {
        ", followed by the line of column types"
    } else {
        ""
    };
    if is_cmr_header(first) {
        return Some(Candidate {
            confidence: 0.95,
            reason: format!(
                "the header names Cisco CUCM CMR fields (cdrRecordType, numberPacketsLost, jitter, latency){types_note}: call management records, not CDRs"
            ),
            header_rows,
        });
    }
    let found = fields::count_known(first, &HEADER_KEYS);
    if found >= 5
        && fields::find(first, &["datetimeorigination"]).is_some()
        && (fields::find(first, &["origcausevalue"]).is_some()
            || fields::find(first, &["destcausevalue"]).is_some())
    {
        return Some(Candidate {
            confidence: (0.5 + 0.04 * found as f32).min(0.98),
            reason: format!(
                "the header names Cisco CUCM CDR fields ({found} of 12 such as dateTimeOrigination, origCause_value, destCause_value){types_note}"
            ),
            header_rows,
        });
    }
    detect_headerless(sample)
}

/// Scores a sample without a header by the shape of its rows.
fn detect_headerless(sample: &[Vec<String>]) -> Option<Candidate> {
    let (cdr, n) = fields::share(sample, is_cdr_row);
    if cdr >= 0.6 {
        let width = common_width(sample, is_cdr_row)?;
        let layout = match LAYOUTS.iter().find(|(w, _)| *w == width) {
            Some((_, release)) => format!("the {release} layout"),
            None => "not one of Cisco's documented layouts; its first fields are".into(),
        };
        return Some(Candidate {
            confidence: if layout.starts_with("the") { 0.95 } else { 0.9 } * cdr,
            reason: format!(
                "no header; {:.0}% of {n} rows have the shape of Cisco CUCM CDRs: {width} fields ({layout} read by Cisco's documented positions), cdrRecordType 1, epoch-second times, integer causes",
                cdr * 100.0
            ),
            header_rows: 0,
        });
    }
    let (cmr, n) = fields::share(sample, is_cmr_row);
    (cmr >= 0.6).then(|| Candidate {
        confidence: 0.9 * cmr,
        reason: format!(
            "no header; {:.0}% of {n} rows have the shape of Cisco CUCM CMRs (cdrRecordType 2, a dateTimeStamp and packet counters): call management records, not CDRs",
            cmr * 100.0
        ),
        header_rows: 0,
    })
}

/// Builds the mapper from the names line, or from Cisco's field positions when the file has no
/// header; a CMR file is refused with [`CMR_MESSAGE`].
pub fn mapper(
    header: Option<&[String]>,
    sample: &[Vec<String>],
) -> Result<Box<dyn RowMapper>, String> {
    let (names, exact) = match header {
        Some(h) if is_cmr_header(h) => return Err(CMR_MESSAGE.into()),
        Some(h) => (h.to_vec(), true),
        None => {
            let Some(width) = common_width(sample, is_cdr_row) else {
                return Err(if common_width(sample, is_cmr_row).is_some() {
                    CMR_MESSAGE.into()
                } else {
                    "CUCM CDR files need their header lines, or rows of Cisco's documented CDR layout".into()
                });
            };
            // Only the positions that exist in the sample's layout (78-field rows have no IPs).
            let mut names = vec![String::new(); width.min(82)];
            for (i, name) in POSITIONS {
                if let Some(slot) = names.get_mut(i) {
                    *slot = name.to_string();
                }
            }
            (names, false)
        }
    };
    let h = names.as_slice();
    let f = |names: &[&str]| fields::find(h, names);
    let cols = Columns {
        record_type: f(&["cdrrecordtype"]),
        origination: f(&["datetimeorigination"])
            .ok_or("the CUCM header has no dateTimeOrigination column")?,
        connect: f(&["datetimeconnect"]),
        disconnect: f(&["datetimedisconnect"]),
        duration: f(&["duration"]),
        orig_cause: f(&["origcausevalue"]),
        dest_cause: f(&["destcausevalue"]),
        caller: f(&["callingpartynumber"]),
        final_called: f(&["finalcalledpartynumber"]),
        original_called: f(&["originalcalledpartynumber"]),
        orig_device: f(&["origdevicename"]),
        dest_device: f(&["destdevicename"]),
        orig_ip: f(&["origipv4v6addr"]),
        dest_ip: f(&["destipv4v6addr"]),
        call_id: f(&["globalcallidcallid", "pkid"]),
    };
    Ok(Box::new(CucmMapper {
        width: names.len(),
        exact,
        cols,
    }))
}

struct Columns {
    record_type: Option<Col>,
    origination: Col,
    connect: Option<Col>,
    disconnect: Option<Col>,
    duration: Option<Col>,
    orig_cause: Option<Col>,
    dest_cause: Option<Col>,
    caller: Option<Col>,
    final_called: Option<Col>,
    original_called: Option<Col>,
    orig_device: Option<Col>,
    dest_device: Option<Col>,
    orig_ip: Option<Col>,
    dest_ip: Option<Col>,
    call_id: Option<Col>,
}

struct CucmMapper {
    /// The header's field count; without a header, the fewest fields a row needs.
    width: usize,
    /// Whether rows must have exactly `width` fields (a header gives the layout).
    exact: bool,
    cols: Columns,
}

/// A cause value as Cisco documents it: a 32-bit integer, read as signed or unsigned (`None`
/// when the field is not such a number). An empty field is 0, no cause.
pub fn cause_value(text: &str) -> Option<i64> {
    let t = text.trim();
    if t.is_empty() || super::is_null_text(t) {
        return Some(0);
    }
    parse_i64(t).filter(|v| (i64::from(i32::MIN)..=i64::from(u32::MAX)).contains(v))
}

/// The cause that explains a call, and the side it came from (see the module notes).
pub fn final_cause(orig: i64, dest: i64) -> Option<(i64, EndDirection)> {
    if dest != 0 && dest != 16 {
        Some((dest, EndDirection::Callee))
    } else if orig != 0 && orig != 16 {
        Some((orig, EndDirection::Caller))
    } else if orig == 16 {
        Some((16, EndDirection::Caller))
    } else if dest == 16 {
        Some((16, EndDirection::Callee))
    } else {
        None
    }
}

/// The final code of a cause value: its number, or its decimal text when it does not fit
/// [`RawCode::Num`] (unsigned values from 2^31), so no value is ever truncated.
fn cause_code(value: i64, text: &str) -> RawCode<'_> {
    match i32::try_from(value) {
        Ok(n) => RawCode::Num(n),
        Err(_) => RawCode::Name(text),
    }
}

/// The Q.850 cause of a cause value: only 0–127 are Q.850, larger values are Cisco's own.
fn q850_of(value: i64) -> Option<u16> {
    u16::try_from(value).ok().filter(|&v| v <= 127)
}

impl RowMapper for CucmMapper {
    fn map<'r>(&mut self, row: &Row<'r>) -> Result<Mapped<'r>, RejectReason> {
        let c = &self.cols;
        if !self.exact && matches!(row.trimmed(0), "0" | "2") {
            // A CMR or start record among header-less CDRs (its own, shorter layout).
            return Ok(Mapped::Folded);
        }
        if (self.exact && row.len() != self.width) || row.len() < self.width {
            return Err(RejectReason::FieldCount {
                expected: self.width,
                found: row.len(),
            });
        }
        // Type 1 is the end-of-call record; 0 (start) and 2 (CMR) rows are not calls.
        if let Some(t) = fields::uint(row, &c.record_type)? {
            if t != 1 {
                return Ok(Mapped::Folded);
            }
        }
        let start = match fields::time(row, &Some(c.origination.clone()))? {
            Some((t, _)) => Some(t),
            None => return Err(RejectReason::missing(&c.origination.name)),
        };
        let answer = fields::time(row, &c.connect)?.map(|t| t.0);
        let end = fields::time(row, &c.disconnect)?.map(|t| t.0);
        let duration = fields::uint(row, &c.duration)?;
        let answered = if c.connect.is_some() {
            answer.is_some()
        } else {
            duration.unwrap_or(0) > 0
        };
        let cause = |col: &Option<Col>| -> Result<(i64, &'r str), RejectReason> {
            let Some(col) = col else { return Ok((0, "")) };
            let text = row.trimmed(col.index);
            cause_value(text)
                .map(|v| (v, text))
                .ok_or_else(|| RejectReason::bad_number(&col.name, text))
        };
        let (orig, dest) = (cause(&c.orig_cause)?, cause(&c.dest_cause)?);
        let decided = final_cause(orig.0, dest.0);
        let text_of = |v: i64| if v == dest.0 { dest.1 } else { orig.1 };
        let callee = match fields::text(row, &c.final_called) {
            "" => fields::text(row, &c.original_called),
            n => n,
        };
        Ok(Mapped::Call(Call {
            start_ms: start,
            answer_ms: answer,
            end_ms: end,
            answered,
            hold_s: if answered { duration.unwrap_or(0) } else { 0 },
            caller: fields::text(row, &c.caller),
            callee,
            ingress: fields::text(row, &c.orig_device),
            egress: fields::text(row, &c.dest_device),
            caller_ip: fields::text(row, &c.orig_ip),
            callee_ip: fields::text(row, &c.dest_ip),
            call_id: fields::text(row, &c.call_id),
            code: decided.map_or(RawCode::None, |(v, _)| cause_code(v, text_of(v))),
            code_system: Some(CodeSystem::Q850),
            q850: decided.and_then(|(v, _)| q850_of(v)),
            end_direction: decided.map(|(_, d)| d),
            ..Call::default()
        }))
    }

    fn time_basis(&self) -> TimeBasis {
        TimeBasis::Utc
    }
}

#[cfg(test)]
mod tests {
    use super::{cause_code, cause_value, final_cause, q850_of};
    use crate::call::EndDirection::{Callee, Caller};
    use crate::call::RawCode;

    #[test]
    fn picks_the_cause_that_explains_the_call() {
        assert_eq!(final_cause(0, 17), Some((17, Callee)));
        assert_eq!(final_cause(16, 0), Some((16, Caller)));
        assert_eq!(final_cause(0, 16), Some((16, Callee)));
        assert_eq!(final_cause(16, 34), Some((34, Callee)));
        assert_eq!(final_cause(41, 16), Some((41, Caller)));
        assert_eq!(final_cause(0, 0), None);
        assert_eq!(final_cause(0, 1_459_617_833), Some((1_459_617_833, Callee)));
    }

    #[test]
    fn keeps_32_bit_cause_values_whole() {
        assert_eq!(cause_value("1459617833"), Some(1_459_617_833));
        assert_eq!(cause_value("4294967295"), Some(4_294_967_295));
        assert_eq!(cause_value("-1"), Some(-1));
        assert_eq!(cause_value(""), Some(0));
        assert_eq!(cause_value("4294967296"), None);
        assert_eq!(cause_value("16x"), None);
        assert_eq!(cause_code(393_216, "393216"), RawCode::Num(393_216));
        assert_eq!(
            cause_code(3_000_000_000, "3000000000"),
            RawCode::Name("3000000000")
        );
        assert_eq!(q850_of(127), Some(127));
        assert_eq!(q850_of(128), None);
        assert_eq!(q850_of(393_216), None);
        assert_eq!(q850_of(-1), None);
    }
}
