#!/usr/bin/env python3
"""The normalized calls on three engines give the numbers of `cdrscope report`.

For every sample file of tests/fixtures/ (the top-level samples, inputs/, findings/ and every file
of the real corpus cdrscope reads), plus a folder of files with cross-file duplicates and a 17 MB
file read in parallel parts (`--jobs 3`) whose last rows repeat earlier ones, this script

1. runs `cdrscope report FILE --json --tz +05:30` (a file the report refuses is skipped),
2. runs `cdrscope export FILE --to WORK/<case> --tz +05:30`,
3. runs sql/<engine>/calls.sql and the portable sql/kpis.sql, sql/codes.sql and sql/outcomes.sql
   once per engine over all the exports together (each export is its own `scope`) on DuckDB, chDB
   (ClickHouse in process) and PySpark in local mode,
4. asserts every engine's figures equal the report's: counts exactly, ratios within 1e-9, money as
   exact decimals, health verdicts (with the deciding share and "few calls") exactly.

Run it with the interpreter that has duckdb, chdb and pyspark (scripts/setup.sh installs them):
    $CDRSCOPE_ENGINES_VENV/bin/python tests/engines/test_engines.py [--engines duckdb,chdb,spark]
It ends with the line "N passed, M failed" and exits non-zero on any failure.
"""

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CDRSCOPE = os.environ.get("CDRSCOPE", os.path.join(REPO, "target", "release", "cdrscope"))
TZ = "+05:30"
TZ_MIN = 330
TOL = 1e-9


def slug(path):
    rel = os.path.relpath(path, os.path.join(REPO, "tests", "fixtures"))
    return re.sub(r"[^A-Za-z0-9._-]+", "__", rel)


def cases(work):
    """(scope, inputs, extra args) of every case."""
    fx = os.path.join(REPO, "tests", "fixtures")
    out = []
    for p in sorted(glob.glob(os.path.join(fx, "*"))):
        if not os.path.isfile(p) or p.endswith((".json", ".md")):
            continue
        mapping = os.path.splitext(p)[0] + ".mapping.json"
        extra = ["--format", "generic", "--mapping", mapping] if os.path.exists(mapping) else []
        out.append((slug(p), [p], extra))
    for sub in ("inputs", "findings"):
        for p in sorted(glob.glob(os.path.join(fx, sub, "*"))):
            if os.path.isfile(p) and not p.endswith(".md"):
                out.append((slug(p), [p], []))
    for p in sorted(glob.glob(os.path.join(fx, "real", "**", "*"), recursive=True)):
        if os.path.isfile(p) and not p.endswith((".md", "expected.json")):
            out.append((slug(p), [p], []))
    # A folder: the same calls in several containers, so most are calls of an earlier file. The
    # Chinese client export (local wall-clock times) is left out: in a folder whose first file has
    # UTC instants the report shifts its hours by --tz too, while the export turns each file's
    # times into UTC by its own basis (docs/normalized-calls.md, "Times").
    folder = os.path.join(work, "src", "folder")
    os.makedirs(folder, exist_ok=True)
    for p in sorted(glob.glob(os.path.join(fx, "inputs", "*"))):
        if not p.endswith(("README.md", "vos3000_cdr_zh.xlsx")):
            shutil.copy(p, folder)
    out.append(("folder__inputs", [folder], []))
    # Parallel parts: a generated VOS3000 day of 17 MB with its first 3,000 rows repeated at the
    # end (repeats found across parts), read with --jobs 3.
    big = os.path.join(work, "src", "vos3000_parts.csv")
    os.makedirs(os.path.dirname(big), exist_ok=True)
    subprocess.run([sys.executable, os.path.join(REPO, "bench", "gen_cdr.py"), "--rows", "40000",
                    "--out", big], check=True, stdout=subprocess.DEVNULL)
    with open(big, "rb") as f:
        lines = f.read().split(b"\n")
    with open(big, "ab") as f:
        f.write(b"\n".join(lines[1:3001]) + b"\n")
    out.append(("parts__vos3000_40k", [big], ["--jobs", "3"]))
    return out


