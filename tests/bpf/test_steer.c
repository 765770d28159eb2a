// SPDX-License-Identifier: BSD-3-Clause
/*
 * Suite 'bpf': the steering program under BPF_PROG_TEST_RUN. Each case
 * crafts a packet, runs it once and checks the verdict, the metadata in
 * front of the packet (or its absence), that the packet bytes are
 * unchanged, and which per-CPU counters moved. No socket is in the
 * XSKMAP here, so dataplane packets come back as XDP_PASS (pass_nosock);
 * the redirect path is covered by test_attach, which binds a socket.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/if_ether.h>
#include <netinet/in.h>
#include <linux/bpf.h>

#include "p4x/log.h"
#include "p4x/xdp.h"
#include "tpkt.h"

#define ETH_P_8021AD_ 0x88A8
#define ETH_P_LOCAL_EXP 0x88B5

/* Independent lookup3 results (computed outside this code base) for the
 * tuples below, guarding the hash definition of docs/xdp-abi.md. */
#define KAT_V4_TCP_1234_80 0xb19c3d17u
#define KAT_V6_UDP_5000_53 0x3eb2dad5u

static int failures;
static const char *cur_case;

#define CHECK(cond, ...)                                          \
	do {                                                      \
		if (!(cond)) {                                    \
			failures++;                               \
			printf("FAIL %s: %s: ", cur_case, #cond); \
			printf(__VA_ARGS__);                      \
			printf("\n");                             \
		}                                                 \
	} while (0)

/* What a case expects. drop < 0: not dropped. */
struct expect {
	int verdict;
	int drop;    /* P4X_DROP_* or -1 */
	int counter; /* P4X_XDP_CNT_* bumped besides RX */
	bool meta;   /* metadata written */
};

static struct p4x_xdp *xdp;

static void stats_now(struct p4x_xdp_stats *s)
{
	int err = p4x_xdp__stats(xdp, s);

	CHECK(!err, "stats: %s", strerror(-err));
}

static void check_counters(const struct p4x_xdp_stats *a,
			   const struct p4x_xdp_stats *b,
			   const struct expect *e)
{
	int i;

	for (i = 0; i < P4X_XDP_CNT__COUNT; i++) {
		__u64 want = (i == P4X_XDP_CNT_RX || i == e->counter) ? 1 : 0;

		CHECK(b->cnt[i] - a->cnt[i] == want, "counter %d moved by %llu",
		      i, (unsigned long long)(b->cnt[i] - a->cnt[i]));
	}
	for (i = 0; i < P4X_DROP__COUNT; i++) {
		__u64 want = i == e->drop ? 1 : 0;

		CHECK(b->drop[i] - a->drop[i] == want,
		      "drop reason %d moved by %llu", i,
		      (unsigned long long)(b->drop[i] - a->drop[i]));
	}
}

/* Run @p, check verdict, counters and metadata presence; return result. */
static struct tpkt_res run_case(const char *name, const struct tpkt *p,
				uint32_t pre_meta, const struct expect *e)
{
	struct p4x_xdp_stats a, b;
	struct tpkt_res r;
	int err;

	cur_case = name;
	stats_now(&a);
	err = tpkt_run(p4x_xdp__prog_fd(xdp), p, pre_meta, &r);
	CHECK(!err, "test run: %s", strerror(-err));
	stats_now(&b);
	CHECK(r.verdict == e->verdict, "verdict %d, want %d", r.verdict,
	      e->verdict);
	check_counters(&a, &b, e);
	if (e->verdict != XDP_DROP)
		CHECK(r.pkt_intact, "packet bytes changed");
	if (e->meta) {
		CHECK(r.has_meta && r.meta_len == sizeof(r.meta),
		      "meta length %u", r.meta_len);
		CHECK(r.meta.magic == P4X_META_MAGIC, "magic 0x%x",
		      r.meta.magic);
		CHECK(r.meta.rx_queue == 0, "rx_queue %u", r.meta.rx_queue);
	} else if (e->verdict != XDP_DROP) {
		CHECK(r.meta_len == pre_meta, "meta written (len %u)",
		      r.meta_len);
	}
	return r;
}

static const struct expect exp_dataplane = {XDP_PASS, -1,
					    P4X_XDP_CNT_PASS_NOSOCK, true};
static const struct expect exp_host = {XDP_PASS, -1, P4X_XDP_CNT_PASS_HOST,
				       false};

static void expect_drop(const char *name, const struct tpkt *p,
			uint32_t pre_meta, int reason)
{
	struct expect e = {XDP_DROP, reason, P4X_XDP_CNT_DROP, false};

	run_case(name, p, pre_meta, &e);
}

/* Check the parse fields of a dataplane result. */
static void check_meta(const struct tpkt_res *r, uint16_t l3_off,
		       uint16_t l4_off, uint16_t l3_proto, uint8_t l4_proto,
		       uint8_t flags)
{
	CHECK(r->meta.l3_off == l3_off, "l3_off %u, want %u", r->meta.l3_off,
	      l3_off);
	CHECK(r->meta.l4_off == l4_off, "l4_off %u, want %u", r->meta.l4_off,
	      l4_off);
	CHECK(r->meta.l3_proto == l3_proto, "l3_proto 0x%x, want 0x%x",
	      r->meta.l3_proto, l3_proto);
	CHECK(r->meta.l4_proto == l4_proto, "l4_proto %u, want %u",
	      r->meta.l4_proto, l4_proto);
	CHECK(r->meta.flags == flags, "flags 0x%x, want 0x%x", r->meta.flags,
	      flags);
}

static void check_hash_v4(const struct tpkt_res *r, uint16_t sport,
			  uint16_t dport, uint8_t proto)
{
	uint32_t want =
		p4x_flow_hash_v4(TPKT_V4_SRC, TPKT_V4_DST, sport, dport, proto);

	CHECK(r->meta.hash == want, "hash 0x%x, want 0x%x", r->meta.hash, want);
}

static void check_hash_v6(const struct tpkt_res *r, uint16_t sport,
			  uint16_t dport, uint8_t proto)
{
	uint32_t want =
		p4x_flow_hash_v6(tpkt_v6_src, tpkt_v6_dst, sport, dport, proto);

	CHECK(r->meta.hash == want, "hash 0x%x, want 0x%x", r->meta.hash, want);
}

static void test_hash_kat(void)
{
	cur_case = "hash_kat";
	CHECK(p4x_flow_hash_v4(TPKT_V4_SRC, TPKT_V4_DST, 1234, 80,
			       IPPROTO_TCP) == KAT_V4_TCP_1234_80,
	      "v4 hash 0x%x",
	      p4x_flow_hash_v4(TPKT_V4_SRC, TPKT_V4_DST, 1234, 80,
			       IPPROTO_TCP));
	CHECK(p4x_flow_hash_v6(tpkt_v6_src, tpkt_v6_dst, 5000, 53,
			       IPPROTO_UDP) == KAT_V6_UDP_5000_53,
	      "v6 hash 0x%x",
	      p4x_flow_hash_v6(tpkt_v6_src, tpkt_v6_dst, 5000, 53,
			       IPPROTO_UDP));
}

static void test_ipv4_l4(void)
{
	struct tpkt_res r;
	struct tpkt p;

	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_IP);
	tpkt_ipv4(&p, IPPROTO_TCP, 0, 20, 0);
	tpkt_tcp(&p, 1234, 80, 5);
	r = run_case("ipv4_tcp", &p, 0, &exp_dataplane);
	check_meta(&r, 14, 34, ETH_P_IP, IPPROTO_TCP, P4X_META_F_L4);
	CHECK(r.meta.hash == KAT_V4_TCP_1234_80, "hash 0x%x", r.meta.hash);
	CHECK(!r.meta.vlan_tci[0] && !r.meta.vlan_tci[1], "vlan set");

	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_IP);
	tpkt_ipv4(&p, IPPROTO_UDP, 0, 12, 0);
	tpkt_udp(&p, 4000, 4001, 12);
	tpkt_zero(&p, 4);
	r = run_case("ipv4_udp", &p, 0, &exp_dataplane);
	check_meta(&r, 14, 34, ETH_P_IP, IPPROTO_UDP, P4X_META_F_L4);
	check_hash_v4(&r, 4000, 4001, IPPROTO_UDP);

	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_IP);
	tpkt_ipv4(&p, IPPROTO_ICMP, 0, 8, 0);
	tpkt_icmp(&p, 8, 0);
	r = run_case("ipv4_icmp", &p, 0, &exp_dataplane);
	check_meta(&r, 14, 34, ETH_P_IP, IPPROTO_ICMP, P4X_META_F_L4);
	check_hash_v4(&r, 0, 0, IPPROTO_ICMP);
}

