//! VOS3000 end reasons that are not SIP codes (internal negative values, the server-side reason
//! names and their Chinese client labels) and the end direction.
//!
//! Positive `endreason` values 100–699 are the SIP response from the far end and live in the SIP
//! table. The meanings here are partly unverified; each entry carries its confidence.

use super::entry::{Billable, Class, Confidence, Entry, Failover, RefSystem};

/// One VOS3000 reason: (code, English name, billable, what gateway switching does, the SIP status
/// VOS3000 sends to the caller, aliases, confidence).
type Reason = (
    &'static str,
    &'static str,
    Billable,
    Failover,
    Option<u16>,
    &'static [&'static str],
    Confidence,
);

use Failover::{Continue, Exhausted, NotApplicable, Refused};

/// The reason names and their SIP status come from one vendor-support blog (cdr-domain.md §2.2,
/// low confidence). The failover column follows VOS3000's gateway switching as its manual
/// §4.3.5.2 is quoted by vendor blogs (also low): a failed gateway, a timeout included, makes the
/// switch try the next routing gateway while one is left; a reason that names the whole route
/// (no route, all gateways busy) is what it records when none is; balance and the -69 refusal
/// happen before any gateway is tried.
const REASONS: &[Reason] = &[
    (
        "-8",
        "Callee hung up",
        Billable::IfTalkTime,
        NotApplicable,
        None,
        &[
            "被叫挂断",
            "CalleeHangup",
            "Callee hang up",
            "Callee Hangup",
        ],
        Confidence::Medium,
    ),
    (
        "-9",
        "Caller hung up",
        Billable::IfTalkTime,
        NotApplicable,
        None,
        &[
            "主叫挂断",
            "CallerHangup",
            "Caller hang up",
            "Caller Hangup",
        ],
        Confidence::Low,
    ),
    (
        "-69",
        "Server-side failure before any gateway",
        Billable::No,
        Refused,
        None,
        &[],
        Confidence::Low,
    ),
    (
        "NoAvailableRouter",
        "No available route",
        Billable::No,
        Exhausted,
        Some(503),
        &["无可用路由", "No Available Router"],
        Confidence::Low,
    ),
    (
        "AllGatewayBusy",
        "All gateways busy",
        Billable::No,
        Exhausted,
        Some(503),
        &["All Gateway Busy"],
        Confidence::Low,
    ),
    (
        "GatewayTimeout",
        "Gateway timeout",
        Billable::No,
        Continue,
        Some(408),
        &["Gateway Timeout"],
        Confidence::Low,
    ),
    (
        "InviteTimeout",
        "INVITE timeout",
        Billable::No,
        Continue,
        Some(408),
        &["Invite Timeout"],
        Confidence::Low,
    ),
    (
        "AccountBalanceNotEnough",
        "Account balance not enough",
        Billable::No,
        Refused,
        Some(503),
        &[
            "余额不足",
            "Insufficient Balance",
            "Account Balance Not Enough",
        ],
        Confidence::Low,
    ),
];

/// (value, English name, Chinese label and other spellings).
const DIRECTIONS: &[(&str, &str, &[&str])] = &[
    ("0", "Caller ended the call", &["主叫", "caller"]),
    ("1", "Callee ended the call", &["被叫", "callee"]),
    ("2", "Server ended the call", &["服务器", "server"]),
];

/// The integer form of a VOS3000 end reason written as text, when it has one.
pub fn reason_number(text: &str) -> Option<i32> {
    let t = text.trim();
    REASONS
        .iter()
        .filter(|r| r.0.starts_with('-'))
        .find(|r| r.5.iter().any(|a| a.eq_ignore_ascii_case(t)))
        .and_then(|r| r.0.parse().ok())
}

/// Finds the reason entry key for a code or any of its spellings (case-insensitive).
pub(super) fn canonical(text: &str) -> Option<&'static str> {
    let t = text.trim();
    REASONS
        .iter()
        .find(|r| r.0.eq_ignore_ascii_case(t) || r.5.iter().any(|a| a.eq_ignore_ascii_case(t)))
        .map(|r| r.0)
}

/// Builds the VOS3000 end-reason entries.
pub(super) fn entries() -> Vec<Entry> {
    REASONS
        .iter()
        .map(
            |&(code, name, billable, failover, sip, aliases, confidence)| Entry {
                system: RefSystem::Vos3000,
                code: code.to_string(),
                name,
                class: Class::VendorInternal,
                billable,
                failover,
                sip,
                q850: None,
                reference: "VOS3000 e_cdr.endreason",
                aliases,
                confidence,
                assigned: true,
            },
        )
        .collect()
}

/// Builds the end-direction entries.
pub(super) fn direction_entries() -> Vec<Entry> {
    DIRECTIONS
        .iter()
        .map(|&(code, name, aliases)| Entry {
            system: RefSystem::Vos3000EndDirection,
            code: code.to_string(),
            name,
            class: Class::EndDirection,
            billable: Billable::IfTalkTime,
            failover: Failover::NotApplicable,
            sip: None,
            q850: None,
            reference: "VOS3000 e_cdr.enddirection",
            aliases,
            confidence: Confidence::High,
            assigned: true,
        })
        .collect()
}
