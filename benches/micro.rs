//! Micro-benchmark of the ingest hot path, the same code natively and in wasm (issue 18, 21).
//!
//! Natively: `cargo bench --bench micro -- FILE [ROUNDS]`. In wasm: `node bench/micro.mjs FILE`,
//! which builds this file for `wasm32-unknown-unknown` (simd128, as the page) and runs it in
//! Node next to the native build, then prints ns per row of both and their ratio.
//!
//! Stages, each timed over every data row of FILE (a CSV, e.g. from `bench/gen_cdr.py`), the
//! best of ROUNDS rounds:
//! - `scan`: the line scanner alone (`ingest::scan::scan_line` on each line);
//! - `read`: the streaming reader (scanner, record machine, format mapper) into a sink that
//!   only counts calls;
//! - `push`: `CallStore::push` alone, over calls read beforehand (a fresh store per round,
//!   sized ahead as the data set sizes it);
//! - `read+push`: the reader into a sink that pushes each call into a `CallStore`;
//! - `chains`: `analysis::chains::mark` over the stored calls, and `chains:u128-sort` the sort
//!   of 16-byte keys it did before (the sort alone);
//! - `push:…`: parts of `push` alone, without the store's caches: the destination and its
//!   prefix id, the two gateway ids, the caller/callee hash, the push of a 39-byte row.
//!
//! Times are CPU time, not wall time (the machine is shared): natively the thread's CPU clock;
//! in wasm there is no clock or console in `std`, so the module imports `env.now_ms` (Node's
//! `process.cpuUsage()`, user + system, in `bench/micro.mjs`) and `env.print`, and exports
//! `bench_alloc` and `bench_run`.

use cdrscope::analysis::store::{CallStore, Interner, StoredCall};
use cdrscope::call::{Call, RawCode};
use cdrscope::ingest::{scan, Reader, Reject, Sink};
use cdrscope::FormatOptions;

/// A call whose text is owned, so calls can be read once and pushed many times.
struct OwnedCall {
    call: Call<'static>,
    text: [String; 9],
    named: bool,
}

impl OwnedCall {
    fn of(c: &Call<'_>) -> Self {
        let code = match c.code {
            RawCode::Name(s) => s.to_string(),
            _ => String::new(),
        };
        let text = [
            c.caller.to_string(),
            c.callee.to_string(),
            c.ingress.to_string(),
            c.egress.to_string(),
            c.account.to_string(),
            c.caller_ip.to_string(),
            c.callee_ip.to_string(),
            c.call_id.to_string(),
            code,
        ];
        let call = Call {
            caller: "",
            callee: "",
            ingress: "",
            egress: "",
            account: "",
            caller_ip: "",
            callee_ip: "",
            call_id: "",
            code: match c.code {
                RawCode::Num(n) => RawCode::Num(n),
                _ => RawCode::None,
            },
            ..Call::default()
        };
        let mut o = OwnedCall {
            call,
            text,
            named: matches!(c.code, RawCode::Name(_)),
        };
        let c2 = &mut o.call;
        c2.line = c.line;
        c2.offset = c.offset;
        c2.len = c.len;
        c2.start_ms = c.start_ms;
        c2.answer_ms = c.answer_ms;
        c2.end_ms = c.end_ms;
        c2.answered = c.answered;
        c2.hold_s = c.hold_s;
        c2.billed_s = c.billed_s;
        c2.pdd_ms = c.pdd_ms;
        c2.callee_international = c.callee_international;
        c2.code_system = c.code_system;
        c2.sip_code = c.sip_code;
        c2.q850 = c.q850;
        c2.end_direction = c.end_direction;
        c2.fee = c.fee;
        c2.cost = c.cost;
        c2.money_decimals = c.money_decimals;
        o
    }

    /// The call, borrowing this value's text.
    fn call(&self) -> Call<'_> {
        let t = &self.text;
        Call {
            caller: &t[0],
            callee: &t[1],
            ingress: &t[2],
            egress: &t[3],
            account: &t[4],
            caller_ip: &t[5],
            callee_ip: &t[6],
            call_id: &t[7],
            code: if self.named {
                RawCode::Name(&t[8])
            } else {
                self.call.code
            },
            ..self.call
        }
    }
}

/// Counts calls and rejects.
#[derive(Default)]
struct Count {
    calls: u64,
    rejects: u64,
    keep: Option<Vec<OwnedCall>>,
}

