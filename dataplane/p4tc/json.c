// SPDX-License-Identifier: BSD-3-Clause
/*
 * Introspection file (P.json, p4c backends/tc/introspection.cpp) loader:
 * builds the pipeline it describes. Schema: p4tc.md 2.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "p4tc_priv.h"

struct jctx {
	struct p4x_p4tc *m;
	struct p4x_p4tc_pipeline *p;
	const char *file;
	char *err;
	size_t errsz;
};

static int jerr(const struct jctx *j, const char *where, const char *what,
		const char *detail)
{
	return p4x_p4tc_errf(j->err, j->errsz, -EINVAL, "%s: %s: %s%s%s",
			     j->file, where, what, detail ? ": " : "",
			     detail ? detail : "");
}

static struct json_object *jget(const struct json_object *o, const char *k,
				json_type type)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, k, &v) ||
	    !json_object_is_type(v, type))
		return NULL;
	return v;
}

static int jstr(const struct jctx *j, const struct json_object *o,
		const char *where, const char *k, const char **out)
{
	struct json_object *v = jget(o, k, json_type_string);

	if (!v)
		return p4x_p4tc_errf(j->err, j->errsz, -EINVAL,
				     "%s: %s: missing string \"%s\"", j->file,
				     where, k);
	*out = json_object_get_string(v);
	return 0;
}

/* An integer, or a string holding one ("0x3da4"). */
static int jnum(const struct jctx *j, const struct json_object *o,
		const char *where, const char *k, uint64_t max, uint64_t *out)
{
	struct json_object *v;

	if (json_object_object_get_ex(o, k, &v) &&
	    json_object_is_type(v, json_type_int) &&
	    json_object_get_int64(v) >= 0 &&
	    (uint64_t)json_object_get_int64(v) <= max) {
		*out = json_object_get_int64(v);
		return 0;
	}
	if (v && json_object_is_type(v, json_type_string) &&
	    !p4x_p4tc_parse_u64(json_object_get_string(v), max, out))
		return 0;
	return p4x_p4tc_errf(j->err, j->errsz, -EINVAL,
			     "%s: %s: \"%s\" missing or not a number (0..%llu)",
			     j->file, where, k, (unsigned long long)max);
}

static int jnum32(const struct jctx *j, const struct json_object *o,
		  const char *where, const char *k, uint32_t *out)
{
	uint64_t v;
	int ret = jnum(j, o, where, k, UINT32_MAX, &v);

	*out = (uint32_t)v;
	return ret;
}

/* "type" + "bitwidth" of a key field or param. */
static int jtype(const struct jctx *j, const struct json_object *o,
		 const char *where, struct p4x_p4tc_type *t)
{
	const char *tn;
	uint32_t bw;
	char e[128];
	int ret = jstr(j, o, where, "type", &tn);

	if (!ret)
		ret = jnum32(j, o, where, "bitwidth", &bw);
	if (!ret && p4x_p4tc_type__parse(t, tn, bw, e, sizeof(e)))
		return jerr(j, where, "bad type", e);
	return ret;
}

static int jarray(const struct jctx *j, const struct json_object *o,
		  const char *where, const char *k, struct json_object **out)
{
	*out = jget(o, k, json_type_array);
	if (!*out)
		return p4x_p4tc_errf(j->err, j->errsz, -EINVAL,
				     "%s: %s: missing array \"%s\"", j->file,
				     where, k);
	return 0;
}

/* --- actions ------------------------------------------------------------- */

static int action_params(const struct jctx *j, struct json_object *ja,
			 const char *where, struct p4x_p4tc_param_spec *ps,
			 struct p4x_p4tc_type *types, uint32_t *n)
{
	struct json_object *arr;
	int ret = jarray(j, ja, where, "params", &arr);
	char w[200];

	*n = ret ? 0 : json_object_array_length(arr);
	if (*n > P4X_P4TC_MAX_PARAMS)
		return jerr(j, where, "too many params", NULL);
	for (uint32_t i = 0; !ret && i < *n; i++) {
		struct json_object *o = json_object_array_get_idx(arr, i);

		snprintf(w, sizeof(w), "%s param %u", where, i + 1);
		memset(&ps[i], 0, sizeof(ps[i]));
		ret = jstr(j, o, w, "name", &ps[i].name);
		if (!ret)
			ret = jnum32(j, o, w, "id", &ps[i].id);
		if (!ret)
			ret = jtype(j, o, w, &types[i]);
		ps[i].type = json_object_get_string(
			jget(o, "type", json_type_string));
	}
	return ret;
}

