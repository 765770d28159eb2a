/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal interfaces of the rtnetlink bridge library. */
#ifndef P4X_BRIDGE_RTNL_PRIV_H
#define P4X_BRIDGE_RTNL_PRIV_H

#include <linux/netlink.h>

#include <p4x/bridge.h>

/* Most next hops decoded per route; longer multipath routes are refused. */
#define P4X_RT_NH_MAX 256

/* Calls @fn on every object of @kind; @fn returns 0 to go on. */
typedef int (*p4x_mirror_fn)(const void *obj, void *arg);
int p4x_bridge_mirror__foreach(const struct p4x_bridge_mirror *m,
			       enum p4x_rt_kind kind, p4x_mirror_fn fn,
			       void *arg);

/* Drop every object (nothing forwarded). */
void p4x_bridge_mirror__clear(struct p4x_bridge_mirror *m);

/* One decoded message. */
struct p4x_rt_msg {
	enum p4x_rt_kind kind;
	enum p4x_rt_op op; /* ADD (RTM_NEW*) or DEL (RTM_DEL*) */
	union {
		struct p4x_rt_link link;
		struct p4x_rt_addr addr;
		struct p4x_rt_route route;
		struct p4x_rt_neigh neigh;
	} u;
	uint32_t nhobj_del; /* RTM_DELNEXTHOP (decode returned 2): its id */
	struct p4x_rt_nh nh[P4X_RT_NH_MAX]; /* route.nh points here */
	char why[96];			    /* set when decoding fails */
};

/*
 * Decode @nlh into @msg. Returns 1 when @msg holds an object to apply, 2
 * when a nexthop object was deleted (@msg->nhobj_del), 0 when the message
 * is valid but outside the mirrored scope (other table or family, cloned
 * route, NLMSG_DONE...), -EBADMSG when it cannot be decoded (@msg->why
 * says why).
 */
int p4x_rt__decode(const struct nlmsghdr *nlh, struct p4x_rt_msg *msg);

/* The generic object pointer of a decoded message. */
static inline const void *p4x_rt_msg__obj(const struct p4x_rt_msg *msg)
{
	return &msg->u;
}

#endif /* P4X_BRIDGE_RTNL_PRIV_H */
