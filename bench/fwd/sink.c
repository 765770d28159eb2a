// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4x-sink: the receiver of the forwarding benchmark. It attaches a
 * sink.bpf.c program (count per CPU, then drop) to --dev at tc ingress
 * (default) or in native XDP (--hook xdp), waits --warmup seconds, then
 * counts frames for --seconds and prints the rate of frames that carry
 * --mac as destination ("good": forwarded for this hop) and of all others,
 * with the busy share of each CPU over the window (from /proc/stat, so the
 * limiting CPU is visible). Dropping in the first hook keeps the sink far
 * cheaper than the forwarders it measures: nothing reaches the IP stack.
 * Why tc is the default: docs/benchmarks.md. With --ethtool STAT it attaches
 * nothing and reads that ethtool counter of --dev instead (e.g.
 * rx_queue_0_xdp_redirect: frames a veth's XDP program delivered into an AF_XDP
 * socket, for the rx-drop legs). With --json the same figures are printed as
 * one JSON object.
 */
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <json-c/json.h>

#include "p4x/common.h"
#include "p4x/log.h"

#include "fwdutil.h"
#include "sink.h"
#include "sink.skel.h"

#define SINK_MAX_CPUS 256

enum sink_hook { SINK_HOOK_TC, SINK_HOOK_XDP };

struct sink_cfg {
	const char *dev;
	const char *ethtool; /* NULL: count with sink.bpf.c at @hook */
	enum sink_hook hook;
	uint8_t mac[ETH_ALEN];
	bool have_mac, json;
	double warmup, seconds;
};

/* Where the counts come from: the XDP program, or one ethtool stat. */
struct sink_src {
	struct p4x_sink *skel; /* NULL in ethtool mode */
	bool tc_hook;	       /* we created the clsact qdisc */
	int ifindex;
	int sock_fd; /* ethtool mode: for SIOCETHTOOL */
	uint32_t stat_idx, n_stats;
};

/* A snapshot: counters, and per-CPU busy/total jiffies. */
struct sink_snap {
	uint64_t ns, cnt[P4X_SINK_NR];
	uint64_t busy[SINK_MAX_CPUS], total[SINK_MAX_CPUS];
	int ncpu;
};

enum {
	OPT_DEV,
	OPT_MAC,
	OPT_WARMUP,
	OPT_SECONDS,
	OPT_HOOK,
	OPT_ETHTOOL,
	OPT_JSON,
};

