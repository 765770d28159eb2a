// SPDX-License-Identifier: BSD-3-Clause
/* P4TC netlink encoder: the decoder's structs back into messages, with
 * the same uapi definitions and version maps as the decoder. */
#include <errno.h>
#include <string.h>

#include <linux/pkt_cls.h>

#include "nl_priv.h"

/* Writer: libmnl's bounded puts; the first failure sticks. */
struct nl_w {
	struct nlmsghdr *nlh;
	size_t sz;
	const struct nl_version_spec *spec;
	int err;
};

static void put(struct nl_w *w, uint16_t type, size_t len, const void *data)
{
	if (!w->err && !mnl_attr_put_check(w->nlh, w->sz, type, len, data))
		w->err = -ENOSPC;
}

static void put_u8(struct nl_w *w, uint16_t type, uint8_t v)
{
	put(w, type, 1, &v);
}

static void put_u16(struct nl_w *w, uint16_t type, uint16_t v)
{
	put(w, type, 2, &v);
}

static void put_u32(struct nl_w *w, uint16_t type, uint32_t v)
{
	put(w, type, 4, &v);
}

static void put_u64(struct nl_w *w, uint16_t type, uint64_t v)
{
	put(w, type, 8, &v);
}

static void put_str(struct nl_w *w, uint16_t type, const char *s)
{
	put(w, type, strlen(s) + 1, s);
}

static struct nlattr *nest(struct nl_w *w, uint16_t type)
{
	struct nlattr *n = NULL;

	if (!w->err) {
		n = mnl_attr_nest_start_check(w->nlh, w->sz, type);
		if (!n)
			w->err = -ENOSPC;
	}
	return n;
}

static void nest_end(struct nl_w *w, struct nlattr *n)
{
	if (!w->err)
		mnl_attr_nest_end(w->nlh, n);
}

/* The attributes of param @p into the current nest. */
static void put_param_attrs(struct nl_w *w, const struct p4x_p4tc_nl_param *p,
			    bool ext)
{
	struct nlattr *in;

	if (p->name[0])
		put_str(w, ext ? P4TC_EXT_PARAMS_NAME : P4TC_ACT_PARAMS_NAME,
			p->name);
	if (p->id)
		put_u32(w, ext ? P4TC_EXT_PARAMS_ID : P4TC_ACT_PARAMS_ID,
			p->id);
	if (ext && p->type_id)
		put_u32(w, P4TC_EXT_PARAMS_TYPE, p->type_id);
	if (ext && p->bitsz)
		put_u32(w, P4TC_EXT_PARAMS_BITSZ, p->bitsz);
	if (ext)
		put_u32(w, P4TC_EXT_PARAMS_FLAGS, p->flags);
	if (!ext && p->type_id) {
		in = nest(w, P4TC_ACT_PARAMS_TYPE);
		put_u16(w, P4TC_ACT_PARAMS_TYPE_BITEND,
			(uint16_t)(p->bitsz - 1));
		put_u32(w, P4TC_ACT_PARAMS_TYPE_CONTAINER_ID, p->type_id);
		nest_end(w, in);
	}
	if (!ext)
		put_u8(w, P4TC_ACT_PARAMS_FLAGS, (uint8_t)p->flags);
	if (p->len) {
		in = nest(w,
			  ext ? P4TC_EXT_PARAMS_VALUE : P4TC_ACT_PARAMS_VALUE);
		put(w, P4TC_ACT_PARAMS_VALUE_RAW, p->len, p->value);
		nest_end(w, in);
	}
	if (!ext && p->mask_len)
		put(w, P4TC_ACT_PARAMS_MASK, p->mask_len, p->mask);
}

static void put_param(struct nl_w *w, uint16_t slot,
		      const struct p4x_p4tc_nl_param *p, bool ext)
{
	struct nlattr *n = nest(w, slot);

	put_param_attrs(w, p, ext);
	nest_end(w, n);
}

