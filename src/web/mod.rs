//! The browser layer (wasm32 only): the exported handle and the page.

pub mod handle;
