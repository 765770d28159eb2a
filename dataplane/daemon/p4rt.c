// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4xskd's P4 runtime: model, runtime tables of sealed pipelines, events,
 * aging. See p4rt.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "p4x/log.h"
#include "p4x/p4pipe.h"

#include "p4rt.h"

struct p4xd_p4 *p4xd_p4__new(void)
{
	struct p4x_p4tc_opts o = {.sz = sizeof(o)};
	struct p4xd_p4 *p = calloc(1, sizeof(*p));
	unsigned int i;

	if (!p)
		return NULL;
	p->m = p4x_p4tc__new(&o);
	if (!p->m) {
		free(p);
		return NULL;
	}
	for (i = 0; i < P4XD_MAX_CLIENTS; i++)
		p->subs[i].fd = -1;
	return p;
}

static void pipe_free(struct p4xd_rt_pipe *rp)
{
	unsigned int i;

	for (i = 0; i < rp->ntables; i++)
		p4x_table__destroy(rp->tables[i].t);
	free(rp);
}

void p4xd_p4__free(struct p4xd_p4 *p)
{
	unsigned int i;

	if (!p)
		return;
	for (i = 0; i < p->npipes; i++)
		pipe_free(p->pipes[i]);
	for (i = 0; i < P4XD_MAX_CLIENTS; i++)
		p4x_p4tc_filter__free(p->subs[i].filter);
	p4x_p4tc__free(p->m);
	free(p);
}

const char *p4xd_rt_table__short(const struct p4xd_rt_table *rt)
{
	const char *slash = strrchr(rt->def->name, '/');

	return slash ? slash + 1 : rt->def->name;
}

static int table_build(struct p4xd_rt_table *rt,
		       const struct p4x_p4tc_table_def *def,
		       struct p4x_ctl_err *err)
{
	char why[sizeof(err->msg)];

	memset(rt, 0, sizeof(*rt));
	rt->def = def;
	rt->profiles[0] =
		def->aging_ms ? def->aging_ms : P4X_TABLE_DEFAULT_AGING_MS;
	rt->t = p4x_p4pipe__table_new(def, why, sizeof(why));
	if (!rt->t) {
		p4x_ctl_err_set(err, -errno, 0, "%s", why);
		return err->code;
	}
	return 0;
}

static int pipe_build(struct p4xd_p4 *p, const struct p4x_p4tc_pipeline *pl,
		      struct p4x_ctl_err *err)
{
	const struct p4x_p4tc_table_def *def;
	struct p4xd_rt_pipe *rp = calloc(1, sizeof(*rp));
	int ret = 0;

	if (!rp) {
		p4x_ctl_err_set(err, -ENOMEM, 0, "out of memory");
		return err->code;
	}
	snprintf(rp->name, sizeof(rp->name), "%s", p4x_p4tc_pipeline__name(pl));
	rp->id = p4x_p4tc_pipeline__id(pl);
	while (!ret && (def = p4x_p4tc_pipeline__table_at(pl, rp->ntables))) {
		ret = table_build(&rp->tables[rp->ntables], def, err);
		rp->ntables += !ret;
	}
	if (ret) {
		pipe_free(rp);
		return ret;
	}
	p->pipes[p->npipes++] = rp;
	p4x_info("pipeline %s (id %u) sealed: %u runtime table(s)", rp->name,
		 rp->id, rp->ntables);
	return 0;
}

static struct p4xd_rt_pipe *find_pipe(const struct p4xd_p4 *p, const char *name)
{
	unsigned int i;

	for (i = 0; i < p->npipes; i++)
		if (!strcmp(p->pipes[i]->name, name))
			return p->pipes[i];
	return NULL;
}

/* Drop the runtime (and introspection record) of pipelines gone. */
static void sync_gone(struct p4xd_p4 *p)
{
	const struct p4x_p4tc_pipeline *pl;
	unsigned int i;

	for (i = p->npipes; i-- > 0;) {
		pl = p4x_p4tc__pipeline_get(p->m, p->pipes[i]->name);
		if (pl && p4x_p4tc_pipeline__id(pl) == p->pipes[i]->id &&
		    p4x_p4tc_pipeline__sealed(pl))
			continue;
		pipe_free(p->pipes[i]);
		p->pipes[i] = p->pipes[--p->npipes];
	}
	for (i = p->nintro; i-- > 0;)
		if (!p4x_p4tc__pipeline_get(p->m, p->intro[i].pipe))
			p->intro[i] = p->intro[--p->nintro];
}

