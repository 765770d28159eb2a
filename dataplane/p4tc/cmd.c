// SPDX-License-Identifier: BSD-3-Clause
/*
 * `tc p4template` commands from argv (grammar: p4tc.md 3, iproute2's
 * tc/p4tc_template.c). Arguments are parsed into the typed specs of
 * p4tc.h, then one typed call does the work, so a command either fully
 * happens or changes nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "p4tc_priv.h"

struct cur {
	int argc, i;
	char *const *argv;
	const char *obj; /* "table/P/cb/t", for messages */
	bool json;	 /* "get" prints JSON */
	char *err;
	size_t errsz;
};

static const char *peek(const struct cur *c)
{
	return c->i < c->argc ? c->argv[c->i] : NULL;
}

static bool accept(struct cur *c, const char *kw)
{
	const char *t = peek(c);

	if (!t || strcmp(t, kw))
		return false;
	c->i++;
	return true;
}

static int word(struct cur *c, const char *what, const char **out)
{
	*out = peek(c);
	if (!*out)
		return p4x_p4tc_errf(c->err, c->errsz, -EINVAL,
				     "%s: %s needs a value", c->obj, what);
	c->i++;
	return 0;
}

static int number(struct cur *c, const char *what, uint64_t max, uint64_t *out)
{
	const char *s;
	int ret = word(c, what, &s);

	if (ret)
		return ret;
	if (p4x_p4tc_parse_u64(s, max, out))
		return p4x_p4tc_errf(c->err, c->errsz, -EINVAL,
				     "%s: %s: %s is not a number (0..%llu)",
				     c->obj, what, s, (unsigned long long)max);
	return 0;
}

static int num32(struct cur *c, const char *what, uint32_t max, uint32_t *out)
{
	uint64_t v;
	int ret = number(c, what, max, &v);

	*out = (uint32_t)v;
	return ret;
}

static int unknown(const struct cur *c)
{
	return p4x_p4tc_errf(c->err, c->errsz, -EINVAL,
			     "%s: unknown or misplaced argument \"%s\"", c->obj,
			     peek(c));
}

/* --- pipeline ------------------------------------------------------------ */

static int pipeline_cmd(struct p4x_p4tc *m, struct cur *c, char verb,
			const char *name, FILE *out)
{
	uint32_t pipeid = 0, numtables = 0;
	bool ready = false;
	int ret = 0;
	const char *st;

	while (!ret && peek(c)) {
		if (accept(c, "pipeid"))
			ret = num32(c, "pipeid", UINT32_MAX, &pipeid);
		else if (accept(c, "numtables"))
			ret = num32(c, "numtables", P4X_P4TC_MAX_TABLES,
				    &numtables);
		else if (verb == 'u' && accept(c, "state")) {
			ret = word(c, "state", &st);
			if (!ret && strcmp(st, "ready"))
				ret = p4x_p4tc_errf(
					c->err, c->errsz, -EINVAL,
					"%s: state must be ready, not %s",
					c->obj, st);
			ready = true;
		} else
			return unknown(c);
	}
	if (ret)
		return ret;
	switch (verb) {
	case 'c':
		return p4x_p4tc__pipeline_create(m, name, pipeid, numtables,
						 c->err, c->errsz);
	case 'u':
		return p4x_p4tc__pipeline_update(m, name, numtables, ready,
						 c->err, c->errsz);
	case 'd':
		return p4x_p4tc__pipeline_delete(m, name, c->err, c->errsz);
	}
	if (!p4x_p4tc__pipeline_get(m, name))
		return p4x_p4tc_errf(c->err, c->errsz, -ENOENT,
				     "pipeline %s does not exist", name);
	if (out)
		p4x_p4tc_pipeline__print(p4x_p4tc__pipeline_get(m, name), m,
					 c->json, out);
	return 0;
}

/* --- action -------------------------------------------------------------- */

static int param_decl(struct cur *c, struct p4x_p4tc_param_spec *ps)
{
	uint32_t id = 0;
	const char *fl;
	int ret;

	memset(ps, 0, sizeof(*ps));
	ret = word(c, "param", &ps->name);
	if (!ret && !accept(c, "type"))
		return p4x_p4tc_errf(c->err, c->errsz, -EINVAL,
				     "%s: param %s needs \"type <T>\"", c->obj,
				     ps->name);
	if (!ret)
		ret = word(c, "type", &ps->type);
	while (!ret && peek(c)) {
		if (accept(c, "id")) {
			ret = num32(c, "param id", 32, &id);
			ps->id = id;
		} else if (accept(c, "flags")) {
			ret = word(c, "flags", &fl);
			if (!ret && strcmp(fl, "runtime"))
				ret = p4x_p4tc_errf(c->err, c->errsz, -EINVAL,
						    "%s: param flags must be "
						    "runtime, not %s",
						    c->obj, fl);
			ps->runtime = true;
		} else
			break;
	}
	return ret;
}

