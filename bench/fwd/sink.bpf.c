// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4x-sink's programs: count every frame arriving on the sink veth and
 * drop it, either in XDP (p4x_sink_xdp) or at tc ingress (p4x_sink_tc).
 * Frames whose destination MAC is want_dmac count as "good" (the forwarder
 * rewrote them for this hop), the rest as "other". Per-CPU counters, so
 * counting never contends.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>

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

static __always_inline void count(void *data, void *end)
{
	struct ethhdr *eth = data;
	__u32 key = P4X_SINK_OTHER;
	__u64 *cnt;

	if ((void *)(eth + 1) <= end && mac_eq(eth->h_dest, want_dmac))
		key = P4X_SINK_GOOD;
	cnt = bpf_map_lookup_elem(&counts, &key);
	if (cnt)
		(*cnt)++;
}

SEC("xdp")
int p4x_sink_xdp(struct xdp_md *ctx)
{
	count((void *)(long)ctx->data, (void *)(long)ctx->data_end);
	return XDP_DROP;
}

SEC("tc")
int p4x_sink_tc(struct __sk_buff *skb)
{
	count((void *)(long)skb->data, (void *)(long)skb->data_end);
	return TC_ACT_SHOT;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
