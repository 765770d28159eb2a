/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * p4xsk common conventions.
 *
 * Error convention (the only one in the project):
 *  - functions returning int return 0 on success or a negative errno;
 *  - constructors return a pointer, or NULL with errno set;
 *  - burst functions return the number of packets they handled (0..n) and
 *    never an error: what they could not handle stays with the caller;
 *  - functions that cannot fail return void;
 *  - destructors accept NULL.
 * Resources are acquired in order and released in reverse through
 * `goto err_<what>` labels.
 */
#ifndef P4X_COMMON_H
#define P4X_COMMON_H

#include <stddef.h>
#include <stdint.h>

#define P4X_CACHE_LINE 64
#define __p4x_cache_aligned __attribute__((aligned(P4X_CACHE_LINE)))
#define __p4x_unused __attribute__((unused))
#define __p4x_printf(a, b) __attribute__((format(printf, a, b)))

#define p4x_likely(x) __builtin_expect(!!(x), 1)
#define p4x_unlikely(x) __builtin_expect(!!(x), 0)

#define P4X_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define P4X_MIN(a, b) ((a) < (b) ? (a) : (b))
#define P4X_MAX(a, b) ((a) > (b) ? (a) : (b))

/* Packets handled per burst on every hot path (rx, pipeline, tx). */
#define P4X_BURST 64

/* Longest interface name, as the kernel's IFNAMSIZ. */
#define P4X_IFNAMSIZ 16

#endif /* P4X_COMMON_H */
