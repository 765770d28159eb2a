// SPDX-License-Identifier: BSD-3-Clause
/*
 * Workers: theory of operation.
 *
 * One worker thread per (port, rx queue), pinned round robin to the
 * engine's cores, runs to completion: rx burst -> program (parse + main
 * per packet) -> group by out port -> transmit. A worker owns its
 * (port, queue) for rx AND tx, so every port data op runs on exactly one
 * thread and needs no lock.
 *
 * Rings and frame ownership. All ports draw frames from one pool (for
 * AF_XDP ports, the one shared UMEM), so frames never move by copy:
 *  - a packet for the worker's own port is handed to tx_burst on its own
 *    queue;
 *  - a packet for another port P goes, as a 16-byte descriptor, into the
 *    SP/SC rte_ring from this worker to the worker owning queue
 *    (this worker's id mod P's queue count) of P; that worker drains its
 *    incoming rings into its own tx queue. Each ring has one producer and
 *    one consumer thread;
 *  - a frame that cannot go on (drop verdict, unknown port, ring or tx
 *    full, no_tx mode) goes back to the pool through this worker's cache.
 * Whoever holds a frame's descriptor owns the frame.
 *
 * Sleeping. After IDLE_SPINS empty iterations a worker publishes
 * `sleeping`, re-checks its incoming rings (a full barrier orders the
 * two), goes QSBR-offline and poll()s its port's wait_fd and its own
 * eventfd with a short timeout. A producer enqueues, issues a full
 * barrier, and writes the eventfd only if the destination sleeps: the
 * classic store/load pairing, so no wakeup is lost and none is paid for
 * while the destination runs.
 *
 * RCU. Workers are liburcu QSBR readers: the program pointer is read once
 * per burst with rcu_dereference and used for that burst only; a worker
 * reports a quiescent state every qsbr_interval iterations and is offline
 * while it sleeps. p4x_engine__set_prog() swaps the pointer and frees the
 * old program after synchronize_rcu, i.e. once every worker passed a
 * quiescent state, so no burst runs half of one program and half of
 * another.
 *
 * Counters live in the worker (struct p4x_wcnt), written only by it with
 * plain stores, and are summed by readers with relaxed loads.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <rte_ring.h>
#include <rte_ring_elem.h>
#include <urcu/urcu-qsbr.h>

#include "p4x/log.h"
#include "core.h"
#include "engine_priv.h"
#include "worker_sched.h"

/* Empty iterations before a worker sleeps. */
#define IDLE_SPINS 256
/* poll() timeout while asleep, ms: bounds the latency of missed work on
 * ports without a wait_fd and of completions still to reap. */
#define SLEEP_MS 10
#define SLEEP_MS_NO_FD 1

static inline void cnt_add(uint64_t *c, uint64_t v)
{
	__atomic_store_n(c, *c + v, __ATOMIC_RELAXED);
}

/* Packets ahead whose first data line is prefetched while one runs. */
#define PREFETCH_AHEAD 4

static void run_prog(const struct p4x_prog *prog, struct p4x_pkt *pkts,
		     unsigned int n)
{
	unsigned int i;

	/*
	 * The frames were written by the kernel on another CPU: each first
	 * touch misses. Prefetching a few packets ahead overlaps the misses
	 * with the program (bench/fwd, docs/benchmarks.md).
	 */
	for (i = 0; i < n && i < PREFETCH_AHEAD; i++)
		__builtin_prefetch(pkts[i].data);
	for (i = 0; i < n; i++) {
		if (i + PREFETCH_AHEAD < n)
			__builtin_prefetch(pkts[i + PREFETCH_AHEAD].data);
		pkts[i].verdict = P4X_VERDICT_TX;
		pkts[i].out_port = UINT16_MAX;
		pkts[i].sched_flags = 0;
		if (p4x_unlikely(!prog)) {
			pkts[i].verdict = P4X_VERDICT_DROP;
			pkts[i].drop_reason = P4X_DROP_NO_ROUTE;
			continue;
		}
		if (prog->ops->parse(prog->ctx, &pkts[i]) == 0)
			prog->ops->main(prog->ctx, &pkts[i]);
	}
}

/* Free frames and count @reason against each packet's in port. */
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

static void drop_pkts(struct p4x_worker *w, const struct p4x_pkt *p,
		      unsigned int n, enum p4x_drop_reason reason)
{
	uint64_t addrs[P4X_BURST];
	unsigned int i;

	for (i = 0; i < n; i++) {
		addrs[i] = p[i].addr;
		cnt_add(&w->c.drop[p[i].in_port][reason], 1);
	}
	p4x_pool__put_burst(w->eng->pool, w->id, addrs, n);
}

