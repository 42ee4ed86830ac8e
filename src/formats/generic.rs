//! Generic CSV: any export, read through a column mapping the user gives as JSON.
//!
//! Example mapping for a semicolon export with Spanish headers and day-first dates:
//!
//! ```json
//! {
//!   "delimiter": ";",
//!   "date_order": "dmy",
//!   "start": "Fecha Inicio",
//!   "answer": "Fecha Respuesta",
//!   "end": "Fecha Fin",
//!   "duration": "Duracion (s)",
//!   "pdd": "PDD (ms)",
//!   "caller": "Origen",
//!   "callee": "Destino",
//!   "ingress": "Cliente",
//!   "egress": "Proveedor",
//!   "code": "Codigo SIP",
//!   "code_system": "sip",
//!   "answered": "answer_time",
//!   "fee": "Tarifa Cliente",
//!   "cost": "Costo Proveedor"
//! }
//! ```
//!
//! Every key is optional. A column is named by its header text (matched ignoring case, spaces,
//! `_` and `-`) or by its 0-based index (`"duration": 9`).
//! - `delimiter`: `","`, `";"`, `"\t"` (or `"tab"`), `"|"`; sniffed when absent.
//! - `header`: whether the first row is a header; by default yes when any column is given by
//!   name, otherwise decided from whether the first row's mapped times and numbers parse.
//! - `start`, `answer`, `end`: times, as epoch seconds or milliseconds, or datetimes in
//!   `date_order` (`"ymd"` default, `"dmy"` for `10/03/2025 14:00:05`, `"mdy"`).
//! - `time_basis`: `"utc"` or `"naive_local"`; by default epoch stamps are UTC and datetimes
//!   local.
//! - `duration`: talk time in `duration_unit` (`"s"` default, or `"ms"`), rounded to the
//!   nearest second; in seconds, `h:mm:ss` and `mm:ss` are read too; without it, answer → end.
//! - `pdd`: post-dial delay in `pdd_unit` (`"ms"` default, or `"s"`); 0 means none.
//! - `caller`, `callee`, `ingress`, `egress`, `account`, `call_id`: text columns.
//! - `code`: the final code; `code_system` says what it is: `"sip"` (default), `"q850"`,
//!   `"vos3000"`, `"freeswitch"`, `"asterisk"` or `"text"` (a status word such as
//!   `ANSWERED`, `completed`, `busy`, `no-answer`, `canceled`: the outcome module's word
//!   table decides answered and the failure outcome).
//! - `code_words`: with `"text"`, the user's own words and the outcome each means, e.g.
//!   `{"Besetzt": "busy", "Beantwortet": "answered", "TerminatedBySrc": "cancelled"}`
//!   (outcomes: answered, busy, no_answer, cancelled, rejected, number_error, no_route,
//!   unavailable, timeout, media, auth, other); a listed word that the built-in table reads
//!   otherwise is kept as the outcome's name.
//! - `answered`: `"auto"` (default: an answer time when mapped, else talk time > 0, else a
//!   success code), `"duration"` (talk time > 0), `"answer_time"` (answer column not empty),
//!   `{"code": ["200", "ANSWERED"]}` (the code is one of these), or
//!   `{"flag": {"column": "Status", "values": ["yes", "1"]}}` (a column holds one of these,
//!   ignoring case).
//! - `fee`, `cost`: decimal amounts (`.` or `,` as decimal mark).

use super::fields::{self, Col};
use super::values::parse_hms;
use super::values::{parse_seconds_to_ms, parse_time_ms, parse_u32};
use super::{norm_header, Candidate, Mapped, Row, RowMapper};
use crate::call::{Call, CodeSystem, RawCode, TimeBasis};
use crate::codes;
use crate::money::Money;
use crate::outcome::{tables::text_outcome, Outcome};
use crate::reject::RejectReason;
use serde::{Deserialize, Serialize};

/// A column given by its header name or by its 0-based index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ColumnRef {
    /// The 0-based position.
    Index(usize),
    /// The header text.
    Name(String),
}

