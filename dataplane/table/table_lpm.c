// SPDX-License-Identifier: BSD-3-Clause
/*
 * LPM tables: a multibit trie with 8-bit strides (a DIR-24-8 relative:
 * 4 levels for IPv4, 16 for IPv6, keylen levels in general), plies of 256
 * slots. A prefix of length L lives in the ply of level (L - 1) / 8,
 * expanded over the 2^(8 - (L - 8 * level)) slots it covers; a slot holds
 * the longest prefix of its level covering it (a leaf) or a child ply.
 * Instead of pushing prefixes down into child plies, a child remembers in
 * its "cover" the prefix its parent slot would otherwise hold; a reader
 * keeps the last cover it passed and returns it when it reaches an empty
 * slot. Adding or deleting a prefix therefore touches one ply (and the
 * covers of at most 256 children), never a subtree.
 *
 * Atomic batches: published plies are immutable. A transaction copies
 * each ply it modifies once (copy on write, the whole path from the root),
 * works on the copies, and commit publishes the new root with
 * rcu_assign_pointer; the replaced plies are freed after a grace period.
 * Abort frees the copies. A transaction whose only op changes one slot
 * (most single-entry changes of /8, /16, /24, /32 ...) copies nothing:
 * the slot is stored in place at commit (lpm_pend()). The table generation is
 * not used by this kind: the root a reader loaded is its view.
 */
#include <errno.h>
#include <stdlib.h>

#include "table_int.h"

#define LPM_FANOUT 256

struct lpm_ply {
	struct tbl_entry *cover;    /* parent-level prefix over this ply */
	uint64_t owner;		    /* generation of the txn that made it */
	uint32_t nused;		    /* non-empty slots */
	uintptr_t slot[LPM_FANOUT]; /* 0, leaf entry, or child | 1 */
};

struct lpm_vec {
	struct lpm_ply **p;
	uint32_t n, cap;
};

/* A one-slot change of a published ply, done in place at commit. */
struct lpm_pending {
	struct lpm_ply *ply; /* NULL: none */
	const uint8_t *key;  /* the path to it */
	int level;
	unsigned int slot;
	uintptr_t val;
	int dnused;
};

struct lpm_data {
	struct lpm_ply *root;	 /* RCU: what readers use */
	struct lpm_pending pend; /* the open txn's single-store op */
	struct lpm_ply *staged;	 /* the open transaction's root */
	struct lpm_vec priv;	 /* plies made by the open txn */
	struct lpm_vec retired;	 /* plies to free once it commits */
	struct lpm_vec spare;	 /* recycled plies, ready for reuse */
	uint64_t *bytes;
};

#define SLOT_CHILD(s) ((struct lpm_ply *)((s) & ~(uintptr_t)1))
#define SLOT_IS_CHILD(s) ((s)&1)

static int vec_reserve(struct lpm_vec *v, uint32_t n)
{
	uint32_t cap = v->cap ? v->cap : 64;
	struct lpm_ply **p;

	if (v->n + n <= v->cap)
		return 0;
	while (cap < v->n + n)
		cap *= 2;
	p = realloc(v->p, cap * sizeof(*p));
	if (!p)
		return -ENOMEM;
	v->p = p;
	v->cap = cap;
	return 0;
}

#define LPM_SPARE_MAX 4096

/* A ply owned by @owner; zeroed unless @copy_of (then a copy of it). */
static struct lpm_ply *ply_alloc(struct lpm_data *d, uint64_t owner,
				 const struct lpm_ply *copy_of)
{
	struct lpm_ply *p;

	if (d->spare.n) {
		p = d->spare.p[--d->spare.n];
		if (copy_of)
			*p = *copy_of;
		else
			memset(p, 0, sizeof(*p));
	} else {
		p = tbl_zalloc_aligned(sizeof(*p));
		if (!p)
			return NULL;
		tbl_bytes_add(d->bytes, sizeof(*p));
		if (copy_of)
			*p = *copy_of;
	}
	p->owner = owner;
	return p;
}

