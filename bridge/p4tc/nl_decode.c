// SPDX-License-Identifier: BSD-3-Clause
/* P4TC netlink decoder: the codec object, message header and root,
 * runtime slots, NLMSG_ERROR and NLMSG_DONE. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "p4x/log.h"

#include "nl_priv.h"

static const char *const kind_names[] = {
#define P4X_P4TC_NL_KIND_NAME(e, name) name,
	P4X_P4TC_NL_KINDS(P4X_P4TC_NL_KIND_NAME)
#undef P4X_P4TC_NL_KIND_NAME
};

const char *p4x_p4tc_nl_kind__name(enum p4x_p4tc_nl_kind k)
{
	if ((unsigned int)k >= P4X_ARRAY_SIZE(kind_names))
		return "?";
	return kind_names[k];
}

struct p4x_p4tc_nl *p4x_p4tc_nl__new(const struct p4x_p4tc_nl_opts *opts)
{
	struct p4x_p4tc_nl *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	if (opts && opts->sz >= sizeof(*opts)) {
		if (opts->version < 0 ||
		    opts->version >= P4X_P4TC_NL_VER__COUNT) {
			free(c);
			errno = EINVAL;
			return NULL;
		}
		c->fixed = opts->version;
		c->quiet = opts->quiet;
	}
	c->entries.elsz = sizeof(struct p4x_p4tc_nl_entry);
	c->tmpls.elsz = sizeof(struct p4x_p4tc_nl_tmpl);
	c->params.elsz = sizeof(struct p4x_p4tc_nl_param);
	c->fnodes.elsz = sizeof(struct p4x_p4tc_nl_fnode);
	c->tattrs.elsz = sizeof(struct p4x_p4tc_nl_tbl_attrs);
	return c;
}

void p4x_p4tc_nl__free(struct p4x_p4tc_nl *c)
{
	if (!c)
		return;
	free(c->entries.base);
	free(c->tmpls.base);
	free(c->params.base);
	free(c->fnodes.base);
	free(c->tattrs.base);
	free(c);
}

enum p4x_p4tc_nl_version p4x_p4tc_nl__version(const struct p4x_p4tc_nl *c)
{
	return c->fixed != P4X_P4TC_NL_VER_AUTO ? c->fixed : c->detected;
}

bool p4x_p4tc_nl__handles(uint16_t t)
{
	return (t >= RTM_CREATEP4TEMPLATE && t <= RTM_P4TC_UPDATE) ||
	       t == NLMSG_ERROR || t == NLMSG_DONE;
}

/* --- NLMSG_ERROR / NLMSG_DONE -------------------------------------------- */

static void parse_batch(struct p4x_p4tc_nl_msg *m)
{
	const char *s = strstr(m->extack, "\nS ");
	unsigned int ok, n;

	if (s && sscanf(s + 3, "%u/%u", &ok, &n) == 2) {
		m->has_batch = true;
		m->batch_ok = ok;
		m->batch_n = n;
	}
}

static int ext_ack_one(struct nl_ctx *c, const struct nlattr *a, void *arg)
{
	uint16_t t = mnl_attr_get_type(a);

	if (t > NLMSGERR_ATTR_MAX)
		return nl_fail(c, -EOPNOTSUPP, "unknown extack attribute %u",
			       t);
	if (t == NLMSGERR_ATTR_MSG)
		return nl_str(c, a, c->msg->extack, sizeof(c->msg->extack));
	return 0;
}

