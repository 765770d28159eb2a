#!/usr/bin/env bash
# p4xskd --bridge rtnl:examples/bridge/routing.json with the routing P4
# program on two AF_XDP veth ports: the kernel's routes, neighbours and
# links land in routing's fib_table/nh_table (checked through
# `p4xsk -j p4ctrl get`), `p4xsk bridge diff` is empty after every step,
# packets follow (ping through the dataplane), local writes are refused,
# a full table shows up in the diff, an overrun (100k routes while the
# daemon is stopped, small buffer) resyncs, and a restart converges.
# --bridge p4tc reports the kernel without P4TC.
# Usage: bridge_daemon.sh BUILD_ROOT
set -euo pipefail

B=${1:?usage: bridge_daemon.sh BUILD_ROOT}
SRC=$(cd "$(dirname "$0")/../../.." && pwd)
P4XSKD=$B/dataplane/daemon/p4xskd
P4XSK=$B/dataplane/daemon/p4xsk
PFX=p4xg-$$
DP=$PFX-dp H1=$PFX-h1 H2=$PFX-h2
DIR=$(mktemp -d /tmp/p4xg-bridge.XXXXXX)
SOCK=$DIR/ctl.sock
DPID=

cleanup() {
	[ -n "$DPID" ] && kill -TERM "$DPID" 2>/dev/null && wait "$DPID" || true
	for n in "$DP" "$H1" "$H2"; do ip netns del "$n" 2>/dev/null || true; done
	rm -rf "$DIR"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*"
	echo "--- p4xskd log"; tail -n 40 "$DIR/d.log" 2>/dev/null || true
	echo "--- bridge status"; x bridge status 2>&1 || true
	exit 1
}

in_dp() { ip netns exec "$DP" "$@"; }
x() { in_dp "$P4XSK" --sock "$SOCK" "$@"; }

ip netns add "$DP" && ip netns add "$H1" && ip netns add "$H2"
in_dp ip link add dp0 type veth peer name eth0 netns "$H1"
in_dp ip link add dp1 type veth peer name eth0 netns "$H2"
# one router MAC on both ports: the host path's TAPs take the ports' MACs,
# and the binding's host next hop writes this one
for d in dp0 dp1; do in_dp ip link set "$d" address 02:00:00:00:00:01; done
in_dp ip addr add 10.1.0.1/24 dev dp0
in_dp ip addr add 10.2.0.1/24 dev dp1
for d in lo dp0 dp1; do in_dp ip link set "$d" up; done
in_dp sysctl -qw net.ipv4.ip_forward=1
for h in 1 2; do
	ns=$PFX-h$h
	ip -n "$ns" addr add 10.$h.0.2/24 dev eth0
	ip -n "$ns" link set eth0 up
	ip -n "$ns" link set lo up
	ip -n "$ns" route add default via 10.$h.0.1
	ip netns exec "$ns" ethtool -K eth0 tx off >/dev/null
done

# A copy of the routing program whose tables hold 256k entries (the
# example's hold 1024).
mkdir "$DIR/big" && cp -r "$SRC/examples/routing" "$DIR/big/"
BIG=$DIR/big/routing
sed -i 's/tentries 1024/tentries 262144/' "$BIG/routing.template"
sed -i 's/"tentries" : 1024/"tentries" : 262144/' "$BIG/routing.json"

# start PROGRAM_DIR [extra flags]: the daemon, answering (bounded wait)
start() {
	local prog=$1
	shift
	# not through in_dp: $! must be the daemon (ip netns exec execs it)
	ip netns exec "$DP" "$P4XSKD" --sock "$SOCK" -i dp0 -i dp1 --program "$prog" \
		--bridge "rtnl:$SRC/examples/bridge/routing.json" \
		--bridge p4tc "$@" >>"$DIR/d.log" 2>&1 &
	DPID=$!
	for _ in $(seq 100); do
		x bridge status 2>/dev/null | grep -q "^rtnl: synced" && return 0
		sleep 0.1
	done
	fail "p4xskd did not sync"
}

