// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4xskd's egress schedulers: set-up from the configuration, `p4xsk sched
 * set|load` (SCHED_SET), `p4xsk sched show` (SCHED_GET) and the link-state
 * poll. Runs on the daemon's main thread (the schedulers' control thread).
 * A port's schedulers (one per tx queue) always get the same policy and
 * parameters; the port rate is split evenly among them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p4x/log.h"

#include "sched_ctl.h"

#define LINK_POLL_MS 100
#define MAX_FLOWS 16

struct p4xd_sched_port {
	bool on;
	char spec[P4XD_SCHED_SPEC_MAX]; /* last applied */
	uint64_t rate;			/* bytes/s, whole port */
	uint32_t burst;
	struct p4x_sched_stats prev; /* at the previous SCHED_GET */
};

struct p4xd_sched {
	uint64_t last_poll_ms;
	struct p4xd_sched_port ports[P4X_MAX_PORTS];
};

/* ---- Applying a specification ---- */

/* The first warning the scheduler library logs while a change is
 * applied: the reason a load or a parameter was refused, for the client. */
static char lib_warning[256];

static void warn_sink(enum p4x_log_level level, const char *msg, void *arg)
{
	size_t len = strlen(msg);

	if (level != P4X_LOG_WARN || lib_warning[0])
		return;
	snprintf(lib_warning, sizeof(lib_warning), "%.*s",
		 (int)(len && msg[len - 1] == '\n' ? len - 1 : len), msg);
}

static int apply_policy(struct p4x_sched *s, const struct p4xd_sched_spec *sp)
{
	enum p4x_sched_builtin cur;

	if (sp->load)
		return p4x_sched__load_policy(s, sp->policy,
					      sp->ptext[0] ? sp->ptext : NULL);
	if (!p4x_sched_builtin_parse(p4x_sched__policy_name(s), &cur) &&
	    cur == sp->b && !p4x_sched__set_params(s, &sp->params))
		return 0; /* same built-in: its state is kept */
	return p4x_sched__set_builtin(s, sp->b, &sp->params);
}

/* Policy, rate, classifier of every scheduler of @port. 0 or -errno. */
static int apply_spec(struct p4xd *d, unsigned int port,
		      const struct p4xd_sched_spec *sp, char *err,
		      size_t errlen)
{
	struct p4xd_sched_port *sport = &d->sched->ports[port];
	unsigned int q, nbq = p4x_engine__port_sched_count(d->engine, port);
	uint64_t rate = sp->has_rate ? sp->rate : sport->rate;
	uint32_t burst = sp->has_burst ? sp->burst : sport->burst;
	struct p4x_sched *s;
	int ret = 0;

	if (sp->has_cls)
		ret = p4x_engine__set_port_classifier(d->engine, port,
						      &sp->cls);
	if (ret) {
		snprintf(err, errlen,
			 "bad class map: %s (classes must be "
			 "below the scheduler's classes)",
			 strerror(-ret));
		return ret;
	}
	lib_warning[0] = '\0';
	p4x_log__set_sink(warn_sink, NULL);
	for (q = 0; !ret && q < nbq; q++) {
		s = p4x_engine__port_sched(d->engine, port, q);
		ret = apply_policy(s, sp);
		if (!ret && (sp->has_rate || sp->has_burst))
			ret = p4x_sched__set_port_rate(
				s, (rate + nbq - 1) / nbq, burst);
	}
	p4x_log__set_sink(NULL, NULL);
	if (ret) {
		if (lib_warning[0])
			p4x_warn("%s", lib_warning);
		snprintf(err, errlen, "%s",
			 lib_warning[0] ? lib_warning : strerror(-ret));
		return ret;
	}
	sport->rate = rate;
	sport->burst = burst;
	return 0;
}

static int setup_one(struct p4xd *d, const struct p4xd_sched_cfg *c)
{
	int port = p4x_engine__port_by_name(d->engine, c->port);
	struct p4xd_sched_spec *sp = malloc(sizeof(*sp));
	char err[256];
	int ret;

	if (!sp)
		return -ENOMEM;
	ret = p4xd_sched_spec_parse(c->spec, true, sp, err, sizeof(err));
	if (!ret && port < 0)
		ret = port;
	if (!ret)
		ret = p4x_engine__set_port_sched(d->engine, (unsigned int)port,
						 &sp->shape);
	if (ret)
		snprintf(err, sizeof(err), "%s", strerror(-ret));
	else
		ret = apply_spec(d, (unsigned int)port, sp, err, sizeof(err));
	free(sp);
	if (ret) {
		fprintf(stderr, "p4xskd: scheduler of %s (%s): %s\n", c->port,
			c->spec, err);
		return ret;
	}
	d->sched->ports[port].on = true;
	snprintf(d->sched->ports[port].spec, P4XD_SCHED_SPEC_MAX, "%s",
		 c->spec);
	p4x_info("port %s: scheduler %s", c->port, c->spec);
	return 0;
}

int p4xd_sched__setup(struct p4xd *d)
{
	unsigned int i;
	int ret;

	if (!d->cfg.sched.n)
		return 0;
	d->sched = calloc(1, sizeof(*d->sched));
	if (!d->sched)
		return -ENOMEM;
	for (i = 0; i < d->cfg.sched.n; i++) {
		ret = setup_one(d, &d->cfg.sched.v[i]);
		if (ret)
			return ret;
	}
	return 0;
}

void p4xd_sched__free(struct p4xd *d)
{
	free(d->sched);
	d->sched = NULL;
}

/* ---- Link state ---- */

int p4xd_sched__timeout_ms(const struct p4xd *d)
{
	return d->sched ? LINK_POLL_MS : -1;
}

void p4xd_sched__tick(struct p4xd *d)
{
	uint64_t now = p4xd_now_ms();
	struct p4x_port_info info;
	struct p4x_port *port;
	unsigned int p;

	if (!d->sched || now - d->sched->last_poll_ms < LINK_POLL_MS)
		return;
	d->sched->last_poll_ms = now;
	for (p = 0; p < P4X_MAX_PORTS; p++) {
		if (!d->sched->ports[p].on)
			continue;
		port = p4x_engine__port(d->engine, p);
		memset(&info, 0, sizeof(info));
		port->ops->get_info(port, &info);
		if (info.link_up != p4x_engine__link(d->engine, p))
			p4x_info("port %s: link %s%s", info.name,
				 info.link_up ? "up" : "down",
				 info.link_up ? "" : ", scheduler flushed");
		p4x_engine__set_link(d->engine, p, info.link_up);
	}
}

/* ---- SCHED_SET ---- */

static int port_of(struct p4xd *d, const struct nlattr **tb,
		   struct p4xd_reply *r, struct p4x_ctl_err *err)
{
	const struct nlattr *a = tb[P4X_CTL_SCHED_PORT];
	uint32_t off;
	int port;

	if (!a) {
		p4x_ctl_err_set(err, -EINVAL, 0, "missing attribute 'port'");
		return err->code;
	}
	off = (uint32_t)((const char *)a - (const char *)r->req);
	port = p4x_engine__port_by_name(d->engine, mnl_attr_get_str(a));
	if (port < 0) {
		p4x_ctl_err_set(err, -ENODEV, off, "no port named '%s'",
				mnl_attr_get_str(a));
		return err->code;
	}
	if (!d->sched || !d->sched->ports[port].on) {
		p4x_ctl_err_set(err, -ENOENT, off,
				"port %s has no scheduler (start p4xskd "
				"with --sched %s:POLICY)",
				mnl_attr_get_str(a), mnl_attr_get_str(a));
		return err->code;
	}
	return port;
}

int p4xd_sched_set_do(struct p4xd *d, const struct nlattr **tb,
		      struct p4xd_reply *r, struct p4x_ctl_err *err)
{
	const struct nlattr *pol = tb[P4X_CTL_SCHED_POLICY];
	const struct nlattr *par = tb[P4X_CTL_SCHED_PARAMS];
	bool load = tb[P4X_CTL_SCHED_LOAD] &&
		    mnl_attr_get_u8(tb[P4X_CTL_SCHED_LOAD]);
	char text[P4XD_SCHED_SPEC_MAX], why[256];
	struct p4xd_sched_spec *sp;
	int port, ret;

	port = port_of(d, tb, r, err);
	if (port < 0)
		return port;
	if (!pol) {
		p4x_ctl_err_set(err, -EINVAL, 0, "missing attribute 'policy'");
		return err->code;
	}
	if ((size_t)snprintf(
		    text, sizeof(text), "%s%s%s", mnl_attr_get_str(pol),
		    par && *mnl_attr_get_str(par) ? "," : "",
		    par ? mnl_attr_get_str(par) : "") >= sizeof(text)) {
		p4x_ctl_err_set(err, -EINVAL, 0,
				"policy and parameters longer than %d bytes",
				P4XD_SCHED_SPEC_MAX - 1);
		return err->code;
	}
	sp = malloc(sizeof(*sp));
	if (!sp)
		return -ENOMEM;
	ret = p4xd_sched_spec_parse(text, false, sp, why, sizeof(why));
	if (!ret && load != sp->load) {
		snprintf(why, sizeof(why), "%.200s is %s", sp->policy,
			 load ? "not a policy object path"
			      : "a policy object: use sched load");
		ret = -EINVAL;
	}
	if (!ret)
		ret = apply_spec(d, (unsigned int)port, sp, why, sizeof(why));
	free(sp);
	if (ret) {
		p4x_ctl_err_set(err, ret, 0, "%s", why);
		return ret;
	}
	memcpy(d->sched->ports[port].spec, text, sizeof(text));
	return 0;
}

/* ---- SCHED_GET ---- */

static void stats_add(struct p4x_sched_class_stats *a,
		      const struct p4x_sched_class_stats *b)
{
	unsigned int i;

	a->backlog_pkts += b->backlog_pkts;
	a->backlog_bytes += b->backlog_bytes;
	a->enq_pkts += b->enq_pkts;
	a->enq_bytes += b->enq_bytes;
	a->deq_pkts += b->deq_pkts;
	a->deq_bytes += b->deq_bytes;
	for (i = 0; i < P4X_SCHED_DROP__COUNT; i++)
		a->drops[i] += b->drops[i];
}

static void port_stats(struct p4xd *d, unsigned int port,
		       struct p4x_sched_stats *sum)
{
	unsigned int q, c, nbq = p4x_engine__port_sched_count(d->engine, port);
	struct p4x_sched_stats st;

	memset(sum, 0, sizeof(*sum));
	for (q = 0; q < nbq; q++) {
		p4x_sched__stats(p4x_engine__port_sched(d->engine, port, q),
				 &st);
		sum->time_ns = st.time_ns;
		sum->nb_classes = st.nb_classes;
		sum->pending += st.pending;
		stats_add(&sum->total, &st.total);
		for (c = 0; c < st.nb_classes; c++)
			stats_add(&sum->cls[c], &st.cls[c]);
	}
}

static uint64_t drops_of(const struct p4x_sched_class_stats *c)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < P4X_SCHED_DROP__COUNT; i++)
		n += c->drops[i];
	return n;
}

static uint64_t per_s(uint64_t delta, uint64_t ns)
{
	return ns ? (uint64_t)((double)delta * 1e9 / (double)ns) : 0;
}

static void put_class(struct nlmsghdr *nlh, uint16_t attr, uint32_t id,
		      const struct p4x_sched_class_stats *c,
		      const struct p4x_sched_class_stats *prev, uint64_t ns)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, attr);

	mnl_attr_put_u32(nlh, P4X_CTL_SCLS_ID, id);
	mnl_attr_put_u64(nlh, P4X_CTL_SCLS_BACKLOG_PKTS, c->backlog_pkts);
	mnl_attr_put_u64(nlh, P4X_CTL_SCLS_BACKLOG_BYTES, c->backlog_bytes);
	mnl_attr_put_u64(nlh, P4X_CTL_SCLS_ENQ_PKTS, c->enq_pkts);
	mnl_attr_put_u64(nlh, P4X_CTL_SCLS_ENQ_BYTES, c->enq_bytes);
	mnl_attr_put_u64(nlh, P4X_CTL_SCLS_DEQ_PKTS, c->deq_pkts);
	mnl_attr_put_u64(nlh, P4X_CTL_SCLS_DEQ_BYTES, c->deq_bytes);
	p4x_ctl_put_counters(nlh, P4X_CTL_SCLS_DROPS, c->drops,
			     P4X_SCHED_DROP__COUNT);
	mnl_attr_put_u64(nlh, P4X_CTL_SCLS_DEQ_PPS,
			 per_s(c->deq_pkts - prev->deq_pkts, ns));
	mnl_attr_put_u64(nlh, P4X_CTL_SCLS_DEQ_BPS,
			 per_s((c->deq_bytes - prev->deq_bytes) * 8, ns));
	mnl_attr_put_u64(nlh, P4X_CTL_SCLS_DROP_PPS,
			 per_s(drops_of(c) - drops_of(prev), ns));
	mnl_attr_nest_end(nlh, nest);
}

static int flow_cmp(const void *a, const void *b)
{
	const struct p4x_sched_flow_stat *x = a, *y = b;

	return x->backlog_bytes < y->backlog_bytes   ? 1
	       : x->backlog_bytes > y->backlog_bytes ? -1
						     : 0;
}

/* The largest flow backlogs of the port; the queue is in flow's top bits
 * while sorting (flow slots are below 2^24). */
static void put_flows(struct p4xd *d, unsigned int port, struct nlmsghdr *nlh)
{
	struct p4x_sched_flow_stat all[MAX_FLOWS * 4], *f;
	unsigned int q, i, k, n = 0;
	unsigned int nbq = p4x_engine__port_sched_count(d->engine, port);
	struct nlattr *nest, *one;

	for (q = 0; q < nbq && n + MAX_FLOWS <= P4X_ARRAY_SIZE(all); q++) {
		k = p4x_sched__top_flows(
			p4x_engine__port_sched(d->engine, port, q), all + n,
			MAX_FLOWS);
		for (i = 0; i < k; i++)
			all[n + i].flow |= q << 24;
		n += k;
	}
	qsort(all, n, sizeof(all[0]), flow_cmp);
	nest = mnl_attr_nest_start(nlh, P4X_CTL_SCHED_FLOWS);
	for (i = 0; i < n && i < MAX_FLOWS; i++) {
		f = &all[i];
		one = mnl_attr_nest_start(nlh, (uint16_t)(i + 1));
		mnl_attr_put_u32(nlh, P4X_CTL_SFLOW_ID, f->flow & 0xffffff);
		mnl_attr_put_u32(nlh, P4X_CTL_SFLOW_QUEUE, f->flow >> 24);
		mnl_attr_put_u32(nlh, P4X_CTL_SFLOW_BACKLOG_PKTS,
				 f->backlog_pkts);
		mnl_attr_put_u32(nlh, P4X_CTL_SFLOW_BACKLOG_BYTES,
				 f->backlog_bytes);
		mnl_attr_nest_end(nlh, one);
	}
	mnl_attr_nest_end(nlh, nest);
}

static void put_pstats(struct p4xd *d, unsigned int port, struct nlmsghdr *nlh)
{
	struct p4x_sched_policy_stat st[MAX_FLOWS], sum[MAX_FLOWS];
	unsigned int q, i, n = 0, k;
	unsigned int nbq = p4x_engine__port_sched_count(d->engine, port);
	struct nlattr *nest, *one;

	for (q = 0; q < nbq; q++) {
		k = p4x_sched__policy_stats(
			p4x_engine__port_sched(d->engine, port, q), st,
			MAX_FLOWS);
		for (i = 0; i < k; i++) {
			if (!q)
				sum[i] = st[i];
			else if (i < n)
				sum[i].value += st[i].value;
		}
		n = q ? P4X_MIN(n, k) : k;
	}
	nest = mnl_attr_nest_start(nlh, P4X_CTL_SCHED_PSTATS);
	for (i = 0; i < n; i++) {
		one = mnl_attr_nest_start(nlh, (uint16_t)(i + 1));
		mnl_attr_put_strz(nlh, P4X_CTL_SPSTAT_NAME, sum[i].name);
		mnl_attr_put_u64(nlh, P4X_CTL_SPSTAT_VALUE, sum[i].value);
		mnl_attr_nest_end(nlh, one);
	}
	mnl_attr_nest_end(nlh, nest);
}

static void put_classes(struct nlmsghdr *nlh, const struct p4x_sched_stats *st,
			const struct p4x_sched_stats *prev, uint64_t ns)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, P4X_CTL_SCHED_CLASSES);
	const struct p4x_sched_class_stats *c;
	unsigned int i;

	for (i = 0; i < st->nb_classes; i++) {
		c = &st->cls[i];
		if (c->enq_pkts || c->backlog_pkts || drops_of(c))
			put_class(nlh, (uint16_t)(i + 1), i, c, &prev->cls[i],
				  ns);
	}
	mnl_attr_nest_end(nlh, nest);
}

static int send_sched(struct p4xd *d, unsigned int port, uint16_t flags,
		      struct p4xd_reply *r)
{
	struct p4xd_sched_port *sport = &d->sched->ports[port];
	struct nlmsghdr *nlh = p4xd_reply__start(r, flags);
	struct p4x_port *p = p4x_engine__port(d->engine, port);
	struct p4x_port_info info = {0};
	struct p4x_sched_stats st;
	uint64_t ns;

	p->ops->get_info(p, &info);
	port_stats(d, port, &st);
	if (!sport->prev.time_ns)
		sport->prev.time_ns = d->start_ms * 1000000u;
	ns = st.time_ns - sport->prev.time_ns;
	mnl_attr_put_strz(nlh, P4X_CTL_SCHED_PORT, info.name);
	mnl_attr_put_strz(nlh, P4X_CTL_SCHED_POLICY,
			  p4x_sched__policy_name(
				  p4x_engine__port_sched(d->engine, port, 0)));
	mnl_attr_put_strz(nlh, P4X_CTL_SCHED_SPEC, sport->spec);
	mnl_attr_put_u32(nlh, P4X_CTL_SCHED_QUEUES,
			 p4x_engine__port_sched_count(d->engine, port));
	mnl_attr_put_u8(nlh, P4X_CTL_SCHED_LINK_UP,
			p4x_engine__link(d->engine, port));
	mnl_attr_put_u64(nlh, P4X_CTL_SCHED_RATE, sport->rate);
	mnl_attr_put_u64(nlh, P4X_CTL_SCHED_INTERVAL_MS, ns / 1000000u);
	mnl_attr_put_u32(nlh, P4X_CTL_SCHED_PENDING, st.pending);
	put_class(nlh, P4X_CTL_SCHED_TOTAL, UINT32_MAX, &st.total,
		  &sport->prev.total, ns);
	put_classes(nlh, &st, &sport->prev, ns);
	put_flows(d, port, nlh);
	put_pstats(d, port, nlh);
	sport->prev = st;
	return p4xd_reply__send(r, nlh);
}

int p4xd_sched_get_do(struct p4xd *d, const struct nlattr **tb,
		      struct p4xd_reply *r, struct p4x_ctl_err *err)
{
	int port = port_of(d, tb, r, err);

	return port < 0 ? port : send_sched(d, (unsigned int)port, 0, r);
}

int p4xd_sched_get_dump(struct p4xd *d, const struct nlattr **tb,
			struct p4xd_reply *r, struct p4x_ctl_err *err)
{
	unsigned int p;
	int ret;

	for (p = 0; d->sched && p < P4X_MAX_PORTS; p++) {
		if (!d->sched->ports[p].on)
			continue;
		ret = send_sched(d, p, NLM_F_MULTI, r);
		if (ret)
			return ret;
	}
	return 0;
}
