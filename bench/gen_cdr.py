#!/usr/bin/env python3
"""Deterministic VOS3000 e_cdr CSV generator for the cdrscope benchmark (standard library only).

    python3 bench/gen_cdr.py --rows 1000000 --out DIR/cdr_1000000.csv [--seed 7]

writes the CSV (the 52 e_cdr columns of tests/fixtures/vos3000_cdr_en.csv, UTF-8, LF, header row,
epoch-millisecond times, about 424 bytes per row) and, next to it, `<name>.agg.json`: the benchmark
aggregate computed while generating, in the shape every contestant returns:

    {"rows": N, "gw": {"<calleegatewayid>": [attempts, answered, hold_sum]}, "er": {"<endreason>": count}}

(answered = holdtime > 0; an empty gateway is the key ""). The same seed and row count give the same
bytes on every machine: only `random.Random.random()` is used, never choices()/randrange()/gauss(),
whose algorithms differ between Python versions.

The traffic is one operator day (UTC+8): three customers, six destination prefixes, four vendor
gateways of different health (a 503-heavy cheap route, a 408-heavy transit, a short-call-heavy mobile
route, a healthy premium route) and about 3 % of calls refused by the softswitch itself (endreason -69,
no gateway). Rows are in start-time order, as an export of a day is.
"""

import argparse
import json
import math
import os
import random
import sys

SEED = 7
DAY_MS = 1741536000000 - 8 * 3600 * 1000  # 2025-03-10 00:00 at UTC+8, in epoch ms

# Relative traffic per local hour: a quiet night, business peaks, an evening bump.
HOURS = [3, 2, 1, 1, 1, 2, 4, 8, 11, 13, 14, 12, 10, 11, 13, 14, 12, 10, 9, 9, 10, 7, 5, 3]

# customer gateway id, account, name, signalling IP, tech prefix, billing step in seconds, weight
CUSTOMERS = [
    ("CUST_ALPHA", "10001", "Alpha Telecom", "103.21.44.17", "888", 6, 44),
    ("CUST_BRAVO", "10002", "Bravo Call Center", "45.77.120.9", "777", 6, 36),
    ("CUST_CHARLIE", "10003", "Charlie Wholesale", "185.12.8.201", "555", 60, 20),
]

# destination prefix, digits after it, sell rate per minute, weight, [(vendor gateway, weight)]
DESTINATIONS = [
    ("86", 11, 0.0120, 30, [("GW_CN_MOBILE", 55), ("GW_HK_PRIME", 45)]),
    ("1", 10, 0.0050, 20, [("GW_US_TIER2", 70), ("GW_HK_PRIME", 30)]),
    ("44", 10, 0.0150, 10, [("GW_HK_PRIME", 55), ("GW_SG_CHEAP", 45)]),
    ("63", 10, 0.0900, 15, [("GW_SG_CHEAP", 65), ("GW_HK_PRIME", 35)]),
    ("880", 10, 0.0300, 15, [("GW_SG_CHEAP", 60), ("GW_CN_MOBILE", 40)]),
    ("234", 10, 0.1100, 10, [("GW_HK_PRIME", 50), ("GW_US_TIER2", 50)]),
]

# vendor gateway: IP, agent name, cost share of the sell rate, answer probability, share of short
# answered calls, median PDD in ms, and the final SIP codes of unanswered attempts with weights
VENDORS = {
    "GW_HK_PRIME": ("202.45.88.10", "HK Prime Carrier", 0.80, 0.55, 0.04, 2500,
                    [(486, 30), (480, 22), (487, 26), (404, 8), (603, 5), (503, 4), (408, 3), (484, 2)]),
    "GW_SG_CHEAP": ("128.199.20.33", "SG Cheap Routes", 0.55, 0.21, 0.06, 4300,
                    [(503, 60), (486, 10), (480, 9), (487, 10), (404, 5), (500, 6)]),
    "GW_US_TIER2": ("64.34.101.77", "US Tier2 Transit", 0.70, 0.28, 0.05, 5100,
                    [(408, 56), (486, 11), (480, 12), (487, 12), (404, 5), (503, 4)]),
    "GW_CN_MOBILE": ("116.62.33.5", "CN Mobile Direct", 0.75, 0.46, 0.27, 3000,
                     [(486, 28), (480, 29), (487, 22), (404, 7), (603, 6), (503, 5), (484, 3)]),
}
SOFTSWITCH_REFUSED = 0.03    # share of calls the softswitch refuses before choosing a gateway
REFUSED_REASON = -69         # VOS internal reason, no gateway, end direction 2 (server)
CALLER_HANGUP, CALLEE_HANGUP = -9, -8
PRODUCTS = ["FreeSWITCH-mod_sofia/1.10.9-release", "Asterisk PBX 18.15.0", "VOS3000 V2.1.8.05"]
HEX = "0123456789abcdef"

