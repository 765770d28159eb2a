// SPDX-License-Identifier: BSD-3-Clause
/*
 * Ternary tables: tuple-space search with tuple merging. Entries live in
 * groups, each a bucketized hash keyed by key & group mask, where the
 * group mask is a subset of the masks of all its entries (TupleMerge): an
 * entry joins the most specific group whose mask its own mask covers, as
 * long as fewer than TM_COLLIDE entries there share its group-masked key;
 * otherwise a new group is made with a relaxed mask (the first half of the
 * mask's full bytes), or with the entry's own mask. Fewer groups than
 * masks means fewer probes per lookup. A lookup masks the key with each
 * group's mask, probes that group and checks each candidate against the
 * candidate's own mask; the smallest prio (then the oldest entry) wins. Each
 * group keeps a lower bound of the prios it holds (best_prio, lowered before a
 * better entry is linked, never raised) so a lookup skips groups that cannot
 * beat its current winner. The group list is an RCU-published array sorted by
 * best_prio, replaced when a group comes or goes or its bound moves ahead of an
 * earlier group.
 */
#include <errno.h>
#include <stdlib.h>

#include "table_int.h"

struct tbl_group {
	uint32_t best_prio; /* relaxed; lower bound of prios */
	uint32_t nentries;  /* linked entries (control) */
	struct thash h;
	struct rcu_head rcu;
	uint64_t mask[]; /* nwords */
};

struct tern_list {
	uint32_t n;
	struct rcu_head rcu;
	struct tbl_group *g[];
};

struct tern_data {
	struct tern_list *list; /* RCU */
};

static struct tern_list *list_new(uint32_t n)
{
	struct tern_list *l = calloc(1, sizeof(*l) + n * sizeof(l->g[0]));

	if (l)
		l->n = n;
	return l;
}

static void list_free_rcu(struct rcu_head *head)
{
	free(caa_container_of(head, struct tern_list, rcu));
}

static void group_free_rcu(struct rcu_head *head)
{
	struct tbl_group *g = caa_container_of(head, struct tbl_group, rcu);

	thash_fini(&g->h);
	free(g);
}

static int tern_init(struct p4x_table *t)
{
	struct tern_data *d = calloc(1, sizeof(*d));

	if (!d)
		return -ENOMEM;
	d->list = list_new(0);
	if (!d->list) {
		free(d);
		return -ENOMEM;
	}
	t->kind_data = d;
	return 0;
}

static void tern_fini(struct p4x_table *t)
{
	struct tern_data *d = t->kind_data;

	for (uint32_t i = 0; i < d->list->n; i++)
		group_free_rcu(&d->list->g[i]->rcu);
	free(d->list);
	free(d);
}

static int tern_validate(struct p4x_table *t, const uint8_t *mask, char *err,
			 size_t errsz)
{
	return 0; /* any mask */
}

static int group_cmp(const void *a, const void *b)
{
	const struct tbl_group *ga = *(struct tbl_group *const *)a;
	const struct tbl_group *gb = *(struct tbl_group *const *)b;

	return (ga->best_prio > gb->best_prio) -
	       (ga->best_prio < gb->best_prio);
}

/* Publish a sorted copy of the list with @add added and @del removed. */
static int list_publish(struct p4x_table *t, struct tbl_group *add,
			struct tbl_group *del)
{
	struct tern_data *d = t->kind_data;
	struct tern_list *old = d->list, *l;
	uint32_t n = 0;

	l = list_new(old->n + (add ? 1 : 0));
	if (!l)
		return -ENOMEM;
	for (uint32_t i = 0; i < old->n; i++)
		if (old->g[i] != del)
			l->g[n++] = old->g[i];
	if (add)
		l->g[n++] = add;
	l->n = n;
	qsort(l->g, n, sizeof(l->g[0]), group_cmp);
	rcu_assign_pointer(d->list, l);
	call_rcu(&old->rcu, list_free_rcu);
	t->masks = n;
	return 0;
}

#define TM_COLLIDE 8 /* entries sharing a group-masked key, at most */

static struct tbl_group *group_find(struct p4x_table *t, const uint64_t *mask)
{
	struct tern_data *d = t->kind_data;

	for (uint32_t i = 0; i < d->list->n; i++)
		if (tbl_words_eq(d->list->g[i]->mask, mask, t->nwords))
			return d->list->g[i];
	return NULL;
}

static const uint64_t *entry_mask(const struct tbl_entry *e, uint32_t nw)
{
	return (const uint64_t *)e->data + nw;
}

/* Hash of @key masked by @mask. */
static uint32_t masked_hash(const uint64_t *key, const uint64_t *mask,
			    uint32_t nw)
{
	uint64_t mk[P4X_TABLE_KEY_MAX / 8];

	for (uint32_t w = 0; w < nw; w++)
		mk[w] = key[w] & mask[w];
	return tbl_hash_words(mk, nw);
}

