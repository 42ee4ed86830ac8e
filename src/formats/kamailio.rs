//! Kamailio / OpenSIPS `acc` rows: one row per SIP transaction (`method`, `from_tag`, `to_tag`,
//! `callid`, `sip_code`, `sip_reason`, `time`, plus the extra columns sites add, such as
//! `src_user`, `src_ip`, `dst_ouser`, `dst_user`, `dst_domain`, and OpenSIPS CDR mode's
//! `duration`, `setuptime`, `created`).
//!
//! Pairing rules:
//! - Every INVITE row is one attempt, with its `sip_code` as the final SIP status.
//! - An answered INVITE (2xx) is held back until the BYE with the same Call-ID: talk time is
//!   BYE time − INVITE time (acc stamps the INVITE when the 200 OK passes, so that is the
//!   answer time), and the BYE's From tag tells who hung up. With a `duration` column (CDR
//!   mode) the call is complete at once. An answered call whose BYE is not in the file is
//!   emitted at the end, answered with zero talk time.
//! - A 401/407 challenge followed by an INVITE with the same Call-ID is authentication, not an
//!   attempt: it is folded. A challenge never retried counts as a failed attempt.
//! - An INVITE with a Call-ID whose answered call is still held is a re-INVITE inside the
//!   dialog (session refresh, hold): folded.
//! - BYE, ACK, CANCEL and other methods are folded: accepted rows that are not attempts.

use super::fields::{self, Col};
use super::values::{parse_time_ms, parse_u32};
use super::{Candidate, Mapped, Row, RowMapper};
use crate::call::{Call, CodeSystem, EndDirection, RawCode, TimeBasis};
use crate::ingest::RejectReason;
use std::collections::{HashMap, VecDeque};

/// The default `acc` table columns, in order (an `id` column may come first).
const ACC_COLUMNS: [&str; 7] = [
    "method",
    "from_tag",
    "to_tag",
    "callid",
    "sip_code",
    "sip_reason",
    "time",
];

/// Header names (normalized) of the default `acc` table.
const HEADER_KEYS: [&str; 7] = [
    "method",
    "fromtag",
    "totag",
    "callid",
    "sipcode",
    "sipreason",
    "time",
];

/// SIP request methods an `acc` row may carry.
const METHODS: [&str; 14] = [
    "INVITE",
    "BYE",
    "ACK",
    "CANCEL",
    "REGISTER",
    "OPTIONS",
    "MESSAGE",
    "UPDATE",
    "PRACK",
    "INFO",
    "REFER",
    "NOTIFY",
    "SUBSCRIBE",
    "PUBLISH",
];

/// The most answered calls held back waiting for their BYE; beyond it the oldest is emitted
/// without one, so hostile input cannot grow memory without bound.
const MAX_HELD: usize = 200_000;

fn is_method(v: &str) -> bool {
    METHODS.contains(&v.trim().to_ascii_uppercase().as_str())
}

fn is_sip_code(v: &str) -> bool {
    parse_u32(v).is_some_and(|c| (100..700).contains(&c))
}

/// Where `method` is in a header-less row (0, or 1 after an `id`), when the row is an acc row.
fn headerless_offset(r: &[String]) -> Option<usize> {
    [0usize, 1].into_iter().find(|&o| {
        r.len() >= 7 + o
            && is_method(&r[o])
            && is_sip_code(&r[o + 4])
            && parse_time_ms(&r[o + 6]).is_some_and(|(t, _)| t.is_some())
            && (o == 0 || fields::is_uint(&r[0]))
    })
}

/// Scores a sample: a header naming the `acc` columns, or header-less acc rows.
pub fn detect(sample: &[Vec<String>]) -> Option<Candidate> {
    let first = sample.first()?;
    let found = fields::count_known(first, &HEADER_KEYS);
    if found >= 4
        && fields::find(first, &["method"]).is_some()
        && fields::find(first, &["callid"]).is_some()
        && fields::find(first, &["sipcode"]).is_some()
    {
        return Some(Candidate {
            confidence: (0.5 + 0.07 * found as f32).min(0.99),
            reason: format!(
                "the header names Kamailio/OpenSIPS acc columns ({found} of 7: method, from_tag, to_tag, callid, sip_code, sip_reason, time)"
            ),
            header_rows: 1,
        });
    }
    let (share, n) = fields::share(sample, |r| headerless_offset(r).is_some());
    if share < 0.6 {
        return None;
    }
    Some(Candidate {
        confidence: 0.9 * share,
        reason: format!(
            "no header; {:.0}% of {n} rows look like Kamailio/OpenSIPS acc rows (a SIP method such as INVITE or BYE, tags, Call-ID, a SIP code and a time)",
            share * 100.0
        ),
        header_rows: 0,
    })
}

