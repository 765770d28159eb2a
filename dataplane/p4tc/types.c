// SPDX-License-Identifier: BSD-3-Clause
/* P4TC value types: parse, print, pack (see include/p4x/p4tc_types.h). */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p4x/p4tc_types.h"
#include "p4tc_priv.h"

typedef unsigned __int128 u128;

static const char *const kind_names[] = {
#define P4X_P4TC_KIND_NAME(k, name, id) [P4X_P4TC_K_##k] = name,
	P4X_P4TC_KINDS(P4X_P4TC_KIND_NAME)
#undef P4X_P4TC_KIND_NAME
};

/* Long names used in error messages: "is not an ipv4 address". */
static const char *kind_what(const struct p4x_p4tc_type *t, char *buf,
			     size_t sz)
{
	switch (t->kind) {
	case P4X_P4TC_K_IPV4:
		return "an ipv4 address";
	case P4X_P4TC_K_IPV6:
		return "an ipv6 address";
	case P4X_P4TC_K_MACADDR:
		return "a mac address";
	case P4X_P4TC_K_DEV:
		return "an interface name or index";
	case P4X_P4TC_K_BOOL:
		return "a bool (true|false)";
	default:
		snprintf(buf, sz, "a %s%u value", kind_names[t->kind],
			 t->bitsz);
		return buf;
	}
}

static uint8_t container_id(enum p4x_p4tc_kind kind, unsigned int cbits)
{
	static const uint8_t u[] = {P4X_P4TC_T_U8, P4X_P4TC_T_U16,
				    P4X_P4TC_T_U32, P4X_P4TC_T_U64,
				    P4X_P4TC_T_U128};
	static const uint8_t s[] = {P4X_P4TC_T_S8, P4X_P4TC_T_S16,
				    P4X_P4TC_T_S32, P4X_P4TC_T_S64,
				    P4X_P4TC_T_S128};
	unsigned int i = cbits == 8    ? 0
			 : cbits == 16 ? 1
			 : cbits == 32 ? 2
			 : cbits == 64 ? 3
				       : 4;

	return kind == P4X_P4TC_K_INT ? s[i] : u[i];
}

static unsigned int container_bits(unsigned int bits)
{
	unsigned int c = 8;

	while (c < bits)
		c *= 2;
	return c;
}

static int parse_width_type(struct p4x_p4tc_type *t, const char *n, char *err,
			    size_t errsz)
{
	char *end;
	unsigned long bits;

	errno = 0;
	bits = strtoul(n, &end, 10);
	if (!isdigit((unsigned char)*n) || *end || errno || bits < 1 ||
	    bits > 128)
		return p4x_p4tc_errf(err, errsz, -EINVAL,
				     "bad width \"%s\" (1..128)", n);
	if (t->kind == P4X_P4TC_K_BE && bits != 16 && bits != 32 && bits != 64)
		return p4x_p4tc_errf(err, errsz, -EINVAL,
				     "be%lu: beN needs N 16, 32 or 64", bits);
	t->bitsz = bits;
	t->container_bitsz = container_bits(bits);
	if (t->kind == P4X_P4TC_K_BE)
		t->type_id = bits == 16	  ? P4X_P4TC_T_BE16
			     : bits == 32 ? P4X_P4TC_T_BE32
					  : P4X_P4TC_T_BE64;
	else
		t->type_id = container_id(t->kind, t->container_bitsz);
	return 0;
}

static void fixed_type(struct p4x_p4tc_type *t, enum p4x_p4tc_kind kind)
{
	static const struct p4x_p4tc_type fixed[] = {
		[P4X_P4TC_K_IPV4] = {P4X_P4TC_K_IPV4, P4X_P4TC_T_IPV4ADDR, 32,
				     32},
		[P4X_P4TC_K_IPV6] = {P4X_P4TC_K_IPV6, P4X_P4TC_T_U128, 128,
				     128},
		[P4X_P4TC_K_MACADDR] = {P4X_P4TC_K_MACADDR, P4X_P4TC_T_MACADDR,
					48, 64},
		[P4X_P4TC_K_DEV] = {P4X_P4TC_K_DEV, P4X_P4TC_T_DEV, 32, 32},
		[P4X_P4TC_K_BOOL] = {P4X_P4TC_K_BOOL, P4X_P4TC_T_BOOL, 1, 32},
	};

	*t = fixed[kind];
}

