//! Turning a [`Call`] into a [`NormalizedRow`]: the outcome from [`crate::outcome`], the
//! destination from [`crate::numbers`], the code's meaning from [`crate::codes`], times in UTC.

use super::row::{Duplicate, NormalizedRow};
use crate::analysis::dedupe::{self, CrossFileDedupe};
use crate::analysis::repeats::{self, RepeatedRows};
use crate::analysis::store::CodeKey;
use crate::call::{Call, CodeSystem, EndDirection, RawCode, TimeBasis};
use crate::codes;
use crate::formats::FormatId;
use crate::ingest::{Dialect, Sink};
use crate::numbers::{Destination, Lang, NumberPlan};
use crate::outcome::{outcome, Attempt, Outcome};
use crate::reject::Reject;
use rustc_hash::FxHashMap as HashMap;

/// What a code means, worked out once per (system, code, SIP final, cause, answered).
#[derive(Clone, Debug)]
struct CodeInfo {
    /// The code as printed.
    code: Box<str>,
    /// The short label.
    label: Box<str>,
    /// The SIP status the KPIs count attempts with this code under.
    sip_equivalent: Option<u16>,
    /// The code table's class.
    sip_class: &'static str,
    /// The outcome by (rang, ended by the caller), as [`outcome`] gives it, once asked.
    outcomes: [Option<Outcome>; 4],
}

/// The identity of a named code (the name itself is the map's key).
type NamedKey = (Option<CodeSystem>, Option<u16>, Option<u16>, bool);
/// The identity of a numeric code: system, number, SIP final, cause, answered.
type NumKey = (Option<CodeSystem>, i32, Option<u16>, Option<u16>, bool);

/// Destination key and names, once per destination.
#[derive(Clone, Debug)]
struct DestInfo {
    key: Box<str>,
    en: Box<str>,
    es: Box<str>,
}

/// Turns the calls of one or more files into normalized rows; keeps small per-code and
/// per-destination tables so that a row costs a few hash lookups.
#[derive(Clone, Debug)]
pub struct Normalizer {
    plan: NumberPlan,
    tz_offset_ms: i64,
    file: String,
    format: &'static str,
    naive: bool,
    codes: Vec<CodeInfo>,
    num_codes: HashMap<NumKey, u32>,
    named_codes: HashMap<Box<str>, Vec<(NamedKey, u32)>>,
    dests: HashMap<Destination, DestInfo>,
}

impl Normalizer {
    /// A normalizer reading numbers with `plan`; `tz_offset_min` is the time zone of local
    /// wall-clock times (Asterisk, FreeSWITCH, VOS3000 client exports), which become UTC, and
    /// of the local days that partition the files.
    pub fn new(plan: NumberPlan, tz_offset_min: i32) -> Self {
        Normalizer {
            plan,
            tz_offset_ms: i64::from(tz_offset_min) * 60_000,
            file: String::new(),
            format: "",
            naive: false,
            codes: Vec::new(),
            num_codes: HashMap::default(),
            named_codes: HashMap::default(),
            dests: HashMap::default(),
        }
    }

    /// Starts the rows of file `name` (format unknown until [`Normalizer::set_dialect`]).
    pub fn start_file(&mut self, name: &str) {
        self.file.clear();
        self.file.push_str(name);
        self.format = "";
        self.naive = false;
    }

    /// Sets the current file's format and time basis.
    pub fn set_format(&mut self, format: FormatId, basis: TimeBasis) {
        self.format = format.id();
        self.naive = basis == TimeBasis::NaiveLocal;
    }

    /// The current file's name.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The time zone offset in milliseconds.
    pub fn tz_offset_ms(&self) -> i64 {
        self.tz_offset_ms
    }

