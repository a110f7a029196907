/*
 * elide.c - pass 2, step 5: dead local stores and side-effect-free
 * statements dropped (as stap does), then dead locals and functions.
 */
#include <string.h>

#include "sema/internal.h"

/*
 * Like stap, assignments to locals that are never read are dropped before
 * type checking (keeping the right-hand side when it has side effects):
 * alias prologues compute many variables (argstr, ...) a handler may not
 * use.  symbol->stamp counts reads here.
 */
static bool is_local(const struct expr *e)
{
	return e->kind == E_VAR && e->sym && e->sym->kind != SYM_GLOBAL;
}

/* Counts reads of locals; the target of '=' is not read (x += e and x++
 * read x and stay, as in stap), nor a deleted local. */
struct reads {
	const struct expr *target;	/* the local being assigned */
};

static bool read_expr(struct expr *e, void *arg)
{
	struct reads *r = arg;

	if (e->kind == E_VAR && e->sym && e->sym->kind != SYM_GLOBAL &&
	    e != r->target)
		e->sym->stamp++;
	if (e->kind == E_ASSIGN && is_local(e->lhs) &&
	    (e->op == OP_NONE || e->op == OP_AGG))
		r->target = e->lhs;
	return true;
}

static bool read_stmt(struct stmt *s, void *arg)
{
	return s->kind != S_DELETE || !is_local(s->expr);
}

static void reads_stmt(struct stmt *s)
{
	struct reads r = { NULL };
	struct ast_visitor v = { .expr_pre = read_expr, .stmt_pre = read_stmt,
				 .arg = &r };

	ast_visit_stmt(s, &v);
}

/*
 * Side-effect free: no output, no void builtins, no calls of impure script
 * functions, no assignments -- except, inside a function body
 * (`local_writes`), to that function's own locals.
 */
struct purity {
	struct sema *S;
	bool local_writes;
	bool impure;
};

static bool impure_expr(struct purity *p, const struct expr *e)
{
	switch (e->kind) {
	case E_ASSIGN: case E_PREINC: case E_PREDEC: case E_POSTINC: case E_POSTDEC:
		return !p->local_writes || !is_local(e->lhs);
	case E_CALL:
		if (!e->builtin && !e->func)
			return true;
		if (e->builtin && e->builtin->ret == TY_UNKNOWN)
			return true;
		for (const struct func *f = e->func; f; f = f->next_overload)
			if (f->index < 0 || !p->S->func_pure ||
			    !p->S->func_pure[f->index])
				return true;
		return false;
	case E_PRINT:
		return !e->is_sprint;
	default:
		return false;
	}
}

static bool impure_stmt(const struct stmt *s)
{
	const struct foreach *fe = s->fe;

	if (s->kind == S_DELETE && !is_local(s->expr))
		return true;
	if (s->kind == S_TRY && s->catch_var && s->catch_var->kind == SYM_GLOBAL)
		return true;
	for (int i = 0; fe && i < fe->nkeys; i++)
		if (fe->keys[i]->kind == SYM_GLOBAL)
			return true;
	return fe && fe->value && fe->value->kind == SYM_GLOBAL;
}

static bool purity_expr(struct expr *e, void *arg)
{
	struct purity *p = arg;

	p->impure = p->impure || impure_expr(p, e);
	return !p->impure;
}

static bool purity_stmt(struct stmt *s, void *arg)
{
	struct purity *p = arg;

	p->impure = p->impure || impure_stmt(s);
	return !p->impure;
}

static bool pure(struct sema *S, const struct expr *e)
{
	struct purity p = { S, false, false };
	struct ast_visitor v = { .expr_pre = purity_expr, .arg = &p };

	ast_visit_expr((struct expr *)e, &v);
	return !p.impure;
}

static bool pure_body(struct sema *S, const struct stmt *s)
{
	struct purity p = { S, true, false };
	struct ast_visitor v = { .expr_pre = purity_expr,
				 .stmt_pre = purity_stmt, .arg = &p };

	ast_visit_stmt((struct stmt *)s, &v);
	return !p.impure;
}

