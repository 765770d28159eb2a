// SPDX-License-Identifier: BSD-3-Clause
/*
 * Scheduler properties on long generated traces: FIFO order, strict
 * priority, WFQ/DRR shares, shaping and port-rate conformance, ranks far
 * beyond the bucket range, bounds and drop policies, flush, stats and
 * option validation.
 */
#include <errno.h>
#include <string.h>

#include "ref.h"
#include "sched_test.h"

static struct p4x_sched_pkt drop_log[1 << 16];
static struct t_drops drops = {.pkts = drop_log, .cap = 1 << 16};

static struct p4x_sched *mk(uint32_t max_pkts, uint32_t max_bytes,
			    uint32_t buckets, uint8_t shift, int worst)
{
	struct p4x_sched_opts o = {
		.sz = sizeof(o),
		.max_pkts = max_pkts,
		.max_bytes = max_bytes,
		.nb_classes = 8,
		.nb_flows = 1024,
		.nb_buckets = buckets,
		.rank_shift = shift,
		.drop_policy =
			worst ? P4X_SCHED_DROP_WORST : P4X_SCHED_TAIL_DROP,
		.release = t_release,
		.release_arg = &drops,
	};
	struct p4x_sched *s = p4x_sched__new(&o);

	CHECK(s, "p4x_sched__new: %s", strerror(errno));
	drops.n = 0;
	return s;
}

static struct p4x_sched_pkt rnd_pkt(uint64_t *rng, uint64_t id, int classes)
{
	return (struct p4x_sched_pkt){
		.addr = id,
		.len = t_range(rng, 64, 1500),
		.flow = t_range(rng, 0, 1023),
		.cls = (uint16_t)t_range(rng, 0, (uint32_t)classes - 1),
	};
}

static void test_fifo_order(void)
{
	struct p4x_sched *s = mk(256, 0, 0, 0, 0);
	uint64_t rng = 1, id = 0, next = 0;
	struct p4x_sched_pkt p[8], out[8];

	for (int step = 0; step < 100000; step++) {
		unsigned int n = t_range(&rng, 1, 8);

		for (unsigned int i = 0; i < n; i++)
			p[i] = rnd_pkt(&rng, id++, 8);
		p4x_sched__enqueue_burst(s, p, n, (uint64_t)step);
		n = p4x_sched__dequeue_burst(s, (uint64_t)step, out,
					     t_range(&rng, 1, 8));
		for (unsigned int i = 0; i < n; i++) {
			CHECK(out[i].addr >= next, "fifo: %lu after %lu",
			      (unsigned long)out[i].addr, (unsigned long)next);
			next = out[i].addr + 1;
		}
	}
	CHECK(next > 50000, "fifo made no progress");
	p4x_sched__free(s);
}

static void test_strict(void)
{
	struct p4x_sched *s = mk(256, 0, 0, 0, 0);
	uint64_t rng = 2, id = 0, sent = 0;
	struct p4x_sched_pkt p[8], out;
	struct p4x_sched_stats st;

	CHECK(!p4x_sched__set_builtin(s, P4X_SCHED_STRICT, NULL), "strict");
	for (int step = 0; step < 100000; step++) {
		unsigned int n = t_range(&rng, 0, 2);

		for (unsigned int i = 0; i < n; i++)
			p[i] = rnd_pkt(&rng, id++, 8);
		p4x_sched__enqueue_burst(s, p, n, 0);
		if (!p4x_sched__dequeue_burst(s, 0, &out, 1))
			continue;
		sent++;
		p4x_sched__stats(s, &st);
		for (int c = 0; c < out.cls; c++)
			CHECK(!st.cls[c].backlog_pkts,
			      "sent class %u while class %d has %lu queued",
			      out.cls, c,
			      (unsigned long)st.cls[c].backlog_pkts);
	}
	CHECK(sent > 50000, "strict made no progress");
	p4x_sched__free(s);
}

