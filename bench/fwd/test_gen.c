// SPDX-License-Identifier: BSD-3-Clause
/*
 * BPF_PROG_TEST_RUN check of p4x-gen's program (gen.bpf.c): every run must
 * restore the headers from the template (even over a frame a receiver
 * modified), rotate the flow from the per-CPU counter (source port + i %
 * 1024, source IP + i / 1024), write a valid IPv4 checksum and return
 * XDP_TX. The thread is pinned so every run uses one per-CPU counter.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/ip.h>
#include <linux/udp.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "p4x/log.h"

#include "fwdutil.h"
#include "gen.skel.h"

#define FLOWS 2048
#define FRAME_LEN 64
#define SPORT 1000

static const uint8_t dmac[ETH_ALEN] = {2, 0, 0, 0, 0, 2};
static const uint8_t smac[ETH_ALEN] = {2, 0, 0, 0, 0, 1};

static int fail(const char *what, unsigned int run)
{
	fprintf(stderr, "test_gen: run %u: %s\n", run, what);
	return 1;
}

/* Check @out, the result of run number @i (flow i % FLOWS). */
static int check_frame(const uint8_t *out, const uint8_t *tmpl, unsigned int i)
{
	const struct iphdr *ip = (const void *)(out + sizeof(struct ethhdr));
	const struct udphdr *udp = (const void *)(ip + 1);
	unsigned int flow = i % FLOWS;

	/* All but the IPv4 checksum (24), source (26) and UDP source (34). */
	if (memcmp(out, tmpl, 24) || memcmp(out + 30, tmpl + 30, 4) ||
	    udp->dest != ((const struct udphdr *)(tmpl + 34))->dest)
		return fail("headers not restored from the template", i);
	if (ntohs(udp->source) != SPORT + flow % 1024)
		return fail("wrong UDP source port", i);
	if (ntohl(ip->saddr) != ntohl(inet_addr("10.0.0.1")) + flow / 1024)
		return fail("wrong IPv4 source", i);
	if (p4x_bench_ip_csum(ip))
		return fail("bad IPv4 checksum", i);
	return 0;
}

static int run_all(int prog_fd, const uint8_t *tmpl)
{
	static const unsigned int runs[] = {0,	  1,	1023, 1024,
					    1025, 2047, 2048, 2049};
	uint8_t in[FRAME_LEN], out[FRAME_LEN];
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in,
		    .data_size_in = sizeof(in), .data_out = out,
		    .data_size_out = sizeof(out), .repeat = 1);
	unsigned int i, next = 0;

	for (i = 0; i <= runs[P4X_ARRAY_SIZE(runs) - 1]; i++) {
		/* What a forwarder leaves behind: new MACs, TTL - 1. */
		memcpy(in, tmpl, sizeof(in));
		memset(in, 0xee, 12);
		in[22]--;
		if (bpf_prog_test_run_opts(prog_fd, &o))
			return fail(strerror(errno), i);
		if (o.retval != XDP_TX)
			return fail("did not return XDP_TX", i);
		if (i == runs[next]) {
			if (check_frame(out, tmpl, i))
				return 1;
			next++;
		}
	}
	return 0;
}

int main(void)
{
	uint8_t tmpl[FRAME_LEN];
	struct p4x_gen *skel;
	int err;

	p4x_log__init(P4X_LOG_WARN);
	if (p4x_bench_pin(0))
		return fail("cannot pin to CPU 0", 0);
	p4x_bench_build_udp4(
		tmpl, sizeof(tmpl),
		&(struct p4x_bench_udp4){.dmac = dmac,
					 .smac = smac,
					 .src = inet_addr("10.0.0.1"),
					 .dst = inet_addr("10.1.0.1"),
					 .sport = SPORT,
					 .dport = 9});
	skel = p4x_gen__open();
	if (!skel)
		return fail("cannot open gen.bpf.o", 0);
	memcpy((void *)skel->rodata->tmpl, tmpl, sizeof(skel->rodata->tmpl));
	skel->rodata->n_flows = FLOWS;
	err = p4x_gen__load(skel);
	if (err) {
		p4x_gen__destroy(skel);
		if (err == -EPERM) {
			fprintf(stderr, "test_gen: loading BPF needs root\n");
			return 77;
		}
		return fail("cannot load gen.bpf.o", 0);
	}
	err = run_all(bpf_program__fd(skel->progs.p4x_gen), tmpl);
	p4x_gen__destroy(skel);
	if (!err)
		printf("test_gen: ok\n");
	return err;
}
