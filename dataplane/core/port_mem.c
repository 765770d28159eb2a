// SPDX-License-Identifier: BSD-3-Clause
/*
 * The memory port (include/p4x/port_mem.h). Each rx queue is an rte_ring
 * of {frame address, length} filled by p4x_port_mem__inject() and drained
 * by the queue's worker; an eventfd per queue wakes a sleeping worker.
 * tx_burst copies each frame into a preallocated capture slot and frees
 * the frame; slot indexes cycle through a free ring and a full ring.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "p4x/log.h"
#include "p4x/port_mem.h"
#include "core.h"
#include "meta_parse.h"

struct mem_desc {
	uint64_t addr;
	uint32_t len;
	uint32_t pad;
};

struct mem_queue {
	struct rte_ring *rx; /* struct mem_desc; injector -> worker */
	int efd;	     /* readable while rx work may be pending */
	int signalled;	     /* efd holds an unread wakeup */
} __p4x_cache_aligned;

struct mem_slot_hdr {
	uint32_t len;
	uint16_t queue;
};

struct port_mem {
	struct p4x_port base;
	char name[P4X_IFNAMSIZ];
	uint16_t nb_queues;
	uint8_t mac[6];
	struct rte_ring *cap_free; /* uint32_t slot indexes */
	struct rte_ring *cap_full;
	uint8_t *slots; /* P4X_PORT_MEM_CAPTURE frames */
	struct mem_slot_hdr *hdrs;
	int64_t held; /* slot popped but too big for caller */
	struct mem_queue q[];
};

static const struct p4x_port_ops port_mem_ops;

static struct port_mem *to_mem(struct p4x_port *port)
{
	return (struct port_mem *)port;
}

static struct rte_ring *ring_new(const char *name, unsigned int count,
				 unsigned int esize, unsigned int flags)
{
	struct rte_ring *r;
	ssize_t size;

	/* Every ring here holds exactly @count elements. */
	flags |= RING_F_EXACT_SZ;
	size = rte_ring_get_memsize_elem(esize, rte_align32pow2(count + 1));

	if (size < 0 || posix_memalign((void **)&r, P4X_CACHE_LINE, size))
		return NULL;
	if (rte_ring_init(r, name, count, flags)) {
		free(r);
		return NULL;
	}
	return r;
}

static int mem_queue_init(struct mem_queue *q, unsigned int i)
{
	char rname[RTE_RING_NAMESIZE];

	snprintf(rname, sizeof(rname), "p4x_memq%u", i);
	q->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (q->efd < 0)
		return -errno;
	/* One injector and one worker per queue: SP/SC. */
	q->rx = ring_new(rname, P4X_PORT_MEM_RXQ, sizeof(struct mem_desc),
			 RING_F_SP_ENQ | RING_F_SC_DEQ);
	return q->rx ? 0 : -ENOMEM;
}

