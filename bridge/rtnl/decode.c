// SPDX-License-Identifier: BSD-3-Clause
/*
 * rtnetlink messages -> typed routing objects (libmnl attribute parsing),
 * and the small helpers every user of the objects needs (names, printing,
 * dispatch to a sink).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include "rtnl_priv.h"

#define P4X_ATTR_MAX 64 /* above every *_MAX used here */

struct p4x_attrs {
	const struct nlattr *tb[P4X_ATTR_MAX];
	int max;
};

static int p4x_attr_cb(const struct nlattr *a, void *data)
{
	struct p4x_attrs *at = data;
	int type = mnl_attr_get_type(a);

	if (type <= at->max)
		at->tb[type] = a;
	return MNL_CB_OK;
}

static int p4x_bad(struct p4x_rt_msg *msg, const char *fmt, const char *what)
{
	snprintf(msg->why, sizeof(msg->why), fmt, what);
	return -EBADMSG;
}

/* Copy a binary attribute of @min..@max bytes; returns its length or -1. */
static int p4x_attr_bytes(const struct nlattr *a, void *dst, size_t min,
			  size_t max)
{
	size_t len = mnl_attr_get_payload_len(a);

	if (len < min || len > max)
		return -1;
	memcpy(dst, mnl_attr_get_payload(a), len);
	return (int)len;
}

static bool p4x_u32_ok(const struct nlattr *a)
{
	return !a || mnl_attr_validate(a, MNL_TYPE_U32) >= 0;
}

static size_t p4x_family_len(uint8_t family)
{
	return family == AF_INET ? 4 : 16;
}

static bool p4x_family_ok(uint8_t family)
{
	return family == AF_INET || family == AF_INET6;
}

static int p4x_parse(const struct nlmsghdr *nlh, size_t hdr, int max,
		     struct p4x_attrs *at, struct p4x_rt_msg *msg)
{
	memset(at, 0, sizeof(*at));
	at->max = max;
	if (nlh->nlmsg_len < NLMSG_HDRLEN + NLMSG_ALIGN(hdr))
		return p4x_bad(msg, "%s: header truncated", "message");
	if (mnl_attr_parse(nlh, hdr, p4x_attr_cb, at) < 0)
		return p4x_bad(msg, "%s: malformed attributes", "message");
	return 0;
}

static int p4x_decode_link(const struct nlmsghdr *nlh, struct p4x_rt_msg *msg)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct p4x_rt_link *l = &msg->u.link;
	struct p4x_attrs at;
	int n;

	if (p4x_parse(nlh, sizeof(*ifi), IFLA_MAX, &at, msg))
		return -EBADMSG;
	if (ifi->ifi_family != AF_UNSPEC)
		return 0; /* AF_BRIDGE port info and the like */
	memset(l, 0, sizeof(*l));
	l->key.ifindex = (uint32_t)ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	if (!p4x_u32_ok(at.tb[IFLA_MTU]))
		return p4x_bad(msg, "link: %s is not a u32", "IFLA_MTU");
	if (at.tb[IFLA_MTU])
		l->mtu = mnl_attr_get_u32(at.tb[IFLA_MTU]);
	if (at.tb[IFLA_OPERSTATE])
		l->operstate = mnl_attr_get_u8(at.tb[IFLA_OPERSTATE]);
	if (at.tb[IFLA_ADDRESS]) {
		n = p4x_attr_bytes(at.tb[IFLA_ADDRESS], l->addr, 0,
				   sizeof(l->addr));
		if (n < 0)
			return p4x_bad(msg, "link: %s too long",
				       "IFLA_ADDRESS");
		l->addr_len = (uint8_t)n;
	}
	if (at.tb[IFLA_IFNAME] &&
	    mnl_attr_validate(at.tb[IFLA_IFNAME], MNL_TYPE_NUL_STRING) >= 0)
		snprintf(l->name, sizeof(l->name), "%s",
			 mnl_attr_get_str(at.tb[IFLA_IFNAME]));
	return 1;
}

