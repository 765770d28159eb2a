// SPDX-License-Identifier: BSD-3-Clause
/*
 * The frame pool: one page-aligned area cut into P4X_FRAME_SIZE frames, a
 * DPDK rte_ring (multi-producer, multi-consumer) holding the addresses of
 * the free frames, and one cache per worker in front of it, as a DPDK
 * mempool does: a worker gets and puts from its own cache and touches the
 * shared ring only to refill or flush the cache in bulk. The ring is
 * created with rte_ring_init() in memory allocated here (it needs no
 * EAL), in RTS mode so that a thread preempted in the middle of an
 * enqueue does not make the others spin.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "p4x/log.h"
#include "p4x/pkt.h"
#include "core.h"

#define POOL_DEFAULT_FRAMES 16384u
#define POOL_DEFAULT_CACHE 256u
#define POOL_DEFAULT_WORKERS 64u
#define POOL_MAX_FRAMES (1u << 24)

struct pool_cache {
	uint32_t len;
	uint32_t pad;
	uint64_t *objs; /* 2 * cache_size + P4X_BURST slots */
} __p4x_cache_aligned;

struct p4x_pool {
	struct rte_ring *ring; /* free frame addresses, uint64_t elements */
	struct pool_cache *caches;
	uint32_t cache_size;
	uint32_t flush_at; /* a cache holding more is flushed */
	uint32_t max_workers;
	uint32_t nb_frames;
	void *area;
	size_t area_size;
	void *umem; /* see p4x_pool__umem_slot() */
	uint64_t *cache_mem;
};

static int pool_opts_check(const struct p4x_pool_opts *opts,
			   struct p4x_pool_opts *o)
{
	memset(o, 0, sizeof(*o));
	if (opts)
		memcpy(o, opts,
		       P4X_MIN(opts->sz ? opts->sz : sizeof(*o), sizeof(*o)));
	o->nb_frames = o->nb_frames ? o->nb_frames : POOL_DEFAULT_FRAMES;
	o->cache_size = o->cache_size ? o->cache_size : POOL_DEFAULT_CACHE;
	o->max_workers = o->max_workers ? o->max_workers : POOL_DEFAULT_WORKERS;
	if (o->nb_frames > POOL_MAX_FRAMES || o->cache_size > 4096 ||
	    o->max_workers > 4096) {
		p4x_warn("pool: options out of range (frames %u <= %u, cache "
			 "%u <= 4096, workers %u <= 4096)",
			 o->nb_frames, POOL_MAX_FRAMES, o->cache_size,
			 o->max_workers);
		return -EINVAL;
	}
	return 0;
}

static int pool_ring_new(struct p4x_pool *pool)
{
	unsigned int count = rte_align32pow2(pool->nb_frames + 1);
	ssize_t size = rte_ring_get_memsize_elem(sizeof(uint64_t), count);
	int ret;

	if (size < 0)
		return (int)size;
	if (posix_memalign((void **)&pool->ring, P4X_CACHE_LINE, size))
		return -ENOMEM;
	/* RTS (relaxed tail sync): producers and consumers do not wait on a
	 * preempted peer, which matters when threads outnumber cores. */
	ret = rte_ring_init(pool->ring, "p4x_pool", count,
			    RING_F_MP_RTS_ENQ | RING_F_MC_RTS_DEQ);
	if (ret) {
		free(pool->ring);
		pool->ring = NULL;
	}
	return ret;
}

static int pool_caches_new(struct p4x_pool *pool)
{
	size_t per = 2 * pool->cache_size + P4X_BURST;
	unsigned int i;

	pool->caches = aligned_alloc(P4X_CACHE_LINE,
				     sizeof(*pool->caches) * pool->max_workers);
	pool->cache_mem =
		calloc((size_t)pool->max_workers * per, sizeof(uint64_t));
	if (!pool->caches || !pool->cache_mem)
		return -ENOMEM;
	for (i = 0; i < pool->max_workers; i++) {
		pool->caches[i].len = 0;
		pool->caches[i].objs = pool->cache_mem + i * per;
	}
	return 0;
}

static void pool_fill(struct p4x_pool *pool)
{
	uint64_t addrs[P4X_BURST];
	uint32_t i = 0, n;

	while (i < pool->nb_frames) {
		for (n = 0; n < P4X_BURST && i < pool->nb_frames; n++, i++)
			addrs[n] = (uint64_t)i * P4X_FRAME_SIZE;
		rte_ring_enqueue_bulk_elem(pool->ring, addrs, sizeof(uint64_t),
					   n, NULL);
	}
}

struct p4x_pool *p4x_pool__new(const struct p4x_pool_opts *opts)
{
	struct p4x_pool_opts o;
	struct p4x_pool *pool;
	int err;