static void put_params(struct nl_w *w, uint16_t type,
		       const struct p4x_p4tc_nl_param *p, uint32_t n, bool ext)
{
	struct nlattr *ps = nest(w, type);

	for (uint32_t i = 0; i < n; i++)
		put_param(w, (uint16_t)(i + 1), &p[i], ext);
	nest_end(w, ps);
}

static void put_action_list(struct nl_w *w, uint16_t type,
			    const struct p4x_p4tc_nl_action *a)
{
	struct nlattr *list = nest(w, type), *one = nest(w, 1), *opts;

	put_str(w, TCA_ACT_KIND, a->kind);
	opts = nest(w, TCA_ACT_OPTIONS);
	if (a->name[0])
		put_str(w, P4TC_ACT_NAME, a->name);
	if (a->has_opt) {
		struct tc_act_p4 opt = {a->index, 0, a->verdict, a->refcnt,
					a->bindcnt};

		put(w, P4TC_ACT_OPT, sizeof(opt), &opt);
	}
	if (a->has_tm) {
		struct tcf_t tm = {a->tm_install, a->tm_lastuse, a->tm_expires,
				   a->tm_firstuse};

		put(w, P4TC_ACT_TM, sizeof(tm), &tm);
	}
	if (a->nparams)
		put_params(w, P4TC_ACT_PARMS, a->params, a->nparams, false);
	nest_end(w, opts);
	nest_end(w, one);
	nest_end(w, list);
}

static void put_default(struct nl_w *w, uint16_t type,
			const struct p4x_p4tc_nl_default *d)
{
	struct nlattr *n;

	if (!d->present)
		return;
	n = nest(w, type);
	if (d->has_act)
		put_action_list(w, P4TC_TABLE_DEFAULT_ACTION, &d->act);
	if (d->noaction)
		put_u8(w, P4TC_TABLE_DEFAULT_ACTION_NOACTION, 1);
	if (d->has_permissions)
		put_u16(w, P4TC_TABLE_DEFAULT_ACTION_PERMISSIONS,
			d->permissions);
	nest_end(w, n);
}

/* --- filters ------------------------------------------------------------- */

static void put_op(struct nl_w *w, uint16_t type,
		   const struct p4x_p4tc_nl_fnode *f);

static void put_operand(struct nl_w *w, const struct p4x_p4tc_nl_fnode *f)
{
	struct nlattr *o, *a;

	if (f->type == P4X_P4TC_NL_FNODE_CMD) {
		put_u32(w, P4TC_FILTER_OPND_CMD, f->cmd);
		return;
	}
	if (f->type == P4X_P4TC_NL_FNODE_EXT) {
		o = nest(w, P4TC_FILTER_OPND_EXT);
		if (f->act.name[0])
			put_str(w, P4TC_FILTER_OPND_EXT_NAME, f->act.name);
		if (f->act.id)
			put_u32(w, P4TC_FILTER_OPND_EXT_ID, f->act.id);
		if (f->ext_inst[0])
			put_str(w, P4TC_FILTER_OPND_EXT_INST_NAME, f->ext_inst);
		if (f->act.nparams)
			put_params(w, P4TC_FILTER_OPND_EXT_PARAMS,
				   f->act.params, f->act.nparams, true);
		nest_end(w, o);
		return;
	}
	o = nest(w, P4TC_FILTER_OPND_ENTRY);
	if (f->present & (1u << P4TC_FILTER_OPND_ENTRY_KEY_BLOB))
		put(w, P4TC_FILTER_OPND_ENTRY_KEY_BLOB, f->key_len, f->key);
	if (f->present & (1u << P4TC_FILTER_OPND_ENTRY_MASK_BLOB))
		put(w, P4TC_FILTER_OPND_ENTRY_MASK_BLOB, f->key_len, f->mask);
	if (f->present & (1u << P4TC_FILTER_OPND_ENTRY_ACT)) {
		a = nest(w, P4TC_FILTER_OPND_ENTRY_ACT);
		if (f->act.name[0])
			put_str(w, P4TC_FILTER_OPND_ENTRY_ACT_NAME,
				f->act.name);
		if (f->act.id)
			put_u32(w, P4TC_FILTER_OPND_ENTRY_ACT_ID, f->act.id);
		if (f->act.nparams > 1)
			w->err = w->err ? w->err : -EINVAL; /* one param */
		if (f->act.nparams) {
			struct nlattr *p =
				nest(w, P4TC_FILTER_OPND_ENTRY_ACT_PARAMS);

			put_param_attrs(w, f->act.params, false);
			nest_end(w, p);
		}
		nest_end(w, a);
	}
	if (f->present & (1u << P4TC_FILTER_OPND_ENTRY_PRIO))
		put_u32(w, P4TC_FILTER_OPND_ENTRY_PRIO, f->prio);
	if (f->present & (1u << P4TC_FILTER_OPND_ENTRY_TIME_DELTA))
		put_u32(w, P4TC_FILTER_OPND_ENTRY_TIME_DELTA, f->time_delta_ms);
	nest_end(w, o);
}

