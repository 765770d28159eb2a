#!/bin/bash
# Suite 'bpf': the XDP loader on real veth pairs (test_attach), as root.
# Creates the namespace p4xb-att holding
#   p4xb-a <-> p4xb-b  p4xb-a has 2 rx queues (test runs use queue 1),
#                      p4xb-b 1 tx queue, so all it sends lands on queue 0
#   p4xb-c <-> p4xb-d  p4xb-c has 1 rx queue, p4xb-d 2 tx: native XDP on
#                      p4xb-c is refused by veth, generic works
# runs test_attach in it, checks with `ip link` that nothing stays
# attached, and deletes the namespace by name on exit, pass or fail.
set -euo pipefail

TEST_ATTACH=${1:?usage: attach.sh PATH/TO/test_attach}
NS=p4xb-att

[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (namespaces, XDP)"; exit 77; }

cleanup() { ip netns del "$NS" 2>/dev/null || true; }
trap cleanup EXIT
cleanup
ip netns add "$NS"
ip -n "$NS" link add p4xb-a numrxqueues 2 numtxqueues 2 type veth \
	peer p4xb-b numrxqueues 2 numtxqueues 1
ip -n "$NS" link add p4xb-c numrxqueues 1 numtxqueues 1 type veth \
	peer p4xb-d numrxqueues 2 numtxqueues 2
for dev in p4xb-a p4xb-b p4xb-c p4xb-d; do
	ip -n "$NS" link set "$dev" up
done

rc=0
timeout 60 ip netns exec "$NS" "$TEST_ATTACH" p4xb-a p4xb-b p4xb-c || rc=$?

for dev in p4xb-a p4xb-c; do
	if ip -n "$NS" -d link show "$dev" | grep -q 'prog/xdp'; then
		echo "FAIL: ip link still shows an XDP program on $dev:"
		ip -n "$NS" -d link show "$dev"
		rc=1
	fi
done
exit "$rc"
