//! FreeSWITCH `mod_json_cdr`: one JSON document per call (`{"core-uuid":…, "channel_data":{…},
//! "variables":{…}, "app_log":{…}, "callflow":…}`), written one file per call; a folder or a
//! zip of them is read as one data set, each file one call.
//!
//! The JSON input ([`crate::inputs::json`]) writes the document as one CSV row whose columns
//! are its top-level keys, nested values kept as compact JSON text; a repeated key keeps its
//! first value. This mapper parses the `variables` and `callflow` cells (already capped in size
//! and depth by the JSON input) and reads the channel variables as the `mod_cdr_csv` reader
//! ([`super::freeswitch`]) reads its columns:
//! - answered when `answer_epoch` is above 0 (or `answer_stamp` is set); talk time `billsec`;
//! - times `start_epoch`, `answer_epoch`, `end_epoch` (Unix seconds, UTC);
//! - the final code is `hangup_cause`, the Q.850 value `hangup_cause_q850` (else from the
//!   name), the SIP status `sip_term_status` (200 for an answered call without one);
//! - the callee is the `destination_number` of the first caller profile in the document (older
//!   FreeSWITCH writes one `callflow` key per profile, newer an array; the first is the current
//!   profile, what `${destination_number}` gives a CSV template); the caller is its
//!   `caller_id_number`; the gateway `sip_gateway_name`, else the `sofia/gateway/NAME/…` its last
//!   `bridge` dialled (`last_arg`); PDD `progresssec` /
//!   `progress_mediasec`; who hung up from `sip_hangup_disposition`.

use super::fields;
use super::freeswitch::end_direction;
use super::values::parse_u32;
use super::{Candidate, Mapped, Row, RowMapper};
use crate::call::{Call, CodeSystem, RawCode, TimeBasis};
use crate::codes;
use crate::reject::RejectReason;
use serde_json::{Map, Value};

/// The call's gateway: `sip_gateway_name`, which FreeSWITCH sets on the outbound leg only; on
/// the inbound leg (the one a per-call file usually holds) the gateway its last `bridge` dialled
/// (`sofia/gateway/avaya/915…` in `last_arg` → `avaya`).
fn gateway(v: &Map<String, Value>) -> String {
    let named = text(v.get("sip_gateway_name"));
    if !named.is_empty() || !text(v.get("last_app")).eq_ignore_ascii_case("bridge") {
        return named;
    }
    dialled_gateway(&text(v.get("last_arg")))
        .unwrap_or_default()
        .to_string()
}

