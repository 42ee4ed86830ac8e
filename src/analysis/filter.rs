//! Filters over stored calls: time range, gateways, prefix, code, class, outcome, talk time,
//! fee and failover chains.

use crate::analysis::store::{CallStore, FeeState, StoredCall, OVERFLOW_ID};
use crate::outcome::Outcome;
use serde::{Deserialize, Serialize};

/// Which calls to look at; empty lists mean "all".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Filter {
    /// Calls at or after this time (local ms, as shown on the page).
    pub from_ms: Option<i64>,
    /// Calls before this time (local ms).
    pub to_ms: Option<i64>,
    /// Egress gateway names (`(none)` for calls without one).
    pub egress: Vec<String>,
    /// Ingress gateway names.
    pub ingress: Vec<String>,
    /// Destination prefixes.
    pub prefix: Vec<String>,
    /// Final codes as printed (`503`, `-9`, `NO ANSWER`).
    pub code: Vec<String>,
    /// Equivalent SIP classes (`2xx` … `6xx`, `other`; answered calls are `2xx`).
    pub class: Vec<SipClass>,
    /// Outcomes (`answered`, `busy`, `no_answer`, … see [`crate::outcome::Outcome`]).
    pub outcome: Vec<String>,
    /// Only answered (`true`) or only unanswered (`false`) calls.
    pub answered: Option<bool>,
    /// Hours of day (local), 0..23.
    pub hour: Vec<u8>,
    /// End directions (`caller`, `callee`, `server`, `(none)`).
    pub direction: Vec<EndedBy>,
    /// Calls with at least this many seconds of talk time (unanswered calls have 0).
    pub min_duration_s: Option<u32>,
    /// Calls with at most this many seconds of talk time.
    pub max_duration_s: Option<u32>,
    /// The fee: `zero` (charged 0), `nonzero` (charged something else), `mismatch` (a fee that
    /// differs from billed seconds × the rate of its customer and destination).
    pub fee: Option<FeeCondition>,
    /// Calls in a failover chain (same caller and callee, attempts within 30 s, see
    /// `analysis::chains`) of at least this many attempts; a call alone is a chain of 1.
    pub chain_min: Option<u8>,
    /// The call's place in its failover chain: `first` (began a chain of two or more) or
    /// `retried` (another attempt of the same call followed it).
    pub chain_role: Option<ChainRole>,
}

/// The values [`Filter::fee`] takes.
pub const FEE_CONDITIONS: [&str; 3] = ["zero", "nonzero", "mismatch"];
/// The values [`Filter::chain_role`] takes.
pub const CHAIN_ROLES: [&str; 2] = ["first", "retried"];

/// A filter condition that is one word in JSON (the page and `--filter` send the word): its
/// known words as variants, any other text kept as `Unknown` so it is echoed back as sent and
/// matches nothing (a typo shows 0 calls instead of silently all of them).
macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A word that is none of the known ones, as sent.
            Unknown(String),
        }

        impl $name {
            /// The value for `word` (surrounding spaces ignored, as a hand-typed filter has).
            pub fn parse(word: &str) -> Self {
                match word.trim() {
                    $($word => $name::$variant,)+
                    _ => $name::Unknown(word.to_string()),
                }
            }

            /// The word, as JSON writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $word,)+
                    $name::Unknown(word) => word,
                }
            }
        }

        impl From<&str> for $name {
            fn from(word: &str) -> Self {
                $name::parse(word)
            }
        }

        // The word is the value's whole identity, and the page and the tests read it as text
        // (`filter.fee.as_deref() == Some("zero")`): dereferencing to it keeps them unchanged.
        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                self.as_str()
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let word = std::borrow::Cow::<'de, str>::deserialize(d)?;
                Ok($name::parse(&word))
            }
        }
    };
}

word_enum! {
    /// The fee condition of [`Filter::fee`].
    FeeCondition {
        /// Charged 0.
        Zero => "zero",
        /// Charged something else than 0 (a mismatch included).
        Nonzero => "nonzero",
        /// A fee that differs from billed seconds × the rate of its customer and destination.
        Mismatch => "mismatch",
    }
}

word_enum! {
    /// An equivalent SIP class, for [`Filter::class`] (as [`crate::outcome::sip_class`] names it).
    SipClass {
        /// Provisional (a record that ended on one).
        S1xx => "1xx",
        /// Success: every answered call.
        S2xx => "2xx",
        /// Redirection.
        S3xx => "3xx",
        /// Client errors.
        S4xx => "4xx",
        /// Server errors.
        S5xx => "5xx",
        /// Global failures.
        S6xx => "6xx",
        /// No SIP equivalent.
        Other => "other",
    }
}

