//! FreeSWITCH hangup cause names (switch_types.h `switch_call_cause_t`, v1.10), with their
//! numeric values and the SIP response mod_sofia sends for them.

use super::entry::{Billable, Class, Confidence, Entry, Failover, RefSystem};

/// (name, value, SIP sent by mod_sofia). 480 is also mod_sofia's default for causes it does not
/// map; see [`EXPLICIT_480`].
const CAUSES: &[(&str, u16, u16)] = &[
    ("NONE", 0, 480),
    ("UNALLOCATED_NUMBER", 1, 404),
    ("NO_ROUTE_TRANSIT_NET", 2, 404),
    ("NO_ROUTE_DESTINATION", 3, 404),
    ("CHANNEL_UNACCEPTABLE", 6, 480),
    ("CALL_AWARDED_DELIVERED", 7, 480),
    ("NORMAL_CLEARING", 16, 480),
    ("USER_BUSY", 17, 486),
    ("NO_USER_RESPONSE", 18, 408),
    ("NO_ANSWER", 19, 480),
    ("SUBSCRIBER_ABSENT", 20, 480),
    ("CALL_REJECTED", 21, 603),
    ("NUMBER_CHANGED", 22, 410),
    ("REDIRECTION_TO_NEW_DESTINATION", 23, 410),
    ("EXCHANGE_ROUTING_ERROR", 25, 483),
    ("DESTINATION_OUT_OF_ORDER", 27, 502),
    ("INVALID_NUMBER_FORMAT", 28, 484),
    ("FACILITY_REJECTED", 29, 501),
    ("RESPONSE_TO_STATUS_ENQUIRY", 30, 480),
    ("NORMAL_UNSPECIFIED", 31, 480),
    ("NORMAL_CIRCUIT_CONGESTION", 34, 503),
    ("NETWORK_OUT_OF_ORDER", 38, 503),
    ("NORMAL_TEMPORARY_FAILURE", 41, 503),
    ("SWITCH_CONGESTION", 42, 503),
    ("ACCESS_INFO_DISCARDED", 43, 480),
    ("REQUESTED_CHAN_UNAVAIL", 44, 503),
    ("PRE_EMPTED", 45, 480),
    ("FACILITY_NOT_SUBSCRIBED", 50, 480),
    ("OUTGOING_CALL_BARRED", 52, 403),
    ("INCOMING_CALL_BARRED", 54, 403),
    ("BEARERCAPABILITY_NOTAUTH", 57, 403),
    ("BEARERCAPABILITY_NOTAVAIL", 58, 503),
    ("SERVICE_UNAVAILABLE", 63, 480),
    ("BEARERCAPABILITY_NOTIMPL", 65, 488),
    ("CHAN_NOT_IMPLEMENTED", 66, 480),
    ("FACILITY_NOT_IMPLEMENTED", 69, 501),
    ("SERVICE_NOT_IMPLEMENTED", 79, 501),
    ("INVALID_CALL_REFERENCE", 81, 480),
    ("INCOMPATIBLE_DESTINATION", 88, 488),
    ("INVALID_MSG_UNSPECIFIED", 95, 480),
    ("MANDATORY_IE_MISSING", 96, 480),
    ("MESSAGE_TYPE_NONEXIST", 97, 480),
    ("WRONG_MESSAGE", 98, 480),
    ("IE_NONEXIST", 99, 480),
    ("INVALID_IE_CONTENTS", 100, 480),
    ("WRONG_CALL_STATE", 101, 480),
    ("RECOVERY_ON_TIMER_EXPIRE", 102, 504),
    ("MANDATORY_IE_LENGTH_ERROR", 103, 480),
    ("PROTOCOL_ERROR", 111, 480),
    ("INTERWORKING", 127, 480),
    ("SUCCESS", 142, 200),
    ("ORIGINATOR_CANCEL", 487, 487),
    ("CRASH", 700, 480),
    ("SYSTEM_SHUTDOWN", 701, 480),
    ("LOSE_RACE", 702, 480),
    ("MANAGER_REQUEST", 703, 480),
    ("BLIND_TRANSFER", 800, 480),
    ("ATTENDED_TRANSFER", 801, 480),
    ("ALLOTTED_TIMEOUT", 802, 480),
    ("USER_CHALLENGE", 803, 480),
    ("MEDIA_TIMEOUT", 804, 480),
    ("PICKED_OFF", 805, 480),
    ("USER_NOT_REGISTERED", 806, 480),
    ("PROGRESS_TIMEOUT", 807, 480),
    ("INVALID_GATEWAY", 808, 484),
    ("GATEWAY_DOWN", 809, 503),
    ("INVALID_URL", 810, 484),
    ("INVALID_PROFILE", 811, 502),
    ("NO_PICKUP", 812, 480),
    ("SRTP_READ_ERROR", 813, 480),
    ("BOWOUT", 814, 480),
    ("BUSY_EVERYWHERE", 815, 600),
    ("DECLINE", 816, 603),
    ("DOES_NOT_EXIST_ANYWHERE", 817, 604),
    ("NOT_ACCEPTABLE", 818, 606),
    ("UNWANTED", 819, 607),
    ("NO_IDENTITY", 820, 428),
    ("BAD_IDENTITY_INFO", 821, 436),
    ("UNSUPPORTED_CERTIFICATE", 822, 437),
    ("INVALID_IDENTITY", 823, 438),
    ("STALE_DATE", 824, 403),
    ("REJECT_ALL", 825, 603),
];