impl ColumnRef {
    /// The column at a 0-based index, if any.
    pub fn at(index: Option<usize>) -> Option<ColumnRef> {
        index.map(ColumnRef::Index)
    }

    /// The column a format mapper reads, if any.
    pub fn of(col: &Option<Col>) -> Option<ColumnRef> {
        ColumnRef::at(col.as_ref().map(|c| c.index))
    }
}

/// The unit of a duration column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Seconds (decimals allowed).
    #[default]
    S,
    /// Milliseconds.
    Ms,
}

/// The order of day, month and year in datetime strings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// `2025-03-10` (or `2025/03/10`).
    #[default]
    Ymd,
    /// `10/03/2025` (or `10-03-2025`, `10.03.2025`).
    Dmy,
    /// `03/10/2025`.
    Mdy,
}

/// A column holding an answered flag, and the values that mean "answered".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagColumn {
    /// The column.
    pub column: ColumnRef,
    /// Values meaning answered, compared ignoring case.
    pub values: Vec<String>,
}

/// How to tell that a call was answered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnsweredRule {
    /// An answer time when mapped, else talk time > 0, else a success code.
    #[default]
    Auto,
    /// Talk time > 0.
    Duration,
    /// The answer column is not empty.
    AnswerTime,
    /// The final code is one of these.
    Code(Vec<String>),
    /// A column holds one of these values.
    Flag(FlagColumn),
}

/// Which column holds which field, for CSVs of no known format (see the module notes).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ColumnMapping {
    /// The field delimiter; sniffed when absent.
    pub delimiter: Option<String>,
    /// Whether the first row is a header; decided from the columns when absent.
    pub header: Option<bool>,
    /// The order of day, month and year in datetimes.
    pub date_order: DateOrder,
    /// `utc` or `naive_local`; decided from the times when absent.
    pub time_basis: Option<TimeBasis>,
    /// Call start time.
    pub start: Option<ColumnRef>,
    /// Answer time.
    pub answer: Option<ColumnRef>,
    /// End time.
    pub end: Option<ColumnRef>,
    /// Talk time.
    pub duration: Option<ColumnRef>,
    /// The unit of `duration`.
    pub duration_unit: Unit,
    /// Post-dial delay.
    pub pdd: Option<ColumnRef>,
    /// The unit of `pdd` (milliseconds by default).
    pub pdd_unit: Option<Unit>,
    /// Calling number.
    pub caller: Option<ColumnRef>,
    /// Called number.
    pub callee: Option<ColumnRef>,
    /// Ingress gateway or customer.
    pub ingress: Option<ColumnRef>,
    /// Egress gateway or vendor.
    pub egress: Option<ColumnRef>,
    /// Customer account.
    pub account: Option<ColumnRef>,
    /// Call identifier.
    pub call_id: Option<ColumnRef>,
    /// Final code.
    pub code: Option<ColumnRef>,
    /// The code system of `code`: `sip` (default), `q850`, `vos3000`, `freeswitch`,
    /// `asterisk`, `text`.
    pub code_system: Option<String>,
    /// With `text` codes: the user's words and the outcome each means (`"Besetzt": "busy"`).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub code_words: std::collections::BTreeMap<String, String>,
    /// How to tell an answered call.
    pub answered: AnsweredRule,
    /// Amount charged to the customer.
    pub fee: Option<ColumnRef>,
    /// Amount paid to the vendor.
    pub cost: Option<ColumnRef>,
}

impl ColumnMapping {
    /// The delimiter byte the mapping asks for, if any.
    pub fn delimiter_byte(&self) -> Option<u8> {
        let d = self.delimiter.as_deref()?;
        match d.to_ascii_lowercase().as_str() {
            "tab" | "\\t" | "\t" => Some(b'\t'),
            "comma" => Some(b','),
            "semicolon" => Some(b';'),
            "pipe" => Some(b'|'),
            _ if d.len() == 1 && d.is_ascii() => Some(d.as_bytes()[0]),
            _ => None,
        }
    }

