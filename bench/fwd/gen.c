// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4x-gen: a traffic generator for veth benchmarks (xdp-trafficgen does
 * not run on this kernel). It hands one crafted UDP/IPv4 frame to
 * BPF_PROG_TEST_RUN with BPF_F_TEST_XDP_LIVE_FRAMES: the kernel runs
 * gen.bpf.c on it `repeat` times and transmits every result (XDP_TX) out
 * of --dev, so frames leave through ndo_xdp_xmit without any skb or
 * syscall per packet. The program rotates flows from a per-CPU counter.
 * Each thread is pinned (--cpu, --cpu + 1, ...) and calls test_run in
 * chunks until --count frames have been generated or --seconds elapsed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "p4x/common.h"
#include "p4x/log.h"

#include "fwdutil.h"
#include "gen.skel.h"

/*
 * Every test_run call ends with an RCU grace period (the live-frames page
 * pool is torn down), tens of ms on a HZ=100 VM; so calls are sized to last
 * about GEN_CALL_NS at the rate measured so far, and the last one to end at
 * the deadline. The first call is GEN_FIRST_CHUNK frames.
 */
#define GEN_CALL_NS 2000000000ull
#define GEN_FIRST_CHUNK (256u * 1024u)
#define GEN_MIN_CHUNK (16u * 1024u)
#define GEN_MIN_LEN 60
#define GEN_MAX_LEN 1514
#define GEN_MAX_THREADS 64

struct gen_cfg {
	const char *dev;
	uint64_t count;
	double seconds;
	uint8_t dmac[ETH_ALEN], smac[ETH_ALEN];
	bool have_dmac, have_smac;
	struct in_addr src, dst;
	uint64_t flows, cpu, threads, size, sport, dport;
};

struct gen_run {
	const struct gen_cfg *cfg;
	int prog_fd;
	int ifindex;
	uint8_t frame[GEN_MAX_LEN];
	uint64_t deadline_ns;
	_Atomic uint64_t budget; /* frames left to claim */
	_Atomic int err;
};

struct gen_worker {
	struct gen_run *run;
	int cpu;
	pthread_t tid;
};

enum {
	OPT_DEV,
	OPT_COUNT,
	OPT_SECONDS,
	OPT_DMAC,
	OPT_SMAC,
	OPT_SRC,
	OPT_DST,
	OPT_FLOWS,
	OPT_CPU,
	OPT_THREADS,
	OPT_SIZE,
	OPT_SPORT,
	OPT_DPORT,
};

static const struct p4x_bench_opt gen_opts[] = {
	[OPT_DEV] = {"dev", "IFNAME", "send out of this interface (required)"},
	[OPT_COUNT] = {"count", "N",
		       "stop after N frames (default 0: no limit)"},
	[OPT_SECONDS] = {"seconds", "S", "stop after S seconds (default 10)"},
	[OPT_DMAC] = {"dmac", "MAC", "destination MAC (required)"},
	[OPT_SMAC] = {"smac", "MAC", "source MAC (default: the device's)"},
	[OPT_SRC] = {"src", "IP", "first IPv4 source (default 10.0.0.1)"},
	[OPT_DST] = {"dst", "IP", "IPv4 destination (default 10.1.0.1)"},
	[OPT_FLOWS] = {"flows", "N",
		       "rotate over N flows: source port + i % 1024, source IP "
		       "+ i / 1024 (default 1)"},
	[OPT_CPU] = {"cpu", "C", "pin thread i to CPU C + i (default 0)"},
	[OPT_THREADS] = {"threads", "N", "generator threads (default 1)"},
	[OPT_SIZE] = {"size", "BYTES", "frame length without FCS (default 64)"},
	[OPT_SPORT] = {"sport", "PORT", "first UDP source port (default 1024)"},
	[OPT_DPORT] = {"dport", "PORT", "UDP destination port (default 9)"},
	{0},
};

static int parse_ip(const char *what, const char *s, struct in_addr *ip)
{
	if (inet_pton(AF_INET, s, ip) == 1)
		return 0;
	p4x_warn("bad %s '%s' (want an IPv4 address)", what, s);
	return -EINVAL;
}

