// SPDX-License-Identifier: BSD-3-Clause
/*
 * The binding file and its checks against the pipeline model. The sink
 * that writes the tables is in bridge_sink.c. See bridge_bind.h.
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge_priv.h"

/* One JSON string member of @o; NULL if absent and not @required. */
static const char *jstr(struct json_object *o, const char *key, bool required,
			const char *where, char *err, size_t errsz)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v)) {
		if (required)
			snprintf(err, errsz, "%s: '%s' is missing", where, key);
		return NULL;
	}
	if (!json_object_is_type(v, json_type_string)) {
		snprintf(err, errsz, "%s: '%s' must be a string", where, key);
		return NULL;
	}
	return json_object_get_string(v);
}

static int copy_name(char *dst, size_t sz, const char *src, const char *where,
		     const char *key, char *err, size_t errsz)
{
	if (!src)
		return err[0] ? -EINVAL : 0;
	if (!src[0] || strlen(src) >= sz) {
		snprintf(err, errsz, "%s: '%s' must be 1..%zu characters",
			 where, key, sz - 1);
		return -EINVAL;
	}
	strcpy(dst, src);
	return 0;
}

/* Every member of @o must be one of @keys (NULL-terminated). */
static int only_keys(struct json_object *o, const char *const *keys,
		     const char *where, char *err, size_t errsz)
{
	unsigned int i;

	json_object_object_foreach(o, k, v)
	{
		(void)v;
		for (i = 0; keys[i] && strcmp(keys[i], k); i++)
			;
		if (!keys[i]) {
			snprintf(err, errsz, "%s: unknown key '%s'", where, k);
			return -EINVAL;
		}
	}
	return 0;
}

static struct json_object *jobj(struct json_object *o, const char *key,
				char *err, size_t errsz)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_object)) {
		snprintf(err, errsz, "'%s' must be an object", key);
		return NULL;
	}
	return v;
}

static int parse_fib(struct p4xd_bind *b, struct json_object *o, char *err,
		     size_t errsz)
{
	static const char *const keys[] = {"table", "key", "action", "param",
					   NULL};
	struct p4xd_bind_fib *f = &b->fib;
	const char *w = "fib";

	if (only_keys(o, keys, w, err, errsz) ||
	    copy_name(f->table, sizeof(f->table),
		      jstr(o, "table", true, w, err, errsz), w, "table", err,
		      errsz) ||
	    copy_name(f->key, sizeof(f->key),
		      jstr(o, "key", true, w, err, errsz), w, "key", err,
		      errsz) ||
	    copy_name(f->action, sizeof(f->action),
		      jstr(o, "action", true, w, err, errsz), w, "action", err,
		      errsz) ||
	    copy_name(f->param, sizeof(f->param),
		      jstr(o, "param", true, w, err, errsz), w, "param", err,
		      errsz))
		return -EINVAL;
	return 0;
}

static int parse_index(struct json_object *o, const char *key, uint32_t *out,
		       char *err, size_t errsz)
{
	struct json_object *v;
	int64_t i;

	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	i = json_object_get_int64(v);
	if (!json_object_is_type(v, json_type_int) || i < 0 || i > UINT32_MAX) {
		snprintf(err, errsz, "nexthop: '%s' must be an integer 0..%u",
			 key, UINT32_MAX);
		return -EINVAL;
	}
	*out = (uint32_t)i;
	return 0;
}

static int parse_mac(const char *s, uint8_t mac[6], char *err, size_t errsz)
{
	unsigned int v[6], i;
	char c;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &v[0], &v[1], &v[2], &v[3], &v[4],
		   &v[5], &c) != 6) {
		snprintf(err, errsz,
			 "nexthop: 'host_dmac': %s is not a MAC address", s);
		return -EINVAL;
	}
	for (i = 0; i < 6; i++) {
		if (v[i] > 0xff) {
			snprintf(err, errsz,
				 "nexthop: 'host_dmac': %s is not a MAC "
				 "address",
				 s);
			return -EINVAL;
		}
		mac[i] = (uint8_t)v[i];
	}
	return 0;
}

static int parse_nh(struct p4xd_bind *b, struct json_object *o, char *err,
		    size_t errsz)
{
	static const char *const keys[] = {
		"table",       "key",	     "action",	  "dmac",	 "port",
		"drop_action", "host_index", "host_dmac", "first_index", NULL};
	struct p4xd_bind_nh *n = &b->nh;
	const char *w = "nexthop", *mac;

	if (only_keys(o, keys, w, err, errsz) ||
	    copy_name(n->table, sizeof(n->table),
		      jstr(o, "table", true, w, err, errsz), w, "table", err,
		      errsz) ||
	    copy_name(n->key, sizeof(n->key),
		      jstr(o, "key", true, w, err, errsz), w, "key", err,
		      errsz) ||
	    copy_name(n->action, sizeof(n->action),
		      jstr(o, "action", true, w, err, errsz), w, "action", err,
		      errsz) ||
	    copy_name(n->dmac, sizeof(n->dmac),
		      jstr(o, "dmac", true, w, err, errsz), w, "dmac", err,
		      errsz) ||
	    copy_name(n->port, sizeof(n->port),
		      jstr(o, "port", true, w, err, errsz), w, "port", err,
		      errsz) ||
	    copy_name(n->drop_action, sizeof(n->drop_action),
		      jstr(o, "drop_action", false, w, err, errsz), w,
		      "drop_action", err, errsz) ||
	    parse_index(o, "host_index", &n->host_index, err, errsz))
		return -EINVAL;
	n->first_index = n->host_index + 1;
	if (parse_index(o, "first_index", &n->first_index, err, errsz))
		return -EINVAL;
	mac = jstr(o, "host_dmac", true, w, err, errsz);
	if (!mac || parse_mac(mac, n->host_dmac, err, errsz))
		return -EINVAL;
	if (n->first_index <= n->host_index) {
		snprintf(err, errsz,
			 "nexthop: 'first_index' must be above 'host_index'");
		return -EINVAL;
	}
	return 0;
}

