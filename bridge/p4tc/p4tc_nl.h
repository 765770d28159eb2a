/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * P4TC netlink codec: decode the messages a P4TC kernel sends (and the
 * requests tc sends it) into plain C structs, and encode the same structs
 * back into messages.
 *
 * Theory of operation. P4TC is out of tree and its uapi differs by version
 * (kernel/uapi/p4tc_v17.h, p4tc_series1.h; p4tc.md section 5). A codec is
 * created for one version or for P4X_P4TC_NL_VER_AUTO: it then detects the
 * version from the first message that tells (an attribute only one version
 * has, or a width only one version uses) and keeps it; a later message
 * that contradicts it is refused. Messages that could be either decode
 * with the common numbering.
 *
 * A message decodes completely or not at all: on any problem (truncated or
 * overlong attribute, unknown attribute type, wrong length, unknown object
 * or version, too many items) p4x_p4tc_nl__decode() returns -errno, writes
 * one line "what, where, why" into the caller's buffer, logs that line
 * once (p4x_warn) and returns no message. Decoded messages live in the
 * codec: valid until the next decode or the codec's free. Strings in the
 * output are always NUL-terminated; the kernel's 32-byte PNAME reserve with
 * its stale tail is read up to the first NUL.
 *
 * Not thread-safe; one codec per thread. No allocation after the first
 * messages of a given size (buffers grow and are reused).
 */
#ifndef P4X_BRIDGE_P4TC_NL_H
#define P4X_BRIDGE_P4TC_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "p4x/p4tc.h"

struct nlmsghdr;

/* X(enum, name, multicast group of its events) */
#define P4X_P4TC_NL_VERSIONS(X) \
	X(V17, "v17", 37)       \
	X(SERIES1, "series1", 4)

enum p4x_p4tc_nl_version {
	P4X_P4TC_NL_VER_AUTO = 0,
#define P4X_P4TC_NL_VER_ENUM(e, name, grp) P4X_P4TC_NL_VER_##e,
	P4X_P4TC_NL_VERSIONS(P4X_P4TC_NL_VER_ENUM)
#undef P4X_P4TC_NL_VER_ENUM
		P4X_P4TC_NL_VER__COUNT
};

/* "v17", "series1", "auto"; "?" for anything else. */
const char *p4x_p4tc_nl_version__name(enum p4x_p4tc_nl_version v);
/* rtnetlink group the version's P4TC events go to; 0 for AUTO. */
unsigned int p4x_p4tc_nl_version__group(enum p4x_p4tc_nl_version v);

/* Largest value of one param (P4TC_T_KEY: 512 bits). */
#define P4X_P4TC_NL_VALUE_BYTES 64
#define P4X_P4TC_NL_KINDSZ (P4X_P4TC_NAMSZ + P4X_P4TC_PATHSZ) /* P/cb/act */
#define P4X_P4TC_NL_COMMSZ 16 /* process names (TASK_COMM_LEN) */
#define P4X_P4TC_NL_MAX_TIMER_PROFILES 16

/* An action or extern parameter. */
struct p4x_p4tc_nl_param {
	char name[P4X_P4TC_NAMSZ];
	uint32_t id;
	uint32_t type_id; /* P4TC_T_* container, 0 = not given */
	uint32_t bitsz;	  /* declared bits (action BITEND + 1), 0 = not given */
	uint32_t flags;	  /* action: bit 0 runtime; extern: ISKEY, SCALAR */
	uint16_t len;	  /* value bytes as sent; 0 = no value */
	uint16_t mask_len; /* 0 = no mask */
	uint8_t value[P4X_P4TC_NL_VALUE_BYTES];
	uint8_t mask[P4X_P4TC_NL_VALUE_BYTES];
};

/* An action: an entry's, a table default, or a filter operand's. */
struct p4x_p4tc_nl_action {
	char kind[P4X_P4TC_NL_KINDSZ]; /* "P/cb/act" as sent; "" if absent */
	char name[P4X_P4TC_NL_KINDSZ]; /* P4TC_ACT_NAME (dumps), may be "" */
	uint32_t id;		       /* filter operands only */
	bool has_opt;		       /* struct tc_act_p4 was present */
	uint32_t index;		       /* tc action index */
	int32_t verdict, refcnt, bindcnt;
	bool has_tm;
	uint64_t tm_install, tm_lastuse, tm_expires, tm_firstuse;
	uint32_t nparams;
	const struct p4x_p4tc_nl_param *params; /* in the message's pool */
};

