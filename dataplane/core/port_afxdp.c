// SPDX-License-Identifier: BSD-3-Clause
/*
 * The AF_XDP port (include/p4x/port_afxdp.h).
 *
 * One UMEM per pool (the pool's area), created by the first AF_XDP port
 * and kept in the pool's umem slot with a reference count; every socket
 * of every AF_XDP port is created on it with xsk_socket__create_shared(),
 * each with its own fill and completion rings. libxdp binds the first
 * socket with our bind flags and the others with XDP_SHARED_UMEM only
 * (the kernel refuses flags on shared sockets; they inherit copy/zero-copy
 * and need_wakeup from the UMEM). libxdp's own program load is inhibited:
 * the steering program is attached by p4x_xdp__attach() and each socket
 * goes into its XSKMAP at its queue.
 *
 * Per queue, on its one worker: rx_burst peeks the rx ring; tx_burst
 * fills the tx ring and kicks the kernel when the ring asks for a wakeup;
 * poll() kicks again while the kernel left descriptors in the tx ring
 * (copy mode sends at most a batch per kick), returns completed frames to
 * the pool and refills the fill ring from the pool cache of the queue's
 * worker. No allocation per packet. The port counts, per queue,
 * fill_ring_empty (refills that found the fill ring empty: the kernel may
 * have dropped for want of frames) and tx_wakeups (sendto kicks).
 */
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/if_xdp.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <xdp/xsk.h>

#include "p4x/log.h"
#include "p4x/port_afxdp.h"
#include "core.h"

#define AFX_RING_DEFAULT 2048u
/* sendto() kicks per tx burst or poll, 32 descriptors each in copy mode. */
#define AFX_MAX_KICKS 4
#define AFX_BIND_RETRY_MS 50
#define AFX_BIND_STEP_MS 5
#define AFX_REFILL_BURSTS 8

struct afx_umem {
	struct xsk_umem *umem;
	struct xsk_ring_prod fill; /* handed to the first socket */
	struct xsk_ring_cons comp;
	unsigned int refs;  /* ports using it */
	unsigned int socks; /* sockets bound on it */
	uint32_t ring_size;
};

struct afx_queue {
	struct xsk_ring_cons rx;
	struct xsk_ring_prod tx;
	struct xsk_ring_prod fill;
	struct xsk_ring_cons comp;
	struct xsk_socket *xsk;
	int fd;
	bool zero_copy;	     /* bound in zero-copy mode */
	uint32_t tx_pending; /* sent, not completed */
	uint64_t fill_empty; /* owner-written counters */
	uint64_t tx_wakeups;
} __p4x_cache_aligned;

struct port_afxdp {
	struct p4x_port base;
	char name[P4X_IFNAMSIZ];
	int ifindex;
	uint16_t nb_queues;
	uint8_t *area;
	struct p4x_xdp *xdp;
	struct afx_umem *umem;
	struct afx_queue q[];
};

static const struct p4x_port_ops port_afxdp_ops;

static struct port_afxdp *to_afx(struct p4x_port *port)
{
	return (struct port_afxdp *)port;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {0, ms * 1000000L};

	nanosleep(&ts, NULL);
}

/* Real rx queues of @ifname: ETHTOOL_GCHANNELS, else sysfs. */
static int afx_rx_queues(const char *ifname)
{
	struct ethtool_channels ch = {.cmd = ETHTOOL_GCHANNELS};
	struct ifreq ifr = {0};
	char path[96];
	int fd, ret, n;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (char *)&ch;
	ret = ioctl(fd, SIOCETHTOOL, &ifr);
	close(fd);
	if (!ret)
		return (int)(ch.rx_count + ch.combined_count);
	for (n = 0; n < P4X_MAX_QUEUES + 1; n++) {
		snprintf(path, sizeof(path), "/sys/class/net/%s/queues/rx-%d",
			 ifname, n);
		if (access(path, F_OK))
			break;
	}
	return n ? n : 1;
}

