// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4xsk option and command parsing: global options before the command,
 * abbreviations, and every usage error with its message and exit code
 * (2), plus the "daemon not running" error (1). No daemon involved.
 */
#include <stdarg.h>

#include "cli.h"
#include "check.h"

#define MAX_ARGS 16

static int nargs(char **argv)
{
	int n = 0;

	while (argv[n])
		n++;
	return n;
}

static void test_options(void)
{
	char *argv[] = {"p4xsk", "-j",	  "--sock", "/tmp/s", "-p",
			"show",	 "ports", "-j",	    NULL};
	struct p4xsk_args a = {0};
	char err[128] = "";
	int first;

	first = p4x_opts_parse(p4xsk_options, nargs(argv), argv, &a, true, err,
			       sizeof(err));
	CHECK_EQ(first, 5); /* stops at the command */
	CHECK(a.json && a.pretty && !a.help);
	CHECK_STR(a.sock, "/tmp/s");
	CHECK_STR(err, "");
}

static void test_find(void)
{
	char *show_ports[] = {"show", "ports"};
	char *sh_p[] = {"sh", "p"};
	char *show_w[] = {"show", "w"};
	char *show_s[] = {"show", "st"};
	char *show_x[] = {"show", "x"};
	char *list_ports[] = {"list", "ports"};

	CHECK_STR(p4xsk_cmd_find(2, show_ports)->object, "ports");
	CHECK_STR(p4xsk_cmd_find(2, sh_p)->object, "ports");
	CHECK_STR(p4xsk_cmd_find(2, show_w)->object, "workers");
	CHECK_STR(p4xsk_cmd_find(2, show_s)->object, "status");
	CHECK(!p4xsk_cmd_find(2, show_x));
	CHECK(!p4xsk_cmd_find(2, list_ports));
	CHECK(!p4xsk_cmd_find(1, show_ports));
}

/* Run p4xsk with the given words; check exit code, stdout and stderr. */
static void cli(int code, const char *want_out, const char *want_err, ...)
{
	char *argv[MAX_ARGS] = {"p4xsk"}, *out = NULL, *err = NULL;
	size_t olen = 0, elen = 0;
	FILE *fo = open_memstream(&out, &olen);
	FILE *fe = open_memstream(&err, &elen);
	int argc = 1, ret;
	va_list ap;

	va_start(ap, want_err);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	ret = p4xsk_main(argc, argv, fo, fe);
	fclose(fo);
	fclose(fe);
	CHECK_EQ(ret, code);
	if (want_out)
		CHECK_STR(out, want_out);
	CHECK_STR(err, want_err);
	free(out);
	free(err);
}

#define HINT "Try 'p4xsk --help'.\n"

static void test_usage_errors(void)
{
	cli(2, "", "p4xsk: missing command\n" HINT, NULL);
	cli(2, "", "p4xsk: missing command\n" HINT, "-j", NULL);
	cli(2, "", "p4xsk: unknown command 'show foo'\n" HINT, "show", "foo",
	    NULL);
	cli(2, "", "p4xsk: unknown command 'bogus'\n" HINT, "bogus", NULL);
	cli(2, "", "p4xsk: unknown option '--bogus'\n" HINT, "--bogus", "show",
	    "ports", NULL);
	cli(2, "", "p4xsk: unknown option '-x'\n" HINT, "-x", NULL);
	cli(2, "", "p4xsk: option '--sock' requires an argument\n" HINT,
	    "--sock", NULL);
	cli(2, "", "p4xsk: show status: unexpected argument 'now'\n" HINT,
	    "show", "status", "now", NULL);
	cli(2, "", "p4xsk: show ports: unexpected argument 'b'\n" HINT, "show",
	    "ports", "a", "b", NULL);
	cli(0, NULL, "", "--help", NULL);
	cli(0, "p4xsk " P4X_VERSION " (protocol 1)\n", "", "-V", NULL);
}

static void test_not_running(void)
{
	cli(1, "",
	    "p4xsk: cannot connect to p4xskd at /nonexistent/p4xd.sock: "
	    "No such file or directory\n",
	    "--sock", "/nonexistent/p4xd.sock", "show", "status", NULL);
	setenv("P4XSK_SOCK", "/nonexistent/env.sock", 1);
	cli(1, "",
	    "p4xsk: cannot connect to p4xskd at /nonexistent/env.sock: "
	    "No such file or directory\n",
	    "-j", "show", "ports", NULL);
	unsetenv("P4XSK_SOCK");
}

int main(void)
{
	test_options();
	test_find();
	test_usage_errors();
	test_not_running();
	printf("cli: all checks passed\n");
	return 0;
}
