#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Table and JSON for the forwarding benchmark (called by run-fwd.sh).

Reads, per leg, DIR/LEG.json (p4x-sink's result), DIR/LEG.why (why the leg
did not run) and DIR/LEG.gen (p4x-gen's summary line); prints the table and
the ratios, and writes the same to --out as JSON.
"""
import argparse
import json
import os
import re

DESCR = {
    "kernel": "kernel IP forwarding (ip_forward, static neighbours)",
    "tc": "tc cls_bpf: MAC rewrite + bpf_redirect",
    "testpmd-fwd": "DPDK testpmd, net_af_xdp, --forward-mode=mac",
    "testpmd-rxonly": "DPDK testpmd, net_af_xdp, --forward-mode=rxonly",
    "p4xsk-fwd": "p4xskd --fwd (rx, pipeline, tx)",
    "p4xsk-rxdrop": "p4xskd --no-tx (rx, pipeline, drop)",
}

# (name, numerator leg, denominator leg)
RATIOS = [
    ("p4xsk-fwd / testpmd-fwd", "p4xsk-fwd", "testpmd-fwd"),
    ("p4xsk-rxdrop / testpmd-rxonly", "p4xsk-rxdrop", "testpmd-rxonly"),
    ("p4xsk-fwd / kernel", "p4xsk-fwd", "kernel"),
    ("p4xsk-fwd / tc", "p4xsk-fwd", "tc"),
]


def read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except FileNotFoundError:
        return None


def leg_result(d, leg):
    res = {"leg": leg, "what": DESCR[leg]}
    why = read(os.path.join(d, leg + ".why"))
    sink = read(os.path.join(d, leg + ".json"))
    gen = read(os.path.join(d, leg + ".gen")) or ""
    m = re.search(r"([0-9.]+) Mpps", gen)
    if m:
        res["offered_mpps"] = float(m.group(1))
    if why or not sink:
        res["unavailable"] = why or "no result"
        return res
    s = json.loads(sink)
    res.update(mpps=s["mpps"], packets=s["good"], other=s["other"],
               seconds=s["seconds"], counted_by=s["source"],
               cpu_busy_pct=s["cpu_busy_pct"])
    return res


def main():
    ap = argparse.ArgumentParser()
    for a in ("--dir", "--legs", "--out", "--size", "--flows", "--seconds",
              "--warmup"):
        ap.add_argument(a, required=True)
    a = ap.parse_args()
    legs = [leg_result(a.dir, leg) for leg in a.legs.split()]
    by = {r["leg"]: r for r in legs}
    print("\n%-15s %8s %9s  %-14s %s" % ("leg", "Mpps", "offered", "CPU busy %",
                                         "counted by / why not"))
    for r in legs:
        if "unavailable" in r:
            print("%-15s %8s %9s  %-14s unavailable: %s" % (
                r["leg"], "-", "-", "-", r["unavailable"]))
            continue
        busy = "/".join("%.0f" % b for b in r["cpu_busy_pct"])
        print("%-15s %8.3f %9.3f  %-14s %s" % (
            r["leg"], r["mpps"], r.get("offered_mpps", 0), busy,
            r["counted_by"]))
    ratios = {}
    print()
    for name, num, den in RATIOS:
        n, d = by.get(num, {}).get("mpps"), by.get(den, {}).get("mpps")
        ratios[name] = round(n / d, 3) if n is not None and d else None
        print("%-32s %s" % (name, "%.3f" % ratios[name]
                             if ratios[name] is not None else "n/a"))
    doc = {"benchmark": "fwd", "frame_bytes": int(a.size),
           "flows": int(a.flows), "seconds": float(a.seconds),
           "warmup": float(a.warmup), "legs": legs, "ratios": ratios}
    with open(a.out, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    print("\nwrote %s" % a.out)


if __name__ == "__main__":
    main()
