// SPDX-License-Identifier: BSD-3-Clause
/*
 * The P4TC netlink codec on real traffic (argv[1] = the p4tc-netlink
 * captures, argv[2] = the P4TC programs): every message of every capture
 * is framed as the capture's .msgs.txt lists it; every P4TC, error and
 * done message decodes; the kernel's errors carry exactly the errno and
 * extack the listing names; every decoded message survives encode ->
 * decode unchanged; the codec detects v17. Then each `tc -j p4ctrl get`
 * in a capture is compared, field by field, with the entries decoded from
 * the kernel's answer to it: table, key fields printed with the
 * p4tc_types printers, prio, permissions, action, params, who, externs.
 */
#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "p4x/log.h"
#include "p4x/p4tc.h"
#include "p4tc_v17.h"
#include "p4tc_nl.h"
#include "capture.h"
#include "p4x_count_check.h"

static void entries_json_check(const char *base, const struct capture *c,
			       struct p4x_p4tc_nl *codec);

static char err[512];

struct listed {
	unsigned int n, nerr;
	unsigned int rec[512], len[512];
	struct {
		unsigned int rec;
		int error;
		char text[256];
	} errs[32];
};

/* "\n" in the listing stands for a newline */
static void unescape(char *s)
{
	char *d = s;

	for (; *s; s++, d++) {
		if (s[0] == '\\' && s[1] == 'n') {
			*d = '\n';
			s++;
		} else {
			*d = *s;
		}
	}
	*d = '\0';
}

static void parse_listing(const char *path, struct listed *l)
{
	FILE *f = fopen(path, "r");
	char line[1024], *q;
	unsigned int rec, len;

	memset(l, 0, sizeof(*l));
	CHECK(f, "%s: %s", path, strerror(errno));
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " #%u ROUTE %*s len=%u", &rec, &len) == 2 &&
		    l->n < 512) {
			l->rec[l->n] = rec;
			l->len[l->n++] = len;
		} else if (l->nerr < 32 &&
			   sscanf(line, " error in record #%u: %d", &rec,
				  &l->errs[l->nerr].error) == 2 &&
			   (q = strpbrk(line, "'\""))) {
			/* the text is quoted with ' (or ") */
			snprintf(l->errs[l->nerr].text, sizeof(l->errs[0].text),
				 "%s", q + 1);
			q = strrchr(l->errs[l->nerr].text, *q);
			if (q)
				*q = '\0';
			unescape(l->errs[l->nerr].text);
			l->errs[l->nerr++].rec = rec;
		}
	}
	fclose(f);
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

static void round_trip(const char *cap, unsigned int rec,
		       const struct p4x_p4tc_nl_msg *m, struct p4x_p4tc_nl *c2)
{
	static uint8_t buf[65536];
	const struct p4x_p4tc_nl_msg *back;
	char *a = print_msg(m), *b;
	int len = p4x_p4tc_nl__encode(m, P4X_P4TC_NL_VER_V17, buf, sizeof(buf));

	CHECK(len > 0, "%s #%u: encode: %s", cap, rec, strerror(-len));
	if (len > 0) {
		int ret = p4x_p4tc_nl__decode(c2, (void *)buf, (size_t)len,
					      &back, err, sizeof(err));

		CHECK(!ret, "%s #%u: decode of the encoding: %s", cap, rec,
		      err);
		if (!ret) {
			b = print_msg(back);
			CHECK(!strcmp(a, b), "%s #%u: round trip\n%s---\n%s",
			      cap, rec, a, b);
			free(b);
		}
	}
	free(a);
}

static void check_error(const char *cap, unsigned int rec,
			const struct p4x_p4tc_nl_msg *m, const struct listed *l,
			unsigned int *found)
{
	if ((m->kind != P4X_P4TC_NL_ERROR && m->kind != P4X_P4TC_NL_DONE) ||
	    !m->error)
		return;
	for (unsigned int i = 0; i < l->nerr; i++) {
		if (l->errs[i].rec != rec)
			continue;
		(*found)++;
		CHECK_INT(m->error, l->errs[i].error);
		CHECK_STR(m->extack, l->errs[i].text);
		return;
	}
	CHECK(0, "%s #%u: error %d '%s' not in the listing", cap, rec, m->error,
	      m->extack);
}