/* Which live functions have no side effects (greatest fixpoint, so
   recursion alone doesn't make a function impure). */
static void find_pure_funcs(struct sema *S)
{
	int n = S->s->nfuncs;
	S->func_pure = cc_alloc(S->cc, sizeof(bool) * (size_t)(n + 1));
	for (int i = 0; i < n; i++)
		S->func_pure[i] = true;
	bool changed;
	do {
		changed = false;
		for (int i = 0; i < n; i++) {
			if (S->func_pure[i] && !pure_body(S, S->s->funcs[i]->body)) {
				S->func_pure[i] = false;
				changed = true;
			}
		}
	} while (changed);
}

static bool dead(const struct expr *e)
{
	return is_local(e) && e->sym->stamp == 0;
}

/* Returns e with dead stores removed; NULL when nothing is left of a
   statement-level expression. */
static struct expr *elide_expr(struct sema *S, struct expr *e, bool stmt_level)
{
	if (!e)
		return NULL;
	if (e->kind == E_ASSIGN && (e->op == OP_NONE || e->op == OP_AGG) &&
	    dead(e->lhs)) {
		S->changed = true;
		return elide_expr(S, e->rhs, stmt_level);
	}
	e->lhs = elide_expr(S, e->lhs, false);
	e->rhs = elide_expr(S, e->rhs, false);
	e->cond = elide_expr(S, e->cond, false);
	for (int i = 0; i < e->nargs; i++)
		e->args[i] = elide_expr(S, e->args[i], false);
	for (int i = 0; i < e->ncomps; i++)
		e->comps[i].index = elide_expr(S, e->comps[i].index, false);
	return e;
}

/* A statement-level expression after elision: kept only if it still
   does something. */
static struct expr *elide_top(struct sema *S, struct expr *e)
{
	bool before = S->changed;
	S->changed = false;
	struct expr *r = elide_expr(S, e, true);
	bool changed = S->changed;
	/* like stap, statements without side effects go too */
	if (r && pure(S, r)) {
		S->changed = true;
		return NULL;
	}
	S->changed = before || changed;
	return r;
}

static bool empty_stmt(const struct stmt *s)
{
	if (!s || s->kind == S_NULL)
		return true;
	if (s->kind != S_BLOCK)
		return false;
	for (int i = 0; i < s->nstmts; i++)
		if (!empty_stmt(s->stmts[i]))
			return false;
	return true;
}

static void elide_stmt(struct sema *S, struct stmt *s)
{
	if (!s)
		return;
	switch (s->kind) {
	case S_EXPR:
		s->expr = elide_top(S, s->expr);
		if (!s->expr)
			s->kind = S_NULL;
		return;
	case S_DELETE:
		if (dead(s->expr)) {
			s->kind = S_NULL;
			s->expr = NULL;
			S->changed = true;
		}
		return;
	case S_FOR:
	case S_WHILE:
		s->init = elide_top(S, s->init);
		s->step = elide_top(S, s->step);
		break;
	default:
		break;
	}
	s->expr = elide_expr(S, s->expr, false);
	if (s->kind == S_IF && s->expr->kind == E_NUM) {
		/* if (0) / if (1), e.g. after @defined() folding */
		struct stmt *keep = s->expr->num ? s->then : s->els;
		if (keep) {
			*s = *keep;
		} else {
			s->kind = S_NULL;
			s->expr = NULL;
			s->then = s->els = NULL;
		}
		S->changed = true;
		elide_stmt(S, s);
		return;
	}
	elide_stmt(S, s->then);
	elide_stmt(S, s->els);
	if (s->kind == S_FOREACH && empty_stmt(s->fe->body) &&
	    pure(S, s->fe->limit) && !s->fe->value) {
		bool slice_pure = true;
		for (int i = 0; i < s->fe->nslice; i++)
			slice_pure &= pure(S, s->fe->slice[i]);
		if (slice_pure) {
			s->kind = S_NULL;
			s->fe = NULL;
			S->changed = true;
			return;
		}
	}
	if (s->kind == S_IF && pure(S, s->expr) && empty_stmt(s->then) &&
	    empty_stmt(s->els)) {
		/* if (pure) {} else {} does nothing */
		s->kind = S_NULL;
		s->expr = NULL;
		s->then = s->els = NULL;
		S->changed = true;
		return;
	}
	elide_stmt(S, s->body);
	elide_stmt(S, s->catch_body);
	for (int i = 0; i < s->nstmts; i++)
		elide_stmt(S, s->stmts[i]);
	if (s->fe) {
		s->fe->limit = elide_expr(S, s->fe->limit, false);
		for (int i = 0; i < s->fe->nslice; i++)
			s->fe->slice[i] = elide_expr(S, s->fe->slice[i], false);
		elide_stmt(S, s->fe->body);
	}
}

