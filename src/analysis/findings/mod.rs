//! Findings: what looks wrong, where, since when, and what to do.
//!
//! [`find`] makes one pass over the calls of the summary's filter to build per-gateway and
//! per-destination tallies, then runs the rule families (one file each) on them, and ranks the
//! results by impact. Every number a finding states is a [`Number`] that names the summary
//! figure and the filter that reproduce it (shares and ratios name the number they divide by);
//! the texts are filled from those numbers, so a stated number always has its filter.
//!
//! Rules (ids as in [`Finding::rule`]; "confidently" = the 95 % Wilson lower bound):
//! - `gw_unavailable`: 503-class share of a gateway confidently ≥ 10 % and ≥ 3× the other
//!   gateways' (critical ≥ 20 %). `unrouted`: unanswered calls with no egress gateway (VOS -69,
//!   NoAvailableRouter, AllGatewayBusy, AccountBalanceNotEnough…), warning ≥ 1 %, critical ≥ 5 %.
//! - `gw_timeout_unreachable` / `gw_timeout`: 408/504/timeout share as for 503; "unreachable"
//!   when ≥ 80 % of those timeouts carry no PDD.
//! - `prefix_routing`: 404/484/604/NoAvailableRouter share of a destination confidently ≥ 10 %
//!   and ≥ 3× the other destinations'.
//! - `gw_auth`: 401/403/407 confidently ≥ 3 % and ≥ 3× the others'.
//! - `failover_6xx`: another attempt of the same caller+callee within 30 s after a 6xx;
//!   `failover_chain`: chains of ≥ 3 attempts started by a 486 or a 503 (chains are marked per
//!   call when a file is finished, see `analysis::chains`, and filtered by `chain_min` and
//!   `chain_role`).
//! - `gw_busy`: 486 confidently > 10 % (critical > 20 %); `gw_cancel`: 487 confidently ≥ 15 %
//!   and ≥ 1.5× the others'; `gw_pdd`: PDD p95 ≥ 1.5× the other gateways' and ≥ 2 s more.
//! - `gw_sdr` / `prefix_sdr`: SDR confidently ≥ 10 % and ≥ 2× the others' (critical ≥ 25 % and
//!   ≥ 3×); a destination whose short calls come mostly from a flagged gateway is not repeated.
//!   `gw_zero_answer`: answered calls with 0 s.
//! - `gw_media`: RTP/media timeouts, 488, 606.
//! - `change_code` / `change_asr`: a code's share rising ≥ 4× (to ≥ 15 %), or the ASR halving,
//!   at one moment (z ≥ 5), reported to the minute of its first call.
//! - `billing_zero_fee`, `billing_fee_unanswered`, `billing_drift` (fee vs billed seconds × the
//!   inferred per-minute rate of the customer and destination, at the fee's decimals; marked per
//!   call when a file is finished, see `analysis::fee_check`, and filtered by `fee`).
//! - `capacity_limit`: a gateway's 503/486-class refusals only at or above a concurrency level
//!   (`findings::capacity`); `cps_limit`: 503-class refusals in almost every second with more
//!   than some number of attempts (`findings::cps`); `scanner`: SIP scanners and INVITE floods per ingress;
//!   `toll_fraud`: answered bursts to destinations an ingress never called before.
//!
//! Ranking: a critical attack (scanner, toll fraud) first, then anything above info, then by
//! impact (estimated lost answered calls: the excess failures × the others' ASR; excess short
//! calls; wasted attempts count a fraction).

mod billing;
mod capacity;
mod change;
pub(crate) mod classes;
mod cps;
mod failover;
mod fraud;
mod rules;
mod scanner;
pub(crate) mod stats;
pub mod text;

use crate::analysis::filter::{CompiledFilter, Filter, NONE_NAME};
use crate::analysis::groups::{GroupAccs, SummaryOptions};
use crate::analysis::store::CallStore;
use crate::money::Money;
use crate::summary::{Summary, TimeRange};
use serde::Serialize;

pub use classes::{code_classes, CodeClass};
pub(crate) use text::Shown;
pub use text::{LocalText, LANGS};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing.
    #[default]
    Info,
    /// Needs a look.
    Warning,
    /// Costs calls now.
    Critical,
}

