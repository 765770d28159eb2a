// SPDX-License-Identifier: BSD-3-Clause
/*
 * Table API: error messages and codes, batches that fail midway, full
 * tables, permissions, entry metadata, default actions, aging events,
 * and that nothing stays allocated.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include "table_test.h"

static struct p4x_table *mk(enum p4x_table_kind kind, uint32_t keysz,
			    uint32_t tentries, uint16_t perms)
{
	struct p4x_table_opts o = {
		.sz = sizeof(o),
		.tentries = tentries,
		.permissions = perms,
	};
	struct p4x_table *t = p4x_table__create("tbl", kind, keysz, &o);

	CHECK(t, "create: %d", errno);
	return t;
}

static struct p4x_table_entry_spec spec(const void *key, const void *mask,
					uint32_t prio, uint32_t act)
{
	return (struct p4x_table_entry_spec){
		.sz = sizeof(struct p4x_table_entry_spec),
		.key = key,
		.mask = mask,
		.prio = prio,
		.act_id = act,
	};
}

/* One-op transaction, committed if the op succeeds. */
static int op1(struct p4x_table *t, int op,
	       const struct p4x_table_entry_spec *sp, char *err)
{
	struct p4x_table_txn *txn = p4x_table__txn_begin(t);
	int ret;

	CHECK(txn, "begin: %d", errno);
	if (op == 'a')
		ret = p4x_table_txn__add(txn, sp, err, P4X_TABLE_ERR_MAX);
	else if (op == 'u')
		ret = p4x_table_txn__update(txn, sp, err, P4X_TABLE_ERR_MAX);
	else
		ret = p4x_table_txn__delete(txn, sp, err, P4X_TABLE_ERR_MAX);
	if (ret)
		p4x_table_txn__abort(txn);
	else
		p4x_table_txn__commit(txn);
	return ret;
}

static const struct p4x_table_entry *look1(struct p4x_table *t, const void *key)
{
	const struct p4x_table_entry *res;

	rcu_thread_online();
	p4x_table__lookup_burst(t, &key, 1, &res);
	rcu_thread_offline();
	return res;
}

static void finish(struct p4x_table *t)
{
	struct p4x_table_stats st;

	tt_quiesce(t);
	p4x_table__stats(t, &st);
	CHECK(st.entries_live == p4x_table__count(t), "live %lu count %u",
	      (unsigned long)st.entries_live, p4x_table__count(t));
	p4x_table__destroy(t);
}

static void test_create_errors(void)
{
	CHECK(!p4x_table__create("x", P4X_TABLE_EXACT, 0, NULL) &&
		      errno == EINVAL,
	      "keysz 0");
	CHECK(!p4x_table__create("x", P4X_TABLE_EXACT, 1025, NULL) &&
		      errno == EINVAL,
	      "keysz 1025");
	CHECK(!p4x_table__create("", P4X_TABLE_LPM, 32, NULL) &&
		      errno == EINVAL,
	      "empty name");
	CHECK(!p4x_table__create("x", P4X_TABLE_KIND__COUNT, 32, NULL) &&
		      errno == EINVAL,
	      "bad kind");
}