/* Which fields a decoded entry carried (p4x_p4tc_nl_entry.present). */
#define P4X_P4TC_NL_ENTRY_FIELDS(X)           \
	X(TBLNAME, "tblname")                 \
	X(KEY, "key")                         \
	X(MASK, "mask")                       \
	X(PRIO, "prio")                       \
	X(ACT, "action")                      \
	X(TM, "tm")                           \
	X(WHODUNNIT, "whodunnit")             \
	X(WHO_CREATED_ENT, "who_created_ent") \
	X(WHO_CREATED, "who_created")         \
	X(WHO_CREATED_PID, "who_created_pid") \
	X(WHO_UPDATED_ENT, "who_updated_ent") \
	X(WHO_UPDATED, "who_updated")         \
	X(WHO_UPDATED_PID, "who_updated_pid") \
	X(WHO_DELETED_ENT, "who_deleted_ent") \
	X(WHO_DELETED, "who_deleted")         \
	X(WHO_DELETED_PID, "who_deleted_pid") \
	X(PERMISSIONS, "permissions")         \
	X(TBL_ATTRS, "tbl_attrs")             \
	X(TMPL_CREATED, "tmpl_created")       \
	X(DYNAMIC, "dynamic")                 \
	X(AGING, "aging")                     \
	X(PROFILE_ID, "profile_id")           \
	X(FILTER, "filter")                   \
	X(EXTERNS, "externs")                 \
	X(COUNT, "count")

enum p4x_p4tc_nl_field {
#define P4X_P4TC_NL_F_ENUM(e, name) P4X_P4TC_NL_F_##e,
	P4X_P4TC_NL_ENTRY_FIELDS(P4X_P4TC_NL_F_ENUM)
#undef P4X_P4TC_NL_F_ENUM
		P4X_P4TC_NL_F__COUNT
};

#define P4X_P4TC_NL_HAS(e, f) (((e)->present >> P4X_P4TC_NL_F_##f) & 1u)

/* An extern bound to an entry (direct counter or meter), v17. */
struct p4x_p4tc_nl_ext {
	uint16_t slot; /* P4TC_ENTRY_EXTERN_COUNTER 1 / _METER 2 */
	char kind[P4X_P4TC_NAMSZ];
	char inst[P4X_P4TC_PATHSZ];
	bool has_key;
	uint32_t key;
	uint32_t nparams;
	const struct p4x_p4tc_nl_param *params;
};

/*
 * A filter: a tree of nodes in the message's filter pool. An operation
 * node has one or two children; a leaf is an operand.
 */
enum p4x_p4tc_nl_fnode_type {
	P4X_P4TC_NL_FNODE_OP,
	P4X_P4TC_NL_FNODE_ENTRY, /* operand: entry key/mask/act/prio/age */
	P4X_P4TC_NL_FNODE_EXT,	 /* operand: extern (v17) */
	P4X_P4TC_NL_FNODE_CMD,	 /* operand: command RTM_P4TC_* (v17) */
};

struct p4x_p4tc_nl_fnode {
	enum p4x_p4tc_nl_fnode_type type;
	/* OP */
	uint16_t op_kind, op_value; /* P4TC_FILTER_OP_KIND_*, REL_/LOGICAL_ */
	const struct p4x_p4tc_nl_fnode *child[2]; /* NULL if absent */
	/* ENTRY: present bits are P4TC_FILTER_OPND_ENTRY_* (1 << attr) */
	uint32_t present;
	uint16_t key_len;
	uint32_t prio, time_delta_ms;
	struct p4x_p4tc_nl_action act; /* name, id, params */
	/* EXT: kind in act.name, instance in ext_inst, params in act */
	char ext_inst[P4X_P4TC_PATHSZ];
	/* CMD */
	uint32_t cmd;
	/* ENTRY key and mask: last, key_len bytes valid */
	uint8_t key[P4X_P4TC_MAX_KEY_BYTES], mask[P4X_P4TC_MAX_KEY_BYTES];
};

/* A table default action (template, or runtime P4TC_ENTRY_TBL_ATTRS). */
struct p4x_p4tc_nl_default {
	bool present, has_act, noaction, has_permissions;
	uint16_t permissions;
	struct p4x_p4tc_nl_action act;
};

/* Runtime table attributes carried by an entry slot (default actions,
 * table permissions, a timer profile). */
struct p4x_p4tc_nl_tbl_attrs {
	struct p4x_p4tc_nl_default dflt_hit, dflt_miss;
	bool has_permissions, has_profile;
	uint16_t permissions;
	uint32_t profile_id;
	uint64_t profile_aging_ms;
};

/* One slot of a runtime message: an entry, a flush summary (COUNT) or a
 * subscription (tblname + filter). */
