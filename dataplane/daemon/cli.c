// SPDX-License-Identifier: BSD-3-Clause
/* p4xsk: global options, the command table, and the CLI driver. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "p4x/ctl.h"

#include "cli.h"
#include "p4cli.h"
#include "bridge_d.h"
#include "sched_cli.h"
#include "progcli.h"
#include "show.h"

#define CLI_OPT(n, s, t, field, meta, hlp) \
	P4X_OPT(n, s, t, struct p4xsk_args, field, NULL, meta, hlp)

const struct p4x_opt p4xsk_options[] = {
	CLI_OPT("json", 'j', P4X_OPT_FLAG, json, NULL, "print JSON"),
	CLI_OPT("pretty", 'p', P4X_OPT_FLAG, pretty, NULL,
		"indent JSON output (with -j)"),
	CLI_OPT("sock", 's', P4X_OPT_STRING, sock, "PATH",
		"p4xskd control socket (default $" P4X_CTL_SOCK_ENV
		" or " P4X_CTL_SOCK_DEFAULT ")"),
	CLI_OPT("version", 'V', P4X_OPT_FLAG, version, NULL,
		"print the CLI version and exit"),
	CLI_OPT("help", 'h', P4X_OPT_FLAG, help, NULL,
		"print this help and exit"),
	{.type = P4X_OPT_END},
};

const struct p4xsk_cmd p4xsk_cmds[] = {
	{"show", "ports", "[NAME]", 1, p4xsk_show_ports,
	 "ports, their XDP attachment and counters"},
	{"show", "workers", "", 0, p4xsk_show_workers,
	 "worker threads: core, queue, counters"},
	{"show", "status", "", 0, p4xsk_show_status,
	 "daemon uptime, program, number of ports and workers"},
	{"show", "version", "", 0, p4xsk_show_version,
	 "CLI and daemon versions"},
#define TMPL(verb)                                                         \
	{                                                                  \
		"p4template", verb, "<obj>/<path> [ARGS]", P4XSK_ARGS_MAX, \
			p4xsk_p4template, "tc p4template " verb            \
	}
	TMPL("create"),
	TMPL("update"),
	TMPL("delete"),
	TMPL("get"),
#undef TMPL
#define CTRL(verb, hlp)                                                      \
	{                                                                    \
		"p4ctrl", verb, "<P>/table/<cb>/<tbl> " hlp, P4XSK_ARGS_MAX, \
			p4xsk_p4ctrl, "tc p4ctrl " verb                      \
	}
	CTRL("create", "ENTRY [entry ENTRY]..."),
	CTRL("update", "ENTRY [entry ENTRY]..."),
	CTRL("get", "[KEY | filter EXPR]"),
	CTRL("delete", "[KEY [entry KEY]... | filter EXPR]"),
#undef CTRL
	{"build", NULL, "DIR [-o FILE.so]", 3, p4xsk_build,
	 "compile a P4TC program directory; check template, JSON and C agree"},
	{"load", NULL, "DIR", 1, p4xsk_load,
	 "run DIR's template in p4xskd and switch the workers to the program"},
	{"stf", NULL, "DIR FILE.stf [--veth] [--prefix P] [--so FILE.so] [-v]",
	 8, p4xsk_stf, "run an STF test on memory ports (or AF_XDP on veth)"},
	{"sched", "show", "[PORT]", 1, p4xsk_sched_show,
	 "egress scheduler: policy, per-class and per-flow backlog, drops, "
	 "rates"},
	{"sched", "set", "PORT POLICY [k=v]...", P4XSK_ARGS_MAX,
	 p4xsk_sched_set, "switch PORT's scheduler to a built-in policy"},
	{"sched", "load", "PORT FILE.so [k=v]...", P4XSK_ARGS_MAX,
	 p4xsk_sched_load, "load a policy shared object into PORT's scheduler"},
	{"bridge", "status", "", 0, p4xsk_bridge_status,
	 "kernel sources: state, counters, lag, last error"},
	{"bridge", "diff", "", 0, p4xsk_bridge_diff,
	 "differences between the engine and a fresh kernel dump "
	 "(exit 1 if any)"},
	{"monitor", NULL,
	 "[p4 events] [<P>[/table/<cb>/<tbl>]] [count N] [timeout S] "
	 "[filter EXPR]",
	 P4XSK_ARGS_MAX, p4xsk_monitor,
	 "print table events (create, update, delete, aging)"},
	{NULL},
};

/* Commands that run in the CLI process, without the daemon. */
static bool is_local(const struct p4xsk_cmd *cmd)
{
	return cmd->run == p4xsk_build || cmd->run == p4xsk_stf;
}

static bool is_prefix(const char *word, const char *full)
{
	return *word && !strncmp(word, full, strlen(word));
}