static void test_bad_input(void)
{
	struct p4x_table *ex = mk(P4X_TABLE_EXACT, 32, 0, 0);
	struct p4x_table *lpm = mk(P4X_TABLE_LPM, 32, 0, 0);
	struct p4x_table *tern = mk(P4X_TABLE_TERNARY, 32, 0, 0);
	uint8_t key[4] = {10, 0, 0, 0}, m8[4] = {0xff},
		hole[4] = {0xff, 0, 0xff, 0};
	uint8_t big[P4X_TABLE_PARAMS_MAX + 1] = {0};
	struct p4x_table_entry_spec sp = spec(key, m8, 0, 1);
	char err[P4X_TABLE_ERR_MAX];

	CHECK(op1(ex, 'a', &sp, err) == -EINVAL &&
		      strstr(err, "takes no mask (byte 1 is 0x00)"),
	      "%s", err);
	sp = spec(key, NULL, 5, 1);
	CHECK(op1(ex, 'a', &sp, err) == -EINVAL &&
		      strstr(err, "fixed priority 64000"),
	      "%s", err);
	sp = spec(key, hole, 0, 1);
	CHECK(op1(lpm, 'a', &sp, err) == -EINVAL &&
		      strstr(err, "needs a prefix mask"),
	      "%s", err);
	sp = spec(key, m8, 0, 1);
	CHECK(op1(tern, 'd', &sp, err) == -EINVAL &&
		      strstr(err, "need their priority"),
	      "%s", err);
	CHECK(op1(tern, 'u',
		  &(struct p4x_table_entry_spec){
			  .sz = sizeof(sp), .key = key, .prio = 3},
		  err) == -ENOENT &&
		      strstr(err, "no such entry in table tbl"),
	      "%s", err);
	sp.params = big;
	sp.params_len = sizeof(big);
	CHECK(op1(lpm, 'a', &sp, err) == -EINVAL &&
		      strstr(err, "action params of 129 bytes"),
	      "%s", err);
	sp.sz = 0;
	CHECK(op1(lpm, 'a', &sp, err) == -EINVAL &&
		      strstr(err, "entry spec without its size"),
	      "%s", err);
	sp = spec(key, NULL, 0, 1);
	sp.dynamic = true;
	sp.profile_id = 3;
	CHECK(op1(ex, 'a', &sp, err) == -EINVAL &&
		      strstr(err, "timer profile 3 is not defined"),
	      "%s", err);
	/* an older, shorter spec: the fields past sz count as 0 */
	sp.sz = offsetof(struct p4x_table_entry_spec, params);
	CHECK(op1(ex, 'a', &sp, err) == 0 && p4x_table__count(ex) == 1 &&
		      look1(ex, key)->params_len == 0,
	      "short spec: %s", err);
	sp = spec(key, NULL, 0, 0);
	CHECK(op1(ex, 'd', &sp, err) == 0, "%s", err);
	CHECK(p4x_table__count(ex) + p4x_table__count(lpm) +
			      p4x_table__count(tern) ==
		      0,
	      "bad input changed a table");
	finish(ex);
	finish(lpm);
	finish(tern);
}

/* Entry 3 of a batch of 5 fails: the caller aborts, nothing changes. */
static void test_batch_fails_midway(void)
{
	struct p4x_table *t = mk(P4X_TABLE_EXACT, 16, 0, 0);
	uint16_t k[5] = {1, 2, 3, 4, 5}, pre = 3, gone = 9;
	struct p4x_table_entry_spec sp = spec(&pre, NULL, 0, 77);
	char err[P4X_TABLE_ERR_MAX], msg[2 * P4X_TABLE_ERR_MAX];
	struct p4x_table_txn *txn;
	int i, ret = 0;

	CHECK(op1(t, 'a', &sp, err) == 0, "%s", err);
	sp = spec(&gone, NULL, 0, 78);
	CHECK(op1(t, 'a', &sp, err) == 0, "%s", err);
	txn = p4x_table__txn_begin(t);
	sp = spec(&gone, NULL, 0, 0);
	CHECK(!p4x_table_txn__delete(txn, &sp, err, sizeof(err)), "%s", err);
	for (i = 0; i < 5 && !ret; i++) {
		sp = spec(&k[i], NULL, 0, 100 + i);
		ret = p4x_table_txn__add(txn, &sp, err, sizeof(err));
	}
	snprintf(msg, sizeof(msg), "batch entry %d of 5: %s", i, err);
	CHECK(ret == -EEXIST && !strcmp(msg, "batch entry 3 of 5: entry "
					     "already exists in table tbl"),
	      "%s", msg);
	p4x_table_txn__abort(txn);
	CHECK(p4x_table__count(t) == 2, "count %u", p4x_table__count(t));
	CHECK(look1(t, &k[0]) == NULL && look1(t, &k[1]) == NULL,
	      "aborted adds visible");
	CHECK(look1(t, &pre)->act_id == 77 && look1(t, &gone)->act_id == 78,
	      "aborted ops changed committed entries");
	finish(t);
}

static void test_full(void)
{
	struct p4x_table *t = mk(P4X_TABLE_LPM, 32, 4, 0);
	uint32_t keys[5] = {0x0a, 0x0b, 0x0c, 0x0d, 0x0e};
	uint8_t m[4] = {0xff, 0xff, 0xff, 0xff};
	struct p4x_table_txn *txn = p4x_table__txn_begin(t);
	struct p4x_table_entry_spec sp;
	char err[P4X_TABLE_ERR_MAX];

	for (int i = 0; i < 4; i++) {
		sp = spec(&keys[i], m, 0, 1);
		CHECK(!p4x_table_txn__add(txn, &sp, err, sizeof(err)), "%s",
		      err);
	}
	sp = spec(&keys[4], m, 0, 1);
	CHECK(p4x_table_txn__add(txn, &sp, err, sizeof(err)) == -ENOSPC &&
		      !strcmp(err, "table tbl is full (4 entries)"),
	      "%s", err);
	sp = spec(&keys[0], m, 0, 0);
	CHECK(!p4x_table_txn__delete(txn, &sp, err, sizeof(err)), "%s", err);
	sp = spec(&keys[4], m, 0, 1);
	CHECK(!p4x_table_txn__add(txn, &sp, err, sizeof(err)), "%s", err);
	p4x_table_txn__commit(txn);
	CHECK(p4x_table__count(t) == 4 && look1(t, &keys[4]) &&
		      !look1(t, &keys[0]),
	      "full table after delete + add");
	finish(t);
}

