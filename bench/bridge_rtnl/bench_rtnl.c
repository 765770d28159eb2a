// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4x-bench-bridge-rtnl: how fast the rtnetlink source follows the kernel.
 * Runs in a namespace it creates (p4xn-bench) and deletes by name on exit.
 * Every figure sits next to its reference, measured in the same run:
 *
 *  kernel     `ip -batch` of N routes (/32 via a veth neighbour) with no
 *             source running: the kernel's own insertion rate.
 *  live       the same batch while the source runs in its own thread
 *             (default 8 MB buffer): insertion rate, time until the last
 *             route is in the sink, ENOBUFS and resyncs.
 *  lag        the routes written one line at a time into `ip -batch -`
 *             through a pipe; a line is stamped when written and the next
 *             is written once ip has read it (FIONREAD on the pipe is 0),
 *             so at most one command waits in ip. A route is visible when
 *             the batch holding it commits in the sink (a timing sink
 *             behind the mirror). Lag = commit time - write time, an upper
 *             bound of kernel -> sink: it includes ip parsing the line and
 *             the kernel inserting the route. Median and p99 over N.
 *             The writer and ip run on CPU 0, the source thread on CPU 1
 *             (the machine has two) at SCHED_FIFO 1, so that unrelated
 *             load does not set the figure; its CPU time per route is
 *             reported too.
 *  replay     a dump of the N routes recorded from the kernel, replayed
 *             through decode + mirror commit (one begin/commit per
 *             recorded datagram): messages/s into an empty mirror (insert)
 *             and into a mirror already holding them (unchanged); median
 *             of REPLAY_ROUNDS.
 * The load average is printed with the figures: on a shared machine other
 * work skews every one of them.
 *
 * --engine: the sink behind the mirror is p4xskd's binding sink
 * (examples/bridge/routing.json) writing the routing program's fib_table
 * and nh_table (256k entries each) in table transactions, with the timing
 * sink after it: lag and convergence then run to table visibility, and
 * the replay goes through decode, mirror and table commit.
 *
 * Usage: p4x-bench-bridge-rtnl [--json PATH] [--routes N] [--presize]
 * [--engine] (--presize: the mirror gets room for N routes up front, as a
 * daemon expecting a full table would configure it; default: it grows).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <json-c/json.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <net/if.h>

#include "p4x/bridge.h"
#include "p4x/log.h"

#include "bridge_bind.h"
#include "p4rt.h"

#define NS "p4xn-bench"
#define MAX_ROUTES (1 << 20)
#define WAIT_S 60
#define REPLAY_ROUNDS 5

static uint32_t n_routes = 100000;
static bool presize; /* --presize: mirror sized for n_routes up front */
static bool engine;  /* --engine: the binding sink and P4 tables */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "p4x-bench-bridge-rtnl: %s: %s\n", what,
		strerror(errno));
	exit(1);
}

static void sh(const char *cmd)
{
	if (system(cmd) != 0) {
		fprintf(stderr, "command failed: %s\n", cmd);
		exit(1);
	}
}

/* ---- namespace ------------------------------------------------------- */

/* The batch file, removed on every exit. */
static char batch_path[] = "/tmp/p4xn-bench-batch.XXXXXX";

static void ns_cleanup(void)
{
	unlink(batch_path);
	if (system("ip netns del " NS " 2>/dev/null") < 0)
		perror("ip netns del");
}

static void on_signal(int sig)
{
	exit(128 + sig);
}

static void ns_enter(void)
{
	int fd;

	ns_cleanup();
	sh("ip netns add " NS);
	atexit(ns_cleanup);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	fd = open("/run/netns/" NS, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET))
		die("enter " NS);
	close(fd);
	sh("ip link set lo up && ip link add p4xn-b0 type veth peer name "
	   "p4xn-b1 && ip link set p4xn-b0 up && ip link set p4xn-b1 up && "
	   "ip addr add 10.1.0.1/24 dev p4xn-b0");
}

/* ---- the timing sink (behind the mirror, in the source thread) ------- */

struct timing {
	uint64_t *t_apply; /* per route index, 0: not yet */
	uint32_t *pending; /* indexes of the open batch */
	uint32_t n_pending;
	atomic_long live; /* bench routes in the sink */
};

static struct timing tm;

