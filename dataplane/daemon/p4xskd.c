// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4xskd: builds the engine from the configuration (AF_XDP ports, the
 * built-in forwarding program), starts it, and serves the control socket
 * on the main thread until SIGINT/SIGTERM; then stops the workers, closes
 * the ports (detaching XDP, freeing the UMEM) and removes the socket.
 *
 * Exit status: 0 after a clean stop, 1 when it cannot start (the reason
 * on one line of stderr), 2 on a usage or configuration error.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "p4x/log.h"
#include "p4x/port_afxdp.h"

#include "bridge_d.h"
#include "host.h"
#include "p4rt.h"
#include "progload.h"
#include "sched_ctl.h"

/* The last warning logged while a port opens: the reason it failed. */
static char port_warning[512];

static void port_sink(enum p4x_log_level level, const char *msg, void *arg)
{
	size_t len = strlen(msg);

	if (level == P4X_LOG_WARN) {
		snprintf(port_warning, sizeof(port_warning), "%.*s",
			 (int)(len && msg[len - 1] == '\n' ? len - 1 : len),
			 msg);
		return;
	}
	fprintf(stderr, "p4xsk %s: %s%s",
		level == P4X_LOG_INFO ? "info" : "debug", msg,
		len && msg[len - 1] == '\n' ? "" : "\n");
}

static const char *port_errno_reason(int err)
{
	switch (err) {
	case ENODEV:
		return "no such interface";
	case EEXIST:
		return "another XDP program is attached to it";
	case EBUSY:
		return "a p4xsk XDP program of an earlier run is attached "
		       "(--replace-stale replaces it)";
	case EINVAL:
		return "fewer rx queues than asked, or invalid options";
	default:
		return strerror(err);
	}
}

static int open_port(struct p4xd *d, const struct p4xd_port_cfg *pc)
{
	struct p4x_port_afxdp_opts opts = {
		.sz = sizeof(opts),
		.mode = d->cfg.xdp_mode,
		.host_flags = d->cfg.host_flags,
		.replace_stale = d->cfg.replace_stale,
	};
	struct p4x_port *port;
	int ret;

	port_warning[0] = '\0';
	p4x_log__set_sink(port_sink, NULL);
	port = p4x_port_afxdp__new(pc->name, pc->queues,
				   p4x_engine__pool(d->engine), &opts);
	ret = port ? 0 : errno;
	p4x_log__set_sink(NULL, NULL);
	if (!port) {
		fprintf(stderr,
			"p4xskd: cannot open port %s (%u queue%s): "
			"%s%s%s%s\n",
			pc->name, pc->queues, pc->queues == 1 ? "" : "s",
			port_errno_reason(ret), port_warning[0] ? " [" : "",
			port_warning, port_warning[0] ? "]" : "");
		return -ret;
	}
	if (port_warning[0])
		p4x_warn("%s", port_warning);
	ret = p4x_engine__add_port(d->engine, port);
	if (ret < 0)
		fprintf(stderr, "p4xskd: cannot add port %s: %s\n", pc->name,
			strerror(-ret));
	return ret < 0 ? ret : 0;
}

/* The built-in forwarding program from the configured rules. */
static int set_fwd_prog(struct p4xd *d)
{
	struct p4x_fwd_rule rules[P4X_MAX_PORTS];
	struct p4x_prog prog;
	unsigned int i;
	int ret;

	for (i = 0; i < d->cfg.fwd.n; i++) {
		const struct p4xd_fwd_cfg *f = &d->cfg.fwd.v[i];

		rules[i] = (struct p4x_fwd_rule){
			.in_port = (uint16_t)p4xd_config_port(&d->cfg, f->in),
			.out_port = (uint16_t)p4xd_config_port(&d->cfg, f->out),
			.flags = f->flags,
		};
		memcpy(rules[i].dst, f->dmac, 6);
		memcpy(rules[i].src, f->smac, 6);
	}
	p4x_engine__fwd_default_src(d->engine, rules, d->cfg.fwd.n);
	ret = p4x_prog_fwd__init(&prog, rules, d->cfg.fwd.n);
	if (!ret)
		ret = p4x_engine__set_prog(d->engine, &prog);
	if (ret) {
		fprintf(stderr,
			"p4xskd: cannot set the forwarding program: "
			"%s\n",
			strerror(-ret));
		return ret;
	}
	d->prog_name = prog.ops->name;
	return 0;
}

/* --program DIR: the P4TC program instead of the built-in one. */
static int load_program(struct p4xd *d)
{
	struct p4x_ctl_err err = {0};
	int ret = p4xd_prog_load(d, d->cfg.program, &err);

	if (ret)
		fprintf(stderr, "p4xskd: cannot load program %s: %s\n",
			d->cfg.program, err.msg);
	return ret;
}

/*
 * Without --cores, workers are pinned round robin to every CPU this process
 * may run on, so each rx queue keeps its cache-warm core.
 */