static void test_too_many_masks(void)
{
	struct p4x_table_opts o = {.sz = sizeof(o), .nummasks = 1};
	struct p4x_table *t =
		p4x_table__create("acl", P4X_TABLE_TERNARY, 32, &o);
	uint8_t key[4] = {10, 1, 2, 3}, ma[4] = {0xff}, mb[4] = {0, 0xff};
	uint8_t mab[4] = {0xff, 0xff};
	struct p4x_table_entry_spec sp = spec(key, ma, 1, 1);
	char err[P4X_TABLE_ERR_MAX];

	CHECK(t && op1(t, 'a', &sp, err) == 0, "%s", err);
	sp = spec(key, mab, 2, 1); /* covers the first group's mask: joins */
	CHECK(op1(t, 'a', &sp, err) == 0, "%s", err);
	sp = spec(key, mb, 3, 1);
	CHECK(op1(t, 'a', &sp, err) == -ENOSPC &&
		      !strcmp(err, "table acl has too many masks (1)"),
	      "%s", err);
	CHECK(p4x_table__count(t) == 2, "count %u", p4x_table__count(t));
	finish(t);
}

static void test_permissions(void)
{
	uint16_t no_create =
		P4X_TABLE_DEFAULT_PERMS & ~P4X_PERM_CTRL(P4X_PERM_C);
	struct p4x_table *t = mk(P4X_TABLE_EXACT, 8, 0, no_create);
	struct p4x_table *t2 = mk(P4X_TABLE_EXACT, 8, 0, 0);
	uint8_t key = 7;
	struct p4x_table_entry_spec sp = spec(&key, NULL, 0, 1);
	char err[P4X_TABLE_ERR_MAX];

	CHECK(op1(t, 'a', &sp, err) == -EPERM &&
		      strstr(err, "does not allow creates"),
	      "%s", err);
	sp.permissions = P4X_PERM_CTRL(P4X_PERM_R) | P4X_PERM_DATA(P4X_PERM_R);
	CHECK(op1(t2, 'a', &sp, err) == 0, "%s", err);
	CHECK(op1(t2, 'd', &sp, err) == -EPERM &&
		      strstr(err, "do not allow deletes"),
	      "%s", err);
	CHECK(op1(t2, 'u', &sp, err) == -EPERM &&
		      strstr(err, "do not allow updates"),
	      "%s", err);
	CHECK(p4x_table_perm_ok(0x3da4, P4X_TABLE_WHO_TC, P4X_PERM_C) &&
		      !p4x_table_perm_ok(0x3da4, P4X_TABLE_WHO_KERNEL,
					 P4X_PERM_C) &&
		      p4x_table_perm_ok(0x3da4, P4X_TABLE_WHO_KERNEL,
					P4X_PERM_X),
	      "0x3da4 is CR-DX--/--R-X-- plus S");
	finish(t);
	finish(t2);
}

static void test_metadata(void)
{
	struct p4x_table *t =
		mk(P4X_TABLE_TERNARY, 32, 0,
		   P4X_TABLE_DEFAULT_PERMS | P4X_PERM_DATA(P4X_PERM_C));
	uint32_t key = 0x01020304, mask = 0xffff0000, params = 0xabcdef;
	struct p4x_table_entry_spec sp = spec(&key, &mask, 9, 4);
	const struct p4x_table_entry *e;
	struct p4x_table_entry_info info;
	char err[P4X_TABLE_ERR_MAX];

	sp.params = &params;
	sp.params_len = 3;
	sp.dynamic = true;
	sp.who = P4X_TABLE_WHO_KERNEL;
	CHECK(op1(t, 'a', &sp, err) == 0, "%s", err);
	sp.who = P4X_TABLE_WHO_TC;
	sp.act_id = 5;
	CHECK(op1(t, 'u', &sp, err) == 0, "%s", err);
	e = p4x_table__get(t, &sp);
	CHECK(e && e->act_id == 5 && e->prio == 9 && e->params_len == 3 &&
		      e->permissions == p4x_table__permissions(t),
	      "get");
	p4x_table_entry__info(e, &info);
	CHECK(*(const uint32_t *)info.key == (key & mask) &&
		      *(const uint32_t *)info.mask == mask && info.dynamic &&
		      info.who_created == P4X_TABLE_WHO_KERNEL &&
		      info.who_updated == P4X_TABLE_WHO_TC &&
		      info.last_used_ms == info.created_ms,
	      "info");
	sp.prio = 8;
	CHECK(!p4x_table__get(t, &sp), "get with another prio");
	finish(t);
}

