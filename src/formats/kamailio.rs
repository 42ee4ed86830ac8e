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
use super::kamailio_syslog;
use super::values::{parse_seconds_to_ms, parse_time_ms, parse_u32};
use super::{Candidate, Mapped, Row, RowMapper};
use crate::call::{Call, CodeSystem, EndDirection, RawCode, TimeBasis};
use crate::reject::RejectReason;
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

/// Names (normalized) of the columns or log pairs that hold the caller.
pub(crate) const CALLER_KEYS: [&str; 4] = ["srcuser", "fromuser", "caller", "callerid"];
/// … the callee (the original request user first: the number dialled).
pub(crate) const CALLEE_KEYS: [&str; 5] = ["dstouser", "dstuser", "ruriuser", "touser", "callee"];
/// … the ingress gateway.
pub(crate) const INGRESS_KEYS: [&str; 4] = ["srcgw", "srcip", "srcdomain", "sourceip"];
/// … the egress gateway.
pub(crate) const EGRESS_KEYS: [&str; 6] = [
    "dstgw",
    "gateway",
    "carrier",
    "dstdomain",
    "dsthost",
    "dstip",
];
/// … the caller's IP address.
pub(crate) const CALLER_IP_KEYS: [&str; 2] = ["srcip", "sourceip"];
/// … the callee's IP address.
pub(crate) const CALLEE_IP_KEYS: [&str; 1] = ["dstip"];

/// The four values OpenSIPS CDR accounting appends to an answered INVITE's row, in the order
/// db_flatstore writes them after `time` (OpenSIPS 3.0 flatstore lines in the corpus:
/// `…,time,setuptime,created,duration,ms_duration`).
const FLATSTORE_CDR_COLUMNS: [&str; 4] = ["setuptime", "created", "duration", "ms_duration"];

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

/// Whether a header-less acc row whose method is at `offset` ends with the four OpenSIPS CDR
/// values (setuptime, created, duration, ms_duration: all whole numbers).
fn has_flatstore_cdr_values(r: &[String], offset: usize) -> bool {
    r.len() == offset + ACC_COLUMNS.len() + FLATSTORE_CDR_COLUMNS.len()
        && r[offset + ACC_COLUMNS.len()..]
            .iter()
            .all(|v| fields::is_uint(v))
}

/// Whether some header-less acc row of the sample carries the OpenSIPS CDR values.
fn sample_has_cdr_values(sample: &[Vec<String>]) -> bool {
    sample
        .iter()
        .any(|r| headerless_offset(r).is_some_and(|o| has_flatstore_cdr_values(r, o)))
}

