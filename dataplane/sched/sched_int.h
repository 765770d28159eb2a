/* SPDX-License-Identifier: BSD-3-Clause */
/* Scheduler internals shared by sched.c, ctl.c and policies.c. */
#ifndef P4X_SCHED_INT_H
#define P4X_SCHED_INT_H

#include <pthread.h>

#include "p4x/sched.h"
#include "pq.h"

/*
 * One published policy instance: ops + state + parameter block. Replaced
 * as a whole under RCU; the worker reads it once per burst.
 */
struct p4x_sched_inst {
	const struct p4x_sched_policy_ops *ops;
	void *state;
	void *params;
	void (*params_free)(void *params);
	void *dl;    /* dlopen handle owning ops, or NULL */
	int builtin; /* enum p4x_sched_builtin, or -1 */
};

/* Port rate limit, applied at dequeue (RCU-published, immutable). */
struct p4x_sched_port_cfg {
	uint64_t rate;	/* bytes/s */
	uint64_t npb;	/* ns per byte, 32.32 fixed point, rounded up */
	uint32_t burst; /* bytes */
};

/*
 * Per-class counters, written by the worker only. Backlogs are derived:
 * enqueued - dequeued - dropped after queueing (evicted, flushed).
 */
struct p4x_sched_cls_cnt {
	uint64_t enq_pkts, enq_bytes;
	uint64_t deq_pkts, deq_bytes;
	uint64_t gone_bytes; /* bytes of queued packets evicted or flushed */
	uint64_t drops[P4X_SCHED_DROP__COUNT];
};

/* Per-flow backlog in one word: bytes | pkts << 40 (one add per packet). */
#define P4X_FLOW_PKT_SHIFT 40
#define P4X_FLOW_BYTES_MASK ((1ULL << P4X_FLOW_PKT_SHIFT) - 1)

struct p4x_sched {
	/* Worker-owned hot state. */
	struct p4x_pq *rq;   /* eligible packets, keyed by rank >> rank_shift */
	struct p4x_pq *low;  /* eligible packets ranked below rq's window */
	struct p4x_pq pq[3]; /* storage of rq, low (swapped) and cal */
	struct p4x_pq *cal;  /* waiting packets, keyed by eligible slot */
	struct p4x_sched_elem *pool;
	uint32_t free_head;
	uint32_t count;
	uint64_t bytes;
	uint64_t port_tat; /* port bucket: time it is full again */
	uint64_t last_key; /* key of the last dequeued packet */
	uint64_t seq;	   /* next elem.seq */
	uint32_t max_pkts;
	uint32_t max_bytes;
	uint32_t nb_classes;
	uint32_t flow_mask;
	uint8_t rank_shift;
	uint8_t time_shift;
	uint8_t drop_policy;
	struct p4x_sched_inst *inst;	 /* RCU */
	struct p4x_sched_port_cfg *port; /* RCU, NULL: no limit */
	struct p4x_sched_cls_cnt *cls;	 /* [nb_classes], worker-written */
	uint64_t bad_class;		 /* drops of class >= nb_classes */
	uint64_t *flows;		 /* [flow_mask + 1] backlog words */
	unsigned int nb_rel;
	struct p4x_sched_pkt rel[P4X_BURST];
	p4x_sched_release_fn release;
	void *release_arg;
	/* Control side. */
	pthread_mutex_t ctl;
};

/* Relaxed counter access: written by the worker, read by anyone. */
#define P4X_CNT_ADD(p, v)                                                   \
	__atomic_store_n((p), __atomic_load_n((p), __ATOMIC_RELAXED) + (v), \
			 __ATOMIC_RELAXED)
#define P4X_CNT_READ(p) __atomic_load_n((p), __ATOMIC_RELAXED)

/* Built-in policies (policies.c). */
const struct p4x_sched_policy_ops *
p4x_sched_builtin_ops(enum p4x_sched_builtin b);

/* 0, or -EINVAL with the offending field logged. */
int p4x_sched_params_check(const struct p4x_sched_params *p,
			   uint32_t nb_classes);

/* Publish @ni (takes ownership) and retire the old instance (ctl.c). */
void p4x_sched_inst_publish(struct p4x_sched *s, struct p4x_sched_inst *ni);

/* Free an instance; its state too unless @keep_state. */
void p4x_sched_inst_free(struct p4x_sched_inst *in, int keep_state);

/* Fixed-point ns per byte for @rate bytes/s, rounded up. */
static inline uint64_t p4x_sched_npb(uint64_t rate)
{
	return (uint64_t)((((unsigned __int128)1000000000u << 32) + rate - 1) /
			  rate);
}

/* Transmission time of @len bytes at @npb, rounded up (ns). */
static inline uint64_t p4x_sched_tx_ns(uint64_t npb, uint64_t len)
{
	return (uint64_t)(((unsigned __int128)len * npb + 0xffffffffu) >> 32);
}

/* Earliest time a token bucket (full at @tat) lets @len bytes through. */
static inline uint64_t p4x_sched_tb_time(uint64_t tat, uint64_t npb,
					 uint32_t burst, uint32_t len)
{
	uint64_t slack = burst > len ? (uint64_t)(burst - len) : 0;
	uint64_t allow = (uint64_t)(((unsigned __int128)slack * npb) >> 32);

	return tat > allow ? tat - allow : 0;
}

#endif /* P4X_SCHED_INT_H */