/* Transmit on the worker's own queue; what tx refuses is dropped. */
static void tx_own(struct p4x_worker *w, struct p4x_pkt *pkts, unsigned int n)
{
	uint64_t bytes = 0;
	unsigned int k, i;

	if (!n)
		return;
	k = w->port->ops->tx_burst(w->port, w->queue, pkts, n);
	for (i = 0; i < k; i++)
		bytes += pkts[i].len;
	cnt_add(&w->c.cnt[P4X_PORT_CNT_TX_PACKETS], k);
	cnt_add(&w->c.cnt[P4X_PORT_CNT_TX_BYTES], bytes);
	if (k < n)
		drop_pkts(w, pkts + k, n - k, P4X_DROP_TX_FULL);
}

void p4x_worker__kick(struct p4x_worker *w)
{
	uint64_t one = 1;

	(void)!write(w->wake_fd, &one, sizeof(one));
}

static void flush_stage(struct p4x_worker *w, unsigned int port)
{
	struct p4x_wout *o = &w->out[port];
	unsigned int n = w->stage_n[port], k;

	k = rte_ring_sp_enqueue_burst_elem(o->ring, w->stage[port],
					   sizeof(struct p4x_xdesc), n, NULL);
	if (k < n)
		drop_xdescs(w, w->stage[port] + k, n - k, P4X_DROP_TX_FULL);
	w->stage_n[port] = 0;
	if (!k)
		return;
	cmm_smp_mb();
	if (CMM_LOAD_SHARED(o->dst->sleeping))
		p4x_worker__kick(o->dst);
}

static void stage_pkt(struct p4x_worker *w, const struct p4x_pkt *p)
{
	struct p4x_xdesc *d = &w->stage[p->out_port][w->stage_n[p->out_port]++];

	d->addr = p->addr;
	d->len = p->len;
	d->in_port = (uint8_t)p->in_port;
	if (w->eng->sched[p->out_port])
		p4x_sched_classify(w->eng, p->out_port, p, d);
}

/*
 * The program may have moved data (a push into the headroom): derive addr
 * from it, provided the packet still lies inside its own frame.
 */
static bool pkt_in_frame(const struct p4x_worker *w, struct p4x_pkt *p)
{
	uint64_t addr = (uint64_t)(p->data - w->area);

	if (p4x_unlikely(p->data < w->area ||
			 p4x_frame_base(addr) != p4x_frame_base(p->addr) ||
			 (addr & (P4X_FRAME_SIZE - 1)) + p->len >
				 P4X_FRAME_SIZE))
		return false;
	p->addr = addr;
	return true;
}

/*
 * To the host stack through the in port's host fd (a TAP): one write per
 * packet, the exception path. False when there is no host path.
 */
static bool to_host(struct p4x_worker *w, struct p4x_pkt *p)
{
	int fd = CMM_LOAD_SHARED(w->eng->host_fd[p->in_port]);

	if (fd < 0)
		return false;
	if (write(fd, p->data, p->len) == (ssize_t)p->len)
		cnt_add(&w->c.cnt[P4X_PORT_CNT_HOST_PACKETS], 1);
	else
		cnt_add(&w->c.drop[p->in_port][P4X_DROP_TX_FULL], 1);
	return true;
}

/* Classify a burst after the program ran; false: frame to free. */
static bool route_one(struct p4x_worker *w, struct p4x_pkt *p,
		      struct p4x_pkt *own, unsigned int *nown)
{
	const struct p4x_engine *eng = w->eng;

	if (p->verdict == P4X_VERDICT_HOST && to_host(w, p))
		return false;
	if (p->verdict != P4X_VERDICT_TX) {
		if (p4x_unlikely(p->drop_reason >= P4X_DROP__COUNT))
			p->drop_reason = P4X_DROP_PROG_DROP;
		cnt_add(&w->c.drop[p->in_port][p->drop_reason], 1);
		return false;
	}
	if (p4x_unlikely(!pkt_in_frame(w, p))) {
		cnt_add(&w->c.drop[p->in_port][P4X_DROP_TOO_BIG], 1);
		return false;
	}
	if (p4x_unlikely(p->out_port >= eng->nb_ports)) {
		cnt_add(&w->c.drop[p->in_port][P4X_DROP_NO_ROUTE], 1);
		return false;
	}
	if (eng->opts.no_tx)
		return false;
	if (p->out_port == w->port_idx)
		own[(*nown)++] = *p;
	else
		stage_pkt(w, p);
	return true;
}

static void dispatch(struct p4x_worker *w, struct p4x_pkt *pkts, unsigned int n)
{
	struct p4x_pkt own[P4X_BURST];
	uint64_t addrs[P4X_BURST];
	unsigned int i, nown = 0, nfree = 0;

	for (i = 0; i < n; i++)
		if (!route_one(w, &pkts[i], own, &nown))
			addrs[nfree++] = pkts[i].addr;
	if (nfree)
		p4x_pool__put_burst(w->eng->pool, w->id, addrs, nfree);
	if (w->sq)
		p4x_squeue__enqueue_pkts(w, own, nown);
	else
		tx_own(w, own, nown);
	for (i = 0; i < w->eng->nb_ports; i++)
		if (w->stage_n[i])
			flush_stage(w, i);
}