/* Keep every class backlogged; return bytes sent per class. */
static void share_run(struct p4x_sched *s, uint64_t *bytes, int classes,
		      int flows_per_class)
{
	uint64_t rng = 3, id = 0;
	struct p4x_sched_pkt p[64], out[16];

	for (int step = 0; step < 40000; step++) {
		unsigned int n = 0;
		struct p4x_sched_stats st;

		p4x_sched__stats(s, &st);
		for (int c = 0; c < classes; c++) {
			if (st.cls[c].backlog_pkts > 32)
				continue;
			for (int i = 0; i < 8; i++) {
				p[n] = rnd_pkt(&rng, id++, classes);
				p[n].cls = (uint16_t)c;
				p[n].flow =
					(uint32_t)(c * flows_per_class) +
					t_range(&rng, 0, flows_per_class - 1);
				n++;
			}
		}
		p4x_sched__enqueue_burst(s, p, n, 0);
		n = p4x_sched__dequeue_burst(s, 0, out, 16);
		for (unsigned int i = 0; i < n; i++)
			bytes[out[i].cls] += out[i].len;
	}
}

static void check_shares(const uint64_t *bytes, const uint32_t *w, int n,
			 double tol, const char *what)
{
	uint64_t tb = 0, tw = 0;

	for (int c = 0; c < n; c++) {
		tb += bytes[c];
		tw += w[c];
	}
	for (int c = 0; c < n; c++) {
		double got = (double)bytes[c] / (double)tb;
		double want = (double)w[c] / (double)tw;

		CHECK(got > want * (1 - tol) && got < want * (1 + tol),
		      "%s class %d: share %.4f, want %.4f", what, c, got, want);
	}
}

static void test_wfq_drr_shares(void)
{
	static const uint32_t w[] = {1, 2, 3, 4, 8};
	struct p4x_sched_params prm = {.sz = sizeof(prm),
				       .flags = P4X_SCHED_P_FAIR_BY_CLASS};
	uint64_t bytes[8] = {0};
	struct p4x_sched *s = mk(1024, 0, 0, 8, 0);

	for (int c = 0; c < 5; c++) {
		prm.cls[c].weight = w[c];
		prm.cls[c].quantum = 500 * w[c];
	}
	CHECK(!p4x_sched__set_builtin(s, P4X_SCHED_WFQ, &prm), "wfq");
	share_run(s, bytes, 5, 1);
	check_shares(bytes, w, 5, 0.01, "wfq");
	p4x_sched__free(s);

	/* per-flow fairness: 8 equal classes of 16 flows each */
	static const uint32_t eq[] = {1, 1, 1, 1, 1, 1, 1, 1};
	memset(bytes, 0, sizeof(bytes));
	s = mk(1024, 0, 0, 8, 0);
	CHECK(!p4x_sched__set_builtin(s, P4X_SCHED_WFQ, NULL), "wfq flows");
	share_run(s, bytes, 8, 16);
	check_shares(bytes, eq, 8, 0.02, "wfq per flow");
	p4x_sched__free(s);

	memset(bytes, 0, sizeof(bytes));
	s = mk(1024, 0, 0, 0, 0);
	CHECK(!p4x_sched__set_builtin(s, P4X_SCHED_DRR, &prm), "drr");
	share_run(s, bytes, 5, 1);
	check_shares(bytes, w, 5, 0.01, "drr");
	p4x_sched__free(s);
}

/* Token-bucket verifier: tokens (bytes * 1e9) never go negative. */
struct tb_check {
	uint64_t rate, burst, last;
	__int128 tokens;
};

static void tb_check_send(struct tb_check *t, uint64_t now, uint32_t len,
			  const char *what)
{
	t->tokens += (__int128)(now - t->last) * t->rate;
	if (t->tokens > (__int128)t->burst * 1000000000)
		t->tokens = (__int128)t->burst * 1000000000;
	t->last = now;
	t->tokens -= (__int128)len * 1000000000;
	CHECK(t->tokens >= 0, "%s: %u bytes at %lu exceed rate*t + burst", what,
	      len, (unsigned long)now);
}

