/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Table internals shared by the common code (table.c) and the kinds
 * (table_exact.c, table_lpm.c, table_ternary.c) and the hash
 * (table_hash.c).
 *
 * Theory of operation (details in docs/tables.md):
 *  - Every entry carries a visibility window [gen_add, gen_del) in table
 *    generations. Readers load t->gen once per burst; a transaction stages
 *    its ops at generation gen + 1 and commit publishes gen + 1 with one
 *    release store. Exact and ternary link staged entries into their hash
 *    tables at once (readers skip them until the commit) and keep deleted
 *    ones linked until a grace period after the commit.
 *  - LPM copies the trie plies a transaction touches (copy on write, each
 *    ply at most once per transaction) and publishes the new root at
 *    commit before the generation store.
 *  - Deleted entries go to a retire batch; call_rcu marks the batch done
 *    after a grace period; the control thread then unlinks them from the
 *    kind (kind->unlink) and frees them after a second grace period.
 */
#ifndef P4X_TABLE_INT_H
#define P4X_TABLE_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define _LGPL_SOURCE /* inline liburcu fast paths (rcu_dereference) */
#include <urcu-qsbr.h>
#include <urcu/compiler.h>

#include "p4x/table.h"

#define GEN_NEVER UINT64_MAX
#define TBL_KEY_WORDS(keylen) (((keylen) + 7) / 8)

struct tbl_group;
struct tbl_defer_item;
struct tbl_idx_slot;

/*
 * One entry; immutable after publication except last_used. Control-thread
 * fields first; the fields a lookup reads share the cache line that
 * precedes the key (entries are 64-byte aligned).
 */
struct tbl_entry {
	const uint8_t *key; /* = data: key & mask, 8-byte padded */
	const uint8_t *mask;
	uint32_t ihash; /* identity (index) hash */
	uint16_t plen;	/* LPM prefix length */
	uint8_t who_created;
	uint8_t who_updated;
	bool dynamic;
	uint32_t profile_id;
	uint64_t created;
	uint64_t updated;
	struct tbl_group *group;       /* ternary: its mask group */
	struct tbl_entry *prev, *next; /* creation-order list */
	struct tbl_entry *retire_next;
	struct p4x_table *table;
	/* read by lookups */
	struct p4x_table_entry pub __p4x_cache_aligned;
	uint64_t gen_add;		    /* visible from this generation */
	uint64_t gen_del;		    /* invisible from this one */
	uint64_t seq;			    /* insertion order, tie break */
	uint64_t last_used;		    /* ms; relaxed stores by readers */
	uint32_t hash;			    /* hash of the key words */
	uint8_t data[] __p4x_cache_aligned; /* key, mask, params */
};

static inline struct tbl_entry *tbl_entry(const struct p4x_table_entry *e)
{
	return caa_container_of(e, struct tbl_entry, pub);
}

static inline bool tbl_visible(const struct tbl_entry *e, uint64_t gen)
{
	return e->gen_add <= gen &&
	       gen < __atomic_load_n(&e->gen_del, __ATOMIC_RELAXED);
}

static inline void tbl_touch(struct tbl_entry *e, uint64_t now)
{
	if (__atomic_load_n(&e->last_used, __ATOMIC_RELAXED) != now)
		__atomic_store_n(&e->last_used, now, __ATOMIC_RELAXED);
}

/* Ternary tie break: true if @a beats @b. */
static inline bool tbl_better(const struct tbl_entry *a,
			      const struct tbl_entry *b)
{
	return !b || a->pub.prio < b->pub.prio ||
	       (a->pub.prio == b->pub.prio && a->seq < b->seq);
}

/* Bytes-level helpers over keys padded to 8 bytes. */
uint32_t tbl_hash_words(const uint64_t *w, unsigned int nwords);
static inline void tbl_load_key(uint64_t *dst, const void *src, uint32_t keylen)
{
	dst[TBL_KEY_WORDS(keylen) - 1] = 0;
	memcpy(dst, src, keylen);
}

static inline bool tbl_words_eq(const uint64_t *a, const uint64_t *b,
				unsigned int nwords)
{
	uint64_t d = 0;

	for (unsigned int i = 0; i < nwords; i++)
		d |= a[i] ^ b[i];
	return !d;
}

/* --- the bucketized hash (table_hash.c) --- */

#define THASH_SLOTS 8

struct thash_bucket {
	uint32_t sig[THASH_SLOTS];
	struct thash_bucket *next; /* overflow chain */
	uint64_t pad[3];
	struct tbl_entry *e[THASH_SLOTS];
} __attribute__((aligned(128)));