static void decode_all(const char *cap, const struct capture *c,
		       const struct listed *l, struct p4x_p4tc_nl *codec,
		       struct p4x_p4tc_nl *c2)
{
	const struct p4x_p4tc_nl_msg *m;
	unsigned int found = 0, p4tc = 0;

	CHECK_INT(c->n, l->n);
	for (size_t i = 0; i < c->n; i++) {
		const struct cap_msg *cm = &c->msgs[i];
		int ret =
			p4x_p4tc_nl__decode(codec, cm->nlh, cm->nlh->nlmsg_len,
					    &m, err, sizeof(err));

		if (i < l->n) {
			CHECK_INT(cm->rec, l->rec[i]);
			CHECK_INT(cm->nlh->nlmsg_len, l->len[i]);
		}
		CHECK_INT(cm->family, 0);
		if (!p4x_p4tc_nl__handles(cm->nlh->nlmsg_type)) {
			CHECK(ret == -ENOMSG && !m, "%s #%u: type %u", cap,
			      cm->rec, cm->nlh->nlmsg_type);
			continue;
		}
		CHECK(!ret && m, "%s #%u: %s", cap, cm->rec, err);
		if (ret)
			continue;
		p4tc++;
		CHECK(m->version != P4X_P4TC_NL_VER_SERIES1, "%s #%u: series1",
		      cap, cm->rec);
		check_error(cap, cm->rec, m, l, &found);
		round_trip(cap, cm->rec, m, c2);
	}
	CHECK(p4tc > 0, "%s: no P4TC message", cap);
	CHECK_INT(found, l->nerr);
}

/* One codec for all captures, in the order the kernel produced them. */
static void one_capture(const char *pcap, struct p4x_p4tc_nl *codec,
			struct p4x_p4tc_nl *c2)
{
	char base[512], path[600];
	const char *name = strrchr(pcap, '/') ? strrchr(pcap, '/') + 1 : pcap;
	struct capture c;
	struct listed l;
	int ret;

	snprintf(base, sizeof(base), "%.*s", (int)(strlen(pcap) - 5), pcap);
	snprintf(path, sizeof(path), "%s.msgs.txt", base);
	parse_listing(path, &l);
	ret = capture_load(&c, pcap, err, sizeof(err));
	CHECK(!ret, "%s: %s", pcap, err);
	if (!ret) {
		decode_all(name, &c, &l, codec, c2);
		entries_json_check(base, &c, codec);
		capture_free(&c);
	}
}

/* --- tc -j p4ctrl get vs the decoded entries ---------------------------- */

static struct p4x_p4tc *model;
static const struct capture *cur; /* its links name dev values */
static unsigned int quirk_prefix; /* iproute2's /N of non-prefix masks */

static int cap_i2n(void *arg, uint32_t ifindex, char *buf, size_t sz)
{
	if (ifindex >= 64 || !cur->ifname[ifindex][0])
		return -ENODEV;
	snprintf(buf, sz, "%s", cur->ifname[ifindex]);
	return 0;
}

static const struct p4x_p4tc_dev_ops cap_dev = {NULL, cap_i2n, NULL};

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return NULL;
	return json_object_get_string(v);
}

