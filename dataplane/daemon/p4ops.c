// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4xskd request handlers of the P4 messages: p4template commands,
 * pipeline info, p4ctrl create/update/delete (batches in one table
 * transaction), get, dump, flush, and event subscriptions.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bridge_d.h"
#include "p4rt.h"
#include "progload.h"

#define P4XD_TMPL_ARGS_MAX 512
#define P4XD_OUT_CHUNK 8192

struct p4xd_p4 *p4xd_p4__runtime(struct p4xd *d, struct p4x_ctl_err *err)
{
	if (!d->p4)
		d->p4 = p4xd_p4__new();
	if (!d->p4)
		p4x_ctl_err_set(err, -ENOMEM, 0,
				"cannot create the P4 runtime: out of memory");
	return d->p4;
}

static uint32_t attr_off(const struct p4xd_reply *r, const struct nlattr *a)
{
	return a ? (uint32_t)((const char *)a - (const char *)r->req) : 0;
}

static const char *need_str(const struct nlattr **tb, uint16_t id,
			    const char *what, struct p4xd_reply *r,
			    struct p4x_ctl_err *err)
{
	if (tb[id])
		return mnl_attr_get_str(tb[id]);
	p4x_ctl_err_set(err, -EINVAL, 0, "%s: missing attribute '%s'",
			p4x_ctl_msg_name(r->req->nlmsg_type), what);
	return NULL;
}

/* --- p4template ---------------------------------------------------------- */

/* The pipeline a p4template command names ("table/P/cb/t" -> P). */
static int tmpl_pipeline(int argc, char **argv, char *name, size_t sz)
{
	const char *obj, *p, *end;
	int i = 0;

	if (i < argc && !strcmp(argv[i], "-j"))
		i++;
	if (i < argc && !strcmp(argv[i], "p4template"))
		i++;
	if (i + 1 >= argc)
		return -ENOENT;
	obj = argv[i + 1];
	p = strchr(obj, '/');
	if (!p || !strncmp(obj, "extern/", 7))
		return -ENOENT;
	end = strchrnul(p + 1, '/');
	if (end == p + 1 || (size_t)(end - p - 1) >= sz)
		return -ENOENT;
	snprintf(name, sz, "%.*s", (int)(end - p - 1), p + 1);
	return 0;
}

struct p4xd_intro *p4xd_p4__intro_rec(struct p4xd_p4 *p, const char *pipe)
{
	unsigned int i;

	for (i = 0; i < p->nintro; i++)
		if (!strcmp(p->intro[i].pipe, pipe))
			return &p->intro[i];
	if (p->nintro == P4X_ARRAY_SIZE(p->intro))
		return NULL;
	memset(&p->intro[p->nintro], 0, sizeof(p->intro[0]));
	snprintf(p->intro[p->nintro].pipe, P4X_P4TC_NAMSZ, "%s", pipe);
	return &p->intro[p->nintro++];
}

/*
 * The client's $INTROSPECTION/<P>.json gives the key fields of an
 * existing pipeline P, before the command runs (a const entry needs
 * them), once per file.
 */
static int tmpl_introspection(struct p4xd_p4 *p, int argc, char **argv,
			      const char *dir, struct p4x_ctl_err *err)
{
	char pipe[P4X_P4TC_NAMSZ], path[PATH_MAX], why[512];
	struct p4xd_intro *rec;
	int ret;

	if (!dir || tmpl_pipeline(argc, argv, pipe, sizeof(pipe)) ||
	    !p4x_p4tc__pipeline_get(p->m, pipe))
		return 0;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s.json", dir, pipe) >=
		    sizeof(path) ||
	    access(path, R_OK))
		return 0;
	rec = p4xd_p4__intro_rec(p, pipe);
	if (!rec || !strcmp(rec->path, path))
		return 0;
	ret = p4x_p4tc__set_introspection(p->m, path, why, sizeof(why));
	if (ret) {
		p4x_ctl_err_set(err, ret, 0, "INTROSPECTION %s: %s", path, why);
		return ret;
	}
	snprintf(rec->path, sizeof(rec->path), "%s", path);
	return 0;
}

/* The running program's pipeline stays: its tables are the workers'. */
static int tmpl_guard(struct p4xd *d, int argc, char **argv,
		      struct p4x_ctl_err *err)
{
	char pipe[P4X_P4TC_NAMSZ];
	int i;

	for (i = 0; i < argc && strcmp(argv[i], "delete"); i++)
		;
	if (i + 1 >= argc || tmpl_pipeline(argc, argv, pipe, sizeof(pipe)) ||
	    strncmp(argv[i + 1], "pipeline/", 9) || !p4xd_prog_uses(d, pipe))
		return 0;
	p4x_ctl_err_set(err, -EBUSY, 0,
			"pipeline %s: its program is running (load another "
			"program first)",
			pipe);
	return err->code;
}