/// The gateway the first `sofia/gateway/NAME/…` target of a dial string names.
fn dialled_gateway(dial: &str) -> Option<&str> {
    const AT: &str = "sofia/gateway/";
    let rest = &dial[dial.find(AT)? + AT.len()..];
    let end = rest.find(['/', ',', '|', ' ', ':']).unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

/// The channel variables of a `variables` cell, when it is a JSON object.
fn variables(text: &str) -> Option<Map<String, Value>> {
    serde_json::from_str(text).ok()
}

/// Scores a sample: a header of mod_json_cdr's top-level keys (`variables` and `callflow` or
/// `channel_data`) over a row whose variables name the call (`uuid`, `hangup_cause`).
pub fn detect(sample: &[Vec<String>]) -> Option<Candidate> {
    let header = sample.first()?;
    let vars = fields::find(header, &["variables"])?;
    let flow = fields::find(header, &["callflow", "channeldata"])?;
    let row = sample.get(1)?;
    let v = variables(row.get(vars.index)?)?;
    if !(v.contains_key("uuid") && v.contains_key("hangup_cause")) {
        return None;
    }
    Some(Candidate {
        confidence: 0.95,
        reason: format!(
            "a FreeSWITCH per-call CDR document, mod_json_cdr or mod_xml_cdr (`variables` and `{}`, channel variables uuid and hangup_cause): one call per document",
            flow.name
        ),
        header_rows: 1,
    })
}

/// Builds the mapper from the header of top-level keys.
pub fn mapper(header: Option<&[String]>) -> Result<Box<dyn RowMapper>, String> {
    let h = header.ok_or("a mod_json_cdr document has a header of its keys")?;
    let vars = fields::find(h, &["variables"])
        .ok_or("the mod_json_cdr document has no variables")?
        .index;
    let flow = fields::find(h, &["callflow"]).map(|c| c.index);
    Ok(Box::new(JsonCdrMapper {
        vars,
        flow,
        ready: None,
    }))
}

/// The text fields of a call read from one document.
const CALLER: usize = 0;
const CALLEE: usize = 1;
const GATEWAY: usize = 2;
const ACCOUNT: usize = 3;
const CALLER_IP: usize = 4;
const UUID: usize = 5;
const CAUSE: usize = 6;

/// One document's call, owning its text until it is emitted.
struct OwnedCall {
    position: (u64, u64, u32),
    start_ms: Option<i64>,
    answer_ms: Option<i64>,
    end_ms: Option<i64>,
    answered: bool,
    hold_s: u32,
    pdd_ms: Option<u32>,
    sip_code: Option<u16>,
    q850: Option<u16>,
    disposition: String,
    text: [String; 7],
}

impl OwnedCall {
    fn call(&self) -> Call<'_> {
        let t = &self.text;
        let relayed = !t[GATEWAY].is_empty() || self.sip_code.is_some_and(|c| c >= 300);
        Call {
            line: self.position.0,
            offset: self.position.1,
            len: self.position.2,
            start_ms: self.start_ms,
            answer_ms: self.answer_ms,
            end_ms: self.end_ms,
            answered: self.answered,
            hold_s: self.hold_s,
            pdd_ms: self.pdd_ms,
            caller: &t[CALLER],
            callee: &t[CALLEE],
            ingress: &t[ACCOUNT],
            egress: &t[GATEWAY],
            account: &t[ACCOUNT],
            caller_ip: &t[CALLER_IP],
            call_id: &t[UUID],
            code: if t[CAUSE].is_empty() {
                RawCode::None
            } else {
                RawCode::Name(&t[CAUSE])
            },
            code_system: Some(CodeSystem::FreeSwitch),
            sip_code: self.sip_code,
            q850: self.q850,
            end_direction: end_direction(&self.disposition, relayed),
            ..Call::default()
        }
    }
}

/// A variable as text: strings as they are, numbers and booleans written out, `""` otherwise.
fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// The first caller profile of a `callflow` cell (an object, or an array of them).
fn first_profile(flow: &str) -> Option<Map<String, Value>> {
    let v: Value = serde_json::from_str(flow).ok()?;
    let first = match v {
        Value::Array(mut a) if !a.is_empty() => a.swap_remove(0),
        other => other,
    };
    match first {
        Value::Object(mut o) => match o.remove("caller_profile") {
            Some(Value::Object(p)) => Some(p),
            _ => None,
        },
        _ => None,
    }
}

struct JsonCdrMapper {
    vars: usize,
    flow: Option<usize>,
    ready: Option<OwnedCall>,
}

impl JsonCdrMapper {
    /// An epoch-second variable in ms: `None` when absent, empty or 0.
    fn epoch(v: &Map<String, Value>, key: &str) -> Result<Option<i64>, RejectReason> {
        let t = text(v.get(key));
        if t.is_empty() {
            return Ok(None);
        }
        super::values::parse_i64(&t)
            .filter(|&s| s >= 0)
            .map(|s| (s > 0).then(|| s.saturating_mul(1000)))
            .ok_or_else(|| RejectReason::bad_time(key, &t))
    }

    /// A whole-number variable: `None` when absent or empty.
    fn uint(v: &Map<String, Value>, key: &str) -> Result<Option<u32>, RejectReason> {
        let t = text(v.get(key));
        if t.is_empty() {
            return Ok(None);
        }
        parse_u32(&t)
            .map(Some)
            .ok_or_else(|| RejectReason::bad_number(key, &t))
    }
}

