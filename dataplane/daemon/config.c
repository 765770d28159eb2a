// SPDX-License-Identifier: BSD-3-Clause
/* p4xskd configuration: value parsers shared by flags and the JSON file. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "p4x/ctl.h"
#include "p4x/prog.h"

#include "config.h"
#include "sched_ctl.h"

#define MAX_QUEUES 256

/* ---- Values (the same syntax in flags and in JSON strings) ---- */

static int parse_uint(const char *s, unsigned long min, unsigned long max,
		      unsigned long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || *end || *out < min || *out > max)
		return -EINVAL;
	return 0;
}

static int set_name(char *dst, const char *name, size_t len, char *err,
		    size_t errlen)
{
	if (len == 0 || len >= P4X_IFNAMSIZ || memchr(name, '/', len)) {
		snprintf(err, errlen,
			 "interface name must be 1 to %d characters, no '/'",
			 P4X_IFNAMSIZ - 1);
		return -EINVAL;
	}
	memcpy(dst, name, len);
	dst[len] = '\0';
	return 0;
}

static int add_port(struct p4xd_ports *ports, const char *name, size_t len,
		    unsigned long queues, char *err, size_t errlen)
{
	struct p4xd_port_cfg *p = &ports->v[ports->n];

	if (ports->n == P4X_MAX_PORTS) {
		snprintf(err, errlen, "more than %d ports", P4X_MAX_PORTS);
		return -EINVAL;
	}
	if (set_name(p->name, name, len, err, errlen))
		return -EINVAL;
	p->queues = (uint16_t)queues;
	ports->n++;
	return 0;
}

/* "NAME[:QUEUES]" */
static int parse_port(const char *arg, void *target, char *err, size_t errlen)
{
	const char *colon = strchr(arg, ':');
	unsigned long q = 1;

	if (colon && parse_uint(colon + 1, 1, MAX_QUEUES, &q)) {
		snprintf(err, errlen, "queues must be an integer 1..%d",
			 MAX_QUEUES);
		return -EINVAL;
	}
	return add_port(target, arg,
			colon ? (size_t)(colon - arg) : strlen(arg), q, err,
			errlen);
}

/* "0-3,6" */
static int parse_cores(const char *arg, void *target, char *err, size_t errlen)
{
	struct p4xd_cores *c = target;
	char buf[256], *tok, *save = NULL;
	unsigned long lo, hi;

	snprintf(buf, sizeof(buf), "%s", arg);
	c->n = 0;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *dash = strchr(tok, '-');

		if (dash)
			*dash = '\0';
		if (parse_uint(tok, 0, P4XD_MAX_CORES - 1, &lo) ||
		    parse_uint(dash ? dash + 1 : tok, lo, P4XD_MAX_CORES - 1,
			       &hi) ||
		    c->n + (hi - lo) >= P4XD_MAX_CORES)
			goto err;
		for (; lo <= hi; lo++)
			c->v[c->n++] = (int)lo;
	}
	if (c->n)
		return 0;
err:
	snprintf(err, errlen, "expected a core list like 0-3,6 (cores 0..%d)",
		 P4XD_MAX_CORES - 1);
	return -EINVAL;
}

static int parse_xdp_mode(const char *arg, void *target, char *err,
			  size_t errlen)
{
	static const char *const names[] = {
		[P4X_XDP_MODE_AUTO] = "auto",
		[P4X_XDP_MODE_NATIVE] = "native",
		[P4X_XDP_MODE_GENERIC] = "generic",
	};
	unsigned int i;

	for (i = 0; i < P4X_ARRAY_SIZE(names); i++) {
		if (!strcmp(arg, names[i])) {
			*(enum p4x_xdp_mode_req *)target = i;
			return 0;
		}
	}
	snprintf(err, errlen, "expected auto, native or generic");
	return -EINVAL;
}

