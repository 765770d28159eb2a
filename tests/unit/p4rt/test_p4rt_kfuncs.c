// SPDX-License-Identifier: BSD-3-Clause
/*
 * The kfuncs and helpers a program calls, through the compat headers'
 * trampolines bound to the runtime: checksum/CRC/hash vectors, table
 * reads (hit, default hit, default miss, no default, bad arguments),
 * indirect counters, registers, meters, digests, and datapath adds
 * (queued, rate-limited, queue bound, committed by poll as dynamic
 * entries that age out).
 *
 * Usage: test_p4rt_kfuncs EXAMPLES_SRC_DIR EXAMPLES_BUILD_DIR
 */
#include <unistd.h>

#include "ebpf_kernel.h"
#include "pna.h"

#include "p4rt_test.h"

static const char *src_dir, *obj_dir;

static void open_routing(struct harness *h, const struct p4x_p4rt_opts *o)
{
	char so[512];

	snprintf(so, sizeof(so), "%s/routing/routing.so", obj_dir);
	h_open(h, src_dir, so, "routing", o);
}

static uint64_t counter(struct harness *h, enum p4x_p4rt_counter c)
{
	uint64_t cnt[P4X_P4RT_CNT__COUNT];

	p4x_p4rt__counters(h->rt, cnt);
	return cnt[c];
}

/* A context as the runtime would pass it, for direct kfunc calls. */
static struct __sk_buff skb_of(struct harness *h, uint32_t len)
{
	return (struct __sk_buff){.len = len, .p4x_rt = h->rt};
}

static uint16_t csum_words(const uint16_t *w, unsigned int n)
{
	struct p4tc_ext_csum_params st = {};
	unsigned int i;

	bpf_p4tc_ext_csum_16bit_complement_clear(&st, sizeof(st));
	for (i = 0; i < n; i++)
		bpf_p4tc_ext_csum_16bit_complement_add(&st, sizeof(st), &w[i],
						       2);
	return bpf_p4tc_ext_csum_16bit_complement_get(&st, sizeof(st));
}

static void test_csum(void)
{
	/* 4500 001c 0001 0000 4011 [656c] 0b00 0001 0a63 0001 */
	const uint16_t hdr[] = {0x4500, 0x001c, 0x0001, 0x0000, 0x4011,
				0x0b00, 0x0001, 0x0a63, 0x0001};
	struct p4tc_ext_csum_params st = {};
	uint16_t w = 0x4011, odd[3] = {1, 2, 3};
	const char *v = "123456789";

	CHECK_EQ(csum_words(hdr, 9), 0x656c);
	/* incremental TTL decrement (RFC 1624), as routing does */
	bpf_p4tc_ext_csum_16bit_complement_clear(&st, sizeof(st));
	bpf_p4tc_ext_csum_16bit_complement_set_state(&st, sizeof(st),
						     (u16)~0x656c);
	CHECK_EQ(bpf_p4tc_ext_csum_16bit_complement_sub(&st, sizeof(st), &w, 2),
		 0x5a82);
	w = 0x3f11;
	bpf_p4tc_ext_csum_16bit_complement_add(&st, sizeof(st), &w, 2);
	CHECK_EQ(bpf_p4tc_ext_csum_16bit_complement_get(&st, sizeof(st)),
		 0x666c);
	CHECK_EQ(
		bpf_p4tc_ext_csum_16bit_complement_sub(&st, sizeof(st), odd, 3),
		-EINVAL);
	/* a wrong state size does nothing, as the kernel */
	st.csum = 7;
	bpf_p4tc_ext_csum_16bit_complement_clear(&st, 8);
	CHECK_EQ(st.csum, 7);
	/* CRC-16/ARC and crc32_be check values of "123456789" */
	bpf_p4tc_ext_csum_crc16_clear(&st, sizeof(st));
	bpf_p4tc_ext_csum_crc16_add(&st, sizeof(st), v, 9);
	CHECK_EQ(bpf_p4tc_ext_csum_crc16_get(&st, sizeof(st)), 0xBB3D);
	CHECK_EQ(bpf_p4tc_ext_hash_crc16(v, 9, 0), 0xBB3D);
	CHECK_EQ(bpf_p4tc_ext_hash_crc32(v, 9, 0xFFFFFFFFu), 0x0376E6E7);
	bpf_p4tc_ext_csum_crc32_clear(&st, sizeof(st));
	st.csum = 0xFFFFFFFFu;
	CHECK_EQ(bpf_p4tc_ext_csum_crc32_add(&st, sizeof(st), v, 9),
		 0xFC891918);
	CHECK_EQ(bpf_p4tc_ext_csum_crc32_get(&st, sizeof(st)), 0xFC891918);
	CHECK_EQ(bpf_p4tc_ext_hash_base_crc16(v, 9, 100, 10, 0),
		 100 + 0xBB3D % 10);
	/* byte order helpers, also in constant expressions */
	CHECK_EQ(bpf_htons(0x0800), 0x0008);
	CHECK_EQ(htonll(0x0102030405060708ull), 0x0807060504030201ull);
	CHECK_EQ(ntohll(htonll(42)), 42);
	CHECK_EQ(load_dword("\x01\x02\x03\x04\x05\x06\x07\x08", 0),
		 0x0102030405060708ull);
	CHECK_EQ(load_half("\x00\x12\x34", 1), 0x1234);
}

