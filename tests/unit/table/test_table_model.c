// SPDX-License-Identifier: BSD-3-Clause
/*
 * Randomised test of every table kind against a reference model: a linear
 * scan over all entries gives the expected winner of each lookup
 * (longest prefix, smallest prio then oldest, overlapping masks and prio
 * ties included). Transactions mix adds, updates, deletes and failing ops;
 * while one is open, lookups must still see the committed state; aborted
 * ones must leave it unchanged.
 */
#include <errno.h>
#include <string.h>

#include "table_test.h"

#define MAX_ENT 400
#define NLOOKUP 256

struct ment {
	uint8_t key[P4X_TABLE_KEY_MAX];
	uint8_t mask[P4X_TABLE_KEY_MAX];
	uint32_t prio;
	uint64_t seq;
	uint32_t act_id;
};

struct model {
	struct ment e[MAX_ENT];
	unsigned int n;
	uint64_t seq;
};

struct cfg {
	enum p4x_table_kind kind;
	uint32_t keysz;
	uint64_t seed;
};

static struct p4x_table *t;
static struct model committed, staged;
static uint32_t keylen;
static uint32_t next_act = 1;
static struct cfg cur;

static void mask_of_plen(uint8_t *m, unsigned int plen)
{
	memset(m, 0, keylen);
	memset(m, 0xff, plen / 8);
	if (plen % 8)
		m[plen / 8] = (uint8_t)(0xff << (8 - plen % 8));
}

static int plen_of(const uint8_t *m)
{
	int n = 0;

	for (uint32_t i = 0; i < keylen; i++)
		n += __builtin_popcount(m[i]);
	return n;
}

static bool matches(const struct ment *e, const uint8_t *key)
{
	for (uint32_t i = 0; i < keylen; i++)
		if ((key[i] & e->mask[i]) != e->key[i])
			return false;
	return true;
}

static bool beats(const struct ment *a, const struct ment *b)
{
	if (!b)
		return true;
	if (cur.kind == P4X_TABLE_LPM)
		return plen_of(a->mask) > plen_of(b->mask);
	return a->prio < b->prio || (a->prio == b->prio && a->seq < b->seq);
}

static const struct ment *model_lookup(const struct model *m,
				       const uint8_t *key)
{
	const struct ment *best = NULL;

	for (unsigned int i = 0; i < m->n; i++)
		if (matches(&m->e[i], key) && beats(&m->e[i], best))
			best = &m->e[i];
	return best;
}

static int model_find(const struct model *m, const struct ment *x)
{
	for (unsigned int i = 0; i < m->n; i++) {
		const struct ment *e = &m->e[i];

		if (memcmp(e->key, x->key, keylen) ||
		    memcmp(e->mask, x->mask, keylen))
			continue;
		if (cur.kind != P4X_TABLE_TERNARY || e->prio == x->prio)
			return (int)i;
	}
	return -1;
}

/* A key/mask pair; reuses an existing entry's region half of the time so
 * prefixes and masks overlap. */
static void gen_entry(uint64_t *s, struct ment *x)
{
	static const unsigned int tern_masks = 6;
	uint32_t r = (uint32_t)tt_rand(s);

	for (uint32_t i = 0; i < keylen; i++)
		x->key[i] = (uint8_t)tt_rand(s);
	if (staged.n && (r & 1))
		memcpy(x->key, staged.e[r % staged.n].key, keylen);
	if (cur.kind == P4X_TABLE_EXACT) {
		memset(x->mask, 0xff, keylen);
		x->key[keylen - 1] = (uint8_t)(r >> 8); /* few collisions */
	} else if (cur.kind == P4X_TABLE_LPM) {
		unsigned int plen = (r >> 8) % (cur.keysz + 1);

		if (r & 2) /* whole bytes: the one-slot fast path */
			plen &= ~7u;
		mask_of_plen(x->mask, plen);
	} else {
		uint64_t ms = 0x1234 + (r >> 8) % tern_masks;

		for (uint32_t i = 0; i < keylen; i++)
			x->mask[i] = (uint8_t)tt_rand(&ms) | 0x81;
		x->mask[0] = (uint8_t)(0xf0 << ((r >> 16) % 3));
	}
	for (uint32_t i = 0; i < keylen; i++)
		x->key[i] &= x->mask[i];
	x->prio = cur.kind == P4X_TABLE_EXACT ? 0 : 1 + (r >> 20) % 8;
}

