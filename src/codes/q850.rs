//! ITU-T Q.850 cause values 1–127: the assigned ones with their names, every other value as
//! "unassigned", so each 1..=127 has an entry.

use super::entry::{Billable, Class, Confidence, Entry, Failover, RefSystem};

/// (cause, Q.850 name). 52 and 54 are Q.931 national values FreeSWITCH uses.
const ASSIGNED: &[(u16, &str)] = &[
    (1, "Unallocated (unassigned) number"),
    (2, "No route to specified transit network"),
    (3, "No route to destination"),
    (4, "Send special information tone"),
    (5, "Misdialled trunk prefix"),
    (6, "Channel unacceptable"),
    (
        7,
        "Call awarded and being delivered in an established channel",
    ),
    (8, "Preemption"),
    (9, "Preemption - circuit reserved for reuse"),
    (14, "QoR: ported number"),
    (16, "Normal call clearing"),
    (17, "User busy"),
    (18, "No user responding"),
    (19, "No answer from user (user alerted)"),
    (20, "Subscriber absent"),
    (21, "Call rejected"),
    (22, "Number changed"),
    (23, "Redirection to new destination"),
    (24, "Call rejected due to feature at the destination"),
    (25, "Exchange routing error"),
    (26, "Non-selected user clearing"),
    (27, "Destination out of order"),
    (28, "Invalid number format (address incomplete)"),
    (29, "Facility rejected"),
    (30, "Response to STATUS ENQUIRY"),
    (31, "Normal, unspecified"),
    (34, "No circuit/channel available"),
    (38, "Network out of order"),
    (39, "Permanent frame mode connection out of service"),
    (40, "Permanent frame mode connection operational"),
    (41, "Temporary failure"),
    (42, "Switching equipment congestion"),
    (43, "Access information discarded"),
    (44, "Requested circuit/channel not available"),
    (46, "Precedence call blocked"),
    (47, "Resource unavailable, unspecified"),
    (49, "Quality of service not available"),
    (50, "Requested facility not subscribed"),
    (52, "Outgoing calls barred (national use)"),
    (53, "Outgoing calls barred within CUG"),
    (54, "Incoming calls barred (national use)"),
    (55, "Incoming calls barred within CUG"),
    (57, "Bearer capability not authorized"),
    (58, "Bearer capability not presently available"),
    (
        62,
        "Inconsistency in designated outgoing access information and subscriber class",
    ),
    (63, "Service or option not available, unspecified"),
    (65, "Bearer capability not implemented"),
    (66, "Channel type not implemented"),
    (69, "Requested facility not implemented"),
    (
        70,
        "Only restricted digital information bearer capability is available",
    ),
    (79, "Service or option not implemented, unspecified"),
    (81, "Invalid call reference value"),
    (82, "Identified channel does not exist"),
    (
        83,
        "A suspended call exists, but this call identity does not",
    ),
    (84, "Call identity in use"),
    (85, "No call suspended"),
    (
        86,
        "Call having the requested call identity has been cleared",
    ),
    (87, "User not member of CUG"),
    (88, "Incompatible destination"),
    (90, "Non-existent CUG"),
    (91, "Invalid transit network selection"),
    (95, "Invalid message, unspecified"),
    (96, "Mandatory information element is missing"),
    (97, "Message type non-existent or not implemented"),
    (
        98,
        "Message not compatible with call state or message type non-existent or not implemented",
    ),
    (
        99,
        "Information element / parameter non-existent or not implemented",
    ),
    (100, "Invalid information element contents"),
    (101, "Message not compatible with call state"),
    (102, "Recovery on timer expiry"),
    (103, "Parameter non-existent or not implemented, passed on"),
    (110, "Message with unrecognized parameter, discarded"),
    (111, "Protocol error, unspecified"),
    (127, "Interworking, unspecified"),
];

/// The name Q.850 gives a cause, or `None` for unassigned values.
pub fn name(cause: u16) -> Option<&'static str> {
    ASSIGNED.iter().find(|r| r.0 == cause).map(|r| r.1)
}

/// Builds the Q.850 entries: one per value 1..=127.
pub(super) fn entries() -> Vec<Entry> {
    (1..=127u16)
        .map(|cause| {
            let assigned = ASSIGNED.iter().find(|r| r.0 == cause);
            // RFC 3398 gives the SIP status; failover follows what that status would do.
            let sip = super::mapping::isup_to_sip(cause);
            Entry {
                system: RefSystem::Q850,
                code: cause.to_string(),
                name: assigned.map_or("Unassigned cause value", |r| r.1),
                class: Class::of_q850(cause),
                billable: if cause == 16 {
                    Billable::IfTalkTime
                } else {
                    Billable::No
                },
                failover: match (cause, sip) {
                    (16, _) => Failover::NotApplicable,
                    (_, Some(s)) => Failover::of_sip(s),
                    (_, None) => Failover::Continue,
                },
                sip,
                q850: Some(cause),
                reference: match cause {
                    52 | 54 => "ITU-T Q.931 (national use)",
                    _ => "ITU-T Q.850",
                },
                aliases: &[],
                confidence: Confidence::High,
                assigned: assigned.is_some(),
            }
        })
        .collect()
}
