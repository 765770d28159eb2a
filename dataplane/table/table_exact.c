// SPDX-License-Identifier: BSD-3-Clause
/*
 * Exact tables: one bucketized hash (table_hash.c) of all entries, staged
 * and deleted versions included; a lookup takes the first entry with the
 * key that is visible at the reader's generation. A burst hashes every key
 * and prefetches its bucket before probing any (the probes then overlap
 * their cache misses).
 */
#include <errno.h>
#include <stdlib.h>

#include "table_int.h"

struct exact_data {
	struct thash h;
};

static int exact_init(struct p4x_table *t)
{
	struct exact_data *d = calloc(1, sizeof(*d));
	int err;

	if (!d)
		return -ENOMEM;
	err = thash_init(&d->h, t->nwords, t->tentries, &t->struct_bytes);
	if (err) {
		free(d);
		return err;
	}
	t->kind_data = d;
	return 0;
}

static void exact_fini(struct p4x_table *t)
{
	struct exact_data *d = t->kind_data;

	thash_fini(&d->h);
	free(d);
}

static int exact_validate(struct p4x_table *t, const uint8_t *mask, char *err,
			  size_t errsz)
{
	for (uint32_t i = 0; i < t->keylen; i++) {
		if (mask[i] != 0xff) {
			tbl_errf(err, errsz,
				 "exact table %s takes no mask (byte %u is "
				 "0x%02x)",
				 t->name, i, mask[i]);
			return -EINVAL;
		}
	}
	return 0;
}

static const struct tbl_entry *exact_probe(const struct thash_tbl *tbl,
					   const uint64_t *kw, uint32_t nw,
					   uint32_t hash, uint64_t gen)
{
	const struct thash_bucket *b = thash_bucket(tbl, hash);
	uint32_t sig = thash_sig(hash);

	for (; b; b = rcu_dereference(b->next)) {
		for (uint32_t m = thash_match(b, sig); m; m &= m - 1) {
			const struct tbl_entry *e =
				rcu_dereference(b->e[__builtin_ctz(m)]);

			if (e &&
			    tbl_words_eq((const uint64_t *)e->data, kw, nw) &&
			    tbl_visible(e, gen))
				return e;
		}
	}
	return NULL;
}

/* The entry of the first signature match in the head bucket, or NULL. */
static const struct tbl_entry *first_candidate(const struct thash_tbl *tbl,
					       uint32_t hash)
{
	const struct thash_bucket *b = thash_bucket(tbl, hash);
	uint32_t m = thash_match(b, thash_sig(hash));

	return m ? rcu_dereference(b->e[__builtin_ctz(m)]) : NULL;
}

/*
 * Three passes over the burst so that cache misses overlap: hash and
 * prefetch the buckets; find the first candidate of each and prefetch it;
 * verify (falling back to a full probe on a mismatch).
 */
static unsigned int exact_lookup(struct p4x_table *t, uint64_t gen,
				 const void *const keys[], unsigned int n,
				 const struct p4x_table_entry *res[],
				 uint64_t now)
{
	struct exact_data *d = t->kind_data;
	const struct thash_tbl *tbl = rcu_dereference(d->h.tbl);
	uint64_t kw[P4X_BURST][P4X_TABLE_KEY_MAX / 8];
	uint32_t hash[P4X_BURST];
	const struct tbl_entry *c[P4X_BURST];
	uint32_t nw = t->nwords;
	unsigned int hits = 0;

	for (unsigned int i = 0; i < n; i++) {
		tbl_load_key(kw[i], keys[i], t->keylen);
		hash[i] = tbl_hash_words(kw[i], nw);
		__builtin_prefetch(thash_bucket(tbl, hash[i]));
	}
	for (unsigned int i = 0; i < n; i++) {
		c[i] = first_candidate(tbl, hash[i]);
		if (c[i])
			__builtin_prefetch(&c[i]->pub);
	}
	for (unsigned int i = 0; i < n; i++) {
		const struct tbl_entry *e = c[i];

		if (!e || !tbl_words_eq((const uint64_t *)e->data, kw[i], nw) ||
		    !tbl_visible(e, gen))
			e = exact_probe(tbl, kw[i], nw, hash[i], gen);
		res[i] = e ? &e->pub : NULL;
		if (e) {
			tbl_touch((struct tbl_entry *)e, now);
			hits++;
		}
	}
	return hits;
}

static int exact_stage_add(struct p4x_table_txn *txn, struct tbl_entry *e,
			   char *err, size_t errsz)
{
	struct exact_data *d = txn->t->kind_data;
	int ret = thash_insert(&d->h, e);

	if (ret)
		tbl_errf(err, errsz, "out of memory");
	return ret;
}

static int exact_stage_del(struct p4x_table_txn *txn, struct tbl_entry *e,
			   char *err, size_t errsz)
{
	return 0; /* stays linked, invisible from txn->gen on */
}

static void exact_undo_add(struct p4x_table_txn *txn, struct tbl_entry *e)
{
	struct exact_data *d = txn->t->kind_data;

	thash_remove(&d->h, e);
}

static void exact_unlink(struct p4x_table *t, struct tbl_entry *e)
{
	struct exact_data *d = t->kind_data;

	thash_remove(&d->h, e);
}

const struct tbl_kind_ops tbl_exact_ops = {
	.name = "exact",
	.init = exact_init,
	.fini = exact_fini,
	.validate = exact_validate,
	.lookup_burst = exact_lookup,
	.stage_add = exact_stage_add,
	.stage_del = exact_stage_del,
	.undo_add = exact_undo_add,
	.unlink = exact_unlink,
};
