//! 3CX Phone System: the CDR service's records and the web client's call report export.
//!
//! **CDR service** ("CDR - Call Data Records", 3cx.com/docs/cdr-call-data-records; the field
//! list also at tim4biz.com/pbx/3cx): one record per call, no header line, written to
//! `cdr.log`, to one file per call, or to a TCP socket. The fields and their order are chosen
//! in the management console; cdrscope reads the documented list in its documented order,
//! the one the corpus file and the CDR tools built on it use: `historyid` (written `Call
//! 288831`), `callid`, `duration`, `time-start`, `time-answered`, `time-end`,
//! `reason-terminated`, `from-no`, `to-no`, `from-dn`, `to-dn`, `dial-no`, `reason-changed`,
//! `final-number`, `final-dn`, `bill-code`, `bill-rate`, `bill-cost`, `bill-name`, `chain`,
//! `from-type`, `to-type`, `final-type`, `from-dispname`, `to-dispname`, `final-dispname`,
//! `missed-queue-calls`. `duration` is the talk time as `hh:mm:ss`; times are local
//! `yyyy/mm/dd hh:mm:ss`. Answered: `time-answered` is set, else talk time > 0. The final code
//! is `reason-terminated` (`TerminatedBySrc`, `TerminatedByDst`, `Failed_Cancelled`,
//! `NoRouteExists`, …); its outcome on an unanswered call is table 1.5 of docs/outcomes.md.
//! The called number is `dial-no`, else `to-no`; a trunk (type `Line`) on either side is the
//! ingress or egress gateway, by its DN; `bill-cost` is the fee.
//!
//! **Call report export** (v20 web client, Call Reports → export to CSV): a header `Call Time,
//! Caller ID, Destination, Trunk, Trunk number, Did, Status, Ringing, Talking, Total Duration,
//! …`, ISO local times, `h:mm:ss` durations, and a closing `Totals,…` line that is no call
//! (counted with the header rows). Answered is `Status` = `Answered`: queue rows marked
//! `Unanswered` still show a few seconds of `Talking`. The called number is `Did` (`Destination`
//! names the queue or extension that took it); the `Trunk` is the gateway.

use super::fields::{self, Col};
use super::values::{parse_datetime_ms, parse_hms};
use super::{Candidate, Mapped, Row, RowMapper};
use crate::call::{Call, CodeSystem, RawCode, TimeBasis};
use crate::money::Money;
use crate::reject::RejectReason;

/// The CDR service fields cdrscope reads, at their documented (default) positions.
const HISTORYID: usize = 0;
const CALLID: usize = 1;
const DURATION: usize = 2;
const TIME_START: usize = 3;
const TIME_ANSWERED: usize = 4;
const TIME_END: usize = 5;
const REASON: usize = 6;
const FROM_NO: usize = 7;
const TO_NO: usize = 8;
const FROM_DN: usize = 9;
const TO_DN: usize = 10;
const DIAL_NO: usize = 11;
const FINAL_DN: usize = 14;
const BILL_COST: usize = 17;
const FROM_TYPE: usize = 20;
const TO_TYPE: usize = 21;
const FINAL_TYPE: usize = 22;

/// The fewest fields a CDR service record needs: up to `dial-no`.
const MIN_FIELDS: usize = DIAL_NO + 1;

/// Header names (normalized) of the v20 call report export.
const REPORT_KEYS: [&str; 10] = [
    "calltime",
    "callerid",
    "destination",
    "trunk",
    "trunknumber",
    "did",
    "status",
    "ringing",
    "talking",
    "totalduration",
];

