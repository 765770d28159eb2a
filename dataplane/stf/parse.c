// SPDX-License-Identifier: BSD-3-Clause
/*
 * STF parser: one statement per line, `#` comments, keywords
 * case-insensitive as the first word. See include/p4x/stf.h.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "p4x/stf.h"

struct p4x_stf {
	struct p4x_stf_stmt *v;
	unsigned int n, cap;
};

static const char *const kind_words[P4X_STF__COUNT] = {
#define P4X_STF_KIND_WORD(e, word) [P4X_STF_##e] = word,
	P4X_STF_KINDS(P4X_STF_KIND_WORD)
#undef P4X_STF_KIND_WORD
};

/* Parse state of one line. */
struct line {
	const char *name;
	unsigned int no;
	char *err;
	size_t errsz;
};

static __p4x_printf(2, 3) int fail(const struct line *l, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(l->err, l->errsz, "%s:%u: %s", l->name, l->no, why);
	return -EINVAL;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int alloc_data(struct p4x_stf_stmt *s, size_t len)
{
	s->bytes = calloc(1, len ? len : 1);
	s->mask = calloc(1, len ? len : 1);
	return s->bytes && s->mask ? 0 : -ENOMEM;
}

/* One nibble @c at nibble index @i of @s. */
static int put_nibble(const struct line *l, struct p4x_stf_stmt *s, size_t i,
		      char c)
{
	unsigned int shift = i % 2 ? 0 : 4;
	int v;

	if (c == '*' && s->kind == P4X_STF_EXPECT)
		return 0;
	v = hexval(c);
	if (v < 0)
		return fail(l, "'%c' is not a hex digit%s", c,
			    s->kind == P4X_STF_PACKET ? " (* only in expect)"
						      : "");
	s->bytes[i / 2] |= (uint8_t)(v << shift);
	s->mask[i / 2] |= (uint8_t)(0xf << shift);
	return 0;
}

/* "<port> <hex groups>[$]": spaces between groups are irrelevant. */
static int parse_data(const struct line *l, struct p4x_stf_stmt *s, char *p)
{
	size_t digits = 0, i = 0;
	char *end, *q;
	long port;

	port = strtol(p, &end, 10);
	if (end == p || port < 0 || port >= P4X_STF_MAX_PORTS)
		return fail(l, "%s needs a port 0..%d first",
			    kind_words[s->kind], P4X_STF_MAX_PORTS - 1);
	s->port = (unsigned int)port;
	for (q = end; *q; q++)
		digits += !isspace((unsigned char)*q) && *q != '$';
	if (digits % 2 || digits / 2 > P4X_STF_PKT_MAX)
		return fail(l, "%zu hex digits: %s", digits,
			    digits % 2 ? "the count must be even"
				       : "the frame is too long");
	if (alloc_data(s, digits / 2))
		return -ENOMEM;
	s->len = digits / 2;
	for (q = end; *q; q++) {
		if (isspace((unsigned char)*q))
			continue;
		if (*q == '$') {
			if (s->kind != P4X_STF_EXPECT ||
			    q[1 + strspn(q + 1, " \t")])
				return fail(l, "'$' only ends an expect line");
			s->exact = true;
			continue;
		}
		if (put_nibble(l, s, i++, *q))
			return -EINVAL;
	}
	return 0;
}

static int copy_word(const struct line *l, char *dst, size_t cap,
		     const char *src, size_t n, const char *what)
{
	if (!n || n >= cap)
		return fail(l, "%s '%.*s' is %s", what, (int)n, src,
			    n ? "too long" : "empty");
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

/* "name:value" into @a. */
static int parse_arg(const struct line *l, struct p4x_stf_arg *a, const char *w,
		     size_t n)
{
	const char *colon = memchr(w, ':', n);

	if (!colon)
		return fail(l, "'%.*s' is not name:value", (int)n, w);
	if (copy_word(l, a->name, sizeof(a->name), w, (size_t)(colon - w),
		      "name"))
		return -EINVAL;
	return copy_word(l, a->value, sizeof(a->value), colon + 1,
			 n - (size_t)(colon - w) - 1, "value");
}

/* The words of @p up to @end, separated by spaces and commas. */
static int parse_args(const struct line *l, struct p4x_stf_arg *v,
		      unsigned int *n, const char *p, const char *end)
{
	size_t len;

	for (;;) {
		p += strspn(p, " \t,");
		if (p >= end)
			return 0;
		len = strcspn(p, " \t,");
		if (p + len > end)
			len = (size_t)(end - p);
		if (*n >= P4X_STF_MAX_ARGS)
			return fail(l, "more than %d keys or arguments",
				    P4X_STF_MAX_ARGS);
		if (parse_arg(l, &v[(*n)++], p, len))
			return -EINVAL;
		p += len;
	}
}

/* "<action>(<args>) [= <id>]" starting at @p. */
static int parse_action(const struct line *l, struct p4x_stf_stmt *s,
			const char *p)
{
	const char *open = strchr(p, '('), *close;

	if (!open)
		return fail(l, "%s: no action(...)", kind_words[s->kind]);
	close = strchr(open, ')');
	if (!close)
		return fail(l, "missing ) after the action arguments");
	if (copy_word(l, s->action, sizeof(s->action), p, (size_t)(open - p),
		      "action"))
		return -EINVAL;
	if (parse_args(l, s->params, &s->nparams, open + 1, close))
		return -EINVAL;
	close += 1 + strspn(close + 1, " \t");
	if (*close && *close != '=')
		return fail(l, "unexpected '%s' after the action", close);
	return 0;
}

/* Next word of @p (not past an action's '('): its length. */
static size_t word_len(const char *p)
{
	return strcspn(p, " \t(");
}

/* add <table> [<prio>] <key>:<val>... <action>(<args>) [= <id>] */
static int parse_add(const struct line *l, struct p4x_stf_stmt *s, char *p)
{
	size_t n = word_len(p);
	char *end;

	if (copy_word(l, s->table, sizeof(s->table), p, n, "table"))
		return -EINVAL;
	p += n;
	p += strspn(p, " \t");
	if (s->kind == P4X_STF_ADD && isdigit((unsigned char)*p) &&
	    !memchr(p, ':', word_len(p))) {
		s->prio = (uint32_t)strtoul(p, &end, 0);
		p = end + strspn(end, " \t");
	}
	while (s->kind == P4X_STF_ADD && *p && p[word_len(p)] != '(') {
		n = word_len(p);
		if (s->nkeys >= P4X_STF_MAX_ARGS)
			return fail(l, "more than %d keys", P4X_STF_MAX_ARGS);
		if (parse_arg(l, &s->keys[s->nkeys++], p, n))
			return -EINVAL;
		p += n;
		p += strspn(p, " \t");
	}
	return parse_action(l, s, p);
}

static int parse_stmt(const struct line *l, struct p4x_stf_stmt *s, char *p)
{
	size_t n = strcspn(p, " \t");
	unsigned int k;

	for (k = 0; k < P4X_STF__COUNT; k++)
		if (strlen(kind_words[k]) == n &&
		    !strncasecmp(p, kind_words[k], n))
			break;
	if (k == P4X_STF__COUNT)
		return fail(l, "unknown statement '%.*s'", (int)n, p);
	s->kind = (enum p4x_stf_kind)k;
	s->line = l->no;
	p += n + strspn(p + n, " \t");
	switch (s->kind) {
	case P4X_STF_PACKET:
	case P4X_STF_EXPECT:
		return parse_data(l, s, p);
	case P4X_STF_ADD:
	case P4X_STF_SETDEFAULT:
		return parse_add(l, s, p);
	default:
		return 0;
	}
}

static struct p4x_stf_stmt *stmt_new(struct p4x_stf *stf)
{
	struct p4x_stf_stmt *v;

	if (stf->n == stf->cap) {
		unsigned int cap = stf->cap ? stf->cap * 2 : 16;

		v = realloc(stf->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		stf->v = v;
		stf->cap = cap;
	}
	v = &stf->v[stf->n++];
	memset(v, 0, sizeof(*v));
	return v;
}

/* One line (comment cut, trimmed); empty lines add nothing. */
static int parse_line(struct p4x_stf *stf, const struct line *l, char *p)
{
	struct p4x_stf_stmt *s;
	char *hash = strchr(p, '#');
	size_t n;

	if (hash)
		*hash = '\0';
	p += strspn(p, " \t\r");
	n = strlen(p);
	while (n && isspace((unsigned char)p[n - 1]))
		p[--n] = '\0';
	if (!n)
		return 0;
	s = stmt_new(stf);
	if (!s)
		return -ENOMEM;
	return parse_stmt(l, s, p);
}

struct p4x_stf *p4x_stf__parse(const char *text, const char *name, char *err,
			       size_t errsz)
{
	struct line l = {.name = name, .err = err, .errsz = errsz};
	struct p4x_stf *stf = calloc(1, sizeof(*stf));
	char *copy = strdup(text), *save = NULL, *p;
	int ret = stf && copy ? 0 : -ENOMEM;

	for (p = copy; !ret && p; p = save) {
		save = strchr(p, '\n');
		if (save)
			*save++ = '\0';
		l.no++;
		ret = parse_line(stf, &l, p);
	}
	free(copy);
	if (ret) {
		if (ret == -ENOMEM)
			snprintf(err, errsz, "%s: out of memory", name);
		p4x_stf__free(stf);
		errno = -ret;
		return NULL;
	}
	return stf;
}

struct p4x_stf *p4x_stf__parse_file(const char *path, char *err, size_t errsz)
{
	struct p4x_stf *stf = NULL;
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t sz = 0;
	int saved;

	if (!f || getdelim(&text, &sz, '\0', f) < 0) {
		saved = errno ? errno : EIO;
		snprintf(err, errsz, "%s: %s", path, strerror(saved));
	} else {
		stf = p4x_stf__parse(text, path, err, errsz);
		saved = errno;
	}
	if (f)
		fclose(f);
	free(text);
	errno = saved;
	return stf;
}

void p4x_stf__free(struct p4x_stf *stf)
{
	unsigned int i;

	if (!stf)
		return;
	for (i = 0; i < stf->n; i++) {
		free(stf->v[i].bytes);
		free(stf->v[i].mask);
	}
	free(stf->v);
	free(stf);
}

unsigned int p4x_stf__count(const struct p4x_stf *stf)
{
	return stf->n;
}

const struct p4x_stf_stmt *p4x_stf__stmt(const struct p4x_stf *stf,
					 unsigned int i)
{
	return i < stf->n ? &stf->v[i] : NULL;
}

bool p4x_stf_stmt__matches(const struct p4x_stf_stmt *expect,
			   const uint8_t *frame, size_t len)
{
	size_t i;

	if (len < expect->len || (expect->exact && len != expect->len))
		return false;
	for (i = 0; i < expect->len; i++)
		if ((frame[i] ^ expect->bytes[i]) & expect->mask[i])
			return false;
	return true;
}
