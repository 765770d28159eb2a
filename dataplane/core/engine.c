// SPDX-License-Identifier: BSD-3-Clause
/*
 * The engine, control side: pool, ports, program publication (RCU),
 * worker start/stop, counters. The data path is worker.c.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <rte_ring.h>
#include <rte_ring_elem.h>
#include <urcu/urcu-qsbr.h>

#include "p4x/log.h"
#include "core.h"
#include "engine_priv.h"
#include "worker_sched.h"

#define ENGINE_QSBR_DEFAULT 64
/* Descriptors per cross-worker ring (one producer, one consumer). */
#define XRING_SIZE 1024

const char *const p4x_port_counter_keys[P4X_PORT_CNT__COUNT] = {
#define P4X_X_KEY(name, key) [P4X_PORT_CNT_##name] = key,
	P4X_PORT_COUNTERS(P4X_X_KEY)
#undef P4X_X_KEY
};

const char *const p4x_drop_reason_keys[P4X_DROP__COUNT] = {
#define P4X_X_KEY(name, key, desc) [P4X_DROP_##name] = key,
	P4X_DROP_REASONS(P4X_X_KEY)
#undef P4X_X_KEY
};

const char *const p4x_drop_reason_descs[P4X_DROP__COUNT] = {
#define P4X_X_DESC(name, key, desc) [P4X_DROP_##name] = desc,
	P4X_DROP_REASONS(P4X_X_DESC)
#undef P4X_X_DESC
};

struct p4x_engine *p4x_engine__new(const struct p4x_engine_opts *opts)
{
	struct p4x_pool_opts popts = {.sz = sizeof(popts)};
	struct p4x_engine *eng;
	unsigned int i;

	eng = calloc(1, sizeof(*eng));
	if (!eng)
		return NULL;
	for (i = 0; i < P4X_MAX_PORTS; i++)
		eng->host_fd[i] = -1;
	if (opts)
		memcpy(&eng->opts, opts,
		       P4X_MIN(opts->sz ? opts->sz : sizeof(*opts),
			       sizeof(eng->opts)));
	eng->opts.sz = sizeof(eng->opts);
	if (!eng->opts.qsbr_interval)
		eng->opts.qsbr_interval = ENGINE_QSBR_DEFAULT;
	if (eng->opts.nb_cores && !eng->opts.cores) {
		p4x_warn("engine: nb_cores %u given without cores",
			 eng->opts.nb_cores);
		free(eng);
		errno = EINVAL;
		return NULL;
	}
	popts.nb_frames = eng->opts.nb_frames;
	eng->pool = p4x_pool__new(&popts);
	if (!eng->pool) {
		free(eng);
		return NULL;
	}
	return eng;
}

static void engine_free_workers(struct p4x_engine *eng)
{
	unsigned int i;

	for (i = 0; i < eng->nb_rings; i++)
		free(eng->rings[i]);
	free(eng->rings);
	eng->rings = NULL;
	eng->nb_rings = 0;
	for (i = 0; eng->workers && i < eng->nb_workers; i++) {
		if (!eng->workers[i])
			continue;
		free(eng->workers[i]->in);
		if (eng->workers[i]->wake_fd >= 0)
			close(eng->workers[i]->wake_fd);
		free(eng->workers[i]);
	}
	free(eng->workers);
	eng->workers = NULL;
}

void p4x_engine__free(struct p4x_engine *eng)
{
	unsigned int i;

	if (!eng)
		return;
	p4x_engine__stop(eng);
	engine_free_workers(eng);
	p4x_engine__free_scheds(eng);
	for (i = 0; i < eng->nb_ports; i++)
		eng->ports[i]->ops->close(eng->ports[i]);
	if (eng->prog) {
		if (eng->prog->ops->destroy)
			eng->prog->ops->destroy(eng->prog->ctx);
		free(eng->prog);
	}
	p4x_pool__free(eng->pool);
	free(eng);
}

struct p4x_pool *p4x_engine__pool(struct p4x_engine *eng)
{
	return eng->pool;
}

