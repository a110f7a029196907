/*
 * timer.c - timer.s/ms/us/ns/jiffies(N) with .randomize(N), timer.hz(N),
 * and timer.profile.tick (every tick on every CPU).
 */
#include <stddef.h>
#include <string.h>

#include "probes/probes.h"

static const char *const forms[] = {
	"timer.hz(number)",
	"timer.jiffies(number)",
	"timer.jiffies(number).randomize(number)",
	"timer.ms(number)",
	"timer.ms(number).randomize(number)",
	"timer.msec(number)",
	"timer.msec(number).randomize(number)",
	"timer.ns(number)",
	"timer.ns(number).randomize(number)",
	"timer.nsec(number)",
	"timer.nsec(number).randomize(number)",
	"timer.profile.tick",
	"timer.s(number)",
	"timer.s(number).randomize(number)",
	"timer.sec(number)",
	"timer.sec(number).randomize(number)",
	"timer.us(number)",
	"timer.us(number).randomize(number)",
	"timer.usec(number)",
	"timer.usec(number).randomize(number)",
	NULL,
};

static const struct {
	const char *name;
	uint64_t ns;
} units[] = {
	{ "s", PROBE_NS_PER_SEC }, { "sec", PROBE_NS_PER_SEC },
	{ "ms", 1000000ull }, { "msec", 1000000ull },
	{ "us", 1000ull }, { "usec", 1000ull },
	{ "ns", 1ull }, { "nsec", 1ull },
	{ "jiffies", PROBE_NS_PER_JIFFY },
};

/* Nanoseconds per unit u; 0 for no unit. */
static uint64_t unit_ns(const char *u)
{
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(u, units[i].name))
			return units[i].ns;
	return 0;
}

static int lower(struct compiler *cc, const struct probe_point *pp,
		 const struct point_info *pi, struct bt_probe_decl *d,
		 const char **symbol)
{
	const struct pp_comp *c = pp->comps;
	int n = pp->ncomps;
	uint64_t unit;
	int64_t v;

	if (!pp_comp_is(c, "timer") || n < 2)
		return -1;
	if (pp_comp_is(&c[1], "profile")) {
		d->kind = BT_PROBE_PROFILE;
		return 0;
	}
	if (pp_comp_is(&c[1], "hz") && n == 2) {
		v = pp_comp_num(&c[1], 0);
		if (v <= 0 || v > (int64_t)PROBE_NS_PER_SEC)
			return -1;
		d->kind = BT_PROBE_TIMER;
		d->period_ns = PROBE_NS_PER_SEC / v;
		return 0;
	}
	unit = unit_ns(c[1].name);
	if (!unit || !c[1].arg)
		return -1;
	v = pp_comp_num(&c[1], 0);
	if (v <= 0)
		return -1;
	d->kind = BT_PROBE_TIMER;
	d->period_ns = v * unit;
	if (n == 3 && pp_comp_is(&c[2], "randomize"))
		d->randomize_ns = pp_comp_num(&c[2], 0) * unit;
	else if (n != 2)
		return -1;
	return 0;
}

const struct probe_family probe_family_timer = {
	.name = "timer",
	.forms = forms,
	.context_free = true,
	.lower = lower,
};
