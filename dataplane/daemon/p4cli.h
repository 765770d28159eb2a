/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * p4xsk P4 commands (slots of p4xsk_cmds): p4template and p4ctrl verbs
 * (ctx->cmd->object names the verb) and monitor. 0 or -errno, error
 * printed.
 */
#ifndef P4X_DAEMON_P4CLI_H
#define P4X_DAEMON_P4CLI_H

#include "cli.h"

int p4xsk_p4template(struct p4xsk_ctx *ctx, int argc, char **argv);
int p4xsk_p4ctrl(struct p4xsk_ctx *ctx, int argc, char **argv);
int p4xsk_monitor(struct p4xsk_ctx *ctx, int argc, char **argv);

#endif /* P4X_DAEMON_P4CLI_H */
