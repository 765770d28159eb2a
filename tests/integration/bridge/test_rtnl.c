// SPDX-License-Identifier: BSD-3-Clause
/*
 * The rtnetlink source against the kernel. rtnl.sh runs this binary inside
 * a namespace it creates (p4xn-rtnl-PID) and deletes by name; every `ip`
 * command here runs in that namespace. Scenarios, each ending with an empty
 * p4x_bridge_rtnl__diff:
 *  1. start: links, addresses, routes already present are mirrored;
 *  2. routes: IPv4/IPv6 add, replace, ECMP with weights, IPv6 sibling
 *     deletion, del;
 *  3. neighbours: add/change through permanent, reachable, stale, delay,
 *     probe, failed, noarp; IPv6; del;
 *  4. links: mtu, address, down (IPv4 routes flushed silently by the
 *     kernel), up; addresses add/del;
 *  5. overrun: a second source with a 64 KB buffer is not read while
 *     100k routes go in with `ip -batch`: ENOBUFS, resync, all mirrored;
 *  5b. sequence gap: address dumps interrupted by a link changing its
 *     addresses are detected (NLM_F_DUMP_INTR) and done again;
 *  6. restart: the source is freed, routes change, a new source over the
 *     same mirror converges with only the difference applied;
 *  0. the mirror against a reference model, and undoing what its next
 *     sink refuses (no kernel);
 *  7. decoding: a malformed message is refused and changes nothing; sent
 *     to the event socket, it is counted and the source resyncs.
 * Every wait is bounded (WAIT_ROUNDS polls of at most POLL_MS).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "p4x/bridge.h"
#include "p4x/log.h"

#define WAIT_ROUNDS 1000 /* x POLL_MS: 10 s per wait at most */
#define POLL_MS 10
#define N_BULK 100000
#define N_ADDRS 4000  /* a dump of several datagrams */
#define N_CHURN 20000 /* add/del pairs while dumping (stopped early) */

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

struct fixture {
	struct p4x_bridge_mirror *m;
	struct p4x_bridge_source *src;
};

static void sh(const char *fmt, ...) __p4x_printf(1, 2);
static void sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) != 0) {
		fprintf(stderr, "command failed: %s\n", cmd);
		exit(1);
	}
}

static void pump(struct p4x_bridge_source *src)
{
	struct pollfd pfd = {.fd = p4x_bridge_source__fd(src),
			     .events = POLLIN};

	CHECK(p4x_bridge_source__process(src, 100000) >= 0);
	poll(&pfd, 1, POLL_MS);
	CHECK(p4x_bridge_source__process(src, 100000) >= 0);
}

typedef bool (*pred_fn)(const struct fixture *f, const void *arg);

static void wait_for(const struct fixture *f, pred_fn pred, const void *arg,
		     const char *what)
{
	for (int i = 0; i < WAIT_ROUNDS; i++) {
		if (pred(f, arg)) {
			printf("ok: %s\n", what);
			return;
		}
		pump(f->src);
	}
	fprintf(stderr, "FAIL: %s: not seen after %d polls\n", what,
		WAIT_ROUNDS);
	exit(1);
}

/* ---- diff ------------------------------------------------------------ */

/* ctx non-NULL: print each difference; NULL: only count. */
static int print_diff(void *ctx, enum p4x_rt_kind kind, enum p4x_rt_op op,
		      const void *obj)
{
	char line[512];

	if (!ctx)
		return 0;
	p4x_rt__snprintf(line, sizeof(line), kind, obj);
	fprintf(stderr, "  diff %s: %s\n",
		op == P4X_RT_ADD   ? "only in kernel"
		: op == P4X_RT_DEL ? "only in mirror"
				   : "differs, kernel has",
		line);
	return 0;
}

static int d_link(void *c, enum p4x_rt_op op, const struct p4x_rt_link *o)
{
	return print_diff(c, P4X_RT_LINK, op, o);
}

static int d_addr(void *c, enum p4x_rt_op op, const struct p4x_rt_addr *o)
{
	return print_diff(c, P4X_RT_ADDR, op, o);
}

static int d_route(void *c, enum p4x_rt_op op, const struct p4x_rt_route *o)
{
	return print_diff(c, P4X_RT_ROUTE, op, o);
}

static int d_neigh(void *c, enum p4x_rt_op op, const struct p4x_rt_neigh *o)
{
	return print_diff(c, P4X_RT_NEIGH, op, o);
}

static const struct p4x_bridge_rt_sink_ops diff_ops = {
	.link = d_link,
	.addr = d_addr,
	.route = d_route,
	.neigh = d_neigh,
};

static void expect_no_diff(const struct fixture *f, const char *when)
{
	struct p4x_bridge_rt_sink quiet = {&diff_ops, NULL};
	struct p4x_bridge_rt_sink loud = {&diff_ops, (void *)f};
	long n = -1;

	/* The last change may still be on its way: bounded settling. */
	for (int i = 0; i < 100 && n != 0; i++) {
		pump(f->src);
		n = p4x_bridge_rtnl__diff(f->m, &quiet);
	}
	if (n != 0) {
		fprintf(stderr, "FAIL: diff after %s: %ld\n", when, n);
		p4x_bridge_rtnl__diff(f->m, &loud);
		exit(1);
	}
	printf("ok: no difference after %s\n", when);
}