/* "arp,nd,nonip" */
static int parse_host(const char *arg, void *target, char *err, size_t errlen)
{
	static const struct {
		const char *name;
		uint32_t flag;
	} names[] = {
		{"arp", P4X_HOST_ARP},
		{"nd", P4X_HOST_ND},
		{"nonip", P4X_HOST_ALL_NON_IP},
		{"none", P4X_HOST_NONE},
	};
	char buf[128], *tok, *save = NULL;
	uint32_t flags = 0;
	unsigned int i;

	snprintf(buf, sizeof(buf), "%s", arg);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < P4X_ARRAY_SIZE(names); i++)
			if (!strcmp(tok, names[i].name))
				break;
		if (i == P4X_ARRAY_SIZE(names)) {
			snprintf(err, errlen,
				 "unknown host class '%s' (arp, nd, nonip, "
				 "none)",
				 tok);
			return -EINVAL;
		}
		flags |= names[i].flag;
	}
	if (!flags) {
		snprintf(err, errlen, "expected a list of arp, nd, nonip");
		return -EINVAL;
	}
	*(uint32_t *)target = flags;
	return 0;
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	int n = 0;

	if (sscanf(s, "%2hhx:%2hhx:%2hhx:%2hhx:%2hhx:%2hhx%n", &mac[0], &mac[1],
		   &mac[2], &mac[3], &mac[4], &mac[5], &n) != 6 ||
	    s[n] || n != 17)
		return -EINVAL;
	return 0;
}

static int fwd_option(struct p4xd_fwd_cfg *f, char *tok, char *err,
		      size_t errlen)
{
	bool dst = !strncmp(tok, "dmac=", 5);

	if (!dst && strncmp(tok, "smac=", 5)) {
		snprintf(err, errlen, "unknown rule option '%s' (dmac=, smac=)",
			 tok);
		return -EINVAL;
	}
	if (parse_mac(tok + 5, dst ? f->dmac : f->smac)) {
		snprintf(err, errlen, "bad MAC address '%s'", tok + 5);
		return -EINVAL;
	}
	f->flags |= dst ? P4X_FWD_SET_DST : P4X_FWD_SET_SRC;
	return 0;
}

/* "IN=OUT[,dmac=MAC][,smac=MAC]" */
static int parse_fwd(const char *arg, void *target, char *err, size_t errlen)
{
	struct p4xd_fwds *fwds = target;
	struct p4xd_fwd_cfg f = {0};
	char buf[128], *tok, *eq, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", arg);
	tok = strtok_r(buf, ",", &save);
	eq = tok ? strchr(tok, '=') : NULL;
	if (!eq) {
		snprintf(err, errlen, "expected IN=OUT[,dmac=MAC][,smac=MAC]");
		return -EINVAL;
	}
	if (set_name(f.in, tok, (size_t)(eq - tok), err, errlen) ||
	    set_name(f.out, eq + 1, strlen(eq + 1), err, errlen))
		return -EINVAL;
	while ((tok = strtok_r(NULL, ",", &save)))
		if (fwd_option(&f, tok, err, errlen))
			return -EINVAL;
	if (fwds->n == P4X_MAX_PORTS) {
		snprintf(err, errlen, "more than %d rules", P4X_MAX_PORTS);
		return -EINVAL;
	}
	fwds->v[fwds->n++] = f;
	return 0;
}

static int parse_log_level(const char *arg, void *target, char *err,
			   size_t errlen)
{
	static const char *const names[] = {
		[P4X_LOG_WARN] = "warn",
		[P4X_LOG_INFO] = "info",
		[P4X_LOG_DEBUG] = "debug",
	};
	unsigned int i;

	for (i = 0; i < P4X_ARRAY_SIZE(names); i++) {
		if (!strcmp(arg, names[i])) {
			*(enum p4x_log_level *)target = i;
			return 0;
		}
	}
	snprintf(err, errlen, "expected warn, info or debug");
	return -EINVAL;
}

