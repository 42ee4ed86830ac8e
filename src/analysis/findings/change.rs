//! Changes over time: a gateway or destination whose failure code starts, or whose ASR drops,
//! at one moment.
//!
//! Calls are bucketed (at most [`MAX_BUCKETS`] buckets over the file's range); for each group
//! and code the best single split is the one with the largest two-proportion z, accepted only
//! when the share after it is high, several times the share before it, and z ≥ [`MIN_Z`]. The
//! onset is then refined to the minute of the first such call, and a later recovery, if any,
//! closes the window.

use super::stats::{ratio, two_prop_z, Tallies};
use super::{Ctx, Draft, Finding, Measure, Severity};
use crate::calendar::format_ms;
use crate::summary::TimeRange;

/// Most buckets a series is cut into.
pub const MAX_BUCKETS: i64 = 144;
/// Smallest z that counts as a change.
pub const MIN_Z: f64 = 5.0;
/// Fewest attempts on each side of a split.
const MIN_SIDE: u64 = 30;
const WIDTHS_MIN: [i64; 12] = [1, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 10080];

/// Which series a change was found in.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// A code id starting.
    Code(usize),
    /// The ASR dropping.
    Asr,
}

/// One group's series.
struct Series {
    egress: bool,
    id: u32,
    n: Vec<u64>,
    answered: Vec<u64>,
    /// Candidate code ids and their counts per bucket.
    codes: Vec<(usize, Vec<u64>)>,
}

/// A change found in one series, before exact recounting.
struct Change {
    egress: bool,
    id: u32,
    kind: Kind,
    onset: usize,
    end: Option<usize>,
}

