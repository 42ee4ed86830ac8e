//! Analysis: the call store, filters, KPIs per group, health verdicts and findings.

pub mod call_sort;
pub mod call_view;
pub mod chains;
pub mod compare;
pub mod concurrency;
pub mod dataset;
pub mod dedupe;
pub mod fee_check;
pub mod filter;
pub mod findings;
pub mod groups;
pub mod health;
pub mod kpi;
pub mod part_bytes;
pub mod repeats;
pub mod store;

pub use dataset::{Dataset, RowPage, RowRef, MAX_FILES};
pub use filter::Filter;
pub use groups::SummaryOptions;