static void ply_free(struct lpm_data *d, struct lpm_ply *p)
{
	if (d->spare.n < LPM_SPARE_MAX && !vec_reserve(&d->spare, 1)) {
		d->spare.p[d->spare.n++] = p;
		return;
	}
	tbl_bytes_add(d->bytes, -(int64_t)sizeof(*p));
	free(p);
}

static void lpm_recycle(struct p4x_table *t, void *block)
{
	ply_free(t->kind_data, block);
}

/* A private ply for the txn at @gen (vectors reserved by the caller). */
static struct lpm_ply *ply_new(struct lpm_data *d, uint64_t gen,
			       const struct lpm_ply *copy_of)
{
	struct lpm_ply *p = ply_alloc(d, gen, copy_of);

	if (p)
		d->priv.p[d->priv.n++] = p;
	return p;
}

/* @p itself if the txn at @gen owns it, else a private copy of it. */
static struct lpm_ply *ply_cow(struct lpm_data *d, uint64_t gen,
			       struct lpm_ply *p)
{
	struct lpm_ply *c;

	if (p->owner == gen)
		return p;
	c = ply_new(d, gen, p);
	if (!c)
		return NULL;
	d->retired.p[d->retired.n++] = p;
	return c;
}

static int lpm_init(struct p4x_table *t)
{
	struct lpm_data *d = calloc(1, sizeof(*d));

	if (!d)
		return -ENOMEM;
	d->bytes = &t->struct_bytes;
	d->root = d->staged = ply_alloc(d, 0, NULL);
	if (!d->root) {
		free(d);
		return -ENOMEM;
	}
	t->kind_data = d;
	return 0;
}

static void ply_free_tree(struct lpm_data *d, struct lpm_ply *p)
{
	for (int i = 0; i < LPM_FANOUT; i++)
		if (SLOT_IS_CHILD(p->slot[i]))
			ply_free_tree(d, SLOT_CHILD(p->slot[i]));
	ply_free(d, p);
}

static void lpm_fini(struct p4x_table *t)
{
	struct lpm_data *d = t->kind_data;

	ply_free_tree(d, d->root);
	for (uint32_t i = 0; i < d->spare.n; i++) {
		tbl_bytes_add(d->bytes, -(int64_t)sizeof(struct lpm_ply));
		free(d->spare.p[i]);
	}
	free(d->spare.p);
	free(d->priv.p);
	free(d->retired.p);
	free(d);
}

static int lpm_validate(struct p4x_table *t, const uint8_t *mask, char *err,
			size_t errsz)
{
	int plen = tbl_prefix_len(mask, t->keylen);

	if (plen < 0) {
		tbl_errf(err, errsz,
			 "LPM table %s needs a prefix mask (leading ones)",
			 t->name);
		return -EINVAL;
	}
	if ((uint32_t)plen > t->keysz) {
		tbl_errf(err, errsz, "prefix /%d is longer than the %u-bit key",
			 plen, t->keysz);
		return -EINVAL;
	}
	return 0;
}

static int plen_level(unsigned int plen)
{
	return plen ? (int)(plen - 1) / 8 : -1;
}

static void plen_span(const struct tbl_entry *e, int level, unsigned int *start,
		      unsigned int *count)
{
	unsigned int nbits = e->plen - 8u * (unsigned int)level;

	*count = 1u << (8 - nbits);
	*start = e->key[level] & ~(*count - 1);
}

/*
 * Private plies path[0..level] along @key, creating missing children
 * (whose cover is the leaf they replace: no change for readers).
 */