/*
 * Class shaping (tbf, no port limit) or port rate (fifo): departures never
 * exceed rate*t + burst, and the limit binds (at least half the rate).
 */
static void shaping_run(int port_limit)
{
	struct p4x_sched_params prm = {.sz = sizeof(prm)};
	struct p4x_sched *s = mk(4096, 1u << 30, 0, 0, 0);
	struct tb_check tb = {.rate = port_limit ? 20000000 : 3000000,
			      .burst = port_limit ? 3028 : 5000};
	uint64_t rng = 4, id = 0, now = 1000000000, sent = 0;
	struct p4x_sched_pkt p[8], out[16];

	prm.cls[1].rate = tb.rate;
	prm.cls[1].burst = (uint32_t)tb.burst;
	if (port_limit)
		CHECK(!p4x_sched__set_port_rate(s, tb.rate, 0), "port");
	else
		CHECK(!p4x_sched__set_builtin(s, P4X_SCHED_TBF, &prm), "tbf");
	tb.last = now;
	tb.tokens = (__int128)tb.burst * 1000000000;
	for (int step = 0; step < 200000; step++) {
		now += t_range(&rng, 100, 3000);
		if (p4x_sched__count(s) < 3000) {
			for (int i = 0; i < 8; i++)
				p[i] = rnd_pkt(&rng, id++, 3);
			p4x_sched__enqueue_burst(s, p, 8, now);
		}
		unsigned int n = p4x_sched__dequeue_burst(s, now, out, 16);

		CHECK(p4x_sched__next_time(s) == UINT64_MAX ||
			      p4x_sched__next_time(s) > now - 1024,
		      "next_time in the past");
		for (unsigned int i = 0; i < n; i++) {
			if (!port_limit && out[i].cls != 1)
				continue;
			tb_check_send(&tb, now, out[i].len,
				      port_limit ? "port" : "class 1");
			sent += out[i].len;
		}
	}
	CHECK(sent * 1000000000 > tb.rate * (now - 1000000000) / 2,
	      "limit did not bind: sent only %lu", (unsigned long)sent);
	p4x_sched__free(s);
}

static void test_shaping(void)
{
	shaping_run(0);
	shaping_run(1);
}

/*
 * Ranks far beyond N^2 buckets: exact vs the reference as long as each
 * arrival is not below the window (N buckets) of the last dequeued rank
 * (docs/scheduler.md). @floor_mask: arrivals are >= last & ~floor_mask.
 */
static void test_far_ranks(uint64_t range, uint64_t floor_mask,
			   uint32_t buckets)
{
	static struct ref_sched r;
	struct p4x_sched *s = mk(64, 1u << 30, buckets, 0, 0);
	uint64_t rng = 5, base = 0;

	memset(&r, 0, sizeof(r));
	r.policy = P4X_SCHED_STRICT;
	r.max_pkts = 64;
	r.max_bytes = 1u << 30;
	r.nb_classes = 8;
	r.flow_mask = 1023;
	r.time_shift = 10;
	CHECK(!p4x_sched__set_builtin(s, P4X_SCHED_STRICT, NULL), "strict");
	for (int step = 0; step < 100000; step++) {
		struct p4x_sched_pkt p = {.addr = (uint64_t)step,
					  .len = 100,
					  .flags = P4X_SCHED_F_RANK};
		struct p4x_sched_pkt a, b;

		if (t_range(&rng, 0, 1)) {
			p.rank = (base & ~floor_mask) + t_rand(&rng) % range;
			ref_enqueue(&r, &p, 0);
			p4x_sched__enqueue_burst(s, &p, 1, 0);
			continue;
		}
		unsigned int na = p4x_sched__dequeue_burst(s, 0, &a, 1);
		unsigned int nb = ref_dequeue(&r, 0, &b, 1);

		CHECK(na == nb && (!na || (a.addr == b.addr)),
		      "range %lu step %d: pkt %lu rank %lu, reference pkt %lu "
		      "rank %lu",
		      (unsigned long)range, step, (unsigned long)a.addr,
		      (unsigned long)a.rank, (unsigned long)b.addr,
		      (unsigned long)b.rank);
		if (na)
			base = a.rank;
	}
	CHECK(drops.n == r.nb_drops, "drops differ");
	p4x_sched__free(s);
}

