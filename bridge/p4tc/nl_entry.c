// SPDX-License-Identifier: BSD-3-Clause
/* P4TC netlink decoder: table entries, their actions, params and externs,
 * with the entry attribute numbering of each uapi version. */
#include <errno.h>
#include <string.h>

#include <linux/pkt_cls.h>

#include "nl_priv.h"

/* --- params -------------------------------------------------------------- */

static int param_type(struct nl_ctx *c, const struct nlattr *nest,
		      struct p4x_p4tc_nl_param *p)
{
	const struct nlattr *tb[P4TC_ACT_PARAMS_TYPE_CONTAINER_ID + 1];
	uint16_t bitend = 0;
	int ret = nl_parse_nest(c, nest, tb, P4TC_ACT_PARAMS_TYPE_CONTAINER_ID);

	if (!ret && tb[P4TC_ACT_PARAMS_TYPE_BITEND])
		ret = nl_u16(c, tb[P4TC_ACT_PARAMS_TYPE_BITEND], &bitend);
	if (!ret && tb[P4TC_ACT_PARAMS_TYPE_CONTAINER_ID])
		ret = nl_u32(c, tb[P4TC_ACT_PARAMS_TYPE_CONTAINER_ID],
			     &p->type_id);
	if (ret)
		return ret;
	if (!tb[P4TC_ACT_PARAMS_TYPE_BITEND] ||
	    !tb[P4TC_ACT_PARAMS_TYPE_CONTAINER_ID])
		return nl_fail(c, -EINVAL,
			       "type needs BITEND and CONTAINER_ID");
	p->bitsz = bitend + 1u;
	return 0;
}

static int param_value(struct nl_ctx *c, const struct nlattr *nest,
		       struct p4x_p4tc_nl_param *p)
{
	const struct nlattr *tb[P4TC_ACT_PARAMS_VALUE_RAW + 1];
	int ret = nl_parse_nest(c, nest, tb, P4TC_ACT_PARAMS_VALUE_RAW);

	if (ret)
		return ret;
	if (!tb[P4TC_ACT_PARAMS_VALUE_RAW])
		return nl_fail(c, -EINVAL, "value without RAW bytes");
	return nl_bin(c, tb[P4TC_ACT_PARAMS_VALUE_RAW], p->value,
		      sizeof(p->value), &p->len);
}

static int check_type_id(struct nl_ctx *c, uint32_t id)
{
	if (id == P4X_P4TC_T_RATE)
		return nl_need_version(c, P4X_P4TC_NL_VER_V17,
				       "type rate (20)");
	if (id < P4X_P4TC_T_U8 || id > P4X_P4TC_T_KEY)
		return nl_fail(c, -EOPNOTSUPP, "unknown type id %u", id);
	return 0;
}

/* An action param: NAME ID TYPE{BITEND CONTAINER_ID} FLAGS VALUE MASK. */
static int act_param(struct nl_ctx *c, const struct nlattr *nest,
		     struct p4x_p4tc_nl_param *p)
{
	const struct nlattr *tb[P4TC_ACT_PARAMS_MASK + 1];
	uint8_t flags = 0;
	int ret = nl_parse_nest(c, nest, tb, P4TC_ACT_PARAMS_MASK);

	if (!ret && tb[P4TC_ACT_PARAMS_NAME])
		ret = nl_str(c, tb[P4TC_ACT_PARAMS_NAME], p->name,
			     sizeof(p->name));
	if (!ret && tb[P4TC_ACT_PARAMS_ID])
		ret = nl_u32(c, tb[P4TC_ACT_PARAMS_ID], &p->id);
	if (!ret && tb[P4TC_ACT_PARAMS_TYPE])
		ret = param_type(c, tb[P4TC_ACT_PARAMS_TYPE], p);
	if (!ret && tb[P4TC_ACT_PARAMS_TYPE])
		ret = check_type_id(c, p->type_id);
	if (!ret && tb[P4TC_ACT_PARAMS_FLAGS])
		ret = nl_u8(c, tb[P4TC_ACT_PARAMS_FLAGS], &flags);
	if (!ret && tb[P4TC_ACT_PARAMS_VALUE])
		ret = param_value(c, tb[P4TC_ACT_PARAMS_VALUE], p);
	if (!ret && tb[P4TC_ACT_PARAMS_MASK])
		ret = nl_bin(c, tb[P4TC_ACT_PARAMS_MASK], p->mask,
			     sizeof(p->mask), &p->mask_len);
	p->flags = flags;
	if (!ret && !p->name[0] && !p->id)
		return nl_fail(c, -EINVAL, "param has neither name nor id");
	return ret;
}

