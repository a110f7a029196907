/*
 * ast.c - walking the syntax tree (ast.h): every expression under a
 * statement, in source order, parents before their children.
 */
#include "ast.h"

void ast_walk_expr(struct expr *e, ast_visit_fn visit, void *arg)
{
	int i;

	if (!e || !visit(e, arg))
		return;
	ast_walk_expr(e->lhs, visit, arg);
	ast_walk_expr(e->rhs, visit, arg);
	ast_walk_expr(e->cond, visit, arg);
	for (i = 0; i < e->nargs; i++)
		ast_walk_expr(e->args[i], visit, arg);
	for (i = 0; i < e->ncomps; i++)
		ast_walk_expr(e->comps[i].index, visit, arg);
}

void ast_walk_stmt(struct stmt *s, ast_visit_fn visit, void *arg)
{
	int i;

	if (!s)
		return;
	ast_walk_expr(s->expr, visit, arg);
	ast_walk_expr(s->init, visit, arg);
	ast_walk_expr(s->step, visit, arg);
	ast_walk_stmt(s->then, visit, arg);
	ast_walk_stmt(s->els, visit, arg);
	ast_walk_stmt(s->body, visit, arg);
	for (i = 0; i < s->nstmts; i++)
		ast_walk_stmt(s->stmts[i], visit, arg);
	if (s->fe) {
		ast_walk_expr(s->fe->base, visit, arg);
		for (i = 0; i < s->fe->nslice; i++)
			ast_walk_expr(s->fe->slice[i], visit, arg);
		ast_walk_expr(s->fe->limit, visit, arg);
		ast_walk_stmt(s->fe->body, visit, arg);
	}
	ast_walk_stmt(s->catch_body, visit, arg);
}
