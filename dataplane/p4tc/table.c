// SPDX-License-Identifier: BSD-3-Clause
/* P4TC object model: table definitions, default actions, const entries. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p4tc_priv.h"

const struct p4x_p4tc_table_def *
p4x_p4tc_pipeline__table(const struct p4x_p4tc_pipeline *p, const char *name)
{
	for (uint32_t i = 0; i < p->ntables; i++)
		if (!strcmp(p->tables[i]->name, name))
			return p->tables[i];
	return NULL;
}

const struct p4x_p4tc_table_def *
p4x_p4tc_pipeline__table_by_id(const struct p4x_p4tc_pipeline *p, uint32_t id)
{
	for (uint32_t i = 0; i < p->ntables; i++)
		if (p->tables[i]->id == id)
			return p->tables[i];
	return NULL;
}

const struct p4x_p4tc_table_def *
p4x_p4tc_pipeline__table_at(const struct p4x_p4tc_pipeline *p, unsigned int i)
{
	return i < p->ntables ? p->tables[i] : NULL;
}

/*
 * "P/cb/act" of this pipeline, "cb/act", or "act" in the control of table
 * @t (may be NULL); NoAction is id 0.
 */
static int resolve_action(const struct p4x_p4tc_pipeline *p,
			  const struct p4x_p4tc_table_def *t, const char *name,
			  const struct p4x_p4tc_action_def **a, char *err,
			  size_t errsz)
{
	size_t plen = strlen(p->name);
	const char *rel = name;
	char full[2 * P4X_P4TC_PATHSZ];

	*a = NULL;
	if (!strcmp(name, "NoAction"))
		return 0;
	if (!strncmp(name, p->name, plen) && name[plen] == '/' &&
	    strchr(name + plen + 1, '/'))
		rel = name + plen + 1;
	*a = p4x_p4tc_pipeline__action(p, rel);
	if (!*a && t && !strchr(name, '/')) {
		snprintf(full, sizeof(full), "%.*s/%s",
			 (int)(strchr(t->name, '/') - t->name), t->name, name);
		*a = p4x_p4tc_pipeline__action(p, full);
	}
	if (!*a)
		return p4x_p4tc_errf(err, errsz, -ENOENT,
				     "action %s does not exist in pipeline %s",
				     name, p->name);
	return 0;
}

static int set_param(const struct p4x_p4tc *m, const char *act,
		     const struct p4x_p4tc_param_def *d,
		     const struct p4x_p4tc_param_value *pv,
		     struct p4x_p4tc_act_value *av, char *err, size_t errsz)
{
	struct p4x_p4tc_value v;
	uint32_t bit = 1u << (d->id - 1);
	char e[160];
	int ret;

	if ((av->set_mask | av->runtime_mask) & bit)
		return p4x_p4tc_errf(err, errsz, -EINVAL,
				     "action %s: param %s given twice", act,
				     d->name);
	if (!pv->value) {
		av->runtime_mask |= bit;
		return 0;
	}
	ret = p4x_p4tc_value__parse(&d->type, pv->value, 0, &m->dev, &v, e,
				    sizeof(e));
	if (ret)
		return p4x_p4tc_errf(err, errsz, ret, "action %s param %s: %s",
				     act, d->name, e);
	p4x_p4tc_value__pack(&d->type, &v, av->params + d->offset);
	av->set_mask |= bit;
	return 0;
}

static const struct p4x_p4tc_param_def *
find_param(const struct p4x_p4tc_action_def *a, const char *name)
{
	for (uint32_t i = 0; i < a->nparams; i++)
		if (!strcmp(a->params[i].name, name))
			return &a->params[i];
	return NULL;
}

