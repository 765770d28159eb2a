// SPDX-License-Identifier: BSD-3-Clause
/*
 * The built-in forwarding program (include/p4x/prog.h), shaped like a P4
 * program: a parser that accepts any frame holding an Ethernet header and
 * a main control that looks the in port up in a static table, rewrites the
 * MAC addresses the rule asks for and picks the out port.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "p4x/log.h"
#include "p4x/prog.h"

#define FWD_ETH_HLEN 14u

struct fwd_entry {
	uint8_t valid;
	uint8_t flags;
	uint16_t out_port;
	uint8_t dst[6];
	uint8_t src[6];
};

struct fwd_ctx {
	struct fwd_entry by_in[P4X_MAX_PORTS];
};

static int fwd_parse(void *ctx, struct p4x_pkt *pkt)
{
	if (p4x_unlikely(pkt->len < FWD_ETH_HLEN)) {
		pkt->verdict = P4X_VERDICT_DROP;
		pkt->drop_reason = P4X_DROP_PARSER_REJECT;
		return -EINVAL;
	}
	return 0;
}

static void fwd_main(void *ctx, struct p4x_pkt *pkt)
{
	const struct fwd_ctx *fc = ctx;
	const struct fwd_entry *e;

	if (p4x_unlikely(pkt->in_port >= P4X_MAX_PORTS ||
			 !fc->by_in[pkt->in_port].valid)) {
		pkt->verdict = P4X_VERDICT_DROP;
		pkt->drop_reason = P4X_DROP_NO_ROUTE;
		return;
	}
	e = &fc->by_in[pkt->in_port];
	if (e->flags & P4X_FWD_SET_DST)
		memcpy(pkt->data, e->dst, 6);
	if (e->flags & P4X_FWD_SET_SRC)
		memcpy(pkt->data + 6, e->src, 6);
	pkt->out_port = e->out_port;
	pkt->verdict = P4X_VERDICT_TX;
}

static void fwd_destroy(void *ctx)
{
	free(ctx);
}

static const struct p4x_prog_ops fwd_ops = {
	.name = "fwd",
	.parse = fwd_parse,
	.main = fwd_main,
	.destroy = fwd_destroy,
};

static int fwd_check(const struct fwd_ctx *fc, const struct p4x_fwd_rule *r,
		     unsigned int i)
{
	if (r->in_port >= P4X_MAX_PORTS) {
		p4x_warn("fwd rule %u: in port %u out of range (< %d)", i,
			 r->in_port, P4X_MAX_PORTS);
		return -EINVAL;
	}
	if (r->flags & ~(P4X_FWD_SET_DST | P4X_FWD_SET_SRC)) {
		p4x_warn("fwd rule %u: unknown flags 0x%x", i, r->flags);
		return -EINVAL;
	}
	if (fc->by_in[r->in_port].valid) {
		p4x_warn("fwd rule %u: in port %u already has a rule", i,
			 r->in_port);
		return -EINVAL;
	}
	return 0;
}

int p4x_prog_fwd__init(struct p4x_prog *prog, const struct p4x_fwd_rule *rules,
		       unsigned int n)
{
	struct fwd_ctx *fc;
	struct fwd_entry *e;
	unsigned int i;
	int err;

	fc = calloc(1, sizeof(*fc));
	if (!fc)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		err = fwd_check(fc, &rules[i], i);
		if (err) {
			free(fc);
			return err;
		}
		e = &fc->by_in[rules[i].in_port];
		e->valid = 1;
		e->flags = rules[i].flags;
		e->out_port = rules[i].out_port;
		memcpy(e->dst, rules[i].dst, 6);
		memcpy(e->src, rules[i].src, 6);
	}
	prog->ops = &fwd_ops;
	prog->ctx = fc;
	return 0;
}
