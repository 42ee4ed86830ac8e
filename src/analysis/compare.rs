//! Before and after: two summaries compared per egress gateway, customer (ingress gateway) and
//! destination, with the two-proportion test the change rules use, sorted by lost answered
//! calls, and the significant changes in words (English and Spanish).

use crate::analysis::findings::stats::two_prop_z;
use crate::analysis::findings::text::pct;
use crate::summary::{GroupKpis, Summary};
use serde::Serialize;

/// The |z| from which a change counts as significant (as the change rules).
pub const Z_SIGNIFICANT: f64 = 5.0;
/// The smallest change of a share that is reported (percentage points / 100).
pub const MIN_SHARE_CHANGE: f64 = 0.03;

/// One side's figures of a group.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Side {
    /// Attempts.
    pub attempts: u64,
    /// Answered calls.
    pub answered: u64,
    /// ASR, 0..1.
    pub asr: Option<f64>,
    /// ACD, s.
    pub acd_s: Option<f64>,
    /// Mean PDD, ms.
    pub pdd_avg_ms: Option<f64>,
    /// NER, 0..1.
    pub ner: Option<f64>,
}

/// One code's share of a group's attempts before and after.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShareChange {
    /// The code as printed.
    pub code: String,
    /// Calls before.
    pub before_count: u64,
    /// Share before, 0..1.
    pub before: f64,
    /// Calls after.
    pub after_count: u64,
    /// Share after, 0..1.
    pub after: f64,
    /// The two-proportion z (positive: the share rose).
    pub z: f64,
    /// Whether |z| ≥ [`Z_SIGNIFICANT`] and the share moved by at least [`MIN_SHARE_CHANGE`].
    pub significant: bool,
}

/// One group before and after.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupChange {
    /// `egress`, `ingress` or `destination`.
    pub dimension: &'static str,
    /// The group's name.
    pub name: String,
    /// Before.
    pub before: Side,
    /// After.
    pub after: Side,
    /// The two-proportion z of the ASR (negative: it fell).
    pub asr_z: f64,
    /// Whether the ASR change is significant.
    pub asr_significant: bool,
    /// Answered calls lost: after's attempts × (ASR before − ASR after); negative for gains.
    pub lost_answered: f64,
    /// Each code's share, largest change first.
    pub codes: Vec<ShareChange>,
}

/// A significant change in words.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Statement {
    /// English.
    pub en: String,
    /// Spanish.
    pub es: String,
}

/// The comparison of two summaries.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Comparison {
    /// Every group in either, most lost answered calls first.
    pub groups: Vec<GroupChange>,
    /// The significant changes in words, in the order of `groups`.
    pub statements: Vec<Statement>,
}

/// Compares `before` with `after` per egress gateway, ingress gateway and destination.
pub fn compare(before: &Summary, after: &Summary) -> Comparison {
    let mut groups = Vec::new();
    for (dimension, b, a) in [
        (
            "egress",
            &before.by_egress_gateway,
            &after.by_egress_gateway,
        ),
        (
            "ingress",
            &before.by_ingress_gateway,
            &after.by_ingress_gateway,
        ),
        ("destination", &before.by_destination, &after.by_destination),
    ] {
        let mut names: Vec<&str> = b.iter().chain(a.iter()).map(|g| g.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            let gb = b.iter().find(|g| g.name == name);
            let ga = a.iter().find(|g| g.name == name);
            groups.push(group(dimension, name, gb, ga));
        }
    }
    groups.sort_by(|x, y| {
        y.lost_answered
            .total_cmp(&x.lost_answered)
            .then_with(|| x.dimension.cmp(y.dimension))
            .then_with(|| x.name.cmp(&y.name))
    });
    let statements = groups.iter().flat_map(statements).collect();
    Comparison { groups, statements }
}

/// One side's figures.
fn side(g: Option<&GroupKpis>) -> Side {
    g.map(|g| Side {
        attempts: g.kpis.attempts,
        answered: g.kpis.answered,
        asr: g.kpis.asr,
        acd_s: g.kpis.acd_s,
        pdd_avg_ms: g.kpis.pdd_avg_ms,
        ner: g.kpis.ner,
    })
    .unwrap_or_default()
}

