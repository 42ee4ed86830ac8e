//! One normalized call and its values in schema order, with a CSV line writer.

use super::schema::COLUMNS;
use crate::calendar::civil_from_days;
use crate::call::{CodeSystem, EndDirection};
use crate::money::Money;
use crate::outcome::Outcome;

/// Whether and why a row is counted once already (the duplicate rules of the README).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Duplicate {
    /// Not a duplicate: the row is an attempt of its own.
    #[default]
    No,
    /// The row repeats an earlier row of the same file (docs/outcomes.md section 3).
    RepeatedRow,
    /// The same call (call id and time) was read from an earlier file.
    EarlierFile,
}

impl Duplicate {
    /// The machine name written in `duplicate_kind`; `None` for a row that is no duplicate.
    pub fn kind(self) -> Option<&'static str> {
        match self {
            Duplicate::No => None,
            Duplicate::RepeatedRow => Some("repeated_row"),
            Duplicate::EarlierFile => Some("earlier_file"),
        }
    }
}

/// One value of a row, typed as its column is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value<'a> {
    /// No value.
    Null,
    /// Text.
    Text(&'a str),
    /// An integer (for int32 and int64 columns).
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// Milliseconds since the epoch, UTC.
    TimestampMs(i64),
    /// Micro-units of a decimal amount.
    Decimal(i64),
}

/// One attempt with everything cdrscope knows about it (see [`COLUMNS`]); text borrows the
/// reader's row and the normalizer's tables, so building one allocates nothing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NormalizedRow<'a> {
    /// The input file.
    pub source_file: &'a str,
    /// The 1-based line of the row.
    pub source_line: u64,
    /// The detected format's id.
    pub format: &'a str,
    /// Start instant, UTC ms.
    pub start_ms: Option<i64>,
    /// Answer instant, UTC ms.
    pub answer_ms: Option<i64>,
    /// End instant, UTC ms.
    pub end_ms: Option<i64>,
    /// The calling number.
    pub caller: &'a str,
    /// The called number.
    pub callee: &'a str,
    /// The destination key.
    pub destination: &'a str,
    /// The destination's English name.
    pub destination_name: &'a str,
    /// The destination's Spanish name.
    pub destination_name_es: &'a str,
    /// The ingress gateway (trimmed; empty when none).
    pub ingress_gateway: &'a str,
    /// The egress gateway (trimmed; empty when none).
    pub egress_gateway: &'a str,
    /// The customer account.
    pub account: &'a str,
    /// The call id.
    pub call_id: &'a str,
    /// The final code as printed; empty when none.
    pub code: &'a str,
    /// The code's system.
    pub code_system: Option<CodeSystem>,
    /// The code's short label; empty when none.
    pub code_label: &'a str,
    /// The SIP final the record carries.
    pub sip_final: Option<u16>,
    /// The SIP status the KPIs count the attempt under.
    pub sip_equivalent: Option<u16>,
    /// The code table's class (`2xx` … `6xx`, `other`).
    pub sip_class: &'static str,
    /// The Q.850 cause the record carries.
    pub q850: Option<u16>,
    /// The outcome.
    pub outcome: Outcome,
    /// Whether the call was answered.
    pub answered: bool,
    /// The health error share (`4xx`, `5xx`, `6xx`), when any.
    pub error_class: Option<&'static str>,
    /// Talk seconds.
    pub talk_s: u32,
    /// Billed seconds.
    pub billed_s: Option<u32>,
    /// Post-dial delay, ms.
    pub pdd_ms: Option<u32>,
    /// Who ended the call.
    pub end_direction: Option<EndDirection>,
    /// Fee charged.
    pub fee: Option<Money>,
    /// Cost paid.
    pub cost: Option<Money>,
    /// Whether and why the row is counted once already.
    pub duplicate: Duplicate,
    /// The local day (days since 1970-01-01 in the export's time zone) of the call's time (its
    /// end, else its start), which partitions the Parquet files; not a column.
    pub local_day: Option<i64>,
}

/// Text as a value: empty text is null.
fn text(s: &str) -> Value<'_> {
    if s.is_empty() {
        Value::Null
    } else {
        Value::Text(s)
    }
}

