/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * p4xskd internals: the daemon state, the control-socket server, and the
 * request handlers, declared as a table so that later objects (P4
 * templates, table entries, subscriptions) add rows, not code paths.
 */
#ifndef P4X_DAEMON_DAEMON_H
#define P4X_DAEMON_DAEMON_H

#include <stdbool.h>
#include <stdint.h>

#include "p4x/ctl.h"
#include "p4x/engine.h"

#include "config.h"

#define P4XD_MAX_CLIENTS 16
/* Slots of a parsed request: above the largest request attribute id. */
#define P4XD_TB_SIZE 64
/* A client may block a reply this long before it is dropped. */
#define P4XD_SEND_TIMEOUT_MS 5000

struct p4xd_p4;	    /* the P4 runtime, p4rt.h */
struct p4xd_prog;   /* the P4TC program, progload.c */
struct p4xd_sched;  /* egress schedulers, sched_ctl.h */
struct p4xd_bridge; /* kernel bridge, bridge_d.h */

struct p4xd {
	struct p4xd_config cfg;
	struct p4x_engine *engine; /* owned */
	const char *prog_name;
	uint64_t start_ms; /* CLOCK_MONOTONIC */
	const char *sock_path;
	int listen_fd;
	int sig_fd;
	int clients[P4XD_MAX_CLIENTS];
	unsigned int nb_clients;
	bool stop;
	/* P4 model, runtime tables, subscriptions; created at the first P4
	 * request (or by the caller), freed by the caller */
	struct p4xd_p4 *p4;
	/* egress schedulers; NULL when none is configured */
	struct p4xd_sched *sched;
	/* kernel bridge sources; NULL when none is configured */
	struct p4xd_bridge *bridge;
	/* the P4TC program running (progload.c), NULL: the built-in one */
	struct p4xd_prog *prog;
	char prog_tmp[64]; /* directory of built objects; "" none yet */
	unsigned int prog_seq;
	int host_fd[P4X_MAX_PORTS]; /* TAP of each port; 0: none (host.c) */
};

/* Replies of one request: messages are built in buf and sent one by one. */
struct p4xd_reply {
	int fd;
	const struct nlmsghdr *req;
	char buf[P4X_CTL_MSG_MAX];
};

/* Start a reply message answering the request (its type and seq). */
struct nlmsghdr *p4xd_reply__start(struct p4xd_reply *r, uint16_t flags);
/* Send the message built in r->buf. 0 or -errno. */
int p4xd_reply__send(struct p4xd_reply *r, const struct nlmsghdr *nlh);

struct p4xd_handler {
	uint16_t type;
	/* Attributes a request may carry (validated before any call). */
	const struct p4x_ctl_attr_set *req_set;
	/* NULL: not supported without NLM_F_DUMP. Sends at most one reply
	 * message (or NLM_F_MULTI parts when the request asks for an ack);
	 * 0 or -errno with @err filled. */
	int (*doit)(struct p4xd *d, const struct nlattr **tb,
		    struct p4xd_reply *r, struct p4x_ctl_err *err);
	/* NULL: NLM_F_DUMP not supported. Sends the NLM_F_MULTI parts
	 * (the server adds NLMSG_DONE); 0 or -errno with @err filled. */
	int (*dumpit)(struct p4xd *d, const struct nlattr **tb,
		      struct p4xd_reply *r, struct p4x_ctl_err *err);
};

/* CLOCK_MONOTONIC in milliseconds. */
uint64_t p4xd_now_ms(void);

/* The handler table, terminated by type 0. */
extern const struct p4xd_handler p4xd_handlers[];

/*
 * Handle every request in the datagram @buf (@len bytes; @truncated if
 * recv cut it) from client @fd, sending replies. Returns 0, or -errno if
 * the client should be dropped (it cannot be written to).
 */
int p4xd_serve_datagram(struct p4xd *d, int fd, const void *buf, size_t len,
			bool truncated);

/*
 * Serve the control socket and the signal fd until SIGINT/SIGTERM; age
 * the P4 tables between requests.
 */
int p4xd_serve(struct p4xd *d);

#endif /* P4X_DAEMON_DAEMON_H */