static void test_bounds(void)
{
	struct p4x_sched *s = mk(4, 100000, 0, 0, 0);
	struct p4x_sched_pkt p[6], out[8];
	struct p4x_sched_stats st;

	CHECK(!p4x_sched__set_builtin(s, P4X_SCHED_STRICT, NULL), "strict");
	for (int i = 0; i < 6; i++)
		p[i] = (struct p4x_sched_pkt){.addr = (uint64_t)i,
					      .len = 100,
					      .cls = (uint16_t)(5 - i)};
	CHECK(p4x_sched__enqueue_burst(s, p, 6, 0) == 4, "tail: 4 fit");
	CHECK(drops.n == 2 && drop_log[0].addr == 4 && drop_log[1].addr == 5,
	      "tail drops the arrivals");
	p4x_sched__stats(s, &st);
	CHECK(st.total.drops[P4X_SCHED_DROP_FULL_PKTS] == 2, "full_pkts");
	p4x_sched__free(s);

	/* drop-worst: better arrivals evict the worst queued */
	s = mk(4, 100000, 0, 0, 1);
	CHECK(!p4x_sched__set_builtin(s, P4X_SCHED_STRICT, NULL), "strict");
	CHECK(p4x_sched__enqueue_burst(s, p, 6, 0) == 6, "worst: all queued");
	CHECK(drops.n == 2 && drop_log[0].addr == 0 && drop_log[1].addr == 1,
	      "evicted classes 5 and 4");
	p[0].cls = 3; /* not better than the worst queued (3): dropped */
	p[0].addr = 9;
	CHECK(p4x_sched__enqueue_burst(s, p, 1, 0) == 0, "equal rank");
	CHECK(drops.n == 3 && drop_log[2].addr == 9, "arrival dropped");
	CHECK(p4x_sched__dequeue_burst(s, 0, out, 8) == 4 && out[0].cls == 0 &&
		      out[3].cls == 3,
	      "best four kept");
	p4x_sched__stats(s, &st);
	CHECK(st.total.drops[P4X_SCHED_DROP_EVICTED] == 2 &&
		      st.total.drops[P4X_SCHED_DROP_FULL_PKTS] == 1,
	      "evicted 2, full 1");
	p4x_sched__free(s);

	/* byte bound */
	s = mk(64, 250, 0, 0, 0);
	CHECK(p4x_sched__enqueue_burst(s, p, 3, 0) == 2, "bytes: 2 fit");
	p4x_sched__stats(s, &st);
	CHECK(st.total.drops[P4X_SCHED_DROP_FULL_BYTES] == 1, "full_bytes");
	p4x_sched__free(s);
}

