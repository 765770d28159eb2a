// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4xsk p4template, p4ctrl and monitor: tc's grammar on the command line,
 * P4 messages on the wire (ctl.h). As tc, the CLI reads the pipeline's
 * introspection file to turn key fields and action params into blobs
 * (p4x_p4tc__entry_build) and back into text; the daemon checks them
 * against its own model.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <net/if.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "p4x/ctl.h"
#include "p4x/p4tc.h"

#include "p4cli.h"

#define INTRO_DEFAULT_DIR "/etc/iproute2/introspection"

static char msgbuf[P4X_CTL_MSG_MAX];

static int fail(struct p4xsk_ctx *ctx, int ret, const char *fmt, ...)
	__p4x_printf(3, 4);

static int fail(struct p4xsk_ctx *ctx, int ret, const char *fmt, ...)
{
	va_list ap;

	fprintf(ctx->err, "p4xsk: ");
	va_start(ap, fmt);
	vfprintf(ctx->err, fmt, ap);
	va_end(ap);
	fprintf(ctx->err, "\n");
	return ret;
}

static int request(struct p4xsk_ctx *ctx, struct nlmsghdr *nlh,
		   p4x_ctl_reply_fn fn, void *arg)
{
	struct p4x_ctl_err err;
	int ret = p4x_ctl_request(ctx->fd, nlh, fn, arg, &err);

	if (ret)
		fail(ctx, ret, "%s", err.msg);
	return ret;
}

/* --- p4template ---------------------------------------------------------- */

static int tmpl_reply(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[P4X_CTL_TMPL_MAX + 1];
	struct p4xsk_ctx *ctx = arg;
	struct p4x_ctl_err err;

	if (p4x_ctl_parse(nlh, &p4x_ctl_tmpl_set, tb, &err))
		return err.code;
	if (tb[P4X_CTL_TMPL_OUTPUT])
		fputs(mnl_attr_get_str(tb[P4X_CTL_TMPL_OUTPUT]), ctx->out);
	return 0;
}

int p4xsk_p4template(struct p4xsk_ctx *ctx, int argc, char **argv)
{
	const char *dir = getenv("INTROSPECTION");
	char abs[PATH_MAX];
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	size_t need = 64;
	int i;

	for (i = 0; i < argc; i++)
		need += MNL_ATTR_HDRLEN + MNL_ALIGN(strlen(argv[i]) + 1);
	if (need > P4X_CTL_MSG_MAX - PATH_MAX)
		return fail(ctx, -E2BIG, "p4template: command too long");
	nlh = p4x_ctl_msg_put(msgbuf, P4X_CTL_MSG_P4TEMPLATE,
			      NLM_F_REQUEST | NLM_F_ACK, ++ctx->seq);
	nest = mnl_attr_nest_start(nlh, P4X_CTL_TMPL_ARGV);
	if (p4x_printer__json(ctx->printer))
		mnl_attr_put_strz(nlh, P4X_CTL_ARG, "-j");
	mnl_attr_put_strz(nlh, P4X_CTL_ARG, ctx->cmd->object);
	for (i = 0; i < argc; i++)
		mnl_attr_put_strz(nlh, P4X_CTL_ARG, argv[i]);
	mnl_attr_nest_end(nlh, nest);
	if (dir && *dir && realpath(dir, abs))
		mnl_attr_put_strz(nlh, P4X_CTL_TMPL_INTROSPECTION, abs);
	ctx->raw = true;
	return request(ctx, nlh, tmpl_reply, ctx);
}

/* --- local model: the pipeline's introspection file ---------------------- */

static int dev_name(void *arg, uint32_t ifindex, char *buf, size_t sz)
{
	char name[IF_NAMESIZE];

	if (!if_indextoname(ifindex, name))
		return -ENODEV;
	snprintf(buf, sz, "%s", name);
	return 0;
}

static const struct p4x_p4tc_dev_ops dev_ops = {
	.index_to_name = dev_name,
};

struct pipe_info {
	char name[P4X_P4TC_NAMSZ];
	uint32_t id;
	bool sealed;
	char intro[PATH_MAX];
};

static int pipe_reply(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[P4X_CTL_P4_MAX + 1];
	struct pipe_info *pi = arg;
	struct p4x_ctl_err err;

	if (p4x_ctl_parse(nlh, &p4x_ctl_p4_set, tb, &err))
		return err.code;
	if (tb[P4X_CTL_P4_PIPEID])
		pi->id = mnl_attr_get_u32(tb[P4X_CTL_P4_PIPEID]);
	if (tb[P4X_CTL_P4_SEALED])
		pi->sealed = mnl_attr_get_u8(tb[P4X_CTL_P4_SEALED]);
	if (tb[P4X_CTL_P4_INTROSPECTION])
		snprintf(pi->intro, sizeof(pi->intro), "%s",
			 mnl_attr_get_str(tb[P4X_CTL_P4_INTROSPECTION]));
	return 0;
}

