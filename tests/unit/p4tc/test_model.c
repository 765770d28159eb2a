// SPDX-License-Identifier: BSD-3-Clause
/*
 * P4TC object model: ids, sealing, defaults, const entries, externs,
 * p4template argv commands, the script reader and the cross-check, with
 * their error messages.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "p4x/p4tc.h"
#include "p4x_count_check.h"

static char err[512];

static int fake_n2i(void *arg, const char *name, uint32_t *ifindex)
{
	if (strcmp(name, "port1"))
		return -ENODEV;
	*ifindex = 7;
	return 0;
}

static const struct p4x_p4tc_dev_ops fake_dev = {fake_n2i, NULL, NULL};

static struct p4x_p4tc *new_model(void)
{
	struct p4x_p4tc_opts o = {.sz = sizeof(o),
				  .introspection_dir = "/nonexistent",
				  .dev = &fake_dev};
	struct p4x_p4tc *m = p4x_p4tc__new(&o);

	if (!m)
		abort();
	return m;
}

/* Run one command given as a space-separated line. */
static int run(struct p4x_p4tc *m, const char *line)
{
	char buf[1024], *argv[128], *save = NULL;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *w = strtok_r(buf, " ", &save); w && argc < 128;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	err[0] = '\0';
	return p4x_p4tc__exec(m, argc, argv, NULL, err, sizeof(err));
}

#define RUN_OK(m, line) CHECK(!run(m, line), "%s: %s", line, err)
#define RUN_ERR(m, line, eno, msg)            \
	do {                                  \
		CHECK_INT(run(m, line), eno); \
		CHECK_STR(err, msg);          \
	} while (0)

static void test_pipeline_ids(void)
{
	struct p4x_p4tc *m = new_model();

	RUN_OK(m, "create pipeline/a numtables 1");
	RUN_OK(m, "p4template create pipeline/b numtables 1");
	CHECK_INT(p4x_p4tc_pipeline__id(p4x_p4tc__pipeline_get(m, "a")), 1);
	CHECK_INT(p4x_p4tc_pipeline__id(p4x_p4tc__pipeline_get(m, "b")), 2);
	RUN_OK(m, "delete pipeline/a");
	RUN_OK(m, "create pipeline/c");
	CHECK_INT(p4x_p4tc_pipeline__id(p4x_p4tc__pipeline_get(m, "c")), 1);
	RUN_OK(m, "create pipeline/d pipeid 9");
	CHECK_INT(p4x_p4tc_pipeline__id(p4x_p4tc__pipeline_get(m, "d")), 9);
	CHECK(p4x_p4tc__pipeline_by_id(m, 9) == p4x_p4tc__pipeline_get(m, "d"),
	      "by id");
	RUN_ERR(m, "create pipeline/e pipeid 9", -EEXIST,
		"pipeline e: pipeid 9 is taken");
	RUN_ERR(m, "create pipeline/b", -EEXIST, "pipeline b already exists");
	RUN_ERR(m, "create pipeline/f numtables 33", -EINVAL,
		"pipeline/f: numtables: 33 is not a number (0..32)");
	RUN_ERR(m, "create pipeline/averyveryverylongpipelinenamethatistoolong",
		-ENAMETOOLONG,
		"pipeline averyveryverylongpipelinenamethatistoolong: name "
		"longer than 31 bytes");
	RUN_ERR(m, "delete pipeline/zz", -ENOENT, "pipeline zz does not exist");
	/* pipelines come in id order */
	CHECK_STR(p4x_p4tc_pipeline__name(p4x_p4tc__pipeline_at(m, 0)), "c");
	CHECK_STR(p4x_p4tc_pipeline__name(p4x_p4tc__pipeline_at(m, 1)), "b");
	CHECK_STR(p4x_p4tc_pipeline__name(p4x_p4tc__pipeline_at(m, 2)), "d");
	CHECK(!p4x_p4tc__pipeline_at(m, 3), "end");
	p4x_p4tc__free(m);
}

