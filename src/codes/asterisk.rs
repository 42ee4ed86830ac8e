//! Asterisk CDR dispositions (`disposition` column of Master.csv and the `cdr` table).

use super::entry::{Billable, Class, Confidence, Entry, Failover, RefSystem};

/// (disposition, billable, the SIP response it usually stands for, the hangup cause
/// Asterisk derives it from). FAILED covers every other cause.
type Disposition = (&'static str, Billable, Option<u16>, Option<u16>);

const DISPOSITIONS: &[Disposition] = &[
    ("ANSWERED", Billable::Yes, Some(200), Some(16)),
    ("NO ANSWER", Billable::No, Some(480), Some(19)),
    ("BUSY", Billable::No, Some(486), Some(17)),
    ("FAILED", Billable::No, None, None),
    ("CONGESTION", Billable::No, Some(503), Some(34)),
];

/// Builds the Asterisk entries.
pub(super) fn entries() -> Vec<Entry> {
    DISPOSITIONS
        .iter()
        .map(|&(name, billable, sip, q850)| Entry {
            system: RefSystem::Asterisk,
            code: name.to_string(),
            name,
            class: Class::Disposition,
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
