//! Sanity checks on a mapped call: values that parse but cannot be true.
//!
//! Decisions (issue 8), chosen so an operator sees every doubtful row instead of having it
//! quietly bend a KPI:
//! - A time before 1990 or from 2100 on is rejected ([`RejectReason::TimeOutOfRange`]): it
//!   is a clock or export fault, and one such row would stretch the timeline over decades.
//! - An end before the start is rejected ([`RejectReason::EndBeforeStart`]). (Negative
//!   `holdtime` or PDD values already fail as [`RejectReason::BadNumber`].)
//! - A PDD longer than the call allows is rejected ([`RejectReason::ImplausiblePdd`]). When
//!   the record has a setup time before its answer time, the limit is that gap. VOS3000 rows
//!   start at the answer (failed calls have `starttime == stoptime` and a non-zero PDD), so no
//!   span bounds their PDD; there the limit is [`MAX_PDD_MS`], beyond any ring timeout.
//! - A talk time longer than the call's own start–end span by more than
//!   [`MAX_TALK_EXCESS_MS`] is rejected ([`RejectReason::TalkLongerThanCall`]): one `holdtime`
//!   of 4294967295 s on a 3-second call would otherwise set the ACD of its gateway. A smaller
//!   excess (beyond [`TALK_SLACK_MS`]) is kept with a note ([`RejectReason::TalkBeyondSpan`]):
//!   real Asterisk exports hold rows with `billsec` 10 and `duration` 5, and the billed talk
//!   time is what the operator's own billing used.
//! - A caller or callee number in scientific notation (`8.61381E+12`, what Excel writes for a
//!   long number) is accepted, since its codes, gateways and times are sound, but reported as
//!   a note ([`RejectReason::ExcelNumber`] through [`crate::ingest::Sink::note`]). Leading
//!   zeros Excel dropped cannot be seen in a row on its own, so those numbers pass unflagged.

use crate::calendar::format_ms;
use crate::call::Call;
use crate::reject::RejectReason;

/// The earliest time accepted: 1990-01-01 00:00:00.
pub const MIN_TIME_MS: i64 = 7305 * 86_400_000;
/// The first time refused: 2100-01-01 00:00:00.
pub const MAX_TIME_MS: i64 = 47_482 * 86_400_000;
/// The longest PDD accepted when the record gives no span for it: 5 minutes, longer than SIP
/// Timer C (3 minutes) and any softswitch ring timeout.
pub const MAX_PDD_MS: u64 = 300_000;

/// How much longer than its start–end span a call's talk time may be: whole-second times
/// and talk times rounded up differ from the span by a second or so; more is a broken row.
pub const TALK_SLACK_MS: i64 = 2_000;

/// How much longer than its start–end span a talk time may be and still be kept (with a
/// note): one hour, far beyond any clock or accounting difference of a real switch.
pub const MAX_TALK_EXCESS_MS: i64 = 3_600_000;

/// Checks a call; `Err` rejects the row, `Ok` carries notes to report on an accepted row.
pub fn check(call: &Call<'_>) -> Result<Vec<RejectReason>, RejectReason> {
    for (column, t) in [
        ("start", call.start_ms),
        ("answer", call.answer_ms),
        ("end", call.end_ms),
    ] {
        if let Some(t) = t {
            if !(MIN_TIME_MS..MAX_TIME_MS).contains(&t) {
                return Err(RejectReason::TimeOutOfRange {
                    column: column.to_string(),
                    value: format_ms(t),
                });
            }
        }
    }
    let mut notes = Vec::new();
    if let (Some(start), Some(end)) = (call.start_ms, call.end_ms) {
        if end < start {
            return Err(RejectReason::EndBeforeStart {
                start: format_ms(start),
                end: format_ms(end),
            });
        }
        // Both times are in range (checked above), so neither expression can overflow.
        let span_ms = end - start;
        let talk_ms = i64::from(call.hold_s) * 1000;
        if talk_ms > span_ms + MAX_TALK_EXCESS_MS {
            return Err(RejectReason::TalkLongerThanCall {
                talk_s: call.hold_s,
                span_ms,
            });
        }
        if talk_ms > span_ms + TALK_SLACK_MS {
            notes.push(RejectReason::TalkBeyondSpan {
                talk_s: call.hold_s,
                span_ms,
            });
        }
    }
    if let Some(pdd) = call.pdd_ms {
        let limit_ms = match (call.start_ms, call.answer_ms) {
            // Both times are in range (checked above), so the difference cannot overflow.
            (Some(start), Some(answer)) if answer > start => (answer - start) as u64,
            _ => MAX_PDD_MS,
        };
        if u64::from(pdd) > limit_ms {
            return Err(RejectReason::ImplausiblePdd {
                pdd_ms: pdd,
                limit_ms,
            });
        }
    }
    for (column, number) in [("caller", call.caller), ("callee", call.callee)] {
        if is_scientific(number) {
            notes.push(RejectReason::ExcelNumber {
                column: column.to_string(),
                value: number.trim().chars().take(40).collect(),
            });
        }
    }
    Ok(notes)
}

/// Whether a value looks like Excel's scientific notation for a number: `8.61381E+12`,
/// `1E+15`, `4.4E12`.
pub fn is_scientific(text: &str) -> bool {
    // Checked on two numbers of every row: most have no exponent letter at all.
    if !has_e(text.as_bytes()) {
        return false;
    }
    let t = text.trim();
    let Some((mantissa, exponent)) = t.split_once(['E', 'e']) else {
        return false;
    };
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    int.len() == 1
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !exponent.is_empty()
        && exponent.len() <= 3
        && exponent.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `bytes` holds an `E` or `e`, eight bytes per step.
fn has_e(bytes: &[u8]) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        // Setting bit 5 folds `E` onto `e` (and nothing else onto it); a byte equal to `e`
        // becomes zero after the XOR, which the classic has-zero-byte test finds exactly.
        let w = u64::from_le_bytes(c.try_into().unwrap_or([0; 8])) | (LO * 0x20);
        let x = w ^ (LO * u64::from(b'e'));
        if x.wrapping_sub(LO) & !x & (LO * 0x80) != 0 {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| b | 0x20 == b'e')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::days_from_civil;

    #[test]
    fn time_bounds_are_the_stated_dates() {
        assert_eq!(MIN_TIME_MS, days_from_civil(1990, 1, 1) * 86_400_000);
        assert_eq!(MAX_TIME_MS, days_from_civil(2100, 1, 1) * 86_400_000);
    }

    #[test]
    fn finds_the_exponent_letter_anywhere() {
        assert!(!has_e(b""));
        assert!(!has_e(b"8613800138000123456"));
        for len in 1..20 {
            for at in 0..len {
                for (byte, want) in [
                    (b'E', true),
                    (b'e', true),
                    (b'd', false),
                    (b'f', false),
                    (0xC5, false),
                    (0xE5, false),
                ] {
                    let mut v = vec![b'7'; len];
                    v[at] = byte;
                    assert_eq!(has_e(&v), want, "{len} {at} {byte}");
                }
            }
        }
    }

    #[test]
    fn recognises_scientific_numbers() {
        assert!(is_scientific("8.61381E+12"));
        assert!(is_scientific("1E+15"));
        assert!(is_scientific("4.4e12"));
        assert!(!is_scientific("8613800138000"));
        assert!(!is_scientific("E+12"));
        assert!(!is_scientific("12.5E+3"));
        assert!(!is_scientific("GW_E1"));
        assert!(!is_scientific(""));
    }
}
