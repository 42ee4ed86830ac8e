"""3CX CDR expectations (independent of cdrscope's code).

Two 3CX layouts are in the corpus:

1. The CDR service output ("Call <historyid>,<callid>,<duration>,<time-start>,<time-answered>,
   <time-end>,<reason-terminated>,<from-no>,<to-no>,<from-dn>,<to-dn>,<dial-no>,<reason-changed>,
   <final-number>,<final-dn>,<bill-code>,<bill-rate>,<bill-cost>,<bill-name>,<chain>,<from-type>,
   <to-type>,<final-type>,<from-dispname>,<to-dispname>,<final-dispname>,<missed-queue-calls>"),
   field order as configured in the 3CX management console (3cx.com/docs/cdr-call-data-records;
   the order here is the one the file's project documents). No header line; times are
   "yyyy/mm/dd hh:mm:ss"; duration is hh:mm:ss talk time.
   answered: time-answered non-empty, else talk > 0. callee: dial-no, else to-no.
   Unanswered reasons (own table; the v16 log has all of them): Failed_Cancelled -> cancelled,
   TerminatedBySrc -> cancelled, NoRouteExists -> no_route, RouteBusy -> busy,
   NotAvailable -> unavailable, Failed / TerminatedByDst / anything else -> other.

2. The web client's call report export (v20 "Call Time,Caller ID,Destination,Trunk,Trunk number,
   Did,Status,Ringing,Talking,Total Duration,..."), h:mm:ss durations and a closing "Totals" line.
   answered: Status "Answered" (the Talking column is not usable for the answered rule: queue rows
   marked Unanswered have Talking 0:00:05). Own table: Unanswered -> no_answer,
   Redirected -> other. talk = Talking; callee = Did (the number the caller dialled; Destination
   holds a queue/extension name).
"""
import csv
import io
import os

import figures as F
import rules

SYSTEM = "threecx"

CDR_FIELDS = ["historyid", "callid", "duration", "time-start", "time-answered", "time-end",
              "reason-terminated", "from-no", "to-no", "from-dn", "to-dn", "dial-no",
              "reason-changed", "final-number", "final-dn", "bill-code", "bill-rate", "bill-cost",
              "bill-name", "chain", "from-type", "to-type", "final-type", "from-dispname",
              "to-dispname", "final-dispname", "missed-queue-calls"]

REASONS = {"failed_cancelled": "cancelled", "terminatedbysrc": "cancelled",
           "norouteexists": "no_route", "routebusy": "busy",
           "notavailable": "unavailable"}

REPORT_STATUS = {"unanswered": "no_answer", "redirected": "other"}


def _codes(corpus_dir):
    root = os.path.normpath(os.path.join(corpus_dir, "..", "..", ".."))
    path = os.path.join(root, "data", "calling_codes.csv")
    return rules.load_calling_codes(path) if os.path.exists(path) else set()


def _hms(v):
    v = rules.clean(v)
    if not v:
        return 0
    s = 0
    for part in v.split(":"):
        s = s * 60 + int(part)
    return s


