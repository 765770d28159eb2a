// SPDX-License-Identifier: BSD-3-Clause
/* Runtime tables of a sealed pipeline. See include/p4x/p4pipe.h. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "p4x/p4pipe.h"

static enum p4x_table_kind table_kind(enum p4x_p4tc_table_type type)
{
	switch (type) {
	case P4X_P4TC_TABLE_LPM:
		return P4X_TABLE_LPM;
	case P4X_P4TC_TABLE_TERNARY:
		return P4X_TABLE_TERNARY;
	default:
		return P4X_TABLE_EXACT;
	}
}

uint32_t p4x_p4pipe__keysz(const struct p4x_p4tc_table_def *def)
{
	return def->nkeys ? def->key_bytes * 8u : def->keysz;
}

static void table_action(const struct p4x_p4tc_act_value *av,
			 struct p4x_table_action *a)
{
	memset(a, 0, sizeof(*a));
	a->act_id = av->act_id;
	a->params_len = av->params_bytes;
	memcpy(a->params, av->params, av->params_bytes);
}

static int table_defaults(struct p4x_table *t,
			  const struct p4x_p4tc_table_def *def)
{
	struct p4x_table_action a;
	int ret = 0;

	if (def->aging_ms)
		ret = p4x_table__set_timer_profile(t, 0, def->aging_ms);
	if (!ret && def->has_default_hit) {
		table_action(&def->default_hit, &a);
		ret = p4x_table__set_default_hit(t, &a);
	}
	if (!ret && def->has_default_miss) {
		table_action(&def->default_miss, &a);
		ret = p4x_table__set_default_miss(t, &a);
	}
	return ret;
}

/* The template's const entries, in one transaction. */
static int table_const_entries(struct p4x_table *t,
			       const struct p4x_p4tc_table_def *def, char *err,
			       size_t errsz)
{
	struct p4x_table_txn *txn;
	uint32_t i;
	int ret = 0;

	if (!def->nentries)
		return 0;
	txn = p4x_table__txn_begin(t);
	if (!txn)
		return -errno;
	for (i = 0; i < def->nentries && !ret; i++) {
		const struct p4x_p4tc_entry_def *ce = &def->entries[i];
		struct p4x_table_entry_spec s = {
			.sz = sizeof(s),
			.key = ce->key,
			.mask = ce->mask,
			.prio = ce->prio,
			.act_id = ce->has_action ? ce->act.act_id : 0,
			.params = ce->act.params,
			.params_len = ce->has_action ? ce->act.params_bytes : 0,
			.permissions =
				ce->has_permissions ? ce->permissions : 0,
		};

		ret = p4x_table_txn__add(txn, &s, err, errsz);
	}
	if (ret) {
		p4x_table_txn__abort(txn);
		return ret;
	}
	p4x_table_txn__commit(txn);
	return 0;
}

struct p4x_table *p4x_p4pipe__table_new(const struct p4x_p4tc_table_def *def,
					char *err, size_t errsz)
{
	struct p4x_table_opts o = {
		.sz = sizeof(o),
		.tentries = def->tentries,
		.nummasks = def->nummasks,
		.permissions = def->permissions,
	};
	const char *slash = strrchr(def->name, '/');
	char why[P4X_TABLE_ERR_MAX] = "";
	struct p4x_table *t;
	int ret;

	t = p4x_table__create(slash ? slash + 1 : def->name,
			      table_kind(def->type), p4x_p4pipe__keysz(def),
			      &o);
	if (!t) {
		ret = -errno;
		goto err_out;
	}
	ret = table_defaults(t, def);
	if (!ret)
		ret = table_const_entries(t, def, why, sizeof(why));
	if (!ret)
		return t;
	p4x_table__destroy(t);
err_out:
	snprintf(err, errsz, "table %s: cannot build: %s", def->name,
		 why[0] ? why : strerror(-ret));
	errno = -ret;
	return NULL;
}

#define TMPL_SUFFIX ".template"

int p4x_p4pipe__dir_name(const char *dir, char *name, size_t sz, char *err,
			 size_t errsz)
{
	size_t s = strlen(TMPL_SUFFIX), n;
	DIR *d = opendir(dir);
	struct dirent *de;
	int found = 0;

	if (!d) {
		snprintf(err, errsz, "%s: %s", dir, strerror(errno));
		return -errno;
	}
	while ((de = readdir(d))) {
		n = strlen(de->d_name);
		if (n <= s || strcmp(de->d_name + n - s, TMPL_SUFFIX) ||
		    n - s >= sz)
			continue;
		snprintf(name, sz, "%.*s", (int)(n - s), de->d_name);
		found++;
	}
	closedir(d);
	if (found == 1)
		return 0;
	snprintf(err, errsz, "%s: %s", dir,
		 found ? "more than one *.template: one program per directory"
		       : "no *.template: not a P4TC program directory");
	return found ? -EINVAL : -ENOENT;
}
