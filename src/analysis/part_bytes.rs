//! A finished part of a file (see [`crate::analysis::Dataset::start_part`]) as compact bytes, so a
//! part read by another worker (the page's second core) can be handed over without serde on every
//! call, and read back with every length and id checked: the bytes come from another thread and
//! are treated as untrusted.
//!
//! Layout, all little-endian: the magic `CDRSPART`, a version (u32), row counts, store flags,
//! the interned names and prefixes, the code keys, the calls (39 bytes each, as stored), the money
//! columns, rejects and notes (reason as JSON), and the part's call keys for cross-file dedupe.

use crate::analysis::store::{CallStore, CodeKey, StoredCall, StoredMoney, OVERFLOW_ID};
use crate::call::CodeSystem;
use crate::reject::{IngestError, Reject, RejectReason};
use crate::summary::RowTotals;
use rustc_hash::FxHashMap;

const MAGIC: &[u8; 8] = b"CDRSPART";
const VERSION: u32 = 1;
/// Bytes of one call on the wire.
const CALL_BYTES: usize = 39;
/// Bytes of one money row on the wire.
const MONEY_BYTES: usize = 20;
/// Fewest bytes a code key takes on the wire (system, code length, two optional statuses).
const CODE_MIN_BYTES: usize = 11;
/// Fewest bytes a reject or note takes on the wire (line, offset, len, reason length).
const REJECT_MIN_BYTES: usize = 24;
/// Line numbers past this are not real (and adding the lines before the part must not overflow).
const MAX_LINE: u64 = 1 << 48;

/// What a finished part hands to the data set that absorbs it.
#[derive(Debug, Default)]
pub struct PartData {
    /// The part's calls and the names, prefixes and codes they refer to.
    pub store: CallStore,
    /// Rejected rows kept for display (line numbers relative to the part).
    pub rejects: Vec<Reject>,
    /// Rejected rows in all.
    pub rejects_total: u64,
    /// Noted rows kept for display (line numbers relative to the part).
    pub notes: Vec<Reject>,
    /// Noted rows in all.
    pub notes_total: u64,
    /// Data, accepted and rejected row counts of the part.
    pub counts: RowTotals,
    /// Cross-file dedupe keys of the part's calls.
    pub keys: Vec<u64>,
    /// Repeated-row fingerprints of the part's calls, one per call in order.
    pub fingerprints: Vec<u64>,
    /// Rows of the part that repeated an earlier row of the part.
    pub repeats: u64,
}

/// Borrowed view of a part, for [`encode`].
pub struct PartView<'a> {
    /// The part's call store.
    pub store: &'a CallStore,
    /// Rejects kept for display.
    pub rejects: &'a [Reject],
    /// Rejected rows in all.
    pub rejects_total: u64,
    /// Notes kept for display.
    pub notes: &'a [Reject],
    /// Noted rows in all.
    pub notes_total: u64,
    /// Row counts of the part.
    pub counts: RowTotals,
    /// Cross-file dedupe keys of the part's calls.
    pub keys: &'a [u64],
    /// Repeated-row fingerprints of the part's calls, one per call in order.
    pub fingerprints: &'a [u64],
    /// Rows of the part that repeated an earlier row of the part.
    pub repeats: u64,
}

/// Writes a part as bytes.
pub fn encode(p: &PartView<'_>) -> Vec<u8> {
    let s = p.store;
    let mut out = Vec::with_capacity(
        80 + s.calls.len() * (CALL_BYTES + 8) + s.money.len() * MONEY_BYTES + p.keys.len() * 8,
    );
    out.extend_from_slice(MAGIC);
    put_u32(&mut out, VERSION);
    for n in [p.counts.data, p.counts.accepted, p.counts.rejected] {
        put_u64(&mut out, n);
    }
    out.extend_from_slice(&[u8::from(s.has_sip), u8::from(s.has_pdd), s.money_decimals]);
    for interner in [&s.names, &s.prefixes] {
        put_u32(&mut out, interner.len() as u32);
        for i in 0..interner.len() as u32 {
            put_str(&mut out, interner.name(i));
        }
    }
    put_u32(&mut out, s.codes.len() as u32);
    for k in &s.codes {
        // The answered flag rides in the system byte's top bit.
        out.push(system_byte(k.system) | (u8::from(k.answered) << 7));
        put_str(&mut out, &k.code);
        put_opt16(&mut out, k.sip);
        put_opt16(&mut out, k.q850);
    }
    put_u64(&mut out, s.calls.len() as u64);
    for c in &s.calls {
        // Copies out of the packed struct: references to its fields would be unaligned.
        let StoredCall {
            offset,
            time_s,
            line,
            len_flags,
            hold_s,
            pair,
            pdd_ms,
            egress,
            ingress,
            prefix,
            code,
            bits,
        } = *c;
        put_u64(&mut out, offset);
        for v in [time_s, line, len_flags, hold_s, pair] {
            put_u32(&mut out, v);
        }
        for v in [pdd_ms, egress, ingress, prefix, code] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.push(bits);
    }
    put_u64(&mut out, s.money.len() as u64);
    for m in &s.money {
        out.extend_from_slice(&m.fee.to_le_bytes());
        out.extend_from_slice(&m.cost.to_le_bytes());
        put_u32(&mut out, m.billed_s);
    }
    for (list, total) in [(p.rejects, p.rejects_total), (p.notes, p.notes_total)] {
        put_u64(&mut out, total);
        put_u32(&mut out, list.len() as u32);
        for r in list {
            put_u64(&mut out, r.line);
            put_u64(&mut out, r.offset);
            put_u32(&mut out, r.len);
            put_str(
                &mut out,
                &serde_json::to_string(&r.reason).unwrap_or_default(),
            );
        }
    }
    put_u64(&mut out, p.keys.len() as u64);
    for k in p.keys {
        put_u64(&mut out, *k);
    }
    put_u64(&mut out, p.repeats);
    put_u64(&mut out, p.fingerprints.len() as u64);
    for k in p.fingerprints {
        put_u64(&mut out, *k);
    }
    out
}

