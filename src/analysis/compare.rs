//! Before and after: two summaries compared per egress gateway, customer (ingress gateway) and
//! destination, with the two-proportion test the change rules use: KPIs, failure-code shares and
//! outcome shares, where an egress gateway's traffic went (within the same destinations), sorted
//! by lost answered calls, and the significant changes in words (English and Spanish).

use crate::analysis::findings::stats::two_prop_z;
use crate::analysis::findings::text::pct;
use crate::analysis::{Dataset, Filter, SummaryOptions};
use crate::formats::values::format_ms;
use crate::outcome::Outcome;
use crate::summary::{GroupKpis, Summary};
use serde::Serialize;
use std::collections::BTreeMap;

/// The |z| from which a change counts as significant (as the change rules).
pub const Z_SIGNIFICANT: f64 = 5.0;
/// The smallest change of a share that is reported (percentage points / 100).
pub const MIN_SHARE_CHANGE: f64 = 0.03;
/// The fewest attempts a move of traffic between two gateways must carry to be stated.
pub const MIN_MOVED: f64 = 20.0;

/// Outcome names in English and Spanish, in [`Outcome::ALL`] order (the page's words).
const OUTCOME_WORDS: [(&str, &str); 12] = [
    ("answered", "contestadas"),
    ("busy", "ocupado"),
    ("no answer", "sin respuesta"),
    ("cancelled by caller", "canceladas por el llamante"),
    ("rejected", "rechazadas"),
    ("number error", "número erróneo"),
    ("no route", "sin ruta"),
    ("vendor unavailable", "proveedor no disponible"),
    ("timeout", "tiempo agotado"),
    ("media / codec", "medios / códec"),
    ("auth / account", "autenticación / cuenta"),
    ("other", "otros"),
];

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

/// One code's (or outcome's) share of a group's attempts before and after.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShareChange {
    /// The code as printed; in [`GroupChange::outcomes`], the outcome's machine name.
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
    /// Each failure code's share, largest change first.
    pub codes: Vec<ShareChange>,
    /// Each failure outcome's share, largest change first.
    pub outcomes: Vec<ShareChange>,
    /// For an egress gateway that lost its share of some destinations: the gateway that took
    /// most of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_to: Option<Move>,
}

/// Traffic one egress gateway lost and another gained within the same destinations.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Move {
    /// The gateway that gained.
    pub to: String,
    /// Attempts moved, counted at after's volume.
    pub attempts: u64,
    /// The destinations where it moved, most moved first.
    pub destinations: Vec<String>,
    /// The gaining gateway's ASR before.
    pub to_asr_before: Option<f64>,
    /// The gaining gateway's ASR after.
    pub to_asr_after: Option<f64>,
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
    /// When after begins, for a comparison of two windows of one load (`YYYY-MM-DD HH:MM`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// Every group in either, most lost answered calls first.
    pub groups: Vec<GroupChange>,
    /// The significant changes in words, in the order of `groups`.
    pub statements: Vec<Statement>,
}

/// Compares `before` with `after` per egress gateway, ingress gateway and destination.
pub fn compare(before: &Summary, after: &Summary) -> Comparison {
    compare_since(before, after, None)
}

/// As [`compare`]; `since` (when after begins) opens every statement.
pub fn compare_since(before: &Summary, after: &Summary, since: Option<&str>) -> Comparison {
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
    for (from, m) in moves(before, after) {
        if let Some(g) = groups
            .iter_mut()
            .find(|g| g.dimension == "egress" && g.name == from)
        {
            g.moved_to = Some(m);
        }
    }
    groups.sort_by(|x, y| {
        y.lost_answered
            .total_cmp(&x.lost_answered)
            .then_with(|| x.dimension.cmp(y.dimension))
            .then_with(|| x.name.cmp(&y.name))
    });
    let statements = groups.iter().flat_map(|g| statements(g, since)).collect();
    Comparison {
        since: since.map(str::to_string),
        groups,
        statements,
    }
}

/// Compares two windows of one data set under `filter`: before = its calls earlier than
/// `split_ms` (local ms, as the filter's times), after = its calls from then on. The findings are
/// not computed (the comparison reads groups only).
pub fn compare_at(
    data: &Dataset,
    filter: &Filter,
    opts: &SummaryOptions,
    split_ms: i64,
) -> Comparison {
    let opts = SummaryOptions {
        findings: false,
        ..opts.clone()
    };
    // The window never widens the user's own time filter.
    let before = Filter {
        to_ms: Some(filter.to_ms.map_or(split_ms, |t| t.min(split_ms))),
        ..filter.clone()
    };
    let after = Filter {
        from_ms: Some(filter.from_ms.map_or(split_ms, |f| f.max(split_ms))),
        ..filter.clone()
    };
    let since = format_ms(split_ms);
    let since = since.strip_suffix(":00").unwrap_or(&since);
    compare_since(
        &data.summary(&before, &opts),
        &data.summary(&after, &opts),
        Some(since),
    )
}