/* Differences listed through the source's ops table. */
static int diff_seen;

static int count_diff(void *arg, enum p4x_bridge_diff what, const char *obj)
{
	printf("  %s: %s\n", p4x_bridge_diff__name(what), obj);
	CHECK(what == P4X_BRIDGE_DIFF_ONLY_KERNEL);
	CHECK(!strncmp(obj, arg, strlen(arg)));
	diff_seen++;
	return 0;
}

/* ---- lookups --------------------------------------------------------- */

static void parse_addr(const char *s, uint8_t *family, uint8_t *out)
{
	*family = strchr(s, ':') ? AF_INET6 : AF_INET;
	CHECK(inet_pton(*family, s, out) == 1);
}

static uint32_t ifx(const char *name)
{
	uint32_t i = if_nametoindex(name);

	CHECK(i != 0);
	return i;
}

static const struct p4x_rt_route *
route(const struct fixture *f, const char *dst, int len, uint32_t metric)
{
	struct p4x_rt_route_key k;

	memset(&k, 0, sizeof(k));
	parse_addr(dst, &k.family, k.dst);
	k.dst_len = (uint8_t)len;
	k.table = RT_TABLE_MAIN;
	k.priority = metric;
	return p4x_bridge_mirror__lookup(f->m, P4X_RT_ROUTE, &k);
}

static const struct p4x_rt_neigh *neigh(const struct fixture *f,
					const char *addr, const char *dev)
{
	struct p4x_rt_neigh_key k;

	memset(&k, 0, sizeof(k));
	parse_addr(addr, &k.family, k.addr);
	k.ifindex = ifx(dev);
	return p4x_bridge_mirror__lookup(f->m, P4X_RT_NEIGH, &k);
}

static const struct p4x_rt_link *link_of(const struct fixture *f,
					 const char *dev)
{
	struct p4x_rt_link_key k = {ifx(dev)};

	return p4x_bridge_mirror__lookup(f->m, P4X_RT_LINK, &k);
}

/* A route expectation: gone (nh < 0) or with these next hops. */
struct want_route {
	const char *dst;
	int len;
	uint32_t metric;
	int nh; /* -1: absent */
	const char *gw[2];
	const char *dev[2];
	uint16_t weight[2];
};

static bool nh_is(const struct p4x_rt_nh *nh, const char *gw, const char *dev,
		  uint16_t weight)
{
	uint8_t fam, a[16] = {0};

	parse_addr(gw, &fam, a);
	return nh->gw_family == fam && !memcmp(nh->gw, a, 16) &&
	       nh->ifindex == if_nametoindex(dev) &&
	       nh->weight == (weight ? weight : 1);
}

static bool route_is(const struct fixture *f, const void *arg)
{
	const struct want_route *w = arg;
	const struct p4x_rt_route *r = route(f, w->dst, w->len, w->metric);
	bool used[2] = {false, false};

	if (w->nh < 0 || !r)
		return (w->nh < 0) == !r;
	if (r->nh_count != (uint32_t)w->nh)
		return false;
	/* Next hops in any order. */
	for (int i = 0; i < w->nh; i++) {
		bool found = false;

		for (int j = 0; j < w->nh && !found; j++)
			if (!used[j] &&
			    nh_is(&r->nh[i], w->gw[j], w->dev[j], w->weight[j]))
				used[j] = found = true;
		if (!found)
			return false;
	}
	return true;
}

struct want_neigh {
	const char *addr, *dev;
	int state; /* -1: absent */
	const char *lladdr;
};

static bool neigh_is(const struct fixture *f, const void *arg)
{
	const struct want_neigh *w = arg;
	const struct p4x_rt_neigh *n = neigh(f, w->addr, w->dev);
	unsigned int b[6];

	if (w->state < 0 || !n)
		return (w->state < 0) == !n;
	if (n->state != w->state)
		return false;
	if (!w->lladdr)
		return true;
	CHECK(sscanf(w->lladdr, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3],
		     &b[4], &b[5]) == 6);
	if (n->lladdr_len != 6)
		return false;
	for (int i = 0; i < 6; i++)
		if (n->lladdr[i] != b[i])
			return false;
	return true;
}

struct want_link {
	const char *dev;
	bool up;
	uint32_t mtu;
	uint8_t mac_last; /* last byte of the MAC, 0: any */
};

static bool link_is(const struct fixture *f, const void *arg)
{
	const struct want_link *w = arg;
	const struct p4x_rt_link *l = link_of(f, w->dev);

	return l && !!(l->flags & IFF_UP) == w->up && l->mtu == w->mtu &&
	       (!w->mac_last ||
		(l->addr_len == 6 && l->addr[5] == w->mac_last));
}

