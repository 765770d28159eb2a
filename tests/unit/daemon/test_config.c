// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4xskd configuration: a full JSON file, flags that override its scalars
 * and add to its lists, and each invalid input with its exact message.
 */
#include <errno.h>
#include <stdarg.h>
#include <unistd.h>

#include "p4x/prog.h"

#include "check.h"
#include "config.h"

static const char FULL[] =
	"{ \"sock\": \"/tmp/p4xd-cfg.sock\",\n"
	"  \"ports\": [ { \"name\": \"dp0\", \"queues\": 2 }, \"dp1:1\",\n"
	"             { \"name\": \"dp2\" } ],\n"
	"  \"cores\": [0, \"2-3\"],\n"
	"  \"xdp_mode\": \"generic\",\n"
	"  \"host\": [\"arp\", \"nonip\"],\n"
	"  \"forward\": [ { \"in\": \"dp0\", \"out\": \"dp1\",\n"
	"                 \"dmac\": \"02:00:00:00:02:01\" },\n"
	"               \"dp1=dp0,smac=02:00:00:00:00:aa\" ],\n"
	"  \"replace_stale\": true,\n"
	"  \"log_level\": \"debug\" }\n";

static void test_full_json(void)
{
	static const uint8_t dmac[6] = {2, 0, 0, 0, 2, 1};
	static const uint8_t smac[6] = {2, 0, 0, 0, 0, 0xaa};
	struct p4xd_config cfg;
	char err[256] = "";

	p4xd_config_init(&cfg);
	CHECK_EQ(p4xd_config_parse_json(&cfg, FULL, "t.json", err, sizeof(err)),
		 0);
	CHECK_STR(cfg.sock, "/tmp/p4xd-cfg.sock");
	CHECK_EQ(cfg.ports.n, 3);
	CHECK_STR(cfg.ports.v[0].name, "dp0");
	CHECK_EQ(cfg.ports.v[0].queues, 2);
	CHECK_STR(cfg.ports.v[1].name, "dp1");
	CHECK_EQ(cfg.ports.v[1].queues, 1);
	CHECK_EQ(cfg.ports.v[2].queues, 1);
	CHECK_EQ(cfg.cores.n, 3);
	CHECK(cfg.cores.v[0] == 0 && cfg.cores.v[1] == 2 &&
	      cfg.cores.v[2] == 3);
	CHECK_EQ(cfg.xdp_mode, P4X_XDP_MODE_GENERIC);
	CHECK_EQ(cfg.host_flags, P4X_HOST_ARP | P4X_HOST_ALL_NON_IP);
	CHECK_EQ(cfg.fwd.n, 2);
	CHECK_STR(cfg.fwd.v[0].in, "dp0");
	CHECK_STR(cfg.fwd.v[0].out, "dp1");
	CHECK_EQ(cfg.fwd.v[0].flags, P4X_FWD_SET_DST);
	CHECK(!memcmp(cfg.fwd.v[0].dmac, dmac, 6));
	CHECK_EQ(cfg.fwd.v[1].flags, P4X_FWD_SET_SRC);
	CHECK(!memcmp(cfg.fwd.v[1].smac, smac, 6));
	CHECK(cfg.replace_stale);
	CHECK_EQ(cfg.log_level, P4X_LOG_DEBUG);
	CHECK_EQ(p4xd_config_check(&cfg, err, sizeof(err)), 0);
}

static char path[] = "/tmp/p4xd-cfg-XXXXXX";

static void write_file(const char *text)
{
	FILE *f = fopen(path, "w");

	CHECK(f);
	fputs(text, f);
	fclose(f);
}

static int load(struct p4xd_config *cfg, char *err, size_t len, ...)
{
	char *argv[16] = {"p4xskd"};
	int argc = 1;
	va_list ap;

	va_start(ap, len);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	err[0] = '\0';
	return p4xd_config_load(cfg, argc, argv, err, len);
}

static void test_flags_over_file(void)
{
	struct p4xd_config cfg;
	char err[256];

	write_file("{ \"ports\": [\"dp0\"], \"xdp_mode\": \"native\", "
		   "\"log_level\": \"warn\", \"sock\": \"/tmp/a\" }");
	CHECK_EQ(load(&cfg, err, sizeof(err), "--port", "dp1:2", "-c", path,
		      "--xdp-mode", "auto", "--fwd", "dp0=dp1", "--sock",
		      "/tmp/b", "--cores", "1", "--replace-stale", NULL),
		 0);
	CHECK_STR(err, "");
	CHECK_EQ(cfg.ports.n, 2); /* file's dp0, then the flag's dp1 */
	CHECK_STR(cfg.ports.v[0].name, "dp0");
	CHECK_STR(cfg.ports.v[1].name, "dp1");
	CHECK_EQ(cfg.ports.v[1].queues, 2);
	CHECK_EQ(cfg.xdp_mode, P4X_XDP_MODE_AUTO);
	CHECK_EQ(cfg.log_level, P4X_LOG_WARN);
	CHECK_STR(cfg.sock, "/tmp/b");
	CHECK_EQ(cfg.fwd.n, 1);
	CHECK_EQ(cfg.fwd.v[0].flags, 0);
	CHECK_EQ(cfg.cores.n, 1);
	CHECK(cfg.replace_stale);

	/* No ports at all is a valid control-plane-only daemon. */
	CHECK_EQ(load(&cfg, err, sizeof(err), NULL), 0);
	CHECK_EQ(cfg.ports.n, 0);
	CHECK_EQ(cfg.log_level, P4X_LOG_INFO);
}