static int p4x_decode_addr(const struct nlmsghdr *nlh, struct p4x_rt_msg *msg)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct p4x_rt_addr *a = &msg->u.addr;
	const struct nlattr *addr;
	struct p4x_attrs at;
	size_t alen;

	if (p4x_parse(nlh, sizeof(*ifa), IFA_MAX, &at, msg))
		return -EBADMSG;
	if (!p4x_family_ok(ifa->ifa_family))
		return 0;
	alen = p4x_family_len(ifa->ifa_family);
	memset(a, 0, sizeof(*a));
	a->key.ifindex = ifa->ifa_index;
	a->key.family = ifa->ifa_family;
	a->key.prefixlen = ifa->ifa_prefixlen;
	a->scope = ifa->ifa_scope;
	a->flags = ifa->ifa_flags;
	addr = at.tb[IFA_LOCAL] ? at.tb[IFA_LOCAL] : at.tb[IFA_ADDRESS];
	if (!addr || p4x_attr_bytes(addr, a->key.addr, alen, alen) < 0)
		return p4x_bad(msg, "addr: %s missing or of the wrong size",
			       "IFA_LOCAL/IFA_ADDRESS");
	if (!p4x_u32_ok(at.tb[IFA_FLAGS]))
		return p4x_bad(msg, "addr: %s is not a u32", "IFA_FLAGS");
	if (at.tb[IFA_FLAGS])
		a->flags = mnl_attr_get_u32(at.tb[IFA_FLAGS]);
	/*
	 * A tentative IPv6 address is not usable yet, and the kernel notifies
	 * it only once DAD is done: until then it is not an address.
	 */
	if (a->flags & IFA_F_TENTATIVE)
		msg->op = P4X_RT_DEL;
	return 1;
}

/* The gateway of a next hop: RTA_GATEWAY (route family) or RTA_VIA. */
static int p4x_decode_gw(const struct p4x_attrs *at, uint8_t family,
			 struct p4x_rt_nh *nh)
{
	const struct rtvia *via;
	size_t len;

	if (at->tb[RTA_GATEWAY]) {
		len = p4x_family_len(family);
		if (p4x_attr_bytes(at->tb[RTA_GATEWAY], nh->gw, len, len) < 0)
			return -1;
		nh->gw_family = family;
	} else if (at->tb[RTA_VIA]) {
		len = mnl_attr_get_payload_len(at->tb[RTA_VIA]);
		via = mnl_attr_get_payload(at->tb[RTA_VIA]);
		if (len < sizeof(*via) || !p4x_family_ok(via->rtvia_family) ||
		    len - sizeof(*via) != p4x_family_len(via->rtvia_family))
			return -1;
		nh->gw_family = (uint8_t)via->rtvia_family;
		memcpy(nh->gw, via->rtvia_addr, len - sizeof(*via));
	}
	return 0;
}

static int p4x_decode_multipath(const struct nlattr *mp, uint8_t family,
				struct p4x_rt_msg *msg)
{
	const uint8_t *p = mnl_attr_get_payload(mp);
	size_t left = mnl_attr_get_payload_len(mp);
	const struct rtnexthop *rtnh;
	struct p4x_rt_nh *nh;
	struct p4x_attrs at;
	uint32_t n = 0;
	size_t step;

	while (left >= sizeof(*rtnh)) {
		rtnh = (const struct rtnexthop *)p;
		if (rtnh->rtnh_len < sizeof(*rtnh) || rtnh->rtnh_len > left)
			return p4x_bad(msg, "route: %s",
				       "bad rtnexthop length");
		if (n == P4X_RT_NH_MAX)
			return p4x_bad(msg, "route: %s", "too many next hops");
		nh = &msg->nh[n++];
		memset(nh, 0, sizeof(*nh));
		nh->ifindex = (uint32_t)rtnh->rtnh_ifindex;
		nh->weight = (uint16_t)(rtnh->rtnh_hops + 1);
		nh->flags = rtnh->rtnh_flags & RTNH_F_ONLINK;
		memset(&at, 0, sizeof(at));
		at.max = RTA_MAX;
		if (mnl_attr_parse_payload(RTNH_DATA(rtnh),
					   rtnh->rtnh_len - sizeof(*rtnh),
					   p4x_attr_cb, &at) < 0 ||
		    p4x_decode_gw(&at, family, nh))
			return p4x_bad(msg, "route: %s",
				       "bad next hop attributes");
		step = RTNH_ALIGN(rtnh->rtnh_len);
		p += step;
		left -= P4X_MIN(left, step);
	}
	msg->u.route.nh_count = n;
	return 0;
}