/// Attempts per (gateway, destination) of a summary's `gateway|prefix` groups.
fn pairs(s: &Summary) -> BTreeMap<(&str, &str), u64> {
    s.by_gateway_destination
        .iter()
        .filter_map(|g| {
            // Destination keys hold no `|`; a gateway name may.
            let (gw, dest) = g.name.rsplit_once('|')?;
            Some(((gw, dest), g.kpis.attempts))
        })
        .collect()
}

/// Where egress gateways' traffic went: per destination, a gateway whose share of the
/// destination's attempts fell is paired with one whose share rose by a comparable number of
/// attempts (half to twice as many), at after's volume, so windows of different lengths compare.
/// A move is stated when both gateways' shares of those destinations changed significantly and
/// at least [`MIN_MOVED`] attempts moved; the gainer taking the most is kept.
fn moves(before: &Summary, after: &Summary) -> Vec<(String, Move)> {
    let (pb, pa) = (pairs(before), pairs(after));
    let mut dests: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for (&(_, d), &n) in &pb {
        dests.entry(d).or_default().0 += n;
    }
    for (&(_, d), &n) in &pa {
        dests.entry(d).or_default().1 += n;
    }
    // (loser, gainer) → moved attempts per destination.
    let mut moved: BTreeMap<(&str, &str), Vec<(&str, f64)>> = BTreeMap::new();
    for (&d, &(tb, ta)) in &dests {
        if tb == 0 || ta == 0 {
            continue;
        }
        let mut gws: Vec<&str> = pb
            .keys()
            .chain(pa.keys())
            .filter(|k| k.1 == d)
            .map(|k| k.0)
            .collect();
        gws.sort_unstable();
        gws.dedup();
        let delta = |g: &str| {
            let nb = pb.get(&(g, d)).copied().unwrap_or(0) as f64;
            let na = pa.get(&(g, d)).copied().unwrap_or(0) as f64;
            (na / ta as f64 - nb / tb as f64) * ta as f64
        };
        for &l in &gws {
            let dl = delta(l);
            if dl >= 0.0 {
                continue;
            }
            for &g in &gws {
                let dg = delta(g);
                if dg > 0.0 && dg >= -dl / 2.0 && dg <= -dl * 2.0 {
                    moved.entry((l, g)).or_default().push((d, dg.min(-dl)));
                }
            }
        }
    }
    // The share of `g` in destinations `ds`, before and after, as a z.
    let share_z = |g: &str, ds: &[(&str, f64)]| {
        let (mut xb, mut nb, mut xa, mut na) = (0, 0, 0, 0);
        for &(d, _) in ds {
            xb += pb.get(&(g, d)).copied().unwrap_or(0);
            xa += pa.get(&(g, d)).copied().unwrap_or(0);
            nb += dests[d].0;
            na += dests[d].1;
        }
        two_prop_z(xb, nb, xa, na)
    };
    let asr = |s: &Summary, g: &str| {
        s.by_egress_gateway
            .iter()
            .find(|k| k.name == g)
            .and_then(|k| k.kpis.asr)
    };
    let mut best: BTreeMap<&str, Move> = BTreeMap::new();
    for ((l, g), mut ds) in moved {
        let total: f64 = ds.iter().map(|d| d.1).sum();
        if total < MIN_MOVED || share_z(l, &ds) > -Z_SIGNIFICANT || share_z(g, &ds) < Z_SIGNIFICANT
        {
            continue;
        }
        ds.sort_by(|x, y| y.1.total_cmp(&x.1).then_with(|| x.0.cmp(y.0)));
        let m = Move {
            to: g.to_string(),
            attempts: total.round() as u64,
            destinations: ds.iter().map(|d| d.0.to_string()).collect(),
            to_asr_before: asr(before, g),
            to_asr_after: asr(after, g),
        };
        if best.get(l).is_none_or(|b| m.attempts > b.attempts) {
            best.insert(l, m);
        }
    }
    best.into_iter().map(|(l, m)| (l.to_string(), m)).collect()
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
            share_change(code, (xb, &before), (xa, &after))
        })
        .collect();
    let outcome_count = |g: Option<&GroupKpis>, i: usize| g.map_or(0, |g| g.kpis.outcomes[i]);
    let mut outcomes: Vec<ShareChange> = Outcome::ALL
        .iter()
        .filter(|o| o.is_failure())
        .filter_map(|o| {
            let i = o.index();
            let (xb, xa) = (outcome_count(b, i), outcome_count(a, i));
            (xb + xa > 0).then(|| share_change(o.as_str().to_string(), (xb, &before), (xa, &after)))
        })
        .collect();
    for v in [&mut shares, &mut outcomes] {
        v.sort_by(|x, y| {
            (y.after - y.before)
                .abs()
                .total_cmp(&(x.after - x.before).abs())
                .then_with(|| x.code.cmp(&y.code))
        });
    }
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
        outcomes,
        moved_to: None,
    }
}

