/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The XDP-to-engine ABI: the one header shared by bpf/ and the engine.
 *
 * The steering program writes struct p4x_xdp_meta into the XDP metadata
 * area (bpf_xdp_adjust_meta) right in front of the packet before it
 * redirects the packet to the AF_XDP socket of its rx queue. In copy and
 * zero-copy mode alike, the engine finds it at rx descriptor address minus
 * sizeof(struct p4x_xdp_meta). The kernel does not clear the headroom of a
 * reused frame and the rx descriptor does not carry the metadata length,
 * so the size is fixed by this header and the last word is a magic that
 * the engine checks before trusting the rest.
 *
 * Drop reasons and verdict counters are defined once here, as X-macros,
 * for the XDP program (per-CPU counter map) and the engine (per-worker
 * counters) alike. This header must stay includable from BPF C: kernel
 * types only, no libc.
 */
#ifndef P4X_XDP_META_H
#define P4X_XDP_META_H

#include <linux/types.h>

#define P4X_META_MAGIC 0x50345831u /* "P4X1" */

/* Parse flags in p4x_xdp_meta.flags. */
#define P4X_META_F_VLAN 0x01	 /* at least one VLAN tag */
#define P4X_META_F_IPV4_OPT 0x02 /* IPv4 header carries options */
#define P4X_META_F_IPV6_EXT 0x04 /* IPv6 extension headers were walked */
#define P4X_META_F_FRAG 0x08	 /* non-first fragment: no L4 header */
#define P4X_META_F_L4                                  \
	0x10 /* l4_off points at a validated TCP, UDP, \
	      * ICMP or ICMPv6 header */

/*
 * 24 bytes, all multi-byte fields in host byte order. For IPv4/IPv6,
 * l4_proto/l4_off name the upper-layer protocol and where its header starts
 * once the IP header (and IPv6 extension chain) was walked, whatever the
 * protocol; P4X_META_F_L4 says whether that header was one the program
 * validates. A non-first fragment has neither (l4_off 0, l4_proto 0).
 */
struct p4x_xdp_meta {
	__u32 hash;	   /* p4x_flow_hash_*() of the 5-tuple (0: non-IP) */
	__u16 l3_off;	   /* offset of the L3 header from packet start */
	__u16 l4_off;	   /* offset of the L4 header, 0 when none */
	__u16 l3_proto;	   /* ethertype after VLAN tags, host byte order */
	__u8 l4_proto;	   /* IPPROTO_* of the upper layer, 0 when none */
	__u8 flags;	   /* P4X_META_F_* */
	__u16 vlan_tci[2]; /* outer, inner TCI in host order; 0 when absent */
	__u32 rx_queue;	   /* rx queue the packet arrived on */
	__u32 magic;	   /* P4X_META_MAGIC; last, adjacent to packet data */
};

/*
 * Flow hash: Bob Jenkins' lookup3 hashword() (the kernel's jhash2()) with
 * seed P4X_HASH_SEED over 32-bit words, all in host byte order:
 *   IPv4: saddr, daddr, sport << 16 | dport, l4_proto            (4 words)
 *   IPv6: saddr[0..3], daddr[0..3], sport << 16 | dport, l4_proto (10 words)
 * Ports are those of TCP and UDP; they are 0 for every other protocol and
 * for every fragment (first or not), so all fragments of a datagram hash
 * alike; l4_proto here is the upper-layer protocol, also for non-first
 * fragments. The engine uses the same functions for packets
 * that did not cross XDP, so a flow hashes alike on every port kind.
 */
#define P4X_HASH_SEED 0x50345848u /* "P4XH" */
#define P4X_JHASH_INIT 0xdeadbeefu

static inline __u32 p4x_rol32(__u32 w, unsigned int s)
{
	return (w << s) | (w >> (32 - s));
}

#define P4X_JHASH_MIX(a, b, c)         \
	do {                           \
		a -= c;                \
		a ^= p4x_rol32(c, 4);  \
		c += b;                \
		b -= a;                \
		b ^= p4x_rol32(a, 6);  \
		a += c;                \
		c -= b;                \
		c ^= p4x_rol32(b, 8);  \
		b += a;                \
		a -= c;                \
		a ^= p4x_rol32(c, 16); \
		c += b;                \
		b -= a;                \
		b ^= p4x_rol32(a, 19); \
		a += c;                \
		c -= b;                \
		c ^= p4x_rol32(b, 4);  \
		b += a;                \
	} while (0)

#define P4X_JHASH_FINAL(a, b, c)       \
	do {                           \
		c ^= b;                \
		c -= p4x_rol32(b, 14); \
		a ^= c;                \
		a -= p4x_rol32(c, 11); \
		b ^= a;                \
		b -= p4x_rol32(a, 25); \
		c ^= b;                \
		c -= p4x_rol32(b, 16); \
		a ^= c;                \
		a -= p4x_rol32(c, 4);  \
		b ^= a;                \
		b -= p4x_rol32(a, 14); \
		c ^= b;                \
		c -= p4x_rol32(b, 24); \
	} while (0)

/* lookup3 hashword() over @n words (@n a compile-time constant > 0). */
static inline __u32 p4x_jhash_words(const __u32 *k, unsigned int n, __u32 seed)
{
	__u32 a, b, c;

	a = b = c = P4X_JHASH_INIT + (n << 2) + seed;
	while (n > 3) {
		a += k[0];
		b += k[1];
		c += k[2];
		P4X_JHASH_MIX(a, b, c);
		n -= 3;
		k += 3;
	}
	if (n == 3)
		c += k[2];
	if (n >= 2)
		b += k[1];
	a += k[0];
	P4X_JHASH_FINAL(a, b, c);
	return c;
}

