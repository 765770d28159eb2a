// SPDX-License-Identifier: BSD-3-Clause
/*
 * Egress scheduling in the engine: theory of operation.
 *
 * A scheduled port P has one struct p4x_squeue per tx queue q, holding a
 * scheduler (p4x/sched.h). Queue q of P is owned by exactly one worker,
 * the one that also owns rx queue q of P, so that worker alone enqueues,
 * dequeues and flushes that scheduler: no lock, no atomic read-modify-write
 * per packet.
 *
 *  - The worker that ran the program classifies each packet for P
 *    (p4x_sched_classify: program metadata first, then the port's
 *    classifier, read under RCU) into a 32-byte cross descriptor. Its own
 *    packets for P are enqueued at once; packets for another worker's
 *    queue travel in the SP/SC cross ring as before and are enqueued by
 *    the owner when it drains the ring.
 *  - Once per loop the owner takes the clock (CLOCK_MONOTONIC, vDSO, one
 *    read per burst) and, if the tx ring took everything it dequeued
 *    before, dequeues up to a burst of due packets (send time reached,
 *    port rate allowing) and hands them to tx_burst. What the tx ring
 *    refuses stays in a small backlog (at most one burst) retried on the
 *    next loop, so backpressure lands in the scheduler, where the policy
 *    decides what to drop, not at the tx ring.
 *  - Packets the scheduler drops (bounds, policy, bad class, flush) come
 *    back through its release callback on the owner's thread: their frames
 *    go to the owner's pool cache and each is counted against its in port
 *    (recorded per frame at enqueue) as sched_drop, or port_down for a
 *    flush of a port whose link went down.
 *  - The daemon polls the link state and calls p4x_engine__set_link(). The
 *    owner sees "down" at its next loop, flushes, and drops new packets as
 *    port_down until the link is up again.
 *  - A worker whose scheduler holds packets does not sleep (it would miss
 *    send times and starve the port rate's bucket).
 *  - The control thread changes policies, parameters and rates through
 *    the scheduler's own RCU-published calls, and the classifier through
 *    p4x_engine__set_port_classifier() (rcu_xchg_pointer, then free after
 *    a grace period).
 *  - Schedulers outlive the workers (they keep policy state across a
 *    stop/start); a stopping worker frees what its scheduler still holds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <urcu/urcu-qsbr.h>

#include "p4x/engine_sched.h"
#include "p4x/log.h"
#include "core.h"
#include "worker_sched.h"

#define REASON_NONE 0xff /* release without counting (worker exit) */

_Static_assert(sizeof(struct p4x_xdesc) == 32, "one 32-byte ring slot");
_Static_assert(P4X_MAX_PORTS <= 256, "in ports are kept in a byte");
#define ETH_P_IP_ 0x0800
#define ETH_P_IPV6_ 0x86dd

struct p4x_squeue {
	struct p4x_sched *s;
	struct p4x_esched *es;
	struct p4x_pool *pool;
	struct p4x_worker *w; /* owner while running, else NULL */
	uint8_t reason;	      /* how released frames are counted */
	unsigned int npend, pend_off;
	struct p4x_pkt pend[P4X_BURST]; /* dequeued, not yet taken by tx */
	uint8_t in_port[];		/* by frame number */
};

struct p4x_esched {
	struct p4x_classifier *cls; /* RCU */
	int down;		    /* link down (control writes) */
	uint32_t nb_classes;
	unsigned int nbq;
	struct p4x_squeue *q[P4X_MAX_QUEUES];
};