static bool addr_held(const struct fixture *f, const char *a, int len,
		      const char *dev)
{
	struct p4x_rt_addr_key k;

	memset(&k, 0, sizeof(k));
	parse_addr(a, &k.family, k.addr);
	k.prefixlen = (uint8_t)len;
	k.ifindex = ifx(dev);
	return p4x_bridge_mirror__lookup(f->m, P4X_RT_ADDR, &k);
}

static bool addr_present(const struct fixture *f, const void *arg)
{
	return addr_held(f, arg, 24, "p4xn-d0");
}

static bool addr_absent(const struct fixture *f, const void *arg)
{
	return !addr_held(f, arg, 24, "p4xn-d0");
}

/* Neighbour states the mirror forwarded to its next sink. */
static unsigned int seen_states;

static bool state_seen(const struct fixture *f, const void *arg)
{
	return seen_states & *(const int *)arg;
}

static int rec_link(void *c, enum p4x_rt_op op, const struct p4x_rt_link *o)
{
	return 0;
}

static int rec_addr(void *c, enum p4x_rt_op op, const struct p4x_rt_addr *o)
{
	return 0;
}

static int rec_route(void *c, enum p4x_rt_op op, const struct p4x_rt_route *o)
{
	return 0;
}

static int rec_neigh(void *c, enum p4x_rt_op op, const struct p4x_rt_neigh *o)
{
	if (op != P4X_RT_DEL)
		seen_states |= o->state;
	return 0;
}

static const struct p4x_bridge_rt_sink_ops rec_ops = {
	.link = rec_link,
	.addr = rec_addr,
	.route = rec_route,
	.neigh = rec_neigh,
};

#define WAIT_ROUTE(f, what, ...) \
	wait_for(f, route_is, &(struct want_route){__VA_ARGS__}, what)
#define WAIT_NEIGH(f, what, ...) \
	wait_for(f, neigh_is, &(struct want_neigh){__VA_ARGS__}, what)
#define WAIT_LINK(f, what, ...) \
	wait_for(f, link_is, &(struct want_link){__VA_ARGS__}, what)

/* ---- scenarios ------------------------------------------------------- */

static void topology(void)
{
	sh("ip link set lo up");
	sh("ip link add p4xn-d0 type veth peer name p4xn-d0p");
	sh("ip link add p4xn-va type veth peer name p4xn-vb");
	sh("ip link set p4xn-d0 up && ip link set p4xn-d0p up && ip link set "
	   "p4xn-va up && "
	   "ip link set p4xn-vb up");
	sh("ip addr add 10.1.0.1/24 dev p4xn-d0");
	sh("ip addr add 10.2.0.1/24 dev p4xn-va");
	sh("ip -6 addr add fd00:1::1/64 dev p4xn-d0 nodad");
	sh("ip -6 addr add fd00:2::1/64 dev p4xn-va nodad");
	sh("ip route add 10.8.0.0/16 via 10.1.0.2");
}

static void start(struct fixture *f, const struct p4x_bridge_rtnl_opts *o)
{
	f->src = p4x_bridge_rtnl__new(f->m, o);
	CHECK(f->src);
	CHECK_EQ(p4x_bridge_source__start(f->src), 0);
}

static void scenario_start(struct fixture *f)
{
	struct p4x_bridge_status st;

	static const struct p4x_bridge_rt_sink rec = {&rec_ops, NULL};
	struct p4x_bridge_mirror_opts mo = {.sz = sizeof(mo), .next = &rec};

	f->m = p4x_bridge_mirror__new(&mo);
	CHECK(f->m);
	start(f, NULL);
	p4x_bridge_source__status(f->src, &st);
	CHECK_EQ(st.state, P4X_BRIDGE_SYNCED);
	CHECK_EQ(st.last_cause, P4X_BRIDGE_CAUSE_START);
	CHECK_EQ(st.resyncs, 1);
	CHECK(link_of(f, "p4xn-d0") && link_of(f, "p4xn-vb"));
	CHECK(addr_held(f, "10.1.0.1", 24, "p4xn-d0"));
	CHECK(addr_held(f, "fd00:2::1", 64, "p4xn-va"));
	CHECK(route_is(
		f, &(struct want_route){
			   "10.8.0.0", 16, 0, 1, {"10.1.0.2"}, {"p4xn-d0"}}));
	printf("ok: start dump (%zu links, %zu addrs, %zu routes)\n",
	       p4x_bridge_mirror__count(f->m, P4X_RT_LINK),
	       p4x_bridge_mirror__count(f->m, P4X_RT_ADDR),
	       p4x_bridge_mirror__count(f->m, P4X_RT_ROUTE));
	expect_no_diff(f, "start");
}

