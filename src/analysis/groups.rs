//! Grouping stored calls by gateway, customer, destination, hour and time bucket, and building
//! the [`Summary`] figures from the groups.

use crate::analysis::filter::{CompiledFilter, Filter, NONE_NAME};
use crate::analysis::health::HealthPreset;
use crate::analysis::kpi::{CallFacts, GroupAcc};
use crate::analysis::store::CallStore;
use crate::calendar::format_ms;
use crate::codes;
use crate::numbers::Lang;
use crate::outcome::Outcome;
use crate::summary::{
    Bucket, CodeCount, GroupKpis, Kpis, NamedCount, TimePoint, TimeRange, Timeline,
};
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

/// Knobs of the analysis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SummaryOptions {
    /// Minutes east of UTC used to show UTC times as local (ignored for naive local times).
    pub tz_offset_min: i32,
    /// Answered calls shorter than this many seconds are short calls (SDR).
    pub short_call_s: u32,
    /// How many codes each group lists.
    pub codes_per_group: usize,
    /// How many rejects the summary lists.
    pub reject_cap: usize,
    /// Whether to run the findings engine (off for the progress summaries shown while a
    /// large file is still being read).
    pub findings: bool,
    /// Whether to compute the groups, timeline and histograms (off for the progress summaries:
    /// the page shows only the overall KPIs while a file is read).
    pub groups: bool,
    /// The health thresholds (`--health FILE.json`, the page's settings).
    pub health: HealthPreset,
}

impl Default for SummaryOptions {
    fn default() -> Self {
        SummaryOptions {
            tz_offset_min: 0,
            short_call_s: 6,
            codes_per_group: 8,
            reject_cap: 1000,
            findings: true,
            groups: true,
            health: HealthPreset::default(),
        }
    }
}

/// The grouped figures of a store under a filter.
pub struct Grouped {
    /// KPIs of all matching calls.
    pub overall: Kpis,
    /// Counts per code over all matching calls.
    pub by_code: Vec<CodeCount>,
    /// Per egress gateway.
    pub by_egress: Vec<GroupKpis>,
    /// Per ingress gateway.
    pub by_ingress: Vec<GroupKpis>,
    /// Per destination.
    pub by_destination: Vec<GroupKpis>,
    /// Per gateway × destination.
    pub by_gateway_destination: Vec<GroupKpis>,
    /// Per hour of day.
    pub by_hour: Vec<GroupKpis>,
    /// Per end direction.
    pub by_end_direction: Vec<NamedCount>,
    /// Per outcome.
    pub by_outcome: Vec<NamedCount>,
    /// Attempts over time.
    pub timeline: Timeline,
    /// First and last time.
    pub time_range: Option<TimeRange>,
    /// PDD histogram.
    pub pdd_histogram: Vec<Bucket>,
    /// Talk-time histogram.
    pub duration_histogram: Vec<Bucket>,
    /// Matching calls.
    pub matching: u64,
    /// The running totals behind the gateway and destination groups (when groups were
    /// computed), for the findings.
    pub accs: Option<GroupAccs>,
}

/// Running totals of the matching calls per egress gateway and destination.
pub struct GroupAccs {
    /// Per egress name id (index = id; unused ids have no attempts).
    pub egress: Vec<GroupAcc>,
    /// Per destination prefix id.
    pub destination: Vec<GroupAcc>,
    /// Short calls per (egress id, prefix id), pairs with none left out.
    pub short_by_pair: Vec<((u16, u16), u64)>,
}

/// The largest gateway × prefix id space counted in a dense slot table (4 MB of slots).
const DENSE_PAIRS: usize = 1 << 20;
const PDD_STEP_MS: u32 = 1000;
const PDD_BUCKETS: usize = 16;
const DURATION_EDGES: [u32; 10] = [0, 6, 10, 30, 60, 120, 300, 600, 1800, 3600];

