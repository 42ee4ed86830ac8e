//! TelcoBridges ProSBC (and Tmedia/TMG gateways) text CDRs: one line per call leg event,
//! `<timestamp>,<BEG|UPD|END>,Key='value',…`, the two legs of a call folded into one attempt.
//!
//! TelcoBridges "Text Call Detail Records" (docs.telcobridges.com/tbwiki/Text_Call_Detail_Records;
//! for ProSBC docs.prosbc.com, Call Detail Records (CDR) → CDR variables): the gateway writes an
//! entry for each call leg at the start and at the end of the call (and, when configured,
//! periodic updates), in a format made of `@{Variable}`s chosen by configuration.
//! `@{SessionId}` (four blocks of eight hex digits separated by spaces) is shared by the joined
//! legs of one call, failed outgoing attempts (route retries) included; `@{LegId}` names a leg.
//! cdrscope reads the key names of the documented example (Patton's SmartMedia knowledge base,
//! "Configuring Text CDR in SmartMedia – Text CDR variables", a TelcoBridges OEM platform):
//! `SessionId`, `LegId`, `StartTime`, `ConnectedTime`, `EndTime` (epoch seconds, UTC),
//! `Calling`, `Called`, `NAP` (the network access point: the trunk or peer of the leg),
//! `Direction` (`originate` for the incoming leg that originated the call, `answer` for the
//! outgoing leg) and `TerminationCause`.
//!
//! Folding: one attempt per SessionId, read from its originate leg: answered when its
//! `ConnectedTime` is set and not 0; talk time `EndTime` − `ConnectedTime` of its END record;
//! caller and callee `Calling` and `Called`; the ingress gateway is its NAP and the egress
//! gateway the answer leg's NAP. The attempt is complete at the originate leg's END line; every
//! other line is folded into it. A session whose originate END is not in the file is counted at
//! the end of the file from what was seen. `TerminationCause` is the final code; it has no
//! outcome table, so an unanswered attempt is `other`.

use super::values::parse_epoch_ms;
use super::{Candidate, Mapped, Row, RowMapper};
use crate::call::{Call, RawCode, TimeBasis};
use crate::reject::RejectReason;
use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};

/// The most sessions held back waiting for their originate END line; beyond it the oldest is
/// counted from what was seen, so hostile input cannot grow memory without bound.
const MAX_HELD: usize = 200_000;

/// What a record line says about its leg: start, update or end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Event {
    Begin,
    Update,
    End,
}

/// The event of a line's second field (`BEG`/`UPD`/`END`, or `@{StatusType}`'s words).
fn event(v: &str) -> Option<Event> {
    match v.trim() {
        "BEG" | "Start" => Some(Event::Begin),
        "UPD" | "Update" => Some(Event::Update),
        "END" | "End" => Some(Event::End),
        _ => None,
    }
}

/// The `Key='value'` pairs of a record from its third field on. A value holding a comma was
/// split by the CSV reader: fields are joined again until the quote closes (a quote never
/// closed takes the rest of the line). Fields that are no pair are skipped.
fn pairs<'r>(row: &Row<'r>) -> Vec<(&'r str, Cow<'r, str>)> {
    let mut out = Vec::new();
    let mut i = 2;
    while i < row.len() {
        let field = row.get(i);
        i += 1;
        let Some(eq) = field.find("='") else {
            continue;
        };
        let key = field[..eq].trim();
        let rest = &field[eq + 2..];
        if let Some(value) = rest.strip_suffix('\'') {
            out.push((key, Cow::Borrowed(value)));
            continue;
        }
        let mut value = rest.to_string();
        while i < row.len() && !value.ends_with('\'') {
            value.push(',');
            value.push_str(row.get(i));
            i += 1;
        }
        if value.ends_with('\'') {
            value.pop();
        }
        out.push((key, Cow::Owned(value)));
    }
    out
}

/// What one leg's lines said so far.
#[derive(Clone, Debug, Default)]
struct Leg {
    start: Option<i64>,
    connected: Option<i64>,
    end: Option<i64>,
    calling: String,
    called: String,
    nap: String,
    cause: String,
}

/// The originate leg of a session that had none in the file (only answer-leg lines).
static NO_LEG: Leg = Leg {
    start: None,
    connected: None,
    end: None,
    calling: String::new(),
    called: String::new(),
    nap: String::new(),
    cause: String::new(),
};

/// A call whose lines are still being read.
#[derive(Clone, Debug)]
struct Session {
    seq: u64,
    /// Where its first line is (line, offset, length).
    position: (u64, u64, u32),
    id: String,
    orig: Option<Leg>,
    /// The answer (outgoing) leg's NAP: the one that connected, else the last one seen.
    egress: String,
    egress_connected: bool,
}

impl Session {
    /// The attempt, its text borrowed from the session.
    fn call(&self) -> Call<'_> {
        let o = self.orig.as_ref().unwrap_or(&NO_LEG);
        let answered = o.connected.is_some();
        let hold_s = match (answered, o.connected, o.end) {
            (true, Some(c), Some(e)) if e > c => u32::try_from((e - c) / 1000).unwrap_or(u32::MAX),
            _ => 0,
        };
        let (line, offset, len) = self.position;
        Call {
            line,
            offset,
            len,
            start_ms: o.start.or(o.connected).or(o.end),
            answer_ms: o.connected,
            end_ms: o.end,
            answered,
            hold_s,
            caller: &o.calling,
            callee: &o.called,
            ingress: &o.nap,
            egress: &self.egress,
            call_id: &self.id,
            code: if o.cause.is_empty() {
                RawCode::None
            } else {
                RawCode::Name(&o.cause)
            },
            ..Call::default()
        }
    }
}