int p4x_p4tc_act_value_build(const struct p4x_p4tc *m,
			     const struct p4x_p4tc_pipeline *p,
			     const struct p4x_p4tc_table_def *t,
			     const struct p4x_p4tc_act_spec *spec, bool partial,
			     struct p4x_p4tc_act_value *av, char *err,
			     size_t errsz)
{
	const struct p4x_p4tc_action_def *a;
	const char *an = spec->action ? spec->action : "(none)";
	int ret;

	memset(av, 0, sizeof(*av));
	ret = resolve_action(p, t, an, &a, err, errsz);
	if (ret)
		return ret;
	av->has_permissions = spec->has_permissions;
	av->permissions = spec->permissions;
	if (!a)
		return spec->nparams
			       ? p4x_p4tc_errf(err, errsz, -EINVAL,
					       "action NoAction has no params")
			       : 0;
	av->act_id = a->id;
	av->params_bytes = a->params_bytes;
	for (uint32_t i = 0; i < spec->nparams; i++) {
		const struct p4x_p4tc_param_def *d =
			find_param(a, spec->params[i].name);

		if (!d)
			return p4x_p4tc_errf(err, errsz, -ENOENT,
					     "action %s has no param %s", an,
					     spec->params[i].name);
		ret = set_param(m, an, d, &spec->params[i], av, err, errsz);
		if (ret)
			return ret;
	}
	for (uint32_t i = 0; i < a->nparams && !partial; i++)
		if (!((av->set_mask | av->runtime_mask) &
		      1u << (a->params[i].id - 1)))
			return p4x_p4tc_errf(
				err, errsz, -EINVAL,
				"action %s: param %s needs a value", an,
				a->params[i].name);
	return 0;
}

static const struct p4x_p4tc_table_act *
table_act(const struct p4x_p4tc_table_def *t, uint32_t act_id)
{
	for (uint32_t i = 0; i < t->nacts; i++)
		if (t->acts[i].act_id == act_id)
			return &t->acts[i];
	return NULL;
}

static int check_default(const struct p4x_p4tc_table_def *t,
			 const struct p4x_p4tc_pipeline *p, const char *what,
			 const struct p4x_p4tc_act_value *av, char *err,
			 size_t errsz)
{
	const struct p4x_p4tc_table_act *ta = table_act(t, av->act_id);
	const struct p4x_p4tc_action_def *a;

	if (!av->act_id)
		return 0;
	a = p4x_p4tc_pipeline__action_by_id(p, av->act_id);
	if (!ta)
		return p4x_p4tc_errf(err, errsz, -EINVAL,
				     "table %s: %s %s is not in table_acts",
				     t->name, what, a->name);
	if (ta->flags & P4X_P4TC_ACT_TABLE_ONLY)
		return p4x_p4tc_errf(err, errsz, -EINVAL,
				     "table %s: %s %s is tableonly", t->name,
				     what, a->name);
	return 0;
}

static int set_acts(struct p4x_p4tc_table_def *t,
		    const struct p4x_p4tc_pipeline *p,
		    const struct p4x_p4tc_table_spec *s, char *err,
		    size_t errsz)
{
	const struct p4x_p4tc_action_def *a;
	int ret;

	if (s->nacts > P4X_P4TC_MAX_TABLE_ACTS)
		return p4x_p4tc_errf(err, errsz, -EINVAL,
				     "table %s: %u table_acts (at most %d)",
				     t->name, s->nacts,
				     P4X_P4TC_MAX_TABLE_ACTS);
	for (uint32_t i = 0; i < s->nacts; i++) {
		ret = resolve_action(p, t, s->acts[i].action, &a, err, errsz);
		if (ret)
			return ret;
		t->acts[i].act_id = a ? a->id : 0;
		t->acts[i].flags = s->acts[i].flags;
		for (uint32_t j = 0; j < i; j++)
			if (t->acts[j].act_id == t->acts[i].act_id)
				return p4x_p4tc_errf(
					err, errsz, -EINVAL,
					"table %s: action %s listed twice",
					t->name, s->acts[i].action);
	}
	t->nacts = s->nacts;
	return 0;
}

