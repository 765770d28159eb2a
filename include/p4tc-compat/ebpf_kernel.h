/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ebpf_kernel.h for native builds of P4TC programs: what p4c's generated
 * P_parser.h expects from the eBPF runtime header, for the system C
 * compiler (gnu11, x86-64, -shared -fPIC -fcommon). Written for p4xsk
 * from the interface description in docs/p4-programs.md; the helpers
 * trampoline into the runtime bound at load (p4x_p4tc_abi.h).
 *
 * Names the generated code owns (BITS, BYTES, EBPF_MASK, write_byte,
 * getPrimitive32, struct hdr_md...) are deliberately not defined here.
 */
#ifndef P4X_EBPF_KERNEL_H
#define P4X_EBPF_KERNEL_H

#include <arpa/inet.h> /* htonl, ntohl */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linux/types.h>

#include "p4x_p4tc_abi.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef long long s64;

#ifndef __always_inline
#define __always_inline inline __attribute__((__always_inline__))
#endif

/* Sections name the entry points; weak lets both objects define
 * _license (and anything else in a section) once each. */
#define SEC(name) __attribute__((section(name), weak, used))
#define __ksym

/* The helper table, set by the loader (weak: one per shared object). */
__attribute__((weak)) const struct p4x_p4tc_kfuncs *p4x_p4tc_kfuncs;
/* The ABI the object was built for, checked by the loader. */
__attribute__((weak)) const uint32_t p4x_p4tc_abi_version =
	P4X_P4TC_ABI_VERSION;

/* The entry points every program defines (p4x_p4rt loads them). */
int tc_parse_func(struct __sk_buff *skb);
int tc_ingress_func(struct __sk_buff *skb);

#define BPF_MAP_TYPE_PERCPU_ARRAY 6
#define BPF_ANY 0

/*
 * Maps. REGISTER_TABLE declares a descriptor; the storage is the
 * runtime's, per thread (parse and main of one packet run on one thread
 * back to back, which is all hdr_md_cpumap needs).
 */
#define REGISTER_START()
#define REGISTER_END()
#define REGISTER_TABLE(NAME, TYPE, KEY_TYPE, VALUE_TYPE, MAX_ENTRIES) \
	__attribute__((weak)) struct p4x_p4tc_map NAME = {            \
		.value_size = sizeof(VALUE_TYPE),                     \
		.max_entries = (MAX_ENTRIES),                         \
		.slot = P4X_P4TC_MAP_UNBOUND,                         \
	};
#define BPF_ANNOTATE_KV_PAIR(name, type_key, type_val)
#define BPF_MAP_LOOKUP_ELEM(table, key) \
	p4x_p4tc_kfuncs->map_lookup(&(table), (key))

/* Byte order. */
#define bpf_htons(x) ((__be16)__builtin_bswap16((uint16_t)(x)))
#define bpf_ntohs(x) ((uint16_t)__builtin_bswap16((uint16_t)(x)))
#define bpf_htonl(x) ((__be32)__builtin_bswap32((uint32_t)(x)))
#define bpf_ntohl(x) ((uint32_t)__builtin_bswap32((uint32_t)(x)))
#define bpf_htonll(x) ((uint64_t)__builtin_bswap64((uint64_t)(x)))
#define bpf_ntohll(x) ((uint64_t)__builtin_bswap64((uint64_t)(x)))
#define bpf_cpu_to_be64(x) bpf_htonll(x)
#define bpf_be64_to_cpu(x) bpf_ntohll(x)
#define htonll(x) bpf_htonll(x)
#define ntohll(x) bpf_ntohll(x)

/* Packet loads: big-endian reads at any alignment, host-order result. */
static inline uint8_t p4x_load_u8(const void *p)
{
	return *(const uint8_t *)p;
}

static inline uint16_t p4x_load_be16(const void *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return __builtin_bswap16(v);
}

static inline uint32_t p4x_load_be32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return __builtin_bswap32(v);
}

static inline uint64_t p4x_load_be64(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return __builtin_bswap64(v);
}

#define load_byte(data, b) p4x_load_u8((const uint8_t *)(data) + (b))
#define load_half(data, b) p4x_load_be16((const uint8_t *)(data) + (b))
#define load_word(data, b) p4x_load_be32((const uint8_t *)(data) + (b))
#define load_dword(data, b) p4x_load_be64((const uint8_t *)(data) + (b))

/* Logging: counted by the runtime, never printed per packet. */
#define bpf_printk(fmt, ...) p4x_p4tc_kfuncs->trace(fmt)

/* BPF helpers. */
static inline long bpf_redirect(u32 ifindex, u64 flags)
{
	return p4x_p4tc_kfuncs->redirect(ifindex, flags);
}

#define BPF_ADJ_ROOM_NET 0
#define BPF_ADJ_ROOM_MAC 1

static inline long bpf_skb_adjust_room(struct __sk_buff *skb, s32 len_diff,
				       u32 mode, u64 flags)
{
	return p4x_p4tc_kfuncs->skb_adjust_room(skb, len_diff, mode, flags);
}

static inline u64 bpf_ktime_get_ns(void)
{
	return p4x_p4tc_kfuncs->ktime_get_ns();
}

static inline u32 bpf_get_prandom_u32(void)
{
	return p4x_p4tc_kfuncs->get_prandom_u32();
}

#endif /* P4X_EBPF_KERNEL_H */
