"""Asterisk cdr_csv / cdr_custom expectations (independent of cdrscope's code).

Asterisk cdr_csv (cdr/cdr_csv.c) writes /var/log/asterisk/cdr-csv/Master.csv with no header, one
record per line, in this order: accountcode, src, dst, dcontext, clid, channel, dstchannel,
lastapp, lastdata, start, answer, end, duration, billsec, disposition, amaflags, then uniqueid and
userfield (cdr.conf [csv] loguniqueid / loguserfield: 18 columns), then peeraccount, linkedid and
sequence when newcdrcolumns=yes (21 columns). Strings are double-quoted, integers bare.

cdr_custom with the stock cdr_custom.conf mapping writes clid, src, dst, dcontext, channel,
dstchannel, lastapp, lastdata, start, answer, end, duration, billsec, disposition, amaflags,
accountcode, uniqueid, userfield, sequence (19 columns, sequence unquoted).

AMI Cdr events (cdr_manager; docs.asterisk.org, API_Documentation/AMI_Events/Cdr and "AMI Command
Syntax") are packets of "Key: Value" lines ended by CRLF, an empty line after each packet, the first
line "Event: Cdr", then AccountCode, Source, Destination, DestinationContext, CallerID, Channel,
DestinationChannel, LastApplication, LastData, StartTime, AnswerTime, EndTime, Duration,
BillableSeconds, Disposition, AMAFlags, UniqueID, UserField. One Cdr event is one record: dst is
Destination, billsec BillableSeconds, disposition Disposition. rows = every non-empty line (each
"Key: Value" line is a line of the file); an event identical to an earlier one counts in
duplicates.

Answered rule: disposition ANSWERED. talk = billsec of answered records. callee = dst. The
vendor reason of an unanswered record is its disposition (docs/outcomes.md table 1.5). Repeated
rows: a data line byte-identical to an earlier one counts in duplicates, not in attempts.
"""
import csv
import json
import os

import figures as F
import rules

# column positions (0-based)
CDR_CSV = {"dst": 2, "billsec": 13, "disposition": 14}
CDR_CUSTOM = {"dst": 2, "billsec": 12, "disposition": 13}

FILES = [
    ("kelysaina-cdr-custom-master.csv", CDR_CUSTOM, 19, "utf-8", {
        "variant": "cdr_custom Master.csv, stock cdr_custom.conf mapping (19 columns)",
        "expected_format": "asterisk_custom",
        "notes": ["no header", "cdr_custom stock column order (clid first, accountcode after "
                  "amaflags), not the cdr_csv order",
                  "last column (sequence) is unquoted",
                  "clid is '\"\" <client1>' (an empty quoted name, doubled quotes inside quotes)",
                  "amaflags is the text DOCUMENTATION", "NO ANSWER rows have an empty answer",
                  "dst are extensions 6789 and 1234 (PJSIP)"]}),
    ("jobichi-master-18col-dial-2000.csv", CDR_CSV, 18, "utf-8", {
        "variant": "cdr_csv Master.csv, 18 columns (loguniqueid, loguserfield)",
        "expected_format": "asterisk",
        "notes": ["no header", "one record", "dialled extension 2000"]}),
    ("tejdeepsingh-master-18col-ivr.csv", CDR_CSV, 18, "utf-8", {
        "variant": "cdr_csv Master.csv, 18 columns (IVR test calls)",
        "expected_format": "asterisk",
        "notes": ["no header", "dst values are dial-plan extensions 't', '1', '2', '3' and "
                  "1001 (IVR menu choices), all internal"]}),
    ("bugadm-master-18col.csv", CDR_CSV, 18, "utf-8", {
        "variant": "cdr_csv Master.csv, 18 columns (Asterisk 11)",
        "expected_format": "asterisk",
        "notes": ["no header", "the answer field of unanswered records is empty and unquoted (,,)",
                  "BUSY and NO ANSWER records that still carry billsec > 0 (talk counts only "
                  "ANSWERED)", "FAILED dispositions",
                  "dst is often a dial-plan name (s, t) or a single digit",
                  "lastdata with embedded doubled quotes", "some records have an empty src and "
                  "accountcode 100"]}),
    ("mineevburyat-master-21col-newcdrcolumns.csv", CDR_CSV, 21, "latin-1", {
        "variant": "cdr_csv Master.csv, 21 columns (newcdrcolumns: peeraccount, linkedid, sequence)",
        "expected_format": "asterisk",
        "notes": ["no header", "21 columns: sequence is unquoted",
                  "not valid UTF-8: the clid of some records holds raw bytes 0xA5 0xA5",
                  "the answer field of unanswered records is empty and unquoted",
                  "ANSWERED records with billsec 0", "Local-channel legs with dst ch1/ch2/ch3 "
                  "(internal)", "uniqueid with a host prefix (mainserverdss-...)"]}),
]


