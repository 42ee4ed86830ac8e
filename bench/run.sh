#!/usr/bin/env bash
# cdrscope benchmark, one command:   bench/run.sh [ROWS]      (default 1000000 rows, about 424 MB)
#
# Installs what is missing (Debian chromium, node, the npm packages in bench/package-lock.json, the wasm32
# target, wasm-bindgen-cli of the crate's version), builds cdrscope (native + wasm, with and without simd128)
# and the csv-crate baseline, generates the CSV files, measures every contestant, prints the table and
# writes bench/RESULTS.md, bench/results/*.json and bench/results/plot.svg. See bench/README.md.
#
# Environment:
#   RUNS=3            runs per contestant at ROWS (the median is reported)
#   SWEEP=1           also measure the smaller standard sizes (10 MB, 100 MB) once each, for the plot; 0 = off
#   BIG=0             1 = also the 2 GB and 4 GB files (generating them alone takes minutes; disk: ~6.5 GB)
#   CONTESTANTS=default   default | all | comma list of keys (io-ceiling, cdrscope, cdrscope-simd, cdrscope-2w,
#                     cdrscope-2w-simd, cdrscope-1w-simd, ui-simd,
#                     papaparse-main-step, duckdb-eh-gs, papaparse-worker-chunk, papaparse-main-chunk,
#                     duckdb-eh-2q, native-cdrscope, native-cdrscope-jobs, native-baseline)
#   DATA=/tmp/cdrscope-bench   where the generated CSV files go (they are large: keep them out of the repo)
#   ORACLE=0          1 = cross-check every generated file with Python's csv module (bench/oracle.py)
#   NO_INSTALL=0      1 = never install anything, fail instead
#   WASM_OPT=1        0 = skip wasm-opt -O3 on the wasm builds
#   GEN=path          use another generator with the interface of ../shared/samples/make_samples.py
#                     (--rows N --outdir DIR -> vos3000_cdr_en_N.csv); its reference comes from oracle.py
#   NOTE=...          a paragraph added to RESULTS.md under the machine (e.g. what else was running)
set -euo pipefail
ROWS="${1:-1000000}"
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
DATA="${DATA:-/tmp/cdrscope-bench}"
RUNS="${RUNS:-3}"
SWEEP="${SWEEP:-1}"
BIG="${BIG:-0}"
CONTESTANTS="${CONTESTANTS:-default}"
ORACLE="${ORACLE:-0}"
NO_INSTALL="${NO_INSTALL:-0}"
WASM_OPT="${WASM_OPT:-1}"
export PATH="$HOME/.cargo/bin:$PATH"
log() { echo "[bench] $*" >&2; }
die() { echo "[bench] error: $*" >&2; exit 1; }
[[ "$ROWS" =~ ^[0-9]+$ ]] && [ "$ROWS" -gt 0 ] || die "ROWS must be a positive integer, got '$ROWS'"

need_install() { [ "$NO_INSTALL" = 1 ] && die "$1 is missing and NO_INSTALL=1"; log "installing $1"; }
apt_get() {   # waits while another process holds the dpkg lock
  for _ in $(seq 1 40); do
    if apt-get "$@" 2>/tmp/cdrscope-bench-apt.err; then return 0; fi
    grep -qiE 'lock|frontend' /tmp/cdrscope-bench-apt.err || { cat /tmp/cdrscope-bench-apt.err >&2; return 1; }
    log "apt is busy, retrying in 15 s"; sleep 15
  done
  return 1
}

# ---- 1. tools -------------------------------------------------------------------------------------------
if [ ! -x /usr/bin/chromium ]; then need_install chromium; apt_get update -qq && apt_get install -y -qq chromium >&2; fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then need_install nodejs; apt_get update -qq && apt_get install -y -qq nodejs npm >&2; fi
[ -x /usr/bin/time ] || { need_install time; apt_get install -y -qq time >&2; }
if [ ! -f "$BENCH/node_modules/playwright-core/package.json" ] || [ ! -f "$BENCH/node_modules/papaparse/package.json" ] \
   || [ ! -f "$BENCH/node_modules/@duckdb/duckdb-wasm/package.json" ] || [ ! -f "$BENCH/node_modules/binaryen/package.json" ]; then
  need_install "npm packages (bench/package-lock.json)"
  (cd "$BENCH" && npm ci --no-audit --no-fund) >&2   # never `npx playwright install`: we drive Debian's chromium
fi
command -v cargo >/dev/null || die "cargo not found: install Rust (rustup) first"
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then need_install "the wasm32 target"; rustup target add wasm32-unknown-unknown >&2; fi
WB_VERSION="$(sed -n 's/^wasm-bindgen = "=\{0,1\}\([0-9.]*\)".*/\1/p' "$ROOT/Cargo.toml" | head -1)"
[ -n "$WB_VERSION" ] || die "cannot read the wasm-bindgen version from Cargo.toml"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WB_VERSION" ]; then
  need_install "wasm-bindgen-cli $WB_VERSION (a few minutes)"
  # not --locked: its lock file pins a crate the registry mirror lacks (see ../shared/toolchain.md)
  cargo install wasm-bindgen-cli --version "$WB_VERSION" >&2
fi

