#!/usr/bin/env bash
# p4xsk front door: install what is missing, build, then run the demo or
# the test suite. Usage: ./run.sh demo [demo args] | ./run.sh demo sched
# [WEIGHTS [RATE]] | ./run.sh test [meson test args] | ./run.sh bench
# [bench args] | ./run.sh build
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build="${P4XSK_BUILD:-$here/build}"

# Debian 12 packages p4xsk needs to build, test and benchmark.
packages=(
	build-essential meson ninja-build pkg-config clang-format
	clang llvm bpftool libbpf-dev libxdp-dev xdp-tools libelf-dev zlib1g-dev
	liburcu-dev libmnl-dev libjemalloc-dev libjson-c-dev libpcap-dev
	libdpdk-dev dpdk-dev
	iproute2 ethtool iputils-ping tcpdump procps kmod jq
	python3 python3-scapy bird2
)

die() {
	echo "run.sh: $*" >&2
	exit 1
}

setup() {
	local missing=() p
	[ "$(id -u)" -eq 0 ] || die "run as root (p4xsk attaches XDP and creates namespaces)"
	for p in "${packages[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "run.sh: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build() {
	if [ ! -f "$build/build.ninja" ]; then
		meson setup "$build" "$here" >/dev/null
	fi
	ninja -C "$build" >/dev/null
}

# The STF suite (meson suite 'stf') and the table concurrency test (suite
# 'stress') again under ASan and UBSan, in a second build directory holding
# only what they run: the CLI, the parser test, the example programs
# (instrumented too) and the stress test, so a generated program or the
# runtime reading a packet out of bounds, or a table freeing memory a
# reader still uses, fails the test run.
test_sanitized() {
	local dir="$build-asan" t
	local targets=(dataplane/daemon/p4xsk tests/stf/test_stf_parse
		tests/unit/table/test_table_stress)
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$here" -Db_sanitize=address,undefined \
			-Db_lundef=false >/dev/null
	fi
	for t in "$here"/examples/*/*.template; do
		t=$(basename "$(dirname "$t")")
		targets+=("examples/$t/$t.so")
	done
	ninja -C "$dir" "${targets[@]}" >/dev/null
	meson test -C "$dir" --no-rebuild --suite stf --suite stress \
		--print-errorlogs
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
build)
	setup
	build
	;;
demo)
	setup
	build
	if [ "${1:-}" = sched ]; then
		shift
		exec "$here/tests/demo_sched.sh" "$build" "$@"
	fi
	exec "$here/tests/demo.sh" "$build" "$@"
	;;
test)
	setup
	build
	meson test -C "$build" --print-errorlogs "$@"
	test_sanitized
	;;
bench)
	setup
	build
	exec "$here/bench/run.sh" "$build" "$@"
	;;
*)
	die "usage: $0 demo|test|bench|build [args]"
	;;
esac