static bool same_params(const struct p4x_p4tc_action_def *a,
			const struct p4x_p4tc_param_spec *ps,
			const struct p4x_p4tc_type *types, uint32_t n)
{
	if (a->nparams != n)
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (strcmp(a->params[i].name, ps[i].name) ||
		    a->params[i].id != ps[i].id ||
		    !p4x_p4tc_type__equal(&a->params[i].type, &types[i]))
			return false;
	return true;
}

/* Create the action, or check it matches the one an earlier table had. */
static int json_action(const struct jctx *j, struct json_object *ja,
		       const char *tname, uint32_t *act_id)
{
	struct p4x_p4tc_param_spec ps[P4X_P4TC_MAX_PARAMS];
	struct p4x_p4tc_type types[P4X_P4TC_MAX_PARAMS];
	struct p4x_p4tc_action_spec spec = {.sz = sizeof(spec), .params = ps};
	const struct p4x_p4tc_action_def *a;
	char where[160], path[P4X_P4TC_NAMSZ + P4X_P4TC_PATHSZ], e[256];
	const char *name;
	int ret;

	snprintf(where, sizeof(where), "table %s action", tname);
	ret = jstr(j, ja, where, "name", &name);
	if (!ret) {
		snprintf(where, sizeof(where), "table %s action %s", tname,
			 name);
		ret = jnum32(j, ja, where, "id", &spec.actid);
	}
	if (!ret)
		ret = action_params(j, ja, where, ps, types, &spec.nparams);
	if (ret)
		return ret;
	*act_id = spec.actid;
	a = p4x_p4tc_pipeline__action(j->p, name);
	if (a)
		return a->id == spec.actid &&
				       same_params(a, ps, types, spec.nparams)
			       ? 0
			       : jerr(j, where,
				      "differs from the action of the same "
				      "name in an earlier table",
				      NULL);
	snprintf(path, sizeof(path), "%s/%s", j->p->name, name);
	ret = p4x_p4tc__action_create(j->m, path, &spec, e, sizeof(e));
	if (!ret)
		ret = p4x_p4tc__action_update(j->m, path, 1, NULL, e,
					      sizeof(e));
	return ret ? p4x_p4tc_errf(j->err, j->errsz, ret, "%s: %s", j->file, e)
		   : 0;
}

static uint8_t act_flags(struct json_object *ja)
{
	struct json_object *ann = jget(ja, "annotations", json_type_array);
	struct json_object *sc = jget(ja, "action_scope", json_type_string);
	const char *scope = sc ? json_object_get_string(sc) : "";
	uint8_t f = 0;

	if (!strcmp(scope, "TableOnly"))
		f |= P4X_P4TC_ACT_TABLE_ONLY;
	if (!strcmp(scope, "DefaultOnly"))
		f |= P4X_P4TC_ACT_DEFAULT_ONLY;
	for (size_t i = 0; ann && i < json_object_array_length(ann); i++) {
		struct json_object *o = json_object_array_get_idx(ann, i);
		const char *a = json_object_get_string(o);

		if (a && !strcmp(a, "tableonly"))
			f |= P4X_P4TC_ACT_TABLE_ONLY;
		if (a && !strcmp(a, "defaultonly"))
			f |= P4X_P4TC_ACT_DEFAULT_ONLY;
	}
	return f;
}

/* --- tables -------------------------------------------------------------- */

static int match_kind(const char *s, enum p4x_p4tc_match *m)
{
#define P4X_P4TC_MATCH_PARSE(e, name)    \
	if (!strcmp(s, name)) {          \
		*m = P4X_P4TC_MATCH_##e; \
		return 0;                \
	}
	P4X_P4TC_MATCH_KINDS(P4X_P4TC_MATCH_PARSE)
#undef P4X_P4TC_MATCH_PARSE
	return -EINVAL;
}

