// SPDX-License-Identifier: BSD-3-Clause
/* Built-in forwarding program: parser, rule lookup, MAC rewrite, errors. */
#include <errno.h>
#include <string.h>

#include "p4x/prog.h"
#include "check.h"
#include "frames.h"

static const uint8_t MAC_A[6] = {2, 0, 0, 0, 0, 0xa};
static const uint8_t MAC_B[6] = {2, 0, 0, 0, 0, 0xb};
static const uint8_t MAC_C[6] = {2, 0, 0, 0, 0, 0xc};
static const uint8_t MAC_D[6] = {2, 0, 0, 0, 0, 0xd};

static void run(const struct p4x_prog *prog, struct p4x_pkt *pkt)
{
	pkt->verdict = P4X_VERDICT_TX;
	pkt->out_port = UINT16_MAX;
	if (prog->ops->parse(prog->ctx, pkt) == 0)
		prog->ops->main(prog->ctx, pkt);
}

static void test_forward(void)
{
	struct p4x_fwd_rule rules[] = {
		{.in_port = 0,
		 .out_port = 1,
		 .flags = P4X_FWD_SET_DST,
		 .dst = {2, 0, 0, 0, 0, 0xc}},
		{.in_port = 1,
		 .out_port = 0,
		 .flags = P4X_FWD_SET_DST | P4X_FWD_SET_SRC,
		 .dst = {2, 0, 0, 0, 0, 0xc},
		 .src = {2, 0, 0, 0, 0, 0xd}},
		{.in_port = 2, .out_port = 2},
	};
	uint8_t f[64], orig[64];
	struct p4x_pkt pkt = {.data = f, .len = 64};
	struct p4x_prog prog;

	CHECK_EQ(p4x_prog_fwd__init(&prog, rules, 3), 0);
	CHECK(!strcmp(prog.ops->name, "fwd"));
	frame_udp4(f, 64, MAC_A, MAC_B, 1);
	memcpy(orig, f, 64);
	run(&prog, &pkt);
	CHECK_EQ(pkt.verdict, P4X_VERDICT_TX);
	CHECK_EQ(pkt.out_port, 1);
	CHECK(!memcmp(f, MAC_C, 6));
	CHECK(!memcmp(f + 6, MAC_B, 6));
	CHECK(!memcmp(f + 12, orig + 12, 52));

	pkt.in_port = 1;
	run(&prog, &pkt);
	CHECK_EQ(pkt.out_port, 0);
	CHECK(!memcmp(f, MAC_C, 6));
	CHECK(!memcmp(f + 6, MAC_D, 6));

	memcpy(f, orig, 64);
	pkt.in_port = 2;
	run(&prog, &pkt);
	CHECK_EQ(pkt.verdict, P4X_VERDICT_TX);
	CHECK_EQ(pkt.out_port, 2);
	CHECK(!memcmp(f, orig, 64));

	pkt.in_port = 3;
	run(&prog, &pkt);
	CHECK_EQ(pkt.verdict, P4X_VERDICT_DROP);
	CHECK_EQ(pkt.drop_reason, P4X_DROP_NO_ROUTE);

	pkt.in_port = 0;
	pkt.len = 13;
	run(&prog, &pkt);
	CHECK_EQ(pkt.verdict, P4X_VERDICT_DROP);
	CHECK_EQ(pkt.drop_reason, P4X_DROP_PARSER_REJECT);
	CHECK(!memcmp(f, orig, 64));
	prog.ops->destroy(prog.ctx);
}

static void test_errors(void)
{
	struct p4x_fwd_rule r[2] = {{.in_port = 0}, {.in_port = 0}};
	struct p4x_prog prog = {0};

	CHECK_EQ(p4x_prog_fwd__init(&prog, r, 2), -EINVAL);
	CHECK(!prog.ops);
	r[1].in_port = P4X_MAX_PORTS;
	CHECK_EQ(p4x_prog_fwd__init(&prog, r, 2), -EINVAL);
	r[1].in_port = 1;
	r[1].flags = 0x80;
	CHECK_EQ(p4x_prog_fwd__init(&prog, r, 2), -EINVAL);
	CHECK(!prog.ops);
	/* No rule at all is valid: everything is NO_ROUTE. */
	CHECK_EQ(p4x_prog_fwd__init(&prog, NULL, 0), 0);
	prog.ops->destroy(prog.ctx);
}

int main(void)
{
	test_forward();
	test_errors();
	printf("prog_fwd: ok\n");
	return 0;
}
