// SPDX-License-Identifier: BSD-3-Clause
/*
 * The bridge's binding sink without a kernel: synthetic links, neighbours
 * and routes through a mirror into the routing program's runtime tables
 * (examples/routing, examples/bridge/routing.json). Checks the entries
 * each rule gives, the commit order's invariant (every FIB entry points at
 * a next-hop entry), sharing and deletion of next hops, the comparison
 * behind `bridge diff` (none against a shadow fed the same objects; a
 * tampered table is found), a full table, a recreated pipeline, the
 * binding file's refusals and the model checks.
 * Usage: test_bridge_sink SOURCE_ROOT
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bridge_bind.h"
#include "check.h"
#include "p4rt.h"

#define SERVED 5
#define OTHER 7

static const char *root;
static struct p4xd_p4 *p4;
static struct p4xd_bind *binding;

static struct p4x_table *table(void *arg, unsigned int i)
{
	struct p4x_ctl_err err = {0};
	struct p4xd_rt_pipe *rp = p4xd_p4__pipe(p4, "routing", &err);
	struct p4xd_rt_table *rt =
		rp ? p4xd_rt_pipe__table(
			     rp, i ? "Main/nh_table" : "Main/fib_table", &err)
		   : NULL;

	(void)arg;
	return rt ? rt->t : NULL;
}

static void load_pipeline(void)
{
	char path[4096], err[512];
	struct p4x_ctl_err cerr = {0};

	snprintf(path, sizeof(path), "%s/examples/routing/routing.template",
		 root);
	CHECK_EQ(p4x_p4tc__load_template(p4->m, path, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/examples/routing/routing.json", root);
	CHECK_EQ(p4x_p4tc__set_introspection(p4->m, path, err, sizeof(err)), 0);
	CHECK_EQ(p4xd_p4__sync(p4, &cerr), 0);
}

/* A sink (live: writing the tables; shadow: not) behind a new mirror. */
struct rig {
	struct p4xd_bsink *s;
	struct p4x_bridge_rt_sink bs;
	struct p4x_bridge_mirror *m;
	struct p4x_bridge_rt_sink ms;
};

static void rig_new(struct rig *r, bool live)
{
	uint32_t served = SERVED;
	struct p4xd_bsink_opts o = {.sz = sizeof(o),
				    .bind = binding,
				    .served = &served,
				    .nserved = 1,
				    .table = live ? table : NULL};
	struct p4x_bridge_mirror_opts mo = {.sz = sizeof(mo)};

	r->s = p4xd_bsink__new(&o);
	CHECK(r->s);
	r->bs = p4xd_bsink__sink(r->s);
	mo.next = &r->bs;
	r->m = p4x_bridge_mirror__new(&mo);
	CHECK(r->m);
	p4xd_bsink__set_mirror(r->s, r->m);
	r->ms = p4x_bridge_mirror__sink(r->m);
}

static void rig_free(struct rig *r)
{
	p4x_bridge_mirror__free(r->m);
	p4xd_bsink__free(r->s);
}

static void begin(struct rig *r)
{
	CHECK_EQ(r->ms.ops->begin(r->ms.ctx), 0);
}

static int commit(struct rig *r)
{
	return r->ms.ops->commit(r->ms.ctx);
}

static void link_set(struct rig *r, uint32_t ifindex, bool up)
{
	struct p4x_rt_link l;

	memset(&l, 0, sizeof(l));
	l.key.ifindex = ifindex;
	l.flags = up ? IFF_UP | IFF_LOWER_UP : 0;
	l.mtu = 1500;
	snprintf(l.name, sizeof(l.name), "if%u", ifindex);
	CHECK_EQ(r->ms.ops->link(r->ms.ctx, P4X_RT_ADD, &l), 0);
}

