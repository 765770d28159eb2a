/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * P4TC value types: parse from the CLI strings `tc p4ctrl`/`tc p4template`
 * accept, print back in a canonical form that parses to the same value, and
 * pack into the key and action-parameter blobs.
 *
 * A parsed value is kept as a number: 16 big-endian bytes, right-aligned
 * (an ipv4 address is the 32-bit number a.b.c.d, a MAC the 48-bit number of
 * its six bytes), plus a mask of the same shape. Packing takes the low
 * BITS_TO_BYTES(width) bytes and writes them in the type's blob byte order:
 * host order (little-endian) for bitN/intN up to 64 bits, dev and bool;
 * network order for beN, ipv4, ipv6, macaddr and bitN/intN wider than 64.
 * docs/p4tc-types.md gives the full rules and why.
 */
#ifndef P4X_P4TC_TYPES_H
#define P4X_P4TC_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"

#define P4X_BITS_TO_BYTES(b) (((b) + 7u) / 8u)

/* Widest numeric value a type can hold (ipv6, bit128). */
#define P4X_P4TC_VALUE_BYTES 16

/*
 * X(kind, cli name, kernel P4TC_T_ id for the smallest container). The
 * container id of bitN/intN/beN depends on N (p4x_p4tc_type.type_id).
 */
#define P4X_P4TC_KINDS(X)         \
	X(BIT, "bit", 1)          \
	X(INT, "int", 6)          \
	X(BE, "be", 12)           \
	X(IPV4, "ipv4", 11)       \
	X(IPV6, "ipv6", 15)       \
	X(MACADDR, "macaddr", 10) \
	X(DEV, "dev", 18)         \
	X(BOOL, "bool", 17)

enum p4x_p4tc_kind {
#define P4X_P4TC_KIND_ENUM(k, name, id) P4X_P4TC_K_##k,
	P4X_P4TC_KINDS(P4X_P4TC_KIND_ENUM)
#undef P4X_P4TC_KIND_ENUM
		P4X_P4TC_K__COUNT
};

/* Kernel type ids (P4TC_T_*, p4tc.md 5.7). */
enum p4x_p4tc_type_id {
	P4X_P4TC_T_U8 = 1,
	P4X_P4TC_T_U16 = 2,
	P4X_P4TC_T_U32 = 3,
	P4X_P4TC_T_U64 = 4,
	P4X_P4TC_T_STRING = 5,
	P4X_P4TC_T_S8 = 6,
	P4X_P4TC_T_S16 = 7,
	P4X_P4TC_T_S32 = 8,
	P4X_P4TC_T_S64 = 9,
	P4X_P4TC_T_MACADDR = 10,
	P4X_P4TC_T_IPV4ADDR = 11,
	P4X_P4TC_T_BE16 = 12,
	P4X_P4TC_T_BE32 = 13,
	P4X_P4TC_T_BE64 = 14,
	P4X_P4TC_T_U128 = 15,
	P4X_P4TC_T_S128 = 16,
	P4X_P4TC_T_BOOL = 17,
	P4X_P4TC_T_DEV = 18,
	P4X_P4TC_T_KEY = 19,
	P4X_P4TC_T_RATE = 20,
};

/* A type descriptor: a small value, copied freely. */
struct p4x_p4tc_type {
	uint8_t kind;		  /* enum p4x_p4tc_kind */
	uint8_t type_id;	  /* enum p4x_p4tc_type_id of the container */
	uint16_t bitsz;		  /* declared width (bitN: N; ipv4: 32...) */
	uint16_t container_bitsz; /* kernel container width (5.7) */
};

/*
 * A parsed value. val and mask are numbers: big-endian, right-aligned in
 * 16 bytes, zero above the type's width. mask is all ones over the width
 * when no mask was given. prefix is the prefix length when the mask is a
 * prefix (contiguous ones from the top of the width), else -1.
 */
struct p4x_p4tc_value {
	uint8_t val[P4X_P4TC_VALUE_BYTES];
	uint8_t mask[P4X_P4TC_VALUE_BYTES];
	int16_t prefix;
	bool has_mask; /* "/N" or "/0xMASK" was given */
};

/*
 * Interface name <-> ifindex, for dev values. Every slot may be NULL:
 * name_to_index NULL: if_nametoindex(3); index_to_name NULL: print the
 * number. Both return 0 or -errno (-ENODEV: no such interface).
 */
