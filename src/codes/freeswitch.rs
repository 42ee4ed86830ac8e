//! FreeSWITCH hangup cause names (switch_types.h `switch_call_cause_t`, v1.10), with their
//! numeric values and the SIP response mod_sofia sends for them.

use super::entry::{Billable, Category, Class, Confidence, Entry, Failover, RefSystem};

use Category as C;

/// (name, value, SIP sent by mod_sofia, category for values above 127; below 128 the Q.850
/// category is used). 480 is also mod_sofia's default for causes it does not map; see
/// [`EXPLICIT_480`].
const CAUSES: &[(&str, u16, u16, Category)] = &[
    ("NONE", 0, 480, C::Other),
    ("UNALLOCATED_NUMBER", 1, 404, C::Other),
    ("NO_ROUTE_TRANSIT_NET", 2, 404, C::Other),
    ("NO_ROUTE_DESTINATION", 3, 404, C::Other),
    ("CHANNEL_UNACCEPTABLE", 6, 480, C::Other),
    ("CALL_AWARDED_DELIVERED", 7, 480, C::Other),
    ("NORMAL_CLEARING", 16, 480, C::Other),
    ("USER_BUSY", 17, 486, C::Other),
    ("NO_USER_RESPONSE", 18, 408, C::Other),
    ("NO_ANSWER", 19, 480, C::Other),
    ("SUBSCRIBER_ABSENT", 20, 480, C::Other),
    ("CALL_REJECTED", 21, 603, C::Other),
    ("NUMBER_CHANGED", 22, 410, C::Other),
    ("REDIRECTION_TO_NEW_DESTINATION", 23, 410, C::Other),
    ("EXCHANGE_ROUTING_ERROR", 25, 483, C::Other),
    ("DESTINATION_OUT_OF_ORDER", 27, 502, C::Other),
    ("INVALID_NUMBER_FORMAT", 28, 484, C::Other),
    ("FACILITY_REJECTED", 29, 501, C::Other),
    ("RESPONSE_TO_STATUS_ENQUIRY", 30, 480, C::Other),
    ("NORMAL_UNSPECIFIED", 31, 480, C::Other),
    ("NORMAL_CIRCUIT_CONGESTION", 34, 503, C::Other),
    ("NETWORK_OUT_OF_ORDER", 38, 503, C::Other),
    ("NORMAL_TEMPORARY_FAILURE", 41, 503, C::Other),
    ("SWITCH_CONGESTION", 42, 503, C::Other),
    ("ACCESS_INFO_DISCARDED", 43, 480, C::Other),
    ("REQUESTED_CHAN_UNAVAIL", 44, 503, C::Other),
    ("PRE_EMPTED", 45, 480, C::Other),
    ("FACILITY_NOT_SUBSCRIBED", 50, 480, C::Other),
    ("OUTGOING_CALL_BARRED", 52, 403, C::Other),
    ("INCOMING_CALL_BARRED", 54, 403, C::Other),
    ("BEARERCAPABILITY_NOTAUTH", 57, 403, C::Other),
    ("BEARERCAPABILITY_NOTAVAIL", 58, 503, C::Other),
    ("SERVICE_UNAVAILABLE", 63, 480, C::Other),
    ("BEARERCAPABILITY_NOTIMPL", 65, 488, C::Other),
    ("CHAN_NOT_IMPLEMENTED", 66, 480, C::Other),
    ("FACILITY_NOT_IMPLEMENTED", 69, 501, C::Other),
    ("SERVICE_NOT_IMPLEMENTED", 79, 501, C::Other),
    ("INVALID_CALL_REFERENCE", 81, 480, C::Other),
    ("INCOMPATIBLE_DESTINATION", 88, 488, C::Other),
    ("INVALID_MSG_UNSPECIFIED", 95, 480, C::Other),
    ("MANDATORY_IE_MISSING", 96, 480, C::Other),
    ("MESSAGE_TYPE_NONEXIST", 97, 480, C::Other),
    ("WRONG_MESSAGE", 98, 480, C::Other),
    ("IE_NONEXIST", 99, 480, C::Other),
    ("INVALID_IE_CONTENTS", 100, 480, C::Other),
    ("WRONG_CALL_STATE", 101, 480, C::Other),
    ("RECOVERY_ON_TIMER_EXPIRE", 102, 504, C::Other),
    ("MANDATORY_IE_LENGTH_ERROR", 103, 480, C::Other),
    ("PROTOCOL_ERROR", 111, 480, C::Other),
    ("INTERWORKING", 127, 480, C::Other),
    ("SUCCESS", 142, 200, C::Success),
    ("ORIGINATOR_CANCEL", 487, 487, C::Cancelled),
    ("CRASH", 700, 480, C::ServerError),
    ("SYSTEM_SHUTDOWN", 701, 480, C::ServerError),
    ("LOSE_RACE", 702, 480, C::Cancelled),
    ("MANAGER_REQUEST", 703, 480, C::Cancelled),
    ("BLIND_TRANSFER", 800, 480, C::Success),
    ("ATTENDED_TRANSFER", 801, 480, C::Success),
    ("ALLOTTED_TIMEOUT", 802, 480, C::Success),
    ("USER_CHALLENGE", 803, 480, C::Authentication),
    ("MEDIA_TIMEOUT", 804, 480, C::MediaCodec),
    ("PICKED_OFF", 805, 480, C::Cancelled),
    ("USER_NOT_REGISTERED", 806, 480, C::NoAnswer),
    ("PROGRESS_TIMEOUT", 807, 480, C::TimeoutNetwork),
    ("INVALID_GATEWAY", 808, 484, C::Routing),
    ("GATEWAY_DOWN", 809, 503, C::TimeoutNetwork),
    ("INVALID_URL", 810, 484, C::Routing),
    ("INVALID_PROFILE", 811, 502, C::Routing),
    ("NO_PICKUP", 812, 480, C::NoAnswer),
    ("SRTP_READ_ERROR", 813, 480, C::MediaCodec),
    ("BOWOUT", 814, 480, C::Success),
    ("BUSY_EVERYWHERE", 815, 600, C::UserBusy),
    ("DECLINE", 816, 603, C::GlobalFailure),
    ("DOES_NOT_EXIST_ANYWHERE", 817, 604, C::Routing),
    ("NOT_ACCEPTABLE", 818, 606, C::MediaCodec),
    ("UNWANTED", 819, 607, C::GlobalFailure),
    ("NO_IDENTITY", 820, 428, C::Authentication),
    ("BAD_IDENTITY_INFO", 821, 436, C::Authentication),
    ("UNSUPPORTED_CERTIFICATE", 822, 437, C::Authentication),
    ("INVALID_IDENTITY", 823, 438, C::Authentication),
    ("STALE_DATE", 824, 403, C::Authentication),
    ("REJECT_ALL", 825, 603, C::Rejected),
];

/// The causes mod_sofia maps to 480 on purpose; every other 480 above is its default.
const EXPLICIT_480: &[&str] = &["NO_ANSWER", "SUBSCRIBER_ABSENT", "NORMAL_UNSPECIFIED"];

/// Builds the FreeSWITCH entries. Values 1–127 take class, category and failover from their
/// Q.850 entry (given as `q850`), so the two never disagree.
pub(super) fn entries(q850: &[Entry]) -> Vec<Entry> {
    CAUSES
        .iter()
        .map(|&(name, value, sip, category)| {
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
                category: q.map_or(category, |q| q.category),
                billable,
                failover: match q {
                    Some(q) => q.failover,
                    None if (100..=299).contains(&sip)
                        || category == C::Cancelled
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