static struct json_object *jarr(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

static long long jint(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return -1;
	return json_object_get_int64(v);
}

static int popcount_be(const uint8_t *b)
{
	int n = 0;

	for (int i = 0; i < P4X_P4TC_VALUE_BYTES; i++)
		n += __builtin_popcount(b[i]);
	return n;
}

static void check_fieldval(const struct p4x_p4tc_key_def *k, const uint8_t *key,
			   const uint8_t *mask, const char *tcval)
{
	struct p4x_p4tc_value ours, back, theirs;
	const char *slash = strrchr(tcval, '/');
	char buf[128];
	bool same;

	p4x_p4tc_value__unpack(&k->type, key + k->offset, mask + k->offset,
			       &ours);
	p4x_p4tc_value__print(&k->type, &ours, &cap_dev, buf, sizeof(buf));
	CHECK(!p4x_p4tc_value__parse(&k->type, buf, P4X_P4TC_PARSE_MASK,
				     &cap_dev, &back, err, sizeof(err)) &&
		      !memcmp(back.val, ours.val, sizeof(ours.val)) &&
		      !memcmp(back.mask, ours.mask, sizeof(ours.mask)),
	      "%s: printed %s does not parse back", k->name, buf);
	CHECK(!p4x_p4tc_value__parse(&k->type, tcval, P4X_P4TC_PARSE_MASK,
				     &cap_dev, &theirs, err, sizeof(err)),
	      "%s: tc printed %s: %s", k->name, tcval, err);
	same = !memcmp(ours.val, theirs.val, sizeof(ours.val)) &&
	       !memcmp(ours.mask, theirs.mask, sizeof(ours.mask));
	if (!same && slash && slash[1] != '0' && ours.prefix < 0 &&
	    !memcmp(ours.val, theirs.val, sizeof(ours.val)) &&
	    popcount_be(ours.mask) == atoi(slash + 1)) {
		quirk_prefix++; /* tc shows /<bits set> for any ipv4 mask */
		return;
	}
	CHECK(same, "%s: decoded %s, tc printed %s", k->name, buf, tcval);
}

static void check_keys(struct json_object *je,
		       const struct p4x_p4tc_table_def *t,
		       const struct p4x_p4tc_nl_entry *e)
{
	struct json_object *keys, *jk;
	char tname[32];

	CHECK_INT(e->key_len, t->key_bytes);
	keys = jarr(je, "key");
	if (!keys && e->nexterns)
		return; /* tc prints the extern's "key" too: the last wins */
	CHECK(keys && json_object_array_length(keys) == t->nkeys,
	      "key fields: want %u", t->nkeys);
	if (e->key_len != t->key_bytes || !keys ||
	    json_object_array_length(keys) != t->nkeys)
		return;
	for (uint32_t i = 0; i < t->nkeys; i++) {
		const struct p4x_p4tc_key_def *k = &t->keys[i];

		jk = json_object_array_get_idx(keys, i);
		CHECK_STR(jstr(jk, "keyfield"), k->name);
		CHECK_INT(jint(jk, "id"), k->id);
		CHECK_INT(jint(jk, "width"), k->type.bitsz);
		p4x_p4tc_type__name(&k->type, tname, sizeof(tname));
		CHECK_STR(jstr(jk, "type"), tname);
		CHECK_STR(jstr(jk, "match_type"),
			  p4x_p4tc_match__name(k->match));
		check_fieldval(k, e->key, e->mask, jstr(jk, "fieldval"));
	}
}

static void check_param(struct json_object *jp,
			const struct p4x_p4tc_action_def *def,
			const struct p4x_p4tc_nl_param *p)
{
	const struct p4x_p4tc_param_def *pd = NULL;
	struct p4x_p4tc_value v;
	char tname[32], buf[128];

	for (uint32_t i = 0; i < def->nparams; i++)
		if (def->params[i].id == p->id)
			pd = &def->params[i];
	CHECK(pd, "param id %u not in %s", p->id, def->name);
	if (!pd)
		return;
	CHECK_STR(jstr(jp, "name"), p->name);
	CHECK_STR(p->name, pd->name);
	CHECK_INT(jint(jp, "id"), p->id);
	p4x_p4tc_type__name(&pd->type, tname, sizeof(tname));
	CHECK_STR(jstr(jp, "type"), tname);
	CHECK_INT(p->type_id, pd->type.type_id);
	CHECK(p->len >= p4x_p4tc_type__blob_bytes(&pd->type), "%s: %u bytes",
	      p->name, p->len);
	p4x_p4tc_value__unpack(&pd->type, p->value, NULL, &v);
	p4x_p4tc_value__print(&pd->type, &v, &cap_dev, buf, sizeof(buf));
	CHECK_STR(buf, jstr(jp, "value"));
}

static void check_action(struct json_object *je,
			 const struct p4x_p4tc_pipeline *pl,
			 const struct p4x_p4tc_nl_entry *e)
{
	struct json_object *acts, *ja, *jps;
	const struct p4x_p4tc_action_def *def;
	const char *slash = strchr(e->act.kind, '/');

	CHECK(json_object_object_get_ex(je, "actions", &acts) &&
		      (acts = jarr(acts, "actions")) &&
		      json_object_array_length(acts) == 1,
	      "one action expected");
	ja = acts ? json_object_array_get_idx(acts, 0) : NULL;
	if (!ja)
		return;
	CHECK_STR(jstr(ja, "kind"), e->act.kind);
	CHECK_INT(jint(ja, "index"), e->act.index);
	CHECK_INT(jint(ja, "ref"), e->act.refcnt);
	CHECK_INT(jint(ja, "bind"), e->act.bindcnt);
	def = slash ? p4x_p4tc_pipeline__action(pl, slash + 1) : NULL;
	CHECK(def, "action %s not in the program", e->act.kind);
	jps = jarr(ja, "params");
	CHECK(jps, "no params");
	if (!def || !jps)
		return;
	CHECK_INT(json_object_array_length(jps), e->act.nparams);
	for (uint32_t i = 0;
	     i < e->act.nparams && i < json_object_array_length(jps); i++)
		check_param(json_object_array_get_idx(jps, i), def,
			    &e->act.params[i]);
}

static void check_who(struct json_object *je, const struct p4x_p4tc_nl_entry *e)
{
	static const char *const ent[] = {"unspec", "kernel", "tc", "timer"};
	static const char *const k[2][4] = {
		{"create_whodunnit", "create_whodunnit_id", "who_created_pid",
		 "who_created"},
		{"update_whodunnit", "update_whodunnit_id", "who_updated_pid",
		 "who_updated"},
	};

	for (int i = 0; i < 2; i++) {
		int f = P4X_P4TC_NL_F_WHO_CREATED_ENT + 3 * i;
		bool has = (e->present >> f) & 1u;

		CHECK(has == !!jstr(je, k[i][0]), "%s presence", k[i][0]);
		if (!has || e->who_ent[i] > 3)
			continue;
		CHECK_STR(jstr(je, k[i][0]), ent[e->who_ent[i]]);
		CHECK_INT(jint(je, k[i][1]), e->who_ent[i]);
		CHECK_INT(jint(je, k[i][2]), e->who_pid[i]);
		CHECK_STR(jstr(je, k[i][3]), e->who[i]);
	}
}

static void check_externs(struct json_object *je,
			  const struct p4x_p4tc_nl_entry *e)
{
	struct json_object *jps, *jp;
	uint64_t v;

	CHECK_INT(e->nexterns, !!jstr(je, "kind"));
	if (!e->nexterns)
		return;
	CHECK_STR(jstr(je, "kind"), e->externs[0].kind);
	CHECK_STR(jstr(je, "instance"), e->externs[0].inst);
	CHECK_INT(jint(je, "key"), e->externs[0].key);
	jps = jarr(je, "params");
	CHECK(jps && json_object_array_length(jps) == e->externs[0].nparams,
	      "extern params");
	for (uint32_t i = 0; jps && i < e->externs[0].nparams; i++) {
		const struct p4x_p4tc_nl_param *p = &e->externs[0].params[i];
		char tname[16];

		jp = json_object_array_get_idx(jps, i);
		CHECK_STR(jstr(jp, "name"), p->name);
		CHECK_INT(jint(jp, "id"), p->id);
		snprintf(tname, sizeof(tname), "bit%u", p->bitsz);
		CHECK_STR(jstr(jp, "type"), tname);
		v = 0;
		memcpy(&v, p->value, P4X_MIN(p->len, 8));
		CHECK_INT(jint(jp, "value"), v);
	}
}

static void check_entry(struct json_object *je, const struct p4x_p4tc_nl_msg *m,
			const struct p4x_p4tc_nl_entry *e)
{
	const struct p4x_p4tc_pipeline *pl =
		p4x_p4tc__pipeline_get(model, m->pname);
	const struct p4x_p4tc_table_def *t;
	char perm[P4X_P4TC_PERM_STRLEN];

	CHECK(pl, "pipeline %s not loaded", m->pname);
	if (!pl)
		return;
	t = p4x_p4tc_pipeline__table_by_id(pl, p4x_p4tc_nl_entry__tbl_id(e));
	CHECK(t, "%s: no table id %u", m->pname, e->path[0]);
	if (!t)
		return;
	CHECK_STR(jstr(je, "tblname"), t->name);
	CHECK_INT(jint(je, "tblid"), e->path[0]);
	CHECK_INT(jint(je, "prio"), e->prio);
	p4x_p4tc_perm__print(e->permissions, perm);
	CHECK_STR(jstr(je, "permissions"), perm);
	check_keys(je, t, e);
	check_action(je, pl, e);
	check_who(je, e);
	CHECK_STR(jstr(je, "dynamic"), e->dynamic ? "true" : "false");
	CHECK_STR(jstr(je, "tmpl_created"), e->tmpl_created ? "true" : "false");
	CHECK_INT(jint(je, "created"), e->tm_created / 100); /* USER_HZ */
	CHECK_INT(jint(je, "last_used"), e->tm_lastused / 100);
	check_externs(je, e);
}

struct get_cmd {
	char json[160];
	int rc;
};

static unsigned int parse_gets(const char *base, struct get_cmd *g,
			       unsigned int max)
{
	char path[600], line[2048], *q;
	unsigned int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s.cmds.txt", base);
	f = fopen(path, "r");
	CHECK(f, "%s: %s", path, strerror(errno));
	while (f && fgets(line, sizeof(line), f)) {
		if (strstr(line, "(not in pcap)"))
			break; /* text renderings of later runs follow */
		if (!strncmp(line, "$ ", 2) && strstr(line, " p4ctrl get ") &&
		    n < max) {
			q = strstr(line, "> ");
			g[n].json[0] = '\0';
			if (q)
				sscanf(q + 2, "%159s", g[n].json);
			g[n++].rc = -1;
		} else if (n && g[n - 1].rc < 0 &&
			   sscanf(line, "# rc=%d", &g[n - 1].rc) == 1) {
			continue;
		}
	}
	if (f)
		fclose(f);
	return n;
}

/* The kernel's GET answers to the request at @req, up to the next. */
static unsigned int compare_answer(const struct capture *c, size_t req,
				   struct json_object *entries,
				   struct p4x_p4tc_nl *codec)
{
	const struct p4x_p4tc_nl_msg *m;
	unsigned int j = 0;

	for (size_t i = req + 1; i < c->n; i++) {
		const struct nlmsghdr *nlh = c->msgs[i].nlh;

		if (nlh->nlmsg_type == RTM_P4TC_GET && !nlh->nlmsg_pid)
			break;
		if (nlh->nlmsg_type != RTM_P4TC_GET)
			continue;
		if (p4x_p4tc_nl__decode(codec, nlh, nlh->nlmsg_len, &m, err,
					sizeof(err)))
			continue; /* counted by decode_all() */
		for (uint32_t k = 0; k < m->nentries; k++, j++) {
			struct json_object *je =
				entries ? json_object_array_get_idx(entries, j)
					: NULL;

			CHECK(je, "#%u: entry %u not printed by tc",
			      c->msgs[i].rec, j);
			if (je)
				check_entry(je, m, &m->entries[k]);
		}
	}
	return j;
}

static void compare_get(const char *dir, const struct get_cmd *g,
			const struct capture *c, size_t req,
			struct p4x_p4tc_nl *codec)
{
	struct json_object *root = NULL, *entries = NULL, *hdr;
	char path[700];
	unsigned int n, want = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, g->json);
	if (g->json[0] && !access(path, R_OK)) {
		root = json_object_from_file(path);
		CHECK(root, "%s: not JSON", path);
	} else {
		CHECK(g->rc != 0, "%s missing but the get succeeded", path);
	}
	if (root && json_object_is_type(root, json_type_array) &&
	    json_object_array_length(root) == 2) {
		hdr = json_object_array_get_idx(root, 0);
		entries = jarr(json_object_array_get_idx(root, 1), "entries");
		want = entries ? json_object_array_length(entries) : 0;
		CHECK(jstr(hdr, "pname"), "%s: no pname", path);
	}
	n = compare_answer(c, req, entries, codec);
	CHECK(n == want, "%s: %u entries decoded, tc printed %u", path, n,
	      want);
	json_object_put(root);
}

