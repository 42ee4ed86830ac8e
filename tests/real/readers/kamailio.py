"""Kamailio/OpenSIPS acc expectations (independent of cdrscope's code).

The acc module's syslog backend writes one line per accounted transaction:
"ACC: transaction answered: " (or "call missed: ", "request acknowledged: ", "request
accounted: ") followed by "timestamp=<epoch>;method=...;from_tag=...;to_tag=...;call_id=...;
code=...;reason=..." and the log_extra pairs (Kamailio's default config: src_user, src_domain,
src_ip, dst_ouser, dst_user, dst_domain), usually behind a syslog prefix.

Folding: one attempt per INVITE transaction (Call-ID + from_tag); BYE/ACK lines are folded into
their call. Answered rule: an INVITE line with a 2xx code. talk = BYE timestamp - INVITE
timestamp when both are present, else 0. callee = dst_user (request user), else dst_ouser.
sip = the INVITE's code. rows = every ACC line.

No public acc file (syslog lines, acc/missed_calls/acc_cdrs table dumps) was found: the only file
here is constructed from the documentation examples and does not count as real.
"""
import os
import re

import figures as F
import rules

ACC = re.compile(r"ACC: (transaction answered|call missed|request acknowledged|request accounted"
                 r"|call ended): (.*)$")


def _codes(corpus_dir):
    root = os.path.normpath(os.path.join(corpus_dir, "..", "..", ".."))
    path = os.path.join(root, "data", "calling_codes.csv")
    return rules.load_calling_codes(path) if os.path.exists(path) else set()


def _pairs(text):
    out = {}
    for part in text.split(";"):
        if "=" in part:
            k, v = part.split("=", 1)
            out[k.strip()] = v.strip()
    return out


def read_syslog(path, codes, extra):
    with open(path, encoding="utf-8", newline="") as f:
        lines = [l for l in f.read().splitlines() if l]
    seen, dups, rows, rejected = set(), 0, 0, 0
    calls, order = {}, []
    for line in lines:
        m = ACC.search(line)
        if not m:
            continue  # other syslog lines are not CDR rows
        rows += 1
        if line in seen:
            dups += 1
            continue
        seen.add(line)
        kv = _pairs(m.group(2))
        method = kv.get("method", "").upper()
        key = (kv.get("call_id", ""), kv.get("from_tag", ""))
        if not key[0]:
            rejected += 1
            continue
        c = calls.get(key)
        if c is None:
            c = calls[key] = {}
            order.append(key)
        if method == "INVITE":
            c["invite"] = kv
        elif method == "BYE":
            c["bye"] = kv
    att = []
    for key in order:
        c = calls[key]
        inv = c.get("invite")
        if inv is None:
            continue  # a BYE/ACK without its INVITE is not an attempt
        code = int(inv.get("code", "0") or 0)
        answered = 200 <= code <= 299
        talk = 0
        if answered and "bye" in c:
            talk = max(int(c["bye"]["timestamp"]) - int(inv["timestamp"]), 0)
        att.append({"answered": answered, "talk_s": talk,
                    "callee": inv.get("dst_user") or inv.get("dst_ouser", ""),
                    "international": False, "sip": code})
    return F.figures(att, rows=rows, calling_codes=codes, duplicates=dups, rejected=rejected,
                     extra=extra)


def expectations(corpus_dir):
    codes = _codes(corpus_dir)
    rel = "kamailio/constructed/acc-syslog-from-docs.log"
    return {rel: read_syslog(os.path.join(corpus_dir, rel), codes, {
        "system": "kamailio", "variant": "acc syslog lines (constructed from docs)",
        "expected_format": "kamailio", "constructed": True,
        "notes": ["syslog prefix before 'ACC: '", "key=value pairs separated by ';' with "
                  "log_extra fields", "INVITE 200 and its BYE are two lines: one attempt, talk = "
                  "BYE timestamp - INVITE timestamp (8 s)", "'call missed' lines for 408, 486, "
                  "487", "empty to_tag on unanswered INVITEs", "a +49 request user"]})}
