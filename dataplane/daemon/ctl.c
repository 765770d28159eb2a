// SPDX-License-Identifier: BSD-3-Clause
/* Control protocol: attribute policies, validation, encoding, acks. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "p4x/ctl.h"
#include "p4x/ctl_bridge.h"
#include "p4x/engine.h"

static const struct p4x_ctl_policy status_policy[] = {
	[P4X_CTL_STATUS_VERSION] = {"version", MNL_TYPE_NUL_STRING, 64},
	[P4X_CTL_STATUS_PROTO] = {"proto", MNL_TYPE_U32},
	[P4X_CTL_STATUS_PID] = {"pid", MNL_TYPE_U32},
	[P4X_CTL_STATUS_UPTIME_MS] = {"uptime_ms", MNL_TYPE_U64},
	[P4X_CTL_STATUS_PROG] = {"prog", MNL_TYPE_NUL_STRING, 64},
	[P4X_CTL_STATUS_NB_PORTS] = {"nb_ports", MNL_TYPE_U32},
	[P4X_CTL_STATUS_NB_WORKERS] = {"nb_workers", MNL_TYPE_U32},
};

const struct p4x_ctl_attr_set p4x_ctl_status_set = {
	"status",
	P4X_CTL_STATUS_MAX,
	status_policy,
};

const struct p4x_ctl_attr_set p4x_ctl_port_counter_set = {
	"port counters",
	P4X_PORT_CNT__COUNT,
	NULL,
};

const struct p4x_ctl_attr_set p4x_ctl_drop_set = {
	"drop reasons",
	P4X_DROP__COUNT,
	NULL,
};

const struct p4x_ctl_attr_set p4x_ctl_xdp_counter_set = {
	"xdp counters",
	P4X_XDP_CNT__COUNT,
	NULL,
};

static const struct p4x_ctl_policy port_policy[] = {
	[P4X_CTL_PORT_INDEX] = {"index", MNL_TYPE_U32},
	[P4X_CTL_PORT_NAME] = {"name", MNL_TYPE_NUL_STRING, P4X_IFNAMSIZ},
	[P4X_CTL_PORT_IFINDEX] = {"ifindex", MNL_TYPE_U32},
	[P4X_CTL_PORT_KIND] = {"kind", MNL_TYPE_NUL_STRING, 16},
	[P4X_CTL_PORT_QUEUES] = {"queues", MNL_TYPE_U32},
	[P4X_CTL_PORT_MODE] = {"mode", MNL_TYPE_U8},
	[P4X_CTL_PORT_ZEROCOPY] = {"zerocopy", MNL_TYPE_U8},
	[P4X_CTL_PORT_MULTI_PROG] = {"multi_prog", MNL_TYPE_U8},
	[P4X_CTL_PORT_LINK_UP] = {"link_up", MNL_TYPE_U8},
	[P4X_CTL_PORT_MAC] = {"mac", MNL_TYPE_BINARY, 6},
	[P4X_CTL_PORT_MTU] = {"mtu", MNL_TYPE_U32},
	[P4X_CTL_PORT_STATS] = {"stats", MNL_TYPE_NESTED, 0,
				&p4x_ctl_port_counter_set},
	[P4X_CTL_PORT_DROPS] = {"drops", MNL_TYPE_NESTED, 0, &p4x_ctl_drop_set},
	[P4X_CTL_PORT_XDP_STATS] = {"xdp_stats", MNL_TYPE_NESTED, 0,
				    &p4x_ctl_xdp_counter_set},
	[P4X_CTL_PORT_XDP_DROPS] = {"xdp_drops", MNL_TYPE_NESTED, 0,
				    &p4x_ctl_drop_set},
};

const struct p4x_ctl_attr_set p4x_ctl_port_set = {
	"port",
	P4X_CTL_PORT_MAX,
	port_policy,
};

static const struct p4x_ctl_policy worker_policy[] = {
	[P4X_CTL_WORKER_ID] = {"id", MNL_TYPE_U32},
	[P4X_CTL_WORKER_CORE] = {"core", MNL_TYPE_U32},
	[P4X_CTL_WORKER_PORT] = {"port", MNL_TYPE_NUL_STRING, P4X_IFNAMSIZ},
	[P4X_CTL_WORKER_QUEUE] = {"queue", MNL_TYPE_U32},
	[P4X_CTL_WORKER_RX] = {"rx_packets", MNL_TYPE_U64},
	[P4X_CTL_WORKER_TX] = {"tx_packets", MNL_TYPE_U64},
	[P4X_CTL_WORKER_DROPS] = {"drops", MNL_TYPE_U64},
	[P4X_CTL_WORKER_LOOPS] = {"loops", MNL_TYPE_U64},
	[P4X_CTL_WORKER_BUSY] = {"busy_loops", MNL_TYPE_U64},
	[P4X_CTL_WORKER_ONLINE] = {"online", MNL_TYPE_U8},
};

const struct p4x_ctl_attr_set p4x_ctl_worker_set = {
	"worker",
	P4X_CTL_WORKER_MAX,
	worker_policy,
};

const char *p4x_ctl_msg_name(uint16_t type)
{
	switch (type) {
	case P4X_CTL_MSG_GET_STATUS:
		return "get_status";
	case P4X_CTL_MSG_GET_PORT:
		return "get_port";
	case P4X_CTL_MSG_GET_WORKER:
		return "get_worker";
	case P4X_CTL_MSG_SCHED_GET:
		return "sched_get";
	case P4X_CTL_MSG_SCHED_SET:
		return "sched_set";
	case P4X_CTL_MSG_BRIDGE_STATUS:
		return "bridge_status";
	case P4X_CTL_MSG_BRIDGE_DIFF:
		return "bridge_diff";
	case P4X_CTL_MSG_P4TEMPLATE:
		return "p4template";
	case P4X_CTL_MSG_P4_PIPELINE:
		return "p4_pipeline";
	case P4X_CTL_MSG_PROG_LOAD:
		return "prog_load";
	case P4X_CTL_MSG_P4_CREATE:
		return "p4_create";
	case P4X_CTL_MSG_P4_UPDATE:
		return "p4_update";
	case P4X_CTL_MSG_P4_GET:
		return "p4_get";
	case P4X_CTL_MSG_P4_DELETE:
		return "p4_delete";
	case P4X_CTL_MSG_P4_SUBSCRIBE:
		return "p4_subscribe";
	case P4X_CTL_MSG_P4_EVENT:
		return "p4_event";
	default:
		return NULL;
	}
}

void p4x_ctl_err_set(struct p4x_ctl_err *err, int code, uint32_t offset,
		     const char *fmt, ...)
{
	va_list ap;

	err->code = code;
	err->offset = offset;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

int p4x_ctl_check_buf(const void *buf, size_t len, struct p4x_ctl_err *err)
{
	const struct nlmsghdr *nlh = buf;
	int left = (int)len;

	if (len == 0) {
		p4x_ctl_err_set(err, -EBADMSG, 0, "empty message");
		return err->code;
	}
	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
		const struct p4x_ctlmsg *cm;

		if (nlh->nlmsg_type == NLMSG_ERROR ||
		    nlh->nlmsg_type == NLMSG_DONE)
			continue;
		if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*cm)) {
			p4x_ctl_err_set(err, -EBADMSG, 0,
					"message type %u: %u bytes, too short "
					"for the p4x_ctlmsg header",
					nlh->nlmsg_type, nlh->nlmsg_len);
			return err->code;
		}
		cm = mnl_nlmsg_get_payload(nlh);
		if (cm->version != P4X_CTL_VERSION) {
			p4x_ctl_err_set(err, -EPROTO, 0,
					"protocol version %u, expected %u",
					cm->version, P4X_CTL_VERSION);
			return err->code;
		}
	}
	if (left != 0) {
		p4x_ctl_err_set(err, -EBADMSG, (uint32_t)(len - (size_t)left),
				"truncated message: %d trailing bytes do not "
				"form a netlink message",
				left);
		return err->code;
	}
	return 0;
}

static const char *type_name(enum mnl_attr_data_type type)
{
	switch (type) {
	case MNL_TYPE_U8:
		return "u8";
	case MNL_TYPE_U16:
		return "u16";
	case MNL_TYPE_U32:
		return "u32";
	case MNL_TYPE_U64:
		return "u64";
	case MNL_TYPE_NUL_STRING:
		return "nul-terminated string";
	case MNL_TYPE_BINARY:
		return "binary";
	case MNL_TYPE_NESTED:
		return "nest";
	default:
		return "value";
	}
}

static int check_attr(const struct nlattr *a, const struct p4x_ctl_policy *p,
		      const char *set, uint32_t off, struct p4x_ctl_err *err);

static int parse_attrs(const void *payload, size_t len, uint32_t base,
		       const struct p4x_ctl_attr_set *set,
		       const struct nlattr **tb, struct p4x_ctl_err *err)
{
	static const struct p4x_ctl_policy u64_policy = {
		.name = "counter",
		.type = MNL_TYPE_U64,
	};
	const struct nlattr *a = payload;
	int left = (int)len;

	for (; mnl_attr_ok(a, left); a = mnl_attr_next(a)) {
		uint16_t id = mnl_attr_get_type(a);
		uint32_t off = base + (uint32_t)((const char *)a -
						 (const char *)payload);
		const struct p4x_ctl_policy *p = &u64_policy;

		left -= MNL_ALIGN(a->nla_len);
		if (id == 0 || id > set->max ||
		    (set->policy && set->policy[id].type == MNL_TYPE_UNSPEC)) {
			p4x_ctl_err_set(err, -EINVAL, off,
					"%s: unknown attribute %u", set->name,
					id);
			return err->code;
		}
		if (set->policy)
			p = &set->policy[id];
		if (check_attr(a, p, set->name, off, err))
			return err->code;
		if (tb)
			tb[id] = a;
	}
	if (left != 0) {
		p4x_ctl_err_set(err, -EINVAL, base + (uint32_t)(len - left),
				"%s: attribute truncated or with a bad length "
				"(%d bytes left)",
				set->name, left);
		return err->code;
	}
	return 0;
}

static int check_string(const struct nlattr *a, const struct p4x_ctl_policy *p,
			const char *set, uint32_t off, struct p4x_ctl_err *err)
{
	uint16_t plen = mnl_attr_get_payload_len(a);
	const char *s = mnl_attr_get_payload(a);

	if (plen == 0 || s[plen - 1] != '\0' || strlen(s) != plen - 1U) {
		p4x_ctl_err_set(err, -EINVAL, off,
				"%s: attribute '%s' is not a nul-terminated "
				"string",
				set, p->name);
		return err->code;
	}
	if (p->len && plen > p->len) {
		p4x_ctl_err_set(err, -EINVAL, off,
				"%s: attribute '%s' is %u bytes long, at most "
				"%u allowed",
				set, p->name, plen - 1U, p->len - 1U);
		return err->code;
	}
	return 0;
}

static int check_attr(const struct nlattr *a, const struct p4x_ctl_policy *p,
		      const char *set, uint32_t off, struct p4x_ctl_err *err)
{
	int ret;

	switch (p->type) {
	case MNL_TYPE_NUL_STRING:
		return check_string(a, p, set, off, err);
	case MNL_TYPE_NESTED:
		if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0)
			break;
		return parse_attrs(mnl_attr_get_payload(a),
				   mnl_attr_get_payload_len(a),
				   off + MNL_ATTR_HDRLEN, p->nest, NULL, err);
	case MNL_TYPE_BINARY:
		ret = mnl_attr_validate2(a, MNL_TYPE_BINARY, p->len);
		if (ret == 0)
			return 0;
		p4x_ctl_err_set(err, -EINVAL, off,
				"%s: attribute '%s' has %u bytes, expected %u",
				set, p->name, mnl_attr_get_payload_len(a),
				p->len);
		return err->code;
	default:
		if (mnl_attr_validate(a, p->type) == 0)
			return 0;
		break;
	}
	p4x_ctl_err_set(err, -EINVAL, off,
			"%s: attribute '%s' has %u bytes, not a valid %s", set,
			p->name, mnl_attr_get_payload_len(a),
			type_name(p->type));
	return err->code;
}

int p4x_ctl_parse(const struct nlmsghdr *nlh,
		  const struct p4x_ctl_attr_set *set, const struct nlattr **tb,
		  struct p4x_ctl_err *err)
{
	size_t hdr = MNL_ALIGN(sizeof(struct p4x_ctlmsg));
	const struct p4x_ctlmsg *cm = mnl_nlmsg_get_payload(nlh);

	if (mnl_nlmsg_get_payload_len(nlh) < hdr) {
		p4x_ctl_err_set(err, -EBADMSG, 0,
				"message too short for the p4x_ctlmsg header");
		return err->code;
	}
	if (cm->reserved[0] || cm->reserved[1] || cm->reserved[2]) {
		p4x_ctl_err_set(err, -EINVAL, 0,
				"p4x_ctlmsg: reserved bytes must be 0");
		return err->code;
	}
	memset(tb, 0, (set->max + 1U) * sizeof(*tb));
	return parse_attrs(mnl_nlmsg_get_payload_offset(nlh, hdr),
			   mnl_nlmsg_get_payload_len(nlh) - hdr,
			   (uint32_t)(MNL_NLMSG_HDRLEN + hdr), set, tb, err);
}

struct nlmsghdr *p4x_ctl_msg_put(void *buf, uint16_t type, uint16_t flags,
				 uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct p4x_ctlmsg *cm;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	cm = mnl_nlmsg_put_extra_header(nlh, sizeof(*cm));
	cm->version = P4X_CTL_VERSION;
	return nlh;
}

void p4x_ctl_put_counters(struct nlmsghdr *nlh, uint16_t attr,
			  const uint64_t *vals, unsigned int n)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, attr);
	unsigned int i;

	for (i = 0; i < n; i++)
		mnl_attr_put_u64(nlh, (uint16_t)(i + 1), vals[i]);
	mnl_attr_nest_end(nlh, nest);
}

void p4x_ctl_get_counters(const struct nlattr *nest, uint64_t *vals,
			  unsigned int n)
{
	const struct nlattr *a;

	memset(vals, 0, n * sizeof(*vals));
	mnl_attr_for_each_nested(a, nest)
	{
		uint16_t id = mnl_attr_get_type(a);

		if (id >= 1 && id <= n)
			vals[id - 1] = mnl_attr_get_u64(a);
	}
}

struct nlmsghdr *p4x_ctl_done_put(void *buf, const struct nlmsghdr *req)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	int *error;

	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = req->nlmsg_seq;
	error = mnl_nlmsg_put_extra_header(nlh, sizeof(*error));
	*error = 0;
	return nlh;
}

struct nlmsghdr *p4x_ctl_err_put(void *buf, const struct nlmsghdr *req,
				 const struct p4x_ctl_err *err)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *e;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED;
	nlh->nlmsg_seq = req->nlmsg_seq;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = err->code;
	e->msg = *req;
	if (err->code == 0 || !err->msg[0])
		return nlh;
	nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, err->msg);
	if (err->offset)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, err->offset);
	return nlh;
}

int p4x_ctl_err_parse(const struct nlmsghdr *nlh, struct p4x_ctl_err *err)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		p4x_ctl_err_set(err, -EBADMSG, 0, "truncated error message");
		return err->code;
	}
	p4x_ctl_err_set(err, e->error, 0, "%s", strerror(-e->error));
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return e->error;
	mnl_attr_for_each(a, nlh, sizeof(*e))
	{
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			snprintf(err->msg, sizeof(err->msg), "%s",
				 mnl_attr_get_str(a));
		else if (mnl_attr_get_type(a) == NLMSGERR_ATTR_OFFS &&
			 mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			err->offset = mnl_attr_get_u32(a);
	}
	return e->error;
}