static void test_action_ids(void)
{
	struct p4x_p4tc *m = new_model();
	const struct p4x_p4tc_action_def *a;

	RUN_OK(m, "create pipeline/p numtables 1");
	RUN_OK(m, "create action/p/cb/a2 actid 2");
	RUN_OK(m, "create action/p/cb/a1");
	RUN_OK(m, "create action/p/cb/a3");
	CHECK_INT(p4x_p4tc__action_get(m, "p/cb/a1")->id, 1);
	CHECK_INT(p4x_p4tc__action_get(m, "p/cb/a3")->id, 3);
	RUN_OK(m, "create action/p/cb/set param port type dev param mac type "
		  "macaddr id 5 param v type bit16");
	a = p4x_p4tc__action_get(m, "p/cb/set");
	CHECK_INT(a->id, 4);
	CHECK_INT(a->nparams, 3);
	CHECK_INT(a->params[0].id, 1);
	CHECK_INT(a->params[1].id, 5);
	CHECK_INT(a->params[2].id, 6);
	CHECK_INT(a->params[1].offset, 4);
	CHECK_INT(a->params[2].offset, 10);
	CHECK_INT(a->params_bytes, 12);
	CHECK(!a->active, "inactive until state active");
	RUN_OK(m, "update action/p/cb/set state active");
	CHECK(a->active, "active");
	RUN_ERR(m, "create action/p/cb/x actid 2", -EEXIST,
		"action p/cb/x: actid 2 is taken by cb/a2");
	RUN_ERR(m, "create action/p/cb/x param a type bit33x", -EINVAL,
		"action p/cb/x param a: bad width \"33x\" (1..128)");
	RUN_ERR(m, "create action/p/cb/x param a type bit8 param a type bit8",
		-EINVAL,
		"action p/cb/x param a: duplicate name or id 2 (ids 1..32)");
	RUN_ERR(m, "create action/p/cb/x param a", -EINVAL,
		"action/p/cb/x: param a needs \"type <T>\"");
	RUN_ERR(m, "create action/p/cb/x param a type bit8 flags sometimes",
		-EINVAL,
		"action/p/cb/x: param flags must be runtime, not sometimes");
	RUN_ERR(m, "update action/p/cb/set state asleep", -EINVAL,
		"action/p/cb/set: state must be active or inactive, not "
		"asleep");
	RUN_ERR(m, "create action/q/cb/x", -ENOENT,
		"pipeline q does not exist");
	RUN_ERR(m, "create action/p/x", -EINVAL,
		"p/x: expected <pipeline>/<control>/<name> (at most 63 bytes "
		"after the pipeline)");
	RUN_ERR(m, "create action/p/cb/x frob 1", -EINVAL,
		"action/p/cb/x: unknown or misplaced argument \"frob\"");
	RUN_OK(m, "delete action/p/cb/a3");
	CHECK(!p4x_p4tc__action_get(m, "p/cb/a3"), "deleted");
	RUN_OK(m, "create action/p/cb/again");
	CHECK_INT(p4x_p4tc__action_get(m, "p/cb/again")->id, 3);
	p4x_p4tc__free(m);
}

static void make_routing(struct p4x_p4tc *m)
{
	RUN_OK(m, "create pipeline/r numtables 2");
	RUN_OK(m, "create action/r/Main/drop actid 1");
	RUN_OK(m, "create action/r/Main/set_nh actid 2 param dmac type macaddr "
		  "param port type dev");
	RUN_OK(m,
	       "create action/r/Main/set_nhid actid 3 param index type bit32");
	RUN_OK(m, "create action/r/Main/only actid 4");
}

