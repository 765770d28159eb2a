#!/usr/bin/env bash
# p4xskd + p4xsk end to end, no ports and no privileges needed: start the
# daemon on a temporary socket, query it, refuse a second daemon on the
# same socket, recover the socket after a crash (SIGKILL), and stop
# cleanly on SIGTERM (exit 0, socket removed).
# Usage: e2e.sh P4XSKD P4XSK
set -euo pipefail

P4XSKD=${1:?usage: e2e.sh P4XSKD P4XSK}
P4XSK=${2:?usage: e2e.sh P4XSKD P4XSK}
DIR=$(mktemp -d /tmp/p4xd-e2e.XXXXXX)
SOCK=$DIR/ctl.sock
PID=

cleanup() {
	if [ -n "$PID" ]; then kill -KILL "$PID" 2>/dev/null || true; fi
	rm -rf "$DIR"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*"
	[ -f "$DIR/log" ] && { echo "--- p4xskd log"; cat "$DIR/log"; }
	exit 1
}

# start [ARGS]: p4xskd in the background (default: socket and log level
# as flags); wait (bounded) until it answers.
start() {
	if [ $# -eq 0 ]; then set -- --sock "$SOCK" --log-level debug; fi
	"$P4XSKD" "$@" >>"$DIR/log" 2>&1 &
	PID=$!
	for _ in $(seq 100); do
		"$P4XSK" --sock "$SOCK" show status >/dev/null 2>&1 && return 0
		kill -0 "$PID" 2>/dev/null || fail "p4xskd exited at start"
		sleep 0.1
	done
	fail "p4xskd did not answer within 10 s"
}

start
status=$("$P4XSK" --sock "$SOCK" show status)
grep -q "^p4xskd .* protocol 1 pid $PID uptime " <<<"$status" ||
	fail "show status: '$status'"
grep -q "^program fwd ports 0 workers 0$" <<<"$status" ||
	fail "show status: '$status'"
json=$(P4XSK_SOCK=$SOCK "$P4XSK" -j show ports)
[ "$json" = '{"ports":[]}' ] || fail "-j show ports: '$json'"
json=$("$P4XSK" --sock "$SOCK" -j show workers)
[ "$json" = '{"workers":[]}' ] || fail "-j show workers: '$json'"
echo "ok: show status, -j show ports, -j show workers"

rc=0
out=$("$P4XSKD" --sock "$SOCK" 2>&1) || rc=$?
[ "$rc" -eq 1 ] || fail "second daemon: exit $rc, want 1"
[ "$out" = "p4xskd: another p4xskd already serves $SOCK" ] ||
	fail "second daemon said '$out'"
"$P4XSK" --sock "$SOCK" show status >/dev/null ||
	fail "first daemon stopped answering"
echo "ok: second daemon refused: $out"

rc=0
out=$("$P4XSK" --sock "$SOCK" show ports nosuch 2>&1) || rc=$?
[ "$rc" -eq 1 ] && [ "$out" = "p4xsk: no port named 'nosuch'" ] ||
	fail "show ports nosuch: exit $rc, '$out'"
echo "ok: daemon-side error: $out"

kill -KILL "$PID"
wait "$PID" 2>/dev/null || true
PID=
[ -S "$SOCK" ] || fail "no stale socket left after SIGKILL"
printf '{ "sock": "%s", "log_level": "debug", "ports": [] }\n' "$SOCK" \
	>"$DIR/p4xskd.json"
start -c "$DIR/p4xskd.json"
echo "ok: restarted over a stale socket, configured by a JSON file"

kill -TERM "$PID"
rc=0
wait "$PID" || rc=$?
PID=
[ "$rc" -eq 0 ] || fail "exit code $rc after SIGTERM, want 0"
[ ! -e "$SOCK" ] || fail "socket $SOCK left behind"
grep -q "received signal 15, stopping" "$DIR/log" || fail "no stop log line"
rc=0
out=$("$P4XSK" --sock "$SOCK" show status 2>&1) || rc=$?
[ "$rc" -eq 1 ] && [ "$out" = "p4xsk: cannot connect to p4xskd at $SOCK: No such file or directory" ] ||
	fail "after stop: exit $rc, '$out'"
echo "ok: clean stop on SIGTERM, socket removed"
echo "all checks passed"
