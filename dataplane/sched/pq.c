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
		 uint32_t nb_buckets)
{
	memset(q, 0, sizeof(*q));
	if (nb_buckets < 64 || nb_buckets > (1u << 18) ||
	    (nb_buckets & (nb_buckets - 1)))
		return -EINVAL;
	q->e = pool;
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

void p4x_pq__cascade(struct p4x_pq *q, uint32_t s, uint64_t c)
{
	uint32_t i = q->head[1][s];

	q->head[1][s] = q->tail[1][s] = P4X_PQ_NIL;
	p4x_bm__clear(&q->bm[1], s);
	q->cb = c;
	while (i != P4X_PQ_NIL) {
		uint32_t next = q->e[i].next;
		uint32_t b;
		int lvl;

		p4x_pq__place(q, q->e[i].key, &lvl, &b);
		p4x_pq__push(q, lvl, b, i);
		i = next;
	}
}
