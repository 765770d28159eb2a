// SPDX-License-Identifier: BSD-3-Clause
/*
 * Template vs introspection cross-check: the same pipeline loaded from
 * P.template and from P.json must describe the same objects. Each
 * disagreement is reported with both files, the object, the field and
 * both values.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "p4tc_priv.h"

#define ABSENT "(absent)"

struct xc {
	const struct p4x_p4tc *tm, *jm;
	const struct p4x_p4tc_pipeline *tp, *jp;
	const char *tfile, *jfile;
	p4x_p4tc_report_fn report;
	void *arg;
	int count;
};

static void differ(struct xc *x, const char *object, const char *field,
		   const char *tv, const char *jv)
{
	struct p4x_p4tc_disagreement d = {object, field, tv, jv, NULL};
	char msg[768];

	x->count++;
	if (!x->report)
		return;
	snprintf(msg, sizeof(msg), "%s vs %s: %s: %s: template %s, json %s",
		 x->tfile, x->jfile, object, field, tv, jv);
	d.msg = msg;
	x->report(x->arg, &d);
}

static void cmp_u(struct xc *x, const char *object, const char *field,
		  uint64_t tv, uint64_t jv, bool hex)
{
	char a[32], b[32];

	if (tv == jv)
		return;
	snprintf(a, sizeof(a), hex ? "0x%llx" : "%llu", (unsigned long long)tv);
	snprintf(b, sizeof(b), hex ? "0x%llx" : "%llu", (unsigned long long)jv);
	differ(x, object, field, a, b);
}

static void cmp_s(struct xc *x, const char *object, const char *field,
		  const char *tv, const char *jv)
{
	if (strcmp(tv, jv))
		differ(x, object, field, tv, jv);
}

static void cmp_type(struct xc *x, const char *object, const char *field,
		     const struct p4x_p4tc_type *tt,
		     const struct p4x_p4tc_type *jt)
{
	char a[32], b[32];

	p4x_p4tc_type__name(tt, a, sizeof(a));
	p4x_p4tc_type__name(jt, b, sizeof(b));
	if (!p4x_p4tc_type__equal(tt, jt))
		differ(x, object, field, a, b);
}

/* --- actions ------------------------------------------------------------- */

static void cmp_params(struct xc *x, const char *obj,
		       const struct p4x_p4tc_action_def *ta,
		       const struct p4x_p4tc_action_def *ja)
{
	char f[96];

	cmp_u(x, obj, "number of params", ta->nparams, ja->nparams, false);
	for (uint32_t i = 0; i < ta->nparams && i < ja->nparams; i++) {
		const struct p4x_p4tc_param_def *tp = &ta->params[i];
		const struct p4x_p4tc_param_def *jp = &ja->params[i];

		snprintf(f, sizeof(f), "param %u name", i + 1);
		cmp_s(x, obj, f, tp->name, jp->name);
		snprintf(f, sizeof(f), "param %s id", tp->name);
		cmp_u(x, obj, f, tp->id, jp->id, false);
		snprintf(f, sizeof(f), "param %s type", tp->name);
		cmp_type(x, obj, f, &tp->type, &jp->type);
	}
}

static void check_actions(struct xc *x)
{
	const struct p4x_p4tc_action_def *ta, *ja;
	char obj[96];

	for (unsigned int i = 0; (ta = p4x_p4tc_pipeline__action_at(x->tp, i));
	     i++) {
		snprintf(obj, sizeof(obj), "action %s", ta->name);
		ja = p4x_p4tc_pipeline__action(x->jp, ta->name);
		if (!ja) {
			differ(x, obj, "present", "yes", ABSENT);
			continue;
		}
		cmp_u(x, obj, "id", ta->id, ja->id, false);
		cmp_params(x, obj, ta, ja);
	}
	for (unsigned int i = 0; (ja = p4x_p4tc_pipeline__action_at(x->jp, i));
	     i++) {
		snprintf(obj, sizeof(obj), "action %s", ja->name);
		if (!p4x_p4tc_pipeline__action(x->tp, ja->name))
			differ(x, obj, "present", ABSENT, "yes");
	}
}

/* --- tables -------------------------------------------------------------- */

static const char *act_name(const struct p4x_p4tc_pipeline *p, uint32_t id)
{
	const struct p4x_p4tc_action_def *a =
		p4x_p4tc_pipeline__action_by_id(p, id);

	return !id ? "NoAction" : a ? a->name : "?";
}

static const char *flags_name(uint8_t f)
{
	return f & P4X_P4TC_ACT_TABLE_ONLY     ? "tableonly"
	       : f & P4X_P4TC_ACT_DEFAULT_ONLY ? "defaultonly"
					       : "none";
}

static const struct p4x_p4tc_table_act *
find_act(const struct p4x_p4tc_table_def *t, const struct p4x_p4tc_pipeline *p,
	 const char *name)
{
	for (uint32_t i = 0; i < t->nacts; i++)
		if (!strcmp(act_name(p, t->acts[i].act_id), name))
			return &t->acts[i];
	return NULL;
}