int p4x_p4tc_type__parse(struct p4x_p4tc_type *t, const char *name,
			 unsigned int bitwidth, char *err, size_t errsz)
{
	unsigned int k;
	int ret;

	for (k = 0; k < P4X_P4TC_K__COUNT; k++) {
		size_t len = strlen(kind_names[k]);

		if (strncmp(name, kind_names[k], len))
			continue;
		if (k <= P4X_P4TC_K_BE && isdigit((unsigned char)name[len])) {
			t->kind = k;
			ret = parse_width_type(t, name + len, err, errsz);
			if (ret)
				return ret;
			break;
		}
		if (k > P4X_P4TC_K_BE && !name[len]) {
			fixed_type(t, k);
			if (k == P4X_P4TC_K_BOOL && bitwidth && bitwidth <= 32)
				t->bitsz = bitwidth;
			break;
		}
	}
	if (k == P4X_P4TC_K__COUNT)
		return p4x_p4tc_errf(err, errsz, -EINVAL, "unknown type \"%s\"",
				     name);
	if (bitwidth && bitwidth != t->bitsz)
		return p4x_p4tc_errf(err, errsz, -EINVAL,
				     "type %s has %u bits, not %u", name,
				     t->bitsz, bitwidth);
	return 0;
}

void p4x_p4tc_type__name(const struct p4x_p4tc_type *t, char *buf, size_t sz)
{
	if (t->kind <= P4X_P4TC_K_BE)
		snprintf(buf, sz, "%s%u", kind_names[t->kind], t->bitsz);
	else
		snprintf(buf, sz, "%s", kind_names[t->kind]);
}

bool p4x_p4tc_type__equal(const struct p4x_p4tc_type *a,
			  const struct p4x_p4tc_type *b)
{
	return a->kind == b->kind && a->bitsz == b->bitsz;
}

static u128 width_mask(unsigned int bits)
{
	return bits >= 128 ? ~(u128)0 : ((u128)1 << bits) - 1;
}

static u128 prefix_mask(unsigned int bits, unsigned int plen)
{
	if (!plen)
		return 0;
	return width_mask(bits) & ~width_mask(bits - plen);
}

static void u128_to_be(u128 x, uint8_t out[16])
{
	for (int i = 15; i >= 0; i--, x >>= 8)
		out[i] = (uint8_t)x;
}

static u128 be_to_u128(const uint8_t in[16])
{
	u128 x = 0;

	for (int i = 0; i < 16; i++)
		x = x << 8 | in[i];
	return x;
}

/* Unsigned decimal or 0x-hex number, all of @s, at most 128 bits. */
static int parse_u128(const char *s, u128 *out)
{
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	unsigned int base = hex ? 16 : 10;
	u128 x = 0;

	if (hex)
		s += 2;
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned int d;

		if (isdigit((unsigned char)*s))
			d = *s - '0';
		else if (hex && isxdigit((unsigned char)*s))
			d = tolower((unsigned char)*s) - 'a' + 10;
		else
			return -EINVAL;
		if (x > (~(u128)0 - d) / base)
			return -ERANGE;
		x = x * base + d;
	}
	*out = x;
	return 0;
}

static int parse_int_value(const struct p4x_p4tc_type *t, const char *s,
			   u128 *x)
{
	unsigned int bits = t->bitsz;
	bool neg = t->kind == P4X_P4TC_K_INT && s[0] == '-';
	u128 lim;

	int ret = parse_u128(s + neg, x);

	if (ret)
		return ret;
	if (t->kind != P4X_P4TC_K_INT || (!neg && s[0] == '0' && s[1] == 'x'))
		return *x & ~width_mask(bits) ? -ERANGE : 0;
	lim = (u128)1 << (bits - 1);
	if (neg ? *x > lim : *x >= lim)
		return -ERANGE;
	if (neg)
		*x = (~*x + 1) & width_mask(bits);
	return 0;
}

static int parse_mac(const char *s, u128 *x)
{
	unsigned int n = 0;

	*x = 0;
	for (;;) {
		char *end;
		unsigned long b;

		if (!isxdigit((unsigned char)s[0]))
			return -EINVAL;
		b = strtoul(s, &end, 16);
		if (end - s > 2 || ++n > 6)
			return -EINVAL;
		*x = *x << 8 | b;
		if (!*end)
			break;
		if (*end != ':')
			return -EINVAL;
		s = end + 1;
	}
	return n == 6 ? 0 : -EINVAL;
}

static int parse_dev(const char *s, const struct p4x_p4tc_dev_ops *dev, u128 *x)
{
	uint32_t idx = 0;
	int ret;

	if (isdigit((unsigned char)s[0]))
		return parse_u128(s, x) || *x > UINT32_MAX ? -EINVAL : 0;
	if (!*s || strlen(s) >= P4X_IFNAMSIZ)
		return -EINVAL;
	if (dev && dev->name_to_index) {
		ret = dev->name_to_index(dev->arg, s, &idx);
		if (ret)
			return ret;
	} else {
		idx = if_nametoindex(s);
		if (!idx)
			return -ENODEV;
	}
	*x = idx;
	return 0;
}

