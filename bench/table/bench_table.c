// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4x-bench-table: per table kind (exact 128-bit keys, LPM IPv4, LPM
 * IPv6, ternary with 32 masks) and size (1k, 100k, 1M entries):
 * lookups/s on one core (bursts of 64 random keys that hit, QSBR
 * quiescent state after each burst), adds and updates/s one entry per
 * transaction and BT_BATCH per transaction; next to the kernel's BPF hash
 * and LPM-trie maps measured in the same run (bench_kernel.c).
 *
 * Usage: p4x-bench-table [--json PATH] [--quick] [--no-kernel]
 *                        [--only WORKLOAD]
 * (--quick: skip the 1M sizes; --no-kernel: p4x only)
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <urcu-qsbr.h>

#include "bench_table.h"

#define LOOKUP_SECS 0.3

struct bt_row {
	const char *name;
	uint32_t n;
	struct bt_rates p4x, kern;
	char kern_why[128];
};

/*
 * CPU time of the calling thread (its syscalls included): rates are per
 * CPU-second of one core, whatever else shares the machine. Work the
 * call_rcu thread does later (freeing) is not counted.
 */
double bt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n, sz);

	if (!p) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	return p;
}

/* Set of 64-bit fingerprints, to draw unique entries. */
struct fpset {
	uint64_t *v;
	uint64_t mask;
};

static bool fpset_add(struct fpset *s, uint64_t fp)
{
	uint64_t i = fp & s->mask;

	fp |= 1;
	for (; s->v[i]; i = (i + 1) & s->mask)
		if (s->v[i] == fp)
			return false;
	s->v[i] = fp;
	return true;
}

static uint64_t fp_of(const uint8_t *k, const uint8_t *m, uint32_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (uint32_t i = 0; i < len; i++)
		h = ((h ^ k[i]) * 0x100000001b3ull ^ m[i]) * 0x100000001b3ull;
	return h;
}

static void plen_mask(uint8_t *m, uint32_t len, unsigned int plen)
{
	memset(m, 0, len);
	memset(m, 0xff, plen / 8);
	if (plen % 8)
		m[plen / 8] = (uint8_t)(0xff << (8 - plen % 8));
}

/* BGP-like IPv4 lengths: mostly /24, then /16../23, a few longer. */
static unsigned int lpm4_plen(uint64_t r)
{
	unsigned int x = r % 100;

	return x < 60	? 24
	       : x < 90 ? 16 + (unsigned int)(r >> 8) % 8
			: 25 + (unsigned int)(r >> 8) % 8;
}

/* IPv6 under 64 /32 bases: /48 mostly, /40 .. /64 otherwise. */
static void gen_lpm6(uint64_t *s, uint8_t *k, uint8_t *m)
{
	uint64_t r = rnd(s), r2 = rnd(s);
	unsigned int plen = r % 10 < 8 ? 48 : 40 + (unsigned int)(r >> 8) % 25;

	memcpy(k + 4, &r2, 8);
	r2 = rnd(s);
	memcpy(k + 12, &r2, 4);
	k[0] = 0x20;
	k[1] = 0x01;
	k[2] = 0x0d;
	k[3] = (uint8_t)(0xb8 + (r >> 16) % 64);
	plen_mask(m, 16, plen);
}

/* Ternary 5-tuple-ish: src /8../32, dst /8../32, proto [+ dport]. */
static void gen_tern(uint64_t *s, uint8_t *k, uint8_t *m)
{
	uint64_t r = rnd(s), mi = rnd(s) % 32;

	memcpy(k, &r, 8);
	r = rnd(s);
	memcpy(k + 8, &r, 8);
	memset(m, 0, 16);
	plen_mask(m, 4, 8 * (1 + (unsigned int)(mi & 3)));
	plen_mask(m + 4, 4, 8 * (1 + (unsigned int)((mi >> 2) & 3)));
	m[12] = 0xff;
	if (mi & 16)
		m[10] = m[11] = 0xff;
}

