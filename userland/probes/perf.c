/*
 * perf.c - perf.type(N).config(N): perf events (not run yet).
 * Points of these forms validate as in stap; lowering them is to come.
 */
#include <stddef.h>

#include "probes/probes.h"

static const char *const forms[] = {
	"perf.type(number).config(number)",
	"perf.type(number).config(number).counter(string)",
	"perf.type(number).config(number).hz(number)",
	"perf.type(number).config(number).process",
	"perf.type(number).config(number).process(string)",
	"perf.type(number).config(number).process(string).counter(string)",
	"perf.type(number).config(number).sample(number)",
	NULL,
};

const struct probe_family probe_family_perf = {
	.name = "perf",
	.forms = forms,
};
