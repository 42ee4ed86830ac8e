//! The schema of the normalized calls (docs/normalized-calls.md): one list of columns that the
//! Parquet writer, the CSV writer, the SQL of `sql/` and the documentation all follow.
//!
//! A column added, removed, renamed, retyped or made nullable is a new schema version:
//! `tests/it/export_schema.rs` holds the text of every version and fails when [`COLUMNS`] changes
//! without [`SCHEMA_VERSION`] changing with it.

/// The version of the normalized-call schema; bumped on any change to [`COLUMNS`].
pub const SCHEMA_VERSION: u32 = 1;

/// The type of a column, in terms every engine maps the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ColumnKind {
    /// UTF-8 text (Parquet BYTE_ARRAY, STRING).
    Text,
    /// A 32-bit signed integer (Parquet INT32).
    Int32,
    /// A 64-bit signed integer (Parquet INT64).
    Int64,
    /// A boolean (Parquet BOOLEAN).
    Bool,
    /// An instant in milliseconds since the epoch, UTC (Parquet INT64 TIMESTAMP(MILLIS, UTC)).
    TimestampMs,
    /// A fixed-point amount with 6 decimals (Parquet INT64 DECIMAL(18, 6)): Money's micro-units.
    Decimal,
}

impl ColumnKind {
    /// The type as the schema documentation and its stability test write it.
    pub fn name(self) -> &'static str {
        match self {
            ColumnKind::Text => "string",
            ColumnKind::Int32 => "int32",
            ColumnKind::Int64 => "int64",
            ColumnKind::Bool => "boolean",
            ColumnKind::TimestampMs => "timestamp(ms, utc)",
            ColumnKind::Decimal => "decimal(18,6)",
        }
    }
}

/// One column of the normalized calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    /// The column name (snake case, the same in every engine).
    pub name: &'static str,
    /// Its type.
    pub kind: ColumnKind,
    /// Whether it may be null.
    pub nullable: bool,
    /// What it holds, in one sentence (the documentation's table is checked against it).
    pub doc: &'static str,
}

const fn col(name: &'static str, kind: ColumnKind, nullable: bool, doc: &'static str) -> Column {
    Column {
        name,
        kind,
        nullable,
        doc,
    }
}

use ColumnKind::{Bool, Decimal, Int32, Int64, Text, TimestampMs};

/// The columns of schema version [`SCHEMA_VERSION`], in file order.
pub const COLUMNS: [Column; 33] = [
    col("source_file", Text, false, "The input file as given on the command line (a zip entry as `archive.zip/entry.csv`)."),
    col("source_line", Int64, false, "The 1-based line of the row in its (decoded) file."),
    col("format", Text, false, "The detected format: vos3000, asterisk, freeswitch, kamailio, cucm or generic."),
    col("start_time", TimestampMs, true, "When the call started (setup; the answer for answered VOS3000 rows), UTC."),
    col("answer_time", TimestampMs, true, "When the call was answered, when the format records it, UTC."),
    col("end_time", TimestampMs, true, "When the call ended, UTC."),
    col("caller", Text, true, "The calling number as the record writes it."),
    col("callee", Text, true, "The called number as the record writes it (VOS3000: after the switch's prefix handling)."),
    col("destination", Text, false, "The number plan's destination key: a calling code such as `86`, a user prefix, `internal`, `national`, `unknown` or `(none)`."),
    col("destination_name", Text, false, "The destination's name in English (country or user prefix name)."),
    col("destination_name_es", Text, false, "The destination's name in Spanish."),
    col("ingress_gateway", Text, true, "The ingress gateway or customer the call came from."),
    col("egress_gateway", Text, true, "The egress gateway or vendor the call was sent to; null when it was never routed."),
    col("account", Text, true, "The customer account, when the format has one."),
    col("call_id", Text, true, "The SIP Call-ID or the vendor's unique id (VOS3000 flowno, FreeSWITCH uuid)."),
    col("code", Text, true, "The final code as the record writes it (`503`, `-9`, `NO ANSWER`, `USER_BUSY`)."),
    col("code_system", Text, true, "The system of the code: sip, q850, vos3000, freeswitch or asterisk."),
    col("code_label", Text, true, "The code's short English label from cdrscope's code tables, when it has one."),
    col("sip_final", Int32, true, "The SIP final status the record carries (200 when answered), never one mapped from another system."),
    col("sip_equivalent", Int32, true, "The SIP status the KPIs count the attempt under: 200 when answered, else the SIP final, else the code's SIP equivalent."),
    col("sip_class", Text, false, "The class the code table counts the code in: 2xx for answered calls, else 3xx to 6xx or other."),
    col("q850", Int32, true, "The Q.850 cause the record carries."),
    col("outcome", Text, false, "The outcome of the attempt (docs/outcomes.md): answered, busy, no_answer, cancelled, rejected, number_error, no_route, unavailable, timeout, media, auth or other."),
    col("answered", Bool, false, "Whether the call was answered, by the format's own rule."),
    col("error_class", Text, true, "The error share of the health verdict the attempt counts in (4xx, 5xx or 6xx); null for answered calls and caller cancels."),
    col("talk_s", Int64, false, "Talk time in seconds (VOS3000 holdtime, Asterisk and FreeSWITCH billsec)."),
    col("billed_s", Int64, true, "Billed seconds after billing increments, when the format has them."),
    col("pdd_ms", Int64, true, "The post-dial delay in milliseconds, when the format records it."),
    col("end_direction", Text, true, "Who ended the call: caller, callee or server."),
    col("fee", Decimal, true, "The amount charged to the customer."),
    col("cost", Decimal, true, "The amount paid to the vendor."),
    col("duplicate", Bool, false, "Whether cdrscope counts the row once already: a row repeated in its file, or a call already read from an earlier file."),
    col("duplicate_kind", Text, true, "Why the row is a duplicate: repeated_row or earlier_file; null when it is not one."),
];

/// The columns of `rejects.parquet`: every input row that is not a call, and why.
pub const REJECT_COLUMNS: [Column; 6] = [
    col("source_file", Text, false, "The input file."),
    col(
        "source_line",
        Int64,
        true,
        "The 1-based line of the rejected row; null for a file that could not be read at all.",
    ),
    col(
        "reason_kind",
        Text,
        false,
        "The reason as a machine name (field_count, bad_time, unreadable_file, …).",
    ),
    col(
        "reason",
        Text,
        false,
        "The reason in English, as `cdrscope report` prints it.",
    ),
    col(
        "byte_offset",
        Int64,
        true,
        "The byte offset of the row in its decoded file.",
    ),
    col("byte_len", Int64, true, "The row's length in bytes."),
];

/// The index of a column in [`COLUMNS`] by name.
pub fn index_of(name: &str) -> Option<usize> {
    COLUMNS.iter().position(|c| c.name == name)
}

/// The schema as one canonical line per column (`name type null|not null`), which the
/// stability test compares with the text recorded for each version.
pub fn describe(columns: &[Column]) -> String {
    columns
        .iter()
        .map(|c| {
            format!(
                "{} {} {}\n",
                c.name,
                c.kind.name(),
                if c.nullable { "null" } else { "not null" }
            )
        })
        .collect()
}
