// SPDX-License-Identifier: BSD-3-Clause
/* P4TC netlink codec: what each uapi version numbers how (p4tc.md 5.3,
 * 5.8; kernel/uapi/p4tc_v17.h, p4tc_series1.h), and version detection. */
#include <errno.h>
#include <string.h>

#include "nl_priv.h"

#define F(f) P4X_P4TC_NL_F_##f

/* clang-format off */
static const struct nl_entry_attr v17_entry[P4TC_ENTRY_MAX + 1] = {
	[P4TC_ENTRY_TBLNAME]          = { F(TBLNAME), NL_STR },
	[P4TC_ENTRY_KEY_BLOB]         = { F(KEY), NL_BIN },
	[P4TC_ENTRY_MASK_BLOB]        = { F(MASK), NL_BIN },
	[P4TC_ENTRY_PRIO]             = { F(PRIO), NL_U32 },
	[P4TC_ENTRY_ACT]              = { F(ACT), NL_NEST },
	[P4TC_ENTRY_TM]               = { F(TM), NL_TM },
	[P4TC_ENTRY_WHODUNNIT]        = { F(WHODUNNIT), NL_U8 },
	[P4TC_ENTRY_WHO_CREATED_ENT]  = { F(WHO_CREATED_ENT), NL_U8 },
	[P4TC_ENTRY_WHO_CREATED]      = { F(WHO_CREATED), NL_STR },
	[P4TC_ENTRY_WHO_CREATED_PID]  = { F(WHO_CREATED_PID), NL_U32 },
	[P4TC_ENTRY_WHO_UPDATED_ENT]  = { F(WHO_UPDATED_ENT), NL_U8 },
	[P4TC_ENTRY_WHO_UPDATED]      = { F(WHO_UPDATED), NL_STR },
	[P4TC_ENTRY_WHO_UPDATED_PID]  = { F(WHO_UPDATED_PID), NL_U32 },
	[P4TC_ENTRY_WHO_DELETED_ENT]  = { F(WHO_DELETED_ENT), NL_U8 },
	[P4TC_ENTRY_WHO_DELETED]      = { F(WHO_DELETED), NL_STR },
	[P4TC_ENTRY_WHO_DELETED_PID]  = { F(WHO_DELETED_PID), NL_U32 },
	[P4TC_ENTRY_PERMISSIONS]      = { F(PERMISSIONS), NL_U16 },
	[P4TC_ENTRY_TBL_ATTRS]        = { F(TBL_ATTRS), NL_NEST },
	[P4TC_ENTRY_TMPL_CREATED]     = { F(TMPL_CREATED), NL_U8 },
	[P4TC_ENTRY_DYNAMIC]          = { F(DYNAMIC), NL_U8 },
	[P4TC_ENTRY_AGING]            = { F(AGING), NL_U64 },
	[P4TC_ENTRY_PROFILE_ID]       = { F(PROFILE_ID), NL_U32 },
	[P4TC_ENTRY_FILTER]           = { F(FILTER), NL_NEST },
	[P4TC_ENTRY_EXTERNS]          = { F(EXTERNS), NL_NEST },
	[P4TC_ENTRY_PAD]              = { -1, NL_BIN },
};

