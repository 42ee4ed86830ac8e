//! Fuzzes format detection and row mapping on their own: the encoding and delimiter sniffers,
//! then `formats::detect` and the chosen mapper on records cut from the data.
#![no_main]

use cdrscope::formats::{self, FormatId, FormatOptions, Row};
use cdrscope::ingest::{encoding, sniff};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&knob, data)) = data.split_first() else {
        return;
    };
    let enc = encoding::sniff_encoding(data, knob & 1 == 0);
    let (text, _) = enc.encoding_rs().decode_without_bom_handling(data);
    let delimiter = sniff::sniff_delimiter(&text);
    let sample: Vec<Vec<String>> = text
        .lines()
        .take(40)
        .map(|l| l.split(delimiter as char).map(str::to_string).collect())
        .collect();
    // Detect freely, and with each format forced.
    let forced = FormatId::ALL
        .get(usize::from(knob >> 1) % (FormatId::ALL.len() + 1))
        .copied();
    let options = FormatOptions {
        format: forced,
        mapping: None,
        ..Default::default()
    };
    let Ok(detection) = formats::detect(&sample, &options) else {
        return;
    };
    assert!((0.0..=1.0).contains(&detection.confidence));
    let Ok(mut mapper) = formats::build_mapper(&detection, &sample, &options) else {
        return;
    };
    let mut joined = String::new();
    let mut ends = Vec::new();
    for record in sample.iter().skip(detection.header_rows) {
        joined.clear();
        ends.clear();
        for field in record {
            joined.push_str(field);
            ends.push(joined.len());
        }
        let row = Row::new(&joined, &ends);
        let _ = mapper.map(&row);
        mapper.drain(&mut |_| {});
    }
    let _ = mapper.time_basis();
});
