//! Timing of the code search, run on demand:
//! `cargo test --release --test codes_bench -- --ignored --nocapture`.
//! Ignored by default: timings belong in a benchmark, not in the pass/fail suite.

use cdrscope::codes::search;
use std::time::Instant;

#[test]
#[ignore]
fn search_timing() {
    let queries = [
        "503",
        "cause 34",
        "q850 17",
        "-69",
        "busy",
        "timeout",
        "balance",
        "ocupado",
        "tiemout",
        "no route",
        "codec",
        "Dirección",
        "4xx",
        "NORMAL_CLEARING",
        "被叫挂断",
        "gateway timeout",
    ];
    let t = Instant::now();
    assert!(!search("503", 10).is_empty());
    println!("index build + first search: {:?}", t.elapsed());
    for q in queries {
        let n = 2000;
        let t = Instant::now();
        for _ in 0..n {
            assert!(!search(q, 10).is_empty());
        }
        println!(
            "{q:>18}: {:>8.1} µs/search",
            t.elapsed().as_secs_f64() * 1e6 / n as f64
        );
    }
}

#[test]
#[ignore]
fn build_timing() {
    let t = Instant::now();
    let n = cdrscope::codes::entries().len();
    println!("entries ({n}): {:?}", t.elapsed());
    let t = Instant::now();
    let _ = cdrscope::codes::text::get("es", "sip.503.title");
    println!("texts: {:?}", t.elapsed());
    let t = Instant::now();
    let _ = search("x", 1);
    println!("index: {:?}", t.elapsed());
}
