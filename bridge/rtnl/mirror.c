// SPDX-License-Identifier: BSD-3-Clause
/*
 * The mirror: one open-addressing hash set per kind of routing object, keyed
 * by the object's leading key struct (compared as bytes), linear probing
 * with backward-shift deletion (no tombstones). Objects are copied in; a
 * route's next hops live right after it in the same allocation.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rtnl_priv.h"

struct p4x_set_slot {
	uint64_t hash;
	void *obj; /* NULL: empty */
};

struct p4x_set {
	struct p4x_set_slot *slot;
	size_t mask; /* slots - 1 */
	size_t count;
	size_t key_len;
};

struct p4x_bridge_mirror {
	struct p4x_set set[P4X_RT_KIND_MAX];
	struct p4x_bridge_rt_sink next; /* ops NULL: none */
};

static const size_t p4x_key_len[P4X_RT_KIND_MAX] = {
	[P4X_RT_LINK] = sizeof(struct p4x_rt_link_key),
	[P4X_RT_ADDR] = sizeof(struct p4x_rt_addr_key),
	[P4X_RT_ROUTE] = sizeof(struct p4x_rt_route_key),
	[P4X_RT_NEIGH] = sizeof(struct p4x_rt_neigh_key),
};

static const size_t p4x_obj_len[P4X_RT_KIND_MAX] = {
	[P4X_RT_LINK] = sizeof(struct p4x_rt_link),
	[P4X_RT_ADDR] = sizeof(struct p4x_rt_addr),
	[P4X_RT_ROUTE] = sizeof(struct p4x_rt_route),
	[P4X_RT_NEIGH] = sizeof(struct p4x_rt_neigh),
};

/* Keys are multiples of 4 bytes; mix 4-byte words, then finalise. */
static uint64_t p4x_key_hash(const void *key, size_t len)
{
	const uint8_t *p = key;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ len;
	uint32_t w;

	for (size_t i = 0; i < len; i += 4) {
		memcpy(&w, p + i, 4);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 29;
	}
	h ^= h >> 32;
	return h * 0xc4ceb9fe1a85ec53ull;
}

static size_t p4x_obj_size(enum p4x_rt_kind kind, const void *obj)
{
	const struct p4x_rt_route *r = obj;

	if (kind != P4X_RT_ROUTE)
		return p4x_obj_len[kind];
	return sizeof(*r) + (size_t)r->nh_count * sizeof(struct p4x_rt_nh);
}

static bool p4x_obj_equal(enum p4x_rt_kind kind, const void *a, const void *b)
{
	const struct p4x_rt_route *ra = a, *rb = b;

	if (kind != P4X_RT_ROUTE)
		return !memcmp(a, b, p4x_obj_len[kind]);
	if (memcmp(ra, rb, offsetof(struct p4x_rt_route, nh)))
		return false;
	return !memcmp(ra->nh, rb->nh, ra->nh_count * sizeof(*ra->nh));
}

/* A heap copy of @obj (a route with its next hops packed after it). */
static void *p4x_obj_dup(enum p4x_rt_kind kind, const void *obj)
{
	size_t len = p4x_obj_size(kind, obj);
	struct p4x_rt_route *r;
	void *copy = malloc(len);

	if (!copy)
		return NULL;
	memcpy(copy, obj, p4x_obj_len[kind]);
	if (kind == P4X_RT_ROUTE) {
		r = copy;
		memcpy(r + 1, ((const struct p4x_rt_route *)obj)->nh,
		       len - sizeof(*r));
		r->nh = (const struct p4x_rt_nh *)(r + 1);
	}
	return copy;
}

/* Room for @hint objects at a load of at most 1/2. */
static int p4x_set_init(struct p4x_set *s, size_t key_len, size_t hint)
{
	s->mask = 63;
	while (s->mask < hint * 2 && s->mask < (SIZE_MAX >> 2))
		s->mask = s->mask * 2 + 1;
	s->count = 0;
	s->key_len = key_len;
	s->slot = calloc(s->mask + 1, sizeof(*s->slot));
	return s->slot ? 0 : -ENOMEM;
}

static void p4x_set_clear(struct p4x_set *s)
{
	for (size_t i = 0; i <= s->mask; i++) {
		free(s->slot[i].obj);
		s->slot[i].obj = NULL;
	}
	s->count = 0;
}