/* 10.128.0.0/9 /32 routes carry their index in the low 23 bits. */
static long route_index(const struct p4x_rt_route *r)
{
	if (r->key.family != AF_INET || r->key.dst_len != 32 ||
	    r->key.dst[0] != 10 || r->key.dst[1] < 128)
		return -1;
	return ((long)(r->key.dst[1] - 128) << 16) | (r->key.dst[2] << 8) |
	       r->key.dst[3];
}

static int t_commit(void *ctx)
{
	uint64_t t = now_ns();

	for (uint32_t i = 0; i < tm.n_pending; i++)
		if (!tm.t_apply[tm.pending[i]])
			tm.t_apply[tm.pending[i]] = t;
	tm.n_pending = 0;
	return 0;
}

static int t_route(void *ctx, enum p4x_rt_op op, const struct p4x_rt_route *r)
{
	long i = route_index(r);

	if (i < 0 || i >= (long)n_routes)
		return 0;
	if (op == P4X_RT_DEL) {
		atomic_fetch_sub(&tm.live, 1);
		return 0;
	}
	if (op == P4X_RT_ADD)
		atomic_fetch_add(&tm.live, 1);
	tm.pending[tm.n_pending++] = (uint32_t)i;
	if (tm.n_pending == n_routes) /* cannot overflow: flush */
		t_commit(ctx);
	return 0;
}

static int t_link(void *c, enum p4x_rt_op op, const struct p4x_rt_link *o)
{
	return 0;
}

static int t_addr(void *c, enum p4x_rt_op op, const struct p4x_rt_addr *o)
{
	return 0;
}

static int t_neigh(void *c, enum p4x_rt_op op, const struct p4x_rt_neigh *o)
{
	return 0;
}

static const struct p4x_bridge_rt_sink_ops timing_ops = {
	.commit = t_commit,
	.link = t_link,
	.addr = t_addr,
	.route = t_route,
	.neigh = t_neigh,
};

/* ---- the engine: binding sink into the routing program's tables -------- */

#define ENGINE_TENTRIES "262144"

struct engine {
	struct p4xd_p4 *p;
	struct p4xd_bind *bind;
	struct p4x_table *t[2]; /* fib_table, nh_table */
	struct p4xd_bsink *bs;	/* of the current mirror */
	struct p4x_bridge_rt_sink bsink;
};

static struct engine eng;

/* @src with "tentries 1024" / "\"tentries\" : 1024" raised, into @dst. */
static void copy_raised(const char *src, const char *dst)
{
	char *text = NULL, *at;
	size_t len = 0;
	FILE *in = fopen(src, "r"), *out;

	if (!in || getdelim(&text, &len, '\0', in) < 0)
		die(src);
	fclose(in);
	out = fopen(dst, "w");
	if (!out)
		die(dst);
	for (at = text; *at; at++) {
		if (!strncmp(at, "1024", 4) && at > text + 1 &&
		    (at[-1] == ' ') && (at[-2] == 's' || at[-2] == ':')) {
			fputs(ENGINE_TENTRIES, out);
			at += 3;
			continue;
		}
		fputc(*at, out);
	}
	free(text);
	if (fclose(out))
		die(dst);
}

static struct p4x_table *engine_table(void *arg, unsigned int i)
{
	return eng.t[i];
}

static void engine_setup(void)
{
	char tmpl[] = "/tmp/p4xn-bench-tmpl.XXXXXX", dir[64], path[128];
	char err[512];
	struct p4x_ctl_err cerr = {0};
	struct p4xd_rt_pipe *rp;
	struct p4xd_rt_table *rt;

	if (!mkdtemp(tmpl))
		die("mkdtemp");
	snprintf(dir, sizeof(dir), "%s", tmpl);
	snprintf(path, sizeof(path), "%s/routing.json", dir);
	copy_raised(P4X_SRC_ROOT "/examples/routing/routing.json", path);
	snprintf(path, sizeof(path), "%s/routing.template", dir);
	copy_raised(P4X_SRC_ROOT "/examples/routing/routing.template", path);
	eng.p = p4xd_p4__new();
	if (!eng.p || p4x_p4tc__load_template(eng.p->m, path, err, sizeof(err)))
		goto err;
	snprintf(path, sizeof(path), "%s/routing.json", dir);
	if (p4x_p4tc__set_introspection(eng.p->m, path, err, sizeof(err)))
		goto err;
	unlink(path);
	snprintf(path, sizeof(path), "%s/routing.template", dir);
	unlink(path);
	rmdir(dir);
	if (p4xd_p4__sync(eng.p, &cerr))
		goto err_ctl;
	rp = p4xd_p4__pipe(eng.p, "routing", &cerr);
	for (unsigned int i = 0; rp && i < 2; i++) {
		rt = p4xd_rt_pipe__table(
			rp, i ? "Main/nh_table" : "Main/fib_table", &cerr);
		if (!rt)
			goto err_ctl;
		eng.t[i] = rt->t;
	}
	if (!rp)
		goto err_ctl;
	eng.bind = p4xd_bind__load(P4X_SRC_ROOT "/examples/bridge/routing.json",
				   err, sizeof(err));
	if (!eng.bind ||
	    p4xd_bind__resolve(eng.bind, eng.p->m, err, sizeof(err)))
		goto err;
	return;
err_ctl:
	snprintf(err, sizeof(err), "%s", cerr.msg);
err:
	fprintf(stderr, "p4x-bench-bridge-rtnl: engine: %s\n", err);
	exit(1);
}

