/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One printer for text and JSON, in the manner of iproute2's
 * print_uint(PRINT_ANY, key, fmt, val): a `show` command makes one
 * sequence of calls, and the printer either formats each value with @fmt
 * as text, or stores it under @key in a JSON document (built with json-c)
 * that p4x_printer__flush() writes out.
 *
 * Kinds: P4X_PRINT_ANY values go to both forms, P4X_PRINT_TEXT only to
 * text (labels, layout), P4X_PRINT_JSON only to JSON (for example the
 * zero counters that text leaves out).
 *
 * JSON structure follows the open/close calls. @key names a member inside
 * an object and must be NULL inside an array or at the top level.
 */
#ifndef P4X_PRINT_H
#define P4X_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common.h"

enum p4x_print_kind {
	P4X_PRINT_ANY = 0,
	P4X_PRINT_TEXT,
	P4X_PRINT_JSON,
};

struct p4x_printer;

struct p4x_printer_opts {
	size_t sz;   /* sizeof(struct p4x_printer_opts) */
	bool json;   /* JSON instead of text */
	bool pretty; /* indented JSON */
};

/* Print to @out (the caller keeps it open). NULL with errno on failure. */
struct p4x_printer *p4x_printer__new(FILE *out,
				     const struct p4x_printer_opts *opts);
/* Free; a JSON document not flushed is discarded. NULL ok. */
void p4x_printer__free(struct p4x_printer *p);
/*
 * JSON: write the document built so far, followed by a newline, and
 * start a new one; text: fflush. 0, or -errno (-ENOMEM if building the
 * document failed, -EINVAL if open/close calls did not balance).
 */
int p4x_printer__flush(struct p4x_printer *p);
bool p4x_printer__json(const struct p4x_printer *p);

void p4x_printer__open_object(struct p4x_printer *p, const char *key);
void p4x_printer__close_object(struct p4x_printer *p);
void p4x_printer__open_array(struct p4x_printer *p, const char *key);
void p4x_printer__close_array(struct p4x_printer *p);

/* @fmt is a printf format taking exactly the one value. */
void p4x_printer__string(struct p4x_printer *p, enum p4x_print_kind kind,
			 const char *key, const char *fmt, const char *val);
void p4x_printer__uint(struct p4x_printer *p, enum p4x_print_kind kind,
		       const char *key, const char *fmt, uint64_t val);
void p4x_printer__int(struct p4x_printer *p, enum p4x_print_kind kind,
		      const char *key, const char *fmt, int64_t val);
/* Text: @fmt with "true"/"false" unless @fmt has no conversion. */
void p4x_printer__bool(struct p4x_printer *p, enum p4x_print_kind kind,
		       const char *key, const char *fmt, bool val);
/* MAC address as "aa:bb:cc:dd:ee:ff" in both forms. */
void p4x_printer__mac(struct p4x_printer *p, enum p4x_print_kind kind,
		      const char *key, const char *fmt, const uint8_t mac[6]);
/* Text only: literal text (no value). */
void p4x_printer__text(struct p4x_printer *p, const char *text);

#endif /* P4X_PRINT_H */