/* An extern param: NAME ID VALUE{RAW} TYPE BITSZ FLAGS. */
static int ext_param(struct nl_ctx *c, const struct nlattr *nest,
		     struct p4x_p4tc_nl_param *p)
{
	const struct nlattr *tb[P4TC_EXT_PARAMS_FLAGS + 1];
	uint64_t v;
	int ret = nl_parse_nest(c, nest, tb, P4TC_EXT_PARAMS_FLAGS);

	if (!ret && tb[P4TC_EXT_PARAMS_NAME])
		ret = nl_str(c, tb[P4TC_EXT_PARAMS_NAME], p->name,
			     sizeof(p->name));
	if (!ret && tb[P4TC_EXT_PARAMS_ID])
		ret = nl_u32(c, tb[P4TC_EXT_PARAMS_ID], &p->id);
	if (!ret && tb[P4TC_EXT_PARAMS_VALUE])
		ret = param_value(c, tb[P4TC_EXT_PARAMS_VALUE], p);
	if (!ret && tb[P4TC_EXT_PARAMS_TYPE])
		ret = nl_u32(c, tb[P4TC_EXT_PARAMS_TYPE], &p->type_id);
	if (!ret && tb[P4TC_EXT_PARAMS_TYPE])
		ret = check_type_id(c, p->type_id);
	if (!ret && tb[P4TC_EXT_PARAMS_BITSZ]) {
		ret = nl_uint(c, tb[P4TC_EXT_PARAMS_BITSZ], P4TC_MAX_KEYSZ, &v);
		p->bitsz = (uint32_t)v;
	}
	if (!ret && tb[P4TC_EXT_PARAMS_FLAGS]) {
		ret = nl_uint(c, tb[P4TC_EXT_PARAMS_FLAGS], UINT32_MAX, &v);
		p->flags = (uint32_t)v;
	}
	return ret;
}

struct params_arg {
	bool ext;
	struct p4x_p4tc_nl_param *first;
	uint32_t n;
};

static int param_one(struct nl_ctx *c, const struct nlattr *a, void *arg)
{
	struct params_arg *pa = arg;
	struct p4x_p4tc_nl_param *p;
	unsigned int w;
	int ret;

	if (pa->n >= P4X_P4TC_MAX_PARAMS)
		return nl_fail(c, -E2BIG, "more than %d params",
			       P4X_P4TC_MAX_PARAMS);
	p = nl_pool_add(&c->codec->params);
	if (!p)
		return nl_fail(c, -E2BIG, "param pool full");
	memset(p, 0, sizeof(*p));
	if (!pa->first)
		pa->first = p;
	pa->n++;
	w = nl_push(c, "param", mnl_attr_get_type(a));
	ret = nl_nested(c, a);
	if (!ret)
		ret = pa->ext ? ext_param(c, a, p) : act_param(c, a, p);
	nl_pop(c, w);
	return ret;
}

int nl_decode_param(struct nl_ctx *c, const struct nlattr *nest,
		    const struct p4x_p4tc_nl_param **out)
{
	struct p4x_p4tc_nl_param *p = nl_pool_add(&c->codec->params);
	int ret;

	if (!p)
		return nl_fail(c, -E2BIG, "param pool full");
	memset(p, 0, sizeof(*p));
	*out = p;
	ret = nl_nested(c, nest);
	return ret ? ret : act_param(c, nest, p);
}

int nl_decode_params(struct nl_ctx *c, const struct nlattr *nest, bool ext,
		     const struct p4x_p4tc_nl_param **params, uint32_t *nparams)
{
	struct params_arg pa = {ext, NULL, 0};
	int ret = nl_nested(c, nest);

	if (!ret)
		ret = nl_walk_nest(c, nest, param_one, &pa);
	*params = pa.first;
	*nparams = pa.n;
	return ret;
}

