// SPDX-License-Identifier: BSD-3-Clause
/*
 * The program under test: its template on a fresh P4TC model, one runtime
 * table per table, the program object bound to them, and `add` lines
 * written as p4c's CI writes them (`tc p4ctrl create`, 6.4).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "p4x/p4pipe.h"

#include "stf_priv.h"

#define TMPL_SUFFIX ".template"

/* --- dev values: STF port names ------------------------------------------ */

static int dev_by_name(void *arg, const char *name, uint32_t *ifindex)
{
	const struct stf_io *io = arg;
	unsigned int i;

	for (i = 0; i < io->nports; i++)
		if (!strcmp(io->names[i], name)) {
			*ifindex = io->ifindex[i];
			return 0;
		}
	return -ENODEV;
}

static int dev_by_index(void *arg, uint32_t ifindex, char *buf, size_t sz)
{
	const struct stf_io *io = arg;
	unsigned int i;

	for (i = 0; i < io->nports; i++)
		if (io->ifindex[i] == ifindex) {
			snprintf(buf, sz, "%s", io->names[i]);
			return 0;
		}
	return -ENODEV;
}

/* --- runtime env: tables and ports ---------------------------------------- */

static struct p4x_table *env_table(void *arg, uint32_t pipeid, uint32_t tblid)
{
	struct stf_prog *p = arg;
	unsigned int i;

	if (pipeid != p->pipeid)
		return NULL;
	for (i = 0; i < p->ntables; i++)
		if (p->tblids[i] == tblid)
			return p->tables[i];
	return NULL;
}

static uint32_t env_port_ifindex(void *arg, uint16_t port)
{
	const struct stf_io *io = ((const struct stf_prog *)arg)->io;

	return port < io->nports ? io->ifindex[port] : 0;
}

static int env_ifindex_port(void *arg, uint32_t ifindex)
{
	const struct stf_io *io = ((const struct stf_prog *)arg)->io;
	unsigned int i;

	for (i = 0; i < io->nports; i++)
		if (io->ifindex[i] == ifindex)
			return (int)i;
	return -1;
}

/* --- opening ------------------------------------------------------------- */

static int load_model(struct stf_prog *p, struct stf_io *io, char *err,
		      size_t errsz)
{
	struct p4x_p4tc_dev_ops dev = {dev_by_name, dev_by_index, io};
	struct p4x_p4tc_opts o = {
		.sz = sizeof(o), .introspection_dir = p->dir, .dev = &dev};
	const struct p4x_p4tc_pipeline *pl;
	char path[PATH_MAX + 64];
	int ret;

	p->m = p4x_p4tc__new(&o);
	if (!p->m) {
		snprintf(err, errsz, "P4TC model: %s", strerror(errno));
		return -errno;
	}
	snprintf(path, sizeof(path), "%s/%s%s", p->dir, p->name, TMPL_SUFFIX);
	ret = p4x_p4tc__load_template(p->m, path, err, errsz);
	if (ret)
		return ret;
	pl = p4x_p4tc__pipeline_get(p->m, p->name);
	if (!pl || !p4x_p4tc_pipeline__sealed(pl)) {
		snprintf(err, errsz, "%s: pipeline %s %s", path, p->name,
			 pl ? "is not sealed (no state ready)"
			    : "is not created");
		return -EINVAL;
	}
	p->pipeid = p4x_p4tc_pipeline__id(pl);
	return 0;
}

static int build_tables(struct stf_prog *p, char *err, size_t errsz)
{
	const struct p4x_p4tc_pipeline *pl =
		p4x_p4tc__pipeline_get(p->m, p->name);
	const struct p4x_p4tc_table_def *def;

	while ((def = p4x_p4tc_pipeline__table_at(pl, p->ntables))) {
		p->tables[p->ntables] = p4x_p4pipe__table_new(def, err, errsz);
		if (!p->tables[p->ntables])
			return -errno;
		p->tblids[p->ntables++] = def->id;
	}
	return 0;
}

static int build_object(struct stf_prog *p, const char *so_path, char *err,
			size_t errsz)
{
	struct p4x_p4rt_build_opts o = {.sz = sizeof(o)};

	if (so_path) {
		snprintf(p->so, sizeof(p->so), "%s", so_path);
		return 0;
	}
	snprintf(p->tmpdir, sizeof(p->tmpdir), "/tmp/p4x-stf-XXXXXX");
	if (!mkdtemp(p->tmpdir)) {
		snprintf(err, errsz, "%s: %s", p->tmpdir, strerror(errno));
		p->tmpdir[0] = '\0';
		return -errno;
	}
	snprintf(p->so, sizeof(p->so), "%s/%s.so", p->tmpdir, p->name);
	return p4x_p4rt__build(p->dir, p->so, &o, err, errsz);
}

