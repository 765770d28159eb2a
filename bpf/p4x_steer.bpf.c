// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4x_steer: the XDP steering program.
 *
 * Parses Ethernet, up to two VLAN tags, IPv4 (with options) or IPv6 (with
 * its extension chain) and the TCP/UDP/ICMP/ICMPv6 header, then either
 *  - drops a malformed packet (counted per reason, P4X_DROP_REASONS),
 *  - passes host traffic (config map, P4X_HOST_*) to the kernel, or
 *  - writes struct p4x_xdp_meta in front of the packet and redirects it to
 *    the AF_XDP socket of its rx queue; with no socket there, the packet
 *    passes to the kernel and counts as pass_nosock.
 * The ABI (metadata, counters, policy) is include/p4x/xdp_meta.h;
 * docs/xdp-abi.md explains it.
 */
#include <stdbool.h>

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>

#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "p4x/xdp_meta.h"

/* Largest rx queue index the XSKMAP covers, plus one. */
#define P4X_XSK_MAX 256
/* Longest IPv6 extension chain accepted, in headers. */
#define P4X_IPV6_EXT_MAX 8
/*
 * L4 headers must start within this many bytes of the packet start (it
 * bounds packet offsets for the verifier); a longer IPv6 extension chain
 * is dropped as ipv6_bad_ext.
 */
#define P4X_L4_OFF_MAX 1024

#define P4X_VLAN_HLEN 4
#define P4X_ICMP_HLEN 8
#define P4X_IPV6_FRAG_HLEN 8
#define P4X_IP_MF 0x2000
#define P4X_IP_OFFSET 0x1fff
#define P4X_ETH_P_8021AD 0x88A8
#define P4X_NEXTHDR_HOP 0
#define P4X_NEXTHDR_ROUTING 43
#define P4X_NEXTHDR_FRAGMENT 44
#define P4X_NEXTHDR_DEST 60
#define P4X_ND_FIRST 133 /* router solicitation */
#define P4X_ND_LAST 137	 /* redirect */

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, P4X_XSK_MAX);
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct p4x_xdp_stats);
} stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct p4x_xdp_config);
} config SEC(".maps");

struct p4x_vlan_hdr {
	__be16 tci;
	__be16 proto;
};

/* First 4 bytes of an IPv6 extension header (frag_off: fragment only). */
struct p4x_ipv6_ext_hdr {
	__u8 nexthdr;
	__u8 hdrlen;
	__be16 frag_off;
};

/* Parser state: cursor and what was found, copied into the metadata. */
struct p4x_parse {
	void *data;
	void *data_end;
	__u32 off;	/* cursor, from packet start */
	__u32 l3_end;	/* end of the IP datagram (total/payload length) */
	__u32 saddr[4]; /* host order; IPv4 uses [0] */
	__u32 daddr[4];
	__u16 sport; /* host order */
	__u16 dport;
	__u8 icmp_type;
	__u8 proto; /* upper-layer protocol, also of non-first fragments */
	bool frag;  /* any fragment: the hash leaves the ports out */
	struct p4x_xdp_meta meta;
};

/* Verdicts of the parse stages; > 0 is a P4X_DROP_* reason + 1. */
enum {
	P4X_PARSE_OK = 0,
	P4X_PARSE_HOST = -1, /* host traffic: pass to the kernel */
};

#define P4X_DROP(reason) (P4X_DROP_##reason + 1)

/* Pointer to @len bytes at the cursor, or NULL when they are not there. */
static __always_inline void *p4x_at(struct p4x_parse *p, __u32 len)
{
	__u32 off = p->off;
	void *ptr;

	if (off > P4X_L4_OFF_MAX)
		return NULL;
	ptr = p->data + off;
	if (ptr + len > p->data_end)
		return NULL;
	return ptr;
}

