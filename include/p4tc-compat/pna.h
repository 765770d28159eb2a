/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pna.h for native builds of P4TC programs: PNA types and metadata, the
 * P4TC table and extern kfuncs, and the skb-metadata helpers p4c's
 * generated code calls. Include after ebpf_kernel.h (as P_parser.h does).
 * Every kfunc is a trampoline into the runtime bound at load
 * (p4x_p4tc_abi.h); the runtime checks the *__sz arguments as the kernel
 * does.
 */
#ifndef P4X_PNA_H
#define P4X_PNA_H

#include <stdbool.h>

#include "ebpf_kernel.h"

typedef __u8 ParserError_t;
typedef __u32 PortId_t;
typedef __u64 Timestamp_t;
typedef __u8 ClassOfService_t;
typedef __u16 CloneSessionId_t;
typedef __u32 MulticastGroup_t;
typedef __u16 EgressInstance_t;
typedef __u8 MirrorSlotId_t;
typedef __u16 MirrorSessionId_t;

/* P4 core errors (values >= 7 are the program's own). */
static const ParserError_t NoError = 0;
static const ParserError_t PacketTooShort = 1;
static const ParserError_t NoMatch = 2;
static const ParserError_t StackOutOfBounds = 3;
static const ParserError_t HeaderTooShort = 4;
static const ParserError_t ParserTimeout = 5;
static const ParserError_t ParserInvalidArgument = 6;

enum PNA_Source_t { FROM_HOST, FROM_NET };

#define EXTERN_IS_NET_PORT 1234
#define EXTERN_IS_HOST_PORT 4567

/* PNA externs on the metadata in skb->cb (compiler_meta__ is the
 * generated local pointing at it). */
#define send_to_port(x) (compiler_meta__->egress_port = (x))
#define drop_packet() (compiler_meta__->drop = true)

/* --- tables -------------------------------------------------------------- */

static inline struct p4tc_table_entry_act_bpf *
bpf_p4tc_tbl_read(struct __sk_buff *skb_ctx,
		  struct p4tc_table_entry_act_bpf_params__local *params,
		  const u32 params__sz, void *key, const __u32 key__sz)
{
	return p4x_p4tc_kfuncs->tbl_read(skb_ctx, params, params__sz, key,
					 key__sz);
}

#define P4X_PNA_ENTRY_KFUNC(name, op)                                          \
	static inline int name(                                                \
		struct __sk_buff *skb_ctx,                                     \
		struct p4tc_table_entry_create_bpf_params__local *params,      \
		const u32 params__sz, void *key, const u32 key__sz)            \
	{                                                                      \
		return p4x_p4tc_kfuncs->entry(skb_ctx, op, params, params__sz, \
					      key, key__sz);                   \
	}
P4X_PNA_ENTRY_KFUNC(bpf_p4tc_entry_create, P4X_P4TC_ENTRY_CREATE)
P4X_PNA_ENTRY_KFUNC(bpf_p4tc_entry_create_on_miss,
		    P4X_P4TC_ENTRY_CREATE_ON_MISS)
P4X_PNA_ENTRY_KFUNC(bpf_p4tc_entry_update, P4X_P4TC_ENTRY_UPDATE)
P4X_PNA_ENTRY_KFUNC(bpf_p4tc_entry_delete, P4X_P4TC_ENTRY_DELETE)
#undef P4X_PNA_ENTRY_KFUNC

/* --- counters and meters ------------------------------------------------- */

#define P4X_PNA_COUNT_KFUNC(name, what)                                        \
	static inline int name(                                                \
		struct __sk_buff *skb_ctx, struct p4tc_ext_bpf_params *params, \
		const u32 params__sz, void *key, const u32 key__sz)            \
	{                                                                      \
		return p4x_p4tc_kfuncs->count(skb_ctx, what, params,           \
					      params__sz, key, key__sz);       \
	}