static void neigh_set(struct rig *r, enum p4x_rt_op op, uint32_t ifindex,
		      const char *addr, uint16_t state, uint8_t last)
{
	struct p4x_rt_neigh n;

	memset(&n, 0, sizeof(n));
	n.key.ifindex = ifindex;
	n.key.family = AF_INET;
	CHECK_EQ(inet_pton(AF_INET, addr, n.key.addr), 1);
	n.state = state;
	if (last) {
		n.lladdr_len = 6;
		memcpy(n.lladdr, (uint8_t[]){2, 0xaa, 0, 0, 0, last}, 6);
	}
	CHECK_EQ(r->ms.ops->neigh(r->ms.ctx, op, &n), 0);
}

static void route_set(struct rig *r, enum p4x_rt_op op, const char *dst,
		      uint8_t len, uint8_t type, uint32_t ifindex,
		      const char *gw)
{
	struct p4x_rt_route rt;
	struct p4x_rt_nh nh;

	memset(&rt, 0, sizeof(rt));
	memset(&nh, 0, sizeof(nh));
	rt.key.table = RT_TABLE_MAIN;
	rt.key.family = AF_INET;
	rt.key.dst_len = len;
	CHECK_EQ(inet_pton(AF_INET, dst, rt.key.dst), 1);
	rt.type = type;
	nh.ifindex = ifindex;
	nh.weight = 1;
	if (gw) {
		nh.gw_family = AF_INET;
		CHECK_EQ(inet_pton(AF_INET, gw, nh.gw), 1);
	}
	rt.nh_count = type == RTN_UNICAST ? 1 : 0;
	rt.nh = &nh;
	CHECK_EQ(r->ms.ops->route(r->ms.ctx, op, &rt), 0);
}

/* The next-hop index of FIB entry dst/len; -1 if none. */
static long fib_index(const char *dst, uint8_t len)
{
	struct p4x_table_entry_spec sp = {.sz = sizeof(sp)};
	const struct p4x_table_entry *e;
	uint32_t key, mask = len ? htonl(~0u << (32 - len)) : 0;

	CHECK_EQ(inet_pton(AF_INET, dst, &key), 1);
	sp.key = &key;
	sp.mask = &mask;
	e = p4x_table__get(table(NULL, 0), &sp);
	if (!e)
		return -1;
	CHECK_EQ(e->params_len, 4);
	return e->params[0] | e->params[1] << 8 | e->params[2] << 16 |
	       (long)e->params[3] << 24;
}

/* Next hop @idx: "host", "drop", "02:aa:..:LAST@PORT" or "none". */
static const char *nh_str(long idx)
{
	static char buf[64];
	struct p4x_table_entry_spec sp = {.sz = sizeof(sp)};
	const struct p4x_table_entry *e;
	uint32_t key = (uint32_t)idx, port;

	sp.key = &key;
	e = idx < 0 ? NULL : p4x_table__get(table(NULL, 1), &sp);
	if (!e)
		return "none";
	if (e->act_id == 1)
		return "drop";
	CHECK_EQ(e->act_id, 2);
	memcpy(&port, e->params + 6, 4);
	if (!port)
		return "host";
	snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x@%u",
		 e->params[0], e->params[1], e->params[2], e->params[3],
		 e->params[4], e->params[5], port);
	return buf;
}

#define CHECK_FIB(dst, len, want) CHECK_STR(nh_str(fib_index(dst, len)), want)

static int count_diff(void *arg, enum p4x_bridge_diff what, const char *obj)
{
	(void)what;
	(void)obj;
	++*(long *)arg;
	return 0;
}

/* Feed the scenario's current objects to a shadow; compare. */
static long compare_with(void (*feed)(struct rig *))
{
	struct rig sh;
	long n = 0, ret;

	rig_new(&sh, false);
	begin(&sh);
	feed(&sh);
	CHECK_EQ(commit(&sh), 0);
	ret = p4xd_bsink__compare(sh.s, table(NULL, 0), table(NULL, 1),
				  count_diff, &n);
	CHECK_EQ(ret, n);
	rig_free(&sh);
	return n;
}