struct thash_tbl {
	uint32_t mask; /* nb buckets - 1 */
	struct rcu_head rcu;
	struct thash_bucket b[];
};

/* A hash of entries keyed by their key words (already masked). */
struct thash {
	struct thash_tbl *tbl; /* RCU */
	uint32_t count;	       /* linked entries (control) */
	uint32_t nwords;
	uint64_t *bytes; /* accounting, shared with table */
};

int thash_init(struct thash *h, uint32_t nwords, uint32_t hint,
	       uint64_t *bytes);
/* Destroy now (no reader left). Entries are not freed. */
void thash_fini(struct thash *h);
/* Link @e under e->hash (its key words hash). 0 or -ENOMEM. */
int thash_insert(struct thash *h, struct tbl_entry *e);
void thash_remove(struct thash *h, struct tbl_entry *e);

static inline uint32_t thash_sig(uint32_t hash)
{
	return (hash >> 16 | hash << 16) | 1;
}

/*
 * Bitmask of the slots of @b whose signature is @sig. A torn or stale
 * signature only costs a key compare: the entry is always verified.
 */
static inline uint32_t thash_match(const struct thash_bucket *b, uint32_t sig)
{
#ifdef __SSE2__
	__m128i want = _mm_set1_epi32((int)sig);
	__m128i lo = _mm_load_si128((const __m128i *)b->sig);
	__m128i hi = _mm_load_si128((const __m128i *)b->sig + 1);

	return (uint32_t)_mm_movemask_ps(
		       _mm_castsi128_ps(_mm_cmpeq_epi32(lo, want))) |
	       (uint32_t)_mm_movemask_ps(
		       _mm_castsi128_ps(_mm_cmpeq_epi32(hi, want)))
		       << 4;
#else
	uint32_t m = 0;

	for (int i = 0; i < THASH_SLOTS; i++)
		m |= (uint32_t)(CMM_LOAD_SHARED(b->sig[i]) == sig) << i;
	return m;
#endif
}

static inline const struct thash_bucket *
thash_bucket(const struct thash_tbl *tbl, uint32_t hash)
{
	return &tbl->b[hash & tbl->mask];
}

/* --- the table --- */

enum tbl_op { TBL_OP_ADD, TBL_OP_DEL };

struct tbl_undo {
	enum tbl_op op;
	struct tbl_entry *e;
};

struct p4x_table_txn {
	struct p4x_table *t;
	uint64_t gen; /* generation being staged */
	struct tbl_undo *log;
	uint32_t nlog, caplog;
};

struct tbl_retire {
	struct rcu_head rcu;
	struct tbl_retire *next;
	struct tbl_entry *entries; /* via retire_next */
	uint32_t n;		   /* entries + blocks */
	void **blocks;		   /* kind blocks for ops->recycle */
	uint32_t nblocks, capblocks;
	uint64_t opened_ms;
	int done; /* set after a grace period */
};

struct tbl_kind_ops;

struct p4x_table {
	/* read by the workers */
	uint64_t gen __p4x_cache_aligned;
	void *kind_data;
	struct p4x_table_action *def_hit, *def_miss; /* RCU */
	uint32_t keylen;
	uint32_t nwords;
	const struct tbl_kind_ops *ops;
	/* control thread */
	char name[P4X_TABLE_NAME_MAX] __p4x_cache_aligned;
	enum p4x_table_kind kind;
	uint32_t keysz;
	uint32_t tentries;
	uint32_t nummasks;
	uint16_t perms;
	uint32_t count;	 /* committed */
	uint32_t staged; /* count in the staged view */
	uint64_t seq;
	uint32_t prio_max;
	uint64_t aging_ms[P4X_TABLE_PROFILES_MAX];
	struct p4x_table_txn *txn;
	struct p4x_table_txn *spare_txn; /* the last one, for reuse */
	struct tbl_idx_slot *idx;	 /* identity index (staged view) */
	uint32_t idx_mask, idx_n;
	struct tbl_entry *head, *tail;	/* creation order (staged view) */
	struct tbl_retire *retire_open; /* collecting deletes */
	struct tbl_retire *retire_head, *retire_tail; /* waiting for a GP */
	uint64_t retire_pending;
	struct tbl_defer_item *pend; /* blocks to free after a GP */
	uint32_t npend, cappend;
	uint64_t pend_ms;
	uint32_t masks;
	/* accounting, also written by the call_rcu thread */
	uint64_t entries_live __p4x_cache_aligned; /* atomic */
	uint64_t struct_bytes;			   /* atomic */
};

/*
 * One per table kind. Control-thread slots run with t->txn set.
 */
