/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * p4xskd's kernel bridge (bridge_ctl.c): `--bridge rtnl:<binding>` mirrors
 * the namespace's routes, neighbours and links into the bound P4 tables;
 * `--bridge p4tc` mirrors P4TC where the kernel has it (detected at start;
 * a kernel without P4TC is reported in one log line and in the status).
 *
 * Theory of operation. The rtnetlink source, its mirror and the binding
 * sink run on the daemon's main thread, the tables' only writer: the
 * event socket is one more fd of the poll loop, each wakeup reads what is
 * queued (bounded) and commits it in table transactions. The source
 * starts once the bound pipeline is sealed (at once with --program);
 * until then the status says `waiting`. While a source is active, local
 * p4ctrl writes to its tables are refused.
 */
#ifndef P4X_DAEMON_BRIDGE_D_H
#define P4X_DAEMON_BRIDGE_D_H

#include <limits.h>
#include <poll.h>
#include <stdbool.h>

#include "daemon.h"

/*
 * Start-up (main thread, after the program is loaded): load the binding,
 * probe P4TC. 0, or -errno after printing the reason to stderr.
 */
int p4xd_bridge__setup(struct p4xd *d);
/* Close the sources, free the mirror; the tables keep their entries.
 * NULL bridge ok. */
void p4xd_bridge__free(struct p4xd *d);

/* Fill @pfd with the fds to poll (at most P4XD_BRIDGE_FDS); the count. */
#define P4XD_BRIDGE_FDS 1
unsigned int p4xd_bridge__pollfds(const struct p4xd *d, struct pollfd *pfd);
/* Poll timeout the bridge needs in ms (waiting for its pipeline); -1. */
int p4xd_bridge__timeout_ms(const struct p4xd *d);
/* After every poll: start when the pipeline is there, apply events. */
void p4xd_bridge__tick(struct p4xd *d);

/*
 * 0 if local writes to table @tblname ("cb/tbl") of pipeline @pname are
 * allowed; else -EPERM with "table P/cb/t is mirrored from the kernel
 * (rtnl): local writes are refused" in @err.
 */
int p4xd_bridge__authority(const struct p4xd *d, const char *pname,
			   const char *tblname, struct p4x_ctl_err *err);

/* p4xsk bridge status|diff (slots of p4xsk_cmds; cli.h). 0 or -errno
 * (printed); diff: -EEXIST after printing differences (exit 1). */
struct p4xsk_ctx;
int p4xsk_bridge_status(struct p4xsk_ctx *ctx, int argc, char **argv);
int p4xsk_bridge_diff(struct p4xsk_ctx *ctx, int argc, char **argv);

/* Handlers of P4X_CTL_MSG_BRIDGE_STATUS / _DIFF (dumps). */
int p4xd_bridge_status_dump(struct p4xd *d, const struct nlattr **tb,
			    struct p4xd_reply *r, struct p4x_ctl_err *err);
int p4xd_bridge_diff_dump(struct p4xd *d, const struct nlattr **tb,
			  struct p4xd_reply *r, struct p4x_ctl_err *err);

#endif /* P4X_DAEMON_BRIDGE_D_H */
