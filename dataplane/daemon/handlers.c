// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4xskd request handlers: status, ports, workers, read from the engine;
 * the table rows of the P4 messages (p4ops.c).
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "p4x/ctl_bridge.h"

#include "bridge_d.h"
#include "p4rt.h"
#include "progload.h"
#include "sched_ctl.h"

uint64_t p4xd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int status_do(struct p4xd *d, const struct nlattr **tb,
		     struct p4xd_reply *r, struct p4x_ctl_err *err)
{
	struct nlmsghdr *nlh = p4xd_reply__start(r, 0);

	mnl_attr_put_strz(nlh, P4X_CTL_STATUS_VERSION, P4X_VERSION);
	mnl_attr_put_u32(nlh, P4X_CTL_STATUS_PROTO, P4X_CTL_VERSION);
	mnl_attr_put_u32(nlh, P4X_CTL_STATUS_PID, (uint32_t)getpid());
	mnl_attr_put_u64(nlh, P4X_CTL_STATUS_UPTIME_MS,
			 p4xd_now_ms() - d->start_ms);
	mnl_attr_put_strz(nlh, P4X_CTL_STATUS_PROG, d->prog_name);
	mnl_attr_put_u32(nlh, P4X_CTL_STATUS_NB_PORTS,
			 p4x_engine__nb_ports(d->engine));
	mnl_attr_put_u32(nlh, P4X_CTL_STATUS_NB_WORKERS,
			 p4x_engine__nb_workers(d->engine));
	return p4xd_reply__send(r, nlh);
}

static void put_port_info(struct nlmsghdr *nlh, unsigned int index,
			  const struct p4x_port_info *info)
{
	mnl_attr_put_u32(nlh, P4X_CTL_PORT_INDEX, index);
	mnl_attr_put_strz(nlh, P4X_CTL_PORT_NAME, info->name);
	mnl_attr_put_u32(nlh, P4X_CTL_PORT_IFINDEX, (uint32_t)info->ifindex);
	mnl_attr_put_strz(nlh, P4X_CTL_PORT_KIND, info->kind);
	mnl_attr_put_u32(nlh, P4X_CTL_PORT_QUEUES, info->nb_queues);
	mnl_attr_put_u8(nlh, P4X_CTL_PORT_MODE, (uint8_t)info->mode);
	mnl_attr_put_u8(nlh, P4X_CTL_PORT_ZEROCOPY, info->zero_copy);
	mnl_attr_put_u8(nlh, P4X_CTL_PORT_MULTI_PROG, info->multi_prog);
	mnl_attr_put_u8(nlh, P4X_CTL_PORT_LINK_UP, info->link_up);
	mnl_attr_put(nlh, P4X_CTL_PORT_MAC, sizeof(info->mac), info->mac);
	mnl_attr_put_u32(nlh, P4X_CTL_PORT_MTU, info->mtu);
}

/* The BPF side counts in __u64; the protocol in uint64_t. */
static void put_xdp_stats(struct nlmsghdr *nlh, const struct p4x_xdp_stats *xs)
{
	uint64_t cnt[P4X_XDP_CNT__COUNT], drop[P4X_DROP__COUNT];
	unsigned int i;

	for (i = 0; i < P4X_XDP_CNT__COUNT; i++)
		cnt[i] = xs->cnt[i];
	for (i = 0; i < P4X_DROP__COUNT; i++)
		drop[i] = xs->drop[i];
	p4x_ctl_put_counters(nlh, P4X_CTL_PORT_XDP_STATS, cnt,
			     P4X_XDP_CNT__COUNT);
	p4x_ctl_put_counters(nlh, P4X_CTL_PORT_XDP_DROPS, drop,
			     P4X_DROP__COUNT);
}

/* Send port @index; 0 or -errno with @err filled. */
static int send_port(struct p4xd *d, unsigned int index, uint16_t flags,
		     struct p4xd_reply *r, struct p4x_ctl_err *err)
{
	struct p4x_port *port = p4x_engine__port(d->engine, index);
	struct nlmsghdr *nlh = p4xd_reply__start(r, flags);
	struct p4x_port_info info = {0};
	struct p4x_port_stats stats;
	struct p4x_xdp_stats xs;
	int ret;

	port->ops->get_info(port, &info);
	put_port_info(nlh, index, &info);
	ret = p4x_engine__port_stats(d->engine, index, &stats);
	if (ret) {
		p4x_ctl_err_set(err, ret, 0,
				"port %s: cannot read counters: "
				"%s",
				info.name, strerror(-ret));
		return ret;
	}
	p4x_ctl_put_counters(nlh, P4X_CTL_PORT_STATS, stats.cnt,
			     P4X_PORT_CNT__COUNT);
	p4x_ctl_put_counters(nlh, P4X_CTL_PORT_DROPS, stats.drop,
			     P4X_DROP__COUNT);
	ret = p4x_engine__port_xdp_stats(d->engine, index, &xs);
	if (ret == 0)
		put_xdp_stats(nlh, &xs);
	else if (ret != -EOPNOTSUPP) {
		p4x_ctl_err_set(err, ret, 0,
				"port %s: cannot read XDP "
				"counters: %s",
				info.name, strerror(-ret));
		return ret;
	}
	return p4xd_reply__send(r, nlh);
}

static int port_do(struct p4xd *d, const struct nlattr **tb,
		   struct p4xd_reply *r, struct p4x_ctl_err *err)
{
	const struct nlattr *name = tb[P4X_CTL_PORT_NAME];
	int index;

