//! The language-neutral facts about one code: what it is, its class in its own standard,
//! whether it is billed and what it does to gateway failover. Texts live in the language tables
//! (`text.rs`); what a code means for an attempt's outcome is decided in `crate::outcome` only.

use crate::call::CodeSystem;
use crate::outcome::{CodeOutcome, FailureRule};
use serde::Serialize;

/// The table a knowledge-base entry belongs to: the call-record code systems plus VOS3000's end
/// direction, which the reference also explains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RefSystem {
    /// SIP response status codes (the IANA registry).
    Sip,
    /// ITU-T Q.850 / ISDN cause values 1–127.
    Q850,
    /// VOS3000 `endreason` values that are not SIP codes (negative codes, reason names).
    Vos3000,
    /// VOS3000 `enddirection` (0 caller, 1 callee, 2 server).
    Vos3000EndDirection,
    /// FreeSWITCH hangup cause names.
    #[serde(rename = "freeswitch")]
    FreeSwitch,
    /// Asterisk CDR dispositions and Dial() `DIALSTATUS` values.
    Asterisk,
    /// The SIP transaction timers of RFC 3261 (T1, Timer B, …): not codes, but what explains
    /// them.
    SipTimer,
    /// Cisco Unified CM's own cause values (above 127 and a few unassigned ones), which CUCM
    /// records write where Q.850 causes go.
    Cisco,
}

impl RefSystem {
    /// Every system, in the order the reference lists them.
    pub const ALL: [RefSystem; 8] = [
        RefSystem::Sip,
        RefSystem::Q850,
        RefSystem::Vos3000,
        RefSystem::Vos3000EndDirection,
        RefSystem::FreeSwitch,
        RefSystem::Asterisk,
        RefSystem::SipTimer,
        RefSystem::Cisco,
    ];

    /// The short machine name, also the prefix of the entry's text keys.
    pub fn as_str(self) -> &'static str {
        match self {
            RefSystem::Sip => "sip",
            RefSystem::Q850 => "q850",
            RefSystem::Vos3000 => "vos3000",
            RefSystem::Vos3000EndDirection => "vos3000_end_direction",
            RefSystem::FreeSwitch => "freeswitch",
            RefSystem::Asterisk => "asterisk",
            RefSystem::SipTimer => "sip_timer",
            RefSystem::Cisco => "cisco",
        }
    }
}

/// The class a code belongs to in its own system (SIP response class, Q.850 class, or the
/// vendor's own kind of value).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// SIP 1xx: provisional; never a final outcome.
    Provisional,
    /// SIP 2xx: success.
    Success,
    /// SIP 3xx: redirection.
    Redirection,
    /// SIP 4xx: request failure (client error).
    ClientError,
    /// SIP 5xx: server failure.
    ServerFailure,
    /// SIP 6xx: global failure.
    GlobalFailure,
    /// Q.850 1–31: normal event.
    NormalEvent,
    /// Q.850 32–47: resource unavailable.
    ResourceUnavailable,
    /// Q.850 48–63: service or option not available.
    ServiceNotAvailable,
    /// Q.850 64–79: service or option not implemented.
    ServiceNotImplemented,
    /// Q.850 80–95: invalid message.
    InvalidMessage,
    /// Q.850 96–111: protocol error.
    ProtocolError,
    /// Q.850 112–127: interworking.
    Interworking,
    /// A vendor's own value outside the standards (FreeSWITCH > 127, VOS3000 internal codes,
    /// Cisco CUCM values).
    VendorInternal,
    /// An Asterisk CDR disposition.
    Disposition,
    /// An Asterisk Dial() `DIALSTATUS` value.
    DialStatus,
    /// A VOS3000 end direction.
    EndDirection,
    /// A SIP transaction timer (RFC 3261 §17).
    Timer,
}

impl Class {
    /// The short machine name, also the text key of the class label and meaning.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Provisional => "provisional",
            Class::Success => "success",
            Class::Redirection => "redirection",
            Class::ClientError => "client_error",
            Class::ServerFailure => "server_failure",
            Class::GlobalFailure => "global_failure",
            Class::NormalEvent => "normal_event",
            Class::ResourceUnavailable => "resource_unavailable",
            Class::ServiceNotAvailable => "service_not_available",
            Class::ServiceNotImplemented => "service_not_implemented",
            Class::InvalidMessage => "invalid_message",
            Class::ProtocolError => "protocol_error",
            Class::Interworking => "interworking",
            Class::VendorInternal => "vendor_internal",
            Class::Disposition => "disposition",
            Class::DialStatus => "dial_status",
            Class::EndDirection => "end_direction",
            Class::Timer => "timer",
        }
    }

    /// The class of a SIP status code, or `None` outside 100–699.
    pub fn of_sip(code: u16) -> Option<Class> {
        Some(match code {
            100..=199 => Class::Provisional,
            200..=299 => Class::Success,
            300..=399 => Class::Redirection,
            400..=499 => Class::ClientError,
            500..=599 => Class::ServerFailure,
            600..=699 => Class::GlobalFailure,
            _ => return None,
        })
    }

    /// The class of a Q.850 cause value (ranges of Q.850 §2.2.7), vendor-internal above 127.
    pub fn of_q850(cause: u16) -> Class {
        match cause {
            0..=31 => Class::NormalEvent,
            32..=47 => Class::ResourceUnavailable,
            48..=63 => Class::ServiceNotAvailable,
            64..=79 => Class::ServiceNotImplemented,
            80..=95 => Class::InvalidMessage,
            96..=111 => Class::ProtocolError,
            112..=127 => Class::Interworking,
            _ => Class::VendorInternal,
        }
    }
}

