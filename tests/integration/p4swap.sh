#!/usr/bin/env bash
# P4TC programs swapped under traffic: p4xskd runs examples/routing, UDP
# flows h1 -> h2 while `p4xsk load` switches routing -> simple_l3 ->
# routing -> routing ... (RCU). No crash, the routing entries survive the
# swaps, and no packet is counted twice or lost by the engine:
# rx == tx + drops + host over all ports once traffic stopped.
# Usage: p4swap.sh BUILDDIR
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$here/lib.sh" "$1" p4xs-swap-
src=$(cd "$here/../.." && pwd)

topo_create 1
check "p4xskd starts with --program examples/routing" \
	topo_start_p4 "$SOCK" "$src/examples/routing"
check "routing entries created with p4xsk p4ctrl" topo_routing_entries "$SOCK"
expect_eq "program" "$("$P4XSK" --sock "$SOCK" -j show status | jq -r .program)" \
	"p4tc:routing"
# pings: replies through the running program (-w: up to 5 s for 3)
pings() { in_h1 ping -c 3 -i 0.2 -w 5 -q $TOPO_H2_IP | awk '/received/ {print $4}'; }
expect_eq "ping through the routing program" "$(pings)" 3

out=$(mktemp "/tmp/${TOPO_PREFIX}udp.XXXXXX")
in_h2 "$UDP" recv 9100 15 60000 >"$out" &
rpid=$!
sleep 0.3
in_h1 "$UDP" send $TOPO_H2_IP 9100 60000 20000 >/dev/null &
spid=$!
swaps=0
for prog in simple_l3 routing routing simple_l3 routing routing; do
	sleep 0.3
	if "$P4XSK" --sock "$SOCK" load "$src/examples/$prog" >/dev/null; then
		swaps=$((swaps + 1))
	fi
done
wait $spid || true
wait $rpid || true
received=$(awk '/^received/ {print $2}' "$out")
rm -f "$out"
expect_eq "swaps done under traffic" "$swaps" 6
expect_ge "datagrams through while swapping" "${received:-0}" 1
check "daemon alive after the swaps" kill -0 "$TOPO_DAEMON_PID"
expect_eq "program after the swaps" \
	"$("$P4XSK" --sock "$SOCK" -j show status | jq -r .program)" "p4tc:routing"
expect_eq "entries survived the swaps (ping)" "$(pings)" 3

# refused LOAD-DIR WANT: p4xsk load fails, saying WANT.
refused() {
	local out
	out=$("$P4XSK" --sock "$SOCK" load "$1" 2>&1) && return 1
	grep -qF -- "$2" <<<"$out"
}
check "a directory that is no program is refused" \
	refused "$src/tests" "no *.template"
check "the running program's pipeline cannot be deleted" \
	bash -c "'$P4XSK' --sock '$SOCK' p4template delete pipeline/routing 2>&1 | grep -q 'its program is running'"
expect_eq "program after the refusals" \
	"$("$P4XSK" --sock "$SOCK" -j show status | jq -r .program)" "p4tc:routing"

sleep 0.5
json=$(ports_json)
rx=$(jq '[.ports[].counters.rx_packets] | add' <<<"$json")
tx=$(jq '[.ports[].counters.tx_packets] | add' <<<"$json")
host=$(jq '[.ports[].counters.host_packets] | add' <<<"$json")
drops=$(jq '[.ports[].drops[]] | add // 0' <<<"$json")
expect_ge "engine received the flow" "$rx" 1000
expect_eq "rx == tx + drops + host (nothing counted twice or lost)" \
	"$rx" "$((tx + drops + host))"
int_done
