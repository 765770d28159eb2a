// SPDX-License-Identifier: BSD-3-Clause
/*
 * Every real P4TC program under the testdata directory (argv[1]): its
 * P.template and P.json load, the template seals its pipeline, and the
 * cross-check finds exactly the disagreements listed below. Then the
 * content of a few programs is checked byte for byte.
 */
#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "p4x/p4tc.h"
#include "p4x_count_check.h"

static const char *dir;
static char err[512];

/* The disagreements p4c's own outputs have (object|field|tmpl|json). */
static const struct {
	const char *prog, *what;
} expected[] = {
	/* add-on-miss tables: the template grants the datapath create
	 * (0x3de6) while the JSON says the default 0x3da4 */
	{"add_entry_example",
	 "table MainControlImpl/ipv4_tbl_1|permissions|0x3de6|0x3da4"},
	{"add_entry_example",
	 "table MainControlImpl/ipv4_tbl_2|permissions|0x3de6|0x3da4"},
};

static const char *const programs[] = {
	"add_entry_example",
	"arp_respond",
	"calculator",
	"checksum",
	"default_action_example",
	"default_action_with_param",
	"digest",
	"direct_counter_example",
	"ipip",
	"matchtype",
	"redirect_l2",
	"routing",
	"set_entry_timer_example",
	"simple_exact_example",
	"simple_l3",
	"simple_lpm_example",
	"simple_ternary_example",
};

struct found {
	const char *prog;
	int n;
	char lines[16][512];
	char msgs[16][1024];
};

static void collect(void *arg, const struct p4x_p4tc_disagreement *d)
{
	struct found *f = arg;

	if (f->n >= 16)
		return;
	snprintf(f->lines[f->n], sizeof(f->lines[0]), "%s|%s|%s|%s", d->object,
		 d->field, d->tmpl, d->json);
	snprintf(f->msgs[f->n++], sizeof(f->msgs[0]), "%s", d->msg);
}

static struct p4x_p4tc *new_model(const char *introdir)
{
	struct p4x_p4tc_opts o = {.sz = sizeof(o),
				  .introspection_dir = introdir};

	return p4x_p4tc__new(&o);
}

static void paths(const char *prog, char *pdir, char *tmpl, char *json)
{
	snprintf(pdir, 512, "%s/%s", dir, prog);
	snprintf(tmpl, 600, "%s/%s.template", pdir, prog);
	snprintf(json, 600, "%s/%s.json", pdir, prog);
}

static void check_disagreements(const char *prog, const struct found *f)
{
	int want = 0;

	for (size_t i = 0; i < P4X_ARRAY_SIZE(expected); i++) {
		if (strcmp(expected[i].prog, prog))
			continue;
		CHECK(want < f->n && !strcmp(f->lines[want], expected[i].what),
		      "%s: disagreement %d: got \"%s\", want \"%s\"", prog,
		      want + 1, want < f->n ? f->lines[want] : "(none)",
		      expected[i].what);
		want++;
	}
	CHECK(f->n == want, "%s: %d disagreements, want %d; first: %s", prog,
	      f->n, want, f->n ? f->msgs[0] : "");
}

/* The whole line names both files, the object, the field, both values. */
static void check_message(const struct found *f, const char *tmpl,
			  const char *json)
{
	char msg[1600];

	snprintf(msg, sizeof(msg),
		 "%s vs %s: table MainControlImpl/ipv4_tbl_1: permissions: "
		 "template 0x3de6, json 0x3da4",
		 tmpl, json);
	CHECK(f->n > 0, "no disagreement");
	if (f->n)
		CHECK_STR(f->msgs[0], msg);
}

static void load_program(const char *prog)
{
	char pdir[512], tmpl[600], json[600];
	struct p4x_p4tc *tm, *jm;
	struct p4x_p4tc_pipeline *tp, *jp;
	struct found f = {.prog = prog};
	int ret;

	paths(prog, pdir, tmpl, json);
	tm = new_model(pdir);
	jm = new_model(pdir);
	ret = p4x_p4tc__load_template(tm, tmpl, err, sizeof(err));
	CHECK(!ret, "%s", err);
	ret = p4x_p4tc__load_json(jm, json, err, sizeof(err));
	CHECK(!ret, "%s", err);
	tp = p4x_p4tc__pipeline_get(tm, prog);
	jp = p4x_p4tc__pipeline_get(jm, prog);
	CHECK(tp && jp, "%s: pipeline missing", prog);
	if (tp && jp) {
		CHECK(p4x_p4tc_pipeline__sealed(tp), "%s: not sealed", prog);
		CHECK_INT(p4x_p4tc_pipeline__id(tp), 1);
		CHECK(p4x_p4tc_pipeline__table_at(tp, 0)->nkeys > 0,
		      "%s: key fields from the introspection file", prog);
		ret = p4x_p4tc__cross_check(tm, tmpl, jm, json, prog, collect,
					    &f);
		CHECK_INT(ret, f.n);
		check_disagreements(prog, &f);
		if (!strcmp(prog, "add_entry_example"))
			check_message(&f, tmpl, json);
	}
	p4x_p4tc__free(tm);
	p4x_p4tc__free(jm);
}

