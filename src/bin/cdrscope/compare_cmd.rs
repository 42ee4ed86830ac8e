//! `cdrscope compare BEFORE AFTER`: the two summaries' per-group changes as a table, and the
//! significant ones in words.

use cdrscope::analysis::compare::{Comparison, GroupChange};
use cdrscope::analysis::concurrency::Load;
use cdrscope::display::visible;

/// A share (0..1) as `41.0%`, or `-`.
fn pct(v: Option<f64>) -> String {
    v.map_or("-".into(), |x| format!("{:.1}%", x * 100.0))
}

/// A number with `d` decimals, or `-`.
fn num(v: Option<f64>, d: usize) -> String {
    v.map_or("-".into(), |x| format!("{x:.d$}"))
}

/// The comparison as text: statements first, then the table (groups with attempts on either
/// side, most lost answered calls first, at most 40).
pub fn render(c: &Comparison) -> String {
    let mut o = String::new();
    let mut line = |t: String| {
        o.push_str(&visible(&t));
        o.push('\n');
    };
    if c.statements.is_empty() {
        line("no significant change (two-proportion test, |z| ≥ 5 and ≥ 3 points)".into());
    } else {
        line("significant changes:".into());
        for s in &c.statements {
            line(format!("  {}", s.en));
        }
    }
    line(String::new());
    line(format!(
        "{:<11} {:<20} {:>15} {:>17} {:>13} {:>15} {:>15} {:>6} {:>6}",
        "group", "name", "attempts", "ASR", "ACD s", "PDD ms", "NER", "z", "lost"
    ));
    for g in c.groups.iter().take(40) {
        line(row(g));
    }
    o
}

/// One table row.
fn row(g: &GroupChange) -> String {
    let (b, a) = (&g.before, &g.after);
    format!(
        "{:<11} {:<20} {:>15} {:>17} {:>13} {:>15} {:>15} {:>6.1} {:>6.0}{}",
        g.dimension,
        g.name,
        format!("{} → {}", b.attempts, a.attempts),
        format!("{} → {}", pct(b.asr), pct(a.asr)),
        format!("{} → {}", num(b.acd_s, 0), num(a.acd_s, 0)),
        format!("{} → {}", num(b.pdd_avg_ms, 0), num(a.pdd_avg_ms, 0)),
        format!("{} → {}", pct(b.ner), pct(a.ner)),
        g.asr_z,
        g.lost_answered,
        if g.asr_significant { " *" } else { "" }
    )
}

/// Concurrency and CPS lines for `report`.
pub fn load_lines(l: &Load) -> Vec<String> {
    let o = &l.overall;
    let mut v = vec![format!(
        "concurrent calls: peak {} p95 {}  attempts/s: peak {} p95 {}",
        o.peak_concurrent, o.p95_concurrent, o.peak_cps, o.p95_cps
    )];
    for (title, groups) in [
        ("egress", &l.by_egress_gateway),
        ("ingress", &l.by_ingress_gateway),
    ] {
        for g in groups.iter().take(10) {
            v.push(format!(
                "  {title} {:<24} concurrent peak {:>5} p95 {:>5}  attempts/s peak {:>4} p95 {:>4}",
                g.name, g.peak_concurrent, g.p95_concurrent, g.peak_cps, g.p95_cps
            ));
        }
    }
    v
}
