//! Failover chains: attempts for the same caller and callee a few seconds apart, found once over
//! every stored call when a file is finished, and kept as a byte per call ([`ChainInfo`]) so
//! filters and findings read them without sorting again.
//!
//! A chain links the next attempt of a caller+callee pair when it starts within
//! [`CHAIN_GAP_MS`] of the previous attempt's start and the previous attempt was not answered
//! (failed attempts end when they start; nothing follows an answered call).

use crate::analysis::store::{CallStore, ChainInfo};

/// Longest gap between the start of one attempt and the start of the next of the same call.
pub const CHAIN_GAP_MS: i64 = 30_000;

/// The pair hash of an empty caller and callee: such rows cannot be linked.
fn empty_pair() -> u32 {
    // FNV-1a of the single separator byte 0: the offset basis times the prime.
    0x811c_9dc5u32.wrapping_mul(0x0100_0193)
}

/// Marks every call of `store` with its place in its failover chain (calls alone get 0).
pub fn mark(store: &mut CallStore) {
    let empty = empty_pair();
    let calls = &mut store.calls;
    let start_ms = |c: &crate::analysis::store::StoredCall| -> Option<i64> {
        let end = c.time()?;
        Some(if c.answered() {
            end.saturating_sub(i64::from(c.hold_s) * 1000)
        } else {
            end
        })
    };
    let t0 = calls.iter().filter_map(start_ms).min().unwrap_or(0);
    // One sort of 8-byte keys (pair, index): half the memory of (pair, start, index) keys, and
    // cheaper to compare in wasm (no 128-bit arithmetic). A pair's calls then sit together in
    // file order; the few calls of one pair are put in (start, index) order afterwards, which
    // gives the order a sort by (pair, start, index) gives.
    let mut keys: Vec<u64> = Vec::new();
    for (i, c) in calls.iter_mut().enumerate() {
        c.set_chain(ChainInfo(0));
        if c.pair == empty || start_ms(c).is_none() {
            continue;
        }
        keys.push((u64::from(c.pair) << 32) | (i as u64 & 0xffff_ffff));
    }
    keys.sort_unstable();
    let pair_of = |k: u64| (k >> 32) as u32;
    let index_of = |k: u64| (k & 0xffff_ffff) as usize;
    // One pair's calls: (start relative to the earliest, index).
    let mut run: Vec<(u64, usize)> = Vec::new();
    let mut p = 0;
    while p < keys.len() {
        let mut q = p + 1;
        while q < keys.len() && pair_of(keys[q]) == pair_of(keys[p]) {
            q += 1;
        }
        if q - p >= 2 {
            run.clear();
            run.extend(keys[p..q].iter().map(|&k| {
                let i = index_of(k);
                let start = calls.get(i).and_then(start_ms).unwrap_or(t0);
                (u64::try_from(start.saturating_sub(t0)).unwrap_or(0), i)
            }));
            // Indices are distinct, so the order is total and an unstable sort is exact.
            run.sort_unstable();
            let mut s = 0;
            while s < run.len() {
                let mut e = s + 1;
                while e < run.len()
                    && run[e].0.saturating_sub(run[e - 1].0) <= CHAIN_GAP_MS as u64
                    && !calls[run[e - 1].1].answered()
                {
                    e += 1;
                }
                let len = e - s;
                if len >= 2 {
                    for (pos, &(_, i)) in run[s..e].iter().enumerate() {
                        calls[i].set_chain(ChainInfo::new(len, pos));
                    }
                }
                s = e;
            }
        }
        p = q;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::Call;

    fn call<'a>(caller: &'a str, callee: &'a str, t_s: i64, answered: bool) -> Call<'a> {
        Call {
            caller,
            callee,
            end_ms: Some(t_s * 1000),
            answered,
            ..Call::default()
        }
    }

    /// The chains of the sort by (pair, index) then (start, index) per pair are those of one
    /// sort by (pair, start, index), the way they were found before.
    #[test]
    fn chains_equal_those_of_one_sort_by_pair_start_index() {
        let callers = ["1", "2", "3", ""];
        let mut s = CallStore::new();
        let mut x: u32 = 11;
        for i in 0..3000i64 {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            // Times out of file order, some far apart, some equal.
            let t = 1_000 + i / 3 + i64::from((x >> 8) % 40) - i64::from((x >> 20) % 3) * 100;
            let mut c = call(
                callers[(x >> 4) as usize % 4],
                "5",
                t,
                (x >> 12).is_multiple_of(4),
            );
            c.hold_s = (x >> 14) % 50;
            if (x >> 24).is_multiple_of(17) {
                c.end_ms = None;
            }
            s.push(&c);
        }
        mark(&mut s);
        let got: Vec<u8> = s.calls.iter().map(|c| c.chain().0).collect();
        // The old way: one sort of (pair, start, index).
        let calls = &s.calls;
        let start = |c: &crate::analysis::store::StoredCall| {
            let end = c.time()?;
            Some(if c.answered() {
                end - i64::from(c.hold_s) * 1000
            } else {
                end
            })
        };
        let mut keys: Vec<(u32, i64, usize)> = calls
            .iter()
            .enumerate()
            .filter(|(_, c)| c.pair != empty_pair())
            .filter_map(|(i, c)| Some((c.pair, start(c)?, i)))
            .collect();
        keys.sort_unstable();
        let mut want = vec![0u8; calls.len()];
        let mut a = 0;
        while a < keys.len() {
            let mut e = a + 1;
            while e < keys.len()
                && keys[e].0 == keys[a].0
                && keys[e].1 - keys[e - 1].1 <= CHAIN_GAP_MS
                && !calls[keys[e - 1].2].answered()
            {
                e += 1;
            }
            for (pos, k) in keys[a..e].iter().enumerate() {
                want[k.2] = ChainInfo::new(e - a, pos).0;
            }
            a = e;
        }
        assert_eq!(got, want);
        assert!(got.iter().filter(|&&b| b != 0).count() > 500);
    }

    #[test]
    fn links_attempts_seconds_apart_until_an_answer() {
        let mut s = CallStore::new();
        for c in [
            call("1", "2", 1_000, false),
            call("1", "2", 1_010, false),
            call("9", "8", 1_015, false),
            call("1", "2", 1_020, true),
            // After an answer, a new chain (alone here).
            call("1", "2", 1_030, false),
            // Two minutes later: a redial, not a failover.
            call("9", "8", 1_135, false),
            // Empty numbers never link.
            call("", "", 1_000, false),
            call("", "", 1_001, false),
        ] {
            s.push(&c);
        }
        mark(&mut s);
        let got: Vec<(u8, bool, bool)> = s
            .calls
            .iter()
            .map(|c| (c.chain().len(), c.chain().first(), c.chain().retried()))
            .collect();
        assert_eq!(
            got,
            [
                (3, true, true),
                (3, false, true),
                (1, false, false),
                (3, false, false),
                (1, false, false),
                (1, false, false),
                (1, false, false),
                (1, false, false),
            ]
        );
    }
}