static void put_node(struct nl_w *w, uint16_t type,
		     const struct p4x_p4tc_nl_fnode *f)
{
	struct nlattr *n = nest(w, type), *l;

	if (f->type == P4X_P4TC_NL_FNODE_OP) {
		put_op(w, P4TC_FILTER_OP_NODE_PARENT, f);
	} else {
		l = nest(w, P4TC_FILTER_OP_NODE_LEAF);
		put_operand(w, f);
		nest_end(w, l);
	}
	nest_end(w, n);
}

static void put_op(struct nl_w *w, uint16_t type,
		   const struct p4x_p4tc_nl_fnode *f)
{
	struct nlattr *n = nest(w, type);

	put_u16(w, P4TC_FILTER_OP_KIND, f->op_kind);
	put_u16(w, P4TC_FILTER_OP_VALUE, f->op_value);
	if (f->child[0])
		put_node(w, P4TC_FILTER_OP_NODE1, f->child[0]);
	if (f->child[1])
		put_node(w, P4TC_FILTER_OP_NODE2, f->child[1]);
	nest_end(w, n);
}

static void put_filter(struct nl_w *w, uint16_t type,
		       const struct p4x_p4tc_nl_fnode *f)
{
	struct nlattr *n = nest(w, type);

	if (f->type == P4X_P4TC_NL_FNODE_OP) {
		put_op(w, P4TC_FILTER_OP, f);
	} else { /* a bare operand: the kernel needs an operation */
		w->err = w->err ? w->err : -EINVAL;
	}
	nest_end(w, n);
}

/* --- entries ------------------------------------------------------------- */

static void put_externs(struct nl_w *w, uint16_t type,
			const struct p4x_p4tc_nl_entry *e)
{
	struct nlattr *n = nest(w, type), *x;

	for (uint32_t i = 0; i < e->nexterns; i++) {
		const struct p4x_p4tc_nl_ext *ext = &e->externs[i];

		x = nest(w, ext->slot);
		if (ext->kind[0])
			put_str(w, P4TC_EXT_KIND, ext->kind);
		if (ext->inst[0])
			put_str(w, P4TC_EXT_INST_NAME, ext->inst);
		if (ext->has_key)
			put_u32(w, P4TC_EXT_KEY, ext->key);
		if (ext->nparams)
			put_params(w, P4TC_EXT_PARAMS, ext->params,
				   ext->nparams, true);
		nest_end(w, x);
	}
	nest_end(w, n);
}

