// SPDX-License-Identifier: BSD-3-Clause
/*
 * User policies: the example shared objects load and rank as documented,
 * bad objects and parameters are refused without changing anything, and
 * policies and parameters swap while a worker thread moves traffic.
 * Usage: test_sched_policy <lstf.so> <faircap.so>
 */
#define _LGPL_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <urcu-qsbr.h>

#include "sched_test.h"

static const char *lstf_so, *faircap_so;
static struct p4x_sched_pkt drop_log[1 << 20];
static struct t_drops drops = {.pkts = drop_log, .cap = 1 << 20};

static struct p4x_sched *new_sched(uint32_t max_pkts)
{
	struct p4x_sched_opts o = {
		.sz = sizeof(o),
		.max_pkts = max_pkts,
		.nb_classes = 4,
		.nb_flows = 1024,
		.rank_shift = 6,
		.release = t_release,
		.release_arg = &drops,
	};
	struct p4x_sched *s = p4x_sched__new(&o);

	CHECK(s, "p4x_sched__new: %s", strerror(errno));
	return s;
}

static uint64_t stat_of(struct p4x_sched *s, const char *name)
{
	struct p4x_sched_policy_stat st[8];
	unsigned int n = p4x_sched__policy_stats(s, st, 8);

	for (unsigned int i = 0; i < n; i++)
		if (!strcmp(st[i].name, name))
			return st[i].value;
	CHECK(0, "policy stat %s missing", name);
	return 0;
}

/* LSTF: order by arrival + slack - tx time; slack from pkt.user. */
static void test_lstf(void)
{
	struct p4x_sched *s = new_sched(64);
	static const uint32_t slack_us[] = {900, 0, 100, 300, 0, 50};
	static const uint64_t want[] = {5, 2, 3, 1, 4, 0};
	struct p4x_sched_pkt p[6], out[6];

	CHECK(!p4x_sched__load_policy(s, lstf_so,
				      "slack_us=500,rate=125000000"),
	      "load %s", lstf_so);
	CHECK(!strcmp(p4x_sched__policy_name(s), "lstf"), "name");
	for (int i = 0; i < 6; i++)
		p[i] = (struct p4x_sched_pkt){
			.addr = (uint64_t)i, .len = 1000, .user = slack_us[i]};
	/* 1000 B at 125 MB/s = 8 us: ranks are t + slack - 8 us */
	CHECK(p4x_sched__enqueue_burst(s, p, 6, 1000000) == 6, "enqueue");
	CHECK(p4x_sched__dequeue_burst(s, 1000000, out, 6) == 6, "dequeue");
	for (int i = 0; i < 6; i++) {
		uint64_t sl = slack_us[want[i]] ? slack_us[want[i]] : 500;

		CHECK(out[i].addr == want[i], "lstf #%d: pkt %lu, want %lu", i,
		      (unsigned long)out[i].addr, (unsigned long)want[i]);
		CHECK(out[i].rank == 1000000 + sl * 1000 - 8000,
		      "lstf rank %lu", (unsigned long)out[i].rank);
	}
	CHECK(stat_of(s, "from_meta") == 4 && stat_of(s, "defaulted") == 2,
	      "lstf stats");
	p4x_sched__free(s);
}

/* faircap: a capped flow never exceeds cap * t + burst. */
static void test_faircap(void)
{
	const uint64_t cap = 1000000, burst = 3000;
	struct p4x_sched *s = new_sched(1024);
	uint64_t now = 1000000000, t0 = now, sent[2] = {0, 0}, id = 0;
	struct p4x_sched_pkt p[8], out[32];

	CHECK(!p4x_sched__load_policy(s, faircap_so, "cap=1000000,burst=3000"),
	      "load %s", faircap_so);
	for (int step = 0; step < 20000; step++, now += 10000) {
		for (int i = 0; i < 8; i++)
			p[i] = (struct p4x_sched_pkt){.addr = id++,
						      .len = 500,
						      .flow = (uint32_t)i & 1};
		if (p4x_sched__count(s) < 900)
			p4x_sched__enqueue_burst(s, p, 8, now);
		unsigned int n = p4x_sched__dequeue_burst(s, now, out, 32);

		for (unsigned int i = 0; i < n; i++)
			sent[out[i].flow] += out[i].len;
		for (int f = 0; f < 2; f++)
			CHECK(sent[f] <= cap * (now - t0) / 1000000000 + burst,
			      "flow %d sent %lu by %lu ns", f,
			      (unsigned long)sent[f],
			      (unsigned long)(now - t0));
	}
	/* 0.2 s at 1 MB/s: each flow reached its cap (minus one bucket) */
	for (int f = 0; f < 2; f++)
		CHECK(sent[f] + burst >= cap * (now - t0) / 1000000000 - 1000,
		      "flow %d only sent %lu", f, (unsigned long)sent[f]);
	CHECK(stat_of(s, "capped") > 0, "no packet was capped");
	p4x_sched__free(s);
}