static int parse_sock(const char *arg, void *target, char *err, size_t errlen)
{
	char *sock = target;

	if (!*arg || strlen(arg) >= sizeof(((struct p4xd_config *)0)->sock)) {
		snprintf(err, errlen, "socket path must be 1 to %zu bytes",
			 sizeof(((struct p4xd_config *)0)->sock) - 1);
		return -EINVAL;
	}
	strcpy(sock, arg);
	return 0;
}

#define CFG_OPT(n, s, t, field, fn, meta, hlp) \
	P4X_OPT(n, s, t, struct p4xd_config, field, fn, meta, hlp)

const struct p4x_opt p4xd_options[] = {
	CFG_OPT("config", 'c', P4X_OPT_STRING, config_file, NULL, "FILE",
		"read the JSON configuration FILE first"),
	CFG_OPT("port", 'i', P4X_OPT_FUNC, ports, parse_port, "NAME[:QUEUES]",
		"serve interface NAME on queues 0..QUEUES-1 (repeatable)"),
	CFG_OPT("cores", 0, P4X_OPT_FUNC, cores, parse_cores, "LIST",
		"pin workers to these cores, round robin (e.g. 0-1,3; default: "
		"all allowed)"),
	CFG_OPT("xdp-mode", 0, P4X_OPT_FUNC, xdp_mode, parse_xdp_mode, "MODE",
		"XDP attach mode: auto, native or generic"),
	CFG_OPT("host", 0, P4X_OPT_FUNC, host_flags, parse_host, "LIST",
		"traffic passed to the host stack: arp,nd,nonip or none"),
	CFG_OPT("program", 0, P4X_OPT_STRING, program, NULL, "DIR",
		"run the P4TC program directory DIR instead of the built-in "
		"forwarding (see p4xsk load)"),
	CFG_OPT("fwd", 'f', P4X_OPT_FUNC, fwd, parse_fwd,
		"IN=OUT[,dmac=MAC][,smac=MAC]",
		"forward IN to OUT, rewriting MACs (repeatable)"),
	CFG_OPT("sched", 0, P4X_OPT_FUNC, sched, p4xd_parse_sched,
		"PORT:POLICY[,k=v...]",
		"egress scheduler of PORT (repeatable; docs/control.md)"),
	CFG_OPT("bridge", 0, P4X_OPT_FUNC, bridge, p4xd_parse_bridge,
		"rtnl:BINDING|rtnl-rcvbuf:BYTES|p4tc[:require]",
		"mirror the kernel into the P4 tables (repeatable; "
		"docs/bridge.md)"),
	CFG_OPT("replace-stale", 0, P4X_OPT_FLAG, replace_stale, NULL, NULL,
		"replace a p4xsk XDP program left by a crashed run"),
	CFG_OPT("no-tx", 0, P4X_OPT_FLAG, no_tx, NULL, NULL,
		"run the pipeline, then drop every packet (benchmarks)"),
	CFG_OPT("log-level", 'l', P4X_OPT_FUNC, log_level, parse_log_level,
		"LEVEL", "warn, info or debug"),
	CFG_OPT("sock", 's', P4X_OPT_FUNC, sock, parse_sock, "PATH",
		"control socket (default $" P4X_CTL_SOCK_ENV
		" or " P4X_CTL_SOCK_DEFAULT ")"),
	CFG_OPT("version", 'V', P4X_OPT_FLAG, version, NULL, NULL,
		"print the version and exit"),
	CFG_OPT("help", 'h', P4X_OPT_FLAG, help, NULL, NULL,
		"print this help and exit"),
	{.type = P4X_OPT_END},
};

/* ---- The JSON file ---- */

struct json_key;
typedef int (*json_handler_fn)(const struct json_key *k, struct json_object *v,
			       void *field, char *err, size_t errlen);

struct json_key {
	const char *key;
	size_t offset;
	p4x_opt_parse_fn parse;
	json_handler_fn handle;
};

static int want(json_type t, struct json_object *v, const char *what, char *err,
		size_t errlen)
{
	if (json_object_is_type(v, t))
		return 0;
	snprintf(err, errlen, "expected %s, got %s", what,
		 json_type_to_name(json_object_get_type(v)));
	return -EINVAL;
}

