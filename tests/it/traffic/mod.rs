//! Generated ordinary VOS3000 traffic with attacks and limits injected on demand, for the
//! capacity, compare, scanner and toll-fraud tests. Deterministic (a fixed LCG per seed).

#![allow(dead_code)]

use cdrscope::analysis::Dataset;
use cdrscope::formats::FormatOptions;

/// The VOS3000 columns written.
pub const HEADER: &str =
    "callere164,calleee164,callergatewayid,calleegatewayid,starttime,stoptime,callerpdd,holdtime,enddirection,endreason";

/// 2025-03-10 00:00:00 UTC in ms.
pub const T0: i64 = 1_741_564_800_000;

/// One generated call.
#[derive(Clone, Debug)]
pub struct Row {
    /// Calling number.
    pub caller: String,
    /// Called number.
    pub callee: String,
    /// Ingress (customer) gateway.
    pub ingress: String,
    /// Egress (vendor) gateway.
    pub egress: String,
    /// Start, ms since the epoch.
    pub start_ms: i64,
    /// PDD, ms.
    pub pdd_ms: i64,
    /// Talk time, s.
    pub hold_s: i64,
    /// VOS3000 end reason (`-8` answered, else a SIP code).
    pub code: String,
}

impl Row {
    /// Its end, ms.
    pub fn end_ms(&self) -> i64 {
        self.start_ms + self.pdd_ms + self.hold_s * 1000
    }
}

/// A small deterministic random source.
pub struct Lcg(u64);

impl Lcg {
    /// Seeded.
    pub fn new(seed: u64) -> Self {
        Lcg(seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1))
    }
    /// Uniform in [0, 1).
    pub fn f(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform integer in [0, n).
    pub fn below(&mut self, n: u64) -> u64 {
        (self.f() * n as f64) as u64 % n.max(1)
    }
}

/// Customers, vendors and destinations of the ordinary traffic.
pub const CUSTOMERS: [&str; 4] = ["CUST_A", "CUST_B", "CUST_C", "CUST_D"];
/// Vendor gateways; GW_B carries the most.
pub const VENDORS: [&str; 3] = ["GW_A", "GW_B", "GW_C"];
const DESTS: [&str; 5] = ["008613", "004420", "001212", "006391", "004915"];

/// Ordinary traffic from `from_s` to `to_s` seconds after [`T0`]: about `cps` attempts per
/// second on average, rising and falling over each hour; half go to GW_B. About 50 %
/// answered (talk 10–170 s), 3 % busy, 1 % 404, 0.3 % 503, the rest 480/487.
pub fn ordinary(seed: u64, from_s: i64, to_s: i64, cps: f64) -> Vec<Row> {
    let mut r = Lcg::new(seed);
    let mut out = Vec::new();
    let mut t = from_s as f64;
    let mut n = 0u64;
    while t < to_s as f64 {
        let phase = (t / 3600.0 * std::f64::consts::TAU).sin();
        let rate = cps * (1.0 + 0.6 * phase);
        t += -(1.0 - r.f()).ln() / rate;
        n += 1;
        let cust = CUSTOMERS[r.below(4) as usize];
        let egress = if r.f() < 0.5 {
            "GW_B"
        } else {
            VENDORS[[0, 2][r.below(2) as usize]]
        };
        let dest = DESTS[r.below(5) as usize];
        let u = r.f();
        let (code, hold, pdd) = if u < 0.5 {
            ("-8", 10 + r.below(160) as i64, 1000 + r.below(4000) as i64)
        } else if u < 0.53 {
            ("486", 0, 1000 + r.below(2000) as i64)
        } else if u < 0.54 {
            ("404", 0, 0)
        } else if u < 0.543 {
            ("503", 0, 0)
        } else if u < 0.8 {
            ("480", 0, 20_000 + r.below(20_000) as i64)
        } else {
            ("487", 0, 3000 + r.below(10_000) as i64)
        };
        out.push(Row {
            caller: format!("55{:08}", r.below(100_000_000)),
            callee: format!("{dest}{:07}", r.below(10_000_000)),
            ingress: cust.into(),
            egress: egress.into(),
            start_ms: T0 + (t * 1000.0) as i64,
            pdd_ms: pdd,
            hold_s: hold,
            code: code.into(),
        });
    }
    let _ = n;
    out
}

