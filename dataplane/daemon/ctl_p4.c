// SPDX-License-Identifier: BSD-3-Clause
/*
 * Control protocol, P4 part: attribute policies of the p4template,
 * p4ctrl and event messages, and the one encoder/decoder of table
 * entries, shared by the daemon, the CLI and a future kernel bridge.
 */
#include <errno.h>
#include <string.h>

#include "p4x/ctl.h"

static const struct p4x_ctl_policy argv_policy[] = {
	[P4X_CTL_ARG] = {"arg", MNL_TYPE_NUL_STRING, 0},
};

static const struct p4x_ctl_attr_set argv_set = {
	"argv",
	P4X_CTL_ARG,
	argv_policy,
};

static const struct p4x_ctl_policy tmpl_policy[] = {
	[P4X_CTL_TMPL_ARGV] = {"argv", MNL_TYPE_NESTED, 0, &argv_set},
	[P4X_CTL_TMPL_INTROSPECTION] = {"introspection", MNL_TYPE_NUL_STRING,
					4096},
	[P4X_CTL_TMPL_OUTPUT] = {"output", MNL_TYPE_NUL_STRING, 0},
};

const struct p4x_ctl_attr_set p4x_ctl_tmpl_set = {
	"p4template",
	P4X_CTL_TMPL_MAX,
	tmpl_policy,
};

static const struct p4x_ctl_policy act_policy[] = {
	[P4X_CTL_ACT_ID] = {"act_id", MNL_TYPE_U32},
	[P4X_CTL_ACT_PARAMS] = {"params", MNL_TYPE_BINARY, 0},
};

static const struct p4x_ctl_attr_set act_set = {
	"action",
	P4X_CTL_ACT_MAX,
	act_policy,
};

static const struct p4x_ctl_policy entry_policy[] = {
	[P4X_CTL_ENTRY_KEY_BLOB] = {"key", MNL_TYPE_BINARY, 0},
	[P4X_CTL_ENTRY_MASK_BLOB] = {"mask", MNL_TYPE_BINARY, 0},
	[P4X_CTL_ENTRY_PRIO] = {"prio", MNL_TYPE_U32},
	[P4X_CTL_ENTRY_ACT] = {"act", MNL_TYPE_NESTED, 0, &act_set},
	[P4X_CTL_ENTRY_PERMISSIONS] = {"permissions", MNL_TYPE_U16},
	[P4X_CTL_ENTRY_DYNAMIC] = {"dynamic", MNL_TYPE_U8},
	[P4X_CTL_ENTRY_AGING] = {"aging", MNL_TYPE_U64},
	[P4X_CTL_ENTRY_WHO_CREATED] = {"who_created", MNL_TYPE_U8},
	[P4X_CTL_ENTRY_WHO_UPDATED] = {"who_updated", MNL_TYPE_U8},
	[P4X_CTL_ENTRY_CREATED] = {"created", MNL_TYPE_U64},
	[P4X_CTL_ENTRY_UPDATED] = {"updated", MNL_TYPE_U64},
	[P4X_CTL_ENTRY_LAST_USED] = {"last_used", MNL_TYPE_U64},
	[P4X_CTL_ENTRY_TMPL_CREATED] = {"tmpl_created", MNL_TYPE_U8},
};

const struct p4x_ctl_attr_set p4x_ctl_entry_set = {
	"entry",
	P4X_CTL_ENTRY_MAX,
	entry_policy,
};

static const struct p4x_ctl_policy batch_policy[P4X_CTL_BATCH_MAX + 1] = {
#define SLOT(i) [i] = {"batch entry", MNL_TYPE_NESTED, 0, &p4x_ctl_entry_set}
	SLOT(1),  SLOT(2),  SLOT(3),  SLOT(4),	SLOT(5),  SLOT(6),
	SLOT(7),  SLOT(8),  SLOT(9),  SLOT(10), SLOT(11), SLOT(12),
	SLOT(13), SLOT(14), SLOT(15), SLOT(16),
#undef SLOT
};

