//! The normalized call record every CDR format maps to.
//!
//! A [`Call`] borrows its text fields from the reader's row buffer, so mapping a row allocates
//! nothing; whoever keeps a call beyond the callback interns or copies what it needs.

use crate::money::Money;
use serde::{Deserialize, Serialize};

/// The code system a raw final code belongs to, so a `17` is never confused with a `486`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeSystem {
    /// A SIP response status code (100–699).
    Sip,
    /// An ITU-T Q.850 / ISDN cause value (0–127, vendors add more).
    Q850,
    /// A VOS3000 `endreason`: a SIP code when positive, an internal reason when negative.
    Vos3000,
    /// A FreeSWITCH hangup cause name such as `NORMAL_CLEARING`.
    FreeSwitch,
    /// An Asterisk disposition such as `ANSWERED` or `NO ANSWER`.
    Asterisk,
    /// A 3CX termination reason (`TerminatedBySrc`, `Failed_Cancelled`) or call report status
    /// (`Answered`, `Unanswered`).
    ThreeCx,
    /// A call status written as a word (`completed`, `busy`, `no-answer`, `ANSWERED`): carrier
    /// call logs and generic mappings with `code_system: "text"`.
    Text,
}

impl CodeSystem {
    /// The short machine name used in JSON and filters.
    pub fn as_str(self) -> &'static str {
        match self {
            CodeSystem::Sip => "sip",
            CodeSystem::Q850 => "q850",
            CodeSystem::Vos3000 => "vos3000",
            CodeSystem::FreeSwitch => "freeswitch",
            CodeSystem::Asterisk => "asterisk",
            CodeSystem::ThreeCx => "threecx",
            CodeSystem::Text => "text",
        }
    }
}

/// Who ended the call, as VOS3000's `enddirection` (and FreeSWITCH's disposition) records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndDirection {
    /// The calling party hung up (VOS3000 `0`, 主叫).
    Caller,
    /// The called party or the egress side ended the call (VOS3000 `1`, 被叫).
    Callee,
    /// The softswitch itself ended the call (VOS3000 `2`, 服务器).
    Server,
}

impl EndDirection {
    /// The short machine name used in JSON and filters.
    pub fn as_str(self) -> &'static str {
        match self {
            EndDirection::Caller => "caller",
            EndDirection::Callee => "callee",
            EndDirection::Server => "server",
        }
    }
}

/// How the times of a file are to be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeBasis {
    /// Instants in UTC (VOS3000 epoch milliseconds, CUCM epoch seconds).
    Utc,
    /// Local wall-clock datetimes with no zone (Asterisk, FreeSWITCH, the VOS3000 client).
    NaiveLocal,
}

/// A final code exactly as the record gives it: a number or a vendor name.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum RawCode<'a> {
    /// The record has no final code.
    #[default]
    None,
    /// A numeric code (SIP status, Q.850 cause, VOS3000 end reason).
    Num(i32),
    /// A named code (FreeSWITCH cause, Asterisk disposition, VOS3000 reason name).
    Name(&'a str),
}

/// One call attempt, normalized from any CDR format.
///
/// Times are milliseconds: since the Unix epoch for [`TimeBasis::Utc`] files, and since the
/// epoch *as if* the local wall clock were UTC for [`TimeBasis::NaiveLocal`] files.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Call<'a> {
    /// 1-based line number where the row starts in the (decoded) file.
    pub line: u64,
    /// Byte offset of the row's first byte in the original file.
    pub offset: u64,
    /// Length of the row in the original file, in bytes, without its line terminator.
    pub len: u32,
    /// When the call started (setup for most formats; answer time for answered VOS3000 rows).
    pub start_ms: Option<i64>,
    /// When the call was answered, when the format says so.
    pub answer_ms: Option<i64>,
    /// When the call ended.
    pub end_ms: Option<i64>,
    /// Whether the call was answered, by the format's own rule.
    pub answered: bool,
    /// Talk time in seconds (VOS3000 `holdtime`, Asterisk/FreeSWITCH `billsec`).
    pub hold_s: u32,
    /// Billed seconds after billing increments, when present.
    pub billed_s: Option<u32>,
    /// Post-dial delay in milliseconds, when the format records it.
    pub pdd_ms: Option<u32>,
    /// The calling number.
    pub caller: &'a str,
    /// The called number (after ingress prefix handling where the format distinguishes it).
    pub callee: &'a str,
    /// Whether the called number is international as written, without `+`/`00`/`011` (VOS3000
    /// callee numbers after the switch's prefix handling); see docs/outcomes.md section 2.
    pub callee_international: bool,
    /// The ingress gateway or customer the call came from.
    pub ingress: &'a str,
    /// The egress gateway or vendor the call was sent to; empty when it was never routed.
    pub egress: &'a str,
    /// The customer account, when the format has one.
    pub account: &'a str,
    /// The caller signalling IP.
    pub caller_ip: &'a str,
    /// The callee (egress) signalling IP.
    pub callee_ip: &'a str,
    /// The SIP Call-ID or vendor unique id, used for duplicates and failover chains.
    pub call_id: &'a str,
    /// The final code as the format writes it (e.g. `-8`, `503`, `NO ANSWER`, `USER_BUSY`).
    pub code: RawCode<'a>,
    /// The system [`Call::code`] belongs to.
    pub code_system: Option<CodeSystem>,
    /// The final SIP status: 200 when answered, the SIP response when the record has one.
    pub sip_code: Option<u16>,
    /// The Q.850 cause, when the record carries one (never mapped from the SIP code).
    pub q850: Option<u16>,
    /// Who ended the call.
    pub end_direction: Option<EndDirection>,
    /// Amount charged to the customer.
    pub fee: Option<Money>,
    /// Amount paid to the vendor.
    pub cost: Option<Money>,
    /// The most decimal places the fee or cost was written with.
    pub money_decimals: u8,
}