/* Key struct of routing's tables: keysz, maskid, one 32-bit field. */
struct key32 {
	u32 keysz, maskid, field0, pad;
};

static struct p4tc_table_entry_act_bpf *read32(struct harness *h,
					       uint32_t tblid, uint32_t v,
					       uint32_t params_sz,
					       uint32_t key_sz)
{
	struct p4tc_table_entry_act_bpf_params__local p = {h->pipeid, tblid};
	struct key32 k = {32, 0, v, 0};
	struct __sk_buff skb = skb_of(h, 64);
	struct p4tc_table_entry_act_bpf *a;

	rcu_thread_online();
	a = bpf_p4tc_tbl_read(&skb, &p, params_sz, &k, key_sz);
	rcu_thread_offline();
	return a;
}

static void test_tbl_read(void)
{
	struct p4tc_table_entry_act_bpf *a;
	struct p4x_table_action dh = {.act_id = 1};
	struct harness h;
	uint32_t idx = 0;

	open_routing(&h, NULL);
	/* nh_table (1): default miss drop (act 1), no default hit */
	a = read32(&h, 1, 5, 8, sizeof(struct key32));
	CHECK(a, "default miss");
	CHECK_EQ(a->act_id, 1);
	CHECK_EQ(a->hit, 0);
	CHECK_EQ(a->is_default_miss_act, 1);
	/* fib_table (2): default miss set_nhid(0) with its param */
	h_add(&h, "Main/fib_table",
	      (const char *[]){"prefix", "10.0.0.0/8", NULL}, "Main/set_nhid",
	      (const char *[]){"index", "7", NULL});
	a = read32(&h, 2, htonl(0x0b000001), 8, sizeof(struct key32));
	CHECK(a && a->act_id == 3 && !a->hit, "fib default");
	memcpy(&idx, a->params, 4);
	CHECK_EQ(idx, 0);
	a = read32(&h, 2, htonl(0x0a010203), 8, sizeof(struct key32));
	CHECK(a && a->act_id == 3 && a->hit && !a->is_default_miss_act, "hit");
	memcpy(&idx, a->params, 4);
	CHECK_EQ(idx, 7);
	/* an entry without action: static {hit, act 0}, then default hit */
	CHECK_EQ(p4x_table__set_default_miss(h.tbl[1], NULL), 0);
	CHECK(!read32(&h, 1, 5, 8, sizeof(struct key32)), "no default: NULL");
	{
		struct p4x_table_txn *txn = p4x_table__txn_begin(h.tbl[1]);
		uint32_t key = 9;
		char err[256];

		CHECK_EQ(p4x_table_txn__add(
				 txn,
				 &(struct p4x_table_entry_spec){
					 .sz = sizeof(
						 struct p4x_table_entry_spec),
					 .key = &key},
				 err, sizeof(err)),
			 0);
		p4x_table_txn__commit(txn);
	}
	a = read32(&h, 1, 9, 8, sizeof(struct key32));
	CHECK(a && a->hit && !a->act_id && !a->is_default_hit_act, "no act");
	CHECK_EQ(p4x_table__set_default_hit(h.tbl[1], &dh), 0);
	a = read32(&h, 1, 9, 8, sizeof(struct key32));
	CHECK(a && a->hit && a->act_id == 1 && a->is_default_hit_act, "dh");
	/* bad arguments: NULL, counted */
	CHECK(!read32(&h, 1, 9, 16, sizeof(struct key32)), "params size");
	CHECK(!read32(&h, 1, 9, 8, 8), "key size");
	CHECK(!read32(&h, 6, 9, 8, sizeof(struct key32)), "unknown table");
	CHECK_EQ(counter(&h, P4X_P4RT_CNT_TBL_BAD), 3);
	h_close(&h);
}

