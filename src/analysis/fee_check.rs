//! The fee check: each fee against billed seconds × the rate of its customer and destination,
//! at the file's decimal precision, done once over every stored call when a file is finished
//! and kept as the calls' [`FeeState::Mismatch`].
//!
//! Files carry no rate column (VOS3000 exports `fee`, `feetime`, `agentfee`, `agentfeetime`,
//! but no rate), so each customer × destination's rate is inferred: the simplest per-minute
//! decimal that explains its longest calls; a fee "differs" when it is more than half a unit of
//! the fee's last decimal away from billed seconds × that rate.

use crate::analysis::store::{CallStore, FeeState};
use rustc_hash::FxHashMap as HashMap;

/// Powers of ten up to 10^6.
const POW10: [i64; 7] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

/// Decimal places written in an amount of micro-units (0..=6).
fn decimals(v: i64) -> u32 {
    if v == 0 {
        return 0;
    }
    let mut d = 6;
    let mut v = v.unsigned_abs();
    while d > 0 && v.is_multiple_of(10) {
        v /= 10;
        d -= 1;
    }
    d
}

/// A per-minute rate as an integer in units of 10^-`digits`.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Rate {
    units: i128,
    digits: u32,
}

impl Rate {
    /// Whether `fee` (micro-units) for `billed` seconds is within half a unit (`ulp` micro) of
    /// billed × rate.
    fn explains(self, fee: i64, billed: u32, ulp: i64) -> bool {
        self.diff_scaled(fee, billed) * 2 <= i128::from(ulp) * self.scale()
    }

    /// Calls `f` with each of `rows` and whether the rate explains it (the hot loop: a pass
    /// over every charged call of a group per candidate rate). In i64 when no product can
    /// overflow it, as i128 multiplies are library calls in wasm32.
    fn check_rows(
        self,
        rows: &[(i64, u32, usize)],
        ulp: i64,
        mut f: impl FnMut(&(i64, u32, usize), bool),
    ) {
        let scale = self.scale();
        let limit = i128::from(ulp) * scale;
        let per_second = self.units * 1_000_000;
        let max_fee = rows.iter().map(|r| r.0.unsigned_abs()).max().unwrap_or(0);
        let max_billed = rows.iter().map(|r| r.1).max().unwrap_or(0);
        // Each product below 2^60: their difference, doubled, stays below 2^62.
        const SAFE: i128 = 1 << 60;
        let small = i128::from(max_fee) * scale < SAFE
            && per_second.abs() * i128::from(max_billed) < SAFE
            && limit < SAFE;
        match (
            i64::try_from(scale),
            i64::try_from(limit),
            i64::try_from(per_second),
        ) {
            (Ok(scale), Ok(limit), Ok(per_second)) if small => {
                for r in rows {
                    f(
                        r,
                        (r.0 * scale - per_second * i64::from(r.1)).abs() * 2 <= limit,
                    );
                }
            }
            _ => {
                for r in rows {
                    let diff = i128::from(r.0) * scale - per_second * i128::from(r.1);
                    f(r, diff.abs() * 2 <= limit);
                }
            }
        }
    }

    /// How many of `rows` the rate explains.
    fn count_explained(self, rows: &[(i64, u32, usize)], ulp: i64) -> usize {
        let mut n = 0;
        self.check_rows(rows, ulp, |_, ok| n += usize::from(ok));
        n
    }

    fn scale(self) -> i128 {
        60 * 10i128.pow(self.digits)
    }

    /// |fee − billed × rate| × scale, in micro-units.
    fn diff_scaled(self, fee: i64, billed: u32) -> i128 {
        (i128::from(fee) * self.scale() - self.units * i128::from(billed) * 1_000_000).abs()
    }

    /// The simplest rate that explains `fee` for `billed` seconds.
    fn infer(fee: i64, billed: u32, ulp: i64) -> Option<Rate> {
        if billed == 0 {
            return None;
        }
        for digits in 0..=9u32 {
            let scale = 60 * 10i128.pow(digits);
            let den = i128::from(billed) * 1_000_000;
            let r = (i128::from(fee) * scale + den / 2).div_euclid(den);
            for units in [r - 1, r, r + 1] {
                let rate = Rate { units, digits };
                if units > 0 && rate.explains(fee, billed, ulp) {
                    return Some(rate);
                }
            }
        }
        None
    }
}

