/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The native P4TC program runtime: runs the datapath C that p4c's P4TC
 * backend generates (P_parser.c + P_control_blocks.c, built against
 * include/p4tc-compat into a shared object) as a struct p4x_prog.
 *
 * Theory of operation. p4x_p4rt__load() dlopen()s the object, finds
 * tc_parse_func and tc_ingress_func, binds the object's helper table
 * (p4x_p4tc_abi.h) to this runtime and writes the pipeline id into the
 * object's p4tc_filter_fields. p4x_p4rt__prog() gives the engine a
 * program whose parse op prepares a per-thread context (the __sk_buff
 * stand-in wrapping the struct p4x_pkt: data/data_end, len, protocol,
 * ifindex of the in port, zeroed cb) and runs tc_parse_func; its main op
 * runs tc_ingress_func on the same context and turns the TC verdict into
 * the engine's: TC_ACT_SHOT -> drop, TC_ACT_OK (egress port 0) -> to the
 * host, bpf_redirect(ifindex) -> transmit on the engine port of that
 * ifindex, TC_ACT_UNSPEC after recirculate -> parse again (bounded).
 * Parse and main of one packet run back to back on one thread, which is
 * what the per-thread context and hdr_md_cpumap storage rely on.
 *
 * Tables are the caller's: kfuncs ask env.table(pipeid, tblid) for a
 * struct p4x_table and look it up (default hit/miss actions as P4TC).
 * Datapath table writes (PNA add_entry) and digests cannot be done on a
 * worker (tables have one writer), so they are queued in a bounded
 * lock-free ring, rate-limited and counted, and applied by
 * p4x_p4rt__poll() on the tables' control thread. Externs (indirect
 * counters, registers, meters) are declared with p4x_p4rt__extern_add()
 * before the program is published.
 *
 * Per packet: no syscall, no allocation, no lock.
 */
#ifndef P4X_P4RT_H
#define P4X_P4RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "prog.h"
#include "table.h"

struct p4x_p4rt;
struct p4x_p4tc_kfuncs; /* include/p4tc-compat/p4x_p4tc_abi.h */

/*
 * What the runtime needs from its host (the daemon, the STF runner, a
 * test). Called on workers unless said otherwise, so they must be
 * lock-free and must not block.
 */
struct p4x_p4rt_env {
	/* Must be non-NULL. Table @tblid of pipeline @pipeid, or NULL
	 * (lookups then return NULL: no action). The table must stay valid
	 * until the calling worker's next quiescent state. */
	struct p4x_table *(*table)(void *arg, uint32_t pipeid, uint32_t tblid);
	/* NULL: engine port p has ifindex p + 1. Else the ifindex of
	 * engine port @port (must be non-zero). */
	uint32_t (*port_ifindex)(void *arg, uint16_t port);
	/* NULL: ifindex i is engine port i - 1. Else the engine port of
	 * @ifindex, or -1 if none (the packet is dropped as no_route). */
	int (*ifindex_port)(void *arg, uint32_t ifindex);
	/* NULL: no port is a host or net port. Else the P4TC class of
	 * @ifindex: 1 host, 2 net, 0 neither. */
	int (*port_class)(void *arg, uint32_t ifindex);
	/* Control thread (p4x_p4rt__poll). NULL: the action's param
	 * bytes are taken as 124. Else the packed param size of action
	 * @act_id of pipeline @pipeid, or -1 for an unknown action (the
	 * add is refused). */
	int (*act_params_len)(void *arg, uint32_t pipeid, uint32_t act_id);
	/* Control thread. NULL: nothing. An entry the datapath asked for
	 * was committed in @t (for events); @e valid during the call. */
	void (*entry_added)(void *arg, struct p4x_table *t,
			    const struct p4x_table_entry *e);
	/* Control thread. NULL: digests are counted and dropped. One
	 * digest record: the in_params bytes the program packed. */
	void (*digest)(void *arg, uint32_t pipeid, uint32_t ext_id,
		       uint32_t inst_id, const uint8_t *data, size_t len);
	void *arg;
};