static int lpm_path(struct lpm_data *d, uint64_t gen, const uint8_t *key,
		    int level, struct lpm_ply **path)
{
	struct lpm_ply *p = ply_cow(d, gen, d->staged), *c;

	if (!p)
		return -ENOMEM;
	d->staged = path[0] = p;
	for (int l = 0; l < level; l++, p = c) {
		uintptr_t *s = &p->slot[key[l]];

		if (SLOT_IS_CHILD(*s)) {
			c = ply_cow(d, gen, SLOT_CHILD(*s));
		} else {
			c = ply_new(d, gen, NULL);
			if (c)
				c->cover = (struct tbl_entry *)*s;
			if (c && !*s)
				p->nused++;
		}
		if (!c)
			return -ENOMEM;
		*s = (uintptr_t)c | 1;
		path[l + 1] = c;
	}
	return 0;
}

static int lpm_reserve(struct lpm_data *d, uint32_t keylen)
{
	/* path copies, span copies, pruned plies */
	uint32_t n = 2 * keylen + LPM_FANOUT + 1;

	return vec_reserve(&d->priv, n) ?: vec_reserve(&d->retired, n);
}

/* Copy the children in @e's span whose cover changes (no change for
 * readers yet), so that applying cannot fail. */
static int span_cow(struct lpm_data *d, uint64_t gen, struct lpm_ply *p,
		    const struct tbl_entry *e, int level,
		    const struct tbl_entry *old)
{
	unsigned int start, count;

	plen_span(e, level, &start, &count);
	for (unsigned int i = start; i < start + count; i++) {
		struct lpm_ply *c;

		if (!SLOT_IS_CHILD(p->slot[i]))
			continue;
		c = SLOT_CHILD(p->slot[i]);
		if (old ? c->cover != old
			: c->cover && c->cover->plen >= e->plen)
			continue;
		c = ply_cow(d, gen, c);
		if (!c)
			return -ENOMEM;
		p->slot[i] = (uintptr_t)c | 1;
	}
	return 0;
}

static void span_add(struct lpm_ply *p, struct tbl_entry *e, int level)
{
	unsigned int start, count;

	plen_span(e, level, &start, &count);
	for (unsigned int i = start; i < start + count; i++) {
		uintptr_t s = p->slot[i];
		struct lpm_ply *c = SLOT_CHILD(s);

		if (SLOT_IS_CHILD(s)) {
			if (!c->cover || c->cover->plen < e->plen)
				c->cover = e;
		} else if (!s) {
			p->slot[i] = (uintptr_t)e;
			p->nused++;
		} else if (((struct tbl_entry *)s)->plen < e->plen) {
			p->slot[i] = (uintptr_t)e;
		}
	}
}

/* The published ply of @level on @key's path, or NULL. */
static struct lpm_ply *lpm_walk(struct lpm_ply *p, const uint8_t *key,
				int level)
{
	for (int l = 0; l < level; l++) {
		if (!SLOT_IS_CHILD(p->slot[key[l]]))
			return NULL;
		p = SLOT_CHILD(p->slot[key[l]]);
	}
	return p;
}

/*
 * Fast path: the first op of a transaction, if it only changes the one
 * slot of prefix @at (a length multiple of 8, the slot holding a leaf),
 * is remembered instead of copying the path, and done at commit with one
 * atomic 8-byte store (readers see the old or the new leaf). @from: the
 * leaf the slot must hold; NULL for an add (empty or a shorter leaf).
 * True if taken.
 */
static bool lpm_pend(struct lpm_data *d, const struct tbl_entry *at,
		     const struct tbl_entry *from, const struct tbl_entry *to)
{
	int level = plen_level(at->plen);
	struct lpm_ply *p;
	uintptr_t s;

	if (d->pend.ply || d->staged != d->root || level < 0 || at->plen % 8)
		return false;
	p = lpm_walk(d->root, at->key, level);
	if (!p)
		return false;
	s = p->slot[at->key[level]];
	if (SLOT_IS_CHILD(s) || (from && s != (uintptr_t)from))
		return false;
	if (!to && level && p->nused == 1)
		return false; /* the ply would empty: prune on the slow path */
	d->pend = (struct lpm_pending){
		.ply = p,
		.key = at->key,
		.level = level,
		.slot = at->key[level],
		.val = (uintptr_t)to,
		.dnused = (!s && to) - (s && !to),
	};
	return true;
}