static int json_string(const struct json_key *k, struct json_object *v,
		       void *field, char *err, size_t errlen)
{
	if (want(json_type_string, v, "a string", err, errlen))
		return -EINVAL;
	return k->parse(json_object_get_string(v), field, err, errlen);
}

static int json_boolean(const struct json_key *k, struct json_object *v,
			void *field, char *err, size_t errlen)
{
	if (want(json_type_boolean, v, "true or false", err, errlen))
		return -EINVAL;
	*(bool *)field = json_object_get_boolean(v);
	return 0;
}

/* A string, or an array of strings/integers joined with commas. */
static int json_list(const struct json_key *k, struct json_object *v,
		     void *field, char *err, size_t errlen)
{
	char buf[512] = "";
	size_t i, len = 0;

	if (json_object_is_type(v, json_type_string))
		return json_string(k, v, field, err, errlen);
	if (want(json_type_array, v, "an array or a string", err, errlen))
		return -EINVAL;
	for (i = 0; i < json_object_array_length(v); i++) {
		struct json_object *e = json_object_array_get_idx(v, i);

		if (!json_object_is_type(e, json_type_string) &&
		    !json_object_is_type(e, json_type_int)) {
			snprintf(err, errlen,
				 "[%zu]: expected a string or an "
				 "integer",
				 i);
			return -EINVAL;
		}
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
					i ? "," : "",
					json_object_get_string(e));
		if (len >= sizeof(buf)) {
			snprintf(err, errlen, "list too long");
			return -EINVAL;
		}
	}
	return k->parse(buf, field, err, errlen);
}

/*
 * An object's members rewritten in flag syntax: @fields lists the allowed
 * members in order with the separator written before each; the first is
 * required.
 */
struct obj_field {
	const char *name;
	const char *sep;
	bool integer;
};

static int obj_to_arg(struct json_object *o, const struct obj_field *fields,
		      char *buf, size_t len, char *err, size_t errlen)
{
	const struct obj_field *f;
	size_t used = 0;

	json_object_object_foreach(o, key, val)
	{
		for (f = fields; f->name && strcmp(f->name, key); f++)
			;
		if (!f->name) {
			snprintf(err, errlen, "unknown key '%s'", key);
			return -EINVAL;
		}
		if (want(f->integer ? json_type_int : json_type_string, val,
			 f->integer ? "an integer" : "a string", err, errlen))
			return -EINVAL;
	}
	for (f = fields; f->name; f++) {
		struct json_object *member;

		if (!json_object_object_get_ex(o, f->name, &member)) {
			if (f == fields) {
				snprintf(err, errlen, "missing key '%s'",
					 f->name);
				return -EINVAL;
			}
			continue;
		}
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 f == fields ? "" : f->sep,
					 json_object_get_string(member));
		if (used >= len) {
			snprintf(err, errlen, "value too long");
			return -EINVAL;
		}
	}
	return 0;
}

static const struct obj_field port_fields[] = {
	{.name = "name", .sep = ""},
	{.name = "queues", .sep = ":", .integer = true},
	{.name = NULL},
};

static const struct obj_field fwd_fields[] = {
	{.name = "in", .sep = ""},
	{.name = "out", .sep = "="},
	{.name = "dmac", .sep = ",dmac="},
	{.name = "smac", .sep = ",smac="},
	{.name = NULL},
};