/* Slot holding @key, or the empty slot where it would go. */
static size_t p4x_set_find(const struct p4x_set *s, const void *key,
			   uint64_t hash)
{
	size_t i = hash & s->mask;

	while (s->slot[i].obj && (s->slot[i].hash != hash ||
				  memcmp(s->slot[i].obj, key, s->key_len)))
		i = (i + 1) & s->mask;
	return i;
}

static int p4x_set_grow(struct p4x_set *s)
{
	struct p4x_set_slot *old = s->slot;
	size_t old_n = s->mask + 1, i, j;

	s->slot = calloc(old_n * 2, sizeof(*s->slot));
	if (!s->slot) {
		s->slot = old;
		return -ENOMEM;
	}
	s->mask = old_n * 2 - 1;
	for (i = 0; i < old_n; i++) {
		if (!old[i].obj)
			continue;
		j = old[i].hash & s->mask;
		while (s->slot[j].obj)
			j = (j + 1) & s->mask;
		s->slot[j] = old[i];
	}
	free(old);
	return 0;
}

/* Backward-shift deletion keeps every probe chain unbroken. */
static void p4x_set_remove_at(struct p4x_set *s, size_t i)
{
	size_t j = i, home;

	free(s->slot[i].obj);
	s->slot[i].obj = NULL;
	s->count--;
	for (;;) {
		j = (j + 1) & s->mask;
		if (!s->slot[j].obj)
			return;
		home = s->slot[j].hash & s->mask;
		/* Move j back to i unless its home lies in (i, j]. */
		if ((j > i && (home <= i || home > j)) ||
		    (j < i && (home <= i && home > j))) {
			s->slot[i] = s->slot[j];
			s->slot[j].obj = NULL;
			i = j;
		}
	}
}

struct p4x_bridge_mirror *
p4x_bridge_mirror__new(const struct p4x_bridge_mirror_opts *opts)
{
	struct p4x_bridge_mirror *m = calloc(1, sizeof(*m));
	const size_t *hint = NULL;
	int k;

	if (!m)
		return NULL;
	if (opts && opts->sz < offsetof(struct p4x_bridge_mirror_opts, next) +
				       sizeof(opts->next)) {
		free(m);
		errno = EINVAL;
		return NULL;
	}
	if (opts && opts->next)
		m->next = *opts->next;
	if (opts && opts->sz >= offsetof(struct p4x_bridge_mirror_opts, hint) +
					sizeof(opts->hint))
		hint = opts->hint;
	for (k = 0; k < P4X_RT_KIND_MAX; k++)
		if (p4x_set_init(&m->set[k], p4x_key_len[k],
				 hint ? hint[k] : 0))
			goto err_set;
	return m;

err_set:
	while (k--)
		free(m->set[k].slot);
	free(m);
	errno = ENOMEM;
	return NULL;
}

void p4x_bridge_mirror__clear(struct p4x_bridge_mirror *m)
{
	for (int k = 0; k < P4X_RT_KIND_MAX; k++)
		p4x_set_clear(&m->set[k]);
}

void p4x_bridge_mirror__free(struct p4x_bridge_mirror *m)
{
	if (!m)
		return;
	for (int k = 0; k < P4X_RT_KIND_MAX; k++) {
		p4x_set_clear(&m->set[k]);
		free(m->set[k].slot);
	}
	free(m);
}

size_t p4x_bridge_mirror__count(const struct p4x_bridge_mirror *m,
				enum p4x_rt_kind kind)
{
	return kind < P4X_RT_KIND_MAX ? m->set[kind].count : 0;
}

const void *p4x_bridge_mirror__lookup(const struct p4x_bridge_mirror *m,
				      enum p4x_rt_kind kind, const void *key)
{
	const struct p4x_set *s;
	size_t i;

	if (kind >= P4X_RT_KIND_MAX)
		return NULL;
	s = &m->set[kind];
	i = p4x_set_find(s, key, p4x_key_hash(key, s->key_len));
	return s->slot[i].obj;
}

int p4x_bridge_mirror__foreach(const struct p4x_bridge_mirror *m,
			       enum p4x_rt_kind kind, p4x_mirror_fn fn,
			       void *arg)
{
	const struct p4x_set *s = &m->set[kind];
	int err;

	for (size_t i = 0; i <= s->mask; i++) {
		if (!s->slot[i].obj)
			continue;
		err = fn(s->slot[i].obj, arg);
		if (err)
			return err;
	}
	return 0;
}

