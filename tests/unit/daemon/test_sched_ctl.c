// SPDX-License-Identifier: BSD-3-Clause
/*
 * Egress schedulers in the daemon, without privileges: the "POLICY[,k=v]"
 * parser (values, units, errors that say what and why), --sched checks,
 * and p4xsk sched show|set|load driven by the real CLI code against the
 * server over an engine of memory ports (m0 forwards to m1, which is
 * scheduled): JSON parsed back, text, refused changes that change
 * nothing. argv[1]: the lstf example policy object.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <json-c/json.h>

#include "p4x/port_mem.h"

#include "check.h"
#include "cli.h"
#include "daemon.h"
#include "sched_ctl.h"

static struct p4xd d;
static char sock_path[64];
static int stop_pipe[2];

static void spec_ok(const char *text, bool at_start, struct p4xd_sched_spec *s)
{
	char err[256] = "";

	if (p4xd_sched_spec_parse(text, at_start, s, err, sizeof(err))) {
		fprintf(stderr, "'%s' refused: %s\n", text, err);
		exit(1);
	}
}

static void spec_err(const char *text, bool at_start, const char *want)
{
	struct p4xd_sched_spec s;
	char err[256] = "";

	CHECK_EQ(p4xd_sched_spec_parse(text, at_start, &s, err, sizeof(err)),
		 -EINVAL);
	CHECK_STR(err, want);
}

static void test_spec(void)
{
	struct p4xd_sched_spec s;

	spec_ok("wfq,weight=3/1/2,rate=10mbit,burst=9000,limit=100,"
		"bytes=200000,classes=4,flows=64,buckets=256,rank_shift=4,"
		"time_shift=12,drop=worst,class=2,dscp=46:0/10:1,"
		"dport=9001:0/53:3,fair=class",
		true, &s);
	CHECK(!s.load && s.b == P4X_SCHED_WFQ);
	CHECK_EQ(s.params.cls[0].weight, 3);
	CHECK_EQ(s.params.cls[1].weight, 1);
	CHECK_EQ(s.params.cls[2].weight, 2);
	CHECK_EQ(s.params.flags, P4X_SCHED_P_FAIR_BY_CLASS);
	CHECK(s.has_rate && s.rate == 1250000 && s.has_burst &&
	      s.burst == 9000);
	CHECK_EQ(s.shape.max_pkts, 100);
	CHECK_EQ(s.shape.max_bytes, 200000);
	CHECK_EQ(s.shape.nb_classes, 4);
	CHECK_EQ(s.shape.nb_flows, 64);
	CHECK_EQ(s.shape.nb_buckets, 256);
	CHECK_EQ(s.shape.rank_shift, 4);
	CHECK_EQ(s.shape.time_shift, 12);
	CHECK_EQ(s.shape.drop_policy, P4X_SCHED_DROP_WORST);
	CHECK(s.has_cls && s.cls.def_class == 2);
	CHECK_EQ(s.cls.dscp_mask, (1ull << 46) | (1ull << 10));
	CHECK_EQ(s.cls.dscp_class[10], 1);
	CHECK_EQ(s.cls.nb_dports, 2);
	CHECK_EQ(s.cls.dports[1].dport, 53);
	CHECK_EQ(s.cls.dports[1].cls, 3);
	spec_ok("tbf,crate=8kbit/2mbps,cburst=100/200,rate=1gbit", false, &s);
	CHECK_EQ(s.params.cls[0].rate, 1000);
	CHECK_EQ(s.params.cls[1].rate, 2000000);
	CHECK_EQ(s.params.cls[1].burst, 200);
	CHECK_EQ(s.rate, 125000000);
	spec_ok("edf,budget=500", false, &s);
	CHECK_EQ(s.params.cls[0].budget_ns, 500000);
	spec_ok("/x/lstf.so,slack_us=5,weight=2", false, &s);
	CHECK(s.load);
	CHECK_STR(s.policy, "/x/lstf.so");
	CHECK_STR(s.ptext, "slack_us=5,weight=2");
	spec_ok("fifo", false, &s);
	CHECK(!s.has_rate && !s.has_cls && !s.has_shape);

	spec_err("", true,
		 "missing policy (fifo, strict, wfq, drr, edf, tbf or a policy "
		 ".so)");
	spec_err("pifo", true,
		 "unknown policy 'pifo' (fifo, strict, wfq, drr, edf, tbf or "
		 "the path of a policy .so)");
	spec_err("wfq,weight", true, "'weight': expected key=value");
	spec_err("wfq,speed=1", true, "unknown key 'speed' for policy wfq");
	spec_err("wfq,limit=10", false,
		 "limit: only at start (p4xskd --sched or config)");
	spec_err("wfq,weight=3/0", true,
		 "weight=3/0: expected weights 1..65535 per class, e.g. 3/1");
	spec_err("wfq,rate=10furlongs", true,
		 "rate=10furlongs: expected a rate such as 10mbit or 2mbps "
		 "(tc units)");
	spec_err("wfq,dscp=64:1", true,
		 "dscp=64:1: expected DSCP:CLASS[/DSCP:CLASS...]");
	spec_err(
		"wfq,dport=80:64", true,
		"dport=80:64: expected PORT:CLASS[/PORT:CLASS...], at most 16");
	spec_err("wfq,drop=head", true, "drop=head: expected tail or worst");
	spec_err("wfq,rank_shift=64", true,
		 "rank_shift=64: expected an integer 0..63");
	spec_err("wfq,fair=port", true, "fair=port: expected flow or class");
}

static void test_flag(void)
{
	struct p4xd_config cfg;
	char err[256];

	p4xd_config_init(&cfg);
	CHECK_EQ(p4xd_parse_sched("dp1", &cfg.sched, err, sizeof(err)),
		 -EINVAL);
	CHECK_STR(err, "expected PORT:POLICY[,key=value...]");
	CHECK_EQ(p4xd_parse_sched("dp1:wfq,x=1", &cfg.sched, err, sizeof(err)),
		 -EINVAL);
	CHECK_STR(err, "unknown key 'x' for policy wfq");
	CHECK_EQ(cfg.sched.n, 0);
	CHECK_EQ(p4xd_parse_sched("dp1:strict,rate=1mbit", &cfg.sched, err,
				  sizeof(err)),
		 0);
	CHECK_STR(cfg.sched.v[0].port, "dp1");
	CHECK_STR(cfg.sched.v[0].spec, "strict,rate=1mbit");
	CHECK_EQ(p4xd_sched_cfg_check(&cfg, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "scheduler for 'dp1': not a configured port");
	snprintf(cfg.ports.v[0].name, sizeof(cfg.ports.v[0].name), "dp1");
	cfg.ports.n = 1;
	CHECK_EQ(p4xd_sched_cfg_check(&cfg, err, sizeof(err)), 0);
	CHECK_EQ(p4xd_parse_sched("dp1:fifo", &cfg.sched, err, sizeof(err)), 0);
	CHECK_EQ(p4xd_sched_cfg_check(&cfg, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "port dp1 has two schedulers");
}

/* The JSON key "sched": strings in flag syntax or objects. */
static void test_json(void)
{
	struct p4xd_config cfg;
	char err[256];

	p4xd_config_init(&cfg);
	CHECK_EQ(p4xd_config_parse_json(
			 &cfg,
			 "{\"sched\": [\"dp0:strict\", {\"port\": \"dp1\", "
			 "\"policy\": \"wfq\", \"params\": \"weight=3/1\"}]}",
			 "c.json", err, sizeof(err)),
		 0);
	CHECK_EQ(cfg.sched.n, 2);
	CHECK_STR(cfg.sched.v[0].spec, "strict");
	CHECK_STR(cfg.sched.v[1].port, "dp1");
	CHECK_STR(cfg.sched.v[1].spec, "wfq,weight=3/1");
	p4xd_config_init(&cfg);
	CHECK_EQ(p4xd_config_parse_json(
			 &cfg,
			 "{\"sched\": [{\"port\": \"dp1\", \"policy\": "
			 "\"wfq\", \"params\": \"weight=0\"}]}",
			 "c.json", err, sizeof(err)),
		 -EINVAL);
	CHECK_STR(err, "c.json: sched[0]: weight=0: expected weights 1..65535 "
		       "per class, e.g. 3/1");
	CHECK_EQ(p4xd_config_parse_json(&cfg,
					"{\"sched\": [{\"policy\": \"wfq\"}]}",
					"c.json", err, sizeof(err)),
		 -EINVAL);
	CHECK_STR(err, "c.json: sched[0]: missing key 'port'");
}

