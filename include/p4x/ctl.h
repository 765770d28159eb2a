/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The p4xskd control protocol: netlink-style TLV messages over a local
 * AF_UNIX SOCK_SEQPACKET socket, built and parsed with libmnl.
 *
 * Theory of operation
 *
 * Every message is a struct nlmsghdr, then struct p4x_ctlmsg, then
 * attributes (struct nlattr TLVs, nests allowed), exactly as rtnetlink
 * lays out its messages, so the same encoder and decoder serve the daemon
 * socket and a future kernel bridge. One datagram carries one or more
 * whole messages; a message never spans datagrams.
 *
 *  - A request has NLM_F_REQUEST, a client-chosen nlmsg_seq, and a type
 *    from enum p4x_ctl_msg_type. NLM_F_DUMP asks for every object of the
 *    type; NLM_F_ACK asks for an acknowledgement after a successful
 *    non-dump request.
 *  - Replies echo the request's seq and type. A dump answers with zero or
 *    more messages flagged NLM_F_MULTI, then NLMSG_DONE (payload: int
 *    error, 0). A non-dump answers with at most one message, then, when
 *    NLM_F_ACK was set, an NLMSG_ERROR whose error is 0.
 *  - Any failure ends the exchange with NLMSG_ERROR: struct nlmsgerr
 *    (error = -errno, the request's header) followed, with NLM_F_ACK_TLVS,
 *    by NLMSGERR_ATTR_MSG (the reason, a string) and NLMSGERR_ATTR_OFFS
 *    (the offset of the offending attribute in the request) when an
 *    attribute is to blame: the kernel's extended-ack format.
 *  - Every attribute is validated against a policy (type, length, known
 *    id) before a request acts; a malformed message is rejected with the
 *    reason and changes nothing.
 *
 * Message type ranges, so later work extends the scheme without renumbering:
 *   0x10-0x3f  daemon objects (status, ports, workers)
 *   0x40-0x5f  P4 templates (the `tc p4template` verbs)
 *   0x60-0x7f  P4 runtime objects (the `tc p4ctrl` verbs on table entries)
 *   0x80-0x8f  subscriptions and events (monitor)
 * Each object has its own attribute enum; attribute 0 is always unused.
 */
#ifndef P4X_CTL_H
#define P4X_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>

#include "common.h"

#define P4X_CTL_VERSION 1
#define P4X_CTL_SOCK_DEFAULT "/run/p4xsk/p4xskd.sock"
#define P4X_CTL_SOCK_ENV "P4XSK_SOCK"
/* Largest datagram either side sends or accepts. */
#define P4X_CTL_MSG_MAX 16384u

/* Family header after struct nlmsghdr in every request and reply. */
struct p4x_ctlmsg {
	uint8_t version;     /* P4X_CTL_VERSION */
	uint8_t reserved[3]; /* must be 0 */
};

enum p4x_ctl_msg_type {
	/* Daemon status; reply attributes: enum p4x_ctl_status_attr. */
	P4X_CTL_MSG_GET_STATUS = NLMSG_MIN_TYPE,
	/* Ports; one by P4X_CTL_PORT_NAME, or NLM_F_DUMP for all. Reply
	 * attributes: enum p4x_ctl_port_attr. */
	P4X_CTL_MSG_GET_PORT,
	/* Workers; NLM_F_DUMP only. Reply: enum p4x_ctl_worker_attr. */
	P4X_CTL_MSG_GET_WORKER,
	__P4X_CTL_MSG_END,

	/*
	 * Egress schedulers (docs/control.md, "Scheduler"), attributes enum
	 * p4x_ctl_sched_attr. SCHED_GET: one port by P4X_CTL_SCHED_PORT, or
	 * NLM_F_DUMP for every scheduled port. SCHED_SET: PORT, POLICY (a
	 * built-in name, or with LOAD the absolute path of a policy object)
	 * and PARAMS ("k=v,..."); acked, changes nothing on error.
	 */
	P4X_CTL_MSG_SCHED_GET = 0x20,
	P4X_CTL_MSG_SCHED_SET,
	__P4X_CTL_MSG_SCHED_END,

	/*
	 * One `tc p4template` command: P4X_CTL_TMPL_ARGV (the words after
	 * "p4template", a leading "-j" for JSON) and the client's
	 * $INTROSPECTION directory. Reply (with NLM_F_ACK: zero or more
	 * NLM_F_MULTI parts, then the ack): P4X_CTL_TMPL_OUTPUT, the text
	 * of a get.
	 */
	P4X_CTL_MSG_P4TEMPLATE = 0x40,
	/* A pipeline by P4X_CTL_P4_PNAME. Reply: PNAME, PIPEID, SEALED,
	 * INTROSPECTION (the file its key fields came from, if known). */
	P4X_CTL_MSG_P4_PIPELINE = 0x41,
	/* Load a P4TC program directory (`p4xsk load`): its absolute path
	 * in P4X_CTL_TMPL_INTROSPECTION; NLM_F_ACK. Reply: one
	 * NLM_F_MULTI part with P4X_CTL_TMPL_OUTPUT (what runs now). */
	P4X_CTL_MSG_PROG_LOAD = 0x42,
	__P4X_CTL_MSG_TMPL_END,

	/*
	 * `tc p4ctrl` on the entries of one table (RTM_P4TC_* of P4TC),
	 * attributes enum p4x_ctl_p4_attr: PNAME, TBLNAME, ENTRIES (a
	 * batch of 1..16 entries, enum p4x_ctl_entry_attr; the batch
	 * commits atomically or not at all), FILTER.
	 *  - CREATE (NLM_F_CREATE|NLM_F_EXCL), UPDATE, DELETE: ENTRIES;
	 *    DELETE without ENTRIES flushes (entries FILTER matches, or
	 *    all), replying COUNT;
	 *  - GET: one entry by key (+prio), replied as one message; with
	 *    NLM_F_DUMP every entry (FILTER matches), one per message.
	 * Replies and events carry PNAME, PIPEID, TBLNAME, TBLID and
	 * ENTRIES with one entry.
	 */
	P4X_CTL_MSG_P4_CREATE = 0x60,
	P4X_CTL_MSG_P4_UPDATE,
	P4X_CTL_MSG_P4_GET,
	P4X_CTL_MSG_P4_DELETE,
	__P4X_CTL_MSG_RT_END,

	/*
	 * Subscribe this connection to table events: optional PNAME and
	 * TBLNAME narrow it, FILTER (needs both) selects events by cmd,
	 * key, params. Acked; then P4X_CTL_MSG_P4_EVENT messages (seq 0)
	 * arrive until the connection closes: CMD (enum p4x_ctl_p4_cmd)
	 * and the entry as in a GET reply.
	 */
	P4X_CTL_MSG_P4_SUBSCRIBE = 0x80,
	P4X_CTL_MSG_P4_EVENT,
	__P4X_CTL_MSG_EV_END,
};

/* Largest batch of one p4ctrl request (P4TC_MSGBATCH_SIZE). */
#define P4X_CTL_BATCH_MAX 16

enum p4x_ctl_tmpl_attr {
	P4X_CTL_TMPL_UNSPEC,
	P4X_CTL_TMPL_ARGV,	    /* nest of P4X_CTL_ARG strings, in order */
	P4X_CTL_TMPL_INTROSPECTION, /* string: absolute directory */
	P4X_CTL_TMPL_OUTPUT,	    /* string (reply) */
	__P4X_CTL_TMPL_MAX
};
#define P4X_CTL_TMPL_MAX (__P4X_CTL_TMPL_MAX - 1)
#define P4X_CTL_ARG 1 /* every word of a P4X_CTL_TMPL_ARGV nest */

/* Event commands (P4TC: the RTM_P4TC_* of the change; aging is ours). */
#define P4X_CTL_P4_CMDS(X)             \
	X(CREATE, "create", "created") \
	X(UPDATE, "update", "updated") \
	X(DELETE, "delete", "deleted") \
	X(AGING, "aging", "aged")

enum p4x_ctl_p4_cmd {
#define P4X_CTL_P4_CMD_ENUM(e, name, past) P4X_CTL_P4_CMD_##e,
	P4X_CTL_P4_CMDS(P4X_CTL_P4_CMD_ENUM)
#undef P4X_CTL_P4_CMD_ENUM
		P4X_CTL_P4_CMD__COUNT
};

/* Name ("create") or past tense ("created") of an event command. */
const char *p4x_ctl_p4_cmd_name(enum p4x_ctl_p4_cmd cmd, bool past);

enum p4x_ctl_p4_attr {
	P4X_CTL_P4_UNSPEC,
	P4X_CTL_P4_PNAME,	  /* string: pipeline (P4TC_ROOT_PNAME) */
	P4X_CTL_P4_PIPEID,	  /* u32 (replies) */
	P4X_CTL_P4_TBLNAME,	  /* string: "cb/table" (P4TC_ENTRY_TBLNAME) */
	P4X_CTL_P4_TBLID,	  /* u32 (replies) */
	P4X_CTL_P4_ENTRIES,	  /* nest: slots 1..16, each a nest of
				   * enum p4x_ctl_entry_attr (P4TC_ROOT) */
	P4X_CTL_P4_FILTER,	  /* string: filter expression */
	P4X_CTL_P4_CMD,		  /* u32: enum p4x_ctl_p4_cmd (events) */
	P4X_CTL_P4_COUNT,	  /* u32: entries a flush deleted */
	P4X_CTL_P4_SEALED,	  /* u8 (P4_PIPELINE reply) */
	P4X_CTL_P4_INTROSPECTION, /* string (P4_PIPELINE reply) */
	__P4X_CTL_P4_MAX
};
#define P4X_CTL_P4_MAX (__P4X_CTL_P4_MAX - 1)

/* One entry, after P4TC's P4TC_ENTRY_* (p4tc.md 5.3). */
enum p4x_ctl_entry_attr {
	P4X_CTL_ENTRY_UNSPEC,
	P4X_CTL_ENTRY_KEY_BLOB,	 /* binary: the table's key blob */
	P4X_CTL_ENTRY_MASK_BLOB, /* binary: same length */
	P4X_CTL_ENTRY_PRIO,	 /* u32; absent: exact 64000, else allocated */
	P4X_CTL_ENTRY_ACT,	 /* nest: enum p4x_ctl_act_attr */
	P4X_CTL_ENTRY_PERMISSIONS, /* u16: CRUDXPS x2 */
	P4X_CTL_ENTRY_DYNAMIC,	   /* u8: 1 = subject to aging */
	P4X_CTL_ENTRY_AGING, /* u64: ms idle before a dynamic entry goes */
	/* replies and events only */
	P4X_CTL_ENTRY_WHO_CREATED,  /* u8: P4TC_ENTITY_* (2 = tc) */
	P4X_CTL_ENTRY_WHO_UPDATED,  /* u8 */
	P4X_CTL_ENTRY_CREATED,	    /* u64: ms since creation */
	P4X_CTL_ENTRY_UPDATED,	    /* u64: ms since the last update */
	P4X_CTL_ENTRY_LAST_USED,    /* u64: ms since the last hit */
	P4X_CTL_ENTRY_TMPL_CREATED, /* u8: a const entry of the template */
	__P4X_CTL_ENTRY_MAX
};
#define P4X_CTL_ENTRY_MAX (__P4X_CTL_ENTRY_MAX - 1)

enum p4x_ctl_act_attr {
	P4X_CTL_ACT_UNSPEC,
	P4X_CTL_ACT_ID,	    /* u32: action id (0 = NoAction) */
	P4X_CTL_ACT_PARAMS, /* binary: packed params (p4tc-types.md) */
	__P4X_CTL_ACT_MAX
};
#define P4X_CTL_ACT_MAX (__P4X_CTL_ACT_MAX - 1)

enum p4x_ctl_status_attr {
	P4X_CTL_STATUS_UNSPEC,
	P4X_CTL_STATUS_VERSION,	   /* string: p4xsk release */
	P4X_CTL_STATUS_PROTO,	   /* u32: P4X_CTL_VERSION */
	P4X_CTL_STATUS_PID,	   /* u32 */
	P4X_CTL_STATUS_UPTIME_MS,  /* u64 */
	P4X_CTL_STATUS_PROG,	   /* string: datapath program name */
	P4X_CTL_STATUS_NB_PORTS,   /* u32 */
	P4X_CTL_STATUS_NB_WORKERS, /* u32 */
	__P4X_CTL_STATUS_MAX
};
#define P4X_CTL_STATUS_MAX (__P4X_CTL_STATUS_MAX - 1)

/*
 * Counter nests (P4X_CTL_PORT_STATS, _DROPS, _XDP_STATS, _XDP_DROPS) hold
 * one u64 per entry of their X-macro list, with attribute id = enum value
 * + 1: p4x_port_counter, p4x_drop_reason, p4x_xdp_counter.
 */
enum p4x_ctl_port_attr {
	P4X_CTL_PORT_UNSPEC,
	P4X_CTL_PORT_INDEX,	 /* u32: engine port index */
	P4X_CTL_PORT_NAME,	 /* nul-terminated string < P4X_IFNAMSIZ */
	P4X_CTL_PORT_IFINDEX,	 /* u32 */
	P4X_CTL_PORT_KIND,	 /* string: "afxdp", "mem" */
	P4X_CTL_PORT_QUEUES,	 /* u32 */
	P4X_CTL_PORT_MODE,	 /* u8: enum p4x_port_mode */
	P4X_CTL_PORT_ZEROCOPY,	 /* u8: 0 copy, 1 zero-copy */
	P4X_CTL_PORT_MULTI_PROG, /* u8: 1 libxdp dispatcher, 0 single prog */
	P4X_CTL_PORT_LINK_UP,	 /* u8 */
	P4X_CTL_PORT_MAC,	 /* binary, 6 bytes */
	P4X_CTL_PORT_MTU,	 /* u32 */
	P4X_CTL_PORT_STATS,	 /* nest: enum p4x_port_counter + 1 */
	P4X_CTL_PORT_DROPS,	 /* nest: enum p4x_drop_reason + 1 */
	P4X_CTL_PORT_XDP_STATS,	 /* nest: enum p4x_xdp_counter + 1; only
				  * ports with an XDP program */
	P4X_CTL_PORT_XDP_DROPS,	 /* nest: enum p4x_drop_reason + 1; idem */
	__P4X_CTL_PORT_MAX
};
#define P4X_CTL_PORT_MAX (__P4X_CTL_PORT_MAX - 1)

enum p4x_ctl_worker_attr {
	P4X_CTL_WORKER_UNSPEC,
	P4X_CTL_WORKER_ID,     /* u32 */
	P4X_CTL_WORKER_CORE,   /* u32: core, or UINT32_MAX when not pinned */
	P4X_CTL_WORKER_PORT,   /* string: rx port name */
	P4X_CTL_WORKER_QUEUE,  /* u32: rx queue */
	P4X_CTL_WORKER_RX,     /* u64: packets */
	P4X_CTL_WORKER_TX,     /* u64: packets */
	P4X_CTL_WORKER_DROPS,  /* u64 */
	P4X_CTL_WORKER_LOOPS,  /* u64 */
	P4X_CTL_WORKER_BUSY,   /* u64: loops that moved a packet */
	P4X_CTL_WORKER_ONLINE, /* u8 */
	__P4X_CTL_WORKER_MAX
};
#define P4X_CTL_WORKER_MAX (__P4X_CTL_WORKER_MAX - 1)

/*
 * One scheduled port (SCHED_GET reply; PORT, POLICY, LOAD, PARAMS in a
 * SCHED_SET request). Counters are summed over the port's schedulers
 * (one per tx queue); rates are over INTERVAL_MS, since the previous
 * SCHED_GET of the port (or since the daemon set the scheduler up).
 */
enum p4x_ctl_sched_attr {
	P4X_CTL_SCHED_UNSPEC,
	P4X_CTL_SCHED_PORT,	   /* string: port name */
	P4X_CTL_SCHED_POLICY,	   /* string: request: built-in name or
				    * policy object path; reply: policy name */
	P4X_CTL_SCHED_LOAD,	   /* u8: POLICY is a shared object to load */
	P4X_CTL_SCHED_PARAMS,	   /* string: "k=v,..." */
	P4X_CTL_SCHED_SPEC,	   /* string (reply): configuration in effect */
	P4X_CTL_SCHED_QUEUES,	   /* u32: schedulers (tx queues) */
	P4X_CTL_SCHED_LINK_UP,	   /* u8 */
	P4X_CTL_SCHED_RATE,	   /* u64: port rate, bytes/s (0: none) */
	P4X_CTL_SCHED_INTERVAL_MS, /* u64: rate interval */
	P4X_CTL_SCHED_PENDING,	   /* u32: waiting for their send time */
	P4X_CTL_SCHED_TOTAL,	   /* nest: enum p4x_ctl_sched_cls_attr */
	P4X_CTL_SCHED_CLASSES,	   /* nest: slots 1..64 (class + 1), each
				    * enum p4x_ctl_sched_cls_attr */
	P4X_CTL_SCHED_FLOWS,	   /* nest: slots 1..16 by backlog, each
				    * enum p4x_ctl_sched_flow_attr */
	P4X_CTL_SCHED_PSTATS,	   /* nest: slots 1..16, each
				    * enum p4x_ctl_sched_pstat_attr */
	__P4X_CTL_SCHED_MAX
};
#define P4X_CTL_SCHED_MAX (__P4X_CTL_SCHED_MAX - 1)

enum p4x_ctl_sched_cls_attr {
	P4X_CTL_SCLS_UNSPEC,
	P4X_CTL_SCLS_ID,	    /* u32: class */
	P4X_CTL_SCLS_BACKLOG_PKTS,  /* u64 */
	P4X_CTL_SCLS_BACKLOG_BYTES, /* u64 */
	P4X_CTL_SCLS_ENQ_PKTS,	    /* u64 */
	P4X_CTL_SCLS_ENQ_BYTES,	    /* u64 */
	P4X_CTL_SCLS_DEQ_PKTS,	    /* u64 */
	P4X_CTL_SCLS_DEQ_BYTES,	    /* u64 */
	P4X_CTL_SCLS_DROPS,	    /* nest: enum p4x_sched_drop + 1 */
	P4X_CTL_SCLS_DEQ_PPS,	    /* u64 */
	P4X_CTL_SCLS_DEQ_BPS,	    /* u64: bits/s */
	P4X_CTL_SCLS_DROP_PPS,	    /* u64 */
	__P4X_CTL_SCLS_MAX
};
#define P4X_CTL_SCLS_MAX (__P4X_CTL_SCLS_MAX - 1)

enum p4x_ctl_sched_flow_attr {
	P4X_CTL_SFLOW_UNSPEC,
	P4X_CTL_SFLOW_ID,	     /* u32: flow slot */
	P4X_CTL_SFLOW_QUEUE,	     /* u32: tx queue */
	P4X_CTL_SFLOW_BACKLOG_PKTS,  /* u32 */
	P4X_CTL_SFLOW_BACKLOG_BYTES, /* u32 */
	__P4X_CTL_SFLOW_MAX
};
#define P4X_CTL_SFLOW_MAX (__P4X_CTL_SFLOW_MAX - 1)

enum p4x_ctl_sched_pstat_attr {
	P4X_CTL_SPSTAT_UNSPEC,
	P4X_CTL_SPSTAT_NAME,  /* string */
	P4X_CTL_SPSTAT_VALUE, /* u64, summed over the port's queues */
	__P4X_CTL_SPSTAT_MAX
};
#define P4X_CTL_SPSTAT_MAX (__P4X_CTL_SPSTAT_MAX - 1)

/* ---- Validation ---- */

/*
 * One attribute's policy. type MNL_TYPE_UNSPEC marks an id that is not
 * accepted. For MNL_TYPE_BINARY, len is the exact payload length (0: any
 * length, the handler checks it); for
 * MNL_TYPE_NUL_STRING and MNL_TYPE_STRING, the maximum length including
 * the terminating nul (0: no limit); for MNL_TYPE_NESTED, nest is the
 * attribute set inside.
 */
struct p4x_ctl_policy {
	const char *name;
	enum mnl_attr_data_type type;
	uint16_t len;
	const struct p4x_ctl_attr_set *nest;
};

/* A set of attribute ids 1..max and their policies. */
struct p4x_ctl_attr_set {
	const char *name;
	uint16_t max;
	/* max + 1 entries; NULL for a counter nest, where every id
	 * 1..max is a u64. */
	const struct p4x_ctl_policy *policy;
};

extern const struct p4x_ctl_attr_set p4x_ctl_status_set;
extern const struct p4x_ctl_attr_set p4x_ctl_port_set;
extern const struct p4x_ctl_attr_set p4x_ctl_worker_set;
extern const struct p4x_ctl_attr_set p4x_ctl_port_counter_set;
extern const struct p4x_ctl_attr_set p4x_ctl_drop_set;
extern const struct p4x_ctl_attr_set p4x_ctl_xdp_counter_set;
extern const struct p4x_ctl_attr_set p4x_ctl_tmpl_set;
extern const struct p4x_ctl_attr_set p4x_ctl_p4_set;
extern const struct p4x_ctl_attr_set p4x_ctl_entry_set;
extern const struct p4x_ctl_attr_set p4x_ctl_sched_set;
extern const struct p4x_ctl_attr_set p4x_ctl_sched_cls_set;
extern const struct p4x_ctl_attr_set p4x_ctl_sched_flow_set;
extern const struct p4x_ctl_attr_set p4x_ctl_sched_pstat_set;

/* Name of a message type ("get_port"), or NULL when unknown. */
const char *p4x_ctl_msg_name(uint16_t type);

/*
 * What went wrong and where: an errno, a reason, and the offset of the
 * offending attribute from the start of the message (0: none).
 */
struct p4x_ctl_err {
	int code; /* negative errno; 0: no error */
	uint32_t offset;
	char msg[256];
};

void p4x_ctl_err_set(struct p4x_ctl_err *err, int code, uint32_t offset,
		     const char *fmt, ...) __p4x_printf(4, 5);

/*
 * Check that @buf (@len bytes, one datagram) holds only whole netlink
 * messages, each with a complete struct p4x_ctlmsg of our version.
 * 0, or -EBADMSG/-EPROTO with @err filled.
 */
int p4x_ctl_check_buf(const void *buf, size_t len, struct p4x_ctl_err *err);

/*
 * Validate every attribute after struct p4x_ctlmsg in @nlh against @set,
 * recursively into nests, and fill @tb (set->max + 1 slots) with the last
 * occurrence of each id. Unknown ids, wrong lengths, strings without a
 * nul, and trailing bytes are rejected: -EINVAL with @err filled (offset
 * from the start of @nlh).
 */
int p4x_ctl_parse(const struct nlmsghdr *nlh,
		  const struct p4x_ctl_attr_set *set, const struct nlattr **tb,
		  struct p4x_ctl_err *err);

/* ---- Encoding (buffers of P4X_CTL_MSG_MAX bytes) ---- */

/* Start a message in @buf: header + struct p4x_ctlmsg. */
struct nlmsghdr *p4x_ctl_msg_put(void *buf, uint16_t type, uint16_t flags,
				 uint32_t seq);
/* Append a counter nest @attr holding @n values (ids 1..n). */
void p4x_ctl_put_counters(struct nlmsghdr *nlh, uint16_t attr,
			  const uint64_t *vals, unsigned int n);
/* Read a validated counter nest into @vals (@n slots, missing ids: 0). */
void p4x_ctl_get_counters(const struct nlattr *nest, uint64_t *vals,
			  unsigned int n);

/* NLMSG_DONE for a dump of @req. */
struct nlmsghdr *p4x_ctl_done_put(void *buf, const struct nlmsghdr *req);
/*
 * NLMSG_ERROR answering @req with @err (code 0: a positive ack). The
 * request is echoed by header only (NLM_F_CAPPED); the reason and offset
 * follow as NLMSGERR_ATTR_MSG / _OFFS.
 */
struct nlmsghdr *p4x_ctl_err_put(void *buf, const struct nlmsghdr *req,
				 const struct p4x_ctl_err *err);
/*
 * Decode an NLMSG_ERROR into @err. Returns its error code (0 for an ack),
 * or -EBADMSG when the message is malformed (then @err says why).
 */
int p4x_ctl_err_parse(const struct nlmsghdr *nlh, struct p4x_ctl_err *err);

/* ---- P4 entries (one codec for the daemon, the CLI and a bridge) ---- */

/*
 * An entry as the protocol carries it. Pointers point into the message
 * (decode) or the caller's buffers (encode); has_* say what is present.
 */
struct p4x_ctl_entry {
	const uint8_t *key, *mask; /* mask NULL: absent */
	uint16_t keylen;
	bool has_prio;
	uint32_t prio;
	bool has_act;
	uint32_t act_id;
	const uint8_t *params;
	uint16_t params_len;
	bool has_permissions;
	uint16_t permissions;
	bool dynamic;
	uint64_t aging_ms; /* 0: absent */
	/* replies and events (has_info) */
	bool has_info;
	uint8_t who_created, who_updated;
	bool tmpl_created;
	uint64_t created_ms, updated_ms, used_ms; /* ages */
};

/* Append @e as batch slot @slot (1..16) of the open ENTRIES nest. */
void p4x_ctl_entry_put(struct nlmsghdr *nlh, uint16_t slot,
		       const struct p4x_ctl_entry *e);
/*
 * Decode batch slot @slot (validated against p4x_ctl_entry_set) into @e.
 * 0, or -EINVAL with @err filled when key and mask lengths differ.
 */
int p4x_ctl_entry_get(const struct nlattr *slot, struct p4x_ctl_entry *e,
		      struct p4x_ctl_err *err);

/* ---- Transport ---- */

/*
 * Bind and listen on @path (SOCK_SEQPACKET, close-on-exec, non-blocking).
 * Creates the parent directory when missing. A socket file nobody accepts
 * on (left by a crash) is replaced; one a live daemon serves is not:
 * -EADDRINUSE. Returns the fd or -errno.
 */
int p4x_ctl_listen(const char *path);
/* Connect to @path. Returns the fd or -errno. */
int p4x_ctl_connect(const char *path);
/* Socket path: @path if non-NULL, else $P4XSK_SOCK, else the default. */
const char *p4x_ctl_sock_path(const char *path);

/* Called for each data reply of a request; return 0 or -errno to abort. */
typedef int (*p4x_ctl_reply_fn)(const struct nlmsghdr *nlh, void *arg);

/*
 * Send the request @req on connected socket @fd and read replies until
 * the exchange ends, passing each data message to @fn. Returns 0, the
 * daemon's error (-errno, @err has its reason), or a transport/protocol
 * error (-errno, @err says what).
 */
int p4x_ctl_request(int fd, struct nlmsghdr *req, p4x_ctl_reply_fn fn,
		    void *arg, struct p4x_ctl_err *err);

#endif /* P4X_CTL_H */
