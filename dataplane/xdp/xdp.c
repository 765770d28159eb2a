// SPDX-License-Identifier: BSD-3-Clause
/*
 * The steering program's loader: the BPF object is embedded (libbpf
 * skeleton), attached through libxdp.
 *
 * Theory of operation. p4x_xdp__attach() first inspects what the interface
 * carries (bpf_xdp_query, one id per mode): nothing, a program of ours
 * (named P4X_STEER_NAME, left by a crashed run: refused, or detached when
 * replace_stale is set), libxdp's dispatcher (inspected for a component of
 * ours the same way; other components may stay, that is what the
 * dispatcher is for), or a foreign program (refused, EEXIST). Then libxdp
 * attaches: it tries its multi-program dispatcher and, when the kernel
 * cannot run it (no freplace, no bpffs), falls back to attaching the
 * program alone; which one happened is read back from the interface.
 * AUTO mode tries native first and generic second.
 */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <xdp/libxdp.h>

#include "p4x/log.h"
#include "p4x/xdp.h"
#include "p4x_steer.skel.h"

#define P4X_STEER_NAME "p4x_steer"
#define P4X_DISPATCHER_NAME "xdp_dispatcher"
#define P4X_HOST_DEFAULT (P4X_HOST_ARP | P4X_HOST_ND)

struct p4x_xdp {
	struct p4x_steer *skel;
	struct xdp_program *prog; /* NULL when loaded only */
	int ifindex;
	char ifname[P4X_IFNAMSIZ];
	enum xdp_attach_mode attach_mode;
	bool multi_prog;
};

/* What one attached program id is. */
enum p4x_xdp_found {
	P4X_XDP_FOUND_NONE,
	P4X_XDP_FOUND_OURS,
	P4X_XDP_FOUND_DISPATCHER,
	P4X_XDP_FOUND_FOREIGN,
};

/* Copy @opts (NULL: defaults) into @o, checking it. 0 or -EINVAL. */
static int p4x_xdp_opts_get(const struct p4x_xdp_opts *opts,
			    struct p4x_xdp_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->sz = sizeof(*o);
	if (!opts)
		return 0;
	if (opts->sz < sizeof(opts->sz) || opts->sz > sizeof(*o)) {
		p4x_warn("xdp: bad options size %zu (expected %zu)", opts->sz,
			 sizeof(*o));
		return -EINVAL;
	}
	memcpy(o, opts, opts->sz);
	if (o->mode > P4X_XDP_MODE_GENERIC) {
		p4x_warn("xdp: unknown attach mode %d", o->mode);
		return -EINVAL;
	}
	return 0;
}

static const char *p4x_xdp_mode_name(enum xdp_attach_mode mode)
{
	switch (mode) {
	case XDP_MODE_NATIVE:
		return "native";
	case XDP_MODE_SKB:
		return "generic";
	case XDP_MODE_HW:
		return "offload";
	default:
		return "unspecified";
	}
}

/* Name of program @id into @name (BPF_OBJ_NAME_LEN). 0 or -errno. */
static int p4x_xdp_prog_name(__u32 id, char *name, size_t len)
{
	struct bpf_prog_info info;
	__u32 info_len = sizeof(info);
	int fd, err;

	fd = bpf_prog_get_fd_by_id(id);
	if (fd < 0)
		return -errno;
	memset(&info, 0, sizeof(info));
	err = bpf_obj_get_info_by_fd(fd, &info, &info_len);
	err = err ? -errno : 0;
	close(fd);
	if (!err)
		snprintf(name, len, "%s", info.name);
	return err;
}

/* Whether libxdp's dispatcher on @ifindex runs a component of ours. */
static bool p4x_xdp_dispatcher_has_ours(int ifindex)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
	struct xdp_program *p = NULL;
	bool ours = false;

	if (libxdp_get_error(mp))
		return false;
	while ((p = xdp_multiprog__next_prog(p, mp)))
		if (!strcmp(xdp_program__name(p), P4X_STEER_NAME))
			ours = true;
	xdp_multiprog__close(mp);
	return ours;
}

