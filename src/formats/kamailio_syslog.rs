//! Kamailio / OpenSIPS `acc` records written to syslog, the default of the stock kamailio.cfg:
//! `<syslog prefix> ACC: transaction answered: timestamp=1374493797;method=INVITE;from_tag=…;
//! to_tag=…;call_id=…;code=200;reason=OK` followed by the `log_extra` pairs a site adds
//! (`src_user`, `src_ip`, `dst_ouser`, `dst_user`, `dst_domain`, …). The kind after `ACC: `
//! ("transaction answered", "call missed", "request acknowledged", …) is not needed: the code
//! says it.
//!
//! Each ACC line is one acc record, folded into calls exactly as the acc table's rows are
//! ([`super::kamailio`]: one attempt per INVITE, talk time from its BYE, challenges and
//! re-INVITEs folded). Every other line of the log (database errors, other modules) is no
//! record: counted with the non-data lines, never as a call. Only the pairs after `ACC: ` are
//! read, so a Kamailio 5.x prefix such as `{2 2 INVITE <call-id>}` on another module's line
//! never makes an attempt.
//!
//! The file's delimiter is sniffed like any text file: `;` when most lines are ACC lines, `,`
//! (no split) when most are other log lines. Pairs are read across fields either way; a value
//! ends at the next `;` or field end.

use super::kamailio::{
    AccFolder, AccNames, AccRecord, CALLEE_IP_KEYS, CALLEE_KEYS, CALLER_IP_KEYS, CALLER_KEYS,
    EGRESS_KEYS, INGRESS_KEYS,
};
use super::{is_null_text, norm_header, Candidate, Mapped, Row, RowMapper};
use crate::call::{Call, TimeBasis};
use crate::reject::RejectReason;

/// What starts the acc module's log text.
const MARK: &str = "ACC: ";

/// The pair text of a field holding `ACC: <kind>: `, from the first pair on.
fn after_mark(field: &str) -> Option<&str> {
    let rest = &field[field.find(MARK)? + MARK.len()..];
    Some(match rest.find(": ") {
        Some(i) if !rest[..i].contains('=') => &rest[i + 2..],
        _ => rest,
    })
}

/// Whether a sample row is an ACC line: the mark, then a method and a Call-ID pair.
fn is_acc_line(r: &[String]) -> bool {
    let Some(at) = r.iter().position(|f| f.contains(MARK)) else {
        return false;
    };
    let rest = &r[at..];
    let has = |key: &str| rest.iter().any(|f| f.contains(key));
    has("method=") && (has("call_id=") || has("callid="))
}

/// Scores a sample: lines carrying the acc module's `ACC: … method=…;call_id=…` text, among
/// any other log lines.
pub fn detect(sample: &[Vec<String>]) -> Option<Candidate> {
    let acc = sample.iter().filter(|r| is_acc_line(r)).count();
    if acc == 0 {
        return None;
    }
    let share = acc as f32 / sample.len() as f32;
    Some(Candidate {
        confidence: 0.7 + 0.25 * share,
        reason: format!(
            "{acc} of {} lines are Kamailio/OpenSIPS acc records in syslog (`ACC: … timestamp=…;method=…;call_id=…;code=…`); the other lines are not records",
            sample.len()
        ),
        header_rows: 0,
    })
}

/// Builds the reader of acc syslog lines.
pub fn mapper() -> Box<dyn RowMapper> {
    Box::new(SyslogMapper {
        folder: AccFolder::new(
            AccNames {
                method: "method".into(),
                sip_code: "code".into(),
                time: "timestamp".into(),
                duration: "duration".into(),
                ms_duration: "ms_duration".into(),
                created: "created".into(),
            },
            false,
        ),
    })
}

/// The `key=value` pairs of an ACC line (keys normalized), or `None` for any other line.
fn pairs<'r>(row: &Row<'r>) -> Option<Vec<(String, &'r str)>> {
    let at = (0..row.len()).find(|&i| row.get(i).contains(MARK))?;
    let first = after_mark(row.get(at))?;
    let mut out = Vec::new();
    let rest = (at + 1..row.len()).map(|i| row.get(i));
    for field in std::iter::once(first).chain(rest) {
        for piece in field.split(';') {
            if let Some((k, v)) = piece.split_once('=') {
                let v = v.trim_ascii();
                out.push((norm_header(k), if is_null_text(v) { "" } else { v }));
            }
        }
    }
    Some(out)
}

/// The value of the first of `keys` (normalized) that the pairs hold, or `""`.
fn pick<'r>(pairs: &[(String, &'r str)], keys: &[&str]) -> &'r str {
    keys.iter()
        .find_map(|k| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| *v))
        .unwrap_or("")
}

struct SyslogMapper {
    folder: AccFolder,
}

impl RowMapper for SyslogMapper {
    fn map<'r>(&mut self, row: &Row<'r>) -> Result<Mapped<'r>, RejectReason> {
        let Some(p) = pairs(row) else {
            return Ok(Mapped::NotData);
        };
        let record = AccRecord {
            method: pick(&p, &["method"]),
            from_tag: pick(&p, &["fromtag"]),
            to_tag: pick(&p, &["totag"]),
            call_id: pick(&p, &["callid"]),
            sip_code: pick(&p, &["code", "sipcode"]),
            sip_reason: pick(&p, &["reason", "sipreason"]),
            time: pick(&p, &["timestamp", "time"]),
            caller: pick(&p, &CALLER_KEYS),
            callee: pick(&p, &CALLEE_KEYS),
            ingress: pick(&p, &INGRESS_KEYS),
            egress: pick(&p, &EGRESS_KEYS),
            caller_ip: pick(&p, &CALLER_IP_KEYS),
            callee_ip: pick(&p, &CALLEE_IP_KEYS),
            duration: pick(&p, &["duration"]),
            ms_duration: pick(&p, &["msduration"]),
            created: pick(&p, &["created"]),
            position: row.position(),
        };
        if record.call_id.is_empty() {
            return Err(RejectReason::missing("call_id"));
        }
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
        // `timestamp=` is a Unix time.
        TimeBasis::Utc
    }
}

#[cfg(test)]
mod tests {
    use super::after_mark;

    #[test]
    fn pair_text_starts_after_the_kind() {
        assert_eq!(
            after_mark("x kamailio[1]: ACC: call missed: timestamp=1;method=INVITE"),
            Some("timestamp=1;method=INVITE")
        );
        assert_eq!(after_mark("ACC: timestamp=1"), Some("timestamp=1"));
        assert_eq!(after_mark("no mark"), None);
    }
}
