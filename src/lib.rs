//! cdrscope: a CDR (call detail record) inspector for VoIP operators.
//!
//! The core reads CDR exports as a stream of bytes ([`ingest::Reader`]), maps every row of any
//! supported format ([`formats`]) to a normalized [`call::Call`], keeps the calls compactly
//! ([`analysis::store::CallStore`]) and computes the [`summary::Summary`] the CLI prints and the
//! page shows. The core does no I/O and has no platform dependencies; the browser layer lives in
//! `web` (wasm32 only) and the command line in `src/bin/cdrscope/`. `docs/architecture.md` follows
//! a dropped file to a chart and says where a new format, rule, chart or message goes.

#![warn(missing_docs)]

pub mod analysis;
pub mod calendar;
pub mod call;
pub mod chart;
pub mod codes;
pub mod display;
pub mod export;
pub mod formats;
pub mod ingest;
pub mod inputs;
pub mod money;
pub mod numbers;
pub mod outcome;
pub mod page_panels;
pub mod page_settings;
pub mod reject;
pub mod summary;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use analysis::{Dataset, Filter, SummaryOptions};
pub use call::{Call, CodeSystem, EndDirection};
pub use formats::{FormatId, FormatOptions};
pub use ingest::Reader;
pub use outcome::Outcome;
pub use reject::{IngestError, Reject, RejectReason};
pub use summary::Summary;
