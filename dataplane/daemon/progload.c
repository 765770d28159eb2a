// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4xskd's P4TC program: `p4xsk load DIR` and `p4xskd --program DIR`.
 *
 * Theory of operation. Loading program directory DIR of pipeline P:
 *  1. if the model has no pipeline P, run DIR/P.template on it (what
 *     `TC=p4xsk bash P.template` does, in-process) with DIR/P.json as
 *     P's introspection file; p4xd_p4__sync() then builds P's runtime
 *     tables. If P exists (sealed), its tables and entries are kept: a
 *     reload replaces the code, not the state;
 *  2. compile DIR into a fresh object (p4x_p4rt__build; every load gets
 *     its own file, since an object binds to one runtime at a time) and
 *     load it with an env whose callbacks read this load's record: P's
 *     tables by tblid and the engine ports' ifindexes;
 *  3. p4x_engine__set_prog(): workers switch at their next burst (RCU);
 *     the old program is destroyed after the grace period, then its
 *     record is freed. A packet runs wholly in the old or the new program.
 * While a program runs, its pipeline cannot be deleted (its tables are in
 * the workers' hands).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "p4x/log.h"
#include "p4x/p4pipe.h"
#include "p4x/p4rt.h"

#include "host.h"
#include "p4rt.h"
#include "progload.h"

/* What the running program's callbacks read; fixed once published. */
struct p4xd_prog {
	struct p4xd *d;
	struct p4x_p4rt *rt; /* owned by the engine; valid while published */
	char pipe[P4X_P4TC_NAMSZ];
	uint32_t pipeid;
	unsigned int ntables;
	uint32_t tblids[P4X_P4TC_MAX_TABLES];
	struct p4x_table *tables[P4X_P4TC_MAX_TABLES];
	unsigned int nports;
	uint32_t ifindex[P4X_MAX_PORTS];
	char name[P4X_P4TC_NAMSZ + 8]; /* "p4tc:<P>" */
};

static struct p4x_table *env_table(void *arg, uint32_t pipeid, uint32_t tblid)
{
	const struct p4xd_prog *pr = arg;
	unsigned int i;

	if (p4x_unlikely(pipeid != pr->pipeid))
		return NULL;
	for (i = 0; i < pr->ntables; i++)
		if (pr->tblids[i] == tblid)
			return pr->tables[i];
	return NULL;
}

static uint32_t env_port_ifindex(void *arg, uint16_t port)
{
	const struct p4xd_prog *pr = arg;

	return port < pr->nports ? pr->ifindex[port] : 0;
}

static int env_ifindex_port(void *arg, uint32_t ifindex)
{
	const struct p4xd_prog *pr = arg;
	unsigned int i;

	for (i = 0; i < pr->nports; i++)
		if (pr->ifindex[i] == ifindex)
			return (int)i;
	return -1;
}

/* Control thread (p4x_p4rt__poll): packed param bytes of an action. */
static int env_act_params_len(void *arg, uint32_t pipeid, uint32_t act_id)
{
	const struct p4xd_prog *pr = arg;
	const struct p4x_p4tc_pipeline *pl =
		p4x_p4tc__pipeline_by_id(pr->d->p4->m, pipeid);
	const struct p4x_p4tc_action_def *a =
		pl ? p4x_p4tc_pipeline__action_by_id(pl, act_id) : NULL;

	return a ? a->params_bytes : -1;
}

/* Control thread: an entry the datapath added is dynamic, so its table
 * is aged from now on; subscribers get a create event. */
static void env_entry_added(void *arg, struct p4x_table *t,
			    const struct p4x_table_entry *e)
{
	const struct p4xd_prog *pr = arg;
	struct p4x_ctl_err err;
	struct p4xd_rt_pipe *rp = p4xd_p4__pipe(pr->d->p4, pr->pipe, &err);
	struct p4x_table_entry_info info;
	struct p4xd_events *ev;
	unsigned int i;

	for (i = 0; rp && i < rp->ntables; i++) {
		if (rp->tables[i].t != t)
			continue;
		rp->tables[i].has_dynamic = true;
		p4x_table_entry__info(e, &info);
		ev = p4xd_events__new(pr->d->p4, rp, &rp->tables[i]);
		p4xd_events__add(ev, P4X_CTL_P4_CMD_CREATE, &info);
		p4xd_events__send(ev);
	}
}

/* Step 1: P's template and introspection, unless P exists. */
static int run_template(struct p4xd_p4 *p, const char *dir, const char *pipe,
			struct p4x_ctl_err *err)
{
	char path[PATH_MAX + P4X_P4TC_NAMSZ + 16], why[512];
	struct p4xd_intro *rec;
	int ret;

	if (p4x_p4tc__pipeline_get(p->m, pipe))
		return p4xd_p4__pipe(p, pipe, err) ? 0 : err->code;
	snprintf(path, sizeof(path), "%s/%s.template", dir, pipe);
	ret = p4x_p4tc__load_template(p->m, path, why, sizeof(why));
	if (!ret) {
		snprintf(path, sizeof(path), "%s/%s.json", dir, pipe);
		ret = p4x_p4tc__set_introspection(p->m, path, why, sizeof(why));
		if (ret)
			p4x_p4tc__pipeline_delete(p->m, pipe, NULL, 0);
	}
	if (ret) {
		p4x_ctl_err_set(err, ret, 0, "%s", why);
		return ret;
	}
	rec = p4xd_p4__intro_rec(p, pipe);
	if (rec)
		snprintf(rec->path, sizeof(rec->path), "%.*s",
			 (int)sizeof(rec->path) - 1, path);
	ret = p4xd_p4__sync(p, err);
	return ret ? ret : (p4xd_p4__pipe(p, pipe, err) ? 0 : err->code);
}

static void record_fill(struct p4xd *d, struct p4xd_prog *pr,
			const struct p4xd_rt_pipe *rp)
{
	struct p4x_port_info info;
	unsigned int i;

	snprintf(pr->pipe, sizeof(pr->pipe), "%s", rp->name);
	snprintf(pr->name, sizeof(pr->name), "p4tc:%s", rp->name);
	pr->d = d;
	pr->pipeid = rp->id;
	for (i = 0; i < rp->ntables; i++) {
		pr->tblids[i] = rp->tables[i].def->id;
		pr->tables[i] = rp->tables[i].t;
	}
	pr->ntables = rp->ntables;
	pr->nports = p4x_engine__nb_ports(d->engine);
	for (i = 0; i < pr->nports; i++) {
		struct p4x_port *port = p4x_engine__port(d->engine, i);

		port->ops->get_info(port, &info);
		/* memory ports have no ifindex: number them as the
		 * runtime's default does */
		pr->ifindex[i] =
			info.ifindex > 0 ? (uint32_t)info.ifindex : i + 1;
	}
}

/* Step 2: a fresh object of @dir, loaded for record @pr. */
static struct p4x_p4rt *build_load(struct p4xd *d, const char *dir,
				   struct p4xd_prog *pr,
				   struct p4x_ctl_err *err)
{
	struct p4x_p4rt_build_opts bo = {.sz = sizeof(bo)};
	struct p4x_p4rt_env env = {
		.table = env_table,
		.port_ifindex = env_port_ifindex,
		.ifindex_port = env_ifindex_port,
		.act_params_len = env_act_params_len,
		.entry_added = env_entry_added,
		.arg = pr,
	};
	struct p4x_p4rt_opts o = {.sz = sizeof(o), .pipeid = pr->pipeid};
	char so[PATH_MAX], why[512];
	struct p4x_p4rt *rt = NULL;
	int ret;

	if (!d->prog_tmp[0]) {
		snprintf(d->prog_tmp, sizeof(d->prog_tmp),
			 "/tmp/p4xskd-XXXXXX");
		if (!mkdtemp(d->prog_tmp)) {
			d->prog_tmp[0] = '\0';
			p4x_ctl_err_set(err, -errno, 0, "mkdtemp: %s",
					strerror(errno));
			return NULL;
		}
	}
	snprintf(so, sizeof(so), "%s/%s-%u.so", d->prog_tmp, pr->pipe,
		 ++d->prog_seq);
	ret = p4x_p4rt__build(dir, so, &bo, why, sizeof(why));
	if (!ret) {
		rt = p4x_p4rt__load(so, &env, &o, why, sizeof(why));
		ret = rt ? 0 : -errno;
		unlink(so);
	}
	if (ret)
		p4x_ctl_err_set(err, ret, 0, "%s", why);
	return rt;
}

/* Absolute program directory and its pipeline name, or -errno. */
static int prog_dir(const char *dir, char *abs, char *pipe,
		    struct p4x_ctl_err *err)
{
	char why[512];
	int ret;

	if (!realpath(dir, abs)) {
		p4x_ctl_err_set(err, -errno, 0, "%s: %s", dir, strerror(errno));
		return err->code;
	}
	ret = p4x_p4pipe__dir_name(abs, pipe, P4X_P4TC_NAMSZ, why, sizeof(why));
	if (ret)
		p4x_ctl_err_set(err, ret, 0, "%s", why);
	return ret;
}

/* Step 3: publish @rt (record @pr); the old record goes after the grace
 * period set_prog waits for. */
static int switch_to(struct p4xd *d, struct p4xd_prog *pr, struct p4x_p4rt *rt,
		     struct p4x_ctl_err *err)
{
	struct p4xd_prog *old = d->prog;
	struct p4x_prog prog;
	int ret;

	p4x_p4rt__prog(rt, &prog);
	ret = p4x_engine__set_prog(d->engine, &prog);
	if (ret) {
		p4x_p4rt__free(rt);
		p4x_ctl_err_set(err, ret, 0, "cannot switch programs: %s",
				strerror(-ret));
		return ret;
	}
	pr->rt = rt;
	d->prog = pr;
	d->prog_name = pr->name;
	free(old);
	p4xd_host_open(d);
	return 0;
}

/* A failed load leaves no pipeline it created behind. */
static void undo_pipeline(struct p4xd_p4 *p, const char *pipe)
{
	struct p4x_ctl_err ignored;

	p4x_p4tc__pipeline_delete(p->m, pipe, NULL, 0);
	p4xd_p4__sync(p, &ignored);
}

int p4xd_prog_load(struct p4xd *d, const char *dir, struct p4x_ctl_err *err)
{
	struct p4xd_p4 *p = p4xd_p4__runtime(d, err);
	char pipe[P4X_P4TC_NAMSZ], abs[PATH_MAX];
	struct p4xd_prog *pr = NULL;
	struct p4x_p4rt *rt = NULL;
	bool created;
	int ret;

	if (!p || prog_dir(dir, abs, pipe, err))
		return err->code;
	created = !p4x_p4tc__pipeline_get(p->m, pipe);
	ret = run_template(p, abs, pipe, err);
	if (ret)
		return ret;
	pr = calloc(1, sizeof(*pr));
	if (!pr)
		p4x_ctl_err_set(err, -ENOMEM, 0, "out of memory");
	else
		record_fill(d, pr, p4xd_p4__pipe(p, pipe, err));
	rt = pr ? build_load(d, abs, pr, err) : NULL;
	if (!rt || switch_to(d, pr, rt, err)) {
		free(pr);
		if (created)
			undo_pipeline(p, pipe);
		return err->code;
	}
	p4x_info("program %s (pipeline %s, id %u) from %s", pr->name, pr->pipe,
		 pr->pipeid, abs);
	return 0;
}

int p4xd_prog_timeout_ms(const struct p4xd *d)
{
	return d->prog ? P4XD_PROG_POLL_MS : -1;
}

void p4xd_prog_tick(struct p4xd *d)
{
	if (d->prog)
		p4x_p4rt__poll(d->prog->rt, 0);
}

bool p4xd_prog_uses(const struct p4xd *d, const char *pipe)
{
	return d->prog && !strcmp(d->prog->pipe, pipe);
}

void p4xd_prog_free(struct p4xd *d)
{
	free(d->prog);
	d->prog = NULL;
	if (d->prog_tmp[0])
		rmdir(d->prog_tmp);
	d->prog_tmp[0] = '\0';
}

int p4xd_prog_load_do(struct p4xd *d, const struct nlattr **tb,
		      struct p4xd_reply *r, struct p4x_ctl_err *err)
{
	const struct nlattr *dir = tb[P4X_CTL_TMPL_INTROSPECTION];
	struct nlmsghdr *nlh;
	char text[256];
	int ret;

	if (!dir) {
		p4x_ctl_err_set(err, -EINVAL, 0,
				"load: the program directory is missing");
		return err->code;
	}
	ret = p4xd_prog_load(d, mnl_attr_get_str(dir), err);
	if (ret)
		return ret;
	snprintf(text, sizeof(text),
		 "program %s runs on %u port(s) (pipeline %s, id %u)\n",
		 d->prog->name, d->prog->nports, d->prog->pipe,
		 d->prog->pipeid);
	nlh = p4xd_reply__start(r, NLM_F_MULTI);
	mnl_attr_put_strz(nlh, P4X_CTL_TMPL_OUTPUT, text);
	return p4xd_reply__send(r, nlh);
}