static int parse_plain(const struct p4x_p4tc_type *t, const char *s,
		       const struct p4x_p4tc_dev_ops *dev, u128 *x)
{
	uint8_t a[16];

	switch (t->kind) {
	case P4X_P4TC_K_IPV4:
		if (inet_pton(AF_INET, s, a) == 1) {
			*x = (u128)a[0] << 24 | a[1] << 16 | a[2] << 8 | a[3];
			return 0;
		}
		break;
	case P4X_P4TC_K_IPV6:
		if (inet_pton(AF_INET6, s, a) == 1) {
			*x = be_to_u128(a);
			return 0;
		}
		break;
	case P4X_P4TC_K_MACADDR:
		if (strchr(s, ':'))
			return parse_mac(s, x);
		break;
	case P4X_P4TC_K_DEV:
		return parse_dev(s, dev, x);
	case P4X_P4TC_K_BOOL:
		if (!strcmp(s, "true") || !strcmp(s, "false")) {
			*x = s[0] == 't';
			return 0;
		}
		break;
	default:
		return parse_int_value(t, s, x);
	}
	/* addresses and bools also take their number */
	if (parse_u128(s, x))
		return -EINVAL;
	return *x & ~width_mask(t->bitsz) ? -ERANGE : 0;
}

static int parse_mask(const struct p4x_p4tc_type *t, const char *s,
		      struct p4x_p4tc_value *v)
{
	u128 m;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (parse_u128(s, &m) || m & ~width_mask(t->bitsz))
			return -EINVAL;
	} else {
		if (parse_u128(s, &m) || m > t->bitsz)
			return -EINVAL;
		m = prefix_mask(t->bitsz, (unsigned int)m);
	}
	u128_to_be(m, v->mask);
	v->has_mask = true;
	return 0;
}

static void set_prefix(const struct p4x_p4tc_type *t, struct p4x_p4tc_value *v)
{
	u128 m = be_to_u128(v->mask);

	v->prefix = -1;
	for (unsigned int n = 0; n <= t->bitsz; n++)
		if (m == prefix_mask(t->bitsz, n))
			v->prefix = n;
}

int p4x_p4tc_value__parse(const struct p4x_p4tc_type *t, const char *str,
			  unsigned int flags,
			  const struct p4x_p4tc_dev_ops *dev,
			  struct p4x_p4tc_value *v, char *err, size_t errsz)
{
	char buf[128], tn[32];
	char *slash;
	u128 x;
	int ret;

	if (strlen(str) >= sizeof(buf))
		return p4x_p4tc_errf(err, errsz, -EINVAL,
				     "%.40s... is too long", str);
	strcpy(buf, str);
	memset(v, 0, sizeof(*v));
	slash = strchr(buf, '/');
	if (slash && !(flags & P4X_P4TC_PARSE_MASK))
		return p4x_p4tc_errf(err, errsz, -EINVAL,
				     "%s: a mask is not allowed here", str);
	if (slash)
		*slash = '\0';
	ret = parse_plain(t, buf, dev, &x);
	if (ret == -ENODEV)
		return p4x_p4tc_errf(err, errsz, ret,
				     "%s is not an interface (no such device)",
				     buf);
	if (ret)
		return p4x_p4tc_errf(err, errsz, -EINVAL, "%s is not %s%s", buf,
				     kind_what(t, tn, sizeof(tn)),
				     ret == -ERANGE ? " (out of range)" : "");
	u128_to_be(x, v->val);
	u128_to_be(width_mask(t->bitsz), v->mask);
	if (slash && parse_mask(t, slash + 1, v))
		return p4x_p4tc_errf(err, errsz, -EINVAL,
				     "%s: /%s is not a prefix length (0..%u) "
				     "or a %u-bit 0x mask",
				     str, slash + 1, t->bitsz, t->bitsz);
	set_prefix(t, v);
	return 0;
}

static int print_hex(char *buf, size_t sz, u128 x)
{
	char tmp[40];
	int n = sizeof(tmp) - 1;

	tmp[n] = '\0';
	do {
		tmp[--n] = "0123456789abcdef"[x & 15];
		x >>= 4;
	} while (x);
	return snprintf(buf, sz, "0x%s", tmp + n);
}

static int print_number(const struct p4x_p4tc_type *t, u128 x, char *buf,
			size_t sz)
{
	if (t->bitsz > 64)
		return print_hex(buf, sz, x);
	if (t->kind == P4X_P4TC_K_INT && t->bitsz < 64 &&
	    x >> (t->bitsz - 1) & 1)
		return snprintf(buf, sz, "%lld",
				(long long)(uint64_t)x - (1ll << t->bitsz));
	if (t->kind == P4X_P4TC_K_INT && t->bitsz == 64)
		return snprintf(buf, sz, "%lld", (long long)(uint64_t)x);
	return snprintf(buf, sz, "%llu", (unsigned long long)x);
}