static int set_scalars(struct p4x_p4tc_table_def *t,
		       const struct p4x_p4tc_table_spec *s, char *err,
		       size_t errsz)
{
	if (s->set & P4X_P4TC_TS_TYPE)
		t->type = s->type;
	if (s->set & P4X_P4TC_TS_KEYSZ)
		t->keysz = s->keysz;
	if (s->set & P4X_P4TC_TS_PERMISSIONS)
		t->permissions = s->permissions;
	if (s->set & P4X_P4TC_TS_TENTRIES)
		t->tentries = s->tentries;
	if (s->set & P4X_P4TC_TS_NUMMASKS)
		t->nummasks = s->nummasks;
	if (s->set & P4X_P4TC_TS_AGING)
		t->aging_ms = s->aging_ms;
	if (s->set & P4X_P4TC_TS_TIMER_PROFILES)
		t->num_timer_profiles = s->num_timer_profiles;
	if (t->type < P4X_P4TC_TABLE_EXACT || t->type > P4X_P4TC_TABLE_TERNARY)
		return p4x_p4tc_errf(
			err, errsz, -EINVAL,
			"table %s: type must be exact, lpm or ternary",
			t->name);
	if (!t->keysz || t->keysz > P4X_P4TC_MAX_KEY_BYTES * 8)
		return p4x_p4tc_errf(err, errsz, -EINVAL,
				     "table %s: keysz %u (1..%d bits)", t->name,
				     t->keysz, P4X_P4TC_MAX_KEY_BYTES * 8);
	if (!t->tentries || t->tentries > P4X_P4TC_MAX_TENTRIES ||
	    !t->nummasks || t->nummasks > P4X_P4TC_MAX_MASKS)
		return p4x_p4tc_errf(err, errsz, -EINVAL,
				     "table %s: tentries %u (1..%u) or "
				     "nummasks %u (1..%u) out of range",
				     t->name, t->tentries,
				     P4X_P4TC_MAX_TENTRIES, t->nummasks,
				     P4X_P4TC_MAX_MASKS);
	if (t->permissions & ~P4X_P4TC_PERM_MASK)
		return p4x_p4tc_errf(
			err, errsz, -EINVAL,
			"table %s: permissions 0x%x has bits above 0x3fff",
			t->name, t->permissions);
	return 0;
}

static int set_ext_ref(char *dst, const char *src, const char *tname,
		       const char *what, char *err, size_t errsz)
{
	if (!src || !strchr(src, '/') || strlen(src) >= P4X_P4TC_PATHSZ)
		return p4x_p4tc_errf(err, errsz, -EINVAL,
				     "table %s: %s %s is not <Kind>/<instance>",
				     tname, what, src ? src : "(none)");
	strcpy(dst, src);
	return 0;
}

static int set_defaults(struct p4x_p4tc_table_def *t, const struct p4x_p4tc *m,
			const struct p4x_p4tc_pipeline *p,
			const struct p4x_p4tc_table_spec *s, char *err,
			size_t errsz)
{
	int ret = 0;

	if (s->set & P4X_P4TC_TS_DEFAULT_HIT) {
		ret = p4x_p4tc_act_value_build(m, p, t, &s->default_hit, false,
					       &t->default_hit, err, errsz);
		t->has_default_hit = !ret;
	}
	if (!ret && s->set & P4X_P4TC_TS_DEFAULT_MISS) {
		ret = p4x_p4tc_act_value_build(m, p, t, &s->default_miss, false,
					       &t->default_miss, err, errsz);
		t->has_default_miss = !ret;
	}
	if (!ret && t->has_default_hit)
		ret = check_default(t, p, "default_hit_action", &t->default_hit,
				    err, errsz);
	if (!ret && t->has_default_miss)
		ret = check_default(t, p, "default_miss_action",
				    &t->default_miss, err, errsz);
	return ret;
}