static int parse_doc(struct p4xd_bind *b, struct json_object *root, char *err,
		     size_t errsz)
{
	static const char *const keys[] = {"pipeline", "fib", "nexthop", NULL};
	struct json_object *o;

	if (!json_object_is_type(root, json_type_object)) {
		snprintf(err, errsz, "the binding must be a JSON object");
		return -EINVAL;
	}
	if (only_keys(root, keys, "binding", err, errsz) ||
	    copy_name(b->pipeline, sizeof(b->pipeline),
		      jstr(root, "pipeline", true, "binding", err, errsz),
		      "binding", "pipeline", err, errsz))
		return -EINVAL;
	o = jobj(root, "fib", err, errsz);
	if (!o || parse_fib(b, o, err, errsz))
		return -EINVAL;
	o = jobj(root, "nexthop", err, errsz);
	if (!o || parse_nh(b, o, err, errsz))
		return -EINVAL;
	return 0;
}

struct p4xd_bind *p4xd_bind__load(const char *path, char *err, size_t errsz)
{
	struct p4xd_bind *b = calloc(1, sizeof(*b));
	struct json_object *root;
	char why[256] = "";

	if (!b)
		return NULL;
	root = json_object_from_file(path);
	if (!root) {
		snprintf(err, errsz, "%s: %s", path, json_util_get_last_err());
		free(b);
		errno = EINVAL;
		return NULL;
	}
	if (strlen(path) >= sizeof(b->path) ||
	    parse_doc(b, root, why, sizeof(why))) {
		snprintf(err, errsz, "%s: %s", path,
			 why[0] ? why : "path too long");
		json_object_put(root);
		free(b);
		errno = EINVAL;
		return NULL;
	}
	strcpy(b->path, path);
	json_object_put(root);
	return b;
}

void p4xd_bind__free(struct p4xd_bind *b)
{
	free(b);
}

const char *p4xd_bind__pipeline(const struct p4xd_bind *b)
{
	return b->pipeline;
}

const char *p4xd_bind__path(const struct p4xd_bind *b)
{
	return b->path;
}

const char *p4xd_bind__table(const struct p4xd_bind *b, unsigned int i)
{
	return i == 0 ? b->fib.table : b->nh.table;
}

/* ---- resolving against the model ---------------------------------------- */

static const struct p4x_p4tc_table_def *
res_table(const struct p4xd_bind *b, const struct p4x_p4tc *m, const char *name,
	  enum p4x_p4tc_table_type type, char *err, size_t errsz)
{
	char path[P4X_P4TC_NAMSZ + P4X_P4TC_PATHSZ + 2];
	const struct p4x_p4tc_table_def *t;

	snprintf(path, sizeof(path), "%s/%s", b->pipeline, name);
	t = p4x_p4tc__table_get(m, path);
	if (!t)
		snprintf(err, errsz, "%s: no table %s", b->path, path);
	else if (t->type != type)
		snprintf(err, errsz, "%s: table %s is %s, the binding needs %s",
			 b->path, path, p4x_p4tc_table_type__name(t->type),
			 p4x_p4tc_table_type__name(type));
	else if (t->nkeys != 1)
		snprintf(err, errsz,
			 "%s: table %s has %u key fields, the binding needs "
			 "one",
			 b->path, path, t->nkeys);
	else
		return t;
	return NULL;
}

static int res_key(const struct p4xd_bind *b,
		   const struct p4x_p4tc_table_def *t, const char *key,
		   enum p4x_p4tc_kind kind, char *err, size_t errsz)
{
	const struct p4x_p4tc_key_def *k = &t->keys[0];

	if (strcmp(k->name, key)) {
		snprintf(err, errsz,
			 "%s: table %s has no key field %s (it has %s)",
			 b->path, t->name, key, k->name);
		return -EINVAL;
	}
	if (k->type.kind != kind || k->type.bitsz != 32) {
		snprintf(err, errsz,
			 "%s: key field %s of table %s must be %s (32 bits)",
			 b->path, key, t->name,
			 kind == P4X_P4TC_K_IPV4 ? "ipv4" : "bit32");
		return -EINVAL;
	}
	return 0;
}