static void feed_final(struct rig *r)
{
	link_set(r, SERVED, true);
	link_set(r, OTHER, true);
	neigh_set(r, P4X_RT_ADD, SERVED, "10.2.0.2", NUD_REACHABLE, 2);
	route_set(r, P4X_RT_ADD, "10.2.0.0", 24, RTN_UNICAST, SERVED, NULL);
	route_set(r, P4X_RT_ADD, "10.50.0.0", 16, RTN_UNICAST, SERVED,
		  "10.2.0.2");
	route_set(r, P4X_RT_ADD, "10.70.0.0", 16, RTN_BLACKHOLE, 0, NULL);
	route_set(r, P4X_RT_ADD, "10.80.0.0", 16, RTN_UNICAST, OTHER,
		  "10.9.0.1");
}

static void test_rules(void)
{
	struct rig r;
	long i50;

	rig_new(&r, true);
	begin(&r);
	link_set(&r, SERVED, true);
	link_set(&r, OTHER, true);
	route_set(&r, P4X_RT_ADD, "10.2.0.0", 24, RTN_UNICAST, SERVED, NULL);
	route_set(&r, P4X_RT_ADD, "10.50.0.0", 16, RTN_UNICAST, SERVED,
		  "10.2.0.2");
	route_set(&r, P4X_RT_ADD, "10.70.0.0", 16, RTN_BLACKHOLE, 0, NULL);
	route_set(&r, P4X_RT_ADD, "10.80.0.0", 16, RTN_UNICAST, OTHER,
		  "10.9.0.1");
	CHECK_EQ(commit(&r), 0);
	/* the host next hop is index 0, as routing's FIB miss */
	CHECK_STR(nh_str(0), "host");
	CHECK_EQ(fib_index("10.2.0.0", 24), 0);
	i50 = fib_index("10.50.0.0", 16);
	CHECK(i50 > 0);
	CHECK_STR(nh_str(i50), "host"); /* unresolved: the host resolves */
	CHECK_FIB("10.70.0.0", 16, "drop");
	CHECK_EQ(fib_index("10.80.0.0", 16), 0); /* not a served port */

	/* the neighbour completes the next hop and gets a /32 to it */
	begin(&r);
	neigh_set(&r, P4X_RT_ADD, SERVED, "10.2.0.2", NUD_REACHABLE, 2);
	CHECK_EQ(commit(&r), 0);
	CHECK_EQ(fib_index("10.50.0.0", 16), i50);
	CHECK_STR(nh_str(i50), "02:aa:00:00:00:02@5");
	CHECK_EQ(fib_index("10.2.0.2", 32), i50); /* shared */
	CHECK_EQ(compare_with(feed_final), 0);

	/* the port goes down: the next hop sends to the host */
	begin(&r);
	link_set(&r, SERVED, false);
	CHECK_EQ(commit(&r), 0);
	CHECK_STR(nh_str(i50), "host");
	begin(&r);
	link_set(&r, SERVED, true);
	CHECK_EQ(commit(&r), 0);
	CHECK_STR(nh_str(i50), "02:aa:00:00:00:02@5");

	/* a failed neighbour: host, and its /32 goes */
	begin(&r);
	neigh_set(&r, P4X_RT_REPLACE, SERVED, "10.2.0.2", NUD_FAILED, 0);
	CHECK_EQ(commit(&r), 0);
	CHECK_STR(nh_str(i50), "host");
	CHECK_EQ(fib_index("10.2.0.2", 32), -1);
	begin(&r);
	neigh_set(&r, P4X_RT_REPLACE, SERVED, "10.2.0.2", NUD_STALE, 2);
	CHECK_EQ(commit(&r), 0);

	/* a tampered table is a difference */
	{
		struct p4x_table_txn *x = p4x_table__txn_begin(table(NULL, 1));
		struct p4x_table_entry_spec sp = {.sz = sizeof(sp)};
		uint32_t key = (uint32_t)i50;
		char why[256];

		sp.key = &key;
		CHECK(x);
		CHECK_EQ(p4x_table_txn__delete(x, &sp, why, sizeof(why)), 0);
		p4x_table_txn__commit(x);
	}
	CHECK_EQ(compare_with(feed_final), 2); /* 10.50/16 and 10.2.0.2/32 */

	/* a changed table count makes the next check rewrite the tables */
	CHECK_EQ(p4xd_bsink__check(r.s), 0);
	CHECK_STR(nh_str(i50), "02:aa:00:00:00:02@5");
	CHECK_EQ(compare_with(feed_final), 0);

	/* the route goes; its next hop stays for the neighbour's /32 */
	begin(&r);
	route_set(&r, P4X_RT_DEL, "10.50.0.0", 16, RTN_UNICAST, SERVED,
		  "10.2.0.2");
	CHECK_EQ(commit(&r), 0);
	CHECK_EQ(fib_index("10.50.0.0", 16), -1);
	CHECK_STR(nh_str(fib_index("10.2.0.2", 32)), "02:aa:00:00:00:02@5");
	/* the neighbour goes too: the next-hop entry leaves the table */
	begin(&r);
	neigh_set(&r, P4X_RT_DEL, SERVED, "10.2.0.2", 0, 0);
	CHECK_EQ(commit(&r), 0);
	CHECK_EQ(fib_index("10.2.0.2", 32), -1);
	CHECK_STR(nh_str(i50), "none");
	rig_free(&r);
}

