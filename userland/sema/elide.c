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

static void reads_expr(struct expr *e, bool stmt_level)
{
	if (!e)
		return;
	switch (e->kind) {
	case E_VAR:
		if (e->sym && e->sym->kind != SYM_GLOBAL)
			e->sym->stamp++;
		return;
	case E_ASSIGN:
		/* the target of '=' is not read (x += e and x++ read x and
		   stay, as in stap) */
		if (!(is_local(e->lhs) && (e->op == OP_NONE || e->op == OP_AGG)))
			reads_expr(e->lhs, false);
		reads_expr(e->rhs, false);
		return;
	default:
		reads_expr(e->lhs, false);
		reads_expr(e->rhs, false);
		reads_expr(e->cond, false);
		for (int i = 0; i < e->nargs; i++)
			reads_expr(e->args[i], false);
		for (int i = 0; i < e->ncomps; i++)
			reads_expr(e->comps[i].index, false);
		return;
	}
}

static void reads_stmt(struct stmt *s)
{
	if (!s)
		return;
	if (s->kind == S_DELETE) {
		if (!is_local(s->expr))
			reads_expr(s->expr, false);
		return;
	}
	reads_expr(s->expr, s->kind == S_EXPR);
	reads_expr(s->init, true);
	reads_expr(s->step, true);
	reads_stmt(s->then);
	reads_stmt(s->els);
	reads_stmt(s->body);
	reads_stmt(s->catch_body);
	for (int i = 0; i < s->nstmts; i++)
		reads_stmt(s->stmts[i]);
	if (s->fe) {
		reads_expr(s->fe->base, false);
		reads_expr(s->fe->limit, false);
		for (int i = 0; i < s->fe->nslice; i++)
			reads_expr(s->fe->slice[i], false);
		reads_stmt(s->fe->body);
	}
}

/*
 * Side-effect free: no output, no void builtins, no calls of impure script
 * functions, no assignments -- except, inside a function body
 * (`local_writes`), to that function's own locals.
 */
static bool pure_ex(struct sema *S, const struct expr *e, bool local_writes)
{
	if (!e)
		return true;
	switch (e->kind) {
	case E_ASSIGN: case E_PREINC: case E_PREDEC: case E_POSTINC: case E_POSTDEC:
		if (!local_writes || !is_local(e->lhs))
			return false;
		break;
	case E_CALL:
		if (!e->builtin && !e->func)
			return false;
		if (e->builtin && e->builtin->ret == TY_UNKNOWN)
			return false;
		for (const struct func *f = e->func; f; f = f->next_overload)
			if (f->index < 0 || !S->func_pure || !S->func_pure[f->index])
				return false;
		break;
	case E_PRINT:
		if (!e->is_sprint)
			return false;
		break;
	default:
		break;
	}
	if (!pure_ex(S, e->lhs, local_writes) || !pure_ex(S, e->rhs, local_writes) ||
	    !pure_ex(S, e->cond, local_writes))
		return false;
	for (int i = 0; i < e->nargs; i++)
		if (!pure_ex(S, e->args[i], local_writes))
			return false;
	for (int i = 0; i < e->ncomps; i++)
		if (!pure_ex(S, e->comps[i].index, local_writes))
			return false;
	return true;
}

static bool pure(struct sema *S, const struct expr *e)
{
	return pure_ex(S, e, false);
}

