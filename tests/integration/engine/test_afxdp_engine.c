// SPDX-License-Identifier: BSD-3-Clause
/*
 * Engine over AF_XDP ports on veth pairs, with the built-in forwarding
 * program. The test makes its own namespaces p4xc-gen (traffic side) and
 * p4xc-dut (engine side) and deletes them by name on exit, failure and
 * signals. Scenarios:
 *  1. p4xc-g0/d0 and p4xc-g1/d1, one queue: frames sent from g0 arrive on
 *     g1 and frames from g1 on g0, MACs rewritten, the rest unchanged,
 *     engine and XDP counters exact; in native and generic XDP mode.
 *  2. p4xc-g2/d2 and p4xc-g3/d3 with two queues, native XDP: a sender
 *     thread per CPU with PACKET_QDISC_BYPASS puts its frames on tx queue
 *     (cpu mod 2) of g2, hence rx queue (cpu mod 2) of d2; each of the two
 *     rx workers of d2 must forward its share to g3.
 * Exits 77 naming the missing feature (root, namespaces, veth, AF_XDP,
 * native XDP on veth, two CPUs).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "p4x/engine.h"
#include "p4x/log.h"
#include "p4x/port_afxdp.h"

#define NS_GEN "p4xc-gen"
#define NS_DUT "p4xc-dut"
#define FRAME_LEN 90
#define WAIT_S 10
#define N_FWD 200
#define N_REV 100
#define N_PER_CPU 100

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond);                              \
			exit(1);                                               \
		}                                                              \
	} while (0)

#define CHECK_EQ(a, b)                                                        \
	do {                                                                  \
		long long __a = (long long)(a), __b = (long long)(b);         \
		if (__a != __b) {                                             \
			fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n", \
				__FILE__, __LINE__, #a, __a, __b);            \
			exit(1);                                              \
		}                                                             \
	} while (0)

static const uint8_t MAC_G[4][6] = {
	{2, 0xc0, 0, 0, 0, 0x10},
	{2, 0xc0, 0, 0, 0, 0x11},
	{2, 0xc0, 0, 0, 0, 0x12},
	{2, 0xc0, 0, 0, 0, 0x13},
};
static const uint8_t MAC_D[4][6] = {
	{2, 0xc0, 0, 0, 0, 0x20},
	{2, 0xc0, 0, 0, 0, 0x21},
	{2, 0xc0, 0, 0, 0, 0x22},
	{2, 0xc0, 0, 0, 0, 0x23},
};
static const uint8_t MAC_X[6] = {2, 0xc0, 0, 0, 0, 0x99};
static const uint8_t MARK[4] = {'P', '4', 'X', 'C'};

static void cleanup(void)
{
	if (system("ip netns del " NS_GEN " 2>/dev/null; "
		   "ip netns del " NS_DUT " 2>/dev/null"))
		return;
}

static void on_signal(int sig)
{
	cleanup();
	_exit(128 + sig);
}

static void skip(const char *feature)
{
	printf("SKIP: %s\n", feature);
	exit(77);
}

static int sh(const char *fmt, ...) __p4x_printf(1, 2);
static int sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static const char *mac_str(const uint8_t *m, char *buf)
{
	sprintf(buf, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
		m[4], m[5]);
	return buf;
}

/* veth pair i: p4xc-g<i> in NS_GEN, p4xc-d<i> in NS_DUT. */
static int make_pair(int i, int queues)
{
	char a[18], b[18];

	if (sh("ip link add p4xc-g%d netns " NS_GEN
	       " numrxqueues %d numtxqueues %d address %s type veth peer "
	       "p4xc-d%d netns " NS_DUT
	       " numrxqueues %d numtxqueues %d address %s",
	       i, queues, queues, mac_str(MAC_G[i], a), i, queues, queues,
	       mac_str(MAC_D[i], b)))
		return -1;
	return sh("ip -n " NS_GEN " link set p4xc-g%d up && ip -n " NS_DUT
		  " link set p4xc-d%d up",
		  i, i);
}

