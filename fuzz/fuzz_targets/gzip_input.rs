//! Fuzzes gzip: the data gzipped (a text or JSON inside) read whole and pushed in pieces with
//! the same outcome; or the data itself read as a (mostly broken) gzip stream.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&knob, rest)) = data.split_first() else {
        return;
    };
    let name = if knob & 2 == 0 { "fuzz.csv.gz" } else { "fuzz.json.gz" };
    let gz = if knob & 1 == 0 {
        common::gzip(rest)
    } else {
        rest.to_vec()
    };
    let whole = common::read_and_check(name, &gz);
    let sizes = [usize::from(knob) + 1, 1, 4097];
    let pushed = common::push_in_pieces(name, &gz, &sizes);
    if knob & 1 == 0 {
        assert_eq!(whole.row_totals(), pushed.row_totals());
    }
});
