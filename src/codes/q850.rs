//! ITU-T Q.850 cause values 1–127: the assigned ones with their names, every other value as
//! "unassigned", so each 1..=127 has an entry.

use super::entry::{Billable, Category, Class, Confidence, Entry, Failover, RefSystem};

use Category as C;

/// (cause, Q.850 name, category). 52 and 54 are Q.931 national values FreeSWITCH uses.
const ASSIGNED: &[(u16, &str, Category)] = &[
    (1, "Unallocated (unassigned) number", C::Routing),
    (2, "No route to specified transit network", C::Routing),
    (3, "No route to destination", C::Routing),
    (4, "Send special information tone", C::Routing),
    (5, "Misdialled trunk prefix", C::Routing),
    (6, "Channel unacceptable", C::TimeoutNetwork),
    (
        7,
        "Call awarded and being delivered in an established channel",
        C::Other,
    ),
    (8, "Preemption", C::Capacity),
    (9, "Preemption - circuit reserved for reuse", C::Capacity),
    (14, "QoR: ported number", C::Routing),
    (16, "Normal call clearing", C::Success),
    (17, "User busy", C::UserBusy),
    (18, "No user responding", C::NoAnswer),
    (19, "No answer from user (user alerted)", C::NoAnswer),
    (20, "Subscriber absent", C::NoAnswer),
    (21, "Call rejected", C::Rejected),
    (22, "Number changed", C::Routing),
    (23, "Redirection to new destination", C::Routing),
    (
        24,
        "Call rejected due to feature at the destination",
        C::Rejected,
    ),
    (25, "Exchange routing error", C::Routing),
    (26, "Non-selected user clearing", C::Cancelled),
    (27, "Destination out of order", C::TimeoutNetwork),
    (28, "Invalid number format (address incomplete)", C::Routing),
    (29, "Facility rejected", C::Rejected),
    (30, "Response to STATUS ENQUIRY", C::Other),
    (31, "Normal, unspecified", C::NoAnswer),
    (34, "No circuit/channel available", C::Capacity),
    (38, "Network out of order", C::TimeoutNetwork),
    (
        39,
        "Permanent frame mode connection out of service",
        C::TimeoutNetwork,
    ),
    (40, "Permanent frame mode connection operational", C::Other),
    (41, "Temporary failure", C::TimeoutNetwork),
    (42, "Switching equipment congestion", C::Capacity),
    (43, "Access information discarded", C::ServerError),
    (44, "Requested circuit/channel not available", C::Capacity),
    (46, "Precedence call blocked", C::Capacity),
    (47, "Resource unavailable, unspecified", C::Capacity),
    (49, "Quality of service not available", C::Capacity),
    (50, "Requested facility not subscribed", C::Rejected),
    (52, "Outgoing calls barred (national use)", C::Rejected),
    (53, "Outgoing calls barred within CUG", C::Rejected),
    (54, "Incoming calls barred (national use)", C::Rejected),
    (55, "Incoming calls barred within CUG", C::Rejected),
    (57, "Bearer capability not authorized", C::Rejected),
    (
        58,
        "Bearer capability not presently available",
        C::MediaCodec,
    ),
    (
        62,
        "Inconsistency in designated outgoing access information and subscriber class",
        C::Rejected,
    ),
    (
        63,
        "Service or option not available, unspecified",
        C::Rejected,
    ),
    (65, "Bearer capability not implemented", C::MediaCodec),
    (66, "Channel type not implemented", C::MediaCodec),
    (69, "Requested facility not implemented", C::ServerError),
    (
        70,
        "Only restricted digital information bearer capability is available",
        C::MediaCodec,
    ),
    (
        79,
        "Service or option not implemented, unspecified",
        C::ServerError,
    ),
    (81, "Invalid call reference value", C::ServerError),
    (82, "Identified channel does not exist", C::ServerError),
    (
        83,
        "A suspended call exists, but this call identity does not",
        C::ServerError,
    ),
    (84, "Call identity in use", C::ServerError),
    (85, "No call suspended", C::ServerError),
    (
        86,
        "Call having the requested call identity has been cleared",
        C::ServerError,
    ),
    (87, "User not member of CUG", C::Rejected),
    (88, "Incompatible destination", C::MediaCodec),
    (90, "Non-existent CUG", C::Routing),
    (91, "Invalid transit network selection", C::Routing),
    (95, "Invalid message, unspecified", C::ServerError),
    (
        96,
        "Mandatory information element is missing",
        C::ServerError,
    ),
    (
        97,
        "Message type non-existent or not implemented",
        C::ServerError,
    ),
    (
        98,
        "Message not compatible with call state or message type non-existent or not implemented",
        C::ServerError,
    ),
    (
        99,
        "Information element / parameter non-existent or not implemented",
        C::ServerError,
    ),
    (100, "Invalid information element contents", C::ServerError),
    (
        101,
        "Message not compatible with call state",
        C::ServerError,
    ),
    (102, "Recovery on timer expiry", C::TimeoutNetwork),
    (
        103,
        "Parameter non-existent or not implemented, passed on",
        C::ServerError,
    ),
    (
        110,
        "Message with unrecognized parameter, discarded",
        C::ServerError,
    ),
    (111, "Protocol error, unspecified", C::ServerError),
    (127, "Interworking, unspecified", C::ServerError),
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
                category: assigned.map_or(C::Other, |r| r.2),
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
