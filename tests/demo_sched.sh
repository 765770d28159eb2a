#!/usr/bin/env bash
# The scheduler demo: two UDP flows from h1 share p4xsk's egress port dp1
# (limited to RATE by its scheduler) by weight. Each flow offers about
# 1.7 Mbit/s for 1.5 s, together more than the port, so both stay
# backlogged; h2 captures what arrives and the demo prints each flow's
# packets and share while both were arriving, next to the weights.
# Usage: tests/demo_sched.sh BUILDDIR [WEIGHTS [RATE]]   (default 3/1 2mbit)
set -euo pipefail

build=${1:?usage: demo_sched.sh BUILDDIR [WEIGHTS [RATE]]}
weights=${2:-3/1}
rate=${3:-2mbit}
count=3000
pps=2000
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/topo.sh
. "$here/topo.sh"

[[ "$weights" =~ ^[1-9][0-9]*/[1-9][0-9]*$ ]] || {
	echo "demo_sched: weights must be W0/W1, e.g. 3/1" >&2
	exit 2
}
TOPO_PREFIX=p4x-demo-sched-
P4XSKD=$build/dataplane/daemon/p4xskd
P4XSK=$build/dataplane/daemon/p4xsk
UDP=$build/tests/tools/p4x-udp
SOCK=/run/p4xsk/demo-sched.sock
TOPO_LOG=$(mktemp /tmp/p4x-demo-sched-log.XXXXXX)
work=$(mktemp -d /tmp/p4x-demo-sched.XXXXXX)

cleanup() {
	topo_stop_daemon || true
	topo_destroy
	rm -rf "$TOPO_LOG" "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { printf '\n== %s\n' "$*"; }

spec="wfq,weight=$weights,rate=$rate,dport=9001:0/9002:1"
step "topology: $(topo_ns h1) -> $(topo_ns dp) [p4xskd, dp1 scheduler $spec] -> $(topo_ns h2)"
topo_create 1
if ! topo_start_daemon "$SOCK" --sched "dp1:$spec"; then
	echo "demo_sched: p4xskd did not start:" >&2
	cat "$TOPO_LOG" >&2
	exit 1
fi
"$P4XSK" --sock "$SOCK" sched show dp1

step "two flows h1 -> h2: UDP 9001 (class 0, weight ${weights%/*}) and UDP 9002 (class 1, weight ${weights#*/}), $count datagrams each at $pps pps"
ip netns exec "$(topo_ns h2)" tcpdump -i eth0 -nn -U -w "$work/h2.pcap" udp 2>/dev/null &
tcpd=$!
sleep 1
pids=()
for p in 9001 9002; do
	in_h2 "$UDP" recv $p 15 $count >"$work/recv.$p" &
	pids+=($!)
done
sleep 0.3
for p in 9001 9002; do
	in_h1 "$UDP" send "$TOPO_H2_IP" $p $count $pps >/dev/null &
	pids+=($!)
done
sleep 1
echo "scheduler while both flows are backlogged:"
"$P4XSK" --sock "$SOCK" sched show dp1
wait "${pids[@]}" 2>/dev/null || true
kill -TERM $tcpd 2>/dev/null || true
wait $tcpd 2>/dev/null || true

step "what h2 received"
for p in 9001 9002; do
	echo "UDP $p: $(cat "$work/recv.$p")"
done
tcpdump -r "$work/h2.pcap" -nn -q 2>/dev/null |
	awk '/ UDP/ { print ($5 ~ /\.9001:$/) ? 1 : 0 }' >"$work/order"
awk -v w0="${weights%/*}" -v w1="${weights#*/}" '
	{ o[NR] = $1; if ($1) l0 = NR; else l1 = NR }
	END {
		e = l0 < l1 ? l0 : l1
		for (i = 1; i <= e; i++) n0 += o[i]
		printf "while both flows were arriving (%d packets):\n", e
		printf "  UDP 9001: %6d packets, share %.3f (weight %d: %.3f)\n",
		       n0, n0 / e, w0, w0 / (w0 + w1)
		printf "  UDP 9002: %6d packets, share %.3f (weight %d: %.3f)\n",
		       e - n0, (e - n0) / e, w1, w1 / (w0 + w1)
	}' "$work/order"