static void test_all_programs(void)
{
	char pat[512];
	glob_t g;
	size_t n = 0;

	snprintf(pat, sizeof(pat), "%s/*/*.template", dir);
	CHECK(!glob(pat, 0, NULL, &g), "no templates under %s", dir);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		char prog[256], *slash = strrchr(g.gl_pathv[i], '/');

		snprintf(prog, sizeof(prog), "%s", slash + 1);
		*strstr(prog, ".template") = '\0';
		for (size_t k = 0; k < P4X_ARRAY_SIZE(programs); k++)
			n += !strcmp(programs[k], prog);
		load_program(prog);
	}
	/* every known program was found (none silently skipped) */
	CHECK_INT(n, P4X_ARRAY_SIZE(programs));
	CHECK(g.gl_pathc >= P4X_ARRAY_SIZE(programs), "found %zu", g.gl_pathc);
	globfree(&g);
}

/* Load one program and return the template-side model. */
static struct p4x_p4tc *load(const char *prog, bool from_json)
{
	char pdir[512], tmpl[600], json[600];
	struct p4x_p4tc *m;

	paths(prog, pdir, tmpl, json);
	m = new_model(pdir);
	if (from_json)
		CHECK(!p4x_p4tc__load_json(m, json, err, sizeof(err)), "%s",
		      err);
	else
		CHECK(!p4x_p4tc__load_template(m, tmpl, err, sizeof(err)), "%s",
		      err);
	return m;
}

static void test_routing(void)
{
	struct p4x_p4tc *m = load("routing", false);
	const struct p4x_p4tc_table_def *nh, *fib;
	const struct p4x_p4tc_action_def *set_nh;

	nh = p4x_p4tc__table_get(m, "routing/Main/nh_table");
	fib = p4x_p4tc__table_get(m, "routing/Main/fib_table");
	set_nh = p4x_p4tc__action_get(m, "routing/Main/set_nh");

	CHECK_INT(nh->id, 1);
	CHECK_INT(nh->type, P4X_P4TC_TABLE_EXACT);
	CHECK_INT(nh->permissions, 0x3da4);
	CHECK_INT(nh->tentries, 1024);
	CHECK_INT(nh->nummasks, 1);
	CHECK_INT(nh->default_miss.act_id, 1);
	CHECK_INT(fib->id, 2);
	CHECK_INT(fib->type, P4X_P4TC_TABLE_LPM);
	CHECK_STR(fib->keys[0].name, "prefix");
	CHECK_INT(fib->keys[0].match, P4X_P4TC_MATCH_LPM);
	CHECK_INT(fib->keys[0].type.kind, P4X_P4TC_K_IPV4);
	CHECK_INT(fib->default_miss.act_id, 3);
	CHECK_INT(fib->default_miss.set_mask, 1);
	CHECK(!memcmp(fib->default_miss.params, "\0\0\0\0", 4), "index 0");
	CHECK_INT(set_nh->id, 2);
	CHECK_INT(set_nh->params[0].offset, 0);
	CHECK_INT(set_nh->params[1].offset, 6);
	CHECK_INT(set_nh->params_bytes, 10);
	p4x_p4tc__free(m);
}

static int fake_n2i(void *arg, const char *name, uint32_t *ifindex)
{
	if (strcmp(name, "port1"))
		return -ENODEV;
	*ifindex = 3;
	return 0;
}