static void load_model(const char *progdir, const char *netdir)
{
	static const char *const progs[] = {"routing", "simple_ternary_example",
					    "simple_lpm_example",
					    "direct_counter_example"};
	char path[600];

	model = p4x_p4tc__new(NULL);
	CHECK(model, "model: %s", strerror(errno));
	for (size_t i = 0; model && i < P4X_ARRAY_SIZE(progs); i++) {
		snprintf(path, sizeof(path), "%s/%s/%s.json", progdir, progs[i],
			 progs[i]);
		CHECK(!p4x_p4tc__load_json(model, path, err, sizeof(err)), "%s",
		      err);
	}
	snprintf(path, sizeof(path), "%s/inputs/matchtype.patched.json",
		 netdir);
	CHECK(!model || !p4x_p4tc__load_json(model, path, err, sizeof(err)),
	      "%s", err);
}

static void entries_json_check(const char *base, const struct capture *c,
			       struct p4x_p4tc_nl *codec)
{
	struct get_cmd g[32];
	unsigned int ng = parse_gets(base, g, 32), k = 0;
	char dir[512];

	snprintf(dir, sizeof(dir), "%s", base);
	*strrchr(dir, '/') = '\0';
	cur = c;
	for (size_t i = 0; i < c->n; i++) {
		const struct nlmsghdr *nlh = c->msgs[i].nlh;

		if (nlh->nlmsg_type != RTM_P4TC_GET || nlh->nlmsg_pid)
			continue;
		CHECK(k < ng, "%s: more GET requests than p4ctrl gets", base);
		if (k < ng)
			compare_get(dir, &g[k], c, i, codec);
		k++;
	}
	CHECK_INT(k, ng);
}

