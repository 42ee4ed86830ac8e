//! The drill-down's sort over every matching call, not only the page on screen: an operator who
//! sorts by talk time wants the longest calls of the gateway, not the longest of fifty.
//!
//! Every column the store keeps sorts here (time, gateways, destination, outcome, code, talk,
//! PDD, fee); caller, callee and Call-ID are not in the store (see [`super::call_view`]) and sort
//! within the page on screen.

use crate::analysis::filter::NONE_NAME;
use crate::analysis::store::{CallStore, Interner};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// A column the whole set of matching calls can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    /// End (or start) time.
    Time,
    /// Ingress gateway, by name.
    Ingress,
    /// Egress gateway, by name.
    Egress,
    /// Destination prefix, as text.
    Destination,
    /// Outcome, by machine name.
    Outcome,
    /// Final code: numbers in numeric order first, then names.
    Code,
    /// Talk time.
    Talk,
    /// Post-dial delay.
    Pdd,
    /// Fee charged.
    Fee,
}

/// How the drill-down is sorted: a column and a direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowSort {
    /// The column.
    pub key: SortKey,
    /// Largest first.
    #[serde(default)]
    pub descending: bool,
}

/// Each id's place among the interner's names in text order (`(none)` for the empty name).
fn ranks(names: &Interner) -> Vec<u32> {
    let shown = |id: u32| {
        let n = names.name(id);
        if n.is_empty() {
            NONE_NAME
        } else {
            n
        }
    };
    let mut ids: Vec<u32> = (0..names.len() as u32).collect();
    ids.sort_by(|&a, &b| shown(a).cmp(shown(b)));
    let mut rank = vec![0u32; ids.len()];
    for (r, &id) in ids.iter().enumerate() {
        rank[id as usize] = r as u32;
    }
    rank
}

/// Sorts `calls` (store indices) by `sort`; calls without a value (no time, PDD or fee) come
/// last either way round, and equal values keep the file's order.
pub fn sort_calls(store: &CallStore, calls: &mut [u32], sort: RowSort) {
    let key = keyer(store, sort.key);
    calls.sort_by(|&a, &b| {
        let o = match (key(a as usize), key(b as usize)) {
            (Some(x), Some(y)) if sort.descending => y.cmp(&x),
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        o.then(a.cmp(&b))
    });
}

/// The sort value of call `i` for `key`, as one integer.
fn keyer(store: &CallStore, key: SortKey) -> Box<dyn Fn(usize) -> Option<i64> + '_> {
    let calls = &store.calls;
    match key {
        SortKey::Time => Box::new(move |i| calls[i].time()),
        SortKey::Talk => Box::new(move |i| Some(i64::from(calls[i].hold_s))),
        SortKey::Pdd => Box::new(move |i| {
            let p = calls[i].pdd_ms;
            (p > 0).then_some(i64::from(p))
        }),
        SortKey::Fee => Box::new(move |i| store.money_of(i).and_then(|(fee, _)| fee).map(|m| m.0)),
        SortKey::Egress | SortKey::Ingress => {
            let rank = ranks(&store.names);
            Box::new(move |i| {
                let c = &calls[i];
                let id = if key == SortKey::Egress {
                    c.egress
                } else {
                    c.ingress
                };
                Some(i64::from(
                    rank.get(usize::from(id)).copied().unwrap_or(u32::MAX),
                ))
            })
        }
        SortKey::Destination => {
            let rank = ranks(&store.prefixes);
            Box::new(move |i| {
                let id = usize::from(calls[i].prefix);
                Some(i64::from(rank.get(id).copied().unwrap_or(u32::MAX)))
            })
        }
        SortKey::Outcome => {
            let mut names: Vec<(&str, usize)> = crate::outcome::Outcome::ALL
                .iter()
                .enumerate()
                .map(|(i, o)| (o.as_str(), i))
                .collect();
            names.sort();
            let mut rank = [0i64; 16];
            for (r, &(_, i)) in names.iter().enumerate() {
                rank[i] = r as i64;
            }
            Box::new(move |i| Some(rank[calls[i].outcome().index()]))
        }
        SortKey::Code => {
            // Numbers first in numeric order, then names in text order.
            let mut named: Vec<(usize, &str)> = store
                .codes
                .iter()
                .enumerate()
                .filter(|(_, k)| k.code.parse::<i64>().is_err())
                .map(|(i, k)| (i, k.code.as_str()))
                .collect();
            named.sort_by(|a, b| a.1.cmp(b.1));
            let mut value: Vec<i64> = store
                .codes
                .iter()
                .map(|k| k.code.parse::<i64>().unwrap_or(0))
                .collect();
            for (r, &(i, _)) in named.iter().enumerate() {
                value[i] = (1 << 40) + r as i64;
            }
            Box::new(move |i| {
                let id = usize::from(store.display_code(&calls[i]));
                value.get(id).copied()
            })
        }
    }
}
