// SPDX-License-Identifier: BSD-3-Clause
/* Load an nlmon capture into memory (see capture.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "capture.h"
#include "nlpcap.h"

static void note_link(struct capture *c, const struct nlmsghdr *nlh)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;

	if (nlh->nlmsg_type != RTM_NEWLINK || !nlh->nlmsg_pid ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi) ||
	    ifi->ifi_index <= 0 || ifi->ifi_index >= 64)
		return;
	mnl_attr_for_each(
		a, nlh,
		sizeof(*ifi)) if (mnl_attr_get_type(a) == IFLA_IFNAME &&
				  !mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
		snprintf(c->ifname[ifi->ifi_index], 16, "%s",
			 mnl_attr_get_str(a));
}

static int add(struct capture *c, unsigned int rec, uint16_t family,
	       const struct nlmsghdr *nlh)
{
	struct cap_msg *m;
	struct nlmsghdr *copy;

	if (!(c->n & 63)) {
		m = realloc(c->msgs, (c->n + 64) * sizeof(*m));
		if (!m)
			return -ENOMEM;
		c->msgs = m;
	}
	copy = malloc(nlh->nlmsg_len);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, nlh, nlh->nlmsg_len);
	c->msgs[c->n++] = (struct cap_msg){rec, family, copy};
	if (family == NETLINK_ROUTE)
		note_link(c, nlh);
	return 0;
}

static int add_record(struct capture *c, const struct p4x_nlpcap_rec *r,
		      char *err, size_t errsz)
{
	const struct nlmsghdr *nlh = r->data;
	int len = (int)r->len, ret;

	while (mnl_nlmsg_ok(nlh, len)) {
		ret = add(c, r->index, r->family, nlh);
		if (ret)
			return ret;
		nlh = mnl_nlmsg_next(nlh, &len);
	}
	if (len) {
		snprintf(err, errsz, "record %u: %d bytes left over", r->index,
			 len);
		return -EINVAL;
	}
	return 0;
}

int capture_load(struct capture *c, const char *path, char *err, size_t errsz)
{
	struct p4x_nlpcap_rec r;
	struct p4x_nlpcap *p;
	int ret;

	memset(c, 0, sizeof(*c));
	p = p4x_nlpcap__open(path, err, errsz);
	if (!p)
		return -errno;
	while ((ret = p4x_nlpcap__next(p, &r, err, errsz)) == 1) {
		ret = add_record(c, &r, err, errsz);
		if (ret)
			break;
	}
	p4x_nlpcap__close(p);
	if (ret)
		capture_free(c);
	return ret;
}

void capture_free(struct capture *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->msgs[i].nlh);
	free(c->msgs);
	memset(c, 0, sizeof(*c));
}