/* Linked entries of @g whose key under g->mask equals @key's. */
static unsigned int group_collisions(const struct tbl_group *g,
				     const uint64_t *key, uint32_t nw,
				     uint32_t hash)
{
	const struct thash_bucket *b = thash_bucket(g->h.tbl, hash);
	unsigned int n = 0;

	for (; b; b = b->next)
		for (int i = 0; i < THASH_SLOTS; i++) {
			const uint64_t *k;
			uint64_t d = 0;

			if (!b->e[i])
				continue;
			k = (const uint64_t *)b->e[i]->data;
			for (uint32_t w = 0; w < nw; w++)
				d |= (k[w] ^ key[w]) & g->mask[w];
			n += !d;
		}
	return n;
}

static unsigned int mask_bits(const uint64_t *m, uint32_t nw)
{
	unsigned int n = 0;

	for (uint32_t w = 0; w < nw; w++)
		n += (unsigned int)__builtin_popcountll(m[w]);
	return n;
}

/* The most specific group @e may join, or NULL. */
static struct tbl_group *group_pick(struct p4x_table *t,
				    const struct tbl_entry *e)
{
	struct tern_data *d = t->kind_data;
	const uint64_t *key = (const uint64_t *)e->data;
	const uint64_t *m = entry_mask(e, t->nwords);
	struct tbl_group *best = NULL;
	unsigned int best_bits = 0;

	for (uint32_t i = 0; i < d->list->n; i++) {
		struct tbl_group *g = d->list->g[i];
		unsigned int bits = mask_bits(g->mask, t->nwords);
		uint64_t outside = 0;

		for (uint32_t w = 0; w < t->nwords; w++)
			outside |= g->mask[w] & ~m[w];
		if (outside || (best && bits <= best_bits))
			continue;
		if (group_collisions(g, key, t->nwords,
				     masked_hash(key, g->mask, t->nwords)) >=
		    TM_COLLIDE)
			continue;
		best = g;
		best_bits = bits;
	}
	return best;
}

/* A new group's mask for entry mask @m: the first half of its full bytes
 * (rounded up). */
static void mask_relax(const uint64_t *m, uint32_t keylen, uint64_t *r)
{
	const uint8_t *mb = (const uint8_t *)m;
	uint8_t *rb = (uint8_t *)r;
	unsigned int full = 0, kept = 0;

	memset(r, 0, TBL_KEY_WORDS(keylen) * 8);
	for (uint32_t i = 0; i < keylen; i++)
		full += mb[i] == 0xff;
	for (uint32_t i = 0; i < keylen && kept < (full + 1) / 2; i++)
		if (mb[i] == 0xff) {
			rb[i] = 0xff;
			kept++;
		}
}

static struct tbl_group *group_new(struct p4x_table *t, const uint64_t *mask,
				   char *err, size_t errsz)
{
	struct tbl_group *g;

	if (t->masks >= t->nummasks) {
		tbl_errf(err, errsz, "table %s has too many masks (%u)",
			 t->name, t->nummasks);
		errno = ENOSPC;
		return NULL;
	}
	g = calloc(1, sizeof(*g) + (size_t)t->nwords * 8);
	if (!g || thash_init(&g->h, t->nwords, 16, &t->struct_bytes))
		goto err_alloc;
	memcpy(g->mask, mask, (size_t)t->nwords * 8);
	g->best_prio = UINT32_MAX;
	if (list_publish(t, g, NULL))
		goto err_publish;
	return g;

err_publish:
	thash_fini(&g->h);
err_alloc:
	free(g);
	tbl_errf(err, errsz, "out of memory");
	errno = ENOMEM;
	return NULL;
}

static void group_put(struct p4x_table *t, struct tbl_group *g)
{
	if (g->nentries)
		return;
	if (list_publish(t, NULL, g))
		return; /* no memory: keep the empty group */
	call_rcu(&g->rcu, group_free_rcu);
}

/* Lower the bound of @g to @prio; re-sort if it now beats a predecessor. */
static void group_lower(struct p4x_table *t, struct tbl_group *g, uint32_t prio)
{
	struct tern_data *d = t->kind_data;
	uint32_t i = 0;

	if (prio >= g->best_prio)
		return;
	__atomic_store_n(&g->best_prio, prio, __ATOMIC_RELAXED);
	while (d->list->g[i] != g)
		i++;
	if (i && d->list->g[i - 1]->best_prio > prio)
		list_publish(t, NULL, NULL); /* order only; best effort */
}

