/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The kernel-to-P4 binding of p4xskd's bridge (bridge_bind.c): a small
 * declarative file naming the P4 tables a kernel routing table is written
 * into, and the sink that turns mirrored routes, neighbours and links into
 * entries of those tables (format: docs/bridge.md, "Binding").
 *
 * Theory of operation. The sink sits behind the rtnetlink mirror. Each
 * change only updates its model (prefixes with their routes, next hops
 * with their users) and marks what it touches dirty; commit turns the
 * dirty set into table writes: next-hop adds/updates in one transaction,
 * then FIB writes in one transaction, then next-hop deletes in one, so a
 * reader never sees a FIB entry pointing at a next hop that is not there
 * and never half an entry. Rules (IPv4, main table):
 *  - a unicast route through a served port with an IPv4 gateway points at
 *    the next hop (port, gateway); several next hops: the first one on a
 *    served port (the program has no ECMP group);
 *  - a next hop is set_nh(neighbour MAC, port) while its neighbour has a
 *    link-layer address in a usable state and the port is up; else the
 *    host action (the kernel resolves it; the neighbour event completes
 *    the entry);
 *  - connected routes, routes through ports p4xsk does not serve, and
 *    unreachable/prohibit routes go to the host next hop; blackhole
 *    routes to the drop next hop (host when the binding has none);
 *  - a resolved neighbour on a served port is also a /32 FIB entry
 *    pointing at its own next hop, unless a route has that /32.
 * All of it runs on one thread: the tables' control thread.
 */
#ifndef P4X_DAEMON_BRIDGE_BIND_H
#define P4X_DAEMON_BRIDGE_BIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "p4x/bridge.h"
#include "p4x/ctl.h"
#include "p4x/p4tc.h"
#include "p4x/table.h"

struct p4xd_bind;

/* Parse binding file @path (JSON). NULL with errno and "PATH: where: why"
 * in @err. */
struct p4xd_bind *p4xd_bind__load(const char *path, char *err, size_t errsz);
/* NULL ok. */
void p4xd_bind__free(struct p4xd_bind *b);

/* The pipeline the binding writes, and its file. */
const char *p4xd_bind__pipeline(const struct p4xd_bind *b);
const char *p4xd_bind__path(const struct p4xd_bind *b);
/* The two tables it writes ("cb/table"): i = 0 FIB, 1 next hops. */
const char *p4xd_bind__table(const struct p4xd_bind *b, unsigned int i);

/*
 * Check the binding against sealed pipeline model @m (key fields, actions
 * in the tables' table_acts, param types) and resolve ids and blob
 * offsets. 0 or -EINVAL with the reason in @err.
 */
int p4xd_bind__resolve(struct p4xd_bind *b, const struct p4x_p4tc *m, char *err,
		       size_t errsz);

/* Where the sink writes: the current table @i (0 FIB, 1 next hops), or
 * NULL when the pipeline is not there. NULL callback: a shadow sink that
 * writes nothing (for comparisons). */
typedef struct p4x_table *(*p4xd_bsink_table_fn)(void *arg, unsigned int i);

/*
 * Table events of the sink's writes (monitor subscribers), per commit:
 * begin says which tables want them (bit i: table i); add gets each entry
 * written to such a table (after its transaction commits; a delete
 * before, the entry still there; @info valid during the call); end closes
 * the commit. Every slot non-NULL; arg is the opts' arg.
 */
struct p4xd_bsink_event_ops {
	unsigned int (*begin)(void *arg);
	void (*add)(void *arg, unsigned int i, enum p4x_ctl_p4_cmd cmd,
		    const struct p4x_table_entry_info *info);
	void (*end)(void *arg);
};

struct p4xd_bsink_opts {
	size_t sz;
	const struct p4xd_bind *bind; /* resolved; borrowed */
	/* ifindexes of the ports p4xsk serves; copied */
	const uint32_t *served;
	unsigned int nserved;
	p4xd_bsink_table_fn table;
	const struct p4xd_bsink_event_ops *events; /* NULL: none */
	void *arg;
};

struct p4xd_bsink;

/* NULL with errno. */
struct p4xd_bsink *p4xd_bsink__new(const struct p4xd_bsink_opts *opts);
/* NULL ok. Leaves the tables as they are. */
void p4xd_bsink__free(struct p4xd_bsink *s);
/* The mirror whose links and neighbours the sink reads (borrowed); set
 * before the first change. */
void p4xd_bsink__set_mirror(struct p4xd_bsink *s,
			    const struct p4x_bridge_mirror *m);
/* The sink's ops + ctx, valid while @s lives. */
struct p4x_bridge_rt_sink p4xd_bsink__sink(struct p4xd_bsink *s);

#define P4XD_BSINK_COUNTERS(X)                                     \
	X(fib_entries)	/* FIB entries in the table */             \
	X(nh_entries)	/* next-hop entries in the table */        \
	X(table_writes) /* entries added, updated or deleted */    \
	X(table_errors) /* writes the table refused (full, ...) */ \
	X(txns)		/* table transactions committed */         \
	X(reloads)	/* table replaced (pipeline recreated): rewritten */

struct p4xd_bsink_stats {
#define X(c) uint64_t c;
	P4XD_BSINK_COUNTERS(X)
#undef X
	char last_error[320]; /* "" none */
};

void p4xd_bsink__stats(const struct p4xd_bsink *s,
		       struct p4xd_bsink_stats *out);

/*
 * If the tables are not the ones the sink wrote (the pipeline is gone, or
 * was created again), or writes wait for them: commit now, rewriting
 * them whole when they are back. 0, or -ENOENT while they are gone.
 */
int p4xd_bsink__check(struct p4xd_bsink *s);

/*
 * Compare the entries of @fib and @nh (the live tables) with what shadow
 * sink @want computed (from a fresh kernel dump): every FIB prefix whose
 * resolved action (through the next-hop table) differs, is missing or is
 * extra, and next-hop entries no FIB entry uses. @fn gets one line per
 * difference. Returns the count or -errno (the first error of @fn).
 */
long p4xd_bsink__compare(const struct p4xd_bsink *want, struct p4x_table *fib,
			 struct p4x_table *nh, p4x_bridge_diff_fn fn,
			 void *arg);

#endif /* P4X_DAEMON_BRIDGE_BIND_H */
