// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4xsk sched: show a port's egress scheduler (text and JSON from the same
 * printer calls), switch its policy, load a policy object.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "p4x/ctl.h"
#include "p4x/sched.h"

#include "sched_cli.h"

static const char *const drop_keys[P4X_SCHED_DROP__COUNT] = {
#define X(e, k, d) k,
	P4X_SCHED_DROPS(X)
#undef X
};

#define U64(tb, a) ((tb)[a] ? mnl_attr_get_u64((tb)[a]) : 0)
#define U32(tb, a) ((tb)[a] ? mnl_attr_get_u32((tb)[a]) : 0)
#define STR(tb, a) ((tb)[a] ? mnl_attr_get_str((tb)[a]) : "")

static void print_drops(struct p4x_printer *p, const struct nlattr *nest)
{
	uint64_t v[P4X_SCHED_DROP__COUNT] = {0};
	unsigned int i;
	char fmt[64];

	if (nest)
		p4x_ctl_get_counters(nest, v, P4X_SCHED_DROP__COUNT);
	p4x_printer__open_object(p, "drops");
	for (i = 0; i < P4X_SCHED_DROP__COUNT; i++) {
		snprintf(fmt, sizeof(fmt), " %s %%" PRIu64, drop_keys[i]);
		p4x_printer__uint(p, v[i] ? P4X_PRINT_ANY : P4X_PRINT_JSON,
				  drop_keys[i], fmt, v[i]);
	}
	p4x_printer__close_object(p);
}

/* @bps bits/s as "8Mbit" (tc's output units). */
static const char *bits(uint64_t bps, char buf[32])
{
	static const char *const unit[] = {"bit", "Kbit", "Mbit", "Gbit"};
	unsigned int i = 0;
	double v = (double)bps;

	while (i < 3 && v >= 1000) {
		v /= 1000;
		i++;
	}
	snprintf(buf, 32, "%.4g%s", v, unit[i]);
	return buf;
}

/* One class (or the total) as a JSON object / one text line. */
static int print_class(struct p4x_printer *p, const struct nlattr *nest,
		       const char *key, bool total)
{
	const struct nlattr *tb[P4X_CTL_SCLS_MAX + 1] = {0};
	const struct nlattr *a;
	char rate[32];

	mnl_attr_for_each_nested(a, nest) tb[mnl_attr_get_type(a)] = a;
	p4x_printer__open_object(p, key);
	if (total)
		p4x_printer__text(p, "  total  ");
	else
		p4x_printer__uint(p, P4X_PRINT_ANY, "class",
				  "  class %-3" PRIu64 "",
				  U32(tb, P4X_CTL_SCLS_ID));
	p4x_printer__uint(p, P4X_PRINT_ANY, "backlog_pkts",
			  " backlog %" PRIu64 "p",
			  U64(tb, P4X_CTL_SCLS_BACKLOG_PKTS));
	p4x_printer__uint(p, P4X_PRINT_ANY, "backlog_bytes", " %" PRIu64 "b",
			  U64(tb, P4X_CTL_SCLS_BACKLOG_BYTES));
	p4x_printer__uint(p, P4X_PRINT_ANY, "enq_pkts", " enq %" PRIu64 "p",
			  U64(tb, P4X_CTL_SCLS_ENQ_PKTS));
	p4x_printer__uint(p, P4X_PRINT_JSON, "enq_bytes", "",
			  U64(tb, P4X_CTL_SCLS_ENQ_BYTES));
	p4x_printer__uint(p, P4X_PRINT_ANY, "deq_pkts", " deq %" PRIu64 "p",
			  U64(tb, P4X_CTL_SCLS_DEQ_PKTS));
	p4x_printer__uint(p, P4X_PRINT_ANY, "deq_bytes", " %" PRIu64 "b",
			  U64(tb, P4X_CTL_SCLS_DEQ_BYTES));
	p4x_printer__uint(p, P4X_PRINT_ANY, "deq_pps", " rate %" PRIu64 "pps",
			  U64(tb, P4X_CTL_SCLS_DEQ_PPS));
	p4x_printer__uint(p, P4X_PRINT_JSON, "deq_bps", "",
			  U64(tb, P4X_CTL_SCLS_DEQ_BPS));
	p4x_printer__string(p, P4X_PRINT_TEXT, NULL, " %s",
			    bits(U64(tb, P4X_CTL_SCLS_DEQ_BPS), rate));
	p4x_printer__uint(p, P4X_PRINT_ANY, "drop_pps", " drops %" PRIu64 "pps",
			  U64(tb, P4X_CTL_SCLS_DROP_PPS));
	print_drops(p, tb[P4X_CTL_SCLS_DROPS]);
	p4x_printer__text(p, "\n");
	p4x_printer__close_object(p);
	return 0;
}

