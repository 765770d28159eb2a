// SPDX-License-Identifier: BSD-3-Clause
/* Text form of P4TC template objects ("get"). */
#include <stdio.h>
#include <string.h>

#include "p4tc_priv.h"

static void print_type(const struct p4x_p4tc_type *t, FILE *out)
{
	char tn[32];

	p4x_p4tc_type__name(t, tn, sizeof(tn));
	fputs(tn, out);
}

void p4x_p4tc_action__print(const struct p4x_p4tc_action_def *a, FILE *out)
{
	fprintf(out, "action %s id %u %s\n", a->name, a->id,
		a->active ? "active" : "inactive");
	for (uint32_t i = 0; i < a->nparams; i++) {
		fprintf(out, "\tparam %s type ", a->params[i].name);
		print_type(&a->params[i].type, out);
		fprintf(out, " id %u%s\n", a->params[i].id,
			a->params[i].runtime ? " flags runtime" : "");
	}
}

static const char *act_name(const struct p4x_p4tc_pipeline *p, uint32_t id)
{
	const struct p4x_p4tc_action_def *a =
		p ? p4x_p4tc_pipeline__action_by_id(p, id) : NULL;

	return !id ? "NoAction" : a ? a->name : "?";
}

static void print_act_value(const struct p4x_p4tc_act_value *v,
			    const struct p4x_p4tc_pipeline *p,
			    const struct p4x_p4tc *m, FILE *out)
{
	const struct p4x_p4tc_action_def *a =
		p ? p4x_p4tc_pipeline__action_by_id(p, v->act_id) : NULL;
	char perm[P4X_P4TC_PERM_STRLEN], val[160];

	if (v->has_permissions) {
		p4x_p4tc_perm__print(v->permissions, perm);
		fprintf(out, " permissions %s", perm);
	}
	fprintf(out, " action %s", act_name(p, v->act_id));
	for (uint32_t i = 0; a && i < a->nparams; i++) {
		const struct p4x_p4tc_param_def *d = &a->params[i];
		struct p4x_p4tc_value pv;
		uint32_t bit = 1u << (d->id - 1);

		if (v->runtime_mask & bit) {
			fprintf(out, " param %s flags runtime", d->name);
			continue;
		}
		if (!(v->set_mask & bit))
			continue;
		p4x_p4tc_value__unpack(&d->type, v->params + d->offset, NULL,
				       &pv);
		p4x_p4tc_value__print(&d->type, &pv, &m->dev, val, sizeof(val));
		fprintf(out, " param %s %s", d->name, val);
	}
}

static void print_entry(const struct p4x_p4tc_table_def *t,
			const struct p4x_p4tc_entry_def *e,
			const struct p4x_p4tc_pipeline *p,
			const struct p4x_p4tc *m, FILE *out)
{
	char buf[160];

	fputs("\tentry", out);
	for (uint32_t k = 0; k < t->nkeys; k++) {
		const struct p4x_p4tc_key_def *kd = &t->keys[k];
		struct p4x_p4tc_value v;

		p4x_p4tc_value__unpack(&kd->type, e->key + kd->offset,
				       e->mask + kd->offset, &v);
		p4x_p4tc_value__print(&kd->type, &v, &m->dev, buf, sizeof(buf));
		fprintf(out, " %s %s", kd->name, buf);
	}
	fprintf(out, " prio %u", e->prio);
	if (e->has_action)
		print_act_value(&e->act, p, m, out);
	fputc('\n', out);
}

void p4x_p4tc_table__print(const struct p4x_p4tc_table_def *t,
			   const struct p4x_p4tc_pipeline *p,
			   const struct p4x_p4tc *m, FILE *out)
{
	char perm[P4X_P4TC_PERM_STRLEN];

	p4x_p4tc_perm__print(t->permissions, perm);
	fprintf(out,
		"table %s id %u type %s keysz %u permissions %s tentries %u nummasks %u\n",
		t->name, t->id, p4x_p4tc_table_type__name(t->type), t->keysz,
		perm, t->tentries, t->nummasks);
	for (uint32_t i = 0; i < t->nkeys; i++) {
		fprintf(out, "\tkey %u %s type ", t->keys[i].id,
			t->keys[i].name);
		print_type(&t->keys[i].type, out);
		fprintf(out, " match %s\n",
			p4x_p4tc_match__name(t->keys[i].match));
	}
	for (uint32_t i = 0; i < t->nacts; i++)
		fprintf(out, "\tact %s%s%s\n", act_name(p, t->acts[i].act_id),
			t->acts[i].flags & P4X_P4TC_ACT_TABLE_ONLY
				? " flags tableonly" : "",
			t->acts[i].flags & P4X_P4TC_ACT_DEFAULT_ONLY
				? " flags defaultonly" : "");
	if (t->has_default_hit) {
		fputs("\tdefault_hit_action", out);
		print_act_value(&t->default_hit, p, m, out);
		fputc('\n', out);
	}
	if (t->has_default_miss) {
		fputs("\tdefault_miss_action", out);
		print_act_value(&t->default_miss, p, m, out);
		fputc('\n', out);
	}
	for (uint32_t i = 0; i < t->nentries; i++)
		print_entry(t, &t->entries[i], p, m, out);
}

void p4x_p4tc_extern__print(const struct p4x_p4tc_extern_def *e, FILE *out)
{
	char perm[P4X_P4TC_PERM_STRLEN];

	p4x_p4tc_perm__print(e->permissions, perm);
	fprintf(out, "extern %s extid 0x%x numinstances %u tc_acl %s%s\n",
		e->name, e->id, e->numinstances, perm,
		e->has_exec_method ? " has_exec_method" : "");
}

void p4x_p4tc_extern_inst__print(const struct p4x_p4tc_extern_inst_def *e,
				 FILE *out)
{
	fprintf(out, "extern_inst %s/%s instid %u tc_numel %u%s\n", e->kind,
		e->name, e->id, e->numel,
		e->tbl_bindable ? " tbl_bindable" : "");
	for (uint32_t i = 0; i < e->nparams; i++) {
		fprintf(out, "\t%s %s ptype ",
			e->params[i].is_key ? "tc_key" : "param",
			e->params[i].name);
		print_type(&e->params[i].type, out);
		fprintf(out, " id %u\n", e->params[i].id);
	}
}

void p4x_p4tc_pipeline__print(const struct p4x_p4tc_pipeline *p,
			      const struct p4x_p4tc *m, FILE *out)
{
	fprintf(out, "pipeline %s id %u numtables %u state %s\n", p->name,
		p->id, p->numtables, p->sealed ? "ready" : "not ready");
	for (uint32_t i = 0; i < p->nacts; i++)
		p4x_p4tc_action__print(p->acts[i], out);
	for (uint32_t i = 0; i < p->ntables; i++)
		p4x_p4tc_table__print(p->tables[i], p, m, out);
	for (uint32_t i = 0; i < p->ninsts; i++)
		p4x_p4tc_extern_inst__print(p->insts[i], out);
}