static int p4x_route_table(const struct rtmsg *rtm, const struct p4x_attrs *at)
{
	if (!at->tb[RTA_TABLE])
		return rtm->rtm_table;
	if (!p4x_u32_ok(at->tb[RTA_TABLE]))
		return -1;
	return (int)mnl_attr_get_u32(at->tb[RTA_TABLE]);
}

static int p4x_route_attrs(const struct rtmsg *rtm, const struct p4x_attrs *at,
			   struct p4x_rt_msg *msg)
{
	struct p4x_rt_route *r = &msg->u.route;
	size_t alen = p4x_family_len(rtm->rtm_family);

	if (at->tb[RTA_DST] &&
	    p4x_attr_bytes(at->tb[RTA_DST], r->key.dst, alen, alen) < 0)
		return p4x_bad(msg, "route: %s of the wrong size", "RTA_DST");
	if (at->tb[RTA_PREFSRC] &&
	    p4x_attr_bytes(at->tb[RTA_PREFSRC], r->prefsrc, alen, alen) < 0)
		return p4x_bad(msg, "route: %s of the wrong size",
			       "RTA_PREFSRC");
	if (!p4x_u32_ok(at->tb[RTA_PRIORITY]) || !p4x_u32_ok(at->tb[RTA_OIF]) ||
	    !p4x_u32_ok(at->tb[RTA_NH_ID]))
		return p4x_bad(msg, "route: %s is not a u32",
			       "RTA_PRIORITY/OIF/NH_ID");
	if (at->tb[RTA_PRIORITY])
		r->key.priority = mnl_attr_get_u32(at->tb[RTA_PRIORITY]);
	if (at->tb[RTA_NH_ID])
		r->nh_id = mnl_attr_get_u32(at->tb[RTA_NH_ID]);
	return 0;
}

static int p4x_route_nexthops(const struct rtmsg *rtm,
			      const struct p4x_attrs *at,
			      struct p4x_rt_msg *msg)
{
	struct p4x_rt_nh *nh = &msg->nh[0];

	if (at->tb[RTA_MULTIPATH])
		return p4x_decode_multipath(at->tb[RTA_MULTIPATH],
					    rtm->rtm_family, msg);
	if (!at->tb[RTA_OIF] && !at->tb[RTA_GATEWAY] && !at->tb[RTA_VIA])
		return 0; /* blackhole, unreachable, nexthop object only */
	memset(nh, 0, sizeof(*nh));
	nh->weight = 1;
	nh->flags = rtm->rtm_flags & RTNH_F_ONLINK;
	if (at->tb[RTA_OIF])
		nh->ifindex = mnl_attr_get_u32(at->tb[RTA_OIF]);
	if (p4x_decode_gw(at, rtm->rtm_family, nh))
		return p4x_bad(msg, "route: %s", "bad RTA_GATEWAY/RTA_VIA");
	msg->u.route.nh_count = 1;
	return 0;
}

static int p4x_decode_route(const struct nlmsghdr *nlh, struct p4x_rt_msg *msg)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct p4x_rt_route *r = &msg->u.route;
	struct p4x_attrs at;
	int table;

	if (p4x_parse(nlh, sizeof(*rtm), RTA_MAX, &at, msg))
		return -EBADMSG;
	if (!p4x_family_ok(rtm->rtm_family) || rtm->rtm_flags & RTM_F_CLONED)
		return 0;
	table = p4x_route_table(rtm, &at);
	if (table < 0)
		return p4x_bad(msg, "route: %s is not a u32", "RTA_TABLE");
	if (table != RT_TABLE_MAIN)
		return 0;
	if (rtm->rtm_dst_len > p4x_family_len(rtm->rtm_family) * 8)
		return p4x_bad(msg, "route: %s", "prefix length too long");
	memset(r, 0, sizeof(*r));
	r->key.table = (uint32_t)table;
	r->key.family = rtm->rtm_family;
	r->key.dst_len = rtm->rtm_dst_len;
	r->key.tos = rtm->rtm_tos;
	r->type = rtm->rtm_type;
	r->protocol = rtm->rtm_protocol;
	r->scope = rtm->rtm_scope;
	r->nh = msg->nh;
	if (p4x_route_attrs(rtm, &at, msg) || p4x_route_nexthops(rtm, &at, msg))
		return -EBADMSG;
	if (r->key.family == AF_INET6 && r->nh_count == 1 &&
	    !msg->nh[0].gw_family)
		r->key.oif = msg->nh[0].ifindex;
	return 1;
}