impl<'a> NormalizedRow<'a> {
    /// The value of column `i` of [`COLUMNS`] (`Null` past the last column).
    pub fn value(&self, i: usize) -> Value<'a> {
        let int = |v: Option<u16>| v.map_or(Value::Null, |v| Value::Int(i64::from(v)));
        let ts = |v: Option<i64>| v.map_or(Value::Null, Value::TimestampMs);
        let money = |v: Option<Money>| v.map_or(Value::Null, |m| Value::Decimal(m.0));
        match i {
            0 => Value::Text(self.source_file),
            1 => Value::Int(self.source_line as i64),
            2 => Value::Text(self.format),
            3 => ts(self.start_ms),
            4 => ts(self.answer_ms),
            5 => ts(self.end_ms),
            6 => text(self.caller),
            7 => text(self.callee),
            8 => Value::Text(self.destination),
            9 => Value::Text(self.destination_name),
            10 => Value::Text(self.destination_name_es),
            11 => text(self.ingress_gateway),
            12 => text(self.egress_gateway),
            13 => text(self.account),
            14 => text(self.call_id),
            15 => text(self.code),
            16 => self
                .code_system
                .map_or(Value::Null, |s| Value::Text(s.as_str())),
            17 => text(self.code_label),
            18 => int(self.sip_final),
            19 => int(self.sip_equivalent),
            20 => Value::Text(self.sip_class),
            21 => int(self.q850),
            22 => Value::Text(self.outcome.as_str()),
            23 => Value::Bool(self.answered),
            24 => self.error_class.map_or(Value::Null, Value::Text),
            25 => Value::Int(i64::from(self.talk_s)),
            26 => self
                .billed_s
                .map_or(Value::Null, |v| Value::Int(i64::from(v))),
            27 => self
                .pdd_ms
                .map_or(Value::Null, |v| Value::Int(i64::from(v))),
            28 => self
                .end_direction
                .map_or(Value::Null, |d| Value::Text(d.as_str())),
            29 => money(self.fee),
            30 => money(self.cost),
            31 => Value::Bool(self.duplicate != Duplicate::No),
            32 => self.duplicate.kind().map_or(Value::Null, Value::Text),
            _ => Value::Null,
        }
    }

    /// Appends the row as one CSV line (columns in [`COLUMNS`] order, `\n`-terminated): times
    /// as `YYYY-MM-DD HH:MM:SS.mmm` UTC, amounts with 6 decimals, empty cells for nulls, and
    /// text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) neutralised
    /// with a leading `'` (numbers keep their sign).
    pub fn to_csv_row(&self, out: &mut String) {
        for i in 0..COLUMNS.len() {
            if i > 0 {
                out.push(',');
            }
            match self.value(i) {
                Value::Null => {}
                Value::Text(s) => push_text_cell(out, s),
                Value::Int(v) => out.push_str(&v.to_string()),
                Value::Bool(b) => out.push_str(if b { "true" } else { "false" }),
                Value::TimestampMs(ms) => push_timestamp(out, ms),
                Value::Decimal(micros) => out.push_str(&Money(micros).to_string_with(6)),
            }
        }
        out.push('\n');
    }
}

/// The CSV header line of [`NormalizedRow::to_csv_row`].
pub fn csv_header() -> String {
    let mut h = COLUMNS.iter().map(|c| c.name).collect::<Vec<_>>().join(",");
    h.push('\n');
    h
}

/// Whether a text cell is a plain number, kept as it is (`-9` is a VOS3000 end reason).
fn is_number(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// One text cell: neutralised against formula injection, then quoted when it holds a comma,
/// quote or line break.
fn push_text_cell(out: &mut String, s: &str) {
    let neutralise = !is_number(s) && s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = s.contains([',', '"', '\n', '\r']);
    if quote {
        out.push('"');
    }
    if neutralise {
        out.push('\'');
    }
    if quote {
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// `YYYY-MM-DD HH:MM:SS.mmm` of an instant (UTC).
fn push_timestamp(out: &mut String, ms: i64) {
    let (y, m, d) = civil_from_days(ms.div_euclid(86_400_000));
    let rem = ms.rem_euclid(86_400_000);
    let s = rem / 1000;
    out.push_str(&format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}.{:03}",
        s / 3600,
        s / 60 % 60,
        s % 60,
        rem % 1000
    ));
}

/// `YYYY-MM-DD` of a day count since 1970-01-01 (the partition folder name).
pub fn day_name(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}