static void put_tbl_attrs(struct nl_w *w, uint16_t type,
			  const struct p4x_p4tc_nl_tbl_attrs *t)
{
	struct nlattr *n = nest(w, type), *p;

	put_default(w, P4TC_ENTRY_TBL_ATTRS_DEFAULT_HIT, &t->dflt_hit);
	put_default(w, P4TC_ENTRY_TBL_ATTRS_DEFAULT_MISS, &t->dflt_miss);
	if (t->has_permissions)
		put_u16(w, P4TC_ENTRY_TBL_ATTRS_PERMISSIONS, t->permissions);
	if (t->has_profile) {
		p = nest(w, P4TC_ENTRY_TBL_ATTRS_TIMER_PROFILE);
		put_u32(w, P4TC_TIMER_PROFILE_ID, t->profile_id);
		put_u64(w, P4TC_TIMER_PROFILE_AGING, t->profile_aging_ms);
		nest_end(w, p);
	}
	nest_end(w, n);
}

static void put_entry_field(struct nl_w *w, uint16_t a, int f,
			    const struct p4x_p4tc_nl_entry *e)
{
	struct p4tc_table_entry_tm tm;

	switch (f) {
	case P4X_P4TC_NL_F_TBLNAME:
		return put_str(w, a, e->tblname);
	case P4X_P4TC_NL_F_KEY:
		return put(w, a, e->key_len, e->key);
	case P4X_P4TC_NL_F_MASK:
		return put(w, a, e->key_len, e->mask);
	case P4X_P4TC_NL_F_PRIO:
		return put_u32(w, a, e->prio);
	case P4X_P4TC_NL_F_ACT:
		return put_action_list(w, a, &e->act);
	case P4X_P4TC_NL_F_TM:
		memset(&tm, 0, sizeof(tm));
		tm.created = e->tm_created;
		tm.lastused = e->tm_lastused;
		tm.firstused = e->tm_firstused;
		return put(w, a, sizeof(tm), &tm);
	case P4X_P4TC_NL_F_WHODUNNIT:
		return put_u8(w, a, e->whodunnit);
	case P4X_P4TC_NL_F_WHO_CREATED_ENT:
	case P4X_P4TC_NL_F_WHO_UPDATED_ENT:
	case P4X_P4TC_NL_F_WHO_DELETED_ENT:
		return put_u8(
			w, a,
			e->who_ent[(f - P4X_P4TC_NL_F_WHO_CREATED_ENT) / 3]);
	case P4X_P4TC_NL_F_WHO_CREATED:
	case P4X_P4TC_NL_F_WHO_UPDATED:
	case P4X_P4TC_NL_F_WHO_DELETED:
		return put_str(w, a,
			       e->who[(f - P4X_P4TC_NL_F_WHO_CREATED) / 3]);
	case P4X_P4TC_NL_F_WHO_CREATED_PID:
	case P4X_P4TC_NL_F_WHO_UPDATED_PID:
	case P4X_P4TC_NL_F_WHO_DELETED_PID:
		return put_u32(
			w, a,
			e->who_pid[(f - P4X_P4TC_NL_F_WHO_CREATED_PID) / 3]);
	case P4X_P4TC_NL_F_PERMISSIONS:
		return put_u16(w, a, e->permissions);
	case P4X_P4TC_NL_F_TBL_ATTRS:
		return put_tbl_attrs(w, a, e->tbl_attrs);
	case P4X_P4TC_NL_F_TMPL_CREATED:
		return put_u8(w, a, e->tmpl_created);
	case P4X_P4TC_NL_F_DYNAMIC:
		return put_u8(w, a, e->dynamic);
	case P4X_P4TC_NL_F_AGING:
		return put_u64(w, a, e->aging_ms);
	case P4X_P4TC_NL_F_PROFILE_ID:
		return put_u32(w, a, e->profile_id);
	case P4X_P4TC_NL_F_FILTER:
		return put_filter(w, a, e->filter);
	case P4X_P4TC_NL_F_EXTERNS:
		return put_externs(w, a, e);
	}
}

static bool entry_ok(const struct p4x_p4tc_nl_entry *e)
{
	if (P4X_P4TC_NL_HAS(e, TBL_ATTRS) && !e->tbl_attrs)
		return false;
	if (P4X_P4TC_NL_HAS(e, FILTER) && !e->filter)
		return false;
	return e->npath <= P4TC_PATH_MAX;
}

