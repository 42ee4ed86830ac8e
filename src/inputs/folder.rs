//! A folder of exports (a month of hourly files, with sub-folders): which of its files are
//! read and in what order, the same for the CLI and for a folder dropped on the page.
//!
//! Paths are relative, `/`-separated (`march/day01/h00.csv`). The order is by path component
//! (a folder's files before those of a folder whose name extends it: `a/x` before `a.b/x`), so
//! the data set, and which copy of a duplicated call is kept, never depend on the order the
//! system listed the files in.

use std::cmp::Ordering;

/// Files that are never CDR exports: anything hidden (a name starting with `.`, such as
/// `.DS_Store` or an editor's swap file, or inside a hidden folder), macOS resource forks under
/// `__MACOSX/`, and Windows' `Thumbs.db` and `desktop.ini`.
///
/// ```
/// use cdrscope::inputs::folder::is_clutter;
/// assert!(is_clutter("march/.DS_Store"));
/// assert!(is_clutter(".git/HEAD"));
/// assert!(is_clutter("march/Thumbs.db"));
/// assert!(!is_clutter("march/day01/e_cdr_2025031000.csv.gz"));
/// ```
pub fn is_clutter(path: &str) -> bool {
    let mut parts = path.split(['/', '\\']).filter(|p| !p.is_empty()).peekable();
    while let Some(p) = parts.next() {
        if p.starts_with('.') || p == "__MACOSX" {
            return true;
        }
        if parts.peek().is_none()
            && (p.eq_ignore_ascii_case("thumbs.db") || p.eq_ignore_ascii_case("desktop.ini"))
        {
            return true;
        }
    }
    false
}

/// Compares two relative paths component by component.
pub fn compare_paths(a: &str, b: &str) -> Ordering {
    a.split('/').cmp(b.split('/'))
}

/// Splits the files of a folder into those to read, in reading order, and the skipped ones
/// (clutter, see [`is_clutter`]), in path order. `path` gives an item's relative path.
///
/// ```
/// use cdrscope::inputs::folder::select;
/// let found = vec!["m/b.csv", "m/.DS_Store", "m/a/h1.csv", "m.old/x.csv", "m/a.csv"];
/// let (read, skipped) = select(found, |p| p.to_string());
/// assert_eq!(read, ["m/a/h1.csv", "m/a.csv", "m/b.csv", "m.old/x.csv"]);
/// assert_eq!(skipped, ["m/.DS_Store"]);
/// ```
pub fn select<T>(items: Vec<T>, path: impl Fn(&T) -> String) -> (Vec<T>, Vec<T>) {
    let mut keyed: Vec<(String, T)> = items.into_iter().map(|t| (path(&t), t)).collect();
    keyed.sort_by(|(a, _), (b, _)| compare_paths(a, b));
    let (skip, read): (Vec<_>, Vec<_>) = keyed.into_iter().partition(|(p, _)| is_clutter(p));
    (
        read.into_iter().map(|(_, t)| t).collect(),
        skip.into_iter().map(|(_, t)| t).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clutter_is_hidden_or_system_files_only() {
        for p in [
            ".DS_Store",
            "m/.DS_Store",
            "m/._h01.csv",
            "m/.hidden/h01.csv",
            "__MACOSX/m/h01.csv",
            "m/THUMBS.DB",
            "m\\desktop.ini",
        ] {
            assert!(is_clutter(p), "{p}");
        }
        for p in [
            "h01.csv",
            "m/day 1/h01.csv",
            "m/thumbs.db.csv",
            "m/cdr.2025.csv",
        ] {
            assert!(!is_clutter(p), "{p}");
        }
    }

    #[test]
    fn orders_by_component() {
        let mut v = vec!["a.b/x", "a/y", "a/b/z", "A/x", "a/b.csv"];
        v.sort_by(|a, b| compare_paths(a, b));
        assert_eq!(v, ["A/x", "a/b/z", "a/b.csv", "a/y", "a.b/x"]);
    }
}
