// SPDX-License-Identifier: BSD-3-Clause
/*
 * Engine over memory ports: forwarding both ways with MAC rewrite (byte
 * by byte), exact counters, NO_ROUTE drops, cross-worker queue choice,
 * program swaps under traffic without loss or duplicates, no frame leak.
 * Waits are bounded (WAIT_S); nothing asserts on timing.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "p4x/engine.h"
#include "p4x/port_mem.h"
#include "check.h"
#include "frames.h"

#define NB_FRAMES 16384
#define WAIT_S 20.0
#define LEN0 98
#define LEN1 64

static const uint8_t MAC_P0[6] = {2, 0xaa, 0, 0, 0, 0};
static const uint8_t MAC_P1[6] = {2, 0xaa, 0, 0, 0, 1};
static const uint8_t HOST0[6] = {2, 0xbb, 0, 0, 0, 0};
static const uint8_t HOST1[6] = {2, 0xbb, 0, 0, 0, 1};
static const uint8_t SRC_X[6] = {2, 0xcc, 0, 0, 0, 9};
static const int CORES[2] = {0, 1};

static struct p4x_engine *new_engine_opts(uint16_t q0, uint16_t q1, bool no_tx)
{
	struct p4x_engine_opts o = {
		.sz = sizeof(o),
		.nb_frames = NB_FRAMES,
		.cores = CORES,
		.nb_cores = 2,
		.no_tx = no_tx,
	};
	struct p4x_engine *eng = p4x_engine__new(&o);
	struct p4x_port *p0, *p1;

	CHECK(eng);
	p0 = p4x_port_mem__new("m0", q0, p4x_engine__pool(eng));
	p1 = p4x_port_mem__new("m1", q1, p4x_engine__pool(eng));
	CHECK(p0 && p1);
	p4x_port_mem__set_mac(p0, MAC_P0);
	p4x_port_mem__set_mac(p1, MAC_P1);
	CHECK_EQ(p4x_engine__add_port(eng, p0), 0);
	CHECK_EQ(p4x_engine__add_port(eng, p1), 1);
	return eng;
}

static struct p4x_engine *new_engine(uint16_t q0, uint16_t q1)
{
	return new_engine_opts(q0, q1, false);
}

static void set_fwd(struct p4x_engine *eng, struct p4x_fwd_rule *r,
		    unsigned int n)
{
	struct p4x_prog prog;

	p4x_engine__fwd_default_src(eng, r, n);
	CHECK_EQ(p4x_prog_fwd__init(&prog, r, n), 0);
	CHECK_EQ(p4x_engine__set_prog(eng, &prog), 0);
}

static void inject(struct p4x_engine *eng, unsigned int port, uint16_t q,
		   unsigned int len, uint32_t seq)
{
	uint8_t f[256];
	double t0 = check_now();
	int ret;

	frame_udp4(f, len, HOST1, HOST0, seq);
	while ((ret = p4x_port_mem__inject(p4x_engine__port(eng, port), q, f,
					   len)) == -ENOSPC ||
	       ret == -ENOBUFS) {
		CHECK(check_now() - t0 < WAIT_S);
		sched_yield();
	}
	CHECK_EQ(ret, 0);
}

/*
 * Capture from @port until @n frames arrived (bounded); check each one
 * against the injected frame with @dst/@src rewritten, @seen[seq] once.
 */
static void expect(struct p4x_engine *eng, unsigned int port, unsigned int n,
		   unsigned int len, const uint8_t *dst, const uint8_t *src,
		   uint8_t *seen, unsigned int nseen)
{
	uint8_t buf[256], want[256];
	double t0 = check_now();
	unsigned int got = 0;
	uint32_t seq;
	int ret;

	while (got < n) {
		ret = p4x_port_mem__capture(p4x_engine__port(eng, port), buf,
					    sizeof(buf), NULL);
		if (ret == -EAGAIN) {
			CHECK(check_now() - t0 < WAIT_S);
			usleep(200);
			continue;
		}
		CHECK_EQ(ret, len);
		seq = frame_seq(buf);
		CHECK(seq < nseen && !seen[seq]);
		seen[seq] = 1;
		frame_udp4(want, len, dst, src, seq);
		CHECK(!memcmp(buf, want, len));
		got++;
	}
}

static void check_stats(struct p4x_engine *eng, unsigned int port, uint64_t rx,
			uint64_t rxb, uint64_t tx, uint64_t txb,
			uint64_t no_route)
{
	struct p4x_port_stats st;
	unsigned int i;

	CHECK_EQ(p4x_engine__port_stats(eng, port, &st), 0);
	CHECK_EQ(st.cnt[P4X_PORT_CNT_RX_PACKETS], rx);
	CHECK_EQ(st.cnt[P4X_PORT_CNT_RX_BYTES], rxb);
	CHECK_EQ(st.cnt[P4X_PORT_CNT_TX_PACKETS], tx);
	CHECK_EQ(st.cnt[P4X_PORT_CNT_TX_BYTES], txb);
	for (i = 0; i < P4X_DROP__COUNT; i++)
		CHECK_EQ(st.drop[i], i == P4X_DROP_NO_ROUTE ? no_route : 0);
}

