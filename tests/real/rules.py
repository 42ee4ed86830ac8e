"""The rules of docs/outcomes.md, written a second time in plain Python.

This module never reads cdrscope's code or output: it is the independent side of the real-file
corpus tests. Each reader in readers/ turns a file into attempts (dicts); these functions give
their outcome and destination.
"""

NULLS = {"null", "\\n", "(null)", "none"}


def clean(value):
    """A field's text with the literal NULL spellings read as empty."""
    if value is None:
        return ""
    v = value.strip()
    return "" if v.lower() in NULLS else v


SIP = {}
for codes, outcome in [
    ((486, 600), "busy"),
    ((480,), "no_answer"),
    ((487,), "cancelled"),
    ((603, 607, 608), "rejected"),
    ((404, 410, 484, 485, 604), "number_error"),
    ((401, 402, 403, 407), "auth"),
    ((500, 502, 503), "unavailable"),
    ((504,), "timeout"),
    ((415, 488, 606), "media"),
]:
    for c in codes:
        SIP[c] = outcome

Q850 = {}
for codes, outcome in [
    ((17,), "busy"),
    ((18, 19, 20), "no_answer"),
    ((21,), "rejected"),
    ((1, 22, 23, 28), "number_error"),
    ((2, 3, 25), "no_route"),
    ((27, 34, 38, 41, 42, 44, 47, 63), "unavailable"),
    ((102,), "timeout"),
    ((58, 65, 79, 88), "media"),
    ((50, 52, 54, 55, 57), "auth"),
    ((487,), "cancelled"),
]:
    for c in codes:
        Q850[c] = outcome

VOS_NAMES = {
    "-9": "cancelled", "主叫挂断": "cancelled",
    "-8": "other", "被叫挂断": "other",
    "-69": "no_route",
    "noavailablerouter": "no_route", "无可用路由": "no_route", "allgatewaybusy": "no_route",
    "ratenotfound": "no_route",
    "gatewaytimeout": "timeout", "invitetimeout": "timeout", "responsetimeout": "timeout",
    "connectiontimeout": "timeout",
    "accountbalancenotenough": "auth", "余额不足": "auth", "insufficientbalance": "auth",
    "accountlocked": "auth", "unregistered": "auth",
    "connectionlimitexceeded": "unavailable",
    "notfound": "number_error",
}

ASTERISK = {
    "BUSY": "busy", "NO ANSWER": "no_answer", "NOANSWER": "no_answer",
    "CONGESTION": "unavailable", "CHANUNAVAIL": "unavailable", "CANCEL": "cancelled",
    "DONTCALL": "rejected", "TORTURE": "rejected", "FAILED": "other", "INVALIDARGS": "other",
}

FREESWITCH = {
    "ORIGINATOR_CANCEL": "cancelled", "LOSE_RACE": "cancelled", "PICKED_OFF": "cancelled",
    "NO_PICKUP": "no_answer", "USER_NOT_REGISTERED": "no_answer",
    "PROGRESS_TIMEOUT": "timeout",
    "MEDIA_TIMEOUT": "media", "SRTP_READ_ERROR": "media", "NOT_ACCEPTABLE": "media",
    "GATEWAY_DOWN": "unavailable",
    "INVALID_GATEWAY": "no_route", "INVALID_URL": "no_route", "INVALID_PROFILE": "no_route",
    "BUSY_EVERYWHERE": "busy",
    "DECLINE": "rejected", "UNWANTED": "rejected", "REJECT_ALL": "rejected",
    "DOES_NOT_EXIST_ANYWHERE": "number_error",
    "NO_IDENTITY": "auth", "BAD_IDENTITY_INFO": "auth", "UNSUPPORTED_CERTIFICATE": "auth",
    "INVALID_IDENTITY": "auth", "STALE_DATE": "auth",
}

