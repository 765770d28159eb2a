// SPDX-License-Identifier: BSD-3-Clause
/* TAP devices of the host path. See host.h. */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "p4x/log.h"

#include "host.h"

static int write_sysctl(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* MAC of @mac, up, rp_filter 0. */
static int tap_setup(const char *name, const uint8_t mac[6])
{
	struct ifreq ifr = {0};
	char path[128];
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret = 0;

	if (s < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
	memcpy(ifr.ifr_hwaddr.sa_data, mac, 6);
	if (ioctl(s, SIOCSIFHWADDR, &ifr) || ioctl(s, SIOCGIFFLAGS, &ifr))
		ret = -errno;
	ifr.ifr_flags |= IFF_UP;
	if (!ret && ioctl(s, SIOCSIFFLAGS, &ifr))
		ret = -errno;
	close(s);
	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/rp_filter",
		 name);
	return ret ? ret : write_sysctl(path, "0");
}

static int tap_open(struct p4xd *d, unsigned int i)
{
	struct p4x_port *port = p4x_engine__port(d->engine, i);
	struct p4x_port_info info;
	struct ifreq ifr = {0};
	int fd, ret;

	port->ops->get_info(port, &info);
	if (info.ifindex <= 0)
		return 0; /* a memory port: no kernel stack behind it */
	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "p4xh%u", i);
	if (ioctl(fd, TUNSETIFF, &ifr)) {
		ret = -errno;
		goto err_fd;
	}
	ret = tap_setup(ifr.ifr_name, info.mac);
	if (ret)
		goto err_fd;
	d->host_fd[i] = fd;
	return p4x_engine__set_host_fd(d->engine, i, fd);

err_fd:
	close(fd);
	return ret;
}

void p4xd_host_open(struct p4xd *d)
{
	unsigned int i;
	int ret;

	for (i = 0; i < p4x_engine__nb_ports(d->engine); i++) {
		if (d->host_fd[i] > 0)
			continue;
		ret = tap_open(d, i);
		if (ret)
			p4x_warn("port %u: no host path (TAP p4xh%u: %s); "
				 "packets for the host are dropped",
				 i, i, strerror(-ret));
	}
}

void p4xd_host_close(struct p4xd *d)
{
	unsigned int i;

	for (i = 0; i < P4X_MAX_PORTS; i++)
		if (d->host_fd[i] > 0)
			close(d->host_fd[i]);
	memset(d->host_fd, 0, sizeof(d->host_fd));
}
