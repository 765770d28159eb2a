/* SPDX-License-Identifier: BSD-3-Clause */
/* STF runner internals: the program under test and the port backends. */
#ifndef P4X_STF_PRIV_H
#define P4X_STF_PRIV_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "p4x/engine.h"
#include "p4x/p4rt.h"
#include "p4x/p4tc.h"
#include "p4x/stf.h"

/* A program directory loaded for one run. */
struct stf_prog {
	char dir[PATH_MAX];
	char name[P4X_P4TC_NAMSZ]; /* pipeline = file stem */
	struct p4x_p4tc *m;
	uint32_t pipeid;
	unsigned int ntables;
	uint32_t tblids[P4X_P4TC_MAX_TABLES];
	struct p4x_table *tables[P4X_P4TC_MAX_TABLES];
	char tmpdir[64]; /* "" unless the object was built here */
	char so[PATH_MAX];
	struct p4x_p4rt *rt;	 /* until handed to the engine */
	const struct stf_io *io; /* the ports the object is bound to */
};

/* Where STF ports live: the engine's ports are STF ports 0..n-1. */
struct stf_io {
	unsigned int nports;
	uint32_t ifindex[P4X_STF_MAX_PORTS]; /* what `dev` values carry */
	char names[P4X_STF_MAX_PORTS][P4X_IFNAMSIZ]; /* STF dev names */
	struct p4x_engine *engine;
	bool veth;
	/* veth */
	char ns_dut[64], ns_peer[64];
	int sock[P4X_STF_MAX_PORTS]; /* AF_PACKET on the peers */
	uint64_t injected;
};

/* --- program (prog.c) ---------------------------------------------------- */

/* Model + template + tables + object, bound to @io's ports. */
int stf_prog_open(struct stf_prog *p, const char *dir, const char *so_path,
		  struct stf_io *io, char *err, size_t errsz);
/* Write an `add` into its table. */
int stf_prog_add(struct stf_prog *p, const struct stf_io *io,
		 const struct p4x_stf_stmt *s, char *err, size_t errsz);
/* Hand the program to the engine of @io. */
int stf_prog_publish(struct stf_prog *p, struct stf_io *io);
/* After the engine is gone. */
void stf_prog_close(struct stf_prog *p);

/* --- ports (io_mem.c, io_veth.c) ------------------------------------------ */

int stf_io_mem_open(struct stf_io *io, unsigned int nports, char *err,
		    size_t errsz);
int stf_io_veth_open(struct stf_io *io, unsigned int nports, const char *prefix,
		     char *err, size_t errsz);
/* Send @len bytes into STF port @port and wait until the engine has
 * accounted for it (received and transmitted or dropped). */
int stf_io_inject(struct stf_io *io, unsigned int port, const uint8_t *bytes,
		  size_t len, char *err, size_t errsz);
/* Next frame port @port transmitted: length, or -EAGAIN when none. */
int stf_io_capture(struct stf_io *io, unsigned int port, uint8_t *buf,
		   size_t cap);
/* The veth halves of the calls above (io_veth.c). */
int stf_io_veth_inject(struct stf_io *io, unsigned int port,
		       const uint8_t *bytes, size_t len, char *err,
		       size_t errsz);
int stf_io_veth_capture(struct stf_io *io, unsigned int port, uint8_t *buf,
			size_t cap);
void stf_io_veth_close(struct stf_io *io);
/* Free the engine inside the dut namespace (where its ports are). */
void stf_io_veth_free_engine(struct stf_io *io);
/* Stop the engine, free it, remove namespaces. Safe on a partial open. */
void stf_io_close(struct stf_io *io);

/* Wait until the engine of @io accounted for every received packet. */
int stf_io_settle(struct stf_io *io, uint64_t want_rx, char *err, size_t errsz);

#endif /* P4X_STF_PRIV_H */