struct tbl_kind_ops {
	const char *name;
	/* Must be non-NULL. Allocate t->kind_data. 0 or -errno. */
	int (*init)(struct p4x_table *t);
	/* Must be non-NULL. Free kind data; no reader left; entries are
	 * freed by the caller. */
	void (*fini)(struct p4x_table *t);
	/* Must be non-NULL. Check a key/mask/prio for this kind; write why
	 * into err. 0 or -EINVAL. */
	int (*validate)(struct p4x_table *t, const uint8_t *mask, char *err,
			size_t errsz);
	/* Must be non-NULL. The reader path. */
	unsigned int (*lookup_burst)(struct p4x_table *t, uint64_t gen,
				     const void *const keys[], unsigned int n,
				     const struct p4x_table_entry *res[],
				     uint64_t now);
	/* Must be non-NULL. Stage an add (e->gen_add = txn->gen). On error
	 * nothing changed. */
	int (*stage_add)(struct p4x_table_txn *txn, struct tbl_entry *e,
			 char *err, size_t errsz);
	/* Must be non-NULL. Stage a delete (e->gen_del = txn->gen already
	 * set by the caller). On error nothing changed. */
	int (*stage_del)(struct p4x_table_txn *txn, struct tbl_entry *e,
			 char *err, size_t errsz);
	/* NULL: an update stages a delete then an add. Otherwise stage the
	 * replacement of @old by @e (same identity; gen_del/gen_add set by
	 * the caller) in one step; on error nothing changed. */
	int (*stage_replace)(struct p4x_table_txn *txn, struct tbl_entry *old,
			     struct tbl_entry *e, char *err, size_t errsz);
	/* NULL: nothing to undo per op (the kind's abort drops its staging).
	 * Otherwise undo one staged add / delete, newest first. */
	void (*undo_add)(struct p4x_table_txn *txn, struct tbl_entry *e);
	void (*undo_del)(struct p4x_table_txn *txn, struct tbl_entry *e);
	/* NULL: nothing to publish beyond the generation. Otherwise called
	 * at commit before the generation store. */
	void (*commit)(struct p4x_table_txn *txn);
	/* NULL: no staging state. Otherwise drop it (after the undos). */
	void (*abort)(struct p4x_table_txn *txn);
	/* NULL: entries are not linked after their deleting commit.
	 * Otherwise unlink @e (a grace period after it became invisible to
	 * every reader). */
	void (*unlink)(struct p4x_table *t, struct tbl_entry *e);
	/* NULL: the kind never retires blocks. Otherwise take back a block
	 * given to tbl_retire_block() once no reader can reach it. */
	void (*recycle)(struct p4x_table *t, void *block);
};

extern const struct tbl_kind_ops tbl_exact_ops;
extern const struct tbl_kind_ops tbl_lpm_ops;
extern const struct tbl_kind_ops tbl_ternary_ops;

/* Deferred reclamation (table_reclaim.c). Control thread only. */
/* Free @p (@bytes of index structure, or 0 for an entry) after a grace
 * period; batched with other blocks. */
void tbl_defer(struct p4x_table *t, void *p, uint32_t bytes);
/* @e was deleted by the commit being published: unlink it from the kind
 * after a grace period, then free it. */
void tbl_retire(struct p4x_table *t, struct tbl_entry *e);
/* Hand @block (@bytes of index) back to ops->recycle after a grace
 * period (freed with tbl_defer() if memory runs out). */
void tbl_retire_block(struct p4x_table *t, void *block, uint32_t bytes);
/* Drain what is done; close the batches that are big or old (all of them
 * if @force). */
void tbl_reclaim_tick(struct p4x_table *t, bool force);
/* At destroy: wait for and free everything. */
void tbl_reclaim_fini(struct p4x_table *t);

void tbl_errf(char *err, size_t errsz, const char *fmt, ...) __p4x_printf(3, 4);
void tbl_bytes_add(uint64_t *bytes, int64_t delta);
void *tbl_zalloc_aligned(size_t size);

/* Prefix length of an LPM mask, or -1 if it is not a prefix. */
int tbl_prefix_len(const uint8_t *mask, uint32_t keylen);

/* The staged entry with this identity (key and mask words, already
 * masked; @prio compared for ternary, and for LPM when non-zero). */
struct tbl_entry *tbl_find(struct p4x_table *t, const uint64_t *kw,
			   const uint64_t *mw, uint32_t prio);

int tbl_idx_init(struct p4x_table *t);
void tbl_txn_cache_fini(struct p4x_table *t);
/* Stage the delete of @e (staged-visible) in @txn. */
int tbl_txn_delete_entry(struct p4x_table_txn *txn, struct tbl_entry *e,
			 char *err, size_t errsz);

#endif /* P4X_TABLE_INT_H */
