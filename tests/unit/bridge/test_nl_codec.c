// SPDX-License-Identifier: BSD-3-Clause
/*
 * The P4TC netlink codec on synthetic messages: encoder -> decoder round
 * trips for v17 and series 1 (entries with every field, templates with
 * const entries, filters, dump requests, errors), version detection and
 * contradictions, and malformed input (truncated attributes, unknown
 * attribute types, wrong lengths, unknown versions and objects): each is
 * refused with its reason, one log line, and no output.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/pkt_cls.h>
#include <linux/rtnetlink.h>

#include "p4x/log.h"
#include "p4tc_nl.h"
#include "p4tc_series1.h"
#include "p4tc_v17.h"
#include "p4x_count_check.h"

static char err[512];
static uint8_t buf[16384];
static int warn_lines;

static void count_sink(enum p4x_log_level level, const char *msg, void *arg)
{
	if (level == P4X_LOG_WARN)
		warn_lines++;
}

static char *print_msg(const struct p4x_p4tc_nl_msg *m)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);

	p4x_p4tc_nl_msg__print(m, f);
	fclose(f);
	return s;
}

/* The print without its first two words (kind, the version the decoder
 * saw: "auto" when the message fits every version). */
static const char *skip_version(const char *s)
{
	const char *p = strchr(s, ' ');

	p = p ? strchr(p + 1, ' ') : NULL;
	return p ? p : s;
}

static struct p4x_p4tc_nl *codec(enum p4x_p4tc_nl_version v)
{
	struct p4x_p4tc_nl_opts o = {.sz = sizeof(o), .version = v};
	struct p4x_p4tc_nl *c = p4x_p4tc_nl__new(&o);

	CHECK(c, "codec: %s", strerror(errno));
	return c;
}

/* encode @m as @v, decode with @c; the print of both must agree */
static const struct p4x_p4tc_nl_msg *round_trip(struct p4x_p4tc_nl *c,
						const struct p4x_p4tc_nl_msg *m,
						enum p4x_p4tc_nl_version v,
						const char *what)
{
	const struct p4x_p4tc_nl_msg *back = NULL;
	int len = p4x_p4tc_nl__encode(m, v, buf, sizeof(buf));
	char *a, *b;

	CHECK(len > 0, "%s: encode: %s", what, strerror(-len));
	if (len <= 0)
		return NULL;
	CHECK(!p4x_p4tc_nl__decode(c, (void *)buf, (size_t)len, &back, err,
				   sizeof(err)),
	      "%s: %s", what, err);
	if (!back)
		return NULL;
	a = print_msg(m);
	b = print_msg(back);
	CHECK(!strcmp(skip_version(a), skip_version(b)), "%s:\n%s---\n%s", what,
	      a, b);
	free(a);
	free(b);
	return back;
}

/* --- a full kernel-fill entry -------------------------------------------- */

static struct p4x_p4tc_nl_param params[3], ext_params[1];

static void fill_params(void)
{
	memset(params, 0, sizeof(params));
	strcpy(params[0].name, "dmac");
	params[0].id = 1;
	params[0].type_id = 10;
	params[0].bitsz = 48;
	params[0].len = 8;
	memcpy(params[0].value, "\x00\x11\x22\x33\x44\x55\x00\x00", 8);
	strcpy(params[1].name, "port");
	params[1].id = 2;
	params[1].type_id = 18;
	params[1].bitsz = 32;
	params[1].len = 4;
	params[1].value[0] = 5;
	strcpy(params[2].name, "index");
	params[2].id = 1;
	params[2].type_id = 3;
	params[2].bitsz = 32;
	params[2].len = 4;
	params[2].value[0] = 2;
	memset(ext_params, 0, sizeof(ext_params));
	strcpy(ext_params[0].name, "pkts");
	ext_params[0].id = 2;
	ext_params[0].type_id = 4;
	ext_params[0].bitsz = 64;
	ext_params[0].len = 8;
	ext_params[0].value[0] = 42;
}

#define BIT(f) (1u << P4X_P4TC_NL_F_##f)