static int decode_status(struct nl_ctx *c, const uint8_t *p, size_t n,
			 size_t tlv_off)
{
	struct p4x_p4tc_nl_msg *m = c->msg;
	int32_t status = 0;
	int ret = 0;

	if (n >= sizeof(status))
		memcpy(&status, p, sizeof(status));
	else if (n || m->kind == P4X_P4TC_NL_ERROR)
		return nl_fail(c, -EINVAL, "status has %zu bytes, expected 4",
			       n);
	if (status > 0 || status < -4095)
		return nl_fail(c, -EINVAL, "status %d is not 0 or -errno",
			       status);
	m->error = status;
	if (m->flags & NLM_F_ACK_TLVS) {
		if (tlv_off > n)
			return nl_fail(c, -EINVAL,
				       "extended ack at %zu beyond %zu bytes",
				       tlv_off, n);
		ret = nl_walk(c, p + MNL_ALIGN(tlv_off), n - MNL_ALIGN(tlv_off),
			      ext_ack_one, NULL);
	}
	if (!ret)
		parse_batch(m);
	return ret;
}

static int decode_error(struct nl_ctx *c, const struct nlmsghdr *nlh)
{
	const uint8_t *p = mnl_nlmsg_get_payload(nlh);
	size_t n = mnl_nlmsg_get_payload_len(nlh);
	struct nlmsgerr e;
	size_t off = sizeof(e);

	c->msg->kind = P4X_P4TC_NL_ERROR;
	if (n < sizeof(e))
		return nl_fail(c, -EINVAL,
			       "error payload has %zu bytes, expected %zu", n,
			       sizeof(e));
	memcpy(&e, p, sizeof(e));
	c->msg->req_type = e.msg.nlmsg_type;
	if (!(c->msg->flags & NLM_F_CAPPED)) {
		if (e.msg.nlmsg_len < NLMSG_HDRLEN)
			return nl_fail(c, -EINVAL,
				       "echoed request length %u too short",
				       e.msg.nlmsg_len);
		off += e.msg.nlmsg_len - NLMSG_HDRLEN;
	}
	return decode_status(c, p, n, off);
}

static int decode_done(struct nl_ctx *c, const struct nlmsghdr *nlh)
{
	c->msg->kind = P4X_P4TC_NL_DONE;
	return decode_status(c, mnl_nlmsg_get_payload(nlh),
			     mnl_nlmsg_get_payload_len(nlh), sizeof(int));
}

/* --- P4TC messages ------------------------------------------------------- */

struct root_attrs {
	const struct nlattr *root, *subscribe;
};

static int root_one(struct nl_ctx *c, const struct nlattr *a, void *arg)
{
	struct root_attrs *r = arg;
	struct p4x_p4tc_nl_msg *m = c->msg;
	uint16_t t = mnl_attr_get_type(a);
	const char *s = mnl_attr_get_payload(a);
	size_t n = mnl_attr_get_payload_len(a);
	int ret;

	switch (t) {
	case P4TC_ROOT:
		r->root = a;
		return nl_nested(c, a);
	case P4TC_ROOT_PNAME:
		/* kernel replies: a 32-byte reserve with a stale tail */
		if (strnlen(s, n) == n || strnlen(s, n) >= sizeof(m->pname))
			return nl_fail(c, -EINVAL,
				       "P4TC_ROOT_PNAME is not a string of "
				       "at most %zu characters",
				       sizeof(m->pname) - 1);
		strcpy(m->pname, s);
		return 0;
	case P4TC_ROOT_COUNT:
	case P4TC_ROOT_FLAGS:
	case P4TC_ROOT_SUBSCRIBE:
		ret = nl_need_version(c, P4X_P4TC_NL_VER_V17,
				      "root attributes COUNT/FLAGS/SUBSCRIBE");
		if (ret)
			return ret;
		if (t == P4TC_ROOT_SUBSCRIBE) {
			r->subscribe = a;
			return nl_nested(c, a);
		}
		if (t == P4TC_ROOT_COUNT)
			m->has_root_count = true;
		else
			m->has_root_flags = true;
		return nl_u32(c, a,
			      t == P4TC_ROOT_COUNT ? &m->root_count
						   : &m->root_flags);
	}
	return nl_fail(c, -EOPNOTSUPP, "unknown root attribute %u", t);
}

