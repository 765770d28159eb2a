/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Compiled `tc p4ctrl` filters: the tree filter.c builds and
 * filter_eval.c evaluates and prints.
 */
#ifndef P4X_P4TC_FILTER_PRIV_H
#define P4X_P4TC_FILTER_PRIV_H

#include "p4x/p4tc_filter.h"

/* X(name, P4TC_FILTER_OP_KIND_REL_* value, canonical spelling) */
#define P4X_FILTER_RELS(X) \
	X(EQ, 1, "==")     \
	X(NE, 2, "!=")     \
	X(LT, 3, "<")      \
	X(GT, 4, ">")      \
	X(LE, 5, "<=")     \
	X(GE, 6, ">=")

enum p4x_filter_rel {
#define P4X_FILTER_REL_ENUM(e, v, s) P4X_FILTER_REL_##e = v,
	P4X_FILTER_RELS(P4X_FILTER_REL_ENUM)
#undef P4X_FILTER_REL_ENUM
};

/* X(name, P4TC_FILTER_OP_KIND_LOGICAL_* value, spelling, precedence) */
#define P4X_FILTER_LOGICALS(X) \
	X(AND, 1, "&&", 3)     \
	X(OR, 2, "||", 1)      \
	X(NOT, 3, "!", 5)      \
	X(XOR, 4, "^^", 2)

enum p4x_filter_logical {
#define P4X_FILTER_LOG_ENUM(e, v, s, p) P4X_FILTER_##e = v,
	P4X_FILTER_LOGICALS(P4X_FILTER_LOG_ENUM)
#undef P4X_FILTER_LOG_ENUM
};

/* Comparisons bind tighter than every binary logical operator. */
#define P4X_FILTER_PREC_CMP 4

enum p4x_filter_opnd_kind {
	P4X_FILTER_OPND_KEY,
	P4X_FILTER_OPND_PARAM,
	P4X_FILTER_OPND_PRIO,
	P4X_FILTER_OPND_MSECS,
	P4X_FILTER_OPND_CMD,
};

/* One side of a comparison: what of the entry is compared. */
struct p4x_filter_opnd {
	uint8_t kind;		   /* enum p4x_filter_opnd_kind */
	struct p4x_p4tc_type type; /* KEY, PARAM */
	uint16_t offset;	   /* KEY: in the key blob; PARAM: params */
	uint32_t act_id;	   /* PARAM */
	char name[2 * P4X_P4TC_PATHSZ]; /* canonical: "key.dstAddr" */
};

/* The other side: a value of the operand's type. */
struct p4x_filter_lit {
	struct p4x_p4tc_value v; /* KEY, PARAM: val & mask */
	bool masked;		 /* mask narrower than the type */
	uint64_t num; /* PRIO, MSECS; CMD: enum p4x_p4tc_filter_cmd */
};

enum p4x_filter_node_kind {
	P4X_FILTER_NODE_CMP,
	P4X_FILTER_NODE_LOGICAL,
};

struct p4x_filter_node {
	uint8_t kind;  /* enum p4x_filter_node_kind */
	uint8_t op;    /* enum p4x_filter_rel or p4x_filter_logical */
	uint8_t depth; /* logical operators on the longest path below */
	uint8_t a, b;  /* LOGICAL: children (b unused for NOT) */
	struct p4x_filter_opnd opnd; /* CMP */
	struct p4x_filter_lit lit;   /* CMP */
};

/* Enough for every tree of depth <= P4X_P4TC_FILTER_DEPTH: 2^6 - 1. */
#define P4X_FILTER_MAX_NODES 63

struct p4x_p4tc_filter {
	char table[P4X_P4TC_NAMSZ + P4X_P4TC_PATHSZ]; /* "P/cb/tbl" */
	bool uses_cmd;
	uint8_t root;
	uint8_t nnodes;
	struct p4x_filter_node nodes[P4X_FILTER_MAX_NODES];
};

/* Canonical spellings and precedences (filter_eval.c). */
const char *p4x_filter_rel__str(unsigned int rel);
const char *p4x_filter_logical__str(unsigned int op);
int p4x_filter_logical__prec(unsigned int op);
const char *p4x_filter_cmd__str(unsigned int cmd);

#endif /* P4X_P4TC_FILTER_PRIV_H */
