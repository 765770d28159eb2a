#!/usr/bin/env bash
# p4template and p4ctrl through p4xskd, with no ports and no privileges:
# a pipeline accepts entries only once sealed; every rejected command of
# issue 3 says what and where and leaves every table exactly as it was
# (bad key value, duplicate in a batch, full table, read-only table,
# oversized batch, bad filter); and the CLI grammar round-trips (what get
# prints is accepted back as a key or a param value).
# Usage: p4ctrl.sh P4XSKD P4XSK TESTDATA_P4TC
set -euo pipefail

P4XSKD=${1:?usage: p4ctrl.sh P4XSKD P4XSK TESTDATA}
P4XSK=${2:?}
TESTDATA=${3:?}
DIR=$(mktemp -d /tmp/p4xd-p4ctrl.XXXXXX)
SOCK=$DIR/ctl.sock
PID=

cleanup() {
	if [ -n "$PID" ]; then kill -TERM "$PID" 2>/dev/null || true; fi
	rm -rf "$DIR"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*"
	[ -f "$DIR/log" ] && { echo "--- p4xskd log"; cat "$DIR/log"; }
	exit 1
}

P() { "$P4XSK" --sock "$SOCK" "$@"; }

"$P4XSKD" --sock "$SOCK" --log-level debug >>"$DIR/log" 2>&1 &
PID=$!
for _ in $(seq 100); do
	P show status >/dev/null 2>&1 && break
	kill -0 "$PID" 2>/dev/null || fail "p4xskd exited at start"
	sleep 0.1
done

export INTROSPECTION=$TESTDATA/routing
T=routing/table/Main

# expect_err WANT CMD...: CMD exits 1 and prints exactly "p4xsk: WANT".
expect_err() {
	local want=$1 rc=0 out
	shift
	out=$("$@" 2>&1) || rc=$?
	[ "$rc" -eq 1 ] || fail "$*: exit $rc, want 1 ($out)"
	[ "$out" = "p4xsk: $want" ] || fail "$*: said '$out', want 'p4xsk: $want'"
}

# Both routing tables as JSON, without the ages (they tick).
snapshot() {
	for t in nh_table fib_table; do P -j p4ctrl get "$T/$t"; done |
		python3 -c '
import json, sys
for line in sys.stdin:
    doc = json.loads(line)
    for e in (doc[1]["entries"] if doc else []):
        for k in ("created", "updated", "last_used"):
            e.pop(k)
    print(json.dumps(doc, sort_keys=True))'
}

count() {
	P -j p4ctrl get "$T/$1" |
		python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d[1]["entries"]) if d else 0)'
}

# --- sealing ---------------------------------------------------------------
P p4template create pipeline/routing numtables 2
expect_err "pipeline routing is not sealed" \
	P p4ctrl create $T/nh_table nh_index 1 action drop
P p4template delete pipeline/routing
TC="$P4XSK --sock $SOCK" bash "$TESTDATA/routing/routing.template" \
	>"$DIR/tmpl.log" 2>&1 || fail "routing.template: $(cat "$DIR/tmpl.log")"
P -j p4template get pipeline/routing | grep -q '"sealed":true' ||
	fail "routing not sealed after its template"
expect_err "routing/Main/late: pipeline routing is sealed" \
	P p4template create action/routing/Main/late actid 9
echo "ok: entries only after 'state ready'; template runs through TC=p4xsk"

# --- a few entries ---------------------------------------------------------
P p4ctrl create $T/fib_table prefix 10.0.0.0/8 action set_nhid param index 1
P p4ctrl create $T/fib_table prefix 192.168.0.0/16 action set_nhid param index 2
P p4ctrl create $T/nh_table nh_index 1 action set_nh \
	param dmac 00:11:22:33:44:55 param port lo
P p4ctrl create $T/nh_table entry nh_index 3 action drop \
	entry nh_index 4 action set_nh param dmac 02:00:00:00:00:04 param port 1
S0=$(snapshot)
[ "$(count nh_table)" = 3 ] && [ "$(count fib_table)" = 2 ] ||
	fail "entries: $S0"

# --- errors: what and where, nothing changes -------------------------------
expect_err "key field prefix: 10.0.0.300 is not an ipv4 address" \
	P p4ctrl create $T/fib_table prefix 10.0.0.300/8 action set_nhid param index 1
expect_err "batch entry 3 of 5: duplicate key" \
	P p4ctrl create $T/nh_table entry nh_index 10 action drop \
	entry nh_index 11 action drop entry nh_index 1 action drop \
	entry nh_index 12 action drop entry nh_index 13 action drop
expect_err "batch entry 2 of 2: duplicate key" \
	P p4ctrl create $T/nh_table entry nh_index 20 action drop \
	entry nh_index 20 action drop
expect_err "batch entry 2 of 3: key field nh_index: x is not a bit32 value" \
	P p4ctrl create $T/nh_table entry nh_index 21 action drop \
	entry nh_index x action drop entry nh_index 22 action drop
expect_err "batch entry 2 of 2: no such entry in table nh_table" \
	P p4ctrl delete $T/nh_table entry nh_index 3 entry nh_index 99
expect_err "p4ctrl: a batch holds at most 16 entries" \
	P p4ctrl create $T/nh_table $(for i in $(seq 30 46); do
		echo entry nh_index $i action drop; done)
expect_err "table Main/nh_table: action set_nhid is not in table_acts" \
	P p4ctrl create $T/nh_table nh_index 23 action set_nhid param index 1