/// A summary figure a finding's number can be checked against.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Measure {
    /// `overall.attempts`.
    Attempts,
    /// `overall.answered`.
    Answered,
    /// `overall.asr`.
    Asr,
    /// `overall.short_calls`.
    ShortCalls,
    /// `overall.sdr`.
    Sdr,
    /// `overall.zero_duration_answered`.
    ZeroDurationAnswered,
    /// `overall.pdd_rows` (calls with a PDD).
    PddRows,
    /// `overall.attempts − overall.pdd_rows` (calls without a PDD).
    WithoutPdd,
    /// `overall.pdd_p95_ms`.
    PddP95Ms,
    /// `overall.fee` as a number.
    Fee,
    /// `overall.failover_retries`.
    FailoverRetries,
    /// The sum of `by_code` counts of these codes.
    CodeCount {
        /// Codes as printed.
        codes: Vec<String>,
    },
}

impl Measure {
    /// Reads the figure from a summary (`None` when the summary has no such figure).
    pub fn read(&self, s: &Summary) -> Option<f64> {
        let o = &s.overall;
        match self {
            Measure::Attempts => Some(o.attempts as f64),
            Measure::Answered => Some(o.answered as f64),
            Measure::Asr => o.asr,
            Measure::ShortCalls => Some(o.short_calls as f64),
            Measure::Sdr => o.sdr,
            Measure::ZeroDurationAnswered => Some(o.zero_duration_answered as f64),
            Measure::PddRows => Some(o.pdd_rows as f64),
            Measure::WithoutPdd => Some(o.attempts.saturating_sub(o.pdd_rows) as f64),
            Measure::PddP95Ms => o.pdd_p95_ms,
            Measure::Fee => o
                .fee
                .as_deref()
                .and_then(Money::parse)
                .map(|(m, _)| m.0 as f64 / 1e6),
            Measure::FailoverRetries => Some(o.failover_retries as f64),
            Measure::CodeCount { codes } => Some(
                s.by_code
                    .iter()
                    .filter(|c| codes.contains(&c.code))
                    .map(|c| c.count as f64)
                    .sum(),
            ),
        }
    }
}

/// One number of a finding's evidence, with the filter that reproduces it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Number {
    /// The placeholder of the finding's texts it fills (`x`, `n`, `pct`…).
    pub key: String,
    /// The number as the texts show it (`243`, `51.6%`, `0.3000`).
    pub text: String,
    /// What the number is (the summary figure).
    pub measure: Measure,
    /// Its value: the figure, or the figure divided by the number keyed `per`.
    pub value: f64,
    /// The filter to apply; `None` means the finding's own filter.
    pub filter: Option<Filter>,
    /// For shares and ratios: the key of the number this one's figure is divided by.
    pub per: Option<String>,
}

impl Number {
    /// The filter this number is read under, given its finding's.
    pub fn filter_or<'a>(&'a self, finding: &'a Filter) -> &'a Filter {
        self.filter.as_ref().unwrap_or(finding)
    }
}

/// One diagnosis with its evidence and the action to take.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Finding {
    /// The rule that fired (stable id, also the key of its texts).
    pub rule: String,
    /// How serious it is.
    pub severity: Severity,
    /// The gateway, destination or `(none)` it is about; empty when about the whole file.
    pub subject: String,
    /// One-line title (English).
    pub title: String,
    /// The numbers behind it, as a sentence (English).
    pub evidence: String,
    /// What to do (English).
    pub action: String,
    /// Title, evidence and action in every language of the text table.
    pub texts: Vec<LocalText>,
    /// The filter that reproduces the evidence on the page (the group's whole view).
    pub filter: Filter,
    /// The filter of the rows at fault (e.g. the gateway's 503s), for drill-down.
    pub rows: Filter,
    /// The evidence's numbers, each checkable against the summary of its filter.
    pub numbers: Vec<Number>,
    /// Every parameter of the texts (numbers, names, codes, rule constants), for checks.
    #[serde(skip)]
    pub params: Vec<(String, String)>,
    /// When the trouble began (local ms), for changes over time.
    pub since_ms: Option<i64>,
    /// Estimated impact (lost answered calls, or bad ones), for ranking.
    pub impact: f64,
}

impl Finding {
    /// The texts in `lang`, falling back to English.
    pub fn text(&self, lang: &str) -> Option<&LocalText> {
        self.texts
            .iter()
            .find(|t| t.lang == lang)
            .or_else(|| self.texts.iter().find(|t| t.lang == "en"))
    }
}

/// The calls under the summary's filter and the names of their groups: what every rule reads.
pub(crate) struct Ctx<'a> {
    pub store: &'a CallStore,
    pub base: &'a Filter,
    pub opts: &'a SummaryOptions,
    pub offset_ms: i64,
    /// Store indices of the calls passing the base filter, in store order.
    pub matched: Vec<u32>,
    /// Class bits per code id.
    pub classes: Vec<u16>,
    /// " UTC+08:00" after a time of day when the file's times are instants shown at a chosen
    /// offset; empty when they are wall-clock times as written (no zone is known).
    pub zone: String,
}