/* An array of objects (per @fields) or strings in flag syntax. */
static int json_objects(const struct json_key *k, struct json_object *v,
			void *field, const struct obj_field *fields, char *err,
			size_t errlen)
{
	char arg[128], why[200];
	size_t i;

	if (want(json_type_array, v, "an array", err, errlen))
		return -EINVAL;
	for (i = 0; i < json_object_array_length(v); i++) {
		struct json_object *e = json_object_array_get_idx(v, i);
		int ret = 0;

		if (json_object_is_type(e, json_type_string))
			snprintf(arg, sizeof(arg), "%s",
				 json_object_get_string(e));
		else if (json_object_is_type(e, json_type_object))
			ret = obj_to_arg(e, fields, arg, sizeof(arg), why,
					 sizeof(why));
		else {
			snprintf(why, sizeof(why),
				 "expected an object or a string");
			ret = -EINVAL;
		}
		if (!ret)
			ret = k->parse(arg, field, why, sizeof(why));
		if (ret) {
			snprintf(err, errlen, "[%zu]: %s", i, why);
			return -EINVAL;
		}
	}
	return 0;
}

static int json_ports(const struct json_key *k, struct json_object *v,
		      void *field, char *err, size_t errlen)
{
	return json_objects(k, v, field, port_fields, err, errlen);
}

static int json_fwds(const struct json_key *k, struct json_object *v,
		     void *field, char *err, size_t errlen)
{
	return json_objects(k, v, field, fwd_fields, err, errlen);
}

static const struct obj_field sched_fields[] = {
	{.name = "port", .sep = ""},
	{.name = "policy", .sep = ":"},
	{.name = "params", .sep = ","},
	{.name = NULL},
};

static int json_scheds(const struct json_key *k, struct json_object *v,
		       void *field, char *err, size_t errlen)
{
	return json_objects(k, v, field, sched_fields, err, errlen);
}

#define JKEY(k, field, fn, h)                                 \
	{                                                     \
		k, offsetof(struct p4xd_config, field), fn, h \
	}

static const struct json_key json_keys[] = {
	JKEY("sock", sock, parse_sock, json_string),
	JKEY("ports", ports, parse_port, json_ports),
	JKEY("cores", cores, parse_cores, json_list),
	JKEY("xdp_mode", xdp_mode, parse_xdp_mode, json_string),
	JKEY("host", host_flags, parse_host, json_list),
	JKEY("forward", fwd, parse_fwd, json_fwds),
	JKEY("sched", sched, p4xd_parse_sched, json_scheds),
	JKEY("replace_stale", replace_stale, NULL, json_boolean),
	JKEY("no_tx", no_tx, NULL, json_boolean),
	JKEY("log_level", log_level, parse_log_level, json_string),
};

static const struct json_key *json_key_find(const char *key)
{
	unsigned int i;

	for (i = 0; i < P4X_ARRAY_SIZE(json_keys); i++)
		if (!strcmp(json_keys[i].key, key))
			return &json_keys[i];
	return NULL;
}

static struct json_object *json_parse(const char *text, const char *origin,
				      char *err, size_t errlen)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *root;
	enum json_tokener_error jerr;

	if (!tok) {
		snprintf(err, errlen, "%s: out of memory", origin);
		return NULL;
	}
	root = json_tokener_parse_ex(tok, text, (int)strlen(text) + 1);
	jerr = json_tokener_get_error(tok);
	if (jerr != json_tokener_success) {
		snprintf(err, errlen, "%s: invalid JSON at byte %zu: %s",
			 origin, json_tokener_get_parse_end(tok),
			 json_tokener_error_desc(jerr));
		json_object_put(root);
		root = NULL;
	}
	json_tokener_free(tok);
	return root;
}

int p4xd_config_parse_json(struct p4xd_config *cfg, const char *text,
			   const char *origin, char *err, size_t errlen)
{
	struct json_object *root = json_parse(text, origin, err, errlen);
	char why[256];
	int ret = 0;

	if (!root)
		return -EINVAL;
	if (!json_object_is_type(root, json_type_object)) {
		snprintf(err, errlen, "%s: the top level must be an object",
			 origin);
		ret = -EINVAL;
		goto out;
	}
	json_object_object_foreach(root, key, val)
	{
		const struct json_key *k = json_key_find(key);

		if (!k) {
			snprintf(err, errlen, "%s: unknown key '%s'", origin,
				 key);
			ret = -EINVAL;
			break;
		}
		ret = k->handle(k, val, (char *)cfg + k->offset, why,
				sizeof(why));
		if (ret) {
			snprintf(err, errlen, "%s: %s%s%s", origin, key,
				 why[0] == '[' ? "" : ": ", why);
			break;
		}
	}
out:
	json_object_put(root);
	return ret;
}