/* A binding sink for mirror @m, writing the engine's tables. */
static void engine_sink(struct p4x_bridge_mirror *m)
{
	uint32_t served = if_nametoindex("p4xn-b0");
	struct p4xd_bsink_opts o = {.sz = sizeof(o),
				    .bind = eng.bind,
				    .served = &served,
				    .nserved = 1,
				    .table = engine_table};

	p4xd_bsink__free(eng.bs);
	eng.bs = p4xd_bsink__new(&o);
	if (!eng.bs)
		die("binding sink");
	p4xd_bsink__set_mirror(eng.bs, m);
	eng.bsink = p4xd_bsink__sink(eng.bs);
}

/* The tee behind the mirror with --engine: binding sink, then timing. */
static int e_commit(void *ctx)
{
	int ret = eng.bsink.ops->commit(eng.bsink.ctx);

	return ret ? ret : t_commit(ctx);
}

static int e_route(void *ctx, enum p4x_rt_op op, const struct p4x_rt_route *r)
{
	int ret = eng.bsink.ops->route(eng.bsink.ctx, op, r);

	return ret ? ret : t_route(ctx, op, r);
}

static int e_link(void *c, enum p4x_rt_op op, const struct p4x_rt_link *o)
{
	return eng.bsink.ops->link(eng.bsink.ctx, op, o);
}

static int e_addr(void *c, enum p4x_rt_op op, const struct p4x_rt_addr *o)
{
	return eng.bsink.ops->addr(eng.bsink.ctx, op, o);
}

static int e_neigh(void *c, enum p4x_rt_op op, const struct p4x_rt_neigh *o)
{
	return eng.bsink.ops->neigh(eng.bsink.ctx, op, o);
}

static const struct p4x_bridge_rt_sink_ops engine_ops = {
	.commit = e_commit,
	.link = e_link,
	.addr = e_addr,
	.route = e_route,
	.neigh = e_neigh,
};

/* The mirror of a workload: behind it the timing sink, or with --engine
 * the tee (the binding sink is bound to the new mirror). */
static struct p4x_bridge_mirror *bench_mirror(size_t hint)
{
	static struct p4x_bridge_rt_sink timing = {&timing_ops, NULL};
	static struct p4x_bridge_rt_sink tee = {&engine_ops, NULL};
	struct p4x_bridge_mirror_opts mo = {.sz = sizeof(mo),
					    .next = engine ? &tee : &timing};
	struct p4x_bridge_mirror *m;

	mo.hint[P4X_RT_ROUTE] = hint;
	m = p4x_bridge_mirror__new(&mo);
	if (!m)
		die("mirror");
	if (engine)
		engine_sink(m);
	return m;
}

/* ---- the source thread ----------------------------------------------- */

struct runner {
	struct p4x_bridge_source *src;
	atomic_bool stop;
	pthread_t th;
};

/* Pin the calling thread to @cpu (modulo the CPUs we may use). */
static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		perror("sched_setaffinity");
}

static void *run_source(void *arg)
{
	struct runner *r = arg;
	struct pollfd pfd = {.fd = p4x_bridge_source__fd(r->src),
			     .events = POLLIN};

	struct sched_param sp = {.sched_priority = 1};

	pin(1);
	/* Keep other work on the machine out of the lag figure. */
	if (pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp))
		fprintf(stderr, "source thread stays SCHED_OTHER\n");
	while (!atomic_load(&r->stop)) {
		if (p4x_bridge_source__process(r->src, 1u << 16) < 0)
			break;
		poll(&pfd, 1, 20);
	}
	return NULL;
}