/* Key fields attached after sealing: rebuild those tables while empty. */
static int sync_keys(struct p4xd_rt_pipe *rp, struct p4x_ctl_err *err)
{
	struct p4xd_rt_table *rt;
	unsigned int i;
	int ret;

	for (i = 0; i < rp->ntables; i++) {
		rt = &rp->tables[i];
		if (p4x_table__keysz(rt->t) == p4x_p4pipe__keysz(rt->def) ||
		    p4x_table__count(rt->t))
			continue;
		p4x_table__destroy(rt->t);
		ret = table_build(rt, rt->def, err);
		if (ret)
			return ret;
	}
	return 0;
}

int p4xd_p4__sync(struct p4xd_p4 *p, struct p4x_ctl_err *err)
{
	const struct p4x_p4tc_pipeline *pl;
	struct p4xd_rt_pipe *rp;
	unsigned int i;
	int ret = 0;

	sync_gone(p);
	for (i = 0; (pl = p4x_p4tc__pipeline_at(p->m, i)) && !ret; i++) {
		if (!p4x_p4tc_pipeline__sealed(pl))
			continue;
		rp = find_pipe(p, p4x_p4tc_pipeline__name(pl));
		ret = rp ? sync_keys(rp, err) : pipe_build(p, pl, err);
	}
	return ret;
}

struct p4xd_rt_pipe *p4xd_p4__pipe(struct p4xd_p4 *p, const char *name,
				   struct p4x_ctl_err *err)
{
	const struct p4x_p4tc_pipeline *pl = p4x_p4tc__pipeline_get(p->m, name);
	struct p4xd_rt_pipe *rp = find_pipe(p, name);

	if (rp)
		return rp;
	if (!pl)
		p4x_ctl_err_set(err, -ENOENT, 0, "pipeline %s does not exist",
				name);
	else if (!p4x_p4tc_pipeline__sealed(pl))
		p4x_ctl_err_set(err, -EPERM, 0, "pipeline %s is not sealed",
				name);
	else
		p4x_ctl_err_set(err, -EIO, 0,
				"pipeline %s has no runtime tables (they "
				"could not be built when it was sealed)",
				name);
	return NULL;
}

struct p4xd_rt_table *p4xd_rt_pipe__table(struct p4xd_rt_pipe *rp,
					  const char *name,
					  struct p4x_ctl_err *err)
{
	unsigned int i;

	for (i = 0; i < rp->ntables; i++)
		if (!strcmp(rp->tables[i].def->name, name))
			return &rp->tables[i];
	p4x_ctl_err_set(err, -ENOENT, 0,
			"table %s does not exist in pipeline %s", name,
			rp->name);
	return NULL;
}

int p4xd_rt_table__profile(struct p4xd_rt_table *rt, uint64_t aging_ms)
{
	unsigned int i, free_id = 0;

	if (!aging_ms)
		return 0;
	for (i = 0; i < P4X_TABLE_PROFILES_MAX; i++) {
		if (rt->profiles[i] == aging_ms)
			return (int)i;
		if (!rt->profiles[i] && !free_id)
			free_id = i;
	}
	if (!free_id)
		return -ENOSPC;
	if (p4x_table__set_timer_profile(rt->t, free_id, aging_ms))
		return -EINVAL;
	rt->profiles[free_id] = aging_ms;
	return (int)free_id;
}

static bool is_const(const struct p4x_p4tc_table_def *def,
		     const struct p4x_table_entry_info *in)
{
	uint32_t i;

	for (i = 0; i < def->nentries; i++)
		if (def->entries[i].prio == in->prio &&
		    in->keylen == def->key_bytes &&
		    !memcmp(def->entries[i].key, in->key, in->keylen) &&
		    !memcmp(def->entries[i].mask, in->mask, in->keylen))
			return true;
	return false;
}

static uint64_t age(uint64_t now, uint64_t then)
{
	return now > then ? now - then : 0;
}