/*
 * Multicast neighbours (ff00::/8, 224.0.0.0/4, and the IPv4 broadcast) map
 * to a fixed MAC and the kernel creates them without a notification: out
 * of scope.
 */
static bool p4x_is_multicast(uint8_t family, const uint8_t *a)
{
	if (family == AF_INET6)
		return a[0] == 0xff;
	return (a[0] & 0xf0) == 0xe0 ||
	       (a[0] == 255 && a[1] == 255 && a[2] == 255 && a[3] == 255);
}

static int p4x_decode_neigh(const struct nlmsghdr *nlh, struct p4x_rt_msg *msg)
{
	const struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);
	struct p4x_rt_neigh *n = &msg->u.neigh;
	struct p4x_attrs at;
	size_t alen;
	int len;

	if (p4x_parse(nlh, sizeof(*ndm), NDA_MAX, &at, msg))
		return -EBADMSG;
	if (!p4x_family_ok(ndm->ndm_family) || ndm->ndm_flags & NTF_PROXY)
		return 0;
	alen = p4x_family_len(ndm->ndm_family);
	memset(n, 0, sizeof(*n));
	n->key.ifindex = (uint32_t)ndm->ndm_ifindex;
	n->key.family = ndm->ndm_family;
	n->state = ndm->ndm_state;
	n->flags = ndm->ndm_flags;
	if (!at.tb[NDA_DST] ||
	    p4x_attr_bytes(at.tb[NDA_DST], n->key.addr, alen, alen) < 0)
		return p4x_bad(msg, "neigh: %s missing or of the wrong size",
			       "NDA_DST");
	if (p4x_is_multicast(n->key.family, n->key.addr))
		return 0;
	if (at.tb[NDA_LLADDR]) {
		len = p4x_attr_bytes(at.tb[NDA_LLADDR], n->lladdr, 0,
				     sizeof(n->lladdr));
		if (len < 0)
			return p4x_bad(msg, "neigh: %s too long", "NDA_LLADDR");
		n->lladdr_len = (uint8_t)len;
	}
	return 1;
}

/*
 * Routes over a nexthop object carry it expanded (nexthop_compat_mode), and
 * the kernel notifies them when the object changes, but not when deleting
 * the object deletes them: only that deletion matters here.
 */
static int p4x_decode_nhobj_del(const struct nlmsghdr *nlh,
				struct p4x_rt_msg *msg)
{
	struct p4x_attrs at;

	if (p4x_parse(nlh, sizeof(struct nhmsg), NHA_MAX, &at, msg))
		return -EBADMSG;
	if (!at.tb[NHA_ID] || !p4x_u32_ok(at.tb[NHA_ID]))
		return p4x_bad(msg, "nexthop: %s missing or not a u32",
			       "NHA_ID");
	msg->nhobj_del = mnl_attr_get_u32(at.tb[NHA_ID]);
	return 2;
}

int p4x_rt__decode(const struct nlmsghdr *nlh, struct p4x_rt_msg *msg)
{
	msg->op = P4X_RT_ADD;
	switch (nlh->nlmsg_type) {
	case RTM_DELLINK:
		msg->op = P4X_RT_DEL;
		/* fall through */
	case RTM_NEWLINK:
		msg->kind = P4X_RT_LINK;
		return p4x_decode_link(nlh, msg);
	case RTM_DELADDR:
		msg->op = P4X_RT_DEL;
		/* fall through */
	case RTM_NEWADDR:
		msg->kind = P4X_RT_ADDR;
		return p4x_decode_addr(nlh, msg);
	case RTM_DELROUTE:
		msg->op = P4X_RT_DEL;
		/* fall through */
	case RTM_NEWROUTE:
		msg->kind = P4X_RT_ROUTE;
		return p4x_decode_route(nlh, msg);
	case RTM_DELNEIGH:
		msg->op = P4X_RT_DEL;
		/* fall through */
	case RTM_NEWNEIGH:
		msg->kind = P4X_RT_NEIGH;
		return p4x_decode_neigh(nlh, msg);
	case RTM_DELNEXTHOP:
		return p4x_decode_nhobj_del(nlh, msg);
	default:
		return 0; /* NLMSG_DONE, RTM_GETNEIGH probes, ... */
	}
}

