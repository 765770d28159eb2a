// SPDX-License-Identifier: BSD-3-Clause
/* Control protocol: attribute policies of the scheduler messages. */
#include "p4x/ctl.h"
#include "p4x/sched.h"

static const struct p4x_ctl_attr_set sched_drop_set = {
	"scheduler drops",
	P4X_SCHED_DROP__COUNT,
	NULL,
};

static const struct p4x_ctl_policy cls_policy[] = {
	[P4X_CTL_SCLS_ID] = {"class", MNL_TYPE_U32},
	[P4X_CTL_SCLS_BACKLOG_PKTS] = {"backlog_pkts", MNL_TYPE_U64},
	[P4X_CTL_SCLS_BACKLOG_BYTES] = {"backlog_bytes", MNL_TYPE_U64},
	[P4X_CTL_SCLS_ENQ_PKTS] = {"enq_pkts", MNL_TYPE_U64},
	[P4X_CTL_SCLS_ENQ_BYTES] = {"enq_bytes", MNL_TYPE_U64},
	[P4X_CTL_SCLS_DEQ_PKTS] = {"deq_pkts", MNL_TYPE_U64},
	[P4X_CTL_SCLS_DEQ_BYTES] = {"deq_bytes", MNL_TYPE_U64},
	[P4X_CTL_SCLS_DROPS] = {"drops", MNL_TYPE_NESTED, 0, &sched_drop_set},
	[P4X_CTL_SCLS_DEQ_PPS] = {"deq_pps", MNL_TYPE_U64},
	[P4X_CTL_SCLS_DEQ_BPS] = {"deq_bps", MNL_TYPE_U64},
	[P4X_CTL_SCLS_DROP_PPS] = {"drop_pps", MNL_TYPE_U64},
};

const struct p4x_ctl_attr_set p4x_ctl_sched_cls_set = {
	"scheduler class",
	P4X_CTL_SCLS_MAX,
	cls_policy,
};

static const struct p4x_ctl_policy flow_policy[] = {
	[P4X_CTL_SFLOW_ID] = {"flow", MNL_TYPE_U32},
	[P4X_CTL_SFLOW_QUEUE] = {"queue", MNL_TYPE_U32},
	[P4X_CTL_SFLOW_BACKLOG_PKTS] = {"backlog_pkts", MNL_TYPE_U32},
	[P4X_CTL_SFLOW_BACKLOG_BYTES] = {"backlog_bytes", MNL_TYPE_U32},
};

const struct p4x_ctl_attr_set p4x_ctl_sched_flow_set = {
	"scheduler flow",
	P4X_CTL_SFLOW_MAX,
	flow_policy,
};

static const struct p4x_ctl_policy pstat_policy[] = {
	[P4X_CTL_SPSTAT_NAME] = {"name", MNL_TYPE_NUL_STRING, 64},
	[P4X_CTL_SPSTAT_VALUE] = {"value", MNL_TYPE_U64},
};

const struct p4x_ctl_attr_set p4x_ctl_sched_pstat_set = {
	"policy counter",
	P4X_CTL_SPSTAT_MAX,
	pstat_policy,
};

#define SCHED_MAX_FLOWS 16

static const struct p4x_ctl_policy classes_policy[P4X_SCHED_MAX_CLASSES + 1] = {
	[1 ... P4X_SCHED_MAX_CLASSES] = {"class", MNL_TYPE_NESTED, 0,
					 &p4x_ctl_sched_cls_set},
};

static const struct p4x_ctl_attr_set classes_set = {
	"scheduler classes",
	P4X_SCHED_MAX_CLASSES,
	classes_policy,
};

static const struct p4x_ctl_policy flows_policy[SCHED_MAX_FLOWS + 1] = {
	[1 ... SCHED_MAX_FLOWS] = {"flow", MNL_TYPE_NESTED, 0,
				   &p4x_ctl_sched_flow_set},
};

static const struct p4x_ctl_attr_set flows_set = {
	"scheduler flows",
	SCHED_MAX_FLOWS,
	flows_policy,
};

static const struct p4x_ctl_policy pstats_policy[SCHED_MAX_FLOWS + 1] = {
	[1 ... SCHED_MAX_FLOWS] = {"policy counter", MNL_TYPE_NESTED, 0,
				   &p4x_ctl_sched_pstat_set},
};

static const struct p4x_ctl_attr_set pstats_set = {
	"policy counters",
	SCHED_MAX_FLOWS,
	pstats_policy,
};

static const struct p4x_ctl_policy sched_policy[] = {
	[P4X_CTL_SCHED_PORT] = {"port", MNL_TYPE_NUL_STRING, P4X_IFNAMSIZ},
	[P4X_CTL_SCHED_POLICY] = {"policy", MNL_TYPE_NUL_STRING, 4096},
	[P4X_CTL_SCHED_LOAD] = {"load", MNL_TYPE_U8},
	[P4X_CTL_SCHED_PARAMS] = {"params", MNL_TYPE_NUL_STRING, 1024},
	[P4X_CTL_SCHED_SPEC] = {"spec", MNL_TYPE_NUL_STRING, 4096},
	[P4X_CTL_SCHED_QUEUES] = {"queues", MNL_TYPE_U32},
	[P4X_CTL_SCHED_LINK_UP] = {"link_up", MNL_TYPE_U8},
	[P4X_CTL_SCHED_RATE] = {"rate", MNL_TYPE_U64},
	[P4X_CTL_SCHED_INTERVAL_MS] = {"interval_ms", MNL_TYPE_U64},
	[P4X_CTL_SCHED_PENDING] = {"pending", MNL_TYPE_U32},
	[P4X_CTL_SCHED_TOTAL] = {"total", MNL_TYPE_NESTED, 0,
				 &p4x_ctl_sched_cls_set},
	[P4X_CTL_SCHED_CLASSES] = {"classes", MNL_TYPE_NESTED, 0, &classes_set},
	[P4X_CTL_SCHED_FLOWS] = {"flows", MNL_TYPE_NESTED, 0, &flows_set},
	[P4X_CTL_SCHED_PSTATS] = {"policy_stats", MNL_TYPE_NESTED, 0,
				  &pstats_set},
};

const struct p4x_ctl_attr_set p4x_ctl_sched_set = {
	"sched",
	P4X_CTL_SCHED_MAX,
	sched_policy,
};
