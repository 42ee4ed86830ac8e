//! Carrier / CPaaS call logs (Twilio, Plivo, Vonage), read from their documented columns.
//!
//! Each is what an operator downloads from the carrier's API or console: one call per record.
//! - Twilio REST API 2010-04-01 `Calls` (one call object, or a page with `calls`): `sid`,
//!   `status` (`queued`, `ringing`, `in-progress`, `completed`, `busy`, `failed`, `no-answer`,
//!   `canceled`), `direction`, `duration` (seconds), `price` (negative: charged), `to`, `from`,
//!   `start_time`/`end_time` in RFC 2822 (`Tue, 31 Aug 2010 20:36:29 +0000`).
//! - Plivo v1 Call (CDR) resource (an object, or a page with `objects`): no status;
//!   `answer_time` empty when unanswered, `call_duration` and `bill_duration` seconds,
//!   `to_number`/`from_number`, `total_amount`, times `2015-07-26 15:45:02+05:30`.
//! - Vonage Voice API `GET /v1/calls` (calls under `_embedded.calls`): `uuid`, `status`
//!   (`started`, `ringing`, `answered`, `machine`, `completed`, `busy`, `cancelled`, `failed`,
//!   `rejected`, `timeout`, `unanswered`), `direction`, `duration`, `price`, `to` and `from`
//!   as objects holding `number`, ISO 8601 UTC times.
//!
//! Answered: the status is a word that means answered (`completed`, `answered`: the outcome
//! module's word table); without a status column, talk time above zero. The status is the final
//! code, as a [`CodeSystem::Text`] word. The price is what the carrier charged the operator:
//! the cost, as a fixed-point amount without its sign. Times with an offset or `Z` are UTC
//! instants.

use super::fields::{self, Col};
use super::values::{days_from_civil, parse_datetime_ms, parse_hms, parse_seconds_to_ms};
use super::{Candidate, Mapped, Row, RowMapper};
use crate::call::{Call, CodeSystem, RawCode, TimeBasis};
use crate::money::Money;
use crate::outcome::tables::text_means_answered;
use crate::reject::RejectReason;

/// The columns of each carrier (normalized names) that together name it, and its name.
const CARRIERS: [(&str, &[&str]); 3] = [
    (
        "Twilio",
        &[
            "sid",
            "accountsid",
            "status",
            "direction",
            "duration",
            "price",
            "to",
            "from",
        ],
    ),
    (
        "Plivo",
        &[
            "calluuid",
            "callduration",
            "billduration",
            "tonumber",
            "fromnumber",
            "calldirection",
            "answertime",
            "totalamount",
        ],
    ),
    (
        "Vonage",
        &[
            "uuid",
            "conversationuuid",
            "status",
            "direction",
            "duration",
            "price",
            "to",
            "from",
        ],
    ),
];

/// Scores a sample by its header: most of one carrier's documented columns.
pub fn detect(sample: &[Vec<String>]) -> Option<Candidate> {
    let header = sample.first()?;
    let (name, keys) = CARRIERS
        .iter()
        .max_by_key(|(_, keys)| fields::count_known(header, keys))?;
    let found = fields::count_known(header, keys);
    let has_duration = fields::find(header, &["duration", "callduration"]).is_some();
    (found >= 6 && has_duration).then(|| Candidate {
        confidence: (0.5 + 0.05 * found as f32).min(0.95),
        reason: format!(
            "the header names {found} of {} documented columns of a {name} call log ({})",
            keys.len(),
            keys.join(", ")
        ),
        header_rows: 1,
    })
}

/// Builds the mapper from the header.
pub fn mapper(header: Option<&[String]>) -> Result<Box<dyn RowMapper>, String> {
    let h = header.ok_or("a carrier call log needs its header row")?;
    fields::require(
        h,
        &[
            (&["duration", "callduration"], "duration"),
            (&["to", "tonumber"], "to (or to_number)"),
        ],
        "the carrier call log",
    )?;
    let f = |names: &[&str]| fields::find(h, names);
    Ok(Box::new(CarrierMapper {
        width: h.len(),
        duration: f(&["duration", "callduration"])
            .ok_or("the carrier call log has no duration column")?,
        status: f(&["status", "callstatus"]),
        call_id: f(&["sid", "callsid", "calluuid", "uuid"]),
        to: Some(
            f(&["to", "tonumber"]).ok_or("the carrier call log has no to (or to_number) column")?,
        ),
        from: f(&["from", "fromnumber"]),
        start: f(&["starttime", "initiationtime"]),
        answer: f(&["answertime"]),
        end: f(&["endtime"]),
        price: f(&["price", "totalamount"]),
    }))
}

/// Reads carrier call-log records by their header.
struct CarrierMapper {
    width: usize,
    duration: Col,
    status: Option<Col>,
    call_id: Option<Col>,
    to: Option<Col>,
    from: Option<Col>,
    start: Option<Col>,
    answer: Option<Col>,
    end: Option<Col>,
    price: Option<Col>,
}

/// A number as a carrier writes it: the text, or the `number` of a JSON object such as
/// Vonage's `{"number":"447700900000","type":"phone"}`.
fn number<'r>(row: &Row<'r>, col: &Option<Col>) -> &'r str {
    let v = fields::text(row, col);
    if !v.starts_with('{') {
        return v;
    }
    // The JSON reader writes nested objects compactly: `"number":"…"` with no spaces.
    v.split_once("\"number\":\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map_or("", |(n, _)| n)
}

