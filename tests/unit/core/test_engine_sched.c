// SPDX-License-Identifier: BSD-3-Clause
/*
 * Engine with egress schedulers over memory ports (deterministic, no
 * kernel): classification (program metadata, L4 port and DSCP maps),
 * strict priority under a port rate (the high class loses nothing while
 * the low one is dropped), WFQ 3:1 departure shares, link down (flush,
 * counted, then port_down drops, then recovery), one scheduler per tx
 * queue fed by its owner, option errors, and frame
 * conservation (every injected frame is captured or counted as a drop, the
 * pool gets every frame back). Waits are bounded; nothing asserts on time.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "p4x/engine_sched.h"
#include "p4x/port_mem.h"
#include "check.h"
#include "frames.h"

#define NB_FRAMES 16384
#define WAIT_S 30.0
#define LEN 200
#define DPORT_HI 9001
#define DPORT_LO 9002

static const uint8_t HOST0[6] = {2, 0xbb, 0, 0, 0, 0};
static const uint8_t HOST1[6] = {2, 0xbb, 0, 0, 0, 1};
static const int CORES[2] = {0, 1};

/*
 * Port m1 is scheduled with @so (policy fifo until set). Frames injected
 * on @in (m0: through the cross-worker ring; m1: hairpin on m1's own
 * worker, so nothing but the scheduler limits or drops) leave on m1.
 */
static struct p4x_engine *new_engine(const struct p4x_sched_opts *so,
				     uint16_t in)
{
	struct p4x_engine_opts o = {
		.sz = sizeof(o),
		.nb_frames = NB_FRAMES,
		.cores = CORES,
		.nb_cores = 2,
	};
	struct p4x_fwd_rule r = {.in_port = in, .out_port = 1};
	struct p4x_engine *eng = p4x_engine__new(&o);
	struct p4x_prog prog;

	CHECK(eng);
	CHECK_EQ(
		p4x_engine__add_port(
			eng, p4x_port_mem__new("m0", 1, p4x_engine__pool(eng))),
		0);
	CHECK_EQ(
		p4x_engine__add_port(
			eng, p4x_port_mem__new("m1", 1, p4x_engine__pool(eng))),
		1);
	CHECK_EQ(p4x_prog_fwd__init(&prog, &r, 1), 0);
	CHECK_EQ(p4x_engine__set_prog(eng, &prog), 0);
	CHECK_EQ(p4x_engine__set_port_sched(eng, 1, so), 0);
	return eng;
}

static struct p4x_sched *sched_of(struct p4x_engine *eng)
{
	return p4x_engine__port_sched(eng, 1, 0);
}

/* A UDP frame to @dport with DSCP @dscp on port @in; @seq in the payload. */
static void inject(struct p4x_engine *eng, uint16_t in, uint16_t dport,
		   uint8_t dscp, uint32_t seq)
{
	double t0 = check_now();
	uint8_t f[LEN];
	int ret;

	frame_udp4(f, LEN, HOST1, HOST0, seq);
	f[15] = (uint8_t)(dscp << 2);
	f[36] = (uint8_t)(dport >> 8);
	f[37] = (uint8_t)dport;
	while ((ret = p4x_port_mem__inject(p4x_engine__port(eng, in), 0, f,
					   LEN)) == -ENOSPC ||
	       ret == -ENOBUFS) {
		CHECK(check_now() - t0 < WAIT_S);
		sched_yield();
	}
	CHECK_EQ(ret, 0);
}

/* Classes of the captured frames, in departure order. */
struct capture {
	unsigned int n;
	uint16_t dport[16384];
};

static unsigned int drain(struct p4x_engine *eng, struct capture *c)
{
	uint8_t buf[LEN];
	unsigned int got = 0;

	while (p4x_port_mem__capture(p4x_engine__port(eng, 1), buf, sizeof(buf),
				     NULL) == LEN) {
		if (c->n < P4X_ARRAY_SIZE(c->dport))
			c->dport[c->n++] = (uint16_t)(buf[36] << 8 | buf[37]);
		got++;
	}
	return got;
}

