//! Findings on call stores built in memory: rules no VOS3000 file can trigger (answered calls
//! with zero duration, FreeSWITCH media causes), and the speed on a million calls.

use cdrscope::analysis::findings::{find, Severity};
use cdrscope::analysis::store::CallStore;
use cdrscope::analysis::{Filter, SummaryOptions};
use cdrscope::call::{Call, CodeSystem, RawCode};
use cdrscope::summary::{Summary, TimeRange};

fn call<'a>(i: u64, egress: &'a str, cause: &'a str, hold_s: u32, answered: bool) -> Call<'a> {
    Call {
        line: i + 2,
        end_ms: Some(1_741_536_000_000 + i as i64 * 1000),
        answered,
        hold_s,
        egress,
        code: RawCode::Name(cause),
        code_system: Some(CodeSystem::FreeSwitch),
        sip_code: answered.then_some(200),
        ..Call::default()
    }
}

fn store_of(calls: &[Call<'_>]) -> CallStore {
    let mut s = CallStore::new();
    for c in calls {
        s.push(c);
    }
    s
}

#[test]
fn answered_with_zero_duration() {
    let mut calls = Vec::new();
    for i in 0..100 {
        let hold = if i < 40 { 0 } else { 60 };
        calls.push(call(i, "GW_Z", "NORMAL_CLEARING", hold, true));
    }
    for i in 100..200 {
        calls.push(call(i, "GW_OK", "NORMAL_CLEARING", 90, true));
    }
    let store = store_of(&calls);
    let f = find(
        &store,
        &Filter::default(),
        None,
        "utc",
        &SummaryOptions::default(),
        0,
        None,
    );
    let z: Vec<_> = f.iter().filter(|x| x.rule == "gw_zero_answer").collect();
    assert_eq!(z.len(), 1);
    assert_eq!(z[0].subject, "GW_Z");
    assert_eq!(z[0].severity, Severity::Warning);
    assert_eq!(z[0].title, "GW_Z: 40 answered calls with zero duration");
    assert_eq!(z[0].filter.answered, Some(true));
    assert_eq!(
        z[0].numbers.iter().map(|n| n.value).collect::<Vec<_>>(),
        [100.0, 40.0]
    );
    // The zero-length calls are short calls too.
    assert!(f.iter().any(|x| x.rule == "gw_sdr" && x.subject == "GW_Z"));
    assert!(!f.iter().any(|x| x.subject == "GW_OK"));
}

#[test]
fn freeswitch_media_timeouts() {
    let mut calls = Vec::new();
    for i in 0..100 {
        let cause = if i < 10 {
            "MEDIA_TIMEOUT"
        } else {
            "NORMAL_CLEARING"
        };
        calls.push(call(i, "GW_M", cause, 120, true));
    }
    for i in 100..200 {
        calls.push(call(i, "GW_OK", "NORMAL_CLEARING", 120, true));
    }
    let store = store_of(&calls);
    let f = find(
        &store,
        &Filter::default(),
        None,
        "utc",
        &SummaryOptions::default(),
        0,
        None,
    );
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].rule, "gw_media");
    assert_eq!(f[0].severity, Severity::Critical);
    assert_eq!(
        f[0].title,
        "GW_M: 10 calls ended by media trouble (MEDIA_TIMEOUT)"
    );
}

