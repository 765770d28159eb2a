// SPDX-License-Identifier: BSD-3-Clause
/*
 * The rtnetlink source.
 *
 * Theory of operation. Two sockets: the event socket joins the link,
 * address, route and neighbour groups, with a large receive buffer
 * (SO_RCVBUFFORCE) and NETLINK_NO_ENOBUFS off, so that an overrun is
 * reported rather than silent; the dump socket (dump.c) only ever dumps.
 *
 * start: join the groups first, then dump and resync (cause START). Events
 * queued meanwhile are applied after the dump: each event carries the whole
 * object (or its deletion), so replaying events newer than the subscription
 * over a dump converges on the kernel's state.
 *
 * Overrun: recv fails with ENOBUFS once; what is still queued predates the
 * loss, so it is discarded, then the source dumps and resyncs. A message it
 * cannot decode, or a dump the kernel marks interrupted, also resyncs.
 *
 * Resync: dump into a fresh mirror, diff the mirror the sink holds against
 * it, apply the difference. Every change, from events or resyncs, goes
 * through one batching path: begin before the first change, commit after
 * opts.batch changes and at the end of each receive round.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <p4x/log.h>

#include "dump.h"
#include "emulate.h"

#define P4X_RTNL_RCVBUF (8u << 20)
#define P4X_RTNL_BATCH 4096
#define P4X_RTNL_VLEN 64	   /* datagrams per recvmmsg */
#define P4X_RTNL_DGRAM (16 * 1024) /* largest notification read whole */

struct p4x_rtnl_src {
	struct p4x_bridge_source base;
	struct p4x_bridge_mirror *mirror;
	struct p4x_bridge_rt_sink msink; /* the mirror as a sink */
	struct p4x_bridge_rt_sink bsink; /* batching front of msink */
	struct p4x_bridge_rtnl_opts opts;
	struct mnl_socket *ev;
	struct p4x_rtnl_dumper *dumper;
	struct p4x_bridge_status st;
	enum p4x_bridge_cause due; /* resync to run, NONE: none */
	bool in_batch;
	unsigned int batch_n;
	struct p4x_emu emu;
	struct p4x_rt_msg *msg;
	struct mmsghdr vec[P4X_RTNL_VLEN];
	struct iovec iov[P4X_RTNL_VLEN];
	uint8_t *bufs;
};

static const struct p4x_bridge_source_ops p4x_rtnl_ops;

static struct p4x_rtnl_src *p4x_src(const struct p4x_bridge_source *s)
{
	return (struct p4x_rtnl_src *)s;
}

static void p4x_src_error(struct p4x_rtnl_src *s, int err, const char *what)
{
	s->st.last_error = err;
	snprintf(s->st.last_error_msg, sizeof(s->st.last_error_msg), "%s: %s",
		 what, strerror(-err));
	p4x_log_ratelimited(P4X_LOG_WARN, "rtnl: %s: %s", what, strerror(-err));
}

/* ---- the batching path ---------------------------------------------- */

static void p4x_src_commit(struct p4x_rtnl_src *s)
{
	int err;

	if (!s->in_batch)
		return;
	s->in_batch = false;
	s->st.batches++;
	err = s->msink.ops->commit(s->msink.ctx);
	if (err) {
		s->st.sink_errors++;
		p4x_src_error(s, err, "sink commit");
	}
}

static int p4x_src_apply(void *arg, enum p4x_rt_kind kind, enum p4x_rt_op op,
			 const void *obj)
{
	struct p4x_rtnl_src *s = arg;
	int err;

	if (!s->in_batch) {
		err = s->msink.ops->begin(s->msink.ctx);
		if (err) {
			s->st.sink_errors++;
			p4x_src_error(s, err, "sink begin");
		}
		s->in_batch = true;
		s->batch_n = 0;
	}
	s->st.applied++;
	err = p4x_bridge_rt_sink__apply(&s->msink, kind, op, obj);
	if (err) {
		s->st.sink_errors++;
		p4x_src_error(s, err, "sink apply");
	}
	if (++s->batch_n >= s->opts.batch)
		p4x_src_commit(s);
	return 0; /* counted: a sink error does not stop a resync */
}

static int p4x_bsink_link(void *ctx, enum p4x_rt_op op,
			  const struct p4x_rt_link *l)
{
	return p4x_src_apply(ctx, P4X_RT_LINK, op, l);
}

