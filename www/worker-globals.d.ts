// The worker's globals that the page and the tests read or set (see www/worker.js), declared so
// that `tsc -p tsconfig.json` checks worker.js against the generated bindings.

/** The wasm memory, for the tests' check of its peak size (unset in the single-file build). */
declare var cdrscopeMemory: WebAssembly.Memory | undefined;
/** The last Rust panic's message (set by the panic hook), taken by the error handler. */
declare var cdrscopePanic: string | undefined;
/** The last load's read statistics (parts, cuts, timings), for the tests and the benchmark. */
declare var cdrscopeLastLoad: object | undefined;