static void test_flush_stats(void)
{
	struct p4x_sched_params prm = {.sz = sizeof(prm)};
	struct p4x_sched *s = mk(64, 0, 0, 0, 0);
	struct p4x_sched_pkt p[10];
	struct p4x_sched_flow_stat top[3];
	struct p4x_sched_stats a, b;
	struct p4x_sched_rates rt;

	prm.cls[2].rate = 1000; /* 1 kB/s: class 2 waits in the calendar */
	prm.cls[2].burst = 100;
	CHECK(!p4x_sched__set_builtin(s, P4X_SCHED_TBF, &prm), "tbf");
	for (int i = 0; i < 10; i++)
		p[i] = (struct p4x_sched_pkt){.addr = (uint64_t)i,
					      .len = 100 + (uint32_t)i,
					      .flow = (uint32_t)i % 4,
					      .cls = (uint16_t)(i % 3)};
	p4x_sched__stats(s, &a);
	p4x_sched__enqueue_burst(s, p, 10, 1000);
	p4x_sched__stats(s, &b);
	CHECK(b.pending == 2 && b.cls[2].backlog_pkts == 3,
	      "class 2: 1 eligible + 2 waiting (pending %u)", b.pending);
	CHECK(p4x_sched__next_time(s) > 1000 &&
		      p4x_sched__next_time(s) < UINT64_MAX,
	      "next_time");
	CHECK(p4x_sched__top_flows(s, top, 3) == 3 && top[0].flow == 1 &&
		      top[0].backlog_pkts == 3 &&
		      top[0].backlog_bytes == 101 + 105 + 109 &&
		      top[1].backlog_bytes >= top[2].backlog_bytes,
	      "top flows");
	p4x_sched_stats__rates(&a, &b, &rt);
	CHECK(rt.enq_pps > 0 && rt.deq_pps == 0, "rates");
	CHECK(p4x_sched__flush(s) == 10 && drops.n == 10, "flush all");
	p4x_sched__stats(s, &b);
	CHECK(b.total.drops[P4X_SCHED_DROP_FLUSH] == 10 &&
		      b.cls[2].drops[P4X_SCHED_DROP_FLUSH] == 3 &&
		      b.total.backlog_pkts == 0 && b.total.backlog_bytes == 0 &&
		      b.pending == 0,
	      "flush counted");
	CHECK(p4x_sched__top_flows(s, top, 3) == 0, "no flow backlog");
	p[0].cls = 8; /* nb_classes is 8 */
	CHECK(p4x_sched__enqueue_burst(s, p, 1, 0) == 0, "bad class");
	p4x_sched__stats(s, &b);
	CHECK(b.total.drops[P4X_SCHED_DROP_BAD_CLASS] == 1, "bad_class");
	p4x_sched__free(s);
}

static void test_bad_opts(void)
{
	struct p4x_sched_opts o[] = {
		{.sz = sizeof(o[0])}, /* no release callback */
		{.sz = sizeof(o[0]), .release = t_release, .nb_flows = 100},
		{.sz = sizeof(o[0]), .release = t_release, .nb_buckets = 32},
		{.sz = sizeof(o[0]),
		 .release = t_release,
		 .nb_buckets = 1u << 19},
		{.sz = sizeof(o[0]), .release = t_release, .nb_classes = 65},
		{.sz = sizeof(o[0]), .release = t_release, .drop_policy = 2},
		{.sz = sizeof(o[0]),
		 .release = t_release,
		 .max_pkts = 1u << 25},
	};

	for (unsigned int i = 0; i < P4X_ARRAY_SIZE(o); i++) {
		errno = 0;
		CHECK(!p4x_sched__new(&o[i]) && errno == EINVAL,
		      "bad opts #%u accepted", i);
	}
	CHECK(!p4x_sched__new(NULL) && errno == EINVAL, "NULL opts");
	p4x_sched__free(NULL);
}

int main(void)
{
	test_fifo_order();
	printf("ok 1 - fifo keeps arrival order\n");
	test_strict();
	printf("ok 2 - strict never sends below a backlogged class\n");
	test_wfq_drr_shares();
	printf("ok 3 - wfq/drr shares follow weights within 1%% (flows 2%%)\n");
	test_shaping();
	printf("ok 4 - shaped class / port never exceed rate*t + burst\n");
	test_far_ranks(100000000000ULL, 0, 64);
	test_far_ranks(1ULL << 50, 0, 4096);
	test_far_ranks(1000000, 63, 64);
	test_far_ranks(1ULL << 40, 4095, 4096);
	printf("ok 5 - ranks beyond the bucket range are ordered exactly\n");
	test_bounds();
	printf("ok 6 - packet/byte bounds, tail-drop and drop-worst\n");
	test_flush_stats();
	printf("ok 7 - flush hands everything back; stats and top flows\n");
	test_bad_opts();
	printf("ok 8 - bad options refused\n");
	return 0;
}
