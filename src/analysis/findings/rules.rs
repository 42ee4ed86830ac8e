//! Share rules: one gateway or destination whose share of a failure family, short calls or PDD
//! stands out, judged against fixed thresholds and against the others.
//!
//! A share only counts as high when the lower bound of its 95 % Wilson interval clears the
//! threshold, so a few unlucky calls on a small gateway do not raise a finding.

use super::classes::CodeClass;
use super::stats::{p95, ratio, wilson_lower, Acc, Tallies};
use super::{Ctx, Draft, Finding, Measure, Severity, Shown};
use crate::analysis::filter::{Filter, NONE_NAME};
use crate::analysis::kpi::sort_pdd;

/// Fewest attempts a group needs before its shares are judged.
const MIN_ATTEMPTS: u64 = 30;

/// The filter of "every other group", built only when a finding needs it (it lists every other
/// gateway or destination by name).
struct Others<'a> {
    cell: std::cell::OnceCell<Option<Filter>>,
    make: Box<dyn Fn() -> Option<Filter> + 'a>,
}

impl<'a> Others<'a> {
    fn new(make: impl Fn() -> Option<Filter> + 'a) -> Self {
        Others {
            cell: std::cell::OnceCell::new(),
            make: Box::new(make),
        }
    }

    fn get(&self) -> Option<&Filter> {
        self.cell.get_or_init(|| (self.make)()).as_ref()
    }
}

/// A group compared with the rest of its kind.
struct Versus<'t> {
    id: usize,
    acc: &'t Acc,
    /// Totals of all groups of this kind (the group included).
    total: &'t Acc,
}

impl Versus<'_> {
    fn others(&self, ids: &[usize]) -> (u64, u64) {
        (
            self.total.count(ids) - self.acc.count(ids),
            self.total.attempts - self.acc.attempts,
        )
    }

    fn others_asr(&self, fallback: f64) -> f64 {
        let n = self.total.attempts - self.acc.attempts;
        if n < MIN_ATTEMPTS {
            fallback
        } else {
            ratio(self.total.answered - self.acc.answered, n)
        }
    }
}

/// Runs every share rule.
pub fn run(ctx: &Ctx<'_>, t: &Tallies, out: &mut Vec<Finding>) {
    // Routed gateways only: calls without a gateway belong to no vendor.
    let gateways: Vec<usize> = (1..t.egress.len())
        .filter(|&g| t.egress[g].attempts > 0 && !ctx.store.names.name(g as u32).is_empty())
        .collect();
    let mut routed = Acc {
        codes: vec![0; ctx.store.codes.len()],
        ..Acc::default()
    };
    for &g in &gateways {
        let a = &t.egress[g];
        routed.attempts += a.attempts;
        routed.answered += a.answered;
        routed.short += a.short;
        routed.zero += a.zero;
        for (x, y) in routed.codes.iter_mut().zip(&a.codes) {
            *x += y;
        }
    }
    let overall_asr = ratio(routed.answered, routed.attempts);
    let mut all_pdd: Vec<u32> = gateways
        .iter()
        .flat_map(|&g| t.egress[g].pdd.iter().copied())
        .collect();
    // By counting on a large file (stored PDDs fit in 16 bits): linear, not a comparison sort of
    // up to millions of values.
    sort_pdd(&mut all_pdd);
    let names = |ids: &[usize], skip: usize| -> Vec<String> {
        ids.iter()
            .filter(|&&g| g != skip)
            .map(|&g| ctx.store.names.name(g as u32).to_string())
            .collect()
    };
    let mut sdr_flagged = Vec::new();
    for &g in &gateways {
        let v = Versus {
            id: g,
            acc: &t.egress[g],
            total: &routed,
        };
        let gw = ctx.name(g as u32);
        let scope = ctx.narrowed(|f| f.egress = vec![gw.clone()]);
        let base = Others::new(|| {
            let others = names(&gateways, g);
            (!others.is_empty()).then(|| ctx.narrowed(|f| f.egress = others))
        });
        let base_asr = v.others_asr(overall_asr);
        let family = |mask| FamilyCheck {
            ctx,
            v: &v,
            ids: routed.present(&ctx.codes_in(mask)),
            scope: &scope,
            base: &base,
            base_asr,
            gw: &gw,
        };
        // 503 and other capacity refusals.
        if let Some(d) = family(CodeClass::UNAVAILABLE).judge("gw_unavailable", 0.10, 0.20, 3.0) {
            out.push(d.finish());
        }
        // Timeouts: unreachable when they come with no PDD at all.
        timeouts(ctx, &family(CodeClass::TIMEOUT), out);
        if let Some(d) = family(CodeClass::AUTH).judge("gw_auth", 0.03, 0.20, 3.0) {
            out.push(d.finish());
        }
        if let Some(d) = family(CodeClass::BUSY).judge("gw_busy", 0.10, f64::INFINITY, 0.0) {
            // Degraded (critical) above 20 % with confidence, as the health verdict says.
            let lb = wilson_lower(v.acc.count(&family(CodeClass::BUSY).ids), v.acc.attempts);
            let d = if lb > 0.20 {
                Draft {
                    severity: Severity::Critical,
                    ..d
                }
            } else {
                d
            };
            out.push(d.finish());
        }
        cancels(&family(CodeClass::CANCEL), &all_pdd, out);
        pdd(ctx, &v, &gw, &scope, &base, &all_pdd, out);
        media(&family(CodeClass::MEDIA), out);
        if let Some(d) = sdr(ctx, &v, &gw, &scope, &base, "gw_sdr") {
            sdr_flagged.push(g as u32);
            out.push(d.finish());
        }
        zero_answer(ctx, &v, &gw, out);
    }
    unrouted(ctx, t, &routed, overall_asr, out);
    prefixes(ctx, t, overall_asr, &sdr_flagged, out);
}

