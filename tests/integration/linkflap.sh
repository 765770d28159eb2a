#!/usr/bin/env bash
# Link down/up on an egress port: traffic stops while it is down and comes
# back when it is up again, without restarting p4xskd.
. "$(dirname "$0")/lib.sh" "$1" p4xi-flap-

topo_create 1
check "p4xskd starts" topo_start_daemon "$SOCK"
expect_eq "UDP before the flap" "$(udp_through h1 $TOPO_H2_IP 500)" 500

in_dp ip link set dp1 down
expect_eq "nothing arrives while dp1 is down" "$(udp_through h1 $TOPO_H2_IP 200 2)" 0
in_dp ip link set dp1 up
for i in $(seq 50); do
	in_h2 ip link show eth0 | grep -q 'state UP' && break
	sleep 0.1
done
expect_eq "UDP after the flap" "$(udp_through h1 $TOPO_H2_IP 500)" 500
check "p4xskd still running" kill -0 "$TOPO_DAEMON_PID"
int_done
