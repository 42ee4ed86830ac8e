#!/usr/bin/env bash
# `cdrscope export` next to `cdrscope report`, as ratios measured in one run (not timed tests):
#   1. export throughput / report throughput on the 1,000,000-row VOS3000 file (--jobs 1 and 0);
#   2. the export's max RSS at 10,000,000 rows / at 1,000,000 rows (bounded memory);
#   3. --jobs 0 / --jobs 1 for the export;
#   4. DuckDB running sql/kpis.sql, codes.sql and outcomes.sql on the 10 M-row export next to
#      `cdrscope report --json` on the same rows.
# Usage: bench/export.sh [RUNS]   (DATA=/tmp/cdrscope-bench; the files are generated when missing)
# Prints a Markdown section for bench/RESULTS.md ("Export and engines").
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
DATA=${DATA:-/tmp/cdrscope-bench}
PY=${CDRSCOPE_ENGINES_VENV:-$HOME/.cache/cdrscope/engines-venv}/bin/python
BIN=target/release/cdrscope
mkdir -p "$DATA"
cargo build --release --quiet --bin cdrscope
for rows in 1000000 10000000; do
  f="$DATA/vos3000_e_cdr_$rows.csv"
  [ -s "$f" ] || python3 bench/gen_cdr.py --rows "$rows" --out "$f" >&2
done
F1="$DATA/vos3000_e_cdr_1000000.csv"
F10="$DATA/vos3000_e_cdr_10000000.csv"
OUT="$DATA/export-bench"

# One measurement: median wall seconds and max RSS (KiB) of RUNS runs of a command.
measure() {
  local name=$1; shift
  local times=() rss=0
  for _ in $(seq "$RUNS"); do
    rm -rf "$OUT"
    /usr/bin/time -f '%e %M' -o "$DATA/time.txt" "$@" > /dev/null 2> "$DATA/stderr.txt" \
      || { cat "$DATA/stderr.txt" >&2; exit 1; }
    read -r t m < "$DATA/time.txt"
    times+=("$t"); [ "$m" -gt "$rss" ] && rss=$m
  done
  local med
  med=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$name $med $rss"
}

cat "$F1" > /dev/null
R=()
# Round robin so a change of the VM's speed hits every contestant alike.
R+=("$(measure report1 $BIN report "$F1" --json)")
R+=("$(measure export1 $BIN export "$F1" --to "$OUT")")
R+=("$(measure report1j $BIN report "$F1" --json --jobs 0)")
R+=("$(measure export1j $BIN export "$F1" --to "$OUT" --jobs 0)")
RUNS=1
R+=("$(measure report10 $BIN report "$F10" --json)")
R+=("$(measure export10 $BIN export "$F10" --to "$OUT")")
rm -rf "$OUT"
$BIN export "$F10" --to "$OUT" 2> /dev/null
DUCK=$("$PY" - "$OUT" <<'EOF'
import duckdb, sys, time, os
out = sys.argv[1]
t = time.time()
con = duckdb.connect()
setup = open("sql/duckdb/calls.sql").read().replace("{{export}}", out).replace("{{tz_offset_min}}", "0")
con.execute(setup)
n = 0
for q in ("kpis.sql", "codes.sql", "outcomes.sql"):
    n += len(con.sql(open(os.path.join("sql", q)).read()).fetchall())
print(f"{time.time() - t:.2f} {n} {duckdb.__version__}")
EOF
)
SIZE=$(du -sm "$OUT" | cut -f1)
rm -rf "$OUT"
printf '%s\n' "${R[@]}" > "$DATA/export-bench.txt"
echo "duckdb $DUCK" >> "$DATA/export-bench.txt"
awk -v size="$SIZE" -v commit="$(git rev-parse --short HEAD)" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" '
  { t[$1] = $2; m[$1] = $3; if ($1 == "duckdb") { dt = $2; drows = $3; dver = $4 } }
  END {
    mb1 = 424.5; mb10 = 4245
    printf "## Export and engines (issue 19)\n\n"
    printf "`bench/export.sh` at %s (load average %s at the end; 2 shared cores: read ratios, not absolute times). Median of the runs for 1 M rows, one run for 10 M.\n\n", commit, load
    printf "| measure | value |\n|---|---:|\n"
    printf "| report, 1 M rows (424.5 MB), --jobs 1 | %.2f s (%.0f MB/s), max RSS %d MiB |\n", t["report1"], mb1 / t["report1"], m["report1"] / 1024
    printf "| export, 1 M rows, --jobs 1 | %.2f s (%.0f MB/s), max RSS %d MiB |\n", t["export1"], mb1 / t["export1"], m["export1"] / 1024
    printf "| **export / report throughput, --jobs 1** (target ≥ 0.8×) | **%.2f×** |\n", t["report1"] / t["export1"]
    printf "| report, 1 M rows, --jobs 0 | %.2f s, max RSS %d MiB |\n", t["report1j"], m["report1j"] / 1024
    printf "| export, 1 M rows, --jobs 0 | %.2f s, max RSS %d MiB |\n", t["export1j"], m["export1j"] / 1024
    printf "| export / report throughput, --jobs 0 | %.2f× |\n", t["report1j"] / t["export1j"]
    printf "| **export --jobs 0 / --jobs 1 speed-up** | **%.2f×** |\n", t["export1"] / t["export1j"]
    printf "| export, 10 M rows (4.2 GB), --jobs 1 | %.2f s, max RSS %d MiB, %d MB of Parquet |\n", t["export10"], m["export10"] / 1024, size
    printf "| **export max RSS, 10 M / 1 M rows** (target ≤ 1.2×) | **%.2f×** |\n", m["export10"] / m["export1"]
    printf "| report, 10 M rows | %.2f s, max RSS %d MiB |\n", t["report10"], m["report10"] / 1024
    printf "| DuckDB %s: sql/kpis.sql + codes.sql + outcomes.sql on the 10 M-row export (%d result rows) | %.2f s |\n", dver, drows, dt
    printf "| **DuckDB full KPI set / cdrscope report on the same 10 M rows** | **%.2f×** the report time |\n", dt / t["report10"]
  }' "$DATA/export-bench.txt"
