#!/usr/bin/env bash
# Two queues, two workers: veths with two queues each, native XDP, one
# AF_XDP socket and worker per rx queue. The sender's queue is chosen
# deterministically with XPS and CPU pinning (veth rx queue = peer tx queue).
. "$(dirname "$0")/lib.sh" "$1" p4xi-mq-

[ "$(nproc)" -ge 2 ] || { echo "SKIP: needs 2 CPUs to steer two queues"; exit 77; }
topo_create 2
for ns in h1 h2; do
	ip netns exec "$(topo_ns $ns)" sh -c \
		'echo 1 > /sys/class/net/eth0/queues/tx-0/xps_cpus &&
		 echo 2 > /sys/class/net/eth0/queues/tx-1/xps_cpus'
done
ip netns exec "$(topo_ns dp)" "$P4XSKD" --sock "$SOCK" --port dp0:2 --port dp1:2 \
	--fwd "dp0=dp1,dmac=$TOPO_H2_MAC" --fwd "dp1=dp0,dmac=$TOPO_H1_MAC" \
	>>"$TOPO_LOG" 2>&1 &
TOPO_DAEMON_PID=$!
check "p4xskd starts with two queues per port" topo_wait_daemon "$SOCK"
expect_eq "four workers" "$("$P4XSK" --sock "$SOCK" -j show workers | jq '.workers | length')" 4

out=$(mktemp "/tmp/${TOPO_PREFIX}udp.XXXXXX")
in_h2 "$UDP" recv 9300 10 2000 >"$out" &
rpid=$!
sleep 0.3
in_h1 taskset -c 0 "$UDP" send $TOPO_H2_IP 9300 1000 50000 >/dev/null
in_h1 taskset -c 1 "$UDP" send $TOPO_H2_IP 9300 1000 50000 >/dev/null
wait $rpid || true
expect_eq "all datagrams from both queues arrive" "$(awk '/^received/ {print $2}' "$out")" 2000
rm -f "$out"

workers=$("$P4XSK" --sock "$SOCK" -j show workers)
for q in 0 1; do
	expect_ge "worker on dp0 queue $q received" \
		"$(jq --argjson q $q '[.workers[] | select(.port == "dp0" and .queue == $q) | .rx_packets] | add' <<<"$workers")" 1000
done
int_done
