// SPDX-License-Identifier: BSD-3-Clause
/*
 * Bucketized hash of entries for the exact kind and the ternary mask
 * groups. A bucket holds 8 (signature, entry) slots in two cache lines
 * and chains to overflow buckets when full. Readers scan the signatures
 * of one bucket chain and compare the key of the entries whose signature
 * matches; the writer fills a slot by storing the signature then the
 * entry pointer (release), and empties it by clearing the pointer. The
 * bucket array doubles when the load passes 4 entries per bucket: the new
 * array is filled aside and published with rcu_assign_pointer, the old
 * one freed after a grace period.
 */
#include <errno.h>
#include <stdlib.h>

#include "table_int.h"

#define THASH_MIN_BUCKETS 8
#define THASH_LOAD 4 /* average entries per bucket before doubling */

uint32_t tbl_hash_words(const uint64_t *w, unsigned int nwords)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ nwords;

	for (unsigned int i = 0; i < nwords; i++) {
		h ^= w[i];
		h *= 0xbf58476d1ce4e5b9ull;
		h ^= h >> 31;
	}
	h *= 0x94d049bb133111ebull;
	h ^= h >> 32;
	return (uint32_t)h;
}

static uint32_t pow2_at_least(uint64_t n)
{
	uint32_t p = THASH_MIN_BUCKETS;

	while (p < n && p < (1u << 30))
		p <<= 1;
	return p;
}

static struct thash_tbl *tbl_new(uint32_t nb, uint64_t *bytes)
{
	size_t size = sizeof(struct thash_tbl) +
		      (size_t)nb * sizeof(struct thash_bucket);
	struct thash_tbl *tbl = tbl_zalloc_aligned(size);

	if (!tbl)
		return NULL;
	tbl->mask = nb - 1;
	tbl_bytes_add(bytes, (int64_t)size);
	return tbl;
}

static void tbl_free_now(struct thash_tbl *tbl, uint64_t *bytes)
{
	uint32_t nb_over = 0;

	for (uint32_t i = 0; i <= tbl->mask; i++) {
		struct thash_bucket *b = tbl->b[i].next, *next;

		for (; b; b = next, nb_over++) {
			next = b->next;
			free(b);
		}
	}
	tbl_bytes_add(bytes, -(int64_t)(sizeof(*tbl) +
					((size_t)tbl->mask + 1 + nb_over) *
						sizeof(struct thash_bucket)));
	free(tbl);
}

struct thash_old {
	struct rcu_head rcu;
	struct thash_tbl *tbl;
	uint64_t *bytes;
};

static void tbl_free_rcu(struct rcu_head *head)
{
	struct thash_old *old = caa_container_of(head, struct thash_old, rcu);

	tbl_free_now(old->tbl, old->bytes);
	free(old);
}

int thash_init(struct thash *h, uint32_t nwords, uint32_t hint, uint64_t *bytes)
{
	h->nwords = nwords;
	h->count = 0;
	h->bytes = bytes;
	h->tbl = tbl_new(pow2_at_least(hint / THASH_LOAD), bytes);
	return h->tbl ? 0 : -ENOMEM;
}

void thash_fini(struct thash *h)
{
	if (h->tbl)
		tbl_free_now(h->tbl, h->bytes);
	h->tbl = NULL;
}

/* Put @e in the first free slot of its chain; grows the chain if full. */
static int bucket_put(struct thash_tbl *tbl, struct tbl_entry *e,
		      uint64_t *bytes)
{
	struct thash_bucket *b = &tbl->b[e->hash & tbl->mask], *nb;

	for (;; b = b->next) {
		for (int i = 0; i < THASH_SLOTS; i++) {
			if (b->e[i])
				continue;
			CMM_STORE_SHARED(b->sig[i], thash_sig(e->hash));
			rcu_assign_pointer(b->e[i], e);
			return 0;
		}
		if (!b->next)
			break;
	}
	nb = tbl_zalloc_aligned(sizeof(*nb));
	if (!nb)
		return -ENOMEM;
	tbl_bytes_add(bytes, sizeof(*nb));
	nb->sig[0] = thash_sig(e->hash);
	nb->e[0] = e;
	rcu_assign_pointer(b->next, nb);
	return 0;
}

static int thash_grow(struct thash *h)
{
	struct thash_tbl *old = h->tbl, *tbl;
	struct thash_old *defer = malloc(sizeof(*defer));

	tbl = defer ? tbl_new((old->mask + 1) * 2, h->bytes) : NULL;
	if (!tbl) {
		free(defer);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i <= old->mask; i++) {
		for (struct thash_bucket *b = &old->b[i]; b; b = b->next) {
			for (int j = 0; j < THASH_SLOTS; j++) {
				if (b->e[j] &&
				    bucket_put(tbl, b->e[j], h->bytes))
					goto err_put;
			}
		}
	}
	rcu_assign_pointer(h->tbl, tbl);
	defer->tbl = old;
	defer->bytes = h->bytes;
	call_rcu(&defer->rcu, tbl_free_rcu);
	return 0;

err_put:
	tbl_free_now(tbl, h->bytes);
	free(defer);
	return -ENOMEM;
}

int thash_insert(struct thash *h, struct tbl_entry *e)
{
	int err;

	if (h->count + 1 > (uint64_t)(h->tbl->mask + 1) * THASH_LOAD &&
	    h->tbl->mask < (1u << 28))
		thash_grow(h); /* best effort: chains absorb a failure */
	err = bucket_put(h->tbl, e, h->bytes);
	if (!err)
		h->count++;
	return err;
}

void thash_remove(struct thash *h, struct tbl_entry *e)
{
	struct thash_bucket *b = &h->tbl->b[e->hash & h->tbl->mask];

	for (; b; b = b->next) {
		for (int i = 0; i < THASH_SLOTS; i++) {
			if (b->e[i] != e)
				continue;
			rcu_assign_pointer(b->e[i], NULL);
			CMM_STORE_SHARED(b->sig[i], 0);
			h->count--;
			return;
		}
	}
}