static int send_output(struct p4xd_reply *r, const char *text, size_t len)
{
	char chunk[P4XD_OUT_CHUNK + 1];
	struct nlmsghdr *nlh;
	size_t off, n;
	int ret = 0;

	for (off = 0; off < len && !ret; off += n) {
		n = P4X_MIN(len - off, (size_t)P4XD_OUT_CHUNK);
		memcpy(chunk, text + off, n);
		chunk[n] = '\0';
		nlh = p4xd_reply__start(r, NLM_F_MULTI);
		mnl_attr_put_strz(nlh, P4X_CTL_TMPL_OUTPUT, chunk);
		ret = p4xd_reply__send(r, nlh);
	}
	return ret;
}

static int tmpl_argv(const struct nlattr *nest, char **argv,
		     struct p4x_ctl_err *err)
{
	const struct nlattr *a;
	int argc = 0;

	mnl_attr_for_each_nested(a, nest)
	{
		if (argc == P4XD_TMPL_ARGS_MAX) {
			p4x_ctl_err_set(err, -E2BIG, 0,
					"p4template: more than %d words",
					P4XD_TMPL_ARGS_MAX);
			return err->code;
		}
		argv[argc++] = (char *)mnl_attr_get_str(a);
	}
	argv[argc] = NULL;
	return argc;
}

int p4xd_p4_tmpl_do(struct p4xd *d, const struct nlattr **tb,
		    struct p4xd_reply *r, struct p4x_ctl_err *err)
{
	static char *argv[P4XD_TMPL_ARGS_MAX + 1];
	struct p4xd_p4 *p = p4xd_p4__runtime(d, err);
	const struct nlattr *dir = tb[P4X_CTL_TMPL_INTROSPECTION];
	char *text = NULL, why[512] = "";
	size_t len = 0;
	FILE *out;
	int argc, ret;

	if (!p)
		return err->code;
	argc = tb[P4X_CTL_TMPL_ARGV]
		       ? tmpl_argv(tb[P4X_CTL_TMPL_ARGV], argv, err)
		       : 0;
	if (argc < 0)
		return argc;
	ret = tmpl_guard(d, argc, argv, err);
	if (!ret)
		ret = tmpl_introspection(
			p, argc, argv, dir ? mnl_attr_get_str(dir) : NULL, err);
	if (ret)
		return ret;
	out = open_memstream(&text, &len);
	if (!out) {
		p4x_ctl_err_set(err, -errno, 0, "p4template: %s",
				strerror(errno));
		return err->code;
	}
	ret = p4x_p4tc__exec(p->m, argc, argv, out, why, sizeof(why));
	fclose(out);
	if (ret)
		p4x_ctl_err_set(err, ret, 0, "%s", why);
	else
		ret = p4xd_p4__sync(p, err);
	if (!ret)
		ret = send_output(r, text, len);
	free(text);
	return ret;
}

int p4xd_p4_pipeline_do(struct p4xd *d, const struct nlattr **tb,
			struct p4xd_reply *r, struct p4x_ctl_err *err)
{
	const char *name = need_str(tb, P4X_CTL_P4_PNAME, "pname", r, err);
	struct p4xd_p4 *p = name ? p4xd_p4__runtime(d, err) : NULL;
	const struct p4x_p4tc_pipeline *pl;
	const struct p4xd_intro *rec = NULL;
	struct nlmsghdr *nlh;
	unsigned int i;

	if (!p)
		return err->code;
	pl = p4x_p4tc__pipeline_get(p->m, name);
	if (!pl) {
		p4x_ctl_err_set(err, -ENOENT, attr_off(r, tb[P4X_CTL_P4_PNAME]),
				"pipeline %s does not exist", name);
		return err->code;
	}
	for (i = 0; i < p->nintro; i++)
		if (!strcmp(p->intro[i].pipe, name) && p->intro[i].path[0])
			rec = &p->intro[i];
	nlh = p4xd_reply__start(r, 0);
	mnl_attr_put_strz(nlh, P4X_CTL_P4_PNAME, name);
	mnl_attr_put_u32(nlh, P4X_CTL_P4_PIPEID, p4x_p4tc_pipeline__id(pl));
	mnl_attr_put_u8(nlh, P4X_CTL_P4_SEALED, p4x_p4tc_pipeline__sealed(pl));
	if (rec)
		mnl_attr_put_strz(nlh, P4X_CTL_P4_INTROSPECTION, rec->path);
	return p4xd_reply__send(r, nlh);
}

