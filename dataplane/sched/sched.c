// SPDX-License-Identifier: BSD-3-Clause
/*
 * Scheduler data path: enqueue (policy, bounds, drop policy), calendar
 * release, dequeue (port rate), flush. Worker thread only.
 */
#define _LGPL_SOURCE
#include <urcu-qsbr.h>

#include "sched_int.h"

/*
 * The eligible packets are in two queues: rq, and low for keys below rq's
 * window when they arrive (every key in low is below every key in rq).
 * When rq empties first, the two swap roles. low opens its window at the
 * last dequeued key or lower, so ranks from monotone policies (never below
 * the last dequeued rank) are always placed exactly.
 */
P4X_PQ_INLINE void rq_insert(struct p4x_sched *s, uint32_t i)
{
	struct p4x_pq *m = s->rq;
	uint64_t key = s->pool[i].key;

	if (p4x_unlikely(!m->count && s->low->count)) {
		s->rq = s->low;
		s->low = m;
		m = s->rq;
	}
	if (p4x_likely(!m->count || (key >> m->k) >= m->cb))
		p4x_pq__insert(m, i, key);
	else
		p4x_pq__insert(s->low, i, s->last_key);
}

P4X_PQ_INLINE uint32_t rq_min(struct p4x_sched *s)
{
	if (p4x_unlikely(s->low->count))
		return p4x_pq__min(s->low, UINT64_MAX);
	return p4x_pq__min(s->rq, UINT64_MAX);
}

static inline uint32_t rq_max(struct p4x_sched *s)
{
	return p4x_pq__max(s->rq->count ? s->rq : s->low);
}

P4X_PQ_INLINE void elem_unlink(struct p4x_sched *s, uint32_t i)
{
	p4x_pq__remove(&s->pq[s->pool[i].owner], i);
}

static void release_flush(struct p4x_sched *s)
{
	if (!s->nb_rel)
		return;
	s->release(s->release_arg, s->rel, s->nb_rel);
	s->nb_rel = 0;
}

static void release_add(struct p4x_sched *s, const struct p4x_sched_pkt *pkt)
{
	if (s->nb_rel == P4X_BURST)
		release_flush(s);
	s->rel[s->nb_rel++] = *pkt;
}

/* Count a drop of a packet that was never queued and hand it back. */
static int drop_in(struct p4x_sched *s, const struct p4x_sched_pkt *pkt,
		   enum p4x_sched_drop cause)
{
	if (cause == P4X_SCHED_DROP_BAD_CLASS)
		P4X_CNT_ADD(&s->bad_class, 1);
	else
		P4X_CNT_ADD(&s->cls[pkt->cls].drops[cause], 1);
	release_add(s, pkt);
	return 0;
}

P4X_PQ_INLINE void backlog_add(struct p4x_sched *s,
			       const struct p4x_sched_pkt *pkt, int sign)
{
	uint64_t *f = &s->flows[pkt->flow & s->flow_mask];
	uint64_t w = (1ULL << P4X_FLOW_PKT_SHIFT) | pkt->len;

	s->count += (uint32_t)sign;
	s->bytes += (uint64_t)(int64_t)sign * pkt->len;
	P4X_CNT_ADD(f, sign > 0 ? w : -w);
}

/* Take element @i out of the scheduler (it must be unlinked already). */
P4X_PQ_INLINE void elem_put(struct p4x_sched *s, uint32_t i)
{
	backlog_add(s, &s->pool[i].pkt, -1);
	s->pool[i].next = s->free_head;
	s->free_head = i;
}

/* Count a queued packet dropped for @cause and hand it back. */
static void drop_queued(struct p4x_sched *s, uint32_t i,
			enum p4x_sched_drop cause)
{
	struct p4x_sched_cls_cnt *c = &s->cls[s->pool[i].pkt.cls];

	P4X_CNT_ADD(&c->drops[cause], 1);
	P4X_CNT_ADD(&c->gone_bytes, s->pool[i].pkt.len);
	release_add(s, &s->pool[i].pkt);
	elem_put(s, i);
}

/* -1 if @len fits the bounds, else the drop cause. */
static int bounds_cause(const struct p4x_sched *s, uint32_t len)
{
	if (s->count >= s->max_pkts)
		return P4X_SCHED_DROP_FULL_PKTS;
	if (s->bytes + len > s->max_bytes)
		return P4X_SCHED_DROP_FULL_BYTES;
	return -1;
}

/*
 * Drop-worst: evict eligible packets ranked strictly worse than @key until
 * @len fits. Returns -1 when it fits, else the cause to drop the arrival.
 */
static int make_room(struct p4x_sched *s, uint32_t len, uint64_t key)
{
	int cause;

	while ((cause = bounds_cause(s, len)) >= 0) {
		uint32_t v = rq_max(s);

		if (v == P4X_PQ_NIL || s->pool[v].key <= key)
			return cause;
		elem_unlink(s, v);
		drop_queued(s, v, P4X_SCHED_DROP_EVICTED);
	}
	return -1;
}

P4X_PQ_INLINE void elem_queue(struct p4x_sched *s,
			      const struct p4x_sched_pkt *pkt,
			      const struct p4x_sched_out *out, uint64_t now)
{
	uint32_t i = s->free_head;
	struct p4x_sched_elem *e = &s->pool[i];
	struct p4x_sched_cls_cnt *c = &s->cls[pkt->cls];

	s->free_head = e->next;
	e->seq = s->seq++;
	e->pkt = *pkt;
	e->pkt.rank = out->rank;
	if (out->send_time > now) {
		uint64_t g = (1ULL << s->time_shift) - 1;
		uint64_t t = out->send_time < UINT64_MAX - g ? out->send_time
							     : UINT64_MAX - g;

		e->key = (t + g) >> s->time_shift;
		p4x_pq__insert(s->cal, i, now >> s->time_shift);
	} else {
		e->key = out->rank >> s->rank_shift;
		rq_insert(s, i);
	}
	backlog_add(s, pkt, 1);
	P4X_CNT_ADD(&c->enq_pkts, 1);
	P4X_CNT_ADD(&c->enq_bytes, pkt->len);
}

