//! The SIP transaction timers of RFC 3261 (§17 and the timer table of its Appendix A): not codes a
//! record carries, but what explains them — a 408 after 32 s is Timer B expiring.

use super::entry::{Billable, Class, Confidence, Entry, Failover, RefSystem};

/// (name, meaning as RFC 3261's table words it, section, default value in milliseconds; a
/// "more than" value such as Timer C's is its lower bound, and a UDP/TCP value its UDP one).
const TIMERS: &[(&str, &str, &str, u32)] = &[
    ("T1", "RTT Estimate", "RFC 3261 §17.1.1.1", 500),
    (
        "T2",
        "The maximum retransmit interval for non-INVITE requests and INVITE responses",
        "RFC 3261 §17.1.2.2",
        4_000,
    ),
    (
        "T4",
        "Maximum duration a message will remain in the network",
        "RFC 3261 §17.1.2.2",
        5_000,
    ),
    (
        "Timer A",
        "INVITE request retransmit interval, for UDP only",
        "RFC 3261 §17.1.1.2",
        500,
    ),
    (
        "Timer B",
        "INVITE transaction timeout timer",
        "RFC 3261 §17.1.1.2",
        32_000,
    ),
    (
        "Timer C",
        "Proxy INVITE transaction timeout",
        "RFC 3261 §16.6",
        180_000,
    ),
    (
        "Timer D",
        "Wait time for response retransmits",
        "RFC 3261 §17.1.1.2",
        32_000,
    ),
    (
        "Timer E",
        "Non-INVITE request retransmit interval, UDP only",
        "RFC 3261 §17.1.2.2",
        500,
    ),
    (
        "Timer F",
        "Non-INVITE transaction timeout timer",
        "RFC 3261 §17.1.2.2",
        32_000,
    ),
    (
        "Timer G",
        "INVITE response retransmit interval",
        "RFC 3261 §17.2.1",
        500,
    ),
    (
        "Timer H",
        "Wait time for ACK receipt",
        "RFC 3261 §17.2.1",
        32_000,
    ),
    (
        "Timer I",
        "Wait time for ACK retransmits",
        "RFC 3261 §17.2.1",
        5_000,
    ),
    (
        "Timer J",
        "Wait time for non-INVITE request retransmits",
        "RFC 3261 §17.2.2",
        32_000,
    ),
    (
        "Timer K",
        "Wait time for response retransmits",
        "RFC 3261 §17.1.2.2",
        5_000,
    ),
];

/// The default value of a timer in milliseconds, so "32 s" finds Timer B; `None` for other codes.
pub(super) fn default_ms(e: &Entry) -> Option<u32> {
    if e.system != RefSystem::SipTimer {
        return None;
    }
    TIMERS.iter().find(|t| t.0 == e.code).map(|t| t.3)
}

/// Builds the timer entries, in the order of RFC 3261's table.
pub(super) fn entries() -> Vec<Entry> {
    TIMERS
        .iter()
        .map(|&(code, name, section, _)| Entry {
            system: RefSystem::SipTimer,
            code: code.to_string(),
            name,
            class: Class::Timer,
            // Not a final code: the card shows neither billing nor failover for it.
            billable: Billable::No,
            failover: Failover::NotApplicable,
            sip: None,
            q850: None,
            reference: section,
            aliases: &[],
            confidence: Confidence::High,
            assigned: true,
        })
        .collect()
}
