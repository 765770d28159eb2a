// SPDX-License-Identifier: BSD-3-Clause
/* P4TC value types: parse/print round trips, blob layouts, errors. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "p4x/p4tc_types.h"
#include "p4x_count_check.h"

/* Fake interfaces: port0 = 5, port1 = 7. */
static int fake_n2i(void *arg, const char *name, uint32_t *ifindex)
{
	if (!strcmp(name, "port0"))
		*ifindex = 5;
	else if (!strcmp(name, "port1"))
		*ifindex = 7;
	else
		return -ENODEV;
	return 0;
}

static int fake_i2n(void *arg, uint32_t ifindex, char *buf, size_t sz)
{
	if (ifindex != 5 && ifindex != 7)
		return -ENODEV;
	snprintf(buf, sz, "port%u", ifindex == 7);
	return 0;
}

static const struct p4x_p4tc_dev_ops fake_dev = {fake_n2i, fake_i2n, NULL};

static struct p4x_p4tc_type type_of(const char *name)
{
	struct p4x_p4tc_type t;
	char err[128];
	int ret = p4x_p4tc_type__parse(&t, name, 0, err, sizeof(err));

	CHECK(!ret, "type %s: %s", name, err);
	return t;
}

static const struct {
	const char *type, *in, *out;
} round_trips[] = {
	{"bit8", "0x2b", "43"},
	{"bit8", "255", "255"},
	{"bit3", "7", "7"},
	{"bit13", "8191", "8191"},
	{"bit32", "4294967295", "4294967295"},
	{"bit48", "0x010203040506", "1108152157446"},
	{"bit64", "18446744073709551615", "18446744073709551615"},
	{"bit128", "0x0102030405060708090a0b0c0d0e0f10",
	 "0x102030405060708090a0b0c0d0e0f10"},
	{"bit32", "0x0a000000/0xff000000", "167772160/8"},
	{"bit32", "1/0xf0f0", "1/0xf0f0"},
	{"int8", "-128", "-128"},
	{"int8", "127", "127"},
	{"int8", "0xff", "-1"},
	{"int16", "-1", "-1"},
	{"int64", "-9223372036854775808", "-9223372036854775808"},
	{"be16", "0x0800", "2048"},
	{"be32", "16909060", "16909060"},
	{"ipv4", "10.0.0.1", "10.0.0.1"},
	{"ipv4", "0x0a000001", "10.0.0.1"},
	{"ipv4", "10.0.0.0/8", "10.0.0.0/8"},
	{"ipv4", "10.0.0.0/0xffff0000", "10.0.0.0/16"},
	{"ipv4", "10.0.0.0/0xff00ff00", "10.0.0.0/0xff00ff00"},
	{"ipv4", "0.0.0.0/0", "0.0.0.0/0"},
	{"ipv4", "10.0.0.2/32", "10.0.0.2/32"},
	{"ipv6", "2001:db8::1", "2001:db8::1"},
	{"ipv6", "fe80::/16", "fe80::/16"},
	{"ipv6", "2001:db8::/0xffffffff000000000000000000000000",
	 "2001:db8::/32"},
	{"ipv6", "::1/0xff", "::1/0xff"},
	{"macaddr", "aa:bb:cc:dd:ee:ff", "aa:bb:cc:dd:ee:ff"},
	{"macaddr", "0:1:2:3:4:5", "00:01:02:03:04:05"},
	{"macaddr", "0x001122334455", "00:11:22:33:44:55"},
	{"macaddr", "08:00:20:00:00:00/0xffffff000000", "08:00:20:00:00:00/24"},
	{"dev", "port1", "port1"},
	{"dev", "5", "port0"},
	{"dev", "9", "9"},
	{"bool", "true", "true"},
	{"bool", "false", "false"},
	{"bool", "1", "true"},
};

