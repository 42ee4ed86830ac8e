//! The call store: every accepted call in a compact row, for filters and drill-down without
//! re-reading the file.

use crate::call::{Call, CodeSystem, EndDirection, RawCode};
use crate::codes;
use crate::money::Money;
use crate::numbers::NumberPlan;
use crate::outcome::{sip_class, CodeOutcome, Outcome};
use rustc_hash::FxHashMap as HashMap;

/// Small ids for strings that repeat (gateways, accounts, prefixes, codes).
#[derive(Clone, Debug, Default)]
pub struct Interner {
    ids: HashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
    /// Hashes of the distinct names that came after the 16-bit ids ran out (they share
    /// [`OVERFLOW_ID`], whose name says how many they are).
    overflowed: rustc_hash::FxHashSet<u64>,
}

/// The first of the two code ids shared by every code past the 65,534th: unanswered attempts
/// get it, answered calls the next one.
pub const FIRST_OVERFLOW_CODE: u16 = u16::MAX - 1;

/// The printed code of those two shared ids.
pub const OTHER_CODES: &str = "(other codes)";

/// The id given to every name past the 65,535th (hostile files with a new gateway per row).
pub const OVERFLOW_ID: u16 = u16::MAX;

impl Interner {
    /// The 16-bit id of `s`, adding it when new; names past the limit share [`OVERFLOW_ID`],
    /// which then has a name of its own ("(other names: N more)"), so tables indexed by id
    /// (sized by [`Interner::len`]) hold it.
    pub fn intern16(&mut self, s: &str) -> u16 {
        if let Some(&id) = self.ids.get(s) {
            return u16::try_from(id).unwrap_or(OVERFLOW_ID);
        }
        if self.names.len() >= usize::from(OVERFLOW_ID) {
            self.note_overflow(s);
            return OVERFLOW_ID;
        }
        u16::try_from(self.intern(s)).unwrap_or(OVERFLOW_ID)
    }

    /// Counts a name that got no id of its own, and renames the shared bucket.
    fn note_overflow(&mut self, s: &str) {
        use std::hash::BuildHasher;
        let h = rustc_hash::FxBuildHasher.hash_one(s);
        if !self.overflowed.insert(h) {
            return;
        }
        let label: Box<str> = format!("(other names: {} more)", self.overflowed.len()).into();
        match self.names.get_mut(usize::from(OVERFLOW_ID)) {
            Some(slot) => *slot = label,
            None => self.names.push(label),
        }
    }

    /// How many distinct names share [`OVERFLOW_ID`] (0 while the ids last).
    pub fn overflowed(&self) -> usize {
        self.overflowed.len()
    }

    /// The id of `s`, adding it when new.
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(s.into());
        self.ids.insert(s.into(), id);
        id
    }

    /// The id of `s` when it is known.
    pub fn get(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied().or_else(|| {
            (self.overflowed() > 0 && self.name(OVERFLOW_ID) == s).then_some(u32::from(OVERFLOW_ID))
        })
    }

    /// The string of an id.
    pub fn name(&self, id: impl Into<u32>) -> &str {
        let id: u32 = id.into();
        if id == u32::from(OVERFLOW_ID) && self.names.len() <= id as usize {
            return "(other names)";
        }
        self.names.get(id as usize).map(|s| &**s).unwrap_or("")
    }

    /// Number of distinct strings.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether nothing was interned.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// A final code as stored: its system, its printed form, the SIP status and Q.850 cause the
/// record carried with it, and whether the calls that ended with it were answered (kept here
/// rather than per call, since the combinations are few).
///
/// Answered calls and unanswered attempts never share a key: the code of an answered call says
/// how it ended, the code of an unanswered one why it failed (see [`crate::outcome`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CodeKey {
    /// The code system, when the format has one.
    pub system: Option<CodeSystem>,
    /// The code as printed (`503`, `-9`, `NO ANSWER`); empty when the row had none.
    pub code: String,
    /// The SIP status it is equivalent to, for code-share health.
    pub equivalent_sip: Option<u16>,
    /// The final SIP status the records carried (200 for answered calls); `None` when none.
    pub sip: Option<u16>,
    /// The Q.850 cause the records carried.
    pub q850: Option<u16>,
    /// Whether the calls with this key were answered.
    pub answered: bool,
    /// What the code means for an unanswered attempt (from [`crate::outcome`]).
    pub meaning: CodeOutcome,
    /// The id of the first key with the same system, printed code and answered flag, so counts
    /// per code do not split by the SIP status or cause that came with it.
    pub display: u16,
}

