// SPDX-License-Identifier: BSD-3-Clause
/*
 * Frame pool: every frame handed out once, caches and the shared ring
 * agree, bulk and concurrent use lose nothing. The pool's rte_ring is used
 * without rte_eal_init() (never called here).
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "p4x/pkt.h"
#include "check.h"

#define NB_FRAMES 1024u
#define CACHE 32u

static struct p4x_pool *new_pool(void)
{
	struct p4x_pool_opts o = {
		.sz = sizeof(o),
		.nb_frames = NB_FRAMES,
		.cache_size = CACHE,
		.max_workers = 4,
	};
	struct p4x_pool *pool = p4x_pool__new(&o);

	CHECK(pool);
	return pool;
}

/* Take every frame through @wid and check they are distinct frames. */
static void drain_all(struct p4x_pool *pool, unsigned int wid, uint64_t *addrs)
{
	static uint8_t seen[NB_FRAMES];
	unsigned int total = 0, got, i;

	memset(seen, 0, sizeof(seen));
	do {
		got = p4x_pool__get_burst(pool, wid, addrs + total, 17);
		total += got;
	} while (got);
	CHECK_EQ(total, NB_FRAMES);
	CHECK_EQ(p4x_pool__free_count(pool), 0);
	for (i = 0; i < total; i++) {
		CHECK_EQ(addrs[i] % P4X_FRAME_SIZE, 0);
		CHECK(addrs[i] < p4x_pool__area_size(pool));
		CHECK(!seen[addrs[i] / P4X_FRAME_SIZE]);
		seen[addrs[i] / P4X_FRAME_SIZE] = 1;
	}
}

static void test_basic(void)
{
	struct p4x_pool *pool = new_pool();
	static uint64_t all[NB_FRAMES];
	uint64_t a[64];
	unsigned int i;

	CHECK_EQ(p4x_pool__nb_frames(pool), NB_FRAMES);
	CHECK_EQ(p4x_pool__area_size(pool), NB_FRAMES * P4X_FRAME_SIZE);
	CHECK_EQ((uintptr_t)p4x_pool__area(pool) % 4096, 0);
	CHECK_EQ(p4x_pool__free_count(pool), NB_FRAMES);
	CHECK_EQ(p4x_pool__get_burst(pool, 0, a, 20), 20);
	CHECK_EQ(p4x_pool__free_count(pool), NB_FRAMES - 20);
	/* Interior addresses go back as their frame. */
	for (i = 0; i < 20; i++)
		a[i] += 300;
	p4x_pool__put_burst(pool, 1, a, 20);
	CHECK_EQ(p4x_pool__free_count(pool), NB_FRAMES);
	/* Caches 0 and 1 hold frames wid 2 cannot reach until flushed. */
	p4x_pool__cache_flush(pool, 0);
	p4x_pool__cache_flush(pool, 1);
	drain_all(pool, 2, all);
	for (i = 0; i < NB_FRAMES; i += 64)
		p4x_pool__put_burst(pool, i % 128 ? 3 : P4X_POOL_NO_CACHE,
				    all + i, 64);
	CHECK_EQ(p4x_pool__free_count(pool), NB_FRAMES);
	/* After a flush, every frame is reachable from another cache. */
	p4x_pool__cache_flush(pool, 1);
	p4x_pool__cache_flush(pool, 3);
	p4x_pool__cache_flush(pool, P4X_POOL_NO_CACHE);
	drain_all(pool, 0, all);
	p4x_pool__put_burst(pool, P4X_POOL_NO_CACHE, all, NB_FRAMES);
	CHECK_EQ(p4x_pool__free_count(pool), NB_FRAMES);
	p4x_pool__free(pool);
	p4x_pool__free(NULL);
}

static void test_bad_opts(void)
{
	struct p4x_pool_opts o = {.sz = sizeof(o), .nb_frames = 1u << 30};

	errno = 0;
	CHECK(!p4x_pool__new(&o));
	CHECK_EQ(errno, EINVAL);
	o.nb_frames = 64;
	o.cache_size = 100000;
	CHECK(!p4x_pool__new(&o));
	CHECK_EQ(errno, EINVAL);
}

struct churn_arg {
	struct p4x_pool *pool;
	unsigned int wid;
	unsigned long frames_seen;
};

static void *churn(void *p)
{
	struct churn_arg *a = p;
	uint64_t held[64];
	unsigned int i, n;

	for (i = 0; i < 50000; i++) {
		n = p4x_pool__get_burst(a->pool, a->wid, held, 1 + i % 64);
		a->frames_seen += n;
		p4x_pool__put_burst(a->pool, a->wid, held, n);
	}
	return NULL;
}

static void test_concurrent(void)
{
	struct p4x_pool *pool = new_pool();
	struct churn_arg args[3] = {
		{pool, 0, 0},
		{pool, 1, 0},
		{pool, P4X_POOL_NO_CACHE, 0},
	};
	static uint64_t all[NB_FRAMES];
	pthread_t t[3];
	unsigned int i;

	for (i = 0; i < 3; i++)
		CHECK(!pthread_create(&t[i], NULL, churn, &args[i]));
	for (i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		CHECK(args[i].frames_seen > 0);
	}
	CHECK_EQ(p4x_pool__free_count(pool), NB_FRAMES);
	p4x_pool__cache_flush(pool, 0);
	p4x_pool__cache_flush(pool, 1);
	drain_all(pool, 3, all);
	p4x_pool__free(pool);
}

int main(void)
{
	test_basic();
	test_bad_opts();
	test_concurrent();
	printf("pool: ok\n");
	return 0;
}
