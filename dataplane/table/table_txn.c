// SPDX-License-Identifier: BSD-3-Clause
/*
 * Transactions and the identity index.
 *
 * A transaction stages ops at generation t->gen + 1: the identity index,
 * the creation-order list and the staged count follow the staged view;
 * every op is logged so abort can undo them newest first. Commit lets the
 * kind publish (LPM root), then stores the new generation with release
 * semantics: from that store on, readers see the whole batch. Entries the
 * batch deleted are retired (table_reclaim.c): unlinked from the kind a
 * grace period later, freed after another one.
 */
#include <errno.h>
#include <stdlib.h>

#include "table_int.h"

/* --- identity index: (key, mask[, prio]) -> staged entry --- */

static uint32_t ident_hash(const struct p4x_table *t, const uint64_t *kw,
			   const uint64_t *mw, uint32_t prio)
{
	uint32_t h = tbl_hash_words(kw, t->nwords);

	h ^= tbl_hash_words(mw, t->nwords) * 0x9e3779b1u;
	if (t->kind == P4X_TABLE_TERNARY)
		h ^= prio * 0x85ebca6bu;
	return h;
}

/*
 * Open addressing with linear probing, (identity hash, entry) per slot so
 * a probe touches entries only on a hash match; at most half full
 * (idx_reserve() grows it before an op can need room); deletion shifts
 * the following run back (no tombstones).
 */
struct tbl_idx_slot {
	uint32_t ihash;
	struct tbl_entry *e;
};

int tbl_idx_init(struct p4x_table *t)
{
	t->idx_mask = 255;
	t->idx_n = 0;
	t->idx = calloc(t->idx_mask + 1, sizeof(*t->idx));
	return t->idx ? 0 : -ENOMEM;
}

static bool ident_eq(const struct p4x_table *t, const struct tbl_entry *e,
		     const uint64_t *kw, const uint64_t *mw, uint32_t prio)
{
	if (!tbl_words_eq((const uint64_t *)e->key, kw, t->nwords) ||
	    !tbl_words_eq((const uint64_t *)e->mask, mw, t->nwords))
		return false;
	if (t->kind == P4X_TABLE_TERNARY || (t->kind == P4X_TABLE_LPM && prio))
		return e->pub.prio == prio;
	return true;
}

struct tbl_entry *tbl_find(struct p4x_table *t, const uint64_t *kw,
			   const uint64_t *mw, uint32_t prio)
{
	uint32_t h = ident_hash(t, kw, mw, prio);
	const struct tbl_idx_slot *v = t->idx;

	/* LPM with prio 0: the identity hash ignores prio anyway */
	for (uint32_t i = h & t->idx_mask; v[i].e; i = (i + 1) & t->idx_mask)
		if (v[i].ihash == h && ident_eq(t, v[i].e, kw, mw, prio))
			return v[i].e;
	return NULL;
}

static void idx_place(struct tbl_idx_slot *v, uint32_t mask,
		      struct tbl_entry *e)
{
	uint32_t i = e->ihash & mask;

	while (v[i].e)
		i = (i + 1) & mask;
	v[i] = (struct tbl_idx_slot){.ihash = e->ihash, .e = e};
}

