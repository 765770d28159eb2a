// SPDX-License-Identifier: BSD-3-Clause
/*
 * Scheduler control path: construction, policy and parameter changes
 * (published with RCU), policy loading, stats. Any thread.
 */
#define _LGPL_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <urcu-qsbr.h>

#include "p4x/log.h"
#include "sched_int.h"

#define OPT(o, f)                                                              \
	((o) && (o)->sz >= offsetof(typeof(*(o)), f) + sizeof((o)->f) ? (o)->f \
								      : 0)

static const char *const drop_names[] = {
#define X(e, k, d) [P4X_SCHED_DROP_##e] = k,
	P4X_SCHED_DROPS(X)
#undef X
};

static const char *const builtin_names[] = {
#define X(e, n) [P4X_SCHED_##e] = n,
	P4X_SCHED_BUILTINS(X)
#undef X
};

const char *p4x_sched_drop_name(enum p4x_sched_drop d)
{
	return (unsigned int)d < P4X_SCHED_DROP__COUNT ? drop_names[d] : NULL;
}

const char *p4x_sched_builtin_name(enum p4x_sched_builtin b)
{
	return (unsigned int)b < P4X_SCHED_BUILTIN__COUNT ? builtin_names[b]
							  : NULL;
}

int p4x_sched_builtin_parse(const char *name, enum p4x_sched_builtin *out)
{
	for (unsigned int b = 0; b < P4X_SCHED_BUILTIN__COUNT; b++) {
		if (!strcmp(name, builtin_names[b])) {
			*out = (enum p4x_sched_builtin)b;
			return 0;
		}
	}
	return -EINVAL;
}

static int pow2_in(uint32_t v, uint32_t lo, uint32_t hi)
{
	return v >= lo && v <= hi && !(v & (v - 1));
}

/* Fill defaults into @s from @o; 0 or -EINVAL (logged). */
static int opts_apply(struct p4x_sched *s, const struct p4x_sched_opts *o)
{
	uint32_t buckets = OPT(o, nb_buckets) ?: 4096;
	uint32_t flows = OPT(o, nb_flows) ?: 4096;
	uint32_t ts = OPT(o, time_shift) ?: 10;

	s->max_pkts = OPT(o, max_pkts) ?: 4096;
	s->max_bytes = OPT(o, max_bytes) ?: s->max_pkts * 2048u;
	s->nb_classes = OPT(o, nb_classes) ?: 8;
	s->rank_shift = OPT(o, rank_shift);
	s->time_shift = (uint8_t)ts;
	s->drop_policy = OPT(o, drop_policy);
	s->release = OPT(o, release);
	s->release_arg = OPT(o, release_arg);
	s->flow_mask = flows - 1;
	if (!o || o->sz < sizeof(size_t))
		p4x_warn("sched: opts.sz must be set");
	else if (!s->release)
		p4x_warn("sched: opts.release must be set");
	else if (s->max_pkts > (1u << 24))
		p4x_warn("sched: max_pkts %u above 2^24", s->max_pkts);
	else if (s->nb_classes > P4X_SCHED_MAX_CLASSES)
		p4x_warn("sched: nb_classes %u above %u", s->nb_classes,
			 P4X_SCHED_MAX_CLASSES);
	else if (!pow2_in(flows, 1, 1u << 24))
		p4x_warn("sched: nb_flows %u not a power of two <= 2^24",
			 flows);
	else if (!pow2_in(buckets, 64, 1u << 18))
		p4x_warn(
			"sched: nb_buckets %u not a power of two in [64, 2^18]",
			buckets);
	else if (s->rank_shift > 63 || ts > 40)
		p4x_warn("sched: rank_shift %u or time_shift %u out of range",
			 s->rank_shift, ts);
	else if (s->drop_policy > P4X_SCHED_DROP_WORST)
		p4x_warn("sched: drop_policy %u unknown", s->drop_policy);
	else
		return 0;
	return -EINVAL;
}

static int sched_alloc(struct p4x_sched *s, uint32_t buckets)
{
	int ret;

	s->pool = calloc(s->max_pkts, sizeof(*s->pool));
	s->cls = calloc(s->nb_classes, sizeof(*s->cls));
	s->flows = calloc(s->flow_mask + 1u, sizeof(*s->flows));
	if (!s->pool || !s->cls || !s->flows)
		return -ENOMEM;
	for (uint32_t i = 0; i < s->max_pkts; i++)
		s->pool[i].next = i + 1 < s->max_pkts ? i + 1 : P4X_PQ_NIL;
	s->free_head = 0;
	for (uint32_t q = 0; q < P4X_ARRAY_SIZE(s->pq); q++) {
		ret = p4x_pq__init(&s->pq[q], s->pool, buckets, q);
		if (ret)
			return ret;
	}
	s->rq = &s->pq[0];
	s->low = &s->pq[1];
	s->cal = &s->pq[2];
	return 0;
}