/// Whether a field is a CDR service `historyid`: `Call` and a number.
fn is_history_id(v: &str) -> bool {
    v.trim()
        .strip_prefix("Call ")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether a header-less row has the shape of a CDR service record in the documented order.
fn is_cdr_row(r: &[String]) -> bool {
    r.len() >= MIN_FIELDS
        && is_history_id(&r[HISTORYID])
        && parse_hms(&r[DURATION]).is_some()
        && parse_datetime_ms(&r[TIME_START]).is_some()
        && fields::is_datetime_or_empty(&r[TIME_ANSWERED])
        && parse_datetime_ms(&r[TIME_END]).is_some()
}

/// Scores a sample: a call report header, or header-less CDR service records.
pub fn detect(sample: &[Vec<String>]) -> Option<Candidate> {
    let first = sample.first()?;
    let found = fields::count_known(first, &REPORT_KEYS);
    if found >= 6
        && ["calltime", "status", "talking"]
            .iter()
            .all(|k| fields::find(first, &[k]).is_some())
    {
        return Some(Candidate {
            confidence: (0.5 + 0.05 * found as f32).min(0.98),
            reason: format!(
                "the header names the columns of a 3CX call report export ({found} of 10 such as Call Time, Caller ID, Did, Status, Talking)"
            ),
            header_rows: 1,
        });
    }
    let (share, n) = fields::share(sample, is_cdr_row);
    (share >= 0.6).then(|| Candidate {
        confidence: 0.95 * share,
        reason: format!(
            "no header; {:.0}% of {n} rows are 3CX CDR service records (\"Call <historyid>\", callid, hh:mm:ss duration, start, answer and end times, in 3CX's documented field order)",
            share * 100.0
        ),
        header_rows: 0,
    })
}

/// Builds the mapper: the call report by its header, or the CDR service's field order.
pub fn mapper(header: Option<&[String]>) -> Result<Box<dyn RowMapper>, String> {
    match header {
        Some(h) => {
            fields::require(
                h,
                &[
                    (&["calltime"], "Call Time"),
                    (&["status"], "Status"),
                    (&["talking"], "Talking"),
                ],
                "the 3CX call report",
            )?;
            let f = |names: &[&str]| fields::find(h, names);
            let need = |name: &str, shown: &str| {
                f(&[name]).ok_or_else(|| format!("the 3CX call report has no {shown} column"))
            };
            Ok(Box::new(ReportMapper {
                width: h.len(),
                time: need("calltime", "Call Time")?,
                status: need("status", "Status")?,
                talking: need("talking", "Talking")?,
                caller: f(&["callerid"]),
                did: f(&["did"]),
                destination: f(&["destination"]),
                trunk: f(&["trunk"]),
                ringing: f(&["ringing"]),
                total: f(&["totalduration"]),
            }))
        }
        None => Ok(Box::new(CdrMapper)),
    }
}

/// Reads the CDR service's records.
struct CdrMapper;

/// The DN of a trunk (a `Line`) among a record's parties, for the gateway columns.
fn line_dn<'r>(row: &Row<'r>, parties: &[(usize, usize)]) -> &'r str {
    parties
        .iter()
        .find(|&&(ty, _)| row.trimmed(ty).eq_ignore_ascii_case("line"))
        .map_or("", |&(_, dn)| row.trimmed(dn))
}