static unsigned int do_rx(struct p4x_worker *w)
{
	struct p4x_pkt pkts[P4X_BURST];
	const struct p4x_prog *prog;
	uint64_t bytes = 0;
	unsigned int n, i;

	n = w->port->ops->rx_burst(w->port, w->queue, pkts, P4X_BURST);
	if (!n) {
		cnt_add(&w->c.cnt[P4X_PORT_CNT_RX_EMPTY_POLLS], 1);
		return 0;
	}
	for (i = 0; i < n; i++)
		bytes += pkts[i].len;
	cnt_add(&w->c.cnt[P4X_PORT_CNT_RX_PACKETS], n);
	cnt_add(&w->c.cnt[P4X_PORT_CNT_RX_BYTES], bytes);
	prog = rcu_dereference(w->eng->prog);
	run_prog(prog, pkts, n);
	dispatch(w, pkts, n);
	return n;
}

static unsigned int drain_ring(struct p4x_worker *w, struct rte_ring *r)
{
	struct p4x_xdesc d[P4X_BURST];
	struct p4x_pkt pkts[P4X_BURST];
	uint64_t bytes = 0;
	unsigned int n, k, i;

	n = rte_ring_sc_dequeue_burst_elem(r, d, sizeof(d[0]), P4X_BURST, NULL);
	if (w->sq) {
		p4x_squeue__enqueue_xdescs(w, d, n);
		return n;
	}
	for (i = 0; i < n; i++) {
		pkts[i].addr = d[i].addr;
		pkts[i].data = p4x_pool__ptr(w->eng->pool, d[i].addr);
		pkts[i].len = d[i].len;
		pkts[i].in_port = d[i].in_port;
		pkts[i].out_port = w->port_idx;
	}
	k = n ? w->port->ops->tx_burst(w->port, w->queue, pkts, n) : 0;
	for (i = 0; i < k; i++)
		bytes += pkts[i].len;
	cnt_add(&w->c.cnt[P4X_PORT_CNT_TX_PACKETS], k);
	cnt_add(&w->c.cnt[P4X_PORT_CNT_TX_BYTES], bytes);
	if (k < n)
		drop_xdescs(w, d + k, n - k, P4X_DROP_TX_FULL);
	return n;
}

static unsigned int drain_in(struct p4x_worker *w)
{
	unsigned int i, n = 0;

	for (i = 0; i < w->nb_in; i++)
		n += drain_ring(w, w->in[i]);
	return n;
}

static bool in_pending(const struct p4x_worker *w)
{
	unsigned int i;

	for (i = 0; i < w->nb_in; i++)
		if (!rte_ring_empty(w->in[i]))
			return true;
	return false;
}

static void do_sleep(struct p4x_worker *w)
{
	struct pollfd pfd[2] = {
		{.fd = w->wake_fd, .events = POLLIN},
		{.fd = -1, .events = POLLIN},
	};
	uint64_t v;

	CMM_STORE_SHARED(w->sleeping, 1);
	cmm_smp_mb();
	if (in_pending(w) || CMM_LOAD_SHARED(w->eng->stop))
		goto out;
	if (w->port->ops->wait_fd)
		pfd[1].fd = w->port->ops->wait_fd(w->port, w->queue);
	CMM_STORE_SHARED(w->online, 0);
	urcu_qsbr_thread_offline();
	poll(pfd, 2, pfd[1].fd >= 0 ? SLEEP_MS : SLEEP_MS_NO_FD);
	if (pfd[0].revents & POLLIN)
		(void)!read(w->wake_fd, &v, sizeof(v));
	urcu_qsbr_thread_online();
	CMM_STORE_SHARED(w->online, 1);
out:
	CMM_STORE_SHARED(w->sleeping, 0);
}

static void worker_loop(struct p4x_worker *w)
{
	unsigned int interval = w->eng->opts.qsbr_interval;
	unsigned int idle = 0, since_qs = 0, moved;

	while (!CMM_LOAD_SHARED(w->eng->stop)) {
		moved = do_rx(w);
		moved += drain_in(w);
		if (w->sq)
			moved += p4x_squeue__tx(w);
		w->port->ops->poll(w->port, w->queue);
		cnt_add(&w->c.loops, 1);
		if (moved) {
			cnt_add(&w->c.busy_loops, 1);
			idle = 0;
		} else if (++idle >= IDLE_SPINS && !p4x_squeue__busy(w)) {
			do_sleep(w);
			idle = 0;
		}
		if (++since_qs >= interval) {
			urcu_qsbr_quiescent_state();
			since_qs = 0;
		}
	}
}

void *p4x_worker__main(void *arg)
{
	struct p4x_worker *w = arg;

	urcu_qsbr_register_thread();
	CMM_STORE_SHARED(w->online, 1);
	worker_loop(w);
	/* Deliver what other workers queued before they stopped. */
	drain_in(w);
	p4x_squeue__detach(w);
	p4x_pool__cache_flush(w->eng->pool, w->id);
	CMM_STORE_SHARED(w->online, 0);
	urcu_qsbr_unregister_thread();
	return NULL;
}
