// SPDX-License-Identifier: BSD-3-Clause
/*
 * STF parser and matcher: statements, spaces inside hex, wildcards, `$`,
 * the missing comma of routing_default.stf, prio and `= id`, comments,
 * keyword case, and errors with file:line.
 */
#include <errno.h>
#include <string.h>

#include "p4x/stf.h"

#include "../unit/core/check.h"

static struct p4x_stf *parse_ok(const char *text)
{
	char err[256] = "";
	struct p4x_stf *stf = p4x_stf__parse(text, "t.stf", err, sizeof(err));

	if (!stf)
		fprintf(stderr, "unexpected error: %s\n", err);
	CHECK(stf);
	return stf;
}

static void parse_fails(const char *text, const char *want)
{
	char err[256] = "";

	CHECK(!p4x_stf__parse(text, "t.stf", err, sizeof(err)));
	CHECK_EQ(errno, EINVAL);
	if (!strstr(err, want))
		fprintf(stderr, "error '%s' lacks '%s'\n", err, want);
	CHECK(strstr(err, want));
}

static void test_add(void)
{
	struct p4x_stf *stf =
		parse_ok("# comment\n"
			 "ADD Main.nh_table nh_index:0x0 "
			 "Main.set_nh(dmac:0xAABBCCDDEEFF port:0x1)\n"
			 "add ingress.t 7 k1:0x0a000000/8 k2:0x****0101 "
			 "ingress.a(x:1, y:2) = 4\n"
			 "setdefault ingress.t ingress.drop()\n");
	const struct p4x_stf_stmt *s;

	CHECK_EQ(p4x_stf__count(stf), 3);
	s = p4x_stf__stmt(stf, 0);
	CHECK_EQ(s->kind, P4X_STF_ADD);
	CHECK_EQ(s->line, 2);
	CHECK(!strcmp(s->table, "Main.nh_table"));
	CHECK_EQ(s->nkeys, 1);
	CHECK(!strcmp(s->keys[0].name, "nh_index"));
	CHECK(!strcmp(s->keys[0].value, "0x0"));
	CHECK(!strcmp(s->action, "Main.set_nh"));
	CHECK_EQ(s->nparams, 2); /* no comma: both arguments kept */
	CHECK(!strcmp(s->params[1].name, "port"));
	CHECK(!strcmp(s->params[1].value, "0x1"));
	s = p4x_stf__stmt(stf, 1);
	CHECK_EQ(s->prio, 7);
	CHECK_EQ(s->nkeys, 2);
	CHECK(!strcmp(s->keys[0].value, "0x0a000000/8"));
	CHECK(!strcmp(s->keys[1].value, "0x****0101"));
	CHECK_EQ(s->nparams, 2);
	CHECK(!strcmp(s->params[0].value, "1"));
	s = p4x_stf__stmt(stf, 2);
	CHECK_EQ(s->kind, P4X_STF_SETDEFAULT);
	CHECK(!strcmp(s->action, "ingress.drop"));
	CHECK_EQ(s->nparams, 0);
	CHECK(!p4x_stf__stmt(stf, 3));
	p4x_stf__free(stf);
}

static void test_packets(void)
{
	struct p4x_stf *stf =
		parse_ok("packet 0 0a00000 100000000   # split anywhere\n"
			 "expect 1 0a** 00*1 $\n"
			 "expect 2 0a00\n"
			 "wait\n");
	const struct p4x_stf_stmt *p = p4x_stf__stmt(stf, 0);
	const struct p4x_stf_stmt *e = p4x_stf__stmt(stf, 1);
	const struct p4x_stf_stmt *pre = p4x_stf__stmt(stf, 2);
	static const uint8_t bytes[] = {0x0a, 0, 0, 1, 0, 0, 0, 0};

	CHECK_EQ(p->kind, P4X_STF_PACKET);
	CHECK_EQ(p->port, 0);
	CHECK_EQ(p->len, 8);
	CHECK(!memcmp(p->bytes, bytes, 8));
	CHECK_EQ(e->port, 1);
	CHECK_EQ(e->len, 4);
	CHECK(e->exact);
	CHECK_EQ(e->mask[1], 0);
	CHECK_EQ(e->mask[2], 0xff);
	CHECK_EQ(e->mask[3], 0x0f);
	CHECK(p4x_stf_stmt__matches(e, (const uint8_t[]){0x0a, 0x77, 0, 0x51},
				    4));
	CHECK(!p4x_stf_stmt__matches(e, (const uint8_t[]){0x0a, 0x77, 0, 0x52},
				     4));
	CHECK(!p4x_stf_stmt__matches(e, (const uint8_t[]){0x0a, 0x77, 1, 0x51},
				     4));
	/* $: exact length; otherwise a longer frame matches by prefix */
	CHECK(!p4x_stf_stmt__matches(
		e, (const uint8_t[]){0x0a, 0x77, 0, 0x51, 9}, 5));
	CHECK(p4x_stf_stmt__matches(pre, (const uint8_t[]){0x0a, 0, 9}, 3));
	CHECK(!p4x_stf_stmt__matches(pre, (const uint8_t[]){0x0a}, 1));
	CHECK_EQ(p4x_stf__stmt(stf, 3)->kind, P4X_STF_WAIT);
	p4x_stf__free(stf);
}

static void test_errors(void)
{
	parse_fails("packet 0 abc\n", "t.stf:1: 3 hex digits");
	parse_fails("\n\npacket 0 0a*0\n", "t.stf:3: '*' is not a hex digit");
	parse_fails("expect 1 0a $ 0b\n", "'$' only ends an expect line");
	parse_fails("packet x 00\n", "packet needs a port 0..7");
	parse_fails("packet 9 00\n", "packet needs a port");
	parse_fails("check_counter c 1\n", "unknown statement 'check_counter'");
	parse_fails("add t k:1 a(x:1\n", "missing )");
	parse_fails("add t k:1 a(x:1) junk\n", "unexpected 'junk'");
	parse_fails("add t k1 a()\n", "'k1' is not name:value");
	parse_fails("add t k:1\n", "no action(...)");
}

int main(void)
{
	char err[256];

	test_add();
	test_packets();
	test_errors();
	CHECK(!p4x_stf__parse_file("/nonexistent.stf", err, sizeof(err)));
	CHECK_EQ(errno, ENOENT);
	printf("stf parser: ok\n");
	return 0;
}