/// Charged answered calls per (ingress, prefix): (fee micro-units, billed seconds, index).
type Charged = HashMap<(u16, u16), Vec<(i64, u32, usize)>>;

/// Fewest charged calls a customer × destination needs before its rate is inferred.
const MIN_ROWS: usize = 3;

/// Marks the answered, charged calls whose fee differs from billed seconds × their rate;
/// returns the fee decimals the check worked at.
pub fn mark(store: &mut CallStore) -> u8 {
    let mut digits = 0u32;
    let mut groups: Charged = HashMap::default();
    for (i, c) in store.calls.iter_mut().enumerate() {
        if c.fee_state() == FeeState::Mismatch {
            c.set_fee_state(FeeState::Charged);
        }
        let Some(m) = store.money.get(i) else {
            continue;
        };
        if m.fee == i64::MIN {
            continue;
        }
        // Only a fee with more decimals than seen so far can raise the count: one remainder
        // per call instead of a division loop.
        if digits < 6 && m.fee % POW10[(6 - digits) as usize] != 0 {
            digits = digits.max(decimals(m.fee));
        }
        if c.answered() && m.fee != 0 && m.billed_s != u32::MAX && m.billed_s > 0 {
            groups
                .entry((c.ingress, c.prefix))
                .or_default()
                .push((m.fee, m.billed_s, i));
        }
    }
    let ulp = 10i64.pow(6 - digits.min(6));
    for rows in groups.values() {
        if rows.len() < MIN_ROWS {
            continue;
        }
        // Candidate rates from the longest calls (the most precise); keep the one that
        // explains the most rows. Only the five longest are needed: select them, then order
        // those five (indices are unique, so the order is the one a full sort gives).
        let longest_first =
            |a: &&(i64, u32, usize), b: &&(i64, u32, usize)| b.1.cmp(&a.1).then(a.2.cmp(&b.2));
        let mut by_len: Vec<&(i64, u32, usize)> = rows.iter().collect();
        if by_len.len() > 5 {
            by_len.select_nth_unstable_by(4, longest_first);
            by_len.truncate(5);
        }
        by_len.sort_by(longest_first);
        let mut best: Option<(usize, Rate)> = None;
        let mut tried: Vec<Rate> = Vec::with_capacity(5);
        for r in &by_len {
            if let Some(rate) = Rate::infer(r.0, r.1, ulp) {
                // The longest calls mostly give the same rate: counting it again cannot win.
                if tried.contains(&rate) {
                    continue;
                }
                tried.push(rate);
                let ok = rate.count_explained(rows, ulp);
                if best.is_none_or(|(b, _)| ok > b) {
                    best = Some((ok, rate));
                }
            }
        }
        let Some((ok, rate)) = best else { continue };
        // A rate that explains fewer than half the rows is no rate at all.
        if ok * 2 < rows.len() {
            continue;
        }
        rate.check_rows(rows, ulp, |&(_, _, i), ok| {
            if !ok {
                store.calls[i].set_fee_state(FeeState::Mismatch);
            }
        });
    }
    digits as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infers_rates_at_the_fee_precision() {
        // 726 s at 0.09/min = 1.089.
        let r = Rate::infer(1_089_000, 726, 1_000).unwrap();
        assert_eq!((r.units, r.digits), (9, 2));
        // 0.0096/min over 54 s = 0.00864, written 0.0086 at 4 decimals.
        let r = Rate::infer(8_600, 54, 100).unwrap();
        assert!(r.explains(8_600, 54, 100));
        let rate = Rate {
            units: 96,
            digits: 4,
        };
        assert!(rate.explains(8_600, 54, 100));
        assert!(!rate.explains(8_800, 54, 100));
        // The i64 and i128 paths agree, at both ends of the range.
        for (fee, billed) in [(8_600, 54), (8_800, 54), (i64::MAX / 2, 54), (-8_600, 54)] {
            let one = [(fee, billed, 0)];
            let mut got = None;
            rate.check_rows(&one, 100, |_, ok| got = Some(ok));
            assert_eq!(got, Some(rate.explains(fee, billed, 100)), "{fee}");
        }
        assert_eq!(
            rate.count_explained(&[(8_600, 54, 0), (8_800, 54, 1)], 100),
            1
        );
        assert_eq!(decimals(1_089_000), 3);
        assert_eq!(decimals(0), 0);
        assert_eq!(decimals(8_600), 4);
    }
}
