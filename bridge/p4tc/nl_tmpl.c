// SPDX-License-Identifier: BSD-3-Clause
/* P4TC netlink decoder: template objects (pipeline, action, table, extern,
 * extern instance; p4tc.md 5.6). */
#include <errno.h>
#include <string.h>

#include "nl_priv.h"

static void mark(struct p4x_p4tc_nl_tmpl *t, const struct nlattr **tb,
		 unsigned int max)
{
	for (unsigned int i = 1; i <= max; i++)
		if (tb[i])
			t->present |= 1u << i;
}

static int tmpl_pipeline(struct nl_ctx *c, const struct nlattr *params,
			 struct p4x_p4tc_nl_tmpl *t)
{
	const struct nlattr *tb[P4TC_PIPELINE_NAME + 1];
	int ret = nl_parse_nest(c, params, tb, P4TC_PIPELINE_NAME);

	if (ret)
		return ret;
	mark(t, tb, P4TC_PIPELINE_NAME);
	if (tb[P4TC_PIPELINE_NUMTABLES])
		ret = nl_u16(c, tb[P4TC_PIPELINE_NUMTABLES], &t->numtables);
	if (!ret && tb[P4TC_PIPELINE_STATE])
		ret = nl_u8(c, tb[P4TC_PIPELINE_STATE], &t->state);
	if (!ret && tb[P4TC_PIPELINE_NAME])
		ret = nl_str(c, tb[P4TC_PIPELINE_NAME], t->name,
			     sizeof(t->name));
	return ret;
}

static int tmpl_action(struct nl_ctx *c, const struct nlattr *params,
		       struct p4x_p4tc_nl_tmpl *t)
{
	const struct nlattr *tb[P4TC_ACT_PAD + 1];
	int ret = nl_parse_nest(c, params, tb, P4TC_ACT_PAD);

	if (ret)
		return ret;
	mark(t, tb, P4TC_ACT_NUM_PREALLOC);
	if (tb[P4TC_ACT_OPT] || tb[P4TC_ACT_TM])
		return nl_fail(c, -EINVAL,
			       "runtime action attributes in a template");
	if (tb[P4TC_ACT_NAME])
		ret = nl_str(c, tb[P4TC_ACT_NAME], t->name, sizeof(t->name));
	if (!ret && tb[P4TC_ACT_ACTIVE])
		ret = nl_u8(c, tb[P4TC_ACT_ACTIVE], &t->active);
	if (!ret && tb[P4TC_ACT_NUM_PREALLOC])
		ret = nl_u32(c, tb[P4TC_ACT_NUM_PREALLOC], &t->num_prealloc);
	if (!ret && tb[P4TC_ACT_PARMS])
		ret = nl_decode_params(c, tb[P4TC_ACT_PARMS], false, &t->params,
				       &t->nparams);
	return ret;
}

int nl_decode_default(struct nl_ctx *c, const struct nlattr *nest,
		      struct p4x_p4tc_nl_default *d)
{
	const struct nlattr *tb[P4TC_TABLE_DEFAULT_ACTION_PERMISSIONS + 1];
	uint8_t noact = 0;
	int ret = nl_nested(c, nest);

	memset(d, 0, sizeof(*d));
	d->present = true;
	if (!ret)
		ret = nl_parse_nest(c, nest, tb,
				    P4TC_TABLE_DEFAULT_ACTION_PERMISSIONS);
	if (!ret && tb[P4TC_TABLE_DEFAULT_ACTION]) {
		d->has_act = true;
		ret = nl_decode_action_list(c, tb[P4TC_TABLE_DEFAULT_ACTION],
					    &d->act);
	}
	if (!ret && tb[P4TC_TABLE_DEFAULT_ACTION_NOACTION])
		ret = nl_u8(c, tb[P4TC_TABLE_DEFAULT_ACTION_NOACTION], &noact);
	d->noaction = noact;
	if (!ret && tb[P4TC_TABLE_DEFAULT_ACTION_PERMISSIONS]) {
		d->has_permissions = true;
		ret = nl_u16(c, tb[P4TC_TABLE_DEFAULT_ACTION_PERMISSIONS],
			     &d->permissions);
	}
	return ret;
}

