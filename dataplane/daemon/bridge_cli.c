// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4xsk bridge status|diff: the kernel sources of the daemon, and the
 * differences between the engine and a fresh kernel dump (text and JSON
 * from the same printer calls).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "p4x/bridge.h"
#include "p4x/ctl_bridge.h"

#include "bridge_bind.h"
#include "bridge_d.h"
#include "cli.h"

static const char *const counter_keys[] = {
#define X(c) #c,
	P4X_BRIDGE_COUNTERS(X)
#undef X
};

static const char *const table_keys[] = {
#define X(c) #c,
	P4XD_BSINK_COUNTERS(X)
#undef X
};

#define STR(tb, a) ((tb)[a] ? mnl_attr_get_str((tb)[a]) : "")
#define U64(tb, a) ((tb)[a] ? mnl_attr_get_u64((tb)[a]) : 0)

static void print_counters(struct p4x_printer *p, const char *key,
			   const struct nlattr *nest, const char *const *names,
			   unsigned int n)
{
	uint64_t v[32] = {0};
	unsigned int i;
	char fmt[64];

	if (nest)
		p4x_ctl_get_counters(nest, v, n);
	p4x_printer__open_object(p, key);
	p4x_printer__string(p, P4X_PRINT_TEXT, NULL, "  %s:", key);
	for (i = 0; i < n; i++) {
		snprintf(fmt, sizeof(fmt), " %s %%" PRIu64, names[i]);
		p4x_printer__uint(p, P4X_PRINT_ANY, names[i], fmt, v[i]);
	}
	p4x_printer__text(p, "\n");
	p4x_printer__close_object(p);
}

static int status_reply(const struct nlmsghdr *nlh, void *arg)
{
	struct p4xsk_ctx *ctx = arg;
	struct p4x_printer *p = ctx->printer;
	const struct nlattr *tb[P4X_CTL_BRIDGE_MAX + 1];
	struct p4x_ctl_err err;

	if (p4x_ctl_parse(nlh, &p4x_ctl_bridge_set, tb, &err))
		return err.code;
	p4x_printer__open_object(p, NULL);
	p4x_printer__string(p, P4X_PRINT_ANY, "source",
			    "%s:", STR(tb, P4X_CTL_BRIDGE_SOURCE));
	p4x_printer__string(p, P4X_PRINT_ANY, "state", " %s",
			    STR(tb, P4X_CTL_BRIDGE_STATE));
	if (tb[P4X_CTL_BRIDGE_CAUSE])
		p4x_printer__string(p, P4X_PRINT_ANY, "last_resync_cause",
				    " (last resync: %s)",
				    STR(tb, P4X_CTL_BRIDGE_CAUSE));
	if (tb[P4X_CTL_BRIDGE_BINDING]) {
		p4x_printer__string(p, P4X_PRINT_ANY, "binding", " binding %s",
				    STR(tb, P4X_CTL_BRIDGE_BINDING));
		p4x_printer__string(p, P4X_PRINT_ANY, "pipeline",
				    " pipeline %s",
				    STR(tb, P4X_CTL_BRIDGE_PIPELINE));
		p4x_printer__string(p, P4X_PRINT_ANY, "mirrors",
				    "\n  mirrored tables: %s",
				    STR(tb, P4X_CTL_BRIDGE_MIRRORS));
	}
	p4x_printer__text(p, "\n");
	if (tb[P4X_CTL_BRIDGE_COUNTERS]) {
		print_counters(p, "counters", tb[P4X_CTL_BRIDGE_COUNTERS],
			       counter_keys, P4X_ARRAY_SIZE(counter_keys));
		print_counters(p, "tables", tb[P4X_CTL_BRIDGE_TABLES],
			       table_keys, P4X_ARRAY_SIZE(table_keys));
		p4x_printer__uint(p, P4X_PRINT_ANY, "lag_us",
				  "  lag %" PRIu64 " us",
				  U64(tb, P4X_CTL_BRIDGE_LAG_US));
		p4x_printer__uint(p, P4X_PRINT_ANY, "lag_max_us",
				  " (max %" PRIu64 " us, wakeup to commit)\n",
				  U64(tb, P4X_CTL_BRIDGE_LAG_MAX_US));
	}
	p4x_printer__uint(p, P4X_PRINT_JSON, "errno", "",
			  tb[P4X_CTL_BRIDGE_ERRNO]
				  ? mnl_attr_get_u32(tb[P4X_CTL_BRIDGE_ERRNO])
				  : 0);
	p4x_printer__string(p, P4X_PRINT_JSON, "last_error", "",
			    STR(tb, P4X_CTL_BRIDGE_ERROR));
	if (STR(tb, P4X_CTL_BRIDGE_ERROR)[0])
		p4x_printer__string(p, P4X_PRINT_TEXT, NULL,
				    "  last error: %s\n",
				    STR(tb, P4X_CTL_BRIDGE_ERROR));
	p4x_printer__close_object(p);
	return 0;
}