static void fill_entry(struct p4x_p4tc_nl_entry *e, bool v17)
{
	memset(e, 0, sizeof(*e));
	e->present = BIT(KEY) | BIT(MASK) | BIT(PRIO) | BIT(ACT) | BIT(TM) |
		     BIT(WHO_CREATED_ENT) | BIT(WHO_UPDATED_ENT) |
		     BIT(PERMISSIONS) | BIT(DYNAMIC) | BIT(TMPL_CREATED) |
		     BIT(AGING) | BIT(PROFILE_ID);
	e->npath = 2;
	e->path[0] = 2;
	e->key_len = 4;
	memcpy(e->key, "\x0a\x00\x00\x00", 4);
	memcpy(e->mask, "\xff\x0f\x00\x00", 4);
	e->prio = 7;
	e->permissions = 0x1da4;
	e->who_ent[0] = e->who_ent[1] = P4TC_ENTITY_TC;
	e->tm_created = 39;
	e->tm_lastused = 14;
	e->dynamic = 1;
	e->aging_ms = 30000;
	e->profile_id = 1;
	strcpy(e->act.kind, "routing/Main/set_nh");
	strcpy(e->act.name, "routing/Main/set_nh");
	e->act.has_opt = true;
	e->act.index = 5;
	e->act.refcnt = e->act.bindcnt = 1;
	e->act.verdict = 3;
	e->act.has_tm = true;
	e->act.tm_install = 62;
	e->act.nparams = 2;
	e->act.params = params;
	if (!v17)
		return;
	e->present |= BIT(WHO_CREATED) | BIT(WHO_CREATED_PID) |
		      BIT(WHO_UPDATED) | BIT(WHO_UPDATED_PID) | BIT(EXTERNS);
	strcpy(e->who[0], "tc");
	strcpy(e->who[1], "tc");
	e->who_pid[0] = 257;
	e->who_pid[1] = 260;
	e->nexterns = 1;
	e->externs[0].slot = P4TC_ENTRY_EXTERN_COUNTER;
	strcpy(e->externs[0].kind, "DirectCounter");
	strcpy(e->externs[0].inst, "ingress.global_counter");
	e->externs[0].has_key = true;
	e->externs[0].key = 1;
	e->externs[0].nparams = 1;
	e->externs[0].params = ext_params;
}

static void fill_msg(struct p4x_p4tc_nl_msg *m,
		     const struct p4x_p4tc_nl_entry *e, uint32_t n)
{
	memset(m, 0, sizeof(*m));
	m->kind = P4X_P4TC_NL_ENTRIES;
	m->type = RTM_P4TC_GET;
	m->flags = NLM_F_REQUEST | NLM_F_ROOT | NLM_F_MATCH;
	m->seq = 1795391092;
	m->portid = 267;
	m->pipeid = 1;
	m->obj = P4TC_OBJ_RUNTIME_TABLE;
	strcpy(m->pname, "routing");
	m->root_slots = true;
	m->nentries = n;
	m->entries = e;
}

static void test_entries(void)
{
	struct p4x_p4tc_nl_entry e[2];
	struct p4x_p4tc_nl_msg m;
	struct p4x_p4tc_nl *c = codec(P4X_P4TC_NL_VER_AUTO);
	const struct p4x_p4tc_nl_msg *back;

	fill_entry(&e[0], true);
	fill_entry(&e[1], true);
	e[1].key[0] = 0xc0;
	fill_msg(&m, e, 2);
	back = round_trip(c, &m, P4X_P4TC_NL_VER_V17, "v17 entries");
	CHECK(back && back->version == P4X_P4TC_NL_VER_V17, "v17 detected");
	CHECK(back && back->nentries == 2 &&
		      back->entries[1].act.params[0].len == 8 &&
		      !memcmp(back->entries[1].mask, "\xff\x0f\x00\x00", 4),
	      "second entry");
	CHECK_INT(p4x_p4tc_nl__version(c), P4X_P4TC_NL_VER_V17);
	p4x_p4tc_nl__free(c);

	/* series 1: PERMISSIONS is attribute 11 (a u8 in v17): detected */
	c = codec(P4X_P4TC_NL_VER_AUTO);
	fill_entry(&e[0], false);
	fill_msg(&m, e, 1);
	back = round_trip(c, &m, P4X_P4TC_NL_VER_SERIES1, "series1 entry");
	CHECK(back && back->version == P4X_P4TC_NL_VER_SERIES1,
	      "series1 detected");
	CHECK_INT(p4x_p4tc_nl__version(c), P4X_P4TC_NL_VER_SERIES1);
	/* what series 1 cannot say */
	fill_entry(&e[0], true);
	CHECK_INT(p4x_p4tc_nl__encode(&m, P4X_P4TC_NL_VER_SERIES1, buf,
				      sizeof(buf)),
		  -EINVAL);
	CHECK_INT(
		p4x_p4tc_nl__encode(&m, P4X_P4TC_NL_VER_AUTO, buf, sizeof(buf)),
		-EINVAL);
	CHECK_INT(p4x_p4tc_nl__encode(&m, P4X_P4TC_NL_VER_V17, buf, 64),
		  -ENOSPC);
	p4x_p4tc_nl__free(c);
}

