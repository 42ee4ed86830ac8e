//! The filtered calls as CSV, built in the worker from the stored calls (normalized columns,
//! with the file and line of the original row).

use crate::analysis::filter::{CompiledFilter, NONE_NAME};
use crate::analysis::{Dataset, Filter, SummaryOptions};
use crate::call::TimeBasis;
use crate::codes;
use crate::formats::values::format_ms;
use crate::web::csv::row;

/// At most this many calls are exported (a spreadsheet's row limit).
pub const MAX_CALLS: usize = 1_000_000;

/// Builds the CSV of the calls passing `filter`.
pub fn calls_csv(d: &Dataset, filter: &Filter, opts: &SummaryOptions) -> String {
    let store = d.store();
    let offset = match d.time_basis() {
        TimeBasis::Utc => i64::from(opts.tz_offset_min) * 60_000,
        TimeBasis::NaiveLocal => 0,
    };
    let cf = CompiledFilter::new(filter, store, offset);
    let files = d.files();
    let name = |id: u16| {
        let n = store.names.name(u32::from(id));
        if n.is_empty() {
            NONE_NAME.to_string()
        } else {
            n.to_string()
        }
    };
    let mut out = row(&[
        "file",
        "line",
        "time",
        "egress_gateway",
        "ingress_gateway",
        "destination",
        "code",
        "code_label",
        "answered",
        "talk_s",
        "pdd_ms",
        "end_direction",
        "outcome",
    ]
    .map(String::from));
    let matching = store
        .calls
        .iter()
        .enumerate()
        .filter(|(_, c)| cf.matches(c));
    for (i, c) in matching.take(MAX_CALLS) {
        let key = store.codes.get(c.code as usize);
        out.push_str(&row(&[
            files
                .get(store.file_of(i) as usize)
                .map(|f| f.name.clone())
                .unwrap_or_default(),
            { c.line }.to_string(),
            c.time().map(|t| format_ms(t + offset)).unwrap_or_default(),
            name(c.egress),
            name(c.ingress),
            store.prefixes.name(u32::from(c.prefix)).to_string(),
            key.map(|k| k.code.clone()).unwrap_or_default(),
            key.map(|k| codes::short_label(k.system, &k.code))
                .unwrap_or_default(),
            if c.answered() { "yes" } else { "no" }.to_string(),
            { c.hold_s }.to_string(),
            if c.pdd_ms > 0 {
                { c.pdd_ms }.to_string()
            } else {
                String::new()
            },
            c.end_direction()
                .map(|e| format!("{e:?}").to_lowercase())
                .unwrap_or_default(),
            format!("{:?}", c.outcome()).to_lowercase(),
        ]));
    }
    out
}
