//! Asterisk: `cdr_csv`'s `Master.csv` (no header, 16 to 18 columns in a fixed order) and the
//! SQL `cdr` table export (a header row, columns matched by name).
//!
//! An attempt is answered when its disposition is `ANSWERED`; talk time is `billsec`. The final
//! code is the disposition itself (there is no SIP code in Asterisk CDRs, so NER stays unknown).
//! The egress gateway is the trunk named in `dstchannel` (`PJSIP/trunk_us-0000c351` →
//! `trunk_us`), the ingress the peer named in `channel`. Times are local wall-clock datetimes.

use super::fields::{self, Col};
use super::generic::{AnsweredRule, ColumnMapping, ColumnRef};
use super::{Candidate, Mapped, Row, RowMapper};
use crate::call::{Call, CodeSystem, RawCode, TimeBasis};
use crate::ingest::RejectReason;

/// The `Master.csv` column order (`cdr/cdr_csv.c`); the last two are optional.
const MASTER_COLUMNS: [&str; 18] = [
    "accountcode",
    "src",
    "dst",
    "dcontext",
    "clid",
    "channel",
    "dstchannel",
    "lastapp",
    "lastdata",
    "start",
    "answer",
    "end",
    "duration",
    "billsec",
    "disposition",
    "amaflags",
    "uniqueid",
    "userfield",
];

/// Dispositions Asterisk writes.
const DISPOSITIONS: [&str; 5] = ["ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION"];

/// Header names (normalized) that only Asterisk CDR tables use together.
const HEADER_KEYS: [&str; 6] = [
    "calldate",
    "dcontext",
    "dstchannel",
    "lastapp",
    "billsec",
    "disposition",
];

fn is_disposition(v: &str) -> bool {
    DISPOSITIONS.contains(&v.trim())
}

/// Whether a header-less record has the `Master.csv` shape.
fn is_master_row(r: &[String]) -> bool {
    (16..=18).contains(&r.len())
        && fields::is_datetime(&r[9])
        && fields::is_datetime_or_empty(&r[10])
        && fields::is_datetime(&r[11])
        && fields::is_uint(&r[12])
        && fields::is_uint(&r[13])
        && is_disposition(&r[14])
}

/// Scores a sample: a header naming the `cdr` table columns, or header-less `Master.csv` rows.
pub fn detect(sample: &[Vec<String>]) -> Option<Candidate> {
    let first = sample.first()?;
    let found = fields::count_known(first, &HEADER_KEYS);
    let has_start = fields::find(first, &["calldate", "start"]).is_some();
    if found >= 4 && fields::find(first, &["disposition"]).is_some() && has_start {
        let table = if fields::find(first, &["calldate"]).is_some() {
            "the SQL cdr table"
        } else {
            "Master.csv with a header"
        };
        return Some(Candidate {
            confidence: (0.5 + 0.08 * found as f32).min(0.98),
            reason: format!(
                "the header names Asterisk CDR columns of {table} ({found} of 6: calldate, dcontext, dstchannel, lastapp, billsec, disposition)"
            ),
            header_rows: 1,
        });
    }
    let (share, n) = fields::share(sample, is_master_row);
    if share < 0.6 {
        return None;
    }
    let width = first.len();
    Some(Candidate {
        confidence: 0.95 * share,
        reason: format!(
            "no header; {:.0}% of {n} rows have the Asterisk Master.csv layout ({width} columns, start/answer/end datetimes in columns 10–12, billsec and a disposition such as ANSWERED or NO ANSWER in columns 14–15)",
            share * 100.0
        ),
        header_rows: 0,
    })
}

/// Builds the mapper: by header names when there is a header, else the fixed `Master.csv`
/// order.
pub fn mapper(
    header: Option<&[String]>,
    _sample: &[Vec<String>],
) -> Result<Box<dyn RowMapper>, String> {
    let cols = match header {
        Some(h) => Columns::from_header(h)?,
        None => Columns::master(),
    };
    Ok(Box::new(AsteriskMapper {
        width: header.map(|h| h.len()),
        cols,
    }))
}

struct Columns {
    account: Option<Col>,
    src: Option<Col>,
    dst: Option<Col>,
    channel: Option<Col>,
    dstchannel: Option<Col>,
    start: Option<Col>,
    answer: Option<Col>,
    end: Option<Col>,
    duration: Option<Col>,
    billsec: Col,
    disposition: Col,
    uniqueid: Option<Col>,
}

impl Columns {
    fn master() -> Self {
        let c = |i: usize| Some(Col::new(i, MASTER_COLUMNS[i]));
        Columns {
            account: c(0),
            src: c(1),
            dst: c(2),
            channel: c(5),
            dstchannel: c(6),
            start: c(9),
            answer: c(10),
            end: c(11),
            duration: c(12),
            billsec: Col::new(13, "billsec"),
            disposition: Col::new(14, "disposition"),
            uniqueid: c(16),
        }
    }

    fn from_header(h: &[String]) -> Result<Self, String> {
        let f = |names: &[&str]| fields::find(h, names);
        Ok(Columns {
            account: f(&["accountcode"]),
            src: f(&["src", "cnum"]),
            dst: f(&["dst"]),
            channel: f(&["channel"]),
            dstchannel: f(&["dstchannel"]),
            start: f(&["calldate", "start"]),
            answer: f(&["answer"]),
            end: f(&["end"]),
            duration: f(&["duration"]),
            billsec: f(&["billsec"]).ok_or("the Asterisk header has no billsec column")?,
            disposition: f(&["disposition"])
                .ok_or("the Asterisk header has no disposition column")?,
            uniqueid: f(&["uniqueid", "linkedid"]),
        })
    }
}