impl CodeKey {
    /// The key of a code as a record carries it; its meaning comes from [`crate::outcome`].
    pub fn new(
        system: Option<CodeSystem>,
        code: String,
        sip: Option<u16>,
        q850: Option<u16>,
        answered: bool,
    ) -> Self {
        CodeKey {
            equivalent_sip: system.and_then(|s| codes::equivalent_sip(s, &code)),
            meaning: CodeOutcome::of(system, &code, sip, q850),
            system,
            code,
            sip,
            q850,
            answered,
            display: 0,
        }
    }

    /// The SIP class the code counts in (`2xx` … `6xx`, `other`): `2xx` for answered calls
    /// whatever their code, else the SIP final the record carried or the code's equivalent.
    pub fn sip_class(&self) -> &'static str {
        if self.answered {
            "2xx"
        } else {
            sip_class(self.sip.filter(|s| *s >= 300).or(self.equivalent_sip))
        }
    }

    /// The outcome of a call with this key that rang (PDD > 0) or not, ended by the caller or
    /// not.
    #[inline]
    pub fn outcome(&self, rang: bool, by_caller: bool) -> Outcome {
        if self.answered {
            Outcome::Answered
        } else {
            self.meaning.failure.resolve(rang, by_caller)
        }
    }
}

/// One stored call: 39 bytes, so ten million calls fit in a browser tab.
///
/// `bits`: bit 0 answered, bit 1 has a time, bits 2–3 end direction (0 none, 1 caller,
/// 2 callee, 3 server), bits 4–7 the outcome's index in [`Outcome::ALL`].
///
/// `len_flags`: bits 0–21 the row length (rows are at most [`crate::ingest::MAX_ROW_BYTES`],
/// so 22 bits hold any of them), bits 22–23 the fee state ([`FeeState`]), bits 24–31 the
/// failover-chain byte ([`ChainInfo`]); the last two are set when a file is finished.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(C, packed)]
pub struct StoredCall {
    /// Byte offset of the row in its file.
    pub offset: u64,
    /// End time (or start time when there is no end), seconds since the epoch; 0 when none.
    pub time_s: u32,
    /// 1-based line number of the row.
    pub line: u32,
    /// Row length, fee state and failover-chain byte (see the type's docs).
    pub(crate) len_flags: u32,
    /// Talk time in seconds.
    pub hold_s: u32,
    /// Hash of caller and callee, to find retries of the same call.
    pub pair: u32,
    /// PDD in ms, at most 65,535; 0 when unknown.
    pub pdd_ms: u16,
    /// Egress gateway id in [`CallStore::names`].
    pub egress: u16,
    /// Ingress gateway id in [`CallStore::names`].
    pub ingress: u16,
    /// Destination prefix id in [`CallStore::prefixes`].
    pub prefix: u16,
    /// Final code id in [`CallStore::codes`].
    pub code: u16,
    /// Packed flags, direction and outcome (see the type's docs).
    pub bits: u8,
}

impl StoredCall {
    /// Whether the call was answered.
    #[inline]
    pub fn answered(&self) -> bool {
        self.bits & 1 != 0
    }

    /// The time in ms, when known.
    #[inline]
    pub fn time(&self) -> Option<i64> {
        (self.bits & 2 != 0).then(|| i64::from(self.time_s) * 1000)
    }

    /// The end direction code: 0 none, 1 caller, 2 callee, 3 server.
    #[inline]
    pub fn direction(&self) -> u8 {
        (self.bits >> 2) & 3
    }