static void sched_release_mem(struct p4x_sched *s)
{
	for (uint32_t q = 0; q < P4X_ARRAY_SIZE(s->pq); q++)
		p4x_pq__fini(&s->pq[q]);
	free(s->pool);
	free(s->cls);
	free(s->flows);
	free(s->port);
	pthread_mutex_destroy(&s->ctl);
	free(s);
}

struct p4x_sched *p4x_sched__new(const struct p4x_sched_opts *opts)
{
	struct p4x_sched *s = calloc(1, sizeof(*s));
	int ret;

	if (!s) {
		errno = ENOMEM;
		return NULL;
	}
	pthread_mutex_init(&s->ctl, NULL);
	ret = opts_apply(s, opts);
	if (ret)
		goto err_free;
	ret = sched_alloc(s, OPT(opts, nb_buckets) ?: 4096);
	if (ret)
		goto err_free;
	ret = p4x_sched__set_builtin(s, P4X_SCHED_FIFO, NULL);
	if (ret)
		goto err_free;
	return s;

err_free:
	sched_release_mem(s);
	errno = -ret;
	return NULL;
}

void p4x_sched__free(struct p4x_sched *s)
{
	if (!s)
		return;
	p4x_sched__flush(s);
	p4x_sched_inst_free(s->inst, 0);
	sched_release_mem(s);
}

void p4x_sched_inst_free(struct p4x_sched_inst *in, int keep_state)
{
	if (!in)
		return;
	if (!keep_state && in->state) {
		if (in->ops->fini)
			in->ops->fini(in->state);
		else
			free(in->state);
	}
	if (in->params_free)
		in->params_free(in->params);
	if (in->dl && !keep_state)
		dlclose(in->dl);
	free(in);
}

void p4x_sched_inst_publish(struct p4x_sched *s, struct p4x_sched_inst *ni)
{
	struct p4x_sched_inst *old = rcu_xchg_pointer(&s->inst, ni);

	synchronize_rcu();
	p4x_sched_inst_free(old, old && old->state == ni->state);
}

static struct p4x_sched_inst *inst_new(const struct p4x_sched *s,
				       const struct p4x_sched_policy_ops *ops,
				       void *params)
{
	struct p4x_sched_policy_args args = {
		.nb_classes = s->nb_classes,
		.nb_flows = s->flow_mask + 1,
		.rank_shift = s->rank_shift,
		.time_shift = s->time_shift,
	};
	struct p4x_sched_inst *in = calloc(1, sizeof(*in));

	if (!in)
		return NULL;
	in->ops = ops;
	in->params = params;
	in->builtin = -1;
	in->state = ops->init(&args, params);
	if (!in->state) {
		free(in);
		return NULL;
	}
	return in;
}

/*
 * Copy @p (NULL: defaults; a shorter, older struct: zero-filled) into a new
 * block and check it. Returns the block, or NULL with *@err = -errno.
 */
static struct p4x_sched_params *
builtin_params_dup(const struct p4x_sched_params *p, uint32_t nb_classes,
		   int *err)
{
	struct p4x_sched_params *c = calloc(1, sizeof(*c));

	*err = -ENOMEM;
	if (!c)
		return NULL;
	if (p && p->sz < sizeof(size_t) + sizeof(uint32_t)) {
		p4x_warn("sched params: sz %zu too small", p->sz);
		*err = -EINVAL;
		free(c);
		return NULL;
	}
	if (p)
		memcpy(c, p, P4X_MIN(p->sz, sizeof(*c)));
	c->sz = sizeof(*c);
	if (p4x_sched_params_check(c, nb_classes)) {
		*err = -EINVAL;
		free(c);
		return NULL;
	}
	return c;
}

int p4x_sched__set_builtin(struct p4x_sched *s, enum p4x_sched_builtin b,
			   const struct p4x_sched_params *params)
{
	struct p4x_sched_inst *in;
	void *pc;
	int ret;

	if ((unsigned int)b >= P4X_SCHED_BUILTIN__COUNT) {
		p4x_warn("sched: unknown built-in policy %d", (int)b);
		return -EINVAL;
	}
	pc = builtin_params_dup(params, s->nb_classes, &ret);
	if (!pc)
		return ret;
	in = inst_new(s, p4x_sched_builtin_ops(b), pc);
	if (!in) {
		free(pc);
		return -ENOMEM;
	}
	in->params_free = free;
	in->builtin = (int)b;
	pthread_mutex_lock(&s->ctl);
	p4x_sched_inst_publish(s, in);
	pthread_mutex_unlock(&s->ctl);
	return 0;
}

int p4x_sched__set_params(struct p4x_sched *s,
			  const struct p4x_sched_params *params)
{
	struct p4x_sched_inst *in;
	void *pc;
	int ret;

	if (!params)
		return -EINVAL;
	pc = builtin_params_dup(params, s->nb_classes, &ret);
	if (!pc)
		return ret;
	pthread_mutex_lock(&s->ctl);
	if (s->inst->builtin < 0) {
		p4x_warn("sched: policy '%s' is not a built-in: use "
			 "p4x_sched__set_policy to change its parameters",
			 s->inst->ops->name);
		ret = -EINVAL;
		goto err_unlock;
	}
	in = malloc(sizeof(*in));
	if (!in) {
		ret = -ENOMEM;
		goto err_unlock;
	}
	*in = *s->inst;
	in->params = pc;
	p4x_sched_inst_publish(s, in);
	pthread_mutex_unlock(&s->ctl);
	return 0;

err_unlock:
	pthread_mutex_unlock(&s->ctl);
	free(pc);
	return ret;
}

