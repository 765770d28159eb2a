// SPDX-License-Identifier: BSD-3-Clause
/*
 * Loading and building programs: loader refusals (missing file, an
 * object that is not a P4TC program, a missing table callback, an object
 * already bound), port mapping callbacks, header growth past the frame
 * headroom, and p4x_p4rt__build() on a program directory (the object it
 * builds runs; template/JSON disagreements, C tables the template lacks,
 * key sizes that differ and compiler failures are refused).
 *
 * Also recirculation, bounded (a fixture program, recirc_prog.c).
 *
 * Usage: test_p4rt_load EXAMPLES_SRC_DIR EXAMPLES_BUILD_DIR RECIRC_SO
 */
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "p4rt_test.h"

static const char *src_dir, *obj_dir, *recirc_so;
static char tmp_dir[] = "/tmp/p4x_p4rt_test.XXXXXX";

#define RT_IN                                                             \
	"0090fb65 d6fe0203 04050601 08004500 001c0001 00004011 656c0b00 " \
	"00010a63 000104d3 10e10008 d4c5"
#define RT_OUT                                                            \
	"13371337 13370203 04050601 08004500 001c0001 00003f11 666c0b00 " \
	"00010a63 000104d3 10e10008 d4c5"

static void so_path(char *buf, size_t sz, const char *name)
{
	snprintf(buf, sz, "%s/%s/%s.so", obj_dir, name, name);
}

static struct p4x_table *no_table(void *arg, uint32_t pipeid, uint32_t tblid)
{
	return NULL;
}

static void test_load_errors(void)
{
	struct p4x_p4rt_env env = {.table = no_table};
	struct p4x_p4rt_opts o = {.sz = sizeof(o), .pipeid = 1};
	struct p4x_p4rt_env no_cb = {0};
	struct p4x_p4rt *a, *b;
	char so[512], err[512];

	CHECK(!p4x_p4rt__load("/nonexistent.so", &env, &o, err, sizeof(err)),
	      "missing file");
	CHECK_EQ(errno, ENOENT);
	CHECK(strstr(err, "/nonexistent.so"), "%s", err);
	snprintf(so, sizeof(so), "%s/sched/p4x_sched_lstf.so", obj_dir);
	CHECK(!p4x_p4rt__load(so, &env, &o, err, sizeof(err)), "not P4TC");
	CHECK_EQ(errno, ENOEXEC);
	CHECK(strstr(err, "not a P4TC program object"), "%s", err);
	so_path(so, sizeof(so), "routing");
	CHECK(!p4x_p4rt__load(so, &no_cb, &o, err, sizeof(err)), "no cb");
	CHECK_EQ(errno, EINVAL);
	a = p4x_p4rt__load(so, &env, &o, err, sizeof(err));
	CHECK(a, "%s", err);
	CHECK(!p4x_p4rt__load(so, &env, &o, err, sizeof(err)), "bound");
	CHECK_EQ(errno, EBUSY);
	CHECK(strstr(err, "already bound"), "%s", err);
	p4x_p4rt__free(a);
	b = p4x_p4rt__load(so, &env, &o, err, sizeof(err));
	CHECK(b, "reload after free: %s", err);
	p4x_p4rt__free(b);
	p4x_p4rt__free(NULL);
}

/* Engine port p is ifindex 10 * (p + 1). */
static uint32_t tens_ifindex(void *arg, uint16_t port)
{
	return 10u * (port + 1u);
}

static int tens_port(void *arg, uint32_t ifindex)
{
	return ifindex % 10 || !ifindex ? -1 : (int)(ifindex / 10 - 1);
}

static void test_port_mapping(void)
{
	struct p4x_p4rt_env ports = {.port_ifindex = tens_ifindex,
				     .ifindex_port = tens_port};
	uint8_t in[128], exp[128];
	uint32_t n = h_hex(RT_IN, in), m = h_hex(RT_OUT, exp);
	struct harness h;
	struct h_out o;
	char so[512];

	so_path(so, sizeof(so), "routing");
	h_open_env(&h, src_dir, so, "routing", NULL, &ports);
	h_add(&h, "Main/fib_table",
	      (const char *[]){"prefix", "10.0.0.0/8", NULL}, "Main/set_nhid",
	      (const char *[]){"index", "1", NULL});
	h_add(&h, "Main/nh_table", (const char *[]){"nh_index", "1", NULL},
	      "Main/set_nh",
	      (const char *[]){"dmac", "13:37:13:37:13:37", "port", "30",
			       NULL});
	h_run(&h, 0, in, n, &o);
	CHECK_EQ(o.verdict, P4X_VERDICT_TX);
	CHECK_EQ(o.out_port, 2);
	CHECK(o.len == m && !memcmp(o.data, exp, m), "routed bytes");
	h_close(&h);

	/* arp_respond replies on istd.input_port: ifindex 20 is port 1 */
	so_path(so, sizeof(so), "arp_respond");
	h_open_env(&h, src_dir, so, "arp_respond", NULL, &ports);
	h_add(&h, "ingress/arp_table",
	      (const char *[]){"IPaddr", "10.0.0.20", NULL},
	      "ingress/arp_reply",
	      (const char *[]){"rmac", "00:01:02:03:04:20", NULL});
	n = h_hex("ffffffff ffff1000 0001aabb 08060001 08000604 00011000 "
		  "0001aabb 0a000001 00000000 00000a00 0014",
		  in);
	h_run(&h, 1, in, n, &o);
	CHECK_EQ(o.verdict, P4X_VERDICT_TX);
	CHECK_EQ(o.out_port, 1);
	h_close(&h);
}

