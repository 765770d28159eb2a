/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals of the native P4TC program runtime (include/p4x/p4rt.h). */
#ifndef P4X_P4RT_PRIV_H
#define P4X_P4RT_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "p4x/p4rt.h"
#include "p4x/pkt.h"
#include "p4x_p4tc_abi.h"

/* Per-thread storage for the program's maps (hdr_md_cpumap...). */
#define P4X_P4RT_MAP_BYTES 16384u
/* Lookup results alive at once in one packet (a ring of slots). */
#define P4X_P4RT_ACT_SLOTS 16u
#define P4X_P4RT_MAX_EXTERNS 32u
#define P4X_P4RT_KEY_MAX 128u
#define P4X_P4RT_DIGEST_MAX 64u

/* One extern instance. */
struct p4x_p4rt_ext {
	enum p4x_p4rt_extern_kind kind;
	uint32_t ext_id, inst_id, numel, value_size;
	struct p4x_p4rt_meter_cfg meter;
	void *elems; /* numel elements of the kind's element type */
	/* direct externs (tbl_id != 0): elems is a table of keyed slots */
	uint32_t tbl_id, keylen, mask, slot_size;
};

struct p4x_p4rt_cnt_elem {
	uint64_t pkts, bytes;
};

/* trTCM state: token counts in units scaled by 1e9 (per ns of rate). */
struct p4x_p4rt_meter_elem {
	uint64_t tc, tp; /* tokens (units * 1e9) */
	uint64_t last_ns;
	uint32_t lock; /* 0 free, 1 taken: a try-lock, never waited on */
};

/* A queued datapath request (adds and digests). */
enum p4x_p4rt_req_type {
	P4X_P4RT_REQ_ADD = 1,
	P4X_P4RT_REQ_DIGEST = 2,
};

struct p4x_p4rt_req {
	uint32_t type;
	uint32_t pipeid, tblid, profile_id, act_id;
	uint32_t ext_id, inst_id;
	uint16_t keylen, params_len;
	uint8_t key[P4X_P4RT_KEY_MAX];
	uint8_t params[P4TC_MAX_PARAM_DATA_SIZE];
};

struct p4x_p4rt {
	/* hot: read per packet */
	int (*parse_fn)(struct __sk_buff *skb);
	int (*main_fn)(struct __sk_buff *skb);
	struct p4x_p4rt_env env;
	uint32_t pipeid;
	unsigned int recirc_max;
	uint32_t adds_per_sec;
	unsigned int next_ext;
	struct p4x_p4rt_ext ext[P4X_P4RT_MAX_EXTERNS];
	struct rte_ring *queue;
	/* rate limit window (coarse ms clock) */
	uint64_t rl_window_ms;
	uint32_t rl_count;
	uint64_t cnt[P4X_P4RT_CNT__COUNT] __p4x_cache_aligned;
	/* cold */
	void *handle;
	const struct p4x_p4tc_kfuncs **kfuncs_slot;
	struct p4x_prog_ops ops;
	char name[80];
};

/* The per-thread packet context. */
struct p4x_p4rt_tls {
	struct __sk_buff skb;
	struct p4x_p4rt *rt;
	struct p4x_pkt *pkt;
	uint8_t *frame;	    /* first byte of the packet's frame */
	uint8_t *frame_end; /* one past its last byte */
	uint32_t redirect_ifindex;
	unsigned int act_next;
	struct p4tc_table_entry_act_bpf act[P4X_P4RT_ACT_SLOTS];
	struct p4tc_ext_bpf_val val;
	uint8_t maps[P4X_P4RT_MAP_BYTES] __attribute__((aligned(64)));
};

extern __thread struct p4x_p4rt_tls p4x_p4rt_tls;

static inline void p4x_p4rt_cnt(struct p4x_p4rt *rt, enum p4x_p4rt_counter c)
{
	__atomic_fetch_add(&rt->cnt[c], 1, __ATOMIC_RELAXED);
}

static inline struct p4x_p4rt *p4x_p4rt_of(struct __sk_buff *skb)
{
	return skb->p4x_rt;
}