def run_case(scope, inputs, extra, work):
    """The report's JSON and the export folder, or None when the report refuses the input."""
    rep = subprocess.run([CDRSCOPE, "report", *inputs, "--json", "--tz", TZ, *extra],
                         capture_output=True, text=True)
    if rep.returncode != 0:
        return None
    to = os.path.join(work, "exports", scope)
    ex = subprocess.run([CDRSCOPE, "export", *inputs, "--to", to, "--tz", TZ, *extra],
                        capture_output=True, text=True)
    if ex.returncode != 0:
        raise RuntimeError(f"{scope}: export failed: {ex.stderr.strip()}")
    return json.loads(rep.stdout)


def statements(path, export_glob):
    text = open(os.path.join(REPO, "sql", path)).read()
    text = text.replace("{{export}}", export_glob).replace("{{tz_offset_min}}", str(TZ_MIN))
    text = "\n".join(line.split("--", 1)[0] if line.lstrip().startswith("--") else line
                     for line in text.splitlines())
    return [s.strip() for s in text.split(";") if s.strip()]


QUERIES = ("kpis.sql", "codes.sql", "outcomes.sql")


def run_duckdb(export_glob):
    import duckdb
    con = duckdb.connect()
    for s in statements("duckdb/calls.sql", export_glob):
        con.execute(s)
    res = {}
    for q in QUERIES:
        r = con.sql(open(os.path.join(REPO, "sql", q)).read())
        res[q] = [dict(zip(r.columns, row)) for row in r.fetchall()]
    return res


def run_chdb(export_glob):
    from chdb import session
    s = session.Session()
    for st in statements("clickhouse/calls.sql", export_glob):
        s.query(st)
    res = {}
    for q in QUERIES:
        text = open(os.path.join(REPO, "sql", q)).read()
        out = json.loads(s.query(text, "JSON").bytes() or b'{"data": []}')
        types = {m["name"]: m["type"] for m in out.get("meta", [])}
        rows = []
        for row in out["data"]:
            conv = {}
            for k, v in row.items():
                t = types.get(k, "")
                if v is None:
                    conv[k] = None
                elif "Decimal" in t:
                    conv[k] = Decimal(str(v))
                elif "Int" in t and isinstance(v, str):
                    conv[k] = int(v)
                elif "Float" in t and isinstance(v, str):
                    conv[k] = float(v)
                else:
                    conv[k] = v
            rows.append(conv)
        res[q] = rows
    s.close()
    return res


def run_spark(export_glob):
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master("local[2]").appName("cdrscope-engines")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.shuffle.partitions", "4")
             .config("spark.driver.memory", "1g")
             .config("spark.sql.session.timeZone", "UTC")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    try:
        for st in statements("spark/calls.sql", export_glob):
            spark.sql(st)
        res = {}
        for q in QUERIES:
            res[q] = [r.asDict() for r in spark.sql(open(os.path.join(REPO, "sql", q)).read()).collect()]
        return res
    finally:
        spark.stop()


ENGINES = {"duckdb": run_duckdb, "chdb": run_chdb, "spark": run_spark}


class Check:
    def __init__(self):
        self.failures = []
        self.checks = 0

    def eq(self, where, what, want, got):
        self.checks += 1
        ok = same(want, got)
        if not ok:
            self.failures.append(f"{where}: {what}: report {want!r}, engine {got!r}")
        return ok


def same(want, got):
    if want is None or got is None:
        return want is None and got is None
    if isinstance(want, bool) or isinstance(got, bool):
        return bool(want) == bool(got)
    if isinstance(want, str) and isinstance(got, (Decimal, int, float)) and re.fullmatch(r"-?\d+(\.\d+)?", want):
        return Decimal(want) == Decimal(str(got))
    if isinstance(want, float) or isinstance(got, float):
        a, b = float(want), float(got)
        return abs(a - b) <= TOL * max(1.0, abs(a))
    return want == got