static void test_defaults(void)
{
	struct p4x_table *t = mk(P4X_TABLE_EXACT, 32, 0, 0);
	struct p4x_table_action a = {
		.act_id = 3, .params_len = 2, .params = {1, 2}};

	CHECK(!p4x_table__default_miss(t) && !p4x_table__default_hit(t),
	      "no default at creation");
	CHECK(!p4x_table__set_default_miss(t, &a), "set miss");
	a.act_id = 4;
	CHECK(!p4x_table__set_default_hit(t, &a), "set hit");
	CHECK(p4x_table__default_miss(t)->act_id == 3 &&
		      p4x_table__default_miss(t)->params[1] == 2 &&
		      p4x_table__default_hit(t)->act_id == 4,
	      "read back");
	a.params_len = P4X_TABLE_PARAMS_MAX + 1;
	CHECK(p4x_table__set_default_hit(t, &a) == -EINVAL &&
		      p4x_table__default_hit(t)->act_id == 4,
	      "bad params kept old");
	CHECK(!p4x_table__set_default_miss(t, NULL) &&
		      !p4x_table__default_miss(t),
	      "clear");
	finish(t);
}

struct aged {
	unsigned int n;
	uint32_t acts[8];
};

static void on_aged(struct p4x_table *t, const struct p4x_table_entry *e,
		    void *arg)
{
	struct aged *a = arg;

	a->acts[a->n++ % 8] = e->act_id;
}

static void wait_clock_tick(uint64_t since)
{
	struct timespec ts = {0, 2000000};

	while (p4x_table_clock_ms() <= since)
		nanosleep(&ts, NULL);
}

static void test_aging(void)
{
	struct p4x_table *t = mk(P4X_TABLE_EXACT, 32, 0, 0);
	uint32_t k[3] = {1, 2, 3};
	struct p4x_table_entry_spec sp;
	struct p4x_table_entry_info info;
	struct aged a = {0};
	char err[P4X_TABLE_ERR_MAX];
	uint64_t t0, used;

	CHECK(p4x_table__set_timer_profile(t, 2, 100) == 0 &&
		      p4x_table__set_timer_profile(t, 16, 100) == -EINVAL,
	      "profile");
	for (int i = 0; i < 3; i++) {
		sp = spec(&k[i], NULL, 0, 10 + i);
		sp.dynamic = i < 2;
		sp.profile_id = 2;
		CHECK(op1(t, 'a', &sp, err) == 0, "%s", err);
	}
	sp = spec(&k[0], NULL, 0, 0);
	p4x_table_entry__info(p4x_table__get(t, &sp), &info);
	t0 = info.created_ms;
	sp = spec(&k[2], NULL, 0, 0);
	p4x_table_entry__info(p4x_table__get(t, &sp), &info);
	wait_clock_tick(info.created_ms);
	p4x_table_entry__info(look1(t, &k[1]), &info); /* k[1] used later */
	used = info.last_used_ms;
	CHECK(used > t0, "last used %lu after created %lu", (unsigned long)used,
	      (unsigned long)t0);
	CHECK(p4x_table__age(t, t0 + 100, on_aged, &a) == 0 && !a.n,
	      "nothing idle for more than 100 ms yet");
	CHECK(p4x_table__age(t, used + 100, on_aged, &a) == 1 && a.n == 1 &&
		      a.acts[0] == 10,
	      "only k[0] aged: %u events", a.n);
	CHECK(!look1(t, &k[0]) && look1(t, &k[1]) && look1(t, &k[2]),
	      "aged entry gone, others stay");
	CHECK(p4x_table__age(t, UINT64_MAX / 2, on_aged, &a) == 1 && a.n == 2 &&
		      a.acts[1] == 11 && p4x_table__count(t) == 1,
	      "static entries never age");
	finish(t);
}

int main(void)
{
	rcu_register_thread();
	rcu_thread_offline();
	test_create_errors();
	test_bad_input();
	test_batch_fails_midway();
	test_full();
	test_too_many_masks();
	test_permissions();
	test_metadata();
	test_defaults();
	test_aging();
	rcu_thread_online();
	rcu_unregister_thread();
	printf("table api: ok\n");
	return 0;
}
