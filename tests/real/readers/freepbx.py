"""FreePBX (Asterisk `cdr` table) export expectations (independent of cdrscope's code).

FreePBX stores Asterisk CDRs in asteriskcdrdb.cdr: calldate, clid, src, dst, dcontext, channel,
dstchannel, lastapp, lastdata, duration, billsec, disposition, amaflags, accountcode, uniqueid,
userfield, did, recordingfile, cnum, cnam, outbound_cnum, outbound_cnam, dst_cnam, linkedid,
peeraccount, sequence (the column set varies with the FreePBX version). Files here:

- the FreePBX CDR report's CSV download: a header row with the first 16 names;
- a table dump without a header (25 fields per line, a trailing comma), D/M/YYYY dates;
- two spreadsheet-reduced exports with the header calldate,src,dst,duration,billsec,disposition,
  DD/MM/YY HH:MM dates and classic-Mac CR-only line ends.

Answered rule: disposition ANSWERED (Asterisk). talk = billsec of answered rows. callee = dst.
Unanswered: vendor reason = disposition. Repeated rows: byte-identical data lines count in
duplicates, not in attempts.
"""
import csv
import os

import figures as F
import rules

FILES = [
    ("apspoliveira-cdr-export-header.csv", 1, 16, None, {
        "variant": "FreePBX CDR report CSV download (cdr table, 16 named columns, header)",
        "expected_format": "asterisk_cdr_table",
        "notes": ["header row calldate,clid,src,dst,...,userfield", "calldate first, "
                  "YYYY-MM-DD HH:MM:SS", "no start/answer/end columns: answered only from "
                  "disposition", "clid is written unquoted after a quoted name: "
                  "'\"User 9\" <113>' (not valid strict CSV; a lenient reader keeps 16 fields)",
                  "Local/0 legs with dst 0 and NO ANSWER next to the answered VoiceMail leg",
                  "dst are extensions 0, 105-117"]}),
    ("apspoliveira-cdr-table-dmy-noheader.csv", 0, 25, (3, 10, 11), {
        "variant": "FreePBX cdr table dump without header (25 fields), D/M/YYYY dates",
        "expected_format": "asterisk_cdr_table",
        "notes": ["no header", "calldate first, D/M/YYYY H:MM:SS with no zero padding "
                  "(1/9/2017 = 1 September 2017)", "every line ends with a trailing comma (25th "
                  "empty field)", "empty fields are unquoted (,,)", "clid '\"\"\"User\"\" <105>\"' "
                  "(doubled quotes)", "rows are not in time order", "dst include service codes "
                  "(*60, *97), dial-plan names (s, i, foo, apspoliveira, pbdirectory), "
                  "00351924109099 (international, 351) and 924109099 / 1924109099 (national)",
                  "recordingfile column filled on some rows"]}),
    ("apspoliveira-cdr-6col-ddmmyy-cr-only.csv", 1, 6, None, {
        "variant": "spreadsheet-reduced FreePBX export: calldate,src,dst,duration,billsec,disposition",
        "expected_format": "asterisk_cdr_table",
        "notes": ["CR-only line ends (classic Mac), no final line end", "header row with 6 "
                  "names", "DD/MM/YY HH:MM dates (no seconds)", "rows not in time order",
                  "external numbers 16504222900, 239854880, 5935125440 without + (national)",
                  "re-saved by a spreadsheet: hand-processed"]}),
    ("apspoliveira-g9telecom-6col-ddmmyy-cr-only.csv", 1, 6, None, {
        "variant": "spreadsheet-reduced FreePBX export: calldate,src,dst,duration,billsec,disposition",
        "expected_format": "asterisk_cdr_table",
        "notes": ["CR-only line ends (classic Mac), no final line end", "header row with 6 "
                  "names", "DD/MM/YY HH:MM dates (no seconds)", "ANSWERED rows with billsec 0 "
                  "(dst 0 legs) and some with billsec > duration: the author edited the values; "
                  "not a faithful FreePBX output", "re-saved by a spreadsheet: hand-processed"]}),
]


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


def read_file(path, header_rows, ncols, positions, codes, extra):
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    lines = [l for l in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if l]
    if header_rows:
        names = [n.strip() for n in next(csv.reader([lines[0]]))]
        idx = (names.index("dst"), names.index("billsec"), names.index("disposition"))
    else:
        idx = positions
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
        dst, billsec, disp = r[idx[0]], r[idx[1]], rules.clean(r[idx[2]])
        answered = disp.upper() == "ANSWERED"
        att.append({"answered": answered, "talk_s": _int(billsec) if answered else 0,
                    "callee": dst, "international": False, "vendor": ("asterisk", disp)})
    return F.figures(att, rows=len(data), calling_codes=codes, duplicates=dups,
                     rejected=rejected, header_rows=header_rows, extra=extra)


def expectations(corpus_dir):
    codes = _codes(corpus_dir)
    out = {}
    for name, header_rows, ncols, positions, extra in FILES:
        e = {"system": "freepbx"}
        e.update(extra)
        out["freepbx/" + name] = read_file(os.path.join(corpus_dir, "freepbx", name),
                                           header_rows, ncols, positions, codes, e)
    return out