def _lines(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        lines = f.read().splitlines()
    return [l for l in lines if l != ""]


SINGLE_CALL_VARIANT = "CDR service output, one call per file (v18/v20 field set)"
SINGLE_CALL_NOTES = ("no header line: each record starts with 'Call <historyid>'; "
                     "hh:mm:ss talk time; yyyy/mm/dd local times; the file ends "
                     "with an empty line; callee written +46... (international); "
                     "bill-cost 0.43 per call; 27 fields with a trailing comma")

V16_LOG_VARIANT = "CDR service output, one log file of many calls (v16, May 2020)"
V16_LOG_NOTES = ("1404 records, no header, 27 fields each (the 27th is not empty on 265 rows: "
                 "'EndCall' or an extension number); historyids not in time order (e.g. Call 10425 "
                 "and Call 11476 appear among the 9xxx records) and with gaps; display names were "
                 "replaced by 'from disp/to disp/fin disp' placeholders by the repository author; "
                 "reasons TerminatedBySrc 780, TerminatedByDst 487, Failed 89, Failed_Cancelled 28, "
                 "NoRouteExists 16, Connected 2, RouteBusy 1, NotAvailable 1; every Terminated* row "
                 "has time-answered (68 of them with talk 00:00:00, e.g. calls to the EndCall app with "
                 "dial-no 009); one Failed and one Failed_Cancelled row (MakeCall + FailedBXferOfDst) have "
                 "time-answered and talk > 0 and count as answered by the rule; the two Connected rows "
                 "(reason-changed PickedUp) have no time-answered and count as unanswered 'other'; "
                 "dial-no holds French national 0XXXXXXXXX numbers, Belgian numbers with the 00 "
                 "international prefix (0032...), one +33..., and text values (david, roy, *777, 700**114); "
                 "to-no is 'Ext.NNN', 'EndCall' or a number; bill-rate/bill-cost only on outbound "
                 "trunk rows; the original blob starts with a UTF-8 BOM that the stored copy lost (see "
                 "SOURCES.md)")


def _cdr_service(path, codes, variant=SINGLE_CALL_VARIANT, notes=SINGLE_CALL_NOTES):
    lines = _lines(path)
    seen, dups, attempts = set(), 0, []
    for line in lines:
        if line in seen:
            dups += 1
            continue
        seen.add(line)
        r = dict(zip(CDR_FIELDS, next(csv.reader(io.StringIO(line)))))
        talk = _hms(r.get("duration"))
        answered = bool(rules.clean(r.get("time-answered"))) or talk > 0
        a = {"answered": answered, "talk_s": talk,
             "callee": rules.clean(r.get("dial-no")) or r.get("to-no", ""), "international": False}
        if not answered:
            reason = rules.clean(r.get("reason-terminated")).lower()
            a["vendor"] = ("table", REASONS.get(reason, "other"))
        attempts.append(a)
    return F.figures(attempts, rows=len(lines), calling_codes=codes, duplicates=dups,
                     extra={"system": SYSTEM, "variant": variant,
                            "expected_format": "threecx", "notes": notes})


def _report(path, codes):
    lines = _lines(path)
    header, data = lines[0], lines[1:]
    footer = [l for l in data if l.startswith("Totals,")]
    data = [l for l in data if not l.startswith("Totals,")]
    names = next(csv.reader([header]))
    seen, dups, attempts = set(), 0, []
    for line in data:
        if line in seen:
            dups += 1
            continue
        seen.add(line)
        r = dict(zip(names, next(csv.reader(io.StringIO(line)))))
        status = rules.clean(r.get("Status")).lower()
        a = {"answered": status == "answered", "talk_s": _hms(r.get("Talking")),
             "callee": r.get("Did", ""), "international": False}
        if status != "answered":
            a["vendor"] = ("table", REPORT_STATUS.get(status, "other"))
        attempts.append(a)
    return F.figures(attempts, rows=len(data), calling_codes=codes, duplicates=dups, header_rows=1,
                     extra={"system": SYSTEM, "variant": "v20 web client call report export (Call Log, inbound)",
                            "expected_format": "threecx", "footer_rows": len(footer),
                            "notes": "the last line 'Totals,52,...' is a report footer, not a call "
                                     "(rows counts calls only) and its Talking total 0:09:11 (551 s) is not the sum of the rows (555 s); h:mm:ss Ringing/Talking/Total "
                                     "Duration; ISO local times without zone; Status Answered/"
                                     "Unanswered/Redirected decides answered (Unanswered queue rows "
                                     "show Talking 0:00:05, so talk>0 would be wrong); the original "
                                     "has a UTF-8 BOM and CRLF line ends that the stored copy lost "
                                     "(see SOURCES.md); numbers are 10/11-digit NANP without +"})


def expectations(corpus_dir):
    codes = _codes(corpus_dir)
    d = os.path.join(corpus_dir, "threecx")
    return {
        "threecx/cdr_single_call_file_2024-06-17.log":
            _cdr_service(os.path.join(d, "cdr_single_call_file_2024-06-17.log"), codes),
        "threecx/v20_call_report_inbound_calls.csv":
            _report(os.path.join(d, "v20_call_report_inbound_calls.csv"), codes),
        "threecx/v16-cdr-server-classeur-1404-records.csv":
            _cdr_service(os.path.join(d, "v16-cdr-server-classeur-1404-records.csv"), codes,
                         variant=V16_LOG_VARIANT, notes=V16_LOG_NOTES),
    }
