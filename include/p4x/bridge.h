/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The kernel bridge: sources that mirror kernel state into the engine.
 *
 * The kernel stays authoritative. A source (rtnetlink here; P4TC elsewhere)
 * dumps the kernel's objects, subscribes to their events and pushes typed
 * objects through the in-memory mirror below into a sink (the engine).
 * Whenever the source cannot prove that the sink holds exactly what the
 * kernel holds (at start, after ENOBUFS on the event socket, after a
 * sequence gap, after a message it could not decode) it resyncs: it dumps
 * again, diffs the dump against the mirror (what the sink holds) and applies
 * only the difference. Changes reach the sink in batches bracketed by
 * begin/commit so that the engine can commit each batch atomically.
 *
 * Threading: a source and its sink are driven by one thread (the caller of
 * p4x_bridge_source__process); nothing here locks.
 */
#ifndef P4X_BRIDGE_H
#define P4X_BRIDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"

/* ------------------------------------------------------------------------ */
/* Routing objects (rtnetlink). Every struct is compared and hashed as bytes:
 * producers zero the whole struct (padding included) before filling it.    */

/* Longest link-layer address kept (the kernel's MAX_ADDR_LEN). */
#define P4X_RT_LLADDR_MAX 32

enum p4x_rt_op {
	P4X_RT_ADD = 0,	    /* object is new to the receiver */
	P4X_RT_REPLACE = 1, /* same key, other contents: full new object */
	P4X_RT_DEL = 2,	    /* object removed (only the key is meaningful) */
};

enum p4x_rt_kind {
	P4X_RT_LINK = 0,
	P4X_RT_ADDR = 1,
	P4X_RT_ROUTE = 2,
	P4X_RT_NEIGH = 3,
	P4X_RT_KIND_MAX,
};

struct p4x_rt_link_key {
	uint32_t ifindex;
};

struct p4x_rt_link {
	struct p4x_rt_link_key key;
	uint32_t flags; /* IFF_*: IFF_UP admin, IFF_LOWER_UP carrier */
	uint32_t mtu;
	uint8_t operstate; /* IF_OPER_* */
	uint8_t addr_len;  /* 0: no link-layer address */
	uint8_t _pad[2];
	uint8_t addr[P4X_RT_LLADDR_MAX];
	char name[P4X_IFNAMSIZ];
};

struct p4x_rt_addr_key {
	uint32_t ifindex;
	uint8_t family; /* AF_INET, AF_INET6 */
	uint8_t prefixlen;
	uint8_t _pad[2];
	uint8_t addr[16]; /* IFA_LOCAL (v4) / IFA_ADDRESS (v6), network order */
};

struct p4x_rt_addr {
	struct p4x_rt_addr_key key;
	uint32_t flags; /* IFA_F_* (IFA_FLAGS when present) */
	uint8_t scope;	/* RT_SCOPE_* */
	uint8_t _pad[3];
};

/* One next hop of a route. A single-path route has exactly one. */
struct p4x_rt_nh {
	uint32_t ifindex;  /* 0: none (e.g. gateway resolved by nh object) */
	uint16_t weight;   /* 1..256, as `ip route ... weight` prints it */
	uint8_t gw_family; /* 0: directly connected; AF_INET or AF_INET6 */
	uint8_t flags;	   /* RTNH_F_ONLINK only; liveness flags are masked */
	uint8_t gw[16];
};

/*
 * A route's identity in the kernel FIB: IPv4 keys on (table, dst/len, tos,
 * priority); IPv6 on (table, dst/len, metric) and, for routes without a
 * gateway, the device: the kernel keeps such routes apart (fe80::/64 on
 * every link), while gateway routes of one prefix and metric are the
 * siblings of one multipath route. tos and oif are 0 where unused.
 */
struct p4x_rt_route_key {
	uint32_t table;	   /* RT_TABLE_MAIN: the only table mirrored */
	uint32_t priority; /* RTA_PRIORITY (metric) */
	uint8_t family;
	uint8_t dst_len;
	uint8_t tos;
	uint8_t _pad0;
	uint8_t dst[16];
	uint32_t oif; /* IPv6 routes without a gateway: their device */
};

struct p4x_rt_route {
	struct p4x_rt_route_key key;
	uint8_t type; /* RTN_UNICAST, RTN_BLACKHOLE, RTN_UNREACHABLE, ... */
	uint8_t protocol;
	uint8_t scope;
	uint8_t _pad0;
	uint32_t nh_id; /* RTA_NH_ID: kernel nexthop object, 0: none */
	uint8_t prefsrc[16];
	uint32_t nh_count; /* 0 for blackhole / unreachable / prohibit */
	uint32_t _pad1;
	/* nh_count next hops. Borrowed: valid while the callback runs. */
	const struct p4x_rt_nh *nh;
};