P4X_PNA_COUNT_KFUNC(bpf_p4tc_extern_count_pkts, P4X_P4TC_COUNT_PKTS)
P4X_PNA_COUNT_KFUNC(bpf_p4tc_extern_count_bytes, P4X_P4TC_COUNT_BYTES)
P4X_PNA_COUNT_KFUNC(bpf_p4tc_extern_count_pktsnbytes, P4X_P4TC_COUNT_BOTH)
#undef P4X_PNA_COUNT_KFUNC

#define P4X_PNA_METER_KFUNC(name, bytes, color)                                \
	static inline int name(                                                \
		struct __sk_buff *skb_ctx, struct p4tc_ext_bpf_params *params, \
		const u32 params__sz, void *key, const u32 key__sz)            \
	{                                                                      \
		return p4x_p4tc_kfuncs->meter(skb_ctx, bytes, color, params,   \
					      params__sz, key, key__sz);       \
	}
P4X_PNA_METER_KFUNC(bpf_p4tc_extern_meter_pkts, false, false)
P4X_PNA_METER_KFUNC(bpf_p4tc_extern_meter_bytes, true, false)
P4X_PNA_METER_KFUNC(bpf_p4tc_extern_meter_pkts_color, false, true)
P4X_PNA_METER_KFUNC(bpf_p4tc_extern_meter_bytes_color, true, true)
#undef P4X_PNA_METER_KFUNC

/* --- registers and digests ----------------------------------------------- */

static inline struct p4tc_ext_bpf_val *
bpf_p4tc_extern_md_read(struct __sk_buff *skb_ctx,
			struct p4tc_ext_bpf_params *params,
			const u32 params__sz)
{
	return p4x_p4tc_kfuncs->md_read(skb_ctx, params, params__sz);
}

static inline int bpf_p4tc_extern_md_write(struct __sk_buff *skb_ctx,
					   struct p4tc_ext_bpf_params *params,
					   const u32 params__sz,
					   struct p4tc_ext_bpf_val *val,
					   const u32 val__sz)
{
	return p4x_p4tc_kfuncs->md_write(skb_ctx, params, params__sz, val,
					 val__sz);
}

static inline int
bpf_p4tc_extern_digest_pack(struct __sk_buff *skb,
			    struct p4tc_ext_bpf_params *params,
			    const u32 params__sz)
{
	return p4x_p4tc_kfuncs->digest_pack(skb, params, params__sz);
}

/* --- checksums and hashes ------------------------------------------------ */

static inline void
bpf_p4tc_ext_csum_16bit_complement_clear(struct p4tc_ext_csum_params *params,
					 const u32 params__sz)
{
	p4x_p4tc_kfuncs->csum16_clear(params, params__sz);
}

static inline __wsum
bpf_p4tc_ext_csum_16bit_complement_add(struct p4tc_ext_csum_params *params,
				       const u32 params__sz, const void *data,
				       int len)
{
	return (__wsum)p4x_p4tc_kfuncs->csum16_add(params, params__sz, data,
						   len);
}

static inline int
bpf_p4tc_ext_csum_16bit_complement_sub(struct p4tc_ext_csum_params *params,
				       const u32 params__sz, const void *data,
				       const u32 data__sz)
{
	return p4x_p4tc_kfuncs->csum16_sub(params, params__sz, data, data__sz);
}

static inline u16
bpf_p4tc_ext_csum_16bit_complement_get(struct p4tc_ext_csum_params *params,
				       const u32 params__sz)
{
	return p4x_p4tc_kfuncs->csum16_get(params, params__sz);
}

static inline void bpf_p4tc_ext_csum_16bit_complement_set_state(
	struct p4tc_ext_csum_params *params, const u32 params__sz, u16 csum)
{
	p4x_p4tc_kfuncs->csum16_set_state(params, params__sz, csum);
}

static inline void
bpf_p4tc_ext_csum_crc16_clear(struct p4tc_ext_csum_params *params,
			      const u32 params__sz)
{
	p4x_p4tc_kfuncs->csum16_clear(params, params__sz);
}

static inline u16
bpf_p4tc_ext_csum_crc16_add(struct p4tc_ext_csum_params *params,
			    const u32 params__sz, const void *data,
			    const u32 data__sz)
{
	return p4x_p4tc_kfuncs->crc16_add(params, params__sz, data, data__sz);
}