/// The change of one share: `x` calls of a side's attempts.
fn share_change(code: String, (xb, b): (u64, &Side), (xa, a): (u64, &Side)) -> ShareChange {
    let share = |x: u64, n: u64| if n == 0 { 0.0 } else { x as f64 / n as f64 };
    let (sb, sa) = (share(xb, b.attempts), share(xa, a.attempts));
    let z = two_prop_z(xb, b.attempts, xa, a.attempts);
    ShareChange {
        significant: z.abs() >= Z_SIGNIFICANT && (sa - sb).abs() >= MIN_SHARE_CHANGE,
        code,
        before_count: xb,
        before: sb,
        after_count: xa,
        after: sa,
        z,
    }
}

/// The significant changes of one group in words; `since` opens each.
fn statements(g: &GroupChange, since: Option<&str>) -> Vec<Statement> {
    let (en_dim, es_dim) = match g.dimension {
        "egress" => ("gateway", "gateway"),
        "ingress" => ("customer", "cliente"),
        _ => ("destination", "destino"),
    };
    let (en_at, es_at) = since.map_or((String::new(), String::new()), |t| {
        (format!("after {t}, "), format!("desde {t}, "))
    });
    let mut out: Vec<(String, String)> = Vec::new();
    if g.asr_significant {
        let (b, a) = (
            pct(g.before.asr.unwrap_or(0.0)),
            pct(g.after.asr.unwrap_or(0.0)),
        );
        let lost = g.lost_answered.round() as i64;
        out.push((
            format!(
                "ASR went from {b} to {a} ({} → {} attempts; {} answered calls {})",
                g.before.attempts,
                g.after.attempts,
                lost.abs(),
                if lost >= 0 { "lost" } else { "gained" }
            ),
            format!(
                "el ASR pasó de {b} a {a} ({} → {} intentos; {} llamadas contestadas {})",
                g.before.attempts,
                g.after.attempts,
                lost.abs(),
                if lost >= 0 { "perdidas" } else { "ganadas" }
            ),
        ));
    }
    let codes: Vec<&ShareChange> = g.codes.iter().filter(|c| c.significant).collect();
    for c in &codes {
        let (b, a) = (pct(c.before), pct(c.after));
        out.push((
            format!(
                "the {} share went from {b} to {a} ({} → {} calls)",
                c.code, c.before_count, c.after_count
            ),
            format!(
                "la proporción de {} pasó de {b} a {a} ({} → {} llamadas)",
                c.code, c.before_count, c.after_count
            ),
        ));
    }
    // An outcome whose change one stated code change already accounts for (within a fifth, same
    // direction) would say the same thing twice: 408 → timeout.
    let covered = |o: &ShareChange| {
        let d = o.after_count as f64 - o.before_count as f64;
        codes.iter().any(|c| {
            let dc = c.after_count as f64 - c.before_count as f64;
            dc * d > 0.0 && (dc - d).abs() <= d.abs() / 5.0
        })
    };
    for o in g.outcomes.iter().filter(|o| o.significant && !covered(o)) {
        let (en, es) =
            Outcome::parse(&o.code).map_or(("other", "otros"), |x| OUTCOME_WORDS[x.index()]);
        let (b, a) = (pct(o.before), pct(o.after));
        out.push((
            format!(
                "the {en} share went from {b} to {a} ({} → {} calls)",
                o.before_count, o.after_count
            ),
            format!(
                "la proporción de {es} pasó de {b} a {a} ({} → {} llamadas)",
                o.before_count, o.after_count
            ),
        ));
    }
    if let Some(m) = &g.moved_to {
        let dests = m
            .destinations
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        let more = if m.destinations.len() > 3 {
            ", …"
        } else {
            ""
        };
        let (b, a) = (
            pct(m.to_asr_before.unwrap_or(0.0)),
            pct(m.to_asr_after.unwrap_or(0.0)),
        );
        let (en_asr, es_asr) = match m.to_asr_after.partial_cmp(&m.to_asr_before) {
            Some(std::cmp::Ordering::Less) => (
                format!("fell from {b} to {a}"),
                format!("bajó de {b} a {a}"),
            ),
            Some(std::cmp::Ordering::Greater) => (
                format!("rose from {b} to {a}"),
                format!("subió de {b} a {a}"),
            ),
            _ => (format!("stayed at {a}"), format!("siguió en {a}")),
        };
        let en = format!(
            "its traffic moved to {} (about {} attempts to {dests}{more}), whose ASR {en_asr}",
            m.to, m.attempts
        );
        let es = format!(
            "su tráfico pasó a {} (unos {} intentos a {dests}{more}), cuyo ASR {es_asr}",
            m.to, m.attempts
        );
        // The move completes the group's first statement, or stands alone.
        match out.first_mut() {
            Some(first) => {
                first.0 = format!("{}; {en}", first.0);
                first.1 = format!("{}; {es}", first.1);
            }
            None => out.push((en, es)),
        }
    }
    out.into_iter()
        .map(|(en, es)| Statement {
            en: format!("{en_at}{en_dim} {}: {en}", g.name),
            es: format!("{es_at}{es_dim} {}: {es}", g.name),
        })
        .collect()
}
