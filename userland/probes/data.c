/*
 * data.c - kernel.data(ADDR).write/.rw: hardware watchpoints (not run yet).
 * Points of these forms validate as in stap; lowering them is to come.
 */
#include <stddef.h>

#include "probes/probes.h"

static const char *const forms[] = {
	"kernel.data(number).length(number).rw",
	"kernel.data(number).length(number).write",
	"kernel.data(number).rw",
	"kernel.data(number).write",
	"kernel.data(string).rw",
	"kernel.data(string).write",
	NULL,
};

const struct probe_family probe_family_data = {
	.name = "data",
	.forms = forms,
};
