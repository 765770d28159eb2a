// SPDX-License-Identifier: BSD-3-Clause
/*
 * The P4 part of the control protocol without the CLI: the entry codec
 * round-trips every attribute and its policy rejects malformed entries;
 * the daemon's handlers (driven through p4xd_serve_datagram over a
 * socketpair) check decoded entries against the model (key length,
 * action in table_acts, param blob length, permissions, aging) and change
 * nothing when they refuse; a subscriber gets create, delete and aging
 * events. Usage: test_daemon_p4 TESTDATA_P4TC
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "p4rt.h"

static struct p4xd d;
static int req_fd[2], sub_fd[2];
static char buf[P4X_CTL_MSG_MAX], rbuf[P4X_CTL_MSG_MAX];
static unsigned int seq;

static const uint8_t key7[4] = {7, 0, 0, 0}; /* nh_index 7 (bit32, LE) */
static const uint8_t mac_port[10] = {0,	   0x11, 0x22, 0x33, 0x44,
				     0x55, 1,	 0,    0,    0};

static void test_codec(void)
{
	static const uint8_t key[4] = {10, 0, 0, 0}, mask[4] = {255, 0, 0, 0};
	static const uint8_t params[4] = {1, 2, 3, 4};
	struct p4x_ctl_entry in = {
		.key = key,
		.mask = mask,
		.keylen = 4,
		.has_prio = true,
		.prio = 5,
		.has_act = true,
		.act_id = 3,
		.params = params,
		.params_len = 4,
		.has_permissions = true,
		.permissions = 0x1024,
		.dynamic = true,
		.aging_ms = 1500,
		.has_info = true,
		.who_created = 2,
		.who_updated = 3,
		.tmpl_created = true,
		.created_ms = 11,
		.updated_ms = 12,
		.used_ms = 13,
	};
	const struct nlattr *tb[P4X_CTL_P4_MAX + 1];
	struct p4x_ctl_entry out;
	struct p4x_ctl_err err = {0};
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = p4x_ctl_msg_put(buf, P4X_CTL_MSG_P4_GET, 0, 1);
	nest = mnl_attr_nest_start(nlh, P4X_CTL_P4_ENTRIES);
	p4x_ctl_entry_put(nlh, 1, &in);
	mnl_attr_nest_end(nlh, nest);
	CHECK_EQ(p4x_ctl_parse(nlh, &p4x_ctl_p4_set, tb, &err), 0);
	CHECK_EQ(p4x_ctl_entry_get(mnl_attr_get_payload(tb[P4X_CTL_P4_ENTRIES]),
				   &out, &err),
		 0);
	CHECK(!memcmp(out.key, key, 4) && !memcmp(out.mask, mask, 4));
	CHECK(!memcmp(out.params, params, 4));
	CHECK(out.keylen == 4 && out.has_prio && out.prio == 5);
	CHECK(out.has_act && out.act_id == 3 && out.params_len == 4);
	CHECK(out.has_permissions && out.permissions == 0x1024);
	CHECK(out.dynamic && out.aging_ms == 1500 && out.has_info);
	CHECK(out.who_created == 2 && out.who_updated == 3);
	CHECK(out.tmpl_created && out.created_ms == 11);
	CHECK(out.updated_ms == 12 && out.used_ms == 13);

	/* a 17th batch slot, a u16 of 4 bytes, a short mask: refused */
	nlh = p4x_ctl_msg_put(buf, P4X_CTL_MSG_P4_GET, 0, 1);
	nest = mnl_attr_nest_start(nlh, P4X_CTL_P4_ENTRIES);
	p4x_ctl_entry_put(nlh, 17, &in);
	mnl_attr_nest_end(nlh, nest);
	CHECK_EQ(p4x_ctl_parse(nlh, &p4x_ctl_p4_set, tb, &err), -EINVAL);
	CHECK_STR(err.msg, "batch: unknown attribute 17");
	for (int bad = 0; bad < 2; bad++) {
		struct nlattr *slot;

		nlh = p4x_ctl_msg_put(buf, P4X_CTL_MSG_P4_GET, 0, 1);
		nest = mnl_attr_nest_start(nlh, P4X_CTL_P4_ENTRIES);
		slot = mnl_attr_nest_start(nlh, 1);
		mnl_attr_put(nlh, P4X_CTL_ENTRY_KEY_BLOB, 4, key);
		if (bad)
			mnl_attr_put(nlh, P4X_CTL_ENTRY_MASK_BLOB, 2, mask);
		else
			mnl_attr_put_u32(nlh, P4X_CTL_ENTRY_PERMISSIONS, 1);
		mnl_attr_nest_end(nlh, slot);
		mnl_attr_nest_end(nlh, nest);
		if (!bad) {
			CHECK_EQ(p4x_ctl_parse(nlh, &p4x_ctl_p4_set, tb, &err),
				 -EINVAL);
			CHECK_STR(err.msg, "entry: attribute 'permissions' has "
					   "4 bytes, not a valid u16");
			continue;
		}
		CHECK_EQ(p4x_ctl_parse(nlh, &p4x_ctl_p4_set, tb, &err), 0);
		CHECK_EQ(p4x_ctl_entry_get(slot, &out, &err), -EINVAL);
		CHECK_STR(err.msg, "entry: mask of 2 bytes for a key of 4 "
				   "bytes");
	}
	puts("ok: entry codec round trip and policy");
}

