/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * STF (p4c's Simple Test Framework) files and the runner that plays them
 * against a P4TC program directory on the engine.
 *
 * Theory of operation. p4x_stf__parse() reads a file the way p4c's
 * stf_parser does (docs: shared reference p4tc-generated-c-surface.md 6),
 * with one tolerance: action arguments may be separated by spaces only
 * (routing_default.stf omits a comma). p4x_stf__run() then
 *  1. runs the program's P.template on a fresh P4TC model (as
 *     `TC=p4xsk bash P.template` does), with P.json as introspection;
 *  2. builds one runtime table per table of the sealed pipeline
 *     (p4x_p4pipe__table_new), builds the program object (or takes
 *     opts->so_path) and loads it bound to those tables;
 *  3. turns every `add` into the `tc p4ctrl create` words p4c's CI emits
 *     (keys and params typed by position from P.json: dev -> the name of
 *     STF port N, macaddr/ipv4/ipv6 from int(v, 16), others verbatim) and
 *     writes it into its table;
 *  4. runs an engine whose ports are STF ports 0..N: memory ports (ifindex
 *     of port N is N + 1), or with opts->veth AF_XDP ports on veth pairs in
 *     two network namespaces it creates (frames injected and captured with
 *     AF_PACKET on the peers);
 *  5. injects each `packet` in file order, waits until the engine has
 *     accounted for it, and collects what each port transmitted;
 *  6. compares, per port and in order, the captured frames with the
 *     `expect` lines (`*` nibbles match anything, a longer frame matches
 *     unless the line ends in `$`) and reports missing, extra and
 *     mismatched frames with a byte diff.
 * Native semantics (6.6): a `packet` is an input only. A file without any
 * `expect` (ipip_decap) pairs its `packet` lines: the second of each pair
 * is the expected output of the first, on its own port.
 */
#ifndef P4X_STF_H
#define P4X_STF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common.h"

#define P4X_STF_NAME_MAX 128 /* table, action, key and param names */
#define P4X_STF_VALUE_MAX 80 /* one key or param value, as written */
#define P4X_STF_MAX_ARGS 32  /* keys or params of one add */
#define P4X_STF_MAX_PORTS 8  /* STF ports 0..7 */
#define P4X_STF_PKT_MAX 9000 /* bytes of one packet or expect line */

#define P4X_STF_KINDS(X)            \
	X(PACKET, "packet")         \
	X(EXPECT, "expect")         \
	X(ADD, "add")               \
	X(SETDEFAULT, "setdefault") \
	X(REMOVE, "remove")         \
	X(WAIT, "wait")

enum p4x_stf_kind {
#define P4X_STF_KIND_ENUM(e, word) P4X_STF_##e,
	P4X_STF_KINDS(P4X_STF_KIND_ENUM)
#undef P4X_STF_KIND_ENUM
		P4X_STF__COUNT
};

/* "name:value" of an add's key or action argument, as written. */
struct p4x_stf_arg {
	char name[P4X_STF_NAME_MAX];
	char value[P4X_STF_VALUE_MAX];
};

/* One statement. Pointers are owned by the parsed file. */
struct p4x_stf_stmt {
	enum p4x_stf_kind kind;
	unsigned int line;
	/* packet, expect */
	unsigned int port;
	uint8_t *bytes; /* len bytes */
	uint8_t *mask;	/* expect: per-byte care mask (0xf0/0x0f/0xff/0) */
	size_t len;
	bool exact; /* expect ... $ */
	/* add, setdefault */
	char table[P4X_STF_NAME_MAX];
	uint32_t prio; /* parsed, ignored (as p4c's runner) */
	unsigned int nkeys;
	struct p4x_stf_arg keys[P4X_STF_MAX_ARGS];
	char action[P4X_STF_NAME_MAX];
	unsigned int nparams;
	struct p4x_stf_arg params[P4X_STF_MAX_ARGS];
};

struct p4x_stf;

/*
 * Parse STF text @text (@name for messages). NULL with errno EINVAL and
 * "<name>:<line>: <why>" in @err on the first error (ENOMEM otherwise).
 * The caller owns the result.
 */
struct p4x_stf *p4x_stf__parse(const char *text, const char *name, char *err,
			       size_t errsz);
/* Read and parse file @path (errno ENOENT...: "<path>: <why>"). */
struct p4x_stf *p4x_stf__parse_file(const char *path, char *err, size_t errsz);
void p4x_stf__free(struct p4x_stf *stf);

unsigned int p4x_stf__count(const struct p4x_stf *stf);
/* Statement @i (< count), owned by @stf. */
const struct p4x_stf_stmt *p4x_stf__stmt(const struct p4x_stf *stf,
					 unsigned int i);

/* Result of comparing one captured frame with an expectation. */
bool p4x_stf_stmt__matches(const struct p4x_stf_stmt *expect,
			   const uint8_t *frame, size_t len);

struct p4x_stf_run_opts {
	size_t sz;	     /* sizeof(struct p4x_stf_run_opts) */
	const char *so_path; /* prebuilt program object; NULL: build one */
	bool veth;	     /* AF_XDP on veth pairs instead of memory ports */
	/* veth: prefix of the namespaces and interfaces; NULL: "p4xs-" */
	const char *prefix;
	FILE *out;    /* report; NULL: stdout */
	bool verbose; /* also list every matched frame */
};

/* What a run found. */
struct p4x_stf_result {
	unsigned int injected;
	unsigned int expected;
	unsigned int matched;
	unsigned int mismatched;
	unsigned int missing;
	unsigned int extra;
};

/*
 * Run STF file @stf_path against program directory @dir (P.template,
 * P.json, P_parser.[ch], P_control_blocks.c). The report goes to
 * opts->out. 0 when the test ran (@res says whether it passed: no
 * mismatched, missing or extra frame), or -errno when it could not run,
 * with the reason in @err (bad file, a program that does not build or
 * load, an add the table refuses, namespaces or AF_XDP ports that cannot
 * be made). Creates and removes everything it uses (namespaces too, also
 * on failure; not when the process is killed).
 */
int p4x_stf__run(const char *dir, const char *stf_path,
		 const struct p4x_stf_run_opts *opts,
		 struct p4x_stf_result *res, char *err, size_t errsz);

#endif /* P4X_STF_H */
