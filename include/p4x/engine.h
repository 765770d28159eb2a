/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The engine: a frame pool, ports, one worker per rx queue, and the
 * datapath program they run. The control thread (the daemon) builds it,
 * starts it, reads its counters, and stops it.
 */
#ifndef P4X_ENGINE_H
#define P4X_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "common.h"
#include "port.h"
#include "prog.h"

extern const char *const p4x_port_counter_keys[P4X_PORT_CNT__COUNT];
extern const char *const p4x_drop_reason_keys[P4X_DROP__COUNT];
extern const char *const p4x_drop_reason_descs[P4X_DROP__COUNT];

struct p4x_port_stats {
	uint64_t cnt[P4X_PORT_CNT__COUNT];
	uint64_t drop[P4X_DROP__COUNT]; /* drops of packets received here */
};

struct p4x_engine;

struct p4x_engine_opts {
	size_t sz;	    /* sizeof(struct p4x_engine_opts) */
	uint32_t nb_frames; /* pool frames; 0: default */
	const int *cores;   /* cores to pin workers to, round robin;
			     * NULL: no pinning */
	unsigned int nb_cores;
	unsigned int qsbr_interval; /* bursts between quiescent reports;
				     * 0: default (64) */
	bool no_tx;		    /* benchmark mode: run the program, then
				     * free every frame instead of sending it
				     * (counted in rx and drops only) */
};

/* NULL with errno on failure. The caller owns the engine. */
struct p4x_engine *p4x_engine__new(const struct p4x_engine_opts *opts);

/* Stops the workers if running, closes every port, frees all. NULL ok. */
void p4x_engine__free(struct p4x_engine *engine);

/* The engine's frame pool, for port constructors. Owned by the engine. */
struct p4x_pool *p4x_engine__pool(struct p4x_engine *engine);

/*
 * Add a port before p4x_engine__start(). The engine takes ownership of
 * @port whether or not this succeeds. Returns the port index (>= 0) or
 * -errno.
 */
int p4x_engine__add_port(struct p4x_engine *engine, struct p4x_port *port);

unsigned int p4x_engine__nb_ports(const struct p4x_engine *engine);
/* NULL if @index is out of range. Owned by the engine. */
struct p4x_port *p4x_engine__port(struct p4x_engine *engine,
				  unsigned int index);
/* Port index by name, or -ENOENT. */
int p4x_engine__port_by_name(const struct p4x_engine *engine, const char *name);

/*
 * Publish @prog to the workers (RCU). The engine takes ownership of
 * prog->ctx; the previous program is destroyed after a grace period.
 * Safe before and after start.
 */
int p4x_engine__set_prog(struct p4x_engine *engine,
			 const struct p4x_prog *prog);

/*
 * The host path of port @index: where packets received on it that the
 * program hands to the host (P4X_VERDICT_HOST, P4TC's egress port 0) go.
 * @fd takes one whole frame per write(2), e.g. a TAP device the caller
 * created in the port's network namespace, so the frame enters that
 * namespace's kernel stack; each one is counted as host_packets of the
 * port (a failed write is a tx_full drop). -1: no host path, such packets
 * are dropped under the program's reason (no_route). The caller keeps
 * @fd open while the engine may use it. A write per packet: this is the
 * exception path (ARP, control traffic), not the forwarding path.
 * Before or after start. 0 or -ENOENT.
 */
int p4x_engine__set_host_fd(struct p4x_engine *engine, unsigned int index,
			    int fd);

/*
 * Start one worker per (port, rx queue): worker ids follow the ports in
 * index order, then their queues; worker i is pinned to
 * cores[i % nb_cores]. Counters restart from zero at every start.
 * 0 or -errno (nothing started).
 */
int p4x_engine__start(struct p4x_engine *engine);
/* Stop and join the workers; frames left between workers go back to the
 * pool. Counters stay readable until the next start. Idempotent. */
void p4x_engine__stop(struct p4x_engine *engine);

/* Sum of every worker's counters for port @index. 0 or -ENOENT. */
int p4x_engine__port_stats(const struct p4x_engine *engine, unsigned int index,
			   struct p4x_port_stats *stats);

/*
 * Sum of the XDP steering program's counters of port @index. 0, -ENOENT
 * (no such port), -EOPNOTSUPP (the port has no XDP program, e.g. a memory
 * port) or the port's -errno.
 */
int p4x_engine__port_xdp_stats(const struct p4x_engine *engine,
			       unsigned int index, struct p4x_xdp_stats *stats);

/*
 * For every rule in @rules without P4X_FWD_SET_SRC whose out port exists
 * and has a non-zero MAC, set src to that MAC and set the flag. Lets the
 * caller default the source MAC to the egress port's own.
 */
void p4x_engine__fwd_default_src(const struct p4x_engine *engine,
				 struct p4x_fwd_rule *rules, unsigned int n);

/* Per-worker view, for `p4x show workers`. */
struct p4x_worker_info {
	unsigned int id;
	int core;	/* -1: not pinned */
	uint16_t port;	/* rx port index */
	uint16_t queue; /* rx queue */
	uint64_t rx_packets;
	uint64_t tx_packets;
	uint64_t drops;
	uint64_t loops;	     /* loop iterations */
	uint64_t busy_loops; /* iterations that moved at least one packet */
	bool online;	     /* QSBR online (not idle-sleeping) */
};

/* Workers the next/current start runs (the sum of the ports' queues). */
unsigned int p4x_engine__nb_workers(const struct p4x_engine *engine);
/* 0, or -ENOENT when @id is out of range or the engine never started. */
int p4x_engine__worker_info(const struct p4x_engine *engine, unsigned int id,
			    struct p4x_worker_info *info);

#endif /* P4X_ENGINE_H */
