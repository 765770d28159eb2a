// SPDX-License-Identifier: BSD-3-Clause
/*
 * P.template loader. The script is bash, but it is never run: its lines
 * are read with bash's quoting and continuation rules, the `$TC
 * p4template ...` commands are executed through p4x_p4tc__exec(), and the
 * few other lines p4c emits (shebang, `set -e`, `: "${TC:="tc"}"`) are
 * skipped. Every line is read before the first command runs, so a syntax
 * error changes nothing; a command that fails undoes the pipelines and
 * externs the script had created.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p4tc_priv.h"

#define MAX_WORDS 512

struct cmd {
	int line;
	int argc;
	char **argv;
};

struct script {
	const char *path;
	struct cmd *cmds;
	size_t ncmds, cap;
};

static void script_fini(struct script *s)
{
	for (size_t i = 0; i < s->ncmds; i++) {
		for (int j = 0; j < s->cmds[i].argc; j++)
			free(s->cmds[i].argv[j]);
		free(s->cmds[i].argv);
	}
	free(s->cmds);
}

struct word {
	char *text;  /* unquoted text, "$" kept */
	bool dollar; /* had an unquoted or double-quoted "$" */
};

struct lexer {
	const char *p;
	char *out;
	bool dollar;
};

static int lex_dquote(struct lexer *lx)
{
	for (lx->p++; *lx->p && *lx->p != '"'; lx->p++) {
		if (*lx->p == '\\' && strchr("\"\\$`", lx->p[1]))
			lx->p++;
		else if (*lx->p == '$')
			lx->dollar = true;
		else if (*lx->p == '`')
			return -EINVAL;
		*lx->out++ = *lx->p;
	}
	if (!*lx->p)
		return -EINVAL;
	lx->p++;
	return 0;
}

static int lex_squote(struct lexer *lx)
{
	const char *end = strchr(lx->p + 1, '\'');

	if (!end)
		return -EINVAL;
	memcpy(lx->out, lx->p + 1, end - lx->p - 1);
	lx->out += end - lx->p - 1;
	lx->p = end + 1;
	return 0;
}

/* One word at lx->p (not at a blank); -EINVAL on syntax bash has but we
 * do not (pipes, redirections, command substitution) or bad quoting. */
static int lex_word(struct lexer *lx)
{
	int ret = 0;

	while (!ret && *lx->p && !strchr(" \t", *lx->p)) {
		if (*lx->p == '"')
			ret = lex_dquote(lx);
		else if (*lx->p == '\'')
			ret = lex_squote(lx);
		else if (strchr(";|&<>()`", *lx->p))
			ret = -EINVAL;
		else if (*lx->p == '\\' && lx->p[1]) {
			*lx->out++ = lx->p[1];
			lx->p += 2;
		} else {
			lx->dollar |= *lx->p == '$';
			*lx->out++ = *lx->p++;
		}
	}
	*lx->out = '\0';
	return ret;
}

/* Split a logical line into words; a word starting with '#' ends it. */
static int split_words(const char *line, struct word *w, int *n, char *buf)
{
	struct lexer lx = {.p = line, .out = buf};
	int ret;

	*n = 0;
	for (;;) {
		while (*lx.p == ' ' || *lx.p == '\t')
			lx.p++;
		if (!*lx.p || *lx.p == '#')
			return 0;
		if (*n == MAX_WORDS)
			return -E2BIG;
		lx.dollar = false;
		w[*n].text = lx.out;
		ret = lex_word(&lx);
		if (ret)
			return ret;
		w[(*n)++].dollar = lx.dollar;
		lx.out++;
	}
}

static bool is_tc(const struct word *w)
{
	return !strcmp(w->text, "$TC") || !strcmp(w->text, "${TC}") ||
	       (!w->dollar && !strcmp(w->text, "tc"));
}

static int add_cmd(struct script *s, int line, const struct word *w, int n)
{
	struct cmd *c;

	if (s->ncmds == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 32;
		struct cmd *nc = realloc(s->cmds, cap * sizeof(*nc));

		if (!nc)
			return -ENOMEM;
		s->cmds = nc;
		s->cap = cap;
	}
	c = &s->cmds[s->ncmds];
	c->line = line;
	c->argc = 0;
	c->argv = calloc(n, sizeof(*c->argv));
	if (!c->argv)
		return -ENOMEM;
	s->ncmds++;
	for (int i = 1; i < n; i++) {
		c->argv[c->argc] = strdup(w[i].text);
		if (!c->argv[c->argc])
			return -ENOMEM;
		c->argc++;
	}
	return 0;
}