/* 1100 routes into the 1024-entry FIB: the rest are errors, listed. */
static void test_full(void)
{
	struct p4xd_bsink_stats st;
	struct rig r;
	char dst[32];
	long n = 0;
	int i;

	rig_new(&r, true);
	begin(&r);
	link_set(&r, SERVED, true);
	for (i = 0; i < 1100; i++) {
		snprintf(dst, sizeof(dst), "10.200.%d.%d", i / 256, i % 256);
		route_set(&r, P4X_RT_ADD, dst, 32, RTN_UNICAST, SERVED,
			  "10.2.0.2");
	}
	CHECK_EQ(commit(&r), 0);
	p4xd_bsink__stats(r.s, &st);
	CHECK_EQ(st.fib_entries, 1024);
	CHECK_EQ(st.table_errors, 1100 - 1024);
	CHECK(strstr(st.last_error, "is full"));
	/* the live sink's model is what the kernel holds: the refused
	 * routes are the differences */
	CHECK_EQ(p4xd_bsink__compare(r.s, table(NULL, 0), table(NULL, 1),
				     count_diff, &n),
		 1100 - 1024);
	rig_free(&r);
}

/* @json is refused by the loader (@at_load) or by the model check, with
 * @want in the reason. */
static void check_bind_error(const char *json, bool at_load, const char *want)
{
	char path[] = "/tmp/p4xg-binding.XXXXXX", err[512];
	int fd = mkstemp(path);
	struct p4xd_bind *b;

	CHECK(fd >= 0);
	CHECK_EQ(write(fd, json, strlen(json)), (long)strlen(json));
	close(fd);
	b = p4xd_bind__load(path, err, sizeof(err));
	CHECK_EQ(!b, at_load);
	if (b) {
		CHECK_EQ(p4xd_bind__resolve(b, p4->m, err, sizeof(err)),
			 -EINVAL);
		p4xd_bind__free(b);
	}
	unlink(path);
	CHECK(strstr(err, want));
}

