//! Billing sanity, when the file has money: answered calls charged nothing, unanswered calls
//! charged, and fees that differ from billed seconds × rate at the file's precision.
//!
//! Files carry no rate column, so each customer × destination's rate is inferred: the simplest
//! per-minute decimal that explains its longest calls; a fee "differs" when it is more than half
//! a unit of the fee's last decimal away from billed seconds × that rate.

use super::stats::ratio;
use super::{Ctx, Draft, Finding, Measure, Severity};
use crate::money::Money;
use rustc_hash::FxHashMap as HashMap;

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

    /// How many of `rows` the rate explains, with the scale worked out once (the hot loop of
    /// the rule: a pass over every charged call of a group per candidate rate).
    fn count_explained(self, rows: &[(i64, u32, u32)], ulp: i64) -> usize {
        let scale = self.scale();
        let limit = i128::from(ulp) * scale;
        let per_second = self.units * 1_000_000;
        rows.iter()
            .filter(|&&(fee, billed, _)| {
                (i128::from(fee) * scale - per_second * i128::from(billed)).abs() * 2 <= limit
            })
            .count()
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

/// Charged answered calls per (ingress, prefix): (fee micro-units, billed seconds, line).
type Charged = HashMap<(u32, u16), Vec<(i64, u32, u32)>>;

/// Runs the billing rules.
pub fn run(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let store = ctx.store;
    if store.money.is_empty() {
        return;
    }
    let (mut answered, mut with_fee) = (0u64, false);
    let (mut zero, mut zero_line) = (0u64, None);
    let (mut unanswered_fee, mut unanswered_sum, mut unanswered_line) = (0u64, 0i64, None);
    let mut fee_digits = 0u32;
    let mut groups: Charged = HashMap::default();
    for &i in &ctx.matched {
        let c = &store.calls[i as usize];
        let Some(m) = store.money.get(i as usize) else {
            continue;
        };
        if c.answered() {
            answered += 1;
        }
        if m.fee == i64::MIN {
            continue;
        }
        with_fee = true;
        fee_digits = fee_digits.max(decimals(m.fee));
        if c.answered() {
            if m.fee == 0 {
                zero += 1;
                zero_line.get_or_insert(c.line);
            } else if m.billed_s != u32::MAX && m.billed_s > 0 {
                groups
                    .entry((u32::from(c.ingress), c.prefix))
                    .or_default()
                    .push((m.fee, m.billed_s, c.line));
            }
        } else if m.fee > 0 {
            unanswered_fee += 1;
            unanswered_sum += m.fee;
            unanswered_line.get_or_insert(c.line);
        }
    }
    if !with_fee {
        return;
    }
    let answered_scope = ctx.narrowed(|f| f.answered = Some(true));
    if zero > 0 {
        let severity = if zero >= 5 && ratio(zero, answered) >= 0.01 {
            Severity::Warning
        } else {
            Severity::Info
        };
        let mut d = Draft::new(
            "billing_zero_fee",
            severity,
            String::new(),
            answered_scope.clone(),
        )
        .param("x", zero)
        .param("a", answered)
        .param("line", zero_line.unwrap_or(0))
        .number(Measure::Answered, answered as f64);
        d.impact = zero as f64 * 0.2;
        out.push(d.finish());
    }
    if unanswered_fee > 0 {
        let severity = if unanswered_fee >= 3 {
            Severity::Warning
        } else {
            Severity::Info
        };
        let sum = Money(unanswered_sum);
        let scope = ctx.narrowed(|f| f.answered = Some(false));
        let mut d = Draft::new("billing_fee_unanswered", severity, String::new(), scope)
            .param("x", unanswered_fee)
            .param("sum", sum.to_string_with(fee_digits as u8))
            .param("line", unanswered_line.unwrap_or(0))
            .number(Measure::Fee, unanswered_sum as f64 / 1e6);
        d.impact = unanswered_fee as f64 * 0.2;
        out.push(d.finish());
    }
    drift(&groups, fee_digits, answered, &answered_scope, out);
}

fn drift(
    groups: &Charged,
    fee_digits: u32,
    answered: u64,
    scope: &crate::analysis::filter::Filter,
    out: &mut Vec<Finding>,
) {
    let ulp = 10i64.pow(6 - fee_digits.min(6));
    let (mut bad, mut charged) = (0u64, 0u64);
    let mut worst: Option<(i128, u32)> = None;
    let mut keys: Vec<_> = groups.keys().copied().collect();
    keys.sort_unstable();
    for key in keys {
        let rows = &groups[&key];
        charged += rows.len() as u64;
        if rows.len() < 3 {
            continue;
        }
        // Candidate rates from the longest calls (the most precise); keep the one that
        // explains the most rows. Only the five longest are needed: select them, then order
        // those five (lines are unique, so the order is the one a full sort gives).
        let longest_first =
            |a: &&(i64, u32, u32), b: &&(i64, u32, u32)| b.1.cmp(&a.1).then(a.2.cmp(&b.2));
        let mut by_len: Vec<&(i64, u32, u32)> = rows.iter().collect();
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
        for &(fee, billed, line) in rows {
            if !rate.explains(fee, billed, ulp) {
                bad += 1;
                let diff = rate.diff_scaled(fee, billed) / rate.scale();
                if worst.is_none_or(|(w, _)| diff > w) {
                    worst = Some((diff, line));
                }
            }
        }
    }
    let Some((diff, line)) = worst else { return };
    let severity = if ratio(bad, charged) >= 0.01 && bad >= 3 {
        Severity::Warning
    } else {
        Severity::Info
    };
    let mut d = Draft::new("billing_drift", severity, String::new(), scope.clone())
        .param("x", bad)
        .param("m", charged)
        .param("d", fee_digits)
        .param(
            "maxdiff",
            Money(i64::try_from(diff).unwrap_or(i64::MAX)).to_string_with(6),
        )
        .param("line", line)
        .number(Measure::Answered, answered as f64);
    d.impact = bad as f64 * 0.1;
    out.push(d.finish());
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
        assert_eq!(decimals(1_089_000), 3);
        assert_eq!(decimals(0), 0);
        assert_eq!(decimals(8_600), 4);
    }
}
