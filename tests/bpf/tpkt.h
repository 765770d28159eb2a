/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test packets for the steering program, built header by header into a
 * caller-owned buffer, and a runner that feeds one through
 * BPF_PROG_TEST_RUN and splits the result into metadata and packet.
 * Addresses are fixed (TPKT_V4_SRC/DST, TPKT_V6_SRC/DST) so tests can
 * compute the expected flow hash.
 */
#ifndef P4X_TESTS_TPKT_H
#define P4X_TESTS_TPKT_H

#include <stdbool.h>
#include <stdint.h>

#include "p4x/xdp_meta.h"

#define TPKT_MAX 2048
#define TPKT_V4_SRC 0x0a000001u /* 10.0.0.1 */
#define TPKT_V4_DST 0x0a000002u /* 10.0.0.2 */

extern const uint32_t tpkt_v6_src[4]; /* 2001:db8::1, host-order words */
extern const uint32_t tpkt_v6_dst[4]; /* 2001:db8::2 */

struct tpkt {
	uint8_t d[TPKT_MAX];
	uint32_t len;
};

void tpkt_init(struct tpkt *p);
void tpkt_u8(struct tpkt *p, uint8_t v);
void tpkt_u16(struct tpkt *p, uint16_t v); /* appended in network order */
void tpkt_u32(struct tpkt *p, uint32_t v);
void tpkt_zero(struct tpkt *p, uint32_t n);
/* Destination and source MAC, then @type. */
void tpkt_eth(struct tpkt *p, uint16_t type);
/* A VLAN tag body after a VLAN TPID: @tci then @next_type. */
void tpkt_vlan(struct tpkt *p, uint16_t tci, uint16_t next_type);
/* IPv4 header with @optlen bytes of NOP options; total length is the
 * header plus @l4len. @frag_off in host order (flags | offset). */
void tpkt_ipv4(struct tpkt *p, uint8_t proto, uint32_t optlen, uint32_t l4len,
	       uint16_t frag_off);
void tpkt_ipv6(struct tpkt *p, uint8_t nexthdr, uint16_t payload_len);
/* Generic extension header (hop-by-hop, routing, destination options)
 * of (@hdrlen + 1) * 8 bytes, zero (Pad1) filled. */
void tpkt_ext(struct tpkt *p, uint8_t nexthdr, uint8_t hdrlen);
/* Fragment header: @offset in 8-byte units, @more the M flag. */
void tpkt_frag(struct tpkt *p, uint8_t nexthdr, uint16_t offset, bool more);
/* TCP header of @doff * 4 bytes (options zero) when @doff >= 5; a
 * smaller @doff still writes 20 bytes. */
void tpkt_tcp(struct tpkt *p, uint16_t sport, uint16_t dport, uint8_t doff);
void tpkt_udp(struct tpkt *p, uint16_t sport, uint16_t dport, uint16_t len);
void tpkt_icmp(struct tpkt *p, uint8_t type, uint8_t code);

/* Result of one test run. */
struct tpkt_res {
	int verdict;		  /* XDP_* */
	bool has_meta;		  /* ctx_out said 24 bytes of metadata */
	uint32_t meta_len;	  /* metadata bytes in front of the packet */
	struct p4x_xdp_meta meta; /* valid when has_meta */
	bool pkt_intact;	  /* data_out after the metadata == input */
	uint32_t duration_ns;	  /* kernel's average per repetition */
};

/*
 * Run @prog_fd once on @p, on rx queue 0 of no device. @pre_meta bytes
 * (0..32, multiple of 4) of metadata are put in front first, taken from
 * the head of @p (so the packet is @p minus those bytes). 0 or -errno.
 */
int tpkt_run(int prog_fd, const struct tpkt *p, uint32_t pre_meta,
	     struct tpkt_res *res);

/* As tpkt_run, with an ingress device and queue and @repeat runs. */
int tpkt_run_on(int prog_fd, const struct tpkt *p, uint32_t pre_meta,
		int ifindex, uint32_t queue, uint32_t repeat,
		struct tpkt_res *res);

#endif /* P4X_TESTS_TPKT_H */
