// SPDX-License-Identifier: BSD-3-Clause
/*
 * Tables: creation, the reader entry point, default actions, timer
 * profiles, dump, aging and accounting. Transactions live in
 * table_txn.c, the kinds in table_{exact,lpm,ternary}.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "table_int.h"

static const struct tbl_kind_ops *const kind_ops[P4X_TABLE_KIND__COUNT] = {
	[P4X_TABLE_EXACT] = &tbl_exact_ops,
	[P4X_TABLE_LPM] = &tbl_lpm_ops,
	[P4X_TABLE_TERNARY] = &tbl_ternary_ops,
};

void tbl_errf(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errsz)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

void tbl_bytes_add(uint64_t *bytes, int64_t delta)
{
	__atomic_add_fetch(bytes, (uint64_t)delta, __ATOMIC_RELAXED);
}

void *tbl_zalloc_aligned(size_t size)
{
	size_t rounded = (size + 127) & ~(size_t)127;
	void *p = aligned_alloc(128, rounded);

	if (p)
		memset(p, 0, rounded);
	return p;
}

int tbl_prefix_len(const uint8_t *mask, uint32_t keylen)
{
	uint32_t i = 0;
	int len;

	while (i < keylen && mask[i] == 0xff)
		i++;
	len = (int)i * 8;
	if (i == keylen)
		return len;
	/* a prefix byte is ones then zeros: ~m + 1 is a power of two */
	if ((uint8_t)(mask[i] | (mask[i] - 1)) != 0xff && mask[i])
		return -1;
	len += __builtin_popcount(mask[i]);
	for (i++; i < keylen; i++)
		if (mask[i])
			return -1;
	return len;
}

bool p4x_table_perm_ok(uint16_t perms, enum p4x_table_who who,
		       enum p4x_table_perm_op op)
{
	if (who == P4X_TABLE_WHO_KERNEL)
		return perms & P4X_PERM_DATA(op);
	return perms & P4X_PERM_CTRL(op);
}

uint64_t p4x_table_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

const char *p4x_table_kind__name(enum p4x_table_kind kind)
{
	return kind < P4X_TABLE_KIND__COUNT ? kind_ops[kind]->name : "?";
}

static int table_check_args(const char *name, enum p4x_table_kind kind,
			    uint32_t keysz, const struct p4x_table_opts *opts)
{
	if (!name || !*name || strlen(name) >= P4X_TABLE_NAME_MAX)
		return -EINVAL;
	if (kind >= P4X_TABLE_KIND__COUNT)
		return -EINVAL;
	if (!keysz || keysz > P4X_TABLE_KEY_MAX * 8)
		return -EINVAL;
	if (opts && opts->sz < sizeof(size_t))
		return -EINVAL;
	return 0;
}

static void table_apply_opts(struct p4x_table *t,
			     const struct p4x_table_opts *opts)
{
	struct p4x_table_opts o = {0};

	if (opts)
		memcpy(&o, opts, P4X_MIN(opts->sz, sizeof(o)));
	t->tentries = o.tentries ? o.tentries : P4X_TABLE_DEFAULT_TENTRIES;
	t->nummasks = o.nummasks ? o.nummasks : P4X_TABLE_DEFAULT_NUMMASKS;
	t->perms = o.permissions ? o.permissions : P4X_TABLE_DEFAULT_PERMS;
}

struct p4x_table *p4x_table__create(const char *name, enum p4x_table_kind kind,
				    uint32_t keysz,
				    const struct p4x_table_opts *opts)
{
	struct p4x_table *t;
	int err = table_check_args(name, kind, keysz, opts);

	if (err)
		goto err_args;
	t = tbl_zalloc_aligned(sizeof(*t));
	err = -ENOMEM;
	if (!t)
		goto err_args;
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->kind = kind;
	t->ops = kind_ops[kind];
	t->keysz = keysz;
	t->keylen = (keysz + 7) / 8;
	t->nwords = TBL_KEY_WORDS(t->keylen);
	t->gen = 1;
	t->aging_ms[0] = P4X_TABLE_DEFAULT_AGING_MS;
	table_apply_opts(t, opts);
	err = tbl_idx_init(t);
	if (err)
		goto err_idx;
	err = t->ops->init(t);
	if (err)
		goto err_kind;
	return t;

err_kind:
	free(t->idx);
err_idx:
	free(t);
err_args:
	errno = -err;
	return NULL;
}

struct tbl_action_rcu {
	struct p4x_table_action act;
	struct rcu_head rcu;
};

void p4x_table__destroy(struct p4x_table *t)
{
	struct tbl_entry *e, *next;

	if (!t)
		return;
	p4x_table_txn__abort(t->txn);
	synchronize_rcu();
	tbl_reclaim_fini(t);
	for (e = t->head; e; e = next) {
		next = e->next;
		free(e);
	}
	t->ops->fini(t);
	tbl_txn_cache_fini(t);
	free(t->idx);
	if (t->def_hit)
		free(caa_container_of(t->def_hit, struct tbl_action_rcu, act));
	if (t->def_miss)
		free(caa_container_of(t->def_miss, struct tbl_action_rcu, act));
	free(t);
}

const char *p4x_table__name(const struct p4x_table *t)
{
	return t->name;
}

enum p4x_table_kind p4x_table__kind(const struct p4x_table *t)
{
	return t->kind;
}

uint32_t p4x_table__keysz(const struct p4x_table *t)
{
	return t->keysz;
}