static int slot_one(struct nl_ctx *c, const struct nlattr *a, void *arg)
{
	struct p4x_p4tc_nl_entry *e = nl_pool_add(&c->codec->entries);
	unsigned int w = nl_push(c, NULL, mnl_attr_get_type(a));
	int ret;

	ret = e ? nl_decode_slot(c, a, e)
		: nl_fail(c, -E2BIG, "entry pool full");
	nl_pop(c, w);
	return ret;
}

static void runtime_kind(struct p4x_p4tc_nl_msg *m, size_t n,
			 const struct p4x_p4tc_nl_entry *e)
{
	bool flush = n > 0;

	for (size_t i = 0; i < n; i++)
		if (e[i].present != 1u << P4X_P4TC_NL_F_COUNT)
			flush = false;
	m->kind = flush ? P4X_P4TC_NL_FLUSH : P4X_P4TC_NL_ENTRIES;
}

static int decode_runtime(struct nl_ctx *c, const struct root_attrs *r)
{
	unsigned int w;
	int ret = 0;

	if (c->msg->obj == P4TC_OBJ_RUNTIME_EXTERN) {
		ret = nl_need_version(c, P4X_P4TC_NL_VER_V17,
				      "runtime externs");
		return ret ? ret
			   : nl_fail(c, -EOPNOTSUPP,
				     "runtime extern messages are not decoded");
	}
	if (c->msg->obj != P4TC_OBJ_RUNTIME_TABLE)
		return nl_fail(c, -EOPNOTSUPP, "unknown runtime object %u",
			       c->msg->obj);
	if (r->subscribe && r->root)
		return nl_fail(c, -EINVAL, "both ROOT and SUBSCRIBE");
	if (r->subscribe) {
		c->msg->kind = P4X_P4TC_NL_SUBSCRIBE;
		w = nl_push(c, "subscribe", -1);
		ret = slot_one(c, r->subscribe, NULL);
		nl_pop(c, w);
		return ret;
	}
	if (r->root && nl_root_has_slots(r->root)) {
		c->msg->root_slots = true;
		w = nl_push(c, "root", -1);
		ret = nl_walk_nest(c, r->root, slot_one, NULL);
		nl_pop(c, w);
	} else if (r->root) {
		ret = slot_one(c, r->root, NULL);
	}
	if (!ret)
		runtime_kind(c->msg, c->codec->entries.n,
			     c->codec->entries.base);
	return ret;
}

static int decode_p4tc(struct nl_ctx *c, const struct nlmsghdr *nlh)
{
	struct root_attrs r = {NULL, NULL};
	struct p4tcmsg hdr;
	unsigned int w;
	int ret;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(hdr))
		return nl_fail(
			c, -EINVAL,
			"payload has %zu bytes, struct p4tcmsg needs %zu",
			mnl_nlmsg_get_payload_len(nlh), sizeof(hdr));
	memcpy(&hdr, mnl_nlmsg_get_payload(nlh), sizeof(hdr));
	c->msg->pipeid = hdr.pipeid;
	c->msg->obj = hdr.obj;
	ret = nl_walk(c, mnl_nlmsg_get_payload_offset(nlh, sizeof(hdr)),
		      (const char *)mnl_nlmsg_get_payload_tail(nlh) -
			      (const char *)mnl_nlmsg_get_payload_offset(
				      nlh, sizeof(hdr)),
		      root_one, &r);
	if (ret)
		return ret;
	if (nlh->nlmsg_type >= RTM_P4TC_CREATE)
		return decode_runtime(c, &r);
	if (r.subscribe)
		return nl_fail(c, -EINVAL, "SUBSCRIBE in a template message");
	c->msg->kind = P4X_P4TC_NL_TEMPLATES;
	w = nl_push(c, "root", -1);
	ret = nl_decode_templates(c, r.root);
	nl_pop(c, w);
	return ret;
}

