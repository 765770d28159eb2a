// SPDX-License-Identifier: BSD-3-Clause
/*
 * XDP metadata computed in C, for ports without the steering program (the
 * memory port). It follows bpf/p4x_steer.bpf.c for well-formed packets:
 * Ethernet, up to two VLAN tags (802.1Q/802.1ad), IPv4 (options, non-first
 * fragments), IPv6 (hop-by-hop, routing, fragment and destination
 * extension headers), then the TCP/UDP/ICMP/ICMPv6 header offset. The flow
 * hash is not computed (0). Where the steering program would drop the
 * packet as malformed, the result is "no metadata" (magic 0).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <string.h>

#include "p4x/xdp_meta.h"
#include "meta_parse.h"

#define ETH_HLEN_ 14u
#define VLAN_HLEN_ 4u
#define ETHP_IP 0x0800
#define ETHP_IPV6 0x86DD
#define ETHP_8021Q 0x8100
#define ETHP_8021AD 0x88A8
#define IP_OFFMASK_ 0x1fff
#define IPV6_EXT_MAX 8

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static bool parse_eth(const uint8_t *d, uint32_t len, struct p4x_xdp_meta *m)
{
	uint32_t off = ETH_HLEN_;
	uint16_t proto;
	int i;

	if (len < ETH_HLEN_)
		return false;
	proto = rd16(d + 12);
	for (i = 0; i < 2 && (proto == ETHP_8021Q || proto == ETHP_8021AD);
	     i++) {
		if (off + VLAN_HLEN_ > len)
			return false;
		m->vlan_tci[i] = rd16(d + off);
		m->flags |= P4X_META_F_VLAN;
		proto = rd16(d + off + 2);
		off += VLAN_HLEN_;
	}
	if (proto == ETHP_8021Q || proto == ETHP_8021AD)
		return false;
	m->l3_proto = proto;
	m->l3_off = (uint16_t)off;
	return true;
}

static bool parse_ipv4(const uint8_t *d, uint32_t len, struct p4x_xdp_meta *m)
{
	const uint8_t *ip = d + m->l3_off;
	uint32_t hlen, tot;

	if (m->l3_off + 20u > len || (ip[0] >> 4) != 4)
		return false;
	hlen = (ip[0] & 0xf) * 4u;
	tot = rd16(ip + 2);
	if (hlen < 20 || tot < hlen || m->l3_off + tot > len)
		return false;
	if (hlen > 20)
		m->flags |= P4X_META_F_IPV4_OPT;
	if (rd16(ip + 6) & IP_OFFMASK_) {
		m->flags |= P4X_META_F_FRAG;
		return true;
	}
	m->l4_proto = ip[9];
	m->l4_off = (uint16_t)(m->l3_off + hlen);
	return true;
}

static bool ipv6_is_ext(uint8_t nh)
{
	return nh == 0 || nh == 43 || nh == 44 || nh == 60;
}

static bool parse_ipv6(const uint8_t *d, uint32_t len, struct p4x_xdp_meta *m)
{
	const uint8_t *ip6 = d + m->l3_off;
	uint32_t off = m->l3_off + 40u, end, elen;
	uint8_t nh;
	int i;

	if (off > len || (ip6[0] >> 4) != 6)
		return false;
	end = off + rd16(ip6 + 4);
	if (end > len)
		return false;
	nh = ip6[6];
	for (i = 0; i < IPV6_EXT_MAX && ipv6_is_ext(nh); i++) {
		if (off + 8 > end || (nh == 0 && i > 0))
			return false;
		m->flags |= P4X_META_F_IPV6_EXT;
		elen = nh == 44 ? 8u : (d[off + 1] + 1u) * 8u;
		if (nh == 44 && (rd16(d + off + 2) & ~7u)) {
			m->flags |= P4X_META_F_FRAG;
			return off + elen <= end;
		}
		nh = d[off];
		off += elen;
		if (off > end)
			return false;
	}
	if (ipv6_is_ext(nh))
		return false;
	m->l4_proto = nh;
	m->l4_off = (uint16_t)off;
	return true;
}

static uint32_t l4_min_len(const struct p4x_xdp_meta *m)
{
	switch (m->l4_proto) {
	case IPPROTO_TCP:
		return 20;
	case IPPROTO_UDP:
		return 8;
	case IPPROTO_ICMP:
		return m->l3_proto == ETHP_IP ? 8 : 0;
	case IPPROTO_ICMPV6:
		return m->l3_proto == ETHP_IPV6 ? 8 : 0;
	default:
		return 0;
	}
}

void p4x_meta_parse(const uint8_t *data, uint32_t len, uint32_t rx_queue,
		    struct p4x_xdp_meta *m)
{
	bool ok;
	uint32_t need;

	memset(m, 0, sizeof(*m));
	ok = parse_eth(data, len, m);
	if (ok && m->l3_proto == ETHP_IP)
		ok = parse_ipv4(data, len, m);
	else if (ok && m->l3_proto == ETHP_IPV6)
		ok = parse_ipv6(data, len, m);
	if (ok && m->l4_off) {
		need = l4_min_len(m);
		if (need && m->l4_off + need > len)
			ok = false;
		else if (need)
			m->flags |= P4X_META_F_L4;
	}
	if (!ok) {
		memset(m, 0, sizeof(*m));
		return;
	}
	m->rx_queue = rx_queue;
	m->magic = P4X_META_MAGIC;
}
