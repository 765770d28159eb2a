// SPDX-License-Identifier: BSD-3-Clause
/* Scheduler statistics: snapshots, top flows, rates. Any thread. */
#include <string.h>
#include <time.h>

#include "sched_int.h"

static void class_read(const struct p4x_sched_cls_cnt *c,
		       struct p4x_sched_class_stats *out)
{
	uint64_t gone, gone_bytes = P4X_CNT_READ(&c->gone_bytes);

	out->deq_pkts = P4X_CNT_READ(&c->deq_pkts);
	out->deq_bytes = P4X_CNT_READ(&c->deq_bytes);
	for (int d = 0; d < P4X_SCHED_DROP__COUNT; d++)
		out->drops[d] = P4X_CNT_READ(&c->drops[d]);
	out->enq_pkts = P4X_CNT_READ(&c->enq_pkts);
	out->enq_bytes = P4X_CNT_READ(&c->enq_bytes);
	/* read without a lock: clamp transient underflows to 0 */
	gone = out->deq_pkts + out->drops[P4X_SCHED_DROP_EVICTED] +
	       out->drops[P4X_SCHED_DROP_FLUSH];
	out->backlog_pkts = out->enq_pkts > gone ? out->enq_pkts - gone : 0;
	gone_bytes += out->deq_bytes;
	out->backlog_bytes =
		out->enq_bytes > gone_bytes ? out->enq_bytes - gone_bytes : 0;
}

static void class_sum(struct p4x_sched_class_stats *t,
		      const struct p4x_sched_class_stats *c)
{
	t->backlog_pkts += c->backlog_pkts;
	t->backlog_bytes += c->backlog_bytes;
	t->enq_pkts += c->enq_pkts;
	t->enq_bytes += c->enq_bytes;
	t->deq_pkts += c->deq_pkts;
	t->deq_bytes += c->deq_bytes;
	for (int d = 0; d < P4X_SCHED_DROP__COUNT; d++)
		t->drops[d] += c->drops[d];
}

void p4x_sched__stats(const struct p4x_sched *s, struct p4x_sched_stats *st)
{
	struct timespec ts;

	memset(st, 0, sizeof(*st));
	clock_gettime(CLOCK_MONOTONIC, &ts);
	st->time_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	st->nb_classes = s->nb_classes;
	st->pending = __atomic_load_n(&s->cal->count, __ATOMIC_RELAXED);
	for (uint32_t c = 0; c < s->nb_classes; c++) {
		class_read(&s->cls[c], &st->cls[c]);
		class_sum(&st->total, &st->cls[c]);
	}
	st->total.drops[P4X_SCHED_DROP_BAD_CLASS] +=
		P4X_CNT_READ(&s->bad_class);
}

/* Insert @f into @out (sorted by bytes, descending) holding *@n of @max. */
static void top_insert(struct p4x_sched_flow_stat *out, unsigned int *n,
		       unsigned int max, const struct p4x_sched_flow_stat *f)
{
	unsigned int i = *n < max ? (*n)++ : max;

	if (i == max) {
		if (out[max - 1].backlog_bytes >= f->backlog_bytes)
			return;
		i = max - 1;
	}
	while (i > 0 && out[i - 1].backlog_bytes < f->backlog_bytes) {
		out[i] = out[i - 1];
		i--;
	}
	out[i] = *f;
}

unsigned int p4x_sched__top_flows(const struct p4x_sched *s,
				  struct p4x_sched_flow_stat *out,
				  unsigned int n)
{
	unsigned int got = 0;

	if (!n)
		return 0;
	for (uint32_t i = 0; i <= s->flow_mask; i++) {
		uint64_t w = P4X_CNT_READ(&s->flows[i]);
		struct p4x_sched_flow_stat f = {
			.flow = i,
			.backlog_pkts = (uint32_t)(w >> P4X_FLOW_PKT_SHIFT),
			.backlog_bytes = (uint32_t)(w & P4X_FLOW_BYTES_MASK),
		};

		if (f.backlog_pkts)
			top_insert(out, &got, n, &f);
	}
	return got;
}

void p4x_sched_stats__rates(const struct p4x_sched_stats *a,
			    const struct p4x_sched_stats *b,
			    struct p4x_sched_rates *out)
{
	double dt = (double)(b->time_ns - a->time_ns) / 1e9;
	uint64_t da = 0, db = 0;

	memset(out, 0, sizeof(*out));
	if (dt <= 0)
		return;
	for (int d = 0; d < P4X_SCHED_DROP__COUNT; d++) {
		da += a->total.drops[d];
		db += b->total.drops[d];
	}
	out->enq_pps = (double)(b->total.enq_pkts - a->total.enq_pkts) / dt;
	out->deq_pps = (double)(b->total.deq_pkts - a->total.deq_pkts) / dt;
	out->deq_bps =
		8.0 * (double)(b->total.deq_bytes - a->total.deq_bytes) / dt;
	out->drop_pps = (double)(db - da) / dt;
}