/// The overall totals of a store's first calls, kept between the progress summaries shown
/// while a file is read (no filter, no groups), so each one adds only the calls stored since
/// the last instead of walking every stored call again.
#[derive(Clone, Debug, Default)]
pub struct RunningTotals {
    /// Calls covered: the store's first `calls`.
    calls: usize,
    overall: GroupAcc,
    first: i64,
    last: i64,
    /// The options the totals depend on.
    short_call_s: u32,
    offset_ms: i64,
}

/// Groups the calls of `store` that pass `filter`; `offset_ms` turns stored times into local.
pub fn group(store: &CallStore, filter: &Filter, opts: &SummaryOptions, offset_ms: i64) -> Grouped {
    group_running(store, filter, opts, offset_ms, None)
}

/// [`group`], continuing from `running` when the summary is one of overall totals only (no
/// filter, no groups) and `running` covers a start of the store with the same options, and
/// leaving the totals of every call in it for the next time. The caller drops `running` when
/// a stored call changes (failover chains and fees are marked when a file is finished).
pub fn group_running(
    store: &CallStore,
    filter: &Filter,
    opts: &SummaryOptions,
    offset_ms: i64,
    running: Option<&mut Option<RunningTotals>>,
) -> Grouped {
    let cf = CompiledFilter::new(filter, store, offset_ms);
    let short = opts.short_call_s;
    let mut overall = GroupAcc::default();
    let (mut first, mut last) = (i64::MAX, i64::MIN);
    let mut start = 0;
    let running = running.filter(|_| !opts.groups && *filter == Filter::default());
    if let Some(Some(r)) = running.as_deref() {
        if r.calls <= store.calls.len() && r.short_call_s == short && r.offset_ms == offset_ms {
            overall = r.overall.clone();
            (first, last) = (r.first, r.last);
            start = r.calls;
        }
    }
    // Ids are dense, so groups live in vectors indexed by id.
    let mut egress: Vec<GroupAcc> = vec![GroupAcc::default(); store.names.len()];
    let mut ingress: Vec<GroupAcc> = vec![GroupAcc::default(); store.names.len()];
    let mut dest: Vec<GroupAcc> = vec![GroupAcc::default(); store.prefixes.len()];
    // Gateway × destination pairs: a dense table of slots when the id space is small (always,
    // but for hostile files), so the pass does no hashing; a map otherwise.
    let n_prefixes = store.prefixes.len();
    let dense_pairs = store.names.len().saturating_mul(n_prefixes) <= DENSE_PAIRS;
    let mut pair_slot: Vec<u32> = if dense_pairs {
        vec![u32::MAX; store.names.len() * n_prefixes]
    } else {
        Vec::new()
    };
    let mut pair_accs: Vec<((u16, u16), GroupAcc)> = Vec::new();
    let mut gw_dest: HashMap<(u16, u16), GroupAcc> = HashMap::default();
    let mut hours: Vec<GroupAcc> = vec![GroupAcc::default(); 24];
    let mut directions = [0u64; 4];
    let mut outcomes = [0u64; Outcome::ALL.len()];
    let mut pdd_hist = vec![0u64; PDD_BUCKETS];
    let mut dur_hist = vec![0u64; DURATION_EDGES.len()];
    let mut minutes = MinuteCounts::default();
    for (i, c) in store.calls.iter().enumerate().skip(start) {
        if !cf.matches(c) {
            continue;
        }
        let facts = CallFacts::of(store, i, c, short);
        if let Some(t) = c.time() {
            let local = t + offset_ms;
            first = first.min(local);
            last = last.max(local);
        }
        if !opts.groups {
            overall.add_facts(&facts);
            continue;
        }
        ingress[c.ingress as usize].add_facts(&facts);
        if dense_pairs {
            // Egress gateway, destination and overall are sums of these pairs (merged below):
            // one group per call here instead of four.
            let slot = &mut pair_slot[usize::from(c.egress) * n_prefixes + usize::from(c.prefix)];
            if *slot == u32::MAX {
                *slot = pair_accs.len() as u32;
                pair_accs.push(((c.egress, c.prefix), GroupAcc::default()));
            }
            pair_accs[*slot as usize].1.add_facts(&facts);
        } else {
            overall.add_facts(&facts);
            egress[c.egress as usize].add_facts(&facts);
            dest[c.prefix as usize].add_facts(&facts);
            gw_dest
                .entry((c.egress, c.prefix))
                .or_default()
                .add_facts(&facts);
        }
        if let Some(t) = c.time() {
            let local = t + offset_ms;
            hours[(local.rem_euclid(86_400_000) / 3_600_000) as usize].add_facts(&facts);
            minutes.add(local, c.answered());
        }
        directions[c.direction() as usize] += 1;
        if let Some(n) = outcomes.get_mut(c.outcome_index()) {
            *n += 1;
        }
        if c.pdd_ms > 0 {
            pdd_hist[((u32::from(c.pdd_ms) / PDD_STEP_MS) as usize).min(PDD_BUCKETS - 1)] += 1;
        }
        if c.answered() {
            let b = DURATION_EDGES
                .iter()
                .rposition(|&e| c.hold_s >= e)
                .unwrap_or(0);
            dur_hist[b] += 1;
        }
    }
    if let Some(r) = running {
        *r = Some(RunningTotals {
            calls: store.calls.len(),
            overall: overall.clone(),
            first,
            last,
            short_call_s: short,
            offset_ms,
        });
    }
    for ((g, p), acc) in &pair_accs {
        egress[usize::from(*g)].merge(acc);
        dest[usize::from(*p)].merge(acc);
        overall.merge(acc);
    }
    // Kept for the findings, which tally the same groups.
    let short_by_pair: Vec<((u16, u16), u64)> = pair_accs
        .iter()
        .map(|(k, a)| (*k, a.short))
        .chain(gw_dest.iter().map(|(k, a)| (*k, a.short)))
        .filter(|(_, n)| *n > 0)
        .collect();
    let finish = |name: String, acc: &mut GroupAcc| -> GroupKpis {
        let kpis = acc.finish(store.has_sip, store.money_decimals, &opts.health);
        let codes = code_counts(store, acc, acc.attempts, opts.codes_per_group);
        // Failures are unanswered attempts only: the code of an answered call says how it
        // ended, never why it failed.
        let top_failure = code_counts(store, acc, acc.attempts, usize::MAX)
            .into_iter()
            .find(|c| !c.answered);
        GroupKpis {
            name,
            kpis,
            top_failure,
            codes,
            ..GroupKpis::default()
        }
    };
    let name_of = |id: u32| -> String {
        let n = store.names.name(id);
        if n.is_empty() {
            NONE_NAME.to_string()
        } else {
            n.to_string()
        }
    };
    let sorted = |mut v: Vec<GroupKpis>| {
        v.sort_by(|a, b| {
            b.kpis
                .attempts
                .cmp(&a.kpis.attempts)
                .then_with(|| a.name.cmp(&b.name))
        });
        v
    };
    fn used(v: &mut [GroupAcc]) -> impl Iterator<Item = (u32, &mut GroupAcc)> {
        v.iter_mut()
            .enumerate()
            .filter(|(_, a)| a.attempts > 0)
            .map(|(id, a)| (id as u32, a))
    }
    let by_egress = sorted(
        used(&mut egress)
            .map(|(id, a)| finish(name_of(id), a))
            .collect(),
    );
    let by_ingress = sorted(
        used(&mut ingress)
            .map(|(id, a)| finish(name_of(id), a))
            .collect(),
    );
    let prefix_name = |id: u16| {
        let p = store.prefixes.name(u32::from(id));
        if p.is_empty() {
            NONE_NAME.to_string()
        } else {
            p.to_string()
        }
    };
    let by_destination = sorted(
        used(&mut dest)
            .map(|(id, a)| {
                let key = prefix_name(id as u16);
                GroupKpis {
                    label: store.plan.label_of_key(&key, Lang::En).to_string(),
                    label_es: store.plan.label_of_key(&key, Lang::Es).to_string(),
                    ..finish(key, a)
                }
            })
            .collect(),
    );
    let by_gateway_destination = sorted(
        gw_dest
            .into_iter()
            .chain(pair_accs)
            .map(|((g, p), mut a)| {
                finish(
                    format!("{}|{}", name_of(u32::from(g)), prefix_name(p)),
                    &mut a,
                )
            })
            .collect(),
    );
    let by_hour = hours
        .into_iter()
        .enumerate()
        .filter(|(_, a)| a.attempts > 0)
        .map(|(h, mut a)| finish(format!("{h:02}"), &mut a))
        .collect();
    let dir_names = ["(none)", "caller", "callee", "server"];
    let by_end_direction = directions
        .iter()
        .enumerate()
        .filter(|(_, &n)| n > 0)
        .map(|(i, &n)| NamedCount {
            name: dir_names[i].to_string(),
            count: n,
        })
        .collect();
    let by_outcome = outcomes
        .iter()
        .enumerate()
        .filter(|(_, &n)| n > 0)
        .map(|(i, &n)| NamedCount {
            name: Outcome::ALL[i].as_str().to_string(),
            count: n,
        })
        .collect();
    let time_range = (first <= last).then(|| TimeRange {
        first_ms: first,
        last_ms: last,
        first: format_ms(first),
        last: format_ms(last),
    });
    let timeline = if opts.groups {
        timeline(store, &cf, &minutes, offset_ms, first, last)
    } else {
        Default::default()
    };
    let by_code = code_counts(store, &overall, overall.attempts, usize::MAX);
    let matching = overall.attempts;
    Grouped {
        overall: overall.finish(store.has_sip, store.money_decimals, &opts.health),
        by_code,
        by_egress,
        by_ingress,
        by_destination,
        by_gateway_destination,
        by_hour,
        by_end_direction,
        by_outcome,
        timeline,
        time_range,
        pdd_histogram: pdd_hist
            .into_iter()
            .enumerate()
            .map(|(i, n)| Bucket {
                from: f64::from(i as u32 * PDD_STEP_MS),
                to: if i + 1 == PDD_BUCKETS {
                    f64::INFINITY.min(1e12)
                } else {
                    f64::from((i as u32 + 1) * PDD_STEP_MS)
                },
                count: n,
            })
            .collect(),
        duration_histogram: dur_hist
            .into_iter()
            .enumerate()
            .map(|(i, n)| Bucket {
                from: f64::from(DURATION_EDGES[i]),
                to: DURATION_EDGES.get(i + 1).map_or(1e12, |&e| f64::from(e)),
                count: n,
            })
            .collect(),
        matching,
        accs: opts.groups.then_some(GroupAccs {
            egress,
            destination: dest,
            short_by_pair,
        }),
    }
}

