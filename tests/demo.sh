#!/usr/bin/env bash
# The p4xsk demo: two hosts in their own namespaces talk through p4xskd,
# which runs a P4TC program (examples/routing: p4c's routing.p4 as
# generated C, template and JSON) with its entries made by p4xsk p4ctrl.
# Usage: tests/demo.sh BUILDDIR [DATAGRAMS]
set -euo pipefail

build=${1:?usage: demo.sh BUILDDIR [DATAGRAMS]}
count=${2:-20000}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/topo.sh
. "$here/topo.sh"

TOPO_PREFIX=p4x-demo-
P4XSKD=$build/dataplane/daemon/p4xskd
P4XSK=$build/dataplane/daemon/p4xsk
UDP=$build/tests/tools/p4x-udp
SOCK=/run/p4xsk/demo.sock
TOPO_LOG=$(mktemp /tmp/p4x-demo-log.XXXXXX)

cleanup() {
	topo_stop_daemon || true
	topo_destroy
	rm -f "$TOPO_LOG"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { printf '\n== %s\n' "$*"; }

step "topology: $(topo_ns h1) ($TOPO_H1_IP) <-> $(topo_ns dp) [p4xskd] <-> $(topo_ns h2) ($TOPO_H2_IP)"
topo_create 1
if ! topo_start_p4 "$SOCK" "$here/../examples/routing"; then
	echo "demo: p4xskd did not start:" >&2
	cat "$TOPO_LOG" >&2
	exit 1
fi
"$P4XSK" --sock "$SOCK" show status
"$P4XSK" --sock "$SOCK" show ports

step "routing entries through p4xsk p4ctrl (next hops, one route per host)"
topo_routing_entries "$SOCK"
in_dp "$P4XSK" --sock "$SOCK" p4ctrl get routing/table/Main/fib_table
in_dp "$P4XSK" --sock "$SOCK" p4ctrl get routing/table/Main/nh_table

step "ping $TOPO_H2_IP from h1 through p4xsk"
in_h1 ping -c 5 -i 0.2 -W 2 "$TOPO_H2_IP"

step "UDP stream: $count datagrams h1 -> h2"
in_h2 "$UDP" recv 9000 10 "$count" >"$TOPO_LOG.recv" &
recv_pid=$!
sleep 0.3
in_h1 "$UDP" send "$TOPO_H2_IP" 9000 "$count" 50000
wait "$recv_pid" || true
cat "$TOPO_LOG.recv"
rm -f "$TOPO_LOG.recv"

step "what p4xsk saw"
"$P4XSK" --sock "$SOCK" show ports
"$P4XSK" --sock "$SOCK" show workers
json=$("$P4XSK" --sock "$SOCK" -j show ports)
fwd=$(jq '[.ports[].counters.tx_packets] | add' <<<"$json")
drops=$(jq '[.ports[].drops[]] | add // 0' <<<"$json")
echo
echo "forwarded $fwd packets, dropped $drops"