static __always_inline int p4x_parse_eth(struct p4x_parse *p)
{
	struct ethhdr *eth = p->data;
	struct p4x_vlan_hdr *vlan;
	__u16 proto;
	int i;

	if ((void *)(eth + 1) > p->data_end)
		return P4X_DROP(ETH_TRUNC);
	proto = bpf_ntohs(eth->h_proto);
	p->off = sizeof(*eth);
#pragma unroll
	for (i = 0; i < 2; i++) {
		if (proto != ETH_P_8021Q && proto != P4X_ETH_P_8021AD)
			break;
		vlan = p4x_at(p, sizeof(*vlan));
		if (!vlan)
			return P4X_DROP(VLAN_TRUNC);
		p->meta.vlan_tci[i] = bpf_ntohs(vlan->tci);
		p->meta.flags |= P4X_META_F_VLAN;
		proto = bpf_ntohs(vlan->proto);
		p->off += sizeof(*vlan);
	}
	if (proto == ETH_P_8021Q || proto == P4X_ETH_P_8021AD)
		return P4X_DROP(VLAN_DEPTH);
	p->meta.l3_proto = proto;
	p->meta.l3_off = p->off;
	return P4X_PARSE_OK;
}

static __always_inline int p4x_parse_ipv4(struct p4x_parse *p)
{
	__u32 pkt_len = p->data_end - p->data;
	struct iphdr *ip = p4x_at(p, sizeof(*ip));
	__u32 hlen, tot_len;

	if (!ip)
		return P4X_DROP(IPV4_TRUNC);
	if (ip->version != 4)
		return P4X_DROP(IPV4_VERSION);
	hlen = ip->ihl * 4;
	if (hlen < sizeof(*ip) || p->off + hlen > pkt_len)
		return P4X_DROP(IPV4_IHL);
	tot_len = bpf_ntohs(ip->tot_len);
	if (tot_len < hlen || p->off + tot_len > pkt_len)
		return P4X_DROP(IPV4_LEN);
	if (hlen > sizeof(*ip))
		p->meta.flags |= P4X_META_F_IPV4_OPT;
	p->saddr[0] = bpf_ntohl(ip->saddr);
	p->daddr[0] = bpf_ntohl(ip->daddr);
	p->l3_end = p->off + tot_len;
	p->proto = ip->protocol;
	p->frag = bpf_ntohs(ip->frag_off) & (P4X_IP_MF | P4X_IP_OFFSET);
	if (bpf_ntohs(ip->frag_off) & P4X_IP_OFFSET) {
		p->meta.flags |= P4X_META_F_FRAG;
		return P4X_PARSE_OK;
	}
	p->meta.l4_proto = ip->protocol;
	p->off += hlen;
	p->meta.l4_off = p->off;
	return P4X_PARSE_OK;
}

/*
 * Walk one IPv6 extension header at the cursor. Returns P4X_PARSE_OK with
 * *@nexthdr updated and *@done set when the upper layer is reached (or a
 * non-first fragment ends the walk), or a drop reason.
 */
static __always_inline int p4x_ipv6_ext(struct p4x_parse *p, __u8 *nexthdr,
					bool first, bool *done)
{
	struct p4x_ipv6_ext_hdr *ext;
	__u32 len;

	switch (*nexthdr) {
	case P4X_NEXTHDR_HOP:
		if (!first)
			return P4X_DROP(IPV6_EXT);
		break;
	case P4X_NEXTHDR_ROUTING:
	case P4X_NEXTHDR_FRAGMENT:
	case P4X_NEXTHDR_DEST:
		break;
	default:
		*done = true;
		return P4X_PARSE_OK;
	}
	ext = p4x_at(p, sizeof(*ext));
	if (!ext)
		return P4X_DROP(IPV6_EXT);
	p->meta.flags |= P4X_META_F_IPV6_EXT;
	len = (ext->hdrlen + 1) * 8;
	if (*nexthdr == P4X_NEXTHDR_FRAGMENT) {
		len = P4X_IPV6_FRAG_HLEN;
		p->frag = true;
		if (bpf_ntohs(ext->frag_off) & ~7) {
			p->meta.flags |= P4X_META_F_FRAG;
			*done = true;
		}
	}
	if (p->off + len > p->l3_end)
		return P4X_DROP(IPV6_EXT);
	*nexthdr = ext->nexthdr;
	p->off += len;
	return P4X_PARSE_OK;
}