static void test_tables_and_sealing(void)
{
	struct p4x_p4tc *m = new_model();
	const struct p4x_p4tc_table_def *t;

	make_routing(m);
	RUN_ERR(m, "create table/r/Main/t type exact", -EINVAL,
		"table r/Main/t: type and keysz are required");
	RUN_ERR(m, "create table/r/Main/t type hash keysz 32", -EINVAL,
		"table/r/Main/t: type must be exact, lpm or ternary, not hash");
	RUN_ERR(m, "create table/r/Main/t type exact keysz 513", -EINVAL,
		"table Main/t: keysz 513 (1..512 bits)");
	RUN_ERR(m,
		"create table/r/Main/t type exact keysz 32 table_acts act name "
		"r/Main/nope",
		-ENOENT, "action r/Main/nope does not exist in pipeline r");
	RUN_ERR(m,
		"create table/r/Main/t type exact keysz 32 table_acts act name "
		"r/Main/drop act name Main/drop",
		-EINVAL, "table Main/t: action Main/drop listed twice");
	RUN_ERR(m, "create table/r/Main/t type exact keysz 32 pipeid 4",
		-EINVAL, "table/r/Main/t: pipeid 4 but pipeline r has id 1");
	RUN_OK(m, "create table/r/Main/nh_table type exact keysz 32 table_acts "
		  "act name r/Main/drop act name r/Main/set_nh act name "
		  "r/Main/only flags tableonly default_miss_action permissions "
		  "0x1024 action r/Main/set_nh param dmac 00:01:02:03:04:05 "
		  "param port port1");
	t = p4x_p4tc__table_get(m, "r/Main/nh_table");
	CHECK_INT(t->id, 1);
	CHECK_INT(t->permissions, P4X_P4TC_TABLE_DEFAULT_PERMISSIONS);
	CHECK_INT(t->tentries, P4X_P4TC_DEFAULT_TENTRIES);
	CHECK_INT(t->nummasks, P4X_P4TC_DEFAULT_MASKS);
	CHECK_INT(t->nacts, 3);
	CHECK_INT(t->acts[2].flags, P4X_P4TC_ACT_TABLE_ONLY);
	CHECK(t->has_default_miss && !t->has_default_hit, "defaults");
	CHECK_INT(t->default_miss.act_id, 2);
	CHECK_INT(t->default_miss.permissions, 0x1024);
	CHECK_INT(t->default_miss.params_bytes, 10);
	CHECK(!memcmp(t->default_miss.params,
		      "\x00\x01\x02\x03\x04\x05\x07\x00\x00\x00", 10),
	      "default params: mac then dev ifindex 7 host order");
	/* default action checks */
	RUN_ERR(m,
		"update table/r/Main/nh_table default_hit_action action "
		"r/Main/only",
		-EINVAL,
		"table Main/nh_table: default_hit_action Main/only is "
		"tableonly");
	RUN_ERR(m,
		"update table/r/Main/nh_table default_hit_action action "
		"r/Main/set_nhid param index 1",
		-EINVAL,
		"table Main/nh_table: default_hit_action Main/set_nhid is not "
		"in table_acts");
	RUN_ERR(m,
		"update table/r/Main/nh_table default_miss_action action "
		"r/Main/set_nh param dmac 00:01:02:03:04:05",
		-EINVAL, "action r/Main/set_nh: param port needs a value");
	RUN_ERR(m,
		"update table/r/Main/nh_table default_miss_action action "
		"r/Main/set_nh param dmac 1:2 param port port1",
		-EINVAL,
		"action r/Main/set_nh param dmac: 1:2 is not a mac address");
	RUN_ERR(m,
		"update table/r/Main/nh_table default_miss_action action "
		"r/Main/set_nh param bogus 1",
		-ENOENT, "action r/Main/set_nh has no param bogus");
	RUN_ERR(m,
		"update table/r/Main/nh_table default_miss_action action "
		"r/Main/set_nh param port port9 param dmac 0:0:0:0:0:0",
		-ENODEV,
		"action r/Main/set_nh param port: port9 is not an interface "
		"(no such device)");
	/* the failed updates changed nothing */
	CHECK_INT(t->default_miss.act_id, 2);
	CHECK(!t->has_default_hit, "no default hit");
	RUN_OK(m, "update table/r/Main/nh_table default_hit_action action "
		  "NoAction");
	CHECK(t->has_default_hit && !t->default_hit.act_id, "NoAction");
	RUN_OK(m,
	       "update table/r/Main/nh_table default_miss_action action "
	       "r/Main/set_nh param dmac 0:0:0:0:0:1 param port flags runtime");
	CHECK_INT(t->default_miss.runtime_mask, 2);
	CHECK_INT(t->default_miss.set_mask, 1);
	RUN_ERR(m, "delete action/r/Main/drop", -EBUSY,
		"action r/Main/drop is used by table Main/nh_table");
	/* sealing */
	RUN_ERR(m, "update pipeline/r state ready", -EINVAL,
		"pipeline r: cannot seal with 1 of 2 tables created");
	RUN_OK(m, "create table/r/Main/fib_table type lpm keysz 32 tentries "
		  "1024 table_acts act name r/Main/set_nhid");
	CHECK_INT(p4x_p4tc__table_get(m, "r/Main/fib_table")->id, 2);
	RUN_ERR(m, "create table/r/Main/third type lpm keysz 32", -ENOSPC,
		"table r/Main/third: pipeline r already has its 2 tables "
		"(numtables)");
	RUN_OK(m, "update pipeline/r state ready");
	CHECK(p4x_p4tc_pipeline__sealed(p4x_p4tc__pipeline_get(m, "r")),
	      "sealed");
	RUN_ERR(m, "create action/r/Main/late", -EPERM,
		"r/Main/late: pipeline r is sealed");
	RUN_ERR(m, "update table/r/Main/fib_table tentries 5", -EPERM,
		"r/Main/fib_table: pipeline r is sealed");
	RUN_ERR(m, "delete table/r/Main/fib_table", -EPERM,
		"r/Main/fib_table: pipeline r is sealed");
	RUN_ERR(m, "update action/r/Main/drop state inactive", -EPERM,
		"r/Main/drop: pipeline r is sealed");
	RUN_ERR(m, "update pipeline/r state ready", -EPERM,
		"pipeline r is sealed");
	RUN_OK(m, "delete pipeline/r");
	CHECK(!p4x_p4tc__pipeline_get(m, "r"), "deleted when sealed");
	p4x_p4tc__free(m);
}