static const struct nl_entry_attr s1_entry[P4TC_S1_ENTRY_MAX + 1] = {
	[P4TC_S1_ENTRY_TBLNAME]          = { F(TBLNAME), NL_STR },
	[P4TC_S1_ENTRY_KEY_BLOB]         = { F(KEY), NL_BIN },
	[P4TC_S1_ENTRY_MASK_BLOB]        = { F(MASK), NL_BIN },
	[P4TC_S1_ENTRY_PRIO]             = { F(PRIO), NL_U32 },
	[P4TC_S1_ENTRY_ACT]              = { F(ACT), NL_NEST },
	[P4TC_S1_ENTRY_TM]               = { F(TM), NL_TM },
	[P4TC_S1_ENTRY_WHODUNNIT]        = { F(WHODUNNIT), NL_U8 },
	[P4TC_S1_ENTRY_CREATE_WHODUNNIT] = { F(WHO_CREATED_ENT), NL_U8 },
	[P4TC_S1_ENTRY_UPDATE_WHODUNNIT] = { F(WHO_UPDATED_ENT), NL_U8 },
	[P4TC_S1_ENTRY_DELETE_WHODUNNIT] = { F(WHO_DELETED_ENT), NL_U8 },
	[P4TC_S1_ENTRY_PERMISSIONS]      = { F(PERMISSIONS), NL_U16 },
	[P4TC_S1_ENTRY_TBL_ATTRS]        = { F(TBL_ATTRS), NL_NEST },
	[P4TC_S1_ENTRY_TMPL_CREATED]     = { F(TMPL_CREATED), NL_U8 },
	[P4TC_S1_ENTRY_DYNAMIC]          = { F(DYNAMIC), NL_U8 },
	[P4TC_S1_ENTRY_AGING]            = { F(AGING), NL_U64 },
	[P4TC_S1_ENTRY_PROFILE_ID]       = { F(PROFILE_ID), NL_U32 },
	[P4TC_S1_ENTRY_FILTER]           = { F(FILTER), NL_NEST },
	[P4TC_S1_ENTRY_PAD]              = { -1, NL_BIN },
};
/* clang-format on */

static const struct nl_version_spec specs[P4X_P4TC_NL_VER__COUNT] = {
	[P4X_P4TC_NL_VER_V17] =
		{
			.ver = P4X_P4TC_NL_VER_V17,
			.entry_max = P4TC_ENTRY_MAX,
			.externs = true,
			.entry = v17_entry,
		},
	[P4X_P4TC_NL_VER_SERIES1] =
		{
			.ver = P4X_P4TC_NL_VER_SERIES1,
			.entry_max = P4TC_S1_ENTRY_MAX,
			.externs = false,
			.entry = s1_entry,
		},
};

#undef F

const struct nl_version_spec *nl_version_spec(enum p4x_p4tc_nl_version v)
{
	if (v <= P4X_P4TC_NL_VER_AUTO || v >= P4X_P4TC_NL_VER__COUNT)
		return NULL;
	return &specs[v];
}

static const struct {
	const char *name;
	unsigned int group;
} versions[P4X_P4TC_NL_VER__COUNT] = {[P4X_P4TC_NL_VER_AUTO] = {"auto", 0},
#define P4X_P4TC_NL_VER_ROW(e, name, grp) [P4X_P4TC_NL_VER_##e] = {name, grp},
				      P4X_P4TC_NL_VERSIONS(P4X_P4TC_NL_VER_ROW)
#undef P4X_P4TC_NL_VER_ROW
};

/* the groups measured (v17) and read from the sources (series 1) */
_Static_assert(P4TC_V17_RTNLGRP_P4TC == 37 && P4TC_S1_RTNLGRP == 4,
	       "P4X_P4TC_NL_VERSIONS groups");

const char *p4x_p4tc_nl_version__name(enum p4x_p4tc_nl_version v)
{
	if ((unsigned int)v >= P4X_P4TC_NL_VER__COUNT)
		return "?";
	return versions[v].name;
}

unsigned int p4x_p4tc_nl_version__group(enum p4x_p4tc_nl_version v)
{
	if ((unsigned int)v >= P4X_P4TC_NL_VER__COUNT)
		return 0;
	return versions[v].group;
}

int nl_need_version(struct nl_ctx *c, enum p4x_p4tc_nl_version v,
		    const char *what)
{
	if (c->ver == v)
		return 0;
	if (c->ver != P4X_P4TC_NL_VER_AUTO)
		return nl_fail(c, -EPROTO,
			       "%s exists only in P4TC %s, the messages so "
			       "far are %s",
			       what, p4x_p4tc_nl_version__name(v),
			       p4x_p4tc_nl_version__name(c->ver));
	c->ver = v;
	return 0;
}