static int table_act_one(struct nl_ctx *c, const struct nlattr *a, void *arg)
{
	struct p4x_p4tc_nl_tmpl *t = arg;
	const struct nlattr *tb[P4TC_TABLE_ACT_NAME + 1];
	struct p4x_p4tc_nl_table_act *ta;
	uint64_t flags = 0;
	int ret;

	if (t->nacts >= P4X_P4TC_MAX_TABLE_ACTS)
		return nl_fail(c, -E2BIG, "more than %d table actions",
			       P4X_P4TC_MAX_TABLE_ACTS);
	ta = &t->acts[t->nacts++];
	memset(ta, 0, sizeof(*ta));
	ret = nl_nested(c, a);
	if (!ret)
		ret = nl_parse_nest(c, a, tb, P4TC_TABLE_ACT_NAME);
	if (!ret && !tb[P4TC_TABLE_ACT_NAME])
		ret = nl_fail(c, -EINVAL, "table action without a name");
	if (!ret)
		ret = nl_str(c, tb[P4TC_TABLE_ACT_NAME], ta->name,
			     sizeof(ta->name));
	/* u8 by policy, u32 in dumps */
	if (!ret && tb[P4TC_TABLE_ACT_FLAGS])
		ret = nl_uint(c, tb[P4TC_TABLE_ACT_FLAGS], 3, &flags);
	ta->flags = (uint32_t)flags;
	return ret;
}

static int timer_one(struct nl_ctx *c, const struct nlattr *a, void *arg)
{
	struct p4x_p4tc_nl_tmpl *t = arg;
	const struct nlattr *tb[P4TC_TIMER_PROFILE_AGING + 1];
	unsigned int i = t->ntimer_profiles;
	int ret;

	if (i >= P4X_P4TC_NL_MAX_TIMER_PROFILES)
		return nl_fail(c, -E2BIG, "more than %d timer profiles",
			       P4X_P4TC_NL_MAX_TIMER_PROFILES);
	t->ntimer_profiles++;
	ret = nl_nested(c, a);
	if (!ret)
		ret = nl_parse_nest(c, a, tb, P4TC_TIMER_PROFILE_AGING);
	t->timer_profiles[i].id = 0;
	t->timer_profiles[i].aging_ms = 0;
	if (!ret && tb[P4TC_TIMER_PROFILE_ID])
		ret = nl_u32(c, tb[P4TC_TIMER_PROFILE_ID],
			     &t->timer_profiles[i].id);
	if (!ret && tb[P4TC_TIMER_PROFILE_AGING])
		ret = nl_u64(c, tb[P4TC_TIMER_PROFILE_AGING],
			     &t->timer_profiles[i].aging_ms);
	return ret;
}

static int table_externs(struct nl_ctx *c, const struct nlattr *nest,
			 struct p4x_p4tc_nl_tmpl *t)
{
	const struct nlattr *tb[P4TC_TABLE_EXTERNS_METER + 1];
	int ret = nl_need_version(c, P4X_P4TC_NL_VER_V17, "table EXTERNS");

	if (!ret)
		ret = nl_parse_nest(c, nest, tb, P4TC_TABLE_EXTERNS_METER);
	if (!ret && tb[P4TC_TABLE_EXTERNS_COUNTER])
		ret = nl_str(c, tb[P4TC_TABLE_EXTERNS_COUNTER], t->ext_counter,
			     sizeof(t->ext_counter));
	if (!ret && tb[P4TC_TABLE_EXTERNS_METER])
		ret = nl_str(c, tb[P4TC_TABLE_EXTERNS_METER], t->ext_meter,
			     sizeof(t->ext_meter));
	return ret;
}