static inline void cnt_add(uint64_t *c, uint64_t v)
{
	__atomic_store_n(c, *c + v, __ATOMIC_RELAXED);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- Classification (sending worker) ---- */

static uint8_t pkt_dscp(const struct p4x_pkt *p)
{
	const uint8_t *l3 = p->data + p->meta.l3_off;

	if (p->meta.l3_off + 2u > p->len)
		return 0xff;
	if (p->meta.l3_proto == ETH_P_IP_)
		return l3[1] >> 2;
	if (p->meta.l3_proto == ETH_P_IPV6_)
		return (uint8_t)(((l3[0] & 0x0f) << 2) | (l3[1] >> 6));
	return 0xff;
}

static int pkt_dport(const struct p4x_pkt *p)
{
	const uint8_t *l4 = p->data + p->meta.l4_off;

	if (!(p->meta.flags & P4X_META_F_L4) ||
	    (p->meta.l4_proto != 6 && p->meta.l4_proto != 17) ||
	    p->meta.l4_off + 4u > p->len)
		return -1;
	return l4[2] << 8 | l4[3];
}

static uint16_t classify_cls(const struct p4x_classifier *c,
			     const struct p4x_pkt *p)
{
	unsigned int i;
	uint8_t dscp;
	int dport;

	if (p->meta.magic != P4X_META_MAGIC)
		return c->def_class;
	if (c->nb_dports) {
		dport = pkt_dport(p);
		for (i = 0; dport >= 0 && i < c->nb_dports; i++)
			if (c->dports[i].dport == dport)
				return c->dports[i].cls;
	}
	if (c->dscp_mask) {
		dscp = pkt_dscp(p);
		if (dscp < 64 && (c->dscp_mask >> dscp & 1))
			return c->dscp_class[dscp];
	}
	return c->def_class;
}

void p4x_sched_classify(const struct p4x_engine *eng, uint16_t out,
			const struct p4x_pkt *p, struct p4x_xdesc *d)
{
	const struct p4x_esched *es = eng->sched[out];
	uint16_t f = p->sched_flags;

	d->sched_flags = 0;
	if (f & P4X_PKT_SCHED_CLASS)
		d->sched_class = p->sched_class;
	else
		d->sched_class = classify_cls(rcu_dereference(es->cls), p);
	if (f & P4X_PKT_SCHED_FLOW)
		d->sched_flow = p->sched_flow;
	else
		d->sched_flow =
			p->meta.magic == P4X_META_MAGIC ? p->meta.hash : 0;
	d->sched_rank = f & P4X_PKT_SCHED_RANK ? p->sched_rank : 0;
	if (f & P4X_PKT_SCHED_RANK)
		d->sched_flags = P4X_SCHED_F_RANK;
	d->sched_user = f & P4X_PKT_SCHED_USER ? p->sched_user : 0;
}

/* ---- Owner side ---- */

static void squeue_release(void *arg, const struct p4x_sched_pkt *pkts,
			   unsigned int n)
{
	struct p4x_squeue *sq = arg;
	struct p4x_worker *w = sq->w;
	uint64_t addrs[P4X_BURST];
	unsigned int i;
	uint8_t in;

	for (i = 0; i < n; i++) {
		addrs[i] = pkts[i].addr;
		in = sq->in_port[pkts[i].addr / P4X_FRAME_SIZE];
		if (w && sq->reason != REASON_NONE)
			cnt_add(&w->c.drop[in][sq->reason], 1);
	}
	p4x_pool__put_burst(sq->pool, w ? w->id : P4X_POOL_NO_CACHE, addrs, n);
}

static void drop_xdescs(struct p4x_worker *w, const struct p4x_xdesc *d,
			unsigned int n, enum p4x_drop_reason reason)
{
	uint64_t addrs[P4X_BURST];
	unsigned int i;

	for (i = 0; i < n; i++) {
		addrs[i] = d[i].addr;
		cnt_add(&w->c.drop[d[i].in_port][reason], 1);
	}
	p4x_pool__put_burst(w->eng->pool, w->id, addrs, n);
}

void p4x_squeue__enqueue_xdescs(struct p4x_worker *w, const struct p4x_xdesc *d,
				unsigned int n)
{
	struct p4x_squeue *sq = w->sq;
	struct p4x_sched_pkt sp[P4X_BURST];
	unsigned int i;

	if (!n)
		return;
	if (p4x_unlikely(CMM_LOAD_SHARED(sq->es->down))) {
		drop_xdescs(w, d, n, P4X_DROP_PORT_DOWN);
		return;
	}
	for (i = 0; i < n; i++) {
		sq->in_port[d[i].addr / P4X_FRAME_SIZE] = d[i].in_port;
		sp[i] = (struct p4x_sched_pkt){
			.addr = d[i].addr,
			.rank = d[i].sched_rank,
			.len = d[i].len,
			.flow = d[i].sched_flow,
			.cls = d[i].sched_class,
			.flags = d[i].sched_flags,
			.user = d[i].sched_user,
		};
	}
	sq->reason = P4X_DROP_SCHED;
	p4x_sched__enqueue_burst(sq->s, sp, n, now_ns());
}

void p4x_squeue__enqueue_pkts(struct p4x_worker *w, const struct p4x_pkt *p,
			      unsigned int n)
{
	struct p4x_xdesc d[P4X_BURST];
	unsigned int i;

	for (i = 0; i < n; i++) {
		p4x_sched_classify(w->eng, w->port_idx, &p[i], &d[i]);
		d[i].addr = p[i].addr;
		d[i].len = p[i].len;
		d[i].in_port = (uint8_t)p[i].in_port;
	}
	p4x_squeue__enqueue_xdescs(w, d, n);
}

/* Link down: free everything held, counted as port_down. */
static unsigned int squeue_flush(struct p4x_worker *w, uint8_t reason)
{
	struct p4x_squeue *sq = w->sq;
	uint64_t addrs[P4X_BURST];
	unsigned int i, n;

	sq->reason = reason;
	n = p4x_sched__flush(sq->s);
	for (i = 0; i < sq->npend; i++) {
		addrs[i] = sq->pend[sq->pend_off + i].addr;
		if (reason != REASON_NONE)
			cnt_add(&w->c.drop[sq->pend[sq->pend_off + i].in_port]
					  [reason],
				1);
	}
	p4x_pool__put_burst(sq->pool, w->id, addrs, sq->npend);
	n += sq->npend;
	sq->npend = 0;
	sq->pend_off = 0;
	return n;
}

static void squeue_dequeue(struct p4x_worker *w)
{
	struct p4x_squeue *sq = w->sq;
	struct p4x_sched_pkt sp[P4X_BURST];
	unsigned int i, n;

	n = p4x_sched__dequeue_burst(sq->s, now_ns(), sp, P4X_BURST);
	for (i = 0; i < n; i++) {
		sq->pend[i].addr = sp[i].addr;
		sq->pend[i].data = w->area + sp[i].addr;
		sq->pend[i].len = sp[i].len;
		sq->pend[i].in_port = sq->in_port[sp[i].addr / P4X_FRAME_SIZE];
		sq->pend[i].out_port = w->port_idx;
	}
	sq->npend = n;
	sq->pend_off = 0;
}

unsigned int p4x_squeue__tx(struct p4x_worker *w)
{
	struct p4x_squeue *sq = w->sq;
	uint64_t bytes = 0;
	unsigned int k, i;

	if (p4x_unlikely(CMM_LOAD_SHARED(sq->es->down)))
		return p4x_sched__count(sq->s) || sq->npend
			       ? squeue_flush(w, P4X_DROP_PORT_DOWN)
			       : 0;
	if (!sq->npend) {
		if (!p4x_sched__count(sq->s))
			return 0;
		squeue_dequeue(w);
		if (!sq->npend)
			return 0;
	}
	k = w->port->ops->tx_burst(w->port, w->queue, sq->pend + sq->pend_off,
				   sq->npend);
	for (i = 0; i < k; i++)
		bytes += sq->pend[sq->pend_off + i].len;
	sq->pend_off += k;
	sq->npend -= k;
	cnt_add(&w->c.cnt[P4X_PORT_CNT_TX_PACKETS], k);
	cnt_add(&w->c.cnt[P4X_PORT_CNT_TX_BYTES], bytes);
	return k;
}

bool p4x_squeue__busy(const struct p4x_worker *w)
{
	return w->sq && (w->sq->npend || p4x_sched__count(w->sq->s));
}

void p4x_squeue__attach(struct p4x_worker *w)
{
	struct p4x_esched *es = w->eng->sched[w->port_idx];

	w->sq = es ? es->q[w->queue] : NULL;
	if (w->sq)
		w->sq->w = w;
}

void p4x_squeue__detach(struct p4x_worker *w)
{
	if (!w->sq)
		return;
	squeue_flush(w, REASON_NONE);
	w->sq->w = NULL;
}

/* ---- Control side ---- */

static struct p4x_squeue *squeue_new(struct p4x_engine *eng,
				     struct p4x_esched *es,
				     const struct p4x_sched_opts *opts)
{
	uint32_t nb_frames = p4x_pool__nb_frames(eng->pool);
	struct p4x_sched_opts o = *opts;
	struct p4x_squeue *sq;

	sq = calloc(1, sizeof(*sq) + nb_frames);
	if (!sq)
		return NULL;
	sq->pool = eng->pool;
	sq->es = es;
	o.sz = sizeof(o);
	o.release = squeue_release;
	o.release_arg = sq;
	sq->s = p4x_sched__new(&o);
	if (!sq->s) {
		free(sq);
		return NULL;
	}
	return sq;
}

static void esched_free(struct p4x_esched *es)
{
	unsigned int q;

	if (!es)
		return;
	for (q = 0; q < es->nbq; q++) {
		if (!es->q[q])
			continue;
		p4x_sched__free(es->q[q]->s);
		free(es->q[q]);
	}
	free(es->cls);
	free(es);
}

static int set_sched_check(const struct p4x_engine *eng, unsigned int port,
			   const struct p4x_sched_opts *opts)
{
	if (port >= eng->nb_ports)
		return -ENOENT;
	if (eng->running) {
		p4x_warn("engine: port %u: a scheduler is set before start",
			 port);
		return -EBUSY;
	}
	if (eng->sched[port])
		return -EEXIST;
	if (!opts || opts->release) {
		p4x_warn("engine: port %u: scheduler options missing or with "
			 "a release callback (the engine sets it)",
			 port);
		return -EINVAL;
	}
	return 0;
}

int p4x_engine__set_port_sched(struct p4x_engine *eng, unsigned int port,
			       const struct p4x_sched_opts *opts)
{
	struct p4x_sched_opts o = {.sz = sizeof(o)};
	struct p4x_esched *es;
	unsigned int q;
	int err;

	err = set_sched_check(eng, port, opts);
	if (err)
		return err;
	memcpy(&o, opts, P4X_MIN(opts->sz ? opts->sz : sizeof(o), sizeof(o)));
	es = calloc(1, sizeof(*es));
	if (!es)
		return -ENOMEM;
	es->cls = calloc(1, sizeof(*es->cls));
	es->nb_classes = o.nb_classes ? o.nb_classes : 8;
	es->nbq = eng->port_nbq[port];
	for (q = 0; es->cls && q < es->nbq; q++) {
		es->q[q] = squeue_new(eng, es, &o);
		if (!es->q[q])
			break;
	}
	if (!es->cls || q < es->nbq) {
		err = errno ? -errno : -ENOMEM;
		esched_free(es);
		return err;
	}
	es->cls->sz = sizeof(*es->cls);
	eng->sched[port] = es;
	return 0;
}

void p4x_engine__free_scheds(struct p4x_engine *eng)
{
	unsigned int p;

	for (p = 0; p < P4X_MAX_PORTS; p++) {
		esched_free(eng->sched[p]);
		eng->sched[p] = NULL;
	}
}

unsigned int p4x_engine__port_sched_count(const struct p4x_engine *eng,
					  unsigned int port)
{
	return port < eng->nb_ports && eng->sched[port] ? eng->sched[port]->nbq
							: 0;
}

struct p4x_sched *p4x_engine__port_sched(struct p4x_engine *eng,
					 unsigned int port, unsigned int queue)
{
	if (queue >= p4x_engine__port_sched_count(eng, port))
		return NULL;
	return eng->sched[port]->q[queue]->s;
}

static int classifier_check(const struct p4x_esched *es,
			    const struct p4x_classifier *c)
{
	unsigned int i;

	if (c->nb_dports > P4X_CLASSIFIER_MAX_DPORTS) {
		p4x_warn("classifier: %u ports mapped, at most %u",
			 c->nb_dports, P4X_CLASSIFIER_MAX_DPORTS);
		return -EINVAL;
	}
	for (i = 0; i < c->nb_dports; i++)
		if (c->dports[i].cls >= es->nb_classes)
			goto err_cls;
	for (i = 0; i < 64; i++)
		if ((c->dscp_mask >> i & 1) &&
		    c->dscp_class[i] >= es->nb_classes)
			goto err_cls;
	if (c->def_class < es->nb_classes)
		return 0;
err_cls:
	p4x_warn("classifier: a class is not below the scheduler's %u "
		 "classes",
		 es->nb_classes);
	return -EINVAL;
}

int p4x_engine__set_port_classifier(struct p4x_engine *eng, unsigned int port,
				    const struct p4x_classifier *c)
{
	struct p4x_classifier *nc, *old;
	struct p4x_esched *es;
	int err;

	if (!p4x_engine__port_sched_count(eng, port))
		return -ENOENT;
	es = eng->sched[port];
	nc = calloc(1, sizeof(*nc));
	if (!nc)
		return -ENOMEM;
	memcpy(nc, c, P4X_MIN(c->sz ? c->sz : sizeof(*nc), sizeof(*nc)));
	nc->sz = sizeof(*nc);
	err = classifier_check(es, nc);
	if (err) {
		free(nc);
		return err;
	}
	old = rcu_xchg_pointer(&es->cls, nc);
	urcu_qsbr_synchronize_rcu();
	free(old);
	return 0;
}

int p4x_engine__port_classifier(const struct p4x_engine *eng, unsigned int port,
				struct p4x_classifier *c)
{
	if (!p4x_engine__port_sched_count(eng, port))
		return -ENOENT;
	*c = *(const struct p4x_classifier *)CMM_LOAD_SHARED(
		eng->sched[port]->cls);
	return 0;
}

void p4x_engine__set_link(struct p4x_engine *eng, unsigned int port, bool up)
{
	if (p4x_engine__port_sched_count(eng, port))
		CMM_STORE_SHARED(eng->sched[port]->down, !up);
}

bool p4x_engine__link(const struct p4x_engine *eng, unsigned int port)
{
	return !p4x_engine__port_sched_count(eng, port) ||
	       !CMM_LOAD_SHARED(eng->sched[port]->down);
}
