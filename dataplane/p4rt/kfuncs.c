// SPDX-License-Identifier: BSD-3-Clause
/*
 * Table kfuncs and BPF helpers over the engine's tables and packets, with
 * the kernel's (P4TC v17) semantics and argument checks.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "p4x/log.h"
#include "p4rt_priv.h"

#define ETH_HLEN 14
#define ETH_P_IP_BE 0x0008   /* htons(0x0800) on little-endian */
#define ETH_P_IPV6_BE 0xdd86 /* htons(0x86dd) */
#define ADJ_ROOM_MAX 0xfff
#define ADJ_ROOM_MAC 1 /* BPF_ADJ_ROOM_MAC */

/* The key the generated code passes: keysz (bits), maskid, blob. */
struct p4x_p4rt_key_hdr {
	uint32_t keysz;
	uint32_t maskid;
};

static struct p4tc_table_entry_act_bpf *act_slot(void)
{
	struct p4x_p4rt_tls *c = &p4x_p4rt_tls;

	return &c->act[c->act_next++ % P4X_P4RT_ACT_SLOTS];
}

/* Word-wise copy: gcc turns a short variable memcpy into rep movs here,
 * which cost more than the table lookup (perf, routing example). */
static inline void copy_small(uint8_t *d, const uint8_t *s, unsigned int n)
{
	unsigned int i = 0;
	uint64_t w;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		memcpy(d + i, &w, 8);
	}
	for (; i < n; i++)
		d[i] = s[i];
}

/*
 * The returned object, in this packet's ring of slots. Only the action's
 * own @len param bytes are written: generated code reads no further (the
 * rest keeps older bytes; zeroing it cost a third of a lookup).
 */
static struct p4tc_table_entry_act_bpf *act_fill(uint32_t act_id,
						 const uint8_t *params,
						 uint16_t len, bool hit,
						 bool dflt_hit, bool dflt_miss)
{
	struct p4tc_table_entry_act_bpf *a = act_slot();

	a->act_id = act_id;
	a->hit = hit;
	a->is_default_hit_act = dflt_hit;
	a->is_default_miss_act = dflt_miss;
	if (len > sizeof(a->params))
		len = sizeof(a->params);
	copy_small(a->params, params, len);
	return a;
}

/* The table a key struct of @key__sz bytes may be looked up in. */
static struct p4x_table *key_table(struct p4x_p4rt *rt, uint32_t pipeid,
				   uint32_t tblid, const void *key,
				   uint32_t key__sz)
{
	struct p4x_p4rt_key_hdr h;
	struct p4x_table *t;
	uint32_t keylen;

	if (!key || key__sz < sizeof(h))
		return NULL;
	t = rt->env.table(rt->env.arg, pipeid, tblid);
	if (!t)
		return NULL;
	memcpy(&h, key, sizeof(h));
	keylen = p4x_table__keylen(t);
	if (key__sz < sizeof(h) + keylen || !h.keysz ||
	    (h.keysz + 7) / 8 > keylen)
		return NULL;
	return t;
}

struct p4tc_table_entry_act_bpf *
p4x_p4rt_tbl_read(struct __sk_buff *skb,
		  struct p4tc_table_entry_act_bpf_params__local *params,
		  uint32_t params__sz, void *key, uint32_t key__sz)
{
	struct p4x_p4rt *rt = p4x_p4rt_of(skb);
	const struct p4x_table_entry *e;
	const struct p4x_table_action *d;
	struct p4x_table *t = NULL;
	const void *blob;

	if (params && params__sz == sizeof(*params))
		t = key_table(rt, params->pipeid, params->tblid, key, key__sz);
	if (p4x_unlikely(!t)) {
		p4x_p4rt_cnt(rt, P4X_P4RT_CNT_TBL_BAD);
		return NULL;
	}
	blob = (const uint8_t *)key + sizeof(struct p4x_p4rt_key_hdr);
	if (p4x_table__lookup_burst(t, &blob, 1, &e)) {
		if (e->act_id)
			return act_fill(e->act_id, e->params, e->params_len,
					true, false, false);
		d = p4x_table__default_hit(t);
		if (d)
			return act_fill(d->act_id, d->params, d->params_len,
					true, true, false);
		return act_fill(0, NULL, 0, true, false, false);
	}
	d = p4x_table__default_miss(t);
	if (!d)
		return NULL;
	return act_fill(d->act_id, d->params, d->params_len, false, false,
			true);
}

