/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reference scheduler for the unit tests: the rank and time rules of
 * docs/scheduler.md written again, independently of dataplane/sched, over
 * an O(n) unsorted array (minimum found by a scan). Slow and obviously
 * right: the real scheduler must match it packet for packet.
 */
#ifndef P4X_SCHED_REF_H
#define P4X_SCHED_REF_H

#include "p4x/sched.h"

#define REF_MAX_PKTS 1024
#define REF_MAX_FLOWS 4096

struct ref_item {
	struct p4x_sched_pkt pkt;
	uint64_t key;  /* rank >> rank_shift */
	uint64_t slot; /* eligible slot while waiting */
	uint64_t seq;  /* order of entry into its set */
	int waiting;
};

struct ref_sched {
	enum p4x_sched_builtin policy;
	struct p4x_sched_params prm;
	uint32_t max_pkts, max_bytes, nb_classes, flow_mask;
	unsigned int rank_shift, time_shift;
	int drop_worst;
	uint64_t port_rate;
	uint32_t port_burst;
	uint64_t port_tat;
	struct ref_item q[REF_MAX_PKTS];
	unsigned int n;
	uint64_t bytes, seq;
	/* policy state */
	uint64_t finish[REF_MAX_FLOWS];
	uint64_t vtime, round;
	uint64_t dround[P4X_SCHED_MAX_CLASSES], dcredit[P4X_SCHED_MAX_CLASSES];
	uint64_t tat[P4X_SCHED_MAX_CLASSES];
	/* drops in the order they happened */
	struct p4x_sched_pkt drops[1 << 16];
	unsigned int nb_drops;
};

void ref_enqueue(struct ref_sched *r, const struct p4x_sched_pkt *p,
		 uint64_t now);
unsigned int ref_dequeue(struct ref_sched *r, uint64_t now,
			 struct p4x_sched_pkt *out, unsigned int n);

#endif /* P4X_SCHED_REF_H */