/* Private plies for levels @j + 1 .. @level along @e's key, the top one
 * covered by @cover, the last one holding @e. NULL if out of memory (the
 * plies made so far stay in d->priv). */
static struct lpm_ply *lpm_chain(struct lpm_data *d, uint64_t gen,
				 struct tbl_entry *e, int j, int level,
				 struct tbl_entry *cover)
{
	struct lpm_ply *top = NULL, *p = NULL;

	for (int l = j + 1; l <= level; l++) {
		struct lpm_ply *c = ply_new(d, gen, NULL);

		if (!c)
			return NULL;
		if (p) {
			p->slot[e->key[l - 1]] = (uintptr_t)c | 1;
			p->nused++;
		} else {
			top = c;
			c->cover = cover;
		}
		p = c;
	}
	span_add(p, e, level);
	return top;
}

/*
 * Fast path for adds: when @e's path leaves the published trie above its
 * level, build the missing plies privately and remember one store: the
 * child pointer into the last published ply (whose slot held a leaf or
 * nothing; the new child covers with that leaf, so no other address
 * changes). Otherwise lpm_pend(). True if taken.
 */
static bool lpm_pend_add(struct lpm_data *d, uint64_t gen, uint32_t keylen,
			 struct tbl_entry *e)
{
	int level = plen_level(e->plen), j = 0;
	struct lpm_ply *p = d->root, *top;
	uint32_t n0 = d->priv.n;
	uintptr_t s;

	if (d->pend.ply || d->staged != d->root || level < 0)
		return false;
	for (; j < level && SLOT_IS_CHILD(p->slot[e->key[j]]); j++)
		p = SLOT_CHILD(p->slot[e->key[j]]);
	if (j == level)
		return lpm_pend(d, e, NULL, e);
	s = p->slot[e->key[j]];
	top = lpm_reserve(d, keylen)
		      ? NULL
		      : lpm_chain(d, gen, e, j, level, (struct tbl_entry *)s);
	if (!top) {
		while (d->priv.n > n0)
			ply_free(d, d->priv.p[--d->priv.n]);
		return false;
	}
	d->pend = (struct lpm_pending){
		.ply = p,
		.key = e->key,
		.level = j,
		.slot = e->key[j],
		.val = (uintptr_t)top | 1,
		.dnused = !s,
	};
	return true;
}

/* Apply a pending store to private copies (another op joined the txn). */
static int lpm_materialize(struct lpm_data *d, uint64_t gen, uint32_t keylen)
{
	struct lpm_ply *path[P4X_TABLE_KEY_MAX + 1];
	struct lpm_pending *pd = &d->pend;
	int ret;

	if (!pd->ply)
		return 0;
	ret = lpm_reserve(d, keylen)
		      ?: lpm_path(d, gen, pd->key, pd->level, path);
	if (ret)
		return ret; /* still pending: nothing changed for readers */
	path[pd->level]->slot[pd->slot] = pd->val;
	path[pd->level]->nused += (uint32_t)pd->dnused;
	pd->ply = NULL;
	return 0;
}

static int lpm_stage_add(struct p4x_table_txn *txn, struct tbl_entry *e,
			 char *err, size_t errsz)
{
	struct p4x_table *t = txn->t;
	struct lpm_data *d = t->kind_data;
	struct lpm_ply *path[P4X_TABLE_KEY_MAX + 1];
	int level, ret;

	e->plen = (uint16_t)tbl_prefix_len(e->mask, t->keylen);
	level = plen_level(e->plen);
	if (lpm_pend_add(d, txn->gen, t->keylen, e))
		return 0;
	ret = lpm_materialize(d, txn->gen, t->keylen) ?: lpm_reserve(d, t->keylen)
		      ?: lpm_path(d, txn->gen, e->key, P4X_MAX(level, 0), path);
	if (!ret && level >= 0)
		ret = span_cow(d, txn->gen, path[level], e, level, NULL);
	if (ret) {
		tbl_errf(err, errsz, "out of memory");
		return ret;
	}
	if (level < 0)
		path[0]->cover = e;
	else
		span_add(path[level], e, level);
	return 0;
}

