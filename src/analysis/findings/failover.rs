//! Failover chains: attempts for the same caller and callee a few seconds apart.
//!
//! A 6xx is a global answer (busy or declined everywhere), so any attempt after it is a failover
//! that should have stopped; and a 486 or 503 that sends the call through three or more
//! gateways costs attempts and post-dial delay for nothing. The chains themselves are found
//! once over every call when a file is finished (`analysis::chains`); the rules count them with
//! the same filters a user can apply (`chain_min`, `chain_role`).

use super::classes::CodeClass;
use super::stats::Tallies;
use super::{Ctx, Draft, Finding, Measure, Severity};
use crate::analysis::chains::CHAIN_GAP_MS;
use crate::analysis::filter::ChainRole;

/// Attempts that make a chain long.
pub const LONG_CHAIN: u8 = 3;

/// Runs the failover rules.
pub fn run(ctx: &Ctx<'_>, t: &Tallies, out: &mut Vec<Finding>) {
    let store = ctx.store;
    let n_names = store.names.len();
    // Per gateway: 6xx answers followed by another attempt of the same call.
    let mut global_retried = vec![0u64; n_names];
    // Long chains begun by a busy or an unavailable answer: chains, extra attempts.
    let mut busy = (0u64, 0u64);
    let mut unavailable = (0u64, 0u64);
    for &i in &ctx.matched {
        let c = &store.calls[i as usize];
        let ch = c.chain();
        if ch.is_empty() {
            continue;
        }
        let bits = ctx.classes.get(c.code as usize).copied().unwrap_or(0);
        if ch.retried() && bits & CodeClass::GLOBAL != 0 {
            global_retried[c.egress as usize] += 1;
        }
        if ch.first() && ch.len() >= LONG_CHAIN {
            let extra = u64::from(ch.len() - 1);
            if bits & CodeClass::BUSY != 0 {
                busy.0 += 1;
                busy.1 += extra;
            } else if bits & CodeClass::UNAVAILABLE != 0 {
                unavailable.0 += 1;
                unavailable.1 += extra;
            }
        }
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
            .rows(|f| {
                f.code = codes.clone();
                f.chain_role = Some(ChainRole::Retried);
            })
            .param("gw", &gw)
            .param("codes", codes.join("/"))
            .param("w", CHAIN_GAP_MS / 1000);
        let rows = d.rows.clone();
        d = d.count("y", Measure::Attempts, y, rows.as_ref()).count(
            "x",
            Measure::CodeCount { codes },
            x,
            None,
        );
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
        // The view: the chains' first attempts; the code's attempts are a number of their own.
        let ended = ctx.narrowed(|f| f.code = codes.clone());
        let scope = ctx.narrowed(|f| {
            f.code = codes.clone();
            f.chain_min = Some(LONG_CHAIN);
            f.chain_role = Some(ChainRole::First);
        });
        let mut d = Draft::new("failover_chain", severity, String::new(), scope)
            .param("code", codes.join("/"))
            .param("k", LONG_CHAIN)
            .param("w", CHAIN_GAP_MS / 1000)
            .count("c", Measure::Attempts, c, None)
            .count("extra", Measure::FailoverRetries, extra, None)
            .count("x", Measure::Attempts, x, Some(&ended));
        d.advice = Some(advice);
        d.impact = extra as f64 * 0.1;
        out.push(d.finish());
    }
}
