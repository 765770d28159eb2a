// SPDX-License-Identifier: BSD-3-Clause
/* P4TC object model: namespace, pipelines, actions, externs. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p4tc_priv.h"

int p4x_p4tc_errf(char *err, size_t errsz, int ret, const char *fmt, ...)
{
	va_list ap;

	if (err && errsz) {
		va_start(ap, fmt);
		vsnprintf(err, errsz, fmt, ap);
		va_end(ap);
	}
	return ret;
}

int p4x_p4tc_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !(*s >= '0' && *s <= '9'))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (*end || errno || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

const char *p4x_p4tc_table_type__name(enum p4x_p4tc_table_type t)
{
	switch (t) {
#define P4X_P4TC_TT_CASE(e, name, v) \
	case P4X_P4TC_TABLE_##e:     \
		return name;
		P4X_P4TC_TABLE_TYPES(P4X_P4TC_TT_CASE)
#undef P4X_P4TC_TT_CASE
	}
	return "?";
}

const char *p4x_p4tc_match__name(enum p4x_p4tc_match m)
{
	static const char *const names[] = {
#define P4X_P4TC_MATCH_NAME(e, name) [P4X_P4TC_MATCH_##e] = name,
		P4X_P4TC_MATCH_KINDS(P4X_P4TC_MATCH_NAME)
#undef P4X_P4TC_MATCH_NAME
	};

	return (unsigned int)m < P4X_ARRAY_SIZE(names) ? names[m] : "?";
}

struct p4x_p4tc *p4x_p4tc__new(const struct p4x_p4tc_opts *opts)
{
	struct p4x_p4tc *m = calloc(1, sizeof(*m));
	const char *dir = NULL;

	if (!m)
		return NULL;
	if (opts && opts->sz >= sizeof(*opts)) {
		dir = opts->introspection_dir;
		if (opts->dev)
			m->dev = *opts->dev;
	}
	if (!dir)
		dir = getenv("INTROSPECTION");
	if (!dir)
		dir = "/etc/iproute2/introspection";
	if (strlen(dir) >= sizeof(m->introdir)) {
		free(m);
		errno = ENAMETOOLONG;
		return NULL;
	}
	strcpy(m->introdir, dir);
	return m;
}

static void pipeline_free(struct p4x_p4tc_pipeline *p)
{
	for (uint32_t i = 0; i < p->nacts; i++)
		free(p->acts[i]);
	for (uint32_t i = 0; i < p->ntables; i++) {
		free((void *)p->tables[i]->entries);
		free(p->tables[i]);
	}
	for (uint32_t i = 0; i < p->ninsts; i++)
		free(p->insts[i]);
	p4x_p4tc__free(p->intro);
	free(p);
}

void p4x_p4tc__free(struct p4x_p4tc *m)
{
	if (!m)
		return;
	for (uint32_t i = 0; i < m->npipes; i++)
		pipeline_free(m->pipes[i]);
	for (uint32_t i = 0; i < m->nexts; i++)
		free(m->exts[i]);
	free(m);
}

/* Pointer arrays kept sorted by the caller, who picks @pos. */
static void array_insert(void **arr, uint32_t *n, void *obj, uint32_t pos)
{
	memmove(&arr[pos + 1], &arr[pos], (*n - pos) * sizeof(*arr));
	arr[pos] = obj;
	(*n)++;
}

static void array_remove(void **arr, uint32_t *n, uint32_t pos)
{
	memmove(&arr[pos], &arr[pos + 1], (*n - pos - 1) * sizeof(*arr));
	(*n)--;
}

/* Lowest id from 1 not in @ids; 0 if none up to @max. */
static uint32_t lowest_free(const uint32_t *ids, uint32_t n, uint32_t max)
{
	uint32_t want = 1;
	bool taken = true;

	while (taken && want && want <= max) {
		taken = false;
		for (uint32_t i = 0; i < n && !taken; i++)
			taken = ids[i] == want;
		want += taken;
	}
	return want <= max ? want : 0;
}

/* --- undo -------------------------------------------------------------- */

void p4x_p4tc_snapshot_take(const struct p4x_p4tc *m,
			    struct p4x_p4tc_snapshot *sn)
{
	sn->npipes = m->npipes;
	sn->nexts = m->nexts;
	for (uint32_t i = 0; i < m->npipes; i++)
		strcpy(sn->pipes[i], m->pipes[i]->name);
	for (uint32_t i = 0; i < m->nexts; i++)
		strcpy(sn->exts[i], m->exts[i]->name);
}

