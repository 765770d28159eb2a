// SPDX-License-Identifier: BSD-3-Clause
/* Control protocol: attribute policies of the kernel bridge messages. */
#include "p4x/bridge.h"
#include "p4x/ctl_bridge.h"

#include "bridge_bind.h"

enum {
#define X(c) P4X_CTL_BRIDGE_CNT_##c,
	P4X_BRIDGE_COUNTERS(X)
#undef X
		P4X_CTL_BRIDGE_CNT__COUNT
};

enum {
#define X(c) P4X_CTL_BSINK_CNT_##c,
	P4XD_BSINK_COUNTERS(X)
#undef X
		P4X_CTL_BSINK_CNT__COUNT
};

static const struct p4x_ctl_attr_set counter_set = {
	"bridge counters",
	P4X_CTL_BRIDGE_CNT__COUNT,
	NULL,
};

static const struct p4x_ctl_attr_set table_counter_set = {
	"bridge table counters",
	P4X_CTL_BSINK_CNT__COUNT,
	NULL,
};

static const struct p4x_ctl_policy bridge_policy[] = {
	[P4X_CTL_BRIDGE_SOURCE] = {"source", MNL_TYPE_NUL_STRING, 16},
	[P4X_CTL_BRIDGE_STATE] = {"state", MNL_TYPE_NUL_STRING, 32},
	[P4X_CTL_BRIDGE_CAUSE] = {"cause", MNL_TYPE_NUL_STRING, 32},
	[P4X_CTL_BRIDGE_COUNTERS] = {"counters", MNL_TYPE_NESTED, 0,
				     &counter_set},
	[P4X_CTL_BRIDGE_TABLES] = {"tables", MNL_TYPE_NESTED, 0,
				   &table_counter_set},
	[P4X_CTL_BRIDGE_LAG_US] = {"lag_us", MNL_TYPE_U64},
	[P4X_CTL_BRIDGE_LAG_MAX_US] = {"lag_max_us", MNL_TYPE_U64},
	[P4X_CTL_BRIDGE_ERRNO] = {"errno", MNL_TYPE_U32},
	[P4X_CTL_BRIDGE_ERROR] = {"error", MNL_TYPE_NUL_STRING, 512},
	[P4X_CTL_BRIDGE_BINDING] = {"binding", MNL_TYPE_NUL_STRING, 4096},
	[P4X_CTL_BRIDGE_PIPELINE] = {"pipeline", MNL_TYPE_NUL_STRING, 64},
	[P4X_CTL_BRIDGE_MIRRORS] = {"mirrors", MNL_TYPE_NUL_STRING, 512},
	[P4X_CTL_BRIDGE_DIFF] = {"diff", MNL_TYPE_NUL_STRING, 32},
	[P4X_CTL_BRIDGE_OBJECT] = {"object", MNL_TYPE_NUL_STRING, 1024},
};

const struct p4x_ctl_attr_set p4x_ctl_bridge_set = {
	"bridge",
	P4X_CTL_BRIDGE_MAX,
	bridge_policy,
};

/* Requests carry no attribute. */
static const struct p4x_ctl_policy req_policy[1];

const struct p4x_ctl_attr_set p4x_ctl_bridge_req_set = {
	"bridge request",
	0,
	req_policy,
};
