// SPDX-License-Identifier: BSD-3-Clause
/*
 * The scheduler specification "POLICY[,k=v...]": keys declared as data
 * (name, when it may be given, parser). Rates use tc's units.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched_ctl.h"

enum key_kind {
	K_SHAPE,  /* scheduler options: at start only */
	K_PORT,	  /* port rate and burst */
	K_CLS,	  /* classifier */
	K_POLICY, /* built-in policy parameters */
};

struct spec_key {
	const char *name;
	enum key_kind kind;
	int (*parse)(struct p4xd_sched_spec *s, const char *key,
		     const char *val, char *err, size_t errlen);
};

static int num(const char *s, unsigned long long max, unsigned long long *out,
	       const char **end)
{
	char *e;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*out = strtoull(s, &e, 10);
	if (errno || *out > max)
		return -EINVAL;
	if (end)
		*end = e;
	else if (*e)
		return -EINVAL;
	return 0;
}

/* tc(8) units: bare number or bit/kbit/mbit/gbit (bits), bps/kbps/mbps/gbps
 * (bytes); k = 1000. Result in bytes/s. */
static int parse_rate(const char *v, uint64_t *bytes)
{
	static const struct {
		const char *unit;
		uint64_t mul, div;
	} units[] = {
		{"", 1, 8},
		{"bit", 1, 8},
		{"kbit", 1000, 8},
		{"mbit", 1000000, 8},
		{"gbit", 1000000000, 8},
		{"bps", 1, 1},
		{"kbps", 1000, 1},
		{"mbps", 1000000, 1},
		{"gbps", 1000000000, 1},
	};
	unsigned long long n;
	const char *end;
	unsigned int i;

	if (num(v, 1ull << 40, &n, &end))
		return -EINVAL;
	for (i = 0; i < P4X_ARRAY_SIZE(units); i++) {
		if (strcasecmp(end, units[i].unit))
			continue;
		*bytes = n * units[i].mul / units[i].div;
		return 0;
	}
	return -EINVAL;
}

static int bad(char *err, size_t errlen, const char *key, const char *val,
	       const char *want)
{
	snprintf(err, errlen, "%s=%s: expected %s", key, val, want);
	return -EINVAL;
}

static int key_shape(struct p4xd_sched_spec *s, const char *key,
		     const char *val, char *err, size_t errlen)
{
	unsigned long long n;
	bool u8 = !strcmp(key, "rank_shift") || !strcmp(key, "time_shift");

	if (!strcmp(key, "drop")) {
		if (strcmp(val, "tail") && strcmp(val, "worst"))
			return bad(err, errlen, key, val, "tail or worst");
		s->shape.drop_policy = !strcmp(val, "worst")
					       ? P4X_SCHED_DROP_WORST
					       : P4X_SCHED_TAIL_DROP;
		return 0;
	}
	if (num(val, u8 ? 63 : UINT32_MAX, &n, NULL))
		return bad(err, errlen, key, val,
			   u8 ? "an integer 0..63" : "an unsigned integer");
	if (!strcmp(key, "limit"))
		s->shape.max_pkts = (uint32_t)n;
	else if (!strcmp(key, "bytes"))
		s->shape.max_bytes = (uint32_t)n;
	else if (!strcmp(key, "classes"))
		s->shape.nb_classes = (uint32_t)n;
	else if (!strcmp(key, "flows"))
		s->shape.nb_flows = (uint32_t)n;
	else if (!strcmp(key, "buckets"))
		s->shape.nb_buckets = (uint32_t)n;
	else if (!strcmp(key, "rank_shift"))
		s->shape.rank_shift = (uint8_t)n;
	else
		s->shape.time_shift = (uint8_t)n;
	s->has_shape = true;
	return 0;
}

static int key_port(struct p4xd_sched_spec *s, const char *key, const char *val,
		    char *err, size_t errlen)
{
	unsigned long long n;

	if (!strcmp(key, "rate")) {
		if (parse_rate(val, &s->rate))
			return bad(err, errlen, key, val,
				   "a rate such as 10mbit or 2mbps (tc units)");
		s->has_rate = true;
		return 0;
	}
	if (num(val, UINT32_MAX, &n, NULL))
		return bad(err, errlen, key, val, "bytes");
	s->burst = (uint32_t)n;
	s->has_burst = true;
	return 0;
}

/* "A:C/A:C..." with A <= @amax, C < P4X_SCHED_MAX_CLASSES. */
static int map_list(const char *val, unsigned long long amax, unsigned int max,
		    uint16_t *a, uint16_t *c)
{
	unsigned long long x, y;
	const char *p = val, *end;
	unsigned int n = 0;

	while (*p) {
		if (n == max || num(p, amax, &x, &end) || *end != ':' ||
		    num(end + 1, P4X_SCHED_MAX_CLASSES - 1, &y, &end) ||
		    (*end && *end != '/'))
			return -EINVAL;
		a[n] = (uint16_t)x;
		c[n++] = (uint16_t)y;
		p = *end ? end + 1 : end;
	}
	return n ? (int)n : -EINVAL;
}