/// Counts per code id, most frequent first, labelled.
fn code_counts(store: &CallStore, acc: &GroupAcc, attempts: u64, limit: usize) -> Vec<CodeCount> {
    let mut v: Vec<CodeCount> = acc
        .code_counts()
        .filter_map(|(id, n)| {
            let key = store.code(id)?;
            Some(CodeCount {
                code: if key.code.is_empty() {
                    NONE_NAME.to_string()
                } else {
                    key.code.clone()
                },
                system: key.system.map(|s| s.as_str().to_string()),
                count: n,
                share: if attempts > 0 {
                    n as f64 / attempts as f64
                } else {
                    0.0
                },
                class: key.sip_class().to_string(),
                answered: key.answered,
                label: codes::short_label(key.system, &key.code),
            })
        })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
    v.truncate(limit);
    v
}

/// Bucket widths the timeline may use, in minutes.
const BUCKETS_MIN: [u32; 10] = [1, 5, 15, 30, 60, 180, 360, 720, 1440, 10080];

/// The most minutes [`MinuteCounts`] covers (about two years, 8 MB of counts).
const MINUTES_MAX: usize = 1 << 20;

/// Attempts and answered calls per local minute, gathered in the grouping pass so the timeline
/// (whose bucket width depends on the time range, known only at the end) needs no second pass
/// over the store.
#[derive(Default)]
struct MinuteCounts {
    /// The minute (local ms / 60 000) of `att[0]`.
    base: i64,
    att: Vec<u32>,
    ans: Vec<u32>,
    /// The calls spanned more than [`MINUTES_MAX`] minutes: the timeline reads the store again.
    overflow: bool,
}

