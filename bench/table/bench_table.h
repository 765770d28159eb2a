/* SPDX-License-Identifier: BSD-3-Clause */
/* Table benchmark: workloads and results shared by the p4x and kernel
 * legs. */
#ifndef P4X_BENCH_TABLE_H
#define P4X_BENCH_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "p4x/table.h"

#define BT_NLOOKUP (1u << 20) /* lookup keys per workload */
#define BT_BATCH 1024	      /* entries per batch when building */
#define BT_SINGLE_MAX 50000   /* single-op measurements */

/* One workload: entries (key, mask, prio) and lookup keys that hit. */
struct bt_work {
	const char *name; /* exact, lpm4, lpm6, ternary */
	enum p4x_table_kind kind;
	uint32_t keysz;	 /* bits */
	uint32_t keylen; /* bytes */
	uint32_t n;	 /* entries */
	uint8_t *keys;	 /* n * keylen */
	uint8_t *masks;	 /* n * keylen */
	uint32_t *prio;	 /* n */
	uint8_t *lkeys;	 /* BT_NLOOKUP * keylen */
};

/* Rates per second; NAN when not measured. */
struct bt_rates {
	double lookup;	       /* p4x: burst of 64; kernel: prog test run */
	double lookup_syscall; /* kernel: bpf_map_lookup_elem */
	double add_single;     /* one entry per transaction / syscall */
	double add_batch;      /* BT_BATCH per transaction / batch op */
	double update_single;
	double update_batch; /* 64 per transaction */
	double mbytes;	     /* p4x: index + entries, MiB */
	uint32_t groups;     /* p4x ternary: hash groups probed */
};

/*
 * The kernel leg for @w (exact: BPF hash; lpm4: BPF LPM trie). Fills @r
 * and returns 0, or returns -errno and writes why into @why.
 */
int bt_kernel_run(const struct bt_work *w, struct bt_rates *r, char *why,
		  size_t whysz);

double bt_now(void);

#endif /* P4X_BENCH_TABLE_H */
