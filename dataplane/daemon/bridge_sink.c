// SPDX-License-Identifier: BSD-3-Clause
/*
 * The binding sink: mirrored IPv4 routes, neighbours and links into a FIB
 * (LPM) table and a next-hop (exact) table. See bridge_bind.h for the
 * rules and the commit order.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <linux/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p4x/log.h"
#include "p4x/port.h"

#include "bridge_priv.h"

/* ---- a map from non-zero u64 keys to pointers (linear probing) ---------- */

struct bmap {
	uint64_t *k;
	void **v;
	uint32_t cap, n; /* cap: power of two */
};

static uint32_t bmap_slot(const struct bmap *m, uint64_t k)
{
	return (uint32_t)((k * 0x9e3779b97f4a7c15ull) >> 32) & (m->cap - 1);
}

static void *bmap_get(const struct bmap *m, uint64_t k)
{
	uint32_t i;

	if (!m->cap)
		return NULL;
	for (i = bmap_slot(m, k); m->k[i]; i = (i + 1) & (m->cap - 1))
		if (m->k[i] == k)
			return m->v[i];
	return NULL;
}

static void bmap_place(struct bmap *m, uint64_t k, void *v)
{
	uint32_t i = bmap_slot(m, k);

	while (m->k[i])
		i = (i + 1) & (m->cap - 1);
	m->k[i] = k;
	m->v[i] = v;
	m->n++;
}

static int bmap_grow(struct bmap *m)
{
	struct bmap old = *m;
	uint32_t i;

	m->cap = old.cap ? old.cap * 2 : 1024;
	m->n = 0;
	m->k = calloc(m->cap, sizeof(*m->k));
	m->v = calloc(m->cap, sizeof(*m->v));
	if (!m->k || !m->v) {
		free(m->k);
		free(m->v);
		*m = old;
		return -ENOMEM;
	}
	for (i = 0; i < old.cap; i++)
		if (old.k[i])
			bmap_place(m, old.k[i], old.v[i]);
	free(old.k);
	free(old.v);
	return 0;
}

/* @k must not be in @m. */
static int bmap_put(struct bmap *m, uint64_t k, void *v)
{
	if ((m->n + 1) * 2 > m->cap && bmap_grow(m))
		return -ENOMEM;
	bmap_place(m, k, v);
	return 0;
}

static void bmap_del(struct bmap *m, uint64_t k)
{
	uint32_t i, j, h, mask = m->cap - 1;

	if (!m->cap)
		return;
	for (i = bmap_slot(m, k); m->k[i] && m->k[i] != k; i = (i + 1) & mask)
		;
	if (!m->k[i])
		return;
	/* backward shift: keep every later key reachable from its slot */
	for (j = i;;) {
		j = (j + 1) & mask;
		if (!m->k[j])
			break;
		h = bmap_slot(m, m->k[j]);
		if ((j > i && (h <= i || h > j)) ||
		    (j < i && h <= i && h > j)) {
			m->k[i] = m->k[j];
			m->v[i] = m->v[j];
			i = j;
		}
	}
	m->k[i] = 0;
	m->n--;
}