/* Room for @n more entries (staying at most half full). 0 or -ENOMEM. */
static int idx_reserve(struct p4x_table *t, uint32_t n)
{
	uint64_t size = (uint64_t)t->idx_mask + 1;
	struct tbl_idx_slot *v;

	if (((uint64_t)t->idx_n + n) * 2 <= size)
		return 0;
	v = calloc(size * 2, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (uint64_t i = 0; i < size; i++)
		if (t->idx[i].e)
			idx_place(v, (uint32_t)(size * 2 - 1), t->idx[i].e);
	free(t->idx);
	t->idx = v;
	t->idx_mask = (uint32_t)(size * 2 - 1);
	return 0;
}

/* Callers reserved room (an add) or freed it earlier (an undo). */
static void idx_insert(struct p4x_table *t, struct tbl_entry *e)
{
	idx_place(t->idx, t->idx_mask, e);
	t->idx_n++;
}

static void idx_remove(struct p4x_table *t, struct tbl_entry *e)
{
	struct tbl_idx_slot *v = t->idx;
	uint32_t mask = t->idx_mask, i = e->ihash & mask, j;

	while (v[i].e != e)
		i = (i + 1) & mask;
	for (j = i;;) { /* shift back what probed past the hole */
		uint32_t home;

		j = (j + 1) & mask;
		if (!v[j].e)
			break;
		home = v[j].ihash & mask;
		if (i <= j ? (home > i && home <= j) : (home > i || home <= j))
			continue;
		v[i] = v[j];
		i = j;
	}
	v[i].e = NULL;
	t->idx_n--;
}

/* --- creation-order list --- */

static void list_append(struct p4x_table *t, struct tbl_entry *e)
{
	e->next = NULL;
	e->prev = t->tail;
	if (t->tail)
		t->tail->next = e;
	else
		t->head = e;
	t->tail = e;
}

/* Unlink @e, keeping its prev/next so list_relink() can restore it. */
static void list_unlink(struct p4x_table *t, struct tbl_entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		t->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		t->tail = e->prev;
}

static void list_relink(struct p4x_table *t, struct tbl_entry *e)
{
	if (e->prev)
		e->prev->next = e;
	else
		t->head = e;
	if (e->next)
		e->next->prev = e;
	else
		t->tail = e;
}

/* --- entries --- */

struct tbl_key {
	uint64_t k[P4X_TABLE_KEY_MAX / 8];
	uint64_t m[P4X_TABLE_KEY_MAX / 8];
	uint32_t prio;
};

/* Copy @in into @out, fields beyond in->sz zeroed (options convention). */
static int spec_norm(const struct p4x_table_entry_spec *in,
		     struct p4x_table_entry_spec *out, char *err, size_t errsz)
{
	if (!in || in->sz < offsetof(struct p4x_table_entry_spec, key) +
				    sizeof(in->key)) {
		tbl_errf(err, errsz, "entry spec without its size");
		return -EINVAL;
	}
	memset(out, 0, sizeof(*out));
	memcpy(out, in, P4X_MIN(in->sz, sizeof(*out)));
	return 0;
}

static int spec_check(const struct p4x_table *t,
		      const struct p4x_table_entry_spec *spec, char *err,
		      size_t errsz)
{
	if (!spec->key) {
		tbl_errf(err, errsz, "entry without a key");
		return -EINVAL;
	}
	if (spec->params_len > P4X_TABLE_PARAMS_MAX ||
	    (spec->params_len && !spec->params)) {
		tbl_errf(err, errsz, "action params of %u bytes (max %u)",
			 spec->params_len, P4X_TABLE_PARAMS_MAX);
		return -EINVAL;
	}
	if (spec->profile_id >= P4X_TABLE_PROFILES_MAX ||
	    !t->aging_ms[spec->profile_id]) {
		tbl_errf(err, errsz, "timer profile %u is not defined",
			 spec->profile_id);
		return -EINVAL;
	}
	return 0;
}

static int spec_prio(const struct p4x_table *t,
		     const struct p4x_table_entry_spec *spec, bool add,
		     struct tbl_key *k, char *err, size_t errsz)
{
	k->prio = spec->prio;
	if (t->kind == P4X_TABLE_EXACT) {
		if (spec->prio && spec->prio != P4X_TABLE_EXACT_PRIO) {
			tbl_errf(err, errsz,
				 "exact tables use the fixed priority %u, not "
				 "%u",
				 P4X_TABLE_EXACT_PRIO, spec->prio);
			return -EINVAL;
		}
		k->prio = P4X_TABLE_EXACT_PRIO;
	} else if (!spec->prio && add) {
		k->prio = t->prio_max + 1;
	} else if (!spec->prio && t->kind == P4X_TABLE_TERNARY) {
		tbl_errf(err, errsz, "ternary entries need their priority");
		return -EINVAL;
	}
	return 0;
}

/* Load key, mask and prio of @spec into @k; key & mask. */
static int spec_load(struct p4x_table *t,
		     const struct p4x_table_entry_spec *spec, bool add,
		     struct tbl_key *k, char *err, size_t errsz)
{
	int ret = spec_check(t, spec, err, errsz);

	if (ret)
		return ret;
	tbl_load_key(k->k, spec->key, t->keylen);
	if (spec->mask) {
		tbl_load_key(k->m, spec->mask, t->keylen);
	} else {
		k->m[t->nwords - 1] = 0;
		memset(k->m, 0xff, t->keylen);
	}
	ret = t->ops->validate(t, (const uint8_t *)k->m, err, errsz);
	if (ret)
		return ret;
	for (uint32_t i = 0; i < t->nwords; i++)
		k->k[i] &= k->m[i];
	return spec_prio(t, spec, add, k, err, errsz);
}

static struct tbl_entry *entry_new(struct p4x_table *t,
				   const struct p4x_table_entry_spec *spec,
				   const struct tbl_key *k)
{
	size_t kbytes = (size_t)t->nwords * 8;
	size_t size = sizeof(struct tbl_entry) + 2 * kbytes + spec->params_len;
	struct tbl_entry *e = aligned_alloc(64, (size + 63) & ~(size_t)63);
	enum p4x_table_who who = spec->who ? spec->who : P4X_TABLE_WHO_TC;

	if (!e)
		return NULL;
	memset(e, 0, sizeof(*e));
	memcpy(e->data, k->k, kbytes);
	memcpy(e->data + kbytes, k->m, kbytes);
	if (spec->params_len)
		memcpy(e->data + 2 * kbytes, spec->params, spec->params_len);
	e->key = e->data;
	e->mask = e->data + kbytes;
	e->pub = (struct p4x_table_entry){
		.act_id = spec->act_id,
		.prio = k->prio,
		.params = e->data + 2 * kbytes,
		.params_len = spec->params_len,
		.permissions = spec->permissions ? spec->permissions : t->perms,
	};
	e->gen_del = GEN_NEVER;
	e->hash = tbl_hash_words(k->k, t->nwords);
	e->ihash = ident_hash(t, k->k, k->m, k->prio);
	e->who_created = e->who_updated = (uint8_t)who;
	e->dynamic = spec->dynamic;
	e->profile_id = spec->profile_id;
	e->created = e->updated = p4x_table_clock_ms();
	e->table = t;
	__atomic_add_fetch(&t->entries_live, 1, __ATOMIC_RELAXED);
	return e;
}

static void entry_drop(struct tbl_entry *e)
{
	__atomic_sub_fetch(&e->table->entries_live, 1, __ATOMIC_RELAXED);
	free(e);
}

/* --- transactions --- */

struct p4x_table_txn *p4x_table__txn_begin(struct p4x_table *t)
{
	struct p4x_table_txn *txn;

	if (t->txn) {
		errno = EBUSY;
		return NULL;
	}
	tbl_reclaim_tick(t, false);
	txn = t->spare_txn; /* reused with its log: no allocation per txn */
	if (!txn)
		txn = calloc(1, sizeof(*txn));
	if (!txn) {
		errno = ENOMEM;
		return NULL;
	}
	t->spare_txn = NULL;
	txn->t = t;
	txn->nlog = 0;
	txn->gen = t->gen + 1;
	t->txn = txn;
	return txn;
}

static int log_reserve(struct p4x_table_txn *txn, uint32_t n)
{
	uint32_t cap = txn->caplog ? txn->caplog : 16;
	struct tbl_undo *log;

	if (txn->nlog + n <= txn->caplog)
		return 0;
	while (cap < txn->nlog + n)
		cap *= 2;
	log = realloc(txn->log, cap * sizeof(*log));
	if (!log)
		return -ENOMEM;
	txn->log = log;
	txn->caplog = cap;
	return 0;
}

static void log_push(struct p4x_table_txn *txn, enum tbl_op op,
		     struct tbl_entry *e)
{
	txn->log[txn->nlog++] = (struct tbl_undo){.op = op, .e = e};
}

/* Stage @e (fully built) as an add; on error @e is freed. */
static int stage_add(struct p4x_table_txn *txn, struct tbl_entry *e, char *err,
		     size_t errsz)
{
	struct p4x_table *t = txn->t;
	int ret;

	e->gen_add = txn->gen;
	ret = t->ops->stage_add(txn, e, err, errsz);
	if (ret) {
		entry_drop(e);
		return ret;
	}
	t->staged++;
	idx_insert(t, e);
	log_push(txn, TBL_OP_ADD, e);
	return 0;
}

int p4x_table_txn__add(struct p4x_table_txn *txn,
		       const struct p4x_table_entry_spec *spec, char *err,
		       size_t errsz)
{
	struct p4x_table *t = txn->t;
	struct p4x_table_entry_spec sp;
	enum p4x_table_who who;
	struct tbl_entry *e;
	struct tbl_key k;
	int ret = spec_norm(spec, &sp, err, errsz);

	spec = &sp;
	ret = ret ?: spec_load(t, spec, true, &k, err, errsz);
	if (ret)
		return ret;
	who = spec->who ? spec->who : P4X_TABLE_WHO_TC;
	if (!p4x_table_perm_ok(t->perms, who, P4X_PERM_C)) {
		tbl_errf(err, errsz,
			 "table %s does not allow creates (permissions 0x%x)",
			 t->name, t->perms);
		return -EPERM;
	}
	/* an LPM prefix is unique whatever its prio */
	if (tbl_find(t, k.k, k.m, t->kind == P4X_TABLE_LPM ? 0 : k.prio)) {
		tbl_errf(err, errsz, "entry already exists in table %s",
			 t->name);
		return -EEXIST;
	}
	if (t->staged >= t->tentries) {
		tbl_errf(err, errsz, "table %s is full (%u entries)", t->name,
			 t->tentries);
		return -ENOSPC;
	}
	e = log_reserve(txn, 1) || idx_reserve(t, 1) ? NULL
						     : entry_new(t, spec, &k);
	if (!e) {
		tbl_errf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	e->seq = ++t->seq;
	ret = stage_add(txn, e, err, errsz);
	if (ret)
		return ret;
	list_append(t, e);
	t->prio_max = P4X_MAX(t->prio_max, k.prio);
	return 0;
}

/* Stage the delete of staged-visible @e; on error nothing changed. */
static int stage_del(struct p4x_table_txn *txn, struct tbl_entry *e, char *err,
		     size_t errsz)
{
	struct p4x_table *t = txn->t;
	int ret;

	__atomic_store_n(&e->gen_del, txn->gen, __ATOMIC_RELAXED);
	ret = t->ops->stage_del(txn, e, err, errsz);
	if (ret) {
		__atomic_store_n(&e->gen_del, GEN_NEVER, __ATOMIC_RELAXED);
		return ret;
	}
	t->staged--;
	idx_remove(t, e);
	log_push(txn, TBL_OP_DEL, e);
	return 0;
}

int tbl_txn_delete_entry(struct p4x_table_txn *txn, struct tbl_entry *e,
			 char *err, size_t errsz)
{
	int ret = log_reserve(txn, 1);

	if (ret) {
		tbl_errf(err, errsz, "out of memory");
		return ret;
	}
	ret = stage_del(txn, e, err, errsz);
	if (!ret)
		list_unlink(txn->t, e);
	return ret;
}

static struct tbl_entry *find_for(struct p4x_table *t,
				  const struct p4x_table_entry_spec *spec,
				  enum p4x_table_perm_op op, int *ret,
				  char *err, size_t errsz)
{
	enum p4x_table_who who =
		spec && spec->who ? spec->who : P4X_TABLE_WHO_TC;
	struct tbl_entry *e;
	struct tbl_key k;

	*ret = spec_load(t, spec, false, &k, err, errsz);
	if (*ret)
		return NULL;
	e = tbl_find(t, k.k, k.m, k.prio);
	if (!e) {
		tbl_errf(err, errsz, "no such entry in table %s", t->name);
		*ret = -ENOENT;
	} else if (!p4x_table_perm_ok(e->pub.permissions, who, op)) {
		tbl_errf(err, errsz, "entry permissions 0x%x do not allow %s",
			 e->pub.permissions,
			 op == P4X_PERM_D ? "deletes" : "updates");
		*ret = -EPERM;
		e = NULL;
	}
	return e;
}

int p4x_table_txn__delete(struct p4x_table_txn *txn,
			  const struct p4x_table_entry_spec *spec, char *err,
			  size_t errsz)
{
	struct p4x_table_entry_spec sp;
	struct tbl_entry *e;
	int ret = spec_norm(spec, &sp, err, errsz);

	if (ret)
		return ret;
	e = find_for(txn->t, &sp, P4X_PERM_D, &ret, err, errsz);
	return e ? tbl_txn_delete_entry(txn, e, err, errsz) : ret;
}

/* Stage @e in place of @old in one kind op; on error nothing changed. */
static int stage_replace(struct p4x_table_txn *txn, struct tbl_entry *old,
			 struct tbl_entry *e, char *err, size_t errsz)
{
	struct p4x_table *t = txn->t;
	int ret;

	__atomic_store_n(&old->gen_del, txn->gen, __ATOMIC_RELAXED);
	e->gen_add = txn->gen;
	ret = t->ops->stage_replace(txn, old, e, err, errsz);
	if (ret) {
		__atomic_store_n(&old->gen_del, GEN_NEVER, __ATOMIC_RELAXED);
		return ret;
	}
	idx_remove(t, old);
	idx_insert(t, e);
	log_push(txn, TBL_OP_DEL, old);
	log_push(txn, TBL_OP_ADD, e);
	return 0;
}

/* A new version of @old carrying @spec's action and aging fields. */
static struct tbl_entry *entry_version(struct p4x_table *t,
				       struct tbl_entry *old,
				       const struct p4x_table_entry_spec *spec)
{
	struct tbl_key k;
	struct tbl_entry *e;

	memcpy(k.k, old->key, (size_t)t->nwords * 8);
	memcpy(k.m, old->mask, (size_t)t->nwords * 8);
	k.prio = old->pub.prio;
	e = entry_new(t, spec, &k);
	if (!e)
		return NULL;
	e->seq = old->seq;
	e->plen = old->plen;
	e->created = old->created;
	e->who_created = old->who_created;
	e->last_used = old->last_used;
	return e;
}

int p4x_table_txn__update(struct p4x_table_txn *txn,
			  const struct p4x_table_entry_spec *spec, char *err,
			  size_t errsz)
{
	struct p4x_table *t = txn->t;
	struct p4x_table_entry_spec sp;
	struct tbl_entry *old, *e;
	int ret = spec_norm(spec, &sp, err, errsz);

	if (ret)
		return ret;
	spec = &sp;
	old = find_for(t, spec, P4X_PERM_U, &ret, err, errsz);
	if (!old)
		return ret;
	e = log_reserve(txn, 2) ? NULL : entry_version(t, old, spec);
	if (!e) {
		tbl_errf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	ret = t->ops->stage_replace ? stage_replace(txn, old, e, err, errsz)
				    : stage_del(txn, old, err, errsz);
	if (ret) {
		entry_drop(e);
		return ret;
	}
	if (t->ops->stage_replace)
		goto relink;
	ret = stage_add(txn, e, err, errsz);
	if (ret) {
		txn->nlog--;
		t->staged++;
		idx_insert(t, old);
		if (t->ops->undo_del)
			t->ops->undo_del(txn, old);
		else /* LPM: restage it (only fails if out of memory again) */
			t->ops->stage_add(txn, old, NULL, 0);
		__atomic_store_n(&old->gen_del, GEN_NEVER, __ATOMIC_RELAXED);
		return ret;
	}
relink:
	e->prev = old->prev;
	e->next = old->next;
	list_relink(t, e);
	return 0;
}

/* Undo one op; an undone add is freed after a grace period (readers
 * may be walking past it in a bucket). */
static void undo_one(struct p4x_table_txn *txn, const struct tbl_undo *u)
{
	struct p4x_table *t = txn->t;
	struct tbl_entry *e = u->e;

	if (u->op == TBL_OP_ADD) {
		if (t->ops->undo_add)
			t->ops->undo_add(txn, e);
		idx_remove(t, e);
		list_unlink(t, e);
		t->staged--;
		tbl_defer(t, e, 0);
		return;
	}
	if (t->ops->undo_del)
		t->ops->undo_del(txn, e);
	__atomic_store_n(&e->gen_del, GEN_NEVER, __ATOMIC_RELAXED);
	t->staged++;
	idx_insert(t, e);
	list_relink(t, e);
}

/* Keep @txn for the next begin (one spare; its log is kept unless it
 * grew large). */
static void txn_free(struct p4x_table_txn *txn)
{
	struct p4x_table *t = txn->t;

	t->txn = NULL;
	if (txn->caplog > 4096) {
		free(txn->log);
		txn->log = NULL;
		txn->caplog = 0;
	}
	t->spare_txn = txn;
}

void tbl_txn_cache_fini(struct p4x_table *t)
{
	if (t->spare_txn)
		free(t->spare_txn->log);
	free(t->spare_txn);
	t->spare_txn = NULL;
}

void p4x_table_txn__abort(struct p4x_table_txn *txn)
{
	struct p4x_table *t;

	if (!txn)
		return;
	t = txn->t;
	while (txn->nlog)
		undo_one(txn, &txn->log[--txn->nlog]);
	if (t->ops->abort)
		t->ops->abort(txn);
	txn_free(txn);
	tbl_reclaim_tick(t, false);
}

void p4x_table_txn__commit(struct p4x_table_txn *txn)
{
	struct p4x_table *t = txn->t;

	if (t->ops->commit)
		t->ops->commit(txn);
	__atomic_store_n(&t->gen, txn->gen, __ATOMIC_RELEASE);
	t->count = t->staged;
	for (uint32_t i = 0; i < txn->nlog; i++)
		if (txn->log[i].op == TBL_OP_DEL)
			tbl_retire(t, txn->log[i].e);
	txn_free(txn);
	tbl_reclaim_tick(t, false);
}

const struct p4x_table_entry *
p4x_table__get(struct p4x_table *t, const struct p4x_table_entry_spec *spec)
{
	struct p4x_table_entry_spec sp;
	struct tbl_key k;
	struct tbl_entry *e;

	if (t->txn || spec_norm(spec, &sp, NULL, 0) ||
	    spec_load(t, &sp, false, &k, NULL, 0))
		return NULL;
	e = tbl_find(t, k.k, k.m, k.prio);
	return e ? &e->pub : NULL;
}
