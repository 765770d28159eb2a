// SPDX-License-Identifier: BSD-3-Clause
/*
 * Memory port: inject -> rx_burst (bytes, queue, metadata), tx_burst ->
 * capture (bytes, queue, frame back in the pool), wait_fd, limits, and
 * no frame kept after close.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "p4x/port_mem.h"
#include "check.h"
#include "frames.h"

static const uint8_t MAC_A[6] = {2, 0, 0, 0, 0, 0xa};
static const uint8_t MAC_B[6] = {2, 0, 0, 0, 0, 0xb};

static struct p4x_pool *new_pool(uint32_t frames)
{
	struct p4x_pool_opts o = {.sz = sizeof(o), .nb_frames = frames};
	struct p4x_pool *pool = p4x_pool__new(&o);

	CHECK(pool);
	return pool;
}

static bool readable(int fd)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	return poll(&pfd, 1, 0) == 1;
}

static void test_rx_meta(struct p4x_port *port)
{
	uint8_t f[128], vlan[132];
	struct p4x_pkt pkts[4];

	frame_udp4(f, 100, MAC_A, MAC_B, 7);
	CHECK(!readable(port->ops->wait_fd(port, 1)));
	CHECK_EQ(p4x_port_mem__inject(port, 1, f, 100), 0);
	CHECK(readable(port->ops->wait_fd(port, 1)));
	CHECK_EQ(p4x_port_mem__rx_pending(port, 1), 1);
	CHECK_EQ(port->ops->rx_burst(port, 0, pkts, 4), 0);
	CHECK_EQ(port->ops->rx_burst(port, 1, pkts, 4), 1);
	CHECK(!readable(port->ops->wait_fd(port, 1)));
	CHECK_EQ(pkts[0].len, 100);
	CHECK(!memcmp(pkts[0].data, f, 100));
	CHECK_EQ(pkts[0].in_queue, 1);
	CHECK_EQ(pkts[0].addr % P4X_FRAME_SIZE, P4X_FRAME_HEADROOM);
	CHECK_EQ(pkts[0].meta.magic, P4X_META_MAGIC);
	CHECK_EQ(pkts[0].meta.l3_proto, 0x0800);
	CHECK_EQ(pkts[0].meta.l3_off, 14);
	CHECK_EQ(pkts[0].meta.l4_off, 34);
	CHECK_EQ(pkts[0].meta.l4_proto, 17);
	CHECK_EQ(pkts[0].meta.flags, P4X_META_F_L4);
	CHECK_EQ(pkts[0].meta.rx_queue, 1);
	p4x_pool__put_burst(port->pool, P4X_POOL_NO_CACHE, &pkts[0].addr, 1);

	/* One VLAN tag shifts L3 and L4. */
	memcpy(vlan, f, 12);
	memcpy(vlan + 12, "\x81\x00\x00\x2a", 4);
	memcpy(vlan + 16, f + 12, 88);
	CHECK_EQ(p4x_port_mem__inject(port, 0, vlan, 104), 0);
	CHECK_EQ(port->ops->rx_burst(port, 0, pkts, 4), 1);
	CHECK_EQ(pkts[0].meta.magic, P4X_META_MAGIC);
	CHECK_EQ(pkts[0].meta.vlan_tci[0], 42);
	CHECK_EQ(pkts[0].meta.l3_off, 18);
	CHECK_EQ(pkts[0].meta.l4_off, 38);
	CHECK_EQ(pkts[0].meta.flags, P4X_META_F_L4 | P4X_META_F_VLAN);
	p4x_pool__put_burst(port->pool, P4X_POOL_NO_CACHE, &pkts[0].addr, 1);

	/* IPv6 with a destination-options header, then UDP. */
	{
		static const uint8_t v6[14 + 40 + 8 + 8] = {
			[12] = 0x86, [13] = 0xdd, [14] = 0x60, [18] = 0,
			[19] = 16,   [20] = 60, /* payload, nexthdr */
			[54] = 17,   [55] = 0,	/* ext: next UDP */
			[67] = 8,		/* UDP length */
		};

		CHECK_EQ(p4x_port_mem__inject(port, 0, v6, sizeof(v6)), 0);
		CHECK_EQ(port->ops->rx_burst(port, 0, pkts, 4), 1);
		CHECK_EQ(pkts[0].meta.magic, P4X_META_MAGIC);
		CHECK_EQ(pkts[0].meta.l3_proto, 0x86dd);
		CHECK_EQ(pkts[0].meta.l4_off, 62);
		CHECK_EQ(pkts[0].meta.l4_proto, 17);
		CHECK_EQ(pkts[0].meta.flags,
			 P4X_META_F_L4 | P4X_META_F_IPV6_EXT);
		p4x_pool__put_burst(port->pool, P4X_POOL_NO_CACHE,
				    &pkts[0].addr, 1);
	}

	/* IPv4 total length past the frame: no valid metadata. */
	CHECK_EQ(p4x_port_mem__inject(port, 0, f, 40), 0);
	CHECK_EQ(port->ops->rx_burst(port, 0, pkts, 4), 1);
	CHECK_EQ(pkts[0].meta.magic, 0);
	CHECK_EQ(pkts[0].len, 40);
	p4x_pool__put_burst(port->pool, P4X_POOL_NO_CACHE, &pkts[0].addr, 1);
}

