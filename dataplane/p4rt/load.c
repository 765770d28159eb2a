// SPDX-License-Identifier: BSD-3-Clause
/*
 * Loading a program object and running it per packet: the engine ops.
 * See include/p4x/p4rt.h for the theory of operation.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "p4rt_priv.h"

__thread struct p4x_p4rt_tls p4x_p4rt_tls;

/* The head of the generated struct p4tc_filter_fields. */
struct p4x_p4rt_filter_fields {
	uint32_t pipeid, handle, classid, chain, blockid;
	uint16_t proto, prio;
};

#define ETH_P_ALL_BE 0x0300 /* htons(ETH_P_ALL) */

static uint32_t in_ifindex(const struct p4x_p4rt *rt, uint16_t port)
{
	if (rt->env.port_ifindex)
		return rt->env.port_ifindex(rt->env.arg, port);
	return (uint32_t)port + 1;
}

static int egress_port(const struct p4x_p4rt *rt, uint32_t ifindex)
{
	if (rt->env.ifindex_port)
		return rt->env.ifindex_port(rt->env.arg, ifindex);
	return ifindex && ifindex <= P4X_MAX_PORTS ? (int)ifindex - 1 : -1;
}

/* Point the context at the packet as it is now. */
static void ctx_sync_in(struct p4x_p4rt_tls *c)
{
	struct __sk_buff *skb = &c->skb;
	struct p4x_pkt *pkt = c->pkt;

	skb->data = (uintptr_t)pkt->data;
	skb->data_end = (uintptr_t)pkt->data + pkt->len;
	skb->data_meta = skb->data;
	skb->len = pkt->len;
}

/* Field by field: zeroing the whole struct compiled to rep stos, a tenth
 * of the routing example's time (perf). */
static void ctx_init(struct p4x_p4rt_tls *c, struct p4x_p4rt *rt,
		     struct p4x_pkt *pkt)
{
	struct __sk_buff *skb = &c->skb;
	uint64_t off = pkt->addr - p4x_frame_base(pkt->addr);
	uint16_t proto = 0;

	c->rt = rt;
	c->pkt = pkt;
	c->frame = pkt->data - off;
	c->frame_end = c->frame + P4X_FRAME_SIZE;
	c->redirect_ifindex = 0;
	ctx_sync_in(c);
	if (pkt->len >= 14)
		memcpy(&proto, pkt->data + 12, sizeof(proto));
	skb->protocol = proto;
	memset(skb->cb, 0, sizeof(skb->cb));
	skb->ifindex = in_ifindex(rt, pkt->in_port);
	skb->ingress_ifindex = skb->ifindex;
	skb->mark = 0;
	skb->queue_mapping = pkt->in_queue;
	skb->tc_classid = 0;
	skb->tc_index = 0;
	skb->priority = 0;
	skb->tstamp = 0;
	skb->p4x_rt = rt;
}

static void pkt_drop(struct p4x_pkt *pkt, enum p4x_drop_reason reason)
{
	pkt->verdict = P4X_VERDICT_DROP;
	pkt->drop_reason = reason;
}

static int run_parse(struct p4x_p4rt_tls *c)
{
	c->act_next = 0;
	if (c->rt->parse_fn(&c->skb) != TC_ACT_PIPE) {
		pkt_drop(c->pkt, P4X_DROP_PARSER_REJECT);
		return -EINVAL;
	}
	return 0;
}

static int p4rt_parse(void *ctx, struct p4x_pkt *pkt)
{
	struct p4x_p4rt_tls *c = &p4x_p4rt_tls;

	ctx_init(c, ctx, pkt);
	return run_parse(c);
}

/* Write the context back into the packet and apply verdict @r; true
 * when the packet must go around again. */
static bool verdict(struct p4x_p4rt_tls *c, int r)
{
	const struct pna_global_metadata *md = (void *)c->skb.cb;
	struct p4x_pkt *pkt = c->pkt;
	struct p4x_p4rt *rt = c->rt;
	int port;

	pkt->data = (uint8_t *)(uintptr_t)c->skb.data;
	pkt->len = (uint32_t)(c->skb.data_end - c->skb.data);
	switch (r) {
	case TC_ACT_OK:
		pkt->verdict = P4X_VERDICT_HOST;
		pkt->drop_reason = P4X_DROP_NO_ROUTE;
		return false;
	case TC_ACT_REDIRECT:
		port = egress_port(rt, c->redirect_ifindex);
		if (p4x_unlikely(port < 0 || port >= P4X_MAX_PORTS)) {
			p4x_p4rt_cnt(rt, P4X_P4RT_CNT_NO_EGRESS);
			pkt_drop(pkt, P4X_DROP_NO_ROUTE);
			return false;
		}
		pkt->verdict = P4X_VERDICT_TX;
		pkt->out_port = (uint16_t)port;
		return false;
	case TC_ACT_UNSPEC:
		if (md->recirculated)
			return true;
		pkt->verdict = P4X_VERDICT_HOST;
		pkt->drop_reason = P4X_DROP_NO_ROUTE;
		return false;
	default:
		pkt_drop(pkt, P4X_DROP_PROG_DROP);
		return false;
	}
}