/*
 * Entry writes from the datapath: create (and create on miss) are queued
 * for the control thread; update and delete are refused (-EOPNOTSUPP)
 * after the kernel's argument checks, which the only generated caller
 * (set_entry_timer_example: sizeof(params) == 8) already fails.
 */
int p4x_p4rt_entry(struct __sk_buff *skb, enum p4x_p4tc_entry_op op,
		   struct p4tc_table_entry_create_bpf_params__local *params,
		   uint32_t params__sz, void *key, uint32_t key__sz)
{
	struct p4x_p4rt *rt = p4x_p4rt_of(skb);
	struct p4x_p4rt_req req;
	struct p4x_table *t = NULL;
	uint32_t keylen;

	if (params && params__sz == sizeof(*params))
		t = key_table(rt, params->pipeid, params->tblid, key, key__sz);
	if (!t) {
		p4x_p4rt_cnt(rt, P4X_P4RT_CNT_ENTRY_BAD);
		return -EINVAL;
	}
	if (op != P4X_P4TC_ENTRY_CREATE && op != P4X_P4TC_ENTRY_CREATE_ON_MISS)
		return -EOPNOTSUPP;
	keylen = p4x_table__keylen(t);
	if (keylen > sizeof(req.key))
		return -E2BIG;
	req.type = P4X_P4RT_REQ_ADD;
	req.pipeid = params->pipeid;
	req.tblid = params->tblid;
	req.profile_id = params->profile_id;
	req.act_id = params->act_bpf.act_id;
	req.keylen = (uint16_t)keylen;
	req.params_len = sizeof(req.params);
	memcpy(req.key, (uint8_t *)key + sizeof(struct p4x_p4rt_key_hdr),
	       keylen);
	memcpy(req.params, params->act_bpf.params, sizeof(req.params));
	return p4x_p4rt_enqueue(rt, &req);
}

static void *map_lookup(const struct p4x_p4tc_map *map, const void *key)
{
	struct p4x_p4rt_tls *c = &p4x_p4rt_tls;
	uint32_t idx;

	memcpy(&idx, key, sizeof(idx));
	if (p4x_unlikely(map->slot == P4X_P4TC_MAP_UNBOUND ||
			 idx >= map->max_entries)) {
		if (c->rt)
			p4x_p4rt_cnt(c->rt, P4X_P4RT_CNT_MAP_NULL);
		return NULL;
	}
	return c->maps + map->slot + (size_t)idx * map->value_size;
}

static long redirect(uint32_t ifindex, uint64_t flags)
{
	if (flags)
		return TC_ACT_SHOT;
	p4x_p4rt_tls.redirect_ifindex = ifindex;
	return TC_ACT_REDIRECT;
}

static int adjust_check(const struct __sk_buff *skb, int32_t delta,
			uint32_t mode, uint64_t flags)
{
	uint32_t min_l3;

	if (mode != ADJ_ROOM_MAC || flags)
		return -EINVAL;
	if (skb->protocol == ETH_P_IP_BE)
		min_l3 = 20;
	else if (skb->protocol == ETH_P_IPV6_BE)
		min_l3 = 40;
	else
		return -ENOTSUP;
	if (delta > ADJ_ROOM_MAX || delta < -ADJ_ROOM_MAX ||
	    skb->len < ETH_HLEN)
		return -EINVAL;
	if (delta < 0 && ((uint32_t)-delta >= skb->len - ETH_HLEN ||
			  skb->len - ETH_HLEN - (uint32_t)-delta < min_l3))
		return -ERANGE;
	return 0;
}

/*
 * Grow: insert @delta zero bytes after the Ethernet header, moving the
 * header back into the frame headroom. Shrink: remove -@delta bytes
 * there, moving the header forward.
 */
static long skb_adjust_room(struct __sk_buff *skb, int32_t delta, uint32_t mode,
			    uint64_t flags)
{
	struct p4x_p4rt_tls *c = &p4x_p4rt_tls;
	uint8_t *data = (uint8_t *)(uintptr_t)skb->data;
	uint8_t *nd = data - delta;
	int ret;

	ret = adjust_check(skb, delta, mode, flags);
	if (!ret && (nd < c->frame || nd + skb->len + delta > c->frame_end))
		ret = -ENOMEM;
	if (ret) {
		p4x_p4rt_cnt(p4x_p4rt_of(skb), P4X_P4RT_CNT_ADJ_FAIL);
		return ret;
	}
	memmove(nd, data, ETH_HLEN);
	if (delta > 0)
		memset(nd + ETH_HLEN, 0, (size_t)delta);
	skb->data = (uintptr_t)nd;
	skb->data_meta = skb->data;
	skb->len = (uint32_t)((int64_t)skb->len + delta);
	skb->data_end = skb->data + skb->len;
	return 0;
}

