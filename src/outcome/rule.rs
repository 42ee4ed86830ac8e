//! The failure rule of one final code: fixed for most codes, and for two kinds of code decided
//! per call by whether it rang or who hung up.

use super::{tables, Outcome};
use crate::call::CodeSystem;

/// How an unanswered attempt's outcome follows from its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FailureRule {
    /// The code alone decides.
    Fixed(Outcome),
    /// SIP 408: `no_answer` when the attempt rang (PDD > 0), else `timeout` (Timer B).
    RangOrTimeout,
    /// A normal clearing (Q.850 16, 31): `cancelled` when the caller ended it, else `other`.
    CallerOrOther,
}

impl FailureRule {
    /// The outcome of an unanswered attempt with this rule.
    #[inline]
    pub fn resolve(self, rang: bool, by_caller: bool) -> Outcome {
        match self {
            FailureRule::Fixed(o) => o,
            FailureRule::RangOrTimeout if rang => Outcome::NoAnswer,
            FailureRule::RangOrTimeout => Outcome::Timeout,
            FailureRule::CallerOrOther if by_caller => Outcome::Cancelled,
            FailureRule::CallerOrOther => Outcome::Other,
        }
    }

    /// Whether the outcome depends on whether the attempt rang.
    pub fn needs_ringing(self) -> bool {
        self == FailureRule::RangOrTimeout
    }

    /// Whether the outcome depends on who ended the call.
    pub fn needs_direction(self) -> bool {
        self == FailureRule::CallerOrOther
    }
}

/// What a final code means for the attempts that end with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CodeOutcome {
    /// The outcome of an unanswered attempt with this code.
    pub failure: FailureRule,
    /// The softswitch refused the call itself, before or instead of any gateway (VOS3000
    /// negative reasons and server-side reason names other than the hang-ups).
    pub switch_internal: bool,
    /// A SIP 6xx (or its equivalent): a global failure no other route should be tried for.
    pub global: bool,
    /// The media stopped (RTP or media timeout): on an answered call, a call dropped while the
    /// parties talked, not an ordinary hang-up.
    pub media_lost: bool,
}

impl CodeOutcome {
    /// The meaning of a final code: its system, its printed form, and the SIP final status and
    /// Q.850 cause the record carried with it (docs/outcomes.md, section 1.2).
    pub fn of(system: Option<CodeSystem>, code: &str, sip: Option<u16>, q850: Option<u16>) -> Self {
        let code = code.trim();
        let vendor = system.and_then(|s| tables::vendor(s, code));
        let failure = if let Some(s) = sip.filter(|s| (300..700).contains(s)) {
            tables::sip(s)
        } else if let Some(rule) = vendor {
            rule
        } else if let Some(q) = q850.or_else(|| system.and_then(|s| tables::cause_of(s, code))) {
            tables::q850(q)
        } else {
            FailureRule::Fixed(Outcome::Other)
        };
        let equivalent = sip
            .filter(|s| (300..700).contains(s))
            .or_else(|| system.and_then(|s| crate::codes::equivalent_sip(s, code)));
        CodeOutcome {
            failure,
            switch_internal: system == Some(CodeSystem::Vos3000)
                && tables::vos_switch_internal(code),
            global: matches!(equivalent, Some(600..=699)),
            media_lost: tables::media_lost(code),
        }
    }
}
