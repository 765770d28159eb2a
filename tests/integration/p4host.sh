#!/usr/bin/env bash
# The host path of P4TC programs: examples/redirect_l2 sends what its
# nh_table misses to egress port 0, i.e. to the host stack of the
# dataplane namespace. p4xskd delivers it through the port's TAP (p4xh0),
# so h1 pings the dataplane's own address (10.11.0.254 on dp0): the
# request reaches the kernel only through the program's verdict, the reply
# leaves by dp0. Counted as host_packets of dp0.
# Usage: p4host.sh BUILDDIR
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$here/lib.sh" "$1" p4xs-host-
src=$(cd "$here/../.." && pwd)

[ -c /dev/net/tun ] || { echo "SKIP: needs /dev/net/tun (TAP devices)"; exit 77; }
topo_create 1
check "p4xskd starts with --program examples/redirect_l2" \
	topo_start_p4 "$SOCK" "$src/examples/redirect_l2"
check "TAP p4xh0 is up with dp0's MAC" \
	bash -c "ip netns exec $(topo_ns dp) ip -br link show p4xh0 | grep -q '$TOPO_DP0_MAC'"
got=$(in_h1 ping -c 3 -i 0.2 -w 5 -q $TOPO_DP_IP | awk '/received/ {print $4}')
expect_eq "ping of the dataplane's address through the host path" "$got" 3
host=$(port_field dp0 .counters.host_packets)
expect_ge "dp0 host_packets" "$host" 3
expect_eq "dp1 forwarded nothing" "$(port_field dp1 .counters.tx_packets)" 0
int_done
