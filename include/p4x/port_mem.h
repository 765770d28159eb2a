/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The memory port: a port without a kernel, for deterministic tests of the
 * engine. A test injects frames into an rx queue; what the engine
 * transmits is copied out into a bounded capture queue that the test
 * reads. Frames come from and go back to the engine's pool, like on an
 * AF_XDP port.
 *
 * Injected frames get XDP metadata computed in C the way the steering
 * program would for well-formed packets: l3/l4 offsets and protocols, VLAN
 * tags and flags, rx_queue and the magic. The flow hash is left 0 (not
 * computed). A frame the simple parser cannot follow (truncated or
 * malformed headers) gets magic 0, i.e. no valid metadata.
 */
#ifndef P4X_PORT_MEM_H
#define P4X_PORT_MEM_H

#include <stddef.h>
#include <stdint.h>

#include "port.h"

/* Frames the capture queue holds before tx_burst refuses more. */
#define P4X_PORT_MEM_CAPTURE 4096u
/* Frames each rx queue holds before inject refuses more. */
#define P4X_PORT_MEM_RXQ 4096u

/*
 * Create a memory port named @name (< P4X_IFNAMSIZ) with @nb_queues
 * (1..P4X_MAX_QUEUES) rx/tx queues over @pool. NULL with errno on failure.
 * The caller owns the port until it gives it to p4x_engine__add_port();
 * port->ops->close(port) frees a port that was not added.
 * The default MAC is 02:00:00:00:00:<n> with n = a per-process counter.
 */
struct p4x_port *p4x_port_mem__new(const char *name, uint16_t nb_queues,
				   struct p4x_pool *pool);

/* Set the MAC the port reports in get_info. */
void p4x_port_mem__set_mac(struct p4x_port *port, const uint8_t mac[6]);

/*
 * Copy @len bytes (14..P4X_FRAME_SIZE - P4X_FRAME_HEADROOM) into a pool
 * frame and queue it on rx @queue. Any thread, but one injector per queue
 * at a time. 0, -EINVAL (bad queue or length), -ENOBUFS (pool empty) or
 * -ENOSPC (rx queue full); on error nothing is queued.
 */
int p4x_port_mem__inject(struct p4x_port *port, uint16_t queue,
			 const void *bytes, size_t len);

/*
 * Pop the oldest captured frame: copy it into @buf (@cap bytes) and store
 * the tx queue it was sent on in @queue (may be NULL). Returns its length,
 * -EAGAIN when nothing was captured, or -ENOSPC when @cap is too small
 * (the frame stays queued). One reader at a time.
 */
int p4x_port_mem__capture(struct p4x_port *port, void *buf, size_t cap,
			  uint16_t *queue);

/* Frames waiting in rx queue @queue (not yet received by a worker). */
unsigned int p4x_port_mem__rx_pending(const struct p4x_port *port,
				      uint16_t queue);

#endif /* P4X_PORT_MEM_H */