/* Drops of reason @r of packets received on either port. */
static uint64_t drops(struct p4x_engine *eng, enum p4x_drop_reason r)
{
	struct p4x_port_stats s0, s1;

	CHECK_EQ(p4x_engine__port_stats(eng, 0, &s0), 0);
	CHECK_EQ(p4x_engine__port_stats(eng, 1, &s1), 0);
	return s0.drop[r] + s1.drop[r];
}

static uint64_t all_drops(struct p4x_engine *eng)
{
	return drops(eng, P4X_DROP_SCHED) + drops(eng, P4X_DROP_PORT_DOWN) +
	       drops(eng, P4X_DROP_TX_FULL);
}

/* Capture until @total frames are captured or counted as drops. */
static void settle(struct p4x_engine *eng, struct capture *c,
		   unsigned int total)
{
	double t0 = check_now();

	while (drain(eng, c), c->n + all_drops(eng) < total) {
		CHECK(check_now() - t0 < WAIT_S);
		usleep(1000);
	}
	CHECK_EQ(c->n + all_drops(eng), total);
}

/*
 * Inject the @i-th frame on m0 without overrunning the cross ring: wait
 * for each batch of 64 to come out.
 */
static void inject_paced(struct p4x_engine *eng, struct capture *c,
			 unsigned int i, uint16_t dport, uint8_t dscp,
			 uint32_t seq)
{
	inject(eng, 0, dport, dscp, seq);
	if (i % 64 == 63)
		settle(eng, c, i + 1);
}

static void finish(struct p4x_engine *eng)
{
	p4x_engine__stop(eng);
	CHECK_EQ(p4x_pool__free_count(p4x_engine__pool(eng)), NB_FRAMES);
	p4x_engine__free(eng);
}

static void set_map(struct p4x_engine *eng)
{
	struct p4x_classifier c = {.sz = sizeof(c), .def_class = 2};

	c.dports[0] = (struct p4x_classifier_dport){DPORT_HI, 0};
	c.dports[1] = (struct p4x_classifier_dport){DPORT_LO, 1};
	c.nb_dports = 2;
	c.dscp_mask = 1ull << 46;
	c.dscp_class[46] = 3;
	CHECK_EQ(p4x_engine__set_port_classifier(eng, 1, &c), 0);
	memset(&c, 0, sizeof(c));
	CHECK_EQ(p4x_engine__port_classifier(eng, 1, &c), 0);
	CHECK(c.def_class == 2 && c.nb_dports == 2 &&
	      c.dports[1].dport == DPORT_LO && c.dscp_class[46] == 3);
	CHECK_EQ(p4x_engine__port_classifier(eng, 0, &c), -ENOENT);
}

static void test_classify(void)
{
	struct p4x_sched_opts so = {.sz = sizeof(so)};
	struct p4x_engine *eng = new_engine(&so, 0);
	struct p4x_sched_stats st;
	struct capture *c = calloc(1, sizeof(*c));
	unsigned int i;

	set_map(eng);
	CHECK_EQ(p4x_engine__start(eng), 0);
	for (i = 0; i < 400; i++)
		inject_paced(eng, c, i,
			     i % 4 == 0	  ? DPORT_HI
			     : i % 4 == 1 ? DPORT_LO
					  : 53,
			     i % 4 == 2 ? 46 : 0, i);
	settle(eng, c, 400);
	CHECK_EQ(c->n, 400);
	p4x_sched__stats(sched_of(eng), &st);
	CHECK_EQ(st.cls[0].enq_pkts, 100); /* dport 9001 */
	CHECK_EQ(st.cls[1].enq_pkts, 100); /* dport 9002 */
	CHECK_EQ(st.cls[3].enq_pkts, 100); /* DSCP 46 */
	CHECK_EQ(st.cls[2].enq_pkts, 100); /* default */
	CHECK_EQ(st.total.deq_pkts, 400);
	free(c);
	finish(eng);
}

/* A program that classifies by itself: class = payload byte 42 (the top byte of
 * seq). */