static void wait_live(long want, const char *what)
{
	uint64_t deadline = now_ns() + WAIT_S * 1000000000ull;

	while (atomic_load(&tm.live) != want) {
		if (now_ns() > deadline) {
			fprintf(stderr,
				"%s: sink holds %ld routes, want %ld "
				"after %d s\n",
				what, atomic_load(&tm.live), want, WAIT_S);
			exit(1);
		}
		usleep(200);
	}
}

/* ---- workloads -------------------------------------------------------- */

static int route_line(char *buf, size_t len, uint32_t i)
{
	return snprintf(buf, len, "route add 10.%u.%u.%u/32 via 10.1.0.2\n",
			128 + (i >> 16), (i >> 8) & 255, i & 255);
}

static void write_batch(const char *path)
{
	FILE *fp = fopen(path, "w");
	char line[96];

	if (!fp)
		die(path);
	for (uint32_t i = 0; i < n_routes; i++) {
		route_line(line, sizeof(line), i);
		fputs(line, fp);
	}
	if (fclose(fp))
		die(path);
}

/* Runs `ip -batch PATH`; returns routes/s. */
static double kernel_batch(const char *path)
{
	char cmd[256];
	uint64_t t0 = now_ns();

	snprintf(cmd, sizeof(cmd), "ip -batch %s", path);
	sh(cmd);
	return n_routes / ((now_ns() - t0) / 1e9);
}

/* Until ip has read everything written into the pipe @fd. */
static void wait_read(int fd)
{
	int unread;

	for (;;) {
		if (ioctl(fd, FIONREAD, &unread))
			die("FIONREAD");
		if (!unread)
			return;
		sched_yield();
	}
}

