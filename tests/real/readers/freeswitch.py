"""FreeSWITCH mod_cdr_csv and mod_xml_cdr expectations (independent of cdrscope's code).

mod_cdr_csv with the vanilla `example` template writes Master.csv (and <accountcode>.csv) with no
header: caller_id_name, caller_id_number, destination_number, context, start_stamp,
answer_stamp, end_stamp, duration, billsec, hangup_cause, uuid, bleg_uuid, accountcode,
read_codec, write_codec, every field double-quoted.

mod_xml_cdr writes one XML document per call (<cdr><variables>...</variables><callflow>...):
variables are URL-encoded; answer_epoch/answer_stamp, billsec, hangup_cause, hangup_cause_q850,
sip_term_status, progress_mediasec and sip_hangup_disposition are channel variables; the
dialled number is the destination_number of the caller_profile of the first <callflow> in the
document (the current profile, what ${destination_number} gives a CSV template).

mod_json_cdr writes one JSON object per call with the same content as the XML document
({"core-uuid":..., "channel_data":{...}, "variables":{...}, "app_log":{...}, "callflow":...}).
Values are URL-encoded only when the module's encode-values option is on; the kept files (from
CGRateS test sources) have plain values, so they are not decoded. Older FreeSWITCH versions write
one "callflow" KEY PER PROFILE (duplicate keys in one object); newer ones write "callflow" as an
array. Both are read in document order and the first profile gives the callee, as for XML (a
last-key-wins JSON parser would take the oldest profile instead).

Answered rule: answer_stamp present (or answer_epoch > 0). talk = billsec of answered calls.
callee = destination_number. Unanswered: SIP final (sip_term_status) if any, else the
hangup_cause name (docs/outcomes.md 1.5, then its Q.850 value), else hangup_cause_q850.
sip_hangup_disposition recv_cancel/recv_bye means the caller ended the call. Repeated rows: a
data line byte-identical to an earlier one counts in duplicates, not in attempts.
"""
import csv
import json
import os
import urllib.parse
import xml.etree.ElementTree as ET

import figures as F
import rules

EXAMPLE = {"dst": 2, "answer": 5, "billsec": 8, "cause": 9, "uuid": 10}

CSV_FILES = [
    ("trick12138-master.csv", {
        "variant": "mod_cdr_csv Master.csv, example template (FreeSWITCH 1.10.8)",
        "notes": ["no header, all fields quoted", "unanswered NORMAL_CLEARING with an empty "
                  "answer_stamp (+869196)", "MANDATORY_IE_MISSING"]}),
    ("seanherbert-master-call-rejected.csv", {
        "variant": "mod_cdr_csv Master.csv, example template (FreeSWITCH 1.6.14)",
        "notes": ["no header, all fields quoted", "every row CALL_REJECTED with an empty "
                  "destination_number"]}),
    ("legiangk62-master.csv", {
        "variant": "mod_cdr_csv Master.csv, example template (FreeSWITCH 1.10.3)",
        "notes": ["no header, all fields quoted", "unanswered rows with hangup_cause "
                  "NORMAL_CLEARING and an empty answer_stamp", "answered NORMAL_UNSPECIFIED",
                  "ORIGINATOR_CANCEL", "destinations *4612, 201725, 1"]}),
    ("duynguyen2599-master.csv", {
        "variant": "mod_cdr_csv Master.csv, example template",
        "notes": ["no header, all fields quoted", "destination 'voicemail' (dial-plan name), "
                  "*201725, 1000"]}),
    ("duynguyen2599-account-1000.csv", {
        "variant": "mod_cdr_csv per-accountcode file 1000.csv, example template",
        "notes": ["no header, all fields quoted", "per-accountcode file: its rows are also in "
                  "the same system's Master.csv (counted again if both are read)"]}),
    ("spicyramen-master.csv", {
        "variant": "mod_cdr_csv Master.csv, example template",
        "notes": ["no header, all fields quoted", "USER_BUSY, USER_NOT_REGISTERED",
                  "RECOVERY_ON_TIMER_EXPIRE on answered calls (answered whatever the cause)",
                  "international dialling +41..., 0041..., 011441..., 00441...",
                  "destination 442921280552.6 with a dot", "caller_id_number an e-mail-like "
                  "address"]}),
    ("nrahnemoon-master.csv", {
        "variant": "mod_cdr_csv Master.csv, example template",
        "notes": ["no header, all fields quoted", "many calls to extension 9999 (answered and "
                  "unanswered)", "+972..., 00972..., 011972... destinations",
                  "RECOVERY_ON_TIMER_EXPIRE", "short international-form numbers (+11) are "
                  "internal by length"]}),
    ("powermedia-master-repeated-rows.csv", {
        "variant": "mod_cdr_csv Master.csv, example template, with repeated rows",
        "notes": ["no header, all fields quoted", "303 of the 711 rows are written twice "
                  "(byte-identical, mostly adjacent, some far apart): duplicates",
                  "one uuid appears twice with different bytes (start 1 s apart): kept",
                  "UNALLOCATED_NUMBER, USER_BUSY, ORIGINATOR_CANCEL", "answered SYSTEM_SHUTDOWN "
                  "(8278 s) and DESTINATION_OUT_OF_ORDER with an answer_stamp",
                  "empty destination_number (context skinny-patterns)",
                  "destination 'internal/1902'"]}),
    ("kxingyunliushui-master-excel-resaved.csv", {
        "variant": "mod_cdr_csv Master.csv re-saved by Excel",
        "notes": ["no header", "Excel stripped every quote", "dates as 2020/2/10 22:41 (no "
                  "zero padding, no seconds)", "destination_number '&'", "two byte-identical "
                  "rows (same uuid): one duplicate", "a third row with that uuid but USER_BUSY "
                  "(different bytes): kept", "RECOVERY_ON_TIMER_EXPIRE with an answer_stamp",
                  "NO_USER_RESPONSE unanswered"]}),
]

