/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ports: an ops table per port kind (AF_XDP, memory). The engine calls the
 * data ops only from the worker that owns the queue, so an implementation
 * needs no lock on them: each (port, queue) has exactly one worker.
 *
 * Frame ownership across the data ops:
 *  - rx_burst hands received frames to the caller (the worker);
 *  - tx_burst takes ownership of the frames it accepted (the first
 *    return-value packets); the rest stay with the caller;
 *  - poll reaps transmitted frames and refills rx: it returns completed
 *    frames to the pool and takes new ones for the fill side.
 */
#ifndef P4X_PORT_H
#define P4X_PORT_H

#include <stdbool.h>
#include <stdint.h>

#include "common.h"
#include "pkt.h"

struct p4x_port;

/* Most ports one engine holds; port indexes are below this. */
#define P4X_MAX_PORTS 32
/* Most queues one port may have. */
#define P4X_MAX_QUEUES 64

/* Per-port counters, X(ENUM_SUFFIX, "json_key"). The engine keeps them per
 * worker and sums them on read; a port kind may add its own per-queue
 * counts through ops->add_counters. Drops are counted separately by enum
 * p4x_drop_reason. */
#define P4X_PORT_COUNTERS(X)                \
	X(RX_PACKETS, "rx_packets")         \
	X(RX_BYTES, "rx_bytes")             \
	X(TX_PACKETS, "tx_packets")         \
	X(TX_BYTES, "tx_bytes")             \
	X(RX_EMPTY_POLLS, "rx_empty_polls") \
	X(FILL_EMPTY, "fill_ring_empty")    \
	X(TX_WAKEUPS, "tx_wakeups")         \
	X(HOST_PACKETS, "host_packets")

enum p4x_port_counter {
#define P4X_X_ENUM(name, key) P4X_PORT_CNT_##name,
	P4X_PORT_COUNTERS(P4X_X_ENUM)
#undef P4X_X_ENUM
		P4X_PORT_CNT__COUNT
};

enum p4x_port_mode {
	P4X_PORT_MODE_NONE = 0,	   /* no XDP involved (memory port) */
	P4X_PORT_MODE_XDP_NATIVE,  /* XDP in the driver */
	P4X_PORT_MODE_XDP_GENERIC, /* XDP on the skb path */
};

/* Facts about a port, filled by ops->get_info. Strings are owned by it. */
struct p4x_port_info {
	char name[P4X_IFNAMSIZ];
	const char *kind; /* "afxdp", "mem" */
	int ifindex;	  /* 0 for memory ports */
	uint16_t nb_queues;
	enum p4x_port_mode mode;
	bool zero_copy;	 /* AF_XDP bind mode: zero-copy vs copy */
	bool multi_prog; /* libxdp multi-program dispatcher in use */
	bool link_up;
	uint8_t mac[6];
	uint32_t mtu;
};

struct p4x_port_ops {
	const char *kind;
	/* Must be non-NULL. Receive up to @n packets into @pkts (in_port,
	 * in_queue, addr, data, len and meta filled). Returns the count. */
	unsigned int (*rx_burst)(struct p4x_port *port, uint16_t queue,
				 struct p4x_pkt *pkts, unsigned int n);
	/* Must be non-NULL. Queue @n packets for transmit; returns how many
	 * were accepted (owned by the port from then on). */
	unsigned int (*tx_burst)(struct p4x_port *port, uint16_t queue,
				 struct p4x_pkt *pkts, unsigned int n);
	/* Must be non-NULL. Kick tx if the ring needs a wakeup, reap
	 * completions, refill the rx side. Called once per worker loop. */
	void (*poll)(struct p4x_port *port, uint16_t queue);
	/* NULL: the worker cannot sleep on this queue and polls it with a
	 * short sleep when idle. Otherwise returns an fd that becomes
	 * readable (POLLIN) when the queue has rx work; the port re-arms it
	 * itself from rx_burst, the worker only poll()s it. */
	int (*wait_fd)(struct p4x_port *port, uint16_t queue);
	/* Must be non-NULL. */
	void (*get_info)(const struct p4x_port *port,
			 struct p4x_port_info *info);
	/* NULL: no port-kind counters. Otherwise adds this queue's own
	 * counts (e.g. FILL_EMPTY, TX_WAKEUPS) into @cnt. Any thread. */
	void (*add_counters)(const struct p4x_port *port, uint16_t queue,
			     uint64_t cnt[P4X_PORT_CNT__COUNT]);
	/* NULL: no XDP program on this port (memory ports). Otherwise sums
	 * the steering program's per-CPU counters into @stats; 0 or -errno.
	 * Any thread. */
	int (*xdp_stats)(const struct p4x_port *port,
			 struct p4x_xdp_stats *stats);
	/* Must be non-NULL. Release everything; frames it holds go back to
	 * the pool. Called after the workers stopped. Accepts NULL. */
	void (*close)(struct p4x_port *port);
};

/*
 * Common head of every port object; kinds embed it first. The engine sets
 * index and wid_base when the port is added. Queue q of the port is owned
 * by worker wid_base + q, which is also the pool cache id the port uses
 * for that queue's frames (p4x_pool__get_burst/put_burst). A port outside
 * an engine has wid_base 0.
 */
struct p4x_port {
	const struct p4x_port_ops *ops;
	struct p4x_pool *pool;
	uint16_t index;	   /* engine port index, set by p4x_engine__add_port */
	uint16_t wid_base; /* worker id of queue 0, set likewise */
};

/* The pool cache id of @queue: the id of the worker that owns it. */
static inline unsigned int p4x_port__wid(const struct p4x_port *port,
					 uint16_t queue)
{
	return (unsigned int)port->wid_base + queue;
}

#endif /* P4X_PORT_H */
