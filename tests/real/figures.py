"""Turns a list of attempts into the figures expected.json holds for one file."""
import collections

from rules import destination, outcome


def figures(attempts, rows, calling_codes, duplicates=0, rejected=0, header_rows=0, extra=None):
    """attempts: dicts with answered, talk_s, callee, international, sip, vendor, q850, pdd_ms,
    ended_by_caller (missing keys mean "not in the record"). rows: data rows of the file
    (accepted + rejected); duplicates: repeated rows counted once (section 3)."""
    outcomes = collections.Counter()
    dests = collections.Counter()
    answered = 0
    talk = 0
    for a in attempts:
        o = outcome(
            a.get("answered", False),
            sip=a.get("sip"),
            vendor=a.get("vendor"),
            q850=a.get("q850"),
            pdd_ms=a.get("pdd_ms"),
            ended_by_caller=a.get("ended_by_caller", False),
        )
        outcomes[o] += 1
        if o == "answered":
            answered += 1
            talk += int(a.get("talk_s", 0))
        dests[destination(a.get("callee", ""), calling_codes, a.get("international", False))] += 1
    f = {
        "rows": rows,
        "header_rows": header_rows,
        "rejected": rejected,
        "duplicates": duplicates,
        "attempts": len(attempts),
        "answered": answered,
        "talk_s": talk,
        "acd_s": round(talk / answered, 6) if answered else None,
        "outcomes": dict(sorted(outcomes.items())),
        "destinations": dict(sorted(dests.items())),
    }
    if extra:
        f.update(extra)
    return f