static void setup(void)
{
	const char *nosix = "sysctl -qw net.ipv6.conf.all.disable_ipv6=1 "
			    "net.ipv6.conf.default.disable_ipv6=1";
	int i;

	if (geteuid())
		skip("root (network namespaces, XDP)");
	cleanup();
	atexit(cleanup);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGABRT, on_signal);
	signal(SIGSEGV, on_signal);
	signal(SIGBUS, on_signal);
	if (sh("ip netns add " NS_GEN " && ip netns add " NS_DUT))
		skip("network namespaces (ip netns add)");
	/* No IPv6 chatter: the counters below are exact. */
	if (sh("ip netns exec " NS_GEN " %s && ip netns exec " NS_DUT " %s",
	       nosix, nosix))
		skip("net.ipv6.conf sysctls in a namespace");
	for (i = 0; i < 4; i++)
		if (make_pair(i, i < 2 ? 1 : 2))
			skip("veth pairs with 2 queues");
}

static void enter_ns(const char *ns)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/var/run/netns/%s", ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0);
	CHECK(!setns(fd, CLONE_NEWNET));
	close(fd);
}

static void build_frame(uint8_t *f, const uint8_t *dst, const uint8_t *src,
			uint32_t seq)
{
	unsigned int i;

	memset(f, 0, FRAME_LEN);
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x08;
	f[14] = 0x45;
	f[17] = FRAME_LEN - 14;
	f[22] = 64;
	f[23] = 17;
	memcpy(f + 26, "\x0a\x63\x00\x01\x0a\x63\x00\x02", 8);
	f[34] = 0x30;
	f[36] = 0x30;
	f[39] = FRAME_LEN - 34;
	memcpy(f + 42, MARK, 4);
	memcpy(f + 46, &seq, 4);
	for (i = 50; i < FRAME_LEN; i++)
		f[i] = (uint8_t)(i ^ seq);
}

static int packet_sock(const char *ifname, bool bypass)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = (int)if_nametoindex(ifname),
	};
	struct timeval tv = {0, 100000};
	int fd, one = 1;

	CHECK(sll.sll_ifindex > 0);
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	CHECK(fd >= 0);
	CHECK(!bind(fd, (struct sockaddr *)&sll, sizeof(sll)));
	CHECK(!setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	if (bypass)
		CHECK(!setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one,
				  sizeof(one)));
	return fd;
}

struct sender {
	const char *ifname;
	int src, dst_pair; /* MAC_G index of the sender; MAC_D index */
	uint32_t seq0;
	unsigned int n;
	int cpu; /* -1: not pinned */
	bool bypass;
};

static void *send_thread(void *arg)
{
	const struct sender *s = arg;
	uint8_t f[FRAME_LEN];
	cpu_set_t set;
	unsigned int i;
	int fd;

	if (s->cpu >= 0) {
		CPU_ZERO(&set);
		CPU_SET(s->cpu, &set);
		CHECK(!pthread_setaffinity_np(pthread_self(), sizeof(set),
					      &set));
	}
	enter_ns(NS_GEN);
	fd = packet_sock(s->ifname, s->bypass);
	for (i = 0; i < s->n; i++) {
		build_frame(f, MAC_D[s->dst_pair], MAC_G[s->src], s->seq0 + i);
		CHECK(send(fd, f, FRAME_LEN, 0) == FRAME_LEN);
		if (i % 32 == 31)
			usleep(1000); /* stay below the veth/backlog limits */
	}
	close(fd);
	return NULL;
}

/*
 * Receive on @fd (in NS_GEN) until @n marked frames with sequence numbers
 * seq0..seq0+n-1 arrived, each once, rewritten to @dst/@src.
 */
static void expect(int fd, unsigned int n, uint32_t seq0, int orig_src,
		   int orig_dst, const uint8_t *dst, const uint8_t *src)
{
	uint8_t buf[2048], want[FRAME_LEN], seen[1024] = {0};
	struct sockaddr_ll from;
	socklen_t fl;
	time_t t0 = time(NULL);
	unsigned int got = 0;
	uint32_t seq;
	ssize_t len;

	while (got < n) {
		CHECK(time(NULL) - t0 < WAIT_S);
		fl = sizeof(from);
		len = recvfrom(fd, buf, sizeof(buf), 0,
			       (struct sockaddr *)&from, &fl);
		if (len < 0 || from.sll_pkttype == PACKET_OUTGOING ||
		    len != FRAME_LEN || memcmp(buf + 42, MARK, 4))
			continue;
		memcpy(&seq, buf + 46, 4);
		CHECK(seq >= seq0 && seq - seq0 < n && !seen[seq - seq0]);
		seen[seq - seq0] = 1;
		build_frame(want, MAC_D[orig_dst], MAC_G[orig_src], seq);
		memcpy(want, dst, 6);
		memcpy(want + 6, src, 6);
		CHECK(!memcmp(buf, want, FRAME_LEN));
		got++;
	}
}

