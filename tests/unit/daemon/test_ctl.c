// SPDX-License-Identifier: BSD-3-Clause
/*
 * Control protocol: encode/decode round trips (port message with every
 * attribute and counter nest, errors and acks), and rejection of
 * malformed messages with the exact reason and the offending offset.
 */
#include <errno.h>

#include "p4x/ctl.h"
#include "p4x/engine.h"

#include "check.h"

static char buf[P4X_CTL_MSG_MAX];

static const uint8_t MAC[6] = {2, 0, 0, 0, 0, 0x10};

static struct nlmsghdr *port_msg(uint64_t *cnt, uint64_t *drop)
{
	struct nlmsghdr *nlh;
	unsigned int i;

	nlh = p4x_ctl_msg_put(buf, P4X_CTL_MSG_GET_PORT, NLM_F_MULTI, 77);
	mnl_attr_put_u32(nlh, P4X_CTL_PORT_INDEX, 3);
	mnl_attr_put_strz(nlh, P4X_CTL_PORT_NAME, "dp0");
	mnl_attr_put_u32(nlh, P4X_CTL_PORT_IFINDEX, 42);
	mnl_attr_put_strz(nlh, P4X_CTL_PORT_KIND, "afxdp");
	mnl_attr_put_u8(nlh, P4X_CTL_PORT_MODE, P4X_PORT_MODE_XDP_NATIVE);
	mnl_attr_put(nlh, P4X_CTL_PORT_MAC, 6, MAC);
	for (i = 0; i < P4X_PORT_CNT__COUNT; i++)
		cnt[i] = 1000 + i;
	for (i = 0; i < P4X_DROP__COUNT; i++)
		drop[i] = i % 3 ? 0 : (1ull << 40) + i;
	p4x_ctl_put_counters(nlh, P4X_CTL_PORT_STATS, cnt, P4X_PORT_CNT__COUNT);
	p4x_ctl_put_counters(nlh, P4X_CTL_PORT_DROPS, drop, P4X_DROP__COUNT);
	return nlh;
}

static void test_round_trip(void)
{
	uint64_t cnt[P4X_PORT_CNT__COUNT], drop[P4X_DROP__COUNT];
	uint64_t got_cnt[P4X_PORT_CNT__COUNT], got_drop[P4X_DROP__COUNT];
	const struct nlattr *tb[P4X_CTL_PORT_MAX + 1];
	struct nlmsghdr *nlh = port_msg(cnt, drop);
	struct p4x_ctl_err err = {0};

	CHECK_EQ(p4x_ctl_check_buf(buf, nlh->nlmsg_len, &err), 0);
	CHECK_EQ(p4x_ctl_parse(nlh, &p4x_ctl_port_set, tb, &err), 0);
	CHECK_EQ(nlh->nlmsg_seq, 77);
	CHECK_EQ(nlh->nlmsg_type, P4X_CTL_MSG_GET_PORT);
	CHECK_EQ(mnl_attr_get_u32(tb[P4X_CTL_PORT_INDEX]), 3);
	CHECK_STR(mnl_attr_get_str(tb[P4X_CTL_PORT_NAME]), "dp0");
	CHECK_EQ(mnl_attr_get_u32(tb[P4X_CTL_PORT_IFINDEX]), 42);
	CHECK_STR(mnl_attr_get_str(tb[P4X_CTL_PORT_KIND]), "afxdp");
	CHECK_EQ(mnl_attr_get_u8(tb[P4X_CTL_PORT_MODE]),
		 P4X_PORT_MODE_XDP_NATIVE);
	CHECK(!memcmp(mnl_attr_get_payload(tb[P4X_CTL_PORT_MAC]), MAC, 6));
	CHECK(!tb[P4X_CTL_PORT_MTU] && !tb[P4X_CTL_PORT_XDP_STATS]);
	p4x_ctl_get_counters(tb[P4X_CTL_PORT_STATS], got_cnt,
			     P4X_PORT_CNT__COUNT);
	p4x_ctl_get_counters(tb[P4X_CTL_PORT_DROPS], got_drop, P4X_DROP__COUNT);
	CHECK(!memcmp(got_cnt, cnt, sizeof(cnt)));
	CHECK(!memcmp(got_drop, drop, sizeof(drop)));
}

