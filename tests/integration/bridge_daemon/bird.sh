#!/usr/bin/env bash
# Real routing daemons through p4xsk: three BIRD instances, h1 (AS 65001)
# and h2 (AS 65002) each peering over BGP with the router namespace
# (AS 65000), whose ports dp0/dp1 p4xskd serves with the routing program
# and `--bridge rtnl:examples/bridge/routing.json`. BGP's TCP to the
# router's own addresses reaches its kernel through the program's host
# path; the router's BIRD writes the learned routes into its kernel, the
# bridge mirrors them into the tables, and traffic between the prefixes h1
# and h2 announce crosses the dataplane. Withdrawing h2's prefix removes
# the FIB entry and stops the traffic. `p4xsk bridge diff` is empty after
# each step. Exits 77 without bird.
# Usage: bird.sh BUILD_ROOT
set -euo pipefail

B=${1:?usage: bird.sh BUILD_ROOT}
SRC=$(cd "$(dirname "$0")/../../.." && pwd)
P4XSKD=$B/dataplane/daemon/p4xskd
P4XSK=$B/dataplane/daemon/p4xsk
command -v bird >/dev/null || { echo "SKIP: bird (bird2) is not installed"; exit 77; }
PFX=p4xg-b$$
DP=$PFX-dp H1=$PFX-h1 H2=$PFX-h2
DIR=$(mktemp -d /tmp/p4xg-bird.XXXXXX)
SOCK=$DIR/ctl.sock
PIDS=()

cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	for n in "$DP" "$H1" "$H2"; do ip netns del "$n" 2>/dev/null || true; done
	rm -rf "$DIR"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*"
	echo "--- p4xskd log"; tail -n 20 "$DIR/d.log" 2>/dev/null || true
	for n in dp h1 h2; do
		echo "--- bird $n"; cat "$DIR/bird-$n.log"
		birdc -s "$DIR/$n.ctl" show protocols 2>&1 || true
	done
	exit 1
}

x() { ip netns exec "$DP" "$P4XSK" --sock "$SOCK" "$@"; }

ip netns add "$DP" && ip netns add "$H1" && ip netns add "$H2"
ip -n "$DP" link add dp0 type veth peer name eth0 netns "$H1"
ip -n "$DP" link add dp1 type veth peer name eth0 netns "$H2"
for d in dp0 dp1; do ip -n "$DP" link set "$d" address 02:00:00:00:00:01; done
ip -n "$DP" addr add 10.1.0.1/24 dev dp0
ip -n "$DP" addr add 10.2.0.1/24 dev dp1
for d in lo dp0 dp1; do ip -n "$DP" link set "$d" up; done
ip netns exec "$DP" sysctl -qw net.ipv4.ip_forward=1
# h1 announces 192.0.2.0/24, h2 198.51.100.0/24 (on lo);
# neither has a default route: only BGP connects them
NETS=(x 192.0.2 198.51.100)
for h in 1 2; do
	ns=$PFX-h$h
	ip -n "$ns" addr add 10.$h.0.2/24 dev eth0
	ip -n "$ns" addr add "${NETS[$h]}.1/24" dev lo
	for d in lo eth0; do ip -n "$ns" link set "$d" up; done
	ip netns exec "$ns" ethtool -K eth0 tx off >/dev/null
done

ip netns exec "$DP" "$P4XSKD" --sock "$SOCK" -i dp0 -i dp1 \
	--program "$SRC/examples/routing" \
	--bridge "rtnl:$SRC/examples/bridge/routing.json" >"$DIR/d.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do
	x bridge status 2>/dev/null | grep -q "^rtnl: synced" && break
	sleep 0.1
done
x bridge status | grep -q "^rtnl: synced" || fail "p4xskd did not sync"

