/* SPDX-License-Identifier: BSD-3-Clause */
/* The dump socket of the rtnetlink source (internal). */
#ifndef P4X_BRIDGE_RTNL_DUMP_H
#define P4X_BRIDGE_RTNL_DUMP_H

#include <stdbool.h>

#include "rtnl_priv.h"

struct p4x_rtnl_dumper;

struct p4x_dump_stats {
	bool interrupted;     /* the last pass saw NLM_F_DUMP_INTR */
	uint64_t gaps;	      /* interrupted passes (done again) */
	uint64_t undecodable; /* messages skipped */
};

/* Opens its own NETLINK_ROUTE socket. NULL + errno. */
struct p4x_rtnl_dumper *p4x_rtnl_dumper__new(void);
/* Accepts NULL. */
void p4x_rtnl_dumper__free(struct p4x_rtnl_dumper *d);

/*
 * Clear @into (which must forward nowhere) and fill it with everything the
 * kernel holds in scope. Counts into @st (adds to gaps and undecodable).
 * 0, -EAGAIN when every try was interrupted, or -errno.
 */
int p4x_rtnl_dumper__dump(struct p4x_rtnl_dumper *d,
			  struct p4x_bridge_mirror *into,
			  struct p4x_dump_stats *st);

#endif /* P4X_BRIDGE_RTNL_DUMP_H */
