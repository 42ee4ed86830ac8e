"""OpenSIPS acc expectations (independent of cdrscope's code).

OpenSIPS' acc module writing through the db_flatstore backend (`db_url = "flatstore:/var/log/acc"`)
produces one text line per accounted transaction, no header, the acc table's columns in order,
separated by the flatstore delimiter (default '|'; these files use ','):

    method,from_tag,to_tag,callid,sip_code,sip_reason,time[,extra...][,setuptime,created,duration,ms_duration]

With CDR accounting (OpenSIPS 2.x/3.x `do_accounting("db", "cdr")`) an answered INVITE line carries
the four CDR columns; as they appear in the kept files they come in the order
setuptime, created, duration, ms_duration after time (time = answer time, created = INVITE time,
setuptime = time - created, duration in s, ms_duration in ms). A failed transaction
(`do_accounting("db", "missed")` / failed flag) has only the seven base columns.

Folding: one attempt per INVITE line (key Call-ID + from_tag); BYE lines would fold into their
call (none present). Answered rule: INVITE with a 2xx sip_code (docs/outcomes.md, Kamailio/OpenSIPS
acc). talk = duration (10th field) when present. sip = sip_code. callee: the base columns hold no
user part, so the callee is empty -> destination "(none)". rows = every non-empty line.
"""
import os

import figures as F
import rules

SYSTEM = "opensips"


def _codes(corpus_dir):
    root = os.path.normpath(os.path.join(corpus_dir, "..", "..", ".."))
    path = os.path.join(root, "data", "calling_codes.csv")
    return rules.load_calling_codes(path) if os.path.exists(path) else set()


def read_flatstore(path, codes, extra, delimiter=","):
    with open(path, encoding="utf-8", newline="") as f:
        lines = [l for l in f.read().splitlines() if l]
    seen, dups, rejected = set(), 0, 0
    calls, order = {}, []
    for line in lines:
        if line in seen:
            dups += 1
            continue
        seen.add(line)
        p = line.split(delimiter)
        if len(p) < 7:
            rejected += 1
            continue
        method = p[0].upper()
        key = (p[3], p[1])
        c = calls.get(key)
        if c is None:
            c = calls[key] = {}
            order.append(key)
        if method == "INVITE":
            c["invite"] = p
        elif method == "BYE":
            c["bye"] = p
    att = []
    for key in order:
        inv = calls[key].get("invite")
        if inv is None:
            continue
        code = int(inv[4])
        answered = 200 <= code <= 299
        talk = int(inv[9]) if answered and len(inv) >= 11 and inv[9].isdigit() else 0
        att.append({"answered": answered, "talk_s": talk, "callee": "", "international": False,
                    "sip": code})
    return F.figures(att, rows=len(lines), calling_codes=codes, duplicates=dups,
                     rejected=rejected, extra=extra)


def expectations(corpus_dir):
    codes = _codes(corpus_dir)
    files = {
        "opensips/issue1853-flatstore-acc-excerpt.csv": (
            "acc via db_flatstore, ',' delimiter, CDR columns (OpenSIPS 3.0.1; excerpt from an issue)",
            ["no header, no user/number columns: both calls have destination (none)",
             "variable field count: the answered INVITE has 11 fields, the failed one 7",
             "the 4 CDR columns follow time as setuptime=5, created=1570705606, duration=19, "
             "ms_duration=19102: time (1570705611) is the answer time, not the INVITE time",
             "480 Temporarily Unavailable with an empty to_tag",
             "Call-IDs of the form <digits>_<digits>@<IPv4>"]),
        "opensips/issue1780-flatstore-acc-excerpt.csv": (
            "acc via db_flatstore, ',' delimiter, CDR columns (OpenSIPS 3.0.0; excerpt from an issue)",
            ["no header, no user/number columns: both calls have destination (none)",
             "variable field count: 11 fields on the 200 OK INVITE, 7 on the 503",
             "setuptime 0 and created == time on the answered call; duration 28 vs ms_duration "
             "27531 (duration is ms_duration rounded to the nearest second, not truncated)",
             "503 Service Unavailable with an empty to_tag",
             "Call-IDs ending in '..'"]),
    }
    out = {}
    for rel, (variant, notes) in files.items():
        out[rel] = read_flatstore(os.path.join(corpus_dir, rel), codes, {
            "system": SYSTEM, "variant": variant, "expected_format": "opensips_flatstore",
            "notes": notes})
    return out
