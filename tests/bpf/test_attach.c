// SPDX-License-Identifier: BSD-3-Clause
/*
 * Suite 'bpf', attach half: the loader on a real veth pair, run by
 * attach.sh inside the namespace it creates. Arguments: the interface
 * under test (its peer sends), and a second interface on which native
 * XDP is impossible (fewer rx queues than its peer has tx queues).
 *
 * Covers: ENODEV; AUTO attaching natively; single-program fallback
 * reported as it is; a second attach refused while ours is there; the
 * redirect path (an AF_XDP socket in the XSKMAP: test run verdict and a
 * real packet with its metadata in the UMEM); a foreign program refused
 * (EEXIST) and left alone; a stale program of ours (left by an exited
 * process, native or generic) refused (EBUSY) or replaced; AUTO falling
 * back to generic; detach leaving nothing behind.
 */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <xdp/xsk.h>

#include "p4x/log.h"
#include "p4x/xdp.h"
#include "tpkt.h"

#define NFRAMES 64
#define FRAME_SZ 4096
#define RX_WAIT_MS 2000

static int failures;
static const char *cur_case;

#define CHECK(cond, ...)                                          \
	do {                                                      \
		if (!(cond)) {                                    \
			failures++;                               \
			printf("FAIL %s: %s: ", cur_case, #cond); \
			printf(__VA_ARGS__);                      \
			printf("\n");                             \
		}                                                 \
	} while (0)

static const char *ifname, *peername, *narrowname;

/* XDP program ids on @ifindex per mode. */
struct ids {
	__u32 drv, skb;
};

static struct ids xdp_ids(const char *name)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	struct ids ids = {0};
	int err;

	err = bpf_xdp_query((int)if_nametoindex(name), 0, &q);
	CHECK(!err, "query %s: %s", name, strerror(-err));
	ids.drv = q.drv_prog_id;
	ids.skb = q.skb_prog_id;
	return ids;
}

static const char *prog_name(__u32 id)
{
	static struct bpf_prog_info info;
	__u32 len = sizeof(info);
	int fd = bpf_prog_get_fd_by_id(id);

	memset(&info, 0, sizeof(info));
	if (fd < 0)
		return "";
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		info.name[0] = 0;
	close(fd);
	return info.name;
}

static struct p4x_xdp *attach(const char *name, enum p4x_xdp_mode_req mode,
			      bool replace)
{
	struct p4x_xdp_opts o = {
		.sz = sizeof(o),
		.mode = mode,
		.replace_stale = replace,
	};

	return p4x_xdp__attach(name, &o);
}

static void expect_refused(const char *name, bool replace, int want_errno)
{
	struct p4x_xdp *x = attach(name, P4X_XDP_MODE_AUTO, replace);
	int err = errno;

	CHECK(!x && err == want_errno, "attach gave %p errno %d, want %d",
	      (void *)x, err, want_errno);
	p4x_xdp__detach(x);
}

static void test_missing(void)
{
	cur_case = "missing_interface";
	expect_refused("p4xb-none", false, ENODEV);
}

/* Attach in @mode from a child that exits without detaching. */
static void leave_stale(enum p4x_xdp_mode_req mode)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0)
		_exit(attach(ifname, mode, false) ? 0 : 1);
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && status == 0,
	      "child attach status %d", status);
}

/* AF_XDP socket on queue 0 of the interface, copy mode, no program. */
struct xsk {
	void *area;
	struct xsk_umem *umem;
	struct xsk_socket *sock;
	struct xsk_ring_prod fq;
	struct xsk_ring_cons cq, rx;
	struct xsk_ring_prod tx;
};