static int action_cmd(struct p4x_p4tc *m, struct cur *c, char verb,
		      const char *path, FILE *out)
{
	struct p4x_p4tc_param_spec params[P4X_P4TC_MAX_PARAMS];
	struct p4x_p4tc_action_spec spec = {.sz = sizeof(spec),
					    .params = params};
	const struct p4x_p4tc_action_def *a;
	const char *st;
	int state = -1, ret = 0;

	while (!ret && peek(c)) {
		if (accept(c, "actid"))
			ret = num32(c, "actid", UINT32_MAX, &spec.actid);
		else if (accept(c, "num_prealloc_acts"))
			ret = num32(c, "num_prealloc_acts", UINT32_MAX,
				    &spec.num_prealloc);
		else if (accept(c, "param")) {
			if (spec.nparams == P4X_P4TC_MAX_PARAMS)
				return p4x_p4tc_errf(c->err, c->errsz, -EINVAL,
						     "%s: more than %d params",
						     c->obj,
						     P4X_P4TC_MAX_PARAMS);
			ret = param_decl(c, &params[spec.nparams++]);
		} else if (verb == 'u' && accept(c, "state")) {
			ret = word(c, "state", &st);
			state = !strcmp(st ? st : "", "active")	    ? 1
				: !strcmp(st ? st : "", "inactive") ? 0
								    : -2;
			if (!ret && state == -2)
				ret = p4x_p4tc_errf(c->err, c->errsz, -EINVAL,
						    "%s: state must be active "
						    "or inactive, not %s",
						    c->obj, st);
		} else
			return unknown(c);
	}
	if (ret)
		return ret;
	switch (verb) {
	case 'c':
		return p4x_p4tc__action_create(m, path, &spec, c->err,
					       c->errsz);
	case 'u':
		return p4x_p4tc__action_update(m, path, state, &spec, c->err,
					       c->errsz);
	case 'd':
		return p4x_p4tc__action_delete(m, path, c->err, c->errsz);
	}
	a = p4x_p4tc__action_get(m, path);
	if (!a)
		return p4x_p4tc_errf(c->err, c->errsz, -ENOENT,
				     "action %s does not exist", path);
	if (out)
		p4x_p4tc_action__print(a, c->json, out);
	return 0;
}

/* --- table --------------------------------------------------------------- */

struct act_args {
	struct p4x_p4tc_param_value params[P4X_P4TC_MAX_PARAMS];
};

/* "action X [param n v | param n flags runtime]..." */
static int act_spec(struct cur *c, struct p4x_p4tc_act_spec *s,
		    struct act_args *aa)
{
	int ret = word(c, "action", &s->action);

	s->params = aa->params;
	while (!ret && accept(c, "param")) {
		struct p4x_p4tc_param_value *pv = &aa->params[s->nparams];

		if (s->nparams == P4X_P4TC_MAX_PARAMS)
			return p4x_p4tc_errf(c->err, c->errsz, -EINVAL,
					     "%s: more than %d params", c->obj,
					     P4X_P4TC_MAX_PARAMS);
		ret = word(c, "param", &pv->name);
		if (!ret && accept(c, "flags")) {
			if (!accept(c, "runtime"))
				return p4x_p4tc_errf(
					c->err, c->errsz, -EINVAL,
					"%s: param %s: flags must be runtime",
					c->obj, pv->name);
			pv->value = NULL;
		} else if (!ret) {
			ret = word(c, "param value", &pv->value);
		}
		s->nparams++;
	}
	return ret;
}

static int perm(struct cur *c, uint16_t *out)
{
	uint32_t v;
	int ret = num32(c, "permissions", P4X_P4TC_PERM_MASK, &v);

	*out = v;
	return ret;
}

/* "[permissions 0x..] action X [param ...]" */
static int default_act(struct cur *c, struct p4x_p4tc_act_spec *s,
		       struct act_args *aa)
{
	int ret = 0;