/* --- entries ------------------------------------------------------------- */

/* The table a p4ctrl request names, with its pipeline. */
static struct p4xd_rt_table *req_table(struct p4xd *d, const struct nlattr **tb,
				       struct p4xd_reply *r,
				       struct p4xd_rt_pipe **rp,
				       struct p4x_ctl_err *err)
{
	const char *pname = need_str(tb, P4X_CTL_P4_PNAME, "pname", r, err);
	const char *tname =
		pname ? need_str(tb, P4X_CTL_P4_TBLNAME, "tblname", r, err)
		      : NULL;
	struct p4xd_p4 *p = tname ? p4xd_p4__runtime(d, err) : NULL;

	*rp = p ? p4xd_p4__pipe(p, pname, err) : NULL;
	return *rp ? p4xd_rt_pipe__table(*rp, tname, err) : NULL;
}

static const char *const op_names[] = {
	[P4X_PERM_C] = "creates",
	[P4X_PERM_R] = "reads",
	[P4X_PERM_U] = "updates",
	[P4X_PERM_D] = "deletes",
};

static int table_perm(const struct p4xd_rt_table *rt, enum p4x_table_perm_op op,
		      struct p4x_ctl_err *err)
{
	uint16_t perms = p4x_table__permissions(rt->t);
	uint16_t write = P4X_PERM_CTRL(P4X_PERM_C) | P4X_PERM_CTRL(P4X_PERM_U) |
			 P4X_PERM_CTRL(P4X_PERM_D);

	if (op != P4X_PERM_R && !(perms & write) &&
	    (perms & P4X_PERM_CTRL(P4X_PERM_R))) {
		p4x_ctl_err_set(err, -EPERM, 0,
				"permission denied: table is read-only for the "
				"control plane (table %s, permissions 0x%x)",
				rt->def->name, perms);
		return err->code;
	}
	if (!p4x_table_perm_ok(perms, P4X_TABLE_WHO_TC, op)) {
		p4x_ctl_err_set(err, -EPERM, 0,
				"permission denied: table %s does not allow %s "
				"from the control plane (permissions 0x%x)",
				rt->def->name, op_names[op], perms);
		return err->code;
	}
	return 0;
}

static const struct p4x_p4tc_table_act *
table_act(const struct p4x_p4tc_table_def *def, uint32_t act_id)
{
	uint32_t i;

	for (i = 0; i < def->nacts; i++)
		if (def->acts[i].act_id == act_id)
			return &def->acts[i];
	return NULL;
}

/* Check the action of an entry against the table and its params. */
static int check_act(struct p4xd_p4 *p, const struct p4xd_rt_pipe *rp,
		     const struct p4xd_rt_table *rt,
		     const struct p4x_ctl_entry *e, char *why, size_t sz)
{
	const struct p4x_p4tc_table_act *ta = table_act(rt->def, e->act_id);
	const struct p4x_p4tc_pipeline *pl =
		p4x_p4tc__pipeline_get(p->m, rp->name);
	const struct p4x_p4tc_action_def *a =
		e->act_id ? p4x_p4tc_pipeline__action_by_id(pl, e->act_id)
			  : NULL;

	if (e->act_id && !a)
		return snprintf(why, sz, "action id %u does not exist",
				e->act_id),
		       -ENOENT;
	if (!ta || ta->flags & P4X_P4TC_ACT_DEFAULT_ONLY)
		return snprintf(why, sz, "action %s is %s in table %s",
				a ? a->name : "NoAction",
				ta ? "defaultonly" : "not in table_acts",
				rt->def->name),
		       -EINVAL;
	if (e->params_len != (a ? a->params_bytes : 0))
		return snprintf(why, sz,
				"action %s takes %u bytes of params, not %u",
				a ? a->name : "NoAction",
				a ? a->params_bytes : 0, e->params_len),
		       -EINVAL;
	return 0;
}

/* Entry identity (key, mask, prio) of @e for table @rt. */
static int entry_spec(const struct p4xd_rt_table *rt,
		      const struct p4x_ctl_entry *e,
		      struct p4x_table_entry_spec *s, char *why, size_t sz)
{
	uint32_t keylen = p4x_table__keylen(rt->t);

	memset(s, 0, sizeof(*s));
	s->sz = sizeof(*s);
	if (!e->key || e->keylen != keylen)
		return snprintf(why, sz,
				"key of %u bytes, table %s takes %u (its key "
				"fields)",
				e->key ? e->keylen : 0, rt->def->name, keylen),
		       -EINVAL;
	s->key = e->key;
	s->mask = rt->def->type == P4X_P4TC_TABLE_EXACT ? NULL : e->mask;
	s->prio = e->has_prio ? e->prio : 0;
	s->who = P4X_TABLE_WHO_TC;
	return 0;
}