/// Whether a sample record is a ProSBC text CDR line: an event and a SessionId pair.
fn is_record(r: &[String]) -> bool {
    r.len() >= 3
        && event(&r[1]).is_some()
        && r[2..]
            .iter()
            .any(|f| f.trim_start().starts_with("SessionId='"))
}

/// Scores a sample: lines of `<time>,BEG|UPD|END,Key='value',…` with a SessionId.
pub fn detect(sample: &[Vec<String>]) -> Option<Candidate> {
    let (share, n) = super::fields::share(sample, is_record);
    (share >= 0.6).then(|| Candidate {
        confidence: 0.95 * share,
        reason: format!(
            "no header; {:.0}% of {n} lines are TelcoBridges ProSBC text CDRs (a time, BEG/UPD/END, then Key='value' pairs with a SessionId); the legs of each call are folded by SessionId",
            share * 100.0
        ),
        header_rows: 0,
    })
}

/// Builds the mapper (the format has no header).
pub fn mapper() -> Result<Box<dyn RowMapper>, String> {
    Ok(Box::new(ProsbcMapper {
        held: HashMap::new(),
        order: VecDeque::new(),
        ready: Vec::new(),
        seq: 0,
    }))
}

struct ProsbcMapper {
    /// Sessions waiting for their originate END line, by SessionId.
    held: HashMap<String, Session>,
    /// SessionIds in the order they were held (stale entries are skipped).
    order: VecDeque<(u64, String)>,
    /// Completed attempts to emit at the next drain.
    ready: Vec<Session>,
    seq: u64,
}

/// An epoch-second time of a pair; `None` for 0 or empty, an error for anything else.
fn epoch(key: &str, v: &str) -> Result<Option<i64>, RejectReason> {
    if v.trim().is_empty() {
        return Ok(None);
    }
    parse_epoch_ms(v).ok_or_else(|| RejectReason::bad_time(key, v))
}

impl ProsbcMapper {
    fn hold(&mut self, s: Session) {
        self.order.push_back((s.seq, s.id.clone()));
        self.held.insert(s.id.clone(), s);
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

impl RowMapper for ProsbcMapper {
    fn map<'r>(&mut self, row: &Row<'r>) -> Result<Mapped<'r>, RejectReason> {
        if row.len() < 3 {
            return Err(RejectReason::FieldCount {
                expected: 3,
                found: row.len(),
            });
        }
        let ev = event(row.get(1)).ok_or_else(|| RejectReason::missing("BEG/UPD/END"))?;
        let mut leg = Leg::default();
        let (mut id, mut direction) = (Cow::Borrowed(""), Cow::Borrowed(""));
        for (key, value) in pairs(row) {
            match key {
                "SessionId" => id = value,
                "Direction" => direction = value,
                "StartTime" => leg.start = epoch(key, &value)?,
                "ConnectedTime" => leg.connected = epoch(key, &value)?,
                "EndTime" => leg.end = epoch(key, &value)?,
                "Calling" => leg.calling = value.into_owned(),
                "Called" => leg.called = value.into_owned(),
                "NAP" => leg.nap = value.into_owned(),
                "TerminationCause" => leg.cause = value.into_owned(),
                _ => {}
            }
        }
        let id = id.trim();
        if id.is_empty() {
            return Err(RejectReason::missing("SessionId"));
        }
        let originate = direction.eq_ignore_ascii_case("originate");
        if ev == Event::End && !originate && !self.held.contains_key(id) {
            // The answer leg of a call already counted (or never begun here): nothing to add.
            return Ok(Mapped::Folded);
        }
        let mut session = match self.held.remove(id) {
            Some(s) => s,
            None => {
                self.seq += 1;
                Session {
                    seq: self.seq,
                    position: row.position(),
                    id: id.to_string(),
                    orig: None,
                    egress: String::new(),
                    egress_connected: false,
                }
            }
        };
        if originate {
            let o = session.orig.get_or_insert_with(Leg::default);
            // Later lines of the leg refine what earlier ones said.
            o.start = leg.start.or(o.start);
            o.connected = leg.connected.or(o.connected);
            o.end = leg.end.or(o.end);
            for (mine, new) in [
                (&mut o.calling, leg.calling),
                (&mut o.called, leg.called),
                (&mut o.nap, leg.nap),
                (&mut o.cause, leg.cause),
            ] {
                if !new.is_empty() {
                    *mine = new;
                }
            }
        } else if !leg.nap.is_empty() && !session.egress_connected {
            session.egress = leg.nap;
            session.egress_connected = leg.connected.is_some();
        }
        if ev == Event::End && originate {
            session.position = row.position();
            self.ready.push(session);
        } else {
            self.hold(session);
        }
        Ok(Mapped::Folded)
    }

    fn drain(&mut self, emit: &mut dyn FnMut(&Call<'_>)) {
        for s in self.ready.drain(..) {
            emit(&s.call());
        }
    }

    fn finish(&mut self, emit: &mut dyn FnMut(&Call<'_>)) {
        self.drain(emit);
        let mut rest: Vec<Session> = self.held.drain().map(|(_, s)| s).collect();
        rest.sort_by_key(|s| s.seq);
        self.order.clear();
        for s in rest {
            emit(&s.call());
        }
    }

    fn splittable(&self) -> bool {
        // The lines of one call may fall in different parts.
        false
    }

    fn time_basis(&self) -> TimeBasis {
        TimeBasis::Utc
    }
}
