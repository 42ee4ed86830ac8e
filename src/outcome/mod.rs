//! The outcome of every attempt, decided here and nowhere else (docs/outcomes.md).
//!
//! Whether a call was answered comes first, from the format's answered rule; the code of an
//! answered call only says how it ended. An unanswered attempt gets its failure outcome from its
//! deciding code: a SIP final status, else a vendor reason, else a Q.850 cause ([`tables`]).
//! Groups, health, findings, filters, charts, tables, the CLI and the page all read the outcome
//! from here, so "failure" means the same thing everywhere.

mod rule;
pub mod tables;

pub use rule::{CodeOutcome, FailureRule};

use crate::call::{CodeSystem, EndDirection};
use serde::{Deserialize, Serialize};

/// What became of one call attempt: a small closed set, the same for every format.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The call was answered, by the format's own answered rule.
    Answered,
    /// The called party was busy (486, 600, Q.850 17, BUSY).
    Busy,
    /// It rang, or the user was absent, and nobody answered (480, Q.850 18–20, NO ANSWER).
    NoAnswer,
    /// The caller gave up before answer (487, ORIGINATOR_CANCEL, VOS3000 -9 unanswered).
    Cancelled,
    /// The called party or its network declined the call (603, Q.850 21).
    Rejected,
    /// The number does not exist, is incomplete or changed (404, 484, Q.850 1, 28).
    NumberError,
    /// Nowhere to send the call: the switch's own routing (VOS3000 NoAvailableRouter, -69) or
    /// the next network's (Q.850 2, 3).
    NoRoute,
    /// The vendor or the network was unavailable or out of capacity (500, 502, 503, Q.850 34).
    Unavailable,
    /// Nothing answered the request in time (408 without ringing, 504, Q.850 102).
    Timeout,
    /// Media or codec negotiation failed (488, 606, Q.850 58, 65, 88).
    Media,
    /// Authentication, authorization, account or balance refused the call (401, 403, 407).
    Auth,
    /// Anything else, and unanswered attempts whose code does not say why.
    #[default]
    Other,
}

impl Outcome {
    /// Every outcome, in stored and display order.
    pub const ALL: [Outcome; 12] = [
        Outcome::Answered,
        Outcome::Busy,
        Outcome::NoAnswer,
        Outcome::Cancelled,
        Outcome::Rejected,
        Outcome::NumberError,
        Outcome::NoRoute,
        Outcome::Unavailable,
        Outcome::Timeout,
        Outcome::Media,
        Outcome::Auth,
        Outcome::Other,
    ];

    /// The short machine name used in JSON, filters and text keys.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Answered => "answered",
            Outcome::Busy => "busy",
            Outcome::NoAnswer => "no_answer",
            Outcome::Cancelled => "cancelled",
            Outcome::Rejected => "rejected",
            Outcome::NumberError => "number_error",
            Outcome::NoRoute => "no_route",
            Outcome::Unavailable => "unavailable",
            Outcome::Timeout => "timeout",
            Outcome::Media => "media",
            Outcome::Auth => "auth",
            Outcome::Other => "other",
        }
    }

    /// Parses a machine name.
    pub fn parse(name: &str) -> Option<Outcome> {
        let name = name.trim();
        Outcome::ALL
            .into_iter()
            .find(|o| o.as_str().eq_ignore_ascii_case(name))
    }

    /// The outcome's index in [`Outcome::ALL`] (it fits in four bits).
    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether the attempt failed (anything but answered).
    pub fn is_failure(self) -> bool {
        self != Outcome::Answered
    }
}

/// The SIP class name of an equivalent SIP status: `1xx` … `6xx`, or `other`.
pub fn sip_class(sip: Option<u16>) -> &'static str {
    match sip {
        Some(100..=199) => "1xx",
        Some(200..=299) => "2xx",
        Some(300..=399) => "3xx",
        Some(400..=499) => "4xx",
        Some(500..=599) => "5xx",
        Some(600..=699) => "6xx",
        _ => "other",
    }
}

/// Everything about one attempt the outcome depends on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Attempt<'a> {
    /// Whether the format's answered rule says the call was answered.
    pub answered: bool,
    /// The system of the final code.
    pub system: Option<CodeSystem>,
    /// The final code as the record writes it (`503`, `-9`, `USER_BUSY`, `NO ANSWER`).
    pub code: &'a str,
    /// The SIP final status the record carries (not one mapped from another code system).
    pub sip: Option<u16>,
    /// The Q.850 cause the record carries.
    pub q850: Option<u16>,
    /// Whether the attempt has a post-dial delay above zero (it rang).
    pub rang: bool,
    /// Who ended the call.
    pub end_direction: Option<EndDirection>,
}

/// The outcome of one attempt (docs/outcomes.md, section 1).
pub fn outcome(a: &Attempt<'_>) -> Outcome {
    if a.answered {
        return Outcome::Answered;
    }
    CodeOutcome::of(a.system, a.code, a.sip, a.q850)
        .failure
        .resolve(a.rang, a.end_direction == Some(EndDirection::Caller))
}

#[cfg(test)]
mod tests;
