#!/usr/bin/env bash
# The forwarding benchmark (docs/benchmarks.md). Builds its own topology,
#
#   [p4xf-gen] p4xf-gen0 <-veth-> p4xf-dut0 [p4xf-dut] p4xf-dut1 <-veth-> p4xf-sink0 [p4xf-sink]
#
# then, in one run, measures packets per second through p4xf-dut for each
# leg: kernel IP forwarding, tc bpf_redirect, DPDK testpmd on net_af_xdp
# (forwarding, and rxonly), p4xsk forwarding (the built-in program, and the
# routing P4TC program of examples/routing: p4xsk-p4-routing) and p4xsk
# receive + pipeline + drop. Same generator settings for every leg: p4x-gen on CPU $gen_cpu, the
# forwarder on CPU $fwd_cpu. Prints a table and writes JSON.
#
# usage: run-fwd.sh BUILDDIR [--seconds S] [--warmup S] [--flows N]
#                   [--size BYTES] [--legs LIST] [--rounds N]
#                   [--sink-hook tc|xdp] [--out FILE]
# With --rounds N the legs run N times, interleaved, and the median counts.
# P4XF_KEEP=1 keeps the per-leg logs (testpmd, p4xskd, p4x-gen, p4x-sink)
# in /tmp/p4xf-bench.* instead of deleting them.
set -euo pipefail
shopt -s nullglob

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() {
	echo "run-fwd.sh: $*" >&2
	exit 1
}

[ $# -ge 1 ] || die "usage: $0 BUILDDIR [--seconds S] [--warmup S] [--flows N] [--size BYTES] [--legs LIST] [--rounds N] [--sink-hook tc|xdp] [--out FILE]"
build=$(cd "$1" && pwd) || die "no build directory '$1'"
shift
tools=$build/bench/fwd
p4xskd=$build/dataplane/daemon/p4xskd
p4xsk=$build/dataplane/daemon/p4xsk
src=$(cd "$here/../.." && pwd)

all_legs="kernel tc testpmd-fwd testpmd-rxonly p4xsk-fwd p4xsk-p4-routing p4xsk-rxdrop p4xsk-fifo p4xsk-wfq"
seconds=5
warmup=2
flows=256
size=64
legs=$all_legs
sink_hook=tc
rounds=1
out=$build/bench-results/fwd.json
gen_cpu=0
fwd_cpu=1

while [ $# -gt 0 ]; do
	case "$1" in
	--seconds) seconds=${2:?}; shift 2 ;;
	--warmup) warmup=${2:?}; shift 2 ;;
	--flows) flows=${2:?}; shift 2 ;;
	--size) size=${2:?}; shift 2 ;;
	--legs) legs=${2//,/ }; shift 2 ;;
	--rounds) rounds=${2:?}; shift 2 ;;
	--sink-hook) sink_hook=${2:?}; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	*) die "unknown argument '$1'" ;;
	esac
done
for leg in $legs; do
	[[ " $all_legs " == *" $leg "* ]] || die "unknown leg '$leg' (legs: $all_legs)"
done
[[ "$rounds" =~ ^[1-9][0-9]?$ ]] || die "bad --rounds '$rounds' (1 to 99)"
[[ "$flows" =~ ^[1-9][0-9]*$ ]] || die "bad --flows '$flows'"
[[ "$size" =~ ^[1-9][0-9]*$ ]] || die "bad --size '$size'"
[[ "$sink_hook" =~ ^(tc|xdp)$ ]] || die "bad --sink-hook '$sink_hook' (tc or xdp)"
[ "$(id -u)" -eq 0 ] || die "run as root (namespaces, XDP, tc)"
for t in p4x-gen p4x-sink p4x-tcfwd; do
	[ -x "$tools/$t" ] || die "$tools/$t missing: build first"
done

# ---- Topology -------------------------------------------------------------

# P4XF_PREFIX (default p4xf-) prefixes the namespaces and interfaces, so
# that two runs on one machine do not meet.
pfx=${P4XF_PREFIX:-p4xf-}
NS_GEN=${pfx}gen NS_DUT=${pfx}dut NS_SINK=${pfx}sink
GEN0=${pfx}gen0 DUT0=${pfx}dut0 DUT1=${pfx}dut1 SINK0=${pfx}sink0
GEN0_MAC=02:00:00:f0:00:01 DUT0_MAC=02:00:00:f0:00:02
DUT1_MAC=02:00:00:f0:00:03 SINK0_MAC=02:00:00:f0:00:04
GEN0_IP=10.70.0.1 DUT0_IP=10.70.0.2 DUT1_IP=10.71.0.2 SINK0_IP=10.71.0.1

