/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * p4xskd's P4 runtime: the P4TC model of the daemon (one per daemon, as
 * one network namespace in P4TC), the runtime tables of every sealed
 * pipeline, table events to subscribers, and aging.
 *
 * Theory of operation. p4template commands run on the model
 * (p4x_p4tc__exec); after each one p4xd_p4__sync() makes the runtime
 * match it: a pipeline that is sealed gets one p4x_table per table
 * definition (kind, key size, tentries, nummasks, permissions, default
 * actions, const entries); a pipeline that was deleted loses its tables.
 * p4ctrl requests write entries through one table transaction per batch,
 * so a batch commits whole or not at all. Every committed change is sent
 * as an event to the subscribed connections whose pipeline, table and
 * filter it matches. All of it runs on the daemon's main thread (the
 * tables' control thread).
 */
#ifndef P4X_DAEMON_P4RT_H
#define P4X_DAEMON_P4RT_H

#include <limits.h>

#include "p4x/p4tc.h"
#include "p4x/p4tc_filter.h"
#include "p4x/table.h"

#include "daemon.h"

struct p4xd_rt_table {
	const struct p4x_p4tc_table_def *def; /* owned by the model */
	struct p4x_table *t;		      /* owned */
	/* aging ms of timer profiles 0..15 (0: unused) */
	uint64_t profiles[P4X_TABLE_PROFILES_MAX];
	bool has_dynamic; /* a dynamic entry was written: age it */
};

struct p4xd_rt_pipe {
	char name[P4X_P4TC_NAMSZ];
	uint32_t id;
	unsigned int ntables;
	struct p4xd_rt_table tables[P4X_P4TC_MAX_TABLES];
};

/* A subscribed connection. */
struct p4xd_sub {
	int fd;				/* -1: free slot */
	char pname[P4X_P4TC_NAMSZ];	/* "" any */
	char tblname[P4X_P4TC_PATHSZ];	/* "" any */
	struct p4x_p4tc_filter *filter; /* owned; NULL none */
	uint64_t lost;			/* events it could not take */
};

/* The introspection file a pipeline's key fields came from. */
struct p4xd_intro {
	char pipe[P4X_P4TC_NAMSZ];
	char path[PATH_MAX];
};

struct p4xd_p4 {
	struct p4x_p4tc *m;
	struct p4xd_rt_pipe *pipes[P4X_P4TC_MAX_PIPELINES];
	unsigned int npipes;
	struct p4xd_intro intro[P4X_P4TC_MAX_PIPELINES];
	unsigned int nintro;
	struct p4xd_sub subs[P4XD_MAX_CLIENTS];
	uint64_t last_aged; /* p4x_table_clock_ms() of the last aging pass */
};

/* A new runtime with an empty model; NULL with errno. */
struct p4xd_p4 *p4xd_p4__new(void);
/* Destroy every table and the model; close nothing. NULL ok. */
void p4xd_p4__free(struct p4xd_p4 *p);

/*
 * Make the runtime tables match the model. 0, or -errno with @err
 * filled when a sealed pipeline's tables cannot be built (its runtime is
 * then absent).
 */
int p4xd_p4__sync(struct p4xd_p4 *p, struct p4x_ctl_err *err);

/* The runtime of sealed pipeline @name, or NULL with @err filled
 * ("pipeline X does not exist", "pipeline X is not sealed"). */
struct p4xd_rt_pipe *p4xd_p4__pipe(struct p4xd_p4 *p, const char *name,
				   struct p4x_ctl_err *err);
/* Table "cb/tbl" of @rp, or NULL with @err filled. */
struct p4xd_rt_table *p4xd_rt_pipe__table(struct p4xd_rt_pipe *rp,
					  const char *name,
					  struct p4x_ctl_err *err);

/* Short table name ("nh_table" of "Main/nh_table"), as errors use it. */
const char *p4xd_rt_table__short(const struct p4xd_rt_table *rt);

