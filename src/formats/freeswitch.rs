//! FreeSWITCH `mod_cdr_csv`: the default `example` template (15 columns, no header), the same
//! template extended with custom columns (no header: the first 15 are read by position, and the
//! five-column extension hangup_cause_q850, sip_hangup_disposition, sip_term_status,
//! sip_gateway_name, progress_mediasec is recognised), and custom templates with a header row
//! (columns matched by name).
//!
//! An attempt is answered when `answer_stamp` is set; talk time is `billsec`. The final code is
//! the `hangup_cause` name; the Q.850 value comes from `hangup_cause_q850` or from the name; the
//! SIP status from `sip_term_status` (which makes NER computable); PDD from `progresssec` /
//! `progress_mediasec` (the earlier of ringing and early media; whole seconds, `0` = none).
//!
//! End direction from `sip_hangup_disposition`. `mod_cdr_csv` writes the A leg by default
//! (`legs` = `a`), the leg to the caller, on which FreeSWITCH is the called side. So `recv_bye`
//! and `recv_cancel` mean the caller hung up or gave up ([`EndDirection::Caller`]); `send_bye`
//! means FreeSWITCH hung up on the caller, which it does when the callee hung up the bridged B
//! leg ([`EndDirection::Callee`]); `send_refuse` (the A leg refused with an error) is the
//! callee side's failure relayed when a gateway or SIP status is known
//! ([`EndDirection::Callee`]), else the switch's own refusal, such as no route
//! ([`EndDirection::Server`]); `recv_refuse` is the callee refusing ([`EndDirection::Callee`]);
//! `send_cancel` is FreeSWITCH cancelling a B leg because the caller left
//! ([`EndDirection::Caller`]).

use super::fields::{self, Col};
use super::generic::{ColumnMapping, ColumnRef, Unit};
use super::{Candidate, Mapped, Row, RowMapper};
use crate::call::{Call, CodeSystem, EndDirection, RawCode, TimeBasis};
use crate::codes;
use crate::reject::RejectReason;

/// The `example` template's columns, in order.
const EXAMPLE_COLUMNS: [&str; 15] = [
    "caller_id_name",
    "caller_id_number",
    "destination_number",
    "context",
    "start_stamp",
    "answer_stamp",
    "end_stamp",
    "duration",
    "billsec",
    "hangup_cause",
    "uuid",
    "bleg_uuid",
    "accountcode",
    "read_codec",
    "write_codec",
];

/// The five channel variables the common custom template appends to `example`.
const CUSTOM_EXTRA: [&str; 5] = [
    "hangup_cause_q850",
    "sip_hangup_disposition",
    "sip_term_status",
    "sip_gateway_name",
    "progress_mediasec",
];

/// Header names (normalized) that identify a FreeSWITCH custom template with a header row.
const HEADER_KEYS: [&str; 12] = [
    "hangupcause",
    "hangupcauseq850",
    "siptermstatus",
    "siphangupdisposition",
    "sipgatewayname",
    "startstamp",
    "answerstamp",
    "endstamp",
    "calleridnumber",
    "destinationnumber",
    "progressmediasec",
    "bleguuid",
];

/// Whether a value looks like a FreeSWITCH hangup cause name (`NORMAL_CLEARING`).
fn is_cause(v: &str) -> bool {
    let v = v.trim();
    codes::freeswitch_cause_q850(v).is_some()
        || (v.len() >= 4
            && v.contains('_')
            && v.bytes()
                .all(|b| b.is_ascii_uppercase() || b == b'_' || b.is_ascii_digit()))
}

fn is_disposition(v: &str) -> bool {
    let v = v.trim();
    v.is_empty() || v.starts_with("send_") || v.starts_with("recv_") || v == "none"
}

fn is_uint_or_empty(v: &str) -> bool {
    v.trim().is_empty() || fields::is_uint(v)
}

/// Whether a header-less record starts with the `example` template's columns.
fn is_example_row(r: &[String]) -> bool {
    r.len() >= 15
        && fields::is_datetime(&r[4])
        && fields::is_datetime_or_empty(&r[5])
        && fields::is_datetime_or_empty(&r[6])
        && fields::is_uint(&r[7])
        && fields::is_uint(&r[8])
        && is_cause(&r[9])
}

/// Whether a 20-column record carries the five known custom columns after `example`.
fn is_custom_row(r: &[String]) -> bool {
    r.len() == 20
        && is_example_row(r)
        && fields::is_uint(&r[15])
        && is_disposition(&r[16])
        && is_uint_or_empty(&r[17])
        && is_uint_or_empty(&r[19])
}

