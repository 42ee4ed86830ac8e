//! Which failure family a stored code belongs to, for the rules: read from the outcome model
//! ([`crate::outcome`]), never decided here.

use crate::analysis::store::CodeKey;
use crate::outcome::{CodeOutcome, FailureRule, Outcome};

/// Bit flags of code families.
pub struct CodeClass;

impl CodeClass {
    /// Outcome `unavailable`: 500, 502, 503 and their equivalents.
    pub const UNAVAILABLE: u16 = 1;
    /// Outcome `timeout`, and SIP 408 whether it rang or not (the rule looks at the PDD).
    pub const TIMEOUT: u16 = 1 << 1;
    /// Outcomes `number_error` and `no_route`.
    pub const ROUTING: u16 = 1 << 2;
    /// Outcome `auth`.
    pub const AUTH: u16 = 1 << 3;
    /// Outcome `busy`.
    pub const BUSY: u16 = 1 << 4;
    /// Outcome `cancelled`.
    pub const CANCEL: u16 = 1 << 5;
    /// Global failures (SIP 6xx or equivalent): the call must not be tried elsewhere.
    pub const GLOBAL: u16 = 1 << 6;
    /// Outcome `media`, and answered calls whose media stopped.
    pub const MEDIA: u16 = 1 << 7;
    /// The softswitch refused the call itself (VOS3000 negative reasons, server reason names).
    pub const SERVER: u16 = 1 << 8;
}

/// The family bit of an outcome.
fn family(o: Outcome) -> u16 {
    match o {
        Outcome::Unavailable => CodeClass::UNAVAILABLE,
        Outcome::Timeout => CodeClass::TIMEOUT,
        Outcome::NumberError | Outcome::NoRoute => CodeClass::ROUTING,
        Outcome::Auth => CodeClass::AUTH,
        Outcome::Busy => CodeClass::BUSY,
        Outcome::Cancelled => CodeClass::CANCEL,
        Outcome::Media => CodeClass::MEDIA,
        Outcome::Answered | Outcome::NoAnswer | Outcome::Rejected | Outcome::Other => 0,
    }
}

/// The families of a code's meaning for unanswered attempts.
pub fn code_classes(meaning: &CodeOutcome) -> u16 {
    let mut bits = match meaning.failure {
        FailureRule::Fixed(o) => family(o),
        FailureRule::RangOrTimeout => CodeClass::TIMEOUT,
        FailureRule::CallerOrOther => 0,
    };
    if meaning.global {
        bits |= CodeClass::GLOBAL;
    }
    if meaning.switch_internal {
        bits |= CodeClass::SERVER;
    }
    bits
}

/// The families of a stored code. An answered call's code only says how it ended: it is in no
/// failure family, only in `MEDIA` when the media stopped (a call dropped mid-conversation).
pub fn classify(k: &CodeKey) -> u16 {
    if k.code.is_empty() {
        return 0;
    }
    if k.answered {
        return if k.meaning.media_lost {
            CodeClass::MEDIA
        } else {
            0
        };
    }
    code_classes(&k.meaning)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::CodeSystem;

    fn of(system: CodeSystem, code: &str, sip: Option<u16>) -> u16 {
        code_classes(&CodeOutcome::of(Some(system), code, sip, None))
    }

    #[test]
    fn families() {
        use CodeSystem::{FreeSwitch, Vos3000, Q850};
        assert_eq!(of(Vos3000, "503", Some(503)), CodeClass::UNAVAILABLE);
        assert_eq!(
            of(Vos3000, "-69", None),
            CodeClass::ROUTING | CodeClass::SERVER
        );
        assert_eq!(of(Vos3000, "-9", None), CodeClass::CANCEL);
        assert_eq!(of(Vos3000, "-8", None), 0);
        assert_eq!(of(Vos3000, "403", Some(403)), CodeClass::AUTH);
        assert_eq!(of(Vos3000, "408", Some(408)), CodeClass::TIMEOUT);
        assert_eq!(
            of(Vos3000, "NoAvailableRouter", None),
            CodeClass::ROUTING | CodeClass::SERVER
        );
        assert_eq!(
            of(Vos3000, "606", Some(606)),
            CodeClass::GLOBAL | CodeClass::MEDIA
        );
        assert_eq!(of(FreeSwitch, "MEDIA_TIMEOUT", None), CodeClass::MEDIA);
        assert_eq!(
            of(FreeSwitch, "RECOVERY_ON_TIMER_EXPIRE", None),
            CodeClass::TIMEOUT
        );
        assert_eq!(of(FreeSwitch, "NORMAL_CLEARING", None), 0);
        // A Q.850 21 is "call rejected", not an authentication failure.
        assert_eq!(of(Q850, "21", None) & CodeClass::AUTH, 0);
    }
}