static int p4x_bsink_addr(void *ctx, enum p4x_rt_op op,
			  const struct p4x_rt_addr *a)
{
	return p4x_src_apply(ctx, P4X_RT_ADDR, op, a);
}

static int p4x_bsink_route(void *ctx, enum p4x_rt_op op,
			   const struct p4x_rt_route *r)
{
	return p4x_src_apply(ctx, P4X_RT_ROUTE, op, r);
}

static int p4x_bsink_neigh(void *ctx, enum p4x_rt_op op,
			   const struct p4x_rt_neigh *n)
{
	return p4x_src_apply(ctx, P4X_RT_NEIGH, op, n);
}

static const struct p4x_bridge_rt_sink_ops p4x_bsink_ops = {
	.link = p4x_bsink_link,
	.addr = p4x_bsink_addr,
	.route = p4x_bsink_route,
	.neigh = p4x_bsink_neigh,
};

/* ---- resync ---------------------------------------------------------- */

/* Discard what the event socket holds; bounded by what it can hold. */
static void p4x_src_drain(struct p4x_rtnl_src *s)
{
	int fd = mnl_socket_get_fd(s->ev), n;

	for (unsigned int rounds = 0; rounds < (1u << 20); rounds++) {
		n = recvmmsg(fd, s->vec, P4X_RTNL_VLEN, MSG_DONTWAIT, NULL);
		if (n == 0 || (n < 0 && errno != ENOBUFS && errno != EINTR))
			return;
	}
}

/* A mirror for a dump, with room for what the current one holds. */
static struct p4x_bridge_mirror *p4x_src_fresh(const struct p4x_rtnl_src *s)
{
	struct p4x_bridge_mirror_opts o = {.sz = sizeof(o)};

	for (int k = 0; k < P4X_RT_KIND_MAX; k++)
		o.hint[k] = p4x_bridge_mirror__count(s->mirror, k);
	return p4x_bridge_mirror__new(&o);
}

static int p4x_src_resync(struct p4x_rtnl_src *s, enum p4x_bridge_cause cause)
{
	struct p4x_bridge_mirror *fresh = p4x_src_fresh(s);
	struct p4x_dump_stats ds = {0};
	long changes;
	int err;

	if (!fresh)
		return -errno;
	s->st.state = cause == P4X_BRIDGE_CAUSE_START ? P4X_BRIDGE_DUMPING
						      : P4X_BRIDGE_RESYNCING;
	if (cause == P4X_BRIDGE_CAUSE_ENOBUFS)
		p4x_src_drain(s);
	err = p4x_rtnl_dumper__dump(s->dumper, fresh, &ds);
	s->st.seq_gaps += ds.gaps;
	s->st.undecodable += ds.undecodable;
	if (err) {
		p4x_src_error(s, err, "dump");
		goto out;
	}
	changes = p4x_bridge_mirror__diff(s->mirror, fresh, &s->bsink);
	p4x_src_commit(s);
	if (changes < 0) {
		err = (int)changes;
		p4x_src_error(s, err, "resync diff");
		goto out;
	}
	s->st.resync_changes += (uint64_t)changes;
	s->st.resyncs++;
	s->st.last_cause = cause;
	s->due = P4X_BRIDGE_CAUSE_NONE;
	s->st.state = P4X_BRIDGE_SYNCED;
	p4x_debug("rtnl: resync (%s): %ld changes",
		  p4x_bridge_cause__name(cause), changes);
out:
	p4x_bridge_mirror__free(fresh);
	return err;
}

/* ---- events ---------------------------------------------------------- */

static bool p4x_link_up(const struct p4x_rt_link *l)
{
	return l && l->flags & IFF_UP;
}

static int p4x_src_event_link(struct p4x_rtnl_src *s,
			      const struct p4x_rt_msg *m)
{
	const struct p4x_rt_link *l = &m->u.link;
	bool was_up = p4x_link_up(
		p4x_bridge_mirror__lookup(s->mirror, P4X_RT_LINK, &l->key));

	p4x_src_apply(s, P4X_RT_LINK, m->op, l);
	if (m->op == P4X_RT_DEL)
		return p4x_emu__link_del(&s->emu, l->key.ifindex);
	if (was_up && !p4x_link_up(l))
		return p4x_emu__link_down(&s->emu, l->key.ifindex);
	return 0;
}