static const struct p4x_ctl_attr_set batch_set = {
	"batch",
	P4X_CTL_BATCH_MAX,
	batch_policy,
};

static const struct p4x_ctl_policy p4_policy[] = {
	[P4X_CTL_P4_PNAME] = {"pname", MNL_TYPE_NUL_STRING, 32},
	[P4X_CTL_P4_PIPEID] = {"pipeid", MNL_TYPE_U32},
	[P4X_CTL_P4_TBLNAME] = {"tblname", MNL_TYPE_NUL_STRING, 64},
	[P4X_CTL_P4_TBLID] = {"tblid", MNL_TYPE_U32},
	[P4X_CTL_P4_ENTRIES] = {"entries", MNL_TYPE_NESTED, 0, &batch_set},
	[P4X_CTL_P4_FILTER] = {"filter", MNL_TYPE_NUL_STRING, 1024},
	[P4X_CTL_P4_CMD] = {"cmd", MNL_TYPE_U32},
	[P4X_CTL_P4_COUNT] = {"count", MNL_TYPE_U32},
	[P4X_CTL_P4_SEALED] = {"sealed", MNL_TYPE_U8},
	[P4X_CTL_P4_INTROSPECTION] = {"introspection", MNL_TYPE_NUL_STRING,
				      4096},
};

const struct p4x_ctl_attr_set p4x_ctl_p4_set = {
	"p4",
	P4X_CTL_P4_MAX,
	p4_policy,
};

const char *p4x_ctl_p4_cmd_name(enum p4x_ctl_p4_cmd cmd, bool past)
{
	static const char *const names[][2] = {
#define P4X_CTL_P4_CMD_NAME(e, name, pst) {name, pst},
		P4X_CTL_P4_CMDS(P4X_CTL_P4_CMD_NAME)
#undef P4X_CTL_P4_CMD_NAME
	};

	if ((unsigned int)cmd >= P4X_CTL_P4_CMD__COUNT)
		return "unknown";
	return names[cmd][past];
}

static void put_info(struct nlmsghdr *nlh, const struct p4x_ctl_entry *e)
{
	mnl_attr_put_u8(nlh, P4X_CTL_ENTRY_WHO_CREATED, e->who_created);
	if (e->who_updated)
		mnl_attr_put_u8(nlh, P4X_CTL_ENTRY_WHO_UPDATED, e->who_updated);
	mnl_attr_put_u64(nlh, P4X_CTL_ENTRY_CREATED, e->created_ms);
	mnl_attr_put_u64(nlh, P4X_CTL_ENTRY_UPDATED, e->updated_ms);
	mnl_attr_put_u64(nlh, P4X_CTL_ENTRY_LAST_USED, e->used_ms);
	mnl_attr_put_u8(nlh, P4X_CTL_ENTRY_TMPL_CREATED, e->tmpl_created);
}

void p4x_ctl_entry_put(struct nlmsghdr *nlh, uint16_t slot,
		       const struct p4x_ctl_entry *e)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, slot), *act;

	mnl_attr_put(nlh, P4X_CTL_ENTRY_KEY_BLOB, e->keylen, e->key);
	if (e->mask)
		mnl_attr_put(nlh, P4X_CTL_ENTRY_MASK_BLOB, e->keylen, e->mask);
	if (e->has_prio)
		mnl_attr_put_u32(nlh, P4X_CTL_ENTRY_PRIO, e->prio);
	if (e->has_act) {
		act = mnl_attr_nest_start(nlh, P4X_CTL_ENTRY_ACT);
		mnl_attr_put_u32(nlh, P4X_CTL_ACT_ID, e->act_id);
		if (e->params_len)
			mnl_attr_put(nlh, P4X_CTL_ACT_PARAMS, e->params_len,
				     e->params);
		mnl_attr_nest_end(nlh, act);
	}
	if (e->has_permissions)
		mnl_attr_put_u16(nlh, P4X_CTL_ENTRY_PERMISSIONS,
				 e->permissions);
	if (e->dynamic)
		mnl_attr_put_u8(nlh, P4X_CTL_ENTRY_DYNAMIC, 1);
	if (e->aging_ms)
		mnl_attr_put_u64(nlh, P4X_CTL_ENTRY_AGING, e->aging_ms);
	if (e->has_info)
		put_info(nlh, e);
	mnl_attr_nest_end(nlh, nest);
}

