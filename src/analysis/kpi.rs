//! KPI arithmetic: ASR, ACD, PDD, NER, SDR and code shares of one group of calls.

use crate::analysis::health::{self, HealthCounts, HealthPreset};
use crate::analysis::store::{CallStore, StoredCall};
use crate::money::Money;
use crate::outcome::Outcome;
use crate::summary::{Kpis, Shares};
use std::collections::HashMap;

/// Code ids below this are counted in a dense vector; rarer ones in a map. A hostile file with
/// thousands of distinct codes and gateways would otherwise make every group allocate a slot
/// for every code id (groups × codes × 8 bytes: gigabytes).
pub const DENSE_CODES: usize = 64;

/// SIP finals that count as network-effective (RFC 6076 SEER set) besides answered calls.
pub const NER_EFFECTIVE_SIP: [u16; 4] = [480, 486, 600, 603];

/// Sorts PDD values (each at most `u16::MAX`, as stored): by counting when there are many (a
/// gateway with hundreds of thousands of calls), a plain sort otherwise.
pub fn sort_pdd(v: &mut [u32]) {
    if v.len() < 1 << 14 || v.iter().any(|&x| x > u32::from(u16::MAX)) {
        v.sort_unstable();
        return;
    }
    let mut counts = vec![0u32; 1 << 16];
    for &x in v.iter() {
        counts[x as usize] += 1;
    }
    let mut at = 0;
    for (value, &n) in counts.iter().enumerate() {
        v[at..at + n as usize].fill(value as u32);
        at += n as usize;
    }
}

/// Running totals of one group, turned into [`Kpis`] by [`GroupAcc::finish`].
#[derive(Clone, Debug, Default)]
pub struct GroupAcc {
    /// Attempts.
    pub attempts: u64,
    /// Answered calls.
    pub answered: u64,
    /// Talk seconds.
    pub hold_s: u64,
    /// PDD values in ms (for mean and percentiles).
    pub pdd: Vec<u32>,
    /// Effective attempts for NER.
    pub ner_effective: u64,
    /// 487 finals.
    pub sip_487: u64,
    /// Answered and shorter than the short-call threshold.
    pub short: u64,
    /// Answered with zero talk time.
    pub zero_answered: u64,
    /// Attempts after the first of the failover chains begun in the group.
    pub failover_retries: u64,
    /// Unanswered attempts per equivalent SIP class, caller cancels excluded: 4xx, 5xx, 6xx.
    pub class: [u64; 3],
    /// Attempts per outcome (index of [`Outcome::ALL`]).
    pub outcomes: [u64; 12],
    /// Fee and cost sums (micro-units) and whether any row had them.
    pub fee: Money,
    /// Cost sum.
    pub cost: Money,
    /// Whether any call in the group had money.
    pub has_money: bool,
    /// Count per code id, for ids below [`DENSE_CODES`].
    pub codes: Vec<u64>,
    /// Count per code id, for ids from [`DENSE_CODES`] on.
    pub rare_codes: HashMap<u16, u64>,
    /// Counts per PDD value (ms), once the group has more than [`PDD_LIST_MAX`] PDD values;
    /// `pdd` then holds only the values added since.
    pdd_hist: Option<Box<[u32]>>,
}

/// PDD values a group keeps in a list (for selection) before it counts them per value
/// instead: stored PDDs are 16-bit, so a 256 KB table bounds a large group's memory (a list
/// of a million calls' PDDs would take 4 MB, per group a call is in) and gives the same
/// median and percentile.
pub const PDD_LIST_MAX: usize = 1 << 16;