/* Marks locals still referenced at all (stamp = 1). */
static bool ref_expr(struct expr *e, void *arg)
{
	if ((e->kind == E_VAR || e->kind == E_INDEX) && e->sym &&
	    e->sym->kind != SYM_GLOBAL)
		e->sym->stamp = 1;
	return true;
}

static bool ref_stmt(struct stmt *s, void *arg)
{
	if (s->catch_var)
		s->catch_var->stamp = 1;
	if (s->fe) {
		for (int i = 0; i < s->fe->nkeys; i++)
			s->fe->keys[i]->stamp = 1;
		if (s->fe->value)
			s->fe->value->stamp = 1;
	}
	return true;
}

static void refs_stmt(struct stmt *s)
{
	struct ast_visitor v = { .expr_pre = ref_expr, .stmt_pre = ref_stmt };

	ast_visit_stmt(s, &v);
}

static void elide_unit(struct sema *S, struct stmt *body, struct symbol **locals,
		       int *nlocals, int nparams)
{
	for (int round = 0; round < 16; round++) {
		for (int i = 0; i < *nlocals; i++)
			locals[i]->stamp = 0;
		reads_stmt(body);
		S->changed = false;
		elide_stmt(S, body);
		if (!S->changed)
			break;
	}
	/* drop locals nothing mentions any more; renumber the slots */
	for (int i = 0; i < *nlocals; i++)
		locals[i]->stamp = 0;
	refs_stmt(body);
	int n = 0;
	for (int i = 0; i < *nlocals; i++) {
		if (i < nparams || locals[i]->stamp) {
			locals[i]->index = n;
			locals[n++] = locals[i];
		}
		locals[i]->stamp = 0;
	}
	*nlocals = n;
	S->changed = false;
}

/* Live functions again after elision: calls may have gone away. */
static bool call_visit(struct expr *e, void *arg)
{
	if (e->kind == E_CALL && e->func)
		mark_live(arg, e->func);
	return true;
}

static void prune_funcs(struct sema *S)
{
	struct script *s = S->s;
	for (int i = 0; i < s->nfuncs; i++)
		s->funcs[i]->index = -1;
	s->nfuncs = 0;
	for (int i = 0; i < s->nprobes; i++) {
		for (int k = 0; k < s->probes[i]->npoints; k++)
			ast_walk_expr(s->probes[i]->points[k]->cond, call_visit, S);
		ast_walk_stmt(s->probes[i]->body, call_visit, S);
	}
	for (int i = 0; i < s->nfuncs; i++)
		ast_walk_stmt(s->funcs[i]->body, call_visit, S);
}

void elide_dead_stores(struct sema *S)
{
	struct script *s = S->s;
	int kept = 0;
	find_pure_funcs(S);
	for (int i = 0; i < s->nprobes; i++) {
		struct probe *p = s->probes[i];
		elide_unit(S, p->body, p->locals, &p->nlocals, 0);
		/* like stap, a handler that does nothing is dropped */
		if (empty_stmt(p->body))
			continue;
		p->index = kept;
		s->probes[kept++] = p;
	}
	s->nprobes = kept;
	if (!kept)
		sema_fail(S, NULL, "no probes found");
	for (int i = 0; i < S->s->nfuncs; i++) {
		struct func *f = S->s->funcs[i];
		elide_unit(S, f->body, f->locals, &f->nlocals, f->nparams);
	}
	prune_funcs(S);
}