/* --- templates, filters, dumps, errors ----------------------------------- */

static void test_template(void)
{
	struct p4x_p4tc_nl *c = codec(P4X_P4TC_NL_VER_AUTO);
	static struct p4x_p4tc_nl_tmpl t;
	struct p4x_p4tc_nl_entry ce;
	struct p4x_p4tc_nl_msg m;
	const struct p4x_p4tc_nl_msg *back;

	memset(&t, 0, sizeof(t));
	t.obj = P4TC_OBJ_TABLE;
	t.has_params = true;
	t.present = 1u << P4TC_TABLE_NAME | 1u << P4TC_TABLE_KEYSZ |
		    1u << P4TC_TABLE_TYPE | 1u << P4TC_TABLE_ACTS_LIST |
		    1u << P4TC_TABLE_TIMER_PROFILES |
		    1u << P4TC_TABLE_PERMISSIONS | 1u << P4TC_TABLE_EXTERNS |
		    1u << P4TC_TABLE_DEFAULT_MISS | 1u << P4TC_TABLE_ENTRY;
	t.npath = 1;
	t.path[0] = 2;
	strcpy(t.name, "Main/fib_table");
	t.keysz = 32;
	t.type = P4TC_TABLE_TYPE_LPM;
	t.permissions = 0x3da4;
	t.nacts = 2;
	strcpy(t.acts[0].name, "Main/set_nhid");
	strcpy(t.acts[1].name, "Main/drop");
	t.acts[1].flags = 1;
	t.ntimer_profiles = 1;
	t.timer_profiles[0].id = 0;
	t.timer_profiles[0].aging_ms = 30000;
	strcpy(t.ext_counter, "ingress.global_counter");
	t.dflt_miss.present = t.dflt_miss.has_act = true;
	t.dflt_miss.has_permissions = true;
	t.dflt_miss.permissions = 0x3fff;
	strcpy(t.dflt_miss.act.kind, "routing/Main/set_nhid");
	t.dflt_miss.act.nparams = 1;
	t.dflt_miss.act.params = &params[2];
	memset(&ce, 0, sizeof(ce));
	ce.present = BIT(KEY) | BIT(MASK) | BIT(PRIO) | BIT(WHODUNNIT);
	ce.key_len = 1;
	ce.key[0] = 0x2b;
	ce.mask[0] = 0xff;
	ce.prio = 64000;
	ce.whodunnit = P4TC_ENTITY_TC;
	t.entry = &ce;
	memset(&m, 0, sizeof(m));
	m.kind = P4X_P4TC_NL_TEMPLATES;
	m.type = RTM_CREATEP4TEMPLATE;
	m.flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
	m.obj = P4TC_OBJ_TABLE;
	strcpy(m.pname, "routing");
	m.ntmpls = 1;
	m.tmpls = &t;
	back = round_trip(c, &m, P4X_P4TC_NL_VER_V17, "table template");
	CHECK(back && back->ntmpls == 1 && back->tmpls[0].entry &&
		      back->tmpls[0].entry->prio == 64000,
	      "const entry");
	/* the kernel's form: {PATH, PARAMS} slots */
	ce.npath = 2;
	ce.path[0] = 1;
	m.root_slots = true;
	round_trip(c, &m, P4X_P4TC_NL_VER_V17, "table template dump");
	/* table EXTERNS exist only in v17 */
	CHECK_INT(p4x_p4tc_nl__encode(&m, P4X_P4TC_NL_VER_SERIES1, buf,
				      sizeof(buf)),
		  -EINVAL);
	p4x_p4tc_nl__free(c);
}

