#!/usr/bin/env bash
# Egress scheduler on veth: two UDP flows h1 -> h2 compete for dp1, whose
# scheduler is limited to 2 Mbit/s (the bottleneck is the scheduler, not
# the CPU: the flows offer 0.85 + 4.2 Mbit/s). Measured at the receiver:
#  - strict priority: the high class (UDP 9001) loses nothing, the low one
#    (9002) gets what is left and is dropped by the scheduler;
#  - WFQ 3:1 (switched at runtime with p4xsk sched set): each flow offers
#    1.7 Mbit/s, so both stay backlogged and nothing is dropped; in the
#    receiver's capture, up to the last packet of the flow that finishes
#    first, the weight-3 flow has 0.75 +- 0.05 of the packets (all of
#    the same size);
#  - a policy object loaded at runtime (p4xsk sched load);
#  - link down with a backlog: the scheduler is flushed and counted.
# Counts and shares only, no timing assertions.
. "$(dirname "$0")/../lib.sh" "$1" p4xq-sched-

HI=9001
LO=9002
SPEC="strict,rate=2mbit,drop=worst,limit=4096,dport=$HI:0/$LO:1"
OBJ=$INT_BUILD/examples/sched/p4x_sched_lstf.so

sched_json() { "$P4XSK" --sock "$SOCK" -j sched show dp1; }
# class_field CLASS JQ-PATH
class_field() {
	sched_json | jq -r --argjson c "$1" \
		"[.sched[0].classes[] | select(.class == \$c) | $2] | add // 0"
}
sched_drops() { class_field "$1" '.drops | add'; }

# two_flows HI_COUNT HI_PPS LO_COUNT LO_PPS: print "hi lo" datagrams received.
two_flows() {
	local out=/tmp/${TOPO_PREFIX}flows.$$ secs=$(($3 / $4 + 4))
	in_h2 "$UDP" recv $HI $secs "$1" >"$out.hi" &
	local r1=$!
	in_h2 "$UDP" recv $LO $secs "$3" >"$out.lo" &
	local r2=$!
	sleep 0.3
	in_h1 "$UDP" send $TOPO_H2_IP $HI "$1" "$2" >/dev/null &
	local s1=$!
	in_h1 "$UDP" send $TOPO_H2_IP $LO "$3" "$4" >/dev/null
	wait $s1 $r1 $r2 || true
	echo "$(awk '/^received/ {print $2}' "$out.hi") $(awk '/^received/ {print $2}' "$out.lo")"
	rm -f "$out.hi" "$out.lo"
}

topo_create 1
check "p4xskd starts with --sched dp1:$SPEC" \
	topo_start_daemon "$SOCK" --sched "dp1:$SPEC"
expect_eq "policy" "$(sched_json | jq -r '.sched[0].policy')" strict

echo "-- strict priority: high 3000 at 1000 pps, low 15000 at 5000 pps"
read -r hi lo <<<"$(two_flows 3000 1000 15000 5000)"
echo "received: high $hi, low $lo"
expect_eq "high class: every datagram arrives" "$hi" 3000
expect_eq "high class: no scheduler drop" "$(sched_drops 0)" 0
expect_ge "low class: loses at least 1000 datagrams to the scheduler" \
	"$(sched_drops 1)" 1000
check "low class: $lo of 15000 arrive" [ "${lo:-0}" -le $((15000 - 1000)) ]
expect_eq "scheduler drops = dp0's sched_drop" \
	"$(port_field dp0 .drops.sched_drop)" \
	"$(($(sched_drops 0) + $(sched_drops 1)))"

echo "-- wfq 3:1, set at runtime: both flows 3000 at 2000 pps"
check "p4xsk sched set dp1 wfq weight=3/1" \
	"$P4XSK" --sock "$SOCK" sched set dp1 wfq weight=3/1
