//! Property tests (issue 8): generated VOS3000 call sets, written out as CSV text, must give a
//! summary whose figures agree with each other and with the generated calls, filters must
//! commute, and any chunking must read exactly what whole reading does.

use cdrscope::ingest::{Reader, Reject, Sink};
use cdrscope::{Call, Dataset, Filter, FormatOptions, SummaryOptions};
use proptest::prelude::*;
use std::collections::BTreeSet;

const HEADER: &str = "callere164,calleee164,callergatewayid,calleegatewayid,starttime,stoptime,\
                      callerpdd,holdtime,enddirection,endreason,flowno";
/// 2025-03-09 16:02:03.749 UTC.
const T0: i64 = 1_741_536_123_749;
const INGRESS: [&str; 3] = ["CUST_A", "CUST_B", "CUST_C"];
/// The empty name is a call that was never routed.
const EGRESS: [&str; 5] = ["GW_HK", "GW_SG", "GW_US", "GW_CN", ""];
const CODES: [&str; 9] = ["-9", "-8", "486", "487", "503", "408", "404", "480", "603"];
const PREFIXES: [&str; 5] = ["44", "86", "1", "880", "7"];

/// One generated call attempt.
#[derive(Clone, Debug)]
struct GenCall {
    ingress: usize,
    egress: usize,
    start_s: i64,
    hold_s: u32,
    pdd_ms: u32,
    code: usize,
    direction: u8,
    prefix: usize,
    number: u32,
}

impl GenCall {
    fn answered(&self) -> bool {
        self.hold_s > 0
    }

    fn row(&self, flowno: usize) -> String {
        let start = T0 + self.start_s * 1000;
        let stop = start + i64::from(self.hold_s) * 1000;
        format!(
            "86138{:08},{}{:09},{},{},{start},{stop},{},{},{},{},{flowno}",
            self.number,
            PREFIXES[self.prefix],
            self.number,
            INGRESS[self.ingress],
            EGRESS[self.egress],
            self.pdd_ms,
            self.hold_s,
            self.direction,
            CODES[self.code],
        )
    }
}

fn gen_call() -> impl Strategy<Value = GenCall> {
    (
        (0..INGRESS.len(), 0..EGRESS.len(), 0i64..172_800),
        (prop_oneof![Just(0u32), 1u32..4000], 0u32..12_000),
        (0..CODES.len(), 0u8..3, 0..PREFIXES.len(), 0u32..1_000_000),
    )
        .prop_map(
            |((ingress, egress, start_s), (hold_s, pdd_ms), (code, direction, prefix, number))| {
                GenCall {
                    ingress,
                    egress,
                    start_s,
                    hold_s,
                    pdd_ms,
                    code,
                    direction,
                    prefix,
                    number,
                }
            },
        )
}

fn csv(calls: &[GenCall]) -> String {
    let mut s = String::from(HEADER);
    s.push('\n');
    for (i, c) in calls.iter().enumerate() {
        s.push_str(&c.row(i + 1));
        s.push('\n');
    }
    s
}

fn dataset(text: &str) -> Dataset {
    let mut d = Dataset::new();
    d.read_bytes("generated.csv", text.as_bytes(), FormatOptions::default())
        .expect("generated VOS3000 text reads");
    d
}

fn all_lines(d: &Dataset, f: &Filter) -> BTreeSet<u64> {
    let page = d.rows(f, &SummaryOptions::default(), 0, usize::MAX);
    assert_eq!(page.total as usize, page.rows.len());
    page.rows.iter().map(|r| r.line).collect()
}

/// A filter on one dimension, chosen by `kind`.
fn filter_of(kind: u8, pick: usize, calls: &[GenCall]) -> Filter {
    let first = calls.get(pick % calls.len().max(1));
    match kind % 5 {
        0 => Filter {
            egress: vec![first.map_or("GW_HK", |c| EGRESS[c.egress])]
                .into_iter()
                .map(|n| if n.is_empty() { "(none)" } else { n }.to_string())
                .collect(),
            ..Filter::default()
        },
        1 => Filter {
            answered: Some(pick.is_multiple_of(2)),
            ..Filter::default()
        },
        2 => Filter {
            code: vec![CODES[pick % CODES.len()].to_string()],
            ..Filter::default()
        },
        3 => Filter {
            from_ms: Some(T0 + (pick as i64 % 172_800) * 1000),
            ..Filter::default()
        },
        _ => Filter {
            hour: vec![(pick % 24) as u8, ((pick / 24) % 24) as u8],
            ..Filter::default()
        },
    }
}

