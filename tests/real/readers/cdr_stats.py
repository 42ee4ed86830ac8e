"""CDR-Stats CDR import CSV expectations (independent of cdrscope's code).

CDR-Stats (Star2Billing, the authors of A2Billing/Newfies) imports CDRs from a CSV whose header is
switch,cdr_source_type,callid,caller_id_number,caller_id_name,destination_number,dialcode,state,
channel,starting_date,duration,billsec,progresssec,answersec,waitsec,hangup_cause_id,hangup_cause,
direction,country_code,accountcode,buy_rate,buy_cost,sell_rate,sell_cost,extradata.
There is no answer-time column: answered when billsec > 0 (generic mapping rule); talk = billsec;
hangup_cause_id is a Q.850 cause; callee = destination_number (+E.164).
"""
import csv
import io
import os

import figures as F
import rules


def _codes(corpus_dir):
    root = os.path.normpath(os.path.join(corpus_dir, "..", "..", ".."))
    path = os.path.join(root, "data", "calling_codes.csv")
    return rules.load_calling_codes(path) if os.path.exists(path) else set()


def expectations(corpus_dir):
    codes = _codes(corpus_dir)
    name = "cdrimport_2015-10-26.csv"
    with open(os.path.join(corpus_dir, "cdr_stats", name), encoding="utf-8", newline="") as f:
        lines = [l for l in f.read().splitlines() if l]
    names = next(csv.reader([lines[0]]))
    seen, dups, att = set(), 0, []
    for line in lines[1:]:
        if line in seen:
            dups += 1
            continue
        seen.add(line)
        r = dict(zip(names, next(csv.reader(io.StringIO(line)))))
        billsec = int(rules.clean(r["billsec"]) or 0)
        cause = rules.clean(r["hangup_cause_id"])
        att.append({"answered": billsec > 0, "talk_s": billsec, "callee": r["destination_number"],
                    "international": False, "q850": int(cause) if cause.isdigit() else None})
    return {"cdr_stats/" + name: F.figures(
        att, rows=len(lines) - 1, calling_codes=codes, duplicates=dups, header_rows=1,
        extra={"system": "cdr_stats", "variant": "CDR-Stats CDR import CSV sample (25 columns)",
               "expected_format": "cdr_stats_import",
               "notes": "billsec (not duration) is talk time; hangup_cause_id holds Q.850 16 on "
                        "answered calls (normal clearing, not a failure); extradata is a JSON "
                        "object '{}' in the last column; destinations +34...; the original file has "
                        "CRLF line ends that the stored copy lost (see SOURCES.md)"})}