static int mem_capture_init(struct port_mem *pm)
{
	uint32_t i;

	pm->held = -1;
	/* Any number of workers and one reader: RTS, preemption-tolerant. */
	pm->cap_free =
		ring_new("p4x_capfree", P4X_PORT_MEM_CAPTURE, sizeof(uint32_t),
			 RING_F_MP_RTS_ENQ | RING_F_MC_RTS_DEQ);
	pm->cap_full =
		ring_new("p4x_capfull", P4X_PORT_MEM_CAPTURE, sizeof(uint32_t),
			 RING_F_MP_RTS_ENQ | RING_F_MC_RTS_DEQ);
	pm->hdrs = calloc(P4X_PORT_MEM_CAPTURE, sizeof(*pm->hdrs));
	/* Pages are touched only by frames actually captured. */
	pm->slots = mmap(NULL, (size_t)P4X_PORT_MEM_CAPTURE * P4X_FRAME_SIZE,
			 PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	if (pm->slots == MAP_FAILED)
		pm->slots = NULL;
	if (!pm->cap_free || !pm->cap_full || !pm->hdrs || !pm->slots)
		return -ENOMEM;
	for (i = 0; i < P4X_PORT_MEM_CAPTURE; i++)
		rte_ring_enqueue_elem(pm->cap_free, &i, sizeof(i));
	return 0;
}

static unsigned int mem_next_id;

struct p4x_port *p4x_port_mem__new(const char *name, uint16_t nb_queues,
				   struct p4x_pool *pool)
{
	struct port_mem *pm;
	unsigned int i;
	int err = -EINVAL;

	if (!name || !*name || strlen(name) >= P4X_IFNAMSIZ || !nb_queues ||
	    nb_queues > P4X_MAX_QUEUES || !pool) {
		p4x_warn("memory port '%s': bad arguments (name 1..%d chars, "
			 "queues 1..%d, a pool)",
			 name ? name : "(null)", P4X_IFNAMSIZ - 1,
			 P4X_MAX_QUEUES);
		goto err_out;
	}
	err = -ENOMEM;
	pm = aligned_alloc(P4X_CACHE_LINE,
			   sizeof(*pm) + nb_queues * sizeof(pm->q[0]));
	if (!pm)
		goto err_out;
	memset(pm, 0, sizeof(*pm) + nb_queues * sizeof(pm->q[0]));
	pm->base.ops = &port_mem_ops;
	pm->base.pool = pool;
	pm->nb_queues = nb_queues;
	strcpy(pm->name, name);
	pm->mac[0] = 0x02;
	pm->mac[5] =
		(uint8_t)__atomic_add_fetch(&mem_next_id, 1, __ATOMIC_RELAXED);
	for (i = 0; i < nb_queues; i++)
		pm->q[i].efd = -1;
	for (i = 0; i < nb_queues; i++) {
		err = mem_queue_init(&pm->q[i], i);
		if (err)
			goto err_port;
	}
	err = mem_capture_init(pm);
	if (err)
		goto err_port;
	return &pm->base;

err_port:
	port_mem_ops.close(&pm->base);
err_out:
	errno = -err;
	return NULL;
}

void p4x_port_mem__set_mac(struct p4x_port *port, const uint8_t mac[6])
{
	memcpy(to_mem(port)->mac, mac, 6);
}

static void mem_signal(struct mem_queue *q)
{
	uint64_t one = 1;

	if (!__atomic_exchange_n(&q->signalled, 1, __ATOMIC_SEQ_CST))
		(void)!write(q->efd, &one, sizeof(one));
}

int p4x_port_mem__inject(struct p4x_port *port, uint16_t queue,
			 const void *bytes, size_t len)
{
	struct port_mem *pm = to_mem(port);
	struct mem_desc d = {0};
	struct p4x_xdp_meta *m;
	uint8_t *data;

	if (queue >= pm->nb_queues || len < 14 ||
	    len > P4X_FRAME_SIZE - P4X_FRAME_HEADROOM)
		return -EINVAL;
	if (rte_ring_free_count(pm->q[queue].rx) == 0)
		return -ENOSPC;
	if (!p4x_pool__get_burst(port->pool, P4X_POOL_NO_CACHE, &d.addr, 1))
		return -ENOBUFS;
	d.addr += P4X_FRAME_HEADROOM;
	d.len = (uint32_t)len;
	data = p4x_pool__ptr(port->pool, d.addr);
	memcpy(data, bytes, len);
	m = (struct p4x_xdp_meta *)(data - sizeof(*m));
	p4x_meta_parse(data, d.len, queue, m);
	rte_ring_sp_enqueue_elem(pm->q[queue].rx, &d, sizeof(d));
	mem_signal(&pm->q[queue]);
	return 0;
}

unsigned int p4x_port_mem__rx_pending(const struct p4x_port *port,
				      uint16_t queue)
{
	const struct port_mem *pm = (const struct port_mem *)port;

	return queue < pm->nb_queues ? rte_ring_count(pm->q[queue].rx) : 0;
}

static int mem_copy_out(struct port_mem *pm, uint32_t slot, void *buf,
			size_t cap, uint16_t *queue)
{
	const struct mem_slot_hdr *h = &pm->hdrs[slot];

	if (h->len > cap) {
		pm->held = slot;
		return -ENOSPC;
	}
	memcpy(buf, pm->slots + (size_t)slot * P4X_FRAME_SIZE, h->len);
	if (queue)
		*queue = h->queue;
	pm->held = -1;
	rte_ring_enqueue_elem(pm->cap_free, &slot, sizeof(slot));
	return (int)h->len;
}

int p4x_port_mem__capture(struct p4x_port *port, void *buf, size_t cap,
			  uint16_t *queue)
{
	struct port_mem *pm = to_mem(port);
	uint32_t slot;

	if (pm->held >= 0)
		return mem_copy_out(pm, (uint32_t)pm->held, buf, cap, queue);
	if (rte_ring_dequeue_elem(pm->cap_full, &slot, sizeof(slot)))
		return -EAGAIN;
	return mem_copy_out(pm, slot, buf, cap, queue);
}

static void mem_load_pkts(struct p4x_port *port, uint16_t queue,
			  const struct mem_desc *d, struct p4x_pkt *pkts,
			  unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		pkts[i].addr = d[i].addr;
		pkts[i].data = p4x_pool__ptr(port->pool, d[i].addr);
		pkts[i].len = d[i].len;
		pkts[i].in_port = port->index;
		pkts[i].in_queue = queue;
		memcpy(&pkts[i].meta, pkts[i].data - sizeof(pkts[i].meta),
		       sizeof(pkts[i].meta));
	}
}

