#!/usr/bin/env bash
# p4xsk build and stf from the command line: a program directory builds and
# its template, JSON and C agree; what is not a program directory, a broken
# STF file and a wrong expectation are reported (what, where) with exit 1.
# Usage: cli.sh BUILDDIR SRCDIR
set -euo pipefail

p4xsk=$1/dataplane/daemon/p4xsk
src=$2
tmp=$(mktemp -d /tmp/p4xs-stfcli.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# expect_err WANT CMD...: CMD exits 1 and its stderr+stdout contain WANT.
expect_err() {
	local want=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	[ "$rc" -eq 1 ] || fail "$* exited $rc, not 1"
	grep -qF -- "$want" <<<"$out" || fail "$*: no '$want' in: $out"
}

out=$("$p4xsk" build "$src/examples/routing" -o "$tmp/routing.so")
grep -q 'template, JSON and C agree' <<<"$out" || fail "build: $out"
[ -s "$tmp/routing.so" ] || fail "build wrote no object"
expect_err "no *.template" "$p4xsk" build "$src/tests/stf" -o "$tmp/x.so"
[ ! -e "$tmp/x.so" ] || fail "a failed build left an object"

# the object just built runs the routing test (no --so: built on the fly
# in the second run)
"$p4xsk" stf "$src/examples/routing" \
	"$src/tests/stf/p4tc/routing/routing.stf" --so "$tmp/routing.so" |
	grep -q '^PASS' || fail "stf with a built object"
"$p4xsk" stf "$src/examples/routing" \
	"$src/tests/stf/p4tc/routing/routing.stf" | grep -q '^PASS' ||
	fail "stf building the object itself"

printf 'packet 0 0090fb65\nexpect 1 00zz\n' >"$tmp/bad.stf"
expect_err "bad.stf:2: 'z' is not a hex digit" \
	"$p4xsk" stf "$src/examples/routing" "$tmp/bad.stf"
printf 'add Main.nh_table nh_index:0x1 Main.set_nh(dmac:0x1, port:0x7)\n' \
	>"$tmp/port.stf"
expect_err "line 1: port:0x7: no such STF port" \
	"$p4xsk" stf "$src/examples/routing" "$tmp/port.stf"
printf 'add Main.nh_table nh_index:0x1 Main.nope()\n' >"$tmp/act.stf"
expect_err "action Main.nope is not in routing.json" \
	"$p4xsk" stf "$src/examples/routing" "$tmp/act.stf"

# a wrong byte, a frame that never comes, one that is not expected
sed -e 's/^expect 1 13371337/expect 1 13371338/' \
	"$src/tests/stf/p4tc/routing/routing.stf" >"$tmp/wrong.stf"
echo 'expect 0 00' >>"$tmp/wrong.stf"
grep '^packet' "$src/tests/stf/p4tc/routing/routing.stf" >>"$tmp/wrong.stf"
out=$("$p4xsk" stf "$src/examples/routing" "$tmp/wrong.stf" \
	--so "$tmp/routing.so") && fail "a wrong expectation passed"
grep -q 'MISMATCH: port 1 frame 1 (42 bytes) vs line 5' <<<"$out" ||
	fail "no mismatch report: $out"
grep -q '^ *\^' <<<"$out" || fail "no byte diff: $out"
grep -q 'MISSING: port 0: nothing for line 6' <<<"$out" ||
	fail "no missing report: $out"
grep -q 'EXTRA: port 1 frame 2' <<<"$out" || fail "no extra report: $out"
grep -q '^FAIL .*2 injected, 2 expected, 0 matched, 1 mismatched, 1 missing, 1 extra' \
	<<<"$out" || fail "summary: $out"

[ "$fails" -eq 0 ] || exit 1
echo "p4xsk build/stf command line: ok"