static int table_u32s(struct nl_ctx *c, const struct nlattr **tb,
		      struct p4x_p4tc_nl_tmpl *t)
{
	static const struct {
		unsigned int attr;
		size_t off;
	} u32s[] = {
		{P4TC_TABLE_KEYSZ, offsetof(struct p4x_p4tc_nl_tmpl, keysz)},
		{P4TC_TABLE_MAX_ENTRIES,
		 offsetof(struct p4x_p4tc_nl_tmpl, max_entries)},
		{P4TC_TABLE_MAX_MASKS,
		 offsetof(struct p4x_p4tc_nl_tmpl, max_masks)},
		{P4TC_TABLE_NUM_ENTRIES,
		 offsetof(struct p4x_p4tc_nl_tmpl, num_entries)},
		{P4TC_TABLE_NUM_TIMER_PROFILES,
		 offsetof(struct p4x_p4tc_nl_tmpl, num_timer_profiles)},
	};
	int ret = 0;

	for (size_t i = 0; !ret && i < P4X_ARRAY_SIZE(u32s); i++)
		if (tb[u32s[i].attr])
			ret = nl_u32(c, tb[u32s[i].attr],
				     (uint32_t *)((char *)t + u32s[i].off));
	return ret;
}

/* Kernel fills wrap the entry as {PATH, PARAMS}; requests carry its
 * attributes directly (where 2 is KEY_BLOB, never a flagged nest). */
static bool nested_params(const struct nlattr *nest)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(
		a, nest) if (mnl_attr_get_type(a) == P4TC_PARAMS &&
			     (a->nla_type & NLA_F_NESTED)) return true;
	return false;
}

/* A const entry ("create table/... entry ..."). */
static int table_entry(struct nl_ctx *c, const struct nlattr *nest,
		       struct p4x_p4tc_nl_tmpl *t)
{
	struct p4x_p4tc_nl_entry *e = nl_pool_add(&c->codec->entries);
	unsigned int w = nl_push(c, "entry", -1);
	int ret;

	if (!e) {
		ret = nl_fail(c, -E2BIG, "entry pool full");
	} else {
		memset(e, 0, offsetof(struct p4x_p4tc_nl_entry, key));
		t->entry = e;
		ret = nested_params(nest) ? nl_decode_slot(c, nest, e)
					  : nl_decode_entry(c, nest, e);
	}
	nl_pop(c, w);
	return ret;
}

static int tmpl_table(struct nl_ctx *c, const struct nlattr *params,
		      struct p4x_p4tc_nl_tmpl *t)
{
	const struct nlattr *tb[P4TC_TABLE_EXTERNS + 1];
	int ret = nl_parse_nest(c, params, tb, P4TC_TABLE_EXTERNS);

	if (ret)
		return ret;
	mark(t, tb, P4TC_TABLE_EXTERNS);
	if (tb[P4TC_TABLE_ENTRY])
		ret = table_entry(c, tb[P4TC_TABLE_ENTRY], t);
	if (!ret && tb[P4TC_TABLE_NAME])
		ret = nl_str(c, tb[P4TC_TABLE_NAME], t->name, sizeof(t->name));
	if (!ret)
		ret = table_u32s(c, tb, t);
	if (!ret && tb[P4TC_TABLE_PERMISSIONS])
		ret = nl_u16(c, tb[P4TC_TABLE_PERMISSIONS], &t->permissions);
	if (!ret && tb[P4TC_TABLE_TYPE])
		ret = nl_u8(c, tb[P4TC_TABLE_TYPE], &t->type);
	if (!ret && tb[P4TC_TABLE_TYPE] &&
	    (t->type < P4TC_TABLE_TYPE_EXACT ||
	     t->type > P4TC_TABLE_TYPE_TERNARY))
		ret = nl_fail(c, -EINVAL, "unknown table type %u", t->type);
	if (!ret && tb[P4TC_TABLE_DEFAULT_HIT])
		ret = nl_decode_default(c, tb[P4TC_TABLE_DEFAULT_HIT],
					&t->dflt_hit);
	if (!ret && tb[P4TC_TABLE_DEFAULT_MISS])
		ret = nl_decode_default(c, tb[P4TC_TABLE_DEFAULT_MISS],
					&t->dflt_miss);
	if (!ret && tb[P4TC_TABLE_ACTS_LIST])
		ret = nl_walk_nest(c, tb[P4TC_TABLE_ACTS_LIST], table_act_one,
				   t);
	if (!ret && tb[P4TC_TABLE_TIMER_PROFILES])
		ret = nl_walk_nest(c, tb[P4TC_TABLE_TIMER_PROFILES], timer_one,
				   t);
	if (!ret && tb[P4TC_TABLE_EXTERNS])
		ret = table_externs(c, tb[P4TC_TABLE_EXTERNS], t);
	return ret;
}

