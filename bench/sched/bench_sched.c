// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4x-bench-sched: cost of one enqueue + one dequeue per packet for every
 * scheduler policy (built-ins and the example user policies) at 1, 1k and
 * 64k active flows, side by side in the same run with a binary-heap
 * priority queue (same STFQ ranks as wfq), a DPDK rte_ring (SP/SC, burst)
 * and a plain array ring of 32-byte descriptors.
 *
 * Steady state: a backlog of BACKLOG packets, then bursts of 32 enqueued
 * and 32 dequeued, with a virtual clock advancing 100 ns per packet.
 * Usage: p4x-bench-sched [--json PATH] [--pkts N] [--examples DIR]
 */
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <rte_ring.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "p4x/sched.h"

#define BURST 32
#define BACKLOG 1024
#define TRACE 65536 /* packets in the generated trace (power of two) */

static const uint32_t flow_counts[] = {1, 1024, 65536};

struct result {
	const char *name;
	uint32_t flows;
	double ns_per_pair;
	uint64_t pkts, drops;
};

static struct result results[64];
static unsigned int nb_results;
static uint64_t nb_pkts = 1000000;
static const char *only; /* --only NAME: one policy, no baselines */
static unsigned int nb_reps = 3;
static struct p4x_sched_pkt trace[TRACE];

/*
 * CPU time of this thread: the machine may be shared, and time spent
 * descheduled is not the scheduler's cost.
 */
static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/* Flows visited in a shuffled round robin; class = flow % 8. */
static void trace_gen(uint32_t flows)
{
	uint64_t s = 88172645463325252ULL;

	for (uint32_t i = 0; i < TRACE; i++) {
		uint32_t f = (uint32_t)(rnd(&s) % flows);

		trace[i] = (struct p4x_sched_pkt){
			.addr = i,
			.len = 64 + (uint32_t)(rnd(&s) % 1437),
			.flow = f * 2654435761u,
			.cls = (uint16_t)(f % 8),
			.user = 100,
		};
	}
}

/* Keep the fastest of the repetitions of (name, flows). */
static void result_add(const char *name, uint32_t flows, uint64_t t,
		       uint64_t pkts, uint64_t drops)
{
	double ns = pkts ? (double)t / (double)pkts : 0;
	struct result *r = NULL;

	for (unsigned int i = 0; i < nb_results; i++)
		if (results[i].name == name && results[i].flows == flows)
			r = &results[i];
	if (r && r->ns_per_pair <= ns)
		return;
	if (!r)
		r = &results[nb_results++];
	r->name = name;
	r->flows = flows;
	r->pkts = pkts;
	r->drops = drops;
	r->ns_per_pair = ns;
}

static void results_print(void)
{
	for (unsigned int i = 0; i < nb_results; i++) {
		const struct result *r = &results[i];

		printf("%-10s %6u flows %8.1f ns/pair %7.1f Mpps  drops %lu\n",
		       r->name, r->flows, r->ns_per_pair,
		       r->ns_per_pair > 0 ? 1e3 / r->ns_per_pair : 0.0,
		       (unsigned long)r->drops);
	}
}

static uint64_t drop_count;

static void bench_release(void *arg, const struct p4x_sched_pkt *pkts,
			  unsigned int n)
{
	drop_count += n;
}

struct policy {
	const char *name;
	int builtin; /* enum p4x_sched_builtin or -1 for a .so */
	const char *so;
	uint8_t rank_shift;
};

static int policy_set(struct p4x_sched *s, const struct policy *p,
		      const char *dir)
{
	struct p4x_sched_params prm = {.sz = sizeof(prm)};
	char path[512];

	if (p->builtin >= 0) {
		for (int c = 0; c < 8; c++) {
			prm.cls[c].weight = (uint32_t)c + 1;
			prm.cls[c].budget_ns = 100000u * ((uint32_t)c + 1);
			prm.cls[c].rate = 8000000000ULL; /* 8 GB/s: near the
							    offered load */
			prm.cls[c].burst = 65536;
		}
		return p4x_sched__set_builtin(
			s, (enum p4x_sched_builtin)p->builtin, &prm);
	}
	snprintf(path, sizeof(path), "%s/%s", dir, p->so);
	return p4x_sched__load_policy(s, path, NULL);
}

