//! Summary: the serializable result shared by the CLI, the page and the tests.

use crate::analysis::filter::Filter;
use crate::analysis::findings::Finding;
use crate::analysis::health::{Health, HealthPreset};
use crate::formats::preview::ColumnPreview;
use crate::reject::RejectReason;
use serde::{Deserialize, Serialize};

/// Everything the dashboard and `cdrscope report --json` show.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Summary {
    /// cdrscope's version.
    pub version: String,
    /// The format id (`vos3000`, `asterisk`, …); `mixed` when files differ.
    pub format: String,
    /// The format's human name.
    pub format_name: String,
    /// Why the format was chosen.
    pub format_reason: String,
    /// Detection confidence, 0..1.
    pub format_confidence: f32,
    /// The text encoding (`utf-8`, `gb18030`, …).
    pub encoding: String,
    /// The delimiter name (`comma`, `tab`, …).
    pub delimiter: String,
    /// `utc` for epoch instants, `naive_local` for wall-clock datetimes.
    pub time_basis: String,
    /// The UTC offset in minutes applied to UTC times for hours and ranges.
    pub tz_offset_min: i32,
    /// The health thresholds the verdicts were judged against.
    #[serde(default)]
    pub health_preset: HealthPreset,
    /// The files read, with their own counts.
    pub files: Vec<FileInfo>,
    /// Row counts over all files.
    pub rows: RowTotals,
    /// First and last call time (local, per `time_basis`/`tz_offset_min`), as text.
    pub time_range: Option<TimeRange>,
    /// The filter the figures below follow.
    pub filter: Filter,
    /// KPIs of every call passing the filter.
    pub overall: Kpis,
    /// Per egress gateway (vendor), most attempts first.
    pub by_egress_gateway: Vec<GroupKpis>,
    /// Per ingress gateway (customer side), most attempts first.
    pub by_ingress_gateway: Vec<GroupKpis>,
    /// Per destination prefix, most attempts first.
    pub by_destination: Vec<GroupKpis>,
    /// Per egress gateway and destination prefix (`gateway|prefix`), most attempts first.
    pub by_gateway_destination: Vec<GroupKpis>,
    /// Per hour of day (local), 0..23, only hours with calls.
    pub by_hour: Vec<GroupKpis>,
    /// Attempts and answers over time, with a bucket size fitted to the range.
    pub timeline: Timeline,
    /// Counts per final code, most frequent first.
    pub by_code: Vec<CodeCount>,
    /// Counts per end direction.
    pub by_end_direction: Vec<NamedCount>,
    /// Counts per outcome.
    pub by_outcome: Vec<NamedCount>,
    /// PDD histogram (ms buckets).
    pub pdd_histogram: Vec<Bucket>,
    /// Talk-time histogram of answered calls (s buckets).
    pub duration_histogram: Vec<Bucket>,
    /// What looks wrong, most impact first (the page reads them from the plain JS object).
    #[serde(skip_deserializing)]
    pub findings: Vec<Finding>,
    /// Concurrent calls and attempts per second (see `analysis::concurrency`); computed with
    /// the groups or the findings (not for the progress summaries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load: Option<crate::analysis::concurrency::Load>,
    /// The first rejected rows (see `rejects_total`).
    pub rejects: Vec<RejectInfo>,
    /// How many rows were rejected in all.
    pub rejects_total: u64,
    /// The first notes on accepted rows with a doubtful value (see `notes_total`).
    pub notes: Vec<RejectInfo>,
    /// How many notes there were in all.
    pub notes_total: u64,
    /// The first file's first rows and what its format read from which column, for mapping
    /// the columns by hand.
    #[serde(default)]
    pub columns: Option<ColumnPreview>,
}

/// One input file.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct FileInfo {
    /// The file name.
    pub name: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Its format id.
    pub format: String,
    /// Its encoding.
    pub encoding: String,
    /// Data rows accepted.
    pub accepted: u64,
    /// Data rows rejected.
    pub rejected: u64,
    /// Rows counted once because another file had the same call.
    pub duplicates: u64,
    /// The container the rows came in: `text`, `gzip`, `zip`, `xlsx`, `xls`, `json`, or a
    /// chain such as `zip+gzip`; empty when the file was pushed directly.
    pub container: String,
    /// A file-level error (the file was skipped), if any.
    pub error: Option<String>,
}

/// Row totals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowTotals {
    /// Header rows.
    pub header: u64,
    /// Data rows (accepted + rejected).
    pub data: u64,
    /// Rows accepted.
    pub accepted: u64,
    /// Rows rejected.
    pub rejected: u64,
    /// Accepted rows not counted because an earlier file had the same call.
    pub duplicates: u64,
    /// Accepted calls passing the filter.
    pub in_filter: u64,
}

