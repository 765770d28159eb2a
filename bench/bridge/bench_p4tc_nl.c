// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4x-bench-p4tc-nl: decode rate of the P4TC netlink codec on real kernel
 * traffic. Every entry message the kernel sent in the recorded captures
 * (dump replies, get replies, notifications: RTM_P4TC_* from the kernel
 * with entries) is replayed through p4x_p4tc_nl__decode() until about
 * --messages messages (default 100000) went through; then the same set
 * through encode (as a dump of the same entries would be written). Prints
 * messages/s and entries/s per CPU-second; --json PATH writes them.
 * Reference (issue 5): VPP's linux-nl handles about 41k messages/s.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <glob.h>

#include <json-c/json.h>
#include <libmnl/libmnl.h>

#include "p4x/log.h"
#include "p4tc_nl.h"
#include "nlpcap.h"

#ifndef P4X_P4TC_NETLINK_DIR
#error "P4X_P4TC_NETLINK_DIR: the captures' directory"
#endif

struct msgs {
	struct nlmsghdr **m;
	size_t n, entries;
};

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Keep @nlh when it is a kernel message with entries. */
static int keep(struct msgs *ms, struct p4x_p4tc_nl *c,
		const struct nlmsghdr *nlh)
{
	const struct p4x_p4tc_nl_msg *m;
	char err[256];
	void *copy;

	if (nlh->nlmsg_type < 128 || nlh->nlmsg_type > 131 || !nlh->nlmsg_pid)
		return 0;
	if (p4x_p4tc_nl__decode(c, nlh, nlh->nlmsg_len, &m, err, sizeof(err)))
		return -EINVAL;
	if (m->kind != P4X_P4TC_NL_ENTRIES || !m->nentries)
		return 0;
	if (!(ms->n & 63)) {
		struct nlmsghdr **grown =
			realloc(ms->m, (ms->n + 64) * sizeof(*ms->m));

		if (!grown)
			return -ENOMEM;
		ms->m = grown;
	}
	copy = malloc(nlh->nlmsg_len);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, nlh, nlh->nlmsg_len);
	ms->m[ms->n++] = copy;
	ms->entries += m->nentries;
	return 0;
}

static int load(const char *pcap, struct msgs *ms, struct p4x_p4tc_nl *c)
{
	struct p4x_nlpcap_rec r;
	char err[256];
	struct p4x_nlpcap *p = p4x_nlpcap__open(pcap, err, sizeof(err));
	int ret;

	if (!p) {
		fprintf(stderr, "%s\n", err);
		return -errno;
	}
	while ((ret = p4x_nlpcap__next(p, &r, err, sizeof(err))) == 1) {
		const struct nlmsghdr *nlh = r.data;
		int len = (int)r.len;

		for (ret = 0; mnl_nlmsg_ok(nlh, len) && !ret;
		     nlh = mnl_nlmsg_next(nlh, &len))
			ret = keep(ms, c, nlh);
		if (ret)
			break;
	}
	if (ret < 0)
		fprintf(stderr, "%s: record %u: %s\n", pcap, r.index,
			strerror(-ret));
	p4x_nlpcap__close(p);
	return ret;
}

struct result {
	double msgs_per_s, entries_per_s, cpu_s;
	size_t msgs, entries;
};

static int run_decode(struct p4x_p4tc_nl *c, const struct msgs *ms,
		      size_t rounds, struct result *r)
{
	const struct p4x_p4tc_nl_msg *m;
	char err[256];
	double t0 = cpu_now();

	memset(r, 0, sizeof(*r));
	for (size_t k = 0; k < rounds; k++) {
		for (size_t i = 0; i < ms->n; i++) {
			if (p4x_p4tc_nl__decode(c, ms->m[i],
						ms->m[i]->nlmsg_len, &m, err,
						sizeof(err)))
				return -EINVAL;
			r->entries += m->nentries;
		}
	}
	r->cpu_s = cpu_now() - t0;
	r->msgs = rounds * ms->n;
	return 0;
}

static int run_encode(struct p4x_p4tc_nl *c, const struct msgs *ms,
		      size_t rounds, struct result *r)
{
	static uint8_t buf[65536];
	const struct p4x_p4tc_nl_msg *m;
	char err[256];
	double cpu = 0, t0;

	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < ms->n; i++) {
		if (p4x_p4tc_nl__decode(c, ms->m[i], ms->m[i]->nlmsg_len, &m,
					err, sizeof(err)))
			return -EINVAL;
		t0 = cpu_now();
		for (size_t k = 0; k < rounds; k++)
			if (p4x_p4tc_nl__encode(m, P4X_P4TC_NL_VER_V17, buf,
						sizeof(buf)) <= 0)
				return -EINVAL;
		cpu += cpu_now() - t0;
		r->entries += rounds * m->nentries;
	}
	r->cpu_s = cpu;
	r->msgs = rounds * ms->n;
	return 0;
}