/* Fill the writable fields of @s from @e (create, update). */
static int entry_values(struct p4xd_p4 *p, const struct p4xd_rt_pipe *rp,
			struct p4xd_rt_table *rt, const struct p4x_ctl_entry *e,
			struct p4x_table_entry_spec *s, char *why, size_t sz)
{
	int ret = e->has_act ? check_act(p, rp, rt, e, why, sz) : 0;
	int profile;

	if (ret)
		return ret;
	s->act_id = e->act_id;
	s->params = e->params;
	s->params_len = e->params_len;
	s->permissions = e->has_permissions ? e->permissions : 0;
	if (e->has_permissions && (e->permissions & ~P4X_P4TC_PERM_MASK))
		return snprintf(why, sz, "permissions 0x%x: more than 14 bits",
				e->permissions),
		       -EINVAL;
	if (e->aging_ms && !e->dynamic)
		return snprintf(why, sz,
				"aging applies to dynamic entries only"),
		       -EINVAL;
	s->dynamic = e->dynamic;
	rt->has_dynamic |= e->dynamic;
	profile = p4xd_rt_table__profile(rt, e->aging_ms);
	if (profile < 0)
		return snprintf(why, sz,
				"table %s: no timer profile left for aging "
				"%llu ms (16 distinct values at most)",
				rt->def->name, (unsigned long long)e->aging_ms),
		       profile;
	s->profile_id = (uint32_t)profile;
	return 0;
}

/* An update without an action keeps the entry's. */
static void keep_action(struct p4x_table *t, struct p4x_table_entry_spec *s)
{
	const struct p4x_table_entry *old = p4x_table__get(t, s);
	struct p4x_table_entry_info info;

	if (!old)
		return;
	p4x_table_entry__info(old, &info);
	s->act_id = info.act_id;
	s->params = info.params;
	s->params_len = info.params_len;
}

struct batch {
	struct p4xd_p4 *p;
	struct p4xd_rt_pipe *rp;
	struct p4xd_rt_table *rt;
	uint16_t type;
	unsigned int n;
	struct p4x_ctl_entry e[P4X_CTL_BATCH_MAX];
	struct p4x_table_entry_spec s[P4X_CTL_BATCH_MAX];
};

/*
 * Check entry @i of @b and fill its spec, with no transaction open (the
 * committed entries are readable): an update without an action keeps the
 * entry's, a delete records its event. -errno with @why filled.
 */
static int prepare_one(struct batch *b, unsigned int i, struct p4xd_events *ev,
		       char *why, size_t sz)
{
	struct p4x_table_entry_spec *s = &b->s[i];
	const struct p4x_ctl_entry *e = &b->e[i];
	struct p4x_table_entry_info info;
	const struct p4x_table_entry *old;
	int ret = entry_spec(b->rt, e, s, why, sz);

	if (!ret && b->type != P4X_CTL_MSG_P4_DELETE)
		ret = entry_values(b->p, b->rp, b->rt, e, s, why, sz);
	if (ret)
		return ret;
	if (b->type == P4X_CTL_MSG_P4_UPDATE && !e->has_act)
		keep_action(b->rt->t, s);
	old = b->type == P4X_CTL_MSG_P4_DELETE ? p4x_table__get(b->rt->t, s)
					       : NULL;
	if (old) {
		p4x_table_entry__info(old, &info);
		p4xd_events__add(ev, P4X_CTL_P4_CMD_DELETE, &info);
	}
	return 0;
}

/* Stage entry @i of @b into @txn; -errno with @why filled. */
static int stage_one(struct batch *b, unsigned int i, struct p4x_table_txn *txn,
		     char *why, size_t sz)
{
	int ret;

	switch (b->type) {
	case P4X_CTL_MSG_P4_CREATE:
		ret = p4x_table_txn__add(txn, &b->s[i], why, sz);
		if (ret == -EEXIST)
			snprintf(why, sz, "duplicate key");
		return ret;
	case P4X_CTL_MSG_P4_UPDATE:
		return p4x_table_txn__update(txn, &b->s[i], why, sz);
	default:
		return p4x_table_txn__delete(txn, &b->s[i], why, sz);
	}
}

