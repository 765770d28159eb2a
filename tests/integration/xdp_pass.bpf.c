// SPDX-License-Identifier: BSD-3-Clause
/* A foreign XDP program for the tests: p4xskd must not replace it. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int foreign_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