static int meta_parse(void *ctx, struct p4x_pkt *pkt)
{
	return 0;
}

static void meta_main(void *ctx, struct p4x_pkt *pkt)
{
	pkt->out_port = 1;
	pkt->sched_class = pkt->data[42] & 7;
	pkt->sched_flags = P4X_PKT_SCHED_CLASS;
}

static const struct p4x_prog_ops meta_ops = {
	.name = "meta",
	.parse = meta_parse,
	.main = meta_main,
};

static void test_program_class(void)
{
	struct p4x_sched_opts so = {.sz = sizeof(so)};
	struct p4x_engine *eng = new_engine(&so, 0);
	struct p4x_prog prog = {.ops = &meta_ops};
	struct capture *c = calloc(1, sizeof(*c));
	struct p4x_sched_stats st;
	unsigned int i;

	set_map(eng); /* the program's class wins over the map */
	CHECK_EQ(p4x_engine__set_prog(eng, &prog), 0);
	CHECK_EQ(p4x_engine__start(eng), 0);
	for (i = 0; i < 300; i++)
		inject_paced(eng, c, i, DPORT_HI, 0, (i % 3 + 5) << 24);
	settle(eng, c, 300);
	p4x_sched__stats(sched_of(eng), &st);
	CHECK_EQ(st.cls[5].enq_pkts, 100);
	CHECK_EQ(st.cls[6].enq_pkts, 100);
	CHECK_EQ(st.cls[7].enq_pkts, 100);
	CHECK_EQ(st.cls[0].enq_pkts, 0);
	free(c);
	finish(eng);
}

/*
 * Strict priority, port limited to 400 kB/s (2000 frames/s): 3000 high
 * and 3000 low frames arrive at once. The queue holds 4096 and evicts the
 * worst rank: every high frame leaves, low frames are dropped.
 */
static void test_strict(void)
{
	struct p4x_sched_opts so = {.sz = sizeof(so),
				    .drop_policy = P4X_SCHED_DROP_WORST};
	struct p4x_engine *eng = new_engine(&so, 1);
	struct capture *c = calloc(1, sizeof(*c));
	struct p4x_sched_stats st;
	unsigned int i, hi = 0;

	set_map(eng);
	CHECK_EQ(p4x_sched__set_builtin(sched_of(eng), P4X_SCHED_STRICT, NULL),
		 0);
	CHECK_EQ(p4x_sched__set_port_rate(sched_of(eng), 400000, 0), 0);
	CHECK_EQ(p4x_engine__start(eng), 0);
	for (i = 0; i < 6000; i++) {
		inject(eng, 1, i % 2 ? DPORT_LO : DPORT_HI, 0, i);
		drain(eng, c);
	}
	settle(eng, c, 6000);
	for (i = 0; i < c->n; i++)
		hi += c->dport[i] == DPORT_HI;
	p4x_sched__stats(sched_of(eng), &st);
	printf("strict: high %u/3000, low %u/3000 delivered\n", hi, c->n - hi);
	CHECK_EQ(hi, 3000);
	CHECK(c->n - hi < 3000);
	CHECK_EQ(st.cls[0].drops[P4X_SCHED_DROP_EVICTED] +
			 st.cls[0].drops[P4X_SCHED_DROP_FULL_PKTS],
		 0);
	CHECK_EQ(st.cls[1].drops[P4X_SCHED_DROP_EVICTED] +
			 st.cls[1].drops[P4X_SCHED_DROP_FULL_PKTS],
		 3000 - (c->n - hi));
	CHECK_EQ(drops(eng, P4X_DROP_SCHED), 3000 - (c->n - hi));
	CHECK_EQ(all_drops(eng), drops(eng, P4X_DROP_SCHED));
	free(c);
	finish(eng);
}

/*
 * WFQ, weights 3:1 by class, port at 400 kB/s, 2000 + 2000 frames at
 * once: while both classes are backlogged (the first 2000 departures)
 * class 0 gets 3/4 of them, within 3 %.
 */