/* Classify one logical line: skip, record a command, or fail. */
static int script_line(struct script *s, int line, const char *text, char *err,
		       size_t errsz)
{
	struct word w[MAX_WORDS];
	char *buf = malloc(strlen(text) + 1 + MAX_WORDS);
	int n, ret;

	if (!buf)
		return p4x_p4tc_errf(err, errsz, -ENOMEM, "out of memory");
	ret = split_words(text, w, &n, buf);
	if (ret) {
		ret = p4x_p4tc_errf(err, errsz, -EINVAL,
				    "%s:%d: shell syntax not supported (only "
				    "plain words, quotes and $TC): %.60s",
				    s->path, line, text);
	} else if (!n || !strcmp(w[0].text, ":") ||
		   (!strcmp(w[0].text, "set") && !w[0].dollar)) {
		ret = 0;
	} else if (!is_tc(&w[0])) {
		ret = p4x_p4tc_errf(err, errsz, -EINVAL,
				    "%s:%d: not a tc p4template line: %.60s",
				    s->path, line, text);
	} else if (n < 2 || strcmp(w[1].text, "p4template")) {
		ret = p4x_p4tc_errf(err, errsz, -EINVAL,
				    "%s:%d: unsupported tc command \"%s\" "
				    "(only p4template)",
				    s->path, line, n < 2 ? "" : w[1].text);
	} else {
		for (int i = 1; i < n && !ret; i++)
			if (w[i].dollar)
				ret = p4x_p4tc_errf(err, errsz, -EINVAL,
						    "%s:%d: shell variable in "
						    "\"%s\" not supported",
						    s->path, line, w[i].text);
		if (!ret && add_cmd(s, line, w, n))
			ret = p4x_p4tc_errf(err, errsz, -ENOMEM,
					    "out of memory");
	}
	free(buf);
	return ret;
}

/* Append a physical line; 1 if it continues (ends in a backslash). */
static int join(char **acc, size_t *len, const char *phys)
{
	size_t n = strcspn(phys, "\r\n");
	bool cont = n && phys[n - 1] == '\\';
	char *a = realloc(*acc, *len + n + 1);

	if (!a)
		return -ENOMEM;
	memcpy(a + *len, phys, n - cont);
	*len += n - cont;
	a[*len] = '\0';
	*acc = a;
	return cont;
}

static int script_read(struct script *s, FILE *f, char *err, size_t errsz)
{
	char *phys = NULL, *acc = NULL;
	size_t cap = 0, len = 0;
	int lineno = 0, start = 1, ret = 0, cont = 0;

	while (!ret && getline(&phys, &cap, f) >= 0) {
		lineno++;
		if (!cont) {
			start = lineno;
			len = 0;
		}
		cont = join(&acc, &len, phys);
		if (cont < 0)
			ret = p4x_p4tc_errf(err, errsz, -ENOMEM,
					    "out of memory");
		else if (!cont)
			ret = script_line(s, start, acc, err, errsz);
	}
	if (!ret && cont)
		ret = script_line(s, start, acc, err, errsz);
	free(phys);
	free(acc);
	return ret;
}

int p4x_p4tc__load_template(struct p4x_p4tc *m, const char *path, char *err,
			    size_t errsz)
{
	struct script s = {.path = path};
	struct p4x_p4tc_snapshot sn;
	char e[512];
	FILE *f;
	int ret;

	f = fopen(path, "r");
	if (!f)
		return p4x_p4tc_errf(err, errsz, -errno, "%s: %s", path,
				     strerror(errno));
	ret = script_read(&s, f, err, errsz);
	fclose(f);
	p4x_p4tc_snapshot_take(m, &sn);
	for (size_t i = 0; !ret && i < s.ncmds; i++) {
		ret = p4x_p4tc__exec(m, s.cmds[i].argc, s.cmds[i].argv, NULL, e,
				     sizeof(e));
		if (ret) {
			p4x_p4tc_errf(err, errsz, ret, "%s:%d: %s", path,
				      s.cmds[i].line, e);
			p4x_p4tc_snapshot_restore(m, &sn);
		}
	}
	script_fini(&s);
	return ret;
}