impl RowMapper for JsonCdrMapper {
    fn map<'r>(&mut self, row: &Row<'r>) -> Result<Mapped<'r>, RejectReason> {
        let cell = row.get(self.vars);
        if cell.trim().is_empty() {
            return Err(RejectReason::missing("variables"));
        }
        let v = variables(cell).ok_or_else(|| RejectReason::Other {
            message: "variables is not a JSON object of channel variables".into(),
        })?;
        let profile = self
            .flow
            .and_then(|i| first_profile(row.get(i)))
            .unwrap_or_default();
        let cause = text(v.get("hangup_cause"));
        let answer_ms = Self::epoch(&v, "answer_epoch")?;
        let answered = answer_ms.is_some() || !text(v.get("answer_stamp")).is_empty();
        let hold_s = Self::uint(&v, "billsec")?.unwrap_or(0);
        let sip_code = match Self::uint(&v, "sip_term_status")? {
            Some(c) => Some(
                u16::try_from(c)
                    .ok()
                    .filter(|c| (100..700).contains(c))
                    .ok_or_else(|| RejectReason::bad_number("sip_term_status", &c.to_string()))?,
            ),
            None => answered.then_some(200),
        };
        let q850 = match Self::uint(&v, "hangup_cause_q850")? {
            Some(c) => Some(
                u16::try_from(c)
                    .map_err(|_| RejectReason::bad_number("hangup_cause_q850", &c.to_string()))?,
            ),
            None => codes::freeswitch_cause_q850(&cause),
        };
        let ringing = Self::uint(&v, "progresssec")?.filter(|&s| s > 0);
        let media = Self::uint(&v, "progress_mediasec")?.filter(|&s| s > 0);
        let pdd_ms = match (ringing, media) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
        .map(|s| s.saturating_mul(1000));
        let or = |a: String, b: String| if a.is_empty() { b } else { a };
        let callee = or(
            text(profile.get("destination_number")),
            text(v.get("destination_number")),
        );
        let caller = or(
            text(profile.get("caller_id_number")),
            text(v.get("caller_id_number")),
        );
        let caller_ip = or(
            text(profile.get("network_addr")),
            text(v.get("sip_received_ip")),
        );
        self.ready = Some(OwnedCall {
            position: row.position(),
            start_ms: Self::epoch(&v, "start_epoch")?,
            answer_ms,
            end_ms: Self::epoch(&v, "end_epoch")?,
            answered,
            hold_s: if answered { hold_s } else { 0 },
            pdd_ms,
            sip_code,
            q850,
            disposition: text(v.get("sip_hangup_disposition")),
            text: [
                caller,
                callee,
                gateway(&v),
                text(v.get("accountcode")),
                caller_ip,
                text(v.get("uuid")),
                cause,
            ],
        });
        // Emitted at once by `drain`: the call's text is owned by the mapper.
        Ok(Mapped::Folded)
    }

    fn drain(&mut self, emit: &mut dyn FnMut(&Call<'_>)) {
        if let Some(c) = self.ready.take() {
            emit(&c.call());
        }
    }

    fn time_basis(&self) -> TimeBasis {
        TimeBasis::Utc
    }
}

#[cfg(test)]
mod tests {
    use super::dialled_gateway;

    #[test]
    fn the_gateway_of_a_bridge_dial_string() {
        assert_eq!(
            dialled_gateway("sofia/gateway/avaya/915121007938"),
            Some("avaya")
        );
        assert_eq!(
            dialled_gateway(
                "{absolute_codec_string=PCMA}sofia/gateway/gw_es/0034911,sofia/gateway/gw_b/1"
            ),
            Some("gw_es")
        );
        assert_eq!(dialled_gateway("sofia/external/915121007938"), None);
        assert_eq!(dialled_gateway("sofia/gateway//1"), None);
    }
}