	if (accept(c, "permissions")) {
		ret = perm(c, &s->permissions);
		s->has_permissions = true;
	}
	if (!ret && !accept(c, "action"))
		return p4x_p4tc_errf(
			c->err, c->errsz, -EINVAL,
			"%s: default action needs \"action <name>\"", c->obj);
	return ret ? ret : act_spec(c, s, aa);
}

static int table_acts(struct cur *c, struct p4x_p4tc_table_act_spec *acts,
		      uint32_t *n)
{
	const char *fl;
	int ret = 0;

	while (!ret && accept(c, "act")) {
		if (*n == P4X_P4TC_MAX_TABLE_ACTS)
			return p4x_p4tc_errf(c->err, c->errsz, -EINVAL,
					     "%s: more than %d table_acts",
					     c->obj, P4X_P4TC_MAX_TABLE_ACTS);
		if (!accept(c, "name"))
			return p4x_p4tc_errf(
				c->err, c->errsz, -EINVAL,
				"%s: expected \"act name <action>\"", c->obj);
		acts[*n].flags = 0;
		ret = word(c, "act name", &acts[*n].action);
		if (!ret && accept(c, "flags")) {
			ret = word(c, "flags", &fl);
			if (!ret && !strcmp(fl, "tableonly"))
				acts[*n].flags = P4X_P4TC_ACT_TABLE_ONLY;
			else if (!ret && !strcmp(fl, "defaultonly"))
				acts[*n].flags = P4X_P4TC_ACT_DEFAULT_ONLY;
			else if (!ret)
				ret = p4x_p4tc_errf(
					c->err, c->errsz, -EINVAL,
					"%s: act flags must be tableonly or "
					"defaultonly, not %s",
					c->obj, fl);
		}
		(*n)++;
	}
	return ret;
}

static int table_type(struct cur *c, enum p4x_p4tc_table_type *t)
{
	const char *s;
	int ret = word(c, "type", &s);

	if (ret)
		return ret;
#define P4X_P4TC_TT_PARSE(e, name, v)    \
	if (!strcmp(s, name)) {          \
		*t = P4X_P4TC_TABLE_##e; \
		return 0;                \
	}
	P4X_P4TC_TABLE_TYPES(P4X_P4TC_TT_PARSE)
#undef P4X_P4TC_TT_PARSE
	return p4x_p4tc_errf(c->err, c->errsz, -EINVAL,
			     "%s: type must be exact, lpm or ternary, not %s",
			     c->obj, s);
}

struct table_args {
	struct p4x_p4tc_table_spec spec;
	struct p4x_p4tc_table_act_spec acts[P4X_P4TC_MAX_TABLE_ACTS];
	struct act_args hit, miss;
	uint32_t pipeid;
};

/* One table attribute; 1 when the current word is not one. */
static int table_attr(struct cur *c, struct table_args *ta)
{
	struct p4x_p4tc_table_spec *s = &ta->spec;
	static const struct {
		const char *kw;
		uint32_t flag, max;
		size_t off;
	} nums[] = {
		{"tblid", P4X_P4TC_TS_TBLID, UINT32_MAX,
		 offsetof(struct p4x_p4tc_table_spec, tblid)},
		{"keysz", P4X_P4TC_TS_KEYSZ, UINT32_MAX,
		 offsetof(struct p4x_p4tc_table_spec, keysz)},
		{"tentries", P4X_P4TC_TS_TENTRIES, UINT32_MAX,
		 offsetof(struct p4x_p4tc_table_spec, tentries)},
		{"nummasks", P4X_P4TC_TS_NUMMASKS, UINT32_MAX,
		 offsetof(struct p4x_p4tc_table_spec, nummasks)},
		{"num_timer_profiles", P4X_P4TC_TS_TIMER_PROFILES, UINT32_MAX,
		 offsetof(struct p4x_p4tc_table_spec, num_timer_profiles)},
	};

	for (size_t i = 0; i < P4X_ARRAY_SIZE(nums); i++) {
		if (!accept(c, nums[i].kw))
			continue;
		s->set |= nums[i].flag;
		return num32(c, nums[i].kw, nums[i].max,
			     (uint32_t *)((char *)s + nums[i].off));
	}
	if (accept(c, "pipeid"))
		return num32(c, "pipeid", UINT32_MAX, &ta->pipeid);
	if (accept(c, "type")) {
		s->set |= P4X_P4TC_TS_TYPE;
		return table_type(c, &s->type);
	}
	if (accept(c, "permissions")) {
		s->set |= P4X_P4TC_TS_PERMISSIONS;
		return perm(c, &s->permissions);
	}
	if (accept(c, "aging")) {
		s->set |= P4X_P4TC_TS_AGING;
		return number(c, "aging", UINT64_MAX, &s->aging_ms);
	}
	if (accept(c, "pna_direct_counter")) {
		s->set |= P4X_P4TC_TS_DIRECT_COUNTER;
		return word(c, "pna_direct_counter", &s->direct_counter);
	}
	if (accept(c, "pna_direct_meter")) {
		s->set |= P4X_P4TC_TS_DIRECT_METER;
		return word(c, "pna_direct_meter", &s->direct_meter);
	}
	if (accept(c, "table_acts")) {
		s->set |= P4X_P4TC_TS_ACTS;
		return table_acts(c, ta->acts, &s->nacts);
	}
	if (accept(c, "default_hit_action")) {
		s->set |= P4X_P4TC_TS_DEFAULT_HIT;
		return default_act(c, &s->default_hit, &ta->hit);
	}
	if (accept(c, "default_miss_action")) {
		s->set |= P4X_P4TC_TS_DEFAULT_MISS;
		return default_act(c, &s->default_miss, &ta->miss);
	}
	return 1;
}