static void bench_sched(const struct policy *p, uint32_t flows, const char *dir)
{
	struct p4x_sched_opts o = {
		.sz = sizeof(o),
		.max_pkts = 4096,
		.max_bytes = 1u << 30,
		.nb_classes = 8,
		.nb_flows = 65536,
		.rank_shift = p->rank_shift,
		.release = bench_release,
	};
	struct p4x_sched *s = p4x_sched__new(&o);
	struct p4x_sched_pkt out[BURST];
	uint64_t vt = 1000000000, done = 0, i = 0, t0;

	if (!s || policy_set(s, p, dir)) {
		fprintf(stderr, "%s: cannot set up, skipped\n", p->name);
		p4x_sched__free(s);
		return;
	}
	for (; i < BACKLOG; i += BURST)
		p4x_sched__enqueue_burst(s, &trace[i], BURST, vt);
	drop_count = 0;
	t0 = now_ns();
	while (done < nb_pkts) {
		p4x_sched__enqueue_burst(s, &trace[i & (TRACE - 1)], BURST, vt);
		i += BURST;
		vt += 100 * BURST;
		done += p4x_sched__dequeue_burst(s, vt, out, BURST);
	}
	result_add(p->name, flows, now_ns() - t0, done, drop_count);
	p4x_sched__free(s);
}

/* Baseline: binary min-heap on (rank, seq) with STFQ ranks. */
struct heap_ent {
	uint64_t key, seq;
	struct p4x_sched_pkt pkt;
};

struct heap {
	struct heap_ent *a;
	uint32_t n;
	uint64_t seq, vtime;
	uint64_t *finish;
};

static int heap_less(const struct heap_ent *x, const struct heap_ent *y)
{
	return x->key < y->key || (x->key == y->key && x->seq < y->seq);
}

