/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The p4xsk CLI: global options and subcommands declared as data. Kept in
 * the library so that unit tests drive it as the binary does.
 */
#ifndef P4X_DAEMON_CLI_H
#define P4X_DAEMON_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "p4x/print.h"

#include "opts.h"

/* Exit codes of p4xsk. */
enum {
	P4XSK_EXIT_OK = 0,
	P4XSK_EXIT_ERROR = 1,
	P4XSK_EXIT_USAGE = 2,
};

struct p4xsk_args {
	bool json;
	bool pretty;
	bool help;
	bool version;
	const char *sock; /* NULL: $P4XSK_SOCK or the default */
};

extern const struct p4x_opt p4xsk_options[];

/* What a command runs with: a connected socket and a printer. */
struct p4xsk_cmd;

struct p4xsk_ctx {
	int fd;
	struct p4x_printer *printer;
	FILE *out; /* what bypasses the printer (p4template get output) */
	FILE *err; /* where "p4xsk: ..." messages go */
	unsigned int seq;
	const struct p4xsk_cmd *cmd; /* the command running */
	const char *sock;	     /* --sock, NULL: default */
	bool raw; /* set by commands that flush or bypass the printer */
};

struct p4xsk_cmd {
	const char *verb;   /* "show" */
	const char *object; /* "ports"; NULL: the verb alone ("monitor") */
	const char *args;   /* usage of the arguments, "" for none */
	unsigned int max_args;
	/* 0 or -errno; prints its own error to ctx->err. */
	int (*run)(struct p4xsk_ctx *ctx, int argc, char **argv);
	const char *help;
};

/* The command table, terminated by a NULL verb. */
extern const struct p4xsk_cmd p4xsk_cmds[];

/* Upper bound of arguments for commands taking a tc-style argument list. */
#define P4XSK_ARGS_MAX 4096

/*
 * The command named by @argv[0] @argv[1] (or @argv[0] alone for a verb
 * without objects; words may be abbreviated to any unique prefix, as
 * ip(8) does), or NULL.
 */
const struct p4xsk_cmd *p4xsk_cmd_find(int argc, char **argv);

/* Usage to @out. */
void p4xsk_usage(FILE *out);

/*
 * The whole CLI: parse @argv, connect, run, print to @out and errors to
 * @err. Returns the exit code (P4XSK_EXIT_*).
 */
int p4xsk_main(int argc, char **argv, FILE *out, FILE *err);

#endif /* P4X_DAEMON_CLI_H */