static const struct p4x_p4tc_key_def *keys_of(const char *spec, uint32_t *n)
{
	static struct p4x_p4tc_key_def keys[8];
	char buf[256], *save = NULL;

	*n = 0;
	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *w = strtok_r(buf, " ", &save); w;
	     w = strtok_r(NULL, " ", &save)) {
		char *type = strchr(w, ':'), *match = strrchr(w, ':');

		*type++ = '\0';
		*match++ = '\0';
		memset(&keys[*n], 0, sizeof(keys[0]));
		snprintf(keys[*n].name, sizeof(keys[0].name), "%s", w);
		p4x_p4tc_type__parse(&keys[*n].type, type, 0, NULL, 0);
		keys[*n].match = P4X_P4TC_MATCH_EXACT;
		if (!strcmp(match, "lpm"))
			keys[*n].match = P4X_P4TC_MATCH_LPM;
		if (!strcmp(match, "ternary"))
			keys[*n].match = P4X_P4TC_MATCH_TERNARY;
		(*n)++;
	}
	return keys;
}

static void set_keys(struct p4x_p4tc *m, const char *path, const char *spec)
{
	uint32_t n;
	const struct p4x_p4tc_key_def *k = keys_of(spec, &n);

	CHECK(!p4x_p4tc__table_set_keys(m, path, k, n, err, sizeof(err)),
	      "%s: %s", path, err);
}

static void test_entries(void)
{
	struct p4x_p4tc *m = new_model();
	const struct p4x_p4tc_table_def *t;
	const struct p4x_p4tc_key_def *k;
	uint32_t n;

	make_routing(m);
	RUN_OK(m, "create table/r/Main/ex type exact keysz 40 tentries 2 "
		  "table_acts act name r/Main/drop act name r/Main/set_nhid "
		  "flags defaultonly");
	RUN_OK(m, "create table/r/Main/lp type lpm keysz 32 table_acts act "
		  "name r/Main/set_nhid");
	RUN_ERR(m, "create table/r/Main/ex entry dstAddr 10.0.0.1", -ENOKEY,
		"table r/Main/ex: key fields unknown (no usable "
		"/nonexistent/r.json)");
	k = keys_of("dstAddr:ipv4:exact", &n);
	CHECK_INT(p4x_p4tc__table_set_keys(m, "r/Main/ex", k, n, err,
					   sizeof(err)),
		  -EINVAL);
	CHECK_STR(err, "table Main/ex: key fields have 32 bits in 4 bytes, "
		       "keysz is 40");
	set_keys(m, "r/Main/ex", "dstAddr:ipv4:exact proto:bit8:exact");
	set_keys(m, "r/Main/lp", "prefix:ipv4:lpm");
	RUN_ERR(m,
		"create table/r/Main/ex entry dstAddr 10.0.0.300 proto 6 "
		"action r/Main/drop",
		-EINVAL,
		"key field dstAddr: 10.0.0.300 is not an ipv4 address");
	RUN_ERR(m, "create table/r/Main/ex entry proto 6 dstAddr 10.0.0.1",
		-EINVAL,
		"table Main/ex: key field 1 must be dstAddr, got proto");
	RUN_ERR(m, "create table/r/Main/ex entry dstAddr 10.0.0.1", -EINVAL,
		"table Main/ex: key field 2 must be proto, got nothing");
	RUN_ERR(m, "create table/r/Main/ex entry dstAddr 10.0.0.0/24 proto 6",
		-EINVAL,
		"key field dstAddr: 10.0.0.0/24: exact tables take no mask");
	RUN_ERR(m,
		"create table/r/Main/ex entry dstAddr 10.0.0.1 proto 6 action "
		"r/Main/set_nhid param index 1",
		-EINVAL,
		"table Main/ex: action r/Main/set_nhid is defaultonly");
	RUN_ERR(m,
		"create table/r/Main/ex entry dstAddr 10.0.0.1 proto 6 action "
		"r/Main/set_nh",
		-EINVAL, "action r/Main/set_nh: param dmac needs a value");
	RUN_OK(m, "create table/r/Main/ex entry dstAddr 10.0.0.1/32 proto 0x11 "
		  "permissions 0x1024 action r/Main/drop");
	RUN_ERR(m, "create table/r/Main/ex entry dstAddr 10.0.0.1 proto 17",
		-EEXIST, "table r/Main/ex: entry 1 has the same key");
	RUN_OK(m, "create table/r/Main/ex entry dstAddr 10.0.0.2 proto 17");
	RUN_ERR(m, "create table/r/Main/ex entry dstAddr 10.0.0.3 proto 17",
		-ENOSPC, "table r/Main/ex is full (tentries 2)");
	t = p4x_p4tc__table_get(m, "r/Main/ex");
	CHECK_INT(t->nentries, 2);
	CHECK_INT(t->key_bytes, 5);
	CHECK(!memcmp(t->entries[0].key, "\x0a\x00\x00\x01\x11", 5), "key");
	CHECK(!memcmp(t->entries[0].mask, "\xff\xff\xff\xff\xff", 5), "mask");
	CHECK_INT(t->entries[0].prio, P4X_P4TC_EXACT_PRIO);
	CHECK_INT(t->entries[0].permissions, 0x1024);
	CHECK(t->entries[0].has_action && t->entries[0].act.act_id == 1,
	      "action");
	CHECK(!t->entries[1].has_action, "no action");
	RUN_ERR(m, "create table/r/Main/lp entry prefix 10.0.0.0/0xff00ff00",
		-EINVAL,
		"key field prefix: 10.0.0.0/0xff00ff00: lpm tables take a "
		"prefix, not a mask");
	RUN_OK(m, "create table/r/Main/lp entry prefix 10.0.0.0/8 action "
		  "r/Main/set_nhid param index 0x1");
	RUN_OK(m, "create table/r/Main/lp entry prefix 10.1.0.0/16 prio 7 "
		  "action r/Main/set_nhid param index 2");
	RUN_OK(m, "create table/r/Main/lp entry prefix 10.2.0.0/16 action "
		  "r/Main/set_nhid param index 3");
	t = p4x_p4tc__table_get(m, "r/Main/lp");
	CHECK(!memcmp(t->entries[0].mask, "\xff\x00\x00\x00", 4), "/8 mask");
	CHECK(!memcmp(t->entries[0].act.params, "\x01\x00\x00\x00", 4),
	      "param index 1 in host order");
	CHECK_INT(t->entries[0].prio, 1);
	CHECK_INT(t->entries[1].prio, 7);
	CHECK_INT(t->entries[2].prio, 2);
	RUN_OK(m, "update table/r/Main/lp nummasks 2");
	RUN_ERR(m, "create table/r/Main/lp entry prefix 10.3.0.0/24", -ENOSPC,
		"table r/Main/lp: a new mask would exceed nummasks 2");
	RUN_OK(m, "create table/r/Main/lp entry prefix 10.3.0.0/16");
	RUN_ERR(m, "update table/r/Main/ex table_acts act name r/Main/set_nhid",
		-EBUSY,
		"table Main/ex: entry 1 uses an action no longer in "
		"table_acts");
	CHECK_INT(p4x_p4tc__table_get(m, "r/Main/ex")->nacts, 2);
	RUN_ERR(m,
		"create table/r/Main/lp entry prefix 10.0.0.0/8 action "
		"r/Main/set_nhid param index 1 frob",
		-EINVAL,
		"table/r/Main/lp: unknown or misplaced argument \"frob\"");
	p4x_p4tc__free(m);
}

