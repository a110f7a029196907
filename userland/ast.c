/*
 * ast.c - walking and copying the syntax tree (ast.h).  The only place
 * that knows which children a node has: every pass that looks at the
 * whole tree goes through ast_visit_*() or ast_clone_*().
 */
#include <string.h>

#include "ast.h"
#include "diag.h"

void ast_visit_expr(struct expr *e, const struct ast_visitor *v)
{
	int i;

	if (!e || (v->expr_pre && !v->expr_pre(e, v->arg)))
		return;
	ast_visit_expr(e->lhs, v);
	ast_visit_expr(e->rhs, v);
	ast_visit_expr(e->cond, v);
	for (i = 0; i < e->nargs; i++)
		ast_visit_expr(e->args[i], v);
	for (i = 0; i < e->ncomps; i++)
		ast_visit_expr(e->comps[i].index, v);
	if (v->expr_post)
		v->expr_post(e, v->arg);
}

static void visit_body(struct stmt *s, struct stmt *body,
		       const struct ast_visitor *v)
{
	if (v->body_pre)
		v->body_pre(s, v->arg);
	ast_visit_stmt(body, v);
	if (v->body_post)
		v->body_post(s, v->arg);
}

void ast_visit_stmt(struct stmt *s, const struct ast_visitor *v)
{
	int i;

	if (!s || (v->stmt_pre && !v->stmt_pre(s, v->arg)))
		return;
	ast_visit_expr(s->expr, v);
	ast_visit_expr(s->init, v);
	ast_visit_expr(s->step, v);
	ast_visit_stmt(s->then, v);
	ast_visit_stmt(s->els, v);
	ast_visit_stmt(s->body, v);
	for (i = 0; i < s->nstmts; i++)
		ast_visit_stmt(s->stmts[i], v);
	if (s->fe) {
		ast_visit_expr(s->fe->base, v);
		for (i = 0; i < s->fe->nslice; i++)
			ast_visit_expr(s->fe->slice[i], v);
		ast_visit_expr(s->fe->limit, v);
		visit_body(s, s->fe->body, v);
	}
	if (s->catch_body)
		visit_body(s, s->catch_body, v);
	if (v->stmt_post)
		v->stmt_post(s, v->arg);
}

void ast_walk_expr(struct expr *e, ast_visit_fn visit, void *arg)
{
	struct ast_visitor v = { .expr_pre = visit, .arg = arg };

	ast_visit_expr(e, &v);
}

void ast_walk_stmt(struct stmt *s, ast_visit_fn visit, void *arg)
{
	struct ast_visitor v = { .expr_pre = visit, .arg = arg };

	ast_visit_stmt(s, &v);
}

static struct expr **clone_args(struct compiler *cc, struct expr *const *a,
				int n)
{
	struct expr **v;
	int i;

	if (!n)
		return NULL;
	v = cc_alloc(cc, sizeof(*v) * (size_t)n);
	for (i = 0; i < n; i++)
		v[i] = ast_clone_expr(cc, a[i]);
	return v;
}

struct expr *ast_clone_expr(struct compiler *cc, const struct expr *e)
{
	struct expr *c;
	int i;

	if (!e)
		return NULL;
	c = cc_alloc(cc, sizeof(*c));
	*c = *e;
	c->lhs = ast_clone_expr(cc, e->lhs);
	c->rhs = ast_clone_expr(cc, e->rhs);
	c->cond = ast_clone_expr(cc, e->cond);
	c->args = clone_args(cc, e->args, e->nargs);
	if (e->ncomps) {
		c->comps = cc_alloc(cc, sizeof(*c->comps) * (size_t)e->ncomps);
		for (i = 0; i < e->ncomps; i++) {
			c->comps[i] = e->comps[i];
			c->comps[i].index = ast_clone_expr(cc, e->comps[i].index);
		}
	}
	return c;
}

struct stmt *ast_clone_stmt(struct compiler *cc, const struct stmt *s)
{
	struct stmt *c;
	int i;

	if (!s)
		return NULL;
	c = cc_alloc(cc, sizeof(*c));
	*c = *s;
	c->expr = ast_clone_expr(cc, s->expr);
	c->init = ast_clone_expr(cc, s->init);
	c->step = ast_clone_expr(cc, s->step);
	c->then = ast_clone_stmt(cc, s->then);
	c->els = ast_clone_stmt(cc, s->els);
	c->body = ast_clone_stmt(cc, s->body);
	c->catch_body = ast_clone_stmt(cc, s->catch_body);
	if (s->nstmts) {
		c->stmts = cc_alloc(cc, sizeof(*c->stmts) * (size_t)s->nstmts);
		for (i = 0; i < s->nstmts; i++)
			c->stmts[i] = ast_clone_stmt(cc, s->stmts[i]);
	}
	if (s->fe) {
		struct foreach *fe = cc_alloc(cc, sizeof(*fe));

		*fe = *s->fe;
		fe->base = ast_clone_expr(cc, s->fe->base);
		fe->slice = clone_args(cc, s->fe->slice, s->fe->nslice);
		fe->limit = ast_clone_expr(cc, s->fe->limit);
		fe->body = ast_clone_stmt(cc, s->fe->body);
		c->fe = fe;
	}
	return c;
}
