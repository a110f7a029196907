/*
 * sema.c - pass 2 (SystemTap's "elaborate"): the driver.
 *
 * Steps, in order, one file each (internal.h):
 *   1. collect declarations of the parsed files into name tables (scope.c)
 *   2. pull in tapset files that define names the code uses (tapsets.c)
 *   3. expand probe aliases, validate points (alias.c); split probes per
 *      target-variable context (targets.c)
 *   4. resolve names to symbols / functions / builtins; arity (resolve.c)
 *   5. drop dead stores, unused functions and globals, unless -u (elide.c)
 *   6. infer types to a fixpoint, then report what stayed unresolved
 *      (types.c)
 *   7. read/write sets and call graph (effects.c), foreach-modification
 *      check (foreach.c), autoprint flags (here)
 *
 * Sema stops at the first error (sema_fail() longjmps to sema_check), like
 * the parser.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "sema/internal.h"

void sema_fail(struct sema *S, const struct token *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_verror(S->cc, DIAG_SEMA, t, fmt, ap);
	va_end(ap);
	longjmp(S->fail, 1);
}


/* script->globals: live ones (or all with -u), in declaration order. */
static void finish_globals(struct sema *S, bool keep_all)
{
	for (int i = 0; i < S->nall_globals; i++) {
		struct symbol *g = S->all_globals[i];
		if (!keep_all && !g->is_read && !g->is_written)
			continue;
		g->index = S->s->nglobals;
		vec_push(S->cc, &S->s->globals, &S->s->nglobals, &S->capglobals, g);
		g->autoprint = g->is_written && !g->is_read && !g->from_tapset;
		if (g->init && !g->is_array && g->type == TY_UNKNOWN)
			g->type = g->init->kind == E_NUM ? TY_LONG : TY_STRING;
	}
}

/* Globals with literal initialisers have that type from the start. */
static void init_global_types(struct sema *S)
{
	for (int i = 0; i < S->nall_globals; i++) {
		struct symbol *g = S->all_globals[i];
		if (g->init) {
			/* no type_tok: stap words a clash with an initialised
			   global as "expected T but found U" */
			g->type = g->init->kind == E_NUM ? TY_LONG : TY_STRING;
			g->init->type = g->type;
			g->arity_tok = g->tok;
		}
	}
}

int sema_check(struct script *s)
{
	struct compiler *cc = s->cc;
	struct sema *S = calloc(1, sizeof(*S));
	if (!S)
		abort();
	S->cc = cc;
	S->s = s;
	bool keep_all = cc->opts && cc->opts->unoptimized;
	int rc = -1;
	if (setjmp(S->fail) == 0) {
		load_tapsets(S);
		chain_all(&S->funcs);
		for (int i = 0; i < S->npriv; i++)
			chain_all(&S->priv_funcs[i]);
		init_global_types(S);
		expand_probes(S);
		validate_points(S);
		prepare_targets(S);
		if (s->nprobes == 0)
			sema_fail(S, NULL, "no probes found");
		resolve_all(S, keep_all);
		if (!keep_all)
			elide_dead_stores(S);
		infer_types(S);
		check_known(S);
		compute_rw(S);
		check_foreach(S);
		finish_globals(S, keep_all);
		rc = sema_facts(s);
	}
	free(S);
	return rc;
}