/* After the commit: create/update events carry the committed entries. */
static void batch_events(struct batch *b, struct p4xd_events *ev)
{
	const struct p4x_table_entry *te;
	struct p4x_table_entry_info info;
	unsigned int i;

	if (b->type == P4X_CTL_MSG_P4_DELETE)
		return;
	for (i = 0; i < b->n; i++) {
		te = p4x_table__get(b->rt->t, &b->s[i]);
		if (!te)
			continue;
		p4x_table_entry__info(te, &info);
		/* an allocated prio: the entry has it now */
		b->s[i].prio = info.prio;
		p4xd_events__add(ev,
				 b->type == P4X_CTL_MSG_P4_CREATE
					 ? P4X_CTL_P4_CMD_CREATE
					 : P4X_CTL_P4_CMD_UPDATE,
				 &info);
	}
}

struct prio_map {
	uint8_t *used; /* bit p: prio p is taken */
	uint32_t max;
};

static void prio_mark_one(struct prio_map *m, uint32_t prio)
{
	if (prio <= m->max)
		m->used[prio / 8] |= (uint8_t)(1u << (prio % 8));
}

static int prio_mark(const struct p4x_table_entry *te, void *arg)
{
	struct p4x_table_entry_info info;

	p4x_table_entry__info(te, &info);
	prio_mark_one(arg, info.prio);
	return 0;
}

/*
 * LPM and ternary creates without prio get the lowest free prio from 1,
 * as P4TC allocates them, before the transaction opens.
 */
static int batch_prios(struct batch *b)
{
	struct prio_map m = {.max = p4x_table__count(b->rt->t) + b->n + 1};
	uint32_t prio = 1;
	unsigned int i;

	if (b->type != P4X_CTL_MSG_P4_CREATE ||
	    b->rt->def->type == P4X_P4TC_TABLE_EXACT)
		return 0;
	for (i = 0; i < b->n && b->e[i].has_prio; i++)
		;
	if (i == b->n)
		return 0;
	m.used = calloc(m.max / 8 + 1, 1);
	if (!m.used)
		return -ENOMEM;
	p4x_table__dump(b->rt->t, prio_mark, &m);
	for (i = 0; i < b->n; i++)
		if (b->e[i].has_prio)
			prio_mark_one(&m, b->e[i].prio);
	for (i = 0; i < b->n; i++) {
		if (b->e[i].has_prio)
			continue;
		while (m.used[prio / 8] & (1u << (prio % 8)))
			prio++;
		b->e[i].has_prio = true;
		b->e[i].prio = prio;
		prio_mark_one(&m, prio);
	}
	free(m.used);
	return 0;
}

static int batch_fail(const struct batch *b, unsigned int i, int ret,
		      const char *why, struct p4x_ctl_err *err)
{
	if (b->n > 1)
		p4x_ctl_err_set(err, ret, 0, "batch entry %u of %u: %s", i + 1,
				b->n, why);
	else
		p4x_ctl_err_set(err, ret, 0, "%s", why);
	return ret;
}

static int batch_run(struct batch *b, struct p4x_ctl_err *err)
{
	struct p4xd_events *ev = p4xd_events__new(b->p, b->rp, b->rt);
	struct p4x_table_txn *txn = NULL;
	char why[P4X_TABLE_ERR_MAX];
	unsigned int i;
	int ret = batch_prios(b);

	if (ret) {
		p4xd_events__free(ev);
		p4x_ctl_err_set(err, ret, 0, "out of memory");
		return ret;
	}
	for (i = 0; i < b->n && !ret; i++)
		ret = prepare_one(b, i, ev, why, sizeof(why));
	if (ret) {
		p4xd_events__free(ev);
		return batch_fail(b, i - 1, ret, why, err);
	}
	txn = p4x_table__txn_begin(b->rt->t);
	if (!txn) {
		p4xd_events__free(ev);
		p4x_ctl_err_set(err, -errno, 0, "table %s: %s",
				b->rt->def->name, strerror(errno));
		return err->code;
	}
	for (i = 0; i < b->n && !ret; i++)
		ret = stage_one(b, i, txn, why, sizeof(why));
	if (ret) {
		p4x_table_txn__abort(txn);
		p4xd_events__free(ev);
		return batch_fail(b, i - 1, ret, why, err);
	}
	p4x_table_txn__commit(txn);
	batch_events(b, ev);
	p4xd_events__send(ev);
	return 0;
}

static int batch_decode(const struct nlattr *nest, struct batch *b,
			struct p4x_ctl_err *err)
{
	const struct nlattr *a;

	b->n = 0;
	mnl_attr_for_each_nested(a, nest)
	{
		if (p4x_ctl_entry_get(a, &b->e[b->n], err))
			return err->code;
		b->n++;
	}
	if (!b->n) {
		p4x_ctl_err_set(err, -EINVAL, 0, "empty batch");
		return err->code;
	}
	return 0;
}