/* Insert or replace; *@op says what the change was (or -1: unchanged). */
/*
 * Insert or replace; *@op says what the change was (-1: unchanged). On a
 * replace, *@old is the object replaced, for the caller to free or put
 * back.
 */
static int p4x_set_upsert(struct p4x_set *s, enum p4x_rt_kind kind,
			  const void *obj, int *op, void **old)
{
	uint64_t hash = p4x_key_hash(obj, s->key_len);
	size_t i = p4x_set_find(s, obj, hash);
	void *copy;

	if (s->slot[i].obj && p4x_obj_equal(kind, s->slot[i].obj, obj)) {
		*op = -1;
		return 0;
	}
	copy = p4x_obj_dup(kind, obj);
	if (!copy)
		return -ENOMEM;
	if (s->slot[i].obj) {
		*old = s->slot[i].obj;
		s->slot[i].obj = copy;
		*op = P4X_RT_REPLACE;
		return 0;
	}
	/* Keep the load under 1/2; a failed grow is fatal only when full. */
	if ((s->count + 1) * 2 > s->mask && !p4x_set_grow(s)) {
		i = p4x_set_find(s, obj, hash);
	} else if (s->count + 1 >= s->mask) {
		free(copy);
		return -ENOMEM;
	}
	s->slot[i].hash = hash;
	s->slot[i].obj = copy;
	s->count++;
	*op = P4X_RT_ADD;
	return 0;
}

static size_t p4x_set_slot_of(const struct p4x_set *s, const void *key)
{
	return p4x_set_find(s, key, p4x_key_hash(key, s->key_len));
}

/*
 * The mirror holds what the sink holds: when the sink refuses a change,
 * the mirror undoes it (the object is then a difference `diff` shows and a
 * resync retries).
 */
static int p4x_mirror_upsert(struct p4x_bridge_mirror *m, enum p4x_rt_kind kind,
			     const void *obj)
{
	struct p4x_set *s = &m->set[kind];
	void *old = NULL;
	int done, err;
	size_t i;

	err = p4x_set_upsert(s, kind, obj, &done, &old);
	if (err || done < 0 || !m->next.ops) {
		free(old);
		return err;
	}
	err = p4x_bridge_rt_sink__apply(&m->next, kind, done, obj);
	i = p4x_set_slot_of(s, obj);
	if (err && old) {
		free(s->slot[i].obj);
		s->slot[i].obj = old;
		return err;
	}
	if (err)
		p4x_set_remove_at(s, i);
	free(old);
	return err;
}

static int p4x_mirror_apply(struct p4x_bridge_mirror *m, enum p4x_rt_kind kind,
			    enum p4x_rt_op op, const void *obj)
{
	struct p4x_set *s = &m->set[kind];
	int err = 0;
	size_t i;

	if (op != P4X_RT_DEL)
		return p4x_mirror_upsert(m, kind, obj);
	i = p4x_set_slot_of(s, obj);
	if (!s->slot[i].obj)
		return 0;
	/* Forward first: @obj may be the held copy that removal frees. */
	if (m->next.ops)
		err = p4x_bridge_rt_sink__apply(&m->next, kind, op, obj);
	if (!err)
		p4x_set_remove_at(s, i);
	return err;
}

static int p4x_mirror_begin(void *ctx)
{
	struct p4x_bridge_mirror *m = ctx;

	if (m->next.ops && m->next.ops->begin)
		return m->next.ops->begin(m->next.ctx);
	return 0;
}

static int p4x_mirror_commit(void *ctx)
{
	struct p4x_bridge_mirror *m = ctx;

	if (m->next.ops && m->next.ops->commit)
		return m->next.ops->commit(m->next.ctx);
	return 0;
}

static int p4x_mirror_link(void *ctx, enum p4x_rt_op op,
			   const struct p4x_rt_link *l)
{
	return p4x_mirror_apply(ctx, P4X_RT_LINK, op, l);
}

static int p4x_mirror_addr(void *ctx, enum p4x_rt_op op,
			   const struct p4x_rt_addr *a)
{
	return p4x_mirror_apply(ctx, P4X_RT_ADDR, op, a);
}

static int p4x_mirror_route(void *ctx, enum p4x_rt_op op,
			    const struct p4x_rt_route *r)
{
	return p4x_mirror_apply(ctx, P4X_RT_ROUTE, op, r);
}