static int ops_check(const struct p4x_sched_policy_ops *ops, const char *what)
{
	if (!ops) {
		p4x_warn("sched: %s: no ops table", what);
		return -EPROTO;
	}
	if (ops->abi_version != P4X_SCHED_POLICY_ABI_VERSION) {
		p4x_warn("sched: %s: policy ABI version %u, expected %u", what,
			 ops->abi_version, P4X_SCHED_POLICY_ABI_VERSION);
		return -EPROTO;
	}
	if (!ops->name || !ops->init || !ops->enqueue ||
	    (ops->params_new && !ops->params_free)) {
		p4x_warn("sched: %s: ops lack name, init, enqueue or "
			 "params_free",
			 what);
		return -EPROTO;
	}
	return 0;
}

static int policy_params(const struct p4x_sched_policy_ops *ops,
			 const char *text, void **out)
{
	char err[128] = "";

	*out = NULL;
	if (!ops->params_new) {
		if (text && *text) {
			p4x_warn("sched: policy '%s' takes no parameters, got "
				 "'%s'",
				 ops->name, text);
			return -EINVAL;
		}
		return 0;
	}
	*out = ops->params_new(text, err, sizeof(err));
	if (!*out) {
		p4x_warn("sched: policy '%s': bad parameters '%s': %s",
			 ops->name, text ? text : "", err);
		return -EINVAL;
	}
	return 0;
}

static int set_policy_dl(struct p4x_sched *s,
			 const struct p4x_sched_policy_ops *ops,
			 const char *text, void *dl)
{
	struct p4x_sched_inst *in;
	void *params;
	int ret;

	ret = ops_check(ops, ops && ops->name ? ops->name : "policy");
	if (ret)
		return ret;
	ret = policy_params(ops, text, &params);
	if (ret)
		return ret;
	in = inst_new(s, ops, params);
	if (!in) {
		ret = errno ? -errno : -ENOMEM;
		p4x_warn("sched: policy '%s': init failed", ops->name);
		if (ops->params_free)
			ops->params_free(params);
		return ret;
	}
	in->params_free = ops->params_free;
	in->dl = dl;
	pthread_mutex_lock(&s->ctl);
	p4x_sched_inst_publish(s, in);
	pthread_mutex_unlock(&s->ctl);
	return 0;
}

int p4x_sched__set_policy(struct p4x_sched *s,
			  const struct p4x_sched_policy_ops *ops,
			  const char *params)
{
	return set_policy_dl(s, ops, params, NULL);
}

int p4x_sched__load_policy(struct p4x_sched *s, const char *path,
			   const char *params)
{
	p4x_sched_policy_get_fn get;
	void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	int ret;

	if (!dl) {
		p4x_warn("sched: cannot load policy %s: %s", path, dlerror());
		return -ENOENT;
	}
	*(void **)&get = dlsym(dl, P4X_SCHED_POLICY_SYMBOL);
	if (!get) {
		p4x_warn("sched: policy %s does not export %s", path,
			 P4X_SCHED_POLICY_SYMBOL);
		dlclose(dl);
		return -EPROTO;
	}
	ret = set_policy_dl(s, get(), params, dl);
	if (ret) {
		p4x_warn("sched: policy %s not loaded (%s)", path,
			 strerror(-ret));
		dlclose(dl);
	}
	return ret;
}

int p4x_sched__set_port_rate(struct p4x_sched *s, uint64_t rate, uint32_t burst)
{
	struct p4x_sched_port_cfg *p = NULL, *old;

	if (rate) {
		p = malloc(sizeof(*p));
		if (!p)
			return -ENOMEM;
		p->rate = rate;
		p->npb = p4x_sched_npb(rate);
		p->burst = burst ?: 3028;
	}
	pthread_mutex_lock(&s->ctl);
	old = rcu_xchg_pointer(&s->port, p);
	synchronize_rcu();
	pthread_mutex_unlock(&s->ctl);
	free(old);
	return 0;
}

const char *p4x_sched__policy_name(const struct p4x_sched *s)
{
	return __atomic_load_n(&s->inst, __ATOMIC_ACQUIRE)->ops->name;
}

unsigned int p4x_sched__policy_stats(struct p4x_sched *s,
				     struct p4x_sched_policy_stat *out,
				     unsigned int max)
{
	unsigned int n = 0;

	pthread_mutex_lock(&s->ctl);
	if (s->inst->ops->stats)
		n = s->inst->ops->stats(s->inst->state, out, max);
	pthread_mutex_unlock(&s->ctl);
	return n;
}
