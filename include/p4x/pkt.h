/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet descriptors and the engine's frame pool.
 *
 * Every packet in the engine lives in a frame of one pool: a single
 * page-aligned area cut into P4X_FRAME_SIZE frames. When the engine has
 * AF_XDP ports, that area is the UMEM they all share, so a packet received
 * on one port is transmitted on another without a copy. Memory ports use
 * frames of the same pool.
 *
 * A frame has one owner at a time: a fill ring (kernel), a worker (while
 * a packet is in a burst), a tx/completion ring (kernel), a cross-worker
 * ring, or the pool (free). Whoever holds it either passes it on or
 * returns it with p4x_pool__put_burst().
 */
#ifndef P4X_PKT_H
#define P4X_PKT_H

#include <stdint.h>

#include "common.h"
#include "xdp_meta.h"

#define P4X_FRAME_SIZE 4096u
/* Bytes in front of received data (XDP_PACKET_HEADROOM): room to push. */
#define P4X_FRAME_HEADROOM 256u

enum p4x_verdict {
	P4X_VERDICT_TX = 0, /* transmit on out_port */
	P4X_VERDICT_DROP,   /* drop, counted under drop_reason */
	/* hand the packet to the host stack of its in port (P4TC egress
	 * port 0); an engine without a host path drops it, counted under
	 * drop_reason (programs set P4X_DROP_NO_ROUTE) */
	P4X_VERDICT_HOST,
};

/*
 * One packet in a burst. Bursts are arrays of this struct owned by the
 * worker; only the frame is shared memory.
 */
struct p4x_pkt {
	uint64_t addr;	   /* offset of the first data byte in the pool area */
	uint8_t *data;	   /* same byte, as a pointer */
	uint32_t len;	   /* bytes of packet data */
	uint16_t in_port;  /* engine port index the packet arrived on */
	uint16_t out_port; /* engine port index chosen by the program */
	uint8_t verdict;   /* enum p4x_verdict */
	uint8_t drop_reason; /* enum p4x_drop_reason, when verdict is DROP */
	uint16_t in_queue;
	struct p4x_xdp_meta meta; /* parse result; magic 0 when not valid */
	/*
	 * Scheduler metadata (PNA-style), for the egress port's scheduler
	 * (p4x/engine_sched.h). The engine clears sched_flags before the
	 * program runs; a program sets a field and its P4X_PKT_SCHED_* bit.
	 */
	uint16_t sched_flags;
	uint16_t sched_class; /* class, < the scheduler's nb_classes */
	uint32_t sched_flow;  /* flow id; default: meta.hash when valid */
	uint64_t sched_rank;  /* rank handed to the policy */
	uint32_t sched_user;  /* opaque to the engine (p4x_sched_pkt.user) */
};

/* Bits of p4x_pkt.sched_flags: which sched_* field the program set. */
#define P4X_PKT_SCHED_CLASS 0x1
#define P4X_PKT_SCHED_FLOW 0x2
#define P4X_PKT_SCHED_RANK 0x4
#define P4X_PKT_SCHED_USER 0x8

struct p4x_pool;

struct p4x_pool_opts {
	size_t sz;	      /* sizeof(struct p4x_pool_opts) */
	uint32_t nb_frames;   /* 0: default (16384) */
	uint32_t cache_size;  /* per-worker cache; 0: default (256) */
	uint32_t max_workers; /* 0: default (64) */
};

/*
 * Create a pool. Returns the pool, or NULL with errno set. The caller owns
 * it and frees it with p4x_pool__free() after every port using it closed.
 */
struct p4x_pool *p4x_pool__new(const struct p4x_pool_opts *opts);
void p4x_pool__free(struct p4x_pool *pool);

/* The area and its size, for UMEM registration. The pool keeps ownership. */
void *p4x_pool__area(const struct p4x_pool *pool);
size_t p4x_pool__area_size(const struct p4x_pool *pool);
uint32_t p4x_pool__nb_frames(const struct p4x_pool *pool);

/*
 * Cache id for callers that are not workers (control thread, tests, port
 * setup and teardown): they go to the shared ring directly.
 */
#define P4X_POOL_NO_CACHE 0xffffffffu

/*
 * Take up to @n free frames (as frame base addresses, offsets into the
 * area) through worker @wid's cache (@wid < max_workers, or
 * P4X_POOL_NO_CACHE). Returns how many were taken; the caller owns them.
 * Lock-free; one thread at a time per @wid, any number on NO_CACHE.
 */
unsigned int p4x_pool__get_burst(struct p4x_pool *pool, unsigned int wid,
				 uint64_t *addrs, unsigned int n);

/*
 * Return @n frames (any address inside each frame) to the pool through
 * worker @wid's cache. The pool takes ownership.
 */
void p4x_pool__put_burst(struct p4x_pool *pool, unsigned int wid,
			 const uint64_t *addrs, unsigned int n);

/*
 * Move every frame of worker @wid's cache to the shared ring, so other
 * threads can take them (a worker does this when it exits). Only from
 * the cache's owner, or while it is idle. No-op for P4X_POOL_NO_CACHE.
 */
void p4x_pool__cache_flush(struct p4x_pool *pool, unsigned int wid);

/* Frames currently free (in the shared ring and every cache). Slow path;
 * exact only while no thread gets or puts frames. */
uint32_t p4x_pool__free_count(const struct p4x_pool *pool);

static inline uint64_t p4x_frame_base(uint64_t addr)
{
	return addr & ~(uint64_t)(P4X_FRAME_SIZE - 1);
}

#endif /* P4X_PKT_H */