static int flush(struct p4xd *d, const struct nlattr **tb, struct p4xd_reply *r,
		 struct p4xd_rt_pipe *rp, struct p4xd_rt_table *rt,
		 struct p4x_ctl_err *err);

int p4xd_p4_write_do(struct p4xd *d, const struct nlattr **tb,
		     struct p4xd_reply *r, struct p4x_ctl_err *err)
{
	static struct batch b;
	uint16_t type = r->req->nlmsg_type;
	enum p4x_table_perm_op op = type == P4X_CTL_MSG_P4_CREATE ? P4X_PERM_C
				    : type == P4X_CTL_MSG_P4_UPDATE
					    ? P4X_PERM_U
					    : P4X_PERM_D;
	struct p4xd_rt_pipe *rp;
	struct p4xd_rt_table *rt = req_table(d, tb, r, &rp, err);

	if (!rt || table_perm(rt, op, err) ||
	    p4xd_bridge__authority(d, rp->name, rt->def->name, err))
		return err->code;
	if (!tb[P4X_CTL_P4_ENTRIES] && type == P4X_CTL_MSG_P4_DELETE)
		return flush(d, tb, r, rp, rt, err);
	if (!tb[P4X_CTL_P4_ENTRIES]) {
		p4x_ctl_err_set(err, -EINVAL, 0, "%s: no entries",
				p4x_ctl_msg_name(type));
		return err->code;
	}
	if (tb[P4X_CTL_P4_FILTER]) {
		p4x_ctl_err_set(err, -EINVAL,
				attr_off(r, tb[P4X_CTL_P4_FILTER]),
				"a filter goes with a dump or a flush, not "
				"with entries");
		return err->code;
	}
	b = (struct batch){.p = d->p4, .rp = rp, .rt = rt, .type = type};
	if (batch_decode(tb[P4X_CTL_P4_ENTRIES], &b, err))
		return err->code;
	return batch_run(&b, err);
}

/* --- get, dump, flush ---------------------------------------------------- */

static struct p4x_p4tc_filter *
req_filter(struct p4xd_p4 *p, const struct nlattr **tb, struct p4xd_reply *r,
	   const struct p4xd_rt_pipe *rp, const struct p4xd_rt_table *rt,
	   unsigned int flags, struct p4x_ctl_err *err)
{
	struct p4x_p4tc_filter_opts o = {.sz = sizeof(o), .flags = flags};
	const struct nlattr *a = tb[P4X_CTL_P4_FILTER];
	char path[2 * P4X_P4TC_PATHSZ], why[512];
	struct p4x_p4tc_filter *f;

	if (!a)
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", rp->name, rt->def->name);
	f = p4x_p4tc_filter__parse_str(p->m, path, mnl_attr_get_str(a), &o, why,
				       sizeof(why));
	if (!f)
		p4x_ctl_err_set(err, errno ? -errno : -EINVAL, attr_off(r, a),
				"%s", why);
	return f;
}

int p4xd_p4_get_do(struct p4xd *d, const struct nlattr **tb,
		   struct p4xd_reply *r, struct p4x_ctl_err *err)
{
	static char buf[P4X_CTL_MSG_MAX];
	struct p4x_table_entry_spec s;
	struct p4x_table_entry_info info;
	const struct p4x_table_entry *te;
	struct p4x_ctl_entry e;
	struct p4xd_rt_pipe *rp;
	struct p4xd_rt_table *rt = req_table(d, tb, r, &rp, err);
	const struct nlattr *slot;
	char why[P4X_TABLE_ERR_MAX];
	int ret;

	if (!rt || table_perm(rt, P4X_PERM_R, err))
		return err->code;
	slot = tb[P4X_CTL_P4_ENTRIES]
		       ? mnl_attr_get_payload(tb[P4X_CTL_P4_ENTRIES])
		       : NULL;
	if (!slot || mnl_attr_get_payload_len(tb[P4X_CTL_P4_ENTRIES]) == 0) {
		p4x_ctl_err_set(err, -EINVAL, 0,
				"p4_get: needs one entry key (NLM_F_DUMP gets "
				"them all)");
		return err->code;
	}
	if (p4x_ctl_entry_get(slot, &e, err))
		return err->code;
	ret = entry_spec(rt, &e, &s, why, sizeof(why));
	if (ret) {
		p4x_ctl_err_set(err, ret, 0, "%s", why);
		return ret;
	}
	te = p4x_table__get(rt->t, &s);
	if (!te) {
		p4x_ctl_err_set(err, -ENOENT, 0, "no such entry in table %s",
				rt->def->name);
		return err->code;
	}
	p4x_table_entry__info(te, &info);
	p4xd_rt_table__entry(rt, &info, p4x_table_clock_ms(), &e);
	return p4xd_reply__send(r, p4xd_p4_entry_msg(buf, r->req->nlmsg_type, 0,
						     r->req->nlmsg_seq, rp, rt,
						     &e, -1));
}