static struct p4tc_ext_bpf_params ext(uint32_t ext_id, uint32_t inst,
				      uint32_t index, uint32_t flags)
{
	return (struct p4tc_ext_bpf_params){.ext_id = ext_id,
					    .inst_id = inst,
					    .index = index,
					    .flags = flags};
}

static void add_ext(struct harness *h, enum p4x_p4rt_extern_kind kind,
		    uint32_t ext_id, uint32_t numel, uint32_t vsz, uint64_t cbs,
		    uint64_t pbs)
{
	struct p4x_p4rt_extern_spec s = {
		.sz = sizeof(s),
		.kind = kind,
		.ext_id = ext_id,
		.inst_id = 1,
		.numel = numel,
		.value_size = vsz,
		.meter = {.cir = 1, .pir = 1, .cbs = cbs, .pbs = pbs},
	};
	char err[256];

	CHECK_EQ(p4x_p4rt__extern_add(h->rt, &s, err, sizeof(err)), 0);
	CHECK_EQ(p4x_p4rt__extern_add(h->rt, &s, err, sizeof(err)), -EEXIST);
}

static void test_counters_registers(struct harness *h)
{
	struct __sk_buff skb = skb_of(h, 100);
	struct p4tc_ext_bpf_params p =
		ext(0x19000000, 1, 3, P4TC_EXT_CNT_INDIRECT);
	struct p4tc_ext_bpf_val val = {};
	struct p4tc_ext_bpf_val *r;
	uint64_t pk, by;
	uint32_t v = 0xdeadbeef, got = 0;

	add_ext(h, P4X_P4RT_COUNTER, 0x19000000, 4, 0, 0, 0);
	CHECK_EQ(bpf_p4tc_extern_count_pkts(&skb, &p, sizeof(p), NULL, 0), 0);
	CHECK_EQ(bpf_p4tc_extern_count_pktsnbytes(&skb, &p, sizeof(p), NULL, 0),
		 0);
	CHECK_EQ(p4x_p4rt__counter_read(h->rt, 0x19000000, 1, 3, &pk, &by), 0);
	CHECK(pk == 2 && by == 100, "counter %llu/%llu", (unsigned long long)pk,
	      (unsigned long long)by);
	p.index = 4;
	CHECK_EQ(bpf_p4tc_extern_count_pkts(&skb, &p, sizeof(p), NULL, 0),
		 -ENOENT);
	CHECK_EQ(bpf_p4tc_extern_count_pkts(&skb, &p, 80, NULL, 0), -EINVAL);
	/* a direct counter nobody declared */
	p = ext(0, 0, 0, P4TC_EXT_CNT_DIRECT);
	p.tbl_id = 1;
	CHECK_EQ(bpf_p4tc_extern_count_pkts(&skb, &p, sizeof(p), NULL, 0),
		 -ENOENT);

	add_ext(h, P4X_P4RT_REGISTER, 0x1, 4, 4, 0, 0);
	p = ext(0x1, 1, 0, 0);
	CHECK(!bpf_p4tc_extern_md_read(&skb, &p, sizeof(p)), "index 0");
	CHECK_EQ(bpf_p4tc_extern_md_write(&skb, &p, sizeof(p), &val,
					  sizeof(val)),
		 -EPERM);
	p.index = 2;
	memcpy(val.out_params, &v, 4);
	CHECK_EQ(bpf_p4tc_extern_md_write(&skb, &p, sizeof(p), &val, 70),
		 -EINVAL);
	CHECK_EQ(bpf_p4tc_extern_md_write(&skb, &p, sizeof(p), &val,
					  sizeof(val)),
		 0);
	r = bpf_p4tc_extern_md_read(&skb, &p, sizeof(p));
	CHECK(r, "read");
	memcpy(&got, r->out_params, 4);
	CHECK_EQ(got, v);
	got = 0;
	CHECK_EQ(p4x_p4rt__register_read(h->rt, 0x1, 1, 2, &got, 4), 0);
	CHECK_EQ(got, v);
	v = 5;
	CHECK_EQ(p4x_p4rt__register_write(h->rt, 0x1, 1, 2, &v, 4), 0);
	r = bpf_p4tc_extern_md_read(&skb, &p, sizeof(p));
	memcpy(&got, r->out_params, 4);
	CHECK_EQ(got, 5);
	p.inst_id = 2;
	CHECK(!bpf_p4tc_extern_md_read(&skb, &p, sizeof(p)), "no instance");
	CHECK(counter(h, P4X_P4RT_CNT_EXT_MISS) >= 2, "misses counted");
}

