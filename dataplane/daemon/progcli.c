// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4xsk build, load and stf: P4TC program directories (P.template, P.json,
 * P_parser.h, P_parser.c, P_control_blocks.c). build and stf run locally;
 * load asks the daemon.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "p4x/ctl.h"
#include "p4x/log.h"
#include "p4x/p4rt.h"
#include "p4x/stf.h"

#include "progcli.h"

static int fail(struct p4xsk_ctx *ctx, int ret, const char *what,
		const char *why)
{
	fprintf(ctx->err, "p4xsk: %s%s%s\n", what, why ? ": " : "",
		why ? why : "");
	return ret;
}

/* "<dir>/<stem>.so" where stem is the last path component of @dir. */
static void default_so(const char *dir, char *out, size_t sz)
{
	char abs[PATH_MAX];
	const char *base;

	if (!realpath(dir, abs))
		snprintf(abs, sizeof(abs), "%s", dir);
	base = strrchr(abs, '/');
	snprintf(out, sz, "%s.so", base && base[1] ? base + 1 : "program");
}

int p4xsk_build(struct p4xsk_ctx *ctx, int argc, char **argv)
{
	struct p4x_p4rt_build_opts o = {.sz = sizeof(o)};
	char out[PATH_MAX], err[512];
	int ret;

	if (argc != 1 && !(argc == 3 && !strcmp(argv[1], "-o")))
		return fail(ctx, -EINVAL, "usage", "build DIR [-o FILE.so]");
	if (argc == 3)
		snprintf(out, sizeof(out), "%s", argv[2]);
	else
		default_so(argv[0], out, sizeof(out));
	ret = p4x_p4rt__build(argv[0], out, &o, err, sizeof(err));
	if (ret)
		return fail(ctx, ret, "build", err);
	fprintf(ctx->out,
		"%s: template, JSON and C agree (tables, key "
		"sizes); built %s\n",
		argv[0], out);
	return 0;
}

struct stf_args {
	struct p4x_stf_run_opts o;
	const char *dir, *file;
};

static int stf_parse_args(struct p4xsk_ctx *ctx, int argc, char **argv,
			  struct stf_args *a)
{
	int i, pos = 0;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--veth"))
			a->o.veth = true;
		else if (!strcmp(argv[i], "-v") ||
			 !strcmp(argv[i], "--verbose"))
			a->o.verbose = true;
		else if (!strcmp(argv[i], "--prefix") && i + 1 < argc)
			a->o.prefix = argv[++i];
		else if (!strcmp(argv[i], "--so") && i + 1 < argc)
			a->o.so_path = argv[++i];
		else if (argv[i][0] == '-' || pos == 2)
			return fail(ctx, -EINVAL, "stf: unexpected argument",
				    argv[i]);
		else if (pos++ == 0)
			a->dir = argv[i];
		else
			a->file = argv[i];
	}
	if (pos != 2)
		return fail(ctx, -EINVAL, "usage",
			    "stf DIR FILE.stf [--veth] [--prefix P] "
			    "[--so FILE.so] [-v]");
	return 0;
}

/* Library warnings (libbpf, libxdp, ports) during a run: the last one is
 * shown with a setup error, the rest only with -v. */
static char stf_warning[512];

static void stf_sink(enum p4x_log_level level, const char *msg, void *arg)
{
	size_t len = strlen(msg);

	(void)arg;
	if (level == P4X_LOG_WARN)
		snprintf(stf_warning, sizeof(stf_warning), "%.*s",
			 (int)(len && msg[len - 1] == '\n' ? len - 1 : len),
			 msg);
}

int p4xsk_stf(struct p4xsk_ctx *ctx, int argc, char **argv)
{
	struct stf_args a = {.o = {.sz = sizeof(a.o), .out = ctx->out}};
	struct p4x_stf_result res;
	char err[512];
	int ret;

	ret = stf_parse_args(ctx, argc, argv, &a);
	if (ret)
		return ret;
	/* the report is the output; library chatter only on -v */
	p4x_log__init(a.o.verbose ? P4X_LOG_INFO : P4X_LOG_WARN);
	if (!a.o.verbose)
		p4x_log__set_sink(stf_sink, NULL);
	ret = p4x_stf__run(a.dir, a.file, &a.o, &res, err, sizeof(err));
	p4x_log__set_sink(NULL, NULL);
	fflush(ctx->out);
	if (ret && stf_warning[0])
		fprintf(ctx->err, "p4xsk: stf: %s [%s]\n", err, stf_warning);
	else if (ret)
		return fail(ctx, ret, "stf", err);
	if (ret)
		return ret;
	return res.mismatched || res.missing || res.extra ? -EBADMSG : 0;
}

static int load_reply(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[P4X_CTL_TMPL_MAX + 1];
	struct p4xsk_ctx *ctx = arg;
	struct p4x_ctl_err err;

	if (p4x_ctl_parse(nlh, &p4x_ctl_tmpl_set, tb, &err))
		return err.code;
	if (tb[P4X_CTL_TMPL_OUTPUT])
		fputs(mnl_attr_get_str(tb[P4X_CTL_TMPL_OUTPUT]), ctx->out);
	return 0;
}

int p4xsk_load(struct p4xsk_ctx *ctx, int argc, char **argv)
{
	static char buf[P4X_CTL_MSG_MAX];
	char abs[PATH_MAX];
	struct p4x_ctl_err err;
	struct nlmsghdr *nlh;
	int ret;

	if (argc != 1)
		return fail(ctx, -EINVAL, "usage", "load DIR");
	if (!realpath(argv[0], abs))
		return fail(ctx, -errno, argv[0], strerror(errno));
	nlh = p4x_ctl_msg_put(buf, P4X_CTL_MSG_PROG_LOAD,
			      NLM_F_REQUEST | NLM_F_ACK, ++ctx->seq);
	mnl_attr_put_strz(nlh, P4X_CTL_TMPL_INTROSPECTION, abs);
	ctx->raw = true;
	ret = p4x_ctl_request(ctx->fd, nlh, load_reply, ctx, &err);
	if (ret)
		return fail(ctx, ret, "load", err.msg);
	return 0;
}
