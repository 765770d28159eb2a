# shellcheck shell=bash
# Common prelude of the integration tests: sourced as
#   . lib.sh BUILDDIR PREFIX
# Sets up names, cleanup on exit, and small assertion helpers. Every test
# builds its own topology with its own namespace prefix and removes it by
# name on exit, pass or fail.
set -euo pipefail

INT_BUILD=${1:?usage: TEST BUILDDIR}
TOPO_PREFIX=${2:?prefix}
INT_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/topo.sh
. "$INT_HERE/../topo.sh"

P4XSKD=$INT_BUILD/dataplane/daemon/p4xskd
P4XSK=$INT_BUILD/dataplane/daemon/p4xsk
UDP=$INT_BUILD/tests/tools/p4x-udp
SOCK=/run/p4xsk/${TOPO_PREFIX}sock
TOPO_LOG=$(mktemp "/tmp/${TOPO_PREFIX}log.XXXXXX")
INT_FAILS=0

int_cleanup() {
	topo_stop_daemon >/dev/null 2>&1 || true
	topo_destroy
	if [ "$INT_FAILS" -ne 0 ] && [ -s "$TOPO_LOG" ]; then
		echo "--- p4xskd log"
		cat "$TOPO_LOG"
	fi
	rm -f "$TOPO_LOG"
}
trap int_cleanup EXIT

[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (namespaces, XDP)"; exit 77; }

ok() { echo "ok: $*"; }
fail() {
	echo "FAIL: $*"
	INT_FAILS=$((INT_FAILS + 1))
}
# check DESCRIPTION COMMAND...: run COMMAND, record pass/fail.
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else fail "$what"; fi
}
# expect_eq DESCRIPTION GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1 ($2)"; else fail "$1: got '$2', want '$3'"; fi
}
# expect_ge DESCRIPTION GOT MIN
expect_ge() {
	if [ "$2" -ge "$3" ] 2>/dev/null; then ok "$1 ($2 >= $3)"; else fail "$1: got '$2', want >= $3"; fi
}
int_done() {
	if [ "$INT_FAILS" -ne 0 ]; then
		echo "$INT_FAILS check(s) failed"
		exit 1
	fi
	echo "all checks passed"
}

# ports_json: `p4xsk -j show ports` of the running daemon.
ports_json() { "$P4XSK" --sock "$SOCK" -j show ports; }
# port_field PORT JQ-PATH: one value of one port, e.g. port_field dp1 .counters.tx_packets
port_field() { ports_json | jq -r --arg n "$1" ".ports[] | select(.name == \$n) | $2"; }

# udp_through FROM_HOST TO_IP COUNT [SECONDS]: send COUNT datagrams and print
# how many the other host received within SECONDS (default 10).
udp_through() {
	local from=$1 to=$2 count=$3 secs=${4:-10} other port=9100 out
	if [ "$from" = h1 ]; then other=h2; else other=h1; fi
	out=$(mktemp "/tmp/${TOPO_PREFIX}udp.XXXXXX")
	ip netns exec "$(topo_ns $other)" "$UDP" recv $port "$secs" "$count" >"$out" &
	local rpid=$!
	sleep 0.3
	ip netns exec "$(topo_ns $from)" "$UDP" send "$to" $port "$count" 50000 >/dev/null
	wait $rpid || true
	awk '/^received/ {print $2}' "$out"
	rm -f "$out"
}
