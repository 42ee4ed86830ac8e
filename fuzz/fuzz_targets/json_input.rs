//! Fuzzes the JSON reader (VOS3000 GetCdr answers, JSON lines, arrays): read whole and pushed
//! in pieces, nothing panics, every record is accepted or rejected, both ways agree.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&knob, json)) = data.split_first() else {
        return;
    };
    let whole = common::read_and_check("fuzz.json", json);
    let sizes = [usize::from(knob) + 1, 3, usize::from(knob) * 7 + 1];
    let pushed = common::push_in_pieces("fuzz.json", json, &sizes);
    assert_eq!(whole.row_totals(), pushed.row_totals());
});