/// Both filters at once (the fields of the two never overlap when their kinds differ).
fn combine(a: &Filter, b: &Filter) -> Filter {
    Filter {
        from_ms: a.from_ms.max(b.from_ms),
        to_ms: a.to_ms.or(b.to_ms),
        egress: [a.egress.clone(), b.egress.clone()].concat(),
        ingress: [a.ingress.clone(), b.ingress.clone()].concat(),
        prefix: [a.prefix.clone(), b.prefix.clone()].concat(),
        code: [a.code.clone(), b.code.clone()].concat(),
        class: [a.class.clone(), b.class.clone()].concat(),
        outcome: [a.outcome.clone(), b.outcome.clone()].concat(),
        answered: a.answered.or(b.answered),
        hour: [a.hour.clone(), b.hour.clone()].concat(),
        direction: [a.direction.clone(), b.direction.clone()].concat(),
        min_duration_s: a.min_duration_s.or(b.min_duration_s),
        max_duration_s: a.max_duration_s.or(b.max_duration_s),
        fee: a.fee.clone().or(b.fee.clone()),
        chain_min: a.chain_min.or(b.chain_min),
        chain_role: a.chain_role.clone().or(b.chain_role.clone()),
    }
}

#[derive(Debug, Default, PartialEq)]
struct Seen {
    calls: Vec<(u64, u64, u32, String, u32)>,
    rejects: Vec<Reject>,
}

impl Sink for Seen {
    fn call(&mut self, c: &Call<'_>) {
        self.calls
            .push((c.line, c.offset, c.len, c.egress.to_string(), c.hold_s));
    }
    fn reject(&mut self, r: Reject) {
        self.rejects.push(r);
    }
}

fn read_in_chunks(bytes: &[u8], sizes: &[usize]) -> (cdrscope::ingest::RowCounts, Seen) {
    read_sniffing(bytes, sizes, 64 * 1024)
}

