/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one logging seam. Levels are libbpf's (enum libbpf_print_level), and
 * p4x_log__init() routes libbpf and libxdp messages here: their warnings as
 * warnings, their info chatter at debug. Never log per packet: count, and use
 * p4x_log_ratelimited() for rare warnings on slow paths.
 */
#ifndef P4X_LOG_H
#define P4X_LOG_H

#include <stdarg.h>
#include <stdbool.h>

#include "common.h"

enum p4x_log_level {
	P4X_LOG_WARN = 0,  /* LIBBPF_WARN */
	P4X_LOG_INFO = 1,  /* LIBBPF_INFO */
	P4X_LOG_DEBUG = 2, /* LIBBPF_DEBUG */
};

typedef void (*p4x_log_fn)(enum p4x_log_level level, const char *msg,
			   void *arg);

/*
 * Route libbpf and libxdp output through p4x_log and set the threshold:
 * messages above @max_level are discarded.
 */
void p4x_log__init(enum p4x_log_level max_level);

/* Current threshold. */
enum p4x_log_level p4x_log__level(void);

/*
 * Replace the sink (default: stderr with a level prefix). @fn NULL restores
 * the default. @arg is passed to @fn unchanged; the caller keeps it alive.
 */
void p4x_log__set_sink(p4x_log_fn fn, void *arg);

void p4x_log(enum p4x_log_level level, const char *fmt, ...) __p4x_printf(2, 3);
void p4x_vlog(enum p4x_log_level level, const char *fmt, va_list ap);

#define p4x_warn(...) p4x_log(P4X_LOG_WARN, __VA_ARGS__)
#define p4x_info(...) p4x_log(P4X_LOG_INFO, __VA_ARGS__)
#define p4x_debug(...) p4x_log(P4X_LOG_DEBUG, __VA_ARGS__)

/*
 * Log at most once per second from this call site; returns whether the
 * message was printed. Suppressed messages are counted and reported with
 * the next one that prints.
 */
#define p4x_log_ratelimited(level, ...)                          \
	({                                                       \
		static struct p4x_ratelimit __rl;                \
		p4x_ratelimit__log(&__rl, (level), __VA_ARGS__); \
	})

struct p4x_ratelimit {
	uint64_t last_ns;
	uint64_t suppressed;
};

bool p4x_ratelimit__log(struct p4x_ratelimit *rl, enum p4x_log_level level,
			const char *fmt, ...) __p4x_printf(3, 4);

#endif /* P4X_LOG_H */