/// `cargo test --release --test findings_store -- --ignored` prints the time for 1 M calls.
#[test]
#[ignore]
fn a_million_calls_quickly() {
    let gateways: Vec<String> = (0..20).map(|g| format!("GW_{g:02}")).collect();
    let numbers: Vec<(String, String)> = (0..50_000)
        .map(|i| {
            (
                format!("8613{i:09}"),
                format!(
                    "{}{:09}",
                    ["86", "44", "1", "63", "880", "234"][i % 6],
                    i * 7
                ),
            )
        })
        .collect();
    let codes = ["-9", "-8", "503", "486", "487", "480", "408", "404", "603"];
    let mut store = CallStore::new();
    let mut x: u64 = 12345;
    for i in 0..1_000_000u64 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let (caller, callee) = &numbers[(x % 50_000) as usize];
        let code = codes[(x >> 20) as usize % codes.len()];
        let answered = code.starts_with('-');
        let c = Call {
            line: i + 2,
            end_ms: Some(1_741_536_000_000 + (i as i64 * 86_400_000 / 1_000_000)),
            answered,
            hold_s: if answered { (x >> 32) as u32 % 600 } else { 0 },
            pdd_ms: Some((x >> 40) as u32 % 8000),
            caller,
            callee,
            egress: &gateways[(x >> 8) as usize % 20],
            code: RawCode::Num(code.parse().unwrap()),
            code_system: Some(CodeSystem::Vos3000),
            sip_code: if answered {
                Some(200)
            } else {
                code.parse().ok()
            },
            ..Call::default()
        };
        store.push(&c);
    }
    let summary = Summary {
        time_range: Some(TimeRange {
            first_ms: 1_741_536_000_000,
            last_ms: 1_741_536_000_000 + 86_400_000,
            first: "2025-03-09 16:00:00".into(),
            last: "2025-03-10 16:00:00".into(),
        }),
        ..Summary::default()
    };
    // CPU time of this thread (the machine may be shared), with wall time as a fallback.
    let cpu_ns = || -> Option<u64> {
        std::fs::read_to_string("/proc/thread-self/schedstat")
            .ok()?
            .split_whitespace()
            .next()?
            .parse()
            .ok()
    };
    // What a finished file costs once: failover chains and the fee check over every call.
    let (t, c) = (std::time::Instant::now(), cpu_ns());
    cdrscope::analysis::chains::mark(&mut store);
    cdrscope::analysis::fee_check::mark(&mut store);
    let wall = t.elapsed().as_millis() as u64;
    let ms = match (c, cpu_ns()) {
        (Some(a), Some(b)) => (b - a) / 1_000_000,
        _ => wall,
    };
    println!("marking 1 M calls: {ms} ms CPU ({wall} ms wall)");
    assert!(ms < 1000, "{ms} ms");
    let (t, c) = (std::time::Instant::now(), cpu_ns());
    let f = find(
        &store,
        &summary.filter,
        summary.time_range.as_ref(),
        "utc",
        &SummaryOptions::default(),
        0,
        None,
    );
    let wall = t.elapsed().as_millis() as u64;
    let ms = match (c, cpu_ns()) {
        (Some(a), Some(b)) => (b - a) / 1_000_000,
        _ => wall,
    };
    println!(
        "find on 1 M calls: {ms} ms CPU ({wall} ms wall), {} findings",
        f.len()
    );
    assert!(ms < 1000, "{ms} ms");
}

#[test]
fn hostile_values_do_not_panic() {
    let times = [
        i64::MAX,
        i64::MIN + 1,
        0,
        -1,
        1_741_536_000_000,
        i64::MAX - 1,
    ];
    let names = ["", "GW_A", "GW_B", "{gw}", "<script>"];
    let causes = [
        "",
        "-69",
        "503",
        "MEDIA_TIMEOUT",
        "x{y}",
        "NoAvailableRouter",
        "99999999999",
    ];
    let mut calls = Vec::new();
    for i in 0..600u64 {
        let answered = i % 3 == 0;
        calls.push(Call {
            line: i,
            end_ms: (i % 7 != 0).then_some(times[i as usize % times.len()]),
            answered,
            hold_s: if i % 5 == 0 {
                u32::MAX
            } else {
                (i % 40) as u32
            },
            pdd_ms: Some(if i % 4 == 0 { u32::MAX } else { 0 }),
            caller: if i % 2 == 0 { "" } else { "123" },
            callee: "8613800000000",
            egress: names[i as usize % names.len()],
            code: RawCode::Name(causes[i as usize % causes.len()]),
            code_system: Some(CodeSystem::Vos3000),
            sip_code: Some(if answered { 200 } else { 503 }),
            fee: None,
            ..Call::default()
        });
    }
    let mut store = store_of(&calls);
    cdrscope::analysis::chains::mark(&mut store);
    cdrscope::analysis::fee_check::mark(&mut store);
    for (first, last) in [
        (i64::MIN + 1, i64::MAX),
        (0, 86_400_000),
        (1_741_536_000_000, 1_741_536_000_000 + 3_600_000),
    ] {
        let summary = Summary {
            time_range: Some(TimeRange {
                first_ms: first,
                last_ms: last,
                ..TimeRange::default()
            }),
            ..Summary::default()
        };
        for offset in [0, 14 * 3_600_000, -12 * 3_600_000] {
            let f = find(
                &store,
                &summary.filter,
                summary.time_range.as_ref(),
                "utc",
                &SummaryOptions::default(),
                offset,
                None,
            );
            for x in &f {
                assert!(!x.title.is_empty() && !x.action.is_empty());
            }
        }
    }
}
