// SPDX-License-Identifier: BSD-3-Clause
/* Control protocol transport: the AF_UNIX SOCK_SEQPACKET socket. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "p4x/ctl.h"

const char *p4x_ctl_sock_path(const char *path)
{
	const char *env = getenv(P4X_CTL_SOCK_ENV);

	if (path)
		return path;
	if (env && *env)
		return env;
	return P4X_CTL_SOCK_DEFAULT;
}

static int sock_addr(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	strcpy(sun->sun_path, path);
	return 0;
}

int p4x_ctl_connect(const char *path)
{
	struct sockaddr_un sun;
	int fd, ret;

	ret = sock_addr(path, &sun);
	if (ret)
		return ret;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

/* Create the directory holding @path when it is missing (one level). */
static int make_parent(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

/* A socket file at @path: -EADDRINUSE if live, else unlinked. */
static int clear_stale(const char *path)
{
	int fd = p4x_ctl_connect(path);

	if (fd >= 0) {
		close(fd);
		return -EADDRINUSE;
	}
	if (fd == -ENOENT)
		return 0;
	if (fd != -ECONNREFUSED)
		return fd;
	if (unlink(path) && errno != ENOENT)
		return -errno;
	return 0;
}

int p4x_ctl_listen(const char *path)
{
	struct sockaddr_un sun;
	int fd, ret;

	ret = sock_addr(path, &sun);
	if (!ret)
		ret = make_parent(path);
	if (!ret)
		ret = clear_stale(path);
	if (ret)
		return ret;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)))
		goto err_close;
	if (listen(fd, 16))
		goto err_unlink;
	return fd;

err_unlink:
	ret = -errno;
	unlink(path);
	close(fd);
	return ret;
err_close:
	ret = -errno;
	close(fd);
	return ret;
}

/* Handle one reply message; 1: exchange over, 0: more to come, <0: error */
static int reply_one(const struct nlmsghdr *nlh, const struct nlmsghdr *req,
		     p4x_ctl_reply_fn fn, void *arg, struct p4x_ctl_err *err)
{
	int ret;

	if (nlh->nlmsg_seq != req->nlmsg_seq) {
		p4x_ctl_err_set(err, -EPROTO, 0,
				"reply seq %u does not match request seq %u",
				nlh->nlmsg_seq, req->nlmsg_seq);
		return err->code;
	}
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		ret = p4x_ctl_err_parse(nlh, err);
		return ret ? ret : 1;
	}
	if (nlh->nlmsg_type == NLMSG_DONE)
		return 1;
	if (nlh->nlmsg_type != req->nlmsg_type) {
		p4x_ctl_err_set(err, -EPROTO, 0,
				"reply type %u to a request of type %u",
				nlh->nlmsg_type, req->nlmsg_type);
		return err->code;
	}
	ret = fn(nlh, arg);
	if (ret) {
		p4x_ctl_err_set(err, ret, 0, "cannot decode %s reply: %s",
				p4x_ctl_msg_name(req->nlmsg_type),
				strerror(-ret));
		return ret;
	}
	/* A non-dump without NLM_F_ACK ends with its single reply. */
	return !(nlh->nlmsg_flags & NLM_F_MULTI) &&
	       !(req->nlmsg_flags & NLM_F_ACK);
}

static int recv_replies(int fd, const struct nlmsghdr *req, p4x_ctl_reply_fn fn,
			void *arg, struct p4x_ctl_err *err)
{
	char buf[P4X_CTL_MSG_MAX];
	const struct nlmsghdr *nlh;
	ssize_t len;
	int left, ret = 0;

	while (ret == 0) {
		len = recv(fd, buf, sizeof(buf), 0);
		if (len <= 0) {
			p4x_ctl_err_set(err, len ? -errno : -ECONNRESET, 0,
					"receiving reply: %s",
					len ? strerror(errno)
					    : "daemon closed the connection");
			return err->code;
		}
		ret = p4x_ctl_check_buf(buf, (size_t)len, err);
		if (ret)
			return ret;
		left = (int)len;
		for (nlh = (void *)buf; ret == 0 && mnl_nlmsg_ok(nlh, left);
		     nlh = mnl_nlmsg_next(nlh, &left))
			ret = reply_one(nlh, req, fn, arg, err);
	}
	return ret < 0 ? ret : 0;
}

int p4x_ctl_request(int fd, struct nlmsghdr *req, p4x_ctl_reply_fn fn,
		    void *arg, struct p4x_ctl_err *err)
{
	memset(err, 0, sizeof(*err));
	if (send(fd, req, req->nlmsg_len, MSG_NOSIGNAL) < 0) {
		p4x_ctl_err_set(err, -errno, 0, "sending request: %s",
				strerror(errno));
		return err->code;
	}
	return recv_replies(fd, req, fn, arg, err);
}