static void gen_entry(struct bt_work *w, uint64_t *s, uint8_t *k, uint8_t *m)
{
	if (!strcmp(w->name, "exact")) {
		uint64_t a = rnd(s), b = rnd(s);

		memcpy(k, &a, 8);
		memcpy(k + 8, &b, 8);
		memset(m, 0xff, 16);
	} else if (!strcmp(w->name, "lpm4")) {
		uint32_t a = (uint32_t)rnd(s);

		memcpy(k, &a, 4);
		plen_mask(m, 4, lpm4_plen(rnd(s)));
	} else if (!strcmp(w->name, "lpm6")) {
		gen_lpm6(s, k, m);
	} else {
		gen_tern(s, k, m);
	}
	for (uint32_t i = 0; i < w->keylen; i++)
		k[i] &= m[i];
}

static void gen_work(struct bt_work *w, uint64_t seed)
{
	struct fpset set = {.mask = 1};
	uint64_t s = seed;

	while (set.mask < 4ull * w->n)
		set.mask <<= 1;
	set.v = xcalloc(set.mask, sizeof(uint64_t));
	set.mask--;
	w->keys = xcalloc(w->n, w->keylen);
	w->masks = xcalloc(w->n, w->keylen);
	w->prio = xcalloc(w->n, sizeof(uint32_t));
	w->lkeys = xcalloc(BT_NLOOKUP, w->keylen);
	for (uint32_t i = 0; i < w->n;) {
		uint8_t *k = w->keys + (size_t)i * w->keylen;
		uint8_t *m = w->masks + (size_t)i * w->keylen;

		gen_entry(w, &s, k, m);
		w->prio[i] = w->kind == P4X_TABLE_EXACT
				     ? 0
				     : 1 + (uint32_t)(rnd(&s) % 100000);
		i += fpset_add(&set, fp_of(k, m, w->keylen));
	}
	free(set.v);
	for (uint32_t i = 0; i < BT_NLOOKUP; i++) {
		uint32_t e = (uint32_t)(rnd(&s) % w->n);
		uint8_t *lk = w->lkeys + (size_t)i * w->keylen;
		const uint8_t *k = w->keys + (size_t)e * w->keylen;
		const uint8_t *m = w->masks + (size_t)e * w->keylen;

		for (uint32_t b = 0; b < w->keylen; b++)
			lk[b] = (uint8_t)((rnd(&s) & ~m[b]) | k[b]);
	}
}

static void free_work(struct bt_work *w)
{
	free(w->keys);
	free(w->masks);
	free(w->prio);
	free(w->lkeys);
}

static struct p4x_table_entry_spec spec_of(const struct bt_work *w, uint32_t i,
					   uint32_t act)
{
	return (struct p4x_table_entry_spec){
		.sz = sizeof(struct p4x_table_entry_spec),
		.key = w->keys + (size_t)i * w->keylen,
		.mask = w->masks + (size_t)i * w->keylen,
		.prio = w->prio[i],
		.act_id = act,
		.params = &w->prio[i],
		.params_len = 4,
	};
}

/* Add (or update) entries [from, to), @per per transaction; rate/s. */
static double p4x_ops(struct p4x_table *t, const struct bt_work *w,
		      uint32_t from, uint32_t to, uint32_t per, bool update)
{
	char err[P4X_TABLE_ERR_MAX];
	double t0 = bt_now();

	for (uint32_t i = from; i < to; i += per) {
		struct p4x_table_txn *txn = p4x_table__txn_begin(t);

		for (uint32_t j = i; j < P4X_MIN(i + per, to); j++) {
			struct p4x_table_entry_spec sp = spec_of(w, j, j + 1);
			int ret = update ? p4x_table_txn__update(txn, &sp, err,
								 sizeof(err))
					 : p4x_table_txn__add(txn, &sp, err,
							      sizeof(err));

			if (ret) {
				fprintf(stderr, "%s entry %u: %s\n", w->name, j,
					err);
				exit(1);
			}
		}
		p4x_table_txn__commit(txn);
	}
	return (to - from) / (bt_now() - t0);
}

static double p4x_lookups(struct p4x_table *t, const struct bt_work *w)
{
	const void **kp = xcalloc(BT_NLOOKUP, sizeof(*kp));
	const struct p4x_table_entry *res[P4X_BURST];
	uint64_t n = 0, hits = 0;
	double t0, el;

	for (uint32_t i = 0; i < BT_NLOOKUP; i++)
		kp[i] = w->lkeys + (size_t)i * w->keylen;
	rcu_thread_online();
	t0 = bt_now();
	do {
		for (int b = 0; b < 256; b++, n += P4X_BURST) {
			hits += p4x_table__lookup_burst(t, kp + n % BT_NLOOKUP,
							P4X_BURST, res);
			rcu_quiescent_state();
		}
		el = bt_now() - t0;
	} while (el < LOOKUP_SECS);
	rcu_thread_offline();
	free(kp);
	if (hits != n)
		fprintf(stderr, "warning: %s: %lu hits of %lu lookups\n",
			w->name, (unsigned long)hits, (unsigned long)n);
	return n / el;
}