struct p4x_rt_neigh_key {
	uint32_t ifindex;
	uint8_t family; /* AF_INET, AF_INET6 */
	uint8_t _pad[3];
	uint8_t addr[16];
};

struct p4x_rt_neigh {
	struct p4x_rt_neigh_key key;
	uint16_t state; /* NUD_*: REACHABLE, STALE, DELAY, PROBE, FAILED, ... */
	uint8_t flags;	/* NTF_* */
	uint8_t lladdr_len; /* 0: unresolved (no NDA_LLADDR) */
	uint8_t lladdr[P4X_RT_LLADDR_MAX];
};

/*
 * Write a one-line description of @obj (a struct p4x_rt_<kind>) into @buf:
 * "route 10.0.0.0/24 metric 0 proto static nh 2:10.1.0.2@1 ...". Returns
 * what snprintf returns.
 */
int p4x_rt__snprintf(char *buf, size_t len, enum p4x_rt_kind kind,
		     const void *obj);

/* "link", "addr", "route", "neigh" */
const char *p4x_rt_kind__name(enum p4x_rt_kind kind);

/* "add", "replace", "del" */
const char *p4x_rt_op__name(enum p4x_rt_op op);

/* ------------------------------------------------------------------------ */
/* The sink: what the engine side implements to receive routing objects.   */

struct p4x_bridge_rt_sink_ops;

struct p4x_bridge_rt_sink {
	const struct p4x_bridge_rt_sink_ops *ops;
	void *ctx; /* passed to every slot; owned by whoever built the sink */
};

/*
 * Every object argument is borrowed: valid only during the call (copy what
 * you keep). A change slot returning -errno must have changed nothing: the
 * mirror in front undoes its own change, so the object stays a difference
 * that `diff` shows and the next resync retries; the source counts the
 * error, records it as the last error and goes on with the batch.
 */
struct p4x_bridge_rt_sink_ops {
	/* Open a batch. NULL: the sink does not batch. */
	int (*begin)(void *ctx);
	/* Commit the batch opened by begin. NULL: nothing to commit. */
	int (*commit)(void *ctx);
	/* Apply one change. All four must be non-NULL. */
	int (*link)(void *ctx, enum p4x_rt_op op, const struct p4x_rt_link *l);
	int (*addr)(void *ctx, enum p4x_rt_op op, const struct p4x_rt_addr *a);
	int (*route)(void *ctx, enum p4x_rt_op op,
		     const struct p4x_rt_route *r);
	int (*neigh)(void *ctx, enum p4x_rt_op op,
		     const struct p4x_rt_neigh *n);
	/*
	 * Push every object the sink holds, as P4X_RT_ADD, into @out (never
	 * inside a batch of @out). NULL: the sink cannot be walked. Returns 0
	 * or the first -errno of @out.
	 */
	int (*walk)(void *ctx, const struct p4x_bridge_rt_sink *out);
};

/* Apply helpers: dispatch on @kind to the matching slot of @sink. */
int p4x_bridge_rt_sink__apply(const struct p4x_bridge_rt_sink *sink,
			      enum p4x_rt_kind kind, enum p4x_rt_op op,
			      const void *obj);

/* ------------------------------------------------------------------------ */
/* The mirror: an in-memory sink holding a keyed set of each kind. A source
 * writes through a mirror, which forwards each real change to the engine's
 * sink (opts.next): the mirror is what the sink holds, the reference that
 * resyncs and `bridge diff` compare with the kernel. It normalises ops: an
 * ADD of a held key becomes a REPLACE, an unchanged object and a DEL of an
 * unknown key are not forwarded. A change the next sink refuses is undone
 * in the mirror, which keeps holding exactly what the sink holds.         */

struct p4x_bridge_mirror;

struct p4x_bridge_mirror_opts {
	size_t sz;
	/*
	 * Forward every change (and begin/commit) to this sink after the
	 * mirror has applied it. NULL: none. Borrowed: must outlive the
	 * mirror.
	 */
	const struct p4x_bridge_rt_sink *next;
	/*
	 * Objects to make room for up front, per kind (indexed by enum
	 * p4x_rt_kind); 0: start small. Growing past the room rehashes a
	 * whole set at once (milliseconds at 100k objects): size for the
	 * table you expect.
	 */
	size_t hint[P4X_RT_KIND_MAX];
};