static void test_externs(void)
{
	struct p4x_p4tc *m = new_model();
	const struct p4x_p4tc_extern_inst_def *i;

	RUN_OK(m, "create pipeline/x numtables 1");
	RUN_ERR(m, "create extern_inst/x/Counter/c1 tc_numel 4", -ENOENT,
		"extern_inst x/Counter/c1: extern Counter does not exist");
	RUN_OK(m, "create extern/root/Counter extid 0x19000000 numinstances 2 "
		  "tc_acl 0x1136 has_exec_method");
	CHECK_INT(p4x_p4tc__extern_get(m, "Counter")->id, 0x19000000);
	CHECK(p4x_p4tc__extern_get(m, "Counter")->has_exec_method, "exec");
	RUN_ERR(m, "create extern/root/Other extid 0x19000000", -EEXIST,
		"extern Other: extid 0x19000000 is zero or taken");
	RUN_ERR(m, "create extern/Counter extid 1", -EINVAL,
		"extern/Counter: expected extern/root/<Kind>");
	RUN_OK(m, "create extern_inst/x/Counter/ing.c1 tc_numel 8 constructor "
		  "param type ptype bit32 1 control_path tc_key index ptype "
		  "bit32 id 1 param pkts ptype bit64 id 2");
	RUN_OK(m, "create extern_inst/x/Counter/ing.c2");
	i = p4x_p4tc__extern_inst_get(m, "x/Counter/ing.c1");
	CHECK_INT(i->id, 1);
	CHECK_INT(i->numel, 8);
	CHECK_INT(i->nconstr, 1);
	CHECK_STR(i->constr[0].name, "type");
	CHECK_INT(i->constr[0].value.val[15], 1);
	CHECK_INT(i->nparams, 2);
	CHECK(i->params[0].is_key && !i->params[1].is_key, "key attr");
	CHECK_INT(i->params[1].type.bitsz, 64);
	CHECK_INT(p4x_p4tc__extern_inst_get(m, "x/Counter/ing.c2")->id, 2);
	RUN_ERR(m, "create extern_inst/x/Counter/c3 instid 2", -EEXIST,
		"extern_inst x/Counter/c3: instid 2 is taken by ing.c2");
	RUN_ERR(m,
		"create extern_inst/x/Counter/c3 control_path tc_key index "
		"ptype bit32",
		-EINVAL,
		"extern_inst/x/Counter/c3: param index needs \"id N\"");
	RUN_ERR(m,
		"create extern_inst/x/Counter/c3 constructor param a ptype "
		"bit8 300",
		-EINVAL,
		"extern_inst/x/Counter/c3: param a: 300 is not a bit8 value "
		"(out of range)");
	RUN_ERR(m, "delete extern/root/Counter", -EBUSY,
		"extern Counter has instances in pipeline x");
	RUN_OK(m, "delete extern_inst/x/Counter/ing.c1");
	RUN_OK(m, "delete extern_inst/x/Counter/ing.c2");
	RUN_OK(m, "delete extern/root/Counter");
	CHECK(!p4x_p4tc__extern_get(m, "Counter"), "gone");
	p4x_p4tc__free(m);
}

