/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reader for netlink traffic recorded on an nlmon device (pcap,
 * LINKTYPE_NETLINK = 253): each record is a 16-byte cooked header
 * (pkttype, ARPHRD_NETLINK 824, address length, 8 address bytes, netlink
 * family; big-endian) followed by one or more netlink messages in host
 * order. Used by tests and benchmarks to replay captures.
 */
#ifndef P4X_BRIDGE_NLPCAP_H
#define P4X_BRIDGE_NLPCAP_H

#include <stddef.h>
#include <stdint.h>

struct p4x_nlpcap;

struct p4x_nlpcap_rec {
	unsigned int index; /* 1-based record number */
	uint16_t family;    /* netlink protocol (0 = NETLINK_ROUTE) */
	const void *data;   /* netlink messages; owned by the reader, valid
			     * until the next call */
	size_t len;
};

/*
 * Open @path. NULL with errno on error, with the reason (libpcap's, or
 * "not LINKTYPE_NETLINK") in @err.
 */
struct p4x_nlpcap *p4x_nlpcap__open(const char *path, char *err, size_t errsz);
/*
 * Next record into @rec: 1, 0 at the end, -EINVAL for a record that is
 * truncated or not a netlink cooked record (reason in @err).
 */
int p4x_nlpcap__next(struct p4x_nlpcap *p, struct p4x_nlpcap_rec *rec,
		     char *err, size_t errsz);
void p4x_nlpcap__close(struct p4x_nlpcap *p);

#endif /* P4X_BRIDGE_NLPCAP_H */
