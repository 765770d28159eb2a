// SPDX-License-Identifier: BSD-3-Clause
/*
 * STF ports on veth pairs, as p4c's CI lays them out (6.5): STF port N is
 * interface portN in namespace <prefix>dut, served by the engine through
 * AF_XDP, and its peer p4portN in namespace <prefix>peer, where frames are
 * injected and captured with AF_PACKET. Both namespaces run IPv4 only and
 * have no addresses, so their stacks send nothing of their own. The
 * steering program passes nothing to the host: every frame meets the P4
 * program. Namespaces are made and removed with ip(8).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "p4x/port_afxdp.h"

#include "stf_priv.h"

/* Silence on a peer that ends a capture. */
#define CAPTURE_WAIT_MS 300

extern char **environ;

/* Run argv (ip, sysctl) quietly; 0 if it exited 0. */
static int run_cmd(char *const argv[])
{
	posix_spawn_file_actions_t fa;
	int status, ret;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	ret = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (ret)
		return -ret;
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EIO;
}

static int ns_add(const char *ns)
{
	char *add[] = {"ip", "netns", "add", (char *)ns, NULL};
	char *lo[] = {"ip", "-n", (char *)ns, "link", "set", "lo", "up", NULL};
	char *v6[] = {"ip",
		      "netns",
		      "exec",
		      (char *)ns,
		      "sysctl",
		      "-qw",
		      "net.ipv6.conf.default.disable_ipv6=1",
		      NULL};

	if (run_cmd(add))
		return -EIO;
	return run_cmd(lo) || run_cmd(v6) ? -EIO : 0;
}

static void ns_del(const char *ns)
{
	char *del[] = {"ip", "netns", "del", (char *)ns, NULL};

	if (ns[0])
		run_cmd(del);
}

/* Run the calling thread in namespace @ns; the old one in *@saved. */
static int ns_enter(const char *ns, int *saved)
{
	char path[128];
	int fd, ret = 0;

	*saved = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*saved < 0 || fd < 0 || setns(fd, CLONE_NEWNET))
		ret = -errno;
	if (fd >= 0)
		close(fd);
	return ret;
}

static void ns_leave(int saved)
{
	if (saved < 0)
		return;
	(void)!setns(saved, CLONE_NEWNET);
	close(saved);
}

static int link_pair(struct stf_io *io, unsigned int i)
{
	char dut[24], peer[24];
	char *add[] = {"ip",	   "link",	"add",	dut,	"netns",
		       io->ns_dut, "type",	"veth", "peer", peer,
		       "netns",	   io->ns_peer, NULL};
	char *up1[] = {"ip", "-n", io->ns_dut, "link", "set", dut, "up", NULL};
	char *up2[] = {"ip",  "-n", io->ns_peer, "link",
		       "set", peer, "up",	 NULL};

	snprintf(dut, sizeof(dut), "port%u", i % 100);
	snprintf(peer, sizeof(peer), "p4port%u", i);
	if (run_cmd(add) || run_cmd(up1) || run_cmd(up2))
		return -EIO;
	snprintf(io->names[i], sizeof(io->names[i]), "port%u", i % 100);
	return 0;
}

/* In the dut namespace: the engine and its AF_XDP ports. */
static int open_engine(struct stf_io *io, unsigned int nports, char *err,
		       size_t errsz)
{
	struct p4x_port_afxdp_opts po = {.sz = sizeof(po),
					 .host_flags = P4X_HOST_NONE};
	struct p4x_engine_opts eo = {.sz = sizeof(eo)};
	struct p4x_port *port;
	unsigned int i;
	int ret;

	io->engine = p4x_engine__new(&eo);
	if (!io->engine) {
		snprintf(err, errsz, "engine: %s", strerror(errno));
		return -errno;
	}
	for (i = 0; i < nports; i++) {
		io->ifindex[i] = if_nametoindex(io->names[i]);
		port = p4x_port_afxdp__new(io->names[i], 1,
					   p4x_engine__pool(io->engine), &po);
		ret = port ? p4x_engine__add_port(io->engine, port) : -errno;
		if (ret < 0) {
			snprintf(err, errsz, "AF_XDP port %s: %s", io->names[i],
				 strerror(-ret));
			return ret == -EOPNOTSUPP ? ret : -EIO;
		}
		io->nports++;
	}
	return 0;
}

