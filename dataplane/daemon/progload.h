/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * p4xskd's P4TC program (progload.c): load a program directory into the
 * running engine, and the handler of `p4xsk load`.
 */
#ifndef P4X_DAEMON_PROGLOAD_H
#define P4X_DAEMON_PROGLOAD_H

#include <stdbool.h>

#include "daemon.h"

/*
 * Load program directory @dir (main thread): template and runtime tables
 * unless the pipeline exists, build, load, switch the workers (RCU). 0,
 * or -errno with @err filled; on error the running program stays.
 */
int p4xd_prog_load(struct p4xd *d, const char *dir, struct p4x_ctl_err *err);
/* How often the program's datapath requests are applied. */
#define P4XD_PROG_POLL_MS 100
/* Poll timeout a running program needs (ms), -1: none. */
int p4xd_prog_timeout_ms(const struct p4xd *d);
/* Apply the program's queued datapath adds (add-on-miss) and digests. */
void p4xd_prog_tick(struct p4xd *d);
/* True while the running program is pipeline @pipe's. */
bool p4xd_prog_uses(const struct p4xd *d, const char *pipe);
/* After the engine is freed: the record and the build directory. */
void p4xd_prog_free(struct p4xd *d);

/* P4X_CTL_MSG_PROG_LOAD: P4X_CTL_TMPL_INTROSPECTION carries the
 * absolute program directory; the reply's P4X_CTL_TMPL_OUTPUT says what
 * runs. */
int p4xd_prog_load_do(struct p4xd *d, const struct nlattr **tb,
		      struct p4xd_reply *r, struct p4x_ctl_err *err);

#endif /* P4X_DAEMON_PROGLOAD_H */
