/*
 * codegen/probe.c - probe points to the VM's probe declarations, and
 * each handler's lock set, derived from the code it and its callees run.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "diag.h"
#include "points.h"
#include "bt_verify.h"

static int comp_is(const struct pp_comp *c, const char *name)
{
	return strcmp(c->name, name) == 0;
}

static int64_t comp_num(const struct pp_comp *c, int64_t dflt)
{
	return c->arg && c->arg->kind == E_NUM ? c->arg->num : dflt;
}

static const char *comp_str(const struct pp_comp *c)
{
	return c->arg && c->arg->kind == E_STR ? c->arg->str : NULL;
}

static int timer_unit(const char *u, uint64_t *ns_per)
{
	static const struct { const char *name; uint64_t ns; } units[] = {
		{ "s", 1000000000ull }, { "sec", 1000000000ull },
		{ "ms", 1000000ull }, { "msec", 1000000ull },
		{ "us", 1000ull }, { "usec", 1000ull },
		{ "ns", 1ull }, { "nsec", 1ull },
		{ "jiffies", 4000000ull },	/* HZ=250, Debian's default */
	};
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(u, units[i].name) == 0) {
			*ns_per = units[i].ns;
			return 1;
		}
	}
	return 0;
}

/* Fill d from a concrete probe point; 0 on success. */
static int resolve_point(struct gen *g, struct probe_point *pp,
			 struct bt_probe_decl *d, const char **symbol)
{
	struct pp_comp *c = pp->comps;
	int n = pp->ncomps;
	struct point_info pi;
	uint64_t unit;

	*symbol = NULL;
	if (n == 1 && (comp_is(c, "begin") || comp_is(c, "end") ||
		       comp_is(c, "error") || comp_is(c, "never"))) {
		d->kind = comp_is(c, "begin") ? BT_PROBE_BEGIN :
			  comp_is(c, "end") ? BT_PROBE_END :
			  comp_is(c, "error") ? BT_PROBE_ERROR : BT_PROBE_NEVER;
		d->seq = comp_num(c, 0);
		return 0;
	}
	if (comp_is(c, "timer") && n >= 2) {
		if (comp_is(&c[1], "profile")) {
			d->kind = BT_PROBE_PROFILE;
			return 0;
		}
		if (comp_is(&c[1], "hz") && n == 2) {
			int64_t hz = comp_num(&c[1], 0);

			if (hz <= 0 || hz > 1000000000)
				goto bad;
			d->kind = BT_PROBE_TIMER;
			d->period_ns = 1000000000ull / hz;
			return 0;
		}
		if (timer_unit(c[1].name, &unit) && c[1].arg) {
			int64_t v = comp_num(&c[1], 0);

			if (v <= 0)
				goto bad;
			d->kind = BT_PROBE_TIMER;
			d->period_ns = v * unit;
			if (n == 3 && comp_is(&c[2], "randomize"))
				d->randomize_ns = comp_num(&c[2], 0) * unit;
			else if (n != 2)
				goto bad;
			return 0;
		}
		goto bad;
	}
	if (point_info(g->cc, pp, &pi) && pi.kind == POINT_FUNCTION) {
		/*
		 * kernel.function("f"), kprobe.function("f"), and a loaded
		 * module's function: module("m").function("f") and
		 * kprobe.module("m").function("f").  Those ask for "m:f" (the
		 * kprobes "mod:sym" notation): the front end and the kernel
		 * module look for f in module m only.
		 */
		const struct pp_comp *after = &c[pi.comp + 1];

		/* a ':' left would make a kernel function a module's; one
		 * module by name, no globs (pp() could not name it) */
		if (!*pi.pattern || strchr(pi.pattern, ':') ||
		    (pi.module && (!*pi.module || strpbrk(pi.module, "*?[]:/ "))))
			goto bad;
		*symbol = pi.module ? cc_printf(g->cc, "%s:%s", pi.module, pi.pattern) :
			  pi.pattern;
		d->kind = pi.ret ? BT_PROBE_KRETPROBE : BT_PROBE_KPROBE;
		if (pi.ret && pi.nafter == 2 && comp_is(&after[1], "maxactive"))
			d->maxactive = comp_num(&after[1], 0);
		else if (pi.nafter > (pi.ret ? 1 : 0) &&
			 !(pi.nafter == 1 && comp_is(&after[0], "call")))
			goto bad;
		return 0;
	}
	if (comp_is(c, "kernel") && n == 2 && comp_is(&c[1], "statement") &&
	    comp_str(&c[1])) {
		/* kernel.statement("FUNC+OFFSET"): a kprobe inside FUNC (no
		 * line numbers: those need DWARF) */
		const char *spec = comp_str(&c[1]);
		const char *plus = strchr(spec, '+');
		char *end = NULL;

		if (plus) {
			unsigned long long off = strtoull(plus + 1, &end, 0);

			if (end == plus + 1 || *end || off > 0xffffff)
				goto bad;
			d->offset = off;
			*symbol = cc_strndup(g->cc, spec, (size_t)(plus - spec));
		} else {
			*symbol = spec;
		}
		if (strpbrk(*symbol, "*?[@:"))
			goto bad;
		d->kind = BT_PROBE_KPROBE;
		return 0;
	}
	if (pi.kind == POINT_TRACE) {
		/* kernel.trace("sched_switch") or ("sched:sched_switch"): the
		 * module finds the tracepoint by its name */
		*symbol = pi.pattern;
		d->kind = BT_PROBE_TRACEPOINT;
		return 0;
	}
bad:
	return -1;
}