XML_DIR = "zhouhailin-xml-cdr"


def _codes(corpus_dir):
    root = os.path.normpath(os.path.join(corpus_dir, "..", "..", ".."))
    path = os.path.join(root, "data", "calling_codes.csv")
    return rules.load_calling_codes(path) if os.path.exists(path) else set()


def _int(text):
    t = rules.clean(text)
    try:
        return int(float(t))
    except ValueError:
        return None


def read_csv(path, codes, extra):
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    lines = [l for l in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if l]
    seen, dups, rejected, att = set(), 0, 0, []
    for line in lines:
        if line in seen:
            dups += 1
            continue
        seen.add(line)
        r = next(csv.reader([line]))
        if len(r) != 15:
            rejected += 1
            continue
        answered = rules.clean(r[EXAMPLE["answer"]]) != ""
        att.append({"answered": answered,
                    "talk_s": (_int(r[EXAMPLE["billsec"]]) or 0) if answered else 0,
                    "callee": r[EXAMPLE["dst"]], "international": False,
                    "vendor": ("freeswitch", r[EXAMPLE["cause"]])})
    return F.figures(att, rows=len(lines), calling_codes=codes, duplicates=dups,
                     rejected=rejected, extra=extra)


def read_xml(path):
    root = ET.parse(path).getroot()
    var = {}
    for e in root.find("variables"):
        var[e.tag] = urllib.parse.unquote(e.text or "")
    callee = ""
    cf = root.find("callflow")
    if cf is not None and cf.find("caller_profile") is not None:
        callee = cf.find("caller_profile").findtext("destination_number") or ""
    answered = rules.clean(var.get("answer_stamp")) != "" or (_int(var.get("answer_epoch")) or 0) > 0
    a = {"answered": answered, "talk_s": (_int(var.get("billsec")) or 0) if answered else 0,
         "callee": callee, "international": False,
         "vendor": ("freeswitch", var.get("hangup_cause", "")),
         "ended_by_caller": var.get("sip_hangup_disposition") in ("recv_cancel", "recv_bye")}
    if _int(var.get("sip_term_status")) is not None:
        a["sip"] = _int(var.get("sip_term_status"))
    if _int(var.get("hangup_cause_q850")) is not None:
        a["q850"] = _int(var.get("hangup_cause_q850"))
    if _int(var.get("progress_mediasec")) is not None:
        a["pdd_ms"] = _int(var.get("progress_mediasec")) * 1000
    return a


JSON_DIR = "cgrates-json-cdr-excerpts"

