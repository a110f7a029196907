/*
 * mark.c - kernel.mark("name"): old kernel markers (not run yet).
 * Points of these forms validate as in stap; lowering them is to come.
 */
#include <stddef.h>

#include "probes/probes.h"

static const char *const forms[] = {
	"kernel.mark(string)",
	"kernel.mark(string).format(string)",
	NULL,
};

const struct probe_family probe_family_mark = {
	.name = "mark",
	.forms = forms,
};