static void scenario_routes(struct fixture *f)
{
	sh("ip route add 10.9.0.0/24 via 10.1.0.2");
	WAIT_ROUTE(f, "v4 add", "10.9.0.0", 24, 0, 1, {"10.1.0.2"},
		   {"p4xn-d0"});
	sh("ip route replace 10.9.0.0/24 via 10.2.0.2");
	WAIT_ROUTE(f, "v4 replace", "10.9.0.0", 24, 0, 1, {"10.2.0.2"},
		   {"p4xn-va"});
	sh("ip route add 10.10.0.0/24 nexthop via 10.1.0.2 weight 1 "
	   "nexthop via 10.2.0.2 weight 3");
	WAIT_ROUTE(f, "v4 ECMP, weights 1 and 3", "10.10.0.0", 24, 0, 2,
		   {"10.1.0.2", "10.2.0.2"}, {"p4xn-d0", "p4xn-va"}, {1, 3});
	sh("ip route replace 10.10.0.0/24 nexthop via 10.1.0.3 "
	   "nexthop via 10.2.0.3");
	WAIT_ROUTE(f, "v4 ECMP replace", "10.10.0.0", 24, 0, 2,
		   {"10.1.0.3", "10.2.0.3"}, {"p4xn-d0", "p4xn-va"});
	sh("ip -6 route add fd00:9::/64 via fd00:1::2");
	WAIT_ROUTE(f, "v6 add", "fd00:9::", 64, 1024, 1, {"fd00:1::2"},
		   {"p4xn-d0"});
	sh("ip -6 route replace fd00:9::/64 via fd00:2::2");
	WAIT_ROUTE(f, "v6 replace", "fd00:9::", 64, 1024, 1, {"fd00:2::2"},
		   {"p4xn-va"});
	sh("ip -6 route add fd00:a::/64 nexthop via fd00:1::2 "
	   "nexthop via fd00:2::2");
	WAIT_ROUTE(f, "v6 ECMP", "fd00:a::", 64, 1024, 2,
		   {"fd00:1::2", "fd00:2::2"}, {"p4xn-d0", "p4xn-va"});
	sh("ip -6 route del fd00:a::/64 via fd00:1::2");
	WAIT_ROUTE(f, "v6 ECMP sibling deleted", "fd00:a::", 64, 1024, 1,
		   {"fd00:2::2"}, {"p4xn-va"});
	sh("ip route del 10.9.0.0/24 && ip -6 route del fd00:9::/64");
	WAIT_ROUTE(f, "v4 del", "10.9.0.0", 24, 0, -1);
	WAIT_ROUTE(f, "v6 del", "fd00:9::", 64, 1024, -1);
	sh("ip nexthop add id 10 via 10.1.0.2 dev p4xn-d0 && "
	   "ip route add 10.30.0.0/24 nhid 10");
	WAIT_ROUTE(f, "route over a nexthop object", "10.30.0.0", 24, 0, 1,
		   {"10.1.0.2"}, {"p4xn-d0"});
	CHECK_EQ(route(f, "10.30.0.0", 24, 0)->nh_id, 10);
	sh("ip nexthop replace id 10 via 10.1.0.3 dev p4xn-d0");
	WAIT_ROUTE(f, "nexthop object replaced", "10.30.0.0", 24, 0, 1,
		   {"10.1.0.3"}, {"p4xn-d0"});
	sh("ip nexthop del id 10");
	WAIT_ROUTE(f, "route gone with its nexthop object", "10.30.0.0", 24, 0,
		   -1);
	diff_seen = 0;
	sh("ip route add 10.77.0.0/24 via 10.1.0.2");
	/* Not pumped yet: the source's diff slot lists exactly this. */
	CHECK_EQ(p4x_bridge_source__diff(f->src, count_diff,
					 "route 10.77.0.0/24 "),
		 1);
	CHECK_EQ(diff_seen, 1);
	WAIT_ROUTE(f, "route listed by diff, then mirrored", "10.77.0.0", 24, 0,
		   1, {"10.1.0.2"}, {"p4xn-d0"});
	CHECK_EQ(p4x_bridge_source__diff(f->src, count_diff, ""), 0);
	sh("ip route add blackhole 10.66.0.0/16 metric 7");
	WAIT_ROUTE(f, "v4 blackhole with metric", "10.66.0.0", 16, 7, 0);
	CHECK_EQ(route(f, "10.66.0.0", 16, 7)->type, RTN_BLACKHOLE);
	expect_no_diff(f, "routes");
}

