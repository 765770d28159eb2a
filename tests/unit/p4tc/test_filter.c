// SPDX-License-Identifier: BSD-3-Clause
/*
 * `tc p4ctrl` filter expressions (p4tc_filter.h): every operator and
 * spelling, precedence and parentheses, each literal form, each error
 * message, the depth limit, the printed form (every filter compiled here
 * is printed, compiled again from its text and must print and evaluate
 * the same), and evaluation against entries of the routing and simple_l3
 * programs (loaded from the testdata directory, argv[1]) and of a
 * synthetic table with every value type.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "p4x/p4tc_filter.h"
#include "p4x_count_check.h"

static const char *dir;
static char err[512];

/* Entries the current test evaluates; round trips evaluate them too. */
#define MAX_ENTRIES 8
static struct p4x_p4tc_filter_entry entries[MAX_ENTRIES];
static struct p4x_p4tc_entry_def defs[MAX_ENTRIES];
static unsigned int nentries;

static int fake_n2i(void *arg, const char *name, uint32_t *ifindex)
{
	(void)arg;
	if (!strcmp(name, "port1"))
		*ifindex = 3;
	else if (!strcmp(name, "port2"))
		*ifindex = 4;
	else
		return -ENODEV;
	return 0;
}

static const struct p4x_p4tc_dev_ops fake_dev = {fake_n2i, NULL, NULL};

static struct p4x_p4tc *load(const char *prog)
{
	char pdir[512], tmpl[600];
	struct p4x_p4tc_opts o = {.sz = sizeof(o), .dev = &fake_dev};
	struct p4x_p4tc *m;

	snprintf(pdir, sizeof(pdir), "%s/%s", dir, prog);
	snprintf(tmpl, sizeof(tmpl), "%s/%s.template", pdir, prog);
	o.introspection_dir = pdir;
	m = p4x_p4tc__new(&o);
	if (!m)
		abort();
	CHECK(!p4x_p4tc__load_template(m, tmpl, err, sizeof(err)), "%s: %s",
	      prog, err);
	return m;
}

/* Add entry i built by p4x_p4tc__entry_build() from a spec. */
static struct p4x_p4tc_filter_entry *
add_entry(const struct p4x_p4tc *m, const char *table,
	  const struct p4x_p4tc_entry_spec *s)
{
	const struct p4x_p4tc_table_def *t = p4x_p4tc__table_get(m, table);
	struct p4x_p4tc_entry_def *d = &defs[nentries];
	struct p4x_p4tc_filter_entry *e = &entries[nentries++];

	CHECK(!p4x_p4tc__entry_build(m, table, s, d, err, sizeof(err)),
	      "%s: %s", table, err);
	*e = (struct p4x_p4tc_filter_entry){
		.key = d->key,
		.mask = d->mask,
		.keylen = t->key_bytes,
		.prio = d->prio,
		.act_id = d->act.act_id,
		.params = d->act.params,
		.params_len = d->act.params_bytes,
		.last_used_ms = 1000,
		.now_ms = 6000,
	};
	return e;
}

/* One key, one action: keys "k=v", params "p=v". */
static struct p4x_p4tc_filter_entry *entry1(const struct p4x_p4tc *m,
					    const char *table, const char *key,
					    const char *val, uint32_t prio,
					    const char *act, const char *p1,
					    const char *v1)
{
	struct p4x_p4tc_key_value k[] = {{key, val}};
	struct p4x_p4tc_param_value p[] = {{p1, v1}};
	struct p4x_p4tc_entry_spec s = {
		.sz = sizeof(s),
		.nkeys = 1,
		.keys = k,
		.prio = prio,
		.has_action = act != NULL,
		.action = {.action = act, .nparams = p1 ? 1 : 0, .params = p},
	};

	return add_entry(m, table, &s);
}

static struct p4x_p4tc_filter *compile_flags(const struct p4x_p4tc *m,
					     const char *table,
					     const char *expr,
					     unsigned int flags)
{
	struct p4x_p4tc_filter_opts o = {.sz = sizeof(o), .flags = flags};

	err[0] = '\0';
	return p4x_p4tc_filter__parse_str(m, table, expr, &o, err, sizeof(err));
}

/* Printed form compiles to a filter that prints and evaluates the same. */
static void check_roundtrip(const struct p4x_p4tc *m,
			    const struct p4x_p4tc_filter *f, const char *expr)
{
	char t1[1024], t2[1024];
	struct p4x_p4tc_filter *g;

	p4x_p4tc_filter__print(f, t1, sizeof(t1));
	g = compile_flags(m, p4x_p4tc_filter__table(f), t1,
			  P4X_P4TC_FILTER_F_CMD);
	CHECK(g, "%s: reparse of \"%s\": %s", expr, t1, err);
	if (!g)
		return;
	p4x_p4tc_filter__print(g, t2, sizeof(t2));
	CHECK_STR(t2, t1);
	for (unsigned int i = 0; i < nentries; i++)
		CHECK(p4x_p4tc_filter__match(f, &entries[i]) ==
			      p4x_p4tc_filter__match(g, &entries[i]),
		      "%s: entry %u differs after round trip", t1, i);
	p4x_p4tc_filter__free(g);
}

static struct p4x_p4tc_filter *compile(const struct p4x_p4tc *m,
				       const char *table, const char *expr)
{
	struct p4x_p4tc_filter *f;

	f = compile_flags(m, table, expr, P4X_P4TC_FILTER_F_CMD);
	CHECK(f, "%s: %s", expr, err);
	if (f)
		check_roundtrip(m, f, expr);
	return f;
}

/* Compile @expr and evaluate it on entry @e: 1 match, 0 no, -1 error. */
static int eval(const struct p4x_p4tc *m, const char *table, const char *expr,
		const struct p4x_p4tc_filter_entry *e)
{
	struct p4x_p4tc_filter *f = compile(m, table, expr);
	int r;

	if (!f)
		return -1;
	r = p4x_p4tc_filter__match(f, e);
	p4x_p4tc_filter__free(f);
	return r;
}