/* NoAction is implicit: p4c lists it in templates, never in JSON. */
static void check_table_acts(struct xc *x, const char *obj,
			     const struct p4x_p4tc_table_def *tt,
			     const struct p4x_p4tc_table_def *jt)
{
	const struct p4x_p4tc_table_act *o;
	char f[128];

	for (uint32_t i = 0; i < tt->nacts; i++) {
		const char *n = act_name(x->tp, tt->acts[i].act_id);

		if (!tt->acts[i].act_id)
			continue;
		snprintf(f, sizeof(f), "table_acts %s", n);
		o = find_act(jt, x->jp, n);
		if (!o)
			differ(x, obj, f, "listed", ABSENT);
		else
			cmp_s(x, obj, f, flags_name(tt->acts[i].flags),
			      flags_name(o->flags));
	}
	for (uint32_t i = 0; i < jt->nacts; i++) {
		const char *n = act_name(x->jp, jt->acts[i].act_id);

		snprintf(f, sizeof(f), "table_acts %s", n);
		if (!find_act(tt, x->tp, n))
			differ(x, obj, f, ABSENT, "listed");
	}
}

static const char *default_name(const struct p4x_p4tc_pipeline *p, bool has,
				const struct p4x_p4tc_act_value *v)
{
	return has && v->act_id ? act_name(p, v->act_id) : "none";
}

static void check_keys(struct xc *x, const char *obj,
		       const struct p4x_p4tc_table_def *tt,
		       const struct p4x_p4tc_table_def *jt)
{
	char a[64], b[64], f[128];

	if (P4X_BITS_TO_BYTES(tt->keysz) != jt->key_bytes) {
		snprintf(a, sizeof(a), "keysz %u = %u bytes", tt->keysz,
			 P4X_BITS_TO_BYTES(tt->keysz));
		snprintf(b, sizeof(b), "fields take %u bytes", jt->key_bytes);
		differ(x, obj, "key blob size", a, b);
	}
	if (!tt->nkeys)
		return; /* keys were not attached: nothing more to compare */
	cmp_u(x, obj, "number of key fields", tt->nkeys, jt->nkeys, false);
	for (uint32_t i = 0; i < tt->nkeys && i < jt->nkeys; i++) {
		snprintf(f, sizeof(f), "key field %u name", i + 1);
		cmp_s(x, obj, f, tt->keys[i].name, jt->keys[i].name);
		snprintf(f, sizeof(f), "key field %s type", tt->keys[i].name);
		cmp_type(x, obj, f, &tt->keys[i].type, &jt->keys[i].type);
		snprintf(f, sizeof(f), "key field %s match", tt->keys[i].name);
		cmp_s(x, obj, f, p4x_p4tc_match__name(tt->keys[i].match),
		      p4x_p4tc_match__name(jt->keys[i].match));
	}
}

static void check_table(struct xc *x, const struct p4x_p4tc_table_def *tt,
			const struct p4x_p4tc_table_def *jt)
{
	char obj[96];

	snprintf(obj, sizeof(obj), "table %s", tt->name);
	cmp_u(x, obj, "id", tt->id, jt->id, false);
	cmp_s(x, obj, "type", p4x_p4tc_table_type__name(tt->type),
	      p4x_p4tc_table_type__name(jt->type));
	cmp_u(x, obj, "keysz", tt->keysz, jt->keysz, false);
	cmp_u(x, obj, "tentries", tt->tentries, jt->tentries, false);
	cmp_u(x, obj, "permissions", tt->permissions, jt->permissions, true);
	if (tt->type != P4X_P4TC_TABLE_EXACT ||
	    jt->type != P4X_P4TC_TABLE_EXACT)
		cmp_u(x, obj, "nummasks", tt->nummasks, jt->nummasks, false);
	check_keys(x, obj, tt, jt);
	check_table_acts(x, obj, tt, jt);
	cmp_s(x, obj, "default_hit_action",
	      default_name(x->tp, tt->has_default_hit, &tt->default_hit),
	      default_name(x->jp, jt->has_default_hit, &jt->default_hit));
	cmp_s(x, obj, "default_miss_action",
	      default_name(x->tp, tt->has_default_miss, &tt->default_miss),
	      default_name(x->jp, jt->has_default_miss, &jt->default_miss));
}

static void check_tables(struct xc *x)
{
	const struct p4x_p4tc_table_def *tt, *jt;
	char obj[96];

	for (unsigned int i = 0; (tt = p4x_p4tc_pipeline__table_at(x->tp, i));
	     i++) {
		jt = p4x_p4tc_pipeline__table(x->jp, tt->name);
		snprintf(obj, sizeof(obj), "table %s", tt->name);
		if (jt)
			check_table(x, tt, jt);
		else
			differ(x, obj, "present", "yes", ABSENT);
	}
	for (unsigned int i = 0; (jt = p4x_p4tc_pipeline__table_at(x->jp, i));
	     i++) {
		snprintf(obj, sizeof(obj), "table %s", jt->name);
		if (!p4x_p4tc_pipeline__table(x->tp, jt->name))
			differ(x, obj, "present", ABSENT, "yes");
	}
}