static void scenario_neigh(struct fixture *f)
{
	static const struct {
		const char *nud;
		int state;
	} steps[] = {
		{"reachable", NUD_REACHABLE}, {"stale", NUD_STALE},
		{"delay", NUD_DELAY},	      {"probe", NUD_PROBE},
		{"failed", NUD_FAILED},	      {"noarp", NUD_NOARP},
		{"permanent", NUD_PERMANENT},
	};
	char what[80];

	sh("ip neigh add 10.2.0.7 lladdr 02:00:00:00:00:07 dev p4xn-va "
	   "nud permanent");
	WAIT_NEIGH(f, "neigh add permanent", "10.2.0.7", "p4xn-va",
		   NUD_PERMANENT, "02:00:00:00:00:07");
	seen_states = 0;
	for (size_t i = 0; i < P4X_ARRAY_SIZE(steps); i++) {
		sh("ip neigh change 10.2.0.7 lladdr 02:00:00:00:00:%02zx "
		   "dev p4xn-va nud %s",
		   0x10 + i, steps[i].nud);
		snprintf(what, sizeof(what),
			 "neigh change to %s reaches the sink", steps[i].nud);
		/* A state may be left at once (delay -> reachable): watch
		 * what the mirror forwards, not what it holds. */
		wait_for(f, state_seen, &steps[i].state, what);
		seen_states = 0;
	}
	WAIT_NEIGH(f, "neigh ends permanent with the last lladdr", "10.2.0.7",
		   "p4xn-va", NUD_PERMANENT, "02:00:00:00:00:16");
	sh("ip -6 neigh add fd00:2::7 lladdr 02:00:00:00:00:77 dev p4xn-va "
	   "nud reachable");
	WAIT_NEIGH(f, "v6 neigh add", "fd00:2::7", "p4xn-va", NUD_REACHABLE,
		   "02:00:00:00:00:77");
	sh("ip neigh del 10.2.0.7 dev p4xn-va && "
	   "ip -6 neigh del fd00:2::7 dev p4xn-va");
	WAIT_NEIGH(f, "neigh del", "10.2.0.7", "p4xn-va", -1);
	WAIT_NEIGH(f, "v6 neigh del", "fd00:2::7", "p4xn-va", -1);
	sh("ip neigh add 10.2.0.8 lladdr 02:00:00:00:00:08 dev p4xn-va "
	   "nud permanent");
	WAIT_NEIGH(f, "neigh kept for the link test", "10.2.0.8", "p4xn-va",
		   NUD_PERMANENT, "02:00:00:00:00:08");
	expect_no_diff(f, "neighbours");
}

static void scenario_links(struct fixture *f)
{
	sh("ip link set p4xn-va mtu 1400");
	WAIT_LINK(f, "link mtu", "p4xn-va", true, 1400);
	sh("ip link set p4xn-va address 02:00:00:00:aa:01");
	WAIT_LINK(f, "link address", "p4xn-va", true, 1400, 0x01);
	sh("ip route add 10.11.0.0/24 via 10.2.0.2");
	WAIT_ROUTE(f, "route via the link", "10.11.0.0", 24, 0, 1, {"10.2.0.2"},
		   {"p4xn-va"});
	sh("ip link set p4xn-va down");
	WAIT_LINK(f, "link down", "p4xn-va", false, 1400, 0x01);
	WAIT_ROUTE(f, "v4 route flushed with its link", "10.11.0.0", 24, 0, -1);
	expect_no_diff(f, "link down");
	sh("ip link set p4xn-va up");
	WAIT_LINK(f, "link up", "p4xn-va", true, 1400, 0x01);
	/* IPv6 addresses went with the link; put ours back. */
	sh("ip -6 addr add fd00:2::1/64 dev p4xn-va nodad");
	expect_no_diff(f, "link up");
	sh("ip addr add 10.3.0.1/24 dev p4xn-d0");
	wait_for(f, addr_present, "10.3.0.1", "addr add");
	sh("ip route add 10.12.0.0/24 via 10.1.0.2 src 10.3.0.1");
	WAIT_ROUTE(f, "route with prefsrc", "10.12.0.0", 24, 0, 1, {"10.1.0.2"},
		   {"p4xn-d0"});
	sh("ip addr del 10.3.0.1/24 dev p4xn-d0");
	wait_for(f, addr_absent, "10.3.0.1", "addr del");
	WAIT_ROUTE(f, "prefsrc route flushed with its address", "10.12.0.0", 24,
		   0, -1);
	expect_no_diff(f, "addresses");
	sh("ip link add p4xn-d1 type veth peer name p4xn-d1p && ip link set "
	   "p4xn-d1 up && ip link set p4xn-d1p up && "
	   "ip addr add 10.4.0.1/24 dev p4xn-d1 && "
	   "ip route add 10.13.0.0/24 via 10.4.0.2");
	WAIT_ROUTE(f, "route via a new link", "10.13.0.0", 24, 0, 1,
		   {"10.4.0.2"}, {"p4xn-d1"});
	sh("ip link del p4xn-d1");
	WAIT_ROUTE(f, "route gone with its link", "10.13.0.0", 24, 0, -1);
	expect_no_diff(f, "link deletion");
}

static void bulk_file(const char *path, const char *verb)
{
	FILE *fp = fopen(path, "w");

	CHECK(fp);
	for (int i = 0; i < N_BULK; i++)
		fprintf(fp, "route %s 10.%d.%d.%d/32 via 10.1.0.2 proto 199\n",
			verb, 128 + (i >> 16), (i >> 8) & 255, i & 255);
	CHECK(fclose(fp) == 0);
}

