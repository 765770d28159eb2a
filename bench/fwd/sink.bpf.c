// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4x-sink's XDP program: count every frame arriving on the sink veth and
 * drop it. Frames whose destination MAC is want_dmac count as "good" (the
 * forwarder rewrote them for this hop), the rest as "other". Per-CPU
 * counters, so counting never contends.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>

#include <bpf/bpf_helpers.h>

#include "sink.h"

const volatile __u8 want_dmac[ETH_ALEN];

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, P4X_SINK_NR);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

static __always_inline int mac_eq(const __u8 *a, const volatile __u8 *b)
{
	int i;

#pragma unroll
	for (i = 0; i < ETH_ALEN; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

SEC("xdp")
int p4x_sink(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 key = P4X_SINK_OTHER;
	__u64 *cnt;

	if ((void *)(eth + 1) <= end &&
	    mac_eq(eth->h_dest, want_dmac))
		key = P4X_SINK_GOOD;
	cnt = bpf_map_lookup_elem(&counts, &key);
	if (cnt)
		(*cnt)++;
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