/* nest @type holding the entry attributes @fields of @e */
static void put_entry(struct nl_w *w, uint16_t type,
		      const struct p4x_p4tc_nl_entry *e, uint32_t fields)
{
	struct nlattr *p = nest(w, type);
	uint32_t done = 0;

	for (uint16_t a = 1; a <= w->spec->entry_max; a++) {
		int f = w->spec->entry[a].field;

		if (w->spec->entry[a].shape != NL_NONE && f >= 0 &&
		    (fields >> f) & 1u) {
			put_entry_field(w, a, f, e);
			done |= 1u << f;
		}
	}
	if (fields & ~done) /* a field the version has no attribute for */
		w->err = w->err ? w->err : -EINVAL;
	nest_end(w, p);
}

static void put_slot(struct nl_w *w, uint16_t type,
		     const struct p4x_p4tc_nl_entry *e)
{
	uint32_t fields = e->present & ~(1u << P4X_P4TC_NL_F_COUNT);
	struct nlattr *s = nest(w, type);

	if (!entry_ok(e)) {
		w->err = w->err ? w->err : -EINVAL;
		return;
	}
	if (fields)
		put_entry(w, P4TC_PARAMS, e, fields);
	if (e->npath)
		put(w, P4TC_PATH, e->npath * 4u, e->path);
	if (P4X_P4TC_NL_HAS(e, COUNT))
		put_u32(w, P4TC_COUNT, e->count);
	nest_end(w, s);
}

/* --- templates ------------------------------------------------------------ */

#define HAS(t, a) (((t)->present >> (a)) & 1u)

static void put_tmpl_pipeline(struct nl_w *w, const struct p4x_p4tc_nl_tmpl *t)
{
	if (HAS(t, P4TC_PIPELINE_NUMTABLES))
		put_u16(w, P4TC_PIPELINE_NUMTABLES, t->numtables);
	if (HAS(t, P4TC_PIPELINE_STATE))
		put_u8(w, P4TC_PIPELINE_STATE, t->state);
	if (HAS(t, P4TC_PIPELINE_NAME))
		put_str(w, P4TC_PIPELINE_NAME, t->name);
}

static void put_tmpl_action(struct nl_w *w, const struct p4x_p4tc_nl_tmpl *t)
{
	if (HAS(t, P4TC_ACT_NAME))
		put_str(w, P4TC_ACT_NAME, t->name);
	if (HAS(t, P4TC_ACT_PARMS))
		put_params(w, P4TC_ACT_PARMS, t->params, t->nparams, false);
	if (HAS(t, P4TC_ACT_ACTIVE))
		put_u8(w, P4TC_ACT_ACTIVE, t->active);
	if (HAS(t, P4TC_ACT_NUM_PREALLOC))
		put_u32(w, P4TC_ACT_NUM_PREALLOC, t->num_prealloc);
}

static void put_tmpl_table_lists(struct nl_w *w,
				 const struct p4x_p4tc_nl_tmpl *t)
{
	struct nlattr *n, *i;

	if (HAS(t, P4TC_TABLE_ACTS_LIST)) {
		n = nest(w, P4TC_TABLE_ACTS_LIST);
		for (uint32_t k = 0; k < t->nacts; k++) {
			i = nest(w, (uint16_t)(k + 1));
			put_u32(w, P4TC_TABLE_ACT_FLAGS, t->acts[k].flags);
			put_str(w, P4TC_TABLE_ACT_NAME, t->acts[k].name);
			nest_end(w, i);
		}
		nest_end(w, n);
	}
	if (HAS(t, P4TC_TABLE_TIMER_PROFILES)) {
		n = nest(w, P4TC_TABLE_TIMER_PROFILES);
		for (uint32_t k = 0; k < t->ntimer_profiles; k++) {
			i = nest(w, (uint16_t)(k + 1));
			put_u32(w, P4TC_TIMER_PROFILE_ID,
				t->timer_profiles[k].id);
			put_u64(w, P4TC_TIMER_PROFILE_AGING,
				t->timer_profiles[k].aging_ms);
			nest_end(w, i);
		}
		nest_end(w, n);
	}
	if (HAS(t, P4TC_TABLE_EXTERNS) && !w->spec->externs)
		w->err = w->err ? w->err : -EINVAL;
	if (HAS(t, P4TC_TABLE_EXTERNS)) {
		n = nest(w, P4TC_TABLE_EXTERNS);
		if (t->ext_counter[0])
			put_str(w, P4TC_TABLE_EXTERNS_COUNTER, t->ext_counter);
		if (t->ext_meter[0])
			put_str(w, P4TC_TABLE_EXTERNS_METER, t->ext_meter);
		nest_end(w, n);
	}
}