static void test_ipv4_variants(void)
{
	struct tpkt_res r;
	struct tpkt p;

	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_IP);
	tpkt_ipv4(&p, IPPROTO_UDP, 8, 8, 0);
	tpkt_udp(&p, 7, 9, 8);
	r = run_case("ipv4_options", &p, 0, &exp_dataplane);
	check_meta(&r, 14, 42, ETH_P_IP, IPPROTO_UDP,
		   P4X_META_F_L4 | P4X_META_F_IPV4_OPT);
	check_hash_v4(&r, 7, 9, IPPROTO_UDP);

	/* 60-byte minimum frame: Ethernet padding after the datagram. */
	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_IP);
	tpkt_ipv4(&p, IPPROTO_UDP, 0, 8, 0);
	tpkt_udp(&p, 7, 9, 8);
	tpkt_zero(&p, 18);
	r = run_case("ipv4_eth_padding", &p, 0, &exp_dataplane);
	check_meta(&r, 14, 34, ETH_P_IP, IPPROTO_UDP, P4X_META_F_L4);

	/* First fragment: L4 parsed, ports left out of the hash. */
	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_IP);
	tpkt_ipv4(&p, IPPROTO_UDP, 0, 16, 0x2000);
	tpkt_udp(&p, 7, 9, 100);
	tpkt_zero(&p, 8);
	r = run_case("ipv4_first_fragment", &p, 0, &exp_dataplane);
	check_meta(&r, 14, 34, ETH_P_IP, IPPROTO_UDP, P4X_META_F_L4);
	check_hash_v4(&r, 0, 0, IPPROTO_UDP);

	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_IP);
	tpkt_ipv4(&p, IPPROTO_UDP, 0, 3, 185);
	tpkt_zero(&p, 3);
	r = run_case("ipv4_later_fragment", &p, 0, &exp_dataplane);
	check_meta(&r, 14, 0, ETH_P_IP, 0, P4X_META_F_FRAG);
	check_hash_v4(&r, 0, 0, IPPROTO_UDP);
}