/* kfuncs.c, externs.c, csum.c, queue.c */
extern const struct p4x_p4tc_kfuncs p4x_p4rt_kfuncs;

struct p4tc_table_entry_act_bpf *
p4x_p4rt_tbl_read(struct __sk_buff *skb,
		  struct p4tc_table_entry_act_bpf_params__local *params,
		  uint32_t params__sz, void *key, uint32_t key__sz);
int p4x_p4rt_entry(struct __sk_buff *skb, enum p4x_p4tc_entry_op op,
		   struct p4tc_table_entry_create_bpf_params__local *params,
		   uint32_t params__sz, void *key, uint32_t key__sz);

int p4x_p4rt_count(struct __sk_buff *skb, enum p4x_p4tc_count what,
		   struct p4tc_ext_bpf_params *params, uint32_t params__sz,
		   void *key, uint32_t key__sz);
int p4x_p4rt_meter(struct __sk_buff *skb, bool bytes, bool color_aware,
		   struct p4tc_ext_bpf_params *params, uint32_t params__sz,
		   void *key, uint32_t key__sz);
struct p4tc_ext_bpf_val *p4x_p4rt_md_read(struct __sk_buff *skb,
					  struct p4tc_ext_bpf_params *params,
					  uint32_t params__sz);
int p4x_p4rt_md_write(struct __sk_buff *skb, struct p4tc_ext_bpf_params *params,
		      uint32_t params__sz, struct p4tc_ext_bpf_val *val,
		      uint32_t val__sz);
int p4x_p4rt_digest_pack(struct __sk_buff *skb,
			 struct p4tc_ext_bpf_params *params,
			 uint32_t params__sz);
void p4x_p4rt_externs_free(struct p4x_p4rt *rt);

/* direct.c */
int p4x_p4rt_direct_init(struct p4x_p4rt *rt, struct p4x_p4rt_ext *x, char *err,
			 size_t errsz);
struct p4x_p4rt_ext *p4x_p4rt_direct_find(const struct p4x_p4rt *rt,
					  enum p4x_p4rt_extern_kind kind,
					  uint32_t tbl_id);
void *p4x_p4rt_direct_elem(struct p4x_p4rt *rt, struct p4x_p4rt_ext *x,
			   const void *key, uint32_t key__sz);

void p4x_p4rt_csum16_clear(struct p4tc_ext_csum_params *p, uint32_t sz);
uint32_t p4x_p4rt_csum16_add(struct p4tc_ext_csum_params *p, uint32_t sz,
			     const void *data, int len);
int p4x_p4rt_csum16_sub(struct p4tc_ext_csum_params *p, uint32_t sz,
			const void *data, uint32_t len);
uint16_t p4x_p4rt_csum16_get(struct p4tc_ext_csum_params *p, uint32_t sz);
void p4x_p4rt_csum16_set_state(struct p4tc_ext_csum_params *p, uint32_t sz,
			       uint16_t csum);
uint16_t p4x_p4rt_crc16_add(struct p4tc_ext_csum_params *p, uint32_t sz,
			    const void *data, uint32_t len);
uint32_t p4x_p4rt_crc32_add(struct p4tc_ext_csum_params *p, uint32_t sz,
			    const void *data, uint32_t len);
uint16_t p4x_p4rt_crc16(const void *data, uint32_t len, uint16_t seed);
uint32_t p4x_p4rt_crc32(const void *data, uint32_t len, uint32_t seed);
uint16_t p4x_p4rt_hash_16bit_complement(const void *data, uint32_t len,
					uint16_t seed);

/* queue.c: 0, -ENOSPC (rate limit or full; counted). */
int p4x_p4rt_queue_new(struct p4x_p4rt *rt, uint32_t size);
void p4x_p4rt_queue_free(struct p4x_p4rt *rt);
int p4x_p4rt_enqueue(struct p4x_p4rt *rt, const struct p4x_p4rt_req *req);

#endif /* P4X_P4RT_PRIV_H */