impl Ctx<'_> {
    /// A gateway's display name.
    pub fn name(&self, id: u32) -> String {
        let n = self.store.names.name(id);
        if n.is_empty() {
            NONE_NAME.into()
        } else {
            n.into()
        }
    }

    /// A destination prefix's display name.
    pub fn prefix(&self, id: u16) -> String {
        let n = self.store.prefixes.name(u32::from(id));
        if n.is_empty() {
            NONE_NAME.into()
        } else {
            n.into()
        }
    }

    /// The printed codes of code ids (as the filter and `by_code` name them).
    pub fn code_names(&self, ids: &[usize]) -> Vec<String> {
        ids.iter()
            .filter_map(|&i| self.store.codes.get(i))
            .map(|k| k.code.clone())
            .collect()
    }

    /// Code ids whose class bits intersect `mask`.
    pub fn codes_in(&self, mask: u16) -> Vec<usize> {
        (0..self.classes.len())
            .filter(|&i| self.classes[i] & mask != 0)
            .collect()
    }

    /// The base filter narrowed by `f`.
    pub fn narrowed(&self, f: impl FnOnce(&mut Filter)) -> Filter {
        let mut x = self.base.clone();
        f(&mut x);
        x
    }
}

/// The zone a finding's times are in, as the page's time zone selector labels it
/// (" UTC+08:00"), for times that are instants; nothing for wall-clock times as written, whose
/// zone the file does not say. A time of day without its zone sent operators hunting in the
/// wrong hour.
pub fn zone_suffix(time_basis: &str, tz_offset_min: i32) -> String {
    if time_basis != "utc" {
        return String::new();
    }
    let sign = if tz_offset_min < 0 { '-' } else { '+' };
    let a = tz_offset_min.unsigned_abs();
    format!(" UTC{sign}{:02}:{:02}", a / 60, a % 60)
}

/// Finds what looks wrong in the calls of `filter`, most impact first.
///
/// `time_range` is that of the same calls (the change rules bucket it; `None` skips them), and
/// `groups`, when given, must come from the grouping pass over `store` with the same `filter`,
/// `opts` and `offset_ms`; `time_basis` is the summary's (`"utc"` times get their zone). It takes
/// these figures rather than the whole summary because its result is stored in that summary.
pub fn find(
    store: &CallStore,
    filter: &Filter,
    time_range: Option<&TimeRange>,
    time_basis: &str,
    opts: &SummaryOptions,
    offset_ms: i64,
    groups: Option<&GroupAccs>,
) -> Vec<Finding> {
    let cf = CompiledFilter::new(filter, store, offset_ms);
    let matched: Vec<u32> = store
        .calls
        .iter()
        .enumerate()
        .filter(|(_, c)| cf.matches(c))
        .map(|(i, _)| i as u32)
        .collect();
    if matched.is_empty() {
        return Vec::new();
    }
    let ctx = Ctx {
        store,
        base: filter,
        opts,
        offset_ms,
        matched,
        classes: store.codes.iter().map(classes::classify).collect(),
        zone: zone_suffix(time_basis, opts.tz_offset_min),
    };
    let tallies = match groups {
        Some(g) => stats::Tallies::from_groups(&ctx, g),
        None => stats::Tallies::build(&ctx),
    };
    let mut out = Vec::new();
    rules::run(&ctx, &tallies, &mut out);
    failover::run(&ctx, &tallies, &mut out);
    change::run(&ctx, &tallies, time_range, &mut out);
    billing::run(&ctx, &mut out);
    capacity::run(&ctx, &mut out);
    cps::run(&ctx, &mut out);
    scanner::run(&ctx, &mut out);
    fraud::run(&ctx, &mut out);
    rank(&mut out);
    out
}

/// Ranks findings: a critical attack (scanner, toll fraud) first, then anything above info,
/// then by impact, then by rule and subject so the order is stable.
///
/// An attack goes first whatever its impact in lost calls: toll fraud costs money while it
/// runs, and a scanner's refusals also surface as symptoms (calls refused before any gateway,
/// a failing prefix, a change at the hour it began) that would otherwise rank above their cause.
pub fn rank(v: &mut [Finding]) {
    let attack = |f: &Finding| {
        f.severity == Severity::Critical && matches!(f.rule.as_str(), "scanner" | "toll_fraud")
    };
    v.sort_by(|a, b| {
        attack(b)
            .cmp(&attack(a))
            .then((b.severity > Severity::Info).cmp(&(a.severity > Severity::Info)))
            .then(b.impact.total_cmp(&a.impact))
            .then(b.severity.cmp(&a.severity))
            .then_with(|| a.rule.cmp(&b.rule))
            .then_with(|| a.subject.cmp(&b.subject))
    });
}