/* Apply @s to @t (a copy): every check before anything is committed. */
static int table_apply(struct p4x_p4tc_table_def *t, const struct p4x_p4tc *m,
		       const struct p4x_p4tc_pipeline *p,
		       const struct p4x_p4tc_table_spec *s, char *err,
		       size_t errsz)
{
	int ret = set_scalars(t, s, err, errsz);

	if (!ret && s->set & P4X_P4TC_TS_DIRECT_COUNTER)
		ret = set_ext_ref(t->direct_counter, s->direct_counter, t->name,
				  "pna_direct_counter", err, errsz);
	if (!ret && s->set & P4X_P4TC_TS_DIRECT_METER)
		ret = set_ext_ref(t->direct_meter, s->direct_meter, t->name,
				  "pna_direct_meter", err, errsz);
	if (!ret && s->set & P4X_P4TC_TS_ACTS)
		ret = set_acts(t, p, s, err, errsz);
	if (!ret)
		ret = set_defaults(t, m, p, s, err, errsz);
	for (uint32_t i = 0; !ret && i < t->nentries; i++)
		if (t->entries[i].has_action &&
		    !table_act(t, t->entries[i].act.act_id))
			ret = p4x_p4tc_errf(err, errsz, -EBUSY,
					    "table %s: entry %u uses an action "
					    "no longer in table_acts",
					    t->name, i + 1);
	return ret;
}

static uint32_t table_free_id(const struct p4x_p4tc_pipeline *p)
{
	uint32_t id = 1;

	while (p4x_p4tc_pipeline__table_by_id(p, id))
		id++;
	return id;
}

/* Keys from the pipeline's introspection file, when it has the table. */
static int attach_intro_keys(struct p4x_p4tc *m, struct p4x_p4tc_pipeline *p,
			     struct p4x_p4tc_table_def *t, char *err,
			     size_t errsz);

int p4x_p4tc__table_create(struct p4x_p4tc *m, const char *path,
			   const struct p4x_p4tc_table_spec *spec, char *err,
			   size_t errsz)
{
	struct p4x_p4tc_pipeline *p;
	struct p4x_p4tc_table_def *t;
	const char *name;
	uint32_t pos = 0;
	int ret;

	ret = p4x_p4tc_split_path(m, path, &p, &name, err, errsz);
	if (ret)
		return ret;
	if (p->sealed)
		return p4x_p4tc_errf(err, errsz, -EPERM,
				     "%s: pipeline %s is sealed", path,
				     p->name);
	if (p4x_p4tc_pipeline__table(p, name))
		return p4x_p4tc_errf(err, errsz, -EEXIST,
				     "table %s already exists", path);
	if (p->ntables >= p->numtables)
		return p4x_p4tc_errf(err, errsz, -ENOSPC,
				     "table %s: pipeline %s already has its %u "
				     "tables (numtables)",
				     path, p->name, p->numtables);
	if ((spec->set & (P4X_P4TC_TS_TYPE | P4X_P4TC_TS_KEYSZ)) !=
	    (P4X_P4TC_TS_TYPE | P4X_P4TC_TS_KEYSZ))
		return p4x_p4tc_errf(err, errsz, -EINVAL,
				     "table %s: type and keysz are required",
				     path);
	if (spec->set & P4X_P4TC_TS_TBLID &&
	    (!spec->tblid || p4x_p4tc_pipeline__table_by_id(p, spec->tblid)))
		return p4x_p4tc_errf(err, errsz, -EEXIST,
				     "table %s: tblid %u is zero or taken",
				     path, spec->tblid);
	t = calloc(1, sizeof(*t));
	if (!t)
		return p4x_p4tc_errf(err, errsz, -ENOMEM, "out of memory");
	strcpy(t->name, name);
	t->id = spec->set & P4X_P4TC_TS_TBLID ? spec->tblid : table_free_id(p);
	t->permissions = P4X_P4TC_TABLE_DEFAULT_PERMISSIONS;
	t->tentries = P4X_P4TC_DEFAULT_TENTRIES;
	t->nummasks = P4X_P4TC_DEFAULT_MASKS;
	ret = table_apply(t, m, p, spec, err, errsz);
	if (!ret)
		ret = attach_intro_keys(m, p, t, err, errsz);
	if (ret) {
		free(t);
		return ret;
	}
	while (pos < p->ntables && p->tables[pos]->id < t->id)
		pos++;
	memmove(&p->tables[pos + 1], &p->tables[pos],
		(p->ntables - pos) * sizeof(p->tables[0]));
	p->tables[pos] = t;
	p->ntables++;
	return 0;
}

