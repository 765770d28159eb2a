// SPDX-License-Identifier: BSD-3-Clause
/* The logging seam: one sink for p4xsk, libbpf and libxdp messages. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "p4x/log.h"

static enum p4x_log_level log_max = P4X_LOG_INFO;
static p4x_log_fn log_sink;
static void *log_sink_arg;

static const char *const level_names[] = {
	[P4X_LOG_WARN] = "warn",
	[P4X_LOG_INFO] = "info",
	[P4X_LOG_DEBUG] = "debug",
};

static void log_emit(enum p4x_log_level level, const char *msg)
{
	size_t len = strlen(msg);

	if (log_sink) {
		log_sink(level, msg, log_sink_arg);
		return;
	}
	/* libbpf messages end with a newline; ours do not. */
	fprintf(stderr, "p4xsk %s: %s%s", level_names[level], msg,
		len && msg[len - 1] == '\n' ? "" : "\n");
}

void p4x_vlog(enum p4x_log_level level, const char *fmt, va_list ap)
{
	char buf[1024];

	if (level > log_max)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	log_emit(level, buf);
}

void p4x_log(enum p4x_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	p4x_vlog(level, fmt, ap);
	va_end(ap);
}

/*
 * Library chatter at info level (ELF sections skipped, fallbacks taken) is
 * shown at debug: p4xsk reports the outcome itself. Warnings stay warnings.
 */
static enum p4x_log_level lib_level(int level)
{
	return level == LIBBPF_WARN ? P4X_LOG_WARN : P4X_LOG_DEBUG;
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	p4x_vlog(lib_level(level), fmt, ap);
	return 0;
}

static int libxdp_print(enum libxdp_print_level level, const char *fmt,
			va_list ap)
{
	p4x_vlog(lib_level(level), fmt, ap);
	return 0;
}

void p4x_log__init(enum p4x_log_level max_level)
{
	log_max = max_level;
	libbpf_set_print(libbpf_print);
	libxdp_set_print(libxdp_print);
}

enum p4x_log_level p4x_log__level(void)
{
	return log_max;
}

void p4x_log__set_sink(p4x_log_fn fn, void *arg)
{
	log_sink = fn;
	log_sink_arg = arg;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

bool p4x_ratelimit__log(struct p4x_ratelimit *rl, enum p4x_log_level level,
			const char *fmt, ...)
{
	uint64_t now = now_ns();
	char buf[1024];
	va_list ap;

	if (rl->last_ns && now - rl->last_ns < 1000000000ull) {
		__atomic_fetch_add(&rl->suppressed, 1, __ATOMIC_RELAXED);
		return false;
	}
	rl->last_ns = now;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (rl->suppressed)
		p4x_log(level, "%s (%lu similar messages suppressed)", buf,
			(unsigned long)__atomic_exchange_n(&rl->suppressed, 0,
							   __ATOMIC_RELAXED));
	else
		p4x_log(level, "%s", buf);
	return true;
}