/* Send @nlh through the daemon; returns the error code of the exchange
 * (0: ack) with the reason in @why; a data reply is left in rbuf. */
static int exchange(struct nlmsghdr *nlh, char *why, size_t sz)
{
	struct nlmsghdr *r = (struct nlmsghdr *)rbuf;
	struct p4x_ctl_err err = {0};
	ssize_t len;

	CHECK_EQ(p4xd_serve_datagram(&d, req_fd[0], nlh, nlh->nlmsg_len, false),
		 0);
	for (;;) {
		len = recv(req_fd[1], rbuf, sizeof(rbuf), MSG_DONTWAIT);
		CHECK(len > 0);
		if (r->nlmsg_type != NLMSG_ERROR)
			continue; /* a data reply: the ack follows */
		p4x_ctl_err_parse(r, &err);
		snprintf(why, sz, "%s", err.code ? err.msg : "");
		return err.code;
	}
}

static struct nlmsghdr *entry_req(uint16_t type, const struct p4x_ctl_entry *e)
{
	struct nlmsghdr *nlh =
		p4x_ctl_msg_put(buf, type, NLM_F_REQUEST | NLM_F_ACK, ++seq);
	struct nlattr *nest;

	mnl_attr_put_strz(nlh, P4X_CTL_P4_PNAME, "routing");
	mnl_attr_put_strz(nlh, P4X_CTL_P4_TBLNAME, "Main/nh_table");
	nest = mnl_attr_nest_start(nlh, P4X_CTL_P4_ENTRIES);
	p4x_ctl_entry_put(nlh, 1, e);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static struct p4x_table *nh_table(void)
{
	struct p4x_ctl_err err = {0};
	struct p4xd_rt_pipe *rp = p4xd_p4__pipe(d.p4, "routing", &err);

	CHECK(rp);
	return p4xd_rt_pipe__table(rp, "Main/nh_table", &err)->t;
}

/* Each refused entry: the reason, and the table unchanged. */
static void refuse(const struct p4x_ctl_entry *e, const char *want)
{
	uint32_t n = p4x_table__count(nh_table());
	char why[256];

	CHECK(exchange(entry_req(P4X_CTL_MSG_P4_CREATE, e), why, sizeof(why)) <
	      0);
	CHECK_STR(why, want);
	CHECK_EQ(p4x_table__count(nh_table()), n);
}

static void setup(const char *testdata)
{
	char path[512], why[512];
	struct p4x_ctl_err err = {0};

	snprintf(path, sizeof(path), "%s/routing", testdata);
	setenv("INTROSPECTION", path, 1);
	d.p4 = p4xd_p4__new();
	CHECK(d.p4);
	snprintf(path, sizeof(path), "%s/routing/routing.template", testdata);
	CHECK_EQ(p4x_p4tc__load_template(d.p4->m, path, why, sizeof(why)), 0);
	CHECK_EQ(p4xd_p4__sync(d.p4, &err), 0);
	CHECK_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, req_fd), 0);
	CHECK_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sub_fd), 0);
}