static const struct p4x_sched_policy_ops bad_abi = {
	.abi_version = P4X_SCHED_POLICY_ABI_VERSION + 1,
	.name = "bad",
};

/* Refused loads change nothing: same policy, same queued packets. */
static void test_refusals(void)
{
	struct p4x_sched *s = new_sched(64);
	struct p4x_sched_pkt p = {.addr = 7, .len = 100, .cls = 1};
	struct p4x_sched_params bad = {.sz = sizeof(bad)};

	CHECK(!p4x_sched__set_builtin(s, P4X_SCHED_STRICT, NULL), "strict");
	CHECK(p4x_sched__enqueue_burst(s, &p, 1, 0) == 1, "enqueue");
	CHECK(p4x_sched__load_policy(s, "/nonexistent/x.so", NULL) == -ENOENT,
	      "missing object");
	CHECK(p4x_sched__load_policy(s, lstf_so, "slack_us=abc") == -EINVAL,
	      "bad parameter value");
	CHECK(p4x_sched__load_policy(s, faircap_so, "speed=3") == -EINVAL,
	      "unknown parameter");
	CHECK(p4x_sched__set_policy(s, &bad_abi, NULL) == -EPROTO, "abi");
	bad.cls[2].weight = 70000;
	CHECK(p4x_sched__set_params(s, &bad) == -EINVAL, "weight range");
	CHECK(p4x_sched__set_builtin(s, P4X_SCHED_BUILTIN__COUNT, NULL) ==
		      -EINVAL,
	      "unknown built-in");
	CHECK(!strcmp(p4x_sched__policy_name(s), "strict"), "policy changed");
	CHECK(p4x_sched__count(s) == 1, "queue changed");
	CHECK(!p4x_sched__load_policy(s, lstf_so, NULL), "lstf");
	CHECK(p4x_sched__set_params(
		      s, &(struct p4x_sched_params){.sz = sizeof(bad)}) ==
		      -EINVAL,
	      "set_params on a user policy");
	p4x_sched__free(s);
}

/* Queued packets keep the ranks they were given by the old policy. */
static void test_swap_keeps_ranks(void)
{
	struct p4x_sched *s = new_sched(64);
	struct p4x_sched_pkt p[4], out[8];

	CHECK(!p4x_sched__set_builtin(s, P4X_SCHED_STRICT, NULL), "strict");
	for (int i = 0; i < 4; i++)
		p[i] = (struct p4x_sched_pkt){.addr = (uint64_t)i,
					      .len = 64,
					      .flags = P4X_SCHED_F_RANK,
					      .rank = (uint64_t)(3 - i) * 100};
	p4x_sched__enqueue_burst(s, p, 4, 0);
	CHECK(!p4x_sched__load_policy(s, lstf_so, NULL), "lstf");
	p[0] = (struct p4x_sched_pkt){.addr = 9, .len = 64, .user = 1};
	p4x_sched__enqueue_burst(s, p, 1, 0);
	CHECK(p4x_sched__dequeue_burst(s, 0, out, 8) == 5, "dequeue");
	for (int i = 0; i < 4; i++)
		CHECK(out[i].addr == (uint64_t)(3 - i) &&
			      out[i].rank == (uint64_t)i * 100,
		      "#%d: pkt %lu rank %lu", i, (unsigned long)out[i].addr,
		      (unsigned long)out[i].rank);
	CHECK(out[4].addr == 9, "lstf packet last");
	p4x_sched__free(s);
}

struct worker {
	struct p4x_sched *s;
	int stop;
	uint64_t bursts; /* published for the swapping thread */
	uint64_t enq, deq;
	uint8_t *seen; /* per handle: 1 when dequeued */
	uint64_t nb_handles;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct p4x_sched_pkt p[16], out[16];
	uint64_t now = 1000000000, rng = 42;

	rcu_register_thread();
	while (!__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
		/* out of handles: keep draining so the swaps go on */
		unsigned int m = w->enq + 16 <= w->nb_handles ? 16 : 0;

		for (unsigned int i = 0; i < m; i++)
			p[i] = (struct p4x_sched_pkt){
				.addr = w->enq + (uint64_t)i,
				.len = t_range(&rng, 64, 1500),
				.flow = t_range(&rng, 0, 255),
				.cls = (uint16_t)t_range(&rng, 0, 3),
				.user = t_range(&rng, 0, 200),
			};
		p4x_sched__enqueue_burst(w->s, p, m, now);
		w->enq += m;
		now += t_range(&rng, 1000, 20000);
		unsigned int n = p4x_sched__dequeue_burst(w->s, now, out, 16);

		for (unsigned int i = 0; i < n; i++) {
			CHECK(!w->seen[out[i].addr], "pkt %lu twice",
			      (unsigned long)out[i].addr);
			w->seen[out[i].addr] = 1;
		}
		w->deq += n;
		__atomic_store_n(&w->bursts, w->bursts + 1, __ATOMIC_RELEASE);
		rcu_quiescent_state();
	}
	rcu_unregister_thread();
	return NULL;
}

