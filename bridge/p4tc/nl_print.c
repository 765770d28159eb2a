// SPDX-License-Identifier: BSD-3-Clause
/* P4TC netlink codec: a text rendering of decoded messages, every field
 * (tests compare messages through it). */
#include <inttypes.h>

#include "nl_priv.h"

static void hex(FILE *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%02x", p[i]);
}

static void print_param(FILE *out, const char *ind,
			const struct p4x_p4tc_nl_param *p)
{
	fprintf(out, "%sparam %s id %u type %u bits %u flags 0x%x value ", ind,
		p->name, p->id, p->type_id, p->bitsz, p->flags);
	hex(out, p->value, p->len);
	if (p->mask_len) {
		fputs(" mask ", out);
		hex(out, p->mask, p->mask_len);
	}
	fputc('\n', out);
}

static void print_params(FILE *out, const char *ind,
			 const struct p4x_p4tc_nl_param *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		print_param(out, ind, &p[i]);
}

static void print_action(FILE *out, const char *ind,
			 const struct p4x_p4tc_nl_action *a)
{
	fprintf(out, "%saction kind '%s' name '%s' id %u", ind, a->kind,
		a->name, a->id);
	if (a->has_opt)
		fprintf(out, " index %u verdict %d ref %d bind %d", a->index,
			a->verdict, a->refcnt, a->bindcnt);
	if (a->has_tm)
		fprintf(out, " tm %" PRIu64 "/%" PRIu64 "/%" PRIu64 "/%" PRIu64,
			a->tm_install, a->tm_lastuse, a->tm_expires,
			a->tm_firstuse);
	fputc('\n', out);
	print_params(out, "      ", a->params, a->nparams);
}

static void print_default(FILE *out, const char *what,
			  const struct p4x_p4tc_nl_default *d)
{
	if (!d->present)
		return;
	fprintf(out, "    %s noaction %d", what, d->noaction);
	if (d->has_permissions)
		fprintf(out, " permissions 0x%x", d->permissions);
	fputc('\n', out);
	if (d->has_act)
		print_action(out, "     ", &d->act);
}

static void print_fnode(FILE *out, const struct p4x_p4tc_nl_fnode *f, int depth)
{
	fprintf(out, "%*sfilter ", 4 + 2 * depth, "");
	switch (f->type) {
	case P4X_P4TC_NL_FNODE_OP:
		fprintf(out, "op %u/%u\n", f->op_kind, f->op_value);
		for (int i = 0; i < 2; i++)
			if (f->child[i])
				print_fnode(out, f->child[i], depth + 1);
		return;
	case P4X_P4TC_NL_FNODE_CMD:
		fprintf(out, "cmd %u\n", f->cmd);
		return;
	case P4X_P4TC_NL_FNODE_EXT:
		fprintf(out, "ext '%s' id %u inst '%s'\n", f->act.name,
			f->act.id, f->ext_inst);
		print_params(out, "      ", f->act.params, f->act.nparams);
		return;
	case P4X_P4TC_NL_FNODE_ENTRY:
		fprintf(out, "entry present 0x%x key ", f->present);
		hex(out, f->key, f->key_len);
		fputs(" mask ", out);
		hex(out, f->mask, f->key_len);
		fprintf(out, " prio %u delta %u act '%s' id %u\n", f->prio,
			f->time_delta_ms, f->act.name, f->act.id);
		print_params(out, "      ", f->act.params, f->act.nparams);
		return;
	}
}

static void print_who(FILE *out, const struct p4x_p4tc_nl_entry *e)
{
	static const char *const what[] = {"created", "updated", "deleted"};

	for (int i = 0; i < 3; i++) {
		int f = P4X_P4TC_NL_F_WHO_CREATED_ENT + 3 * i;

		if ((e->present >> f) & 1u)
			fprintf(out, " %s_ent %u", what[i], e->who_ent[i]);
		if ((e->present >> (f + 1)) & 1u)
			fprintf(out, " %s_by '%s'", what[i], e->who[i]);
		if ((e->present >> (f + 2)) & 1u)
			fprintf(out, " %s_pid %u", what[i], e->who_pid[i]);
	}
}

