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
    // Reasons in order of how many of the listed rejects have them, each with its first row.
    let mut reasons: Vec<(&str, u64, &str, u64)> = Vec::new();
    for r in &s.rejects {
        match reasons.iter_mut().find(|(reason, ..)| *reason == r.reason) {
            Some(entry) => entry.1 += 1,
            None => reasons.push((&r.reason, 1, &r.file, r.line)),
        }
    }
    reasons.sort_by(|a, b| b.1.cmp(&a.1));
    let mut msg = format!(
        "all {} rows were rejected, no call was read; top reasons:",
        s.rows.rejected
    );
    for (reason, count, file, line) in reasons.iter().take(REASONS_SHOWN) {
        msg.push_str(&format!(
            "\n  {count} × {}:{line}: {}",
            visible(file),
            visible(reason)
        ));
    }
    msg.push_str(
        "\nchoose another --format, or map the columns with --mapping (cdrscope mapping suggest FILE)",
    );
    Some(msg)
}