/* Everything function f and what it calls touch, into *all. */
static void collect_access(struct gen *g, uint32_t f, uint8_t *seen,
			   accvec *all)
{
	VEC(uint32_t) todo = { 0 };

	VEC_PUSH(todo, f);
	seen[f] = 1;
	while (todo.n) {
		struct fnacc *fa = &g->fnacc.a[todo.a[--todo.n]];
		size_t i;

		for (i = 0; i < fa->acc.n; i++)
			VEC_PUSH(*all, fa->acc.a[i]);
		for (i = 0; i < fa->callees.n; i++) {
			if (!seen[fa->callees.a[i]]) {
				seen[fa->callees.a[i]] = 1;
				VEC_PUSH(todo, fa->callees.a[i]);
			}
		}
	}
	VEC_FREE(todo);
}

static int access_cmp(const void *a, const void *b)
{
	const struct access *x = a, *y = b;

	if (x->space != y->space)
		return x->space - y->space;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * The lock set of a handler: a shared lock for what it only reads, the
 * exclusive one for what it writes.  A statistic that is only added to
 * (<<<) needs none: each CPU adds to its own partial, as in SystemTap -
 * unless the program clears or deletes from it somewhere (xcpu), which
 * writes every CPU's partial: then <<< takes the shared lock.
 */
static unsigned handler_locks(struct gen *g, uint32_t f, struct bt_lock_ref **out)
{
	accvec all = { 0 };
	uint8_t *seen = xcalloc(g->fnacc.n + 1, 1);
	struct bt_lock_ref *l;
	size_t i = 0, j;
	unsigned n = 0;

	collect_access(g, f, seen, &all);
	free(seen);
	if (all.n)
		qsort(all.a, all.n, sizeof(*all.a), access_cmp);
	l = xcalloc(all.n + 1, sizeof(*l));
	while (i < all.n) {
		unsigned mode = 0;

		for (j = i; j < all.n && !access_cmp(&all.a[i], &all.a[j]); j++)
			mode |= all.a[j].mode;
		if ((mode & ACC_ADD) && all.a[i].space == BT_LOCK_MAP &&
		    g->map_xcpu[all.a[i].index])
			mode |= ACC_READ;
		if (mode & (ACC_READ | ACC_WRITE)) {
			l[n].space = all.a[i].space;
			l[n].index = all.a[i].index;
			l[n].write = (mode & ACC_WRITE) ? 1 : 0;
			n++;
		}
		i = j;
	}
	VEC_FREE(all);
	*out = l;
	return n;
}

/* Now that all code exists, give each probe its lock set. */
void add_probes(struct gen *g)
{
	size_t i, j;

	g->map_xcpu = xcalloc(g->nmaps_known + 1, 1);
	for (i = 0; i < g->fnacc.n; i++)
		for (j = 0; j < g->fnacc.a[i].acc.n; j++) {
			const struct access *a = &g->fnacc.a[i].acc.a[j];

			if ((a->mode & ACC_XCPU) && a->index < g->nmaps_known)
				g->map_xcpu[a->index] = 1;
		}

	for (i = 0; i < g->probes.n; i++) {
		struct pending_probe *pp = &g->probes.a[i];
		struct bt_lock_ref *locks;
		unsigned n = handler_locks(g, pp->decl.handler, &locks);

		pb_probe(g->pb, &pp->decl, pp->point, pp->symbol, locks, n);
		free(locks);
	}
	VEC_FREE(g->probes);
}

void gen_probe(struct gen *g, struct probe *p)
{
	uint32_t fi = declare_func(g, p->points[0]->text);
	int i;

	for (i = 0; i < p->npoints; i++) {
		struct probe_point *pp = p->points[i];
		struct bt_probe_decl d = { 0 };
		const char *symbol;

		if (resolve_point(g, pp, &d, &symbol) != 0) {
			if (!pp->optional) {
				char *msg = xasprintf("probe point not supported: %s", pp->text);

				cg_error(g, pp->tok, msg);
				free(msg);
			}
			continue;
		}
		d.handler = fi;
		d.flags = pp->optional ? BT_PROBE_OPTIONAL : 0;
		{
			struct pending_probe pend = { d, pp->text, symbol };

			VEC_PUSH(g->probes, pend);
		}
	}
	gen_probe_body(g, p, fi);
}