static enum p4x_xdp_found p4x_xdp_classify(int ifindex, __u32 id, char *name,
					   size_t len)
{
	int err;

	if (!id)
		return P4X_XDP_FOUND_NONE;
	err = p4x_xdp_prog_name(id, name, len);
	if (err) {
		snprintf(name, len, "?");
		return P4X_XDP_FOUND_FOREIGN;
	}
	if (!strcmp(name, P4X_STEER_NAME))
		return P4X_XDP_FOUND_OURS;
	if (!strcmp(name, P4X_DISPATCHER_NAME))
		return p4x_xdp_dispatcher_has_ours(ifindex)
			       ? P4X_XDP_FOUND_OURS
			       : P4X_XDP_FOUND_DISPATCHER;
	return P4X_XDP_FOUND_FOREIGN;
}

/* Detach the stale program @id attached with @flags (a mode flag). */
static int p4x_xdp_detach_stale(const char *ifname, int ifindex, __u32 id,
				__u32 flags)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, aopts);
	int fd, err;

	fd = bpf_prog_get_fd_by_id(id);
	if (fd < 0)
		return -errno;
	aopts.old_prog_fd = fd;
	err = bpf_xdp_detach(ifindex, flags | XDP_FLAGS_REPLACE, &aopts);
	close(fd);
	if (err) {
		p4x_warn("xdp %s: cannot detach stale program id %u: %s",
			 ifname, id, strerror(-err));
		return err;
	}
	p4x_info("xdp %s: detached stale %s program id %u", ifname,
		 P4X_STEER_NAME, id);
	return 0;
}

/* Check one attach slot (@flags: the mode flag of @id). 0 or -errno. */
static int p4x_xdp_check_slot(const char *ifname, int ifindex, __u32 id,
			      __u32 flags, bool replace_stale)
{
	char name[BPF_OBJ_NAME_LEN];

	switch (p4x_xdp_classify(ifindex, id, name, sizeof(name))) {
	case P4X_XDP_FOUND_NONE:
	case P4X_XDP_FOUND_DISPATCHER:
		return 0;
	case P4X_XDP_FOUND_FOREIGN:
		p4x_warn("xdp %s: interface already carries XDP program id %u "
			 "'%s', not ours; detach it first (ip link set dev %s "
			 "xdp off)",
			 ifname, id, name, ifname);
		return -EEXIST;
	case P4X_XDP_FOUND_OURS:
		break;
	}
	if (!replace_stale) {
		p4x_warn("xdp %s: a %s program (id %u) is already attached, "
			 "left by another or a crashed run; refusing (allow "
			 "replacing it to take over)",
			 ifname, P4X_STEER_NAME, id);
		return -EBUSY;
	}
	if (!strcmp(name, P4X_DISPATCHER_NAME)) {
		p4x_warn("xdp %s: a stale %s runs inside libxdp's dispatcher "
			 "(id %u); detach it with xdp-loader",
			 ifname, P4X_STEER_NAME, id);
		return -EBUSY;
	}
	return p4x_xdp_detach_stale(ifname, ifindex, id, flags);
}

/* Refuse foreign programs, handle stale ones of ours. 0 or -errno. */
static int p4x_xdp_check_iface(const char *ifname, int ifindex,
			       bool replace_stale)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	int err;

	err = bpf_xdp_query(ifindex, 0, &q);
	if (err) {
		p4x_warn("xdp %s: cannot query XDP state: %s", ifname,
			 strerror(-err));
		return err;
	}
	err = p4x_xdp_check_slot(ifname, ifindex, q.drv_prog_id,
				 XDP_FLAGS_DRV_MODE, replace_stale);
	if (!err)
		err = p4x_xdp_check_slot(ifname, ifindex, q.skb_prog_id,
					 XDP_FLAGS_SKB_MODE, replace_stale);
	if (!err)
		err = p4x_xdp_check_slot(ifname, ifindex, q.hw_prog_id,
					 XDP_FLAGS_HW_MODE, replace_stale);
	return err;
}