static inline u16
bpf_p4tc_ext_csum_crc16_get(struct p4tc_ext_csum_params *params,
			    const u32 params__sz)
{
	return params__sz == sizeof(*params) ? (u16)params->csum : 0;
}

static inline void
bpf_p4tc_ext_csum_crc32_clear(struct p4tc_ext_csum_params *params,
			      const u32 params__sz)
{
	p4x_p4tc_kfuncs->csum16_clear(params, params__sz);
}

static inline u32
bpf_p4tc_ext_csum_crc32_add(struct p4tc_ext_csum_params *params,
			    const u32 params__sz, const void *data,
			    const u32 data__sz)
{
	return p4x_p4tc_kfuncs->crc32_add(params, params__sz, data, data__sz);
}

static inline u32
bpf_p4tc_ext_csum_crc32_get(struct p4tc_ext_csum_params *params,
			    const u32 params__sz)
{
	return params__sz == sizeof(*params) ? params->csum ^ 0xFFFFFFFFu : 0;
}

static inline u16 bpf_p4tc_ext_hash_crc16(const void *data, int len, u16 seed)
{
	return p4x_p4tc_kfuncs->crc16(data, (u32)len, seed);
}

static inline u32 bpf_p4tc_ext_hash_crc32(const void *data, const u32 data__sz,
					  u32 seed)
{
	return p4x_p4tc_kfuncs->crc32(data, data__sz, seed);
}

static inline u16 bpf_p4tc_ext_hash_16bit_complement(const void *data,
						     const u32 data__sz,
						     u16 seed)
{
	return p4x_p4tc_kfuncs->hash_16bit_complement(data, data__sz, seed);
}

static inline u16 bpf_p4tc_ext_hash_base_crc16(const void *data,
					       const u32 data__sz, u32 base,
					       u32 max, u16 seed)
{
	u16 hash = bpf_p4tc_ext_hash_crc16(data, (int)data__sz, seed);

	return (u16)(base + (max ? hash % max : 0));
}

static inline u32 bpf_p4tc_ext_hash_base_crc32(const void *data,
					       const u32 data__sz, u32 base,
					       u32 max, u32 seed)
{
	u32 hash = bpf_p4tc_ext_hash_crc32(data, data__sz, seed);

	return base + (max ? hash % max : 0);
}

static inline u16 bpf_p4tc_ext_hash_base_16bit_complement(const void *data,
							  const u32 data__sz,
							  u32 base, u32 max,
							  u16 seed)
{
	u16 hash = bpf_p4tc_ext_hash_16bit_complement(data, data__sz, seed);

	return (u16)(base + (max ? hash % max : 0));
}

/* --- ports and skb metadata ---------------------------------------------- */

static inline bool bpf_p4tc_is_host_port(struct __sk_buff *skb_ctx,
					 const u32 ifindex)
{
	return p4x_p4tc_kfuncs->port_is(skb_ctx, ifindex, P4X_P4TC_PORT_HOST);
}

static inline bool bpf_p4tc_is_net_port(struct __sk_buff *skb_ctx,
					const u32 ifindex)
{
	return p4x_p4tc_kfuncs->port_is(skb_ctx, ifindex, P4X_P4TC_PORT_NET);
}

static inline int bpf_p4tc_skb_meta_set(struct __sk_buff *skb,
					struct p4tc_skb_meta_set *skb_meta_set,
					u32 skb_meta_set__sz)
{
	return p4x_p4tc_kfuncs->skb_meta_set(skb, skb_meta_set,
					     skb_meta_set__sz);
}

static inline int bpf_p4tc_skb_meta_get(struct __sk_buff *skb,
					struct p4tc_skb_meta_get *skb_meta_get,
					u32 skb_meta_get__sz)
{
	return p4x_p4tc_kfuncs->skb_meta_get(skb, skb_meta_get,
					     skb_meta_get__sz);
}

static inline u64 bpf_p4tc_extern_timestamp(void)
{
	return bpf_ktime_get_ns();
}

