//! The code knowledge base: SIP responses, Q.850 causes and vendor end reasons.
//!
//! This first cut holds only what the parsers need; the full knowledge base (entries, advice,
//! mappings, search) grows behind the same functions.

use crate::call::CodeSystem;

/// Parses a VOS3000 end reason written as text (English names or Chinese client labels) into
/// its integer form.
pub fn vos_end_reason_from_text(text: &str) -> Option<i32> {
    match text.trim() {
        "主叫挂断" | "CallerHangup" | "Caller hang up" | "Caller Hangup" => Some(-9),
        "被叫挂断" | "CalleeHangup" | "Callee hang up" | "Callee Hangup" => Some(-8),
        _ => None,
    }
}

/// Returns the Q.850 cause value of a FreeSWITCH hangup cause name.
pub fn freeswitch_cause_q850(name: &str) -> Option<u16> {
    Some(match name.trim() {
        "UNALLOCATED_NUMBER" => 1,
        "NO_ROUTE_TRANSIT_NET" => 2,
        "NO_ROUTE_DESTINATION" => 3,
        "NORMAL_CLEARING" => 16,
        "USER_BUSY" => 17,
        "NO_USER_RESPONSE" => 18,
        "NO_ANSWER" => 19,
        "SUBSCRIBER_ABSENT" => 20,
        "CALL_REJECTED" => 21,
        "NUMBER_CHANGED" => 22,
        "DESTINATION_OUT_OF_ORDER" => 27,
        "INVALID_NUMBER_FORMAT" => 28,
        "FACILITY_REJECTED" => 29,
        "NORMAL_UNSPECIFIED" => 31,
        "NORMAL_CIRCUIT_CONGESTION" => 34,
        "NETWORK_OUT_OF_ORDER" => 38,
        "NORMAL_TEMPORARY_FAILURE" => 41,
        "SWITCH_CONGESTION" => 42,
        "INCOMPATIBLE_DESTINATION" => 88,
        "RECOVERY_ON_TIMER_EXPIRE" => 102,
        "INTERWORKING" => 127,
        "ORIGINATOR_CANCEL" => 487,
        _ => return None,
    })
}

/// Returns the SIP status a final code is equivalent to, for code-share health (RFC 3398
/// where the code is a Q.850 cause; the vendor's own mapping otherwise).
pub fn equivalent_sip(system: CodeSystem, code: &str) -> Option<u16> {
    let code = code.trim();
    match system {
        CodeSystem::Sip => code.parse().ok().filter(|c| (100..700).contains(c)),
        CodeSystem::Vos3000 => code
            .parse::<i32>()
            .ok()
            .filter(|c| (100..700).contains(c))
            .map(|c| c as u16),
        CodeSystem::Q850 => code.parse().ok().and_then(q850_to_sip),
        CodeSystem::FreeSwitch => freeswitch_cause_q850(code).and_then(q850_to_sip),
        CodeSystem::Asterisk => match code {
            "ANSWERED" => Some(200),
            "BUSY" => Some(486),
            "NO ANSWER" => Some(480),
            "CONGESTION" => Some(503),
            _ => None,
        },
    }
}

/// Maps a Q.850 cause to a SIP status per RFC 3398 §7.2.4.1.
pub fn q850_to_sip(cause: u16) -> Option<u16> {
    Some(match cause {
        16 => 200,
        1..=3 | 26 => 404,
        17 => 486,
        18 => 408,
        19 | 20 | 31 => 480,
        21 | 55 | 57 | 87 => 403,
        22 | 23 => 410,
        27 => 502,
        28 => 484,
        29 | 79 => 501,
        34 | 38 | 41 | 42 | 47 | 58 | 88 => 503,
        65 | 70 => 488,
        102 => 504,
        111 | 127 => 500,
        487 => 487,
        _ => return None,
    })
}

/// A short label for a code (SIP reason phrase, cause or reason name), or `""` when unknown.
pub fn short_label(system: Option<CodeSystem>, code: &str) -> String {
    let code = code.trim();
    match system {
        Some(CodeSystem::Sip) | Some(CodeSystem::Vos3000) => match code {
            "200" => "OK",
            "403" => "Forbidden",
            "404" => "Not Found",
            "408" => "Request Timeout",
            "480" => "Temporarily Unavailable",
            "484" => "Address Incomplete",
            "486" => "Busy Here",
            "487" => "Request Terminated",
            "500" => "Server Internal Error",
            "503" => "Service Unavailable",
            "603" => "Decline",
            "-8" => "Callee hung up",
            "-9" => "Caller hung up",
            _ => "",
        }
        .to_string(),
        _ => String::new(),
    }
}
