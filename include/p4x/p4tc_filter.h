/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `tc p4ctrl` filter expressions: compile the words that follow `filter`
 * in `p4ctrl get|delete ... filter EXPR` and in monitor subscriptions
 * against one table of the P4TC model, evaluate the compiled filter
 * against table entries, and print it back as text.
 *
 * Grammar (tc's p4tc_filter_parser precedence, tightest first; see
 * docs/control.md "Filters"):
 *
 *   primary := operand | literal | '(' expr ')' | '!' primary
 *   cmp     := primary [relop primary]        (not chained: a < b < c
 *                                              is an error)
 *   and     := cmp { '&&' cmp }               left-associative
 *   xor     := and { '^^' and }
 *   or      := xor { '||' xor }
 *   relop   := = | == | != | /= | <> | < | <= | > | >=
 *
 * A filter's value must be boolean: a comparison of one operand with one
 * literal (either side), or a logical combination of those. `!` applies to
 * a boolean primary, so write `!(key.dstAddr = @4:10.0.0.1)`.
 *
 * Operands: `key.<field>` (the JSON key field name, e.g. key.dstAddr or
 * key.hdr.ipv4.dstAddr; a unique last component such as key.dstAddr for
 * hdr.ipv4.dstAddr also works), `key.<P>.<cb>.<tbl>.<field>` (v13),
 * `param.act.<cb>.<act>.<param>`, `param.act.<P>.<cb>.<act>.<param>`
 * (v13; the action must be one of the table's actions), `prio`,
 * `msecs_since` (ms since the entry was last used), and `cmd` (create,
 * update or delete; only with P4X_P4TC_FILTER_F_CMD, for subscriptions).
 *
 * Literals are typed by the operand they are compared with: numbers
 * (decimal or 0x), `@4:a.b.c.d[/N]`, `@6:<ipv6>[/N]`,
 * `@MAC:aa:bb:cc:dd:ee:ff` (a nibble may be x: don't care), or any value
 * the operand's type parses (p4x_p4tc_value__parse(): 10.0.0.1, names of
 * interfaces for dev, true/false). Key fields also take `/N` and
 * `/0xMASK`. A literal with a mask (prefix, /0xMASK, x nibbles) only
 * goes with = and != and means "the entry's field lies within": every bit
 * the literal's mask covers is also covered by the entry's mask and has
 * the literal's value.
 *
 * Depth: at most P4X_P4TC_FILTER_DEPTH logical operators (&&, ||, ^^, !)
 * nested above any comparison, as P4TC_FILTER_DEPTH_LIMIT in the kernel.
 *
 * Errors: every failure writes one line, "filter: <what> <where>", into
 * the caller's @err buffer, e.g. "filter: unknown key field dstAdr
 * (fields: dstAddr)", "filter: @4:10.0.0.300 is not an ipv4 address",
 * "filter: expected an operator after key.dstAddr".
 *
 * A compiled filter copies everything it needs from the model (offsets,
 * types, ids, names): it stays valid after the table or the model
 * changes or goes away, and is read-only, so any number of threads may
 * evaluate or print it at once. It does not track later template
 * changes (a monitor subscription keeps the layout it was compiled for).
 */
#ifndef P4X_P4TC_FILTER_H
#define P4X_P4TC_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "p4tc.h"
#include "table.h"

#define P4X_P4TC_FILTER_DEPTH 5 /* P4TC_FILTER_DEPTH_LIMIT */

/* The event an entry is seen in (P4TC_FILTER_OPND_CMD); NONE for dumps. */
enum p4x_p4tc_filter_cmd {
	P4X_P4TC_FILTER_CMD_NONE = 0,
	P4X_P4TC_FILTER_CMD_CREATE,
	P4X_P4TC_FILTER_CMD_UPDATE,
	P4X_P4TC_FILTER_CMD_DELETE,
};

/* Flags of struct p4x_p4tc_filter_opts. */
enum {
	/* allow the `cmd` operand (monitor subscriptions) */
	P4X_P4TC_FILTER_F_CMD = 1u << 0,
};

struct p4x_p4tc_filter_opts {
	size_t sz;	    /* sizeof(struct p4x_p4tc_filter_opts) */
	unsigned int flags; /* P4X_P4TC_FILTER_F_* */
};

struct p4x_p4tc_filter;

/*
 * Compile the expression in @argv[0..@argc) (words joined by spaces, as
 * tc receives them after `filter`) for table @table ("<P>/<cb>/<tbl>") of
 * model @m. @opts may be NULL. dev literals resolve through the model's
 * dev ops now, not at evaluation. Returns a new filter, owned by the
 * caller (p4x_p4tc_filter__free()), or NULL with errno (ENOENT: no such
 * table; EINVAL: bad expression; ENOMEM) and the reason in @err. @m is
 * only read during the call.
 */
struct p4x_p4tc_filter *
p4x_p4tc_filter__parse(const struct p4x_p4tc *m, const char *table, int argc,
		       char *const *argv,
		       const struct p4x_p4tc_filter_opts *opts, char *err,
		       size_t errsz);

/* As p4x_p4tc_filter__parse(), from one string. */
struct p4x_p4tc_filter *p4x_p4tc_filter__parse_str(
	const struct p4x_p4tc *m, const char *table, const char *expr,
	const struct p4x_p4tc_filter_opts *opts, char *err, size_t errsz);

/* NULL ok. */
void p4x_p4tc_filter__free(struct p4x_p4tc_filter *f);

/*
 * What the evaluator sees of an entry. Blobs are laid out as the model
 * packs them (docs/p4tc-types.md); the filter reads them, never keeps
 * them. Fill it with p4x_p4tc_filter_entry__from_info() or by hand.
 */
struct p4x_p4tc_filter_entry {
	const uint8_t *key;  /* key blob (key & mask), keylen bytes */
	const uint8_t *mask; /* mask blob, keylen bytes; NULL: all ones */
	uint32_t keylen;
	uint32_t prio;
	uint32_t act_id;       /* 0: no action */
	const uint8_t *params; /* act_id's packed params, params_len bytes */
	uint16_t params_len;
	uint64_t last_used_ms; /* same clock as now_ms */
	uint64_t now_ms;
	enum p4x_p4tc_filter_cmd cmd;
};

static inline void
p4x_p4tc_filter_entry__from_info(struct p4x_p4tc_filter_entry *e,
				 const struct p4x_table_entry_info *info,
				 uint64_t now_ms, enum p4x_p4tc_filter_cmd cmd)
{
	e->key = info->key;
	e->mask = info->mask;
	e->keylen = info->keylen;
	e->prio = info->prio;
	e->act_id = info->act_id;
	e->params = info->params;
	e->params_len = info->params_len;
	e->last_used_ms = info->last_used_ms;
	e->now_ms = now_ms;
	e->cmd = cmd;
}

/*
 * Does entry @e pass filter @f? NULL @f passes everything. A key field's
 * value is the entry's field & its mask (an lpm entry 10.1.0.0/16 is
 * 10.1.0.0 for = and <). A param operand compares only on entries whose
 * action is that operand's action (any comparison is false on other
 * entries, != included, as P4TC); a key field outside @e->keylen
 * compares false. msecs_since is now_ms - last_used_ms (0 if last use
 * is in the future). No allocation, no lock: safe from any thread.
 */
bool p4x_p4tc_filter__match(const struct p4x_p4tc_filter *f,
			    const struct p4x_p4tc_filter_entry *e);

/*
 * Print @f canonically into @buf: short operand names, literals with
 * their @4:/@6:/@MAC: prefixes, `==` for =, parentheses only where
 * precedence needs them. Compiling the output again gives the same
 * filter. Returns the length snprintf would have written.
 */
int p4x_p4tc_filter__print(const struct p4x_p4tc_filter *f, char *buf,
			   size_t sz);

/* The table it was compiled for: "<P>/<cb>/<tbl>", owned by @f. */
const char *p4x_p4tc_filter__table(const struct p4x_p4tc_filter *f);

/* Whether @f uses the `cmd` operand. */
bool p4x_p4tc_filter__uses_cmd(const struct p4x_p4tc_filter *f);

#endif /* P4X_P4TC_FILTER_H */
