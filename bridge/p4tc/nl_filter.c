// SPDX-License-Identifier: BSD-3-Clause
/* P4TC netlink decoder: filters (dump, flush, subscribe; p4tc.md 5.5). */
#include <errno.h>
#include <string.h>

#include "nl_priv.h"

static int decode_op(struct nl_ctx *c, const struct nlattr *op,
		     const struct p4x_p4tc_nl_fnode **out);

static struct p4x_p4tc_nl_fnode *fnode_new(struct nl_ctx *c,
					   enum p4x_p4tc_nl_fnode_type type)
{
	struct p4x_p4tc_nl_fnode *n = nl_pool_add(&c->codec->fnodes);

	if (!n) {
		nl_fail(c, -E2BIG, "filter node pool full");
		return NULL;
	}
	memset(n, 0, offsetof(struct p4x_p4tc_nl_fnode, key));
	n->type = type;
	return n;
}

static int opnd_act(struct nl_ctx *c, const struct nlattr *nest,
		    struct p4x_p4tc_nl_fnode *n)
{
	const struct nlattr *tb[P4TC_FILTER_OPND_ENTRY_ACT_PARAMS + 1];
	int ret = nl_nested(c, nest);

	if (!ret)
		ret = nl_parse_nest(c, nest, tb,
				    P4TC_FILTER_OPND_ENTRY_ACT_PARAMS);
	if (!ret && tb[P4TC_FILTER_OPND_ENTRY_ACT_NAME])
		ret = nl_str(c, tb[P4TC_FILTER_OPND_ENTRY_ACT_NAME],
			     n->act.name, sizeof(n->act.name));
	if (!ret && tb[P4TC_FILTER_OPND_ENTRY_ACT_ID])
		ret = nl_u32(c, tb[P4TC_FILTER_OPND_ENTRY_ACT_ID], &n->act.id);
	/* one param, its attributes directly in the nest (tc, v17) */
	if (!ret && tb[P4TC_FILTER_OPND_ENTRY_ACT_PARAMS]) {
		n->act.nparams = 1;
		ret = nl_decode_param(c, tb[P4TC_FILTER_OPND_ENTRY_ACT_PARAMS],
				      &n->act.params);
	}
	return ret;
}

static int opnd_entry(struct nl_ctx *c, const struct nlattr *nest,
		      struct p4x_p4tc_nl_fnode *n)
{
	const struct nlattr *tb[P4TC_FILTER_OPND_ENTRY_TIME_DELTA + 1];
	uint16_t mlen = 0;
	int ret = nl_nested(c, nest);

	if (!ret)
		ret = nl_parse_nest(c, nest, tb,
				    P4TC_FILTER_OPND_ENTRY_TIME_DELTA);
	if (ret)
		return ret;
	for (unsigned int i = 1; i <= P4TC_FILTER_OPND_ENTRY_TIME_DELTA; i++)
		if (tb[i])
			n->present |= 1u << i;
	if (tb[P4TC_FILTER_OPND_ENTRY_KEY_BLOB])
		ret = nl_bin(c, tb[P4TC_FILTER_OPND_ENTRY_KEY_BLOB], n->key,
			     sizeof(n->key), &n->key_len);
	if (!ret && tb[P4TC_FILTER_OPND_ENTRY_MASK_BLOB])
		ret = nl_bin(c, tb[P4TC_FILTER_OPND_ENTRY_MASK_BLOB], n->mask,
			     sizeof(n->mask), &mlen);
	if (!ret && mlen && mlen != n->key_len)
		return nl_fail(c, -EINVAL, "operand mask has %u bytes, key %u",
			       mlen, n->key_len);
	if (!ret && tb[P4TC_FILTER_OPND_ENTRY_ACT])
		ret = opnd_act(c, tb[P4TC_FILTER_OPND_ENTRY_ACT], n);
	if (!ret && tb[P4TC_FILTER_OPND_ENTRY_PRIO])
		ret = nl_u32(c, tb[P4TC_FILTER_OPND_ENTRY_PRIO], &n->prio);
	if (!ret && tb[P4TC_FILTER_OPND_ENTRY_TIME_DELTA])
		ret = nl_u32(c, tb[P4TC_FILTER_OPND_ENTRY_TIME_DELTA],
			     &n->time_delta_ms);
	if (!ret && !n->present)
		return nl_fail(c, -EINVAL, "empty entry operand");
	return ret;
}