static __always_inline int p4x_parse_ipv6(struct p4x_parse *p)
{
	__u32 pkt_len = p->data_end - p->data;
	struct ipv6hdr *ip6 = p4x_at(p, sizeof(*ip6));
	bool done = false;
	__u8 nexthdr;
	int i, ret;

	if (!ip6)
		return P4X_DROP(IPV6_TRUNC);
	if (ip6->version != 6)
		return P4X_DROP(IPV6_VERSION);
	p->l3_end = p->off + sizeof(*ip6) + bpf_ntohs(ip6->payload_len);
	if (p->l3_end > pkt_len)
		return P4X_DROP(IPV6_LEN);
#pragma unroll
	for (i = 0; i < 4; i++) {
		p->saddr[i] = bpf_ntohl(ip6->saddr.in6_u.u6_addr32[i]);
		p->daddr[i] = bpf_ntohl(ip6->daddr.in6_u.u6_addr32[i]);
	}
	nexthdr = ip6->nexthdr;
	p->off += sizeof(*ip6);
	/* One more round than headers: it finds the upper layer. */
	for (i = 0; i <= P4X_IPV6_EXT_MAX && !done; i++) {
		ret = p4x_ipv6_ext(p, &nexthdr, i == 0, &done);
		if (ret)
			return ret;
	}
	if (!done || p->off > P4X_L4_OFF_MAX)
		return P4X_DROP(IPV6_EXT);
	p->proto = nexthdr;
	if (p->meta.flags & P4X_META_F_FRAG)
		return P4X_PARSE_OK;
	p->meta.l4_proto = nexthdr;
	p->meta.l4_off = p->off;
	return P4X_PARSE_OK;
}

static __always_inline int p4x_parse_tcp(struct p4x_parse *p)
{
	struct tcphdr *tcp = p4x_at(p, sizeof(*tcp));
	__u32 doff;

	if (!tcp || p->off + sizeof(*tcp) > p->l3_end)
		return P4X_DROP(L4_TRUNC);
	doff = tcp->doff * 4;
	if (doff < sizeof(*tcp) || p->off + doff > p->l3_end)
		return P4X_DROP(TCP_DOFF);
	if (!p->frag) {
		p->sport = bpf_ntohs(tcp->source);
		p->dport = bpf_ntohs(tcp->dest);
	}
	return P4X_PARSE_OK;
}

static __always_inline int p4x_parse_udp(struct p4x_parse *p)
{
	struct udphdr *udp = p4x_at(p, sizeof(*udp));

	if (!udp || p->off + sizeof(*udp) > p->l3_end)
		return P4X_DROP(L4_TRUNC);
	if (!p->frag) {
		p->sport = bpf_ntohs(udp->source);
		p->dport = bpf_ntohs(udp->dest);
	}
	return P4X_PARSE_OK;
}

static __always_inline int p4x_parse_icmp(struct p4x_parse *p)
{
	__u8 *icmp = p4x_at(p, P4X_ICMP_HLEN);

	if (!icmp || p->off + P4X_ICMP_HLEN > p->l3_end)
		return P4X_DROP(L4_TRUNC);
	p->icmp_type = icmp[0];
	return P4X_PARSE_OK;
}

static __always_inline int p4x_parse_l4(struct p4x_parse *p)
{
	int ret;

	if (!p->meta.l4_off)
		return P4X_PARSE_OK;
	switch (p->meta.l4_proto) {
	case IPPROTO_TCP:
		ret = p4x_parse_tcp(p);
		break;
	case IPPROTO_UDP:
		ret = p4x_parse_udp(p);
		break;
	case IPPROTO_ICMP:
		if (p->meta.l3_proto != ETH_P_IP)
			return P4X_PARSE_OK;
		ret = p4x_parse_icmp(p);
		break;
	case IPPROTO_ICMPV6:
		if (p->meta.l3_proto != ETH_P_IPV6)
			return P4X_PARSE_OK;
		ret = p4x_parse_icmp(p);
		break;
	default:
		return P4X_PARSE_OK;
	}
	if (!ret)
		p->meta.flags |= P4X_META_F_L4;
	return ret;
}

static __always_inline __u32 p4x_host_flags(void)
{
	__u32 key = 0;
	struct p4x_xdp_config *cfg = bpf_map_lookup_elem(&config, &key);

	return cfg ? cfg->host_flags : 0;
}

