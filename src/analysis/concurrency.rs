//! Concurrent calls and call attempts per second, from the stored calls at summary time.
//!
//! Method: a stored call's time is its end (or its start when the row has none); it occupies a
//! channel from `end − talk time − PDD` (PDD rounded up to the second) until its end, so an
//! unanswered attempt holds a channel while it rings and an answered call while it rings and
//! talks. Concurrency is counted per second over the calls of the summary's filter (a call is
//! active at second `t` when `start ≤ t < end`); CPS counts the attempts starting in each second.
//! Peaks are the highest second; the 95th percentiles are nearest-rank over every second from the
//! first start to the last end (idle seconds count as 0). Calls that began before the file's first
//! row are counted from their own start, since it is computed back from their end; calls still
//! in progress when the export was taken are not in it, so the last minutes of a file read low.
//! Several files are read into one store (duplicates removed), so calls of one file overlap those
//! of the next.

use crate::analysis::filter::{CompiledFilter, Filter, NONE_NAME};
use crate::analysis::store::{CallStore, StoredCall};
use serde::{Deserialize, Serialize};

/// Peak and 95th percentile of concurrency and CPS of one group of calls.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadStats {
    /// The group name (`(none)` for calls without one); empty for all calls.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Calls with a time (the ones counted).
    pub calls: u64,
    /// The highest number of calls active in one second.
    pub peak_concurrent: u32,
    /// When that peak was first reached (local ms).
    pub peak_concurrent_at_ms: Option<i64>,
    /// The nearest-rank 95th percentile of concurrent calls over the seconds of the span.
    pub p95_concurrent: u32,
    /// The highest number of attempts starting in one second.
    pub peak_cps: u32,
    /// When that peak was first reached (local ms).
    pub peak_cps_at_ms: Option<i64>,
    /// The nearest-rank 95th percentile of attempts per second over the seconds of the span.
    pub p95_cps: u32,
}

/// Concurrency and CPS overall and per egress and ingress gateway.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Load {
    /// All calls of the filter.
    pub overall: LoadStats,
    /// Per egress gateway, highest peak concurrency first.
    pub by_egress_gateway: Vec<LoadStats>,
    /// Per ingress gateway, highest peak concurrency first.
    pub by_ingress_gateway: Vec<LoadStats>,
}

/// The seconds a stored call occupies a channel: `(start, end)`, `end > start`; `None` without
/// a time.
pub fn span(c: &StoredCall) -> Option<(i64, i64)> {
    let end = c.time()? / 1000;
    let pdd_s = (i64::from(c.pdd_ms) + 999) / 1000;
    let start = end - i64::from(c.hold_s) - pdd_s;
    Some((start, end.max(start + 1)))
}

/// Concurrency and CPS of the calls passing `filter` (`offset_ms` shifts times to local).
pub fn load(store: &CallStore, filter: &Filter, offset_ms: i64) -> Load {
    let cf = CompiledFilter::new(filter, store, offset_ms);
    let n = store.names.len();
    let mut all = Vec::new();
    let mut egress: Vec<Vec<(i64, i64)>> = vec![Vec::new(); n];
    let mut ingress: Vec<Vec<(i64, i64)>> = vec![Vec::new(); n];
    for c in store.calls.iter().filter(|c| cf.matches(c)) {
        let Some(s) = span(c) else { continue };
        all.push(s);
        if let Some(v) = egress.get_mut(usize::from(c.egress)) {
            v.push(s);
        }
        if let Some(v) = ingress.get_mut(usize::from(c.ingress)) {
            v.push(s);
        }
    }
    let groups = |v: Vec<Vec<(i64, i64)>>| {
        let mut out: Vec<LoadStats> = v
            .into_iter()
            .enumerate()
            .filter(|(_, s)| !s.is_empty())
            .map(|(id, s)| {
                let name = store.names.name(id as u32);
                let mut st = stats(s, offset_ms);
                st.name = if name.is_empty() { NONE_NAME } else { name }.to_string();
                st
            })
            .collect();
        out.sort_by(|a, b| {
            b.peak_concurrent
                .cmp(&a.peak_concurrent)
                .then_with(|| a.name.cmp(&b.name))
        });
        out
    };
    Load {
        overall: stats(all, offset_ms),
        by_egress_gateway: groups(egress),
        by_ingress_gateway: groups(ingress),
    }
}