static int p4x_mirror_neigh(void *ctx, enum p4x_rt_op op,
			    const struct p4x_rt_neigh *n)
{
	return p4x_mirror_apply(ctx, P4X_RT_NEIGH, op, n);
}

struct p4x_walk_arg {
	const struct p4x_bridge_rt_sink *out;
	enum p4x_rt_kind kind;
};

static int p4x_walk_one(const void *obj, void *arg)
{
	struct p4x_walk_arg *w = arg;

	return p4x_bridge_rt_sink__apply(w->out, w->kind, P4X_RT_ADD, obj);
}

static int p4x_mirror_walk(void *ctx, const struct p4x_bridge_rt_sink *out)
{
	struct p4x_walk_arg w = {.out = out};
	int err;

	for (w.kind = 0; w.kind < P4X_RT_KIND_MAX; w.kind++) {
		err = p4x_bridge_mirror__foreach(ctx, w.kind, p4x_walk_one, &w);
		if (err)
			return err;
	}
	return 0;
}

static const struct p4x_bridge_rt_sink_ops p4x_mirror_ops = {
	.begin = p4x_mirror_begin,
	.commit = p4x_mirror_commit,
	.link = p4x_mirror_link,
	.addr = p4x_mirror_addr,
	.route = p4x_mirror_route,
	.neigh = p4x_mirror_neigh,
	.walk = p4x_mirror_walk,
};

struct p4x_bridge_rt_sink p4x_bridge_mirror__sink(struct p4x_bridge_mirror *m)
{
	return (struct p4x_bridge_rt_sink){.ops = &p4x_mirror_ops, .ctx = m};
}

struct p4x_diff_arg {
	const struct p4x_bridge_mirror *other;
	const struct p4x_bridge_rt_sink *out;
	enum p4x_rt_kind kind;
	long count;
	const void **del; /* objects of @have missing from @want */
	size_t del_n, del_cap;
};

static int p4x_diff_missing(const void *obj, void *arg)
{
	struct p4x_diff_arg *d = arg;
	const void **grown;

	if (p4x_bridge_mirror__lookup(d->other, d->kind, obj))
		return 0;
	if (d->del_n == d->del_cap) {
		d->del_cap = d->del_cap ? d->del_cap * 2 : 256;
		grown = realloc(d->del, d->del_cap * sizeof(*d->del));
		if (!grown)
			return -ENOMEM;
		d->del = grown;
	}
	d->del[d->del_n++] = obj;
	return 0;
}

static int p4x_diff_changed(const void *obj, void *arg)
{
	struct p4x_diff_arg *d = arg;
	const void *o = p4x_bridge_mirror__lookup(d->other, d->kind, obj);
	enum p4x_rt_op op = o ? P4X_RT_REPLACE : P4X_RT_ADD;

	if (o && p4x_obj_equal(d->kind, o, obj))
		return 0;
	d->count++;
	return p4x_bridge_rt_sink__apply(d->out, d->kind, op, obj);
}

/*
 * Deletions first (a key may be freed for a new object), collected before
 * any is emitted: @out may be @have's own sink.
 */
static int p4x_diff_dels(struct p4x_diff_arg *d,
			 const struct p4x_bridge_mirror *have,
			 const struct p4x_bridge_mirror *want)
{
	int err = 0;

	d->other = want;
	for (d->kind = P4X_RT_KIND_MAX; d->kind-- > 0;) {
		d->del_n = 0;
		err = p4x_bridge_mirror__foreach(have, d->kind,
						 p4x_diff_missing, d);
		for (size_t i = 0; !err && i < d->del_n; i++) {
			d->count++;
			err = p4x_bridge_rt_sink__apply(d->out, d->kind,
							P4X_RT_DEL, d->del[i]);
		}
		if (err)
			break;
	}
	free(d->del);
	return err;
}

long p4x_bridge_mirror__diff(const struct p4x_bridge_mirror *have,
			     const struct p4x_bridge_mirror *want,
			     const struct p4x_bridge_rt_sink *out)
{
	struct p4x_diff_arg d = {.out = out};
	int err;

	err = p4x_diff_dels(&d, have, want);
	if (err)
		return err;
	d.other = have;
	for (d.kind = 0; d.kind < P4X_RT_KIND_MAX; d.kind++) {
		err = p4x_bridge_mirror__foreach(want, d.kind, p4x_diff_changed,
						 &d);
		if (err)
			return err;
	}
	return d.count;
}