    fn refs(&self) -> Vec<(&'static str, &ColumnRef)> {
        let mut v: Vec<(&'static str, &ColumnRef)> = [
            ("start", &self.start),
            ("answer", &self.answer),
            ("end", &self.end),
            ("duration", &self.duration),
            ("pdd", &self.pdd),
            ("caller", &self.caller),
            ("callee", &self.callee),
            ("ingress", &self.ingress),
            ("egress", &self.egress),
            ("account", &self.account),
            ("call_id", &self.call_id),
            ("code", &self.code),
            ("fee", &self.fee),
            ("cost", &self.cost),
        ]
        .into_iter()
        .filter_map(|(k, r)| r.as_ref().map(|r| (k, r)))
        .collect();
        if let AnsweredRule::Flag(f) = &self.answered {
            v.push(("answered", &f.column));
        }
        v
    }

    fn code_system(&self) -> Result<CodeSystem, String> {
        let Some(name) = self.code_system.as_deref() else {
            return Ok(CodeSystem::Sip);
        };
        [
            CodeSystem::Sip,
            CodeSystem::Q850,
            CodeSystem::Vos3000,
            CodeSystem::FreeSwitch,
            CodeSystem::Asterisk,
            CodeSystem::Text,
        ]
        .into_iter()
        .find(|s| s.as_str().eq_ignore_ascii_case(name.trim()))
        .ok_or_else(|| {
            format!(
                "unknown code_system {name:?} (use sip, q850, vos3000, freeswitch, asterisk or text)"
            )
        })
    }

    /// The user's `code_words`, each with its outcome; an unknown outcome name is an error.
    fn words(&self) -> Result<Vec<(String, Outcome)>, String> {
        self.code_words
            .iter()
            .map(|(word, name)| {
                Outcome::parse(name)
                    .map(|o| (word.clone(), o))
                    .ok_or_else(|| {
                        let all: Vec<&str> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
                        format!(
                            "code_words: {word:?} means {name:?}, which is no outcome (use {})",
                            all.join(", ")
                        )
                    })
            })
            .collect()
    }

    /// Whether the first sample row is a header, per `header` or the columns.
    fn has_header(&self, sample: &[Vec<String>]) -> bool {
        if let Some(h) = self.header {
            return h;
        }
        let refs = self.refs();
        if refs.iter().any(|(_, r)| matches!(r, ColumnRef::Name(_))) {
            return true;
        }
        let Some(first) = sample.first() else {
            return false;
        };
        let cell = |r: &Option<ColumnRef>| match r {
            Some(ColumnRef::Index(i)) => first.get(*i).map(|s| s.trim()),
            _ => None,
        };
        let times_fail = [&self.start, &self.answer, &self.end]
            .into_iter()
            .filter_map(cell)
            .any(|v| !v.is_empty() && parse_time(v, self.date_order).is_none());
        let number_fails = [&self.duration, &self.pdd]
            .into_iter()
            .filter_map(cell)
            .any(|v| !v.is_empty() && parse_seconds_to_ms(v).is_none());
        times_fail || number_fails
    }
}

/// Rewrites a day-first or month-first date to `YYYY-MM-DD…` and parses the time.
fn parse_time(text: &str, order: DateOrder) -> Option<(Option<i64>, bool)> {
    let t = text.trim();
    if order == DateOrder::Ymd || t.is_empty() || t.bytes().all(|b| b.is_ascii_digit()) {
        return parse_time_ms(t);
    }
    let (date, rest) = t.split_at(t.find([' ', 'T']).unwrap_or(t.len()));
    let parts: Vec<&str> = date.split(['/', '-', '.']).collect();
    let [a, b, y] = parts.as_slice() else {
        return None;
    };
    let (d, m) = match order {
        DateOrder::Dmy => (a, b),
        _ => (b, a),
    };
    if y.len() != 4 || d.is_empty() || m.is_empty() || d.len() > 2 || m.len() > 2 {
        return None;
    }
    parse_time_ms(&format!("{y}-{m:0>2}-{d:0>2}{rest}"))
}

