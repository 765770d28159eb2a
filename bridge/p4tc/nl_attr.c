// SPDX-License-Identifier: BSD-3-Clause
/* P4TC netlink codec: attribute walking and typed readers with checks,
 * error location, pools, version specs. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "nl_priv.h"

/* "root/1/params/action 1/param 2" from the location stack */
static void format_where(const struct nl_ctx *c, char *buf, size_t sz)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < c->depth_loc && n < sz; i++) {
		const struct nl_loc *l = &c->loc[i];
		const char *sep = i ? "/" : "";

		if (l->label && l->num >= 0)
			n += snprintf(buf + n, sz - n, "%s%s %d", sep, l->label,
				      l->num);
		else if (l->label)
			n += snprintf(buf + n, sz - n, "%s%s", sep, l->label);
		else
			n += snprintf(buf + n, sz - n, "%s%d", sep, l->num);
	}
}

int nl_fail(struct nl_ctx *c, int ret, const char *fmt, ...)
{
	char where[256];
	size_t n;
	va_list ap;

	if (c->err[0]) /* the first (innermost) reason wins */
		return ret;
	format_where(c, where, sizeof(where));
	n = (size_t)snprintf(c->err, c->errsz,
			     "%s seq %u: %s: ", nl_type_name(c->msg->type),
			     c->msg->seq, where[0] ? where : "message");
	if (n < c->errsz) {
		va_start(ap, fmt);
		vsnprintf(c->err + n, c->errsz - n, fmt, ap);
		va_end(ap);
	}
	return ret;
}

unsigned int nl_push(struct nl_ctx *c, const char *label, int num)
{
	unsigned int old = c->depth_loc;

	if (old < P4X_ARRAY_SIZE(c->loc)) {
		c->loc[old].label = label;
		c->loc[old].num = num;
		c->depth_loc = old + 1;
	}
	return old;
}

int nl_walk(struct nl_ctx *c, const void *data, size_t len, nl_attr_fn fn,
	    void *arg)
{
	const struct nlattr *a = data;
	int left = (int)len, ret;

	while (left > 0) {
		if (left < (int)sizeof(*a) || a->nla_len < sizeof(*a) ||
		    a->nla_len > left)
			return nl_fail(
				c, -EINVAL,
				"attribute truncated: %d bytes left, "
				"attribute says %u",
				left, left >= (int)sizeof(*a) ? a->nla_len : 0);
		ret = fn(c, a, arg);
		if (ret)
			return ret;
		left -= MNL_ALIGN(a->nla_len);
		a = (const struct nlattr *)((const char *)a +
					    MNL_ALIGN(a->nla_len));
	}
	return 0;
}

int nl_walk_nest(struct nl_ctx *c, const struct nlattr *nest, nl_attr_fn fn,
		 void *arg)
{
	return nl_walk(c, mnl_attr_get_payload(nest),
		       mnl_attr_get_payload_len(nest), fn, arg);
}

struct parse_arg {
	const struct nlattr **tb;
	unsigned int max;
};

static int parse_one(struct nl_ctx *c, const struct nlattr *a, void *arg)
{
	struct parse_arg *p = arg;
	uint16_t type = mnl_attr_get_type(a);

	if (type == 0 || type > p->max)
		return nl_fail(c, -EOPNOTSUPP,
			       "unknown attribute type %u (known: 1..%u)", type,
			       p->max);
	p->tb[type] = a;
	return 0;
}

int nl_parse_nest(struct nl_ctx *c, const struct nlattr *nest,
		  const struct nlattr **tb, unsigned int max)
{
	struct parse_arg p = {tb, max};

	memset(tb, 0, (max + 1) * sizeof(*tb));
	return nl_walk_nest(c, nest, parse_one, &p);
}

static int want_len(struct nl_ctx *c, const struct nlattr *a, size_t n)
{
	size_t got = mnl_attr_get_payload_len(a);

	if (got != n)
		return nl_fail(c, -EINVAL,
			       "attribute %u has %zu bytes, expected %zu",
			       mnl_attr_get_type(a), got, n);
	return 0;
}

int nl_u8(struct nl_ctx *c, const struct nlattr *a, uint8_t *v)
{
	int ret = want_len(c, a, 1);

	if (!ret)
		*v = mnl_attr_get_u8(a);
	return ret;
}

int nl_u16(struct nl_ctx *c, const struct nlattr *a, uint16_t *v)
{
	int ret = want_len(c, a, 2);

	if (!ret)
		*v = mnl_attr_get_u16(a);
	return ret;
}

int nl_u32(struct nl_ctx *c, const struct nlattr *a, uint32_t *v)
{
	int ret = want_len(c, a, 4);

	if (!ret)
		*v = mnl_attr_get_u32(a);
	return ret;
}

