// SPDX-License-Identifier: BSD-3-Clause
/*
 * The tc leg of the forwarding benchmark: a cls_bpf program (direct
 * action) on the ingress of one port that rewrites the Ethernet addresses
 * for the next hop and redirects the skb out of another port. The same
 * work p4xsk's forwarding does, done in the kernel's tc layer.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>

#include <bpf/bpf_helpers.h>

/* Set by p4x-tcfwd before load. */
const volatile __u32 out_ifindex;
const volatile __u8 new_smac[ETH_ALEN];
const volatile __u8 new_dmac[ETH_ALEN];

/* Byte by byte: volatile loads keep the compiler from folding the
 * zero-initialised constants. */
static __always_inline void put_mac(__u8 *dst, const volatile __u8 *src)
{
	int i;

#pragma unroll
	for (i = 0; i < ETH_ALEN; i++)
		dst[i] = src[i];
}

SEC("tc")
int p4x_tc_redirect(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > end)
		return TC_ACT_SHOT;
	put_mac(eth->h_dest, new_dmac);
	put_mac(eth->h_source, new_smac);
	return bpf_redirect(out_ifindex, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