static int tern_stage_add(struct p4x_table_txn *txn, struct tbl_entry *e,
			  char *err, size_t errsz)
{
	struct p4x_table *t = txn->t;
	const uint64_t *m = entry_mask(e, t->nwords);
	struct tbl_group *g = group_pick(t, e);
	uint64_t r[P4X_TABLE_KEY_MAX / 8];
	int ret;

	mask_relax(m, t->keylen, r);
	if (!g && !group_find(t, r))
		g = group_new(t, r, err, errsz);
	else if (!g)
		g = group_find(t, m) ?: group_new(t, m, err, errsz);
	if (!g)
		return -errno;
	e->hash = masked_hash((const uint64_t *)e->data, g->mask, t->nwords);
	ret = thash_insert(&g->h, e);
	if (ret) {
		group_put(t, g);
		tbl_errf(err, errsz, "out of memory");
		return ret;
	}
	e->group = g;
	g->nentries++;
	group_lower(t, g, e->pub.prio);
	return 0;
}

static int tern_stage_del(struct p4x_table_txn *txn, struct tbl_entry *e,
			  char *err, size_t errsz)
{
	return 0; /* stays linked, invisible from txn->gen on */
}

static void tern_unlink(struct p4x_table *t, struct tbl_entry *e)
{
	struct tbl_group *g = e->group;

	thash_remove(&g->h, e);
	g->nentries--;
	group_put(t, g);
}

static void tern_undo_add(struct p4x_table_txn *txn, struct tbl_entry *e)
{
	tern_unlink(txn->t, e);
}

/* Whether @e matches key @kw under its own mask. */
static bool entry_match(const struct tbl_entry *e, const uint64_t *kw,
			uint32_t nw)
{
	const uint64_t *k = (const uint64_t *)e->data, *m = k + nw;
	uint64_t d = 0;

	for (uint32_t w = 0; w < nw; w++)
		d |= (kw[w] & m[w]) ^ k[w];
	return !d;
}

/* Best entry of a group's hash matching @kw (whose key under the group
 * mask hashes to @hash), if better than @best. */
static const struct tbl_entry *group_probe(const struct thash_tbl *tbl,
					   const uint64_t *kw, uint32_t nw,
					   uint32_t hash, uint64_t gen,
					   const struct tbl_entry *best)
{
	const struct thash_bucket *b = thash_bucket(tbl, hash);
	uint32_t sig = thash_sig(hash);

	for (; b; b = rcu_dereference(b->next)) {
		for (uint32_t m = thash_match(b, sig); m; m &= m - 1) {
			const struct tbl_entry *e =
				rcu_dereference(b->e[__builtin_ctz(m)]);

			if (e && entry_match(e, kw, nw) &&
			    tbl_visible(e, gen) && tbl_better(e, best))
				best = e;
		}
	}
	return best;
}

struct tern_burst {
	uint64_t kw[P4X_BURST][P4X_TABLE_KEY_MAX / 8];
	uint32_t hash[P4X_BURST];
	uint8_t todo[P4X_BURST];
	const struct tbl_entry *best[P4X_BURST];
};

/*
 * Probe one group for the whole burst: mask, hash and prefetch every key
 * that the group could still improve, then probe them (misses overlap).
 */
static void group_burst(const struct tbl_group *g, struct tern_burst *b,
			unsigned int n, uint32_t nw, uint64_t gen)
{
	const struct thash_tbl *tbl = rcu_dereference(g->h.tbl);
	uint32_t bound = __atomic_load_n(&g->best_prio, __ATOMIC_RELAXED);

	for (unsigned int i = 0; i < n; i++) {
		b->todo[i] = !b->best[i] || bound <= b->best[i]->pub.prio;
		if (!b->todo[i])
			continue;
		b->hash[i] = masked_hash(b->kw[i], g->mask, nw);
		__builtin_prefetch(thash_bucket(tbl, b->hash[i]));
	}
	for (unsigned int i = 0; i < n; i++)
		if (b->todo[i])
			b->best[i] = group_probe(tbl, b->kw[i], nw, b->hash[i],
						 gen, b->best[i]);
}

static unsigned int tern_lookup(struct p4x_table *t, uint64_t gen,
				const void *const keys[], unsigned int n,
				const struct p4x_table_entry *res[],
				uint64_t now)
{
	struct tern_data *d = t->kind_data;
	const struct tern_list *l = rcu_dereference(d->list);
	struct tern_burst b;
	unsigned int hits = 0;

	for (unsigned int i = 0; i < n; i++) {
		tbl_load_key(b.kw[i], keys[i], t->keylen);
		b.best[i] = NULL;
	}
	for (uint32_t gi = 0; gi < l->n; gi++)
		group_burst(l->g[gi], &b, n, t->nwords, gen);
	for (unsigned int i = 0; i < n; i++) {
		res[i] = b.best[i] ? &b.best[i]->pub : NULL;
		if (b.best[i]) {
			tbl_touch((struct tbl_entry *)b.best[i], now);
			hits++;
		}
	}
	return hits;
}

const struct tbl_kind_ops tbl_ternary_ops = {
	.name = "ternary",
	.init = tern_init,
	.fini = tern_fini,
	.validate = tern_validate,
	.lookup_burst = tern_lookup,
	.stage_add = tern_stage_add,
	.stage_del = tern_stage_del,
	.undo_add = tern_undo_add,
	.unlink = tern_unlink,
};
