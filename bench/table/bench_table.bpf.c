// SPDX-License-Identifier: BSD-3-Clause
/*
 * Kernel reference for the table benchmark: BPF hash and LPM-trie maps,
 * and XDP programs that BPF_PROG_TEST_RUN runs to look 64 keys up per
 * run (the in-kernel lookup rate, without a syscall per lookup). Keys come
 * from the "keys" array, filled by user space; each run takes the next 64.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define NKEYS 65536
#define BURST 64

struct key16 {
	__u32 w[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct key16);
	__type(value, __u64);
} hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(key_size, 8); /* struct bpf_lpm_trie_key: prefixlen + 4 bytes */
	__uint(value_size, 8);
} lpm SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NKEYS);
	__type(key, __u32);
	__type(value, struct key16);
} keys SEC(".maps");

__u32 next;
__u64 hits;

static __always_inline int lookup_burst(void *map)
{
	__u32 base = next;

	next = base + BURST;
	for (int i = 0; i < BURST; i++) {
		__u32 idx = (base + i) & (NKEYS - 1);
		struct key16 *k = bpf_map_lookup_elem(&keys, &idx);

		if (k && bpf_map_lookup_elem(map, k))
			hits++;
	}
	return XDP_PASS;
}

SEC("xdp")
int lookup_hash(struct xdp_md *ctx)
{
	return lookup_burst(&hash);
}

SEC("xdp")
int lookup_lpm(struct xdp_md *ctx)
{
	return lookup_burst(&lpm);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
