// SPDX-License-Identifier: BSD-3-Clause
/* Test packet builder and BPF_PROG_TEST_RUN runner. */
#include <errno.h>
#include <string.h>

#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "tpkt.h"

const uint32_t tpkt_v6_src[4] = {0x20010db8, 0, 0, 1};
const uint32_t tpkt_v6_dst[4] = {0x20010db8, 0, 0, 2};

void tpkt_init(struct tpkt *p)
{
	memset(p, 0, sizeof(*p));
}

void tpkt_u8(struct tpkt *p, uint8_t v)
{
	if (p->len < TPKT_MAX)
		p->d[p->len++] = v;
}

void tpkt_u16(struct tpkt *p, uint16_t v)
{
	tpkt_u8(p, v >> 8);
	tpkt_u8(p, v & 0xff);
}

void tpkt_u32(struct tpkt *p, uint32_t v)
{
	tpkt_u16(p, v >> 16);
	tpkt_u16(p, v & 0xffff);
}

void tpkt_zero(struct tpkt *p, uint32_t n)
{
	while (n--)
		tpkt_u8(p, 0);
}

void tpkt_eth(struct tpkt *p, uint16_t type)
{
	static const uint8_t macs[12] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1};
	unsigned int i;

	for (i = 0; i < sizeof(macs); i++)
		tpkt_u8(p, macs[i]);
	tpkt_u16(p, type);
}

void tpkt_vlan(struct tpkt *p, uint16_t tci, uint16_t next_type)
{
	tpkt_u16(p, tci);
	tpkt_u16(p, next_type);
}

void tpkt_ipv4(struct tpkt *p, uint8_t proto, uint32_t optlen, uint32_t l4len,
	       uint16_t frag_off)
{
	uint32_t hlen = 20 + optlen;
	uint32_t i;

	tpkt_u8(p, 0x40 | (hlen / 4));
	tpkt_u8(p, 0);
	tpkt_u16(p, hlen + l4len);
	tpkt_u16(p, 0x1234); /* id */
	tpkt_u16(p, frag_off);
	tpkt_u8(p, 64);
	tpkt_u8(p, proto);
	tpkt_u16(p, 0); /* checksum: the program does not check it */
	tpkt_u32(p, TPKT_V4_SRC);
	tpkt_u32(p, TPKT_V4_DST);
	for (i = 0; i < optlen; i++)
		tpkt_u8(p, 1); /* NOP */
}

void tpkt_ipv6(struct tpkt *p, uint8_t nexthdr, uint16_t payload_len)
{
	int i;

	tpkt_u32(p, 0x60000000);
	tpkt_u16(p, payload_len);
	tpkt_u8(p, nexthdr);
	tpkt_u8(p, 64);
	for (i = 0; i < 4; i++)
		tpkt_u32(p, tpkt_v6_src[i]);
	for (i = 0; i < 4; i++)
		tpkt_u32(p, tpkt_v6_dst[i]);
}

void tpkt_ext(struct tpkt *p, uint8_t nexthdr, uint8_t hdrlen)
{
	tpkt_u8(p, nexthdr);
	tpkt_u8(p, hdrlen);
	tpkt_zero(p, (hdrlen + 1) * 8 - 2);
}

void tpkt_frag(struct tpkt *p, uint8_t nexthdr, uint16_t offset, bool more)
{
	tpkt_u8(p, nexthdr);
	tpkt_u8(p, 0);
	tpkt_u16(p, (uint16_t)(offset << 3) | (more ? 1 : 0));
	tpkt_u32(p, 0xabcd); /* identification */
}

void tpkt_tcp(struct tpkt *p, uint16_t sport, uint16_t dport, uint8_t doff)
{
	tpkt_u16(p, sport);
	tpkt_u16(p, dport);
	tpkt_u32(p, 1); /* seq */
	tpkt_u32(p, 0); /* ack */
	tpkt_u8(p, (uint8_t)(doff << 4));
	tpkt_u8(p, 0x02); /* SYN */
	tpkt_u16(p, 65535);
	tpkt_u32(p, 0); /* checksum, urgent pointer */
	if (doff > 5)
		tpkt_zero(p, (doff - 5) * 4u);
}

void tpkt_udp(struct tpkt *p, uint16_t sport, uint16_t dport, uint16_t len)
{
	tpkt_u16(p, sport);
	tpkt_u16(p, dport);
	tpkt_u16(p, len);
	tpkt_u16(p, 0);
}

void tpkt_icmp(struct tpkt *p, uint8_t type, uint8_t code)
{
	tpkt_u8(p, type);
	tpkt_u8(p, code);
	tpkt_u16(p, 0);
	tpkt_u32(p, 0x00010001); /* id, sequence */
}

static void tpkt_fill_res(const struct tpkt *p, uint32_t pre_meta,
			  const uint8_t *out, uint32_t out_len,
			  const struct xdp_md *ctx, struct tpkt_res *res)
{
	uint32_t pkt_len = p->len - pre_meta;

	res->meta_len = ctx->data;
	res->has_meta = ctx->data >= sizeof(res->meta);
	if (res->has_meta)
		memcpy(&res->meta, out + ctx->data - sizeof(res->meta),
		       sizeof(res->meta));
	res->pkt_intact = out_len == ctx->data + pkt_len &&
			  !memcmp(out + ctx->data, p->d + pre_meta, pkt_len);
}

int tpkt_run_on(int prog_fd, const struct tpkt *p, uint32_t pre_meta,
		int ifindex, uint32_t queue, uint32_t repeat,
		struct tpkt_res *res)
{
	uint8_t out[TPKT_MAX + 256];
	struct xdp_md ctx_in = {
		.data = pre_meta,
		.data_end = p->len,
		.ingress_ifindex = ifindex,
		.rx_queue_index = queue,
	};
	struct xdp_md ctx_out = {0};
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = p->d,
		    .data_size_in = p->len, .data_out = out,
		    .data_size_out = sizeof(out), .ctx_in = &ctx_in,
		    .ctx_size_in = sizeof(ctx_in), .ctx_out = &ctx_out,
		    .ctx_size_out = sizeof(ctx_out), .repeat = repeat);

	memset(res, 0, sizeof(*res));
	if (bpf_prog_test_run_opts(prog_fd, &o))
		return -errno;
	res->verdict = (int)o.retval;
	res->duration_ns = o.duration;
	tpkt_fill_res(p, pre_meta, out, o.data_size_out, &ctx_out, res);
	return 0;
}

int tpkt_run(int prog_fd, const struct tpkt *p, uint32_t pre_meta,
	     struct tpkt_res *res)
{
	return tpkt_run_on(prog_fd, p, pre_meta, 0, 0, 1, res);
}
