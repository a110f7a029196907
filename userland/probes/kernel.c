/*
 * kernel.c - kernel.function("f"), kprobe.function("f"),
 * kprobe.module("m").function("f") (.call, .return, .maxactive(N)), and
 * kernel.statement("f+OFFSET"): kprobes and kretprobes on the kernel.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "probes/probes.h"

static const char *const forms[] = {
	"kernel.function(number)",
	"kernel.function(number).call",
	"kernel.function(number).exported",
	"kernel.function(number).return",
	"kernel.function(number).return.maxactive(number)",
	"kernel.function(string)",
	"kernel.function(string).call",
	"kernel.function(string).callee(string)",
	"kernel.function(string).callee(string).call",
	"kernel.function(string).callee(string).return",
	"kernel.function(string).callees",
	"kernel.function(string).callees(number)",
	"kernel.function(string).exported",
	"kernel.function(string).inline",
	"kernel.function(string).label(string)",
	"kernel.function(string).return",
	"kernel.function(string).return.maxactive(number)",
	"kernel.statement(number)",
	"kernel.statement(number).absolute",
	"kernel.statement(number).nearest",
	"kernel.statement(string)",
	"kernel.statement(string).nearest",
	"kprobe.function(string)",
	"kprobe.function(string).call",
	"kprobe.function(string).return",
	"kprobe.function(string).return.maxactive(number)",
	"kprobe.module(string).function(string)",
	"kprobe.module(string).function(string).call",
	"kprobe.module(string).function(string).return",
	"kprobe.module(string).function(string).return.maxactive(number)",
	"kprobe.statement(number).absolute",
	NULL,
};

static bool parse(struct compiler *cc, const struct probe_point *pp,
		  struct point_info *pi)
{
	const struct pp_comp *c = pp->comps;
	int n = pp->ncomps;

	if (n >= 3 && pp_comp_is(&c[0], "kprobe") && pp_comp_is(&c[1], "module") &&
	    pp_comp_str(&c[1])) {
		pi->module = func_module_name(cc, pp_comp_str(&c[1]));
		pi->kprobe = true;
		return func_parse_at(cc, pp, 2, pi);
	}
	if (n >= 2 && (pp_comp_is(&c[0], "kernel") || pp_comp_is(&c[0], "kprobe"))) {
		pi->kprobe = pp_comp_is(&c[0], "kprobe");
		return func_parse_at(cc, pp, 1, pi);
	}
	return false;
}

/* kernel.statement("FUNC+OFFSET"): a kprobe inside FUNC (no line
 * numbers: those need DWARF). */
static int lower_statement(struct compiler *cc, const struct probe_point *pp,
			   struct bt_probe_decl *d, const char **symbol)
{
	const struct pp_comp *c = pp->comps;
	const char *spec, *plus;
	char *end = NULL;

	if (!pp_comp_is(c, "kernel") || pp->ncomps != 2 ||
	    !pp_comp_is(&c[1], "statement") || !pp_comp_str(&c[1]))
		return -1;
	spec = pp_comp_str(&c[1]);
	plus = strchr(spec, '+');
	if (plus) {
		unsigned long long off = strtoull(plus + 1, &end, 0);

		if (end == plus + 1 || *end || off > 0xffffff)
			return -1;
		d->offset = off;
		*symbol = cc_strndup(cc, spec, (size_t)(plus - spec));
	} else {
		*symbol = spec;
	}
	if (strpbrk(*symbol, "*?[@:"))
		return -1;
	d->kind = BT_PROBE_KPROBE;
	return 0;
}

static int lower(struct compiler *cc, const struct probe_point *pp,
		 const struct point_info *pi, struct bt_probe_decl *d,
		 const char **symbol)
{
	if (pi->kind == POINT_FUNCTION)
		return func_lower(cc, pp, pi, d, symbol);
	return lower_statement(cc, pp, d, symbol);
}

const struct probe_family probe_family_kernel = {
	.name = "kernel.function",
	.forms = forms,
	.parse = parse,
	.expand = func_expand,
	.resolves = func_resolves,
	.context = func_context,
	.lower = lower,
	.list = func_list,
};