static void test_dump_filter(void)
{
	struct p4x_p4tc_nl *c = codec(P4X_P4TC_NL_VER_V17);
	struct p4x_p4tc_nl_fnode op, leaf;
	const struct p4x_p4tc_nl_msg *back = NULL;
	const struct p4x_p4tc_nl_fnode *f;
	int len;

	memset(&op, 0, sizeof(op));
	memset(&leaf, 0, sizeof(leaf));
	op.type = P4X_P4TC_NL_FNODE_OP;
	op.op_kind = P4TC_FILTER_OP_KIND_REL;
	op.op_value = P4TC_FILTER_OP_REL_EQ;
	op.child[0] = &leaf;
	leaf.type = P4X_P4TC_NL_FNODE_ENTRY;
	leaf.present = 1u << P4TC_FILTER_OPND_ENTRY_ACT;
	strcpy(leaf.act.name, "routing/Main/set_nhid");
	leaf.act.nparams = 1;
	leaf.act.params = &params[2];
	len = p4x_p4tc_nl__encode_dump(P4X_P4TC_NL_VER_V17, "routing",
				       "Main/fib_table", &op, 9, buf,
				       sizeof(buf));
	CHECK(len > 0, "dump request: %d", len);
	if (len > 0)
		CHECK(!p4x_p4tc_nl__decode(c, (void *)buf, (size_t)len, &back,
					   err, sizeof(err)),
		      "%s", err);
	CHECK(back && back->nentries == 1, "one slot");
	if (!back || back->nentries != 1)
		goto out;
	CHECK(back->flags & NLM_F_DUMP, "NLM_F_DUMP");
	CHECK_STR(back->entries[0].tblname, "Main/fib_table");
	f = back->entries[0].filter;
	CHECK(f && f->type == P4X_P4TC_NL_FNODE_OP &&
		      f->op_value == P4TC_FILTER_OP_REL_EQ && f->child[0] &&
		      !f->child[1] &&
		      !strcmp(f->child[0]->act.name, "routing/Main/set_nhid") &&
		      f->child[0]->act.nparams == 1 &&
		      f->child[0]->act.params[0].value[0] == 2,
	      "filter tree");
out:
	p4x_p4tc_nl__free(c);
}

static void test_error(void)
{
	struct p4x_p4tc_nl *c = codec(P4X_P4TC_NL_VER_AUTO);
	const struct p4x_p4tc_nl_msg *back;
	struct p4x_p4tc_nl_msg m;

	memset(&m, 0, sizeof(m));
	m.kind = P4X_P4TC_NL_ERROR;
	m.type = NLMSG_ERROR;
	m.flags = NLM_F_ACK_TLVS;
	m.error = -EEXIST;
	m.req_type = RTM_P4TC_CREATE;
	strcpy(m.extack, "Failed to create/update entry\nS 1/3 entries");
	m.has_batch = true;
	m.batch_ok = 1;
	m.batch_n = 3;
	back = round_trip(c, &m, P4X_P4TC_NL_VER_V17, "error");
	CHECK(back && back->has_batch && back->batch_ok == 1 &&
		      back->batch_n == 3 && back->error == -EEXIST,
	      "batch suffix");
	/* "(FE n)" on the path with a listener */
	strcpy(m.extack,
	       "Must specify table entry priority\nS 0/1(FE 0) entries");
	m.batch_ok = 0;
	m.batch_n = 1;
	m.error = -EINVAL;
	back = round_trip(c, &m, P4X_P4TC_NL_VER_V17, "error FE");
	CHECK(back && back->has_batch && back->batch_n == 1, "FE suffix");
	/* an ack: no text, no batch */
	memset(&m, 0, sizeof(m));
	m.kind = P4X_P4TC_NL_ERROR;
	m.type = NLMSG_ERROR;
	m.flags = NLM_F_CAPPED;
	back = round_trip(c, &m, P4X_P4TC_NL_VER_V17, "ack");
	CHECK(back && !back->error && !back->has_batch, "ack");
	p4x_p4tc_nl__free(c);
}

/* --- malformed input ------------------------------------------------------ */

enum variant {
	V_VALID,
	V_UNKNOWN_ENTRY_ATTR,
	V_UNKNOWN_ROOT_ATTR,
	V_PRIO_LEN,
	V_MASK_LEN,
	V_PNAME_NO_NUL,
	V_TYPE_ID,
	V_TWO_ACTIONS,
	V_OBJ,
	V_EXTRA_BYTES,
	V_HDR_LEN,
};

