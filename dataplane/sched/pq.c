// SPDX-License-Identifier: BSD-3-Clause
/* Bucketed priority queue: setup and the cascade slow path (see pq.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pq.h"

static int bm_init(struct p4x_bm *b, uint32_t nb)
{
	uint32_t words = nb;

	for (int l = 0; l < P4X_PQ_LEVELS; l++) {
		words = (words + 63) / 64;
		b->nw[l] = words;
		b->w[l] = calloc(words, sizeof(uint64_t));
		if (!b->w[l])
			return -ENOMEM;
	}
	return 0;
}

static void bm_fini(struct p4x_bm *b)
{
	for (int l = 0; l < P4X_PQ_LEVELS; l++) {
		free(b->w[l]);
		b->w[l] = NULL;
	}
}

int p4x_pq__init(struct p4x_pq *q, struct p4x_sched_elem *pool,
		 uint32_t nb_buckets, uint32_t id)
{
	memset(q, 0, sizeof(*q));
	if (nb_buckets < 64 || nb_buckets > (1u << 18) ||
	    (nb_buckets & (nb_buckets - 1)))
		return -EINVAL;
	q->e = pool;
	q->id = id;
	q->k = (uint32_t)__builtin_ctz(nb_buckets);
	q->mask = nb_buckets - 1;
	for (int l = 0; l < 2; l++) {
		if (bm_init(&q->bm[l], nb_buckets))
			goto err_alloc;
		q->head[l] = malloc(nb_buckets * sizeof(uint32_t));
		q->tail[l] = malloc(nb_buckets * sizeof(uint32_t));
		if (!q->head[l] || !q->tail[l])
			goto err_alloc;
		memset(q->head[l], 0xff, nb_buckets * sizeof(uint32_t));
		memset(q->tail[l], 0xff, nb_buckets * sizeof(uint32_t));
	}
	return 0;

err_alloc:
	p4x_pq__fini(q);
	return -ENOMEM;
}

void p4x_pq__fini(struct p4x_pq *q)
{
	for (int l = 0; l < 2; l++) {
		bm_fini(&q->bm[l]);
		free(q->head[l]);
		free(q->tail[l]);
		q->head[l] = q->tail[l] = NULL;
	}
}

/*
 * Lowest window the slot's packets may open: normally its nominal window
 * @c, but a slot holding packets placed "far" may jump further, up to the
 * window before the next occupied slot (so huge rank jumps cost one
 * cascade, not one per N-1 windows), and never past the window of @limit
 * (the calendar must not open a window later than now).
 */
static uint64_t cascade_target(const struct p4x_pq *q, uint32_t s, uint64_t c,
			       uint64_t limit)
{
	uint64_t m = UINT64_MAX;
	int64_t next;

	for (uint32_t i = q->head[1][s]; i != P4X_PQ_NIL; i = q->e[i].next)
		if (q->e[i].key >> q->k < m)
			m = q->e[i].key >> q->k;
	if (m == c)
		return c;
	next = p4x_pq__l1_first(q);
	if (next >= 0) {
		uint64_t c2 = q->cb + (((uint64_t)next - q->cb) & q->mask);

		if (c2 - 1 < m)
			m = c2 - 1;
	}
	if (m > limit >> q->k)
		m = limit >> q->k;
	return m > c ? m : c;
}

/*
 * Insert @i into bucket @b by seq: packets placed "far" may be older than
 * packets queued directly into the same bucket later.
 */
static void push_sorted(struct p4x_pq *q, int lvl, uint32_t b, uint32_t i)
{
	struct p4x_sched_elem *el = &q->e[i];
	uint32_t after = q->tail[lvl][b];

	while (after != P4X_PQ_NIL && q->e[after].seq > el->seq)
		after = q->e[after].prev;
	if (after == q->tail[lvl][b]) {
		p4x_pq__push(q, lvl, b, i);
		return;
	}
	el->slot = b | (lvl ? P4X_PQ_L1 : 0);
	el->owner = q->id;
	el->prev = after;
	if (after == P4X_PQ_NIL) {
		el->next = q->head[lvl][b];
		q->head[lvl][b] = i;
	} else {
		el->next = q->e[after].next;
		q->e[after].next = i;
	}
	q->e[el->next].prev = i;
}

void p4x_pq__cascade(struct p4x_pq *q, uint32_t s, uint64_t c, uint64_t limit)
{
	uint32_t i = q->head[1][s];

	p4x_bm__clear(&q->bm[1], s);
	q->cb = cascade_target(q, s, c, limit);
	q->head[1][s] = q->tail[1][s] = P4X_PQ_NIL;
	while (i != P4X_PQ_NIL) {
		uint32_t next = q->e[i].next;
		uint32_t b;
		int lvl;

		p4x_pq__place(q, q->e[i].key, &lvl, &b);
		push_sorted(q, lvl, b, i);
		i = next;
	}
}