struct p4x_p4tc_nl_entry {
	uint32_t present; /* 1 << P4X_P4TC_NL_F_* */
	uint32_t path[3]; /* P4TC_PATH: tbl_id first */
	uint16_t npath;	  /* u32 words in P4TC_PATH (requests 1, kernel 2) */
	uint32_t count;	  /* flush summary: entries removed */
	char tblname[P4X_P4TC_PATHSZ];
	uint32_t prio;
	uint16_t permissions;
	uint8_t whodunnit;
	uint8_t who_ent[3]; /* created, updated, deleted: P4TC_ENTITY_* */
	uint32_t who_pid[3];
	char who[3][P4X_P4TC_NL_COMMSZ];
	uint64_t tm_created, tm_lastused, tm_firstused; /* ages (dumps) */
	uint8_t tmpl_created, dynamic;
	uint64_t aging_ms;
	uint32_t profile_id;
	struct p4x_p4tc_nl_action act;
	uint32_t nexterns;
	struct p4x_p4tc_nl_ext externs[2];
	const struct p4x_p4tc_nl_fnode *filter;	       /* NULL if absent */
	const struct p4x_p4tc_nl_tbl_attrs *tbl_attrs; /* NULL if absent */
	uint16_t key_len; /* bytes; the mask has the same length */
	/* last: not cleared between messages, only key_len bytes valid */
	uint8_t key[P4X_P4TC_MAX_KEY_BYTES];
	uint8_t mask[P4X_P4TC_MAX_KEY_BYTES];
};

/* The table id of a runtime slot (P4TC_PATH word 0, 0 if absent). */
static inline uint32_t
p4x_p4tc_nl_entry__tbl_id(const struct p4x_p4tc_nl_entry *e)
{
	return e->npath ? e->path[0] : 0;
}

/* A table's action list item (template). */
struct p4x_p4tc_nl_table_act {
	char name[P4X_P4TC_NL_KINDSZ];
	uint32_t flags; /* 1 << P4TC_TABLE_ACTS_DEFAULT_ONLY / TABLE_ONLY */
};

/* Which template attributes a decoded object carried: 1 << attr id of its
 * object kind (P4TC_PIPELINE_*, P4TC_ACT_*, P4TC_TABLE_*, P4TC_TMPL_EXT_*,
 * P4TC_TMPL_EXT_INST_*). */
struct p4x_p4tc_nl_tmpl {
	uint32_t obj;	  /* P4TC_OBJ_* */
	uint32_t present; /* 1 << attr */
	uint32_t path[3];
	uint16_t npath;
	bool has_params; /* P4TC_PARAMS present (absent: by-id/name only) */
	char name[P4X_P4TC_NL_KINDSZ]; /* object name, as sent */
	/* pipeline */
	uint16_t numtables;
	uint8_t state;
	/* action */
	uint8_t active;
	uint32_t num_prealloc;
	uint32_t nparams;
	const struct p4x_p4tc_nl_param *params;
	/* table */
	uint32_t keysz, max_entries, max_masks, num_entries;
	uint16_t permissions; /* table, extern */
	uint8_t type;
	struct p4x_p4tc_nl_default dflt_hit, dflt_miss;
	uint32_t nacts;
	struct p4x_p4tc_nl_table_act acts[P4X_P4TC_MAX_TABLE_ACTS];
	uint32_t num_timer_profiles, ntimer_profiles;
	struct {
		uint32_t id;
		uint64_t aging_ms;
	} timer_profiles[P4X_P4TC_NL_MAX_TIMER_PROFILES];
	char ext_counter[P4X_P4TC_PATHSZ], ext_meter[P4X_P4TC_PATHSZ];
	const struct p4x_p4tc_nl_entry *entry; /* const entry, or NULL */
	/* extern */
	uint16_t num_insts;
	uint8_t has_exec_method;
	/* extern instance (params: control params) */
	char ext_name[P4X_P4TC_NAMSZ];
	uint32_t num_elems;
	uint8_t tbl_bindable;
	uint32_t nconstr;
	const struct p4x_p4tc_nl_param *constr;
};

#define P4X_P4TC_NL_KINDS(X)                                                 \
	X(ENTRIES, "entries") /* runtime table message */                    \
	X(FLUSH, "flush")     /* runtime delete summary: slots with COUNT */ \
	X(SUBSCRIBE, "subscribe") /* P4TC_ROOT_SUBSCRIBE (v17) */            \
	X(TEMPLATES, "templates") /* template message */                     \
	X(ERROR, "error")	  /* NLMSG_ERROR (error 0: ack) */           \
	X(DONE, "done")		  /* NLMSG_DONE of a dump */