static uint64_t ktime_get_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* xorshift64*, per thread, seeded from the clock on first use. */
static uint32_t get_prandom_u32(void)
{
	static __thread uint64_t s;

	if (!s)
		s = ktime_get_ns() | 1;
	s ^= s >> 12;
	s ^= s << 25;
	s ^= s >> 27;
	return (uint32_t)((s * 0x2545F4914F6CDD1Dull) >> 32);
}

static void trace(const char *fmt)
{
	struct p4x_p4rt *rt = p4x_p4rt_tls.rt;

	if (rt)
		p4x_p4rt_cnt(rt, P4X_P4RT_CNT_TRACE);
}

static bool port_is(struct __sk_buff *skb, uint32_t ifindex,
		    enum p4x_p4tc_port_class cls)
{
	struct p4x_p4rt *rt = p4x_p4rt_of(skb);

	if (!rt->env.port_class)
		return false;
	return rt->env.port_class(rt->env.arg, ifindex) == (int)cls;
}

static int skb_meta_set(struct __sk_buff *skb, struct p4tc_skb_meta_set *m,
			uint32_t sz)
{
	if (sz != sizeof(*m))
		return -EINVAL;
	if (m->bitmask & P4TC_SKB_META_SET_TSTAMP)
		skb->tstamp = m->tstamp;
	if (m->bitmask & P4TC_SKB_META_SET_MARK)
		skb->mark = m->mark;
	if (m->bitmask & P4TC_SKB_META_SET_CLASSID)
		skb->tc_classid = m->tc_classid;
	if (m->bitmask & P4TC_SKB_META_SET_TC_INDEX)
		skb->tc_index = m->tc_index;
	if (m->bitmask & P4TC_SKB_META_SET_QMAP)
		skb->queue_mapping = m->queue_mapping;
	if (m->bitmask & P4TC_SKB_META_SET_PROTO)
		skb->protocol = m->protocol;
	return 0;
}

/* The program runs at ingress of the port the packet came from. */
static int skb_meta_get(struct __sk_buff *skb, struct p4tc_skb_meta_get *m,
			uint32_t sz)
{
	if (sz != sizeof(*m))
		return -EINVAL;
	if (m->bitmask & P4TC_SKB_META_GET_AT_INGRESS_BIT)
		m->tc_at_ingress = 1;
	if (m->bitmask & P4TC_SKB_META_GET_FROM_INGRESS_BIT)
		m->from_ingress = 1;
	return 0;
}

const struct p4x_p4tc_kfuncs p4x_p4rt_kfuncs = {
	.abi_version = P4X_P4TC_ABI_VERSION,
	.map_lookup = map_lookup,
	.redirect = redirect,
	.skb_adjust_room = skb_adjust_room,
	.ktime_get_ns = ktime_get_ns,
	.get_prandom_u32 = get_prandom_u32,
	.trace = trace,
	.tbl_read = p4x_p4rt_tbl_read,
	.entry = p4x_p4rt_entry,
	.count = p4x_p4rt_count,
	.meter = p4x_p4rt_meter,
	.md_read = p4x_p4rt_md_read,
	.md_write = p4x_p4rt_md_write,
	.digest_pack = p4x_p4rt_digest_pack,
	.csum16_clear = p4x_p4rt_csum16_clear,
	.csum16_add = p4x_p4rt_csum16_add,
	.csum16_sub = p4x_p4rt_csum16_sub,
	.csum16_get = p4x_p4rt_csum16_get,
	.csum16_set_state = p4x_p4rt_csum16_set_state,
	.crc16_add = p4x_p4rt_crc16_add,
	.crc32_add = p4x_p4rt_crc32_add,
	.crc16 = p4x_p4rt_crc16,
	.crc32 = p4x_p4rt_crc32,
	.hash_16bit_complement = p4x_p4rt_hash_16bit_complement,
	.port_is = port_is,
	.skb_meta_set = skb_meta_set,
	.skb_meta_get = skb_meta_get,
};