static unsigned int mem_rx_burst(struct p4x_port *port, uint16_t queue,
				 struct p4x_pkt *pkts, unsigned int n)
{
	struct mem_queue *q = &to_mem(port)->q[queue];
	struct mem_desc d[P4X_BURST];
	unsigned int got;
	uint64_t v;

	n = P4X_MIN(n, (unsigned int)P4X_BURST);
	got = rte_ring_sc_dequeue_burst_elem(q->rx, d, sizeof(d[0]), n, NULL);
	if (got < n && __atomic_load_n(&q->signalled, __ATOMIC_ACQUIRE)) {
		/* Drained: re-arm the eventfd, then look once more so an
		 * inject racing with the re-arm is not left behind. */
		(void)!read(q->efd, &v, sizeof(v));
		__atomic_store_n(&q->signalled, 0, __ATOMIC_SEQ_CST);
		got += rte_ring_sc_dequeue_burst_elem(
			q->rx, d + got, sizeof(d[0]), n - got, NULL);
	}
	mem_load_pkts(port, queue, d, pkts, got);
	return got;
}

static unsigned int mem_tx_burst(struct p4x_port *port, uint16_t queue,
				 struct p4x_pkt *pkts, unsigned int n)
{
	struct port_mem *pm = to_mem(port);
	uint32_t slots[P4X_BURST];
	uint64_t addrs[P4X_BURST];
	unsigned int i, k;

	n = P4X_MIN(n, (unsigned int)P4X_BURST);
	k = rte_ring_dequeue_burst_elem(pm->cap_free, slots, sizeof(slots[0]),
					n, NULL);
	for (i = 0; i < k; i++) {
		memcpy(pm->slots + (size_t)slots[i] * P4X_FRAME_SIZE,
		       pkts[i].data, pkts[i].len);
		pm->hdrs[slots[i]].len = pkts[i].len;
		pm->hdrs[slots[i]].queue = queue;
		addrs[i] = pkts[i].addr;
	}
	rte_ring_enqueue_burst_elem(pm->cap_full, slots, sizeof(slots[0]), k,
				    NULL);
	p4x_pool__put_burst(port->pool, p4x_port__wid(port, queue), addrs, k);
	return k;
}

static void mem_poll(struct p4x_port *port, uint16_t queue)
{
}

static int mem_wait_fd(struct p4x_port *port, uint16_t queue)
{
	return to_mem(port)->q[queue].efd;
}

static void mem_get_info(const struct p4x_port *port,
			 struct p4x_port_info *info)
{
	const struct port_mem *pm = (const struct port_mem *)port;

	memset(info, 0, sizeof(*info));
	strcpy(info->name, pm->name);
	info->kind = "mem";
	info->nb_queues = pm->nb_queues;
	info->mode = P4X_PORT_MODE_NONE;
	info->link_up = true;
	memcpy(info->mac, pm->mac, 6);
	info->mtu = P4X_FRAME_SIZE - P4X_FRAME_HEADROOM - 14;
}

static void mem_queue_flush(struct p4x_pool *pool, struct mem_queue *q)
{
	struct mem_desc d;

	while (!rte_ring_dequeue_elem(q->rx, &d, sizeof(d)))
		p4x_pool__put_burst(pool, P4X_POOL_NO_CACHE, &d.addr, 1);
}

static void mem_close(struct p4x_port *port)
{
	struct port_mem *pm = to_mem(port);
	unsigned int i;

	if (!port)
		return;
	for (i = 0; i < pm->nb_queues; i++) {
		if (pm->q[i].rx)
			mem_queue_flush(port->pool, &pm->q[i]);
		free(pm->q[i].rx);
		if (pm->q[i].efd >= 0)
			close(pm->q[i].efd);
	}
	if (pm->slots)
		munmap(pm->slots,
		       (size_t)P4X_PORT_MEM_CAPTURE * P4X_FRAME_SIZE);
	free(pm->hdrs);
	free(pm->cap_free);
	free(pm->cap_full);
	free(pm);
}

static const struct p4x_port_ops port_mem_ops = {
	.kind = "mem",
	.rx_burst = mem_rx_burst,
	.tx_burst = mem_tx_burst,
	.poll = mem_poll,
	.wait_fd = mem_wait_fd,
	.get_info = mem_get_info,
	.close = mem_close,
};