static void test_err_round_trip(void)
{
	static char req_buf[256];
	struct nlmsghdr *req = p4x_ctl_msg_put(req_buf, P4X_CTL_MSG_GET_PORT,
					       NLM_F_REQUEST, 9);
	struct p4x_ctl_err in, out;
	struct nlmsghdr *nlh;

	p4x_ctl_err_set(&in, -ENODEV, 24, "no port named '%s'", "x0");
	nlh = p4x_ctl_err_put(buf, req, &in);
	CHECK_EQ(nlh->nlmsg_type, NLMSG_ERROR);
	CHECK_EQ(nlh->nlmsg_seq, 9);
	CHECK(nlh->nlmsg_flags & NLM_F_ACK_TLVS);
	CHECK_EQ(p4x_ctl_check_buf(buf, nlh->nlmsg_len, &out), 0);
	CHECK_EQ(p4x_ctl_err_parse(nlh, &out), -ENODEV);
	CHECK_STR(out.msg, "no port named 'x0'");
	CHECK_EQ(out.offset, 24);

	/* A positive ack. */
	memset(&in, 0, sizeof(in));
	nlh = p4x_ctl_err_put(buf, req, &in);
	CHECK_EQ(p4x_ctl_err_parse(nlh, &out), 0);
	CHECK(!(nlh->nlmsg_flags & NLM_F_ACK_TLVS));

	nlh = p4x_ctl_done_put(buf, req);
	CHECK_EQ(nlh->nlmsg_type, NLMSG_DONE);
	CHECK_EQ(nlh->nlmsg_seq, 9);
}

/* Expect p4x_ctl_parse() of @nlh as a port message to fail just so. */
static void expect_reject(const struct nlmsghdr *nlh, int code, uint32_t offset,
			  const char *msg)
{
	const struct nlattr *tb[P4X_CTL_PORT_MAX + 1];
	struct p4x_ctl_err err = {0};

	CHECK_EQ(p4x_ctl_check_buf(nlh, nlh->nlmsg_len, &err), 0);
	CHECK_EQ(p4x_ctl_parse(nlh, &p4x_ctl_port_set, tb, &err), code);
	CHECK_EQ(err.code, code);
	CHECK_EQ(err.offset, offset);
	CHECK_STR(err.msg, msg);
}

/* Offset of the first attribute: nlmsghdr (16) + p4x_ctlmsg (4). */
#define A0 20u

static void test_bad_attrs(void)
{
	struct nlmsghdr *nlh;
	struct nlattr *a;
	char name[P4X_IFNAMSIZ + 4], why[64];

	nlh = p4x_ctl_msg_put(buf, P4X_CTL_MSG_GET_PORT, 0, 1);
	mnl_attr_put_u16(nlh, P4X_CTL_PORT_IFINDEX, 7);
	expect_reject(nlh, -EINVAL, A0,
		      "port: attribute 'ifindex' has 2 bytes, not a valid "
		      "u32");

	nlh = p4x_ctl_msg_put(buf, P4X_CTL_MSG_GET_PORT, 0, 1);
	mnl_attr_put_u32(nlh, P4X_CTL_PORT_MTU, 1500);
	mnl_attr_put_u32(nlh, 99, 1);
	expect_reject(nlh, -EINVAL, A0 + 8, "port: unknown attribute 99");

	nlh = p4x_ctl_msg_put(buf, P4X_CTL_MSG_GET_PORT, 0, 1);
	mnl_attr_put(nlh, P4X_CTL_PORT_NAME, 3, "dp0");
	expect_reject(nlh, -EINVAL, A0,
		      "port: attribute 'name' is not a nul-terminated "
		      "string");

	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	nlh = p4x_ctl_msg_put(buf, P4X_CTL_MSG_GET_PORT, 0, 1);
	mnl_attr_put_strz(nlh, P4X_CTL_PORT_NAME, name);
	expect_reject(nlh, -EINVAL, A0,
		      "port: attribute 'name' is 19 bytes long, at most 15 "
		      "allowed");

	nlh = p4x_ctl_msg_put(buf, P4X_CTL_MSG_GET_PORT, 0, 1);
	mnl_attr_put(nlh, P4X_CTL_PORT_MAC, 5, MAC);
	expect_reject(nlh, -EINVAL, A0,
		      "port: attribute 'mac' has 5 bytes, expected 6");

	/* A u32 inside a counter nest (counters are u64). */
	nlh = p4x_ctl_msg_put(buf, P4X_CTL_MSG_GET_PORT, 0, 1);
	a = mnl_attr_nest_start(nlh, P4X_CTL_PORT_DROPS);
	mnl_attr_put_u64(nlh, 1, 5);
	mnl_attr_put_u32(nlh, 2, 5);
	mnl_attr_nest_end(nlh, a);
	expect_reject(nlh, -EINVAL, A0 + 4 + 12,
		      "drop reasons: attribute 'counter' has 4 bytes, not a "
		      "valid u64");

	/* A counter id past the list. */
	nlh = p4x_ctl_msg_put(buf, P4X_CTL_MSG_GET_PORT, 0, 1);
	a = mnl_attr_nest_start(nlh, P4X_CTL_PORT_STATS);
	mnl_attr_put_u64(nlh, P4X_PORT_CNT__COUNT + 1, 5);
	mnl_attr_nest_end(nlh, a);
	snprintf(why, sizeof(why), "port counters: unknown attribute %d",
		 P4X_PORT_CNT__COUNT + 1);
	expect_reject(nlh, -EINVAL, A0 + 4, why);

	/* An attribute whose length runs past the message. */
	nlh = p4x_ctl_msg_put(buf, P4X_CTL_MSG_GET_PORT, 0, 1);
	mnl_attr_put_u32(nlh, P4X_CTL_PORT_MTU, 1500);
	mnl_attr_put_u32(nlh, P4X_CTL_PORT_IFINDEX, 1);
	a = (struct nlattr *)((char *)nlh + A0 + 8);
	a->nla_len = 40;
	expect_reject(nlh, -EINVAL, A0 + 8,
		      "port: attribute truncated or with a bad length (8 "
		      "bytes left)");
}