/* Parse the packet: P4X_PARSE_OK (dataplane), _HOST or a drop reason. */
static __always_inline int p4x_parse(struct p4x_parse *p)
{
	__u32 host = p4x_host_flags();
	int ret;

	ret = p4x_parse_eth(p);
	if (ret)
		return ret;
	switch (p->meta.l3_proto) {
	case ETH_P_IP:
		ret = p4x_parse_ipv4(p);
		break;
	case ETH_P_IPV6:
		ret = p4x_parse_ipv6(p);
		break;
	case ETH_P_ARP:
		if (host & (P4X_HOST_ARP | P4X_HOST_ALL_NON_IP))
			return P4X_PARSE_HOST;
		return P4X_PARSE_OK;
	default:
		if (host & P4X_HOST_ALL_NON_IP)
			return P4X_PARSE_HOST;
		return P4X_PARSE_OK;
	}
	if (!ret)
		ret = p4x_parse_l4(p);
	if (!ret && (host & P4X_HOST_ND) && (p->meta.flags & P4X_META_F_L4) &&
	    p->meta.l4_proto == IPPROTO_ICMPV6 &&
	    p->icmp_type >= P4X_ND_FIRST && p->icmp_type <= P4X_ND_LAST)
		return P4X_PARSE_HOST;
	return ret;
}

static __always_inline void p4x_hash(struct p4x_parse *p)
{
	if (p->meta.l3_proto == ETH_P_IP)
		p->meta.hash = p4x_flow_hash_v4(p->saddr[0], p->daddr[0],
						p->sport, p->dport, p->proto);
	else if (p->meta.l3_proto == ETH_P_IPV6)
		p->meta.hash = p4x_flow_hash_v6(p->saddr, p->daddr, p->sport,
						p->dport, p->proto);
}

/*
 * Write the metadata right in front of the packet, where the engine looks
 * for it: metadata an earlier program left is replaced (the area is
 * resized to exactly ours). False when impossible.
 */
static __always_inline bool p4x_write_meta(struct xdp_md *ctx,
					   const struct p4x_xdp_meta *src)
{
	long cur = (long)ctx->data - (long)ctx->data_meta;
	struct p4x_xdp_meta *m;
	void *data;

	if (bpf_xdp_adjust_meta(ctx, (int)cur - (int)sizeof(*m)))
		return false;
	m = (void *)(long)ctx->data_meta;
	data = (void *)(long)ctx->data;
	if ((void *)(m + 1) > data)
		return false;
	*m = *src;
	return true;
}

static __always_inline int p4x_drop(struct p4x_xdp_stats *st, __u32 reason)
{
	st->cnt[P4X_XDP_CNT_DROP]++;
	/* Keep the bound check: clang drops it on paths it thinks it knows,
	 * the verifier does not. */
	asm volatile("" : "+r"(reason));
	if (reason < P4X_DROP__COUNT)
		st->drop[reason]++;
	return XDP_DROP;
}

SEC("xdp")
int p4x_steer(struct xdp_md *ctx)
{
	struct p4x_parse p = {
		.data = (void *)(long)ctx->data,
		.data_end = (void *)(long)ctx->data_end,
	};
	struct p4x_xdp_stats *st;
	__u32 key = 0;
	int ret;

	st = bpf_map_lookup_elem(&stats, &key);
	if (!st)
		return XDP_ABORTED;
	st->cnt[P4X_XDP_CNT_RX]++;
	ret = p4x_parse(&p);
	if (ret == P4X_PARSE_HOST) {
		st->cnt[P4X_XDP_CNT_PASS_HOST]++;
		return XDP_PASS;
	}
	if (ret == P4X_PARSE_OK) {
		p4x_hash(&p);
		p.meta.rx_queue = ctx->rx_queue_index;
		p.meta.magic = P4X_META_MAGIC;
		if (!p4x_write_meta(ctx, &p.meta))
			ret = P4X_DROP(META);
	}
	if (ret > 0)
		return p4x_drop(st, ret - 1);
	ret = bpf_redirect_map(&xsks, ctx->rx_queue_index, XDP_PASS);
	if (ret == XDP_REDIRECT)
		st->cnt[P4X_XDP_CNT_REDIRECT]++;
	else
		st->cnt[P4X_XDP_CNT_PASS_NOSOCK]++;
	return ret;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
