//! The error of a report in which every row was rejected: exit 2 with the top reasons, not a
//! summary of zero calls that looks like a result.

use cdrscope::display::visible;
use cdrscope::summary::{top_reject_reasons, Summary};

/// How many distinct reasons the error lists.
const REASONS_SHOWN: usize = 5;

/// The error message when rows were read and every one of them was rejected; `None` otherwise.
pub fn all_rejected_error(s: &Summary) -> Option<String> {
    if s.rows.accepted > 0 || s.rows.rejected == 0 {
        return None;
    }
    let mut msg = format!(
        "all {} rows were rejected, no call was read; top reasons:",
        s.rows.rejected
    );
    for r in top_reject_reasons(&s.rejects, REASONS_SHOWN) {
        msg.push_str(&format!(
            "\n  {} × {} (first at {}:{}: {})",
            r.count,
            visible(&r.kind),
            visible(&r.file),
            r.line,
            visible(&r.reason)
        ));
    }
    msg.push_str(
        "\nchoose another --format, or map the columns with --mapping (cdrscope mapping suggest FILE)",
    );
    Some(msg)
}
