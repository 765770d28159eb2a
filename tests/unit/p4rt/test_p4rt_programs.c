// SPDX-License-Identifier: BSD-3-Clause
/*
 * The example P4TC programs (examples/) run through the native runtime on
 * crafted packets: the frames of their STF tests (hit paths, byte for
 * byte), misses and default actions, drops, to-host, parser rejects,
 * encap/decap, ARP replies; then every truncation and a sweep of
 * corrupted bytes of each valid frame, which must end in a verdict
 * without reading outside the packet (run under ASan in CI).
 *
 * Usage: test_p4rt_programs EXAMPLES_SRC_DIR EXAMPLES_BUILD_DIR
 */
#include "p4rt_test.h"

static const char *src_dir, *obj_dir;

/* Engine ports: ifindex = port + 1 (the runtime's default mapping). */
#define IFX_P0 "1"
#define IFX_P1 "2"

static void open_prog(struct harness *h, const char *name)
{
	char so[512];

	snprintf(so, sizeof(so), "%s/%s/%s.so", obj_dir, name, name);
	h_open(h, src_dir, so, name, NULL);
}

static void expect_tx(struct harness *h, uint16_t in, const char *in_hex,
		      uint16_t out_port, const char *out_hex)
{
	uint8_t in_b[512], exp[512];
	uint32_t n = h_hex(in_hex, in_b), m = h_hex(out_hex, exp);
	struct h_out o;

	h_run(h, in, in_b, n, &o);
	CHECK_EQ(o.verdict, P4X_VERDICT_TX);
	CHECK_EQ(o.out_port, out_port);
	CHECK_EQ(o.len, m);
	CHECK(!memcmp(o.data, exp, m), "output bytes differ");
}

static void expect_verdict(struct harness *h, uint16_t in, const char *hex,
			   uint8_t verdict, uint8_t reason)
{
	uint8_t b[512];
	uint32_t n = h_hex(hex, b);
	struct h_out o;

	h_run(h, in, b, n, &o);
	CHECK_EQ(o.verdict, verdict);
	CHECK_EQ(o.drop_reason, reason);
}

/* Every prefix of @hex and single-byte corruptions: a verdict, no crash,
 * and nothing read outside the packet. Returns how many went out. */
static unsigned int fuzz(struct harness *h, uint16_t in, const char *hex)
{
	uint8_t b[512], c[512];
	uint32_t n = h_hex(hex, b), i, v;
	unsigned int tx = 0;
	struct h_out o;

	for (i = 0; i < n; i++) {
		h_run(h, in, b, i, &o);
		CHECK(o.verdict <= P4X_VERDICT_HOST, "verdict %u", o.verdict);
		tx += o.verdict == P4X_VERDICT_TX;
	}
	for (i = 0; i < n; i++) {
		for (v = 0; v < 256; v += 51) {
			memcpy(c, b, n);
			c[i] ^= (uint8_t)(v | 1);
			h_run(h, in, c, n, &o);
			CHECK(o.verdict <= P4X_VERDICT_HOST, "verdict %u",
			      o.verdict);
			CHECK(o.verdict != P4X_VERDICT_TX || o.len >= 14,
			      "short output");
			tx += o.verdict == P4X_VERDICT_TX;
		}
	}
	return tx;
}

/* Frames of the STF tests (testdata/p4tc/PROG/PROG.stf). */
#define L3_IN                                                             \
	"10000002 aabb1000 0001aabb 08004500 0028613d 00004006 05910a00 " \
	"00010a0 0000209f e0000364 95b780fb 14bc6500 00200a2a b0000"
#define L3_OUT                                                            \
	"aabbccdd eeff0001 02030405 08004500 0028613d 00004006 05910a00 " \
	"00010a0 0000209f e0000364 95b780fb 14bc6500 00200a2a b0000"

static void test_simple_l3(void)
{
	struct harness h;

	open_prog(&h, "simple_l3");
	/* miss: const default_action drop */
	expect_verdict(&h, 0, L3_IN, P4X_VERDICT_DROP, P4X_DROP_PROG_DROP);
	h_add(&h, "ingress/nh_table",
	      (const char *[]){"dstAddr", "10.0.0.2", NULL}, "ingress/send_nh",
	      (const char *[]){"port", IFX_P1, "srcMac", "00:01:02:03:04:05",
			       "dstMac", "aa:bb:cc:dd:ee:ff", NULL});
	expect_tx(&h, 0, L3_IN, 1, L3_OUT);
	/* UDP: the parser rejects anything but TCP */
	expect_verdict(&h, 0,
		       "10000002 aabb1000 0001aabb 08004500 0028613d 00004011 "
		       "05910a00 00010a00 0002",
		       P4X_VERDICT_DROP, P4X_DROP_PARSER_REJECT);
	/* ARP: not IPv4, rejected */
	expect_verdict(&h, 0, "ffffffffffff 100000010000 0806 0001",
		       P4X_VERDICT_DROP, P4X_DROP_PARSER_REJECT);
	/* a truncated IPv4 header: PacketTooShort, main runs, no table */
	expect_verdict(&h, 0, "10000002 aabb1000 0001aabb 08004500 0028",
		       P4X_VERDICT_HOST, P4X_DROP_NO_ROUTE);
	CHECK(fuzz(&h, 0, L3_IN) > 0, "no corrupted frame forwarded");
	h_close(&h);
}

