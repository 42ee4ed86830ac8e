//! The `cdrscope` command: the same core as the page, on a terminal.

#[cfg(not(target_arch = "wasm32"))]
mod all_rejected;
#[cfg(not(target_arch = "wasm32"))]
mod calls_csv;
#[cfg(not(target_arch = "wasm32"))]
mod cli;
#[cfg(not(target_arch = "wasm32"))]
mod compare_cmd;
#[cfg(not(target_arch = "wasm32"))]
mod export;
#[cfg(not(target_arch = "wasm32"))]
mod mapping;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

/// The command line has no meaning in the browser build; the page uses the library.
#[cfg(target_arch = "wasm32")]
fn main() {}
