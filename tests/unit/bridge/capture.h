/* SPDX-License-Identifier: BSD-3-Clause */
/* A recorded netlink capture in memory: every message of every record,
 * each in its own aligned copy, for the bridge tests. */
#ifndef P4X_TEST_BRIDGE_CAPTURE_H
#define P4X_TEST_BRIDGE_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

struct cap_msg {
	unsigned int rec; /* 1-based pcap record */
	uint16_t family;
	struct nlmsghdr *nlh; /* owned by the capture */
};

struct capture {
	struct cap_msg *msgs;
	size_t n;
	/* interfaces named by RTM_NEWLINK messages in the capture */
	char ifname[64][16];
};

/* Load @path; 0 or -errno with the reason in @err. */
int capture_load(struct capture *c, const char *path, char *err, size_t errsz);
void capture_free(struct capture *c);

#endif /* P4X_TEST_BRIDGE_CAPTURE_H */
