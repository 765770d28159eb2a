// SPDX-License-Identifier: BSD-3-Clause
/*
 * "get" output. Each object is described once, as a json-c tree; the
 * JSON form prints that tree, the text form renders the same tree as
 * lines: an object's scalars on one line headed by its kind and name,
 * each element of its arrays (and each nested object) on an indented
 * line below it.
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "p4tc_priv.h"

static void add_str(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static void add_u(struct json_object *o, const char *k, uint64_t v)
{
	json_object_object_add(o, k, json_object_new_int64((int64_t)v));
}

static void add_bool(struct json_object *o, const char *k, bool v)
{
	json_object_object_add(o, k, json_object_new_boolean(v));
}

static void add_hex(struct json_object *o, const char *k, uint32_t v)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "0x%x", v);
	add_str(o, k, buf);
}

static void add_type(struct json_object *o, const struct p4x_p4tc_type *t)
{
	char tn[32];

	p4x_p4tc_type__name(t, tn, sizeof(tn));
	add_str(o, "type", tn);
}

static struct json_object *add_array(struct json_object *o, const char *k)
{
	struct json_object *a = json_object_new_array();

	json_object_object_add(o, k, a);
	return a;
}

static struct json_object *action_json(const struct p4x_p4tc_action_def *a)
{
	struct json_object *o = json_object_new_object(), *arr;

	add_str(o, "name", a->name);
	add_u(o, "id", a->id);
	add_bool(o, "active", a->active);
	arr = add_array(o, "params");
	for (uint32_t i = 0; i < a->nparams; i++) {
		struct json_object *po = json_object_new_object();

		add_str(po, "name", a->params[i].name);
		add_u(po, "id", a->params[i].id);
		add_type(po, &a->params[i].type);
		add_bool(po, "runtime", a->params[i].runtime);
		json_object_array_add(arr, po);
	}
	return o;
}

static const char *act_name(const struct p4x_p4tc_pipeline *p, uint32_t id)
{
	const struct p4x_p4tc_action_def *a =
		p4x_p4tc_pipeline__action_by_id(p, id);

	return !id ? "NoAction" : a ? a->name : "?";
}

/* Add "action", "permissions" and "params" of @v to @o; returns @o. */
static struct json_object *act_value_json(struct json_object *o,
					  const struct p4x_p4tc_act_value *v,
					  const struct p4x_p4tc_pipeline *p,
					  const struct p4x_p4tc *m)
{
	const struct p4x_p4tc_action_def *a =
		p4x_p4tc_pipeline__action_by_id(p, v->act_id);
	struct json_object *arr;
	char val[160];

	add_str(o, "action", act_name(p, v->act_id));
	if (v->has_permissions)
		add_hex(o, "permissions", v->permissions);
	arr = add_array(o, "params");
	for (uint32_t i = 0; a && i < a->nparams; i++) {
		const struct p4x_p4tc_param_def *d = &a->params[i];
		uint32_t bit = 1u << (d->id - 1);
		struct json_object *po;
		struct p4x_p4tc_value pv;

		if (!((v->set_mask | v->runtime_mask) & bit))
			continue;
		po = json_object_new_object();
		add_str(po, "name", d->name);
		if (v->set_mask & bit) {
			p4x_p4tc_value__unpack(&d->type, v->params + d->offset,
					       NULL, &pv);
			p4x_p4tc_value__print(&d->type, &pv, &m->dev, val,
					      sizeof(val));
			add_str(po, "value", val);
		} else {
			add_bool(po, "runtime", true);
		}
		json_object_array_add(arr, po);
	}
	return o;
}

static struct json_object *entry_json(const struct p4x_p4tc_table_def *t,
				      const struct p4x_p4tc_entry_def *e,
				      const struct p4x_p4tc_pipeline *p,
				      const struct p4x_p4tc *m)
{
	struct json_object *o = json_object_new_object();
	struct json_object *keys = add_array(o, "keys");
	char buf[160];

	for (uint32_t k = 0; k < t->nkeys; k++) {
		const struct p4x_p4tc_key_def *kd = &t->keys[k];
		struct json_object *ko = json_object_new_object();
		struct p4x_p4tc_value v;

		p4x_p4tc_value__unpack(&kd->type, e->key + kd->offset,
				       e->mask + kd->offset, &v);
		p4x_p4tc_value__print(&kd->type, &v, &m->dev, buf, sizeof(buf));
		add_str(ko, "name", kd->name);
		add_str(ko, "value", buf);
		json_object_array_add(keys, ko);
	}
	add_u(o, "prio", e->prio);
	if (e->has_permissions)
		add_hex(o, "permissions", e->permissions);
	if (e->has_action)
		act_value_json(o, &e->act, p, m);
	return o;
}