/* --- actions ------------------------------------------------------------- */

static int act_options(struct nl_ctx *c, const struct nlattr *nest,
		       struct p4x_p4tc_nl_action *act)
{
	const struct nlattr *tb[P4TC_ACT_PAD + 1];
	int ret = nl_nested(c, nest);

	if (!ret)
		ret = nl_parse_nest(c, nest, tb, P4TC_ACT_PAD);
	if (ret)
		return ret;
	if (tb[P4TC_ACT_ACTIVE] || tb[P4TC_ACT_NUM_PREALLOC])
		return nl_fail(c, -EINVAL,
			       "template attributes in an entry's action");
	if (tb[P4TC_ACT_NAME])
		ret = nl_str(c, tb[P4TC_ACT_NAME], act->name,
			     sizeof(act->name));
	if (!ret && tb[P4TC_ACT_OPT]) {
		struct tc_act_p4 opt;

		if (mnl_attr_get_payload_len(tb[P4TC_ACT_OPT]) != sizeof(opt))
			return nl_fail(
				c, -EINVAL,
				"P4TC_ACT_OPT has %u bytes, expected %zu",
				mnl_attr_get_payload_len(tb[P4TC_ACT_OPT]),
				sizeof(opt));
		memcpy(&opt, mnl_attr_get_payload(tb[P4TC_ACT_OPT]),
		       sizeof(opt));
		act->has_opt = true;
		act->index = opt.index;
		act->verdict = opt.action;
		act->refcnt = opt.refcnt;
		act->bindcnt = opt.bindcnt;
	}
	if (!ret && tb[P4TC_ACT_TM]) {
		struct tcf_t tm;

		if (mnl_attr_get_payload_len(tb[P4TC_ACT_TM]) != sizeof(tm))
			return nl_fail(
				c, -EINVAL,
				"P4TC_ACT_TM has %u bytes, expected %zu",
				mnl_attr_get_payload_len(tb[P4TC_ACT_TM]),
				sizeof(tm));
		memcpy(&tm, mnl_attr_get_payload(tb[P4TC_ACT_TM]), sizeof(tm));
		act->has_tm = true;
		act->tm_install = tm.install;
		act->tm_lastuse = tm.lastuse;
		act->tm_expires = tm.expires;
		act->tm_firstuse = tm.firstuse;
	}
	if (!ret && tb[P4TC_ACT_PARMS])
		ret = nl_decode_params(c, tb[P4TC_ACT_PARMS], false,
				       &act->params, &act->nparams);
	return ret;
}

/* One tc action: KIND, OPTIONS, and the generic tc attributes. */
static int act_one(struct nl_ctx *c, const struct nlattr *nest,
		   struct p4x_p4tc_nl_action *act)
{
	const struct nlattr *tb[TCA_ACT_IN_HW_COUNT + 1];
	int ret = nl_nested(c, nest);

	if (!ret)
		ret = nl_parse_nest(c, nest, tb, TCA_ACT_IN_HW_COUNT);
	if (ret)
		return ret;
	if (!tb[TCA_ACT_KIND])
		return nl_fail(c, -EINVAL, "action without TCA_ACT_KIND");
	ret = nl_str(c, tb[TCA_ACT_KIND], act->kind, sizeof(act->kind));
	if (!ret && tb[TCA_ACT_INDEX])
		ret = nl_u32(c, tb[TCA_ACT_INDEX], &act->index);
	if (!ret && tb[TCA_ACT_STATS])
		ret = nl_nested(c, tb[TCA_ACT_STATS]);
	if (!ret && tb[TCA_ACT_OPTIONS])
		ret = act_options(c, tb[TCA_ACT_OPTIONS], act);
	return ret;
}

struct act_list_arg {
	struct p4x_p4tc_nl_action *act;
	unsigned int n;
};

static int act_list_one(struct nl_ctx *c, const struct nlattr *a, void *arg)
{
	struct act_list_arg *la = arg;
	unsigned int w;
	int ret;

	if (la->n++)
		return nl_fail(c, -EOPNOTSUPP,
			       "more than one action (P4TC allows one)");
	w = nl_push(c, "action", mnl_attr_get_type(a));
	ret = act_one(c, a, la->act);
	nl_pop(c, w);
	return ret;
}

