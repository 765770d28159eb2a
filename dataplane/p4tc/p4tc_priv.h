/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals shared by the files of dataplane/p4tc. */
#ifndef P4X_P4TC_PRIV_H
#define P4X_P4TC_PRIV_H

#include <limits.h>

#include "p4x/p4tc.h"

struct p4x_p4tc_pipeline {
	char name[P4X_P4TC_NAMSZ];
	uint32_t id;
	uint32_t numtables;
	bool sealed;
	uint32_t nacts, ntables, ninsts;
	/* each array sorted by id */
	struct p4x_p4tc_action_def *acts[P4X_P4TC_MAX_ACTIONS];
	struct p4x_p4tc_table_def *tables[P4X_P4TC_MAX_TABLES];
	struct p4x_p4tc_extern_inst_def *insts[P4X_P4TC_MAX_EXTERNS];
	/* the pipeline's introspection file, read at first table create */
	bool intro_tried;
	struct p4x_p4tc *intro;
};

struct p4x_p4tc {
	char introdir[PATH_MAX];
	struct p4x_p4tc_dev_ops dev;
	uint32_t npipes, nexts;
	struct p4x_p4tc_pipeline *pipes[P4X_P4TC_MAX_PIPELINES]; /* by id */
	struct p4x_p4tc_extern_def *exts[P4X_P4TC_MAX_EXTERNS];
};

/* Names of the pipelines and externs, to undo a failed file load. */
struct p4x_p4tc_snapshot {
	char pipes[P4X_P4TC_MAX_PIPELINES][P4X_P4TC_NAMSZ];
	char exts[P4X_P4TC_MAX_EXTERNS][P4X_P4TC_NAMSZ];
	uint32_t npipes, nexts;
};
void p4x_p4tc_snapshot_take(const struct p4x_p4tc *m,
			    struct p4x_p4tc_snapshot *sn);
/* Delete the pipelines and externs created since @sn was taken. */
void p4x_p4tc_snapshot_restore(struct p4x_p4tc *m,
			       const struct p4x_p4tc_snapshot *sn);

/* snprintf into @err (if non-NULL) and return @ret. */
int p4x_p4tc_errf(char *err, size_t errsz, int ret, const char *fmt, ...)
	__p4x_printf(4, 5);

/*
 * Split "<pipeline>/<rest>" into the pipeline (looked up, must exist) and
 * rest (must be "a/b" with both parts non-empty, < P4X_P4TC_PATHSZ).
 */
int p4x_p4tc_split_path(const struct p4x_p4tc *m, const char *path,
			struct p4x_p4tc_pipeline **p, const char **rest,
			char *err, size_t errsz);

/*
 * Fill @av for the action @spec names in @p (relative names in the
 * control of table @t, may be NULL). @partial allows params without a
 * value (introspection default actions).
 */
int p4x_p4tc_act_value_build(const struct p4x_p4tc *m,
			     const struct p4x_p4tc_pipeline *p,
			     const struct p4x_p4tc_table_def *t,
			     const struct p4x_p4tc_act_spec *spec, bool partial,
			     struct p4x_p4tc_act_value *av, char *err,
			     size_t errsz);

/* Read "$dir/<name>.json" into a new model (NULL, -ENOENT if absent). */
int p4x_p4tc_intro_load(const struct p4x_p4tc *m, const char *name,
			struct p4x_p4tc **intro, char *err, size_t errsz);

/* "get" output, text or JSON (print.c). */
void p4x_p4tc_action__print(const struct p4x_p4tc_action_def *a, bool json,
			    FILE *out);
void p4x_p4tc_table__print(const struct p4x_p4tc_table_def *t,
			   const struct p4x_p4tc_pipeline *p,
			   const struct p4x_p4tc *m, bool json, FILE *out);
void p4x_p4tc_extern__print(const struct p4x_p4tc_extern_def *e, bool json,
			    FILE *out);
void p4x_p4tc_extern_inst__print(const struct p4x_p4tc_extern_inst_def *e,
				 bool json, FILE *out);

/* Parse a non-negative number (decimal or 0x), all of @s, <= @max. */
int p4x_p4tc_parse_u64(const char *s, uint64_t max, uint64_t *out);

#endif /* P4X_P4TC_PRIV_H */