static void put_tmpl_table(struct nl_w *w, const struct p4x_p4tc_nl_tmpl *t)
{
	if (HAS(t, P4TC_TABLE_NAME))
		put_str(w, P4TC_TABLE_NAME, t->name);
	if (HAS(t, P4TC_TABLE_KEYSZ))
		put_u32(w, P4TC_TABLE_KEYSZ, t->keysz);
	if (HAS(t, P4TC_TABLE_MAX_ENTRIES))
		put_u32(w, P4TC_TABLE_MAX_ENTRIES, t->max_entries);
	if (HAS(t, P4TC_TABLE_MAX_MASKS))
		put_u32(w, P4TC_TABLE_MAX_MASKS, t->max_masks);
	if (HAS(t, P4TC_TABLE_NUM_ENTRIES))
		put_u32(w, P4TC_TABLE_NUM_ENTRIES, t->num_entries);
	if (HAS(t, P4TC_TABLE_PERMISSIONS))
		put_u16(w, P4TC_TABLE_PERMISSIONS, t->permissions);
	if (HAS(t, P4TC_TABLE_TYPE))
		put_u8(w, P4TC_TABLE_TYPE, t->type);
	put_default(w, P4TC_TABLE_DEFAULT_HIT, &t->dflt_hit);
	put_default(w, P4TC_TABLE_DEFAULT_MISS, &t->dflt_miss);
	if (t->entry && t->entry->npath)
		put_slot(w, P4TC_TABLE_ENTRY, t->entry);
	else if (t->entry && entry_ok(t->entry))
		put_entry(w, P4TC_TABLE_ENTRY, t->entry, t->entry->present);
	if (HAS(t, P4TC_TABLE_NUM_TIMER_PROFILES))
		put_u32(w, P4TC_TABLE_NUM_TIMER_PROFILES,
			t->num_timer_profiles);
	put_tmpl_table_lists(w, t);
}

static void put_tmpl_extern(struct nl_w *w, const struct p4x_p4tc_nl_tmpl *t)
{
	if (HAS(t, P4TC_TMPL_EXT_NAME))
		put_str(w, P4TC_TMPL_EXT_NAME, t->name);
	if (HAS(t, P4TC_TMPL_EXT_NUM_INSTS))
		put_u16(w, P4TC_TMPL_EXT_NUM_INSTS, t->num_insts);
	if (HAS(t, P4TC_TMPL_EXT_HAS_EXEC_METHOD))
		put_u8(w, P4TC_TMPL_EXT_HAS_EXEC_METHOD, t->has_exec_method);
	if (HAS(t, P4TC_TMPL_EXT_PERMISSIONS))
		put_u16(w, P4TC_TMPL_EXT_PERMISSIONS, t->permissions);
}

