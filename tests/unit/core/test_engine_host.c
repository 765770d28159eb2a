// SPDX-License-Identifier: BSD-3-Clause
/*
 * The engine's host path: packets a program hands to the host
 * (P4X_VERDICT_HOST) are written whole to the in port's host fd and
 * counted as host_packets; without a host fd they are dropped under the
 * program's reason; a write that fails is a tx_full drop.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "p4x/engine.h"
#include "p4x/port_mem.h"

#include "check.h"

/* Frames whose first byte is 0x11 go to the host, the rest to port 1. */
static int host_parse(void *ctx, struct p4x_pkt *pkt)
{
	(void)ctx;
	(void)pkt;
	return 0;
}

static void host_main(void *ctx, struct p4x_pkt *pkt)
{
	(void)ctx;
	if (pkt->data[0] == 0x11) {
		pkt->verdict = P4X_VERDICT_HOST;
		pkt->drop_reason = P4X_DROP_NO_ROUTE;
		return;
	}
	pkt->verdict = P4X_VERDICT_TX;
	pkt->out_port = 1;
}

static const struct p4x_prog_ops host_ops = {
	.name = "test_host",
	.parse = host_parse,
	.main = host_main,
};

static struct p4x_engine *new_engine(void)
{
	struct p4x_engine_opts o = {.sz = sizeof(o), .nb_frames = 512};
	struct p4x_engine *eng = p4x_engine__new(&o);
	struct p4x_prog prog = {.ops = &host_ops};
	unsigned int i;

	CHECK(eng);
	for (i = 0; i < 2; i++)
		CHECK_EQ(p4x_engine__add_port(
				 eng, p4x_port_mem__new(i ? "m1" : "m0", 1,
							p4x_engine__pool(eng))),
			 i);
	CHECK_EQ(p4x_engine__set_prog(eng, &prog), 0);
	return eng;
}

static void wait_done(struct p4x_engine *eng, uint64_t rx)
{
	struct p4x_port_stats s0, s1;
	double end = check_now() + 5;
	uint64_t done;
	unsigned int r;

	do {
		CHECK(check_now() < end);
		usleep(200);
		CHECK_EQ(p4x_engine__port_stats(eng, 0, &s0), 0);
		CHECK_EQ(p4x_engine__port_stats(eng, 1, &s1), 0);
		done = s0.cnt[P4X_PORT_CNT_HOST_PACKETS] +
		       s1.cnt[P4X_PORT_CNT_TX_PACKETS];
		for (r = 0; r < P4X_DROP__COUNT; r++)
			done += s0.drop[r];
	} while (s0.cnt[P4X_PORT_CNT_RX_PACKETS] < rx || done < rx);
}

static void inject(struct p4x_engine *eng, uint8_t first, size_t len)
{
	uint8_t frame[128];

	memset(frame, 0x5a, sizeof(frame));
	frame[0] = first;
	frame[1] = (uint8_t)len;
	CHECK_EQ(p4x_port_mem__inject(p4x_engine__port(eng, 0), 0, frame, len),
		 0);
}

static void test_host_fd(void)
{
	struct p4x_engine *eng = new_engine();
	struct p4x_port_stats st;
	uint8_t buf[256];
	int sv[2];

	/* a datagram socket keeps frame boundaries, as a TAP does */
	CHECK_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	CHECK_EQ(p4x_engine__set_host_fd(eng, 0, sv[0]), 0);
	CHECK_EQ(p4x_engine__set_host_fd(eng, 2, sv[0]), -ENOENT);
	CHECK_EQ(p4x_engine__start(eng), 0);
	inject(eng, 0x11, 60);
	inject(eng, 0x22, 64);
	inject(eng, 0x11, 99);
	wait_done(eng, 3);
	CHECK_EQ(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), 60);
	CHECK_EQ(buf[0], 0x11);
	CHECK_EQ(buf[1], 60);
	CHECK_EQ(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), 99);
	CHECK_EQ(buf[1], 99);
	CHECK_EQ(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), -1);
	CHECK_EQ(p4x_port_mem__capture(p4x_engine__port(eng, 1), buf,
				       sizeof(buf), NULL),
		 64);
	CHECK_EQ(p4x_engine__port_stats(eng, 0, &st), 0);
	CHECK_EQ(st.cnt[P4X_PORT_CNT_HOST_PACKETS], 2);
	CHECK_EQ(st.drop[P4X_DROP_NO_ROUTE], 0);

	/* the peer is gone: the write fails, counted as tx_full */
	close(sv[1]);
	inject(eng, 0x11, 70);
	wait_done(eng, 4);
	CHECK_EQ(p4x_engine__port_stats(eng, 0, &st), 0);
	CHECK_EQ(st.cnt[P4X_PORT_CNT_HOST_PACKETS], 2);
	CHECK_EQ(st.drop[P4X_DROP_TX_FULL], 1);

	/* no host path: the program's reason */
	CHECK_EQ(p4x_engine__set_host_fd(eng, 0, -1), 0);
	inject(eng, 0x11, 80);
	wait_done(eng, 5);
	CHECK_EQ(p4x_engine__port_stats(eng, 0, &st), 0);
	CHECK_EQ(st.drop[P4X_DROP_NO_ROUTE], 1);
	CHECK_EQ(st.cnt[P4X_PORT_CNT_HOST_PACKETS], 2);
	p4x_engine__free(eng);
	close(sv[0]);
}

int main(void)
{
	test_host_fd();
	printf("engine host path: ok\n");
	return 0;
}