static int lookup_table(struct p4x_p4tc *m, const char *path,
			struct p4x_p4tc_pipeline **p,
			struct p4x_p4tc_table_def **t, char *err, size_t errsz)
{
	const char *name;
	int ret = p4x_p4tc_split_path(m, path, p, &name, err, errsz);

	if (ret)
		return ret;
	*t = (struct p4x_p4tc_table_def *)p4x_p4tc_pipeline__table(*p, name);
	if (!*t)
		return p4x_p4tc_errf(err, errsz, -ENOENT,
				     "table %s does not exist", path);
	return 0;
}

/* A table whose template may still change. */
static int find_table(struct p4x_p4tc *m, const char *path,
		      struct p4x_p4tc_pipeline **p,
		      struct p4x_p4tc_table_def **t, char *err, size_t errsz)
{
	int ret = lookup_table(m, path, p, t, err, errsz);

	if (ret)
		return ret;
	if ((*p)->sealed)
		return p4x_p4tc_errf(err, errsz, -EPERM,
				     "%s: pipeline %s is sealed", path,
				     (*p)->name);
	return 0;
}

int p4x_p4tc__table_update(struct p4x_p4tc *m, const char *path,
			   const struct p4x_p4tc_table_spec *spec, char *err,
			   size_t errsz)
{
	struct p4x_p4tc_table_def *t, *tmp;
	struct p4x_p4tc_pipeline *p;
	int ret;

	ret = find_table(m, path, &p, &t, err, errsz);
	if (ret)
		return ret;
	if ((spec->set & P4X_P4TC_TS_TBLID && spec->tblid != t->id) ||
	    (spec->set & P4X_P4TC_TS_KEYSZ && spec->keysz != t->keysz))
		return p4x_p4tc_errf(err, errsz, -EINVAL,
				     "table %s: tblid and keysz cannot change",
				     path);
	tmp = malloc(sizeof(*tmp));
	if (!tmp)
		return p4x_p4tc_errf(err, errsz, -ENOMEM, "out of memory");
	*tmp = *t;
	ret = table_apply(tmp, m, p, spec, err, errsz);
	if (!ret)
		*t = *tmp;
	free(tmp);
	return ret;
}

int p4x_p4tc__table_delete(struct p4x_p4tc *m, const char *path, char *err,
			   size_t errsz)
{
	struct p4x_p4tc_table_def *t;
	struct p4x_p4tc_pipeline *p;
	uint32_t i = 0;
	int ret;

	ret = find_table(m, path, &p, &t, err, errsz);
	if (ret)
		return ret;
	while (p->tables[i] != t)
		i++;
	memmove(&p->tables[i], &p->tables[i + 1],
		(p->ntables - i - 1) * sizeof(p->tables[0]));
	p->ntables--;
	free((void *)t->entries);
	free(t);
	return 0;
}

const struct p4x_p4tc_table_def *p4x_p4tc__table_get(const struct p4x_p4tc *m,
						     const char *path)
{
	struct p4x_p4tc_pipeline *p;
	const char *name;

	if (p4x_p4tc_split_path(m, path, &p, &name, NULL, 0))
		return NULL;
	return p4x_p4tc_pipeline__table(p, name);
}

