// SPDX-License-Identifier: BSD-3-Clause
/* Reader for nlmon pcap captures (LINKTYPE_NETLINK). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <pcap/pcap.h>

#include "nlpcap.h"

#define NLMON_HDR_LEN 16
#define NLMON_ARPHRD 824 /* ARPHRD_NETLINK */

struct p4x_nlpcap {
	pcap_t *pcap;
	unsigned int index;
};

struct p4x_nlpcap *p4x_nlpcap__open(const char *path, char *err, size_t errsz)
{
	char perr[PCAP_ERRBUF_SIZE];
	struct p4x_nlpcap *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->pcap = pcap_open_offline(path, perr);
	if (!p->pcap) {
		snprintf(err, errsz, "%s: %s", path, perr);
		errno = EINVAL;
		goto err_free;
	}
	if (pcap_datalink(p->pcap) != DLT_NETLINK) {
		snprintf(err, errsz, "%s: link type %d, not LINKTYPE_NETLINK",
			 path, pcap_datalink(p->pcap));
		errno = EPROTO;
		goto err_close;
	}
	return p;
err_close:
	pcap_close(p->pcap);
err_free:
	free(p);
	return NULL;
}

static uint16_t be16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

int p4x_nlpcap__next(struct p4x_nlpcap *p, struct p4x_nlpcap_rec *rec,
		     char *err, size_t errsz)
{
	struct pcap_pkthdr *h;
	const uint8_t *b;
	int ret = pcap_next_ex(p->pcap, &h, &b);

	if (ret == PCAP_ERROR_BREAK)
		return 0;
	if (ret != 1) {
		snprintf(err, errsz, "record %u: %s", p->index + 1,
			 pcap_geterr(p->pcap));
		return -EIO;
	}
	p->index++;
	if (h->caplen != h->len || h->caplen < NLMON_HDR_LEN ||
	    be16(b + 2) != NLMON_ARPHRD) {
		snprintf(err, errsz,
			 "record %u: %u of %u bytes, ARPHRD %u: not a whole "
			 "nlmon record",
			 p->index, h->caplen, h->len,
			 h->caplen >= 4 ? be16(b + 2) : 0);
		return -EINVAL;
	}
	rec->index = p->index;
	rec->family = be16(b + 14);
	rec->data = b + NLMON_HDR_LEN;
	rec->len = h->caplen - NLMON_HDR_LEN;
	return 1;
}

void p4x_nlpcap__close(struct p4x_nlpcap *p)
{
	if (!p)
		return;
	pcap_close(p->pcap);
	free(p);
}