#define MATCH(m, tbl, expr, e, want) \
	CHECK(eval(m, tbl, expr, e) == (want), "%s: want %d", expr, want)

/* Compile fails with exactly @msg. */
#define FAILS(m, tbl, expr, msg)                                            \
	do {                                                                \
		struct p4x_p4tc_filter *f_ =                                \
			compile_flags(m, tbl, expr, P4X_P4TC_FILTER_F_CMD); \
		CHECK(!f_ && errno == EINVAL, "%s compiled", expr);         \
		p4x_p4tc_filter__free(f_);                                  \
		CHECK_STR(err, msg);                                        \
	} while (0)

/* The canonical text of @expr. */
#define PRINTS(m, tbl, expr, want)                                  \
	do {                                                        \
		struct p4x_p4tc_filter *f_ = compile(m, tbl, expr); \
		char b_[1024] = "";                                 \
		if (f_)                                             \
			p4x_p4tc_filter__print(f_, b_, sizeof(b_)); \
		CHECK_STR(b_, want);                                \
		p4x_p4tc_filter__free(f_);                          \
	} while (0)

static const char *const FIB = "routing/Main/fib_table";
static const char *const NH = "routing/Main/nh_table";
static const char *const L3 = "simple_l3/ingress/nh_table";

/* Every relational spelling on prio, both outcomes. */
static void test_relops(struct p4x_p4tc *m)
{
	static const struct {
		const char *expr;
		int want;
	} cases[] = {
		{"prio = 5", 1},  {"prio = 6", 0},  {"prio == 5", 1},
		{"prio == 4", 0}, {"prio != 5", 0}, {"prio != 4", 1},
		{"prio /= 5", 0}, {"prio /= 4", 1}, {"prio <> 5", 0},
		{"prio <> 4", 1}, {"prio < 6", 1},  {"prio < 5", 0},
		{"prio <= 5", 1}, {"prio <= 4", 0}, {"prio > 4", 1},
		{"prio > 5", 0},  {"prio >= 5", 1}, {"prio >= 6", 0},
		{"6 > prio", 1},  {"5 > prio", 0},  {"4 <= prio", 1},
		{"prio<6", 1},	  {"prio>=0x5", 1}, {"prio = 0x6", 0},
	};
	struct p4x_p4tc_filter_entry *e;

	nentries = 0;
	e = entry1(m, FIB, "prefix", "10.0.0.0/8", 5, "set_nhid", "index", "1");
	for (size_t i = 0; i < P4X_ARRAY_SIZE(cases); i++)
		MATCH(m, FIB, cases[i].expr, e, cases[i].want);
	PRINTS(m, FIB, "prio /= 5", "prio != 5");
	PRINTS(m, FIB, "prio <> 5", "prio != 5");
	PRINTS(m, FIB, "prio = 5", "prio == 5");
	PRINTS(m, FIB, "6 > prio", "prio < 6");
	PRINTS(m, FIB, "6 >= prio", "prio <= 6");
	PRINTS(m, FIB, "6 = prio", "prio == 6");
}

/* Truth tables of && || ^^ and !. */
static void test_logical(struct p4x_p4tc *m)
{
	static const char *const ops[] = {"&&", "||", "^^"};
	static const int want[3][4] = {
		{0, 0, 0, 1}, /* && over (F,F) (F,T) (T,F) (T,T) */
		{0, 1, 1, 1},
		{0, 1, 1, 0},
	};
	static const char *const side[] = {"prio = 9", "prio = 5"};
	struct p4x_p4tc_filter_entry *e;
	char expr[128];

	nentries = 0;
	e = entry1(m, FIB, "prefix", "10.0.0.0/8", 5, "set_nhid", "index", "1");
	for (int o = 0; o < 3; o++)
		for (int v = 0; v < 4; v++) {
			snprintf(expr, sizeof(expr), "%s %s %s", side[v >> 1],
				 ops[o], side[v & 1]);
			MATCH(m, FIB, expr, e, want[o][v]);
		}
	MATCH(m, FIB, "!(prio = 5)", e, 0);
	MATCH(m, FIB, "!(prio = 9)", e, 1);
	MATCH(m, FIB, "!!(prio = 5)", e, 1);
	MATCH(m, FIB, "! ( prio = 9 || prio = 5 )", e, 0);
	PRINTS(m, FIB, "!(prio = 9)", "!(prio == 9)");
	PRINTS(m, FIB, "!(!(prio = 9))", "!!(prio == 9)");
	PRINTS(m, FIB, "!(prio = 1 && prio = 2)", "!(prio == 1 && prio == 2)");
}

/* || below ^^ below && below comparisons; left-associative; parens. */
static void test_precedence(struct p4x_p4tc *m)
{
	struct p4x_p4tc_filter_entry *e;

	nentries = 0;
	e = entry1(m, FIB, "prefix", "10.0.0.0/8", 1, "set_nhid", "index", "1");
	/* 1 || (2 && 3), not (1 || 2) && 3 */
	MATCH(m, FIB, "prio = 1 || prio = 2 && prio = 3", e, 1);
	MATCH(m, FIB, "(prio = 1 || prio = 2) && prio = 3", e, 0);
	/* T ^^ (T && F) = T, not (T ^^ T) && F */
	MATCH(m, FIB, "prio = 1 ^^ prio = 1 && prio = 2", e, 1);
	MATCH(m, FIB, "(prio = 1 ^^ prio = 1) && prio = 2", e, 0);
	/* T || (T ^^ T) = T, not (T || T) ^^ T */
	MATCH(m, FIB, "prio = 1 || prio = 1 ^^ prio = 1", e, 1);
	MATCH(m, FIB, "(prio = 1 || prio = 1) ^^ prio = 1", e, 0);
	/* ^^ chains left to right: (T ^^ T) ^^ T = T */
	MATCH(m, FIB, "prio = 1 ^^ prio = 1 ^^ prio = 1", e, 1);
	PRINTS(m, FIB, "prio = 1 || prio = 2 && prio = 3",
	       "prio == 1 || prio == 2 && prio == 3");
	PRINTS(m, FIB, "(prio = 1 || prio = 2) && prio = 3",
	       "(prio == 1 || prio == 2) && prio == 3");
	PRINTS(m, FIB, "((prio = 1) && (prio = 2))", "prio == 1 && prio == 2");
	PRINTS(m, FIB, "prio = 1 ^^ (prio = 2 ^^ prio = 3)",
	       "prio == 1 ^^ (prio == 2 ^^ prio == 3)");
	PRINTS(m, FIB, "(prio = 1 ^^ prio = 2) ^^ prio = 3",
	       "prio == 1 ^^ prio == 2 ^^ prio == 3");
	PRINTS(m, FIB, "prio = 1 && (prio = 2 || prio = 3) ^^ prio = 4",
	       "prio == 1 && (prio == 2 || prio == 3) ^^ prio == 4");
}