impl Sink for Count {
    fn call(&mut self, call: &Call<'_>) {
        self.calls += 1;
        if let Some(k) = &mut self.keep {
            k.push(OwnedCall::of(call));
        }
    }
    fn reject(&mut self, _reject: Reject) {
        self.rejects += 1;
    }
}

/// Pushes every call into a store.
struct Store(CallStore);

impl Sink for Store {
    fn call(&mut self, call: &Call<'_>) {
        self.0.push(call);
    }
    fn reject(&mut self, _reject: Reject) {}
}

/// The chunk size the page reads (1 MB).
const CHUNK: usize = 1 << 20;

fn read_into<S: Sink>(data: &[u8], sink: &mut S) {
    let mut r = Reader::new(FormatOptions::default());
    for chunk in data.chunks(CHUNK) {
        r.push(chunk, sink).expect("readable file");
    }
    r.finish(sink).expect("readable file");
}

/// Runs every stage `rounds` times; `now` is a clock in ms, `out` takes one output line.
fn run(data: &[u8], rounds: usize, now: &dyn Fn() -> f64, out: &mut dyn FnMut(&str)) {
    let mut counted = Count {
        keep: Some(Vec::new()),
        ..Count::default()
    };
    read_into(data, &mut counted);
    let calls = counted.keep.take().unwrap_or_default();
    let rows = counted.calls + counted.rejects;
    out(&format!(
        "rows {rows} calls {} rejects {} bytes {}",
        counted.calls,
        counted.rejects,
        data.len()
    ));
    let mut best = [f64::MAX; 10];
    let mut check = 0u64;
    for _ in 0..rounds {
        // scan
        let t = now();
        let mut ends = Vec::with_capacity(64);
        let mut rest = data;
        let mut lines = 0u64;
        while !rest.is_empty() {
            ends.clear();
            match scan::scan_line(rest, b',', &mut ends) {
                scan::LineScan::Plain(nl, _) => {
                    lines += 1;
                    check = check.wrapping_add(ends.len() as u64);
                    rest = &rest[nl + 1..];
                }
                _ => match memchr_nl(rest) {
                    Some(nl) => rest = &rest[nl + 1..],
                    None => break,
                },
            }
        }
        check = check.wrapping_add(lines);
        best[0] = best[0].min(now() - t);
        // read
        let t = now();
        let mut c = Count::default();
        read_into(data, &mut c);
        check = check.wrapping_add(c.calls);
        best[1] = best[1].min(now() - t);
        // push
        let t = now();
        let mut store = CallStore::new();
        // Sized ahead, as the data set sizes its store from the file's size.
        store.calls.reserve(calls.len());
        for c in &calls {
            store.push(&c.call());
        }
        check = check.wrapping_add(store.calls.len() as u64);
        best[2] = best[2].min(now() - t);
        // Failover chains over the stored calls (done once per file by `finish_file`).
        let t = now();
        cdrscope::analysis::chains::mark(&mut store);
        best[8] = best[8].min(now() - t);
        let t = now();
        check = check.wrapping_add(chain_sort_u128(&store));
        best[9] = best[9].min(now() - t);
        drop(store);
        // read+push
        let t = now();
        let mut s = Store(CallStore::new());
        read_into(data, &mut s);
        check = check.wrapping_add(s.0.calls.len() as u64);
        best[3] = best[3].min(now() - t);
        // Parts of push, each alone (the store's own caches left out): the destination and
        // its prefix id, the two gateway ids, the caller/callee hash, the vector push.
        let plan = cdrscope::numbers::NumberPlan::default();
        let mut prefixes = Interner::default();
        let t = now();
        for c in &calls {
            let c = c.call();
            let d = plan.destination(c.callee, c.callee_international);
            check = check.wrapping_add(u64::from(prefixes.intern16(plan.key(&d))));
        }
        best[4] = best[4].min(now() - t);
        let mut names = Interner::default();
        let t = now();
        for c in &calls {
            let c = c.call();
            let e = names.intern16(c.egress.trim_ascii());
            let i = names.intern16(c.ingress.trim_ascii());
            check = check.wrapping_add(u64::from(e ^ i));
        }
        best[5] = best[5].min(now() - t);
        let t = now();
        for c in &calls {
            let c = c.call();
            check = check.wrapping_add(u64::from(pair_hash(c.caller, c.callee)));
        }
        best[6] = best[6].min(now() - t);
        let t = now();
        let mut v: Vec<StoredCall> = Vec::new();
        for c in &calls {
            let c = c.call();
            // The row length word is private to the crate: fields set one by one.
            #[allow(clippy::field_reassign_with_default)]
            let mut row = StoredCall::default();
            row.offset = c.offset;
            row.hold_s = c.hold_s;
            row.line = c.line as u32;
            v.push(row);
        }
        check = check.wrapping_add(v.len() as u64);
        drop(v);
        best[7] = best[7].min(now() - t);
    }
    let n = counted.calls.max(1) as f64;
    let names = [
        "scan",
        "read",
        "push",
        "read+push",
        "push:destination",
        "push:gateways",
        "push:pair-hash",
        "push:vec-push",
        "chains",
        "chains:u128-sort",
    ];
    for (name, ms) in names.iter().zip(best) {
        out(&format!("{name} {:.1} ns/row {ms:.1} ms", ms * 1e6 / n));
    }
    out(&format!("check {check}"));
}