static void p4rt_main(void *ctx, struct p4x_pkt *pkt)
{
	struct p4x_p4rt_tls *c = &p4x_p4rt_tls;
	struct p4x_p4rt *rt = ctx;
	struct pna_global_metadata *md = (void *)c->skb.cb;
	unsigned int n = 0;

	if (p4x_unlikely(c->pkt != pkt || c->rt != rt) && p4rt_parse(ctx, pkt))
		return;
	while (verdict(c, rt->main_fn(&c->skb))) {
		if (++n > rt->recirc_max) {
			p4x_p4rt_cnt(rt, P4X_P4RT_CNT_RECIRC_MAX);
			pkt_drop(pkt, P4X_DROP_PROG_DROP);
			return;
		}
		p4x_p4rt_cnt(rt, P4X_P4RT_CNT_RECIRC);
		md->parser_error = 0;
		ctx_sync_in(c);
		if (run_parse(c))
			return;
	}
	c->pkt = NULL;
}

static void p4rt_destroy(void *ctx)
{
	p4x_p4rt__free(ctx);
}

static void *sym(struct p4x_p4rt *rt, const char *name, char *err, size_t errsz,
		 const char *path)
{
	void *p = dlsym(rt->handle, name);

	if (!p)
		snprintf(err, errsz, "%s: not a P4TC program object: no %s",
			 path, name);
	return p;
}

/* Give each map a place in the per-thread storage. */
static int bind_maps(struct p4x_p4rt *rt, const char *path, char *err,
		     size_t errsz)
{
	static const char *const names[] = {"hdr_md_cpumap", "xdp2tc_cpumap"};
	uint64_t off = 0, sz;
	unsigned int i;

	for (i = 0; i < P4X_ARRAY_SIZE(names); i++) {
		struct p4x_p4tc_map *m = dlsym(rt->handle, names[i]);

		if (!m)
			continue;
		sz = ((uint64_t)m->value_size * m->max_entries + 63) & ~63ull;
		if (off + sz > P4X_P4RT_MAP_BYTES) {
			snprintf(err, errsz,
				 "%s: map %s needs %llu bytes per thread, "
				 "the runtime has %u",
				 path, names[i], (unsigned long long)(off + sz),
				 P4X_P4RT_MAP_BYTES);
			return -E2BIG;
		}
		m->slot = (uint32_t)off;
		off += sz;
	}
	return 0;
}

static void set_filter_fields(struct p4x_p4rt_filter_fields *ff,
			      const struct p4x_p4rt_opts *o)
{
	ff->pipeid = o->pipeid;
	ff->handle = o->handle;
	ff->classid = o->classid;
	ff->chain = o->chain;
	ff->prio = o->prio;
	ff->proto = o->proto ? o->proto : ETH_P_ALL_BE;
}

static int bind_prog(struct p4x_p4rt *rt, const char *path,
		     const struct p4x_p4rt_opts *o, char *err, size_t errsz)
{
	const uint32_t *abi;
	void *ff;

	rt->parse_fn = sym(rt, "tc_parse_func", err, errsz, path);
	rt->main_fn = sym(rt, "tc_ingress_func", err, errsz, path);
	rt->kfuncs_slot = sym(rt, "p4x_p4tc_kfuncs", err, errsz, path);
	abi = sym(rt, "p4x_p4tc_abi_version", err, errsz, path);
	ff = sym(rt, "p4tc_filter_fields", err, errsz, path);
	if (!rt->parse_fn || !rt->main_fn || !rt->kfuncs_slot || !abi || !ff)
		return -ENOEXEC;
	if (*abi != P4X_P4TC_ABI_VERSION) {
		snprintf(err, errsz,
			 "%s: built for helper ABI %u, the runtime has %u; "
			 "rebuild it",
			 path, *abi, P4X_P4TC_ABI_VERSION);
		return -ENOEXEC;
	}
	if (*rt->kfuncs_slot) {
		snprintf(err, errsz,
			 "%s: already bound to a runtime; load a "
			 "copy of the file",
			 path);
		return -EBUSY;
	}
	set_filter_fields(ff, o);
	*rt->kfuncs_slot = &p4x_p4rt_kfuncs;
	return bind_maps(rt, path, err, errsz);
}