static inline __u32 p4x_flow_hash_v4(__u32 saddr, __u32 daddr, __u16 sport,
				     __u16 dport, __u8 proto)
{
	__u32 w[4] = {saddr, daddr, (__u32)sport << 16 | dport, proto};

	return p4x_jhash_words(w, 4, P4X_HASH_SEED);
}

static inline __u32 p4x_flow_hash_v6(const __u32 saddr[4], const __u32 daddr[4],
				     __u16 sport, __u16 dport, __u8 proto)
{
	__u32 w[10] = {saddr[0], saddr[1], saddr[2],
		       saddr[3], daddr[0], daddr[1],
		       daddr[2], daddr[3], (__u32)sport << 16 | dport,
		       proto};

	return p4x_jhash_words(w, 10, P4X_HASH_SEED);
}

/*
 * Drop reasons: X(ENUM_SUFFIX, "json_key", "description").
 * The first block is raised by the XDP steering program, the second by
 * the engine. Keys are stable: they appear in JSON output.
 */
#define P4X_DROP_REASONS(X)                                                  \
	X(ETH_TRUNC, "eth_truncated", "Ethernet header truncated")           \
	X(VLAN_TRUNC, "vlan_truncated", "VLAN tag truncated")                \
	X(VLAN_DEPTH, "vlan_too_deep", "more than two VLAN tags")            \
	X(IPV4_TRUNC, "ipv4_truncated", "IPv4 header truncated")             \
	X(IPV4_VERSION, "ipv4_bad_version", "IPv4 version field is not 4")   \
	X(IPV4_IHL, "ipv4_bad_ihl", "IPv4 IHL below 5 or past the packet")   \
	X(IPV4_LEN, "ipv4_bad_len", "IPv4 total length inconsistent")        \
	X(IPV6_TRUNC, "ipv6_truncated", "IPv6 header truncated")             \
	X(IPV6_VERSION, "ipv6_bad_version", "IPv6 version field is not 6")   \
	X(IPV6_EXT, "ipv6_bad_ext", "IPv6 extension header chain malformed") \
	X(IPV6_LEN, "ipv6_bad_len", "IPv6 payload length past the packet")   \
	X(L4_TRUNC, "l4_truncated", "TCP/UDP/ICMP header truncated")         \
	X(TCP_DOFF, "tcp_bad_doff", "TCP data offset below 5 or past end")   \
	X(META, "meta_failed", "XDP metadata area unavailable")              \
	X(BAD_META, "bad_meta", "engine: rx frame without valid metadata")   \
	X(NO_ROUTE, "no_route", "engine: program chose no egress port")      \
	X(PROG_DROP, "prog_drop", "engine: program dropped the packet")      \
	X(PARSER_REJECT, "parser_reject", "engine: P4 parser rejected")      \
	X(PORT_DOWN, "port_down", "engine: egress port is down")             \
	X(TX_FULL, "tx_full", "engine: egress ring or tx ring full")         \
	X(NO_FRAME, "no_frame", "engine: no free frame in the buffer pool")  \
	X(TOO_BIG, "too_big", "engine: packet larger than the egress frame") \
	X(SCHED, "sched_drop", "engine: the egress scheduler dropped it")

enum p4x_drop_reason {
#define P4X_X_ENUM(name, key, desc) P4X_DROP_##name,
	P4X_DROP_REASONS(P4X_X_ENUM)
#undef P4X_X_ENUM
		P4X_DROP__COUNT
};

/*
 * XDP verdict counters, X(ENUM_SUFFIX, "json_key", "description"), kept
 * per CPU by the steering program beside the drop reasons.
 */
#define P4X_XDP_COUNTERS(X)                                                   \
	X(RX, "rx", "packets seen by the XDP program")                        \
	X(REDIRECT, "redirect", "redirected to the AF_XDP socket")            \
	X(PASS_HOST, "pass_host", "host traffic passed to the kernel")        \
	X(PASS_NOSOCK, "pass_nosock", "passed: no socket bound to the queue") \
	X(DROP, "drop", "dropped as malformed (see drop reasons)")

enum p4x_xdp_counter {
#define P4X_X_ENUM(name, key, desc) P4X_XDP_CNT_##name,
	P4X_XDP_COUNTERS(P4X_X_ENUM)
#undef P4X_X_ENUM
		P4X_XDP_CNT__COUNT
};

/*
 * Layout of one per-CPU slot of the steering program's counter map
 * (an array map with a single key 0).
 */
struct p4x_xdp_stats {
	__u64 cnt[P4X_XDP_CNT__COUNT];
	__u64 drop[P4X_DROP__COUNT];
};

/*
 * Host-traffic policy, in the steering program's config map (array, key 0).
 * Bits of p4x_xdp_config.host_flags.
 */
#define P4X_HOST_ARP 0x01	 /* ARP passes to the host stack */
#define P4X_HOST_ND 0x02	 /* IPv6 neighbour discovery (ICMPv6 133-137) */
#define P4X_HOST_ALL_NON_IP 0x04 /* any non-IPv4/IPv6 ethertype */
/* nothing to the host: an explicit empty policy, since 0 asks for the
 * default (a P4 program that handles ARP itself needs every frame) */
#define P4X_HOST_NONE 0x80

struct p4x_xdp_config {
	__u32 host_flags; /* P4X_HOST_* */
	__u32 pad;
};

#endif /* P4X_XDP_META_H */
