//! The tables of docs/outcomes.md: SIP status, Q.850 cause and vendor reason to failure
//! outcome. A change here is a change of the specification: update the page and
//! `tests/real/rules.py` with it.

use super::rule::FailureRule;
use super::Outcome;
use crate::call::CodeSystem;

use FailureRule::Fixed;

/// Table 1.3: the failure rule of a SIP final status 300–699.
pub fn sip(code: u16) -> FailureRule {
    Fixed(match code {
        486 | 600 => Outcome::Busy,
        480 => Outcome::NoAnswer,
        408 => return FailureRule::RangOrTimeout,
        487 => Outcome::Cancelled,
        603 | 607 | 608 => Outcome::Rejected,
        404 | 410 | 484 | 485 | 604 => Outcome::NumberError,
        401 | 402 | 403 | 407 => Outcome::Auth,
        500 | 502 | 503 => Outcome::Unavailable,
        504 => Outcome::Timeout,
        415 | 488 | 606 => Outcome::Media,
        _ => Outcome::Other,
    })
}

/// Table 1.4: the failure rule of a Q.850 cause (vendor values above 127 are `other`).
pub fn q850(cause: u16) -> FailureRule {
    Fixed(match cause {
        17 => Outcome::Busy,
        18..=20 => Outcome::NoAnswer,
        21 => Outcome::Rejected,
        1 | 22 | 23 | 28 => Outcome::NumberError,
        2 | 3 | 25 => Outcome::NoRoute,
        27 | 34 | 38 | 41 | 42 | 44 | 47 | 63 => Outcome::Unavailable,
        102 => Outcome::Timeout,
        58 | 65 | 79 | 88 => Outcome::Media,
        50 | 52 | 54 | 55 | 57 => Outcome::Auth,
        487 => Outcome::Cancelled,
        16 | 31 => return FailureRule::CallerOrOther,
        _ => Outcome::Other,
    })
}

/// A VOS3000 reason squashed for matching: a number as it is, a name in lower case without
/// spaces, `_` and `-`.
fn squash(text: &str, buf: &mut [u8; 48]) -> Option<usize> {
    if text.parse::<i64>().is_ok() {
        let b = text.as_bytes();
        buf.get_mut(..b.len())?.copy_from_slice(b);
        return Some(b.len());
    }
    let mut n = 0;
    for b in text.bytes() {
        if matches!(b, b' ' | b'_' | b'-') {
            continue;
        }
        *buf.get_mut(n)? = b.to_ascii_lowercase();
        n += 1;
    }
    Some(n)
}

/// VOS3000 reasons (squashed names, negative values and Chinese client labels).
const VOS3000: &[(&str, Outcome)] = &[
    ("-9", Outcome::Cancelled),
    ("主叫挂断", Outcome::Cancelled),
    ("callerhangup", Outcome::Cancelled),
    ("-8", Outcome::Other),
    ("被叫挂断", Outcome::Other),
    ("calleehangup", Outcome::Other),
    ("-69", Outcome::NoRoute),
    ("noavailablerouter", Outcome::NoRoute),
    ("无可用路由", Outcome::NoRoute),
    ("allgatewaybusy", Outcome::NoRoute),
    ("ratenotfound", Outcome::NoRoute),
    ("gatewaytimeout", Outcome::Timeout),
    ("invitetimeout", Outcome::Timeout),
    ("responsetimeout", Outcome::Timeout),
    ("connectiontimeout", Outcome::Timeout),
    ("accountbalancenotenough", Outcome::Auth),
    ("余额不足", Outcome::Auth),
    ("insufficientbalance", Outcome::Auth),
    ("accountlocked", Outcome::Auth),
    ("unregistered", Outcome::Auth),
    ("connectionlimitexceeded", Outcome::Unavailable),
    ("notfound", Outcome::NumberError),
];

/// Asterisk dispositions and DIALSTATUS values.
const ASTERISK: &[(&str, Outcome)] = &[
    ("BUSY", Outcome::Busy),
    ("NO ANSWER", Outcome::NoAnswer),
    ("NOANSWER", Outcome::NoAnswer),
    ("NO_ANSWER", Outcome::NoAnswer),
    ("CONGESTION", Outcome::Unavailable),
    ("CHANUNAVAIL", Outcome::Unavailable),
    ("CANCEL", Outcome::Cancelled),
    ("DONTCALL", Outcome::Rejected),
    ("TORTURE", Outcome::Rejected),
    ("FAILED", Outcome::Other),
    ("INVALIDARGS", Outcome::Other),
];

