"""Cisco CUCM flat-file CDR/CMR expectations (independent of cdrscope's code).

Format, as Cisco documents it (CDR Analysis and Reporting / "Cisco Unified Communications Manager
Call Detail Records Administration Guide"): comma-separated, one record per line; a file written by
the CDR Repository Manager starts with a header line of field names and a second line of field
types (INTEGER, VARCHAR(n), UNIQUEIDENTIFIER); string fields are double-quoted. Exports made by
other tools may drop the quotes and the type line (see the lab file).

Rules used here (docs/outcomes.md):
- cdrRecordType 1 = CDR row (one attempt); 2 = CMR (diagnostic, no attempt); 0 = start record.
- answered: dateTimeConnect != 0; talk = duration (seconds).
- callee: finalCalledPartyNumber; international only when written with +/00/011.
- q850: destCause_value if non-zero else origCause_value; values above 127 (Cisco-specific,
  e.g. 1459617833) stay as they are and fall to "other".
- ended_by_caller: origCause_value != 0 and destCause_value == 0.
- repeated rows: a data row byte-identical to an earlier one counts in `duplicates`.
"""
import csv
import io
import os

import figures as F
import rules

SYSTEM = "cucm"


def _codes(corpus_dir):
    root = os.path.normpath(os.path.join(corpus_dir, "..", "..", ".."))
    path = os.path.join(root, "data", "calling_codes.csv")
    return rules.load_calling_codes(path) if os.path.exists(path) else set()


def _int(v):
    v = rules.clean(v)
    try:
        return int(v)
    except ValueError:
        return 0


def _split(text):
    """Header rows, data lines (without terminators) and the parsed header names."""
    lines = text.splitlines()
    while lines and lines[-1] == "":
        lines.pop()
    header_rows = 0
    names = None
    if lines and "cdrRecordType" in lines[0]:
        names = next(csv.reader([lines[0]]))
        header_rows = 1
        if len(lines) > 1 and lines[1].startswith("INTEGER"):
            header_rows = 2
    return header_rows, names, lines[header_rows:]


def _read(path, codes, variant, notes):
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    header_rows, names, data = _split(text)
    seen = set()
    dups = 0
    attempts = []
    for line in data:
        if line in seen:
            dups += 1
            continue
        seen.add(line)
        row = next(csv.reader(io.StringIO(line)))
        r = dict(zip(names, row))
        if rules.clean(r.get("cdrRecordType")) != "1":
            continue
        orig = _int(r.get("origCause_value"))
        dest = _int(r.get("destCause_value"))
        connect = _int(r.get("dateTimeConnect"))
        attempts.append({
            "answered": connect != 0,
            "talk_s": _int(r.get("duration")),
            "callee": r.get("finalCalledPartyNumber", ""),
            "international": False,
            "q850": dest if dest != 0 else orig,
            "ended_by_caller": orig != 0 and dest == 0,
        })
    return F.figures(attempts, rows=len(data), calling_codes=codes, duplicates=dups,
                     header_rows=header_rows,
                     extra={"system": SYSTEM, "variant": variant, "expected_format": "cucm",
                            "notes": notes})


def _cmr(path, variant, notes):
    with open(path, encoding="utf-8", newline="") as f:
        header_rows, _, data = _split(f.read())
    return F.figures([], rows=0, calling_codes=set(), header_rows=header_rows,
                     extra={"system": SYSTEM, "variant": variant, "expected_format": "cucm_cmr",
                            "cmr_records": len(data), "notes": notes})


def expectations(corpus_dir):
    codes = _codes(corpus_dir)
    d = os.path.join(corpus_dir, "cucm")
    out = {}
    f = "cucm_cdr_quoted_header_types_2025.txt"
    out["cucm/" + f] = _read(
        os.path.join(d, f), codes, "CDR Repository file, quoted strings, name + type header lines (CUCM 12.5+ field set)",
        "two header lines (names, then INTEGER/VARCHAR types) are not data; two of the three rows "
        "carry destCause_value 1459617833, a Cisco 32-bit value (not Q.850) that must not break "
        "integer parsing and maps to other; dateTimeConnect 0 = never connected; epoch seconds UTC")
    f = "cucm10_cdr_unquoted_header_no_types_lab.txt"
    out["cucm/" + f] = _read(
        os.path.join(d, f), codes, "CDR export without quotes and without the type line (CUCM 10.x lab)",
        "one unquoted header line and no type line; callingPartyUnicodeLoginUserID holds a "
        "backslash-space ('\\ ') placeholder; 123 columns with a trailing empty field; finalCalled"
        "PartyNumber mixes extensions (42000, 911), '+', empty values and +E.164; most attempts are "
        "unanswered with origCause_value 16 (caller released: cancelled) or 1 (unallocated)")
    f = "cucm_cmr_quoted_header_types_2025.txt"
    out["cucm/" + f] = _cmr(
        os.path.join(d, f), "CMR (call management record) file, quoted, name + type header lines",
        "a CMR file (cdrRecordType 2, packets/jitter/latency and varVQMetrics) is diagnostics, not "
        "calls: recognise it and explain it, count no attempts")
    return out