static void test_tx_capture(struct p4x_port *port)
{
	uint32_t free0 = p4x_pool__free_count(port->pool);
	uint8_t f[200], out[256];
	struct p4x_pkt pkts[2];
	uint16_t q = 99;

	CHECK_EQ(p4x_port_mem__capture(port, out, sizeof(out), &q), -EAGAIN);
	frame_udp4(f, 200, MAC_A, MAC_B, 1);
	CHECK_EQ(p4x_port_mem__inject(port, 0, f, 200), 0);
	frame_udp4(f, 60, MAC_B, MAC_A, 2);
	CHECK_EQ(p4x_port_mem__inject(port, 0, f, 60), 0);
	CHECK_EQ(port->ops->rx_burst(port, 0, pkts, 2), 2);
	CHECK_EQ(port->ops->tx_burst(port, 1, pkts, 2), 2);
	/* Frames are back in the pool (through the wid 0 + 1 cache). */
	CHECK_EQ(p4x_pool__free_count(port->pool), free0);
	CHECK_EQ(p4x_port_mem__capture(port, out, 100, &q), -ENOSPC);
	CHECK_EQ(p4x_port_mem__capture(port, out, sizeof(out), &q), 200);
	CHECK_EQ(q, 1);
	CHECK_EQ(frame_seq(out), 1);
	CHECK_EQ(p4x_port_mem__capture(port, out, sizeof(out), NULL), 60);
	CHECK(!memcmp(out, f, 60));
	CHECK_EQ(p4x_port_mem__capture(port, out, sizeof(out), &q), -EAGAIN);
}

static void test_limits(struct p4x_port *port)
{
	uint8_t f[4096] = {0};
	unsigned int i;
	int ret = 0;

	CHECK_EQ(p4x_port_mem__inject(port, 2, f, 64), -EINVAL);
	CHECK_EQ(p4x_port_mem__inject(port, 0, f, 13), -EINVAL);
	CHECK_EQ(p4x_port_mem__inject(port, 0, f, 4096 - 255), -EINVAL);
	CHECK_EQ(p4x_port_mem__inject(port, 0, f, 4096 - 256), 0);
	for (i = 1; i < P4X_PORT_MEM_RXQ; i++)
		CHECK_EQ(p4x_port_mem__inject(port, 0, f, 64), 0);
	ret = p4x_port_mem__inject(port, 0, f, 64);
	CHECK_EQ(ret, -ENOSPC);
	CHECK_EQ(p4x_port_mem__rx_pending(port, 0), P4X_PORT_MEM_RXQ);
}

static void test_no_frames(void)
{
	struct p4x_pool *pool = new_pool(4);
	struct p4x_port *port = p4x_port_mem__new("m1", 1, pool);
	uint8_t f[64] = {0};
	unsigned int i;

	CHECK(port);
	for (i = 0; i < 4; i++)
		CHECK_EQ(p4x_port_mem__inject(port, 0, f, 64), 0);
	CHECK_EQ(p4x_port_mem__inject(port, 0, f, 64), -ENOBUFS);
	CHECK_EQ(p4x_pool__free_count(pool), 0);
	port->ops->close(port);
	CHECK_EQ(p4x_pool__free_count(pool), 4);
	p4x_pool__free(pool);
}

int main(void)
{
	struct p4x_pool *pool = new_pool(16384);
	struct p4x_port_info info;
	const struct p4x_port_ops *ops;
	struct p4x_port *port;

	errno = 0;
	CHECK(!p4x_port_mem__new("", 1, pool));
	CHECK_EQ(errno, EINVAL);
	CHECK(!p4x_port_mem__new("m0", 0, pool));
	CHECK(!p4x_port_mem__new("0123456789abcdefg", 1, pool));
	port = p4x_port_mem__new("m0", 2, pool);
	CHECK(port);
	port->ops->get_info(port, &info);
	CHECK(!strcmp(info.name, "m0"));
	CHECK(!strcmp(info.kind, "mem"));
	CHECK_EQ(info.nb_queues, 2);
	p4x_port_mem__set_mac(port, MAC_A);
	port->ops->get_info(port, &info);
	CHECK(!memcmp(info.mac, MAC_A, 6));
	test_rx_meta(port);
	test_tx_capture(port);
	test_limits(port);
	ops = port->ops;
	ops->close(port);
	ops->close(NULL);
	p4x_pool__cache_flush(pool, 1);
	CHECK_EQ(p4x_pool__free_count(pool), 16384);
	p4x_pool__free(pool);
	test_no_frames();
	printf("port_mem: ok\n");
	return 0;
}
