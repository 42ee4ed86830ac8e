//! The normalized rows (platform-free core): the same attempts, outcomes, destinations and
//! duplicates as the report's data set, and a CSV line safe to open in a spreadsheet.

use cdrscope::analysis::{Dataset, Filter, SummaryOptions};
use cdrscope::export::{csv_header, Duplicate, ExportSink, NormalizedRow, Normalizer, RowSink};
use cdrscope::ingest::{Reader, Reject};
use cdrscope::numbers::NumberPlan;
use cdrscope::{FormatOptions, Outcome};
use std::collections::BTreeMap;

#[derive(Default)]
struct Collect {
    rows: Vec<(Duplicate, Outcome, String, String, Option<i64>)>,
    rejects: usize,
}

impl RowSink for Collect {
    fn row(&mut self, r: &NormalizedRow<'_>) {
        self.rows.push((
            r.duplicate,
            r.outcome,
            r.destination.to_string(),
            r.egress_gateway.to_string(),
            r.start_ms,
        ));
    }
    fn reject(&mut self, _file: &str, _r: &Reject) {
        self.rejects += 1;
    }
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// Reads `files` (name, bytes) into an export sink and a data set.
fn both(files: &[(&str, Vec<u8>)], tz_min: i32) -> (Collect, cdrscope::Summary) {
    let mut sink = ExportSink::new(
        Normalizer::new(NumberPlan::default(), tz_min),
        Collect::default(),
    );
    let mut data = Dataset::new();
    for (name, bytes) in files {
        sink.start_file(name);
        let mut r = Reader::new(FormatOptions::default());
        r.push(bytes, &mut sink).unwrap();
        r.finish(&mut sink).unwrap();
        data.read_bytes(name, bytes, FormatOptions::default())
            .unwrap();
    }
    let opts = SummaryOptions {
        tz_offset_min: tz_min,
        ..SummaryOptions::default()
    };
    (sink.out, data.summary(&Filter::default(), &opts))
}

#[test]
fn rows_count_as_the_report_counts() {
    for name in [
        "vos3000_cdr_en.csv",
        "asterisk_Master.csv",
        "freeswitch_Master.csv",
        "kamailio_acc.csv",
        "cucm_cdr.csv",
    ] {
        let (rows, s) = both(&[(name, fixture(name))], 480);
        let attempts: Vec<_> = rows.rows.iter().filter(|r| r.0 == Duplicate::No).collect();
        assert_eq!(attempts.len() as u64, s.overall.attempts, "{name}");
        assert_eq!(rows.rejects as u64, s.rows.rejected, "{name}");
        let mut outcomes = BTreeMap::new();
        for r in &attempts {
            *outcomes.entry(r.1.as_str().to_string()).or_insert(0u64) += 1;
        }
        let want: BTreeMap<_, _> = s
            .by_outcome
            .iter()
            .map(|o| (o.name.clone(), o.count))
            .collect();
        assert_eq!(outcomes, want, "{name}");
        let mut dest = BTreeMap::new();
        for r in &attempts {
            *dest.entry(r.2.clone()).or_insert(0u64) += 1;
        }
        let want: BTreeMap<_, _> = s
            .by_destination
            .iter()
            .map(|g| (g.name.clone(), g.kpis.attempts))
            .collect();
        assert_eq!(dest, want, "{name}");
    }
}

/// The same file twice: every call of the second copy is a call of an earlier file; a file
/// with a row written twice has one repeated row.
#[test]
fn duplicates_are_flagged_as_the_report_counts_them() {
    let bytes = fixture("vos3000_cdr_en.csv");
    let (rows, s) = both(&[("a.csv", bytes.clone()), ("b.csv", bytes.clone())], 0);
    let earlier = rows
        .rows
        .iter()
        .filter(|r| r.0 == Duplicate::EarlierFile)
        .count() as u64;
    assert_eq!(earlier, 2000);
    assert_eq!(earlier, s.rows.duplicates);
    let text = String::from_utf8(bytes).unwrap();
    let second = text.lines().nth(1).unwrap();
    let twice = format!("{text}{second}\n").into_bytes();
    let (rows, s) = both(&[("c.csv", twice)], 0);
    let repeated: Vec<_> = rows
        .rows
        .iter()
        .filter(|r| r.0 == Duplicate::RepeatedRow)
        .collect();
    assert_eq!(repeated.len(), 1);
    assert_eq!(s.rows.duplicates, 1);
    assert_eq!(s.overall.attempts, 2000);
}

/// Local wall-clock times become UTC with the time zone; UTC instants stay as they are.
#[test]
fn local_times_become_utc() {
    let (utc, _) = both(&[("v.csv", fixture("vos3000_cdr_en.csv"))], 480);
    let (utc0, _) = both(&[("v.csv", fixture("vos3000_cdr_en.csv"))], 0);
    assert_eq!(
        utc.rows[0].4, utc0.rows[0].4,
        "VOS3000 epoch ms are UTC already"
    );
    let (local, _) = both(&[("a.csv", fixture("asterisk_Master.csv"))], 480);
    let (local0, _) = both(&[("a.csv", fixture("asterisk_Master.csv"))], 0);
    assert_eq!(
        local.rows[0].4.unwrap() + 480 * 60_000,
        local0.rows[0].4.unwrap(),
        "a wall clock at UTC+8 is 8 hours earlier in UTC"
    );
}

#[test]
fn csv_lines_are_neutralised_and_quoted() {
    let row = NormalizedRow {
        source_file: "x.csv",
        source_line: 3,
        format: "generic",
        start_ms: Some(1_741_536_123_749),
        caller: "=HYPERLINK(\"evil\")",
        callee: "+8613800138000",
        destination: "86",
        destination_name: "China",
        destination_name_es: "China",
        code: "-9",
        egress_gateway: "GW, A",
        sip_class: "2xx",
        fee: Some(cdrscope::money::Money(1_500_000)),
        ..NormalizedRow::default()
    };
    let mut line = String::new();
    row.to_csv_row(&mut line);
    let cells: Vec<&str> = line.trim_end().split(',').collect();
    assert_eq!(cells[0], "x.csv");
    assert_eq!(cells[3], "2025-03-09 16:02:03.749");
    assert!(line.contains("\"'=HYPERLINK(\"\"evil\"\")\""), "{line}");
    assert!(
        line.contains(",+8613800138000,"),
        "a number keeps its sign, as the page's CSV keeps it: {line}"
    );
    assert!(line.contains(",-9,"), "numbers keep their sign: {line}");
    assert!(line.contains("\"GW, A\""), "{line}");
    assert!(line.contains(",1.500000,"), "{line}");
    assert_eq!(
        csv_header().split(',').count(),
        line.split(',').count() - 1,
        "one comma inside a quoted cell"
    );
}
