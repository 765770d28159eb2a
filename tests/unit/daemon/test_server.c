// SPDX-License-Identifier: BSD-3-Clause
/*
 * The control server over a running engine of two memory ports, served
 * on a thread, driven by the real CLI code (p4xsk_main) and by raw
 * datagrams: show ports/workers/status in JSON (parsed back) and text,
 * daemon-side errors, and malformed requests answered with the exact
 * reason while the daemon keeps serving. Waits are bounded; nothing
 * asserts on timing.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <json-c/json.h>

#include "p4x/port_mem.h"

#include "check.h"
#include "cli.h"
#include "daemon.h"

static struct p4xd d;
static char sock_path[64];
static int stop_pipe[2];

static struct p4x_port *add_mem_port(const char *name)
{
	struct p4x_port *port;

	port = p4x_port_mem__new(name, 1, p4x_engine__pool(d.engine));
	CHECK(port);
	CHECK(p4x_engine__add_port(d.engine, port) >= 0);
	return port;
}

/* Engine with m0, m1 and a forwarding program without rules: one frame
 * injected on m0 is received and dropped as no_route. */
static void setup_engine(void)
{
	struct p4x_engine_opts o = {.sz = sizeof(o), .nb_frames = 4096};
	struct p4x_port_stats st = {0};
	static const uint8_t frame[60] = {0xff, 0xff, 0xff, 0xff, 0xff,
					  0xff, 2,    0,    0,	  0,
					  0,	1,    0x08, 0x00};
	struct p4x_prog prog;
	struct p4x_port *m0;
	int i;

	d.engine = p4x_engine__new(&o);
	CHECK(d.engine);
	m0 = add_mem_port("m0");
	add_mem_port("m1");
	CHECK_EQ(p4x_prog_fwd__init(&prog, NULL, 0), 0);
	CHECK_EQ(p4x_engine__set_prog(d.engine, &prog), 0);
	d.prog_name = prog.ops->name;
	CHECK_EQ(p4x_engine__start(d.engine), 0);
	CHECK_EQ(p4x_port_mem__inject(m0, 0, frame, sizeof(frame)), 0);
	for (i = 0; i < 10000 && st.drop[P4X_DROP_NO_ROUTE] == 0; i++) {
		usleep(1000);
		CHECK_EQ(p4x_engine__port_stats(d.engine, 0, &st), 0);
	}
	CHECK_EQ(st.drop[P4X_DROP_NO_ROUTE], 1);
}

static void *serve(void *arg)
{
	CHECK_EQ(p4xd_serve(&d), 0);
	return NULL;
}

/* Run p4xsk against the server; returns its stdout (caller frees). */
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

/* Every name of @keys present in @o; returns @o[@key_at] as an int. */
static int64_t check_keys(struct json_object *o, const char *const *keys,
			  unsigned int n, const char *key_at)
{
	unsigned int i;

	CHECK_EQ(json_object_object_length(o), n);
	for (i = 0; i < n; i++)
		CHECK(json_object_is_type(get(o, keys[i]), json_type_int));
	return json_object_get_int64(get(o, key_at));
}

static void test_show_ports_json(void)
{
	char *out = cli(0, "", "-j", "show", "ports", NULL);
	struct json_object *root = json_tokener_parse(out), *ports, *m0;

	CHECK(root);
	ports = get(root, "ports");
	CHECK_EQ(json_object_array_length(ports), 2);
	m0 = json_object_array_get_idx(ports, 0);
	CHECK_STR(json_object_get_string(get(m0, "name")), "m0");
	CHECK_STR(json_object_get_string(get(m0, "kind")), "mem");
	CHECK_STR(json_object_get_string(get(m0, "xdp_mode")), "none");
	CHECK_EQ(json_object_get_int(get(m0, "queues")), 1);
	CHECK_EQ(json_object_get_int(get(m0, "index")), 0);
	CHECK(json_object_is_type(get(m0, "zero_copy"), json_type_boolean));
	CHECK_EQ(check_keys(get(m0, "counters"), p4x_port_counter_keys,
			    P4X_PORT_CNT__COUNT, "rx_packets"),
		 1);
	CHECK_EQ(check_keys(get(m0, "drops"), p4x_drop_reason_keys,
			    P4X_DROP__COUNT, "no_route"),
		 1);
	/* A memory port has no XDP program, hence no XDP counters. */
	CHECK(!json_object_object_get_ex(m0, "xdp", NULL));
	CHECK(!json_object_object_get_ex(m0, "xdp_drops", NULL));
	CHECK_STR(json_object_get_string(
			  get(json_object_array_get_idx(ports, 1), "name")),
		  "m1");
	json_object_put(root);
	free(out);

	out = cli(0, "", "-j", "show", "ports", "m1", NULL);
	root = json_tokener_parse(out);
	CHECK(root);
	ports = get(root, "ports");
	CHECK_EQ(json_object_array_length(ports), 1);
	CHECK_STR(json_object_get_string(
			  get(json_object_array_get_idx(ports, 0), "name")),
		  "m1");
	json_object_put(root);
	free(out);
}