/// The sort the failover chains were found with before (16-byte keys of pair, start and
/// index), for comparison with `chains::mark` (which sorts 8-byte keys); returns a checksum.
fn chain_sort_u128(store: &CallStore) -> u64 {
    let start = |c: &StoredCall| {
        let end = c.time()?;
        Some(if c.answered() {
            end.saturating_sub(i64::from(c.hold_s) * 1000)
        } else {
            end
        })
    };
    let t0 = store.calls.iter().filter_map(start).min().unwrap_or(0);
    let mut keys: Vec<u128> = Vec::new();
    for (i, c) in store.calls.iter().enumerate() {
        let Some(s) = start(c) else { continue };
        let rel = u64::try_from(s.saturating_sub(t0)).unwrap_or(0);
        keys.push((u128::from(c.pair) << 96) | (u128::from(rel) << 32) | (i as u128 & 0xffff_ffff));
    }
    keys.sort_unstable();
    keys.first().map_or(0, |&k| k as u64) ^ keys.len() as u64
}

/// The store's caller/callee hash (FNV-1a, as `store::pair_hash`).
fn pair_hash(caller: &str, callee: &str) -> u32 {
    let step = |h: u32, b: u8| (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    let mut h: u32 = 0x811c_9dc5;
    for &b in caller.trim_ascii().as_bytes() {
        h = step(h, b);
    }
    h = step(h, 0);
    for &b in callee.trim_ascii().as_bytes() {
        h = step(h, b);
    }
    h
}

fn memchr_nl(s: &[u8]) -> Option<usize> {
    s.iter().position(|&b| b == b'\n')
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let path = args
        .first()
        .expect("usage: cargo bench --bench micro -- FILE [ROUNDS]");
    let rounds = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let data = std::fs::read(path).expect("readable FILE");
    run(&data, rounds, &cpu_ms, &mut |l| println!("{l}"));
}

/// CPU time of this thread in ms (on a shared machine, wall time counts other work too);
/// elsewhere than Linux, wall time.
#[cfg(not(target_arch = "wasm32"))]
fn cpu_ms() -> f64 {
    #[cfg(target_os = "linux")]
    {
        #[repr(C)]
        struct Timespec {
            sec: i64,
            nsec: i64,
        }
        extern "C" {
            fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
        }
        const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
        let mut ts = Timespec { sec: 0, nsec: 0 };
        // SAFETY: `ts` is a valid timespec for the call to fill.
        if unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0 {
            return ts.sec as f64 * 1000.0 + ts.nsec as f64 / 1e6;
        }
    }
    static T0: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    T0.get_or_init(std::time::Instant::now)
        .elapsed()
        .as_secs_f64()
        * 1000.0
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    #[link(wasm_import_module = "env")]
    extern "C" {
        fn now_ms() -> f64;
        fn print(ptr: *const u8, len: usize);
    }

    /// Room for `len` input bytes (filled by the host, then given to [`bench_run`]).
    #[no_mangle]
    pub extern "C" fn bench_alloc(len: usize) -> *mut u8 {
        let mut v = vec![0u8; len];
        let p = v.as_mut_ptr();
        std::mem::forget(v);
        p
    }

    /// Runs the benchmark over `len` bytes at `ptr` (from [`bench_alloc`]).
    #[no_mangle]
    pub extern "C" fn bench_run(ptr: *mut u8, len: usize, rounds: usize) {
        // SAFETY: `ptr` and `len` come from `bench_alloc`, whose vector was leaked.
        let data = unsafe { Vec::from_raw_parts(ptr, len, len) };
        // SAFETY: imports provided by bench/micro.mjs.
        let now = || unsafe { now_ms() };
        super::run(&data, rounds, &now, &mut |l| unsafe {
            print(l.as_ptr(), l.len())
        });
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