static void get_act(const struct nlattr *nest, struct p4x_ctl_entry *e)
{
	const struct nlattr *a;

	e->has_act = true;
	mnl_attr_for_each_nested(a, nest)
	{
		if (mnl_attr_get_type(a) == P4X_CTL_ACT_ID) {
			e->act_id = mnl_attr_get_u32(a);
		} else if (mnl_attr_get_type(a) == P4X_CTL_ACT_PARAMS) {
			e->params = mnl_attr_get_payload(a);
			e->params_len = mnl_attr_get_payload_len(a);
		}
	}
}

/* The attributes of replies and events. */
static void get_info(const struct nlattr *a, struct p4x_ctl_entry *e)
{
	switch (mnl_attr_get_type(a)) {
	case P4X_CTL_ENTRY_WHO_CREATED:
		e->who_created = mnl_attr_get_u8(a);
		break;
	case P4X_CTL_ENTRY_WHO_UPDATED:
		e->who_updated = mnl_attr_get_u8(a);
		break;
	case P4X_CTL_ENTRY_CREATED:
		e->created_ms = mnl_attr_get_u64(a);
		break;
	case P4X_CTL_ENTRY_UPDATED:
		e->updated_ms = mnl_attr_get_u64(a);
		break;
	case P4X_CTL_ENTRY_LAST_USED:
		e->used_ms = mnl_attr_get_u64(a);
		break;
	case P4X_CTL_ENTRY_TMPL_CREATED:
		e->tmpl_created = mnl_attr_get_u8(a);
		break;
	default:
		return;
	}
	e->has_info = true;
}

static void get_one(const struct nlattr *a, struct p4x_ctl_entry *e,
		    uint16_t *masklen)
{
	switch (mnl_attr_get_type(a)) {
	case P4X_CTL_ENTRY_KEY_BLOB:
		e->key = mnl_attr_get_payload(a);
		e->keylen = mnl_attr_get_payload_len(a);
		break;
	case P4X_CTL_ENTRY_MASK_BLOB:
		e->mask = mnl_attr_get_payload(a);
		*masklen = mnl_attr_get_payload_len(a);
		break;
	case P4X_CTL_ENTRY_PRIO:
		e->has_prio = true;
		e->prio = mnl_attr_get_u32(a);
		break;
	case P4X_CTL_ENTRY_ACT:
		get_act(a, e);
		break;
	case P4X_CTL_ENTRY_PERMISSIONS:
		e->has_permissions = true;
		e->permissions = mnl_attr_get_u16(a);
		break;
	case P4X_CTL_ENTRY_DYNAMIC:
		e->dynamic = mnl_attr_get_u8(a) != 0;
		break;
	case P4X_CTL_ENTRY_AGING:
		e->aging_ms = mnl_attr_get_u64(a);
		break;
	default:
		get_info(a, e);
	}
}

int p4x_ctl_entry_get(const struct nlattr *slot, struct p4x_ctl_entry *e,
		      struct p4x_ctl_err *err)
{
	const struct nlattr *a;
	uint16_t masklen = 0;

	memset(e, 0, sizeof(*e));
	mnl_attr_for_each_nested(a, slot) get_one(a, e, &masklen);
	if (e->mask && masklen != e->keylen) {
		p4x_ctl_err_set(err, -EINVAL, 0,
				"entry: mask of %u bytes for a key of %u bytes",
				masklen, e->keylen);
		return err->code;
	}
	return 0;
}