static void test_meter(struct harness *h)
{
	struct __sk_buff skb = skb_of(h, 60);
	struct p4tc_ext_bpf_params p =
		ext(0x1B000000, 1, 0, P4TC_EXT_METER_INDIRECT);
	const int colours[] = {1, 1, 2, 2, 0}; /* GREEN GREEN YELLOW ... */
	unsigned int i;
	uint32_t in;

	/* 1 packet/s: the buckets (2 committed, 4 peak) cannot refill a
	 * whole packet during the test */
	add_ext(h, P4X_P4RT_METER, 0x1B000000, 1, 0, 2, 4);
	for (i = 0; i < P4X_ARRAY_SIZE(colours); i++)
		CHECK_EQ(bpf_p4tc_extern_meter_pkts(&skb, &p, sizeof(p), NULL,
						    0),
			 colours[i]);
	in = 0; /* RED in stays RED */
	memcpy(p.in_params, &in, 4);
	CHECK_EQ(bpf_p4tc_extern_meter_pkts_color(&skb, &p, sizeof(p), NULL, 0),
		 0);
	in = 3;
	memcpy(p.in_params, &in, 4);
	CHECK_EQ(bpf_p4tc_extern_meter_pkts_color(&skb, &p, sizeof(p), NULL, 0),
		 -EINVAL);
	p.flags = P4TC_EXT_METER_DIRECT;
	p.tbl_id = 2;
	CHECK_EQ(bpf_p4tc_extern_meter_bytes(&skb, &p, sizeof(p), NULL, 0),
		 -ENOENT);
}

static int count_key(struct harness *h, uint32_t k, uint32_t len)
{
	struct p4tc_ext_bpf_params p = ext(0, 0, 0, P4TC_EXT_CNT_DIRECT);
	struct __sk_buff skb = skb_of(h, len);
	struct key32 key = {32, 0, k, 0};

	p.tbl_id = 1;
	return bpf_p4tc_extern_count_pktsnbytes(&skb, &p, sizeof(p), &key,
						sizeof(key));
}

static int meter_key(struct harness *h, uint32_t k)
{
	struct p4tc_ext_bpf_params p =
		ext(0x1C000000, 0, 0, P4TC_EXT_METER_DIRECT);
	struct __sk_buff skb = skb_of(h, 60);
	struct key32 key = {32, 0, k, 0};

	p.tbl_id = 1;
	return bpf_p4tc_extern_meter_pkts(&skb, &p, sizeof(p), &key,
					  sizeof(key));
}