/* Action @name of the pipeline, in @t's table_acts. */
static const struct p4x_p4tc_action_def *
res_action(const struct p4xd_bind *b, const struct p4x_p4tc *m,
	   const struct p4x_p4tc_table_def *t, const char *name, char *err,
	   size_t errsz)
{
	char path[P4X_P4TC_NAMSZ + P4X_P4TC_PATHSZ + 2];
	const struct p4x_p4tc_action_def *a;
	const char *slash = strchr(t->name, '/');
	uint32_t i;

	snprintf(path, sizeof(path), "%s/%.*s/%s", b->pipeline,
		 slash ? (int)(slash - t->name) : 0, t->name, name);
	a = p4x_p4tc__action_get(m, path);
	if (!a) {
		snprintf(err, errsz, "%s: no action %s", b->path, path);
		return NULL;
	}
	for (i = 0; i < t->nacts; i++)
		if (t->acts[i].act_id == a->id)
			return a;
	snprintf(err, errsz, "%s: action %s is not in table %s's table_acts",
		 b->path, path, t->name);
	return NULL;
}

static const struct p4x_p4tc_param_def *
res_param(const struct p4xd_bind *b, const struct p4x_p4tc_action_def *a,
	  const char *name, enum p4x_p4tc_kind kind, unsigned int bits,
	  char *err, size_t errsz)
{
	uint32_t i;

	for (i = 0; i < a->nparams; i++) {
		const struct p4x_p4tc_param_def *p = &a->params[i];

		if (strcmp(p->name, name))
			continue;
		if (p->type.kind == kind && p->type.bitsz >= bits)
			return p;
		snprintf(err, errsz,
			 "%s: param %s of action %s has the wrong type "
			 "(the binding needs %s)",
			 b->path, name, a->name,
			 kind == P4X_P4TC_K_MACADDR ? "macaddr"
			 : kind == P4X_P4TC_K_DEV   ? "dev"
						    : "bit32 or wider");
		return NULL;
	}
	snprintf(err, errsz, "%s: action %s has no param %s", b->path, a->name,
		 name);
	return NULL;
}

static int res_fib(struct p4xd_bind *b, const struct p4x_p4tc *m, char *err,
		   size_t errsz)
{
	const struct p4x_p4tc_table_def *t =
		res_table(b, m, b->fib.table, P4X_P4TC_TABLE_LPM, err, errsz);
	const struct p4x_p4tc_action_def *a;
	const struct p4x_p4tc_param_def *p;

	if (!t || res_key(b, t, b->fib.key, P4X_P4TC_K_IPV4, err, errsz))
		return -EINVAL;
	a = res_action(b, m, t, b->fib.action, err, errsz);
	p = a ? res_param(b, a, b->fib.param, P4X_P4TC_K_BIT, 32, err, errsz)
	      : NULL;
	if (!p)
		return -EINVAL;
	b->fib_act = a->id;
	b->fib_params_len = a->params_bytes;
	b->fib_index_off = p->offset;
	b->fib_index_bytes = (uint16_t)p4x_p4tc_type__blob_bytes(&p->type);
	b->fib_tentries = t->tentries;
	return 0;
}

static int res_nh(struct p4xd_bind *b, const struct p4x_p4tc *m, char *err,
		  size_t errsz)
{
	const struct p4x_p4tc_table_def *t =
		res_table(b, m, b->nh.table, P4X_P4TC_TABLE_EXACT, err, errsz);
	const struct p4x_p4tc_action_def *a, *drop = NULL;
	const struct p4x_p4tc_param_def *mac, *port;

	if (!t || res_key(b, t, b->nh.key, P4X_P4TC_K_BIT, err, errsz))
		return -EINVAL;
	a = res_action(b, m, t, b->nh.action, err, errsz);
	mac = a ? res_param(b, a, b->nh.dmac, P4X_P4TC_K_MACADDR, 48, err,
			    errsz)
		: NULL;
	port = mac ? res_param(b, a, b->nh.port, P4X_P4TC_K_DEV, 32, err, errsz)
		   : NULL;
	if (!port)
		return -EINVAL;
	if (b->nh.drop_action[0]) {
		drop = res_action(b, m, t, b->nh.drop_action, err, errsz);
		if (!drop)
			return -EINVAL;
	}
	b->nh_act = a->id;
	b->nh_params_len = a->params_bytes;
	b->nh_mac_off = mac->offset;
	b->nh_port_off = port->offset;
	b->nh_drop_act = drop ? drop->id : 0;
	b->nh_drop_params_len = drop ? drop->params_bytes : 0;
	b->nh_tentries = t->tentries;
	return 0;
}

int p4xd_bind__resolve(struct p4xd_bind *b, const struct p4x_p4tc *m, char *err,
		       size_t errsz)
{
	struct p4x_p4tc_pipeline *p = p4x_p4tc__pipeline_get(m, b->pipeline);

	if (!p) {
		snprintf(err, errsz, "%s: no pipeline %s", b->path,
			 b->pipeline);
		return -ENOENT;
	}
	if (res_fib(b, m, err, errsz) || res_nh(b, m, err, errsz))
		return -EINVAL;
	b->resolved = true;
	return 0;
}