/* Run "get" with @argv into a string; the caller frees it. */
static char *get(struct p4x_p4tc *m, int argc, char **argv)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	CHECK(!p4x_p4tc__exec(m, argc, argv, out, err, sizeof(err)), "%s", err);
	fclose(out);
	return buf;
}

static void test_get_and_usage(void)
{
	struct p4x_p4tc *m = new_model();
	char *argv[] = {"get", "table/r/Main/lp"};
	char *jargv[] = {"-j", "p4template", "get", "table/r/Main/lp"};
	struct json_object *o, *v;
	char *buf;

	make_routing(m);
	RUN_OK(m, "create table/r/Main/lp type lpm keysz 32 permissions 0x3da4 "
		  "table_acts act name r/Main/set_nhid default_miss_action "
		  "permissions 0x1024 action r/Main/set_nhid param index 7");
	buf = get(m, 2, argv);
	CHECK_STR(buf, "table Main/lp id 1 type lpm keysz 32 permissions "
		       "0x3da4 tentries 256 nummasks 8\n"
		       "\tact Main/set_nhid flags none\n"
		       "\tdefault_miss_action action Main/set_nhid permissions "
		       "0x1024\n"
		       "\t\tparam index value 7\n");
	free(buf);
	buf = get(m, 4, jargv);
	o = json_tokener_parse(buf);
	CHECK(o != NULL, "not JSON: %s", buf);
	CHECK(json_object_object_get_ex(o, "default_miss_action", &v) &&
		      json_object_object_get_ex(v, "params", &v) &&
		      !strcmp(json_object_get_string(json_object_object_get(
				      json_object_array_get_idx(v, 0),
				      "value")),
			      "7"),
	      "default action param in JSON: %s", buf);
	CHECK_STR(json_object_get_string(json_object_object_get(o, "type")),
		  "lpm");
	CHECK_INT(json_object_get_int(json_object_object_get(o, "id")), 1);
	json_object_put(o);
	free(buf);
	RUN_ERR(m, "get table/r/Main/none", -ENOENT,
		"table r/Main/none does not exist");
	RUN_ERR(m, "create", -EINVAL,
		"usage: p4template create|update|delete|get <object>/<path> "
		"[args]");
	RUN_ERR(m, "frob pipeline/r", -EINVAL,
		"p4template: unknown command \"frob\" "
		"(create|update|delete|get)");
	RUN_ERR(m, "create widget/r", -EINVAL,
		"p4template: unknown object type in \"widget/r\" "
		"(pipeline|action|table|extern|extern_inst)");
	RUN_ERR(m, "create pipeline/q numtables", -EINVAL,
		"pipeline/q: numtables needs a value");
	p4x_p4tc__free(m);
}

static char *write_tmp(const char *text)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/p4x_p4tc_XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
	return path;
}

static int load_text(struct p4x_p4tc *m, const char *text, char **path)
{
	int ret;

	*path = write_tmp(text);
	ret = p4x_p4tc__load_template(m, *path, err, sizeof(err));
	unlink(*path);
	return ret;
}

static void check_script_err(const char *text, int eno, const char *fmt)
{
	struct p4x_p4tc *m = new_model();
	char want[512], *path;

	CHECK_INT(load_text(m, text, &path), eno);
	snprintf(want, sizeof(want), fmt, path);
	CHECK_STR(err, want);
	CHECK(!p4x_p4tc__pipeline_at(m, 0) && !p4x_p4tc__extern_at(m, 0),
	      "a failed script leaves nothing behind");
	p4x_p4tc__free(m);
}

