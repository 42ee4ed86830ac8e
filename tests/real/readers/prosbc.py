"""TelcoBridges ProSBC / Tmedia text CDR expectations (independent of cdrscope's code).

Text CDRs (TelcoBridges "Text Call Detail Records"; Patton SmartMedia, a TelcoBridges OEM, shows
the records): one line per leg event, "<timestamp>,<BEG|UPD|END>,Key='value',...", each leg
(LegId) has a BEG and an END record, and the two legs of one call share SessionId (originate =
the incoming leg, answer = the outgoing leg). Folding: one attempt per SessionId; its answered
rule is ConnectedTime present and non-zero on the originate leg; talk = EndTime - ConnectedTime of
that leg's END record; callee = Called of the originate leg; TerminationCause NORMAL on an
unanswered leg would be a normal clearing with no end direction (other). rows = every record line.
Only a constructed file (from the documentation example) exists; it does not count as real.
"""
import os
import re

import figures as F
import rules

KV = re.compile(r"(\w+)='([^']*)'")


def _codes(corpus_dir):
    root = os.path.normpath(os.path.join(corpus_dir, "..", "..", ".."))
    path = os.path.join(root, "data", "calling_codes.csv")
    return rules.load_calling_codes(path) if os.path.exists(path) else set()


def expectations(corpus_dir):
    codes = _codes(corpus_dir)
    rel = "prosbc/constructed/text_cdr_one_answered_call_two_legs.log"
    with open(os.path.join(corpus_dir, rel), encoding="utf-8", newline="") as f:
        lines = [l for l in f.read().splitlines() if l]
    sessions = {}
    seen, dups = set(), 0
    for line in lines:
        if line in seen:
            dups += 1
            continue
        seen.add(line)
        parts = line.split(",", 2)
        kind, kv = parts[1], dict(KV.findall(parts[2]))
        s = sessions.setdefault(kv["SessionId"], {})
        if kv.get("Direction") == "originate":
            s.setdefault("orig", {}).update(kv)
            if kind == "END":
                s["end"] = kv
    att = []
    for s in sessions.values():
        o = s.get("orig", {})
        conn = int(o.get("ConnectedTime") or 0)
        end = int(s.get("end", {}).get("EndTime") or 0)
        answered = conn > 0
        a = {"answered": answered, "talk_s": max(end - conn, 0) if answered else 0,
             "callee": o.get("Called", ""), "international": False}
        if not answered:
            a["vendor"] = ("table", "other")
        att.append(a)
    return {rel: F.figures(att, rows=len(lines), calling_codes=codes, duplicates=dups,
                           extra={"system": "prosbc", "variant": "text CDR, BEG/END per leg (constructed from docs)",
                                  "expected_format": "prosbc", "constructed": True,
                                  "notes": "two legs per call, each with a BEG and an END line: fold "
                                           "the four lines into one attempt by SessionId (use the "
                                           "originate leg); epoch-second StartTime/ConnectedTime/"
                                           "EndTime inside key='value' pairs; the leading timestamp "
                                           "has a +0200 offset; SessionId contains spaces"})}