/// Scores a sample: a header naming FreeSWITCH channel variables, or header-less rows of the
/// `example` template (possibly extended).
pub fn detect(sample: &[Vec<String>]) -> Option<Candidate> {
    if let Some(c) = super::freeswitch_json::detect(sample) {
        return Some(c);
    }
    let first = sample.first()?;
    let found = fields::count_known(first, &HEADER_KEYS);
    if found >= 3 && fields::find(first, &["hangupcause"]).is_some() {
        return Some(Candidate {
            confidence: (0.5 + 0.06 * found as f32).min(0.98),
            reason: format!(
                "the header names FreeSWITCH channel variables ({found} of 12 such as hangup_cause, start_stamp, sip_term_status): a mod_cdr_csv custom template"
            ),
            header_rows: 1,
        });
    }
    let width = first.len();
    let (custom, n) = fields::share(sample, is_custom_row);
    if custom >= 0.6 {
        return Some(Candidate {
            confidence: 0.95 * custom,
            reason: format!(
                "no header; {:.0}% of {n} rows have the FreeSWITCH mod_cdr_csv example template (start/answer/end stamps in columns 5–7, a hangup cause such as NORMAL_CLEARING in column 10) plus hangup_cause_q850, sip_hangup_disposition, sip_term_status, sip_gateway_name and progress_mediasec",
                custom * 100.0
            ),
            header_rows: 0,
        });
    }
    let (example, n) = fields::share(sample, is_example_row);
    if example < 0.6 {
        return None;
    }
    let extra = if width > 15 {
        format!("; the {} extra columns are not read", width - 15)
    } else {
        String::new()
    };
    Some(Candidate {
        confidence: if width == 15 { 0.95 } else { 0.75 } * example,
        reason: format!(
            "no header; {:.0}% of {n} rows have the FreeSWITCH mod_cdr_csv example template ({width} columns, start/answer/end stamps in columns 5–7, a hangup cause such as NORMAL_CLEARING in column 10){extra}",
            example * 100.0
        ),
        header_rows: 0,
    })
}

/// Builds the mapper: by header names, or by the template's positions.
pub fn mapper(
    header: Option<&[String]>,
    sample: &[Vec<String>],
) -> Result<Box<dyn RowMapper>, String> {
    if header.is_some() && super::freeswitch_json::detect(sample).is_some() {
        return super::freeswitch_json::mapper(header);
    }
    let (cols, width) = match header {
        Some(h) => (Columns::from_header(h)?, h.len()),
        None => {
            let width = sample.first().map_or(15, |r| r.len()).max(15);
            let custom = width == 20 && sample.iter().filter(|r| is_custom_row(r)).count() > 0;
            let names: Vec<String> = EXAMPLE_COLUMNS
                .iter()
                .chain(if custom { &CUSTOM_EXTRA[..] } else { &[] })
                .map(|s| s.to_string())
                .collect();
            (Columns::from_header(&names)?, width)
        }
    };
    Ok(Box::new(FreeswitchMapper { width, cols }))
}

struct Columns {
    caller: Option<Col>,
    callee: Option<Col>,
    account: Option<Col>,
    start: Option<Col>,
    answer: Option<Col>,
    end: Option<Col>,
    billsec: Option<Col>,
    billmsec: Option<Col>,
    cause: Col,
    q850: Option<Col>,
    disposition: Option<Col>,
    term_status: Option<Col>,
    gateway: Option<Col>,
    progress: Option<Col>,
    progress_ms: Option<Col>,
    progress_media: Option<Col>,
    progress_media_ms: Option<Col>,
    uuid: Option<Col>,
    caller_ip: Option<Col>,
    /// Times are epoch stamps (`*_epoch`), not local datetimes.
    epoch: bool,
}

impl Columns {
    fn from_header(h: &[String]) -> Result<Self, String> {
        let f = |names: &[&str]| fields::find(h, names);
        let stamp = f(&["startstamp"]).is_some() || f(&["endstamp"]).is_some();
        let (start, answer, end) = if stamp {
            (f(&["startstamp"]), f(&["answerstamp"]), f(&["endstamp"]))
        } else {
            (f(&["startepoch"]), f(&["answerepoch"]), f(&["endepoch"]))
        };
        Ok(Columns {
            caller: f(&["calleridnumber", "callernumber", "ani"]),
            callee: f(&["destinationnumber", "calleridnumberb", "dialednumber"]),
            account: f(&["accountcode"]),
            epoch: !stamp && (start.is_some() || end.is_some()),
            start,
            answer,
            end,
            billsec: f(&["billsec"]),
            billmsec: f(&["billmsec"]),
            cause: f(&["hangupcause"]).ok_or("the FreeSWITCH header has no hangup_cause column")?,
            q850: f(&["hangupcauseq850"]),
            disposition: f(&["siphangupdisposition"]),
            term_status: f(&["siptermstatus"]),
            gateway: f(&["sipgatewayname", "gatewayname", "lastbridgegateway"]),
            progress: f(&["progresssec"]),
            progress_ms: f(&["progressmsec"]),
            progress_media: f(&["progressmediasec"]),
            progress_media_ms: f(&["progressmediamsec"]),
            uuid: f(&["uuid", "calluuid"]),
            caller_ip: f(&["networkaddr", "sipnetworkip", "sipreceivedip"]),
        })
    }
}

struct FreeswitchMapper {
    width: usize,
    cols: Columns,
}

