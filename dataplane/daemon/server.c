// SPDX-License-Identifier: BSD-3-Clause
/*
 * The control-socket server: one poll loop on the main thread over the
 * listening socket, the signalfd and the connected clients. Each datagram
 * is checked as a whole, then every request in it is validated against
 * its handler's attribute policy and dispatched; failures are answered
 * with an extended ack and change nothing.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "p4x/log.h"

#include "bridge_d.h"
#include "p4rt.h"
#include "progload.h"
#include "sched_ctl.h"

struct nlmsghdr *p4xd_reply__start(struct p4xd_reply *r, uint16_t flags)
{
	return p4x_ctl_msg_put(r->buf, r->req->nlmsg_type, flags,
			       r->req->nlmsg_seq);
}

int p4xd_reply__send(struct p4xd_reply *r, const struct nlmsghdr *nlh)
{
	/* blocking, bounded by SO_SNDTIMEO: a dump outgrows the buffer */
	if (send(r->fd, nlh, nlh->nlmsg_len, MSG_NOSIGNAL) < 0)
		return -errno;
	return 0;
}

static int send_err(struct p4xd_reply *r, const struct p4x_ctl_err *err)
{
	return p4xd_reply__send(r, p4x_ctl_err_put(r->buf, r->req, err));
}

static const struct p4xd_handler *find_handler(uint16_t type)
{
	const struct p4xd_handler *h;

	for (h = p4xd_handlers; h->type; h++)
		if (h->type == type)
			return h;
	return NULL;
}

/* Validate and run one request; 0 or -errno with @err filled. */
static int dispatch(struct p4xd *d, struct p4xd_reply *r,
		    struct p4x_ctl_err *err)
{
	const struct nlattr *tb[P4XD_TB_SIZE];
	const struct nlmsghdr *nlh = r->req;
	const struct p4xd_handler *h = find_handler(nlh->nlmsg_type);
	bool dump = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	const char *name = p4x_ctl_msg_name(nlh->nlmsg_type);

	if (!(nlh->nlmsg_flags & NLM_F_REQUEST)) {
		p4x_ctl_err_set(err, -EINVAL, 0,
				"not a request (no "
				"NLM_F_REQUEST flag)");
		return err->code;
	}
	if (!h) {
		p4x_ctl_err_set(err, -EOPNOTSUPP, 0, "unknown message type %u",
				nlh->nlmsg_type);
		return err->code;
	}
	if ((dump && !h->dumpit) || (!dump && !h->doit)) {
		p4x_ctl_err_set(err, -EOPNOTSUPP, 0, "%s: %s", name,
				dump ? "dump not supported"
				     : "only a dump (NLM_F_DUMP) is supported");
		return err->code;
	}
	if (p4x_ctl_parse(nlh, h->req_set, tb, err))
		return err->code;
	return dump ? h->dumpit(d, tb, r, err) : h->doit(d, tb, r, err);
}

