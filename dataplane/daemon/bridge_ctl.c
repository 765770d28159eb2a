// SPDX-License-Identifier: BSD-3-Clause
/* p4xskd's kernel bridge: sources, poll loop, authority, status, diff.
 * See bridge_d.h. */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "p4x/ctl_bridge.h"
#include "p4x/log.h"

#include "bridge_bind.h"
#include "bridge_d.h"
#include "p4rt.h"
#include "p4tc_nl.h"

/* Event messages handled per wakeup; the rest wait for the next one. */
#define BRIDGE_BUDGET 8192
/* Poll while waiting for the bound pipeline, and to see that its tables
 * are still the ones the bridge wrote. */
#define BRIDGE_WAIT_MS 100

enum p4tc_state { P4TC_OFF, P4TC_ABSENT, P4TC_PRESENT };

struct p4xd_bridge {
	struct p4xd_bind *bind; /* NULL: no rtnl source */
	struct p4xd_bsink *sink;
	struct p4x_bridge_rt_sink sink_ops;
	struct p4x_bridge_mirror *mirror;
	struct p4x_bridge_source *src;
	bool waiting_logged;
	uint64_t lag_us, lag_max_us;
	char error[256]; /* set-up errors of the rtnl source */
	enum p4tc_state p4tc;
	char p4tc_msg[256];
	struct p4xd_events *ev[2]; /* monitor events of the commit running */
};

int p4xd_parse_bridge(const char *arg, void *target, char *err, size_t errlen)
{
	struct p4xd_bridge_cfg *c = target;

	if (!strncmp(arg, "rtnl:", 5) && arg[5]) {
		if (strlen(arg + 5) >= sizeof(c->rtnl)) {
			snprintf(err, errlen, "--bridge: path too long");
			return -EINVAL;
		}
		strcpy(c->rtnl, arg + 5);
		return 0;
	}
	if (!strncmp(arg, "rtnl-rcvbuf:", 12)) {
		char *end;
		unsigned long v = strtoul(arg + 12, &end, 0);

		if (*end || end == arg + 12 || v < 4096 || v > (1ul << 30)) {
			snprintf(err, errlen,
				 "--bridge '%s': the buffer must be 4096..%lu "
				 "bytes",
				 arg, 1ul << 30);
			return -EINVAL;
		}
		c->rcvbuf = v;
		return 0;
	}
	if (!strcmp(arg, "p4tc") || !strcmp(arg, "p4tc:require")) {
		c->p4tc = true;
		c->p4tc_require = c->p4tc_require || arg[4] == ':';
		return 0;
	}
	snprintf(err, errlen,
		 "--bridge '%s': expected rtnl:BINDING, p4tc or p4tc:require",
		 arg);
	return -EINVAL;
}

/* ---- P4TC: does the kernel have it? ------------------------------------- */

/* Ask for a P4TC table dump; what the kernel answers decides. */
static int p4tc_probe(const char *pname, char *msg, size_t sz)
{
	struct p4x_p4tc_nl_opts o = {.sz = sizeof(o), .quiet = true};
	struct p4x_p4tc_nl *c = p4x_p4tc_nl__new(&o);
	char buf[8192], why[256];
	const struct p4x_p4tc_nl_msg *m = NULL;
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	int len, ret = -EIO;

	if (!nl || !c || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		snprintf(msg, sz, "cannot open rtnetlink: %s", strerror(errno));
		goto out;
	}
	len = p4x_p4tc_nl__encode_dump(P4X_P4TC_NL_VER_V17, pname, "Main/probe",
				       NULL, 1, buf, sizeof(buf));
	if (len < 0 || mnl_socket_sendto(nl, buf, (size_t)len) < 0 ||
	    (len = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf))) <= 0) {
		snprintf(msg, sz, "probe failed: %s", strerror(errno));
		goto out;
	}
	ret = p4x_p4tc_nl__decode(c, (const struct nlmsghdr *)buf, (size_t)len,
				  &m, why, sizeof(why));
	if (ret || !m) {
		snprintf(msg, sz, "cannot decode the kernel's answer: %.180s",
			 why);
		ret = -EBADMSG;
	} else if (m->kind == P4X_P4TC_NL_ERROR &&
		   (m->error == -EOPNOTSUPP || m->error == -EINVAL)) {
		snprintf(msg, sz,
			 "the kernel has no P4TC: RTM_P4TC_GET (type 126) "
			 "refused (%s)",
			 strerror(-m->error));
		ret = -EOPNOTSUPP;
	} else {
		snprintf(msg, sz,
			 "the kernel answers P4TC requests (%s), but live "
			 "P4TC mirroring is not built: only the decoder is",
			 m->kind == P4X_P4TC_NL_ERROR ? strerror(-m->error)
						      : "entries");
		ret = 0;
	}
