// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4x-sink: the receiver of the forwarding benchmark. It attaches
 * sink.bpf.c (native XDP, count and XDP_DROP) to --dev, waits --warmup
 * seconds, then counts frames for --seconds and prints the rate of frames
 * that carry --mac as destination ("good": forwarded for this hop) and of
 * all others, with the busy share of each CPU over the window (from
 * /proc/stat, so the limiting CPU is visible). Counting in XDP keeps the
 * sink cheaper than any forwarder it measures: no skb reaches the stack.
 * With --json the same figures are printed as one JSON object.
 */
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/if_link.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <json-c/json.h>

#include "p4x/common.h"

#include "fwdutil.h"
#include "sink.h"
#include "sink.skel.h"

#define SINK_MAX_CPUS 256



struct sink_cfg {
	const char *dev;
	uint8_t mac[ETH_ALEN];
	bool have_mac, json;
	double warmup, seconds;
};

/* A snapshot: counters, and per-CPU busy/total jiffies. */
struct sink_snap {
	uint64_t ns, cnt[P4X_SINK_NR];
	uint64_t busy[SINK_MAX_CPUS], total[SINK_MAX_CPUS];
	int ncpu;
};

enum { OPT_DEV, OPT_MAC, OPT_WARMUP, OPT_SECONDS, OPT_JSON };

static const struct p4x_bench_opt sink_opts[] = {
	[OPT_DEV] = { "dev", "IFNAME", "count frames arriving here (required)" },
	[OPT_MAC] = { "mac", "MAC", "expected destination MAC (default: the device's)" },
	[OPT_WARMUP] = { "warmup", "S", "seconds before counting starts (default 1)" },
	[OPT_SECONDS] = { "seconds", "S", "counting window (default 5)" },
	[OPT_JSON] = { "json", NULL, "print one JSON object instead of text" },
	{ 0 },
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

static int sink_set(int idx, const char *v, void *ctx)
{
	struct sink_cfg *c = ctx;

	switch (idx) {
	case OPT_DEV: c->dev = v; return 0;
	case OPT_MAC: c->have_mac = true; return p4x_bench_parse_mac(v, c->mac);
	case OPT_WARMUP: return p4x_bench_parse_secs("--warmup", v, &c->warmup);
	case OPT_SECONDS: return p4x_bench_parse_secs("--seconds", v, &c->seconds);
	case OPT_JSON: c->json = true; return 0;
	}
	return -EINVAL;
}

static int sink_config(int argc, char **argv, struct sink_cfg *c)
{
	*c = (struct sink_cfg){ .warmup = 1, .seconds = 5 };
	if (p4x_bench_parse(argc, argv, sink_opts,
			    "Count and drop frames arriving on a veth; print the rate.",
			    sink_set, c))
		return -EINVAL;
	if (!c->dev) {
		fprintf(stderr, "p4x-sink: --dev is required\n");
		return -EINVAL;
	}
	if (!if_nametoindex(c->dev) ||
	    (!c->have_mac && p4x_bench_if_mac(c->dev, c->mac))) {
		fprintf(stderr, "p4x-sink: no interface '%s' in this netns\n",
			c->dev);
		return -ENODEV;
	}
	return 0;
}

/* Read "cpuN user nice system idle iowait irq softirq steal" lines. */
static void sink_read_cpus(struct sink_snap *s)
{
	unsigned long long v[8];
	char line[256];
	FILE *f = fopen("/proc/stat", "re");
	int cpu, i;

	s->ncpu = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu",
			   &cpu, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
			   &v[7]) != 9 || cpu < 0 || cpu >= SINK_MAX_CPUS)
			continue;
		for (s->total[cpu] = 0, i = 0; i < 8; i++)
			s->total[cpu] += v[i];
		s->busy[cpu] = s->total[cpu] - v[3] - v[4];
		s->ncpu = P4X_MAX(s->ncpu, cpu + 1);
	}
	fclose(f);
}

