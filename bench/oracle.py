#!/usr/bin/env python3
"""Independent check of a generated file: the benchmark aggregate with Python's csv module.

    python3 bench/oracle.py CDR.csv [--agg CDR.csv.agg.json]

prints the aggregate as JSON ({"rows", "gw", "er"}); with --agg it exits 1 unless the generator's own
aggregate says the same. run.sh uses it when ORACLE=1 (and for files from another generator).
"""
import argparse
import csv
import json
import sys


def aggregate(path):
    gw, er, rows = {}, {}, 0
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = next(reader)
        g, h, e = (header.index(c) for c in ("calleegatewayid", "holdtime", "endreason"))
        for row in reader:
            if not row:
                continue
            rows += 1
            hold = int(row[h])
            acc = gw.setdefault(row[g], [0, 0, 0])
            acc[0] += 1
            acc[1] += hold > 0
            acc[2] += hold
            key = str(int(row[e]))
            er[key] = er.get(key, 0) + 1
    return {"rows": rows, "gw": gw, "er": er}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--agg", help="the generator's aggregate to compare with")
    ap.add_argument("--out", help="write the aggregate here instead of stdout")
    a = ap.parse_args()
    res = aggregate(a.csv)
    if a.agg:
        with open(a.agg, encoding="utf-8") as f:
            want = json.load(f)
        same = all(res[k] == want[k] for k in ("rows", "gw", "er"))
        print("oracle %s the generator's aggregate" % ("agrees with" if same else "DISAGREES with"), file=sys.stderr)
        if not same:
            return 1
    text = json.dumps(res, sort_keys=True)
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
