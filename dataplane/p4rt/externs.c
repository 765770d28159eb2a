// SPDX-License-Identifier: BSD-3-Clause
/*
 * Extern instances and their kfuncs: indirect counters, registers,
 * meters (RFC 2698 trTCM) and digests.
 *
 * Elements are shared by every worker without locks: counters use atomic
 * adds; meters refill with an atomic exchange of the last-seen time and
 * take tokens with atomic subtractions (a burst may briefly go a few
 * packets over under contention); register values are copied byte-wise,
 * so a read racing a write of a wide value may see a mix of both.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p4rt_priv.h"

#define NS 1000000000ull
#define METER_RED 0
#define METER_GREEN 1
#define METER_YELLOW 2
#define REG_ELEM 64u

static struct p4x_p4rt_ext *ext_find(const struct p4x_p4rt *rt,
				     enum p4x_p4rt_extern_kind kind,
				     uint32_t ext_id, uint32_t inst_id)
{
	unsigned int i;

	for (i = 0; i < rt->next_ext; i++) {
		const struct p4x_p4rt_ext *x = &rt->ext[i];

		if (x->kind == kind && x->ext_id == ext_id &&
		    x->inst_id == inst_id && !x->tbl_id)
			return (struct p4x_p4rt_ext *)x;
	}
	return NULL;
}

/* The element @params names, or NULL (counted). */
static void *elem(struct __sk_buff *skb, enum p4x_p4rt_extern_kind kind,
		  const struct p4tc_ext_bpf_params *params, size_t elem_sz)
{
	struct p4x_p4rt *rt = p4x_p4rt_of(skb);
	struct p4x_p4rt_ext *x;

	x = ext_find(rt, kind, params->ext_id, params->inst_id);
	if (p4x_unlikely(!x || params->index >= x->numel)) {
		p4x_p4rt_cnt(rt, P4X_P4RT_CNT_EXT_MISS);
		return NULL;
	}
	return (uint8_t *)x->elems + (size_t)params->index * elem_sz;
}

/* The direct element of table params->tbl_id for @key, or NULL
 * (counted). */
static void *direct(struct __sk_buff *skb, enum p4x_p4rt_extern_kind kind,
		    const struct p4tc_ext_bpf_params *params, const void *key,
		    uint32_t key__sz)
{
	struct p4x_p4rt *rt = p4x_p4rt_of(skb);
	struct p4x_p4rt_ext *x = p4x_p4rt_direct_find(rt, kind, params->tbl_id);
	void *e = x && params->tbl_id
			  ? p4x_p4rt_direct_elem(rt, x, key, key__sz)
			  : NULL;

	if (p4x_unlikely(!e))
		p4x_p4rt_cnt(rt, P4X_P4RT_CNT_EXT_MISS);
	return e;
}

int p4x_p4rt_count(struct __sk_buff *skb, enum p4x_p4tc_count what,
		   struct p4tc_ext_bpf_params *params, uint32_t params__sz,
		   void *key, uint32_t key__sz)
{
	struct p4x_p4rt_cnt_elem *e;

	if (!params || params__sz != sizeof(*params))
		return -EINVAL;
	if (params->flags & P4TC_EXT_CNT_DIRECT)
		e = direct(skb, P4X_P4RT_COUNTER, params, key, key__sz);
	else
		e = elem(skb, P4X_P4RT_COUNTER, params, sizeof(*e));
	if (!e)
		return -ENOENT;
	if (what & P4X_P4TC_COUNT_PKTS)
		__atomic_fetch_add(&e->pkts, 1, __ATOMIC_RELAXED);
	if (what & P4X_P4TC_COUNT_BYTES)
		__atomic_fetch_add(&e->bytes, skb->len, __ATOMIC_RELAXED);
	return 0;
}

static void meter_refill(struct p4x_p4rt_meter_elem *m,
			 const struct p4x_p4rt_meter_cfg *cfg, uint64_t now)
{
	uint64_t last = __atomic_exchange_n(&m->last_ns, now, __ATOMIC_RELAXED);
	uint64_t dt = last && now > last ? now - last : 0;
	uint64_t tc, tp;

	if (dt > NS)
		dt = NS;
	tc = __atomic_load_n(&m->tc, __ATOMIC_RELAXED) + dt * cfg->cir;
	tp = __atomic_load_n(&m->tp, __ATOMIC_RELAXED) + dt * cfg->pir;
	__atomic_store_n(&m->tc, P4X_MIN(tc, cfg->cbs * NS), __ATOMIC_RELAXED);
	__atomic_store_n(&m->tp, P4X_MIN(tp, cfg->pbs * NS), __ATOMIC_RELAXED);
}

