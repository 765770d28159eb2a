/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Control protocol of the kernel bridge (docs/control.md, "Kernel
 * bridge"): the status of each source and the differences between the
 * engine and a fresh kernel dump. Message types 0x30.. (daemon objects).
 */
#ifndef P4X_CTL_BRIDGE_H
#define P4X_CTL_BRIDGE_H

#include "ctl.h"

enum {
	/* NLM_F_DUMP: one reply per configured source (enum
	 * p4x_ctl_bridge_attr) */
	P4X_CTL_MSG_BRIDGE_STATUS = 0x30,
	/* NLM_F_DUMP: one reply per difference (SOURCE, DIFF, OBJECT); none
	 * when the engine holds what the kernel holds */
	P4X_CTL_MSG_BRIDGE_DIFF,
	__P4X_CTL_MSG_BRIDGE_END,
};

enum p4x_ctl_bridge_attr {
	P4X_CTL_BRIDGE_UNSPEC,
	P4X_CTL_BRIDGE_SOURCE,	   /* string: "rtnl", "p4tc" */
	P4X_CTL_BRIDGE_STATE,	   /* string: idle, dumping, synced, resyncing,
				    * waiting, unavailable */
	P4X_CTL_BRIDGE_CAUSE,	   /* string: last resync cause */
	P4X_CTL_BRIDGE_COUNTERS,   /* nest: P4X_BRIDGE_COUNTERS, id = index+1 */
	P4X_CTL_BRIDGE_TABLES,	   /* nest: P4XD_BSINK_COUNTERS, id = index+1 */
	P4X_CTL_BRIDGE_LAG_US,	   /* u64: last batch, wakeup to commit */
	P4X_CTL_BRIDGE_LAG_MAX_US, /* u64 */
	P4X_CTL_BRIDGE_ERRNO,	   /* u32: last error as a positive errno */
	P4X_CTL_BRIDGE_ERROR,	   /* string: last error, "" none */
	P4X_CTL_BRIDGE_BINDING,	   /* string: binding file */
	P4X_CTL_BRIDGE_PIPELINE,   /* string: pipeline written */
	P4X_CTL_BRIDGE_MIRRORS,	   /* string: "P/cb/t P/cb/t" tables mirrored */
	P4X_CTL_BRIDGE_DIFF,	   /* string: "only in kernel", "only in sink",
				    * "differs" */
	P4X_CTL_BRIDGE_OBJECT,	   /* string: the object, one line */
	__P4X_CTL_BRIDGE_MAX
};
#define P4X_CTL_BRIDGE_MAX (__P4X_CTL_BRIDGE_MAX - 1)

/* Every attribute a bridge reply may carry; requests carry none. */
extern const struct p4x_ctl_attr_set p4x_ctl_bridge_set;
extern const struct p4x_ctl_attr_set p4x_ctl_bridge_req_set;

#endif /* P4X_CTL_BRIDGE_H */