/// The causes mod_sofia maps to 480 on purpose; every other 480 above is its default.
const EXPLICIT_480: &[&str] = &["NO_ANSWER", "SUBSCRIBER_ABSENT", "NORMAL_UNSPECIFIED"];

/// Causes after which no failover question arises: the caller left, another leg or extension
/// took the call, or an operator or application hung it up.
const NO_FAILOVER: &[&str] = &[
    "ORIGINATOR_CANCEL",
    "LOSE_RACE",
    "MANAGER_REQUEST",
    "PICKED_OFF",
];

/// Builds the FreeSWITCH entries. Values 1–127 take class and failover from their Q.850 entry
/// (given as `q850`), so the two never disagree.
pub(super) fn entries(q850: &[Entry]) -> Vec<Entry> {
    CAUSES
        .iter()
        .map(|&(name, value, sip)| {
            let q = q850.iter().find(|e| e.q850 == Some(value));
            let billable = match name {
                "NORMAL_CLEARING" | "SUCCESS" | "BLIND_TRANSFER" | "ATTENDED_TRANSFER"
                | "ALLOTTED_TIMEOUT" | "BOWOUT" | "MEDIA_TIMEOUT" | "SRTP_READ_ERROR" | "CRASH"
                | "SYSTEM_SHUTDOWN" | "MANAGER_REQUEST" => Billable::IfTalkTime,
                _ => Billable::No,
            };
            Entry {
                system: RefSystem::FreeSwitch,
                code: name.to_string(),
                name,
                class: q.map_or(Class::of_q850(value), |q| q.class),
                billable,
                failover: match q {
                    Some(q) => q.failover,
                    None if (100..=299).contains(&sip)
                        || NO_FAILOVER.contains(&name)
                        || billable == Billable::IfTalkTime =>
                    {
                        Failover::NotApplicable
                    }
                    None => Failover::of_sip(sip),
                },
                // The default 480 is not a meaning; leave it out so "480" does not find them all.
                sip: (sip != 480 || EXPLICIT_480.contains(&name)).then_some(sip),
                q850: Some(value),
                reference: "FreeSWITCH switch_types.h, mod_sofia",
                // The cause chart prints 0 as NONE; the documentation calls it UNSPECIFIED.
                aliases: if value == 0 { &["UNSPECIFIED"] } else { &[] },
                confidence: Confidence::High,
                assigned: true,
            }
        })
        .collect()
}