static int load_object(struct stf_prog *p, const struct stf_io *io, char *err,
		       size_t errsz)
{
	struct p4x_p4rt_env env = {
		.table = env_table,
		.port_ifindex = env_port_ifindex,
		.ifindex_port = env_ifindex_port,
		.arg = p,
	};
	struct p4x_p4rt_opts o = {.sz = sizeof(o), .pipeid = p->pipeid};

	p->io = io;
	p->rt = p4x_p4rt__load(p->so, &env, &o, err, errsz);
	return p->rt ? 0 : -errno;
}

int stf_prog_open(struct stf_prog *p, const char *dir, const char *so_path,
		  struct stf_io *io, char *err, size_t errsz)
{
	int ret;

	memset(p, 0, sizeof(*p));
	if (!realpath(dir, p->dir)) {
		snprintf(err, errsz, "%s: %s", dir, strerror(errno));
		return -errno;
	}
	ret = p4x_p4pipe__dir_name(p->dir, p->name, sizeof(p->name), err,
				   errsz);
	if (!ret)
		ret = load_model(p, io, err, errsz);
	if (!ret)
		ret = build_tables(p, err, errsz);
	if (!ret)
		ret = build_object(p, so_path, err, errsz);
	if (!ret)
		ret = load_object(p, io, err, errsz);
	return ret;
}

int stf_prog_publish(struct stf_prog *p, struct stf_io *io)
{
	struct p4x_prog prog;
	int ret;

	p4x_p4rt__prog(p->rt, &prog);
	ret = p4x_engine__set_prog(io->engine, &prog);
	if (!ret)
		p->rt = NULL; /* the engine owns it */
	return ret;
}

void stf_prog_close(struct stf_prog *p)
{
	unsigned int i;

	p4x_p4rt__free(p->rt);
	for (i = 0; i < p->ntables; i++)
		p4x_table__destroy(p->tables[i]);
	p4x_p4tc__free(p->m);
	if (p->tmpdir[0]) {
		unlink(p->so);
		rmdir(p->tmpdir);
	}
	memset(p, 0, sizeof(*p));
}

/* --- add: 6.4 --------------------------------------------------------------
 */

/* int(@s, 16) as p4c reads it, into 16 big-endian bytes. */
static int hex128(const char *s, size_t n, uint8_t v[16])
{
	size_t i;

	memset(v, 0, 16);
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		n -= 2;
	}
	if (!n || n > 32)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		char c = s[n - 1 - i];
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;

		if (d < 0)
			return -EINVAL;
		v[15 - i / 2] |= (uint8_t)(d << (i % 2 ? 4 : 0));
	}
	return 0;
}

/* The word p4c's build_runtime_file emits for STF value @in of type @t. */
static int map_value(const struct stf_io *io, const struct p4x_p4tc_type *t,
		     const char *in, char *out, size_t sz)
{
	const char *slash = strchr(in, '/');
	size_t n = slash ? (size_t)(slash - in) : strlen(in);
	uint8_t v[16];
	char addr[INET6_ADDRSTRLEN];

	if (t->kind != P4X_P4TC_K_DEV && t->kind != P4X_P4TC_K_MACADDR &&
	    t->kind != P4X_P4TC_K_IPV4 && t->kind != P4X_P4TC_K_IPV6) {
		snprintf(out, sz, "%s", in);
		return 0;
	}
	if (hex128(in, n, v))
		return -EINVAL;
	if (t->kind == P4X_P4TC_K_DEV) {
		if (memcmp(v, (uint8_t[15]){0}, 15) || v[15] >= io->nports)
			return -ENODEV;
		snprintf(out, sz, "%s", io->names[v[15]]);
		return 0;
	}
	if (t->kind == P4X_P4TC_K_MACADDR)
		snprintf(addr, sizeof(addr), "%02x:%02x:%02x:%02x:%02x:%02x",
			 v[10], v[11], v[12], v[13], v[14], v[15]);
	else
		inet_ntop(t->kind == P4X_P4TC_K_IPV4 ? AF_INET : AF_INET6,
			  t->kind == P4X_P4TC_K_IPV4 ? v + 12 : v, addr,
			  sizeof(addr));
	snprintf(out, sz, "%s%s", addr, slash ? slash : "");
	return 0;
}

/* Converted words of one add, alive while the entry is built. */
struct add_words {
	char keys[P4X_STF_MAX_ARGS][P4X_STF_VALUE_MAX + 48];
	char params[P4X_STF_MAX_ARGS][P4X_STF_VALUE_MAX + 48];
	struct p4x_p4tc_key_value kv[P4X_STF_MAX_ARGS];
	struct p4x_p4tc_param_value pv[P4X_STF_MAX_ARGS];
	char path[P4X_P4TC_NAMSZ + P4X_STF_NAME_MAX + 2];
	char act[P4X_STF_NAME_MAX];
};

static int map_fail(const struct p4x_stf_stmt *s, const struct p4x_stf_arg *a,
		    int ret, char *err, size_t errsz)
{
	snprintf(err, errsz, "line %u: %s:%s: %s", s->line, a->name, a->value,
		 ret == -ENODEV	  ? "no such STF port"
		 : ret == -ERANGE ? "more values than the JSON declares"
				  : "not a number for its JSON type");
	return ret == -ENODEV ? ret : -EINVAL;
}