static void test_ipv6(void)
{
	struct tpkt_res r;
	struct tpkt p;

	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_IPV6);
	tpkt_ipv6(&p, IPPROTO_UDP, 8);
	tpkt_udp(&p, 5000, 53, 8);
	r = run_case("ipv6_udp", &p, 0, &exp_dataplane);
	check_meta(&r, 14, 54, ETH_P_IPV6, IPPROTO_UDP, P4X_META_F_L4);
	CHECK(r.meta.hash == KAT_V6_UDP_5000_53, "hash 0x%x", r.meta.hash);

	/* HBH(8) + routing(24) + fragment(8, first) + dst opts(16) + UDP. */
	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_IPV6);
	tpkt_ipv6(&p, IPPROTO_HOPOPTS, 8 + 24 + 8 + 16 + 8);
	tpkt_ext(&p, IPPROTO_ROUTING, 0);
	tpkt_ext(&p, IPPROTO_FRAGMENT, 2);
	tpkt_frag(&p, IPPROTO_DSTOPTS, 0, true);
	tpkt_ext(&p, IPPROTO_UDP, 1);
	tpkt_udp(&p, 5000, 53, 8);
	r = run_case("ipv6_ext_chain", &p, 0, &exp_dataplane);
	check_meta(&r, 14, 54 + 56, ETH_P_IPV6, IPPROTO_UDP,
		   P4X_META_F_L4 | P4X_META_F_IPV6_EXT);
	check_hash_v6(&r, 0, 0, IPPROTO_UDP);

	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_IPV6);
	tpkt_ipv6(&p, IPPROTO_FRAGMENT, 8 + 8);
	tpkt_frag(&p, IPPROTO_TCP, 100, false);
	tpkt_zero(&p, 8);
	r = run_case("ipv6_later_fragment", &p, 0, &exp_dataplane);
	check_meta(&r, 14, 0, ETH_P_IPV6, 0,
		   P4X_META_F_IPV6_EXT | P4X_META_F_FRAG);
	check_hash_v6(&r, 0, 0, IPPROTO_TCP);

	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_IPV6);
	tpkt_ipv6(&p, IPPROTO_ICMPV6, 8);
	tpkt_icmp(&p, 128, 0); /* echo request: dataplane */
	r = run_case("ipv6_icmp_echo", &p, 0, &exp_dataplane);
	check_meta(&r, 14, 54, ETH_P_IPV6, IPPROTO_ICMPV6, P4X_META_F_L4);
}

