// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4xsk show commands: one request each, replies decoded and printed with
 * the text/JSON printer. Counter and drop names come from the X-macro
 * key arrays, never from a list here.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "p4x/ctl.h"
#include "p4x/engine.h"

#include "show.h"

static const char *const xdp_counter_keys[P4X_XDP_CNT__COUNT] = {
#define P4X_X_KEY(name, key, desc) key,
	P4X_XDP_COUNTERS(P4X_X_KEY)
#undef P4X_X_KEY
};

static int request(struct p4xsk_ctx *ctx, uint16_t type, uint16_t flags,
		   const char *name, p4x_ctl_reply_fn fn, void *arg)
{
	static char buf[P4X_CTL_MSG_MAX];
	struct p4x_ctl_err err;
	struct nlmsghdr *nlh;
	int ret;

	nlh = p4x_ctl_msg_put(buf, type, NLM_F_REQUEST | flags, ++ctx->seq);
	if (name)
		mnl_attr_put_strz(nlh, P4X_CTL_PORT_NAME, name);
	ret = p4x_ctl_request(ctx->fd, nlh, fn, arg, &err);
	if (ret)
		fprintf(ctx->err, "p4xsk: %s\n", err.msg);
	return ret;
}

/*
 * Text: " key value" for the nonzero (or, with @all, every) value, after
 * @label; nothing when no value qualifies. JSON: every value.
 */
static void print_counters(struct p4x_printer *p, const char *key,
			   const char *label, const char *const *names,
			   const uint64_t *vals, unsigned int n, bool all)
{
	bool any = all;
	unsigned int i;
	char fmt[64];

	for (i = 0; i < n && !any; i++)
		any = vals[i] != 0;
	p4x_printer__open_object(p, key);
	if (any)
		p4x_printer__text(p, label);
	for (i = 0; i < n; i++) {
		snprintf(fmt, sizeof(fmt), " %s %%" PRIu64, names[i]);
		p4x_printer__uint(
			p, all || vals[i] ? P4X_PRINT_ANY : P4X_PRINT_JSON,
			names[i], fmt, vals[i]);
	}
	if (any)
		p4x_printer__text(p, "\n");
	p4x_printer__close_object(p);
}

static void print_nest(struct p4x_printer *p, const struct nlattr *nest,
		       const char *key, const char *label,
		       const char *const *names, unsigned int n, bool all)
{
	uint64_t vals[P4X_DROP__COUNT + P4X_PORT_CNT__COUNT];

	if (!nest)
		return;
	p4x_ctl_get_counters(nest, vals, n);
	print_counters(p, key, label, names, vals, n, all);
}

static const char *mode_name(uint8_t mode)
{
	switch (mode) {
	case P4X_PORT_MODE_XDP_NATIVE:
		return "native";
	case P4X_PORT_MODE_XDP_GENERIC:
		return "generic";
	default:
		return "none";
	}
}

