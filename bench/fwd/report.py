#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Table and JSON for the forwarding benchmark (called by run-fwd.sh).

Reads, per round R and leg, DIR/rR.LEG.json (p4x-sink's result),
DIR/rR.LEG.why (why the leg did not run), DIR/rR.LEG.gen (p4x-gen's
summary line) and DIR/rR.LEG.dut0-{before,after} (`ethtool -S p4xf-dut0`
around the generator run); prints the table (median over rounds), where
dut0 lost frames, and the ratios, and writes the same to --out as JSON.
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
    "p4xsk-p4-routing": "p4xskd --program examples/routing (P4TC: lpm + exact)",
    "p4xsk-rxdrop": "p4xskd --no-tx (rx, pipeline, drop)",
    "p4xsk-fifo": "p4xskd --fwd, dut1 scheduler fifo",
    "p4xsk-wfq": "p4xskd --fwd, dut1 scheduler wfq,rank_shift=12",
}

# dut0 receive counters worth showing, as rates over the generator run.
DUT0_STATS = {
    "rx_queue_0_xdp_packets": "xdp_packets",
    "rx_queue_0_xdp_redirect": "xdp_redirect",
    "rx_queue_0_drops": "drops",
}

# (name, numerator leg, denominator leg)
RATIOS = [
    ("p4xsk-fwd / testpmd-fwd", "p4xsk-fwd", "testpmd-fwd"),
    ("p4xsk-p4-routing / p4xsk-fwd", "p4xsk-p4-routing", "p4xsk-fwd"),
    ("p4xsk-rxdrop / testpmd-rxonly", "p4xsk-rxdrop", "testpmd-rxonly"),
    ("p4xsk-fwd / kernel", "p4xsk-fwd", "kernel"),
    ("p4xsk-fwd / tc", "p4xsk-fwd", "tc"),
    ("p4xsk-fifo / p4xsk-fwd", "p4xsk-fifo", "p4xsk-fwd"),
    ("p4xsk-wfq / p4xsk-fwd", "p4xsk-wfq", "p4xsk-fwd"),
]


def read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except FileNotFoundError:
        return None


def ethtool(text):
    stats = {}
    for line in (text or "").splitlines():
        k, _, v = line.strip().partition(": ")
        if v.isdigit():
            stats[k] = int(v)
    return stats


def dut0_rates(base, secs):
    before = ethtool(read(base + ".dut0-before"))
    after = ethtool(read(base + ".dut0-after"))
    return {short: round((after[k] - before[k]) / secs / 1e6, 3)
            for k, short in DUT0_STATS.items()
            if k in before and k in after}


def round_result(d, rnd, leg):
    base = os.path.join(d, "r%d.%s" % (rnd, leg))
    res = {"round": rnd}
    why = read(base + ".why")
    sink = read(base + ".json")
    m = re.search(r"in ([0-9.]+) s: ([0-9.]+) Mpps", read(base + ".gen") or "")
    if m:
        res["offered_mpps"] = float(m.group(2))
        res["dut0_mpps"] = dut0_rates(base, float(m.group(1)))
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
               dut0_mpps=med.get("dut0_mpps", {}),
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
    print("\np4xf-dut0 receive, Mpps over the generator run (median round):")
    print("%-15s %12s %12s %12s" % ("leg", "xdp_packets", "xdp_redirect",
                                     "drops"))
    for r in legs:
        if "unavailable" not in r:
            dr = r["dut0_mpps"]
            print("%-15s %12s %12s %12s" % tuple(
                [r["leg"]] + [dr.get(k, "-") for k in DUT0_STATS.values()]))
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
