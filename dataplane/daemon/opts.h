/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Command-line options declared as data, as xdp-tools does: each option
 * names its type, the field it fills (an offset into the caller's
 * struct), and its help. One table drives getopt_long and the usage text.
 */
#ifndef P4X_DAEMON_OPTS_H
#define P4X_DAEMON_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum p4x_opt_type {
	P4X_OPT_END = 0, /* terminates a table */
	P4X_OPT_FLAG,	 /* bool set to true; no argument */
	P4X_OPT_STRING,	 /* const char * pointing into argv */
	P4X_OPT_FUNC,	 /* argument passed to parse() */
};

/*
 * Parses @arg into the field at @target. Returns 0, or -EINVAL with a
 * reason in @err (the caller prefixes the option name).
 */
typedef int (*p4x_opt_parse_fn)(const char *arg, void *target, char *err,
				size_t errlen);

struct p4x_opt {
	const char *name; /* long name, without "--" */
	char short_name;  /* 0: long only */
	enum p4x_opt_type type;
	size_t offset;		/* of the target field in the options struct */
	p4x_opt_parse_fn parse; /* P4X_OPT_FUNC only */
	const char *metavar;	/* argument name in the usage; NULL: FLAG */
	const char *help;
};

#define P4X_OPT(n, s, t, st, field, fn, meta, hlp)            \
	{                                                     \
		.name = (n), .short_name = (s), .type = (t),  \
		.offset = offsetof(st, field), .parse = (fn), \
		.metavar = (meta), .help = (hlp)              \
	}

/*
 * Parse options from @argv into @target per @opts. With @stop_at_arg,
 * parsing stops at the first non-option (a subcommand); otherwise
 * non-options are an error. Returns the index of the first argument not
 * consumed, or -EINVAL with "what, why" in @err.
 */
int p4x_opts_parse(const struct p4x_opt *opts, int argc, char **argv,
		   void *target, bool stop_at_arg, char *err, size_t errlen);

/* Print the options' usage lines to @out. */
void p4x_opts_usage(const struct p4x_opt *opts, FILE *out);

#endif /* P4X_DAEMON_OPTS_H */