static int json_keys(const struct jctx *j, struct json_object *jt,
		     const char *tname, struct p4x_p4tc_key_def *keys,
		     uint32_t *n)
{
	struct json_object *arr;
	char where[160];
	const char *s;
	int ret = jarray(j, jt, tname, "keyfields", &arr);

	*n = ret ? 0 : json_object_array_length(arr);
	if (*n > P4X_P4TC_MAX_KEYS)
		return jerr(j, tname, "too many keyfields", NULL);
	for (uint32_t i = 0; !ret && i < *n; i++) {
		struct json_object *o = json_object_array_get_idx(arr, i);
		uint32_t id;

		snprintf(where, sizeof(where), "%s keyfield %u", tname, i + 1);
		memset(&keys[i], 0, sizeof(keys[i]));
		ret = jstr(j, o, where, "name", &s);
		if (!ret && strlen(s) >= sizeof(keys[i].name))
			return jerr(j, where, "name too long", s);
		if (!ret)
			strcpy(keys[i].name, s);
		if (!ret)
			ret = jnum32(j, o, where, "id", &id);
		if (!ret && id != i + 1)
			return jerr(j, where, "ids must be 1..N in order",
				    NULL);
		if (!ret)
			ret = jtype(j, o, where, &keys[i].type);
		if (!ret)
			ret = jstr(j, o, where, "match_type", &s);
		if (!ret && match_kind(s, &keys[i].match))
			return jerr(j, where, "unknown match_type", s);
	}
	return ret;
}

/* The kernel table type p4c picks for these match kinds. */
static enum p4x_p4tc_table_type table_type_of(const struct p4x_p4tc_key_def *k,
					      uint32_t n)
{
	bool lpm = false, other = false;

	for (uint32_t i = 0; i < n; i++) {
		lpm |= k[i].match == P4X_P4TC_MATCH_LPM;
		other |= k[i].match != P4X_P4TC_MATCH_LPM &&
			 k[i].match != P4X_P4TC_MATCH_EXACT;
	}
	return other ? P4X_P4TC_TABLE_TERNARY
	       : lpm ? P4X_P4TC_TABLE_LPM
		     : P4X_P4TC_TABLE_EXACT;
}

struct jtable {
	struct p4x_p4tc_table_spec spec;
	struct p4x_p4tc_table_act_spec acts[P4X_P4TC_MAX_TABLE_ACTS];
	char actnames[P4X_P4TC_MAX_TABLE_ACTS][P4X_P4TC_PATHSZ];
	struct p4x_p4tc_key_def keys[P4X_P4TC_MAX_KEYS];
	uint32_t nkeys;
	int32_t hit, miss; /* index in acts of the default actions, or -1 */
};

static int table_actions(const struct jctx *j, struct json_object *jt,
			 const char *tname, struct jtable *t)
{
	struct json_object *arr;
	int ret = jarray(j, jt, tname, "actions", &arr);
	uint32_t n = ret ? 0 : json_object_array_length(arr);

	if (n > P4X_P4TC_MAX_TABLE_ACTS)
		return jerr(j, tname, "too many actions", NULL);
	t->hit = t->miss = -1;
	for (uint32_t i = 0; !ret && i < n; i++) {
		struct json_object *ja = json_object_array_get_idx(arr, i);
		struct json_object *b;
		uint32_t id;

		ret = json_action(j, ja, tname, &id);
		if (ret)
			break;
		strcpy(t->actnames[i],
		       p4x_p4tc_pipeline__action_by_id(j->p, id)->name);
		t->acts[i].action = t->actnames[i];
		t->acts[i].flags = act_flags(ja);
		b = jget(ja, "default_hit_action", json_type_boolean);
		if (b && json_object_get_boolean(b))
			t->hit = i;
		b = jget(ja, "default_miss_action", json_type_boolean);
		if (b && json_object_get_boolean(b))
			t->miss = i;
	}
	t->spec.nacts = n;
	t->spec.acts = t->acts;
	return ret;
}

static int table_scalars(const struct jctx *j, struct json_object *jt,
			 const char *tname, struct jtable *t)
{
	struct p4x_p4tc_table_spec *s = &t->spec;
	uint64_t perm;
	int ret = jnum32(j, jt, tname, "id", &s->tblid);

	if (!ret)
		ret = jnum32(j, jt, tname, "tentries", &s->tentries);
	if (!ret)
		ret = jnum(j, jt, tname, "permissions", P4X_P4TC_PERM_MASK,
			   &perm);
	if (!ret)
		ret = jnum32(j, jt, tname, "nummask", &s->nummasks);
	if (!ret)
		ret = jnum32(j, jt, tname, "keysize", &s->keysz);
	s->permissions = (uint16_t)perm;
	s->set = P4X_P4TC_TS_TBLID | P4X_P4TC_TS_TYPE | P4X_P4TC_TS_KEYSZ |
		 P4X_P4TC_TS_PERMISSIONS | P4X_P4TC_TS_TENTRIES |
		 P4X_P4TC_TS_NUMMASKS | P4X_P4TC_TS_ACTS;
	return ret;
}