static int keys_check(const struct p4x_p4tc_table_def *t,
		      const struct p4x_p4tc_key_def *keys, uint32_t nkeys,
		      char *err, size_t errsz)
{
	uint32_t bits = 0, bytes = 0;

	if (!nkeys || nkeys > P4X_P4TC_MAX_KEYS)
		return p4x_p4tc_errf(err, errsz, -EINVAL,
				     "table %s: %u key fields (1..%d)", t->name,
				     nkeys, P4X_P4TC_MAX_KEYS);
	for (uint32_t i = 0; i < nkeys; i++) {
		bits += keys[i].type.bitsz;
		bytes += p4x_p4tc_type__blob_bytes(&keys[i].type);
	}
	if (bits != t->keysz || bytes > P4X_P4TC_MAX_KEY_BYTES)
		return p4x_p4tc_errf(err, errsz, -EINVAL,
				     "table %s: key fields have %u bits in %u "
				     "bytes, keysz is %u",
				     t->name, bits, bytes, t->keysz);
	return 0;
}

static void keys_set(struct p4x_p4tc_table_def *t,
		     const struct p4x_p4tc_key_def *keys, uint32_t nkeys)
{
	uint16_t off = 0;

	for (uint32_t i = 0; i < nkeys; i++) {
		t->keys[i] = keys[i];
		t->keys[i].id = i + 1;
		t->keys[i].offset = off;
		off += p4x_p4tc_type__blob_bytes(&keys[i].type);
	}
	t->nkeys = nkeys;
	t->key_bytes = off;
}

int p4x_p4tc__table_set_keys(struct p4x_p4tc *m, const char *path,
			     const struct p4x_p4tc_key_def *keys,
			     uint32_t nkeys, char *err, size_t errsz)
{
	struct p4x_p4tc_table_def *t;
	struct p4x_p4tc_pipeline *p;
	int ret;

	ret = lookup_table(m, path, &p, &t, err, errsz);
	if (!ret && t->nentries)
		ret = p4x_p4tc_errf(err, errsz, -EBUSY, "table %s has entries",
				    path);
	if (!ret)
		ret = keys_check(t, keys, nkeys, err, errsz);
	if (!ret)
		keys_set(t, keys, nkeys);
	return ret;
}

static int attach_intro_keys(struct p4x_p4tc *m, struct p4x_p4tc_pipeline *p,
			     struct p4x_p4tc_table_def *t, char *err,
			     size_t errsz)
{
	const struct p4x_p4tc_table_def *it;
	struct p4x_p4tc_pipeline *ip;
	int ret;

	if (!p->intro_tried) {
		ret = p4x_p4tc_intro_load(m, p->name, &p->intro, err, errsz);
		if (ret && ret != -ENOENT)
			return ret;
		p->intro_tried = true;
	}
	ip = p->intro ? p4x_p4tc__pipeline_get(p->intro, p->name) : NULL;
	it = ip ? p4x_p4tc_pipeline__table(ip, t->name) : NULL;
	/* a mismatch is left to p4x_p4tc__cross_check() to report */
	if (it && !keys_check(t, it->keys, it->nkeys, NULL, 0))
		keys_set(t, it->keys, it->nkeys);
	return 0;
}

/* --- const entries ------------------------------------------------------- */

static int entry_key(const struct p4x_p4tc *m,
		     const struct p4x_p4tc_table_def *t,
		     const struct p4x_p4tc_entry_spec *s,
		     struct p4x_p4tc_entry_def *e, char *err, size_t errsz)
{
	for (uint32_t i = 0; i < t->nkeys; i++) {
		const struct p4x_p4tc_key_def *k = &t->keys[i];
		struct p4x_p4tc_value v;
		char e2[160];
		int ret;

		if (i >= s->nkeys || strcmp(s->keys[i].name, k->name))
			return p4x_p4tc_errf(
				err, errsz, -EINVAL,
				"table %s: key field %u must be %s, got %s",
				t->name, i + 1, k->name,
				i < s->nkeys ? s->keys[i].name : "nothing");
		ret = p4x_p4tc_value__parse(&k->type, s->keys[i].value,
					    P4X_P4TC_PARSE_MASK, &m->dev, &v,
					    e2, sizeof(e2));
		if (ret)
			return p4x_p4tc_errf(err, errsz, ret,
					     "key field %s: %s", k->name, e2);
		if (v.has_mask && v.prefix != k->type.bitsz &&
		    (t->type == P4X_P4TC_TABLE_EXACT ||
		     (t->type == P4X_P4TC_TABLE_LPM && v.prefix < 0)))
			return p4x_p4tc_errf(
				err, errsz, -EINVAL,
				"key field %s: %s: %s tables take %s", k->name,
				s->keys[i].value,
				p4x_p4tc_table_type__name(t->type),
				t->type == P4X_P4TC_TABLE_EXACT
					? "no mask"
					: "a prefix, not a mask");
		p4x_p4tc_value__pack(&k->type, &v, e->key + k->offset);
		p4x_p4tc_value__pack_mask(&k->type, &v, e->mask + k->offset);
	}
	if (s->nkeys > t->nkeys)
		return p4x_p4tc_errf(
			err, errsz, -EINVAL,
			"table %s: %u key values for %u key fields", t->name,
			s->nkeys, t->nkeys);
	return 0;
}