static void test_bind_errors(void)
{
	check_bind_error("{", true, "/tmp/p4xg-binding.");
	check_bind_error("[]", true, "the binding must be a JSON object");
	check_bind_error("{\"pipeline\": \"routing\", \"fib\": {}, "
			 "\"nexthop\": {}}",
			 true, "fib: 'table' is missing");
	check_bind_error(
		"{\"pipeline\": \"routing\", \"fib\": {\"table\": "
		"\"Main/fib_table\", \"key\": \"prefix\", \"action\": "
		"\"set_nhid\", \"param\": \"index\"}, \"nexthop\": "
		"{\"table\": \"Main/nh_table\", \"key\": \"nh_index\", "
		"\"action\": \"set_nh\", \"dmac\": \"dmac\", \"port\": "
		"\"port\", \"host_dmac\": \"02:00:00:00:00:0g\"}}",
		true, "'host_dmac': 02:00:00:00:00:0g is not a MAC address");
	check_bind_error(
		"{\"pipeline\": \"routing\", \"fib\": {\"table\": "
		"\"Main/nh_table\", \"key\": \"prefix\", \"action\": "
		"\"set_nhid\", \"param\": \"index\"}, \"nexthop\": "
		"{\"table\": \"Main/nh_table\", \"key\": \"nh_index\", "
		"\"action\": \"set_nh\", \"dmac\": \"dmac\", \"port\": "
		"\"port\", \"host_dmac\": \"02:00:00:00:00:01\"}}",
		false,
		"table routing/Main/nh_table is exact, the binding needs lpm");
	check_bind_error(
		"{\"pipeline\": \"routing\", \"fib\": {\"table\": "
		"\"Main/fib_table\", \"key\": \"prefix\", \"action\": "
		"\"set_nhid\", \"param\": \"index\"}, \"nexthop\": "
		"{\"table\": \"Main/nh_table\", \"key\": \"nh_index\", "
		"\"action\": \"set_nh\", \"dmac\": \"port\", \"port\": "
		"\"port\", \"host_dmac\": \"02:00:00:00:00:01\"}}",
		false, "param port of action Main/set_nh has the wrong type");
	check_bind_error(
		"{\"pipeline\": \"routing\", \"fib\": {\"table\": "
		"\"Main/fib_table\", \"key\": \"prefix\", \"action\": "
		"\"set_nhid\", \"param\": \"index\"}, \"nexthop\": "
		"{\"table\": \"Main/nh_table\", \"key\": \"nh_index\", "
		"\"action\": \"set_nhid\", \"dmac\": \"dmac\", \"port\": "
		"\"port\", \"host_dmac\": \"02:00:00:00:00:01\"}}",
		false, "is not in table Main/nh_table's table_acts");
}

/* The pipeline deleted and created again: the sink writes afresh. */
static void test_recreate(void)
{
	char err[256];
	struct rig r;

	rig_new(&r, true);
	begin(&r);
	feed_final(&r);
	CHECK_EQ(commit(&r), 0);
	CHECK_EQ(p4x_p4tc__pipeline_delete(p4->m, "routing", err, sizeof(err)),
		 0);
	CHECK_EQ(p4xd_p4__sync(p4, &(struct p4x_ctl_err){0}), 0);
	CHECK_EQ(p4xd_bsink__check(r.s), -ENOENT);
	load_pipeline();
	CHECK_EQ(p4x_table__count(table(NULL, 0)), 0);
	CHECK_EQ(p4xd_bsink__check(r.s), 0);
	CHECK_EQ(compare_with(feed_final), 0);
	CHECK_STR(nh_str(fib_index("10.50.0.0", 16)), "02:aa:00:00:00:02@5");
	rig_free(&r);
}

int main(int argc, char **argv)
{
	char path[4096], err[512];

	CHECK(argc == 2);
	root = argv[1];
	p4 = p4xd_p4__new();
	CHECK(p4);
	load_pipeline();
	snprintf(path, sizeof(path), "%s/examples/bridge/routing.json", root);
	binding = p4xd_bind__load(path, err, sizeof(err));
	CHECK(binding);
	CHECK_EQ(p4xd_bind__resolve(binding, p4->m, err, sizeof(err)), 0);
	test_rules();
	test_full();
	test_bind_errors();
	test_recreate();
	p4xd_bind__free(binding);
	p4xd_p4__free(p4);
	printf("bridge sink: ok\n");
	return 0;
}
