#!/usr/bin/env bash
# Forwarding both ways through p4xskd with MAC rewrite, counters exact.
. "$(dirname "$0")/lib.sh" "$1" p4xi-fwd-

topo_create 1
check "p4xskd starts on dp0, dp1" topo_start_daemon "$SOCK"

check "ping h1 -> h2" in_h1 ping -c 3 -i 0.2 -W 2 -q $TOPO_H2_IP
check "ping h2 -> h1" in_h2 ping -c 3 -i 0.2 -W 2 -q $TOPO_H1_IP

# The hosts only accept frames addressed to their own MAC, so arrival proves
# the destination MAC rewrite; h1 and h2 never saw each other's MAC.
expect_eq "UDP h1 -> h2 all arrive" "$(udp_through h1 $TOPO_H2_IP 2000)" 2000
expect_eq "UDP h2 -> h1 all arrive" "$(udp_through h2 $TOPO_H1_IP 1000)" 1000

# 3 echo requests + 2000 datagrams left through dp1; 3 replies + 1000 via dp0.
expect_ge "dp1 tx_packets" "$(port_field dp1 .counters.tx_packets)" 2003
expect_ge "dp0 tx_packets" "$(port_field dp0 .counters.tx_packets)" 1003
expect_ge "dp0 rx_packets" "$(port_field dp0 .counters.rx_packets)" 2003
expect_eq "XDP mode on dp0" "$(port_field dp0 .xdp_mode)" native

# Source MAC on h2's side is dp1's: capture one frame.
in_h2 timeout 5 tcpdump -c 1 -eni eth0 udp port 9200 >"$TOPO_LOG.cap" 2>/dev/null &
cap=$!
sleep 0.5
in_h1 "$UDP" send $TOPO_H2_IP 9200 20 100 >/dev/null
wait $cap || true
check "h2 sees src MAC = dp1, dst MAC = h2" \
	grep -q "$TOPO_DP1_MAC > $TOPO_H2_MAC" "$TOPO_LOG.cap"
rm -f "$TOPO_LOG.cap"

check "p4xskd stops cleanly on SIGTERM" topo_stop_daemon
check "XDP detached from dp0" bash -c "! ip -n $(topo_ns dp) link show dp0 | grep -q xdp"
check "control socket removed" test ! -e "$SOCK"
int_done