static int xsk_open(struct xsk *x)
{
	struct xsk_socket_config cfg = {
		.rx_size = XSK_RING_CONS__DEFAULT_NUM_DESCS,
		.tx_size = XSK_RING_PROD__DEFAULT_NUM_DESCS,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = XDP_COPY,
	};
	__u32 idx, i;
	int err;

	x->area = mmap(NULL, NFRAMES * FRAME_SZ, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (x->area == MAP_FAILED)
		return -errno;
	memset(x->area, 0xee, NFRAMES * FRAME_SZ);
	err = xsk_umem__create(&x->umem, x->area, NFRAMES * FRAME_SZ, &x->fq,
			       &x->cq, NULL);
	if (err)
		return err;
	err = xsk_socket__create(&x->sock, ifname, 0, x->umem, &x->rx, &x->tx,
				 &cfg);
	if (err)
		return err;
	if (xsk_ring_prod__reserve(&x->fq, NFRAMES / 2, &idx) != NFRAMES / 2)
		return -ENOSPC;
	for (i = 0; i < NFRAMES / 2; i++)
		*xsk_ring_prod__fill_addr(&x->fq, idx + i) = i * FRAME_SZ;
	xsk_ring_prod__submit(&x->fq, NFRAMES / 2);
	return 0;
}

static void xsk_close(struct xsk *x)
{
	xsk_socket__delete(x->sock);
	xsk_umem__delete(x->umem);
	if (x->area && x->area != MAP_FAILED)
		munmap(x->area, NFRAMES * FRAME_SZ);
}

static void build_udp(struct tpkt *p)
{
	tpkt_init(p);
	tpkt_eth(p, ETH_P_IP);
	tpkt_ipv4(p, IPPROTO_UDP, 0, 8 + 18, 0);
	tpkt_udp(p, 4242, 4343, 8 + 18);
	tpkt_zero(p, 18);
}

static int send_from_peer(const struct tpkt *p)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_ifindex = (int)if_nametoindex(peername),
		.sll_halen = ETH_ALEN,
	};
	int fd = socket(AF_PACKET, SOCK_RAW, 0);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = sendto(fd, p->d, p->len, 0, (struct sockaddr *)&sll, sizeof(sll));
	close(fd);
	return n == (ssize_t)p->len ? 0 : -EIO;
}

/* Wait for one rx descriptor; its metadata and length. 0 or -errno. */
static int xsk_recv(struct xsk *x, struct p4x_xdp_meta *m, __u32 *len)
{
	struct pollfd pfd = {.fd = xsk_socket__fd(x->sock), .events = POLLIN};
	const struct xdp_desc *d;
	__u32 idx;

	if (poll(&pfd, 1, RX_WAIT_MS) <= 0)
		return -ETIMEDOUT;
	if (xsk_ring_cons__peek(&x->rx, 1, &idx) != 1)
		return -EAGAIN;
	d = xsk_ring_cons__rx_desc(&x->rx, idx);
	memcpy(m, (char *)x->area + d->addr - sizeof(*m), sizeof(*m));
	*len = d->len;
	xsk_ring_cons__release(&x->rx, 1);
	return 0;
}

/*
 * Receive until the packet of length @want_len arrives; every frame must
 * carry valid metadata (the peer's own IPv6 traffic, e.g. MLD reports,
 * arrives too). 0 or -errno.
 */
static int xsk_recv_len(struct xsk *x, __u32 want_len, struct p4x_xdp_meta *m)
{
	__u32 len = 0;
	int i, err = -ETIMEDOUT;

	for (i = 0; i < NFRAMES / 2; i++) {
		err = xsk_recv(x, m, &len);
		if (err)
			return err;
		CHECK(m->magic == P4X_META_MAGIC,
		      "frame of %u bytes: magic 0x%x", len, m->magic);
		if (len == want_len)
			return 0;
	}
	return err;
}

/* A real UDP packet from the peer reaches the socket with metadata. */
static void check_live_packet(struct xsk *x)
{
	struct p4x_xdp_meta m;
	struct tpkt p;
	int err;

	cur_case = "redirect_live";
	build_udp(&p);
	err = send_from_peer(&p);
	CHECK(!err, "send: %s", strerror(-err));
	err = xsk_recv_len(x, p.len, &m);
	CHECK(!err, "receive: %s", strerror(-err));
	if (err)
		return;
	CHECK(m.l3_proto == ETH_P_IP && m.l3_off == 14 && m.l4_off == 34 &&
		      m.l4_proto == IPPROTO_UDP && m.flags == P4X_META_F_L4,
	      "parse %x/%u/%u/%u/%x", m.l3_proto, m.l3_off, m.l4_off,
	      m.l4_proto, m.flags);
	CHECK(m.hash == p4x_flow_hash_v4(TPKT_V4_SRC, TPKT_V4_DST, 4242, 4343,
					 IPPROTO_UDP),
	      "hash 0x%x", m.hash);
	CHECK(m.rx_queue == 0, "rx_queue %u", m.rx_queue);
}