/* The routing program: exact bit32 key, lpm ipv4 key, params. */
static void test_routing(struct p4x_p4tc *m)
{
	struct p4x_p4tc_key_value k1[] = {{"nh_index", "1"}};
	struct p4x_p4tc_param_value p1[] = {
		{"dmac", "00:01:02:03:04:05"},
		{"port", "port1"},
	};
	struct p4x_p4tc_entry_spec s1 = {
		.sz = sizeof(s1),
		.nkeys = 1,
		.keys = k1,
		.has_action = true,
		.action = {.action = "set_nh", .nparams = 2, .params = p1},
	};
	struct p4x_p4tc_filter_entry *e1, *e256, *s10, *s10_1, *s192, *s0;

	nentries = 0;
	e1 = add_entry(m, NH, &s1);
	e256 = entry1(m, NH, "nh_index", "256", 0, "drop", NULL, NULL);
	s10 = entry1(m, FIB, "prefix", "10.0.0.0/8", 1, "set_nhid", "index",
		     "7");
	s10_1 = entry1(m, FIB, "prefix", "10.1.0.0/16", 2, "set_nhid", "index",
		       "300");
	s192 = entry1(m, FIB, "prefix", "192.168.0.0/16", 3, "set_nhid",
		      "index", "1");
	s0 = entry1(m, FIB, "prefix", "0.0.0.0/0", 4, "set_nhid", "index", "2");

	/* bit32 host order: compared as numbers, not as blob bytes */
	MATCH(m, NH, "key.nh_index > 255", e256, 1);
	MATCH(m, NH, "key.nh_index > 255", e1, 0);
	MATCH(m, NH, "key.nh_index < 0x100", e1, 1);
	MATCH(m, NH, "key.nh_index = 0x100", e256, 1);
	MATCH(m, NH, "key.nh_index = 256", e256, 1);
	MATCH(m, NH, "key.nh_index >= 256 && key.nh_index <= 256", e256, 1);
	MATCH(m, NH, "key.routing.Main.nh_table.nh_index = 1", e1, 1);
	MATCH(m, NH, "prio = 64000", e1, 1);
	/* "field within prefix" */
	MATCH(m, FIB, "key.prefix = @4:10.0.0.0/8", s10, 1);
	MATCH(m, FIB, "key.prefix = @4:10.0.0.0/8", s10_1, 1);
	MATCH(m, FIB, "key.prefix = @4:10.0.0.0/8", s192, 0);
	MATCH(m, FIB, "key.prefix = @4:10.0.0.0/8", s0, 0);
	MATCH(m, FIB, "key.prefix != @4:10.0.0.0/8", s192, 1);
	MATCH(m, FIB, "key.prefix != @4:10.0.0.0/8", s10_1, 0);
	MATCH(m, FIB, "key.prefix = @4:10.1.0.0/16", s10, 0);
	MATCH(m, FIB, "key.prefix = @4:10.0.0.0/0xff000000", s10_1, 1);
	MATCH(m, FIB, "key.prefix = 10.0.0.0/8", s10_1, 1);
	MATCH(m, FIB, "key.prefix = @4:0.0.0.0/0", s0, 1);
	MATCH(m, FIB, "key.prefix = @4:10.9.9.9/8", s10_1, 1);
	MATCH(m, FIB, "key.prefix = @4:0.0.0.0/0", s192, 1);
	/* plain values compare the entry's key value, network order */
	MATCH(m, FIB, "key.prefix = @4:10.0.0.0", s10, 1);
	MATCH(m, FIB, "key.prefix = @4:10.0.0.0/32", s10, 1);
	MATCH(m, FIB, "key.prefix = 0x0a010000", s10_1, 1);
	MATCH(m, FIB, "key.prefix > @4:10.0.255.255", s10_1, 1);
	MATCH(m, FIB, "key.prefix > @4:10.0.255.255", s10, 0);
	MATCH(m, FIB, "key.prefix < @4:11.0.0.0", s192, 0);
	MATCH(m, FIB, "key.prefix >= 192.168.0.0", s192, 1);
	/* params: on the entries of that action only */
	MATCH(m, FIB, "param.act.Main.set_nhid.index = 300", s10_1, 1);
	MATCH(m, FIB, "param.act.Main.set_nhid.index > 255", s10_1, 1);
	MATCH(m, FIB, "param.act.Main.set_nhid.index > 255", s10, 0);
	MATCH(m, FIB, "param.act.routing.Main.set_nhid.index = 7", s10, 1);
	MATCH(m, NH, "param.act.Main.set_nh.dmac = @MAC:00:01:02:03:04:05", e1,
	      1);
	MATCH(m, NH, "param.act.Main.set_nh.dmac = 00:01:02:03:04:05", e1, 1);
	MATCH(m, NH, "param.act.Main.set_nh.dmac = @MAC:00:01:02:xx:xx:xx", e1,
	      1);
	MATCH(m, NH, "param.act.Main.set_nh.dmac = @MAC:00:01:03:xx:xx:xx", e1,
	      0);
	MATCH(m, NH, "param.act.Main.set_nh.dmac = @MAC:00:01:02:03:04:0x", e1,
	      1);
	MATCH(m, NH, "param.act.Main.set_nh.dmac = @MAC:00:01:02:03:04:x5", e1,
	      1);
	MATCH(m, NH, "param.act.Main.set_nh.dmac = @MAC:00:01:02:03:04:x6", e1,
	      0);
	MATCH(m, NH, "param.act.Main.set_nh.dmac = @MAC:0:1:2:3:4:x", e1, 1);
	MATCH(m, NH, "param.act.Main.set_nh.dmac < @MAC:00:01:02:03:04:06", e1,
	      1);
	/* other action: every comparison is false, != too */
	MATCH(m, NH, "param.act.Main.set_nh.dmac = 00:01:02:03:04:05", e256, 0);
	MATCH(m, NH, "param.act.Main.set_nh.dmac != 00:01:02:03:04:05", e256,
	      0);
	MATCH(m, NH, "!(param.act.Main.set_nh.dmac = 0:0:0:0:0:0)", e256, 1);
	/* the routing example: filtered dump */
	MATCH(m, FIB, "key.prefix = @4:10.0.0.0/8 && prio < 2", s10, 1);
	MATCH(m, FIB, "key.prefix = @4:10.0.0.0/8 && prio < 2", s10_1, 0);
	PRINTS(m, FIB, "key.prefix=@4:10.0.0.0/8&&prio<2",
	       "key.prefix == @4:10.0.0.0/8 && prio < 2");
	PRINTS(m, FIB, "key.routing.Main.fib_table.prefix = 10.0.0.0/32",
	       "key.prefix == @4:10.0.0.0");
	PRINTS(m, FIB, "key.prefix = @4:10.9.9.9/8",
	       "key.prefix == @4:10.0.0.0/8");
	PRINTS(m, FIB, "key.prefix = @4:10.0.0.0/0xff00ff00",
	       "key.prefix == @4:10.0.0.0/0xff00ff00");
	PRINTS(m, NH, "param.act.routing.Main.set_nh.dmac = @MAC:0:1:2:x:xx:x",
	       "param.act.Main.set_nh.dmac == @MAC:00:01:02:00:00:00/24");
	PRINTS(m, NH, "param.act.Main.set_nh.dmac = @MAC:00:01:02:03:04:x5",
	       "param.act.Main.set_nh.dmac == "
	       "@MAC:00:01:02:03:04:05/0xffffffffff0f");
	PRINTS(m, NH, "param.act.Main.set_nh.port = 12",
	       "param.act.Main.set_nh.port == 12");
}