static int add_keys(const struct stf_io *io, const struct p4x_p4tc_table_def *t,
		    const struct p4x_stf_stmt *s, struct add_words *w,
		    char *err, size_t errsz)
{
	unsigned int i;
	int ret;

	for (i = 0; i < s->nkeys; i++) {
		if (i >= t->nkeys)
			return map_fail(s, &s->keys[i], -ERANGE, err, errsz);
		ret = map_value(io, &t->keys[i].type, s->keys[i].value,
				w->keys[i], sizeof(w->keys[i]));
		if (ret)
			return map_fail(s, &s->keys[i], ret, err, errsz);
		w->kv[i].name = s->keys[i].name;
		w->kv[i].value = w->keys[i];
	}
	return 0;
}

static int add_params(struct stf_prog *p, const struct stf_io *io,
		      const struct p4x_stf_stmt *s, struct add_words *w,
		      char *err, size_t errsz)
{
	const struct p4x_p4tc_pipeline *pl =
		p4x_p4tc__pipeline_get(p->m, p->name);
	const struct p4x_p4tc_action_def *a;
	char full[P4X_STF_NAME_MAX], *c;
	unsigned int i;
	int ret;

	snprintf(full, sizeof(full), "%s", s->action);
	for (c = full; *c; c++)
		*c = *c == '.' ? '/' : *c;
	a = p4x_p4tc_pipeline__action(pl, full);
	if (!a) {
		snprintf(err, errsz, "line %u: action %s is not in %s.json",
			 s->line, s->action, p->name);
		return -ENOENT;
	}
	for (i = 0; i < s->nparams; i++) {
		if (i >= a->nparams)
			return map_fail(s, &s->params[i], -ERANGE, err, errsz);
		ret = map_value(io, &a->params[i].type, s->params[i].value,
				w->params[i], sizeof(w->params[i]));
		if (ret)
			return map_fail(s, &s->params[i], ret, err, errsz);
		w->pv[i].name = s->params[i].name;
		w->pv[i].value = w->params[i];
	}
	return 0;
}

static int add_write(struct stf_prog *p, const struct p4x_p4tc_table_def *t,
		     const struct p4x_p4tc_entry_def *e, char *err,
		     size_t errsz)
{
	struct p4x_table_entry_spec s = {
		.sz = sizeof(s),
		.key = e->key,
		.mask = e->mask,
		.prio = e->prio,
		.act_id = e->has_action ? e->act.act_id : 0,
		.params = e->act.params,
		.params_len = e->has_action ? e->act.params_bytes : 0,
	};
	struct p4x_table *tbl = env_table(p, p->pipeid, t->id);
	struct p4x_table_txn *txn = p4x_table__txn_begin(tbl);
	int ret;

	if (!txn)
		return -errno;
	ret = p4x_table_txn__add(txn, &s, err, errsz);
	if (ret) {
		p4x_table_txn__abort(txn);
		return ret;
	}
	p4x_table_txn__commit(txn);
	return 0;
}

int stf_prog_add(struct stf_prog *p, const struct stf_io *io,
		 const struct p4x_stf_stmt *s, char *err, size_t errsz)
{
	const struct p4x_p4tc_pipeline *pl =
		p4x_p4tc__pipeline_get(p->m, p->name);
	struct add_words w;
	struct p4x_p4tc_entry_spec spec = {.sz = sizeof(spec)};
	struct p4x_p4tc_entry_def e;
	const struct p4x_p4tc_table_def *t;
	const char *dot = strchr(s->action, '.');
	char why[256], *c;
	int ret;

	memset(&w, 0, sizeof(w));
	snprintf(w.path, sizeof(w.path), "%s/%s", p->name, s->table);
	for (c = w.path; *c; c++)
		*c = *c == '.' ? '/' : *c;
	t = p4x_p4tc_pipeline__table(pl, w.path + strlen(p->name) + 1);
	if (!t) {
		snprintf(err, errsz, "line %u: table %s is not in %s.json",
			 s->line, s->table, p->name);
		return -ENOENT;
	}
	ret = add_keys(io, t, s, &w, err, errsz);
	if (!ret && strcmp(s->action, "_NoAction"))
		ret = add_params(p, io, s, &w, err, errsz);
	if (ret)
		return ret;
	snprintf(w.act, sizeof(w.act), "%s", dot ? dot + 1 : s->action);
	spec.nkeys = s->nkeys;
	spec.keys = w.kv;
	spec.has_action = strcmp(s->action, "_NoAction") != 0;
	spec.action = (struct p4x_p4tc_act_spec){
		.action = w.act, .nparams = s->nparams, .params = w.pv};
	ret = p4x_p4tc__entry_build(p->m, w.path, &spec, &e, why, sizeof(why));
	if (!ret)
		ret = add_write(p, t, &e, why, sizeof(why));
	if (ret)
		snprintf(err, errsz, "line %u: add %s: %s", s->line, s->table,
			 why);
	return ret;
}
