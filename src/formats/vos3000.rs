//! VOS3000: `e_cdr` column names, web-API camelCase names and Chinese client labels.
//!
//! Columns are matched by name, never by position, so missing, extra and reordered columns
//! are fine. Times are epoch milliseconds (UTC instants) in database dumps and local datetime
//! strings in client exports; PDD is milliseconds in dumps and decimal seconds in client exports.

use super::generic::{AnsweredRule, ColumnMapping, ColumnRef, Unit};
use super::values::{parse_i64, parse_seconds_to_ms, parse_time_ms, parse_u32};
use super::{norm_header, Candidate, Mapped, Row, RowMapper};
use crate::call::{Call, CodeSystem, EndDirection, RawCode, TimeBasis};
use crate::codes;
use crate::money::Money;
use crate::reject::RejectReason;

/// What a VOS3000 column means to cdrscope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Caller,
    CalleeDialled,
    CalleeAccess,
    Ingress,
    Egress,
    Start,
    Stop,
    Hold,
    FeeTime,
    Fee,
    Cost,
    Pdd,
    EndReason,
    EndDirection,
    CallerIp,
    CalleeIp,
    CallId,
    Account,
    FlowNo,
}

/// Header names (normalized by [`norm_header`]) for each role: `e_cdr`, API and client labels.
const NAMES: &[(Role, &[&str])] = &[
    (Role::Caller, &["callere164", "主叫号码"]),
    (Role::CalleeDialled, &["calleee164", "被叫号码"]),
    (Role::CalleeAccess, &["calleeaccesse164", "呼入被叫"]),
    (
        Role::Ingress,
        &["callergatewayid", "callergateway", "主叫经由网关"],
    ),
    (
        Role::Egress,
        &[
            "calleegatewayid",
            "calleegateway",
            "被叫经由网关",
            "落地网关",
            "vos被叫经由网关",
        ],
    ),
    (
        Role::Start,
        &[
            "starttime",
            "start",
            "起始时间",
            "通话开始时间",
            "vos起始时间",
        ],
    ),
    (
        Role::Stop,
        &["stoptime", "stop", "终止时间", "通话结束时间"],
    ),
    (
        Role::Hold,
        &["holdtime", "通话时长", "vos通话时长(秒)", "通话时长(秒)"],
    ),
    (Role::FeeTime, &["feetime", "计费时长", "计费时长(秒)"]),
    (Role::Fee, &["fee", "通话费用", "结算费用(元)"]),
    (Role::Cost, &["agentfee", "话费成本", "落地成本(元)"]),
    (Role::Pdd, &["callerpdd", "续接时长"]),
    (Role::EndReason, &["endreason", "终止原因", "挂断原因"]),
    (Role::EndDirection, &["enddirection", "挂断方", "挂断方向"]),
    (Role::CallerIp, &["callerip", "主叫ip"]),
    (Role::CalleeIp, &["calleeip", "被叫ip"]),
    (Role::CallId, &["callercallid", "主叫callid"]),
    (
        Role::Account,
        &["customeraccount", "account", "账户号码", "对账账户"],
    ),
    (Role::FlowNo, &["flowno", "序列号", "话单流水号"]),
];

fn role_of(header: &str) -> Option<Role> {
    let n = norm_header(header);
    NAMES
        .iter()
        .find(|(_, names)| names.contains(&n.as_str()))
        .map(|(r, _)| *r)
}

/// Scores a sample: VOS3000 when the first row names the key columns.
pub fn detect(sample: &[Vec<String>]) -> Option<Candidate> {
    let header = sample.first()?;
    let roles: Vec<Role> = header.iter().filter_map(|h| role_of(h)).collect();
    let has = |r| roles.contains(&r);
    let key = [
        Role::EndReason,
        Role::Hold,
        Role::Egress,
        Role::Start,
        Role::Stop,
    ];
    let found = key.iter().filter(|r| has(**r)).count();
    if found < 3 {
        return None;
    }
    let chinese = header.iter().any(|h| h.chars().any(|c| c > '\u{2e80}'));
    let camel = header
        .iter()
        .any(|h| h.contains("E164") || h == "endReason");
    let vocabulary = if chinese {
        "Chinese client labels"
    } else if camel {
        "web-API field names"
    } else {
        "e_cdr column names"
    };
    Some(Candidate {
        confidence: 0.5 + 0.1 * found as f32,
        reason: format!(
            "the header uses VOS3000 {vocabulary} ({found} of 5 key columns: endreason, holdtime, calleegatewayid, starttime, stoptime)"
        ),
        header_rows: 1,
    })
}

