//! Asterisk Manager Interface `Cdr` events as raw AMI text (the `cdr_manager` backend): one
//! `Key: Value` line each, CRLF line ends, an empty line after each event, as documented at
//! <https://docs.asterisk.org/Asterisk_20_Documentation/API_Documentation/AMI_Events/Cdr/>
//! (`Event: Cdr`, AccountCode, Source, Destination, DestinationContext, CallerID, Channel,
//! DestinationChannel, LastApplication, LastData, StartTime, AnswerTime, EndTime, Duration,
//! BillableSeconds, Disposition, AMAFlags, UniqueID, UserField, and any fields
//! `cdr_manager.conf` adds) and
//! <https://docs.asterisk.org/Configuration/Interfaces/Asterisk-Manager-Interface-AMI/AMI-Command-Syntax>
//! (the first line of a packet is `Event:`, `Response:` or `Action:`). Times are
//! `%Y-%m-%d %T` (`DATE_FORMAT` in `cdr/cdr_manager.c`); AnswerTime is empty when the call was
//! not answered.
//!
//! The reader is line based, so every line is a row: the lines of a `Cdr` event are accepted
//! as parts of it (folded), and the event becomes one call when the next packet starts or the
//! file ends; it points at the event's whole block. Lines of other packets (a capture of the
//! whole AMI stream) are accepted and not calls. A number or a time that does not read rejects
//! its line, and its event gives no call; so does an empty Disposition. An event cut off before
//! its Disposition line (the end of a capture) gives no call.

use super::channel_peer;
use crate::call::{Call, CodeSystem, RawCode, TimeBasis};
use crate::formats::values::{parse_time_ms, parse_u32};
use crate::formats::{Candidate, Mapped, Row, RowMapper};
use crate::reject::RejectReason;

/// The key and the value of an AMI line (`Key: Value`); the key is one word.
fn key_value(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    let key = key.trim();
    let word = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    word.then(|| (key, value.trim()))
}

/// Whether a line starts a packet (`Event:`, `Response:`, `Action:`), and whether it is a
/// `Cdr` event.
fn packet_start(key: &str, value: &str) -> Option<bool> {
    if key.eq_ignore_ascii_case("event") {
        Some(value.eq_ignore_ascii_case("cdr"))
    } else if key.eq_ignore_ascii_case("response") || key.eq_ignore_ascii_case("action") {
        Some(false)
    } else {
        None
    }
}

/// Scores a sample: `Key: Value` lines with at least one `Event: Cdr` and the event's
/// BillableSeconds and Disposition keys.
pub fn detect(sample: &[Vec<String>]) -> Option<Candidate> {
    // The first field is the line up to a delimiter: enough for the key and the values read.
    let pairs: Vec<Option<(&str, &str)>> = sample
        .iter()
        .map(|r| r.first().and_then(|l| key_value(l)))
        .collect();
    let lines = pairs.len();
    let kv = pairs.iter().flatten().count();
    let events = pairs
        .iter()
        .flatten()
        .filter(|(k, v)| packet_start(k, v) == Some(true))
        .count();
    let has = |key: &str| {
        pairs
            .iter()
            .flatten()
            .any(|(k, _)| k.eq_ignore_ascii_case(key))
    };
    if events == 0 || kv * 10 < lines * 9 || !has("billableseconds") || !has("disposition") {
        return None;
    }
    Some(Candidate {
        confidence: 0.95,
        reason: format!(
            "Asterisk AMI Cdr events (cdr_manager): {kv} of the first {lines} lines are Key: Value lines, {events} of them Event: Cdr, with BillableSeconds and Disposition"
        ),
        header_rows: 0,
    })
}

/// Builds the mapper for AMI `Cdr` events.
pub fn mapper() -> Box<dyn RowMapper> {
    Box::new(AmiMapper::default())
}

/// One `Cdr` event being read or read, with owned copies of what the call needs.
#[derive(Clone, Debug, Default)]
struct Event {
    line: u64,
    offset: u64,
    /// Where the event's last line ends in the file.
    end_offset: u64,
    start_ms: Option<i64>,
    answer_ms: Option<i64>,
    end_ms: Option<i64>,
    hold_s: Option<u32>,
    disposition: String,
    source: String,
    destination: String,
    channel: String,
    dstchannel: String,
    account: String,
    uniqueid: String,
    /// A line of it was rejected: it gives no call.
    broken: bool,
}

