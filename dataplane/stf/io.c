// SPDX-License-Identifier: BSD-3-Clause
/*
 * STF ports on memory ports (deterministic, no kernel), and what both
 * backends share: waiting until the engine has accounted for every
 * packet it received.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "p4x/port_mem.h"

#include "stf_priv.h"

/* How long one packet may take through the engine. */
#define SETTLE_MS 3000

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Engine totals: received, and transmitted + dropped + to the host. */
static void engine_totals(const struct stf_io *io, uint64_t *rx, uint64_t *done)
{
	struct p4x_port_stats st;
	unsigned int i, r;

	*rx = *done = 0;
	for (i = 0; i < io->nports; i++) {
		if (p4x_engine__port_stats(io->engine, i, &st))
			continue;
		*rx += st.cnt[P4X_PORT_CNT_RX_PACKETS];
		*done += st.cnt[P4X_PORT_CNT_TX_PACKETS] +
			 st.cnt[P4X_PORT_CNT_HOST_PACKETS];
		for (r = 0; r < P4X_DROP__COUNT; r++)
			*done += st.drop[r];
	}
}

/* veth: frames the steering program saw, and those it redirected. */
static void xdp_totals(const struct stf_io *io, uint64_t *seen,
		       uint64_t *redirected)
{
	struct p4x_xdp_stats xs;
	unsigned int i;

	*seen = *redirected = 0;
	for (i = 0; i < io->nports; i++) {
		if (p4x_engine__port_xdp_stats(io->engine, i, &xs))
			continue;
		*seen += xs.cnt[P4X_XDP_CNT_RX];
		*redirected += xs.cnt[P4X_XDP_CNT_REDIRECT];
	}
}

static bool settled(const struct stf_io *io, uint64_t want)
{
	uint64_t rx, done, seen, redirected;

	engine_totals(io, &rx, &done);
	if (!io->veth)
		return rx >= want && done == rx;
	xdp_totals(io, &seen, &redirected);
	return seen >= want && rx == redirected && done == rx;
}

int stf_io_settle(struct stf_io *io, uint64_t want, char *err, size_t errsz)
{
	uint64_t deadline = now_ms() + SETTLE_MS;

	while (!settled(io, want)) {
		if (now_ms() > deadline) {
			snprintf(err, errsz,
				 "the engine did not account for packet %llu "
				 "within %d ms",
				 (unsigned long long)want, SETTLE_MS);
			return -ETIMEDOUT;
		}
		usleep(200);
	}
	return 0;
}

int stf_io_mem_open(struct stf_io *io, unsigned int nports, char *err,
		    size_t errsz)
{
	struct p4x_engine_opts o = {.sz = sizeof(o), .nb_frames = 1024};
	struct p4x_port *port;
	unsigned int i;
	int ret;

	io->engine = p4x_engine__new(&o);
	if (!io->engine) {
		snprintf(err, errsz, "engine: %s", strerror(errno));
		return -errno;
	}
	for (i = 0; i < nports; i++) {
		snprintf(io->names[i], sizeof(io->names[i]), "port%u", i);
		io->ifindex[i] = i + 1;
		port = p4x_port_mem__new(io->names[i], 1,
					 p4x_engine__pool(io->engine));
		ret = port ? p4x_engine__add_port(io->engine, port) : -errno;
		if (ret < 0) {
			snprintf(err, errsz, "memory port %u: %s", i,
				 strerror(-ret));
			return ret;
		}
		io->nports++;
	}
	return 0;
}

int stf_io_inject(struct stf_io *io, unsigned int port, const uint8_t *bytes,
		  size_t len, char *err, size_t errsz)
{
	int ret;

	if (port >= io->nports) {
		snprintf(err, errsz, "no STF port %u", port);
		return -EINVAL;
	}
	if (io->veth)
		return stf_io_veth_inject(io, port, bytes, len, err, errsz);
	ret = p4x_port_mem__inject(p4x_engine__port(io->engine, port), 0, bytes,
				   len);
	if (ret) {
		snprintf(err, errsz, "inject on port %u (%zu bytes): %s", port,
			 len, strerror(-ret));
		return ret;
	}
	return stf_io_settle(io, ++io->injected, err, errsz);
}

int stf_io_capture(struct stf_io *io, unsigned int port, uint8_t *buf,
		   size_t cap)
{
	if (port >= io->nports)
		return -EAGAIN;
	if (io->veth)
		return stf_io_veth_capture(io, port, buf, cap);
	return p4x_port_mem__capture(p4x_engine__port(io->engine, port), buf,
				     cap, NULL);
}

void stf_io_close(struct stf_io *io)
{
	if (io->veth)
		stf_io_veth_free_engine(io);
	p4x_engine__free(io->engine);
	io->engine = NULL;
	if (io->veth)
		stf_io_veth_close(io);
}