static void test_vlan(void)
{
	struct tpkt_res r;
	struct tpkt p;

	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_8021Q);
	tpkt_vlan(&p, 0x2064, ETH_P_IP);
	tpkt_ipv4(&p, IPPROTO_TCP, 0, 20, 0);
	tpkt_tcp(&p, 1234, 80, 5);
	r = run_case("vlan_single", &p, 0, &exp_dataplane);
	check_meta(&r, 18, 38, ETH_P_IP, IPPROTO_TCP,
		   P4X_META_F_L4 | P4X_META_F_VLAN);
	CHECK(r.meta.vlan_tci[0] == 0x2064 && !r.meta.vlan_tci[1], "tci %x/%x",
	      r.meta.vlan_tci[0], r.meta.vlan_tci[1]);
	CHECK(r.meta.hash == KAT_V4_TCP_1234_80, "hash 0x%x", r.meta.hash);

	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_8021AD_);
	tpkt_vlan(&p, 10, ETH_P_8021Q);
	tpkt_vlan(&p, 20, ETH_P_IPV6);
	tpkt_ipv6(&p, IPPROTO_UDP, 8);
	tpkt_udp(&p, 5000, 53, 8);
	r = run_case("vlan_double", &p, 0, &exp_dataplane);
	check_meta(&r, 22, 62, ETH_P_IPV6, IPPROTO_UDP,
		   P4X_META_F_L4 | P4X_META_F_VLAN);
	CHECK(r.meta.vlan_tci[0] == 10 && r.meta.vlan_tci[1] == 20, "tci %u/%u",
	      r.meta.vlan_tci[0], r.meta.vlan_tci[1]);

	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_8021AD_);
	tpkt_vlan(&p, 10, ETH_P_8021Q);
	tpkt_vlan(&p, 20, ETH_P_8021Q);
	tpkt_vlan(&p, 30, ETH_P_IP);
	tpkt_ipv4(&p, IPPROTO_TCP, 0, 20, 0);
	tpkt_tcp(&p, 1234, 80, 5);
	expect_drop("vlan_triple", &p, 0, P4X_DROP_VLAN_DEPTH);

	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_8021Q);
	tpkt_u16(&p, 5);
	expect_drop("vlan_truncated", &p, 0, P4X_DROP_VLAN_TRUNC);
}

static void test_truncated(void)
{
	struct tpkt p;

	/* eth_truncated cannot be tested here: the kernel refuses test
	 * runs on less than 14 bytes of packet (and no driver delivers
	 * such frames); the program checks it for the verifier's sake. */
	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_IP);
	tpkt_ipv4(&p, IPPROTO_UDP, 0, 8, 0);
	p.len -= 4 + 8;
	expect_drop("ipv4_truncated", &p, 0, P4X_DROP_IPV4_TRUNC);

	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_IPV6);
	tpkt_ipv6(&p, IPPROTO_UDP, 0);
	p.len -= 8;
	expect_drop("ipv6_truncated", &p, 0, P4X_DROP_IPV6_TRUNC);

	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_IP);
	tpkt_ipv4(&p, IPPROTO_TCP, 0, 12, 0);
	tpkt_tcp(&p, 1, 2, 5);
	p.len -= 8;
	expect_drop("tcp_truncated", &p, 0, P4X_DROP_L4_TRUNC);

	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_IPV6);
	tpkt_ipv6(&p, IPPROTO_UDP, 4);
	tpkt_u32(&p, 0x13881389);
	expect_drop("udp_truncated", &p, 0, P4X_DROP_L4_TRUNC);

	/* The UDP header is in the frame but past the IPv4 total length. */
	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_IP);
	tpkt_ipv4(&p, IPPROTO_UDP, 0, 4, 0);
	tpkt_udp(&p, 1, 2, 8);
	tpkt_zero(&p, 20);
	expect_drop("udp_past_ip_len", &p, 0, P4X_DROP_L4_TRUNC);

	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_IP);
	tpkt_ipv4(&p, IPPROTO_ICMP, 0, 4, 0);
	tpkt_u32(&p, 0x08000000);
	expect_drop("icmp_truncated", &p, 0, P4X_DROP_L4_TRUNC);
}

