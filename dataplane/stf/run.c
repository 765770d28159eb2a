// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4x_stf__run(): play an STF file against a program directory and
 * compare what came out with what was expected. See include/p4x/stf.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "stf_priv.h"

/* Bytes of a frame per report line. */
#define ROW 32

struct frame {
	uint8_t *data;
	size_t len;
};

/* What one port should and did transmit. */
struct port_log {
	const struct p4x_stf_stmt *want[256];
	unsigned int nwant;
	struct frame got[256];
	unsigned int ngot;
};

struct run {
	struct p4x_stf *stf;
	struct stf_io io;
	struct stf_prog prog;
	struct port_log log[P4X_STF_MAX_PORTS];
	bool pairs; /* no expect line: packet lines pair up (6.6) */
	FILE *out;
	bool verbose;
	struct p4x_stf_result *res;
};

static bool has_expect(const struct p4x_stf *stf)
{
	unsigned int i;

	for (i = 0; i < p4x_stf__count(stf); i++)
		if (p4x_stf__stmt(stf, i)->kind == P4X_STF_EXPECT)
			return true;
	return false;
}

/* STF ports 0..n-1: as CI, at least ports 0 and 1. */
static unsigned int ports_needed(const struct p4x_stf *stf)
{
	const struct p4x_stf_stmt *s;
	unsigned int i, n = 2;

	for (i = 0; i < p4x_stf__count(stf); i++) {
		s = p4x_stf__stmt(stf, i);
		if ((s->kind == P4X_STF_PACKET || s->kind == P4X_STF_EXPECT) &&
		    s->port + 1 > n)
			n = s->port + 1;
	}
	return n;
}

static int want(struct run *r, const struct p4x_stf_stmt *s, char *err,
		size_t errsz)
{
	struct port_log *l = &r->log[s->port];

	if (l->nwant == P4X_ARRAY_SIZE(l->want)) {
		snprintf(err, errsz,
			 "line %u: more than %zu expectations on "
			 "port %u",
			 s->line, P4X_ARRAY_SIZE(l->want), s->port);
		return -E2BIG;
	}
	l->want[l->nwant++] = s;
	r->res->expected++;
	return 0;
}

static int play_one(struct run *r, const struct p4x_stf_stmt *s,
		    unsigned int *npackets, char *err, size_t errsz)
{
	switch (s->kind) {
	case P4X_STF_ADD:
		return stf_prog_add(&r->prog, &r->io, s, err, errsz);
	case P4X_STF_EXPECT:
		return want(r, s, err, errsz);
	case P4X_STF_PACKET:
		if (r->pairs && (*npackets)++ % 2)
			return want(r, s, err, errsz);
		r->res->injected++;
		return stf_io_inject(&r->io, s->port, s->bytes, s->len, err,
				     errsz);
	default:
		/* setdefault, remove, wait: parsed and ignored, as p4c's
		 * P4TC runner does (6.3) */
		fprintf(r->out,
			"  line %u: statement ignored (as p4c's "
			"runner)\n",
			s->line);
		return 0;
	}
}

static int play(struct run *r, char *err, size_t errsz)
{
	unsigned int i, npackets = 0;
	int ret = 0;

	for (i = 0; i < p4x_stf__count(r->stf) && !ret; i++)
		ret = play_one(r, p4x_stf__stmt(r->stf, i), &npackets, err,
			       errsz);
	return ret;
}

static int collect(struct run *r, char *err, size_t errsz)
{
	static uint8_t buf[P4X_STF_PKT_MAX + 1024];
	struct port_log *l;
	unsigned int p;
	int n;

	for (p = 0; p < r->io.nports; p++) {
		l = &r->log[p];
		while ((n = stf_io_capture(&r->io, p, buf, sizeof(buf))) >= 0) {
			if (l->ngot == P4X_ARRAY_SIZE(l->got)) {
				snprintf(err, errsz,
					 "port %u sent more than %zu frames", p,
					 P4X_ARRAY_SIZE(l->got));
				return -E2BIG;
			}
			l->got[l->ngot].data = malloc(n ? (size_t)n : 1);
			if (!l->got[l->ngot].data) {
				snprintf(err, errsz, "out of memory");
				return -ENOMEM;
			}
			memcpy(l->got[l->ngot].data, buf, (size_t)n);
			l->got[l->ngot++].len = (size_t)n;
		}
	}
	return 0;
}

/* --- report -------------------------------------------------------------- */

static void hex_row(FILE *out, const char *label, const uint8_t *b,
		    const uint8_t *mask, size_t from, size_t to)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	fprintf(out, "      %-9s", label);
	for (i = from; i < to; i++) {
		bool hi = !mask || mask[i] & 0xf0, lo = !mask || mask[i] & 0x0f;

		fprintf(out, "%s%c%c", i > from && i % 4 == 0 ? " " : "",
			hi ? digits[b[i] >> 4] : '*',
			lo ? digits[b[i] & 0xf] : '*');
	}
	fputc('\n', out);
}

static void diff_row(FILE *out, const struct p4x_stf_stmt *e,
		     const struct frame *f, size_t from, size_t to)
{
	size_t i;

	fprintf(out, "      %-9s", "");
	for (i = from; i < to; i++) {
		uint8_t x = (i < f->len && i < e->len)
				    ? (uint8_t)((f->data[i] ^ e->bytes[i]) &
						e->mask[i])
				    : 0xff;

		fprintf(out, "%s%c%c", i > from && i % 4 == 0 ? " " : "",
			x & 0xf0 ? '^' : ' ', x & 0x0f ? '^' : ' ');
	}
	fputc('\n', out);
}