word_enum! {
    /// Who ended the call, for [`Filter::direction`]: the summary's `by_end_direction` names.
    EndedBy {
        /// The calling party.
        Caller => "caller",
        /// The called party or the egress side.
        Callee => "callee",
        /// The switch itself.
        Server => "server",
        /// The record does not say.
        NotRecorded => "(none)",
    }
}

word_enum! {
    /// A call's place in its failover chain, for [`Filter::chain_role`].
    ChainRole {
        /// Began a chain of two or more attempts.
        First => "first",
        /// Another attempt of the same call followed it.
        Retried => "retried",
    }
}

impl Filter {
    /// Sets one condition from a page control's `key` and text `value` (an empty value clears
    /// it); unknown keys are ignored.
    pub fn set(&mut self, key: &str, value: &str) {
        fn list<T: for<'a> From<&'a str>>(v: &str) -> Vec<T> {
            if v.is_empty() {
                Vec::new()
            } else {
                vec![T::from(v)]
            }
        }
        match key {
            "from" => self.from_ms = crate::calendar::parse_local(value),
            "to" => self.to_ms = crate::calendar::parse_local(value),
            "egress" => self.egress = list(value),
            "ingress" => self.ingress = list(value),
            "prefix" => self.prefix = list(value),
            "code" => self.code = list(value),
            "class" => self.class = list(value),
            "outcome" => self.outcome = list(value),
            "direction" => self.direction = list(value),
            "answered" => {
                self.answered = match value {
                    "yes" => Some(true),
                    "no" => Some(false),
                    _ => None,
                }
            }
            "min_duration_s" => self.min_duration_s = value.parse().ok(),
            "max_duration_s" => self.max_duration_s = value.parse().ok(),
            "fee" => self.fee = (!value.is_empty()).then(|| value.into()),
            "chain_min" => self.chain_min = value.parse().ok(),
            "chain_role" => self.chain_role = (!value.is_empty()).then(|| value.into()),
            _ => {}
        }
    }

    /// This filter narrowed by a clicked region's filter `by`: every condition `by` sets
    /// replaces this one's, the others stay.
    pub fn narrowed_by(&self, by: &Filter) -> Filter {
        fn pick<T: Clone>(a: &[T], b: &[T]) -> Vec<T> {
            if b.is_empty() { a } else { b }.to_vec()
        }
        Filter {
            from_ms: by.from_ms.or(self.from_ms),
            to_ms: by.to_ms.or(self.to_ms),
            egress: pick(&self.egress, &by.egress),
            ingress: pick(&self.ingress, &by.ingress),
            prefix: pick(&self.prefix, &by.prefix),
            code: pick(&self.code, &by.code),
            class: pick(&self.class, &by.class),
            outcome: pick(&self.outcome, &by.outcome),
            answered: by.answered.or(self.answered),
            hour: pick(&self.hour, &by.hour),
            direction: pick(&self.direction, &by.direction),
            min_duration_s: by.min_duration_s.or(self.min_duration_s),
            max_duration_s: by.max_duration_s.or(self.max_duration_s),
            fee: by.fee.clone().or_else(|| self.fee.clone()),
            chain_min: by.chain_min.or(self.chain_min),
            chain_role: by.chain_role.clone().or_else(|| self.chain_role.clone()),
        }
    }

    /// Whether the filter lets everything through.
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }
}

/// A set of 16-bit ids as one flag per possible id, so a call's membership is a single load
/// (a filter is matched against every stored call, twice per summary).
type IdSet = Box<[bool; 1 << 16]>;

/// The set holding `ids`.
fn id_set(ids: impl Iterator<Item = u16>) -> IdSet {
    let mut set: IdSet = vec![false; 1 << 16]
        .into_boxed_slice()
        .try_into()
        .expect("the length is 1 << 16");
    for id in ids {
        set[usize::from(id)] = true;
    }
    set
}

/// The name shown for an empty group key.
pub const NONE_NAME: &str = "(none)";

/// A filter resolved against a store's ids, for fast matching.
pub struct CompiledFilter {
    from_ms: Option<i64>,
    to_ms: Option<i64>,
    egress: Option<IdSet>,
    ingress: Option<IdSet>,
    prefix: Option<IdSet>,
    codes: Option<Vec<bool>>,
    answered: Option<bool>,
    /// Allowed outcomes, one bit per index of [`Outcome::ALL`] (an unknown name matches
    /// nothing).
    outcomes: Option<u16>,
    hours: Option<[bool; 24]>,
    directions: Option<[bool; 4]>,
    offset_ms: i64,
    min_duration_s: Option<u32>,
    max_duration_s: Option<u32>,
    /// Allowed fee states, one bit per [`FeeState`] value.
    fee: Option<u8>,
    chain_min: Option<u8>,
    /// 1 first, 2 retried, 0 an unknown role (matches nothing).
    chain_role: Option<u8>,
}