static int p4x_src_event(struct p4x_rtnl_src *s, const struct p4x_rt_msg *m)
{
	if (m->kind == P4X_RT_LINK)
		return p4x_src_event_link(s, m);
	if (m->kind == P4X_RT_ROUTE && m->op == P4X_RT_DEL)
		return p4x_emu__route_del(&s->emu, &m->u.route);
	p4x_src_apply(s, m->kind, m->op, p4x_rt_msg__obj(m));
	if (m->kind == P4X_RT_ADDR && m->op == P4X_RT_DEL)
		return p4x_emu__addr_del(&s->emu, &m->u.addr);
	return 0;
}

static void p4x_src_undecodable(struct p4x_rtnl_src *s,
				const struct nlmsghdr *nlh, const char *why)
{
	s->st.undecodable++;
	p4x_log_ratelimited(
		P4X_LOG_WARN,
		"rtnl: cannot decode event type %u (%u bytes): %s; resyncing",
		nlh ? nlh->nlmsg_type : 0, nlh ? nlh->nlmsg_len : 0, why);
	s->due = P4X_BRIDGE_CAUSE_UNDECODABLE;
}

static void p4x_src_datagram(struct p4x_rtnl_src *s, const void *buf, int len,
			     bool truncated)
{
	const struct nlmsghdr *nlh = buf;
	int ret;

	if (truncated) {
		p4x_src_undecodable(s, NULL, "datagram truncated");
		return;
	}
	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		s->st.events++;
		ret = p4x_rt__decode(nlh, s->msg);
		if (ret < 0)
			p4x_src_undecodable(s, nlh, s->msg->why);
		else if (ret == 2)
			ret = p4x_emu__nhobj_del(&s->emu, s->msg->nhobj_del);
		else if (ret == 1)
			ret = p4x_src_event(s, s->msg);
		if (ret < 0 && s->due != P4X_BRIDGE_CAUSE_UNDECODABLE)
			p4x_src_error(s, ret, "emulated change");
	}
	if (len > 0)
		p4x_src_undecodable(s, NULL, "trailing bytes in datagram");
}

/* One recvmmsg round: count of datagrams, 0 when none, -errno. */
static int p4x_src_round(struct p4x_rtnl_src *s, unsigned int max)
{
	int fd = mnl_socket_get_fd(s->ev), n;

	n = recvmmsg(fd, s->vec, P4X_MIN(max, P4X_RTNL_VLEN), MSG_DONTWAIT,
		     NULL);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	for (int i = 0; i < n; i++)
		p4x_src_datagram(s, s->iov[i].iov_base, (int)s->vec[i].msg_len,
				 s->vec[i].msg_hdr.msg_flags & MSG_TRUNC);
	p4x_src_commit(s);
	return n;
}

static long p4x_rtnl_process(struct p4x_bridge_source *base,
			     unsigned int budget)
{
	struct p4x_rtnl_src *s = p4x_src(base);
	long done = 0;
	int n;

	if (!s->ev)
		return -ENOTCONN;
	while ((unsigned int)done < budget) {
		if (s->due != P4X_BRIDGE_CAUSE_NONE)
			p4x_src_resync(s, s->due);
		n = p4x_src_round(s, budget - (unsigned int)done);
		if (n == -ENOBUFS) {
			s->st.enobufs++;
			s->due = P4X_BRIDGE_CAUSE_ENOBUFS;
			continue;
		}
		if (n == -EINTR)
			continue;
		if (n <= 0) {
			if (n < 0)
				p4x_src_error(s, n, "event recv");
			break;
		}
		done += n;
		/* A short round drained the socket: poll will say when more. */
		if (n < P4X_RTNL_VLEN && s->due == P4X_BRIDGE_CAUSE_NONE)
			break;
	}
	if (s->due != P4X_BRIDGE_CAUSE_NONE)
		p4x_src_resync(s, s->due);
	return done;
}

/* ---- lifecycle ------------------------------------------------------- */