#define RT_IN                                                             \
	"0090fb65 d6fe0203 04050601 08004500 001c0001 00004011 656c0b00 " \
	"00010a63 000104d3 10e10008 d4c5"
#define RT_OUT                                                            \
	"13371337 13370203 04050601 08004500 001c0001 00003f11 666c0b00 " \
	"00010a63 000104d3 10e10008 d4c5"
#define RT_OUT_DEFAULT                                                    \
	"aabbccdd eeff0203 04050601 08004500 001c0001 00003f11 666c0b00 " \
	"00010b63 000104d3 10e10008 d4c5"

static void test_routing(void)
{
	struct harness h;

	open_prog(&h, "routing");
	h_add(&h, "Main/fib_table",
	      (const char *[]){"prefix", "10.0.0.0/8", NULL}, "Main/set_nhid",
	      (const char *[]){"index", "1", NULL});
	/* fib hit, nh_table miss: default drop */
	expect_verdict(&h, 0, RT_IN, P4X_VERDICT_DROP, P4X_DROP_PROG_DROP);
	h_add(&h, "Main/nh_table", (const char *[]){"nh_index", "1", NULL},
	      "Main/set_nh",
	      (const char *[]){"dmac", "13:37:13:37:13:37", "port", IFX_P1,
			       NULL});
	/* TTL decremented, checksum updated incrementally */
	expect_tx(&h, 0, RT_IN, 1, RT_OUT);
	/* fib miss (11.99.0.1): default set_nhid(0), then nh 0 */
	h_add(&h, "Main/nh_table", (const char *[]){"nh_index", "0", NULL},
	      "Main/set_nh",
	      (const char *[]){"dmac", "aa:bb:cc:dd:ee:ff", "port", IFX_P1,
			       NULL});
	expect_tx(&h, 0,
		  "0090fb65 d6fe0203 04050601 08004500 001c0001 00004011 "
		  "656c0b00 00010b63 000104d3 10e10008 d4c5",
		  1, RT_OUT_DEFAULT);
	/* TTL 1: dropped by the control */
	expect_verdict(&h, 0,
		       "0090fb65 d6fe0203 04050601 08004500 001c0001 00000111 "
		       "656c0b00 00010a63 000104d3 10e10008 d4c5",
		       P4X_VERDICT_DROP, P4X_DROP_PROG_DROP);
	CHECK(fuzz(&h, 0, RT_IN) > 0, "no corrupted frame forwarded");
	h_close(&h);
}

#define L2_IN                                                             \
	"0090fb65 d6fe0203 04050601 08004500 001c0001 00004011 666c0a00 " \
	"00010a63 000104d3 10e10008 d5c5"
#define L2_OUT                                                            \
	"00010203 04050607 08091112 08004500 001c0001 00004011 666c0a00 " \
	"00010a63 000104d3 10e10008 d5c5"

static void test_redirect_l2(void)
{
	struct harness h;

	open_prog(&h, "redirect_l2");
	/* miss, no default action: egress port 0, to the host */
	expect_verdict(&h, 0, L2_IN, P4X_VERDICT_HOST, P4X_DROP_NO_ROUTE);
	h_add(&h, "ingress/nh_table",
	      (const char *[]){"srcAddr", "10.0.0.1", NULL}, "ingress/send_nh",
	      (const char *[]){"port_id", IFX_P1, "dmac", "00:01:02:03:04:05",
			       "smac", "06:07:08:09:11:12", NULL});
	expect_tx(&h, 0, L2_IN, 1, L2_OUT);
	/* a redirect to an ifindex no engine port has */
	h_add(&h, "ingress/nh_table",
	      (const char *[]){"srcAddr", "10.0.0.9", NULL}, "ingress/send_nh",
	      (const char *[]){"port_id", "999", "dmac", "00:01:02:03:04:05",
			       "smac", "06:07:08:09:11:12", NULL});
	expect_verdict(&h, 0,
		       "10000002 aabb1000 0001aabb 08004500 0028613d 00004006 "
		       "05910a00 00090a00 0002",
		       P4X_VERDICT_DROP, P4X_DROP_NO_ROUTE);
	CHECK(fuzz(&h, 0, L2_IN) > 0, "no corrupted frame forwarded");
	h_close(&h);
}

