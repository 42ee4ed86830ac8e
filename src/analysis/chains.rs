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
    // One sort of compact keys (pair, start, index): cache-friendly on millions of calls.
    let mut keys: Vec<u128> = Vec::new();
    for (i, c) in calls.iter_mut().enumerate() {
        c.set_chain(ChainInfo(0));
        if c.pair == empty {
            continue;
        }
        let Some(start) = start_ms(c) else { continue };
        let rel = u64::try_from(start.saturating_sub(t0)).unwrap_or(0);
        keys.push((u128::from(c.pair) << 96) | (u128::from(rel) << 32) | (i as u128 & 0xffff_ffff));
    }
    keys.sort_unstable();
    let pair_of = |k: u128| (k >> 96) as u32;
    let start_of = |k: u128| ((k >> 32) & u128::from(u64::MAX)) as i64;
    let index_of = |k: u128| (k & 0xffff_ffff) as usize;
    let mut s = 0;
    while s < keys.len() {
        let mut e = s + 1;
        while e < keys.len()
            && pair_of(keys[e]) == pair_of(keys[s])
            && start_of(keys[e]) - start_of(keys[e - 1]) <= CHAIN_GAP_MS
            && !calls[index_of(keys[e - 1])].answered()
        {
            e += 1;
        }
        let len = e - s;
        if len >= 2 {
            for (pos, &k) in keys[s..e].iter().enumerate() {
                calls[index_of(k)].set_chain(ChainInfo::new(len, pos));
            }
        }
        s = e;
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
