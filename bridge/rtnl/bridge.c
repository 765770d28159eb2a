// SPDX-License-Identifier: BSD-3-Clause
/* Source-independent parts of the bridge: ops-table dispatch and names. */
#include <errno.h>

#include <p4x/bridge.h>

static const char *const p4x_state_names[] = {
#define X(e, s) s,
	P4X_BRIDGE_STATES(X)
#undef X
};

static const char *const p4x_cause_names[] = {
#define X(e, s) s,
	P4X_BRIDGE_CAUSES(X)
#undef X
};

static const char *const p4x_diff_names[] = {
#define X(e, s) s,
	P4X_BRIDGE_DIFFS(X)
#undef X
};

const char *p4x_bridge_diff__name(enum p4x_bridge_diff d)
{
	return (size_t)d < P4X_ARRAY_SIZE(p4x_diff_names) ? p4x_diff_names[d]
							  : "?";
}

const char *p4x_bridge_state__name(enum p4x_bridge_state s)
{
	return (size_t)s < P4X_ARRAY_SIZE(p4x_state_names) ? p4x_state_names[s]
							   : "?";
}

const char *p4x_bridge_cause__name(enum p4x_bridge_cause c)
{
	return (size_t)c < P4X_ARRAY_SIZE(p4x_cause_names) ? p4x_cause_names[c]
							   : "?";
}

int p4x_bridge_source__start(struct p4x_bridge_source *src)
{
	return src->ops->start(src);
}

int p4x_bridge_source__fd(const struct p4x_bridge_source *src)
{
	return src->ops->fd(src);
}

long p4x_bridge_source__process(struct p4x_bridge_source *src,
				unsigned int budget)
{
	return src->ops->process(src, budget);
}

int p4x_bridge_source__resync(struct p4x_bridge_source *src,
			      enum p4x_bridge_cause cause)
{
	return src->ops->resync(src, cause);
}

long p4x_bridge_source__diff(struct p4x_bridge_source *src,
			     p4x_bridge_diff_fn fn, void *arg)
{
	if (!src->ops->diff)
		return -EOPNOTSUPP;
	return src->ops->diff(src, fn, arg);
}

void p4x_bridge_source__status(const struct p4x_bridge_source *src,
			       struct p4x_bridge_status *out)
{
	src->ops->status(src, out);
}

void p4x_bridge_source__free(struct p4x_bridge_source *src)
{
	if (src)
		src->ops->free(src);
}
