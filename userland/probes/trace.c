/*
 * trace.c - kernel.trace("name") and kernel.trace("sys:name"):
 * tracepoints, typed by BTF; tracefs checks "sys" where it is mounted.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "btf.h"
#include "diag.h"
#include "probes/probes.h"
#include "target.h"

static const char *const forms[] = {
	"kernel.trace(string)",
	NULL,
};

static bool parse(struct compiler *cc, const struct probe_point *pp,
		  struct point_info *pi)
{
	const struct pp_comp *c = pp->comps;
	const char *spec, *colon;

	if (pp->ncomps != 2 || !pp_comp_is(&c[0], "kernel") ||
	    !pp_comp_is(&c[1], "trace") || !pp_comp_str(&c[1]))
		return false;
	spec = pp_comp_str(&c[1]);
	colon = strchr(spec, ':');
	pi->kind = POINT_TRACE;
	pi->comp = 1;
	pi->pattern = colon ? colon + 1 : spec;
	pi->system = colon ? cc_strndup(cc, spec, (size_t)(colon - spec)) : NULL;
	return true;
}

/*
 * BTF names tracepoints but not their systems ("sched" of sched_switch);
 * tracefs does, when it is there.  Without it the system is not checked.
 */
static bool in_system(const char *system, const char *name)
{
	static const char *const roots[] = {
		"/sys/kernel/tracing/events", "/sys/kernel/debug/tracing/events",
	};
	char path[512];
	size_t i;

	if (!*system || strpbrk(system, "*?["))
		return true;
	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		if (access(roots[i], F_OK) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", roots[i], system, name);
		return access(path, F_OK) == 0;
	}
	return true;
}

struct expand_trace {
	struct probe_expand *x;
	const char *system;
};

static void expand_one(const char *name, void *arg)
{
	struct expand_trace *t = arg;

	if (t->system && !in_system(t->system, name))
		return;
	/* "sched:" stays on a tracepoint's name, as the user wrote it */
	probe_expand_add(t->x, t->system ?
			 cc_printf(t->x->cc, "%s:%s", t->system, name) : name);
}

static int expand(struct probe_expand *x, const struct point_info *pi)
{
	struct expand_trace t = { x, pi->system };
	const struct btf *b;
	const char *why;

	if (!(b = target_btf(pi, &why)))
		return -1;
	kbtf_each_tracepoint(b, pi->pattern, expand_one, &t);
	return x->n;
}

/* What BTF does not know is not there. */
static bool resolves(struct compiler *cc, const struct probe_point *pp,
		     const struct point_info *pi)
{
	return pi->kind == POINT_OTHER;
}

static struct target_ctx *context(struct compiler *cc,
				  const struct probe_point *pp,
				  const struct point_info *pi, const char **why)
{
	if (pi->kind != POINT_TRACE) {
		*why = "this probe point has no target variables";
		return NULL;
	}
	return target_trace_ctx(cc, pi, why);
}

/* The module finds the tracepoint by its name. */
static int lower(struct compiler *cc, const struct probe_point *pp,
		 const struct point_info *pi, struct bt_probe_decl *d,
		 const char **symbol)
{
	if (pi->kind != POINT_TRACE)
		return -1;
	*symbol = pi->pattern;
	d->kind = BT_PROBE_TRACEPOINT;
	return 0;
}

const struct probe_family probe_family_trace = {
	.name = "kernel.trace",
	.forms = forms,
	.parse = parse,
	.expand = expand,
	.expand_globs = true,
	.resolves = resolves,
	.context = context,
	.lower = lower,
};