static void scenario_overrun(struct fixture *f, const char *dir)
{
	struct p4x_bridge_rtnl_opts o = {.sz = sizeof(o), .rcvbuf = 65536};
	struct fixture small = {p4x_bridge_mirror__new(NULL), NULL};
	struct p4x_bridge_status st;
	char path[256];

	CHECK(small.m);
	start(&small, &o);
	snprintf(path, sizeof(path), "%s/p4xn-bulk-add", dir);
	bulk_file(path, "add");
	/* Nobody reads either source while the batch runs. */
	sh("ip -batch %s", path);
	for (int i = 0; i < 20; i++)
		pump(small.src);
	p4x_bridge_source__status(small.src, &st);
	printf("overrun: enobufs %llu resyncs %llu last cause %s changes "
	       "%llu events %llu\n",
	       (unsigned long long)st.enobufs, (unsigned long long)st.resyncs,
	       p4x_bridge_cause__name(st.last_cause),
	       (unsigned long long)st.resync_changes,
	       (unsigned long long)st.events);
	CHECK(st.enobufs >= 1);
	CHECK(st.resyncs >= 2);
	CHECK_EQ(st.last_cause, P4X_BRIDGE_CAUSE_ENOBUFS);
	CHECK(p4x_bridge_mirror__count(small.m, P4X_RT_ROUTE) >= N_BULK);
	expect_no_diff(&small, "overrun (64 KB buffer)");
	expect_no_diff(f, "overrun (default buffer)");
	sh("ip route flush proto 199");
	expect_no_diff(&small, "bulk flush (64 KB buffer)");
	expect_no_diff(f, "bulk flush (default buffer)");
	CHECK(p4x_bridge_mirror__count(small.m, P4X_RT_ROUTE) < 100);
	p4x_bridge_source__free(small.src);
	p4x_bridge_mirror__free(small.m);
	unlink(path);
}

