/* SPDX-License-Identifier: BSD-3-Clause */
/* Unnotified kernel changes, replayed on the mirror (internal). */
#ifndef P4X_BRIDGE_RTNL_EMULATE_H
#define P4X_BRIDGE_RTNL_EMULATE_H

#include "rtnl_priv.h"

struct p4x_emu {
	const struct p4x_bridge_mirror *mirror; /* read: what is held */
	/* Applies one change (the source's batching path). */
	int (*apply)(void *arg, enum p4x_rt_kind kind, enum p4x_rt_op op,
		     const void *obj);
	void *arg;
	uint64_t *count; /* incremented per emulated change */
};

/* @ifindex lost IFF_UP. 0 or -errno. */
int p4x_emu__link_down(const struct p4x_emu *e, uint32_t ifindex);
/* @ifindex was deleted. 0 or -errno. */
int p4x_emu__link_del(const struct p4x_emu *e, uint32_t ifindex);
/* @a was deleted (already applied). 0 or -errno. */
int p4x_emu__addr_del(const struct p4x_emu *e, const struct p4x_rt_addr *a);
/* Nexthop object @id was deleted, and the routes over it. 0 or -errno. */
int p4x_emu__nhobj_del(const struct p4x_emu *e, uint32_t id);
/* Apply RTM_DELROUTE @del: whole route, or IPv6 siblings only. */
int p4x_emu__route_del(const struct p4x_emu *e, const struct p4x_rt_route *del);

#endif /* P4X_BRIDGE_RTNL_EMULATE_H */