/* Test runs on queue 0 (socket: redirect) and queue 1 (none: pass). */
static void check_test_run_redirect(struct p4x_xdp *xdp)
{
	struct p4x_xdp_stats a, b;
	struct tpkt_res r0, r1;
	struct tpkt p;
	int ifindex = (int)if_nametoindex(ifname);

	cur_case = "redirect_test_run";
	build_udp(&p);
	CHECK(!p4x_xdp__stats(xdp, &a), "stats");
	CHECK(!tpkt_run_on(p4x_xdp__prog_fd(xdp), &p, 0, ifindex, 0, 1, &r0),
	      "run q0");
	CHECK(!tpkt_run_on(p4x_xdp__prog_fd(xdp), &p, 0, ifindex, 1, 1, &r1),
	      "run q1");
	CHECK(!p4x_xdp__stats(xdp, &b), "stats");
	CHECK(r0.verdict == XDP_REDIRECT, "q0 verdict %d", r0.verdict);
	CHECK(r1.verdict == XDP_PASS, "q1 verdict %d", r1.verdict);
	CHECK(r1.has_meta && r1.meta.rx_queue == 1, "q1 meta queue %u",
	      r1.meta.rx_queue);
	CHECK(b.cnt[P4X_XDP_CNT_REDIRECT] - a.cnt[P4X_XDP_CNT_REDIRECT] == 1,
	      "redirect counter");
	CHECK(b.cnt[P4X_XDP_CNT_PASS_NOSOCK] - a.cnt[P4X_XDP_CNT_PASS_NOSOCK] ==
		      1,
	      "pass_nosock counter");
}

static void test_redirect(struct p4x_xdp *xdp)
{
	struct xsk x = {0};
	__u32 q = 0;
	int fd, err;

	cur_case = "redirect_socket";
	err = xsk_open(&x);
	CHECK(!err, "AF_XDP socket: %s", strerror(-err));
	if (!err) {
		fd = xsk_socket__fd(x.sock);
		CHECK(!bpf_map_update_elem(p4x_xdp__xsks_map_fd(xdp), &q, &fd,
					   0),
		      "xskmap insert: %s", strerror(errno));
		check_test_run_redirect(xdp);
		check_live_packet(&x);
		bpf_map_delete_elem(p4x_xdp__xsks_map_fd(xdp), &q);
	}
	xsk_close(&x);
}

static void test_auto_native(void)
{
	struct p4x_xdp *xdp;
	struct ids ids;

	cur_case = "auto_native";
	xdp = attach(ifname, P4X_XDP_MODE_AUTO, false);
	CHECK(xdp, "attach: %s", strerror(errno));
	if (!xdp)
		return;
	CHECK(p4x_xdp__mode(xdp) == P4X_PORT_MODE_XDP_NATIVE, "mode %d",
	      p4x_xdp__mode(xdp));
	ids = xdp_ids(ifname);
	CHECK(ids.drv && !ids.skb, "ids %u/%u", ids.drv, ids.skb);
	CHECK(p4x_xdp__multi_prog(xdp) ==
		      !strcmp(prog_name(ids.drv), "xdp_dispatcher"),
	      "multi_prog %d but '%s' attached", p4x_xdp__multi_prog(xdp),
	      prog_name(ids.drv));
	cur_case = "second_attach_refused";
	expect_refused(ifname, false, EBUSY);
	CHECK(xdp_ids(ifname).drv == ids.drv, "program changed");
	test_redirect(xdp);
	cur_case = "detach";
	p4x_xdp__detach(xdp);
	ids = xdp_ids(ifname);
	CHECK(!ids.drv && !ids.skb, "left %u/%u", ids.drv, ids.skb);
}