static struct p4x_engine *engine_two_ports(int a, int b, uint16_t queues,
					   enum p4x_xdp_mode_req mode)
{
	static const int cores[2] = {0, 1};
	struct p4x_engine_opts eo = {
		.sz = sizeof(eo), .cores = cores, .nb_cores = 2};
	struct p4x_port_afxdp_opts po = {.sz = sizeof(po), .mode = mode};
	struct p4x_engine *eng = p4x_engine__new(&eo);
	struct p4x_port *pa, *pb;
	char na[16], nb[16];

	CHECK(eng);
	snprintf(na, sizeof(na), "p4xc-d%d", a);
	snprintf(nb, sizeof(nb), "p4xc-d%d", b);
	pa = p4x_port_afxdp__new(na, queues, p4x_engine__pool(eng), &po);
	if (!pa && errno == EOPNOTSUPP)
		skip(mode == P4X_XDP_MODE_NATIVE ? "native XDP on veth"
						 : "XDP on veth");
	if (!pa && errno == EAFNOSUPPORT)
		skip("AF_XDP sockets");
	CHECK(pa);
	CHECK_EQ(p4x_engine__add_port(eng, pa), 0);
	pb = p4x_port_afxdp__new(nb, queues, p4x_engine__pool(eng), &po);
	CHECK(pb);
	CHECK_EQ(p4x_engine__add_port(eng, pb), 1);
	return eng;
}

/*
 * The fwd program behind a parser that insists on the steering program's
 * metadata (magic, rx queue, UDP at 34): a frame without it is dropped
 * as PROG_DROP, which check_counts() would report.
 */
static struct p4x_prog fwd_inner;

static int meta_parse(void *ctx, struct p4x_pkt *pkt)
{
	const struct p4x_xdp_meta *m = &pkt->meta;

	if (m->magic != P4X_META_MAGIC || m->rx_queue != pkt->in_queue ||
	    m->l3_off != 14 || m->l4_off != 34 || m->l4_proto != 17 ||
	    m->l3_proto != 0x0800 || !(m->flags & P4X_META_F_L4)) {
		pkt->verdict = P4X_VERDICT_DROP;
		pkt->drop_reason = P4X_DROP_PROG_DROP;
		return -EINVAL;
	}
	return fwd_inner.ops->parse(ctx, pkt);
}

static void meta_main(void *ctx, struct p4x_pkt *pkt)
{
	fwd_inner.ops->main(ctx, pkt);
}

static void meta_destroy(void *ctx)
{
	fwd_inner.ops->destroy(ctx);
}

static const struct p4x_prog_ops meta_fwd_ops = {
	.name = "meta-fwd",
	.parse = meta_parse,
	.main = meta_main,
	.destroy = meta_destroy,
};

static void set_rules(struct p4x_engine *eng, int a, int b)
{
	struct p4x_fwd_rule r[2] = {
		{.in_port = 0, .out_port = 1, .flags = P4X_FWD_SET_DST},
		{.in_port = 1,
		 .out_port = 0,
		 .flags = P4X_FWD_SET_DST | P4X_FWD_SET_SRC},
	};
	struct p4x_prog prog;

	memcpy(r[0].dst, MAC_G[b], 6);
	memcpy(r[1].dst, MAC_G[a], 6);
	memcpy(r[1].src, MAC_X, 6);
	p4x_engine__fwd_default_src(eng, r, 2);
	CHECK(!memcmp(r[0].src, MAC_D[b], 6));
	CHECK_EQ(p4x_prog_fwd__init(&fwd_inner, r, 2), 0);
	prog.ops = &meta_fwd_ops;
	prog.ctx = fwd_inner.ctx;
	CHECK_EQ(p4x_engine__set_prog(eng, &prog), 0);
}