static int afx_check_args(const char *ifname, uint16_t nb_queues,
			  struct p4x_pool *pool,
			  const struct p4x_port_afxdp_opts *o)
{
	int avail;

	if (!ifname || !*ifname || strlen(ifname) >= P4X_IFNAMSIZ ||
	    !nb_queues || nb_queues > P4X_MAX_QUEUES || !pool ||
	    (o->ring_size & (o->ring_size - 1))) {
		p4x_warn("afxdp '%s': bad arguments (name 1..%d chars, queues "
			 "1..%d, a pool, ring size a power of 2)",
			 ifname ? ifname : "(null)", P4X_IFNAMSIZ - 1,
			 P4X_MAX_QUEUES);
		return -EINVAL;
	}
	if (!if_nametoindex(ifname)) {
		p4x_warn("afxdp: no interface named '%s'", ifname);
		return -ENODEV;
	}
	avail = afx_rx_queues(ifname);
	if (avail < nb_queues) {
		p4x_warn("afxdp %s: %d rx queue(s) configured, %u asked (raise "
			 "them with ethtool -L %s rx %u)",
			 ifname, avail, nb_queues, ifname, nb_queues);
		return -EINVAL;
	}
	return 0;
}

static int afx_umem_get(struct port_afxdp *pa, uint32_t ring_size)
{
	void **slot = p4x_pool__umem_slot(pa->base.pool);
	struct xsk_umem_config cfg = {
		.fill_size = ring_size,
		.comp_size = ring_size,
		.frame_size = P4X_FRAME_SIZE,
		.frame_headroom = 0,
	};
	struct afx_umem *u = *slot;
	int err;

	if (!u) {
		u = calloc(1, sizeof(*u));
		if (!u)
			return -ENOMEM;
		err = xsk_umem__create(&u->umem, p4x_pool__area(pa->base.pool),
				       p4x_pool__area_size(pa->base.pool),
				       &u->fill, &u->comp, &cfg);
		if (err) {
			p4x_warn("afxdp %s: UMEM registration failed: %s",
				 pa->name, strerror(-err));
			free(u);
			return err;
		}
		u->ring_size = ring_size;
		*slot = u;
	}
	u->refs++;
	pa->umem = u;
	return 0;
}

static void afx_umem_put(struct port_afxdp *pa)
{
	struct afx_umem *u = pa->umem;

	if (!u || --u->refs)
		return;
	xsk_umem__delete(u->umem);
	free(u);
	*p4x_pool__umem_slot(pa->base.pool) = NULL;
	pa->umem = NULL;
}

/*
 * Re-create an unused UMEM: after a failed first bind libxdp leaves the
 * UMEM's rings in a state a retry cannot reuse.
 */
static int afx_umem_reset(struct port_afxdp *pa)
{
	uint32_t ring_size = pa->umem->ring_size;

	if (pa->umem->socks || pa->umem->refs != 1)
		return 0;
	afx_umem_put(pa);
	return afx_umem_get(pa, ring_size);
}

static int afx_sock_try(struct port_afxdp *pa, struct afx_queue *q,
			uint16_t queue, uint16_t bind_flags)
{
	struct xsk_socket_config cfg = {
		.rx_size = pa->umem->ring_size,
		.tx_size = pa->umem->ring_size,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = bind_flags | XDP_USE_NEED_WAKEUP,
	};

	return xsk_socket__create_shared(&q->xsk, pa->name, queue,
					 pa->umem->umem, &q->rx, &q->tx,
					 &q->fill, &q->comp, &cfg);
}

static bool afx_sock_zero_copy(int fd)
{
	struct xdp_options xo = {0};
	socklen_t len = sizeof(xo);

	return !getsockopt(fd, SOL_XDP, XDP_OPTIONS, &xo, &len) &&
	       (xo.flags & XDP_OPTIONS_ZEROCOPY);
}

static int afx_sock_open(struct port_afxdp *pa, uint16_t queue,
			 uint16_t bind_flags)
{
	struct afx_queue *q = &pa->q[queue];
	int err, waited = 0;

	while ((err = afx_sock_try(pa, q, queue, bind_flags)) == -EBUSY &&
	       waited < AFX_BIND_RETRY_MS) {
		/* A socket closed just before may still hold the queue. */
		sleep_ms(AFX_BIND_STEP_MS);
		waited += AFX_BIND_STEP_MS;
		err = afx_umem_reset(pa);
		if (err)
			return err;
	}
	if (err) {
		q->xsk = NULL;
		p4x_warn("afxdp %s: AF_XDP socket on queue %u: %s", pa->name,
			 queue, strerror(-err));
		return err;
	}
	pa->umem->socks++;
	q->fd = xsk_socket__fd(q->xsk);
	q->zero_copy = afx_sock_zero_copy(q->fd);
	err = xsk_socket__update_xskmap(q->xsk, p4x_xdp__xsks_map_fd(pa->xdp));
	if (err)
		p4x_warn("afxdp %s: XSKMAP insert of queue %u: %s", pa->name,
			 queue, strerror(-err));
	return err;
}