static int print_plain(const struct p4x_p4tc_type *t, const uint8_t *val,
		       const struct p4x_p4tc_dev_ops *dev, char *buf, size_t sz)
{
	char ab[INET6_ADDRSTRLEN];
	const uint8_t *m = val + 10;
	u128 x = be_to_u128(val);

	switch (t->kind) {
	case P4X_P4TC_K_IPV4:
		inet_ntop(AF_INET, val + 12, ab, sizeof(ab));
		return snprintf(buf, sz, "%s", ab);
	case P4X_P4TC_K_IPV6:
		inet_ntop(AF_INET6, val, ab, sizeof(ab));
		return snprintf(buf, sz, "%s", ab);
	case P4X_P4TC_K_MACADDR:
		return snprintf(buf, sz, "%02x:%02x:%02x:%02x:%02x:%02x", m[0],
				m[1], m[2], m[3], m[4], m[5]);
	case P4X_P4TC_K_DEV:
		if (dev && dev->index_to_name &&
		    !dev->index_to_name(dev->arg, (uint32_t)x, ab, sizeof(ab)))
			return snprintf(buf, sz, "%s", ab);
		return snprintf(buf, sz, "%u", (unsigned int)x);
	case P4X_P4TC_K_BOOL:
		return snprintf(buf, sz, "%s", x ? "true" : "false");
	default:
		return print_number(t, x, buf, sz);
	}
}

int p4x_p4tc_value__print(const struct p4x_p4tc_type *t,
			  const struct p4x_p4tc_value *v,
			  const struct p4x_p4tc_dev_ops *dev, char *buf,
			  size_t sz)
{
	int n = print_plain(t, v->val, dev, buf, sz);
	size_t off = (size_t)n < sz ? (size_t)n : sz;

	if (!v->has_mask)
		return n;
	if (v->prefix >= 0)
		return n + snprintf(buf + off, sz - off, "/%d", v->prefix);
	if (off < sz)
		buf[off++] = '/';
	return n + 1 + print_hex(buf + off, sz - off, be_to_u128(v->mask));
}

static bool host_order(const struct p4x_p4tc_type *t)
{
	switch (t->kind) {
	case P4X_P4TC_K_BIT:
	case P4X_P4TC_K_INT:
		return t->bitsz <= 64;
	case P4X_P4TC_K_DEV:
	case P4X_P4TC_K_BOOL:
		return true;
	default:
		return false;
	}
}

static void pack_bytes(const struct p4x_p4tc_type *t, const uint8_t *num,
		       uint8_t *out)
{
	unsigned int nb = p4x_p4tc_type__blob_bytes(t);
	const uint8_t *low = num + P4X_P4TC_VALUE_BYTES - nb;

	if (!host_order(t)) {
		memcpy(out, low, nb);
		return;
	}
	for (unsigned int i = 0; i < nb; i++)
		out[i] = low[nb - 1 - i];
}

void p4x_p4tc_value__pack(const struct p4x_p4tc_type *t,
			  const struct p4x_p4tc_value *v, uint8_t *out)
{
	pack_bytes(t, v->val, out);
}

void p4x_p4tc_value__pack_mask(const struct p4x_p4tc_type *t,
			       const struct p4x_p4tc_value *v, uint8_t *out)
{
	pack_bytes(t, v->mask, out);
}

static void unpack_bytes(const struct p4x_p4tc_type *t, const uint8_t *in,
			 uint8_t *num)
{
	unsigned int nb = p4x_p4tc_type__blob_bytes(t);
	uint8_t *low = num + P4X_P4TC_VALUE_BYTES - nb;

	memset(num, 0, P4X_P4TC_VALUE_BYTES);
	for (unsigned int i = 0; i < nb; i++)
		low[i] = host_order(t) ? in[nb - 1 - i] : in[i];
	u128_to_be(be_to_u128(num) & width_mask(t->bitsz), num);
}

void p4x_p4tc_value__unpack(const struct p4x_p4tc_type *t, const uint8_t *in,
			    const uint8_t *mask, struct p4x_p4tc_value *v)
{
	memset(v, 0, sizeof(*v));
	unpack_bytes(t, in, v->val);
	u128_to_be(width_mask(t->bitsz), v->mask);
	if (mask) {
		unpack_bytes(t, mask, v->mask);
		v->has_mask = be_to_u128(v->mask) != width_mask(t->bitsz);
	}
	set_prefix(t, v);
}

void p4x_p4tc_perm__print(uint16_t perm, char buf[P4X_P4TC_PERM_STRLEN])
{
	static const char letters[] = "CRUDXPS";

	for (int i = 0; i < P4X_P4TC_PERM_BITS; i++)
		buf[i] = perm & (1u << (P4X_P4TC_PERM_BITS - 1 - i))
				 ? letters[i % 7]
				 : '-';
	buf[P4X_P4TC_PERM_BITS] = '\0';
}