static void test_round_trips(void)
{
	for (size_t i = 0; i < P4X_ARRAY_SIZE(round_trips); i++) {
		struct p4x_p4tc_type t = type_of(round_trips[i].type);
		struct p4x_p4tc_value v, v2;
		char err[160], out[160], out2[160];
		int ret;

		ret = p4x_p4tc_value__parse(&t, round_trips[i].in,
					    P4X_P4TC_PARSE_MASK, &fake_dev, &v,
					    err, sizeof(err));
		CHECK(!ret, "%s %s: %s", round_trips[i].type, round_trips[i].in,
		      err);
		p4x_p4tc_value__print(&t, &v, &fake_dev, out, sizeof(out));
		CHECK_STR(out, round_trips[i].out);
		ret = p4x_p4tc_value__parse(&t, out, P4X_P4TC_PARSE_MASK,
					    &fake_dev, &v2, err, sizeof(err));
		CHECK(!ret && !memcmp(&v, &v2, sizeof(v)),
		      "%s: reparse of %s differs", round_trips[i].type, out);
		p4x_p4tc_value__print(&t, &v2, &fake_dev, out2, sizeof(out2));
		CHECK_STR(out2, out);
	}
}

static const struct {
	const char *type, *in;
	unsigned int len;
	const char *val, *mask; /* hex bytes of the blob */
} layouts[] = {
	/* bitN: host order, truncated to BITS_TO_BYTES(N) */
	{"bit32", "0x0a000001", 4, "0100000a", "ffffffff"},
	{"bit8", "0x2b", 1, "2b", "ff"},
	{"bit13", "0x1234", 2, "3412", "ff1f"},
	{"bit3", "5", 1, "05", "07"},
	{"bit48", "0x010203040506", 6, "060504030201", "ffffffffffff"},
	{"bit32", "0x0a000000/8", 4, "0000000a", "000000ff"},
	{"int8", "-2", 1, "fe", "ff"},
	{"int16", "-2", 2, "feff", "ffff"},
	{"bool", "true", 1, "01", "01"},
	{"dev", "port1", 4, "07000000", "ffffffff"},
	/* network order */
	{"be16", "0x0800", 2, "0800", "ffff"},
	{"be32", "0x0a000001", 4, "0a000001", "ffffffff"},
	{"ipv4", "10.0.0.1", 4, "0a000001", "ffffffff"},
	{"ipv4", "10.0.0.0/24", 4, "0a000000", "ffffff00"},
	{"ipv4", "192.168.0.0/0xffff00ff", 4, "c0a80000", "ffff00ff"},
	{"macaddr", "aa:bb:cc:dd:ee:ff", 6, "aabbccddeeff", "ffffffffffff"},
	{"macaddr", "aa:bb:cc:00:00:00/24", 6, "aabbcc000000", "ffffff000000"},
	{"ipv6", "2001:db8::1/64", 16, "20010db8000000000000000000000001",
	 "ffffffffffffffff0000000000000000"},
	{"bit128", "0x0102030405060708090a0b0c0d0e0f10", 16,
	 "0102030405060708090a0b0c0d0e0f10",
	 "ffffffffffffffffffffffffffffffff"},
};

