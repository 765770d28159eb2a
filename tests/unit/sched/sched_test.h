/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers shared by the scheduler unit tests. */
#ifndef P4X_SCHED_TEST_H
#define P4X_SCHED_TEST_H

#include <stdio.h>
#include <stdlib.h>

#include "p4x/sched.h"

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, \
				__LINE__, #cond);                              \
			fprintf(stderr, __VA_ARGS__);                          \
			fputc('\n', stderr);                                   \
			exit(1);                                               \
		}                                                              \
	} while (0)

/* xorshift64*: deterministic traces. */
static inline uint64_t t_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static inline uint32_t t_range(uint64_t *s, uint32_t lo, uint32_t hi)
{
	return lo + (uint32_t)(t_rand(s) % (uint64_t)(hi - lo + 1));
}

/* Release callback target: records every handed-back packet. */
struct t_drops {
	struct p4x_sched_pkt *pkts;
	unsigned int n, cap;
};

static inline void t_release(void *arg, const struct p4x_sched_pkt *pkts,
			     unsigned int n)
{
	struct t_drops *d = arg;

	for (unsigned int i = 0; i < n; i++) {
		CHECK(d->n < d->cap, "drop log full (%u)", d->cap);
		d->pkts[d->n++] = pkts[i];
	}
}

#endif /* P4X_SCHED_TEST_H */