# ---- 2. builds -------------------------------------------------------------------------------------------
log "building cdrscope (native, release)"
(cd "$ROOT" && cargo build --release --quiet --bin cdrscope) >&2
log "building the csv-crate baseline"
(cd "$BENCH/baseline" && cargo build --release --quiet --locked) >&2
wasm_build() {   # $1 = out folder name, $2 = extra RUSTFLAGS, $3 = target dir, $4 = extra wasm-opt features
  local out="$BENCH/out/$1"
  log "building cdrscope wasm ($1)"
  (cd "$ROOT" && RUSTFLAGS="${RUSTFLAGS:-} $2" cargo build --release --quiet --target wasm32-unknown-unknown --lib --target-dir "$3") >&2
  local wasm="$3/wasm32-unknown-unknown/release/cdrscope.wasm"
  if [ -f "$out/cdrscope.js" ] && [ "$out/cdrscope_bg.wasm" -nt "$wasm" ] && [ "$(cat "$out/.opt" 2>/dev/null)" = "$WASM_OPT" ]; then
    log "  $out is up to date"; return 0
  fi
  rm -rf "$out.tmp" && mkdir -p "$out.tmp"
  wasm-bindgen --target web --no-typescript --out-dir "$out.tmp" --out-name cdrscope "$wasm" >&2
  echo "$WASM_OPT" > "$out.tmp/.opt"
  if [ "$WASM_OPT" = 1 ]; then
    local opt="$BENCH/node_modules/.bin/wasm-opt"   # npm binaryen: Debian's older wasm-opt breaks the externref table
    if "$opt" -O3 --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
         --enable-reference-types --enable-multivalue $4 "$out.tmp/cdrscope_bg.wasm" -o "$out.tmp/opt.wasm" >&2; then
      mv "$out.tmp/opt.wasm" "$out.tmp/cdrscope_bg.wasm"
    else
      log "wasm-opt failed on $1: keeping the unoptimised wasm"
    fi
  fi
  rm -rf "$out" && mv "$out.tmp" "$out"
  log "  $(du -k "$out/cdrscope_bg.wasm" | cut -f1) KiB $out/cdrscope_bg.wasm"
}
wasm_build web "" "$ROOT/target" ""
wasm_build web-simd "-C target-feature=+simd128" "$ROOT/target/wasm-simd" "--enable-simd"
# the product page (index.html, www/worker.js: two workers on a large file) around each wasm build
node "$BENCH/make-page.mjs" out/web out/page-web >&2
node "$BENCH/make-page.mjs" out/web-simd out/page-web-simd >&2

# ---- 3. data ---------------------------------------------------------------------------------------------
mkdir -p "$DATA"
gen() {   # $1 = rows; prints the CSV path
  if [ -n "${GEN:-}" ]; then   # another generator with make_samples.py's interface (--rows N --outdir DIR)
    local csv="$DATA/ext_vos3000_cdr_en_$1.csv"
    if [ ! -s "$csv" ] || [ ! -s "$csv.agg.json" ]; then
      log "generating $1 rows with $GEN -> $csv"
      local tmp; tmp="$(mktemp -d "$DATA/.gen.XXXX")"
      python3 "$GEN" --rows "$1" --outdir "$tmp" >&2
      mv "$tmp/vos3000_cdr_en_$1.csv" "$csv" && rm -rf "$tmp"
      python3 "$BENCH/oracle.py" "$csv" --out "$csv.agg.json"   # its reference comes from the csv module
    fi
    echo "$csv"; return 0
  fi
  local csv="$DATA/vos3000_e_cdr_$1.csv"
  if [ ! -s "$csv" ] || [ ! -s "$csv.agg.json" ] || [ "$csv" -ot "$BENCH/gen_cdr.py" ]; then
    log "generating $1 rows -> $csv"
    python3 "$BENCH/gen_cdr.py" --rows "$1" --out "$csv" >&2
  fi
  if [ "$ORACLE" = 1 ]; then python3 "$BENCH/oracle.py" "$csv" --agg "$csv.agg.json" >/dev/null || die "oracle disagrees on $csv"; fi
  echo "$csv"
}
# the standard sizes of the plot: ~10 MB, ~100 MB, ~424 MB (+ ~2 GB, ~4 GB with BIG=1); 424.5 bytes per row
SIZES=()
if [ "$SWEEP" = 1 ]; then
  for n in 23600 236000 1000000; do [ "$n" -lt "$ROWS" ] && SIZES+=("$n"); done
  if [ "$BIG" = 1 ]; then for n in 4720000 9440000; do [ "$n" != "$ROWS" ] && SIZES+=("$n"); done; fi
fi

# ---- 4. measure ------------------------------------------------------------------------------------------
mkdir -p "$BENCH/results"
measure() {   # $1 = rows, $2 = runs
  local csv; csv="$(gen "$1")"
  log "measuring $1 rows, $2 run(s) per contestant"
  node "$BENCH/bench.mjs" --file "$csv" --ref "$csv.agg.json" --runs "$2" --contestants "$CONTESTANTS" \
    --cdrscope "$ROOT/target/release/cdrscope" --baseline "$BENCH/baseline/target/release/cdr-baseline" \
    --out "$BENCH/results/rows_$1.json"
}
measure "$ROWS" "$RUNS"
SWEEP_JSON=()
for n in "${SIZES[@]}"; do measure "$n" 1; SWEEP_JSON+=("$BENCH/results/rows_$n.json"); done

# ---- 5. report -------------------------------------------------------------------------------------------
args=(--main "$BENCH/results/rows_$ROWS.json" --md "$BENCH/RESULTS.md" --svg "$BENCH/results/plot.svg")
[ "${#SWEEP_JSON[@]}" -gt 0 ] && args+=(--sweep "${SWEEP_JSON[@]}")
[ -n "${NOTE:-}" ] && args+=(--note "$NOTE")
node "$BENCH/report.mjs" "${args[@]}"