int nl_decode_action_list(struct nl_ctx *c, const struct nlattr *nest,
			  struct p4x_p4tc_nl_action *act)
{
	struct act_list_arg la = {act, 0};
	int ret = nl_nested(c, nest);

	memset(act, 0, sizeof(*act));
	if (!ret)
		ret = nl_walk_nest(c, nest, act_list_one, &la);
	if (!ret && !la.n)
		return nl_fail(c, -EINVAL, "empty action list");
	return ret;
}

/* --- externs bound to an entry (v17) ------------------------------------ */

static int entry_ext_one(struct nl_ctx *c, const struct nlattr *a, void *arg)
{
	struct p4x_p4tc_nl_entry *e = arg;
	const struct nlattr *tb[P4TC_EXT_FILTER + 1];
	struct p4x_p4tc_nl_ext *x;
	uint16_t slot = mnl_attr_get_type(a);
	unsigned int w = nl_push(c, "extern", slot);
	int ret = 0;

	if (slot != P4TC_ENTRY_EXTERN_COUNTER &&
	    slot != P4TC_ENTRY_EXTERN_METER)
		ret = nl_fail(c, -EOPNOTSUPP, "unknown extern slot %u", slot);
	else if (e->nexterns >= P4X_ARRAY_SIZE(e->externs))
		ret = nl_fail(c, -E2BIG, "more than 2 externs");
	if (!ret)
		ret = nl_nested(c, a);
	if (!ret)
		ret = nl_parse_nest(c, a, tb, P4TC_EXT_FILTER);
	if (ret)
		goto out;
	x = &e->externs[e->nexterns++];
	memset(x, 0, sizeof(*x));
	x->slot = slot;
	if (tb[P4TC_EXT_FLAGS] || tb[P4TC_EXT_FILTER])
		ret = nl_fail(c, -EINVAL, "request attributes in an extern");
	if (!ret && tb[P4TC_EXT_KIND])
		ret = nl_str(c, tb[P4TC_EXT_KIND], x->kind, sizeof(x->kind));
	if (!ret && tb[P4TC_EXT_INST_NAME])
		ret = nl_str(c, tb[P4TC_EXT_INST_NAME], x->inst,
			     sizeof(x->inst));
	if (!ret && tb[P4TC_EXT_KEY]) {
		x->has_key = true;
		ret = nl_u32(c, tb[P4TC_EXT_KEY], &x->key);
	}
	if (!ret && tb[P4TC_EXT_PARAMS])
		ret = nl_decode_params(c, tb[P4TC_EXT_PARAMS], true, &x->params,
				       &x->nparams);
out:
	nl_pop(c, w);
	return ret;
}

/* --- runtime table attributes (default actions...) ------------------- */

static int timer_profile(struct nl_ctx *c, const struct nlattr *nest,
			 struct p4x_p4tc_nl_tbl_attrs *t)
{
	const struct nlattr *tb[P4TC_TIMER_PROFILE_AGING + 1];
	int ret = nl_parse_nest(c, nest, tb, P4TC_TIMER_PROFILE_AGING);

	if (!ret && tb[P4TC_TIMER_PROFILE_ID])
		ret = nl_u32(c, tb[P4TC_TIMER_PROFILE_ID], &t->profile_id);
	if (!ret && tb[P4TC_TIMER_PROFILE_AGING])
		ret = nl_u64(c, tb[P4TC_TIMER_PROFILE_AGING],
			     &t->profile_aging_ms);
	t->has_profile = true;
	return ret;
}

static int tbl_attrs(struct nl_ctx *c, const struct nlattr *nest,
		     struct p4x_p4tc_nl_entry *e)
{
	const struct nlattr *tb[P4TC_ENTRY_TBL_ATTRS_TIMER_PROFILE + 1];
	struct p4x_p4tc_nl_tbl_attrs *t = nl_pool_add(&c->codec->tattrs);
	int ret;