static void table_lists(struct json_object *o,
			const struct p4x_p4tc_table_def *t,
			const struct p4x_p4tc_pipeline *p)
{
	struct json_object *keys = add_array(o, "keys");
	struct json_object *acts = add_array(o, "acts");

	for (uint32_t i = 0; i < t->nkeys; i++) {
		struct json_object *ko = json_object_new_object();

		add_str(ko, "name", t->keys[i].name);
		add_u(ko, "id", t->keys[i].id);
		add_type(ko, &t->keys[i].type);
		add_str(ko, "match", p4x_p4tc_match__name(t->keys[i].match));
		json_object_array_add(keys, ko);
	}
	for (uint32_t i = 0; i < t->nacts; i++) {
		struct json_object *ao = json_object_new_object();
		uint8_t f = t->acts[i].flags;

		add_str(ao, "name", act_name(p, t->acts[i].act_id));
		add_str(ao, "flags",
			f & P4X_P4TC_ACT_TABLE_ONLY	? "tableonly"
			: f & P4X_P4TC_ACT_DEFAULT_ONLY ? "defaultonly"
							: "none");
		json_object_array_add(acts, ao);
	}
}

static struct json_object *table_json(const struct p4x_p4tc_table_def *t,
				      const struct p4x_p4tc_pipeline *p,
				      const struct p4x_p4tc *m)
{
	struct json_object *o = json_object_new_object(), *arr;

	add_str(o, "name", t->name);
	add_u(o, "id", t->id);
	add_str(o, "type", p4x_p4tc_table_type__name(t->type));
	add_u(o, "keysz", t->keysz);
	add_hex(o, "permissions", t->permissions);
	add_u(o, "tentries", t->tentries);
	add_u(o, "nummasks", t->nummasks);
	if (t->direct_counter[0])
		add_str(o, "pna_direct_counter", t->direct_counter);
	if (t->direct_meter[0])
		add_str(o, "pna_direct_meter", t->direct_meter);
	table_lists(o, t, p);
	if (t->has_default_hit)
		json_object_object_add(o, "default_hit_action",
				       act_value_json(json_object_new_object(),
						      &t->default_hit, p, m));
	if (t->has_default_miss)
		json_object_object_add(o, "default_miss_action",
				       act_value_json(json_object_new_object(),
						      &t->default_miss, p, m));
	arr = add_array(o, "entries");
	for (uint32_t i = 0; i < t->nentries; i++)
		json_object_array_add(arr, entry_json(t, &t->entries[i], p, m));
	return o;
}

static struct json_object *extern_json(const struct p4x_p4tc_extern_def *e)
{
	struct json_object *o = json_object_new_object();

	add_str(o, "name", e->name);
	add_hex(o, "id", e->id);
	add_u(o, "numinstances", e->numinstances);
	add_hex(o, "permissions", e->permissions);
	add_bool(o, "has_exec_method", e->has_exec_method);
	return o;
}

static struct json_object *
extern_inst_json(const struct p4x_p4tc_extern_inst_def *e)
{
	struct json_object *o = json_object_new_object(), *arr;
	char name[2 * P4X_P4TC_PATHSZ];

	snprintf(name, sizeof(name), "%s/%s", e->kind, e->name);
	add_str(o, "name", name);
	add_u(o, "id", e->id);
	add_u(o, "numel", e->numel);
	add_bool(o, "tbl_bindable", e->tbl_bindable);
	arr = add_array(o, "params");
	for (uint32_t i = 0; i < e->nparams; i++) {
		struct json_object *po = json_object_new_object();

		add_str(po, "name", e->params[i].name);
		add_u(po, "id", e->params[i].id);
		add_type(po, &e->params[i].type);
		add_str(po, "attr", e->params[i].is_key ? "tc_key" : "param");
		json_object_array_add(arr, po);
	}
	return o;
}