/* Pipeline @name from the daemon on @fd (0, or -errno printed). */
static int pipe_info(struct p4xsk_ctx *ctx, int fd, const char *name,
		     struct pipe_info *pi)
{
	struct p4x_ctl_err err;
	struct nlmsghdr *nlh;
	int ret;

	memset(pi, 0, sizeof(*pi));
	snprintf(pi->name, sizeof(pi->name), "%s", name);
	nlh = p4x_ctl_msg_put(msgbuf, P4X_CTL_MSG_P4_PIPELINE, NLM_F_REQUEST,
			      ++ctx->seq);
	mnl_attr_put_strz(nlh, P4X_CTL_P4_PNAME, name);
	ret = p4x_ctl_request(fd, nlh, pipe_reply, pi, &err);
	if (ret)
		fail(ctx, ret, "%s", err.msg);
	return ret;
}

/* $INTROSPECTION/<P>.json, the file the daemon used, or tc's default. */
static int local_model(struct p4xsk_ctx *ctx, const struct pipe_info *pi,
		       struct p4x_p4tc **out)
{
	struct p4x_p4tc_opts o = {.sz = sizeof(o), .dev = &dev_ops};
	const char *dir = getenv("INTROSPECTION");
	char path[PATH_MAX], why[512];
	struct p4x_p4tc *m;
	int ret;

	snprintf(path, sizeof(path), "%s/%s.json",
		 dir && *dir ? dir : INTRO_DEFAULT_DIR, pi->name);
	if (access(path, R_OK) && pi->intro[0])
		snprintf(path, sizeof(path), "%s", pi->intro);
	m = p4x_p4tc__new(&o);
	if (!m)
		return fail(ctx, -errno, "%s", strerror(errno));
	ret = p4x_p4tc__load_json(m, path, why, sizeof(why));
	if (ret) {
		p4x_p4tc__free(m);
		return fail(ctx, ret,
			    "pipeline %s: cannot read its introspection file "
			    "(set INTROSPECTION): %s",
			    pi->name, why);
	}
	*out = m;
	return 0;
}

/* --- entry printing ------------------------------------------------------ */

static const char *who_name(uint8_t who)
{
	static const char *const names[] = {"unspec", "kernel", "tc", "timer"};

	return who < P4X_ARRAY_SIZE(names) ? names[who] : "unknown";
}

static bool numeric(const struct p4x_p4tc_type *t)
{
	return (t->kind == P4X_P4TC_K_BIT || t->kind == P4X_P4TC_K_BE) &&
	       t->bitsz <= 64;
}

/* One typed value: a number in JSON when it is one, else a string. */
static void print_value(struct p4x_printer *p, const char *key, const char *fmt,
			const struct p4x_p4tc_type *t, const char *text)
{
	if (numeric(t) && !strchr(text, '/'))
		p4x_printer__uint(p, P4X_PRINT_JSON, key, "",
				  strtoull(text, NULL, 0));
	else
		p4x_printer__string(p, P4X_PRINT_JSON, key, "", text);
	p4x_printer__string(p, P4X_PRINT_TEXT, NULL, fmt, text);
}

static void print_key(struct p4x_printer *p, const struct p4x_p4tc_table_def *t,
		      const struct p4x_ctl_entry *e)
{
	struct p4x_p4tc_value v;
	char txt[128], tname[16];
	uint32_t i;

	p4x_printer__text(p, "    entry key\n");
	p4x_printer__open_array(p, "key");
	for (i = 0; i < t->nkeys && e->keylen == t->key_bytes; i++) {
		const struct p4x_p4tc_key_def *k = &t->keys[i];
		bool exact = k->match == P4X_P4TC_MATCH_EXACT || !e->mask;

		p4x_p4tc_value__unpack(&k->type, e->key + k->offset,
				       exact ? NULL : e->mask + k->offset, &v);
		p4x_p4tc_value__print(&k->type, &v, &dev_ops, txt, sizeof(txt));
		p4x_p4tc_type__name(&k->type, tname, sizeof(tname));
		p4x_printer__open_object(p, NULL);
		p4x_printer__string(p, P4X_PRINT_ANY, "keyfield", "     %s",
				    k->name);
		p4x_printer__uint(p, P4X_PRINT_ANY, "id", " id:%" PRIu64,
				  k->id);
		p4x_printer__uint(p, P4X_PRINT_ANY, "width",
				  " size:%" PRIu64 "b", k->type.bitsz);
		p4x_printer__string(p, P4X_PRINT_ANY, "type", " type:%s",
				    tname);
		p4x_printer__string(p, P4X_PRINT_ANY, "match_type", " %s",
				    p4x_p4tc_match__name(k->match));
		p4x_printer__string(p, P4X_PRINT_ANY, "fieldval",
				    " fieldval %s\n", txt);
		p4x_printer__close_object(p);
	}
	p4x_printer__close_array(p);
}

