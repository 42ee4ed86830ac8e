//! Asterisk CDR dispositions (`disposition` column of Master.csv and the `cdr` table) and the
//! `DIALSTATUS` values of the Dial() application, which custom CDR templates and AMI records
//! carry as the final code (docs.asterisk.org, Dial application).

use super::entry::{Billable, Class, Confidence, Entry, Failover, RefSystem};

/// (code, class, billable, what trunk failover does, the SIP response it usually stands for,
/// the hangup cause Asterisk derives it from). FAILED covers every other cause.
type Row = (
    &'static str,
    Class,
    Billable,
    Failover,
    Option<u16>,
    Option<u16>,
);

use Class::{DialStatus, Disposition};
use Failover::{Continue, ContinueUnlessBusyStop, NotApplicable, Refused, Stop};

const ROWS: &[Row] = &[
    (
        "ANSWERED",
        Disposition,
        Billable::Yes,
        NotApplicable,
        Some(200),
        Some(16),
    ),
    (
        "NO ANSWER",
        Disposition,
        Billable::No,
        Continue,
        Some(480),
        Some(19),
    ),
    // BUSY and CONGESTION are both dispositions and DIALSTATUS values, with one meaning.
    (
        "BUSY",
        Disposition,
        Billable::No,
        ContinueUnlessBusyStop,
        Some(486),
        Some(17),
    ),
    ("FAILED", Disposition, Billable::No, Continue, None, None),
    (
        "CONGESTION",
        Disposition,
        Billable::No,
        Continue,
        Some(503),
        Some(34),
    ),
    (
        "ANSWER",
        DialStatus,
        Billable::Yes,
        NotApplicable,
        Some(200),
        Some(16),
    ),
    (
        "NOANSWER",
        DialStatus,
        Billable::No,
        Continue,
        Some(480),
        Some(19),
    ),
    // The peer is unreachable or does not exist: dial plans (FreePBX's trunk macro) try the next
    // trunk.
    (
        "CHANUNAVAIL",
        DialStatus,
        Billable::No,
        Continue,
        None,
        None,
    ),
    // The caller hung up before answer.
    (
        "CANCEL",
        DialStatus,
        Billable::No,
        NotApplicable,
        None,
        None,
    ),
    // The called party's privacy screening refused the caller: no other trunk will do better.
    ("DONTCALL", DialStatus, Billable::No, Stop, None, None),
    ("TORTURE", DialStatus, Billable::No, Stop, None, None),
    // The Dial() arguments were invalid: no channel was called.
    ("INVALIDARGS", DialStatus, Billable::No, Refused, None, None),
];

/// Builds the Asterisk entries.
pub(super) fn entries() -> Vec<Entry> {
    ROWS.iter()
        .map(|&(name, class, billable, failover, sip, q850)| Entry {
            system: RefSystem::Asterisk,
            code: name.to_string(),
            name,
            class,
            billable,
            failover,
            sip,
            q850,
            reference: match class {
                DialStatus => "Asterisk Dial() application, DIALSTATUS",
                _ => "Asterisk cdr.conf / CDR specification",
            },
            aliases: match name {
                "NO ANSWER" => &["NO_ANSWER"],
                _ => &[],
            },
            confidence: Confidence::High,
            assigned: true,
        })
        .collect()
}