impl RowTotals {
    /// These counts plus `other`'s (a part read elsewhere, while it is read).
    pub fn plus(self, other: &RowTotals) -> RowTotals {
        RowTotals {
            header: self.header + other.header,
            data: self.data + other.data,
            accepted: self.accepted + other.accepted,
            rejected: self.rejected + other.rejected,
            duplicates: self.duplicates + other.duplicates,
            in_filter: self.in_filter + other.in_filter,
        }
    }
}

/// A time range as text and ms.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct TimeRange {
    /// First call time, ms (local).
    pub first_ms: i64,
    /// Last call time, ms (local).
    pub last_ms: i64,
    /// First call time as `YYYY-MM-DD HH:MM:SS`.
    pub first: String,
    /// Last call time as `YYYY-MM-DD HH:MM:SS`.
    pub last: String,
}

/// The key performance indicators of a set of calls.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Kpis {
    /// Call attempts (rows).
    pub attempts: u64,
    /// Answered calls.
    pub answered: u64,
    /// Answer-seizure ratio, answered / attempts, 0..1.
    pub asr: Option<f64>,
    /// Average call duration of answered calls, seconds.
    pub acd_s: Option<f64>,
    /// Total talk time, seconds.
    pub total_hold_s: u64,
    /// Total talk time, minutes.
    pub minutes: f64,
    /// Calls with a PDD.
    pub pdd_rows: u64,
    /// Mean PDD, ms.
    pub pdd_avg_ms: Option<f64>,
    /// Median PDD, ms.
    pub pdd_p50_ms: Option<f64>,
    /// 95th percentile PDD (nearest rank), ms.
    pub pdd_p95_ms: Option<f64>,
    /// Network-effective attempts (answered + 480/486/600/603).
    pub ner_effective: Option<u64>,
    /// Network effectiveness ratio, 0..1 (needs SIP final codes).
    pub ner: Option<f64>,
    /// NER also counting 487 as effective.
    pub ner_incl_487: Option<f64>,
    /// Answered calls shorter than the short-call threshold.
    pub short_calls: u64,
    /// Short-duration ratio: short calls / answered, 0..1.
    pub sdr: Option<f64>,
    /// Answered calls with zero talk time (only when the format answers on other evidence).
    pub zero_duration_answered: u64,
    /// Attempts after the first in the failover chains these calls begin (see
    /// `analysis::chains`; chains count at most 63 attempts).
    #[serde(default)]
    pub failover_retries: u64,
    /// Fee charged (decimal text), when the file has money.
    pub fee: Option<String>,
    /// Cost paid (decimal text), when the file has money.
    pub cost: Option<String>,
    /// Fee − cost (decimal text), when the file has money.
    pub margin: Option<String>,
    /// Attempts per outcome, in `outcome::Outcome::ALL` order (what `compare` weighs). Written,
    /// never read back: the page, the only reader of summaries, compares in its worker, and
    /// reading twelve more numbers per group costs its single-file build several KB.
    #[serde(default, skip_deserializing)]
    pub outcomes: [u64; 12],
    /// Shares of equivalent SIP classes behind the health verdict.
    pub shares: Shares,
    /// The health verdict from the shares.
    pub health: Health,
}

/// Outcome shares per attempt (0..1) that drive the health verdict: answered calls are in no
/// error share, and caller cancels in no 4xx share.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Shares {
    /// 200 OK (answered) share.
    pub ok_200: f64,
    /// Share of unanswered attempts with a 4xx final or equivalent, caller cancels excluded.
    pub sip_4xx: f64,
    /// Share of unanswered attempts with a 5xx final or equivalent.
    pub sip_5xx: f64,
    /// Share of unanswered attempts with a 6xx final or equivalent.
    pub sip_6xx: f64,
    /// Busy share (outcome `busy`: 486, 600, Q.850 17, BUSY).
    pub busy_486: f64,
    /// Share of attempts the caller cancelled (outcome `cancelled`).
    pub cancelled_487: f64,
}

/// KPIs of one group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupKpis {
    /// The group name (`(none)` for calls without one).
    pub name: String,
    /// For a destination: its name in English (the country or the user prefix's name, or
    /// `internal`, `national`, `unknown`); empty for other groups.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// The same name in Spanish.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label_es: String,
    /// Its KPIs.
    #[serde(flatten)]
    pub kpis: Kpis,
    /// The most frequent failure code in the group, if any failed.
    pub top_failure: Option<CodeCount>,
    /// Counts per code in the group, most frequent first.
    pub codes: Vec<CodeCount>,
}