/* Direct counters and meters of routing's nh_table (tblid 1). */
static void test_direct(void)
{
	struct p4x_p4rt_extern_spec s = {.sz = sizeof(s),
					 .kind = P4X_P4RT_COUNTER,
					 .numel = 4,
					 .tbl_id = 1};
	uint64_t pk, by;
	struct harness h;
	char err[256];
	uint32_t k;
	int i, ok;

	open_routing(&h, NULL);
	CHECK_EQ(p4x_p4rt__extern_add(h.rt, &s, err, sizeof(err)), 0);
	CHECK_EQ(p4x_p4rt__extern_add(h.rt, &s, err, sizeof(err)), -EEXIST);
	s.tbl_id = 6;
	CHECK_EQ(p4x_p4rt__extern_add(h.rt, &s, err, sizeof(err)), -ENOENT);
	CHECK(strstr(err, "table id 6"), "%s", err);
	s.kind = P4X_P4RT_REGISTER;
	s.value_size = 4;
	CHECK_EQ(p4x_p4rt__extern_add(h.rt, &s, err, sizeof(err)), -EINVAL);
	s = (struct p4x_p4rt_extern_spec){
		.sz = sizeof(s),
		.kind = P4X_P4RT_METER,
		.numel = 4,
		.tbl_id = 1,
		.meter = {.cir = 1, .pir = 1, .cbs = 1, .pbs = 1}};
	CHECK_EQ(p4x_p4rt__extern_add(h.rt, &s, err, sizeof(err)), 0);

	for (i = 0; i < 3; i++)
		CHECK_EQ(count_key(&h, 5, 100), 0);
	CHECK_EQ(count_key(&h, 6, 40), 0);
	k = 5;
	CHECK_EQ(p4x_p4rt__direct_counter_read(h.rt, 1, &k, &pk, &by), 0);
	CHECK(pk == 3 && by == 300, "key 5: %llu/%llu", (unsigned long long)pk,
	      (unsigned long long)by);
	k = 6;
	CHECK_EQ(p4x_p4rt__direct_counter_read(h.rt, 1, &k, &pk, &by), 0);
	CHECK(pk == 1 && by == 40, "key 6");
	k = 7;
	CHECK_EQ(p4x_p4rt__direct_counter_read(h.rt, 1, &k, &pk, &by), -ENOENT);
	/* 4 keys asked for, 8 slots: the ninth distinct key has none */
	for (ok = 0, k = 100; k < 110; k++)
		ok += count_key(&h, k, 1) == 0;
	CHECK_EQ(ok, 8 - 2);

	/* one packet of burst per key: GREEN, then RED; keys apart */
	CHECK_EQ(meter_key(&h, 5), 1);
	CHECK_EQ(meter_key(&h, 5), 0);
	CHECK_EQ(meter_key(&h, 6), 1);
	h_close(&h);
}

static void test_externs(void)
{
	struct p4x_p4rt_extern_spec bad = {.sz = sizeof(bad)};
	struct harness h;
	char err[256];

	open_routing(&h, NULL);
	CHECK_EQ(p4x_p4rt__extern_add(h.rt, &bad, err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "extern spec"), "%s", err);
	test_counters_registers(&h);
	test_meter(&h);
	h_close(&h);
}

struct digest_rec {
	unsigned int n;
	uint32_t inst;
	uint8_t data[64];
};

static void on_digest(void *arg, uint32_t pipeid, uint32_t ext_id,
		      uint32_t inst_id, const uint8_t *data, size_t len)
{
	struct digest_rec *d = arg;

	CHECK_EQ(ext_id, 0x05000000);
	CHECK_EQ(len, 64);
	d->n++;
	d->inst = inst_id;
	memcpy(d->data, data, 64);
}

static struct digest_rec *g_digest;

static void digest_thunk(void *arg, uint32_t pipeid, uint32_t ext_id,
			 uint32_t inst_id, const uint8_t *data, size_t len)
{
	on_digest(g_digest, pipeid, ext_id, inst_id, data, len);
}

static void test_digest(void)
{
	struct digest_rec rec = {0};
	struct harness h;
	struct __sk_buff skb;
	struct p4tc_ext_bpf_params p = ext(0x05000000, 1, 0, 0);

	open_routing(&h, NULL);
	skb = skb_of(&h, 64);
	/* no listener */
	CHECK_EQ(bpf_p4tc_extern_digest_pack(&skb, &p, sizeof(p)), -ESRCH);
	CHECK_EQ(counter(&h, P4X_P4RT_CNT_DIGEST_DROP), 1);
	h_close(&h);

	g_digest = &rec;
	{
		struct p4x_p4rt_env env = {
			.table = h_table, .digest = digest_thunk, .arg = &h};
		struct p4x_p4rt_opts o = {.sz = sizeof(o), .pipeid = 1};
		char so[512], err[256];
		struct p4x_p4rt *rt;

		snprintf(so, sizeof(so), "%s/routing/routing.so", obj_dir);
		rt = p4x_p4rt__load(so, &env, &o, err, sizeof(err));
		CHECK(rt, "%s", err);
		skb = (struct __sk_buff){.p4x_rt = rt};
		memcpy(p.in_params, "\x0a\x0b\x0c\x0d\x0e\x0f\x01\x00\x00\x00",
		       10);
		p.index = 1;
		CHECK_EQ(bpf_p4tc_extern_digest_pack(&skb, &p, sizeof(p)),
			 -EINVAL);
		p.index = 0;
		CHECK_EQ(bpf_p4tc_extern_digest_pack(&skb, &p, sizeof(p)), 0);
		CHECK_EQ(rec.n, 0);
		CHECK_EQ(p4x_p4rt__poll(rt, 0), 1);
		CHECK_EQ(rec.n, 1);
		CHECK_EQ(rec.inst, 1);
		CHECK(!memcmp(rec.data, p.in_params, 64), "digest bytes");
		p4x_p4rt__free(rt);
	}
}