/* Engine counters settle shortly after the last frame was seen. */
static void wait_tx(struct p4x_engine *eng, unsigned int port, uint64_t n)
{
	struct p4x_port_stats st;
	time_t t0 = time(NULL);

	do {
		CHECK(time(NULL) - t0 < WAIT_S);
		usleep(1000);
		CHECK_EQ(p4x_engine__port_stats(eng, port, &st), 0);
	} while (st.cnt[P4X_PORT_CNT_TX_PACKETS] < n);
}

static void check_counts(struct p4x_engine *eng, unsigned int port, uint64_t rx,
			 uint64_t tx)
{
	struct p4x_port_stats st;
	struct p4x_xdp_stats xs;
	unsigned int i;

	CHECK_EQ(p4x_engine__port_stats(eng, port, &st), 0);
	CHECK_EQ(st.cnt[P4X_PORT_CNT_RX_PACKETS], rx);
	CHECK_EQ(st.cnt[P4X_PORT_CNT_RX_BYTES], rx * FRAME_LEN);
	CHECK_EQ(st.cnt[P4X_PORT_CNT_TX_PACKETS], tx);
	CHECK_EQ(st.cnt[P4X_PORT_CNT_TX_BYTES], tx * FRAME_LEN);
	for (i = 0; i < P4X_DROP__COUNT; i++)
		CHECK_EQ(st.drop[i], 0);
	CHECK_EQ(p4x_engine__port_xdp_stats(eng, port, &xs), 0);
	CHECK_EQ(xs.cnt[P4X_XDP_CNT_REDIRECT], rx);
}

static void scenario_one_queue(enum p4x_xdp_mode_req mode)
{
	struct sender fwd = {"p4xc-g0", 0, 0, 1000, N_FWD, -1, false};
	struct sender rev = {"p4xc-g1", 1, 1, 2000, N_REV, -1, false};
	struct p4x_engine *eng = engine_two_ports(0, 1, 1, mode);
	struct p4x_port_info info;
	int rx0, rx1;
	pthread_t t;

	p4x_engine__port(eng, 0)->ops->get_info(p4x_engine__port(eng, 0),
						&info);
	CHECK(!strcmp(info.kind, "afxdp"));
	CHECK_EQ(info.mode, mode == P4X_XDP_MODE_NATIVE
				    ? P4X_PORT_MODE_XDP_NATIVE
				    : P4X_PORT_MODE_XDP_GENERIC);
	CHECK(!memcmp(info.mac, MAC_D[0], 6));
	set_rules(eng, 0, 1);
	CHECK_EQ(p4x_engine__start(eng), 0);
	enter_ns(NS_GEN);
	rx0 = packet_sock("p4xc-g0", false);
	rx1 = packet_sock("p4xc-g1", false);
	enter_ns(NS_DUT);
	CHECK(!pthread_create(&t, NULL, send_thread, &fwd));
	expect(rx1, N_FWD, 1000, 0, 0, MAC_G[1], MAC_D[1]);
	pthread_join(t, NULL);
	CHECK(!pthread_create(&t, NULL, send_thread, &rev));
	expect(rx0, N_REV, 2000, 1, 1, MAC_G[0], MAC_X);
	pthread_join(t, NULL);
	wait_tx(eng, 0, N_REV);
	check_counts(eng, 0, N_FWD, N_REV);
	check_counts(eng, 1, N_REV, N_FWD);
	close(rx0);
	close(rx1);
	p4x_engine__free(eng);
	printf("one queue, %s XDP: %d + %d frames forwarded\n",
	       mode == P4X_XDP_MODE_NATIVE ? "native" : "generic", N_FWD,
	       N_REV);
}