int p4x_xdp__set_host_flags(struct p4x_xdp *xdp, uint32_t host_flags)
{
	struct p4x_xdp_config cfg = {.host_flags = host_flags};
	__u32 key = 0;

	if (host_flags & ~(uint32_t)(P4X_HOST_ARP | P4X_HOST_ND |
				     P4X_HOST_ALL_NON_IP | P4X_HOST_NONE)) {
		p4x_warn("xdp: unknown host-traffic flags 0x%x", host_flags);
		return -EINVAL;
	}
	if ((host_flags & P4X_HOST_NONE) && host_flags != P4X_HOST_NONE) {
		p4x_warn("xdp: host-traffic flags 0x%x: 'none' excludes the "
			 "others",
			 host_flags);
		return -EINVAL;
	}
	if (bpf_map_update_elem(bpf_map__fd(xdp->skel->maps.config), &key, &cfg,
				BPF_ANY))
		return -errno;
	return 0;
}

static int p4x_xdp_configure(struct p4x_xdp *xdp,
			     const struct p4x_xdp_opts *opts)
{
	return p4x_xdp__set_host_flags(
		xdp, opts->host_flags ? opts->host_flags : P4X_HOST_DEFAULT);
}

static struct p4x_xdp *p4x_xdp_new(void)
{
	struct p4x_xdp *xdp;

	xdp = calloc(1, sizeof(*xdp));
	if (!xdp)
		return NULL;
	xdp->skel = p4x_steer__open();
	if (!xdp->skel) {
		p4x_warn("xdp: cannot open the embedded steering program: %s",
			 strerror(errno));
		free(xdp);
		return NULL;
	}
	return xdp;
}

struct p4x_xdp *p4x_xdp__load(const struct p4x_xdp_opts *opts)
{
	struct p4x_xdp_opts o;
	struct p4x_xdp *xdp;
	int err;

	err = p4x_xdp_opts_get(opts, &o);
	if (err) {
		errno = -err;
		return NULL;
	}
	xdp = p4x_xdp_new();
	if (!xdp)
		return NULL;
	err = p4x_steer__load(xdp->skel);
	if (err) {
		p4x_warn("xdp: cannot load the steering program: %s",
			 strerror(-err));
		goto err_free;
	}
	err = p4x_xdp_configure(xdp, &o);
	if (err)
		goto err_free;
	return xdp;
err_free:
	p4x_xdp__detach(xdp);
	errno = -err;
	return NULL;
}

/* Attach in one libxdp mode, then read back whether a dispatcher runs. */
static int p4x_xdp_attach_mode(struct p4x_xdp *xdp, enum xdp_attach_mode mode)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	int err;

	err = xdp_program__attach(xdp->prog, xdp->ifindex, mode, 0);
	if (err)
		return err;
	xdp->attach_mode = mode;
	err = bpf_xdp_query(xdp->ifindex, 0, &q);
	if (err)
		return err;
	xdp->multi_prog = q.prog_id != xdp_program__id(xdp->prog) &&
			  q.drv_prog_id != xdp_program__id(xdp->prog) &&
			  q.skb_prog_id != xdp_program__id(xdp->prog);
	return 0;
}

static int p4x_xdp_attach_auto(struct p4x_xdp *xdp, enum p4x_xdp_mode_req req)
{
	int err;

	if (req == P4X_XDP_MODE_GENERIC)
		return p4x_xdp_attach_mode(xdp, XDP_MODE_SKB);
	err = p4x_xdp_attach_mode(xdp, XDP_MODE_NATIVE);
	if (!err || req == P4X_XDP_MODE_NATIVE || err == -EEXIST ||
	    err == -EBUSY)
		return err;
	p4x_info("xdp %s: native attach failed (%s), trying generic mode",
		 xdp->ifname, strerror(-err));
	return p4x_xdp_attach_mode(xdp, XDP_MODE_SKB);
}

