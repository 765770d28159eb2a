/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Egress scheduling in the engine: a port can put a scheduler (p4x/sched.h)
 * between the pipeline and its tx queues. Theory of operation in
 * dataplane/core/worker_sched.c and docs/scheduler.md.
 *
 * A scheduled port has one scheduler per tx queue, each owned by the one
 * worker that owns that queue (the worker of the same (port, queue)).
 * Packets for the port, from that worker's own bursts or from other workers
 * through the cross-worker rings, are classified on the worker that ran
 * the program and enqueued on the owner; the owner dequeues into its tx
 * queue when the tx ring takes packets and their send time has come.
 * A port without a scheduler keeps the direct path.
 *
 * Classification: the class, flow, rank and user word of a packet come
 * from the program (p4x_pkt.sched_*, flagged in sched_flags, as PNA
 * metadata); what the program left unset comes from the port's classifier
 * (below): class by L4 destination port, then by DSCP, then the default
 * class; flow from the XDP flow hash when the metadata is valid.
 */
#ifndef P4X_ENGINE_SCHED_H
#define P4X_ENGINE_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include "engine.h"
#include "sched.h"

/* Entries of a classifier's L4 destination port map. */
#define P4X_CLASSIFIER_MAX_DPORTS 16

struct p4x_classifier_dport {
	uint16_t dport; /* TCP or UDP destination port */
	uint16_t cls;
};

/* How a scheduled port classifies what the program did not. */
struct p4x_classifier {
	size_t sz;	    /* sizeof(struct p4x_classifier) */
	uint16_t def_class; /* class of unmatched packets; 0: class 0 */
	uint64_t dscp_mask; /* bit d set: DSCP d maps to dscp_class[d] */
	uint16_t dscp_class[64];
	unsigned int nb_dports; /* <= P4X_CLASSIFIER_MAX_DPORTS */
	struct p4x_classifier_dport dports[P4X_CLASSIFIER_MAX_DPORTS];
};

/*
 * Give port @port a scheduler per tx queue, shaped by @opts (its release
 * callback is the engine's and must be left NULL; the policy is fifo until
 * changed with p4x_sched__set_*). Before p4x_engine__start() only, once
 * per port. 0, or -errno (ENOENT no such port, EBUSY running, EEXIST
 * already scheduled, EINVAL bad option, logged; ENOMEM). On error nothing
 * changes.
 */
int p4x_engine__set_port_sched(struct p4x_engine *engine, unsigned int port,
			       const struct p4x_sched_opts *opts);

/* Schedulers of @port (its tx queue count), 0 when it has none. */
unsigned int p4x_engine__port_sched_count(const struct p4x_engine *engine,
					  unsigned int port);

/*
 * The scheduler of (@port, @queue), or NULL. Owned by the engine, valid
 * until p4x_engine__free(). The control thread may call its set_*, load,
 * stats and top_flows functions while workers run; enqueue, dequeue and
 * flush belong to the engine.
 */
struct p4x_sched *p4x_engine__port_sched(struct p4x_engine *engine,
					 unsigned int port, unsigned int queue);

/*
 * Replace the classifier of scheduled port @port (copied; published with
 * RCU, so a burst sees the old or the new one). Any time. 0 or -errno
 * (ENOENT: not a scheduled port; EINVAL: a class >= the schedulers'
 * nb_classes or too many dports, logged).
 */
int p4x_engine__set_port_classifier(struct p4x_engine *engine,
				    unsigned int port,
				    const struct p4x_classifier *c);

/* Copy the classifier of scheduled port @port. 0 or -ENOENT. */
int p4x_engine__port_classifier(const struct p4x_engine *engine,
				unsigned int port, struct p4x_classifier *c);

/*
 * Tell the engine the link state of @port (the daemon polls it). While a
 * scheduled port is down, its owner workers flush its schedulers (counted
 * as drop cause "flush" in the scheduler and "port_down" in the port's
 * drops) and drop its new packets as port_down. Any time; no-op for an
 * unscheduled or unknown port.
 */
void p4x_engine__set_link(struct p4x_engine *engine, unsigned int port,
			  bool up);

/* Last state given to p4x_engine__set_link (true until then). */
bool p4x_engine__link(const struct p4x_engine *engine, unsigned int port);

#endif /* P4X_ENGINE_SCHED_H */
