// SPDX-License-Identifier: BSD-3-Clause
/*
 * `tc p4ctrl` filter expressions: lexer, recursive-descent parser and
 * operand/literal typing against one table of the model. The grammar and
 * precedence are tc's (iproute2 tc/p4tc_filter_parser.c); see
 * include/p4x/p4tc_filter.h. Evaluation and printing: filter_eval.c.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter_priv.h"
#include "p4tc_priv.h"

enum tok_kind {
	TOK_END,
	TOK_LP,
	TOK_RP,
	TOK_REL,
	TOK_LOGICAL,
	TOK_WORD,
};

struct tok {
	uint8_t kind; /* enum tok_kind */
	uint8_t op; /* REL: enum p4x_filter_rel; LOGICAL: p4x_filter_logical */
	int len;
	const char *s; /* into the expression */
};

/* Every operator spelling tc accepts; longest first where they share. */
static const struct {
	const char *s;
	uint8_t kind, op;
} spellings[] = {
	{"&&", TOK_LOGICAL, P4X_FILTER_AND},
	{"||", TOK_LOGICAL, P4X_FILTER_OR},
	{"^^", TOK_LOGICAL, P4X_FILTER_XOR},
	{"==", TOK_REL, P4X_FILTER_REL_EQ},
	{"!=", TOK_REL, P4X_FILTER_REL_NE},
	{"/=", TOK_REL, P4X_FILTER_REL_NE},
	{"<>", TOK_REL, P4X_FILTER_REL_NE},
	{"<=", TOK_REL, P4X_FILTER_REL_LE},
	{">=", TOK_REL, P4X_FILTER_REL_GE},
	{"=", TOK_REL, P4X_FILTER_REL_EQ},
	{"<", TOK_REL, P4X_FILTER_REL_LT},
	{">", TOK_REL, P4X_FILTER_REL_GT},
	{"!", TOK_LOGICAL, P4X_FILTER_NOT},
	{"(", TOK_LP, 0},
	{")", TOK_RP, 0},
};

struct parser {
	const char *expr; /* start, for character positions */
	const char *p;	  /* next character */
	struct tok cur;	  /* lookahead */
	struct tok prev;  /* last token consumed; kind END before the first */
	const struct p4x_p4tc *m;
	const struct p4x_p4tc_pipeline *pipe;
	const struct p4x_p4tc_table_def *t;
	unsigned int flags;
	struct p4x_p4tc_filter *f;
	char *err;
	size_t errsz;
};

/* A primary: a condition (node) or a word still to be typed. */
struct term {
	bool is_node;
	uint8_t node;
	struct tok tok;
};

static int perr(struct parser *ps, const char *fmt, ...) __p4x_printf(2, 3);