static void wait_drops(struct p4x_engine *eng, unsigned int port, uint64_t want)
{
	struct p4x_port_stats st;
	double t0 = check_now();

	do {
		CHECK(check_now() - t0 < WAIT_S);
		usleep(200);
		CHECK_EQ(p4x_engine__port_stats(eng, port, &st), 0);
	} while (st.drop[P4X_DROP_NO_ROUTE] < want);
}

static void test_forward_both_ways(void)
{
	struct p4x_fwd_rule r[2] = {
		{.in_port = 0, .out_port = 1, .flags = P4X_FWD_SET_DST},
		{.in_port = 1,
		 .out_port = 0,
		 .flags = P4X_FWD_SET_DST | P4X_FWD_SET_SRC},
	};
	static uint8_t seen0[1000], seen1[1000];
	struct p4x_engine *eng = new_engine(1, 1);
	struct p4x_worker_info wi[2];
	uint8_t buf[256];
	unsigned int i;

	memcpy(r[0].dst, HOST1, 6);
	memcpy(r[1].dst, HOST0, 6);
	memcpy(r[1].src, SRC_X, 6);
	set_fwd(eng, r, 2);
	CHECK(!memcmp(r[0].src, MAC_P1, 6)); /* defaulted to the out port */
	CHECK_EQ(p4x_engine__start(eng), 0);
	CHECK_EQ(p4x_engine__start(eng), -EALREADY);
	for (i = 0; i < 1000; i++) {
		inject(eng, 0, 0, LEN0, i);
		if (i < 700)
			inject(eng, 1, 0, LEN1, i);
	}
	expect(eng, 1, 1000, LEN0, HOST1, MAC_P1, seen1, 1000);
	expect(eng, 0, 700, LEN1, HOST0, SRC_X, seen0, 1000);
	check_stats(eng, 0, 1000, 1000 * LEN0, 700, 700 * LEN1, 0);
	check_stats(eng, 1, 700, 700 * LEN1, 1000, 1000 * LEN0, 0);

	/* Port 1 loses its rule: its packets are NO_ROUTE drops. */
	set_fwd(eng, r, 1);
	for (i = 0; i < 300; i++)
		inject(eng, 1, 0, LEN1, i);
	wait_drops(eng, 1, 300);
	check_stats(eng, 1, 1000, 1000 * LEN1, 1000, 1000 * LEN0, 300);
	CHECK_EQ(p4x_port_mem__capture(p4x_engine__port(eng, 0), buf,
				       sizeof(buf), NULL),
		 -EAGAIN);
	CHECK_EQ(p4x_engine__nb_workers(eng), 2);
	for (i = 0; i < 2; i++) {
		CHECK_EQ(p4x_engine__worker_info(eng, i, &wi[i]), 0);
		CHECK_EQ(wi[i].port, i);
		CHECK_EQ(wi[i].core, (int)i);
	}
	CHECK_EQ(wi[0].rx_packets, 1000);
	CHECK_EQ(wi[1].rx_packets, 1000);
	CHECK_EQ(wi[1].drops, 300);
	p4x_engine__stop(eng);
	p4x_engine__stop(eng);
	CHECK_EQ(p4x_pool__free_count(p4x_engine__pool(eng)), NB_FRAMES);
	p4x_engine__free(eng);
}

/* Port 0 has 2 queues (workers 0, 1), port 1 one (worker 2). */
static void test_queue_choice(void)
{
	struct p4x_fwd_rule r[2] = {
		{.in_port = 0, .out_port = 1},
		{.in_port = 1, .out_port = 0},
	};
	struct p4x_engine *eng = new_engine(2, 1);
	uint8_t buf[256];
	uint16_t q;

	set_fwd(eng, r, 2);
	CHECK(!memcmp(r[0].src, MAC_P1, 6));
	CHECK_EQ(p4x_engine__start(eng), 0);
	inject(eng, 0, 1, LEN1, 1);
	inject(eng, 1, 0, LEN1, 2);
	while (p4x_port_mem__capture(p4x_engine__port(eng, 1), buf, sizeof(buf),
				     &q) == -EAGAIN)
		usleep(200);
	CHECK_EQ(frame_seq(buf), 1);
	CHECK_EQ(q, 0);
	CHECK(!memcmp(buf + 6, MAC_P1, 6));
	/* Worker 2 sends to port 0 queue 2 mod 2 = 0. */
	while (p4x_port_mem__capture(p4x_engine__port(eng, 0), buf, sizeof(buf),
				     &q) == -EAGAIN)
		usleep(200);
	CHECK_EQ(frame_seq(buf), 2);
	CHECK_EQ(q, 0);
	CHECK(!memcmp(buf + 6, MAC_P0, 6));
	p4x_engine__free(eng);
}