stop() {
	kill -TERM "$DPID"
	wait "$DPID" || fail "p4xskd exited with $?"
	DPID=
}

# The FIB as the engine holds it: "prefix dmac port", one per line, sorted.
fib() {
	x -j p4ctrl get routing/table/Main/fib_table >"$DIR/fib.json"
	x -j p4ctrl get routing/table/Main/nh_table >"$DIR/nh.json"
	python3 - "$DIR/fib.json" "$DIR/nh.json" <<'EOF'
import json, sys

def entries(path):
    d = json.load(open(path))
    return d[1]["entries"] if d else []

def params(e):
    a = e["actions"]["actions"][0]
    return a["kind"].split("/")[-1], {p["name"]: p["value"] for p in a.get("params", [])}

nh = {}
for e in entries(sys.argv[2]):
    nh[e["key"][0]["fieldval"]] = params(e)
out = []
for e in entries(sys.argv[1]):
    act, p = params(e)
    kind, np = nh.get(str(p["index"]), ("miss", {}))
    if kind == "set_nh":
        to = "host" if np["port"] == "0" else np["dmac"] + " " + np["port"]
    else:
        to = kind
    pfx = e["key"][0]["fieldval"]
    out.append((pfx if "/" in pfx else pfx + "/32") + " " + to)
print("\n".join(sorted(out)))
EOF
}

# expect_fib LINE...: exactly these FIB lines (after a bounded wait)
expect_fib() {
	local want got
	want=$(printf '%s\n' "$@" | sort)
	for _ in $(seq 50); do
		got=$(fib)
		[ "$got" = "$want" ] && return 0
		sleep 0.1
	done
	fail "FIB differs: got
$got
want
$want"
}

no_diff() {
	local out
	out=$(x bridge diff 2>&1) || fail "bridge diff after $1: $out"
	[ -z "$out" ] || fail "bridge diff after $1 printed: $out"
	echo "ok: $1 (diff empty)"
}

counter() { # counter SECTION KEY: from bridge status -j (rtnl source)
	x -j bridge status | python3 -c "import json,sys
d=json.load(sys.stdin)['bridge'][0]; print(d['$1']['$2'])"
}

mac_of() { ip -n "$1" -br link show eth0 | awk '{print $3}'; }
H1MAC=$(mac_of "$H1")
H2MAC=$(mac_of "$H2")
HOSTS=("10.1.0.0/24 host" "10.2.0.0/24 host")

# ---- bad bindings (no ports) ----------------------------------------------
# a malformed file stops the daemon at start, saying where and why
printf '{"pipeline": "routing", "fib": {}, "nexthop": {}, "x": 1}\n' \
	>"$DIR/bad.json"
out=$(ip netns exec "$DP" "$P4XSKD" --sock "$SOCK" \
	--bridge "rtnl:$DIR/bad.json" 2>&1) && fail "a malformed binding started"
[ "$out" = "p4xskd: --bridge rtnl: $DIR/bad.json: binding: unknown key 'x'" ] ||
	fail "malformed binding: $out"
# a binding naming a table the program lacks: the source fails, with why
sed 's|Main/nh_table|Main/nh|' "$SRC/examples/bridge/routing.json" \
	>"$DIR/notable.json"
ip netns exec "$DP" "$P4XSKD" --sock "$SOCK" --program "$SRC/examples/routing" \
	--bridge "rtnl:$DIR/notable.json" >>"$DIR/d.log" 2>&1 &
DPID=$!
for _ in $(seq 100); do
	x bridge status 2>/dev/null | grep -q "^rtnl: failed" && break
	sleep 0.1
done
x bridge status | grep -q "last error: $DIR/notable.json: no table routing/Main/nh$" ||
	fail "binding without its table: $(x bridge status 2>&1)"
x p4ctrl create routing/table/Main/nh_table nh_index 9 action drop ||
	fail "a failed source keeps authority over its tables"
stop
echo "ok: bad bindings refused with what, where and why"