/* The STF "add" lines of routing and simple_l3 as runtime entries. */
static void test_runtime_entries(void)
{
	static const struct p4x_p4tc_dev_ops dev = {fake_n2i, NULL, NULL};
	struct p4x_p4tc_key_value k1[] = {{"prefix", "10.0.0.0/8"}};
	struct p4x_p4tc_param_value p1[] = {{"index", "0x1"}};
	struct p4x_p4tc_entry_spec s1 = {
		.sz = sizeof(s1),
		.nkeys = 1,
		.keys = k1,
		.has_action = true,
		.action = {.action = "set_nhid", .nparams = 1, .params = p1},
	};
	struct p4x_p4tc_key_value k2[] = {{"dstAddr", "10.0.0.2"}};
	struct p4x_p4tc_param_value p2[] = {
		{"port", "port1"},
		{"srcMac", "00:01:02:03:04:05"},
		{"dstMac", "aa:bb:cc:dd:ee:ff"},
	};
	struct p4x_p4tc_entry_spec s2 = {
		.sz = sizeof(s2),
		.nkeys = 1,
		.keys = k2,
		.has_action = true,
		.action = {.action = "ingress/send_nh",
			   .nparams = 3,
			   .params = p2},
	};
	char pdir[512], tmpl[600], json[600];
	struct p4x_p4tc_opts o = {.sz = sizeof(o), .dev = &dev};
	struct p4x_p4tc_entry_def e;
	struct p4x_p4tc *m;

	paths("routing", pdir, tmpl, json);
	o.introspection_dir = pdir;
	m = p4x_p4tc__new(&o);
	CHECK(!p4x_p4tc__load_template(m, tmpl, err, sizeof(err)), "%s", err);
	/* "set_nhid": relative to the table's control (Main) */
	CHECK(!p4x_p4tc__entry_build(m, "routing/Main/fib_table", &s1, &e, err,
				     sizeof(err)),
	      "%s", err);
	CHECK(!memcmp(e.key, "\x0a\0\0\0", 4), "key");
	CHECK(!memcmp(e.mask, "\xff\0\0\0", 4), "mask");
	CHECK_INT(e.act.act_id, 3);
	CHECK(!memcmp(e.act.params, "\x01\0\0\0", 4), "index 1");
	CHECK_INT(e.prio, 0);
	s1.action.action = "routing/Main/set_nhid";
	CHECK_INT(p4x_p4tc__table_entry_create(m, "routing/Main/fib_table", &s1,
					       err, sizeof(err)),
		  -EPERM);
	CHECK_STR(err, "routing/Main/fib_table: pipeline routing is sealed");
	p4x_p4tc__free(m);

	paths("simple_l3", pdir, tmpl, json);
	o.introspection_dir = pdir;
	m = p4x_p4tc__new(&o);
	CHECK(!p4x_p4tc__load_template(m, tmpl, err, sizeof(err)), "%s", err);
	CHECK(!p4x_p4tc__entry_build(m, "simple_l3/ingress/nh_table", &s2, &e,
				     err, sizeof(err)),
	      "%s", err);
	CHECK(!memcmp(e.key, "\x0a\0\0\x02", 4), "ipv4 key in wire order");
	CHECK_INT(e.prio, P4X_P4TC_EXACT_PRIO);
	CHECK_INT(e.act.params_bytes, 16);
	CHECK(!memcmp(e.act.params,
		      "\x03\0\0\0\x00\x01\x02\x03\x04\x05"
		      "\xaa\xbb\xcc\xdd\xee\xff",
		      16),
	      "dev ifindex host order, then the two MACs in wire order");
	p2[0].value = "port7";
	CHECK_INT(p4x_p4tc__entry_build(m, "simple_l3/ingress/nh_table", &s2,
					&e, err, sizeof(err)),
		  -ENODEV);
	CHECK_STR(err, "action ingress/send_nh param port: port7 is not an "
		       "interface (no such device)");
	p4x_p4tc__free(m);
}

static void test_calculator_entries(void)
{
	static const uint8_t ops[] = {0x2b, 0x2d, 0x26, 0x7c, 0x5e};
	struct p4x_p4tc *m = load("calculator", false);
	const struct p4x_p4tc_table_def *t =
		p4x_p4tc__table_get(m, "calculator/MainControlImpl/calculate");

	CHECK_INT(t->nentries, 5);
	CHECK_INT(t->key_bytes, 1);
	for (uint32_t i = 0; i < t->nentries && i < 5; i++) {
		CHECK_INT(t->entries[i].key[0], ops[i]);
		CHECK_INT(t->entries[i].mask[0], 0xff);
		CHECK_INT(t->entries[i].prio, P4X_P4TC_EXACT_PRIO);
		CHECK_INT(t->entries[i].permissions, 0x1024);
		CHECK_INT(t->entries[i].act.act_id, i + 1);
	}
	CHECK_INT(t->default_miss.act_id, 6);
	CHECK_INT(t->default_miss.permissions, 0x1024);
	p4x_p4tc__free(m);
}

