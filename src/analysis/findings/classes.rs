//! Which failure family a final code belongs to, for the rules.
//!
//! The shared codes module knows SIP equivalents; the rules also need the vendor reason names
//! (VOS3000 server reasons, FreeSWITCH media causes) that have no single SIP equivalent, so the
//! small table of names lives here.

use crate::analysis::store::CodeKey;
use crate::call::CodeSystem;

/// Bit flags of code families.
pub struct CodeClass;

impl CodeClass {
    /// Capacity or availability: 503 and its equivalents, AllGatewayBusy.
    pub const UNAVAILABLE: u16 = 1;
    /// Request timeouts: 408, 504, gateway/INVITE timeouts.
    pub const TIMEOUT: u16 = 1 << 1;
    /// Number or route not found: 404, 484, 604, NoAvailableRouter.
    pub const ROUTING: u16 = 1 << 2;
    /// Authentication or authorization refused: 401, 403, 407, locked accounts.
    pub const AUTH: u16 = 1 << 3;
    /// 486 Busy Here.
    pub const BUSY: u16 = 1 << 4;
    /// 487 Request Terminated (the caller cancelled).
    pub const CANCEL: u16 = 1 << 5;
    /// Global failures 600–699: the call must not be tried elsewhere.
    pub const GLOBAL: u16 = 1 << 6;
    /// Media trouble: RTP timeout, 488/606 codec negotiation.
    pub const MEDIA: u16 = 1 << 7;
    /// The softswitch refused before any gateway: VOS negative reasons, balance, no route.
    pub const SERVER: u16 = 1 << 8;
}

/// Vendor reason names (lower-cased, spaces and underscores removed) and their families.
const NAMES: &[(&str, u16)] = &[
    ("allgatewaybusy", CodeClass::UNAVAILABLE | CodeClass::SERVER),
    ("connectionlimitexceeded", CodeClass::UNAVAILABLE),
    ("noavailablerouter", CodeClass::ROUTING | CodeClass::SERVER),
    ("ratenotfound", CodeClass::ROUTING | CodeClass::SERVER),
    ("notfound", CodeClass::ROUTING),
    ("accountbalancenotenough", CodeClass::SERVER),
    ("insufficientbalance", CodeClass::SERVER),
    ("accountlocked", CodeClass::AUTH | CodeClass::SERVER),
    ("unregistered", CodeClass::AUTH),
    ("gatewaytimeout", CodeClass::TIMEOUT),
    ("invitetimeout", CodeClass::TIMEOUT),
    ("responsetimeout", CodeClass::TIMEOUT),
    ("connectiontimeout", CodeClass::TIMEOUT),
    ("mediatimeout", CodeClass::MEDIA),
    ("rtptimeout", CodeClass::MEDIA),
    ("incompatibledestination", CodeClass::MEDIA),
    ("bearercapabilitynotavail", CodeClass::MEDIA),
];

/// The families of a code given as the system and its printed form.
pub fn code_classes(system: Option<CodeSystem>, code: &str, equivalent_sip: Option<u16>) -> u16 {
    let code = code.trim();
    let squashed: String = code
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect();
    let mut bits = NAMES
        .iter()
        .filter(|(n, _)| *n == squashed)
        .fold(0, |a, (_, b)| a | b);
    if squashed.contains("rtp") || squashed.contains("mediatimeout") {
        bits |= CodeClass::MEDIA;
    }
    let numeric = code.parse::<i32>().ok();
    let sip_system = matches!(system, Some(CodeSystem::Sip) | Some(CodeSystem::Vos3000));
    if sip_system {
        if let Some(n) = numeric {
            if matches!(n, 401 | 403 | 407) {
                bits |= CodeClass::AUTH;
            }
            if system == Some(CodeSystem::Vos3000) && n < 0 && n != -8 && n != -9 {
                bits |= CodeClass::SERVER;
            }
        }
    }
    match equivalent_sip {
        Some(503) => bits |= CodeClass::UNAVAILABLE,
        Some(408) | Some(504) => bits |= CodeClass::TIMEOUT,
        Some(404) | Some(484) | Some(604) => bits |= CodeClass::ROUTING,
        Some(486) => bits |= CodeClass::BUSY,
        Some(487) => bits |= CodeClass::CANCEL,
        Some(488) => bits |= CodeClass::MEDIA,
        _ => {}
    }
    if let Some(s @ 600..=699) = equivalent_sip {
        bits |= CodeClass::GLOBAL;
        if s == 606 {
            bits |= CodeClass::MEDIA;
        }
    }
    bits
}

/// The families of a stored code.
pub fn classify(k: &CodeKey) -> u16 {
    if k.code.is_empty() {
        return 0;
    }
    code_classes(k.system, &k.code, k.equivalent_sip)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families() {
        let v = Some(CodeSystem::Vos3000);
        assert_eq!(code_classes(v, "503", Some(503)), CodeClass::UNAVAILABLE);
        assert_eq!(code_classes(v, "-69", None), CodeClass::SERVER);
        assert_eq!(code_classes(v, "-9", None), 0);
        assert_eq!(code_classes(v, "403", Some(403)), CodeClass::AUTH);
        assert_eq!(
            code_classes(v, "NoAvailableRouter", None),
            CodeClass::ROUTING | CodeClass::SERVER
        );
        assert_eq!(
            code_classes(v, "AllGatewayBusy", None),
            CodeClass::UNAVAILABLE | CodeClass::SERVER
        );
        assert_eq!(
            code_classes(v, "606", Some(606)),
            CodeClass::GLOBAL | CodeClass::MEDIA
        );
        let fs = Some(CodeSystem::FreeSwitch);
        assert_eq!(code_classes(fs, "MEDIA_TIMEOUT", None), CodeClass::MEDIA);
        assert_eq!(
            code_classes(fs, "RECOVERY_ON_TIMER_EXPIRE", Some(504)),
            CodeClass::TIMEOUT
        );
        // A Q.850 21 is "call rejected", not an authentication failure.
        assert_eq!(code_classes(Some(CodeSystem::Q850), "21", Some(403)), 0);
    }
}
