//! Work done once while the page waits for a file, so the first summary shown during a load
//! does not pay for it: V8 compiles wasm functions on their first call, and the summary's JSON
//! reader is large (20–50 ms of compiling inside the first progress update otherwise).

use crate::summary::{
    Bucket, CodeCount, FileInfo, GroupKpis, NamedCount, Summary, TimePoint, TimeRange, Timeline,
};

/// Reads a summary with one entry in every list, and drops it.
pub fn warm_up() {
    let group = GroupKpis {
        codes: vec![CodeCount::default()],
        top_failure: Some(CodeCount::default()),
        ..GroupKpis::default()
    };
    let s = Summary {
        files: vec![FileInfo::default()],
        time_range: Some(TimeRange::default()),
        by_egress_gateway: vec![group.clone()],
        by_ingress_gateway: vec![group.clone()],
        by_destination: vec![group.clone()],
        by_gateway_destination: vec![group.clone()],
        by_hour: vec![group],
        timeline: Timeline {
            points: vec![TimePoint::default()],
            ..Timeline::default()
        },
        by_code: vec![CodeCount::default()],
        by_end_direction: vec![NamedCount::default()],
        by_outcome: vec![NamedCount::default()],
        pdd_histogram: vec![Bucket::default()],
        duration_histogram: vec![Bucket::default()],
        ..Summary::default()
    };
    if let Ok(text) = serde_json::to_string(&s) {
        let _ = serde_json::from_str::<Summary>(&text);
        let _ = js_sys::JSON::parse(&text);
    }
}