struct p4x_p4rt_opts {
	size_t sz;	 /* sizeof(struct p4x_p4rt_opts) */
	uint32_t pipeid; /* required: the P4TC pipeline id */
	/* p4tc_filter_fields values (the tc filter's identity), used as the
	 * filter identity of entries added from the datapath; 0: none. */
	uint32_t handle, classid, chain;
	uint16_t prio;
	uint16_t proto;		 /* network order; 0: ETH_P_ALL */
	unsigned int recirc_max; /* recirculations per packet; 0: 4 */
	/* datapath adds (and digests) accepted per second; 0: 1000 */
	uint32_t adds_per_sec;
	/* queued adds/digests awaiting poll; 0: 1024 (power of 2 above) */
	uint32_t queue_size;
};

/*
 * Load the program object at @so_path for pipeline opts->pipeid, bound
 * to @env (copied). NULL with errno and a one-line reason in @err
 * (ENOENT: no file; ENOEXEC: not a P4TC program object, e.g. an entry
 * point or p4tc_filter_fields is missing, or its ABI version differs;
 * E2BIG: its maps need more per-thread storage than the runtime has).
 * The caller owns the runtime until it hands it to the engine through
 * p4x_p4rt__prog(). Control thread.
 *
 * One object file is bound to one runtime at a time: load a rebuilt
 * copy (another path) to run two versions side by side.
 */
struct p4x_p4rt *p4x_p4rt__load(const char *so_path,
				const struct p4x_p4rt_env *env,
				const struct p4x_p4rt_opts *opts, char *err,
				size_t errsz);

/* Unload and free (queued adds are discarded). NULL ok. */
void p4x_p4rt__free(struct p4x_p4rt *rt);

/*
 * The engine program of @rt: ops (name "p4tc:<file stem>") and ctx =
 * @rt; ops->destroy frees @rt. Whoever holds @prog owns @rt; after
 * p4x_engine__set_prog() the caller may keep calling the control
 * functions below until it replaces the program.
 */
void p4x_p4rt__prog(struct p4x_p4rt *rt, struct p4x_prog *prog);

/* --- externs ----------------------------------------------------------- */

enum p4x_p4rt_extern_kind {
	P4X_P4RT_COUNTER = 1,  /* packets and bytes per element */
	P4X_P4RT_REGISTER = 2, /* value_size bytes per element */
	P4X_P4RT_METER = 3,    /* two-rate three-colour per element */
};

/* Meter rates (RFC 2698 trTCM): packets or bytes per second, bursts in
 * packets or bytes, as the meter kfunc counts. */
struct p4x_p4rt_meter_cfg {
	uint64_t cir, pir;
	uint64_t cbs, pbs;
};

struct p4x_p4rt_extern_spec {
	size_t sz; /* sizeof(struct p4x_p4rt_extern_spec) */
	enum p4x_p4rt_extern_kind kind;
	uint32_t ext_id;     /* the JSON extern id (0x19000000...) */
	uint32_t inst_id;    /* instance id, >= 1 */
	uint32_t numel;	     /* elements; index 0..numel-1 */
	uint32_t value_size; /* registers: 1..64 bytes */
	struct p4x_p4rt_meter_cfg meter;
	/*
	 * Non-zero: a direct counter or meter of table @tbl_id (which
	 * env.table must know at this call): one element per entry key
	 * the datapath counts, for up to @numel keys; @ext_id and @inst_id
	 * are not used to find it (generated code names the table).
	 */
	uint32_t tbl_id;
};

/*
 * Declare an extern instance (before the program is published to the
 * engine). 0, -EINVAL (bad spec, with @err), -EEXIST, -ENOENT (direct:
 * unknown table), -ENOSPC (at most 32 instances), -ENOMEM.
 */
int p4x_p4rt__extern_add(struct p4x_p4rt *rt,
			 const struct p4x_p4rt_extern_spec *spec, char *err,
			 size_t errsz);

/* Control reads/writes of extern elements. 0 or -ENOENT. */
/* Direct counter of table @tbl_id for key blob @key (keylen bytes). */
int p4x_p4rt__direct_counter_read(const struct p4x_p4rt *rt, uint32_t tbl_id,
				  const void *key, uint64_t *pkts,
				  uint64_t *bytes);
int p4x_p4rt__counter_read(const struct p4x_p4rt *rt, uint32_t ext_id,
			   uint32_t inst_id, uint32_t index, uint64_t *pkts,
			   uint64_t *bytes);