static int add_port_check(struct p4x_engine *eng, struct p4x_port *port,
			  const struct p4x_port_info *info)
{
	if (eng->running) {
		p4x_warn("engine: cannot add port '%s' while running",
			 info->name);
		return -EBUSY;
	}
	if (port->pool != eng->pool) {
		p4x_warn(
			"engine: port '%s' uses another pool than the engine's",
			info->name);
		return -EINVAL;
	}
	if (eng->nb_ports >= P4X_MAX_PORTS) {
		p4x_warn("engine: port '%s': already %d ports", info->name,
			 P4X_MAX_PORTS);
		return -ENOSPC;
	}
	if (eng->nb_workers + info->nb_queues > P4X_MAX_QUEUES) {
		p4x_warn("engine: port '%s': more than %d queues in total",
			 info->name, P4X_MAX_QUEUES);
		return -ENOSPC;
	}
	if (p4x_engine__port_by_name(eng, info->name) >= 0) {
		p4x_warn("engine: port '%s' already added", info->name);
		return -EEXIST;
	}
	return 0;
}

int p4x_engine__add_port(struct p4x_engine *eng, struct p4x_port *port)
{
	struct p4x_port_info info;
	int err;

	if (!port)
		return -EINVAL;
	port->ops->get_info(port, &info);
	err = add_port_check(eng, port, &info);
	if (err) {
		port->ops->close(port);
		return err;
	}
	port->index = (uint16_t)eng->nb_ports;
	port->wid_base = (uint16_t)eng->nb_workers;
	eng->ports[eng->nb_ports] = port;
	eng->port_nbq[eng->nb_ports] = info.nb_queues;
	eng->nb_workers += info.nb_queues;
	return (int)eng->nb_ports++;
}

unsigned int p4x_engine__nb_ports(const struct p4x_engine *eng)
{
	return eng->nb_ports;
}

struct p4x_port *p4x_engine__port(struct p4x_engine *eng, unsigned int index)
{
	return index < eng->nb_ports ? eng->ports[index] : NULL;
}

int p4x_engine__port_by_name(const struct p4x_engine *eng, const char *name)
{
	struct p4x_port_info info;
	unsigned int i;

	for (i = 0; i < eng->nb_ports; i++) {
		eng->ports[i]->ops->get_info(eng->ports[i], &info);
		if (!strcmp(info.name, name))
			return (int)i;
	}
	return -ENOENT;
}

int p4x_engine__set_prog(struct p4x_engine *eng, const struct p4x_prog *prog)
{
	struct p4x_prog *np, *old;

	if (!prog || !prog->ops || !prog->ops->parse || !prog->ops->main)
		return -EINVAL;
	np = malloc(sizeof(*np));
	if (!np)
		return -ENOMEM;
	*np = *prog;
	old = rcu_xchg_pointer(&eng->prog, np);
	if (!old)
		return 0;
	urcu_qsbr_synchronize_rcu();
	if (old->ops->destroy)
		old->ops->destroy(old->ctx);
	free(old);
	return 0;
}

int p4x_engine__set_host_fd(struct p4x_engine *eng, unsigned int index, int fd)
{
	if (index >= eng->nb_ports)
		return -ENOENT;
	CMM_STORE_SHARED(eng->host_fd[index], fd < 0 ? -1 : fd);
	return 0;
}

static struct p4x_worker *worker_new(struct p4x_engine *eng, unsigned int port,
				     uint16_t queue)
{
	struct p4x_worker *w;
	unsigned int id = eng->ports[port]->wid_base + queue;

	w = aligned_alloc(P4X_CACHE_LINE, sizeof(*w));
	if (!w)
		return NULL;
	memset(w, 0, sizeof(*w));
	w->eng = eng;
	w->area = p4x_pool__area(eng->pool);
	w->port = eng->ports[port];
	w->port_idx = (uint16_t)port;
	w->queue = queue;
	w->id = id;
	w->core = eng->opts.nb_cores ? eng->opts.cores[id % eng->opts.nb_cores]
				     : -1;
	w->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (w->wake_fd < 0) {
		free(w);
		return NULL;
	}
	p4x_squeue__attach(w);
	return w;
}