	if (!t)
		return nl_fail(c, -E2BIG, "table attribute pool full");
	memset(t, 0, sizeof(*t));
	e->tbl_attrs = t;
	ret = nl_parse_nest(c, nest, tb, P4TC_ENTRY_TBL_ATTRS_TIMER_PROFILE);
	if (!ret && tb[P4TC_ENTRY_TBL_ATTRS_DEFAULT_HIT])
		ret = nl_decode_default(c, tb[P4TC_ENTRY_TBL_ATTRS_DEFAULT_HIT],
					&t->dflt_hit);
	if (!ret && tb[P4TC_ENTRY_TBL_ATTRS_DEFAULT_MISS])
		ret = nl_decode_default(c,
					tb[P4TC_ENTRY_TBL_ATTRS_DEFAULT_MISS],
					&t->dflt_miss);
	if (!ret && tb[P4TC_ENTRY_TBL_ATTRS_PERMISSIONS]) {
		t->has_permissions = true;
		ret = nl_u16(c, tb[P4TC_ENTRY_TBL_ATTRS_PERMISSIONS],
			     &t->permissions);
	}
	if (!ret && tb[P4TC_ENTRY_TBL_ATTRS_TIMER_PROFILE])
		ret = timer_profile(c, tb[P4TC_ENTRY_TBL_ATTRS_TIMER_PROFILE],
				    t);
	return ret;
}

/* --- entry attributes by version ----------------------------------------- */

static bool shape_fits(uint8_t shape, const struct nlattr *a)
{
	const uint8_t *p = mnl_attr_get_payload(a);
	size_t n = mnl_attr_get_payload_len(a);
	const struct nlattr *in = (const void *)p;

	switch (shape) {
	case NL_U8:
		return n == 1;
	case NL_U16:
		return n == 2;
	case NL_U32:
		return n == 4;
	case NL_U64:
		return n == 8;
	case NL_TM:
		return n == sizeof(struct p4tc_table_entry_tm);
	case NL_STR:
		return n && memchr(p, 0, n);
	case NL_BIN:
		return true;
	case NL_NEST:
		return !n || (n >= sizeof(*in) && in->nla_len >= sizeof(*in) &&
			      in->nla_len <= n);
	default:
		return false;
	}
}

/* Versions whose entry attribute numbering fits every attribute. */
static int fits_one(struct nl_ctx *c, const struct nlattr *a, void *arg)
{
	unsigned int *mask = arg;
	uint16_t t = mnl_attr_get_type(a);

	for (int v = 1; v < P4X_P4TC_NL_VER__COUNT; v++) {
		const struct nl_version_spec *s = nl_version_spec(v);

		if (t == 0 || t > s->entry_max ||
		    !shape_fits(s->entry[t].shape, a))
			*mask &= ~(1u << v);
	}
	return 0;
}

/* Versions whose numbering fits every attribute of @params (bit v). */
static unsigned int fitting_versions(struct nl_ctx *c,
				     const struct nlattr *params)
{
	unsigned int mask = ((1u << P4X_P4TC_NL_VER__COUNT) - 1) & ~1u;

	if (nl_walk_nest(c, params, fits_one, &mask))
		return 0;
	return mask;
}

/*
 * Undecided: the versions the attributes fit; exactly one decides. Then
 * decode with the version in force (v17 while undecided), whose checks
 * name the attribute that does not fit.
 */
static void pick_version(struct nl_ctx *c, const struct nlattr *params,
			 const struct nl_version_spec **spec)
{
	unsigned int mask;

	if (c->ver == P4X_P4TC_NL_VER_AUTO) {
		mask = fitting_versions(c, params);
		if (mask && !(mask & (mask - 1)))
			c->ver = __builtin_ctz(mask);
	}
	*spec = nl_version_spec(
		c->ver != P4X_P4TC_NL_VER_AUTO ? c->ver : P4X_P4TC_NL_VER_V17);
}

/* After a failure: say so when another version's numbering fits. */
static int explain_version(struct nl_ctx *c, const struct nlattr *params,
			   int ret)
{
	unsigned int mask;

	if (c->ver == P4X_P4TC_NL_VER_AUTO)
		return ret;
	mask = fitting_versions(c, params);
	if (!mask || (mask & (1u << c->ver)))
		return ret;
	c->err[0] = '\0';
	return nl_fail(c, -EPROTO,
		       "entry attributes are numbered as in P4TC %s, the "
		       "messages so far are %s",
		       p4x_p4tc_nl_version__name(__builtin_ctz(mask)),
		       p4x_p4tc_nl_version__name(c->ver));
}

