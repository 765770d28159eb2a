// SPDX-License-Identifier: BSD-3-Clause
/* Options declared as data: the getopt_long driver and usage printer. */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "opts.h"

#define OPTS_MAX 32

static void build(const struct p4x_opt *opts, bool stop_at_arg,
		  struct option *lopts, char *shorts)
{
	unsigned int i, s = 0;

	shorts[s++] = stop_at_arg ? '+' : '-';
	shorts[s++] = ':';
	for (i = 0; opts[i].type != P4X_OPT_END && i < OPTS_MAX; i++) {
		bool arg = opts[i].type != P4X_OPT_FLAG;

		lopts[i] = (struct option){
			opts[i].name, arg ? required_argument : no_argument,
			NULL, 0x100 + (int)i};
		if (opts[i].short_name) {
			shorts[s++] = opts[i].short_name;
			if (arg)
				shorts[s++] = ':';
		}
	}
	lopts[i] = (struct option){0};
	shorts[s] = '\0';
}

static const struct p4x_opt *find_short(const struct p4x_opt *opts, int c)
{
	for (; opts->type != P4X_OPT_END; opts++)
		if (opts->short_name == c)
			return opts;
	return NULL;
}

static int apply(const struct p4x_opt *o, const char *arg, void *target,
		 char *err, size_t errlen)
{
	char *field = (char *)target + o->offset;
	char why[200] = "";
	int ret = 0;

	switch (o->type) {
	case P4X_OPT_FLAG:
		*(bool *)field = true;
		break;
	case P4X_OPT_STRING:
		*(const char **)field = arg;
		break;
	case P4X_OPT_FUNC:
		ret = o->parse(arg, field, why, sizeof(why));
		break;
	case P4X_OPT_END:
		break;
	}
	if (ret)
		snprintf(err, errlen, "option --%s '%s': %s", o->name, arg,
			 why);
	return ret;
}

static int bad_opt(int c, char **argv, const struct p4x_opt *opts, char *err,
		   size_t errlen)
{
	const char *word = argv[optind - 1];

	if (c == ':')
		snprintf(err, errlen, "option '%s' requires an argument", word);
	else if (c == 1)
		snprintf(err, errlen, "unexpected argument '%s'", optarg);
	else if (optopt && optopt < 0x100 && !find_short(opts, optopt))
		snprintf(err, errlen, "unknown option '-%c'", optopt);
	else
		snprintf(err, errlen, "unknown option '%s'", word);
	return -EINVAL;
}

int p4x_opts_parse(const struct p4x_opt *opts, int argc, char **argv,
		   void *target, bool stop_at_arg, char *err, size_t errlen)
{
	struct option lopts[OPTS_MAX + 1];
	char shorts[3 * OPTS_MAX + 3];
	int c;

	build(opts, stop_at_arg, lopts, shorts);
	optind = 0; /* glibc: reinitialize, so the table can be reused */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, lopts, NULL)) != -1) {
		const struct p4x_opt *o;

		if (c >= 0x100)
			o = &opts[c - 0x100];
		else
			o = c == '?' || c == ':' || c == 1
				    ? NULL
				    : find_short(opts, c);
		if (!o)
			return bad_opt(c, argv, opts, err, errlen);
		if (apply(o, optarg, target, err, errlen))
			return -EINVAL;
	}
	return optind;
}

void p4x_opts_usage(const struct p4x_opt *opts, FILE *out)
{
	for (; opts->type != P4X_OPT_END; opts++) {
		char lhs[64];

		snprintf(lhs, sizeof(lhs), "%c%c%s--%s%s%s",
			 opts->short_name ? '-' : ' ',
			 opts->short_name ? opts->short_name : ' ',
			 opts->short_name ? ", " : "  ", opts->name,
			 opts->metavar ? " " : "",
			 opts->metavar ? opts->metavar : "");
		if (strlen(lhs) > 30)
			fprintf(out, "  %s\n  %-30s %s\n", lhs, "", opts->help);
		else
			fprintf(out, "  %-30s %s\n", lhs, opts->help);
	}
}
