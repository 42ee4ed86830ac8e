#!/usr/bin/env bash
# Installs what is missing to build and test cdrscope, then serves the page on http://127.0.0.1:8080.
#   scripts/setup.sh                 install what is missing, build, serve (Ctrl-C to stop)
#   scripts/setup.sh --install-only  install what is missing and return (used by scripts/test.sh)
# Idempotent: every step first checks whether its tool is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
# The wasm-bindgen CLI must equal the crate's pinned wasm-bindgen (`=X` in Cargo.toml).
WB_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' Cargo.toml)
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v cargo >/dev/null; then
  say "installing Rust (rustup)"
  curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c clippy,rustfmt
  export PATH="$HOME/.cargo/bin:$PATH"
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  # trunk 0.22 needs a newer rustc than this project's; 0.21.14 --locked builds with 1.95.
  say "installing trunk $TRUNK_VERSION (~5 min)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WB_VERSION" ]; then
  # Not --locked: its lock file pins a webpki-roots release the registry mirror lacks.
  say "installing wasm-bindgen-cli $WB_VERSION (~4 min)"
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  say "installing node and npm (apt)"
  sudo_ apt-get update -q && sudo_ apt-get install -y -q nodejs npm
fi

# npm: binaryen (wasm-opt 132; Debian's 108 breaks the page), playwright-core (Chromium tests) and
# puppeteer-core (Firefox tests over WebDriver BiDi). Neither driver may download a browser.
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/puppeteer-core ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (binaryen, playwright-core, puppeteer-core, typescript, zopfli)"
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

if [ ! -x /usr/bin/chromium ]; then
  say "installing Debian chromium for the browser tests (apt)"
  sudo_ apt-get update -q && sudo_ apt-get install -y -q chromium chromium-driver
fi

if [ ! -x /usr/bin/firefox-esr ]; then
  say "installing Debian firefox-esr for the Firefox browser tests (apt)"
  sudo_ apt-get update -q && sudo_ apt-get install -y -q firefox-esr
fi

# The engines the normalized calls are tested on (tests/engines/): DuckDB, chDB (ClickHouse in
# process) and PySpark, from PyPI into a venv kept outside the clone; Spark needs a Java 17 runtime.
ENGINES_VENV="${CDRSCOPE_ENGINES_VENV:-$HOME/.cache/cdrscope/engines-venv}"
if ! command -v java >/dev/null; then
  say "installing Debian openjdk-17-jre-headless for the Spark engine test (apt)"
  sudo_ apt-get update -q && sudo_ apt-get install -y -q openjdk-17-jre-headless
fi
if ! "$ENGINES_VENV/bin/python" -c 'import sys; sys.exit(0 if open(sys.argv[1]).read() == open(sys.argv[2]).read() else 1)' \
     tests/engines/requirements.txt "$ENGINES_VENV/requirements.txt" 2>/dev/null; then
  say "installing duckdb, chdb and pyspark (PyPI) into $ENGINES_VENV (~1.5 GB, a few minutes)"
  if ! python3 -m venv "$ENGINES_VENV" 2>/dev/null; then
    sudo_ apt-get update -q && sudo_ apt-get install -y -q python3-venv
    python3 -m venv "$ENGINES_VENV"
  fi
  "$ENGINES_VENV/bin/pip" install -q -r tests/engines/requirements.txt
  cp tests/engines/requirements.txt "$ENGINES_VENV/requirements.txt"
fi

say "tools ready: $(trunk --version), $(wasm-bindgen --version), wasm-opt $(node_modules/.bin/wasm-opt --version | cut -d' ' -f3), node $(node --version)"

if [ "${1:-}" = "--install-only" ]; then
  exit 0
fi

export PATH="$PWD/node_modules/.bin:$PATH"
say "serving the page on http://127.0.0.1:8080 (the demo sample is one click away: 'Try the demo')"
exec trunk serve --release