/// Builds the mapper: by header names, or by the default column order; the sample's first time
/// tells whether times are local datetimes or epoch stamps.
pub fn mapper(
    header: Option<&[String]>,
    sample: &[Vec<String>],
) -> Result<Box<dyn RowMapper>, String> {
    let (cols, width) = match header {
        Some(h) => (Columns::from_header(h)?, Some(h.len())),
        None => {
            let offset = sample
                .iter()
                .find_map(|r| headerless_offset(r))
                .unwrap_or(0);
            let mut names: Vec<String> = Vec::new();
            if offset == 1 {
                names.push("id".into());
            }
            names.extend(ACC_COLUMNS.iter().map(|s| s.to_string()));
            (Columns::from_header(&names)?, None)
        }
    };
    let data = sample.iter().skip(usize::from(header.is_some()));
    let basis = data
        .filter_map(|r| r.get(cols.time.index))
        .find_map(|v| match parse_time_ms(v) {
            Some((Some(_), epoch)) => Some(if epoch {
                TimeBasis::Utc
            } else {
                TimeBasis::NaiveLocal
            }),
            _ => None,
        })
        .unwrap_or(TimeBasis::NaiveLocal);
    Ok(Box::new(KamailioMapper {
        min_width: cols.max_index() + 1,
        width,
        cols,
        basis,
        held: HashMap::new(),
        order: VecDeque::new(),
        ready: Vec::new(),
        seq: 0,
    }))
}

struct Columns {
    method: Col,
    from_tag: Option<Col>,
    to_tag: Option<Col>,
    callid: Col,
    sip_code: Col,
    sip_reason: Option<Col>,
    time: Col,
    caller: Option<Col>,
    callee: Option<Col>,
    ingress: Option<Col>,
    egress: Option<Col>,
    caller_ip: Option<Col>,
    callee_ip: Option<Col>,
    duration: Option<Col>,
    ms_duration: Option<Col>,
    created: Option<Col>,
}

impl Columns {
    fn from_header(h: &[String]) -> Result<Self, String> {
        let f = |names: &[&str]| fields::find(h, names);
        let need = |names: &[&str], what: &str| {
            f(names).ok_or_else(|| format!("the acc header has no {what} column"))
        };
        Ok(Columns {
            method: need(&["method"], "method")?,
            from_tag: f(&["fromtag"]),
            to_tag: f(&["totag"]),
            callid: need(&["callid"], "callid")?,
            sip_code: need(&["sipcode"], "sip_code")?,
            sip_reason: f(&["sipreason"]),
            time: need(&["time"], "time")?,
            caller: f(&["srcuser", "fromuser", "caller", "callerid"]),
            callee: f(&["dstouser", "dstuser", "ruriuser", "touser", "callee"]),
            ingress: f(&["srcgw", "srcip", "srcdomain", "sourceip"]),
            egress: f(&[
                "dstgw",
                "gateway",
                "carrier",
                "dstdomain",
                "dsthost",
                "dstip",
            ]),
            caller_ip: f(&["srcip", "sourceip"]),
            callee_ip: f(&["dstip"]),
            duration: f(&["duration"]),
            ms_duration: f(&["msduration"]),
            created: f(&["created"]),
        })
    }

    fn max_index(&self) -> usize {
        [
            Some(&self.method),
            Some(&self.callid),
            Some(&self.sip_code),
            Some(&self.time),
        ]
        .into_iter()
        .flatten()
        .map(|c| c.index)
        .max()
        .unwrap_or(0)
    }
}

/// Indexes of the text fields of an [`Attempt`].
const FROM_TAG: usize = 0;
const TO_TAG: usize = 1;
const CALLER: usize = 2;
const CALLEE: usize = 3;
const INGRESS: usize = 4;
const EGRESS: usize = 5;
const CALLER_IP: usize = 6;
const CALLEE_IP: usize = 7;
const CALL_ID: usize = 8;

/// One INVITE transaction, its text borrowed from the row or from a [`HeldCall`].
#[derive(Clone, Copy, Debug)]
struct Attempt<'a> {
    line: u64,
    offset: u64,
    len: u32,
    /// When the dialog was created (OpenSIPS CDR mode `created`).
    created_ms: Option<i64>,
    /// The acc row's time: when the final reply passed.
    time_ms: i64,
    sip: u16,
    q850: Option<u16>,
    /// Filled in by the BYE, or from the CDR-mode duration.
    end_ms: Option<i64>,
    end_direction: Option<EndDirection>,
    text: [&'a str; 9],
}