struct dump_ctx {
	struct p4xd_reply *r;
	const struct p4xd_rt_pipe *rp;
	const struct p4xd_rt_table *rt;
	const struct p4x_p4tc_filter *f;
	uint64_t now;
};

static int dump_one(const struct p4x_table_entry *te, void *arg)
{
	static char buf[P4X_CTL_MSG_MAX];
	struct dump_ctx *c = arg;
	struct p4x_p4tc_filter_entry fe;
	struct p4x_table_entry_info info;
	struct p4x_ctl_entry e;

	p4x_table_entry__info(te, &info);
	p4x_p4tc_filter_entry__from_info(&fe, &info, c->now,
					 P4X_P4TC_FILTER_CMD_NONE);
	if (!p4x_p4tc_filter__match(c->f, &fe))
		return 0;
	p4xd_rt_table__entry(c->rt, &info, c->now, &e);
	return p4xd_reply__send(
		c->r,
		p4xd_p4_entry_msg(buf, c->r->req->nlmsg_type, NLM_F_MULTI,
				  c->r->req->nlmsg_seq, c->rp, c->rt, &e, -1));
}

int p4xd_p4_get_dump(struct p4xd *d, const struct nlattr **tb,
		     struct p4xd_reply *r, struct p4x_ctl_err *err)
{
	struct dump_ctx c = {.r = r, .now = p4x_table_clock_ms()};
	struct p4xd_rt_pipe *rp;
	struct p4xd_rt_table *rt = req_table(d, tb, r, &rp, err);
	struct p4x_p4tc_filter *f;
	int ret;

	if (!rt || table_perm(rt, P4X_PERM_R, err))
		return err->code;
	f = req_filter(d->p4, tb, r, rp, rt, 0, err);
	if (!f && err->code)
		return err->code;
	c.rp = rp;
	c.rt = rt;
	c.f = f;
	ret = p4x_table__dump(rt->t, dump_one, &c);
	p4x_p4tc_filter__free(f);
	if (ret)
		p4x_ctl_err_set(err, ret, 0, "dump of table %s: %s",
				rt->def->name, strerror(-ret));
	return ret;
}

/* Identities of the entries a flush deletes: key, mask, prio each. */
struct flush_ctx {
	const struct p4x_p4tc_filter *f;
	uint64_t now;
	uint32_t keylen;
	size_t n, cap;
	uint8_t *ids; /* n records of 2 * keylen + 4 bytes */
};

static size_t flush_rec(const struct flush_ctx *c)
{
	return 2u * c->keylen + sizeof(uint32_t);
}

static int flush_collect(const struct p4x_table_entry *te, void *arg)
{
	struct flush_ctx *c = arg;
	struct p4x_p4tc_filter_entry fe;
	struct p4x_table_entry_info info;
	uint8_t *rec;

	p4x_table_entry__info(te, &info);
	p4x_p4tc_filter_entry__from_info(&fe, &info, c->now,
					 P4X_P4TC_FILTER_CMD_NONE);
	if (!p4x_table_perm_ok(info.permissions, P4X_TABLE_WHO_TC,
			       P4X_PERM_D) ||
	    !p4x_p4tc_filter__match(c->f, &fe))
		return 0;
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 64;
		uint8_t *ids = realloc(c->ids, cap * flush_rec(c));

		if (!ids)
			return -ENOMEM;
		c->ids = ids;
		c->cap = cap;
	}
	rec = c->ids + c->n++ * flush_rec(c);
	memcpy(rec, info.key, c->keylen);
	memcpy(rec + c->keylen, info.mask, c->keylen);
	memcpy(rec + 2 * c->keylen, &info.prio, sizeof(info.prio));
	return 0;
}

static void flush_spec(const struct flush_ctx *c, size_t i,
		       struct p4x_table_entry_spec *s)
{
	const uint8_t *rec = c->ids + i * flush_rec(c);

	*s = (struct p4x_table_entry_spec){
		.sz = sizeof(*s), .key = rec, .mask = rec + c->keylen};
	memcpy(&s->prio, rec + 2 * c->keylen, sizeof(s->prio));
}