    /// The end direction.
    pub fn end_direction(&self) -> Option<EndDirection> {
        match self.direction() {
            1 => Some(EndDirection::Caller),
            2 => Some(EndDirection::Callee),
            3 => Some(EndDirection::Server),
            _ => None,
        }
    }

    /// The outcome's index in [`Outcome::ALL`].
    #[inline]
    pub fn outcome_index(&self) -> usize {
        usize::from(self.bits >> 4)
    }

    /// The outcome.
    pub fn outcome(&self) -> Outcome {
        Outcome::ALL
            .get(self.outcome_index())
            .copied()
            .unwrap_or_default()
    }

    /// Row length in bytes, without its line terminator.
    #[inline]
    pub fn row_len(&self) -> u32 {
        self.len_flags & ROW_LEN_MAX
    }

    /// Whether and how the call was charged.
    #[inline]
    pub fn fee_state(&self) -> FeeState {
        match (self.len_flags >> 22) & 3 {
            1 => FeeState::Zero,
            2 => FeeState::Charged,
            3 => FeeState::Mismatch,
            _ => FeeState::None,
        }
    }

    /// Sets the fee state.
    #[inline]
    pub fn set_fee_state(&mut self, s: FeeState) {
        self.len_flags = (self.len_flags & !(3 << 22)) | ((s as u32) << 22);
    }

    /// The call's place in its failover chain.
    #[inline]
    pub fn chain(&self) -> ChainInfo {
        ChainInfo((self.len_flags >> 24) as u8)
    }

    /// Sets the call's failover-chain byte.
    #[inline]
    pub fn set_chain(&mut self, c: ChainInfo) {
        self.len_flags = (self.len_flags & 0x00ff_ffff) | (u32::from(c.0) << 24);
    }
}

/// The largest row length a stored call keeps (longer ones are cut to it; the reader never
/// accepts rows that long).
pub const ROW_LEN_MAX: u32 = (1 << 22) - 1;

/// Whether and how a call was charged (from the fee column; `Mismatch` is found when a file is
/// finished, see `analysis::fee_check`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum FeeState {
    /// The row had no fee.
    None = 0,
    /// The fee was 0.
    Zero = 1,
    /// A fee other than 0 that matches billed seconds × rate (or could not be checked).
    Charged = 2,
    /// A fee other than 0 that differs from billed seconds × the rate of its customer and
    /// destination.
    Mismatch = 3,
}

/// A call's place in its failover chain (same caller and callee, attempts seconds apart; see
/// `analysis::chains`): bits 0–5 the chain's attempts (saturating at 63; 0 when the call is
/// alone), bit 6 first attempt, bit 7 another attempt followed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChainInfo(pub u8);

impl ChainInfo {
    /// The most attempts a chain records (longer chains show this many).
    pub const MAX_LEN: u8 = 63;

    /// The byte of a call at position `pos` of a chain of `len` attempts.
    pub fn new(len: usize, pos: usize) -> Self {
        if len < 2 {
            return ChainInfo(0);
        }
        let n = len.min(usize::from(Self::MAX_LEN)) as u8;
        ChainInfo(n | (u8::from(pos == 0) << 6) | (u8::from(pos + 1 < len) << 7))
    }

    /// Attempts in the chain (1 for a call alone).
    #[inline]
    pub fn len(self) -> u8 {
        (self.0 & 63).max(1)
    }

    /// Whether the call is alone (no chain).
    #[inline]
    pub fn is_empty(self) -> bool {
        self.0 & 63 == 0
    }

    /// Whether the call began a chain of two or more attempts.
    #[inline]
    pub fn first(self) -> bool {
        self.0 & 64 != 0
    }

    /// Whether another attempt of the same call followed it.
    #[inline]
    pub fn retried(self) -> bool {
        self.0 & 128 != 0
    }
}

/// Money columns, kept only for files that have them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StoredMoney {
    /// Fee charged, in micro-units; `i64::MIN` when the row had none.
    pub fee: i64,
    /// Cost paid, in micro-units; `i64::MIN` when the row had none.
    pub cost: i64,
    /// Billed seconds; `u32::MAX` when none.
    pub billed_s: u32,
}