static void test_wfq(void)
{
	struct p4x_sched_opts so = {.sz = sizeof(so)};
	struct p4x_sched_params pa = {.sz = sizeof(pa),
				      .flags = P4X_SCHED_P_FAIR_BY_CLASS};
	struct p4x_engine *eng = new_engine(&so, 1);
	struct capture *c = calloc(1, sizeof(*c));
	unsigned int i, hi = 0;

	pa.cls[0].weight = 3;
	pa.cls[1].weight = 1;
	set_map(eng);
	CHECK_EQ(p4x_sched__set_builtin(sched_of(eng), P4X_SCHED_WFQ, &pa), 0);
	CHECK_EQ(p4x_sched__set_port_rate(sched_of(eng), 400000, 0), 0);
	CHECK_EQ(p4x_engine__start(eng), 0);
	for (i = 0; i < 4000; i++)
		inject(eng, 1, i % 2 ? DPORT_LO : DPORT_HI, 0, i);
	settle(eng, c, 4000);
	CHECK_EQ(c->n, 4000);
	for (i = 0; i < 2000; i++)
		hi += c->dport[i] == DPORT_HI;
	printf("wfq 3:1: class 0 got %u of the first 2000 departures\n", hi);
	CHECK(hi >= 1440 && hi <= 1560);
	free(c);
	finish(eng);
}

/*
 * Link down while the scheduler holds a backlog: flushed (counted as
 * "flush" and as port_down), arrivals dropped as port_down, then traffic
 * flows again once the link is up.
 */
static void test_link_down(void)
{
	struct p4x_sched_opts so = {.sz = sizeof(so)};
	struct p4x_engine *eng = new_engine(&so, 1);
	struct capture *c = calloc(1, sizeof(*c));
	struct p4x_sched_stats st;
	double t0 = check_now();
	unsigned int i, before;

	CHECK_EQ(p4x_sched__set_port_rate(sched_of(eng), 400000, 0), 0);
	CHECK_EQ(p4x_engine__start(eng), 0);
	for (i = 0; i < 2000; i++)
		inject(eng, 1, DPORT_HI, 0, i);
	while (drain(eng, c), c->n < 10) {
		CHECK(check_now() - t0 < WAIT_S);
		usleep(1000);
	}
	p4x_engine__set_link(eng, 1, false);
	CHECK(!p4x_engine__link(eng, 1));
	settle(eng, c, 2000);
	p4x_sched__stats(sched_of(eng), &st);
	printf("link down: %u sent, %lu flushed\n", c->n,
	       (unsigned long)st.total.drops[P4X_SCHED_DROP_FLUSH]);
	CHECK(st.total.drops[P4X_SCHED_DROP_FLUSH] > 0);
	CHECK_EQ(st.total.backlog_pkts, 0);
	CHECK_EQ(all_drops(eng), drops(eng, P4X_DROP_PORT_DOWN));
	CHECK(drops(eng, P4X_DROP_PORT_DOWN) >=
	      st.total.drops[P4X_SCHED_DROP_FLUSH]);
	before = c->n;
	for (i = 0; i < 100; i++)
		inject(eng, 1, DPORT_HI, 0, i);
	settle(eng, c, 2100);
	CHECK_EQ(c->n, before);
	p4x_engine__set_link(eng, 1, true);
	for (i = 0; i < 100; i++)
		inject(eng, 1, DPORT_HI, 0, i);
	settle(eng, c, 2200);
	CHECK_EQ(c->n, before + 100);
	free(c);
	finish(eng);
}

/*
 * m1 with two queues, scheduled: one scheduler per tx queue, each fed by
 * its owner. Frames from m0 reach m1's queue 0 through the cross ring
 * (worker 0 -> queue 0 mod 2); frames injected on m1's queue 1 hairpin on
 * queue 1's own worker.
 */