static void spec_of(const struct ment *x, struct p4x_table_entry_spec *sp,
		    uint32_t *params)
{
	*params = x->act_id * 7u;
	*sp = (struct p4x_table_entry_spec){
		.sz = sizeof(*sp),
		.key = x->key,
		.mask = x->mask,
		.prio = x->prio,
		.act_id = x->act_id,
		.params = params,
		.params_len = sizeof(*params),
	};
}

static void check_lookups(uint64_t *s, const struct model *m)
{
	uint8_t keys[NLOOKUP][P4X_TABLE_KEY_MAX];
	const void *kp[NLOOKUP];
	const struct p4x_table_entry *res[NLOOKUP];

	for (int i = 0; i < NLOOKUP; i++) {
		uint32_t r = (uint32_t)tt_rand(s);

		for (uint32_t b = 0; b < keylen; b++)
			keys[i][b] = (uint8_t)tt_rand(s);
		if (m->n && r % 4) { /* near an entry: mostly hits */
			const struct ment *e = &m->e[r % m->n];

			for (uint32_t b = 0; b < keylen; b++)
				keys[i][b] =
					(uint8_t)((keys[i][b] & ~e->mask[b]) |
						  e->key[b]);
		}
		kp[i] = keys[i];
	}
	rcu_thread_online();
	p4x_table__lookup_burst(t, kp, NLOOKUP, res);
	for (int i = 0; i < NLOOKUP; i++) {
		const struct ment *w = model_lookup(m, keys[i]);

		CHECK(!w == !res[i], "%s lookup %d: model %s, table %s",
		      p4x_table_kind__name(cur.kind), i, w ? "hit" : "miss",
		      res[i] ? "hit" : "miss");
		CHECK(!w || (res[i]->act_id == w->act_id &&
			     *(const uint32_t *)res[i]->params ==
				     w->act_id * 7u),
		      "lookup %d: act %u, expected %u", i,
		      res[i] ? res[i]->act_id : 0, w ? w->act_id : 0);
	}
	rcu_thread_offline();
}

static void op_add(uint64_t *s, struct p4x_table_txn *txn)
{
	struct p4x_table_entry_spec sp;
	struct ment x;
	uint32_t params;
	char err[P4X_TABLE_ERR_MAX] = "";
	int dup, ret;

	gen_entry(s, &x);
	x.act_id = next_act++;
	dup = model_find(&staged, &x);
	spec_of(&x, &sp, &params);
	ret = p4x_table_txn__add(txn, &sp, err, sizeof(err));
	if (dup >= 0) {
		CHECK(ret == -EEXIST && strstr(err, "already exists"),
		      "duplicate add: %d (%s)", ret, err);
	} else if (staged.n >= MAX_ENT) {
		CHECK(ret == -ENOSPC && strstr(err, "is full (400 entries)"),
		      "add to a full table: %d (%s)", ret, err);
	} else {
		CHECK(ret == 0, "add: %d (%s)", ret, err);
		x.seq = ++staged.seq;
		staged.e[staged.n++] = x;
	}
}

static void op_update(uint64_t *s, struct p4x_table_txn *txn)
{
	struct p4x_table_entry_spec sp;
	uint32_t params;
	char err[P4X_TABLE_ERR_MAX] = "";
	struct ment x;
	int i, ret;

	if (!staged.n)
		return;
	i = (int)(tt_rand(s) % staged.n);
	x = staged.e[i];
	x.act_id = next_act++;
	spec_of(&x, &sp, &params);
	ret = p4x_table_txn__update(txn, &sp, err, sizeof(err));
	CHECK(ret == 0, "update: %d (%s)", ret, err);
	staged.e[i] = x;
}

