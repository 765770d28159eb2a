/* SPDX-License-Identifier: BSD-3-Clause */
/* Engine internals shared by engine.c (control side) and worker.c. */
#ifndef P4X_ENGINE_PRIV_H
#define P4X_ENGINE_PRIV_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "p4x/engine.h"

struct rte_ring;

/*
 * A packet in flight between two workers: 32 bytes, one ring slot. The
 * sched_* fields are filled only for a scheduled out port (the class and
 * flow the sending worker gave it, worker_sched.c).
 */
struct p4x_xdesc {
	uint64_t addr;
	uint64_t sched_rank;
	uint32_t len;
	uint32_t sched_flow;
	uint32_t sched_user;
	uint16_t sched_class;
	uint8_t in_port;
	uint8_t sched_flags; /* P4X_SCHED_F_* */
};

struct p4x_squeue;
struct p4x_esched;

/* Where a worker sends packets for one out port (not its own). */
struct p4x_wout {
	struct rte_ring *ring; /* SP/SC, this worker -> dst */
	struct p4x_worker *dst;
};

/* Written only by the owning worker; summed by readers. */
struct p4x_wcnt {
	uint64_t cnt[P4X_PORT_CNT__COUNT]; /* for the worker's own port */
	uint64_t drop[P4X_MAX_PORTS][P4X_DROP__COUNT]; /* by in port */
	uint64_t loops;
	uint64_t busy_loops;
};

struct p4x_worker {
	/* Read-mostly, owner. */
	struct p4x_engine *eng;
	uint8_t *area; /* the pool area: pkt data = area + addr */
	struct p4x_port *port;
	uint16_t port_idx;
	uint16_t queue;
	unsigned int id;
	int core;
	int wake_fd; /* eventfd: cross-ring work or stop */
	unsigned int nb_in;
	struct rte_ring **in; /* rings whose consumer is this worker */
	struct p4x_wout out[P4X_MAX_PORTS];
	struct p4x_squeue *sq; /* scheduler of the own tx queue, or NULL */
	pthread_t thread;
	bool started;
	/* Shared: set by the owner before it sleeps, read by producers. */
	int sleeping __p4x_cache_aligned;
	int online;
	struct p4x_wcnt c __p4x_cache_aligned;
	/* Owner scratch: per out port staging for the cross rings. */
	unsigned int stage_n[P4X_MAX_PORTS];
	struct p4x_xdesc stage[P4X_MAX_PORTS][P4X_BURST];
};

struct p4x_engine {
	struct p4x_engine_opts opts;
	struct p4x_pool *pool;
	struct p4x_prog *prog; /* RCU-published; NULL: drop all */
	int stop;	       /* workers exit when set */
	bool running;
	unsigned int nb_ports;
	struct p4x_port *ports[P4X_MAX_PORTS];
	uint16_t port_nbq[P4X_MAX_PORTS];
	int host_fd[P4X_MAX_PORTS]; /* -1: no host path; read by workers */
	struct p4x_esched *sched[P4X_MAX_PORTS]; /* NULL: direct path */
	unsigned int nb_workers;		 /* sum of port_nbq */
	struct p4x_worker **workers;
	struct rte_ring **rings; /* every cross ring, for teardown */
	unsigned int nb_rings;
};

/* The worker thread body (worker.c). */
void *p4x_worker__main(void *arg);
/* Wake @w if it sleeps (any thread). */
void p4x_worker__kick(struct p4x_worker *w);

#endif /* P4X_ENGINE_PRIV_H */
