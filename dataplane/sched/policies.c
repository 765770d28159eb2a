// SPDX-License-Identifier: BSD-3-Clause
/*
 * Built-in policies, written against the same ABI as user policies
 * (p4x/sched_policy.h). Their parameter block is a struct
 * p4x_sched_params; the rank rules are stated in docs/scheduler.md and
 * mirrored by the reference model in tests/unit/sched.
 */
#include <errno.h>
#include <stdlib.h>

#include "p4x/log.h"
#include "sched_int.h"

#define DEF_QUANTUM 1514u
#define DEF_BUDGET_NS 1000000u
#define DEF_BURST 3028u
#define DRR_CLASS_BITS 6 /* rank = round << 6 | class (64 classes) */

struct builtin_state {
	uint32_t nb_classes;
	uint32_t finish_mask;
	uint64_t *finish; /* wfq: finish tag per flow slot (or class) */
	uint64_t vtime;	  /* wfq: start tag of the last packet sent */
	uint64_t round;	  /* drr: round of the last packet sent */
	uint64_t delayed; /* tbf: packets given a future send time */
	uint64_t drr_round[P4X_SCHED_MAX_CLASSES];
	uint64_t drr_credit[P4X_SCHED_MAX_CLASSES];
	uint64_t tat[P4X_SCHED_MAX_CLASSES];
	uint64_t npb[P4X_SCHED_MAX_CLASSES]; /* cached for npb_rate */
	uint64_t npb_rate[P4X_SCHED_MAX_CLASSES];
	const void *recip_params; /* wfq: block recip[] was computed for */
	uint64_t recip[P4X_SCHED_MAX_CLASSES]; /* floor(2^40 / weight) */
};

int p4x_sched_params_check(const struct p4x_sched_params *p,
			   uint32_t nb_classes)
{
	if (p->flags & ~(uint32_t)P4X_SCHED_P_FAIR_BY_CLASS) {
		p4x_warn("sched params: unknown flags 0x%x", p->flags);
		return -EINVAL;
	}
	for (uint32_t c = 0; c < nb_classes; c++) {
		const struct p4x_sched_class_params *k = &p->cls[c];

		if (k->weight > 65535 || (k->quantum && k->quantum < 64) ||
		    (k->burst && k->burst < 64)) {
			p4x_warn("sched params: class %u: weight %u (max "
				 "65535), "
				 "quantum %u or burst %u (min 64) out of range",
				 c, k->weight, k->quantum, k->burst);
			return -EINVAL;
		}
	}
	return 0;
}

static void *builtin_init(const struct p4x_sched_policy_args *args,
			  const void *params)
{
	struct builtin_state *st = calloc(1, sizeof(*st));
	uint32_t n = P4X_MAX(args->nb_flows, P4X_SCHED_MAX_CLASSES);

	if (!st)
		return NULL;
	st->nb_classes = args->nb_classes;
	st->finish_mask = args->nb_flows - 1;
	st->finish = calloc(n, sizeof(*st->finish));
	if (!st->finish) {
		free(st);
		errno = ENOMEM;
		return NULL;
	}
	return st;
}

static void builtin_fini(void *state)
{
	struct builtin_state *st = state;

	free(st->finish);
	free(st);
}

static unsigned int
builtin_stats(void *state, struct p4x_sched_policy_stat *out, unsigned int max)
{
	const struct builtin_state *st = state;
	const struct p4x_sched_policy_stat all[] = {
		{"vtime", __atomic_load_n(&st->vtime, __ATOMIC_RELAXED)},
		{"round", __atomic_load_n(&st->round, __ATOMIC_RELAXED)},
		{"delayed", __atomic_load_n(&st->delayed, __ATOMIC_RELAXED)},
	};
	unsigned int n = P4X_MIN(max, P4X_ARRAY_SIZE(all));

	for (unsigned int i = 0; i < n; i++)
		out[i] = all[i];
	return n;
}

static int fifo_enqueue(void *state, const void *params,
			const struct p4x_sched_pkt *pkt, uint64_t now,
			struct p4x_sched_out *out)
{
	out->rank = 0;
	out->send_time = 0;
	return P4X_SCHED_QUEUE;
}

static int strict_enqueue(void *state, const void *params,
			  const struct p4x_sched_pkt *pkt, uint64_t now,
			  struct p4x_sched_out *out)
{
	out->rank = pkt->flags & P4X_SCHED_F_RANK ? pkt->rank : pkt->cls;
	out->send_time = 0;
	return P4X_SCHED_QUEUE;
}

/* Per-class 2^40 / weight, recomputed when the parameter block changes. */
static void wfq_recip(struct builtin_state *st,
		      const struct p4x_sched_params *p)
{
	for (uint32_t c = 0; c < st->nb_classes; c++)
		st->recip[c] = (1ULL << 40) / (p->cls[c].weight ?: 1);
	st->recip_params = p;
}

/* Start-time fair queueing: cost = len * 256 / weight, as len * recip >> 32. */
static int wfq_enqueue(void *state, const void *params,
		       const struct p4x_sched_pkt *pkt, uint64_t now,
		       struct p4x_sched_out *out)
{
	struct builtin_state *st = state;
	const struct p4x_sched_params *p = params;
	uint32_t key = p->flags & P4X_SCHED_P_FAIR_BY_CLASS
			       ? pkt->cls
			       : pkt->flow & st->finish_mask;
	uint64_t *f = &st->finish[key];
	uint64_t start = *f > st->vtime ? *f : st->vtime;