/// Runs the change rules over `time_range` (that of the calls); `t` gives the group sizes
/// (tallied over the same calls).
pub fn run(ctx: &Ctx<'_>, t: &Tallies, time_range: Option<&TimeRange>, out: &mut Vec<Finding>) {
    let Some(range) = time_range else {
        return;
    };
    // Ranges beyond the widths table (or absurd times in a hostile file) are not bucketed.
    let span = range
        .last_ms
        .saturating_sub(range.first_ms)
        .saturating_add(1);
    let Some(width) = WIDTHS_MIN
        .iter()
        .map(|m| m * 60_000)
        .find(|w| span / w < MAX_BUCKETS)
    else {
        return;
    };
    let start = range.first_ms.div_euclid(width) * width;
    let buckets = (range.last_ms.saturating_sub(start) / width).saturating_add(1) as usize;
    if !(4..=MAX_BUCKETS as usize + 1).contains(&buckets) {
        return;
    }
    let store = ctx.store;
    // Groups with enough calls: egress gateways and destinations.
    let eg_n: Vec<u64> = t.egress.iter().map(|a| a.attempts).collect();
    let px_n: Vec<u64> = t.prefix.iter().map(|a| a.attempts).collect();
    let candidate_code = |id: usize| {
        let k = &store.codes[id];
        ctx.classes[id] != 0 || matches!(k.equivalent_sip, Some(400..=699))
    };
    let mut slot_eg = vec![usize::MAX; store.names.len()];
    let mut slot_px = vec![usize::MAX; store.prefixes.len()];
    let mut series: Vec<Series> = Vec::new();
    let new_series = |egress, id| Series {
        egress,
        id,
        n: vec![0; buckets],
        answered: vec![0; buckets],
        codes: Vec::new(),
    };
    for (g, &n) in eg_n.iter().enumerate() {
        if n >= 2 * MIN_SIDE && !store.names.name(g as u32).is_empty() {
            slot_eg[g] = series.len();
            series.push(new_series(true, g as u32));
        }
    }
    for (p, &n) in px_n.iter().enumerate() {
        if n >= 2 * MIN_SIDE && p != 0 {
            slot_px[p] = series.len();
            series.push(new_series(false, p as u32));
        }
    }
    if series.is_empty() {
        return;
    }
    // Code slots per series, created on first sight.
    let mut code_slot: Vec<Vec<u16>> = vec![Vec::new(); series.len()];
    for &i in &ctx.matched {
        let c = &store.calls[i as usize];
        let Some(t) = c.time() else { continue };
        let b = (t.saturating_add(ctx.offset_ms).saturating_sub(start) / width) as usize;
        if b >= buckets {
            continue;
        }
        let code = store.display_code(c) as usize;
        let cand = !c.answered() && code < store.codes.len() && candidate_code(code);
        for s in [slot_eg[c.egress as usize], slot_px[c.prefix as usize]] {
            if s == usize::MAX {
                continue;
            }
            let se = &mut series[s];
            se.n[b] += 1;
            se.answered[b] += u64::from(c.answered());
            if cand {
                let slots = &mut code_slot[s];
                if slots.len() < store.codes.len() {
                    slots.resize(store.codes.len(), u16::MAX);
                }
                if slots[code] == u16::MAX {
                    slots[code] = se.codes.len() as u16;
                    se.codes.push((code, vec![0; buckets]));
                }
                se.codes[slots[code] as usize].1[b] += 1;
            }
        }
    }
    let mut changes: Vec<Change> = Vec::new();
    for s in &series {
        let mut found_code = Vec::new();
        for (code, x) in &s.codes {
            if x.iter().sum::<u64>() < 10 {
                continue;
            }
            if let Some((k, end)) = onset(&s.n, x) {
                found_code.push(k);
                changes.push(Change {
                    egress: s.egress,
                    id: s.id,
                    kind: Kind::Code(*code),
                    onset: k,
                    end,
                });
            }
        }
        if let Some(k) = asr_drop(&s.n, &s.answered) {
            if !found_code.iter().any(|&c| c.abs_diff(k) <= 2) {
                changes.push(Change {
                    egress: s.egress,
                    id: s.id,
                    kind: Kind::Asr,
                    onset: k,
                    end: None,
                });
            }
        }
    }
    // A destination change is dropped when gateways with the same change carry at least half
    // of the destination's hits after its onset: the gateway finding already explains it.
    let gateway_changes: Vec<(Kind, u32)> = changes
        .iter()
        .filter(|c| c.egress)
        .map(|c| (c.kind, c.id))
        .collect();
    changes.retain(|c| {
        if c.egress {
            return true;
        }
        let from = start + c.onset as i64 * width;
        let (mut all, mut explained) = (0u64, 0u64);
        for &i in &ctx.matched {
            let call = &store.calls[i as usize];
            let after = call
                .time()
                .is_some_and(|t| t.saturating_add(ctx.offset_ms) >= from);
            let hit = match c.kind {
                Kind::Code(code) => store.display_code(call) as usize == code,
                Kind::Asr => !call.answered(),
            };
            if u32::from(call.prefix) == c.id && after && hit {
                all += 1;
                if gateway_changes.contains(&(c.kind, u32::from(call.egress))) {
                    explained += 1;
                }
            }
        }
        explained * 2 < all
    });
    let one_day = range.first.get(..10) == range.last.get(..10);
    for ch in changes {
        if let Some(f) = report(ctx, &ch, start, width, one_day) {
            out.push(f);
        }
    }
}

/// Prefix sums of a series.
fn sums(v: &[u64]) -> Vec<u64> {
    let mut s = Vec::with_capacity(v.len() + 1);
    s.push(0);
    for &x in v {
        s.push(s.last().copied().unwrap_or(0) + x);
    }
    s
}