/* Delete the collected entries in one transaction. */
static int flush_apply(struct p4xd_p4 *p, const struct p4xd_rt_pipe *rp,
		       struct p4xd_rt_table *rt, const struct flush_ctx *c,
		       struct p4x_ctl_err *err)
{
	struct p4xd_events *ev = p4xd_events__new(p, rp, rt);
	struct p4x_table_entry_spec s;
	struct p4x_table_entry_info info;
	struct p4x_table_txn *txn;
	const struct p4x_table_entry *te;
	char why[P4X_TABLE_ERR_MAX] = "";
	size_t i;
	int ret = 0;

	for (i = 0; i < c->n && ev; i++) {
		flush_spec(c, i, &s);
		te = p4x_table__get(rt->t, &s);
		if (te) {
			p4x_table_entry__info(te, &info);
			p4xd_events__add(ev, P4X_CTL_P4_CMD_DELETE, &info);
		}
	}
	txn = p4x_table__txn_begin(rt->t);
	if (!txn)
		ret = -errno;
	for (i = 0; i < c->n && !ret; i++) {
		flush_spec(c, i, &s);
		ret = p4x_table_txn__delete(txn, &s, why, sizeof(why));
	}
	if (ret) {
		p4x_table_txn__abort(txn);
		p4xd_events__free(ev);
		p4x_ctl_err_set(err, ret, 0, "flush of table %s: %s",
				rt->def->name, why[0] ? why : strerror(-ret));
		return ret;
	}
	p4x_table_txn__commit(txn);
	p4xd_events__send(ev);
	return 0;
}

static int flush(struct p4xd *d, const struct nlattr **tb, struct p4xd_reply *r,
		 struct p4xd_rt_pipe *rp, struct p4xd_rt_table *rt,
		 struct p4x_ctl_err *err)
{
	struct flush_ctx c = {.now = p4x_table_clock_ms(),
			      .keylen = p4x_table__keylen(rt->t)};
	struct p4x_p4tc_filter *f = req_filter(d->p4, tb, r, rp, rt, 0, err);
	struct nlmsghdr *nlh;
	int ret;

	if (!f && err->code)
		return err->code;
	c.f = f;
	ret = p4x_table__dump(rt->t, flush_collect, &c);
	p4x_p4tc_filter__free(f);
	if (ret)
		p4x_ctl_err_set(err, ret, 0, "flush of table %s: %s",
				rt->def->name, strerror(-ret));
	else
		ret = flush_apply(d->p4, rp, rt, &c, err);
	free(c.ids);
	if (ret)
		return ret;
	nlh = p4xd_reply__start(r, 0);
	mnl_attr_put_u32(nlh, P4X_CTL_P4_COUNT, (uint32_t)c.n);
	return p4xd_reply__send(r, nlh);
}

/* --- subscriptions ------------------------------------------------------- */

int p4xd_p4_subscribe_do(struct p4xd *d, const struct nlattr **tb,
			 struct p4xd_reply *r, struct p4x_ctl_err *err)
{
	struct p4xd_p4 *p = p4xd_p4__runtime(d, err);
	struct p4xd_rt_table *rt = NULL;
	struct p4xd_rt_pipe *rp = NULL;
	struct p4xd_sub *s = NULL;
	struct p4x_p4tc_filter *f;
	unsigned int i;

	if (!p)
		return err->code;
	if (tb[P4X_CTL_P4_TBLNAME] || tb[P4X_CTL_P4_FILTER]) {
		rt = req_table(d, tb, r, &rp, err);
		if (!rt)
			return err->code;
	} else if (tb[P4X_CTL_P4_PNAME] &&
		   !p4xd_p4__pipe(p, mnl_attr_get_str(tb[P4X_CTL_P4_PNAME]),
				  err)) {
		return err->code;
	}
	f = rt ? req_filter(p, tb, r, rp, rt, P4X_P4TC_FILTER_F_CMD, err)
	       : NULL;
	if (err->code)
		return err->code;
	/* replaces this connection's subscription, if any */
	p4xd_p4__client_gone(p, r->fd);
	for (i = 0; i < P4XD_MAX_CLIENTS && !s; i++)
		if (p->subs[i].fd < 0)
			s = &p->subs[i];
	if (!s) {
		p4x_p4tc_filter__free(f);
		p4x_ctl_err_set(err, -EUSERS, 0, "more than %d subscribers",
				P4XD_MAX_CLIENTS);
		return err->code;
	}
	s->filter = f;
	s->fd = r->fd;
	snprintf(s->pname, sizeof(s->pname), "%s",
		 tb[P4X_CTL_P4_PNAME] ? mnl_attr_get_str(tb[P4X_CTL_P4_PNAME])
				      : "");
	snprintf(s->tblname, sizeof(s->tblname), "%s", rt ? rt->def->name : "");
	return 0;
}