/// One failure family on one group.
struct FamilyCheck<'a> {
    ctx: &'a Ctx<'a>,
    v: &'a Versus<'a>,
    ids: Vec<usize>,
    scope: &'a Filter,
    base: &'a Others<'a>,
    base_asr: f64,
    gw: &'a str,
}

impl FamilyCheck<'_> {
    /// Fires when the family's share is confidently above `warn` and `times` the others';
    /// critical from `crit`.
    fn judge(&self, rule: &'static str, warn: f64, crit: f64, times: f64) -> Option<Draft> {
        let (x, n) = (self.v.acc.count(&self.ids), self.v.acc.attempts);
        if n < MIN_ATTEMPTS || x < 5 || wilson_lower(x, n) < warn {
            return None;
        }
        let (bx, bn) = self.v.others(&self.ids);
        let (p, bp) = (ratio(x, n), ratio(bx, bn));
        if bn >= MIN_ATTEMPTS && p < times * bp {
            return None;
        }
        let severity = if p >= crit {
            Severity::Critical
        } else {
            Severity::Warning
        };
        let present = self.v.acc.present(&self.ids);
        let codes = self.ctx.code_names(&present);
        let all_codes = self.ctx.code_names(&self.ids);
        let count = || Measure::CodeCount {
            codes: all_codes.clone(),
        };
        let mut d = Draft::new(rule, severity, self.gw.to_string(), self.scope.clone())
            .rows(|f| f.code = codes.clone())
            .param("gw", self.gw)
            .param("codes", codes.join(", "))
            .count("n", Measure::Attempts, n, None)
            .count("x", count(), x, None);
        match self.base.get() {
            Some(b) => {
                d = d
                    .count("bn", Measure::Attempts, bn, Some(b))
                    .count("bx", count(), bx, Some(b))
                    .share("pct", count(), x as f64, "n", n as f64, None)
                    .share("base", count(), bx as f64, "bn", bn as f64, Some(b));
            }
            // Alone in the view: there is nothing to compare with.
            None => {
                d = d
                    .share("pct", count(), x as f64, "n", n as f64, None)
                    .param("bx", "-")
                    .param("bn", "-")
                    .param("base", "-");
            }
        }
        d.impact =
            (x as f64 - n as f64 * bp.max(if times == 0.0 { warn } else { 0.0 })) * self.base_asr;
        Some(d)
    }
}

fn timeouts(ctx: &Ctx<'_>, fc: &FamilyCheck<'_>, out: &mut Vec<Finding>) {
    let Some(mut d) = fc.judge("gw_timeout", 0.10, 0.20, 3.0) else {
        return;
    };
    // Timeouts with no PDD: count them on the gateway's calls with those codes.
    let codes_scope = ctx.narrowed(|f| {
        f.egress = vec![fc.gw.to_string()];
        f.code = ctx.code_names(&fc.ids);
    });
    let mut with_pdd = 0u64;
    let x = fc.v.acc.count(&fc.ids);
    for &i in &ctx.matched {
        let c = &ctx.store.calls[i as usize];
        if c.egress as usize == fc.v.id && fc.ids.contains(&(c.code as usize)) && c.pdd_ms > 0 {
            with_pdd += 1;
        }
    }
    let z = x - with_pdd;
    if ctx.store.has_pdd && z * 10 >= x * 8 {
        d.rule = "gw_timeout_unreachable";
    }
    d = d.count("z", Measure::WithoutPdd, z, Some(&codes_scope));
    out.push(d.finish());
}