static void p4x_run(const struct bt_work *w, struct bt_rates *r)
{
	struct p4x_table_opts o = {
		.sz = sizeof(o), .tentries = w->n, .nummasks = 64};
	struct p4x_table *t = p4x_table__create(w->name, w->kind, w->keysz, &o);
	uint32_t s = P4X_MIN(w->n / 2, BT_SINGLE_MAX);
	struct p4x_table_stats st;

	if (!t) {
		fprintf(stderr, "create %s: %s\n", w->name, strerror(errno));
		exit(1);
	}
	/* batches fill the table, single adds complete it: both near size */
	r->add_batch = p4x_ops(t, w, 0, w->n - s, BT_BATCH, false);
	r->add_single = p4x_ops(t, w, w->n - s, w->n, 1, false);
	r->lookup = p4x_lookups(t, w);
	r->lookup_syscall = NAN;
	r->update_single = p4x_ops(t, w, 0, s, 1, true);
	r->update_batch = p4x_ops(t, w, 0, s, BT_BATCH, true);
	p4x_table__stats(t, &st);
	r->groups = st.masks;
	/* entries: 192-byte header + key + mask + params, 64-byte aligned */
	r->mbytes = (double)(st.struct_bytes +
			     st.entries_live *
				     ((192 + 2 * w->keylen + 4 + 63) & ~63u)) /
		    (1 << 20);
	p4x_table__destroy(t);
}

static const char *fmt_rate(char *buf, double v)
{
	if (isnan(v))
		return "-";
	snprintf(buf, 16, "%.2f", v / 1e6);
	return buf;
}

static void print_row(const struct bt_row *row)
{
	char b[11][16];
	const struct bt_rates *p = &row->p4x, *k = &row->kern;

	printf("%-8s %8u | %7s %7s %7s %7s %7s %6.0f | %7s %7s %7s %7s %7s "
	       "%7s\n",
	       row->name, row->n, fmt_rate(b[0], p->lookup),
	       fmt_rate(b[1], p->add_single), fmt_rate(b[2], p->add_batch),
	       fmt_rate(b[3], p->update_single),
	       fmt_rate(b[4], p->update_batch), p->mbytes,
	       fmt_rate(b[5], k->lookup), fmt_rate(b[6], k->lookup_syscall),
	       fmt_rate(b[7], k->add_single), fmt_rate(b[8], k->add_batch),
	       fmt_rate(b[9], k->update_single),
	       fmt_rate(b[10], k->update_batch));
	if (p->groups)
		printf("%19s p4x: %u hash groups for the table's masks\n", "",
		       p->groups);
	if (row->kern_why[0])
		printf("%19s kernel: %s\n", "", row->kern_why);
	fflush(stdout);
}

static void json_rate(struct json_object *o, const char *key, double v)
{
	json_object_object_add(o, key,
			       isnan(v) ? NULL : json_object_new_double(v));
}

static struct json_object *json_rates(const struct bt_rates *r)
{
	struct json_object *o = json_object_new_object();

	json_rate(o, "lookups_per_s", r->lookup);
	json_rate(o, "syscall_lookups_per_s", r->lookup_syscall);
	json_rate(o, "adds_single_per_s", r->add_single);
	json_rate(o, "adds_batch_per_s", r->add_batch);
	json_rate(o, "updates_single_per_s", r->update_single);
	json_rate(o, "updates_batch_per_s", r->update_batch);
	return o;
}

