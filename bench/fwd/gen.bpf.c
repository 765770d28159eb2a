// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4x-gen's XDP program, run by BPF_PROG_TEST_RUN in live-frames mode.
 *
 * Every run rewrites the Ethernet, IPv4 and UDP headers from the template
 * (the page is recycled, and a receiver such as kernel forwarding may have
 * changed it in place), picks flow = per-CPU run counter % n_flows, sets
 * the UDP source port to sport + flow % 1024 and the IPv4 source to
 * saddr + flow / 1024, recomputes the IPv4 checksum (UDP checksum 0) and
 * returns XDP_TX, which live-frames mode turns into a redirect out of the
 * device named by ctx->ingress_ifindex.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>

#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define GEN_HDR_LEN \
	(sizeof(struct ethhdr) + sizeof(struct iphdr) + sizeof(struct udphdr))
#define GEN_PORTS_PER_IP 1024

/* Set by p4x-gen before load: the first GEN_HDR_LEN bytes are the headers.
 * Read only through volatile loads, or the compiler folds them to 0. */
const volatile __u64 tmpl[(GEN_HDR_LEN + 7) / 8];
const volatile __u32 n_flows = 1;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} runs SEC(".maps");

static __always_inline void put_headers(void *data)
{
	__u64 *w = data;
	int i;

#pragma unroll
	for (i = 0; i < GEN_HDR_LEN / 8; i++)
		w[i] = tmpl[i];
	*(__u16 *)(w + GEN_HDR_LEN / 8) = (__u16)tmpl[GEN_HDR_LEN / 8];
}

static __always_inline __u16 ip_csum(const struct iphdr *ip)
{
	const __u16 *w = (const __u16 *)ip;
	__u32 sum = 0;
	int i;

#pragma unroll
	for (i = 0; i < (int)sizeof(*ip) / 2; i++)
		sum += w[i];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

SEC("xdp")
int p4x_gen(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct iphdr *ip = data + sizeof(struct ethhdr);
	struct udphdr *udp = (void *)(ip + 1);
	__u32 key = 0, flow;
	__u64 *cnt;

	if ((void *)(udp + 1) > end)
		return XDP_ABORTED;
	cnt = bpf_map_lookup_elem(&runs, &key);
	if (!cnt)
		return XDP_ABORTED;
	flow = (__u32)(*cnt)++ % n_flows;
	put_headers(data);
	udp->source =
		bpf_htons(bpf_ntohs(udp->source) + flow % GEN_PORTS_PER_IP);
	ip->saddr = bpf_htonl(bpf_ntohl(ip->saddr) + flow / GEN_PORTS_PER_IP);
	ip->check = 0;
	ip->check = ip_csum(ip);
	return XDP_TX;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