# ---- waiting for the pipeline, pipeline recreated (no ports) -------------
ip netns exec "$DP" "$P4XSKD" --sock "$SOCK" \
	--bridge "rtnl:$SRC/examples/bridge/routing.json" >>"$DIR/d.log" 2>&1 &
DPID=$!
for _ in $(seq 100); do
	x bridge status 2>/dev/null | grep -q "^rtnl: waiting" && break
	sleep 0.1
done
x bridge status | grep -q "^rtnl: waiting" || fail "not waiting for routing"
template() {
	INTROSPECTION=$SRC/examples/routing TC="$P4XSK --sock $SOCK" \
		ip netns exec "$DP" bash "$SRC/examples/routing/routing.template" \
		>>"$DIR/template.log" 2>&1 || fail "routing.template"
}
template
# no port is served: every route goes to the host
expect_fib "10.1.0.0/24 host" "10.2.0.0/24 host"
no_diff "the pipeline sealed after the daemon started"
x p4template delete pipeline/routing >/dev/null
template
expect_fib "10.1.0.0/24 host" "10.2.0.0/24 host"
no_diff "the pipeline deleted and created again"
stop

# ---- phase 1: the example program (1024-entry tables) --------------------
start "$SRC/examples/routing"
x bridge status | grep -q "^p4tc: unavailable" || fail "p4tc status"
x bridge status | grep -q "the kernel has no P4TC" || fail "p4tc reason"
grep -q "bridge p4tc: the kernel has no P4TC" "$DIR/d.log" ||
	fail "p4tc log line"
echo "ok: --bridge p4tc: the kernel has no P4TC, said once in the log and in status"
expect_fib "${HOSTS[@]}"
no_diff "start"

# packets: the first one resolves through the host, then the dataplane
ip netns exec "$H1" ping -c 3 -i 0.2 -W 2 10.2.0.2 >/dev/null ||
	fail "ping h1 -> h2"
