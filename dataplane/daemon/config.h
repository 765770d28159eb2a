/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * p4xskd configuration: a JSON file (-c FILE, parsed with json-c) and
 * command-line flags, declared as data in p4xd_options. The file is read
 * first; flags then override its scalars and add to its lists. The format
 * is documented in docs/control.md.
 */
#ifndef P4X_DAEMON_CONFIG_H
#define P4X_DAEMON_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/un.h>

#include "p4x/log.h"
#include "p4x/port.h"
#include "p4x/xdp.h"

#include "opts.h"

#define P4XD_MAX_CORES 256

struct p4xd_port_cfg {
	char name[P4X_IFNAMSIZ];
	uint16_t queues; /* rx queues to serve, >= 1 */
};

struct p4xd_ports {
	struct p4xd_port_cfg v[P4X_MAX_PORTS];
	unsigned int n;
};

/* A forwarding rule of the built-in program, by port name. */
struct p4xd_fwd_cfg {
	char in[P4X_IFNAMSIZ];
	char out[P4X_IFNAMSIZ];
	uint8_t flags; /* P4X_FWD_SET_DST, P4X_FWD_SET_SRC */
	uint8_t dmac[6];
	uint8_t smac[6];
};

struct p4xd_fwds {
	struct p4xd_fwd_cfg v[P4X_MAX_PORTS];
	unsigned int n;
};

struct p4xd_cores {
	int v[P4XD_MAX_CORES];
	unsigned int n;
};

/* An egress scheduler, "POLICY[,k=v...]" for a port (sched_ctl.c). */
#define P4XD_SCHED_SPEC_MAX 512

struct p4xd_sched_cfg {
	char port[P4X_IFNAMSIZ];
	char spec[P4XD_SCHED_SPEC_MAX];
};

struct p4xd_scheds {
	struct p4xd_sched_cfg v[P4X_MAX_PORTS];
	unsigned int n;
};

/* "PORT:POLICY[,k=v...]" into struct p4xd_scheds (p4x_opt_parse_fn). */
int p4xd_parse_sched(const char *arg, void *target, char *err, size_t errlen);

/* Kernel bridge sources (bridge_ctl.c). */
struct p4xd_bridge_cfg {
	char rtnl[4096];   /* binding file; "" no rtnl source */
	bool p4tc;	   /* --bridge p4tc */
	bool p4tc_require; /* --bridge p4tc:require: fail without P4TC */
	size_t rcvbuf;	   /* --bridge rtnl-rcvbuf:BYTES; 0: the source's */
};

/* "rtnl:FILE", "rtnl-rcvbuf:BYTES", "p4tc", "p4tc:require"
 * (p4x_opt_parse_fn). */
int p4xd_parse_bridge(const char *arg, void *target, char *err, size_t errlen);

struct p4xd_config {
	char sock[sizeof(
		((struct sockaddr_un *)0)->sun_path)]; /* "": default */
	struct p4xd_ports ports;
	struct p4xd_cores cores;
	enum p4x_xdp_mode_req xdp_mode;
	uint32_t host_flags; /* P4X_HOST_*; 0: default */
	struct p4xd_fwds fwd;
	struct p4xd_scheds sched;
	struct p4xd_bridge_cfg bridge;
	bool replace_stale;
	bool no_tx; /* engine no_tx mode: receive + pipeline + drop */
	enum p4x_log_level log_level;
	/* Flags only. */
	const char *program; /* --program DIR: a P4TC program directory */
	const char *config_file;
	bool help;
	bool version;
};

/* The daemon's options, terminated by P4X_OPT_END. */
extern const struct p4x_opt p4xd_options[];

/* Defaults: no ports, auto XDP mode, log level info. */
void p4xd_config_init(struct p4xd_config *cfg);

/*
 * Apply the JSON document @text (from @origin, for messages) to @cfg.
 * 0, or -EINVAL with "ORIGIN: PATH: why" in @err.
 */
int p4xd_config_parse_json(struct p4xd_config *cfg, const char *text,
			   const char *origin, char *err, size_t errlen);

/*
 * The whole start-up sequence: defaults, then the file named by -c (if
 * any), then the flags, then p4xd_config_check(). 0, or -errno with the
 * reason in @err.
 */
int p4xd_config_load(struct p4xd_config *cfg, int argc, char **argv, char *err,
		     size_t errlen);

/*
 * Cross-checks: port names unique, every rule's ports configured, at most
 * one rule per in port. 0 or -EINVAL with @err.
 */
int p4xd_config_check(const struct p4xd_config *cfg, char *err, size_t errlen);

/* Port index of @name in @cfg, or -1. */
int p4xd_config_port(const struct p4xd_config *cfg, const char *name);

#endif /* P4X_DAEMON_CONFIG_H */