static int key_cls(struct p4xd_sched_spec *s, const char *key, const char *val,
		   char *err, size_t errlen)
{
	uint16_t a[64], c[64];
	unsigned long long n;
	int i, k;

	s->has_cls = true;
	if (!strcmp(key, "class")) {
		if (num(val, P4X_SCHED_MAX_CLASSES - 1, &n, NULL))
			return bad(err, errlen, key, val, "a class 0..63");
		s->cls.def_class = (uint16_t)n;
		return 0;
	}
	if (!strcmp(key, "dscp")) {
		k = map_list(val, 63, 64, a, c);
		if (k < 0)
			return bad(err, errlen, key, val,
				   "DSCP:CLASS[/DSCP:CLASS...]");
		for (i = 0; i < k; i++) {
			s->cls.dscp_mask |= 1ull << a[i];
			s->cls.dscp_class[a[i]] = c[i];
		}
		return 0;
	}
	k = map_list(val, 65535, P4X_CLASSIFIER_MAX_DPORTS, a, c);
	if (k < 0)
		return bad(err, errlen, key, val,
			   "PORT:CLASS[/PORT:CLASS...], at most 16");
	for (i = 0; i < k; i++)
		s->cls.dports[i] = (struct p4x_classifier_dport){.dport = a[i],
								 .cls = c[i]};
	s->cls.nb_dports = (unsigned int)k;
	return 0;
}

/* Per-class list "V0/V1/..." into the class parameters. */
static int key_policy(struct p4xd_sched_spec *s, const char *key,
		      const char *val, char *err, size_t errlen)
{
	char buf[P4XD_SCHED_SPEC_MAX], *tok, *save = NULL;
	struct p4x_sched_class_params *cp;
	unsigned long long n;
	unsigned int i = 0;
	uint64_t rate;

	if (!strcmp(key, "fair")) {
		if (strcmp(val, "flow") && strcmp(val, "class"))
			return bad(err, errlen, key, val, "flow or class");
		if (!strcmp(val, "class"))
			s->params.flags |= P4X_SCHED_P_FAIR_BY_CLASS;
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s", val);
	for (tok = strtok_r(buf, "/", &save); tok;
	     tok = strtok_r(NULL, "/", &save), i++) {
		if (i == P4X_SCHED_MAX_CLASSES)
			return bad(err, errlen, key, val, "at most 64 classes");
		cp = &s->params.cls[i];
		if (!strcmp(key, "crate")) {
			if (parse_rate(tok, &rate))
				return bad(err, errlen, key, val,
					   "rates per class, e.g. 1mbit/2mbit");
			cp->rate = rate;
			continue;
		}
		if (num(tok, !strcmp(key, "weight") ? 65535 : UINT32_MAX, &n,
			NULL) ||
		    (!strcmp(key, "weight") && !n))
			return bad(
				err, errlen, key, val,
				!strcmp(key, "weight")
					? "weights 1..65535 per class, e.g. 3/1"
					: "integers per class, e.g. 100/200");
		if (!strcmp(key, "weight"))
			cp->weight = (uint32_t)n;
		else if (!strcmp(key, "quantum"))
			cp->quantum = (uint32_t)n;
		else if (!strcmp(key, "budget"))
			cp->budget_ns = n * 1000;
		else
			cp->burst = (uint32_t)n;
	}
	return i ? 0 : bad(err, errlen, key, val, "a value per class");
}

static const struct spec_key keys[] = {
	{"limit", K_SHAPE, key_shape},	    {"bytes", K_SHAPE, key_shape},
	{"classes", K_SHAPE, key_shape},    {"flows", K_SHAPE, key_shape},
	{"buckets", K_SHAPE, key_shape},    {"rank_shift", K_SHAPE, key_shape},
	{"time_shift", K_SHAPE, key_shape}, {"drop", K_SHAPE, key_shape},
	{"rate", K_PORT, key_port},	    {"burst", K_PORT, key_port},
	{"class", K_CLS, key_cls},	    {"dscp", K_CLS, key_cls},
	{"dport", K_CLS, key_cls},	    {"weight", K_POLICY, key_policy},
	{"quantum", K_POLICY, key_policy},  {"budget", K_POLICY, key_policy},
	{"crate", K_POLICY, key_policy},    {"cburst", K_POLICY, key_policy},
	{"fair", K_POLICY, key_policy},
};

static const struct spec_key *key_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < P4X_ARRAY_SIZE(keys); i++)
		if (!strcmp(keys[i].name, name))
			return &keys[i];
	return NULL;
}