/* simple_l3: exact ipv4 key; dev and mac params. */
static void test_simple_l3(struct p4x_p4tc *m)
{
	struct p4x_p4tc_key_value k[] = {{"dstAddr", "10.0.0.2"}};
	struct p4x_p4tc_param_value p[] = {
		{"port", "port1"},
		{"srcMac", "00:01:02:03:04:05"},
		{"dstMac", "aa:bb:cc:dd:ee:ff"},
	};
	struct p4x_p4tc_entry_spec s = {
		.sz = sizeof(s),
		.nkeys = 1,
		.keys = k,
		.has_action = true,
		.action = {.action = "send_nh", .nparams = 3, .params = p},
	};
	struct p4x_p4tc_filter_entry *e, *d;

	nentries = 0;
	e = add_entry(m, L3, &s);
	d = entry1(m, L3, "dstAddr", "10.0.1.1", 0, "drop", NULL, NULL);
	MATCH(m, L3, "key.dstAddr = @4:10.0.0.2", e, 1);
	MATCH(m, L3, "key.dstAddr = 10.0.0.2", e, 1);
	MATCH(m, L3, "key.dstAddr == @4:10.0.0.0/24", e, 1);
	MATCH(m, L3, "key.dstAddr == @4:10.0.0.0/24", d, 0);
	MATCH(m, L3, "key.dstAddr < @4:10.0.1.0", e, 1);
	MATCH(m, L3, "key.dstAddr < @4:10.0.1.0", d, 0);
	MATCH(m, L3, "key.simple_l3.ingress.nh_table.dstAddr = 10.0.1.1", d, 1);
	MATCH(m, L3, "param.act.ingress.send_nh.port = port1", e, 1);
	MATCH(m, L3, "param.act.ingress.send_nh.port = 3", e, 1);
	MATCH(m, L3, "param.act.ingress.send_nh.port = port2", e, 0);
	MATCH(m, L3,
	      "param.act.ingress.send_nh.srcMac = @MAC:00:01:02:03:04:05", e,
	      1);
	MATCH(m, L3,
	      "param.act.ingress.send_nh.dstMac > @MAC:aa:bb:cc:dd:ee:fe", e,
	      1);
	MATCH(m, L3,
	      "param.act.ingress.send_nh.dstMac = @mac:AA:BB:CC:xx:xx:xx", e,
	      1);
	MATCH(m, L3,
	      "param.act.ingress.send_nh.port = port1 && key.dstAddr = "
	      "10.0.0.2 && !(prio != 64000)",
	      e, 1);
	PRINTS(m, L3, "param.act.ingress.send_nh.port = port1",
	       "param.act.ingress.send_nh.port == 3");
}