impl<'a> Attempt<'a> {
    fn call(&self) -> Call<'a> {
        let answered = (200..300).contains(&self.sip);
        let hold_s = match (answered, self.end_ms) {
            (true, Some(e)) if e > self.time_ms => {
                u32::try_from(e.saturating_sub(self.time_ms) / 1000).unwrap_or(u32::MAX)
            }
            _ => 0,
        };
        Call {
            line: self.line,
            offset: self.offset,
            len: self.len,
            start_ms: Some(self.created_ms.unwrap_or(self.time_ms)),
            answer_ms: answered.then_some(self.time_ms),
            end_ms: Some(self.end_ms.unwrap_or(self.time_ms)),
            answered,
            hold_s,
            caller: self.text[CALLER],
            callee: self.text[CALLEE],
            ingress: self.text[INGRESS],
            egress: self.text[EGRESS],
            caller_ip: self.text[CALLER_IP],
            callee_ip: self.text[CALLEE_IP],
            call_id: self.text[CALL_ID],
            code: RawCode::Num(i32::from(self.sip)),
            code_system: Some(CodeSystem::Sip),
            sip_code: Some(self.sip),
            q850: self.q850,
            end_direction: self.end_direction.or_else(|| failure_direction(self.sip)),
            ..Call::default()
        }
    }
}

/// An attempt kept beyond its row, with owned copies of its text.
#[derive(Clone, Debug)]
struct HeldCall {
    seq: u64,
    /// A 401/407 challenge waiting to see whether the INVITE is retried.
    challenge: bool,
    attempt: Attempt<'static>,
    text: [String; 9],
}

impl HeldCall {
    fn new(seq: u64, challenge: bool, a: &Attempt<'_>) -> Self {
        HeldCall {
            seq,
            challenge,
            attempt: Attempt {
                text: [""; 9],
                ..*a
            },
            text: a.text.map(str::to_string),
        }
    }

    fn attempt(&self) -> Attempt<'_> {
        Attempt {
            text: std::array::from_fn(|i| self.text[i].as_str()),
            ..self.attempt
        }
    }
}

/// Who ended a failed attempt: the caller for 487 (it cancelled), the proxy for its own
/// authentication challenges, the callee side for every other final failure.
fn failure_direction(sip: u16) -> Option<EndDirection> {
    match sip {
        0..=299 => None,
        487 => Some(EndDirection::Caller),
        401 | 407 => Some(EndDirection::Server),
        _ => Some(EndDirection::Callee),
    }
}