    /// The id of the code info of `call`, adding it when new.
    fn code_id(&mut self, call: &Call<'_>) -> usize {
        let (sys, sip, q, ans) = (call.code_system, call.sip_code, call.q850, call.answered);
        if let RawCode::Num(n) = call.code {
            if let Some(&id) = self.num_codes.get(&(sys, n, sip, q, ans)) {
                return id as usize;
            }
            let id = self.add_code(sys, n.to_string(), sip, q, ans);
            self.num_codes.insert((sys, n, sip, q, ans), id as u32);
            return id;
        }
        let name = match call.code {
            RawCode::Name(s) => s.trim(),
            _ => "",
        };
        if let Some(list) = self.named_codes.get(name) {
            if let Some(&(_, id)) = list.iter().find(|(k, _)| *k == (sys, sip, q, ans)) {
                return id as usize;
            }
        }
        let id = self.add_code(sys, name.to_string(), sip, q, ans);
        self.named_codes
            .entry(name.into())
            .or_default()
            .push(((sys, sip, q, ans), id as u32));
        id
    }

    fn add_code(
        &mut self,
        system: Option<CodeSystem>,
        code: String,
        sip: Option<u16>,
        q850: Option<u16>,
        answered: bool,
    ) -> usize {
        // The store's code key holds the meaning the page's code table shows (its class and
        // SIP equivalent), so the export reads it from there rather than deciding it again.
        let key = CodeKey::new(system, code, sip, q850, answered);
        // The KPIs' SIP status (kpi::CallFacts): 200 when answered, else the record's SIP
        // final (a 0 reads as none), else the code's equivalent.
        let sip_equivalent = if answered {
            Some(200)
        } else {
            sip.filter(|&s| s != 0).or(key.equivalent_sip)
        };
        self.codes.push(CodeInfo {
            label: codes::short_label(system, &key.code).into(),
            sip_class: key.sip_class(),
            sip_equivalent,
            outcomes: [None; 4],
            code: key.code.into(),
        });
        self.codes.len() - 1
    }

    /// Makes sure destination `d` has its info.
    fn add_destination(&mut self, d: Destination) {
        if self.dests.contains_key(&d) {
            return;
        }
        let plan = &self.plan;
        self.dests.insert(d, {
            // The page labels a destination by its key (`label_of_key`), so the names are the
            // ones its tables show.
            let key = plan.key(&d);
            DestInfo {
                key: key.into(),
                en: plan.label_of_key(key, Lang::En).into(),
                es: plan.label_of_key(key, Lang::Es).into(),
            }
        });
    }

    /// The normalized row of `call`, flagged as `duplicate`.
    pub fn row<'s>(&'s mut self, call: &'s Call<'_>, duplicate: Duplicate) -> NormalizedRow<'s> {
        let id = self.code_id(call);
        let rang = call.pdd_ms.is_some_and(|p| p > 0);
        let by_caller = call.end_direction == Some(EndDirection::Caller);
        let slot = usize::from(rang) * 2 + usize::from(by_caller);
        let info = &mut self.codes[id];
        // `outcome` is a function of the attempt alone: asked once per distinct attempt.
        let o = *info.outcomes[slot].get_or_insert_with(|| {
            outcome(&Attempt {
                answered: call.answered,
                system: call.code_system,
                code: &info.code,
                sip: call.sip_code,
                q850: call.q850,
                rang,
                end_direction: call.end_direction,
            })
        });
        // Local wall-clock times become instants with the export's time zone.
        let shift = if self.naive { self.tz_offset_ms } else { 0 };
        let utc = |t: Option<i64>| t.map(|t| t - shift);
        let time = call.end_ms.or(call.start_ms).map(|t| t - shift);
        let local_day = time.map(|t| (t + self.tz_offset_ms).div_euclid(86_400_000));
        let d = self
            .plan
            .destination(call.callee, call.callee_international);
        self.add_destination(d);
        let dest = &self.dests[&d];
        let info = &self.codes[id];
        let error_class = match info.sip_equivalent {
            // Answered calls are in no error share, and a caller's cancel is no route error.
            _ if call.answered || o == Outcome::Cancelled => None,
            Some(400..=499) => Some("4xx"),
            Some(500..=599) => Some("5xx"),
            Some(600..=699) => Some("6xx"),
            _ => None,
        };
        NormalizedRow {
            source_file: &self.file,
            source_line: call.line,
            format: self.format,
            start_ms: utc(call.start_ms),
            answer_ms: utc(call.answer_ms),
            end_ms: utc(call.end_ms),
            caller: call.caller.trim_ascii(),
            callee: call.callee.trim_ascii(),
            destination: &dest.key,
            destination_name: &dest.en,
            destination_name_es: &dest.es,
            ingress_gateway: call.ingress.trim_ascii(),
            egress_gateway: call.egress.trim_ascii(),
            account: call.account.trim_ascii(),
            call_id: call.call_id.trim_ascii(),
            code: &info.code,
            code_system: call.code_system,
            code_label: &info.label,
            sip_final: call.sip_code,
            sip_equivalent: info.sip_equivalent,
            sip_class: info.sip_class,
            q850: call.q850,
            outcome: o,
            answered: call.answered,
            error_class,
            talk_s: call.hold_s,
            billed_s: call.billed_s,
            pdd_ms: call.pdd_ms,
            end_direction: call.end_direction,
            fee: call.fee,
            cost: call.cost,
            duplicate,
            local_day,
        }
    }
}