out:
	if (nl)
		mnl_socket_close(nl);
	p4x_p4tc_nl__free(c);
	return ret;
}

static int setup_p4tc(struct p4xd *d, struct p4xd_bridge *b)
{
	const struct p4xd_bridge_cfg *c = &d->cfg.bridge;
	int ret;

	if (!c->p4tc)
		return 0;
	ret = p4tc_probe(b->bind ? p4xd_bind__pipeline(b->bind) : "p4xsk",
			 b->p4tc_msg, sizeof(b->p4tc_msg));
	b->p4tc = ret ? P4TC_ABSENT : P4TC_PRESENT;
	p4x_warn("bridge p4tc: %s", b->p4tc_msg);
	if (c->p4tc_require) {
		fprintf(stderr, "p4xskd: --bridge p4tc:require: %s\n",
			b->p4tc_msg);
		return -EOPNOTSUPP;
	}
	return 0;
}

int p4xd_bridge__setup(struct p4xd *d)
{
	struct p4xd_bridge *b;
	char err[512];

	if (!d->cfg.bridge.rtnl[0] && !d->cfg.bridge.p4tc)
		return 0;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	d->bridge = b;
	if (d->cfg.bridge.rtnl[0]) {
		b->bind = p4xd_bind__load(d->cfg.bridge.rtnl, err, sizeof(err));
		if (!b->bind) {
			fprintf(stderr, "p4xskd: --bridge rtnl: %s\n", err);
			return -EINVAL;
		}
	}
	return setup_p4tc(d, b);
}

void p4xd_bridge__free(struct p4xd *d)
{
	struct p4xd_bridge *b = d->bridge;

	if (!b)
		return;
	p4x_bridge_source__free(b->src);
	p4x_bridge_mirror__free(b->mirror);
	p4xd_bsink__free(b->sink);
	p4xd_bind__free(b->bind);
	free(b);
	d->bridge = NULL;
}

/* ---- the rtnl source ----------------------------------------------------- */

static struct p4x_table *live_table(void *arg, unsigned int i)
{
	struct p4xd *d = arg;
	const struct p4xd_bind *bind = d->bridge->bind;
	struct p4x_ctl_err err = {0};
	struct p4xd_rt_pipe *rp;
	struct p4xd_rt_table *rt;

	if (!d->p4)
		return NULL;
	rp = p4xd_p4__pipe(d->p4, p4xd_bind__pipeline(bind), &err);
	rt = rp ? p4xd_rt_pipe__table(rp, p4xd_bind__table(bind, i), &err)
		: NULL;
	return rt ? rt->t : NULL;
}

/* Table events of the bridge's writes, as p4ctrl writes give them. */
static unsigned int ev_begin(void *arg)
{
	struct p4xd *d = arg;
	struct p4xd_bridge *b = d->bridge;
	const struct p4xd_bind *bind = b->bind;
	struct p4x_ctl_err err = {0};
	struct p4xd_rt_pipe *rp;
	struct p4xd_rt_table *rt;
	unsigned int i, mask = 0;

	rp = p4xd_p4__pipe(d->p4, p4xd_bind__pipeline(bind), &err);
	for (i = 0; rp && i < 2; i++) {
		rt = p4xd_rt_pipe__table(rp, p4xd_bind__table(bind, i), &err);
		b->ev[i] = rt ? p4xd_events__new(d->p4, rp, rt) : NULL;
		mask |= b->ev[i] ? 1u << i : 0;
	}
	return mask;
}

static void ev_add(void *arg, unsigned int i, enum p4x_ctl_p4_cmd cmd,
		   const struct p4x_table_entry_info *info)
{
	struct p4xd *d = arg;

	p4xd_events__add(d->bridge->ev[i], cmd, info);
}

static void ev_end(void *arg)
{
	struct p4xd *d = arg;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		p4xd_events__send(d->bridge->ev[i]);
		d->bridge->ev[i] = NULL;
	}
}

