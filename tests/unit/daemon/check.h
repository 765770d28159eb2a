/* SPDX-License-Identifier: BSD-3-Clause */
/* Minimal assertions for the daemon unit tests: report and exit 1. */
#ifndef P4X_TEST_DAEMON_CHECK_H
#define P4X_TEST_DAEMON_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond);                              \
			exit(1);                                               \
		}                                                              \
	} while (0)

#define CHECK_EQ(a, b)                                                        \
	do {                                                                  \
		long long __a = (long long)(a), __b = (long long)(b);         \
		if (__a != __b) {                                             \
			fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n", \
				__FILE__, __LINE__, #a, __a, __b);            \
			exit(1);                                              \
		}                                                             \
	} while (0)

#define CHECK_STR(a, b)                                                     \
	do {                                                                \
		const char *__a = (a), *__b = (b);                          \
		if (strcmp(__a, __b)) {                                     \
			fprintf(stderr,                                     \
				"%s:%d: %s is\n  '%s'\nexpected\n  '%s'\n", \
				__FILE__, __LINE__, #a, __a, __b);          \
			exit(1);                                            \
		}                                                           \
	} while (0)

#endif /* P4X_TEST_DAEMON_CHECK_H */
