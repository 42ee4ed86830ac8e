//! A starter column mapping guessed from a file's header names and first values, shared by
//! `cdrscope mapping suggest` and the page's mapping editor.

use super::generic::{ColumnMapping, ColumnRef, DateOrder};
use super::norm_header;
use super::values::parse_time_ms;

/// Header names (normalized) that name each field, best first.
const NAMES: [(&str, &[&str]); 13] = [
    (
        "start",
        &[
            "starttime",
            "start",
            "calldate",
            "calltime",
            "startstamp",
            "initiationtime",
            "datecreated",
            "date",
            "datetime",
            "callstart",
            "setuptime",
            "time",
            "timestamp",
        ],
    ),
    (
        "answer",
        &[
            "answertime",
            "answer",
            "answerstamp",
            "answeredat",
            "connecttime",
        ],
    ),
    (
        "end",
        &[
            "endtime",
            "end",
            "endstamp",
            "hanguptime",
            "disconnecttime",
            "stoptime",
        ],
    ),
    (
        "duration",
        &[
            "billsec",
            "talktime",
            "talking",
            "secs",
            "seconds",
            "billduration",
            "conversationtime",
            "holdtime",
            "duration",
            "callduration",
            "talkduration",
        ],
    ),
    (
        "caller",
        &[
            "src",
            "from",
            "caller",
            "callerid",
            "callernumber",
            "callingnumber",
            "fromnumber",
            "ani",
            "source",
            "origin",
            "calling",
        ],
    ),
    (
        "callee",
        &[
            "dst",
            "dest",
            "destination",
            "to",
            "callee",
            "called",
            "callednumber",
            "tonumber",
            "dnis",
            "dialed",
            "dialednumber",
            "number",
        ],
    ),
    (
        "ingress",
        &["ingress", "customer", "client", "ingressgateway"],
    ),
    (
        "egress",
        &[
            "egress",
            "trunk",
            "gateway",
            "vendor",
            "carrier",
            "provider",
            "egressgateway",
            "route",
        ],
    ),
    ("account", &["account", "accountcode", "accountid"]),
    (
        "call_id",
        &["callid", "uniqueid", "sid", "callsid", "uuid", "calluuid"],
    ),
    (
        "code",
        &[
            "disposition",
            "status",
            "callstatus",
            "sipcode",
            "sipstatus",
            "hangupcause",
            "cause",
            "releasecause",
            "endreason",
            "result",
            "reason",
            "code",
        ],
    ),
    ("fee", &["price", "fee", "charge", "amount", "totalamount"]),
    ("cost", &["cost", "vendorcost"]),
];

/// A starter mapping for a sample (its first record a header): each field's column by its
/// header name, the code system from the code values, the date order from the start values.
pub fn suggest_mapping(sample: &[Vec<String>]) -> ColumnMapping {
    let mut m = ColumnMapping::default();
    let Some(header) = sample.first() else {
        return m;
    };
    let norm: Vec<String> = header.iter().map(|h| norm_header(h)).collect();
    let mut taken = vec![false; header.len()];
    let mut found = |names: &[&str]| -> Option<usize> {
        let i = names
            .iter()
            .find_map(|n| (0..norm.len()).find(|&i| !taken[i] && norm[i] == *n))?;
        taken[i] = true;
        Some(i)
    };
    let mut cols: Vec<(&str, usize)> = Vec::new();
    for (field, names) in NAMES {
        if let Some(i) = found(names) {
            cols.push((field, i));
        }
    }
    let name = |i: usize| Some(ColumnRef::Name(header[i].trim().to_string()));
    let values = |i: usize| -> Vec<&str> {
        sample[1..]
            .iter()
            .filter_map(|r| r.get(i).map(|v| v.trim()))
            .filter(|v| !v.is_empty())
            .collect()
    };
    for &(field, i) in &cols {
        let slot = match field {
            "start" => &mut m.start,
            "answer" => &mut m.answer,
            "end" => &mut m.end,
            "duration" => &mut m.duration,
            "caller" => &mut m.caller,
            "callee" => &mut m.callee,
            "ingress" => &mut m.ingress,
            "egress" => &mut m.egress,
            "account" => &mut m.account,
            "call_id" => &mut m.call_id,
            "code" => &mut m.code,
            "fee" => &mut m.fee,
            _ => &mut m.cost,
        };
        *slot = name(i);
        if field == "code" {
            m.code_system = Some(code_system(&values(i)).to_string());
        }
        if field == "start" {
            m.date_order = date_order(&values(i));
        }
    }
    m
}

/// The key under which the page remembers a mapping for files with this header: the header
/// names as the generic mapping compares them (case, spaces and punctuation aside), in order.
pub fn header_key(header: &[String]) -> String {
    let names: Vec<String> = header.iter().map(|h| norm_header(h)).collect();
    format!("cdrscope.mapping.{}", names.join(","))
}

/// The code system its values suggest: SIP statuses, Q.850 causes, else status words.
fn code_system(values: &[&str]) -> &'static str {
    let numbers: Vec<i64> = values.iter().filter_map(|v| v.parse().ok()).collect();
    if values.is_empty() || numbers.len() < values.len() {
        "text"
    } else if numbers.iter().all(|n| (100..700).contains(n)) {
        "sip"
    } else {
        "q850"
    }
}

/// The date order start values suggest: year first when they read so, else day first when a
/// first number is above 12, else month first when a second is.
fn date_order(values: &[&str]) -> DateOrder {
    if values.is_empty() || values.iter().all(|v| parse_time_ms(v).is_some()) {
        return DateOrder::Ymd;
    }
    let firsts = |pos: usize| {
        values.iter().any(|v| {
            v.split(['/', '-', '.', ' '])
                .nth(pos)
                .and_then(|n| n.parse::<u32>().ok())
                .is_some_and(|n| (13..=31).contains(&n))
        })
    };
    if firsts(0) {
        DateOrder::Dmy
    } else if firsts(1) {
        DateOrder::Mdy
    } else {
        DateOrder::Dmy
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(r: &[&[&str]]) -> Vec<Vec<String>> {
        r.iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect()
    }

    #[test]
    fn guesses_obvious_headers_and_the_code_system() {
        let m = suggest_mapping(&rows(&[
            &["Start", "Dest", "Secs", "Disposition"],
            &["24/03/2025 10:00:00", "34911", "0:42", "ANSWERED"],
        ]));
        assert_eq!(m.start, Some(ColumnRef::Name("Start".into())));
        assert_eq!(m.callee, Some(ColumnRef::Name("Dest".into())));
        assert_eq!(m.duration, Some(ColumnRef::Name("Secs".into())));
        assert_eq!(m.code, Some(ColumnRef::Name("Disposition".into())));
        assert_eq!(m.code_system.as_deref(), Some("text"));
        assert_eq!(m.date_order, DateOrder::Dmy);
    }

    #[test]
    fn the_same_header_written_differently_has_one_key() {
        let a = header_key(&rows(&[&["Start Time", "Dest", "Secs"]])[0]);
        let b = header_key(&rows(&[&["start_time", " DEST", "secs"]])[0]);
        assert_eq!(a, "cdrscope.mapping.starttime,dest,secs");
        assert_eq!(a, b);
        assert_ne!(a, header_key(&rows(&[&["Dest", "Start Time", "Secs"]])[0]));
    }
}