/* Put up to a burst of frames into the fill ring; returns how many. */
static uint32_t afx_refill(struct p4x_port *port, uint16_t queue,
			   unsigned int wid)
{
	struct afx_queue *q = &to_afx(port)->q[queue];
	uint64_t addrs[P4X_BURST];
	uint32_t n, i, idx;

	n = xsk_prod_nb_free(&q->fill, P4X_BURST);
	if (n == q->fill.size)
		q->fill_empty++;
	n = P4X_MIN(n, (uint32_t)P4X_BURST);
	n = p4x_pool__get_burst(port->pool, wid, addrs, n);
	if (!n || xsk_ring_prod__reserve(&q->fill, n, &idx) != n) {
		p4x_pool__put_burst(port->pool, wid, addrs, n);
		return 0;
	}
	for (i = 0; i < n; i++)
		*xsk_ring_prod__fill_addr(&q->fill, idx + i) = addrs[i];
	xsk_ring_prod__submit(&q->fill, n);
	return n;
}

/* Fill every fill ring before the workers start (control thread). */
static void afx_fill_all(struct port_afxdp *pa)
{
	unsigned int i, k;

	for (i = 0; i < pa->nb_queues; i++)
		for (k = 0; k < pa->q[i].fill.size / P4X_BURST; k++)
			afx_refill(&pa->base, (uint16_t)i, P4X_POOL_NO_CACHE);
	for (i = 0; i < pa->nb_queues; i++)
		pa->q[i].fill_empty = 0;
}

static int afx_open(struct port_afxdp *pa, const struct p4x_port_afxdp_opts *o)
{
	struct p4x_xdp_opts xo = {
		.sz = sizeof(xo),
		.mode = o->mode,
		.host_flags = o->host_flags,
		.replace_stale = o->replace_stale,
	};
	unsigned int i;
	int err;

	pa->xdp = p4x_xdp__attach(pa->name, &xo);
	if (!pa->xdp)
		return -errno;
	err = afx_umem_get(pa, o->ring_size ? o->ring_size : AFX_RING_DEFAULT);
	if (err)
		return err;
	for (i = 0; i < pa->nb_queues; i++) {
		err = afx_sock_open(pa, (uint16_t)i, o->bind_flags);
		if (err)
			return err;
	}
	afx_fill_all(pa);
	return 0;
}

struct p4x_port *p4x_port_afxdp__new(const char *ifname, uint16_t nb_queues,
				     struct p4x_pool *pool,
				     const struct p4x_port_afxdp_opts *opts)
{
	struct p4x_port_afxdp_opts o = {0};
	struct port_afxdp *pa;
	size_t sz;
	int err;

	if (opts)
		memcpy(&o, opts,
		       P4X_MIN(opts->sz ? opts->sz : sizeof(o), sizeof(o)));
	err = afx_check_args(ifname, nb_queues, pool, &o);
	if (err)
		goto err_out;
	err = -ENOMEM;
	sz = sizeof(*pa) + nb_queues * sizeof(pa->q[0]);
	pa = aligned_alloc(P4X_CACHE_LINE, (sz + P4X_CACHE_LINE -
					    1) & ~(size_t)(P4X_CACHE_LINE - 1));
	if (!pa)
		goto err_out;
	memset(pa, 0, sz);
	pa->base.ops = &port_afxdp_ops;
	pa->base.pool = pool;
	pa->nb_queues = nb_queues;
	pa->area = p4x_pool__area(pool);
	pa->ifindex = (int)if_nametoindex(ifname);
	strcpy(pa->name, ifname);
	err = afx_open(pa, &o);
	if (err)
		goto err_port;
	return &pa->base;

err_port:
	port_afxdp_ops.close(&pa->base);
err_out:
	errno = -err;
	return NULL;
}

static void afx_load_meta(struct p4x_pkt *p)
{
	struct p4x_xdp_meta *m = (struct p4x_xdp_meta *)(p->data - sizeof(*m));

	if (p4x_likely(m->magic == P4X_META_MAGIC)) {
		p->meta = *m;
		m->magic = 0; /* the kernel does not clear reused headroom */
	} else {
		p->meta.magic = 0;
	}
}

static unsigned int afx_rx_burst(struct p4x_port *port, uint16_t queue,
				 struct p4x_pkt *pkts, unsigned int n)
{
	struct port_afxdp *pa = to_afx(port);
	struct afx_queue *q = &pa->q[queue];
	const struct xdp_desc *d;
	uint32_t idx, i;

