/*
 * point_decl.c - a concrete probe point (begin, timer.*, a kernel or
 * module function, kernel.statement, kernel.trace) as the VM's probe
 * declaration: its kind, period, offset, and the symbol it names.
 */
#include <stdlib.h>
#include <string.h>
#include "point_decl.h"
#include "diag.h"
#include "points.h"

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

int point_decl(struct compiler *cc, const struct probe_point *pp,
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
	if (point_info(cc, pp, &pi) && pi.kind == POINT_FUNCTION) {
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
		*symbol = pi.module ? cc_printf(cc, "%s:%s", pi.module, pi.pattern) :
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
			*symbol = cc_strndup(cc, spec, (size_t)(plus - spec));
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
