//! The normalized calls: one row per attempt with everything cdrscope knows about it (the
//! format's reading, the outcome, the destination, the code's meaning, the duplicate rules),
//! for engines that hold more calls than one machine reads (docs/normalized-calls.md).
//!
//! This part is platform-free: [`schema`] lists the columns, [`row::NormalizedRow`] is one row
//! (with a CSV writer the page can reuse), [`normalize::Normalizer`] builds rows from calls and
//! [`normalize::ExportSink`] is a reader sink that does it for every call of a file. The CLI's
//! `cdrscope export` writes the rows as Parquet.

pub mod normalize;
pub mod row;
pub mod schema;

pub use normalize::{duplicate_keys, ExportSink, Normalizer, RowSink};
pub use row::{csv_header, day_name, Duplicate, NormalizedRow, Value};
pub use schema::{Column, ColumnKind, COLUMNS, REJECT_COLUMNS, SCHEMA_VERSION};
