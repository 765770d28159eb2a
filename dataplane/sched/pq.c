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
	q->far[0] = q->far[1] = P4X_PQ_NIL;
	q->far_min = UINT64_MAX;
	q->head[P4X_PQ_FAR] = &q->far[0];
	q->tail[P4X_PQ_FAR] = &q->far[1];
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
	q->head[P4X_PQ_FAR] = q->tail[P4X_PQ_FAR] = NULL;
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
	el->slot = b | (uint32_t)lvl << P4X_PQ_LVL_SHIFT;
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

/* Re-place the list starting at @i under the current window. */
static void replace_list(struct p4x_pq *q, uint32_t i)
{
	while (i != P4X_PQ_NIL) {
		uint32_t next = q->e[i].next;
		uint32_t b;
		int lvl;

		p4x_pq__place(q, q->e[i].key, &lvl, &b);
		push_sorted(q, lvl, b, i);
		if (lvl == P4X_PQ_FAR && q->e[i].key >> q->k < q->far_min)
			q->far_min = q->e[i].key >> q->k;
		i = next;
	}
}

/* Re-place the whole far list (after the window moved). */
static void pull_far(struct p4x_pq *q)
{
	uint32_t i = q->far[0];

	q->far[0] = q->far[1] = P4X_PQ_NIL;
	q->far_min = UINT64_MAX;
	replace_list(q, i);
}

void p4x_pq__cascade(struct p4x_pq *q, uint32_t s, uint64_t c)
{
	uint32_t i = q->head[1][s];

	p4x_bm__clear(&q->bm[1], s);
	q->head[1][s] = q->tail[1][s] = P4X_PQ_NIL;
	q->cb = c;
	replace_list(q, i);
	if (q->far[0] != P4X_PQ_NIL && q->far_min <= c + q->mask)
		pull_far(q);
}

uint64_t p4x_pq__far_min(const struct p4x_pq *q)
{
	uint64_t m = UINT64_MAX;

	for (uint32_t i = q->far[0]; i != P4X_PQ_NIL; i = q->e[i].next)
		if (q->e[i].key >> q->k < m)
			m = q->e[i].key >> q->k;
	return m;
}

uint32_t p4x_pq__far_max(const struct p4x_pq *q)
{
	uint32_t best = q->far[1];

	for (uint32_t i = best; i != P4X_PQ_NIL; i = q->e[i].prev)
		if (q->e[i].key > q->e[best].key)
			best = i;
	return best;
}

int p4x_pq__open_far(struct p4x_pq *q, uint64_t limit)
{
	uint64_t c = p4x_pq__far_min(q);

	if ((c << q->k) > limit)
		return -1;
	q->cb = c;
	pull_far(q);
	return 0;
}