static bool entry_keyword(const char *w)
{
	return !strcmp(w, "prio") || !strcmp(w, "priority") ||
	       !strcmp(w, "permissions") || !strcmp(w, "action");
}

static int entry_cmd(struct p4x_p4tc *m, struct cur *c, const char *path)
{
	struct p4x_p4tc_key_value keys[P4X_P4TC_MAX_KEYS];
	struct p4x_p4tc_entry_spec s = {.sz = sizeof(s), .keys = keys};
	struct act_args aa;
	int ret = 0;

	while (!ret && peek(c) && !entry_keyword(peek(c))) {
		if (s.nkeys == P4X_P4TC_MAX_KEYS)
			return p4x_p4tc_errf(c->err, c->errsz, -EINVAL,
					     "%s: too many key fields", c->obj);
		ret = word(c, "key field", &keys[s.nkeys].name);
		if (!ret)
			ret = word(c, keys[s.nkeys].name, &keys[s.nkeys].value);
		s.nkeys++;
	}
	while (!ret && peek(c)) {
		if (accept(c, "prio") || accept(c, "priority")) {
			ret = num32(c, "prio", UINT32_MAX, &s.prio);
		} else if (accept(c, "permissions")) {
			s.has_permissions = true;
			ret = perm(c, &s.permissions);
		} else if (!s.has_action && accept(c, "action")) {
			s.has_action = true;
			ret = act_spec(c, &s.action, &aa);
		} else {
			return unknown(c);
		}
	}
	return ret ? ret
		   : p4x_p4tc__table_entry_create(m, path, &s, c->err,
						  c->errsz);
}

static int table_cmd(struct p4x_p4tc *m, struct cur *c, char verb,
		     const char *path, FILE *out)
{
	struct table_args ta = {.spec = {.sz = sizeof(ta.spec)}};
	struct p4x_p4tc_pipeline *p;
	const char *name;
	const struct p4x_p4tc_table_def *t;
	int ret = 0;

	ta.spec.acts = ta.acts;
	if (verb == 'c' && accept(c, "entry"))
		return entry_cmd(m, c, path);
	while (!ret && peek(c) && verb != 'd' && verb != 'g') {
		ret = table_attr(c, &ta);
		if (ret == 1)
			return unknown(c);
	}
	if (ret || peek(c))
		return ret ? ret : unknown(c);
	ret = p4x_p4tc_split_path(m, path, &p, &name, c->err, c->errsz);
	if (ret)
		return ret;
	if (ta.pipeid && ta.pipeid != p->id)
		return p4x_p4tc_errf(c->err, c->errsz, -EINVAL,
				     "%s: pipeid %u but pipeline %s has id %u",
				     c->obj, ta.pipeid, p->name, p->id);
	switch (verb) {
	case 'c':
		return p4x_p4tc__table_create(m, path, &ta.spec, c->err,
					      c->errsz);
	case 'u':
		return p4x_p4tc__table_update(m, path, &ta.spec, c->err,
					      c->errsz);
	case 'd':
		return p4x_p4tc__table_delete(m, path, c->err, c->errsz);
	}
	t = p4x_p4tc_pipeline__table(p, name);
	if (!t)
		return p4x_p4tc_errf(c->err, c->errsz, -ENOENT,
				     "table %s does not exist", path);
	if (out)
		p4x_p4tc_table__print(t, p, m, c->json, out);
	return 0;
}

