//! Before and after: two summaries compared per egress gateway, customer (ingress gateway) and
//! destination, with the two-proportion test the change rules use: KPIs, failure-code shares and
//! outcome shares, where an egress gateway's traffic went (within the same destinations), sorted
//! by lost answered calls, and the significant changes in words (English and Spanish).

use crate::analysis::findings::stats::two_prop_z;
use crate::analysis::findings::text::{fill, pct};
use crate::analysis::{Dataset, Filter, SummaryOptions};
use crate::formats::values::format_ms;
use crate::outcome::Outcome;
use crate::summary::{GroupKpis, Summary};
use serde::Serialize;

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
    /// A destination's country (or own prefix's) name, English and Spanish (from the summary's
    /// groups); empty for the other groups.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// The same name in Spanish.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub label_es: String,
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

/// `v` reordered by `cmp`. Every sort here goes through this one instantiation (indices with a
/// comparator behind a reference): a sort per element type and closure costs the page's
/// single-file build several KB each.
fn sorted<T>(v: Vec<T>, cmp: &dyn Fn(&T, &T) -> std::cmp::Ordering) -> Vec<T> {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    sort_indices(&mut idx, &|a, b| cmp(&v[a], &v[b]));
    let mut slots: Vec<Option<T>> = v.into_iter().map(Some).collect();
    idx.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// Sorts indices by a comparator (not inlined, so every caller shares it).
#[inline(never)]
fn sort_indices(idx: &mut [usize], cmp: &dyn Fn(usize, usize) -> std::cmp::Ordering) {
    idx.sort_unstable_by(|&a, &b| cmp(a, b));
}

/// Compares `before` with `after` per egress gateway, ingress gateway and destination.
pub fn compare(before: &Summary, after: &Summary) -> Comparison {
    compare_since(before, after, None)
}

/// As [`compare`]; `since` (when after begins) opens every statement.
pub fn compare_since(before: &Summary, after: &Summary, since: Option<&str>) -> Comparison {
    let mut groups: Vec<GroupChange> = Vec::new();
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
    let groups = sorted(groups, &|x, y| {
        y.lost_answered
            .total_cmp(&x.lost_answered)
            .then_with(|| x.dimension.cmp(y.dimension))
            .then_with(|| x.name.cmp(&y.name))
    });
    let mut statements = Vec::new();
    for g in &groups {
        statements.extend(self::statements(g, since));
    }
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

/// Compares two data sets (two file sets: before and after) under `filter` less its time
/// window (the two sets cover different times), as `cdrscope compare BEFORE AFTER` does with
/// no filter. The findings are not computed.
pub fn compare_sets(
    before: &Dataset,
    after: &Dataset,
    filter: &Filter,
    opts: &SummaryOptions,
) -> Comparison {
    let opts = SummaryOptions {
        findings: false,
        ..opts.clone()
    };
    let filter = Filter {
        from_ms: None,
        to_ms: None,
        ..filter.clone()
    };
    compare(
        &before.summary(&filter, &opts),
        &after.summary(&filter, &opts),
    )
}

/// Attempts per (destination, gateway) of a summary's `gateway|prefix` groups, sorted.
fn pairs(s: &Summary) -> Vec<(&str, &str, u64)> {
    let v: Vec<(&str, &str, u64)> = s
        .by_gateway_destination
        .iter()
        .filter_map(|g| {
            // Destination keys hold no `|`; a gateway name may.
            let (gw, dest) = g.name.rsplit_once('|')?;
            Some((dest, gw, g.kpis.attempts))
        })
        .collect();
    sorted(v, &|x, y| x.cmp(y))
}

/// The attempts of `(dest, gw)` in sorted `pairs`. (Sorted vectors rather than maps: the page's
/// single-file build has no room for more map types.)
fn attempts_of(pairs: &[(&str, &str, u64)], dest: &str, gw: &str) -> u64 {
    pairs
        .binary_search_by(|p| (p.0, p.1).cmp(&(dest, gw)))
        .map_or(0, |i| pairs[i].2)
}

/// Where egress gateways' traffic went: per destination, a gateway whose share of the
/// destination's attempts fell is paired with one whose share rose by a comparable number of
/// attempts (half to twice as many), at after's volume, so windows of different lengths compare.
/// A move is stated when both gateways' shares of those destinations changed significantly and
/// at least [`MIN_MOVED`] attempts moved; the gainer taking the most is kept.
fn moves(before: &Summary, after: &Summary) -> Vec<(String, Move)> {
    let (pb, pa) = (pairs(before), pairs(after));
    // Destinations with their attempts before and after.
    let mut dests: Vec<(&str, u64, u64)> = Vec::new();
    for (side, v) in [(0, &pb), (1, &pa)] {
        for &(d, _, n) in v.iter() {
            let i = match dests.iter().position(|x| x.0 == d) {
                Some(i) => i,
                None => {
                    dests.push((d, 0, 0));
                    dests.len() - 1
                }
            };
            if side == 0 {
                dests[i].1 += n;
            } else {
                dests[i].2 += n;
            }
        }
    }
    // (loser, gainer, destination, moved attempts).
    let mut moved: Vec<(&str, &str, &str, f64)> = Vec::new();
    for &(d, tb, ta) in &dests {
        if tb == 0 || ta == 0 {
            continue;
        }
        let mut gws: Vec<&str> = pb
            .iter()
            .chain(pa.iter())
            .filter(|k| k.0 == d)
            .map(|k| k.1)
            .collect();
        gws.sort_unstable();
        gws.dedup();
        let delta = |g: &str| {
            let nb = attempts_of(&pb, d, g) as f64;
            let na = attempts_of(&pa, d, g) as f64;
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
                    moved.push((l, g, d, dg.min(-dl)));
                }
            }
        }
    }
    let moved = sorted(moved, &|x, y| (x.0, x.1).cmp(&(y.0, y.1)));
    // The share of `g` in destinations `ds`, before and after, as a z.
    let share_z = |g: &str, ds: &[(&str, f64)]| {
        let (mut xb, mut nb, mut xa, mut na) = (0, 0, 0, 0);
        for &(d, _) in ds {
            xb += attempts_of(&pb, d, g);
            xa += attempts_of(&pa, d, g);
            if let Some(t) = dests.iter().find(|x| x.0 == d) {
                nb += t.1;
                na += t.2;
            }
        }
        two_prop_z(xb, nb, xa, na)
    };
    let asr = |s: &Summary, g: &str| {
        s.by_egress_gateway
            .iter()
            .find(|k| k.name == g)
            .and_then(|k| k.kpis.asr)
    };
    let mut best: Vec<(String, Move)> = Vec::new();
    for run in moved.chunk_by(|x, y| (x.0, x.1) == (y.0, y.1)) {
        let (l, g) = (run[0].0, run[0].1);
        let ds: Vec<(&str, f64)> = run.iter().map(|m| (m.2, m.3)).collect();
        let total: f64 = ds.iter().map(|d| d.1).sum();
        if total < MIN_MOVED || share_z(l, &ds) > -Z_SIGNIFICANT || share_z(g, &ds) < Z_SIGNIFICANT
        {
            continue;
        }
        let ds = sorted(ds, &|x, y| y.1.total_cmp(&x.1).then_with(|| x.0.cmp(y.0)));
        let m = Move {
            to: g.to_string(),
            attempts: total.round() as u64,
            destinations: ds.iter().map(|d| d.0.to_string()).collect(),
            to_asr_before: asr(before, g),
            to_asr_after: asr(after, g),
        };
        match best.iter_mut().find(|b| b.0 == l) {
            Some(b) if m.attempts > b.1.attempts => b.1 = m,
            Some(_) => {}
            None => best.push((l.to_string(), m)),
        }
    }
    best
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
    let shares: Vec<ShareChange> = codes
        .into_iter()
        .map(|code| {
            let (xb, xa) = (count(b, &code), count(a, &code));
            share_change(code, (xb, &before), (xa, &after))
        })
        .collect();
    let outcome_count = |g: Option<&GroupKpis>, i: usize| g.map_or(0, |g| g.kpis.outcomes[i]);
    let outcomes: Vec<ShareChange> = Outcome::ALL
        .iter()
        .filter(|o| o.is_failure())
        .filter_map(|o| {
            let i = o.index();
            let (xb, xa) = (outcome_count(b, i), outcome_count(a, i));
            (xb + xa > 0).then(|| share_change(o.as_str().to_string(), (xb, &before), (xa, &after)))
        })
        .collect();
    let by_change = |x: &ShareChange, y: &ShareChange| {
        (y.after - y.before)
            .abs()
            .total_cmp(&(x.after - x.before).abs())
            .then_with(|| x.code.cmp(&y.code))
    };
    let shares = sorted(shares, &by_change);
    let outcomes = sorted(outcomes, &by_change);
    let label = |f: fn(&GroupKpis) -> &String| {
        a.or(b)
            .map(f)
            .filter(|l| *l != name)
            .cloned()
            .unwrap_or_default()
    };
    GroupChange {
        dimension,
        name: name.to_string(),
        label: label(|g| &g.label),
        label_es: label(|g| &g.label_es),
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

/// The sentences' templates, English and Spanish (filled by `findings::text::fill`: one code
/// path for every sentence keeps the page's single-file build small).
const T_ASR: [&str; 2] = [
    "ASR went from {b} to {a} ({nb} → {na} attempts; {lost} answered calls {word})",
    "el ASR pasó de {b} a {a} ({nb} → {na} intentos; {lost} llamadas contestadas {word})",
];
const T_SHARE: [&str; 2] = [
    "the {what} share went from {b} to {a} ({nb} → {na} calls)",
    "la proporción de {what} pasó de {b} a {a} ({nb} → {na} llamadas)",
];
const T_MOVE: [&str; 2] = [
    "its traffic moved to {to} (about {n} attempts to {dests}), whose ASR {asr}",
    "su tráfico pasó a {to} (unos {n} intentos a {dests}), cuyo ASR {asr}",
];
const T_ASR_FELL: [&str; 2] = ["fell from {b} to {a}", "bajó de {b} a {a}"];
const T_ASR_ROSE: [&str; 2] = ["rose from {b} to {a}", "subió de {b} a {a}"];
const T_ASR_SAME: [&str; 2] = ["stayed at {a}", "siguió en {a}"];
const T_LINE: [&str; 2] = ["{at}{dim} {name}: {text}", "{at}{dim} {name}: {text}"];

/// The significant changes of one group in words; `since` opens each.
fn statements(g: &GroupChange, since: Option<&str>) -> Vec<Statement> {
    let dims: [&str; 2] = match g.dimension {
        "egress" => ["gateway", "gateway"],
        "ingress" => ["customer", "cliente"],
        _ => ["destination", "destino"],
    };
    // Each sentence: its templates (English, Spanish) and words per language, and the
    // parameters both share.
    type Sentence = ([&'static str; 2], Vec<(&'static str, [String; 2])>);
    let mut out: Vec<Sentence> = Vec::new();
    let same = |v: String| [v.clone(), v];
    if g.asr_significant {
        let lost = g.lost_answered.round() as i64;
        out.push((
            T_ASR,
            vec![
                ("b", same(pct(g.before.asr.unwrap_or(0.0)))),
                ("a", same(pct(g.after.asr.unwrap_or(0.0)))),
                ("nb", same(g.before.attempts.to_string())),
                ("na", same(g.after.attempts.to_string())),
                ("lost", same(lost.abs().to_string())),
                (
                    "word",
                    if lost >= 0 {
                        ["lost".into(), "perdidas".into()]
                    } else {
                        ["gained".into(), "ganadas".into()]
                    },
                ),
            ],
        ));
    }
    let codes: Vec<&ShareChange> = g.codes.iter().filter(|c| c.significant).collect();
    // An outcome whose change one stated code change already accounts for (within a fifth, same
    // direction) would say the same thing twice: 408 → timeout.
    let covered = |o: &ShareChange| {
        let d = o.after_count as f64 - o.before_count as f64;
        codes.iter().any(|c| {
            let dc = c.after_count as f64 - c.before_count as f64;
            dc * d > 0.0 && (dc - d).abs() <= d.abs() / 5.0
        })
    };
    let outcomes = g.outcomes.iter().filter(|o| o.significant && !covered(o));
    let shares = codes
        .iter()
        .map(|c| (*c, same(c.code.clone())))
        .chain(outcomes.map(|o| {
            let (en, es) =
                Outcome::parse(&o.code).map_or(("other", "otros"), |x| OUTCOME_WORDS[x.index()]);
            (o, [en.to_string(), es.to_string()])
        }));
    for (c, what) in shares {
        out.push((
            T_SHARE,
            vec![
                ("what", what),
                ("b", same(pct(c.before))),
                ("a", same(pct(c.after))),
                ("nb", same(c.before_count.to_string())),
                ("na", same(c.after_count.to_string())),
            ],
        ));
    }
    let mut moved: Option<Sentence> = None;
    if let Some(m) = &g.moved_to {
        let mut dests = m
            .destinations
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if m.destinations.len() > 3 {
            dests.push_str(", …");
        }
        let asr_p = [
            ("b", pct(m.to_asr_before.unwrap_or(0.0))),
            ("a", pct(m.to_asr_after.unwrap_or(0.0))),
        ];
        let t = match m.to_asr_after.partial_cmp(&m.to_asr_before) {
            Some(std::cmp::Ordering::Less) => T_ASR_FELL,
            Some(std::cmp::Ordering::Greater) => T_ASR_ROSE,
            _ => T_ASR_SAME,
        };
        moved = Some((
            T_MOVE,
            vec![
                ("to", same(m.to.clone())),
                ("n", same(m.attempts.to_string())),
                ("dests", same(dests)),
                ("asr", [fill(t[0], &asr_p), fill(t[1], &asr_p)]),
            ],
        ));
    }
    let at = since.map_or([String::new(), String::new()], |t| {
        [format!("after {t}, "), format!("desde {t}, ")]
    });
    let render = |(t, p): &Sentence, lang: usize| {
        let p: Vec<(&str, String)> = p.iter().map(|(k, v)| (*k, v[lang].clone())).collect();
        fill(t[lang], &p)
    };
    let mut texts: Vec<[String; 2]> = out.iter().map(|x| [render(x, 0), render(x, 1)]).collect();
    if let Some(m) = &moved {
        let m = [render(m, 0), render(m, 1)];
        // The move completes the group's first statement, or stands alone.
        match texts.first_mut() {
            Some(first) => {
                for lang in 0..2 {
                    first[lang] = format!("{}; {}", first[lang], m[lang]);
                }
            }
            None => texts.push(m),
        }
    }
    texts
        .into_iter()
        .map(|text| {
            let line = |lang: usize| {
                fill(
                    T_LINE[lang],
                    &[
                        ("at", at[lang].clone()),
                        ("dim", dims[lang].to_string()),
                        ("name", g.name.clone()),
                        ("text", text[lang].clone()),
                    ],
                )
            };
            Statement {
                en: line(0),
                es: line(1),
            }
        })
        .collect()
}
