//! The inferred channel limit: a gateway whose 503/486-class refusals come only while it
//! carries at least some number of calls, and almost never below.
//!
//! For each egress gateway, every attempt is placed at the number of the gateway's accepted
//! calls active when it started (see `analysis::concurrency::span`; refused attempts hold no
//! channel). The level `t` is 95 % of the lowest level from which at least half of the
//! attempts at or above it were refused (times to the second blur levels by a few calls). The rule fires when at least 10 refusals came at or above `t`, `t` ≥ 5,
//! attempts below `t` were refused at most
//! 1 % of the time, attempts at or above `t` confidently ≥ 10 % of the time (Wilson lower
//! bound), and at least 10× the rate below. The limit stated is the median number of calls
//! carried when refused at or above `t`. Otherwise the data cannot tell and
//! the rule stays silent.

use super::classes::CodeClass;
use super::stats::{ratio, wilson_lower};
use super::{Ctx, Draft, Finding, Measure, Severity};
use crate::analysis::concurrency::span;
use crate::calendar::format_ms;

/// Fewest refusals the rule needs.
const MIN_REFUSALS: usize = 10;
/// Lowest level worth calling a channel limit.
const MIN_LEVEL: u32 = 5;

/// One attempt of a gateway: its start, end and whether it was refused.
#[derive(Clone, Copy)]
struct Attempt {
    start: i64,
    end: i64,
    refused: bool,
}

/// What the rule measured on one gateway.
#[derive(Clone, Debug, PartialEq)]
pub struct Limit {
    /// Refusals at or above the level.
    pub refused_above: u64,
    /// Attempts at or above the level.
    pub attempts_above: u64,
    /// Refusals below the level.
    pub refused_below: u64,
    /// Attempts below the level.
    pub attempts_below: u64,
    /// The level (calls carried) from which refusals come.
    pub level: u32,
    /// The estimated limit: the median number of calls carried when refused at or above `level`.
    pub carried_max: u32,
    /// Start of the first refusal at or above the level (seconds since the epoch).
    pub first_s: i64,
}

/// Runs the capacity rule on every egress gateway, for 503-class and for 486-class refusals.
pub fn run(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let store = ctx.store;
    // Per gateway: (start, end, class bits of the code when unanswered, display code).
    let mut per_gw: Vec<Vec<(i64, i64, u16, u16)>> = vec![Vec::new(); store.names.len()];
    for &i in &ctx.matched {
        let c = &store.calls[i as usize];
        let Some((start, end)) = span(c) else {
            continue;
        };
        let code = store.display_code(c);
        let bits = if c.answered() {
            0
        } else {
            ctx.classes.get(usize::from(code)).copied().unwrap_or(0)
        };
        if let Some(v) = per_gw.get_mut(usize::from(c.egress)) {
            v.push((start, end, bits, code));
        }
    }
    for (gw, calls) in per_gw.into_iter().enumerate() {
        let name = ctx.name(gw as u32);
        if calls.is_empty() || name == crate::analysis::filter::NONE_NAME {
            continue;
        }
        for mask in [CodeClass::UNAVAILABLE, CodeClass::BUSY] {
            let attempts: Vec<Attempt> = calls
                .iter()
                .map(|&(start, end, bits, _)| Attempt {
                    start,
                    end,
                    refused: bits & mask != 0,
                })
                .collect();
            let Some(lim) = infer(&attempts) else {
                continue;
            };
            let mut present: Vec<usize> = calls
                .iter()
                .filter(|c| c.2 & mask != 0)
                .map(|c| usize::from(c.3))
                .collect();
            present.sort_unstable();
            present.dedup();
            out.push(report(ctx, &name, &lim, ctx.code_names(&present)));
        }
    }
}