/* --- externs ------------------------------------------------------------- */

static int extern_cmd(struct p4x_p4tc *m, struct cur *c, char verb,
		      const char *path, FILE *out)
{
	struct p4x_p4tc_extern_def d = {0};
	const struct p4x_p4tc_extern_def *e;
	uint32_t v;
	int ret = 0;

	if (strncmp(path, "root/", 5) || strchr(path + 5, '/') ||
	    strlen(path + 5) >= sizeof(d.name))
		return p4x_p4tc_errf(c->err, c->errsz, -EINVAL,
				     "%s: expected extern/root/<Kind>", c->obj);
	strcpy(d.name, path + 5);
	while (!ret && peek(c) && verb == 'c') {
		if (accept(c, "extid")) {
			ret = num32(c, "extid", UINT32_MAX, &d.id);
		} else if (accept(c, "numinstances")) {
			ret = num32(c, "numinstances", UINT32_MAX,
				    &d.numinstances);
		} else if (accept(c, "tc_acl")) {
			ret = num32(c, "tc_acl", P4X_P4TC_PERM_MASK, &v);
			d.permissions = v;
		} else if (accept(c, "has_exec_method")) {
			d.has_exec_method = true;
		} else {
			break;
		}
	}
	if (ret || peek(c))
		return ret ? ret : unknown(c);
	if (verb == 'c')
		return p4x_p4tc__extern_create(m, &d, c->err, c->errsz);
	if (verb == 'd')
		return p4x_p4tc__extern_delete(m, d.name, c->err, c->errsz);
	if (verb == 'u')
		return p4x_p4tc_errf(c->err, c->errsz, -EOPNOTSUPP,
				     "%s: extern templates cannot be updated",
				     c->obj);
	e = p4x_p4tc__extern_get(m, d.name);
	if (!e)
		return p4x_p4tc_errf(c->err, c->errsz, -ENOENT,
				     "extern %s does not exist", d.name);
	if (out)
		p4x_p4tc_extern__print(e, c->json, out);
	return 0;
}

/* "<name> ptype <T>" then a value (constructor) or "id N" (control). */
static int ext_param(struct p4x_p4tc *m, struct cur *c,
		     struct p4x_p4tc_ext_param_def *pd, bool constr)
{
	const char *name, *type, *val;
	char e[160];
	int ret = word(c, "param name", &name);

	if (!ret && strlen(name) >= sizeof(pd->name))
		return p4x_p4tc_errf(c->err, c->errsz, -ENAMETOOLONG,
				     "%s: param name %s too long", c->obj,
				     name);
	if (!ret && !accept(c, "ptype"))
		return p4x_p4tc_errf(c->err, c->errsz, -EINVAL,
				     "%s: param %s needs \"ptype <T>\"", c->obj,
				     name);
	if (!ret)
		ret = word(c, "ptype", &type);
	if (!ret &&
	    (ret = p4x_p4tc_type__parse(&pd->type, type, 0, e, sizeof(e))))
		return p4x_p4tc_errf(c->err, c->errsz, ret, "%s: param %s: %s",
				     c->obj, name, e);
	if (ret)
		return ret;
	strcpy(pd->name, name);
	if (!constr) {
		if (!accept(c, "id"))
			return p4x_p4tc_errf(c->err, c->errsz, -EINVAL,
					     "%s: param %s needs \"id N\"",
					     c->obj, name);
		return num32(c, "id", 32, &pd->id);
	}
	ret = word(c, "constructor value", &val);
	if (!ret && (ret = p4x_p4tc_value__parse(&pd->type, val, 0, &m->dev,
						 &pd->value, e, sizeof(e))))
		return p4x_p4tc_errf(c->err, c->errsz, ret, "%s: param %s: %s",
				     c->obj, name, e);
	pd->has_value = !ret;
	return ret;
}

static int inst_params(struct p4x_p4tc *m, struct cur *c,
		       struct p4x_p4tc_extern_inst_def *d)
{
	int ret = 0, mode = 0; /* 1 constructor, 2 control_path */

