//! Fuzzes the xls reader: the data as the Workbook stream of a sound compound file (so the
//! BIFF records, shared strings and cells get the bytes), or read itself as a (mostly broken)
//! compound file.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&knob, rest)) = data.split_first() else {
        return;
    };
    let bytes = if knob & 1 == 0 {
        common::cfb_with_stream("Workbook", rest)
    } else {
        rest.to_vec()
    };
    common::read_and_check("fuzz.xls", &bytes);
});