/// The level of concurrency each second of a span list, as `(second, level after)` steps in
/// time order: ends before starts at the same second.
pub fn steps(spans: &[(i64, i64)]) -> Vec<(i64, u32)> {
    let mut ev: Vec<(i64, i32)> = Vec::with_capacity(spans.len() * 2);
    for &(s, e) in spans {
        ev.push((s, 1));
        ev.push((e, -1));
    }
    ev.sort_unstable();
    let mut out: Vec<(i64, u32)> = Vec::new();
    let mut level: i64 = 0;
    for (t, d) in ev {
        level += i64::from(d);
        let l = level.max(0) as u32;
        match out.last_mut() {
            Some(last) if last.0 == t => last.1 = l,
            _ => out.push((t, l)),
        }
    }
    out
}

/// Peak and p95 of concurrency and CPS of one group's spans.
fn stats(mut spans: Vec<(i64, i64)>, offset_ms: i64) -> LoadStats {
    let mut st = LoadStats {
        calls: spans.len() as u64,
        ..LoadStats::default()
    };
    if spans.is_empty() {
        return st;
    }
    let local = |t: i64| Some(t * 1000 + offset_ms);
    // Concurrency: seconds spent at each level.
    let st_steps = steps(&spans);
    let (first, last) = (st_steps[0].0, st_steps[st_steps.len() - 1].0);
    let mut secs_at: Vec<u64> = Vec::new();
    for w in st_steps.windows(2) {
        let (t, l) = w[0];
        let dur = (w[1].0 - t) as u64;
        if secs_at.len() <= l as usize {
            secs_at.resize(l as usize + 1, 0);
        }
        secs_at[l as usize] += dur;
        if l > st.peak_concurrent {
            st.peak_concurrent = l;
            st.peak_concurrent_at_ms = local(t);
        }
    }
    st.p95_concurrent = p95_of(&secs_at);
    // CPS: attempts per start second, idle seconds counting 0.
    spans.sort_unstable();
    let mut per_count: Vec<u64> = vec![0];
    let mut i = 0;
    while i < spans.len() {
        let t = spans[i].0;
        let mut k = 0usize;
        while i < spans.len() && spans[i].0 == t {
            k += 1;
            i += 1;
        }
        if per_count.len() <= k {
            per_count.resize(k + 1, 0);
        }
        per_count[k] += 1;
        if k as u32 > st.peak_cps {
            st.peak_cps = k as u32;
            st.peak_cps_at_ms = local(t);
        }
    }
    let busy: u64 = per_count.iter().sum::<u64>() - per_count[0];
    per_count[0] = ((last - first).max(1) as u64).saturating_sub(busy);
    st.p95_cps = p95_of(&per_count);
    st
}

/// The nearest-rank 95th percentile of a histogram (`weights[level]` = how many seconds).
fn p95_of(weights: &[u64]) -> u32 {
    let total: u64 = weights.iter().sum();
    if total == 0 {
        return 0;
    }
    let rank = ((total as f64) * 0.95).ceil().max(1.0) as u64;
    let mut seen = 0;
    for (level, &w) in weights.iter().enumerate() {
        seen += w;
        if seen >= rank {
            return level as u32;
        }
    }
    weights.len().saturating_sub(1) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_spans() {
        // 0..10, 5..15, 5..6: level 1 for 5 s, 3 for 1 s, 2 for 4 s, 1 for 5 s.
        let s = stats(vec![(0, 10), (5, 15), (5, 6)], 0);
        assert_eq!(s.peak_concurrent, 3);
        assert_eq!(s.peak_concurrent_at_ms, Some(5000));
        assert_eq!(s.p95_concurrent, 3);
        assert_eq!(s.peak_cps, 2);
        assert_eq!(s.peak_cps_at_ms, Some(5000));
        // 15 s span, 2 seconds with starts: the 15th of [0 ×13, 1, 2] is 2.
        assert_eq!(s.p95_cps, 2);
        // One long call and a second for 1 s: 1 for 99 of 100 seconds.
        let s = stats(vec![(0, 100), (50, 51)], 0);
        assert_eq!((s.peak_concurrent, s.p95_concurrent), (2, 1));
        assert_eq!((s.peak_cps, s.p95_cps), (1, 0));
        assert_eq!(p95_of(&[]), 0);
    }
}