static void test_show_text(void)
{
	char *out = cli(0, "", "show", "ports", "m0", NULL);

	/* Nonzero drops only in text; every counter. */
	CHECK(strstr(out, "0: m0 ifindex 0 mem queues 1 xdp none link up\n"));
	CHECK(strstr(out, "    drops: no_route 1\n"));
	CHECK(!strstr(out, "tx_full"));
	CHECK(strstr(out, " rx_packets 1 "));
	CHECK(strstr(out, " tx_wakeups 0 host_packets 0\n"));
	free(out);

	/* No drops: no drops line at all. */
	out = cli(0, "", "show", "ports", "m1", NULL);
	CHECK(!strstr(out, "drops"));
	free(out);

	out = cli(0, "", "show", "status", NULL);
	CHECK(!strncmp(out, "p4xskd " P4X_VERSION " protocol 1 pid ", 21));
	CHECK(strstr(out, "\nprogram fwd ports 2 workers 2\n"));
	free(out);

	out = cli(0, "", "show", "version", NULL);
	CHECK_STR(out, "p4xsk " P4X_VERSION " (protocol 1), p4xskd " P4X_VERSION
		       " (protocol 1)\n");
	free(out);
}

static void test_show_workers_status_json(void)
{
	char *out = cli(0, "", "-j", "show", "workers", NULL);
	struct json_object *root = json_tokener_parse(out), *ws, *w;
	int i;

	CHECK(root);
	ws = get(root, "workers");
	CHECK_EQ(json_object_array_length(ws), 2);
	for (i = 0; i < 2; i++) {
		w = json_object_array_get_idx(ws, i);
		CHECK_EQ(json_object_get_int(get(w, "id")), i);
		CHECK_STR(json_object_get_string(get(w, "port")),
			  i ? "m1" : "m0");
		CHECK_EQ(json_object_get_int(get(w, "queue")), 0);
		CHECK_EQ(json_object_get_int(get(w, "core")), -1);
		CHECK_EQ(json_object_get_int(get(w, "rx_packets")), 1 - i);
		CHECK_EQ(json_object_get_int(get(w, "drops")), 1 - i);
		get(w, "loops");
		get(w, "busy_loops");
		CHECK(json_object_is_type(get(w, "online"), json_type_boolean));
	}
	json_object_put(root);
	free(out);

	out = cli(0, "", "-j", "show", "status", NULL);
	root = json_tokener_parse(out);
	CHECK(root);
	CHECK_STR(json_object_get_string(get(root, "version")), P4X_VERSION);
	CHECK_STR(json_object_get_string(get(root, "program")), "fwd");
	CHECK_EQ(json_object_get_int(get(root, "ports")), 2);
	CHECK_EQ(json_object_get_int(get(root, "workers")), 2);
	CHECK_EQ(json_object_get_int(get(root, "protocol")), P4X_CTL_VERSION);
	CHECK_EQ(json_object_get_int(get(root, "pid")), getpid());
	get(root, "uptime_ms");
	json_object_put(root);
	free(out);
}

static void test_daemon_errors(void)
{
	char *out = cli(1, "p4xsk: no port named 'nosuch'\n", "-j", "show",
			"ports", "nosuch", NULL);

	CHECK_STR(out, ""); /* no partial JSON */
	free(out);
}