static int create(struct harness *h, uint32_t key, uint32_t psz,
		  enum p4x_p4tc_entry_op op)
{
	struct p4tc_table_entry_create_bpf_params__local c = {
		.act_bpf = {.act_id = 2},
		.profile_id = 1,
		.pipeid = h->pipeid,
		.tblid = 1,
	};
	struct key32 k = {32, 0, key, 0};
	struct __sk_buff skb = skb_of(h, 64);
	uint32_t port = 2;

	memcpy(c.act_bpf.params, "\x13\x37\x13\x37\x13\x37", 6);
	memcpy(c.act_bpf.params + 6, &port, 4);
	switch (op) {
	case P4X_P4TC_ENTRY_UPDATE:
		return bpf_p4tc_entry_update(&skb, &c, psz, &k, sizeof(k));
	case P4X_P4TC_ENTRY_CREATE:
		return bpf_p4tc_entry_create(&skb, &c, psz, &k, sizeof(k));
	default:
		return bpf_p4tc_entry_create_on_miss(&skb, &c, psz, &k,
						     sizeof(k));
	}
}

/* Adds accepted out of @n asked in one rate-limit window: starts at a
 * fresh window, and tries again in the next one if the window turned
 * over meanwhile. */
static unsigned int adds_in_one_second(struct harness *h, uint32_t base,
				       unsigned int n)
{
	for (;;) {
		uint64_t s = p4x_table_clock_ms() / 1000;
		unsigned int i, ok = 0;

		while (p4x_table_clock_ms() / 1000 == s)
			usleep(2000);
		s = p4x_table_clock_ms() / 1000;

		for (i = 0; i < n; i++)
			ok += create(h, base + i, 160,
				     P4X_P4TC_ENTRY_CREATE_ON_MISS) == 0;
		if (p4x_table_clock_ms() / 1000 == s)
			return ok;
		p4x_p4rt__poll(h->rt, 0);
		base += n;
	}
}

/* Replace routing's nh_table by one the datapath may add to. */
static void allow_datapath_create(struct harness *h)
{
	struct p4x_table_opts o = {
		.sz = sizeof(o),
		.permissions =
			P4X_TABLE_DEFAULT_PERMS | P4X_PERM_DATA(P4X_PERM_C),
	};

	p4x_table__destroy(h->tbl[1]);
	h->tbl[1] = p4x_table__create("Main/nh_table", P4X_TABLE_EXACT, 32, &o);
	CHECK(h->tbl[1], "create %d", errno);
	CHECK_EQ(p4x_table__set_timer_profile(h->tbl[1], 1, 1000), 0);
}

