// SPDX-License-Identifier: BSD-3-Clause
/*
 * Dumps on their own socket (never the event socket): links, addresses,
 * routes and neighbours of both families into a fresh mirror. A dump the
 * kernel marks NLM_F_DUMP_INTR (its generation counter moved while it was
 * dumping) is a sequence gap: it is read to the end, then done again.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <p4x/log.h>

#include "dump.h"

#define P4X_DUMP_BUF (64 * 1024)
#define P4X_DUMP_TRIES 8

struct p4x_rtnl_dumper {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	uint8_t *buf;
	struct p4x_rt_msg *msg;
};

struct p4x_rtnl_dumper *p4x_rtnl_dumper__new(void)
{
	struct p4x_rtnl_dumper *d = calloc(1, sizeof(*d));
	int err = ENOMEM;

	if (!d)
		return NULL;
	d->buf = malloc(P4X_DUMP_BUF);
	d->msg = malloc(sizeof(*d->msg));
	if (!d->buf || !d->msg)
		goto err_alloc;
	d->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!d->nl || mnl_socket_bind(d->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = errno;
		goto err_sock;
	}
	d->portid = mnl_socket_get_portid(d->nl);
	d->seq = (uint32_t)time(NULL);
	return d;

err_sock:
	if (d->nl)
		mnl_socket_close(d->nl);
err_alloc:
	free(d->msg);
	free(d->buf);
	free(d);
	errno = err;
	return NULL;
}

void p4x_rtnl_dumper__free(struct p4x_rtnl_dumper *d)
{
	if (!d)
		return;
	mnl_socket_close(d->nl);
	free(d->msg);
	free(d->buf);
	free(d);
}

static int p4x_dump_request(struct p4x_rtnl_dumper *d, uint16_t type,
			    uint8_t family)
{
	char req[NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct ifinfomsg))];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct rtgenmsg *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = ++d->seq;
	/* Every dump header starts with the family; ifinfomsg is longest. */
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	g->rtgen_family = family;
	if (mnl_socket_sendto(d->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	return 0;
}

/* One datagram of a dump: 1 when done, 0 to read on, -errno on error. */
static int p4x_dump_chunk(struct p4x_rtnl_dumper *d, size_t len,
			  struct p4x_bridge_mirror *into,
			  struct p4x_dump_stats *st)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)d->buf;
	struct p4x_bridge_rt_sink sink = p4x_bridge_mirror__sink(into);
	const struct nlmsgerr *e;
	int n = (int)len, ret;

	for (; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
		if (nlh->nlmsg_seq != d->seq || nlh->nlmsg_pid != d->portid)
			continue; /* a late reply to an older request */
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			st->interrupted = true;
		if (nlh->nlmsg_type == NLMSG_DONE)
			return 1;
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			e = mnl_nlmsg_get_payload(nlh);
			return e->error ? e->error : -EPROTO;
		}
		ret = p4x_rt__decode(nlh, d->msg);
		if (ret < 0) {
			st->undecodable++;
			p4x_log_ratelimited(P4X_LOG_WARN,
					    "rtnl: dump: skipping message type "
					    "%u (%u bytes): %s",
					    nlh->nlmsg_type, nlh->nlmsg_len,
					    d->msg->why);
			continue;
		}
		if (ret == 0)
			continue;
		ret = p4x_bridge_rt_sink__apply(&sink, d->msg->kind, d->msg->op,
						p4x_rt_msg__obj(d->msg));
		if (ret)
			return ret;
	}
	return 0;
}

static int p4x_dump_one(struct p4x_rtnl_dumper *d, uint16_t type,
			uint8_t family, struct p4x_bridge_mirror *into,
			struct p4x_dump_stats *st)
{
	ssize_t n;
	int ret;

	ret = p4x_dump_request(d, type, family);
	if (ret)
		return ret;
	do {
		n = mnl_socket_recvfrom(d->nl, d->buf, P4X_DUMP_BUF);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		ret = p4x_dump_chunk(d, (size_t)n, into, st);
	} while (ret == 0);
	return ret < 0 ? ret : 0;
}

static const struct {
	uint16_t type;
	uint8_t family;
} p4x_dumps[] = {
	{RTM_GETLINK, AF_UNSPEC}, {RTM_GETADDR, AF_INET},
	{RTM_GETADDR, AF_INET6},  {RTM_GETROUTE, AF_INET},
	{RTM_GETROUTE, AF_INET6}, {RTM_GETNEIGH, AF_INET},
	{RTM_GETNEIGH, AF_INET6},
};

int p4x_rtnl_dumper__dump(struct p4x_rtnl_dumper *d,
			  struct p4x_bridge_mirror *into,
			  struct p4x_dump_stats *st)
{
	int ret;

	for (int tries = 0; tries < P4X_DUMP_TRIES; tries++) {
		p4x_bridge_mirror__clear(into);
		st->interrupted = false;
		for (size_t i = 0; i < P4X_ARRAY_SIZE(p4x_dumps); i++) {
			ret = p4x_dump_one(d, p4x_dumps[i].type,
					   p4x_dumps[i].family, into, st);
			if (ret)
				return ret;
		}
		if (!st->interrupted)
			return 0;
		st->gaps++;
	}
	return -EAGAIN;
}