int p4x_p4rt__register_read(const struct p4x_p4rt *rt, uint32_t ext_id,
			    uint32_t inst_id, uint32_t index, void *buf,
			    size_t len);
int p4x_p4rt__register_write(struct p4x_p4rt *rt, uint32_t ext_id,
			     uint32_t inst_id, uint32_t index, const void *buf,
			     size_t len);

/* --- control thread ------------------------------------------------------ */

/*
 * Apply up to @max queued datapath requests (0: all): adds go to their
 * table in one transaction each (dynamic entries, created by the
 * datapath, with the profile the program asked for, so p4x_table__age()
 * ages them), digests go to env.digest. Returns how many were handled.
 */
unsigned int p4x_p4rt__poll(struct p4x_p4rt *rt, unsigned int max);

/* Runtime counters, X(enum suffix, "json_key", "description"). */
#define P4X_P4RT_COUNTERS(X)                                                \
	X(ADD_REQ, "add_requests", "datapath entry adds asked")             \
	X(ADD_RATE, "add_rate_limited", "adds refused by the rate limit")   \
	X(ADD_QFULL, "add_queue_full", "adds refused: queue full")          \
	X(ADD_DONE, "adds_done", "datapath adds committed")                 \
	X(ADD_FAIL, "adds_failed", "datapath adds the table refused")       \
	X(ENTRY_BAD, "entry_bad_args", "entry kfunc calls with bad sizes")  \
	X(TBL_BAD, "tbl_read_bad_args", "lookups with bad sizes or table")  \
	X(DIGEST, "digests", "digests delivered")                           \
	X(DIGEST_DROP, "digests_dropped", "digests refused or undelivered") \
	X(RECIRC, "recirculations", "packets parsed again")                 \
	X(RECIRC_MAX, "recirc_limit", "dropped: too many recirculations")   \
	X(NO_EGRESS, "unknown_egress", "dropped: egress ifindex unknown")   \
	X(ADJ_FAIL, "adjust_room_failed", "header room changes refused")    \
	X(MAP_NULL, "map_unbound", "lookups of maps the runtime lacks")     \
	X(EXT_MISS, "extern_missing", "extern calls on unknown instances")  \
	X(TRACE, "trace", "bpf_printk calls (never printed)")

enum p4x_p4rt_counter {
#define P4X_P4RT_CNT_ENUM(e, key, desc) P4X_P4RT_CNT_##e,
	P4X_P4RT_COUNTERS(P4X_P4RT_CNT_ENUM)
#undef P4X_P4RT_CNT_ENUM
		P4X_P4RT_CNT__COUNT
};

extern const char *const p4x_p4rt_counter_keys[P4X_P4RT_CNT__COUNT];

/* A snapshot of the counters. */
void p4x_p4rt__counters(const struct p4x_p4rt *rt,
			uint64_t cnt[P4X_P4RT_CNT__COUNT]);

/* The helper table programs are bound to (for tests of the kfuncs). */
const struct p4x_p4tc_kfuncs *p4x_p4rt__kfuncs(void);

/* --- build --------------------------------------------------------------- */

struct p4x_p4rt_build_opts {
	size_t sz;		/* sizeof(struct p4x_p4rt_build_opts) */
	const char *cc;		/* NULL: $CC, else "cc" */
	const char *compat_dir; /* NULL: the installed include/p4tc-compat */
};

/*
 * Build program directory @dir (P.template, P.json, P_parser.h,
 * P_parser.c, P_control_blocks.c, for one pipeline P) into @out_so:
 * checks that the template and P.json agree (p4x_p4tc__cross_check) and
 * that every table the C looks up (tblid and key.keysz of each lookup)
 * exists in the template with that key size, then compiles with the
 * system C compiler (-std=gnu11 -O2 -shared -fPIC -fcommon) against the
 * compat headers. 0, or -errno with the first problem in @err (-ENOENT
 * missing file, -EINVAL disagreement, -ENOEXEC compiler failure; the
 * compiler's messages go to stderr). @out_so is not created on failure.
 */
int p4x_p4rt__build(const char *dir, const char *out_so,
		    const struct p4x_p4rt_build_opts *opts, char *err,
		    size_t errsz);

#endif /* P4X_P4RT_H */
