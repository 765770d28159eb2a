// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4x-udp: a bounded UDP stream through the kernel stack, for the demo and
 * the integration tests.
 *   p4x-udp send DST_IP PORT COUNT [PPS]   send COUNT datagrams (0 PPS: max)
 *   p4x-udp recv PORT SECONDS [EXPECT]     count datagrams until EXPECT
 *                                          arrived or SECONDS passed
 * Both print one line "sent N ..." / "received N ...". recv exits 0 when it
 * got EXPECT (or any, without EXPECT), 1 otherwise.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PAYLOAD 64

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse_ulong(const char *s, const char *what, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || *end || end == s) {
		fprintf(stderr, "p4x-udp: %s: '%s' is not a number\n", what, s);
		return -1;
	}
	return 0;
}

/* Sleep until datagram @sent is due; never spin, the CPUs are shared. */
static void pace(double start, unsigned long sent, unsigned long pps)
{
	double ahead;
	struct timespec ts;

	if (!pps)
		return;
	ahead = start + (double)sent / (double)pps - now_s();
	if (ahead < 200e-6)
		return;
	ts.tv_sec = (time_t)ahead;
	ts.tv_nsec = (long)((ahead - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

static int do_send(int argc, char **argv)
{
	unsigned long port, count, pps = 0, sent = 0;
	struct sockaddr_in dst = {.sin_family = AF_INET};
	char buf[PAYLOAD] = {0};
	double start, secs;
	int fd;

	if (argc < 3 || argc > 4 ||
	    inet_pton(AF_INET, argv[0], &dst.sin_addr) != 1 ||
	    parse_ulong(argv[1], "port", &port) ||
	    parse_ulong(argv[2], "count", &count) ||
	    (argc == 4 && parse_ulong(argv[3], "pps", &pps)) || !port ||
	    port > 65535) {
		fprintf(stderr,
			"usage: p4x-udp send DST_IP PORT COUNT [PPS]\n");
		return 2;
	}
	dst.sin_port = htons((uint16_t)port);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("p4x-udp: socket");
		return 1;
	}
	start = now_s();
	while (sent < count) {
		memcpy(buf, &sent, sizeof(sent));
		if (sendto(fd, buf, sizeof(buf), 0, (struct sockaddr *)&dst,
			   sizeof(dst)) < 0) {
			if (errno == ENOBUFS || errno == EAGAIN)
				continue;
			perror("p4x-udp: sendto");
			break;
		}
		sent++;
		pace(start, sent, pps);
	}
	secs = now_s() - start;
	printf("sent %lu datagrams in %.3f s (%.0f pps)\n", sent, secs,
	       secs > 0 ? (double)sent / secs : 0.0);
	close(fd);
	return sent == count ? 0 : 1;
}

static int do_recv(int argc, char **argv)
{
	struct sockaddr_in addr = {.sin_family = AF_INET};
	unsigned long port, secs, expect = 0, got = 0;
	double first = 0, last = 0, deadline;
	int rcvbuf = 16 << 20;
	char buf[2048];
	int fd;

	if (argc < 2 || argc > 3 || parse_ulong(argv[0], "port", &port) ||
	    parse_ulong(argv[1], "seconds", &secs) ||
	    (argc == 3 && parse_ulong(argv[2], "expect", &expect)) || !port ||
	    port > 65535) {
		fprintf(stderr, "usage: p4x-udp recv PORT SECONDS [EXPECT]\n");
		return 2;
	}
	addr.sin_port = htons((uint16_t)port);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	/* Room for a whole test burst: the receiver shares two cores with
	 * busy-polling workers and may be scheduled late. */
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
			   sizeof(rcvbuf));
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		perror("p4x-udp: bind");
		return 1;
	}
	deadline = now_s() + (double)secs;
	while ((!expect || got < expect) && now_s() < deadline) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};

		if (poll(&pfd, 1, 50) <= 0)
			continue;
		while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0) {
			last = now_s();
			if (!got++)
				first = last;
		}
	}
	printf("received %lu datagrams (%.0f pps while arriving)\n", got,
	       got > 1 && last > first ? (double)(got - 1) / (last - first)
				       : 0.0);
	close(fd);
	return (expect ? got >= expect : got > 0) ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "send"))
		return do_send(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "recv"))
		return do_recv(argc - 2, argv + 2);
	fprintf(stderr, "usage: p4x-udp send DST_IP PORT COUNT [PPS] | "
			"recv PORT SECONDS [EXPECT]\n");
	return 2;
}
