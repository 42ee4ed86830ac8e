//! The call store: every accepted call in a compact row, for filters and drill-down without
//! re-reading the file.

use crate::analysis::prefix;
use crate::call::{Call, CodeSystem, EndDirection, Outcome, RawCode};
use crate::codes;
use crate::money::Money;
use std::collections::HashMap;

/// The code all further distinct codes are counted under once 65,534 exist.
pub const OTHER_CODES: &str = "(other codes)";

/// Small ids for strings that repeat (gateways, accounts, prefixes, codes).
#[derive(Clone, Debug, Default)]
pub struct Interner {
    ids: HashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Interner {
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
        self.ids.get(s).copied()
    }

    /// The string of an id.
    pub fn name(&self, id: u32) -> &str {
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

/// A final code as stored: its system and its printed form.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CodeKey {
    /// The code system, when the format has one.
    pub system: Option<CodeSystem>,
    /// The code as printed (`503`, `-9`, `NO ANSWER`); empty when the row had none.
    pub code: String,
    /// The SIP status it is equivalent to, for code-share health.
    pub equivalent_sip: Option<u16>,
}

/// One stored call (flags: bit 0 answered, bit 1 has time).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StoredCall {
    /// Byte offset of the row in its file.
    pub offset: u64,
    /// End time (or start time when there is no end) in ms; `i64::MIN` when none.
    pub time_ms: i64,
    /// 1-based line number of the row.
    pub line: u32,
    /// Row length in bytes.
    pub len: u32,
    /// Talk time in seconds.
    pub hold_s: u32,
    /// PDD in ms; 0 when unknown.
    pub pdd_ms: u32,
    /// Egress gateway id in [`CallStore::names`].
    pub egress: u32,
    /// Ingress gateway id in [`CallStore::names`].
    pub ingress: u32,
    /// Hash of caller and callee, to find retries of the same call.
    pub pair: u32,
    /// Destination prefix id in [`CallStore::prefixes`].
    pub prefix: u16,
    /// Final code id in [`CallStore::codes`].
    pub code: u16,
    /// The final SIP status from the record; 0 when none.
    pub sip: u16,
    /// The Q.850 cause from the record; 0 when none.
    pub q850: u16,
    /// Which input file the row came from.
    pub file: u16,
    /// End direction: 0 none, 1 caller, 2 callee, 3 server.
    pub direction: u8,
    /// The outcome, as [`Outcome`] discriminant order.
    pub outcome: u8,
    /// Bit flags.
    pub flags: u8,
}

impl StoredCall {
    /// Whether the call was answered.
    pub fn answered(&self) -> bool {
        self.flags & 1 != 0
    }

    /// The time in ms, when known.
    pub fn time(&self) -> Option<i64> {
        (self.time_ms != i64::MIN).then_some(self.time_ms)
    }

    /// The end direction.
    pub fn end_direction(&self) -> Option<EndDirection> {
        match self.direction {
            1 => Some(EndDirection::Caller),
            2 => Some(EndDirection::Callee),
            3 => Some(EndDirection::Server),
            _ => None,
        }
    }

    /// The outcome.
    pub fn outcome(&self) -> Outcome {
        OUTCOMES
            .get(self.outcome as usize)
            .copied()
            .unwrap_or(Outcome::Unknown)
    }
}

/// Every outcome, in stored order.
pub const OUTCOMES: [Outcome; 8] = [
    Outcome::Answered,
    Outcome::Busy,
    Outcome::NoAnswer,
    Outcome::Rejected,
    Outcome::Cancelled,
    Outcome::RoutingFailure,
    Outcome::NetworkFailure,
    Outcome::Unknown,
];

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
    code_ids: HashMap<(Option<CodeSystem>, String), u16>,
    /// Whether any call carries a real SIP final status (needed for NER).
    pub has_sip: bool,
    /// Whether any call carries a PDD.
    pub has_pdd: bool,
    /// The most decimal places any money field was written with.
    pub money_decimals: u8,
    /// User prefix list for destinations (longest match before the country code).
    pub user_prefixes: Vec<String>,
    /// The file new calls are attributed to.
    pub current_file: u16,
}

