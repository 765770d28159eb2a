// SPDX-License-Identifier: BSD-3-Clause
/*
 * Changes the kernel makes without telling anyone, replayed on the mirror
 * from the event that causes them (so they land in the same batch):
 *  - a link going down (IFF_UP cleared) flushes the IPv4 routes whose every
 *    next hop uses it (fib_sync_down_dev + fib_flush: no RTM_DELROUTE);
 *  - a link deleted takes every IPv4 route with a next hop on it, the IPv6
 *    next hops on it (and routes left with none), its addresses and its
 *    neighbours;
 *  - an IPv4 address deleted flushes the routes using it as preferred
 *    source (fib_sync_down_addr), unless another link still holds it;
 *  - a nexthop object deleted takes the routes over it;
 *  - an IPv6 multipath route losing one sibling is notified as the
 *    deletion of that sibling alone: the mirror keeps the others.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "emulate.h"

struct p4x_emu_ctx {
	enum p4x_rt_kind kind;
	uint32_t ifindex;
	uint8_t family;	     /* routes of this family only; 0: both */
	bool any_nh;	     /* a route matches when any next hop is on it */
	const uint8_t *addr; /* IPv4 prefsrc to flush instead of ifindex */
	uint32_t nh_id;	     /* nexthop object to flush instead of ifindex */
	const void **hit;    /* matching objects, collected before changes */
	size_t n, cap;
};

static bool p4x_route_uses(const struct p4x_rt_route *r, uint32_t ifindex,
			   bool any)
{
	uint32_t on = 0;

	for (uint32_t i = 0; i < r->nh_count; i++)
		on += r->nh[i].ifindex == ifindex;
	return any ? on > 0 : on > 0 && on == r->nh_count;
}

static int p4x_emu_keep(struct p4x_emu_ctx *c, const void *obj)
{
	const void **grown;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		grown = realloc(c->hit, c->cap * sizeof(*c->hit));
		if (!grown)
			return -ENOMEM;
		c->hit = grown;
	}
	c->hit[c->n++] = obj;
	return 0;
}

static bool p4x_emu_route_match(const struct p4x_emu_ctx *c,
				const struct p4x_rt_route *r)
{
	if (c->family && r->key.family != c->family)
		return false;
	if (c->nh_id)
		return r->nh_id == c->nh_id;
	if (c->addr)
		return r->key.family == AF_INET &&
		       !memcmp(r->prefsrc, c->addr, 4);
	return p4x_route_uses(r, c->ifindex, c->any_nh);
}

static int p4x_emu_match(const void *obj, void *arg)
{
	struct p4x_emu_ctx *c = arg;
	bool hit;

	switch (c->kind) {
	case P4X_RT_ROUTE:
		hit = p4x_emu_route_match(c, obj);
		break;
	case P4X_RT_ADDR:
		hit = ((const struct p4x_rt_addr *)obj)->key.ifindex ==
		      c->ifindex;
		break;
	case P4X_RT_NEIGH:
		hit = ((const struct p4x_rt_neigh *)obj)->key.ifindex ==
		      c->ifindex;
		break;
	default:
		hit = false;
	}
	return hit ? p4x_emu_keep(c, obj) : 0;
}

/* REPLACE @r with its next hops not on @ifindex (at least one is left). */
static int p4x_emu_drop_nh(const struct p4x_emu *e,
			   const struct p4x_rt_route *r, uint32_t ifindex)
{
	struct p4x_rt_nh *tmp = malloc(r->nh_count * sizeof(*tmp));
	struct p4x_rt_route out = *r;
	int err;

	if (!tmp)
		return -ENOMEM;
	out.nh_count = 0;
	for (uint32_t i = 0; i < r->nh_count; i++)
		if (r->nh[i].ifindex != ifindex)
			tmp[out.nh_count++] = r->nh[i];
	out.nh = tmp;
	err = e->apply(e->arg, P4X_RT_ROUTE, P4X_RT_REPLACE, &out);
	free(tmp);
	return err;
}

/*
 * Collect what matches @c, then change it: DEL, except IPv6 routes (on a
 * link deletion) that keep next hops elsewhere: REPLACE without the link.
 */