/* --- externs ------------------------------------------------------------- */

static void cmp_inst(struct xc *x, const struct p4x_p4tc_extern_inst_def *ti,
		     const struct p4x_p4tc_extern_inst_def *ji)
{
	char obj[128], f[96];

	snprintf(obj, sizeof(obj), "extern_inst %s/%s", ti->kind, ti->name);
	cmp_u(x, obj, "id", ti->id, ji->id, false);
	cmp_u(x, obj, "number of params", ti->nparams, ji->nparams, false);
	for (uint32_t i = 0; i < ti->nparams && i < ji->nparams; i++) {
		const struct p4x_p4tc_ext_param_def *a = &ti->params[i];
		const struct p4x_p4tc_ext_param_def *b = &ji->params[i];

		snprintf(f, sizeof(f), "param %u name", i + 1);
		cmp_s(x, obj, f, a->name, b->name);
		snprintf(f, sizeof(f), "param %s id", a->name);
		cmp_u(x, obj, f, a->id, b->id, false);
		snprintf(f, sizeof(f), "param %s type", a->name);
		cmp_type(x, obj, f, &a->type, &b->type);
		snprintf(f, sizeof(f), "param %s attr", a->name);
		cmp_s(x, obj, f, a->is_key ? "tc_key" : "param",
		      b->is_key ? "tc_key" : "param");
	}
}

static void check_kind(struct xc *x, const char *kind)
{
	const struct p4x_p4tc_extern_def *te =
		p4x_p4tc__extern_get(x->tm, kind);
	const struct p4x_p4tc_extern_def *je =
		p4x_p4tc__extern_get(x->jm, kind);
	char obj[64];

	snprintf(obj, sizeof(obj), "extern %s", kind);
	if (!te || !je) {
		differ(x, obj, "present", te ? "yes" : ABSENT,
		       je ? "yes" : ABSENT);
		return;
	}
	cmp_u(x, obj, "id", te->id, je->id, true);
	cmp_u(x, obj, "permissions", te->permissions, je->permissions, true);
	cmp_u(x, obj, "numinstances", te->numinstances, je->numinstances,
	      false);
}

static bool kind_seen(const struct p4x_p4tc_pipeline *p, unsigned int upto,
		      const char *kind)
{
	for (unsigned int i = 0; i < upto; i++)
		if (!strcmp(p4x_p4tc_pipeline__extern_inst_at(p, i)->kind,
			    kind))
			return true;
	return false;
}

static void check_externs(struct xc *x)
{
	const struct p4x_p4tc_extern_inst_def *ti, *ji;
	char obj[128];

	for (unsigned int i = 0;
	     (ti = p4x_p4tc_pipeline__extern_inst_at(x->tp, i)); i++) {
		if (!kind_seen(x->tp, i, ti->kind))
			check_kind(x, ti->kind);
		ji = p4x_p4tc_pipeline__extern_inst(x->jp, ti->kind, ti->name);
		snprintf(obj, sizeof(obj), "extern_inst %s/%s", ti->kind,
			 ti->name);
		if (ji)
			cmp_inst(x, ti, ji);
		else
			differ(x, obj, "present", "yes", ABSENT);
	}
	for (unsigned int i = 0;
	     (ji = p4x_p4tc_pipeline__extern_inst_at(x->jp, i)); i++) {
		if (!kind_seen(x->jp, i, ji->kind) &&
		    !p4x_p4tc_pipeline__extern_inst(x->tp, ji->kind, ji->name))
			check_kind(x, ji->kind);
		snprintf(obj, sizeof(obj), "extern_inst %s/%s", ji->kind,
			 ji->name);
		if (!p4x_p4tc_pipeline__extern_inst(x->tp, ji->kind, ji->name))
			differ(x, obj, "present", ABSENT, "yes");
	}
}

int p4x_p4tc__cross_check(const struct p4x_p4tc *tmpl, const char *tmpl_file,
			  const struct p4x_p4tc *json, const char *json_file,
			  const char *name, p4x_p4tc_report_fn report,
			  void *arg)
{
	struct xc x = {.tm = tmpl,
		       .jm = json,
		       .tfile = tmpl_file,
		       .jfile = json_file,
		       .report = report,
		       .arg = arg};
	char obj[64];

	x.tp = p4x_p4tc__pipeline_get(tmpl, name);
	x.jp = p4x_p4tc__pipeline_get(json, name);
	if (!x.tp || !x.jp)
		return -ENOENT;
	snprintf(obj, sizeof(obj), "pipeline %s", name);
	cmp_u(&x, obj, "numtables", x.tp->numtables, x.jp->numtables, false);
	check_actions(&x);
	check_tables(&x);
	check_externs(&x);
	return x.count;
}
