// SPDX-License-Identifier: BSD-3-Clause
/*
 * Every built-in policy against the reference model (ref.c) on generated
 * arrival traces: the departure order, ranks and drop decisions (which
 * packet, in which order) must match exactly, with tail-drop and
 * drop-worst, with and without a port rate.
 */
#include <string.h>

#include "ref.h"
#include "sched_test.h"

#define NB_CLASSES 4
#define STEPS 15000

struct cfg {
	enum p4x_sched_builtin policy;
	int drop_worst;
	uint8_t rank_shift;
	uint32_t nb_buckets;
	uint32_t flags;
	uint64_t port_rate;
};

static const struct cfg cfgs[] = {
	{P4X_SCHED_FIFO, 0, 0, 64, 0, 0},
	{P4X_SCHED_FIFO, 1, 0, 4096, 0, 0},
	{P4X_SCHED_STRICT, 0, 0, 64, 0, 0},
	{P4X_SCHED_STRICT, 1, 0, 4096, 0, 0},
	{P4X_SCHED_WFQ, 0, 8, 4096, 0, 0},
	{P4X_SCHED_WFQ, 1, 8, 4096, 0, 0},
	{P4X_SCHED_WFQ, 0, 4, 4096, P4X_SCHED_P_FAIR_BY_CLASS, 0},
	{P4X_SCHED_DRR, 0, 0, 64, 0, 0},
	{P4X_SCHED_DRR, 1, 0, 4096, 0, 0},
	{P4X_SCHED_EDF, 0, 10, 4096, 0, 0},
	{P4X_SCHED_EDF, 1, 8, 4096, 0, 0},
	{P4X_SCHED_TBF, 0, 0, 4096, 0, 0},
	{P4X_SCHED_TBF, 0, 0, 64, 0, 0},
	{P4X_SCHED_TBF, 1, 6, 4096, 0, 0},
	{P4X_SCHED_STRICT, 0, 0, 4096, 0, 20000000},
	{P4X_SCHED_WFQ, 1, 8, 4096, 0, 5000000},
};

static void params_fill(struct p4x_sched_params *p, uint32_t flags)
{
	static const uint32_t weight[] = {1, 2, 4, 8};
	static const uint32_t quantum[] = {500, 1000, 1514, 3000};
	static const uint64_t budget[] = {50000, 200000, 1000000, 30000};
	static const uint64_t rate[] = {0, 2000000, 10000000, 500000};
	static const uint32_t burst[] = {0, 3000, 6056, 2000};

	memset(p, 0, sizeof(*p));
	p->sz = sizeof(*p);
	p->flags = flags;
	for (int c = 0; c < NB_CLASSES; c++) {
		p->cls[c].weight = weight[c];
		p->cls[c].quantum = quantum[c];
		p->cls[c].budget_ns = budget[c];
		p->cls[c].rate = rate[c];
		p->cls[c].burst = burst[c];
	}
}

static struct p4x_sched_pkt gen_pkt(uint64_t *rng, enum p4x_sched_builtin pol,
				    uint64_t id, uint64_t now)
{
	struct p4x_sched_pkt p = {
		.addr = id,
		.len = t_range(rng, 64, 1514),
		.flow = t_range(rng, 0, 63),
		.cls = (uint16_t)t_range(rng, 0, NB_CLASSES - 1),
		.user = (uint32_t)t_rand(rng),
	};

	if (t_range(rng, 0, 99) == 0)
		p.cls = NB_CLASSES + 5; /* out of range: must be dropped */
	if ((pol == P4X_SCHED_STRICT || pol == P4X_SCHED_EDF) &&
	    t_range(rng, 0, 9) == 0) {
		p.flags = P4X_SCHED_F_RANK;
		p.rank = pol == P4X_SCHED_STRICT
				 ? t_range(rng, 0, 7)
				 : now + t_range(rng, 0, 500000);
	}
	return p;
}

static void check_drops(const struct t_drops *d, const struct ref_sched *r)
{
	CHECK(d->n == r->nb_drops, "drops: scheduler %u, reference %u", d->n,
	      r->nb_drops);
	for (unsigned int i = 0; i < d->n; i++)
		CHECK(d->pkts[i].addr == r->drops[i].addr,
		      "drop #%u: scheduler pkt %lu, reference pkt %lu", i,
		      (unsigned long)d->pkts[i].addr,
		      (unsigned long)r->drops[i].addr);
}

static void do_dequeue(struct p4x_sched *s, struct ref_sched *r, uint64_t now,
		       unsigned int n, uint64_t *deq)
{
	struct p4x_sched_pkt a[16], b[16];
	unsigned int na = p4x_sched__dequeue_burst(s, now, a, n);
	unsigned int nb = ref_dequeue(r, now, b, n);

	CHECK(na == nb, "dequeue at %lu: scheduler %u pkts, reference %u",
	      (unsigned long)now, na, nb);
	for (unsigned int i = 0; i < na; i++) {
		CHECK(a[i].addr == b[i].addr && a[i].rank == b[i].rank,
		      "dequeue at %lu #%u: scheduler pkt %lu rank %lu, "
		      "reference pkt %lu rank %lu",
		      (unsigned long)now, i, (unsigned long)a[i].addr,
		      (unsigned long)a[i].rank, (unsigned long)b[i].addr,
		      (unsigned long)b[i].rank);
		CHECK(a[i].len == b[i].len && a[i].user == b[i].user &&
			      a[i].flow == b[i].flow && a[i].cls == b[i].cls,
		      "packet %lu metadata changed", (unsigned long)a[i].addr);
	}
	*deq += na;
}