/* ---- Over the server ---- */

static void inject(uint16_t dport, unsigned int n)
{
	uint8_t f[100] = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00, 0x45};
	unsigned int i;

	f[17] = 86; /* IPv4 total length */
	f[23] = 17; /* UDP */
	f[38] = 0;
	f[39] = 66; /* UDP length */
	f[36] = (uint8_t)(dport >> 8);
	f[37] = (uint8_t)dport;
	for (i = 0; i < n; i++) {
		while (p4x_port_mem__inject(p4x_engine__port(d.engine, 0), 0, f,
					    sizeof(f)) == -ENOSPC)
			usleep(1000);
	}
}

static void setup(void)
{
	struct p4x_engine_opts o = {.sz = sizeof(o), .nb_frames = 4096};
	struct p4x_fwd_rule r = {.in_port = 0, .out_port = 1};
	struct p4x_port_stats st = {0};
	struct p4x_prog prog;
	char err[256];
	int i;

	d.engine = p4x_engine__new(&o);
	CHECK(d.engine);
	CHECK(p4x_engine__add_port(
		      d.engine,
		      p4x_port_mem__new("m0", 1, p4x_engine__pool(d.engine))) ==
	      0);
	CHECK(p4x_engine__add_port(
		      d.engine,
		      p4x_port_mem__new("m1", 1, p4x_engine__pool(d.engine))) ==
	      1);
	CHECK_EQ(p4x_prog_fwd__init(&prog, &r, 1), 0);
	CHECK_EQ(p4x_engine__set_prog(d.engine, &prog), 0);
	p4xd_config_init(&d.cfg);
	CHECK_EQ(p4xd_parse_sched("m1:wfq,weight=3/1,rate=8mbit,"
				  "dport=9001:0/9002:1,limit=1024",
				  &d.cfg.sched, err, sizeof(err)),
		 0);
	d.start_ms = p4xd_now_ms();
	CHECK_EQ(p4xd_sched__setup(&d), 0);
	CHECK_EQ(p4x_engine__start(d.engine), 0);
	inject(9001, 30);
	inject(9002, 10);
	for (i = 0; i < 10000 && st.cnt[P4X_PORT_CNT_TX_PACKETS] < 40; i++) {
		usleep(1000);
		CHECK_EQ(p4x_engine__port_stats(d.engine, 1, &st), 0);
	}
	CHECK_EQ(st.cnt[P4X_PORT_CNT_TX_PACKETS], 40);
}

