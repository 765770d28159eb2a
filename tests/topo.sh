# shellcheck shell=bash
# Shared by the demo and the integration tests: a two-host topology through
# a p4xsk dataplane namespace, created and removed by name.
#
#   h1 (eth0 10.11.0.1) <-veth-> dp0 [p4xskd in ns dp] dp1 <-veth-> h2 (eth0 10.11.0.2)
#
# Namespaces are "$TOPO_PREFIX"h1, h2 and dp. Interface names live inside
# those namespaces, so two topologies with different prefixes never clash.
# Hosts use static neighbours: the dataplane forwards, it answers no ARP.

TOPO_H1_MAC=02:00:00:00:01:01
TOPO_H2_MAC=02:00:00:00:02:01
TOPO_DP0_MAC=02:00:00:00:00:10
TOPO_DP1_MAC=02:00:00:00:00:11
TOPO_H1_IP=10.11.0.1
TOPO_H2_IP=10.11.0.2
TOPO_DP_IP=10.11.0.254

topo_ns() { echo "${TOPO_PREFIX:?}$1"; }
in_h1() { ip netns exec "$(topo_ns h1)" "$@"; }
in_h2() { ip netns exec "$(topo_ns h2)" "$@"; }
in_dp() { ip netns exec "$(topo_ns dp)" "$@"; }

# topo_create [QUEUES]: veths with QUEUES rx/tx queues (default 1).
topo_create() {
	local q=${1:-1} ns
	topo_destroy
	for ns in h1 h2 dp; do
		ip netns add "$(topo_ns $ns)"
		ip -n "$(topo_ns $ns)" link set lo up
		# IPv4 only: no router solicitations or MLD reports arriving
		# at random times in the middle of a counted exchange.
		ip netns exec "$(topo_ns $ns)" \
			sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	done
	ip link add eth0 netns "$(topo_ns h1)" numtxqueues "$q" numrxqueues "$q" \
		address $TOPO_H1_MAC type veth peer dp0 netns "$(topo_ns dp)" \
		numtxqueues "$q" numrxqueues "$q" address $TOPO_DP0_MAC
	ip link add eth0 netns "$(topo_ns h2)" numtxqueues "$q" numrxqueues "$q" \
		address $TOPO_H2_MAC type veth peer dp1 netns "$(topo_ns dp)" \
		numtxqueues "$q" numrxqueues "$q" address $TOPO_DP1_MAC
	in_h1 ip addr add $TOPO_H1_IP/24 dev eth0
	in_h2 ip addr add $TOPO_H2_IP/24 dev eth0
	in_dp ip addr add $TOPO_DP_IP/24 dev dp0
	for ns in h1 h2; do
		ip -n "$(topo_ns $ns)" link set eth0 up
		# veth leaves L4 checksums to the receiver (CHECKSUM_PARTIAL);
		# XDP redirect to AF_XDP drops that state, so the hosts fill
		# in their own checksums.
		ip netns exec "$(topo_ns $ns)" ethtool -K eth0 tx off >/dev/null
	done
	in_dp ip link set dp0 up
	in_dp ip link set dp1 up
	in_h1 ip neigh replace $TOPO_H2_IP lladdr $TOPO_DP0_MAC dev eth0 nud permanent
	in_h2 ip neigh replace $TOPO_H1_IP lladdr $TOPO_DP1_MAC dev eth0 nud permanent
}

topo_destroy() {
	local ns
	for ns in h1 h2 dp; do
		ip netns del "$(topo_ns $ns)" 2>/dev/null || true
	done
}

# topo_start_daemon SOCK [extra p4xskd args]: forwards h1 <-> h2 with the
# built-in program, rewriting MACs; logs to "$TOPO_LOG".
topo_start_daemon() {
	local sock=$1
	shift
	ip netns exec "$(topo_ns dp)" "${P4XSKD:?}" --sock "$sock" \
		--port dp0 --port dp1 \
		--fwd "dp0=dp1,dmac=$TOPO_H2_MAC" \
		--fwd "dp1=dp0,dmac=$TOPO_H1_MAC" "$@" \
		>>"${TOPO_LOG:-/dev/null}" 2>&1 &
	TOPO_DAEMON_PID=$!
	topo_wait_daemon "$sock"
}

# topo_wait_daemon SOCK: up to 10 s for the control socket to answer.
topo_wait_daemon() {
	local i
	for i in $(seq 100); do
		"${P4XSK:?}" --sock "$1" show status >/dev/null 2>&1 && return 0
		kill -0 "$TOPO_DAEMON_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# topo_stop_daemon: SIGTERM, then wait up to 10 s; returns its exit code.
topo_stop_daemon() {
	local pid=${TOPO_DAEMON_PID:-} i rc=0
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for i in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null && rc=137
	wait "$pid" 2>/dev/null || rc=$?
	TOPO_DAEMON_PID=
	return $rc
}

# topo_start_p4 SOCK DIR [extra p4xskd args]: p4xskd running the P4TC
# program directory DIR (p4xskd --program) instead of the built-in one.
topo_start_p4() {
	local sock=$1 dir=$2
	shift 2
	ip netns exec "$(topo_ns dp)" "${P4XSKD:?}" --sock "$sock" \
		--port dp0 --port dp1 --program "$dir" "$@" \
		>>"${TOPO_LOG:-/dev/null}" 2>&1 &
	TOPO_DAEMON_PID=$!
	topo_wait_daemon "$sock"
}

# topo_routing_entries SOCK: the routing program's tables for h1 <-> h2,
# created with p4xsk p4ctrl in the dataplane namespace (port names are its
# interfaces): next hop 1 = h2 behind dp1, 2 = h1 behind dp0, one /32
# route to each host.
topo_routing_entries() {
	local sock=$1
	in_dp "${P4XSK:?}" --sock "$sock" p4ctrl create \
		routing/table/Main/nh_table nh_index 1 action set_nh \
		param dmac $TOPO_H2_MAC param port dp1 \
		entry nh_index 2 action set_nh \
		param dmac $TOPO_H1_MAC param port dp0 &&
	in_dp "$P4XSK" --sock "$sock" p4ctrl create \
		routing/table/Main/fib_table prefix $TOPO_H2_IP/32 \
		action set_nhid param index 1 &&
	in_dp "$P4XSK" --sock "$sock" p4ctrl create \
		routing/table/Main/fib_table prefix $TOPO_H1_IP/32 \
		action set_nhid param index 2
}