/* The longest staged prefix of @e's level shorter than @e covering it. */
static struct tbl_entry *lpm_replacement(struct p4x_table *t,
					 const struct tbl_entry *e, int level)
{
	uint64_t kw[P4X_TABLE_KEY_MAX / 8], mw[P4X_TABLE_KEY_MAX / 8];
	uint8_t *m = (uint8_t *)mw;
	struct tbl_entry *r;

	for (int l = (int)e->plen - 1; l > 8 * level; l--) {
		memset(mw, 0, (size_t)t->nwords * 8);
		memset(m, 0xff, (size_t)l / 8);
		if (l % 8)
			m[l / 8] = (uint8_t)(0xff << (8 - l % 8));
		for (uint32_t w = 0; w < t->nwords; w++)
			kw[w] = ((const uint64_t *)e->key)[w] & mw[w];
		r = tbl_find(t, kw, mw, 0);
		if (r && r != e)
			return r;
	}
	return NULL;
}

static void span_del(struct lpm_ply *p, const struct tbl_entry *e,
		     struct tbl_entry *r, int level)
{
	unsigned int start, count;

	plen_span(e, level, &start, &count);
	for (unsigned int i = start; i < start + count; i++) {
		uintptr_t s = p->slot[i];

		if (SLOT_IS_CHILD(s)) {
			if (SLOT_CHILD(s)->cover == e)
				SLOT_CHILD(s)->cover = r;
		} else if (s == (uintptr_t)e) {
			p->slot[i] = (uintptr_t)r;
			if (!r)
				p->nused--;
		}
	}
}

/* Drop empty private plies bottom-up; their parent slot takes the cover. */
static void lpm_prune(struct lpm_data *d, struct lpm_ply **path,
		      const uint8_t *key, int level)
{
	for (int l = level; l > 0 && !path[l]->nused; l--) {
		struct lpm_ply *parent = path[l - 1];
		struct tbl_entry *cover = path[l]->cover;

		parent->slot[key[l - 1]] = (uintptr_t)cover;
		if (!cover)
			parent->nused--;
		d->retired.p[d->retired.n++] = path[l];
	}
}

static int lpm_stage_del(struct p4x_table_txn *txn, struct tbl_entry *e,
			 char *err, size_t errsz)
{
	struct p4x_table *t = txn->t;
	struct lpm_data *d = t->kind_data;
	struct lpm_ply *path[P4X_TABLE_KEY_MAX + 1];
	int level = plen_level(e->plen), ret;
	struct tbl_entry *r = level >= 0 ? lpm_replacement(t, e, level) : NULL;

	if (lpm_pend(d, e, e, r))
		return 0;
	ret = lpm_materialize(d, txn->gen, t->keylen) ?: lpm_reserve(d, t->keylen)
		      ?: lpm_path(d, txn->gen, e->key, P4X_MAX(level, 0), path);
	if (!ret && level >= 0)
		ret = span_cow(d, txn->gen, path[level], e, level, e);
	if (ret) {
		tbl_errf(err, errsz, "out of memory");
		return ret;
	}
	if (level < 0) {
		path[0]->cover = NULL;
		return 0;
	}
	span_del(path[level], e, r, level);
	lpm_prune(d, path, e->key, level);
	return 0;
}

/* An update: @e takes @old's place in every slot and cover. */
static int lpm_stage_replace(struct p4x_table_txn *txn, struct tbl_entry *old,
			     struct tbl_entry *e, char *err, size_t errsz)
{
	struct p4x_table *t = txn->t;
	struct lpm_data *d = t->kind_data;
	struct lpm_ply *path[P4X_TABLE_KEY_MAX + 1];
	int level = plen_level(old->plen), ret;

