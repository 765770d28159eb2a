// SPDX-License-Identifier: BSD-3-Clause
/*
 * Example user policy: per-flow fair queueing with a per-flow rate cap.
 *
 * Fairness: start-time fair queueing with one virtual clock per flow slot
 * (rank = start tag = max(virtual time, flow's last finish tag); finish =
 * start + len * 256). Virtual time is the start tag of the last packet
 * sent (dequeue hook). Cap: each flow slot has a token bucket (`cap`
 * bytes/s, `burst` bytes); a packet over the cap gets a later send time
 * and waits in the scheduler's calendar, so no flow exceeds
 * cap * t + burst. Per-flow state lives in a p4x_sched_flowtab.
 *
 * Parameters: cap=<bytes/s; 0 = no cap>, burst=<bytes; 3028>.
 * Build: cc -O2 -shared -fPIC -I include faircap.c -o faircap.so
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p4x/sched_policy.h"

struct faircap_params {
	uint64_t cap;	/* bytes/s */
	uint64_t burst; /* bytes */
	uint64_t ps_per_byte;
};

struct faircap_flow {
	uint64_t finish; /* last finish tag */
	uint64_t tat;	 /* ns: token bucket full again */
};

struct faircap_state {
	struct p4x_sched_flowtab flows;
	uint64_t vtime;
	uint64_t capped; /* packets delayed by the cap */
};

static int faircap_kv(const char *key, const char *val, void *arg)
{
	struct faircap_params *p = arg;
	char *end;
	unsigned long long v = strtoull(val, &end, 0);

	if (*end || !*val)
		return -22;
	if (!strcmp(key, "cap"))
		p->cap = v;
	else if (!strcmp(key, "burst") && v >= 64)
		p->burst = v;
	else
		return -22;
	return 0;
}

static void *faircap_params_new(const char *text, char *err, size_t errlen)
{
	struct faircap_params *p = calloc(1, sizeof(*p));

	if (!p) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->burst = 3028;
	if (p4x_sched_kv_parse(text, faircap_kv, p)) {
		snprintf(err, errlen,
			 "expected cap=<bytes/s>,burst=<bytes, >= 64>");
		free(p);
		return NULL;
	}
	/* round up: the cap is never exceeded */
	if (p->cap)
		p->ps_per_byte = (1000000000000ULL + p->cap - 1) / p->cap;
	return p;
}

static void *faircap_init(const struct p4x_sched_policy_args *args,
			  const void *params)
{
	struct faircap_state *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	if (p4x_sched_flowtab__init(&st->flows, args->nb_flows,
				    sizeof(struct faircap_flow))) {
		free(st);
		return NULL;
	}
	return st;
}

static void faircap_fini(void *state)
{
	struct faircap_state *st = state;

	p4x_sched_flowtab__fini(&st->flows);
	free(st);
}

/* Token bucket: earliest send time for @len bytes; charges the bucket. */
static uint64_t faircap_send_time(const struct faircap_params *p,
				  struct faircap_flow *f, uint32_t len,
				  uint64_t now)
{
	uint64_t room = p->burst > len ? p->burst - len : 0;
	uint64_t allow = room * p->ps_per_byte / 1000;
	uint64_t send = f->tat > allow ? f->tat - allow : 0;

	if (send < now)
		send = now;
	f->tat = (f->tat > send ? f->tat : send) +
		 ((uint64_t)len * p->ps_per_byte + 999) / 1000;
	return send;
}

static int faircap_enqueue(void *state, const void *params,
			   const struct p4x_sched_pkt *pkt, uint64_t now,
			   struct p4x_sched_out *out)
{
	struct faircap_state *st = state;
	const struct faircap_params *p = params;
	struct faircap_flow *f = p4x_sched_flowtab__get(&st->flows, pkt->flow);
	uint64_t start = f->finish > st->vtime ? f->finish : st->vtime;

	f->finish = start + ((uint64_t)pkt->len << 8);
	out->rank = start;
	out->send_time = p->cap ? faircap_send_time(p, f, pkt->len, now) : 0;
	if (out->send_time > now)
		__atomic_store_n(&st->capped, st->capped + 1, __ATOMIC_RELAXED);
	return P4X_SCHED_QUEUE;
}

static void faircap_dequeue(void *state, const void *params,
			    const struct p4x_sched_pkt *pkt, uint64_t now)
{
	struct faircap_state *st = state;

	if (pkt->rank > st->vtime)
		__atomic_store_n(&st->vtime, pkt->rank, __ATOMIC_RELAXED);
}

static unsigned int
faircap_stats(void *state, struct p4x_sched_policy_stat *out, unsigned int max)
{
	struct faircap_state *st = state;
	unsigned int n = 0;

	if (n < max)
		out[n++] = (struct p4x_sched_policy_stat){
			"capped",
			__atomic_load_n(&st->capped, __ATOMIC_RELAXED)};
	if (n < max)
		out[n++] = (struct p4x_sched_policy_stat){
			"vtime", __atomic_load_n(&st->vtime, __ATOMIC_RELAXED)};
	return n;
}

static const struct p4x_sched_policy_ops faircap_ops = {
	.abi_version = P4X_SCHED_POLICY_ABI_VERSION,
	.name = "faircap",
	.params_new = faircap_params_new,
	.params_free = free,
	.init = faircap_init,
	.enqueue = faircap_enqueue,
	.dequeue = faircap_dequeue,
	.fini = faircap_fini,
	.stats = faircap_stats,
};

P4X_SCHED_POLICY_EXPORT(faircap_ops)
