//! CSV writing for exports, with spreadsheet formula injection neutralised: a cell starting
//! with `=`, `+`, `-`, `@` (or their full-width forms), tab or carriage return gets a leading
//! `'` ([`crate::display::csv_cell`]).

/// One CSV cell: neutralised, then quoted when it holds a delimiter, quote or line break.
pub fn cell(value: &str) -> String {
    crate::display::csv_cell(value)
}

/// Whether a cell is a plain number (numbers keep their sign: `-9` is a VOS3000 end reason).
fn is_number(v: &str) -> bool {
    !v.is_empty() && v.parse::<f64>().is_ok()
}

/// One CSV line (CRLF-free, `\n`-terminated); numeric cells are written as they are.
pub fn row(cells: &[String]) -> String {
    let mut out = cells
        .iter()
        .map(|c| if is_number(c) { c.clone() } else { cell(c) })
        .collect::<Vec<_>>()
        .join(",");
    out.push('\n');
    out
}
