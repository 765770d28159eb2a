#!/bin/bash
# Runs test_rtnl inside a namespace made for it (p4xn-rtnl-PID), deleted by
# name on exit, pass or fail. Usage: rtnl.sh TEST_BINARY
set -euo pipefail

BIN=${1:?usage: rtnl.sh TEST_BINARY}
NS=p4xn-rtnl-$$
TMP=$(mktemp -d /tmp/p4xn-rtnl.XXXXXX)

cleanup() {
	ip netns del "$NS" 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT

[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (network namespaces)"; exit 77; }
ip netns add "$NS" || { echo "SKIP: cannot create a network namespace"; exit 77; }
ip -n "$NS" link add p4xn-probe type veth peer name p4xn-probep 2>/dev/null ||
	{ echo "SKIP: kernel lacks the veth link type"; exit 77; }
ip -n "$NS" link del p4xn-probe
ip netns exec "$NS" "$BIN" "$TMP"
