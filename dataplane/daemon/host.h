/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host path of p4xskd's ports (host.c): packets a P4 program hands to
 * the host (P4TC egress port 0) enter the daemon namespace's kernel stack
 * through one TAP device per port, p4xh<port index>, which carries the
 * port's MAC and accepts traffic whose reverse path is the port
 * (rp_filter 0). The stack's replies leave by its routes, i.e. by the
 * real interfaces, not by the TAP. Memory ports get none.
 */
#ifndef P4X_DAEMON_HOST_H
#define P4X_DAEMON_HOST_H

#include "daemon.h"

/* Create the TAPs still missing and give them to the engine. Failures are
 * logged once per port (its host packets are then dropped as no_route). */
void p4xd_host_open(struct p4xd *d);
/* Close them (after the engine is freed). */
void p4xd_host_close(struct p4xd *d);

#endif /* P4X_DAEMON_HOST_H */
