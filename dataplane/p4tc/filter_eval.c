// SPDX-License-Identifier: BSD-3-Clause
/*
 * Compiled `tc p4ctrl` filters: evaluation against an entry view and the
 * canonical text form. Values are compared as numbers (the model's
 * big-endian 16-byte form, p4tc_types.h), so host-order bitN fields and
 * network-order beN/address fields compare in their numeric order.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "filter_priv.h"

static const char *const rel_strs[] = {
#define P4X_FILTER_REL_STR(e, v, s) [v] = s,
	P4X_FILTER_RELS(P4X_FILTER_REL_STR)
#undef P4X_FILTER_REL_STR
};

static const char *const logical_strs[] = {
#define P4X_FILTER_LOG_STR(e, v, s, p) [v] = s,
	P4X_FILTER_LOGICALS(P4X_FILTER_LOG_STR)
#undef P4X_FILTER_LOG_STR
};

static const int logical_precs[] = {
#define P4X_FILTER_LOG_PREC(e, v, s, p) [v] = p,
	P4X_FILTER_LOGICALS(P4X_FILTER_LOG_PREC)
#undef P4X_FILTER_LOG_PREC
};

static const char *const cmd_strs[] = {
	[P4X_P4TC_FILTER_CMD_NONE] = "none",
	[P4X_P4TC_FILTER_CMD_CREATE] = "create",
	[P4X_P4TC_FILTER_CMD_UPDATE] = "update",
	[P4X_P4TC_FILTER_CMD_DELETE] = "delete",
};

const char *p4x_filter_rel__str(unsigned int rel)
{
	return rel < P4X_ARRAY_SIZE(rel_strs) ? rel_strs[rel] : "?";
}

const char *p4x_filter_logical__str(unsigned int op)
{
	return op < P4X_ARRAY_SIZE(logical_strs) ? logical_strs[op] : "?";
}

int p4x_filter_logical__prec(unsigned int op)
{
	return op < P4X_ARRAY_SIZE(logical_precs) ? logical_precs[op] : 0;
}

const char *p4x_filter_cmd__str(unsigned int cmd)
{
	return cmd < P4X_ARRAY_SIZE(cmd_strs) ? cmd_strs[cmd] : "?";
}

/* --- evaluation ---------------------------------------------------------- */

