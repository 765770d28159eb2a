/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers shared by the forwarding-benchmark tools (p4x-gen, p4x-sink,
 * p4x-tcfwd): option tables, address parsing, CPU pinning, clocks.
 */
#ifndef P4X_BENCH_FWDUTIL_H
#define P4X_BENCH_FWDUTIL_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/if_ether.h>

/* One command-line option, declared as data: getopt_long table and help
 * text are both generated from an array of these. */
struct p4x_bench_opt {
	const char *name;
	const char *arg; /* NULL: a flag without argument */
	const char *help;
};

/*
 * Parse @argv against @opts (terminated by a zeroed entry). For each option
 * found, call @set(index into @opts, optarg, @ctx), which returns 0 or
 * -EINVAL after printing what is wrong. --help prints usage and exits 0.
 * Returns 0 or -EINVAL (unknown option, stray argument, or a set failure).
 */
int p4x_bench_parse(int argc, char **argv, const struct p4x_bench_opt *opts,
		    const char *summary,
		    int (*set)(int idx, const char *val, void *ctx), void *ctx);

/* "aa:bb:cc:dd:ee:ff" -> @mac. 0 or -EINVAL. */
int p4x_bench_parse_mac(const char *s, uint8_t mac[ETH_ALEN]);

/* Unsigned decimal in [lo, hi] -> @out. 0 or -EINVAL (message printed,
 * naming @what). */
int p4x_bench_parse_u64(const char *what, const char *s, uint64_t lo,
			uint64_t hi, uint64_t *out);

/* Seconds as a positive decimal ("2.5") -> @out. 0 or -EINVAL. */
int p4x_bench_parse_secs(const char *what, const char *s, double *out);

/* What p4x_bench_build_udp4() writes; addresses in network order. */
struct p4x_bench_udp4 {
	const uint8_t *dmac, *smac;
	uint32_t src, dst;
	uint16_t sport, dport; /* host order */
};

/*
 * Write an Ethernet + IPv4 + UDP frame of @len bytes (>= 42) into @frame:
 * TTL 64, zero payload, both checksums 0 (p4x-gen's program fills the IPv4
 * one on every run).
 */
void p4x_bench_build_udp4(uint8_t *frame, size_t len,
			  const struct p4x_bench_udp4 *u);

/* The IPv4 header checksum of @ip (20 bytes, options not supported). */
uint16_t p4x_bench_ip_csum(const void *ip);

/* The MAC address of @ifname in the current netns. 0 or -errno. */
int p4x_bench_if_mac(const char *ifname, uint8_t mac[ETH_ALEN]);

/* Pin the calling thread to @cpu. 0 or -errno. */
int p4x_bench_pin(int cpu);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t p4x_bench_now_ns(void);

/* Sum a per-CPU u64 array map's slot @key over all possible CPUs. 0 or
 * -errno. */
int p4x_bench_percpu_sum(int map_fd, uint32_t key, uint64_t *sum);

#endif /* P4X_BENCH_FWDUTIL_H */
