/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Scheduler policy ABI: what a policy (built-in or a user shared object)
 * implements so that the per-port scheduler (p4x/sched.h) can rank packets.
 *
 * A policy computes, at enqueue, a rank (lower is sent first) and an
 * optional earliest send time; the scheduler does the queueing (O(1)
 * bucketed priority queue plus a time calendar). A policy never sees or
 * owns packet memory: it gets a copy of the packet descriptor.
 *
 * A user policy is a shared object that exports one function,
 * P4X_SCHED_POLICY_SYMBOL, returning its ops table; use
 * P4X_SCHED_POLICY_EXPORT(ops) in the policy's source. Build it with
 * `cc -O2 -shared -fPIC -I<p4xsk>/include policy.c -o policy.so`. The
 * object may only use libc and this header: the engine exports no symbols
 * to it.
 *
 * Threads: params_new/params_free/init/fini/stats run on a control thread;
 * enqueue/dequeue run on the one worker that owns the scheduler, never
 * concurrently with each other. The state returned by init is used by
 * that worker only; stats may read it concurrently (read counters
 * relaxed: values can be slightly stale).
 */
#ifndef P4X_SCHED_POLICY_H
#define P4X_SCHED_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* Bumped on any incompatible change of the structures below. */
#define P4X_SCHED_POLICY_ABI_VERSION 1u

/* Name of the function a policy shared object exports. */
#define P4X_SCHED_POLICY_SYMBOL "p4x_sched_policy_get"

/* Classes a scheduler can have (class ids are 0 .. nb_classes-1). */
#define P4X_SCHED_MAX_CLASSES 64u

/* p4x_sched_pkt.flags */
#define P4X_SCHED_F_RANK 0x1 /* rank was set by the classifier */

/*
 * One packet as the scheduler sees it (32 bytes, copied in and out; the
 * scheduler keeps these in a preallocated pool, never allocates).
 * The engine fills it from the pipeline result: addr/len from the frame,
 * cls/flow/rank from a P4 table lookup or packet metadata.
 */
struct p4x_sched_pkt {
	uint64_t addr;	/* opaque handle (the engine's frame address) */
	uint64_t rank;	/* in: classifier rank if P4X_SCHED_F_RANK;
			 * out (dequeue): the rank the packet was queued with */
	uint32_t len;	/* bytes: bounds, fairness, shaping */
	uint32_t flow;	/* flow id (hash or table result); state is kept
			 * per (flow & (nb_flows - 1)) */
	uint16_t cls;	/* class, < nb_classes */
	uint16_t flags; /* P4X_SCHED_F_* */
	uint32_t user;	/* opaque metadata, returned unchanged; policies may
			 * read it (e.g. a slack or deadline from the program) */
};

/* What a policy decides for one packet. */
struct p4x_sched_out {
	uint64_t rank;	    /* lower ranks leave first */
	uint64_t send_time; /* ns, same clock as `now`; <= now: eligible at
			     * once, else held in the calendar until then */
};

/* Return values of enqueue. */
#define P4X_SCHED_QUEUE 0 /* queue with out->rank / out->send_time */
#define P4X_SCHED_DROP 1  /* drop, counted as drop cause "policy" */

/* Handed to init: the scheduler's shape. Valid during init only. */
struct p4x_sched_policy_args {
	uint32_t nb_classes; /* classes the scheduler accepts */
	uint32_t nb_flows;   /* flow slots (power of two) */
	uint8_t rank_shift;  /* ranks are ordered by rank >> rank_shift */
	uint8_t time_shift;  /* send times are rounded up to 2^time_shift ns */
};

/* A named counter exported by a policy (stats slot). */
struct p4x_sched_policy_stat {
	const char *name; /* static string owned by the policy */
	uint64_t value;
};