static void bmap_free(struct bmap *m)
{
	free(m->k);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* ---- the model ----------------------------------------------------------- */

enum bs_kind { BS_HOST = 1, BS_DROP, BS_NH };

/* What a route points at: the host, drop, or next hop (ifindex, gw). */
struct bs_target {
	uint8_t kind;
	uint32_t ifindex;
	uint32_t gw; /* network order */
};

struct bs_route {
	uint32_t priority;
	struct bs_target t;
};

struct bs_nh {
	uint64_t key;
	struct bs_target t;
	uint32_t index;
	uint32_t refs; /* prefixes pointing at it (+1 for the host's) */
	bool dirty, installed;
	uint8_t ev;	   /* event due after the commit: cmd + 1, 0 none */
	uint32_t inst_act; /* what the table holds when installed */
	uint16_t inst_len;
	uint8_t inst_params[P4X_TABLE_PARAMS_MAX];
};

struct bs_prefix {
	uint32_t dst; /* network order, masked */
	uint8_t len;
	bool dirty, installed;
	uint8_t ev; /* event due after the commit: cmd + 1, 0 none */
	uint32_t neigh_ifindex; /* resolved neighbour (len 32); 0 none */
	uint32_t nroutes, cap;
	struct bs_route *routes;
	struct bs_nh *nh;    /* what it points at; NULL: no entry */
	uint32_t inst_index; /* next-hop index in the table */
	uint32_t seen;	     /* compare generation */
};

struct bs_vec {
	void **v;
	size_t n, cap;
};

struct p4xd_bsink {
	const struct p4xd_bind *b;
	const struct p4x_bridge_mirror *mirror;
	uint32_t served[P4X_MAX_PORTS];
	unsigned int nserved;
	p4xd_bsink_table_fn table;
	const struct p4xd_bsink_event_ops *events;
	unsigned int evmask; /* tables wanting events in this commit */
	void *arg;
	struct p4x_table *fib_t, *nh_t; /* last seen */
	struct bmap prefixes, nhs;
	struct bs_vec dirty_pfx, dirty_nh;
	uint32_t *free_idx; /* released next-hop indexes */
	size_t nfree, free_cap;
	uint32_t next_idx;
	struct bs_nh *host;
	bool pending; /* the last commit found no tables: writes wait */
	struct p4xd_bsink_stats st;
	uint32_t gen;
};

static int vec_push(struct bs_vec *v, void *p)
{
	void **nv;

	if (v->n == v->cap) {
		nv = realloc(v->v, (v->cap ? v->cap * 2 : 256) * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		v->v = nv;
		v->cap = v->cap ? v->cap * 2 : 256;
	}
	v->v[v->n++] = p;
	return 0;
}

static bool served(const struct p4xd_bsink *s, uint32_t ifindex)
{
	unsigned int i;

	for (i = 0; i < s->nserved; i++)
		if (s->served[i] == ifindex)
			return true;
	return false;
}

static uint64_t pfx_key(uint32_t dst, uint8_t len)
{
	return (1ull << 40) | ((uint64_t)ntohl(dst) << 8) | len;
}

static uint64_t nh_key(const struct bs_target *t)
{
	if (t->kind != BS_NH)
		return t->kind;
	return ((uint64_t)t->ifindex << 32) | ntohl(t->gw);
}

static uint32_t prefix_mask(uint8_t len)
{
	return len ? htonl(~0u << (32 - len)) : 0;
}

static void mark_pfx(struct p4xd_bsink *s, struct bs_prefix *p)
{
	if (!p->dirty && !vec_push(&s->dirty_pfx, p))
		p->dirty = true;
}

static void mark_nh(struct p4xd_bsink *s, struct bs_nh *nh)
{
	if (!nh->dirty && !vec_push(&s->dirty_nh, nh))
		nh->dirty = true;
}

static struct bs_prefix *prefix_get(struct p4xd_bsink *s, uint32_t dst,
				    uint8_t len, bool create)
{
	uint64_t k = pfx_key(dst, len);
	struct bs_prefix *p = bmap_get(&s->prefixes, k);

	if (p || !create)
		return p;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->dst = dst;
	p->len = len;
	if (bmap_put(&s->prefixes, k, p)) {
		free(p);
		return NULL;
	}
	return p;
}

static uint32_t index_alloc(struct p4xd_bsink *s)
{
	if (s->nfree)
		return s->free_idx[--s->nfree];
	if (s->next_idx == s->b->nh.host_index)
		s->next_idx++;
	return s->next_idx++;
}

static void index_release(struct p4xd_bsink *s, uint32_t idx)
{
	uint32_t *n;

	if (s->nfree == s->free_cap) {
		n = realloc(s->free_idx,
			    (s->free_cap ? s->free_cap * 2 : 64) * sizeof(*n));
		if (!n)
			return; /* the index is not reused */
		s->free_idx = n;
		s->free_cap = s->free_cap ? s->free_cap * 2 : 64;
	}
	s->free_idx[s->nfree++] = idx;
}

static struct bs_nh *nh_get(struct p4xd_bsink *s, const struct bs_target *t,
			    bool create)
{
	uint64_t k = nh_key(t);
	struct bs_nh *nh = bmap_get(&s->nhs, k);

	if (nh || !create)
		return nh;
	nh = calloc(1, sizeof(*nh));
	if (!nh)
		return NULL;
	nh->key = k;
	nh->t = *t;
	nh->index = t->kind == BS_HOST ? s->b->nh.host_index : index_alloc(s);
	if (bmap_put(&s->nhs, k, nh)) {
		if (t->kind != BS_HOST)
			index_release(s, nh->index);
		free(nh);
		return NULL;
	}
	return nh;
}

/* ---- actions ------------------------------------------------------------- */

struct bs_act {
	uint32_t act_id;
	uint16_t len;
	uint8_t p[P4X_TABLE_PARAMS_MAX];
};

static void put_le(uint8_t *p, unsigned int bytes, uint64_t v)
{
	unsigned int i;

	for (i = 0; i < bytes; i++)
		p[i] = i < 8 ? (uint8_t)(v >> (8 * i)) : 0;
}

static void set_nh_act(const struct p4xd_bind *b, const uint8_t mac[6],
		       uint32_t port, struct bs_act *a)
{
	a->act_id = b->nh_act;
	a->len = b->nh_params_len;
	memcpy(a->p + b->nh_mac_off, mac, 6);
	put_le(a->p + b->nh_port_off, 4, port);
}

static bool neigh_usable(const struct p4x_rt_neigh *n)
{
	return n && n->lladdr_len == 6 &&
	       (n->state & (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE |
			    NUD_PERMANENT | NUD_NOARP));
}

static bool link_up(const struct p4xd_bsink *s, uint32_t ifindex)
{
	struct p4x_rt_link_key k = {.ifindex = ifindex};
	const struct p4x_rt_link *l =
		p4x_bridge_mirror__lookup(s->mirror, P4X_RT_LINK, &k);

	return l && (l->flags & IFF_UP) && (l->flags & IFF_LOWER_UP);
}

static const struct p4x_rt_neigh *neigh_find(const struct p4xd_bsink *s,
					     uint32_t ifindex, uint32_t addr)
{
	struct p4x_rt_neigh_key k = {.ifindex = ifindex, .family = AF_INET};

	memcpy(k.addr, &addr, 4);
	return p4x_bridge_mirror__lookup(s->mirror, P4X_RT_NEIGH, &k);
}

/* The action next hop @nh should have in the table now. */
static void nh_action(const struct p4xd_bsink *s, const struct bs_nh *nh,
		      struct bs_act *a)
{
	const struct p4xd_bind *b = s->b;
	const struct p4x_rt_neigh *n;

	memset(a, 0, sizeof(*a));
	if (nh->t.kind == BS_DROP && b->nh_drop_act) {
		a->act_id = b->nh_drop_act;
		a->len = b->nh_drop_params_len;
		return;
	}
	if (nh->t.kind == BS_NH && link_up(s, nh->t.ifindex)) {
		n = neigh_find(s, nh->t.ifindex, nh->t.gw);
		if (neigh_usable(n)) {
			set_nh_act(b, n->lladdr, nh->t.ifindex, a);
			return;
		}
	}
	set_nh_act(b, b->nh.host_dmac, 0, a);
}

/* ---- sink slots ---------------------------------------------------------- */

static struct bs_target route_target(const struct p4xd_bsink *s,
				     const struct p4x_rt_route *r)
{
	struct bs_target t = {.kind = BS_HOST};
	uint32_t i;

	if (r->type == RTN_BLACKHOLE)
		t.kind = s->b->nh_drop_act ? BS_DROP : BS_HOST;
	if (r->type != RTN_UNICAST)
		return t;
	for (i = 0; i < r->nh_count; i++) {
		const struct p4x_rt_nh *h = &r->nh[i];

		if (!served(s, h->ifindex))
			continue;
		if (h->gw_family == AF_INET) {
			t.kind = BS_NH;
			t.ifindex = h->ifindex;
			memcpy(&t.gw, h->gw, 4);
		}
		break; /* connected or IPv6 gateway: the host resolves */
	}
	return t;
}

static int bs_route(void *ctx, enum p4x_rt_op op, const struct p4x_rt_route *r)
{
	struct p4xd_bsink *s = ctx;
	struct bs_prefix *p;
	struct bs_route *nr;
	uint32_t dst, i;

	if (r->key.family != AF_INET || r->key.table != RT_TABLE_MAIN ||
	    r->key.tos || r->key.dst_len > 32)
		return 0;
	memcpy(&dst, r->key.dst, 4);
	dst &= prefix_mask(r->key.dst_len);
	p = prefix_get(s, dst, r->key.dst_len, op != P4X_RT_DEL);
	if (!p)
		return op == P4X_RT_DEL ? 0 : -ENOMEM;
	for (i = 0; i < p->nroutes; i++)
		if (p->routes[i].priority == r->key.priority)
			break;
	if (op == P4X_RT_DEL) {
		if (i < p->nroutes)
			p->routes[i] = p->routes[--p->nroutes];
	} else {
		if (i == p->cap) {
			nr = realloc(p->routes, (p->cap + 1) * sizeof(*nr));
			if (!nr)
				return -ENOMEM;
			p->routes = nr;
			p->cap++;
		}
		p->routes[i].priority = r->key.priority;
		p->routes[i].t = route_target(s, r);
		if (i == p->nroutes)
			p->nroutes++;
	}
	mark_pfx(s, p);
	return 0;
}

static int bs_neigh(void *ctx, enum p4x_rt_op op, const struct p4x_rt_neigh *n)
{
	struct p4xd_bsink *s = ctx;
	struct bs_target t = {.kind = BS_NH, .ifindex = n->key.ifindex};
	bool usable = op != P4X_RT_DEL && neigh_usable(n);
	struct bs_prefix *p;
	struct bs_nh *nh;

	if (n->key.family != AF_INET || !served(s, n->key.ifindex))
		return 0;
	memcpy(&t.gw, n->key.addr, 4);
	nh = nh_get(s, &t, false);
	if (nh)
		mark_nh(s, nh);
	p = prefix_get(s, t.gw, 32, usable);
	if (!p)
		return usable ? -ENOMEM : 0;
	if (usable)
		p->neigh_ifindex = n->key.ifindex;
	else if (p->neigh_ifindex == n->key.ifindex)
		p->neigh_ifindex = 0;
	mark_pfx(s, p);
	return 0;
}

static int bs_link(void *ctx, enum p4x_rt_op op, const struct p4x_rt_link *l)
{
	struct p4xd_bsink *s = ctx;
	uint32_t i;

	(void)op;
	if (!served(s, l->key.ifindex))
		return 0;
	for (i = 0; i < s->nhs.cap; i++) {
		struct bs_nh *nh = s->nhs.v[i];

		if (s->nhs.k[i] && nh->t.kind == BS_NH &&
		    nh->t.ifindex == l->key.ifindex)
			mark_nh(s, nh);
	}
	return 0;
}

static int bs_addr(void *ctx, enum p4x_rt_op op, const struct p4x_rt_addr *a)
{
	(void)ctx;
	(void)op;
	(void)a;
	return 0; /* addresses do not reach the tables */
}

/* ---- commit -------------------------------------------------------------- */

/* What @p should point at: its best route's target, else its neighbour. */
static bool prefix_target(const struct bs_prefix *p, struct bs_target *t)
{
	const struct bs_route *best = NULL;
	uint32_t i;

	for (i = 0; i < p->nroutes; i++)
		if (!best || p->routes[i].priority < best->priority)
			best = &p->routes[i];
	if (best) {
		*t = best->t;
		return true;
	}
	if (!p->neigh_ifindex)
		return false;
	*t = (struct bs_target){
		.kind = BS_NH, .ifindex = p->neigh_ifindex, .gw = p->dst};
	return true;
}

static void nh_put(struct p4xd_bsink *s, struct bs_nh *nh)
{
	if (nh && !--nh->refs)
		mark_nh(s, nh);
}

/* Step 1: point @p at its target's next hop (references only). */
static int prefix_eval(struct p4xd_bsink *s, struct bs_prefix *p)
{
	struct bs_target t;
	struct bs_nh *nh = NULL;

	if (prefix_target(p, &t)) {
		nh = nh_get(s, &t, true);
		if (!nh)
			return -ENOMEM;
	}
	if (nh == p->nh)
		return 0;
	if (nh && !nh->refs++)
		mark_nh(s, nh);
	nh_put(s, p->nh);
	p->nh = nh;
	return 0;
}

struct bs_txns {
	struct p4x_table_txn *nh_set, *fib, *nh_del;
	char why[P4X_TABLE_ERR_MAX];
};

static void table_error(struct p4xd_bsink *s, int ret, const char *why)
{
	s->st.table_errors++;
	snprintf(s->st.last_error, sizeof(s->st.last_error), "%s (%s)", why,
		 strerror(-ret));
	p4x_log_ratelimited(P4X_LOG_WARN, "bridge: %s", s->st.last_error);
}

static struct p4x_table_txn *txn(struct p4xd_bsink *s, struct p4x_table_txn **t,
				 struct p4x_table *tb)
{
	if (!*t && tb) {
		*t = p4x_table__txn_begin(tb);
		if (!*t)
			table_error(s, -errno, "cannot open a transaction");
	}
	return *t;
}

/* The committed entry of @sp in table @i, as an event of @cmd. */
static void ev_emit(struct p4xd_bsink *s, unsigned int i,
		    enum p4x_ctl_p4_cmd cmd,
		    const struct p4x_table_entry_spec *sp)
{
	const struct p4x_table_entry *e;
	struct p4x_table_entry_info info;

	if (!(s->evmask & (1u << i)))
		return;
	e = p4x_table__get(i ? s->nh_t : s->fib_t, sp);
	if (!e)
		return;
	p4x_table_entry__info(e, &info);
	s->events->add(s->arg, i, cmd, &info);
}

static uint8_t ev_due(const struct p4xd_bsink *s, unsigned int i, bool existed)
{
	if (!(s->evmask & (1u << i)))
		return 0;
	return (uint8_t)((existed ? P4X_CTL_P4_CMD_UPDATE
				  : P4X_CTL_P4_CMD_CREATE) +
			 1);
}

static void nh_spec(const struct bs_nh *nh, uint32_t *key,
		    const struct bs_act *a, struct p4x_table_entry_spec *sp)
{
	put_le((uint8_t *)key, 4, nh->index);
	*sp = (struct p4x_table_entry_spec){
		.sz = sizeof(*sp),
		.key = key,
		.act_id = a ? a->act_id : 0,
		.params = a ? a->p : NULL,
		.params_len = a ? a->len : 0,
	};
}

/* Step 2: stage next hop @nh's add/update; deletes come after the FIB. */
static void nh_stage(struct p4xd_bsink *s, struct bs_nh *nh, struct bs_txns *x)
{
	struct p4x_table_entry_spec sp;
	struct bs_act a;
	uint32_t key;
	int ret;

	if (!nh->refs)
		return;
	nh_action(s, nh, &a);
	if (nh->installed && a.act_id == nh->inst_act &&
	    a.len == nh->inst_len && !memcmp(a.p, nh->inst_params, a.len))
		return;
	nh_spec(nh, &key, &a, &sp);
	if (s->table) {
		if (!txn(s, &x->nh_set, s->nh_t))
			return;
		ret = nh->installed
			      ? p4x_table_txn__update(x->nh_set, &sp, x->why,
						      sizeof(x->why))
			      : p4x_table_txn__add(x->nh_set, &sp, x->why,
						   sizeof(x->why));
		if (ret) {
			table_error(s, ret, x->why);
			return;
		}
		s->st.table_writes++;
		nh->ev = ev_due(s, 1, nh->installed);
	}
	s->st.nh_entries += !nh->installed;
	nh->installed = true;
	nh->inst_act = a.act_id;
	nh->inst_len = a.len;
	memcpy(nh->inst_params, a.p, a.len);
}

static void fib_spec(const struct p4xd_bsink *s, const struct bs_prefix *p,
		     uint32_t *mask, uint8_t *params,
		     struct p4x_table_entry_spec *sp)
{
	*mask = prefix_mask(p->len);
	memset(params, 0, s->b->fib_params_len);
	if (p->nh)
		put_le(params + s->b->fib_index_off, s->b->fib_index_bytes,
		       p->nh->index);
	*sp = (struct p4x_table_entry_spec){
		.sz = sizeof(*sp),
		.key = &p->dst,
		.mask = mask,
		.act_id = s->b->fib_act,
		.params = params,
		.params_len = s->b->fib_params_len,
	};
}

/* Step 3: the FIB entry of @p. */
static void fib_stage(struct p4xd_bsink *s, struct bs_prefix *p,
		      struct bs_txns *x)
{
	uint8_t params[P4X_TABLE_PARAMS_MAX];
	struct p4x_table_entry_spec sp;
	uint32_t mask;
	int ret = 0;

	if (p->nh && p->installed && p->inst_index == p->nh->index)
		return;
	if (!p->nh && !p->installed)
		return;
	fib_spec(s, p, &mask, params, &sp);
	if (s->table) {
		if (!txn(s, &x->fib, s->fib_t))
			return;
		if (!p->nh)
			ev_emit(s, 0, P4X_CTL_P4_CMD_DELETE, &sp);
		if (!p->nh)
			ret = p4x_table_txn__delete(x->fib, &sp, x->why,
						    sizeof(x->why));
		else if (p->installed)
			ret = p4x_table_txn__update(x->fib, &sp, x->why,
						    sizeof(x->why));
		else
			ret = p4x_table_txn__add(x->fib, &sp, x->why,
						 sizeof(x->why));
		if (ret) {
			table_error(s, ret, x->why);
			return;
		}
		s->st.table_writes++;
		p->ev = p->nh ? ev_due(s, 0, p->installed) : 0;
	}
	if (p->nh && !p->installed)
		s->st.fib_entries++;
	else if (!p->nh)
		s->st.fib_entries--;
	p->installed = p->nh != NULL;
	p->inst_index = p->nh ? p->nh->index : 0;
}

/* Step 4: an unused next hop leaves the table and the model. */
static void nh_drop(struct p4xd_bsink *s, struct bs_nh *nh, struct bs_txns *x)
{
	struct p4x_table_entry_spec sp;
	uint32_t key;
	int ret;

	if (nh->refs)
		return;
	if (nh->installed && s->table) {
		nh_spec(nh, &key, NULL, &sp);
		if (!txn(s, &x->nh_del, s->nh_t))
			return;
		ev_emit(s, 1, P4X_CTL_P4_CMD_DELETE, &sp);
		ret = p4x_table_txn__delete(x->nh_del, &sp, x->why,
					    sizeof(x->why));
		if (ret) {
			table_error(s, ret, x->why);
			return;
		}
		s->st.table_writes++;
	}
	s->st.nh_entries -= nh->installed;
	bmap_del(&s->nhs, nh->key);
	index_release(s, nh->index);
	free(nh);
}

static void prefix_tidy(struct p4xd_bsink *s, struct bs_prefix *p)
{
	p->dirty = false;
	if (p->nroutes || p->neigh_ifindex || p->installed || p->nh)
		return;
	bmap_del(&s->prefixes, pfx_key(p->dst, p->len));
	free(p->routes);
	free(p);
}

static void txn_commit(struct p4xd_bsink *s, struct p4x_table_txn **t)
{
	if (!*t)
		return;
	p4x_table_txn__commit(*t);
	*t = NULL;
	s->st.txns++;
}

struct flush_buf {
	uint8_t *km; /* key then mask, 2 * keylen bytes per entry */
	uint32_t *prio;
	size_t n, cap;
	uint32_t keylen;
};

static int flush_collect(const struct p4x_table_entry *e, void *arg)
{
	struct flush_buf *f = arg;
	struct p4x_table_entry_info info;
	uint8_t *km;
	uint32_t *pr;

	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 64;
		km = realloc(f->km, f->cap * 2 * f->keylen);
		if (km)
			f->km = km;
		pr = realloc(f->prio, f->cap * sizeof(*pr));
		if (pr)
			f->prio = pr;
		if (!km || !pr)
			return -ENOMEM;
	}
	p4x_table_entry__info(e, &info);
	memcpy(f->km + f->n * 2 * f->keylen, info.key, f->keylen);
	memcpy(f->km + (f->n * 2 + 1) * f->keylen, info.mask, f->keylen);
	f->prio[f->n++] = info.prio;
	return 0;
}

/* Empty table @t in one transaction (first use, or a new table): the
 * binding owns every entry of its tables. */
static void table_flush(struct p4xd_bsink *s, struct p4x_table *t)
{
	struct flush_buf f = {.keylen = p4x_table__keylen(t)};
	struct p4x_table_entry_spec sp = {.sz = sizeof(sp)};
	char why[P4X_TABLE_ERR_MAX];
	struct p4x_table_txn *x;
	int ret = p4x_table__dump(t, flush_collect, &f);
	size_t i;

	x = ret ? NULL : p4x_table__txn_begin(t);
	for (i = 0; x && i < f.n; i++) {
		sp.key = f.km + i * 2 * f.keylen;
		sp.mask = f.km + (i * 2 + 1) * f.keylen;
		sp.prio = f.prio[i];
		ret = p4x_table_txn__delete(x, &sp, why, sizeof(why));
		if (ret) {
			p4x_table_txn__abort(x);
			x = NULL;
		}
	}
	if (x) {
		p4x_table_txn__commit(x);
		if (f.n)
			p4x_info("bridge: table %s held %zu entries before "
				 "the bridge: removed",
				 p4x_table__name(t), f.n);
	} else if (f.n || ret) {
		table_error(s, ret ? ret : -ENOMEM, "cannot empty the table");
	}
	free(f.km);
	free(f.prio);
}

/* The tables changed (first use, pipeline recreated): rewrite all. */
static void reload(struct p4xd_bsink *s)
{
	uint32_t i;

	for (i = 0; i < s->prefixes.cap; i++)
		if (s->prefixes.k[i]) {
			struct bs_prefix *p = s->prefixes.v[i];

			p->installed = false;
			mark_pfx(s, p);
		}
	for (i = 0; i < s->nhs.cap; i++)
		if (s->nhs.k[i]) {
			struct bs_nh *nh = s->nhs.v[i];

			nh->installed = false;
			mark_nh(s, nh);
		}
	s->st.fib_entries = s->st.nh_entries = 0;
	s->st.reloads++;
}

static int tables(struct p4xd_bsink *s)
{
	struct p4x_table *fib, *nh;

	if (!s->table)
		return 0;
	fib = s->table(s->arg, 0);
	nh = s->table(s->arg, 1);
	s->pending = !fib || !nh;
	if (s->pending) {
		snprintf(s->st.last_error, sizeof(s->st.last_error),
			 "pipeline %s is not there: table writes wait",
			 s->b->pipeline);
		return -ENOENT;
	}
	/* new tables (pipeline recreated, maybe at the same address): they
	 * do not hold what the sink wrote */
	if (fib != s->fib_t || nh != s->nh_t ||
	    p4x_table__count(fib) != s->st.fib_entries ||
	    p4x_table__count(nh) != s->st.nh_entries) {
		s->fib_t = fib;
		s->nh_t = nh;
		table_flush(s, fib);
		table_flush(s, nh);
		reload(s);
	}
	return 0;
}

/* Events of the entries table @i got in its last commit. */
static void ev_flush(struct p4xd_bsink *s, unsigned int i)
{
	uint8_t params[P4X_TABLE_PARAMS_MAX];
	struct p4x_table_entry_spec sp;
	uint32_t key, mask;
	size_t k;

	if (!(s->evmask & (1u << i)))
		return;
	if (i == 1)
		for (k = 0; k < s->dirty_nh.n; k++) {
			struct bs_nh *nh = s->dirty_nh.v[k];

			if (!nh->ev)
				continue;
			nh_spec(nh, &key, NULL, &sp);
			ev_emit(s, 1, nh->ev - 1, &sp);
			nh->ev = 0;
		}
	else
		for (k = 0; k < s->dirty_pfx.n; k++) {
			struct bs_prefix *p = s->dirty_pfx.v[k];

			if (!p->ev)
				continue;
			fib_spec(s, p, &mask, params, &sp);
			ev_emit(s, 0, p->ev - 1, &sp);
			p->ev = 0;
		}
}

static int bs_commit(void *ctx)
{
	struct p4xd_bsink *s = ctx;
	struct bs_txns x = {0};
	size_t i;
	int ret = tables(s);

	if (ret)
		return ret;
	s->evmask = s->events && (s->dirty_pfx.n || s->dirty_nh.n)
			    ? s->events->begin(s->arg)
			    : 0;
	for (i = 0; i < s->dirty_pfx.n; i++)
		if (prefix_eval(s, s->dirty_pfx.v[i]))
			table_error(s, -ENOMEM, "next hop");
	for (i = 0; i < s->dirty_nh.n; i++)
		nh_stage(s, s->dirty_nh.v[i], &x);
	txn_commit(s, &x.nh_set);
	ev_flush(s, 1);
	for (i = 0; i < s->dirty_pfx.n; i++)
		fib_stage(s, s->dirty_pfx.v[i], &x);
	txn_commit(s, &x.fib);
	ev_flush(s, 0);
	for (i = 0; i < s->dirty_nh.n; i++) {
		struct bs_nh *nh = s->dirty_nh.v[i];

		nh->dirty = false;
		nh_drop(s, nh, &x);
	}
	txn_commit(s, &x.nh_del);
	for (i = 0; i < s->dirty_pfx.n; i++)
		prefix_tidy(s, s->dirty_pfx.v[i]);
	s->dirty_pfx.n = s->dirty_nh.n = 0;
	if (s->evmask)
		s->events->end(s->arg);
	return 0;
}

static const struct p4x_bridge_rt_sink_ops bs_ops = {
	.commit = bs_commit,
	.link = bs_link,
	.addr = bs_addr,
	.route = bs_route,
	.neigh = bs_neigh,
};

struct p4x_bridge_rt_sink p4xd_bsink__sink(struct p4xd_bsink *s)
{
	return (struct p4x_bridge_rt_sink){&bs_ops, s};
}

struct p4xd_bsink *p4xd_bsink__new(const struct p4xd_bsink_opts *o)
{
	struct bs_target host = {.kind = BS_HOST};
	struct p4xd_bsink *s;

	if (!o || o->sz < sizeof(*o) || !o->bind || !o->bind->resolved ||
	    o->nserved > P4X_MAX_PORTS) {
		errno = EINVAL;
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->b = o->bind;
	memcpy(s->served, o->served, o->nserved * sizeof(*o->served));
	s->nserved = o->nserved;
	s->table = o->table;
	s->events = o->table ? o->events : NULL;
	s->arg = o->arg;
	s->next_idx = o->bind->nh.first_index;
	s->host = nh_get(s, &host, true);
	if (!s->host) {
		p4xd_bsink__free(s);
		errno = ENOMEM;
		return NULL;
	}
	s->host->refs = 1; /* the program's FIB miss points at it */
	mark_nh(s, s->host);
	return s;
}

void p4xd_bsink__set_mirror(struct p4xd_bsink *s,
			    const struct p4x_bridge_mirror *m)
{
	s->mirror = m;
}

void p4xd_bsink__free(struct p4xd_bsink *s)
{
	uint32_t i;

	if (!s)
		return;
	for (i = 0; i < s->prefixes.cap; i++)
		if (s->prefixes.k[i]) {
			struct bs_prefix *p = s->prefixes.v[i];

			free(p->routes);
			free(p);
		}
	for (i = 0; i < s->nhs.cap; i++)
		if (s->nhs.k[i])
			free(s->nhs.v[i]);
	bmap_free(&s->prefixes);
	bmap_free(&s->nhs);
	free(s->dirty_pfx.v);
	free(s->dirty_nh.v);
	free(s->free_idx);
	free(s);
}

void p4xd_bsink__stats(const struct p4xd_bsink *s, struct p4xd_bsink_stats *out)
{
	*out = s->st;
}

/* ---- comparing the live tables with a shadow sink ----------------------- */

static uint64_t get_le(const uint8_t *p, unsigned int bytes)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < bytes && i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void act_str(const struct p4xd_bind *b, uint32_t act, const uint8_t *p,
		    uint16_t len, char *buf, size_t sz)
{
	const uint8_t *m = p + b->nh_mac_off;
	uint32_t port;

	if (act == b->nh_act && len == b->nh_params_len) {
		port = (uint32_t)get_le(p + b->nh_port_off, 4);
		snprintf(buf, sz,
			 "%s dmac %02x:%02x:%02x:%02x:%02x:%02x port %u%s",
			 b->nh.action, m[0], m[1], m[2], m[3], m[4], m[5], port,
			 port ? "" : " (host)");
	} else if (act && act == b->nh_drop_act) {
		snprintf(buf, sz, "%s", b->nh.drop_action);
	} else if (!act) {
		snprintf(buf, sz, "no next-hop entry");
	} else {
		snprintf(buf, sz, "action id %u", act);
	}
}

struct cmp_ctx {
	const struct p4xd_bsink *want;
	struct p4x_table *nh;
	struct bmap used; /* next-hop indexes live FIB entries use, + 1 */
	p4x_bridge_diff_fn fn;
	void *arg;
	long n;
	int err;
};

static int cmp_report(struct cmp_ctx *c, enum p4x_bridge_diff what,
		      const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int cmp_report(struct cmp_ctx *c, enum p4x_bridge_diff what,
		      const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int ret;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	c->n++;
	ret = c->fn(c->arg, what, line);
	if (ret && !c->err)
		c->err = ret;
	return ret;
}

/* The live action of next-hop index @idx. */
static void live_nh(struct cmp_ctx *c, uint32_t idx, struct bs_act *a)
{
	struct p4x_table_entry_spec sp = {.sz = sizeof(sp)};
	const struct p4x_table_entry *e;
	uint32_t key;

	put_le((uint8_t *)&key, 4, idx);
	sp.key = &key;
	e = p4x_table__get(c->nh, &sp);
	memset(a, 0, sizeof(*a));
	if (!e)
		return;
	a->act_id = e->act_id;
	a->len = P4X_MIN(e->params_len, (uint16_t)sizeof(a->p));
	memcpy(a->p, e->params, a->len);
}

static bool act_eq(const struct bs_act *x, const struct bs_act *y)
{
	return x->act_id == y->act_id && x->len == y->len &&
	       !memcmp(x->p, y->p, x->len);
}

static uint8_t mask_len(uint32_t mask)
{
	return (uint8_t)__builtin_popcount(mask);
}

static int cmp_fib(const struct p4x_table_entry *e, void *arg)
{
	struct cmp_ctx *c = arg;
	const struct p4xd_bind *b = c->want->b;
	struct p4x_table_entry_info info;
	struct bs_act have, want;
	char hs[128], ws[128], pfx[INET_ADDRSTRLEN + 4];
	struct bs_prefix *p;
	uint32_t dst, mask, idx;

	p4x_table_entry__info(e, &info);
	memcpy(&dst, info.key, 4);
	memcpy(&mask, info.mask, 4);
	inet_ntop(AF_INET, &dst, pfx, sizeof(pfx));
	snprintf(pfx + strlen(pfx), 4, "/%u", mask_len(mask));
	idx = info.params_len >= b->fib_index_off + b->fib_index_bytes
		      ? (uint32_t)get_le(info.params + b->fib_index_off,
					 b->fib_index_bytes)
		      : 0;
	if (!bmap_get(&c->used, (uint64_t)idx + 1))
		bmap_put(&c->used, (uint64_t)idx + 1, c);
	live_nh(c, idx, &have);
	act_str(b, have.act_id, have.p, have.len, hs, sizeof(hs));
	p = bmap_get(&c->want->prefixes, pfx_key(dst, mask_len(mask)));
	if (!p || !p->nh)
		return cmp_report(c, P4X_BRIDGE_DIFF_ONLY_SINK,
				  "fib %s -> nh %u: %s", pfx, idx, hs);
	p->seen = c->want->gen;
	nh_action(c->want, p->nh, &want);
	if (act_eq(&have, &want))
		return 0;
	act_str(b, want.act_id, want.p, want.len, ws, sizeof(ws));
	return cmp_report(c, P4X_BRIDGE_DIFF_DIFFERS,
			  "fib %s: table %s (nh %u), kernel %s", pfx, hs, idx,
			  ws);
}

static int cmp_nh(const struct p4x_table_entry *e, void *arg)
{
	struct cmp_ctx *c = arg;
	struct p4x_table_entry_info info;
	uint32_t idx;
	char hs[128];

	p4x_table_entry__info(e, &info);
	idx = (uint32_t)get_le(info.key, 4);
	if (idx == c->want->b->nh.host_index ||
	    bmap_get(&c->used, (uint64_t)idx + 1))
		return 0;
	act_str(c->want->b, info.act_id, info.params, info.params_len, hs,
		sizeof(hs));
	return cmp_report(c, P4X_BRIDGE_DIFF_ONLY_SINK,
			  "nh %u: %s, used by no FIB entry", idx, hs);
}

/* Prefixes the kernel has and the live FIB lacks; the host next hop. */
static void cmp_missing(struct cmp_ctx *c)
{
	const struct p4xd_bsink *w = c->want;
	char ws[128], pfx[INET_ADDRSTRLEN + 4];
	struct bs_act have, want;
	uint32_t i;

	for (i = 0; i < w->prefixes.cap && !c->err; i++) {
		const struct bs_prefix *p = w->prefixes.v[i];

		if (!w->prefixes.k[i] || !p->nh || p->seen == w->gen)
			continue;
		nh_action(w, p->nh, &want);
		act_str(w->b, want.act_id, want.p, want.len, ws, sizeof(ws));
		inet_ntop(AF_INET, &p->dst, pfx, sizeof(pfx));
		cmp_report(c, P4X_BRIDGE_DIFF_ONLY_KERNEL, "fib %s/%u: %s", pfx,
			   p->len, ws);
	}
	live_nh(c, w->b->nh.host_index, &have);
	nh_action(w, w->host, &want);
	if (!c->err && !act_eq(&have, &want)) {
		act_str(w->b, have.act_id, have.p, have.len, ws, sizeof(ws));
		cmp_report(c, P4X_BRIDGE_DIFF_DIFFERS, "nh %u (host): table %s",
			   w->b->nh.host_index, ws);
	}
}

long p4xd_bsink__compare(const struct p4xd_bsink *want, struct p4x_table *fib,
			 struct p4x_table *nh, p4x_bridge_diff_fn fn, void *arg)
{
	struct p4xd_bsink *w = (struct p4xd_bsink *)want;
	struct cmp_ctx c = {.want = want, .nh = nh, .fn = fn, .arg = arg};
	int ret;

	w->gen++; /* the generation marks what the live FIB has */
	ret = p4x_table__dump(fib, cmp_fib, &c);
	if (!ret && !c.err)
		ret = p4x_table__dump(nh, cmp_nh, &c);
	if (!ret && !c.err)
		cmp_missing(&c);
	bmap_free(&c.used);
	if (c.err)
		return c.err;
	return ret ? ret : c.n;
}

int p4xd_bsink__check(struct p4xd_bsink *s)
{
	struct p4x_table *fib, *nh;

	if (!s->table)
		return 0;
	fib = s->table(s->arg, 0);
	nh = s->table(s->arg, 1);
	if (!s->pending && fib && fib == s->fib_t && nh == s->nh_t &&
	    p4x_table__count(fib) == s->st.fib_entries &&
	    p4x_table__count(nh) == s->st.nh_entries)
		return 0;
	return bs_commit(s);
}