/// Whether a call ending with this code is billed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Billable {
    /// Billed: the call was answered.
    Yes,
    /// Never billed: the call was not answered.
    No,
    /// Billed only when the record has talk time (normal hang-up codes end both kinds).
    IfTalkTime,
}

impl Billable {
    /// The short machine name, also the text key of its label.
    pub fn as_str(self) -> &'static str {
        match self {
            Billable::Yes => "yes",
            Billable::No => "no",
            Billable::IfTalkTime => "if_talk_time",
        }
    }
}

/// What a softswitch's gateway failover (VOS3000 routing) does after this final code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Failover {
    /// No failover question: not a routing failure (the call succeeded, is still in progress,
    /// or a party or a feature ended it).
    NotApplicable,
    /// The softswitch tries the next gateway in the route.
    Continue,
    /// The next gateway is tried unless the "stop on busy" switch is on (VOS3000 486).
    ContinueUnlessBusyStop,
    /// Gateway switching stops here (VOS3000: every 6xx).
    Stop,
    /// The code says no gateway is left: the switch tries the next gateway while one is left and
    /// records this when none is (VOS3000 NoAvailableRouter, AllGatewayBusy).
    Exhausted,
    /// No gateway is tried: the switch refuses the call before routing it (balance, account).
    Refused,
}

impl Failover {
    /// The short machine name, also the text key of its label.
    pub fn as_str(self) -> &'static str {
        match self {
            Failover::NotApplicable => "not_applicable",
            Failover::Continue => "continue",
            Failover::ContinueUnlessBusyStop => "continue_unless_busy_stop",
            Failover::Stop => "stop",
            Failover::Exhausted => "exhausted",
            Failover::Refused => "refused",
        }
    }

    /// VOS3000's rule for a final SIP status: 6xx stop switching, 486 continues unless
    /// busy-stop is on, other failures continue; success, provisional and 487 (the caller left)
    /// raise no failover question.
    pub fn of_sip(code: u16) -> Failover {
        match code {
            100..=299 | 487 => Failover::NotApplicable,
            486 => Failover::ContinueUnlessBusyStop,
            600..=699 => Failover::Stop,
            _ => Failover::Continue,
        }
    }
}

/// How sure the knowledge base is about an entry's meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// From a standard or the vendor's source code.
    High,
    /// From one secondary source or inferred from real data.
    Medium,
    /// Assumed, or seen only in unofficial material.
    Low,
}

impl Confidence {
    /// The short machine name, also the text key of its label.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    }
}

/// One code in the knowledge base, with every language-neutral fact about it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entry {
    /// The table the code belongs to.
    pub system: RefSystem,
    /// The code exactly as records carry it: `503`, `34`, `NORMAL_CLEARING`, `-69`, `NO ANSWER`.
    pub code: String,
    /// The official (English) name: the SIP reason phrase, the Q.850 cause name, the vendor name.
    pub name: &'static str,
    /// The class within its system.
    pub class: Class,
    /// Whether a call ending so is billed.
    pub billable: Billable,
    /// What gateway failover does next.
    pub failover: Failover,
    /// The SIP status this code corresponds to (the vendor's own mapping for vendor codes).
    pub sip: Option<u16>,
    /// The Q.850 cause this code carries or corresponds to.
    pub q850: Option<u16>,
    /// Where the code is defined: an RFC, ITU-T Q.850, a vendor source.
    pub reference: &'static str,
    /// Other spellings records use (Chinese client labels, CamelCase names), found by search.
    pub aliases: &'static [&'static str],
    /// How sure the meaning is.
    pub confidence: Confidence,
    /// False for Q.850 values no standard assigns.
    pub assigned: bool,
}

impl Entry {
    /// The prefix of this entry's keys in the language tables, e.g. `sip.503`.
    pub fn text_key(&self) -> String {
        format!("{}.{}", self.system.as_str(), self.code)
    }

    /// The code system a call record writes this entry's code in, or `None` for entries that
    /// are not final codes (VOS3000 end directions, SIP timers).
    pub fn code_system(&self) -> Option<CodeSystem> {
        Some(match self.system {
            RefSystem::Sip => CodeSystem::Sip,
            RefSystem::Q850 | RefSystem::Cisco => CodeSystem::Q850,
            RefSystem::Vos3000 => CodeSystem::Vos3000,
            RefSystem::FreeSwitch => CodeSystem::FreeSwitch,
            RefSystem::Asterisk => CodeSystem::Asterisk,
            RefSystem::Vos3000EndDirection | RefSystem::SipTimer => return None,
        })
    }

    /// The rule `crate::outcome` applies to an unanswered call that ends with this code alone
    /// (a SIP code as the record's SIP final status), or `None` when the entry is not a code.
    pub fn failure_rule(&self) -> Option<FailureRule> {
        let system = self.code_system()?;
        let sip = match system {
            CodeSystem::Sip => self.code.parse().ok(),
            _ => None,
        };
        Some(CodeOutcome::of(Some(system), &self.code, sip, None).failure)
    }
}
