//! Duplicate calls across files: the same call (same flowno / Call-ID and time) exported in two
//! overlapping files is counted once.
//!
//! Operators drop a folder of daily or hourly exports, or two exports whose ranges overlap; a
//! call present in both must not count twice in ASR or code shares. Only calls seen in an
//! *earlier file* are duplicates: a repeated id inside one file is left alone, because some
//! formats legitimately reuse ids within a file and the file's own row accounting already
//! covers it.

use crate::call::Call;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Remembers which file first had each call key (about 20 bytes per call).
#[derive(Clone, Debug, Default)]
pub struct CrossFileDedupe {
    /// Key hash → index of the first file that had it.
    first_file: HashMap<u64, u16, BuildHasherDefault<KeyIsHash>>,
    /// Keys of the first file, kept in a plain list until a second file arrives: a lone file
    /// can have no duplicates, and a hash-table insert per call cost more than the parse.
    first_keys: Vec<u64>,
    /// The first file's index, once a call was seen.
    first: Option<u16>,
    /// Duplicates found in the file being read.
    current: u64,
    /// Duplicates found in all files.
    total: u64,
}

impl CrossFileDedupe {
    /// Whether `call`, read from file `file`, was already seen in an earlier file (it is
    /// remembered otherwise). Calls without an id are never duplicates.
    pub fn is_duplicate(&mut self, call: &Call<'_>, file: u16) -> bool {
        let Some(key) = key(call) else { return false };
        let first = *self.first.get_or_insert(file);
        if file == first && self.first_file.is_empty() {
            self.first_keys.push(key);
            return false;
        }
        if !self.first_keys.is_empty() {
            self.first_file.reserve(self.first_keys.len());
            for k in self.first_keys.drain(..) {
                self.first_file.entry(k).or_insert(first);
            }
            self.first_keys = Vec::new();
        }
        match self.first_file.get(&key) {
            Some(&first) if first != file => {
                self.current += 1;
                self.total += 1;
                true
            }
            Some(_) => false,
            None => {
                self.first_file.insert(key, file);
                false
            }
        }
    }

    /// Makes room for `more` keys of the file being read, while it is the only file.
    pub fn reserve(&mut self, more: usize) {
        if self.first_file.is_empty() && !self.first_keys.is_empty() {
            self.first_keys.reserve_exact(more);
        }
    }

    /// Duplicates found since the last call, for the file just finished.
    pub fn take_current(&mut self) -> u64 {
        std::mem::take(&mut self.current)
    }

    /// Duplicates found in all files so far (the current one included).
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Every call key remembered so far, so a part read elsewhere can hand its keys on.
    pub fn keys(&self) -> Vec<u64> {
        let mut keys = self.first_keys.clone();
        keys.extend(self.first_file.keys().copied());
        keys
    }

    /// Remembers `keys` as calls of file `file` (a later part of it, read elsewhere), so later
    /// files find them; the part's own calls were checked only against each other.
    pub fn remember(&mut self, keys: &[u64], file: u16) {
        let first = *self.first.get_or_insert(file);
        if file == first && self.first_file.is_empty() {
            self.first_keys.extend_from_slice(keys);
            return;
        }
        self.first_file.reserve(self.first_keys.len() + keys.len());
        for k in self.first_keys.drain(..) {
            self.first_file.entry(k).or_insert(first);
        }
        self.first_keys = Vec::new();
        for &k in keys {
            self.first_file.entry(k).or_insert(file);
        }
    }
}

/// A 64-bit hash of the call id and its time: the id alone could collide between two
/// softswitches whose `flowno` sequences overlap, the time makes that practically impossible.
///
/// Eight bytes per step (this runs on every row); the id's length is mixed in so ids that
/// differ only by trailing zero bytes differ, and a final avalanche spreads every input bit.
pub fn key(call: &Call<'_>) -> Option<u64> {
    let id = call.call_id.trim();
    if id.is_empty() {
        return None;
    }
    let time = call.start_ms.or(call.end_ms).unwrap_or(i64::MIN);
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mix = |h: u64, w: u64| (h ^ w).wrapping_mul(K).rotate_left(31);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ id.len() as u64;
    let mut chunks = id.as_bytes().chunks_exact(8);
    for c in &mut chunks {
        h = mix(h, u64::from_le_bytes(c.try_into().unwrap_or([0; 8])));
    }
    let mut tail = [0u8; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    h = mix(h, u64::from_le_bytes(tail));
    h = mix(h, time as u64);
    // Murmur3's finalizer.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    Some(h ^ (h >> 33))
}

/// The keys are already FNV hashes: hashing them again (SipHash) would only cost time.
#[derive(Clone, Copy, Debug, Default)]
struct KeyIsHash(u64);

impl Hasher for KeyIsHash {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used for `u64` keys; fold anything else in for safety.
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserve_sizes_the_first_files_key_list_only() {
        let mut d = CrossFileDedupe::default();
        let call = |id| Call {
            call_id: id,
            start_ms: Some(1_741_536_123_749),
            ..Call::default()
        };
        assert!(!d.is_duplicate(&call("1"), 0));
        d.reserve(10_000);
        assert!(d.first_keys.capacity() >= 10_001);
        assert!(!d.is_duplicate(&call("2"), 1));
        // Keys now live in the hash table; the list is gone and stays so.
        d.reserve(10_000);
        assert_eq!(d.first_keys.capacity(), 0);
        assert!(d.is_duplicate(&call("1"), 1) && d.is_duplicate(&call("2"), 2));
    }

    #[test]
    fn same_id_in_a_later_file_is_a_duplicate_once_per_copy() {
        let mut d = CrossFileDedupe::default();
        let a = Call {
            call_id: "330455001",
            start_ms: Some(1_741_536_123_749),
            ..Call::default()
        };
        let other_time = Call {
            start_ms: Some(1_741_536_123_750),
            ..a.clone()
        };
        assert!(!d.is_duplicate(&a, 0));
        assert!(
            !d.is_duplicate(&a, 0),
            "a repeat inside one file is not a duplicate"
        );
        assert!(d.is_duplicate(&a, 1));
        assert!(
            !d.is_duplicate(&other_time, 1),
            "same id, other time: another call"
        );
        assert!(
            !d.is_duplicate(&Call::default(), 1),
            "no id: never a duplicate"
        );
        assert!(!d.is_duplicate(&Call::default(), 2));
        assert_eq!(d.take_current(), 1);
        assert_eq!(d.take_current(), 0);
        assert_eq!(d.total(), 1);
    }

    /// Keys of a million sequential ids (one time), and of one id at a million times, are all
    /// distinct; ids that differ only in a trailing NUL or in length differ too.
    #[test]
    fn keys_do_not_collide_on_sequences() {
        let call = |id: &str, t: i64| {
            key(&Call {
                call_id: id,
                start_ms: Some(t),
                ..Call::default()
            })
            .unwrap()
        };
        let mut keys: Vec<u64> = (0..1_000_000u64)
            .map(|i| call(&(330_455_001 + i).to_string(), 1_741_536_123_749))
            .collect();
        keys.extend((0..1_000_000i64).map(|t| call("330455000", 1_741_536_000_000 + t)));
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 2_000_000);
        assert_ne!(call("12345678", 0), call("12345678\0", 0));
        assert_ne!(call("abc", 0), call("abc\0\0\0\0\0", 0));
        assert_eq!(key(&Call::default()), None);
    }
}