/// Scores a sample against a mapping: always chosen (the user gave it), with a reason saying
/// which fields it maps.
pub fn detect(mapping: &ColumnMapping, sample: &[Vec<String>]) -> Candidate {
    let header = mapping.has_header(sample);
    let refs = mapping.refs();
    let mapped: Vec<&str> = refs.iter().map(|(k, _)| *k).collect();
    let named: Vec<&str> = refs
        .iter()
        .filter_map(|(_, r)| match r {
            ColumnRef::Name(n) => Some(n.as_str()),
            ColumnRef::Index(_) => None,
        })
        .collect();
    let found = sample.first().map_or(0, |h| {
        named
            .iter()
            .filter(|n| h.iter().any(|c| norm_header(c) == norm_header(n)))
            .count()
    });
    Candidate {
        confidence: 1.0,
        reason: format!(
            "a column mapping was given ({} fields: {}{})",
            mapped.len(),
            mapped.join(", "),
            if named.is_empty() {
                String::new()
            } else {
                format!(
                    "; {found} of {} named columns found in the header",
                    named.len()
                )
            }
        ),
        header_rows: usize::from(header),
    }
}

/// Builds the mapper; named columns must exist in the header.
pub fn mapper(
    mapping: &ColumnMapping,
    header: Option<&[String]>,
    sample: &[Vec<String>],
) -> Result<Box<dyn RowMapper>, String> {
    let resolve = |what: &str, r: &Option<ColumnRef>| -> Result<Option<Col>, String> {
        match r {
            None => Ok(None),
            Some(ColumnRef::Index(i)) => Ok(Some(Col::new(
                *i,
                header.and_then(|h| h.get(*i)).map_or(what, |s| s.trim()),
            ))),
            Some(ColumnRef::Name(n)) => {
                let h = header.ok_or_else(|| {
                    format!(
                        "the mapping names column {n:?} for {what}, but the file has no header row"
                    )
                })?;
                h.iter()
                    .position(|c| norm_header(c) == norm_header(n))
                    .map(|i| Some(Col::new(i, h[i].trim())))
                    .ok_or_else(|| {
                        let have: Vec<&str> = h.iter().map(|s| s.trim()).take(40).collect();
                        format!(
                            "the mapping names column {n:?} for {what}, which the header does not have (it has: {})",
                            have.join(", ")
                        )
                    })
            }
        }
    };
    let m = mapping;
    let cols = Columns {
        start: resolve("start", &m.start)?,
        answer: resolve("answer", &m.answer)?,
        end: resolve("end", &m.end)?,
        duration: resolve("duration", &m.duration)?,
        pdd: resolve("pdd", &m.pdd)?,
        caller: resolve("caller", &m.caller)?,
        callee: resolve("callee", &m.callee)?,
        ingress: resolve("ingress", &m.ingress)?,
        egress: resolve("egress", &m.egress)?,
        account: resolve("account", &m.account)?,
        call_id: resolve("call_id", &m.call_id)?,
        code: resolve("code", &m.code)?,
        fee: resolve("fee", &m.fee)?,
        cost: resolve("cost", &m.cost)?,
        flag: match &m.answered {
            AnsweredRule::Flag(f) => resolve("answered", &Some(f.column.clone()))?,
            _ => None,
        },
    };
    if cols.start.is_none() && cols.end.is_none() && cols.duration.is_none() && cols.code.is_none()
    {
        return Err("the column mapping needs at least one of start, end, duration or code".into());
    }
    let min_width = [
        &cols.start,
        &cols.answer,
        &cols.end,
        &cols.duration,
        &cols.pdd,
        &cols.caller,
        &cols.callee,
        &cols.ingress,
        &cols.egress,
        &cols.account,
        &cols.call_id,
        &cols.code,
        &cols.fee,
        &cols.cost,
        &cols.flag,
    ]
    .into_iter()
    .flatten()
    .map(|c| c.index + 1)
    .max()
    .unwrap_or(1);
    // Times are UTC when the first one in the sample is an epoch stamp, local otherwise.
    let basis = m.time_basis.or_else(|| {
        sample
            .iter()
            .skip(usize::from(header.is_some()))
            .flat_map(|r| {
                [&cols.start, &cols.end, &cols.answer]
                    .into_iter()
                    .flatten()
                    .filter_map(|c| r.get(c.index))
            })
            .find_map(|v| match parse_time(v, m.date_order) {
                Some((Some(_), epoch)) => Some(if epoch {
                    TimeBasis::Utc
                } else {
                    TimeBasis::NaiveLocal
                }),
                _ => None,
            })
    });
    Ok(Box::new(GenericMapper {
        width: header.map(|h| h.len()),
        min_width,
        system: m.code_system()?,
        words: m.words()?,
        rule: m.answered.clone(),
        duration_unit: m.duration_unit,
        pdd_unit: m.pdd_unit.unwrap_or(Unit::Ms),
        date_order: m.date_order,
        basis,
        cols,
    }))
}

