/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * P4TC object model: the template objects of P4TC (pipelines, actions with
 * typed params, tables, extern kinds and extern instances) as userspace
 * data, with the kernel's naming, id and sealing rules.
 *
 * Theory of operation. A struct p4x_p4tc is one namespace (as one netns in
 * P4TC). Objects are created from `tc p4template` commands (argv, through
 * p4x_p4tc__exec(), or a whole P.template script through
 * p4x_p4tc__load_template()), from a p4c introspection file (P.json,
 * p4x_p4tc__load_json()), or through the typed calls below. A pipeline
 * collects its actions and tables until `state ready` seals it; after
 * that its template is frozen ("pipeline X is sealed"). Key fields are not
 * in the template: they come from the introspection file of the pipeline
 * ($INTROSPECTION/<pipeline>.json), read when the first table of the
 * pipeline is created, as tc does.
 *
 * Definitions (struct p4x_p4tc_*_def) are read-only views owned by the
 * model: a pointer stays valid until that object, its pipeline or the
 * model is deleted, or the object is updated. Every call that can fail
 * returns 0 or -errno and writes a one-line reason ("what, where, why")
 * into the caller's @err buffer; a failed call changes nothing. The model
 * is not thread-safe: the caller serialises calls.
 */
#ifndef P4X_P4TC_H
#define P4X_P4TC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common.h"
#include "p4tc_types.h"

/* Limits (P4TC's, p4tc.md 3). */
#define P4X_P4TC_NAMSZ 32  /* pipeline, param, extern names */
#define P4X_P4TC_PATHSZ 64 /* "cb/table", "cb/action", key names */
#define P4X_P4TC_MAX_PIPELINES 32
#define P4X_P4TC_MAX_TABLES 32	  /* per pipeline */
#define P4X_P4TC_MAX_ACTIONS 128  /* per pipeline */
#define P4X_P4TC_MAX_PARAMS 16	  /* per action or extern instance */
#define P4X_P4TC_MAX_KEYS 32	  /* key fields per table */
#define P4X_P4TC_MAX_KEY_BYTES 64 /* 512 bits */
#define P4X_P4TC_MAX_PARAM_BYTES 124
#define P4X_P4TC_MAX_TABLE_ACTS 32
#define P4X_P4TC_MAX_TENTRIES 0x2000000u
#define P4X_P4TC_MAX_MASKS 1024u
#define P4X_P4TC_DEFAULT_TENTRIES 256u
#define P4X_P4TC_DEFAULT_MASKS 8u
#define P4X_P4TC_MAX_EXTERNS 32
/* C,R,U,D,P,S for the control plane; R,X for the datapath: 0x3da4 */
#define P4X_P4TC_TABLE_DEFAULT_PERMISSIONS 0x3da4u
/* Entries created from the template: prio of exact entries */
#define P4X_P4TC_EXACT_PRIO 64000u

#define P4X_P4TC_TABLE_TYPES(X) \
	X(EXACT, "exact", 1)    \
	X(LPM, "lpm", 2)        \
	X(TERNARY, "ternary", 3)

enum p4x_p4tc_table_type {
#define P4X_P4TC_TT_ENUM(e, name, v) P4X_P4TC_TABLE_##e = v,
	P4X_P4TC_TABLE_TYPES(P4X_P4TC_TT_ENUM)
#undef P4X_P4TC_TT_ENUM
};

/* Key field match kinds (introspection "match_type"). */
#define P4X_P4TC_MATCH_KINDS(X) \
	X(EXACT, "exact")       \
	X(LPM, "lpm")           \
	X(TERNARY, "ternary")   \
	X(RANGE, "range")       \
	X(OPTIONAL, "optional")

enum p4x_p4tc_match {
#define P4X_P4TC_MATCH_ENUM(e, name) P4X_P4TC_MATCH_##e,
	P4X_P4TC_MATCH_KINDS(P4X_P4TC_MATCH_ENUM)
#undef P4X_P4TC_MATCH_ENUM
};