struct AsteriskMapper {
    /// The header's width; `None` for `Master.csv`, whose rows may have 16 to 18 columns.
    width: Option<usize>,
    cols: Columns,
}

/// The gateway (peer, trunk or span) a channel name refers to, as a slice of the name.
///
/// `PJSIP/trunk_us-0000c351` → `trunk_us`, `SIP/carrier-0a1b2c3d` → `carrier`,
/// `DAHDI/i1/5551234-1` → `DAHDI/i1`, `Local/100@from-pstn-0000001a;2` → `from-pstn`.
pub fn channel_peer(channel: &str) -> &str {
    let mut c = channel.trim();
    // Masquerade and zombie markers, then a Local channel's `;1`/`;2` half.
    if let Some(i) = c.find('<') {
        c = &c[..i];
    }
    if let Some((head, tail)) = c.rsplit_once(';') {
        if !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit()) {
            c = head;
        }
    }
    // The channel sequence number Asterisk appends (`-0000c351`).
    if let Some((head, tail)) = c.rsplit_once('-') {
        if !head.is_empty() && !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_hexdigit()) {
            c = head;
        }
    }
    let Some((tech, resource)) = c.split_once('/') else {
        return c;
    };
    match tech.to_ascii_uppercase().as_str() {
        "DAHDI" | "ZAP" | "DGV" | "KHOMP" => {
            // Hardware channels: keep the technology and the span/group, drop the number.
            let end = tech.len() + 1 + resource.find('/').unwrap_or(resource.len());
            &c[..end]
        }
        "LOCAL" => resource.rsplit_once('@').map_or(resource, |(_, ctx)| ctx),
        _ => resource.split('/').next().unwrap_or(resource),
    }
}

impl RowMapper for AsteriskMapper {
    fn map<'r>(&mut self, row: &Row<'r>) -> Result<Mapped<'r>, RejectReason> {
        match self.width {
            Some(w) if row.len() != w => {
                return Err(RejectReason::FieldCount {
                    expected: w,
                    found: row.len(),
                })
            }
            None if !(16..=18).contains(&row.len()) => {
                return Err(RejectReason::FieldCount {
                    expected: if row.len() < 16 { 16 } else { 18 },
                    found: row.len(),
                })
            }
            _ => {}
        }
        let c = &self.cols;
        let disposition = row.trimmed(c.disposition.index);
        if disposition.is_empty() {
            return Err(RejectReason::missing(&c.disposition.name));
        }
        let billsec = row.trimmed(c.billsec.index);
        let hold_s = super::values::parse_u32(billsec)
            .ok_or_else(|| RejectReason::bad_number(&c.billsec.name, billsec))?;
        let duration = fields::uint(row, &c.duration)?;
        let start = fields::time(row, &c.start)?.map(|t| t.0);
        let mut answer = fields::time(row, &c.answer)?.map(|t| t.0);
        let mut end = fields::time(row, &c.end)?.map(|t| t.0);
        let answered = disposition.eq_ignore_ascii_case("ANSWERED");
        // The SQL table has only calldate: derive the end and answer from the durations.
        if end.is_none() && c.end.is_none() {
            end = start.zip(duration).map(|(s, d)| s + i64::from(d) * 1000);
        }
        if answer.is_none() && c.answer.is_none() && answered {
            answer = end.map(|e| e - i64::from(hold_s) * 1000);
        }
        Ok(Mapped::Call(Call {
            start_ms: start,
            answer_ms: answer,
            end_ms: end,
            answered,
            hold_s,
            caller: fields::text(row, &c.src),
            callee: fields::text(row, &c.dst),
            ingress: channel_peer(fields::text(row, &c.channel)),
            egress: channel_peer(fields::text(row, &c.dstchannel)),
            account: fields::text(row, &c.account),
            call_id: fields::text(row, &c.uniqueid),
            code: RawCode::Name(disposition),
            code_system: Some(CodeSystem::Asterisk),
            ..Call::default()
        }))
    }

    fn time_basis(&self) -> TimeBasis {
        TimeBasis::NaiveLocal
    }

    fn generic_mapping(&self) -> Option<ColumnMapping> {
        let c = &self.cols;
        Some(ColumnMapping {
            time_basis: Some(TimeBasis::NaiveLocal),
            start: ColumnRef::of(&c.start),
            answer: ColumnRef::of(&c.answer),
            end: ColumnRef::of(&c.end),
            duration: ColumnRef::at(Some(c.billsec.index)),
            caller: ColumnRef::of(&c.src),
            callee: ColumnRef::of(&c.dst),
            ingress: ColumnRef::of(&c.channel),
            egress: ColumnRef::of(&c.dstchannel),
            account: ColumnRef::of(&c.account),
            call_id: ColumnRef::of(&c.uniqueid),
            code: ColumnRef::at(Some(c.disposition.index)),
            code_system: Some(CodeSystem::Asterisk.as_str().to_string()),
            answered: AnsweredRule::Code(vec!["ANSWERED".into()]),
            ..ColumnMapping::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::channel_peer;

    #[test]
    fn names_the_peer_of_a_channel() {
        assert_eq!(channel_peer("PJSIP/trunk_us-0000c351"), "trunk_us");
        assert_eq!(channel_peer("SIP/carrier-a-0a1b2c3d"), "carrier-a");
        assert_eq!(channel_peer("IAX2/peer1-1234"), "peer1");
        assert_eq!(channel_peer("DAHDI/i1/5551234-1"), "DAHDI/i1");
        assert_eq!(channel_peer("DAHDI/3-1"), "DAHDI/3");
        assert_eq!(channel_peer("Local/100@from-pstn-0000001a;2"), "from-pstn");
        assert_eq!(channel_peer("SIP/gw-00000001<ZOMBIE>"), "gw");
        assert_eq!(channel_peer(""), "");
    }
}