static void print_params(struct p4x_printer *p,
			 const struct p4x_p4tc_action_def *a,
			 const struct p4x_ctl_entry *e)
{
	struct p4x_p4tc_value v;
	char txt[128], tname[16];
	uint32_t i;

	p4x_printer__text(p, a->nparams ? "\t params:\n" : "");
	p4x_printer__open_array(p, "params");
	for (i = 0; i < a->nparams && e->params_len == a->params_bytes; i++) {
		const struct p4x_p4tc_param_def *d = &a->params[i];

		p4x_p4tc_value__unpack(&d->type, e->params + d->offset, NULL,
				       &v);
		p4x_p4tc_value__print(&d->type, &v, &dev_ops, txt, sizeof(txt));
		p4x_p4tc_type__name(&d->type, tname, sizeof(tname));
		p4x_printer__open_object(p, NULL);
		p4x_printer__string(p, P4X_PRINT_ANY, "name", "\t  %s",
				    d->name);
		p4x_printer__string(p, P4X_PRINT_ANY, "type", " type %s",
				    tname);
		print_value(p, "value", " value: %s", &d->type, txt);
		p4x_printer__uint(p, P4X_PRINT_ANY, "id", " id %" PRIu64 "\n",
				  d->id);
		p4x_printer__close_object(p);
	}
	p4x_printer__close_array(p);
}

static void print_action(struct p4x_printer *p, const char *pname,
			 const struct p4x_p4tc_pipeline *pl,
			 const struct p4x_ctl_entry *e)
{
	const struct p4x_p4tc_action_def *a =
		e->act_id ? p4x_p4tc_pipeline__action_by_id(pl, e->act_id)
			  : NULL;
	char kind[2 * P4X_P4TC_PATHSZ];

	p4x_printer__open_object(p, "actions");
	p4x_printer__open_array(p, "actions");
	if (e->act_id) {
		if (a)
			snprintf(kind, sizeof(kind), "%s/%s", pname, a->name);
		else
			snprintf(kind, sizeof(kind), "action id %u", e->act_id);
		p4x_printer__text(p, "    entry actions:\n");
		p4x_printer__open_object(p, NULL);
		p4x_printer__uint(p, P4X_PRINT_ANY, "order",
				  "\taction order %" PRIu64 ": ", 1);
		p4x_printer__string(p, P4X_PRINT_ANY, "kind", "%s\n", kind);
		if (a)
			print_params(p, a, e);
		p4x_printer__close_object(p);
	}
	p4x_printer__close_array(p);
	p4x_printer__close_object(p);
}

static void print_times(struct p4x_printer *p, const struct p4x_ctl_entry *e)
{
	p4x_printer__string(p, P4X_PRINT_ANY, "create_whodunnit",
			    "    created by: %s", who_name(e->who_created));
	if (e->who_updated)
		p4x_printer__string(p, P4X_PRINT_ANY, "update_whodunnit",
				    ", updated by: %s",
				    who_name(e->who_updated));
	p4x_printer__string(p, P4X_PRINT_ANY, "dynamic", "\n    dynamic %s",
			    e->dynamic ? "true" : "false");
	if (e->dynamic)
		p4x_printer__uint(p, P4X_PRINT_ANY, "aging",
				  " aging %" PRIu64 " ms", e->aging_ms);
	p4x_printer__uint(p, P4X_PRINT_ANY, "created",
			  "\n    created %" PRIu64 " sec",
			  e->created_ms / 1000);
	p4x_printer__uint(p, P4X_PRINT_ANY, "updated",
			  " updated %" PRIu64 " sec", e->updated_ms / 1000);
	p4x_printer__uint(p, P4X_PRINT_ANY, "last_used",
			  " used %" PRIu64 " sec ago\n", e->used_ms / 1000);
	p4x_printer__string(p, P4X_PRINT_ANY, "tmpl_created",
			    "    tmpl created %s\n",
			    e->tmpl_created ? "true" : "false");
}

/*
 * One entry as tc prints it (text) or as an element of "entries"; without
 * a model (@m NULL) only what needs no key or param types.
 */
static void print_entry(struct p4x_printer *p, const char *pname,
			const struct p4x_p4tc *m, const char *tblname,
			uint32_t tblid, const struct p4x_ctl_entry *e)
{
	const struct p4x_p4tc_pipeline *pl =
		m ? p4x_p4tc__pipeline_get(m, pname) : NULL;
	const struct p4x_p4tc_table_def *t =
		pl ? p4x_p4tc_pipeline__table(pl, tblname) : NULL;
	char perm[P4X_P4TC_PERM_STRLEN];

	p4x_p4tc_perm__print(e->permissions, perm);
	p4x_printer__open_object(p, NULL);
	p4x_printer__string(p, P4X_PRINT_ANY, "tblname", " table: %s", tblname);
	p4x_printer__uint(p, P4X_PRINT_ANY, "tblid", "(id %" PRIu64 ")", tblid);
	p4x_printer__uint(p, P4X_PRINT_ANY, "prio", " entry priority %" PRIu64,
			  e->prio);
	p4x_printer__string(p, P4X_PRINT_ANY, "permissions",
			    " [permissions %s]\n", perm);
	if (t)
		print_key(p, t, e);
	if (pl)
		print_action(p, pname, pl, e);
	print_times(p, e);
	p4x_printer__text(p, "\n");
	p4x_printer__close_object(p);
}