static void print_port_head(struct p4x_printer *p, const struct nlattr **tb)
{
	static const uint8_t zero_mac[6];
	const uint8_t *mac =
		tb[P4X_CTL_PORT_MAC]
			? mnl_attr_get_payload(tb[P4X_CTL_PORT_MAC])
			: zero_mac;
	uint8_t mode = tb[P4X_CTL_PORT_MODE]
			       ? mnl_attr_get_u8(tb[P4X_CTL_PORT_MODE])
			       : 0;

#define U32(a) (tb[a] ? mnl_attr_get_u32(tb[a]) : 0)
#define U8(a) (tb[a] ? mnl_attr_get_u8(tb[a]) != 0 : false)
#define STR(a) (tb[a] ? mnl_attr_get_str(tb[a]) : "")
	p4x_printer__uint(p, P4X_PRINT_ANY, "index", "%" PRIu64 ": ",
			  U32(P4X_CTL_PORT_INDEX));
	p4x_printer__string(p, P4X_PRINT_ANY, "name", "%s",
			    STR(P4X_CTL_PORT_NAME));
	p4x_printer__uint(p, P4X_PRINT_ANY, "ifindex", " ifindex %" PRIu64,
			  U32(P4X_CTL_PORT_IFINDEX));
	p4x_printer__string(p, P4X_PRINT_ANY, "kind", " %s",
			    STR(P4X_CTL_PORT_KIND));
	p4x_printer__uint(p, P4X_PRINT_ANY, "queues", " queues %" PRIu64,
			  U32(P4X_CTL_PORT_QUEUES));
	p4x_printer__string(p, P4X_PRINT_ANY, "xdp_mode", " xdp %s",
			    mode_name(mode));
	p4x_printer__bool(p, P4X_PRINT_JSON, "zero_copy", "",
			  U8(P4X_CTL_PORT_ZEROCOPY));
	p4x_printer__bool(p, P4X_PRINT_JSON, "multi_prog", "",
			  U8(P4X_CTL_PORT_MULTI_PROG));
	if (mode != P4X_PORT_MODE_NONE) {
		p4x_printer__string(p, P4X_PRINT_TEXT, NULL, " %s",
				    U8(P4X_CTL_PORT_ZEROCOPY) ? "zero-copy"
							      : "copy");
		p4x_printer__string(p, P4X_PRINT_TEXT, NULL, " %s",
				    U8(P4X_CTL_PORT_MULTI_PROG)
					    ? "multi-prog"
					    : "single-prog");
	}
	p4x_printer__bool(p, P4X_PRINT_JSON, "link_up", "",
			  U8(P4X_CTL_PORT_LINK_UP));
	p4x_printer__string(p, P4X_PRINT_TEXT, NULL, " link %s",
			    U8(P4X_CTL_PORT_LINK_UP) ? "up" : "down");
	p4x_printer__mac(p, P4X_PRINT_ANY, "mac", "\n    mac %s", mac);
	p4x_printer__uint(p, P4X_PRINT_ANY, "mtu", " mtu %" PRIu64 "\n",
			  U32(P4X_CTL_PORT_MTU));
#undef U32
#undef U8
#undef STR
}

static int port_reply(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[P4X_CTL_PORT_MAX + 1];
	struct p4xsk_ctx *ctx = arg;
	struct p4x_printer *p = ctx->printer;
	struct p4x_ctl_err err;

	if (p4x_ctl_parse(nlh, &p4x_ctl_port_set, tb, &err))
		return err.code;
	p4x_printer__open_object(p, NULL);
	print_port_head(p, tb);
	print_nest(p, tb[P4X_CTL_PORT_STATS], "counters", "   ",
		   p4x_port_counter_keys, P4X_PORT_CNT__COUNT, true);
	print_nest(p, tb[P4X_CTL_PORT_DROPS], "drops",
		   "    drops:", p4x_drop_reason_keys, P4X_DROP__COUNT, false);
	print_nest(p, tb[P4X_CTL_PORT_XDP_STATS], "xdp",
		   "    xdp:", xdp_counter_keys, P4X_XDP_CNT__COUNT, true);
	print_nest(p, tb[P4X_CTL_PORT_XDP_DROPS], "xdp_drops",
		   "    xdp drops:", p4x_drop_reason_keys, P4X_DROP__COUNT,
		   false);
	p4x_printer__close_object(p);
	return 0;
}

int p4xsk_show_ports(struct p4xsk_ctx *ctx, int argc, char **argv)
{
	int ret;

	p4x_printer__open_object(ctx->printer, NULL);
	p4x_printer__open_array(ctx->printer, "ports");
	if (argc > 0)
		ret = request(ctx, P4X_CTL_MSG_GET_PORT, NLM_F_ACK, argv[0],
			      port_reply, ctx);
	else
		ret = request(ctx, P4X_CTL_MSG_GET_PORT, NLM_F_DUMP, NULL,
			      port_reply, ctx);
	p4x_printer__close_array(ctx->printer);
	p4x_printer__close_object(ctx->printer);
	return ret;
}