/// The end direction a `sip_hangup_disposition` means on the A leg (see the module notes).
pub(crate) fn end_direction(disposition: &str, relayed: bool) -> Option<EndDirection> {
    match disposition.trim() {
        "recv_bye" | "recv_cancel" | "send_cancel" => Some(EndDirection::Caller),
        "send_bye" | "recv_refuse" => Some(EndDirection::Callee),
        "send_refuse" if relayed => Some(EndDirection::Callee),
        "send_refuse" => Some(EndDirection::Server),
        _ => None,
    }
}

impl RowMapper for FreeswitchMapper {
    fn map<'r>(&mut self, row: &Row<'r>) -> Result<Mapped<'r>, RejectReason> {
        if row.len() != self.width {
            return Err(RejectReason::FieldCount {
                expected: self.width,
                found: row.len(),
            });
        }
        let c = &self.cols;
        let cause = row.trimmed(c.cause.index);
        let start = fields::time(row, &c.start)?.map(|t| t.0);
        let answer = fields::time(row, &c.answer)?.map(|t| t.0);
        let end = fields::time(row, &c.end)?.map(|t| t.0);
        let hold_s = match (fields::uint(row, &c.billsec)?, &c.billmsec) {
            (Some(s), _) => s,
            (None, Some(_)) => fields::uint(row, &c.billmsec)?.map_or(0, |ms| ms / 1000),
            (None, None) => 0,
        };
        let answered = if c.answer.is_some() {
            answer.is_some()
        } else {
            hold_s > 0
        };
        let q850 = match &c.q850 {
            Some(col) if !row.trimmed(col.index).is_empty() => {
                let v = row.trimmed(col.index);
                Some(
                    super::values::parse_u32(v)
                        .and_then(|n| u16::try_from(n).ok())
                        .ok_or_else(|| RejectReason::bad_number(&col.name, v))?,
                )
            }
            _ => codes::freeswitch_cause_q850(cause),
        };
        let sip_code = match &c.term_status {
            None => None,
            Some(col) => {
                let v = row.trimmed(col.index);
                if v.is_empty() {
                    answered.then_some(200)
                } else {
                    Some(
                        super::values::parse_u32(v)
                            .and_then(|n| u16::try_from(n).ok())
                            .filter(|n| (100..700).contains(n))
                            .ok_or_else(|| RejectReason::bad_number(&col.name, v))?,
                    )
                }
            }
        };
        let secs_or_ms = |secs: &Option<Col>, ms: &Option<Col>| -> Result<Option<u64>, _> {
            Ok(match fields::uint(row, ms)? {
                Some(v) => Some(u64::from(v)),
                None => fields::seconds_ms(row, secs)?,
            }
            .filter(|&v| v > 0))
        };
        let ringing = secs_or_ms(&c.progress, &c.progress_ms)?;
        let media = secs_or_ms(&c.progress_media, &c.progress_media_ms)?;
        let pdd_ms = match (ringing, media) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
        .and_then(|v| u32::try_from(v).ok());
        let egress = fields::text(row, &c.gateway);
        let relayed = !egress.is_empty() || sip_code.is_some();
        Ok(Mapped::Call(Call {
            start_ms: start,
            answer_ms: answer,
            end_ms: end,
            answered,
            hold_s,
            pdd_ms,
            caller: fields::text(row, &c.caller),
            callee: fields::text(row, &c.callee),
            ingress: fields::text(row, &c.account),
            egress,
            account: fields::text(row, &c.account),
            caller_ip: fields::text(row, &c.caller_ip),
            call_id: fields::text(row, &c.uuid),
            code: if cause.is_empty() {
                RawCode::None
            } else {
                RawCode::Name(cause)
            },
            code_system: Some(CodeSystem::FreeSwitch),
            sip_code,
            q850,
            end_direction: end_direction(fields::text(row, &c.disposition), relayed),
            ..Call::default()
        }))
    }

    fn time_basis(&self) -> TimeBasis {
        if self.cols.epoch {
            TimeBasis::Utc
        } else {
            TimeBasis::NaiveLocal
        }
    }

    fn generic_mapping(&self) -> Option<ColumnMapping> {
        let c = &self.cols;
        let ms = c.billsec.is_none() && c.billmsec.is_some();
        Some(ColumnMapping {
            time_basis: Some(self.time_basis()),
            start: ColumnRef::of(&c.start),
            answer: ColumnRef::of(&c.answer),
            end: ColumnRef::of(&c.end),
            duration: ColumnRef::of(if ms { &c.billmsec } else { &c.billsec }),
            duration_unit: if ms { Unit::Ms } else { Unit::S },
            caller: ColumnRef::of(&c.caller),
            callee: ColumnRef::of(&c.callee),
            egress: ColumnRef::of(&c.gateway),
            account: ColumnRef::of(&c.account),
            call_id: ColumnRef::of(&c.uuid),
            code: ColumnRef::at(Some(c.cause.index)),
            code_system: Some(CodeSystem::FreeSwitch.as_str().to_string()),
            ..ColumnMapping::default()
        })
    }
}