KPI_FIELDS = [
    ("attempts", "attempts"), ("answered", "answered"), ("asr", "asr"), ("acd_s", "acd_s"),
    ("total_hold_s", "total_talk_s"), ("minutes", "minutes"), ("pdd_rows", "pdd_rows"),
    ("pdd_avg_ms", "pdd_avg_ms"), ("pdd_p50_ms", "pdd_p50_ms"), ("pdd_p95_ms", "pdd_p95_ms"),
    ("ner_effective", "ner_effective"), ("ner", "ner"), ("ner_incl_487", "ner_incl_487"),
    ("short_calls", "short_calls"), ("sdr", "sdr"), ("zero_duration_answered", "zero_duration_answered"),
    ("fee", "fee"), ("cost", "cost"), ("margin", "margin"),
]
SHARE_FIELDS = [("ok_200", "share_ok_200"), ("sip_4xx", "share_4xx"), ("sip_5xx", "share_5xx"),
                ("sip_6xx", "share_6xx"), ("busy_486", "share_busy"), ("cancelled_487", "share_cancelled")]
HEALTH_FIELDS = [("verdict", "verdict"), ("ok_200", "verdict_ok_200"), ("sip_4xx", "verdict_4xx"),
                 ("sip_5xx", "verdict_5xx"), ("busy_486", "verdict_busy"), ("deciding", "deciding"),
                 ("deciding_share", "deciding_share"), ("few_calls", "few_calls")]
DIMS = [("by_egress_gateway", "egress_gateway"), ("by_ingress_gateway", "ingress_gateway"),
        ("by_destination", "destination"), ("by_hour", "hour")]


def compare_kpis(c, where, k, row):
    for rf, sf in KPI_FIELDS:
        c.eq(where, rf, k.get(rf), row.get(sf))
    for rf, sf in SHARE_FIELDS:
        c.eq(where, "shares." + rf, k["shares"][rf], row.get(sf))
    for rf, sf in HEALTH_FIELDS:
        c.eq(where, "health." + rf, k["health"].get(rf), row.get(sf))


def compare(engine, scope, report, res, c):
    where = f"{engine} {scope}"
    kpis = {(r["dim"], r["grp"]): r for r in res["kpis.sql"] if r["scope"] == scope}
    overall = kpis.get(("overall", ""))
    if overall is None:
        if report["overall"]["attempts"] != 0:
            c.eq(where, "overall row", "present", None)
        return
    compare_kpis(c, where + " overall", report["overall"], overall)
    for key, dim in DIMS:
        groups = report[key]
        got = {g for (d, g) in kpis if d == dim}
        c.eq(where, dim + " groups", sorted(g["name"] for g in groups), sorted(got))
        for g in groups:
            row = kpis.get((dim, g["name"]))
            if row is None:
                continue
            compare_kpis(c, f"{where} {dim}={g['name']}", g, row)
            if dim == "destination":
                c.eq(where, f"destination {g['name']} label", g.get("label", ""), row["label"])
                c.eq(where, f"destination {g['name']} label_es", g.get("label_es", ""), row["label_es"])
    codes = {}
    for r in res["codes.sql"]:
        if r["scope"] == scope:
            codes[(r["dim"], r["grp"], r["code"], r["code_system"], bool(r["answered"]))] = r
    overall_codes = {k[2:]: v for k, v in codes.items() if k[0] == "overall"}
    c.eq(where, "code keys", sorted(((x["code"], x["system"] or "", x["answered"]) for x in report["by_code"])),
         sorted(((k[0], k[1] or "", k[2]) for k in overall_codes)))
    for x in report["by_code"]:
        r = overall_codes.get((x["code"], x["system"], x["answered"]))
        if r is None:
            continue
        w = f"{where} code {x['system']}:{x['code']}:{'answered' if x['answered'] else 'failed'}"
        c.eq(w, "count", x["count"], r["count"])
        c.eq(w, "share", x["share"], r["share"])
        c.eq(w, "label", x["label"], r["code_label"] or "")
        c.eq(w, "class", x["class"], r["sip_class"])
    for key, dim in DIMS:
        for g in report[key]:
            for x in g["codes"]:
                r = codes.get((dim, g["name"], x["code"], x["system"], x["answered"]))
                w = f"{where} {dim}={g['name']} code {x['system']}:{x['code']}"
                c.eq(w, "count", x["count"], r and r["count"])
                c.eq(w, "share", x["share"], r and r["share"])
    outs = {(r["dim"], r["name"]): r["count"] for r in res["outcomes.sql"] if r["scope"] == scope}
    c.eq(where, "outcomes", {o["name"]: o["count"] for o in report["by_outcome"]},
         {n: v for (d, n), v in outs.items() if d == "outcome"})
    c.eq(where, "end directions", {o["name"]: o["count"] for o in report["by_end_direction"]},
         {n: v for (d, n), v in outs.items() if d == "end_direction"})