static void test_add_on_miss(void)
{
	struct p4x_p4rt_opts o = {.sz = sizeof(o), .adds_per_sec = 3};
	struct p4x_table_entry_info info;
	const struct p4x_table_entry *e;
	struct p4tc_table_entry_act_bpf *a;
	struct harness h;
	uint32_t key = 100;

	open_routing(&h, &o);
	CHECK_EQ(p4x_table__set_timer_profile(h.tbl[1], 1, 1000), 0);
	allow_datapath_create(&h);
	CHECK_EQ(create(&h, 1, 8, P4X_P4TC_ENTRY_UPDATE), -EINVAL);
	CHECK_EQ(create(&h, 1, 160, P4X_P4TC_ENTRY_UPDATE), -EOPNOTSUPP);
	CHECK_EQ(counter(&h, P4X_P4RT_CNT_ENTRY_BAD), 1);
	CHECK_EQ(adds_in_one_second(&h, 100, 10), 3);
	CHECK(counter(&h, P4X_P4RT_CNT_ADD_RATE) >= 7, "rate limited");
	/* nothing is in the table before the control thread polls */
	CHECK(!read32(&h, 1, 100, 8, sizeof(struct key32)) ||
		      !read32(&h, 1, 100, 8, sizeof(struct key32))->hit,
	      "added before poll");
	p4x_p4rt__poll(h.rt, 0);
	CHECK(p4x_table__count(h.tbl[1]) >= 3, "count %u",
	      p4x_table__count(h.tbl[1]));
	CHECK_EQ(h.added, p4x_table__count(h.tbl[1]));
	a = read32(&h, 1, 100, 8, sizeof(struct key32));
	CHECK(a && a->hit && a->act_id == 2, "added entry hit");
	CHECK(!memcmp(a->params, "\x13\x37\x13\x37\x13\x37\x02\0\0\0", 10),
	      "params");
	e = p4x_table__get(h.tbl[1],
			   &(struct p4x_table_entry_spec){
				   .sz = sizeof(struct p4x_table_entry_spec),
				   .key = &key});
	CHECK(e, "get");
	p4x_table_entry__info(e, &info);
	CHECK(info.dynamic && info.profile_id == 1 &&
		      info.who_created == P4X_TABLE_WHO_KERNEL &&
		      info.params_len == 10,
	      "entry metadata");
	/* entries added by the datapath age out by their timer profile */
	CHECK_EQ(p4x_table__age(h.tbl[1], p4x_table_clock_ms() + 60000, NULL,
				NULL),
		 (int)h.added);
	CHECK_EQ(p4x_table__count(h.tbl[1]), 0);
	h_close(&h);
}

static void test_queue_bound(void)
{
	struct p4x_p4rt_opts o = {.sz = sizeof(o), .queue_size = 4};
	struct harness h;
	unsigned int i, ok = 0;

	open_routing(&h, &o);
	CHECK_EQ(p4x_table__set_timer_profile(h.tbl[1], 1, 1000), 0);
	/* nh_table's permissions (0x3da4) do not let the datapath create */
	CHECK_EQ(create(&h, 1, 160, P4X_P4TC_ENTRY_CREATE_ON_MISS), 0);
	CHECK_EQ(p4x_p4rt__poll(h.rt, 0), 1);
	CHECK_EQ(counter(&h, P4X_P4RT_CNT_ADD_FAIL), 1);
	CHECK_EQ(p4x_table__count(h.tbl[1]), 0);
	allow_datapath_create(&h);
	for (i = 0; i < 10; i++)
		ok += create(&h, 7, 160, P4X_P4TC_ENTRY_CREATE) == 0;
	CHECK_EQ(ok, 7); /* a ring of 8 slots holds 7 */
	CHECK_EQ(counter(&h, P4X_P4RT_CNT_ADD_QFULL), 3);
	CHECK_EQ(p4x_p4rt__poll(h.rt, 2), 2);
	CHECK_EQ(p4x_p4rt__poll(h.rt, 0), 5);
	/* the same key 7 times: one commit, six refused by the table */
	CHECK_EQ(counter(&h, P4X_P4RT_CNT_ADD_DONE), 1);
	CHECK_EQ(counter(&h, P4X_P4RT_CNT_ADD_FAIL), 1 + 6);
	h_close(&h);
}

int main(int argc, char **argv)
{
	CHECK(argc == 3, "usage: %s <examples dir> <examples build dir>",
	      argv[0]);
	src_dir = argv[1];
	obj_dir = argv[2];
	/* this test calls the kfuncs through the headers' trampolines */
	p4x_p4tc_kfuncs = p4x_p4rt__kfuncs();
	rcu_register_thread();
	rcu_thread_offline();
	test_csum();
	test_tbl_read();
	test_externs();
	test_direct();
	test_digest();
	test_add_on_miss();
	test_queue_bound();
	rcu_thread_online();
	rcu_unregister_thread();
	printf("p4rt kfuncs: ok\n");
	return 0;
}