static int p4x_src_open_events(struct p4x_rtnl_src *s)
{
	static const unsigned int groups[] = {
		RTNLGRP_LINK,	    RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR,
		RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE,	 RTNLGRP_NEIGH,
	};
	int fd, size = (int)s->opts.rcvbuf, off = 0;

	s->ev = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (!s->ev || mnl_socket_bind(s->ev, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	fd = mnl_socket_get_fd(s->ev);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)))
		return -errno;
	if (mnl_socket_setsockopt(s->ev, NETLINK_NO_ENOBUFS, &off, sizeof(off)))
		return -errno;
	for (size_t i = 0; i < P4X_ARRAY_SIZE(groups); i++)
		if (mnl_socket_setsockopt(s->ev, NETLINK_ADD_MEMBERSHIP,
					  (void *)&groups[i], sizeof(int)))
			return -errno;
	/* Nexthop objects (Linux 5.3+): without them, no deletions to see. */
	if (mnl_socket_setsockopt(s->ev, NETLINK_ADD_MEMBERSHIP,
				  &(int){RTNLGRP_NEXTHOP}, sizeof(int)))
		p4x_info("rtnl: no nexthop object events (%s)",
			 strerror(errno));
	return 0;
}

static void p4x_src_close(struct p4x_rtnl_src *s)
{
	if (s->ev)
		mnl_socket_close(s->ev);
	s->ev = NULL;
	p4x_rtnl_dumper__free(s->dumper);
	s->dumper = NULL;
}

static int p4x_rtnl_start(struct p4x_bridge_source *base)
{
	struct p4x_rtnl_src *s = p4x_src(base);
	int err;

	if (s->ev)
		return -EALREADY;
	err = p4x_src_open_events(s);
	if (err)
		goto err_open;
	s->dumper = p4x_rtnl_dumper__new();
	if (!s->dumper) {
		err = -errno;
		goto err_open;
	}
	err = p4x_src_resync(s, P4X_BRIDGE_CAUSE_START);
	if (err)
		goto err_open;
	return 0;

err_open:
	p4x_src_error(s, err, "start");
	p4x_src_close(s);
	s->st.state = P4X_BRIDGE_IDLE;
	return err;
}

static int p4x_rtnl_fd(const struct p4x_bridge_source *base)
{
	const struct p4x_rtnl_src *s = p4x_src(base);

	return s->ev ? mnl_socket_get_fd(s->ev) : -1;
}

static int p4x_rtnl_resync(struct p4x_bridge_source *base,
			   enum p4x_bridge_cause cause)
{
	struct p4x_rtnl_src *s = p4x_src(base);

	if (!s->ev)
		return -ENOTCONN;
	return p4x_src_resync(s, cause);
}

/* Differences as text lines, for the ops table's diff slot. */
struct p4x_diff_text {
	p4x_bridge_diff_fn fn;
	void *arg;
};

static int p4x_diff_text(void *ctx, enum p4x_rt_kind kind, enum p4x_rt_op op,
			 const void *obj)
{
	static const enum p4x_bridge_diff what[] = {
		[P4X_RT_ADD] = P4X_BRIDGE_DIFF_ONLY_KERNEL,
		[P4X_RT_REPLACE] = P4X_BRIDGE_DIFF_DIFFERS,
		[P4X_RT_DEL] = P4X_BRIDGE_DIFF_ONLY_SINK,
	};
	struct p4x_diff_text *t = ctx;
	char line[512];

	p4x_rt__snprintf(line, sizeof(line), kind, obj);
	return t->fn(t->arg, what[op], line);
}

static int p4x_dt_link(void *c, enum p4x_rt_op op, const struct p4x_rt_link *o)
{
	return p4x_diff_text(c, P4X_RT_LINK, op, o);
}

static int p4x_dt_addr(void *c, enum p4x_rt_op op, const struct p4x_rt_addr *o)
{
	return p4x_diff_text(c, P4X_RT_ADDR, op, o);
}

static int p4x_dt_route(void *c, enum p4x_rt_op op,
			const struct p4x_rt_route *o)
{
	return p4x_diff_text(c, P4X_RT_ROUTE, op, o);
}

static int p4x_dt_neigh(void *c, enum p4x_rt_op op,
			const struct p4x_rt_neigh *o)
{
	return p4x_diff_text(c, P4X_RT_NEIGH, op, o);
}

static const struct p4x_bridge_rt_sink_ops p4x_diff_text_ops = {
	.link = p4x_dt_link,
	.addr = p4x_dt_addr,
	.route = p4x_dt_route,
	.neigh = p4x_dt_neigh,
};

static long p4x_rtnl_diff(struct p4x_bridge_source *base, p4x_bridge_diff_fn fn,
			  void *arg)
{
	struct p4x_diff_text t = {fn, arg};
	struct p4x_bridge_rt_sink out = {&p4x_diff_text_ops, &t};

	return p4x_bridge_rtnl__diff(p4x_src(base)->mirror, &out);
}