static int p4x_xdp_attach_prog(struct p4x_xdp *xdp,
			       const struct p4x_xdp_opts *opts)
{
	int err;

	xdp->prog = xdp_program__from_bpf_obj(xdp->skel->obj, NULL);
	err = libxdp_get_error(xdp->prog);
	if (err) {
		xdp->prog = NULL;
		return err;
	}
	err = p4x_xdp_attach_auto(xdp, opts->mode);
	if (err) {
		p4x_warn("xdp %s: attach failed: %s", xdp->ifname,
			 strerror(-err));
		xdp_program__close(xdp->prog);
		xdp->prog = NULL;
		return err;
	}
	p4x_info("xdp %s: %s attached in %s mode, %s", xdp->ifname,
		 P4X_STEER_NAME, p4x_xdp_mode_name(xdp->attach_mode),
		 xdp->multi_prog ? "behind libxdp's multi-program dispatcher"
				 : "alone (no multi-program dispatcher: the "
				   "kernel lacks bpffs or freplace)");
	return 0;
}

struct p4x_xdp *p4x_xdp__attach(const char *ifname,
				const struct p4x_xdp_opts *opts)
{
	struct p4x_xdp_opts o;
	struct p4x_xdp *xdp;
	int ifindex, err;

	err = p4x_xdp_opts_get(opts, &o);
	if (err) {
		errno = -err;
		return NULL;
	}
	ifindex = ifname ? (int)if_nametoindex(ifname) : 0;
	if (!ifindex) {
		p4x_warn("xdp: no interface named '%s'", ifname ? ifname : "");
		errno = ENODEV;
		return NULL;
	}
	xdp = p4x_xdp_new();
	if (!xdp)
		return NULL;
	xdp->ifindex = ifindex;
	snprintf(xdp->ifname, sizeof(xdp->ifname), "%s", ifname);
	err = p4x_xdp_check_iface(ifname, ifindex, o.replace_stale);
	if (err)
		goto err_free;
	err = p4x_xdp_attach_prog(xdp, &o);
	if (err)
		goto err_free;
	err = p4x_xdp_configure(xdp, &o);
	if (err)
		goto err_free;
	return xdp;
err_free:
	p4x_xdp__detach(xdp);
	errno = -err;
	return NULL;
}

void p4x_xdp__detach(struct p4x_xdp *xdp)
{
	int err;

	if (!xdp)
		return;
	if (xdp->prog) {
		err = xdp_program__detach(xdp->prog, xdp->ifindex,
					  xdp->attach_mode, 0);
		if (err)
			p4x_warn("xdp %s: detach failed: %s", xdp->ifname,
				 strerror(-err));
		xdp_program__close(xdp->prog);
	}
	p4x_steer__destroy(xdp->skel);
	free(xdp);
}

int p4x_xdp__prog_fd(const struct p4x_xdp *xdp)
{
	return bpf_program__fd(xdp->skel->progs.p4x_steer);
}

int p4x_xdp__xsks_map_fd(const struct p4x_xdp *xdp)
{
	return bpf_map__fd(xdp->skel->maps.xsks);
}

enum p4x_port_mode p4x_xdp__mode(const struct p4x_xdp *xdp)
{
	if (!xdp->prog)
		return P4X_PORT_MODE_NONE;
	return xdp->attach_mode == XDP_MODE_SKB ? P4X_PORT_MODE_XDP_GENERIC
						: P4X_PORT_MODE_XDP_NATIVE;
}

bool p4x_xdp__multi_prog(const struct p4x_xdp *xdp)
{
	return xdp->multi_prog;
}

int p4x_xdp__stats(const struct p4x_xdp *xdp, struct p4x_xdp_stats *stats)
{
	int ncpu = libbpf_num_possible_cpus();
	struct p4x_xdp_stats *percpu;
	__u32 key = 0;
	int cpu, err = 0;
	size_t i;

	if (ncpu < 0)
		return ncpu;
	percpu = calloc(ncpu, sizeof(*percpu));
	if (!percpu)
		return -ENOMEM;
	if (bpf_map_lookup_elem(bpf_map__fd(xdp->skel->maps.stats), &key,
				percpu)) {
		err = -errno;
		goto out;
	}
	memset(stats, 0, sizeof(*stats));
	for (cpu = 0; cpu < ncpu; cpu++) {
		for (i = 0; i < P4X_XDP_CNT__COUNT; i++)
			stats->cnt[i] += percpu[cpu].cnt[i];
		for (i = 0; i < P4X_DROP__COUNT; i++)
			stats->drop[i] += percpu[cpu].drop[i];
	}
out:
	free(percpu);
	return err;
}