static void test_bad_ipv4(void)
{
	struct tpkt p;

	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_IP);
	tpkt_ipv4(&p, IPPROTO_UDP, 0, 8, 0);
	tpkt_udp(&p, 1, 2, 8);
	p.d[14] = 0x65; /* version 6 in an IPv4 frame */
	expect_drop("ipv4_bad_version", &p, 0, P4X_DROP_IPV4_VERSION);

	p.d[14] = 0x44;
	expect_drop("ipv4_ihl_below_5", &p, 0, P4X_DROP_IPV4_IHL);

	p.d[14] = 0x4f; /* 60 bytes of header in a 28-byte datagram */
	expect_drop("ipv4_ihl_past_end", &p, 0, P4X_DROP_IPV4_IHL);

	p.d[14] = 0x45;
	p.d[16] = 0;
	p.d[17] = 29; /* total length one past the frame */
	expect_drop("ipv4_len_past_end", &p, 0, P4X_DROP_IPV4_LEN);

	p.d[17] = 19; /* below the header length */
	expect_drop("ipv4_len_below_ihl", &p, 0, P4X_DROP_IPV4_LEN);
}

static void test_bad_ipv6(void)
{
	struct tpkt p;
	int i;

	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_IPV6);
	tpkt_ipv6(&p, IPPROTO_UDP, 8);
	tpkt_udp(&p, 1, 2, 8);
	p.d[14] = 0x40;
	expect_drop("ipv6_bad_version", &p, 0, P4X_DROP_IPV6_VERSION);

	p.d[14] = 0x60;
	p.d[19] = 9;
	expect_drop("ipv6_len_past_end", &p, 0, P4X_DROP_IPV6_LEN);

	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_IPV6);
	tpkt_ipv6(&p, IPPROTO_ROUTING, 16);
	tpkt_ext(&p, IPPROTO_HOPOPTS, 0);
	tpkt_ext(&p, IPPROTO_UDP, 0);
	expect_drop("ipv6_hbh_not_first", &p, 0, P4X_DROP_IPV6_EXT);

	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_IPV6);
	tpkt_ipv6(&p, IPPROTO_DSTOPTS, 16);
	tpkt_ext(&p, IPPROTO_UDP, 3); /* 32 bytes in a 16-byte payload */
	p.len = 14 + 40 + 16;
	expect_drop("ipv6_ext_past_payload", &p, 0, P4X_DROP_IPV6_EXT);

	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_IPV6);
	tpkt_ipv6(&p, IPPROTO_DSTOPTS, 9 * 8 + 8);
	for (i = 0; i < 8; i++)
		tpkt_ext(&p, IPPROTO_DSTOPTS, 0);
	tpkt_ext(&p, IPPROTO_UDP, 0);
	tpkt_udp(&p, 1, 2, 8);
	expect_drop("ipv6_ext_chain_too_long", &p, 0, P4X_DROP_IPV6_EXT);

	/* A valid 1024-byte destination options header puts L4 past the
	 * 1024-byte limit of the walk. */
	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_IPV6);
	tpkt_ipv6(&p, IPPROTO_DSTOPTS, 1024 + 8);
	tpkt_ext(&p, IPPROTO_UDP, 127);
	tpkt_udp(&p, 1, 2, 8);
	expect_drop("ipv6_l4_too_deep", &p, 0, P4X_DROP_IPV6_EXT);
}

static void test_bad_tcp(void)
{
	struct tpkt p;

	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_IP);
	tpkt_ipv4(&p, IPPROTO_TCP, 0, 20, 0);
	tpkt_tcp(&p, 1, 2, 4);
	expect_drop("tcp_doff_below_5", &p, 0, P4X_DROP_TCP_DOFF);

	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_IP);
	tpkt_ipv4(&p, IPPROTO_TCP, 0, 20, 0);
	tpkt_tcp(&p, 1, 2, 5);
	p.d[34 + 12] = 6 << 4; /* 24-byte header in a 20-byte segment */
	expect_drop("tcp_doff_past_end", &p, 0, P4X_DROP_TCP_DOFF);
}