# The routing program drops TTL <= 1, so the sessions are multihop (TTL
# 64); next hops (the peers' addresses) resolve through the direct routes.
peer() { # peer NAME LOCAL LOCAL_AS NEIGHBOUR AS EXPORT
	cat <<EOF
protocol bgp $1 {
	local $2 as $3;
	neighbor $4 as $5;
	multihop;
	connect retry time 1;
	ipv4 { import all; export $6; next hop self; };
}
EOF
}
kernel_proto='protocol kernel { ipv4 { import none; export where source = RTS_BGP; }; }'
{
	echo "router id 10.0.0.1;"
	echo "protocol device {}"
	echo 'protocol direct { ipv4; interface "dp0", "dp1"; }'
	echo "$kernel_proto"
	peer h1 10.1.0.1 65000 10.1.0.2 65001 "where source = RTS_BGP"
	peer h2 10.2.0.1 65000 10.2.0.2 65002 "where source = RTS_BGP"
} >"$DIR/dp.conf"
for h in 1 2; do
	{
		echo "router id 10.$h.0.2;"
		echo "protocol device {}"
		echo 'protocol direct { ipv4; interface "lo", "eth0"; }'
		echo "$kernel_proto"
		peer dp 10.$h.0.2 6500$h 10.$h.0.1 65000 \
			"where net = ${NETS[$h]}.0/24"
	} >"$DIR/h$h.conf"
done
for n in dp h1 h2; do
	ns=$PFX-$n
	ip netns exec "$ns" bird -f -c "$DIR/$n.conf" -s "$DIR/$n.ctl" \
		>"$DIR/bird-$n.log" 2>&1 &
	PIDS+=($!)
done

# wait_route NS PREFIX: the kernel of NS has PREFIX from BIRD (bounded)
wait_route() {
	for _ in $(seq 300); do
		ip -n "$1" route show "$2" proto bird | grep -q . && return 0
		sleep 0.1
	done
	fail "no BGP route $2 in $1"
}
wait_route "$DP" 192.0.2.0/24
wait_route "$DP" 198.51.100.0/24
wait_route "$H1" 198.51.100.0/24
wait_route "$H2" 192.0.2.0/24
echo "ok: BGP sessions through p4xsk's host path; routes in the kernels"

fib_has() { # fib_has PREFIX: the engine's FIB holds it
	x -j p4ctrl get routing/table/Main/fib_table | grep -q "\"fieldval\":\"$1\""
}
for p in 192.0.2.0/24 198.51.100.0/24; do
	for _ in $(seq 50); do fib_has "$p" && break; sleep 0.1; done
	fib_has "$p" || fail "$p is not in the engine's FIB"
done
out=$(x bridge diff 2>&1) && [ -z "$out" ] || fail "bridge diff: $out"
echo "ok: BGP routes mirrored into fib_table (diff empty)"

tx() { x -j show ports | python3 -c "import json,sys
print(json.load(sys.stdin)['ports'][$1]['counters']['tx_packets'])"; }
ip netns exec "$H1" ping -c 2 -i 0.2 -W 2 -I 192.0.2.1 198.51.100.1 \
	>/dev/null || fail "ping 192.0.2.1 -> 198.51.100.1"
t1=$(tx 1)
ip netns exec "$H1" ping -c 10 -i 0.1 -W 2 -I 192.0.2.1 198.51.100.1 \
	>/dev/null || fail "ping 192.0.2.1 -> 198.51.100.1 (resolved)"
t2=$(tx 1)
[ $((t2 - t1)) -ge 10 ] || fail "the pings did not cross the dataplane ($t1 -> $t2)"
echo "ok: traffic between the announced prefixes crosses p4xsk ($((t2 - t1)) packets out of dp1)"

# withdraw: h2 stops announcing its prefix; h1 keeps a static route to it
# through the router, so its packets still reach the dataplane
ip -n "$H1" route add 198.51.100.0/24 via 10.1.0.1 metric 500
birdc -s "$DIR/h2.ctl" disable direct1 >/dev/null
for _ in $(seq 100); do fib_has 198.51.100.0/24 || break; sleep 0.1; done
fib_has 198.51.100.0/24 && fail "198.51.100.0/24 stayed in the FIB after the withdrawal"
ip -n "$DP" route show 198.51.100.0/24 | grep -q . &&
	fail "198.51.100.0/24 stayed in the router's kernel"
out=$(x bridge diff 2>&1) && [ -z "$out" ] || fail "bridge diff: $out"
t1=$(tx 1)
ip netns exec "$H1" ping -c 3 -i 0.2 -W 1 -I 192.0.2.1 198.51.100.1 \
	>/dev/null 2>&1 && fail "ping still answered after the withdrawal"
t2=$(tx 1)
[ "$t2" -eq "$t1" ] || fail "packets still left through dp1 ($t1 -> $t2)"
echo "ok: withdrawal: FIB entry gone (diff empty), traffic stopped"
echo "PASS"
