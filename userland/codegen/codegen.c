/*
 * codegen/codegen.c - codegen(): from a checked script to a program blob,
 * in order: limits (MAXNESTING from the call graph), globals, functions,
 * probes, the global display, lock sets, serialisation.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "diag.h"

/* --- MAXNESTING ----------------------------------------------------------- */

struct callgraph {
	struct script *s;
	intvec *callees;	/* by function index */
	int *depth;		/* longest call chain from the function, -1 unknown */
	int *state;		/* 0 new, 1 on the DFS stack, 2 done */
	int recursive;
};

static void collect_calls(struct callgraph *cg, intvec *out, struct expr *e);

static void collect_calls_stmt(struct callgraph *cg, intvec *out, struct stmt *st)
{
	int i;

	if (!st)
		return;
	collect_calls(cg, out, st->expr);
	collect_calls(cg, out, st->init);
	collect_calls(cg, out, st->step);
	collect_calls_stmt(cg, out, st->then);
	collect_calls_stmt(cg, out, st->els);
	collect_calls_stmt(cg, out, st->body);
	collect_calls_stmt(cg, out, st->catch_body);
	for (i = 0; i < st->nstmts; i++)
		collect_calls_stmt(cg, out, st->stmts[i]);
	if (st->fe) {
		collect_calls(cg, out, st->fe->limit);
		for (i = 0; st->fe->slice && i < st->fe->nslice; i++)
			collect_calls(cg, out, st->fe->slice[i]);
		collect_calls_stmt(cg, out, st->fe->body);
	}
}

static void collect_calls(struct callgraph *cg, intvec *out, struct expr *e)
{
	int i;

	if (!e)
		return;
	if (e->kind == E_CALL && e->func) {
		struct func *f;

		/* every overload `next` may reach is part of the chain */
		for (f = e->func; f; f = f->next_overload)
			VEC_PUSH(*out, f->index);
	}
	collect_calls(cg, out, e->lhs);
	collect_calls(cg, out, e->rhs);
	collect_calls(cg, out, e->cond);
	for (i = 0; i < e->nargs; i++)
		collect_calls(cg, out, e->args[i]);
}

/* Longest chain of calls starting in function f (f itself counts 1). */
static int chain_depth(struct callgraph *cg, int f)
{
	size_t i;
	int best = 0;

	if (cg->state[f] == 2)
		return cg->depth[f];
	if (cg->state[f] == 1) {
		cg->recursive = 1;
		return 0;
	}
	cg->state[f] = 1;
	for (i = 0; i < cg->callees[f].n; i++) {
		int d = chain_depth(cg, cg->callees[f].a[i]);

		if (d > best)
			best = d;
	}
	cg->state[f] = 2;
	cg->depth[f] = best + 1;
	return best + 1;
}

/*
 * SystemTap sizes its nesting limit from the script: the deepest static
 * call chain plus one, plus ten more when anything recurses.
 */
static uint32_t derive_maxnesting(struct script *s)
{
	struct callgraph cg = { .s = s };
	int i, deepest = 0;

	cg.callees = xcalloc(s->nfuncs + 1, sizeof(*cg.callees));
	cg.depth = xcalloc(s->nfuncs + 1, sizeof(int));
	cg.state = xcalloc(s->nfuncs + 1, sizeof(int));
	for (i = 0; i < s->nfuncs; i++)
		collect_calls_stmt(&cg, &cg.callees[i], s->funcs[i]->body);
	for (i = 0; i < s->nprobes; i++) {
		intvec calls = { 0 };
		size_t k;

		collect_calls_stmt(&cg, &calls, s->probes[i]->body);
		for (k = 0; k < calls.n; k++) {
			int d = chain_depth(&cg, calls.a[k]);

			if (d > deepest)
				deepest = d;
		}
		VEC_FREE(calls);
	}
	for (i = 0; i < s->nfuncs; i++)
		VEC_FREE(cg.callees[i]);
	free(cg.callees);
	free(cg.depth);
	free(cg.state);
	deepest += 1 + (cg.recursive ? 10 : 0);
	return deepest > BT_CAP_MAXNESTING ? BT_CAP_MAXNESTING : deepest;
}

int codegen(struct compiler *cc, struct script *s,
	    const struct codegen_opts *opts, void **blob, size_t *size)
{
	struct gen g = { .cc = cc, .s = s, .opts = opts };
	int i, rc;

	struct bt_limits limits = opts->limits;

	g.pb = pb_new();
	for (i = 0; i < s->nfuncs; i++)
		s->funcs[i]->index = i;
	if (opts->maxnesting_auto)
		limits.maxnesting = derive_maxnesting(s);
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
