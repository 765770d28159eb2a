/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * p4xsk commands on P4TC program directories (slots of p4xsk_cmds):
 * build and stf run in the CLI process (no daemon), load asks the daemon.
 * 0 or -errno, error printed; stf returns -EBADMSG when the test ran and
 * failed.
 */
#ifndef P4X_DAEMON_PROGCLI_H
#define P4X_DAEMON_PROGCLI_H

#include "cli.h"

int p4xsk_build(struct p4xsk_ctx *ctx, int argc, char **argv);
int p4xsk_load(struct p4xsk_ctx *ctx, int argc, char **argv);
int p4xsk_stf(struct p4xsk_ctx *ctx, int argc, char **argv);

#endif /* P4X_DAEMON_PROGCLI_H */