static int opnd_ext(struct nl_ctx *c, const struct nlattr *nest,
		    struct p4x_p4tc_nl_fnode *n)
{
	const struct nlattr *tb[P4TC_FILTER_OPND_EXT_PARAMS + 1];
	int ret = nl_need_version(c, P4X_P4TC_NL_VER_V17, "extern operand");

	if (!ret)
		ret = nl_nested(c, nest);
	if (!ret)
		ret = nl_parse_nest(c, nest, tb, P4TC_FILTER_OPND_EXT_PARAMS);
	if (!ret && tb[P4TC_FILTER_OPND_EXT_NAME])
		ret = nl_str(c, tb[P4TC_FILTER_OPND_EXT_NAME], n->act.name,
			     sizeof(n->act.name));
	if (!ret && tb[P4TC_FILTER_OPND_EXT_ID])
		ret = nl_u32(c, tb[P4TC_FILTER_OPND_EXT_ID], &n->act.id);
	if (!ret && tb[P4TC_FILTER_OPND_EXT_INST_NAME])
		ret = nl_str(c, tb[P4TC_FILTER_OPND_EXT_INST_NAME], n->ext_inst,
			     sizeof(n->ext_inst));
	if (!ret && tb[P4TC_FILTER_OPND_EXT_PARAMS])
		ret = nl_decode_params(c, tb[P4TC_FILTER_OPND_EXT_PARAMS], true,
				       &n->act.params, &n->act.nparams);
	return ret;
}

/* A leaf: exactly one operand. */
static int decode_leaf(struct nl_ctx *c, const struct nlattr *leaf,
		       const struct p4x_p4tc_nl_fnode **out)
{
	const struct nlattr *tb[P4TC_FILTER_OPND_CMD + 1];
	struct p4x_p4tc_nl_fnode *n;
	int ret = nl_parse_nest(c, leaf, tb, P4TC_FILTER_OPND_CMD);

	if (ret)
		return ret;
	if (!!tb[P4TC_FILTER_OPND_ENTRY] + !!tb[P4TC_FILTER_OPND_EXT] +
		    !!tb[P4TC_FILTER_OPND_CMD] !=
	    1)
		return nl_fail(c, -EINVAL, "a leaf needs exactly one operand");
	if (tb[P4TC_FILTER_OPND_ENTRY]) {
		n = fnode_new(c, P4X_P4TC_NL_FNODE_ENTRY);
		ret = n ? opnd_entry(c, tb[P4TC_FILTER_OPND_ENTRY], n) : -E2BIG;
	} else if (tb[P4TC_FILTER_OPND_EXT]) {
		n = fnode_new(c, P4X_P4TC_NL_FNODE_EXT);
		ret = n ? opnd_ext(c, tb[P4TC_FILTER_OPND_EXT], n) : -E2BIG;
	} else {
		n = fnode_new(c, P4X_P4TC_NL_FNODE_CMD);
		ret = n ? nl_need_version(c, P4X_P4TC_NL_VER_V17,
					  "command operand")
			: -E2BIG;
		if (!ret)
			ret = nl_u32(c, tb[P4TC_FILTER_OPND_CMD], &n->cmd);
	}
	*out = n;
	return ret;
}

static int decode_node(struct nl_ctx *c, const struct nlattr *node,
		       const struct p4x_p4tc_nl_fnode **out)
{
	const struct nlattr *tb[P4TC_FILTER_OP_NODE_LEAF + 1];
	int ret = nl_nested(c, node);

	if (!ret)
		ret = nl_parse_nest(c, node, tb, P4TC_FILTER_OP_NODE_LEAF);
	if (ret)
		return ret;
	if (!tb[P4TC_FILTER_OP_NODE_PARENT] == !tb[P4TC_FILTER_OP_NODE_LEAF])
		return nl_fail(c, -EINVAL,
			       "a node is either a parent or a leaf");
	if (tb[P4TC_FILTER_OP_NODE_PARENT])
		return decode_op(c, tb[P4TC_FILTER_OP_NODE_PARENT], out);
	return decode_leaf(c, tb[P4TC_FILTER_OP_NODE_LEAF], out);
}