/* --- p4ctrl -------------------------------------------------------------- */

struct p4ctrl {
	struct p4xsk_ctx *ctx;
	uint16_t type;
	char pname[P4X_P4TC_NAMSZ];
	char table[P4X_P4TC_PATHSZ];	/* "cb/tbl" */
	char path[2 * P4X_P4TC_PATHSZ]; /* "P/cb/tbl" (the model's) */
	struct pipe_info pi;
	struct p4x_p4tc *m;
	const struct p4x_p4tc_table_def *t;
	unsigned int n;
	struct p4x_p4tc_entry_def defs[P4X_CTL_BATCH_MAX];
	struct p4x_ctl_entry e[P4X_CTL_BATCH_MAX];
	char filter[1024];
	bool has_filter;
	unsigned int printed;
};

/* "<P>/table/<cb>/<tbl>" */
static int parse_path(struct p4ctrl *c, const char *arg)
{
	const char *t = strstr(arg, "/table/");
	size_t plen = t ? (size_t)(t - arg) : 0;

	if (!t || !plen || plen >= sizeof(c->pname) || !strchr(t + 7, '/') ||
	    strlen(t + 7) >= sizeof(c->table))
		return fail(
			c->ctx, -EINVAL,
			"p4ctrl: \"%s\" is not <pipeline>/table/<cb>/<table>",
			arg);
	snprintf(c->pname, sizeof(c->pname), "%.*s", (int)plen, arg);
	snprintf(c->table, sizeof(c->table), "%s", t + 7);
	snprintf(c->path, sizeof(c->path), "%s/%s", c->pname, c->table);
	return 0;
}

static bool is_key(const struct p4x_p4tc_table_def *t, const char *w)
{
	uint32_t i;

	for (i = 0; i < t->nkeys; i++)
		if (!strcmp(t->keys[i].name, w))
			return true;
	return false;
}

/* Words of one ENTRY, already split at "entry". */
struct entry_words {
	struct p4x_p4tc_key_value keys[P4X_P4TC_MAX_KEYS];
	struct p4x_p4tc_param_value params[P4X_P4TC_MAX_PARAMS];
	struct p4x_p4tc_entry_spec spec;
	bool dynamic;
	uint64_t aging_ms;
	bool has_prio;
};

static int need(int i, int argc, char **argv, const char *what, char *why,
		size_t sz)
{
	if (i + 1 < argc)
		return 0;
	snprintf(why, sz, "%s needs a value", what);
	return -EINVAL;
}

static int num_arg(const char *s, uint64_t max, uint64_t *v, const char *what,
		   char *why, size_t sz)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	if (!*s || *end || errno || *v > max) {
		snprintf(why, sz, "%s: %s is not a number (0..%" PRIu64 ")",
			 what, s, max);
		return -EINVAL;
	}
	return 0;
}

static int action_words(struct entry_words *w, int *i, int argc, char **argv,
			char *why, size_t sz)
{
	struct p4x_p4tc_act_spec *a = &w->spec.action;
	int ret = need(*i, argc, argv, "action", why, sz);

	if (ret)
		return ret;
	w->spec.has_action = true;
	a->action = argv[++*i];
	a->params = w->params;
	while (*i + 1 < argc && !strcmp(argv[*i + 1], "param")) {
		if (*i + 3 >= argc) {
			snprintf(why, sz, "param needs a name and a value");
			return -EINVAL;
		}
		if (a->nparams == P4X_P4TC_MAX_PARAMS) {
			snprintf(why, sz, "more than %d params",
				 P4X_P4TC_MAX_PARAMS);
			return -EINVAL;
		}
		w->params[a->nparams].name = argv[*i + 2];
		w->params[a->nparams++].value = argv[*i + 3];
		*i += 3;
	}
	return 0;
}