const char *p4x_p4tc_table_type__name(enum p4x_p4tc_table_type t);
const char *p4x_p4tc_match__name(enum p4x_p4tc_match m);

struct p4x_p4tc_param_def {
	char name[P4X_P4TC_NAMSZ];
	uint32_t id; /* 1-based; declaration order unless given */
	struct p4x_p4tc_type type;
	bool runtime;	 /* "flags runtime" */
	uint16_t offset; /* byte offset in the action's param blob */
};

struct p4x_p4tc_action_def {
	char name[P4X_P4TC_PATHSZ]; /* "cb/act", without the pipeline */
	uint32_t id;		    /* actid */
	bool active;		    /* "state active" */
	uint32_t num_prealloc;
	uint32_t nparams;
	struct p4x_p4tc_param_def params[P4X_P4TC_MAX_PARAMS];
	uint16_t params_bytes; /* size of the packed param blob */
};

struct p4x_p4tc_key_def {
	char name[P4X_P4TC_PATHSZ]; /* as in the JSON: "hdr.ipv4.dstAddr" */
	uint32_t id;		    /* 1-based position in the key */
	struct p4x_p4tc_type type;
	enum p4x_p4tc_match match;
	uint16_t offset; /* byte offset in the key blob */
};

/* An action with its param values: a default action or an entry's. */
struct p4x_p4tc_act_value {
	uint32_t act_id; /* 0 = NoAction */
	uint16_t permissions;
	bool has_permissions;
	uint32_t set_mask;     /* bit i-1: param id i has a value */
	uint32_t runtime_mask; /* bit i-1: "param <n> flags runtime" */
	uint16_t params_bytes;
	uint8_t params[P4X_P4TC_MAX_PARAM_BYTES]; /* packed, 0 if unset */
};

/* table_acts flags (P4TC_TABLE_ACTS_*) */
enum {
	P4X_P4TC_ACT_DEFAULT_ONLY = 1u << 0,
	P4X_P4TC_ACT_TABLE_ONLY = 1u << 1,
};

struct p4x_p4tc_table_act {
	uint32_t act_id; /* 0 = NoAction */
	uint8_t flags;
};

/* A const entry from the template ("create table/... entry ..."). */
struct p4x_p4tc_entry_def {
	uint8_t key[P4X_P4TC_MAX_KEY_BYTES];
	uint8_t mask[P4X_P4TC_MAX_KEY_BYTES];
	uint32_t prio;
	uint16_t permissions;
	bool has_permissions;
	bool has_action;
	struct p4x_p4tc_act_value act;
};

struct p4x_p4tc_table_def {
	char name[P4X_P4TC_PATHSZ]; /* "cb/table" */
	uint32_t id;		    /* tblid */
	enum p4x_p4tc_table_type type;
	uint32_t keysz; /* bits, as the template says */
	uint16_t permissions;
	uint32_t tentries;
	uint32_t nummasks;
	uint64_t aging_ms;
	uint32_t num_timer_profiles;
	char direct_counter[P4X_P4TC_PATHSZ]; /* "Kind/inst" or "" */
	char direct_meter[P4X_P4TC_PATHSZ];
	uint32_t nacts;
	struct p4x_p4tc_table_act acts[P4X_P4TC_MAX_TABLE_ACTS];
	bool has_default_hit, has_default_miss;
	struct p4x_p4tc_act_value default_hit, default_miss;
	/* key fields, from the introspection file; nkeys 0 = unknown */
	uint32_t nkeys;
	struct p4x_p4tc_key_def keys[P4X_P4TC_MAX_KEYS];
	uint16_t key_bytes; /* blob size: sum of the fields' bytes */
	uint32_t nentries;
	const struct p4x_p4tc_entry_def *entries;
};

struct p4x_p4tc_ext_param_def {
	char name[P4X_P4TC_NAMSZ];
	uint32_t id;
	struct p4x_p4tc_type type;
	bool is_key; /* "tc_key" (JSON attr "tc_key") */
	bool has_value;
	struct p4x_p4tc_value value; /* constructor params */
};