/// What [`GroupAcc::add`] needs to know about one call, worked out once per call however many
/// groups the call is added to.
#[derive(Clone, Copy, Debug, Default)]
pub struct CallFacts {
    /// Answered.
    pub answered: bool,
    /// Talk seconds.
    pub hold_s: u32,
    /// Answered and shorter than the short-call threshold.
    pub short: bool,
    /// Answered with zero talk time.
    pub zero: bool,
    /// PDD in ms; 0 when none.
    pub pdd_ms: u16,
    /// Counts as network-effective for NER.
    pub ner_effective: bool,
    /// A 487 final (for NER counting 487).
    pub sip_487: bool,
    /// Which error class it adds to: 0 none (answered, cancelled by the caller, or no SIP
    /// equivalent), 1 4xx, 2 5xx, 3 6xx.
    pub class: u8,
    /// The outcome's index in [`Outcome::ALL`].
    pub outcome: u8,
    /// The code id as printed (see [`crate::analysis::store::CodeKey::display`]).
    pub display_code: u16,
    /// Fee and cost, when the data set has money.
    pub money: Option<(Option<Money>, Option<Money>)>,
    /// Extra attempts of the failover chain this call starts (0 unless it is a chain's first).
    pub retries: u32,
}

impl CallFacts {
    /// The facts of call `i` of `store`.
    #[inline]
    pub fn of(store: &CallStore, i: usize, c: &StoredCall, short_call_s: u32) -> CallFacts {
        let answered = c.answered();
        let key = store.code(c.code);
        let sip = key.and_then(|k| k.sip).unwrap_or(0);
        let eq = if answered {
            Some(200)
        } else if sip != 0 {
            Some(sip)
        } else {
            key.and_then(|k| k.equivalent_sip)
        };
        let outcome = c.outcome();
        CallFacts {
            answered,
            hold_s: c.hold_s,
            short: answered && c.hold_s < short_call_s,
            zero: answered && c.hold_s == 0,
            pdd_ms: c.pdd_ms,
            ner_effective: answered || NER_EFFECTIVE_SIP.contains(&sip),
            sip_487: eq == Some(487),
            // Answered calls are in no error share, and a caller's cancel is no route error.
            class: match eq {
                _ if answered || outcome == Outcome::Cancelled => 0,
                Some(400..=499) => 1,
                Some(500..=599) => 2,
                Some(600..=699) => 3,
                _ => 0,
            },
            outcome: outcome.index() as u8,
            display_code: key.map_or(c.code, |k| k.display),
            money: store.money_of(i),
            retries: {
                let chain = c.chain();
                if chain.first() {
                    u32::from(chain.len()).saturating_sub(1)
                } else {
                    0
                }
            },
        }
    }
}

impl GroupAcc {
    /// Adds call `i` of `store`.
    #[inline]
    pub fn add(&mut self, store: &CallStore, i: usize, c: &StoredCall, short_call_s: u32) {
        self.add_facts(&CallFacts::of(store, i, c, short_call_s));
    }

    /// Adds a call by its facts (the same as [`GroupAcc::add`] of that call).
    #[inline]
    pub fn add_facts(&mut self, f: &CallFacts) {
        self.attempts += 1;
        if f.answered {
            self.answered += 1;
            self.hold_s += u64::from(f.hold_s);
            self.short += u64::from(f.short);
            self.zero_answered += u64::from(f.zero);
        }
        if f.pdd_ms > 0 {
            match &mut self.pdd_hist {
                Some(h) => h[usize::from(f.pdd_ms)] += 1,
                None => {
                    self.pdd.push(u32::from(f.pdd_ms));
                    if self.pdd.len() >= PDD_LIST_MAX {
                        self.spill_pdd();
                    }
                }
            }
        }
        self.ner_effective += u64::from(f.ner_effective);
        self.sip_487 += u64::from(f.sip_487);
        self.failover_retries += u64::from(f.retries);
        if let Some(n) = self.class.get_mut(usize::from(f.class).wrapping_sub(1)) {
            *n += 1;
        }
        if let Some(n) = self.outcomes.get_mut(usize::from(f.outcome)) {
            *n += 1;
        }
        let code = f.display_code;
        if usize::from(code) < DENSE_CODES {
            let code = usize::from(code);
            if self.codes.len() <= code {
                self.codes.resize(code + 1, 0);
            }
            self.codes[code] += 1;
        } else {
            *self.rare_codes.entry(code).or_default() += 1;
        }
        if let Some((fee, cost)) = f.money {
            self.has_money |= fee.is_some() || cost.is_some();
            self.fee = self.fee.saturating_add(fee.unwrap_or_default());
            self.cost = self.cost.saturating_add(cost.unwrap_or_default());
        }
    }

