#!/usr/bin/env bash
# Host traffic still reaches the dataplane namespace's own stack: ARP to the
# dp0 address is passed by XDP, answered by the kernel, and counted.
. "$(dirname "$0")/lib.sh" "$1" p4xi-host-

topo_create 1
check "p4xskd starts" topo_start_daemon "$SOCK"

# The echo itself is IPv4 dataplane traffic (forwarded, not answered), but
# resolving the address needs ARP, which must reach dp's kernel.
in_h1 ping -c 1 -W 1 $TOPO_DP_IP >/dev/null 2>&1 || true
expect_eq "h1 resolved dp0's address via the kernel" \
	"$(in_h1 ip -j neigh show $TOPO_DP_IP | jq -r '.[0].lladdr')" $TOPO_DP0_MAC
expect_ge "XDP pass_host counted on dp0" "$(port_field dp0 .xdp.pass_host)" 1
expect_ge "XDP redirected the echo request" "$(port_field dp0 .xdp.redirect)" 1
int_done