impl MinuteCounts {
    /// Counts a call at local time `local_ms`.
    #[inline]
    fn add(&mut self, local_ms: i64, answered: bool) {
        if self.overflow {
            return;
        }
        let m = local_ms.div_euclid(60_000);
        if self.att.is_empty() {
            self.base = m;
        }
        if m < self.base || m - self.base >= self.att.len() as i64 {
            self.grow(m);
            if self.overflow {
                return;
            }
        }
        let i = (m - self.base) as usize;
        self.att[i] += 1;
        self.ans[i] += u32::from(answered);
    }

    /// Makes room for minute `m` (doubling, so time-ordered files grow in few steps).
    #[cold]
    fn grow(&mut self, m: i64) {
        let (lo, hi) = if self.att.is_empty() {
            (m, m)
        } else {
            (
                self.base.min(m),
                (self.base + self.att.len() as i64 - 1).max(m),
            )
        };
        let need = (hi - lo + 1) as u64;
        if need > MINUTES_MAX as u64 {
            self.overflow = true;
            self.att = Vec::new();
            self.ans = Vec::new();
            return;
        }
        let len = (need.max(2 * self.att.len() as u64)).min(MINUTES_MAX as u64) as usize;
        // Grow towards the side that needed it.
        let new_base = if m < self.base {
            hi + 1 - len as i64
        } else {
            lo
        };
        let shift = (self.base - new_base) as usize;
        for v in [&mut self.att, &mut self.ans] {
            let mut n = vec![0u32; len];
            n[shift..shift + v.len()].copy_from_slice(v);
            *v = n;
        }
        self.base = new_base;
    }
}

