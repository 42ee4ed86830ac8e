//! Failover chains: attempts for the same caller and callee a few seconds apart.
//!
//! A 6xx is a global answer (busy or declined everywhere), so any attempt after it is a failover
//! that should have stopped; and a 486 or 503 that sends the call through three or more
//! gateways costs attempts and post-dial delay for nothing.

use super::classes::CodeClass;
use super::stats::Tallies;
use super::{Ctx, Draft, Finding, Measure, Severity};

/// Longest gap between the end of one attempt and the start of the next of the same call.
pub const CHAIN_GAP_MS: i64 = 30_000;
/// Attempts that make a chain long.
pub const LONG_CHAIN: usize = 3;

/// The pair hash of an empty caller and callee: such rows cannot be linked.
fn empty_pair() -> u32 {
    // FNV-1a of the single separator byte 0: the offset basis times the prime.
    0x811c_9dc5u32.wrapping_mul(0x0100_0193)
}

/// Runs the failover rules.
pub fn run(ctx: &Ctx<'_>, t: &Tallies, out: &mut Vec<Finding>) {
    let store = ctx.store;
    let empty = empty_pair();
    // One sort of compact keys (pair, start, position); the calls themselves are only looked
    // at where two attempts of a pair are seconds apart, which keeps the pass cache-friendly.
    let t0 = ctx
        .matched
        .iter()
        .filter_map(|&i| store.calls[i as usize].time())
        .min()
        .unwrap_or(0);
    let mut keys: Vec<u128> = ctx
        .matched
        .iter()
        .enumerate()
        .filter_map(|(pos, &i)| {
            let c = &store.calls[i as usize];
            let end = c.time()?;
            if c.pair == empty {
                return None;
            }
            let start = if c.answered() {
                end.saturating_sub(i64::from(c.hold_s) * 1000)
            } else {
                end
            };
            let rel = u64::try_from(start.saturating_sub(t0)).unwrap_or(0);
            Some((u128::from(c.pair) << 96) | (u128::from(rel) << 32) | pos as u128)
        })
        .collect();
    keys.sort_unstable();
    let pair_of = |k: u128| (k >> 96) as u32;
    let start_of = |k: u128| ((k >> 32) & u128::from(u64::MAX)) as i64;
    let call_of = |k: u128| &store.calls[ctx.matched[(k & 0xffff_ffff) as usize] as usize];
    let n_names = store.names.len();
    // Per gateway: 6xx followed by more attempts, and the extra attempts.
    let mut global_retried = vec![0u64; n_names];
    let mut global_extra = vec![0u64; n_names];
    // Long chains started by a busy or an unavailable answer: chains, extra attempts.
    let mut busy = (0u64, 0u64);
    let mut unavailable = (0u64, 0u64);
    let mut s = 0;
    while s < keys.len() {
        // A chain: the next attempt of the pair starts within the gap after a failed attempt
        // (failed attempts end when they start); nothing follows an answered call.
        let mut e = s + 1;
        while e < keys.len()
            && pair_of(keys[e]) == pair_of(keys[s])
            && start_of(keys[e]) - start_of(keys[e - 1]) <= CHAIN_GAP_MS
            && !call_of(keys[e - 1]).answered()
        {
            e += 1;
        }
        let chain = &keys[s..e];
        if chain.len() >= 2 {
            for (j, &k) in chain[..chain.len() - 1].iter().enumerate() {
                let c = call_of(k);
                if ctx.classes.get(c.code as usize).copied().unwrap_or(0) & CodeClass::GLOBAL != 0 {
                    global_retried[c.egress as usize] += 1;
                    global_extra[c.egress as usize] += (chain.len() - j - 1) as u64;
                }
            }
            if chain.len() >= LONG_CHAIN {
                let first = call_of(chain[0]);
                let bits = ctx.classes.get(first.code as usize).copied().unwrap_or(0);
                let extra = (chain.len() - 1) as u64;
                if bits & CodeClass::BUSY != 0 {
                    busy.0 += 1;
                    busy.1 += extra;
                } else if bits & CodeClass::UNAVAILABLE != 0 {
                    unavailable.0 += 1;
                    unavailable.1 += extra;
                }
            }
        }
        s = e;
    }
    let global = ctx.codes_in(CodeClass::GLOBAL);
    for (g, &y) in global_retried.iter().enumerate() {
        if y == 0 {
            continue;
        }
        let gw = ctx.name(g as u32);
        let present = t.egress[g].present(&global);
        let x = t.egress[g].count(&present);
        let severity = if y >= 3 {
            Severity::Warning
        } else {
            Severity::Info
        };
        let scope = ctx.narrowed(|f| f.egress = vec![gw.clone()]);
        let codes = ctx.code_names(&present);
        let mut d = Draft::new("failover_6xx", severity, gw.clone(), scope)
            .rows(|f| f.code = codes.clone())
            .param("gw", &gw)
            .param("y", y)
            .param("x", x)
            .param("codes", codes.join("/"))
            .param("w", CHAIN_GAP_MS / 1000)
            .param("extra", global_extra[g])
            .number(Measure::CodeCount { codes }, x as f64);
        d.impact = y as f64 * 0.5;
        out.push(d.finish());
    }
    for (mask, (c, extra), advice) in [
        (CodeClass::BUSY, busy, "busy_stop"),
        (CodeClass::UNAVAILABLE, unavailable, "unavailable_chain"),
    ] {
        if c == 0 {
            continue;
        }
        let present = t.all.present(&ctx.codes_in(mask));
        let x = t.all.count(&present);
        let codes = ctx.code_names(&present);
        let severity = if c >= 5 {
            Severity::Warning
        } else {
            Severity::Info
        };
        let scope = ctx.narrowed(|f| f.code = codes.clone());
        let mut d = Draft::new("failover_chain", severity, String::new(), scope)
            .param("code", codes.join("/"))
            .param("c", c)
            .param("k", LONG_CHAIN)
            .param("w", CHAIN_GAP_MS / 1000)
            .param("extra", extra)
            .param("x", x)
            .number(Measure::Attempts, x as f64);
        d.advice = Some(advice);
        d.impact = extra as f64 * 0.1;
        out.push(d.finish());
    }
}
