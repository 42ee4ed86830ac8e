#!/usr/bin/env bash
# Bounded fuzzing run (issue 8), for CI and by hand: builds the cargo-fuzz targets and runs each
# for RUNS iterations (default 200000), seeded from the test fixtures.
#
#   scripts/fuzz.sh                 # both targets, 200000 runs each
#   RUNS=20000 scripts/fuzz.sh      # a quicker pass
#   scripts/fuzz.sh ingest_reader   # one target
#   SECONDS_EACH=30 scripts/fuzz.sh # container targets (json, gzip, zip, xlsx, xls) stop after
#                                   # 30 s each even before RUNS (default 120 s)
#
# Measured on the 2-core dev machine under load: ingest_reader ~180-230 runs/s (200000 runs: 15-19 min),
# detect_format ~1400 runs/s (200000 runs: 2.5 min), plus about 2 min to build. For a quicker
# CI job, RUNS=20000 takes about 4 minutes in all.
#
# A crash or hang stops the run with a non-zero status and leaves the input in
# fuzz/artifacts/<target>/; copy it to tests/fixtures/bad/fuzz/ (a regression test in
# tests/it/bad_input.rs reads every file there) and fix the bug.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-200000}"
TARGETS=("$@")
SECONDS_EACH="${SECONDS_EACH:-120}"
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(ingest_reader detect_format json_input gzip_input zip_input xlsx_input xls_input)

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

# No sanitizer: the core is safe Rust, so what matters is panics, and debug assertions (-a)
# make arithmetic overflow one. This runs several times faster than with AddressSanitizer.
FLAGS=(-O -a -s none)
cargo +nightly fuzz build "${FLAGS[@]}"

# Seeds: the small fixtures, and the first lines of the real samples. The ingest target reads
# two knob bytes before the file.
seed() {
    local target=$1 prefix=$2 dir=fuzz/corpus/$1
    mkdir -p "$dir"
    local f
    for f in tests/fixtures/bad/*.csv tests/fixtures/bad/fuzz/*; do
        [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 65536 ] || continue
        { printf "$prefix"; cat "$f"; } > "$dir/seed-$(basename "$f")"
    done
    for f in tests/fixtures/*.csv; do
        [ -f "$f" ] || continue
        { printf "$prefix"; head -n 40 "$f"; } > "$dir/seed-head-$(basename "$f")"
    done
}

# Container targets read one knob byte first: bit 0 set means "the bytes are the container
# itself", so the sample containers are seeded with knob 1 (cut to the fuzzer's max_len), and
# the CSV fixtures with knob 0 (the target wraps them in the container).
seed_kind() {
    local target=$1 dir=fuzz/corpus/$1
    shift
    mkdir -p "$dir"
    local f
    for f in "$@"; do
        [ -f "$f" ] || continue
        { printf '\x01'; head -c 16383 "$f"; } > "$dir/seed-file-$(basename "$f")"
    done
    for f in tests/fixtures/*.csv; do
        [ -f "$f" ] || continue
        { printf '\x00'; head -n 20 "$f"; } > "$dir/seed-wrap-$(basename "$f")"
    done
}

for target in "${TARGETS[@]}"; do
    limit=()
    case $target in
        ingest_reader) seed "$target" '\x05\x21' ;;
        detect_format) seed "$target" '\x00' ;;
        json_input) seed_kind "$target" tests/fixtures/inputs/*.json tests/fixtures/inputs/*.jsonl ;;
        gzip_input) seed_kind "$target" tests/fixtures/inputs/*.gz ;;
        zip_input) seed_kind "$target" tests/fixtures/inputs/*.zip ;;
        xlsx_input) seed_kind "$target" tests/fixtures/inputs/*.xlsx ;;
        xls_input) seed_kind "$target" tests/fixtures/inputs/*.xls ;;
        *) echo "unknown target $target" >&2; exit 2 ;;
    esac
    case $target in
        ingest_reader | detect_format) ;;
        *) limit=(-max_total_time="$SECONDS_EACH") ;;
    esac
    start=$(date +%s)
    cargo +nightly fuzz run "${FLAGS[@]}" "$target" "fuzz/corpus/$target" -- \
        -runs="$RUNS" "${limit[@]}" -max_len=16384 -timeout=30 -rss_limit_mb=2048 -print_final_stats=1
    echo "fuzz: $target: at most $RUNS runs in $(( $(date +%s) - start )) s"
done
