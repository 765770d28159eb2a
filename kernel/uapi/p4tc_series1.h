/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * P4TC netlink uapi of "series 1" (the 15 patches posted upstream,
 * v12..v16; tammela/linux-p4tc-pub@7393fe623), where it differs from v17
 * (p4tc.md 5.8): table entry attributes are numbered differently, the
 * root has no COUNT/FLAGS/SUBSCRIBE, there are no extern objects, no
 * table EXTERNS, filters have only entry operands, and events go to
 * RTNLGRP_TC. Names carry a P4TC_S1_ prefix so that both versions can be
 * used in one program.
 */
#ifndef P4X_KERNEL_UAPI_P4TC_SERIES1_H
#define P4X_KERNEL_UAPI_P4TC_SERIES1_H

#include "p4tc_common.h"

/* Events: RTNLGRP_TC (no P4TC group in series 1). */
#define P4TC_S1_RTNLGRP 4

/* Table entry attributes (series 1) */
enum {
	P4TC_S1_ENTRY_UNSPEC,
	P4TC_S1_ENTRY_TBLNAME = 1,
	P4TC_S1_ENTRY_KEY_BLOB = 2,
	P4TC_S1_ENTRY_MASK_BLOB = 3,
	P4TC_S1_ENTRY_PRIO = 4,
	P4TC_S1_ENTRY_ACT = 5,
	P4TC_S1_ENTRY_TM = 6,
	P4TC_S1_ENTRY_WHODUNNIT = 7,	     /* u8 */
	P4TC_S1_ENTRY_CREATE_WHODUNNIT = 8,  /* u8 */
	P4TC_S1_ENTRY_UPDATE_WHODUNNIT = 9,  /* u8 */
	P4TC_S1_ENTRY_DELETE_WHODUNNIT = 10, /* u8 */
	P4TC_S1_ENTRY_PERMISSIONS = 11,	     /* u16 */
	P4TC_S1_ENTRY_TBL_ATTRS = 12,
	P4TC_S1_ENTRY_TMPL_CREATED = 13,
	P4TC_S1_ENTRY_DYNAMIC = 14,
	P4TC_S1_ENTRY_AGING = 15,
	P4TC_S1_ENTRY_PROFILE_ID = 16,
	P4TC_S1_ENTRY_FILTER = 17,
	P4TC_S1_ENTRY_PAD = 18,
	__P4TC_S1_ENTRY_MAX
};
#define P4TC_S1_ENTRY_MAX (__P4TC_S1_ENTRY_MAX - 1)

/* Highest root attribute (P4TC_ROOT_PNAME) */
#define P4TC_S1_ROOT_MAX 2

/* Filter operand kinds: entries only */
#define P4TC_S1_FILTER_OPND_ENTRY 1

#endif /* P4X_KERNEL_UAPI_P4TC_SERIES1_H */