struct p4x_sched_policy_ops {
	/* Must be P4X_SCHED_POLICY_ABI_VERSION. */
	uint32_t abi_version;
	/* Short name, static, non-NULL ("lstf"). */
	const char *name;
	/*
	 * Parse @text (a "key=value,key=value" list, or NULL for defaults)
	 * into an immutable parameter block. Returns the block (owned by the
	 * scheduler, released with params_free), or NULL with a reason in
	 * @err (NUL-terminated, at most @errlen bytes).
	 * NULL slot: the policy takes no parameters (text must be NULL or "").
	 */
	void *(*params_new)(const char *text, char *err, size_t errlen);
	/* Free a block from params_new. Must be non-NULL if params_new is. */
	void (*params_free)(void *params);
	/*
	 * Create the per-scheduler state; @params is the current block (may
	 * be NULL when params_new is NULL). Returns the state (owned by the
	 * scheduler until fini) or NULL with errno set. Must be non-NULL.
	 */
	void *(*init)(const struct p4x_sched_policy_args *args,
		      const void *params);
	/*
	 * Rank one packet arriving at @now (ns). @params is the block current
	 * for this burst: parameters can change between bursts, the state
	 * stays. Fill @out and return P4X_SCHED_QUEUE, or return
	 * P4X_SCHED_DROP. The packet may still be dropped later by the queue
	 * bounds. Must be non-NULL.
	 */
	int (*enqueue)(void *state, const void *params,
		       const struct p4x_sched_pkt *pkt, uint64_t now,
		       struct p4x_sched_out *out);
	/*
	 * Called for each packet leaving the scheduler (pkt->rank is the rank
	 * it was queued with, possibly by a previous policy).
	 * NULL: nothing to do on dequeue.
	 */
	void (*dequeue)(void *state, const void *params,
			const struct p4x_sched_pkt *pkt, uint64_t now);
	/* Free the state. NULL: the state is freed with free(). */
	void (*fini)(void *state);
	/*
	 * Copy up to @max counters into @out; returns how many. Runs on a
	 * control thread while the worker updates the state.
	 * NULL: no policy counters.
	 */
	unsigned int (*stats)(void *state, struct p4x_sched_policy_stat *out,
			      unsigned int max);
};

typedef const struct p4x_sched_policy_ops *(*p4x_sched_policy_get_fn)(void);

#define P4X_SCHED_POLICY_EXPORT(ops)                                   \
	const struct p4x_sched_policy_ops *p4x_sched_policy_get(void); \
	const struct p4x_sched_policy_ops *p4x_sched_policy_get(void)  \
	{                                                              \
		return &(ops);                                         \
	}

/*
 * Per-flow state helper: a table of fixed-size slots indexed by
 * flow & mask, allocated once by the policy in init (never per packet).
 * Flows that share a slot share state, as in fq_codel's flow buckets.
 */
struct p4x_sched_flowtab {
	uint32_t mask;	 /* nb slots - 1 */
	uint32_t stride; /* bytes per slot */
	unsigned char *slots;
};

/* Allocate @nb (power of two) zeroed slots of @stride bytes: 0 or -errno. */
static inline int p4x_sched_flowtab__init(struct p4x_sched_flowtab *t,
					  uint32_t nb, uint32_t stride)
{
	if (!nb || (nb & (nb - 1)) || !stride)
		return -22; /* EINVAL */
	t->slots = (unsigned char *)calloc(nb, stride);
	if (!t->slots)
		return -12; /* ENOMEM */
	t->mask = nb - 1;
	t->stride = stride;
	return 0;
}

static inline void *p4x_sched_flowtab__get(const struct p4x_sched_flowtab *t,
					   uint32_t flow)
{
	return t->slots + (size_t)(flow & t->mask) * t->stride;
}

static inline void p4x_sched_flowtab__fini(struct p4x_sched_flowtab *t)
{
	free(t->slots);
	t->slots = NULL;
}

/*
 * Parse one "key=value" list for params_new: calls @fn for each pair.
 * Keys and values are at most 63 bytes. Returns 0, or the first non-zero
 * value returned by @fn, or -22 (EINVAL) on a malformed list.
 */
static inline int p4x_sched_kv_parse(const char *text,
				     int (*fn)(const char *key, const char *val,
					       void *arg),
				     void *arg)
{
	char key[64], val[64];
	size_t k, v;
	int ret;

	while (text && *text) {
		for (k = 0; *text && *text != '=' && *text != ','; text++)
			if (k < sizeof(key) - 1)
				key[k++] = *text;
			else
				return -22;
		if (*text != '=' || !k)
			return -22;
		for (v = 0, text++; *text && *text != ','; text++)
			if (v < sizeof(val) - 1)
				val[v++] = *text;
			else
				return -22;
		key[k] = '\0';
		val[v] = '\0';
		ret = fn(key, val, arg);
		if (ret)
			return ret;
		if (*text == ',')
			text++;
	}
	return 0;
}

#endif /* P4X_SCHED_POLICY_H */