static void put_tmpl_ext_inst(struct nl_w *w, const struct p4x_p4tc_nl_tmpl *t)
{
	if (HAS(t, P4TC_TMPL_EXT_INST_EXT_NAME))
		put_str(w, P4TC_TMPL_EXT_INST_EXT_NAME, t->ext_name);
	if (HAS(t, P4TC_TMPL_EXT_INST_NAME))
		put_str(w, P4TC_TMPL_EXT_INST_NAME, t->name);
	if (HAS(t, P4TC_TMPL_EXT_INST_NUM_ELEMS))
		put_u32(w, P4TC_TMPL_EXT_INST_NUM_ELEMS, t->num_elems);
	if (HAS(t, P4TC_TMPL_EXT_INST_CONTROL_PARAMS))
		put_params(w, P4TC_TMPL_EXT_INST_CONTROL_PARAMS, t->params,
			   t->nparams, true);
	if (HAS(t, P4TC_TMPL_EXT_INST_TABLE_BINDABLE))
		put_u8(w, P4TC_TMPL_EXT_INST_TABLE_BINDABLE, t->tbl_bindable);
	if (HAS(t, P4TC_TMPL_EXT_INST_CONSTR_PARAMS))
		put_params(w, P4TC_TMPL_EXT_INST_CONSTR_PARAMS, t->constr,
			   t->nconstr, true);
}

#undef HAS

/* {PARAMS, PATH} of one template object, inside the current nest. */
static void put_tmpl(struct nl_w *w, uint32_t obj,
		     const struct p4x_p4tc_nl_tmpl *t)
{
	static void (*const fill[])(struct nl_w *,
				    const struct p4x_p4tc_nl_tmpl *) = {
		[P4TC_OBJ_PIPELINE] = put_tmpl_pipeline,
		[P4TC_OBJ_ACT] = put_tmpl_action,
		[P4TC_OBJ_TABLE] = put_tmpl_table,
		[P4TC_OBJ_EXT] = put_tmpl_extern,
		[P4TC_OBJ_EXT_INST] = put_tmpl_ext_inst,
	};
	struct nlattr *p;

	if (obj < P4TC_OBJ_PIPELINE || obj > P4TC_OBJ_EXT_INST ||
	    (obj >= P4TC_OBJ_EXT && !w->spec->externs) ||
	    t->npath > P4TC_PATH_MAX) {
		w->err = w->err ? w->err : -EINVAL;
		return;
	}
	if (t->has_params) {
		p = nest(w, P4TC_PARAMS);
		fill[obj](w, t);
		nest_end(w, p);
	}
	if (t->npath)
		put(w, P4TC_PATH, t->npath * 4u, t->path);
}

/* --- messages ------------------------------------------------------------- */

static void put_root(struct nl_w *w, const struct p4x_p4tc_nl_msg *m)
{
	struct nlattr *r, *s;

	if (m->kind == P4X_P4TC_NL_SUBSCRIBE) {
		if (m->nentries != 1 || !w->spec->externs) {
			w->err = -EINVAL;
			return;
		}
		put_slot(w, P4TC_ROOT_SUBSCRIBE, &m->entries[0]);
		return;
	}
	if (m->kind == P4X_P4TC_NL_TEMPLATES) {
		if (!m->ntmpls)
			return;
		r = nest(w, P4TC_ROOT);
		for (uint32_t i = 0; i < m->ntmpls && m->root_slots; i++) {
			s = nest(w, (uint16_t)(i + 1));
			put_tmpl(w, m->obj, &m->tmpls[i]);
			nest_end(w, s);
		}
		if (!m->root_slots)
			put_tmpl(w, m->obj, &m->tmpls[0]);
		nest_end(w, r);
		return;
	}
	if (!m->nentries)
		return;
	if (!m->root_slots) { /* one object: the root is the slot */
		put_slot(w, P4TC_ROOT, &m->entries[0]);
		return;
	}
	r = nest(w, P4TC_ROOT);
	for (uint32_t i = 0; i < m->nentries; i++)
		put_slot(w, (uint16_t)(i + 1), &m->entries[i]);
	nest_end(w, r);
}