	while (!ret && peek(c)) {
		bool key = false;

		if (accept(c, "constructor") || accept(c, "control_path")) {
			mode = !strcmp(c->argv[c->i - 1], "constructor") ? 1
									 : 2;
			continue;
		}
		if (!mode || !(accept(c, "param") ||
			       (mode == 2 && (key = accept(c, "tc_key")))))
			return unknown(c);
		if ((mode == 1 ? d->nconstr : d->nparams) ==
		    P4X_P4TC_MAX_PARAMS)
			return p4x_p4tc_errf(c->err, c->errsz, -EINVAL,
					     "%s: more than %d params", c->obj,
					     P4X_P4TC_MAX_PARAMS);
		if (mode == 1) {
			ret = ext_param(m, c, &d->constr[d->nconstr++], true);
		} else {
			d->params[d->nparams].is_key = key;
			ret = ext_param(m, c, &d->params[d->nparams++], false);
		}
	}
	return ret;
}

static int inst_cmd(struct p4x_p4tc *m, struct cur *c, char verb,
		    const char *path, FILE *out)
{
	struct p4x_p4tc_extern_inst_def d;
	const struct p4x_p4tc_extern_inst_def *e;
	int ret = 0;

	memset(&d, 0, sizeof(d));
	while (!ret && peek(c) && verb == 'c') {
		if (accept(c, "instid"))
			ret = num32(c, "instid", UINT32_MAX, &d.id);
		else if (accept(c, "tc_numel"))
			ret = num32(c, "tc_numel", UINT32_MAX, &d.numel);
		else if (accept(c, "tbl_bindable"))
			d.tbl_bindable = true;
		else
			ret = inst_params(m, c, &d);
	}
	if (ret || peek(c))
		return ret ? ret : unknown(c);
	if (verb == 'c')
		return p4x_p4tc__extern_inst_create(m, path, &d, c->err,
						    c->errsz);
	if (verb == 'd')
		return p4x_p4tc__extern_inst_delete(m, path, c->err, c->errsz);
	if (verb == 'u')
		return p4x_p4tc_errf(c->err, c->errsz, -EOPNOTSUPP,
				     "%s: extern instances cannot be updated",
				     c->obj);
	e = p4x_p4tc__extern_inst_get(m, path);
	if (!e)
		return p4x_p4tc_errf(c->err, c->errsz, -ENOENT,
				     "extern_inst %s does not exist", path);
	if (out)
		p4x_p4tc_extern_inst__print(e, c->json, out);
	return 0;
}

/* --- dispatch ------------------------------------------------------------ */

static int verb_of(const char *w)
{
	static const char *const verbs[] = {"create", "update", "delete",
					    "get"};

	for (size_t i = 0; i < P4X_ARRAY_SIZE(verbs); i++)
		if (!strcmp(w, verbs[i]))
			return verbs[i][0];
	if (!strcmp(w, "del"))
		return 'd';
	return 0;
}

int p4x_p4tc__exec(struct p4x_p4tc *m, int argc, char *const *argv, FILE *out,
		   char *err, size_t errsz)
{
	struct cur c = {.argc = argc, .argv = argv, .err = err, .errsz = errsz};
	const char *obj, *rest;
	int verb;

	if (c.i < argc && !strcmp(argv[c.i], "-j")) {
		c.json = true;
		c.i++;
	}
	if (c.i < argc && !strcmp(argv[c.i], "p4template"))
		c.i++;
	if (c.i + 2 > argc)
		return p4x_p4tc_errf(
			err, errsz, -EINVAL,
			"usage: p4template create|update|delete|get "
			"<object>/<path> [args]");
	verb = verb_of(argv[c.i]);
	if (!verb)
		return p4x_p4tc_errf(err, errsz, -EINVAL,
				     "p4template: unknown command \"%s\" "
				     "(create|update|delete|get)",
				     argv[c.i]);
	obj = c.obj = argv[c.i + 1];
	c.i += 2;
	rest = strchr(obj, '/');
	if (!rest || !rest[1])
		return p4x_p4tc_errf(
			err, errsz, -EINVAL,
			"p4template: \"%s\" is not <object>/<path>", obj);
	rest++;
	if (!strncmp(obj, "pipeline/", 9))
		return pipeline_cmd(m, &c, verb, rest, out);
	if (!strncmp(obj, "action/", 7))
		return action_cmd(m, &c, verb, rest, out);
	if (!strncmp(obj, "table/", 6))
		return table_cmd(m, &c, verb, rest, out);
	if (!strncmp(obj, "extern/", 7))
		return extern_cmd(m, &c, verb, rest, out);
	if (!strncmp(obj, "extern_inst/", 12))
		return inst_cmd(m, &c, verb, rest, out);
	return p4x_p4tc_errf(err, errsz, -EINVAL,
			     "p4template: unknown object type in \"%s\" "
			     "(pipeline|action|table|extern|extern_inst)",
			     obj);
}