/* A key the policy object gets: appended to s->ptext. */
static int key_object(struct p4xd_sched_spec *s, const char *key,
		      const char *val, char *err, size_t errlen)
{
	size_t len = strlen(s->ptext);

	if ((size_t)snprintf(s->ptext + len, sizeof(s->ptext) - len, "%s%s=%s",
			     len ? "," : "", key,
			     val) >= sizeof(s->ptext) - len) {
		snprintf(err, errlen, "policy parameters too long");
		return -EINVAL;
	}
	return 0;
}

static int spec_kv(struct p4xd_sched_spec *s, char *tok, bool at_start,
		   char *err, size_t errlen)
{
	char *eq = strchr(tok, '=');
	const struct spec_key *k;

	if (!eq || eq == tok || !eq[1]) {
		snprintf(err, errlen, "'%s': expected key=value", tok);
		return -EINVAL;
	}
	*eq = '\0';
	k = key_find(tok);
	if (!k || (k->kind == K_POLICY && s->load)) {
		if (s->load)
			return key_object(s, tok, eq + 1, err, errlen);
		snprintf(err, errlen, "unknown key '%s' for policy %s", tok,
			 s->policy);
		return -EINVAL;
	}
	if (k->kind == K_SHAPE && !at_start) {
		snprintf(err, errlen,
			 "%s: only at start (p4xskd --sched or config)", tok);
		return -EINVAL;
	}
	return k->parse(s, tok, eq + 1, err, errlen);
}

static int spec_policy(struct p4xd_sched_spec *s, const char *name, char *err,
		       size_t errlen)
{
	size_t len = strlen(name);

	if (!len || len >= sizeof(s->policy)) {
		snprintf(err, errlen,
			 "missing policy (fifo, strict, wfq, drr, "
			 "edf, tbf or a policy .so)");
		return -EINVAL;
	}
	memcpy(s->policy, name, len + 1);
	s->load = strchr(name, '/') ||
		  (len > 3 && !strcmp(name + len - 3, ".so"));
	if (s->load || !p4x_sched_builtin_parse(name, &s->b))
		return 0;
	snprintf(err, errlen,
		 "unknown policy '%s' (fifo, strict, wfq, drr, edf, tbf or "
		 "the path of a policy .so)",
		 name);
	return -EINVAL;
}

int p4xd_sched_spec_parse(const char *text, bool at_start,
			  struct p4xd_sched_spec *s, char *err, size_t errlen)
{
	char buf[P4XD_SCHED_SPEC_MAX], *tok, *save = NULL;

	memset(s, 0, sizeof(*s));
	s->params.sz = sizeof(s->params);
	s->shape.sz = sizeof(s->shape);
	s->cls.sz = sizeof(s->cls);
	if (strlen(text) >= sizeof(buf)) {
		snprintf(err, errlen, "specification longer than %zu bytes",
			 sizeof(buf) - 1);
		return -EINVAL;
	}
	snprintf(buf, sizeof(buf), "%s", text);
	tok = strtok_r(buf, ",", &save);
	if (spec_policy(s, tok ? tok : "", err, errlen))
		return -EINVAL;
	while ((tok = strtok_r(NULL, ",", &save)))
		if (spec_kv(s, tok, at_start, err, errlen))
			return -EINVAL;
	return 0;
}

int p4xd_parse_sched(const char *arg, void *target, char *err, size_t errlen)
{
	struct p4xd_scheds *scheds = target;
	struct p4xd_sched_cfg *c = &scheds->v[scheds->n];
	const char *colon = strchr(arg, ':');
	struct p4xd_sched_spec *s;
	int ret;

	if (!colon || colon == arg || colon - arg >= P4X_IFNAMSIZ) {
		snprintf(err, errlen, "expected PORT:POLICY[,key=value...]");
		return -EINVAL;
	}
	if (scheds->n == P4X_MAX_PORTS) {
		snprintf(err, errlen, "more than %d schedulers", P4X_MAX_PORTS);
		return -EINVAL;
	}
	s = malloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	ret = p4xd_sched_spec_parse(colon + 1, true, s, err, errlen);
	free(s);
	if (ret)
		return ret;
	memcpy(c->port, arg, (size_t)(colon - arg));
	c->port[colon - arg] = '\0';
	snprintf(c->spec, sizeof(c->spec), "%s", colon + 1);
	scheds->n++;
	return 0;
}

int p4xd_sched_cfg_check(const struct p4xd_config *cfg, char *err,
			 size_t errlen)
{
	unsigned int i, j;

	for (i = 0; i < cfg->sched.n; i++) {
		if (p4xd_config_port(cfg, cfg->sched.v[i].port) < 0) {
			snprintf(err, errlen,
				 "scheduler for '%s': not a configured port",
				 cfg->sched.v[i].port);
			return -EINVAL;
		}
		for (j = 0; j < i; j++)
			if (!strcmp(cfg->sched.v[j].port,
				    cfg->sched.v[i].port)) {
				snprintf(err, errlen,
					 "port %s has two schedulers",
					 cfg->sched.v[i].port);
				return -EINVAL;
			}
	}
	return 0;
}