/* Send @len raw bytes; return the reply's error code and reason. */
static int raw(const void *msg, size_t len, struct p4x_ctl_err *err,
	       uint32_t want_seq)
{
	static char rbuf[P4X_CTL_MSG_MAX];
	const struct nlmsghdr *nlh = (const void *)rbuf;
	int fd = p4x_ctl_connect(sock_path);
	ssize_t n;

	CHECK(fd >= 0);
	CHECK_EQ(send(fd, msg, len, 0), (ssize_t)len);
	n = recv(fd, rbuf, sizeof(rbuf), 0);
	close(fd);
	CHECK(n > 0);
	CHECK_EQ(p4x_ctl_check_buf(rbuf, (size_t)n, err), 0);
	CHECK_EQ(nlh->nlmsg_type, NLMSG_ERROR);
	CHECK_EQ(nlh->nlmsg_seq, want_seq);
	return p4x_ctl_err_parse(nlh, err);
}

static void expect_raw(const struct nlmsghdr *nlh, size_t len, int code,
		       uint32_t offset, const char *msg)
{
	struct p4x_ctl_err err;

	CHECK_EQ(raw(nlh, len, &err, len >= 16 ? nlh->nlmsg_seq : 0), code);
	CHECK_STR(err.msg, msg);
	CHECK_EQ(err.offset, offset);
}

static void test_malformed(void)
{
	static char big[P4X_CTL_MSG_MAX + 64];
	static char b[256];
	struct nlmsghdr *nlh;

	nlh = p4x_ctl_msg_put(b, P4X_CTL_MSG_GET_STATUS, NLM_F_REQUEST, 5);
	expect_raw(nlh, 10, -EBADMSG, 10 - 10,
		   "truncated message: 10 trailing bytes do not form a "
		   "netlink message");

	nlh = p4x_ctl_msg_put(b, 0x3f, NLM_F_REQUEST, 6);
	expect_raw(nlh, nlh->nlmsg_len, -EOPNOTSUPP, 0,
		   "unknown message type 63");

	nlh = p4x_ctl_msg_put(b, P4X_CTL_MSG_GET_STATUS, 0, 7);
	expect_raw(nlh, nlh->nlmsg_len, -EINVAL, 0,
		   "not a request (no NLM_F_REQUEST flag)");

	nlh = p4x_ctl_msg_put(b, P4X_CTL_MSG_GET_WORKER, NLM_F_REQUEST, 8);
	expect_raw(nlh, nlh->nlmsg_len, -EOPNOTSUPP, 0,
		   "get_worker: only a dump (NLM_F_DUMP) is supported");

	nlh = p4x_ctl_msg_put(b, P4X_CTL_MSG_GET_STATUS,
			      NLM_F_REQUEST | NLM_F_DUMP, 9);
	expect_raw(nlh, nlh->nlmsg_len, -EOPNOTSUPP, 0,
		   "get_status: dump not supported");

	nlh = p4x_ctl_msg_put(b, P4X_CTL_MSG_GET_STATUS, NLM_F_REQUEST, 10);
	mnl_attr_put_u16(nlh, P4X_CTL_STATUS_PID, 1);
	expect_raw(nlh, nlh->nlmsg_len, -EINVAL, 20,
		   "status: attribute 'pid' has 2 bytes, not a valid u32");

	nlh = p4x_ctl_msg_put(b, P4X_CTL_MSG_GET_PORT, NLM_F_REQUEST, 11);
	expect_raw(nlh, nlh->nlmsg_len, -EINVAL, 0,
		   "get_port: missing attribute 'name' (or dump all ports "
		   "with NLM_F_DUMP)");

	nlh = p4x_ctl_msg_put(b, P4X_CTL_MSG_GET_PORT, NLM_F_REQUEST, 12);
	mnl_attr_put_u32(nlh, P4X_CTL_PORT_MTU, 9000);
	mnl_attr_put_strz(nlh, P4X_CTL_PORT_NAME, "zz");
	expect_raw(nlh, nlh->nlmsg_len, -ENODEV, 28, "no port named 'zz'");

	nlh = p4x_ctl_msg_put(big, P4X_CTL_MSG_GET_STATUS, NLM_F_REQUEST, 13);
	nlh->nlmsg_len = sizeof(big);
	expect_raw(nlh, sizeof(big), -EMSGSIZE, 0,
		   "datagram larger than 16384 bytes");
}