static int request(struct p4xsk_ctx *ctx, uint16_t type, const char *key,
		   p4x_ctl_reply_fn fn)
{
	char buf[P4X_CTL_MSG_MAX];
	struct nlmsghdr *nlh;
	struct p4x_ctl_err err;
	int ret;

	nlh = p4x_ctl_msg_put(buf, type, NLM_F_REQUEST | NLM_F_DUMP,
			      ++ctx->seq);
	p4x_printer__open_object(ctx->printer, NULL);
	p4x_printer__open_array(ctx->printer, key);
	ret = p4x_ctl_request(ctx->fd, nlh, fn, ctx, &err);
	p4x_printer__close_array(ctx->printer);
	p4x_printer__close_object(ctx->printer);
	if (ret)
		fprintf(ctx->err, "p4xsk: %s\n", err.msg);
	return ret;
}

int p4xsk_bridge_status(struct p4xsk_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return request(ctx, P4X_CTL_MSG_BRIDGE_STATUS, "bridge", status_reply);
}

struct diff_state {
	struct p4xsk_ctx *ctx;
	unsigned long n;
};

static int diff_reply(const struct nlmsghdr *nlh, void *arg)
{
	struct diff_state *s = arg;
	struct p4x_printer *p = s->ctx->printer;
	const struct nlattr *tb[P4X_CTL_BRIDGE_MAX + 1];
	struct p4x_ctl_err err;

	if (p4x_ctl_parse(nlh, &p4x_ctl_bridge_set, tb, &err))
		return err.code;
	s->n++;
	p4x_printer__open_object(p, NULL);
	p4x_printer__string(p, P4X_PRINT_ANY, "source",
			    "%s: ", STR(tb, P4X_CTL_BRIDGE_SOURCE));
	p4x_printer__string(p, P4X_PRINT_ANY, "diff",
			    "%s: ", STR(tb, P4X_CTL_BRIDGE_DIFF));
	p4x_printer__string(p, P4X_PRINT_ANY, "object", "%s\n",
			    STR(tb, P4X_CTL_BRIDGE_OBJECT));
	p4x_printer__close_object(p);
	return 0;
}

int p4xsk_bridge_diff(struct p4xsk_ctx *ctx, int argc, char **argv)
{
	struct diff_state s = {.ctx = ctx};
	char buf[P4X_CTL_MSG_MAX];
	struct nlmsghdr *nlh;
	struct p4x_ctl_err err;
	int ret;

	(void)argc;
	(void)argv;
	nlh = p4x_ctl_msg_put(buf, P4X_CTL_MSG_BRIDGE_DIFF,
			      NLM_F_REQUEST | NLM_F_DUMP, ++ctx->seq);
	p4x_printer__open_object(ctx->printer, NULL);
	p4x_printer__open_array(ctx->printer, "diff");
	ret = p4x_ctl_request(ctx->fd, nlh, diff_reply, &s, &err);
	p4x_printer__close_array(ctx->printer);
	p4x_printer__close_object(ctx->printer);
	if (ret) {
		fprintf(ctx->err, "p4xsk: %s\n", err.msg);
		return ret;
	}
	/* differences: print them, exit 1 */
	ctx->raw = true;
	ret = p4x_printer__flush(ctx->printer);
	if (ret)
		fprintf(ctx->err, "p4xsk: printing: %s\n", strerror(-ret));
	return ret ? ret : s.n ? -EEXIST : 0;
}
