#!/usr/bin/env bash
# p4c's P4TC STF tests (tests/stf/p4tc/<program>/*.stf) through real
# AF_XDP: `p4xsk stf --veth` builds veth pairs in two namespaces of its own
# (prefix p4xs-stf-), injects with AF_PACKET on the peers and captures
# there. Usage: stf_veth.sh BUILDDIR
set -euo pipefail

build=${1:?usage: stf_veth.sh BUILDDIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
prefix=p4xs-stf-

[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (namespaces, XDP)"; exit 77; }
cleanup() {
	ip netns del "${prefix}dut" 2>/dev/null || true
	ip netns del "${prefix}peer" 2>/dev/null || true
}
trap cleanup EXIT

fails=0
for stf in "$here"/tests/stf/p4tc/*/*.stf; do
	prog=$(basename "$(dirname "$stf")")
	if ! timeout 60 "$build/dataplane/daemon/p4xsk" stf \
		"$here/examples/$prog" "$stf" --veth --prefix "$prefix" \
		--so "$build/examples/$prog/$prog.so"; then
		fails=$((fails + 1))
	fi
done
if ip netns list | grep -q "^$prefix"; then
	echo "FAIL: namespaces left behind"
	fails=$((fails + 1))
fi
[ "$fails" -eq 0 ] || { echo "$fails STF run(s) failed"; exit 1; }
echo "all STF files pass on veth"