/* extern/root/<Kind>: global, not per pipeline. */
struct p4x_p4tc_extern_def {
	char name[P4X_P4TC_NAMSZ];
	uint32_t id; /* extid */
	uint32_t numinstances;
	uint16_t permissions; /* tc_acl */
	bool has_exec_method;
};

struct p4x_p4tc_extern_inst_def {
	char kind[P4X_P4TC_NAMSZ];
	char name[P4X_P4TC_PATHSZ];
	uint32_t id; /* instid */
	uint32_t numel;
	bool tbl_bindable;
	char inst_type[P4X_P4TC_NAMSZ]; /* JSON "inst_type", may be "" */
	uint32_t nconstr;
	struct p4x_p4tc_ext_param_def constr[P4X_P4TC_MAX_PARAMS];
	uint32_t nparams;
	struct p4x_p4tc_ext_param_def params[P4X_P4TC_MAX_PARAMS];
};

struct p4x_p4tc;
struct p4x_p4tc_pipeline;

struct p4x_p4tc_opts {
	size_t sz; /* sizeof(struct p4x_p4tc_opts) */
	/*
	 * Where <pipeline>.json files are: NULL = $INTROSPECTION, else
	 * /etc/iproute2/introspection (as tc). Copied.
	 */
	const char *introspection_dir;
	/* interface names for dev values; NULL: if_nametoindex(3). Copied. */
	const struct p4x_p4tc_dev_ops *dev;
};

/* A new empty namespace, or NULL with errno. Free with p4x_p4tc__free(). */
struct p4x_p4tc *p4x_p4tc__new(const struct p4x_p4tc_opts *opts);
void p4x_p4tc__free(struct p4x_p4tc *m);

/* --- pipelines ----------------------------------------------------------- */

/*
 * Create pipeline @name with @numtables tables to come. @pipeid 0: the
 * lowest free id from 1.
 */
int p4x_p4tc__pipeline_create(struct p4x_p4tc *m, const char *name,
			      uint32_t pipeid, uint32_t numtables, char *err,
			      size_t errsz);
/*
 * "state ready": seal. Fails unless all numtables tables exist. @numtables
 * non-zero changes numtables first (update before sealing).
 */
int p4x_p4tc__pipeline_update(struct p4x_p4tc *m, const char *name,
			      uint32_t numtables, bool seal, char *err,
			      size_t errsz);
/* Delete a pipeline and everything in it (allowed when sealed). */
int p4x_p4tc__pipeline_delete(struct p4x_p4tc *m, const char *name, char *err,
			      size_t errsz);
/* NULL when absent. Owned by @m. */
struct p4x_p4tc_pipeline *p4x_p4tc__pipeline_get(const struct p4x_p4tc *m,
						 const char *name);
struct p4x_p4tc_pipeline *p4x_p4tc__pipeline_by_id(const struct p4x_p4tc *m,
						   uint32_t id);
/* Pipelines in id order: index 0..count-1; NULL past the end. */
struct p4x_p4tc_pipeline *p4x_p4tc__pipeline_at(const struct p4x_p4tc *m,
						unsigned int i);

const char *p4x_p4tc_pipeline__name(const struct p4x_p4tc_pipeline *p);
uint32_t p4x_p4tc_pipeline__id(const struct p4x_p4tc_pipeline *p);
uint32_t p4x_p4tc_pipeline__numtables(const struct p4x_p4tc_pipeline *p);
bool p4x_p4tc_pipeline__sealed(const struct p4x_p4tc_pipeline *p);

