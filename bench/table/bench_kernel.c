// SPDX-License-Identifier: BSD-3-Clause
/*
 * Kernel leg of the table benchmark: the same entries in a BPF hash map
 * (exact) or LPM trie (lpm4), updated with bpf_map_update_elem and
 * bpf_map_update_batch, looked up with bpf_map_lookup_elem and, in the
 * kernel, by BPF_PROG_TEST_RUN of a program doing 64 lookups per run.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bench_table.h"
#include "bench_table.skel.h"

#define NKEYS 65536
#define PROG_REPEAT 20000
#define SYSCALL_LOOKUPS 200000

struct kkey {
	uint8_t b[16];
};

/* Kernel key of entry/lookup @src: exact as is; LPM prefixlen + addr. */
static void kkey_of(const struct bt_work *w, const uint8_t *key,
		    const uint8_t *mask, struct kkey *k)
{
	memset(k, 0, sizeof(*k));
	if (w->kind == P4X_TABLE_EXACT) {
		memcpy(k->b, key, 16);
		return;
	}
	uint32_t plen = 0;

	for (int i = 0; i < 4; i++)
		plen += (uint32_t)__builtin_popcount(mask ? mask[i] : 0xff);
	memcpy(k->b, &plen, 4);
	memcpy(k->b + 4, key, 4);
}

static int fill_keys(const struct bt_work *w, int keys_fd)
{
	struct kkey k;

	for (uint32_t i = 0; i < NKEYS; i++) {
		kkey_of(w, w->lkeys + (size_t)i * w->keylen, NULL, &k);
		if (bpf_map_update_elem(keys_fd, &i, &k, BPF_ANY))
			return -errno;
	}
	return 0;
}

static int add_single(const struct bt_work *w, int fd, uint32_t from,
		      uint32_t to)
{
	uint64_t val = 1;
	struct kkey k;

	for (uint32_t i = from; i < to; i++) {
		kkey_of(w, w->keys + (size_t)i * w->keylen,
			w->masks + (size_t)i * w->keylen, &k);
		if (bpf_map_update_elem(fd, &k, &val, BPF_ANY))
			return -errno;
	}
	return 0;
}

/* Batch-insert entries [from, to); -EINVAL/-EOPNOTSUPP if unsupported. */
static int add_batch(const struct bt_work *w, int fd, uint32_t from,
		     uint32_t to, size_t ksz)
{
	uint8_t *kbuf = malloc(BT_BATCH * ksz);
	uint64_t vals[BT_BATCH];
	struct kkey k;
	int ret = 0;

	for (int i = 0; i < BT_BATCH; i++)
		vals[i] = 1;
	for (uint32_t i = from; kbuf && i < to && !ret; i += BT_BATCH) {
		uint32_t n = P4X_MIN(BT_BATCH, to - i);

		for (uint32_t j = 0; j < n; j++) {
			kkey_of(w, w->keys + (size_t)(i + j) * w->keylen,
				w->masks + (size_t)(i + j) * w->keylen, &k);
			memcpy(kbuf + j * ksz, k.b, ksz);
		}
		if (bpf_map_update_batch(fd, kbuf, vals, &n, NULL))
			ret = -errno;
	}
	free(kbuf);
	return kbuf ? ret : -ENOMEM;
}

static double syscall_lookups(const struct bt_work *w, int fd)
{
	uint64_t val;
	struct kkey k;
	double t0 = bt_now();

	for (uint32_t i = 0; i < SYSCALL_LOOKUPS; i++) {
		kkey_of(w, w->lkeys + (size_t)(i % BT_NLOOKUP) * w->keylen,
			NULL, &k);
		bpf_map_lookup_elem(fd, &k, &val);
	}
	return SYSCALL_LOOKUPS / (bt_now() - t0);
}

static double prog_lookups(int prog_fd, struct p4x_bench_table *skel)
{
	uint8_t pkt[64] = {0};
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt,
		    .data_size_in = sizeof(pkt), .repeat = PROG_REPEAT);

	skel->bss->hits = 0;
	if (bpf_prog_test_run_opts(prog_fd, &opts) || !opts.duration)
		return NAN;
	if (skel->bss->hits < (uint64_t)PROG_REPEAT * 64 * 9 / 10)
		fprintf(stderr, "warning: kernel prog hit %llu of %u lookups\n",
			(unsigned long long)skel->bss->hits, PROG_REPEAT * 64);
	return 64e9 / opts.duration;
}

static int open_skel(const struct bt_work *w, struct p4x_bench_table **out,
		     char *why, size_t whysz)
{
	struct p4x_bench_table *skel = p4x_bench_table__open();
	int ret;

	if (!skel) {
		snprintf(why, whysz, "BPF skeleton open: %s", strerror(errno));
		return -errno;
	}
	bpf_map__set_max_entries(w->kind == P4X_TABLE_EXACT ? skel->maps.hash
							    : skel->maps.lpm,
				 w->n);
	ret = p4x_bench_table__load(skel);
	if (ret) {
		snprintf(why, whysz, "BPF load (needs root and BPF): %s",
			 strerror(-ret));
		p4x_bench_table__destroy(skel);
		return ret;
	}
	*out = skel;
	return 0;
}

static void measure_adds(const struct bt_work *w, int fd, size_t ksz,
			 struct bt_rates *r)
{
	uint32_t s = P4X_MIN(w->n / 2, BT_SINGLE_MAX), b = w->n - s;
	double t0 = bt_now();

	/* as the p4x leg: batches fill the table, single adds complete it */
	if (add_batch(w, fd, 0, b, ksz)) {
		add_single(w, fd, 0, b); /* batch ops unsupported */
		r->add_batch = NAN;
	} else {
		r->add_batch = b / (bt_now() - t0);
	}
	t0 = bt_now();
	r->add_single = add_single(w, fd, b, w->n) ? NAN : s / (bt_now() - t0);
	t0 = bt_now();
	r->update_single = add_single(w, fd, 0, s) ? NAN : s / (bt_now() - t0);
	t0 = bt_now();
	r->update_batch =
		add_batch(w, fd, 0, s, ksz) ? NAN : s / (bt_now() - t0);
}

int bt_kernel_run(const struct bt_work *w, struct bt_rates *r, char *why,
		  size_t whysz)
{
	struct p4x_bench_table *skel = NULL;
	bool exact = w->kind == P4X_TABLE_EXACT;
	int ret, fd;

	if (w->kind != P4X_TABLE_EXACT && strcmp(w->name, "lpm4")) {
		snprintf(why, whysz, "no kernel map for %s", w->name);
		return -EOPNOTSUPP;
	}
	ret = open_skel(w, &skel, why, whysz);
	if (ret)
		return ret;
	fd = bpf_map__fd(exact ? skel->maps.hash : skel->maps.lpm);
	ret = fill_keys(w, bpf_map__fd(skel->maps.keys));
	if (ret) {
		snprintf(why, whysz, "filling the key array: %s",
			 strerror(-ret));
		goto out;
	}
	measure_adds(w, fd, exact ? 16 : 8, r);
	r->lookup_syscall = syscall_lookups(w, fd);
	r->lookup =
		prog_lookups(bpf_program__fd(exact ? skel->progs.lookup_hash
						   : skel->progs.lookup_lpm),
			     skel);
out:
	p4x_bench_table__destroy(skel);
	return ret;
}