expect_fib "${HOSTS[@]}" "10.1.0.2/32 $H1MAC dp0" "10.2.0.2/32 $H2MAC dp1"
tx0=$(x -j show ports | python3 -c "import json,sys
print(json.load(sys.stdin)['ports'][1]['counters']['tx_packets'])")
ip netns exec "$H1" ping -c 5 -i 0.1 -W 2 10.2.0.2 >/dev/null ||
	fail "ping h1 -> h2 (resolved)"
tx1=$(x -j show ports | python3 -c "import json,sys
print(json.load(sys.stdin)['ports'][1]['counters']['tx_packets'])")
[ $((tx1 - tx0)) -ge 5 ] || fail "pings did not leave through dp1 ($tx0 -> $tx1)"
no_diff "neighbours resolved by traffic; 5 pings forwarded by the dataplane"
BASE=("${HOSTS[@]}" "10.1.0.2/32 $H1MAC dp0" "10.2.0.2/32 $H2MAC dp1")

# authority
out=$(x p4ctrl create routing/table/Main/nh_table nh_index 9 action drop 2>&1) &&
	fail "a local write to a mirrored table was accepted"
[ "$out" = "p4xsk: table routing/Main/nh_table is mirrored from the kernel (rtnl): local writes are refused" ] ||
	fail "authority message: $out"
out=$(x p4ctrl delete routing/table/Main/fib_table 2>&1) &&
	fail "a local flush of a mirrored table was accepted"
x p4ctrl get routing/table/Main/nh_table nh_index 0 >/dev/null ||
	fail "a read of a mirrored table failed"
echo "ok: local writes refused naming the source, reads work"

# routes: add, replace, ECMP, blackhole, unreachable, unresolved, del;
# the add is seen by a monitor of the FIB as p4ctrl's writes are
x -j monitor p4 events routing/table/Main/fib_table count 1 timeout 20 \
	>"$DIR/ev.json" 2>"$DIR/mon.log" &
MON=$!
for _ in $(seq 100); do
	grep -q "monitoring" "$DIR/mon.log" && break
	sleep 0.1
done
in_dp ip route add 10.50.0.0/16 via 10.2.0.2
wait "$MON" || fail "monitor: $(cat "$DIR/mon.log")"
grep -q '"event":"create".*"fieldval":"10.50.0.0/16"' "$DIR/ev.json" ||
	fail "no create event for 10.50.0.0/16: $(cat "$DIR/ev.json")"
expect_fib "${BASE[@]}" "10.50.0.0/16 $H2MAC dp1"
no_diff "route add (a create event to the monitor)"
in_dp ip route replace 10.50.0.0/16 via 10.1.0.2
expect_fib "${BASE[@]}" "10.50.0.0/16 $H1MAC dp0"
no_diff "route replace"
ip -n "$H1" addr add 10.50.0.1/32 dev lo
ip netns exec "$H2" ping -c 2 -i 0.2 -W 2 10.50.0.1 >/dev/null ||
	fail "ping through the replaced route"
in_dp ip route add 10.60.0.0/16 nexthop via 10.2.0.2 weight 1 \
	nexthop via 10.1.0.2 weight 3
in_dp ip route add blackhole 10.70.0.0/16
in_dp ip route add unreachable 10.90.0.0/16
in_dp ip route add 10.80.0.0/16 via 10.2.0.77
expect_fib "${BASE[@]}" "10.50.0.0/16 $H1MAC dp0" \
	"10.60.0.0/16 $H2MAC dp1" "10.70.0.0/16 drop" "10.90.0.0/16 host" \
	"10.80.0.0/16 host"
no_diff "ECMP (first next hop), blackhole, unreachable, unresolved gateway"
in_dp ip route replace 10.60.0.0/16 nexthop via 10.1.0.2 nexthop via 10.2.0.2
expect_fib "${BASE[@]}" "10.50.0.0/16 $H1MAC dp0" \
	"10.60.0.0/16 $H1MAC dp0" "10.70.0.0/16 drop" "10.90.0.0/16 host" \
	"10.80.0.0/16 host"
no_diff "ECMP replace"

# neighbours: the unresolved gateway completes, changes, fails, goes
in_dp ip neigh add 10.2.0.77 lladdr 02:aa:00:00:00:77 dev dp1 nud permanent
R=("${BASE[@]}" "10.50.0.0/16 $H1MAC dp0" "10.60.0.0/16 $H1MAC dp0"
	"10.70.0.0/16 drop" "10.90.0.0/16 host")
expect_fib "${R[@]}" "10.80.0.0/16 02:aa:00:00:00:77 dp1" \
	"10.2.0.77/32 02:aa:00:00:00:77 dp1"
no_diff "neigh add completes the next hop"
in_dp ip neigh change 10.2.0.77 lladdr 02:aa:00:00:00:78 dev dp1 nud reachable
expect_fib "${R[@]}" "10.80.0.0/16 02:aa:00:00:00:78 dp1" \
	"10.2.0.77/32 02:aa:00:00:00:78 dp1"
no_diff "neigh change"
in_dp ip neigh change 10.2.0.77 dev dp1 nud failed
expect_fib "${R[@]}" "10.80.0.0/16 host"
no_diff "neigh failed"
in_dp ip neigh replace 10.2.0.77 lladdr 02:aa:00:00:00:79 dev dp1 nud stale
expect_fib "${R[@]}" "10.80.0.0/16 02:aa:00:00:00:79 dp1" \
	"10.2.0.77/32 02:aa:00:00:00:79 dp1"
in_dp ip neigh del 10.2.0.77 dev dp1
expect_fib "${R[@]}" "10.80.0.0/16 host"
no_diff "neigh del"
for r in 10.50.0.0/16 10.60.0.0/16 10.70.0.0/16 10.90.0.0/16 10.80.0.0/16; do
	in_dp ip route del "$r"
done
expect_fib "${BASE[@]}"
no_diff "route del"

# links: down flushes the routes and neighbours through dp1, up restores
in_dp ip route add 10.50.0.0/16 via 10.2.0.2
expect_fib "${BASE[@]}" "10.50.0.0/16 $H2MAC dp1"
in_dp ip link set dp1 down
expect_fib "10.1.0.0/24 host" "10.1.0.2/32 $H1MAC dp0"
no_diff "link down"
in_dp ip link set dp1 up
for _ in $(seq 50); do
	ip -n "$DP" route show 10.2.0.0/24 | grep -q . && break
	sleep 0.1
done
in_dp ip route add 10.50.0.0/16 via 10.2.0.2
ip netns exec "$H1" ping -c 2 -i 0.2 -W 2 10.2.0.2 >/dev/null ||
	fail "ping h1 -> h2 after link up"
expect_fib "${BASE[@]}" "10.50.0.0/16 $H2MAC dp1"
no_diff "link up"
in_dp ip route del 10.50.0.0/16

# a table that overflows shows in the diff (the 1024-entry FIB)
for i in $(seq 0 1099); do
	echo "route add 10.200.$((i / 256)).$((i % 256))/32 via 10.2.0.2"
done >"$DIR/full.batch"
in_dp ip -batch "$DIR/full.batch"
for _ in $(seq 100); do
	[ "$(counter tables table_errors)" -gt 0 ] && break
	sleep 0.1
done
[ "$(counter tables table_errors)" -gt 0 ] || fail "no table error on a full FIB"
out=$(x bridge diff) && fail "bridge diff exited 0 with a full FIB"
n=$(grep -c "^tables: only in kernel: fib 10.200." <<<"$out" || true)
[ "$n" -eq $((1100 + 4 - 1024)) ] ||
	fail "bridge diff listed $n missing FIB entries, expected 80"
x bridge status | grep -q "last error: .*full" || fail "status: last error"
echo "ok: a full FIB: $n routes listed by bridge diff (exit 1), last error in status"
in_dp ip route flush root 10.200.0.0/16
expect_fib "${BASE[@]}"
stop

# ---- phase 2: restart with 256k-entry tables, overrun --------------------
in_dp ip route add 10.50.0.0/16 via 10.1.0.2
in_dp ip route add blackhole 10.70.0.0/16
start "$BIG" --bridge rtnl-rcvbuf:65536
expect_fib "${BASE[@]}" "10.50.0.0/16 $H1MAC dp0" "10.70.0.0/16 drop"
no_diff "restart after route changes"

N=100000
for i in $(seq 0 $((N - 1))); do
	echo "route add 10.$((128 + i / 65536)).$((i / 256 % 256)).$((i % 256))/32 via 10.2.0.2"
done >"$DIR/big.batch"
kill -STOP "$DPID"
in_dp ip -batch "$DIR/big.batch"
kill -CONT "$DPID"
want=$((N + 6))
for _ in $(seq 300); do
	[ "$(counter tables fib_entries)" -eq "$want" ] && break
	sleep 0.1
done
[ "$(counter tables fib_entries)" -eq "$want" ] ||
	fail "$(counter tables fib_entries) FIB entries, expected $want"
[ "$(counter counters enobufs)" -ge 1 ] || fail "no ENOBUFS with a 64 KB buffer"
x -j bridge status | grep -q '"last_resync_cause":"enobufs"' ||
	fail "last resync cause is not enobufs"
no_diff "100k routes while stopped: ENOBUFS, resync"
stop

# ---- phase 3: restart after deleting half of them -------------------------
head -n $((N / 2)) "$DIR/big.batch" | sed 's/^route add/route del/' \
	>"$DIR/del.batch"
in_dp ip -batch "$DIR/del.batch"
start "$BIG"
want=$((N / 2 + 6))
for _ in $(seq 300); do
	[ "$(counter tables fib_entries)" -eq "$want" ] && break
	sleep 0.1
done
[ "$(counter tables fib_entries)" -eq "$want" ] ||
	fail "$(counter tables fib_entries) FIB entries after restart, expected $want"
no_diff "restart with 50k routes gone"
stop
echo "PASS"