/// What makes a code id distinct: system, code, SIP status, Q.850 cause, answered.
type CodeIdKey<C> = (Option<CodeSystem>, C, Option<u16>, Option<u16>, bool);

/// Slots of an [`IdCache`].
const CACHE_SLOTS: usize = 16;

/// The ids of strings met lately in one column, so a row whose gateway or prefix repeats one
/// of the last few (nearly every row) costs a short compare instead of hashing the string.
///
/// Direct-mapped on the string's length and last byte; an entry is only a hint, checked
/// against the name the id really has, so a stale or colliding entry is just a miss.
#[derive(Clone, Copy, Debug)]
struct IdCache {
    ids: [u16; CACHE_SLOTS],
}

impl Default for IdCache {
    fn default() -> Self {
        IdCache {
            ids: [OVERFLOW_ID; CACHE_SLOTS],
        }
    }
}

impl IdCache {
    #[inline(always)]
    fn slot(s: &str) -> usize {
        let last = s.as_bytes().last().copied().unwrap_or(0);
        (s.len() ^ usize::from(last).wrapping_mul(7)) % CACHE_SLOTS
    }

    /// The id of `s` in `interner` (see [`Interner::intern16`]), through the cache.
    #[inline]
    fn intern16(&mut self, interner: &mut Interner, s: &str) -> u16 {
        let slot = IdCache::slot(s);
        let id = self.ids[slot];
        if id != OVERFLOW_ID
            && interner
                .names
                .get(usize::from(id))
                .is_some_and(|n| **n == *s)
        {
            return id;
        }
        let id = interner.intern16(s);
        self.ids[slot] = id;
        id
    }
}

/// The last few code ids, keyed by what [`CallStore::code_id`] would hash, checked in full.
#[derive(Clone, Copy, Debug)]
struct CodeCache {
    ids: [u16; CACHE_SLOTS],
    /// The numeric code the slot was filled from ([`NOT_NUM`] for a named code), so a numeric
    /// code is checked with integer compares only.
    nums: [i64; CACHE_SLOTS],
}

/// [`CodeCache::nums`] of a slot filled from a named code (or none).
const NOT_NUM: i64 = i64::MIN;

impl Default for CodeCache {
    fn default() -> Self {
        CodeCache {
            ids: [u16::MAX; CACHE_SLOTS],
            nums: [NOT_NUM; CACHE_SLOTS],
        }
    }
}

/// Every accepted call of a data set, compactly.
#[derive(Clone, Debug, Default)]
pub struct CallStore {
    /// The calls, in file order.
    pub calls: Vec<StoredCall>,
    /// Money per call (same index), empty when no row had money.
    pub money: Vec<StoredMoney>,
    /// Gateway, customer and account names.
    pub names: Interner,
    /// Destination prefixes.
    pub prefixes: Interner,
    /// Final codes.
    pub codes: Vec<CodeKey>,
    code_ids: HashMap<CodeIdKey<String>, u16>,
    /// Numeric codes resolved before, so the common case allocates nothing.
    num_code_ids: HashMap<CodeIdKey<i32>, u16>,
    /// The first id of each (system, printed code, answered), for `CodeKey::display` without
    /// a scan of every code per new code (quadratic on a hostile file with thousands of codes).
    display_ids: HashMap<(Option<CodeSystem>, String, bool), u16>,
    /// Recent gateway, prefix and code ids (a speed-up only: ids are the same without it).
    egress_cache: IdCache,
    ingress_cache: IdCache,
    prefix_cache: IdCache,
    code_cache: CodeCache,
    /// Whether any call carries a real SIP final status (needed for NER).
    pub has_sip: bool,
    /// Whether any call carries a PDD.
    pub has_pdd: bool,
    /// The most decimal places any money field was written with.
    pub money_decimals: u8,
    /// The fee decimals the fee check worked at (set when a file is finished).
    pub fee_decimals: u8,
    /// How called numbers are read into destinations (home country, user prefixes, short
    /// numbers); set before the first call is pushed.
    pub plan: NumberPlan,
    /// The file new calls are attributed to.
    pub current_file: u16,
    /// Index of the first call of each file after the first (calls are stored in file order).
    file_starts: Vec<(u16, usize)>,
}