/* Objects of a pipeline by name ("cb/x"), id, or index (id order). */
const struct p4x_p4tc_action_def *
p4x_p4tc_pipeline__action(const struct p4x_p4tc_pipeline *p, const char *name);
const struct p4x_p4tc_action_def *
p4x_p4tc_pipeline__action_by_id(const struct p4x_p4tc_pipeline *p, uint32_t id);
const struct p4x_p4tc_action_def *
p4x_p4tc_pipeline__action_at(const struct p4x_p4tc_pipeline *p, unsigned int i);
const struct p4x_p4tc_table_def *
p4x_p4tc_pipeline__table(const struct p4x_p4tc_pipeline *p, const char *name);
const struct p4x_p4tc_table_def *
p4x_p4tc_pipeline__table_by_id(const struct p4x_p4tc_pipeline *p, uint32_t id);
const struct p4x_p4tc_table_def *
p4x_p4tc_pipeline__table_at(const struct p4x_p4tc_pipeline *p, unsigned int i);
const struct p4x_p4tc_extern_inst_def *
p4x_p4tc_pipeline__extern_inst(const struct p4x_p4tc_pipeline *p,
			       const char *kind, const char *name);
const struct p4x_p4tc_extern_inst_def *
p4x_p4tc_pipeline__extern_inst_at(const struct p4x_p4tc_pipeline *p,
				  unsigned int i);

/* --- actions ------------------------------------------------------------- */

/* One "param <name> type <T> [id N] [flags runtime]". */
struct p4x_p4tc_param_spec {
	const char *name;
	const char *type; /* "bit32", "macaddr"... */
	uint32_t id;	  /* 0: next in declaration order */
	bool runtime;
};

struct p4x_p4tc_action_spec {
	size_t sz;
	uint32_t actid; /* 0: lowest free */
	uint32_t num_prealloc;
	uint32_t nparams;
	const struct p4x_p4tc_param_spec *params;
};

/* @path is "<pipeline>/<cb>/<act>". */
int p4x_p4tc__action_create(struct p4x_p4tc *m, const char *path,
			    const struct p4x_p4tc_action_spec *spec, char *err,
			    size_t errsz);
/*
 * @state: 1 active, 0 inactive, -1 unchanged. @spec may be NULL; its
 * params, when nparams > 0, replace the action's params.
 */
int p4x_p4tc__action_update(struct p4x_p4tc *m, const char *path, int state,
			    const struct p4x_p4tc_action_spec *spec, char *err,
			    size_t errsz);
/* -EBUSY while a table lists it. */
int p4x_p4tc__action_delete(struct p4x_p4tc *m, const char *path, char *err,
			    size_t errsz);
const struct p4x_p4tc_action_def *p4x_p4tc__action_get(const struct p4x_p4tc *m,
						       const char *path);

/* --- tables ------------------------------------------------------------- */

/* One "param <n> <value>" or "param <n> flags runtime" of an action. */
struct p4x_p4tc_param_value {
	const char *name;
	const char *value; /* NULL: runtime */
};

struct p4x_p4tc_act_spec {
	const char *action; /* "P/cb/act", "cb/act" or "NoAction" */
	uint32_t nparams;
	const struct p4x_p4tc_param_value *params;
	bool has_permissions;
	uint16_t permissions;
};

struct p4x_p4tc_table_act_spec {
	const char *action; /* "P/cb/act" or "NoAction" */
	uint8_t flags;	    /* P4X_P4TC_ACT_* */
};

/* What a table spec sets (update: only these change). */
enum {
	P4X_P4TC_TS_TBLID = 1u << 0,
	P4X_P4TC_TS_TYPE = 1u << 1,
	P4X_P4TC_TS_KEYSZ = 1u << 2,
	P4X_P4TC_TS_PERMISSIONS = 1u << 3,
	P4X_P4TC_TS_TENTRIES = 1u << 4,
	P4X_P4TC_TS_NUMMASKS = 1u << 5,
	P4X_P4TC_TS_AGING = 1u << 6,
	P4X_P4TC_TS_TIMER_PROFILES = 1u << 7,
	P4X_P4TC_TS_DIRECT_COUNTER = 1u << 8,
	P4X_P4TC_TS_DIRECT_METER = 1u << 9,
	P4X_P4TC_TS_ACTS = 1u << 10,
	P4X_P4TC_TS_DEFAULT_HIT = 1u << 11,
	P4X_P4TC_TS_DEFAULT_MISS = 1u << 12,
};