void p4xd_rt_table__entry(const struct p4xd_rt_table *rt,
			  const struct p4x_table_entry_info *in,
			  uint64_t now_ms, struct p4x_ctl_entry *e)
{
	*e = (struct p4x_ctl_entry){
		.key = in->key,
		.mask = in->mask,
		.keylen = (uint16_t)in->keylen,
		.has_prio = true,
		.prio = in->prio,
		.has_act = true,
		.act_id = in->act_id,
		.params = in->params,
		.params_len = in->params_len,
		.has_permissions = true,
		.permissions = in->permissions,
		.dynamic = in->dynamic,
		.aging_ms = in->dynamic ? rt->profiles[in->profile_id] : 0,
		.has_info = true,
		.who_created = (uint8_t)in->who_created,
		.who_updated = (uint8_t)in->who_updated,
		.tmpl_created = is_const(rt->def, in),
		.created_ms = age(now_ms, in->created_ms),
		.updated_ms = age(now_ms, in->updated_ms),
		.used_ms = age(now_ms, in->last_used_ms),
	};
}

struct nlmsghdr *p4xd_p4_entry_msg(void *buf, uint16_t type, uint16_t flags,
				   uint32_t seq, const struct p4xd_rt_pipe *rp,
				   const struct p4xd_rt_table *rt,
				   const struct p4x_ctl_entry *e, int cmd)
{
	struct nlmsghdr *nlh = p4x_ctl_msg_put(buf, type, flags, seq);
	struct nlattr *nest;

	mnl_attr_put_strz(nlh, P4X_CTL_P4_PNAME, rp->name);
	mnl_attr_put_u32(nlh, P4X_CTL_P4_PIPEID, rp->id);
	mnl_attr_put_strz(nlh, P4X_CTL_P4_TBLNAME, rt->def->name);
	mnl_attr_put_u32(nlh, P4X_CTL_P4_TBLID, rt->def->id);
	if (cmd >= 0)
		mnl_attr_put_u32(nlh, P4X_CTL_P4_CMD, (uint32_t)cmd);
	nest = mnl_attr_nest_start(nlh, P4X_CTL_P4_ENTRIES);
	p4x_ctl_entry_put(nlh, 1, e);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

/* --- events -------------------------------------------------------------- */

struct p4xd_event {
	struct p4xd_event *next;
	enum p4x_ctl_p4_cmd cmd;
	struct p4x_table_entry_info info; /* pointers into bytes */
	uint8_t bytes[];
};

struct p4xd_events {
	struct p4xd_p4 *p;
	const struct p4xd_rt_pipe *rp;
	const struct p4xd_rt_table *rt;
	struct p4xd_event *head, **tail;
};

static bool sub_wants(const struct p4xd_sub *s, const struct p4xd_rt_pipe *rp,
		      const struct p4xd_rt_table *rt)
{
	return s->fd >= 0 && (!s->pname[0] || !strcmp(s->pname, rp->name)) &&
	       (!s->tblname[0] || !strcmp(s->tblname, rt->def->name));
}

struct p4xd_events *p4xd_events__new(struct p4xd_p4 *p,
				     const struct p4xd_rt_pipe *rp,
				     const struct p4xd_rt_table *rt)
{
	struct p4xd_events *ev;
	unsigned int i;

	for (i = 0; i < P4XD_MAX_CLIENTS; i++)
		if (sub_wants(&p->subs[i], rp, rt))
			break;
	if (i == P4XD_MAX_CLIENTS)
		return NULL; /* nobody listens: nothing to collect */
	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return NULL;
	*ev = (struct p4xd_events){.p = p, .rp = rp, .rt = rt};
	ev->tail = &ev->head;
	return ev;
}

void p4xd_events__add(struct p4xd_events *ev, enum p4x_ctl_p4_cmd cmd,
		      const struct p4x_table_entry_info *in)
{
	struct p4xd_event *e;
	size_t kl = in->keylen;

	if (!ev)
		return;
	e = malloc(sizeof(*e) + 2 * kl + in->params_len);
	if (!e) {
		p4x_warn("events: out of memory, one event lost");
		return;
	}
	e->next = NULL;
	e->cmd = cmd;
	e->info = *in;
	memcpy(e->bytes, in->key, kl);
	memcpy(e->bytes + kl, in->mask, kl);
	memcpy(e->bytes + 2 * kl, in->params, in->params_len);
	e->info.key = e->bytes;
	e->info.mask = e->bytes + kl;
	e->info.params = e->bytes + 2 * kl;
	*ev->tail = e;
	ev->tail = &e->next;
}

static enum p4x_p4tc_filter_cmd filter_cmd(enum p4x_ctl_p4_cmd cmd)
{
	switch (cmd) {
	case P4X_CTL_P4_CMD_CREATE:
		return P4X_P4TC_FILTER_CMD_CREATE;
	case P4X_CTL_P4_CMD_UPDATE:
		return P4X_P4TC_FILTER_CMD_UPDATE;
	default: /* aging deletes the entry */
		return P4X_P4TC_FILTER_CMD_DELETE;
	}
}

static void send_event(struct p4xd_events *ev, const struct p4xd_event *e,
		       uint64_t now)
{
	static char buf[P4X_CTL_MSG_MAX];
	struct p4x_p4tc_filter_entry fe;
	struct p4x_ctl_entry ce;
	struct nlmsghdr *nlh = NULL;
	unsigned int i;

	p4x_p4tc_filter_entry__from_info(&fe, &e->info, now,
					 filter_cmd(e->cmd));
	for (i = 0; i < P4XD_MAX_CLIENTS; i++) {
		struct p4xd_sub *s = &ev->p->subs[i];

		if (!sub_wants(s, ev->rp, ev->rt) ||
		    !p4x_p4tc_filter__match(s->filter, &fe))
			continue;
		if (!nlh) {
			p4xd_rt_table__entry(ev->rt, &e->info, now, &ce);
			nlh = p4xd_p4_entry_msg(buf, P4X_CTL_MSG_P4_EVENT, 0, 0,
						ev->rp, ev->rt, &ce,
						(int)e->cmd);
		}
		if (send(s->fd, nlh, nlh->nlmsg_len,
			 MSG_DONTWAIT | MSG_NOSIGNAL) < 0 &&
		    !s->lost++)
			p4x_warn("events: a subscriber is not reading (%s); "
				 "dropping its events",
				 strerror(errno));
	}
}

void p4xd_events__free(struct p4xd_events *ev)
{
	struct p4xd_event *e, *next;

	if (!ev)
		return;
	for (e = ev->head; e; e = next) {
		next = e->next;
		free(e);
	}
	free(ev);
}

void p4xd_events__send(struct p4xd_events *ev)
{
	uint64_t now = p4x_table_clock_ms();
	const struct p4xd_event *e;

	if (!ev)
		return;
	for (e = ev->head; e; e = e->next)
		send_event(ev, e, now);
	p4xd_events__free(ev);
}

/* --- aging --------------------------------------------------------------- */

#define P4XD_AGING_TICK_MS 100

int p4xd_p4__timeout_ms(const struct p4xd_p4 *p)
{
	unsigned int i, j;

	for (i = 0; p && i < p->npipes; i++)
		for (j = 0; j < p->pipes[i]->ntables; j++)
			if (p->pipes[i]->tables[j].has_dynamic)
				return P4XD_AGING_TICK_MS;
	return -1;
}

static void aged(struct p4x_table *t, const struct p4x_table_entry *e,
		 void *arg)
{
	struct p4x_table_entry_info info;

	p4x_table_entry__info(e, &info);
	p4xd_events__add(arg, P4X_CTL_P4_CMD_AGING, &info);
}

static void age_table(struct p4xd_p4 *p, struct p4xd_rt_pipe *rp,
		      struct p4xd_rt_table *rt, uint64_t now)
{
	struct p4xd_events *ev = p4xd_events__new(p, rp, rt);
	int n = p4x_table__age(rt->t, now, aged, ev);

	if (n > 0)
		p4x_debug("aging: %d entries left table %s", n, rt->def->name);
	p4xd_events__send(ev);
}

void p4xd_p4__tick(struct p4xd_p4 *p)
{
	uint64_t now = p4x_table_clock_ms();
	bool age = p && now - p->last_aged >= P4XD_AGING_TICK_MS;
	unsigned int i, j;

	for (i = 0; p && i < p->npipes; i++) {
		struct p4xd_rt_pipe *rp = p->pipes[i];

		for (j = 0; j < rp->ntables; j++) {
			if (age && rp->tables[j].has_dynamic)
				age_table(p, rp, &rp->tables[j], now);
			p4x_table__reclaim(rp->tables[j].t);
		}
	}
	if (age)
		p->last_aged = now;
}

void p4xd_p4__client_gone(struct p4xd_p4 *p, int fd)
{
	unsigned int i;

	for (i = 0; p && i < P4XD_MAX_CLIENTS; i++) {
		if (p->subs[i].fd != fd)
			continue;
		p4x_p4tc_filter__free(p->subs[i].filter);
		memset(&p->subs[i], 0, sizeof(p->subs[i]));
		p->subs[i].fd = -1;
	}
}
