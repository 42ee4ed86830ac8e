//! Fixed-point decimal amounts: fees and costs are summed as integers, never as floats.

use serde::{Serialize, Serializer};
use std::fmt;

/// How many decimal places a [`Money`] keeps (micro-units).
pub const SCALE_DIGITS: u32 = 6;
const SCALE: i64 = 1_000_000;

/// An amount of money in millionths of the currency unit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(pub i64);

impl Money {
    /// Zero.
    pub const ZERO: Money = Money(0);

    /// Parses a plain decimal such as `0.0017`, `-12`, `3.` or `1,5` (comma as decimal mark),
    /// returning the amount and the number of decimal places written.
    ///
    /// More than six decimals are rounded half away from zero; exponents and thousands
    /// separators are refused so a mangled cell is rejected rather than misread.
    pub fn parse(text: &str) -> Option<(Money, u8)> {
        let t = text.trim_ascii().as_bytes();
        let (neg, body) = match t.first()? {
            b'-' => (true, &t[1..]),
            b'+' => (false, &t[1..]),
            _ => (false, t),
        };
        let (int_part, frac_part) = match body.iter().position(|&b| b == b'.' || b == b',') {
            Some(i) => (&body[..i], &body[i + 1..]),
            None => (body, &[][..]),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return None;
        }
        let units = int_value(int_part)?.checked_mul(SCALE)?;
        let mut frac: i64 = 0;
        let mut round_up = false;
        for (i, &b) in frac_part.iter().enumerate() {
            let d = b.wrapping_sub(b'0');
            if d > 9 {
                return None;
            }
            if i < SCALE_DIGITS as usize {
                frac = frac * 10 + i64::from(d);
            } else if i == SCALE_DIGITS as usize {
                round_up = d >= 5;
            }
        }
        let kept = frac_part.len().min(SCALE_DIGITS as usize);
        frac *= [1_000_000, 100_000, 10_000, 1_000, 100, 10, 1][kept];
        let units = units.checked_add(frac + i64::from(round_up))?;
        let decimals = frac_part.len().min(u8::MAX as usize) as u8;
        Some((Money(if neg { -units } else { units }), decimals))
    }

    /// Adds two amounts, saturating instead of overflowing.
    pub fn saturating_add(self, other: Money) -> Money {
        Money(self.0.saturating_add(other.0))
    }

    /// Subtracts an amount, saturating instead of overflowing.
    pub fn saturating_sub(self, other: Money) -> Money {
        Money(self.0.saturating_sub(other.0))
    }

    /// Formats the amount with exactly `decimals` places (rounded half away from zero).
    pub fn to_string_with(self, decimals: u8) -> String {
        let d = u32::from(decimals.min(SCALE_DIGITS as u8));
        let div = 10i64.pow(SCALE_DIGITS - d);
        let abs = self.0.unsigned_abs() as i128;
        let rounded = (abs + i128::from(div / 2)) / i128::from(div);
        let sign = if self.0 < 0 && rounded != 0 { "-" } else { "" };
        if d == 0 {
            return format!("{sign}{rounded}");
        }
        let p = 10i128.pow(d);
        format!(
            "{sign}{}.{:0width$}",
            rounded / p,
            rounded % p,
            width = d as usize
        )
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_string_with(SCALE_DIGITS as u8))
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

/// The value of a run of ASCII digits (empty is 0), or `None` for another byte or an overflow.
///
/// Eighteen digits cannot overflow i64, so they are read with plain arithmetic: `checked_mul`
/// on i64 is a 128-bit multiply call per digit in wasm32.
fn int_value(digits: &[u8]) -> Option<i64> {
    let mut v: i64 = 0;
    for &b in digits {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = if digits.len() <= 18 {
            v * 10 + i64::from(d)
        } else {
            v.checked_mul(10)?.checked_add(i64::from(d))?
        };
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_sums_without_drift() {
        let (a, d) = Money::parse("0.0017").unwrap();
        assert_eq!((a, d), (Money(1_700), 4));
        let mut sum = Money::ZERO;
        for _ in 0..10_000 {
            sum = sum.saturating_add(Money::parse("0.1").unwrap().0);
        }
        assert_eq!(sum.to_string_with(2), "1000.00");
        assert_eq!(Money::parse("-12").unwrap().0.to_string_with(1), "-12.0");
        assert_eq!(Money::parse("1,5").unwrap().0, Money(1_500_000));
        assert_eq!(Money::parse("0.0000005").unwrap().0, Money(1));
        assert_eq!(Money::parse("1.2E+3"), None);
        assert_eq!(Money::parse(""), None);
        assert_eq!(Money::parse("."), None);
        assert_eq!(Money(-4).to_string_with(4), "0.0000");
        assert_eq!(Money::parse(" +3. "), Some((Money(3_000_000), 0)));
        assert_eq!(Money::parse(".25"), Some((Money(250_000), 2)));
        assert_eq!(Money::parse("0.1234565"), Some((Money(123_457), 7)));
        assert_eq!(Money::parse("0.1234564"), Some((Money(123_456), 7)));
        assert_eq!(
            Money::parse("999999999999.999999"),
            Some((Money(999_999_999_999_999_999), 6))
        );
        assert_eq!(Money::parse("9999999999999"), None);
        assert_eq!(Money::parse("1.2.3"), None);
        assert_eq!(Money::parse("-"), None);
        assert_eq!(Money::parse("1 000"), None);
    }
}
