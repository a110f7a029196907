/*
 * codegen/codegen.c - codegen(): from a checked script to a program blob,
 * in order: limits, globals, functions, probes, the global display, lock
 * sets, serialisation.
 */
#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "diag.h"

int codegen(struct compiler *cc, struct script *s,
	    const struct codegen_opts *opts, void **blob, size_t *size)
{
	struct gen g = { .cc = cc, .s = s, .opts = opts };
	int i, rc;

	struct bt_limits limits = opts->limits;

	g.pb = pb_new();
	for (i = 0; i < s->nfuncs; i++)
		assert(s->funcs[i]->index == i);
	if (opts->maxnesting_auto)
		limits.maxnesting = s->auto_maxnesting;
	pb_limits(g.pb, &limits);
	gen_globals(&g);
	for (i = 0; i < s->nfuncs; i++)
		declare_func(&g, s->funcs[i]->name);
	for (i = 0; i < s->nfuncs; i++)
		gen_func(&g, s->funcs[i]);
	for (i = 0; i < s->nprobes; i++)
		gen_probe(&g, s->probes[i]);
	gen_autoprint(&g);
	add_probes(&g);
	rc = g.errors ? -1 : pb_serialize(g.pb, blob, size);
	if (rc && !g.errors)
		diag_plain_error(cc, "the compiled program is too large");
	pb_free(g.pb);
	free(g.gslots);
	free(g.map_is_stats);
	free(g.map_xcpu);
	for (i = 0; i < (int)g.fnacc.n; i++) {
		VEC_FREE(g.fnacc.a[i].acc);
		VEC_FREE(g.fnacc.a[i].callees);
	}
	VEC_FREE(g.fnacc);
	return rc;
}