static void put_action(struct nlmsghdr *nlh, uint16_t slot, uint32_t type_id)
{
	struct nlattr *a = mnl_attr_nest_start(nlh, slot), *o, *ps, *p, *t;

	mnl_attr_put_strz(nlh, TCA_ACT_KIND, "routing/Main/set_nhid");
	o = mnl_attr_nest_start(nlh, TCA_ACT_OPTIONS);
	ps = mnl_attr_nest_start(nlh, P4TC_ACT_PARMS);
	p = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_strz(nlh, P4TC_ACT_PARAMS_NAME, "index");
	mnl_attr_put_u32(nlh, P4TC_ACT_PARAMS_ID, 1);
	t = mnl_attr_nest_start(nlh, P4TC_ACT_PARAMS_TYPE);
	mnl_attr_put_u16(nlh, P4TC_ACT_PARAMS_TYPE_BITEND, 31);
	mnl_attr_put_u32(nlh, P4TC_ACT_PARAMS_TYPE_CONTAINER_ID, type_id);
	mnl_attr_nest_end(nlh, t);
	mnl_attr_nest_end(nlh, p);
	mnl_attr_nest_end(nlh, ps);
	mnl_attr_nest_end(nlh, o);
	mnl_attr_nest_end(nlh, a);
}

static void put_params(struct nlmsghdr *nlh, enum variant v)
{
	struct nlattr *p = mnl_attr_nest_start(nlh, P4TC_PARAMS), *acts;

	mnl_attr_put_u32(nlh, P4TC_ENTRY_PRIO, 5);
	if (v == V_PRIO_LEN)
		mnl_attr_put_u16(nlh, P4TC_ENTRY_PRIO, 5);
	mnl_attr_put_u32(nlh, P4TC_ENTRY_KEY_BLOB, 0x0001a8c0);
	if (v == V_MASK_LEN)
		mnl_attr_put_u16(nlh, P4TC_ENTRY_MASK_BLOB, 0xffff);
	else
		mnl_attr_put_u32(nlh, P4TC_ENTRY_MASK_BLOB, 0x00ffffff);
	acts = mnl_attr_nest_start(nlh, P4TC_ENTRY_ACT);
	put_action(nlh, 1, v == V_TYPE_ID ? 33 : P4X_P4TC_T_U32);
	if (v == V_TWO_ACTIONS)
		put_action(nlh, 2, P4X_P4TC_T_U32);
	mnl_attr_nest_end(nlh, acts);
	mnl_attr_put_u16(nlh, P4TC_ENTRY_PERMISSIONS, 0x1da4);
	if (v == V_UNKNOWN_ENTRY_ATTR)
		mnl_attr_put_u32(nlh, 30, 1);
	mnl_attr_nest_end(nlh, p);
}

static struct nlmsghdr *build(enum variant v)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct p4tcmsg *h = mnl_nlmsg_put_extra_header(nlh, sizeof(*h));
	struct nlattr *root, *slot;
	uint32_t path[2] = {2, 0};

	nlh->nlmsg_type = RTM_P4TC_GET;
	nlh->nlmsg_pid = 265;
	h->pipeid = 1;
	h->obj = v == V_OBJ ? 7 : P4TC_OBJ_RUNTIME_TABLE;
	if (v == V_PNAME_NO_NUL)
		mnl_attr_put(nlh, P4TC_ROOT_PNAME, 7, "routing");
	else
		mnl_attr_put_strz(nlh, P4TC_ROOT_PNAME, "routing");
	if (v == V_UNKNOWN_ROOT_ATTR)
		mnl_attr_put_u32(nlh, 9, 0);
	root = mnl_attr_nest_start(nlh, P4TC_ROOT);
	slot = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put(nlh, P4TC_PATH, sizeof(path), path);
	put_params(nlh, v);
	mnl_attr_nest_end(nlh, slot);
	mnl_attr_nest_end(nlh, root);
	if (v == V_EXTRA_BYTES) { /* 2 stray bytes after the last attribute */
		memset((char *)nlh + nlh->nlmsg_len, 0, 4);
		nlh->nlmsg_len += 2;
	}
	return nlh;
}

static void refuse(struct p4x_p4tc_nl *c, const struct nlmsghdr *nlh,
		   size_t len, int want, const char *reason)
{
	const struct p4x_p4tc_nl_msg *m = (void *)1;
	int before = warn_lines;
	int ret = p4x_p4tc_nl__decode(c, nlh, len, &m, err, sizeof(err));

	CHECK(ret == want, "%s: got %d want %d (%s)", reason, ret, want, err);
	CHECK(!m, "%s: output on failure", reason);
	CHECK(strstr(err, reason), "%s: error is '%s'", reason, err);
	CHECK_INT(warn_lines - before, 1);
}