/// How many calls ended with one final code.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CodeCount {
    /// The code as printed (`503`, `-9`, `NO ANSWER`).
    pub code: String,
    /// The code system (`vos3000`, `sip`, …).
    pub system: Option<String>,
    /// Calls.
    pub count: u64,
    /// Share of the group's attempts, 0..1.
    pub share: f64,
    /// The SIP class it is equivalent to (`2xx` … `6xx`), or `other`; answered calls' codes
    /// are `2xx` whatever the code.
    pub class: String,
    /// Whether the calls that ended with this code were answered (the code says how they
    /// ended) or not (the code says why they failed).
    #[serde(default)]
    pub answered: bool,
    /// The short label (reason phrase or cause name).
    pub label: String,
}

/// A name and a count.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NamedCount {
    /// The name.
    pub name: String,
    /// The count.
    pub count: u64,
}

/// One histogram or timeline bucket.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    /// Lower bound (inclusive).
    pub from: f64,
    /// Upper bound (exclusive).
    pub to: f64,
    /// Calls in the bucket.
    pub count: u64,
}

/// Attempts and ASR over time.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// Bucket width in minutes.
    pub bucket_min: u32,
    /// Buckets in time order (empty ones included).
    pub points: Vec<TimePoint>,
}

/// One timeline bucket.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TimePoint {
    /// Bucket start, ms (local).
    pub start_ms: i64,
    /// Bucket start as text.
    pub label: String,
    /// Attempts.
    pub attempts: u64,
    /// Answered.
    pub answered: u64,
    /// ASR, 0..1.
    pub asr: Option<f64>,
}

/// A rejected row for display.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RejectInfo {
    /// The file it is in.
    pub file: String,
    /// 1-based line.
    pub line: u64,
    /// Byte offset.
    pub offset: u64,
    /// Length in bytes.
    pub len: u32,
    /// The reason, as a sentence.
    pub reason: String,
    /// The reason, structured.
    pub detail: RejectReason,
}

/// One kind of reject reason, how many of the listed rejects have it and the first of them.
#[derive(Clone, Debug, PartialEq)]
pub struct ReasonCount {
    /// The reason without the value it quotes ("starttime is not a time").
    pub kind: String,
    /// How many of the listed rejects have this kind.
    pub count: u64,
    /// The first such reject's file.
    pub file: String,
    /// The first such reject's line.
    pub line: u64,
    /// The first such reject's whole reason, with its value.
    pub reason: String,
}

/// The most frequent reject reasons among `rejects`, most frequent first (ties in order of first
/// appearance), at most `n`: what the CLI's exit-2 message and the page's error card both say
/// when every row was rejected, so a thousand lines of one bad date read as one cause.
pub fn top_reject_reasons(rejects: &[RejectInfo], n: usize) -> Vec<ReasonCount> {
    let mut reasons: Vec<ReasonCount> = Vec::new();
    for r in rejects {
        // The value a reason quotes differs per row; the kind is what comes before it.
        let kind = r.reason.split(": \"").next().unwrap_or(&r.reason);
        match reasons.iter_mut().find(|k| k.kind == kind) {
            Some(k) => k.count += 1,
            None => reasons.push(ReasonCount {
                kind: kind.to_string(),
                count: 1,
                file: r.file.clone(),
                line: r.line,
                reason: r.reason.clone(),
            }),
        }
    }
    // A stable sort keeps first appearance among equal counts.
    reasons.sort_by_key(|r| std::cmp::Reverse(r.count));
    reasons.truncate(n);
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reject(line: u64, reason: &str) -> RejectInfo {
        RejectInfo {
            file: "a.csv".into(),
            line,
            offset: 0,
            len: 0,
            reason: reason.into(),
            detail: RejectReason::UnclosedQuote,
        }
    }

    #[test]
    fn reasons_are_grouped_by_kind_counted_and_keep_their_first_line() {
        let rejects = [
            reject(2, "expected 13 fields, found 6"),
            reject(3, "starttime is not a time: \"xx\""),
            reject(4, "starttime is not a time: \"yy\""),
            reject(5, "holdtime is not a number: \"-\""),
            reject(6, "starttime is not a time: \"zz\""),
            reject(7, "holdtime is not a number: \"?\""),
        ];
        let got: Vec<(String, u64, u64, String)> = top_reject_reasons(&rejects, 2)
            .into_iter()
            .map(|r| (r.kind, r.count, r.line, r.reason))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "starttime is not a time".to_string(),
                    3,
                    3,
                    "starttime is not a time: \"xx\"".to_string()
                ),
                (
                    "holdtime is not a number".to_string(),
                    2,
                    5,
                    "holdtime is not a number: \"-\"".to_string()
                ),
            ]
        );
        assert!(top_reject_reasons(&[], 3).is_empty());
    }
}