impl CallStore {
    /// An empty store.
    pub fn new() -> Self {
        let mut s = CallStore::default();
        s.names.intern("");
        s.prefixes.intern("");
        s
    }

    /// Attributes calls pushed from now on to file `file`.
    pub fn set_file(&mut self, file: u16) {
        self.current_file = file;
        self.file_starts.push((file, self.calls.len()));
    }

    /// The file call `i` came from.
    pub fn file_of(&self, i: usize) -> u16 {
        let k = self.file_starts.partition_point(|&(_, start)| start <= i);
        if k == 0 {
            0
        } else {
            self.file_starts[k - 1].0
        }
    }

    /// The SIP final status the record of `c` carried; 0 when none.
    #[inline]
    pub fn sip_of(&self, c: &StoredCall) -> u16 {
        self.codes
            .get(usize::from(c.code))
            .and_then(|k| k.sip)
            .unwrap_or(0)
    }

    /// The id of `c`'s code as printed (the same for every SIP status or cause it came with).
    #[inline]
    pub fn display_code(&self, c: &StoredCall) -> u16 {
        self.codes
            .get(usize::from(c.code))
            .map_or(c.code, |k| k.display)
    }

    /// The Q.850 cause the record of `c` carried; 0 when none.
    #[inline]
    pub fn q850_of(&self, c: &StoredCall) -> u16 {
        self.codes
            .get(usize::from(c.code))
            .and_then(|k| k.q850)
            .unwrap_or(0)
    }

    /// The code id of `call`, through [`CodeCache`]: codes repeat, so most rows neither hash
    /// nor (for named codes) build a key string.
    fn code_id(&mut self, call: &Call<'_>) -> u16 {
        let (slot, text) = match call.code {
            RawCode::Num(n) => (n as usize % CACHE_SLOTS, None),
            RawCode::Name(s) => (IdCache::slot(s.trim()), Some(s.trim())),
            _ => (0, Some("")),
        };
        // A code id stands for exactly one (system, printed code, SIP status, cause), so an id
        // whose key matches is the id the maps would give.
        let cached = self.code_cache.ids[slot];
        if let Some(k) = self.codes.get(usize::from(cached)) {
            let same_code = match (call.code, text) {
                (RawCode::Num(n), _) => {
                    self.code_cache.nums[slot] == i64::from(n) || prints_as(n, &k.code)
                }
                (_, Some(t)) => k.code == t,
                _ => false,
            };
            if same_code
                && k.system == call.code_system
                && k.sip == call.sip_code
                && k.q850 == call.q850
                && k.answered == call.answered
            {
                return cached;
            }
        }
        let id = self.code_id_uncached(call);
        self.code_cache.ids[slot] = id;
        // The id of Num(n) is the id of its printed form, so the number identifies it.
        self.code_cache.nums[slot] = match call.code {
            RawCode::Num(n) => i64::from(n),
            _ => NOT_NUM,
        };
        id
    }

    fn code_id_uncached(&mut self, call: &Call<'_>) -> u16 {
        let system = call.code_system;
        if let RawCode::Num(n) = call.code {
            let k = (system, n, call.sip_code, call.q850, call.answered);
            if let Some(&id) = self.num_code_ids.get(&k) {
                return id;
            }
            let id = self.intern_key(CodeKey::new(
                system,
                n.to_string(),
                call.sip_code,
                call.q850,
                call.answered,
            ));
            self.num_code_ids.insert(k, id);
            return id;
        }
        let text = match call.code {
            RawCode::Name(s) => s.trim(),
            _ => "",
        };
        if let Some(&id) = self.code_ids.get(&(
            system,
            text.to_string(),
            call.sip_code,
            call.q850,
            call.answered,
        )) {
            return id;
        }
        self.intern_key(CodeKey::new(
            system,
            text.to_string(),
            call.sip_code,
            call.q850,
            call.answered,
        ))
    }