static void test_foreign(void)
{
	const struct bpf_insn insns[] = {
		{.code = 0xb7, .dst_reg = 0, .imm = XDP_PASS}, /* r0 = 2 */
		{.code = 0x95},				       /* exit */
	};
	int ifindex = (int)if_nametoindex(ifname);
	int fd;

	cur_case = "foreign_refused";
	fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "p4xb_foreign", "GPL", insns, 2,
			   NULL);
	CHECK(fd >= 0, "load: %s", strerror(errno));
	if (fd < 0)
		return;
	CHECK(!bpf_xdp_attach(ifindex, fd, XDP_FLAGS_DRV_MODE, NULL),
	      "attach foreign");
	expect_refused(ifname, false, EEXIST);
	expect_refused(ifname, true, EEXIST);
	CHECK(!strcmp(prog_name(xdp_ids(ifname).drv), "p4xb_foreign"),
	      "foreign program gone");
	bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
	close(fd);
}

static void test_stale(enum p4x_xdp_mode_req stale_mode, const char *name)
{
	struct p4x_xdp *xdp;
	struct ids before, after;

	cur_case = name;
	leave_stale(stale_mode);
	before = xdp_ids(ifname);
	CHECK(before.drv || before.skb, "nothing left attached");
	expect_refused(ifname, false, EBUSY);
	after = xdp_ids(ifname);
	CHECK(after.drv == before.drv && after.skb == before.skb,
	      "stale program touched");
	xdp = attach(ifname, P4X_XDP_MODE_AUTO, true);
	CHECK(xdp, "replace: %s", strerror(errno));
	after = xdp_ids(ifname);
	CHECK(after.drv && after.drv != before.drv && !after.skb,
	      "after replace %u/%u (before %u/%u)", after.drv, after.skb,
	      before.drv, before.skb);
	p4x_xdp__detach(xdp);
	after = xdp_ids(ifname);
	CHECK(!after.drv && !after.skb, "left %u/%u", after.drv, after.skb);
}

static void test_fallback(void)
{
	struct p4x_xdp *xdp;
	struct ids ids;

	cur_case = "native_impossible";
	xdp = attach(narrowname, P4X_XDP_MODE_NATIVE, false);
	CHECK(!xdp, "native attach succeeded");
	p4x_xdp__detach(xdp);
	ids = xdp_ids(narrowname);
	CHECK(!ids.drv && !ids.skb, "left %u/%u", ids.drv, ids.skb);

	cur_case = "auto_falls_back_to_generic";
	xdp = attach(narrowname, P4X_XDP_MODE_AUTO, false);
	CHECK(xdp, "attach: %s", strerror(errno));
	if (!xdp)
		return;
	CHECK(p4x_xdp__mode(xdp) == P4X_PORT_MODE_XDP_GENERIC, "mode %d",
	      p4x_xdp__mode(xdp));
	ids = xdp_ids(narrowname);
	CHECK(!ids.drv && ids.skb, "ids %u/%u", ids.drv, ids.skb);
	p4x_xdp__detach(xdp);
	ids = xdp_ids(narrowname);
	CHECK(!ids.drv && !ids.skb, "left %u/%u", ids.drv, ids.skb);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s IFNAME PEER NARROW_IFNAME\n",
			argv[0]);
		return 2;
	}
	ifname = argv[1];
	peername = argv[2];
	narrowname = argv[3];
	p4x_log__init(P4X_LOG_INFO);
	test_missing();
	test_auto_native();
	test_foreign();
	test_stale(P4X_XDP_MODE_NATIVE, "stale_native");
	test_stale(P4X_XDP_MODE_GENERIC, "stale_generic");
	test_fallback();
	if (failures) {
		printf("%d check(s) failed\n", failures);
		return 1;
	}
	printf("all checks passed\n");
	return 0;
}
