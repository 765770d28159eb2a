/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bucketed integer priority queue (internal to the scheduler).
 *
 * Theory of operation. Keys are unsigned 64-bit integers (the scheduler
 * passes rank >> rank_shift, or a calendar slot number). With N = 2^k
 * buckets per level:
 *  - level 0 holds the keys of one "coarse window" cb: keys with
 *    key >> k == cb, one FIFO bucket per key (bucket = key & (N-1));
 *  - level 1 holds keys of the next N-1 coarse windows, one FIFO bucket
 *    per window, indexed circularly (slot = coarse & (N-1)); keys further
 *    ahead go to the farthest slot and are re-placed when it is reached.
 * Each level has a three-level 64-ary bitmap, so first/last non-empty
 * bucket is found with three find-first-set operations (Eiffel's cFFS).
 * When level 0 empties, the first level-1 slot is "cascaded": cb moves to
 * it and its packets are re-inserted (into level 0, or back into level 1
 * when they were placed in the farthest slot). A packet moves at most once
 * per level per N^2 keys it is ahead of cb, so all operations are O(1)
 * amortized.
 *
 * Order: ascending key, FIFO (by elem.seq, which callers set increasing)
 * among equal keys: a bucket list is always sorted by seq, cascades insert
 * by seq. One exception, documented in docs/scheduler.md: a key below
 * cb << k while the queue is not empty is queued as key cb << k (after the
 * packets already there); the scheduler keeps a second queue so that this
 * only happens to keys below the window of the last dequeued packet.
 *
 * Elements live in the scheduler's pool and are linked by index.
 */
#ifndef P4X_SCHED_PQ_H
#define P4X_SCHED_PQ_H

#include <stdint.h>

#include "p4x/common.h"
#include "p4x/sched_policy.h"

#define P4X_PQ_NIL UINT32_MAX
#define P4X_PQ_L1 0x80000000u /* elem.slot flag: bucket is on level 1 */
#define P4X_PQ_LEVELS 3       /* bitmap levels: up to 2^18 buckets */

struct p4x_sched_elem {
	struct p4x_sched_pkt pkt;
	uint64_t key;  /* queue key (rank bucket or calendar slot) */
	uint64_t seq;  /* arrival order: FIFO among equal keys */
	uint32_t next; /* neighbours in the bucket, or free-list link */
	uint32_t prev;
	uint32_t slot; /* bucket index, | P4X_PQ_L1 on level 1 */
	uint32_t owner; /* which queue of the scheduler holds it */
};

struct p4x_bm {
	uint64_t *w[P4X_PQ_LEVELS];
	uint64_t nw[P4X_PQ_LEVELS]; /* words per level */
};

struct p4x_pq {
	struct p4x_sched_elem *e; /* the pool (not owned) */
	uint32_t k;               /* log2 of buckets per level */
	uint32_t mask;            /* buckets - 1 */
	uint32_t count;
	uint32_t id; /* copied into elem.owner */
	uint64_t cb; /* coarse window of level 0 */
	struct p4x_bm bm[2];
	uint32_t *head[2];
	uint32_t *tail[2];
};

/* 0 or -errno. @nb_buckets: power of two in [64, 2^18]. */
int p4x_pq__init(struct p4x_pq *q, struct p4x_sched_elem *pool,
		 uint32_t nb_buckets, uint32_t id);
void p4x_pq__fini(struct p4x_pq *q);

static inline void p4x_bm__set(struct p4x_bm *b, uint64_t i)
{
	for (int l = 0; l < P4X_PQ_LEVELS; l++) {
		uint64_t *w = &b->w[l][i >> 6];
		uint64_t old = *w;

		*w = old | (1ULL << (i & 63));
		if (old)
			return;
		i >>= 6;
	}
}

static inline void p4x_bm__clear(struct p4x_bm *b, uint64_t i)
{
	for (int l = 0; l < P4X_PQ_LEVELS; l++) {
		uint64_t *w = &b->w[l][i >> 6];

		*w &= ~(1ULL << (i & 63));
		if (*w)
			return;
		i >>= 6;
	}
}

static inline int p4x_bm__empty(const struct p4x_bm *b)
{
	return !b->w[P4X_PQ_LEVELS - 1][0];
}

/* First set bit >= @i, or -1. Bits past the end are never set. */
static inline int64_t p4x_bm__next(const struct p4x_bm *b, uint64_t i)
{
	int l;

	for (l = 0; l < P4X_PQ_LEVELS; l++) {
		uint64_t w = i >> 6;
		uint64_t word;

		if (w >= b->nw[l])
			return -1;
		word = b->w[l][w] & (~0ULL << (i & 63));
		if (word) {
			i = (w << 6) + (uint64_t)__builtin_ctzll(word);
			goto descend;
		}
		i = w + 1;
	}
	return -1;
descend:
	while (l-- > 0)
		i = (i << 6) + (uint64_t)__builtin_ctzll(b->w[l][i]);
	return (int64_t)i;
}

/* Last set bit <= @i, or -1. */
static inline int64_t p4x_bm__prev(const struct p4x_bm *b, uint64_t i)
{
	int l;

	for (l = 0; l < P4X_PQ_LEVELS; l++) {
		uint64_t w = i >> 6;
		uint64_t keep = (i & 63) == 63 ? ~0ULL : (2ULL << (i & 63)) - 1;
		uint64_t word = b->w[l][w] & keep;

		if (word) {
			i = (w << 6) + 63 - (uint64_t)__builtin_clzll(word);
			goto descend;
		}
		if (!w)
			return -1;
		i = w - 1;
	}
	return -1;
descend:
	while (l-- > 0)
		i = (i << 6) + 63 - (uint64_t)__builtin_clzll(b->w[l][i]);
	return (int64_t)i;
}

static inline void p4x_pq__push(struct p4x_pq *q, int lvl, uint32_t b,
				uint32_t i)
{
	struct p4x_sched_elem *el = &q->e[i];
	uint32_t t = q->tail[lvl][b];

	el->next = P4X_PQ_NIL;
	el->prev = t;
	el->slot = b | (lvl ? P4X_PQ_L1 : 0);
	el->owner = q->id;
	if (t == P4X_PQ_NIL) {
		q->head[lvl][b] = i;
		p4x_bm__set(&q->bm[lvl], b);
	} else {
		q->e[t].next = i;
	}
	q->tail[lvl][b] = i;
}

/* Level and bucket for @key under the current window. */
static inline void p4x_pq__place(const struct p4x_pq *q, uint64_t key,
				 int *lvl, uint32_t *b)
{
	uint64_t c = key >> q->k;

	if (c == q->cb) {
		*lvl = 0;
		*b = (uint32_t)key & q->mask;
	} else if (c > q->cb) {
		uint64_t d = c - q->cb;

		if (d > q->mask)
			d = q->mask;
		*lvl = 1;
		*b = (uint32_t)(q->cb + d) & q->mask;
	} else {
		*lvl = 0; /* below the window: served as its first key */
		*b = 0;
	}
}

/*
 * Queue element @i by its key. When the queue is empty the window moves to
 * min(key, @floor) first.
 */
static inline void p4x_pq__insert(struct p4x_pq *q, uint32_t i,
				  uint64_t floor)
{
	uint64_t key = q->e[i].key;
	uint32_t b;
	int lvl;

	if (!q->count)
		q->cb = (key < floor ? key : floor) >> q->k;
	p4x_pq__place(q, key, &lvl, &b);
	p4x_pq__push(q, lvl, b, i);
	q->count++;
}

/* Unlink element @i (which must be queued here). */
static inline void p4x_pq__remove(struct p4x_pq *q, uint32_t i)
{
	struct p4x_sched_elem *el = &q->e[i];
	int lvl = !!(el->slot & P4X_PQ_L1);
	uint32_t b = el->slot & ~P4X_PQ_L1;

	if (el->prev == P4X_PQ_NIL)
		q->head[lvl][b] = el->next;
	else
		q->e[el->prev].next = el->next;
	if (el->next == P4X_PQ_NIL)
		q->tail[lvl][b] = el->prev;
	else
		q->e[el->next].prev = el->prev;
	if (q->head[lvl][b] == P4X_PQ_NIL)
		p4x_bm__clear(&q->bm[lvl], b);
	q->count--;
}

/* First non-empty level-1 slot in window order, or -1. */
static inline int64_t p4x_pq__l1_first(const struct p4x_pq *q)
{
	int64_t s = p4x_bm__next(&q->bm[1], (q->cb + 1) & q->mask);

	return s >= 0 ? s : p4x_bm__next(&q->bm[1], 0);
}

/* Move level 1 slot @s (nominal window @c <= @limit's) down; slow path. */
void p4x_pq__cascade(struct p4x_pq *q, uint32_t s, uint64_t c, uint64_t limit);

/*
 * The element to serve first, or P4X_PQ_NIL if the queue is empty or its
 * smallest key is above @limit (then no window above @limit is opened).
 */
static inline uint32_t p4x_pq__min(struct p4x_pq *q, uint64_t limit)
{
	for (;;) {
		if (p4x_likely(!p4x_bm__empty(&q->bm[0]))) {
			int64_t b = p4x_bm__next(&q->bm[0], 0);
			uint32_t i = q->head[0][b];

			return q->e[i].key <= limit ? i : P4X_PQ_NIL;
		}
		int64_t s = p4x_pq__l1_first(q);

		if (s < 0)
			return P4X_PQ_NIL;
		uint64_t c = q->cb + (((uint64_t)s - q->cb) & q->mask);

		if ((c << q->k) > limit)
			return P4X_PQ_NIL;
		p4x_pq__cascade(q, (uint32_t)s, c, limit);
	}
}

/*
 * The element with the largest key (newest among equals), or NIL. A level-1
 * slot mixes the keys of a whole window, so it is scanned: O(packets in the
 * farthest occupied window).
 */
static inline uint32_t p4x_pq__max(const struct p4x_pq *q)
{
	uint32_t best, i;
	int64_t s;

	if (p4x_bm__empty(&q->bm[1])) {
		if (p4x_bm__empty(&q->bm[0]))
			return P4X_PQ_NIL;
		return q->tail[0][p4x_bm__prev(&q->bm[0], q->mask)];
	}
	s = p4x_bm__prev(&q->bm[1], q->cb & q->mask);
	if (s < 0)
		s = p4x_bm__prev(&q->bm[1], q->mask);
	best = q->tail[1][s];
	for (i = q->e[best].prev; i != P4X_PQ_NIL; i = q->e[i].prev)
		if (q->e[i].key > q->e[best].key)
			best = i;
	return best;
}

/* Lower bound of the smallest key (no window moves); UINT64_MAX if empty. */
static inline uint64_t p4x_pq__min_bound(const struct p4x_pq *q)
{
	int64_t s;

	if (!p4x_bm__empty(&q->bm[0]))
		return q->e[q->head[0][p4x_bm__next(&q->bm[0], 0)]].key;
	s = p4x_pq__l1_first(q);
	if (s < 0)
		return UINT64_MAX;
	return (q->cb + (((uint64_t)s - q->cb) & q->mask)) << q->k;
}

#endif /* P4X_SCHED_PQ_H */
