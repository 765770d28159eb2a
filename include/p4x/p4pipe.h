/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Runtime tables of a sealed P4TC pipeline: the one place that turns a
 * table definition of the model (include/p4x/p4tc.h) into a struct
 * p4x_table (include/p4x/table.h), shared by the daemon and the STF
 * runner.
 */
#ifndef P4X_P4PIPE_H
#define P4X_P4PIPE_H

#include <stddef.h>
#include <stdint.h>

#include "p4tc.h"
#include "table.h"

/* Key size (bits) the runtime table of @def uses: the blob of its key
 * fields when known, else the template's keysz. */
uint32_t p4x_p4pipe__keysz(const struct p4x_p4tc_table_def *def);

/*
 * A new runtime table for @def: kind, key size, tentries, nummasks,
 * permissions, timer profile 0 from the table's aging, default hit and
 * miss actions, and the template's const entries (one transaction).
 * NULL with errno and "table <name>: cannot build: <why>" in @err. The
 * caller owns the table (p4x_table__destroy).
 */
struct p4x_table *p4x_p4pipe__table_new(const struct p4x_p4tc_table_def *def,
					char *err, size_t errsz);

/*
 * The pipeline name of program directory @dir: the stem of its one
 * *.template, into @name (@sz bytes). 0, or -ENOENT/-EINVAL (none or
 * several) with "<dir>: <why>" in @err.
 */
int p4x_p4pipe__dir_name(const char *dir, char *name, size_t sz, char *err,
			 size_t errsz);

#endif /* P4X_P4PIPE_H */