static void op_delete(uint64_t *s, struct p4x_table_txn *txn, bool missing)
{
	struct p4x_table_entry_spec sp;
	uint32_t params;
	char err[P4X_TABLE_ERR_MAX] = "";
	struct ment x;
	int i = -1, ret;

	if (missing) {
		gen_entry(s, &x);
		i = model_find(&staged, &x);
		if (i >= 0) /* LPM ignores prio: take the stored one */
			x = staged.e[i];
	} else if (staged.n) {
		i = (int)(tt_rand(s) % staged.n);
		x = staged.e[i];
	} else {
		return;
	}
	spec_of(&x, &sp, &params);
	ret = p4x_table_txn__delete(txn, &sp, err, sizeof(err));
	if (i < 0) {
		CHECK(ret == -ENOENT && strstr(err, "no such entry"),
		      "delete of a missing entry: %d (%s)", ret, err);
		return;
	}
	CHECK(ret == 0, "delete: %d (%s)", ret, err);
	staged.e[i] = staged.e[--staged.n];
}

static void one_txn(uint64_t *s)
{
	struct p4x_table_txn *txn = p4x_table__txn_begin(t);
	unsigned int nops = 1 + tt_rand(s) % 8;

	CHECK(txn, "txn_begin: %d", errno);
	CHECK(!p4x_table__txn_begin(t) && errno == EBUSY, "second txn");
	staged = committed;
	for (unsigned int i = 0; i < nops; i++) {
		unsigned int r = tt_rand(s) % 10;

		if (r < 5)
			op_add(s, txn);
		else if (r < 7)
			op_update(s, txn);
		else
			op_delete(s, txn, r == 9);
	}
	check_lookups(s, &committed); /* staged ops are not visible */
	if (tt_rand(s) % 5) {
		p4x_table_txn__commit(txn);
		committed = staged;
	} else {
		p4x_table_txn__abort(txn);
	}
	CHECK(p4x_table__count(t) == committed.n, "count %u, model %u",
	      p4x_table__count(t), committed.n);
	check_lookups(s, &committed);
}

static int count_cb(const struct p4x_table_entry *e, void *arg)
{
	const struct ment *w;
	struct p4x_table_entry_info info;

	p4x_table_entry__info(e, &info);
	w = model_lookup(&committed, info.key);
	CHECK(w, "dumped entry act %u not in the model", e->act_id);
	(*(unsigned int *)arg)++;
	return 0;
}

static void run(struct cfg c)
{
	struct p4x_table_opts o = {.sz = sizeof(o), .tentries = MAX_ENT};
	struct p4x_table_stats st;
	uint64_t s = c.seed;
	unsigned int dumped = 0;

	cur = c;
	memset(&committed, 0, sizeof(committed));
	t = p4x_table__create("model", c.kind, c.keysz, &o);
	CHECK(t, "create %s: %d", p4x_table_kind__name(c.kind), errno);
	keylen = p4x_table__keylen(t);
	for (int i = 0; i < 1500; i++)
		one_txn(&s);
	CHECK(p4x_table__dump(t, count_cb, &dumped) == 0 &&
		      dumped == committed.n,
	      "dump: %u of %u", dumped, committed.n);
	tt_quiesce(t);
	p4x_table__stats(t, &st);
	CHECK(st.entries_live == committed.n && !st.retire_pending,
	      "live %lu pending %lu, model %u", (unsigned long)st.entries_live,
	      (unsigned long)st.retire_pending, committed.n);
	printf("%s/%u: %u entries, %lu bytes of index\n",
	       p4x_table_kind__name(c.kind), c.keysz, committed.n,
	       (unsigned long)st.struct_bytes);
	p4x_table__destroy(t);
}

int main(void)
{
	rcu_register_thread();
	rcu_thread_offline();
	run((struct cfg){P4X_TABLE_EXACT, 48, 1});
	run((struct cfg){P4X_TABLE_EXACT, 13, 2});
	run((struct cfg){P4X_TABLE_LPM, 32, 3});
	run((struct cfg){P4X_TABLE_LPM, 20, 4});
	run((struct cfg){P4X_TABLE_LPM, 128, 5});
	run((struct cfg){P4X_TABLE_TERNARY, 72, 6});
	run((struct cfg){P4X_TABLE_TERNARY, 16, 7});
	rcu_thread_online();
	rcu_unregister_thread();
	return 0;
}
