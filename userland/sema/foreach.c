/*
 * foreach.c - pass 2, step 7b: foreach (.. in A) must not modify A, directly
 * or through the functions it calls.
 */
#include <stddef.h>

#include "sema/internal.h"

/* The arrays of the foreach loops around the code being walked. */
struct fecheck {
	struct sema *S;
	struct symbol **arrays;
	int n, cap;
};

static void fe_written(struct fecheck *fc, struct symbol *v,
		       const struct token *at)
{
	for (int i = 0; i < fc->n; i++)
		if (fc->arrays[i] == v)
			sema_fail(fc->S, at, "variable '%s' modified during"
				  " 'foreach' iteration", v->name);
}

static bool fe_expr(struct expr *e, void *arg)
{
	struct fecheck *fc = arg;

	if (e->kind == E_ASSIGN || e->kind == E_PREINC || e->kind == E_PREDEC ||
	    e->kind == E_POSTINC || e->kind == E_POSTDEC)
		fe_written(fc, e->lhs->sym, e->lhs->tok);
	if (e->kind == E_CALL && e->func)
		for (struct func *f = e->func; f; f = f->next_overload)
			for (int i = 0; i < f->nwrites; i++)
				fe_written(fc, f->writes[i], e->tok);
	return true;
}

static bool fe_stmt(struct stmt *s, void *arg)
{
	if (s->kind == S_DELETE)
		fe_written(arg, s->expr->sym, s->expr->tok);
	return true;
}

/* The array a foreach iterates (a histogram's statistic), or NULL. */
static struct symbol *fe_array(const struct stmt *s)
{
	const struct expr *b;

	if (!s->fe)
		return NULL;
	b = s->fe->base->kind == E_HIST ? s->fe->base->lhs : s->fe->base;
	return b->sym;
}

/* Base, slice and limit are evaluated once, before the iteration: only
 * the body must leave the array alone. */
static void fe_enter(struct stmt *s, void *arg)
{
	struct fecheck *fc = arg;

	if (fe_array(s))
		vec_push(fc->S->cc, &fc->arrays, &fc->n, &fc->cap, fe_array(s));
}

static void fe_leave(struct stmt *s, void *arg)
{
	struct fecheck *fc = arg;

	if (fe_array(s))
		fc->n--;
}

void check_foreach(struct sema *S)
{
	struct fecheck fc = { .S = S };
	struct ast_visitor v = { .expr_pre = fe_expr, .stmt_pre = fe_stmt,
				 .body_pre = fe_enter, .body_post = fe_leave,
				 .arg = &fc };

	for (int i = 0; i < S->s->nprobes; i++)
		ast_visit_stmt(S->s->probes[i]->body, &v);
	for (int i = 0; i < S->s->nfuncs; i++)
		ast_visit_stmt(S->s->funcs[i]->body, &v);
}