static void print_entry(FILE *out, const struct p4x_p4tc_nl_entry *e)
{
	fprintf(out, "  slot present 0x%x path", e->present);
	for (unsigned int i = 0; i < e->npath; i++)
		fprintf(out, " %u", e->path[i]);
	if (P4X_P4TC_NL_HAS(e, COUNT))
		fprintf(out, " count %u", e->count);
	if (P4X_P4TC_NL_HAS(e, TBLNAME))
		fprintf(out, " table '%s'", e->tblname);
	if (P4X_P4TC_NL_HAS(e, KEY)) {
		fputs(" key ", out);
		hex(out, e->key, e->key_len);
	}
	if (P4X_P4TC_NL_HAS(e, MASK)) {
		fputs(" mask ", out);
		hex(out, e->mask, e->key_len);
	}
	if (P4X_P4TC_NL_HAS(e, PRIO))
		fprintf(out, " prio %u", e->prio);
	if (P4X_P4TC_NL_HAS(e, PERMISSIONS))
		fprintf(out, " permissions 0x%x", e->permissions);
	if (P4X_P4TC_NL_HAS(e, WHODUNNIT))
		fprintf(out, " whodunnit %u", e->whodunnit);
	print_who(out, e);
	if (P4X_P4TC_NL_HAS(e, TM))
		fprintf(out, " tm %" PRIu64 "/%" PRIu64 "/%" PRIu64,
			e->tm_created, e->tm_lastused, e->tm_firstused);
	if (P4X_P4TC_NL_HAS(e, TMPL_CREATED))
		fprintf(out, " tmpl_created %u", e->tmpl_created);
	if (P4X_P4TC_NL_HAS(e, DYNAMIC))
		fprintf(out, " dynamic %u", e->dynamic);
	if (P4X_P4TC_NL_HAS(e, AGING))
		fprintf(out, " aging %" PRIu64, e->aging_ms);
	if (P4X_P4TC_NL_HAS(e, PROFILE_ID))
		fprintf(out, " profile %u", e->profile_id);
	fputc('\n', out);
	if (P4X_P4TC_NL_HAS(e, ACT))
		print_action(out, "    ", &e->act);
	for (uint32_t i = 0; i < e->nexterns; i++) {
		const struct p4x_p4tc_nl_ext *x = &e->externs[i];

		fprintf(out, "    extern %u kind '%s' inst '%s'", x->slot,
			x->kind, x->inst);
		if (x->has_key)
			fprintf(out, " key %u", x->key);
		fputc('\n', out);
		print_params(out, "      ", x->params, x->nparams);
	}
	if (e->tbl_attrs) {
		const struct p4x_p4tc_nl_tbl_attrs *t = e->tbl_attrs;

		fprintf(out,
			"    tbl_attrs perm %d/0x%x profile %d/%u/%" PRIu64
			"\n",
			t->has_permissions, t->permissions, t->has_profile,
			t->profile_id, t->profile_aging_ms);
		print_default(out, "default_hit", &t->dflt_hit);
		print_default(out, "default_miss", &t->dflt_miss);
	}
	if (e->filter)
		print_fnode(out, e->filter, 0);
}

static void print_tmpl_table(FILE *out, const struct p4x_p4tc_nl_tmpl *t)
{
	fprintf(out,
		"    table keysz %u max_entries %u max_masks %u entries %u "
		"type %u timer_profiles %u externs '%s' '%s'\n",
		t->keysz, t->max_entries, t->max_masks, t->num_entries, t->type,
		t->num_timer_profiles, t->ext_counter, t->ext_meter);
	for (uint32_t i = 0; i < t->nacts; i++)
		fprintf(out, "    act '%s' flags 0x%x\n", t->acts[i].name,
			t->acts[i].flags);
	for (uint32_t i = 0; i < t->ntimer_profiles; i++)
		fprintf(out, "    timer_profile %u aging %" PRIu64 "\n",
			t->timer_profiles[i].id, t->timer_profiles[i].aging_ms);
	print_default(out, "default_hit", &t->dflt_hit);
	print_default(out, "default_miss", &t->dflt_miss);
	if (t->entry) {
		fputs("    const entry:\n", out);
		print_entry(out, t->entry);
	}
}

static void print_tmpl(FILE *out, const struct p4x_p4tc_nl_tmpl *t)
{
	fprintf(out, "  object %u present 0x%x params %d name '%s' path",
		t->obj, t->present, t->has_params, t->name);
	for (unsigned int i = 0; i < t->npath; i++)
		fprintf(out, " %u", t->path[i]);
	fprintf(out,
		" numtables %u state %u active %u prealloc %u perm 0x%x "
		"insts %u exec %u ext '%s' elems %u bindable %u\n",
		t->numtables, t->state, t->active, t->num_prealloc,
		t->permissions, t->num_insts, t->has_exec_method, t->ext_name,
		t->num_elems, t->tbl_bindable);
	if (t->obj == P4TC_OBJ_TABLE)
		print_tmpl_table(out, t);
	print_params(out, "    ", t->params, t->nparams);
	if (t->nconstr)
		fputs("    constructor:\n", out);
	print_params(out, "    ", t->constr, t->nconstr);
}

void p4x_p4tc_nl_msg__print(const struct p4x_p4tc_nl_msg *m, FILE *out)
{
	fprintf(out, "%s %s type %u flags 0x%x seq %u portid %u",
		p4x_p4tc_nl_kind__name(m->kind),
		p4x_p4tc_nl_version__name(m->version), m->type, m->flags,
		m->seq, m->portid);
	if (m->kind == P4X_P4TC_NL_ERROR || m->kind == P4X_P4TC_NL_DONE) {
		fprintf(out, " error %d req %u extack '%s'", m->error,
			m->req_type, m->extack);
		if (m->has_batch)
			fprintf(out, " batch %u/%u", m->batch_ok, m->batch_n);
		fputc('\n', out);
		return;
	}
	fprintf(out, " pipeid %u obj %u pname '%s' slots %d", m->pipeid, m->obj,
		m->pname, m->root_slots);
	if (m->has_root_count)
		fprintf(out, " count %u", m->root_count);
	if (m->has_root_flags)
		fprintf(out, " root_flags 0x%x", m->root_flags);
	fputc('\n', out);
	for (uint32_t i = 0; i < m->nentries; i++)
		print_entry(out, &m->entries[i]);
	for (uint32_t i = 0; i < m->ntmpls; i++)
		print_tmpl(out, &m->tmpls[i]);
}