static int entry_str(struct nl_ctx *c, const struct nlattr *a,
		     struct p4x_p4tc_nl_entry *e, int f)
{
	int i = (f - P4X_P4TC_NL_F_WHO_CREATED) / 3;

	return nl_str(c, a, e->who[i], sizeof(e->who[i]));
}

static int entry_tm(struct nl_ctx *c, const struct nlattr *a,
		    struct p4x_p4tc_nl_entry *e)
{
	struct p4tc_table_entry_tm tm;

	if (mnl_attr_get_payload_len(a) != sizeof(tm))
		return nl_fail(c, -EINVAL, "TM has %u bytes, expected %zu",
			       mnl_attr_get_payload_len(a), sizeof(tm));
	memcpy(&tm, mnl_attr_get_payload(a), sizeof(tm));
	e->tm_created = tm.created;
	e->tm_lastused = tm.lastused;
	e->tm_firstused = tm.firstused;
	return 0;
}

static int entry_field(struct nl_ctx *c, const struct nlattr *a,
		       struct p4x_p4tc_nl_entry *e, int f)
{
	switch (f) {
	case P4X_P4TC_NL_F_TBLNAME:
		return nl_str(c, a, e->tblname, sizeof(e->tblname));
	case P4X_P4TC_NL_F_KEY:
		return nl_bin(c, a, e->key, sizeof(e->key), &e->key_len);
	case P4X_P4TC_NL_F_MASK: {
		uint16_t len;
		int ret = nl_bin(c, a, e->mask, sizeof(e->mask), &len);

		if (!ret && P4X_P4TC_NL_HAS(e, KEY) && len != e->key_len)
			return nl_fail(c, -EINVAL,
				       "mask has %u bytes, key has %u", len,
				       e->key_len);
		return ret;
	}
	case P4X_P4TC_NL_F_PRIO:
		return nl_u32(c, a, &e->prio);
	case P4X_P4TC_NL_F_ACT:
		return nl_decode_action_list(c, a, &e->act);
	case P4X_P4TC_NL_F_TM:
		return entry_tm(c, a, e);
	case P4X_P4TC_NL_F_WHODUNNIT:
		return nl_u8(c, a, &e->whodunnit);
	case P4X_P4TC_NL_F_WHO_CREATED_ENT:
	case P4X_P4TC_NL_F_WHO_UPDATED_ENT:
	case P4X_P4TC_NL_F_WHO_DELETED_ENT:
		return nl_u8(
			c, a,
			&e->who_ent[(f - P4X_P4TC_NL_F_WHO_CREATED_ENT) / 3]);
	case P4X_P4TC_NL_F_WHO_CREATED:
	case P4X_P4TC_NL_F_WHO_UPDATED:
	case P4X_P4TC_NL_F_WHO_DELETED:
		return entry_str(c, a, e, f);
	case P4X_P4TC_NL_F_WHO_CREATED_PID:
	case P4X_P4TC_NL_F_WHO_UPDATED_PID:
	case P4X_P4TC_NL_F_WHO_DELETED_PID:
		return nl_u32(
			c, a,
			&e->who_pid[(f - P4X_P4TC_NL_F_WHO_CREATED_PID) / 3]);
	case P4X_P4TC_NL_F_PERMISSIONS:
		if (nl_u16(c, a, &e->permissions))
			return -EINVAL;
		if (e->permissions & ~P4X_P4TC_PERM_MASK)
			return nl_fail(c, -ERANGE,
				       "permissions 0x%x beyond 14 bits",
				       e->permissions);
		return 0;
	case P4X_P4TC_NL_F_TBL_ATTRS:
		return tbl_attrs(c, a, e);
	case P4X_P4TC_NL_F_TMPL_CREATED:
		return nl_u8(c, a, &e->tmpl_created);
	case P4X_P4TC_NL_F_DYNAMIC:
		return nl_u8(c, a, &e->dynamic);
	case P4X_P4TC_NL_F_AGING:
		return nl_u64(c, a, &e->aging_ms);
	case P4X_P4TC_NL_F_PROFILE_ID:
		return nl_u32(c, a, &e->profile_id);
	case P4X_P4TC_NL_F_FILTER:
		return nl_decode_filter(c, a, &e->filter);
	case P4X_P4TC_NL_F_EXTERNS:
		return nl_walk_nest(c, a, entry_ext_one, e);
	}
	return 0;
}

