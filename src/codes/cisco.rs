//! Cisco Unified CM's own call termination cause values, which CUCM CDRs write in
//! `origCause_value` / `destCause_value` next to the Q.850 causes.
//!
//! Source: "Call Termination Cause Codes", chapter "Cisco Call Detail Records Codes" of the Call
//! Detail Records Administration Guide for Cisco Unified Communications Manager, Release 12.5(1)
//! (https://www.cisco.com/c/en/us/td/docs/voice_ip_comm/cucm/service/12_5_1/cdrdef/cucm_b_cdr-admin-guide-1251/cucm_b_cdr-admin-guide-1251_chapter_0110.html);
//! the Release 14 and 15 guides print the same table. Values are 32-bit unsigned. A
//! `CCM_SIP_*` value packs a SIP status (its name) and, in its low byte, a Q.850 cause (the guide
//! writes CCM_SIP_482_LOOP_DETECTED as 0x42000000 + EXCHANGE_ROUTING_ERROR). Values not listed
//! here stay unknown.

use super::entry::{Billable, Class, Confidence, Entry, Failover, RefSystem};

/// What a value is, which decides billing, failover and where its texts come from.
#[derive(Clone, Copy)]
enum Kind {
    /// A SIP status CUCM received or sent on a SIP trunk: its texts are the SIP code's.
    Sip(u16),
    /// A feature ended the leg (transfer, conference, preemption): billed if it had talk time,
    /// no failover question. The text group is named.
    Ended(&'static str),
    /// The call could not be set up; CUCM's routing (route lists, AAR, PSTN fallback) can try
    /// another path.
    Failed(&'static str),
    /// A feature request failed; not a routing failure.
    Feature(&'static str),
}

use Kind::{Ended, Failed, Feature, Sip};

/// (value as the hexadecimal the guide prints, Cisco's description, kind). The decimal the
/// guide prints agrees with the hexadecimal everywhere but CCM_SIP_420_BAD_EXTENSION (see
/// [`ALIASES`]).
const VALUES: &[(u32, &str, Kind)] = &[
    (122, "Precedence Level Exceeded", Failed("precedence")),
    (123, "Device not Preemptable", Failed("precedence")),
    (125, "Out of bandwidth", Failed("bandwidth")),
    (126, "Call split (old value)", Ended("split")),
    (129, "Precedence out of bandwidth", Failed("bandwidth")),
    (130, "Natural Isolated Code", Failed("other")),
    (
        131,
        "Call Control Discovery PSTN Failover",
        Failed("fallback"),
    ),
    (132, "IME QOS Fallback", Failed("ime")),
    (133, "PSTN Fallback locate Call Error", Failed("fallback")),
    (
        134,
        "PSTN Fallback wait for DTMF Timeout",
        Failed("fallback"),
    ),
    (135, "IME Failed Connection Timed out", Failed("ime")),
    (136, "IME Failed not enrolled", Failed("ime")),
    (137, "IME Failed socket error", Failed("ime")),
    (138, "IME Failed domain blocked", Failed("ime")),
    (139, "IME Failed prefix blocked", Failed("ime")),
    (140, "IME Failed expired ticket", Failed("ime")),
    (141, "IME Failed remote no matching route", Failed("ime")),
    (142, "IME Failed remote unregistered", Failed("ime")),
    (143, "IME Failed remote IME disabled", Failed("ime")),
    (
        144,
        "IME Failed remote invalid IME trunk URI",
        Failed("ime"),
    ),
    (145, "IME Failed remote URI not E164", Failed("ime")),
    (
        146,
        "IME Failed remote called number not available",
        Failed("ime"),
    ),
    (147, "IME Failed Invalid Ticket", Failed("ime")),
    (148, "IME Failed unknown", Failed("ime")),
    (155, "DCC Allowed Percentage Exceeded", Failed("other")),
    (0x40000, "Conference Full", Feature("conference")),
    (0x60000, "Call split", Ended("split")),
    (
        0x70000,
        "Conference drop any party/Conference drop last party",
        Ended("conference"),
    ),
    (
        0xA0000,
        "CTI_REQUEST_INVALID_PRIMARY_CALL_STATE",
        Feature("other"),
    ),
    (0xD0008, "PREEMPTION_NON_IP", Ended("precedence")),
    (0xE0008, "PREEMPTION_NETWORK", Ended("precedence")),
    (0x0100_0029, "CCM_SIP_400_BAD_REQUEST", Sip(400)),
    (0x0200_0015, "CCM_SIP_401_UNAUTHORIZED", Sip(401)),
    (0x0300_0015, "CCM_SIP_402_PAYMENT_REQUIRED", Sip(402)),
    (0x0400_0015, "CCM_SIP_403_FORBIDDEN", Sip(403)),
    (0x0500_0001, "CCM_SIP_404_NOT_FOUND", Sip(404)),
    (0x0600_003F, "CCM_SIP_405_METHOD_NOT_ALLOWED", Sip(405)),
    (0x0700_004F, "CCM_SIP_406_NOT_ACCEPTABLE", Sip(406)),
    (
        0x0800_0015,
        "CCM_SIP_407_PROXY_AUTHENTICATION_REQUIRED",
        Sip(407),
    ),
    (0x0900_0066, "CCM_SIP_408_REQUEST_TIMEOUT", Sip(408)),
    (0x0B00_0016, "CCM_SIP__410_GONE", Sip(410)),
    (0x0C00_007F, "CCM_SIP_411_LENGTH_REQUIRED", Sip(411)),
    (0x0E00_007F, "CCM_SIP_413_REQUEST_ENTITY_TOO_LONG", Sip(413)),
    (0x0F00_007F, "CCM_SIP_414_REQUEST_URI_TOO_LONG", Sip(414)),
    (0x1000_004F, "CCM_SIP_415_UNSUPPORTED_MEDIA_TYPE", Sip(415)),
    (0x1100_007F, "CCM_SIP_416_UNSUPPORTED_URI_SCHEME", Sip(416)),
    (
        0x1200_003F,
        "CCM_SIP_417_ERR_RESOURCE_PRIORITY_ROUTINE",
        Sip(417),
    ),
    (0x1500_007F, "CCM_SIP_420_BAD_EXTENSION", Sip(420)),
    (0x1600_007F, "CCM_SIP_421_EXTENSION_REQUIRED", Sip(421)),
    (0x1800_007F, "CCM_SIP_423_INTERVAL_TOO_BRIEF", Sip(423)),
    (0x1900_0015, "CCM_SIP_424_BAD_LOCATION_INFO", Sip(424)),
    (0x1E00_0015, "CCM_SIP_429_PROVIDE_REFER_IDENTITY", Sip(429)),
    (0x2200_0015, "CCM_SIP_433_ANONYMITY_DISALLOWED", Sip(433)),
    (0x4000_0012, "CCM_SIP_480_TEMPORARILY_UNAVAILABLE", Sip(480)),
    (0x4100_0029, "CCM_SIP_481_CALL_LEG_DOES_NOT_EXIST", Sip(481)),
    (0x4200_0019, "CCM_SIP_482_LOOP_DETECTED", Sip(482)),
    (0x4300_0019, "CCM_SIP_483_TOO_MANY_HOOPS", Sip(483)),
    (0x4400_001C, "CCM_SIP_484_ADDRESS_INCOMPLETE", Sip(484)),
    (0x4500_0001, "CCM_SIP_485_AMBIGUOUS", Sip(485)),
    (0x4600_0011, "CCM_SIP_486_BUSY_HERE", Sip(486)),
    (0x4700_001F, "CCM_SIP_487_REQUEST_TERMINATED", Sip(487)),
    (0x4800_001F, "CCM_SIP_488_NOT_ACCEPTABLE_HERE", Sip(488)),
    (0x4B00_0011, "CCM_SIP_491_REQUEST_PENDING", Sip(491)),
    (0x4D00_0011, "CCM_SIP_493_UNDECIPHERABLE", Sip(493)),
    (0x5400_0029, "CCM_SIP_500_SERVER_INTERNAL_ERROR", Sip(500)),
    (0x5600_0026, "CCM_SIP_502_BAD_GATEWAY", Sip(502)),
    (0x5700_0029, "CCM_SIP_503_SERVICE_UNAVAILABLE", Sip(503)),
    (
        0xA700_003F,
        "CCM_SIP_503_SERVICE_UNAVAILABLE_SER_OPTION_NOAV",
        Sip(503),
    ),
    (0x5800_0066, "CCM_SIP__504_SERVER_TIME_OUT", Sip(504)),
    (
        0x5900_007F,
        "CCM_SIP_505_SIP_VERSION_NOT_SUPPORTED",
        Sip(505),
    ),
    (0x5A00_007F, "CCM_SIP_513_MESSAGE_TOO_LARGE", Sip(513)),
    (0xA100_0011, "CCM_SIP_600_BUSY_EVERYWHERE", Sip(600)),
    (0xA200_0015, "CCM_SIP_603_DECLINE", Sip(603)),
    (0xA300_0001, "CCM_SIP_604_DOES_NOT_EXIST_ANYWHERE", Sip(604)),
    (0xA400_001F, "CCM_SIP_606_NOT_ACCEPTABLE", Sip(606)),
];

/// Other ways the guides print a value: the signed 32-bit form of values above 2^31 (the
/// Release 14 guide prints 0xA700003F as -1493172161; exports that read the field as a signed
/// integer do the same), and the decimal the guides misprint for CCM_SIP_420_BAD_EXTENSION
/// (83886207 is 0x0500007F; the hexadecimal 0x1500007F and its place in the table say 420).
const ALIASES: &[(u32, &[&str])] = &[
    (0x1500_007F, &["83886207"]),
    (0xA700_003F, &["-1493172161"]),
    (0xA100_0011, &["-1593835503"]),
    (0xA200_0015, &["-1577058283"]),
    (0xA300_0001, &["-1560281087"]),
    (0xA400_001F, &["-1543503841"]),
];

/// The text group of a Cisco entry whose texts are shared ("ime", "split"), or `None` for the
/// `CCM_SIP_*` values, whose texts are the SIP code's.
pub(super) fn group(e: &Entry) -> Option<&'static str> {
    if e.system != RefSystem::Cisco {
        return None;
    }
    let value: u32 = e.code.parse().ok()?;
    VALUES
        .iter()
        .find(|v| v.0 == value)
        .and_then(|v| match v.2 {
            Sip(_) => None,
            Ended(g) | Failed(g) | Feature(g) => Some(g),
        })
}

/// Builds the Cisco entries.
pub(super) fn entries() -> Vec<Entry> {
    VALUES
        .iter()
        .map(|&(value, name, kind)| {
            let (billable, failover, sip) = match kind {
                Sip(s) => (Billable::No, Failover::of_sip(s), Some(s)),
                Ended(_) => (Billable::IfTalkTime, Failover::NotApplicable, None),
                Failed(_) => (Billable::No, Failover::Continue, None),
                Feature(_) => (Billable::No, Failover::NotApplicable, None),
            };
            let aliases = ALIASES
                .iter()
                .find(|a| a.0 == value)
                .map_or(&[][..], |a| a.1);
            Entry {
                system: RefSystem::Cisco,
                code: value.to_string(),
                name,
                class: Class::VendorInternal,
                billable,
                failover,
                sip,
                // The low byte of a CCM_SIP_* value is the Q.850 cause CUCM pairs with it.
                q850: sip.map(|_| (value & 0xFF) as u16),
                reference:
                    "Cisco CUCM CDR Administration Guide 12.5(1), Call Termination Cause Codes",
                aliases,
                confidence: match value {
                    // The name alone, no meaning; and the misprinted decimal.
                    130 | 155 | 0x1500_007F => Confidence::Medium,
                    _ => Confidence::High,
                },
                assigned: true,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_aliases_are_the_same_32_bits() {
        for &(value, aliases) in ALIASES {
            let signed = aliases.iter().filter(|a| a.starts_with('-'));
            for a in signed {
                assert_eq!(a.parse::<i32>().unwrap() as u32, value, "{a}");
            }
        }
        // Every value above 2^31 has its signed form.
        for &(value, name, _) in VALUES.iter().filter(|v| v.0 > i32::MAX as u32) {
            assert!(ALIASES.iter().any(|a| a.0 == value), "{name}");
        }
    }

    #[test]
    fn ccm_sip_values_pack_their_sip_status_and_a_q850_cause() {
        for e in entries().iter().filter(|e| e.sip.is_some()) {
            let s = e.sip.unwrap().to_string();
            assert!(e.name.contains(&format!("_{s}_")), "{}", e.name);
            assert!(e.q850.is_some_and(|q| (1..=127).contains(&q)), "{}", e.name);
        }
        let e = entries()
            .into_iter()
            .find(|e| e.code == "1107296281")
            .unwrap();
        assert_eq!((e.sip, e.q850), (Some(482), Some(25)));
    }
}