/* New empty mirror; @opts may be NULL. NULL + errno on failure. */
struct p4x_bridge_mirror *
p4x_bridge_mirror__new(const struct p4x_bridge_mirror_opts *opts);

/* Free the mirror and every object it holds. Accepts NULL. */
void p4x_bridge_mirror__free(struct p4x_bridge_mirror *m);

/* The mirror as a sink (ops + ctx); valid while the mirror lives. */
struct p4x_bridge_rt_sink p4x_bridge_mirror__sink(struct p4x_bridge_mirror *m);

/* Number of objects of @kind held. */
size_t p4x_bridge_mirror__count(const struct p4x_bridge_mirror *m,
				enum p4x_rt_kind kind);

/*
 * Look an object up by key: @key points at a struct p4x_rt_<kind>_key.
 * Returns the held object (a struct p4x_rt_<kind>, owned by the mirror,
 * valid until the next change) or NULL.
 */
const void *p4x_bridge_mirror__lookup(const struct p4x_bridge_mirror *m,
				      enum p4x_rt_kind kind, const void *key);

/*
 * Compare @have with @want and emit into @out the changes that turn @have
 * into @want: ADD (only in @want), REPLACE (both, different; @want's
 * version), DEL (only in @have). Emits no begin/commit. Returns the number
 * of differences, or the first -errno of @out.
 */
long p4x_bridge_mirror__diff(const struct p4x_bridge_mirror *have,
			     const struct p4x_bridge_mirror *want,
			     const struct p4x_bridge_rt_sink *out);

/* ------------------------------------------------------------------------ */
/* Sources: one ops table per kind of source.                               */

#define P4X_BRIDGE_STATES(X)  \
	X(IDLE, "idle")       \
	X(DUMPING, "dumping") \
	X(SYNCED, "synced")   \
	X(RESYNCING, "resyncing")

enum p4x_bridge_state {
#define X(e, s) P4X_BRIDGE_##e,
	P4X_BRIDGE_STATES(X)
#undef X
};

/* Why a resync ran. */
#define P4X_BRIDGE_CAUSES(X)          \
	X(NONE, "none")               \
	X(START, "start")             \
	X(ENOBUFS, "enobufs")         \
	X(SEQ_GAP, "seq_gap")         \
	X(UNDECODABLE, "undecodable") \
	X(REQUEST, "request")

enum p4x_bridge_cause {
#define X(e, s) P4X_BRIDGE_CAUSE_##e,
	P4X_BRIDGE_CAUSES(X)
#undef X
};

/* Counters of a source; the name is also the JSON key. */
#define P4X_BRIDGE_COUNTERS(X)                                          \
	X(events)	  /* event messages received */                 \
	X(applied)	  /* changes pushed to the sink */              \
	X(batches)	  /* begin/commit pairs */                      \
	X(resyncs)	  /* resyncs completed */                       \
	X(resync_changes) /* changes applied by resyncs */              \
	X(enobufs)	  /* event socket overruns */                   \
	X(seq_gaps)	  /* interrupted dumps, bad sequence numbers */ \
	X(undecodable)	  /* messages not understood */                 \
	X(sink_errors)	  /* sink slots that returned an error */       \
	X(emulated)	  /* changes the kernel does not notify (see docs) */

struct p4x_bridge_status {
	enum p4x_bridge_state state;
	enum p4x_bridge_cause last_cause;
#define X(c) uint64_t c;
	P4X_BRIDGE_COUNTERS(X)
#undef X
	int last_error;		  /* -errno of the last failure, 0: none */
	char last_error_msg[128]; /* what failed, "" when none */
};

const char *p4x_bridge_state__name(enum p4x_bridge_state s);
const char *p4x_bridge_cause__name(enum p4x_bridge_cause c);

/* What a difference between the kernel and the sink is. */
#define P4X_BRIDGE_DIFFS(X)              \
	X(ONLY_KERNEL, "only in kernel") \
	X(ONLY_SINK, "only in sink")     \
	X(DIFFERS, "differs")

enum p4x_bridge_diff {
#define X(e, s) P4X_BRIDGE_DIFF_##e,
	P4X_BRIDGE_DIFFS(X)
#undef X
};

const char *p4x_bridge_diff__name(enum p4x_bridge_diff d);

/* One difference; @object is borrowed for the call. 0 or -errno to stop. */
typedef int (*p4x_bridge_diff_fn)(void *arg, enum p4x_bridge_diff what,
				  const char *object);

struct p4x_bridge_source;