static void test_script(void)
{
	struct p4x_p4tc *m = new_model();
	char *path;

	CHECK(!load_text(
		      m,
		      "#!/bin/bash -x\n"
		      "# a comment \\\n"
		      "set -e\n"
		      ": \"${TC:=\"tc\"}\"\n"
		      "\n"
		      "$TC p4template create pipeline/s numtables 1 # "
		      "trailing\n"
		      "${TC} p4template create action/s/c/a \\\n"
		      "\tparam 'x' type \"bit8\"\n"
		      "\"$TC\" p4template update action/s/c/a state active\n"
		      "tc p4template create table/s/c/t type exact keysz 8 \\\n"
		      "  table_acts act name s/c/a \\\n"
		      "  default_miss_action action s/c/a param x 0x2a\n"
		      "$TC p4template update pipeline/s state ready",
		      &path),
	      "%s", err);
	CHECK(p4x_p4tc_pipeline__sealed(p4x_p4tc__pipeline_get(m, "s")),
	      "sealed by the script");
	CHECK_INT(p4x_p4tc__table_get(m, "s/c/t")->default_miss.params[0],
		  0x2a);
	CHECK(p4x_p4tc__action_get(m, "s/c/a")->active, "active");
	p4x_p4tc__free(m);

	check_script_err(
		"set -e\n$TC p4template create pipeline/s\n"
		"$TC p4ctrl create s/table/c/t k 1\n",
		-EINVAL,
		"%s:3: unsupported tc command \"p4ctrl\" (only p4template)");
	check_script_err("echo hello\n", -EINVAL,
			 "%s:1: not a tc p4template line: echo hello");
	check_script_err(
		"$TC p4template create pipeline/s | tee x\n", -EINVAL,
		"%s:1: shell syntax not supported (only plain words, quotes "
		"and $TC): $TC p4template create pipeline/s | tee x");
	check_script_err(
		"$TC p4template create pipeline/$NAME\n", -EINVAL,
		"%s:1: shell variable in \"pipeline/$NAME\" not supported");
	check_script_err(
		"$TC p4template create pipeline/s 'numtables\n", -EINVAL,
		"%s:1: shell syntax not supported (only plain words, quotes "
		"and $TC): $TC p4template create pipeline/s 'numtables");
	/* the pipeline and extern the script created are undone */
	check_script_err(
		"$TC p4template create pipeline/s numtables 1\n"
		"$TC p4template create extern/root/Digest extid 0x05000000\n"
		"$TC p4template create action/s/c/a \\\n"
		"   actid 1\n"
		"$TC p4template create table/s/c/t type exact \\\n"
		"   keysz 8 table_acts act name s/c/b\n",
		-ENOENT, "%s:5: action s/c/b does not exist in pipeline s");
	CHECK_INT(p4x_p4tc__load_template(m = new_model(),
					  "/nonexistent/x.template", err,
					  sizeof(err)),
		  -ENOENT);
	CHECK_STR(err, "/nonexistent/x.template: No such file or directory");
	p4x_p4tc__free(m);
}

static void test_script_keeps_existing(void)
{
	struct p4x_p4tc *m = new_model();
	char *path;

	RUN_OK(m, "create pipeline/old numtables 1");
	CHECK_INT(load_text(m,
			    "$TC p4template create pipeline/new\n"
			    "$TC p4template create pipeline/old\n",
			    &path),
		  -EEXIST);
	CHECK(p4x_p4tc__pipeline_get(m, "old"), "kept");
	CHECK(!p4x_p4tc__pipeline_get(m, "new"), "undone");
	p4x_p4tc__free(m);
}

static void check_json_err(const char *text, int eno, const char *fmt)
{
	struct p4x_p4tc *m = new_model();
	char want[1024], *path = write_tmp(text);

	CHECK_INT(p4x_p4tc__load_json(m, path, err, sizeof(err)), eno);
	snprintf(want, sizeof(want), fmt, path);
	CHECK_STR(err, want);
	CHECK(!p4x_p4tc__pipeline_at(m, 0) && !p4x_p4tc__extern_at(m, 0),
	      "a failed load leaves nothing behind");
	unlink(path);
	p4x_p4tc__free(m);
}

#define JTABLE(keys, acts)                                             \
	"{\"name\":\"c/t\",\"id\":1,\"tentries\":8,\"permissions\":"   \
	"\"0x3da4\",\"nummask\":8,\"keysize\":32,\"keyfields\":[" keys \
	"],\"actions\":[" acts "]}"
#define JKEY(type, bw)                                                   \
	"{\"id\":1,\"name\":\"k\",\"type\":\"" type "\",\"match_type\":" \
	"\"exact\",\"bitwidth\":" bw "}"
#define JACT(id, ptype)                                          \
	"{\"id\":" id ",\"name\":\"c/a\",\"params\":[{\"id\":1," \
	"\"name\":\"v\",\"type\":\"" ptype "\",\"bitwidth\":32}]}"