/* Runs `ip -batch PATH` in the background; returns its pid. */
static pid_t ip_batch_bg(const char *path)
{
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (pid == 0) {
		execlp("ip", "ip", "-batch", path, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static void scenario_seq_gap(struct fixture *f, const char *dir)
{
	struct p4x_bridge_status st;
	char many[256], churn[256];
	int status, tries;
	FILE *fp;
	pid_t pid;

	/* Enough addresses for a dump of many datagrams... */
	snprintf(many, sizeof(many), "%s/p4xn-addrs", dir);
	CHECK(fp = fopen(many, "w"));
	for (int i = 0; i < N_ADDRS; i++)
		fprintf(fp, "address add 10.200.%d.%d/32 dev p4xn-vb\n", i >> 8,
			i & 255);
	CHECK(fclose(fp) == 0);
	sh("ip -batch %s", many);
	/* ...and another link changing its addresses meanwhile. */
	snprintf(churn, sizeof(churn), "%s/p4xn-churn", dir);
	CHECK(fp = fopen(churn, "w"));
	for (int i = 0; i < N_CHURN; i++)
		fprintf(fp, "address add 10.201.0.1/32 dev p4xn-d0p\n"
			    "address del 10.201.0.1/32 dev p4xn-d0p\n");
	CHECK(fclose(fp) == 0);
	pid = ip_batch_bg(churn);
	for (tries = 0; tries < 200; tries++) {
		p4x_bridge_source__resync(f->src, P4X_BRIDGE_CAUSE_REQUEST);
		p4x_bridge_source__status(f->src, &st);
		if (st.seq_gaps)
			break;
	}
	kill(pid, SIGTERM);
	CHECK(waitpid(pid, &status, 0) == pid);
	printf("seq gap: %llu interrupted dumps in %d resyncs\n",
	       (unsigned long long)st.seq_gaps, tries + 1);
	CHECK(st.seq_gaps >= 1);
	CHECK_EQ(p4x_bridge_source__resync(f->src, P4X_BRIDGE_CAUSE_REQUEST),
		 0);
	expect_no_diff(f, "interrupted dumps");
	sh("ip -4 addr flush dev p4xn-vb");
	expect_no_diff(f, "address flush");
	unlink(many);
	unlink(churn);
}

static void scenario_restart(struct fixture *f)
{
	struct p4x_bridge_status st;

	p4x_bridge_source__free(f->src);
	f->src = NULL;
	sh("ip route add 10.20.0.0/24 via 10.1.0.2");
	sh("ip route del 10.10.0.0/24");
	sh("ip route replace 10.8.0.0/16 via 10.2.0.9");
	sh("ip -6 route add fd00:20::/64 nexthop via fd00:1::2 "
	   "nexthop via fd00:2::2");
	sh("ip neigh replace 10.2.0.8 lladdr 02:00:00:00:00:88 dev p4xn-va "
	   "nud permanent");
	start(f, NULL);
	p4x_bridge_source__status(f->src, &st);
	CHECK_EQ(st.resyncs, 1);
	/* Exactly what changed while stopped (plus kernel churn, if any). */
	CHECK(st.resync_changes >= 5);
	CHECK(st.resync_changes < 20);
	CHECK(route_is(
		f, &(struct want_route){
			   "10.20.0.0", 24, 0, 1, {"10.1.0.2"}, {"p4xn-d0"}}));
	CHECK(route_is(f, &(struct want_route){"10.10.0.0", 24, 0, -1}));
	CHECK(route_is(
		f, &(struct want_route){
			   "10.8.0.0", 16, 0, 1, {"10.2.0.9"}, {"p4xn-va"}}));
	CHECK(route_is(f, &(struct want_route){"fd00:20::",
					       64,
					       1024,
					       2,
					       {"fd00:1::2", "fd00:2::2"},
					       {"p4xn-d0", "p4xn-va"}}));
	CHECK(neigh_is(f, &(struct want_neigh){"10.2.0.8", "p4xn-va",
					       NUD_PERMANENT,
					       "02:00:00:00:00:88"}));
	printf("ok: restart applied %llu changes\n",
	       (unsigned long long)st.resync_changes);
	expect_no_diff(f, "restart");
}

static bool resynced_undecodable(const struct fixture *f, const void *arg)
{
	struct p4x_bridge_status st;

	p4x_bridge_source__status(f->src, &st);
	return st.undecodable == 1 && st.resyncs == *(const uint64_t *)arg &&
	       st.last_cause == P4X_BRIDGE_CAUSE_UNDECODABLE &&
	       st.state == P4X_BRIDGE_SYNCED;
}

/* Send @msg to the source's event socket (root may unicast to a port). */
static void inject(struct fixture *f, const void *msg, size_t len)
{
	struct sockaddr_nl to = {.nl_family = AF_NETLINK};
	socklen_t tl = sizeof(to);
	struct p4x_bridge_status st;
	uint64_t want;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	CHECK(fd >= 0);
	CHECK(getsockname(p4x_bridge_source__fd(f->src), (struct sockaddr *)&to,
			  &tl) == 0);
	to.nl_groups = 0;
	CHECK(sendto(fd, msg, len, 0, (struct sockaddr *)&to, sizeof(to)) ==
	      (ssize_t)len);
	close(fd);
	p4x_bridge_source__status(f->src, &st);
	CHECK_EQ(st.undecodable, 0);
	want = st.resyncs + 1;
	wait_for(f, resynced_undecodable, &want,
		 "undecodable event counted, source resynced");
}

static void scenario_decode(struct fixture *f)
{
	struct {
		struct nlmsghdr h;
		struct rtmsg r;
		struct rtattr a;
		uint8_t dst[3]; /* RTA_DST of 3 bytes for IPv4: invalid */
		uint8_t pad;
	} bad;
	struct p4x_bridge_rt_sink sink = p4x_bridge_mirror__sink(f->m);
	size_t before = p4x_bridge_mirror__count(f->m, P4X_RT_ROUTE);

	memset(&bad, 0, sizeof(bad));
	bad.h.nlmsg_len = sizeof(bad);
	bad.h.nlmsg_type = RTM_NEWROUTE;
	bad.r.rtm_family = AF_INET;
	bad.r.rtm_dst_len = 24;
	bad.r.rtm_table = RT_TABLE_MAIN;
	bad.a.rta_len = sizeof(bad.a) + 3;
	bad.a.rta_type = RTA_DST;
	CHECK_EQ(p4x_bridge_rtnl__apply_buf(&sink, &bad, sizeof(bad)),
		 -EBADMSG);
	CHECK_EQ(p4x_bridge_mirror__count(f->m, P4X_RT_ROUTE), before);
	printf("ok: malformed route refused, mirror unchanged\n");
	inject(f, &bad, sizeof(bad));
	expect_no_diff(f, "decode check");
}

static void model_route(uint32_t v, uint8_t gw_last, struct p4x_rt_route *r,
			struct p4x_rt_nh *nh)
{
	memset(r, 0, sizeof(*r));
	memset(nh, 0, sizeof(*nh));
	r->key.table = RT_TABLE_MAIN;
	r->key.family = AF_INET;
	r->key.dst_len = 32;
	r->key.dst[0] = 10;
	r->key.dst[2] = (uint8_t)(v >> 8);
	r->key.dst[3] = (uint8_t)v;
	nh->ifindex = 1;
	nh->weight = 1;
	nh->gw_family = AF_INET;
	nh->gw[3] = gw_last;
	r->nh_count = 1;
	r->nh = nh;
}

/* A sink refusing routes via x.x.x.3, and deletions while refuse_del. */
static bool refuse_del;

static int refusing_route(void *c, enum p4x_rt_op op,
			  const struct p4x_rt_route *r)
{
	if (op == P4X_RT_DEL)
		return refuse_del ? -EBUSY : 0;
	return r->nh[0].gw[3] == 3 ? -ENOSPC : 0;
}

static const struct p4x_bridge_rt_sink_ops refusing_ops = {
	.link = rec_link,
	.addr = rec_addr,
	.route = refusing_route,
	.neigh = rec_neigh,
};

static uint8_t held_gw(const struct p4x_bridge_mirror *m, uint32_t v)
{
	struct p4x_rt_route r;
	struct p4x_rt_nh nh;
	const struct p4x_rt_route *held;

	model_route(v, 0, &r, &nh);
	held = p4x_bridge_mirror__lookup(m, P4X_RT_ROUTE, &r.key);
	return held ? held->nh[0].gw[3] : 0;
}

/* Changes the next sink refuses are undone in the mirror. */
static void scenario_mirror_refused(void)
{
	static const struct p4x_bridge_rt_sink next = {&refusing_ops, NULL};
	struct p4x_bridge_mirror_opts mo = {.sz = sizeof(mo), .next = &next};
	struct p4x_bridge_mirror *m = p4x_bridge_mirror__new(&mo);
	struct p4x_bridge_rt_sink sink;
	struct p4x_rt_route r;
	struct p4x_rt_nh nh;

	CHECK(m);
	sink = p4x_bridge_mirror__sink(m);
	model_route(1, 3, &r, &nh);
	CHECK_EQ(sink.ops->route(sink.ctx, P4X_RT_ADD, &r), -ENOSPC);
	CHECK_EQ(held_gw(m, 1), 0);
	model_route(1, 1, &r, &nh);
	CHECK_EQ(sink.ops->route(sink.ctx, P4X_RT_ADD, &r), 0);
	model_route(1, 3, &r, &nh);
	CHECK_EQ(sink.ops->route(sink.ctx, P4X_RT_REPLACE, &r), -ENOSPC);
	CHECK_EQ(held_gw(m, 1), 1);
	refuse_del = true;
	CHECK_EQ(sink.ops->route(sink.ctx, P4X_RT_DEL, &r), -EBUSY);
	CHECK_EQ(held_gw(m, 1), 1);
	refuse_del = false;
	CHECK_EQ(sink.ops->route(sink.ctx, P4X_RT_DEL, &r), 0);
	CHECK_EQ(held_gw(m, 1), 0);
	p4x_bridge_mirror__free(m);
	printf("ok: changes the sink refuses are undone in the mirror\n");
}

/* Mirror against a plain array under random adds, replaces and deletes. */
static void scenario_mirror_model(void)
{
	enum { KEYS = 2000, OPS = 200000 };
	static uint8_t ref[KEYS]; /* 0: absent, else the gateway's last byte */
	struct p4x_bridge_mirror *m = p4x_bridge_mirror__new(NULL), *copy;
	struct p4x_bridge_rt_sink sink = p4x_bridge_mirror__sink(m), csink;
	struct p4x_bridge_rt_sink quiet = {&diff_ops, NULL};
	const struct p4x_rt_route *held;
	struct p4x_rt_route r;
	struct p4x_rt_nh nh;
	size_t count = 0;
	uint32_t x = 12345;

	CHECK(m);
	for (int op = 0; op < OPS; op++) {
		x = x * 1103515245u + 12345u;
		uint32_t v = (x >> 8) % KEYS;
		uint8_t gw = (uint8_t)(1 + (x >> 24) % 3);
		bool del = (x >> 4) % 3 == 0;

		model_route(v, gw, &r, &nh);
		CHECK_EQ(sink.ops->route(sink.ctx,
					 del ? P4X_RT_DEL : P4X_RT_ADD, &r),
			 0);
		count += del ? -(size_t) !!ref[v] : !ref[v];
		ref[v] = del ? 0 : gw;
		if (op % 1000)
			continue;
		CHECK_EQ(p4x_bridge_mirror__count(m, P4X_RT_ROUTE), count);
		for (uint32_t k = 0; k < KEYS; k++) {
			model_route(k, 0, &r, &nh);
			held = p4x_bridge_mirror__lookup(m, P4X_RT_ROUTE,
							 &r.key);
			CHECK(!held == !ref[k]);
			CHECK(!held || held->nh[0].gw[3] == ref[k]);
		}
	}
	copy = p4x_bridge_mirror__new(NULL);
	CHECK(copy);
	csink = p4x_bridge_mirror__sink(copy);
	CHECK_EQ(sink.ops->walk(sink.ctx, &csink), 0);
	CHECK_EQ(p4x_bridge_mirror__diff(m, copy, &quiet), 0);
	CHECK_EQ(p4x_bridge_mirror__diff(m, copy, &csink), 0);
	p4x_bridge_mirror__free(copy);
	copy = p4x_bridge_mirror__new(NULL);
	CHECK(copy);
	CHECK_EQ(p4x_bridge_mirror__diff(m, copy, &quiet), (long)count);
	CHECK_EQ(p4x_bridge_mirror__diff(copy, m, &quiet), (long)count);
	p4x_bridge_mirror__free(copy);
	p4x_bridge_mirror__free(m);
	printf("ok: mirror follows a reference model over %d operations\n",
	       OPS);
}

int main(int argc, char **argv)
{
	struct fixture f = {0};
	const char *dir = argc > 1 ? argv[1] : "/tmp";

	setvbuf(stdout, NULL, _IONBF, 0);
	p4x_log__init(P4X_LOG_INFO);
	scenario_mirror_model();
	scenario_mirror_refused();
	topology();
	scenario_start(&f);
	scenario_routes(&f);
	scenario_neigh(&f);
	scenario_links(&f);
	scenario_overrun(&f, dir);
	scenario_seq_gap(&f, dir);
	scenario_restart(&f);
	scenario_decode(&f);
	p4x_bridge_source__free(f.src);
	p4x_bridge_mirror__free(f.m);
	printf("all checks passed\n");
	return 0;
}
