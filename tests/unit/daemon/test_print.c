// SPDX-License-Identifier: BSD-3-Clause
/*
 * The printer: one sequence of calls gives the exact text form and a JSON
 * document (parsed back with json-c) with the right keys, types and
 * values; JSON-only and text-only items land in one form only; misuse
 * (unbalanced containers, a key where none belongs) is reported at flush.
 */
#include <errno.h>
#include <inttypes.h>

#include <json-c/json.h>

#include "p4x/print.h"

#include "check.h"

static const uint8_t MAC[6] = {0x02, 0, 0, 0, 0xab, 0x10};

/* What a `show` command does: the same calls for both forms. */
static void emit(struct p4x_printer *p)
{
	p4x_printer__open_object(p, NULL);
	p4x_printer__open_array(p, "ports");
	p4x_printer__open_object(p, NULL);
	p4x_printer__string(p, P4X_PRINT_ANY, "name", "%s:", "dp0");
	p4x_printer__uint(p, P4X_PRINT_ANY, "rx", " rx %" PRIu64,
			  18446744073709551615ull);
	p4x_printer__int(p, P4X_PRINT_ANY, "core", " core %" PRId64, -1);
	p4x_printer__bool(p, P4X_PRINT_ANY, "up", " up %s", true);
	p4x_printer__uint(p, P4X_PRINT_JSON, "zero", " zero %" PRIu64, 0);
	p4x_printer__string(p, P4X_PRINT_TEXT, "ignored", " [%s]", "text");
	p4x_printer__mac(p, P4X_PRINT_ANY, "mac", " mac %s", MAC);
	p4x_printer__text(p, "\n");
	p4x_printer__open_object(p, "drops");
	p4x_printer__uint(p, P4X_PRINT_ANY, "no_route", "  no_route %" PRIu64,
			  3);
	p4x_printer__close_object(p);
	p4x_printer__text(p, "\n");
	p4x_printer__close_object(p);
	p4x_printer__close_array(p);
	p4x_printer__close_object(p);
}

static char *run(bool json, bool pretty, int *ret)
{
	struct p4x_printer_opts o = {
		.sz = sizeof(o), .json = json, .pretty = pretty};
	struct p4x_printer *p;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	CHECK(f);
	p = p4x_printer__new(f, &o);
	CHECK(p);
	CHECK_EQ(p4x_printer__json(p), json);
	emit(p);
	*ret = p4x_printer__flush(p);
	p4x_printer__free(p);
	fclose(f);
	return out;
}

static void test_text(void)
{
	int ret;
	char *out = run(false, false, &ret);

	CHECK_EQ(ret, 0);
	CHECK_STR(out, "dp0: rx 18446744073709551615 core -1 up true [text] "
		       "mac 02:00:00:00:ab:10\n  no_route 3\n");
	free(out);
}

static struct json_object *member(struct json_object *o, const char *key,
				  json_type type)
{
	struct json_object *v = NULL;

	CHECK(json_object_object_get_ex(o, key, &v));
	CHECK_EQ(json_object_get_type(v), type);
	return v;
}

static void check_doc(const char *text)
{
	struct json_object *root = json_tokener_parse(text), *ports, *port;
	struct json_object *drops;

	CHECK(root);
	ports = member(root, "ports", json_type_array);
	CHECK_EQ(json_object_array_length(ports), 1);
	port = json_object_array_get_idx(ports, 0);
	CHECK_EQ(json_object_object_length(port), 7);
	CHECK_STR(
		json_object_get_string(member(port, "name", json_type_string)),
		"dp0");
	CHECK(json_object_get_uint64(member(port, "rx", json_type_int)) ==
	      18446744073709551615ull);
	CHECK_EQ(json_object_get_int64(member(port, "core", json_type_int)),
		 -1);
	CHECK(json_object_get_boolean(member(port, "up", json_type_boolean)));
	CHECK_EQ(json_object_get_int64(member(port, "zero", json_type_int)), 0);
	CHECK_STR(json_object_get_string(member(port, "mac", json_type_string)),
		  "02:00:00:00:ab:10");
	drops = member(port, "drops", json_type_object);
	CHECK_EQ(
		json_object_get_int64(member(drops, "no_route", json_type_int)),
		3);
	json_object_put(root);
}

static void test_json(void)
{
	int ret;
	char *out = run(true, false, &ret);

	CHECK_EQ(ret, 0);
	CHECK(!strchr(out, '\n') || strchr(out, '\n') == out + strlen(out) - 1);
	check_doc(out);
	free(out);
	out = run(true, true, &ret);
	CHECK_EQ(ret, 0);
	CHECK(strchr(out, '\n') < out + strlen(out) - 1); /* indented */
	check_doc(out);
	free(out);
}

static int misuse(void (*fn)(struct p4x_printer *p))
{
	struct p4x_printer_opts o = {.sz = sizeof(o), .json = true};
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct p4x_printer *p = p4x_printer__new(f, &o);
	int ret;

	fn(p);
	ret = p4x_printer__flush(p);
	p4x_printer__free(p);
	fclose(f);
	CHECK_EQ(len, 0); /* nothing written on error */
	free(out);
	return ret;
}

static void unclosed(struct p4x_printer *p)
{
	p4x_printer__open_object(p, NULL);
	p4x_printer__open_array(p, "a");
}

static void mismatched(struct p4x_printer *p)
{
	p4x_printer__open_object(p, NULL);
	p4x_printer__close_array(p);
}

static void key_in_array(struct p4x_printer *p)
{
	p4x_printer__open_array(p, NULL);
	p4x_printer__uint(p, P4X_PRINT_ANY, "k", "%" PRIu64, 1);
	p4x_printer__close_array(p);
}

static void no_key_in_object(struct p4x_printer *p)
{
	p4x_printer__open_object(p, NULL);
	p4x_printer__uint(p, P4X_PRINT_ANY, NULL, "%" PRIu64, 1);
	p4x_printer__close_object(p);
}

static void two_roots(struct p4x_printer *p)
{
	p4x_printer__open_object(p, NULL);
	p4x_printer__close_object(p);
	p4x_printer__open_object(p, NULL);
	p4x_printer__close_object(p);
}

static void nothing(struct p4x_printer *p)
{
}

static void test_misuse(void)
{
	CHECK_EQ(misuse(unclosed), -EINVAL);
	CHECK_EQ(misuse(mismatched), -EINVAL);
	CHECK_EQ(misuse(key_in_array), -EINVAL);
	CHECK_EQ(misuse(no_key_in_object), -EINVAL);
	CHECK_EQ(misuse(two_roots), -EINVAL);
	CHECK_EQ(misuse(nothing), -EINVAL);
}

int main(void)
{
	test_text();
	test_json();
	test_misuse();
	p4x_printer__free(NULL);
	printf("print: all checks passed\n");
	return 0;
}