int nl_u64(struct nl_ctx *c, const struct nlattr *a, uint64_t *v)
{
	int ret = want_len(c, a, 8);

	if (!ret)
		memcpy(v, mnl_attr_get_payload(a), 8);
	return ret;
}

int nl_uint(struct nl_ctx *c, const struct nlattr *a, uint64_t max, uint64_t *v)
{
	uint16_t len = mnl_attr_get_payload_len(a);

	switch (len) {
	case 1:
		*v = mnl_attr_get_u8(a);
		break;
	case 2:
		*v = mnl_attr_get_u16(a);
		break;
	case 4:
		*v = mnl_attr_get_u32(a);
		break;
	case 8:
		memcpy(v, mnl_attr_get_payload(a), 8);
		break;
	default:
		return nl_fail(c, -EINVAL,
			       "attribute %u has %u bytes, expected 1, 2, 4 "
			       "or 8",
			       mnl_attr_get_type(a), len);
	}
	if (*v > max)
		return nl_fail(c, -ERANGE, "attribute %u is %llu, above %llu",
			       mnl_attr_get_type(a), (unsigned long long)*v,
			       (unsigned long long)max);
	return 0;
}

int nl_str(struct nl_ctx *c, const struct nlattr *a, char *buf, size_t sz)
{
	const char *s = mnl_attr_get_payload(a);
	size_t len = mnl_attr_get_payload_len(a);
	size_t n = strnlen(s, len);

	if (n == len)
		return nl_fail(c, -EINVAL,
			       "string attribute %u is not NUL-terminated",
			       mnl_attr_get_type(a));
	if (n >= sz)
		return nl_fail(c, -ENAMETOOLONG,
			       "string attribute %u is %zu characters, at "
			       "most %zu fit",
			       mnl_attr_get_type(a), n, sz - 1);
	memcpy(buf, s, n + 1);
	return 0;
}

int nl_bin(struct nl_ctx *c, const struct nlattr *a, uint8_t *buf, size_t max,
	   uint16_t *len)
{
	size_t n = mnl_attr_get_payload_len(a);

	if (n == 0 || n > max)
		return nl_fail(c, -EINVAL,
			       "attribute %u has %zu bytes, expected 1..%zu",
			       mnl_attr_get_type(a), n, max);
	memcpy(buf, mnl_attr_get_payload(a), n);
	*len = (uint16_t)n;
	return 0;
}

int nl_nested(struct nl_ctx *c, const struct nlattr *a)
{
	size_t n = mnl_attr_get_payload_len(a);

	if (n && n < sizeof(struct nlattr))
		return nl_fail(c, -EINVAL,
			       "attribute %u should be a nest, has %zu bytes",
			       mnl_attr_get_type(a), n);
	return 0;
}

int nl_pool_reserve(struct nl_pool *p, size_t n)
{
	void *b;

	p->n = 0;
	if (n <= p->cap)
		return 0;
	b = realloc(p->base, n * p->elsz);
	if (!b)
		return -ENOMEM;
	p->base = b;
	p->cap = n;
	return 0;
}

void *nl_pool_add(struct nl_pool *p)
{
	void *e;

	if (p->n >= p->cap)
		return NULL;
	e = (char *)p->base + p->n++ * p->elsz;
	return e;
}

const char *nl_type_name(uint16_t type)
{
	static const char *const names[] = {
		"RTM_CREATEP4TEMPLATE", "RTM_DELP4TEMPLATE",
		"RTM_GETP4TEMPLATE",	"RTM_UPDATEP4TEMPLATE",
		"RTM_P4TC_CREATE",	"RTM_P4TC_DEL",
		"RTM_P4TC_GET",		"RTM_P4TC_UPDATE",
	};

	if (type >= RTM_CREATEP4TEMPLATE && type <= RTM_P4TC_UPDATE)
		return names[type - RTM_CREATEP4TEMPLATE];
	if (type == NLMSG_ERROR)
		return "NLMSG_ERROR";
	if (type == NLMSG_DONE)
		return "NLMSG_DONE";
	return "netlink message";
}

bool nl_root_has_slots(const struct nlattr *root)
{
	const struct nlattr *a;
	size_t n;

	mnl_attr_for_each_nested(a, root)
	{
		if (mnl_attr_get_type(a) > P4TC_COUNT)
			return true;
		n = mnl_attr_get_payload_len(a);
		if (mnl_attr_get_type(a) == P4TC_PATH &&
		    !(a->nla_type & NLA_F_NESTED) && n && n % 4 == 0 &&
		    n / 4 <= P4TC_PATH_MAX)
			return false;
	}
	return mnl_attr_get_payload_len(root) > 0 &&
	       mnl_attr_get_type(mnl_attr_get_payload(root)) != P4TC_PARAMS;
}