def check_rows(scope, report, to, c):
    """Row accounting of one export against the report, read with DuckDB."""
    import duckdb
    con = duckdb.connect()
    where = f"rows {scope}"
    parts = glob.glob(os.path.join(to, "day=*", "*.parquet"))
    n = dups = 0
    if parts:
        n, dups = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE duplicate) FROM read_parquet(?, hive_partitioning = false)",
            [parts]).fetchone()
    rej = con.execute("SELECT count(*) FILTER (WHERE source_line IS NOT NULL) FROM read_parquet(?)",
                      [os.path.join(to, "rejects.parquet")]).fetchone()[0]
    manifest = json.load(open(os.path.join(to, "_cdrscope.json")))
    rows = report["rows"]
    c.eq(where, "attempts (rows not flagged duplicate)", report["overall"]["attempts"], n - dups)
    c.eq(where, "duplicates flagged", rows["duplicates"], dups)
    c.eq(where, "rejects", rows["rejected"], rej)
    c.eq(where, "manifest rows", n, manifest["rows"])
    c.eq(where, "accepted", rows["accepted"], sum(f["accepted"] for f in manifest["files"]))
    if rows["rejected"] > 0 and report["rejects"]:
        first = report["rejects"][0]
        got = con.execute("SELECT source_line, reason FROM read_parquet(?) WHERE source_line IS NOT NULL "
                          "ORDER BY source_file, source_line LIMIT 1",
                          [os.path.join(to, "rejects.parquet")]).fetchone()
        if len(report["files"]) == 1:
            c.eq(where, "first reject", (first["line"], first["reason"]), got)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--engines", default="duckdb,chdb,spark")
    ap.add_argument("--keep", help="keep the exports in this folder")
    args = ap.parse_args()
    t0 = time.time()
    work = args.keep or tempfile.mkdtemp(prefix="cdrscope-engines-")
    if args.keep:
        shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "exports"), exist_ok=True)
    c = Check()
    reports = {}
    skipped = []
    for scope, inputs, extra in cases(work):
        rep = run_case(scope, inputs, extra, work)
        if rep is None:
            skipped.append(scope)
            continue
        reports[scope] = rep
        check_rows(scope, rep, os.path.join(work, "exports", scope), c)
    print(f"{len(reports)} cases exported ({len(skipped)} inputs the report refuses skipped) "
          f"in {time.time() - t0:.1f} s", flush=True)
    export_glob = os.path.join(work, "exports", "*")
    for engine in args.engines.split(","):
        t = time.time()
        before = len(c.failures)
        res = ENGINES[engine](export_glob)
        for scope, rep in reports.items():
            compare(engine, scope, rep, res, c)
        print(f"{engine}: {len(reports)} cases, {len(c.failures) - before} mismatches, "
              f"{time.time() - t:.1f} s", flush=True)
    shown = int(os.environ.get("SHOW_FAILURES", "60"))
    for f in c.failures[:shown]:
        print("  FAIL", f)
    if len(c.failures) > shown:
        print(f"  … and {len(c.failures) - shown} more")
    per_case = {}
    for f in c.failures:
        case = " ".join(f.split(":")[0].split()[:2])
        per_case[case] = per_case.get(case, 0) + 1
    for case, n in sorted(per_case.items()):
        print(f"  {n} mismatches in {case}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print(f"engines: {time.time() - t0:.1f} s in all")
    print(f"{c.checks - len(c.failures)} passed, {len(c.failures)} failed")
    sys.exit(1 if c.failures else 0)


if __name__ == "__main__":
    main()