impl RowMapper for CdrMapper {
    fn map<'r>(&mut self, row: &Row<'r>) -> Result<Mapped<'r>, RejectReason> {
        if row.len() < MIN_FIELDS {
            return Err(RejectReason::FieldCount {
                expected: MIN_FIELDS,
                found: row.len(),
            });
        }
        let time = |i: usize, name: &str| -> Result<Option<i64>, RejectReason> {
            let v = row.trimmed(i);
            if v.is_empty() {
                return Ok(None);
            }
            parse_datetime_ms(v)
                .map(Some)
                .ok_or_else(|| RejectReason::bad_time(name, v))
        };
        let start = time(TIME_START, "time-start")?;
        if start.is_none() {
            return Err(RejectReason::missing("time-start"));
        }
        let answer = time(TIME_ANSWERED, "time-answered")?;
        let end = time(TIME_END, "time-end")?;
        let talk = match row.trimmed(DURATION) {
            "" => 0,
            v => parse_hms(v).ok_or_else(|| RejectReason::bad_number("duration", v))?,
        };
        let answered = answer.is_some() || talk > 0;
        let fee = match row.trimmed(BILL_COST) {
            "" => None,
            v => Some(Money::parse(v).ok_or_else(|| RejectReason::bad_number("bill-cost", v))?),
        };
        let callee = match row.trimmed(DIAL_NO) {
            "" => row.trimmed(TO_NO),
            n => n,
        };
        let reason = row.trimmed(REASON);
        Ok(Mapped::Call(Call {
            start_ms: start,
            answer_ms: answer,
            end_ms: end,
            answered,
            hold_s: if answered { talk } else { 0 },
            caller: row.trimmed(FROM_NO),
            callee,
            ingress: line_dn(row, &[(FROM_TYPE, FROM_DN)]),
            egress: line_dn(row, &[(FINAL_TYPE, FINAL_DN), (TO_TYPE, TO_DN)]),
            call_id: row.trimmed(CALLID),
            code: if reason.is_empty() {
                RawCode::None
            } else {
                RawCode::Name(reason)
            },
            code_system: Some(CodeSystem::ThreeCx),
            fee: fee.map(|(m, _)| m),
            money_decimals: fee.map_or(0, |(_, d)| d),
            ..Call::default()
        }))
    }

    fn time_basis(&self) -> TimeBasis {
        TimeBasis::NaiveLocal
    }
}

/// Reads the web client's call report export by its header.
struct ReportMapper {
    width: usize,
    time: Col,
    status: Col,
    talking: Col,
    caller: Option<Col>,
    did: Option<Col>,
    destination: Option<Col>,
    trunk: Option<Col>,
    ringing: Option<Col>,
    total: Option<Col>,
}

/// Seconds of an optional `h:mm:ss` column; `None` when absent or empty.
fn hms(row: &Row<'_>, col: &Option<Col>) -> Result<Option<u32>, RejectReason> {
    let Some(c) = col else { return Ok(None) };
    match row.trimmed(c.index) {
        "" => Ok(None),
        v => parse_hms(v)
            .map(Some)
            .ok_or_else(|| RejectReason::bad_number(&c.name, v)),
    }
}

impl RowMapper for ReportMapper {
    fn map<'r>(&mut self, row: &Row<'r>) -> Result<Mapped<'r>, RejectReason> {
        if row.trimmed(0).eq_ignore_ascii_case("totals") {
            // The report's closing line sums the calls above it; it is no call.
            return Ok(Mapped::NotData);
        }
        if row.len() != self.width {
            return Err(RejectReason::FieldCount {
                expected: self.width,
                found: row.len(),
            });
        }
        let start = match fields::time(row, &Some(self.time.clone()))? {
            Some((t, _)) => t,
            None => return Err(RejectReason::missing(&self.time.name)),
        };
        let status = row.trimmed(self.status.index);
        let answered = status.eq_ignore_ascii_case("answered");
        let talk = hms(row, &Some(self.talking.clone()))?.unwrap_or(0);
        let ringing = hms(row, &self.ringing)?;
        let total = hms(row, &self.total)?;
        let after = |s: Option<u32>| s.map(|s| start + i64::from(s) * 1000);
        let callee = match fields::text(row, &self.did) {
            "" => fields::text(row, &self.destination),
            n => n,
        };
        Ok(Mapped::Call(Call {
            start_ms: Some(start),
            answer_ms: if answered { after(ringing) } else { None },
            end_ms: after(total),
            answered,
            hold_s: if answered { talk } else { 0 },
            caller: fields::text(row, &self.caller),
            callee,
            egress: fields::text(row, &self.trunk),
            code: if status.is_empty() {
                RawCode::None
            } else {
                RawCode::Name(status)
            },
            code_system: Some(CodeSystem::ThreeCx),
            ..Call::default()
        }))
    }

    fn time_basis(&self) -> TimeBasis {
        TimeBasis::NaiveLocal
    }
}