static int sink_snap(const struct p4x_sink *skel, struct sink_snap *s)
{
	int fd = bpf_map__fd(skel->maps.counts), err, k;

	for (k = 0; k < P4X_SINK_NR; k++) {
		err = p4x_bench_percpu_sum(fd, (uint32_t)k, &s->cnt[k]);
		if (err)
			return err;
	}
	sink_read_cpus(s);
	s->ns = p4x_bench_now_ns();
	return 0;
}

/* Sleep @secs unless a signal arrives; 0 or -EINTR. */
static int sink_sleep(double secs)
{
	struct timespec ts = { (time_t)secs,
			       (long)((secs - (double)(time_t)secs) * 1e9) };

	while (nanosleep(&ts, &ts))
		if (errno != EINTR || stop)
			return -EINTR;
	return stop ? -EINTR : 0;
}

static double cpu_busy(const struct sink_snap *a, const struct sink_snap *b,
		       int cpu)
{
	uint64_t t = b->total[cpu] - a->total[cpu];

	return t ? 100.0 * (double)(b->busy[cpu] - a->busy[cpu]) / (double)t
		 : 0;
}

static void sink_print(const struct sink_cfg *c, const struct sink_snap *a,
		       const struct sink_snap *b)
{
	double secs = (double)(b->ns - a->ns) / 1e9;
	uint64_t good = b->cnt[P4X_SINK_GOOD] - a->cnt[P4X_SINK_GOOD];
	uint64_t other = b->cnt[P4X_SINK_OTHER] - a->cnt[P4X_SINK_OTHER];
	struct json_object *o, *busy;
	int cpu;

	if (!c->json) {
		printf("p4x-sink: dev %s %.2f s: %.3f Mpps good (%llu), %.3f Mpps other (%llu); CPU busy",
		       c->dev, secs, (double)good / secs / 1e6,
		       (unsigned long long)good, (double)other / secs / 1e6,
		       (unsigned long long)other);
		for (cpu = 0; cpu < b->ncpu; cpu++)
			printf(" cpu%d %.0f%%", cpu, cpu_busy(a, b, cpu));
		printf("\n");
		return;
	}
	o = json_object_new_object();
	busy = json_object_new_array();
	json_object_object_add(o, "dev", json_object_new_string(c->dev));
	json_object_object_add(o, "seconds", json_object_new_double(secs));
	json_object_object_add(o, "good", json_object_new_uint64(good));
	json_object_object_add(o, "other", json_object_new_uint64(other));
	json_object_object_add(o, "mpps",
			       json_object_new_double((double)good / secs / 1e6));
	for (cpu = 0; cpu < b->ncpu; cpu++)
		json_object_array_add(busy,
				      json_object_new_double(cpu_busy(a, b, cpu)));
	json_object_object_add(o, "cpu_busy_pct", busy);
	printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
}

static int sink_measure(const struct sink_cfg *c, const struct p4x_sink *skel)
{
	struct sink_snap a, b;
	int err;

	err = sink_sleep(c->warmup);
	if (err)
		return err;
	err = sink_snap(skel, &a);
	if (err)
		return err;
	err = sink_sleep(c->seconds);
	if (err)
		return err;
	err = sink_snap(skel, &b);
	if (err)
		return err;
	sink_print(c, &a, &b);
	return 0;
}

int main(int argc, char **argv)
{
	struct p4x_sink *skel;
	struct sink_cfg c;
	int ifindex, err;

	if (sink_config(argc, argv, &c))
		return 2;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	ifindex = (int)if_nametoindex(c.dev);
	skel = p4x_sink__open();
	if (!skel)
		return 1;
	memcpy((void *)skel->rodata->want_dmac, c.mac, ETH_ALEN);
	err = p4x_sink__load(skel);
	if (err)
		goto out;
	err = bpf_xdp_attach(ifindex, bpf_program__fd(skel->progs.p4x_sink),
			     XDP_FLAGS_DRV_MODE, NULL);
	if (err) {
		fprintf(stderr, "p4x-sink: attaching native XDP to %s: %s\n",
			c.dev, strerror(-err));
		goto out;
	}
	err = sink_measure(&c, skel);
	bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
out:
	if (err && err != -EINTR)
		fprintf(stderr, "p4x-sink: %s: %s\n", c.dev, strerror(-err));
	p4x_sink__destroy(skel);
	return err ? 1 : 0;
}
