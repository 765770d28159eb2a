/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Egress scheduling hooks of the workers (worker_sched.c). Every function
 * taking a worker runs on that worker's thread.
 */
#ifndef P4X_WORKER_SCHED_H
#define P4X_WORKER_SCHED_H

#include <stdbool.h>

#include "engine_priv.h"

/*
 * Sending side: fill @d (a cross-ring descriptor for scheduled port @out)
 * with the class, flow, rank and user word of @p.
 */
void p4x_sched_classify(const struct p4x_engine *eng, uint16_t out,
			const struct p4x_pkt *p, struct p4x_xdesc *d);

/* Owner side: enqueue @n of the worker's own packets for its tx queue. */
void p4x_squeue__enqueue_pkts(struct p4x_worker *w, const struct p4x_pkt *p,
			      unsigned int n);

/* Owner side: enqueue @n descriptors drained from a cross ring. */
void p4x_squeue__enqueue_xdescs(struct p4x_worker *w, const struct p4x_xdesc *d,
				unsigned int n);

/*
 * Once per loop: flush while the link is down; else dequeue what is due
 * (when the tx ring took everything dequeued before) and transmit.
 * Returns the packets moved.
 */
unsigned int p4x_squeue__tx(struct p4x_worker *w);

/* The scheduler holds packets: the worker must not sleep. */
bool p4x_squeue__busy(const struct p4x_worker *w);

/* Bind the worker to its queue's scheduler, if its port has one. */
void p4x_squeue__attach(struct p4x_worker *w);

/* Worker exit: free what the scheduler and the tx backlog hold. */
void p4x_squeue__detach(struct p4x_worker *w);

/* p4x_engine__free(): free every scheduler (workers stopped). */
void p4x_engine__free_scheds(struct p4x_engine *eng);

#endif /* P4X_WORKER_SCHED_H */