/// Attempts and answered calls over time, from the per-minute counts of the grouping pass (or
/// the calls of `store` passing `cf` again, when those overflowed).
fn timeline(
    store: &CallStore,
    cf: &CompiledFilter,
    minutes: &MinuteCounts,
    offset_ms: i64,
    first: i64,
    last: i64,
) -> Timeline {
    if first > last {
        return Timeline::default();
    }
    let span_min = ((last - first) / 60_000) as u64 + 1;
    let bucket_min = BUCKETS_MIN
        .iter()
        .copied()
        .find(|&b| span_min / u64::from(b) <= 96)
        // Wider than weeks: still about 96 buckets, so a file spanning centuries (times a
        // format's mapper passed without the reader's plausibility check) stays small.
        .unwrap_or_else(|| u32::try_from(span_min / 96 + 1).unwrap_or(u32::MAX));
    let width = i64::from(bucket_min) * 60_000;
    let start = first.div_euclid(width) * width;
    let n = ((last - start) / width + 1) as usize;
    let mut att = vec![0u64; n];
    let mut ans = vec![0u64; n];
    if minutes.overflow {
        for c in &store.calls {
            if let Some(t) = c.time() {
                if cf.matches(c) {
                    let i = ((t + offset_ms - start) / width) as usize;
                    if i < n {
                        att[i] += 1;
                        ans[i] += u64::from(c.answered());
                    }
                }
            }
        }
    } else {
        // Buckets start at multiples of whole minutes, so each minute falls in one bucket.
        for (k, (&a, &b)) in minutes.att.iter().zip(&minutes.ans).enumerate() {
            if a > 0 {
                let i = (((minutes.base + k as i64) * 60_000 - start) / width) as usize;
                if i < n {
                    att[i] += u64::from(a);
                    ans[i] += u64::from(b);
                }
            }
        }
    }
    Timeline {
        bucket_min,
        points: (0..n)
            .map(|i| {
                let s = start + i as i64 * width;
                TimePoint {
                    start_ms: s,
                    label: format_ms(s),
                    attempts: att[i],
                    answered: ans[i],
                    asr: (att[i] > 0).then(|| ans[i] as f64 / att[i] as f64),
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::store::{Interner, StoredCall};
    use crate::call::{Call, CodeSystem, RawCode};
    use crate::money::Money;

    const GATEWAYS: [&str; 4] = ["gw-a", "gw-b", "", "gw-c"];

    /// 5,000 calls over four gateways and five destinations, with PDDs, codes, fees and
    /// failover chains marked.
    fn sample_store() -> CallStore {
        let gateways = GATEWAYS;
        let callees = [
            "442071234567",
            "8613800001111",
            "12125550100",
            "0207946000",
            "4930123456",
        ];
        let mut store = CallStore::new();
        let mut x: u32 = 5;
        for i in 0..5000i64 {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let answered = x.is_multiple_of(3);
            let code = [200, 486, 503, 404, 487, 480][(x >> 5) as usize % 6];
            store.push(&Call {
                caller: ["100", "200", "300"][(x >> 7) as usize % 3],
                callee: callees[(x >> 9) as usize % callees.len()],
                callee_international: true,
                egress: gateways[(x >> 12) as usize % gateways.len()],
                ingress: gateways[(x >> 14) as usize % gateways.len()],
                end_ms: Some(1_700_000_000_000 + i * 7_000),
                answered,
                hold_s: if answered { (x >> 16) % 400 } else { 0 },
                pdd_ms: (!(x >> 18).is_multiple_of(5)).then_some((x >> 4) % 7000),
                code: RawCode::Num(if answered { 200 } else { code }),
                code_system: Some(CodeSystem::Sip),
                sip_code: Some(if answered { 200 } else { code as u16 }),
                fee: Some(Money(i64::from(x % 90_000))),
                ..Call::default()
            });
        }
        crate::analysis::chains::mark(&mut store);
        store
    }

    /// Progress summaries continued from running totals equal summaries of the whole store,
    /// as the store grows, and totals kept under other options are not reused.
    #[test]
    fn running_totals_give_the_summary_of_every_call() {
        let store = sample_store();
        let opts = SummaryOptions {
            findings: false,
            groups: false,
            ..SummaryOptions::default()
        };
        let none = Filter::default();
        let key = |g: &Grouped| {
            serde_json::to_string(&(&g.overall, &g.by_code, &g.time_range, g.matching)).unwrap()
        };
        let mut running = None;
        for (n, short) in [
            (0, 6),
            (700, 6),
            (1500, 6),
            (1500, 6),
            (4999, 6),
            (5000, 10),
        ] {
            let mut part = store.clone();
            part.calls.truncate(n);
            let opts = SummaryOptions {
                short_call_s: short,
                ..opts.clone()
            };
            let whole = group(&part, &none, &opts, 3_600_000);
            let cont = group_running(&part, &none, &opts, 3_600_000, Some(&mut running));
            assert_eq!(key(&cont), key(&whole), "{n} calls");
            assert_eq!(running.as_ref().map(|r| r.calls), Some(n));
        }
        // A filter or groups: the pass walks every call and leaves the totals alone.
        let filtered = Filter {
            egress: vec!["gw-a".into()],
            ..Filter::default()
        };
        let cont = group_running(&store, &filtered, &opts, 0, Some(&mut running));
        assert_eq!(key(&cont), key(&group(&store, &filtered, &opts, 0)));
        assert_eq!(running.as_ref().map(|r| r.short_call_s), Some(10));
    }

    /// Egress gateways, destinations and the overall figures (summed from gateway ×
    /// destination pairs) equal the figures of their calls added one by one.
    #[test]
    fn groups_summed_from_pairs_equal_groups_of_their_calls() {
        let gateways = GATEWAYS;
        let store = sample_store();
        let opts = SummaryOptions::default();
        let g = group(&store, &Filter::default(), &opts, 0);
        let direct = |keep: &dyn Fn(&StoredCall) -> bool| {
            let mut acc = GroupAcc::default();
            for (i, c) in store.calls.iter().enumerate() {
                if keep(c) {
                    acc.add(&store, i, c, opts.short_call_s);
                }
            }
            let codes = code_counts(&store, &acc, acc.attempts, opts.codes_per_group);
            (
                acc.finish(store.has_sip, store.money_decimals, &opts.health),
                codes,
            )
        };
        assert_eq!(g.matching, 5000);
        assert_eq!(g.overall, direct(&|_| true).0);
        // Each group against its calls, found by the id its name has.
        let check = |groups: &[GroupKpis], names: &Interner, id_of: fn(&StoredCall) -> u16| {
            for group in groups {
                let name = if group.name == NONE_NAME {
                    ""
                } else {
                    &group.name
                };
                let id = names.get(name);
                let (kpis, codes) = direct(&|c| Some(u32::from(id_of(c))) == id);
                let got = (&group.kpis, &group.codes);
                assert_eq!(got, (&kpis, &codes), "{}", group.name);
            }
        };
        assert_eq!(g.by_egress.len(), gateways.len());
        check(&g.by_egress, &store.names, |c| c.egress);
        assert_eq!(g.by_destination.len(), 5);
        check(&g.by_destination, &store.prefixes, |c| c.prefix);
        assert!(g.overall.pdd_rows > 3000 && g.overall.failover_retries > 0);
    }

    /// The findings' tallies taken from the grouping pass equal those of their own pass over
    /// the calls, under a filter that leaves some calls out.
    #[test]
    fn findings_tallies_from_groups_equal_a_pass_over_the_calls() {
        use crate::analysis::findings::{classes, stats::Tallies, Ctx};
        let store = sample_store();
        let opts = SummaryOptions::default();
        let filter = Filter {
            ingress: vec!["gw-a".into(), "gw-c".into()],
            ..Filter::default()
        };
        let mut g = group(&store, &filter, &opts, 0);
        let cf = CompiledFilter::new(&filter, &store, 0);
        let ctx = Ctx {
            store: &store,
            base: &filter,
            opts: &opts,
            offset_ms: 0,
            matched: (0..store.calls.len() as u32)
                .filter(|&i| cf.matches(&store.calls[i as usize]))
                .collect(),
            classes: store.codes.iter().map(classes::classify).collect(),
            zone: String::new(),
        };
        assert!(ctx.matched.len() > 1000 && ctx.matched.len() < 4000);
        let from_groups = Tallies::from_groups(&ctx, g.accs.as_ref().unwrap());
        let built = Tallies::build(&ctx);
        assert_eq!(from_groups.egress, built.egress);
        assert_eq!(from_groups.prefix, built.prefix);
        assert_eq!(from_groups.all, built.all);
        assert_eq!(from_groups.short_by_pair, built.short_by_pair);
        assert!(built.all.short > 0 && built.egress.iter().any(|a| a.pdd.len() > 500));
        // Without groups there is nothing to take them from.
        let opts = SummaryOptions {
            groups: false,
            ..opts
        };
        g = group(&store, &filter, &opts, 0);
        assert!(g.accs.is_none());
    }
}
