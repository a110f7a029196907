/*
 * foreach.c - pass 2, step 7b: foreach (.. in A) must not modify A, directly
 * or through the functions it calls.
 */
#include <stddef.h>

#include "sema/internal.h"

/* foreach (.. in A) must not modify A, directly or through calls. */
struct fecheck {
	struct sema *S;
	struct symbol *arrays[64];
	int n;
};

static void fe_expr(struct fecheck *fc, struct expr *e);

static void fe_written(struct fecheck *fc, struct symbol *v,
		       const struct token *at)
{
	for (int i = 0; i < fc->n; i++)
		if (fc->arrays[i] == v)
			sema_fail(fc->S, at, "variable '%s' modified during 'foreach'"
			     " iteration", v->name);
}

static void fe_expr(struct fecheck *fc, struct expr *e)
{
	if (!e)
		return;
	if (e->kind == E_ASSIGN || e->kind == E_PREINC || e->kind == E_PREDEC ||
	    e->kind == E_POSTINC || e->kind == E_POSTDEC)
		fe_written(fc, e->lhs->sym, e->lhs->tok);
	if (e->kind == E_CALL && e->func)
		for (struct func *f = e->func; f; f = f->next_overload)
			for (int i = 0; i < f->nwrites; i++)
				fe_written(fc, f->writes[i], e->tok);
	fe_expr(fc, e->lhs);
	fe_expr(fc, e->rhs);
	fe_expr(fc, e->cond);
	for (int i = 0; i < e->nargs; i++)
		fe_expr(fc, e->args[i]);
	for (int i = 0; i < e->ncomps; i++)
		fe_expr(fc, e->comps[i].index);
}

static void fe_stmt(struct fecheck *fc, struct stmt *s)
{
	if (!s)
		return;
	if (s->kind == S_DELETE)
		fe_written(fc, s->expr->sym, s->expr->tok);
	fe_expr(fc, s->expr);
	fe_expr(fc, s->init);
	fe_expr(fc, s->step);
	fe_stmt(fc, s->then);
	fe_stmt(fc, s->els);
	fe_stmt(fc, s->body);
	fe_stmt(fc, s->catch_body);
	for (int i = 0; i < s->nstmts; i++)
		fe_stmt(fc, s->stmts[i]);
	if (s->fe) {
		struct foreach *fe = s->fe;
		struct expr *b = fe->base->kind == E_HIST ? fe->base->lhs : fe->base;
		fe_expr(fc, fe->limit);
		for (int i = 0; i < fe->nslice; i++)
			fe_expr(fc, fe->slice[i]);
		bool pushed = b->sym && fc->n < 64;
		if (pushed)
			fc->arrays[fc->n++] = b->sym;
		fe_stmt(fc, fe->body);
		if (pushed)
			fc->n--;
	}
}

void check_foreach(struct sema *S)
{
	struct fecheck fc = { .S = S };
	for (int i = 0; i < S->s->nprobes; i++)
		fe_stmt(&fc, S->s->probes[i]->body);
	for (int i = 0; i < S->s->nfuncs; i++)
		fe_stmt(&fc, S->s->funcs[i]->body);
}