/// The Q.850 cause of a `Reason: Q.850;cause=17;…` text in `sip_reason`.
fn q850_of_reason(reason: &str) -> Option<u16> {
    let lower = reason.to_ascii_lowercase();
    if !lower.contains("q.850") {
        return None;
    }
    let rest = &lower[lower.find("cause=")? + 6..];
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

struct KamailioMapper {
    /// Header width, when there is a header.
    width: Option<usize>,
    /// The fewest fields a header-less row needs.
    min_width: usize,
    cols: Columns,
    basis: TimeBasis,
    /// Answered calls waiting for their BYE, and unretried challenges, by Call-ID.
    held: HashMap<String, HeldCall>,
    /// Call-IDs in the order they were held (stale entries are skipped).
    order: VecDeque<(u64, String)>,
    /// Completed calls to emit at the next drain.
    ready: Vec<HeldCall>,
    seq: u64,
}

impl KamailioMapper {
    fn hold(&mut self, call: HeldCall) {
        let id = call.text[CALL_ID].clone();
        self.order.push_back((call.seq, id.clone()));
        self.held.insert(id, call);
        while self.held.len() > MAX_HELD {
            let Some((seq, id)) = self.order.pop_front() else {
                break;
            };
            if self.held.get(&id).is_some_and(|h| h.seq == seq) {
                if let Some(h) = self.held.remove(&id) {
                    self.ready.push(h);
                }
            }
        }
        if self.order.len() > 2 * MAX_HELD {
            let held = &self.held;
            self.order
                .retain(|(seq, id)| held.get(id).is_some_and(|h| h.seq == *seq));
        }
    }
}

impl RowMapper for KamailioMapper {
    fn map<'r>(&mut self, row: &Row<'r>) -> Result<Mapped<'r>, RejectReason> {
        match self.width {
            Some(w) if row.len() != w => {
                return Err(RejectReason::FieldCount {
                    expected: w,
                    found: row.len(),
                })
            }
            None if row.len() < self.min_width => {
                return Err(RejectReason::FieldCount {
                    expected: self.min_width,
                    found: row.len(),
                })
            }
            _ => {}
        }
        let c = &self.cols;
        let method = row.trimmed(c.method.index);
        if method.is_empty() {
            return Err(RejectReason::missing(&c.method.name));
        }
        let code_text = row.trimmed(c.sip_code.index);
        let sip = parse_u32(code_text)
            .and_then(|n| u16::try_from(n).ok())
            .filter(|n| (100..700).contains(n))
            .ok_or_else(|| RejectReason::bad_number(&c.sip_code.name, code_text))?;
        let time_ms = match fields::time(row, &Some(c.time.clone()))? {
            Some((t, _)) => t,
            None => return Err(RejectReason::missing(&c.time.name)),
        };
        let call_id = row.trimmed(c.callid.index);
        let from_tag = fields::text(row, &c.from_tag);
        if method.eq_ignore_ascii_case("BYE") {
            if let Some(mut h) = self.held.remove(call_id) {
                if !h.challenge {
                    let a = &mut h.attempt;
                    a.end_ms = Some(time_ms);
                    a.end_direction = if from_tag == h.text[FROM_TAG] {
                        Some(EndDirection::Caller)
                    } else if from_tag == h.text[TO_TAG] {
                        Some(EndDirection::Callee)
                    } else {
                        None
                    };
                }
                // A challenge followed by a BYE: the retried INVITE is not in the file.
                self.ready.push(h);
            }
            return Ok(Mapped::Folded);
        }
        if !method.eq_ignore_ascii_case("INVITE") {
            return Ok(Mapped::Folded);
        }
        if let Some(h) = self.held.get(call_id) {
            if h.challenge {
                // The challenged INVITE was retried: the challenge is not an attempt.
                self.held.remove(call_id);
            } else if c.duration.is_none() && c.ms_duration.is_none() {
                return Ok(Mapped::Folded);
            }
        }
        let duration_ms = match (&c.ms_duration, &c.duration) {
            (Some(ms), _) if !row.trimmed(ms.index).is_empty() => {
                fields::uint(row, &c.ms_duration)?.map(i64::from)
            }
            (_, Some(_)) => {
                fields::seconds_ms(row, &c.duration)?.map(|v| i64::try_from(v).unwrap_or(i64::MAX))
            }
            _ => None,
        };
        let (line, offset, len) = row.position();
        let mut attempt = Attempt {
            line,
            offset,
            len,
            created_ms: fields::time(row, &c.created)?.map(|t| t.0),
            time_ms,
            sip,
            q850: q850_of_reason(fields::text(row, &c.sip_reason)),
            end_ms: None,
            end_direction: None,
            text: [
                from_tag,
                fields::text(row, &c.to_tag),
                fields::text(row, &c.caller),
                fields::text(row, &c.callee),
                fields::text(row, &c.ingress),
                fields::text(row, &c.egress),
                fields::text(row, &c.caller_ip),
                fields::text(row, &c.callee_ip),
                call_id,
            ],
        };
        let answered = (200..300).contains(&sip);
        let challenge = sip == 401 || sip == 407;
        if challenge || (answered && duration_ms.is_none()) {
            self.seq += 1;
            self.hold(HeldCall::new(self.seq, challenge, &attempt));
            return Ok(Mapped::Folded);
        }
        if answered {
            // CDR mode: the row already has the duration.
            attempt.end_ms = duration_ms.map(|d| time_ms.saturating_add(d));
        }
        Ok(Mapped::Call(attempt.call()))
    }

    fn drain(&mut self, emit: &mut dyn FnMut(&Call<'_>)) {
        for h in self.ready.drain(..) {
            emit(&h.attempt().call());
        }
    }

    fn finish(&mut self, emit: &mut dyn FnMut(&Call<'_>)) {
        self.drain(emit);
        let mut rest: Vec<HeldCall> = self.held.drain().map(|(_, h)| h).collect();
        rest.sort_by_key(|h| h.seq);
        self.order.clear();
        for h in rest {
            emit(&h.attempt().call());
        }
    }

    fn splittable(&self) -> bool {
        // An INVITE and its BYE may fall in different parts.
        false
    }

    fn time_basis(&self) -> TimeBasis {
        self.basis
    }
}

#[cfg(test)]
mod tests {
    use super::q850_of_reason;

    #[test]
    fn reads_a_q850_cause_from_the_reason() {
        assert_eq!(
            q850_of_reason("Q.850;cause=17;text=\"USER_BUSY\""),
            Some(17)
        );
        assert_eq!(q850_of_reason("Busy Here"), None);
        assert_eq!(q850_of_reason("Q.850;text=x"), None);
    }
}
