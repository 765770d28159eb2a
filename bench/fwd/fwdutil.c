// SPDX-License-Identifier: BSD-3-Clause
/* Helpers shared by the forwarding-benchmark tools. */
#include <errno.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/ip.h>
#include <linux/udp.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "p4x/log.h"

#include "fwdutil.h"

#define MAX_OPTS 32

static void usage(const char *prog, const struct p4x_bench_opt *opts,
		  const char *summary)
{
	char left[64];
	int i;

	printf("usage: %s [options]\n%s\n\noptions:\n", prog, summary);
	for (i = 0; opts[i].name; i++) {
		snprintf(left, sizeof(left), "--%s%s%s", opts[i].name,
			 opts[i].arg ? " " : "",
			 opts[i].arg ? opts[i].arg : "");
		printf("  %-22s %s\n", left, opts[i].help);
	}
	printf("  %-22s %s\n", "--help", "show this text");
}

static int build_longopts(const struct p4x_bench_opt *opts, struct option *lo)
{
	int n;

	for (n = 0; opts[n].name; n++) {
		if (n == MAX_OPTS - 1)
			return -E2BIG;
		lo[n] = (struct option){
			opts[n].name,
			opts[n].arg ? required_argument : no_argument, NULL, n};
	}
	lo[n++] = (struct option){"help", no_argument, NULL, 'h' + 1000};
	lo[n] = (struct option){0};
	return 0;
}

int p4x_bench_parse(int argc, char **argv, const struct p4x_bench_opt *opts,
		    const char *summary,
		    int (*set)(int idx, const char *val, void *ctx), void *ctx)
{
	struct option lo[MAX_OPTS + 1];
	int c;

	if (build_longopts(opts, lo))
		return -EINVAL;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c == 'h' + 1000) {
			usage(argv[0], opts, summary);
			exit(0);
		}
		if (c == '?' || set(c, optarg, ctx))
			return -EINVAL;
	}
	if (optind < argc) {
		p4x_warn("%s: unexpected argument '%s'", argv[0], argv[optind]);
		return -EINVAL;
	}
	return 0;
}

int p4x_bench_parse_mac(const char *s, uint8_t mac[ETH_ALEN])
{
	unsigned int b[ETH_ALEN];
	char tail;
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5], &tail) != ETH_ALEN)
		goto err_bad;
	for (i = 0; i < ETH_ALEN; i++) {
		if (b[i] > 0xff)
			goto err_bad;
		mac[i] = (uint8_t)b[i];
	}
	return 0;
err_bad:
	p4x_warn("bad MAC address '%s' (want aa:bb:cc:dd:ee:ff)", s);
	return -EINVAL;
}

int p4x_bench_parse_u64(const char *what, const char *s, uint64_t lo,
			uint64_t hi, uint64_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < lo || v > hi) {
		p4x_warn("bad %s '%s' (want an integer in [%llu, %llu])", what,
			 s, (unsigned long long)lo, (unsigned long long)hi);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

int p4x_bench_parse_secs(const char *what, const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0) || v > 3600) {
		p4x_warn("bad %s '%s' (want seconds in (0, 3600])", what, s);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

void p4x_bench_build_udp4(uint8_t *frame, size_t len,
			  const struct p4x_bench_udp4 *u)
{
	struct ethhdr *eth = (struct ethhdr *)frame;
	struct iphdr *ip = (struct iphdr *)(eth + 1);
	struct udphdr *udp = (struct udphdr *)(ip + 1);
	size_t l3 = len - sizeof(*eth);

	memset(frame, 0, len);
	memcpy(eth->h_dest, u->dmac, ETH_ALEN);
	memcpy(eth->h_source, u->smac, ETH_ALEN);
	eth->h_proto = htons(ETH_P_IP);
	*ip = (struct iphdr){.version = 4,
			     .ihl = 5,
			     .ttl = 64,
			     .protocol = IPPROTO_UDP,
			     .tot_len = htons((uint16_t)l3),
			     .saddr = u->src,
			     .daddr = u->dst};
	udp->source = htons(u->sport);
	udp->dest = htons(u->dport);
	udp->len = htons((uint16_t)(l3 - sizeof(*ip)));
}

uint16_t p4x_bench_ip_csum(const void *ip)
{
	const uint8_t *b = ip;
	uint32_t sum = 0;
	int i;

	for (i = 0; i < (int)sizeof(struct iphdr); i += 2)
		sum += (uint32_t)(b[i] | b[i + 1] << 8);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

int p4x_bench_if_mac(const char *ifname, uint8_t mac[ETH_ALEN])
{
	struct ifreq ifr = {0};
	int fd, err = 0;

	if (strlen(ifname) >= sizeof(ifr.ifr_name))
		return -ENAMETOOLONG;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	strcpy(ifr.ifr_name, ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr))
		err = -errno;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	close(fd);
	return err;
}

int p4x_bench_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return -pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

uint64_t p4x_bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int p4x_bench_percpu_sum(int map_fd, uint32_t key, uint64_t *sum)
{
	int i, ncpu = libbpf_num_possible_cpus();
	uint64_t *vals;

	if (ncpu < 0)
		return ncpu;
	vals = calloc((size_t)ncpu, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	if (bpf_map_lookup_elem(map_fd, &key, vals)) {
		free(vals);
		return -errno;
	}
	for (*sum = 0, i = 0; i < ncpu; i++)
		*sum += vals[i];
	free(vals);
	return 0;
}