/// Builds the mapper from the header row; the first data rows of `sample` tell whether times
/// are epoch stamps (UTC) or local datetime strings.
pub fn mapper(
    header: Option<&[String]>,
    sample: &[Vec<String>],
) -> Result<Box<dyn RowMapper>, String> {
    let header = header.ok_or("VOS3000 files need a header row")?;
    let mut cols = Columns::default();
    for (i, h) in header.iter().enumerate() {
        if let Some(role) = role_of(h) {
            cols.set(role, i, h);
        }
    }
    if cols.end_reason.is_none() && cols.hold.is_none() {
        return Err("the header has neither endreason nor holdtime".into());
    }
    let basis = sample
        .iter()
        .skip(1)
        .filter_map(|r| cols.start.or(cols.stop).and_then(|i| r.get(i)))
        .map(|v| v.trim())
        .find(|v| !v.is_empty() && *v != "0")
        .map(|v| {
            if v.bytes().all(|b| b.is_ascii_digit()) {
                TimeBasis::Utc
            } else {
                TimeBasis::NaiveLocal
            }
        });
    Ok(Box::new(Vos3000Mapper {
        width: header.len(),
        cols,
        basis,
    }))
}

#[derive(Default)]
struct Columns {
    caller: Option<usize>,
    callee_dialled: Option<usize>,
    callee_access: Option<usize>,
    ingress: Option<usize>,
    egress: Option<usize>,
    start: Option<usize>,
    stop: Option<usize>,
    hold: Option<usize>,
    fee_time: Option<usize>,
    fee: Option<usize>,
    cost: Option<usize>,
    pdd: Option<usize>,
    end_reason: Option<usize>,
    end_direction: Option<usize>,
    caller_ip: Option<usize>,
    callee_ip: Option<usize>,
    call_id: Option<usize>,
    account: Option<usize>,
    flow_no: Option<usize>,
    /// PDD in seconds (client exports) rather than milliseconds.
    pdd_in_seconds: bool,
    names: Vec<(usize, String)>,
}

impl Columns {
    fn set(&mut self, role: Role, i: usize, name: &str) {
        let slot = match role {
            Role::Caller => &mut self.caller,
            Role::CalleeDialled => &mut self.callee_dialled,
            Role::CalleeAccess => &mut self.callee_access,
            Role::Ingress => &mut self.ingress,
            Role::Egress => &mut self.egress,
            Role::Start => &mut self.start,
            Role::Stop => &mut self.stop,
            Role::Hold => &mut self.hold,
            Role::FeeTime => &mut self.fee_time,
            Role::Fee => &mut self.fee,
            Role::Cost => &mut self.cost,
            Role::Pdd => {
                self.pdd_in_seconds = name.chars().any(|c| c > '\u{2e80}');
                &mut self.pdd
            }
            Role::EndReason => &mut self.end_reason,
            Role::EndDirection => &mut self.end_direction,
            Role::CallerIp => &mut self.caller_ip,
            Role::CalleeIp => &mut self.callee_ip,
            Role::CallId => &mut self.call_id,
            Role::Account => &mut self.account,
            Role::FlowNo => &mut self.flow_no,
        };
        if slot.is_none() {
            *slot = Some(i);
            self.names.push((i, name.trim().to_string()));
        }
    }

    fn name(&self, i: usize) -> &str {
        self.names
            .iter()
            .find(|(j, _)| *j == i)
            .map(|(_, n)| n.as_str())
            .unwrap_or("?")
    }
}

struct Vos3000Mapper {
    width: usize,
    cols: Columns,
    basis: Option<TimeBasis>,
}

impl Vos3000Mapper {
    fn time<'r>(&mut self, row: &Row<'r>, col: Option<usize>) -> Result<Option<i64>, RejectReason> {
        let Some(i) = col else { return Ok(None) };
        let v = row.trimmed(i);
        match parse_time_ms(v) {
            Some((t, epoch)) => {
                if t.is_some() && self.basis.is_none() {
                    self.basis = Some(if epoch {
                        TimeBasis::Utc
                    } else {
                        TimeBasis::NaiveLocal
                    });
                }
                Ok(t)
            }
            None => Err(RejectReason::bad_time(self.cols.name(i), v)),
        }
    }
}

fn opt_str<'r>(row: &Row<'r>, col: Option<usize>) -> &'r str {
    col.map(|i| row.trimmed(i)).unwrap_or("")
}

/// Parses `enddirection`: 0/1/2 or the client's 主叫/被叫/服务器.
fn end_direction(text: &str) -> Option<Option<EndDirection>> {
    Some(Some(match text.trim_ascii() {
        "" => return Some(None),
        "0" | "主叫" | "caller" | "Caller" => EndDirection::Caller,
        "1" | "被叫" | "callee" | "Callee" => EndDirection::Callee,
        "2" | "服务器" | "server" | "Server" => EndDirection::Server,
        _ => return None,
    }))
}