/* Take @n units from bucket @b if it holds them. */
static bool take(uint64_t *b, uint64_t n)
{
	uint64_t cur = __atomic_load_n(b, __ATOMIC_RELAXED);

	do {
		if (cur < n)
			return false;
	} while (!__atomic_compare_exchange_n(
		b, &cur, cur - n, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	return true;
}

int p4x_p4rt_meter(struct __sk_buff *skb, bool bytes, bool color_aware,
		   struct p4tc_ext_bpf_params *params, uint32_t params__sz,
		   void *key, uint32_t key__sz)
{
	struct p4x_p4rt *rt = p4x_p4rt_of(skb);
	struct p4x_p4rt_meter_elem *m;
	struct p4x_p4rt_ext *x;
	uint32_t in = METER_GREEN;
	uint64_t n;

	if (!params || params__sz != sizeof(*params))
		return -EINVAL;
	if (color_aware) {
		memcpy(&in, params->in_params, sizeof(in));
		if (in > METER_YELLOW)
			return -EINVAL;
	}
	if (params->flags & P4TC_EXT_METER_DIRECT) {
		m = direct(skb, P4X_P4RT_METER, params, key, key__sz);
		x = p4x_p4rt_direct_find(rt, P4X_P4RT_METER, params->tbl_id);
	} else {
		m = elem(skb, P4X_P4RT_METER, params, sizeof(*m));
		x = ext_find(rt, P4X_P4RT_METER, params->ext_id,
			     params->inst_id);
	}
	if (!m)
		return -ENOENT;
	meter_refill(m, &x->meter, p4x_p4rt_kfuncs.ktime_get_ns());
	n = (bytes ? skb->len : 1) * NS;
	if (in == METER_RED || !take(&m->tp, n))
		return METER_RED;
	if (in == METER_YELLOW || !take(&m->tc, n))
		return METER_YELLOW;
	return METER_GREEN;
}

struct p4tc_ext_bpf_val *p4x_p4rt_md_read(struct __sk_buff *skb,
					  struct p4tc_ext_bpf_params *params,
					  uint32_t params__sz)
{
	struct p4tc_ext_bpf_val *v = &p4x_p4rt_tls.val;
	const uint8_t *e;

	if (!params || params__sz != sizeof(*params) || !params->index)
		return NULL;
	e = elem(skb, P4X_P4RT_REGISTER, params, REG_ELEM);
	if (!e)
		return NULL;
	v->ext_id = params->ext_id;
	v->index_id = params->index;
	v->verdict = 0;
	memcpy(v->out_params, e, sizeof(v->out_params));
	return v;
}

int p4x_p4rt_md_write(struct __sk_buff *skb, struct p4tc_ext_bpf_params *params,
		      uint32_t params__sz, struct p4tc_ext_bpf_val *val,
		      uint32_t val__sz)
{
	struct p4x_p4rt *rt = p4x_p4rt_of(skb);
	struct p4x_p4rt_ext *x;
	uint8_t *e;

	if (!params || params__sz != sizeof(*params) || !val ||
	    val__sz != sizeof(*val))
		return -EINVAL;
	if (!params->index)
		return -EPERM;
	e = elem(skb, P4X_P4RT_REGISTER, params, REG_ELEM);
	if (!e)
		return -ENOENT;
	x = ext_find(rt, P4X_P4RT_REGISTER, params->ext_id, params->inst_id);
	memcpy(e, val->out_params, x->value_size);
	return 0;
}

int p4x_p4rt_digest_pack(struct __sk_buff *skb,
			 struct p4tc_ext_bpf_params *params,
			 uint32_t params__sz)
{
	struct p4x_p4rt *rt = p4x_p4rt_of(skb);
	struct p4x_p4rt_req req;

	if (!params || params__sz != sizeof(*params) || params->index)
		return -EINVAL;
	if (!rt->env.digest) {
		p4x_p4rt_cnt(rt, P4X_P4RT_CNT_DIGEST_DROP);
		return -ESRCH;
	}
	memset(&req, 0, offsetof(struct p4x_p4rt_req, key));
	req.type = P4X_P4RT_REQ_DIGEST;
	req.pipeid = params->pipe_id;
	req.ext_id = params->ext_id;
	req.inst_id = params->inst_id;
	req.params_len = P4X_P4RT_DIGEST_MAX;
	memcpy(req.params, params->in_params, P4X_P4RT_DIGEST_MAX);
	return p4x_p4rt_enqueue(rt, &req);
}

static int spec_check(const struct p4x_p4rt *rt,
		      const struct p4x_p4rt_extern_spec *s, char *err,
		      size_t errsz)
{
	if (s->kind < P4X_P4RT_COUNTER || s->kind > P4X_P4RT_METER ||
	    (!s->inst_id && !s->tbl_id) || !s->numel || s->numel > (1u << 24) ||
	    (s->kind == P4X_P4RT_REGISTER &&
	     (!s->value_size || s->value_size > REG_ELEM)) ||
	    (s->kind == P4X_P4RT_METER &&
	     (s->meter.pir < s->meter.cir || !s->meter.cbs || !s->meter.pbs))) {
		snprintf(err, errsz,
			 "extern spec: needs a kind, an instance "
			 "id (or a table id), 1..16M elements, a register "
			 "value of 1..64 "
			 "bytes, meter pir >= cir and non-zero bursts");
		return -EINVAL;
	}
	if (s->tbl_id && s->kind == P4X_P4RT_REGISTER) {
		snprintf(err, errsz,
			 "extern spec: only counters and meters "
			 "can be direct");
		return -EINVAL;
	}
	if (s->tbl_id ? p4x_p4rt_direct_find(rt, s->kind, s->tbl_id) != NULL
		      : ext_find(rt, s->kind, s->ext_id, s->inst_id) != NULL) {
		snprintf(err, errsz, "extern 0x%x instance %u exists",
			 s->ext_id, s->inst_id);
		return -EEXIST;
	}
	if (rt->next_ext == P4X_P4RT_MAX_EXTERNS) {
		snprintf(err, errsz, "at most %u extern instances",
			 P4X_P4RT_MAX_EXTERNS);
		return -ENOSPC;
	}
	return 0;
}

static size_t elem_size(enum p4x_p4rt_extern_kind kind)
{
	switch (kind) {
	case P4X_P4RT_COUNTER:
		return sizeof(struct p4x_p4rt_cnt_elem);
	case P4X_P4RT_METER:
		return sizeof(struct p4x_p4rt_meter_elem);
	default:
		return REG_ELEM;
	}
}

int p4x_p4rt__extern_add(struct p4x_p4rt *rt,
			 const struct p4x_p4rt_extern_spec *spec, char *err,
			 size_t errsz)
{
	struct p4x_p4rt_extern_spec sp = {0};
	struct p4x_p4rt_ext *x;
	uint32_t i;
	int ret;

	/* specs from before tbl_id existed are zero-extended */
	if (spec && spec->sz >= offsetof(struct p4x_p4rt_extern_spec, tbl_id))
		memcpy(&sp, spec, P4X_MIN(spec->sz, sizeof(sp)));
	sp.sz = sizeof(sp);
	spec = &sp;
	ret = spec_check(rt, spec, err, errsz);
	if (ret)
		return ret;
	x = &rt->ext[rt->next_ext];
	memset(x, 0, sizeof(*x));
	x->kind = spec->kind;
	x->tbl_id = spec->tbl_id;
	x->numel = spec->numel;
	x->meter = spec->meter;
	if (spec->tbl_id) {
		ret = p4x_p4rt_direct_init(rt, x, err, errsz);
		if (!ret)
			rt->next_ext++;
		return ret;
	}
	x->elems = calloc(spec->numel, elem_size(spec->kind));
	if (!x->elems)
		return -ENOMEM;
	x->ext_id = spec->ext_id;
	x->inst_id = spec->inst_id;
	x->numel = spec->numel;
	x->value_size = spec->value_size;
	x->meter = spec->meter;
	for (i = 0; spec->kind == P4X_P4RT_METER && i < spec->numel; i++) {
		struct p4x_p4rt_meter_elem *m = x->elems;

		m[i].tc = spec->meter.cbs * NS;
		m[i].tp = spec->meter.pbs * NS;
	}
	rt->next_ext++;
	return 0;
}

int p4x_p4rt__counter_read(const struct p4x_p4rt *rt, uint32_t ext_id,
			   uint32_t inst_id, uint32_t index, uint64_t *pkts,
			   uint64_t *bytes)
{
	const struct p4x_p4rt_ext *x;
	struct p4x_p4rt_cnt_elem *e;

	x = ext_find(rt, P4X_P4RT_COUNTER, ext_id, inst_id);
	if (!x || index >= x->numel)
		return -ENOENT;
	e = (struct p4x_p4rt_cnt_elem *)x->elems + index;
	*pkts = __atomic_load_n(&e->pkts, __ATOMIC_RELAXED);
	*bytes = __atomic_load_n(&e->bytes, __ATOMIC_RELAXED);
	return 0;
}

int p4x_p4rt__register_read(const struct p4x_p4rt *rt, uint32_t ext_id,
			    uint32_t inst_id, uint32_t index, void *buf,
			    size_t len)
{
	const struct p4x_p4rt_ext *x;

	x = ext_find(rt, P4X_P4RT_REGISTER, ext_id, inst_id);
	if (!x || index >= x->numel)
		return -ENOENT;
	memcpy(buf, (uint8_t *)x->elems + (size_t)index * REG_ELEM,
	       P4X_MIN(len, x->value_size));
	return 0;
}

int p4x_p4rt__register_write(struct p4x_p4rt *rt, uint32_t ext_id,
			     uint32_t inst_id, uint32_t index, const void *buf,
			     size_t len)
{
	struct p4x_p4rt_ext *x;

	x = ext_find(rt, P4X_P4RT_REGISTER, ext_id, inst_id);
	if (!x || index >= x->numel)
		return -ENOENT;
	memcpy((uint8_t *)x->elems + (size_t)index * REG_ELEM, buf,
	       P4X_MIN(len, x->value_size));
	return 0;
}

void p4x_p4rt_externs_free(struct p4x_p4rt *rt)
{
	unsigned int i;

	for (i = 0; i < rt->next_ext; i++)
		free(rt->ext[i].elems);
	rt->next_ext = 0;
}