static int tmpl_extern(struct nl_ctx *c, const struct nlattr *params,
		       struct p4x_p4tc_nl_tmpl *t)
{
	const struct nlattr *tb[P4TC_TMPL_EXT_PERMISSIONS + 1];
	int ret = nl_parse_nest(c, params, tb, P4TC_TMPL_EXT_PERMISSIONS);

	if (ret)
		return ret;
	mark(t, tb, P4TC_TMPL_EXT_PERMISSIONS);
	if (tb[P4TC_TMPL_EXT_NAME])
		ret = nl_str(c, tb[P4TC_TMPL_EXT_NAME], t->name,
			     sizeof(t->name));
	if (!ret && tb[P4TC_TMPL_EXT_NUM_INSTS])
		ret = nl_u16(c, tb[P4TC_TMPL_EXT_NUM_INSTS], &t->num_insts);
	if (!ret && tb[P4TC_TMPL_EXT_HAS_EXEC_METHOD])
		ret = nl_u8(c, tb[P4TC_TMPL_EXT_HAS_EXEC_METHOD],
			    &t->has_exec_method);
	if (!ret && tb[P4TC_TMPL_EXT_PERMISSIONS])
		ret = nl_u16(c, tb[P4TC_TMPL_EXT_PERMISSIONS], &t->permissions);
	return ret;
}

static int tmpl_ext_inst(struct nl_ctx *c, const struct nlattr *params,
			 struct p4x_p4tc_nl_tmpl *t)
{
	const struct nlattr *tb[P4TC_TMPL_EXT_INST_CONSTR_PARAMS + 1];
	int ret =
		nl_parse_nest(c, params, tb, P4TC_TMPL_EXT_INST_CONSTR_PARAMS);

	if (ret)
		return ret;
	mark(t, tb, P4TC_TMPL_EXT_INST_CONSTR_PARAMS);
	if (tb[P4TC_TMPL_EXT_INST_EXT_NAME])
		ret = nl_str(c, tb[P4TC_TMPL_EXT_INST_EXT_NAME], t->ext_name,
			     sizeof(t->ext_name));
	if (!ret && tb[P4TC_TMPL_EXT_INST_NAME])
		ret = nl_str(c, tb[P4TC_TMPL_EXT_INST_NAME], t->name,
			     sizeof(t->name));
	if (!ret && tb[P4TC_TMPL_EXT_INST_NUM_ELEMS])
		ret = nl_u32(c, tb[P4TC_TMPL_EXT_INST_NUM_ELEMS],
			     &t->num_elems);
	if (!ret && tb[P4TC_TMPL_EXT_INST_TABLE_BINDABLE])
		ret = nl_u8(c, tb[P4TC_TMPL_EXT_INST_TABLE_BINDABLE],
			    &t->tbl_bindable);
	if (!ret && tb[P4TC_TMPL_EXT_INST_CONTROL_PARAMS])
		ret = nl_decode_params(c, tb[P4TC_TMPL_EXT_INST_CONTROL_PARAMS],
				       true, &t->params, &t->nparams);
	if (!ret && tb[P4TC_TMPL_EXT_INST_CONSTR_PARAMS])
		ret = nl_decode_params(c, tb[P4TC_TMPL_EXT_INST_CONSTR_PARAMS],
				       true, &t->constr, &t->nconstr);
	return ret;
}