	e->plen = old->plen;
	if (lpm_pend(d, old, old, e))
		return 0;
	ret = lpm_materialize(d, txn->gen, t->keylen) ?: lpm_reserve(d, t->keylen)
		      ?: lpm_path(d, txn->gen, old->key, P4X_MAX(level, 0),
				  path);
	if (!ret && level >= 0)
		ret = span_cow(d, txn->gen, path[level], old, level, old);
	if (ret) {
		tbl_errf(err, errsz, "out of memory");
		return ret;
	}
	if (level < 0)
		path[0]->cover = e;
	else
		span_del(path[level], old, e, level);
	return 0;
}

static void lpm_commit(struct p4x_table_txn *txn)
{
	struct lpm_data *d = txn->t->kind_data;
	struct lpm_pending *pd = &d->pend;

	if (pd->ply) { /* nothing was copied: one store in place */
		pd->ply->nused += (uint32_t)pd->dnused;
		__atomic_store_n(&pd->ply->slot[pd->slot], pd->val,
				 __ATOMIC_RELEASE);
		pd->ply = NULL;
	}
	rcu_assign_pointer(d->root, d->staged);
	for (uint32_t i = 0; i < d->retired.n; i++)
		tbl_retire_block(txn->t, d->retired.p[i],
				 sizeof(struct lpm_ply));
	d->retired.n = 0;
	d->priv.n = 0;
}

static void lpm_abort(struct p4x_table_txn *txn)
{
	struct lpm_data *d = txn->t->kind_data;

	for (uint32_t i = 0; i < d->priv.n; i++)
		ply_free(d, d->priv.p[i]);
	d->priv.n = 0;
	d->retired.n = 0;
	d->staged = d->root;
	d->pend.ply = NULL;
}

static unsigned int lpm_lookup(struct p4x_table *t, uint64_t gen,
			       const void *const keys[], unsigned int n,
			       const struct p4x_table_entry *res[],
			       uint64_t now)
{
	struct lpm_data *d = t->kind_data;
	const struct lpm_ply *root = rcu_dereference(d->root);
	const struct lpm_ply *p[P4X_BURST];
	const struct tbl_entry *best[P4X_BURST];
	unsigned int act[P4X_BURST], na = n, hits = 0;

	for (unsigned int i = 0; i < n; i++) {
		p[i] = root;
		best[i] = root->cover;
		act[i] = i;
	}
	for (uint32_t level = 0; na && level < t->keylen; level++) {
		unsigned int m = 0;

		for (unsigned int j = 0; j < na; j++) {
			unsigned int i = act[j];
			const uint8_t *k = keys[i];
			uintptr_t s;

			if (level && p[i]->cover)
				best[i] = p[i]->cover;
			s = p[i]->slot[k[level]];
			if (!SLOT_IS_CHILD(s)) {
				if (s)
					best[i] = (const struct tbl_entry *)s;
				continue;
			}
			p[i] = SLOT_CHILD(s);
			__builtin_prefetch(p[i]);
			__builtin_prefetch(&p[i]->slot[k[level + 1]]);
			act[m++] = i;
		}
		na = m;
	}
	for (unsigned int i = 0; i < n; i++) {
		res[i] = best[i] ? &best[i]->pub : NULL;
		if (best[i]) {
			tbl_touch((struct tbl_entry *)best[i], now);
			hits++;
		}
	}
	return hits;
}

const struct tbl_kind_ops tbl_lpm_ops = {
	.name = "lpm",
	.init = lpm_init,
	.fini = lpm_fini,
	.validate = lpm_validate,
	.lookup_burst = lpm_lookup,
	.stage_add = lpm_stage_add,
	.stage_del = lpm_stage_del,
	.stage_replace = lpm_stage_replace,
	.commit = lpm_commit,
	.abort = lpm_abort,
	.recycle = lpm_recycle,
};
