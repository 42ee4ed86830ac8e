//! Toll fraud: a customer (ingress) with a settled traffic pattern that starts sending answered
//! calls to destinations it never called before in the data, in parallel and in a burst.
//!
//! A destination is new for an ingress when its first call comes after the first quarter of
//! that ingress's calls (at least 100 calls in all). It is suspect when it has at least 10
//! answered calls, makes at least 5 % of the ingress's calls between its first and last call,
//! and at least 3 of its answered calls were up at once. International special ranges often
//! abused (+870 Inmarsat, +881 satellite, +882/+883 international networks, +979 premium rate —
//! from knowledge of the ITU-T E.164 list) make it critical.

use super::{Ctx, Draft, Finding, Measure, Severity};
use crate::analysis::concurrency::{span, steps};
use crate::analysis::filter::NONE_NAME;
use crate::calendar::format_ms;

/// Calling codes of international special ranges often used for toll fraud.
pub const HIGH_RISK: &[&str] = &["870", "881", "882", "883", "979"];
/// Fewest calls of an ingress before the rule looks at it.
const MIN_CALLS: usize = 100;
/// Fewest answered calls to a new destination.
const MIN_ANSWERED: usize = 10;
/// Fewest of them up at once.
const MIN_PARALLEL: u32 = 3;

/// One call of an ingress: local time, destination, whether answered, and its channel span.
struct Row {
    t: i64,
    prefix: u16,
    answered: bool,
    span: Option<(i64, i64)>,
}

/// Runs the toll-fraud rule on every ingress.
pub fn run(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let store = ctx.store;
    let mut per: Vec<Vec<Row>> = Vec::new();
    per.resize_with(store.names.len(), Vec::new);
    for &i in &ctx.matched {
        let c = &store.calls[i as usize];
        let Some(t) = c.time() else { continue };
        if let Some(v) = per.get_mut(usize::from(c.ingress)) {
            v.push(Row {
                t: t + ctx.offset_ms,
                prefix: c.prefix,
                answered: c.answered(),
                span: span(c),
            });
        }
    }
    for (id, mut rows) in per.into_iter().enumerate() {
        if rows.len() < MIN_CALLS {
            continue;
        }
        let name = ctx.name(id as u32);
        if name == NONE_NAME {
            continue;
        }
        rows.sort_by_key(|r| r.t);
        let settled = rows.len() / 4;
        let mut first: rustc_hash::FxHashMap<u16, usize> = Default::default();
        for (k, r) in rows.iter().enumerate() {
            first.entry(r.prefix).or_insert(k);
        }
        let mut usual_hours = [false; 24];
        let mut suspects: Vec<(u16, usize)> = first
            .iter()
            .filter(|&(_, &k)| k >= settled)
            .map(|(&p, &k)| (p, k))
            .collect();
        suspects.sort_unstable_by_key(|s| s.1);
        let mut hit: Vec<u16> = Vec::new();
        let (mut answered, mut off_hours, mut peak, mut since) = (0usize, 0usize, 0u32, None);
        for (p, k) in suspects {
            let calls: Vec<&Row> = rows[k..].iter().filter(|r| r.prefix == p).collect();
            let ans: Vec<&&Row> = calls.iter().filter(|r| r.answered).collect();
            let last_t = calls.last().map_or(rows[k].t, |r| r.t);
            let window = rows[k..].iter().filter(|r| r.t <= last_t).count();
            let spans: Vec<(i64, i64)> = ans.iter().filter_map(|r| r.span).collect();
            let parallel = steps(&spans).iter().map(|s| s.1).max().unwrap_or(0);
            if ans.len() < MIN_ANSWERED || calls.len() * 20 < window || parallel < MIN_PARALLEL {
                continue;
            }
            for r in &rows[..k] {
                usual_hours[(r.t.rem_euclid(86_400_000) / 3_600_000) as usize] = true;
            }
            off_hours += ans
                .iter()
                .filter(|r| !usual_hours[(r.t.rem_euclid(86_400_000) / 3_600_000) as usize])
                .count();
            answered += ans.len();
            peak = peak.max(parallel);
            since.get_or_insert(rows[k].t);
            hit.push(p);
        }
        if hit.is_empty() {
            continue;
        }
        let prefixes: Vec<String> = hit.iter().map(|&p| ctx.prefix(p)).collect();
        let risky = prefixes.iter().any(|p| HIGH_RISK.contains(&p.as_str()));
        let scope = ctx.narrowed(|f| {
            f.ingress = vec![name.clone()];
            f.prefix = prefixes.clone();
        });
        let attempts = rows.iter().filter(|r| hit.contains(&r.prefix)).count() as u64;
        let time = format_ms(since.unwrap_or(0));
        let mut d = Draft::new(
            "toll_fraud",
            if risky {
                Severity::Critical
            } else {
                Severity::Warning
            },
            name.clone(),
            scope,
        )
        .rows(|f| f.answered = Some(true))
        .param("gw", &name)
        .param("prefix", prefixes.join(", "))
        .param("p", peak)
        .param("off", off_hours)
        .param(
            "time",
            format!("{}{}", time.get(..16).unwrap_or(&time), ctx.zone),
        )
        .count("a", Measure::Answered, answered as u64, None)
        .count("n", Measure::Attempts, attempts, None);
        d.since_ms = since;
        d.impact = answered as f64;
        out.push(d.finish());
    }
}