# FreeSWITCH cause names that are Q.850 causes (switch_types.h), for names not in FREESWITCH.
FREESWITCH_Q850 = {
    "UNALLOCATED_NUMBER": 1, "NO_ROUTE_TRANSIT_NET": 2, "NO_ROUTE_DESTINATION": 3,
    "CHANNEL_UNACCEPTABLE": 6, "CALL_AWARDED_DELIVERED": 7, "NORMAL_CLEARING": 16,
    "USER_BUSY": 17, "NO_USER_RESPONSE": 18, "NO_ANSWER": 19, "SUBSCRIBER_ABSENT": 20,
    "CALL_REJECTED": 21, "NUMBER_CHANGED": 22, "REDIRECTION_TO_NEW_DESTINATION": 23,
    "EXCHANGE_ROUTING_ERROR": 25, "DESTINATION_OUT_OF_ORDER": 27, "INVALID_NUMBER_FORMAT": 28,
    "FACILITY_REJECTED": 29, "RESPONSE_TO_STATUS_ENQUIRY": 30, "NORMAL_UNSPECIFIED": 31,
    "NORMAL_CIRCUIT_CONGESTION": 34, "NETWORK_OUT_OF_ORDER": 38, "NORMAL_TEMPORARY_FAILURE": 41,
    "SWITCH_CONGESTION": 42, "ACCESS_INFO_DISCARDED": 43, "REQUESTED_CHAN_UNAVAIL": 44,
    "PRE_EMPTED": 45, "FACILITY_NOT_SUBSCRIBED": 50, "OUTGOING_CALL_BARRED": 52,
    "INCOMING_CALL_BARRED": 54, "BEARERCAPABILITY_NOTAUTH": 57, "BEARERCAPABILITY_NOTAVAIL": 58,
    "SERVICE_UNAVAILABLE": 63, "BEARERCAPABILITY_NOTIMPL": 65, "CHAN_NOT_IMPLEMENTED": 66,
    "FACILITY_NOT_IMPLEMENTED": 69, "SERVICE_NOT_IMPLEMENTED": 79, "INVALID_CALL_REFERENCE": 81,
    "INCOMPATIBLE_DESTINATION": 88, "INVALID_MSG_UNSPECIFIED": 95, "MANDATORY_IE_MISSING": 96,
    "MESSAGE_TYPE_NONEXIST": 97, "WRONG_MESSAGE": 98, "IE_NONEXIST": 99,
    "INVALID_IE_CONTENTS": 100, "WRONG_CALL_STATE": 101, "RECOVERY_ON_TIMER_EXPIRE": 102,
    "MANDATORY_IE_LENGTH_ERROR": 103, "PROTOCOL_ERROR": 111, "INTERWORKING": 127,
}

NORMAL_NAMES = {"NORMAL_CLEARING", "NORMAL_UNSPECIFIED"}


def sip_outcome(code, pdd_ms):
    """Table 1.3, with the 408 rule."""
    if code == 408:
        return "no_answer" if pdd_ms and pdd_ms > 0 else "timeout"
    return SIP.get(code, "other")


def q850_outcome(cause, ended_by_caller):
    """Table 1.4, with the normal-clearing rule."""
    if cause in (16, 31):
        return "cancelled" if ended_by_caller else "other"
    return Q850.get(cause, "other")


def outcome(answered, sip=None, vendor=None, q850=None, pdd_ms=None, ended_by_caller=False):
    """The outcome of one attempt (section 1.2).

    answered: the format's answered rule; sip: an int SIP final or None; vendor: a pair
    (system, text) with system one of "vos3000", "asterisk", "freeswitch", "table" (a reader's
    own status table already resolved: text is the outcome); q850: an int cause or None.
    """
    if answered:
        return "answered"
    if sip is not None and 300 <= sip <= 699:
        return sip_outcome(sip, pdd_ms)
    if vendor is not None:
        system, text = vendor
        text = clean(text)
        if system == "table":
            return text
        if system == "vos3000":
            key = text.lower().replace(" ", "").replace("_", "")
            if key in VOS_NAMES or text in VOS_NAMES:
                return VOS_NAMES.get(key, VOS_NAMES.get(text))
            try:
                n = int(text)
            except ValueError:
                n = None
            if n is not None and n < 0:
                return "other"
        if system == "asterisk":
            if text.upper() in ASTERISK:
                return ASTERISK[text.upper()]
        if system == "freeswitch":
            name = text.upper()
            if name in FREESWITCH:
                return FREESWITCH[name]
            if name in NORMAL_NAMES:
                return "cancelled" if ended_by_caller else "other"
            if q850 is None and name in FREESWITCH_Q850:
                q850 = FREESWITCH_Q850[name]
    if q850 is not None:
        return q850_outcome(q850, ended_by_caller)
    return "other"


def load_calling_codes(path):
    """The calling codes of data/calling_codes.csv (first column), as a set of strings."""
    import csv
    with open(path, encoding="utf-8") as f:
        rows = list(csv.reader(line for line in f if not line.startswith("#")))
    return {r[0] for r in rows[1:] if r and r[0].isdigit()}


def destination(number, calling_codes, international=False, short_max_digits=6):
    """The destination of a called number (section 2), without home country or user prefixes."""
    n = clean(number)
    if not n:
        return "(none)"
    low = n.lower()
    for scheme in ("sips:", "sip:", "tel:"):
        if low.startswith(scheme):
            n = n[len(scheme):]
            break
    for stop in ("@", ";"):
        if stop in n:
            n = n[: n.index(stop)]
    for ch in " -.()":
        n = n.replace(ch, "")
    if n.startswith("+"):
        n, international = n[1:], True
    elif n.startswith("00"):
        n, international = n[2:], True
    elif n.startswith("011"):
        n, international = n[3:], True
    if not n or not n.isdigit():
        return "internal"
    if len(n) <= short_max_digits:
        return "internal"
    if not international:
        return "national"
    for k in range(min(len(n), 7), 0, -1):
        if n[:k] in calling_codes:
            return n[:k]
    return "unknown"