P4X_PQ_INLINE unsigned int enqueue_one(struct p4x_sched *s,
				       const struct p4x_sched_inst *in,
				       const struct p4x_sched_pkt *pkt,
				       uint64_t now)
{
	struct p4x_sched_out out;
	int cause;

	if (p4x_unlikely(pkt->cls >= s->nb_classes))
		return drop_in(s, pkt, P4X_SCHED_DROP_BAD_CLASS);
	if (s->drop_policy == P4X_SCHED_TAIL_DROP) {
		cause = bounds_cause(s, pkt->len);
		if (p4x_unlikely(cause >= 0))
			return drop_in(s, pkt, cause);
	}
	if (in->ops->enqueue(in->state, in->params, pkt, now, &out) !=
	    P4X_SCHED_QUEUE)
		return drop_in(s, pkt, P4X_SCHED_DROP_POLICY);
	if (s->drop_policy == P4X_SCHED_DROP_WORST) {
		cause = make_room(s, pkt->len, out.rank >> s->rank_shift);
		if (cause >= 0)
			return drop_in(s, pkt, cause);
	}
	elem_queue(s, pkt, &out, now);
	return 1;
}

unsigned int p4x_sched__enqueue_burst(struct p4x_sched *s,
				      const struct p4x_sched_pkt *pkts,
				      unsigned int n, uint64_t now)
{
	const struct p4x_sched_inst *in = rcu_dereference(s->inst);
	unsigned int queued = 0;

	for (unsigned int k = 0; k < n; k++)
		queued += enqueue_one(s, in, &pkts[k], now);
	release_flush(s);
	return queued;
}

/* Move every waiting packet whose slot has started into the rank queue. */
static void calendar_release(struct p4x_sched *s, uint64_t now)
{
	uint64_t slot = now >> s->time_shift;
	uint32_t i;

	while ((i = p4x_pq__min(s->cal, slot)) != P4X_PQ_NIL) {
		p4x_pq__remove(s->cal, i);
		s->pool[i].key = s->pool[i].pkt.rank >> s->rank_shift;
		s->pool[i].seq = s->seq++;
		rq_insert(s, i);
	}
}

/* Port token bucket: may @len bytes leave at @now? Charges them if so. */
static int port_admit(struct p4x_sched *s, const struct p4x_sched_port_cfg *p,
		      uint32_t len, uint64_t now)
{
	if (p4x_sched_tb_time(s->port_tat, p->npb, p->burst, len) > now)
		return 0;
	s->port_tat = (s->port_tat > now ? s->port_tat : now) +
		      p4x_sched_tx_ns(p->npb, len);
	return 1;
}

unsigned int p4x_sched__dequeue_burst(struct p4x_sched *s, uint64_t now,
				      struct p4x_sched_pkt *out, unsigned int n)
{
	const struct p4x_sched_inst *in = rcu_dereference(s->inst);
	const struct p4x_sched_port_cfg *port = rcu_dereference(s->port);
	unsigned int k;

	if (s->cal->count)
		calendar_release(s, now);
	for (k = 0; k < n; k++) {
		struct p4x_sched_cls_cnt *c;
		uint32_t i;

		if (p4x_unlikely(port || s->low->count)) {
			i = rq_min(s);
			if (i == P4X_PQ_NIL ||
			    (port &&
			     !port_admit(s, port, s->pool[i].pkt.len, now)))
				break;
			elem_unlink(s, i);
		} else {
			if (!s->rq->count)
				break;
			i = p4x_pq__pop_min(s->rq);
		}
		s->last_key = s->pool[i].key;
		out[k] = s->pool[i].pkt;
		elem_put(s, i);
		c = &s->cls[out[k].cls];
		P4X_CNT_ADD(&c->deq_pkts, 1);
		P4X_CNT_ADD(&c->deq_bytes, out[k].len);
		if (in->ops->dequeue)
			in->ops->dequeue(in->state, in->params, &out[k], now);
	}
	return k;
}

uint32_t p4x_sched__count(const struct p4x_sched *s)
{
	return s->count;
}

uint64_t p4x_sched__next_time(struct p4x_sched *s)
{
	uint64_t slot = p4x_pq__min_bound(s->cal);

	if (slot == UINT64_MAX)
		return UINT64_MAX;
	if (slot > (UINT64_MAX >> s->time_shift))
		return UINT64_MAX - 1;
	return slot << s->time_shift;
}

static unsigned int flush_pq(struct p4x_sched *s, struct p4x_pq *q)
{
	unsigned int n = 0;
	uint32_t i;

	while ((i = p4x_pq__min(q, UINT64_MAX)) != P4X_PQ_NIL) {
		p4x_pq__remove(q, i);
		drop_queued(s, i, P4X_SCHED_DROP_FLUSH);
		n++;
	}
	return n;
}

unsigned int p4x_sched__flush(struct p4x_sched *s)
{
	unsigned int n =
		flush_pq(s, s->low) + flush_pq(s, s->rq) + flush_pq(s, s->cal);

	release_flush(s);
	return n;
}
