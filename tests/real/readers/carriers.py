"""Carrier / CPaaS call-log expectations (Twilio, Plivo, Vonage), independent of cdrscope's code.

Each file is a JSON API response as the carrier documents it:
- Twilio 2010-04-01 Calls resource (one call object, or a page with a "calls" array): status
  (queued/ringing/in-progress/completed/busy/failed/no-answer/canceled), duration seconds as a
  string, price negative (charged), "to" in E.164 with '+'.
- Plivo v1 Call (CDR) resource (an object, or a page with "objects"): no status field;
  answer_time null when unanswered; call_duration / bill_duration seconds; to_number in E.164
  WITHOUT '+'.
- Vonage Voice API v1 GET /calls (HAL page, calls under _embedded.calls): status
  (started/ringing/answered/machine/completed/busy/cancelled/failed/rejected/timeout/unanswered),
  duration seconds as a string, to.number E.164 WITHOUT '+'.

Rules (docs/outcomes.md 1.1 and 1.5): answered when status is completed/answered; with no status
field (Plivo), when talk > 0. talk = duration of answered calls. Own status table for unanswered
calls (none occur in the kept files): busy -> busy; no-answer/unanswered/timeout -> no_answer;
canceled/cancelled -> cancelled; rejected -> rejected; failed and anything else -> other.
Destinations: the carriers document their numbers as E.164 (Plivo and Vonage without '+'), so they
are read as international numbers, as VOS3000 callee numbers are (docs/outcomes.md §2).
One JSON call object = one row = one attempt.
"""
import json
import os

import figures as F
import rules

STATUS = {"busy": "busy", "no-answer": "no_answer", "unanswered": "no_answer",
          "timeout": "no_answer", "canceled": "cancelled", "cancelled": "cancelled",
          "rejected": "rejected"}


def _codes(corpus_dir):
    root = os.path.normpath(os.path.join(corpus_dir, "..", "..", ".."))
    path = os.path.join(root, "data", "calling_codes.csv")
    return rules.load_calling_codes(path) if os.path.exists(path) else set()


def _int(v):
    try:
        return int(str(v).strip())
    except (TypeError, ValueError):
        return 0


def _attempt(status, talk, callee):
    status = rules.clean(status).lower() if status is not None else None
    if status is None:
        answered = talk > 0
    else:
        answered = status in ("completed", "answered")
    a = {"answered": answered, "talk_s": talk if answered else 0, "callee": callee or "",
         "international": True}
    if not answered:
        a["vendor"] = ("table", STATUS.get(status or "", "other"))
    return a


def _dup_ids(records, key):
    ids = [r.get(key) for r in records]
    return len(ids) - len(set(ids))


def _fig(attempts, records, codes, system, variant, notes, key):
    blobs = [json.dumps(r, sort_keys=True) for r in records]
    dups = len(blobs) - len(set(blobs))
    return F.figures(attempts, rows=len(records), calling_codes=codes, duplicates=dups,
                     extra={"system": system, "variant": variant, "expected_format": "carrier_log",
                            "same_id_records": _dup_ids(records, key), "notes": notes})


def _load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def twilio(path, codes, variant, notes):
    d = _load(path)
    recs = d["calls"] if isinstance(d, dict) and "calls" in d else [d]
    att = [_attempt(r.get("status"), _int(r.get("duration")), r.get("to")) for r in recs]
    return _fig(att, recs, codes, "twilio", variant, notes, "sid")


def plivo(path, codes, variant, notes):
    d = _load(path)
    recs = d["objects"] if "objects" in d else [d]
    att = [_attempt(None, _int(r.get("call_duration")), r.get("to_number")) for r in recs]
    return _fig(att, recs, codes, "plivo", variant, notes, "call_uuid")


def vonage(path, codes, variant, notes):
    d = _load(path)
    recs = d["_embedded"]["calls"]
    att = [_attempt(r.get("status"), _int(r.get("duration")), (r.get("to") or {}).get("number"))
           for r in recs]
    return _fig(att, recs, codes, "vonage", variant, notes, "uuid")


def expectations(corpus_dir):
    codes = _codes(corpus_dir)
    j = lambda *p: os.path.join(corpus_dir, *p)
    return {
        "twilio/api_2010_call_instance.json": twilio(
            j("twilio", "api_2010_call_instance.json"), codes,
            "REST API 2010-04-01 Call instance (single JSON object)",
            "a single JSON object, not a list; RFC 2822 dates with +0000; duration and price are "
            "strings, price negative; status completed; 'to' +141586753093 (anonymised, 12 digits "
            "after +) reads as NANP 1"),
        "plivo/call_list_response.json": plivo(
            j("plivo", "call_list_response.json"), codes,
            "v1 Call (CDR) list page",
            "no status column: answered from call_duration > 0 (answer_time also set); times "
            "'YYYY-MM-DD hh:mm:ss+05:30'; to_number E.164 without '+' (read as international); the two "
            "objects share one call_uuid but differ in times: not a byte-identical repeat "
            "(same_id_records 1); meta.total_count says 4 while the page holds 2"),
        "plivo/call_get_response_unanswered.json": plivo(
            j("plivo", "call_get_response_unanswered.json"), codes,
            "v1 Call (CDR) single object, unanswered",
            "answer_time null, call_duration 0 and no hangup cause: unanswered with nothing that "
            "says why -> other; to_number 91... without '+' (an Indian E.164 number)"),
        "vonage/voice_list_calls.json": vonage(
            j("vonage", "voice_list_calls.json"), codes,
            "Voice API GET /v1/calls HAL page",
            "records under _embedded.calls; nested to/from objects; duration/price/rate strings; "
            "ISO 8601 UTC times with milliseconds; numbers without '+'"),
        "vonage/voice_list_calls_filtered_page.json": vonage(
            j("vonage", "voice_list_calls_filtered_page.json"), codes,
            "Voice API GET /v1/calls HAL page (page_size 1)",
            "same call as the second record of voice_list_calls.json with keys in another order: "
            "across files the same uuid must count once"),
    }