struct p4x_bridge_source_ops {
	const char *name; /* "rtnl", "p4tc": non-NULL */
	/*
	 * Subscribe to events, then dump and resync the sink (cause START).
	 * Must be non-NULL. 0 or -errno (the source stays IDLE).
	 */
	int (*start)(struct p4x_bridge_source *src);
	/* The event fd to poll for POLLIN; -1 before start. Non-NULL. */
	int (*fd)(const struct p4x_bridge_source *src);
	/*
	 * Handle what is pending without blocking: at most @budget event
	 * messages, applied in batches; runs a resync when one is due.
	 * Returns the number of messages handled or -errno. Non-NULL.
	 */
	long (*process)(struct p4x_bridge_source *src, unsigned int budget);
	/* Resync now with @cause. Non-NULL. 0 or -errno. */
	int (*resync)(struct p4x_bridge_source *src,
		      enum p4x_bridge_cause cause);
	/*
	 * Dump the kernel afresh and call @fn(@arg, what, object) for every
	 * difference between it and what the sink holds, with the object
	 * described on one line (the kernel's version unless only in the
	 * sink). Changes nothing. NULL: not supported (-EOPNOTSUPP). Returns
	 * the number of differences, or -errno (the first error of @fn).
	 */
	long (*diff)(struct p4x_bridge_source *src, p4x_bridge_diff_fn fn,
		     void *arg);
	/* Copy the status out. Non-NULL. */
	void (*status)(const struct p4x_bridge_source *src,
		       struct p4x_bridge_status *out);
	/* Close sockets and free; never touches the sink. Non-NULL. */
	void (*free)(struct p4x_bridge_source *src);
};

/* Every source starts with this header. */
struct p4x_bridge_source {
	const struct p4x_bridge_source_ops *ops;
};

/* Dispatchers over the ops table (see the slots above). */
int p4x_bridge_source__start(struct p4x_bridge_source *src);
int p4x_bridge_source__fd(const struct p4x_bridge_source *src);
long p4x_bridge_source__process(struct p4x_bridge_source *src,
				unsigned int budget);
int p4x_bridge_source__resync(struct p4x_bridge_source *src,
			      enum p4x_bridge_cause cause);
long p4x_bridge_source__diff(struct p4x_bridge_source *src,
			     p4x_bridge_diff_fn fn, void *arg);
void p4x_bridge_source__status(const struct p4x_bridge_source *src,
			       struct p4x_bridge_status *out);
/* Accepts NULL. */
void p4x_bridge_source__free(struct p4x_bridge_source *src);

/* ------------------------------------------------------------------------ */
/* The rtnetlink source: links, addresses, IPv4/IPv6 main-table routes and
 * neighbours of the network namespace the calling thread is in.          */

struct p4x_bridge_rtnl_opts {
	size_t sz;
	/*
	 * Event socket receive buffer in bytes; 0: 8 MB. Set with
	 * SO_RCVBUFFORCE (falls back to SO_RCVBUF without CAP_NET_ADMIN).
	 */
	size_t rcvbuf;
	/* Most changes per sink batch; 0: 4096. */
	unsigned int batch;
};

/*
 * New rtnetlink source writing through @mirror (borrowed: must outlive the
 * source; it may already hold state, from an earlier source: start then
 * applies only the difference). @opts may be NULL. Opens nothing until
 * start. NULL + errno (EINVAL: bad opts).
 */
struct p4x_bridge_source *
p4x_bridge_rtnl__new(struct p4x_bridge_mirror *mirror,
		     const struct p4x_bridge_rtnl_opts *opts);

/*
 * Compare @mirror with a fresh dump of the calling thread's namespace and
 * emit every difference into @out (ADD = only in the kernel, REPLACE =
 * differs, kernel's version, DEL = only in the mirror). Changes nothing.
 * Returns the count or -errno.
 */
long p4x_bridge_rtnl__diff(const struct p4x_bridge_mirror *mirror,
			   const struct p4x_bridge_rt_sink *out);

/*
 * Decode a buffer of rtnetlink messages (as received from a dump or the
 * event socket: RTM_NEW/DEL LINK, ADDR, ROUTE, NEIGH) and apply them to
 * @sink inside one begin/commit. Objects outside the mirrored scope (other
 * tables, families, cloned routes) are skipped. Returns the number of
 * messages applied or -EBADMSG on the first message it cannot decode (the
 * ones before it are applied). For replays and tests.
 */
long p4x_bridge_rtnl__apply_buf(const struct p4x_bridge_rt_sink *sink,
				const void *buf, size_t len);

#endif /* P4X_BRIDGE_H */