expect_eq "policy" "$(sched_json | jq -r '.sched[0].policy')" wfq
drops0=$(($(sched_drops 0) + $(sched_drops 1)))
pcap=/tmp/${TOPO_PREFIX}wfq.$$.pcap
ip netns exec "$(topo_ns h2)" tcpdump -i eth0 -nn -U -w "$pcap" udp 2>/dev/null &
tcpd=$!
sleep 1
read -r hi lo <<<"$(two_flows 3000 2000 3000 2000)"
kill -TERM $tcpd 2>/dev/null || true
wait $tcpd 2>/dev/null || true
echo "received: weight 3: $hi, weight 1: $lo"
expect_eq "weight 3: every datagram arrives" "$hi" 3000
expect_eq "weight 1: every datagram arrives" "$lo" 3000
expect_eq "no scheduler drop" "$(($(sched_drops 0) + $(sched_drops 1) - drops0))" 0
# Departure order at the receiver: 1 per weight-3 packet, 0 per weight-1.
tcpdump -r "$pcap" -nn -q 2>/dev/null |
	awk -v hi=$HI '/ UDP/ { print ($5 ~ ("\\." hi ":$")) ? 1 : 0 }' >"$pcap.order"
rm -f "$pcap"
share=$(awk '{ o[NR] = $1; if ($1) lh = NR; else ll = NR }
	END { e = lh < ll ? lh : ll; for (i = 1; i <= e; i++) n += o[i];
	      printf "%.3f %d", e ? n / e : 0, e }' "$pcap.order")
rm -f "$pcap.order"
echo "weight-3 share while both flows were backlogged: ${share% *} over ${share#* } packets"
check "wfq share ${share% *} within 0.75 +- 0.05" \
	awk -v s="${share% *}" 'BEGIN { exit !(s >= 0.70 && s <= 0.80) }'

echo "-- a policy object loaded at runtime"
check "p4xsk sched load dp1 lstf.so" \
	"$P4XSK" --sock "$SOCK" sched load dp1 "$OBJ" slack_us=500
expect_eq "policy" "$(sched_json | jq -r '.sched[0].policy')" lstf
check "a bad policy is refused" \
	bash -c "! '$P4XSK' --sock '$SOCK' sched set dp1 nosuch 2>/dev/null"
expect_eq "and changes nothing" "$(sched_json | jq -r '.sched[0].policy')" lstf
expect_eq "UDP through the object's policy" "$(udp_through h1 $TOPO_H2_IP 300)" 300

echo "-- link down with a backlog"
"$P4XSK" --sock "$SOCK" sched set dp1 fifo >/dev/null
flush0=$(sched_json | jq '.sched[0].total.drops.flush')
in_h2 "$UDP" recv $LO 6 >/dev/null &
rpid=$!
in_h1 "$UDP" send $TOPO_H2_IP $LO 10000 5000 >/dev/null &
spid=$!
for i in $(seq 50); do
	[ "$(sched_json | jq '.sched[0].total.backlog_pkts')" -ge 256 ] && break
	sleep 0.05
done
backlog=$(sched_json | jq '.sched[0].total.backlog_pkts')
expect_ge "backlog before the link goes down" "$backlog" 256
in_dp ip link set dp1 down
for i in $(seq 50); do
	[ "$(sched_json | jq '.sched[0].link_up')" = false ] && break
	sleep 0.1
done
wait $spid || true
sleep 0.3
flushed=$(($(sched_json | jq '.sched[0].total.drops.flush') - flush0))
echo "flushed $flushed (backlog was $backlog)"
expect_eq "link down seen" "$(sched_json | jq '.sched[0].link_up')" false
expect_ge "flushed and counted" "$flushed" 1
expect_eq "nothing left queued" "$(sched_json | jq '.sched[0].total.backlog_pkts')" 0
expect_ge "dp0 counts port_down drops" "$(port_field dp0 .drops.port_down)" "$flushed"
wait $rpid || true
in_dp ip link set dp1 up
for i in $(seq 50); do
	[ "$(sched_json | jq '.sched[0].link_up')" = true ] && break
	sleep 0.1
done
expect_eq "link up again" "$(sched_json | jq '.sched[0].link_up')" true
expect_eq "UDP after the link is back" "$(udp_through h1 $TOPO_H2_IP 300)" 300
check "p4xskd still running" kill -0 "$TOPO_DAEMON_PID"
int_done
