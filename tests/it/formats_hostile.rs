//! Hostile input: mutated fixtures read with every format forced and with detection never
//! panic, and every data row is either accepted or rejected.

use crate::common;

use cdrscope::formats::generic::ColumnMapping;
use cdrscope::formats::{FormatId, FormatOptions};
use cdrscope::{Dataset, Filter};
use common::*;

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize
    }
}

/// Flips, inserts and deletes bytes, favouring the characters CSV structure is made of.
fn mutate(bytes: &[u8], rng: &mut Lcg) -> Vec<u8> {
    const NASTY: &[u8] = b"\",;|\t\r\n\x00\xff\xfe9-0";
    let mut out = bytes.to_vec();
    for _ in 0..1 + rng.next() % 40 {
        if out.is_empty() {
            break;
        }
        let at = rng.next() % out.len();
        let b = if rng.next().is_multiple_of(2) {
            NASTY[rng.next() % NASTY.len()]
        } else {
            rng.next() as u8
        };
        match rng.next() % 3 {
            0 => out[at] = b,
            1 => out.insert(at, b),
            _ => {
                out.remove(at);
            }
        }
    }
    if rng.next().is_multiple_of(4) {
        let keep = rng.next() % (out.len() + 1);
        out.truncate(keep);
    }
    out
}

#[test]
fn mutated_fixtures_never_panic_and_rows_add_up() {
    let mapping: ColumnMapping =
        serde_json::from_slice(&fixture("generic_carrier.mapping.json")).unwrap();
    let mut options = vec![FormatOptions::default()];
    for f in FormatId::ALL {
        if f != FormatId::Generic {
            options.push(FormatOptions {
                format: Some(f),
                mapping: None,
                ..FormatOptions::default()
            });
        }
    }
    options.push(FormatOptions {
        format: None,
        mapping: Some(mapping),
        ..FormatOptions::default()
    });
    let mut rng = Lcg(42);
    for name in [
        "asterisk_Master.csv",
        "freeswitch_custom_Master.csv",
        "freeswitch_custom_header.csv",
        "kamailio_acc.csv",
        "cucm_cdr.csv",
        "generic_carrier.csv",
    ] {
        // A slice of the fixture keeps the test fast; the mutations do the rest.
        let bytes = fixture(name);
        let bytes = &bytes[..bytes.len().min(24_000)];
        for round in 0..12 {
            let data = mutate(bytes, &mut rng);
            for opts in &options {
                let mut d = Dataset::new();
                d.start_file(name, data.len() as u64, opts.clone());
                let mut rest = &data[..];
                let mut failed = false;
                while !rest.is_empty() && !failed {
                    let n = (1 + rng.next() % 4096).min(rest.len());
                    failed = d.push(&rest[..n]).is_err();
                    rest = &rest[n..];
                }
                if !failed && d.finish_file().is_err() {
                    failed = true;
                }
                let t = d.row_totals();
                assert_eq!(
                    t.accepted + t.rejected,
                    t.data,
                    "{name} round {round} {opts:?}"
                );
                if !failed {
                    let s = d.summary(&Filter::default(), &all_codes());
                    assert!(s.overall.attempts <= t.data, "{name} round {round}");
                }
            }
        }
    }
}