static void *serve(void *arg)
{
	CHECK_EQ(p4xd_serve(&d), 0);
	return NULL;
}

static char *cli(int code, const char *want_err, ...)
{
	char *argv[16] = {"p4xsk", "--sock", sock_path}, *out = NULL;
	char *err = NULL;
	size_t olen = 0, elen = 0;
	FILE *fo = open_memstream(&out, &olen);
	FILE *fe = open_memstream(&err, &elen);
	int argc = 3, ret;
	va_list ap;

	va_start(ap, want_err);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	ret = p4xsk_main(argc, argv, fo, fe);
	fclose(fo);
	fclose(fe);
	CHECK_STR(err, want_err);
	CHECK_EQ(ret, code);
	free(err);
	return out;
}

static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v)) {
		fprintf(stderr, "missing JSON key '%s' in %s\n", key,
			json_object_to_json_string(o));
		exit(1);
	}
	return v;
}

/* `p4xsk -j sched show m1`, the one port object. */
static struct json_object *show_m1(struct json_object **root)
{
	char *out = cli(0, "", "-j", "sched", "show", "m1", NULL);
	struct json_object *arr;

	*root = json_tokener_parse(out);
	free(out);
	CHECK(*root);
	arr = get(*root, "sched");
	CHECK_EQ(json_object_array_length(arr), 1);
	return json_object_array_get_idx(arr, 0);
}

static const char *policy_of_m1(void)
{
	static char name[64];
	struct json_object *root, *m1 = show_m1(&root);

	snprintf(name, sizeof(name), "%s",
		 json_object_get_string(get(m1, "policy")));
	json_object_put(root);
	return name;
}