/* Default actions: which action is known, its params are not. */
static int table_defaults(const struct jctx *j, const char *path,
			  struct jtable *t)
{
	struct p4x_p4tc_table_def *td =
		(struct p4x_p4tc_table_def *)p4x_p4tc__table_get(j->m, path);
	struct p4x_p4tc_act_spec as = {0};
	int ret = 0;

	if (t->hit >= 0) {
		as.action = t->actnames[t->hit];
		ret = p4x_p4tc_act_value_build(j->m, j->p, td, &as, true,
					       &td->default_hit, j->err,
					       j->errsz);
		td->has_default_hit = !ret;
	}
	if (!ret && t->miss >= 0) {
		as.action = t->actnames[t->miss];
		ret = p4x_p4tc_act_value_build(j->m, j->p, td, &as, true,
					       &td->default_miss, j->err,
					       j->errsz);
		td->has_default_miss = !ret;
	}
	return ret;
}

static int json_table(const struct jctx *j, struct json_object *jt)
{
	struct jtable t = {.spec = {.sz = sizeof(t.spec)}};
	char path[P4X_P4TC_NAMSZ + P4X_P4TC_PATHSZ], e[256];
	const char *tname;
	int ret = jstr(j, jt, "table", "name", &tname);

	if (!ret)
		ret = table_scalars(j, jt, tname, &t);
	if (!ret)
		ret = json_keys(j, jt, tname, t.keys, &t.nkeys);
	if (!ret)
		ret = table_actions(j, jt, tname, &t);
	if (ret)
		return ret;
	t.spec.type = table_type_of(t.keys, t.nkeys);
	snprintf(path, sizeof(path), "%s/%s", j->p->name, tname);
	ret = p4x_p4tc__table_create(j->m, path, &t.spec, e, sizeof(e));
	if (!ret)
		ret = p4x_p4tc__table_set_keys(j->m, path, t.keys, t.nkeys, e,
					       sizeof(e));
	if (ret)
		return p4x_p4tc_errf(j->err, j->errsz, ret, "%s: %s", j->file,
				     e);
	return table_defaults(j, path, &t);
}

/* --- externs ------------------------------------------------------------- */

static int inst_param(const struct jctx *j, struct json_object *o,
		      const char *where, struct p4x_p4tc_ext_param_def *pd)
{
	const char *s = "";
	int ret = jstr(j, o, where, "name", &s);

	if (!ret && strlen(s) >= sizeof(pd->name))
		return jerr(j, where, "name too long", s);
	if (!ret)
		strcpy(pd->name, s);
	if (!ret)
		ret = jnum32(j, o, where, "id", &pd->id);
	if (!ret)
		ret = jtype(j, o, where, &pd->type);
	if (!ret)
		ret = jstr(j, o, where, "attr", &s);
	pd->is_key = !ret && !strcmp(s, "tc_key");
	return ret;
}

static int json_inst(const struct jctx *j, struct json_object *ji,
		     const char *kind)
{
	struct p4x_p4tc_extern_inst_def d = {0};
	struct json_object *arr, *it;
	char where[160], path[256], e[256];
	const char *name;
	int ret = jstr(j, ji, kind, "inst_name", &name);

	snprintf(where, sizeof(where), "extern %s instance %s", kind,
		 ret ? "?" : name);
	if (!ret)
		ret = jnum32(j, ji, where, "inst_id", &d.id);
	if (!ret)
		ret = jarray(j, ji, where, "params", &arr);
	it = jget(ji, "inst_type", json_type_string);
	if (it)
		snprintf(d.inst_type, sizeof(d.inst_type), "%s",
			 json_object_get_string(it));
	d.nparams = ret ? 0 : json_object_array_length(arr);
	if (d.nparams > P4X_P4TC_MAX_PARAMS)
		return jerr(j, where, "too many params", NULL);
	for (uint32_t i = 0; !ret && i < d.nparams; i++)
		ret = inst_param(j, json_object_array_get_idx(arr, i), where,
				 &d.params[i]);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/%s/%s", j->p->name, kind, name);
	ret = p4x_p4tc__extern_inst_create(j->m, path, &d, e, sizeof(e));
	return ret ? p4x_p4tc_errf(j->err, j->errsz, ret, "%s: %s", j->file, e)
		   : 0;
}