	n = xsk_ring_cons__peek(&q->rx, n, &idx);
	for (i = 0; i < n; i++) {
		d = xsk_ring_cons__rx_desc(&q->rx, idx + i);
		pkts[i].addr = d->addr;
		pkts[i].data = pa->area + d->addr;
		pkts[i].len = d->len;
		pkts[i].in_port = port->index;
		pkts[i].in_queue = queue;
		afx_load_meta(&pkts[i]);
	}
	if (n)
		xsk_ring_cons__release(&q->rx, n);
	return n;
}

/* Descriptors in the tx ring the kernel has not taken yet. */
static bool afx_tx_unsent(const struct afx_queue *q)
{
	return __atomic_load_n(q->tx.consumer, __ATOMIC_ACQUIRE) !=
	       q->tx.cached_prod;
}

/*
 * In copy mode one sendto() transmits at most 32 descriptors (the kernel's
 * TX_BATCH_SIZE), so kick until the kernel took everything, stopped making
 * progress (completion ring full, device busy), or AFX_MAX_KICKS passed.
 */
static void afx_kick(struct afx_queue *q)
{
	uint32_t before;
	unsigned int i;

	if (!xsk_ring_prod__needs_wakeup(&q->tx))
		return;
	for (i = 0; i < AFX_MAX_KICKS && afx_tx_unsent(q); i++) {
		before = __atomic_load_n(q->tx.consumer, __ATOMIC_ACQUIRE);
		q->tx_wakeups++;
		sendto(q->fd, NULL, 0, MSG_DONTWAIT, NULL, 0);
		if (__atomic_load_n(q->tx.consumer, __ATOMIC_ACQUIRE) == before)
			break;
	}
}

static unsigned int afx_tx_burst(struct p4x_port *port, uint16_t queue,
				 struct p4x_pkt *pkts, unsigned int n)
{
	struct afx_queue *q = &to_afx(port)->q[queue];
	struct xdp_desc *d;
	uint32_t idx, i;

	n = P4X_MIN(n, xsk_prod_nb_free(&q->tx, n));
	if (!n || xsk_ring_prod__reserve(&q->tx, n, &idx) != n)
		return 0;
	for (i = 0; i < n; i++) {
		d = xsk_ring_prod__tx_desc(&q->tx, idx + i);
		d->addr = pkts[i].addr;
		d->len = pkts[i].len;
		d->options = 0;
	}
	xsk_ring_prod__submit(&q->tx, n);
	q->tx_pending += n;
	afx_kick(q);
	return n;
}

static void afx_reap(struct p4x_port *port, uint16_t queue, unsigned int wid)
{
	struct afx_queue *q = &to_afx(port)->q[queue];
	uint64_t addrs[P4X_BURST];
	uint32_t n, i, idx;

	n = xsk_ring_cons__peek(&q->comp, P4X_BURST, &idx);
	if (!n)
		return;
	for (i = 0; i < n; i++)
		addrs[i] = *xsk_ring_cons__comp_addr(&q->comp, idx + i);
	xsk_ring_cons__release(&q->comp, n);
	q->tx_pending -= n;
	p4x_pool__put_burst(port->pool, wid, addrs, n);
}