static int gen_set(int idx, const char *v, void *ctx)
{
	struct gen_cfg *c = ctx;

	switch (idx) {
	case OPT_DEV:
		c->dev = v;
		return 0;
	case OPT_COUNT:
		return p4x_bench_parse_u64("--count", v, 0, UINT64_MAX / 2,
					   &c->count);
	case OPT_SECONDS:
		return p4x_bench_parse_secs("--seconds", v, &c->seconds);
	case OPT_DMAC:
		c->have_dmac = true;
		return p4x_bench_parse_mac(v, c->dmac);
	case OPT_SMAC:
		c->have_smac = true;
		return p4x_bench_parse_mac(v, c->smac);
	case OPT_SRC:
		return parse_ip("--src", v, &c->src);
	case OPT_DST:
		return parse_ip("--dst", v, &c->dst);
	case OPT_FLOWS:
		return p4x_bench_parse_u64("--flows", v, 1, 1u << 24,
					   &c->flows);
	case OPT_CPU:
		return p4x_bench_parse_u64("--cpu", v, 0, CPU_SETSIZE - 1,
					   &c->cpu);
	case OPT_THREADS:
		return p4x_bench_parse_u64("--threads", v, 1, GEN_MAX_THREADS,
					   &c->threads);
	case OPT_SIZE:
		return p4x_bench_parse_u64("--size", v, GEN_MIN_LEN,
					   GEN_MAX_LEN, &c->size);
	case OPT_SPORT:
		return p4x_bench_parse_u64("--sport", v, 1, 65535, &c->sport);
	case OPT_DPORT:
		return p4x_bench_parse_u64("--dport", v, 1, 65535, &c->dport);
	}
	return -EINVAL;
}

static int gen_config(int argc, char **argv, struct gen_cfg *c)
{
	*c = (struct gen_cfg){.seconds = 10,
			      .flows = 1,
			      .threads = 1,
			      .size = 64,
			      .sport = 1024,
			      .dport = 9};
	inet_pton(AF_INET, "10.0.0.1", &c->src);
	inet_pton(AF_INET, "10.1.0.1", &c->dst);
	if (p4x_bench_parse(
		    argc, argv, gen_opts,
		    "Send UDP/IPv4 frames with BPF_PROG_TEST_RUN live frames.",
		    gen_set, c))
		return -EINVAL;
	if (!c->dev || !c->have_dmac) {
		p4x_warn("p4x-gen: --dev and --dmac are required");
		return -EINVAL;
	}
	if (!if_nametoindex(c->dev) ||
	    (!c->have_smac && p4x_bench_if_mac(c->dev, c->smac))) {
		p4x_warn("p4x-gen: no interface '%s' in this netns", c->dev);
		return -ENODEV;
	}
	return 0;
}

/* Claim up to @want frames from the budget; 0 when it is spent. */
static uint32_t gen_claim(struct gen_run *r, uint64_t want)
{
	uint64_t left = atomic_load(&r->budget), n;

	do {
		if (!left)
			return 0;
		n = P4X_MIN(left, want);
	} while (!atomic_compare_exchange_weak(&r->budget, &left, left - n));
	return (uint32_t)n;
}

/* Frames for the next call: what this thread sends in min(GEN_CALL_NS,
 * time left) at its measured rate (@sent frames in @ns). */
static uint64_t gen_chunk(const struct gen_run *r, uint64_t sent, uint64_t ns)
{
	uint64_t now = p4x_bench_now_ns(), left, want;

	if (now >= r->deadline_ns)
		return 0;
	if (!ns)
		return GEN_FIRST_CHUNK;
	left = P4X_MIN(r->deadline_ns - now, GEN_CALL_NS);
	want = (uint64_t)((double)sent * (double)left / (double)ns);
	return P4X_MIN(P4X_MAX(want, GEN_MIN_CHUNK), UINT32_MAX);
}

