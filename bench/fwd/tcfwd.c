// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4x-tcfwd: attach the tc leg's forwarder (redirect.bpf.c) as a
 * direct-action cls_bpf filter on the ingress of --in: every frame gets
 * --dmac / --smac and is redirected out of --out. The filter stays after
 * this program exits; remove it with `tc qdisc del dev IN clsact` (or by
 * deleting the namespace).
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "p4x/log.h"

#include "fwdutil.h"
#include "redirect.skel.h"

struct tcfwd_cfg {
	const char *in, *out;
	uint8_t dmac[ETH_ALEN], smac[ETH_ALEN];
	bool have_dmac, have_smac;
};

enum { OPT_IN, OPT_OUT, OPT_DMAC, OPT_SMAC };

static const struct p4x_bench_opt tcfwd_opts[] = {
	[OPT_IN] = {"in", "IFNAME",
		    "attach on this interface's ingress (required)"},
	[OPT_OUT] = {"out", "IFNAME",
		     "redirect out of this interface (required)"},
	[OPT_DMAC] = {"dmac", "MAC", "new destination MAC (required)"},
	[OPT_SMAC] = {"smac", "MAC", "new source MAC (default: --out's)"},
	{0},
};

static int tcfwd_set(int idx, const char *v, void *ctx)
{
	struct tcfwd_cfg *c = ctx;

	switch (idx) {
	case OPT_IN:
		c->in = v;
		return 0;
	case OPT_OUT:
		c->out = v;
		return 0;
	case OPT_DMAC:
		c->have_dmac = true;
		return p4x_bench_parse_mac(v, c->dmac);
	case OPT_SMAC:
		c->have_smac = true;
		return p4x_bench_parse_mac(v, c->smac);
	}
	return -EINVAL;
}

static int tcfwd_config(int argc, char **argv, struct tcfwd_cfg *c)
{
	*c = (struct tcfwd_cfg){0};
	if (p4x_bench_parse(
		    argc, argv, tcfwd_opts,
		    "Attach a tc bpf_redirect forwarder with MAC rewrite.",
		    tcfwd_set, c))
		return -EINVAL;
	if (!c->in || !c->out || !c->have_dmac) {
		p4x_warn("p4x-tcfwd: --in, --out and --dmac are required");
		return -EINVAL;
	}
	if (!if_nametoindex(c->in) || !if_nametoindex(c->out) ||
	    (!c->have_smac && p4x_bench_if_mac(c->out, c->smac))) {
		p4x_warn("p4x-tcfwd: no interface '%s' or '%s' in this netns",
			 c->in, c->out);
		return -ENODEV;
	}
	return 0;
}

static int tcfwd_attach(int ifindex, int prog_fd)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
		    .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = prog_fd);
	int err;

	err = bpf_tc_hook_create(&hook);
	if (err && err != -EEXIST)
		return err;
	return bpf_tc_attach(&hook, &opts);
}

int main(int argc, char **argv)
{
	struct p4x_redirect *skel;
	struct tcfwd_cfg c;
	int err;

	p4x_log__init(P4X_LOG_WARN);
	if (tcfwd_config(argc, argv, &c))
		return 2;
	skel = p4x_redirect__open();
	if (!skel)
		return 1;
	skel->rodata->out_ifindex = if_nametoindex(c.out);
	memcpy((void *)skel->rodata->new_dmac, c.dmac, ETH_ALEN);
	memcpy((void *)skel->rodata->new_smac, c.smac, ETH_ALEN);
	err = p4x_redirect__load(skel);
	if (!err)
		err = tcfwd_attach(
			(int)if_nametoindex(c.in),
			bpf_program__fd(skel->progs.p4x_tc_redirect));
	if (err)
		p4x_warn("p4x-tcfwd: attaching to %s ingress: %s", c.in,
			 strerror(-err));
	p4x_redirect__destroy(skel);
	return err ? 1 : 0;
}