/// One group's change.
fn group(
    dimension: &'static str,
    name: &str,
    b: Option<&GroupKpis>,
    a: Option<&GroupKpis>,
) -> GroupChange {
    let (before, after) = (side(b), side(a));
    let asr_z = two_prop_z(
        before.answered,
        before.attempts,
        after.answered,
        after.attempts,
    );
    let rate = |s: &Side| {
        if s.attempts == 0 {
            0.0
        } else {
            s.answered as f64 / s.attempts as f64
        }
    };
    let lost_answered = if before.attempts == 0 || after.attempts == 0 {
        0.0
    } else {
        after.attempts as f64 * (rate(&before) - rate(&after))
    };
    let count = |g: Option<&GroupKpis>, code: &str| {
        g.and_then(|g| g.codes.iter().find(|c| c.code == code))
            .map_or(0, |c| c.count)
    };
    let mut codes: Vec<String> = b
        .iter()
        .chain(a.iter())
        .flat_map(|g| {
            g.codes
                .iter()
                .filter(|c| !c.answered)
                .map(|c| c.code.clone())
        })
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let mut shares: Vec<ShareChange> = codes
        .into_iter()
        .map(|code| {
            let (xb, xa) = (count(b, &code), count(a, &code));
            let share = |x: u64, n: u64| if n == 0 { 0.0 } else { x as f64 / n as f64 };
            let (sb, sa) = (share(xb, before.attempts), share(xa, after.attempts));
            let z = two_prop_z(xb, before.attempts, xa, after.attempts);
            ShareChange {
                significant: z.abs() >= Z_SIGNIFICANT && (sa - sb).abs() >= MIN_SHARE_CHANGE,
                code,
                before_count: xb,
                before: sb,
                after_count: xa,
                after: sa,
                z,
            }
        })
        .collect();
    shares.sort_by(|x, y| {
        (y.after - y.before)
            .abs()
            .total_cmp(&(x.after - x.before).abs())
            .then_with(|| x.code.cmp(&y.code))
    });
    GroupChange {
        dimension,
        name: name.to_string(),
        asr_significant: asr_z.abs() >= Z_SIGNIFICANT
            && (rate(&after) - rate(&before)).abs() >= MIN_SHARE_CHANGE,
        before,
        after,
        asr_z,
        lost_answered: (lost_answered * 10.0).round() / 10.0,
        codes: shares,
    }
}

/// The significant changes of one group in words.
fn statements(g: &GroupChange) -> Vec<Statement> {
    let (en_dim, es_dim) = match g.dimension {
        "egress" => ("gateway", "gateway"),
        "ingress" => ("customer", "cliente"),
        _ => ("destination", "destino"),
    };
    let mut out = Vec::new();
    if g.asr_significant {
        let (b, a) = (
            pct(g.before.asr.unwrap_or(0.0)),
            pct(g.after.asr.unwrap_or(0.0)),
        );
        let lost = g.lost_answered.round() as i64;
        out.push(Statement {
            en: format!(
                "{en_dim} {}: ASR went from {b} to {a} ({} → {} attempts; {} answered calls {})",
                g.name,
                g.before.attempts,
                g.after.attempts,
                lost.abs(),
                if lost >= 0 { "lost" } else { "gained" }
            ),
            es: format!(
                "{es_dim} {}: el ASR pasó de {b} a {a} ({} → {} intentos; {} llamadas contestadas {})",
                g.name,
                g.before.attempts,
                g.after.attempts,
                lost.abs(),
                if lost >= 0 { "perdidas" } else { "ganadas" }
            ),
        });
    }
    for c in g.codes.iter().filter(|c| c.significant) {
        let (b, a) = (pct(c.before), pct(c.after));
        out.push(Statement {
            en: format!(
                "{en_dim} {}: the {} share went from {b} to {a} ({} → {} calls)",
                g.name, c.code, c.before_count, c.after_count
            ),
            es: format!(
                "{es_dim} {}: la proporción de {} pasó de {b} a {a} ({} → {} llamadas)",
                g.name, c.code, c.before_count, c.after_count
            ),
        });
    }
    out
}
