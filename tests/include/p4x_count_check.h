/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Minimal counting checks for unit tests: each CHECK counts as one pass
 * or one failure (printed with file:line); check_done() prints
 * "N passed, N failed" and gives the exit status.
 */
#ifndef P4X_TEST_COUNT_CHECK_H
#define P4X_TEST_COUNT_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond, ...)                                              \
	do {                                                          \
		if (cond) {                                           \
			check_passed++;                               \
		} else {                                              \
			check_failed++;                               \
			fprintf(stderr, "%s:%d: FAIL %s: ", __FILE__, \
				__LINE__, #cond);                     \
			fprintf(stderr, __VA_ARGS__);                 \
			fputc('\n', stderr);                          \
		}                                                     \
	} while (0)

#define CHECK_STR(got, want) \
	CHECK(!strcmp((got), (want)), "got \"%s\", want \"%s\"", (got), (want))

#define CHECK_INT(got, want)                                                \
	CHECK((long long)(got) == (long long)(want), "got %lld, want %lld", \
	      (long long)(got), (long long)(want))

static inline int check_done(void)
{
	printf("%d passed, %d failed\n", check_passed, check_failed);
	return check_failed ? 1 : 0;
}

#endif /* P4X_TEST_COUNT_CHECK_H */