static void default_cores(struct p4xd_cores *cores)
{
	cpu_set_t set;
	int cpu;

	if (cores->n || sched_getaffinity(0, sizeof(set), &set))
		return;
	for (cpu = 0; cpu < CPU_SETSIZE && cores->n < P4XD_MAX_CORES; cpu++)
		if (CPU_ISSET(cpu, &set))
			cores->v[cores->n++] = cpu;
}

static int build_engine(struct p4xd *d)
{
	struct p4x_engine_opts opts = {.sz = sizeof(opts)};
	unsigned int i;
	int ret;

	default_cores(&d->cfg.cores);
	opts.cores = d->cfg.cores.n ? d->cfg.cores.v : NULL;
	opts.nb_cores = d->cfg.cores.n;
	opts.no_tx = d->cfg.no_tx;
	d->engine = p4x_engine__new(&opts);
	if (!d->engine) {
		fprintf(stderr, "p4xskd: cannot create the engine: %s\n",
			strerror(errno));
		return -errno;
	}
	for (i = 0; i < d->cfg.ports.n; i++) {
		ret = open_port(d, &d->cfg.ports.v[i]);
		if (ret)
			return ret;
	}
	ret = d->cfg.program ? load_program(d) : set_fwd_prog(d);
	if (ret)
		return ret;
	ret = p4xd_sched__setup(d);
	if (ret)
		return ret;
	ret = p4xd_bridge__setup(d);
	if (ret)
		return ret;
	if (d->cfg.ports.n == 0) {
		p4x_info("no ports: serving the control plane only");
		return 0;
	}
	ret = p4x_engine__start(d->engine);
	if (ret)
		fprintf(stderr, "p4xskd: cannot start the workers: %s\n",
			strerror(-ret));
	return ret;
}

/* Block SIGINT/SIGTERM (before any thread exists) and read them here. */
static int setup_signals(struct p4xd *d)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -errno;
	signal(SIGPIPE, SIG_IGN);
	d->sig_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return d->sig_fd < 0 ? -errno : 0;
}

static int open_socket(struct p4xd *d)
{
	d->listen_fd = p4x_ctl_listen(d->sock_path);
	if (d->listen_fd >= 0)
		return 0;
	if (d->listen_fd == -EADDRINUSE)
		fprintf(stderr, "p4xskd: another p4xskd already serves %s\n",
			d->sock_path);
	else
		fprintf(stderr, "p4xskd: cannot listen on %s: %s\n",
			d->sock_path, strerror(-d->listen_fd));
	return d->listen_fd;
}

static void usage(FILE *out)
{
	fprintf(out, "Usage: p4xskd [OPTIONS]\n\n"
		     "The p4xsk dataplane daemon. Options:\n");
	p4x_opts_usage(p4xd_options, out);
	fprintf(out, "\nExit status: 0 clean stop, 1 cannot start, "
		     "2 usage or configuration error.\n");
}

static int run(struct p4xd *d)
{
	int ret;

	ret = setup_signals(d);
	if (ret) {
		fprintf(stderr, "p4xskd: signals: %s\n", strerror(-ret));
		return 1;
	}
	/* The socket first: never touch interfaces another daemon serves. */
	if (open_socket(d))
		goto err_sig;
	if (build_engine(d))
		goto err_engine;
	p4x_info("serving %u port(s), %u worker(s), program %s on %s",
		 p4x_engine__nb_ports(d->engine),
		 p4x_engine__nb_workers(d->engine), d->prog_name, d->sock_path);
	ret = p4xd_serve(d);
	if (ret)
		p4x_warn("control loop: %s", strerror(-ret));
	p4x_engine__free(d->engine);
	p4xd_sched__free(d);
	p4xd_bridge__free(d);
	p4xd_host_close(d);
	p4xd_prog_free(d);
	p4xd_p4__free(d->p4);
	close(d->listen_fd);
	unlink(d->sock_path);
	close(d->sig_fd);
	p4x_info("stopped");
	return ret ? 1 : 0;

err_engine:
	p4x_engine__free(d->engine);
	p4xd_sched__free(d);
	p4xd_bridge__free(d);
	p4xd_host_close(d);
	p4xd_prog_free(d);
	p4xd_p4__free(d->p4);
	close(d->listen_fd);
	unlink(d->sock_path);
err_sig:
	close(d->sig_fd);
	return 1;
}

int main(int argc, char **argv)
{
	static struct p4xd d;
	char err[512];

	if (p4xd_config_load(&d.cfg, argc, argv, err, sizeof(err))) {
		fprintf(stderr, "p4xskd: %s\nTry 'p4xskd --help'.\n", err);
		return 2;
	}
	if (d.cfg.help) {
		usage(stdout);
		return 0;
	}
	if (d.cfg.version) {
		printf("p4xskd %s (protocol %d)\n", P4X_VERSION,
		       P4X_CTL_VERSION);
		return 0;
	}
	p4x_log__init(d.cfg.log_level);
	d.sock_path = p4x_ctl_sock_path(d.cfg.sock[0] ? d.cfg.sock : NULL);
	d.start_ms = p4xd_now_ms();
	d.prog_name = "none";
	return run(&d);
}