	err = pool_opts_check(opts, &o);
	if (err)
		goto err_out;
	err = -ENOMEM;
	pool = calloc(1, sizeof(*pool));
	if (!pool)
		goto err_out;
	pool->nb_frames = o.nb_frames;
	pool->cache_size = o.cache_size;
	pool->flush_at = o.cache_size + o.cache_size / 2;
	pool->max_workers = o.max_workers;
	pool->area_size = (size_t)o.nb_frames * P4X_FRAME_SIZE;
	pool->area = mmap(NULL, pool->area_size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (pool->area == MAP_FAILED) {
		err = -errno;
		pool->area = NULL;
		p4x_warn("pool: mmap of %zu bytes failed: %s", pool->area_size,
			 strerror(-err));
		goto err_pool;
	}
	err = pool_ring_new(pool);
	if (err)
		goto err_pool;
	err = pool_caches_new(pool);
	if (err)
		goto err_pool;
	pool_fill(pool);
	return pool;

err_pool:
	p4x_pool__free(pool);
err_out:
	errno = -err;
	return NULL;
}

void p4x_pool__free(struct p4x_pool *pool)
{
	if (!pool)
		return;
	if (pool->area)
		munmap(pool->area, pool->area_size);
	free(pool->cache_mem);
	free(pool->caches);
	free(pool->ring);
	free(pool);
}

void *p4x_pool__area(const struct p4x_pool *pool)
{
	return pool->area;
}

size_t p4x_pool__area_size(const struct p4x_pool *pool)
{
	return pool->area_size;
}

uint32_t p4x_pool__nb_frames(const struct p4x_pool *pool)
{
	return pool->nb_frames;
}

void **p4x_pool__umem_slot(struct p4x_pool *pool)
{
	return &pool->umem;
}

static unsigned int ring_get(struct p4x_pool *pool, uint64_t *addrs,
			     unsigned int n)
{
	return rte_ring_dequeue_burst_elem(pool->ring, addrs, sizeof(uint64_t),
					   n, NULL);
}

static void ring_put(struct p4x_pool *pool, const uint64_t *addrs,
		     unsigned int n)
{
	/* The ring holds every frame, so this never comes up short. */
	rte_ring_enqueue_burst_elem(pool->ring, addrs, sizeof(uint64_t), n,
				    NULL);
}

unsigned int p4x_pool__get_burst(struct p4x_pool *pool, unsigned int wid,
				 uint64_t *addrs, unsigned int n)
{
	struct pool_cache *c;
	unsigned int i;

	if (wid >= pool->max_workers || n > pool->cache_size)
		return ring_get(pool, addrs, n);
	c = &pool->caches[wid];
	if (c->len < n)
		c->len += ring_get(pool, c->objs + c->len,
				   pool->cache_size + n - c->len);
	n = P4X_MIN(n, c->len);
	for (i = 0; i < n; i++)
		addrs[i] = c->objs[--c->len];
	return n;
}

static void put_direct(struct p4x_pool *pool, const uint64_t *addrs,
		       unsigned int n)
{
	uint64_t base[P4X_BURST];
	unsigned int i, k;

	while (n) {
		k = P4X_MIN(n, (unsigned int)P4X_BURST);
		for (i = 0; i < k; i++)
			base[i] = p4x_frame_base(addrs[i]);
		ring_put(pool, base, k);
		addrs += k;
		n -= k;
	}
}

void p4x_pool__put_burst(struct p4x_pool *pool, unsigned int wid,
			 const uint64_t *addrs, unsigned int n)
{
	struct pool_cache *c;
	unsigned int i;

	if (wid >= pool->max_workers || n > P4X_BURST) {
		put_direct(pool, addrs, n);
		return;
	}
	c = &pool->caches[wid];
	for (i = 0; i < n; i++)
		c->objs[c->len++] = p4x_frame_base(addrs[i]);
	if (c->len > pool->flush_at) {
		ring_put(pool, c->objs + pool->cache_size,
			 c->len - pool->cache_size);
		c->len = pool->cache_size;
	}
}

void p4x_pool__cache_flush(struct p4x_pool *pool, unsigned int wid)
{
	struct pool_cache *c;

	if (wid >= pool->max_workers)
		return;
	c = &pool->caches[wid];
	ring_put(pool, c->objs, c->len);
	c->len = 0;
}

uint32_t p4x_pool__free_count(const struct p4x_pool *pool)
{
	uint32_t n = rte_ring_count(pool->ring);
	unsigned int i;

	for (i = 0; i < pool->max_workers; i++)
		n += __atomic_load_n(&pool->caches[i].len, __ATOMIC_RELAXED);
	return n;
}