enum p4x_p4tc_nl_kind {
#define P4X_P4TC_NL_KIND_ENUM(e, name) P4X_P4TC_NL_##e,
	P4X_P4TC_NL_KINDS(P4X_P4TC_NL_KIND_ENUM)
#undef P4X_P4TC_NL_KIND_ENUM
};

const char *p4x_p4tc_nl_kind__name(enum p4x_p4tc_nl_kind k);

/* A decoded message. */
struct p4x_p4tc_nl_msg {
	enum p4x_p4tc_nl_kind kind;
	enum p4x_p4tc_nl_version version; /* as decoded (AUTO: either) */
	uint16_t type, flags;		  /* nlmsghdr */
	uint32_t seq, portid;
	/* P4TC messages */
	uint32_t pipeid, obj; /* struct p4tcmsg */
	char pname[P4X_P4TC_NAMSZ];
	bool has_root_count, has_root_flags;
	uint32_t root_count, root_flags;
	bool root_slots;   /* P4TC_ROOT held [n]{...} slots, not one object */
	uint32_t nentries; /* ENTRIES, FLUSH, SUBSCRIBE */
	const struct p4x_p4tc_nl_entry *entries;
	uint32_t ntmpls; /* TEMPLATES */
	const struct p4x_p4tc_nl_tmpl *tmpls;
	/* ERROR and DONE */
	int error;	   /* 0 or -errno */
	uint16_t req_type; /* ERROR: type of the request it answers */
	char extack[256];
	bool has_batch; /* extack ended in "S <ok>/<n> entries" */
	uint32_t batch_ok, batch_n;
};

struct p4x_p4tc_nl;

struct p4x_p4tc_nl_opts {
	size_t sz;			  /* sizeof(struct p4x_p4tc_nl_opts) */
	enum p4x_p4tc_nl_version version; /* 0 = AUTO (detect) */
	bool quiet; /* do not log rejections (the error text is still set) */
};

/* A codec, or NULL with errno. Free with p4x_p4tc_nl__free(). */
struct p4x_p4tc_nl *p4x_p4tc_nl__new(const struct p4x_p4tc_nl_opts *opts);
void p4x_p4tc_nl__free(struct p4x_p4tc_nl *c);

/* The version in force: as configured, or detected so far (AUTO if not). */
enum p4x_p4tc_nl_version p4x_p4tc_nl__version(const struct p4x_p4tc_nl *c);

/* P4TC message types 124..131, NLMSG_ERROR and NLMSG_DONE. */
bool p4x_p4tc_nl__handles(uint16_t nlmsg_type);

/*
 * Decode the message at @nlh (@nlh->nlmsg_len bytes, checked against
 * @len, the bytes available). On success *@out points to the decoded
 * message, owned by @c, valid until the next decode or free. Returns 0;
 * -ENOMSG for a type p4x_p4tc_nl__handles() refuses (not logged); else
 * -EINVAL / -EPROTO / -EOPNOTSUPP / -E2BIG / -ENOMEM with a one-line
 * reason in @err and one log line. Nothing is output on failure.
 */
int p4x_p4tc_nl__decode(struct p4x_p4tc_nl *c, const struct nlmsghdr *nlh,
			size_t len, const struct p4x_p4tc_nl_msg **out,
			char *err, size_t errsz);

/*
 * Encode @m (kinds ENTRIES, FLUSH, SUBSCRIBE, TEMPLATES, ERROR, DONE) as
 * one netlink message of version @v (not AUTO) into @buf. Header fields
 * come from @m (type, flags, seq, portid). Entry fields are written when
 * their present bit is set; P4TC_PATH takes npath words. Returns the
 * message length, -ENOSPC if @sz is too small, -EINVAL for what @v cannot
 * express (a field the version lacks, an unknown kind).
 */
int p4x_p4tc_nl__encode(const struct p4x_p4tc_nl_msg *m,
			enum p4x_p4tc_nl_version v, void *buf, size_t sz);

/*
 * Encode a dump request for the entries of table @tblname ("cb/table") of
 * pipeline @pname (RTM_P4TC_GET, NLM_F_REQUEST | NLM_F_DUMP), optionally
 * with @filter (may be NULL). Returns the length or -ENOSPC / -EINVAL.
 */
int p4x_p4tc_nl__encode_dump(enum p4x_p4tc_nl_version v, const char *pname,
			     const char *tblname,
			     const struct p4x_p4tc_nl_fnode *filter,
			     uint32_t seq, void *buf, size_t sz);

/*
 * Print @m as text, one line per object (used by tests to compare
 * messages and by debugging tools). Every decoded field is printed.
 */
void p4x_p4tc_nl_msg__print(const struct p4x_p4tc_nl_msg *m, FILE *out);

#endif /* P4X_BRIDGE_P4TC_NL_H */
