/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * P4TC netlink uapi as in tammela/linux-p4tc-pub release-v17-rc6 (the
 * kernel of the captures in shared/testdata/p4tc-netlink/): what v17
 * numbers differently from series 1 or adds (table entry attributes,
 * subscriptions, externs, filter operands, multicast groups).
 */
#ifndef P4X_KERNEL_UAPI_P4TC_V17_H
#define P4X_KERNEL_UAPI_P4TC_V17_H

#include "p4tc_common.h"

/*
 * Multicast groups, measured on the v17-rc6 kernel (NETLINK_PKTINFO):
 * entry and template events go to 37 (mainline later gave 37/38 to the
 * IPv4/IPv6 multicast-address groups).
 */
#define P4TC_V17_RTNLGRP_P4TC 37
#define P4TC_V17_RTNLGRP_P4TC_DIGEST 38

/* Table entry attributes (v17) */
enum {
	P4TC_ENTRY_UNSPEC,
	P4TC_ENTRY_TBLNAME = 1,		 /* string "cb/table" (requests) */
	P4TC_ENTRY_KEY_BLOB = 2,	 /* binary */
	P4TC_ENTRY_MASK_BLOB = 3,	 /* binary */
	P4TC_ENTRY_PRIO = 4,		 /* u32 */
	P4TC_ENTRY_ACT = 5,		 /* nested tc action list */
	P4TC_ENTRY_TM = 6,		 /* struct p4tc_table_entry_tm */
	P4TC_ENTRY_WHODUNNIT = 7,	 /* u8 P4TC_ENTITY_* (requests) */
	P4TC_ENTRY_WHO_CREATED_ENT = 8,	 /* u8 */
	P4TC_ENTRY_WHO_CREATED = 9,	 /* string, process name */
	P4TC_ENTRY_WHO_CREATED_PID = 10, /* u32 */
	P4TC_ENTRY_WHO_UPDATED_ENT = 11,
	P4TC_ENTRY_WHO_UPDATED = 12,
	P4TC_ENTRY_WHO_UPDATED_PID = 13,
	P4TC_ENTRY_WHO_DELETED_ENT = 14,
	P4TC_ENTRY_WHO_DELETED = 15,
	P4TC_ENTRY_WHO_DELETED_PID = 16,
	P4TC_ENTRY_PERMISSIONS = 17,  /* u16 */
	P4TC_ENTRY_TBL_ATTRS = 18,    /* nested P4TC_ENTRY_TBL_ATTRS_* */
	P4TC_ENTRY_TMPL_CREATED = 19, /* u8 */
	P4TC_ENTRY_DYNAMIC = 20,      /* u8 */
	P4TC_ENTRY_AGING = 21,	      /* u64 ms */
	P4TC_ENTRY_PROFILE_ID = 22,   /* u32 */
	P4TC_ENTRY_FILTER = 23,	      /* nested P4TC_FILTER_OP */
	P4TC_ENTRY_EXTERNS = 24,      /* nested P4TC_ENTRY_EXTERN_* */
	P4TC_ENTRY_PAD = 25,
	__P4TC_ENTRY_MAX
};
#define P4TC_ENTRY_MAX (__P4TC_ENTRY_MAX - 1)

/* Externs bound to an entry (P4TC_ENTRY_EXTERNS) */
enum {
	P4TC_ENTRY_EXTERN_UNSPEC,
	P4TC_ENTRY_EXTERN_COUNTER = 1, /* nested P4TC_EXT_* */
	P4TC_ENTRY_EXTERN_METER = 2,
};

/* Runtime extern attributes (linux/p4tc_ext.h) */
enum {
	P4TC_EXT_UNSPEC,
	P4TC_EXT_INST_NAME = 1, /* string */
	P4TC_EXT_KIND = 2,	/* string */
	P4TC_EXT_PARAMS = 3,	/* nested [1..N] P4TC_EXT_PARAMS_* */
	P4TC_EXT_KEY = 4,	/* u32 */
	P4TC_EXT_PAD = 5,
	P4TC_EXT_FLAGS = 6,
	P4TC_EXT_FILTER = 7,
};

/* Extern params, templates and runtime */
enum {
	P4TC_EXT_PARAMS_UNSPEC,
	P4TC_EXT_PARAMS_NAME = 1,  /* string */
	P4TC_EXT_PARAMS_ID = 2,	   /* u32 */
	P4TC_EXT_PARAMS_VALUE = 3, /* nested {RAW 1} */
	P4TC_EXT_PARAMS_TYPE = 4,  /* u32 P4TC_T_* */
	P4TC_EXT_PARAMS_BITSZ = 5, /* u16 by policy, u32 in dumps */
	P4TC_EXT_PARAMS_FLAGS = 6, /* u8 by policy, u32 in dumps */
};

#define P4TC_EXT_PARAMS_FLAG_ISKEY 0x1
#define P4TC_EXT_PARAMS_FLAG_IS_DATASCALAR 0x2

/* Extern template (P4TC_OBJ_EXT) */
enum {
	P4TC_TMPL_EXT_UNSPEC,
	P4TC_TMPL_EXT_NAME = 1,		   /* string */
	P4TC_TMPL_EXT_NUM_INSTS = 2,	   /* u16 */
	P4TC_TMPL_EXT_HAS_EXEC_METHOD = 3, /* u8 */
	P4TC_TMPL_EXT_PERMISSIONS = 4,	   /* u16 */
};

/* Extern instance template (P4TC_OBJ_EXT_INST) */
enum {
	P4TC_TMPL_EXT_INST_UNSPEC,
	P4TC_TMPL_EXT_INST_EXT_NAME = 1,       /* string */
	P4TC_TMPL_EXT_INST_NAME = 2,	       /* string */
	P4TC_TMPL_EXT_INST_NUM_ELEMS = 3,      /* u32 */
	P4TC_TMPL_EXT_INST_CONTROL_PARAMS = 4, /* nested params */
	P4TC_TMPL_EXT_INST_TABLE_BINDABLE = 5, /* u8 */
	P4TC_TMPL_EXT_INST_CONSTR_PARAMS = 6,  /* nested params */
};

/* Subscription (P4TC_ROOT_SUBSCRIBE) object selector */
enum {
	P4TC_SUBSCRIBE_UNSPEC,
	P4TC_SUBSCRIBE_OBJNAME = 1,
	P4TC_SUBSCRIBE_OBJID = 2,
};

/* Filter operand kinds (v17 adds EXT and CMD) */
enum {
	P4TC_FILTER_OPND_UNSPEC,
	P4TC_FILTER_OPND_ENTRY = 1, /* nested P4TC_FILTER_OPND_ENTRY_* */
	P4TC_FILTER_OPND_EXT = 2,   /* nested P4TC_FILTER_OPND_EXT_* */
	P4TC_FILTER_OPND_CMD = 3,   /* u32 RTM_P4TC_* */
};

enum {
	P4TC_FILTER_OPND_EXT_UNSPEC,
	P4TC_FILTER_OPND_EXT_NAME = 1,
	P4TC_FILTER_OPND_EXT_ID = 2,
	P4TC_FILTER_OPND_EXT_INST_NAME = 3,
	P4TC_FILTER_OPND_EXT_PARAMS = 4,
};

#endif /* P4X_KERNEL_UAPI_P4TC_V17_H */
