//! Fuzzes zip archives: the data split into entries (CSV, JSON, gzip and nested zip by name)
//! and zipped, or read itself as a (mostly broken) archive.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&knob, rest)) = data.split_first() else {
        return;
    };
    let bytes = if knob & 1 == 0 {
        const NAMES: [&str; 6] = ["a.csv", "b.json", "c.csv.gz", "d.zip", "__MACOSX/._a.csv", "e/"];
        let entries: Vec<(String, &[u8])> = common::parts(rest, 0xFE, 6)
            .into_iter()
            .enumerate()
            .map(|(i, p)| (NAMES[(i + usize::from(knob >> 1)) % NAMES.len()].to_string(), p))
            .collect();
        common::zip_of(&entries, knob & 2 != 0)
    } else {
        rest.to_vec()
    };
    common::read_and_check("fuzz.zip", &bytes);
});
