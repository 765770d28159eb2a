/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The AF_XDP port: the steering program attached to an interface
 * (p4x_xdp__attach) and one AF_XDP socket per queue, all over ONE UMEM per
 * pool: the pool's area. Every socket of every AF_XDP port of an engine
 * shares it (each socket with its own fill and completion rings), so a
 * frame received on one port is sent on another without a copy.
 *
 * Received frames carry struct p4x_xdp_meta in front of the data; the
 * port copies it into pkt->meta when its magic is right (else magic 0),
 * and clears the magic in the frame, since the kernel does not clear
 * the headroom of a reused frame.
 */
#ifndef P4X_PORT_AFXDP_H
#define P4X_PORT_AFXDP_H

#include <stdbool.h>
#include <stdint.h>

#include "port.h"
#include "xdp.h"

struct p4x_port_afxdp_opts {
	size_t sz;		    /* sizeof(struct p4x_port_afxdp_opts) */
	enum p4x_xdp_mode_req mode; /* XDP attach mode; 0: auto */
	uint32_t host_flags;	    /* P4X_HOST_*; 0: default (ARP | ND) */
	bool replace_stale;	    /* see struct p4x_xdp_opts */
	uint16_t bind_flags;	    /* XDP_COPY or XDP_ZEROCOPY; 0: let the
				     * kernel choose. XDP_USE_NEED_WAKEUP is
				     * always added. Sockets after the first
				     * on the shared UMEM inherit the mode. */
	uint32_t ring_size;	    /* rx, tx, fill and completion ring
				     * entries (power of 2); 0: 2048 */
};

/*
 * Open @ifname with @nb_queues queues (0..nb_queues-1). NULL with errno
 * and a logged reason: ENODEV (no such interface), EINVAL (bad options, or
 * the interface has fewer rx queues than asked), EEXIST/EBUSY (another XDP
 * program is attached; see p4x_xdp__attach), or the socket's error. Bind
 * is retried for ~50 ms on EBUSY (a socket closed just before). The caller
 * owns the port until it gives it to p4x_engine__add_port(); ops->close()
 * detaches XDP, closes the sockets and returns the frames the rings held.
 * Threads: the data ops of a queue run on its one worker; get_info and
 * xdp_stats on any thread.
 */
struct p4x_port *p4x_port_afxdp__new(const char *ifname, uint16_t nb_queues,
				     struct p4x_pool *pool,
				     const struct p4x_port_afxdp_opts *opts);

#endif /* P4X_PORT_AFXDP_H */
