// SPDX-License-Identifier: BSD-3-Clause
/*
 * Datapath requests the workers cannot do themselves (table adds,
 * digests): a bounded multi-producer/single-consumer DPDK ring of fixed
 * records, filled by workers without locks or allocation and drained by
 * p4x_p4rt__poll() on the tables' control thread. Adds are rate-limited
 * per second (coarse clock) for the whole program.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "p4x/log.h"
#include "p4rt_priv.h"

#define REQ_SZ sizeof(struct p4x_p4rt_req)
_Static_assert(sizeof(struct p4x_p4rt_req) % 4 == 0, "ring element size");

int p4x_p4rt_queue_new(struct p4x_p4rt *rt, uint32_t size)
{
	unsigned int count = rte_align32pow2(size + 1);
	ssize_t bytes = rte_ring_get_memsize_elem(REQ_SZ, count);
	int ret;

	if (bytes < 0)
		return (int)bytes;
	if (posix_memalign((void **)&rt->queue, P4X_CACHE_LINE, (size_t)bytes))
		return -ENOMEM;
	ret = rte_ring_init(rt->queue, "p4x_p4rt", count,
			    RING_F_MP_RTS_ENQ | RING_F_SC_DEQ);
	if (ret) {
		free(rt->queue);
		rt->queue = NULL;
	}
	return ret;
}

void p4x_p4rt_queue_free(struct p4x_p4rt *rt)
{
	free(rt->queue);
	rt->queue = NULL;
}

/* One more add in the current second, if the budget allows it. */
static bool rate_ok(struct p4x_p4rt *rt)
{
	uint64_t sec = p4x_table_clock_ms() / 1000;
	uint64_t win = __atomic_load_n(&rt->rl_window_ms, __ATOMIC_RELAXED);

	if (win != sec &&
	    __atomic_compare_exchange_n(&rt->rl_window_ms, &win, sec, false,
					__ATOMIC_RELAXED, __ATOMIC_RELAXED))
		__atomic_store_n(&rt->rl_count, 0, __ATOMIC_RELAXED);
	return __atomic_fetch_add(&rt->rl_count, 1, __ATOMIC_RELAXED) <
	       rt->adds_per_sec;
}

int p4x_p4rt_enqueue(struct p4x_p4rt *rt, const struct p4x_p4rt_req *req)
{
	bool add = req->type == P4X_P4RT_REQ_ADD;

	if (add) {
		p4x_p4rt_cnt(rt, P4X_P4RT_CNT_ADD_REQ);
		if (!rate_ok(rt)) {
			p4x_p4rt_cnt(rt, P4X_P4RT_CNT_ADD_RATE);
			return -ENOSPC;
		}
	}
	if (rte_ring_enqueue_elem(rt->queue, (void *)req, REQ_SZ)) {
		p4x_p4rt_cnt(rt, add ? P4X_P4RT_CNT_ADD_QFULL
				     : P4X_P4RT_CNT_DIGEST_DROP);
		return -ENOSPC;
	}
	return 0;
}

static uint16_t params_len(struct p4x_p4rt *rt, const struct p4x_p4rt_req *r)
{
	int n;

	if (!rt->env.act_params_len)
		return r->params_len;
	n = rt->env.act_params_len(rt->env.arg, r->pipeid, r->act_id);
	return n < 0 || n > r->params_len ? UINT16_MAX : (uint16_t)n;
}

static void apply_add(struct p4x_p4rt *rt, const struct p4x_p4rt_req *r)
{
	struct p4x_table_entry_spec spec = {
		.sz = sizeof(spec),
		.key = r->key,
		.act_id = r->act_id,
		.params = r->params,
		.params_len = params_len(rt, r),
		.dynamic = true,
		.profile_id = r->profile_id,
		.who = P4X_TABLE_WHO_KERNEL,
	};
	struct p4x_table *t = rt->env.table(rt->env.arg, r->pipeid, r->tblid);
	struct p4x_table_txn *txn = t ? p4x_table__txn_begin(t) : NULL;
	char err[P4X_TABLE_ERR_MAX];

	if (!txn || spec.params_len == UINT16_MAX ||
	    p4x_table_txn__add(txn, &spec, err, sizeof(err))) {
		p4x_table_txn__abort(txn);
		p4x_p4rt_cnt(rt, P4X_P4RT_CNT_ADD_FAIL);
		return;
	}
	p4x_table_txn__commit(txn);
	p4x_p4rt_cnt(rt, P4X_P4RT_CNT_ADD_DONE);
	if (rt->env.entry_added)
		rt->env.entry_added(rt->env.arg, t, p4x_table__get(t, &spec));
}

static void apply_digest(struct p4x_p4rt *rt, const struct p4x_p4rt_req *r)
{
	rt->env.digest(rt->env.arg, r->pipeid, r->ext_id, r->inst_id, r->params,
		       r->params_len);
	p4x_p4rt_cnt(rt, P4X_P4RT_CNT_DIGEST);
}

unsigned int p4x_p4rt__poll(struct p4x_p4rt *rt, unsigned int max)
{
	struct p4x_p4rt_req req;
	unsigned int n = 0;

	while ((!max || n < max) &&
	       rte_ring_dequeue_elem(rt->queue, &req, REQ_SZ) == 0) {
		if (req.type == P4X_P4RT_REQ_ADD)
			apply_add(rt, &req);
		else
			apply_digest(rt, &req);
		n++;
	}
	return n;
}