struct p4x_p4tc_table_spec {
	size_t sz;
	uint32_t set; /* P4X_P4TC_TS_*; create requires TYPE and KEYSZ */
	uint32_t tblid;
	enum p4x_p4tc_table_type type;
	uint32_t keysz;
	uint16_t permissions;
	uint32_t tentries;
	uint32_t nummasks;
	uint64_t aging_ms;
	uint32_t num_timer_profiles;
	const char *direct_counter;
	const char *direct_meter;
	uint32_t nacts;
	const struct p4x_p4tc_table_act_spec *acts;
	struct p4x_p4tc_act_spec default_hit, default_miss;
};

/* @path is "<pipeline>/<cb>/<table>". */
int p4x_p4tc__table_create(struct p4x_p4tc *m, const char *path,
			   const struct p4x_p4tc_table_spec *spec, char *err,
			   size_t errsz);
int p4x_p4tc__table_update(struct p4x_p4tc *m, const char *path,
			   const struct p4x_p4tc_table_spec *spec, char *err,
			   size_t errsz);
int p4x_p4tc__table_delete(struct p4x_p4tc *m, const char *path, char *err,
			   size_t errsz);
const struct p4x_p4tc_table_def *p4x_p4tc__table_get(const struct p4x_p4tc *m,
						     const char *path);

/* One key field value of an entry, by JSON key name. */
struct p4x_p4tc_key_value {
	const char *name;
	const char *value;
};

struct p4x_p4tc_entry_spec {
	size_t sz;
	uint32_t nkeys; /* every key field, in key order */
	const struct p4x_p4tc_key_value *keys;
	uint32_t prio; /* 0: exact 64000; else lowest free from 1 */
	bool has_permissions;
	uint16_t permissions;
	bool has_action;
	struct p4x_p4tc_act_spec action;
};

/*
 * Parse and pack an entry for table @path into @out without storing it
 * (for runtime `p4ctrl` entries; works on sealed pipelines): key and mask
 * blobs, action with packed params, permissions. prio is 64000 for exact
 * tables, else @spec->prio as given (0: the caller allocates). Checks
 * the key fields (names, order, values, masks for the table type) and
 * that the action is in table_acts and not defaultonly.
 */
int p4x_p4tc__entry_build(const struct p4x_p4tc *m, const char *path,
			  const struct p4x_p4tc_entry_spec *spec,
			  struct p4x_p4tc_entry_def *out, char *err,
			  size_t errsz);

/*
 * Store a const entry (template `create table/... entry`): as
 * p4x_p4tc__entry_build(), and before sealing only; prio 0 = lowest free
 * from 1; refuses duplicates, a mask beyond nummasks, more than tentries.
 */
int p4x_p4tc__table_entry_create(struct p4x_p4tc *m, const char *path,
				 const struct p4x_p4tc_entry_spec *spec,
				 char *err, size_t errsz);

/*
 * Attach key fields to a table (what the introspection file gives),
 * replacing any; allowed after sealing (key fields are not part of the
 * kernel template), not once the table has entries. Fails if their bits
 * do not add up to the table's keysz.
 */
int p4x_p4tc__table_set_keys(struct p4x_p4tc *m, const char *path,
			     const struct p4x_p4tc_key_def *keys,
			     uint32_t nkeys, char *err, size_t errsz);

/* --- externs ------------------------------------------------------------- */

int p4x_p4tc__extern_create(struct p4x_p4tc *m,
			    const struct p4x_p4tc_extern_def *def, char *err,
			    size_t errsz);
/* -EBUSY while instances of it exist. */
int p4x_p4tc__extern_delete(struct p4x_p4tc *m, const char *kind, char *err,
			    size_t errsz);
const struct p4x_p4tc_extern_def *p4x_p4tc__extern_get(const struct p4x_p4tc *m,
						       const char *kind);
const struct p4x_p4tc_extern_def *p4x_p4tc__extern_at(const struct p4x_p4tc *m,
						      unsigned int i);

/*
 * Instance "<pipeline>/<Kind>/<inst>". @def->kind and ->name are taken
 * from @path; id 0 = lowest free. Param values already parsed.
 */