static void test_malformed(void)
{
	static const struct {
		enum variant v;
		int ret;
		const char *reason;
	} cases[] = {
		{V_UNKNOWN_ENTRY_ATTR, -EOPNOTSUPP,
		 "root/1/params: unknown entry attribute 30"},
		{V_UNKNOWN_ROOT_ATTR, -EOPNOTSUPP, "unknown root attribute 9"},
		{V_PRIO_LEN, -EINVAL,
		 "prio: attribute 4 has 2 bytes, expected 4"},
		{V_MASK_LEN, -EINVAL, "mask has 2 bytes, key has 4"},
		{V_PNAME_NO_NUL, -EINVAL, "P4TC_ROOT_PNAME is not a string"},
		{V_TYPE_ID, -EOPNOTSUPP, "param 1: unknown type id 33"},
		{V_TWO_ACTIONS, -EOPNOTSUPP, "more than one action"},
		{V_OBJ, -EOPNOTSUPP, "unknown runtime object 7"},
		{V_EXTRA_BYTES, -EINVAL,
		 "message: attribute truncated: 4 bytes"},
	};
	struct p4x_p4tc_nl *c = codec(P4X_P4TC_NL_VER_AUTO);
	const struct p4x_p4tc_nl_msg *m = NULL;
	struct nlmsghdr *nlh = build(V_VALID);

	CHECK(!p4x_p4tc_nl__decode(c, nlh, nlh->nlmsg_len, &m, err,
				   sizeof(err)) &&
		      m && m->nentries == 1,
	      "valid: %s", err);
	for (size_t i = 0; i < P4X_ARRAY_SIZE(cases); i++) {
		nlh = build(cases[i].v);
		refuse(c, nlh, nlh->nlmsg_len, cases[i].ret, cases[i].reason);
	}
	/* a length that is not the message's */
	nlh = build(V_VALID);
	refuse(c, nlh, nlh->nlmsg_len - 1, -EINVAL, "says nlmsg_len");
	/* truncated inside: the root nest is longer than what follows */
	nlh = build(V_VALID);
	nlh->nlmsg_len -= 8;
	refuse(c, nlh, nlh->nlmsg_len, -EINVAL, "attribute truncated");
	p4x_p4tc_nl__free(c);
}

/* versions: contradictions and features of the other version */
static void test_versions(void)
{
	struct p4x_p4tc_nl_entry e;
	struct p4x_p4tc_nl_msg m;
	struct p4x_p4tc_nl *c = codec(P4X_P4TC_NL_VER_AUTO);
	struct p4x_p4tc_nl_opts bad = {.sz = sizeof(bad), .version = 7};
	const struct p4x_p4tc_nl_msg *out;
	int len;

	CHECK(!p4x_p4tc_nl__new(&bad) && errno == EINVAL, "version 7");
	fill_entry(&e, true);
	fill_msg(&m, &e, 1);
	round_trip(c, &m, P4X_P4TC_NL_VER_V17, "v17 first");
	fill_entry(&e, false);
	len = p4x_p4tc_nl__encode(&m, P4X_P4TC_NL_VER_SERIES1, buf,
				  sizeof(buf));
	CHECK(len > 0, "series1 encode");
	refuse(c, (void *)buf, (size_t)len, -EPROTO,
	       "numbered as in P4TC series1, the messages so far are v17");
	p4x_p4tc_nl__free(c);

	/* a codec fixed to series 1 refuses v17-only root attributes */
	c = codec(P4X_P4TC_NL_VER_SERIES1);
	m.has_root_count = true;
	len = p4x_p4tc_nl__encode(&m, P4X_P4TC_NL_VER_V17, buf, sizeof(buf));
	CHECK(len > 0, "v17 encode");
	refuse(c, (void *)buf, (size_t)len, -EPROTO,
	       "exists only in P4TC v17, the messages so far are series1");
	/* not a P4TC message: not decoded, not logged */
	((struct nlmsghdr *)buf)->nlmsg_type = RTM_NEWLINK;
	CHECK_INT(p4x_p4tc_nl__decode(c, (void *)buf, (size_t)len, &out, err,
				      sizeof(err)),
		  -ENOMSG);
	p4x_p4tc_nl__free(c);
}

int main(void)
{
	p4x_log__init(P4X_LOG_WARN);
	p4x_log__set_sink(count_sink, NULL);
	fill_params();
	test_entries();
	test_template();
	test_dump_filter();
	test_error();
	test_malformed();
	test_versions();
	CHECK_INT(p4x_p4tc_nl_version__group(P4X_P4TC_NL_VER_V17), 37);
	CHECK_INT(p4x_p4tc_nl_version__group(P4X_P4TC_NL_VER_SERIES1), 4);
	return check_done();
}
