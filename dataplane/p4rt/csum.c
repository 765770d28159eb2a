// SPDX-License-Identifier: BSD-3-Clause
/*
 * Checksum, CRC and hash externs, bit for bit as the P4TC kernel module
 * (ext_csum) computes them, including its quirks: the 16-bit ones'
 * complement accumulator is folded once per add and truncated to 16 bits
 * before the final fold; CRC-32 is the MSB-first (crc32_be) variant.
 * Every state-taking call does nothing (returns 0) unless the state size
 * is 4, as the kernel.
 */
#include <errno.h>
#include <string.h>

#include "p4rt_priv.h"

#define CSUM_SZ sizeof(struct p4tc_ext_csum_params)

static uint16_t ones_add16(uint16_t a, uint16_t b)
{
	uint32_t s = (uint32_t)a + b;

	return (uint16_t)((s & 0xffff) + (s >> 16));
}

static uint64_t sum16(const uint8_t *p, uint32_t len, uint64_t sum)
{
	uint16_t w;

	for (; len >= 2; len -= 2, p += 2) {
		memcpy(&w, p, sizeof(w));
		sum += w;
	}
	if (len)
		sum += *p;
	return sum;
}

void p4x_p4rt_csum16_clear(struct p4tc_ext_csum_params *p, uint32_t sz)
{
	if (sz == CSUM_SZ)
		p->csum = 0;
}

uint32_t p4x_p4rt_csum16_add(struct p4tc_ext_csum_params *p, uint32_t sz,
			     const void *data, int len)
{
	uint64_t sum;

	if (sz != CSUM_SZ || len < 0)
		return 0;
	sum = sum16(data, (uint32_t)len, p->csum);
	while (sum >> 32)
		sum = (sum & 0xffffffffu) + (sum >> 32);
	p->csum = (uint32_t)((sum & 0xffff) + (sum >> 16));
	return p->csum;
}

int p4x_p4rt_csum16_sub(struct p4tc_ext_csum_params *p, uint32_t sz,
			const void *data, uint32_t len)
{
	const uint8_t *b = data;
	uint16_t w, c;
	uint32_t i;

	if (sz != CSUM_SZ)
		return 0;
	if (len < 2 || len % 2)
		return -EINVAL;
	c = (uint16_t)p->csum;
	for (i = 0; i < len; i += 2) {
		memcpy(&w, b + i, sizeof(w));
		c = ones_add16(c, (uint16_t)~w);
	}
	p->csum = c;
	return c;
}

uint16_t p4x_p4rt_csum16_get(struct p4tc_ext_csum_params *p, uint32_t sz)
{
	if (sz != CSUM_SZ)
		return 0;
	return (uint16_t) ~(uint16_t)p->csum;
}

void p4x_p4rt_csum16_set_state(struct p4tc_ext_csum_params *p, uint32_t sz,
			       uint16_t csum)
{
	if (sz == CSUM_SZ)
		p->csum = csum;
}

/* Linux lib/crc16: CRC-16/ARC, reflected polynomial 0xA001. */
uint16_t p4x_p4rt_crc16(const void *data, uint32_t len, uint16_t crc)
{
	const uint8_t *p = data;
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0xA001)
					: (uint16_t)(crc >> 1);
	}
	return crc;
}

/* Linux crc32_be: MSB first, polynomial 0x04C11DB7, no reflection. */
uint32_t p4x_p4rt_crc32(const void *data, uint32_t len, uint32_t crc)
{
	const uint8_t *p = data;
	int k;

	while (len--) {
		crc ^= (uint32_t)*p++ << 24;
		for (k = 0; k < 8; k++)
			crc = (crc & 0x80000000u) ? (crc << 1) ^ 0x04C11DB7u
						  : crc << 1;
	}
	return crc;
}

uint16_t p4x_p4rt_crc16_add(struct p4tc_ext_csum_params *p, uint32_t sz,
			    const void *data, uint32_t len)
{
	if (sz != CSUM_SZ)
		return 0;
	p->csum = p4x_p4rt_crc16(data, len, (uint16_t)p->csum);
	return (uint16_t)p->csum;
}

uint32_t p4x_p4rt_crc32_add(struct p4tc_ext_csum_params *p, uint32_t sz,
			    const void *data, uint32_t len)
{
	if (sz != CSUM_SZ)
		return 0;
	p->csum = p4x_p4rt_crc32(data, len, p->csum);
	return p->csum ^ 0xFFFFFFFFu;
}

/* The Internet checksum of @data, accumulated from @seed. */
uint16_t p4x_p4rt_hash_16bit_complement(const void *data, uint32_t len,
					uint16_t seed)
{
	struct p4tc_ext_csum_params st = {.csum = seed};

	p4x_p4rt_csum16_add(&st, CSUM_SZ, data, (int)len);
	return p4x_p4rt_csum16_get(&st, CSUM_SZ);
}