static void test_two_queues(void)
{
	struct p4x_engine_opts o = {.sz = sizeof(o), .nb_frames = NB_FRAMES};
	struct p4x_fwd_rule r[2] = {{.in_port = 0, .out_port = 1},
				    {.in_port = 1, .out_port = 1}};
	struct p4x_sched_opts so = {.sz = sizeof(so)};
	struct p4x_engine *eng = p4x_engine__new(&o);
	struct capture *c = calloc(1, sizeof(*c));
	struct p4x_sched_stats s0, s1;
	struct p4x_prog prog;
	uint8_t f[LEN];
	unsigned int i;

	CHECK(eng && c);
	CHECK_EQ(
		p4x_engine__add_port(
			eng, p4x_port_mem__new("m0", 1, p4x_engine__pool(eng))),
		0);
	CHECK_EQ(
		p4x_engine__add_port(
			eng, p4x_port_mem__new("m1", 2, p4x_engine__pool(eng))),
		1);
	CHECK_EQ(p4x_prog_fwd__init(&prog, r, 2), 0);
	CHECK_EQ(p4x_engine__set_prog(eng, &prog), 0);
	CHECK_EQ(p4x_engine__set_port_sched(eng, 1, &so), 0);
	CHECK_EQ(p4x_engine__port_sched_count(eng, 1), 2);
	CHECK_EQ(p4x_engine__start(eng), 0);
	frame_udp4(f, LEN, HOST1, HOST0, 0);
	for (i = 0; i < 100; i++)
		inject_paced(eng, c, i, DPORT_HI, 0, i);
	settle(eng, c, 100);
	for (i = 0; i < 100; i++)
		while (p4x_port_mem__inject(p4x_engine__port(eng, 1), 1, f,
					    LEN) == -ENOSPC)
			usleep(1000);
	settle(eng, c, 200);
	CHECK_EQ(c->n, 200);
	p4x_sched__stats(p4x_engine__port_sched(eng, 1, 0), &s0);
	p4x_sched__stats(p4x_engine__port_sched(eng, 1, 1), &s1);
	CHECK_EQ(s0.total.enq_pkts, 100);
	CHECK_EQ(s1.total.enq_pkts, 100);
	CHECK_EQ(s0.total.deq_pkts + s1.total.deq_pkts, 200);
	free(c);
	finish(eng);
}

static void test_errors(void)
{
	struct p4x_sched_opts so = {.sz = sizeof(so)};
	struct p4x_sched_opts bad = {.sz = sizeof(bad), .nb_classes = 65};
	struct p4x_engine *eng = new_engine(&so, 0);
	struct p4x_classifier c = {.sz = sizeof(c), .def_class = 8};

	CHECK_EQ(p4x_engine__set_port_sched(eng, 1, &so), -EEXIST);
	CHECK_EQ(p4x_engine__set_port_sched(eng, 5, &so), -ENOENT);
	CHECK_EQ(p4x_engine__set_port_sched(eng, 0, &bad), -EINVAL);
	so.release = (p4x_sched_release_fn)1;
	CHECK_EQ(p4x_engine__set_port_sched(eng, 0, &so), -EINVAL);
	CHECK_EQ(p4x_engine__port_sched_count(eng, 0), 0);
	CHECK_EQ(p4x_engine__port_sched_count(eng, 1), 1);
	CHECK(!p4x_engine__port_sched(eng, 0, 0));
	CHECK(!p4x_engine__port_sched(eng, 1, 1));
	CHECK_EQ(p4x_engine__set_port_classifier(eng, 1, &c), -EINVAL);
	CHECK_EQ(p4x_engine__set_port_classifier(eng, 0, &c), -ENOENT);
	c.def_class = 7;
	c.nb_dports = P4X_CLASSIFIER_MAX_DPORTS + 1;
	CHECK_EQ(p4x_engine__set_port_classifier(eng, 1, &c), -EINVAL);
	CHECK_EQ(p4x_engine__start(eng), 0);
	so.release = NULL;
	CHECK_EQ(p4x_engine__set_port_sched(eng, 0, &so), -EBUSY);
	finish(eng);
}

int main(void)
{
	test_errors();
	test_classify();
	test_program_class();
	test_strict();
	test_wfq();
	test_link_down();
	test_two_queues();
	printf("engine_sched: ok\n");
	return 0;
}