AMI_FILES = [
    ("constructed/ami-cdr-events-from-docs.txt", {
        "variant": "AMI Cdr events (cdr_manager) as raw manager text, constructed from the docs",
        "expected_format": "asterisk_ami",
        "notes": ["constructed from docs.asterisk.org (AMI_Events/Cdr, AMI Command Syntax), not "
                  "captured from a system", "CRLF line ends, an empty line after each event",
                  "AnswerTime empty on unanswered events (cdr_manager.c)",
                  "CallerID values with quotes, LastData values with commas",
                  "destinations 0034..., 0044... (international), 5551234 (national), "
                  "extensions 2000 and 1001"]}),
]


AMI_JSON_FILES = [
    ("constructed/ami-cdr-events-from-docs.jsonl", {
        "variant": "AMI Cdr events kept as JSON lines (one object per event), constructed from "
                   "the docs",
        "expected_format": "asterisk",
        "notes": ["the events of ami-cdr-events-from-docs.txt, one JSON object per line",
                  "the column-names line the JSON reader writes counts as the header row"]}),
]


def read_ami_json(path, codes, extra):
    with open(path, encoding="utf-8") as f:
        records = [json.loads(l) for l in f if l.strip()]
    seen, dups, att = [], 0, []
    for d in records:
        if d.get("Event", "Cdr") != "Cdr":
            continue
        if d in seen:
            dups += 1
            continue
        seen.append(d)
        disp = rules.clean(d.get("Disposition", ""))
        answered = disp.upper() == "ANSWERED"
        att.append({"answered": answered,
                    "talk_s": _int(d.get("BillableSeconds", "")) if answered else 0,
                    "callee": d.get("Destination", ""), "international": False,
                    "vendor": ("asterisk", disp)})
    return F.figures(att, rows=len(records), calling_codes=codes, duplicates=dups, rejected=0,
                     header_rows=1, extra=extra)


def read_ami(path, codes, extra):
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    lines = [l for l in text.split("\r\n") if l.strip()]
    events, event = [], None
    for line in lines:
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if key in ("Event", "Response", "Action"):
            if event is not None:
                events.append(event)
            event = [] if (key == "Event" and value == "Cdr") else None
            continue
        if event is not None:
            event.append((key, value))
    if event is not None:
        events.append(event)
    seen, dups, att = [], 0, []
    for e in events:
        if e in seen:
            dups += 1
            continue
        seen.append(e)
        d = dict(e)
        disp = rules.clean(d.get("Disposition", ""))
        answered = disp.upper() == "ANSWERED"
        att.append({"answered": answered,
                    "talk_s": _int(d.get("BillableSeconds", "")) if answered else 0,
                    "callee": d.get("Destination", ""), "international": False,
                    "vendor": ("asterisk", disp)})
    return F.figures(att, rows=len(lines), calling_codes=codes, duplicates=dups, rejected=0,
                     header_rows=0, extra=extra)


def _codes(corpus_dir):
    root = os.path.normpath(os.path.join(corpus_dir, "..", "..", ".."))
    path = os.path.join(root, "data", "calling_codes.csv")
    return rules.load_calling_codes(path) if os.path.exists(path) else set()


def _int(text):
    t = rules.clean(text)
    try:
        return int(t)
    except ValueError:
        return 0


def read_file(path, cols, ncols, encoding, codes, extra, header_rows=0):
    with open(path, encoding=encoding, newline="") as f:
        text = f.read()
    lines = [l for l in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if l]
    data = lines[header_rows:]
    seen, dups, rejected, att = set(), 0, 0, []
    for line in data:
        if line in seen:
            dups += 1
            continue
        seen.add(line)
        r = next(csv.reader([line]))
        if len(r) != ncols:
            rejected += 1
            continue
        disp = rules.clean(r[cols["disposition"]])
        answered = disp.upper() == "ANSWERED"
        att.append({"answered": answered,
                    "talk_s": _int(r[cols["billsec"]]) if answered else 0,
                    "callee": r[cols["dst"]], "international": False,
                    "vendor": ("asterisk", disp)})
    return F.figures(att, rows=len(data), calling_codes=codes, duplicates=dups,
                     rejected=rejected, header_rows=header_rows, extra=extra)


def expectations(corpus_dir):
    codes = _codes(corpus_dir)
    out = {}
    for name, cols, ncols, enc, extra in FILES:
        e = {"system": "asterisk"}
        e.update(extra)
        out["asterisk/" + name] = read_file(os.path.join(corpus_dir, "asterisk", name), cols,
                                            ncols, enc, codes, e)
    for name, extra in AMI_FILES:
        e = {"system": "asterisk"}
        e.update(extra)
        out["asterisk/" + name] = read_ami(os.path.join(corpus_dir, "asterisk", name), codes, e)
    for name, extra in AMI_JSON_FILES:
        e = {"system": "asterisk"}
        e.update(extra)
        out["asterisk/" + name] = read_ami_json(os.path.join(corpus_dir, "asterisk", name),
                                                codes, e)
    return out