    /// Adds every call of `other` (the same as adding each of its calls here): a group made
    /// of smaller groups is summed from them instead of from its calls.
    pub fn merge(&mut self, other: &GroupAcc) {
        self.attempts += other.attempts;
        self.answered += other.answered;
        self.hold_s += other.hold_s;
        self.ner_effective += other.ner_effective;
        self.sip_487 += other.sip_487;
        self.short += other.short;
        self.zero_answered += other.zero_answered;
        self.failover_retries += other.failover_retries;
        for (a, b) in self.class.iter_mut().zip(other.class) {
            *a += b;
        }
        for (a, b) in self.outcomes.iter_mut().zip(other.outcomes) {
            *a += b;
        }
        self.fee = self.fee.saturating_add(other.fee);
        self.cost = self.cost.saturating_add(other.cost);
        self.has_money |= other.has_money;
        if self.codes.len() < other.codes.len() {
            self.codes.resize(other.codes.len(), 0);
        }
        for (a, b) in self.codes.iter_mut().zip(&other.codes) {
            *a += b;
        }
        for (&id, &n) in &other.rare_codes {
            *self.rare_codes.entry(id).or_default() += n;
        }
        if let Some(theirs) = &other.pdd_hist {
            let mine = self
                .pdd_hist
                .get_or_insert_with(|| vec![0u32; 1 << 16].into_boxed_slice());
            for (a, b) in mine.iter_mut().zip(theirs.iter()) {
                *a += b;
            }
        }
        self.pdd.extend_from_slice(&other.pdd);
        if self.pdd.len() >= PDD_LIST_MAX {
            self.spill_pdd();
        }
    }

    /// The PDD values (ms) of the group's calls, sorted.
    pub fn sorted_pdd(&self) -> Vec<u32> {
        let mut v = self.pdd.clone();
        if let Some(h) = &self.pdd_hist {
            for (value, &n) in h.iter().enumerate() {
                v.extend(std::iter::repeat_n(value as u32, n as usize));
            }
        }
        sort_pdd(&mut v);
        v
    }

