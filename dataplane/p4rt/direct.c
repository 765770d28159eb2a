// SPDX-License-Identifier: BSD-3-Clause
/*
 * Direct counters and meters: one element per key of a table, found by
 * the key the program just looked up. Table entries carry no extern
 * state, so the runtime keeps its own open-addressing table of keyed
 * slots, sized when the extern is declared and filled by the workers
 * without locks: a free slot is claimed with a compare-and-swap, its key
 * written, then published (state ready, release). A worker that meets a
 * slot still being claimed probes on, so two workers counting a new key
 * at the same instant may claim two slots for it; reads sum every slot
 * of a key. Elements live as long as the program (they are not reset
 * when the table entry is deleted and added again).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p4rt_priv.h"

#define NS 1000000000ull

enum { SLOT_FREE = 0, SLOT_CLAIMED, SLOT_READY };

struct p4x_p4rt_dslot {
	uint32_t state;
	uint32_t hash;
	union {
		struct p4x_p4rt_cnt_elem cnt;
		struct p4x_p4rt_meter_elem meter;
	} e;
	uint8_t key[]; /* keylen bytes */
};

static struct p4x_p4rt_dslot *slot(const struct p4x_p4rt_ext *x, uint32_t i)
{
	return (struct p4x_p4rt_dslot *)((uint8_t *)x->elems +
					 (size_t)i * x->slot_size);
}

/* FNV-1a, never 0. */
static uint32_t key_hash(const uint8_t *k, uint32_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ *k++) * 16777619u;
	return h | 1;
}

int p4x_p4rt_direct_init(struct p4x_p4rt *rt, struct p4x_p4rt_ext *x, char *err,
			 size_t errsz)
{
	struct p4x_table *t = rt->env.table(rt->env.arg, rt->pipeid, x->tbl_id);
	uint32_t n = 2;

	if (!t) {
		snprintf(err, errsz,
			 "direct extern: table id %u of pipeline "
			 "%u is unknown",
			 x->tbl_id, rt->pipeid);
		return -ENOENT;
	}
	while (n < 2 * x->numel)
		n <<= 1;
	x->keylen = p4x_table__keylen(t);
	x->mask = n - 1;
	x->slot_size =
		(uint32_t)((sizeof(struct p4x_p4rt_dslot) + x->keylen + 7) &
			   ~7ul);
	x->elems = calloc(n, x->slot_size);
	return x->elems ? 0 : -ENOMEM;
}

struct p4x_p4rt_ext *p4x_p4rt_direct_find(const struct p4x_p4rt *rt,
					  enum p4x_p4rt_extern_kind kind,
					  uint32_t tbl_id)
{
	unsigned int i;

	for (i = 0; i < rt->next_ext; i++)
		if (rt->ext[i].tbl_id == tbl_id && rt->ext[i].kind == kind)
			return (struct p4x_p4rt_ext *)&rt->ext[i];
	return NULL;
}

static void slot_init(const struct p4x_p4rt_ext *x, struct p4x_p4rt_dslot *s,
		      const uint8_t *key, uint32_t h)
{
	memcpy(s->key, key, x->keylen);
	s->hash = h;
	if (x->kind == P4X_P4RT_METER) {
		s->e.meter.tc = x->meter.cbs * NS;
		s->e.meter.tp = x->meter.pbs * NS;
	}
	__atomic_store_n(&s->state, SLOT_READY, __ATOMIC_RELEASE);
}

/* The element of @key (the generated key struct: 8-byte header, blob),
 * claimed on first use; NULL when the slots are full or @key is short. */
void *p4x_p4rt_direct_elem(struct p4x_p4rt *rt, struct p4x_p4rt_ext *x,
			   const void *key, uint32_t key__sz)
{
	const uint8_t *k = (const uint8_t *)key + 8;
	uint32_t h, i, st;

	if (!key || key__sz < 8 + x->keylen)
		return NULL;
	h = key_hash(k, x->keylen);
	for (i = 0; i <= x->mask; i++) {
		struct p4x_p4rt_dslot *s = slot(x, (h + i) & x->mask);

		st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
		if (st == SLOT_FREE) {
			if (__atomic_compare_exchange_n(
				    &s->state, &st, SLOT_CLAIMED, false,
				    __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE)) {
				slot_init(x, s, k, h);
				return &s->e;
			}
		}
		if (st == SLOT_READY && s->hash == h &&
		    !memcmp(s->key, k, x->keylen))
			return &s->e;
	}
	return NULL;
}

int p4x_p4rt__direct_counter_read(const struct p4x_p4rt *rt, uint32_t tbl_id,
				  const void *key, uint64_t *pkts,
				  uint64_t *bytes)
{
	const struct p4x_p4rt_ext *x =
		p4x_p4rt_direct_find(rt, P4X_P4RT_COUNTER, tbl_id);
	uint32_t i, h;
	bool found = false;

	if (!x)
		return -ENOENT;
	h = key_hash(key, x->keylen);
	*pkts = *bytes = 0;
	for (i = 0; i <= x->mask; i++) {
		struct p4x_p4rt_dslot *s = slot(x, (h + i) & x->mask);
		uint32_t st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);

		if (st == SLOT_FREE)
			break;
		if (st != SLOT_READY || s->hash != h ||
		    memcmp(s->key, key, x->keylen))
			continue;
		*pkts += __atomic_load_n(&s->e.cnt.pkts, __ATOMIC_RELAXED);
		*bytes += __atomic_load_n(&s->e.cnt.bytes, __ATOMIC_RELAXED);
		found = true;
	}
	return found ? 0 : -ENOENT;
}