#define ARP_IN                                                            \
	"ffffffff ffff1000 0001aabb 08060001 08000604 00011000 0001aabb " \
	"0a00000 100000000 00000a00 0014"
#define ARP_OUT                                                           \
	"10000001 aabb0001 02030420 08060001 08000604 00020001 02030420 " \
	"0a000014 10000001 aabb0a00 0014"

static void test_arp_respond(void)
{
	struct harness h;

	open_prog(&h, "arp_respond");
	expect_verdict(&h, 0, ARP_IN, P4X_VERDICT_DROP, P4X_DROP_PROG_DROP);
	h_add(&h, "ingress/arp_table",
	      (const char *[]){"IPaddr", "10.0.0.20", NULL},
	      "ingress/arp_reply",
	      (const char *[]){"rmac", "00:01:02:03:04:20", NULL});
	/* the reply goes back out of the port the request came in on */
	expect_tx(&h, 0, ARP_IN, 0, ARP_OUT);
	expect_tx(&h, 1, ARP_IN, 1, ARP_OUT);
	/* an ARP reply is rejected by the parser */
	expect_verdict(&h, 0,
		       "ffffffff ffff1000 0001aabb 08060001 08000604 00021000 "
		       "0001aabb 0a000001 00000000 00000a00 0014",
		       P4X_VERDICT_DROP, P4X_DROP_PARSER_REJECT);
	/* IPv4: accepted, table looked up with an invalid header: drop */
	expect_verdict(&h, 0, L2_IN, P4X_VERDICT_DROP, P4X_DROP_PROG_DROP);
	CHECK(fuzz(&h, 0, ARP_IN) > 0, "no corrupted frame answered");
	h_close(&h);
}

#define IPIP_PLAIN                                                        \
	"0090fb65 d6fe0203 04050601 08004500 001c0001 00004011 666c0a00 " \
	"00010a63 000104d3 10e10008 d5c5"
#define IPIP_ENCAP                                                        \
	"0090fb65 d6fe0203 04050601 08004500 00300001 00004004 70ba0202 " \
	"02020204 04084500 001c0001 00003f11 676c0a00 00010a63 000104d3 " \
	"10e10008 d5c5"
#define IPIP_TUNNELED                                                     \
	"0090fb65 d6fe0203 04050601 08004500 00300001 00004004 66650a00 " \
	"00010a63 00014500 001c0001 00004011 74c50101 01010103 030704d3 " \
	"10e10008 e41e"
#define IPIP_DECAP                                                        \
	"66333435 46010203 04050601 08004500 001c0001 00004011 74c50101 " \
	"01010103 030704d3 10e10008 e41e"

static void test_ipip(void)
{
	struct harness h;

	open_prog(&h, "ipip");
	expect_verdict(&h, 0, IPIP_PLAIN, P4X_VERDICT_DROP, P4X_DROP_PROG_DROP);
	/* decap: tunnelled packets arriving on port 1 go out of port 0 */
	h_add(&h, "Main/fwd_table", (const char *[]){"port", IFX_P1, NULL},
	      "Main/set_nh",
	      (const char *[]){"dmac", "66:33:34:35:46:01", "port", IFX_P0,
			       NULL});
	expect_tx(&h, 1, IPIP_TUNNELED, 0, IPIP_DECAP);
	/* encap: plain packets arriving on port 0 go out of port 1 */
	h_add(&h, "Main/fwd_table", (const char *[]){"port", IFX_P0, NULL},
	      "Main/set_ipip",
	      (const char *[]){"src", "2.2.2.2", "dst", "2.4.4.8", "port",
			       IFX_P1, NULL});
	expect_tx(&h, 0, IPIP_PLAIN, 1, IPIP_ENCAP);
	/* not IPv4: rejected */
	expect_verdict(&h, 0, "ffffffffffff 100000010000 0806 0001",
		       P4X_VERDICT_DROP, P4X_DROP_PARSER_REJECT);
	CHECK(fuzz(&h, 0, IPIP_PLAIN) > 0, "no corrupted frame encapsulated");
	CHECK(fuzz(&h, 1, IPIP_TUNNELED) > 0, "no corrupted frame decapped");
	h_close(&h);
}

int main(int argc, char **argv)
{
	CHECK(argc == 3, "usage: %s <examples dir> <examples build dir>",
	      argv[0]);
	src_dir = argv[1];
	obj_dir = argv[2];
	rcu_register_thread();
	rcu_thread_offline();
	test_simple_l3();
	test_routing();
	test_redirect_l2();
	test_arp_respond();
	test_ipip();
	rcu_thread_online();
	rcu_unregister_thread();
	printf("p4rt programs: ok\n");
	return 0;
}
