/*
 * module.c - module("m").function("f") (.call, .return, .maxactive(N)):
 * kprobes on a loaded module's functions ('-' in m is spelled '_', as
 * the kernel names modules).
 */
#include <stddef.h>

#include "probes/probes.h"

static const char *const forms[] = {
	"module(string).function(number)",
	"module(string).function(number).call",
	"module(string).function(number).exported",
	"module(string).function(number).return",
	"module(string).function(number).return.maxactive(number)",
	"module(string).function(string)",
	"module(string).function(string).call",
	"module(string).function(string).callee(string)",
	"module(string).function(string).callee(string).call",
	"module(string).function(string).callee(string).return",
	"module(string).function(string).callees",
	"module(string).function(string).callees(number)",
	"module(string).function(string).exported",
	"module(string).function(string).inline",
	"module(string).function(string).label(string)",
	"module(string).function(string).return",
	"module(string).function(string).return.maxactive(number)",
	"module(string).statement(number)",
	"module(string).statement(number).nearest",
	"module(string).statement(string)",
	"module(string).statement(string).nearest",
	NULL,
};

static bool parse(struct compiler *cc, const struct probe_point *pp,
		  struct point_info *pi)
{
	const struct pp_comp *c = pp->comps;

	if (pp->ncomps < 2 || !pp_comp_is(&c[0], "module") || !pp_comp_str(&c[0]))
		return false;
	pi->module = func_module_name(cc, pp_comp_str(&c[0]));
	return func_parse_at(cc, pp, 1, pi);
}

const struct probe_family probe_family_module = {
	.name = "module",
	.forms = forms,
	.parse = parse,
	.expand = func_expand,
	.resolves = func_resolves,
	.context = func_context,
	.lower = func_lower,
	.list = func_list,
};