static int check_op(struct nl_ctx *c, uint16_t kind, uint16_t value)
{
	if (kind == P4TC_FILTER_OP_KIND_REL &&
	    (value < P4TC_FILTER_OP_REL_EQ || value > P4TC_FILTER_OP_REL_GE))
		return nl_fail(c, -EINVAL, "unknown relational operator %u",
			       value);
	if (kind == P4TC_FILTER_OP_KIND_LOGICAL &&
	    (value < P4TC_FILTER_OP_LOGICAL_AND ||
	     value > P4TC_FILTER_OP_LOGICAL_XOR))
		return nl_fail(c, -EINVAL, "unknown logical operator %u",
			       value);
	if (kind != P4TC_FILTER_OP_KIND_REL &&
	    kind != P4TC_FILTER_OP_KIND_LOGICAL)
		return nl_fail(c, -EINVAL, "unknown operator kind %u", kind);
	return 0;
}

static int decode_op(struct nl_ctx *c, const struct nlattr *op,
		     const struct p4x_p4tc_nl_fnode **out)
{
	const struct nlattr *tb[P4TC_FILTER_OP_NODE2 + 1];
	struct p4x_p4tc_nl_fnode *n;
	unsigned int w = nl_push(c, "op", -1);
	int ret = 0;

	if (++c->depth > P4TC_FILTER_DEPTH_LIMIT)
		ret = nl_fail(c, -E2BIG, "filter deeper than %d",
			      P4TC_FILTER_DEPTH_LIMIT);
	if (!ret)
		ret = nl_nested(c, op);
	if (!ret)
		ret = nl_parse_nest(c, op, tb, P4TC_FILTER_OP_NODE2);
	n = ret ? NULL : fnode_new(c, P4X_P4TC_NL_FNODE_OP);
	if (!ret && !n)
		ret = -E2BIG;
	if (!ret && (!tb[P4TC_FILTER_OP_KIND] || !tb[P4TC_FILTER_OP_VALUE] ||
		     !tb[P4TC_FILTER_OP_NODE1]))
		ret = nl_fail(c, -EINVAL, "operation needs KIND, VALUE, NODE1");
	if (!ret)
		ret = nl_u16(c, tb[P4TC_FILTER_OP_KIND], &n->op_kind);
	if (!ret)
		ret = nl_u16(c, tb[P4TC_FILTER_OP_VALUE], &n->op_value);
	if (!ret)
		ret = check_op(c, n->op_kind, n->op_value);
	if (!ret)
		ret = decode_node(c, tb[P4TC_FILTER_OP_NODE1], &n->child[0]);
	if (!ret && tb[P4TC_FILTER_OP_NODE2])
		ret = decode_node(c, tb[P4TC_FILTER_OP_NODE2], &n->child[1]);
	/* one node: a relation compares the entry with the operand */
	c->depth--;
	nl_pop(c, w);
	*out = n;
	return ret;
}

/* iproute2 opens the P4TC_FILTER_OP nest twice: the last one counts. */
static int last_op(struct nl_ctx *c, const struct nlattr *a, void *arg)
{
	const struct nlattr **op = arg;

	if (mnl_attr_get_type(a) != P4TC_FILTER_OP)
		return nl_fail(c, -EOPNOTSUPP, "unknown filter attribute %u",
			       mnl_attr_get_type(a));
	*op = a;
	return 0;
}

int nl_decode_filter(struct nl_ctx *c, const struct nlattr *nest,
		     const struct p4x_p4tc_nl_fnode **out)
{
	const struct nlattr *op = NULL;
	int ret = nl_walk_nest(c, nest, last_op, &op);

	if (ret)
		return ret;
	if (!op || !mnl_attr_get_payload_len(op))
		return nl_fail(c, -EINVAL, "filter without an operation");
	c->depth = 0;
	return decode_op(c, op, out);
}
