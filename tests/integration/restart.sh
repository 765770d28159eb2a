#!/usr/bin/env bash
# Daemon restart: a clean stop detaches everything and a new daemon works;
# after a crash (SIGKILL) the stale XDP program is detected and replaced.
. "$(dirname "$0")/lib.sh" "$1" p4xi-rst-

xdp_prog_id() { in_dp ip -j link show "$1" | jq -r '.[0].xdp.prog.id // empty'; }

topo_create 1
check "first p4xskd starts" topo_start_daemon "$SOCK"
expect_eq "UDP through the first daemon" "$(udp_through h1 $TOPO_H2_IP 300)" 300
check "clean stop" topo_stop_daemon
expect_eq "no XDP program left on dp0" "$(xdp_prog_id dp0)" ""

check "second p4xskd starts" topo_start_daemon "$SOCK"
expect_eq "UDP through the second daemon" "$(udp_through h1 $TOPO_H2_IP 300)" 300
old=$(xdp_prog_id dp0)
kill -KILL "$TOPO_DAEMON_PID"
wait "$TOPO_DAEMON_PID" 2>/dev/null || true
TOPO_DAEMON_PID=
expect_eq "crashed daemon left its program on dp0" "$(xdp_prog_id dp0)" "$old"

out=$(in_dp timeout 10 "$P4XSKD" --sock "$SOCK" --port dp0 --port dp1 2>&1) && rc=0 || rc=$?
expect_eq "without --replace-stale the stale program is refused" "$rc" 1
check "the refusal names the stale program and the flag" \
	grep -q "replace-stale" <<<"$out"
check "third p4xskd starts over the stale program and socket" \
	topo_start_daemon "$SOCK" --replace-stale
check "it said it replaced the stale program" grep -qi "stale" "$TOPO_LOG"
new=$(xdp_prog_id dp0)
check "dp0 carries a new program ($old -> $new)" test -n "$new" -a "$new" != "$old"
expect_eq "UDP through the third daemon" "$(udp_through h1 $TOPO_H2_IP 300)" 300
int_done
