// SPDX-License-Identifier: BSD-3-Clause
/* The text/JSON printer; JSON documents are built with json-c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "p4x/print.h"

#define PRINT_MAX_DEPTH 16

struct p4x_printer {
	FILE *out;
	bool json;
	bool pretty;
	int err;		  /* first error while building; 0: none */
	struct json_object *root; /* the document; owns everything below */
	unsigned int depth;	  /* open containers */
	struct json_object *stack[PRINT_MAX_DEPTH]; /* borrowed from root */
};

struct p4x_printer *p4x_printer__new(FILE *out,
				     const struct p4x_printer_opts *opts)
{
	struct p4x_printer *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->out = out;
	if (opts) {
		p->json = opts->json;
		p->pretty = opts->pretty;
	}
	return p;
}

bool p4x_printer__json(const struct p4x_printer *p)
{
	return p->json;
}

static void reset(struct p4x_printer *p)
{
	json_object_put(p->root);
	p->root = NULL;
	p->depth = 0;
	p->err = 0;
}

int p4x_printer__flush(struct p4x_printer *p)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;
	int ret = p->err;

	if (!p->json)
		return fflush(p->out) ? -errno : 0;
	if (!ret && (p->depth || !p->root))
		ret = -EINVAL; /* unbalanced, or nothing printed */
	if (!ret) {
		flags |= p->pretty ? JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_SPACED
				   : JSON_C_TO_STRING_PLAIN;
		fprintf(p->out, "%s\n",
			json_object_to_json_string_ext(p->root, flags));
		if (fflush(p->out))
			ret = -errno;
	}
	reset(p);
	return ret;
}

void p4x_printer__free(struct p4x_printer *p)
{
	if (!p)
		return;
	reset(p);
	free(p);
}

static void fail(struct p4x_printer *p, int err)
{
	if (!p->err)
		p->err = err;
}

/*
 * Attach @val (reference taken over) under @key to the innermost open
 * container, or make it the root. Returns whether it was attached.
 */
static bool add(struct p4x_printer *p, const char *key, struct json_object *val)
{
	struct json_object *top;
	int ret;

	if (!val) {
		fail(p, -ENOMEM);
		return false;
	}
	if (p->err)
		goto err_put;
	if (p->depth == 0) {
		if (key || p->root)
			goto err_inval;
		p->root = val;
		return true;
	}
	top = p->stack[p->depth - 1];
	if (json_object_is_type(top, json_type_object) && key)
		ret = json_object_object_add(top, key, val);
	else if (json_object_is_type(top, json_type_array) && !key)
		ret = json_object_array_add(top, val);
	else
		goto err_inval;
	if (ret) /* json-c failed to grow the container */
		fail(p, -ENOMEM);
	return ret == 0;
err_inval:
	fail(p, -EINVAL);
err_put:
	json_object_put(val);
	return false;
}

static void open_container(struct p4x_printer *p, const char *key,
			   struct json_object *obj)
{
	if (p->depth == PRINT_MAX_DEPTH) {
		fail(p, -EINVAL);
		json_object_put(obj);
		return;
	}
	if (add(p, key, obj))
		p->stack[p->depth++] = obj;
}

static void close_container(struct p4x_printer *p, json_type type)
{
	if (!p->json || p->err)
		return;
	if (p->depth == 0 ||
	    !json_object_is_type(p->stack[p->depth - 1], type)) {
		fail(p, -EINVAL);
		return;
	}
	p->depth--;
}

void p4x_printer__open_object(struct p4x_printer *p, const char *key)
{
	if (p->json)
		open_container(p, key, json_object_new_object());
}

void p4x_printer__close_object(struct p4x_printer *p)
{
	close_container(p, json_type_object);
}

void p4x_printer__open_array(struct p4x_printer *p, const char *key)
{
	if (p->json)
		open_container(p, key, json_object_new_array());
}

void p4x_printer__close_array(struct p4x_printer *p)
{
	close_container(p, json_type_array);
}

static bool want_text(const struct p4x_printer *p, enum p4x_print_kind kind)
{
	return !p->json && kind != P4X_PRINT_JSON;
}

static bool want_json(const struct p4x_printer *p, enum p4x_print_kind kind)
{
	return p->json && kind != P4X_PRINT_TEXT;
}

void p4x_printer__string(struct p4x_printer *p, enum p4x_print_kind kind,
			 const char *key, const char *fmt, const char *val)
{
	if (want_text(p, kind))
		fprintf(p->out, fmt, val);
	else if (want_json(p, kind))
		add(p, key, json_object_new_string(val));
}

void p4x_printer__uint(struct p4x_printer *p, enum p4x_print_kind kind,
		       const char *key, const char *fmt, uint64_t val)
{
	if (want_text(p, kind))
		fprintf(p->out, fmt, val);
	else if (want_json(p, kind))
		add(p, key, json_object_new_uint64(val));
}

void p4x_printer__int(struct p4x_printer *p, enum p4x_print_kind kind,
		      const char *key, const char *fmt, int64_t val)
{
	if (want_text(p, kind))
		fprintf(p->out, fmt, val);
	else if (want_json(p, kind))
		add(p, key, json_object_new_int64(val));
}

void p4x_printer__bool(struct p4x_printer *p, enum p4x_print_kind kind,
		       const char *key, const char *fmt, bool val)
{
	if (want_text(p, kind))
		fprintf(p->out, fmt, val ? "true" : "false");
	else if (want_json(p, kind))
		add(p, key, json_object_new_boolean(val));
}

void p4x_printer__mac(struct p4x_printer *p, enum p4x_print_kind kind,
		      const char *key, const char *fmt, const uint8_t mac[6])
{
	char buf[18];

	snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0],
		 mac[1], mac[2], mac[3], mac[4], mac[5]);
	p4x_printer__string(p, kind, key, fmt, buf);
}

void p4x_printer__text(struct p4x_printer *p, const char *text)
{
	if (!p->json)
		fputs(text, p->out);
}