static int write_json(const char *path, const struct bt_row *rows, int n)
{
	struct json_object *root = json_object_new_object();
	struct json_object *arr = json_object_new_array();
	int ret;

	for (int i = 0; i < n; i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "workload",
				       json_object_new_string(rows[i].name));
		json_object_object_add(o, "entries",
				       json_object_new_int64(rows[i].n));
		json_object_object_add(o, "p4x", json_rates(&rows[i].p4x));
		json_object_object_add(o, "p4x_groups",
				       json_object_new_int(rows[i].p4x.groups));
		json_object_object_add(
			o, "p4x_mbytes",
			json_object_new_double(rows[i].p4x.mbytes));
		json_object_object_add(
			o, "kernel",
			rows[i].kern_why[0] ? NULL : json_rates(&rows[i].kern));
		json_object_array_add(arr, o);
	}
	json_object_object_add(root, "benchmark",
			       json_object_new_string("table"));
	json_object_object_add(root, "lookup_burst",
			       json_object_new_int(P4X_BURST));
	json_object_object_add(root, "batch", json_object_new_int(BT_BATCH));
	json_object_object_add(root, "results", arr);
	ret = json_object_to_file_ext(path, root, JSON_C_TO_STRING_PRETTY);
	json_object_put(root);
	return ret;
}

struct bt_spec {
	const char *name;
	enum p4x_table_kind kind;
	uint32_t keysz;
	uint32_t max_n;
};

static const struct bt_spec specs[] = {
	{"exact", P4X_TABLE_EXACT, 128, 1000000},
	{"lpm4", P4X_TABLE_LPM, 32, 1000000},
	{"lpm6", P4X_TABLE_LPM, 128, 100000},
	{"ternary", P4X_TABLE_TERNARY, 128, 1000000},
};

static bool no_kernel;

static void run_one(const struct bt_spec *sp, uint32_t n, struct bt_row *row)
{
	struct bt_work w = {
		.name = sp->name,
		.kind = sp->kind,
		.keysz = sp->keysz,
		.keylen = sp->keysz / 8,
		.n = n,
	};

	memset(row, 0, sizeof(*row));
	row->name = sp->name;
	row->n = n;
	gen_work(&w, 0x5eed + n);
	p4x_run(&w, &row->p4x);
	row->kern = (struct bt_rates){NAN, NAN, NAN, NAN, NAN, NAN, NAN, 0};
	if (no_kernel)
		snprintf(row->kern_why, sizeof(row->kern_why), "skipped");
	else
		bt_kernel_run(&w, &row->kern, row->kern_why,
			      sizeof(row->kern_why));
	free_work(&w);
	print_row(row);
}

int main(int argc, char **argv)
{
	static const uint32_t sizes[] = {1000, 100000, 1000000};
	struct bt_row rows[16];
	const char *json = NULL;
	const char *only = NULL;
	bool quick = false;
	int nrows = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json") && i + 1 < argc) {
			json = argv[++i];
		} else if (!strcmp(argv[i], "--quick")) {
			quick = true;
		} else if (!strcmp(argv[i], "--no-kernel")) {
			no_kernel = true;
		} else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
			only = argv[++i];
		} else {
			bool help = !strcmp(argv[i], "--help");

			fprintf(help ? stdout : stderr,
				"usage: %s [--json PATH] [--quick] "
				"[--no-kernel] [--only "
				"exact|lpm4|lpm6|ternary]\n",
				argv[0]);
			return help ? 0 : 2;
		}
	}
	rcu_register_thread();
	rcu_thread_offline();
	printf("rates in M per CPU-second of one thread; lookup = bursts of %d"
	       " random hits (kernel: BPF_PROG_TEST_RUN); batch = %d per"
	       " txn/op; MiB = p4x memory\n",
	       P4X_BURST, BT_BATCH);
	printf("%-8s %8s | %7s %7s %7s %7s %7s %6s | %7s %7s %7s %7s %7s %7s\n",
	       "kind", "entries", "lookup", "add1", "addB", "upd1", "updB",
	       "MiB", "kprog", "ksysc", "kadd1", "kaddB", "kupd1", "kupdB");
	for (size_t s = 0; s < P4X_ARRAY_SIZE(specs); s++)
		for (size_t z = 0; z < P4X_ARRAY_SIZE(sizes) - quick; z++)
			if (sizes[z] <= specs[s].max_n &&
			    (!only || !strcmp(only, specs[s].name)))
				run_one(&specs[s], sizes[z], &rows[nrows++]);
	rcu_thread_online();
	rcu_unregister_thread();
	if (json && write_json(json, rows, nrows)) {
		fprintf(stderr, "writing %s failed\n", json);
		return 1;
	}
	return 0;
}