tmp=$(mktemp -d /tmp/p4xf-bench.XXXXXX)
bg_pids=()

# Priorities, the same for every leg, so that other load on the machine
# perturbs the figures less: the forwarders and dut0's NAPI thread run at
# nice $nice, the generator below them (it only fills the CPU they leave)
# but above ordinary processes.
nice=${P4XF_NICE:--10}
gen_nice=$((nice + 5))

in_gen() { ip netns exec $NS_GEN "$@"; }
in_dut() { ip netns exec $NS_DUT "$@"; }
in_sink() { ip netns exec $NS_SINK "$@"; }

topo_down() {
	local ns
	for ns in $NS_GEN $NS_DUT $NS_SINK; do
		ip netns del "$ns" 2>/dev/null || true
	done
}

cleanup() {
	local pid
	for pid in "${bg_pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	topo_down
	if [ -n "${P4XF_KEEP:-}" ]; then
		echo "kept $tmp"
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

topo_up() {
	local ns
	topo_down
	for ns in $NS_GEN $NS_DUT $NS_SINK; do
		ip netns add "$ns"
		ip -n "$ns" link set lo up
	done
	ip link add $GEN0 netns $NS_GEN address $GEN0_MAC type veth \
		peer $DUT0 netns $NS_DUT address $DUT0_MAC
	ip link add $DUT1 netns $NS_DUT address $DUT1_MAC type veth \
		peer $SINK0 netns $NS_SINK address $SINK0_MAC
	in_gen ip addr add $GEN0_IP/24 dev $GEN0
	in_dut ip addr add $DUT0_IP/24 dev $DUT0
	in_dut ip addr add $DUT1_IP/24 dev $DUT1
	in_sink ip addr add $SINK0_IP/24 dev $SINK0
	in_gen ip link set $GEN0 up
	in_dut ip link set $DUT0 up
	in_dut ip link set $DUT1 up
	in_sink ip link set $SINK0 up
	# Frames from p4x-gen arrive through ndo_xdp_xmit, which a veth only
	# accepts while its NAPI is on: GRO on gives NAPI without XDP.
	in_dut ethtool -K $DUT0 gro on >/dev/null
}

# ---- Measurement ----------------------------------------------------------

# Run the generator for warmup + seconds + 1 s while p4x-sink counts over
# the last `seconds` of it. measure LEG [p4x-sink args]: the sink counts
# arrivals at p4xf-sink0 by default; with args it runs in p4xf-dut instead.
# dut0's ethtool counters are saved before and after the generator run:
# they show where frames were lost (ring full, AF_XDP socket full).
measure() {
	local leg=$1 gen_s sink_ns=$NS_SINK sink_args
	shift
	gen_s=$(awk -v w="$warmup" -v s="$seconds" 'BEGIN { print w + s + 1 }')
	if [ $# -gt 0 ]; then
		sink_ns=$NS_DUT
		sink_args=("$@")
	else
		sink_args=(--dev $SINK0 --mac $SINK0_MAC --hook "$sink_hook")
	fi
	in_dut ethtool -S $DUT0 >"$tmp/$leg.dut0-before"
	in_gen nice -n "$gen_nice" "$tools/p4x-gen" --dev $GEN0 --dmac $DUT0_MAC --src $GEN0_IP \
		--dst $SINK0_IP --flows "$flows" --size "$size" --cpu $gen_cpu \
		--seconds "$gen_s" >"$tmp/$leg.gen" 2>&1 &
	local gen_pid=$!
	if ! ip netns exec $sink_ns "$tools/p4x-sink" "${sink_args[@]}" \
		--warmup "$warmup" --seconds "$seconds" --json \
		>"$tmp/$leg.json" 2>"$tmp/$leg.err"; then
		echo "p4x-sink failed: $(tr '\n' ' ' <"$tmp/$leg.err")" >"$tmp/$leg.why"
		rm -f "$tmp/$leg.json"
	fi
	wait $gen_pid || echo "p4x-gen failed: $(tr '\n' ' ' <"$tmp/$leg.gen")" >"$tmp/$leg.why"
	in_dut ethtool -S $DUT0 >"$tmp/$leg.dut0-after"
}

unavailable() {
	echo "$2" >"$tmp/$1.why"
	echo "  $1: unavailable: $2"
}

# Start command "$@" (not a shell function: its pid must be the process
# itself, for stop_bg's SIGINT) in the background; remember the pid.
start_bg() {
	"$@" &
	bg_pids+=($!)
}

# Stop the last background process started with start_bg.
stop_bg() {
	local pid=${bg_pids[-1]}
	kill -INT "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	unset 'bg_pids[-1]'
}

# dut0_napi CPU: run p4xf-dut0's NAPI (its receive: GRO or XDP, then the
# stack or an AF_XDP socket) in its own kernel thread, pinned to CPU.
# Without this it would run as a softirq on whichever CPU sent the frame,
# i.e. inside the generator.
dut0_napi() {
	local pid
	in_dut sh -c "echo 1 > /sys/class/net/$DUT0/threaded"
	# The thread is "napi/<dev>-<id>", cut to 15 characters.
	pid=$(pgrep "^napi/$DUT0-" | head -n1 || true)
	[ -n "$pid" ] || die "no NAPI thread for $DUT0"
	taskset -p -c "$1" "$pid" >/dev/null
	renice -n "$nice" -p "$pid" >/dev/null
}

# ---- Legs -----------------------------------------------------------------

leg_kernel() {
	in_dut sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.$DUT0.rp_filter=0
	in_dut ip neigh replace $SINK0_IP lladdr $SINK0_MAC dev $DUT1 nud permanent
	in_dut ip neigh replace $GEN0_IP lladdr $GEN0_MAC dev $DUT0 nud permanent
	dut0_napi $fwd_cpu
	measure kernel
	in_dut sysctl -qw net.ipv4.ip_forward=0
}

leg_tc() {
	in_dut "$tools/p4x-tcfwd" --in $DUT0 --out $DUT1 --dmac $SINK0_MAC \
		>"$tmp/tc.err" 2>&1 || {
		unavailable tc "p4x-tcfwd: $(tr '\n' ' ' <"$tmp/tc.err")"
		return 0
	}
	dut0_napi $fwd_cpu
	measure tc
	in_dut tc qdisc del dev $DUT0 clsact
}

# testpmd LEG MODE: start DPDK testpmd, one net_af_xdp port per dut veth
# (queue 0), main lcore on $gen_cpu (idle), forwarding lcore on $fwd_cpu.
# Returns 1 with the reason in $tmp/LEG.why if it does not come up.
testpmd() {
	local leg=$1 mode=$2 log=$tmp/$1.log i
	start_bg ip netns exec $NS_DUT nice -n "$nice" dpdk-testpmd -l $gen_cpu,$fwd_cpu \
		--main-lcore $gen_cpu --no-huge -m 1024 --no-shconf --no-pci \
		--log-level=lib.eal:error --log-level=pmd.net.af_xdp:info \
		--vdev net_af_xdp0,iface=$DUT0,start_queue=0,queue_count=1 \
		--vdev net_af_xdp1,iface=$DUT1,start_queue=0,queue_count=1 \
		-- --forward-mode="$mode" --eth-peer=0,$GEN0_MAC \
		--eth-peer=1,$SINK0_MAC --nb-cores=1 --auto-start \
		--stats-period 1 >"$log" 2>&1
	for i in $(seq 50); do
		grep -q "Port statistics" "$log" && return 0
		kill -0 "${bg_pids[-1]}" 2>/dev/null || break
		sleep 0.2
	done
	unavailable "$leg" "testpmd did not start: $(grep -iE 'error|fail' "$log" | head -n3 | tr '\n' ' ')"
	return 1
}

leg_testpmd() {
	local leg=$1 mode=$2
	shift 2
	command -v dpdk-testpmd >/dev/null || {
		unavailable "$leg" "dpdk-testpmd not installed (dpdk package)"
		return 0
	}
	dut0_napi $gen_cpu
	testpmd "$leg" "$mode" && measure "$leg" "$@"
	stop_bg
}

# p4xskd LEG [extra args]: start p4xskd forwarding p4xf-dut0 to p4xf-dut1,
# its worker on $fwd_cpu. Returns 1 with the reason in $tmp/LEG.why if it
# does not come up.
p4xskd() {
	local leg=$1 log=$tmp/$1.log i
	shift
	start_bg ip netns exec $NS_DUT nice -n "$nice" "$p4xskd" --port $DUT0 --port $DUT1 \
		--cores $fwd_cpu --fwd $DUT0=$DUT1,dmac=$SINK0_MAC \
		--sock "$tmp/p4xskd.sock" \
		"$@" >"$log" 2>&1
	for i in $(seq 50); do
		[ -S "$tmp/p4xskd.sock" ] && return 0
		kill -0 "${bg_pids[-1]}" 2>/dev/null || break
		sleep 0.2
	done
	unavailable "$leg" "p4xskd did not start: $(head -n3 "$log" | tr '\n' ' ')"
	return 1
}

# The routing P4TC program's entries for the generator's flows (p4xskd
# --program examples/routing, entries through p4xsk p4ctrl as an operator
# makes them): sink0's /24 to next hop 1 = sink0's MAC out of dut1.
p4_routing_entries() {
	in_dut "$p4xsk" --sock "$tmp/p4xskd.sock" p4ctrl create \
		routing/table/Main/nh_table nh_index 1 action set_nh \
		param dmac $SINK0_MAC param port $DUT1 >/dev/null &&
		in_dut "$p4xsk" --sock "$tmp/p4xskd.sock" p4ctrl create \
			routing/table/Main/fib_table prefix ${SINK0_IP%.*}.0/24 \
			action set_nhid param index 1 >/dev/null
}

leg_p4xsk() {
	local leg=$1
	[ -x "$p4xskd" ] || {
		unavailable "$leg" "$p4xskd not built"
		return 0
	}
	dut0_napi $gen_cpu
	if [ "$leg" = p4xsk-fwd ]; then
		p4xskd "$leg" && measure "$leg"
	elif [ "$leg" = p4xsk-p4-routing ]; then
		# the same path, the P4TC routing program instead of the
		# built-in one: lpm + exact lookup, TTL and checksum update
		if ! p4xskd "$leg" --program "$src/examples/routing"; then
			:
		elif p4_routing_entries; then
			measure "$leg"
		else
			unavailable "$leg" "p4xsk p4ctrl create failed"
		fi
	elif [ "$leg" = p4xsk-fifo ] || [ "$leg" = p4xsk-wfq ]; then
		# the same path with dut1's egress scheduler on (no rate limit;
		# wfq with the rank precision docs/scheduler.md advises)
		local spec=fifo
		[ "$leg" = p4xsk-wfq ] && spec=wfq,rank_shift=12
		p4xskd "$leg" --sched "$DUT1:$spec" && measure "$leg"
	elif [[ "$(timeout 5 "$p4xskd" --help 2>&1)" == *--no-tx* ]]; then
		p4xskd "$leg" --no-tx &&
			measure "$leg" --dev $DUT0 --ethtool rx_queue_0_xdp_redirect
	else
		unavailable "$leg" "p4xskd has no --no-tx flag (engine no_tx mode)"
		return 0
	fi
	stop_bg
	rm -f "$tmp/p4xskd.sock"
}

run_leg() {
	case "$1" in
	kernel) leg_kernel ;;
	tc) leg_tc ;;
	testpmd-fwd) leg_testpmd testpmd-fwd mac ;;
	testpmd-rxonly)
		leg_testpmd testpmd-rxonly rxonly --dev $DUT0 \
			--ethtool rx_queue_0_xdp_redirect
		;;
	p4xsk-fwd | p4xsk-p4-routing | p4xsk-rxdrop | p4xsk-fifo | p4xsk-wfq)
		leg_p4xsk "$1"
		;;
	esac
}

# ---- Main -----------------------------------------------------------------

echo "forwarding benchmark: $size B frames, $flows flows, warmup ${warmup}s," \
	"measure ${seconds}s, $rounds round(s); generator CPU $gen_cpu," \
	"forwarder CPU $fwd_cpu; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
topo_up
for round in $(seq "$rounds"); do
	for leg in $legs; do
		echo "  $leg (round $round) ..."
		run_leg "$leg"
		for f in "$tmp/$leg".*; do
			mv "$f" "$tmp/r$round.$(basename "$f")"
		done
		[ -f "$tmp/r$round.$leg.json" ] && echo "    $(cat "$tmp/r$round.$leg.json")"
	done
done
mkdir -p "$(dirname "$out")"
python3 "$here/report.py" --dir "$tmp" --legs "$legs" --rounds "$rounds" \
	--out "$out" --size "$size" --flows "$flows" --seconds "$seconds" \
	--warmup "$warmup" --sink-hook "$sink_hook" --loadavg "$(cat /proc/loadavg)"