    /// The id of a code key, adding it when new (its `display` is recomputed).
    fn intern_key(&mut self, mut key: CodeKey) -> u16 {
        let k = (
            key.system,
            key.code.clone(),
            key.sip,
            key.q850,
            key.answered,
        );
        if let Some(&id) = self.code_ids.get(&k) {
            return id;
        }
        if self.codes.len() >= usize::from(FIRST_OVERFLOW_CODE) {
            // Hostile files only: the last two ids are "(other codes)" of unanswered attempts
            // and of answered calls, which never share a key.
            if self.codes.len() == usize::from(FIRST_OVERFLOW_CODE) {
                for answered in [false, true] {
                    let mut other = CodeKey::new(None, OTHER_CODES.into(), None, None, answered);
                    other.display = self.codes.len() as u16;
                    self.codes.push(other);
                }
            }
            return FIRST_OVERFLOW_CODE + u16::from(key.answered);
        }
        let id = self.codes.len() as u16;
        key.display = *self
            .display_ids
            .entry((key.system, key.code.clone(), key.answered))
            .or_insert(id);
        self.codes.push(key);
        self.code_ids.insert(k, id);
        id
    }

    /// Appends every call of `other` (a later part of the current file), re-mapping its ids;
    /// `lines_before` is added to its line numbers.
    pub fn append(&mut self, other: &CallStore, lines_before: u64) {
        self.append_where(other, lines_before, &vec![true; other.calls.len()]);
    }

    /// Appends the calls of `other` whose `keep` flag is set (see [`CallStore::append`]).
    pub fn append_where(&mut self, other: &CallStore, lines_before: u64, keep: &[bool]) {
        let names: Vec<u16> = (0..other.names.len() as u32)
            .map(|i| self.names.intern16(other.names.name(i)))
            .collect();
        let prefixes: Vec<u16> = (0..other.prefixes.len() as u32)
            .map(|i| self.prefixes.intern16(other.prefixes.name(i)))
            .collect();
        let codes: Vec<u16> = other
            .codes
            .iter()
            .map(|k| self.intern_key(k.clone()))
            .collect();
        let map16 = |v: &[u16], id: u16| v.get(usize::from(id)).copied().unwrap_or(OVERFLOW_ID);
        let base = self.calls.len();
        self.calls.reserve(other.calls.len());
        let kept = |i: usize| keep.get(i).copied().unwrap_or(true);
        for (_, c) in other.calls.iter().enumerate().filter(|(i, _)| kept(*i)) {
            let mut c = *c;
            c.egress = map16(&names, c.egress);
            c.ingress = map16(&names, c.ingress);
            c.prefix = map16(&prefixes, c.prefix);
            c.code = map16(&codes, c.code);
            c.line = u32::try_from(u64::from(c.line) + lines_before).unwrap_or(u32::MAX);
            self.calls.push(c);
        }
        if !other.money.is_empty() {
            self.money.resize(base, StoredMoney::NONE);
            let money = (0..other.calls.len())
                .filter(|&i| kept(i))
                .map(|i| other.money.get(i).copied().unwrap_or(StoredMoney::NONE));
            self.money.extend(money);
            self.money.resize(self.calls.len(), StoredMoney::NONE);
        } else if !self.money.is_empty() {
            self.money.resize(self.calls.len(), StoredMoney::NONE);
        }
        self.has_sip |= other.has_sip;
        self.has_pdd |= other.has_pdd;
        self.money_decimals = self.money_decimals.max(other.money_decimals);
    }

    /// The code key of a stored code id.
    pub fn code(&self, id: u16) -> Option<&CodeKey> {
        self.codes.get(id as usize)
    }