	if (!name) {
		p4x_ctl_err_set(err, -EINVAL, 0,
				"get_port: missing attribute "
				"'name' (or dump all ports with NLM_F_DUMP)");
		return err->code;
	}
	index = p4x_engine__port_by_name(d->engine, mnl_attr_get_str(name));
	if (index < 0) {
		p4x_ctl_err_set(
			err, -ENODEV,
			(uint32_t)((const char *)name - (const char *)r->req),
			"no port named '%s'", mnl_attr_get_str(name));
		return err->code;
	}
	return send_port(d, (unsigned int)index, 0, r, err);
}

static int port_dump(struct p4xd *d, const struct nlattr **tb,
		     struct p4xd_reply *r, struct p4x_ctl_err *err)
{
	unsigned int i, n = p4x_engine__nb_ports(d->engine);
	int ret;

	for (i = 0; i < n; i++) {
		ret = send_port(d, i, NLM_F_MULTI, r, err);
		if (ret)
			return ret;
	}
	return 0;
}

static int send_worker(struct p4xd *d, const struct p4x_worker_info *w,
		       struct p4xd_reply *r)
{
	struct nlmsghdr *nlh = p4xd_reply__start(r, NLM_F_MULTI);
	struct p4x_port *port = p4x_engine__port(d->engine, w->port);
	struct p4x_port_info info = {0};

	if (port)
		port->ops->get_info(port, &info);
	mnl_attr_put_u32(nlh, P4X_CTL_WORKER_ID, w->id);
	mnl_attr_put_u32(nlh, P4X_CTL_WORKER_CORE,
			 w->core < 0 ? UINT32_MAX : (uint32_t)w->core);
	mnl_attr_put_strz(nlh, P4X_CTL_WORKER_PORT, info.name);
	mnl_attr_put_u32(nlh, P4X_CTL_WORKER_QUEUE, w->queue);
	mnl_attr_put_u64(nlh, P4X_CTL_WORKER_RX, w->rx_packets);
	mnl_attr_put_u64(nlh, P4X_CTL_WORKER_TX, w->tx_packets);
	mnl_attr_put_u64(nlh, P4X_CTL_WORKER_DROPS, w->drops);
	mnl_attr_put_u64(nlh, P4X_CTL_WORKER_LOOPS, w->loops);
	mnl_attr_put_u64(nlh, P4X_CTL_WORKER_BUSY, w->busy_loops);
	mnl_attr_put_u8(nlh, P4X_CTL_WORKER_ONLINE, w->online);
	return p4xd_reply__send(r, nlh);
}

static int worker_dump(struct p4xd *d, const struct nlattr **tb,
		       struct p4xd_reply *r, struct p4x_ctl_err *err)
{
	unsigned int i, n = p4x_engine__nb_workers(d->engine);
	struct p4x_worker_info w;
	int ret;

	for (i = 0; i < n; i++) {
		ret = p4x_engine__worker_info(d->engine, i, &w);
		if (!ret)
			ret = send_worker(d, &w, r);
		if (ret) {
			p4x_ctl_err_set(err, ret, 0, "worker %u: %s", i,
					strerror(-ret));
			return ret;
		}
	}
	return 0;
}

_Static_assert(P4X_CTL_STATUS_MAX < P4XD_TB_SIZE &&
		       P4X_CTL_PORT_MAX < P4XD_TB_SIZE &&
		       P4X_CTL_WORKER_MAX < P4XD_TB_SIZE &&
		       P4X_CTL_TMPL_MAX < P4XD_TB_SIZE &&
		       P4X_CTL_P4_MAX < P4XD_TB_SIZE &&
		       P4X_CTL_SCHED_MAX < P4XD_TB_SIZE,
	       "request attribute sets must fit P4XD_TB_SIZE");

const struct p4xd_handler p4xd_handlers[] = {
	{P4X_CTL_MSG_GET_STATUS, &p4x_ctl_status_set, status_do, NULL},
	{P4X_CTL_MSG_GET_PORT, &p4x_ctl_port_set, port_do, port_dump},
	{P4X_CTL_MSG_GET_WORKER, &p4x_ctl_worker_set, NULL, worker_dump},
	{P4X_CTL_MSG_SCHED_GET, &p4x_ctl_sched_set, p4xd_sched_get_do,
	 p4xd_sched_get_dump},
	{P4X_CTL_MSG_SCHED_SET, &p4x_ctl_sched_set, p4xd_sched_set_do, NULL},
	{P4X_CTL_MSG_BRIDGE_STATUS, &p4x_ctl_bridge_req_set, NULL,
	 p4xd_bridge_status_dump},
	{P4X_CTL_MSG_BRIDGE_DIFF, &p4x_ctl_bridge_req_set, NULL,
	 p4xd_bridge_diff_dump},
	{P4X_CTL_MSG_P4TEMPLATE, &p4x_ctl_tmpl_set, p4xd_p4_tmpl_do, NULL},
	{P4X_CTL_MSG_P4_PIPELINE, &p4x_ctl_p4_set, p4xd_p4_pipeline_do, NULL},
	{P4X_CTL_MSG_PROG_LOAD, &p4x_ctl_tmpl_set, p4xd_prog_load_do, NULL},
	{P4X_CTL_MSG_P4_CREATE, &p4x_ctl_p4_set, p4xd_p4_write_do, NULL},
	{P4X_CTL_MSG_P4_UPDATE, &p4x_ctl_p4_set, p4xd_p4_write_do, NULL},
	{P4X_CTL_MSG_P4_DELETE, &p4x_ctl_p4_set, p4xd_p4_write_do, NULL},
	{P4X_CTL_MSG_P4_GET, &p4x_ctl_p4_set, p4xd_p4_get_do, p4xd_p4_get_dump},
	{P4X_CTL_MSG_P4_SUBSCRIBE, &p4x_ctl_p4_set, p4xd_p4_subscribe_do, NULL},
	{0},
};