	if (p4x_unlikely(st->recip_params != params))
		wfq_recip(st, p);
	*f = start + ((pkt->len * st->recip[pkt->cls]) >> 32);
	out->rank = start;
	out->send_time = 0;
	return P4X_SCHED_QUEUE;
}

static void wfq_dequeue(void *state, const void *params,
			const struct p4x_sched_pkt *pkt, uint64_t now)
{
	struct builtin_state *st = state;

	if (pkt->rank > st->vtime)
		__atomic_store_n(&st->vtime, pkt->rank, __ATOMIC_RELAXED);
}

static int drr_enqueue(void *state, const void *params,
		       const struct p4x_sched_pkt *pkt, uint64_t now,
		       struct p4x_sched_out *out)
{
	struct builtin_state *st = state;
	const struct p4x_sched_params *p = params;
	uint64_t q = p->cls[pkt->cls].quantum ?: DEF_QUANTUM;
	uint64_t *round = &st->drr_round[pkt->cls];
	uint64_t *credit = &st->drr_credit[pkt->cls];

	if (*round < st->round) {
		*round = st->round;
		*credit = q;
	}
	while (*credit < pkt->len) { /* quantum >= 64: at most 1024 rounds */
		(*round)++;
		*credit += q;
	}
	*credit -= pkt->len;
	out->rank = *round << DRR_CLASS_BITS | pkt->cls;
	out->send_time = 0;
	return P4X_SCHED_QUEUE;
}

static void drr_dequeue(void *state, const void *params,
			const struct p4x_sched_pkt *pkt, uint64_t now)
{
	struct builtin_state *st = state;
	uint64_t r = pkt->rank >> DRR_CLASS_BITS;

	if (r > st->round)
		__atomic_store_n(&st->round, r, __ATOMIC_RELAXED);
}

static int edf_enqueue(void *state, const void *params,
		       const struct p4x_sched_pkt *pkt, uint64_t now,
		       struct p4x_sched_out *out)
{
	const struct p4x_sched_params *p = params;

	if (pkt->flags & P4X_SCHED_F_RANK)
		out->rank = pkt->rank;
	else
		out->rank = now + (p->cls[pkt->cls].budget_ns ?: DEF_BUDGET_NS);
	out->send_time = 0;
	return P4X_SCHED_QUEUE;
}

/*
 * Token bucket per class (bucket full at tat): the packet leaves no
 * earlier than the bucket holds len bytes; rank = send time (earliest
 * eligible first, as in EDT/Carousel).
 */
static int tbf_enqueue(void *state, const void *params,
		       const struct p4x_sched_pkt *pkt, uint64_t now,
		       struct p4x_sched_out *out)
{
	struct builtin_state *st = state;
	const struct p4x_sched_class_params *k =
		&((const struct p4x_sched_params *)params)->cls[pkt->cls];
	uint16_t c = pkt->cls;
	uint64_t send = now;

	if (k->rate) {
		if (p4x_unlikely(st->npb_rate[c] != k->rate)) {
			st->npb[c] = p4x_sched_npb(k->rate);
			st->npb_rate[c] = k->rate;
		}
		send = p4x_sched_tb_time(st->tat[c], st->npb[c],
					 k->burst ?: DEF_BURST, pkt->len);
		if (send > now)
			__atomic_store_n(&st->delayed, st->delayed + 1,
					 __ATOMIC_RELAXED);
		else
			send = now;
		st->tat[c] = (st->tat[c] > send ? st->tat[c] : send) +
			     p4x_sched_tx_ns(st->npb[c], pkt->len);
	}
	out->rank = send;
	out->send_time = send;
	return P4X_SCHED_QUEUE;
}

#define BUILTIN_OPS(nm, enq, deq)                                        \
	{                                                                \
		.abi_version = P4X_SCHED_POLICY_ABI_VERSION, .name = nm, \
		.init = builtin_init, .enqueue = enq, .dequeue = deq,    \
		.fini = builtin_fini, .stats = builtin_stats,            \
	}

static const struct p4x_sched_policy_ops builtin_ops[] = {
	[P4X_SCHED_FIFO] = BUILTIN_OPS("fifo", fifo_enqueue, NULL),
	[P4X_SCHED_STRICT] = BUILTIN_OPS("strict", strict_enqueue, NULL),
	[P4X_SCHED_WFQ] = BUILTIN_OPS("wfq", wfq_enqueue, wfq_dequeue),
	[P4X_SCHED_DRR] = BUILTIN_OPS("drr", drr_enqueue, drr_dequeue),
	[P4X_SCHED_EDF] = BUILTIN_OPS("edf", edf_enqueue, NULL),
	[P4X_SCHED_TBF] = BUILTIN_OPS("tbf", tbf_enqueue, NULL),
};

const struct p4x_sched_policy_ops *
p4x_sched_builtin_ops(enum p4x_sched_builtin b)
{
	return &builtin_ops[b];
}
