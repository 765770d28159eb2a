// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4xskd's P4TC program loading over an engine of memory ports: a load
 * while traffic flows switches the workers to the program (routing
 * forwards routing.stf's frame with its entries), a reload keeps the
 * tables, another program replaces it, and failed loads (no program
 * directory, a program whose C does not build) change nothing: the
 * running program stays and no pipeline is left behind.
 * Usage: test_daemon_progload SRCDIR
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "p4x/port_mem.h"

#include "check.h"
#include "daemon.h"
#include "p4rt.h"
#include "progload.h"

static struct p4xd d;
static const char *src;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* routing.stf: one frame in on port 0, out on port 1 */
static const uint8_t in_frame[] = {
	0x00, 0x90, 0xfb, 0x65, 0xd6, 0xfe, 0x02, 0x03, 0x04, 0x05, 0x06,
	0x01, 0x08, 0x00, 0x45, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00,
	0x40, 0x11, 0x65, 0x6c, 0x0b, 0x00, 0x00, 0x01, 0x0a, 0x63, 0x00,
	0x01, 0x04, 0xd3, 0x10, 0xe1, 0x00, 0x08, 0xd4, 0xc5};
static const uint8_t out_frame[] = {
	0x13, 0x37, 0x13, 0x37, 0x13, 0x37, 0x02, 0x03, 0x04, 0x05, 0x06,
	0x01, 0x08, 0x00, 0x45, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00,
	0x3f, 0x11, 0x66, 0x6c, 0x0b, 0x00, 0x00, 0x01, 0x0a, 0x63, 0x00,
	0x01, 0x04, 0xd3, 0x10, 0xe1, 0x00, 0x08, 0xd4, 0xc5};

static void setup(void)
{
	struct p4x_engine_opts o = {.sz = sizeof(o), .nb_frames = 1024};
	struct p4x_prog prog;
	unsigned int i;

	d.engine = p4x_engine__new(&o);
	CHECK(d.engine);
	for (i = 0; i < 2; i++)
		CHECK(p4x_engine__add_port(
			      d.engine,
			      p4x_port_mem__new(i ? "m1" : "m0", 1,
						p4x_engine__pool(d.engine))) >=
		      0);
	CHECK_EQ(p4x_prog_fwd__init(&prog, NULL, 0), 0);
	CHECK_EQ(p4x_engine__set_prog(d.engine, &prog), 0);
	d.prog_name = prog.ops->name;
	CHECK_EQ(p4x_engine__start(d.engine), 0);
}

static int load(const char *prog, struct p4x_ctl_err *err)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s/examples/%s", src, prog);
	memset(err, 0, sizeof(*err));
	return p4xd_prog_load(&d, dir, err);
}

/* One entry into table @tbl of routing: key and one action. */
static void add(const char *tbl, const char *key, const char *val,
		const char *act, const struct p4x_p4tc_param_value *pv,
		unsigned int npv)
{
	struct p4x_p4tc_key_value kv = {key, val};
	struct p4x_p4tc_entry_spec spec = {
		.sz = sizeof(spec),
		.nkeys = 1,
		.keys = &kv,
		.has_action = true,
		.action = {.action = act, .nparams = npv, .params = pv}};
	struct p4x_ctl_err err;
	struct p4xd_rt_pipe *rp = p4xd_p4__pipe(d.p4, "routing", &err);
	struct p4xd_rt_table *rt;
	struct p4x_p4tc_entry_def e;
	struct p4x_table_txn *txn;
	char path[128], why[256];

	CHECK(rp);
	snprintf(path, sizeof(path), "routing/%s", tbl);
	CHECK_EQ(p4x_p4tc__entry_build(d.p4->m, path, &spec, &e, why,
				       sizeof(why)),
		 0);
	rt = p4xd_rt_pipe__table(rp, tbl, &err);
	CHECK(rt);
	txn = p4x_table__txn_begin(rt->t);
	CHECK(txn);
	CHECK_EQ(p4x_table_txn__add(
			 txn,
			 &(struct p4x_table_entry_spec){
				 .sz = sizeof(struct p4x_table_entry_spec),
				 .key = e.key,
				 .mask = e.mask,
				 .prio = e.prio,
				 .act_id = e.act.act_id,
				 .params = e.act.params,
				 .params_len = e.act.params_bytes},
			 why, sizeof(why)),
		 0);
	p4x_table_txn__commit(txn);
}