static void test_calculator_needs_json(void)
{
	struct p4x_p4tc *m = new_model("/nonexistent");
	char pdir[512], tmpl[600], json[600], want[1024];

	paths("calculator", pdir, tmpl, json);
	CHECK_INT(p4x_p4tc__load_template(m, tmpl, err, sizeof(err)), -ENOKEY);
	snprintf(want, sizeof(want),
		 "%s:37: table calculator/MainControlImpl/calculate: key "
		 "fields unknown (no usable /nonexistent/calculator.json)",
		 tmpl);
	CHECK_STR(err, want);
	CHECK(!p4x_p4tc__pipeline_get(m, "calculator"), "undone");
	p4x_p4tc__free(m);
}

/* Keys from an introspection file given later (the pipeline is sealed). */
static void test_set_introspection(void)
{
	struct p4x_p4tc *m = new_model("/nonexistent");
	char pdir[512], tmpl[600], json[600], want[1024];
	const struct p4x_p4tc_table_def *t;

	paths("routing", pdir, tmpl, json);
	CHECK(!p4x_p4tc__load_template(m, tmpl, err, sizeof(err)), "%s", err);
	t = p4x_p4tc__table_get(m, "routing/Main/fib_table");
	CHECK_INT(t->nkeys, 0);
	CHECK(!p4x_p4tc__set_introspection(m, json, err, sizeof(err)), "%s",
	      err);
	CHECK_INT(t->nkeys, 1);
	CHECK_STR(t->keys[0].name, "prefix");
	CHECK_INT(p4x_p4tc__table_get(m, "routing/Main/nh_table")->nkeys, 1);
	paths("simple_l3", pdir, tmpl, json);
	CHECK_INT(p4x_p4tc__set_introspection(m, json, err, sizeof(err)),
		  -ENOENT);
	snprintf(want, sizeof(want), "%s: pipeline simple_l3 does not exist",
		 json);
	CHECK_STR(err, want);
	p4x_p4tc__free(m);
}

static void test_other_programs(void)
{
	struct p4x_p4tc *m = load("default_action_with_param", false);
	const struct p4x_p4tc_table_def *t = p4x_p4tc__table_get(
		m, "default_action_with_param/MainControlImpl/ipv4_tbl_1");

	CHECK(!memcmp(t->default_miss.params, "\x08\0\0\0", 4), "vport 8");
	p4x_p4tc__free(m);

	m = load("redirect_l2", false);
	t = p4x_p4tc__table_get(m, "redirect_l2/ingress/nh_table");
	CHECK_INT(t->nacts, 2);
	CHECK_INT(t->acts[1].act_id, 0);
	CHECK_INT(t->acts[1].flags, P4X_P4TC_ACT_DEFAULT_ONLY);
	CHECK(!t->has_default_miss, "no default miss");
	p4x_p4tc__free(m);

	m = load("direct_counter_example", false);
	t = p4x_p4tc__table_get(m, "direct_counter_example/ingress/nh_table");
	CHECK_STR(t->direct_counter, "DirectCounter/ingress.global_counter");
	CHECK_INT(p4x_p4tc__extern_get(m, "DirectCounter")->id, 0x1A000000);
	CHECK_INT(p4x_p4tc__extern_get(m, "DirectCounter")->permissions,
		  0x1136);
	CHECK(p4x_p4tc__extern_inst_get(m,
					"direct_counter_example/DirectCounter/"
					"ingress.global_counter")
		      ->tbl_bindable,
	      "bindable");
	p4x_p4tc__free(m);

	m = load("matchtype", true);
	t = p4x_p4tc__table_get(m, "matchtype/MainControlImpl/ipv4_tbl_2");
	CHECK_INT(t->type, P4X_P4TC_TABLE_TERNARY);
	CHECK_INT(t->key_bytes, 9);
	CHECK_INT(t->keys[2].match, P4X_P4TC_MATCH_RANGE);
	CHECK_INT(t->keys[2].offset, 8);
	t = p4x_p4tc__table_get(m, "matchtype/MainControlImpl/ipv4_tbl_4");
	CHECK_INT(t->type, P4X_P4TC_TABLE_LPM);
	CHECK_INT(t->nummasks, 8);
	CHECK_INT(t->default_miss.act_id, 3);
	p4x_p4tc__free(m);

	m = load("digest", true);
	CHECK_INT(p4x_p4tc__extern_get(m, "Digest")->id, 0x05000000);
	CHECK_INT(p4x_p4tc__extern_inst_get(
			  m, "digest/Digest/Ingress_Deparser.digest_inst")
			  ->nparams,
		  3);
	p4x_p4tc__free(m);
}

int main(int argc, char **argv)
{
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
	test_all_programs();
	test_routing();
	test_calculator_entries();
	test_runtime_entries();
	test_calculator_needs_json();
	test_set_introspection();
	test_other_programs();
	return check_done();
}