static void build_arp(struct tpkt *p)
{
	tpkt_init(p);
	tpkt_eth(p, ETH_P_ARP);
	tpkt_u32(p, 0x00010800); /* Ethernet, IPv4 */
	tpkt_u32(p, 0x06040001); /* request */
	tpkt_zero(p, 20);
}

static void build_nd(struct tpkt *p, uint8_t type)
{
	tpkt_init(p);
	tpkt_eth(p, ETH_P_IPV6);
	tpkt_ipv6(p, IPPROTO_ICMPV6, 24);
	tpkt_icmp(p, type, 0);
	tpkt_zero(p, 16);
}

static void test_host_policy(void)
{
	struct tpkt_res r;
	struct tpkt p;
	uint8_t t;

	build_arp(&p);
	run_case("arp_to_host", &p, 0, &exp_host);
	for (t = 133; t <= 137; t++) {
		build_nd(&p, t);
		run_case("nd_to_host", &p, 0, &exp_host);
	}

	tpkt_init(&p);
	tpkt_eth(&p, ETH_P_LOCAL_EXP);
	tpkt_zero(&p, 46);
	r = run_case("non_ip_dataplane", &p, 0, &exp_dataplane);
	check_meta(&r, 14, 0, ETH_P_LOCAL_EXP, 0, 0);
	CHECK(r.meta.hash == 0, "hash 0x%x", r.meta.hash);

	/* Metadata an earlier program left is replaced by ours. */
	tpkt_init(&p);
	tpkt_zero(&p, 8);
	tpkt_eth(&p, ETH_P_LOCAL_EXP);
	tpkt_zero(&p, 46);
	run_case("non_ip_behind_meta", &p, 8, &exp_dataplane);

	cur_case = "host_flags";
	CHECK(p4x_xdp__set_host_flags(xdp, 0x40) == -EINVAL, "bad flags");
	CHECK(p4x_xdp__set_host_flags(xdp, P4X_HOST_NONE | P4X_HOST_ARP) ==
		      -EINVAL,
	      "none with other flags");
	CHECK(!p4x_xdp__set_host_flags(xdp, P4X_HOST_NONE), "set none");
	build_arp(&p);
	run_case("arp_none_to_host", &p, 0, &exp_dataplane);
	build_nd(&p, 135);
	run_case("nd_none_to_host", &p, 0, &exp_dataplane);
	tpkt_init(&p);
	tpkt_zero(&p, 8);
	tpkt_eth(&p, ETH_P_LOCAL_EXP);
	tpkt_zero(&p, 46);
	CHECK(!p4x_xdp__set_host_flags(xdp, P4X_HOST_ALL_NON_IP), "set");
	run_case("non_ip_all_to_host", &p, 8, &exp_host);
	build_arp(&p);
	run_case("arp_all_non_ip", &p, 0, &exp_host);
	build_nd(&p, 135);
	run_case("nd_not_to_host", &p, 0, &exp_dataplane);

	CHECK(!p4x_xdp__set_host_flags(xdp, P4X_HOST_ND), "set");
	build_arp(&p);
	r = run_case("arp_dataplane", &p, 0, &exp_dataplane);
	check_meta(&r, 14, 0, ETH_P_ARP, 0, 0);
	CHECK(!p4x_xdp__set_host_flags(xdp, P4X_HOST_ARP | P4X_HOST_ND),
	      "restore");
}

int main(void)
{
	struct p4x_xdp_opts opts = {.sz = sizeof(opts)};

	p4x_log__init(P4X_LOG_WARN);
	xdp = p4x_xdp__load(&opts);
	if (!xdp) {
		if (errno == EPERM) {
			printf("SKIP: loading BPF programs needs CAP_BPF\n");
			return 77;
		}
		printf("FAIL: load: %s\n", strerror(errno));
		return 1;
	}
	CHECK(p4x_xdp__mode(xdp) == P4X_PORT_MODE_NONE, "loaded, not attached");
	test_hash_kat();
	test_ipv4_l4();
	test_ipv4_variants();
	test_ipv6();
	test_vlan();
	test_truncated();
	test_bad_ipv4();
	test_bad_ipv6();
	test_bad_tcp();
	test_host_policy();
	p4x_xdp__detach(xdp);
	if (failures) {
		printf("%d check(s) failed\n", failures);
		return 1;
	}
	printf("all checks passed\n");
	return 0;
}