static void test_headroom(void)
{
	uint8_t in[128];
	uint32_t n = h_hex("0090fb65 d6fe0203 04050601 08004500 001c0001 "
			   "00004011 666c0a00 00010a63 000104d3 10e10008 d5c5",
			   in);
	uint64_t cnt[P4X_P4RT_CNT__COUNT];
	struct harness h;
	struct h_out o;
	char so[512];

	so_path(so, sizeof(so), "ipip");
	h_open(&h, src_dir, so, "ipip", NULL);
	h_add(&h, "Main/fwd_table", (const char *[]){"port", "1", NULL},
	      "Main/set_ipip",
	      (const char *[]){"src", "2.2.2.2", "dst", "2.4.4.8", "port", "2",
			       NULL});
	/* 20 bytes of encapsulation need 20 bytes of headroom */
	h_run_room(&h, 0, in, n, 19, &o);
	CHECK_EQ(o.verdict, P4X_VERDICT_DROP);
	CHECK_EQ(o.drop_reason, P4X_DROP_PROG_DROP);
	p4x_p4rt__counters(h.rt, cnt);
	CHECK_EQ(cnt[P4X_P4RT_CNT_ADJ_FAIL], 1);
	h_run_room(&h, 0, in, n, 20, &o);
	CHECK_EQ(o.verdict, P4X_VERDICT_TX);
	CHECK_EQ(o.len, n + 20);
	h_close(&h);
}

static struct p4x_pkt recirc_run(struct p4x_prog *prog, uint8_t passes,
				 uint8_t *seen)
{
	uint8_t buf[H_HEADROOM + 16] = {0};
	struct p4x_pkt p = {.addr = H_HEADROOM,
			    .data = buf + H_HEADROOM,
			    .len = 16,
			    .out_port = UINT16_MAX};

	buf[H_HEADROOM] = passes;
	if (prog->ops->parse(prog->ctx, &p) == 0)
		prog->ops->main(prog->ctx, &p);
	*seen = buf[H_HEADROOM + 1];
	return p;
}

static void test_recirculate(void)
{
	struct p4x_p4rt_env env = {.table = no_table};
	struct p4x_p4rt_opts o = {
		.sz = sizeof(o), .pipeid = 1, .recirc_max = 3};
	uint64_t cnt[P4X_P4RT_CNT__COUNT];
	struct p4x_p4rt *rt;
	struct p4x_prog prog;
	struct p4x_pkt p;
	char err[512];
	uint8_t seen;

	rt = p4x_p4rt__load(recirc_so, &env, &o, err, sizeof(err));
	CHECK(rt, "%s", err);
	p4x_p4rt__prog(rt, &prog);
	CHECK(!strcmp(prog.ops->name, "p4tc:p4rt_recirc_prog"), "%s",
	      prog.ops->name);
	p = recirc_run(&prog, 0, &seen);
	CHECK(p.verdict == P4X_VERDICT_TX && p.out_port == 1 && seen == 1,
	      "no recirculation");
	p = recirc_run(&prog, 3, &seen);
	CHECK(p.verdict == P4X_VERDICT_TX && p.out_port == 1 && seen == 4,
	      "3 recirculations: %u passes", seen);
	p = recirc_run(&prog, 0xff, &seen);
	CHECK(p.verdict == P4X_VERDICT_DROP &&
		      p.drop_reason == P4X_DROP_PROG_DROP && seen == 4,
	      "bounded: %u passes", seen);
	p4x_p4rt__counters(rt, cnt);
	CHECK_EQ(cnt[P4X_P4RT_CNT_RECIRC], 6);
	CHECK_EQ(cnt[P4X_P4RT_CNT_RECIRC_MAX], 1);
	prog.ops->destroy(prog.ctx);
}