static int entry_word(struct p4ctrl *c, struct entry_words *w, int *i, int argc,
		      char **argv, char *why, size_t sz)
{
	const char *k = argv[*i];
	uint64_t v;
	int ret;

	if (!strcmp(k, "dynamic")) {
		w->dynamic = true;
		return 0;
	}
	if (!strcmp(k, "action"))
		return action_words(w, i, argc, argv, why, sz);
	ret = need(*i, argc, argv, k, why, sz);
	if (ret)
		return ret;
	if (is_key(c->t, k)) {
		if (w->spec.nkeys == P4X_P4TC_MAX_KEYS)
			return -E2BIG;
		w->keys[w->spec.nkeys].name = k;
		w->keys[w->spec.nkeys++].value = argv[++*i];
	} else if (!strcmp(k, "prio") || !strcmp(k, "priority")) {
		ret = num_arg(argv[++*i], UINT32_MAX, &v, k, why, sz);
		w->spec.prio = (uint32_t)v;
		w->has_prio = true;
	} else if (!strcmp(k, "permissions")) {
		ret = num_arg(argv[++*i], P4X_P4TC_PERM_MASK, &v, k, why, sz);
		w->spec.has_permissions = true;
		w->spec.permissions = (uint16_t)v;
	} else if (!strcmp(k, "aging")) {
		ret = num_arg(argv[++*i], UINT64_MAX, &w->aging_ms, k, why, sz);
	} else {
		snprintf(why, sz,
			 "unknown argument \"%s\" (key fields of %s, prio, "
			 "action, permissions, dynamic, aging)",
			 k, c->table);
		ret = -EINVAL;
	}
	return ret;
}

/* Parse ENTRY words @argv[0..@argc) into slot @n; -errno with @why. */
static int parse_entry(struct p4ctrl *c, int argc, char **argv, unsigned int n,
		       char *why, size_t sz)
{
	struct entry_words w = {.spec = {.sz = sizeof(w.spec)}};
	struct p4x_ctl_entry *e = &c->e[n];
	struct p4x_p4tc_entry_def *d = &c->defs[n];
	int i, ret = 0;

	w.spec.keys = w.keys;
	for (i = 0; i < argc && !ret; i++)
		ret = entry_word(c, &w, &i, argc, argv, why, sz);
	if (ret)
		return ret;
	ret = p4x_p4tc__entry_build(c->m, c->path, &w.spec, d, why, sz);
	if (ret)
		return ret;
	*e = (struct p4x_ctl_entry){
		.key = d->key,
		.mask = c->t->type == P4X_P4TC_TABLE_EXACT ? NULL : d->mask,
		.keylen = c->t->key_bytes,
		.has_prio = w.has_prio,
		.prio = w.spec.prio,
		.has_act = d->has_action,
		.act_id = d->act.act_id,
		.params = d->act.params,
		.params_len = d->act.params_bytes,
		.has_permissions = w.spec.has_permissions,
		.permissions = w.spec.permissions,
		.dynamic = w.dynamic,
		.aging_ms = w.aging_ms,
	};
	return 0;
}

/* Split at "entry" and "filter"; parse every ENTRY. */
static int parse_entries(struct p4ctrl *c, int argc, char **argv)
{
	int starts[P4X_CTL_BATCH_MAX + 1], ends[P4X_CTL_BATCH_MAX + 1];
	unsigned int n = 0, k;
	char why[512];
	int i, ret;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "filter")) {
			c->has_filter = true;
			for (k = (unsigned int)i + 1; k < (unsigned int)argc;
			     k++)
				snprintf(c->filter + strlen(c->filter),
					 sizeof(c->filter) - strlen(c->filter),
					 "%s%s",
					 k > (unsigned int)i + 1 ? " " : "",
					 argv[k]);
			break;
		}
		if (!strcmp(argv[i], "entry") || i == 0) {
			if (n == P4X_CTL_BATCH_MAX)
				return fail(c->ctx, -E2BIG,
					    "p4ctrl: a batch holds at most %d "
					    "entries",
					    P4X_CTL_BATCH_MAX);
			starts[n] = i + !strcmp(argv[i], "entry");
			if (n)
				ends[n - 1] = i;
			n++;
		}
		ends[n - 1] = i + 1;
	}
	if (c->has_filter && !c->filter[0])
		return fail(c->ctx, -EINVAL,
			    "p4ctrl: filter needs an expression");
	for (k = 0; k < n; k++) {
		if (starts[k] == ends[k] && (n > 1 || starts[k] < argc))
			return fail(c->ctx, -EINVAL,
				    "p4ctrl: batch entry %u of %u is empty",
				    k + 1, n);
		ret = parse_entry(c, ends[k] - starts[k], argv + starts[k], k,
				  why, sizeof(why));
		if (ret && n > 1)
			return fail(c->ctx, ret, "batch entry %u of %u: %s",
				    k + 1, n, why);
		if (ret)
			return fail(c->ctx, ret, "%s", why);
	}
	c->n = n;
	return 0;
}

/* Text head line, JSON {pname, pipeid}, and the "entries" array opened. */
static void print_head(struct p4x_printer *p, const char *pname,
		       uint32_t pipeid)
{
	p4x_printer__open_object(p, NULL);
	p4x_printer__string(p, P4X_PRINT_ANY, "pname", "pipeline:  %s", pname);
	p4x_printer__uint(p, P4X_PRINT_ANY, "pipeid", "(id %" PRIu64 ")\n",
			  pipeid);
	p4x_printer__close_object(p);
	p4x_printer__open_object(p, NULL);
	p4x_printer__open_array(p, "entries");
}