/// Refuses with 503 (no PDD, no talk) every attempt that reaches `gw` while it already
/// carries `limit` calls, in start order.
pub fn limit_channels(rows: &mut [Row], gw: &str, limit: usize) {
    rows.sort_by_key(|r| r.start_ms);
    let mut active: std::collections::BinaryHeap<std::cmp::Reverse<i64>> = Default::default();
    for r in rows.iter_mut().filter(|r| r.egress == gw) {
        while active.peek().is_some_and(|e| e.0 <= r.start_ms) {
            active.pop();
        }
        if active.len() >= limit {
            r.code = "503".into();
            r.pdd_ms = 0;
            r.hold_s = 0;
        } else {
            active.push(std::cmp::Reverse(r.end_ms()));
        }
    }
}

/// Refuses with 503 (no PDD, no talk) every attempt beyond the `cps`-th that reaches `gw`
/// within one wall-clock second of its start.
pub fn limit_cps(rows: &mut [Row], gw: &str, cps: usize) {
    rows.sort_by_key(|r| r.start_ms);
    let (mut second, mut seen) = (i64::MIN, 0);
    for r in rows.iter_mut().filter(|r| r.egress == gw) {
        if r.start_ms.div_euclid(1000) != second {
            (second, seen) = (r.start_ms.div_euclid(1000), 0);
        }
        seen += 1;
        if seen > cps {
            r.code = "503".into();
            r.pdd_ms = 0;
            r.hold_s = 0;
        }
    }
}

/// A scanner: `n` INVITEs from `source` within `secs` seconds starting `at_s` after [`T0`], to
/// sequential numbers, refused 404 (most) and 403.
pub fn scanner(source: &str, at_s: i64, secs: i64, n: i64) -> Vec<Row> {
    (0..n)
        .map(|i| Row {
            caller: "100".into(),
            callee: format!("0044207946{:04}", i),
            ingress: source.into(),
            egress: String::new(),
            start_ms: T0 + at_s * 1000 + i * secs * 1000 / n,
            pdd_ms: 0,
            hold_s: 0,
            code: if i % 5 == 0 { "403" } else { "404" }.into(),
        })
        .collect()
}

/// Toll fraud: `n` answered calls of `customer` to `dest` (digits after 00) via GW_C, one
/// every 30 s from `at_s`, each talking 300 s (so about 10 at once).
pub fn fraud(customer: &str, dest: &str, at_s: i64, n: i64) -> Vec<Row> {
    (0..n)
        .map(|i| Row {
            caller: format!("55{:08}", 1000 + i),
            callee: format!("00{dest}{:06}", 100_000 + i * 7),
            ingress: customer.into(),
            egress: "GW_C".into(),
            start_ms: T0 + (at_s + i * 30) * 1000,
            pdd_ms: 2000,
            hold_s: 300,
            code: "-8".into(),
        })
        .collect()
}

/// The rows as a VOS3000 CSV, in start order.
pub fn csv(rows: &[Row]) -> String {
    let mut rows = rows.to_vec();
    rows.sort_by_key(|r| r.start_ms);
    let mut s = format!("{HEADER}\n");
    for r in &rows {
        let dir = if r.code == "-8" { 1 } else { 0 };
        s.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{}\n",
            r.caller,
            r.callee,
            r.ingress,
            r.egress,
            r.start_ms,
            r.end_ms(),
            r.pdd_ms,
            r.hold_s,
            dir,
            r.code
        ));
    }
    s
}

/// A data set holding the rows.
pub fn dataset(rows: &[Row]) -> Dataset {
    let text = csv(rows);
    let mut ds = Dataset::new();
    ds.read_bytes("traffic.csv", text.as_bytes(), FormatOptions::default())
        .unwrap();
    assert_eq!(ds.row_totals().rejected, 0, "generated rows rejected");
    ds
}