struct p4x_p4tc_dev_ops {
	int (*name_to_index)(void *arg, const char *name, uint32_t *ifindex);
	int (*index_to_name)(void *arg, uint32_t ifindex, char *buf, size_t sz);
	void *arg;
};

/* Flags for p4x_p4tc_value__parse(). */
enum {
	/* accept "/N" and "/0xMASK" (lpm and ternary key fields) */
	P4X_P4TC_PARSE_MASK = 1u << 0,
};

/*
 * Parse a type name as the template and JSON write it: "bit32", "int8",
 * "be16", "ipv4", "ipv6", "macaddr", "dev", "bool". @bitwidth 0 takes the
 * width from the name (bitN: N; dev/ipv4: 32; macaddr: 48; ipv6: 128;
 * bool: 1); non-zero must agree with the name. N is 1..128 (beN: 16, 32,
 * 64). Returns 0 or -EINVAL with a message in @err.
 */
int p4x_p4tc_type__parse(struct p4x_p4tc_type *t, const char *name,
			 unsigned int bitwidth, char *err, size_t errsz);

/* Write the canonical type name ("bit32", "macaddr") into @buf. */
void p4x_p4tc_type__name(const struct p4x_p4tc_type *t, char *buf, size_t sz);

/* Two types are the same kind and width. */
bool p4x_p4tc_type__equal(const struct p4x_p4tc_type *a,
			  const struct p4x_p4tc_type *b);

/* Bytes one value of @t takes in a key or parameter blob. */
static inline unsigned int
p4x_p4tc_type__blob_bytes(const struct p4x_p4tc_type *t)
{
	return P4X_BITS_TO_BYTES(t->bitsz);
}

/*
 * Parse @str as a value of @t. Numbers are decimal or 0x-hex; ipv4 also
 * dotted quad, ipv6 RFC 4291 text, macaddr aa:bb:cc:dd:ee:ff, dev an
 * interface name (through @dev, may be NULL) or an ifindex, bool
 * true|false. With P4X_P4TC_PARSE_MASK, "/N" (prefix) or "/0xMASK" may
 * follow. On error returns -EINVAL (-ENODEV for an unknown interface) and
 * writes "<str> is not a <type>..." into @err; @v is then undefined.
 */
int p4x_p4tc_value__parse(const struct p4x_p4tc_type *t, const char *str,
			  unsigned int flags,
			  const struct p4x_p4tc_dev_ops *dev,
			  struct p4x_p4tc_value *v, char *err, size_t errsz);

/*
 * Print @v canonically into @buf (bitN/beN/bool/dev as numbers or names,
 * addresses in their text form, "/N" for a prefix mask, "/0x.." for any
 * other non-full mask). p4x_p4tc_value__parse() of the output gives @v
 * back. Returns the length snprintf would have written.
 */
int p4x_p4tc_value__print(const struct p4x_p4tc_type *t,
			  const struct p4x_p4tc_value *v,
			  const struct p4x_p4tc_dev_ops *dev, char *buf,
			  size_t sz);

/*
 * Write the value (or its mask) of @v in blob layout at @out, which has
 * room for p4x_p4tc_type__blob_bytes(@t) bytes.
 */
void p4x_p4tc_value__pack(const struct p4x_p4tc_type *t,
			  const struct p4x_p4tc_value *v, uint8_t *out);
void p4x_p4tc_value__pack_mask(const struct p4x_p4tc_type *t,
			       const struct p4x_p4tc_value *v, uint8_t *out);

/*
 * Inverse of p4x_p4tc_value__pack(): a value from blob bytes, with the
 * mask from @mask (blob layout; NULL: full mask, has_mask false).
 */
void p4x_p4tc_value__unpack(const struct p4x_p4tc_type *t, const uint8_t *in,
			    const uint8_t *mask, struct p4x_p4tc_value *v);

/*
 * Permissions: 14 bits, CRUDXPS for the control plane (bits 13..7) then
 * the datapath (bits 6..0). Printed as tc does: "CRUD-PS-R--X--".
 */
#define P4X_P4TC_PERM_BITS 14
#define P4X_P4TC_PERM_MASK 0x3fffu
#define P4X_P4TC_PERM_STRLEN (P4X_P4TC_PERM_BITS + 1)
void p4x_p4tc_perm__print(uint16_t perm, char buf[P4X_P4TC_PERM_STRLEN]);

#endif /* P4X_P4TC_TYPES_H */
