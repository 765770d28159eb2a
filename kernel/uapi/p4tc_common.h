/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * P4TC netlink uapi: the definitions every known version shares (series 1
 * = v12..v16 as posted, v13, v17-rc6). Written from the reference facts
 * (shared/reference/p4tc.md section 5 and the captures' "Wire facts"),
 * not copied from a kernel header: no distribution ships one, and the
 * numbers differ by version. Version-specific numbering lives in
 * p4tc_v17.h and p4tc_series1.h.
 */
#ifndef P4X_KERNEL_UAPI_P4TC_COMMON_H
#define P4X_KERNEL_UAPI_P4TC_COMMON_H

#include <linux/types.h>

/* rtnetlink message types (same in series 1, v13 and v17) */
enum {
	RTM_CREATEP4TEMPLATE = 124,
	RTM_DELP4TEMPLATE = 125,
	RTM_GETP4TEMPLATE = 126,
	RTM_UPDATEP4TEMPLATE = 127,
	RTM_P4TC_CREATE = 128,
	RTM_P4TC_DEL = 129,
	RTM_P4TC_GET = 130,
	RTM_P4TC_UPDATE = 131,
};

/* Family header after nlmsghdr; attributes at NLMSG_ALIGN(8). */
struct p4tcmsg {
	__u32 pipeid;
	__u32 obj;
};

/* p4tcmsg.obj of template messages (124..127) */
enum {
	P4TC_OBJ_UNSPEC,
	P4TC_OBJ_PIPELINE = 1,
	P4TC_OBJ_ACT = 2,
	P4TC_OBJ_TABLE = 3,
	P4TC_OBJ_EXT = 4,      /* v13, v17 */
	P4TC_OBJ_EXT_INST = 5, /* v13, v17 */
};

/* p4tcmsg.obj of runtime messages (128..131) */
enum {
	P4TC_OBJ_RUNTIME_UNSPEC,
	P4TC_OBJ_RUNTIME_TABLE = 1,
	P4TC_OBJ_RUNTIME_EXTERN = 2, /* v13, v17 */
};

/* Top-level attributes (series 1 stops at PNAME). */
enum {
	P4TC_ROOT_UNSPEC,
	P4TC_ROOT = 1,	     /* nested: slots [1..16] or {PATH, PARAMS} */
	P4TC_ROOT_PNAME = 2, /* string; replies: 32-byte reserve, tail junk */
	P4TC_ROOT_COUNT = 3, /* v17 */
	P4TC_ROOT_FLAGS = 4, /* v17 */
	P4TC_ROOT_SUBSCRIBE = 5, /* v17, nested {PATH, PARAMS} */
};

/* Inside a root slot */
enum {
	P4TC_UNSPEC,
	P4TC_PATH = 1,	 /* u32[]: ids (tbl_id; ext_id, inst_id) */
	P4TC_PARAMS = 2, /* nested: object attributes */
	P4TC_COUNT = 3,	 /* u32: entries a flush removed */
};

#define P4TC_MSGBATCH_SIZE 16 /* slots per request */
#define P4TC_PATH_MAX 3	      /* u32 words in P4TC_PATH */
#define P4TC_TMPL_NAMSZ 32
#define P4TC_ACT_TMPL_NAMSZ 32 /* "cb/act" as P4TC_ACT_NAME */
#define P4TC_MAX_KEYSZ 512     /* bits */
#define P4TC_MAX_PARAM_DATA_SIZE 124

/* Pipeline template */
enum {
	P4TC_PIPELINE_UNSPEC,
	P4TC_PIPELINE_NUMTABLES = 1, /* u16 */
	P4TC_PIPELINE_STATE = 2,     /* u8 */
	P4TC_PIPELINE_NAME = 3,	     /* string (dump) */
};

enum { P4TC_STATE_NOT_READY, P4TC_STATE_READY };

/* Action template (P4TC_OBJ_ACT) and the OPTIONS of an entry's action */
enum {
	P4TC_ACT_UNSPEC,
	P4TC_ACT_NAME = 1,	   /* string */
	P4TC_ACT_PARMS = 2,	   /* nested [1..N] param */
	P4TC_ACT_OPT = 3,	   /* struct tc_act_p4 */
	P4TC_ACT_TM = 4,	   /* struct tcf_t */
	P4TC_ACT_ACTIVE = 5,	   /* u8 */
	P4TC_ACT_NUM_PREALLOC = 6, /* u32 */
	P4TC_ACT_PAD = 7,
};

/* One action parameter */
enum {
	P4TC_ACT_PARAMS_UNSPEC,
	P4TC_ACT_PARAMS_NAME = 1,  /* string */
	P4TC_ACT_PARAMS_ID = 2,	   /* u32 */
	P4TC_ACT_PARAMS_TYPE = 3,  /* nested P4TC_ACT_PARAMS_TYPE_* */
	P4TC_ACT_PARAMS_FLAGS = 4, /* u8, bit P4TC_ACT_PARAMS_FLAGS_RUNT */
	P4TC_ACT_PARAMS_VALUE = 5, /* nested {RAW} */
	P4TC_ACT_PARAMS_MASK = 6,  /* binary */
};

enum {
	P4TC_ACT_PARAMS_TYPE_UNSPEC,
	P4TC_ACT_PARAMS_TYPE_BITEND = 1,       /* u16: bits - 1 */
	P4TC_ACT_PARAMS_TYPE_CONTAINER_ID = 2, /* u32: P4TC_T_* */
};

enum { P4TC_ACT_PARAMS_VALUE_UNSPEC, P4TC_ACT_PARAMS_VALUE_RAW = 1 };

#define P4TC_ACT_PARAMS_FLAGS_RUNT 0

/* struct tc_act_p4 (linux/tc_act/tc_p4.h) = tc_gen */
struct tc_act_p4 {
	__u32 index;
	__u32 capab;
	int action;
	int refcnt;
	int bindcnt;
};

/* Table template */
enum {
	P4TC_TABLE_TYPE_UNSPEC,
	P4TC_TABLE_TYPE_EXACT = 1,
	P4TC_TABLE_TYPE_LPM = 2,
	P4TC_TABLE_TYPE_TERNARY = 3,
};

enum {
	P4TC_TABLE_UNSPEC,
	P4TC_TABLE_NAME = 1,		    /* string "cb/tbl" */
	P4TC_TABLE_KEYSZ = 2,		    /* u32 bits */
	P4TC_TABLE_MAX_ENTRIES = 3,	    /* u32 */
	P4TC_TABLE_MAX_MASKS = 4,	    /* u32 */
	P4TC_TABLE_NUM_ENTRIES = 5,	    /* u32 */
	P4TC_TABLE_PERMISSIONS = 6,	    /* u16 */
	P4TC_TABLE_TYPE = 7,		    /* u8 */
	P4TC_TABLE_DEFAULT_HIT = 8,	    /* nested P4TC_TABLE_DEFAULT_* */
	P4TC_TABLE_DEFAULT_MISS = 9,	    /* nested P4TC_TABLE_DEFAULT_* */
	P4TC_TABLE_ACTS_LIST = 10,	    /* nested [1..N] P4TC_TABLE_ACT_* */
	P4TC_TABLE_NUM_TIMER_PROFILES = 11, /* u32 */
	P4TC_TABLE_TIMER_PROFILES = 12,	    /* nested [1..N] P4TC_TIMER_* */
	P4TC_TABLE_ENTRY = 13,		    /* nested entry (const entries) */
	P4TC_TABLE_EXTERNS = 14, /* v17 {COUNTER, METER}; v13 COUNTER */
};

enum {
	P4TC_TABLE_DEFAULT_ACTION_UNSPEC,
	P4TC_TABLE_DEFAULT_ACTION = 1,		   /* nested action list */
	P4TC_TABLE_DEFAULT_ACTION_NOACTION = 2,	   /* u8 */
	P4TC_TABLE_DEFAULT_ACTION_PERMISSIONS = 3, /* u16 */
};

enum {
	P4TC_TABLE_ACT_UNSPEC,
	P4TC_TABLE_ACT_FLAGS = 1, /* u8 by policy, u32 in dumps */
	P4TC_TABLE_ACT_NAME = 2,  /* string */
};

enum {
	P4TC_TIMER_PROFILE_UNSPEC,
	P4TC_TIMER_PROFILE_ID = 1,    /* u32 */
	P4TC_TIMER_PROFILE_AGING = 2, /* u64 ms */
};

enum {
	P4TC_TABLE_EXTERNS_UNSPEC,
	P4TC_TABLE_EXTERNS_COUNTER = 1, /* string instance name */
	P4TC_TABLE_EXTERNS_METER = 2,
};

/* Table entry timestamps; created/lastused/firstused are ages on dumps */
struct p4tc_table_entry_tm {
	__u64 created;
	__u64 lastused;
	__u64 firstused;
	__u16 who_created;
	__u16 who_updated;
	__u16 who_deleted;
	__u16 permissions;
};

enum {
	P4TC_ENTITY_UNSPEC,
	P4TC_ENTITY_KERNEL = 1,
	P4TC_ENTITY_TC = 2,
	P4TC_ENTITY_TIMER = 3,
	P4TC_ENTITY_MAX = 4,
};

/* Runtime default actions and timer profiles of a table (entry TBL_ATTRS) */
enum {
	P4TC_ENTRY_TBL_ATTRS_UNSPEC,
	P4TC_ENTRY_TBL_ATTRS_DEFAULT_HIT = 1,
	P4TC_ENTRY_TBL_ATTRS_DEFAULT_MISS = 2,
	P4TC_ENTRY_TBL_ATTRS_PERMISSIONS = 3, /* u16 */
	P4TC_ENTRY_TBL_ATTRS_TIMER_PROFILE = 4,
};

/* Filters (dump, flush, subscribe) */
enum {
	P4TC_FILTER_UNSPEC,
	P4TC_FILTER_OP = 1,
};

enum {
	P4TC_FILTER_OP_UNSPEC,
	P4TC_FILTER_OP_KIND = 1,  /* u16 P4TC_FILTER_OP_KIND_* */
	P4TC_FILTER_OP_VALUE = 2, /* u16 */
	P4TC_FILTER_OP_NODE1 = 3,
	P4TC_FILTER_OP_NODE2 = 4,
};

enum {
	P4TC_FILTER_OP_KIND_UNSPEC,
	P4TC_FILTER_OP_KIND_REL = 1,
	P4TC_FILTER_OP_KIND_LOGICAL = 2,
};

enum {
	P4TC_FILTER_OP_REL_UNSPEC,
	P4TC_FILTER_OP_REL_EQ = 1,
	P4TC_FILTER_OP_REL_NEQ = 2,
	P4TC_FILTER_OP_REL_LT = 3,
	P4TC_FILTER_OP_REL_GT = 4,
	P4TC_FILTER_OP_REL_LE = 5,
	P4TC_FILTER_OP_REL_GE = 6,
};

enum {
	P4TC_FILTER_OP_LOGICAL_UNSPEC,
	P4TC_FILTER_OP_LOGICAL_AND = 1,
	P4TC_FILTER_OP_LOGICAL_OR = 2,
	P4TC_FILTER_OP_LOGICAL_NOT = 3,
	P4TC_FILTER_OP_LOGICAL_XOR = 4,
};

enum {
	P4TC_FILTER_OP_NODE_UNSPEC,
	P4TC_FILTER_OP_NODE_PARENT = 1, /* nested P4TC_FILTER_OP_* */
	P4TC_FILTER_OP_NODE_LEAF = 2,	/* nested operand */
};

/* Operand of an entry */
enum {
	P4TC_FILTER_OPND_ENTRY_UNSPEC,
	P4TC_FILTER_OPND_ENTRY_KEY_BLOB = 1,
	P4TC_FILTER_OPND_ENTRY_MASK_BLOB = 2,
	P4TC_FILTER_OPND_ENTRY_ACT =
		3, /* nested P4TC_FILTER_OPND_ENTRY_ACT_* */
	P4TC_FILTER_OPND_ENTRY_PRIO = 4,       /* u32 */
	P4TC_FILTER_OPND_ENTRY_TIME_DELTA = 5, /* u32 ms */
};

enum {
	P4TC_FILTER_OPND_ENTRY_ACT_UNSPEC,
	P4TC_FILTER_OPND_ENTRY_ACT_NAME = 1,   /* string */
	P4TC_FILTER_OPND_ENTRY_ACT_ID = 2,     /* u32 */
	P4TC_FILTER_OPND_ENTRY_ACT_PARAMS = 3, /* nested params */
};

#define P4TC_FILTER_DEPTH_LIMIT 5

/* Value types (P4TC_T_*), p4tc.md 5.7: identical ids in every version
 * (RATE only in v17); include/p4x/p4tc_types.h has them as
 * enum p4x_p4tc_type_id. */
#define P4TC_T_MAX_KNOWN 20

/* Permission bits: control plane 13..7, datapath 6..0 (CRUDXPS) */
#define P4TC_PERM_BITS 14

#endif /* P4X_KERNEL_UAPI_P4TC_COMMON_H */
