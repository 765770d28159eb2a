#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Table and JSON for the forwarding benchmark (called by run-fwd.sh).

Reads, per round R and leg, DIR/rR.LEG.json (p4x-sink's result),
DIR/rR.LEG.why (why the leg did not run) and DIR/rR.LEG.gen (p4x-gen's
summary line); prints the table (median over rounds) and the ratios, and
writes the same to --out as JSON.
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


def round_result(d, rnd, leg):
    base = os.path.join(d, "r%d.%s" % (rnd, leg))
    res = {"round": rnd}
    why = read(base + ".why")
    sink = read(base + ".json")
    m = re.search(r"([0-9.]+) Mpps", read(base + ".gen") or "")
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


def leg_result(d, rounds, leg):
    runs = [round_result(d, r, leg) for r in range(1, rounds + 1)]
    ok = sorted((r for r in runs if "mpps" in r), key=lambda r: r["mpps"])
    res = {"leg": leg, "what": DESCR[leg], "rounds": runs}
    if not ok:
        res["unavailable"] = runs[0]["unavailable"]
        return res
    med = ok[(len(ok) - 1) // 2]  # the lower median for an even count
    res.update(mpps=med["mpps"], min_mpps=ok[0]["mpps"],
               max_mpps=ok[-1]["mpps"],
               offered_mpps=med.get("offered_mpps", 0),
               counted_by=med["counted_by"],
               cpu_busy_pct=med["cpu_busy_pct"])
    return res


def main():
    ap = argparse.ArgumentParser()
    for a in ("--dir", "--legs", "--rounds", "--out", "--size", "--flows",
              "--seconds", "--warmup", "--sink-hook", "--loadavg"):
        ap.add_argument(a, required=True)
    a = ap.parse_args()
    legs = [leg_result(a.dir, int(a.rounds), leg) for leg in a.legs.split()]
    by = {r["leg"]: r for r in legs}
    print("\n%-15s %8s %15s %8s  %-10s %s" % (
        "leg", "Mpps", "(min-max)", "offered", "CPU busy%", "counted by"))
    for r in legs:
        if "unavailable" in r:
            print("%-15s %8s %15s %8s  %-10s unavailable: %s" % (
                r["leg"], "-", "", "-", "-", r["unavailable"]))
            continue
        busy = "/".join("%.0f" % b for b in r["cpu_busy_pct"])
        spread = "(%.3f-%.3f)" % (r["min_mpps"], r["max_mpps"])
        print("%-15s %8.3f %15s %8.3f  %-10s %s" % (
            r["leg"], r["mpps"], spread, r["offered_mpps"], busy,
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
           "warmup": float(a.warmup), "rounds": int(a.rounds),
           "sink_hook": a.sink_hook, "loadavg_before": a.loadavg,
           "legs": legs, "ratios": ratios}
    with open(a.out, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    print("\nwrote %s" % a.out)


if __name__ == "__main__":
    main()