static void test_show(void)
{
	struct json_object *root, *m1 = show_m1(&root), *cls, *c0, *c1;
	char *out;

	CHECK_STR(json_object_get_string(get(m1, "port")), "m1");
	CHECK_STR(json_object_get_string(get(m1, "policy")), "wfq");
	CHECK_EQ(json_object_get_int64(get(m1, "rate")), 1000000);
	CHECK_EQ(json_object_get_int(get(m1, "queues")), 1);
	CHECK(json_object_get_boolean(get(m1, "link_up")));
	CHECK_EQ(json_object_get_int64(get(get(m1, "total"), "deq_pkts")), 40);
	cls = get(m1, "classes");
	CHECK_EQ(json_object_array_length(cls), 2);
	c0 = json_object_array_get_idx(cls, 0);
	c1 = json_object_array_get_idx(cls, 1);
	CHECK_EQ(json_object_get_int(get(c0, "class")), 0);
	CHECK_EQ(json_object_get_int64(get(c0, "enq_pkts")), 30);
	CHECK_EQ(json_object_get_int64(get(c0, "enq_bytes")), 3000);
	CHECK_EQ(json_object_get_int64(get(c1, "enq_pkts")), 10);
	CHECK_EQ(json_object_object_length(get(c1, "drops")),
		 P4X_SCHED_DROP__COUNT);
	CHECK(json_object_is_type(get(m1, "flows"), json_type_array));
	CHECK(json_object_is_type(get(get(m1, "policy_stats"), "vtime"),
				  json_type_int));
	json_object_put(root);

	out = cli(0, "", "sched", "show", NULL);
	CHECK(strstr(out, "m1: policy wfq queues 1 link up rate 8Mbit"));
	CHECK(strstr(out, "  spec wfq,weight=3/1,rate=8mbit,"
			  "dport=9001:0/9002:1,limit=1024\n"));
	CHECK(strstr(out, "  class 0   backlog 0p 0b enq 30p deq 30p 3000b"));
	CHECK(!strstr(out, "m0"));
	free(out);
}

static void test_set(const char *obj)
{
	free(cli(0, "", "sched", "set", "m1", "strict", "rate=4mbit", NULL));
	CHECK_STR(policy_of_m1(), "strict");
	free(cli(1, "p4xsk: limit: only at start (p4xskd --sched or config)\n",
		 "sched", "set", "m1", "wfq", "limit=3", NULL));
	free(cli(1,
		 "p4xsk: bad class map: Invalid argument (classes must be "
		 "below the scheduler's classes)\n",
		 "sched", "set", "m1", "wfq", "class=9", NULL));
	free(cli(1,
		 "p4xsk: port m0 has no scheduler (start p4xskd with --sched "
		 "m0:POLICY)\n",
		 "sched", "set", "m0", "fifo", NULL));
	free(cli(1, "p4xsk: no port named 'm9'\n", "sched", "show", "m9",
		 NULL));
	free(cli(1,
		 "p4xsk: sched load: /nonexistent/x.so: No such file or "
		 "directory\n",
		 "sched", "load", "m1", "/nonexistent/x.so", NULL));
	free(cli(1, "p4xsk: x.so is a policy object: use sched load\n", "sched",
		 "set", "m1", "x.so", NULL));
	free(cli(1,
		 "p4xsk: sched: cannot load policy /dev/null: /dev/null: file "
		 "too short\n",
		 "sched", "load", "m1", "/dev/null", NULL));
	CHECK_STR(policy_of_m1(), "strict");
	free(cli(0, "", "sched", "load", "m1", obj, "slack_us=100", NULL));
	CHECK_STR(policy_of_m1(), "lstf");
	free(cli(1,
		 "p4xsk: sched: policy 'lstf': bad parameters 'nosuch=1': "
		 "expected slack_us=<us>,rate=<bytes/s>\n",
		 "sched", "load", "m1", obj, "nosuch=1", NULL));
	CHECK_STR(policy_of_m1(), "lstf");
	free(cli(0, "", "sched", "set", "m1", "wfq", "weight=1/1", NULL));
	CHECK_STR(policy_of_m1(), "wfq");
}

int main(int argc, char **argv)
{
	pthread_t th;
	char dir[64];

	CHECK(argc == 2);
	test_spec();
	test_flag();
	test_json();
	setup();
	snprintf(sock_path, sizeof(sock_path), "/tmp/p4xd-sched-%d/ctl.sock",
		 getpid());
	d.listen_fd = p4x_ctl_listen(sock_path);
	CHECK(d.listen_fd >= 0);
	CHECK_EQ(pipe(stop_pipe), 0);
	d.sig_fd = stop_pipe[0];
	CHECK_EQ(pthread_create(&th, NULL, serve, NULL), 0);
	test_show();
	test_set(argv[1]);
	{
		struct signalfd_siginfo si = {.ssi_signo = 15};

		CHECK_EQ(write(stop_pipe[1], &si, sizeof(si)),
			 (ssize_t)sizeof(si));
	}
	CHECK_EQ(pthread_join(th, NULL), 0);
	close(d.listen_fd);
	unlink(sock_path);
	snprintf(dir, sizeof(dir), "%s", sock_path);
	*strrchr(dir, '/') = '\0';
	rmdir(dir);
	p4x_engine__free(d.engine);
	p4xd_sched__free(&d);
	close(stop_pipe[0]);
	close(stop_pipe[1]);
	printf("sched_ctl: all checks passed\n");
	return 0;
}