/* Inject routing.stf's frame on m0; true if m1 sent out_frame. */
static bool routed(void)
{
	struct p4x_port *m0 = p4x_engine__port(d.engine, 0);
	struct p4x_port *m1 = p4x_engine__port(d.engine, 1);
	double end = now_s() + 5;
	struct p4x_port_stats st;
	uint8_t buf[256];
	uint64_t rx0;
	int n;

	CHECK_EQ(p4x_engine__port_stats(d.engine, 0, &st), 0);
	rx0 = st.cnt[P4X_PORT_CNT_RX_PACKETS];
	CHECK_EQ(p4x_port_mem__inject(m0, 0, in_frame, sizeof(in_frame)), 0);
	do {
		CHECK(now_s() < end);
		usleep(500);
		CHECK_EQ(p4x_engine__port_stats(d.engine, 0, &st), 0);
	} while (st.cnt[P4X_PORT_CNT_RX_PACKETS] == rx0);
	usleep(20000);
	n = p4x_port_mem__capture(m1, buf, sizeof(buf), NULL);
	return n == (int)sizeof(out_frame) && !memcmp(buf, out_frame, n);
}

static void test_routing(void)
{
	static const struct p4x_p4tc_param_value nh[] = {
		{"dmac", "13:37:13:37:13:37"}, {"port", "2"}};
	static const struct p4x_p4tc_param_value nhid[] = {{"index", "1"}};
	struct p4x_ctl_err err;

	CHECK(!routed()); /* the built-in program without rules drops */
	CHECK_EQ(load("routing", &err), 0);
	CHECK(!strcmp(d.prog_name, "p4tc:routing"));
	CHECK(!routed()); /* no entries: fib miss -> nh 0 -> drop */
	/* m1 is engine port 1: memory ports are numbered ifindex port + 1 */
	add("Main/nh_table", "nh_index", "1", "set_nh", nh, 2);
	add("Main/fib_table", "prefix", "10.0.0.0/8", "set_nhid", nhid, 1);
	CHECK(routed());
	/* a reload of the same program keeps the pipeline and its entries */
	CHECK_EQ(load("routing", &err), 0);
	CHECK(routed());
	CHECK(p4xd_prog_uses(&d, "routing"));
}

/* A copy of simple_l3 whose control block does not compile. */
static void broken_copy(char *dir, size_t sz)
{
	static const char *const files[] = {
		"simple_l3.template", "simple_l3.json", "simple_l3_parser.h",
		"simple_l3_parser.c"};
	char cmd[PATH_MAX * 2 + 64];
	unsigned int i;
	FILE *f;

	snprintf(dir, sz, "/tmp/p4xs-progload-XXXXXX");
	CHECK(mkdtemp(dir));
	for (i = 0; i < P4X_ARRAY_SIZE(files); i++) {
		snprintf(cmd, sizeof(cmd), "cp %s/examples/simple_l3/%s %s/",
			 src, files[i], dir);
		CHECK_EQ(system(cmd), 0);
	}
	snprintf(cmd, sizeof(cmd), "%s/simple_l3_control_blocks.c", dir);
	f = fopen(cmd, "w");
	CHECK(f);
	fputs("int tc_ingress_func(void) { return missing_symbol; }\n", f);
	fclose(f);
}

static void test_refusals(void)
{
	char dir[64], cmd[128];
	struct p4x_ctl_err err;

	CHECK(load("nosuch", &err) < 0);
	CHECK(strstr(err.msg, "No such file or directory"));
	memset(&err, 0, sizeof(err));
	CHECK(p4xd_prog_load(&d, src, &err) < 0);
	CHECK(strstr(err.msg, "no *.template"));
	broken_copy(dir, sizeof(dir));
	memset(&err, 0, sizeof(err));
	CHECK(p4xd_prog_load(&d, dir, &err) < 0);
	CHECK(err.msg[0]);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_EQ(system(cmd), 0);
	/* nothing changed: same program, no simple_l3 pipeline left */
	CHECK(!strcmp(d.prog_name, "p4tc:routing"));
	CHECK(!p4x_p4tc__pipeline_get(d.p4->m, "simple_l3"));
	CHECK(routed());
}

static void test_other_program(void)
{
	struct p4x_ctl_err err;

	CHECK_EQ(load("simple_l3", &err), 0);
	CHECK(!strcmp(d.prog_name, "p4tc:simple_l3"));
	CHECK(!routed()); /* UDP: simple_l3's parser rejects it */
	CHECK(!p4xd_prog_uses(&d, "routing"));
	CHECK_EQ(load("routing", &err), 0);
	CHECK(routed()); /* routing's entries outlived simple_l3 */
}

int main(int argc, char **argv)
{
	CHECK(argc == 2);
	src = argv[1];
	setup();
	test_routing();
	test_refusals();
	test_other_program();
	p4x_engine__free(d.engine);
	p4xd_prog_free(&d);
	p4xd_p4__free(d.p4);
	printf("p4xskd program loading: ok\n");
	return 0;
}