/// The best split where the share of `x` rises, and the bucket where it recovers, if it does.
fn onset(n: &[u64], x: &[u64]) -> Option<(usize, Option<usize>)> {
    let (sn, sx) = (sums(n), sums(x));
    let b = n.len();
    let rises = |lo: usize, k: usize, hi: usize| -> Option<f64> {
        let (nb, xb) = (sn[k] - sn[lo], sx[k] - sx[lo]);
        let (na, xa) = (sn[hi] - sn[k], sx[hi] - sx[k]);
        if nb < MIN_SIDE || na < MIN_SIDE || xa < 10 {
            return None;
        }
        let (pb, pa) = (ratio(xb, nb), ratio(xa, na));
        (pa >= 0.15 && pb * 4.0 <= pa)
            .then(|| two_prop_z(xb, nb, xa, na))
            .filter(|z| *z >= MIN_Z)
    };
    let k = best((1..b).filter_map(|k| rises(0, k, b).map(|z| (k, z))))?;
    // Recovery: the share falls back after some bucket m > k.
    let falls = |m: usize| -> Option<f64> {
        let (ni, xi) = (sn[m] - sn[k], sx[m] - sx[k]);
        let (na, xa) = (sn[b] - sn[m], sx[b] - sx[m]);
        if ni < MIN_SIDE || na < MIN_SIDE {
            return None;
        }
        let (pi, pa) = (ratio(xi, ni), ratio(xa, na));
        (pi >= 0.15 && pa * 4.0 <= pi)
            .then(|| -two_prop_z(xi, ni, xa, na))
            .filter(|z| *z >= MIN_Z)
    };
    let end = best((k + 1..b).filter_map(|m| falls(m).map(|z| (m, z))));
    Some((k, end))
}

/// The split where the ASR drops to half or less.
fn asr_drop(n: &[u64], answered: &[u64]) -> Option<usize> {
    let (sn, sa) = (sums(n), sums(answered));
    let b = n.len();
    best((1..b).filter_map(|k| {
        let (nb, ab) = (sn[k], sa[k]);
        let (na, aa) = (sn[b] - sn[k], sa[b] - sa[k]);
        if nb < MIN_SIDE || na < MIN_SIDE {
            return None;
        }
        let (pb, pa) = (ratio(ab, nb), ratio(aa, na));
        let z = -two_prop_z(ab, nb, aa, na);
        (pb >= 0.2 && pa * 2.0 <= pb && z >= MIN_Z).then_some((k, z))
    }))
}

fn best(it: impl Iterator<Item = (usize, f64)>) -> Option<usize> {
    it.fold(None, |acc: Option<(usize, f64)>, (k, z)| match acc {
        Some((_, bz)) if bz >= z => acc,
        _ => Some((k, z)),
    })
    .map(|(k, _)| k)
}