static int reserve(struct p4x_p4tc_nl *c, size_t len)
{
	size_t n = len / sizeof(struct nlattr) + 1;

	if (nl_pool_reserve(&c->entries, n) || nl_pool_reserve(&c->tmpls, n) ||
	    nl_pool_reserve(&c->params, n) || nl_pool_reserve(&c->fnodes, n) ||
	    nl_pool_reserve(&c->tattrs, n))
		return -ENOMEM;
	return 0;
}

static void msg_init(struct p4x_p4tc_nl_msg *m, const struct nlmsghdr *nlh)
{
	memset(m, 0, offsetof(struct p4x_p4tc_nl_msg, extack));
	m->extack[0] = '\0';
	m->has_batch = false;
	m->batch_ok = m->batch_n = 0;
	m->type = nlh->nlmsg_type;
	m->flags = nlh->nlmsg_flags;
	m->seq = nlh->nlmsg_seq;
	m->portid = nlh->nlmsg_pid;
}

static int decode(struct nl_ctx *c, const struct nlmsghdr *nlh, size_t len)
{
	if (len < sizeof(*nlh) || nlh->nlmsg_len < NLMSG_HDRLEN ||
	    nlh->nlmsg_len > len)
		return nl_fail(c, -EINVAL,
			       "message of %zu bytes says nlmsg_len %u", len,
			       len >= sizeof(*nlh) ? nlh->nlmsg_len : 0);
	if (reserve(c->codec, nlh->nlmsg_len))
		return nl_fail(c, -ENOMEM, "out of memory for %u bytes",
			       nlh->nlmsg_len);
	if (nlh->nlmsg_type == NLMSG_ERROR)
		return decode_error(c, nlh);
	if (nlh->nlmsg_type == NLMSG_DONE)
		return decode_done(c, nlh);
	return decode_p4tc(c, nlh);
}

static void publish(struct p4x_p4tc_nl *c, struct nl_ctx *ctx)
{
	struct p4x_p4tc_nl_msg *m = &c->msg;

	if (c->fixed == P4X_P4TC_NL_VER_AUTO && ctx->ver != c->detected &&
	    ctx->ver != P4X_P4TC_NL_VER_AUTO) {
		c->detected = ctx->ver;
		p4x_info("p4tc: netlink messages are P4TC %s",
			 p4x_p4tc_nl_version__name(ctx->ver));
	}
	m->version = ctx->ver;
	/* template const entries are reached through their table */
	m->nentries =
		m->kind == P4X_P4TC_NL_TEMPLATES ? 0 : (uint32_t)c->entries.n;
	m->entries = m->nentries ? c->entries.base : NULL;
	m->ntmpls = (uint32_t)c->tmpls.n;
	m->tmpls = m->ntmpls ? c->tmpls.base : NULL;
}

int p4x_p4tc_nl__decode(struct p4x_p4tc_nl *c, const struct nlmsghdr *nlh,
			size_t len, const struct p4x_p4tc_nl_msg **out,
			char *err, size_t errsz)
{
	char buf[320];
	struct nl_ctx ctx = {
		.codec = c,
		.msg = &c->msg,
		.ver = p4x_p4tc_nl__version(c),
		.err = buf,
		.errsz = sizeof(buf),
	};
	int ret;

	*out = NULL;
	buf[0] = '\0';
	if (len >= sizeof(*nlh) && !p4x_p4tc_nl__handles(nlh->nlmsg_type))
		return -ENOMSG;
	if (len >= sizeof(*nlh))
		msg_init(&c->msg, nlh);
	else
		c->msg.type = 0;
	ret = decode(&ctx, nlh, len);
	if (ret) {
		if (!buf[0])
			nl_fail(&ctx, ret, "not decodable");
		if (!c->quiet)
			p4x_warn("p4tc: refused: %s", buf);
		if (err && errsz)
			snprintf(err, errsz, "%s", buf);
		return ret;
	}
	publish(c, &ctx);
	*out = &c->msg;
	return 0;
}