/* Decode the entry of a reply or event; -errno when malformed. */
static int reply_entry(const struct nlattr **tb, struct p4x_ctl_entry *e)
{
	const struct nlattr *batch = tb[P4X_CTL_P4_ENTRIES];
	struct p4x_ctl_err err;

	if (!batch || !tb[P4X_CTL_P4_TBLNAME] ||
	    mnl_attr_get_payload_len(batch) == 0)
		return -EBADMSG;
	return p4x_ctl_entry_get(mnl_attr_get_payload(batch), e, &err);
}

static int p4ctrl_reply(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[P4X_CTL_P4_MAX + 1];
	struct p4ctrl *c = arg;
	struct p4x_ctl_entry e;
	struct p4x_ctl_err err;
	int ret;

	if (p4x_ctl_parse(nlh, &p4x_ctl_p4_set, tb, &err))
		return err.code;
	if (tb[P4X_CTL_P4_COUNT])
		return 0; /* flush: tc prints nothing */
	ret = reply_entry(tb, &e);
	if (ret)
		return ret;
	if (!c->printed++)
		print_head(c->ctx->printer, c->pname, c->pi.id);
	print_entry(c->ctx->printer, c->pname, c->m,
		    mnl_attr_get_str(tb[P4X_CTL_P4_TBLNAME]),
		    tb[P4X_CTL_P4_TBLID]
			    ? mnl_attr_get_u32(tb[P4X_CTL_P4_TBLID])
			    : 0,
		    &e);
	return 0;
}

static int p4ctrl_send(struct p4ctrl *c)
{
	bool get = c->type == P4X_CTL_MSG_P4_GET;
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
	struct p4x_printer *p = c->ctx->printer;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	unsigned int i;
	int ret;

	if (get && !c->n)
		flags = NLM_F_REQUEST | NLM_F_DUMP;
	else if (c->type == P4X_CTL_MSG_P4_CREATE)
		flags |= NLM_F_CREATE | NLM_F_EXCL;
	nlh = p4x_ctl_msg_put(msgbuf, c->type, flags, ++c->ctx->seq);
	mnl_attr_put_strz(nlh, P4X_CTL_P4_PNAME, c->pname);
	mnl_attr_put_strz(nlh, P4X_CTL_P4_TBLNAME, c->table);
	if (c->has_filter)
		mnl_attr_put_strz(nlh, P4X_CTL_P4_FILTER, c->filter);
	if (c->n) {
		nest = mnl_attr_nest_start(nlh, P4X_CTL_P4_ENTRIES);
		for (i = 0; i < c->n; i++)
			p4x_ctl_entry_put(nlh, (uint16_t)(i + 1), &c->e[i]);
		mnl_attr_nest_end(nlh, nest);
	}
	if (!get) {
		c->ctx->raw = true;
		return request(c->ctx, nlh, p4ctrl_reply, c);
	}
	/* as tc: [] without entries, else [{pname, pipeid}, {entries}] */
	p4x_printer__open_array(p, NULL);
	ret = request(c->ctx, nlh, p4ctrl_reply, c);
	if (c->printed) {
		p4x_printer__close_array(p);
		p4x_printer__close_object(p);
	}
	p4x_printer__close_array(p);
	return ret;
}

int p4xsk_p4ctrl(struct p4xsk_ctx *ctx, int argc, char **argv)
{
	static struct p4ctrl c;
	const struct p4x_p4tc_pipeline *pl;
	int ret;

	memset(&c, 0, sizeof(c));
	c.ctx = ctx;
	c.type = !strcmp(ctx->cmd->object, "create")   ? P4X_CTL_MSG_P4_CREATE
		 : !strcmp(ctx->cmd->object, "update") ? P4X_CTL_MSG_P4_UPDATE
		 : !strcmp(ctx->cmd->object, "get")    ? P4X_CTL_MSG_P4_GET
						       : P4X_CTL_MSG_P4_DELETE;
	if (argc < 1)
		return fail(ctx, -EINVAL,
			    "p4ctrl %s: missing <pipeline>/table/<cb>/<table>",
			    ctx->cmd->object);
	ret = parse_path(&c, argv[0]);
	if (!ret)
		ret = pipe_info(ctx, ctx->fd, c.pname, &c.pi);
	if (!ret && !c.pi.sealed)
		ret = fail(ctx, -EPERM, "pipeline %s is not sealed", c.pname);
	if (!ret)
		ret = local_model(ctx, &c.pi, &c.m);
	if (ret)
		return ret;
	pl = p4x_p4tc__pipeline_get(c.m, c.pname);
	c.t = pl ? p4x_p4tc_pipeline__table(pl, c.table) : NULL;
	if (!c.t)
		ret = fail(ctx, -ENOENT, "table %s does not exist in %s",
			   c.table, c.pi.intro[0] ? c.pi.intro : c.pname);
	if (!ret)
		ret = parse_entries(&c, argc - 1, argv + 1);
	if (!ret && c.has_filter &&
	    (c.n ||
	     (c.type != P4X_CTL_MSG_P4_GET && c.type != P4X_CTL_MSG_P4_DELETE)))
		ret = fail(ctx, -EINVAL,
			   "p4ctrl: filter goes with get or delete without a "
			   "key");
	if (!ret && !c.n && c.type != P4X_CTL_MSG_P4_GET &&
	    c.type != P4X_CTL_MSG_P4_DELETE)
		ret = fail(ctx, -EINVAL, "p4ctrl %s: no entry",
			   ctx->cmd->object);
	if (!ret)
		ret = p4ctrl_send(&c);
	p4x_p4tc__free(c.m);
	return ret;
}