/// FreeSWITCH cause names that are not Q.850 causes (or that mean more than their value).
const FREESWITCH: &[(&str, Outcome)] = &[
    ("ORIGINATOR_CANCEL", Outcome::Cancelled),
    ("LOSE_RACE", Outcome::Cancelled),
    ("PICKED_OFF", Outcome::Cancelled),
    ("NO_PICKUP", Outcome::NoAnswer),
    ("USER_NOT_REGISTERED", Outcome::NoAnswer),
    ("PROGRESS_TIMEOUT", Outcome::Timeout),
    ("MEDIA_TIMEOUT", Outcome::Media),
    ("SRTP_READ_ERROR", Outcome::Media),
    ("NOT_ACCEPTABLE", Outcome::Media),
    ("GATEWAY_DOWN", Outcome::Unavailable),
    ("INVALID_GATEWAY", Outcome::NoRoute),
    ("INVALID_URL", Outcome::NoRoute),
    ("INVALID_PROFILE", Outcome::NoRoute),
    ("BUSY_EVERYWHERE", Outcome::Busy),
    ("DECLINE", Outcome::Rejected),
    ("UNWANTED", Outcome::Rejected),
    ("REJECT_ALL", Outcome::Rejected),
    ("DOES_NOT_EXIST_ANYWHERE", Outcome::NumberError),
    ("NO_IDENTITY", Outcome::Auth),
    ("BAD_IDENTITY_INFO", Outcome::Auth),
    ("UNSUPPORTED_CERTIFICATE", Outcome::Auth),
    ("INVALID_IDENTITY", Outcome::Auth),
    ("STALE_DATE", Outcome::Auth),
];

/// 3CX termination reasons (CDR service `reason-terminated`) and call report statuses, as
/// the corpus reader `tests/real/readers/threecx.py` maps them; any other reason is `other`.
const THREECX: &[(&str, Outcome)] = &[
    ("Failed_Cancelled", Outcome::Cancelled),
    ("TerminatedBySrc", Outcome::Cancelled),
    ("NoRouteExists", Outcome::NoRoute),
    ("RouteBusy", Outcome::Busy),
    ("NotAvailable", Outcome::Unavailable),
    ("Unanswered", Outcome::NoAnswer),
    ("Redirected", Outcome::Other),
];

/// Call statuses written as words (carrier call logs, PBX reports, generic `text` codes),
/// compared after squashing case, spaces, `_` and `-`; `answered` marks the words that mean the
/// call was answered ([`text_means_answered`]). Carrier rule of `tests/real/readers/carriers.py`.
const TEXT: &[(&str, Outcome)] = &[
    ("answered", Outcome::Answered),
    ("completed", Outcome::Answered),
    ("answer", Outcome::Answered),
    ("success", Outcome::Answered),
    ("successful", Outcome::Answered),
    ("connected", Outcome::Answered),
    ("busy", Outcome::Busy),
    ("userbusy", Outcome::Busy),
    ("noanswer", Outcome::NoAnswer),
    ("unanswered", Outcome::NoAnswer),
    ("notanswered", Outcome::NoAnswer),
    ("missed", Outcome::NoAnswer),
    ("timeout", Outcome::NoAnswer),
    ("canceled", Outcome::Cancelled),
    ("cancelled", Outcome::Cancelled),
    ("cancel", Outcome::Cancelled),
    ("abandoned", Outcome::Cancelled),
    ("rejected", Outcome::Rejected),
    ("declined", Outcome::Rejected),
    ("congestion", Outcome::Unavailable),
    ("chanunavail", Outcome::Unavailable),
    ("unavailable", Outcome::Unavailable),
    ("noroute", Outcome::NoRoute),
    ("invalidnumber", Outcome::NumberError),
    ("failed", Outcome::Other),
];