/// Recounts a change exactly (minute-precise onset) and builds its finding.
fn report(ctx: &Ctx<'_>, ch: &Change, start: i64, width: i64, one_day: bool) -> Option<Finding> {
    let store = ctx.store;
    let in_group = |c: &crate::analysis::store::StoredCall| {
        if ch.egress {
            u32::from(c.egress) == ch.id
        } else {
            u32::from(c.prefix) == ch.id
        }
    };
    let bucket_start = start + ch.onset as i64 * width;
    let to = ch.end.map(|m| start + m as i64 * width);
    let hit = |c: &crate::analysis::store::StoredCall| match ch.kind {
        Kind::Code(code) => store.display_code(c) as usize == code,
        Kind::Asr => !c.answered(),
    };
    // The onset, to the call: around the chosen bucket, the split just before a hit that
    // gives the largest z.
    let mut calls: Vec<(i64, bool)> = ctx
        .matched
        .iter()
        .map(|&i| &store.calls[i as usize])
        .filter(|c| in_group(c))
        .filter_map(|c| c.time().map(|t| (t.saturating_add(ctx.offset_ms), hit(c))))
        .filter(|&(t, _)| to.is_none_or(|e| t < e))
        .collect();
    calls.sort_unstable();
    let (lo, hi) = (bucket_start - 2 * width, bucket_start + 3 * width);
    let total_hits = calls.iter().filter(|c| c.1).count() as u64;
    let mut hits_before = 0u64;
    let mut first: Option<(f64, i64)> = None;
    for (j, &(t, h)) in calls.iter().enumerate() {
        if h && t >= lo && t < hi {
            let (nb, na) = (j as u64, (calls.len() - j) as u64);
            let z = two_prop_z(hits_before, nb, total_hits - hits_before, na);
            if nb >= 10 && na >= 10 && first.is_none_or(|(bz, _)| z > bz) {
                first = Some((z, t));
            }
        }
        hits_before += u64::from(h);
    }
    let (_, first) = first?;
    let since = first.div_euclid(60_000) * 60_000;
    let (mut n, mut x, mut bn, mut bx) = (0u64, 0u64, 0u64, 0u64);
    for &i in &ctx.matched {
        let c = &store.calls[i as usize];
        let Some(t) = c.time() else { continue };
        let t = t.saturating_add(ctx.offset_ms);
        if !in_group(c) {
            continue;
        }
        let counted = match ch.kind {
            Kind::Code(code) => store.display_code(c) as usize == code,
            Kind::Asr => c.answered(),
        };
        if t >= since && to.is_none_or(|e| t < e) {
            n += 1;
            x += u64::from(counted);
        } else if t < since {
            bn += 1;
            bx += u64::from(counted);
        }
    }
    let (p, bp) = (ratio(x, n), ratio(bx, bn));
    let subject = if ch.egress {
        ctx.name(ch.id)
    } else {
        ctx.prefix(ch.id as u16)
    };
    let clock = |t: i64| {
        let s = format_ms(t);
        let part = if one_day { s.get(11..16) } else { s.get(..16) };
        format!("{}{}", part.unwrap_or(&s), ctx.zone)
    };
    let set_group = |f: &mut crate::analysis::filter::Filter| {
        if ch.egress {
            f.egress = vec![subject.clone()];
        } else {
            f.prefix = vec![subject.clone()];
        }
    };
    let scope = ctx.narrowed(|f| {
        set_group(f);
        f.from_ms = Some(since);
        f.to_ms = to;
    });
    let before = ctx.narrowed(|f| {
        set_group(f);
        f.to_ms = Some(since);
    });
    let until = to.map_or_else(
        || vec![("en", String::new())],
        |e| {
            let t = clock(e);
            vec![
                ("en", format!(" to {t}")),
                ("es", format!(" hasta las {t}")),
            ]
        },
    );
    let (rule, measure, severity, impact) = match ch.kind {
        Kind::Code(code) => {
            // Still a change after exact recounting?
            if p < 0.15 || bp * 4.0 > p {
                return None;
            }
            let name = store.codes[code].code.clone();
            let sev = if p >= 0.3 {
                Severity::Critical
            } else {
                Severity::Warning
            };
            let asr_before = {
                let (mut a, mut m) = (0u64, 0u64);
                for &i in &ctx.matched {
                    let c = &store.calls[i as usize];
                    if in_group(c)
                        && c.time()
                            .is_some_and(|t| t.saturating_add(ctx.offset_ms) < since)
                    {
                        m += 1;
                        a += u64::from(c.answered());
                    }
                }
                ratio(a, m)
            };
            let lost = (x as f64 - n as f64 * bp) * asr_before;
            (
                "change_code",
                Measure::CodeCount { codes: vec![name] },
                sev,
                lost,
            )
        }
        Kind::Asr => {
            if bp < 0.2 || p * 2.0 > bp {
                return None;
            }
            (
                "change_asr",
                Measure::Answered,
                Severity::Critical,
                n as f64 * (bp - p),
            )
        }
    };
    let code_name = match ch.kind {
        Kind::Code(code) => store.codes[code].code.clone(),
        Kind::Asr => String::new(),
    };
    let mut d = Draft::new(rule, severity, subject.clone(), scope)
        .rows(|f| match ch.kind {
            Kind::Code(_) => f.code = vec![code_name.clone()],
            Kind::Asr => f.answered = Some(false),
        })
        .param("subject", &subject)
        .param("code", &code_name)
        .param("time", clock(since))
        .param_words("until", until);
    // The code rule counts the code's calls (`x`), the ASR rule the answered ones (`a`).
    let (k, bk) = match ch.kind {
        Kind::Code(_) => ("x", "bx"),
        Kind::Asr => ("a", "ba"),
    };
    d = d
        .count("n", Measure::Attempts, n, None)
        .count(k, measure.clone(), x, None)
        .count("bn", Measure::Attempts, bn, Some(&before))
        .count(bk, measure.clone(), bx, Some(&before))
        .share("pct", measure.clone(), x as f64, "n", n as f64, None)
        .share("base", measure, bx as f64, "bn", bn as f64, Some(&before));
    d.since_ms = Some(since);
    d.impact = impact;
    Some(d.finish())
}