static inline void bpf_p4tc_skb_set_tstamp(struct __sk_buff *skb,
					   struct p4tc_skb_meta_set *meta_set,
					   __u64 tstamp)
{
	(void)skb;
	meta_set->tstamp = tstamp;
	meta_set->bitmask |= P4TC_SKB_META_SET_TSTAMP;
}

static inline void bpf_p4tc_skb_set_mark(struct __sk_buff *skb,
					 struct p4tc_skb_meta_set *meta_set,
					 __u32 mark)
{
	(void)skb;
	meta_set->mark = mark;
	meta_set->bitmask |= P4TC_SKB_META_SET_MARK;
}

static inline void
bpf_p4tc_skb_set_tc_classid(struct __sk_buff *skb,
			    struct p4tc_skb_meta_set *meta_set,
			    __u32 tc_classid)
{
	(void)skb;
	meta_set->tc_classid = (__u16)tc_classid;
	meta_set->bitmask |= P4TC_SKB_META_SET_CLASSID;
}

static inline void bpf_p4tc_skb_set_tc_index(struct __sk_buff *skb,
					     struct p4tc_skb_meta_set *meta_set,
					     __u16 tc_index)
{
	(void)skb;
	meta_set->tc_index = tc_index;
	meta_set->bitmask |= P4TC_SKB_META_SET_TC_INDEX;
}

static inline void
bpf_p4tc_skb_set_queue_mapping(struct __sk_buff *skb,
			       struct p4tc_skb_meta_set *meta_set,
			       __u16 queue_mapping)
{
	(void)skb;
	meta_set->queue_mapping = queue_mapping;
	meta_set->bitmask |= P4TC_SKB_META_SET_QMAP;
}

static inline void bpf_p4tc_skb_set_protocol(struct __sk_buff *skb,
					     struct p4tc_skb_meta_set *meta_set,
					     __be16 protocol)
{
	(void)skb;
	meta_set->protocol = protocol;
	meta_set->bitmask |= P4TC_SKB_META_SET_PROTO;
}

static inline __u64 bpf_p4tc_skb_get_tstamp(struct __sk_buff *skb,
					    struct p4tc_skb_meta_get *meta_get)
{
	(void)meta_get;
	return skb->tstamp;
}

static inline __u16
bpf_p4tc_skb_get_tc_classid(struct __sk_buff *skb,
			    struct p4tc_skb_meta_get *meta_get)
{
	(void)meta_get;
	return (__u16)skb->tc_classid;
}

static inline __u16
bpf_p4tc_skb_get_tc_index(struct __sk_buff *skb,
			  struct p4tc_skb_meta_get *meta_get)
{
	(void)meta_get;
	return (__u16)skb->tc_index;
}

static inline __u16
bpf_p4tc_skb_get_queue_mapping(struct __sk_buff *skb,
			       struct p4tc_skb_meta_get *meta_get)
{
	(void)meta_get;
	return (__u16)skb->queue_mapping;
}

static inline __be16
bpf_p4tc_skb_get_protocol(struct __sk_buff *skb,
			  struct p4tc_skb_meta_get *meta_get)
{
	(void)meta_get;
	return (__be16)skb->protocol;
}

static inline __u32 bpf_p4tc_skb_get_mark(struct __sk_buff *skb,
					  struct p4tc_skb_meta_get *meta_get)
{
	(void)meta_get;
	return skb->mark;
}

static inline int
bpf_p4tc_skb_get_tc_at_ingress(struct __sk_buff *skb,
			       struct p4tc_skb_meta_get *meta_get)
{
	(void)skb;
	if (!(meta_get->bitmask & P4TC_SKB_META_GET_AT_INGRESS_BIT))
		return -1;
	return meta_get->tc_at_ingress;
}

static inline int
bpf_p4tc_skb_get_from_ingress(struct __sk_buff *skb,
			      struct p4tc_skb_meta_get *meta_get)
{
	(void)skb;
	if (!(meta_get->bitmask & P4TC_SKB_META_GET_FROM_INGRESS_BIT))
		return -1;
	return meta_get->from_ingress;
}

#endif /* P4X_PNA_H */
