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
	P4X_XDP_MODE_AUTO =
		0, /* native where the driver has it, else generic */
	P4X_XDP_MODE_NATIVE,
	P4X_XDP_MODE_GENERIC,
};

struct p4x_xdp_opts {
	size_t sz; /* sizeof(struct p4x_xdp_opts) */
	enum p4x_xdp_mode_req mode;
	uint32_t host_flags; /* P4X_HOST_*; 0: default (ARP | ND) */
	bool replace_stale;  /* replace a p4xsk program left attached by
			      * a crashed run (default false: refuse) */
};

/*
 * Load the steering program (embedded in the library: no file needed) and
 * attach it to @ifname through libxdp; @opts NULL means all defaults.
 * Refuses (NULL, errno) with a logged reason when the interface is missing
 * (ENODEV), carries a program that is not ours (EEXIST; the message names
 * its id and name), or a program of ours (name "p4x_steer", e.g. left by a
 * crashed run) and replace_stale is false (EBUSY); with replace_stale that
 * program is detached first. AUTO tries native mode, then generic. When
 * libxdp cannot run its multi-program dispatcher (no bpffs or freplace),
 * the program is attached alone; p4x_xdp__multi_prog() says which, and an
 * info line is logged. The host-traffic policy is set before return; until
 * an AF_XDP socket is in the XSKMAP, every packet passes to the kernel.
 * The caller owns the result and frees it with p4x_xdp__detach().
 */
struct p4x_xdp *p4x_xdp__attach(const char *ifname,
				const struct p4x_xdp_opts *opts);

/* Detach (if attached) and free, unloading the program. NULL ok. */
void p4x_xdp__detach(struct p4x_xdp *xdp);

/*
 * Load the program without attaching it, for BPF_PROG_TEST_RUN; only
 * host_flags of @opts is used. Free with p4x_xdp__detach().
 */
struct p4x_xdp *p4x_xdp__load(const struct p4x_xdp_opts *opts);

/* Program fd, owned by @xdp (do not close); test runs use the one of
 * p4x_xdp__load() (behind a dispatcher, the attached copy is an freplace
 * extension). */
int p4x_xdp__prog_fd(const struct p4x_xdp *xdp);
/*
 * XSKMAP indexed by rx queue (256 entries), owned by @xdp; the AF_XDP port
 * inserts its sockets (bpf_map_update_elem(fd, &queue, &xsk_fd, 0)) and
 * deletes them before closing them.
 */
int p4x_xdp__xsks_map_fd(const struct p4x_xdp *xdp);
/* P4X_PORT_MODE_XDP_NATIVE or _GENERIC; _NONE when only loaded. */
enum p4x_port_mode p4x_xdp__mode(const struct p4x_xdp *xdp);
/* Whether libxdp runs its multi-program dispatcher (false: single-program
 * mode, as on kernels without bpffs or freplace). */
bool p4x_xdp__multi_prog(const struct p4x_xdp *xdp);

/* Change the host-traffic policy (P4X_HOST_* bits, 0: nothing to the
 * host) at runtime. 0 or -errno (-EINVAL on unknown bits). */
int p4x_xdp__set_host_flags(struct p4x_xdp *xdp, uint32_t host_flags);

/* Sum the per-CPU counters into @stats (caller-owned). 0 or -errno. */
int p4x_xdp__stats(const struct p4x_xdp *xdp, struct p4x_xdp_stats *stats);

#endif /* P4X_XDP_H */