/// Reads with detection on the first `sniff` bytes, so small texts reach the streaming path.
fn read_sniffing(
    bytes: &[u8],
    sizes: &[usize],
    sniff: usize,
) -> (cdrscope::ingest::RowCounts, Seen) {
    let mut seen = Seen::default();
    let mut r = Reader::with_sniff_bytes(FormatOptions::default(), sniff);
    let mut rest = bytes;
    let mut i = 0;
    while !rest.is_empty() {
        let n = sizes[i % sizes.len()].clamp(1, rest.len());
        i += 1;
        r.push(&rest[..n], &mut seen).unwrap();
        rest = &rest[n..];
    }
    r.finish(&mut seen).unwrap();
    (r.counts(), seen)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn summary_figures_agree_with_each_other_and_the_calls(
        calls in prop::collection::vec(gen_call(), 1..150)
    ) {
        let d = dataset(&csv(&calls));
        let s = d.summary(&Filter::default(), &SummaryOptions::default());
        let n = calls.len() as u64;
        let answered = calls.iter().filter(|c| c.answered()).count() as u64;
        prop_assert_eq!((s.rows.data, s.rows.accepted, s.rows.rejected), (n, n, 0));
        prop_assert_eq!(s.overall.attempts, n);
        prop_assert_eq!(s.overall.answered, answered);
        prop_assert!(s.overall.answered <= s.overall.attempts);
        let asr = s.overall.asr.unwrap();
        prop_assert!((0.0..=1.0).contains(&asr));
        prop_assert_eq!(asr, answered as f64 / n as f64);
        let hold: u64 = calls.iter().map(|c| u64::from(c.hold_s)).sum();
        prop_assert_eq!(s.overall.total_hold_s, hold);
        for groups in [&s.by_egress_gateway, &s.by_ingress_gateway, &s.by_destination,
                       &s.by_gateway_destination, &s.by_hour] {
            prop_assert_eq!(groups.iter().map(|g| g.kpis.attempts).sum::<u64>(), n);
            prop_assert_eq!(groups.iter().map(|g| g.kpis.answered).sum::<u64>(), answered);
            prop_assert_eq!(groups.iter().map(|g| g.kpis.total_hold_s).sum::<u64>(), hold);
            for g in groups.iter() {
                prop_assert!(g.kpis.answered <= g.kpis.attempts);
                let asr = g.kpis.asr.unwrap();
                prop_assert!((0.0..=1.0).contains(&asr));
                prop_assert!(g.codes.iter().map(|c| c.count).sum::<u64>() <= g.kpis.attempts);
            }
        }
        // Per egress gateway, exactly as generated.
        for (i, name) in EGRESS.iter().enumerate() {
            let want = calls.iter().filter(|c| c.egress == i).count() as u64;
            let shown = if name.is_empty() { "(none)" } else { name };
            let got = s.by_egress_gateway.iter().find(|g| g.name == shown).map_or(0, |g| g.kpis.attempts);
            prop_assert_eq!(got, want, "gateway {}", shown);
        }
        prop_assert_eq!(s.by_code.iter().map(|c| c.count).sum::<u64>(), n);
        prop_assert_eq!(s.by_outcome.iter().map(|c| c.count).sum::<u64>(), n);
        prop_assert_eq!(s.by_end_direction.iter().map(|c| c.count).sum::<u64>(), n);
        prop_assert_eq!(s.timeline.points.iter().map(|p| p.attempts).sum::<u64>(), n);
        prop_assert_eq!(s.timeline.points.iter().map(|p| p.answered).sum::<u64>(), answered);
        // Each bucket holds exactly the calls whose (local) end second falls in it, with and
        // without a time-zone offset of a non-whole hour.
        for tz in [0i32, 330] {
            let opts = SummaryOptions { tz_offset_min: tz, ..SummaryOptions::default() };
            let t = if tz == 0 { s.timeline.clone() } else { d.summary(&Filter::default(), &opts).timeline };
            let width = i64::from(t.bucket_min) * 60_000;
            for p in &t.points {
                let inside = |c: &&GenCall| {
                    let end_s = (T0 + (c.start_s + i64::from(c.hold_s)) * 1000).div_euclid(1000);
                    let local = end_s * 1000 + i64::from(tz) * 60_000;
                    (p.start_ms..p.start_ms + width).contains(&local)
                };
                prop_assert_eq!(p.attempts, calls.iter().filter(inside).count() as u64);
                prop_assert_eq!(p.answered, calls.iter().filter(inside).filter(|c| c.answered()).count() as u64);
            }
        }
        prop_assert_eq!(s.pdd_histogram.iter().map(|b| b.count).sum::<u64>(),
                        calls.iter().filter(|c| c.pdd_ms > 0).count() as u64);
        prop_assert_eq!(s.duration_histogram.iter().map(|b| b.count).sum::<u64>(), answered);
        if let Some(ner) = s.overall.ner {
            prop_assert!((0.0..=1.0).contains(&ner));
        }
    }

    #[test]
    fn filters_commute_and_match_the_calls(
        calls in prop::collection::vec(gen_call(), 1..120),
        ka in 0u8..5, kb in 0u8..5, pa in 0usize..10_000, pb in 0usize..10_000,
    ) {
        let d = dataset(&csv(&calls));
        let opts = SummaryOptions::default();
        let a = filter_of(ka, pa, &calls);
        let b = filter_of(if kb == ka { kb + 1 } else { kb }, pb, &calls);
        let (la, lb) = (all_lines(&d, &a), all_lines(&d, &b));
        let ab = all_lines(&d, &combine(&a, &b));
        let ba = all_lines(&d, &combine(&b, &a));
        // A then B, B then A and both at once select the same rows.
        let both: BTreeSet<u64> = la.intersection(&lb).copied().collect();
        prop_assert_eq!(&ab, &both);
        prop_assert_eq!(&ba, &both);
        let sab = d.summary(&combine(&a, &b), &opts);
        let sba = d.summary(&combine(&b, &a), &opts);
        prop_assert_eq!(sab.overall.attempts, both.len() as u64);
        prop_assert_eq!(&sab.overall, &sba.overall);
        prop_assert_eq!(sab.rows.in_filter, both.len() as u64);
        // Filtering is a restriction: never more than either filter alone.
        let sa = d.summary(&a, &opts);
        prop_assert!(sab.overall.attempts <= sa.overall.attempts);
        prop_assert!(sab.overall.answered <= sa.overall.answered);
        prop_assert_eq!(sa.overall.attempts, la.len() as u64);
        // The answered filter agrees with the generated calls.
        if ka == 1 {
            let want = calls.iter().filter(|c| c.answered() == pa.is_multiple_of(2)).count();
            prop_assert_eq!(la.len(), want);
        }
    }

    #[test]
    fn chunked_reading_equals_whole_reading(
        calls in prop::collection::vec(gen_call(), 0..60),
        sizes in prop::collection::vec(1usize..400, 1..8),
        crlf in any::<bool>(),
        quoted in any::<bool>(),
        sniff in 160usize..1200,
    ) {
        let mut text = csv(&calls);
        if quoted {
            // Quote every gateway name, with an embedded delimiter, to exercise the quote path.
            for g in EGRESS.iter().filter(|g| !g.is_empty()) {
                text = text.replace(&format!(",{g},"), &format!(",\"{g},x\",\""));
                text = text.replace(&format!("\"{g},x\",\""), &format!("\"{g},x\","));
            }
        }
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        let bytes = text.as_bytes();
        let whole = read_in_chunks(bytes, &[bytes.len().max(1)]);
        let chunked = read_in_chunks(bytes, &sizes);
        prop_assert_eq!(&whole, &chunked);
        // Detection on a short prefix: the rest streams through in the chunks.
        let streamed = read_sniffing(bytes, &sizes, sniff);
        prop_assert_eq!(&whole, &streamed);
        let c = whole.0;
        prop_assert_eq!(c.accepted + c.rejected, c.data_rows);
        prop_assert_eq!(c.data_rows, calls.len() as u64);
    }

    #[test]
    fn every_row_is_accepted_or_rejected(
        calls in prop::collection::vec(gen_call(), 1..80),
        damage in prop::collection::vec((0usize..80, 0u8..6), 0..20),
        sizes in prop::collection::vec(1usize..300, 1..5),
    ) {
        let mut rows: Vec<String> = calls.iter().enumerate().map(|(i, c)| c.row(i + 1)).collect();
        let mut bad = BTreeSet::new();
        for (at, kind) in damage {
            let i = at % rows.len();
            if !bad.insert(i) {
                continue; // one damage per row: two could cancel out (a field less, one more)
            }
            let r = &mut rows[i];
            *r = match kind {
                0 => r.replacen(',', ";", 1),               // a field too few
                1 => format!("{r},extra"),                  // a field too many
                2 => r.replace("86138", "86138,"),          // split a number
                3 => { let mut f: Vec<&str> = r.split(',').collect(); f[7] = "abc"; f.join(",") }
                4 => { let mut f: Vec<&str> = r.split(',').collect(); f[4] = "not a time"; f.join(",") }
                _ => HEADER.to_string(),                    // a repeated header
            };
        }
        let text = format!("{HEADER}\n{}\n", rows.join("\n"));
        let (c, seen) = read_in_chunks(text.as_bytes(), &sizes);
        prop_assert_eq!(c.data_rows, rows.len() as u64);
        prop_assert_eq!(c.accepted + c.rejected, c.data_rows);
        prop_assert_eq!(c.rejected, bad.len() as u64);
        let rejected_lines: BTreeSet<u64> = seen.rejects.iter().map(|r| r.line).collect();
        let want: BTreeSet<u64> = bad.iter().map(|i| *i as u64 + 2).collect();
        prop_assert_eq!(rejected_lines, want);
    }
}