static void hex(const uint8_t *b, unsigned int n, char *out)
{
	for (unsigned int i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	out[2 * n] = '\0';
}

static void test_layouts(void)
{
	for (size_t i = 0; i < P4X_ARRAY_SIZE(layouts); i++) {
		struct p4x_p4tc_type t = type_of(layouts[i].type);
		struct p4x_p4tc_value v, back;
		uint8_t val[16], mask[16];
		char err[160], h[40];

		CHECK_INT(p4x_p4tc_type__blob_bytes(&t), layouts[i].len);
		CHECK(!p4x_p4tc_value__parse(&t, layouts[i].in,
					     P4X_P4TC_PARSE_MASK, &fake_dev, &v,
					     err, sizeof(err)),
		      "%s", err);
		p4x_p4tc_value__pack(&t, &v, val);
		p4x_p4tc_value__pack_mask(&t, &v, mask);
		hex(val, layouts[i].len, h);
		CHECK_STR(h, layouts[i].val);
		hex(mask, layouts[i].len, h);
		CHECK_STR(h, layouts[i].mask);
		p4x_p4tc_value__unpack(&t, val, mask, &back);
		CHECK(!memcmp(back.val, v.val, 16) &&
			      !memcmp(back.mask, v.mask, 16) &&
			      back.prefix == v.prefix,
		      "%s %s: unpack differs", layouts[i].type, layouts[i].in);
	}
}

static const struct {
	const char *type, *in;
	int ret;
	const char *msg;
} bad_values[] = {
	{"ipv4", "10.0.0.300", -EINVAL, "10.0.0.300 is not an ipv4 address"},
	{"ipv4", "10.0.0", -EINVAL, "10.0.0 is not an ipv4 address"},
	{"ipv4", "0x100000000", -EINVAL,
	 "0x100000000 is not an ipv4 address (out of range)"},
	{"ipv4", "10.0.0.0/33", -EINVAL,
	 "10.0.0.0/33: /33 is not a prefix length (0..32) or a 32-bit 0x mask"},
	{"ipv4", "10.0.0.0/0x1ffffffff", -EINVAL,
	 "10.0.0.0/0x1ffffffff: /0x1ffffffff is not a prefix length (0..32) or "
	 "a 32-bit 0x mask"},
	{"ipv6", "2001:db8::g", -EINVAL, "2001:db8::g is not an ipv6 address"},
	{"macaddr", "aa:bb:cc:dd:ee", -EINVAL,
	 "aa:bb:cc:dd:ee is not a mac address"},
	{"macaddr", "aa:bb:cc:dd:ee:fff", -EINVAL,
	 "aa:bb:cc:dd:ee:fff is not a mac address"},
	{"macaddr", "aa:bb:cc:dd:ee:ff:00", -EINVAL,
	 "aa:bb:cc:dd:ee:ff:00 is not a mac address"},
	{"bit8", "256", -EINVAL, "256 is not a bit8 value (out of range)"},
	{"bit8", "abc", -EINVAL, "abc is not a bit8 value"},
	{"bit8", "", -EINVAL, " is not a bit8 value"},
	{"bit8", "-1", -EINVAL, "-1 is not a bit8 value"},
	{"bit3", "8", -EINVAL, "8 is not a bit3 value (out of range)"},
	{"bit128", "0x1ffffffffffffffffffffffffffffffff", -EINVAL,
	 "0x1ffffffffffffffffffffffffffffffff is not a bit128 value (out of "
	 "range)"},
	{"int8", "128", -EINVAL, "128 is not a int8 value (out of range)"},
	{"int8", "-129", -EINVAL, "-129 is not a int8 value (out of range)"},
	{"be16", "0x10000", -EINVAL,
	 "0x10000 is not a be16 value (out of range)"},
	{"dev", "nosuch0", -ENODEV,
	 "nosuch0 is not an interface (no such device)"},
	{"dev", "4294967296", -EINVAL,
	 "4294967296 is not an interface name or index"},
	{"dev", "averyveryverylongname", -EINVAL,
	 "averyveryverylongname is not an interface name or index"},
	{"bool", "yes", -EINVAL, "yes is not a bool (true|false)"},
	{"bool", "2", -EINVAL, "2 is not a bool (true|false) (out of range)"},
};

static void test_bad_values(void)
{
	for (size_t i = 0; i < P4X_ARRAY_SIZE(bad_values); i++) {
		struct p4x_p4tc_type t = type_of(bad_values[i].type);
		struct p4x_p4tc_value v;
		char err[200] = "";
		int ret;

		ret = p4x_p4tc_value__parse(&t, bad_values[i].in,
					    P4X_P4TC_PARSE_MASK, &fake_dev, &v,
					    err, sizeof(err));
		CHECK_INT(ret, bad_values[i].ret);
		CHECK_STR(err, bad_values[i].msg);
	}
}

static void test_mask_not_allowed(void)
{
	struct p4x_p4tc_type t = type_of("ipv4");
	struct p4x_p4tc_value v;
	char err[160];

	CHECK_INT(p4x_p4tc_value__parse(&t, "10.0.0.0/8", 0, NULL, &v, err,
					sizeof(err)),
		  -EINVAL);
	CHECK_STR(err, "10.0.0.0/8: a mask is not allowed here");
}

static const struct {
	const char *name;
	unsigned int bitwidth;
	uint8_t id;
	uint16_t bits, container;
} good_types[] = {
	{"bit1", 0, P4X_P4TC_T_U8, 1, 8},
	{"bit8", 8, P4X_P4TC_T_U8, 8, 8},
	{"bit13", 13, P4X_P4TC_T_U16, 13, 16},
	{"bit32", 0, P4X_P4TC_T_U32, 32, 32},
	{"bit48", 48, P4X_P4TC_T_U64, 48, 64},
	{"bit64", 0, P4X_P4TC_T_U64, 64, 64},
	{"bit128", 0, P4X_P4TC_T_U128, 128, 128},
	{"int8", 0, P4X_P4TC_T_S8, 8, 8},
	{"int32", 0, P4X_P4TC_T_S32, 32, 32},
	{"int128", 0, P4X_P4TC_T_S128, 128, 128},
	{"be16", 16, P4X_P4TC_T_BE16, 16, 16},
	{"be32", 0, P4X_P4TC_T_BE32, 32, 32},
	{"be64", 0, P4X_P4TC_T_BE64, 64, 64},
	{"ipv4", 32, P4X_P4TC_T_IPV4ADDR, 32, 32},
	{"ipv6", 0, P4X_P4TC_T_U128, 128, 128},
	{"macaddr", 48, P4X_P4TC_T_MACADDR, 48, 64},
	{"dev", 32, P4X_P4TC_T_DEV, 32, 32},
	{"bool", 0, P4X_P4TC_T_BOOL, 1, 32},
};

static void test_type_names(void)
{
	for (size_t i = 0; i < P4X_ARRAY_SIZE(good_types); i++) {
		struct p4x_p4tc_type t;
		char err[128], name[32];

		CHECK(!p4x_p4tc_type__parse(&t, good_types[i].name,
					    good_types[i].bitwidth, err,
					    sizeof(err)),
		      "%s: %s", good_types[i].name, err);
		CHECK_INT(t.type_id, good_types[i].id);
		CHECK_INT(t.bitsz, good_types[i].bits);
		CHECK_INT(t.container_bitsz, good_types[i].container);
		p4x_p4tc_type__name(&t, name, sizeof(name));
		CHECK_STR(name, good_types[i].name);
	}
}

static const struct {
	const char *name;
	unsigned int bitwidth;
	const char *msg;
} bad_types[] = {
	{"bit0", 0, "bad width \"0\" (1..128)"},
	{"bit129", 0, "bad width \"129\" (1..128)"},
	{"bit8x", 0, "bad width \"8x\" (1..128)"},
	{"be8", 0, "be8: beN needs N 16, 32 or 64"},
	{"foo", 0, "unknown type \"foo\""},
	{"bit", 0, "unknown type \"bit\""},
	{"ipv4x", 0, "unknown type \"ipv4x\""},
	{"ipv4", 16, "type ipv4 has 32 bits, not 16"},
	{"bit32", 16, "type bit32 has 32 bits, not 16"},
	{"macaddr", 64, "type macaddr has 48 bits, not 64"},
};

static void test_bad_types(void)
{
	for (size_t i = 0; i < P4X_ARRAY_SIZE(bad_types); i++) {
		struct p4x_p4tc_type t;
		char err[128] = "";

		CHECK_INT(p4x_p4tc_type__parse(&t, bad_types[i].name,
					       bad_types[i].bitwidth, err,
					       sizeof(err)),
			  -EINVAL);
		CHECK_STR(err, bad_types[i].msg);
	}
}

static void test_permissions(void)
{
	char buf[P4X_P4TC_PERM_STRLEN];

	p4x_p4tc_perm__print(0x3da4, buf);
	CHECK_STR(buf, "CRUD-PS-R--X--");
	p4x_p4tc_perm__print(0x1024, buf);
	CHECK_STR(buf, "-R------R--X--");
	p4x_p4tc_perm__print(0x3de6, buf);
	CHECK_STR(buf, "CRUD-PSCR--XP-");
	p4x_p4tc_perm__print(0x3fff, buf);
	CHECK_STR(buf, "CRUDXPSCRUDXPS");
}

int main(void)
{
	test_round_trips();
	test_layouts();
	test_bad_values();
	test_mask_not_allowed();
	test_type_names();
	test_bad_types();
	test_permissions();
	return check_done();
}