/* msecs_since and cmd. */
static void test_time_cmd(struct p4x_p4tc *m)
{
	struct p4x_p4tc_filter_entry *e;
	struct p4x_p4tc_filter *f;

	nentries = 0;
	e = entry1(m, FIB, "prefix", "10.0.0.0/8", 1, "set_nhid", "index", "1");
	/* idle 5000 ms */
	MATCH(m, FIB, "msecs_since = 5000", e, 1);
	MATCH(m, FIB, "msecs_since = 6000", e, 0);
	MATCH(m, FIB, "msecs_since > 4999", e, 1);
	MATCH(m, FIB, "msecs_since < 5000", e, 0);
	MATCH(m, FIB, "msecs_since >= 10000", e, 0);
	e->last_used_ms = 7000; /* used after "now": idle 0 */
	MATCH(m, FIB, "msecs_since = 0", e, 1);
	e->cmd = P4X_P4TC_FILTER_CMD_CREATE;
	MATCH(m, FIB, "cmd = create", e, 1);
	MATCH(m, FIB, "cmd != create", e, 0);
	MATCH(m, FIB, "cmd = update || cmd = delete", e, 0);
	e->cmd = P4X_P4TC_FILTER_CMD_DELETE;
	MATCH(m, FIB, "cmd = update || cmd == delete", e, 1);
	MATCH(m, FIB, "delete = cmd", e, 1);
	PRINTS(m, FIB, "cmd <> update", "cmd != update");

	f = compile(m, FIB, "cmd = create && prio = 1");
	CHECK(f && p4x_p4tc_filter__uses_cmd(f), "uses cmd");
	p4x_p4tc_filter__free(f);
	f = compile(m, FIB, "prio = 1");
	CHECK(f && !p4x_p4tc_filter__uses_cmd(f), "does not use cmd");
	CHECK(f && !strcmp(p4x_p4tc_filter__table(f), FIB), "table");
	p4x_p4tc_filter__free(f);
	f = compile_flags(m, FIB, "cmd = create", 0);
	CHECK(!f, "cmd without F_CMD");
	CHECK_STR(err, "filter: cmd is only valid in monitor subscriptions");
	FAILS(m, FIB, "cmd < create", "filter: cmd only takes = and !=, not <");
	FAILS(m, FIB, "cmd = created",
	      "filter: created is not a cmd (create, update, delete)");
	CHECK(p4x_p4tc_filter__match(NULL, e), "NULL filter passes");
}

/* argv form, as tc hands the words after "filter". */
static void test_argv(struct p4x_p4tc *m)
{
	char *argv[] = {
		"key.prefix", "=",  "@4:10.0.0.0/8", "&&", "(", "prio", "<",
		"2",	      "||", "prio>=4)"};
	struct p4x_p4tc_filter_entry *e;
	struct p4x_p4tc_filter *f;
	char buf[256];

	nentries = 0;
	e = entry1(m, FIB, "prefix", "10.2.0.0/16", 4, "set_nhid", "index",
		   "1");
	f = p4x_p4tc_filter__parse(m, FIB, P4X_ARRAY_SIZE(argv), argv, NULL,
				   err, sizeof(err));
	CHECK(f, "%s", err);
	if (!f)
		return;
	CHECK(p4x_p4tc_filter__match(f, e), "argv filter matches");
	e->prio = 3;
	CHECK(!p4x_p4tc_filter__match(f, e), "argv filter, prio 3");
	p4x_p4tc_filter__print(f, buf, sizeof(buf));
	CHECK_STR(buf,
		  "key.prefix == @4:10.0.0.0/8 && (prio < 2 || prio >= 4)");
	/* a short buffer: truncated, full length returned */
	CHECK_INT(p4x_p4tc_filter__print(f, buf, 8),
		  strlen("key.prefix == @4:10.0.0.0/8 && (prio < 2 || prio >= "
			 "4)"));
	CHECK_STR(buf, "key.pre");
	p4x_p4tc_filter__free(f);
	f = p4x_p4tc_filter__parse(m, FIB, 1, (char *[]){"prio=1"}, NULL, err,
				   sizeof(err));
	CHECK(f, "%s", err);
	p4x_p4tc_filter__free(f);
}

/* A table with every value type, built by hand (ternary). */
static struct p4x_p4tc *synthetic(void)
{
	static const char *const cmds[] = {
		"create pipeline/syn numtables 1",
		"create action/syn/cb/act actid 1 param n type int16 param "
		"flag type bool param port type dev param wide type bit128",
		"update action/syn/cb/act state active",
		"create action/syn/cb/other actid 2 param n type int16",
		"update action/syn/cb/other state active",
		"create table/syn/cb/t tblid 1 type ternary keysz 360 "
		"table_acts act name syn/cb/act act name syn/cb/other",
		"update pipeline/syn state ready",
	};
	static const char *const keys[][2] = {
		{"hdr.s.a", "int8"},   {"hdr.s.b", "be16"},
		{"hdr.ip6.c", "ipv6"}, {"d", "bit128"},
		{"e", "macaddr"},      {"hdr.s.f", "bit16"},
		{"hdr.t.f", "bit16"},
	};
	struct p4x_p4tc_opts o = {.sz = sizeof(o),
				  .introspection_dir = "/nonexistent",
				  .dev = &fake_dev};
	struct p4x_p4tc_key_def kd[P4X_ARRAY_SIZE(keys)];
	struct p4x_p4tc *m = p4x_p4tc__new(&o);
	char buf[256], *argv[32], *save;
	int argc;

	for (size_t i = 0; m && i < P4X_ARRAY_SIZE(cmds); i++) {
		snprintf(buf, sizeof(buf), "%s", cmds[i]);
		argc = 0;
		save = NULL;
		for (char *w = strtok_r(buf, " ", &save); w;
		     w = strtok_r(NULL, " ", &save))
			argv[argc++] = w;
		CHECK(!p4x_p4tc__exec(m, argc, argv, NULL, err, sizeof(err)),
		      "%s: %s", cmds[i], err);
	}
	memset(kd, 0, sizeof(kd));
	for (size_t i = 0; i < P4X_ARRAY_SIZE(keys); i++) {
		snprintf(kd[i].name, sizeof(kd[i].name), "%s", keys[i][0]);
		p4x_p4tc_type__parse(&kd[i].type, keys[i][1], 0, err,
				     sizeof(err));
		kd[i].match = P4X_P4TC_MATCH_TERNARY;
	}
	CHECK(!p4x_p4tc__table_set_keys(m, "syn/cb/t", kd, P4X_ARRAY_SIZE(kd),
					err, sizeof(err)),
	      "%s", err);
	return m;
}