static void finish(struct result *r)
{
	r->msgs_per_s = r->cpu_s > 0 ? r->msgs / r->cpu_s : 0;
	r->entries_per_s = r->cpu_s > 0 ? r->entries / r->cpu_s : 0;
}

static struct json_object *jresult(const struct result *r)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "messages", json_object_new_int64(r->msgs));
	json_object_object_add(o, "entries", json_object_new_int64(r->entries));
	json_object_object_add(o, "cpu_seconds",
			       json_object_new_double(r->cpu_s));
	json_object_object_add(o, "messages_per_cpu_second",
			       json_object_new_double(r->msgs_per_s));
	json_object_object_add(o, "entries_per_cpu_second",
			       json_object_new_double(r->entries_per_s));
	return o;
}

static int write_json(const char *path, const struct msgs *ms,
		      const struct result *dec, const struct result *enc)
{
	struct json_object *o = json_object_new_object();
	int ret;

	json_object_object_add(o, "captured_entry_messages",
			       json_object_new_int64(ms->n));
	json_object_object_add(o, "captured_entries",
			       json_object_new_int64(ms->entries));
	json_object_object_add(o, "decode", jresult(dec));
	json_object_object_add(o, "encode", jresult(enc));
	json_object_object_add(o, "reference_vpp_linux_nl_messages_per_second",
			       json_object_new_int(41000));
	ret = json_object_to_file_ext(path, o, JSON_C_TO_STRING_PRETTY);
	json_object_put(o);
	return ret ? -EIO : 0;
}

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [--messages N] [--dir CAPTURES] [--json PATH]\n"
		"  replays the P4TC entry messages of the captures in "
		"CAPTURES\n"
		"  (default %s) through the decoder and the encoder\n",
		prog, P4X_P4TC_NETLINK_DIR);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"messages", required_argument, NULL, 'n'},
		{"dir", required_argument, NULL, 'd'},
		{"json", required_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	const char *dir = P4X_P4TC_NETLINK_DIR, *json = NULL;
	struct p4x_p4tc_nl_opts o = {.sz = sizeof(o)};
	struct p4x_p4tc_nl *c;
	struct result dec, enc;
	struct msgs ms = {0};
	size_t want = 100000, rounds;
	char pattern[512];
	glob_t g;
	int opt;

	while ((opt = getopt_long(argc, argv, "n:d:j:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			want = strtoul(optarg, NULL, 0);
			break;
		case 'd':
			dir = optarg;
			break;
		case 'j':
			json = optarg;
			break;
		default:
			usage(argv[0]);
			return opt == 'h' ? 0 : 2;
		}
	}
	p4x_log__init(P4X_LOG_WARN);
	c = p4x_p4tc_nl__new(&o);
	snprintf(pattern, sizeof(pattern), "%s/*.pcap", dir);
	if (!c || glob(pattern, 0, NULL, &g)) {
		fprintf(stderr, "no captures in %s\n", dir);
		return 1;
	}
	for (size_t i = 0; i < g.gl_pathc; i++)
		if (load(g.gl_pathv[i], &ms, c))
			return 1;
	globfree(&g);
	if (!ms.n) {
		fprintf(stderr, "no entry messages in %s\n", dir);
		return 1;
	}
	rounds = (want + ms.n - 1) / ms.n;
	if (run_decode(c, &ms, rounds, &dec) ||
	    run_encode(c, &ms, rounds, &enc)) {
		fprintf(stderr, "a captured message stopped decoding\n");
		return 1;
	}
	finish(&dec);
	finish(&enc);
	printf("captured: %zu entry messages, %zu entries (P4TC v17-rc6)\n",
	       ms.n, ms.entries);
	printf("decode: %zu messages (%zu entries) in %.3f CPU s: %.0f msgs/s, "
	       "%.0f entries/s\n",
	       dec.msgs, dec.entries, dec.cpu_s, dec.msgs_per_s,
	       dec.entries_per_s);
	printf("encode: %zu messages (%zu entries) in %.3f CPU s: %.0f msgs/s, "
	       "%.0f entries/s\n",
	       enc.msgs, enc.entries, enc.cpu_s, enc.msgs_per_s,
	       enc.entries_per_s);
	printf("reference: VPP linux-nl about 41000 msgs/s (issue 5)\n");
	for (size_t i = 0; i < ms.n; i++)
		free(ms.m[i]);
	free(ms.m);
	p4x_p4tc_nl__free(c);
	return json && write_json(json, &ms, &dec, &enc) ? 1 : 0;
}