const struct p4xsk_cmd *p4xsk_cmd_find(int argc, char **argv)
{
	const struct p4xsk_cmd *c, *found = NULL;

	if (argc < 1)
		return NULL;
	for (c = p4xsk_cmds; c->verb; c++) {
		if (!is_prefix(argv[0], c->verb))
			continue;
		if (!c->object)
			return c;
		if (argc < 2 || !is_prefix(argv[1], c->object))
			continue;
		if (!strcmp(argv[1], c->object))
			return c;
		if (found)
			return NULL; /* ambiguous abbreviation */
		found = c;
	}
	return found;
}

void p4xsk_usage(FILE *out)
{
	const struct p4xsk_cmd *c;

	fprintf(out, "Usage: p4xsk [OPTIONS] COMMAND\n\nCommands:\n");
	for (c = p4xsk_cmds; c->verb; c++) {
		char lhs[160];

		snprintf(lhs, sizeof(lhs), "%s%s%s %s", c->verb,
			 c->object ? " " : "", c->object ? c->object : "",
			 c->args);
		if (strlen(lhs) > 30)
			fprintf(out, "  %s\n  %-30s %s\n", lhs, "", c->help);
		else
			fprintf(out, "  %-30s %s\n", lhs, c->help);
	}
	fprintf(out, "\nOptions (before the command):\n");
	p4x_opts_usage(p4xsk_options, out);
	fprintf(out, "\nExit status: 0 ok, 1 error, 2 usage.\n");
}

static int usage_error(FILE *err, const char *what, const char *arg)
{
	fprintf(err, "p4xsk: %s%s%s%s\n", what, arg ? " '" : "", arg ? arg : "",
		arg ? "'" : "");
	fprintf(err, "Try 'p4xsk --help'.\n");
	return P4XSK_EXIT_USAGE;
}

static int run(const struct p4xsk_cmd *cmd, const struct p4xsk_args *args,
	       int argc, char **argv, FILE *out, FILE *err)
{
	struct p4x_printer_opts popts = {
		.sz = sizeof(popts),
		.json = args->json,
		.pretty = args->pretty,
	};
	const char *path = p4x_ctl_sock_path(args->sock);
	struct p4xsk_ctx ctx = {
		.err = err, .out = out, .cmd = cmd, .sock = args->sock};
	int ret;

	if (is_local(cmd)) {
		ctx.fd = -1;
		return cmd->run(&ctx, argc, argv) ? P4XSK_EXIT_ERROR
						  : P4XSK_EXIT_OK;
	}
	ctx.fd = p4x_ctl_connect(path);
	if (ctx.fd < 0) {
		fprintf(err, "p4xsk: cannot connect to p4xskd at %s: %s\n",
			path, strerror(-ctx.fd));
		return P4XSK_EXIT_ERROR;
	}
	ctx.printer = p4x_printer__new(out, &popts);
	if (!ctx.printer) {
		fprintf(err, "p4xsk: %s\n", strerror(errno));
		close(ctx.fd);
		return P4XSK_EXIT_ERROR;
	}
	ret = cmd->run(&ctx, argc, argv);
	if (!ret && !ctx.raw) {
		ret = p4x_printer__flush(ctx.printer);
		if (ret)
			fprintf(err, "p4xsk: printing: %s\n", strerror(-ret));
	}
	p4x_printer__free(ctx.printer);
	close(ctx.fd);
	return ret ? P4XSK_EXIT_ERROR : P4XSK_EXIT_OK;
}

int p4xsk_main(int argc, char **argv, FILE *out, FILE *err)
{
	struct p4xsk_args args = {0};
	const struct p4xsk_cmd *cmd;
	char why[256];
	int first;

	first = p4x_opts_parse(p4xsk_options, argc, argv, &args, true, why,
			       sizeof(why));
	if (first < 0)
		return usage_error(err, why, NULL);
	if (args.help) {
		p4xsk_usage(out);
		return P4XSK_EXIT_OK;
	}
	if (args.version) {
		fprintf(out, "p4xsk %s (protocol %d)\n", P4X_VERSION,
			P4X_CTL_VERSION);
		return P4XSK_EXIT_OK;
	}
	if (first >= argc)
		return usage_error(err, "missing command", NULL);
	cmd = p4xsk_cmd_find(argc - first, argv + first);
	if (!cmd) {
		snprintf(why, sizeof(why), "%s%s%s", argv[first],
			 first + 1 < argc ? " " : "",
			 first + 1 < argc ? argv[first + 1] : "");
		return usage_error(err, "unknown command", why);
	}
	argc -= first + (cmd->object ? 2 : 1);
	argv += first + (cmd->object ? 2 : 1);
	if ((unsigned int)argc > cmd->max_args) {
		snprintf(why, sizeof(why), "%s %s: unexpected argument",
			 cmd->verb, cmd->object ? cmd->object : "");
		return usage_error(err, why, argv[cmd->max_args]);
	}
	return run(cmd, &args, argc, argv, out, err);
}
