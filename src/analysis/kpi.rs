//! KPI arithmetic: ASR, ACD, PDD, NER, SDR and code shares of one group of calls.

use crate::analysis::health;
use crate::analysis::store::{CallStore, StoredCall};
use crate::money::Money;
use crate::summary::{Kpis, Shares};
use std::collections::HashMap;

/// Code ids below this are counted in a dense vector; rarer ones in a map. A hostile file with
/// thousands of distinct codes and gateways would otherwise make every group allocate a slot
/// for every code id (groups × codes × 8 bytes: gigabytes).
pub const DENSE_CODES: usize = 64;

/// SIP finals that count as network-effective (RFC 6076 SEER set) besides answered calls.
pub const NER_EFFECTIVE_SIP: [u16; 4] = [480, 486, 600, 603];

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
    /// Attempts per equivalent SIP class: 4xx, 5xx, 6xx, 486.
    pub class: [u64; 4],
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
}

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
    /// Which class counter it adds to: 0 none, 1 4xx, 2 5xx, 3 6xx, 4 486 (4xx too), 5 487
    /// (4xx too).
    pub class: u8,
    /// The code id as printed (see [`crate::analysis::store::CodeKey::display`]).
    pub display_code: u16,
    /// Fee and cost, when the data set has money.
    pub money: Option<(Option<Money>, Option<Money>)>,
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
        CallFacts {
            answered,
            hold_s: c.hold_s,
            short: answered && c.hold_s < short_call_s,
            zero: answered && c.hold_s == 0,
            pdd_ms: c.pdd_ms,
            ner_effective: answered || NER_EFFECTIVE_SIP.contains(&sip),
            class: match eq {
                Some(486) => 4,
                Some(487) => 5,
                Some(400..=499) => 1,
                Some(500..=599) => 2,
                Some(600..=699) => 3,
                _ => 0,
            },
            display_code: key.map_or(c.code, |k| k.display),
            money: store.money_of(i),
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
            self.pdd.push(u32::from(f.pdd_ms));
        }
        self.ner_effective += u64::from(f.ner_effective);
        match f.class {
            0 => {}
            1 => self.class[0] += 1,
            2 => self.class[1] += 1,
            3 => self.class[2] += 1,
            4 => {
                self.class[0] += 1;
                self.class[3] += 1;
            }
            _ => {
                self.class[0] += 1;
                self.sip_487 += 1;
            }
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

    /// Every code id seen with its count (in no particular order).
    pub fn code_counts(&self) -> impl Iterator<Item = (u16, u64)> + '_ {
        self.codes
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(id, &n)| (id as u16, n))
            .chain(self.rare_codes.iter().map(|(&id, &n)| (id, n)))
    }

    /// Computes the KPIs; `has_sip` says whether the data carries SIP finals (for NER).
    pub fn finish(&mut self, has_sip: bool, money_decimals: u8) -> Kpis {
        let ratio = |n: u64, d: u64| (d > 0).then(|| n as f64 / d as f64);
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
        let a = self.attempts;
        let share = |n: u64| ratio(n, a).unwrap_or(0.0);
        let shares = Shares {
            ok_200: share(self.answered),
            sip_4xx: share(self.class[0]),
            sip_5xx: share(self.class[1]),
            sip_6xx: share(self.class[2]),
            busy_486: share(self.class[3]),
            cancelled_487: share(self.sip_487),
        };
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
            fee: money(self.fee),
            cost: money(self.cost),
            margin: money(self.fee.saturating_sub(self.cost)),
            shares,
            health: health::assess(&shares),
        }
    }
}