static void set_name(struct p4x_p4rt *rt, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strcspn(base, ".");
	snprintf(rt->name, sizeof(rt->name), "p4tc:%.*s", (int)n, base);
	rt->ops.name = rt->name;
	rt->ops.parse = p4rt_parse;
	rt->ops.main = p4rt_main;
	rt->ops.destroy = p4rt_destroy;
}

static int check_args(const char *so_path, const struct p4x_p4rt_env *env,
		      const struct p4x_p4rt_opts *opts, char *err, size_t errsz)
{
	if (!so_path || !env || !env->table || !opts ||
	    opts->sz < sizeof(*opts) || !opts->pipeid) {
		snprintf(err, errsz,
			 "p4rt load: a program path, an env with "
			 "a table callback and a non-zero pipeid are required");
		return -EINVAL;
	}
	if (access(so_path, R_OK)) {
		snprintf(err, errsz, "%s: %s", so_path, strerror(errno));
		return -errno;
	}
	return 0;
}

struct p4x_p4rt *p4x_p4rt__load(const char *so_path,
				const struct p4x_p4rt_env *env,
				const struct p4x_p4rt_opts *opts, char *err,
				size_t errsz)
{
	struct p4x_p4rt *rt;
	int ret;

	ret = check_args(so_path, env, opts, err, errsz);
	if (ret)
		goto err_out;
	ret = -ENOMEM;
	rt = aligned_alloc(P4X_CACHE_LINE, sizeof(*rt));
	if (!rt)
		goto err_out;
	memset(rt, 0, sizeof(*rt));
	rt->env = *env;
	rt->pipeid = opts->pipeid;
	rt->recirc_max = opts->recirc_max ? opts->recirc_max : 4;
	rt->adds_per_sec = opts->adds_per_sec ? opts->adds_per_sec : 1000;
	ret = p4x_p4rt_queue_new(rt,
				 opts->queue_size ? opts->queue_size : 1024);
	if (ret)
		goto err_rt;
	rt->handle = dlopen(so_path, RTLD_NOW | RTLD_LOCAL);
	if (!rt->handle) {
		snprintf(err, errsz, "%s: %s", so_path, dlerror());
		ret = -ENOEXEC;
		goto err_rt;
	}
	ret = bind_prog(rt, so_path, opts, err, errsz);
	if (ret)
		goto err_rt;
	set_name(rt, so_path);
	return rt;

err_rt:
	p4x_p4rt__free(rt);
err_out:
	errno = -ret;
	return NULL;
}

void p4x_p4rt__free(struct p4x_p4rt *rt)
{
	if (!rt)
		return;
	if (rt->kfuncs_slot && *rt->kfuncs_slot == &p4x_p4rt_kfuncs)
		*rt->kfuncs_slot = NULL;
	if (rt->handle)
		dlclose(rt->handle);
	p4x_p4rt_externs_free(rt);
	p4x_p4rt_queue_free(rt);
	free(rt);
}

void p4x_p4rt__prog(struct p4x_p4rt *rt, struct p4x_prog *prog)
{
	prog->ops = &rt->ops;
	prog->ctx = rt;
}

void p4x_p4rt__counters(const struct p4x_p4rt *rt,
			uint64_t cnt[P4X_P4RT_CNT__COUNT])
{
	unsigned int i;

	for (i = 0; i < P4X_P4RT_CNT__COUNT; i++)
		cnt[i] = __atomic_load_n(&rt->cnt[i], __ATOMIC_RELAXED);
}

const char *const p4x_p4rt_counter_keys[P4X_P4RT_CNT__COUNT] = {
#define P4X_P4RT_CNT_KEY(e, key, desc) [P4X_P4RT_CNT_##e] = key,
	P4X_P4RT_COUNTERS(P4X_P4RT_CNT_KEY)
#undef P4X_P4RT_CNT_KEY
};

const struct p4x_p4tc_kfuncs *p4x_p4rt__kfuncs(void)
{
	return &p4x_p4rt_kfuncs;
}