/// Scores a sample: a header naming the `acc` columns, header-less acc rows, or acc lines in
/// syslog.
pub fn detect(sample: &[Vec<String>]) -> Option<Candidate> {
    if let Some(c) = kamailio_syslog::detect(sample) {
        return Some(c);
    }
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
    let cdr = if sample_has_cdr_values(sample) {
        "; answered rows end with OpenSIPS CDR values (setuptime, created, duration, ms_duration), as db_flatstore writes them"
    } else {
        ""
    };
    Some(Candidate {
        confidence: 0.9 * share,
        reason: format!(
            "no header; {:.0}% of {n} rows look like Kamailio/OpenSIPS acc rows (a SIP method such as INVITE or BYE, tags, Call-ID, a SIP code and a time){cdr}",
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
    if header.is_none() && kamailio_syslog::detect(sample).is_some() {
        return Ok(kamailio_syslog::mapper());
    }
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
            if sample_has_cdr_values(sample) {
                names.extend(FLATSTORE_CDR_COLUMNS.iter().map(|s| s.to_string()));
            }
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
    let names =
        |c: &Option<Col>, default: &str| c.as_ref().map_or(default.to_string(), |c| c.name.clone());
    let folder = AccFolder::new(
        AccNames {
            method: cols.method.name.clone(),
            sip_code: cols.sip_code.name.clone(),
            time: cols.time.name.clone(),
            duration: names(&cols.duration, "duration"),
            ms_duration: names(&cols.ms_duration, "ms_duration"),
            created: names(&cols.created, "created"),
        },
        cols.duration.is_some() || cols.ms_duration.is_some(),
    );
    Ok(Box::new(KamailioMapper {
        min_width: cols.max_index() + 1,
        width,
        cols,
        basis,
        folder,
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
        fields::require(
            h,
            &[
                (&["method"], "method"),
                (&["callid"], "callid"),
                (&["sipcode"], "sip_code"),
                (&["time"], "time"),
            ],
            "the acc header",
        )?;
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
            caller: f(&CALLER_KEYS),
            callee: f(&CALLEE_KEYS),
            ingress: f(&INGRESS_KEYS),
            egress: f(&EGRESS_KEYS),
            caller_ip: f(&CALLER_IP_KEYS),
            callee_ip: f(&CALLEE_IP_KEYS),
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

/// The values of one acc record, whatever layout it was read from (a table row or a syslog
/// line): trimmed text, empty for what the record does not have.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct AccRecord<'r> {
    pub method: &'r str,
    pub from_tag: &'r str,
    pub to_tag: &'r str,
    pub call_id: &'r str,
    pub sip_code: &'r str,
    pub sip_reason: &'r str,
    pub time: &'r str,
    pub caller: &'r str,
    pub callee: &'r str,
    pub ingress: &'r str,
    pub egress: &'r str,
    pub caller_ip: &'r str,
    pub callee_ip: &'r str,
    pub duration: &'r str,
    pub ms_duration: &'r str,
    pub created: &'r str,
    /// Where the record is in the file (line, byte offset, byte length).
    pub position: (u64, u64, u32),
}

/// The names rejects report an acc record's values under (the column or log key names).
pub(crate) struct AccNames {
    pub method: String,
    pub sip_code: String,
    pub time: String,
    pub duration: String,
    pub ms_duration: String,
    pub created: String,
}

/// Folds acc records into call attempts by the pairing rules of this module's documentation;
/// the table reader and the syslog reader both feed it.
pub(crate) struct AccFolder {
    names: AccNames,
    /// Whether records may carry a CDR-mode duration (then an INVITE on a held Call-ID is a
    /// new attempt, not a re-INVITE).
    cdr_mode: bool,
    /// Answered calls waiting for their BYE, and unretried challenges, by Call-ID.
    held: HashMap<String, HeldCall>,
    /// Call-IDs in the order they were held (stale entries are skipped).
    order: VecDeque<(u64, String)>,
    /// Completed calls to emit at the next drain.
    ready: Vec<HeldCall>,
    seq: u64,
}

impl AccFolder {
    /// A folder reporting rejects under `names`; `cdr_mode` when the layout has duration values.
    pub(crate) fn new(names: AccNames, cdr_mode: bool) -> Self {
        AccFolder {
            names,
            cdr_mode,
            held: HashMap::new(),
            order: VecDeque::new(),
            ready: Vec::new(),
            seq: 0,
        }
    }

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

    /// The talk time a record carries itself (CDR mode), in ms: OpenSIPS' `duration` (whole
    /// seconds, as its own billing rounds them) first, else `ms_duration`.
    fn duration_ms(&self, r: &AccRecord<'_>) -> Result<Option<i64>, RejectReason> {
        if !r.duration.is_empty() {
            return parse_seconds_to_ms(r.duration)
                .map(|v| Some(i64::try_from(v).unwrap_or(i64::MAX)))
                .ok_or_else(|| RejectReason::bad_number(&self.names.duration, r.duration));
        }
        if !r.ms_duration.is_empty() {
            return parse_u32(r.ms_duration)
                .map(|v| Some(i64::from(v)))
                .ok_or_else(|| RejectReason::bad_number(&self.names.ms_duration, r.ms_duration));
        }
        Ok(None)
    }

    /// Folds one record: a call, a row folded into another call, or a reject.
    pub(crate) fn fold<'r>(&mut self, r: &AccRecord<'r>) -> Result<Mapped<'r>, RejectReason> {
        let n = &self.names;
        if r.method.is_empty() {
            return Err(RejectReason::missing(&n.method));
        }
        let sip = parse_u32(r.sip_code)
            .and_then(|v| u16::try_from(v).ok())
            .filter(|v| (100..700).contains(v))
            .ok_or_else(|| RejectReason::bad_number(&n.sip_code, r.sip_code))?;
        let time_ms = match parse_time_ms(r.time) {
            Some((Some(t), _)) => t,
            Some((None, _)) => return Err(RejectReason::missing(&n.time)),
            None => return Err(RejectReason::bad_time(&n.time, r.time)),
        };
        let call_id = r.call_id;
        if r.method.eq_ignore_ascii_case("BYE") {
            if let Some(mut h) = self.held.remove(call_id) {
                if !h.challenge {
                    let a = &mut h.attempt;
                    a.end_ms = Some(time_ms);
                    a.end_direction = if r.from_tag == h.text[FROM_TAG] {
                        Some(EndDirection::Caller)
                    } else if r.from_tag == h.text[TO_TAG] {
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
        if !r.method.eq_ignore_ascii_case("INVITE") {
            return Ok(Mapped::Folded);
        }
        if let Some(h) = self.held.get(call_id) {
            if h.challenge {
                // The challenged INVITE was retried: the challenge is not an attempt.
                self.held.remove(call_id);
            } else if !self.cdr_mode {
                return Ok(Mapped::Folded);
            }
        }
        let duration_ms = self.duration_ms(r)?;
        let created_ms = match parse_time_ms(r.created) {
            Some((t, _)) => t,
            None => return Err(RejectReason::bad_time(&self.names.created, r.created)),
        };
        let (line, offset, len) = r.position;
        let mut attempt = Attempt {
            line,
            offset,
            len,
            created_ms,
            time_ms,
            sip,
            q850: q850_of_reason(r.sip_reason),
            end_ms: None,
            end_direction: None,
            text: [
                r.from_tag,
                r.to_tag,
                r.caller,
                r.callee,
                r.ingress,
                r.egress,
                r.caller_ip,
                r.callee_ip,
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
            // CDR mode: the record already has the duration.
            attempt.end_ms = duration_ms.map(|d| time_ms.saturating_add(d));
        }
        Ok(Mapped::Call(attempt.call()))
    }

    /// Emits the calls completed since the last drain.
    pub(crate) fn drain(&mut self, emit: &mut dyn FnMut(&Call<'_>)) {
        for h in self.ready.drain(..) {
            emit(&h.attempt().call());
        }
    }

    /// Emits every call still held, in the order they were held (answered calls without a
    /// BYE count with zero talk time).
    pub(crate) fn finish(&mut self, emit: &mut dyn FnMut(&Call<'_>)) {
        self.drain(emit);
        let mut rest: Vec<HeldCall> = self.held.drain().map(|(_, h)| h).collect();
        rest.sort_by_key(|h| h.seq);
        self.order.clear();
        for h in rest {
            emit(&h.attempt().call());
        }
    }
}

struct KamailioMapper {
    /// Header width, when there is a header.
    width: Option<usize>,
    /// The fewest fields a header-less row needs.
    min_width: usize,
    cols: Columns,
    basis: TimeBasis,
    folder: AccFolder,
}

impl RowMapper for KamailioMapper {
    fn map<'r>(&mut self, row: &Row<'r>) -> Result<Mapped<'r>, RejectReason> {
        fields::check_width(row, self.width, self.min_width)?;
        let c = &self.cols;
        let record = AccRecord {
            method: row.trimmed(c.method.index),
            from_tag: fields::text(row, &c.from_tag),
            to_tag: fields::text(row, &c.to_tag),
            call_id: row.trimmed(c.callid.index),
            sip_code: row.trimmed(c.sip_code.index),
            sip_reason: fields::text(row, &c.sip_reason),
            time: row.trimmed(c.time.index),
            caller: fields::text(row, &c.caller),
            callee: fields::text(row, &c.callee),
            ingress: fields::text(row, &c.ingress),
            egress: fields::text(row, &c.egress),
            caller_ip: fields::text(row, &c.caller_ip),
            callee_ip: fields::text(row, &c.callee_ip),
            duration: fields::text(row, &c.duration),
            ms_duration: fields::text(row, &c.ms_duration),
            created: fields::text(row, &c.created),
            position: row.position(),
        };
        self.folder.fold(&record)
    }

    fn drain(&mut self, emit: &mut dyn FnMut(&Call<'_>)) {
        self.folder.drain(emit);
    }

    fn finish(&mut self, emit: &mut dyn FnMut(&Call<'_>)) {
        self.folder.finish(emit);
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