COLUMNS = (
    "callere164,calleraccesse164,calleee164,calleeaccesse164,callerip,callercodec,callergatewayid,"
    "callerproductid,callertogatewaye164,callertype,calleeip,calleecodec,calleegatewayid,calleeproductid,"
    "calleetogatewaye164,calleetype,billingmode,calllevel,agentfeetime,starttime,stoptime,callerpdd,"
    "calleepdd,holdtime,callerareacode,feetime,fee,tax,suitefee,suitefeetime,incomefee,incometax,"
    "customeraccount,customername,calleeareacode,agentfee,agenttax,agentsuitefee,agentsuitefeetime,"
    "agentaccount,agentname,flowno,softswitchname,softswitchcallid,callercallid,calleroriginalcallid,"
    "rtpforward,enddirection,endreason,billingtype,cdrlevel,agentcdr_id"
)


class Picker:
    """Weighted choice driven by one uniform number (stable across Python versions)."""

    def __init__(self, items, weights):
        total = float(sum(weights))
        self.items, self.cum, acc = list(items), [], 0.0
        for w in weights:
            acc += w / total
            self.cum.append(acc)

    def __call__(self, u):
        for item, c in zip(self.items, self.cum):
            if u < c:
                return item
        return self.items[-1]


def lognormal(rng, median, sigma, lo, hi):
    """A clamped log-normal value from two uniforms (Box-Muller)."""
    u1 = rng.random() or 1e-12
    z = math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * rng.random())
    return max(lo, min(hi, median * math.exp(sigma * z)))


def money(v):
    """Four decimals without trailing zeros, as VOS3000 dumps print fees."""
    s = ("%.4f" % v).rstrip("0").rstrip(".")
    return s or "0"


def time_of(i, n):
    """Start of call i of n: row order follows the day's traffic curve (inverse CDF of HOURS)."""
    f = (i + 0.5) / n * sum(HOURS)
    for h, w in enumerate(HOURS):
        if f < w:
            return DAY_MS + h * 3600000 + int(f / w * 3600000)
        f -= w
    return DAY_MS + 86399999