int p4x_p4tc__extern_inst_create(struct p4x_p4tc *m, const char *path,
				 const struct p4x_p4tc_extern_inst_def *def,
				 char *err, size_t errsz);
int p4x_p4tc__extern_inst_delete(struct p4x_p4tc *m, const char *path,
				 char *err, size_t errsz);
const struct p4x_p4tc_extern_inst_def *
p4x_p4tc__extern_inst_get(const struct p4x_p4tc *m, const char *path);

/* --- commands and files -------------------------------------------------- */

/*
 * Execute one `tc p4template` command: @argv is what follows "p4template"
 * ("create", "table/P/cb/t", "tblid", "1", ...); a leading "-j" (JSON
 * output, as `tc -j`) and then a leading "p4template" are skipped. "get"
 * prints the object to @out (may be NULL), as p4x_p4tc_pipeline__print().
 */
int p4x_p4tc__exec(struct p4x_p4tc *m, int argc, char *const *argv, FILE *out,
		   char *err, size_t errsz);

/*
 * Load a P.template script: parse (not run) its `$TC p4template ...`
 * lines, with continuations and comments; the shebang, `set ...` and
 * `: ...` lines are tolerated, anything else is an error. Errors read
 * "<file>:<line>: <reason>". On error, pipelines and externs the script
 * created are deleted again.
 */
int p4x_p4tc__load_template(struct p4x_p4tc *m, const char *path, char *err,
			    size_t errsz);

/*
 * Build a pipeline from an introspection file alone: actions, tables with
 * key fields (type from match kinds: all exact -> exact, lpm without
 * ternary/range/optional -> lpm, else ternary), default actions without
 * params, externs. The pipeline is left unsealed.
 */
int p4x_p4tc__load_json(struct p4x_p4tc *m, const char *path, char *err,
			size_t errsz);

/*
 * Use the introspection file @path (for a pipeline that exists in @m)
 * instead of <introspection dir>/<pipeline>.json: the key fields of its
 * tables go to the same-named tables without entries whose keysz they
 * match. For a daemon whose client has INTROSPECTION set, not the daemon.
 */
int p4x_p4tc__set_introspection(struct p4x_p4tc *m, const char *path, char *err,
				size_t errsz);

/*
 * Print a pipeline and everything in it: pretty JSON when @json, else the
 * same data as text lines (an object's scalars on one line, its lists
 * indented below).
 */
void p4x_p4tc_pipeline__print(const struct p4x_p4tc_pipeline *p,
			      const struct p4x_p4tc *m, bool json, FILE *out);

/* --- cross-check --------------------------------------------------------- */

struct p4x_p4tc_disagreement {
	const char *object; /* "table ingress/nh_table", "action Main/drop" */
	const char *field;  /* "permissions", "param 2 type" */
	const char *tmpl;   /* the template's value, "(absent)" if none */
	const char *json;   /* the introspection file's value */
	const char *msg;    /* the whole line, with both file names */
};

typedef void (*p4x_p4tc_report_fn)(void *arg,
				   const struct p4x_p4tc_disagreement *d);

/*
 * Compare pipeline @name as loaded from a template (in @tmpl, from file
 * @tmpl_file) with the same pipeline loaded from its introspection file
 * (in @json, from @json_file): names, ids, table types, key sizes, key
 * field types, tentries, masks (lpm/ternary only: exact tables say
 * nummasks 1 in templates and 8 in JSON), permissions, table actions and
 * their flags, default actions, action params, externs. Calls @report
 * (may be NULL) once per disagreement; the strings live only during the
 * call. Returns the number of disagreements, or -ENOENT if either side
 * lacks the pipeline.
 */
int p4x_p4tc__cross_check(const struct p4x_p4tc *tmpl, const char *tmpl_file,
			  const struct p4x_p4tc *json, const char *json_file,
			  const char *name, p4x_p4tc_report_fn report,
			  void *arg);

#endif /* P4X_P4TC_H */
