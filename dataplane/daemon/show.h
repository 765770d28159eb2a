/* SPDX-License-Identifier: BSD-3-Clause */
/* p4xsk show commands (slots of p4xsk_cmds). 0 or -errno, error printed. */
#ifndef P4X_DAEMON_SHOW_H
#define P4X_DAEMON_SHOW_H

#include "cli.h"

int p4xsk_show_ports(struct p4xsk_ctx *ctx, int argc, char **argv);
int p4xsk_show_workers(struct p4xsk_ctx *ctx, int argc, char **argv);
int p4xsk_show_status(struct p4xsk_ctx *ctx, int argc, char **argv);
int p4xsk_show_version(struct p4xsk_ctx *ctx, int argc, char **argv);

#endif /* P4X_DAEMON_SHOW_H */