static int perr(struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!ps->err || !ps->errsz)
		return -EINVAL;
	n = snprintf(ps->err, ps->errsz, "filter: ");
	if ((size_t)n < ps->errsz) {
		va_start(ap, fmt);
		vsnprintf(ps->err + n, ps->errsz - n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* A token's text, NUL-terminated in @buf (shortened if long). */
static const char *tok_str(const struct tok *t, char *buf, size_t sz)
{
	if (t->kind == TOK_END)
		snprintf(buf, sz, "the end");
	else if ((size_t)t->len < sz)
		snprintf(buf, sz, "%.*s", t->len, t->s);
	else
		snprintf(buf, sz, "%.*s...", (int)sz - 4, t->s);
	return buf;
}

/* "after <previous token>" or "at the start". */
static const char *where(const struct parser *ps, char *buf, size_t sz)
{
	char tb[96];

	if (ps->prev.kind == TOK_END)
		snprintf(buf, sz, "at the start");
	else
		snprintf(buf, sz, "after %s",
			 tok_str(&ps->prev, tb, sizeof(tb)));
	return buf;
}

static bool word_char(const char *p)
{
	if (*p == '/')
		return p[1] != '=';
	return *p && (isalnum((unsigned char)*p) || strchr("_.:@-+", *p));
}

static int lex(struct parser *ps)
{
	const char *p = ps->p;
	char wb[128];

	while (isspace((unsigned char)*p))
		p++;
	ps->cur = (struct tok){.kind = TOK_END, .s = p};
	ps->p = p;
	if (!*p)
		return 0;
	for (size_t i = 0; i < P4X_ARRAY_SIZE(spellings); i++) {
		size_t n = strlen(spellings[i].s);

		if (strncmp(p, spellings[i].s, n))
			continue;
		ps->cur.kind = spellings[i].kind;
		ps->cur.op = spellings[i].op;
		ps->cur.len = (int)n;
		ps->p = p + n;
		return 0;
	}
	if (!word_char(p)) {
		if (strchr("&|^", *p))
			return perr(ps, "unknown operator %c %s (use %c%c)", *p,
				    where(ps, wb, sizeof(wb)), *p, *p);
		return perr(ps, "unexpected character '%c' %s", *p,
			    where(ps, wb, sizeof(wb)));
	}
	while (word_char(p))
		p++;
	ps->cur.kind = TOK_WORD;
	ps->cur.len = (int)(p - ps->p);
	ps->p = p;
	return 0;
}

static int advance(struct parser *ps)
{
	ps->prev = ps->cur;
	return lex(ps);
}

static int tok_pos(const struct parser *ps, const struct tok *t)
{
	return (int)(t->s - ps->expr) + 1;
}

static int new_node(struct parser *ps, const struct tok *at, uint8_t *idx)
{
	char tb[32];

	if (ps->f->nnodes == P4X_FILTER_MAX_NODES)
		return perr(ps,
			    "more than %d nested logical operators (P4TC's "
			    "limit) at %s (character %d)",
			    P4X_P4TC_FILTER_DEPTH, tok_str(at, tb, sizeof(tb)),
			    tok_pos(ps, at));
	*idx = ps->f->nnodes++;
	memset(&ps->f->nodes[*idx], 0, sizeof(ps->f->nodes[*idx]));
	return 0;
}

/* A logical node over @a (and @b unless NOT), within the depth limit. */
static int new_logical(struct parser *ps, const struct tok *optok, uint8_t a,
		       uint8_t b, uint8_t *idx)
{
	struct p4x_filter_node *na = &ps->f->nodes[a];
	unsigned int depth = na->depth;
	struct p4x_filter_node *n;
	char tb[32];
	int ret;

	if (optok->op != P4X_FILTER_NOT)
		depth = P4X_MAX(depth, ps->f->nodes[b].depth);
	if (depth + 1 > P4X_P4TC_FILTER_DEPTH)
		return perr(ps,
			    "more than %d nested logical operators (P4TC's "
			    "limit) at %s (character %d)",
			    P4X_P4TC_FILTER_DEPTH,
			    tok_str(optok, tb, sizeof(tb)), tok_pos(ps, optok));
	ret = new_node(ps, optok, idx);
	if (ret)
		return ret;
	n = &ps->f->nodes[*idx];
	n->kind = P4X_FILTER_NODE_LOGICAL;
	n->op = optok->op;
	n->depth = (uint8_t)(depth + 1);
	n->a = a;
	n->b = b;
	return 0;
}

/* --- operands ------------------------------------------------------------ */

static bool is_operand(const char *w)
{
	return !strcmp(w, "prio") || !strcmp(w, "msecs_since") ||
	       !strcmp(w, "cmd") || !strncmp(w, "key.", 4) ||
	       !strncmp(w, "param.", 6);
}

/* Append ", name" (or "name" first) to a list in @buf. */
static void list_add(char *buf, size_t sz, const char *name)
{
	size_t n = strlen(buf);

	if (n < sz)
		snprintf(buf + n, sz - n, "%s%s", n ? ", " : "", name);
}

static const char *last_component(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot ? dot + 1 : name;
}

/* Key field @name: exact, then "<P>.<cb>.<tbl>.<field>", then a unique
 * last component. -1 if none, -2 if ambiguous. */
static int find_key(const struct parser *ps, const char *name)
{
	const struct p4x_p4tc_table_def *t = ps->t;
	char qual[P4X_P4TC_NAMSZ + P4X_P4TC_PATHSZ + 2];
	size_t ql;
	int found = -1;

	for (uint32_t i = 0; i < t->nkeys; i++)
		if (!strcmp(t->keys[i].name, name))
			return (int)i;
	snprintf(qual, sizeof(qual), "%s.%s.",
		 p4x_p4tc_pipeline__name(ps->pipe), t->name);
	for (char *s = qual; *s; s++)
		if (*s == '/')
			*s = '.';
	ql = strlen(qual);
	if (!strncmp(name, qual, ql) && name[ql])
		return find_key(ps, name + ql);
	if (strchr(name, '.'))
		return -1;
	for (uint32_t i = 0; i < t->nkeys; i++) {
		if (strcmp(last_component(t->keys[i].name), name))
			continue;
		if (found >= 0)
			return -2;
		found = (int)i;
	}
	return found;
}

static int key_error(struct parser *ps, const char *name, int why)
{
	const struct p4x_p4tc_table_def *t = ps->t;
	char list[512] = "";

	for (uint32_t i = 0; i < t->nkeys; i++)
		if (why == -1 || !strcmp(last_component(t->keys[i].name), name))
			list_add(list, sizeof(list), t->keys[i].name);
	if (why == -2)
		return perr(ps, "key field %s is ambiguous (%s)", name, list);
	return perr(ps, "unknown key field %s (fields: %s)", name, list);
}

static int resolve_key(struct parser *ps, const char *name,
		       struct p4x_filter_opnd *o)
{
	const struct p4x_p4tc_key_def *k;
	int i;

	if (!ps->t->nkeys)
		return perr(ps,
			    "table %s has no key fields (no introspection file "
			    "for pipeline %s)",
			    ps->f->table, p4x_p4tc_pipeline__name(ps->pipe));
	i = find_key(ps, name);
	if (i < 0)
		return key_error(ps, name, i);
	k = &ps->t->keys[i];
	o->kind = P4X_FILTER_OPND_KEY;
	o->type = k->type;
	o->offset = k->offset;
	snprintf(o->name, sizeof(o->name), "key.%s", k->name);
	return 0;
}

static const struct p4x_p4tc_action_def *find_act(struct parser *ps,
						  const char *name)
{
	const struct p4x_p4tc_action_def *a;

	for (uint32_t i = 0; i < ps->t->nacts; i++) {
		a = p4x_p4tc_pipeline__action_by_id(ps->pipe,
						    ps->t->acts[i].act_id);
		if (a && !strcmp(a->name, name))
			return a;
	}
	return NULL;
}

static int act_error(struct parser *ps, const char *name)
{
	const struct p4x_p4tc_action_def *a;
	char list[512] = "";

	for (uint32_t i = 0; i < ps->t->nacts; i++) {
		a = p4x_p4tc_pipeline__action_by_id(ps->pipe,
						    ps->t->acts[i].act_id);
		if (a)
			list_add(list, sizeof(list), a->name);
	}
	return perr(ps, "action %s is not an action of table %s (actions: %s)",
		    name, ps->t->name, list);
}

static int param_error(struct parser *ps, const struct p4x_p4tc_action_def *a,
		       const char *name)
{
	char list[512] = "";

	for (uint32_t i = 0; i < a->nparams; i++)
		list_add(list, sizeof(list), a->params[i].name);
	return perr(ps, "action %s has no param %s (params: %s)", a->name, name,
		    list);
}

/* Split @s (modified) on '.' into at most @max non-empty parts; -1 if
 * more or one is empty. */
static int split_dots(char *s, char **parts, int max)
{
	int n = 0;

	for (char *tok; (tok = strsep(&s, "."));) {
		if (n == max || !*tok)
			return -1;
		parts[n++] = tok;
	}
	return n;
}

static int resolve_param(struct parser *ps, const char *word,
			 struct p4x_filter_opnd *o)
{
	const struct p4x_p4tc_action_def *a;
	const char *pipe = p4x_p4tc_pipeline__name(ps->pipe);
	char buf[256], an[2 * P4X_P4TC_PATHSZ];
	char *parts[4];
	int n;

	if (!strncmp(word, "param.ext.", 10))
		return perr(
			ps,
			"%s: extern operands (param.ext...) are not supported",
			word);
	if (strncmp(word, "param.act.", 10) || strlen(word) >= sizeof(buf))
		return perr(ps,
			    "unknown operand %s (expected "
			    "param.act.<cb>.<act>.<param>)",
			    word);
	strcpy(buf, word + 10);
	n = split_dots(buf, parts, 4);
	if (n < 3)
		return perr(ps, "%s: expected param.act.<cb>.<act>.<param>",
			    word);
	if (n == 4 && strcmp(parts[0], pipe))
		return perr(ps, "%s: pipeline %s is not %s", word, parts[0],
			    pipe);
	snprintf(an, sizeof(an), "%s/%s", parts[n - 3], parts[n - 2]);
	a = find_act(ps, an);
	if (!a)
		return act_error(ps, an);
	for (uint32_t i = 0; i < a->nparams; i++) {
		if (strcmp(a->params[i].name, parts[n - 1]))
			continue;
		o->kind = P4X_FILTER_OPND_PARAM;
		o->type = a->params[i].type;
		o->offset = a->params[i].offset;
		o->act_id = a->id;
		snprintf(o->name, sizeof(o->name), "param.act.%s.%s.%s",
			 parts[n - 3], parts[n - 2], parts[n - 1]);
		return 0;
	}
	return param_error(ps, a, parts[n - 1]);
}

static int resolve_operand(struct parser *ps, const char *w,
			   struct p4x_filter_opnd *o)
{
	static const struct {
		const char *name;
		uint8_t kind;
	} plain[] = {
		{"prio", P4X_FILTER_OPND_PRIO},
		{"msecs_since", P4X_FILTER_OPND_MSECS},
		{"cmd", P4X_FILTER_OPND_CMD},
	};

	for (size_t i = 0; i < P4X_ARRAY_SIZE(plain); i++) {
		if (strcmp(w, plain[i].name))
			continue;
		if (plain[i].kind == P4X_FILTER_OPND_CMD &&
		    !(ps->flags & P4X_P4TC_FILTER_F_CMD))
			return perr(
				ps,
				"cmd is only valid in monitor subscriptions");
		o->kind = plain[i].kind;
		snprintf(o->name, sizeof(o->name), "%s", w);
		return 0;
	}
	if (!strncmp(w, "key.", 4))
		return resolve_key(ps, w + 4, o);
	return resolve_param(ps, w, o);
}

/* --- literals ------------------------------------------------------------ */

static void full_mask(unsigned int bits, uint8_t out[P4X_P4TC_VALUE_BYTES])
{
	memset(out, 0, P4X_P4TC_VALUE_BYTES);
	for (unsigned int i = 0; i < bits; i++)
		out[P4X_P4TC_VALUE_BYTES - 1 - i / 8] |= (uint8_t)(1u << i % 8);
}

/* Prefix length of @mask over @bits, or -1. */
static int mask_prefix(const uint8_t *mask, unsigned int bits)
{
	uint8_t want[P4X_P4TC_VALUE_BYTES], low[P4X_P4TC_VALUE_BYTES];

	full_mask(bits, want);
	for (unsigned int n = bits + 1; n-- > 0;) {
		full_mask(bits - n, low);
		for (int i = 0; i < P4X_P4TC_VALUE_BYTES; i++)
			low[i] = want[i] & ~low[i];
		if (!memcmp(low, mask, P4X_P4TC_VALUE_BYTES))
			return (int)n;
	}
	return -1;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "08:00:20:xx:xx:xx": 6 groups of 1-2 hex digits, x = don't care. */
static int parse_mac_wild(const char *s, struct p4x_p4tc_value *v)
{
	uint8_t *val = v->val + 10, *mask = v->mask + 10;
	int i = 0;

	memset(v, 0, sizeof(*v));
	for (; i < 6; i++, s++) {
		int n = 0;

		for (; *s && *s != ':'; s++, n++) {
			int h = hexval(*s);
			bool x = *s == 'x' || *s == 'X';

			if (n == 2 || (h < 0 && !x))
				return -EINVAL;
			val[i] = (uint8_t)(val[i] << 4 | (x ? 0 : h));
			mask[i] = (uint8_t)(mask[i] << 4 | (x ? 0 : 0xf));
		}
		if (!n || (i < 5 && *s != ':') || (i == 5 && *s))
			return -EINVAL;
		/* one digit: the whole byte ("5" = 05, "x" = xx) */
		if (n == 1 && mask[i])
			mask[i] = 0xff;
	}
	return 0;
}

static const struct {
	const char *prefix;
	uint8_t kind;
	const char *what;
} lit_prefixes[] = {
	{"@4:", P4X_P4TC_K_IPV4, "an ipv4 address"},
	{"@6:", P4X_P4TC_K_IPV6, "an ipv6 address"},
	{"@MAC:", P4X_P4TC_K_MACADDR, "a mac address"},
	{"@mac:", P4X_P4TC_K_MACADDR, "a mac address"},
};

/* Value @w of the key field or param @o, with its @4:/@6:/@MAC: prefix. */
static int parse_typed(struct parser *ps, const struct p4x_filter_opnd *o,
		       const char *w, struct p4x_filter_lit *l)
{
	const char *body = w, *prefix = "";
	char msg[256], tn[32];
	size_t i;

	for (i = 0; w[0] == '@' && i < P4X_ARRAY_SIZE(lit_prefixes); i++)
		if (!strncmp(w, lit_prefixes[i].prefix,
			     strlen(lit_prefixes[i].prefix)))
			break;
	if (w[0] == '@' && i == P4X_ARRAY_SIZE(lit_prefixes))
		return perr(
			ps,
			"%s: unknown literal prefix (use @4:, @6: or @MAC:)",
			w);
	if (w[0] == '@') {
		p4x_p4tc_type__name(&o->type, tn, sizeof(tn));
		if (lit_prefixes[i].kind != o->type.kind)
			return perr(ps, "%s is %s but %s is %s", w,
				    lit_prefixes[i].what, o->name, tn);
		prefix = lit_prefixes[i].prefix;
		body = w + strlen(prefix);
	}
	if (o->type.kind == P4X_P4TC_K_MACADDR && strchr(body, ':') &&
	    strpbrk(body, "xX") && !strchr(body, '/')) {
		if (parse_mac_wild(body, &l->v))
			return perr(ps, "%s is not a mac address", w);
	} else if (p4x_p4tc_value__parse(&o->type, body, P4X_P4TC_PARSE_MASK,
					 &ps->m->dev, &l->v, msg,
					 sizeof(msg))) {
		return perr(ps, "%s%s", prefix, msg);
	}
	return 0;
}

/* Keep val & mask; masked (and printed with a mask) only if narrower. */
static void lit_normalise(const struct p4x_p4tc_type *t,
			  struct p4x_filter_lit *l)
{
	uint8_t full[P4X_P4TC_VALUE_BYTES];

	full_mask(t->bitsz, full);
	for (int i = 0; i < P4X_P4TC_VALUE_BYTES; i++)
		l->v.val[i] &= l->v.mask[i];
	l->masked = memcmp(full, l->v.mask, sizeof(full)) != 0;
	l->v.has_mask = l->masked;
	l->v.prefix = (int16_t)mask_prefix(l->v.mask, t->bitsz);
}

static int parse_cmd(struct parser *ps, const char *w, uint8_t rel,
		     struct p4x_filter_lit *l)
{
	for (unsigned int c = P4X_P4TC_FILTER_CMD_CREATE;
	     c <= P4X_P4TC_FILTER_CMD_DELETE; c++) {
		if (strcmp(w, p4x_filter_cmd__str(c)))
			continue;
		if (rel != P4X_FILTER_REL_EQ && rel != P4X_FILTER_REL_NE)
			return perr(ps, "cmd only takes = and !=, not %s",
				    p4x_filter_rel__str(rel));
		l->num = c;
		ps->f->uses_cmd = true;
		return 0;
	}
	return perr(ps, "%s is not a cmd (create, update, delete)", w);
}

static int parse_lit(struct parser *ps, const struct p4x_filter_opnd *o,
		     const char *w, uint8_t rel, struct p4x_filter_lit *l)
{
	int ret;

	switch (o->kind) {
	case P4X_FILTER_OPND_PRIO:
	case P4X_FILTER_OPND_MSECS:
		if (p4x_p4tc_parse_u64(w, UINT32_MAX, &l->num))
			return perr(ps, "%s is not a number for %s (0..%u)", w,
				    o->name, UINT32_MAX);
		return 0;
	case P4X_FILTER_OPND_CMD:
		return parse_cmd(ps, w, rel, l);
	default:
		break;
	}
	ret = parse_typed(ps, o, w, l);
	if (ret)
		return ret;
	lit_normalise(&o->type, l);
	if (l->masked && rel != P4X_FILTER_REL_EQ && rel != P4X_FILTER_REL_NE)
		return perr(ps, "%s %s: a masked value only goes with = and !=",
			    o->name, p4x_filter_rel__str(rel));
	return 0;
}

/* --- grammar ------------------------------------------------------------- */

static uint8_t rel_mirror(uint8_t rel)
{
	switch (rel) {
	case P4X_FILTER_REL_LT:
		return P4X_FILTER_REL_GT;
	case P4X_FILTER_REL_GT:
		return P4X_FILTER_REL_LT;
	case P4X_FILTER_REL_LE:
		return P4X_FILTER_REL_GE;
	case P4X_FILTER_REL_GE:
		return P4X_FILTER_REL_LE;
	default:
		return rel;
	}
}

/*
 * Check the two sides of a comparison: one operand, one literal. Their
 * words go to @opnd and @lit; *@swapped if the literal came first.
 */
static int cmp_sides(struct parser *ps, const struct term *l,
		     const struct term *r, const struct tok *reltok, char *opnd,
		     char *lit, size_t sz, bool *swapped)
{
	char lw[128], rw[128];
	bool lo, ro;

	if (l->is_node || r->is_node)
		return perr(ps,
			    "%.*s compares a condition (character %d): compare "
			    "an operand with a value",
			    reltok->len, reltok->s, tok_pos(ps, reltok));
	tok_str(&l->tok, lw, sizeof(lw));
	tok_str(&r->tok, rw, sizeof(rw));
	lo = is_operand(lw);
	ro = is_operand(rw);
	if (lo && ro)
		return perr(ps,
			    "cannot compare %s with %s: compare an operand "
			    "with a value",
			    lw, rw);
	if (!lo && !ro)
		return perr(
			ps,
			"unknown operand %s (operands: key.<field>, "
			"param.act.<cb>.<act>.<param>, prio, msecs_since, cmd)",
			lw);
	*swapped = !lo;
	snprintf(opnd, sz, "%s", lo ? lw : rw);
	snprintf(lit, sz, "%s", lo ? rw : lw);
	return 0;
}

static int build_cmp(struct parser *ps, const struct term *l,
		     const struct term *r, const struct tok *reltok,
		     uint8_t *idx)
{
	struct p4x_filter_node n = {.kind = P4X_FILTER_NODE_CMP};
	char ow[128], lw[128];
	bool swapped = false;
	int ret;

	ret = cmp_sides(ps, l, r, reltok, ow, lw, sizeof(ow), &swapped);
	if (ret)
		return ret;
	n.op = swapped ? rel_mirror(reltok->op) : reltok->op;
	ret = resolve_operand(ps, ow, &n.opnd);
	if (!ret)
		ret = parse_lit(ps, &n.opnd, lw, n.op, &n.lit);
	if (!ret)
		ret = new_node(ps, reltok, idx);
	if (ret)
		return ret;
	ps->f->nodes[*idx] = n;
	return 0;
}

static int parse_level(struct parser *ps, int prec, uint8_t *idx);

static int parse_parens(struct parser *ps, struct term *out)
{
	char wb[128], tb[96];
	int ret;

	ret = advance(ps);
	if (!ret)
		ret = parse_level(ps, 1, &out->node);
	if (ret)
		return ret;
	out->is_node = true;
	if (ps->cur.kind == TOK_RP)
		return advance(ps);
	if (ps->cur.kind == TOK_END)
		return perr(ps, "missing ) %s", where(ps, wb, sizeof(wb)));
	if (ps->cur.kind == TOK_REL)
		return perr(ps, "comparisons cannot be chained (%s %s)",
			    tok_str(&ps->cur, tb, sizeof(tb)),
			    where(ps, wb, sizeof(wb)));
	return perr(ps, "expected ) %s, got %s", where(ps, wb, sizeof(wb)),
		    tok_str(&ps->cur, tb, sizeof(tb)));
}

static int parse_primary(struct parser *ps, struct term *out)
{
	struct tok optok = ps->cur;
	char wb[128], tb[96];
	struct term sub;
	int ret;

	memset(out, 0, sizeof(*out));
	switch (ps->cur.kind) {
	case TOK_LP:
		return parse_parens(ps, out);
	case TOK_WORD:
		out->tok = ps->cur;
		return advance(ps);
	case TOK_END:
		if (ps->prev.kind == TOK_END)
			return perr(ps, "empty expression");
		return perr(ps, "expected an operand %s",
			    where(ps, wb, sizeof(wb)));
	default:
		break;
	}
	if (ps->cur.kind != TOK_LOGICAL || ps->cur.op != P4X_FILTER_NOT)
		return perr(ps, "expected an operand or ( %s, got %s",
			    where(ps, wb, sizeof(wb)),
			    tok_str(&ps->cur, tb, sizeof(tb)));
	ret = advance(ps);
	if (!ret)
		ret = parse_primary(ps, &sub);
	if (ret)
		return ret;
	if (!sub.is_node)
		return perr(ps, "! needs a condition in parentheses, not %s",
			    tok_str(&sub.tok, tb, sizeof(tb)));
	out->is_node = true;
	return new_logical(ps, &optok, sub.node, 0, &out->node);
}

static int parse_cmp(struct parser *ps, uint8_t *idx)
{
	struct term l, r;
	struct tok reltok;
	char wb[128];
	int ret;

	ret = parse_primary(ps, &l);
	if (ret)
		return ret;
	if (ps->cur.kind != TOK_REL) {
		if (!l.is_node)
			return perr(ps, "expected an operator %s",
				    where(ps, wb, sizeof(wb)));
		*idx = l.node;
		return 0;
	}
	reltok = ps->cur;
	ret = advance(ps);
	if (!ret)
		ret = parse_primary(ps, &r);
	if (ret)
		return ret;
	return build_cmp(ps, &l, &r, &reltok, idx);
}

static int logical_prec(const struct tok *t)
{
	if (t->kind != TOK_LOGICAL || t->op == P4X_FILTER_NOT)
		return -1;
	return p4x_filter_logical__prec(t->op);
}

/* Left-associative binary level @prec (|| 1, ^^ 2, && 3, comparison 4). */
static int parse_level(struct parser *ps, int prec, uint8_t *idx)
{
	struct tok optok;
	uint8_t r;
	int ret;

	if (prec == P4X_FILTER_PREC_CMP)
		return parse_cmp(ps, idx);
	ret = parse_level(ps, prec + 1, idx);
	while (!ret && logical_prec(&ps->cur) == prec) {
		optok = ps->cur;
		ret = advance(ps);
		if (!ret)
			ret = parse_level(ps, prec + 1, &r);
		if (!ret)
			ret = new_logical(ps, &optok, *idx, r, idx);
	}
	return ret;
}

static int parse_top(struct parser *ps)
{
	char wb[128], tb[96];
	int ret;

	ret = lex(ps);
	if (!ret)
		ret = parse_level(ps, 1, &ps->f->root);
	if (ret)
		return ret;
	switch (ps->cur.kind) {
	case TOK_END:
		return 0;
	case TOK_RP:
		return perr(ps, "unbalanced ) %s", where(ps, wb, sizeof(wb)));
	case TOK_REL:
		return perr(ps, "comparisons cannot be chained (%s %s)",
			    tok_str(&ps->cur, tb, sizeof(tb)),
			    where(ps, wb, sizeof(wb)));
	default:
		return perr(ps, "expected &&, ||, ^^ or the end %s, got %s",
			    where(ps, wb, sizeof(wb)),
			    tok_str(&ps->cur, tb, sizeof(tb)));
	}
}

/* --- public -------------------------------------------------------------- */

static int find_table(struct parser *ps, const char *table)
{
	char pname[P4X_P4TC_NAMSZ];
	const char *slash = strchr(table, '/');

	ps->t = slash ? p4x_p4tc__table_get(ps->m, table) : NULL;
	if (!ps->t || (size_t)(slash - table) >= sizeof(pname)) {
		perr(ps, "no table %s", table);
		return -ENOENT;
	}
	snprintf(pname, sizeof(pname), "%.*s", (int)(slash - table), table);
	ps->pipe = p4x_p4tc__pipeline_get(ps->m, pname);
	snprintf(ps->f->table, sizeof(ps->f->table), "%s/%s", pname,
		 ps->t->name);
	return 0;
}

struct p4x_p4tc_filter *p4x_p4tc_filter__parse_str(
	const struct p4x_p4tc *m, const char *table, const char *expr,
	const struct p4x_p4tc_filter_opts *opts, char *err, size_t errsz)
{
	struct parser ps = {
		.expr = expr,
		.p = expr,
		.m = m,
		.err = err,
		.errsz = errsz,
	};
	int ret;

	if (opts && opts->sz >= offsetof(struct p4x_p4tc_filter_opts, flags) +
					sizeof(opts->flags))
		ps.flags = opts->flags;
	ps.f = calloc(1, sizeof(*ps.f));
	if (!ps.f) {
		p4x_p4tc_errf(err, errsz, -ENOMEM, "filter: out of memory");
		errno = ENOMEM;
		return NULL;
	}
	ret = find_table(&ps, table);
	if (!ret)
		ret = parse_top(&ps);
	if (ret) {
		free(ps.f);
		errno = -ret;
		return NULL;
	}
	return ps.f;
}

struct p4x_p4tc_filter *
p4x_p4tc_filter__parse(const struct p4x_p4tc *m, const char *table, int argc,
		       char *const *argv,
		       const struct p4x_p4tc_filter_opts *opts, char *err,
		       size_t errsz)
{
	struct p4x_p4tc_filter *f;
	size_t len = 1;
	char *expr;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	expr = calloc(1, len);
	if (!expr) {
		p4x_p4tc_errf(err, errsz, -ENOMEM, "filter: out of memory");
		errno = ENOMEM;
		return NULL;
	}
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(expr, " ");
		strcat(expr, argv[i]);
	}
	f = p4x_p4tc_filter__parse_str(m, table, expr, opts, err, errsz);
	free(expr);
	return f;
}

void p4x_p4tc_filter__free(struct p4x_p4tc_filter *f)
{
	free(f);
}

const char *p4x_p4tc_filter__table(const struct p4x_p4tc_filter *f)
{
	return f->table;
}

bool p4x_p4tc_filter__uses_cmd(const struct p4x_p4tc_filter *f)
{
	return f->uses_cmd;
}