static int json_extern(const struct jctx *j, struct json_object *jx)
{
	struct p4x_p4tc_extern_def d = {0};
	const struct p4x_p4tc_extern_def *old;
	struct json_object *insts;
	const char *name;
	uint64_t perm;
	char e[256];
	int ret = jstr(j, jx, "extern", "name", &name);

	if (!ret && strlen(name) >= sizeof(d.name))
		return jerr(j, "extern", "name too long", name);
	if (!ret)
		ret = jnum32(j, jx, name, "id", &d.id);
	if (!ret)
		ret = jnum(j, jx, name, "permissions", P4X_P4TC_PERM_MASK,
			   &perm);
	if (!ret)
		ret = jarray(j, jx, name, "instances", &insts);
	if (ret)
		return ret;
	strcpy(d.name, name);
	d.permissions = (uint16_t)perm;
	d.numinstances = json_object_array_length(insts);
	old = p4x_p4tc__extern_get(j->m, name);
	if (old && (old->id != d.id || old->permissions != d.permissions))
		return jerr(j, name, "differs from the extern already loaded",
			    NULL);
	if (!old && (ret = p4x_p4tc__extern_create(j->m, &d, e, sizeof(e))))
		return p4x_p4tc_errf(j->err, j->errsz, ret, "%s: %s", j->file,
				     e);
	for (uint32_t i = 0; !ret && i < d.numinstances; i++)
		ret = json_inst(j, json_object_array_get_idx(insts, i), name);
	return ret;
}

/* --- file ---------------------------------------------------------------- */

static int json_pipeline(struct jctx *j, struct json_object *root)
{
	struct json_object *tables, *externs;
	const char *name;
	uint64_t id = 0;
	size_t n;
	char e[256];
	int ret = jstr(j, root, "root", "pipeline_name", &name);

	if (!ret)
		ret = jarray(j, root, "root", "tables", &tables);
	if (!ret && jget(root, "id", json_type_int))
		ret = jnum(j, root, "root", "id", UINT32_MAX, &id);
	if (ret)
		return ret;
	ret = p4x_p4tc__pipeline_create(j->m, name, (uint32_t)id,
					json_object_array_length(tables), e,
					sizeof(e));
	if (ret)
		return p4x_p4tc_errf(j->err, j->errsz, ret, "%s: %s", j->file,
				     e);
	j->p = p4x_p4tc__pipeline_get(j->m, name);
	j->p->intro_tried = true; /* this file is its introspection */
	externs = jget(root, "externs", json_type_array);
	n = externs ? json_object_array_length(externs) : 0;
	for (size_t i = 0; !ret && i < n; i++)
		ret = json_extern(j, json_object_array_get_idx(externs, i));
	for (size_t i = 0; !ret && i < json_object_array_length(tables); i++)
		ret = json_table(j, json_object_array_get_idx(tables, i));
	return ret;
}

int p4x_p4tc__load_json(struct p4x_p4tc *m, const char *path, char *err,
			size_t errsz)
{
	struct jctx j = {.m = m, .file = path, .err = err, .errsz = errsz};
	struct p4x_p4tc_snapshot sn;
	struct json_object *root;
	int ret;

	root = json_object_from_file(path);
	if (!root)
		return p4x_p4tc_errf(err, errsz,
				     errno == ENOENT ? -ENOENT : -EINVAL,
				     "%s: %s", path, json_util_get_last_err());
	p4x_p4tc_snapshot_take(m, &sn);
	ret = json_object_is_type(root, json_type_object)
		      ? json_pipeline(&j, root)
		      : jerr(&j, "root", "not a JSON object", NULL);
	if (ret)
		p4x_p4tc_snapshot_restore(m, &sn);
	json_object_put(root);
	return ret;
}

int p4x_p4tc_intro_load(const struct p4x_p4tc *m, const char *name,
			struct p4x_p4tc **intro, char *err, size_t errsz)
{
	struct p4x_p4tc_opts o = {.sz = sizeof(o),
				  .introspection_dir = m->introdir,
				  .dev = &m->dev};
	char path[PATH_MAX + P4X_P4TC_NAMSZ + 8];
	int ret;

	*intro = NULL;
	snprintf(path, sizeof(path), "%s/%s.json", m->introdir, name);
	if (access(path, F_OK))
		return -ENOENT;
	*intro = p4x_p4tc__new(&o);
	if (!*intro)
		return p4x_p4tc_errf(err, errsz, -ENOMEM, "out of memory");
	ret = p4x_p4tc__load_json(*intro, path, err, errsz);
	if (!ret && !p4x_p4tc__pipeline_get(*intro, name))
		ret = p4x_p4tc_errf(err, errsz, -EINVAL,
				    "%s: pipeline_name is not %s", path, name);
	if (ret) {
		p4x_p4tc__free(*intro);
		*intro = NULL;
	}
	return ret;
}
