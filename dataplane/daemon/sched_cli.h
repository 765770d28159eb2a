/* SPDX-License-Identifier: BSD-3-Clause */
/* p4xsk sched show|set|load (slots of p4xsk_cmds). 0 or -errno, printed. */
#ifndef P4X_DAEMON_SCHED_CLI_H
#define P4X_DAEMON_SCHED_CLI_H

#include "cli.h"

int p4xsk_sched_show(struct p4xsk_ctx *ctx, int argc, char **argv);
int p4xsk_sched_set(struct p4xsk_ctx *ctx, int argc, char **argv);
int p4xsk_sched_load(struct p4xsk_ctx *ctx, int argc, char **argv);

#endif /* P4X_DAEMON_SCHED_CLI_H */