static void *gen_thread(void *arg)
{
	struct gen_worker *w = arg;
	struct gen_run *r = w->run;
	int err;
	struct xdp_md md = {.data_end = (uint32_t)r->cfg->size,
			    .ingress_ifindex = (uint32_t)r->ifindex};
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = r->frame,
		    .data_size_in = (uint32_t)r->cfg->size, .ctx_in = &md,
		    .ctx_size_in = sizeof(md),
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES);
	uint64_t sent = 0, ns = 0, t0, want;
	uint32_t n;

	err = p4x_bench_pin(w->cpu);
	if (err)
		goto out;
	while ((want = gen_chunk(r, sent, ns)) && (n = gen_claim(r, want))) {
		o.repeat = n;
		t0 = p4x_bench_now_ns();
		if (bpf_prog_test_run_opts(r->prog_fd, &o)) {
			err = -errno;
			goto out;
		}
		ns += p4x_bench_now_ns() - t0;
		sent += n;
	}
out:
	if (err)
		atomic_store(&r->err, err);
	return NULL;
}

static int gen_run_threads(struct gen_run *r)
{
	struct gen_worker w[GEN_MAX_THREADS];
	uint64_t i, started;
	int err = 0;

	for (started = 0; started < r->cfg->threads; started++) {
		w[started] = (struct gen_worker){
			.run = r, .cpu = (int)(r->cfg->cpu + started)};
		err = -pthread_create(&w[started].tid, NULL, gen_thread,
				      &w[started]);
		if (err)
			break;
	}
	for (i = 0; i < started; i++)
		pthread_join(w[i].tid, NULL);
	return err ? err : atomic_load(&r->err);
}

static int gen_load(const struct gen_cfg *c, struct gen_run *r,
		    struct p4x_gen **skel)
{
	int err;

	*skel = p4x_gen__open();
	if (!*skel)
		return -errno;
	p4x_bench_build_udp4(
		r->frame, c->size,
		&(struct p4x_bench_udp4){.dmac = c->dmac,
					 .smac = c->smac,
					 .src = c->src.s_addr,
					 .dst = c->dst.s_addr,
					 .sport = (uint16_t)c->sport,
					 .dport = (uint16_t)c->dport});
	/* The template holds the headers (and a few payload bytes). */
	memcpy((void *)(*skel)->rodata->tmpl, r->frame,
	       sizeof((*skel)->rodata->tmpl));
	(*skel)->rodata->n_flows = (uint32_t)c->flows;
	err = p4x_gen__load(*skel);
	if (err)
		return err;
	r->prog_fd = bpf_program__fd((*skel)->progs.p4x_gen);
	return 0;
}

int main(int argc, char **argv)
{
	static struct gen_run r;
	struct p4x_gen *skel = NULL;
	struct gen_cfg c;
	uint64_t t0, sent = 0;
	double secs;
	int err;

	p4x_log__init(P4X_LOG_WARN);
	if (gen_config(argc, argv, &c))
		return 2;
	r.cfg = &c;
	r.ifindex = (int)if_nametoindex(c.dev);
	err = gen_load(&c, &r, &skel);
	if (err) {
		p4x_warn("p4x-gen: loading gen.bpf.o: %s", strerror(-err));
		goto out;
	}
	atomic_store(&r.budget, c.count ? c.count : UINT64_MAX);
	t0 = p4x_bench_now_ns();
	r.deadline_ns = t0 + (uint64_t)(c.seconds * 1e9);
	err = gen_run_threads(&r);
	secs = (double)(p4x_bench_now_ns() - t0) / 1e9;
	if (err)
		p4x_warn("p4x-gen: BPF_PROG_TEST_RUN on %s: %s", c.dev,
			 strerror(-err));
	else
		err = p4x_bench_percpu_sum(bpf_map__fd(skel->maps.runs), 0,
					   &sent);
	if (!err)
		printf("p4x-gen: dev %s generated %llu frames of %llu B in "
		       "%.2f s: %.3f Mpps\n",
		       c.dev, (unsigned long long)sent,
		       (unsigned long long)c.size, secs,
		       (double)sent / secs / 1e6);
out:
	p4x_gen__destroy(skel);
	return err ? 1 : 0;
}