#define SWAP_PKTS 20000u

/* Frames in flight at most: below the capture queue and the engine's
 * cross-worker ring sizes (1024), so neither can overflow. */
#define SWAP_WINDOW 512u

struct injector {
	struct p4x_engine *eng;
	unsigned int captured; /* written by the main thread */
	int done;
};

static void *inject_thread(void *arg)
{
	struct injector *in = arg;
	double t0 = check_now();
	unsigned int i;

	for (i = 0; i < SWAP_PKTS; i++) {
		while (i - __atomic_load_n(&in->captured, __ATOMIC_ACQUIRE) >=
		       SWAP_WINDOW) {
			CHECK(check_now() - t0 < WAIT_S);
			sched_yield();
		}
		inject(in->eng, 0, 0, LEN1, i);
	}
	__atomic_store_n(&in->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void set_dst_prog(struct p4x_engine *eng, const uint8_t *dst)
{
	struct p4x_fwd_rule r = {
		.in_port = 0, .out_port = 1, .flags = P4X_FWD_SET_DST};

	memcpy(r.dst, dst, 6);
	set_fwd(eng, &r, 1);
}

/* Capture what is there; every frame's dst is HOST0 or HOST1. */
static unsigned int drain_swap(struct p4x_engine *eng, uint8_t *seen)
{
	uint8_t buf[256];
	unsigned int n = 0;
	uint32_t seq;
	int ret;

	while ((ret = p4x_port_mem__capture(p4x_engine__port(eng, 1), buf,
					    sizeof(buf), NULL)) > 0) {
		CHECK_EQ(ret, LEN1);
		CHECK(!memcmp(buf, HOST0, 6) || !memcmp(buf, HOST1, 6));
		seq = frame_seq(buf);
		CHECK(seq < SWAP_PKTS && !seen[seq]);
		seen[seq] = 1;
		n++;
	}
	return n;
}

static void test_swap_under_traffic(void)
{
	static uint8_t seen[SWAP_PKTS], seen_c[10];
	static const uint8_t HOST_C[6] = {2, 0xbb, 0, 0, 0, 0xc};
	struct p4x_engine *eng = new_engine(1, 1);
	struct injector in = {.eng = eng};
	unsigned int got = 0, swaps = 0, i, n;
	double t0 = check_now();
	pthread_t t;

	set_dst_prog(eng, HOST0);
	CHECK_EQ(p4x_engine__start(eng), 0);
	CHECK(!pthread_create(&t, NULL, inject_thread, &in));
	while (got < SWAP_PKTS) {
		CHECK(check_now() - t0 < WAIT_S);
		if (!__atomic_load_n(&in.done, __ATOMIC_ACQUIRE) || swaps < 20)
			set_dst_prog(eng, swaps++ % 2 ? HOST0 : HOST1);
		n = drain_swap(eng, seen);
		if (!n)
			usleep(50);
		got += n;
		__atomic_store_n(&in.captured, got, __ATOMIC_RELEASE);
	}
	pthread_join(t, NULL);
	CHECK(swaps >= 20);
	check_stats(eng, 0, SWAP_PKTS, SWAP_PKTS * LEN1, 0, 0, 0);
	check_stats(eng, 1, 0, 0, SWAP_PKTS, SWAP_PKTS * LEN1, 0);
	/* The last program published is the one that runs. */
	set_dst_prog(eng, HOST_C);
	for (i = 0; i < 10; i++)
		inject(eng, 0, 0, LEN1, i);
	expect(eng, 1, 10, LEN1, HOST_C, MAC_P1, seen_c, 10);
	p4x_engine__stop(eng);
	CHECK_EQ(p4x_pool__free_count(p4x_engine__pool(eng)), NB_FRAMES);
	p4x_engine__free(eng);
}

/* no_tx: the program runs (NO_ROUTE counted), frames are freed, none sent. */
static void test_no_tx(void)
{
	struct p4x_fwd_rule r = {.in_port = 0, .out_port = 1};
	struct p4x_engine *eng = new_engine_opts(1, 1, true);
	struct p4x_port_stats st;
	double t0 = check_now();
	uint8_t buf[256];
	unsigned int i;

	set_fwd(eng, &r, 1);
	CHECK_EQ(p4x_engine__start(eng), 0);
	for (i = 0; i < 500; i++) {
		inject(eng, 0, 0, LEN1, i);
		inject(eng, 1, 0, LEN1, i);
	}
	wait_drops(eng, 1, 500);
	do {
		CHECK(check_now() - t0 < WAIT_S);
		usleep(200);
		CHECK_EQ(p4x_engine__port_stats(eng, 0, &st), 0);
	} while (st.cnt[P4X_PORT_CNT_RX_PACKETS] < 500);
	check_stats(eng, 0, 500, 500 * LEN1, 0, 0, 0);
	check_stats(eng, 1, 500, 500 * LEN1, 0, 0, 500);
	CHECK_EQ(p4x_port_mem__capture(p4x_engine__port(eng, 1), buf,
				       sizeof(buf), NULL),
		 -EAGAIN);
	p4x_engine__stop(eng);
	CHECK_EQ(p4x_pool__free_count(p4x_engine__pool(eng)), NB_FRAMES);
	p4x_engine__free(eng);
}

/* A program that pushes 4 bytes in front, or (seq 1) runs off the frame. */
static int push_parse(void *ctx, struct p4x_pkt *pkt)
{
	return 0;
}

static void push_main(void *ctx, struct p4x_pkt *pkt)
{
	pkt->out_port = 1;
	if (frame_seq(pkt->data) == 1) {
		pkt->len = P4X_FRAME_SIZE;
		return;
	}
	pkt->data -= 4;
	pkt->len += 4;
	memcpy(pkt->data, "PUSH", 4);
}

static const struct p4x_prog_ops push_ops = {
	.name = "push",
	.parse = push_parse,
	.main = push_main,
};

static void test_push(void)
{
	struct p4x_prog prog = {.ops = &push_ops};
	struct p4x_engine *eng = new_engine(1, 1);
	uint8_t buf[256], want[256];
	struct p4x_port_stats st;

	CHECK_EQ(p4x_engine__set_prog(eng, &prog), 0);
	CHECK_EQ(p4x_engine__start(eng), 0);
	inject(eng, 0, 0, LEN1, 1);
	inject(eng, 0, 0, LEN1, 2);
	while (p4x_port_mem__capture(p4x_engine__port(eng, 1), buf, sizeof(buf),
				     NULL) == -EAGAIN)
		usleep(200);
	memcpy(want, "PUSH", 4);
	frame_udp4(want + 4, LEN1, HOST1, HOST0, 2);
	CHECK(!memcmp(buf, want, LEN1 + 4));
	CHECK_EQ(p4x_engine__port_stats(eng, 0, &st), 0);
	CHECK_EQ(st.drop[P4X_DROP_TOO_BIG], 1);
	p4x_engine__stop(eng);
	CHECK_EQ(p4x_port_mem__capture(p4x_engine__port(eng, 1), buf,
				       sizeof(buf), NULL),
		 -EAGAIN);
	CHECK_EQ(p4x_pool__free_count(p4x_engine__pool(eng)), NB_FRAMES);
	p4x_engine__free(eng);
}

static void test_errors(void)
{
	struct p4x_engine *eng = p4x_engine__new(NULL);
	struct p4x_pool *other = p4x_pool__new(NULL);
	struct p4x_xdp_stats xs;
	struct p4x_prog bad = {0};

	CHECK(eng && other);
	CHECK_EQ(p4x_engine__start(eng), -EINVAL);
	CHECK_EQ(p4x_engine__add_port(eng, p4x_port_mem__new("x", 1, other)),
		 -EINVAL);
	CHECK_EQ(p4x_engine__add_port(
			 eng, p4x_port_mem__new("a", 1, p4x_engine__pool(eng))),
		 0);
	CHECK_EQ(p4x_engine__add_port(
			 eng, p4x_port_mem__new("a", 1, p4x_engine__pool(eng))),
		 -EEXIST);
	CHECK_EQ(p4x_engine__nb_ports(eng), 1);
	CHECK_EQ(p4x_engine__port_by_name(eng, "a"), 0);
	CHECK_EQ(p4x_engine__port_by_name(eng, "b"), -ENOENT);
	CHECK(!p4x_engine__port(eng, 1));
	CHECK_EQ(p4x_engine__port_xdp_stats(eng, 0, &xs), -EOPNOTSUPP);
	CHECK_EQ(p4x_engine__port_xdp_stats(eng, 1, &xs), -ENOENT);
	CHECK_EQ(p4x_engine__set_prog(eng, &bad), -EINVAL);
	/* The rejected port was closed: its pool has every frame back. */
	CHECK_EQ(p4x_pool__free_count(other), p4x_pool__nb_frames(other));
	p4x_engine__free(eng);
	p4x_engine__free(NULL);
	p4x_pool__free(other);
}

int main(void)
{
	test_errors();
	test_forward_both_ways();
	test_queue_choice();
	test_swap_under_traffic();
	test_no_tx();
	test_push();
	printf("engine: ok\n");
	return 0;
}
