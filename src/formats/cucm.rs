//! Cisco CUCM CDR flat files: a line of column names, a line of column types (`INTEGER`,
//! `VARCHAR(50)`, …), then one row per call, columns matched by name.
//!
//! Times (`dateTimeOrigination`, `dateTimeConnect`, `dateTimeDisconnect`) are UTC epoch
//! seconds; `dateTimeConnect` = 0 means the call never connected. `duration` is connect →
//! disconnect in seconds. `origCause_value` and `destCause_value` are Q.850 causes of the
//! originating and the destination side's release; 0 means that side did not clear the call.
//!
//! The final code is the cause that explains the call: a destination cause other than 16
//! (normal clearing) first, then an originating cause other than 16, then 16 from whichever
//! side hung up. Its side is the end direction. An unanswered call the caller cleared with 16
//! is a caller abandon (`cancelled`, see `crate::outcome`). CUCM CDRs carry no SIP status, so NER is not
//! computed from them.

use super::fields::{self, Col};
use super::{Candidate, Mapped, Row, RowMapper};
use crate::call::{Call, CodeSystem, EndDirection, RawCode, TimeBasis};
use crate::ingest::RejectReason;

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

/// Scores a sample: CUCM when the first row names its key columns.
pub fn detect(sample: &[Vec<String>]) -> Option<Candidate> {
    let first = sample.first()?;
    let found = fields::count_known(first, &HEADER_KEYS);
    if found < 5
        || fields::find(first, &["datetimeorigination"]).is_none()
        || (fields::find(first, &["origcausevalue"]).is_none()
            && fields::find(first, &["destcausevalue"]).is_none())
    {
        return None;
    }
    let types = sample.get(1).is_some_and(|r| is_types_row(r));
    Some(Candidate {
        confidence: (0.5 + 0.04 * found as f32).min(0.98),
        reason: format!(
            "the header names Cisco CUCM CDR fields ({found} of 12 such as dateTimeOrigination, origCause_value, destCause_value){}",
            if types {
                ", followed by the line of column types"
            } else {
                ""
            }
        ),
        header_rows: if types { 2 } else { 1 },
    })
}

/// Builds the mapper from the names line.
pub fn mapper(header: Option<&[String]>) -> Result<Box<dyn RowMapper>, String> {
    let h = header.ok_or("CUCM CDR files need their header lines")?;
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
        width: h.len(),
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
    width: usize,
    cols: Columns,
}

/// The cause that explains a call, and the side it came from (see the module notes).
pub fn final_cause(orig: u16, dest: u16) -> Option<(u16, EndDirection)> {
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

impl RowMapper for CucmMapper {
    fn map<'r>(&mut self, row: &Row<'r>) -> Result<Mapped<'r>, RejectReason> {
        if row.len() != self.width {
            return Err(RejectReason::FieldCount {
                expected: self.width,
                found: row.len(),
            });
        }
        let c = &self.cols;
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
        let cause = |col: &Option<Col>| -> Result<u16, RejectReason> {
            match fields::uint(row, col)? {
                None => Ok(0),
                Some(v) => u16::try_from(v).map_err(|_| {
                    let col = col.as_ref().map_or("", |c| c.name.as_str());
                    RejectReason::bad_number(col, &v.to_string())
                }),
            }
        };
        let (orig, dest) = (cause(&c.orig_cause)?, cause(&c.dest_cause)?);
        let decided = final_cause(orig, dest);
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
            code: decided.map_or(RawCode::None, |(q, _)| RawCode::Num(i32::from(q))),
            code_system: Some(CodeSystem::Q850),
            q850: decided.map(|(q, _)| q),
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
    use super::final_cause;
    use crate::call::EndDirection::{Callee, Caller};

    #[test]
    fn picks_the_cause_that_explains_the_call() {
        assert_eq!(final_cause(0, 17), Some((17, Callee)));
        assert_eq!(final_cause(16, 0), Some((16, Caller)));
        assert_eq!(final_cause(0, 16), Some((16, Callee)));
        assert_eq!(final_cause(16, 34), Some((34, Callee)));
        assert_eq!(final_cause(41, 16), Some((41, Caller)));
        assert_eq!(final_cause(0, 0), None);
    }
}
