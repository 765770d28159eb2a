/* SPDX-License-Identifier: BSD-3-Clause */
/* P4TC netlink codec internals: the codec, decode context, attribute
 * helpers and the per-version entry attribute maps. */
#ifndef P4X_BRIDGE_P4TC_NL_PRIV_H
#define P4X_BRIDGE_P4TC_NL_PRIV_H

#include <libmnl/libmnl.h>

#include "p4tc_nl.h"
#include "p4tc_series1.h"
#include "p4tc_v17.h"

/* Decoded objects of one message; capacity reserved before decoding so
 * that pointers into the pools stay valid. */
struct nl_pool {
	void *base;
	size_t n, cap, elsz;
};

struct p4x_p4tc_nl {
	enum p4x_p4tc_nl_version fixed;	   /* configured, AUTO = detect */
	enum p4x_p4tc_nl_version detected; /* AUTO until a message tells */
	bool quiet;
	struct p4x_p4tc_nl_msg msg;
	struct nl_pool entries, tmpls, params, fnodes, tattrs;
};

/* Attribute value shapes. */
enum nl_shape {
	NL_NONE, /* not defined in this version */
	NL_U8,
	NL_U16,
	NL_U32,
	NL_U64,
	NL_STR,
	NL_BIN,
	NL_NEST,
	NL_TM, /* struct p4tc_table_entry_tm */
};

/* One table entry attribute of a version: what it means, its shape. */
struct nl_entry_attr {
	int8_t field; /* enum p4x_p4tc_nl_field, -1 = pad */
	uint8_t shape;
};

struct nl_version_spec {
	enum p4x_p4tc_nl_version ver;
	unsigned int entry_max; /* highest entry attribute */
	bool externs;		/* extern objects, EXT/CMD operands */
	const struct nl_entry_attr *entry; /* [1..entry_max] */
};

const struct nl_version_spec *nl_version_spec(enum p4x_p4tc_nl_version v);

/* Where the decoder is: "label num", "label" (num < 0) or "num". */
struct nl_loc {
	const char *label;
	int num;
};

/* Decode context: the message, its version, where we are, the error. */
struct nl_ctx {
	struct p4x_p4tc_nl *codec;
	struct p4x_p4tc_nl_msg *msg;
	enum p4x_p4tc_nl_version ver; /* AUTO while undecided */
	struct nl_loc loc[16];
	unsigned int depth_loc;
	char *err;
	size_t errsz;
	int depth; /* filter nesting */
};

/* Set the error (the first one sticks) with the location; returns @ret. */
int nl_fail(struct nl_ctx *c, int ret, const char *fmt, ...) __p4x_printf(3, 4);
/* Enter a location (@label may be NULL, @num < 0: none); returns the
 * depth for nl_pop(). Formatted only when an error is reported. */
unsigned int nl_push(struct nl_ctx *c, const char *label, int num);
static inline void nl_pop(struct nl_ctx *c, unsigned int depth)
{
	c->depth_loc = depth;
}

typedef int (*nl_attr_fn)(struct nl_ctx *c, const struct nlattr *a, void *arg);
/* Call @fn for every attribute in @len bytes at @data; refuses a
 * truncated attribute or trailing bytes. */
int nl_walk(struct nl_ctx *c, const void *data, size_t len, nl_attr_fn fn,
	    void *arg);
int nl_walk_nest(struct nl_ctx *c, const struct nlattr *nest, nl_attr_fn fn,
		 void *arg);
/* Index a nest's attributes 1..@max into @tb (zeroed first); refuses
 * types above @max; a repeated type: the last wins (as the kernel). */
int nl_parse_nest(struct nl_ctx *c, const struct nlattr *nest,
		  const struct nlattr **tb, unsigned int max);

/* Typed readers: check the payload length, write *@v. */
int nl_u8(struct nl_ctx *c, const struct nlattr *a, uint8_t *v);
int nl_u16(struct nl_ctx *c, const struct nlattr *a, uint16_t *v);
int nl_u32(struct nl_ctx *c, const struct nlattr *a, uint32_t *v);
int nl_u64(struct nl_ctx *c, const struct nlattr *a, uint64_t *v);
/* 1, 2, 4 or 8 bytes (attributes dumped wider than their policy). */
int nl_uint(struct nl_ctx *c, const struct nlattr *a, uint64_t max,
	    uint64_t *v);
/* NUL-terminated string that fits @sz (with its NUL). */
int nl_str(struct nl_ctx *c, const struct nlattr *a, char *buf, size_t sz);
/* Binary of 1..@max bytes. */
int nl_bin(struct nl_ctx *c, const struct nlattr *a, uint8_t *buf, size_t max,
	   uint16_t *len);
int nl_nested(struct nl_ctx *c, const struct nlattr *a);

/*
 * Whether a root holds slots [1..n]{PATH, PARAMS, COUNT} (kernel fills,
 * tc's create/update/delete) or one object {PATH, PARAMS} (tc's gets and
 * template requests). A PATH is u32 words without NLA_F_NESTED; slots are
 * nests.
 */
bool nl_root_has_slots(const struct nlattr *root);

/* Pools */
void *nl_pool_add(struct nl_pool *p);
int nl_pool_reserve(struct nl_pool *p, size_t n);

/* Decoders shared between files */
int nl_decode_params(struct nl_ctx *c, const struct nlattr *nest, bool ext,
		     const struct p4x_p4tc_nl_param **params,
		     uint32_t *nparams);
/* One action param whose attributes fill @nest (filter operands). */
int nl_decode_param(struct nl_ctx *c, const struct nlattr *nest,
		    const struct p4x_p4tc_nl_param **out);
int nl_decode_action_list(struct nl_ctx *c, const struct nlattr *nest,
			  struct p4x_p4tc_nl_action *act);
int nl_decode_templates(struct nl_ctx *c, const struct nlattr *root);
/* A runtime slot {PATH, PARAMS, COUNT}. */
int nl_decode_slot(struct nl_ctx *c, const struct nlattr *slot,
		   struct p4x_p4tc_nl_entry *e);
/* The entry attributes of a runtime slot or a template const entry. */
int nl_decode_entry(struct nl_ctx *c, const struct nlattr *params,
		    struct p4x_p4tc_nl_entry *e);
int nl_decode_default(struct nl_ctx *c, const struct nlattr *nest,
		      struct p4x_p4tc_nl_default *d);
int nl_decode_filter(struct nl_ctx *c, const struct nlattr *nest,
		     const struct p4x_p4tc_nl_fnode **out);

/* Version bookkeeping: a message part that only @v can express. */
int nl_need_version(struct nl_ctx *c, enum p4x_p4tc_nl_version v,
		    const char *what);

/* Message type names for errors ("RTM_P4TC_GET"). */
const char *nl_type_name(uint16_t type);

#endif /* P4X_BRIDGE_P4TC_NL_PRIV_H */
