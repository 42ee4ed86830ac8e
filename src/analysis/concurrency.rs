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
    /// Concurrent calls over the summary's timeline, for the page's chart.
    #[serde(default)]
    pub series: LoadSeries,
}

/// Concurrent calls per bucket of the summary's timeline (the same buckets), and the refusals
/// of the capacity findings per bucket.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadSeries {
    /// The highest number of calls active in any second of each bucket; the first bucket also
    /// holds the seconds before it (calls begun before the first call time).
    pub peak: Vec<u32>,
    /// The refused attempts of each capacity finding.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refusals: Vec<Refusals>,
}

/// The refused attempts of one capacity finding, counted per timeline bucket of their start.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Refusals {
    /// The egress gateway.
    pub gateway: String,
    /// Its refusal codes (`503`, `503/486`).
    pub codes: String,
    /// Refused attempts per bucket.
    pub per_bucket: Vec<u32>,
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
        series: LoadSeries::default(),
    }
}

/// The bucket of a local time (ms) on a timeline of `n` buckets `width_ms` wide from
/// `start_ms`; times before the first bucket fall in it, times after the last in the last.
fn bucket_of(t_ms: i64, start_ms: i64, width_ms: i64, n: usize) -> usize {
    let i = (t_ms - start_ms).div_euclid(width_ms.max(1));
    i.clamp(0, n as i64 - 1) as usize
}

/// The highest concurrency of `spans` (seconds, local) in each of `n` buckets `width_ms` wide
/// from `start_ms` (local ms). A level held from second `a` to `b` counts in every bucket
/// that holds one of its seconds; levels before the first bucket count in it.
pub fn bucket_peaks(spans: &[(i64, i64)], start_ms: i64, width_ms: i64, n: usize) -> Vec<u32> {
    let mut out = vec![0u32; n];
    if n == 0 {
        return out;
    }
    let st = steps(spans);
    for w in st.windows(2) {
        let ((a, l), b) = (w[0], w[1].0);
        if l == 0 {
            continue;
        }
        let i0 = bucket_of(a * 1000, start_ms, width_ms, n);
        let i1 = bucket_of((b - 1) * 1000, start_ms, width_ms, n);
        for p in &mut out[i0..=i1] {
            *p = (*p).max(l);
        }
    }
    out
}

/// The concurrency chart's data: the calls passing `filter` per bucket of `timeline`, and the
/// refusals of each capacity finding (`findings`, computed under the same filter).
pub fn series(
    store: &CallStore,
    filter: &Filter,
    offset_ms: i64,
    timeline: &crate::summary::Timeline,
    findings: &[crate::analysis::findings::Finding],
) -> LoadSeries {
    let n = timeline.points.len();
    let Some(first) = timeline.points.first() else {
        return LoadSeries::default();
    };
    let (start_ms, width_ms) = (first.start_ms, i64::from(timeline.bucket_min) * 60_000);
    // Local seconds: the offset is whole minutes.
    let local = |(a, b): (i64, i64)| (a + offset_ms / 1000, b + offset_ms / 1000);
    let cf = CompiledFilter::new(filter, store, offset_ms);
    let spans: Vec<(i64, i64)> = store
        .calls
        .iter()
        .filter(|c| cf.matches(c))
        .filter_map(|c| span(c).map(local))
        .collect();
    let mut refusals = Vec::new();
    for f in findings.iter().filter(|f| f.rule == "capacity_limit") {
        let param = |k: &str| {
            f.params
                .iter()
                .find(|p| p.0 == k)
                .map(|p| p.1.clone())
                .unwrap_or_default()
        };
        let rf = CompiledFilter::new(&f.rows, store, offset_ms);
        let mut per_bucket = vec![0u32; n];
        for c in store.calls.iter().filter(|c| rf.matches(c)) {
            if let Some((a, _)) = span(c).map(local) {
                per_bucket[bucket_of(a * 1000, start_ms, width_ms, n)] += 1;
            }
        }
        refusals.push(Refusals {
            gateway: param("gw"),
            codes: param("codes"),
            per_bucket,
        });
    }
    LoadSeries {
        peak: bucket_peaks(&spans, start_ms, width_ms, n),
        refusals,
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

    #[test]
    fn bucket_peaks_at_edges() {
        // Buckets of 60 s from 600 s (ms 600_000): [600, 660), [660, 720), [720, 780).
        let spans = [
            // Began 100 s before the first bucket (a call started before the first row).
            (500, 610),
            // Exactly the first bucket: its last second is 659.
            (600, 660),
            // Ends at 660: not active in second 660, so not in the second bucket.
            (650, 660),
            // The second bucket's last second to the third's first.
            (719, 721),
            (719, 721),
            (719, 721),
        ];
        let p = bucket_peaks(&spans, 600_000, 60_000, 3);
        // Second 650..659: (600,660) and (650,660) → 2; 600..609 also 2 (500..610 and 600..660).
        assert_eq!(p, vec![2, 3, 3]);
        // Before the first bucket only: folded into it.
        assert_eq!(
            bucket_peaks(&[(0, 10), (5, 8)], 600_000, 60_000, 2),
            vec![2, 0]
        );
        // After the last: in the last.
        assert_eq!(bucket_peaks(&[(900, 905)], 600_000, 60_000, 2), vec![0, 1]);
        assert_eq!(bucket_peaks(&[], 0, 60_000, 2), vec![0, 0]);
        assert!(bucket_peaks(&[(0, 1)], 0, 60_000, 0).is_empty());
        // The series' highest value is the per-second peak.
        let s = stats(spans.to_vec(), 0);
        assert_eq!(s.peak_concurrent, 3);
    }
}