expect_err "filter: unknown key field nh_idx (fields: nh_index)" \
	P p4ctrl get $T/nh_table filter key.nh_idx == 1
[ "$(snapshot)" = "$S0" ] || fail "a rejected command changed a table"
echo "ok: bad value, duplicate key (with the existing table and within a batch), missing entry, batch > 16, action, filter: nothing changed"

# simple_l3 names its key field dstAddr (ipv4, exact)
INTROSPECTION=$TESTDATA/simple_l3 TC="$P4XSK --sock $SOCK" \
	bash "$TESTDATA/simple_l3/simple_l3.template" >"$DIR/tmpl.log" 2>&1 ||
	fail "simple_l3.template: $(cat "$DIR/tmpl.log")"
INTROSPECTION=$TESTDATA/simple_l3 expect_err \
	"key field dstAddr: 10.0.0.300 is not an ipv4 address" \
	P p4ctrl create simple_l3/table/ingress/nh_table dstAddr 10.0.0.300 \
	action drop

# full: 1021 more entries fill nh_table (tentries 1024)
for b in $(seq 0 62); do
	args=()
	for i in $(seq 0 15); do
		args+=(entry nh_index $((1000 + b * 16 + i)) action drop)
	done
	P p4ctrl create $T/nh_table "${args[@]}"
done
P p4ctrl create $T/nh_table nh_index 2100 action drop
P p4ctrl create $T/nh_table nh_index 2101 action drop
[ "$(count nh_table)" = 1013 ] || fail "fill: $(count nh_table) entries"
args=()
for i in $(seq 1 11); do args+=(entry nh_index $((3000 + i)) action drop); done
args+=(entry nh_index 3100 action drop)
expect_err "batch entry 12 of 12: table nh_table is full (1024 entries)" \
	P p4ctrl create $T/nh_table "${args[@]}"
[ "$(count nh_table)" = 1013 ] || fail "a rejected batch left entries"
P p4ctrl create $T/nh_table "${args[@]:0:55}"
expect_err "table nh_table is full (1024 entries)" \
	P p4ctrl create $T/nh_table nh_index 3100 action drop
P p4ctrl delete $T/nh_table filter key.nh_index '>=' 1000
S1=$(snapshot)
[ "$S1" = "$S0" ] || fail "filtered flush left: $S1"
echo "ok: table full (in a batch: nothing added), filtered flush"

# read-only: the routing template with nh_table's permissions 0x1024
mkdir "$DIR/ro"
sed 's/routing/rorouting/g; 0,/permissions 0x3da4/s//permissions 0x1024/' \
	"$TESTDATA/routing/routing.template" >"$DIR/ro/rorouting.template"
sed 's/"routing"/"rorouting"/' "$TESTDATA/routing/routing.json" \
	>"$DIR/ro/rorouting.json"
INTROSPECTION=$DIR/ro TC="$P4XSK --sock $SOCK" \
	bash "$DIR/ro/rorouting.template" >"$DIR/tmpl.log" 2>&1 ||
	fail "rorouting.template: $(cat "$DIR/tmpl.log")"
INTROSPECTION=$DIR/ro expect_err \
	"permission denied: table is read-only for the control plane (table Main/nh_table, permissions 0x1024)" \
	P p4ctrl create rorouting/table/Main/nh_table nh_index 1 action drop
INTROSPECTION=$DIR/ro P -j p4ctrl get rorouting/table/Main/nh_table \
	>/dev/null || fail "read-only table cannot be read"
P p4ctrl create $T/nh_table nh_index 7 permissions 0x1024 action drop
expect_err "entry permissions 0x1024 do not allow deletes" \
	P p4ctrl delete $T/nh_table nh_index 7
P p4ctrl delete $T/nh_table
[ "$(count nh_table)" = 1 ] || fail "flush deleted a read-only entry"
echo "ok: read-only table, read-only entry (kept by a flush)"

# --- grammar round trips ---------------------------------------------------
P p4ctrl create $T/nh_table nh_index 1 action set_nh \
	param dmac 00:11:22:33:44:55 param port lo
P -j p4ctrl get $T/nh_table nh_index 1 >"$DIR/nh1.json"
read -r dmac port < <(python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))[1]["entries"][0]["actions"]["actions"][0]["params"]
print(p[0]["value"], p[1]["value"])' "$DIR/nh1.json")
[ "$dmac $port" = "00:11:22:33:44:55 lo" ] || fail "params printed as $dmac $port"
P p4ctrl create $T/nh_table nh_index 2 action set_nh param dmac "$dmac" \
	param port "$port"
P p4ctrl get $T/nh_table nh_index 2 | grep -q "dmac type macaddr value: $dmac id 1" ||
	fail "params did not round-trip"
P p4ctrl get $T/fib_table | grep -o 'fieldval .*' | while read -r _ val; do
	P -j p4ctrl get $T/fib_table prefix "$val" | grep -q "\"fieldval\":\"$val\"" ||
		fail "key $val did not round-trip"
done
P p4ctrl create $T/fib_table prefix 10.1.0.0/0xffff0000 prio 9 action set_nhid param index 7
P p4ctrl get $T/fib_table prefix 10.1.0.0/16 prio 9 | grep -q "fieldval 10.1.0.0/16" ||
	fail "mask form did not round-trip"
P p4ctrl update $T/fib_table prefix 10.1.0.0/16 prio 9 action set_nhid param index 8
P -j p4ctrl get $T/fib_table prefix 10.1.0.0/16 prio 9 | grep -q '"value":8' ||
	fail "update did not apply"
echo "ok: printed keys and params are accepted back"
echo "all checks passed"