static const struct p4xd_bsink_event_ops bridge_events = {
	.begin = ev_begin,
	.add = ev_add,
	.end = ev_end,
};

static unsigned int served_ports(const struct p4xd *d, uint32_t *out)
{
	unsigned int i, n = 0;
	struct p4x_port_info info;

	for (i = 0; i < p4x_engine__nb_ports(d->engine); i++) {
		struct p4x_port *port = p4x_engine__port(d->engine, i);

		port->ops->get_info(port, &info);
		if (info.ifindex > 0)
			out[n++] = (uint32_t)info.ifindex;
	}
	return n;
}

static int rtnl_build(struct p4xd *d, struct p4xd_bridge *b)
{
	struct p4xd_bsink_opts so = {.sz = sizeof(so),
				     .bind = b->bind,
				     .table = live_table,
				     .events = &bridge_events,
				     .arg = d};
	struct p4x_bridge_mirror_opts mo = {.sz = sizeof(mo)};
	struct p4x_bridge_rtnl_opts ro = {.sz = sizeof(ro),
					  .rcvbuf = d->cfg.bridge.rcvbuf};
	uint32_t served[P4X_MAX_PORTS];

	so.served = served;
	so.nserved = served_ports(d, served);
	b->sink = p4xd_bsink__new(&so);
	if (!b->sink)
		return -errno;
	b->sink_ops = p4xd_bsink__sink(b->sink);
	mo.next = &b->sink_ops;
	b->mirror = p4x_bridge_mirror__new(&mo);
	if (!b->mirror)
		return -errno;
	p4xd_bsink__set_mirror(b->sink, b->mirror);
	b->src = p4x_bridge_rtnl__new(b->mirror, &ro);
	return b->src ? 0 : -errno;
}

/* The bound pipeline is sealed: check the binding, build, dump. */
static void rtnl_start(struct p4xd *d, struct p4xd_bridge *b)
{
	const char *pipe = p4xd_bind__pipeline(b->bind);
	struct p4x_ctl_err err = {0};
	int ret;

	if (!d->p4 || !p4xd_p4__pipe(d->p4, pipe, &err)) {
		if (!b->waiting_logged)
			p4x_info("bridge rtnl: waiting for pipeline %s", pipe);
		b->waiting_logged = true;
		return;
	}
	ret = p4xd_bind__resolve(b->bind, d->p4->m, b->error, sizeof(b->error));
	if (!ret)
		ret = rtnl_build(d, b);
	if (!ret)
		ret = p4x_bridge_source__start(b->src);
	if (ret) {
		if (!b->error[0])
			snprintf(b->error, sizeof(b->error), "cannot start: %s",
				 strerror(-ret));
		p4x_warn("bridge rtnl: %s", b->error);
		p4x_bridge_source__free(b->src);
		b->src = NULL;
		return;
	}
	p4x_info("bridge rtnl: mirroring into %s/%s and %s/%s (binding %s)",
		 pipe, p4xd_bind__table(b->bind, 0), pipe,
		 p4xd_bind__table(b->bind, 1), p4xd_bind__path(b->bind));
}

static bool rtnl_active(const struct p4xd_bridge *b)
{
	return b && b->src;
}

unsigned int p4xd_bridge__pollfds(const struct p4xd *d, struct pollfd *pfd)
{
	if (!rtnl_active(d->bridge))
		return 0;
	pfd[0] = (struct pollfd){.fd = p4x_bridge_source__fd(d->bridge->src),
				 .events = POLLIN};
	return 1;
}