    /// Adds one call.
    pub fn push(&mut self, call: &Call<'_>) {
        let code = self.code_id(call);
        let destination = self
            .plan
            .destination(call.callee, call.callee_international);
        let prefix = self
            .prefix_cache
            .intern16(&mut self.prefixes, self.plan.key(&destination));
        // Seconds since the epoch; times before 1970 or after 2106 are not real CDR times.
        let time = call
            .end_ms
            .or(call.start_ms)
            .and_then(|ms| u32::try_from(ms.div_euclid(1000)).ok());
        if call.sip_code.is_some() {
            self.has_sip = true;
        }
        if call.pdd_ms.is_some() {
            self.has_pdd = true;
        }
        let direction: u8 = match call.end_direction {
            None => 0,
            Some(EndDirection::Caller) => 1,
            Some(EndDirection::Callee) => 2,
            Some(EndDirection::Server) => 3,
        };
        let rang = call.pdd_ms.is_some_and(|p| p > 0);
        let by_caller = call.end_direction == Some(EndDirection::Caller);
        let outcome = self
            .codes
            .get(usize::from(code))
            .map_or(Outcome::Other, |k| k.outcome(rang, by_caller))
            .index() as u8;
        let stored = StoredCall {
            offset: call.offset,
            time_s: time.unwrap_or(0),
            line: u32::try_from(call.line).unwrap_or(u32::MAX),
            len_flags: call.len.min(ROW_LEN_MAX) | ((fee_state(call) as u32) << 22),
            hold_s: call.hold_s,
            pair: pair_hash(call.caller, call.callee),
            pdd_ms: call
                .pdd_ms
                .map_or(0, |p| u16::try_from(p).unwrap_or(u16::MAX)),
            egress: self
                .egress_cache
                .intern16(&mut self.names, call.egress.trim_ascii()),
            ingress: self
                .ingress_cache
                .intern16(&mut self.names, call.ingress.trim_ascii()),
            prefix,
            code,
            bits: u8::from(call.answered)
                | (u8::from(time.is_some()) << 1)
                | (direction << 2)
                | (outcome << 4),
        };
        if call.fee.is_some() || call.cost.is_some() || !self.money.is_empty() {
            if self.money.len() < self.calls.len() {
                self.money.resize(self.calls.len(), StoredMoney::NONE);
            }
            self.money.push(StoredMoney {
                fee: call.fee.map_or(i64::MIN, |m| m.0),
                cost: call.cost.map_or(i64::MIN, |m| m.0),
                billed_s: call.billed_s.unwrap_or(u32::MAX),
            });
        }
        self.money_decimals = self.money_decimals.max(call.money_decimals);
        self.calls.push(stored);
    }

    /// The money of call `i`, when the data set has money.
    pub fn money_of(&self, i: usize) -> Option<(Option<Money>, Option<Money>)> {
        let m = self.money.get(i)?;
        let f = |v: i64| (v != i64::MIN).then_some(Money(v));
        Some((f(m.fee), f(m.cost)))
    }
}

impl StoredMoney {
    /// No money on this row.
    pub const NONE: StoredMoney = StoredMoney {
        fee: i64::MIN,
        cost: i64::MIN,
        billed_s: u32::MAX,
    };
}

/// The fee state a call's own row gives (a mismatch is found later, over all calls).
fn fee_state(call: &Call<'_>) -> FeeState {
    match call.fee {
        None => FeeState::None,
        Some(m) if m.0 == 0 => FeeState::Zero,
        Some(_) => FeeState::Charged,
    }
}

/// Whether `n.to_string()` is `text`, without building the string.
fn prints_as(n: i32, text: &str) -> bool {
    let mut buf = [0u8; 11];
    let mut i = buf.len();
    let mut v = n.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if n < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    text.as_bytes() == &buf[i..]
}

