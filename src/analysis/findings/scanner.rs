//! SIP scanners and INVITE floods: one ingress (IP or account) sending bursts of attempts that
//! are refused as unauthorised or unknown numbers (401/403/404/407/484 and equivalents), to
//! many different numbers, with almost nothing answered.
//!
//! Fires when an ingress has at least 30 attempts, its auth/number-error share is confidently
//! ≥ 70 % (Wilson lower bound), at most 5 % answered, at least half of its attempts to distinct
//! caller–callee pairs, and at least 20 attempts within one minute.

use super::classes::CodeClass;
use super::stats::{ratio, wilson_lower};
use super::{Ctx, Draft, Finding, Measure, Severity};
use crate::analysis::filter::NONE_NAME;
use crate::calendar::format_ms;
use rustc_hash::FxHashSet;

/// Fewest attempts of an ingress the rule looks at.
const MIN_ATTEMPTS: u64 = 30;
/// Fewest attempts in one minute that make a burst.
const MIN_PER_MINUTE: usize = 20;

/// What one ingress sent.
#[derive(Default)]
struct Source {
    attempts: u64,
    answered: u64,
    probes: u64,
    pairs: FxHashSet<u32>,
    times: Vec<i64>,
    codes: FxHashSet<u16>,
}

/// Runs the scanner rule on every ingress.
pub fn run(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let store = ctx.store;
    let mut is_probe = vec![false; store.codes.len()];
    for i in ctx.codes_in(CodeClass::AUTH | CodeClass::ROUTING) {
        is_probe[i] = true;
    }
    let mut sources: Vec<Source> = Vec::new();
    sources.resize_with(store.names.len(), Source::default);
    for &i in &ctx.matched {
        let c = &store.calls[i as usize];
        let Some(s) = sources.get_mut(usize::from(c.ingress)) else {
            continue;
        };
        s.attempts += 1;
        s.pairs.insert(c.pair);
        if let Some(t) = c.time() {
            s.times.push(t);
        }
        if c.answered() {
            s.answered += 1;
        } else if is_probe
            .get(store.display_code(c) as usize)
            .copied()
            .unwrap_or(false)
        {
            s.probes += 1;
            s.codes.insert(store.display_code(c));
        }
    }
    for (id, mut s) in sources.into_iter().enumerate() {
        if s.attempts < MIN_ATTEMPTS
            || wilson_lower(s.probes, s.attempts) < 0.7
            || ratio(s.answered, s.attempts) > 0.05
            || (s.pairs.len() as u64) * 2 < s.attempts
        {
            continue;
        }
        s.times.sort_unstable();
        // The busiest minute: the most attempts within 60 s of one another.
        let (mut best, mut best_at, mut lo) = (0usize, 0i64, 0usize);
        for hi in 0..s.times.len() {
            while s.times[hi] - s.times[lo] >= 60_000 {
                lo += 1;
            }
            if hi + 1 - lo > best {
                best = hi + 1 - lo;
                best_at = s.times[lo];
            }
        }
        if best < MIN_PER_MINUTE {
            continue;
        }
        let name = ctx.name(id as u32);
        if name == NONE_NAME {
            continue;
        }
        let mut ids: Vec<usize> = s.codes.iter().map(|&k| usize::from(k)).collect();
        ids.sort_unstable();
        let mut codes = ctx.code_names(&ids);
        codes.sort();
        codes.dedup();
        let scope = ctx.narrowed(|f| f.ingress = vec![name.clone()]);
        let time = format_ms(best_at + ctx.offset_ms);
        let mut d = Draft::new("scanner", Severity::Critical, name.clone(), scope)
            .rows(|f| f.code = codes.clone())
            .param("gw", &name)
            .param("codes", codes.join("/"))
            .param("d", s.pairs.len())
            .param("m", best)
            .param(
                "time",
                format!("{}{}", time.get(..16).unwrap_or(&time), ctx.zone),
            )
            .count("n", Measure::Attempts, s.attempts, None)
            .count(
                "x",
                Measure::CodeCount {
                    codes: codes.clone(),
                },
                s.probes,
                None,
            )
            .share(
                "pct",
                Measure::CodeCount { codes },
                s.probes as f64,
                "n",
                s.attempts as f64,
                None,
            )
            .count("a", Measure::Answered, s.answered, None);
        d.since_ms = s.times.first().map(|t| t + ctx.offset_ms);
        d.impact = s.probes as f64 * 0.1;
        out.push(d.finish());
    }
}