/*
 * Timer profile of a dynamic entry aging after @aging_ms (0: the
 * table's default, profile 0), defined on first use. -ENOSPC when all
 * 16 profiles are taken by other values.
 */
int p4xd_rt_table__profile(struct p4xd_rt_table *rt, uint64_t aging_ms);

/* The protocol form of a committed entry; pointers into @info. */
void p4xd_rt_table__entry(const struct p4xd_rt_table *rt,
			  const struct p4x_table_entry_info *info,
			  uint64_t now_ms, struct p4x_ctl_entry *e);

/*
 * Reply/event message for one entry of @rt in @buf (P4X_CTL_MSG_MAX
 * bytes): PNAME, PIPEID, TBLNAME, TBLID, ENTRIES {1: entry}. @cmd < 0:
 * no P4X_CTL_P4_CMD.
 */
struct nlmsghdr *p4xd_p4_entry_msg(void *buf, uint16_t type, uint16_t flags,
				   uint32_t seq, const struct p4xd_rt_pipe *rp,
				   const struct p4xd_rt_table *rt,
				   const struct p4x_ctl_entry *e, int cmd);

/*
 * Events of one committed change: collected (copied) while a transaction
 * is staged, sent after the commit, dropped on abort.
 */
struct p4xd_events;
struct p4xd_events *p4xd_events__new(struct p4xd_p4 *p,
				     const struct p4xd_rt_pipe *rp,
				     const struct p4xd_rt_table *rt);
/* Copy @info as an event of @cmd (only when someone may want it). */
void p4xd_events__add(struct p4xd_events *ev, enum p4x_ctl_p4_cmd cmd,
		      const struct p4x_table_entry_info *info);
/* Send to the matching subscribers and free. NULL ok. */
void p4xd_events__send(struct p4xd_events *ev);
/* Free without sending. NULL ok. */
void p4xd_events__free(struct p4xd_events *ev);

/* Poll timeout the runtime needs (aging a table that has had dynamic
 * entries), in ms; -1: none. */
int p4xd_p4__timeout_ms(const struct p4xd_p4 *p);
/* Every 100 ms at most: age every table that has had dynamic entries
 * (emitting aging events). Always: reclaim memory. */
void p4xd_p4__tick(struct p4xd_p4 *p);
/* Client @fd is gone: drop its subscription. */
void p4xd_p4__client_gone(struct p4xd_p4 *p, int fd);

/* The daemon's runtime, created on first use; NULL with @err filled. */
struct p4xd_p4 *p4xd_p4__runtime(struct p4xd *d, struct p4x_ctl_err *err);
/* The introspection record of pipeline @pipe (created empty), or NULL
 * when every slot is taken. */
struct p4xd_intro *p4xd_p4__intro_rec(struct p4xd_p4 *p, const char *pipe);

/* Request handlers (handlers table rows, p4ops.c). */
int p4xd_p4_tmpl_do(struct p4xd *d, const struct nlattr **tb,
		    struct p4xd_reply *r, struct p4x_ctl_err *err);
int p4xd_p4_pipeline_do(struct p4xd *d, const struct nlattr **tb,
			struct p4xd_reply *r, struct p4x_ctl_err *err);
int p4xd_p4_write_do(struct p4xd *d, const struct nlattr **tb,
		     struct p4xd_reply *r, struct p4x_ctl_err *err);
int p4xd_p4_get_do(struct p4xd *d, const struct nlattr **tb,
		   struct p4xd_reply *r, struct p4x_ctl_err *err);
int p4xd_p4_get_dump(struct p4xd *d, const struct nlattr **tb,
		     struct p4xd_reply *r, struct p4x_ctl_err *err);
int p4xd_p4_subscribe_do(struct p4xd *d, const struct nlattr **tb,
			 struct p4xd_reply *r, struct p4x_ctl_err *err);

#endif /* P4X_DAEMON_P4RT_H */