/* Expected vs received, ROW bytes per line, ^ under every difference. */
static void byte_diff(FILE *out, const struct p4x_stf_stmt *e,
		      const struct frame *f)
{
	size_t n = P4X_MAX(e->len, f->len), i, end;

	for (i = 0; i < n; i += ROW) {
		end = P4X_MIN(i + ROW, n);
		hex_row(out, "expected", e->bytes, e->mask, i,
			P4X_MIN(end, e->len));
		hex_row(out, "received", f->data, NULL, i,
			P4X_MIN(end, f->len));
		diff_row(out, e, f, i, end);
	}
}

static void compare_one(struct run *r, unsigned int port, unsigned int i)
{
	const struct p4x_stf_stmt *e = r->log[port].want[i];
	const struct frame *f = &r->log[port].got[i];

	if (p4x_stf_stmt__matches(e, f->data, f->len)) {
		r->res->matched++;
		if (r->verbose)
			fprintf(r->out,
				"  ok: port %u frame %u (%zu bytes) "
				"matches line %u\n",
				port, i + 1, f->len, e->line);
		return;
	}
	r->res->mismatched++;
	fprintf(r->out,
		"  MISMATCH: port %u frame %u (%zu bytes) vs line %u (%zu "
		"bytes%s):\n",
		port, i + 1, f->len, e->line, e->len,
		e->exact ? ", exact length" : ", prefix");
	byte_diff(r->out, e, f);
}

static void compare_port(struct run *r, unsigned int port)
{
	struct port_log *l = &r->log[port];
	unsigned int i;

	for (i = 0; i < P4X_MIN(l->nwant, l->ngot); i++)
		compare_one(r, port, i);
	for (; i < l->nwant; i++) {
		r->res->missing++;
		fprintf(r->out, "  MISSING: port %u: nothing for line %u\n",
			port, l->want[i]->line);
		hex_row(r->out, "expected", l->want[i]->bytes, l->want[i]->mask,
			0, P4X_MIN(l->want[i]->len, ROW));
	}
	for (; i < l->ngot; i++) {
		r->res->extra++;
		fprintf(r->out,
			"  EXTRA: port %u frame %u (%zu bytes), not "
			"expected\n",
			port, i + 1, l->got[i].len);
		hex_row(r->out, "received", l->got[i].data, NULL, 0,
			P4X_MIN(l->got[i].len, ROW));
	}
}

static void report(struct run *r, const char *stf_path)
{
	struct p4x_stf_result *s = r->res;
	bool pass;
	unsigned int p;

	for (p = 0; p < r->io.nports; p++)
		compare_port(r, p);
	pass = !s->mismatched && !s->missing && !s->extra;
	fprintf(r->out,
		"%s %s (%s, %s): %u injected, %u expected, %u matched, %u "
		"mismatched, %u missing, %u extra\n",
		pass ? "PASS" : "FAIL", stf_path, r->prog.name,
		r->io.veth ? "AF_XDP on veth" : "memory ports", s->injected,
		s->expected, s->matched, s->mismatched, s->missing, s->extra);
}

/* --- the run ---------------------------------------------------------------
 */

static int setup(struct run *r, const char *dir,
		 const struct p4x_stf_run_opts *o, char *err, size_t errsz)
{
	unsigned int nports = ports_needed(r->stf);
	int ret;

	ret = o->veth ? stf_io_veth_open(&r->io, nports,
					 o->prefix ? o->prefix : "p4xs-", err,
					 errsz)
		      : stf_io_mem_open(&r->io, nports, err, errsz);
	if (!ret)
		ret = stf_prog_open(&r->prog, dir, o->so_path, &r->io, err,
				    errsz);
	if (!ret)
		ret = stf_prog_publish(&r->prog, &r->io);
	if (!ret)
		ret = p4x_engine__start(r->io.engine);
	if (ret && !err[0])
		snprintf(err, errsz, "cannot start the engine: %s",
			 strerror(-ret));
	return ret;
}

static void teardown(struct run *r)
{
	unsigned int p, i;

	stf_io_close(&r->io);
	stf_prog_close(&r->prog);
	for (p = 0; p < P4X_STF_MAX_PORTS; p++)
		for (i = 0; i < r->log[p].ngot; i++)
			free(r->log[p].got[i].data);
	p4x_stf__free(r->stf);
	free(r);
}

int p4x_stf__run(const char *dir, const char *stf_path,
		 const struct p4x_stf_run_opts *opts,
		 struct p4x_stf_result *res, char *err, size_t errsz)
{
	struct p4x_stf_run_opts o = {.sz = sizeof(o)};
	struct run *r = calloc(1, sizeof(*r));
	int ret;

	if (!r)
		return -ENOMEM;
	if (opts)
		memcpy(&o, opts, P4X_MIN(opts->sz, sizeof(o)));
	memset(res, 0, sizeof(*res));
	err[0] = '\0';
	r->res = res;
	r->out = o.out ? o.out : stdout;
	r->verbose = o.verbose;
	r->stf = p4x_stf__parse_file(stf_path, err, errsz);
	if (!r->stf) {
		ret = -errno;
		goto out;
	}
	r->pairs = !has_expect(r->stf);
	if (r->pairs)
		fprintf(r->out,
			"  %s has no expect line: the second packet "
			"line of each pair is the first one's expected output "
			"\n",
			stf_path);
	ret = setup(r, dir, &o, err, errsz);
	if (!ret)
		ret = play(r, err, errsz);
	if (!ret)
		ret = collect(r, err, errsz);
	if (!ret)
		report(r, stf_path);
out:
	teardown(r);
	return ret;
}