static const char *const SYN = "syn/cb/t";

/* Signed, big-endian, host-order, 128-bit, ipv6, mac, bool, dev. */
static void test_types(void)
{
	struct p4x_p4tc *m = synthetic();
	struct p4x_p4tc_key_value k[] = {
		{"hdr.s.a", "-5"},
		{"hdr.s.b", "0x0102"},
		{"hdr.ip6.c", "fe80::1/64"},
		{"d", "0x1000000000000000000000000000000f"},
		{"e", "08:00:20:00:00:01"},
		{"hdr.s.f", "0x0102"},
		{"hdr.t.f", "7/0xff"},
	};
	struct p4x_p4tc_param_value p[] = {
		{"n", "-300"},
		{"flag", "true"},
		{"port", "port2"},
		{"wide", "0x80000000000000000000000000000000"},
	};
	struct p4x_p4tc_entry_spec s = {
		.sz = sizeof(s),
		.nkeys = 7,
		.keys = k,
		.prio = 3,
		.has_action = true,
		.action = {.action = "act", .nparams = 4, .params = p},
	};
	struct p4x_p4tc_param_value po[] = {{"n", "-300"}};
	struct p4x_p4tc_filter_entry *e, *o;

	nentries = 0;
	e = add_entry(m, SYN, &s);
	s.action = (struct p4x_p4tc_act_spec){
		.action = "other", .nparams = 1, .params = po};
	o = add_entry(m, SYN, &s);
	/* int8 -5: below 0 and 3 (a byte compare would say 0xfb > 3) */
	MATCH(m, SYN, "key.hdr.s.a < 3", e, 1);
	MATCH(m, SYN, "key.a < 0", e, 1);
	MATCH(m, SYN, "key.a > -10", e, 1);
	MATCH(m, SYN, "key.a = -5", e, 1);
	MATCH(m, SYN, "key.a >= -4", e, 0);
	/* be16 and host-order bit16 0x0102 = 258 */
	MATCH(m, SYN, "key.b = 258", e, 1);
	MATCH(m, SYN, "key.b > 0x00ff", e, 1);
	MATCH(m, SYN, "key.b < 0x0201", e, 1);
	MATCH(m, SYN, "key.hdr.s.f > 0xff", e, 1);
	MATCH(m, SYN, "key.hdr.s.f < 0x0201", e, 1);
	MATCH(m, SYN, "key.syn.cb.t.hdr.s.f = 258", e, 1);
	/* ternary field with mask 0xff: within 0x07/0xff and 0x00/0xf0 */
	MATCH(m, SYN, "key.hdr.t.f = 7/0xff", e, 1);
	MATCH(m, SYN, "key.hdr.t.f = 0/0xf0", e, 1);
	MATCH(m, SYN, "key.hdr.t.f = 7/0xfff", e, 0);
	MATCH(m, SYN, "key.hdr.t.f = 7", e, 1);
	/* ipv6 entry fe80::/64 */
	MATCH(m, SYN, "key.c = @6:fe80::/16", e, 1);
	MATCH(m, SYN, "key.c = @6:fe80::/64", e, 1);
	MATCH(m, SYN, "key.c = @6:fe80::1/128", e, 0);
	MATCH(m, SYN, "key.c = @6:fe80::", e, 1);
	MATCH(m, SYN, "key.c < @6:fe80::1", e, 1);
	MATCH(m, SYN, "key.c < @6:fe80::", e, 0);
	MATCH(m, SYN, "key.c > @6:fe7f:ffff::", e, 1);
	MATCH(m, SYN, "key.c = @6:fe81::/16", e, 0);
	/* bit128 */
	MATCH(m, SYN, "key.d > 0xf", e, 1);
	MATCH(m, SYN, "key.d = 0x1000000000000000000000000000000f", e, 1);
	MATCH(m, SYN, "key.d < 0x10000000000000000000000000000010", e, 1);
	/* mac key */
	MATCH(m, SYN, "key.e = @MAC:08:00:20:xx:xx:xx", e, 1);
	MATCH(m, SYN, "key.e = @MAC:08:00:21:xx:xx:xx", e, 0);
	MATCH(m, SYN, "key.e = 0x080020000001", e, 1);
	/* params: int16, bool, dev, bit128 */
	MATCH(m, SYN, "param.act.cb.act.n < -299", e, 1);
	MATCH(m, SYN, "param.act.cb.act.n > 0", e, 0);
	/* same offset, other action: false */
	MATCH(m, SYN, "param.act.cb.act.n < -299", o, 0);
	MATCH(m, SYN, "param.act.cb.act.n != 0", o, 0);
	MATCH(m, SYN, "param.act.cb.other.n = -300", o, 1);
	MATCH(m, SYN, "param.act.cb.other.n = -300", e, 0);
	MATCH(m, SYN, "param.act.cb.act.flag = true", e, 1);
	MATCH(m, SYN, "param.act.cb.act.flag = false", e, 0);
	MATCH(m, SYN, "param.act.cb.act.port = port2", e, 1);
	MATCH(m, SYN, "param.act.cb.act.port = 4", e, 1);
	MATCH(m, SYN,
	      "param.act.cb.act.wide > 0x7fffffffffffffffffffffffffffffff", e,
	      1);
	MATCH(m, SYN,
	      "param.act.syn.cb.act.wide = 0x80000000000000000000000000000000",
	      e, 1);
	PRINTS(m, SYN, "key.a = -5 && key.c = @6:fe80::/16",
	       "key.hdr.s.a == -5 && key.hdr.ip6.c == @6:fe80::/16");
	PRINTS(m, SYN, "key.hdr.t.f = 0x70/0xf0", "key.hdr.t.f == 112/0xf0");
	PRINTS(m, SYN, "param.act.cb.act.flag = true",
	       "param.act.cb.act.flag == true");

	FAILS(m, SYN, "key.f = 1",
	      "filter: key field f is ambiguous (hdr.s.f, hdr.t.f)");
	FAILS(m, SYN, "key.a < @4:1.2.3.4",
	      "filter: @4:1.2.3.4 is an ipv4 address but key.hdr.s.a is int8");
	FAILS(m, SYN, "key.c = @6:fe80::g",
	      "filter: @6:fe80::g is not an ipv6 address");
	FAILS(m, SYN, "key.e = @MAC:08:00:2g:xx:xx:xx",
	      "filter: @MAC:08:00:2g:xx:xx:xx is not a mac address");
	FAILS(m, SYN, "key.e = @MAC:08:00:20:xx:xx",
	      "filter: @MAC:08:00:20:xx:xx is not a mac address");
	FAILS(m, SYN, "key.e < @MAC:08:00:20:xx:xx:xx",
	      "filter: key.e <: a masked value only goes with = and !=");
	FAILS(m, SYN, "key.a = 300",
	      "filter: 300 is not a int8 value (out of range)");
	FAILS(m, SYN, "param.act.cb.act.port = port9",
	      "filter: port9 is not an interface (no such device)");
	FAILS(m, SYN, "param.act.cb.act.flag = maybe",
	      "filter: maybe is not a bool (true|false)");
	p4x_p4tc__free(m);
}

