/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * p4xskd's egress schedulers: the "POLICY[,k=v...]" specification shared
 * by --sched, the JSON config and `p4xsk sched set|load` (sched_spec.c),
 * and the daemon side (sched_ctl.c): set-up before the workers start,
 * runtime changes, statistics replies, and the link-state poll that tells
 * the engine when a scheduled port goes down. Grammar: docs/control.md.
 */
#ifndef P4X_DAEMON_SCHED_CTL_H
#define P4X_DAEMON_SCHED_CTL_H

#include <limits.h>
#include <stdbool.h>

#include "p4x/engine_sched.h"
#include "p4x/sched.h"

#include "daemon.h"

struct p4xd_sched_spec {
	char policy[PATH_MAX]; /* built-in name or policy object path */
	bool load;	       /* policy is a shared object */
	enum p4x_sched_builtin b;
	struct p4x_sched_params params;	 /* built-ins */
	char ptext[P4XD_SCHED_SPEC_MAX]; /* a policy object's "k=v,..." */
	struct p4x_sched_opts shape;	 /* start-time options */
	bool has_shape;
	bool has_rate, has_burst;
	uint64_t rate; /* bytes/s */
	uint32_t burst;
	bool has_cls;
	struct p4x_classifier cls;
};

/*
 * Parse "POLICY[,k=v...]" (@text) into @s. @at_start: shape keys (limit,
 * bytes, classes, flows, buckets, rank_shift, time_shift, drop) are
 * allowed. 0, or -EINVAL with the reason in @err.
 */
int p4xd_sched_spec_parse(const char *text, bool at_start,
			  struct p4xd_sched_spec *s, char *err, size_t errlen);

/* Every --sched names a configured port, at most once. 0 or -EINVAL. */
int p4xd_sched_cfg_check(const struct p4xd_config *cfg, char *err,
			 size_t errlen);

/*
 * After the ports are added, before the workers start: create and
 * configure the schedulers of d->cfg.sched. 0, or -errno with the reason
 * on stderr.
 */
int p4xd_sched__setup(struct p4xd *d);
void p4xd_sched__free(struct p4xd *d);

/* Poll timeout the link-state poll needs (ms), -1 when none. */
int p4xd_sched__timeout_ms(const struct p4xd *d);
/* At most every 100 ms: read the link state of scheduled ports. */
void p4xd_sched__tick(struct p4xd *d);

/* Request handlers (handlers table rows). */
int p4xd_sched_get_do(struct p4xd *d, const struct nlattr **tb,
		      struct p4xd_reply *r, struct p4x_ctl_err *err);
int p4xd_sched_get_dump(struct p4xd *d, const struct nlattr **tb,
			struct p4xd_reply *r, struct p4x_ctl_err *err);
int p4xd_sched_set_do(struct p4xd *d, const struct nlattr **tb,
		      struct p4xd_reply *r, struct p4x_ctl_err *err);

#endif /* P4X_DAEMON_SCHED_CTL_H */