static int count_reply(const struct nlmsghdr *nlh, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

/* Two requests in one datagram are answered in order; then the client
 * library sees an ack after a non-dump request. */
static void test_batch_and_ack(void)
{
	static char b[512], rbuf[P4X_CTL_MSG_MAX];
	struct nlmsghdr *a = p4x_ctl_msg_put(b, P4X_CTL_MSG_GET_STATUS,
					     NLM_F_REQUEST | NLM_F_ACK, 21);
	struct nlmsghdr *c =
		p4x_ctl_msg_put(b + a->nlmsg_len, P4X_CTL_MSG_GET_PORT,
				NLM_F_REQUEST | NLM_F_DUMP, 22);
	uint16_t want[] = {P4X_CTL_MSG_GET_STATUS, NLMSG_ERROR,
			   P4X_CTL_MSG_GET_PORT, P4X_CTL_MSG_GET_PORT,
			   NLMSG_DONE};
	int fd = p4x_ctl_connect(sock_path), n = 0;
	struct p4x_ctl_err err;
	unsigned int i;

	CHECK(fd >= 0);
	CHECK(send(fd, b, a->nlmsg_len + c->nlmsg_len, 0) > 0);
	for (i = 0; i < P4X_ARRAY_SIZE(want); i++) {
		const struct nlmsghdr *r = (const void *)rbuf;

		CHECK(recv(fd, rbuf, sizeof(rbuf), 0) > 0);
		CHECK_EQ(r->nlmsg_type, want[i]);
		CHECK_EQ(r->nlmsg_seq, i < 2 ? 21 : 22);
		if (r->nlmsg_type == NLMSG_ERROR)
			CHECK_EQ(p4x_ctl_err_parse(r, &err), 0);
	}
	a = p4x_ctl_msg_put(b, P4X_CTL_MSG_GET_STATUS,
			    NLM_F_REQUEST | NLM_F_ACK, 23);
	CHECK_EQ(p4x_ctl_request(fd, a, count_reply, &n, &err), 0);
	CHECK_EQ(n, 1);
	close(fd);
}

static void start_server(void)
{
	snprintf(sock_path, sizeof(sock_path), "/tmp/p4xd-test-%d/ctl.sock",
		 getpid());
	d.listen_fd = p4x_ctl_listen(sock_path);
	CHECK(d.listen_fd >= 0);
	/* A second daemon on the same path is refused. */
	CHECK_EQ(p4x_ctl_listen(sock_path), -EADDRINUSE);
	CHECK_EQ(pipe(stop_pipe), 0);
	d.sig_fd = stop_pipe[0];
	d.start_ms = p4xd_now_ms();
}

static void stop_server(pthread_t th)
{
	struct signalfd_siginfo si = {.ssi_signo = 15};
	char dir[64];

	CHECK_EQ(write(stop_pipe[1], &si, sizeof(si)), (ssize_t)sizeof(si));
	CHECK_EQ(pthread_join(th, NULL), 0);
	CHECK_EQ(d.nb_clients, 0);
	close(d.listen_fd);
	/* A socket file nobody serves any more is stale: replaced. */
	d.listen_fd = p4x_ctl_listen(sock_path);
	CHECK(d.listen_fd >= 0);
	close(d.listen_fd);
	CHECK_EQ(unlink(sock_path), 0);
	snprintf(dir, sizeof(dir), "%s", sock_path);
	*strrchr(dir, '/') = '\0';
	CHECK_EQ(rmdir(dir), 0);
	close(stop_pipe[0]);
	close(stop_pipe[1]);
}

int main(void)
{
	pthread_t th;

	setup_engine();
	start_server();
	CHECK_EQ(pthread_create(&th, NULL, serve, NULL), 0);
	test_show_ports_json();
	test_show_text();
	test_show_workers_status_json();
	test_daemon_errors();
	test_malformed();
	test_batch_and_ack();
	/* Still serving after all the rejected requests. */
	free(cli(0, "", "show", "status", NULL));
	stop_server(th);
	p4x_engine__free(d.engine);
	printf("server: all checks passed\n");
	return 0;
}