/// What decides duplicates, per call: the repeated-row fingerprint and the cross-file key
/// (none for a call without an id), as the report's data set computes them.
pub fn duplicate_keys(call: &Call<'_>) -> (u64, Option<u64>) {
    (repeats::fingerprint(call), dedupe::key(call))
}

/// Where [`ExportSink`] hands its rows and rejects.
pub trait RowSink {
    /// Takes one normalized row.
    fn row(&mut self, row: &NormalizedRow<'_>);
    /// Takes one rejected row of file `file`.
    fn reject(&mut self, _file: &str, _reject: &Reject) {}
}

/// A [`Sink`] that turns every call into a [`NormalizedRow`], flagging duplicates in memory
/// exactly as the report's data set counts them (a repeat within the file first, then a call
/// of an earlier file), and hands rows and rejects to a [`RowSink`].
pub struct ExportSink<W: RowSink> {
    normalizer: Normalizer,
    repeats: RepeatedRows,
    dedupe: CrossFileDedupe,
    file: Option<u16>,
    /// Where rows go.
    pub out: W,
}

impl<W: RowSink> ExportSink<W> {
    /// A sink normalizing with `normalizer` into `out`.
    pub fn new(normalizer: Normalizer, out: W) -> Self {
        ExportSink {
            normalizer,
            repeats: RepeatedRows::default(),
            dedupe: CrossFileDedupe::default(),
            file: None,
            out,
        }
    }

    /// Starts the next file (repeats are looked for within one file, duplicates across files).
    pub fn start_file(&mut self, name: &str) {
        self.file = Some(self.file.map_or(0, |f| f.saturating_add(1)));
        self.repeats.forget_rows();
        self.normalizer.start_file(name);
    }
}

impl<W: RowSink> Sink for ExportSink<W> {
    fn call(&mut self, call: &Call<'_>) {
        let file = self.file.unwrap_or(0);
        // The order of the report's collector: a repeated row is never looked up across files.
        let dup = if self.repeats.is_repeat(call) {
            Duplicate::RepeatedRow
        } else if self.dedupe.is_duplicate(call, file) {
            Duplicate::EarlierFile
        } else {
            Duplicate::No
        };
        let row = self.normalizer.row(call, dup);
        self.out.row(&row);
    }

    fn reject(&mut self, reject: Reject) {
        self.out.reject(self.normalizer.file(), &reject);
    }

    fn dialect(&mut self, dialect: &Dialect) {
        self.normalizer
            .set_format(dialect.detection.format, dialect.time_basis);
    }
}