struct Columns {
    start: Option<Col>,
    answer: Option<Col>,
    end: Option<Col>,
    duration: Option<Col>,
    pdd: Option<Col>,
    caller: Option<Col>,
    callee: Option<Col>,
    ingress: Option<Col>,
    egress: Option<Col>,
    account: Option<Col>,
    call_id: Option<Col>,
    code: Option<Col>,
    fee: Option<Col>,
    cost: Option<Col>,
    flag: Option<Col>,
}

struct GenericMapper {
    width: Option<usize>,
    min_width: usize,
    cols: Columns,
    system: CodeSystem,
    words: Vec<(String, Outcome)>,
    rule: AnsweredRule,
    duration_unit: Unit,
    pdd_unit: Unit,
    date_order: DateOrder,
    basis: Option<TimeBasis>,
}

fn text<'r>(row: &Row<'r>, col: &Option<Col>) -> &'r str {
    col.as_ref().map_or("", |c| row.trimmed(c.index))
}

/// Milliseconds of a duration in `unit`; `None` when empty.
fn duration_ms(row: &Row<'_>, col: &Option<Col>, unit: Unit) -> Result<Option<u64>, RejectReason> {
    let Some(c) = col else { return Ok(None) };
    let v = row.trimmed(c.index);
    if v.is_empty() {
        return Ok(None);
    }
    let ms = match unit {
        Unit::S => parse_seconds_to_ms(v).or_else(|| parse_hms(v).map(|s| u64::from(s) * 1000)),
        Unit::Ms => parse_u32(v).map(u64::from),
    };
    ms.map(Some)
        .ok_or_else(|| RejectReason::bad_number(&c.name, v))
}

impl GenericMapper {
    fn time(&mut self, row: &Row<'_>, col: &Option<Col>) -> Result<Option<i64>, RejectReason> {
        let Some(c) = col else { return Ok(None) };
        let v = row.trimmed(c.index);
        match parse_time(v, self.date_order) {
            Some((t, epoch)) => {
                if t.is_some() && self.basis.is_none() {
                    self.basis = Some(if epoch {
                        TimeBasis::Utc
                    } else {
                        TimeBasis::NaiveLocal
                    });
                }
                Ok(t)
            }
            None => Err(RejectReason::bad_time(&c.name, v)),
        }
    }
}

