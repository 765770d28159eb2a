// SPDX-License-Identifier: BSD-3-Clause
/*
 * Deferred reclamation, batched so that a commit rarely pays a call_rcu
 * (which wakes the call_rcu thread: several microseconds).
 *
 *  - Blocks readers may still reach (replaced LPM plies, entries an abort
 *    or a retire unlinked) are queued with tbl_defer(); the queue is handed
 *    to one call_rcu that frees it all once it holds RECLAIM_BATCH blocks
 *    or is RECLAIM_MS old (checked at each commit), or on reclaim.
 *  - Entries a commit deleted stay linked (invisible by generation) in
 *    the open retire batch; the batch is closed the same way, call_rcu
 *    marks it done after a grace period, and the next drain unlinks its
 *    entries from the kind and queues them with tbl_defer(). Blocks a
 *    kind recycles (LPM plies) ride in the same batch and go back to the
 *    kind on the control thread: no cross-thread free, memory stays warm.
 */
#include <errno.h>
#include <stdlib.h>

#include "table_int.h"

#define RECLAIM_BATCH 256
#define RECLAIM_MS 20

struct tbl_defer_item {
	void *p;
	uint32_t bytes; /* 0: an entry */
};

struct tbl_defer_batch {
	struct rcu_head rcu;
	struct p4x_table *t;
	uint32_t n;
	struct tbl_defer_item items[];
};

static void free_items(struct p4x_table *t, const struct tbl_defer_item *it,
		       uint32_t n)
{
	int64_t bytes = 0, entries = 0;

	for (uint32_t i = 0; i < n; i++) {
		bytes += it[i].bytes;
		entries += !it[i].bytes;
		free(it[i].p);
	}
	/* one atomic per batch: the control thread shares the line */
	tbl_bytes_add(&t->struct_bytes, -bytes);
	tbl_bytes_add(&t->entries_live, -entries);
}

static void defer_batch_rcu(struct rcu_head *head)
{
	struct tbl_defer_batch *b =
		caa_container_of(head, struct tbl_defer_batch, rcu);

	free_items(b->t, b->items, b->n);
	free(b);
}

/* Hand the queued blocks to one call_rcu. */
static void defer_flush(struct p4x_table *t)
{
	struct tbl_defer_batch *b;

	if (!t->npend)
		return;
	b = malloc(sizeof(*b) + t->npend * sizeof(b->items[0]));
	if (!b) { /* no memory: wait for the readers here */
		synchronize_rcu();
		free_items(t, t->pend, t->npend);
	} else {
		b->t = t;
		b->n = t->npend;
		memcpy(b->items, t->pend, t->npend * sizeof(b->items[0]));
		call_rcu(&b->rcu, defer_batch_rcu);
	}
	t->npend = 0;
}

void tbl_defer(struct p4x_table *t, void *p, uint32_t bytes)
{
	struct tbl_defer_item *v;

	if (t->npend == t->cappend) {
		uint32_t cap = t->cappend ? 2 * t->cappend : RECLAIM_BATCH;

		v = realloc(t->pend, cap * sizeof(*v));
		if (!v) {
			synchronize_rcu();
			free_items(t, &(struct tbl_defer_item){p, bytes}, 1);
			return;
		}
		t->pend = v;
		t->cappend = cap;
	}
	if (!t->npend)
		t->pend_ms = p4x_table_clock_ms();
	t->pend[t->npend++] = (struct tbl_defer_item){p, bytes};
}

static void retire_done_rcu(struct rcu_head *head)
{
	struct tbl_retire *r = caa_container_of(head, struct tbl_retire, rcu);

	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
}

static struct tbl_retire *retire_get(struct p4x_table *t)
{
	struct tbl_retire *r = t->retire_open;

	if (r)
		return r;
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->opened_ms = p4x_table_clock_ms();
	t->retire_open = r;
	return r;
}

void tbl_retire(struct p4x_table *t, struct tbl_entry *e)
{
	struct tbl_retire *r = retire_get(t);

	if (!r) { /* no memory: wait for the readers here */
		synchronize_rcu();
		if (t->ops->unlink)
			t->ops->unlink(t, e);
		tbl_defer(t, e, 0);
		return;
	}
	e->retire_next = r->entries;
	r->entries = e;
	r->n++;
	t->retire_pending++;
}

void tbl_retire_block(struct p4x_table *t, void *block, uint32_t bytes)
{
	struct tbl_retire *r = retire_get(t);
	void **v;

	if (r && r->nblocks == r->capblocks) {
		uint32_t cap = r->capblocks ? 2 * r->capblocks : 64;

		v = realloc(r->blocks, cap * sizeof(*v));
		if (v) {
			r->blocks = v;
			r->capblocks = cap;
		}
	}
	if (!r || r->nblocks == r->capblocks) {
		tbl_defer(t, block, bytes);
		return;
	}
	r->blocks[r->nblocks++] = block;
	r->n++;
}

static void retire_close(struct p4x_table *t)
{
	struct tbl_retire *r = t->retire_open;

	if (!r)
		return;
	t->retire_open = NULL;
	if (t->retire_tail)
		t->retire_tail->next = r;
	else
		t->retire_head = r;
	t->retire_tail = r;
	call_rcu(&r->rcu, retire_done_rcu);
}

/* Unlink the entries of done retire batches; queue them for freeing. */
static void retire_drain(struct p4x_table *t)
{
	struct tbl_retire *r;
	struct tbl_entry *e, *next;

	while ((r = t->retire_head) &&
	       __atomic_load_n(&r->done, __ATOMIC_ACQUIRE)) {
		t->retire_head = r->next;
		if (!t->retire_head)
			t->retire_tail = NULL;
		for (e = r->entries; e; e = next) {
			next = e->retire_next;
			if (t->ops->unlink)
				t->ops->unlink(t, e);
			t->retire_pending--;
			tbl_defer(t, e, 0);
		}
		for (uint32_t i = 0; i < r->nblocks; i++)
			t->ops->recycle(t, r->blocks[i]);
		free(r->blocks);
		free(r);
	}
}

void tbl_reclaim_tick(struct p4x_table *t, bool force)
{
	uint64_t now = p4x_table_clock_ms();
	struct tbl_retire *r = t->retire_open;

	retire_drain(t);
	if (r && (force || r->n >= RECLAIM_BATCH ||
		  now - r->opened_ms >= RECLAIM_MS))
		retire_close(t);
	if (t->npend && (force || t->npend >= RECLAIM_BATCH ||
			 now - t->pend_ms >= RECLAIM_MS))
		defer_flush(t);
}

void p4x_table__reclaim(struct p4x_table *t)
{
	if (!t->txn)
		tbl_reclaim_tick(t, true);
}

void tbl_reclaim_fini(struct p4x_table *t)
{
	retire_close(t);
	rcu_barrier(); /* every retire batch is done */
	retire_drain(t);
	defer_flush(t);
	rcu_barrier(); /* every deferred block is freed */
	free(t->pend);
}
