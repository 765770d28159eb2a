// SPDX-License-Identifier: BSD-3-Clause
/*
 * Readers race the control thread, per kind, for a bounded time. Entries
 * come in pairs that every batch adds, updates or deletes together; each
 * entry's params carry a checksum of its key, mask, action and version.
 * A reader looks both keys of a pair up in one burst and checks that it
 * sees both or neither, at the same version (batches are atomic), that
 * every hit's params match its checksum (no half-written or freed entry)
 * and that the hit matches the lookup key. At the end everything is
 * deleted and no entry may stay allocated.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "table_test.h"

#define NPAIRS 1024
#define NREADERS 2
#define RUN_MS 1200
#define KEYLEN 16 /* bytes: 128-bit keys for every kind */

struct params {
	uint64_t sum;
	uint32_t version;
	uint32_t pair;
};

static struct p4x_table *t;
static volatile int stop;
static uint64_t reader_errors, reader_bursts[NREADERS];

static uint64_t checksum(const uint8_t *key, const uint8_t *mask,
			 uint32_t act_id, uint32_t version)
{
	uint64_t h = 0xcbf29ce484222325ull ^ act_id ^ ((uint64_t)version << 32);

	for (int i = 0; i < KEYLEN; i++) {
		h = (h ^ key[i]) * 0x100000001b3ull;
		h = (h ^ mask[i]) * 0x100000001b3ull;
	}
	return h;
}

/* Key (and mask) of member @m (0, 1) of pair @p. LPM: /96 prefixes;
 * ternary: two masks, one per member. */
static void pair_key(unsigned int p, unsigned int m, uint8_t *key,
		     uint8_t *mask)
{
	enum p4x_table_kind kind = p4x_table__kind(t);

	memset(key, 0, KEYLEN);
	memset(mask, 0xff, KEYLEN);
	key[0] = (uint8_t)(0x20 + m);
	key[4] = (uint8_t)(p >> 8);
	key[5] = (uint8_t)p;
	if (kind == P4X_TABLE_LPM)
		memset(mask + 12, 0, 4);
	if (kind == P4X_TABLE_TERNARY)
		memset(mask + 8 + 4 * m, 0, 4);
}

/* Put noise in the bits the entry of member @m does not match on. */
static void wildcard(uint8_t *key, unsigned int m, uint64_t r)
{
	enum p4x_table_kind kind = p4x_table__kind(t);

	if (kind == P4X_TABLE_LPM)
		memcpy(key + 12, &r, 4);
	if (kind == P4X_TABLE_TERNARY)
		memcpy(key + 8 + 4 * m, &r, 4);
}

static int check_hit(const uint8_t *key, const struct p4x_table_entry *e)
{
	struct p4x_table_entry_info info;
	struct params pr;

	p4x_table_entry__info(e, &info);
	if (e->params_len != sizeof(pr))
		return 1;
	memcpy(&pr, e->params, sizeof(pr));
	for (int i = 0; i < KEYLEN; i++)
		if ((key[i] & info.mask[i]) != info.key[i])
			return 1;
	return pr.sum != checksum(info.key, info.mask, e->act_id, pr.version);
}

static int check_pair(const uint8_t keys[2][KEYLEN],
		      const struct p4x_table_entry *res[2])
{
	struct params a, b;

	if (!res[0] != !res[1])
		return 1; /* half a batch */
	if (!res[0])
		return 0;
	if (check_hit(keys[0], res[0]) || check_hit(keys[1], res[1]))
		return 1;
	memcpy(&a, res[0]->params, sizeof(a));
	memcpy(&b, res[1]->params, sizeof(b));
	return a.version != b.version;
}

static void *reader(void *arg)
{
	uint64_t *bursts = arg, s = (uint64_t)(uintptr_t)arg | 1, errs = 0;
	uint8_t keys[P4X_BURST][KEYLEN], mask[KEYLEN];
	const void *kp[P4X_BURST];
	const struct p4x_table_entry *res[P4X_BURST];

	rcu_register_thread();
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		for (int i = 0; i < P4X_BURST; i += 2) {
			unsigned int p = tt_rand(&s) % NPAIRS;

			pair_key(p, 0, keys[i], mask);
			pair_key(p, 1, keys[i + 1], mask);
			wildcard(keys[i], 0, tt_rand(&s));
			wildcard(keys[i + 1], 1, tt_rand(&s));
			kp[i] = keys[i];
			kp[i + 1] = keys[i + 1];
		}
		p4x_table__lookup_burst(t, kp, P4X_BURST, res);
		for (int i = 0; i < P4X_BURST; i += 2)
			errs += check_pair((const uint8_t(*)[KEYLEN])keys[i],
					   res + i);
		rcu_quiescent_state();
		(*bursts)++;
	}
	rcu_unregister_thread();
	__atomic_add_fetch(&reader_errors, errs, __ATOMIC_RELAXED);
	return NULL;
}

