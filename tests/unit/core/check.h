/* SPDX-License-Identifier: BSD-3-Clause */
/* Minimal assertions for the core unit tests: report and exit 1. */
#ifndef P4X_TEST_CHECK_H
#define P4X_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond);                              \
			exit(1);                                               \
		}                                                              \
	} while (0)

#define CHECK_EQ(a, b)                                                      \
	do {                                                                \
		long long __a = (long long)(a), __b = (long long)(b);       \
		if (__a != __b) {                                           \
			fprintf(stderr,                                     \
				"%s:%d: %s == %lld, expected %s == %lld\n", \
				__FILE__, __LINE__, #a, __a, #b, __b);      \
			exit(1);                                            \
		}                                                           \
	} while (0)

static inline double check_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

#endif /* P4X_TEST_CHECK_H */
