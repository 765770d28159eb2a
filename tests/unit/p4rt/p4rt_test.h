/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Harness for the P4TC runtime tests: a pipeline from an example's
 * template (tables built from its definitions, as the daemon does), its
 * program object loaded with an env over those tables, entries written
 * from tc p4ctrl-style strings, and packets run through the program's
 * engine ops in exactly-sized buffers (so a read past the packet is a
 * heap overflow under ASan).
 */
#ifndef P4X_TEST_P4RT_H
#define P4X_TEST_P4RT_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <urcu-qsbr.h>

#include "p4x/p4rt.h"
#include "p4x/p4tc.h"
#include "p4x/table.h"

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, \
				__LINE__, #cond);                              \
			fprintf(stderr, __VA_ARGS__);                          \
			fputc('\n', stderr);                                   \
			exit(1);                                               \
		}                                                              \
	} while (0)

#define CHECK_EQ(a, b)                                                   \
	do {                                                             \
		long long a_ = (long long)(a), b_ = (long long)(b);      \
		CHECK(a_ == b_, "%s = %lld, expected %lld", #a, a_, b_); \
	} while (0)

#define MAX_TBL 8

struct harness {
	struct p4x_p4tc *m;
	uint32_t pipeid;
	const struct p4x_p4tc_pipeline *pl;
	struct p4x_table *tbl[MAX_TBL + 1]; /* by tblid */
	struct p4x_p4rt *rt;
	struct p4x_prog prog;
	unsigned int added; /* entry_added callbacks */
};

static inline struct p4x_table *h_table(void *arg, uint32_t pipeid,
					uint32_t tblid)
{
	struct harness *h = arg;

	if (pipeid != h->pipeid || tblid > MAX_TBL)
		return NULL;
	return h->tbl[tblid];
}

static inline void h_added(void *arg, struct p4x_table *t,
			   const struct p4x_table_entry *e)
{
	struct harness *h = arg;

	CHECK(e, "entry_added without entry");
	h->added++;
}

static inline int h_params_len(void *arg, uint32_t pipeid, uint32_t act_id)
{
	struct harness *h = arg;
	const struct p4x_p4tc_action_def *a =
		p4x_p4tc_pipeline__action_by_id(h->pl, act_id);

	return a ? a->params_bytes : -1;
}

static inline void h_default(struct p4x_table *t,
			     const struct p4x_p4tc_act_value *v, bool hit)
{
	struct p4x_table_action a = {.act_id = v->act_id,
				     .params_len = v->params_bytes};

	memcpy(a.params, v->params, v->params_bytes);
	CHECK_EQ(hit ? p4x_table__set_default_hit(t, &a)
		     : p4x_table__set_default_miss(t, &a),
		 0);
}

static inline void h_tables(struct harness *h)
{
	const struct p4x_p4tc_table_def *d;
	unsigned int i;

	for (i = 0; (d = p4x_p4tc_pipeline__table_at(h->pl, i)); i++) {
		struct p4x_table_opts o = {.sz = sizeof(o),
					   .tentries = d->tentries,
					   .nummasks = d->nummasks,
					   .permissions = d->permissions};
		enum p4x_table_kind k =
			d->type == P4X_P4TC_TABLE_LPM	    ? P4X_TABLE_LPM
			: d->type == P4X_P4TC_TABLE_TERNARY ? P4X_TABLE_TERNARY
							    : P4X_TABLE_EXACT;

		CHECK(d->id <= MAX_TBL, "tblid %u", d->id);
		h->tbl[d->id] =
			p4x_table__create(d->name, k, d->key_bytes * 8u, &o);
		CHECK(h->tbl[d->id], "table %s: %d", d->name, errno);
		if (d->has_default_miss)
			h_default(h->tbl[d->id], &d->default_miss, false);
		if (d->has_default_hit)
			h_default(h->tbl[d->id], &d->default_hit, true);
	}
}

/*
 * Pipeline @name from <srcdir>/<name>/, program from @so; @ports (may be
 * NULL) gives the env's port callbacks and their arg.
 */
static inline void h_open_env(struct harness *h, const char *srcdir,
			      const char *so, const char *name,
			      const struct p4x_p4rt_opts *opts,
			      const struct p4x_p4rt_env *ports)
{
	struct p4x_p4tc_opts mo = {.sz = sizeof(mo)};
	struct p4x_p4rt_env env = {
		.table = h_table,
		.entry_added = h_added,
		.act_params_len = h_params_len,
		.arg = h,
	};
	struct p4x_p4rt_opts o = {.sz = sizeof(o)};
	char path[1024], dir[512], err[512];

	memset(h, 0, sizeof(*h));
	snprintf(dir, sizeof(dir), "%s/%s", srcdir, name);
	mo.introspection_dir = dir;
	h->m = p4x_p4tc__new(&mo);
	CHECK(h->m, "model: %d", errno);
	snprintf(path, sizeof(path), "%s/%s.template", dir, name);
	CHECK_EQ(p4x_p4tc__load_template(h->m, path, err, sizeof(err)), 0);
	h->pl = p4x_p4tc__pipeline_get(h->m, name);
	CHECK(h->pl && p4x_p4tc_pipeline__sealed(h->pl), "%s not sealed", name);
	h->pipeid = p4x_p4tc_pipeline__id(h->pl);
	h_tables(h);
	if (opts)
		o = *opts;
	o.pipeid = h->pipeid;
	if (ports) {
		env.port_ifindex = ports->port_ifindex;
		env.ifindex_port = ports->ifindex_port;
		env.port_class = ports->port_class;
	}
	h->rt = p4x_p4rt__load(so, &env, &o, err, sizeof(err));
	CHECK(h->rt, "load %s: %s", so, err);
	p4x_p4rt__prog(h->rt, &h->prog);
}

static inline void h_open(struct harness *h, const char *srcdir, const char *so,
			  const char *name, const struct p4x_p4rt_opts *opts)
{
	h_open_env(h, srcdir, so, name, opts, NULL);
}

static inline void h_close(struct harness *h)
{
	unsigned int i;

	h->prog.ops->destroy(h->prog.ctx);
	for (i = 0; i <= MAX_TBL; i++)
		p4x_table__destroy(h->tbl[i]);
	p4x_p4tc__free(h->m);
}

/*
 * Add an entry to table @tbl ("cb/table") of the harness' pipeline:
 * @keys and @params are NULL-terminated name, value, name, value...
 * lists, as tc p4ctrl create takes them.
 */
static inline void h_add(struct harness *h, const char *tbl,
			 const char *const *keys, const char *action,
			 const char *const *params)
{
	struct p4x_p4tc_key_value kv[8];
	struct p4x_p4tc_param_value pv[8];
	struct p4x_p4tc_entry_spec s = {.sz = sizeof(s), .has_action = true};
	struct p4x_p4tc_entry_def e;
	const struct p4x_p4tc_table_def *d;
	struct p4x_table_txn *txn;
	char path[128], err[512];
	unsigned int n;

	for (n = 0; keys[2 * n]; n++)
		kv[n] = (struct p4x_p4tc_key_value){keys[2 * n],
						    keys[2 * n + 1]};
	s.nkeys = n;
	s.keys = kv;
	for (n = 0; params && params[2 * n]; n++)
		pv[n] = (struct p4x_p4tc_param_value){params[2 * n],
						      params[2 * n + 1]};
	s.action = (struct p4x_p4tc_act_spec){
		.action = action, .nparams = n, .params = pv};
	snprintf(path, sizeof(path), "%s/%s", p4x_p4tc_pipeline__name(h->pl),
		 tbl);
	CHECK_EQ(p4x_p4tc__entry_build(h->m, path, &s, &e, err, sizeof(err)),
		 0);
	d = p4x_p4tc_pipeline__table(h->pl, tbl);
	txn = p4x_table__txn_begin(h->tbl[d->id]);
	CHECK(txn, "txn %d", errno);
	CHECK_EQ(p4x_table_txn__add(
			 txn,
			 &(struct p4x_table_entry_spec){
				 .sz = sizeof(struct p4x_table_entry_spec),
				 .key = e.key,
				 .mask = e.mask,
				 .prio = e.prio,
				 .act_id = e.act.act_id,
				 .params = e.act.params,
				 .params_len = e.act.params_bytes,
			 },
			 err, sizeof(err)),
		 0);
	p4x_table_txn__commit(txn);
}

/* The result of one packet. */
struct h_out {
	uint8_t verdict;
	uint8_t drop_reason;
	uint16_t out_port;
	uint32_t len;
	uint8_t data[2048];
};

#define H_HEADROOM 256u

/*
 * Run @len bytes through the program as received on engine port @in_port,
 * in a buffer that holds exactly @room bytes of headroom and the packet.
 */
static inline void h_run_room(struct harness *h, uint16_t in_port,
			      const uint8_t *pkt, uint32_t len, uint32_t room,
			      struct h_out *out)
{
	uint8_t *buf = malloc(room + len + !len);
	struct p4x_pkt p = {
		.addr = room,
		.data = buf + room,
		.len = len,
		.in_port = in_port,
		.verdict = P4X_VERDICT_TX,
		.out_port = UINT16_MAX,
	};

	CHECK(buf, "malloc");
	memcpy(p.data, pkt, len);
	rcu_thread_online();
	if (h->prog.ops->parse(h->prog.ctx, &p) == 0)
		h->prog.ops->main(h->prog.ctx, &p);
	rcu_thread_offline();
	out->verdict = p.verdict;
	out->drop_reason = p.drop_reason;
	out->out_port = p.out_port;
	out->len = p.len;
	CHECK(p.data >= buf && p.data + p.len <= buf + room + len + !len,
	      "packet left its buffer");
	CHECK(p.len <= sizeof(out->data), "len %u", p.len);
	memcpy(out->data, p.data, p.len);
	free(buf);
}

static inline void h_run(struct harness *h, uint16_t in_port,
			 const uint8_t *pkt, uint32_t len, struct h_out *out)
{
	h_run_room(h, in_port, pkt, len, H_HEADROOM, out);
}

/* Hex string (spaces ignored) to bytes; returns the length. */
static inline uint32_t h_hex(const char *s, uint8_t *out)
{
	uint32_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;

		if (*s == ' ')
			continue;
		CHECK(sscanf((char[]){*s, 0}, "%x", &v) == 1, "hex %c", *s);
		if (hi < 0) {
			hi = v;
		} else {
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	CHECK(hi < 0, "odd hex digits");
	return n;
}

#endif /* P4X_TEST_P4RT_H */
