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

#include "pkt.h"

struct p4x_prog_ops {
	const char *name;
	/* Must be non-NULL. Parse @pkt; return 0 to accept, or set
	 * pkt->verdict = P4X_VERDICT_DROP with a drop reason (typically
	 * P4X_DROP_PARSER_REJECT) and return -EINVAL. */
	int (*parse)(void *ctx, struct p4x_pkt *pkt);
	/* Must be non-NULL. Run the main control on an accepted packet:
	 * set out_port and verdict, rewrite headers in place (data may move
	 * back into the frame headroom; len may change). */
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

#endif /* P4X_PROG_H */
