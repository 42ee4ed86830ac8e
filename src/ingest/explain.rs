//! What a file that no format fits looks like, said in the error: a mysqldump, a log file, a
//! header without rows, so the user learns what the file is and what to do instead.

/// How many header names the errors quote.
const NAMES_SHOWN: usize = 8;

/// The error for a text file no format recognises, when its shape says what it is instead.
pub fn unrecognised_text(text: &str, sample: &[Vec<String>]) -> Option<String> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(50)
        .collect();
    let first = *lines.first()?;
    if first.starts_with("-- MySQL dump")
        || first.starts_with("-- MariaDB dump")
        || lines
            .iter()
            .any(|l| l.starts_with("INSERT INTO ") || l.starts_with("CREATE TABLE "))
    {
        return Some(
            "this is a mysqldump SQL file, not a CDR export: export the table as CSV with `mysql -B` (e.g. `mysql -B -e 'SELECT * FROM cdr' asteriskcdrdb > cdr.tsv`) and read that"
                .into(),
        );
    }
    let bracketed = lines.iter().filter(|l| l.starts_with('[')).count();
    if bracketed * 2 > lines.len() {
        return Some(format!(
            "this is a log file whose lines begin with `[` (the first: {:?}), not CDRs: export the call records themselves, or map the columns by hand",
            shorten(first)
        ));
    }
    if let [header] = sample {
        if header.len() >= 2 && header.iter().all(|c| !c.trim().is_empty() && !is_number(c)) {
            return Some(format!(
                "this file holds a header only ({}) and no data row that could be read",
                names(header)
            ));
        }
    }
    None
}

/// A forced format's error with what the file looks like instead, when detection finds
/// another format in it.
pub fn forced_format_error(
    error: String,
    sample: &[Vec<String>],
    options: &crate::formats::FormatOptions,
) -> String {
    let Some(forced) = options.format else {
        return error;
    };
    let free = crate::formats::FormatOptions {
        format: None,
        mapping: None,
        ..options.clone()
    };
    match crate::formats::detect(sample, &free) {
        Ok(d) if d.format != forced => format!(
            "{error}; the file looks like {} ({}): read it without --format {}",
            d.format.name(),
            d.reason,
            forced.id()
        ),
        _ => error,
    }
}

/// The error for JSON records no format recognises, when their keys are those of a log.
pub fn unrecognised_json(header: &[String]) -> Option<String> {
    const LOG_KEYS: [&str; 10] = [
        "level",
        "msg",
        "message",
        "severity",
        "logger",
        "log",
        "time",
        "timestamp",
        "ts",
        "@timestamp",
    ];
    let logs = header
        .iter()
        .filter(|h| LOG_KEYS.contains(&h.trim().to_ascii_lowercase().as_str()))
        .count();
    (logs >= 2).then(|| {
        format!(
            "this is a log file with JSON lines (keys {}), not CDRs: export the call records themselves, or map the columns by hand",
            names(header)
        )
    })
}

/// The first header names, comma-separated.
fn names(header: &[String]) -> String {
    let mut s: Vec<&str> = header.iter().map(|h| h.trim()).take(NAMES_SHOWN).collect();
    if header.len() > NAMES_SHOWN {
        s.push("…");
    }
    s.join(", ")
}

/// A line cut to 60 characters.
fn shorten(line: &str) -> String {
    line.chars().take(60).collect()
}

/// Whether a field is a number (a data row, not a header).
fn is_number(v: &str) -> bool {
    let v = v.trim();
    !v.is_empty() && v.parse::<f64>().is_ok()
}
