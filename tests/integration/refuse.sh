#!/usr/bin/env bash
# p4xskd refuses to start, with a clear error and exit code 1, when an
# interface is missing, has fewer queues than asked, or carries a program
# that is not ours; and it leaves the interfaces as they were.
. "$(dirname "$0")/lib.sh" "$1" p4xi-ref-

topo_create 1
# refuse EXPECTED-MESSAGE-REGEX ARGS...: run p4xskd, expect exit 1 + message.
refuse() {
	local want=$1 out rc=0
	shift
	out=$(in_dp timeout 10 "$P4XSKD" --sock "$SOCK" "$@" 2>&1) || rc=$?
	expect_eq "exit code for: $*" "$rc" 1
	if grep -qiE "$want" <<<"$out"; then ok "message: $out"; else fail "message '$out' lacks /$want/"; fi
}

refuse "nosuch0.*(no such|not found|missing)" --port nosuch0 --port dp1
refuse "dp0.*queue" --port dp0:4 --port dp1
check "nothing attached after the refusals" \
	bash -c "! ip -n $(topo_ns dp) link show | grep -q 'prog/xdp'"

# A foreign XDP program on dp1.
in_dp ip link set dev dp1 xdpgeneric obj "$INT_BUILD/tests/integration/xdp_pass.bpf.o" sec xdp
check "foreign program attached to dp1" bash -c "ip -n $(topo_ns dp) link show dp1 | grep -q xdp"
refuse "dp1.*(program|xdp)" --port dp0 --port dp1
check "foreign program still on dp1" bash -c "ip -n $(topo_ns dp) link show dp1 | grep -q xdp"
check "dp0 left clean" bash -c "! ip -n $(topo_ns dp) link show dp0 | grep -q xdp"
int_done