/* Every error message, word for word. */
static void test_errors(struct p4x_p4tc *m, struct p4x_p4tc *l3)
{
	struct p4x_p4tc_filter *f;

	FAILS(l3, L3, "key.dstAdr = 10.0.0.1",
	      "filter: unknown key field dstAdr (fields: dstAddr)");
	FAILS(l3, L3, "key.dstAddr = @4:10.0.0.300",
	      "filter: @4:10.0.0.300 is not an ipv4 address");
	FAILS(l3, L3, "key.dstAddr = 10.0.0.300",
	      "filter: 10.0.0.300 is not an ipv4 address");
	FAILS(l3, L3, "key.dstAddr",
	      "filter: expected an operator after key.dstAddr");
	FAILS(l3, L3, "key.dstAddr && prio = 1",
	      "filter: expected an operator after key.dstAddr");
	FAILS(l3, L3, "key.dstAddr = @4:10.0.0.0/33",
	      "filter: @4:10.0.0.0/33: /33 is not a prefix length (0..32) or a "
	      "32-bit 0x mask");
	FAILS(l3, L3, "key.dstAddr = @7:1",
	      "filter: @7:1: unknown literal prefix (use @4:, @6: or @MAC:)");
	FAILS(l3, L3, "key.dstAddr = @6:fe80::1",
	      "filter: @6:fe80::1 is an ipv6 address but key.dstAddr is ipv4");
	FAILS(l3, L3, "key.dstAddr < @4:10.0.0.0/8",
	      "filter: key.dstAddr <: a masked value only goes with = and !=");
	FAILS(l3, L3, "10.0.0.1 = 10.0.0.2",
	      "filter: unknown operand 10.0.0.1 (operands: key.<field>, "
	      "param.act.<cb>.<act>.<param>, prio, msecs_since, cmd)");
	FAILS(l3, L3, "foo = 1",
	      "filter: unknown operand foo (operands: key.<field>, "
	      "param.act.<cb>.<act>.<param>, prio, msecs_since, cmd)");
	FAILS(l3, L3, "key.dstAddr = prio",
	      "filter: cannot compare key.dstAddr with prio: compare an "
	      "operand with a value");
	FAILS(l3, L3, "key.other.ingress.nh_table.dstAddr = 1",
	      "filter: unknown key field other.ingress.nh_table.dstAddr "
	      "(fields: dstAddr)");
	FAILS(m, FIB, "param.act.Main.set_nh.dmac = 0:0:0:0:0:0",
	      "filter: action Main/set_nh is not an action of table "
	      "Main/fib_table (actions: Main/set_nhid)");
	FAILS(m, FIB, "param.act.Main.set_nhid.idx = 1",
	      "filter: action Main/set_nhid has no param idx (params: index)");
	FAILS(m, FIB, "param.act.other.Main.set_nhid.index = 1",
	      "filter: param.act.other.Main.set_nhid.index: pipeline other is "
	      "not routing");
	FAILS(m, FIB, "param.act.Main.index = 1",
	      "filter: param.act.Main.index: expected "
	      "param.act.<cb>.<act>.<param>");
	FAILS(m, FIB, "param.act.a.b.c.d.e = 1",
	      "filter: param.act.a.b.c.d.e: expected "
	      "param.act.<cb>.<act>.<param>");
	FAILS(m, FIB, "param.act.Main..set_nhid.index = 1",
	      "filter: param.act.Main..set_nhid.index: expected "
	      "param.act.<cb>.<act>.<param>");
	FAILS(m, FIB, "param.ext.Counter.c.pkts = 1",
	      "filter: param.ext.Counter.c.pkts: extern operands "
	      "(param.ext...) are not supported");
	FAILS(m, FIB, "param.x = 1",
	      "filter: unknown operand param.x (expected "
	      "param.act.<cb>.<act>.<param>)");
	FAILS(m, FIB, "prio = x",
	      "filter: x is not a number for prio (0..4294967295)");
	FAILS(m, FIB, "prio = 4294967296",
	      "filter: 4294967296 is not a number for prio (0..4294967295)");
	FAILS(m, FIB, "msecs_since > -1",
	      "filter: -1 is not a number for msecs_since (0..4294967295)");
	FAILS(m, FIB, "", "filter: empty expression");
	FAILS(m, FIB, "   ", "filter: empty expression");
	FAILS(m, FIB, "prio =", "filter: expected an operand after =");
	FAILS(m, FIB, "prio = 1 &&", "filter: expected an operand after &&");
	FAILS(m, FIB, "(prio = 1", "filter: missing ) after 1");
	FAILS(m, FIB, "(prio = 1 prio", "filter: expected ) after 1, got prio");
	FAILS(m, FIB, "prio = 1)", "filter: unbalanced ) after 1");
	FAILS(m, FIB, "()", "filter: expected an operand or ( after (, got )");
	FAILS(m, FIB, "prio < 5 < 6",
	      "filter: comparisons cannot be chained (< after 5)");
	FAILS(m, FIB, "(prio < 5 < 6)",
	      "filter: comparisons cannot be chained (< after 5)");
	FAILS(m, FIB, "prio = 1 prio = 2",
	      "filter: expected &&, ||, ^^ or the end after 1, got prio");
	FAILS(m, FIB, "prio = 1 & prio = 2",
	      "filter: unknown operator & after 1 (use &&)");
	FAILS(m, FIB, "prio = 1 | prio = 2",
	      "filter: unknown operator | after 1 (use ||)");
	FAILS(m, FIB, "prio = $1", "filter: unexpected character '$' after =");
	FAILS(m, FIB, "!prio = 1",
	      "filter: ! needs a condition in parentheses, not prio");
	FAILS(m, FIB, "(prio = 1) = 2",
	      "filter: = compares a condition (character 12): compare an "
	      "operand with a value");
	FAILS(m, FIB, "&& prio = 1",
	      "filter: expected an operand or ( at the start, got &&");
	FAILS(m, FIB, "!", "filter: expected an operand after !");

	f = p4x_p4tc_filter__parse_str(m, "routing/Main/nope", "prio = 1", NULL,
				       err, sizeof(err));
	CHECK(!f && errno == ENOENT, "unknown table");
	CHECK_STR(err, "filter: no table routing/Main/nope");
	f = p4x_p4tc_filter__parse_str(m, "nope", "prio = 1", NULL, err,
				       sizeof(err));
	CHECK(!f && errno == ENOENT, "bad table path");
	CHECK_STR(err, "filter: no table nope");
}