static bool entry_same(const struct p4x_p4tc_table_def *t,
		       const struct p4x_p4tc_entry_def *a,
		       const struct p4x_p4tc_entry_def *b)
{
	return !memcmp(a->key, b->key, t->key_bytes) &&
	       !memcmp(a->mask, b->mask, t->key_bytes) &&
	       (t->type != P4X_P4TC_TABLE_TERNARY || a->prio == b->prio);
}

/* Masks of lpm/ternary entries count against nummasks. */
static bool mask_fits(const struct p4x_p4tc_table_def *t,
		      const struct p4x_p4tc_entry_def *e)
{
	uint32_t distinct = 0;

	for (uint32_t i = 0; i < t->nentries; i++) {
		bool seen = false;

		if (!memcmp(t->entries[i].mask, e->mask, t->key_bytes))
			return true;
		for (uint32_t j = 0; j < i && !seen; j++)
			seen = !memcmp(t->entries[j].mask, t->entries[i].mask,
				       t->key_bytes);
		distinct += !seen;
	}
	return t->type == P4X_P4TC_TABLE_EXACT || distinct < t->nummasks;
}

static uint32_t entry_prio(const struct p4x_p4tc_table_def *t, uint32_t want)
{
	uint32_t prio = 1;
	bool taken = true;

	if (t->type == P4X_P4TC_TABLE_EXACT)
		return P4X_P4TC_EXACT_PRIO;
	if (want)
		return want;
	while (taken) {
		taken = false;
		for (uint32_t i = 0; i < t->nentries && !taken; i++)
			taken = t->entries[i].prio == prio;
		prio += taken;
	}
	return prio;
}

static int entry_action(const struct p4x_p4tc *m,
			const struct p4x_p4tc_pipeline *p,
			const struct p4x_p4tc_table_def *t,
			const struct p4x_p4tc_entry_spec *s,
			struct p4x_p4tc_entry_def *e, char *err, size_t errsz)
{
	const struct p4x_p4tc_table_act *ta;
	int ret;

	if (!s->has_action)
		return 0;
	ret = p4x_p4tc_act_value_build(m, p, t, &s->action, false, &e->act, err,
				       errsz);
	if (ret)
		return ret;
	e->has_action = true;
	ta = table_act(t, e->act.act_id);
	if (!ta || ta->flags & P4X_P4TC_ACT_DEFAULT_ONLY)
		return p4x_p4tc_errf(err, errsz, -EINVAL,
				     "table %s: action %s is %s", t->name,
				     s->action.action,
				     ta ? "defaultonly" : "not in table_acts");
	return 0;
}

int p4x_p4tc__entry_build(const struct p4x_p4tc *m, const char *path,
			  const struct p4x_p4tc_entry_spec *spec,
			  struct p4x_p4tc_entry_def *e, char *err, size_t errsz)
{
	const struct p4x_p4tc_table_def *t;
	struct p4x_p4tc_pipeline *p;
	const char *name;
	int ret;