/// The nearest-rank p95 of `all` without the values of `mine` (both sorted).
fn p95_without(all: &[u32], mine: &[u32]) -> Option<f64> {
    let n = all.len() - mine.len();
    if n == 0 {
        return None;
    }
    let rank = (((n as f64) * 0.95).ceil() as usize).clamp(1, n);
    // The smallest value v with (#all ≤ v) − (#mine ≤ v) ≥ rank.
    let (mut lo, mut hi) = (0usize, all.len() - 1);
    while lo < hi {
        let mid = (lo + hi) / 2;
        let v = all[mid];
        let le = all.partition_point(|&x| x <= v) - mine.partition_point(|&x| x <= v);
        if le >= rank {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Some(f64::from(all[lo]))
}

fn cancels(fc: &FamilyCheck<'_>, all_pdd: &[u32], out: &mut Vec<Finding>) {
    let Some(mut d) = fc.judge("gw_cancel", 0.15, 0.30, 1.5) else {
        return;
    };
    let mine = p95(&fc.v.acc.pdd);
    let others = p95_without(all_pdd, &fc.v.acc.pdd);
    d = match mine {
        Some(p) => d.num("pdd", Measure::PddP95Ms, p, Shown::Fixed(p, 0), None),
        None => d.param("pdd", "-"),
    };
    d = match (fc.base.get(), others) {
        (Some(b), Some(p)) => d.num("bpdd", Measure::PddP95Ms, p, Shown::Fixed(p, 0), Some(b)),
        _ => d.param("bpdd", "-"),
    };
    out.push(d.finish());
}

fn pdd(
    ctx: &Ctx<'_>,
    v: &Versus<'_>,
    gw: &str,
    scope: &Filter,
    base: &Others<'_>,
    all_pdd: &[u32],
    out: &mut Vec<Finding>,
) {
    let mine = &v.acc.pdd;
    if (mine.len() as u64) < MIN_ATTEMPTS || ((all_pdd.len() - mine.len()) as u64) < MIN_ATTEMPTS {
        return;
    }
    let (Some(p), Some(bp)) = (p95(mine), p95_without(all_pdd, mine)) else {
        return;
    };
    if bp <= 0.0 || p < 1.5 * bp || p - bp < 2000.0 {
        return;
    }
    let Some(base) = base.get() else { return };
    // Impact: the cancels above the others' share, which long PDD is the usual cause of.
    let cancel = ctx.codes_in(CodeClass::CANCEL);
    let (bx, bn) = v.others(&cancel);
    let excess = v.acc.count(&cancel) as f64 - v.acc.attempts as f64 * ratio(bx, bn);
    let mut d = Draft::new("gw_pdd", Severity::Warning, gw.to_string(), scope.clone())
        .param("gw", gw)
        .count("n", Measure::PddRows, mine.len() as u64, None)
        .num("p95", Measure::PddP95Ms, p, Shown::Fixed(p, 0), None)
        .num(
            "bp95",
            Measure::PddP95Ms,
            bp,
            Shown::Fixed(bp, 0),
            Some(base),
        )
        .num(
            "ratio",
            Measure::PddP95Ms,
            p / bp,
            Shown::Fixed(p / bp, 1),
            None,
        )
        .per("bp95");
    d.impact = excess * v.others_asr(0.0);
    out.push(d.finish());
}

fn media(fc: &FamilyCheck<'_>, out: &mut Vec<Finding>) {
    let (x, n) = (fc.v.acc.count(&fc.ids), fc.v.acc.attempts);
    if x < 3 {
        return;
    }
    let severity = if x >= 5 && wilson_lower(x, n) >= 0.01 {
        if ratio(x, n) >= 0.05 {
            Severity::Critical
        } else {
            Severity::Warning
        }
    } else {
        Severity::Info
    };
    let codes = fc.ctx.code_names(&fc.v.acc.present(&fc.ids));
    let count = || Measure::CodeCount {
        codes: fc.ctx.code_names(&fc.ids),
    };
    let mut d = Draft::new("gw_media", severity, fc.gw.to_string(), fc.scope.clone())
        .rows(|f| f.code = codes.clone())
        .param("gw", fc.gw)
        .param("codes", codes.join(", "))
        .count("n", Measure::Attempts, n, None)
        .count("x", count(), x, None)
        .share("pct", count(), x as f64, "n", n as f64, None);
    d.impact = x as f64;
    out.push(d.finish());
}

/// Short calls on a group against the other groups of its kind.
fn sdr(
    ctx: &Ctx<'_>,
    v: &Versus<'_>,
    subject: &str,
    scope: &Filter,
    base: &Others<'_>,
    rule: &'static str,
) -> Option<Draft> {
    let (x, a) = (v.acc.short, v.acc.answered);
    if a < MIN_ATTEMPTS || x < 5 {
        return None;
    }
    let (bx, ba) = (v.total.short - x, v.total.answered - a);
    let (p, bp) = (ratio(x, a), ratio(bx, ba));
    if wilson_lower(x, a) < 0.10 || (ba >= MIN_ATTEMPTS && p < 2.0 * bp) {
        return None;
    }
    let severity = if p >= 0.25 && (ba < MIN_ATTEMPTS || p >= 3.0 * bp) {
        Severity::Critical
    } else {
        Severity::Warning
    };
    // Short calls are answered calls of at most t − 1 s: a filter of their own, so the count
    // does not depend on the short-call threshold the page uses.
    let short = |f: &mut Filter| {
        f.answered = Some(true);
        f.max_duration_s = Some(ctx.opts.short_call_s.saturating_sub(1));
    };
    let mine = {
        let mut f = scope.clone();
        short(&mut f);
        f
    };
    let mut d = Draft::new(rule, severity, subject.to_string(), scope.clone())
        .rows(short)
        .param("subject", subject)
        .param("t", ctx.opts.short_call_s)
        .count("a", Measure::Answered, a, None)
        .count("x", Measure::Attempts, x, Some(&mine))
        .share(
            "pct",
            Measure::Attempts,
            x as f64,
            "a",
            a as f64,
            Some(&mine),
        );
    match base.get() {
        Some(b) => {
            let theirs = {
                let mut f = b.clone();
                short(&mut f);
                f
            };
            d = d
                .count("ba", Measure::Answered, ba, Some(b))
                .count("bx", Measure::Attempts, bx, Some(&theirs))
                .share(
                    "base",
                    Measure::Attempts,
                    bx as f64,
                    "ba",
                    ba as f64,
                    Some(&theirs),
                );
        }
        None => d = d.param("base", "-"),
    }
    d.impact = x as f64 - a as f64 * bp;
    Some(d)
}

fn zero_answer(ctx: &Ctx<'_>, v: &Versus<'_>, gw: &str, out: &mut Vec<Finding>) {
    let (x, a) = (v.acc.zero, v.acc.answered);
    if x == 0 {
        return;
    }
    let severity = if x >= 5 && ratio(x, a) >= 0.01 {
        Severity::Warning
    } else {
        Severity::Info
    };
    let answered = ctx.narrowed(|f| {
        f.egress = vec![gw.to_string()];
        f.answered = Some(true);
    });
    let mut d = Draft::new("gw_zero_answer", severity, gw.to_string(), answered)
        .rows(|f| f.max_duration_s = Some(0))
        .param("gw", gw)
        .count("a", Measure::Answered, a, None)
        .count("x", Measure::ZeroDurationAnswered, x, None);
    d.impact = x as f64;
    out.push(d.finish());
}

/// Calls the switch refused before trying any gateway.
fn unrouted(ctx: &Ctx<'_>, t: &Tallies, routed: &Acc, asr: f64, out: &mut Vec<Finding>) {
    // Only meaningful when the format records gateways at all.
    if routed.attempts == 0 {
        return;
    }
    let mut x = 0u64;
    let mut codes: Vec<(u32, usize)> = vec![(0, 0); ctx.store.codes.len()];
    for (i, slot) in codes.iter_mut().enumerate() {
        slot.1 = i;
    }
    for &i in &ctx.matched {
        let c = &ctx.store.calls[i as usize];
        if !c.answered() && ctx.store.names.name(c.egress).is_empty() {
            x += 1;
            if let Some(slot) = codes.get_mut(ctx.store.display_code(c) as usize) {
                slot.0 += 1;
            }
        }
    }
    if x == 0 {
        return;
    }
    codes.retain(|(n, _)| *n > 0);
    codes.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let n = t.all.attempts;
    let p = ratio(x, n);
    // A share of a handful of calls is no evidence: 2 of 3 calls in a lab export are not
    // "critical" (a real CUCM file), whatever their share.
    let severity = if x < 10 {
        Severity::Info
    } else if p >= 0.05 {
        Severity::Critical
    } else if p >= 0.01 {
        Severity::Warning
    } else {
        Severity::Info
    };
    let scope = ctx.narrowed(|f| {
        f.egress = vec![NONE_NAME.to_string()];
        f.answered = Some(false);
    });
    let mut d = Draft::new("unrouted", severity, NONE_NAME.to_string(), scope)
        .count("x", Measure::Attempts, x, None)
        .count("n", Measure::Attempts, n, Some(ctx.base))
        .share("pct", Measure::Attempts, x as f64, "n", n as f64, None);
    // Each code named with its count: the count is a number of its own (`code:<name>`).
    let mut shown = Vec::new();
    for &(k, id) in codes.iter().take(4) {
        let name = ctx.code_names(&[id]).pop().unwrap_or_default();
        if codes.len() == 1 {
            shown.push(if name.is_empty() {
                NONE_NAME.to_string()
            } else {
                name
            });
            continue;
        }
        let label = if name.is_empty() {
            NONE_NAME.to_string()
        } else {
            name.clone()
        };
        shown.push(format!("{label} ×{k}"));
        d = d.count(
            &format!("code:{label}"),
            Measure::CodeCount { codes: vec![name] },
            u64::from(k),
            None,
        );
    }
    d = d.param("codes", shown.join(", "));
    // VOS3000's own reasons (NoAvailableRouter, AllGatewayBusy, -69) mean nothing on a PBX.
    let vos = codes
        .first()
        .and_then(|&(_, id)| ctx.store.codes.get(id))
        .is_some_and(|k| k.system == Some(crate::call::CodeSystem::Vos3000));
    d.advice = Some(if vos {
        "unrouted_vos"
    } else {
        "unrouted_other"
    });
    d.impact = x as f64 * asr;
    out.push(d.finish());
}

/// Destination rules: routing failures concentrated on a prefix, and short calls.
fn prefixes(ctx: &Ctx<'_>, t: &Tallies, asr: f64, sdr_gateways: &[u32], out: &mut Vec<Finding>) {
    let ids: Vec<usize> = (1..t.prefix.len())
        .filter(|&p| t.prefix[p].attempts > 0)
        .collect();
    let mut total = Acc {
        codes: vec![0; ctx.store.codes.len()],
        ..Acc::default()
    };
    for &p in &ids {
        let a = &t.prefix[p];
        total.attempts += a.attempts;
        total.answered += a.answered;
        total.short += a.short;
        for (x, y) in total.codes.iter_mut().zip(&a.codes) {
            *x += y;
        }
    }
    let routing = total.present(&ctx.codes_in(CodeClass::ROUTING));
    for &p in &ids {
        let name = ctx.prefix(p as u16);
        let v = Versus {
            id: p,
            acc: &t.prefix[p],
            total: &total,
        };
        let scope = ctx.narrowed(|f| f.prefix = vec![name.clone()]);
        let base = Others::new(|| {
            let others: Vec<String> = ids
                .iter()
                .filter(|&&q| q != p)
                .map(|&q| ctx.prefix(q as u16))
                .collect();
            (!others.is_empty()).then(|| ctx.narrowed(|f| f.prefix = others))
        });
        let fc = FamilyCheck {
            ctx,
            v: &v,
            ids: routing.clone(),
            scope: &scope,
            base: &base,
            base_asr: v.others_asr(asr),
            gw: &name,
        };
        if let Some(d) = fc.judge("prefix_routing", 0.10, 0.30, 3.0) {
            out.push(d.param("prefix", &name).finish());
        }
        if let Some(d) = sdr(ctx, &v, &name, &scope, &base, "prefix_sdr") {
            // Skip when flagged gateways carry most of this destination's short calls.
            let from_flagged: u64 = sdr_gateways
                .iter()
                .map(|&g| t.short_by_pair.get(&(g, p as u16)).copied().unwrap_or(0))
                .sum();
            if from_flagged * 2 < v.acc.short {
                out.push(d.finish());
            }
        }
    }
}