def generate(rows, seed, out):
    rng = random.Random(seed)
    r = rng.random
    cust_pick = Picker(CUSTOMERS, [c[6] for c in CUSTOMERS])
    dest_pick = Picker(DESTINATIONS, [d[3] for d in DESTINATIONS])
    gw_picks = {d[0]: Picker([g for g, _ in d[4]], [w for _, w in d[4]]) for d in DESTINATIONS}
    fail_picks = {g: Picker([c for c, _ in v[6]], [w for _, w in v[6]]) for g, v in VENDORS.items()}
    prod_pick = Picker(PRODUCTS, [1, 1, 1])
    gw_agg, er_agg = {}, {}
    tmp = out + ".part"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(COLUMNS + "\n")
        buf = []
        for i in range(rows):
            cgw, acct, cname, cip, tech, step, _ = cust_pick(r())
            prefix, ndig, rate, _, _ = dest_pick(r())
            number = prefix + "%0*d" % (ndig, int(r() * 10 ** ndig))
            if cgw == "CUST_BRAVO":
                caller = "02" + "%09d" % int(r() * 1e9)
            else:
                caller = "1" + "%010d" % int(r() * 1e10)
            callid = "".join(HEX[int(r() * 16)] for _ in range(32)) + "@" + cip
            t0 = time_of(i, rows)
            gw = ""
            hold = pdd = 0
            codec = ""
            rtp = 0
            if r() < SOFTSWITCH_REFUSED:
                end = t0 + 5 + int(r() * 55)
                start, direction, reason = end, 2, REFUSED_REASON
            else:
                gw = gw_picks[prefix](r())
                ip, agent, cost, answer, short, pdd_med, _ = VENDORS[gw]
                if r() < answer:
                    pdd = int(lognormal(rng, pdd_med, 0.35, 600, 15000))
                    ring = int(lognormal(rng, 6500, 0.6, 500, 45000))
                    hold = 1 + int(r() * 5) if r() < short else int(lognormal(rng, 80, 1.0, 6, 3600))
                    start = t0 + pdd + ring
                    end = start + hold * 1000 + int(r() * 1000)
                    caller_hangs = r() < 0.55
                    direction = 0 if caller_hangs else 1
                    reason = CALLER_HANGUP if caller_hangs else CALLEE_HANGUP
                    codec = "G729" if r() < 0.7 else "G711A"
                    rtp = 1 if r() < 0.8 else 0
                else:
                    reason = fail_picks[gw](r())
                    if reason == 408:
                        end = t0 + 9000 + int(r() * 23000)
                    elif reason in (500, 503):
                        end = t0 + 40 + int(r() * 860)
                    elif reason in (480, 487):
                        pdd = int(lognormal(rng, pdd_med, 0.35, 600, 15000))
                        end = t0 + pdd + 3000 + int(r() * 52000)
                    else:
                        end = t0 + 200 + int(r() * 3800)
                    start, direction = end, 0 if reason == 487 else 1
            feetime = -(-hold // step) * step if hold else 0
            fee = feetime / 60.0 * rate
            agentfee = fee * VENDORS[gw][2] if gw and hold else 0.0
            callee_pdd = max(0, pdd - 20 - int(r() * 160)) if pdd else 0
            flowno = 330455001 + i
            gwip, agentname = (VENDORS[gw][0], VENDORS[gw][1]) if gw else ("", "")
            buf.append(",".join((
                caller, caller, tech + number, number, cip, codec, cgw, prod_pick(r()), caller, "0",
                gwip, codec, gw, "", number if gw else "", "0", "1", "4", str(feetime), str(start),
                str(end), str(pdd), str(callee_pdd), str(hold), "", str(feetime), money(fee), "0", "0", "0",
                "0", "0", acct, cname, prefix, money(agentfee), "0", "0", "0", gw, agentname, str(flowno),
                "softswitch", str(900000000 + flowno), callid, callid, str(rtp), str(direction),
                str(reason), "0", "0", "0")))
            a = gw_agg.get(gw)
            if a is None:
                a = gw_agg[gw] = [0, 0, 0]
            a[0] += 1
            if hold > 0:
                a[1] += 1
            a[2] += hold
            er_agg[reason] = er_agg.get(reason, 0) + 1
            if len(buf) >= 4096:
                buf.append("")
                f.write("\n".join(buf))
                buf = []
        if buf:
            buf.append("")
            f.write("\n".join(buf))
    os.replace(tmp, out)
    agg = {"rows": rows, "gw": gw_agg, "er": {str(k): v for k, v in sorted(er_agg.items())},
           "seed": seed, "bytes": os.path.getsize(out)}
    with open(out + ".agg.json", "w", encoding="utf-8") as f:
        json.dump(agg, f, sort_keys=True)
    return agg


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--out", required=True, help="CSV path; the aggregate goes to <out>.agg.json")
    ap.add_argument("--seed", type=int, default=SEED)
    a = ap.parse_args(argv)
    if a.rows < 1:
        ap.error("--rows must be at least 1")
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    agg = generate(a.rows, a.seed, a.out)
    print("wrote %s: %d rows, %.1f MB" % (a.out, a.rows, agg["bytes"] / 1e6), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