static void json_bad(const char *text, const char *msg)
{
	struct p4xd_config cfg;
	char err[256] = "";

	p4xd_config_init(&cfg);
	CHECK_EQ(p4xd_config_parse_json(&cfg, text, "c.json", err, sizeof(err)),
		 -EINVAL);
	CHECK_STR(err, msg);
}

static void test_bad_json(void)
{
	json_bad("{ \"ports\": [", "c.json: invalid JSON at byte 12: "
				   "unexpected end of data");
	json_bad("[1]", "c.json: the top level must be an object");
	json_bad("{\"port\": []}", "c.json: unknown key 'port'");
	json_bad("{\"ports\": {}}", "c.json: ports: expected an array, got "
				    "object");
	json_bad("{\"ports\": [7]}", "c.json: ports[0]: expected an object or "
				     "a string");
	json_bad("{\"ports\": [{\"queues\": 2}]}",
		 "c.json: ports[0]: missing key 'name'");
	json_bad("{\"ports\": [{\"name\": \"a\", \"q\": 2}]}",
		 "c.json: ports[0]: unknown key 'q'");
	json_bad("{\"ports\": [{\"name\": \"a\", \"queues\": \"2\"}]}",
		 "c.json: ports[0]: expected an integer, got string");
	json_bad("{\"ports\": [\"a\", {\"name\": \"b\", \"queues\": 0}]}",
		 "c.json: ports[1]: queues must be an integer 1..256");
	json_bad("{\"ports\": [\"0123456789abcdef\"]}",
		 "c.json: ports[0]: interface name must be 1 to 15 "
		 "characters, no '/'");
	json_bad("{\"cores\": [0, \"x\"]}",
		 "c.json: cores: expected a core list like 0-3,6 (cores "
		 "0..255)");
	json_bad("{\"cores\": [true]}",
		 "c.json: cores[0]: expected a string or an integer");
	json_bad("{\"xdp_mode\": \"fast\"}",
		 "c.json: xdp_mode: expected auto, native or generic");
	json_bad("{\"xdp_mode\": 1}",
		 "c.json: xdp_mode: expected a string, got int");
	json_bad("{\"host\": \"arp,dns\"}", "c.json: host: unknown host class "
					    "'dns' (arp, nd, nonip, none)");
	json_bad("{\"forward\": [{\"in\": \"a\", \"out\": \"b\", "
		 "\"dmac\": \"02:00:00:00:00\"}]}",
		 "c.json: forward[0]: bad MAC address '02:00:00:00:00'");
	json_bad("{\"forward\": [\"a=b,ttl=3\"]}",
		 "c.json: forward[0]: unknown rule option 'ttl=3' (dmac=, "
		 "smac=)");
	json_bad("{\"forward\": [\"ab\"]}",
		 "c.json: forward[0]: expected IN=OUT[,dmac=MAC][,smac=MAC]");
	json_bad("{\"replace_stale\": 1}",
		 "c.json: replace_stale: expected true or false, got int");
	json_bad("{\"log_level\": \"loud\"}",
		 "c.json: log_level: expected warn, info or debug");
	json_bad("{\"sock\": \"\"}",
		 "c.json: sock: socket path must be 1 to 107 bytes");
}

static void load_bad(int code, const char *msg, ...)
{
	char *argv[16] = {"p4xskd"};
	struct p4xd_config cfg;
	char err[256] = "";
	int argc = 1;
	va_list ap;

	va_start(ap, msg);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	CHECK_EQ(p4xd_config_load(&cfg, argc, argv, err, sizeof(err)), code);
	CHECK_STR(err, msg);
}

static void test_bad_flags(void)
{
	load_bad(-EINVAL, "unknown option '--ports'", "--ports", "a", NULL);
	load_bad(-EINVAL, "option '--port' requires an argument", "--port",
		 NULL);
	load_bad(-EINVAL, "unexpected argument 'extra'", "extra", NULL);
	load_bad(-EINVAL,
		 "option --port 'a:x': queues must be an integer "
		 "1..256",
		 "--port", "a:x", NULL);
	load_bad(-EINVAL,
		 "option --xdp-mode 'hw': expected auto, native or "
		 "generic",
		 "--xdp-mode", "hw", NULL);
	load_bad(-EINVAL,
		 "option --cores '3-1': expected a core list like "
		 "0-3,6 (cores 0..255)",
		 "--cores", "3-1", NULL);
	load_bad(-EINVAL, "forward rule a=c: 'c' is not a configured port",
		 "--port", "a", "--port", "b", "--fwd", "a=c", NULL);
	load_bad(-EINVAL, "forward rule a=a: port 'a' already has a rule",
		 "--port", "a", "--port", "b", "--fwd", "a=b", "--fwd", "a=a",
		 NULL);
	load_bad(-EINVAL, "port a is configured twice", "--port", "a", "--port",
		 "a:2", NULL);
	load_bad(-ENOENT,
		 "cannot read config file /nonexistent/p4xd.json: "
		 "No such file or directory",
		 "-c", "/nonexistent/p4xd.json", NULL);
	write_file("{ \"ports\": 3 }");
	{
		char want[128];

		snprintf(want, sizeof(want),
			 "%s: ports: expected an array, got int", path);
		load_bad(-EINVAL, want, "-c", path, NULL);
	}
}

int main(void)
{
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	close(fd);
	test_full_json();
	test_flags_over_file();
	test_bad_json();
	test_bad_flags();
	unlink(path);
	printf("config: all checks passed\n");
	return 0;
}