static int worker_reply(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[P4X_CTL_WORKER_MAX + 1];
	struct p4xsk_ctx *ctx = arg;
	struct p4x_printer *p = ctx->printer;
	struct p4x_ctl_err err;
	uint32_t core;

	if (p4x_ctl_parse(nlh, &p4x_ctl_worker_set, tb, &err))
		return err.code;
#define U(a) (tb[a] ? mnl_attr_get_u64(tb[a]) : 0)
#define U32(a) (tb[a] ? mnl_attr_get_u32(tb[a]) : 0)
	core = tb[P4X_CTL_WORKER_CORE] ? U32(P4X_CTL_WORKER_CORE) : UINT32_MAX;
	p4x_printer__open_object(p, NULL);
	p4x_printer__uint(p, P4X_PRINT_ANY, "id", "worker %" PRIu64,
			  U32(P4X_CTL_WORKER_ID));
	p4x_printer__int(p, P4X_PRINT_ANY, "core", " core %" PRId64,
			 core == UINT32_MAX ? -1 : (int64_t)core);
	p4x_printer__string(p, P4X_PRINT_ANY, "port", " %s",
			    tb[P4X_CTL_WORKER_PORT]
				    ? mnl_attr_get_str(tb[P4X_CTL_WORKER_PORT])
				    : "");
	p4x_printer__uint(p, P4X_PRINT_ANY, "queue", "/%" PRIu64,
			  U32(P4X_CTL_WORKER_QUEUE));
	p4x_printer__uint(p, P4X_PRINT_ANY, "rx_packets", " rx %" PRIu64,
			  U(P4X_CTL_WORKER_RX));
	p4x_printer__uint(p, P4X_PRINT_ANY, "tx_packets", " tx %" PRIu64,
			  U(P4X_CTL_WORKER_TX));
	p4x_printer__uint(p, P4X_PRINT_ANY, "drops", " drops %" PRIu64,
			  U(P4X_CTL_WORKER_DROPS));
	p4x_printer__uint(p, P4X_PRINT_ANY, "loops", " loops %" PRIu64,
			  U(P4X_CTL_WORKER_LOOPS));
	p4x_printer__uint(p, P4X_PRINT_ANY, "busy_loops", " busy %" PRIu64,
			  U(P4X_CTL_WORKER_BUSY));
	p4x_printer__bool(p, P4X_PRINT_JSON, "online", "",
			  tb[P4X_CTL_WORKER_ONLINE] &&
				  mnl_attr_get_u8(tb[P4X_CTL_WORKER_ONLINE]));
	p4x_printer__string(
		p, P4X_PRINT_TEXT, NULL, " %s\n",
		tb[P4X_CTL_WORKER_ONLINE] &&
				mnl_attr_get_u8(tb[P4X_CTL_WORKER_ONLINE])
			? "online"
			: "offline");
	p4x_printer__close_object(p);
#undef U
#undef U32
	return 0;
}

int p4xsk_show_workers(struct p4xsk_ctx *ctx, int argc, char **argv)
{
	int ret;

	p4x_printer__open_object(ctx->printer, NULL);
	p4x_printer__open_array(ctx->printer, "workers");
	ret = request(ctx, P4X_CTL_MSG_GET_WORKER, NLM_F_DUMP, NULL,
		      worker_reply, ctx);
	p4x_printer__close_array(ctx->printer);
	p4x_printer__close_object(ctx->printer);
	return ret;
}

struct status {
	char version[64];
	char prog[64];
	uint32_t proto;
	uint32_t pid;
	uint32_t nb_ports;
	uint32_t nb_workers;
	uint64_t uptime_ms;
};