int p4xd_bridge__timeout_ms(const struct p4xd *d)
{
	const struct p4xd_bridge *b = d->bridge;

	/* waiting for the pipeline; or watching that its tables stay */
	return b && b->bind && !b->error[0] ? BRIDGE_WAIT_MS : -1;
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void p4xd_bridge__tick(struct p4xd *d)
{
	struct p4xd_bridge *b = d->bridge;
	uint64_t t0;
	long n;

	if (!b || !b->bind || b->error[0])
		return;
	if (!b->src) {
		rtnl_start(d, b);
		return;
	}
	p4xd_bsink__check(b->sink);
	t0 = now_us();
	n = p4x_bridge_source__process(b->src, BRIDGE_BUDGET);
	if (n > 0) {
		b->lag_us = now_us() - t0;
		if (b->lag_us > b->lag_max_us)
			b->lag_max_us = b->lag_us;
	}
}

int p4xd_bridge__authority(const struct p4xd *d, const char *pname,
			   const char *tblname, struct p4x_ctl_err *err)
{
	const struct p4xd_bridge *b = d->bridge;
	unsigned int i;

	if (!rtnl_active(b) || strcmp(pname, p4xd_bind__pipeline(b->bind)))
		return 0;
	for (i = 0; i < 2; i++)
		if (!strcmp(tblname, p4xd_bind__table(b->bind, i))) {
			p4x_ctl_err_set(err, -EPERM, 0,
					"table %s/%s is mirrored from the "
					"kernel (rtnl): local writes are "
					"refused",
					pname, tblname);
			return err->code;
		}
	return 0;
}

/* ---- status ---------------------------------------------------------------
 */

static void put_rtnl_status(struct nlmsghdr *nlh, const struct p4xd_bridge *b)
{
	uint64_t cnt[] = {
#define X(c) 0,
		P4X_BRIDGE_COUNTERS(X)
#undef X
	};
	uint64_t tcnt[] = {
#define X(c) 0,
		P4XD_BSINK_COUNTERS(X)
#undef X
	};
	struct p4x_bridge_status st = {0};
	struct p4xd_bsink_stats ts = {0};
	const char *error = b->error;
	char mirrors[256];
	unsigned int i = 0;

	if (b->src) {
		p4x_bridge_source__status(b->src, &st);
		p4xd_bsink__stats(b->sink, &ts);
	}
#define X(c) cnt[i++] = st.c;
	P4X_BRIDGE_COUNTERS(X)
#undef X
	i = 0;
#define X(c) tcnt[i++] = ts.c;
	P4XD_BSINK_COUNTERS(X)
#undef X
	mnl_attr_put_strz(nlh, P4X_CTL_BRIDGE_STATE,
			  b->src	? p4x_bridge_state__name(st.state)
			  : b->error[0] ? "failed"
					: "waiting");
	mnl_attr_put_strz(nlh, P4X_CTL_BRIDGE_CAUSE,
			  p4x_bridge_cause__name(st.last_cause));
	p4x_ctl_put_counters(nlh, P4X_CTL_BRIDGE_COUNTERS, cnt,
			     P4X_ARRAY_SIZE(cnt));
	p4x_ctl_put_counters(nlh, P4X_CTL_BRIDGE_TABLES, tcnt,
			     P4X_ARRAY_SIZE(tcnt));
	mnl_attr_put_u64(nlh, P4X_CTL_BRIDGE_LAG_US, b->lag_us);
	mnl_attr_put_u64(nlh, P4X_CTL_BRIDGE_LAG_MAX_US, b->lag_max_us);
	if (!error[0])
		error = st.last_error_msg[0] ? st.last_error_msg
					     : ts.last_error;
	mnl_attr_put_u32(nlh, P4X_CTL_BRIDGE_ERRNO,
			 (uint32_t)(st.last_error < 0 ? -st.last_error : 0));
	mnl_attr_put_strz(nlh, P4X_CTL_BRIDGE_ERROR, error);
	mnl_attr_put_strz(nlh, P4X_CTL_BRIDGE_BINDING,
			  p4xd_bind__path(b->bind));
	mnl_attr_put_strz(nlh, P4X_CTL_BRIDGE_PIPELINE,
			  p4xd_bind__pipeline(b->bind));
	snprintf(mirrors, sizeof(mirrors), "%s/%s %s/%s",
		 p4xd_bind__pipeline(b->bind), p4xd_bind__table(b->bind, 0),
		 p4xd_bind__pipeline(b->bind), p4xd_bind__table(b->bind, 1));
	mnl_attr_put_strz(nlh, P4X_CTL_BRIDGE_MIRRORS, b->src ? mirrors : "");
}

int p4xd_bridge_status_dump(struct p4xd *d, const struct nlattr **tb,
			    struct p4xd_reply *r, struct p4x_ctl_err *err)
{
	const struct p4xd_bridge *b = d->bridge;
	struct nlmsghdr *nlh;
	int ret;

	(void)tb;
	(void)err;
	if (b && b->bind) {
		nlh = p4xd_reply__start(r, NLM_F_MULTI);
		mnl_attr_put_strz(nlh, P4X_CTL_BRIDGE_SOURCE, "rtnl");
		put_rtnl_status(nlh, b);
		ret = p4xd_reply__send(r, nlh);
		if (ret)
			return ret;
	}
	if (b && b->p4tc != P4TC_OFF) {
		nlh = p4xd_reply__start(r, NLM_F_MULTI);
		mnl_attr_put_strz(nlh, P4X_CTL_BRIDGE_SOURCE, "p4tc");
		mnl_attr_put_strz(nlh, P4X_CTL_BRIDGE_STATE, "unavailable");
		mnl_attr_put_u32(nlh, P4X_CTL_BRIDGE_ERRNO, EOPNOTSUPP);
		mnl_attr_put_strz(nlh, P4X_CTL_BRIDGE_ERROR, b->p4tc_msg);
		return p4xd_reply__send(r, nlh);
	}
	return 0;
}

/* ---- diff -----------------------------------------------------------------
 */

struct diff_ctx {
	struct p4xd_reply *r;
	const char *source;
};

static int diff_send(void *arg, enum p4x_bridge_diff what, const char *object)
{
	struct diff_ctx *c = arg;
	struct nlmsghdr *nlh = p4xd_reply__start(c->r, NLM_F_MULTI);

	mnl_attr_put_strz(nlh, P4X_CTL_BRIDGE_SOURCE, c->source);
	mnl_attr_put_strz(nlh, P4X_CTL_BRIDGE_DIFF,
			  p4x_bridge_diff__name(what));
	mnl_attr_put_strz(nlh, P4X_CTL_BRIDGE_OBJECT, object);
	return p4xd_reply__send(c->r, nlh);
}

/*
 * The tables against a fresh dump: a shadow mirror and sink computed from
 * the kernel alone, compared with the live tables.
 */
static long diff_tables(struct p4xd *d, struct diff_ctx *c,
			struct p4x_ctl_err *err)
{
	struct p4xd_bridge *b = d->bridge;
	struct p4xd_bsink_opts so = {.sz = sizeof(so), .bind = b->bind};
	struct p4x_bridge_mirror_opts mo = {.sz = sizeof(mo)};
	struct p4x_bridge_mirror *empty = p4x_bridge_mirror__new(NULL);
	struct p4x_bridge_mirror *shadow = NULL;
	struct p4x_bridge_rt_sink ssink, msink;
	struct p4x_table *fib = live_table(d, 0), *nh = live_table(d, 1);
	uint32_t served[P4X_MAX_PORTS];
	struct p4xd_bsink *want;
	long n = -ENOMEM;

	so.served = served;
	so.nserved = served_ports(d, served);
	want = p4xd_bsink__new(&so);
	if (want) {
		ssink = p4xd_bsink__sink(want);
		mo.next = &ssink;
		shadow = p4x_bridge_mirror__new(&mo);
	}
	if (empty && shadow && fib && nh) {
		p4xd_bsink__set_mirror(want, shadow);
		msink = p4x_bridge_mirror__sink(shadow);
		n = p4x_bridge_rtnl__diff(empty, &msink);
		if (n >= 0)
			n = msink.ops->commit(msink.ctx);
		if (n >= 0)
			n = p4xd_bsink__compare(want, fib, nh, diff_send, c);
	} else if (!fib || !nh) {
		n = -ENOENT;
	}
	if (n < 0)
		p4x_ctl_err_set(err, (int)n, 0, "bridge diff: tables: %s",
				n == -ENOENT ? "the pipeline is not there"
					     : strerror((int)-n));
	p4x_bridge_mirror__free(shadow);
	p4xd_bsink__free(want);
	p4x_bridge_mirror__free(empty);
	return n;
}

int p4xd_bridge_diff_dump(struct p4xd *d, const struct nlattr **tb,
			  struct p4xd_reply *r, struct p4x_ctl_err *err)
{
	struct p4xd_bridge *b = d->bridge;
	struct diff_ctx c = {.r = r, .source = "tables"};
	long n;

	(void)tb;
	if (!rtnl_active(b)) {
		p4x_ctl_err_set(err, -ENOENT, 0,
				"bridge diff: no active kernel source%s",
				b && b->p4tc == P4TC_ABSENT
					? " (the kernel has no P4TC)"
					: "");
		return err->code;
	}
	/* the engine's tables, not the mirror: neighbour states the kernel
	 * changes silently (reachable -> delay) differ in the mirror
	 * without changing any entry */
	n = diff_tables(d, &c, err);
	return n < 0 ? (int)n : 0;
}