static int cmp_addr(const void *a, const void *b)
{
	uint64_t x = ((const struct p4x_sched_pkt *)a)->addr;
	uint64_t y = ((const struct p4x_sched_pkt *)b)->addr;

	return x < y ? -1 : x > y;
}

/* Flush hands back exactly what the reference still holds. */
static void check_flush(struct p4x_sched *s, struct t_drops *d,
			struct ref_sched *r)
{
	unsigned int before = d->n;
	unsigned int n = p4x_sched__flush(s);

	CHECK(n == r->n && d->n - before == r->n,
	      "flush: %u flushed, %u released, reference holds %u", n,
	      d->n - before, r->n);
	qsort(d->pkts + before, n, sizeof(*d->pkts), cmp_addr);
	for (unsigned int i = 0; i < r->n; i++)
		r->drops[i] = r->q[i].pkt;
	qsort(r->drops, r->n, sizeof(*r->drops), cmp_addr);
	for (unsigned int i = 0; i < n; i++)
		CHECK(d->pkts[before + i].addr == r->drops[i].addr,
		      "flush #%u differs", i);
	CHECK(p4x_sched__count(s) == 0, "not empty after flush");
}

static void check_stats(struct p4x_sched *s, uint64_t queued, uint64_t deq,
			unsigned int drops)
{
	struct p4x_sched_stats st;
	uint64_t sum = 0;

	p4x_sched__stats(s, &st);
	for (int d = 0; d < P4X_SCHED_DROP__COUNT; d++)
		sum += st.total.drops[d];
	CHECK(st.total.enq_pkts == queued && st.total.deq_pkts == deq &&
		      sum == drops && st.total.backlog_pkts == 0,
	      "stats: enq %lu/%lu deq %lu/%lu drops %lu/%u backlog %lu",
	      (unsigned long)st.total.enq_pkts, (unsigned long)queued,
	      (unsigned long)st.total.deq_pkts, (unsigned long)deq,
	      (unsigned long)sum, drops, (unsigned long)st.total.backlog_pkts);
}

static void run(const struct cfg *c, uint64_t seed)
{
	static struct ref_sched r;
	static struct p4x_sched_pkt log[1 << 16];
	struct t_drops d = {.pkts = log, .cap = 1 << 16};
	struct p4x_sched_opts o = {
		.sz = sizeof(o),
		.max_pkts = 64,
		.max_bytes = 40000,
		.nb_classes = NB_CLASSES,
		.nb_flows = 64,
		.nb_buckets = c->nb_buckets,
		.rank_shift = c->rank_shift,
		.drop_policy = c->drop_worst ? P4X_SCHED_DROP_WORST
					     : P4X_SCHED_TAIL_DROP,
		.release = t_release,
		.release_arg = &d,
	};
	struct p4x_sched *s = p4x_sched__new(&o);
	uint64_t rng = seed, now = 1000000000, id = 0, queued = 0, deq = 0;

	CHECK(s, "p4x_sched__new failed");
	memset(&r, 0, sizeof(r));
	r.policy = c->policy;
	params_fill(&r.prm, c->flags);
	r.max_pkts = 64;
	r.max_bytes = 40000;
	r.nb_classes = NB_CLASSES;
	r.flow_mask = 63;
	r.rank_shift = c->rank_shift;
	r.time_shift = 10;
	r.drop_worst = c->drop_worst;
	r.port_rate = c->port_rate;
	r.port_burst = 3028;
	CHECK(!p4x_sched__set_builtin(s, c->policy, &r.prm), "set_builtin");
	if (c->port_rate)
		CHECK(!p4x_sched__set_port_rate(s, c->port_rate, 0), "rate");
	for (int step = 0; step < STEPS; step++) {
		now += t_range(&rng, 0, 2000);
		if (t_range(&rng, 0, 199) == 0)
			now += 5000000;
		if (t_range(&rng, 0, 99) < 55) {
			struct p4x_sched_pkt p[8];
			unsigned int n = t_range(&rng, 1, 8);

			for (unsigned int i = 0; i < n; i++) {
				p[i] = gen_pkt(&rng, c->policy, id++, now);
				ref_enqueue(&r, &p[i], now);
			}
			queued += p4x_sched__enqueue_burst(s, p, n, now);
			check_drops(&d, &r);
		} else {
			do_dequeue(s, &r, now, t_range(&rng, 1, 8), &deq);
		}
		CHECK(p4x_sched__count(s) == r.n, "count %u, reference %u",
		      p4x_sched__count(s), r.n);
	}
	check_flush(s, &d, &r);
	check_stats(s, queued, deq, d.n);
	p4x_sched__free(s);
}

int main(void)
{
	for (unsigned int i = 0; i < P4X_ARRAY_SIZE(cfgs); i++) {
		for (uint64_t seed = 1; seed <= 2; seed++)
			run(&cfgs[i], seed * 0x9e3779b97f4a7c15ULL);
		printf("ok %u - %s drop_%s buckets %u shift %u port %lu\n",
		       i + 1, p4x_sched_builtin_name(cfgs[i].policy),
		       cfgs[i].drop_worst ? "worst" : "tail",
		       cfgs[i].nb_buckets, cfgs[i].rank_shift,
		       (unsigned long)cfgs[i].port_rate);
	}
	return 0;
}