static bool rel_holds(uint8_t rel, int cmp)
{
	switch (rel) {
	case P4X_FILTER_REL_EQ:
		return cmp == 0;
	case P4X_FILTER_REL_NE:
		return cmp != 0;
	case P4X_FILTER_REL_LT:
		return cmp < 0;
	case P4X_FILTER_REL_GT:
		return cmp > 0;
	case P4X_FILTER_REL_LE:
		return cmp <= 0;
	default:
		return cmp >= 0;
	}
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static bool sign_bit(const uint8_t *num, unsigned int bits)
{
	unsigned int b = bits - 1;

	return num[P4X_P4TC_VALUE_BYTES - 1 - b / 8] >> (b % 8) & 1;
}

/* Numeric order of two values of @t (intN: two's complement). */
static int cmp_num(const struct p4x_p4tc_type *t, const uint8_t *a,
		   const uint8_t *b)
{
	if (t->kind == P4X_P4TC_K_INT &&
	    sign_bit(a, t->bitsz) != sign_bit(b, t->bitsz))
		return sign_bit(a, t->bitsz) ? -1 : 1;
	return memcmp(a, b, P4X_P4TC_VALUE_BYTES);
}

/* Entry value @v (with the entry's mask) against the literal. */
static bool cmp_value(const struct p4x_filter_node *n,
		      const struct p4x_p4tc_value *v)
{
	const uint8_t *lv = n->lit.v.val, *lm = n->lit.v.mask;
	bool within = true;

	if (!n->lit.masked)
		return rel_holds(n->op, cmp_num(&n->opnd.type, v->val, lv));
	for (int i = 0; i < P4X_P4TC_VALUE_BYTES; i++)
		within &= (v->mask[i] & lm[i]) == lm[i] &&
			  (v->val[i] & lm[i]) == lv[i];
	return n->op == P4X_FILTER_REL_EQ ? within : !within;
}

static bool eval_key(const struct p4x_filter_node *n,
		     const struct p4x_p4tc_filter_entry *e)
{
	unsigned int off = n->opnd.offset;
	struct p4x_p4tc_value v;

	if (!e->key ||
	    off + p4x_p4tc_type__blob_bytes(&n->opnd.type) > e->keylen)
		return false;
	p4x_p4tc_value__unpack(&n->opnd.type, e->key + off,
			       e->mask ? e->mask + off : NULL, &v);
	for (int i = 0; i < P4X_P4TC_VALUE_BYTES; i++)
		v.val[i] &= v.mask[i];
	return cmp_value(n, &v);
}

static bool eval_param(const struct p4x_filter_node *n,
		       const struct p4x_p4tc_filter_entry *e)
{
	unsigned int off = n->opnd.offset;
	struct p4x_p4tc_value v;

	if (e->act_id != n->opnd.act_id || !e->params ||
	    off + p4x_p4tc_type__blob_bytes(&n->opnd.type) > e->params_len)
		return false;
	p4x_p4tc_value__unpack(&n->opnd.type, e->params + off, NULL, &v);
	return cmp_value(n, &v);
}

static bool eval_cmp(const struct p4x_filter_node *n,
		     const struct p4x_p4tc_filter_entry *e)
{
	uint64_t idle;

	switch (n->opnd.kind) {
	case P4X_FILTER_OPND_KEY:
		return eval_key(n, e);
	case P4X_FILTER_OPND_PARAM:
		return eval_param(n, e);
	case P4X_FILTER_OPND_PRIO:
		return rel_holds(n->op, cmp_u64(e->prio, n->lit.num));
	case P4X_FILTER_OPND_MSECS:
		idle = e->now_ms > e->last_used_ms ? e->now_ms - e->last_used_ms
						   : 0;
		return rel_holds(n->op, cmp_u64(idle, n->lit.num));
	default:
		return rel_holds(n->op, cmp_u64(e->cmd, n->lit.num));
	}
}

static bool eval(const struct p4x_p4tc_filter *f, uint8_t i,
		 const struct p4x_p4tc_filter_entry *e)
{
	const struct p4x_filter_node *n = &f->nodes[i];

	if (n->kind == P4X_FILTER_NODE_CMP)
		return eval_cmp(n, e);
	switch (n->op) {
	case P4X_FILTER_AND:
		return eval(f, n->a, e) && eval(f, n->b, e);
	case P4X_FILTER_OR:
		return eval(f, n->a, e) || eval(f, n->b, e);
	case P4X_FILTER_XOR:
		return eval(f, n->a, e) != eval(f, n->b, e);
	default:
		return !eval(f, n->a, e);
	}
}

bool p4x_p4tc_filter__match(const struct p4x_p4tc_filter *f,
			    const struct p4x_p4tc_filter_entry *e)
{
	return !f || eval(f, f->root, e);
}

/* --- printing ------------------------------------------------------------ */

struct out {
	char *buf;
	size_t sz;
	size_t len; /* what snprintf would have written so far */
};

static void outf(struct out *o, const char *fmt, ...) __p4x_printf(2, 3);

static void outf(struct out *o, const char *fmt, ...)
{
	size_t off = o->len < o->sz ? o->len : o->sz;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->buf ? o->buf + off : NULL, o->sz - off, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

static const char *lit_prefix(const struct p4x_p4tc_type *t)
{
	switch (t->kind) {
	case P4X_P4TC_K_IPV4:
		return "@4:";
	case P4X_P4TC_K_IPV6:
		return "@6:";
	case P4X_P4TC_K_MACADDR:
		return "@MAC:";
	default:
		return "";
	}
}

static void print_cmp(struct out *o, const struct p4x_filter_node *n)
{
	char vb[128];

	outf(o, "%s %s ", n->opnd.name, p4x_filter_rel__str(n->op));
	switch (n->opnd.kind) {
	case P4X_FILTER_OPND_KEY:
	case P4X_FILTER_OPND_PARAM:
		p4x_p4tc_value__print(&n->opnd.type, &n->lit.v, NULL, vb,
				      sizeof(vb));
		outf(o, "%s%s", lit_prefix(&n->opnd.type), vb);
		break;
	case P4X_FILTER_OPND_CMD:
		outf(o, "%s", p4x_filter_cmd__str((unsigned int)n->lit.num));
		break;
	default:
		outf(o, "%llu", (unsigned long long)n->lit.num);
		break;
	}
}

/* @parent: precedence of the enclosing operator; @right: its right side. */
static void print_node(struct out *o, const struct p4x_p4tc_filter *f,
		       uint8_t i, int parent, bool right)
{
	const struct p4x_filter_node *n = &f->nodes[i];
	const struct p4x_filter_node *a = &f->nodes[n->a];
	int prec = p4x_filter_logical__prec(n->op);
	bool paren;

	if (n->kind == P4X_FILTER_NODE_CMP) {
		print_cmp(o, n);
		return;
	}
	if (n->op == P4X_FILTER_NOT) {
		paren = a->kind == P4X_FILTER_NODE_CMP ||
			a->op != P4X_FILTER_NOT;
		outf(o, "!%s", paren ? "(" : "");
		print_node(o, f, n->a, 0, false);
		outf(o, "%s", paren ? ")" : "");
		return;
	}
	paren = prec < parent || (prec == parent && right);
	outf(o, "%s", paren ? "(" : "");
	print_node(o, f, n->a, prec, false);
	outf(o, " %s ", p4x_filter_logical__str(n->op));
	print_node(o, f, n->b, prec, true);
	outf(o, "%s", paren ? ")" : "");
}

int p4x_p4tc_filter__print(const struct p4x_p4tc_filter *f, char *buf,
			   size_t sz)
{
	struct out o = {.buf = buf, .sz = sz};

	if (buf && sz)
		buf[0] = '\0';
	print_node(&o, f, f->root, 0, false);
	return (int)o.len;
}
