//! Rejected rows: where they are and why they were refused, the limits that refuse them, and
//! the error that stops a whole file.
//!
//! A leaf module: the format mappers and input readers build these, and the reader
//! ([`crate::ingest`]) that calls them counts them, so neither has to import the other for it.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a row was not accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RejectReason {
    /// The row has a different number of fields than the header (or the format) has.
    FieldCount {
        /// Fields the format expects.
        expected: usize,
        /// Fields the row has.
        found: usize,
    },
    /// A required field is empty.
    Missing {
        /// The column name.
        column: String,
    },
    /// A time field cannot be read as a time.
    BadTime {
        /// The column name.
        column: String,
        /// The value, cut to a readable length.
        value: String,
    },
    /// A numeric field cannot be read as a number (or is out of range).
    BadNumber {
        /// The column name.
        column: String,
        /// The value, cut to a readable length.
        value: String,
    },
    /// The header row appears again in the middle of the data (concatenated exports).
    RepeatedHeader,
    /// The row is longer than the reader will hold.
    TooLong {
        /// The limit in bytes.
        limit: usize,
    },
    /// The row has more fields than the reader will hold.
    TooManyFields {
        /// The limit.
        limit: usize,
    },
    /// A quoted field is never closed, so the rest of the file would be one field.
    UnclosedQuote,
    /// A time lies outside the years cdrscope accepts as real (see
    /// [`crate::ingest::plausibility`]); a far-future stamp is a clock or export fault.
    TimeOutOfRange {
        /// Which time (`start`, `answer` or `end`).
        column: String,
        /// The time as `YYYY-MM-DD HH:MM:SS`.
        value: String,
    },
    /// The call ends before it starts: a negative duration.
    EndBeforeStart {
        /// The start as `YYYY-MM-DD HH:MM:SS`.
        start: String,
        /// The end as `YYYY-MM-DD HH:MM:SS`.
        end: String,
    },
    /// The post-dial delay is longer than the call can have had.
    ImplausiblePdd {
        /// The PDD in milliseconds.
        pdd_ms: u32,
        /// The most it can be for this call, in milliseconds.
        limit_ms: u64,
    },
    /// (A note, not a rejection.) A phone number in Excel's scientific notation: digits were
    /// lost when the file went through a spreadsheet.
    ExcelNumber {
        /// Which number (`caller` or `callee`).
        column: String,
        /// The value as written.
        value: String,
    },
    /// (A note, not a rejection.) The row repeats an earlier row of the same file: the call is
    /// counted once (see `analysis::repeats`).
    RepeatedRow,
    /// The talk time is longer than the span between the call's own start and end.
    TalkLongerThanCall {
        /// The talk time in seconds.
        talk_s: u32,
        /// The start–end span in milliseconds.
        span_ms: i64,
    },
    /// (A note, not a rejection.) The talk time is somewhat longer than the call's start–end
    /// span (within [`crate::ingest::plausibility::MAX_TALK_EXCESS_MS`]): kept as written.
    TalkBeyondSpan {
        /// The talk time in seconds.
        talk_s: u32,
        /// The start–end span in milliseconds.
        span_ms: i64,
    },
    /// The row's fee or cost is so large that the data set's totals would overflow.
    MoneyOverflow,
    /// A reason specific to a format.
    Other {
        /// The reason in plain words.
        message: String,
    },
}

impl RejectReason {
    /// A bad-number reason for `column` holding `value`.
    pub fn bad_number(column: &str, value: &str) -> Self {
        RejectReason::BadNumber {
            column: column.to_string(),
            value: cut(value),
        }
    }

    /// A bad-time reason for `column` holding `value`.
    pub fn bad_time(column: &str, value: &str) -> Self {
        RejectReason::BadTime {
            column: column.to_string(),
            value: cut(value),
        }
    }

    /// A missing-field reason for `column`.
    pub fn missing(column: &str) -> Self {
        RejectReason::Missing {
            column: column.to_string(),
        }
    }
}

/// Cuts a field value for display in a message (at most 40 characters).
fn cut(value: &str) -> String {
    let mut out: String = value.chars().take(40).collect();
    if value.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RejectReason::FieldCount { expected, found } => {
                write!(f, "expected {expected} fields, found {found}")
            }
            RejectReason::Missing { column } => write!(f, "{column} is empty"),
            RejectReason::BadTime { column, value } => {
                write!(f, "{column} is not a time: {value:?}")
            }
            RejectReason::BadNumber { column, value } => {
                write!(f, "{column} is not a valid number: {value:?}")
            }
            RejectReason::RepeatedHeader => f.write_str("header row repeated inside the data"),
            RejectReason::TooLong { limit } => write!(f, "row longer than {limit} bytes"),
            RejectReason::TooManyFields { limit } => write!(f, "row has more than {limit} fields"),
            RejectReason::UnclosedQuote => f.write_str(
                "a quoted field is never closed (it would swallow the rest of the file)",
            ),
            RejectReason::TimeOutOfRange { column, value } => write!(
                f,
                "{column} time {value} is outside 1990–2099 (clock or export fault)"
            ),
            RejectReason::EndBeforeStart { start, end } => {
                write!(f, "the call ends ({end}) before it starts ({start})")
            }
            RejectReason::ImplausiblePdd { pdd_ms, limit_ms } => write!(
                f,
                "PDD of {pdd_ms} ms is longer than the call allows ({limit_ms} ms)"
            ),
            RejectReason::ExcelNumber { column, value } => write!(
                f,
                "{column} {value:?} was mangled by a spreadsheet (scientific notation, digits lost)"
            ),
            RejectReason::RepeatedRow => {
                f.write_str("repeats an earlier row of this file: the call is counted once")
            }
            RejectReason::TalkLongerThanCall { talk_s, span_ms } => write!(
                f,
                "talk time of {talk_s} s is longer than the call itself ({} s from start to end)",
                span_ms / 1000
            ),
            RejectReason::TalkBeyondSpan { talk_s, span_ms } => write!(
                f,
                "talk time of {talk_s} s is longer than the call itself ({} s from start to end): kept as written",
                span_ms / 1000
            ),
            RejectReason::MoneyOverflow => f.write_str(
                "fee or cost too large: the totals would overflow (more than 9,223,372,036,854 in all)",
            ),
            RejectReason::Other { message } => f.write_str(message),
        }
    }
}

/// A row that was not accepted, with where it is in the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reject {
    /// 1-based line number where the row starts.
    pub line: u64,
    /// Byte offset of the row in the original file.
    pub offset: u64,
    /// Length of the row in the original file, in bytes.
    pub len: u32,
    /// Why it was rejected.
    pub reason: RejectReason,
}

/// The longest row the reader holds; longer rows are rejected, never buffered whole.
pub const MAX_ROW_BYTES: usize = 1 << 20;
/// The most fields a row may have.
pub const MAX_FIELDS: usize = 4096;
/// The most line breaks a quoted field may span before its opening quote is taken as never
/// closed; real CDR fields span a few lines at most, a stray quote would swallow the file.
pub const MAX_RECORD_LINES: u32 = 64;

/// A failure that stops the whole file, as opposed to a rejected row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IngestError {
    /// What went wrong, in one sentence without the file name.
    pub message: String,
}

impl IngestError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        IngestError {
            message: message.into(),
        }
    }
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for IngestError {}