static void run_cmd(const char *fmt, const char *a, const char *b)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), fmt, a, b);
	CHECK_EQ(system(cmd), 0);
}

/* A copy of examples/routing in tmp_dir/<sub>, with file @file (NULL:
 * none) edited by sed @edit, or removed if @edit is NULL. */
static void copy_prog(char *dir, size_t sz, const char *sub, const char *file,
		      const char *edit)
{
	char f[1024];

	snprintf(dir, sz, "%s/%s", tmp_dir, sub);
	CHECK_EQ(mkdir(dir, 0700), 0);
	run_cmd("cp %s/routing/routing* %s/", src_dir, dir);
	if (file) {
		snprintf(f, sizeof(f), "%s/%s", dir, file);
		if (edit)
			run_cmd("sed -i '%s' %s", edit, f);
		else
			CHECK_EQ(unlink(f), 0);
	}
}

static void build_fails(const char *sub, const char *file, const char *edit,
			int code, const char *msg)
{
	char dir[512], out[600], err[1024];

	copy_prog(dir, sizeof(dir), sub, file, edit);
	snprintf(out, sizeof(out), "%s/out.so", dir);
	CHECK_EQ(p4x_p4rt__build(dir, out, NULL, err, sizeof(err)), code);
	CHECK(strstr(err, msg), "%s: %s", sub, err);
	CHECK(access(out, F_OK) != 0, "%s: object left behind", sub);
}

/* The object at @so routes the STF frame of routing.stf. */
static void check_routes(const char *so)
{
	uint8_t in[128], exp[128];
	uint32_t n = h_hex(RT_IN, in), m = h_hex(RT_OUT, exp);
	struct harness h;
	struct h_out o;

	h_open(&h, src_dir, so, "routing", NULL);
	h_add(&h, "Main/fib_table",
	      (const char *[]){"prefix", "10.0.0.0/8", NULL}, "Main/set_nhid",
	      (const char *[]){"index", "1", NULL});
	h_add(&h, "Main/nh_table", (const char *[]){"nh_index", "1", NULL},
	      "Main/set_nh",
	      (const char *[]){"dmac", "13:37:13:37:13:37", "port", "2", NULL});
	h_run(&h, 0, in, n, &o);
	CHECK(o.verdict == P4X_VERDICT_TX && o.len == m &&
		      !memcmp(o.data, exp, m),
	      "%s routes", so);
	h_close(&h);
}

static void test_build(void)
{
	char dir[512], out[600], err[1024];

	CHECK(mkdtemp(tmp_dir), "mkdtemp");
	copy_prog(dir, sizeof(dir), "ok", NULL, NULL);
	snprintf(out, sizeof(out), "%s/routing.so", tmp_dir);
	CHECK_EQ(p4x_p4rt__build(dir, out, NULL, err, sizeof(err)), 0);
	check_routes(out);
	/* clang builds it too (the compat headers are compiler-neutral) */
	if (access("/usr/bin/clang", X_OK) == 0) {
		struct p4x_p4rt_build_opts bo = {.sz = sizeof(bo),
						 .cc = "clang"};

		snprintf(out, sizeof(out), "%s/routing-clang.so", tmp_dir);
		CHECK_EQ(p4x_p4rt__build(dir, out, &bo, err, sizeof(err)), 0);
		check_routes(out);
	}
	CHECK_EQ(p4x_p4rt__build("/nonexistent", out, NULL, err, sizeof(err)),
		 -ENOENT);
	build_fails("json", "routing.json", "s/\"0x3da4\"/\"0x3fff\"/", -EINVAL,
		    "permissions");
	build_fails("tblid", "routing_control_blocks.c",
		    "s/\\.tblid = 2/.tblid = 5/", -EINVAL, "table id 5");
	build_fails("keysz", "routing_control_blocks.c",
		    "0,/key.keysz = 32/s//key.keysz = 24/", -EINVAL,
		    "24 bits in the C");
	build_fails("cc", "routing_parser.c", "$a this is not C", -ENOEXEC,
		    "compiling the program");
	build_fails("nofile", "routing_parser.h", NULL, -ENOENT,
		    "routing_parser.h");
	run_cmd("rm -rf %s%s", tmp_dir, "");
}

int main(int argc, char **argv)
{
	CHECK(argc == 4,
	      "usage: %s <examples dir> <examples build dir> <recirc .so>",
	      argv[0]);
	src_dir = argv[1];
	obj_dir = argv[2];
	recirc_so = argv[3];
	rcu_register_thread();
	rcu_thread_offline();
	test_load_errors();
	test_port_mapping();
	test_headroom();
	test_recirculate();
	test_build();
	rcu_thread_online();
	rcu_unregister_thread();
	printf("p4rt load/build: ok\n");
	return 0;
}
