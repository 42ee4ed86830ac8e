//! The error of a report in which every row was rejected: exit 2 with the top reasons, not a
//! summary of zero calls that looks like a result.

use cdrscope::display::visible;
use cdrscope::summary::Summary;

/// How many distinct reasons the error lists.
const REASONS_SHOWN: usize = 5;

/// The error message when rows were read and every one of them was rejected; `None` otherwise.
pub fn all_rejected_error(s: &Summary) -> Option<String> {
    if s.rows.accepted > 0 || s.rows.rejected == 0 {
        return None;
    }
    // Reasons (without the value they quote) in order of how many of the listed rejects have
    // them, each with its first row.
    let mut reasons: Vec<(&str, u64, &str, u64, &str)> = Vec::new();
    for r in &s.rejects {
        let kind = r.reason.split(": \"").next().unwrap_or(&r.reason);
        match reasons.iter_mut().find(|(k, ..)| *k == kind) {
            Some(entry) => entry.1 += 1,
            None => reasons.push((kind, 1, &r.file, r.line, &r.reason)),
        }
    }
    reasons.sort_by_key(|r| std::cmp::Reverse(r.1));
    let mut msg = format!(
        "all {} rows were rejected, no call was read; top reasons:",
        s.rows.rejected
    );
    for (kind, count, file, line, reason) in reasons.iter().take(REASONS_SHOWN) {
        msg.push_str(&format!(
            "\n  {count} × {} (first at {}:{line}: {})",
            visible(kind),
            visible(file),
            visible(reason)
        ));
    }
    msg.push_str(
        "\nchoose another --format, or map the columns with --mapping (cdrscope mapping suggest FILE)",
    );
    Some(msg)
}