static int status_reply(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[P4X_CTL_STATUS_MAX + 1];
	struct status *st = arg;
	struct p4x_ctl_err err;

	if (p4x_ctl_parse(nlh, &p4x_ctl_status_set, tb, &err))
		return err.code;
#define U32(a) (tb[a] ? mnl_attr_get_u32(tb[a]) : 0)
#define STR(a) (tb[a] ? mnl_attr_get_str(tb[a]) : "")
	snprintf(st->version, sizeof(st->version), "%s",
		 STR(P4X_CTL_STATUS_VERSION));
	snprintf(st->prog, sizeof(st->prog), "%s", STR(P4X_CTL_STATUS_PROG));
	st->proto = U32(P4X_CTL_STATUS_PROTO);
	st->pid = U32(P4X_CTL_STATUS_PID);
	st->nb_ports = U32(P4X_CTL_STATUS_NB_PORTS);
	st->nb_workers = U32(P4X_CTL_STATUS_NB_WORKERS);
	st->uptime_ms = tb[P4X_CTL_STATUS_UPTIME_MS]
				? mnl_attr_get_u64(tb[P4X_CTL_STATUS_UPTIME_MS])
				: 0;
#undef U32
#undef STR
	return 0;
}

static int get_status(struct p4xsk_ctx *ctx, struct status *st)
{
	memset(st, 0, sizeof(*st));
	return request(ctx, P4X_CTL_MSG_GET_STATUS, 0, NULL, status_reply, st);
}

int p4xsk_show_status(struct p4xsk_ctx *ctx, int argc, char **argv)
{
	struct p4x_printer *p = ctx->printer;
	struct status st;
	int ret;

	ret = get_status(ctx, &st);
	if (ret)
		return ret;
	p4x_printer__open_object(p, NULL);
	p4x_printer__string(p, P4X_PRINT_ANY, "version", "p4xskd %s",
			    st.version);
	p4x_printer__uint(p, P4X_PRINT_ANY, "protocol", " protocol %" PRIu64,
			  st.proto);
	p4x_printer__uint(p, P4X_PRINT_ANY, "pid", " pid %" PRIu64, st.pid);
	p4x_printer__uint(p, P4X_PRINT_JSON, "uptime_ms", "", st.uptime_ms);
	p4x_printer__uint(p, P4X_PRINT_TEXT, NULL, " uptime %" PRIu64,
			  st.uptime_ms / 1000);
	p4x_printer__uint(p, P4X_PRINT_TEXT, NULL, ".%03" PRIu64 "s\n",
			  st.uptime_ms % 1000);
	p4x_printer__string(p, P4X_PRINT_ANY, "program", "program %s", st.prog);
	p4x_printer__uint(p, P4X_PRINT_ANY, "ports", " ports %" PRIu64,
			  st.nb_ports);
	p4x_printer__uint(p, P4X_PRINT_ANY, "workers", " workers %" PRIu64 "\n",
			  st.nb_workers);
	p4x_printer__close_object(p);
	return 0;
}

int p4xsk_show_version(struct p4xsk_ctx *ctx, int argc, char **argv)
{
	struct p4x_printer *p = ctx->printer;
	struct status st;
	int ret;

	ret = get_status(ctx, &st);
	if (ret)
		return ret;
	p4x_printer__open_object(p, NULL);
	p4x_printer__string(p, P4X_PRINT_ANY, "cli_version", "p4xsk %s",
			    P4X_VERSION);
	p4x_printer__uint(p, P4X_PRINT_ANY, "cli_protocol",
			  " (protocol %" PRIu64 ")", P4X_CTL_VERSION);
	p4x_printer__string(p, P4X_PRINT_ANY, "daemon_version", ", p4xskd %s",
			    st.version);
	p4x_printer__uint(p, P4X_PRINT_ANY, "daemon_protocol",
			  " (protocol %" PRIu64 ")\n", st.proto);
	p4x_printer__close_object(p);
	return 0;
}