JSON_NOTES = {
    "fs-2013-08-04_844715f9_redirect-answered.json": [
        "one JSON object on one line, no trailing newline",
        "two \"callflow\" keys in the same object: the first (profile_index 2) has "
        "destination_number 'dan' (the call was redirected to user dan), the second "
        "(profile_index 1) +4986517174963, the number the caller dialled; cgr_destination and "
        "sip_req_user also hold +4986517174963: the document-order rule gives callee 'dan' "
        "(internal), a last-key-wins parser gives +49... (international)",
        "answered, billsec 4, NORMAL_CLEARING / q850 16, sip_hangup_disposition send_bye, "
        "no sip_term_status, progress_mediasec 2",
        "originate_disposition/originate_causes show a LOSE_RACE leg (call forked to two "
        "registrations of dan)"],
    "fs-2015-07-07_651a8db2_cgrdev1-answered.json": [
        "one JSON object on one line, no trailing newline",
        "two \"callflow\" keys (profile_index 2 and 1), both destination_number 1003",
        "answered, billsec 66, sip_term_status 200, recv_bye (the BYE came from the caller's "
        "side of this inbound leg), NORMAL_CLEARING / q850 16",
        "variables also hold event headers such as Event-Name=REQUEST_PARAMS (capitalised, "
        "dash-separated keys among the channel variables)"],
    "fs-2018-03-14_63e2315b_callflow-array-answered.json": [
        "one JSON object on one line, no trailing newline",
        "\"callflow\" is a JSON array of two profiles (first profile_index 2, destination 1002)",
        "a callStats block (audio/video inbound/outbound quality counters)",
        "answered, billsec 21, progress_mediasec 9, sip_term_status 200, recv_bye, "
        "hold_accum_seconds 15"],
}


class _Pairs(list):
    """A JSON object kept as its (key, value) pairs, duplicates included."""


def _first(pairs, key):
    for k, v in pairs:
        if k == key:
            return v
    return None


def read_json(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f, object_pairs_hook=_Pairs)
    var = {}
    for k, v in _first(doc, "variables") or []:
        var.setdefault(k, v if isinstance(v, str) else str(v))
    callee = ""
    cf = _first(doc, "callflow")
    if isinstance(cf, list) and not isinstance(cf, _Pairs):
        cf = cf[0] if cf else None
    if cf is not None:
        cp = _first(cf, "caller_profile")
        if cp is not None:
            callee = _first(cp, "destination_number") or ""
    answered = rules.clean(var.get("answer_stamp")) != "" or (_int(var.get("answer_epoch")) or 0) > 0
    a = {"answered": answered, "talk_s": (_int(var.get("billsec")) or 0) if answered else 0,
         "callee": callee, "international": False,
         "vendor": ("freeswitch", var.get("hangup_cause", "")),
         "ended_by_caller": var.get("sip_hangup_disposition") in ("recv_cancel", "recv_bye")}
    if _int(var.get("sip_term_status")) is not None:
        a["sip"] = _int(var.get("sip_term_status"))
    if _int(var.get("hangup_cause_q850")) is not None:
        a["q850"] = _int(var.get("hangup_cause_q850"))
    if _int(var.get("progress_mediasec")) is not None:
        a["pdd_ms"] = _int(var.get("progress_mediasec")) * 1000
    return a


def expectations(corpus_dir):
    codes = _codes(corpus_dir)
    out = {}
    for name, extra in CSV_FILES:
        e = {"system": "freeswitch", "expected_format": "freeswitch"}
        e.update(extra)
        out["freeswitch/" + name] = read_csv(os.path.join(corpus_dir, "freeswitch", name),
                                             codes, e)
    d = os.path.join(corpus_dir, "freeswitch", XML_DIR)
    for name in sorted(os.listdir(d)):
        if not name.endswith(".xml"):
            continue
        a = read_xml(os.path.join(d, name))
        out["freeswitch/%s/%s" % (XML_DIR, name)] = F.figures(
            [a], rows=1, calling_codes=codes,
            extra={"system": "freeswitch", "variant": "mod_xml_cdr per-call XML file",
                   "expected_format": "freeswitch_xml",
                   "notes": ["one pretty-printed XML document per call (one record)",
                             "variables URL-encoded (%20, %3A)", "destination_number only "
                             "inside <callflow><caller_profile>; two callflows (profile_index 2 "
                             "first = 915121007938, then 1 = 7010): use the first",
                             "answered NORMAL_CLEARING with hangup_cause_q850 16",
                             "sip_hangup_disposition send_bye / recv_bye; sip_term_status 200 "
                             "only in one file", "progress_mediasec 2 (PDD 2 s)",
                             "a tab character inside <direction>"]})
    d = os.path.join(corpus_dir, "freeswitch", JSON_DIR)
    for name in sorted(os.listdir(d)):
        if not name.endswith(".json"):
            continue
        a = read_json(os.path.join(d, name))
        out["freeswitch/%s/%s" % (JSON_DIR, name)] = F.figures(
            [a], rows=1, calling_codes=codes,
            extra={"system": "freeswitch",
                   "variant": "mod_json_cdr per-call JSON (excerpt: string literal in CGRateS tests)",
                   "expected_format": "freeswitch_json", "notes": JSON_NOTES[name]})
    return out
