/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The binary interface between a P4TC program compiled natively (p4c's
 * P_parser.c + P_control_blocks.c built against ebpf_kernel.h and pna.h of
 * this directory into a shared object) and the p4xsk runtime that runs it
 * (dataplane/p4rt).
 *
 * Theory of operation. The generated C calls BPF helpers and P4TC kfuncs
 * by name. pna.h and ebpf_kernel.h define each of them as a static inline
 * trampoline through one table of function pointers, *p4x_p4tc_kfuncs,
 * which the shared object defines (weak, so both generated .c files share
 * it) and the loader sets right after dlopen(). The object therefore has
 * no undefined symbols besides libc's, and every program loaded in the
 * process can be bound to its own runtime.
 *
 * The layouts below are the kernel's (v17) where generated code reads or
 * writes them: sizes are asserted. struct __sk_buff is the runtime's own
 * context (only the members generated code touches, with 64-bit pointer
 * members, plus the runtime's private part).
 *
 * This header uses only <stdint.h> types so that the runtime can include
 * it without the short names (u8, SEC, load_byte...) the program headers
 * define.
 */
#ifndef P4X_P4TC_ABI_H
#define P4X_P4TC_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bumped on any change to a layout or to struct p4x_p4tc_kfuncs. */
#define P4X_P4TC_ABI_VERSION 1

/* TC verdicts (<linux/pkt_cls.h> values). */
#define TC_ACT_UNSPEC (-1)
#define TC_ACT_OK 0
#define TC_ACT_RECLASSIFY 1
#define TC_ACT_SHOT 2
#define TC_ACT_PIPE 3
#define TC_ACT_STOLEN 4
#define TC_ACT_QUEUED 5
#define TC_ACT_REPEAT 6
#define TC_ACT_REDIRECT 7
#define TC_ACT_TRAP 8

/*
 * The per-packet context. data/data_end/data_meta hold full addresses
 * (generated code casts them with (void *)(long)). protocol holds the
 * EtherType as a network-order value, cb holds struct pna_global_metadata.
 * p4x_rt is the runtime's: programs never touch it.
 */
struct __sk_buff {
	uint64_t data;
	uint64_t data_end;
	uint64_t data_meta;
	uint32_t len;
	uint32_t protocol;
	uint32_t cb[5];
	uint32_t ifindex;
	uint32_t ingress_ifindex;
	uint32_t mark;
	uint32_t queue_mapping;
	uint32_t tc_classid;
	uint32_t tc_index;
	uint32_t priority;
	uint64_t tstamp;
	void *p4x_rt;
};

/* PNA global metadata, in skb->cb (kernel layout, size 20). */
enum MirrorType {
	NO_MIRROR = 0,
	PRE_MODIFY = 1,
	POST_MODIFY = 2,
};

struct pna_global_metadata {
	bool recirculated;
	bool recirculate;
	bool drop;
	uint32_t egress_port;
	enum MirrorType mirror_type;
	uint8_t mirror_slot_id;
	uint8_t parser_error;
	uint16_t mirror_session_id;
	uint8_t mark;
	bool pass_to_kernel;
} __attribute__((aligned(4)));

/* Table lookup parameters (size 8). */
struct p4tc_table_entry_act_bpf_params__local {
	uint32_t pipeid;
	uint32_t tblid;
};

#define P4TC_MAX_PARAM_DATA_SIZE 124

/* What a lookup returns (packed, size 129: params at offset 5). */
struct __attribute__((packed)) p4tc_table_entry_act_bpf {
	uint32_t act_id;
	uint32_t hit : 1, is_default_miss_act : 1, is_default_hit_act : 1;
	uint8_t params[P4TC_MAX_PARAM_DATA_SIZE];
};

/* Entry create/update/delete parameters (size 160). */
struct p4tc_table_entry_create_bpf_params__local {
	struct p4tc_table_entry_act_bpf act_bpf;
	uint32_t profile_id;
	uint32_t pipeid;
	uint32_t tblid;
	uint32_t handle;
	uint32_t chain;
	uint32_t classid;
	uint16_t proto;
	uint16_t prio;
};

/* Extern kfunc parameters (size 88) and register values (size 76). */
#define P4TC_EXT_PARAMS_SIZE 64
struct p4tc_ext_bpf_params {
	uint32_t pipe_id;
	uint32_t ext_id;
	uint32_t inst_id;
	uint32_t tbl_id;
	uint32_t index;
	uint32_t flags;
	uint8_t in_params[P4TC_EXT_PARAMS_SIZE];
};

struct p4tc_ext_bpf_val {
	uint32_t ext_id;
	uint32_t index_id;
	uint32_t verdict;
	uint8_t out_params[P4TC_EXT_PARAMS_SIZE];
};

#define P4TC_EXT_CNT_DIRECT 0x1
#define P4TC_EXT_CNT_INDIRECT 0x2
#define P4TC_EXT_METER_DIRECT 0x4
#define P4TC_EXT_METER_INDIRECT 0x8

/* Checksum/CRC accumulator (size 4). */
struct p4tc_ext_csum_params {
	uint32_t csum;
};

/* skb metadata setter/getter (sizes 24 and 2). */
struct p4tc_skb_meta_set {
	uint64_t tstamp;
	uint32_t mark;
	uint16_t tc_classid;
	uint16_t tc_index;
	uint16_t queue_mapping;
	uint16_t protocol; /* network order */
	uint32_t bitmask;
};

struct p4tc_skb_meta_get {
	uint8_t tc_at_ingress : 1, from_ingress : 1;
	uint8_t bitmask;
};

#define P4TC_SKB_META_SET_TSTAMP 0x1
#define P4TC_SKB_META_SET_MARK 0x2
#define P4TC_SKB_META_SET_CLASSID 0x4
#define P4TC_SKB_META_SET_TC_INDEX 0x8
#define P4TC_SKB_META_SET_QMAP 0x10
#define P4TC_SKB_META_SET_PROTO 0x20
#define P4TC_SKB_META_GET_AT_INGRESS_BIT 0x1
#define P4TC_SKB_META_GET_FROM_INGRESS_BIT 0x2

/*
 * A map declared with REGISTER_TABLE: one descriptor per name, shared by
 * both generated objects (weak). The loader assigns @slot (the map's
 * place in the runtime's per-thread storage); a map left at
 * P4X_P4TC_MAP_UNBOUND is not backed and its lookups return NULL.
 */
#define P4X_P4TC_MAP_UNBOUND UINT32_MAX
struct p4x_p4tc_map {
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t slot;
};

/* Which count a counter kfunc adds. */
enum p4x_p4tc_count {
	P4X_P4TC_COUNT_PKTS = 1,
	P4X_P4TC_COUNT_BYTES = 2,
	P4X_P4TC_COUNT_BOTH = 3,
};

/* Which entry operation an entry kfunc does. */
enum p4x_p4tc_entry_op {
	P4X_P4TC_ENTRY_CREATE = 0,
	P4X_P4TC_ENTRY_CREATE_ON_MISS,
	P4X_P4TC_ENTRY_UPDATE,
	P4X_P4TC_ENTRY_DELETE,
};

/* Port class asked by is_host_port / is_net_port. */
enum p4x_p4tc_port_class {
	P4X_P4TC_PORT_HOST = 1,
	P4X_P4TC_PORT_NET = 2,
};

/*
 * The implementation of every helper and kfunc. Every slot is non-NULL
 * in a table the runtime hands out; semantics are the kernel's (see
 * docs/p4-programs.md and the runtime's header, p4x/p4rt.h).
 */
struct p4x_p4tc_kfuncs {
	uint32_t abi_version; /* P4X_P4TC_ABI_VERSION */
	void *(*map_lookup)(const struct p4x_p4tc_map *map, const void *key);
	long (*redirect)(uint32_t ifindex, uint64_t flags);
	long (*skb_adjust_room)(struct __sk_buff *skb, int32_t len_diff,
				uint32_t mode, uint64_t flags);
	uint64_t (*ktime_get_ns)(void);
	uint32_t (*get_prandom_u32)(void);
	void (*trace)(const char *fmt);

	struct p4tc_table_entry_act_bpf *(*tbl_read)(
		struct __sk_buff *skb,
		struct p4tc_table_entry_act_bpf_params__local *params,
		uint32_t params__sz, void *key, uint32_t key__sz);
	int (*entry)(struct __sk_buff *skb, enum p4x_p4tc_entry_op op,
		     struct p4tc_table_entry_create_bpf_params__local *params,
		     uint32_t params__sz, void *key, uint32_t key__sz);

	int (*count)(struct __sk_buff *skb, enum p4x_p4tc_count what,
		     struct p4tc_ext_bpf_params *params, uint32_t params__sz,
		     void *key, uint32_t key__sz);
	int (*meter)(struct __sk_buff *skb, bool bytes, bool color_aware,
		     struct p4tc_ext_bpf_params *params, uint32_t params__sz,
		     void *key, uint32_t key__sz);
	struct p4tc_ext_bpf_val *(*md_read)(struct __sk_buff *skb,
					    struct p4tc_ext_bpf_params *params,
					    uint32_t params__sz);
	int (*md_write)(struct __sk_buff *skb,
			struct p4tc_ext_bpf_params *params, uint32_t params__sz,
			struct p4tc_ext_bpf_val *val, uint32_t val__sz);
	int (*digest_pack)(struct __sk_buff *skb,
			   struct p4tc_ext_bpf_params *params,
			   uint32_t params__sz);

	void (*csum16_clear)(struct p4tc_ext_csum_params *p, uint32_t sz);
	uint32_t (*csum16_add)(struct p4tc_ext_csum_params *p, uint32_t sz,
			       const void *data, int len);
	int (*csum16_sub)(struct p4tc_ext_csum_params *p, uint32_t sz,
			  const void *data, uint32_t len);
	uint16_t (*csum16_get)(struct p4tc_ext_csum_params *p, uint32_t sz);
	void (*csum16_set_state)(struct p4tc_ext_csum_params *p, uint32_t sz,
				 uint16_t csum);
	uint16_t (*crc16_add)(struct p4tc_ext_csum_params *p, uint32_t sz,
			      const void *data, uint32_t len);
	uint32_t (*crc32_add)(struct p4tc_ext_csum_params *p, uint32_t sz,
			      const void *data, uint32_t len);
	uint16_t (*crc16)(const void *data, uint32_t len, uint16_t seed);
	uint32_t (*crc32)(const void *data, uint32_t len, uint32_t seed);
	uint16_t (*hash_16bit_complement)(const void *data, uint32_t len,
					  uint16_t seed);

	bool (*port_is)(struct __sk_buff *skb, uint32_t ifindex,
			enum p4x_p4tc_port_class cls);
	int (*skb_meta_set)(struct __sk_buff *skb, struct p4tc_skb_meta_set *m,
			    uint32_t sz);
	int (*skb_meta_get)(struct __sk_buff *skb, struct p4tc_skb_meta_get *m,
			    uint32_t sz);
};

_Static_assert(sizeof(struct pna_global_metadata) == 20, "pna cb");
_Static_assert(sizeof(struct pna_global_metadata) <=
		       sizeof(((struct __sk_buff *)0)->cb),
	       "pna metadata must fit in cb");
_Static_assert(sizeof(struct p4tc_table_entry_act_bpf_params__local) == 8,
	       "lookup params");
_Static_assert(sizeof(struct p4tc_table_entry_act_bpf) == 129, "act_bpf");
_Static_assert(offsetof(struct p4tc_table_entry_act_bpf, params) == 5,
	       "act_bpf params");
_Static_assert(sizeof(struct p4tc_table_entry_create_bpf_params__local) == 160,
	       "create params");
_Static_assert(offsetof(struct p4tc_table_entry_create_bpf_params__local,
			profile_id) == 132,
	       "create params profile_id");
_Static_assert(sizeof(struct p4tc_ext_bpf_params) == 88, "ext params");
_Static_assert(sizeof(struct p4tc_ext_bpf_val) == 76, "ext val");
_Static_assert(sizeof(struct p4tc_ext_csum_params) == 4, "csum params");
_Static_assert(sizeof(struct p4tc_skb_meta_set) == 24, "skb meta set");
_Static_assert(sizeof(struct p4tc_skb_meta_get) == 2, "skb meta get");

#endif /* P4X_P4TC_ABI_H */
