// SPDX-License-Identifier: BSD-3-Clause
/*
 * Example user policy: least slack time first (LSTF).
 *
 * Each packet carries a slack budget: p4x_sched_pkt.user in microseconds
 * when the P4 program set it (non-zero), else the `slack_us` parameter.
 * Its rank is the latest time it can start transmission and still meet
 * its budget: arrival + slack - its own transmission time at `rate`.
 * Lower rank = less slack = sent first.
 *
 * Parameters: slack_us=<default slack, us; 1000>, rate=<bytes/s; 1.25e9>.
 * Build: cc -O2 -shared -fPIC -I include lstf.c -o lstf.so
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p4x/sched_policy.h"

struct lstf_params {
	uint64_t slack_ns;
	uint64_t ps_per_byte; /* picoseconds per byte at the port rate */
};

struct lstf_state {
	uint64_t from_meta; /* packets whose slack came from metadata */
	uint64_t defaulted; /* packets that used slack_us */
};

static int lstf_kv(const char *key, const char *val, void *arg)
{
	struct lstf_params *p = arg;
	char *end;
	unsigned long long v = strtoull(val, &end, 0);

	if (*end || !*val)
		return -22;
	if (!strcmp(key, "slack_us"))
		p->slack_ns = v * 1000;
	else if (!strcmp(key, "rate") && v)
		p->ps_per_byte = 1000000000000ULL / v;
	else
		return -22;
	return 0;
}

static void *lstf_params_new(const char *text, char *err, size_t errlen)
{
	struct lstf_params *p = calloc(1, sizeof(*p));

	if (!p) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->slack_ns = 1000000;
	p->ps_per_byte = 800; /* 10 Gbit/s */
	if (p4x_sched_kv_parse(text, lstf_kv, p)) {
		snprintf(err, errlen, "expected slack_us=<us>,rate=<bytes/s>");
		free(p);
		return NULL;
	}
	return p;
}

static void *lstf_init(const struct p4x_sched_policy_args *args,
		       const void *params)
{
	return calloc(1, sizeof(struct lstf_state));
}

static int lstf_enqueue(void *state, const void *params,
			const struct p4x_sched_pkt *pkt, uint64_t now,
			struct p4x_sched_out *out)
{
	struct lstf_state *st = state;
	const struct lstf_params *p = params;
	uint64_t slack = p->slack_ns;
	uint64_t tx = (uint64_t)pkt->len * p->ps_per_byte / 1000;

	if (pkt->user) {
		slack = (uint64_t)pkt->user * 1000;
		__atomic_store_n(&st->from_meta, st->from_meta + 1,
				 __ATOMIC_RELAXED);
	} else {
		__atomic_store_n(&st->defaulted, st->defaulted + 1,
				 __ATOMIC_RELAXED);
	}
	out->rank = now + (slack > tx ? slack - tx : 0);
	out->send_time = 0;
	return P4X_SCHED_QUEUE;
}

static unsigned int lstf_stats(void *state, struct p4x_sched_policy_stat *out,
			       unsigned int max)
{
	struct lstf_state *st = state;
	unsigned int n = 0;

	if (n < max)
		out[n++] = (struct p4x_sched_policy_stat){
			"from_meta",
			__atomic_load_n(&st->from_meta, __ATOMIC_RELAXED)};
	if (n < max)
		out[n++] = (struct p4x_sched_policy_stat){
			"defaulted",
			__atomic_load_n(&st->defaulted, __ATOMIC_RELAXED)};
	return n;
}

static const struct p4x_sched_policy_ops lstf_ops = {
	.abi_version = P4X_SCHED_POLICY_ABI_VERSION,
	.name = "lstf",
	.params_new = lstf_params_new,
	.params_free = free,
	.init = lstf_init,
	.enqueue = lstf_enqueue,
	.stats = lstf_stats,
};

P4X_SCHED_POLICY_EXPORT(lstf_ops)