static void afx_poll(struct p4x_port *port, uint16_t queue)
{
	struct afx_queue *q = &to_afx(port)->q[queue];
	unsigned int wid = p4x_port__wid(port, queue), k;

	if (q->tx_pending && afx_tx_unsent(q))
		afx_kick(q);
	afx_reap(port, queue, wid);
	/* Catch up after the worker was away (descheduled, asleep): a few
	 * bursts per call, so the kernel does not run out of frames. */
	for (k = 0; k < AFX_REFILL_BURSTS; k++)
		if (afx_refill(port, queue, wid) < P4X_BURST)
			break;
	/* Only a zero-copy driver waits for a fill-ring wakeup; in copy
	 * mode the kernel fills from the ring as packets come. */
	if (q->zero_copy && xsk_ring_prod__needs_wakeup(&q->fill))
		recvfrom(q->fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
}

static int afx_wait_fd(struct p4x_port *port, uint16_t queue)
{
	return to_afx(port)->q[queue].fd;
}

static void afx_add_counters(const struct p4x_port *port, uint16_t queue,
			     uint64_t cnt[P4X_PORT_CNT__COUNT])
{
	const struct afx_queue *q =
		&((const struct port_afxdp *)port)->q[queue];

	cnt[P4X_PORT_CNT_FILL_EMPTY] +=
		__atomic_load_n(&q->fill_empty, __ATOMIC_RELAXED);
	cnt[P4X_PORT_CNT_TX_WAKEUPS] +=
		__atomic_load_n(&q->tx_wakeups, __ATOMIC_RELAXED);
}

static int afx_xdp_stats(const struct p4x_port *port,
			 struct p4x_xdp_stats *stats)
{
	return p4x_xdp__stats(((const struct port_afxdp *)port)->xdp, stats);
}

static void afx_link_info(const char *name, struct p4x_port_info *info)
{
	struct ifreq ifr = {0};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (!ioctl(fd, SIOCGIFFLAGS, &ifr))
		info->link_up = (ifr.ifr_flags & (IFF_UP | IFF_RUNNING)) ==
				(IFF_UP | IFF_RUNNING);
	if (!ioctl(fd, SIOCGIFHWADDR, &ifr))
		memcpy(info->mac, ifr.ifr_hwaddr.sa_data, 6);
	if (!ioctl(fd, SIOCGIFMTU, &ifr))
		info->mtu = (uint32_t)ifr.ifr_mtu;
	close(fd);
}

static void afx_get_info(const struct p4x_port *port,
			 struct p4x_port_info *info)
{
	const struct port_afxdp *pa = (const struct port_afxdp *)port;

	memset(info, 0, sizeof(*info));
	strcpy(info->name, pa->name);
	info->kind = "afxdp";
	info->ifindex = pa->ifindex;
	info->nb_queues = pa->nb_queues;
	info->mode = pa->xdp ? p4x_xdp__mode(pa->xdp) : P4X_PORT_MODE_NONE;
	info->multi_prog = pa->xdp && p4x_xdp__multi_prog(pa->xdp);
	info->zero_copy = pa->q[0].xsk && pa->q[0].zero_copy;
	afx_link_info(pa->name, info);
}

/* Frames the kernel still holds in a producer ring [consumer, producer). */
static void afx_reclaim_prod(struct p4x_pool *pool, struct xsk_ring_prod *r,
			     bool tx)
{
	uint32_t i, cons = __atomic_load_n(r->consumer, __ATOMIC_ACQUIRE);
	uint64_t addr;

	for (i = cons; i != r->cached_prod; i++) {
		addr = tx ? ((struct xdp_desc *)r->ring)[i & r->mask].addr
			  : ((uint64_t *)r->ring)[i & r->mask];
		p4x_pool__put_burst(pool, P4X_POOL_NO_CACHE, &addr, 1);
	}
}

/* Return every frame the queue's rings still hold to the pool. */
static void afx_reclaim(struct port_afxdp *pa, struct afx_queue *q)
{
	struct p4x_pool *pool = pa->base.pool;
	struct p4x_pkt pkts[P4X_BURST];
	unsigned int n, i;

	while ((n = afx_rx_burst(&pa->base, (uint16_t)(q - pa->q), pkts,
				 P4X_BURST)))
		for (i = 0; i < n; i++)
			p4x_pool__put_burst(pool, P4X_POOL_NO_CACHE,
					    &pkts[i].addr, 1);
	while (q->tx_pending && xsk_cons_nb_avail(&q->comp, 1))
		afx_reap(&pa->base, (uint16_t)(q - pa->q), P4X_POOL_NO_CACHE);
	afx_reclaim_prod(pool, &q->fill, false);
	afx_reclaim_prod(pool, &q->tx, true);
}

static void afx_close(struct p4x_port *port)
{
	struct port_afxdp *pa = to_afx(port);
	unsigned int i;

	if (!port)
		return;
	/* No new redirects, then take the frames back, then unbind. */
	p4x_xdp__detach(pa->xdp);
	for (i = 0; i < pa->nb_queues; i++) {
		if (!pa->q[i].xsk)
			continue;
		afx_reclaim(pa, &pa->q[i]);
		xsk_socket__delete(pa->q[i].xsk);
		pa->umem->socks--;
	}
	afx_umem_put(pa);
	free(pa);
}

static const struct p4x_port_ops port_afxdp_ops = {
	.kind = "afxdp",
	.rx_burst = afx_rx_burst,
	.tx_burst = afx_tx_burst,
	.poll = afx_poll,
	.wait_fd = afx_wait_fd,
	.add_counters = afx_add_counters,
	.xdp_stats = afx_xdp_stats,
	.get_info = afx_get_info,
	.close = afx_close,
};