static void heap_push(struct heap *h, const struct p4x_sched_pkt *p)
{
	uint64_t *f = &h->finish[p->flow & 65535];
	uint64_t start = *f > h->vtime ? *f : h->vtime;
	uint32_t i = h->n++;
	struct heap_ent e = {start, h->seq++, *p};

	*f = start + ((uint64_t)p->len << 8) / (p->cls + 1u);
	while (i && heap_less(&e, &h->a[(i - 1) / 2])) {
		h->a[i] = h->a[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->a[i] = e;
}

static void heap_pop(struct heap *h, struct p4x_sched_pkt *out)
{
	struct heap_ent last = h->a[--h->n];
	uint32_t i = 0;

	*out = h->a[0].pkt;
	h->vtime = h->a[0].key;
	for (;;) {
		uint32_t c = 2 * i + 1;

		if (c >= h->n)
			break;
		if (c + 1 < h->n && heap_less(&h->a[c + 1], &h->a[c]))
			c++;
		if (!heap_less(&h->a[c], &last))
			break;
		h->a[i] = h->a[c];
		i = c;
	}
	h->a[i] = last;
}

static void bench_heap(uint32_t flows)
{
	struct heap h = {.a = calloc(8192, sizeof(struct heap_ent)),
			 .finish = calloc(65536, sizeof(uint64_t))};
	struct p4x_sched_pkt out;
	uint64_t done = 0, i = 0, t0;

	for (; i < BACKLOG; i++)
		heap_push(&h, &trace[i]);
	t0 = now_ns();
	while (done < nb_pkts) {
		for (int k = 0; k < BURST; k++, i++)
			heap_push(&h, &trace[i & (TRACE - 1)]);
		for (int k = 0; k < BURST; k++)
			heap_pop(&h, &out);
		done += BURST;
	}
	result_add("heap-wfq", flows, now_ns() - t0, done, 0);
	free(h.a);
	free(h.finish);
}

/* Baseline: DPDK rte_ring (SP/SC) of descriptor pointers. */
static void bench_rte_ring(uint32_t flows)
{
	ssize_t sz = rte_ring_get_memsize(8192);
	struct rte_ring *r = sz > 0 ? aligned_alloc(64, (size_t)sz) : NULL;
	void *in[BURST], *out[BURST];
	uint64_t done = 0, i = 0, t0;

	if (!r ||
	    rte_ring_init(r, "bench", 8192, RING_F_SP_ENQ | RING_F_SC_DEQ)) {
		fprintf(stderr, "rte_ring: cannot init, skipped\n");
		free(r);
		return;
	}
	for (; i < BACKLOG; i += BURST) {
		for (int k = 0; k < BURST; k++)
			in[k] = &trace[(i + (uint64_t)k) & (TRACE - 1)];
		rte_ring_enqueue_burst(r, in, BURST, NULL);
	}
	t0 = now_ns();
	while (done < nb_pkts) {
		for (int k = 0; k < BURST; k++)
			in[k] = &trace[(i + (uint64_t)k) & (TRACE - 1)];
		i += BURST;
		rte_ring_enqueue_burst(r, in, BURST, NULL);
		done += rte_ring_dequeue_burst(r, out, BURST, NULL);
	}
	result_add("rte_ring", flows, now_ns() - t0, done, 0);
	free(r);
}

/* Baseline: array ring of 32-byte descriptors (copy in, copy out). */
static void bench_array_ring(uint32_t flows)
{
	struct p4x_sched_pkt *ring = calloc(8192, sizeof(*ring));
	struct p4x_sched_pkt out[BURST];
	uint64_t head = 0, tail = 0, done = 0, i = 0, t0;

	for (; i < BACKLOG; i++)
		ring[head++ & 8191] = trace[i];
	t0 = now_ns();
	while (done < nb_pkts) {
		for (int k = 0; k < BURST; k++, i++)
			ring[head++ & 8191] = trace[i & (TRACE - 1)];
		for (int k = 0; k < BURST; k++)
			out[k] = ring[tail++ & 8191];
		done += BURST;
	}
	__asm__ volatile("" : : "r"(out) : "memory");
	result_add("array_ring", flows, now_ns() - t0, done, 0);
	free(ring);
}

static const struct policy policies[] = {
	{"fifo", P4X_SCHED_FIFO, NULL, 0},
	{"strict", P4X_SCHED_STRICT, NULL, 0},
	{"wfq", P4X_SCHED_WFQ, NULL, 12},
	{"drr", P4X_SCHED_DRR, NULL, 0},
	{"edf", P4X_SCHED_EDF, NULL, 10},
	{"tbf", P4X_SCHED_TBF, NULL, 10},
	{"lstf.so", -1, "p4x_sched_lstf.so", 10},
	{"faircap.so", -1, "p4x_sched_faircap.so", 12},
};

static int write_json(const char *path)
{
	json_object *root = json_object_new_object();
	json_object *arr = json_object_new_array();
	int ret;

	json_object_object_add(root, "benchmark",
			       json_object_new_string("sched"));
	json_object_object_add(
		root, "unit", json_object_new_string("ns per enqueue+dequeue"));
	json_object_object_add(root, "burst", json_object_new_int(BURST));
	json_object_object_add(root, "backlog", json_object_new_int(BACKLOG));
	json_object_object_add(root, "reps", json_object_new_int((int)nb_reps));
	for (unsigned int i = 0; i < nb_results; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "name",
				       json_object_new_string(results[i].name));
		json_object_object_add(o, "flows",
				       json_object_new_int64(results[i].flows));
		json_object_object_add(
			o, "ns_per_pair",
			json_object_new_double(results[i].ns_per_pair));
		json_object_object_add(
			o, "pkts",
			json_object_new_int64((int64_t)results[i].pkts));
		json_object_object_add(
			o, "drops",
			json_object_new_int64((int64_t)results[i].drops));
		json_object_array_add(arr, o);
	}
	json_object_object_add(root, "results", arr);
	ret = json_object_to_file_ext(path, root, JSON_C_TO_STRING_PRETTY);
	if (ret)
		fprintf(stderr, "cannot write %s: %s\n", path,
			json_util_get_last_err());
	json_object_put(root);
	return ret ? 1 : 0;
}

static void usage(const char *prog)
{
	printf("usage: %s [--json PATH] [--pkts N] [--reps N] [--only NAME]\n"
	       "       [--examples DIR]\n"
	       "  --json PATH    write results as JSON to PATH\n"
	       "  --pkts N       packets per measurement (default 1000000)\n"
	       "  --reps N       repetitions, the fastest is kept (default 3)\n"
	       "  --only NAME    one policy (e.g. wfq, lstf.so), no baselines\n"
	       "  --examples DIR where p4x_sched_*.so live (default %s)\n",
	       prog, P4X_SCHED_EXAMPLES_DIR);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", required_argument, NULL, 'j'},
		{"pkts", required_argument, NULL, 'n'},
		{"reps", required_argument, NULL, 'r'},
		{"only", required_argument, NULL, 'o'},
		{"examples", required_argument, NULL, 'e'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	const char *json = NULL, *dir = P4X_SCHED_EXAMPLES_DIR;
	int c;

	while ((c = getopt_long(argc, argv, "j:n:r:o:e:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = optarg;
			break;
		case 'n':
			nb_pkts = strtoull(optarg, NULL, 0);
			break;
		case 'r':
			nb_reps = (unsigned int)strtoul(optarg, NULL, 0) ?: 1;
			break;
		case 'o':
			only = optarg;
			break;
		case 'e':
			dir = optarg;
			break;
		case 'h':
			usage(argv[0]);
			return 0;
		default:
			usage(argv[0]);
			return 2;
		}
	}
	for (unsigned int rep = 0; rep < nb_reps; rep++) {
		for (unsigned int f = 0; f < P4X_ARRAY_SIZE(flow_counts); f++) {
			trace_gen(flow_counts[f]);
			for (unsigned int p = 0; p < P4X_ARRAY_SIZE(policies);
			     p++)
				if (!only || !strcmp(only, policies[p].name))
					bench_sched(&policies[p],
						    flow_counts[f], dir);
			if (only)
				continue;
			bench_heap(flow_counts[f]);
			bench_rte_ring(flow_counts[f]);
			bench_array_ring(flow_counts[f]);
		}
	}
	results_print();
	return json ? write_json(json) : 0;
}