impl CompiledFilter {
    /// Resolves `filter` against `store`; `offset_ms` converts stored UTC times to local.
    pub fn new(filter: &Filter, store: &CallStore, offset_ms: i64) -> Self {
        let names = |list: &Vec<String>| -> Option<IdSet> {
            (!list.is_empty()).then(|| {
                id_set(
                    list.iter()
                        .filter_map(|n| {
                            store
                                .names
                                .get(if n == NONE_NAME { "" } else { n.as_str() })
                        })
                        .map(|id| u16::try_from(id).unwrap_or(OVERFLOW_ID)),
                )
            })
        };
        let prefix = (!filter.prefix.is_empty()).then(|| {
            id_set(
                filter
                    .prefix
                    .iter()
                    .filter_map(|p| {
                        store
                            .prefixes
                            .get(if p == NONE_NAME { "" } else { p.as_str() })
                    })
                    .map(|id| id as u16),
            )
        });
        let codes = (!filter.code.is_empty() || !filter.class.is_empty()).then(|| {
            store
                .codes
                .iter()
                .map(|k| {
                    let by_code =
                        filter.code.is_empty() || filter.code.iter().any(|c| c.trim() == k.code);
                    let by_class = filter.class.is_empty()
                        || filter.class.iter().any(|c| c.as_str() == k.sip_class());
                    by_code && by_class
                })
                .collect()
        });
        let hours = (!filter.hour.is_empty()).then(|| {
            let mut h = [false; 24];
            for &x in &filter.hour {
                if let Some(slot) = h.get_mut(x as usize) {
                    *slot = true;
                }
            }
            h
        });
        let directions = (!filter.direction.is_empty()).then(|| {
            let mut d = [false; 4];
            for x in &filter.direction {
                match x {
                    EndedBy::Caller => d[1] = true,
                    EndedBy::Callee => d[2] = true,
                    EndedBy::Server => d[3] = true,
                    // `(none)`, and any other word: the calls whose record does not say.
                    EndedBy::NotRecorded | EndedBy::Unknown(_) => d[0] = true,
                }
            }
            d
        });
        CompiledFilter {
            from_ms: filter.from_ms,
            to_ms: filter.to_ms,
            egress: names(&filter.egress),
            ingress: names(&filter.ingress),
            prefix,
            codes,
            answered: filter.answered,
            outcomes: (!filter.outcome.is_empty()).then(|| {
                filter
                    .outcome
                    .iter()
                    .filter_map(|o| Outcome::parse(o))
                    .fold(0u16, |bits, o| bits | 1 << o.index())
            }),
            hours,
            directions,
            offset_ms,
            min_duration_s: filter.min_duration_s,
            max_duration_s: filter.max_duration_s,
            // An unknown word matches nothing rather than everything: a typo shows 0 calls
            // instead of silently all of them.
            fee: filter.fee.as_ref().map(|f| match f {
                FeeCondition::Zero => 1 << FeeState::Zero as u8,
                FeeCondition::Nonzero => {
                    (1 << FeeState::Charged as u8) | (1 << FeeState::Mismatch as u8)
                }
                FeeCondition::Mismatch => 1 << FeeState::Mismatch as u8,
                FeeCondition::Unknown(_) => 0,
            }),
            chain_min: filter.chain_min,
            chain_role: filter.chain_role.as_ref().map(|r| match r {
                ChainRole::First => 1,
                ChainRole::Retried => 2,
                ChainRole::Unknown(_) => 0,
            }),
        }
    }

