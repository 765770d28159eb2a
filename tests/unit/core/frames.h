/* SPDX-License-Identifier: BSD-3-Clause */
/* Test frames for the core unit tests. */
#ifndef P4X_TEST_FRAMES_H
#define P4X_TEST_FRAMES_H

#include <stdint.h>
#include <string.h>

/*
 * Build an Ethernet/IPv4/UDP frame of @len bytes (>= 46) into @buf with
 * the given MACs; @seq goes into the first 4 payload bytes (big endian).
 */
static inline void frame_udp4(uint8_t *buf, unsigned int len,
			      const uint8_t dst[6], const uint8_t src[6],
			      uint32_t seq)
{
	unsigned int ip_len = len - 14;
	unsigned int i;

	memset(buf, 0, len);
	memcpy(buf, dst, 6);
	memcpy(buf + 6, src, 6);
	buf[12] = 0x08;
	buf[14] = 0x45;
	buf[16] = (uint8_t)(ip_len >> 8);
	buf[17] = (uint8_t)ip_len;
	buf[22] = 64;
	buf[23] = 17;
	memcpy(buf + 26, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	buf[34] = 0x30;
	buf[35] = 0x39;
	buf[36] = 0x00;
	buf[37] = 0x35;
	buf[38] = (uint8_t)((ip_len - 20) >> 8);
	buf[39] = (uint8_t)(ip_len - 20);
	buf[42] = (uint8_t)(seq >> 24);
	buf[43] = (uint8_t)(seq >> 16);
	buf[44] = (uint8_t)(seq >> 8);
	buf[45] = (uint8_t)seq;
	for (i = 46; i < len; i++)
		buf[i] = (uint8_t)(i * 7);
}

static inline uint32_t frame_seq(const uint8_t *buf)
{
	return (uint32_t)buf[42] << 24 | (uint32_t)buf[43] << 16 |
	       (uint32_t)buf[44] << 8 | buf[45];
}

#endif /* P4X_TEST_FRAMES_H */