static void p4x_rtnl_status(const struct p4x_bridge_source *base,
			    struct p4x_bridge_status *out)
{
	*out = p4x_src(base)->st;
}

static void p4x_rtnl_free(struct p4x_bridge_source *base)
{
	struct p4x_rtnl_src *s = p4x_src(base);

	p4x_src_close(s);
	free(s->bufs);
	free(s->msg);
	free(s);
}

static const struct p4x_bridge_source_ops p4x_rtnl_ops = {
	.name = "rtnl",
	.start = p4x_rtnl_start,
	.fd = p4x_rtnl_fd,
	.process = p4x_rtnl_process,
	.resync = p4x_rtnl_resync,
	.diff = p4x_rtnl_diff,
	.status = p4x_rtnl_status,
	.free = p4x_rtnl_free,
};

static void p4x_src_init_vec(struct p4x_rtnl_src *s)
{
	for (int i = 0; i < P4X_RTNL_VLEN; i++) {
		s->iov[i].iov_base = s->bufs + (size_t)i * P4X_RTNL_DGRAM;
		s->iov[i].iov_len = P4X_RTNL_DGRAM;
		s->vec[i].msg_hdr.msg_iov = &s->iov[i];
		s->vec[i].msg_hdr.msg_iovlen = 1;
	}
}

struct p4x_bridge_source *
p4x_bridge_rtnl__new(struct p4x_bridge_mirror *mirror,
		     const struct p4x_bridge_rtnl_opts *opts)
{
	struct p4x_rtnl_src *s;

	if (!mirror || (opts && opts->sz < sizeof(size_t))) {
		errno = EINVAL;
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	if (opts)
		memcpy(&s->opts, opts, P4X_MIN(opts->sz, sizeof(s->opts)));
	s->opts.rcvbuf = s->opts.rcvbuf ? s->opts.rcvbuf : P4X_RTNL_RCVBUF;
	s->opts.batch = s->opts.batch ? s->opts.batch : P4X_RTNL_BATCH;
	s->base.ops = &p4x_rtnl_ops;
	s->mirror = mirror;
	s->msink = p4x_bridge_mirror__sink(mirror);
	s->bsink = (struct p4x_bridge_rt_sink){&p4x_bsink_ops, s};
	s->emu = (struct p4x_emu){mirror, p4x_src_apply, s, &s->st.emulated};
	s->msg = malloc(sizeof(*s->msg));
	s->bufs = malloc((size_t)P4X_RTNL_VLEN * P4X_RTNL_DGRAM);
	if (!s->msg || !s->bufs) {
		p4x_rtnl_free(&s->base);
		errno = ENOMEM;
		return NULL;
	}
	p4x_src_init_vec(s);
	return &s->base;
}

long p4x_bridge_rtnl__diff(const struct p4x_bridge_mirror *mirror,
			   const struct p4x_bridge_rt_sink *out)
{
	struct p4x_rtnl_dumper *d = p4x_rtnl_dumper__new();
	struct p4x_bridge_mirror *fresh = p4x_bridge_mirror__new(NULL);
	struct p4x_dump_stats ds = {0};
	long ret = -ENOMEM;

	if (!d || !fresh)
		goto out;
	ret = p4x_rtnl_dumper__dump(d, fresh, &ds);
	if (!ret)
		ret = p4x_bridge_mirror__diff(mirror, fresh, out);
out:
	p4x_bridge_mirror__free(fresh);
	p4x_rtnl_dumper__free(d);
	return ret;
}

long p4x_bridge_rtnl__apply_buf(const struct p4x_bridge_rt_sink *sink,
				const void *buf, size_t len)
{
	static __thread struct p4x_rt_msg msg;
	const struct nlmsghdr *nlh = buf;
	int n = (int)len, ret;
	long applied = 0;

	if (sink->ops->begin && (ret = sink->ops->begin(sink->ctx)))
		return ret;
	for (; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
		ret = p4x_rt__decode(nlh, &msg);
		if (ret < 0) {
			applied = -EBADMSG;
			break;
		}
		if (ret > 0 &&
		    !p4x_bridge_rt_sink__apply(sink, msg.kind, msg.op,
					       p4x_rt_msg__obj(&msg)))
			applied++;
	}
	if (sink->ops->commit && (ret = sink->ops->commit(sink->ctx)))
		return ret;
	return applied;
}