impl RowMapper for Vos3000Mapper {
    fn map<'r>(&mut self, row: &Row<'r>) -> Result<Mapped<'r>, RejectReason> {
        if row.len() != self.width {
            return Err(RejectReason::FieldCount {
                expected: self.width,
                found: row.len(),
            });
        }
        let c = &self.cols;
        let mut call = Call {
            caller: opt_str(row, c.caller),
            callee: match (c.callee_access, c.callee_dialled) {
                (Some(i), _) if !row.trimmed(i).is_empty() => row.trimmed(i),
                (_, d) => opt_str(row, d),
            },
            // VOS3000 writes callee numbers in international form without a prefix.
            callee_international: true,
            ingress: opt_str(row, c.ingress),
            egress: opt_str(row, c.egress),
            account: opt_str(row, c.account),
            caller_ip: opt_str(row, c.caller_ip),
            callee_ip: opt_str(row, c.callee_ip),
            call_id: match c.flow_no {
                Some(i) if !row.trimmed(i).is_empty() => row.trimmed(i),
                _ => opt_str(row, c.call_id),
            },
            ..Call::default()
        };
        if let Some(i) = c.hold {
            let v = row.trimmed(i);
            call.hold_s = if v.is_empty() {
                0
            } else {
                parse_u32(v).ok_or_else(|| RejectReason::bad_number(c.name(i), v))?
            };
        }
        if let Some(i) = c.fee_time {
            let v = row.trimmed(i);
            if !v.is_empty() {
                call.billed_s =
                    Some(parse_u32(v).ok_or_else(|| RejectReason::bad_number(c.name(i), v))?);
            }
        }
        if let Some(i) = c.pdd {
            let v = row.trimmed(i);
            let ms = if v.is_empty() {
                None
            } else if c.pdd_in_seconds {
                parse_seconds_to_ms(v)
            } else {
                parse_u32(v).map(u64::from)
            };
            match ms {
                Some(ms) => call.pdd_ms = u32::try_from(ms).ok().filter(|&m| m > 0),
                None if v.is_empty() => {}
                None => return Err(RejectReason::bad_number(c.name(i), v)),
            }
        }
        for (col, is_fee) in [(c.fee, true), (c.cost, false)] {
            if let Some(i) = col {
                let v = row.trimmed(i);
                if !v.is_empty() {
                    let (m, d) =
                        Money::parse(v).ok_or_else(|| RejectReason::bad_number(c.name(i), v))?;
                    if is_fee {
                        call.fee = Some(m);
                    } else {
                        call.cost = Some(m);
                    }
                    call.money_decimals = call.money_decimals.max(d);
                }
            }
        }
        if let Some(i) = c.end_direction {
            let v = row.trimmed(i);
            call.end_direction =
                end_direction(v).ok_or_else(|| RejectReason::bad_number(c.name(i), v))?;
        }
        if let Some(i) = c.end_reason {
            let v = row.trimmed(i);
            call.code_system = Some(CodeSystem::Vos3000);
            call.code = if v.is_empty() {
                RawCode::None
            } else if let Some(n) = parse_i64(v).and_then(|n| i32::try_from(n).ok()) {
                RawCode::Num(n)
            } else if let Some(n) = codes::vos_end_reason_from_text(v) {
                RawCode::Num(n)
            } else {
                RawCode::Name(v)
            };
        }
        let (start, stop) = (c.start, c.stop);
        call.start_ms = self.time(row, start)?;
        call.end_ms = self.time(row, stop)?;
        call.answered = call.hold_s > 0;
        if call.answered {
            call.answer_ms = call.start_ms;
            call.sip_code = Some(200);
        } else {
            // Only a SIP status received from the far end is a SIP final; a reason name's SIP
            // equivalent is what VOS3000 sends to the caller, not what the gateway answered.
            call.sip_code = match call.code {
                RawCode::Num(n) if (100..700).contains(&n) => Some(n as u16),
                _ => None,
            };
        }
        Ok(Mapped::Call(call))
    }

    fn time_basis(&self) -> TimeBasis {
        self.basis.unwrap_or(TimeBasis::Utc)
    }

    fn generic_mapping(&self) -> Option<ColumnMapping> {
        let c = &self.cols;
        Some(ColumnMapping {
            time_basis: self.basis,
            start: ColumnRef::at(c.start),
            end: ColumnRef::at(c.stop),
            duration: ColumnRef::at(c.hold),
            pdd: ColumnRef::at(c.pdd),
            pdd_unit: Some(if c.pdd_in_seconds { Unit::S } else { Unit::Ms }),
            caller: ColumnRef::at(c.caller),
            callee: ColumnRef::at(c.callee_access.or(c.callee_dialled)),
            ingress: ColumnRef::at(c.ingress),
            egress: ColumnRef::at(c.egress),
            account: ColumnRef::at(c.account),
            call_id: ColumnRef::at(c.flow_no.or(c.call_id)),
            code: ColumnRef::at(c.end_reason),
            code_system: Some(CodeSystem::Vos3000.as_str().to_string()),
            answered: AnsweredRule::Duration,
            fee: ColumnRef::at(c.fee),
            cost: ColumnRef::at(c.cost),
            ..ColumnMapping::default()
        })
    }
}
