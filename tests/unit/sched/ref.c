// SPDX-License-Identifier: BSD-3-Clause
/* Reference scheduler (see ref.h). */
#include <string.h>

#include "ref.h"

static uint64_t ns_per_byte_fp(uint64_t rate)
{
	unsigned __int128 num = (unsigned __int128)1000000000u << 32;

	return (uint64_t)((num + rate - 1) / rate);
}

static uint64_t tx_time(uint64_t fp, uint64_t len)
{
	unsigned __int128 t = (unsigned __int128)len * fp;

	return (uint64_t)(t >> 32) + ((uint32_t)t ? 1 : 0);
}

/* Earliest time a bucket full at @tat lets @len bytes leave. */
static uint64_t bucket_time(uint64_t tat, uint64_t fp, uint64_t burst,
			    uint64_t len)
{
	uint64_t room = burst > len ? burst - len : 0;
	uint64_t allow = (uint64_t)(((unsigned __int128)room * fp) >> 32);

	return tat > allow ? tat - allow : 0;
}

static uint64_t ref_rank(struct ref_sched *r, const struct p4x_sched_pkt *p,
			 uint64_t now, uint64_t *send)
{
	const struct p4x_sched_class_params *c = &r->prm.cls[p->cls];
	int given = p->flags & P4X_SCHED_F_RANK;

	*send = 0;
	switch (r->policy) {
	case P4X_SCHED_FIFO:
		return 0;
	case P4X_SCHED_STRICT:
		return given ? p->rank : p->cls;
	case P4X_SCHED_WFQ: {
		uint64_t *f =
			&r->finish[r->prm.flags & P4X_SCHED_P_FAIR_BY_CLASS
					   ? p->cls
					   : (p->flow & r->flow_mask)];
		uint64_t start = *f < r->vtime ? r->vtime : *f;

		/* len * 256 / weight, with weight's reciprocal in 24.40 */
		*f = start + (((uint64_t)p->len *
			       ((1ULL << 40) / (c->weight ? c->weight : 1))) >>
			      32);
		return start;
	}
	case P4X_SCHED_DRR: {
		uint64_t q = c->quantum ? c->quantum : 1514;

		if (r->dround[p->cls] < r->round) {
			r->dround[p->cls] = r->round;
			r->dcredit[p->cls] = q;
		}
		while (r->dcredit[p->cls] < p->len) {
			r->dround[p->cls]++;
			r->dcredit[p->cls] += q;
		}
		r->dcredit[p->cls] -= p->len;
		return r->dround[p->cls] * 64 + p->cls;
	}
	case P4X_SCHED_EDF:
		return given ? p->rank
			     : now + (c->budget_ns ? c->budget_ns : 1000000);
	case P4X_SCHED_TBF:
		*send = now;
		if (c->rate) {
			uint64_t fp = ns_per_byte_fp(c->rate);
			uint64_t t =
				bucket_time(r->tat[p->cls], fp,
					    c->burst ? c->burst : 3028, p->len);

			if (t > now)
				*send = t;
			if (r->tat[p->cls] < *send)
				r->tat[p->cls] = *send;
			r->tat[p->cls] += tx_time(fp, p->len);
		}
		return *send;
	default:
		return 0;
	}
}

static void ref_dequeued(struct ref_sched *r, const struct p4x_sched_pkt *p)
{
	if (r->policy == P4X_SCHED_WFQ && p->rank > r->vtime)
		r->vtime = p->rank;
	if (r->policy == P4X_SCHED_DRR && p->rank / 64 > r->round)
		r->round = p->rank / 64;
}

static void ref_drop(struct ref_sched *r, const struct p4x_sched_pkt *p)
{
	r->drops[r->nb_drops++] = *p;
}

static int ref_full(const struct ref_sched *r, uint32_t len)
{
	return r->n >= r->max_pkts || r->bytes + len > r->max_bytes;
}

/* Index of the eligible item with the largest (key, seq), or -1. */
static int ref_worst(const struct ref_sched *r)
{
	int w = -1;

	for (unsigned int i = 0; i < r->n; i++) {
		const struct ref_item *it = &r->q[i];

		if (it->waiting)
			continue;
		if (w < 0 || it->key > r->q[w].key ||
		    (it->key == r->q[w].key && it->seq > r->q[w].seq))
			w = (int)i;
	}
	return w;
}

static void ref_remove(struct ref_sched *r, unsigned int i)
{
	r->bytes -= r->q[i].pkt.len;
	r->q[i] = r->q[--r->n];
}

void ref_enqueue(struct ref_sched *r, const struct p4x_sched_pkt *p,
		 uint64_t now)
{
	uint64_t rank, send, key;
	struct ref_item *it;

	if (p->cls >= r->nb_classes || (!r->drop_worst && ref_full(r, p->len)))
		return ref_drop(r, p);
	rank = ref_rank(r, p, now, &send);
	key = rank >> r->rank_shift;
	while (r->drop_worst && ref_full(r, p->len)) {
		int w = ref_worst(r);

		if (w < 0 || r->q[w].key <= key)
			return ref_drop(r, p);
		ref_drop(r, &r->q[w].pkt);
		ref_remove(r, (unsigned int)w);
	}
	it = &r->q[r->n++];
	it->pkt = *p;
	it->pkt.rank = rank;
	it->key = key;
	it->seq = r->seq++;
	it->waiting = send > now;
	/* eligible from send time rounded up to the calendar slot */
	it->slot = (send + (1ULL << r->time_shift) - 1) >> r->time_shift;
	r->bytes += p->len;
}

/* Index of the waiting item released first at @now, or -1. */
static int ref_due(const struct ref_sched *r, uint64_t now)
{
	int d = -1;

	for (unsigned int i = 0; i < r->n; i++) {
		const struct ref_item *it = &r->q[i];

		if (!it->waiting || it->slot > now >> r->time_shift)
			continue;
		if (d < 0 || it->slot < r->q[d].slot ||
		    (it->slot == r->q[d].slot && it->seq < r->q[d].seq))
			d = (int)i;
	}
	return d;
}

static int ref_best(const struct ref_sched *r)
{
	int b = -1;

	for (unsigned int i = 0; i < r->n; i++) {
		const struct ref_item *it = &r->q[i];

		if (it->waiting)
			continue;
		if (b < 0 || it->key < r->q[b].key ||
		    (it->key == r->q[b].key && it->seq < r->q[b].seq))
			b = (int)i;
	}
	return b;
}

static int ref_port_ok(struct ref_sched *r, uint32_t len, uint64_t now)
{
	uint64_t fp;

	if (!r->port_rate)
		return 1;
	fp = ns_per_byte_fp(r->port_rate);
	if (bucket_time(r->port_tat, fp, r->port_burst, len) > now)
		return 0;
	if (r->port_tat < now)
		r->port_tat = now;
	r->port_tat += tx_time(fp, len);
	return 1;
}

unsigned int ref_dequeue(struct ref_sched *r, uint64_t now,
			 struct p4x_sched_pkt *out, unsigned int n)
{
	unsigned int k = 0;
	int i;

	while ((i = ref_due(r, now)) >= 0) {
		r->q[i].waiting = 0;
		r->q[i].seq = r->seq++;
	}
	while (k < n && (i = ref_best(r)) >= 0) {
		if (!ref_port_ok(r, r->q[i].pkt.len, now))
			break;
		out[k] = r->q[i].pkt;
		ref_remove(r, (unsigned int)i);
		ref_dequeued(r, &out[k++]);
	}
	return k;
}
