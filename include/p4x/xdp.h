/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The XDP steering program on one interface: load, attach (libxdp),
 * configure, read counters, detach. The AF_XDP port uses it; tests drive
 * the program directly through BPF_PROG_TEST_RUN via p4x_xdp__prog_fd().
 */
#ifndef P4X_XDP_H
#define P4X_XDP_H

#include <stdbool.h>
#include <stdint.h>

#include "port.h"
#include "xdp_meta.h"

struct p4x_xdp;

enum p4x_xdp_mode_req {
	P4X_XDP_MODE_AUTO = 0, /* native where the driver has it, else generic */
	P4X_XDP_MODE_NATIVE,
	P4X_XDP_MODE_GENERIC,
};

struct p4x_xdp_opts {
	size_t sz;                 /* sizeof(struct p4x_xdp_opts) */
	enum p4x_xdp_mode_req mode;
	uint32_t host_flags;       /* P4X_HOST_*; 0: default (ARP | ND) */
	bool replace_stale;        /* replace a p4xsk program left attached by
				    * a crashed run (default false: refuse) */
};

/*
 * Load the steering program and attach it to @ifname. Refuses (NULL,
 * errno) with a logged reason when the interface is missing (ENODEV), or
 * carries a program that is not ours (EEXIST), or a stale one of ours and
 * replace_stale is false (EBUSY). The caller owns the result.
 */
struct p4x_xdp *p4x_xdp__attach(const char *ifname,
				const struct p4x_xdp_opts *opts);

/* Detach and free. NULL ok. */
void p4x_xdp__detach(struct p4x_xdp *xdp);

/* Load the program without attaching, for BPF_PROG_TEST_RUN. Free with
 * p4x_xdp__detach(). */
struct p4x_xdp *p4x_xdp__load(const struct p4x_xdp_opts *opts);

int p4x_xdp__prog_fd(const struct p4x_xdp *xdp);
/* XSKMAP indexed by rx queue; the AF_XDP port inserts its sockets. */
int p4x_xdp__xsks_map_fd(const struct p4x_xdp *xdp);
enum p4x_port_mode p4x_xdp__mode(const struct p4x_xdp *xdp);
/* Whether libxdp runs its multi-program dispatcher (false: single-program
 * mode, as on kernels without bpffs or freplace). */
bool p4x_xdp__multi_prog(const struct p4x_xdp *xdp);

/* Change the host-traffic policy at runtime. 0 or -errno. */
int p4x_xdp__set_host_flags(struct p4x_xdp *xdp, uint32_t host_flags);

/* Sum the per-CPU counters into @stats. 0 or -errno. */
int p4x_xdp__stats(const struct p4x_xdp *xdp, struct p4x_xdp_stats *stats);

#endif /* P4X_XDP_H */