impl Event {
    fn call(&self) -> Call<'_> {
        Call {
            line: self.line,
            offset: self.offset,
            len: u32::try_from(self.end_offset.saturating_sub(self.offset)).unwrap_or(u32::MAX),
            start_ms: self.start_ms,
            answer_ms: self.answer_ms,
            end_ms: self.end_ms,
            answered: self.disposition.eq_ignore_ascii_case("ANSWERED"),
            hold_s: self.hold_s.unwrap_or(0),
            caller: &self.source,
            callee: &self.destination,
            ingress: channel_peer(&self.channel),
            egress: channel_peer(&self.dstchannel),
            account: &self.account,
            call_id: &self.uniqueid,
            code: RawCode::Name(&self.disposition),
            code_system: Some(CodeSystem::Asterisk),
            ..Call::default()
        }
    }

    /// Whether the event can be a call: nothing rejected, a disposition and billable seconds.
    fn complete(&self) -> bool {
        !self.broken && !self.disposition.is_empty() && self.hold_s.is_some()
    }

    /// Takes one `Key: Value` line of the event.
    fn take(&mut self, key: &str, value: &str) -> Result<(), RejectReason> {
        let time = |v: &str| match parse_time_ms(v) {
            Some((t, _)) => Ok(t),
            None => Err(RejectReason::bad_time(key, v)),
        };
        match key.to_ascii_lowercase().as_str() {
            "starttime" => self.start_ms = time(value)?,
            "answertime" => self.answer_ms = time(value)?,
            "endtime" => self.end_ms = time(value)?,
            "billableseconds" => {
                self.hold_s =
                    Some(parse_u32(value).ok_or_else(|| RejectReason::bad_number(key, value))?)
            }
            "duration" if !value.is_empty() && parse_u32(value).is_none() => {
                return Err(RejectReason::bad_number(key, value))
            }
            "disposition" if value.is_empty() => return Err(RejectReason::missing(key)),
            "disposition" => self.disposition = value.to_string(),
            "source" => self.source = value.to_string(),
            "destination" => self.destination = value.to_string(),
            "channel" => self.channel = value.to_string(),
            "destinationchannel" => self.dstchannel = value.to_string(),
            "accountcode" => self.account = value.to_string(),
            "uniqueid" => self.uniqueid = value.to_string(),
            _ => {}
        }
        Ok(())
    }
}

#[derive(Default)]
struct AmiMapper {
    /// The `Cdr` event being read.
    current: Option<Event>,
    /// Events complete and not yet emitted.
    ready: Vec<Event>,
}

impl AmiMapper {
    /// Ends the event being read: a complete one waits to be emitted.
    fn close(&mut self) {
        if let Some(e) = self.current.take() {
            if e.complete() {
                self.ready.push(e);
            }
        }
    }
}

impl RowMapper for AmiMapper {
    fn map<'r>(&mut self, row: &Row<'r>) -> Result<Mapped<'r>, RejectReason> {
        let (line, offset, len) = row.position();
        let Some((key, value)) = key_value(row.get(0)) else {
            // Not a header line: part of no field cdrscope reads.
            if let Some(e) = &mut self.current {
                e.end_offset = offset + u64::from(len);
            }
            return Ok(Mapped::Folded);
        };
        if let Some(cdr) = packet_start(key, value) {
            self.close();
            if cdr {
                self.current = Some(Event {
                    line,
                    offset,
                    end_offset: offset + u64::from(len),
                    ..Event::default()
                });
            }
            return Ok(Mapped::Folded);
        }
        let Some(e) = &mut self.current else {
            return Ok(Mapped::Folded);
        };
        e.end_offset = offset + u64::from(len);
        if let Err(reason) = e.take(key, value) {
            e.broken = true;
            return Err(reason);
        }
        Ok(Mapped::Folded)
    }

    fn drain(&mut self, emit: &mut dyn FnMut(&Call<'_>)) {
        for e in self.ready.drain(..) {
            emit(&e.call());
        }
    }

    fn finish(&mut self, emit: &mut dyn FnMut(&Call<'_>)) {
        self.close();
        self.drain(emit);
    }

    fn time_basis(&self) -> TimeBasis {
        TimeBasis::NaiveLocal
    }

    fn splittable(&self) -> bool {
        // An event's lines may fall in two parts.
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_key_value_lines() {
        assert_eq!(key_value("Event: Cdr"), Some(("Event", "Cdr")));
        assert_eq!(key_value("UserField: "), Some(("UserField", "")));
        assert_eq!(
            key_value("StartTime: 2025-03-10 10:00:00"),
            Some(("StartTime", "2025-03-10 10:00:00"))
        );
        assert_eq!(key_value("Asterisk Call Manager/5.0.1"), None);
        assert_eq!(key_value("2025-03-10 10:00:00"), None);
        assert_eq!(packet_start("Event", "Cdr"), Some(true));
        assert_eq!(packet_start("event", "Hangup"), Some(false));
        assert_eq!(packet_start("Response", "Success"), Some(false));
        assert_eq!(packet_start("Source", "1001"), None);
    }
}