/* Lines one at a time into `ip -batch -`; t_write[i] when line i is out. */
static double paced_batch(uint64_t *t_write)
{
	static const char warm[] = "link show dev lo\n";
	FILE *ip = popen("ip -batch - >/dev/null", "w");
	char line[96];
	uint64_t t0;
	int fd, len;

	if (!ip)
		die("popen ip -batch -");
	fd = fileno(ip);
	/* Not timed: ip reads its first line only once it has started. */
	if (write(fd, warm, sizeof(warm) - 1) != sizeof(warm) - 1)
		die("write to ip");
	wait_read(fd);
	t0 = now_ns();
	for (uint32_t i = 0; i < n_routes; i++) {
		len = route_line(line, sizeof(line), i);
		if (write(fd, line, (size_t)len) != len)
			die("write to ip");
		t_write[i] = now_ns();
		wait_read(fd);
	}
	if (pclose(ip) != 0) {
		fprintf(stderr, "ip -batch - failed\n");
		exit(1);
	}
	return n_routes / ((now_ns() - t0) / 1e9);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct lag {
	double median_us, p99_us, max_us;
	uint32_t over_1ms; /* routes that took longer than 1 ms */
};

static struct lag lag_stats(const uint64_t *t_write)
{
	uint64_t *d = malloc(n_routes * sizeof(*d));
	struct lag l;

	if (!d)
		die("malloc");
	l.over_1ms = 0;
	for (uint32_t i = 0; i < n_routes; i++) {
		d[i] = tm.t_apply[i] > t_write[i] ? tm.t_apply[i] - t_write[i]
						  : 0;
		l.over_1ms += d[i] > 1000000;
	}
	qsort(d, n_routes, sizeof(*d), cmp_u64);
	l.median_us = d[n_routes / 2] / 1e3;
	l.p99_us = d[(size_t)n_routes * 99 / 100] / 1e3;
	l.max_us = d[n_routes - 1] / 1e3;
	free(d);
	return l;
}

/* ---- replay ----------------------------------------------------------- */

struct recording {
	uint8_t **buf;
	size_t *len;
	size_t n, cap, msgs;
};

static void record_dump(struct recording *rec)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	char req[64];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct rtmsg *rtm;
	uint8_t buf[64 * 1024];
	ssize_t n;
	bool done = false;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("netlink");
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		die("dump request");
	while (!done && (n = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0) {
		const struct nlmsghdr *m = (const struct nlmsghdr *)buf;
		int left = (int)n;

		for (; mnl_nlmsg_ok(m, left); m = mnl_nlmsg_next(m, &left)) {
			done |= m->nlmsg_type == NLMSG_DONE;
			rec->msgs += m->nlmsg_type == RTM_NEWROUTE;
		}
		if (rec->n == rec->cap) {
			rec->cap = rec->cap ? rec->cap * 2 : 1024;
			rec->buf =
				realloc(rec->buf, rec->cap * sizeof(*rec->buf));
			rec->len =
				realloc(rec->len, rec->cap * sizeof(*rec->len));
			if (!rec->buf || !rec->len)
				die("realloc");
		}
		rec->buf[rec->n] = malloc((size_t)n);
		if (!rec->buf[rec->n])
			die("malloc");
		memcpy(rec->buf[rec->n], buf, (size_t)n);
		rec->len[rec->n++] = (size_t)n;
	}
	mnl_socket_close(nl);
}

/* Replays @rec into @m; returns messages/s. */
static double replay(const struct recording *rec, struct p4x_bridge_mirror *m)
{
	struct p4x_bridge_rt_sink sink = p4x_bridge_mirror__sink(m);
	uint64_t t0 = now_ns();
	long applied = 0, r;

	for (size_t i = 0; i < rec->n; i++) {
		r = p4x_bridge_rtnl__apply_buf(&sink, rec->buf[i], rec->len[i]);
		if (r < 0) {
			fprintf(stderr, "replay: %s\n", strerror((int)-r));
			exit(1);
		}
		applied += r;
	}
	if (applied < (long)n_routes) {
		fprintf(stderr, "replay applied %ld of %u routes\n", applied,
			n_routes);
		exit(1);
	}
	return rec->msgs / ((now_ns() - t0) / 1e9);
}

/* ---- main -------------------------------------------------------------- */

struct results {
	double kernel_rate, live_rate, paced_rate;
	double converge_ms;
	double after_ms; /* last route in the sink - ip -batch exit */
	double live_cpu_us, paced_cpu_us; /* source thread CPU per route */
	struct lag lag;
	uint64_t enobufs, resyncs;
	double replay_insert, replay_unchanged;
	size_t replay_msgs;
	double load[3]; /* load average at the end: other work skews it all */
	uint32_t fib_entries; /* --engine: FIB entries after the live run */
};

static void start_runner(struct runner *r, struct p4x_bridge_mirror *m)
{
	r->src = p4x_bridge_rtnl__new(m, NULL);
	if (!r->src || p4x_bridge_source__start(r->src))
		die("start the rtnl source");
	atomic_store(&r->stop, false);
	if (pthread_create(&r->th, NULL, run_source, r))
		die("pthread_create");
}

static void stop_runner(struct runner *r, struct p4x_bridge_status *st)
{
	atomic_store(&r->stop, true);
	pthread_join(r->th, NULL);
	p4x_bridge_source__status(r->src, st);
	p4x_bridge_source__free(r->src);
}

/* CPU seconds the source thread has used so far. */
static double source_cpu(const struct runner *r)
{
	struct timespec ts;
	clockid_t cid;

	if (pthread_getcpuclockid(r->th, &cid) || clock_gettime(cid, &ts))
		return 0;
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void flush_routes(void)
{
	sh("ip route flush root 10.128.0.0/9");
	wait_live(0, "flush");
}

static void run_live(struct results *res, const char *path, uint64_t *t_write)
{
	struct p4x_bridge_mirror *m = bench_mirror(presize ? n_routes : 0);
	struct p4x_bridge_status st;
	struct runner r;
	uint64_t t0, t_end, last = 0;
	double cpu;

	start_runner(&r, m);
	memset(tm.t_apply, 0, n_routes * sizeof(*tm.t_apply));
	t0 = now_ns();
	cpu = source_cpu(&r);
	res->live_rate = kernel_batch(path);
	t_end = now_ns();
	wait_live(n_routes, "live");
	res->live_cpu_us = (source_cpu(&r) - cpu) * 1e6 / n_routes;
	for (uint32_t i = 0; i < n_routes; i++)
		last = P4X_MAX(last, tm.t_apply[i]);
	res->converge_ms = (last - t0) / 1e6;
	res->after_ms = ((double)last - (double)t_end) / 1e6;
	if (engine)
		res->fib_entries = p4x_table__count(eng.t[0]);
	flush_routes();
	memset(tm.t_apply, 0, n_routes * sizeof(*tm.t_apply));
	cpu = source_cpu(&r);
	res->paced_rate = paced_batch(t_write);
	wait_live(n_routes, "paced");
	res->paced_cpu_us = (source_cpu(&r) - cpu) * 1e6 / n_routes;
	res->lag = lag_stats(t_write);
	flush_routes();
	stop_runner(&r, &st);
	res->enobufs = st.enobufs;
	res->resyncs = st.resyncs;
	p4x_bridge_mirror__free(m);
}

/* Delete every route of @m through its sink (the tables empty again). */
static void engine_empty(struct p4x_bridge_mirror *m)
{
	struct p4x_bridge_mirror *none = p4x_bridge_mirror__new(NULL);
	struct p4x_bridge_rt_sink sink = p4x_bridge_mirror__sink(m);

	if (!none || p4x_bridge_mirror__diff(m, none, &sink) < 0 ||
	    sink.ops->commit(sink.ctx))
		die("emptying the tables");
	p4x_bridge_mirror__free(none);
	if (p4x_table__count(eng.t[0]))
		fprintf(stderr, "fib_table kept %u entries\n",
			p4x_table__count(eng.t[0]));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median of REPLAY_ROUNDS replays into a fresh mirror, then into a full one. */
static void replay_rounds(const struct recording *rec, double *insert,
			  double *unchanged)
{
	double ins[REPLAY_ROUNDS], unc[REPLAY_ROUNDS];
	struct p4x_bridge_mirror *m;

	for (int i = 0; i < REPLAY_ROUNDS; i++) {
		m = engine ? bench_mirror(0) : p4x_bridge_mirror__new(NULL);
		if (!m)
			die("mirror");
		ins[i] = replay(rec, m);
		unc[i] = replay(rec, m);
		if (engine)
			engine_empty(m);
		p4x_bridge_mirror__free(m);
	}
	qsort(ins, REPLAY_ROUNDS, sizeof(double), cmp_double);
	qsort(unc, REPLAY_ROUNDS, sizeof(double), cmp_double);
	*insert = ins[REPLAY_ROUNDS / 2];
	*unchanged = unc[REPLAY_ROUNDS / 2];
}

static void run_replay(struct results *res, const char *path)
{
	struct recording rec = {0};

	sh("ip route flush root 10.128.0.0/9");
	kernel_batch(path);
	record_dump(&rec);
	sh("ip route flush root 10.128.0.0/9");
	replay_rounds(&rec, &res->replay_insert, &res->replay_unchanged);
	res->replay_msgs = rec.msgs;
	for (size_t i = 0; i < rec.n; i++)
		free(rec.buf[i]);
	free(rec.buf);
	free(rec.len);
}

static void print_results(const struct results *r)
{
	printf("routes                  %u%s\n", n_routes,
	       engine ? " (into the routing program's tables)" : "");
	if (engine)
		printf("engine fib_table        %u entries after the live "
		       "run\n",
		       r->fib_entries);
	printf("kernel ip -batch        %.0f routes/s (no source)\n",
	       r->kernel_rate);
	printf("live ip -batch          %.0f routes/s, all in the sink "
	       "after %.1f ms (%.1f ms after ip exited); enobufs %llu, "
	       "resyncs %llu\n",
	       r->live_rate, r->converge_ms, r->after_ms,
	       (unsigned long long)r->enobufs, (unsigned long long)r->resyncs);
	printf("paced (lag) ip -batch - %.0f routes/s; lag median %.1f us, "
	       "p99 %.1f us, max %.1f us, %u routes over 1 ms\n",
	       r->paced_rate, r->lag.median_us, r->lag.p99_us, r->lag.max_us,
	       r->lag.over_1ms);
	printf("source thread CPU       %.2f us/route live, %.2f us/route "
	       "paced\n",
	       r->live_cpu_us, r->paced_cpu_us);
	printf("replay decode+commit    %.0f msgs/s insert, %.0f msgs/s "
	       "unchanged (%zu messages; kernel inserts %.0f/s)\n",
	       r->replay_insert, r->replay_unchanged, r->replay_msgs,
	       r->kernel_rate);
	printf("load average            %.2f %.2f %.2f\n", r->load[0],
	       r->load[1], r->load[2]);
}

static void jd(struct json_object *o, const char *k, double v)
{
	json_object_object_add(o, k, json_object_new_double(v));
}

static void write_json(const char *path, const struct results *r)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "benchmark",
			       json_object_new_string("bridge_rtnl"));
	json_object_object_add(o, "routes", json_object_new_int64(n_routes));
	json_object_object_add(o, "presize", json_object_new_boolean(presize));
	json_object_object_add(o, "engine", json_object_new_boolean(engine));
	jd(o, "kernel_routes_per_s", r->kernel_rate);
	jd(o, "live_kernel_routes_per_s", r->live_rate);
	jd(o, "live_converge_ms", r->converge_ms);
	jd(o, "live_after_ip_ms", r->after_ms);
	json_object_object_add(o, "live_enobufs",
			       json_object_new_int64((int64_t)r->enobufs));
	json_object_object_add(o, "live_resyncs",
			       json_object_new_int64((int64_t)r->resyncs));
	jd(o, "paced_routes_per_s", r->paced_rate);
	jd(o, "live_source_cpu_us_per_route", r->live_cpu_us);
	jd(o, "paced_source_cpu_us_per_route", r->paced_cpu_us);
	jd(o, "lag_median_us", r->lag.median_us);
	jd(o, "lag_p99_us", r->lag.p99_us);
	jd(o, "lag_max_us", r->lag.max_us);
	json_object_object_add(o, "lag_over_1ms",
			       json_object_new_int64(r->lag.over_1ms));
	jd(o, "replay_insert_msgs_per_s", r->replay_insert);
	jd(o, "replay_unchanged_msgs_per_s", r->replay_unchanged);
	jd(o, "loadavg_1m", r->load[0]);
	if (json_object_to_file_ext(path, o, JSON_C_TO_STRING_PRETTY))
		fprintf(stderr, "cannot write %s\n", path);
	json_object_put(o);
}

static void usage(const char *argv0)
{
	printf("usage: %s [--json PATH] [--routes N] [--presize] [--engine]\n"
	       "  --json PATH  write the figures as JSON\n"
	       "  --routes N   routes per workload (default 100000, max %d)\n"
	       "  --presize    size the mirror for N routes up front\n"
	       "  --engine     into the routing program's tables through the "
	       "binding\n",
	       argv0, MAX_ROUTES);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", required_argument, NULL, 'j'},
		{"routes", required_argument, NULL, 'n'},
		{"presize", no_argument, NULL, 'p'},
		{"engine", no_argument, NULL, 'e'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	const char *json = NULL;
	char *path = batch_path;
	struct results res = {0};
	uint64_t *t_write;
	int c, fd;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'j') {
			json = optarg;
		} else if (c == 'p') {
			presize = true;
		} else if (c == 'e') {
			engine = true;
		} else if (c == 'n') {
			n_routes = (uint32_t)strtoul(optarg, NULL, 0);
			if (!n_routes || n_routes > MAX_ROUTES) {
				usage(argv[0]);
				return 2;
			}
		} else {
			usage(argv[0]);
			return c == 'h' ? 0 : 2;
		}
	}
	if (geteuid()) {
		fprintf(stderr, "needs root (network namespace)\n");
		return 77;
	}
	p4x_log__init(P4X_LOG_WARN);
	tm.t_apply = calloc(n_routes, sizeof(*tm.t_apply));
	tm.pending = calloc(n_routes, sizeof(*tm.pending));
	t_write = calloc(n_routes, sizeof(*t_write));
	if (!tm.t_apply || !tm.pending || !t_write)
		die("calloc");
	/* ip and the writer on CPU 0, the source on CPU 1. */
	pin(0);
	ns_enter();
	fd = mkstemp(path);
	if (fd < 0)
		die("mkstemp");
	close(fd);
	write_batch(path);
	if (engine)
		engine_setup();
	res.kernel_rate = kernel_batch(path);
	sh("ip route flush root 10.128.0.0/9");
	run_live(&res, path, t_write);
	run_replay(&res, path);
	unlink(path);
	if (getloadavg(res.load, 3) != 3)
		memset(res.load, 0, sizeof(res.load));
	print_results(&res);
	if (json)
		write_json(json, &res);
	free(t_write);
	free(tm.pending);
	free(tm.t_apply);
	return 0;
}