static struct rte_ring *xring_new(struct p4x_engine *eng, unsigned int src,
				  unsigned int dst)
{
	ssize_t size =
		rte_ring_get_memsize_elem(sizeof(struct p4x_xdesc), XRING_SIZE);
	char name[RTE_RING_NAMESIZE];
	struct rte_ring *r;

	snprintf(name, sizeof(name), "p4x_x%u_%u", src, dst);
	if (size < 0 || posix_memalign((void **)&r, P4X_CACHE_LINE, size))
		return NULL;
	if (rte_ring_init(r, name, XRING_SIZE, RING_F_SP_ENQ | RING_F_SC_DEQ)) {
		free(r);
		return NULL;
	}
	eng->rings[eng->nb_rings++] = r;
	return r;
}

/* Ring from @w to the worker owning queue (w->id mod nbq) of @port. */
static int link_out(struct p4x_engine *eng, struct p4x_worker *w,
		    unsigned int port)
{
	struct p4x_worker *dst;
	struct rte_ring **in;

	dst = eng->workers[eng->ports[port]->wid_base +
			   w->id % eng->port_nbq[port]];
	w->out[port].dst = dst;
	w->out[port].ring = xring_new(eng, w->id, dst->id);
	if (!w->out[port].ring)
		return -ENOMEM;
	in = realloc(dst->in, (dst->nb_in + 1) * sizeof(*in));
	if (!in)
		return -ENOMEM;
	in[dst->nb_in++] = w->out[port].ring;
	dst->in = in;
	return 0;
}

static int engine_build(struct p4x_engine *eng)
{
	unsigned int p, q, i, id = 0;
	int err;

	eng->workers = calloc(eng->nb_workers, sizeof(*eng->workers));
	eng->rings = calloc((size_t)eng->nb_workers * eng->nb_ports + 1,
			    sizeof(*eng->rings));
	if (!eng->workers || !eng->rings)
		return -ENOMEM;
	for (p = 0; p < eng->nb_ports; p++)
		for (q = 0; q < eng->port_nbq[p]; q++) {
			eng->workers[id] = worker_new(eng, p, (uint16_t)q);
			if (!eng->workers[id++])
				return -errno;
		}
	for (i = 0; i < eng->nb_workers; i++)
		for (p = 0; p < eng->nb_ports; p++) {
			if (p == eng->workers[i]->port_idx)
				continue;
			err = link_out(eng, eng->workers[i], p);
			if (err)
				return err;
		}
	return 0;
}

static int worker_spawn(struct p4x_worker *w)
{
	pthread_attr_t attr;
	cpu_set_t set;
	int err;

	pthread_attr_init(&attr);
	if (w->core >= 0) {
		CPU_ZERO(&set);
		CPU_SET(w->core, &set);
		pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
	}
	err = -pthread_create(&w->thread, &attr, p4x_worker__main, w);
	pthread_attr_destroy(&attr);
	if (err) {
		p4x_warn("engine: worker %u (core %d): %s", w->id, w->core,
			 strerror(-err));
		return err;
	}
	w->started = true;
	return 0;
}

static void engine_join(struct p4x_engine *eng)
{
	unsigned int i;

	CMM_STORE_SHARED(eng->stop, 1);
	cmm_smp_mb();
	for (i = 0; i < eng->nb_workers; i++)
		if (eng->workers[i] && eng->workers[i]->started)
			p4x_worker__kick(eng->workers[i]);
	for (i = 0; i < eng->nb_workers; i++)
		if (eng->workers[i] && eng->workers[i]->started) {
			pthread_join(eng->workers[i]->thread, NULL);
			eng->workers[i]->started = false;
		}
}

int p4x_engine__start(struct p4x_engine *eng)
{
	unsigned int i;
	int err;

	if (eng->running)
		return -EALREADY;
	if (!eng->nb_ports) {
		p4x_warn("engine: no port to start workers on");
		return -EINVAL;
	}
	engine_free_workers(eng);
	CMM_STORE_SHARED(eng->stop, 0);
	err = engine_build(eng);
	for (i = 0; !err && i < eng->nb_workers; i++)
		err = worker_spawn(eng->workers[i]);
	if (err) {
		engine_join(eng);
		engine_free_workers(eng);
		return err;
	}
	eng->running = true;
	return 0;
}