int main(int argc, char **argv)
{
	struct p4x_p4tc_nl_opts o = {.sz = sizeof(o)};
	struct p4x_p4tc_nl *codec, *c2;
	char pattern[512];
	glob_t g;

	if (argc < 3) {
		fprintf(stderr, "usage: %s <p4tc-netlink dir> <p4tc dir>\n",
			argv[0]);
		return 2;
	}
	p4x_log__init(P4X_LOG_WARN);
	load_model(argv[2], argv[1]);
	snprintf(pattern, sizeof(pattern), "%s/*.pcap", argv[1]);
	CHECK(!glob(pattern, 0, NULL, &g), "no captures in %s", argv[1]);
	CHECK(g.gl_pathc >= 10, "%zu captures", g.gl_pathc);
	codec = p4x_p4tc_nl__new(&o);
	c2 = p4x_p4tc_nl__new(&o);
	CHECK(codec && c2, "codec: %s", strerror(errno));
	for (size_t i = 0; codec && c2 && i < g.gl_pathc; i++)
		one_capture(g.gl_pathv[i], codec, c2);
	globfree(&g);
	/* the extern templates of a2 and the entries of b..e say v17 */
	CHECK_INT(p4x_p4tc_nl__version(codec), P4X_P4TC_NL_VER_V17);
	p4x_p4tc_nl__free(c2);
	p4x_p4tc_nl__free(codec);
	/* e.01 prints 172.16.0.0/12 as stored: key ac000000 mask ff0f0000 */
	CHECK_INT(quirk_prefix, 1);
	p4x_p4tc__free(model);
	return check_done();
}