static struct json_object *pipeline_json(const struct p4x_p4tc_pipeline *p,
					 const struct p4x_p4tc *m)
{
	struct json_object *o = json_object_new_object(), *arr;

	add_str(o, "name", p->name);
	add_u(o, "id", p->id);
	add_u(o, "numtables", p->numtables);
	add_bool(o, "sealed", p->sealed);
	arr = add_array(o, "actions");
	for (uint32_t i = 0; i < p->nacts; i++)
		json_object_array_add(arr, action_json(p->acts[i]));
	arr = add_array(o, "tables");
	for (uint32_t i = 0; i < p->ntables; i++)
		json_object_array_add(arr, table_json(p->tables[i], p, m));
	arr = add_array(o, "extern_instances");
	for (uint32_t i = 0; i < p->ninsts; i++)
		json_object_array_add(arr, extern_inst_json(p->insts[i]));
	return o;
}

/* --- rendering ----------------------------------------------------------- */

/* "params" -> "param", "entries" -> "entry", "extern_instances" -> ... */
static void singular(const char *plural, char *buf, size_t sz)
{
	size_t n = strlen(plural);

	if (n > 3 && !strcmp(plural + n - 3, "ies"))
		snprintf(buf, sz, "%.*sy", (int)(n - 3), plural);
	else if (n > 1 && plural[n - 1] == 's')
		snprintf(buf, sz, "%.*s", (int)(n - 1), plural);
	else
		snprintf(buf, sz, "%s", plural);
}

static void render(struct json_object *o, const char *head, int depth,
		   FILE *out)
{
	struct json_object *name;
	char sub[64];

	for (int i = 0; i < depth; i++)
		fputc('\t', out);
	fputs(head, out);
	if (json_object_object_get_ex(o, "name", &name))
		fprintf(out, " %s", json_object_get_string(name));
	json_object_object_foreach(o, k, v)
	{
		if (!strcmp(k, "name") ||
		    json_object_is_type(v, json_type_array) ||
		    json_object_is_type(v, json_type_object))
			continue;
		fprintf(out, " %s %s", k, json_object_get_string(v));
	}
	fputc('\n', out);
	json_object_object_foreach(o, k2, v2)
	{
		if (json_object_is_type(v2, json_type_object))
			render(v2, k2, depth + 1, out);
		if (!json_object_is_type(v2, json_type_array))
			continue;
		singular(k2, sub, sizeof(sub));
		for (size_t i = 0; i < json_object_array_length(v2); i++)
			render(json_object_array_get_idx(v2, i), sub, depth + 1,
			       out);
	}
}

static void emit(struct json_object *o, const char *head, bool json, FILE *out)
{
	if (json)
		fprintf(out, "%s\n",
			json_object_to_json_string_ext(
				o, JSON_C_TO_STRING_PRETTY |
					   JSON_C_TO_STRING_NOSLASHESCAPE));
	else
		render(o, head, 0, out);
	json_object_put(o);
}

void p4x_p4tc_action__print(const struct p4x_p4tc_action_def *a, bool json,
			    FILE *out)
{
	emit(action_json(a), "action", json, out);
}

void p4x_p4tc_table__print(const struct p4x_p4tc_table_def *t,
			   const struct p4x_p4tc_pipeline *p,
			   const struct p4x_p4tc *m, bool json, FILE *out)
{
	emit(table_json(t, p, m), "table", json, out);
}

void p4x_p4tc_extern__print(const struct p4x_p4tc_extern_def *e, bool json,
			    FILE *out)
{
	emit(extern_json(e), "extern", json, out);
}

void p4x_p4tc_extern_inst__print(const struct p4x_p4tc_extern_inst_def *e,
				 bool json, FILE *out)
{
	emit(extern_inst_json(e), "extern_inst", json, out);
}

void p4x_p4tc_pipeline__print(const struct p4x_p4tc_pipeline *p,
			      const struct p4x_p4tc *m, bool json, FILE *out)
{
	emit(pipeline_json(p, m), "pipeline", json, out);
}