static void print_flows(struct p4x_printer *p, const struct nlattr *nest)
{
	const struct nlattr *tb[P4X_CTL_SFLOW_MAX + 1];
	const struct nlattr *slot, *a;

	p4x_printer__open_array(p, "flows");
	mnl_attr_for_each_nested(slot, nest)
	{
		memset(tb, 0, sizeof(tb));
		mnl_attr_for_each_nested(a, slot) tb[mnl_attr_get_type(a)] = a;
		p4x_printer__open_object(p, NULL);
		p4x_printer__uint(p, P4X_PRINT_ANY, "flow", "  flow %-5" PRIu64,
				  U32(tb, P4X_CTL_SFLOW_ID));
		p4x_printer__uint(p, P4X_PRINT_ANY, "queue", " queue %" PRIu64,
				  U32(tb, P4X_CTL_SFLOW_QUEUE));
		p4x_printer__uint(p, P4X_PRINT_ANY, "backlog_pkts",
				  " backlog %" PRIu64 "p",
				  U32(tb, P4X_CTL_SFLOW_BACKLOG_PKTS));
		p4x_printer__uint(p, P4X_PRINT_ANY, "backlog_bytes",
				  " %" PRIu64 "b\n",
				  U32(tb, P4X_CTL_SFLOW_BACKLOG_BYTES));
		p4x_printer__close_object(p);
	}
	p4x_printer__close_array(p);
}

static void print_pstats(struct p4x_printer *p, const struct nlattr *nest)
{
	const struct nlattr *tb[P4X_CTL_SPSTAT_MAX + 1];
	const struct nlattr *slot, *a;
	bool any = false;
	char fmt[96];

	p4x_printer__open_object(p, "policy_stats");
	mnl_attr_for_each_nested(slot, nest)
	{
		memset(tb, 0, sizeof(tb));
		mnl_attr_for_each_nested(a, slot) tb[mnl_attr_get_type(a)] = a;
		if (!any)
			p4x_printer__text(p, "  policy:");
		any = true;
		snprintf(fmt, sizeof(fmt), " %.60s %%" PRIu64,
			 STR(tb, P4X_CTL_SPSTAT_NAME));
		p4x_printer__uint(p, P4X_PRINT_ANY,
				  STR(tb, P4X_CTL_SPSTAT_NAME), fmt,
				  U64(tb, P4X_CTL_SPSTAT_VALUE));
	}
	if (any)
		p4x_printer__text(p, "\n");
	p4x_printer__close_object(p);
}

static void print_head(struct p4x_printer *p, const struct nlattr **tb)
{
	char rate[32];

	p4x_printer__string(p, P4X_PRINT_ANY, "port",
			    "%s:", STR(tb, P4X_CTL_SCHED_PORT));
	p4x_printer__string(p, P4X_PRINT_ANY, "policy", " policy %s",
			    STR(tb, P4X_CTL_SCHED_POLICY));
	p4x_printer__uint(p, P4X_PRINT_ANY, "queues", " queues %" PRIu64,
			  U32(tb, P4X_CTL_SCHED_QUEUES));
	p4x_printer__bool(p, P4X_PRINT_JSON, "link_up", "",
			  tb[P4X_CTL_SCHED_LINK_UP] &&
				  mnl_attr_get_u8(tb[P4X_CTL_SCHED_LINK_UP]));
	p4x_printer__string(
		p, P4X_PRINT_TEXT, NULL, " link %s",
		tb[P4X_CTL_SCHED_LINK_UP] &&
				mnl_attr_get_u8(tb[P4X_CTL_SCHED_LINK_UP])
			? "up"
			: "down");
	p4x_printer__uint(p, P4X_PRINT_JSON, "rate", "",
			  U64(tb, P4X_CTL_SCHED_RATE));
	p4x_printer__string(
		p, P4X_PRINT_TEXT, NULL, " rate %s",
		U64(tb, P4X_CTL_SCHED_RATE)
			? bits(U64(tb, P4X_CTL_SCHED_RATE) * 8, rate)
			: "none");
	p4x_printer__uint(p, P4X_PRINT_ANY, "pending", " pending %" PRIu64,
			  U32(tb, P4X_CTL_SCHED_PENDING));
	p4x_printer__uint(p, P4X_PRINT_ANY, "interval_ms",
			  " (rates over %" PRIu64 " ms)\n",
			  U64(tb, P4X_CTL_SCHED_INTERVAL_MS));
	p4x_printer__string(p, P4X_PRINT_ANY, "spec", "  spec %s\n",
			    STR(tb, P4X_CTL_SCHED_SPEC));
}