    /// Whether a stored call passes.
    #[inline]
    pub fn matches(&self, c: &StoredCall) -> bool {
        if let Some(a) = self.answered {
            if c.answered() != a {
                return false;
            }
        }
        if let Some(bits) = self.outcomes {
            if bits & (1 << c.outcome_index()) == 0 {
                return false;
            }
        }
        if self.from_ms.is_some() || self.to_ms.is_some() || self.hours.is_some() {
            let Some(t) = c.time() else { return false };
            let local = t + self.offset_ms;
            if self.from_ms.is_some_and(|f| local < f) || self.to_ms.is_some_and(|to| local >= to) {
                return false;
            }
            if let Some(h) = &self.hours {
                if !h[(local.rem_euclid(86_400_000) / 3_600_000) as usize] {
                    return false;
                }
            }
        }
        let (egress, ingress, prefix) = (c.egress, c.ingress, c.prefix);
        if self
            .egress
            .as_ref()
            .is_some_and(|v| !v[usize::from(egress)])
        {
            return false;
        }
        if self
            .ingress
            .as_ref()
            .is_some_and(|v| !v[usize::from(ingress)])
        {
            return false;
        }
        if self
            .prefix
            .as_ref()
            .is_some_and(|v| !v[usize::from(prefix)])
        {
            return false;
        }
        if self
            .codes
            .as_ref()
            .is_some_and(|v| !v.get(c.code as usize).copied().unwrap_or(false))
        {
            return false;
        }
        if self
            .directions
            .as_ref()
            .is_some_and(|d| !d[c.direction() as usize])
        {
            return false;
        }
        let hold = c.hold_s;
        if self.min_duration_s.is_some_and(|m| hold < m)
            || self.max_duration_s.is_some_and(|m| hold > m)
        {
            return false;
        }
        if self
            .fee
            .is_some_and(|mask| mask & (1 << c.fee_state() as u8) == 0)
        {
            return false;
        }
        if self.chain_min.is_some() || self.chain_role.is_some() {
            let ch = c.chain();
            if self.chain_min.is_some_and(|n| ch.len() < n) {
                return false;
            }
            match self.chain_role {
                Some(1) if !ch.first() => return false,
                Some(2) if !ch.retried() => return false,
                Some(0) => return false,
                _ => {}
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fee_and_chain_role_are_words_in_json() {
        let f: Filter =
            serde_json::from_str(r#"{"fee":"mismatch","chain_role":"retried"}"#).unwrap();
        assert_eq!(f.fee, Some(FeeCondition::Mismatch));
        assert_eq!(f.chain_role, Some(ChainRole::Retried));
        assert_eq!(f.fee.as_deref(), Some("mismatch"));
        let json = serde_json::to_string(&f).unwrap();
        assert!(json.contains(r#""fee":"mismatch""#), "{json}");
        assert!(json.contains(r#""chain_role":"retried""#), "{json}");
        // A typo is kept as sent (and matches nothing); spaces around a known word are not.
        let f: Filter = serde_json::from_str(r#"{"fee":"zeroo","chain_role":" first "}"#).unwrap();
        assert_eq!(f.fee, Some(FeeCondition::Unknown("zeroo".into())));
        assert_eq!(f.chain_role, Some(ChainRole::First));
        let json = serde_json::to_string(&f).unwrap();
        assert!(json.contains(r#""fee":"zeroo""#), "{json}");
        assert_eq!(
            FEE_CONDITIONS.map(|w| FeeCondition::parse(w).as_str().len()),
            [4, 7, 8]
        );
        assert_eq!(ChainRole::from("first"), ChainRole::First);
        assert_eq!(
            CHAIN_ROLES.map(ChainRole::parse),
            [ChainRole::First, ChainRole::Retried]
        );
    }

    #[test]
    fn class_and_direction_are_words_in_json() {
        let f: Filter =
            serde_json::from_str(r#"{"class":["5xx","other"],"direction":["caller","(none)"]}"#)
                .unwrap();
        assert_eq!(f.class, [SipClass::S5xx, SipClass::Other]);
        assert_eq!(f.direction, [EndedBy::Caller, EndedBy::NotRecorded]);
        let json = serde_json::to_string(&f).unwrap();
        assert!(
            json.contains(r#""class":["5xx","other"]"#)
                && json.contains(r#""direction":["caller","(none)"]"#),
            "{json}"
        );
    }

    #[test]
    fn controls_set_one_condition_and_clear_it() {
        let mut f = Filter::default();
        f.set("from", "2025-03-10T14:05");
        f.set("egress", "GW_A");
        f.set("class", "5xx");
        f.set("answered", "no");
        f.set("fee", "zero");
        f.set("chain_min", "3");
        f.set("no such control", "x");
        assert_eq!(f.from_ms, Some(1_741_615_500_000));
        assert_eq!(
            (f.egress.as_slice(), f.class.as_slice(), f.answered),
            (
                &["GW_A".to_string()][..],
                &[SipClass::S5xx][..],
                Some(false)
            )
        );
        assert_eq!(
            (f.fee.clone(), f.chain_min),
            (Some(FeeCondition::Zero), Some(3))
        );
        for key in ["from", "egress", "class", "answered", "fee", "chain_min"] {
            f.set(key, "");
        }
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn a_click_narrows_only_what_it_names() {
        let base = Filter {
            egress: vec!["GW_A".into()],
            answered: Some(false),
            from_ms: Some(1),
            ..Filter::default()
        };
        let by = Filter {
            code: vec!["503".into()],
            egress: vec!["GW_B".into()],
            direction: vec![EndedBy::Server],
            outcome: vec!["unavailable".into()],
            ..Filter::default()
        };
        let f = base.narrowed_by(&by);
        assert_eq!(
            f,
            Filter {
                egress: vec!["GW_B".into()],
                code: vec!["503".into()],
                direction: vec![EndedBy::Server],
                outcome: vec!["unavailable".into()],
                answered: Some(false),
                from_ms: Some(1),
                ..Filter::default()
            }
        );
        assert_eq!(base.narrowed_by(&Filter::default()), base);
    }
}
