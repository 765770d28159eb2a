#!/usr/bin/env bash
# Run every p4xsk benchmark: `./run.sh bench [args]` calls
# `bench/run.sh BUILDDIR [args]`. Each benchmark prints text and writes JSON
# into BUILDDIR/bench-results/:
#  - the forwarding benchmark (bench/fwd/run-fwd.sh; [args] go to it, e.g.
#    --seconds 5 --legs kernel,p4xsk-fwd), fwd.json;
#  - every program named p4x-bench-* built under BUILDDIR/bench/<dir>/
#    (table, sched, bridge, ...), run as
#    `PROG --json BUILDDIR/bench-results/PROG.json` when its --help
#    mentions --json, else without; its text goes to PROG.txt as well;
#    a program whose --help mentions --engine runs a second time with it.
# See docs/benchmarks.md. Exit status: 0 when every benchmark ran.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ $# -ge 1 ] || {
	echo "usage: $0 BUILDDIR [run-fwd.sh args]" >&2
	exit 2
}
build=$(cd "$1" && pwd) || exit 2
shift
results=$build/bench-results
mkdir -p "$results"
failed=()

echo "== fwd"
"$here/fwd/run-fwd.sh" "$build" --out "$results/fwd.json" "$@" ||
	failed+=(fwd)

for prog in "$build"/bench/*/p4x-bench-*; do
	[ -f "$prog" ] && [ -x "$prog" ] || continue
	name=$(basename "$prog")
	dir=$(basename "$(dirname "$prog")")
	args=()
	help=$(timeout 10 "$prog" --help 2>&1 || true)
	if [[ "$help" == *--json* ]]; then
		args=(--json "$results/$name.json")
	fi
	echo "== $dir/$name"
	"$prog" "${args[@]}" | tee "$results/$name.txt" || failed+=("$name")
	# Benchmarks with an --engine variant measure through p4xskd too.
	[[ "$help" == *--engine* ]] || continue
	[ ${#args[@]} -eq 0 ] || args=(--json "$results/$name-engine.json")
	echo "== $dir/$name --engine"
	"$prog" --engine "${args[@]}" | tee "$results/$name-engine.txt" ||
		failed+=("$name --engine")
done

echo "results in $results"
if [ ${#failed[@]} -gt 0 ]; then
	echo "failed: ${failed[*]}" >&2
	exit 1
fi