static void test_json_errors(void)
{
	struct p4x_p4tc *m;
	char dir[] = "/tmp/p4x_p4tc_dirXXXXXX", path[64];
	struct p4x_p4tc_opts o = {.sz = sizeof(o), .introspection_dir = dir};
	FILE *f;

	check_json_err("{\"pipeline_name\":\"p\"}", -EINVAL,
		       "%s: root: missing array \"tables\"");
	check_json_err("[1]", -EINVAL, "%s: root: not a JSON object");
	check_json_err(
		"{\"pipeline_name\":\"p\",\"tables\":[" JTABLE(
			JKEY("ipv4", "16"), "") "]}",
		-EINVAL,
		"%s: c/t keyfield 1: bad type: type ipv4 has 32 bits, not 16");
	check_json_err("{\"pipeline_name\":\"p\",\"tables\":[" JTABLE(
			       JKEY("bit16", "16"), "") "]}",
		       -EINVAL,
		       "%s: table c/t: key fields have 16 bits in 2 bytes, "
		       "keysz is 32");
	check_json_err("{\"pipeline_name\":\"p\",\"tables\":[" JTABLE(
			       JKEY("bit32", "32"),
			       JACT("1", "bit32") "," JACT("2", "bit32")) "]}",
		       -EINVAL,
		       "%s: table c/t action c/a: differs from the action of "
		       "the same name in an earlier table");
	check_json_err("{\"pipeline_name\":\"p\",\"tables\":[" JTABLE(
			       JKEY("bit32", "32"), JACT("1", "float")) "]}",
		       -EINVAL,
		       "%s: table c/t action c/a param 1: bad type: unknown "
		       "type \"float\"");
	check_json_err("{\"pipeline_name\":\"p\",\"externs\":[{\"name\":"
		       "\"Digest\",\"id\":\"0x05000000\",\"permissions\":"
		       "\"0x19b6\",\"instances\":[{\"inst_name\":\"d\"}]}],"
		       "\"tables\":[]}",
		       -EINVAL,
		       "%s: extern Digest instance d: \"inst_id\" missing or "
		       "not a number (0..4294967295)");
	/* a template table reads its pipeline's introspection file */
	CHECK(mkdtemp(dir) != NULL, "mkdtemp");
	snprintf(path, sizeof(path), "%s/p.json", dir);
	f = fopen(path, "w");
	fputs("{\"pipeline_name\":\"other\",\"tables\":[]}", f);
	fclose(f);
	m = p4x_p4tc__new(&o);
	RUN_OK(m, "create pipeline/p numtables 1");
	CHECK_INT(run(m, "create table/p/c/t type exact keysz 32"), -EINVAL);
	CHECK(strstr(err, "/p.json: pipeline_name is not p") != NULL, "%s",
	      err);
	CHECK(!p4x_p4tc__table_get(m, "p/c/t"), "not created");
	p4x_p4tc__free(m);
	unlink(path);
	rmdir(dir);
}

struct collect {
	int n;
	char lines[16][512];
};

static void collect(void *arg, const struct p4x_p4tc_disagreement *d)
{
	struct collect *c = arg;

	if (c->n < 16)
		snprintf(c->lines[c->n++], sizeof(c->lines[0]), "%s|%s|%s|%s",
			 d->object, d->field, d->tmpl, d->json);
}

static void test_cross_check(void)
{
	struct p4x_p4tc *a = new_model(), *b = new_model();
	struct collect c = {0};
	static const char *const want[] = {
		"pipeline p|numtables|2|1",
		"action c/set|param v type|bit16|bit32",
		"action c/gone|present|yes|(absent)",
		"table c/t|keysz|64|72",
		"table c/t|key blob size|keysz 64 = 8 bytes|fields take 10 "
		"bytes",
		"table c/t|table_acts c/set|none|defaultonly",
		"table c/t|default_miss_action|none|c/set",
		"table c/u|present|yes|(absent)",
	};

	RUN_OK(a, "create pipeline/p numtables 2");
	RUN_OK(a, "create action/p/c/set param v type bit16");
	RUN_OK(a, "create action/p/c/gone");
	RUN_OK(a, "create table/p/c/t type ternary keysz 64 table_acts act "
		  "name p/c/set");
	RUN_OK(a, "create table/p/c/u type exact keysz 8");
	RUN_OK(b, "create pipeline/p numtables 1");
	RUN_OK(b, "create action/p/c/set param v type bit32");
	RUN_OK(b, "create table/p/c/t type ternary keysz 72 table_acts act "
		  "name p/c/set flags defaultonly default_miss_action action "
		  "p/c/set param v 1");
	set_keys(b, "p/c/t",
		 "a:bit32:exact b:bit16:ternary c:bit13:exact d:bit3:exact "
		 "e:bit8:exact");
	CHECK_INT(p4x_p4tc__cross_check(a, "a.template", b, "b.json", "p",
					collect, &c),
		  (int)P4X_ARRAY_SIZE(want));
	CHECK_INT(c.n, (int)P4X_ARRAY_SIZE(want));
	for (int i = 0; i < c.n && i < (int)P4X_ARRAY_SIZE(want); i++)
		CHECK_STR(c.lines[i], want[i]);
	CHECK_INT(p4x_p4tc__cross_check(a, "a", b, "b", "nope", NULL, NULL),
		  -ENOENT);
	p4x_p4tc__free(a);
	p4x_p4tc__free(b);
}

int main(void)
{
	test_pipeline_ids();
	test_action_ids();
	test_tables_and_sealing();
	test_entries();
	test_externs();
	test_get_and_usage();
	test_script();
	test_script_keeps_existing();
	test_json_errors();
	test_cross_check();
	return check_done();
}
