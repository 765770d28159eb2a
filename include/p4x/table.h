/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * P4 match tables (P4TC semantics): exact, LPM and ternary kinds behind one
 * ops table, read lock-free by the workers and written by one control
 * thread.
 *
 * Threads:
 *  - readers (workers) are registered liburcu-QSBR threads; they call
 *    p4x_table__lookup_burst() between two quiescent states, and may use
 *    the entries it returns until their next quiescent state;
 *  - one control thread calls everything else (create, transactions,
 *    defaults, aging, dump, reclaim, destroy). It need not be registered
 *    with RCU, and must not be an online QSBR reader while it commits.
 *
 * Updates are staged in a transaction and committed atomically: readers
 * see either the state before the whole batch or the state after it, never
 * a mix (see docs/tables.md for how each kind achieves this without a
 * rebuild). Memory of deleted entries is freed after a grace period.
 *
 * Keys: a key blob of BITS_TO_BYTES(keysz) bytes ("keylen") and a mask
 * blob of the same size, laid out as P4TC does (fields concatenated in key
 * order). Entries store key & mask. LPM masks must be a prefix of the blob
 * (leading ones, most significant bit of byte 0 first).
 *
 * Winner of a lookup:
 *  - exact: the entry whose key equals the lookup key;
 *  - LPM: the matching entry with the longest prefix;
 *  - ternary: among matching entries ((key & mask) == (lookup & mask)),
 *    the smallest prio value wins (as P4TC's ternary lookup); ties are
 *    broken by insertion order (the entry created first wins; an update
 *    keeps the entry's place).
 */
#ifndef P4X_TABLE_H
#define P4X_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"

#define P4X_TABLE_KEY_MAX 128	   /* bytes of key (and of mask) */
#define P4X_TABLE_PARAMS_MAX 128   /* bytes of packed action params */
#define P4X_TABLE_NAME_MAX 64	   /* including the NUL */
#define P4X_TABLE_PROFILES_MAX 16  /* timer profiles 0..15 */
#define P4X_TABLE_EXACT_PRIO 64000 /* P4TC's fixed priority of exact */
#define P4X_TABLE_DEFAULT_TENTRIES 1024
#define P4X_TABLE_DEFAULT_NUMMASKS 128
#define P4X_TABLE_DEFAULT_AGING_MS 30000 /* profile 0 unless set */
#define P4X_TABLE_ERR_MAX 256		 /* advised size of error buffers */

enum p4x_table_kind {
	P4X_TABLE_EXACT = 0,
	P4X_TABLE_LPM,
	P4X_TABLE_TERNARY,
	P4X_TABLE_KIND__COUNT,
};

/* Who created/updated an entry (P4TC_ENTITY_* values). */
enum p4x_table_who {
	P4X_TABLE_WHO_UNSPEC = 0,
	P4X_TABLE_WHO_KERNEL = 1, /* the datapath (add on miss) */
	P4X_TABLE_WHO_TC = 2,	  /* the control plane */
	P4X_TABLE_WHO_TIMER = 3,  /* aging */
};

/*
 * Permissions, P4TC layout: control-plane CRUDXPS in bits 13..7, datapath
 * CRUDXPS in bits 6..0.
 */
enum p4x_table_perm_op {
	P4X_PERM_C = 0,
	P4X_PERM_R,
	P4X_PERM_U,
	P4X_PERM_D,
	P4X_PERM_X,
	P4X_PERM_P,
	P4X_PERM_S,
};
#define P4X_PERM_CTRL(op) ((uint16_t)(1u << (13 - (op))))
#define P4X_PERM_DATA(op) ((uint16_t)(1u << (6 - (op))))
#define P4X_TABLE_DEFAULT_PERMS 0x3da4 /* what p4c emits */

/* True if @who may do @op under @perms (TIMER acts as the control plane). */
bool p4x_table_perm_ok(uint16_t perms, enum p4x_table_who who,
		       enum p4x_table_perm_op op);

struct p4x_table;
struct p4x_table_txn;

/*
 * What a lookup returns: the read-only head of an entry. Valid for a
 * reader until its next quiescent state; never modified after publication
 * (an update publishes a new entry). The table owns it.
 */
struct p4x_table_entry {
	uint32_t act_id;
	uint32_t prio;
	const uint8_t *params; /* packed action params, params_len bytes */
	uint16_t params_len;
	uint16_t permissions;
};

/* An action and its packed params (default hit/miss actions). */
struct p4x_table_action {
	uint32_t act_id;
	uint16_t params_len;
	uint8_t params[P4X_TABLE_PARAMS_MAX];
};

struct p4x_table_opts {
	size_t sz;	      /* sizeof(struct p4x_table_opts) */
	uint32_t tentries;    /* max entries; 0: 1024 */
	uint32_t nummasks;    /* ternary: max mask groups; 0: 128 */
	uint16_t permissions; /* table permissions; 0: 0x3da4 */
};

/*
 * Create an empty table. @name is copied (at most 63 bytes); @keysz is the
 * key size in bits (1..1024). NULL with errno (EINVAL, ENOMEM) on failure.
 * The caller owns the table and destroys it with p4x_table__destroy().
 */
struct p4x_table *p4x_table__create(const char *name, enum p4x_table_kind kind,
				    uint32_t keysz,
				    const struct p4x_table_opts *opts);

/*
 * Control thread, once no reader can start a new lookup on @t (it waits a
 * grace period for the ones in flight). Aborts an open transaction and
 * frees every entry. NULL ok.
 */
void p4x_table__destroy(struct p4x_table *t);

const char *p4x_table__name(const struct p4x_table *t);
enum p4x_table_kind p4x_table__kind(const struct p4x_table *t);
const char *p4x_table_kind__name(enum p4x_table_kind kind);
uint32_t p4x_table__keysz(const struct p4x_table *t);
uint32_t p4x_table__keylen(const struct p4x_table *t); /* bytes */
uint32_t p4x_table__tentries(const struct p4x_table *t);
uint16_t p4x_table__permissions(const struct p4x_table *t);
/* Committed entries (the readers' view). */
uint32_t p4x_table__count(const struct p4x_table *t);

/*
 * Reader (QSBR-online thread). Look up @n keys (each keylen bytes; any
 * alignment). results[i] is the winning entry or NULL (miss: the caller
 * applies the default miss action). Stamps the last-used time of every
 * hit with the coarse clock. Returns the number of hits. Lock-free, no
 * allocation, no syscall.
 */
unsigned int p4x_table__lookup_burst(struct p4x_table *t,
				     const void *const keys[], unsigned int n,
				     const struct p4x_table_entry *results[]);

/*
 * Default actions, read by readers (valid until their next quiescent
 * state): NULL when none was set. Set by the control thread: @act NULL
 * clears; the table copies @act and frees the previous copy after a grace
 * period. 0 or -errno (-EINVAL if params_len is too long, -ENOMEM).
 */
const struct p4x_table_action *p4x_table__default_hit(struct p4x_table *t);
const struct p4x_table_action *p4x_table__default_miss(struct p4x_table *t);
int p4x_table__set_default_hit(struct p4x_table *t,
			       const struct p4x_table_action *act);
int p4x_table__set_default_miss(struct p4x_table *t,
				const struct p4x_table_action *act);

/*
 * Timer profile @id (0..15): idle dynamic entries using it are deleted by
 * p4x_table__age() after @aging_ms. Profile 0 defaults to 30 s; other
 * profiles must be set before entries use them. 0 or -EINVAL.
 */
int p4x_table__set_timer_profile(struct p4x_table *t, uint32_t id,
				 uint64_t aging_ms);

/* The coarse clock (CLOCK_MONOTONIC_COARSE) in ms, as entries use it. */
uint64_t p4x_table_clock_ms(void);

/* What a write names. Unused fields 0. */
struct p4x_table_entry_spec {
	size_t sz;	    /* sizeof(struct p4x_table_entry_spec) */
	const void *key;    /* keylen bytes; required */
	const void *mask;   /* keylen bytes; NULL: all ones (exact) */
	uint32_t prio;	    /* exact: 0 or 64000; LPM/ternary: 0 =
			     * allocate (one above the highest in use) */
	uint32_t act_id;    /* 0: no action (default hit applies) */
	const void *params; /* params_len bytes, copied */
	uint16_t params_len;
	uint16_t permissions;	/* 0: the table's permissions */
	bool dynamic;		/* subject to aging */
	uint32_t profile_id;	/* timer profile of a dynamic entry */
	enum p4x_table_who who; /* 0: TC (control plane) */
};

/*
 * Transactions (control thread). At most one open per table; begin fails
 * with NULL/EBUSY otherwise (NULL/ENOMEM on allocation failure). Each op
 * either applies to the staged state or fails, changes nothing and writes
 * a one-line reason into @err (@errsz bytes, may be 0) — e.g. "table fib
 * is full (1024 entries)" — so the caller can prefix "batch entry 3 of 5:
 * " and abort. Errors: -EINVAL (bad key/mask/prio/params/profile),
 * -EEXIST (add of an existing entry), -ENOENT (update/delete of a missing
 * one), -ENOSPC (full; ternary: too many masks), -EPERM (permissions),
 * -ENOMEM. The table copies key, mask and params.
 */
struct p4x_table_txn *p4x_table__txn_begin(struct p4x_table *t);
int p4x_table_txn__add(struct p4x_table_txn *txn,
		       const struct p4x_table_entry_spec *spec, char *err,
		       size_t errsz);
/* Replace the action, params, permissions and aging fields of an existing
 * entry (matched by key, mask and, for ternary, prio). */
int p4x_table_txn__update(struct p4x_table_txn *txn,
			  const struct p4x_table_entry_spec *spec, char *err,
			  size_t errsz);
/* Delete by key, mask and (ternary; LPM if non-zero) prio. */
int p4x_table_txn__delete(struct p4x_table_txn *txn,
			  const struct p4x_table_entry_spec *spec, char *err,
			  size_t errsz);
/* Publish every staged op at once and free @txn. Cannot fail. */
void p4x_table_txn__commit(struct p4x_table_txn *txn);
/* Drop every staged op (the table is as before begin) and free @txn.
 * NULL ok. */
void p4x_table_txn__abort(struct p4x_table_txn *txn);

/* Everything about an entry, for dumps and events. Pointers are into the
 * entry (valid as long as the entry). Times in p4x_table_clock_ms(). */
struct p4x_table_entry_info {
	const uint8_t *key;
	const uint8_t *mask;
	uint32_t keylen;
	uint32_t prio;
	uint32_t act_id;
	const uint8_t *params;
	uint16_t params_len;
	uint16_t permissions;
	enum p4x_table_who who_created;
	enum p4x_table_who who_updated;
	bool dynamic;
	uint32_t profile_id;
	uint64_t created_ms;
	uint64_t updated_ms;
	uint64_t last_used_ms; /* created_ms until the first hit */
};

void p4x_table_entry__info(const struct p4x_table_entry *e,
			   struct p4x_table_entry_info *info);

/* Control thread. The committed entry with this identity (key, mask,
 * ternary prio), or NULL. Valid until the next commit on @t. */
const struct p4x_table_entry *
p4x_table__get(struct p4x_table *t, const struct p4x_table_entry_spec *spec);

/*
 * Control thread, no transaction open (-EBUSY). Call @cb for every
 * committed entry in creation order; a non-zero return stops the walk and
 * is returned. The entry is valid during the call.
 */
typedef int (*p4x_table_dump_fn)(const struct p4x_table_entry *e, void *arg);
int p4x_table__dump(struct p4x_table *t, p4x_table_dump_fn cb, void *arg);

/*
 * Control thread, no transaction open (-EBUSY). Delete, in one committed
 * transaction, every dynamic entry idle (now_ms - last use) for longer
 * than its profile's aging time; @cb (may be NULL) is called for each one
 * before the commit, its entry still valid. Returns the number deleted.
 */
typedef void (*p4x_table_aged_fn)(struct p4x_table *t,
				  const struct p4x_table_entry *e, void *arg);
int p4x_table__age(struct p4x_table *t, uint64_t now_ms, p4x_table_aged_fn cb,
		   void *arg);

/*
 * Control thread. Finish deferred work whose grace period has elapsed
 * (unlink and free deleted entries). Commits do it too; call it when
 * idle. Does nothing while a transaction is open.
 */
void p4x_table__reclaim(struct p4x_table *t);

/* Memory accounting, for tests and benchmarks. */
struct p4x_table_stats {
	uint64_t entries_live;	 /* allocated, not yet freed */
	uint64_t retire_pending; /* deleted, waiting for a grace period */
	uint64_t struct_bytes;	 /* index structures (buckets, plies) */
	uint32_t masks;		 /* ternary groups / LPM prefix lengths */
};
void p4x_table__stats(const struct p4x_table *t, struct p4x_table_stats *stats);

#endif /* P4X_TABLE_H */