/* --- monitor ------------------------------------------------------------- */

struct monitor {
	struct p4xsk_ctx *ctx;
	int info_fd; /* a second connection for pipeline lookups */
	char pname[P4X_P4TC_NAMSZ];
	char table[P4X_P4TC_PATHSZ];
	char filter[1024];
	uint64_t count;	  /* 0: unbounded */
	uint64_t timeout; /* s; 0: none */
	uint64_t seen;
	struct {
		char name[P4X_P4TC_NAMSZ];
		struct p4x_p4tc *m; /* NULL: unreadable */
	} models[P4X_P4TC_MAX_PIPELINES];
	unsigned int nmodels;
};

static int monitor_args(struct monitor *mo, int argc, char **argv)
{
	char why[256] = "";
	int i = 0, ret = 0;

	if (i + 1 < argc && !strcmp(argv[i], "p4") &&
	    !strcmp(argv[i + 1], "events"))
		i += 2;
	for (; i < argc && !ret; i++) {
		const char *w = argv[i];

		if (!strcmp(w, "count") || !strcmp(w, "--count") ||
		    !strcmp(w, "timeout") || !strcmp(w, "--timeout")) {
			ret = need(i, argc, argv, w, why, sizeof(why));
			if (!ret)
				ret = num_arg(argv[++i], UINT32_MAX,
					      strstr(w, "count") ? &mo->count
								 : &mo->timeout,
					      w, why, sizeof(why));
		} else if (!strcmp(w, "filter")) {
			for (i++; i < argc; i++)
				snprintf(mo->filter + strlen(mo->filter),
					 sizeof(mo->filter) -
						 strlen(mo->filter),
					 "%s%s", mo->filter[0] ? " " : "",
					 argv[i]);
		} else if (!mo->pname[0] && strstr(w, "/table/")) {
			struct p4ctrl *c = calloc(1, sizeof(*c));

			ret = c ? (c->ctx = mo->ctx, parse_path(c, w))
				: -ENOMEM;
			if (!ret) {
				snprintf(mo->pname, sizeof(mo->pname), "%s",
					 c->pname);
				snprintf(mo->table, sizeof(mo->table), "%s",
					 c->table);
			}
			free(c);
			if (ret)
				return ret;
		} else if (!mo->pname[0] && !strchr(w, '/')) {
			snprintf(mo->pname, sizeof(mo->pname), "%s", w);
		} else {
			snprintf(why, sizeof(why), "unexpected argument \"%s\"",
				 w);
			ret = -EINVAL;
		}
	}
	if (!ret && mo->filter[0] && !mo->table[0])
		snprintf(why, sizeof(why),
			 "a filter needs <pipeline>/table/<cb>/<table>"),
			ret = -EINVAL;
	return ret ? fail(mo->ctx, ret, "monitor: %s", why) : 0;
}

static const struct p4x_p4tc *monitor_model(struct monitor *mo,
					    const char *pname)
{
	struct pipe_info pi;
	struct p4x_p4tc *m = NULL;
	unsigned int i;

	for (i = 0; i < mo->nmodels; i++)
		if (!strcmp(mo->models[i].name, pname))
			return mo->models[i].m;
	if (mo->info_fd < 0)
		mo->info_fd = p4x_ctl_connect(p4x_ctl_sock_path(mo->ctx->sock));
	if (mo->info_fd >= 0 && !pipe_info(mo->ctx, mo->info_fd, pname, &pi))
		local_model(mo->ctx, &pi, &m);
	if (mo->nmodels < P4X_ARRAY_SIZE(mo->models)) {
		snprintf(mo->models[mo->nmodels].name, P4X_P4TC_NAMSZ, "%s",
			 pname);
		mo->models[mo->nmodels++].m = m;
	}
	return m;
}