/* ---- Start-up sequence ---- */

void p4xd_config_init(struct p4xd_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->xdp_mode = P4X_XDP_MODE_AUTO;
	cfg->log_level = P4X_LOG_INFO;
}

static char *read_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t size = 0;
	long len;

	if (!f)
		goto err;
	if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET))
		goto err_close;
	size = (size_t)len;
	text = malloc(size + 1);
	if (!text || fread(text, 1, size, f) != size)
		goto err_close;
	text[size] = '\0';
	fclose(f);
	return text;

err_close:
	free(text);
	fclose(f);
err:
	snprintf(err, errlen, "cannot read config file %s: %s", path,
		 strerror(errno ? errno : EIO));
	return NULL;
}

int p4xd_config_load(struct p4xd_config *cfg, int argc, char **argv, char *err,
		     size_t errlen)
{
	struct p4xd_config *first = malloc(sizeof(*first));
	char *text;
	int ret;

	if (!first)
		return -ENOMEM;
	/* Pass 1: find -c (and reject bad flags before touching files). */
	p4xd_config_init(first);
	ret = p4x_opts_parse(p4xd_options, argc, argv, first, false, err,
			     errlen);
	p4xd_config_init(cfg);
	if (ret >= 0 && first->config_file && !first->help && !first->version) {
		text = read_file(first->config_file, err, errlen);
		ret = text ? p4xd_config_parse_json(
				     cfg, text, first->config_file, err, errlen)
			   : -ENOENT;
		free(text);
	}
	free(first);
	if (ret < 0)
		return ret;
	/* Pass 2: flags override the file's scalars, add to its lists. */
	ret = p4x_opts_parse(p4xd_options, argc, argv, cfg, false, err, errlen);
	if (ret < 0)
		return ret;
	if (cfg->help || cfg->version)
		return 0;
	return p4xd_config_check(cfg, err, errlen);
}

int p4xd_config_port(const struct p4xd_config *cfg, const char *name)
{
	unsigned int i;

	for (i = 0; i < cfg->ports.n; i++)
		if (!strcmp(cfg->ports.v[i].name, name))
			return (int)i;
	return -1;
}

static int check_fwd(const struct p4xd_config *cfg, unsigned int i, char *err,
		     size_t errlen)
{
	const struct p4xd_fwd_cfg *f = &cfg->fwd.v[i];
	const char *missing = NULL;
	unsigned int j;

	if (p4xd_config_port(cfg, f->in) < 0)
		missing = f->in;
	else if (p4xd_config_port(cfg, f->out) < 0)
		missing = f->out;
	if (missing) {
		snprintf(err, errlen,
			 "forward rule %s=%s: '%s' is not a configured port",
			 f->in, f->out, missing);
		return -EINVAL;
	}
	for (j = 0; j < i; j++) {
		if (!strcmp(cfg->fwd.v[j].in, f->in)) {
			snprintf(err, errlen,
				 "forward rule %s=%s: port '%s' already has "
				 "a rule",
				 f->in, f->out, f->in);
			return -EINVAL;
		}
	}
	return 0;
}

int p4xd_config_check(const struct p4xd_config *cfg, char *err, size_t errlen)
{
	unsigned int i;

	for (i = 0; i < cfg->ports.n; i++) {
		if (p4xd_config_port(cfg, cfg->ports.v[i].name) != (int)i) {
			snprintf(err, errlen, "port %s is configured twice",
				 cfg->ports.v[i].name);
			return -EINVAL;
		}
	}
	for (i = 0; i < cfg->fwd.n; i++)
		if (check_fwd(cfg, i, err, errlen))
			return -EINVAL;
	return p4xd_sched_cfg_check(cfg, err, errlen);
}
