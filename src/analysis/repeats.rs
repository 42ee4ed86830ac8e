//! Rows repeated within one file: a row written twice is one call, counted once.
//!
//! Some exports write part of their rows twice (a public FreeSWITCH `Master.csv` repeats 303 of
//! its 711 rows, same uuid, same bytes), which halves ASR. A repeat is a row identical to an
//! earlier row of the same file in its length and in every field cdrscope reads (call id,
//! times, numbers, gateways, codes, talk time, PDD, money): in practice a byte-identical row.
//! A row with the same call id but other values is a different record and is kept.
//!
//! Only a 64-bit fingerprint per row is kept, in an open-addressing table that lives while its
//! file is read (about 11 bytes a row, freed when the file ends).

use crate::call::{Call, RawCode};

/// The fingerprints of the rows of the file being read.
#[derive(Clone, Debug, Default)]
pub struct RepeatedRows {
    /// Fingerprints, 0 for an empty slot (a fingerprint of 0 is stored as 1).
    slots: Vec<u64>,
    /// Fingerprints stored.
    len: usize,
    /// Repeats found in the file being read.
    current: u64,
    /// Repeats found in every file.
    total: u64,
}

impl RepeatedRows {
    /// Whether `call` repeats an earlier row of the same file (it is remembered otherwise).
    pub fn is_repeat(&mut self, call: &Call<'_>) -> bool {
        self.is_repeat_fingerprint(fingerprint(call))
    }

    /// Whether the row with fingerprint `fp` repeats an earlier row (it is remembered
    /// otherwise); parts of a file read elsewhere hand their fingerprints on this way.
    pub fn is_repeat_fingerprint(&mut self, fp: u64) -> bool {
        let fp = fp.max(1);
        if (self.len + 1) * 10 > self.slots.len() * 7 {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = (fp as usize) & mask;
        loop {
            match self.slots[i] {
                0 => {
                    self.slots[i] = fp;
                    self.len += 1;
                    return false;
                }
                s if s == fp => {
                    self.current += 1;
                    self.total += 1;
                    return true;
                }
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Makes room for about `rows` more rows at once (no doubling copies on a large file).
    pub fn reserve(&mut self, rows: usize) {
        let want = ((self.len + rows) * 10 / 7 + 1).next_power_of_two();
        if want > self.slots.len() {
            self.rehash(want);
        }
    }

    fn grow(&mut self) {
        let want = (self.slots.len() * 2).max(1024);
        self.rehash(want);
    }

    fn rehash(&mut self, size: usize) {
        let old = std::mem::replace(&mut self.slots, vec![0; size]);
        let mask = size - 1;
        for fp in old.into_iter().filter(|&f| f != 0) {
            let mut i = (fp as usize) & mask;
            while self.slots[i] != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = fp;
        }
    }

    /// Returns how many rows of the file just read were repeats, and starts counting afresh.
    pub fn take_current(&mut self) -> u64 {
        std::mem::take(&mut self.current)
    }

    /// Forgets the rows seen (repeats are within one file): when a new file starts, or when no
    /// later part of the file will be absorbed.
    pub fn forget_rows(&mut self) {
        self.slots = Vec::new();
        self.len = 0;
    }

    /// Repeats found in the file being read so far.
    pub fn current(&self) -> u64 {
        self.current
    }

    /// Repeats found in every file so far.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Adds repeats found by a part of the current file read elsewhere.
    pub fn add(&mut self, n: u64) {
        self.current += n;
        self.total += n;
    }
}

/// A 64-bit fingerprint of everything cdrscope reads from a row, and its length.
pub fn fingerprint(c: &Call<'_>) -> u64 {
    let mut h = Fp::new(u64::from(c.len));
    h.text(c.call_id);
    h.word(c.start_ms.map_or(u64::MAX, |t| t as u64));
    h.word(c.answer_ms.map_or(u64::MAX - 1, |t| t as u64));
    h.word(c.end_ms.map_or(u64::MAX - 2, |t| t as u64));
    h.word(u64::from(c.hold_s) | u64::from(c.answered) << 32);
    h.word(c.billed_s.map_or(u64::MAX, u64::from));
    h.word(c.pdd_ms.map_or(u64::MAX, u64::from));
    h.text(c.caller);
    h.text(c.callee);
    h.text(c.ingress);
    h.text(c.egress);
    h.text(c.account);
    h.text(c.caller_ip);
    h.text(c.callee_ip);
    match c.code {
        RawCode::None => h.word(0),
        RawCode::Num(n) => h.word(1 | (n as u32 as u64) << 8),
        RawCode::Name(s) => h.text(s),
    }
    h.word(u64::from(c.sip_code.unwrap_or(0)) | u64::from(c.q850.unwrap_or(u16::MAX)) << 16);
    h.word(c.fee.map_or(u64::MAX, |m| m.0 as u64));
    h.word(c.cost.map_or(u64::MAX, |m| m.0 as u64));
    h.finish()
}

/// A small word-at-a-time hasher (the fields are short; SipHash would cost more than the row).
struct Fp(u64);

impl Fp {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;

    fn new(seed: u64) -> Self {
        Fp(0xcbf2_9ce4_8422_2325 ^ seed.wrapping_mul(Self::K))
    }

    #[inline]
    fn word(&mut self, w: u64) {
        self.0 = (self.0 ^ w).wrapping_mul(Self::K).rotate_left(29);
    }

    #[inline]
    fn text(&mut self, s: &str) {
        let b = s.as_bytes();
        self.word(b.len() as u64);
        let mut chunks = b.chunks_exact(8);
        for c in &mut chunks {
            self.word(u64::from_le_bytes(c.try_into().unwrap_or([0; 8])));
        }
        let mut tail = [0u8; 8];
        tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        self.word(u64::from_le_bytes(tail));
    }

    fn finish(self) -> u64 {
        // Murmur3's finalizer: the table indexes by the low bits.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(id: &'static str, callee: &'static str, hold_s: u32) -> Call<'static> {
        Call {
            call_id: id,
            callee,
            hold_s,
            len: 40,
            start_ms: Some(1_700_000_000_000),
            ..Call::default()
        }
    }

    #[test]
    fn identical_rows_repeat_and_others_do_not() {
        let mut r = RepeatedRows::default();
        assert!(!r.is_repeat(&call("a", "100", 5)));
        assert!(!r.is_repeat(&call("b", "100", 5)));
        assert!(r.is_repeat(&call("a", "100", 5)));
        // Same id, other values: another record, kept.
        assert!(!r.is_repeat(&call("a", "100", 6)));
        assert!(!r.is_repeat(&call("a", "1000", 5)));
        assert_eq!((r.current(), r.total()), (1, 1));
        assert_eq!(r.take_current(), 1);
        r.forget_rows();
        // A new file starts afresh: repeats are within one file.
        assert!(!r.is_repeat(&call("a", "100", 5)));
        assert_eq!(r.total(), 1);
    }

    #[test]
    fn many_distinct_rows_are_not_repeats() {
        let mut r = RepeatedRows::default();
        let ids: Vec<String> = (0..200_000).map(|i| i.to_string()).collect();
        for id in &ids {
            let c = Call {
                call_id: id,
                ..Call::default()
            };
            assert!(!r.is_repeat(&c));
        }
        for id in ids.iter().step_by(1000) {
            let c = Call {
                call_id: id,
                ..Call::default()
            };
            assert!(r.is_repeat(&c));
        }
        assert_eq!(r.current(), 200);
        assert!(r.slots.len() * 7 >= r.len * 10);
    }
}
