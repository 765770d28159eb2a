/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers shared by the table tests. */
#ifndef P4X_TABLE_TEST_H
#define P4X_TABLE_TEST_H

#include <stdio.h>
#include <stdlib.h>

#include <urcu-qsbr.h>

#include "p4x/table.h"

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, \
				__LINE__, #cond);                              \
			fprintf(stderr, __VA_ARGS__);                          \
			fprintf(stderr, "\n");                                 \
			exit(1);                                               \
		}                                                              \
	} while (0)

/* xorshift64*: deterministic per seed. */
static inline uint64_t tt_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

/* Wait until every deferred free ran and the table reclaimed its
 * retired entries (control thread, offline). */
static inline void tt_quiesce(struct p4x_table *t)
{
	for (int i = 0; i < 2; i++) { /* retire, then free */
		rcu_barrier();
		p4x_table__reclaim(t);
	}
	rcu_barrier();
}

#endif /* P4X_TABLE_TEST_H */