impl CallStore {
    /// An empty store.
    pub fn new() -> Self {
        let mut s = CallStore::default();
        s.names.intern("");
        s.prefixes.intern("");
        s
    }

    fn code_id(&mut self, system: Option<CodeSystem>, code: RawCode<'_>) -> u16 {
        let text = match code {
            RawCode::None => String::new(),
            RawCode::Num(n) => n.to_string(),
            RawCode::Name(s) => s.trim().to_string(),
        };
        let key = (system, text);
        if let Some(&id) = self.code_ids.get(&key) {
            return id;
        }
        // Ids are u16: once they run out (only a hostile file has 65,535 distinct codes), the
        // rest share one last "(other codes)" entry, so every call still counts under a code.
        if self.codes.len() >= usize::from(u16::MAX) {
            return u16::MAX - 1;
        }
        let (system, text) = if self.codes.len() == usize::from(u16::MAX) - 1 {
            (None, OTHER_CODES.to_string())
        } else {
            key
        };
        let key = (system, text);
        let equivalent_sip = system.and_then(|s| codes::equivalent_sip(s, &key.1));
        let id = self.codes.len() as u16;
        self.codes.push(CodeKey {
            system,
            code: key.1.clone(),
            equivalent_sip,
        });
        self.code_ids.insert(key, id);
        id
    }

    /// The code key of a stored code id.
    pub fn code(&self, id: u16) -> Option<&CodeKey> {
        self.codes.get(id as usize)
    }

    /// Adds one call.
    pub fn push(&mut self, call: &Call<'_>) {
        let code = self.code_id(call.code_system, call.code);
        let prefix = prefix::destination_prefix(call.callee, &self.user_prefixes);
        let prefix = u16::try_from(self.prefixes.intern(prefix)).unwrap_or(u16::MAX);
        let time = call.end_ms.or(call.start_ms);
        let sip = call.sip_code.unwrap_or(0);
        if sip != 0 {
            self.has_sip = true;
        }
        if call.pdd_ms.is_some() {
            self.has_pdd = true;
        }
        let stored = StoredCall {
            offset: call.offset,
            time_ms: time.unwrap_or(i64::MIN),
            line: u32::try_from(call.line).unwrap_or(u32::MAX),
            len: call.len,
            hold_s: call.hold_s,
            pdd_ms: call.pdd_ms.unwrap_or(0),
            egress: self.names.intern(call.egress.trim()),
            ingress: self.names.intern(call.ingress.trim()),
            pair: pair_hash(call.caller, call.callee),
            prefix,
            code,
            sip,
            q850: call.q850.unwrap_or(0),
            file: self.current_file,
            direction: match call.end_direction {
                None => 0,
                Some(EndDirection::Caller) => 1,
                Some(EndDirection::Callee) => 2,
                Some(EndDirection::Server) => 3,
            },
            outcome: OUTCOMES
                .iter()
                .position(|o| *o == call.outcome)
                .unwrap_or(7) as u8,
            flags: u8::from(call.answered) | (u8::from(time.is_some()) << 1),
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

/// FNV-1a hash of caller and callee numbers.
fn pair_hash(caller: &str, callee: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in caller
        .trim()
        .bytes()
        .chain([0u8])
        .chain(callee.trim().bytes())
    {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_ids_never_run_out() {
        let mut s = CallStore::new();
        for n in 0..70_000 {
            s.push(&Call {
                code: RawCode::Num(n),
                ..Call::default()
            });
        }
        assert_eq!(s.codes.len(), usize::from(u16::MAX));
        assert_eq!(s.codes[usize::from(u16::MAX) - 1].code, OTHER_CODES);
        assert_eq!(s.calls[69_999].code, u16::MAX - 1);
        assert_eq!(s.calls[1_000].code, 1_000);
    }
}