/* In the peer namespace: one AF_PACKET socket per peer. */
static int open_peers(struct stf_io *io, unsigned int nports, char *err,
		      size_t errsz)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET,
				  .sll_protocol = htons(ETH_P_ALL)};
	char peer[24];
	unsigned int i;

	for (i = 0; i < nports; i++) {
		snprintf(peer, sizeof(peer), "p4port%u", i);
		sll.sll_ifindex = (int)if_nametoindex(peer);
		io->sock[i] = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC,
				     htons(ETH_P_ALL));
		if (io->sock[i] < 0 || !sll.sll_ifindex ||
		    bind(io->sock[i], (struct sockaddr *)&sll, sizeof(sll))) {
			snprintf(err, errsz, "AF_PACKET on %s: %s", peer,
				 strerror(errno));
			return -errno;
		}
	}
	return 0;
}

static int in_ns(struct stf_io *io, const char *ns,
		 int (*fn)(struct stf_io *, unsigned int, char *, size_t),
		 unsigned int nports, char *err, size_t errsz)
{
	int saved, ret = ns_enter(ns, &saved);

	if (ret)
		snprintf(err, errsz, "cannot enter namespace %s: %s", ns,
			 strerror(-ret));
	else
		ret = fn(io, nports, err, errsz);
	ns_leave(saved);
	return ret;
}

int stf_io_veth_open(struct stf_io *io, unsigned int nports, const char *prefix,
		     char *err, size_t errsz)
{
	unsigned int i;
	int ret;

	io->veth = true;
	for (i = 0; i < P4X_STF_MAX_PORTS; i++)
		io->sock[i] = -1;
	snprintf(io->ns_dut, sizeof(io->ns_dut), "%sdut", prefix);
	snprintf(io->ns_peer, sizeof(io->ns_peer), "%speer", prefix);
	ns_del(io->ns_dut);
	ns_del(io->ns_peer);
	if (ns_add(io->ns_dut) || ns_add(io->ns_peer)) {
		snprintf(err, errsz,
			 "cannot create namespaces %s and %s "
			 "(needs root and ip(8))",
			 io->ns_dut, io->ns_peer);
		return -EPERM;
	}
	for (i = 0; i < nports; i++)
		if (link_pair(io, i)) {
			snprintf(err, errsz, "cannot create veth port%u", i);
			return -EIO;
		}
	ret = in_ns(io, io->ns_dut, open_engine, nports, err, errsz);
	if (!ret)
		ret = in_ns(io, io->ns_peer, open_peers, nports, err, errsz);
	return ret;
}

int stf_io_veth_inject(struct stf_io *io, unsigned int port,
		       const uint8_t *bytes, size_t len, char *err,
		       size_t errsz)
{
	if (send(io->sock[port], bytes, len, 0) != (ssize_t)len) {
		snprintf(err, errsz, "send on p4port%u (%zu bytes): %s", port,
			 len, strerror(errno));
		return -errno;
	}
	return stf_io_settle(io, ++io->injected, err, errsz);
}

int stf_io_veth_capture(struct stf_io *io, unsigned int port, uint8_t *buf,
			size_t cap)
{
	struct pollfd pfd = {.fd = io->sock[port], .events = POLLIN};
	struct sockaddr_ll from;
	socklen_t fl;
	ssize_t n;

	for (;;) {
		if (poll(&pfd, 1, CAPTURE_WAIT_MS) <= 0)
			return -EAGAIN;
		fl = sizeof(from);
		n = recvfrom(io->sock[port], buf, cap, MSG_TRUNC,
			     (struct sockaddr *)&from, &fl);
		if (n < 0)
			return -errno;
		/* what the peer itself sent: the injected frames */
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		return (size_t)n > cap ? -ENOSPC : (int)n;
	}
}

/* Ports close in their namespace: XDP is detached by ifindex there. */
void stf_io_veth_free_engine(struct stf_io *io)
{
	int saved;

	if (!io->engine)
		return;
	if (ns_enter(io->ns_dut, &saved) == 0)
		p4x_engine__free(io->engine);
	ns_leave(saved);
	io->engine = NULL;
}

void stf_io_veth_close(struct stf_io *io)
{
	unsigned int i;

	for (i = 0; i < P4X_STF_MAX_PORTS; i++)
		if (io->sock[i] >= 0)
			close(io->sock[i]);
	ns_del(io->ns_dut);
	ns_del(io->ns_peer);
}