/// Reads a part written by [`encode`]; any truncated, oversized or inconsistent input gives an
/// error (never a panic, and no allocation larger than the input justifies).
pub fn decode(bytes: &[u8]) -> Result<PartData, IngestError> {
    let mut r = Cursor { bytes, pos: 0 };
    if r.take(MAGIC.len())? != MAGIC {
        return Err(bad("not a cdrscope part"));
    }
    if r.u32()? != VERSION {
        return Err(bad("unknown part version"));
    }
    let counts = RowTotals {
        data: r.u64()?,
        accepted: r.u64()?,
        rejected: r.u64()?,
        ..RowTotals::default()
    };
    let flags = r.take(3)?;
    let mut store = CallStore::default();
    store.has_sip = flags[0] != 0;
    store.has_pdd = flags[1] != 0;
    store.money_decimals = flags[2];
    for prefixes in [false, true] {
        let n = r.count32(4, usize::from(OVERFLOW_ID) + 1)?;
        let interner = if prefixes {
            &mut store.prefixes
        } else {
            &mut store.names
        };
        for i in 0..n {
            let name = r.str()?;
            if interner.intern(name) as usize != i {
                return Err(bad("a name appears twice"));
            }
        }
    }
    let n = r.count32(CODE_MIN_BYTES, usize::from(u16::MAX) + 1)?;
    store.codes.reserve(n);
    let mut display_ids: FxHashMap<(Option<CodeSystem>, String, bool), u16> = FxHashMap::default();
    for _ in 0..n {
        let b = r.take(1)?[0];
        let (system, answered) = (byte_system(b & 0x7f)?, b & 0x80 != 0);
        let code = r.str()?.to_string();
        let sip = r.opt16()?;
        let q850 = r.opt16()?;
        let id = store.codes.len() as u16;
        let display = *display_ids
            .entry((system, code.clone(), answered))
            .or_insert(id);
        store.codes.push(CodeKey {
            display,
            ..CodeKey::new(system, code, sip, q850, answered)
        });
    }
    let (names, prefixes, codes) = (store.names.len(), store.prefixes.len(), store.codes.len());
    let n = r.count64(CALL_BYTES)?;
    store.calls.reserve_exact(n);
    for _ in 0..n {
        let b = r.take(CALL_BYTES)?;
        let u16_at = |i: usize| u16::from_le_bytes([b[i], b[i + 1]]);
        let u32_at = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        let c = StoredCall {
            offset: u64::from_le_bytes(b[0..8].try_into().unwrap_or_default()),
            time_s: u32_at(8),
            line: u32_at(12),
            len_flags: u32_at(16),
            hold_s: u32_at(20),
            pair: u32_at(24),
            pdd_ms: u16_at(28),
            egress: u16_at(30),
            ingress: u16_at(32),
            prefix: u16_at(34),
            code: u16_at(36),
            bits: b[38],
        };
        let known = |id: u16, len: usize, overflow: u16| usize::from(id) < len || id == overflow;
        if !known(u16_at(30), names, OVERFLOW_ID)
            || !known(u16_at(32), names, OVERFLOW_ID)
            || !known(u16_at(34), prefixes, OVERFLOW_ID)
            || !known(u16_at(36), codes, u16::MAX)
        {
            return Err(bad("a call refers to an unknown name, prefix or code"));
        }
        store.calls.push(c);
    }
    let m = r.count64(MONEY_BYTES)?;
    if m != 0 && m != n {
        return Err(bad("money rows do not match the calls"));
    }
    store.money.reserve_exact(m);
    for _ in 0..m {
        let b = r.take(MONEY_BYTES)?;
        store.money.push(StoredMoney {
            fee: i64::from_le_bytes(b[0..8].try_into().unwrap_or_default()),
            cost: i64::from_le_bytes(b[8..16].try_into().unwrap_or_default()),
            billed_s: u32::from_le_bytes(b[16..20].try_into().unwrap_or_default()),
        });
    }
    let mut lists = [(Vec::new(), 0u64), (Vec::new(), 0u64)];
    for (list, total) in &mut lists {
        *total = r.u64()?;
        let n = r.count32(REJECT_MIN_BYTES, usize::MAX)?;
        list.reserve(n);
        for _ in 0..n {
            let line = r.u64()?;
            let offset = r.u64()?;
            let len = r.u32()?;
            let reason: RejectReason = serde_json::from_str(r.str()?)
                .map_err(|_| bad("a rejected row has an unreadable reason"))?;
            if line > MAX_LINE {
                return Err(bad("a line number is out of range"));
            }
            list.push(Reject {
                line,
                offset,
                len,
                reason,
            });
        }
    }
    let k = r.count64(8)?;
    let mut keys = Vec::with_capacity(k);
    for _ in 0..k {
        keys.push(r.u64()?);
    }
    let repeats = r.u64()?;
    let k = r.count64(8)?;
    if k != store.calls.len() {
        return Err(bad("the fingerprints do not match the calls"));
    }
    let mut fingerprints = Vec::with_capacity(k);
    for _ in 0..k {
        fingerprints.push(r.u64()?);
    }
    if r.pos != bytes.len() {
        return Err(bad("trailing bytes after the part"));
    }
    let [(rejects, rejects_total), (notes, notes_total)] = lists;
    Ok(PartData {
        store,
        rejects,
        rejects_total,
        notes,
        notes_total,
        counts,
        keys,
        fingerprints,
        repeats,
    })
}

