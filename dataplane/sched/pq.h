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
 *    per window, indexed circularly (slot = coarse & (N-1));
 *  - keys further ahead (N^2 keys or more) wait on one "far" list.
 * Each level has a three-level 64-ary bitmap, so first/last non-empty
 * bucket is found with three find-first-set operations (Eiffel's cFFS).
 * When level 0 empties, the first level-1 slot is "cascaded": cb moves to
 * it and its packets are re-inserted into level 0. When both levels are
 * empty, cb jumps to the smallest window on the far list and the far
 * packets are re-placed: O(far packets), paid only when the nearest queued
 * rank is N^2 keys or more away. Everything else is O(1) amortized (a
 * packet moves down at most twice).
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

/* The hot path is these helpers: inlined whatever the build's heuristics. */
#define P4X_PQ_INLINE static inline __attribute__((always_inline))

#define P4X_PQ_NIL UINT32_MAX
#define P4X_PQ_LVL_SHIFT 30 /* elem.slot = bucket | level << 30 */
#define P4X_PQ_FAR 2	    /* "level" of the far list (one bucket) */
#define P4X_PQ_LEVELS 3	    /* bitmap levels: up to 2^18 buckets */

struct p4x_sched_elem {
	struct p4x_sched_pkt pkt;
	uint64_t key;  /* queue key (rank bucket or calendar slot) */
	uint64_t seq;  /* arrival order: FIFO among equal keys */
	uint32_t next; /* neighbours in the bucket, or free-list link */
	uint32_t prev;
	uint32_t slot;	/* bucket | level << P4X_PQ_LVL_SHIFT */
	uint32_t owner; /* which queue of the scheduler holds it */
};

struct p4x_bm {
	uint64_t *w[P4X_PQ_LEVELS];
	uint64_t nw[P4X_PQ_LEVELS]; /* words per level */
};

struct p4x_pq {
	struct p4x_sched_elem *e; /* the pool (not owned) */
	uint32_t k;		  /* log2 of buckets per level */
	uint32_t mask;		  /* buckets - 1 */
	uint32_t count;
	uint32_t id; /* copied into elem.owner */
	uint64_t cb; /* coarse window of level 0 */
	struct p4x_bm bm[2];
	uint32_t *head[3]; /* per level; [P4X_PQ_FAR] has one bucket */
	uint32_t *tail[3];
	uint32_t far[2];  /* storage of the far list's head and tail */
	uint64_t far_min; /* lower bound of the far list's windows */
};

/* 0 or -errno. @nb_buckets: power of two in [64, 2^18]. */
int p4x_pq__init(struct p4x_pq *q, struct p4x_sched_elem *pool,
		 uint32_t nb_buckets, uint32_t id);
void p4x_pq__fini(struct p4x_pq *q);

P4X_PQ_INLINE void p4x_bm__set(struct p4x_bm *b, uint64_t i)
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

P4X_PQ_INLINE void p4x_bm__clear(struct p4x_bm *b, uint64_t i)
{
	for (int l = 0; l < P4X_PQ_LEVELS; l++) {
		uint64_t *w = &b->w[l][i >> 6];

		*w &= ~(1ULL << (i & 63));
		if (*w)
			return;
		i >>= 6;
	}
}

P4X_PQ_INLINE int p4x_bm__empty(const struct p4x_bm *b)
{
	return !b->w[P4X_PQ_LEVELS - 1][0];
}

/* First set bit >= @i, or -1. Bits past the end are never set. */
P4X_PQ_INLINE int64_t p4x_bm__next(const struct p4x_bm *b, uint64_t i)
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
P4X_PQ_INLINE int64_t p4x_bm__prev(const struct p4x_bm *b, uint64_t i)
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

P4X_PQ_INLINE void p4x_pq__push(struct p4x_pq *q, int lvl, uint32_t b,
				uint32_t i)
{
	struct p4x_sched_elem *el = &q->e[i];
	uint32_t t = q->tail[lvl][b];

	el->next = P4X_PQ_NIL;
	el->prev = t;
	el->slot = b | (uint32_t)lvl << P4X_PQ_LVL_SHIFT;
	el->owner = q->id;
	if (t == P4X_PQ_NIL) {
		q->head[lvl][b] = i;
		if (lvl != P4X_PQ_FAR)
			p4x_bm__set(&q->bm[lvl], b);
	} else {
		q->e[t].next = i;
	}
	q->tail[lvl][b] = i;
}

/* Level and bucket for @key under the current window. */
P4X_PQ_INLINE void p4x_pq__place(const struct p4x_pq *q, uint64_t key, int *lvl,
				 uint32_t *b)
{
	uint64_t c = key >> q->k;

	if (c == q->cb) {
		*lvl = 0;
		*b = (uint32_t)key & q->mask;
	} else if (c > q->cb && c - q->cb <= q->mask) {
		*lvl = 1;
		*b = (uint32_t)c & q->mask;
	} else if (c > q->cb) {
		*lvl = P4X_PQ_FAR;
		*b = 0;
	} else {
		*lvl = 0; /* below the window: served as its first key */
		*b = 0;
	}
}

/*
 * Queue element @i by its key. When the queue is empty the window moves to
 * min(key, @floor) first.
 */
P4X_PQ_INLINE void p4x_pq__insert(struct p4x_pq *q, uint32_t i, uint64_t floor)
{
	uint64_t key = q->e[i].key;
	uint32_t b;
	int lvl;

	if (!q->count)
		q->cb = (key < floor ? key : floor) >> q->k;
	p4x_pq__place(q, key, &lvl, &b);
	p4x_pq__push(q, lvl, b, i);
	if (p4x_unlikely(lvl == P4X_PQ_FAR) && key >> q->k < q->far_min)
		q->far_min = key >> q->k;
	q->count++;
}

/* Unlink element @i (which must be queued here). */
P4X_PQ_INLINE void p4x_pq__remove(struct p4x_pq *q, uint32_t i)
{
	struct p4x_sched_elem *el = &q->e[i];
	int lvl = (int)(el->slot >> P4X_PQ_LVL_SHIFT);
	uint32_t b = el->slot & ((1u << P4X_PQ_LVL_SHIFT) - 1);

	if (el->prev == P4X_PQ_NIL)
		q->head[lvl][b] = el->next;
	else
		q->e[el->prev].next = el->next;
	if (el->next == P4X_PQ_NIL)
		q->tail[lvl][b] = el->prev;
	else
		q->e[el->next].prev = el->prev;
	if (q->head[lvl][b] == P4X_PQ_NIL && lvl != P4X_PQ_FAR)
		p4x_bm__clear(&q->bm[lvl], b);
	q->count--;
}

/* First non-empty level-1 slot in window order, or -1. */
P4X_PQ_INLINE int64_t p4x_pq__l1_first(const struct p4x_pq *q)
{
	int64_t s = p4x_bm__next(&q->bm[1], (q->cb + 1) & q->mask);

	return s >= 0 ? s : p4x_bm__next(&q->bm[1], 0);
}

/*
 * Move level 1 slot @s (window @c) down to level 0, and far packets that
 * the new window range reaches into level 1.
 */
void p4x_pq__cascade(struct p4x_pq *q, uint32_t s, uint64_t c);

/*
 * Levels 0 and 1 are empty: open the smallest far window if it starts at
 * or below @limit and re-place the far list. 0, or -1 if nothing opened.
 */
int p4x_pq__open_far(struct p4x_pq *q, uint64_t limit);

/* Smallest window on the far list (UINT64_MAX if empty). O(far). */
uint64_t p4x_pq__far_min(const struct p4x_pq *q);

/* Largest key (newest among equals) on the far list, or NIL. O(far). */
uint32_t p4x_pq__far_max(const struct p4x_pq *q);

/*
 * The element to serve first, or P4X_PQ_NIL if the queue is empty or its
 * smallest key is above @limit (then no window above @limit is opened).
 */
P4X_PQ_INLINE uint32_t p4x_pq__min(struct p4x_pq *q, uint64_t limit)
{
	for (;;) {
		if (p4x_likely(!p4x_bm__empty(&q->bm[0]))) {
			int64_t b = p4x_bm__next(&q->bm[0], 0);
			uint32_t i = q->head[0][b];

			return q->e[i].key <= limit ? i : P4X_PQ_NIL;
		}
		int64_t s = p4x_pq__l1_first(q);

		if (s < 0) {
			if (q->far[0] == P4X_PQ_NIL ||
			    p4x_pq__open_far(q, limit))
				return P4X_PQ_NIL;
			continue;
		}
		uint64_t c = q->cb + (((uint64_t)s - q->cb) & q->mask);

		if ((c << q->k) > limit)
			return P4X_PQ_NIL;
		p4x_pq__cascade(q, (uint32_t)s, c);
	}
}

/* Take the element to serve first (the queue must not be empty). */
P4X_PQ_INLINE uint32_t p4x_pq__pop_min(struct p4x_pq *q)
{
	uint32_t i = p4x_pq__min(q, UINT64_MAX);
	uint32_t b = q->e[i].slot; /* level 0: slot is the bucket */
	uint32_t next = q->e[i].next;

	q->head[0][b] = next;
	if (next == P4X_PQ_NIL) {
		q->tail[0][b] = P4X_PQ_NIL;
		p4x_bm__clear(&q->bm[0], b);
	} else {
		q->e[next].prev = P4X_PQ_NIL;
	}
	q->count--;
	return i;
}

/*
 * The element with the largest key (newest among equals), or NIL. A level-1
 * slot mixes the keys of a whole window, so it is scanned: O(packets in the
 * farthest occupied window, or on the far list).
 */
static inline uint32_t p4x_pq__max(const struct p4x_pq *q)
{
	uint32_t best, i;
	int64_t s;

	if (q->far[0] != P4X_PQ_NIL)
		return p4x_pq__far_max(q);
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
	if (s >= 0)
		return (q->cb + (((uint64_t)s - q->cb) & q->mask)) << q->k;
	s = (int64_t)p4x_pq__far_min(q);
	return (uint64_t)s == UINT64_MAX ? UINT64_MAX : (uint64_t)s << q->k;
}

#endif /* P4X_SCHED_PQ_H */
