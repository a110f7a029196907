/*
 * netfilter.c - netfilter.hook("h").pf("p"): netfilter hooks (not run yet).
 * Points of these forms validate as in stap; lowering them is to come.
 */
#include <stddef.h>

#include "probes/probes.h"

static const char *const forms[] = {
	"netfilter.hook(string).pf(string)",
	"netfilter.hook(string).pf(string).priority(string)",
	"netfilter.pf(string).hook(string)",
	"netfilter.pf(string).hook(string).priority(string)",
	NULL,
};

const struct probe_family probe_family_netfilter = {
	.name = "netfilter",
	.forms = forms,
};
