//! The IANA SIP response-code registry (sip-parameters, "Response Codes"), with the operator's
//! category of every code. Reason phrases and defining RFCs as registered.

use super::entry::{Billable, Category, Class, Confidence, Entry, Failover, RefSystem};

use Category as C;

/// (code, reason phrase, defining RFC, category), in registry order.
const REGISTRY: &[(u16, &str, &str, Category)] = &[
    (100, "Trying", "RFC 3261", C::Provisional),
    (180, "Ringing", "RFC 3261", C::Provisional),
    (181, "Call Is Being Forwarded", "RFC 3261", C::Provisional),
    (182, "Queued", "RFC 3261", C::Provisional),
    (183, "Session Progress", "RFC 3261", C::Provisional),
    (199, "Early Dialog Terminated", "RFC 6228", C::Provisional),
    (200, "OK", "RFC 3261", C::Success),
    (
        202,
        "Accepted",
        "RFC 3265 (deprecated by RFC 6665)",
        C::Success,
    ),
    (204, "No Notification", "RFC 5839", C::Success),
    (300, "Multiple Choices", "RFC 3261", C::Routing),
    (301, "Moved Permanently", "RFC 3261", C::Routing),
    (302, "Moved Temporarily", "RFC 3261", C::Routing),
    (305, "Use Proxy", "RFC 3261", C::Routing),
    (380, "Alternative Service", "RFC 3261", C::Routing),
    (400, "Bad Request", "RFC 3261", C::Rejected),
    (401, "Unauthorized", "RFC 3261", C::Authentication),
    (402, "Payment Required", "RFC 3261", C::Rejected),
    (403, "Forbidden", "RFC 3261", C::Authentication),
    (404, "Not Found", "RFC 3261", C::Routing),
    (405, "Method Not Allowed", "RFC 3261", C::Rejected),
    (406, "Not Acceptable", "RFC 3261", C::Rejected),
    (
        407,
        "Proxy Authentication Required",
        "RFC 3261",
        C::Authentication,
    ),
    (408, "Request Timeout", "RFC 3261", C::TimeoutNetwork),
    (410, "Gone", "RFC 3261", C::Routing),
    (412, "Conditional Request Failed", "RFC 3903", C::Rejected),
    (413, "Request Entity Too Large", "RFC 3261", C::Rejected),
    (414, "Request-URI Too Long", "RFC 3261", C::Rejected),
    (415, "Unsupported Media Type", "RFC 3261", C::MediaCodec),
    (416, "Unsupported URI Scheme", "RFC 3261", C::Rejected),
    (417, "Unknown Resource-Priority", "RFC 4412", C::Rejected),
    (420, "Bad Extension", "RFC 3261", C::Rejected),
    (421, "Extension Required", "RFC 3261", C::Rejected),
    (422, "Session Interval Too Small", "RFC 4028", C::Rejected),
    (423, "Interval Too Brief", "RFC 3261", C::Rejected),
    (424, "Bad Location Information", "RFC 6442", C::Rejected),
    (425, "Bad Alert Message", "RFC 8876", C::Rejected),
    (428, "Use Identity Header", "RFC 8224", C::Authentication),
    (
        429,
        "Provide Referrer Identity",
        "RFC 3892",
        C::Authentication,
    ),
    (430, "Flow Failed", "RFC 5626", C::TimeoutNetwork),
    (433, "Anonymity Disallowed", "RFC 5079", C::Rejected),
    (436, "Bad Identity Info", "RFC 8224", C::Authentication),
    (437, "Unsupported Credential", "RFC 8224", C::Authentication),
    (
        438,
        "Invalid Identity Header",
        "RFC 8224",
        C::Authentication,
    ),
    (
        439,
        "First Hop Lacks Outbound Support",
        "RFC 5626",
        C::Rejected,
    ),
    (440, "Max-Breadth Exceeded", "RFC 5393", C::Routing),
    (469, "Bad Info Package", "RFC 6086", C::Rejected),
    (470, "Consent Needed", "RFC 5360", C::Rejected),
    (480, "Temporarily Unavailable", "RFC 3261", C::NoAnswer),
    (
        481,
        "Call/Transaction Does Not Exist",
        "RFC 3261",
        C::TimeoutNetwork,
    ),
    (482, "Loop Detected", "RFC 3261", C::Routing),
    (483, "Too Many Hops", "RFC 3261", C::Routing),
    (484, "Address Incomplete", "RFC 3261", C::Routing),
    (485, "Ambiguous", "RFC 3261", C::Routing),
    (486, "Busy Here", "RFC 3261", C::UserBusy),
    (487, "Request Terminated", "RFC 3261", C::Cancelled),
    (488, "Not Acceptable Here", "RFC 3261", C::MediaCodec),
    (489, "Bad Event", "RFC 6665", C::Rejected),
    (491, "Request Pending", "RFC 3261", C::Rejected),
    (493, "Undecipherable", "RFC 3261", C::Rejected),
    (
        494,
        "Security Agreement Required",
        "RFC 3329",
        C::Authentication,
    ),
    (500, "Server Internal Error", "RFC 3261", C::ServerError),
    (501, "Not Implemented", "RFC 3261", C::ServerError),
    (502, "Bad Gateway", "RFC 3261", C::TimeoutNetwork),
    (503, "Service Unavailable", "RFC 3261", C::Capacity),
    (504, "Server Time-out", "RFC 3261", C::TimeoutNetwork),
    (505, "Version Not Supported", "RFC 3261", C::ServerError),
    (513, "Message Too Large", "RFC 3261", C::ServerError),
    (
        555,
        "Push Notification Service Not Supported",
        "RFC 8599",
        C::Rejected,
    ),
    (580, "Precondition Failure", "RFC 3312", C::MediaCodec),
    (600, "Busy Everywhere", "RFC 3261", C::UserBusy),
    (603, "Decline", "RFC 3261", C::GlobalFailure),
    (604, "Does Not Exist Anywhere", "RFC 3261", C::Routing),
    (606, "Not Acceptable", "RFC 3261", C::MediaCodec),
    (607, "Unwanted", "RFC 8197", C::GlobalFailure),
    (608, "Rejected", "RFC 8688", C::GlobalFailure),
];

/// Every registered SIP response code, in registry order.
pub fn registry_codes() -> impl Iterator<Item = u16> {
    REGISTRY.iter().map(|r| r.0)
}

/// Builds the SIP entries of the knowledge base.
pub(super) fn entries() -> Vec<Entry> {
    REGISTRY
        .iter()
        .map(|&(code, name, rfc, category)| Entry {
            system: RefSystem::Sip,
            code: code.to_string(),
            name,
            class: Class::of_sip(code).unwrap_or(Class::ClientError),
            category,
            billable: if (200..300).contains(&code) {
                Billable::Yes
            } else {
                Billable::No
            },
            failover: Failover::of_sip(code),
            sip: Some(code),
            q850: super::mapping::sip_to_isup(code),
            reference: rfc,
            aliases: &[],
            confidence: Confidence::High,
            assigned: true,
        })
        .collect()
}