/* At most 5 logical operators above a comparison (P4TC's limit). */
static void test_depth(struct p4x_p4tc *m)
{
	struct p4x_p4tc_filter_entry *e;

	nentries = 0;
	e = entry1(m, FIB, "prefix", "10.0.0.0/8", 1, "set_nhid", "index", "1");
	MATCH(m, FIB, "!!!!!(prio = 1)", e, 0);
	FAILS(m, FIB, "!!!!!!(prio = 1)",
	      "filter: more than 5 nested logical operators (P4TC's limit) at "
	      "! (character 1)");
	/* left chains: each && adds a level */
	MATCH(m, FIB,
	      "prio = 1 && prio < 2 && prio < 3 && prio < 4 && prio < 5 && "
	      "prio < 6",
	      e, 1);
	FAILS(m, FIB,
	      "prio = 1 && prio < 2 && prio < 3 && prio < 4 && prio < 5 && "
	      "prio < 6 && prio < 7",
	      "filter: more than 5 nested logical operators (P4TC's limit) at "
	      "&& (character 70)");
	/* a full tree of depth 5: 32 comparisons, 31 operators */
	MATCH(m, FIB,
	      "((((prio=1||prio=2)&&(prio=1||prio=2))||((prio=1||prio=2)&&("
	      "prio=1||prio=2)))&&"
	      "(((prio=1||prio=2)&&(prio=1||prio=2))||((prio=1||prio=2)&&(prio="
	      "1||prio=2))))||"
	      "((((prio=1||prio=2)&&(prio=1||prio=2))||((prio=1||prio=2)&&("
	      "prio=1||prio=2)))&&"
	      "(((prio=1||prio=2)&&(prio=1||prio=2))||((prio=1||prio=2)&&(prio="
	      "1||prio=2))))",
	      e, 1);
	FAILS(m, FIB, "prio = 1 || !(prio = 2 && !(prio = 3 || !(prio = 4)))",
	      "filter: more than 5 nested logical operators (P4TC's limit) at "
	      "|| (character 10)");
	FAILS(m, FIB,
	      "((((((prio = 1) && prio = 2) || prio = 3) ^^ prio = 4) && prio "
	      "= 5) || prio = 6) && prio = 7",
	      "filter: more than 5 nested logical operators (P4TC's limit) at "
	      "&& (character 82)");
}

/* A table whose pipeline has no introspection file has no key fields. */
static void test_no_keys(void)
{
	char tmpl[600];
	struct p4x_p4tc_opts o = {.sz = sizeof(o),
				  .introspection_dir = "/nonexistent",
				  .dev = &fake_dev};
	struct p4x_p4tc *m = p4x_p4tc__new(&o);

	snprintf(tmpl, sizeof(tmpl), "%s/routing/routing.template", dir);
	CHECK(!p4x_p4tc__load_template(m, tmpl, err, sizeof(err)), "%s", err);
	FAILS(m, FIB, "key.prefix = 10.0.0.0/8",
	      "filter: table routing/Main/fib_table has no key fields (no "
	      "introspection file for pipeline routing)");
	nentries = 0;
	PRINTS(m, FIB, "prio = 1", "prio == 1");
	p4x_p4tc__free(m);
}

int main(int argc, char **argv)
{
	struct p4x_p4tc *routing, *l3;

	if (argc != 2) {
		fprintf(stderr, "usage: %s <testdata/p4tc dir>\n", argv[0]);
		return 2;
	}
	dir = argv[1];
	if (access(dir, R_OK | X_OK)) {
		fprintf(stderr, "%s: testdata directory %s: %s\n", argv[0], dir,
			strerror(errno));
		return 1;
	}
	routing = load("routing");
	l3 = load("simple_l3");
	test_relops(routing);
	test_logical(routing);
	test_precedence(routing);
	test_routing(routing);
	test_simple_l3(l3);
	test_time_cmd(routing);
	test_argv(routing);
	test_types();
	test_errors(routing, l3);
	test_depth(routing);
	test_no_keys();
	p4x_p4tc__free(routing);
	p4x_p4tc__free(l3);
	return check_done();
}