/// The finding of one gateway's inferred limit.
fn report(ctx: &Ctx<'_>, name: &str, lim: &Limit, codes: Vec<String>) -> Finding {
    let total = lim.refused_above + lim.refused_below;
    let n = lim.attempts_above + lim.attempts_below;
    let scope = ctx.narrowed(|f| f.egress = vec![name.to_string()]);
    let severity = if ratio(total, n) >= 0.05 {
        Severity::Critical
    } else {
        Severity::Warning
    };
    let time = format_ms(lim.first_s * 1000 + ctx.offset_ms);
    let mut d = Draft::new("capacity_limit", severity, name.to_string(), scope)
        .rows(|f| f.code = codes.clone())
        .param("gw", name)
        .param("codes", codes.join("/"))
        .param("t", lim.level)
        .param("limit", lim.carried_max)
        .param("above", lim.refused_above)
        .param("na", lim.attempts_above)
        .param("below", lim.refused_below)
        .param("nb", lim.attempts_below)
        .param(
            "time",
            format!("{}{}", time.get(..16).unwrap_or(&time), ctx.zone),
        )
        .count("x", Measure::CodeCount { codes }, total, None)
        .count("n", Measure::Attempts, n, None);
    d.since_ms = Some(lim.first_s * 1000 + ctx.offset_ms);
    d.impact = lim.refused_above as f64;
    d.finish()
}

/// Infers a channel limit from one gateway's attempts, or `None` when the data cannot tell.
fn infer(attempts: &[Attempt]) -> Option<Limit> {
    if attempts.iter().filter(|a| a.refused).count() < MIN_REFUSALS {
        return None;
    }
    // Events: accepted calls' ends (0) before starts (1) at the same second; refused attempts
    // only read the level.
    let mut ev: Vec<(i64, u8, usize)> = Vec::with_capacity(attempts.len() * 2);
    for (i, a) in attempts.iter().enumerate() {
        ev.push((a.start, 1, i));
        if !a.refused {
            ev.push((a.end, 0, i));
        }
    }
    ev.sort_unstable();
    let mut level: u32 = 0;
    let mut levels: Vec<(u32, bool, i64)> = Vec::with_capacity(attempts.len());
    let mut carried_max = 0;
    for (t, kind, i) in ev {
        if kind == 0 {
            level = level.saturating_sub(1);
            continue;
        }
        let a = attempts[i];
        levels.push((level, a.refused, t));
        if !a.refused {
            level += 1;
            carried_max = carried_max.max(level);
        }
    }
    // The level: the lowest from which at least half of all attempts at or above it were
    // refused (counting down from the top level).
    let top = levels.iter().map(|l| l.0).max().unwrap_or(0) as usize;
    let mut at = vec![(0u64, 0u64); top + 1];
    for &(l, refused, _) in &levels {
        at[l as usize].0 += 1;
        at[l as usize].1 += u64::from(refused);
    }
    let (mut n, mut x, mut t) = (0u64, 0u64, None);
    for l in (0..=top).rev() {
        n += at[l].0;
        x += at[l].1;
        if n > 0 && x * 2 >= n {
            t = Some(l as u32);
        }
    }
    // Times to the second put a call a second early or late, so the level blurs by a few
    // calls: the 5 % below it count with it.
    let t = t? * 19 / 20;
    if t < MIN_LEVEL {
        return None;
    }
    let mut lim = Limit {
        refused_above: 0,
        attempts_above: 0,
        refused_below: 0,
        attempts_below: 0,
        level: t,
        carried_max,
        first_s: i64::MAX,
    };
    for &(l, refused, at) in &levels {
        if l >= t {
            lim.attempts_above += 1;
            if refused {
                lim.refused_above += 1;
                lim.first_s = lim.first_s.min(at);
            }
        } else {
            lim.attempts_below += 1;
            lim.refused_below += u64::from(refused);
        }
    }
    // The limit: the median level of the refusals at or above `t` (second-resolution times
    // put single calls a second early or late, so the highest level carried reads high).
    let mut refused: Vec<u32> = levels
        .iter()
        .filter(|l| l.1 && l.0 >= t)
        .map(|l| l.0)
        .collect();
    refused.sort_unstable();
    lim.carried_max = refused
        .get(refused.len() / 2)
        .copied()
        .unwrap_or(carried_max);
    let below = ratio(lim.refused_below, lim.attempts_below);
    let above = wilson_lower(lim.refused_above, lim.attempts_above);
    (lim.refused_above >= MIN_REFUSALS as u64
        && below <= 0.01
        && above >= 0.1
        && above >= 10.0 * below)
        .then_some(lim)
}