fn bad(what: &str) -> IngestError {
    IngestError {
        message: format!("broken part data: {what}"),
    }
}

fn system_byte(s: Option<CodeSystem>) -> u8 {
    match s {
        None => 0,
        Some(CodeSystem::Sip) => 1,
        Some(CodeSystem::Q850) => 2,
        Some(CodeSystem::Vos3000) => 3,
        Some(CodeSystem::FreeSwitch) => 4,
        Some(CodeSystem::Asterisk) => 5,
        Some(CodeSystem::ThreeCx) => 6,
        Some(CodeSystem::Text) => 7,
    }
}

fn byte_system(b: u8) -> Result<Option<CodeSystem>, IngestError> {
    Ok(match b {
        0 => None,
        1 => Some(CodeSystem::Sip),
        2 => Some(CodeSystem::Q850),
        3 => Some(CodeSystem::Vos3000),
        4 => Some(CodeSystem::FreeSwitch),
        5 => Some(CodeSystem::Asterisk),
        6 => Some(CodeSystem::ThreeCx),
        7 => Some(CodeSystem::Text),
        _ => return Err(bad("unknown code system")),
    })
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

fn put_opt16(out: &mut Vec<u8>, v: Option<u16>) {
    out.push(u8::from(v.is_some()));
    out.extend_from_slice(&v.unwrap_or(0).to_le_bytes());
}

/// Reads the bytes front to back; every read checks what is left.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], IngestError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| bad("cut short"))?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn u32(&mut self) -> Result<u32, IngestError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u64(&mut self) -> Result<u64, IngestError> {
        let b = self.take(8)?;
        Ok(u64::from_le_bytes(b.try_into().unwrap_or_default()))
    }

    fn str(&mut self) -> Result<&'a str, IngestError> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.take(n)?).map_err(|_| bad("a name is not UTF-8"))
    }

    fn opt16(&mut self) -> Result<Option<u16>, IngestError> {
        let b = self.take(3)?;
        match b[0] {
            0 => Ok(None),
            1 => Ok(Some(u16::from_le_bytes([b[1], b[2]]))),
            _ => Err(bad("a flag is neither 0 nor 1")),
        }
    }

    /// A u64 count of items at least `each` bytes long, which must fit in what is left (so a
    /// bogus count cannot make the reader allocate).
    fn count64(&mut self, each: usize) -> Result<usize, IngestError> {
        let n = self.u64()?;
        self.fits(n, each, usize::MAX)
    }

    /// A u32 count of items at least `each` bytes long, at most `max` (see [`Cursor::count64`]).
    fn count32(&mut self, each: usize, max: usize) -> Result<usize, IngestError> {
        let n = u64::from(self.u32()?);
        self.fits(n, each, max)
    }

    fn fits(&self, n: u64, each: usize, max: usize) -> Result<usize, IngestError> {
        let left = (self.bytes.len() - self.pos) as u64;
        if n.saturating_mul(each as u64) > left || n > max as u64 {
            return Err(bad("a count is larger than the data"));
        }
        Ok(n as usize)
    }
}
