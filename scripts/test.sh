#!/usr/bin/env bash
# Runs every test: format, lints (native and wasm32), native tests, the release wasm build and
# the browser tests in headless Chromium and Firefox ESR. Installs missing tools first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --install-only
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (native)"
cargo clippy --all-targets -- -D warnings

step "clippy (wasm32, the page build: no CLI)"
cargo clippy --lib --target wasm32-unknown-unknown --no-default-features -- -D warnings

step "native tests"
cargo test --quiet

step "release CLI (the browser tests compare the page with it)"
cargo build --release --quiet --bin cdrscope

step "engines: the normalized calls (cdrscope export) on DuckDB, chDB and PySpark equal report --json"
engines_start=$SECONDS
"${CDRSCOPE_ENGINES_VENV:-$HOME/.cache/cdrscope/engines-venv}/bin/python" tests/engines/test_engines.py
echo "engine step: $((SECONDS - engines_start)) s"

step "release wasm build (trunk, offline)"
trunk build --release

step "worker.js type-checked against the generated bindings (tsc --checkJs, tsconfig.json)"
tsc -p tsconfig.json

step "single-file offline build (dist/cdrscope.html)"
node scripts/build-single.mjs

step "browser tests (headless Chromium, and Firefox ESR in firefox.test.mjs)"
node --test tests/e2e/

step "bounded fuzzing (cargo fuzz, ${FUZZ_RUNS:-20000} runs per target, container targets ${FUZZ_SECONDS:-30} s at most)"
RUNS="${FUZZ_RUNS:-20000}" SECONDS_EACH="${FUZZ_SECONDS:-30}" bash scripts/fuzz.sh

step "all tests passed"
