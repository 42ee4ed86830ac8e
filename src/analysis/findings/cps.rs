//! The inferred CPS limit: a gateway that refuses some attempts (503 class) in almost every
//! second in which it receives more than some number of attempts, and almost never in quieter
//! seconds.
//!
//! For each egress gateway, attempts are counted per second of their start (see
//! `analysis::concurrency::span`). In a second with refusals, the attempts it accepted are what a
//! calls-per-second limit lets through; the limit `N` is their median over the refused attempts
//! (each refusal weighs its second). The rule fires when at least 10 refusals came in seconds
//! with more than `N` attempts, in at least 80 % of at least 5 seconds with clearly more than `N`
//! (10 % above, so second-resolution times do not blur the count), while attempts in seconds
//! with at most 90 % of `N` were refused at most 1 % of the time. Otherwise the data cannot tell
//! (no busy seconds, refusals at every rate) and the rule stays silent.

use super::classes::CodeClass;
use super::stats::ratio;
use super::{Ctx, Draft, Finding, Measure, Severity};
use crate::analysis::concurrency::span;
use crate::formats::values::format_ms;

/// Fewest refusals above the limit the rule needs.
const MIN_REFUSALS: u64 = 10;
/// Fewest seconds clearly above the limit the rule needs.
const MIN_BUSY_SECONDS: u64 = 5;
/// Lowest rate worth calling a CPS limit.
const MIN_CPS: u32 = 3;

/// What the rule measured on one gateway.
#[derive(Clone, Debug, PartialEq)]
pub struct CpsLimit {
    /// The estimated limit: attempts accepted per second in the seconds with refusals (median).
    pub limit: u32,
    /// Refusals in seconds with more than `limit` attempts.
    pub refused_above: u64,
    /// Attempts in seconds with more than `limit` attempts.
    pub attempts_above: u64,
    /// Seconds with clearly more than `limit` attempts (10 % above) that had a refusal.
    pub busy_refused: u64,
    /// Seconds with clearly more than `limit` attempts.
    pub busy: u64,
    /// The quiet level: seconds with at most this many attempts count as below.
    pub quiet: u32,
    /// Refusals in quiet seconds.
    pub refused_below: u64,
    /// Attempts in quiet seconds.
    pub attempts_below: u64,
    /// The first second with a refusal above the limit (seconds since the epoch).
    pub first_s: i64,
}

/// Runs the CPS rule on every egress gateway, for 503-class refusals.
pub fn run(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let store = ctx.store;
    // Per gateway: each attempt as its start second × 2, + 1 when refused (plain integers sort
    // with code the build already has); and the refusing codes.
    let mut per_gw: Vec<Vec<i64>> = vec![Vec::new(); store.names.len()];
    let mut codes: Vec<Vec<usize>> = vec![Vec::new(); store.names.len()];
    for &i in &ctx.matched {
        let c = &store.calls[i as usize];
        let Some((start, _)) = span(c) else {
            continue;
        };
        let code = store.display_code(c);
        let refused = !c.answered()
            && ctx.classes.get(usize::from(code)).copied().unwrap_or(0) & CodeClass::UNAVAILABLE
                != 0;
        let g = usize::from(c.egress);
        if let Some(v) = per_gw.get_mut(g) {
            v.push(start * 2 + i64::from(refused));
            if refused {
                codes[g].push(usize::from(code));
            }
        }
    }
    for (gw, mut attempts) in per_gw.into_iter().enumerate() {
        let name = ctx.name(gw as u32);
        if attempts.is_empty() || name == crate::analysis::filter::NONE_NAME {
            continue;
        }
        // (second, attempts, refusals), in time order.
        attempts.sort_unstable();
        let mut seconds: Vec<(i64, u32, u32)> = Vec::new();
        for a in attempts {
            let (t, refused) = (a.div_euclid(2), a.rem_euclid(2) == 1);
            match seconds.last_mut() {
                Some(last) if last.0 == t => {
                    last.1 += 1;
                    last.2 += u32::from(refused);
                }
                _ => seconds.push((t, 1, u32::from(refused))),
            }
        }
        let Some(lim) = infer(&seconds) else {
            continue;
        };
        let mut present = std::mem::take(&mut codes[gw]);
        present.sort_unstable();
        present.dedup();
        out.push(report(ctx, &name, &lim, ctx.code_names(&present)));
    }
}