static int print_event(struct monitor *mo, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[P4X_CTL_P4_MAX + 1];
	struct p4x_printer *p = mo->ctx->printer;
	const char *pname, *verb;
	struct p4x_ctl_entry e;
	struct p4x_ctl_err err;
	char label[32];
	uint32_t cmd;

	if (nlh->nlmsg_type != P4X_CTL_MSG_P4_EVENT ||
	    p4x_ctl_parse(nlh, &p4x_ctl_p4_set, tb, &err) ||
	    !tb[P4X_CTL_P4_PNAME] || !tb[P4X_CTL_P4_CMD] || reply_entry(tb, &e))
		return fail(mo->ctx, -EBADMSG, "monitor: malformed event");
	pname = mnl_attr_get_str(tb[P4X_CTL_P4_PNAME]);
	cmd = mnl_attr_get_u32(tb[P4X_CTL_P4_CMD]);
	verb = p4x_ctl_p4_cmd_name((enum p4x_ctl_p4_cmd)cmd, true);
	snprintf(label, sizeof(label), "%s pipeline:  ", verb);
	p4x_printer__open_object(p, NULL);
	p4x_printer__string(
		p, P4X_PRINT_JSON, "event", "",
		p4x_ctl_p4_cmd_name((enum p4x_ctl_p4_cmd)cmd, false));
	p4x_printer__text(p, label);
	p4x_printer__string(p, P4X_PRINT_ANY, "pname", "%s", pname);
	p4x_printer__uint(p, P4X_PRINT_ANY, "pipeid", "(id %" PRIu64 ")\n",
			  tb[P4X_CTL_P4_PIPEID]
				  ? mnl_attr_get_u32(tb[P4X_CTL_P4_PIPEID])
				  : 0);
	p4x_printer__open_array(p, "entries");
	print_entry(p, pname, monitor_model(mo, pname),
		    mnl_attr_get_str(tb[P4X_CTL_P4_TBLNAME]),
		    tb[P4X_CTL_P4_TBLID]
			    ? mnl_attr_get_u32(tb[P4X_CTL_P4_TBLID])
			    : 0,
		    &e);
	p4x_printer__close_array(p);
	p4x_printer__close_object(p);
	mo->seen++;
	return p4x_printer__flush(p);
}

static int no_data(const struct nlmsghdr *nlh, void *arg)
{
	return -EPROTO;
}

static int subscribe(struct monitor *mo)
{
	struct nlmsghdr *nlh;

	nlh = p4x_ctl_msg_put(msgbuf, P4X_CTL_MSG_P4_SUBSCRIBE,
			      NLM_F_REQUEST | NLM_F_ACK, ++mo->ctx->seq);
	if (mo->pname[0])
		mnl_attr_put_strz(nlh, P4X_CTL_P4_PNAME, mo->pname);
	if (mo->table[0])
		mnl_attr_put_strz(nlh, P4X_CTL_P4_TBLNAME, mo->table);
	if (mo->filter[0])
		mnl_attr_put_strz(nlh, P4X_CTL_P4_FILTER, mo->filter);
	return request(mo->ctx, nlh, no_data, NULL);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Read one datagram of events (waiting at most @wait_ms, -1 forever). */
static int monitor_read(struct monitor *mo, int wait_ms)
{
	static char buf[P4X_CTL_MSG_MAX];
	struct pollfd pfd = {.fd = mo->ctx->fd, .events = POLLIN};
	const struct nlmsghdr *nlh = (const void *)buf;
	struct p4x_ctl_err err;
	ssize_t len;
	int left, ret = poll(&pfd, 1, wait_ms);

	if (ret <= 0)
		return ret < 0 && errno != EINTR ? -errno : 0;
	ret = 0;
	len = recv(mo->ctx->fd, buf, sizeof(buf), 0);
	if (len <= 0)
		return fail(mo->ctx, -ECONNRESET,
			    "monitor: the daemon closed the connection");
	if (p4x_ctl_check_buf(buf, (size_t)len, &err))
		return fail(mo->ctx, err.code, "monitor: %s", err.msg);
	left = (int)len;
	for (; !ret && mnl_nlmsg_ok(nlh, left) &&
	       (!mo->count || mo->seen < mo->count);
	     nlh = mnl_nlmsg_next(nlh, &left))
		ret = print_event(mo, nlh);
	return ret;
}

int p4xsk_monitor(struct p4xsk_ctx *ctx, int argc, char **argv)
{
	static struct monitor mo;
	uint64_t end;
	int ret, wait;
	unsigned int i;

	memset(&mo, 0, sizeof(mo));
	mo.ctx = ctx;
	mo.info_fd = -1;
	ret = monitor_args(&mo, argc, argv);
	if (!ret)
		ret = subscribe(&mo);
	if (ret)
		return ret;
	fprintf(ctx->err, "p4xsk: monitoring table events\n");
	fflush(ctx->err);
	ctx->raw = true;
	end = mo.timeout ? now_ms() + mo.timeout * 1000 : 0;
	while (!ret && (!mo.count || mo.seen < mo.count)) {
		wait = -1;
		if (end && now_ms() >= end)
			break;
		if (end)
			wait = (int)(end - now_ms());
		ret = monitor_read(&mo, wait);
	}
	for (i = 0; i < mo.nmodels; i++)
		p4x_p4tc__free(mo.models[i].m);
	if (mo.info_fd >= 0)
		close(mo.info_fd);
	return ret;
}