	memset(e, 0, sizeof(*e));
	ret = p4x_p4tc_split_path(m, path, &p, &name, err, errsz);
	if (ret)
		return ret;
	t = p4x_p4tc_pipeline__table(p, name);
	if (!t)
		return p4x_p4tc_errf(err, errsz, -ENOENT,
				     "table %s does not exist", path);
	if (!t->nkeys)
		return p4x_p4tc_errf(
			err, errsz, -ENOKEY,
			"table %s: key fields unknown (no usable %s/%s.json)",
			path, m->introdir, p->name);
	ret = entry_key(m, t, spec, e, err, errsz);
	if (!ret)
		ret = entry_action(m, p, t, spec, e, err, errsz);
	e->prio = t->type == P4X_P4TC_TABLE_EXACT ? P4X_P4TC_EXACT_PRIO
						  : spec->prio;
	e->has_permissions = spec->has_permissions;
	e->permissions = spec->permissions;
	return ret;
}

int p4x_p4tc__table_entry_create(struct p4x_p4tc *m, const char *path,
				 const struct p4x_p4tc_entry_spec *spec,
				 char *err, size_t errsz)
{
	struct p4x_p4tc_entry_def e, *arr;
	struct p4x_p4tc_table_def *t;
	struct p4x_p4tc_pipeline *p;
	int ret;

	ret = find_table(m, path, &p, &t, err, errsz);
	if (!ret)
		ret = p4x_p4tc__entry_build(m, path, spec, &e, err, errsz);
	if (ret)
		return ret;
	e.prio = entry_prio(t, e.prio);
	for (uint32_t i = 0; i < t->nentries; i++)
		if (entry_same(t, &t->entries[i], &e))
			return p4x_p4tc_errf(
				err, errsz, -EEXIST,
				"table %s: entry %u has the same key", path,
				i + 1);
	if (!mask_fits(t, &e))
		return p4x_p4tc_errf(
			err, errsz, -ENOSPC,
			"table %s: a new mask would exceed nummasks %u", path,
			t->nummasks);
	if (t->nentries >= t->tentries)
		return p4x_p4tc_errf(err, errsz, -ENOSPC,
				     "table %s is full (tentries %u)", path,
				     t->tentries);
	arr = realloc((void *)t->entries, (t->nentries + 1) * sizeof(e));
	if (!arr)
		return p4x_p4tc_errf(err, errsz, -ENOMEM, "out of memory");
	arr[t->nentries++] = e;
	t->entries = arr;
	return 0;
}

int p4x_p4tc__set_introspection(struct p4x_p4tc *m, const char *path, char *err,
				size_t errsz)
{
	struct p4x_p4tc_opts o = {.sz = sizeof(o),
				  .introspection_dir = m->introdir,
				  .dev = &m->dev};
	struct p4x_p4tc *intro = p4x_p4tc__new(&o);
	struct p4x_p4tc_pipeline *ip, *p;
	int ret;

	if (!intro)
		return p4x_p4tc_errf(err, errsz, -ENOMEM, "out of memory");
	ret = p4x_p4tc__load_json(intro, path, err, errsz);
	ip = ret ? NULL : p4x_p4tc__pipeline_at(intro, 0);
	p = ip ? p4x_p4tc__pipeline_get(m, ip->name) : NULL;
	if (!ret && !p)
		ret = p4x_p4tc_errf(err, errsz, -ENOENT,
				    "%s: pipeline %s does not exist", path,
				    ip->name);
	if (ret) {
		p4x_p4tc__free(intro);
		return ret;
	}
	p4x_p4tc__free(p->intro);
	p->intro = intro;
	p->intro_tried = true;
	for (uint32_t i = 0; i < p->ntables; i++) {
		const struct p4x_p4tc_table_def *it =
			p4x_p4tc_pipeline__table(ip, p->tables[i]->name);

		if (it && !p->tables[i]->nentries &&
		    !keys_check(p->tables[i], it->keys, it->nkeys, NULL, 0))
			keys_set(p->tables[i], it->keys, it->nkeys);
	}
	return 0;
}
