/*
 * facts.c - the last step of pass 2: the facts the code generator takes
 * as given (see sema.h), and the checks of what the VM cannot run yet, so
 * that a script sema_check() accepts always compiles.
 *
 *   - every concrete probe point's VM declaration (probe_lower(), probes/), or
 *     "probe point not supported" unless the point is optional;
 *   - @hist_linear bucket counts and @variance shifts (one per statistic);
 *   - sprint of a histogram, @entry and @perf: not supported yet;
 *   - MAXNESTING as SystemTap derives it from the call graph.
 *
 * Unlike the other steps it reports every error it finds (in the order
 * the code generator used to: statistics first, then functions, then
 * probes) before failing.
 */
#include <stdlib.h>
#include <string.h>
#include "bt_prog.h"
#include "diag.h"
#include "parse.h"
#include "probes/probes.h"
#include "sema.h"
#include "util.h"

struct facts {
	struct compiler *cc;
	int errors;
};

static void fact_error(struct facts *F, const struct token *tok,
		       const char *msg)
{
	diag_sema_error(F->cc, tok, "%s", msg);
	F->errors++;
}

/* --- statistics ------------------------------------------------------- */

static void note_hist(struct facts *F, const struct expr *e)
{
	int64_t a, b, c;

	if (e->hist_kind != HIST_LINEAR)
		return;
	/* the parser takes literals; sema made the interval positive */
	a = e->args[0]->num;
	b = e->args[1]->num;
	c = e->args[2]->num;
	if (b <= a || (b - a) / c + 3 > 128)
		fact_error(F, e->tok, "histogram: Number of buckets must be between 1 and 126");
}

/* @variance needs Welford's state, kept only for the maps that use it. */
static void note_variance(struct facts *F, const struct expr *e)
{
	struct symbol *sym = e->lhs ? e->lhs->sym : NULL;
	int shift = e->rhs ? (int)e->rhs->num : 0;

	if (!sym || sym->kind != SYM_GLOBAL)
		return;
	if (shift < 0 || shift > 62) {
		fact_error(F, e->tok, "@variance shift must be between 0 and 62");
		return;
	}
	if (sym->var_shift && sym->var_shift != shift + 1) {
		fact_error(F, e->tok, "conflicting @variance shifts for one statistic");
		return;
	}
	sym->var_shift = shift + 1;
}

static bool stats_visit(struct expr *e, void *arg)
{
	if (e->kind == E_NUM || e->kind == E_STR)	/* also folded @defined */
		return false;
	if (e->kind == E_HIST)
		note_hist(arg, e);
	if (e->kind == E_STAT && e->stat_op == STAT_VARIANCE)
		note_variance(arg, e);
	return true;
}

/* --- what the VM cannot run yet --------------------------------------- */

static bool unsupported_visit(struct expr *e, void *arg)
{
	switch (e->kind) {
	case E_NUM:
	case E_STR:
		return false;
	case E_PRINT:
		if ((e->print_kind == PRINT_PLAIN || e->print_kind == PRINT_LN) &&
		    e->nargs == 1 && e->args[0]->kind == E_HIST && e->is_sprint) {
			fact_error(arg, e->tok, "sprint of a histogram is not supported yet");
			return false;
		}
		return true;
	case E_TARGET: case E_CAST: case E_ENTRY: case E_PERF:
		fact_error(arg, e->tok, "target variables are not supported yet");
		return false;
	default:
		return true;
	}
}

static void declare_points(struct facts *F, struct probe *p, bool quiet)
{
	for (int i = 0; i < p->npoints; i++) {
		struct probe_point *pp = p->points[i];
		struct bt_probe_decl *d = cc_alloc(F->cc, sizeof(*d));
		const char *symbol;

		if (probe_lower(F->cc, pp, d, &symbol) == 0) {
			pp->decl = d;
			pp->symbol = symbol;
		} else if (!pp->optional && !quiet) {
			fact_error(F, pp->tok, cc_printf(F->cc, "probe point not supported: %s",
							 pp->text));
		}
	}
}

/* --- MAXNESTING --------------------------------------------------------- */

struct depth {
	int *depth;		/* longest call chain from the function */
	int *state;		/* 0 new, 1 on the DFS stack, 2 done */
	bool recursive;
};

/* Longest chain of calls starting in function f (f itself counts 1). */
static int chain_depth(struct depth *D, const struct func *f)
{
	int best = 0;

	if (D->state[f->index] == 2)
		return D->depth[f->index];
	if (D->state[f->index] == 1) {
		D->recursive = true;
		return 0;
	}
	D->state[f->index] = 1;
	for (int i = 0; i < f->ncallees; i++) {
		int d = chain_depth(D, f->callees[i]);

		if (d > best)
			best = d;
	}
	D->state[f->index] = 2;
	D->depth[f->index] = best + 1;
	return best + 1;
}

/*
 * SystemTap sizes its nesting limit from the script: the deepest static
 * call chain plus one, plus ten more when anything recurses.
 */
static uint32_t derive_maxnesting(const struct script *s)
{
	struct depth D = { 0 };
	int deepest = 0;

	D.depth = xcalloc((size_t)s->nfuncs + 1, sizeof(int));
	D.state = xcalloc((size_t)s->nfuncs + 1, sizeof(int));
	for (int i = 0; i < s->nprobes; i++) {
		const struct probe *p = s->probes[i];

		for (int k = 0; k < p->ncallees; k++) {
			int d = chain_depth(&D, p->callees[k]);

			if (d > deepest)
				deepest = d;
		}
	}
	free(D.depth);
	free(D.state);
	deepest += 1 + (D.recursive ? 10 : 0);
	return deepest > BT_CAP_MAXNESTING ? BT_CAP_MAXNESTING : deepest;
}

int sema_facts(struct script *s)
{
	struct facts F = { .cc = s->cc };
	bool listing = s->cc->opts && s->cc->opts->listing;

	for (int i = 0; i < s->nfuncs; i++)
		ast_walk_stmt(s->funcs[i]->body, stats_visit, &F);
	for (int i = 0; i < s->nprobes; i++)
		ast_walk_stmt(s->probes[i]->body, stats_visit, &F);
	for (int i = 0; i < s->nfuncs; i++)
		ast_walk_stmt(s->funcs[i]->body, unsupported_visit, &F);
	for (int i = 0; i < s->nprobes; i++) {
		struct probe *p = s->probes[i];

		/* -l lists what a pattern matches, runnable or not */
		declare_points(&F, p, listing);
		if (p->npoints == 1)	/* codegen tests a lone point's condition */
			ast_walk_expr(p->points[0]->cond, unsupported_visit, &F);
		ast_walk_stmt(p->body, unsupported_visit, &F);
	}
	s->auto_maxnesting = derive_maxnesting(s);
	return F.errors ? -1 : 0;
}