/* ------------------------------------------------------------------------ */

static const char *const p4x_kind_names[P4X_RT_KIND_MAX] = {"link", "addr",
							    "route", "neigh"};

const char *p4x_rt_kind__name(enum p4x_rt_kind kind)
{
	return kind < P4X_RT_KIND_MAX ? p4x_kind_names[kind] : "?";
}

const char *p4x_rt_op__name(enum p4x_rt_op op)
{
	static const char *const names[] = {"add", "replace", "del"};

	return op <= P4X_RT_DEL ? names[op] : "?";
}

int p4x_bridge_rt_sink__apply(const struct p4x_bridge_rt_sink *sink,
			      enum p4x_rt_kind kind, enum p4x_rt_op op,
			      const void *obj)
{
	switch (kind) {
	case P4X_RT_LINK:
		return sink->ops->link(sink->ctx, op, obj);
	case P4X_RT_ADDR:
		return sink->ops->addr(sink->ctx, op, obj);
	case P4X_RT_ROUTE:
		return sink->ops->route(sink->ctx, op, obj);
	case P4X_RT_NEIGH:
		return sink->ops->neigh(sink->ctx, op, obj);
	default:
		return -EINVAL;
	}
}

static const char *p4x_ntop(uint8_t family, const uint8_t *a, char *buf)
{
	if (!inet_ntop(family == AF_INET ? AF_INET : AF_INET6, a, buf,
		       INET6_ADDRSTRLEN))
		return "?";
	return buf;
}

static void p4x_hex(const uint8_t *p, size_t n, char *buf)
{
	for (size_t i = 0; i < n; i++)
		sprintf(buf + 3 * i, "%02x%s", p[i], i + 1 < n ? ":" : "");
	if (!n)
		strcpy(buf, "none");
}

static int p4x_route_snprintf(char *buf, size_t len,
			      const struct p4x_rt_route *r)
{
	char a[INET6_ADDRSTRLEN], g[INET6_ADDRSTRLEN];
	int off;

	off = snprintf(buf, len,
		       "route %s/%u metric %u tos %u type %u proto %u"
		       " nh_id %u nh %u:",
		       p4x_ntop(r->key.family, r->key.dst, a), r->key.dst_len,
		       r->key.priority, r->key.tos, r->type, r->protocol,
		       r->nh_id, r->nh_count);
	for (uint32_t i = 0; i < r->nh_count && off >= 0 && (size_t)off < len;
	     i++)
		off += snprintf(
			buf + off, len - off, " %s@%u*%u",
			r->nh[i].gw_family
				? p4x_ntop(r->nh[i].gw_family, r->nh[i].gw, g)
				: "direct",
			r->nh[i].ifindex, r->nh[i].weight);
	return off;
}

int p4x_rt__snprintf(char *buf, size_t len, enum p4x_rt_kind kind,
		     const void *obj)
{
	const struct p4x_rt_link *l = obj;
	const struct p4x_rt_addr *ad = obj;
	const struct p4x_rt_neigh *n = obj;
	char a[INET6_ADDRSTRLEN], h[3 * P4X_RT_LLADDR_MAX + 1];

	switch (kind) {
	case P4X_RT_LINK:
		p4x_hex(l->addr, l->addr_len, h);
		return snprintf(buf, len,
				"link %u %s flags 0x%x mtu %u oper %u addr %s",
				l->key.ifindex, l->name, l->flags, l->mtu,
				l->operstate, h);
	case P4X_RT_ADDR:
		return snprintf(buf, len,
				"addr %s/%u dev %u flags 0x%x scope %u",
				p4x_ntop(ad->key.family, ad->key.addr, a),
				ad->key.prefixlen, ad->key.ifindex, ad->flags,
				ad->scope);
	case P4X_RT_ROUTE:
		return p4x_route_snprintf(buf, len, obj);
	case P4X_RT_NEIGH:
		p4x_hex(n->lladdr, n->lladdr_len, h);
		return snprintf(buf, len,
				"neigh %s dev %u lladdr %s state 0x%x",
				p4x_ntop(n->key.family, n->key.addr, a),
				n->key.ifindex, h, n->state);
	default:
		return snprintf(buf, len, "?");
	}
}
