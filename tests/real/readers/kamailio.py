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

Real files: three syslog excerpts pasted in public issues. dsiprouter #387 and os11k/dispatcher #4
hold only the BYE's ACC line of a call whose INVITE line is not in the excerpt, so they have rows
but no attempt; dsiprouter #464 holds one answered INVITE line (no BYE: talk 0). Non-ACC lines (db_mysql errors) are not rows, even when their Kamailio 5.x
log prefix "{cseq-num cseq-num INVITE call-id}" names an INVITE. The constructed file is built
from the documentation examples and does not count as real. OpenSIPS flatstore files have their
own reader (opensips.py).
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
    out = {}
    rel = "kamailio/dsiprouter-issue387-acc-syslog-excerpt.log"
    out[rel] = read_syslog(os.path.join(corpus_dir, rel), codes, {
        "system": "kamailio", "variant": "acc syslog lines, dSIPRouter log_extra (excerpt from an issue)",
        "expected_format": "kamailio",
        "notes": ["1 ACC line (method=BYE, 200 OK) and 2 db_mysql/core ERROR lines: rows 1, "
                  "attempts 0 (orphan BYE: its INVITE is not in the file)",
                  "dSIPRouter's extra pairs calltype=, src_gwgroupid=, dst_gwgroupid= with empty "
                  "values after the default log_extra set",
                  "src_user/dst_ouser written +1..., dst_user without '+'",
                  "numbers and IPs anonymised by the issue author (+11111111111, 1.1.1.1)"]})
    rel = "kamailio/dsiprouter-issue464-acc-syslog-excerpt.log"
    out[rel] = read_syslog(os.path.join(corpus_dir, rel), codes, {
        "system": "kamailio", "variant": "acc syslog lines, dSIPRouter log_extra (excerpt from an issue)",
        "expected_format": "kamailio",
        "notes": ["1 ACC line (method=INVITE, 200 OK) and 3 error lines: rows 1, attempts 1, "
                  "answered with talk 0 (its BYE line is not in the excerpt: the acc syslog line "
                  "has no duration of its own)",
                  "callee dst_user 18005551212 (NANP 1 + 800 number without '+': national by the "
                  "number plan rules, not international)",
                  "calltype=outbound, src_gwgroupid= (empty), dst_gwgroupid=21 extra pairs",
                  "src_user and src_ip anonymised by the issue author (CUSTOMER, XX.XX.XX.XX)",
                  "syslog day padded with a space: 'Nov  4'"]})
    rel = "kamailio/os11k-dispatcher-issue4-acc-syslog-excerpt.log"
    out[rel] = read_syslog(os.path.join(corpus_dir, rel), codes, {
        "system": "kamailio", "variant": "acc syslog lines, Kamailio 5.5 log prefix (excerpt from an issue)",
        "expected_format": "kamailio",
        "notes": ["5 lines, one ACC line (method=BYE, 200 Ok): rows 1, attempts 0 (orphan BYE)",
                  "the 3 error lines before it carry the prefix '{2 2 INVITE <call-id>}' of the "
                  "INVITE transaction whose acc DB insert failed: a reader keying on 'INVITE' "
                  "anywhere in the line would invent an attempt",
                  "process prefix '27(2781) ERROR:' / '29(2783) NOTICE:' before the module name",
                  "reason written 'Ok' (not 'OK')"]})
    rel = "kamailio/constructed/acc-syslog-from-docs.log"
    out[rel] = read_syslog(os.path.join(corpus_dir, rel), codes, {
        "system": "kamailio", "variant": "acc syslog lines (constructed from docs)",
        "expected_format": "kamailio", "constructed": True,
        "notes": ["syslog prefix before 'ACC: '", "key=value pairs separated by ';' with "
                  "log_extra fields", "INVITE 200 and its BYE are two lines: one attempt, talk = "
                  "BYE timestamp - INVITE timestamp (8 s)", "'call missed' lines for 408, 486, "
                  "487", "empty to_tag on unanswered INVITEs", "a +49 request user"]})
    return out