static void swap_once(struct p4x_sched *s, int i)
{
	struct p4x_sched_params prm = {.sz = sizeof(prm)};

	switch (i % 5) {
	case 0:
		CHECK(!p4x_sched__set_builtin(s, P4X_SCHED_WFQ, NULL), "wfq");
		prm.cls[1].weight = (uint32_t)(i % 7) + 1;
		CHECK(!p4x_sched__set_params(s, &prm), "wfq params");
		break;
	case 1:
		CHECK(!p4x_sched__load_policy(s, lstf_so, "slack_us=200"),
		      "lstf");
		break;
	case 2:
		CHECK(!p4x_sched__load_policy(s, faircap_so, "cap=20000000"),
		      "faircap");
		break;
	case 3:
		prm.cls[0].rate = 50000000;
		CHECK(!p4x_sched__set_builtin(s, P4X_SCHED_TBF, &prm), "tbf");
		break;
	default:
		CHECK(!p4x_sched__set_builtin(s, P4X_SCHED_DRR, NULL), "drr");
		CHECK(!p4x_sched__set_port_rate(s, (uint64_t)i * 1000000, 0),
		      "port rate");
		break;
	}
}

/* Swap policies/parameters 100 times while a worker moves traffic. */
static void test_live_swap(void)
{
	struct worker w = {.nb_handles = 1 << 20};
	struct p4x_sched_stats st;
	pthread_t th;
	uint64_t dropped_or_flushed;

	drops.n = 0;
	w.s = new_sched(512);
	w.seen = calloc(w.nb_handles, 1);
	CHECK(w.seen, "alloc");
	CHECK(!pthread_create(&th, NULL, worker_main, &w), "thread");
	for (int i = 0; i < 100; i++) {
		uint64_t b = __atomic_load_n(&w.bursts, __ATOMIC_ACQUIRE);

		/* let the worker run a few bursts under each policy */
		while (__atomic_load_n(&w.bursts, __ATOMIC_ACQUIRE) < b + 8)
			sched_yield();
		swap_once(w.s, i);
	}
	__atomic_store_n(&w.stop, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	p4x_sched__flush(w.s);
	for (unsigned int i = 0; i < drops.n; i++) {
		CHECK(!w.seen[drop_log[i].addr], "pkt %lu sent and dropped",
		      (unsigned long)drop_log[i].addr);
		w.seen[drop_log[i].addr] = 1;
	}
	for (uint64_t i = 0; i < w.enq; i++)
		CHECK(w.seen[i], "pkt %lu lost", (unsigned long)i);
	p4x_sched__stats(w.s, &st);
	dropped_or_flushed = 0;
	for (int d = 0; d < P4X_SCHED_DROP__COUNT; d++)
		dropped_or_flushed += st.total.drops[d];
	CHECK(st.total.deq_pkts == w.deq &&
		      st.total.deq_pkts + dropped_or_flushed == w.enq,
	      "stats: deq %lu/%lu, drops %lu, enq %lu",
	      (unsigned long)st.total.deq_pkts, (unsigned long)w.deq,
	      (unsigned long)dropped_or_flushed, (unsigned long)w.enq);
	CHECK(w.deq > 0, "worker made no progress");
	printf("live swap: %lu packets, %lu sent, %u dropped/flushed\n",
	       (unsigned long)w.enq, (unsigned long)w.deq, drops.n);
	free(w.seen);
	p4x_sched__free(w.s);
}

int main(int argc, char **argv)
{
	CHECK(argc == 3, "usage: %s <lstf.so> <faircap.so>", argv[0]);
	lstf_so = argv[1];
	faircap_so = argv[2];
	test_lstf();
	printf("ok 1 - lstf.so ranks by slack\n");
	test_faircap();
	printf("ok 2 - faircap.so caps every flow\n");
	test_refusals();
	printf("ok 3 - refused loads and parameters change nothing\n");
	test_swap_keeps_ranks();
	printf("ok 4 - queued packets keep their ranks across a swap\n");
	test_live_swap();
	printf("ok 5 - live swaps lose and duplicate nothing\n");
	return 0;
}