/// A finding being built: its rule, parameters for the text table, and its numbers.
pub(crate) struct Draft {
    pub rule: &'static str,
    pub severity: Severity,
    pub subject: String,
    pub params: Vec<(String, Shown)>,
    pub advice: Option<&'static str>,
    pub filter: Filter,
    pub rows: Option<Filter>,
    pub numbers: Vec<Number>,
    pub since_ms: Option<i64>,
    pub impact: f64,
}

impl Draft {
    /// A draft about `subject` with the scope `filter`.
    pub fn new(rule: &'static str, severity: Severity, subject: String, filter: Filter) -> Self {
        Draft {
            rule,
            severity,
            subject,
            params: Vec::new(),
            advice: None,
            filter,
            rows: None,
            numbers: Vec::new(),
            since_ms: None,
            impact: 0.0,
        }
    }

    /// Adds a text parameter (names, codes, rule constants: the same in every language).
    pub fn param(mut self, key: &str, value: impl ToString) -> Self {
        self.params
            .push((key.to_string(), Shown::Text(value.to_string())));
        self
    }

    /// Adds a parameter whose words differ per language (`(lang, text)`, English first).
    pub fn param_words(mut self, key: &str, words: Vec<(&'static str, String)>) -> Self {
        self.params.push((key.to_string(), Shown::Words(words)));
        self
    }

    /// Makes the last number a ratio: its figure divided by the number keyed `per`.
    pub fn per(mut self, per: &str) -> Self {
        if let Some(last) = self.numbers.last_mut() {
            last.per = Some(per.to_string());
        }
        self
    }

    /// Sets the filter of the rows at fault: the finding's filter narrowed by `f`.
    pub fn rows(mut self, f: impl FnOnce(&mut Filter)) -> Self {
        let mut r = self.filter.clone();
        f(&mut r);
        self.rows = Some(r);
        self
    }

    /// Adds a number: `key` fills the texts with `shown` written in each language; `filter`
    /// `None` means the finding's.
    pub fn num(
        mut self,
        key: &str,
        measure: Measure,
        value: f64,
        shown: Shown,
        filter: Option<&Filter>,
    ) -> Self {
        let text = shown.show("en");
        self.params.push((key.to_string(), shown));
        self.numbers.push(Number {
            key: key.to_string(),
            text,
            measure,
            value,
            filter: filter.cloned(),
            per: None,
        });
        self
    }

    /// Adds a count (shown as an integer).
    pub fn count(self, key: &str, measure: Measure, n: u64, filter: Option<&Filter>) -> Self {
        self.num(key, measure, n as f64, Shown::Int(n), filter)
    }

    /// Adds a share: the figure `x` divided by the number keyed `per` (whose value is `n`),
    /// shown as a percentage.
    pub fn share(
        self,
        key: &str,
        measure: Measure,
        x: f64,
        per: &str,
        n: f64,
        filter: Option<&Filter>,
    ) -> Self {
        let value = if n == 0.0 { 0.0 } else { x / n };
        self.num(key, measure, value, Shown::Share(value), filter)
            .per(per)
    }

    /// Renders the texts and returns the finding.
    pub fn finish(self) -> Finding {
        let texts = text::render(
            self.rule,
            |lang| {
                self.params
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.show(lang)))
                    .collect()
            },
            self.advice,
        );
        debug_assert!(self.numbers.iter().all(|n| n
            .per
            .as_ref()
            .is_none_or(|p| self.numbers.iter().any(|m| &m.key == p))));
        let en = texts.first().cloned().unwrap_or_default();
        Finding {
            rule: self.rule.to_string(),
            severity: self.severity,
            subject: self.subject,
            title: en.title,
            evidence: en.evidence,
            action: en.action,
            texts,
            rows: self.rows.unwrap_or_else(|| self.filter.clone()),
            filter: self.filter,
            numbers: self.numbers,
            params: self
                .params
                .iter()
                .map(|(k, v)| (k.clone(), v.show("en")))
                .collect(),
            since_ms: self.since_ms,
            impact: (self.impact.max(0.0) * 10.0).round() / 10.0,
        }
    }
}