static bool pure_body(struct sema *S, const struct stmt *s)
{
	if (!s)
		return true;
	if (s->kind == S_DELETE && !is_local(s->expr))
		return false;
	if (s->kind == S_TRY && s->catch_var && s->catch_var->kind == SYM_GLOBAL)
		return false;
	if (!pure_ex(S, s->expr, true) || !pure_ex(S, s->init, true) ||
	    !pure_ex(S, s->step, true))
		return false;
	if (!pure_body(S, s->then) || !pure_body(S, s->els) ||
	    !pure_body(S, s->body) || !pure_body(S, s->catch_body))
		return false;
	for (int i = 0; i < s->nstmts; i++)
		if (!pure_body(S, s->stmts[i]))
			return false;
	if (s->fe) {
		const struct foreach *fe = s->fe;
		for (int i = 0; i < fe->nkeys; i++)
			if (fe->keys[i]->kind == SYM_GLOBAL)
				return false;
		if (fe->value && fe->value->kind == SYM_GLOBAL)
			return false;
		if (!pure_ex(S, fe->limit, true) || !pure_body(S, fe->body))
			return false;
		for (int i = 0; i < fe->nslice; i++)
			if (!pure_ex(S, fe->slice[i], true))
				return false;
	}
	return true;
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
static void refs_stmt(struct stmt *s);

static void refs_expr(struct expr *e)
{
	if (!e)
		return;
	if ((e->kind == E_VAR || e->kind == E_INDEX) && e->sym &&
	    e->sym->kind != SYM_GLOBAL)
		e->sym->stamp = 1;
	refs_expr(e->lhs);
	refs_expr(e->rhs);
	refs_expr(e->cond);
	for (int i = 0; i < e->nargs; i++)
		refs_expr(e->args[i]);
	for (int i = 0; i < e->ncomps; i++)
		refs_expr(e->comps[i].index);
}

static void refs_stmt(struct stmt *s)
{
	if (!s)
		return;
	refs_expr(s->expr);
	refs_expr(s->init);
	refs_expr(s->step);
	refs_stmt(s->then);
	refs_stmt(s->els);
	refs_stmt(s->body);
	refs_stmt(s->catch_body);
	if (s->catch_var)
		s->catch_var->stamp = 1;
	for (int i = 0; i < s->nstmts; i++)
		refs_stmt(s->stmts[i]);
	if (s->fe) {
		for (int i = 0; i < s->fe->nkeys; i++)
			s->fe->keys[i]->stamp = 1;
		if (s->fe->value)
			s->fe->value->stamp = 1;
		refs_expr(s->fe->base);
		refs_expr(s->fe->limit);
		for (int i = 0; i < s->fe->nslice; i++)
			refs_expr(s->fe->slice[i]);
		refs_stmt(s->fe->body);
	}
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
static void calls_stmt(struct sema *S, struct stmt *s);

static void calls_expr(struct sema *S, struct expr *e)
{
	if (!e)
		return;
	if (e->kind == E_CALL && e->func)
		mark_live(S, e->func);
	calls_expr(S, e->lhs);
	calls_expr(S, e->rhs);
	calls_expr(S, e->cond);
	for (int i = 0; i < e->nargs; i++)
		calls_expr(S, e->args[i]);
	for (int i = 0; i < e->ncomps; i++)
		calls_expr(S, e->comps[i].index);
}

static void calls_stmt(struct sema *S, struct stmt *s)
{
	if (!s)
		return;
	calls_expr(S, s->expr);
	calls_expr(S, s->init);
	calls_expr(S, s->step);
	calls_stmt(S, s->then);
	calls_stmt(S, s->els);
	calls_stmt(S, s->body);
	calls_stmt(S, s->catch_body);
	for (int i = 0; i < s->nstmts; i++)
		calls_stmt(S, s->stmts[i]);
	if (s->fe) {
		calls_expr(S, s->fe->base);
		calls_expr(S, s->fe->limit);
		for (int i = 0; i < s->fe->nslice; i++)
			calls_expr(S, s->fe->slice[i]);
		calls_stmt(S, s->fe->body);
	}
}

static void prune_funcs(struct sema *S)
{
	struct script *s = S->s;
	for (int i = 0; i < s->nfuncs; i++)
		s->funcs[i]->index = -1;
	s->nfuncs = 0;
	for (int i = 0; i < s->nprobes; i++) {
		for (int k = 0; k < s->probes[i]->npoints; k++)
			calls_expr(S, s->probes[i]->points[k]->cond);
		calls_stmt(S, s->probes[i]->body);
	}
	for (int i = 0; i < s->nfuncs; i++)
		calls_stmt(S, s->funcs[i]->body);
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