static const struct p4x_bench_opt sink_opts[] = {
	[OPT_DEV] = {"dev", "IFNAME", "count frames arriving here (required)"},
	[OPT_MAC] = {"mac", "MAC",
		     "expected destination MAC (default: the device's)"},
	[OPT_WARMUP] = {"warmup", "S",
			"seconds before counting starts (default 1)"},
	[OPT_SECONDS] = {"seconds", "S", "counting window (default 5)"},
	[OPT_HOOK] = {"hook", "tc|xdp",
		      "count at tc ingress (default) or in native XDP"},
	[OPT_ETHTOOL] = {"ethtool", "STAT",
			 "read this ethtool counter of --dev; attach "
			 "nothing"},
	[OPT_JSON] = {"json", NULL, "print one JSON object instead of text"},
	{0},
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

static int sink_parse_hook(const char *v, enum sink_hook *hook)
{
	if (!strcmp(v, "tc") || !strcmp(v, "xdp")) {
		*hook = !strcmp(v, "tc") ? SINK_HOOK_TC : SINK_HOOK_XDP;
		return 0;
	}
	p4x_warn("bad --hook '%s' (want tc or xdp)", v);
	return -EINVAL;
}

static int sink_set(int idx, const char *v, void *ctx)
{
	struct sink_cfg *c = ctx;

	switch (idx) {
	case OPT_DEV:
		c->dev = v;
		return 0;
	case OPT_MAC:
		c->have_mac = true;
		return p4x_bench_parse_mac(v, c->mac);
	case OPT_WARMUP:
		return p4x_bench_parse_secs("--warmup", v, &c->warmup);
	case OPT_SECONDS:
		return p4x_bench_parse_secs("--seconds", v, &c->seconds);
	case OPT_HOOK:
		return sink_parse_hook(v, &c->hook);
	case OPT_ETHTOOL:
		c->ethtool = v;
		return 0;
	case OPT_JSON:
		c->json = true;
		return 0;
	}
	return -EINVAL;
}

static int sink_config(int argc, char **argv, struct sink_cfg *c)
{
	*c = (struct sink_cfg){.warmup = 1, .seconds = 5};
	if (p4x_bench_parse(
		    argc, argv, sink_opts,
		    "Count and drop frames arriving on a veth; print the rate.",
		    sink_set, c))
		return -EINVAL;
	if (!c->dev) {
		p4x_warn("p4x-sink: --dev is required");
		return -EINVAL;
	}
	if (!if_nametoindex(c->dev) ||
	    (!c->have_mac && p4x_bench_if_mac(c->dev, c->mac))) {
		p4x_warn("p4x-sink: no interface '%s' in this netns", c->dev);
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
		if (sscanf(line,
			   "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu",
			   &cpu, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
			   &v[6], &v[7]) != 9 ||
		    cpu < 0 || cpu >= SINK_MAX_CPUS)
			continue;
		for (s->total[cpu] = 0, i = 0; i < 8; i++)
			s->total[cpu] += v[i];
		s->busy[cpu] = s->total[cpu] - v[3] - v[4];
		s->ncpu = P4X_MAX(s->ncpu, cpu + 1);
	}
	fclose(f);
}

static int ethtool_ioctl(const struct sink_src *src, const char *dev, void *cmd)
{
	struct ifreq ifr = {.ifr_data = cmd};

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	return ioctl(src->sock_fd, SIOCETHTOOL, &ifr) ? -errno : 0;
}

/* Find ethtool stat @name of @dev: sets src->stat_idx and src->n_stats. */
static int ethtool_find(struct sink_src *src, const char *dev, const char *name)
{
	struct {
		struct ethtool_sset_info hdr;
		uint32_t len;
	} info = {.hdr = {.cmd = ETHTOOL_GSSET_INFO,
			  .sset_mask = 1ull << ETH_SS_STATS}};
	struct ethtool_gstrings *gs;
	int err;
	uint32_t i;

	err = ethtool_ioctl(src, dev, &info);
	if (err)
		return err;
	src->n_stats = info.hdr.sset_mask ? info.len : 0;
	gs = calloc(1, sizeof(*gs) + (size_t)src->n_stats * ETH_GSTRING_LEN);
	if (!gs)
		return -ENOMEM;
	*gs = (struct ethtool_gstrings){.cmd = ETHTOOL_GSTRINGS,
					.string_set = ETH_SS_STATS,
					.len = src->n_stats};
	err = ethtool_ioctl(src, dev, gs);
	if (err)
		goto out;
	err = -ENOENT;
	for (i = 0; i < gs->len; i++) {
		if (!strncmp((char *)gs->data + i * ETH_GSTRING_LEN, name,
			     ETH_GSTRING_LEN)) {
			src->stat_idx = i;
			err = 0;
			break;
		}
	}
out:
	free(gs);
	return err;
}

static int ethtool_read(const struct sink_src *src, const char *dev,
			uint64_t *val)
{
	struct ethtool_stats *st;
	int err;

	st = calloc(1, sizeof(*st) + (size_t)src->n_stats * sizeof(uint64_t));
	if (!st)
		return -ENOMEM;
	*st = (struct ethtool_stats){.cmd = ETHTOOL_GSTATS,
				     .n_stats = src->n_stats};
	err = ethtool_ioctl(src, dev, st);
	if (!err && st->n_stats != src->n_stats)
		err = -EAGAIN;
	if (!err)
		*val = st->data[src->stat_idx];
	free(st);
	return err;
}

static int sink_snap(const struct sink_cfg *c, const struct sink_src *src,
		     struct sink_snap *s)
{
	int err = 0, k;

	s->cnt[P4X_SINK_OTHER] = 0;
	if (!src->skel)
		err = ethtool_read(src, c->dev, &s->cnt[P4X_SINK_GOOD]);
	for (k = 0; src->skel && !err && k < P4X_SINK_NR; k++)
		err = p4x_bench_percpu_sum(bpf_map__fd(src->skel->maps.counts),
					   (uint32_t)k, &s->cnt[k]);
	if (err)
		return err;
	s->ns = p4x_bench_now_ns();
	sink_read_cpus(s);
	return 0;
}

/* Sleep @secs unless a signal arrives; 0 or -EINTR. */
static int sink_sleep(double secs)
{
	struct timespec ts = {(time_t)secs,
			      (long)((secs - (double)(time_t)secs) * 1e9)};

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

static const char *sink_source(const struct sink_cfg *c)
{
	if (c->ethtool)
		return c->ethtool;
	return c->hook == SINK_HOOK_XDP ? "xdp" : "tc";
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
		printf("p4x-sink: %s %s %.2f s: %.3f Mpps good (%llu), %.3f "
		       "Mpps other (%llu); CPU busy",
		       c->dev, sink_source(c), secs, (double)good / secs / 1e6,
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
	json_object_object_add(o, "source",
			       json_object_new_string(sink_source(c)));
	json_object_object_add(o, "seconds", json_object_new_double(secs));
	json_object_object_add(o, "good", json_object_new_uint64(good));
	json_object_object_add(o, "other", json_object_new_uint64(other));
	json_object_object_add(
		o, "mpps", json_object_new_double((double)good / secs / 1e6));
	for (cpu = 0; cpu < b->ncpu; cpu++)
		json_object_array_add(
			busy, json_object_new_double(cpu_busy(a, b, cpu)));
	json_object_object_add(o, "cpu_busy_pct", busy);
	printf("%s\n",
	       json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
}

static int sink_measure(const struct sink_cfg *c, const struct sink_src *src)
{
	struct sink_snap a, b;
	int err;

	err = sink_sleep(c->warmup);
	if (err)
		return err;
	err = sink_snap(c, src, &a);
	if (err)
		return err;
	err = sink_sleep(c->seconds);
	if (err)
		return err;
	err = sink_snap(c, src, &b);
	if (err)
		return err;
	sink_print(c, &a, &b);
	return 0;
}

/* Load sink.bpf.c and attach its program for --hook to --dev. */
static int sink_attach(const struct sink_cfg *c, struct sink_src *src)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = src->ifindex,
		    .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts);
	int err;

	src->skel = p4x_sink__open();
	if (!src->skel)
		return -errno;
	memcpy((void *)src->skel->rodata->want_dmac, c->mac, ETH_ALEN);
	err = p4x_sink__load(src->skel);
	if (err)
		return err;
	if (c->hook == SINK_HOOK_XDP)
		return bpf_xdp_attach(
			src->ifindex,
			bpf_program__fd(src->skel->progs.p4x_sink_xdp),
			XDP_FLAGS_DRV_MODE, NULL);
	err = bpf_tc_hook_create(&hook);
	if (err)
		return err;
	src->tc_hook = true;
	opts.prog_fd = bpf_program__fd(src->skel->progs.p4x_sink_tc);
	return bpf_tc_attach(&hook, &opts);
}

static int sink_open(const struct sink_cfg *c, struct sink_src *src)
{
	*src = (struct sink_src){.ifindex = (int)if_nametoindex(c->dev),
				 .sock_fd = -1};
	if (!c->ethtool)
		return sink_attach(c, src);
	src->sock_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (src->sock_fd < 0)
		return -errno;
	return ethtool_find(src, c->dev, c->ethtool);
}

static void sink_close(const struct sink_cfg *c, struct sink_src *src)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = src->ifindex,
		    .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);

	if (src->tc_hook)
		bpf_tc_hook_destroy(&hook);
	if (src->skel && c->hook == SINK_HOOK_XDP)
		bpf_xdp_detach(src->ifindex, XDP_FLAGS_DRV_MODE, NULL);
	p4x_sink__destroy(src->skel);
	if (src->sock_fd >= 0)
		close(src->sock_fd);
}

int main(int argc, char **argv)
{
	struct sink_src src;
	struct sink_cfg c;
	int err;

	p4x_log__init(P4X_LOG_WARN);
	if (sink_config(argc, argv, &c))
		return 2;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	err = sink_open(&c, &src);
	if (err) {
		p4x_warn("p4x-sink: %s on %s: %s",
			 c.ethtool ? "finding ethtool stat" : "attaching XDP",
			 c.dev, strerror(-err));
		goto out;
	}
	err = sink_measure(&c, &src);
	if (err && err != -EINTR)
		p4x_warn("p4x-sink: reading counters of %s: %s", c.dev,
			 strerror(-err));
out:
	sink_close(&c, &src);
	return err ? 1 : 0;
}