impl RowMapper for GenericMapper {
    fn map<'r>(&mut self, row: &Row<'r>) -> Result<Mapped<'r>, RejectReason> {
        fields::check_width(row, self.width, self.min_width)?;
        let start = self.time(row, &self.cols.start.clone())?;
        let answer = self.time(row, &self.cols.answer.clone())?;
        let end = self.time(row, &self.cols.end.clone())?;
        let c = &self.cols;
        let talk_ms = duration_ms(row, &c.duration, self.duration_unit)?;
        let hold_s = match talk_ms {
            Some(ms) => u32::try_from(ms.saturating_add(500) / 1000).unwrap_or(u32::MAX),
            None => match (answer, end) {
                (Some(a), Some(e)) if e > a => {
                    u32::try_from(e.saturating_sub(a).saturating_add(500) / 1000).unwrap_or(0)
                }
                _ => 0,
            },
        };
        let pdd_ms = duration_ms(row, &c.pdd, self.pdd_unit)?
            .filter(|&v| v > 0)
            .and_then(|v| u32::try_from(v).ok());
        let code_text = text(row, &c.code);
        let number = super::values::parse_i64(code_text).and_then(|n| i32::try_from(n).ok());
        // A status word: its outcome from the user's list or the word table.
        let word = (self.system == CodeSystem::Text && !code_text.is_empty())
            .then(|| text_outcome(code_text, &self.words))
            .flatten();
        let code = match (code_text.is_empty(), number) {
            (true, _) => RawCode::None,
            (false, _) if self.system == CodeSystem::Text => {
                // A user's word the table reads otherwise is kept as its outcome's name, so
                // the outcome module gives it the outcome the user said.
                match word {
                    Some(o) if text_outcome(code_text, &[]) != Some(o) => RawCode::Name(o.as_str()),
                    _ => RawCode::Name(code_text),
                }
            }
            (false, Some(n)) => RawCode::Num(n),
            (false, None) => RawCode::Name(code_text),
        };
        let mut sip_code = None;
        let mut q850 = None;
        match (self.system, code) {
            (CodeSystem::Sip | CodeSystem::Vos3000, RawCode::Num(n)) if (100..700).contains(&n) => {
                sip_code = Some(n as u16)
            }
            (CodeSystem::Sip, RawCode::Name(_)) => {
                return Err(RejectReason::bad_number(
                    c.code.as_ref().map_or("code", |c| c.name.as_str()),
                    code_text,
                ))
            }
            (CodeSystem::Q850, RawCode::Num(n)) => q850 = u16::try_from(n).ok(),
            (CodeSystem::FreeSwitch, RawCode::Name(name)) => {
                q850 = codes::freeswitch_cause_q850(name)
            }
            _ => {}
        }
        let success = match code {
            RawCode::None => false,
            _ => codes::equivalent_sip(self.system, code_text)
                .is_some_and(|s| (200..300).contains(&s)),
        };
        let answered = match &self.rule {
            AnsweredRule::Auto => {
                if let Some(o) = word {
                    o == Outcome::Answered
                } else if c.answer.is_some() {
                    answer.is_some()
                } else if c.duration.is_some() {
                    hold_s > 0
                } else {
                    success
                }
            }
            AnsweredRule::Duration => hold_s > 0,
            AnsweredRule::AnswerTime => answer.is_some(),
            AnsweredRule::Code(values) => values.iter().any(|v| v.trim() == code_text),
            AnsweredRule::Flag(f) => {
                let v = text(row, &c.flag);
                f.values.iter().any(|x| x.trim().eq_ignore_ascii_case(v))
            }
        };
        if answered && sip_code.is_none() && self.system == CodeSystem::Sip && c.code.is_some() {
            sip_code = Some(200);
        }
        let mut money_decimals = 0;
        let mut money = |col: &Option<Col>| -> Result<Option<Money>, RejectReason> {
            let Some(col) = col else { return Ok(None) };
            let v = row.trimmed(col.index);
            if v.is_empty() {
                return Ok(None);
            }
            let (m, d) = Money::parse(v).ok_or_else(|| RejectReason::bad_number(&col.name, v))?;
            money_decimals = money_decimals.max(d);
            Ok(Some(m))
        };
        let fee = money(&c.fee)?;
        let cost = money(&c.cost)?;
        Ok(Mapped::Call(Call {
            start_ms: start,
            answer_ms: answer,
            end_ms: end,
            answered,
            hold_s,
            pdd_ms,
            caller: text(row, &c.caller),
            callee: text(row, &c.callee),
            ingress: text(row, &c.ingress),
            egress: text(row, &c.egress),
            account: text(row, &c.account),
            call_id: text(row, &c.call_id),
            code,
            code_system: c.code.as_ref().map(|_| self.system),
            sip_code,
            q850,
            fee,
            cost,
            money_decimals,
            ..Call::default()
        }))
    }

    fn time_basis(&self) -> TimeBasis {
        self.basis.unwrap_or(TimeBasis::NaiveLocal)
    }

    fn generic_mapping(&self) -> Option<ColumnMapping> {
        let c = &self.cols;
        Some(ColumnMapping {
            date_order: self.date_order,
            time_basis: self.basis,
            start: ColumnRef::of(&c.start),
            answer: ColumnRef::of(&c.answer),
            end: ColumnRef::of(&c.end),
            duration: ColumnRef::of(&c.duration),
            duration_unit: self.duration_unit,
            pdd: ColumnRef::of(&c.pdd),
            pdd_unit: Some(self.pdd_unit),
            caller: ColumnRef::of(&c.caller),
            callee: ColumnRef::of(&c.callee),
            ingress: ColumnRef::of(&c.ingress),
            egress: ColumnRef::of(&c.egress),
            account: ColumnRef::of(&c.account),
            call_id: ColumnRef::of(&c.call_id),
            code: ColumnRef::of(&c.code),
            code_system: Some(self.system.as_str().to_string()),
            code_words: self
                .words
                .iter()
                .map(|(w, o)| (w.clone(), o.as_str().to_string()))
                .collect(),
            answered: match (&self.rule, &c.flag) {
                (AnsweredRule::Flag(f), Some(col)) => AnsweredRule::Flag(FlagColumn {
                    column: ColumnRef::Index(col.index),
                    values: f.values.clone(),
                }),
                (rule, _) => rule.clone(),
            },
            fee: ColumnRef::of(&c.fee),
            cost: ColumnRef::of(&c.cost),
            ..ColumnMapping::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_json() {
        let m: ColumnMapping = serde_json::from_str(
            r#"{"delimiter": ";", "date_order": "dmy", "start": "Fecha Inicio", "duration": 9,
                "code": "Codigo SIP", "answered": {"flag": {"column": "Estado", "values": ["OK"]}},
                "pdd_unit": "s", "time_basis": "utc"}"#,
        )
        .unwrap();
        assert_eq!(m.delimiter_byte(), Some(b';'));
        assert_eq!(m.duration, Some(ColumnRef::Index(9)));
        assert_eq!(m.start, Some(ColumnRef::Name("Fecha Inicio".into())));
        assert_eq!(m.pdd_unit, Some(Unit::S));
        assert_eq!(m.time_basis, Some(TimeBasis::Utc));
        assert!(matches!(m.answered, AnsweredRule::Flag(_)));
        let m: ColumnMapping = serde_json::from_str(r#"{"answered": {"code": ["200"]}}"#).unwrap();
        assert_eq!(m.answered, AnsweredRule::Code(vec!["200".into()]));
        assert!(serde_json::from_str::<ColumnMapping>(r#"{"strat": 1}"#).is_err());
    }

    #[test]
    fn parses_day_first_and_month_first_dates() {
        let ymd = parse_time("2025-03-10 14:00:05", DateOrder::Ymd);
        assert_eq!(parse_time("10/03/2025 14:00:05", DateOrder::Dmy), ymd);
        assert_eq!(parse_time("3/10/2025 14:00:05", DateOrder::Mdy), ymd);
        assert_eq!(
            parse_time("10.03.2025", DateOrder::Dmy).map(|t| t.0.is_some()),
            Some(true)
        );
        assert_eq!(parse_time("32/03/2025 14:00:05", DateOrder::Dmy), None);
        assert_eq!(
            parse_time("1741615205", DateOrder::Dmy),
            Some((Some(1_741_615_205_000), true))
        );
    }
}