/// FNV-1a hash of caller and callee numbers.
fn pair_hash(caller: &str, callee: &str) -> u32 {
    // Three plain loops rather than one over a chained iterator: the same bytes in the same
    // order (so the same hash), without the chain's per-byte state checks.
    let step = |h: u32, b: u8| (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    let mut h: u32 = 0x811c_9dc5;
    for &b in caller.trim_ascii().as_bytes() {
        h = step(h, b);
    }
    h = step(h, 0);
    for &b in callee.trim_ascii().as_bytes() {
        h = step(h, b);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_hash_is_fnv1a_of_caller_nul_callee() {
        let fnv = |bytes: &[u8]| {
            bytes.iter().fold(0x811c_9dc5u32, |h, &b| {
                (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
            })
        };
        assert_eq!(pair_hash(" 123 ", "456"), fnv(b"123\x00456"));
        assert_eq!(pair_hash("", ""), fnv(b"\0"));
        assert_eq!(pair_hash("", ""), 0x811c_9dc5u32.wrapping_mul(0x0100_0193));
    }

    #[test]
    fn prints_as_matches_to_string() {
        for n in [0, 7, -9, 10, 503, -1000, i32::MAX, i32::MIN] {
            assert!(prints_as(n, &n.to_string()), "{n}");
            assert!(!prints_as(n, &format!("0{n}")), "{n}");
        }
        assert!(!prints_as(5, "+5"));
        assert!(!prints_as(5, ""));
    }

    /// The caches give the ids the maps give, for repeated, colliding and new names and codes
    /// (numeric and named, with different SIP statuses).
    #[test]
    fn cached_ids_are_the_uncached_ids() {
        let mut cached = CallStore::new();
        let mut plain = CallStore::new();
        let gws = ["GW_A", "GW_B", "", "GW_A ", "AW_G", "GW_C", "x", "y"];
        let codes = [
            RawCode::Num(503),
            RawCode::Num(-9),
            RawCode::Name("503"),
            RawCode::Name("BUSY"),
            RawCode::None,
            RawCode::Num(19),
            RawCode::Name("YSUB"),
        ];
        let numbers = ["8613800138000", "4420794600", "123", "1212555", ""];
        for i in 0..500usize {
            let call = Call {
                egress: gws[i % gws.len()],
                ingress: gws[(i * 7 + 3) % gws.len()],
                callee: numbers[(i * 3) % numbers.len()],
                code: codes[(i * 5) % codes.len()],
                code_system: if i % 11 == 0 {
                    None
                } else {
                    Some(CodeSystem::Vos3000)
                },
                sip_code: [None, Some(503), Some(200)][i % 3],
                ..Call::default()
            };
            cached.push(&call);
            let before = plain.calls.len();
            plain.push(&call);
            // The same call again through fresh caches must give the same ids.
            plain.egress_cache = IdCache::default();
            plain.ingress_cache = IdCache::default();
            plain.prefix_cache = IdCache::default();
            plain.code_cache = CodeCache::default();
            assert_eq!(plain.calls.len(), before + 1);
        }
        assert_eq!(cached.calls, plain.calls);
        assert_eq!(cached.codes, plain.codes);
        let ids = |s: &CallStore| {
            (0..s.names.len() as u32)
                .map(|i| s.names.name(i).to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&cached), ids(&plain));
        assert_eq!(cached.names.len(), 7);
    }

    #[test]
    fn a_stored_call_is_under_40_bytes() {
        assert_eq!(std::mem::size_of::<StoredCall>(), 39);
    }

    #[test]
    fn flags_share_the_row_length_word() {
        let mut c = StoredCall {
            len_flags: 1_048_576,
            ..StoredCall::default()
        };
        c.set_fee_state(FeeState::Mismatch);
        c.set_chain(ChainInfo::new(4, 0));
        assert_eq!(c.row_len(), 1_048_576);
        assert_eq!(c.fee_state(), FeeState::Mismatch);
        assert_eq!(
            (c.chain().len(), c.chain().first(), c.chain().retried()),
            (4, true, true)
        );
        c.set_fee_state(FeeState::Zero);
        c.set_chain(ChainInfo::new(300, 299));
        assert_eq!(c.row_len(), 1_048_576);
        assert_eq!(c.fee_state(), FeeState::Zero);
        assert_eq!(
            (c.chain().len(), c.chain().first(), c.chain().retried()),
            (63, false, false)
        );
        assert_eq!(ChainInfo::new(1, 0), ChainInfo(0));
        assert_eq!(ChainInfo(0).len(), 1);
    }
}