static void scenario_two_queues(void)
{
	struct sender s[2] = {
		{"p4xc-g2", 2, 2, 5000, N_PER_CPU, 0, true},
		{"p4xc-g2", 2, 2, 5000 + N_PER_CPU, N_PER_CPU, 1, true},
	};
	struct p4x_engine *eng;
	struct p4x_worker_info wi;
	pthread_t t[2];
	unsigned int i;
	int rx3;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		skip("two CPUs (to steer veth rx queues)");
	eng = engine_two_ports(2, 3, 2, P4X_XDP_MODE_NATIVE);
	set_rules(eng, 2, 3);
	CHECK_EQ(p4x_engine__nb_workers(eng), 4);
	CHECK_EQ(p4x_engine__start(eng), 0);
	enter_ns(NS_GEN);
	rx3 = packet_sock("p4xc-g3", false);
	enter_ns(NS_DUT);
	for (i = 0; i < 2; i++)
		CHECK(!pthread_create(&t[i], NULL, send_thread, &s[i]));
	expect(rx3, 2 * N_PER_CPU, 5000, 2, 2, MAC_G[3], MAC_D[3]);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	wait_tx(eng, 1, 2 * N_PER_CPU);
	check_counts(eng, 0, 2 * N_PER_CPU, 0);
	/* Workers 0 and 1 own rx queues 0 and 1 of p4xc-d2. */
	for (i = 0; i < 2; i++) {
		CHECK_EQ(p4x_engine__worker_info(eng, i, &wi), 0);
		CHECK_EQ(wi.port, 0);
		CHECK_EQ(wi.queue, i);
		CHECK_EQ(wi.rx_packets, N_PER_CPU);
	}
	close(rx3);
	p4x_engine__free(eng);
	printf("two queues, native XDP: %d frames per rx queue forwarded\n",
	       N_PER_CPU);
}

static void wait_redirects(const struct p4x_port *port, uint64_t n)
{
	struct p4x_xdp_stats xs;
	time_t t0 = time(NULL);

	do {
		CHECK(time(NULL) - t0 < WAIT_S);
		usleep(1000);
		CHECK_EQ(port->ops->xdp_stats(port, &xs), 0);
	} while (xs.cnt[P4X_XDP_CNT_REDIRECT] < n);
}

/*
 * One port outside an engine: refusals, then rx, tx back out of the same
 * port, completions, and close() returning every frame to the pool.
 */
static void scenario_port_alone(void)
{
	struct p4x_pool_opts o = {.sz = sizeof(o), .nb_frames = 4096};
	struct sender snd = {"p4xc-g0", 0, 0, 7000, 50, -1, false};
	struct p4x_pool *pool = p4x_pool__new(&o);
	struct p4x_pkt pkts[64];
	struct p4x_port *port;
	unsigned int n = 0, k;
	time_t t0;
	pthread_t t;
	int rx;

	CHECK(pool);
	CHECK(!p4x_port_afxdp__new("p4xc-nope", 1, pool, NULL));
	CHECK_EQ(errno, ENODEV);
	CHECK(!p4x_port_afxdp__new("p4xc-d0", 2, pool, NULL));
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(p4x_pool__free_count(pool), 4096);
	port = p4x_port_afxdp__new("p4xc-d0", 1, pool, NULL);
	CHECK(port);
	/* A second steering program on the same interface is refused. */
	CHECK(!p4x_port_afxdp__new("p4xc-d0", 1, pool, NULL));
	CHECK(errno == EEXIST || errno == EBUSY);
	CHECK(p4x_pool__free_count(pool) < 4096); /* fill ring stocked */
	enter_ns(NS_GEN);
	rx = packet_sock("p4xc-g0", false);
	enter_ns(NS_DUT);
	CHECK(!pthread_create(&t, NULL, send_thread, &snd));
	pthread_join(t, NULL);
	wait_redirects(port, 50);
	t0 = time(NULL);
	while (n < 20) {
		CHECK(time(NULL) - t0 < WAIT_S);
		n += port->ops->rx_burst(port, 0, pkts + n, 20 - n);
	}
	CHECK_EQ(pkts[0].meta.magic, P4X_META_MAGIC);
	k = port->ops->tx_burst(port, 0, pkts, 20);
	CHECK_EQ(k, 20);
	expect(rx, 20, 7000, 0, 0, MAC_D[0], MAC_G[0]);
	/* 30 frames stay in the rx ring, 20 in the completion ring. */
	close(rx);
	port->ops->close(port);
	CHECK_EQ(p4x_pool__free_count(pool), 4096);
	p4x_pool__free(pool);
	printf("port alone: refusals, rx/tx and frame reclaim ok\n");
}

int main(void)
{
	p4x_log__init(P4X_LOG_INFO);
	setup();
	enter_ns(NS_DUT);
	scenario_port_alone();
	scenario_one_queue(P4X_XDP_MODE_NATIVE);
	scenario_one_queue(P4X_XDP_MODE_GENERIC);
	scenario_two_queues();
	return 0;
}