uint32_t p4x_table__keylen(const struct p4x_table *t)
{
	return t->keylen;
}

uint32_t p4x_table__tentries(const struct p4x_table *t)
{
	return t->tentries;
}

uint16_t p4x_table__permissions(const struct p4x_table *t)
{
	return t->perms;
}

uint32_t p4x_table__count(const struct p4x_table *t)
{
	return t->count;
}

unsigned int p4x_table__lookup_burst(struct p4x_table *t,
				     const void *const keys[], unsigned int n,
				     const struct p4x_table_entry *results[])
{
	uint64_t gen = __atomic_load_n(&t->gen, __ATOMIC_ACQUIRE);
	uint64_t now = p4x_table_clock_ms();
	unsigned int hits = 0;

	for (unsigned int i = 0; i < n; i += P4X_BURST)
		hits += t->ops->lookup_burst(t, gen, keys + i,
					     P4X_MIN(n - i, P4X_BURST),
					     results + i, now);
	return hits;
}

const struct p4x_table_action *p4x_table__default_hit(struct p4x_table *t)
{
	return rcu_dereference(t->def_hit);
}

const struct p4x_table_action *p4x_table__default_miss(struct p4x_table *t)
{
	return rcu_dereference(t->def_miss);
}

static void action_free_rcu(struct rcu_head *head)
{
	free(caa_container_of(head, struct tbl_action_rcu, rcu));
}

static int set_default(struct p4x_table_action **slot,
		       const struct p4x_table_action *act)
{
	struct tbl_action_rcu *n = NULL;
	struct p4x_table_action *old;

	if (act && act->params_len > P4X_TABLE_PARAMS_MAX)
		return -EINVAL;
	if (act) {
		n = calloc(1, sizeof(*n));
		if (!n)
			return -ENOMEM;
		n->act = *act;
	}
	old = rcu_xchg_pointer(slot, n ? &n->act : NULL);
	if (old)
		call_rcu(
			&caa_container_of(old, struct tbl_action_rcu, act)->rcu,
			action_free_rcu);
	return 0;
}

int p4x_table__set_default_hit(struct p4x_table *t,
			       const struct p4x_table_action *act)
{
	return set_default(&t->def_hit, act);
}

int p4x_table__set_default_miss(struct p4x_table *t,
				const struct p4x_table_action *act)
{
	return set_default(&t->def_miss, act);
}

int p4x_table__set_timer_profile(struct p4x_table *t, uint32_t id,
				 uint64_t aging_ms)
{
	if (id >= P4X_TABLE_PROFILES_MAX || !aging_ms)
		return -EINVAL;
	t->aging_ms[id] = aging_ms;
	return 0;
}

void p4x_table_entry__info(const struct p4x_table_entry *pub,
			   struct p4x_table_entry_info *info)
{
	const struct tbl_entry *e = tbl_entry(pub);
	uint64_t used = __atomic_load_n(&e->last_used, __ATOMIC_RELAXED);

	*info = (struct p4x_table_entry_info){
		.key = e->key,
		.mask = e->mask,
		.keylen = e->table->keylen,
		.prio = pub->prio,
		.act_id = pub->act_id,
		.params = pub->params,
		.params_len = pub->params_len,
		.permissions = pub->permissions,
		.who_created = e->who_created,
		.who_updated = e->who_updated,
		.dynamic = e->dynamic,
		.profile_id = e->profile_id,
		.created_ms = e->created,
		.updated_ms = e->updated,
		.last_used_ms = used ? used : e->created,
	};
}

int p4x_table__dump(struct p4x_table *t, p4x_table_dump_fn cb, void *arg)
{
	int ret;

	if (t->txn)
		return -EBUSY;
	for (struct tbl_entry *e = t->head; e; e = e->next) {
		ret = cb(&e->pub, arg);
		if (ret)
			return ret;
	}
	return 0;
}

static bool entry_idle(const struct p4x_table *t, const struct tbl_entry *e,
		       uint64_t now_ms)
{
	uint64_t used = __atomic_load_n(&e->last_used, __ATOMIC_RELAXED);
	uint64_t last = P4X_MAX(used, e->created);

	return e->dynamic && now_ms > last &&
	       now_ms - last > t->aging_ms[e->profile_id];
}

int p4x_table__age(struct p4x_table *t, uint64_t now_ms, p4x_table_aged_fn cb,
		   void *arg)
{
	struct p4x_table_txn *txn;
	struct tbl_entry *e, *next;
	int n = 0, err;

	if (t->txn)
		return -EBUSY;
	txn = p4x_table__txn_begin(t);
	if (!txn)
		return -errno;
	for (e = t->head; e; e = next) {
		next = e->next;
		if (!entry_idle(t, e, now_ms))
			continue;
		err = tbl_txn_delete_entry(txn, e, NULL, 0);
		if (err) {
			p4x_table_txn__abort(txn);
			return err;
		}
		if (cb)
			cb(t, &e->pub, arg);
		n++;
	}
	p4x_table_txn__commit(txn);
	return n;
}

void p4x_table__stats(const struct p4x_table *t, struct p4x_table_stats *stats)
{
	*stats = (struct p4x_table_stats){
		.entries_live =
			__atomic_load_n(&t->entries_live, __ATOMIC_RELAXED),
		.retire_pending = t->retire_pending,
		.struct_bytes =
			__atomic_load_n(&t->struct_bytes, __ATOMIC_RELAXED),
		.masks = t->masks,
	};
}