/// Milliseconds of a UTC offset `+hh:mm`, `+hhmm` or `Z` at the end of a time, and the time
/// without it.
fn split_offset(t: &str) -> (&str, i64) {
    if let Some(rest) = t.strip_suffix('Z') {
        return (rest, 0);
    }
    let b = t.as_bytes();
    for len in [6usize, 5] {
        if b.len() > len + 10 {
            let (head, off) = t.split_at(t.len() - len);
            let sign = match off.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => continue,
            };
            let digits: String = off[1..].chars().filter(|c| *c != ':').collect();
            if digits.len() == 4 && digits.bytes().all(|c| c.is_ascii_digit()) {
                let h: i64 = digits[..2].parse().unwrap_or(0);
                let m: i64 = digits[2..].parse().unwrap_or(0);
                return (head.trim_end(), sign * (h * 60 + m) * 60_000);
            }
        }
    }
    (t, 0)
}

/// An RFC 2822 date without its offset (`Tue, 31 Aug 2010 20:36:29`), in ms as UTC.
fn parse_rfc2822_ms(t: &str) -> Option<i64> {
    let t = t.split_once(',').map_or(t, |(_, rest)| rest).trim();
    let mut parts = t.split_ascii_whitespace();
    let day: u32 = parts.next()?.parse().ok()?;
    let month = parts.next()?.to_ascii_lowercase();
    let year: i64 = parts.next()?.parse().ok()?;
    let clock = parts.next()?;
    let month = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .iter()
    .position(|m| *m == month)? as u32
        + 1;
    let mut hms = clock.split(':').map(|x| x.parse::<i64>().ok());
    let (h, mi, s) = (
        hms.next()??,
        hms.next()??,
        hms.next().flatten().unwrap_or(0),
    );
    if day == 0 || day > 31 || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400_000 + ((h * 60 + mi) * 60 + s) * 1000)
}

/// A carrier time as a UTC instant in ms; `None` when empty.
fn time(row: &Row<'_>, col: &Option<Col>) -> Result<Option<i64>, RejectReason> {
    let Some(c) = col else { return Ok(None) };
    let v = row.trimmed(c.index);
    if v.is_empty() {
        return Ok(None);
    }
    let (clock, offset) = split_offset(v);
    parse_datetime_ms(clock)
        .or_else(|| parse_rfc2822_ms(clock))
        .map(|t| Some(t - offset))
        .ok_or_else(|| RejectReason::bad_time(&c.name, v))
}

impl RowMapper for CarrierMapper {
    fn map<'r>(&mut self, row: &Row<'r>) -> Result<Mapped<'r>, RejectReason> {
        if row.len() != self.width {
            return Err(RejectReason::FieldCount {
                expected: self.width,
                found: row.len(),
            });
        }
        let d = row.trimmed(self.duration.index);
        let talk = match d {
            "" => 0,
            v => parse_seconds_to_ms(v)
                .map(|ms| u32::try_from((ms + 500) / 1000).unwrap_or(u32::MAX))
                .or_else(|| parse_hms(v))
                .ok_or_else(|| RejectReason::bad_number(&self.duration.name, v))?,
        };
        let status = fields::text(row, &self.status);
        let answered = match &self.status {
            Some(_) => text_means_answered(status),
            None => talk > 0,
        };
        let cost = match fields::text(row, &self.price) {
            "" => None,
            v => {
                let c = self.price.as_ref().map_or("price", |c| c.name.as_str());
                Some(
                    Money::parse(v.trim_start_matches('-'))
                        .ok_or_else(|| RejectReason::bad_number(c, v))?,
                )
            }
        };
        Ok(Mapped::Call(Call {
            start_ms: time(row, &self.start)?,
            answer_ms: time(row, &self.answer)?,
            end_ms: time(row, &self.end)?,
            answered,
            hold_s: if answered { talk } else { 0 },
            caller: number(row, &self.from),
            callee: number(row, &self.to),
            // The carriers document their numbers as E.164 (Plivo and Vonage without the `+`),
            // so 14153268174 is a US number, not a national one.
            callee_international: true,
            call_id: fields::text(row, &self.call_id),
            code: if status.is_empty() {
                RawCode::None
            } else {
                RawCode::Name(status)
            },
            code_system: (!status.is_empty()).then_some(CodeSystem::Text),
            cost: cost.map(|(m, _)| m),
            money_decimals: cost.map_or(0, |(_, d)| d),
            ..Call::default()
        }))
    }

    fn time_basis(&self) -> TimeBasis {
        TimeBasis::Utc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_carrier_times_as_utc_instants() {
        let base = parse_datetime_ms("2010-08-31 20:36:29").unwrap();
        let (clock, off) = split_offset("Tue, 31 Aug 2010 20:36:29 +0000");
        assert_eq!((parse_rfc2822_ms(clock), off), (Some(base), 0));
        let (clock, off) = split_offset("2010-08-31 20:36:29+05:30");
        assert_eq!(
            parse_datetime_ms(clock).map(|t| t - off),
            Some(base - 19_800_000)
        );
        let (clock, off) = split_offset("2010-08-31T20:36:29.000Z");
        assert_eq!((parse_datetime_ms(clock), off), (Some(base), 0));
    }
}
