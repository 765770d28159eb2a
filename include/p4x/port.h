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

enum p4x_port_mode {
	P4X_PORT_MODE_NONE = 0,    /* no XDP involved (memory port) */
	P4X_PORT_MODE_XDP_NATIVE,  /* XDP in the driver */
	P4X_PORT_MODE_XDP_GENERIC, /* XDP on the skb path */
};

/* Facts about a port, filled by ops->get_info. Strings are owned by it. */
struct p4x_port_info {
	char name[P4X_IFNAMSIZ];
	const char *kind;          /* "afxdp", "mem" */
	int ifindex;               /* 0 for memory ports */
	uint16_t nb_queues;
	enum p4x_port_mode mode;
	bool zero_copy;            /* AF_XDP bind mode: zero-copy vs copy */
	bool multi_prog;           /* libxdp multi-program dispatcher in use */
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
	 * readable when the queue has rx work. */
	int (*wait_fd)(struct p4x_port *port, uint16_t queue);
	/* Must be non-NULL. */
	void (*get_info)(const struct p4x_port *port,
			 struct p4x_port_info *info);
	/* Must be non-NULL. Release everything; frames it holds go back to
	 * the pool. Called after the workers stopped. Accepts NULL. */
	void (*close)(struct p4x_port *port);
};

/*
 * Common head of every port object; kinds embed it first. The engine sets
 * index and worker ids when the port is added.
 */
struct p4x_port {
	const struct p4x_port_ops *ops;
	struct p4x_pool *pool;
	uint16_t index; /* engine port index, set by p4x_engine__add_port */
};

#endif /* P4X_PORT_H */