/* Answer one request; -errno only when the client cannot be written to. */
static int serve_one(struct p4xd *d, int fd, const struct nlmsghdr *nlh)
{
	static struct p4xd_reply r;
	struct p4x_ctl_err err = {0};
	int ret;

	r.fd = fd;
	r.req = nlh;
	ret = dispatch(d, &r, &err);
	if (ret == -EPIPE || ret == -EAGAIN || ret == -ECONNRESET ||
	    ret == -EWOULDBLOCK)
		return ret;
	if (ret) {
		if (!err.code)
			p4x_ctl_err_set(&err, ret, 0, "%s", strerror(-ret));
		p4x_debug("control: %s rejected: %s",
			  p4x_ctl_msg_name(nlh->nlmsg_type) ?: "request",
			  err.msg);
		return send_err(&r, &err);
	}
	if ((nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP)
		return p4xd_reply__send(&r, p4x_ctl_done_put(r.buf, nlh));
	if (nlh->nlmsg_flags & NLM_F_ACK)
		return send_err(&r, &err);
	return 0;
}

int p4xd_serve_datagram(struct p4xd *d, int fd, const void *buf, size_t len,
			bool truncated)
{
	const struct nlmsghdr *nlh = buf;
	struct nlmsghdr empty = {.nlmsg_len = sizeof(empty)};
	struct p4x_ctl_err err = {0};
	int left = (int)len, ret = 0;

	if (truncated)
		p4x_ctl_err_set(&err, -EMSGSIZE, 0,
				"datagram larger than %u bytes",
				P4X_CTL_MSG_MAX);
	else
		p4x_ctl_check_buf(buf, len, &err);
	if (err.code) {
		static struct p4xd_reply r;

		/* Echo whatever header there is, so the seq is kept. */
		if (len >= sizeof(empty))
			memcpy(&empty, buf, sizeof(empty));
		r.fd = fd;
		r.req = &empty;
		return send_err(&r, &err);
	}
	for (; !ret && mnl_nlmsg_ok(nlh, left);
	     nlh = mnl_nlmsg_next(nlh, &left))
		ret = serve_one(d, fd, nlh);
	return ret;
}

static void drop_client(struct p4xd *d, unsigned int i)
{
	p4xd_p4__client_gone(d->p4, d->clients[i]);
	close(d->clients[i]);
	d->clients[i] = d->clients[--d->nb_clients];
}

static void accept_client(struct p4xd *d)
{
	struct timeval tv = {.tv_sec = P4XD_SEND_TIMEOUT_MS / 1000,
			     .tv_usec = P4XD_SEND_TIMEOUT_MS % 1000 * 1000};
	int fd = accept4(d->listen_fd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0) {
		if (errno != EAGAIN && errno != EINTR)
			p4x_warn("control: accept: %s", strerror(errno));
		return;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)))
		p4x_warn("control: SO_SNDTIMEO: %s", strerror(errno));
	if (d->nb_clients == P4XD_MAX_CLIENTS) {
		p4x_warn("control: more than %d clients, refusing one",
			 P4XD_MAX_CLIENTS);
		close(fd);
		return;
	}
	d->clients[d->nb_clients++] = fd;
}

/* Read one datagram from client @i; false when the client is gone. */
static bool read_client(struct p4xd *d, unsigned int i)
{
	static char buf[P4X_CTL_MSG_MAX];
	ssize_t len;
	int ret;

	len = recv(d->clients[i], buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
	if (len < 0 && (errno == EAGAIN || errno == EINTR))
		return true;
	if (len <= 0)
		return false;
	ret = p4xd_serve_datagram(d, d->clients[i], buf,
				  P4X_MIN((size_t)len, sizeof(buf)),
				  (size_t)len > sizeof(buf));
	if (ret)
		p4x_debug("control: dropping a client: %s", strerror(-ret));
	return ret == 0;
}

static void read_signal(struct p4xd *d)
{
	struct signalfd_siginfo si;

	if (read(d->sig_fd, &si, sizeof(si)) != sizeof(si))
		return;
	p4x_info("received signal %u, stopping", si.ssi_signo);
	d->stop = true;
}

static int min_timeout(int a, int b)
{
	return a < 0 ? b : b < 0 ? a : P4X_MIN(a, b);
}

/* The shortest timeout the P4 runtime, schedulers, bridge and the P4TC
 * program ask for. */
static int poll_timeout(const struct p4xd *d)
{
	return min_timeout(min_timeout(min_timeout(p4xd_p4__timeout_ms(d->p4),
						   p4xd_sched__timeout_ms(d)),
				       p4xd_bridge__timeout_ms(d)),
			   p4xd_prog_timeout_ms(d));
}

int p4xd_serve(struct p4xd *d)
{
	struct pollfd pfd[P4XD_MAX_CLIENTS + 2 + P4XD_BRIDGE_FDS];
	unsigned int i, n;

	while (!d->stop) {
		pfd[0] = (struct pollfd){.fd = d->sig_fd, .events = POLLIN};
		pfd[1] = (struct pollfd){.fd = d->listen_fd, .events = POLLIN};
		for (i = 0; i < d->nb_clients; i++)
			pfd[2 + i] = (struct pollfd){.fd = d->clients[i],
						     .events = POLLIN};
		n = 2 + d->nb_clients;
		n += p4xd_bridge__pollfds(d, &pfd[n]);
		if (poll(pfd, n, poll_timeout(d)) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p4xd_p4__tick(d->p4);
		p4xd_sched__tick(d);
		p4xd_bridge__tick(d);
		p4xd_prog_tick(d);
		if (pfd[0].revents)
			read_signal(d);
		/* Backwards, so dropping client i keeps the others' slots. */
		for (i = 2 + d->nb_clients - 1; i >= 2; i--)
			if (pfd[i].revents && !read_client(d, i - 2))
				drop_client(d, i - 2);
		if (pfd[1].revents)
			accept_client(d);
	}
	while (d->nb_clients)
		drop_client(d, 0);
	return 0;
}
