//! Asterisk CDR dispositions (`disposition` column of Master.csv and the `cdr` table).

use super::entry::{Billable, Category, Class, Confidence, Entry, Failover, RefSystem};

/// (disposition, category, billable, the SIP response it usually stands for, the hangup cause
/// Asterisk derives it from). FAILED covers every other cause.
type Disposition = (&'static str, Category, Billable, Option<u16>, Option<u16>);

const DISPOSITIONS: &[Disposition] = &[
    (
        "ANSWERED",
        Category::Success,
        Billable::Yes,
        Some(200),
        Some(16),
    ),
    (
        "NO ANSWER",
        Category::NoAnswer,
        Billable::No,
        Some(480),
        Some(19),
    ),
    (
        "BUSY",
        Category::UserBusy,
        Billable::No,
        Some(486),
        Some(17),
    ),
    ("FAILED", Category::ServerError, Billable::No, None, None),
    (
        "CONGESTION",
        Category::Capacity,
        Billable::No,
        Some(503),
        Some(34),
    ),
];

/// Builds the Asterisk entries.
pub(super) fn entries() -> Vec<Entry> {
    DISPOSITIONS
        .iter()
        .map(|&(name, category, billable, sip, q850)| Entry {
            system: RefSystem::Asterisk,
            code: name.to_string(),
            name,
            class: Class::Disposition,
            category,
            billable,
            failover: match sip {
                Some(s) => Failover::of_sip(s),
                None => Failover::Continue,
            },
            sip,
            q850,
            reference: "Asterisk cdr.conf / CDR specification",
            aliases: match name {
                "NO ANSWER" => &["NOANSWER", "NO_ANSWER"],
                _ => &[],
            },
            confidence: Confidence::High,
            assigned: true,
        })
        .collect()
}