static int sched_reply(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[P4X_CTL_SCHED_MAX + 1], *a;
	struct p4xsk_ctx *ctx = arg;
	struct p4x_printer *p = ctx->printer;
	struct p4x_ctl_err err;

	if (p4x_ctl_parse(nlh, &p4x_ctl_sched_set, tb, &err))
		return err.code;
	p4x_printer__open_object(p, NULL);
	print_head(p, tb);
	if (tb[P4X_CTL_SCHED_TOTAL])
		print_class(p, tb[P4X_CTL_SCHED_TOTAL], "total", true);
	p4x_printer__open_array(p, "classes");
	if (tb[P4X_CTL_SCHED_CLASSES])
		mnl_attr_for_each_nested(a, tb[P4X_CTL_SCHED_CLASSES])
			print_class(p, a, NULL, false);
	p4x_printer__close_array(p);
	if (tb[P4X_CTL_SCHED_FLOWS])
		print_flows(p, tb[P4X_CTL_SCHED_FLOWS]);
	if (tb[P4X_CTL_SCHED_PSTATS])
		print_pstats(p, tb[P4X_CTL_SCHED_PSTATS]);
	p4x_printer__close_object(p);
	return 0;
}

static int request(struct p4xsk_ctx *ctx, struct nlmsghdr *nlh,
		   p4x_ctl_reply_fn fn)
{
	struct p4x_ctl_err err;
	int ret;

	ret = p4x_ctl_request(ctx->fd, nlh, fn, ctx, &err);
	if (ret)
		fprintf(ctx->err, "p4xsk: %s\n", err.msg);
	return ret;
}

int p4xsk_sched_show(struct p4xsk_ctx *ctx, int argc, char **argv)
{
	static char buf[P4X_CTL_MSG_MAX];
	struct nlmsghdr *nlh;
	int ret;

	nlh = p4x_ctl_msg_put(buf, P4X_CTL_MSG_SCHED_GET,
			      NLM_F_REQUEST | (argc ? NLM_F_ACK : NLM_F_DUMP),
			      ++ctx->seq);
	if (argc)
		mnl_attr_put_strz(nlh, P4X_CTL_SCHED_PORT, argv[0]);
	p4x_printer__open_object(ctx->printer, NULL);
	p4x_printer__open_array(ctx->printer, "sched");
	ret = request(ctx, nlh, sched_reply);
	p4x_printer__close_array(ctx->printer);
	p4x_printer__close_object(ctx->printer);
	return ret;
}

/* PORT POLICY [k=v]...: the k=v words joined with commas. */
static int set_request(struct p4xsk_ctx *ctx, int argc, char **argv,
		       const char *policy, bool load)
{
	static char buf[P4X_CTL_MSG_MAX];
	char params[1024] = "";
	struct nlmsghdr *nlh;
	size_t len = 0;
	int i;

	for (i = 2; i < argc; i++) {
		len += (size_t)snprintf(params + len, sizeof(params) - len,
					"%s%s", len ? "," : "", argv[i]);
		if (len >= sizeof(params)) {
			fprintf(ctx->err, "p4xsk: sched: parameters longer "
					  "than 1023 bytes\n");
			return -EINVAL;
		}
	}
	nlh = p4x_ctl_msg_put(buf, P4X_CTL_MSG_SCHED_SET,
			      NLM_F_REQUEST | NLM_F_ACK, ++ctx->seq);
	mnl_attr_put_strz(nlh, P4X_CTL_SCHED_PORT, argv[0]);
	mnl_attr_put_strz(nlh, P4X_CTL_SCHED_POLICY, policy);
	mnl_attr_put_u8(nlh, P4X_CTL_SCHED_LOAD, load);
	mnl_attr_put_strz(nlh, P4X_CTL_SCHED_PARAMS, params);
	ctx->raw = true;
	return request(ctx, nlh, NULL);
}

int p4xsk_sched_set(struct p4xsk_ctx *ctx, int argc, char **argv)
{
	if (argc < 2) {
		fprintf(ctx->err, "p4xsk: sched set: expected PORT POLICY "
				  "[key=value]...\n");
		return -EINVAL;
	}
	return set_request(ctx, argc, argv, argv[1], false);
}

int p4xsk_sched_load(struct p4xsk_ctx *ctx, int argc, char **argv)
{
	char path[PATH_MAX];

	if (argc < 2) {
		fprintf(ctx->err, "p4xsk: sched load: expected PORT FILE.so "
				  "[key=value]...\n");
		return -EINVAL;
	}
	if (!realpath(argv[1], path)) {
		fprintf(ctx->err, "p4xsk: sched load: %s: %s\n", argv[1],
			strerror(errno));
		return -errno;
	}
	return set_request(ctx, argc, argv, path, true);
}
