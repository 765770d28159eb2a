/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A datapath program, shaped like a P4 program: a parser and a main
 * control run per packet, over a burst. The built-in forwarding program
 * (dataplane/prog_fwd.c) is the first implementation; the P4 program
 * loader provides the next one through the same ops, so the engine never
 * needs to know which kind runs.
 *
 * Programs are published to the workers with RCU: p4x_engine__set_prog()
 * swaps the pointer, and the old program's ctx is destroyed after a grace
 * period, so a packet never sees half of one program and half of another.
 */
#ifndef P4X_PROG_H
#define P4X_PROG_H

#include <stdint.h>

#include "pkt.h"
#include "port.h"

struct p4x_prog_ops {
	const char *name;
	/* Must be non-NULL. Parse @pkt; return 0 to accept, or set
	 * pkt->verdict = P4X_VERDICT_DROP with a drop reason (typically
	 * P4X_DROP_PARSER_REJECT) and return -EINVAL. */
	int (*parse)(void *ctx, struct p4x_pkt *pkt);
	/* Must be non-NULL. Run the main control on an accepted packet:
	 * set out_port and verdict (and drop_reason when dropping; an
	 * unknown reason counts as P4X_DROP_PROG_DROP), rewrite headers in
	 * place. data may move back into the frame headroom and len may
	 * change, as long as the packet stays inside its frame (the engine
	 * derives addr from data; a packet that left its frame is dropped as
	 * P4X_DROP_TOO_BIG). */
	void (*main)(void *ctx, struct p4x_pkt *pkt);
	/* NULL: nothing to free. Destroys @ctx; called after a grace period
	 * once no worker can still see the program. */
	void (*destroy)(void *ctx);
};

/* A program instance: its ops and its private state, owned by the engine
 * once passed to p4x_engine__set_prog(). */
struct p4x_prog {
	const struct p4x_prog_ops *ops;
	void *ctx;
};

/*
 * The built-in forwarding program: a static map from in port to out port,
 * with an optional rewrite of the destination and source MAC. Packets from
 * a port without a rule are dropped as P4X_DROP_NO_ROUTE; frames shorter
 * than an Ethernet header are rejected by the parser. It does not use the
 * XDP metadata.
 */
#define P4X_FWD_SET_DST 0x01 /* write dst into the Ethernet destination */
#define P4X_FWD_SET_SRC 0x02 /* write src into the Ethernet source */

struct p4x_fwd_rule {
	uint16_t in_port;  /* engine port index, < P4X_MAX_PORTS */
	uint16_t out_port; /* engine port index (unknown ones: NO_ROUTE) */
	uint8_t flags;	   /* P4X_FWD_SET_* */
	uint8_t dst[6];
	uint8_t src[6];
};

/*
 * Build a forwarding program from @n rules (copied; at most one per in
 * port) into @prog. 0, or -EINVAL with a logged reason (in_port out of
 * range, duplicate in_port, unknown flags) and @prog untouched, or
 * -ENOMEM. The caller owns prog->ctx until it hands it to
 * p4x_engine__set_prog(), or frees it with prog->ops->destroy(prog->ctx).
 */
int p4x_prog_fwd__init(struct p4x_prog *prog, const struct p4x_fwd_rule *rules,
		       unsigned int n);

#endif /* P4X_PROG_H */