static void test_bad_headers(void)
{
	struct p4x_ctl_err err = {0};
	const struct nlattr *tb[P4X_CTL_PORT_MAX + 1];
	struct nlmsghdr *nlh;
	struct p4x_ctlmsg *cm;

	/* Fewer bytes than a netlink header. */
	nlh = p4x_ctl_msg_put(buf, P4X_CTL_MSG_GET_STATUS, 0, 1);
	CHECK_EQ(p4x_ctl_check_buf(buf, 10, &err), -EBADMSG);
	CHECK_STR(err.msg, "truncated message: 10 trailing bytes do not form "
			   "a netlink message");

	/* nlmsg_len beyond the datagram. */
	mnl_attr_put_u32(nlh, P4X_CTL_STATUS_PID, 1);
	CHECK_EQ(p4x_ctl_check_buf(buf, nlh->nlmsg_len - 4, &err), -EBADMSG);
	CHECK_EQ(err.offset, 0);

	/* A second message cut short after a good first one. */
	CHECK_EQ(p4x_ctl_check_buf(buf, nlh->nlmsg_len + 8, &err), -EBADMSG);
	CHECK_EQ(err.offset, nlh->nlmsg_len);

	/* Header without room for struct p4x_ctlmsg. */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = P4X_CTL_MSG_GET_STATUS;
	CHECK_EQ(p4x_ctl_check_buf(buf, nlh->nlmsg_len, &err), -EBADMSG);
	CHECK_STR(err.msg, "message type 16: 16 bytes, too short for the "
			   "p4x_ctlmsg header");

	/* Another protocol version. */
	nlh = p4x_ctl_msg_put(buf, P4X_CTL_MSG_GET_STATUS, 0, 1);
	cm = mnl_nlmsg_get_payload(nlh);
	cm->version = 2;
	CHECK_EQ(p4x_ctl_check_buf(buf, nlh->nlmsg_len, &err), -EPROTO);
	CHECK_STR(err.msg, "protocol version 2, expected 1");

	/* Reserved bytes set. */
	cm->version = P4X_CTL_VERSION;
	cm->reserved[1] = 1;
	CHECK_EQ(p4x_ctl_parse(nlh, &p4x_ctl_port_set, tb, &err), -EINVAL);
	CHECK_STR(err.msg, "p4x_ctlmsg: reserved bytes must be 0");

	CHECK_EQ(p4x_ctl_check_buf(buf, 0, &err), -EBADMSG);
	CHECK_STR(err.msg, "empty message");
}

static void test_names(void)
{
	CHECK_STR(p4x_ctl_msg_name(P4X_CTL_MSG_GET_PORT), "get_port");
	CHECK(p4x_ctl_msg_name(NLMSG_DONE) == NULL);
	CHECK(p4x_ctl_msg_name(__P4X_CTL_MSG_END) == NULL);
}

int main(void)
{
	test_round_trip();
	test_err_round_trip();
	test_bad_attrs();
	test_bad_headers();
	test_names();
	printf("ctl: all checks passed\n");
	return 0;
}
