//! Native baseline for the cdrscope benchmark: the plain `csv` crate (one reused `ByteRecord`, no
//! per-field allocation) computing only the benchmark aggregate, so that `cdrscope report` has an
//! honest "what a straightforward Rust program does" reference on the same file.
//!
//! Usage: `cdr-baseline FILE.csv` prints
//! `{"rows":N,"gw":{"<calleegatewayid>":[attempts,answered,hold_sum]},"er":{"<endreason>":count}}`.

use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;

/// Integer value of a decimal field such as `-69` or `17`; a fraction is cut off and junk ends it.
fn int_field(field: &[u8]) -> i64 {
    let (negative, digits) = match field.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, field),
    };
    let mut value: i64 = 0;
    for &b in digits {
        if !b.is_ascii_digit() {
            break;
        }
        value = value * 10 + i64::from(b - b'0');
    }
    if negative {
        -value
    } else {
        value
    }
}

/// A JSON string literal for a gateway name (names are bytes; invalid UTF-8 is replaced).
fn json_string(bytes: &[u8]) -> String {
    let mut out = String::from("\"");
    for c in String::from_utf8_lossy(bytes).chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn run(path: &str) -> Result<String, String> {
    let mut reader = csv::ReaderBuilder::new()
        .buffer_capacity(1 << 20)
        .from_path(path)
        .map_err(|e| format!("{path}: {e}"))?;
    let header = reader.byte_headers().map_err(|e| e.to_string())?.clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name.as_bytes())
            .ok_or_else(|| format!("{path}: no column {name}"))
    };
    let (gw_col, hold_col, reason_col) = (
        column("calleegatewayid")?,
        column("holdtime")?,
        column("endreason")?,
    );

    let mut by_gateway: HashMap<Vec<u8>, [i64; 3]> = HashMap::new();
    let mut by_reason: HashMap<i64, u64> = HashMap::new();
    let mut record = csv::ByteRecord::new();
    let mut rows: u64 = 0;
    while reader
        .read_byte_record(&mut record)
        .map_err(|e| e.to_string())?
    {
        rows += 1;
        let hold = int_field(record.get(hold_col).unwrap_or_default());
        let gateway = record.get(gw_col).unwrap_or_default();
        // Look up by slice first so the common case (a known gateway) allocates nothing.
        let acc = match by_gateway.get_mut(gateway) {
            Some(acc) => acc,
            None => by_gateway.entry(gateway.to_vec()).or_insert([0; 3]),
        };
        acc[0] += 1;
        acc[1] += i64::from(hold > 0);
        acc[2] += hold;
        *by_reason
            .entry(int_field(record.get(reason_col).unwrap_or_default()))
            .or_insert(0) += 1;
    }

    let mut gateways: Vec<_> = by_gateway.into_iter().collect();
    gateways.sort();
    let mut reasons: Vec<_> = by_reason.into_iter().collect();
    reasons.sort();
    let gw: Vec<String> = gateways
        .iter()
        .map(|(k, v)| format!("{}:[{},{},{}]", json_string(k), v[0], v[1], v[2]))
        .collect();
    let er: Vec<String> = reasons
        .iter()
        .map(|(k, v)| format!("\"{k}\":{v}"))
        .collect();
    Ok(format!(
        "{{\"rows\":{rows},\"gw\":{{{}}},\"er\":{{{}}}}}\n",
        gw.join(","),
        er.join(",")
    ))
}

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: cdr-baseline FILE.csv");
        return ExitCode::from(2);
    };
    match run(&path) {
        Ok(json) => {
            let _ = std::io::stdout().write_all(json.as_bytes());
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("cdr-baseline: {msg}");
            ExitCode::from(2)
        }
    }
}