static void test_checks(void)
{
	struct p4x_ctl_entry e = {.key = key7, .keylen = 3};

	refuse(&e, "key of 3 bytes, table Main/nh_table takes 4 (its key "
		   "fields)");
	e.keylen = 4;
	e.has_act = true;
	e.act_id = 3;
	refuse(&e, "action Main/set_nhid is not in table_acts in table "
		   "Main/nh_table");
	e.act_id = 9;
	refuse(&e, "action id 9 does not exist");
	e.act_id = 2;
	e.params = mac_port;
	e.params_len = 4;
	refuse(&e, "action Main/set_nh takes 10 bytes of params, not 4");
	e.params_len = 10;
	e.aging_ms = 100;
	refuse(&e, "aging applies to dynamic entries only");
	e.aging_ms = 0;
	e.has_permissions = true;
	e.permissions = 0x4000;
	refuse(&e, "permissions 0x4000: more than 14 bits");
	puts("ok: the daemon checks decoded entries against its model");
}

/* The next event on the subscriber socket: its command and entry key. */
static uint32_t next_event(uint8_t *key0)
{
	const struct nlattr *tb[P4X_CTL_P4_MAX + 1];
	struct nlmsghdr *nlh = (struct nlmsghdr *)rbuf;
	struct p4x_ctl_err err = {0};
	struct p4x_ctl_entry e;

	CHECK(recv(sub_fd[1], rbuf, sizeof(rbuf), MSG_DONTWAIT) > 0);
	CHECK_EQ(nlh->nlmsg_type, P4X_CTL_MSG_P4_EVENT);
	CHECK_EQ(p4x_ctl_parse(nlh, &p4x_ctl_p4_set, tb, &err), 0);
	CHECK_EQ(p4x_ctl_entry_get(mnl_attr_get_payload(tb[P4X_CTL_P4_ENTRIES]),
				   &e, &err),
		 0);
	*key0 = e.key[0];
	return mnl_attr_get_u32(tb[P4X_CTL_P4_CMD]);
}

static void test_events(void)
{
	struct p4x_ctl_entry e = {.key = key7,
				  .keylen = 4,
				  .has_act = true,
				  .act_id = 2,
				  .params = mac_port,
				  .params_len = 10};
	struct nlmsghdr *nlh;
	char why[256];
	uint8_t k;
	int i;

	nlh = p4x_ctl_msg_put(buf, P4X_CTL_MSG_P4_SUBSCRIBE,
			      NLM_F_REQUEST | NLM_F_ACK, ++seq);
	mnl_attr_put_strz(nlh, P4X_CTL_P4_PNAME, "routing");
	CHECK_EQ(p4xd_serve_datagram(&d, sub_fd[0], nlh, nlh->nlmsg_len, false),
		 0);
	CHECK(recv(sub_fd[1], rbuf, sizeof(rbuf), 0) > 0); /* the ack */
	CHECK_EQ(exchange(entry_req(P4X_CTL_MSG_P4_CREATE, &e), why,
			  sizeof(why)),
		 0);
	CHECK_EQ(next_event(&k), P4X_CTL_P4_CMD_CREATE);
	CHECK_EQ(k, 7);
	e.has_act = false;
	CHECK_EQ(exchange(entry_req(P4X_CTL_MSG_P4_GET, &e), why, sizeof(why)),
		 0);
	CHECK_EQ(exchange(entry_req(P4X_CTL_MSG_P4_DELETE, &e), why,
			  sizeof(why)),
		 0);
	CHECK_EQ(next_event(&k), P4X_CTL_P4_CMD_DELETE);
	CHECK_EQ(p4x_table__count(nh_table()), 0);
	/* a dynamic entry idle for 1 ms is aged by the poll loop's tick */
	e = (struct p4x_ctl_entry){.key = key7,
				   .keylen = 4,
				   .dynamic = true,
				   .aging_ms = 1,
				   .has_act = true,
				   .act_id = 1};
	CHECK_EQ(exchange(entry_req(P4X_CTL_MSG_P4_CREATE, &e), why,
			  sizeof(why)),
		 0);
	CHECK_EQ(next_event(&k), P4X_CTL_P4_CMD_CREATE);
	for (i = 0; i < 2000 && p4x_table__count(nh_table()); i++) {
		usleep(1000);
		p4xd_p4__tick(d.p4);
	}
	CHECK_EQ(p4x_table__count(nh_table()), 0);
	CHECK_EQ(next_event(&k), P4X_CTL_P4_CMD_AGING);
	CHECK_EQ(k, 7);
	p4xd_p4__client_gone(d.p4, sub_fd[0]);
	puts("ok: create, delete and aging events to a subscriber");
}

int main(int argc, char **argv)
{
	CHECK(argc == 2);
	test_codec();
	setup(argv[1]);
	test_checks();
	test_events();
	p4xd_p4__free(d.p4);
	return 0;
}
