//! Every integration test in one crate (as ripgrep's `tests/tests.rs`), so the test run
//! links one binary instead of one per file: `cargo test --test it NAME` runs a part.

mod common;
mod gen;
mod traffic;

mod abuse;
mod bad_input;
mod call_view;
mod calls_csv_cli;
mod capacity;
mod chunking;
mod codes;
mod codes_bench;
mod codes_cli;
mod compare;
mod export_rows;
mod export_schema;
mod fast_path;
mod findings;
mod findings_cli;
mod findings_store;
mod formats_asterisk;
mod formats_cucm;
mod formats_detection;
mod formats_freeswitch;
mod formats_generic;
mod formats_hostile;
mod formats_kamailio;
mod formats_opensips;
mod formats_prosbc;
mod formats_threecx;
mod formats_vos3000;
mod hostile_cli;
mod hostile_inputs;
mod inputs;
mod mapping_cli;
mod mapping_preview;
mod outcome_invariants;
mod page_panels;
mod page_settings;
mod part_bytes;
mod parts;
mod properties;
mod real_corpus;
mod row_text;