/* Give back frames left in the cross rings once every worker stopped. */
static void engine_drain_rings(struct p4x_engine *eng)
{
	struct p4x_xdesc d;
	unsigned int i;

	for (i = 0; i < eng->nb_rings; i++)
		while (!rte_ring_dequeue_elem(eng->rings[i], &d, sizeof(d)))
			p4x_pool__put_burst(eng->pool, P4X_POOL_NO_CACHE,
					    &d.addr, 1);
}

void p4x_engine__stop(struct p4x_engine *eng)
{
	if (!eng->running)
		return;
	engine_join(eng);
	engine_drain_rings(eng);
	eng->running = false;
}

static uint64_t rd(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

int p4x_engine__port_stats(const struct p4x_engine *eng, unsigned int index,
			   struct p4x_port_stats *stats)
{
	const struct p4x_port *port;
	const struct p4x_worker *w;
	unsigned int i, k;

	if (index >= eng->nb_ports)
		return -ENOENT;
	memset(stats, 0, sizeof(*stats));
	for (i = 0; eng->workers && i < eng->nb_workers; i++) {
		w = eng->workers[i];
		for (k = 0; w->port_idx == index && k < P4X_PORT_CNT__COUNT;
		     k++)
			stats->cnt[k] += rd(&w->c.cnt[k]);
		for (k = 0; k < P4X_DROP__COUNT; k++)
			stats->drop[k] += rd(&w->c.drop[index][k]);
	}
	port = eng->ports[index];
	for (i = 0; port->ops->add_counters && i < eng->port_nbq[index]; i++)
		port->ops->add_counters(port, (uint16_t)i, stats->cnt);
	return 0;
}

int p4x_engine__port_xdp_stats(const struct p4x_engine *eng, unsigned int index,
			       struct p4x_xdp_stats *stats)
{
	const struct p4x_port *port;

	if (index >= eng->nb_ports)
		return -ENOENT;
	port = eng->ports[index];
	if (!port->ops->xdp_stats)
		return -EOPNOTSUPP;
	return port->ops->xdp_stats(port, stats);
}

void p4x_engine__fwd_default_src(const struct p4x_engine *eng,
				 struct p4x_fwd_rule *rules, unsigned int n)
{
	static const uint8_t zero[6];
	struct p4x_port_info info;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if ((rules[i].flags & P4X_FWD_SET_SRC) ||
		    rules[i].out_port >= eng->nb_ports)
			continue;
		eng->ports[rules[i].out_port]->ops->get_info(
			eng->ports[rules[i].out_port], &info);
		if (!memcmp(info.mac, zero, 6))
			continue;
		memcpy(rules[i].src, info.mac, 6);
		rules[i].flags |= P4X_FWD_SET_SRC;
	}
}

unsigned int p4x_engine__nb_workers(const struct p4x_engine *eng)
{
	return eng->nb_workers;
}

int p4x_engine__worker_info(const struct p4x_engine *eng, unsigned int id,
			    struct p4x_worker_info *info)
{
	const struct p4x_worker *w;
	unsigned int p, k;

	if (id >= eng->nb_workers || !eng->workers)
		return -ENOENT;
	w = eng->workers[id];
	memset(info, 0, sizeof(*info));
	info->id = w->id;
	info->core = w->core;
	info->port = w->port_idx;
	info->queue = w->queue;
	info->rx_packets = rd(&w->c.cnt[P4X_PORT_CNT_RX_PACKETS]);
	info->tx_packets = rd(&w->c.cnt[P4X_PORT_CNT_TX_PACKETS]);
	for (p = 0; p < P4X_MAX_PORTS; p++)
		for (k = 0; k < P4X_DROP__COUNT; k++)
			info->drops += rd(&w->c.drop[p][k]);
	info->loops = rd(&w->c.loops);
	info->busy_loops = rd(&w->c.busy_loops);
	info->online = CMM_LOAD_SHARED(w->online);
	return 0;
}