    /// Every code id seen with its count (in no particular order).
    pub fn code_counts(&self) -> impl Iterator<Item = (u16, u64)> + '_ {
        self.codes
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(id, &n)| (id as u16, n))
            .chain(self.rare_codes.iter().map(|(&id, &n)| (id, n)))
    }

    /// Moves the listed PDD values into the per-value counts.
    fn spill_pdd(&mut self) {
        let h = self
            .pdd_hist
            .get_or_insert_with(|| vec![0u32; 1 << 16].into_boxed_slice());
        for &v in &self.pdd {
            // Values come from 16-bit stored PDDs; anything larger counts as the largest.
            h[(v as usize).min(0xFFFF)] += 1;
        }
        self.pdd = Vec::new();
    }

    /// PDD rows, sum, median and 95th percentile from the per-value counts.
    fn pdd_from_hist(h: &[u32]) -> (u64, u64, Option<f64>, Option<f64>) {
        let n: u64 = h.iter().map(|&c| u64::from(c)).sum();
        let sum: u64 = h
            .iter()
            .enumerate()
            .map(|(v, &c)| v as u64 * u64::from(c))
            .sum();
        // The value at 0-based rank `k` of the sorted values.
        let nth = |k: u64| -> f64 {
            let mut seen = 0u64;
            for (v, &c) in h.iter().enumerate() {
                seen += u64::from(c);
                if seen > k {
                    return v as f64;
                }
            }
            0.0
        };
        if n == 0 {
            return (0, 0, None, None);
        }
        let rank = ((n as f64) * 0.95).ceil() as u64;
        let p95 = nth(rank.clamp(1, n) - 1);
        let median = if n % 2 == 1 {
            nth(n / 2)
        } else {
            (nth(n / 2 - 1) + nth(n / 2)) / 2.0
        };
        (n, sum, Some(median), Some(p95))
    }

    /// The number of attempts with outcome `o`.
    pub fn outcome_count(&self, o: Outcome) -> u64 {
        self.outcomes[o.index()]
    }

    /// Computes the KPIs; `has_sip` says whether the data carries SIP finals (for NER), and
    /// `preset` holds the health thresholds.
    pub fn finish(&mut self, has_sip: bool, money_decimals: u8, preset: &HealthPreset) -> Kpis {
        if self.pdd_hist.is_some() {
            self.spill_pdd();
        }
        if let Some(h) = &self.pdd_hist {
            let (pdd_rows, pdd_sum, median, p95) = GroupAcc::pdd_from_hist(h);
            return self.kpis(
                (has_sip, money_decimals, preset),
                pdd_rows,
                pdd_sum,
                median,
                p95,
            );
        }
        let pdd_rows = self.pdd.len() as u64;
        let pdd_sum: u64 = self.pdd.iter().map(|&v| u64::from(v)).sum();
        // Selection, not a sort: three linear-time picks per group.
        let n = self.pdd.len();
        let p95 = (n > 0).then(|| {
            let rank = ((n as f64) * 0.95).ceil() as usize;
            let (_, v, _) = self.pdd.select_nth_unstable(rank.clamp(1, n) - 1);
            f64::from(*v)
        });
        let median = match n {
            0 => None,
            n if n % 2 == 1 => Some(f64::from(*self.pdd.select_nth_unstable(n / 2).1)),
            n => {
                let (low, hi, _) = self.pdd.select_nth_unstable(n / 2);
                let hi = *hi;
                let lo = low.iter().copied().max().unwrap_or(hi);
                Some((f64::from(lo) + f64::from(hi)) / 2.0)
            }
        };
        self.kpis(
            (has_sip, money_decimals, preset),
            pdd_rows,
            pdd_sum,
            median,
            p95,
        )
    }

    /// The KPIs, given the PDD figures.
    fn kpis(
        &self,
        (has_sip, money_decimals, preset): (bool, u8, &HealthPreset),
        pdd_rows: u64,
        pdd_sum: u64,
        median: Option<f64>,
        p95: Option<f64>,
    ) -> Kpis {
        let ratio = |n: u64, d: u64| (d > 0).then(|| n as f64 / d as f64);
        let a = self.attempts;
        let share = |n: u64| ratio(n, a).unwrap_or(0.0);
        let shares = Shares {
            ok_200: share(self.answered),
            sip_4xx: share(self.class[0]),
            sip_5xx: share(self.class[1]),
            sip_6xx: share(self.class[2]),
            busy_486: share(self.outcome_count(Outcome::Busy)),
            cancelled_487: share(self.outcome_count(Outcome::Cancelled)),
        };
        let health = health::assess(
            &HealthCounts {
                attempts: a,
                answered: self.answered,
                sip_4xx: self.class[0],
                sip_5xx: self.class[1],
                busy: self.outcome_count(Outcome::Busy),
            },
            preset,
        );
        let money = |m: Money| self.has_money.then(|| m.to_string_with(money_decimals));
        Kpis {
            attempts: a,
            answered: self.answered,
            asr: ratio(self.answered, a),
            acd_s: ratio(self.hold_s, self.answered),
            total_hold_s: self.hold_s,
            minutes: self.hold_s as f64 / 60.0,
            pdd_rows,
            pdd_avg_ms: ratio(pdd_sum, pdd_rows),
            pdd_p50_ms: median,
            pdd_p95_ms: p95,
            ner_effective: has_sip.then_some(self.ner_effective),
            ner: if has_sip {
                ratio(self.ner_effective, a)
            } else {
                None
            },
            ner_incl_487: if has_sip {
                ratio(self.ner_effective + self.sip_487, a)
            } else {
                None
            },
            short_calls: self.short,
            sdr: ratio(self.short, self.answered),
            zero_duration_answered: self.zero_answered,
            failover_retries: self.failover_retries,
            fee: money(self.fee),
            cost: money(self.cost),
            margin: money(self.fee.saturating_sub(self.cost)),
            outcomes: self.outcomes,
            shares,
            health,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting_sort_of_pdd_is_a_sort() {
        let mut x: u32 = 12345;
        for len in [0usize, 5, 1 << 14, 100_000] {
            let v: Vec<u32> = (0..len)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    (x >> 8) % 70_000 % 65_536
                })
                .collect();
            let mut want = v.clone();
            want.sort_unstable();
            let mut got = v;
            sort_pdd(&mut got);
            assert_eq!(got, want, "{len}");
        }
    }

    /// A group past the list limit counts PDDs per value and still gives the exact rows, mean,
    /// median (odd and even counts) and 95th percentile a sorted list gives.
    #[test]
    fn pdd_counts_give_the_figures_of_the_sorted_list() {
        let mut x: u32 = 7;
        for n in [
            1usize,
            2,
            9,
            10,
            PDD_LIST_MAX - 1,
            PDD_LIST_MAX,
            PDD_LIST_MAX + 1,
            200_001,
        ] {
            let mut acc = GroupAcc::default();
            let mut all = Vec::new();
            for _ in 0..n {
                x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                let pdd = ((x >> 9) % 9000 + 1) as u16;
                all.push(u32::from(pdd));
                acc.add_facts(&CallFacts {
                    pdd_ms: pdd,
                    ..CallFacts::default()
                });
            }
            // One call without a PDD is not a PDD row.
            acc.add_facts(&CallFacts::default());
            all.sort_unstable();
            let k = acc.finish(false, 0, &HealthPreset::default());
            let nth = |i: usize| f64::from(all[i]);
            let median = if n % 2 == 1 {
                nth(n / 2)
            } else {
                (nth(n / 2 - 1) + nth(n / 2)) / 2.0
            };
            let rank = ((n as f64) * 0.95).ceil() as usize;
            let sum: u64 = all.iter().map(|&v| u64::from(v)).sum();
            assert_eq!(k.pdd_rows, n as u64, "{n}");
            assert_eq!(k.pdd_avg_ms, Some(sum as f64 / n as f64), "{n}");
            assert_eq!(k.pdd_p50_ms, Some(median), "{n}");
            assert_eq!(k.pdd_p95_ms, Some(nth(rank.clamp(1, n) - 1)), "{n}");
            assert_eq!(k.attempts, n as u64 + 1);
        }
    }

    /// Merged groups give the figures of one group of all their calls, across the PDD list
    /// limit (lists, per-value counts and a mix of both).
    #[test]
    fn merged_groups_equal_one_group_of_their_calls() {
        let mut x: u32 = 11;
        for sizes in [
            vec![0usize, 3],
            vec![5, 7, 1],
            vec![PDD_LIST_MAX - 2, 3],
            vec![PDD_LIST_MAX + 5, 10, PDD_LIST_MAX / 2],
        ] {
            let mut whole = GroupAcc::default();
            let mut merged = GroupAcc::default();
            for n in sizes.iter().copied() {
                let mut part = GroupAcc::default();
                for _ in 0..n {
                    x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                    let answered = x & 1 == 0;
                    let f = CallFacts {
                        answered,
                        hold_s: if answered { (x >> 20) % 300 } else { 0 },
                        short: answered && (x >> 20) % 300 < 6,
                        pdd_ms: ((x >> 8) % 9000) as u16,
                        ner_effective: answered || x & 2 == 0,
                        class: ((x >> 4) % 6) as u8,
                        display_code: ((x >> 12) % 80) as u16,
                        money: Some((Some(Money(i64::from((x >> 10) % 5000))), None)),
                        retries: (x >> 3) % 2,
                        ..CallFacts::default()
                    };
                    whole.add_facts(&f);
                    part.add_facts(&f);
                }
                merged.merge(&part);
            }
            let mut codes_whole: Vec<_> = whole.code_counts().collect();
            let mut codes_merged: Vec<_> = merged.code_counts().collect();
            codes_whole.sort_unstable();
            codes_merged.sort_unstable();
            assert_eq!(codes_merged, codes_whole, "{sizes:?}");
            assert_eq!(merged.sorted_pdd(), whole.sorted_pdd(), "{sizes:?}");
            let p = HealthPreset::default();
            assert_eq!(
                merged.finish(true, 2, &p),
                whole.finish(true, 2, &p),
                "{sizes:?}"
            );
        }
    }
}