static bool in_list(const char (*names)[P4X_P4TC_NAMSZ], uint32_t n,
		    const char *name)
{
	for (uint32_t i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return true;
	return false;
}

/* Delete what appeared since @sn. */
void p4x_p4tc_snapshot_restore(struct p4x_p4tc *m,
			       const struct p4x_p4tc_snapshot *sn)
{
	uint32_t i = 0;

	while (i < m->npipes)
		if (in_list(sn->pipes, sn->npipes, m->pipes[i]->name))
			i++;
		else
			p4x_p4tc__pipeline_delete(m, m->pipes[i]->name, NULL,
						  0);
	i = 0;
	while (i < m->nexts)
		if (in_list(sn->exts, sn->nexts, m->exts[i]->name) ||
		    p4x_p4tc__extern_delete(m, m->exts[i]->name, NULL, 0))
			i++;
}

/* --- pipelines ----------------------------------------------------------- */

struct p4x_p4tc_pipeline *p4x_p4tc__pipeline_get(const struct p4x_p4tc *m,
						 const char *name)
{
	for (uint32_t i = 0; i < m->npipes; i++)
		if (!strcmp(m->pipes[i]->name, name))
			return m->pipes[i];
	return NULL;
}

struct p4x_p4tc_pipeline *p4x_p4tc__pipeline_by_id(const struct p4x_p4tc *m,
						   uint32_t id)
{
	for (uint32_t i = 0; i < m->npipes; i++)
		if (m->pipes[i]->id == id)
			return m->pipes[i];
	return NULL;
}

struct p4x_p4tc_pipeline *p4x_p4tc__pipeline_at(const struct p4x_p4tc *m,
						unsigned int i)
{
	return i < m->npipes ? m->pipes[i] : NULL;
}

static int check_name(const char *what, const char *name, size_t max, char *err,
		      size_t errsz)
{
	if (!name || !*name)
		return p4x_p4tc_errf(err, errsz, -EINVAL, "%s: empty name",
				     what);
	if (strlen(name) >= max)
		return p4x_p4tc_errf(err, errsz, -ENAMETOOLONG,
				     "%s %s: name longer than %zu bytes", what,
				     name, max - 1);
	return 0;
}

int p4x_p4tc__pipeline_create(struct p4x_p4tc *m, const char *name,
			      uint32_t pipeid, uint32_t numtables, char *err,
			      size_t errsz)
{
	uint32_t ids[P4X_P4TC_MAX_PIPELINES], pos = 0;
	struct p4x_p4tc_pipeline *p;
	int ret;

	ret = check_name("pipeline", name, P4X_P4TC_NAMSZ, err, errsz);
	if (ret)
		return ret;
	if (p4x_p4tc__pipeline_get(m, name))
		return p4x_p4tc_errf(err, errsz, -EEXIST,
				     "pipeline %s already exists", name);
	if (m->npipes == P4X_P4TC_MAX_PIPELINES)
		return p4x_p4tc_errf(err, errsz, -ENOSPC,
				     "pipeline %s: already %d pipelines", name,
				     P4X_P4TC_MAX_PIPELINES);
	if (numtables > P4X_P4TC_MAX_TABLES)
		return p4x_p4tc_errf(err, errsz, -EINVAL,
				     "pipeline %s: numtables %u > %d", name,
				     numtables, P4X_P4TC_MAX_TABLES);
	for (uint32_t i = 0; i < m->npipes; i++)
		ids[i] = m->pipes[i]->id;
	if (pipeid && p4x_p4tc__pipeline_by_id(m, pipeid))
		return p4x_p4tc_errf(err, errsz, -EEXIST,
				     "pipeline %s: pipeid %u is taken", name,
				     pipeid);
	if (!pipeid)
		pipeid = lowest_free(ids, m->npipes, UINT32_MAX);
	p = calloc(1, sizeof(*p));
	if (!p)
		return p4x_p4tc_errf(err, errsz, -ENOMEM, "out of memory");
	strcpy(p->name, name);
	p->id = pipeid;
	p->numtables = numtables;
	while (pos < m->npipes && m->pipes[pos]->id < pipeid)
		pos++;
	array_insert((void **)m->pipes, &m->npipes, p, pos);
	return 0;
}

static int find_pipeline(const struct p4x_p4tc *m, const char *name,
			 struct p4x_p4tc_pipeline **p, char *err, size_t errsz)
{
	*p = p4x_p4tc__pipeline_get(m, name);
	if (!*p)
		return p4x_p4tc_errf(err, errsz, -ENOENT,
				     "pipeline %s does not exist", name);
	return 0;
}

int p4x_p4tc__pipeline_update(struct p4x_p4tc *m, const char *name,
			      uint32_t numtables, bool seal, char *err,
			      size_t errsz)
{
	struct p4x_p4tc_pipeline *p;
	uint32_t n;
	int ret;

	ret = find_pipeline(m, name, &p, err, errsz);
	if (ret)
		return ret;
	if (p->sealed)
		return p4x_p4tc_errf(err, errsz, -EPERM,
				     "pipeline %s is sealed", name);
	n = numtables ? numtables : p->numtables;
	if (n > P4X_P4TC_MAX_TABLES || n < p->ntables)
		return p4x_p4tc_errf(
			err, errsz, -EINVAL,
			"pipeline %s: numtables %u (has %u tables, at most %d)",
			name, n, p->ntables, P4X_P4TC_MAX_TABLES);
	if (seal && p->ntables != n)
		return p4x_p4tc_errf(
			err, errsz, -EINVAL,
			"pipeline %s: cannot seal with %u of %u tables created",
			name, p->ntables, n);
	p->numtables = n;
	p->sealed = seal;
	return 0;
}

int p4x_p4tc__pipeline_delete(struct p4x_p4tc *m, const char *name, char *err,
			      size_t errsz)
{
	for (uint32_t i = 0; i < m->npipes; i++) {
		if (strcmp(m->pipes[i]->name, name))
			continue;
		pipeline_free(m->pipes[i]);
		array_remove((void **)m->pipes, &m->npipes, i);
		return 0;
	}
	return p4x_p4tc_errf(err, errsz, -ENOENT, "pipeline %s does not exist",
			     name);
}

const char *p4x_p4tc_pipeline__name(const struct p4x_p4tc_pipeline *p)
{
	return p->name;
}

uint32_t p4x_p4tc_pipeline__id(const struct p4x_p4tc_pipeline *p)
{
	return p->id;
}

uint32_t p4x_p4tc_pipeline__numtables(const struct p4x_p4tc_pipeline *p)
{
	return p->numtables;
}

bool p4x_p4tc_pipeline__sealed(const struct p4x_p4tc_pipeline *p)
{
	return p->sealed;
}

int p4x_p4tc_split_path(const struct p4x_p4tc *m, const char *path,
			struct p4x_p4tc_pipeline **p, const char **rest,
			char *err, size_t errsz)
{
	const char *slash = path ? strchr(path, '/') : NULL;
	char pname[P4X_P4TC_NAMSZ];
	const char *cb;

	if (!slash || slash == path || (size_t)(slash - path) >= sizeof(pname))
		return p4x_p4tc_errf(err, errsz, -EINVAL,
				     "%s: expected <pipeline>/<control>/<name>",
				     path ? path : "(null)");
	cb = slash + 1;
	if (strchr(cb, '/') == cb || !strchr(cb, '/') || !strchr(cb, '/')[1] ||
	    strlen(cb) >= P4X_P4TC_PATHSZ)
		return p4x_p4tc_errf(err, errsz, -EINVAL,
				     "%s: expected <pipeline>/<control>/<name> "
				     "(at most %d bytes after the pipeline)",
				     path, P4X_P4TC_PATHSZ - 1);
	memcpy(pname, path, slash - path);
	pname[slash - path] = '\0';
	*rest = cb;
	return find_pipeline(m, pname, p, err, errsz);
}

/* --- actions ------------------------------------------------------------- */

const struct p4x_p4tc_action_def *
p4x_p4tc_pipeline__action(const struct p4x_p4tc_pipeline *p, const char *name)
{
	for (uint32_t i = 0; i < p->nacts; i++)
		if (!strcmp(p->acts[i]->name, name))
			return p->acts[i];
	return NULL;
}

const struct p4x_p4tc_action_def *
p4x_p4tc_pipeline__action_by_id(const struct p4x_p4tc_pipeline *p, uint32_t id)
{
	for (uint32_t i = 0; i < p->nacts; i++)
		if (p->acts[i]->id == id)
			return p->acts[i];
	return NULL;
}

const struct p4x_p4tc_action_def *
p4x_p4tc_pipeline__action_at(const struct p4x_p4tc_pipeline *p, unsigned int i)
{
	return i < p->nacts ? p->acts[i] : NULL;
}

/* Fill @a's params from @spec; ids in declaration order unless given. */
static int action_params(struct p4x_p4tc_action_def *a, const char *path,
			 const struct p4x_p4tc_action_spec *spec, char *err,
			 size_t errsz)
{
	char e[160];
	uint32_t next = 1, off = 0;

	if (spec->nparams > P4X_P4TC_MAX_PARAMS)
		return p4x_p4tc_errf(err, errsz, -EINVAL,
				     "action %s: %u params (at most %d)", path,
				     spec->nparams, P4X_P4TC_MAX_PARAMS);
	for (uint32_t i = 0; i < spec->nparams; i++) {
		const struct p4x_p4tc_param_spec *ps = &spec->params[i];
		struct p4x_p4tc_param_def *d = &a->params[i];
		int ret;

		ret = check_name("param", ps->name, P4X_P4TC_NAMSZ, e,
				 sizeof(e));
		if (!ret)
			ret = p4x_p4tc_type__parse(&d->type,
						   ps->type ? ps->type : "", 0,
						   e, sizeof(e));
		if (ret)
			return p4x_p4tc_errf(err, errsz, ret,
					     "action %s param %s: %s", path,
					     ps->name ? ps->name : "", e);
		strcpy(d->name, ps->name);
		d->id = ps->id ? ps->id : next;
		next = d->id + 1;
		d->runtime = ps->runtime;
		for (uint32_t j = 0; j < i; j++)
			if (!strcmp(a->params[j].name, d->name) ||
			    a->params[j].id == d->id || d->id > 32)
				return p4x_p4tc_errf(
					err, errsz, -EINVAL,
					"action %s param %s: duplicate name or "
					"id %u (ids 1..32)",
					path, d->name, d->id);
		d->offset = off;
		off += p4x_p4tc_type__blob_bytes(&d->type);
	}
	if (off > P4X_P4TC_MAX_PARAM_BYTES)
		return p4x_p4tc_errf(
			err, errsz, -EINVAL,
			"action %s: params take %u bytes (at most %d)", path,
			off, P4X_P4TC_MAX_PARAM_BYTES);
	a->nparams = spec->nparams;
	a->params_bytes = off;
	return 0;
}

static int unsealed_path(const struct p4x_p4tc *m, const char *path,
			 struct p4x_p4tc_pipeline **p, const char **rest,
			 char *err, size_t errsz)
{
	int ret = p4x_p4tc_split_path(m, path, p, rest, err, errsz);

	if (ret)
		return ret;
	if ((*p)->sealed)
		return p4x_p4tc_errf(err, errsz, -EPERM,
				     "%s: pipeline %s is sealed", path,
				     (*p)->name);
	return 0;
}

int p4x_p4tc__action_create(struct p4x_p4tc *m, const char *path,
			    const struct p4x_p4tc_action_spec *spec, char *err,
			    size_t errsz)
{
	struct p4x_p4tc_action_def *a;
	struct p4x_p4tc_pipeline *p;
	uint32_t ids[P4X_P4TC_MAX_ACTIONS], id, pos = 0;
	const char *name;
	int ret;

	ret = unsealed_path(m, path, &p, &name, err, errsz);
	if (ret)
		return ret;
	if (p4x_p4tc_pipeline__action(p, name))
		return p4x_p4tc_errf(err, errsz, -EEXIST,
				     "action %s already exists", path);
	for (uint32_t i = 0; i < p->nacts; i++)
		ids[i] = p->acts[i]->id;
	id = spec->actid ? spec->actid : lowest_free(ids, p->nacts, UINT32_MAX);
	a = (struct p4x_p4tc_action_def *)p4x_p4tc_pipeline__action_by_id(p,
									  id);
	if (a)
		return p4x_p4tc_errf(err, errsz, -EEXIST,
				     "action %s: actid %u is taken by %s", path,
				     id, a->name);
	if (p->nacts == P4X_P4TC_MAX_ACTIONS)
		return p4x_p4tc_errf(err, errsz, -ENOSPC,
				     "action %s: pipeline has %d actions", path,
				     P4X_P4TC_MAX_ACTIONS);
	a = calloc(1, sizeof(*a));
	if (!a)
		return p4x_p4tc_errf(err, errsz, -ENOMEM, "out of memory");
	ret = action_params(a, path, spec, err, errsz);
	if (ret) {
		free(a);
		return ret;
	}
	strcpy(a->name, name);
	a->id = id;
	a->num_prealloc = spec->num_prealloc;
	while (pos < p->nacts && p->acts[pos]->id < id)
		pos++;
	array_insert((void **)p->acts, &p->nacts, a, pos);
	return 0;
}

static bool act_value_uses(const struct p4x_p4tc_act_value *v, bool has,
			   uint32_t id)
{
	return has && v->act_id == id;
}

/* A table lists the action, or uses it as a default or in an entry. */
static const struct p4x_p4tc_table_def *
action_user(const struct p4x_p4tc_pipeline *p, uint32_t id)
{
	for (uint32_t i = 0; i < p->ntables; i++) {
		const struct p4x_p4tc_table_def *t = p->tables[i];

		for (uint32_t j = 0; j < t->nacts; j++)
			if (t->acts[j].act_id == id)
				return t;
		if (act_value_uses(&t->default_hit, t->has_default_hit, id) ||
		    act_value_uses(&t->default_miss, t->has_default_miss, id))
			return t;
	}
	return NULL;
}

int p4x_p4tc__action_update(struct p4x_p4tc *m, const char *path, int state,
			    const struct p4x_p4tc_action_spec *spec, char *err,
			    size_t errsz)
{
	struct p4x_p4tc_action_def *a, tmp;
	struct p4x_p4tc_pipeline *p;
	const struct p4x_p4tc_table_def *user;
	const char *name;
	int ret;

	ret = unsealed_path(m, path, &p, &name, err, errsz);
	if (ret)
		return ret;
	a = (struct p4x_p4tc_action_def *)p4x_p4tc_pipeline__action(p, name);
	if (!a)
		return p4x_p4tc_errf(err, errsz, -ENOENT,
				     "action %s does not exist", path);
	tmp = *a;
	if (spec && spec->nparams) {
		user = action_user(p, a->id);
		if (user)
			return p4x_p4tc_errf(err, errsz, -EBUSY,
					     "action %s: cannot change params "
					     "while table %s uses it",
					     path, user->name);
		ret = action_params(&tmp, path, spec, err, errsz);
		if (ret)
			return ret;
	}
	if (spec && spec->num_prealloc)
		tmp.num_prealloc = spec->num_prealloc;
	if (state >= 0)
		tmp.active = state;
	*a = tmp;
	return 0;
}

int p4x_p4tc__action_delete(struct p4x_p4tc *m, const char *path, char *err,
			    size_t errsz)
{
	struct p4x_p4tc_pipeline *p;
	const struct p4x_p4tc_table_def *user;
	const char *name;
	int ret;

	ret = unsealed_path(m, path, &p, &name, err, errsz);
	if (ret)
		return ret;
	for (uint32_t i = 0; i < p->nacts; i++) {
		if (strcmp(p->acts[i]->name, name))
			continue;
		user = action_user(p, p->acts[i]->id);
		if (user)
			return p4x_p4tc_errf(err, errsz, -EBUSY,
					     "action %s is used by table %s",
					     path, user->name);
		free(p->acts[i]);
		array_remove((void **)p->acts, &p->nacts, i);
		return 0;
	}
	return p4x_p4tc_errf(err, errsz, -ENOENT, "action %s does not exist",
			     path);
}

const struct p4x_p4tc_action_def *p4x_p4tc__action_get(const struct p4x_p4tc *m,
						       const char *path)
{
	struct p4x_p4tc_pipeline *p;
	const char *name;

	if (p4x_p4tc_split_path(m, path, &p, &name, NULL, 0))
		return NULL;
	return p4x_p4tc_pipeline__action(p, name);
}

/* --- externs ------------------------------------------------------------- */

const struct p4x_p4tc_extern_def *p4x_p4tc__extern_get(const struct p4x_p4tc *m,
						       const char *kind)
{
	for (uint32_t i = 0; i < m->nexts; i++)
		if (!strcmp(m->exts[i]->name, kind))
			return m->exts[i];
	return NULL;
}

const struct p4x_p4tc_extern_def *p4x_p4tc__extern_at(const struct p4x_p4tc *m,
						      unsigned int i)
{
	return i < m->nexts ? m->exts[i] : NULL;
}

int p4x_p4tc__extern_create(struct p4x_p4tc *m,
			    const struct p4x_p4tc_extern_def *def, char *err,
			    size_t errsz)
{
	struct p4x_p4tc_extern_def *e;
	uint32_t pos = 0;
	int ret;

	ret = check_name("extern", def->name, P4X_P4TC_NAMSZ, err, errsz);
	if (ret)
		return ret;
	if (p4x_p4tc__extern_get(m, def->name))
		return p4x_p4tc_errf(err, errsz, -EEXIST,
				     "extern %s already exists", def->name);
	for (uint32_t i = 0; i < m->nexts; i++)
		if (m->exts[i]->id == def->id || !def->id)
			return p4x_p4tc_errf(
				err, errsz, -EEXIST,
				"extern %s: extid 0x%x is zero or taken",
				def->name, def->id);
	if (m->nexts == P4X_P4TC_MAX_EXTERNS)
		return p4x_p4tc_errf(err, errsz, -ENOSPC,
				     "extern %s: too many extern kinds",
				     def->name);
	e = malloc(sizeof(*e));
	if (!e)
		return p4x_p4tc_errf(err, errsz, -ENOMEM, "out of memory");
	*e = *def;
	while (pos < m->nexts && m->exts[pos]->id < e->id)
		pos++;
	array_insert((void **)m->exts, &m->nexts, e, pos);
	return 0;
}

static const struct p4x_p4tc_pipeline *extern_user(const struct p4x_p4tc *m,
						   const char *kind)
{
	for (uint32_t i = 0; i < m->npipes; i++)
		for (uint32_t j = 0; j < m->pipes[i]->ninsts; j++)
			if (!strcmp(m->pipes[i]->insts[j]->kind, kind))
				return m->pipes[i];
	return NULL;
}

int p4x_p4tc__extern_delete(struct p4x_p4tc *m, const char *kind, char *err,
			    size_t errsz)
{
	const struct p4x_p4tc_pipeline *user = extern_user(m, kind);

	if (user)
		return p4x_p4tc_errf(err, errsz, -EBUSY,
				     "extern %s has instances in pipeline %s",
				     kind, user->name);
	for (uint32_t i = 0; i < m->nexts; i++) {
		if (strcmp(m->exts[i]->name, kind))
			continue;
		free(m->exts[i]);
		array_remove((void **)m->exts, &m->nexts, i);
		return 0;
	}
	return p4x_p4tc_errf(err, errsz, -ENOENT, "extern %s does not exist",
			     kind);
}

const struct p4x_p4tc_extern_inst_def *
p4x_p4tc_pipeline__extern_inst(const struct p4x_p4tc_pipeline *p,
			       const char *kind, const char *name)
{
	for (uint32_t i = 0; i < p->ninsts; i++)
		if (!strcmp(p->insts[i]->kind, kind) &&
		    !strcmp(p->insts[i]->name, name))
			return p->insts[i];
	return NULL;
}

const struct p4x_p4tc_extern_inst_def *
p4x_p4tc_pipeline__extern_inst_at(const struct p4x_p4tc_pipeline *p,
				  unsigned int i)
{
	return i < p->ninsts ? p->insts[i] : NULL;
}

/* "P/Kind/inst" -> pipeline, kind, inst name (inst may contain dots). */
static int inst_path(const struct p4x_p4tc *m, const char *path,
		     struct p4x_p4tc_pipeline **p, char kind[P4X_P4TC_NAMSZ],
		     const char **name, char *err, size_t errsz)
{
	const char *rest, *slash;
	int ret = p4x_p4tc_split_path(m, path, p, &rest, err, errsz);

	if (ret)
		return ret;
	slash = strchr(rest, '/');
	if ((size_t)(slash - rest) >= P4X_P4TC_NAMSZ)
		return p4x_p4tc_errf(err, errsz, -ENAMETOOLONG,
				     "%s: extern kind too long", path);
	memcpy(kind, rest, slash - rest);
	kind[slash - rest] = '\0';
	*name = slash + 1;
	return 0;
}

static int inst_check(const struct p4x_p4tc_pipeline *p, const char *path,
		      const struct p4x_p4tc_extern_inst_def *d, char *err,
		      size_t errsz)
{
	if (d->nparams > P4X_P4TC_MAX_PARAMS ||
	    d->nconstr > P4X_P4TC_MAX_PARAMS)
		return p4x_p4tc_errf(err, errsz, -EINVAL,
				     "extern_inst %s: too many params", path);
	for (uint32_t i = 0; i < p->ninsts; i++)
		if (!strcmp(p->insts[i]->kind, d->kind) &&
		    p->insts[i]->id == d->id)
			return p4x_p4tc_errf(
				err, errsz, -EEXIST,
				"extern_inst %s: instid %u is taken by %s",
				path, d->id, p->insts[i]->name);
	for (uint32_t i = 0; i < d->nparams; i++)
		for (uint32_t j = 0; j < i; j++)
			if (d->params[i].id == d->params[j].id ||
			    !strcmp(d->params[i].name, d->params[j].name))
				return p4x_p4tc_errf(
					err, errsz, -EINVAL,
					"extern_inst %s: param %s: duplicate "
					"name or id %u",
					path, d->params[i].name,
					d->params[i].id);
	return 0;
}

static uint32_t inst_free_id(const struct p4x_p4tc_pipeline *p,
			     const char *kind)
{
	uint32_t ids[P4X_P4TC_MAX_EXTERNS], n = 0;

	for (uint32_t i = 0; i < p->ninsts; i++)
		if (!strcmp(p->insts[i]->kind, kind))
			ids[n++] = p->insts[i]->id;
	return lowest_free(ids, n, UINT32_MAX);
}

int p4x_p4tc__extern_inst_create(struct p4x_p4tc *m, const char *path,
				 const struct p4x_p4tc_extern_inst_def *def,
				 char *err, size_t errsz)
{
	struct p4x_p4tc_extern_inst_def *d, tmp = *def;
	struct p4x_p4tc_pipeline *p;
	const char *name;
	int ret;

	ret = inst_path(m, path, &p, tmp.kind, &name, err, errsz);
	if (ret)
		return ret;
	if (p->sealed)
		return p4x_p4tc_errf(err, errsz, -EPERM,
				     "%s: pipeline %s is sealed", path,
				     p->name);
	if (!p4x_p4tc__extern_get(m, tmp.kind))
		return p4x_p4tc_errf(err, errsz, -ENOENT,
				     "extern_inst %s: extern %s does not exist",
				     path, tmp.kind);
	if (p4x_p4tc_pipeline__extern_inst(p, tmp.kind, name))
		return p4x_p4tc_errf(err, errsz, -EEXIST,
				     "extern_inst %s already exists", path);
	if (p->ninsts == P4X_P4TC_MAX_EXTERNS)
		return p4x_p4tc_errf(err, errsz, -ENOSPC,
				     "extern_inst %s: too many instances",
				     path);
	strcpy(tmp.name, name);
	if (!tmp.id)
		tmp.id = inst_free_id(p, tmp.kind);
	ret = inst_check(p, path, &tmp, err, errsz);
	if (ret)
		return ret;
	d = malloc(sizeof(*d));
	if (!d)
		return p4x_p4tc_errf(err, errsz, -ENOMEM, "out of memory");
	*d = tmp;
	p->insts[p->ninsts++] = d;
	return 0;
}

int p4x_p4tc__extern_inst_delete(struct p4x_p4tc *m, const char *path,
				 char *err, size_t errsz)
{
	struct p4x_p4tc_pipeline *p;
	char kind[P4X_P4TC_NAMSZ];
	const char *name;
	int ret;

	ret = inst_path(m, path, &p, kind, &name, err, errsz);
	if (ret)
		return ret;
	if (p->sealed)
		return p4x_p4tc_errf(err, errsz, -EPERM,
				     "%s: pipeline %s is sealed", path,
				     p->name);
	for (uint32_t i = 0; i < p->ninsts; i++) {
		if (strcmp(p->insts[i]->kind, kind) ||
		    strcmp(p->insts[i]->name, name))
			continue;
		free(p->insts[i]);
		array_remove((void **)p->insts, &p->ninsts, i);
		return 0;
	}
	return p4x_p4tc_errf(err, errsz, -ENOENT,
			     "extern_inst %s does not exist", path);
}

const struct p4x_p4tc_extern_inst_def *
p4x_p4tc__extern_inst_get(const struct p4x_p4tc *m, const char *path)
{
	struct p4x_p4tc_pipeline *p;
	char kind[P4X_P4TC_NAMSZ];
	const char *name;

	if (inst_path(m, path, &p, kind, &name, NULL, 0))
		return NULL;
	return p4x_p4tc_pipeline__extern_inst(p, kind, name);
}