static const char *const field_names[] = {
#define P4X_P4TC_NL_F_NAME(e, name) name,
	P4X_P4TC_NL_ENTRY_FIELDS(P4X_P4TC_NL_F_NAME)
#undef P4X_P4TC_NL_F_NAME
};

struct entry_arg {
	const struct nl_version_spec *spec;
	struct p4x_p4tc_nl_entry *e;
};

static int entry_one(struct nl_ctx *c, const struct nlattr *a, void *arg)
{
	struct entry_arg *ea = arg;
	uint16_t t = mnl_attr_get_type(a);
	const struct nl_entry_attr *d;
	unsigned int w;
	int ret;

	if (t == 0 || t > ea->spec->entry_max)
		return nl_fail(c, -EOPNOTSUPP,
			       "unknown entry attribute %u (P4TC %s knows "
			       "1..%u)",
			       t, p4x_p4tc_nl_version__name(ea->spec->ver),
			       ea->spec->entry_max);
	d = &ea->spec->entry[t];
	if (d->field < 0)
		return 0; /* pad */
	if (d->shape == NL_NEST && (ret = nl_nested(c, a)))
		return ret;
	w = nl_push(c, field_names[d->field], -1);
	ret = entry_field(c, a, ea->e, d->field);
	nl_pop(c, w);
	ea->e->present |= 1u << d->field;
	return ret;
}

int nl_decode_entry(struct nl_ctx *c, const struct nlattr *params,
		    struct p4x_p4tc_nl_entry *e)
{
	struct entry_arg ea = {NULL, e};
	int ret = nl_nested(c, params);

	if (ret)
		return ret;
	pick_version(c, params, &ea.spec);
	ret = nl_walk_nest(c, params, entry_one, &ea);
	if (ret)
		return explain_version(c, params, ret);
	if (!ret && P4X_P4TC_NL_HAS(e, MASK) && !P4X_P4TC_NL_HAS(e, KEY))
		return nl_fail(c, -EINVAL, "mask without key");
	return ret;
}

static int decode_path(struct nl_ctx *c, const struct nlattr *a, uint32_t *path,
		       uint16_t *npath)
{
	size_t n = mnl_attr_get_payload_len(a);

	if (!n || n % 4 || n / 4 > P4TC_PATH_MAX)
		return nl_fail(c, -EINVAL,
			       "P4TC_PATH has %zu bytes, expected 4..%d in "
			       "u32 words",
			       n, 4 * P4TC_PATH_MAX);
	memcpy(path, mnl_attr_get_payload(a), n);
	*npath = (uint16_t)(n / 4);
	return 0;
}

/* One slot of a runtime root (or the SUBSCRIBE nest): PATH PARAMS COUNT. */
int nl_decode_slot(struct nl_ctx *c, const struct nlattr *slot,
		   struct p4x_p4tc_nl_entry *e)
{
	const struct nlattr *tb[P4TC_COUNT + 1];
	int ret = nl_nested(c, slot);

	memset(e, 0, offsetof(struct p4x_p4tc_nl_entry, key));
	if (!ret)
		ret = nl_parse_nest(c, slot, tb, P4TC_COUNT);
	if (!ret && tb[P4TC_PATH])
		ret = decode_path(c, tb[P4TC_PATH], e->path, &e->npath);
	if (!ret && tb[P4TC_COUNT]) {
		e->present |= 1u << P4X_P4TC_NL_F_COUNT;
		ret = nl_u32(c, tb[P4TC_COUNT], &e->count);
	}
	if (!ret && tb[P4TC_PARAMS]) {
		unsigned int w = nl_push(c, "params", -1);

		ret = nl_decode_entry(c, tb[P4TC_PARAMS], e);
		nl_pop(c, w);
	}
	return ret;
}
