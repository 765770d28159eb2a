/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals shared by bridge_bind.c and bridge_sink.c. */
#ifndef P4X_DAEMON_BRIDGE_PRIV_H
#define P4X_DAEMON_BRIDGE_PRIV_H

#include "bridge_bind.h"

struct p4xd_bind_fib {
	char table[P4X_P4TC_PATHSZ]; /* "cb/table" */
	char key[P4X_P4TC_PATHSZ];
	char action[P4X_P4TC_PATHSZ];
	char param[P4X_P4TC_NAMSZ];
};

struct p4xd_bind_nh {
	char table[P4X_P4TC_PATHSZ];
	char key[P4X_P4TC_PATHSZ];
	char action[P4X_P4TC_PATHSZ];
	char dmac[P4X_P4TC_NAMSZ];
	char port[P4X_P4TC_NAMSZ];
	char drop_action[P4X_P4TC_PATHSZ]; /* "" none */
	uint32_t host_index;
	uint32_t first_index;
	uint8_t host_dmac[6];
};

struct p4xd_bind {
	char path[4096];
	char pipeline[P4X_P4TC_NAMSZ];
	struct p4xd_bind_fib fib;
	struct p4xd_bind_nh nh;
	/* resolved against the model */
	bool resolved;
	uint32_t fib_act, fib_tentries;
	uint16_t fib_params_len, fib_index_off, fib_index_bytes;
	uint32_t nh_act, nh_drop_act, nh_tentries;
	uint16_t nh_params_len, nh_drop_params_len, nh_mac_off, nh_port_off;
};

#endif /* P4X_DAEMON_BRIDGE_PRIV_H */