/// A status word squashed for [`TEXT`]: lower case, without spaces, `_` and `-`.
fn squash_word(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The outcome a status word names, from the built-in word table (`ANSWERED`, `completed`,
/// `busy`, `no-answer`, `canceled`, …), or the outcome's own machine name (`no_answer`);
/// `None` for a word neither knows.
pub fn text_word(word: &str) -> Option<Outcome> {
    let key = squash_word(word.trim());
    TEXT.iter()
        .find(|(k, _)| *k == key)
        .map(|&(_, o)| o)
        .or_else(|| {
            Outcome::ALL
                .into_iter()
                .find(|o| squash_word(o.as_str()) == key)
        })
}

/// The outcome of a status word: the user's own list first (`"Besetzt": busy`, compared
/// ignoring case), then the built-in word table ([`text_word`]).
pub fn text_outcome(word: &str, user: &[(String, Outcome)]) -> Option<Outcome> {
    let w = word.trim();
    user.iter()
        .find(|(k, _)| k.trim().eq_ignore_ascii_case(w))
        .map(|&(_, o)| o)
        .or_else(|| text_word(w))
}

/// Whether a status word means the call was answered (`completed`, `answered`, …).
pub fn text_means_answered(word: &str) -> bool {
    text_word(word) == Some(Outcome::Answered)
}

/// Table 1.5: the failure rule of a vendor reason, when the vendor's table has the code.
pub fn vendor(system: CodeSystem, code: &str) -> Option<FailureRule> {
    let code = code.trim();
    let find = |table: &[(&str, Outcome)], key: &str| {
        table
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|&(_, o)| Fixed(o))
    };
    match system {
        CodeSystem::Vos3000 => {
            let mut buf = [0u8; 48];
            let n = squash(code, &mut buf)?;
            let key = std::str::from_utf8(&buf[..n]).ok()?;
            find(VOS3000, key).or_else(|| {
                // Any other negative value is a VOS-internal reason the tables do not explain.
                let n: i32 = code.parse().ok()?;
                (n < 0).then_some(Fixed(Outcome::Other))
            })
        }
        CodeSystem::Asterisk => find(ASTERISK, code),
        CodeSystem::FreeSwitch => find(FREESWITCH, code),
        CodeSystem::ThreeCx => find(THREECX, code),
        // A word the table does not know says nothing about why: `other`.
        CodeSystem::Text => Some(Fixed(match text_word(code) {
            Some(Outcome::Answered) | None => Outcome::Other,
            Some(o) => o,
        })),
        CodeSystem::Sip | CodeSystem::Q850 => None,
    }
}

/// The Q.850 cause a code stands for when the record gives no cause column: a Q.850 code
/// itself, or a FreeSWITCH cause name's value.
pub fn cause_of(system: CodeSystem, code: &str) -> Option<u16> {
    match system {
        CodeSystem::Q850 => code.trim().parse().ok(),
        CodeSystem::FreeSwitch => {
            crate::codes::freeswitch_cause_q850(code).or_else(|| code.trim().parse().ok())
        }
        _ => None,
    }
}

/// Whether a VOS3000 end reason is the switch refusing the call itself: a negative value or a
/// server-side reason name, except the two hang-ups.
pub fn vos_switch_internal(code: &str) -> bool {
    let mut buf = [0u8; 48];
    let Some(n) = squash(code.trim(), &mut buf) else {
        return false;
    };
    let key = std::str::from_utf8(&buf[..n]).unwrap_or("");
    if matches!(
        key,
        "-9" | "-8" | "主叫挂断" | "被叫挂断" | "callerhangup" | "calleehangup"
    ) {
        return false;
    }
    match code.trim().parse::<i32>() {
        Ok(n) => n < 0,
        Err(_) => VOS3000.iter().any(|(k, _)| *k == key),
    }
}

/// Whether a code says the media stopped: FreeSWITCH `MEDIA_TIMEOUT` and `SRTP_READ_ERROR`, and
/// vendor reasons that name an RTP or media timeout.
pub fn media_lost(code: &str) -> bool {
    let mut buf = [0u8; 48];
    let Some(n) = squash(code.trim(), &mut buf) else {
        return false;
    };
    let key = std::str::from_utf8(&buf[..n]).unwrap_or("");
    key.contains("rtptimeout")
        || key.contains("mediatimeout")
        || key == "srtpreaderror"
        || key == "rtpdisconnect"
}