static void put_p4tc(struct nl_w *w, const struct p4x_p4tc_nl_msg *m)
{
	struct p4tcmsg *h;

	if (w->sz < w->nlh->nlmsg_len + sizeof(*h)) {
		w->err = -ENOSPC;
		return;
	}
	h = mnl_nlmsg_put_extra_header(w->nlh, sizeof(*h));
	h->pipeid = m->pipeid;
	h->obj = m->obj;
	if ((m->has_root_count || m->has_root_flags) && !w->spec->externs)
		w->err = -EINVAL;
	if (m->pname[0])
		put_str(w, P4TC_ROOT_PNAME, m->pname);
	if (m->has_root_count)
		put_u32(w, P4TC_ROOT_COUNT, m->root_count);
	if (m->has_root_flags)
		put_u32(w, P4TC_ROOT_FLAGS, m->root_flags);
	put_root(w, m);
}

static void put_status(struct nl_w *w, const struct p4x_p4tc_nl_msg *m)
{
	size_t need = m->kind == P4X_P4TC_NL_ERROR ? sizeof(struct nlmsgerr)
						   : sizeof(int);
	struct nlmsgerr *e;

	if (w->sz < w->nlh->nlmsg_len + need) {
		w->err = -ENOSPC;
		return;
	}
	e = mnl_nlmsg_put_extra_header(w->nlh, need);
	e->error = m->error;
	if (m->kind == P4X_P4TC_NL_ERROR) {
		e->msg.nlmsg_len = NLMSG_HDRLEN;
		e->msg.nlmsg_type = m->req_type; /* no request payload echoed */
	}
	if (m->extack[0]) {
		w->nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		put_str(w, NLMSGERR_ATTR_MSG, m->extack);
	}
}

int p4x_p4tc_nl__encode(const struct p4x_p4tc_nl_msg *m,
			enum p4x_p4tc_nl_version v, void *buf, size_t sz)
{
	struct nl_w w = {.sz = sz, .spec = nl_version_spec(v)};

	if (!w.spec)
		return -EINVAL;
	if (sz < NLMSG_HDRLEN)
		return -ENOSPC;
	w.nlh = mnl_nlmsg_put_header(buf);
	w.nlh->nlmsg_type = m->type;
	w.nlh->nlmsg_flags = m->flags;
	w.nlh->nlmsg_seq = m->seq;
	w.nlh->nlmsg_pid = m->portid;
	switch (m->kind) {
	case P4X_P4TC_NL_ERROR:
	case P4X_P4TC_NL_DONE:
		put_status(&w, m);
		break;
	default:
		if (!p4x_p4tc_nl__handles(m->type) || m->type == NLMSG_ERROR ||
		    m->type == NLMSG_DONE)
			return -EINVAL;
		put_p4tc(&w, m);
	}
	return w.err ? w.err : (int)w.nlh->nlmsg_len;
}

int p4x_p4tc_nl__encode_dump(enum p4x_p4tc_nl_version v, const char *pname,
			     const char *tblname,
			     const struct p4x_p4tc_nl_fnode *filter,
			     uint32_t seq, void *buf, size_t sz)
{
	struct p4x_p4tc_nl_entry e;
	struct p4x_p4tc_nl_msg m;

	if (strlen(pname) >= sizeof(m.pname) ||
	    strlen(tblname) >= sizeof(e.tblname))
		return -EINVAL;
	memset(&m, 0, sizeof(m));
	memset(&e, 0, offsetof(struct p4x_p4tc_nl_entry, key));
	m.kind = P4X_P4TC_NL_ENTRIES;
	m.type = RTM_P4TC_GET;
	m.flags = NLM_F_REQUEST | NLM_F_DUMP;
	m.seq = seq;
	m.obj = P4TC_OBJ_RUNTIME_TABLE;
	strcpy(m.pname, pname);
	strcpy(e.tblname, tblname);
	e.present = 1u << P4X_P4TC_NL_F_TBLNAME;
	e.npath = 1; /* tbl_id 0: by name */
	if (filter) {
		e.present |= 1u << P4X_P4TC_NL_F_FILTER;
		e.filter = filter;
	}
	m.nentries = 1;
	m.entries = &e;
	return p4x_p4tc_nl__encode(&m, v, buf, sz);
}
