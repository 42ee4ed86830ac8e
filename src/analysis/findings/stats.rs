//! Per-gateway and per-destination tallies from one pass, and the small statistics the rules
//! share (Wilson bounds, nearest-rank percentiles).

use super::Ctx;
use crate::analysis::groups::GroupAccs;
use crate::analysis::kpi::{sort_pdd, GroupAcc};

/// Counts of one group of calls.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Acc {
    /// Attempts.
    pub attempts: u64,
    /// Answered calls.
    pub answered: u64,
    /// Answered and shorter than the short-call threshold.
    pub short: u64,
    /// Answered with zero talk time.
    pub zero: u64,
    /// Calls per code id.
    pub codes: Vec<u32>,
    /// PDD values (ms) of calls with a PDD, sorted (gateways only).
    pub pdd: Vec<u32>,
}

impl Acc {
    fn new(codes: usize) -> Self {
        Acc {
            codes: vec![0; codes],
            ..Acc::default()
        }
    }

    /// Calls whose code is one of `ids`.
    pub fn count(&self, ids: &[usize]) -> u64 {
        ids.iter()
            .map(|&i| u64::from(self.codes.get(i).copied().unwrap_or(0)))
            .sum()
    }

    /// Code ids of `ids` that occur in this group.
    pub fn present(&self, ids: &[usize]) -> Vec<usize> {
        ids.iter()
            .copied()
            .filter(|&i| self.codes.get(i).is_some_and(|&n| n > 0))
            .collect()
    }

    fn add(&mut self, other: &Acc) {
        self.attempts += other.attempts;
        self.answered += other.answered;
        self.short += other.short;
        self.zero += other.zero;
        for (a, b) in self.codes.iter_mut().zip(&other.codes) {
            *a += b;
        }
    }
}

/// The tallies of the calls under the base filter.
pub struct Tallies {
    /// Per egress name id (index = id).
    pub egress: Vec<Acc>,
    /// Per destination prefix id.
    pub prefix: Vec<Acc>,
    /// All calls.
    pub all: Acc,
    /// Short calls per (egress id, prefix id), to tell which gateway a destination's short
    /// calls came from.
    pub short_by_pair: rustc_hash::FxHashMap<(u32, u16), u64>,
}

impl Tallies {
    /// One pass over the matched calls.
    pub fn build(ctx: &Ctx<'_>) -> Tallies {
        let n_codes = ctx.store.codes.len();
        let mut egress = vec![Acc::new(n_codes); ctx.store.names.len()];
        let mut prefix = vec![Acc::new(n_codes); ctx.store.prefixes.len()];
        let mut short_by_pair = rustc_hash::FxHashMap::default();
        let short_s = ctx.opts.short_call_s;
        for &i in &ctx.matched {
            let c = &ctx.store.calls[i as usize];
            let short = c.answered() && c.hold_s < short_s;
            if short {
                *short_by_pair
                    .entry((u32::from(c.egress), c.prefix))
                    .or_insert(0) += 1;
            }
            if c.pdd_ms > 0 {
                egress[c.egress as usize].pdd.push(u32::from(c.pdd_ms));
            }
            for acc in [
                &mut egress[c.egress as usize],
                &mut prefix[c.prefix as usize],
            ] {
                acc.attempts += 1;
                if c.answered() {
                    acc.answered += 1;
                    acc.short += u64::from(short);
                    acc.zero += u64::from(c.hold_s == 0);
                }
                if let Some(n) = acc.codes.get_mut(ctx.store.display_code(c) as usize) {
                    *n += 1;
                }
            }
        }
        let mut all = Acc::new(n_codes);
        for a in &egress {
            all.add(a);
        }
        for a in egress.iter_mut() {
            sort_pdd(&mut a.pdd);
        }
        Tallies {
            egress,
            prefix,
            all,
            short_by_pair,
        }
    }
}

impl Tallies {
    /// The tallies from the running totals the grouping pass kept for the same filter: the
    /// same figures as [`Tallies::build`] without another pass over the calls.
    pub fn from_groups(ctx: &Ctx<'_>, groups: &GroupAccs) -> Tallies {
        let n_codes = ctx.store.codes.len();
        let acc = |g: &GroupAcc, with_pdd: bool| {
            let mut a = Acc::new(n_codes);
            a.attempts = g.attempts;
            a.answered = g.answered;
            a.short = g.short;
            a.zero = g.zero_answered;
            for (id, n) in g.code_counts() {
                if let Some(slot) = a.codes.get_mut(usize::from(id)) {
                    *slot = u32::try_from(n).unwrap_or(u32::MAX);
                }
            }
            if with_pdd {
                a.pdd = g.sorted_pdd();
            }
            a
        };
        let egress: Vec<Acc> = groups.egress.iter().map(|g| acc(g, true)).collect();
        let mut all = Acc::new(n_codes);
        for a in &egress {
            all.add(a);
        }
        Tallies {
            egress,
            prefix: groups.destination.iter().map(|g| acc(g, false)).collect(),
            all,
            short_by_pair: groups
                .short_by_pair
                .iter()
                .map(|&((g, p), n)| ((u32::from(g), p), n))
                .collect(),
        }
    }
}

/// The lower bound of the Wilson score interval (95 %) of `x` successes in `n` trials.
pub fn wilson_lower(x: u64, n: u64) -> f64 {
    if n == 0 {
        return 0.0;
    }
    let (x, n) = (x as f64, n as f64);
    let z = 1.96f64;
    let p = x / n;
    let z2 = z * z;
    (p + z2 / (2.0 * n) - z * ((p * (1.0 - p) + z2 / (4.0 * n)) / n).sqrt()) / (1.0 + z2 / n)
}

/// `x / n`, or 0 when `n` is 0.
pub fn ratio(x: u64, n: u64) -> f64 {
    if n == 0 {
        0.0
    } else {
        x as f64 / n as f64
    }
}

/// The nearest-rank 95th percentile of sorted values (as the KPIs compute it).
pub fn p95(sorted: &[u32]) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((sorted.len() as f64) * 0.95).ceil() as usize;
    Some(f64::from(sorted[rank.clamp(1, sorted.len()) - 1]))
}

/// The z statistic of two proportions (pooled).
pub fn two_prop_z(x1: u64, n1: u64, x2: u64, n2: u64) -> f64 {
    if n1 == 0 || n2 == 0 {
        return 0.0;
    }
    let p = (x1 + x2) as f64 / (n1 + n2) as f64;
    let se = (p * (1.0 - p) * (1.0 / n1 as f64 + 1.0 / n2 as f64)).sqrt();
    if se == 0.0 {
        return 0.0;
    }
    (x2 as f64 / n2 as f64 - x1 as f64 / n1 as f64) / se
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_and_percentile() {
        // 66 of 626 is 10.5 %, but not significantly above 10 %.
        assert!(wilson_lower(66, 626) < 0.10);
        assert!(wilson_lower(77, 462) > 0.13);
        assert_eq!(wilson_lower(0, 0), 0.0);
        assert_eq!(p95(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), Some(10.0));
        assert_eq!(p95(&[]), None);
        assert!(two_prop_z(1, 100, 50, 100) > 5.0);
    }
}