static int tmpl_params(struct nl_ctx *c, const struct nlattr *params,
		       struct p4x_p4tc_nl_tmpl *t)
{
	int ret = nl_nested(c, params);

	if (ret)
		return ret;
	t->has_params = true;
	switch (t->obj) {
	case P4TC_OBJ_PIPELINE:
		return tmpl_pipeline(c, params, t);
	case P4TC_OBJ_ACT:
		return tmpl_action(c, params, t);
	case P4TC_OBJ_TABLE:
		return tmpl_table(c, params, t);
	case P4TC_OBJ_EXT:
		return tmpl_extern(c, params, t);
	default:
		return tmpl_ext_inst(c, params, t);
	}
}

/* {PATH, PARAMS}: one template object. */
static int tmpl_object(struct nl_ctx *c, const struct nlattr *nest,
		       struct p4x_p4tc_nl_tmpl *t)
{
	const struct nlattr *tb[P4TC_PARAMS + 1];
	size_t n;
	int ret = nl_parse_nest(c, nest, tb, P4TC_PARAMS);

	if (!ret && tb[P4TC_PATH]) {
		n = mnl_attr_get_payload_len(tb[P4TC_PATH]);
		if (!n || n % 4 || n / 4 > P4TC_PATH_MAX)
			return nl_fail(c, -EINVAL,
				       "P4TC_PATH has %zu bytes, expected "
				       "4..%d in u32 words",
				       n, 4 * P4TC_PATH_MAX);
		memcpy(t->path, mnl_attr_get_payload(tb[P4TC_PATH]), n);
		t->npath = (uint16_t)(n / 4);
	}
	if (!ret && tb[P4TC_PARAMS]) {
		unsigned int w = nl_push(c, "params", -1);

		ret = tmpl_params(c, tb[P4TC_PARAMS], t);
		nl_pop(c, w);
	}
	return ret;
}

static struct p4x_p4tc_nl_tmpl *tmpl_new(struct nl_ctx *c)
{
	struct p4x_p4tc_nl_tmpl *t = nl_pool_add(&c->codec->tmpls);

	if (!t) {
		nl_fail(c, -E2BIG, "template pool full");
		return NULL;
	}
	memset(t, 0, sizeof(*t));
	t->obj = c->msg->obj;
	return t;
}

static int slot_one(struct nl_ctx *c, const struct nlattr *a, void *arg)
{
	struct p4x_p4tc_nl_tmpl *t = tmpl_new(c);
	unsigned int w = nl_push(c, NULL, mnl_attr_get_type(a));
	int ret = t ? nl_nested(c, a) : -E2BIG;

	if (!ret)
		ret = tmpl_object(c, a, t);
	nl_pop(c, w);
	return ret;
}

int nl_decode_templates(struct nl_ctx *c, const struct nlattr *root)
{
	struct p4x_p4tc_nl_tmpl *t;

	if (c->msg->obj == P4TC_OBJ_EXT || c->msg->obj == P4TC_OBJ_EXT_INST) {
		int ret = nl_need_version(c, P4X_P4TC_NL_VER_V17,
					  "extern templates");
		if (ret)
			return ret;
	} else if (c->msg->obj < P4TC_OBJ_PIPELINE ||
		   c->msg->obj > P4TC_OBJ_TABLE) {
		return nl_fail(c, -EOPNOTSUPP, "unknown template object %u",
			       c->msg->obj);
	}
	if (!root)
		return 0;
	if (nl_root_has_slots(root)) {
		c->msg->root_slots = true;
		return nl_walk_nest(c, root, slot_one, NULL);
	}
	t = tmpl_new(c);
	return t ? tmpl_object(c, root, t) : -E2BIG;
}