static void stage_pair(struct p4x_table_txn *txn, unsigned int p, bool present,
		       uint32_t version, bool del)
{
	uint8_t key[KEYLEN], mask[KEYLEN];
	char err[P4X_TABLE_ERR_MAX];
	struct params pr = {.version = version, .pair = p};
	struct p4x_table_entry_spec sp = {
		.sz = sizeof(sp),
		.key = key,
		.mask = mask,
		.prio = 10,
		.act_id = p + 1,
		.params = &pr,
		.params_len = sizeof(pr),
	};
	int ret;

	if (p4x_table__kind(t) == P4X_TABLE_EXACT)
		sp.prio = 0;
	for (unsigned int m = 0; m < 2; m++) {
		pair_key(p, m, key, mask);
		pr.sum = checksum(key, mask, sp.act_id, version);
		if (!present)
			ret = p4x_table_txn__add(txn, &sp, err, sizeof(err));
		else if (del)
			ret = p4x_table_txn__delete(txn, &sp, err, sizeof(err));
		else
			ret = p4x_table_txn__update(txn, &sp, err, sizeof(err));
		CHECK(!ret, "pair %u member %u: %s", p, m, err);
	}
}

/* A one-op transaction rewriting one member with the same content (a new
 * entry object: LPM's in-place store, retire under readers). */
static void touch_member(unsigned int p, unsigned int m, uint32_t version)
{
	struct p4x_table_txn *txn = p4x_table__txn_begin(t);
	uint8_t key[KEYLEN], mask[KEYLEN];
	char err[P4X_TABLE_ERR_MAX];
	struct params pr = {.version = version, .pair = p};
	struct p4x_table_entry_spec sp = {
		.sz = sizeof(sp),
		.key = key,
		.mask = mask,
		.prio = p4x_table__kind(t) == P4X_TABLE_EXACT ? 0 : 10,
		.act_id = p + 1,
		.params = &pr,
		.params_len = sizeof(pr),
	};

	CHECK(txn, "begin: %d", errno);
	pair_key(p, m, key, mask);
	pr.sum = checksum(key, mask, sp.act_id, version);
	CHECK(!p4x_table_txn__update(txn, &sp, err, sizeof(err)), "%s", err);
	p4x_table_txn__commit(txn);
}

static unsigned int writer(uint64_t deadline_ms, bool *present)
{
	static uint32_t ver[NPAIRS];
	uint64_t s = 42;
	uint32_t version = 0;
	unsigned int commits = 0;
	bool touched[NPAIRS];

	while (p4x_table_clock_ms() < deadline_ms) {
		struct p4x_table_txn *txn = p4x_table__txn_begin(t);
		unsigned int n = 1 + tt_rand(&s) % 16;
		bool commit = tt_rand(&s) % 10;

		CHECK(txn, "begin: %d", errno);
		memset(touched, 0, sizeof(touched));
		version++;
		for (unsigned int i = 0; i < n; i++) {
			unsigned int p = tt_rand(&s) % NPAIRS;
			bool del = tt_rand(&s) & 1;

			if (touched[p])
				continue;
			touched[p] = true;
			stage_pair(txn, p, present[p], version, del);
			if (commit && (!present[p] || !del))
				ver[p] = version;
			if (commit && (!present[p] || del))
				present[p] = !present[p];
		}
		if (commit)
			p4x_table_txn__commit(txn);
		else
			p4x_table_txn__abort(txn);
		commits += commit;
		n = tt_rand(&s) % NPAIRS;
		if (present[n])
			touch_member(n, tt_rand(&s) & 1, ver[n]);
	}
	return commits;
}

static void delete_all(const bool *present)
{
	struct p4x_table_txn *txn = p4x_table__txn_begin(t);

	for (unsigned int p = 0; p < NPAIRS; p++)
		if (present[p])
			stage_pair(txn, p, true, 0, true);
	p4x_table_txn__commit(txn);
}

static void run(enum p4x_table_kind kind)
{
	struct p4x_table_opts o = {.sz = sizeof(o), .tentries = 2 * NPAIRS};
	pthread_t th[NREADERS];
	struct p4x_table_stats st;
	static bool present[NPAIRS];
	unsigned int commits;

	memset(present, 0, sizeof(present));
	t = p4x_table__create("stress", kind, KEYLEN * 8, &o);
	CHECK(t, "create: %d", errno);
	stop = 0;
	for (int i = 0; i < NREADERS; i++) {
		reader_bursts[i] = 0;
		CHECK(!pthread_create(&th[i], NULL, reader, &reader_bursts[i]),
		      "pthread_create");
	}
	commits = writer(p4x_table_clock_ms() + RUN_MS, present);
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < NREADERS; i++)
		pthread_join(th[i], NULL);
	delete_all(present);
	tt_quiesce(t);
	p4x_table__stats(t, &st);
	printf("%s: %u commits, reader bursts %lu + %lu, errors %lu\n",
	       p4x_table_kind__name(kind), commits,
	       (unsigned long)reader_bursts[0], (unsigned long)reader_bursts[1],
	       (unsigned long)reader_errors);
	CHECK(!reader_errors, "readers saw %lu bad pairs",
	      (unsigned long)reader_errors);
	CHECK(commits && reader_bursts[0] && reader_bursts[1], "no work done");
	CHECK(!st.entries_live && !p4x_table__count(t),
	      "%lu entries still allocated", (unsigned long)st.entries_live);
	p4x_table__destroy(t);
}

int main(void)
{
	run(P4X_TABLE_EXACT);
	run(P4X_TABLE_LPM);
	run(P4X_TABLE_TERNARY);
	return 0;
}