static int p4x_emu_run(struct p4x_emu_ctx *c, const struct p4x_emu *e)
{
	const struct p4x_rt_route *r;
	int err;

	c->n = 0;
	err = p4x_bridge_mirror__foreach(e->mirror, c->kind, p4x_emu_match, c);
	for (size_t i = 0; !err && i < c->n; i++) {
		r = c->hit[i];
		(*e->count)++;
		if (c->kind == P4X_RT_ROUTE && !c->addr && !c->nh_id &&
		    r->key.family == AF_INET6 &&
		    !p4x_route_uses(r, c->ifindex, false))
			err = p4x_emu_drop_nh(e, r, c->ifindex);
		else
			err = e->apply(e->arg, c->kind, P4X_RT_DEL, r);
	}
	return err;
}

int p4x_emu__link_down(const struct p4x_emu *e, uint32_t ifindex)
{
	struct p4x_emu_ctx c = {
		.kind = P4X_RT_ROUTE,
		.ifindex = ifindex,
		.family = AF_INET,
	};
	int err = p4x_emu_run(&c, e);

	free(c.hit);
	return err;
}

int p4x_emu__link_del(const struct p4x_emu *e, uint32_t ifindex)
{
	static const enum p4x_rt_kind kinds[] = {P4X_RT_ROUTE, P4X_RT_ADDR,
						 P4X_RT_NEIGH};
	struct p4x_emu_ctx c = {.ifindex = ifindex, .any_nh = true};
	int err = 0;

	for (size_t k = 0; !err && k < P4X_ARRAY_SIZE(kinds); k++) {
		c.kind = kinds[k];
		err = p4x_emu_run(&c, e);
	}
	free(c.hit);
	return err;
}

static int p4x_emu_same_addr(const void *obj, void *arg)
{
	const struct p4x_rt_addr *a = obj, *gone = arg;

	/* 1 stops the walk: another link still holds the address. */
	return a->key.family == AF_INET &&
	       !memcmp(a->key.addr, gone->key.addr, 4) &&
	       memcmp(&a->key, &gone->key, sizeof(a->key));
}

int p4x_emu__addr_del(const struct p4x_emu *e, const struct p4x_rt_addr *a)
{
	struct p4x_emu_ctx c = {.kind = P4X_RT_ROUTE, .addr = a->key.addr};
	int err;

	if (a->key.family != AF_INET)
		return 0;
	err = p4x_bridge_mirror__foreach(e->mirror, P4X_RT_ADDR,
					 p4x_emu_same_addr, (void *)a);
	if (err)
		return err < 0 ? err : 0;
	err = p4x_emu_run(&c, e);
	free(c.hit);
	return err;
}

int p4x_emu__nhobj_del(const struct p4x_emu *e, uint32_t id)
{
	struct p4x_emu_ctx c = {.kind = P4X_RT_ROUTE, .nh_id = id};
	int err = id ? p4x_emu_run(&c, e) : 0;

	free(c.hit);
	return err;
}

static bool p4x_nh_same(const struct p4x_rt_nh *a, const struct p4x_rt_nh *b)
{
	return a->ifindex == b->ifindex && a->gw_family == b->gw_family &&
	       !memcmp(a->gw, b->gw, sizeof(a->gw));
}

static bool p4x_nh_in(const struct p4x_rt_nh *nh, const struct p4x_rt_route *r)
{
	for (uint32_t i = 0; i < r->nh_count; i++)
		if (p4x_nh_same(nh, &r->nh[i]))
			return true;
	return false;
}

int p4x_emu__route_del(const struct p4x_emu *e, const struct p4x_rt_route *del)
{
	const struct p4x_rt_route *held;
	struct p4x_rt_nh *tmp;
	struct p4x_rt_route out;
	int err;

	held = p4x_bridge_mirror__lookup(e->mirror, P4X_RT_ROUTE, &del->key);
	if (!held || del->key.family != AF_INET6 || held->nh_count < 2 ||
	    !del->nh_count)
		return e->apply(e->arg, P4X_RT_ROUTE, P4X_RT_DEL, del);
	tmp = malloc(held->nh_count * sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	out = *held;
	out.nh_count = 0;
	for (uint32_t i = 0; i < held->nh_count; i++)
		if (!p4x_nh_in(&held->nh[i], del))
			tmp[out.nh_count++] = held->nh[i];
	out.nh = tmp;
	if (!out.nh_count)
		err = e->apply(e->arg, P4X_RT_ROUTE, P4X_RT_DEL, del);
	else if (out.nh_count == held->nh_count)
		err = 0; /* none of ours: already gone */
	else
		err = e->apply(e->arg, P4X_RT_ROUTE, P4X_RT_REPLACE, &out);
	free(tmp);
	return err;
}