/// The finding of one gateway's inferred CPS limit.
fn report(ctx: &Ctx<'_>, name: &str, lim: &CpsLimit, codes: Vec<String>) -> Finding {
    let scope = ctx.narrowed(|f| f.egress = vec![name.to_string()]);
    let n = lim.attempts_above + lim.attempts_below;
    let severity = if ratio(lim.refused_above, n) >= 0.05 {
        Severity::Critical
    } else {
        Severity::Warning
    };
    let time = format_ms(lim.first_s * 1000 + ctx.offset_ms);
    let mut d = Draft::new("cps_limit", severity, name.to_string(), scope)
        .rows(|f| f.code = codes.clone())
        .param("gw", name)
        .param("codes", codes.join("/"))
        .param("limit", lim.limit)
        .param("above", lim.refused_above)
        .param("na", lim.attempts_above)
        .param("sr", lim.busy_refused)
        .param("s", lim.busy)
        .param("t", lim.quiet)
        .param("below", lim.refused_below)
        .param("nb", lim.attempts_below)
        .param("time", time.get(..16).unwrap_or(&time))
        .count("x", Measure::CodeCount { codes }, lim.refused_above, None)
        .count("n", Measure::Attempts, lim.attempts_above, None);
    d.since_ms = Some(lim.first_s * 1000 + ctx.offset_ms);
    d.impact = lim.refused_above as f64;
    d.finish()
}

/// Infers a CPS limit from one gateway's (second, attempts, refusals), in time order, or `None`
/// when the data cannot tell.
fn infer(seconds: &[(i64, u32, u32)]) -> Option<CpsLimit> {
    let at = |s: i64| {
        seconds
            .binary_search_by_key(&s, |x| x.0)
            .ok()
            .map(|i| seconds[i])
    };
    // A refused attempt's time is exact (no PDD, no talk), but an accepted call's start is
    // computed back from its end with the PDD rounded up, so it reads up to a second early: the
    // accepted count of second `s` holds part of `s` and part of `s + 1`. When both seconds
    // refused, both were at the limit, so the count is the limit; the median over such seconds
    // (each once: weighing by refusals would favour the busiest seconds, whose accepted calls
    // came early and read early more often).
    let mut accepted: Vec<u32> = seconds
        .iter()
        .filter(|x| x.2 > 0 && at(x.0 + 1).is_some_and(|n| n.2 > 0))
        .map(|x| x.1 - x.2)
        .collect();
    let refusals: u64 = seconds.iter().map(|x| u64::from(x.2)).sum();
    if refusals < MIN_REFUSALS || accepted.len() < MIN_BUSY_SECONDS as usize {
        return None;
    }
    let mid = accepted.len() / 2;
    let limit = *accepted.select_nth_unstable(mid).1;
    if limit < MIN_CPS {
        return None;
    }
    let quiet = limit * 9 / 10;
    let busy_from = limit + limit.div_ceil(10).max(1);
    let mut lim = CpsLimit {
        limit,
        refused_above: 0,
        attempts_above: 0,
        busy_refused: 0,
        busy: 0,
        quiet,
        refused_below: 0,
        attempts_below: 0,
        first_s: i64::MAX,
    };
    let accepted_at = |s: i64| at(s).map_or(0, |x| x.1 - x.2);
    for &(s, n, r) in seconds {
        if n > limit {
            lim.attempts_above += u64::from(n);
            lim.refused_above += u64::from(r);
            if r > 0 {
                lim.first_s = lim.first_s.min(s);
            }
        }
        // A quiet second by its smoothed count: its refusals, and its accepted calls read as
        // half of its own count and half of the second before's (see above).
        if 2 * r + accepted_at(s - 1) + accepted_at(s) <= 2 * quiet {
            lim.attempts_below += u64::from(n);
            lim.refused_below += u64::from(r);
        }
        if n > busy_from {
            lim.busy += 1;
            lim.busy_refused += u64::from(r > 0);
        }
    }
    // Below the limit a refusal should be rare: at most 2 % (background failures) and a quarter
    // of the rate above.
    let below = ratio(lim.refused_below, lim.attempts_below);
    (lim.refused_above >= MIN_REFUSALS
        && lim.busy >= MIN_BUSY_SECONDS
        && lim.busy_refused * 5 >= lim.busy * 4
        && below <= 0.02
        && below * 4.0 <= ratio(lim.refused_above, lim.attempts_above))
    .then_some(lim)
}
