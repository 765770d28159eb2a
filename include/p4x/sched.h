/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-egress-port packet scheduler: a programmable priority queue between
 * the pipeline and transmit (theory of operation: docs/scheduler.md).
 *
 * enqueue(pkt) asks the active policy (p4x/sched_policy.h) for a rank and
 * an optional earliest send time; dequeue returns the lowest-rank packets
 * whose send time has come. Ranks live in an O(1) bucketed priority queue
 * (hierarchical find-first-set bitmaps, Eiffel's cFFS), send times in a
 * calendar of the same structure. The scheduler is bounded in packets and
 * bytes and never allocates after p4x_sched__new().
 *
 * Ownership: every packet handed to enqueue belongs to the scheduler.
 * Every packet the scheduler drops (at enqueue, evicted later, or flushed)
 * is handed back through the release callback of the options, in bursts,
 * before the call that dropped it returns. Dequeued packets belong to the
 * caller.
 *
 * Threads: enqueue/dequeue/flush/next_time belong to one worker thread at a
 * time, which must be a liburcu-qsbr reader reporting quiescent states
 * between bursts (as the engine's workers do). The set_* and load calls
 * may run on any thread; they are serialized internally, publish the new
 * policy or parameters with RCU and wait for a grace period. stats and
 * top_flows may run on any thread and read counters without locking.
 */
#ifndef P4X_SCHED_H
#define P4X_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include "common.h"
#include "sched_policy.h"

struct p4x_sched;

/* Drop causes: X(ENUM_SUFFIX, "json_key", "description"). */
#define P4X_SCHED_DROPS(X)                                          \
	X(FULL_PKTS, "full_pkts", "packet bound reached")           \
	X(FULL_BYTES, "full_bytes", "byte bound reached")           \
	X(EVICTED, "evicted", "evicted by a better-ranked arrival") \
	X(POLICY, "policy", "the policy asked to drop")             \
	X(BAD_CLASS, "bad_class", "class id >= nb_classes")         \
	X(FLUSH, "flush", "flushed (port down or scheduler freed)")

enum p4x_sched_drop {
#define X(e, k, d) P4X_SCHED_DROP_##e,
	P4X_SCHED_DROPS(X)
#undef X
		P4X_SCHED_DROP__COUNT
};

/* Built-in policies: X(ENUM_SUFFIX, "name"). */
#define P4X_SCHED_BUILTINS(X) \
	X(FIFO, "fifo")       \
	X(STRICT, "strict")   \
	X(WFQ, "wfq")         \
	X(DRR, "drr")         \
	X(EDF, "edf")         \
	X(TBF, "tbf")

enum p4x_sched_builtin {
#define X(e, n) P4X_SCHED_##e,
	P4X_SCHED_BUILTINS(X)
#undef X
		P4X_SCHED_BUILTIN__COUNT
};

enum p4x_sched_drop_policy {
	P4X_SCHED_TAIL_DROP = 0,  /* reject the arriving packet */
	P4X_SCHED_DROP_WORST = 1, /* evict the worst-ranked eligible packet
				   * if it ranks strictly worse */
};

/*
 * Drops and flushes hand packets back here, in bursts of up to P4X_BURST
 * (the caller then returns the frames to its pool). @pkts is valid during
 * the call only.
 */
typedef void (*p4x_sched_release_fn)(void *arg,
				     const struct p4x_sched_pkt *pkts,
				     unsigned int n);

struct p4x_sched_opts {
	size_t sz;	     /* sizeof(struct p4x_sched_opts) */
	uint32_t max_pkts;   /* packet bound = pool size; 0: 4096 */
	uint32_t max_bytes;  /* byte bound; 0: max_pkts * 2048 */
	uint32_t nb_classes; /* 0: 8; at most P4X_SCHED_MAX_CLASSES */
	uint32_t nb_flows;   /* flow slots, power of two; 0: 4096 */
	uint32_t nb_buckets; /* buckets per level, power of two in
			      * [64, 2^18]; 0: 4096 */
	uint8_t rank_shift;  /* rank bucket = rank >> rank_shift; 0: exact */
	uint8_t time_shift;  /* calendar slot = 2^time_shift ns; 0: 10 */
	uint8_t drop_policy; /* enum p4x_sched_drop_policy */
	p4x_sched_release_fn release; /* must be non-NULL */
	void *release_arg;
};

/*
 * Parameters of the built-in policies, per class. 0 means default.
 * Rates are in bytes per second.
 */
struct p4x_sched_class_params {
	uint32_t weight;    /* wfq share weight, 1..65535; 0: 1 */
	uint32_t quantum;   /* drr bytes per round; 0: 1514 */
	uint64_t budget_ns; /* edf deadline = arrival + budget; 0: 1 ms */
	uint64_t rate;	    /* tbf rate, bytes/s; 0: not shaped */
	uint32_t burst;	    /* tbf bucket depth, bytes; 0: 3028 */
};

#define P4X_SCHED_P_FAIR_BY_CLASS               \
	0x1 /* wfq: one virtual clock per class \
	     * instead of one per flow */

struct p4x_sched_params {
	size_t sz;	/* sizeof(struct p4x_sched_params) */
	uint32_t flags; /* P4X_SCHED_P_* */
	struct p4x_sched_class_params cls[P4X_SCHED_MAX_CLASSES];
};

struct p4x_sched_class_stats {
	uint64_t backlog_pkts, backlog_bytes;
	uint64_t enq_pkts, enq_bytes;
	uint64_t deq_pkts, deq_bytes;
	uint64_t drops[P4X_SCHED_DROP__COUNT];
};

struct p4x_sched_stats {
	uint64_t time_ns; /* CLOCK_MONOTONIC when taken, for rates */
	uint32_t nb_classes;
	uint32_t pending; /* packets waiting for their send time */
	struct p4x_sched_class_stats total;
	struct p4x_sched_class_stats cls[P4X_SCHED_MAX_CLASSES];
};

struct p4x_sched_flow_stat {
	uint32_t flow; /* flow slot */
	uint32_t backlog_pkts;
	uint32_t backlog_bytes;
};

/* Dequeue rates between two snapshots of the same scheduler. */
struct p4x_sched_rates {
	double enq_pps, deq_pps, deq_bps, drop_pps;
};

/*
 * Create a scheduler (policy: fifo). Returns it, or NULL with errno set
 * (EINVAL: bad option, logged with its name; ENOMEM). The caller owns it.
 */
struct p4x_sched *p4x_sched__new(const struct p4x_sched_opts *opts);

/*
 * Flush (through release) and free. Accepts NULL. The caller must make
 * sure the worker no longer uses @s.
 */
void p4x_sched__free(struct p4x_sched *s);

/*
 * Hand @n packets to the scheduler at time @now (ns, monotonic).
 * The scheduler owns them; those it drops are handed back through the
 * release callback before this returns. Returns how many were queued.
 */
unsigned int p4x_sched__enqueue_burst(struct p4x_sched *s,
				      const struct p4x_sched_pkt *pkts,
				      unsigned int n, uint64_t now);

/*
 * Take up to @n packets, lowest rank first among those whose send time is
 * <= @now, limited by the port rate if one is set. The caller owns them.
 * Returns the count.
 */
unsigned int p4x_sched__dequeue_burst(struct p4x_sched *s, uint64_t now,
				      struct p4x_sched_pkt *out,
				      unsigned int n);

/* Packets queued (eligible or waiting for their send time). */
uint32_t p4x_sched__count(const struct p4x_sched *s);

/*
 * Lower bound of the next time a waiting packet becomes eligible (ns);
 * UINT64_MAX when none waits. For the poll loop's sleep decision.
 */
uint64_t p4x_sched__next_time(struct p4x_sched *s);

/*
 * Drop everything queued (port down): counted as "flush" and handed back
 * through release. Returns how many packets were flushed. Worker thread.
 */
unsigned int p4x_sched__flush(struct p4x_sched *s);

/*
 * Switch to built-in policy @b with @params (NULL: all defaults). Queued
 * packets keep their ranks. 0 or -errno (EINVAL: bad parameter, logged).
 */
int p4x_sched__set_builtin(struct p4x_sched *s, enum p4x_sched_builtin b,
			   const struct p4x_sched_params *params);

/*
 * Change the parameters of the active built-in policy, keeping its state
 * (virtual clocks, token buckets). -EINVAL if the active policy is not a
 * built-in or a parameter is out of range; nothing changes then.
 */
int p4x_sched__set_params(struct p4x_sched *s,
			  const struct p4x_sched_params *params);

/*
 * Switch to the policy @ops with parameter text @params (see
 * p4x_sched_policy_ops.params_new). @ops must stay valid while in use.
 * 0 or -errno; on error nothing changes.
 */
int p4x_sched__set_policy(struct p4x_sched *s,
			  const struct p4x_sched_policy_ops *ops,
			  const char *params);

/*
 * dlopen the policy shared object at @path and switch to it. The object
 * is closed when the policy is replaced or the scheduler freed.
 * 0 or -errno (ENOENT/EINVAL: cannot load; EPROTO: ABI version mismatch or
 * missing slot; all logged with the path).
 */
int p4x_sched__load_policy(struct p4x_sched *s, const char *path,
			   const char *params);

/*
 * Limit the port to @rate bytes/s with a bucket of @burst bytes (0: 3028)
 * at dequeue, whatever the policy. @rate 0 removes the limit. 0 or -errno.
 */
int p4x_sched__set_port_rate(struct p4x_sched *s, uint64_t rate,
			     uint32_t burst);

/*
 * Name of the active policy (static, or owned by the policy object: valid
 * until the next policy change).
 */
const char *p4x_sched__policy_name(const struct p4x_sched *s);

/* Policy counters (see p4x_sched_policy_ops.stats); returns how many. */
unsigned int p4x_sched__policy_stats(struct p4x_sched *s,
				     struct p4x_sched_policy_stat *out,
				     unsigned int max);

/* Snapshot the counters. Any thread. */
void p4x_sched__stats(const struct p4x_sched *s, struct p4x_sched_stats *st);

/*
 * The up to @n flow slots with the largest byte backlog, largest first.
 * Returns how many were written. Any thread; O(nb_flows).
 */
unsigned int p4x_sched__top_flows(const struct p4x_sched *s,
				  struct p4x_sched_flow_stat *out,
				  unsigned int n);

/* Rates from snapshot @a to the later snapshot @b (totals). */
void p4x_sched_stats__rates(const struct p4x_sched_stats *a,
			    const struct p4x_sched_stats *b,
			    struct p4x_sched_rates *out);

/* JSON key of a drop cause, or NULL. */
const char *p4x_sched_drop_name(enum p4x_sched_drop d);

/* Name of a built-in ("wfq"), or NULL. */
const char *p4x_sched_builtin_name(enum p4x_sched_builtin b);

/* Built-in by name: 0 and *out set, or -EINVAL. */
int p4x_sched_builtin_parse(const char *name, enum p4x_sched_builtin *out);

#endif /* P4X_SCHED_H */
