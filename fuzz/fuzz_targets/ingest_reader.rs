//! Fuzzes the streaming reader: any bytes, cut into chunks whose sizes come from the data.
//!
//! The first two bytes are knobs (chunk sizes, the sniffing prefix, filter and time zone); the
//! rest is the file. Checks that nothing panics or hangs, that accepted + rejected == data rows, that chunked
//! reading gives exactly what whole reading gives, and that the analysis of whatever was
//! accepted (summary, filters, row pages) does not panic either.
#![no_main]

use cdrscope::ingest::{Reader, Reject, Sink};
use cdrscope::{Call, Dataset, Filter, FormatOptions, SummaryOptions};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Default, PartialEq)]
struct Seen {
    calls: Vec<(u64, u64, u32, Option<i64>, u32)>,
    rejects: Vec<Reject>,
    notes: Vec<Reject>,
}

impl Sink for Seen {
    fn call(&mut self, c: &Call<'_>) {
        self.calls
            .push((c.line, c.offset, c.len, c.start_ms, c.hold_s));
    }
    fn reject(&mut self, r: Reject) {
        self.rejects.push(r);
    }
    fn note(&mut self, r: Reject) {
        self.notes.push(r);
    }
}

fn read(
    data: &[u8],
    sizes: &[usize],
    sniff: usize,
) -> (Result<cdrscope::ingest::RowCounts, String>, Seen) {
    let mut seen = Seen::default();
    let mut reader = Reader::with_sniff_bytes(FormatOptions::default(), sniff);
    let mut rest = data;
    let mut i = 0;
    let mut result = Ok(());
    while !rest.is_empty() && result.is_ok() {
        let n = sizes[i % sizes.len()].clamp(1, rest.len());
        i += 1;
        let (chunk, tail) = rest.split_at(n);
        rest = tail;
        result = reader.push(chunk, &mut seen);
    }
    if result.is_ok() {
        result = reader.finish(&mut seen);
    }
    let counts = reader.counts();
    if result.is_ok() {
        assert_eq!(counts.accepted + counts.rejected, counts.data_rows);
        assert_eq!(seen.rejects.len() as u64, counts.rejected);
    }
    (result.map(|_| counts).map_err(|e| e.message), seen)
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let (knobs, file) = data.split_at(2);
    let sizes = [
        usize::from(knobs[0]) + 1,
        usize::from(knobs[1]) * 3 + 1,
        1,
        usize::from(knobs[0] ^ knobs[1]) * 17 + 2,
    ];
    // Detection on a short prefix (from the knobs) so small inputs reach the streaming path.
    let sniff = usize::from(knobs[0]) * 8 + 64;
    let whole = read(file, &[file.len().max(1)], sniff);
    let chunked = read(file, &sizes, sniff);
    assert_eq!(whole, chunked, "chunking changed the result");

    // The data set reads with the default 64 KiB prefix (small inputs are detected and read at
    // `finish`); then the analysis runs on whatever was accepted.
    let mut d = Dataset::new();
    if d.read_bytes("fuzz.csv", file, FormatOptions::default())
        .is_ok()
    {
        let opts = SummaryOptions {
            tz_offset_min: i32::from(knobs[0] as i8) * 15,
            ..SummaryOptions::default()
        };
        let s = d.summary(&Filter::default(), &opts);
        assert!(s.overall.answered <= s.overall.attempts);
        let filter = Filter {
            answered: Some(knobs[1] & 1 == 0),
            hour: vec![knobs[0] % 30],
            from_ms: Some(i64::from(knobs[1]) * 1_000_000_000_000 / 255),
            ..Filter::default()
        };
        let _ = d.summary(&filter, &opts);
        let _ = d.rows(&filter, &opts, usize::from(knobs[0]), usize::from(knobs[1]));
    }
});
